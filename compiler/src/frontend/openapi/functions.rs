//! Lambda functions named by integration and authorizer URIs. A URI of the form
//! `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations`
//! (or, for HTTP APIs, a bare function ARN) registers one [`Function`] in the API, found by the
//! way the function ARN is written: a literal ARN, a parameter or `templatefile` variable, a
//! resource of the same stack, or some other deploy-time expression.
//!
//! Only the URI is read; whether the integration may invoke Lambda at all is left to the rules.

use crate::ir::{Expr, Function, FunctionBinding, Origin, TemplatePart};

use super::reader::Cx;

/// One piece of a URI: known text, or a deploy-time part.
#[derive(Clone, Debug)]
enum Piece<'e> {
    Text(String),
    Part(&'e TemplatePart),
}

/// Registers the function `uri` invokes, if it invokes one, and returns its name.
pub(super) fn register(cx: &mut Cx<'_, '_>, uri: &Expr, origin: &Origin) -> Option<String> {
    let (name, binding) = function_of(cx, uri)?;
    match resolve(cx, &name, &binding) {
        Resolved::Known(candidate) => Some(candidate),
        Resolved::New(candidate) => {
            let function = Function {
                origin: origin.clone(),
                name: candidate.clone(),
                binding,
                local: None,
                timeout_seconds: None,
            };
            add(cx, function, name);
            Some(candidate)
        }
    }
}

/// Registers `function`, named as [`resolve`] said, that was asked for as `request`.
pub(super) fn add(cx: &mut Cx<'_, '_>, function: Function, request: String) {
    cx.function_index
        .insert(function.name.clone(), cx.functions.len());
    cx.functions.push(function);
    cx.function_requests.push(request);
}

/// The name a function asked for as `name` with `binding` has among those registered.
pub(super) enum Resolved {
    /// Registered already, under this name.
    Known(String),
    /// Not yet; this is the name it gets.
    New(String),
}

/// The same name with a different binding (two aliases of one function) gets a numbered
/// suffix; the same binding again is the same function.
pub(super) fn resolve(cx: &Cx<'_, '_>, name: &str, binding: &FunctionBinding) -> Resolved {
    let mut candidate = name.to_owned();
    let mut counter = 2;
    loop {
        let existing = cx
            .function_index
            .get(&candidate)
            .and_then(|position| cx.functions.get(*position));
        match existing {
            Some(function) if function.binding == *binding => return Resolved::Known(candidate),
            Some(_) => {
                candidate = format!("{name}-{counter}");
                counter += 1;
            }
            None => return Resolved::New(candidate),
        }
    }
}

fn function_of(cx: &Cx<'_, '_>, uri: &Expr) -> Option<(String, FunctionBinding)> {
    match uri {
        // A whole deploy-time value: the function (or its invocation URI) is bound by name.
        Expr::Ref { name } => Some((name.clone(), binding_for_ref(cx, name))),
        Expr::GetAtt { resource, .. } => Some((
            resource.clone(),
            FunctionBinding::StackResource {
                logical_id: resource.clone(),
            },
        )),
        Expr::Literal { value } => {
            let pieces = vec![Piece::Text(value.clone())];
            classify(cx, &function_part(&pieces)?)
        }
        Expr::Template { parts } => {
            let pieces: Vec<Piece<'_>> = parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Text { value } => Piece::Text(value.clone()),
                    other => Piece::Part(other),
                })
                .collect();
            classify(cx, &function_part(&pieces)?)
        }
        Expr::Intrinsic { .. } => None,
    }
}

/// The pieces that make up the function ARN inside a Lambda invocation URI, or the whole URI
/// when it is itself a function ARN.
fn function_part<'e>(pieces: &[Piece<'e>]) -> Option<Vec<Piece<'e>>> {
    let text: String = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.as_str(),
            Piece::Part(_) => "\u{1}",
        })
        .collect();
    let (start, end) = if let Some(path_at) = text.find(":lambda:path/") {
        let after_path = path_at + ":lambda:path/".len();
        let functions_at = after_path + text.get(after_path..)?.find("/functions/")?;
        let start = functions_at + "/functions/".len();
        let rest = text.get(start..)?;
        let end = start
            + rest
                .find("/invocations")
                .or_else(|| rest.find("/response-streaming-invocations"))?;
        (start, end)
    } else if text.starts_with("arn:") && text.contains(":lambda:") && text.contains(":function:") {
        (0, text.len())
    } else {
        return None;
    };
    // Map the byte range back onto the pieces.
    let mut out = Vec::new();
    let mut offset = 0;
    for piece in pieces {
        let length = match piece {
            Piece::Text(text) => text.len(),
            Piece::Part(_) => 1,
        };
        let (piece_start, piece_end) = (offset, offset + length);
        offset = piece_end;
        if piece_end <= start || piece_start >= end {
            continue;
        }
        match piece {
            Piece::Text(text) => {
                let from = start.saturating_sub(piece_start);
                let to = end.min(piece_end) - piece_start;
                out.push(Piece::Text(text.get(from..to)?.to_owned()));
            }
            Piece::Part(part) => out.push(Piece::Part(part)),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Name and binding of a function ARN written as `pieces`.
fn classify(cx: &Cx<'_, '_>, pieces: &[Piece<'_>]) -> Option<(String, FunctionBinding)> {
    match pieces {
        [Piece::Part(part)] => Some(classify_part(cx, part)),
        [Piece::Text(arn)] => {
            let name = name_in_arn(arn);
            if arn.contains("${") {
                // `function:${stageVariables.fn}`: chosen per stage at runtime.
                Some((
                    derived_name(&name),
                    FunctionBinding::Expr {
                        value: Expr::literal(arn.clone()),
                    },
                ))
            } else {
                Some((name, FunctionBinding::Arn { arn: arn.clone() }))
            }
        }
        _ => {
            let value = Expr::Template {
                parts: pieces
                    .iter()
                    .map(|piece| match piece {
                        Piece::Text(text) => TemplatePart::Text {
                            value: text.clone(),
                        },
                        Piece::Part(part) => (*part).clone(),
                    })
                    .collect(),
            };
            let name = name_of_mixed(pieces);
            Some((name, FunctionBinding::Expr { value }))
        }
    }
}

fn classify_part(cx: &Cx<'_, '_>, part: &TemplatePart) -> (String, FunctionBinding) {
    match part {
        TemplatePart::Ref { name } => (name.clone(), binding_for_ref(cx, name)),
        TemplatePart::GetAtt { resource, .. } => (
            resource.clone(),
            FunctionBinding::StackResource {
                logical_id: resource.clone(),
            },
        ),
        TemplatePart::Bound { name, value } => match value.as_ref() {
            Expr::Ref { name: target } => (target.clone(), binding_for_ref(cx, target)),
            Expr::GetAtt { resource, .. } => (
                resource.clone(),
                FunctionBinding::StackResource {
                    logical_id: resource.clone(),
                },
            ),
            other => (
                name.clone(),
                FunctionBinding::Expr {
                    value: other.clone(),
                },
            ),
        },
        TemplatePart::Text { value } => (
            name_in_arn(value),
            FunctionBinding::Arn { arn: value.clone() },
        ),
    }
}

/// `${Name}`: a resource of the embedding template, else a parameter (of the template, or a
/// `templatefile` variable).
fn binding_for_ref(cx: &Cx<'_, '_>, name: &str) -> FunctionBinding {
    let is_resource = cx
        .template
        .and_then(|template| template.get("Resources"))
        .and_then(|resources| resources.get(name))
        .is_some();
    if is_resource {
        FunctionBinding::StackResource {
            logical_id: name.to_owned(),
        }
    } else {
        FunctionBinding::Parameter {
            name: name.to_owned(),
        }
    }
}

/// The function name in `arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]`.
fn name_in_arn(arn: &str) -> String {
    match arn.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest).to_owned(),
        None => arn.rsplit([':', '/']).next().unwrap_or(arn).to_owned(),
    }
}

/// A stable name for a function chosen by stage variable: `${stageVariables.fn}` → `fn`.
fn derived_name(text: &str) -> String {
    let mut out = text
        .replace("${stageVariables.", "")
        .replace(['{', '}', '$'], "");
    if out.is_empty() {
        out = "function".to_owned();
    }
    out
}

/// The name in a function ARN made of text and deploy-time parts: the text after `function:`,
/// or the name of the part standing there.
fn name_of_mixed(pieces: &[Piece<'_>]) -> String {
    let mut after_function = false;
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                if let Some((_, rest)) = text.split_once("function:") {
                    let name = rest.split(':').next().unwrap_or_default();
                    if !name.is_empty() {
                        return derived_name(name);
                    }
                    after_function = true;
                } else if after_function {
                    let name = text.split(':').next().unwrap_or_default();
                    if !name.is_empty() {
                        return derived_name(name);
                    }
                }
            }
            Piece::Part(part) if after_function => {
                return match part {
                    TemplatePart::Ref { name } | TemplatePart::Bound { name, .. } => name.clone(),
                    TemplatePart::GetAtt { resource, .. } => resource.clone(),
                    TemplatePart::Text { value } => derived_name(value),
                };
            }
            Piece::Part(_) => {}
        }
    }
    // No `function:` segment: name it after the last deploy-time part.
    pieces
        .iter()
        .rev()
        .find_map(|piece| match piece {
            Piece::Part(TemplatePart::Ref { name } | TemplatePart::Bound { name, .. }) => {
                Some(name.clone())
            }
            Piece::Part(TemplatePart::GetAtt { resource, .. }) => Some(resource.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "function".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces_of(expr: &Expr) -> Vec<Piece<'_>> {
        match expr {
            Expr::Template { parts } => parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Text { value } => Piece::Text(value.clone()),
                    other => Piece::Part(other),
                })
                .collect(),
            Expr::Literal { value } => vec![Piece::Text(value.clone())],
            _ => Vec::new(),
        }
    }

    fn text_of(pieces: &[Piece<'_>]) -> String {
        pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Part(part) => format!("<{part:?}>"),
            })
            .collect()
    }

    #[test]
    fn the_function_arn_is_cut_out_of_the_invocation_uri() {
        let literal = Expr::literal(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:orders:live/invocations",
        );
        let part = function_part(&pieces_of(&literal)).unwrap();
        assert_eq!(
            text_of(&part),
            "arn:aws:lambda:us-east-1:1:function:orders:live"
        );
        assert_eq!(name_in_arn(&text_of(&part)), "orders");

        let sub = crate::frontend::expr::from_plain_string(
            "arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn_arn}/invocations",
        );
        let part = function_part(&pieces_of(&sub)).unwrap();
        assert_eq!(part.len(), 1);
        assert!(matches!(part[0], Piece::Part(TemplatePart::Ref { ref name }) if name == "fn_arn"));
    }

    #[test]
    fn stage_variable_functions_get_a_derived_name() {
        assert_eq!(derived_name("${stageVariables.fn}"), "fn");
        assert_eq!(derived_name("app-${stageVariables.env}"), "app-env");
    }
}
