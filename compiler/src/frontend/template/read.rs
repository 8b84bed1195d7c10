//! Typed reads of template properties. A value of the wrong JSON type is reported (`wrong-type`,
//! at its pointer) and read as absent; an intrinsic function where structure is needed is a
//! deploy-time value and is read as absent without a report. Nothing here panics or recurses
//! without bound.

use indexmap::IndexMap;

use crate::diagnostic::{At, Pending};
use crate::frontend::{expr, Session};
use crate::ir::{Expr, Origin, Spanned, Tag, TemplatePart};
use crate::load::tree::{Node, Value};
use crate::rules::{structure, RuleMeta};
use crate::source::FileId;

use super::stack::{reference, Prop, Stack};

/// The lowering's hold on the session: where diagnostics go, and the template's file.
pub(super) struct Cx<'s, 'w> {
    pub session: &'s mut Session<'w>,
    pub file: FileId,
}

/// "an object", "a string" … for messages.
fn article(kind: &str) -> String {
    match kind {
        "object" | "array" => format!("an {kind}"),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    }
}

impl Cx<'_, '_> {
    pub fn origin(&self, prop: &Prop<'_>) -> Origin {
        Origin::new(self.file, prop.pointer.clone())
    }

    pub fn spanned<T>(&self, value: T, prop: &Prop<'_>) -> Spanned<T> {
        Spanned::new(value, self.origin(prop))
    }

    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        prop: &Prop<'_>,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.session
            .report
            .push_at(rule, At::Node(self.file, prop.pointer.clone()), message)
    }

    /// Reports that `prop` should have been `expected` ("a string", "an object" …).
    pub fn wrong_type(&mut self, prop: &Prop<'_>, expected: &str) {
        let found = article(prop.node.kind_name());
        let name = prop.name();
        self.report(
            structure::WrongType::META,
            prop,
            format!("`{name}` is {found}; it must be {expected}"),
        )
        .help(format!(
            "write {expected} here, or an intrinsic function such as `!Ref` or `!Sub`"
        ));
    }

    /// A scalar as text, or a deploy-time value shown as `${Name}` (for IR fields that hold
    /// text, such as a stage name written `!Ref StageName`).
    pub fn text(&mut self, prop: &Prop<'_>) -> Option<String> {
        if let Some(text) = prop.node.scalar_text() {
            return Some(text);
        }
        if prop.intrinsic().is_some() {
            return lower_expr(prop.node).map(|expr| expr.display_text());
        }
        if !prop.node.is_null() {
            self.wrong_type(prop, "a string");
        }
        None
    }

    /// A name the IR keeps as text (a stage name): a `!Ref` of a template parameter reads as
    /// the parameter's `Default`, the value that deploys unless the stack overrides it; other
    /// deploy-time values are shown as `${Name}`.
    pub fn name(&mut self, stack: &Stack<'_>, prop: &Prop<'_>) -> Option<String> {
        if let Some((id, None)) = reference(prop.node) {
            if let Some(default) = stack.parameter_default(id) {
                return Some(default);
            }
        }
        self.text(prop)
    }

    /// A scalar as text; a deploy-time value is `None` (not reported).
    pub fn literal(&mut self, prop: &Prop<'_>) -> Option<String> {
        if let Some(text) = prop.node.scalar_text() {
            return Some(text);
        }
        if prop.intrinsic().is_none() && !prop.node.is_null() {
            self.wrong_type(prop, "a string");
        }
        None
    }

    /// A scalar or intrinsic as an expression.
    pub fn expr(&mut self, prop: &Prop<'_>) -> Option<Expr> {
        match lower_expr(prop.node) {
            Some(expr) => Some(expr),
            None => {
                if !prop.node.is_null() {
                    self.wrong_type(prop, "a string");
                }
                None
            }
        }
    }

    pub fn spanned_text(&mut self, prop: &Prop<'_>) -> Option<Spanned<String>> {
        let text = self.text(prop)?;
        Some(self.spanned(text, prop))
    }

    pub fn spanned_expr(&mut self, prop: &Prop<'_>) -> Option<Spanned<Expr>> {
        let expr = self.expr(prop)?;
        Some(self.spanned(expr, prop))
    }

    /// A boolean; CloudFormation also takes the strings `"true"` and `"false"`.
    pub fn boolean(&mut self, prop: &Prop<'_>) -> Option<bool> {
        match &prop.node.value {
            Value::Bool(value) => Some(*value),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            Value::Null => None,
            _ if prop.intrinsic().is_some() => None,
            _ => {
                self.wrong_type(prop, "a boolean");
                None
            }
        }
    }

    /// A whole number; CloudFormation also takes it as a string.
    pub fn integer(&mut self, prop: &Prop<'_>) -> Option<i64> {
        match &prop.node.value {
            Value::Number(number) => {
                let whole = number.as_i64().or_else(|| {
                    number
                        .as_f64()
                        .filter(|f| f.fract() == 0.0)
                        .map(|f| f as i64)
                });
                if whole.is_none() {
                    self.wrong_type(prop, "a whole number");
                }
                whole
            }
            Value::String(text) => match text.trim().parse::<i64>() {
                Ok(value) => Some(value),
                Err(_) => {
                    self.wrong_type(prop, "a whole number");
                    None
                }
            },
            Value::Null => None,
            _ if prop.intrinsic().is_some() => None,
            _ => {
                self.wrong_type(prop, "a whole number");
                None
            }
        }
    }

    pub fn number(&mut self, prop: &Prop<'_>) -> Option<f64> {
        match &prop.node.value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => match text.trim().parse::<f64>() {
                Ok(value) if value.is_finite() => Some(value),
                _ => {
                    self.wrong_type(prop, "a number");
                    None
                }
            },
            Value::Null => None,
            _ if prop.intrinsic().is_some() => None,
            _ => {
                self.wrong_type(prop, "a number");
                None
            }
        }
    }

    /// The entries of an object.
    pub fn map<'t>(&mut self, prop: &Prop<'t>) -> Option<Vec<(&'t str, Prop<'t>)>> {
        if prop.intrinsic().is_some() || prop.node.is_null() {
            return None;
        }
        if prop.node.as_map().is_none() {
            self.wrong_type(prop, "an object");
            return None;
        }
        Some(prop.entries())
    }

    /// The items of an array.
    pub fn list<'t>(&mut self, prop: &Prop<'t>) -> Option<Vec<Prop<'t>>> {
        if prop.intrinsic().is_some() || prop.node.is_null() {
            return None;
        }
        if prop.node.as_seq().is_none() {
            self.wrong_type(prop, "an array");
            return None;
        }
        Some(prop.items())
    }

    /// An array of strings (each shown as text when deploy-time).
    pub fn text_list(&mut self, prop: &Prop<'_>) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        for item in self.list(prop).unwrap_or_default() {
            if let Some(text) = self.spanned_text(&item) {
                out.push(text);
            }
        }
        out
    }

    /// An array of strings, or one string (SAM accepts either in several places).
    pub fn text_or_list(&mut self, prop: &Prop<'_>) -> Vec<Spanned<String>> {
        if prop.node.as_seq().is_some() {
            self.text_list(prop)
        } else {
            self.spanned_text(prop).into_iter().collect()
        }
    }

    pub fn expr_list(&mut self, prop: &Prop<'_>) -> Vec<Spanned<Expr>> {
        let mut out = Vec::new();
        for item in self.list(prop).unwrap_or_default() {
            if let Some(expr) = self.spanned_expr(&item) {
                out.push(expr);
            }
        }
        out
    }

    /// An object of strings.
    pub fn text_map(&mut self, prop: &Prop<'_>) -> IndexMap<String, Spanned<String>> {
        let mut out = IndexMap::new();
        for (key, value) in self.map(prop).unwrap_or_default() {
            if let Some(text) = self.spanned_text(&value) {
                out.insert(key.to_owned(), text);
            }
        }
        out
    }

    /// An object of deploy-time values (stage variables).
    pub fn expr_map(&mut self, prop: &Prop<'_>) -> IndexMap<String, Expr> {
        let mut out = IndexMap::new();
        for (key, value) in self.map(prop).unwrap_or_default() {
            if let Some(expr) = self.expr(&value) {
                out.insert(key.to_owned(), expr);
            }
        }
        out
    }

    /// Tags: a CloudFormation list of `{Key, Value}`, or a SAM/ApiGatewayV2 map.
    pub fn tags(&mut self, prop: &Prop<'_>) -> Vec<Tag> {
        let mut out = Vec::new();
        if prop.node.as_seq().is_some() {
            for item in prop.items() {
                if item.intrinsic().is_some() {
                    continue;
                }
                if item.node.as_map().is_none() {
                    self.wrong_type(&item, "an object");
                    continue;
                }
                let key = item.get("Key").and_then(|key| self.text(&key));
                let value = item.get("Value").and_then(|value| self.expr(&value));
                if let (Some(key), Some(value)) = (key, value) {
                    out.push(Tag { key, value });
                }
            }
        } else {
            for (key, value) in self.map(prop).unwrap_or_default() {
                if let Some(value) = self.expr(&value) {
                    out.push(Tag {
                        key: key.to_owned(),
                        value,
                    });
                }
            }
        }
        out
    }
}

/// Lowers a scalar or intrinsic. `Fn::Join` of text and simple references becomes a template,
/// so that an integration URI written with `!Join` is read like one written with `!Sub`.
pub(super) fn lower_expr(node: &Node) -> Option<Expr> {
    if expr::intrinsic_name(node) == Some("Fn::Join") {
        if let Some(joined) = node.get("Fn::Join").and_then(join_template) {
            return Some(joined);
        }
    }
    expr::lower(node)
}

/// `Fn::Join: [delimiter, [parts…]]` as a template, when every part is text, a `Ref`, a
/// `GetAtt` or a `Fn::Sub`.
fn join_template(argument: &Node) -> Option<Expr> {
    let items = argument.as_seq()?;
    let [delimiter, parts] = items else {
        return None;
    };
    let delimiter = delimiter.scalar_text()?;
    let mut out: Vec<TemplatePart> = Vec::new();
    for (index, part) in parts.as_seq()?.iter().enumerate() {
        if index > 0 && !delimiter.is_empty() {
            out.push(TemplatePart::Text {
                value: delimiter.clone(),
            });
        }
        if expr::intrinsic_name(part)
            .is_some_and(|name| name != "Ref" && name != "Fn::GetAtt" && name != "Fn::Sub")
        {
            return None;
        }
        match expr::lower(part)? {
            Expr::Literal { value } => out.push(TemplatePart::Text { value }),
            Expr::Ref { name } => out.push(TemplatePart::Ref { name }),
            Expr::GetAtt {
                resource,
                attribute,
            } => out.push(TemplatePart::GetAtt {
                resource,
                attribute,
            }),
            Expr::Template { parts } => out.extend(parts),
            Expr::Intrinsic { .. } => return None,
        }
    }
    Some(simplify(out))
}

/// Adjacent text parts merged; a single part unwrapped.
fn simplify(parts: Vec<TemplatePart>) -> Expr {
    let mut merged: Vec<TemplatePart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (merged.last_mut(), part) {
            (Some(TemplatePart::Text { value: last }), TemplatePart::Text { value }) => {
                last.push_str(&value);
            }
            (_, part) => merged.push(part),
        }
    }
    match merged.as_slice() {
        [] => Expr::literal(""),
        [TemplatePart::Text { value }] => Expr::literal(value.clone()),
        [TemplatePart::Ref { name }] => Expr::Ref { name: name.clone() },
        [TemplatePart::GetAtt {
            resource,
            attribute,
        }] => Expr::GetAtt {
            resource: resource.clone(),
            attribute: attribute.clone(),
        },
        _ => Expr::Template { parts: merged },
    }
}

/// The plain JSON of a node whose value is a document (a policy, a model schema): an object as
/// it is, a string parsed as JSON when it is JSON, else kept as the string.
pub(super) fn document(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::String(text) => {
            serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.clone()))
        }
        _ => node.to_json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::tree::{Entry, Map, Span};

    fn node(value: Value) -> Node {
        Node::new(value, Span::default())
    }

    fn string(text: &str) -> Node {
        node(Value::String(text.to_owned()))
    }

    fn single(key: &str, value: Node) -> Node {
        node(Value::Map(Map {
            entries: vec![Entry {
                key: key.to_owned(),
                key_span: Span::default(),
                value,
            }],
        }))
    }

    #[test]
    fn joins_of_text_and_references_become_templates() {
        let join = single(
            "Fn::Join",
            node(Value::Seq(vec![
                string("/"),
                node(Value::Seq(vec![
                    string("integrations"),
                    single("Ref", string("ConnectInteg")),
                ])),
            ])),
        );
        assert_eq!(
            lower_expr(&join),
            Some(Expr::Template {
                parts: vec![
                    TemplatePart::Text {
                        value: "integrations/".into()
                    },
                    TemplatePart::Ref {
                        name: "ConnectInteg".into()
                    },
                ]
            })
        );
        let opaque = single(
            "Fn::Join",
            node(Value::Seq(vec![
                string(""),
                node(Value::Seq(vec![single("Fn::If", node(Value::Seq(vec![])))])),
            ])),
        );
        assert!(matches!(lower_expr(&opaque), Some(Expr::Intrinsic { .. })));
    }
}
