//! Deploy-time values: CloudFormation intrinsics (`{"Ref": …}`, `{"Fn::Sub": …}`, the short-form
//! tags the YAML loader already turned into those maps) and Terraform `templatefile`
//! placeholders (`${lambda_arn}`) become [`Expr`]s. API Gateway's own `${stageVariables.x}` and
//! `${context.x}` stay literal text.

use crate::ir::{Expr, TemplatePart};
use crate::load::tree::{Node, Value};

/// Whether `node` is a one-key map naming a CloudFormation intrinsic function.
pub(crate) fn intrinsic_name(node: &Node) -> Option<&str> {
    let map = node.as_map()?;
    if map.len() != 1 {
        return None;
    }
    let key = map.entries.first()?.key.as_str();
    (key == "Ref" || key == "Condition" || key.starts_with("Fn::")).then_some(key)
}

/// Lowers a scalar or intrinsic into an [`Expr`]. Strings are scanned for `templatefile`
/// placeholders. `None` when the node is neither a scalar nor an intrinsic.
pub(crate) fn lower(node: &Node) -> Option<Expr> {
    match &node.value {
        Value::String(text) => Some(from_plain_string(text)),
        Value::Number(number) => Some(Expr::literal(number.to_string())),
        Value::Bool(value) => Some(Expr::literal(value.to_string())),
        Value::Map(map) => {
            let function = intrinsic_name(node)?;
            let argument = &map.entries.first()?.value;
            Some(lower_intrinsic(function, argument))
        }
        Value::Null | Value::Seq(_) => None,
    }
}

fn lower_intrinsic(function: &str, argument: &Node) -> Expr {
    match (function, &argument.value) {
        ("Ref", Value::String(name)) => Expr::Ref { name: name.clone() },
        ("Fn::GetAtt", Value::Seq(items)) if items.len() == 2 => {
            match (
                items.first().and_then(Node::as_str),
                items.get(1).and_then(Node::as_str),
            ) {
                (Some(resource), Some(attribute)) => Expr::GetAtt {
                    resource: resource.to_owned(),
                    attribute: attribute.to_owned(),
                },
                _ => opaque(function, argument),
            }
        }
        ("Fn::GetAtt", Value::String(text)) => match text.split_once('.') {
            Some((resource, attribute)) => Expr::GetAtt {
                resource: resource.to_owned(),
                attribute: attribute.to_owned(),
            },
            None => opaque(function, argument),
        },
        ("Fn::Sub", Value::String(template)) => sub_template(template, &[]),
        ("Fn::Sub", Value::Seq(items)) => {
            let template = items.first().and_then(Node::as_str);
            let bindings: Vec<(String, Expr)> = items
                .get(1)
                .and_then(Node::as_map)
                .map(|map| {
                    map.iter()
                        .filter_map(|(name, value)| Some((name.to_owned(), lower(value)?)))
                        .collect()
                })
                .unwrap_or_default();
            match template {
                Some(template) if items.len() <= 2 => sub_template(template, &bindings),
                _ => opaque(function, argument),
            }
        }
        _ => opaque(function, argument),
    }
}

fn opaque(function: &str, argument: &Node) -> Expr {
    Expr::Intrinsic {
        function: function.to_owned(),
        value: argument.to_json(),
    }
}

/// Splits a `Fn::Sub` template: `${Name}` is a reference, `${Res.Attr}` a `GetAtt`, `${!Text}`
/// the literal `${Text}`.
fn sub_template(template: &str, bindings: &[(String, Expr)]) -> Expr {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        text.push_str(before);
        let after = after.get(2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            text.push_str("${");
            rest = after;
            continue;
        };
        let inner = after.get(..end).unwrap_or_default();
        rest = after.get(end + 1..).unwrap_or_default();
        if let Some(literal) = inner.strip_prefix('!') {
            text.push_str("${");
            text.push_str(literal);
            text.push('}');
            continue;
        }
        flush(&mut parts, &mut text);
        let name = inner.trim();
        if let Some((_, value)) = bindings.iter().find(|(bound, _)| bound == name) {
            parts.push(TemplatePart::Bound {
                name: name.to_owned(),
                value: Box::new(value.clone()),
            });
        } else if let Some((resource, attribute)) =
            name.split_once('.').filter(|_| !name.contains("::"))
        {
            parts.push(TemplatePart::GetAtt {
                resource: resource.to_owned(),
                attribute: attribute.to_owned(),
            });
        } else {
            parts.push(TemplatePart::Ref {
                name: name.to_owned(),
            });
        }
    }
    text.push_str(rest);
    flush(&mut parts, &mut text);
    simplify(parts)
}

/// A plain string in a spec: `${name}` (an identifier, no dots) is a `templatefile` variable
/// and `${AWS::Region}` (a pseudo parameter) a stack's value;
/// `$${x}` is Terraform's escape for a literal `${x}`; everything else, including API Gateway's
/// `${stageVariables.x}` and `${context.x}`, is text.
pub(crate) fn from_plain_string(value: &str) -> Expr {
    if !value.contains("${") {
        return Expr::literal(value);
    }
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        if before.ends_with('$') {
            // `$${x}`: Terraform's escape; the text is a literal `${x}`.
            text.push_str(before.get(..before.len() - 1).unwrap_or_default());
            text.push_str("${");
            rest = after.get(2..).unwrap_or_default();
            continue;
        }
        text.push_str(before);
        let after = after.get(2..).unwrap_or_default();
        let end = after.find('}');
        let inner = end.and_then(|end| after.get(..end)).unwrap_or_default();
        if end.is_some() && is_template_variable(inner.trim()) {
            flush(&mut parts, &mut text);
            parts.push(TemplatePart::Ref {
                name: inner.trim().to_owned(),
            });
            rest = end.and_then(|end| after.get(end + 1..)).unwrap_or_default();
        } else {
            text.push_str("${");
            rest = after;
        }
    }
    text.push_str(rest);
    flush(&mut parts, &mut text);
    simplify(parts)
}

/// A Terraform identifier: what `templatefile` substitutes, or a CloudFormation pseudo
/// parameter. Names with a dot (`stageVariables.x`) belong to API Gateway.
fn is_template_variable(name: &str) -> bool {
    if crate::ir::PSEUDO_PARAMETERS.contains(&name) {
        return true;
    }
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn flush(parts: &mut Vec<TemplatePart>, text: &mut String) {
    if !text.is_empty() {
        parts.push(TemplatePart::Text {
            value: std::mem::take(text),
        });
    }
}

fn simplify(mut parts: Vec<TemplatePart>) -> Expr {
    match parts.len() {
        0 => Expr::literal(""),
        1 => match parts.pop() {
            Some(TemplatePart::Text { value }) => Expr::Literal { value },
            Some(TemplatePart::Ref { name }) => Expr::Ref { name },
            Some(TemplatePart::GetAtt {
                resource,
                attribute,
            }) => Expr::GetAtt {
                resource,
                attribute,
            },
            Some(part) => Expr::Template { parts: vec![part] },
            None => Expr::literal(""),
        },
        _ => Expr::Template { parts },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_keep_api_gateway_placeholders() {
        assert_eq!(
            from_plain_string("${lambda_arn}"),
            Expr::Ref {
                name: "lambda_arn".into()
            }
        );
        assert_eq!(
            from_plain_string("https://${stageVariables.host}/x"),
            Expr::literal("https://${stageVariables.host}/x")
        );
        assert_eq!(
            from_plain_string("$${literal}"),
            Expr::literal("${literal}")
        );
        let Expr::Template { parts } = from_plain_string(
            "arn:aws:apigateway:${region}:lambda:path/functions/${fn}/invocations",
        ) else {
            panic!("expected a template");
        };
        assert_eq!(parts.len(), 5);
    }

    #[test]
    fn sub_templates_split_refs_getatts_and_escapes() {
        let expr = sub_template(
            "arn:${AWS::Partition}:x/${Fn.Arn}/${!stageVariables.v}",
            &[],
        );
        assert_eq!(
            expr,
            Expr::Template {
                parts: vec![
                    TemplatePart::Text {
                        value: "arn:".into()
                    },
                    TemplatePart::Ref {
                        name: "AWS::Partition".into()
                    },
                    TemplatePart::Text {
                        value: ":x/".into()
                    },
                    TemplatePart::GetAtt {
                        resource: "Fn".into(),
                        attribute: "Arn".into()
                    },
                    TemplatePart::Text {
                        value: "/${stageVariables.v}".into()
                    },
                ]
            }
        );
    }
}
