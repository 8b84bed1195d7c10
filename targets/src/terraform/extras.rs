//! What surrounds an API in its module: Lambda permissions (planned in
//! [`crate::plan::permissions`], as for CloudFormation), usage plans and API keys, custom
//! domains, WAF, alarms, and the outputs.

use apigw_compiler::ir::{ApiKind, Expr, FunctionBinding};
use hcl::Expression;

use super::expr::{call, object, template, traversal, TemplatePiece, ValueKind};
use super::{nested, Module, Resource, TfFile};
use crate::cloudformation::extras::{ERROR_RATE_THRESHOLD, LATENCY_THRESHOLD_MS};
use crate::plan::permissions::{arn_on_stage, function_arn_text};
use crate::plan::{plan_permissions, GrantKind, PermissionScope};
use crate::Warning;

/// Whether the variable bound to function `name` is used as a whole integration or
/// authorizer URI, so that it may hold the invocation URI rather than the function ARN.
fn bound_as_whole_uri(module: &Module<'_>, function: &str, parameter: &str) -> bool {
    let whole = |uri: Option<&Expr>| matches!(uri, Some(Expr::Ref { name }) if name == parameter);
    module.api.integrations().any(|it| {
        it.function.as_deref() == Some(function) && whole(it.uri.as_ref().map(|uri| &uri.value))
    }) || module.api.authorizers.iter().any(|authorizer| {
        authorizer.function.as_deref() == Some(function)
            && whole(authorizer.uri.as_ref().map(|uri| &uri.value))
    })
}

pub(crate) fn permissions(module: &mut Module<'_>) {
    let api = module.api;
    let stages = module.stage_names();
    let plans = plan_permissions(api, &stages, module.opts.permission_budget_bytes);
    for plan in plans {
        let Some(function) = api.function(&plan.function) else {
            continue;
        };
        let context = format!("Lambda function `{}`", function.name);
        let function_name = match &function.binding {
            FunctionBinding::Arn { arn } => Expression::String(arn.clone()),
            FunctionBinding::Parameter { name } => {
                if bound_as_whole_uri(module, &function.name, name) {
                    // The variable may hold `arn:aws:apigateway:...:lambda:path/.../functions/
                    // <function ARN>/invocations`; the permission needs the function ARN in it.
                    let value = module
                        .exprs
                        .variable(name, &context, ValueKind::LambdaTarget);
                    call(
                        "replace",
                        vec![
                            value,
                            Expression::String(
                                "/^arn:[^:]+:apigateway:[^/]+/2015-03-31/functions/(.+)/invocations$/"
                                    .to_owned(),
                            ),
                            Expression::String("$1".to_owned()),
                        ],
                    )
                } else {
                    module.exprs.variable(name, &context, ValueKind::LambdaArn)
                }
            }
            FunctionBinding::StackResource { logical_id } => module.exprs.expression(
                &Expr::GetAtt {
                    resource: logical_id.clone(),
                    attribute: "Arn".to_owned(),
                },
                &context,
                ValueKind::LambdaArn,
            ),
            FunctionBinding::Expr { value } => {
                module
                    .exprs
                    .expression(value, &context, ValueKind::LambdaArn)
            }
        };
        if plan.scope != PermissionScope::Route {
            module.notes.push(plan.describe());
        }
        if let Some(warning) = plan.unresolved_warning(&function_arn_text(&function.binding)) {
            module.warnings.push(warning);
        }
        for grant in &plan.grants {
            // A function chosen by a stage variable: the one this grant's stage names.
            let function_name = match grant
                .function_stage
                .as_ref()
                .and_then(|name| api.stages.iter().find(|stage| stage.name == *name))
                .and_then(|stage| arn_on_stage(&function.binding, stage))
            {
                Some(arn) => module
                    .exprs
                    .expression(&arn, &context, ValueKind::LambdaArn),
                None => function_name.clone(),
            };
            let mut pieces = vec![
                TemplatePiece::Expression(module.api_get("execution_arn")),
                TemplatePiece::Text("/".to_owned()),
            ];
            match &grant.kind {
                GrantKind::Authorizer { name } => {
                    match module
                        .authorizer_ids
                        .iter()
                        .find(|(known, _)| known == name)
                    {
                        Some((_, id)) => {
                            pieces.push(TemplatePiece::Text("authorizers/".to_owned()));
                            pieces.push(TemplatePiece::Expression(id.clone()));
                        }
                        None => pieces.push(TemplatePiece::Text(grant.source_arn_suffix.clone())),
                    }
                }
                _ => pieces.push(TemplatePiece::Text(grant.source_arn_suffix.clone())),
            }
            let label = module.labels.claim(
                "aws_lambda_permission",
                &format!("{}_{}", function.name, grant.name_words.join("_")),
                &format!("{} {}", function.name, grant.source_arn_suffix),
            );
            let mut resource = Resource::new("aws_lambda_permission", label);
            resource.attr("action", "lambda:InvokeFunction");
            resource.attr("function_name", function_name);
            resource.attr("principal", "apigateway.amazonaws.com");
            resource.attr("source_arn", template(pieces));
            module.add(TfFile::Lambda, resource);
        }
    }
}

fn rate(value: f64) -> Expression {
    hcl::Number::from_f64(value).map_or(Expression::Null, Expression::Number)
}

pub(crate) fn usage_plans(module: &mut Module<'_>) {
    let api = module.api;
    if api.usage_plans.is_empty() && api.api_keys.is_empty() {
        return;
    }
    if api.kind != ApiKind::Rest {
        module.warnings.push(Warning::with_help(
            format!(
                "usage plans and API keys apply to REST APIs only; the {} of `{}` are left out",
                if api.usage_plans.is_empty() {
                    "API keys"
                } else {
                    "usage plans"
                },
                api.title
            ),
            "throttle HTTP API routes with stage route settings instead",
        ));
        return;
    }
    let mut keys = Vec::new();
    for key in &api.api_keys {
        let label = module
            .labels
            .claim("aws_api_gateway_api_key", &key.name, &key.name);
        let mut resource = Resource::new("aws_api_gateway_api_key", label);
        resource.attr("name", key.name.as_str());
        resource.opt("description", key.description.as_deref());
        resource.attr("enabled", key.enabled);
        if let Some(value) = &key.value {
            let context = format!("value of API key {}", key.name);
            let rendered = module.exprs.expression(value, &context, ValueKind::Text);
            // A key's value is a secret: every variable it reads is sensitive.
            for name in value.references() {
                if let Some(variable) = module.exprs.variables.get_mut(&name) {
                    variable.sensitive = true;
                }
            }
            resource.attr("value", rendered);
        }
        keys.push((key.name.clone(), resource.get("id")));
        module.add(TfFile::UsagePlans, resource);
    }
    for plan in &api.usage_plans {
        let label = module
            .labels
            .claim("aws_api_gateway_usage_plan", &plan.name, &plan.name);
        let mut resource = Resource::new("aws_api_gateway_usage_plan", label);
        resource.attr("name", plan.name.as_str());
        resource.opt("description", plan.description.as_deref());
        let missing: Vec<&String> = plan
            .stages
            .iter()
            .filter(|name| module.stage(name).is_none())
            .collect();
        for missing in missing {
            module.warnings.push(Warning::new(format!(
                "usage plan `{}` names stage `{missing}`, which the module does not deploy",
                plan.name
            )));
        }
        for stage in module
            .stages
            .iter()
            .filter(|stage| plan.stages.is_empty() || plan.stages.contains(&stage.name))
        {
            resource.block(nested(
                "api_stages",
                vec![
                    ("api_id", Some(module.api_get("id"))),
                    (
                        "stage",
                        Some(traversal(
                            "aws_api_gateway_stage",
                            &[&stage.label, "stage_name"],
                        )),
                    ),
                ],
            ));
        }
        if let Some(quota) = &plan.quota {
            resource.block(nested(
                "quota_settings",
                vec![
                    ("limit", Some(Expression::from(quota.limit))),
                    ("period", Some(Expression::String(quota.period.clone()))),
                    ("offset", quota.offset.map(Expression::from)),
                ],
            ));
        }
        if let Some(throttling) = &plan.throttling {
            resource.block(nested(
                "throttle_settings",
                vec![
                    ("burst_limit", throttling.burst_limit.map(Expression::from)),
                    ("rate_limit", throttling.rate_limit.map(rate)),
                ],
            ));
        }
        let plan_id = resource.get("id");
        let plan_label = resource.label.clone();
        module.add(TfFile::UsagePlans, resource);
        for key_name in &plan.api_keys {
            let Some((_, key_id)) = keys.iter().find(|(name, _)| name == key_name) else {
                module.warnings.push(Warning::new(format!(
                    "usage plan `{}` names API key `{key_name}`, which the API does not define",
                    plan.name
                )));
                continue;
            };
            let label = module.labels.claim(
                "aws_api_gateway_usage_plan_key",
                &format!("{plan_label}_{key_name}"),
                &format!("{} {key_name}", plan.name),
            );
            let mut resource = Resource::new("aws_api_gateway_usage_plan_key", label);
            resource.attr("key_id", key_id.clone());
            resource.attr("key_type", "API_KEY");
            resource.attr("usage_plan_id", plan_id.clone());
            module.add(TfFile::UsagePlans, resource);
        }
    }
}

pub(crate) fn domains(module: &mut Module<'_>) {
    let api = module.api;
    let mut targets = Vec::new();
    for domain in &api.domains {
        let name_text = domain.domain_name.display_text();
        let context = format!("custom domain {name_text}");
        let rest = api.kind == ApiKind::Rest;
        let kind = if rest {
            "aws_api_gateway_domain_name"
        } else {
            "aws_apigatewayv2_domain_name"
        };
        let label = module.labels.claim(kind, &name_text, &name_text);
        let domain_name = module
            .exprs
            .expression(&domain.domain_name, &context, ValueKind::Text);
        let certificate = match &domain.certificate_arn {
            Some(arn) => module.exprs.expression(
                arn,
                &format!("certificate of the {context}"),
                ValueKind::CertificateArn,
            ),
            None => module.exprs.variable(
                &format!("{label}.certificate_arn"),
                &format!("the ACM certificate of the {context}"),
                ValueKind::CertificateArn,
            ),
        };
        let endpoint = domain
            .endpoint_type
            .clone()
            .unwrap_or_else(|| "REGIONAL".to_owned())
            .to_ascii_uppercase();
        let security_policy = domain
            .security_policy
            .clone()
            .unwrap_or_else(|| "TLS_1_2".to_owned());
        let mut resource = Resource::new(kind, label.clone());
        resource.attr("domain_name", domain_name.clone());
        let (target_name, target_zone) = if rest {
            if endpoint == "EDGE" {
                resource.attr("certificate_arn", certificate);
            } else {
                resource.attr("regional_certificate_arn", certificate);
            }
            resource.attr("security_policy", security_policy.as_str());
            resource.block(nested(
                "endpoint_configuration",
                vec![(
                    "types",
                    Some(Expression::Array(vec![Expression::String(
                        endpoint.clone(),
                    )])),
                )],
            ));
            if endpoint == "EDGE" {
                (
                    resource.get("cloudfront_domain_name"),
                    resource.get("cloudfront_zone_id"),
                )
            } else {
                (
                    resource.get("regional_domain_name"),
                    resource.get("regional_zone_id"),
                )
            }
        } else {
            resource.block(nested(
                "domain_name_configuration",
                vec![
                    ("certificate_arn", Some(certificate)),
                    (
                        "endpoint_type",
                        Some(Expression::String("REGIONAL".to_owned())),
                    ),
                    (
                        "security_policy",
                        Some(Expression::String(security_policy.clone())),
                    ),
                ],
            ));
            let configuration = traversal(kind, &[&label, "domain_name_configuration"]);
            let first = |attribute: &str| {
                Expression::from(
                    hcl::expr::Traversal::builder(configuration.clone())
                        .index(Expression::from(0))
                        .attr(hcl::Identifier::sanitized(attribute))
                        .build(),
                )
            };
            (first("target_domain_name"), first("hosted_zone_id"))
        };
        let domain_id = resource.get("domain_name");
        module.add(TfFile::Domains, resource);
        for mapping in &domain.mappings {
            let Some(stage) = module.stage(&mapping.stage).cloned() else {
                module.warnings.push(Warning::new(format!(
                    "the mapping of {context} names stage `{}`, which the module does not deploy",
                    mapping.stage
                )));
                continue;
            };
            let base_path = mapping
                .base_path
                .as_deref()
                .map(|path| path.trim_matches('/'))
                .filter(|path| !path.is_empty());
            let mapping_label = format!("{label}_{}", base_path.unwrap_or("root"));
            let stage_kind = if rest {
                "aws_api_gateway_stage"
            } else {
                "aws_apigatewayv2_stage"
            };
            if rest {
                let mapping_label = module.labels.claim(
                    "aws_api_gateway_base_path_mapping",
                    &mapping_label,
                    &format!("{name_text} {base_path:?}"),
                );
                let mut resource =
                    Resource::new("aws_api_gateway_base_path_mapping", mapping_label);
                resource.attr("api_id", module.api_get("id"));
                resource.attr("domain_name", domain_id.clone());
                resource.attr(
                    "stage_name",
                    traversal(stage_kind, &[&stage.label, "stage_name"]),
                );
                resource.opt("base_path", base_path);
                module.add(TfFile::Domains, resource);
            } else {
                let mapping_label = module.labels.claim(
                    "aws_apigatewayv2_api_mapping",
                    &mapping_label,
                    &format!("{name_text} {base_path:?}"),
                );
                let mut resource = Resource::new("aws_apigatewayv2_api_mapping", mapping_label);
                resource.attr("api_id", module.api_get("id"));
                resource.attr("domain_name", domain_id.clone());
                resource.attr("stage", traversal(stage_kind, &[&stage.label, "id"]));
                resource.opt("api_mapping_key", base_path);
                module.add(TfFile::Domains, resource);
            }
        }
        if let Some(zone) = &domain.hosted_zone_id {
            let zone = module.exprs.expression(
                zone,
                &format!("hosted zone of the {context}"),
                ValueKind::HostedZoneId,
            );
            let record_label = module
                .labels
                .claim("aws_route53_record", &label, &name_text);
            let mut resource = Resource::new("aws_route53_record", record_label);
            resource.attr("zone_id", zone);
            resource.attr("name", domain_id.clone());
            resource.attr("type", "A");
            resource.block(nested(
                "alias",
                vec![
                    ("name", Some(target_name.clone())),
                    ("zone_id", Some(target_zone)),
                    ("evaluate_target_health", Some(Expression::Bool(false))),
                ],
            ));
            module.add(TfFile::Domains, resource);
        }
        targets.push((name_text, target_name));
    }
    if !targets.is_empty() {
        module.output(
            "domain_targets",
            "The DNS name to point each custom domain at (alias or CNAME), by domain.".to_owned(),
            object(targets),
        );
    }
}

pub(crate) fn waf(module: &mut Module<'_>) {
    if !module.opts.waf {
        return;
    }
    if module.api.kind != ApiKind::Rest {
        module.warnings.push(Warning::with_help(
            "WAF web ACLs can be associated with REST API stages only; none is associated",
            "put the HTTP API behind CloudFront and attach the web ACL there",
        ));
        return;
    }
    let acl = module.exprs.variable(
        "web_acl_arn",
        "WAFv2 web ACL associated with every stage",
        ValueKind::WebAclArn,
    );
    for stage in module.stages.clone() {
        let label = module
            .labels
            .claim("aws_wafv2_web_acl_association", &stage.label, &stage.name);
        let mut resource = Resource::new("aws_wafv2_web_acl_association", label);
        resource.attr(
            "resource_arn",
            traversal("aws_api_gateway_stage", &[&stage.label, "arn"]),
        );
        resource.attr("web_acl_arn", acl.clone());
        module.add(TfFile::Main, resource);
    }
}

pub(crate) fn alarms(module: &mut Module<'_>) {
    if !module.opts.alarms {
        return;
    }
    let api = module.api;
    for stage in module.stages.clone() {
        let dimensions = match api.kind {
            ApiKind::Rest => object([
                ("ApiName".to_owned(), module.api_get("name")),
                ("Stage".to_owned(), Expression::String(stage.name.clone())),
            ]),
            _ => object([
                ("ApiId".to_owned(), module.api_get("id")),
                ("Stage".to_owned(), Expression::String(stage.name.clone())),
            ]),
        };
        let error_metric = match api.kind {
            ApiKind::Rest => "5XXError",
            ApiKind::Http => "5xx",
            ApiKind::Websocket => "IntegrationError",
        };
        let latency_metric = match api.kind {
            ApiKind::Websocket => "IntegrationLatency",
            _ => "Latency",
        };
        let alarms = [
            (
                "error_rate",
                format!(
                    "{}: 5XX rate above {}%",
                    stage.name,
                    ERROR_RATE_THRESHOLD * 100.0
                ),
                error_metric,
                ("statistic", "Average"),
                rate(ERROR_RATE_THRESHOLD),
            ),
            (
                "latency",
                format!(
                    "{}: p99 latency above {LATENCY_THRESHOLD_MS} ms",
                    stage.name
                ),
                latency_metric,
                ("extended_statistic", "p99"),
                Expression::from(LATENCY_THRESHOLD_MS),
            ),
        ];
        for (word, description, metric, (statistic_key, statistic), threshold) in alarms {
            let label = module.labels.claim(
                "aws_cloudwatch_metric_alarm",
                &format!("{}_{word}", stage.label),
                &format!("{} {word}", stage.name),
            );
            let mut resource = Resource::new("aws_cloudwatch_metric_alarm", label);
            resource.attr(
                "alarm_name",
                template(vec![
                    TemplatePiece::Expression(module.api_get("name")),
                    TemplatePiece::Text(format!(" {} {}", stage.name, word.replace('_', " "))),
                ]),
            );
            resource.attr(
                "alarm_description",
                format!("{} {description}", api.title).as_str(),
            );
            resource.attr("namespace", "AWS/ApiGateway");
            resource.attr("metric_name", metric);
            resource.attr("dimensions", dimensions.clone());
            resource.attr(statistic_key, statistic);
            resource.attr("period", 300);
            resource.attr("evaluation_periods", 1);
            resource.attr("threshold", threshold);
            resource.attr("comparison_operator", "GreaterThanThreshold");
            resource.attr("treat_missing_data", "notBreaching");
            module.add(TfFile::Alarms, resource);
        }
    }
}

pub(crate) fn outputs(module: &mut Module<'_>) {
    let api = module.api;
    let stage_kind = match api.kind {
        ApiKind::Rest => "aws_api_gateway_stage",
        _ => "aws_apigatewayv2_stage",
    };
    let by_stage = |attribute: &str| {
        object(module.stages.iter().map(|stage| {
            (
                stage.name.clone(),
                traversal(stage_kind, &[&stage.label, attribute]),
            )
        }))
    };
    let first = vec![
        super::ModuleOutput {
            name: "api_id".to_owned(),
            description: format!("The id of the {} API.", api.title),
            value: module.api_get("id"),
        },
        super::ModuleOutput {
            name: "execution_arn".to_owned(),
            description: "The execution ARN of the API, the prefix of every source ARN that invokes a backend.".to_owned(),
            value: module.api_get("execution_arn"),
        },
        super::ModuleOutput {
            name: "invoke_urls".to_owned(),
            description: "The invoke URL of each stage, by stage name.".to_owned(),
            value: by_stage("invoke_url"),
        },
        super::ModuleOutput {
            name: "stage_arns".to_owned(),
            description: "The ARN of each stage, by stage name.".to_owned(),
            value: by_stage("arn"),
        },
    ];
    // Domain outputs were added as the domains were built; the API's come first.
    module.outputs.splice(0..0, first);
}
