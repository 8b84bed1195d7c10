//! Lambda functions behind integrations and authorizers, bound the way the template binds them:
//! a function of the same stack (`!GetAtt Fn.Arn`) is a stack resource, a `!Ref` of a template
//! parameter is a parameter, a literal ARN is an ARN. The template's `Parameters` and
//! `Resources` decide, also for the functions the OpenAPI front end found in an embedded spec.
//!
//! Reads the invocation URI only; whether an integration may call Lambda is for the rules.

use crate::ir::{Api, Expr, Function, FunctionBinding, LocalFunction, Origin, TemplatePart};
use crate::load::tree::Node;

use super::stack::{Resource, Stack};

/// Resource types whose ARN (or `Ref`) can stand for a Lambda function in an invocation URI.
const FUNCTION_TYPES: &[&str] = &[
    "AWS::Serverless::Function",
    "AWS::Lambda::Function",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Version",
];

/// The invocation URI API Gateway uses to call a function whose ARN is `function_arn`:
/// `arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/…/invocations`.
pub(super) fn invocation_uri(function_arn: Expr) -> Expr {
    let mut parts = vec![
        TemplatePart::Text {
            value: "arn:".to_owned(),
        },
        TemplatePart::Ref {
            name: "AWS::Partition".to_owned(),
        },
        TemplatePart::Text {
            value: ":apigateway:".to_owned(),
        },
        TemplatePart::Ref {
            name: "AWS::Region".to_owned(),
        },
        TemplatePart::Text {
            value: ":lambda:path/2015-03-31/functions/".to_owned(),
        },
    ];
    match function_arn {
        Expr::Literal { value } => parts.push(TemplatePart::Text { value }),
        Expr::Ref { name } => parts.push(TemplatePart::Ref { name }),
        Expr::GetAtt {
            resource,
            attribute,
        } => parts.push(TemplatePart::GetAtt {
            resource,
            attribute,
        }),
        Expr::Template { parts: inner } => parts.extend(inner),
        other @ Expr::Intrinsic { .. } => parts.push(TemplatePart::Bound {
            name: "FunctionArn".to_owned(),
            value: Box::new(other),
        }),
    }
    parts.push(TemplatePart::Text {
        value: "/invocations".to_owned(),
    });
    Expr::Template { parts }
}

/// Registers the function `uri` invokes (an invocation URI, or for HTTP APIs a function ARN),
/// and returns its name in [`Api::functions`].
pub(super) fn register(
    api: &mut Api,
    stack: &Stack<'_>,
    uri: &Expr,
    origin: &Origin,
) -> Option<String> {
    let (name, binding) = function_of(stack, uri)?;
    Some(add(api, stack, name, binding, origin))
}

/// Adds a function (or finds the one with the same binding) and returns its name.
pub(super) fn add(
    api: &mut Api,
    stack: &Stack<'_>,
    name: String,
    binding: FunctionBinding,
    origin: &Origin,
) -> String {
    if let Some(existing) = api
        .functions
        .iter()
        .find(|function| function.binding == binding)
    {
        return existing.name.clone();
    }
    let mut candidate = name.clone();
    let mut counter = 2_u32;
    while api.function(&candidate).is_some() {
        candidate = format!("{name}-{counter}");
        counter = counter.saturating_add(1);
    }
    let mut function = Function {
        origin: origin.clone(),
        name: candidate.clone(),
        binding,
        local: None,
        timeout_seconds: None,
    };
    describe(&mut function, stack);
    api.functions.push(function);
    candidate
}

/// Rebinds the functions of an API lowered from an embedded spec by what the template declares,
/// and fills in what the template says about functions of the same stack.
pub(super) fn bind(api: &mut Api, stack: &Stack<'_>) {
    for function in &mut api.functions {
        let rebound = match &function.binding {
            FunctionBinding::Parameter { name } => Some(binding_for_ref(stack, name)),
            // `${Name.Arn}` names a resource even when the template does not declare it
            // (CloudFormation will say so); only a declared parameter is rebound.
            FunctionBinding::StackResource { logical_id }
                if stack.is_parameter(logical_id) && stack.resource(logical_id).is_none() =>
            {
                Some(FunctionBinding::Parameter {
                    name: logical_id.clone(),
                })
            }
            _ => None,
        };
        if let Some(binding) = rebound {
            function.binding = binding;
        }
        describe(function, stack);
    }
}

/// `${Name}` in a template: a parameter, a resource of the stack (including the alias SAM
/// creates for `AutoPublishAlias`), or a pseudo parameter.
fn binding_for_ref(stack: &Stack<'_>, name: &str) -> FunctionBinding {
    if stack.is_parameter(name) {
        FunctionBinding::Parameter {
            name: name.to_owned(),
        }
    } else if stack.resource(name).is_some() || is_sam_alias(stack, name) {
        FunctionBinding::StackResource {
            logical_id: name.to_owned(),
        }
    } else if name.starts_with("AWS::") {
        FunctionBinding::Expr {
            value: Expr::Ref {
                name: name.to_owned(),
            },
        }
    } else {
        // Neither declared: a value bound from outside (a `templatefile` variable, or a
        // parameter CloudFormation will reject as undefined).
        FunctionBinding::Parameter {
            name: name.to_owned(),
        }
    }
}

/// `<Function>Alias<alias>`: the `AWS::Lambda::Alias` SAM creates for a function with
/// `AutoPublishAlias: <alias>`.
fn is_sam_alias(stack: &Stack<'_>, name: &str) -> bool {
    stack.of_type("AWS::Serverless::Function").any(|function| {
        let Some(alias) = stack
            .property(function, "AutoPublishAlias")
            .and_then(|alias| alias.node.as_str().map(str::to_owned))
        else {
            return false;
        };
        name.strip_prefix(function.logical_id)
            .and_then(|rest| rest.strip_prefix("Alias"))
            .is_some_and(|rest| rest == alias)
    })
}

/// Timeout and local runtime of a function defined in the same stack.
fn describe(function: &mut Function, stack: &Stack<'_>) {
    let FunctionBinding::StackResource { logical_id } = &function.binding else {
        return;
    };
    let Some(resource) = stack.resource(logical_id) else {
        return;
    };
    let quiet_text = |key: &str| -> Option<String> {
        stack
            .property(resource, key)
            .and_then(|prop| prop.node.as_str().map(str::to_owned))
    };
    match resource.kind {
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => {
            if function.timeout_seconds.is_none() {
                function.timeout_seconds = stack
                    .property(resource, "Timeout")
                    .and_then(|prop| quiet_integer(prop.node));
            }
            if function.local.is_none() && resource.kind == "AWS::Serverless::Function" {
                function.local = local_runtime(
                    resource,
                    stack,
                    quiet_text("Runtime"),
                    quiet_text("Handler"),
                );
            }
        }
        _ => {}
    }
}

/// `Runtime`, `Handler` and a local `CodeUri` of a SAM function: enough for the emulator to run
/// it as Lambda would. Code in S3, inline code and images give nothing to run locally.
fn local_runtime(
    resource: &Resource<'_>,
    stack: &Stack<'_>,
    runtime: Option<String>,
    handler: Option<String>,
) -> Option<LocalFunction> {
    let code = stack
        .property(resource, "CodeUri")
        .and_then(|prop| prop.node.as_str().map(str::to_owned))
        .filter(|code| !code.contains("://"))?;
    Some(LocalFunction::Runtime {
        runtime: runtime?,
        handler: handler?,
        code: Some(code),
    })
}

fn quiet_integer(node: &Node) -> Option<i64> {
    node.as_i64()
        .or_else(|| node.as_str().and_then(|text| text.trim().parse().ok()))
}

/// Name and binding of the function a URI invokes.
fn function_of(stack: &Stack<'_>, uri: &Expr) -> Option<(String, FunctionBinding)> {
    let parts: Vec<TemplatePart> = match uri {
        Expr::Literal { value } => vec![TemplatePart::Text {
            value: value.clone(),
        }],
        Expr::Ref { name } => vec![TemplatePart::Ref { name: name.clone() }],
        Expr::GetAtt {
            resource,
            attribute,
        } => vec![TemplatePart::GetAtt {
            resource: resource.clone(),
            attribute: attribute.clone(),
        }],
        Expr::Template { parts } => parts.clone(),
        Expr::Intrinsic { .. } => return None,
    };
    let arn = function_arn(&parts, stack)?;
    classify(stack, &arn)
}

/// The parts that make up the function ARN: the segment between `/functions/` and
/// `/invocations` of an invocation URI, or the whole value when it is itself a function ARN.
fn function_arn(parts: &[TemplatePart], stack: &Stack<'_>) -> Option<Vec<TemplatePart>> {
    // Each deploy-time part stands as one byte, so offsets in `text` map back onto the parts.
    let text: String = parts
        .iter()
        .map(|part| match part {
            TemplatePart::Text { value } => value.as_str(),
            _ => "\u{1}",
        })
        .collect();
    let (start, end) = if let Some(at) = text.find(":lambda:path/") {
        let after = at + ":lambda:path/".len();
        let functions = after + text.get(after..)?.find("/functions/")?;
        let start = functions + "/functions/".len();
        let rest = text.get(start..)?;
        let end = start
            + rest
                .find("/response-streaming-invocations")
                .or_else(|| rest.find("/invocations"))?;
        (start, end)
    } else if text.starts_with("arn:") && text.contains(":lambda:") && text.contains(":function:") {
        (0, text.len())
    } else if let [single] = parts {
        // A bare reference stands for a function only when it names one.
        let names_function = match single {
            TemplatePart::Ref { name } => {
                stack.is_parameter(name)
                    || stack
                        .kind_of(name)
                        .is_some_and(|kind| FUNCTION_TYPES.contains(&kind))
            }
            TemplatePart::GetAtt { resource, .. } => stack
                .kind_of(resource)
                .is_some_and(|kind| FUNCTION_TYPES.contains(&kind)),
            _ => false,
        };
        return names_function.then(|| vec![single.clone()]);
    } else {
        return None;
    };
    let mut out = Vec::new();
    let mut offset = 0_usize;
    for part in parts {
        let length = match part {
            TemplatePart::Text { value } => value.len(),
            _ => 1,
        };
        let (part_start, part_end) = (offset, offset + length);
        offset = part_end;
        if part_end <= start || part_start >= end {
            continue;
        }
        match part {
            TemplatePart::Text { value } => {
                let from = start.saturating_sub(part_start);
                let to = end.min(part_end) - part_start;
                out.push(TemplatePart::Text {
                    value: value.get(from..to)?.to_owned(),
                });
            }
            other => out.push(other.clone()),
        }
    }
    (!out.is_empty()).then_some(out)
}

fn classify(stack: &Stack<'_>, arn: &[TemplatePart]) -> Option<(String, FunctionBinding)> {
    match arn {
        [TemplatePart::Ref { name }] => Some((name.clone(), binding_for_ref(stack, name))),
        [TemplatePart::GetAtt { resource, .. }] => Some((
            resource.clone(),
            FunctionBinding::StackResource {
                logical_id: resource.clone(),
            },
        )),
        [TemplatePart::Bound { name, value }] => Some(match value.as_ref() {
            Expr::Ref { name: target } => (target.clone(), binding_for_ref(stack, target)),
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
        }),
        [TemplatePart::Text { value }] if !value.contains("${") => Some((
            name_in_arn(value),
            FunctionBinding::Arn { arn: value.clone() },
        )),
        _ => {
            let name = arn
                .iter()
                .find_map(|part| match part {
                    TemplatePart::Ref { name } | TemplatePart::Bound { name, .. }
                        if !name.starts_with("AWS::") =>
                    {
                        Some(name.clone())
                    }
                    TemplatePart::GetAtt { resource, .. } => Some(resource.clone()),
                    _ => None,
                })
                .or_else(|| {
                    arn.iter().find_map(|part| match part {
                        TemplatePart::Text { value } if value.contains(":function:") => {
                            let name = name_in_arn(value);
                            (!name.is_empty()).then_some(name)
                        }
                        _ => None,
                    })
                })
                .unwrap_or_else(|| "function".to_owned());
            Some((
                name,
                FunctionBinding::Expr {
                    value: Expr::Template {
                        parts: arn.to_vec(),
                    },
                },
            ))
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
