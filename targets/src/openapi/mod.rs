//! IR → OpenAPI 3.0 with API Gateway's `x-amazon-apigateway-*` extensions, as `aws apigateway
//! import-rest-api` and `aws apigatewayv2 import-api` accept it.
//!
//! [`document`] builds the document model and is shared by every target that embeds a spec
//! (CloudFormation `Body`, SAM `DefinitionBody`, Terraform `body`): each passes its own
//! [`RenderExpr`] to say how a deploy-time value is written. [`emit`] is the `openapi` target
//! itself, which leaves deploy-time values as `${name}` placeholders (a resource attribute, which
//! has no placeholder form, as its CloudFormation intrinsic). Nothing here decides how an
//! API is deployed (stages, permissions): the document describes the API only.

mod document;

use apigw_compiler::ir::{Api, ApiKind, Expr, TemplatePart};
use camino::Utf8PathBuf;
use serde_json::{json, Map, Value};

use crate::{render, EmitError, Format, OutputFile, Warned, Warning};

pub(crate) use document::deployed_document;
pub use document::document;

/// How a target writes a deploy-time value inside the document.
pub trait RenderExpr {
    /// The JSON value standing for `expr` at the place `context` describes (for messages, e.g.
    /// "integration URI of GET /pets").
    fn render(&mut self, expr: &Expr, context: &str) -> Value;

    /// A copy that renders one part of a document on another thread, or `None` when this
    /// renderer works in order only. What the copy learns comes back through
    /// [`RenderExpr::join`].
    fn fork(&self) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }

    /// Takes back what `fork` (forked from this renderer, possibly before other forks were
    /// joined) learnt, as if its renders had been made here, now and in order. Returns false,
    /// changing nothing, when they could not have been (a name the fork chose is not the one
    /// this renderer would choose now): that part must then be rendered again here.
    fn join(&mut self, fork: Self) -> bool
    where
        Self: Sized,
    {
        drop(fork);
        false
    }
}

/// `render` of every item of `items` in order, with `exprs` — computed in chunks on all cores
/// with forks of `exprs` when it can fork, joined back in order, so the values and what `exprs`
/// learns are exactly those of the loop in order. A chunk whose fork cannot be joined is
/// rendered again in order.
pub(crate) fn render_all<'a, T: Sync, R: Send, E: RenderExpr + Send + Sync>(
    items: &'a [T],
    exprs: &mut E,
    render: impl Fn(&'a T, &mut E) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    /// Items per chunk: enough that forking (a copy of the parameters met so far) is cheap
    /// next to the work.
    const CHUNK: usize = 64;
    if items.len() <= CHUNK {
        return items.iter().map(|item| render(item, exprs)).collect();
    }
    let Some(forks) = items
        .chunks(CHUNK)
        .map(|_| exprs.fork())
        .collect::<Option<Vec<E>>>()
    else {
        return items.iter().map(|item| render(item, exprs)).collect();
    };
    let parts: Vec<(Vec<R>, E)> = items
        .par_chunks(CHUNK)
        .zip(forks)
        .map(|(chunk, mut fork)| {
            let values = chunk.iter().map(|item| render(item, &mut fork)).collect();
            (values, fork)
        })
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for ((values, fork), chunk) in parts.into_iter().zip(items.chunks(CHUNK)) {
        if exprs.join(fork) {
            out.extend(values);
        } else {
            out.extend(chunk.iter().map(|item| render(item, exprs)));
        }
    }
    out
}

/// Options of the `openapi` target.
#[derive(Clone, Debug, Default)]
pub struct OpenApiOptions {
    pub format: Format,
}

/// Writes deploy-time values as `${name}` placeholders, the form Terraform's `templatefile`
/// and `envsubst` fill in. Literal text that looks like a placeholder is escaped as `$${name}`
/// so that it stays literal.
#[derive(Debug, Default)]
pub struct Placeholders {
    /// Values that have no placeholder form (an `Fn::If`), kept verbatim; reported as warnings.
    pub warnings: Vec<Warning>,
}

impl RenderExpr for Placeholders {
    fn fork(&self) -> Option<Self> {
        Some(Placeholders::default())
    }

    /// Placeholders keep no names, only warnings, which follow in order.
    fn join(&mut self, mut fork: Self) -> bool {
        self.warnings.append(&mut fork.warnings);
        true
    }

    fn render(&mut self, expr: &Expr, context: &str) -> Value {
        if let Some(intrinsic) = intrinsic_form(expr) {
            let function = intrinsic
                .as_object()
                .and_then(|map| map.keys().next())
                .cloned()
                .unwrap_or_default();
            self.warnings.push(Warning::with_help(
                format!("{context} is a CloudFormation `{function}`, which has no placeholder form; it is kept as an intrinsic"),
                "the exported document imports only once that value is replaced by its text",
            ));
            return intrinsic;
        }
        Value::String(placeholder_text(expr))
    }
}

/// The CloudFormation intrinsic that stands for `expr` when a `${name}` placeholder cannot: a
/// `templatefile` variable is an identifier, so a resource attribute (`${Fn.Arn}`, which would
/// read back as API Gateway text), a `Fn::Sub` variable bound to an expression and any other
/// intrinsic (`Fn::If`) are kept as CloudFormation writes them, and read back as the same value.
fn intrinsic_form(expr: &Expr) -> Option<Value> {
    match expr {
        Expr::Literal { .. } | Expr::Ref { .. } => None,
        Expr::GetAtt {
            resource,
            attribute,
        } => Some(json!({"Fn::GetAtt": [resource, attribute]})),
        Expr::Intrinsic { function, value } => {
            let mut map = Map::new();
            map.insert(function.clone(), value.clone());
            Some(Value::Object(map))
        }
        Expr::Template { parts } => {
            if parts
                .iter()
                .all(|part| matches!(part, TemplatePart::Text { .. } | TemplatePart::Ref { .. }))
            {
                return None;
            }
            let mut text = String::new();
            let mut bindings = Map::new();
            for part in parts {
                match part {
                    // `Fn::Sub` reads `${!x}` as the literal `${x}`.
                    TemplatePart::Text { value } => text.push_str(&value.replace("${", "${!")),
                    TemplatePart::Ref { name } => text.push_str(&format!("${{{name}}}")),
                    TemplatePart::GetAtt {
                        resource,
                        attribute,
                    } => text.push_str(&format!("${{{resource}.{attribute}}}")),
                    TemplatePart::Bound { name, value } => {
                        text.push_str(&format!("${{{name}}}"));
                        let value = intrinsic_form(value).unwrap_or_else(|| match &**value {
                            Expr::Ref { name } => json!({"Ref": name}),
                            other => Value::String(placeholder_text(other)),
                        });
                        bindings.insert(name.clone(), value);
                    }
                }
            }
            Some(if bindings.is_empty() {
                json!({"Fn::Sub": text})
            } else {
                json!({"Fn::Sub": [text, bindings]})
            })
        }
    }
}

/// The text of `expr` with every deploy-time part as `${name}`.
pub fn placeholder_text(expr: &Expr) -> String {
    match expr {
        Expr::Literal { value } => escape_placeholders(value),
        Expr::Template { parts } => parts
            .iter()
            .map(|part| match part {
                TemplatePart::Text { value } => escape_placeholders(value),
                other => Expr::Template {
                    parts: vec![other.clone()],
                }
                .display_text(),
            })
            .collect(),
        other => other.display_text(),
    }
}

/// `${name}` in literal text would read back as a placeholder: write `$${name}`. API Gateway's
/// own `${stageVariables.x}` has a dot and is never read as a placeholder.
fn escape_placeholders(text: &str) -> String {
    if !text.contains("${") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let inner = after
            .get(2..)
            .and_then(|tail| tail.find('}').and_then(|end| tail.get(..end)));
        if inner.is_some_and(is_placeholder_name) || before.ends_with('$') {
            out.push('$');
        }
        out.push_str("${");
        rest = after.get(2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// What `templatefile` substitutes: an identifier (letters, digits, `_`, `-`), no dots.
pub(crate) fn is_placeholder_name(name: &str) -> bool {
    let name = name.trim();
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The `openapi` target: one document per REST or HTTP API, named after the API.
pub fn emit(apis: &[Api], opts: &OpenApiOptions) -> Result<Warned<Vec<OutputFile>>, EmitError> {
    if apis.is_empty() {
        return Err(EmitError::NoApi);
    }
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for api in apis {
        if api.kind == ApiKind::Websocket {
            return Err(EmitError::Unsupported {
                kind: "WebSocket",
                target: "openapi",
                reason: "API Gateway has no OpenAPI form for WebSocket APIs; build it with --target cloudformation",
            });
        }
        let mut placeholders = Placeholders::default();
        let value = document(api, &mut placeholders);
        warnings.append(&mut placeholders.warnings);
        let stem = if apis.len() == 1 {
            "openapi".to_owned()
        } else {
            format!("{}.openapi", crate::cloudformation::names::file_stem(api))
        };
        files.push(OutputFile {
            path: Utf8PathBuf::from(format!("{stem}.{}", opts.format.extension())),
            contents: render(&value, opts.format, false, "OpenAPI")?,
        });
        crate::drop_in_background(value);
    }
    let mut warned = Warned::new(files);
    warned.warnings = warnings;
    Ok(warned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_placeholders_are_escaped() {
        assert_eq!(escape_placeholders("${name}"), "$${name}");
        assert_eq!(
            escape_placeholders("https://${stageVariables.host}/x"),
            "https://${stageVariables.host}/x"
        );
        assert_eq!(escape_placeholders("$${x}"), "$$${x}");
        assert_eq!(escape_placeholders("no placeholders"), "no placeholders");
    }

    #[test]
    fn templates_become_placeholders() {
        let expr = Expr::Template {
            parts: vec![
                TemplatePart::Text {
                    value: "arn:aws:apigateway:".into(),
                },
                TemplatePart::Ref {
                    name: "region".into(),
                },
                TemplatePart::Text {
                    value: ":lambda:path/functions/".into(),
                },
                TemplatePart::GetAtt {
                    resource: "Fn".into(),
                    attribute: "Arn".into(),
                },
            ],
        };
        assert_eq!(
            placeholder_text(&expr),
            "arn:aws:apigateway:${region}:lambda:path/functions/${Fn.Arn}"
        );
    }

    #[test]
    fn resource_attributes_stay_intrinsics() {
        let mut placeholders = Placeholders::default();
        let uri = Expr::Template {
            parts: vec![
                TemplatePart::Text {
                    value: "arn:aws:apigateway:".into(),
                },
                TemplatePart::Ref {
                    name: "AWS::Region".into(),
                },
                TemplatePart::Text {
                    value: ":lambda:path/functions/".into(),
                },
                TemplatePart::GetAtt {
                    resource: "Fn".into(),
                    attribute: "Arn".into(),
                },
                TemplatePart::Text {
                    value: "/invocations?${stageVariables.alias}".into(),
                },
            ],
        };
        assert_eq!(
            placeholders.render(&uri, "URI"),
            json!({"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/functions/${Fn.Arn}/invocations?${!stageVariables.alias}"})
        );
        let role = Expr::GetAtt {
            resource: "Role".into(),
            attribute: "Arn".into(),
        };
        assert_eq!(
            placeholders.render(&role, "role"),
            json!({"Fn::GetAtt": ["Role", "Arn"]})
        );
        assert_eq!(placeholders.warnings.len(), 2);
        let plain = Expr::Ref {
            name: "lambda_arn".into(),
        };
        assert_eq!(placeholders.render(&plain, "URI"), json!("${lambda_arn}"));
        assert_eq!(placeholders.warnings.len(), 2);
    }
}
