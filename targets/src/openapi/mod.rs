//! IR → OpenAPI 3.0 with API Gateway's `x-amazon-apigateway-*` extensions, as `aws apigateway
//! import-rest-api` and `aws apigatewayv2 import-api` accept it.
//!
//! [`document`] builds the document model and is shared by every target that embeds a spec
//! (CloudFormation `Body`, SAM `DefinitionBody`, Terraform `body`): each passes its own
//! [`RenderExpr`] to say how a deploy-time value is written. [`emit`] is the `openapi` target
//! itself, which leaves deploy-time values as `${name}` placeholders. Nothing here decides how an
//! API is deployed (stages, permissions): the document describes the API only.

mod document;

use apigw_compiler::ir::{Api, ApiKind, Expr, TemplatePart};
use camino::Utf8PathBuf;
use serde_json::{Map, Value};

use crate::{render, EmitError, Format, OutputFile, Warned, Warning};

pub use document::document;

/// How a target writes a deploy-time value inside the document.
pub trait RenderExpr {
    /// The JSON value standing for `expr` at the place `context` describes (for messages, e.g.
    /// "integration URI of GET /pets").
    fn render(&mut self, expr: &Expr, context: &str) -> Value;
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
    fn render(&mut self, expr: &Expr, context: &str) -> Value {
        match expr {
            Expr::Intrinsic { function, value } => {
                self.warnings.push(Warning::with_help(
                    format!("{context} is a CloudFormation `{function}`, which has no placeholder form; it is kept as an intrinsic"),
                    "the exported document imports only once that value is replaced by its text",
                ));
                let mut map = Map::new();
                map.insert(function.clone(), value.clone());
                Value::Object(map)
            }
            other => Value::String(placeholder_text(other)),
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
}
