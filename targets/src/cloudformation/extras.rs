//! What surrounds an API in its template: Lambda permissions (planned in
//! [`crate::plan::permissions`]), usage plans and API keys, custom domains, WAF, alarms, and
//! the outputs.

use apigw_compiler::ir::{ApiKind, FunctionBinding};
use serde_json::{json, Map, Value};

use super::names::{join_words, pascal_case};
use super::stage::stage_word;
use super::Builder;
use crate::openapi::RenderExpr;
use crate::plan::permissions::{arn_on_stage, function_arn_text};
use crate::plan::{plan_permissions, GrantKind};
use crate::Warning;

pub(crate) fn permissions(builder: &mut Builder<'_>) {
    let api = builder.api;
    let stages = builder.stage_names();
    let plans = plan_permissions(api, &stages, builder.opts.permission_budget_bytes);
    for plan in plans {
        let Some(function) = api.function(&plan.function) else {
            continue;
        };
        let context = format!("Lambda function `{}`", function.name);
        let function_name = match &function.binding {
            FunctionBinding::Arn { arn } => json!(arn),
            FunctionBinding::Parameter { name } => builder.exprs.render(
                &apigw_compiler::ir::Expr::Ref { name: name.clone() },
                &context,
            ),
            FunctionBinding::StackResource { logical_id } => builder.exprs.render(
                &apigw_compiler::ir::Expr::GetAtt {
                    resource: logical_id.clone(),
                    attribute: "Arn".to_owned(),
                },
                &context,
            ),
            FunctionBinding::Expr { value } => builder.exprs.render(value, &context),
        };
        if plan.scope != crate::plan::PermissionScope::Route {
            builder.notes.push(plan.describe());
        }
        if let Some(warning) = plan.unresolved_warning(&function_arn_text(&function.binding)) {
            builder.warnings.push(warning);
        }
        let function_word = pascal_case(&function.name);
        for grant in &plan.grants {
            // A function chosen by a stage variable: the one this grant's stage names.
            let function_name = match grant
                .function_stage
                .as_ref()
                .and_then(|name| api.stages.iter().find(|stage| stage.name == *name))
                .and_then(|stage| arn_on_stage(&function.binding, stage))
            {
                Some(arn) => builder.exprs.render(&arn, &context),
                None => function_name.clone(),
            };
            let suffix = match &grant.kind {
                GrantKind::Authorizer { name } => match builder
                    .authorizer_ids
                    .iter()
                    .find(|(known, _)| known == name)
                {
                    Some((_, id)) => format!("authorizers/${{{id}}}"),
                    None => grant.source_arn_suffix.clone(),
                },
                _ => super::expr::escape_sub(&grant.source_arn_suffix),
            };
            let id = builder.ids.claim(
                &format!("{function_word}Permission{}", join_words(&grant.name_words)),
                &format!("{} {}", function.name, grant.source_arn_suffix),
            );
            let mut properties = Map::new();
            properties.insert("Action".into(), json!("lambda:InvokeFunction"));
            properties.insert("FunctionName".into(), function_name);
            properties.insert("Principal".into(), json!("apigateway.amazonaws.com"));
            properties.insert(
                "SourceArn".into(),
                json!({"Fn::Sub": format!(
                    "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/{suffix}",
                    builder.api_id
                )}),
            );
            builder.add(&id, "AWS::Lambda::Permission", properties);
            // A route's grant moves with the route into a nested stack.
            if let GrantKind::Route {
                key: apigw_compiler::ir::RouteKey::Http { path, .. },
                ..
            } = &grant.kind
            {
                builder.placement.insert(id.clone(), path.clone());
            }
        }
    }
}

pub(crate) fn usage_plans(builder: &mut Builder<'_>) {
    let api = builder.api;
    if api.usage_plans.is_empty() && api.api_keys.is_empty() {
        return;
    }
    if api.kind != ApiKind::Rest {
        builder.warnings.push(Warning::with_help(
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
    let api_id = builder.api_id.clone();
    let mut key_ids = Vec::new();
    for key in &api.api_keys {
        let id = builder.ids.claim(
            &format!("{api_id}ApiKey{}", pascal_case(&key.name)),
            &key.name,
        );
        let mut properties = Map::new();
        properties.insert("Name".into(), json!(key.name));
        if let Some(description) = &key.description {
            properties.insert("Description".into(), json!(description));
        }
        properties.insert("Enabled".into(), json!(key.enabled));
        if let Some(value) = &key.value {
            let rendered = builder
                .exprs
                .render(value, &format!("value of API key {}", key.name));
            properties.insert("Value".into(), rendered);
        }
        builder.add(&id, "AWS::ApiGateway::ApiKey", properties);
        key_ids.push((key.name.clone(), id));
    }
    for plan in &api.usage_plans {
        let id = builder.ids.claim(
            &format!("{api_id}UsagePlan{}", pascal_case(&plan.name)),
            &plan.name,
        );
        let mut properties = Map::new();
        properties.insert("UsagePlanName".into(), json!(plan.name));
        if let Some(description) = &plan.description {
            properties.insert("Description".into(), json!(description));
        }
        let stage_refs: Vec<Value> = builder
            .stages
            .iter()
            .filter(|stage| plan.stages.is_empty() || plan.stages.contains(&stage.name))
            .map(|stage| json!({"ApiId": {"Ref": api_id}, "Stage": stage.reference}))
            .collect();
        let missing_stages: Vec<&String> = plan
            .stages
            .iter()
            .filter(|name| builder.stage(name).is_none())
            .collect();
        for missing in missing_stages {
            builder.warnings.push(Warning::new(format!(
                "usage plan `{}` names stage `{missing}`, which the template does not deploy",
                plan.name
            )));
        }
        properties.insert("ApiStages".into(), Value::Array(stage_refs));
        if let Some(throttling) = &plan.throttling {
            let mut throttle = Map::new();
            if let Some(burst) = throttling.burst_limit {
                throttle.insert("BurstLimit".into(), json!(burst));
            }
            if let Some(rate) = throttling.rate_limit {
                throttle.insert("RateLimit".into(), json!(rate));
            }
            properties.insert("Throttle".into(), Value::Object(throttle));
        }
        if let Some(quota) = &plan.quota {
            let mut entry = Map::new();
            entry.insert("Limit".into(), json!(quota.limit));
            entry.insert("Period".into(), json!(quota.period));
            if let Some(offset) = quota.offset {
                entry.insert("Offset".into(), json!(offset));
            }
            properties.insert("Quota".into(), Value::Object(entry));
        }
        builder.add(&id, "AWS::ApiGateway::UsagePlan", properties);
        for key_name in &plan.api_keys {
            let Some((_, key_id)) = key_ids.iter().find(|(name, _)| name == key_name) else {
                builder.warnings.push(Warning::new(format!(
                    "usage plan `{}` names API key `{key_name}`, which the API does not define",
                    plan.name
                )));
                continue;
            };
            let link_id = builder.ids.claim(
                &format!("{id}Key{}", pascal_case(key_name)),
                &format!("{} {key_name}", plan.name),
            );
            let mut properties = Map::new();
            properties.insert("KeyId".into(), json!({"Ref": key_id}));
            properties.insert("KeyType".into(), json!("API_KEY"));
            properties.insert("UsagePlanId".into(), json!({"Ref": id}));
            builder.add(&link_id, "AWS::ApiGateway::UsagePlanKey", properties);
        }
    }
}

pub(crate) fn domains(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();
    for domain in &api.domains {
        let name_text = domain.domain_name.display_text();
        let word = pascal_case(&name_text);
        let id = builder.ids.claim(
            &format!(
                "{api_id}Domain{}",
                if word.is_empty() {
                    "Custom".to_owned()
                } else {
                    word
                }
            ),
            &name_text,
        );
        let context = format!("custom domain {name_text}");
        let domain_name = builder.exprs.render(&domain.domain_name, &context);
        let certificate = match &domain.certificate_arn {
            Some(arn) => builder
                .exprs
                .render(arn, &format!("certificate of the {context}")),
            None => json!({"Ref": builder.exprs.parameter(
                &format!("{id}.CertificateArn"),
                &format!("the ACM certificate of the {context}"),
            )}),
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
        let mut properties = Map::new();
        properties.insert("DomainName".into(), domain_name.clone());
        let (target_attribute, zone_attribute) = match api.kind {
            ApiKind::Rest => {
                if endpoint == "EDGE" {
                    properties.insert("CertificateArn".into(), certificate);
                } else {
                    properties.insert("RegionalCertificateArn".into(), certificate);
                }
                properties.insert("EndpointConfiguration".into(), json!({"Types": [endpoint]}));
                properties.insert("SecurityPolicy".into(), json!(security_policy));
                builder.add(&id, "AWS::ApiGateway::DomainName", properties);
                if endpoint == "EDGE" {
                    ("DistributionDomainName", "DistributionHostedZoneId")
                } else {
                    ("RegionalDomainName", "RegionalHostedZoneId")
                }
            }
            ApiKind::Http | ApiKind::Websocket => {
                properties.insert(
                    "DomainNameConfigurations".into(),
                    json!([{
                        "CertificateArn": certificate,
                        "EndpointType": "REGIONAL",
                        "SecurityPolicy": security_policy,
                    }]),
                );
                builder.add(&id, "AWS::ApiGatewayV2::DomainName", properties);
                ("RegionalDomainName", "RegionalHostedZoneId")
            }
        };
        for mapping in &domain.mappings {
            let Some(stage) = builder.stage(&mapping.stage).cloned() else {
                builder.warnings.push(Warning::new(format!(
                    "the mapping of {context} names stage `{}`, which the template does not deploy",
                    mapping.stage
                )));
                continue;
            };
            let path_word = mapping
                .base_path
                .as_deref()
                .map(pascal_case)
                .filter(|word| !word.is_empty())
                .unwrap_or_else(|| "Root".to_owned());
            let mapping_id = builder.ids.claim(
                &format!("{id}Mapping{path_word}"),
                &format!("{name_text} {:?}", mapping.base_path),
            );
            let mut properties = Map::new();
            let base_path = mapping
                .base_path
                .as_deref()
                .map(|path| path.trim_matches('/'))
                .filter(|path| !path.is_empty());
            match api.kind {
                ApiKind::Rest => {
                    properties.insert("DomainName".into(), json!({"Ref": id}));
                    properties.insert("RestApiId".into(), json!({"Ref": api_id}));
                    properties.insert("Stage".into(), stage.reference.clone());
                    if let Some(path) = base_path {
                        properties.insert("BasePath".into(), json!(path));
                    }
                    builder.add(&mapping_id, "AWS::ApiGateway::BasePathMapping", properties);
                }
                _ => {
                    properties.insert("ApiId".into(), json!({"Ref": api_id}));
                    properties.insert("DomainName".into(), json!({"Ref": id}));
                    properties.insert("Stage".into(), stage.reference.clone());
                    if let Some(path) = base_path {
                        properties.insert("ApiMappingKey".into(), json!(path));
                    }
                    builder.add(&mapping_id, "AWS::ApiGatewayV2::ApiMapping", properties);
                }
            }
        }
        if let Some(zone) = &domain.hosted_zone_id {
            let zone = builder
                .exprs
                .render(zone, &format!("hosted zone of the {context}"));
            let record_id = builder.ids.claim(&format!("{id}Record"), &name_text);
            let mut properties = Map::new();
            properties.insert("HostedZoneId".into(), zone);
            properties.insert("Name".into(), domain_name.clone());
            properties.insert("Type".into(), json!("A"));
            properties.insert(
                "AliasTarget".into(),
                json!({
                    "DNSName": {"Fn::GetAtt": [id, target_attribute]},
                    "HostedZoneId": {"Fn::GetAtt": [id, zone_attribute]},
                }),
            );
            builder.add(&record_id, "AWS::Route53::RecordSet", properties);
        }
        builder.outputs.insert(
            format!("{id}Name"),
            json!({"Description": format!("Custom domain of {}", builder.label()), "Value": {"Ref": id}}),
        );
        builder.outputs.insert(
            format!("{id}Target"),
            json!({
                "Description": "The DNS name to point the custom domain at (alias or CNAME)",
                "Value": {"Fn::GetAtt": [id, target_attribute]},
            }),
        );
    }
}

pub(crate) fn waf(builder: &mut Builder<'_>) {
    if !builder.opts.waf {
        return;
    }
    if builder.api.kind != ApiKind::Rest {
        builder.warnings.push(Warning::with_help(
            "WAF web ACLs can be associated with REST API stages only; none is associated",
            "put the HTTP API behind CloudFront and attach the web ACL there",
        ));
        return;
    }
    let parameter = builder
        .exprs
        .parameter("WebAclArn", "the WAFv2 web ACL associated with every stage");
    let api_id = builder.api_id.clone();
    for stage in builder.stages.clone() {
        let id = builder
            .ids
            .claim(&format!("{}WebAcl", stage.base), &stage.name);
        let Some(stage_ref) = stage.reference.get("Ref").and_then(Value::as_str) else {
            continue;
        };
        let mut properties = Map::new();
        properties.insert(
            "ResourceArn".into(),
            json!({"Fn::Sub": format!(
                "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{{api_id}}}/stages/${{{stage_ref}}}"
            )}),
        );
        properties.insert("WebACLArn".into(), json!({"Ref": parameter}));
        builder.add(&id, "AWS::WAFv2::WebACLAssociation", properties);
    }
}

/// 5XX rate above this fraction of requests raises the alarm.
pub(crate) const ERROR_RATE_THRESHOLD: f64 = 0.05;
/// p99 latency above this many milliseconds raises the alarm.
pub(crate) const LATENCY_THRESHOLD_MS: i64 = 5000;

pub(crate) fn alarms(builder: &mut Builder<'_>) {
    if !builder.opts.alarms {
        return;
    }
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let title = builder.title();
    let label = builder.label();
    for stage in builder.stages.clone() {
        let dimensions = match api.kind {
            ApiKind::Rest => json!([
                {"Name": "ApiName", "Value": title},
                {"Name": "Stage", "Value": stage.name},
            ]),
            _ => json!([
                {"Name": "ApiId", "Value": {"Ref": api_id}},
                {"Name": "Stage", "Value": stage.name},
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
        let errors_id = builder
            .ids
            .claim(&format!("{}ErrorRateAlarm", stage.base), &stage.name);
        builder.add(
            &errors_id,
            "AWS::CloudWatch::Alarm",
            alarm(
                format!(
                    "{} {}: 5XX rate above {}%",
                    label,
                    stage.name,
                    ERROR_RATE_THRESHOLD * 100.0
                ),
                error_metric,
                dimensions.clone(),
                json!({"Statistic": "Average"}),
                json!(ERROR_RATE_THRESHOLD),
            ),
        );
        let latency_id = builder
            .ids
            .claim(&format!("{}LatencyAlarm", stage.base), &stage.name);
        builder.add(
            &latency_id,
            "AWS::CloudWatch::Alarm",
            alarm(
                format!(
                    "{label} {}: p99 latency above {LATENCY_THRESHOLD_MS} ms",
                    stage.name
                ),
                latency_metric,
                dimensions,
                json!({"ExtendedStatistic": "p99"}),
                json!(LATENCY_THRESHOLD_MS),
            ),
        );
    }
}

fn alarm(
    description: String,
    metric: &str,
    dimensions: Value,
    statistic: Value,
    threshold: Value,
) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("AlarmDescription".into(), json!(description));
    properties.insert("Namespace".into(), json!("AWS/ApiGateway"));
    properties.insert("MetricName".into(), json!(metric));
    properties.insert("Dimensions".into(), dimensions);
    if let Value::Object(statistic) = statistic {
        for (key, value) in statistic {
            properties.insert(key, value);
        }
    }
    properties.insert("Period".into(), json!(300));
    properties.insert("EvaluationPeriods".into(), json!(1));
    properties.insert("Threshold".into(), threshold);
    properties.insert("ComparisonOperator".into(), json!("GreaterThanThreshold"));
    properties.insert("TreatMissingData".into(), json!("notBreaching"));
    properties
}

pub(crate) fn outputs(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let mut outputs = Map::new();
    outputs.insert(
        format!("{api_id}Id"),
        json!({"Description": format!("Id of {}", builder.label()), "Value": {"Ref": api_id}}),
    );
    for stage in &builder.stages {
        let scheme = if api.kind == ApiKind::Websocket {
            "wss"
        } else {
            "https"
        };
        let path = if stage.name == "$default" {
            String::new()
        } else {
            stage.name.clone()
        };
        outputs.insert(
            format!("{api_id}{}Url", stage_word(&stage.name)),
            json!({
                "Description": format!("Invoke URL of stage {}", stage.name),
                "Value": {"Fn::Sub": format!(
                    "{scheme}://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{path}"
                )},
            }),
        );
    }
    // Domain outputs were added as the domains were built; keep the API's first.
    for (key, value) in std::mem::take(&mut builder.outputs) {
        outputs.insert(key, value);
    }
    builder.outputs = outputs;
}
