//! The lowering context shared by the OpenAPI 3.0 and Swagger 2.0 front ends: where a node is
//! (file and pointer), how a problem is reported there, and typed reads of scalars, lists and
//! maps that report a wrong type instead of guessing.
//!
//! It reads the located tree only; it never decides what a field means to API Gateway (that is
//! the business of the modules that call it).

use camino::{Utf8Path, Utf8PathBuf};
use indexmap::IndexMap;

use crate::diagnostic::{At, Pending};
use crate::frontend::expr;
use crate::frontend::Session;
use crate::ir::{ApiKind, Expr, Function, Origin, Spanned};
use crate::load::tree::{Node, Value};
use crate::pointer::Pointer;
use crate::rules::structure::{MissingField, UnknownField, WrongType};
use crate::rules::RuleMeta;
use crate::source::FileId;

use super::refs::Index;

/// The two document formats this front end reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dialect {
    OpenApi30,
    Swagger20,
}

/// A document a `$ref` can point into: the spec itself (possibly embedded in a template at
/// `base`), or a file it references.
#[derive(Clone, Copy, Debug)]
pub(super) struct Doc<'n> {
    pub file: FileId,
    pub path: &'n Utf8Path,
    /// The node `#` names: the spec's root object.
    pub root: &'n Node,
    /// The pointer of `root` inside its file.
    pub base: &'n Pointer,
    /// Whether this is the spec being lowered (its components are indexed).
    pub is_main: bool,
}

/// A node with the document it belongs to and its pointer in that document's file.
#[derive(Clone, Debug)]
pub(super) struct Loc<'n> {
    pub doc: Doc<'n>,
    pub node: &'n Node,
    pub ptr: Pointer,
}

impl<'n> Loc<'n> {
    pub fn new(doc: Doc<'n>, node: &'n Node, ptr: Pointer) -> Self {
        Loc { doc, node, ptr }
    }

    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<Loc<'n>> {
        let node = self.node.get(key)?;
        Some(Loc {
            doc: self.doc,
            node,
            ptr: self.ptr.join(key),
        })
    }

    /// The mapping's entries, in source order (nothing when this is not a mapping).
    pub fn entries(&self) -> impl Iterator<Item = (&'n str, Loc<'n>)> + '_ {
        self.node
            .as_map()
            .into_iter()
            .flat_map(|map| map.entries.iter())
            .map(move |entry| {
                (
                    entry.key.as_str(),
                    Loc {
                        doc: self.doc,
                        node: &entry.value,
                        ptr: self.ptr.join(&entry.key),
                    },
                )
            })
    }

    /// How many entries (a mapping) or items (a sequence) this node has: what a vector built
    /// from them reserves.
    pub fn member_count(&self) -> usize {
        match &self.node.value {
            Value::Map(map) => map.len(),
            Value::Seq(items) => items.len(),
            _ => 0,
        }
    }

    /// The sequence's items (nothing when this is not a sequence).
    pub fn items(&self) -> impl Iterator<Item = Loc<'n>> + '_ {
        self.node
            .as_seq()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(move |(index, node)| Loc {
                doc: self.doc,
                node,
                ptr: self.ptr.index(index),
            })
    }

    pub fn origin(&self) -> Origin {
        Origin::new(self.doc.file, self.ptr.clone())
    }

    pub fn spanned<T>(&self, value: T) -> Spanned<T> {
        Spanned::new(value, self.origin())
    }

    pub fn is_map(&self) -> bool {
        self.node.as_map().is_some()
    }

    /// A CloudFormation intrinsic (`Fn::If`, `Ref` …) or a string holding a `templatefile`
    /// placeholder (`${timeout}`): a value only known at deploy time.
    pub fn is_deploy_time(&self) -> bool {
        match &self.node.value {
            Value::String(text) => {
                text.contains("${") && !expr::from_plain_string(text).is_literal()
            }
            _ => expr::intrinsic_name(self.node).is_some(),
        }
    }

    pub fn as_str(&self) -> Option<&'n str> {
        self.node.as_str()
    }
}

/// Whether any node below `node` is a CloudFormation intrinsic.
pub(super) fn contains_intrinsic(node: &Node) -> bool {
    if expr::intrinsic_name(node).is_some() {
        return true;
    }
    match &node.value {
        Value::Map(map) => map
            .entries
            .iter()
            .any(|entry| contains_intrinsic(&entry.value)),
        Value::Seq(items) => items.iter().any(contains_intrinsic),
        _ => false,
    }
}

/// Everything one lowering needs: the session (files, report), the spec, and what has been
/// collected so far that several parts of the document share.
pub(super) struct Cx<'a, 'w> {
    pub session: &'a mut Session<'w>,
    pub dialect: Dialect,
    pub kind: ApiKind,
    /// Shared with the copies that lower chunks of paths on other threads.
    pub index: std::sync::Arc<Index<'a>>,
    /// The template that embeds the spec, when there is one: it tells a parameter from a
    /// resource in `${Name}`.
    pub template: Option<&'a Node>,
    /// `$ref`s to files may not leave this directory.
    pub root_dir: Utf8PathBuf,
    pub functions: Vec<Function>,
    /// Position of each function in `functions`, by name.
    pub function_index: std::collections::HashMap<String, usize>,
    /// The name each function of `functions` was asked for, before any numbered suffix.
    pub function_requests: Vec<String>,
    /// Names of security schemes and authorizers, for checking security requirements.
    pub scheme_names: Vec<String>,
    /// Whether SAM may add to the document before API Gateway sees it (security schemes from
    /// `Auth`, models from `Models`): an unknown scheme or model name is then not an error.
    pub augmented: bool,
}

impl Cx<'_, '_> {
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        loc: &Loc<'_>,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.report_at(rule, loc.doc.file, loc.ptr.clone(), message)
    }

    pub fn report_at(
        &mut self,
        rule: &'static RuleMeta,
        file: FileId,
        pointer: Pointer,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.session
            .report
            .push_at(rule, At::Node(file, pointer), message)
    }

    fn wrong_type(&mut self, loc: &Loc<'_>, expected: &str) {
        let found = loc.node.kind_name();
        let field = field_name(&loc.ptr);
        self.report(
            WrongType::META,
            loc,
            format!("`{field}` must be {expected}, found {found}"),
        );
    }

    /// A string field. Deploy-time values are skipped without a word; other types are reported.
    /// A field left empty (`null`) reads as absent, as API Gateway's importer reads it.
    pub fn string(&mut self, loc: &Loc<'_>) -> Option<String> {
        match &loc.node.value {
            Value::String(text) => Some(text.clone()),
            Value::Null => None,
            _ if loc.is_deploy_time() => None,
            _ => {
                self.wrong_type(loc, "a string");
                None
            }
        }
    }

    pub fn spanned_string(&mut self, loc: &Loc<'_>) -> Option<Spanned<String>> {
        self.string(loc).map(|text| loc.spanned(text))
    }

    /// A field whose text API Gateway reads whatever the scalar type (`statusCode: 200`,
    /// `payloadFormatVersion: 1.0`, `timeoutInMillis: "29000"`).
    pub fn text(&mut self, loc: &Loc<'_>) -> Option<String> {
        match loc.node.scalar_text() {
            Some(text) => Some(text),
            None if loc.is_deploy_time() || loc.node.is_null() => None,
            None => {
                self.wrong_type(loc, "a string");
                None
            }
        }
    }

    pub fn spanned_text(&mut self, loc: &Loc<'_>) -> Option<Spanned<String>> {
        self.text(loc).map(|text| loc.spanned(text))
    }

    /// A deploy-time value: a string (with `templatefile` placeholders) or an intrinsic.
    pub fn expr(&mut self, loc: &Loc<'_>) -> Option<Spanned<Expr>> {
        match expr::lower(loc.node) {
            Some(value) => Some(loc.spanned(value)),
            None if loc.node.is_null() => None,
            None => {
                self.wrong_type(loc, "a string");
                None
            }
        }
    }

    /// A boolean. `"true"`/`"false"` as strings are read as API Gateway's importer reads them.
    pub fn boolean(&mut self, loc: &Loc<'_>) -> Option<bool> {
        if loc.is_deploy_time() || loc.node.is_null() {
            return None;
        }
        match &loc.node.value {
            Value::Bool(value) => Some(*value),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => {
                self.wrong_type(loc, "a boolean");
                None
            }
        }
    }

    /// A whole number; a numeric string and a float without a fraction are accepted.
    pub fn integer(&mut self, loc: &Loc<'_>) -> Option<i64> {
        if loc.is_deploy_time() || loc.node.is_null() {
            return None;
        }
        let value = match &loc.node.value {
            Value::Number(number) => number.as_i64().or_else(|| {
                number
                    .as_f64()
                    .filter(|value| value.fract() == 0.0 && value.abs() < 9.0e15)
                    .map(|value| value as i64)
            }),
            Value::String(text) => text.trim().parse::<i64>().ok(),
            _ => None,
        };
        if value.is_none() {
            self.wrong_type(loc, "a whole number");
        }
        value
    }

    pub fn spanned_integer(&mut self, loc: &Loc<'_>) -> Option<Spanned<i64>> {
        self.integer(loc).map(|value| loc.spanned(value))
    }

    /// Whether `loc` is a mapping; reports anything else but a deploy-time value.
    /// An empty value (`tags:` with nothing after it) is read as absent, as API Gateway does.
    pub fn expect_map(&mut self, loc: &Loc<'_>) -> bool {
        if loc.is_map() && !loc.is_deploy_time() {
            return true;
        }
        if !loc.is_deploy_time() && !loc.node.is_null() {
            self.wrong_type(loc, "an object");
        }
        false
    }

    /// Whether `loc` is a sequence; reports anything else but a deploy-time value.
    pub fn expect_seq(&mut self, loc: &Loc<'_>) -> bool {
        if loc.node.as_seq().is_some() {
            return true;
        }
        if !loc.is_deploy_time() && !loc.node.is_null() {
            self.wrong_type(loc, "an array");
        }
        false
    }

    /// A list of strings.
    pub fn string_list(&mut self, loc: &Loc<'_>) -> Vec<Spanned<String>> {
        if !self.expect_seq(loc) {
            return Vec::new();
        }
        loc.items()
            .filter_map(|item| self.spanned_string(&item))
            .collect()
    }

    /// A list of deploy-time values (`providerARNs`, `vpcEndpointIds`).
    pub fn expr_list(&mut self, loc: &Loc<'_>) -> Vec<Spanned<Expr>> {
        if !self.expect_seq(loc) {
            return Vec::new();
        }
        loc.items().filter_map(|item| self.expr(&item)).collect()
    }

    /// A map of strings (mapping templates and parameters). Entries whose value is only known
    /// at deploy time are left out: the IR keeps these maps as text.
    pub fn string_map(&mut self, loc: &Loc<'_>) -> IndexMap<String, Spanned<String>> {
        let mut out = IndexMap::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (key, value) in loc.entries() {
            if let Some(text) = self.spanned_string(&value) {
                out.insert(key.to_owned(), text);
            }
        }
        out
    }

    /// Reports every key of `loc` that is not in `known`, with the nearest known key.
    /// Vendor extensions (`x-…`) are left to the extension scan.
    pub fn check_fields(&mut self, loc: &Loc<'_>, what: &str, known: &[&str]) {
        let Some(map) = loc.node.as_map() else {
            return;
        };
        for entry in &map.entries {
            let key = entry.key.as_str();
            if known.contains(&key) || key.starts_with("x-") {
                continue;
            }
            let ptr = loc.ptr.join(key);
            let pending = self.report_at(
                UnknownField::META,
                loc.doc.file,
                ptr,
                format!("`{key}` is not a field of {what}; API Gateway ignores it"),
            );
            match suggest(key, known.iter().copied()) {
                _ if key == "selectionPattern" => pending.help(
                    "in OpenAPI the selection pattern is the key of the `responses` entry, not a field",
                ),
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help(format!("the fields of {what} are: {}", known.join(", "))),
            };
        }
    }

    /// [`Self::check_fields`] for a core OpenAPI object (the root, a path item, an operation),
    /// which a template may write as an intrinsic (`Fn::If`) or with intrinsics inside: such a
    /// node is left alone. `reported` are keys another check reports with its own message.
    pub fn check_object_fields(
        &mut self,
        loc: &Loc<'_>,
        what: &str,
        known: &[&str],
        reported: &[&str],
    ) {
        let Some(map) = loc.node.as_map() else {
            return;
        };
        let intrinsic = map
            .entries
            .iter()
            .any(|entry| entry.key.as_str() == "Ref" || entry.key.as_str().starts_with("Fn::"));
        if intrinsic {
            return;
        }
        let openapi3 = self.dialect == Dialect::OpenApi30;
        for entry in &map.entries {
            let key = entry.key.as_str();
            if known.contains(&key) || reported.contains(&key) || key.starts_with("x-") {
                continue;
            }
            let pending = self.report_at(
                UnknownField::META,
                loc.doc.file,
                loc.ptr.join(key),
                format!("`{key}` is not a field of {what}; API Gateway ignores it"),
            );
            let swagger_in_openapi3 = match key {
                "consumes" | "produces" => Some(
                    "`consumes` and `produces` are Swagger 2.0; OpenAPI 3 gives media types as \
                     the keys of `requestBody.content` and of each response's `content`",
                ),
                "definitions" => Some(
                    "`definitions` is Swagger 2.0; OpenAPI 3 declares schemas in `components.schemas`",
                ),
                _ => None,
            };
            match (swagger_in_openapi3, suggest(key, known.iter().copied())) {
                (Some(help), _) if openapi3 => pending.help(help),
                (_, Some(near)) => pending.help(format!("did you mean `{near}`?")),
                _ => pending.help(format!("the fields of {what} are: {}", known.join(", "))),
            };
        }
    }

    /// The node read through a typed view (`openapiv3`'s types). A structural problem is
    /// reported at the exact place serde stopped, by kind: a missing field, an unknown
    /// enumeration value, or a wrong type. Callers use it only on nodes without intrinsics.
    pub fn typed<T: serde::de::DeserializeOwned>(&mut self, loc: &Loc<'_>) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(loc.node.to_json()) {
            Ok(value) => Some(value),
            Err(error) => {
                let mut pointer = loc.ptr.clone();
                for segment in error.path().iter() {
                    pointer = match segment {
                        serde_path_to_error::Segment::Seq { index } => pointer.index(*index),
                        serde_path_to_error::Segment::Map { key } => pointer.join(key),
                        serde_path_to_error::Segment::Enum { .. }
                        | serde_path_to_error::Segment::Unknown => pointer,
                    };
                }
                let message = error.inner().to_string();
                let rule = if message.starts_with("missing field") {
                    MissingField::META
                } else if message.starts_with("unknown variant") {
                    crate::rules::structure::InvalidEnumValue::META
                } else {
                    WrongType::META
                };
                let what = field_name(&loc.ptr);
                self.report_at(rule, loc.doc.file, pointer, format!("`{what}`: {message}"));
                None
            }
        }
    }

    /// Reports a missing required field on the object at `loc`.
    pub fn missing(&mut self, loc: &Loc<'_>, field: &str, what: &str) -> &mut Pending {
        self.report(MissingField::META, loc, format!("{what} has no `{field}`"))
    }
}

/// The last segment of a pointer, for messages.
pub(super) fn field_name(ptr: &Pointer) -> String {
    ptr.segments().last().unwrap_or_default()
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a likely typo.
pub(super) fn suggest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lowered = name.to_ascii_lowercase();
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lowered, &candidate.to_ascii_lowercase());
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
    let limit = (name.chars().count() / 3).clamp(1, 4);
    (distance <= limit).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_near_misses_only() {
        let known = ["timeoutInMillis", "type", "uri"];
        assert_eq!(suggest("timeoutInMilis", known), Some("timeoutInMillis"));
        assert_eq!(suggest("TYPE", known), Some("type"));
        assert_eq!(suggest("completelyDifferent", known), None);
    }
}
