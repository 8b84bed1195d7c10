//! Deployments and stages. A REST or WebSocket deployment is immutable, so its logical id
//! carries the hash of the API's deployed content: a changed API gets a new deployment that the
//! stages follow, and nothing else moves. HTTP API stages deploy themselves (`AutoDeploy`).
//! Every stage is explicit and named, with an access-log group, throttling, metrics and (REST)
//! X-Ray tracing on unless the IR says otherwise.

use apigw_compiler::ir::{ApiKind, Stage, Throttling};
use serde_json::{json, Map, Value};

use super::names::pascal_case;
use super::{stage_names, Builder, StageRef};
use crate::openapi::RenderExpr;
use crate::plan::DeploymentHash;

/// Access-log format for REST stages when the IR gives none: one JSON object per request
/// (the format must contain `$context.requestId`).
pub(crate) const REST_ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error"}"#;

/// Access-log format for HTTP and WebSocket stages.
pub(crate) const V2_ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error"}"#;

pub(crate) fn deployment_and_stages(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let deployment_id = match api.kind {
        ApiKind::Rest | ApiKind::Websocket => {
            let hash = DeploymentHash::of(
                builder
                    .deployed
                    .iter()
                    .filter_map(|id| builder.resources.get(id)),
            );
            let id = builder
                .ids
                .claim(&format!("{api_id}Deployment{}", hash.short()), "deployment");
            let mut properties = Map::new();
            let key = if api.kind == ApiKind::Rest {
                "RestApiId"
            } else {
                "ApiId"
            };
            properties.insert(key.into(), json!({"Ref": api_id}));
            properties.insert(
                "Description".into(),
                json!(format!("Content hash {}", hash.full())),
            );
            // The deployment snapshots the API, so everything in it must exist first.
            let depends: Vec<String> = builder
                .deployed
                .iter()
                .filter(|id| {
                    builder.resources.get(*id).is_some_and(|resource| {
                        resource
                            .get("Type")
                            .and_then(Value::as_str)
                            .is_some_and(|kind| {
                                kind == "AWS::ApiGateway::Method"
                                    || kind == "AWS::ApiGatewayV2::Route"
                            })
                    })
                })
                .cloned()
                .collect();
            let kind = if api.kind == ApiKind::Rest {
                "AWS::ApiGateway::Deployment"
            } else {
                "AWS::ApiGatewayV2::Deployment"
            };
            builder.add_with(&id, kind, properties, &depends);
            Some(id)
        }
        ApiKind::Http => None,
    };

    for name in stage_names(api, builder.opts) {
        let stage = api.stages.iter().find(|stage| stage.name == name);
        let base = format!("{api_id}Stage{}", stage_word(&name));
        let stage_id = builder.ids.claim(&base, &name);
        let log_destination = log_destination(builder, stage, &stage_id);
        let properties = match api.kind {
            ApiKind::Rest => rest_stage(
                builder,
                &name,
                stage,
                deployment_id.as_deref(),
                log_destination,
            ),
            ApiKind::Http | ApiKind::Websocket => v2_stage(
                builder,
                &name,
                stage,
                deployment_id.as_deref(),
                log_destination,
            ),
        };
        let kind = match api.kind {
            ApiKind::Rest => "AWS::ApiGateway::Stage",
            _ => "AWS::ApiGatewayV2::Stage",
        };
        builder.add(&stage_id, kind, properties);
        builder.stages.push(StageRef {
            name: name.clone(),
            reference: json!({"Ref": stage_id}),
            base: stage_id,
        });
    }
}

/// `$default` → `Default`, `prod` → `Prod`.
pub(crate) fn stage_word(name: &str) -> String {
    let word = pascal_case(name);
    if word.is_empty() {
        "Default".to_owned()
    } else {
        word
    }
}

/// Where a stage's access logs go: the IR's destination, else a new log group.
pub(crate) fn log_destination(
    builder: &mut Builder<'_>,
    stage: Option<&Stage>,
    stage_id: &str,
) -> Value {
    let access_log = stage.and_then(|stage| stage.access_log.as_ref());
    if let Some(destination) = access_log.and_then(|log| log.destination.as_ref()) {
        return builder
            .exprs
            .render(destination, "access-log destination of a stage");
    }
    let retention = access_log
        .and_then(|log| log.retention_days)
        .unwrap_or(builder.opts.log_retention_days);
    let id = builder.ids.claim(
        &format!("{stage_id}AccessLogs"),
        &format!("{stage_id} logs"),
    );
    let mut properties = Map::new();
    properties.insert("RetentionInDays".into(), json!(retention));
    builder.add(&id, "AWS::Logs::LogGroup", properties);
    json!({"Fn::GetAtt": [id, "Arn"]})
}

pub(crate) fn access_log_format(builder: &Builder<'_>, stage: Option<&Stage>) -> String {
    stage
        .and_then(|stage| stage.access_log.as_ref())
        .and_then(|log| log.format.clone())
        .unwrap_or_else(|| match builder.api.kind {
            ApiKind::Rest => REST_ACCESS_LOG_FORMAT.to_owned(),
            _ => V2_ACCESS_LOG_FORMAT.to_owned(),
        })
}

/// The stage-wide throttling: the IR's, else the target's default.
pub(crate) fn throttling(builder: &Builder<'_>, stage: Option<&Stage>) -> Throttling {
    let own = stage.and_then(|stage| stage.throttling.clone());
    Throttling {
        burst_limit: own
            .as_ref()
            .and_then(|throttling| throttling.burst_limit)
            .or(Some(builder.opts.default_burst_limit)),
        rate_limit: own
            .as_ref()
            .and_then(|throttling| throttling.rate_limit)
            .or(Some(builder.opts.default_rate_limit)),
    }
}

fn variables(builder: &mut Builder<'_>, stage: Option<&Stage>, name: &str) -> Option<Value> {
    let stage = stage?;
    if stage.variables.is_empty() {
        return None;
    }
    let mut out = Map::new();
    for (key, value) in &stage.variables {
        let rendered = builder
            .exprs
            .render(value, &format!("stage variable {key} of stage {name}"));
        out.insert(key.clone(), rendered);
    }
    Some(Value::Object(out))
}

/// `/pets/{id}` → `/~1pets~1{id}`, as `MethodSetting.ResourcePath` wants it.
fn method_setting_path(path: &str) -> String {
    if path == "*" || path == "/*" {
        return "/*".to_owned();
    }
    format!("/{}", path.replace('~', "~0").replace('/', "~1"))
}

pub(crate) fn rest_stage(
    builder: &mut Builder<'_>,
    name: &str,
    stage: Option<&Stage>,
    deployment_id: Option<&str>,
    log_destination: Value,
) -> Map<String, Value> {
    let api_id = builder.api_id.clone();
    let mut properties = Map::new();
    properties.insert("RestApiId".into(), json!({"Ref": api_id}));
    if let Some(deployment) = deployment_id {
        properties.insert("DeploymentId".into(), json!({"Ref": deployment}));
    }
    properties.insert("StageName".into(), json!(name));
    if let Some(description) = stage.and_then(|stage| stage.description.as_ref()) {
        properties.insert("Description".into(), json!(description));
    }
    if let Some(variables) = variables(builder, stage, name) {
        properties.insert("Variables".into(), variables);
    }
    let throttle = throttling(builder, stage);
    let mut defaults = Map::new();
    defaults.insert("ResourcePath".into(), json!("/*"));
    defaults.insert("HttpMethod".into(), json!("*"));
    defaults.insert("MetricsEnabled".into(), json!(true));
    defaults.insert("LoggingLevel".into(), json!("ERROR"));
    defaults.insert("DataTraceEnabled".into(), json!(false));
    if let Some(burst) = throttle.burst_limit {
        defaults.insert("ThrottlingBurstLimit".into(), json!(burst));
    }
    if let Some(rate) = throttle.rate_limit {
        defaults.insert("ThrottlingRateLimit".into(), json!(rate));
    }
    let mut settings = vec![defaults];
    for setting in stage
        .map(|stage| stage.method_settings.as_slice())
        .unwrap_or_default()
    {
        let mut entry = Map::new();
        entry.insert(
            "ResourcePath".into(),
            json!(method_setting_path(&setting.resource_path)),
        );
        entry.insert("HttpMethod".into(), json!(setting.http_method));
        if let Some(level) = &setting.logging_level {
            entry.insert("LoggingLevel".into(), json!(level));
        }
        if let Some(trace) = setting.data_trace_enabled {
            entry.insert("DataTraceEnabled".into(), json!(trace));
        }
        if let Some(metrics) = setting.metrics_enabled {
            entry.insert("MetricsEnabled".into(), json!(metrics));
        }
        if let Some(caching) = setting.caching_enabled {
            entry.insert("CachingEnabled".into(), json!(caching));
            if caching {
                entry.insert("CacheDataEncrypted".into(), json!(true));
            }
        }
        if let Some(ttl) = setting.cache_ttl_seconds {
            entry.insert("CacheTtlInSeconds".into(), json!(ttl));
        }
        if let Some(throttling) = &setting.throttling {
            if let Some(burst) = throttling.burst_limit {
                entry.insert("ThrottlingBurstLimit".into(), json!(burst));
            }
            if let Some(rate) = throttling.rate_limit {
                entry.insert("ThrottlingRateLimit".into(), json!(rate));
            }
        }
        // The stage-wide entry covers `/*` `*`; a second one would be a duplicate.
        if entry.get("ResourcePath") == Some(&json!("/*"))
            && entry.get("HttpMethod") == Some(&json!("*"))
        {
            if let Some(first) = settings.first_mut() {
                for (key, value) in entry {
                    first.insert(key, value);
                }
            }
            continue;
        }
        settings.push(entry);
    }
    properties.insert(
        "MethodSettings".into(),
        Value::Array(settings.into_iter().map(Value::Object).collect()),
    );
    let format = access_log_format(builder, stage);
    properties.insert(
        "AccessLogSetting".into(),
        json!({"DestinationArn": log_destination, "Format": format}),
    );
    let tracing = stage
        .and_then(|stage| stage.tracing_enabled)
        .unwrap_or(true);
    properties.insert("TracingEnabled".into(), json!(tracing));
    if let Some(enabled) = stage.and_then(|stage| stage.cache_cluster_enabled) {
        properties.insert("CacheClusterEnabled".into(), json!(enabled));
    }
    if let Some(size) = stage.and_then(|stage| stage.cache_cluster_size.as_ref()) {
        properties.insert("CacheClusterSize".into(), json!(size));
    }
    if let Some(canary) = stage.and_then(|stage| stage.canary.as_ref()) {
        let mut entry = Map::new();
        entry.insert("PercentTraffic".into(), json!(canary.percent_traffic));
        if !canary.variables.is_empty() {
            let mut overrides = Map::new();
            for (key, value) in &canary.variables {
                let rendered = builder
                    .exprs
                    .render(value, &format!("canary variable {key} of stage {name}"));
                overrides.insert(key.clone(), rendered);
            }
            entry.insert("StageVariableOverrides".into(), Value::Object(overrides));
        }
        if let Some(cache) = canary.use_stage_cache {
            entry.insert("UseStageCache".into(), json!(cache));
        }
        properties.insert("CanarySetting".into(), Value::Object(entry));
    }
    stage_tags(builder, stage, &mut properties, true);
    properties
}

fn stage_tags(
    builder: &mut Builder<'_>,
    stage: Option<&Stage>,
    properties: &mut Map<String, Value>,
    as_list: bool,
) {
    let Some(stage) = stage else { return };
    if stage.tags.is_empty() {
        return;
    }
    if as_list {
        let tags = stage
            .tags
            .iter()
            .map(|tag| {
                let value = builder
                    .exprs
                    .render(&tag.value, &format!("tag {}", tag.key));
                json!({"Key": tag.key, "Value": value})
            })
            .collect();
        properties.insert("Tags".into(), Value::Array(tags));
    } else {
        let mut tags = Map::new();
        for tag in &stage.tags {
            let value = builder
                .exprs
                .render(&tag.value, &format!("tag {}", tag.key));
            tags.insert(tag.key.clone(), value);
        }
        properties.insert("Tags".into(), Value::Object(tags));
    }
}

pub(crate) fn v2_stage(
    builder: &mut Builder<'_>,
    name: &str,
    stage: Option<&Stage>,
    deployment_id: Option<&str>,
    log_destination: Value,
) -> Map<String, Value> {
    let api_id = builder.api_id.clone();
    let mut properties = Map::new();
    properties.insert("ApiId".into(), json!({"Ref": api_id}));
    properties.insert("StageName".into(), json!(name));
    if let Some(description) = stage.and_then(|stage| stage.description.as_ref()) {
        properties.insert("Description".into(), json!(description));
    }
    match deployment_id {
        Some(deployment) => {
            properties.insert("DeploymentId".into(), json!({"Ref": deployment}));
        }
        None => {
            properties.insert("AutoDeploy".into(), json!(true));
        }
    }
    if let Some(variables) = variables(builder, stage, name) {
        properties.insert("StageVariables".into(), variables);
    }
    let throttle = throttling(builder, stage);
    let mut defaults = Map::new();
    defaults.insert("DetailedMetricsEnabled".into(), json!(true));
    if builder.api.kind == ApiKind::Websocket {
        defaults.insert("LoggingLevel".into(), json!("ERROR"));
        defaults.insert("DataTraceEnabled".into(), json!(false));
    }
    if let Some(burst) = throttle.burst_limit {
        defaults.insert("ThrottlingBurstLimit".into(), json!(burst));
    }
    if let Some(rate) = throttle.rate_limit {
        defaults.insert("ThrottlingRateLimit".into(), json!(rate));
    }
    properties.insert("DefaultRouteSettings".into(), Value::Object(defaults));
    let mut route_settings = Map::new();
    for setting in stage
        .map(|stage| stage.method_settings.as_slice())
        .unwrap_or_default()
    {
        if setting.resource_path == "*" || setting.resource_path == "/*" {
            continue;
        }
        let key = if setting.http_method == "*" {
            format!("ANY {}", setting.resource_path)
        } else {
            format!("{} {}", setting.http_method, setting.resource_path)
        };
        let mut entry = Map::new();
        if let Some(metrics) = setting.metrics_enabled {
            entry.insert("DetailedMetricsEnabled".into(), json!(metrics));
        }
        if let Some(throttling) = &setting.throttling {
            if let Some(burst) = throttling.burst_limit {
                entry.insert("ThrottlingBurstLimit".into(), json!(burst));
            }
            if let Some(rate) = throttling.rate_limit {
                entry.insert("ThrottlingRateLimit".into(), json!(rate));
            }
        }
        if !entry.is_empty() {
            route_settings.insert(key, Value::Object(entry));
        }
    }
    if !route_settings.is_empty() {
        properties.insert("RouteSettings".into(), Value::Object(route_settings));
    }
    let format = access_log_format(builder, stage);
    properties.insert(
        "AccessLogSettings".into(),
        json!({"DestinationArn": log_destination, "Format": format}),
    );
    stage_tags(builder, stage, &mut properties, false);
    properties
}
