//! `$ref`s: the index of named components, following a reference to the object it names
//! (inside the document, or into a file below the document's directory), and schemas, whose
//! references are never followed but rewritten to `#/components/schemas/<name>` so that the IR
//! is the same whichever format the document was written in.
//!
//! It never fetches a URL and never reads a file outside the document's directory tree.

use std::collections::HashMap;
use std::sync::Arc;

use camino::Utf8PathBuf;

use crate::diagnostic::At;
use crate::frontend::LoadedFile;
use crate::ir::Schema;
use crate::load::tree::{Node, Value};
use crate::pointer::Pointer;
use crate::rules::structure::{ExternalRefRefused, RefCycle, UnresolvedRef, WrongType};

use super::reader::{suggest, Cx, Dialect, Doc, Loc};

/// Most `$ref` hops one reference may take before it is called a cycle.
const MAX_HOPS: usize = 32;

/// The kinds of named component a `$ref` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Section {
    Schemas,
    Parameters,
    Responses,
    RequestBodies,
    Headers,
    SecuritySchemes,
    Integrations,
    PathItems,
}

impl Section {
    /// Where the section lives in a document of `dialect` (relative to the spec root).
    pub fn container(self, dialect: Dialect) -> Option<&'static [&'static str]> {
        match (dialect, self) {
            (Dialect::OpenApi30, Section::Schemas) => Some(&["components", "schemas"]),
            (Dialect::OpenApi30, Section::Parameters) => Some(&["components", "parameters"]),
            (Dialect::OpenApi30, Section::Responses) => Some(&["components", "responses"]),
            (Dialect::OpenApi30, Section::RequestBodies) => Some(&["components", "requestBodies"]),
            (Dialect::OpenApi30, Section::Headers) => Some(&["components", "headers"]),
            (Dialect::OpenApi30, Section::SecuritySchemes) => {
                Some(&["components", "securitySchemes"])
            }
            (Dialect::OpenApi30, Section::Integrations) => {
                Some(&["components", "x-amazon-apigateway-integrations"])
            }
            (Dialect::Swagger20, Section::Schemas) => Some(&["definitions"]),
            (Dialect::Swagger20, Section::Parameters) => Some(&["parameters"]),
            (Dialect::Swagger20, Section::Responses) => Some(&["responses"]),
            (Dialect::Swagger20, Section::SecuritySchemes) => Some(&["securityDefinitions"]),
            _ => None,
        }
    }

    pub fn what(self) -> &'static str {
        match self {
            Section::Schemas => "schema",
            Section::Parameters => "parameter",
            Section::Responses => "response",
            Section::RequestBodies => "request body",
            Section::Headers => "header",
            Section::SecuritySchemes => "security scheme",
            Section::Integrations => "integration",
            Section::PathItems => "path item",
        }
    }

    const ALL: [Section; 8] = [
        Section::Schemas,
        Section::Parameters,
        Section::Responses,
        Section::RequestBodies,
        Section::Headers,
        Section::SecuritySchemes,
        Section::Integrations,
        Section::PathItems,
    ];
}

/// One component section of the spec, indexed by name once so that references cost a hash
/// lookup however many components there are.
#[derive(Debug, Default)]
struct Component<'a> {
    container: Option<Loc<'a>>,
    by_name: HashMap<&'a str, usize>,
}

/// The spec's named components.
#[derive(Debug, Default)]
pub(super) struct Index<'a> {
    sections: Vec<(Section, Component<'a>)>,
}

impl<'a> Index<'a> {
    pub fn build(doc: Doc<'a>, dialect: Dialect) -> Self {
        let mut sections = Vec::new();
        for section in Section::ALL {
            let Some(path) = section.container(dialect) else {
                continue;
            };
            let mut loc = Some(Loc::new(doc, doc.root, doc.base.clone()));
            for segment in path {
                loc = loc.and_then(|loc| loc.get(segment));
            }
            if loc.is_none() && dialect == Dialect::OpenApi30 && section == Section::SecuritySchemes
            {
                // Swagger's `securityDefinitions` left in an OpenAPI 3 document (reported
                // where the document is lowered).
                loc = Loc::new(doc, doc.root, doc.base.clone()).get("securityDefinitions");
            }
            let mut component = Component::default();
            if let Some(map) = loc.as_ref().and_then(|loc| loc.node.as_map()) {
                for (position, entry) in map.entries.iter().enumerate() {
                    component
                        .by_name
                        .entry(entry.key.as_str())
                        .or_insert(position);
                }
            }
            component.container = loc;
            sections.push((section, component));
        }
        Index { sections }
    }

    fn component(&self, section: Section) -> Option<&Component<'a>> {
        self.sections
            .iter()
            .find(|(candidate, _)| *candidate == section)
            .map(|(_, component)| component)
    }

    /// The section's container (`components.schemas`, `definitions` …).
    pub fn container(&self, section: Section) -> Option<&Loc<'a>> {
        self.component(section)?.container.as_ref()
    }

    pub fn contains(&self, section: Section, name: &str) -> bool {
        self.component(section)
            .is_some_and(|component| component.by_name.contains_key(name))
    }

    /// The component `name` of `section`.
    pub fn get(&self, section: Section, name: &str) -> Option<Loc<'a>> {
        let component = self.component(section)?;
        let position = *component.by_name.get(name)?;
        let container = component.container.as_ref()?;
        let entry = container.node.as_map()?.entries.get(position)?;
        Some(Loc::new(
            container.doc,
            &entry.value,
            container.ptr.join(&entry.key),
        ))
    }

    /// Every name in `section`, in source order (for suggestions).
    pub fn names(&self, section: Section) -> Vec<&'a str> {
        self.container(section)
            .and_then(|loc| loc.node.as_map())
            .map(|map| map.entries.iter().map(|entry| entry.key.as_str()).collect())
            .unwrap_or_default()
    }
}

/// What a `$ref` string names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum RefTarget {
    /// A JSON Pointer into the same document (unescaped of URI encoding, still `~`-escaped).
    Internal(String),
    /// A file path relative to the referring document, and a pointer into it.
    File {
        path: String,
        fragment: String,
    },
    Url(String),
}

/// Reads a `$ref`. A bare name such as `Pet` is a component of `section` (the old Swagger
/// shorthand, which API Gateway's own samples use).
pub(super) fn parse_ref(text: &str, section: Section, dialect: Dialect) -> RefTarget {
    let text = text.trim();
    let scheme = |prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    if scheme("http:") || scheme("https:") || text.contains("://") {
        return RefTarget::Url(text.to_owned());
    }
    let (path, fragment) = match text.split_once('#') {
        Some((path, fragment)) => (path, percent_decode(fragment)),
        None => (text, String::new()),
    };
    if path.is_empty() {
        return RefTarget::Internal(fragment);
    }
    let is_bare_name = !path.contains(['/', '.', '\\']) && text.find('#').is_none();
    if is_bare_name {
        if let Some(container) = section.container(dialect) {
            let mut pointer = Pointer::root();
            for segment in container {
                pointer = pointer.join(segment);
            }
            return RefTarget::Internal(pointer.join(path).as_str().to_owned());
        }
    }
    RefTarget::File {
        path: percent_decode(path),
        fragment,
    }
}

/// `%7B` → `{` and the like; invalid escapes stay as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while let Some(&byte) = bytes.get(position) {
        if byte == b'%' {
            let hex = bytes
                .get(position + 1..position + 3)
                .and_then(|pair| std::str::from_utf8(pair).ok())
                .and_then(|pair| u8::from_str_radix(pair, 16).ok());
            if let Some(decoded) = hex {
                out.push(decoded);
                position += 3;
                continue;
            }
        }
        out.push(byte);
        position += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The component name a schema reference names: `#/components/schemas/X`, `#/definitions/X`,
/// or the bare `X`.
fn schema_name(fragment: &str, dialect: Dialect) -> Option<String> {
    let prefix = match dialect {
        Dialect::OpenApi30 => "/components/schemas/",
        Dialect::Swagger20 => "/definitions/",
    };
    let name = fragment.strip_prefix(prefix)?;
    if name.contains('/') {
        return None;
    }
    if !name.contains('~') {
        return Some(name.to_owned());
    }
    Pointer::from_escaped(format!("/{name}")).segments().next()
}

/// A path segment stack for pointers built only when a problem is reported.
enum Segment<'n> {
    Key(&'n str),
    Index(usize),
}

impl<'a> Cx<'a, '_> {
    /// Follows `loc` while it is a reference object, then calls `lower` with the object it
    /// names. Problems (unknown target, cycle, refused file) are reported at the `$ref` and
    /// give `None`.
    pub fn follow<'n, R>(
        &mut self,
        loc: Loc<'n>,
        section: Section,
        lower: impl FnOnce(&mut Self, Loc<'_>) -> R,
    ) -> Option<R>
    where
        'a: 'n,
    {
        let mut hops = Vec::new();
        self.follow_hops(loc, section, &mut hops, lower)
    }

    fn follow_hops<'n, R>(
        &mut self,
        loc: Loc<'n>,
        section: Section,
        hops: &mut Vec<(crate::source::FileId, Pointer)>,
        lower: impl FnOnce(&mut Self, Loc<'_>) -> R,
    ) -> Option<R>
    where
        'a: 'n,
    {
        let Some(ref_node) = loc.get("$ref") else {
            return Some(lower(self, loc));
        };
        let Some(text) = ref_node.as_str() else {
            self.report(WrongType::META, &ref_node, "`$ref` must be a string");
            return None;
        };
        let here = (loc.doc.file, loc.ptr.clone());
        if hops.contains(&here) || hops.len() >= MAX_HOPS {
            let (file, pointer) = hops.first().cloned().unwrap_or(here);
            self.report_at(
                RefCycle::META,
                file,
                pointer.join("$ref"),
                format!(
                    "this `$ref` chain comes back to `{text}` without reaching a {}",
                    section.what()
                ),
            )
            .help("point one of the references at the object itself");
            return None;
        }
        hops.push(here);
        match parse_ref(text, section, self.dialect) {
            RefTarget::Internal(fragment) => {
                let target = self.lookup(loc.doc, &fragment, section, &ref_node)?;
                self.follow_hops(target, section, hops, lower)
            }
            RefTarget::Url(url) => {
                self.refuse_url(&ref_node, &url);
                None
            }
            RefTarget::File { path, fragment } => {
                let file = self.load_ref_file(&ref_node, &path)?;
                let root_pointer = Pointer::root();
                let root = file.root.as_ref()?;
                let doc = Doc {
                    file: file.id,
                    path: &file.path,
                    root,
                    base: &root_pointer,
                    is_main: false,
                };
                let target = self.lookup(doc, &fragment, section, &ref_node)?;
                self.follow_hops(target, section, hops, lower)
            }
        }
    }

    /// The node `fragment` names in `doc`, or a report at `ref_node`.
    fn lookup<'n>(
        &mut self,
        doc: Doc<'n>,
        fragment: &str,
        section: Section,
        ref_node: &Loc<'_>,
    ) -> Option<Loc<'n>>
    where
        'a: 'n,
    {
        if doc.is_main {
            if let Some(found) = self.lookup_indexed(fragment, section) {
                return Some(found);
            }
        }
        let pointer = Pointer::from_escaped(fragment);
        if fragment.is_empty() || fragment.starts_with('/') {
            if let Some(node) = doc.root.at(&pointer) {
                let full = Pointer::from_escaped(format!("{}{}", doc.base.as_str(), fragment));
                return Some(Loc::new(doc, node, full));
            }
        }
        let missing = pointer.segments().last().unwrap_or_default();
        let candidates: Vec<&str> = pointer
            .parent()
            .and_then(|parent| doc.root.at(&parent))
            .and_then(Node::as_map)
            .map(|map| map.entries.iter().map(|entry| entry.key.as_str()).collect())
            .unwrap_or_default();
        let text = ref_node.as_str().unwrap_or_default().to_owned();
        let near = suggest(&missing, candidates.iter().copied()).map(str::to_owned);
        let pending = self.report(
            UnresolvedRef::META,
            ref_node,
            format!("`{text}` names no {} in the document", section.what()),
        );
        if let Some(near) = near {
            pending.help(format!("did you mean `{near}`?"));
        }
        None
    }

    fn lookup_indexed(&self, fragment: &str, section: Section) -> Option<Loc<'a>> {
        let container = section.container(self.dialect)?;
        let mut rest = fragment;
        for segment in container {
            rest = rest.strip_prefix('/')?.strip_prefix(segment)?;
        }
        let name = rest.strip_prefix('/')?;
        if name.contains('/') {
            return None;
        }
        let name = Pointer::from_escaped(format!("/{name}"))
            .segments()
            .next()?;
        self.index.get(section, &name)
    }

    fn refuse_url(&mut self, ref_node: &Loc<'_>, url: &str) {
        self.report(
            ExternalRefRefused::META,
            ref_node,
            format!("`{url}` is a URL; apigw does not fetch URLs, and API Gateway resolves no external references"),
        )
        .help("copy the referenced definition into the document (or bundle it) before importing");
    }

    fn refuse_outside(&mut self, ref_node: &Loc<'_>, path: &str) {
        self.report(
            ExternalRefRefused::META,
            ref_node,
            format!("`{path}` lies outside the document's directory; apigw reads only files below it"),
        )
        .help("move the referenced file below the document's directory, or bundle the document before importing");
    }

    /// Loads the file a `$ref` names, if it lies inside the document's directory tree.
    fn load_ref_file(&mut self, ref_node: &Loc<'_>, path: &str) -> Option<Arc<LoadedFile>> {
        let Some(resolved) = self.resolve_ref_path(ref_node, path) else {
            self.refuse_outside(ref_node, path);
            return None;
        };
        if self.session.world.is_dir(&resolved) {
            self.report(
                UnresolvedRef::META,
                ref_node,
                format!("`{path}` is a directory, not a file"),
            );
            return None;
        }
        let at = At::Node(ref_node.doc.file, ref_node.ptr.clone());
        let file = self.session.load(&resolved, Some(at))?;
        file.root.as_ref()?;
        Some(file)
    }

    /// The referenced path joined onto the referring file's directory, or `None` when it is
    /// absolute or climbs out of the document's directory tree.
    fn resolve_ref_path(&self, ref_node: &Loc<'_>, path: &str) -> Option<Utf8PathBuf> {
        let is_absolute =
            path.starts_with('/') || path.starts_with('\\') || path.chars().nth(1) == Some(':');
        if is_absolute {
            return None;
        }
        let from_dir = ref_node
            .doc
            .path
            .parent()
            .unwrap_or(camino::Utf8Path::new(""));
        let joined = from_dir.join(path);
        let normalized = normalize(joined.as_str());
        let root = normalize(self.root_dir.as_str());
        let inside = normalized.len() > root.len()
            && normalized.get(..root.len()) == Some(&root[..])
            && normalized.get(root.len()).map(String::as_str) != Some("..");
        let text = normalized.join("/");
        inside.then(|| {
            if joined.as_str().starts_with('/') {
                Utf8PathBuf::from(format!("/{text}"))
            } else {
                Utf8PathBuf::from(text)
            }
        })
    }

    /// A schema: a reference to a named model, or inline JSON with its references rewritten.
    pub fn schema(&mut self, loc: &Loc<'_>) -> Option<Schema> {
        self.schema_depth(loc, 0)
    }

    fn schema_depth(&mut self, loc: &Loc<'_>, depth: usize) -> Option<Schema> {
        let Some(ref_node) = loc.get("$ref") else {
            return Some(Schema::Inline {
                schema: self.schema_json(loc),
            });
        };
        let text = ref_node.as_str()?.to_owned();
        match parse_ref(&text, Section::Schemas, self.dialect) {
            RefTarget::Internal(fragment) if loc.doc.is_main => {
                if let Some(name) = schema_name(&fragment, self.dialect) {
                    if self.index.contains(Section::Schemas, &name) {
                        return Some(Schema::Model { name });
                    }
                    self.unknown_model(&ref_node, &text, &name);
                    return None;
                }
                if depth >= MAX_HOPS {
                    self.report(
                        RefCycle::META,
                        &ref_node,
                        format!("`{text}` leads back to itself without reaching a schema"),
                    );
                    return None;
                }
                let doc = loc.doc;
                let target = self.lookup(doc, &fragment, Section::Schemas, &ref_node)?;
                self.schema_depth(&target, depth + 1)
            }
            RefTarget::Internal(fragment) => {
                let target = self.lookup(loc.doc, &fragment, Section::Schemas, &ref_node)?;
                Some(Schema::Inline {
                    schema: target.node.to_json(),
                })
            }
            RefTarget::Url(url) => {
                self.refuse_url(&ref_node, &url);
                None
            }
            RefTarget::File { path, fragment } => {
                let file = self.load_ref_file(&ref_node, &path)?;
                let root_pointer = Pointer::root();
                let root = file.root.as_ref()?;
                let doc = Doc {
                    file: file.id,
                    path: &file.path,
                    root,
                    base: &root_pointer,
                    is_main: false,
                };
                let target = self.lookup(doc, &fragment, Section::Schemas, &ref_node)?;
                Some(Schema::Inline {
                    schema: target.node.to_json(),
                })
            }
        }
    }

    fn unknown_model(&mut self, ref_node: &Loc<'_>, text: &str, name: &str) {
        if self.augmented {
            return;
        }
        let names = self.index.names(Section::Schemas);
        let near = suggest(name, names.iter().copied()).map(str::to_owned);
        let pending = self.report(
            UnresolvedRef::META,
            ref_node,
            format!("`{text}` names no schema: there is no model `{name}`"),
        );
        if let Some(near) = near {
            pending.help(format!("did you mean `{near}`?"));
        }
    }

    /// The schema at `loc` as JSON, with every reference to a named schema written
    /// `#/components/schemas/<name>` and checked. Nothing is inlined, so recursive schemas stay
    /// finite.
    pub fn schema_json(&mut self, loc: &Loc<'_>) -> serde_json::Value {
        let mut path = Vec::new();
        self.schema_json_at(loc, loc.node, &mut path)
    }

    fn schema_json_at<'n>(
        &mut self,
        loc: &Loc<'_>,
        node: &'n Node,
        path: &mut Vec<Segment<'n>>,
    ) -> serde_json::Value {
        match &node.value {
            Value::Map(map) => {
                let mut object = serde_json::Map::with_capacity(map.entries.len());
                for entry in &map.entries {
                    path.push(Segment::Key(&entry.key));
                    let value = match (&entry.key[..], &entry.value.value) {
                        ("$ref", Value::String(text)) => {
                            serde_json::Value::String(self.rewrite_schema_ref(loc, path, text))
                        }
                        _ => self.schema_json_at(loc, &entry.value, path),
                    };
                    path.pop();
                    object.insert(entry.key.clone(), value);
                }
                serde_json::Value::Object(object)
            }
            Value::Seq(items) => serde_json::Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(position, item)| {
                        path.push(Segment::Index(position));
                        let value = self.schema_json_at(loc, item, path);
                        path.pop();
                        value
                    })
                    .collect(),
            ),
            _ => node.to_json(),
        }
    }

    fn rewrite_schema_ref(&mut self, loc: &Loc<'_>, path: &[Segment<'_>], text: &str) -> String {
        let pointer_to = |loc: &Loc<'_>| {
            let mut pointer = loc.ptr.clone();
            for segment in path {
                pointer = match segment {
                    Segment::Key(key) => pointer.join(key),
                    Segment::Index(position) => pointer.index(*position),
                };
            }
            pointer
        };
        match parse_ref(text, Section::Schemas, self.dialect) {
            RefTarget::Internal(fragment) if loc.doc.is_main => {
                if let Some(name) = schema_name(&fragment, self.dialect) {
                    if !self.index.contains(Section::Schemas, &name) {
                        let ref_loc = Loc::new(loc.doc, loc.node, pointer_to(loc));
                        self.unknown_model(&ref_loc, text, &name);
                    }
                    return model_ref(&name);
                }
                text.to_owned()
            }
            RefTarget::Url(url) => {
                let ref_loc = Loc::new(loc.doc, loc.node, pointer_to(loc));
                self.refuse_url(&ref_loc, &url);
                text.to_owned()
            }
            RefTarget::File { path, .. } => {
                let ref_loc = Loc::new(loc.doc, loc.node, pointer_to(loc));
                if self.resolve_ref_path(&ref_loc, &path).is_none() {
                    self.refuse_outside(&ref_loc, &path);
                }
                text.to_owned()
            }
            RefTarget::Internal(_) => text.to_owned(),
        }
    }
}

/// `#/components/schemas/<name>`, the one form model references take in the IR.
pub(super) fn model_ref(name: &str) -> String {
    let pointer = Pointer::root()
        .join("components")
        .join("schemas")
        .join(name);
    format!("#{}", pointer.as_str())
}

/// Splits a path into components, resolving `.` and `..` lexically; a `..` that climbs above
/// the start is kept, so that it can be seen.
fn normalize(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| last != "..") => {
                parts.pop();
            }
            other => parts.push(other.to_owned()),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_classified() {
        let oas = Dialect::OpenApi30;
        assert_eq!(
            parse_ref("#/components/schemas/Pet", Section::Schemas, oas),
            RefTarget::Internal("/components/schemas/Pet".into())
        );
        assert_eq!(
            parse_ref("Pet", Section::Schemas, Dialect::Swagger20),
            RefTarget::Internal("/definitions/Pet".into())
        );
        assert_eq!(
            parse_ref("https://x.example/pet.json", Section::Schemas, oas),
            RefTarget::Url("https://x.example/pet.json".into())
        );
        assert_eq!(
            parse_ref("./pet.yaml#/Pet", Section::Schemas, oas),
            RefTarget::File {
                path: "./pet.yaml".into(),
                fragment: "/Pet".into()
            }
        );
        assert_eq!(
            parse_ref("#/paths/~1pets%7Bid%7D", Section::PathItems, oas),
            RefTarget::Internal("/paths/~1pets{id}".into())
        );
    }

    #[test]
    fn paths_normalize_and_refuse_escapes() {
        assert_eq!(normalize("specs/./a/../b.yaml"), ["specs", "b.yaml"]);
        assert_eq!(normalize("a/../../b.yaml"), ["..", "b.yaml"]);
    }
}
