//! Deployments and stages. A REST or WebSocket deployment is immutable, so it is replaced
//! (created before the old one is destroyed) whenever a hash of what it snapshots changes: the
//! body in body mode, every route, integration and their companions in resources mode. HTTP
//! API stages deploy themselves (`auto_deploy`). Every stage is explicit and named, with an
//! access-log group, throttling, metrics and (REST) X-Ray tracing on unless the IR says
//! otherwise — the CloudFormation target's defaults.

use apigw_compiler::ir::{ApiKind, Stage, Throttling};
use hcl::Expression;

use super::expr::{call, object, template, TemplatePiece, ValueKind};
use super::{nested, Module, Resource, StageRef, TfFile};
use crate::cloudformation::stage::{REST_ACCESS_LOG_FORMAT, V2_ACCESS_LOG_FORMAT};

pub(crate) fn deployment_and_stages(module: &mut Module<'_>) {
    let api = module.api;
    let deployment = match api.kind {
        ApiKind::Rest | ApiKind::Websocket => {
            let kind = if api.kind == ApiKind::Rest {
                "aws_api_gateway_deployment"
            } else {
                "aws_apigatewayv2_deployment"
            };
            let label = module.labels.claim(kind, "this", "deployment");
            let mut resource = Resource::new(kind, label);
            if api.kind == ApiKind::Rest {
                resource.attr("rest_api_id", module.api_get("id"));
            } else {
                resource.attr("api_id", module.api_get("id"));
            }
            resource.attr(
                "description",
                format!("Deployment of {}", api.title).as_str(),
            );
            let trigger = module.deployment_trigger.clone().unwrap_or_else(|| {
                call(
                    "jsonencode",
                    vec![Expression::Array(module.deployed.clone())],
                )
            });
            resource.attr(
                "triggers",
                object([("redeployment".to_owned(), call("sha1", vec![trigger]))]),
            );
            // The deployment snapshots the API, so everything in it must exist first.
            resource.depends_on(module.deployed.clone());
            resource.create_before_destroy();
            let id = resource.get("id");
            module.add(TfFile::Main, resource);
            Some(id)
        }
        ApiKind::Http => None,
    };

    for name in crate::cloudformation::stage_names(api, &module.opts.as_cloudformation()) {
        let stage = api.stages.iter().find(|stage| stage.name == name);
        let kind = match api.kind {
            ApiKind::Rest => "aws_api_gateway_stage",
            _ => "aws_apigatewayv2_stage",
        };
        let label = module.labels.claim(kind, &name, &name);
        let destination = log_destination(module, stage, &name, &label);
        let resource = match api.kind {
            ApiKind::Rest => rest_stage(
                module,
                &name,
                &label,
                stage,
                deployment.clone(),
                destination,
            ),
            ApiKind::Http | ApiKind::Websocket => v2_stage(
                module,
                &name,
                &label,
                stage,
                deployment.clone(),
                destination,
            ),
        };
        module.add(TfFile::Main, resource);
        if api.kind == ApiKind::Rest {
            method_settings(module, &name, &label, stage);
        }
        module.stages.push(StageRef { name, label });
    }
}

/// Where a stage's access logs go: the IR's destination, else a new log group.
fn log_destination(
    module: &mut Module<'_>,
    stage: Option<&Stage>,
    name: &str,
    stage_label: &str,
) -> Expression {
    let access_log = stage.and_then(|stage| stage.access_log.as_ref());
    if let Some(destination) = access_log.and_then(|log| log.destination.as_ref()) {
        return module.exprs.expression(
            destination,
            &format!("access-log destination of stage {name}"),
            ValueKind::LogDestinationArn,
        );
    }
    let retention = access_log
        .and_then(|log| log.retention_days)
        .unwrap_or(module.opts.log_retention_days);
    let label = module.labels.claim(
        "aws_cloudwatch_log_group",
        &format!("{stage_label}_access_logs"),
        name,
    );
    let mut resource = Resource::new("aws_cloudwatch_log_group", label);
    let stage_text = if name == "$default" { "default" } else { name };
    resource.attr(
        "name",
        template(vec![
            TemplatePiece::Text("/aws/apigateway/".to_owned()),
            TemplatePiece::Expression(module.api_get("id")),
            TemplatePiece::Text(format!("/{stage_text}/access-logs")),
        ]),
    );
    resource.attr("retention_in_days", retention);
    let arn = resource.get("arn");
    module.add(TfFile::Main, resource);
    arn
}

fn access_log_format(module: &Module<'_>, stage: Option<&Stage>) -> String {
    stage
        .and_then(|stage| stage.access_log.as_ref())
        .and_then(|log| log.format.clone())
        .unwrap_or_else(|| match module.api.kind {
            ApiKind::Rest => REST_ACCESS_LOG_FORMAT.to_owned(),
            _ => V2_ACCESS_LOG_FORMAT.to_owned(),
        })
}

/// The stage-wide throttling: the IR's, else the target's default.
fn throttling(module: &Module<'_>, stage: Option<&Stage>) -> Throttling {
    let own = stage.and_then(|stage| stage.throttling.clone());
    Throttling {
        burst_limit: own
            .as_ref()
            .and_then(|throttling| throttling.burst_limit)
            .or(Some(module.opts.default_burst_limit)),
        rate_limit: own
            .as_ref()
            .and_then(|throttling| throttling.rate_limit)
            .or(Some(module.opts.default_rate_limit)),
    }
}

fn rate(value: f64) -> Expression {
    hcl::Number::from_f64(value).map_or(Expression::Null, Expression::Number)
}

fn variables(
    module: &mut Module<'_>,
    values: &indexmap::IndexMap<String, apigw_compiler::ir::Expr>,
    what: &str,
) -> Option<Expression> {
    if values.is_empty() {
        return None;
    }
    let entries: Vec<(String, Expression)> = values
        .iter()
        .map(|(key, value)| {
            let rendered =
                module
                    .exprs
                    .expression(value, &format!("{what} {key}"), ValueKind::Text);
            (key.clone(), rendered)
        })
        .collect();
    Some(object(entries))
}

pub(crate) fn tags(
    module: &mut Module<'_>,
    tags: &[apigw_compiler::ir::Tag],
) -> Option<Expression> {
    if tags.is_empty() {
        return None;
    }
    let entries: Vec<(String, Expression)> = tags
        .iter()
        .map(|tag| {
            let value =
                module
                    .exprs
                    .expression(&tag.value, &format!("tag {}", tag.key), ValueKind::Text);
            (tag.key.clone(), value)
        })
        .collect();
    Some(object(entries))
}

fn rest_stage(
    module: &mut Module<'_>,
    name: &str,
    label: &str,
    stage: Option<&Stage>,
    deployment: Option<Expression>,
    destination: Expression,
) -> Resource {
    let mut resource = Resource::new("aws_api_gateway_stage", label);
    resource.attr("rest_api_id", module.api_get("id"));
    resource.opt("deployment_id", deployment.clone());
    resource.attr("stage_name", name);
    resource.opt(
        "description",
        stage.and_then(|stage| stage.description.as_deref()),
    );
    let tracing = stage
        .and_then(|stage| stage.tracing_enabled)
        .unwrap_or(true);
    resource.attr("xray_tracing_enabled", tracing);
    resource.opt(
        "cache_cluster_enabled",
        stage.and_then(|stage| stage.cache_cluster_enabled),
    );
    resource.opt(
        "cache_cluster_size",
        stage.and_then(|stage| stage.cache_cluster_size.as_deref()),
    );
    if let Some(stage) = stage {
        let values = variables(
            module,
            &stage.variables,
            &format!("stage variable of stage {name}:"),
        );
        resource.opt("variables", values);
        let tags = tags(module, &stage.tags);
        resource.opt("tags", tags);
    }
    let format = access_log_format(module, stage);
    resource.block(nested(
        "access_log_settings",
        vec![
            ("destination_arn", Some(destination)),
            ("format", Some(Expression::String(format))),
        ],
    ));
    if let Some(canary) = stage.and_then(|stage| stage.canary.as_ref()) {
        let overrides = variables(
            module,
            &canary.variables,
            &format!("canary variable of stage {name}:"),
        );
        resource.block(nested(
            "canary_settings",
            vec![
                ("deployment_id", deployment),
                ("percent_traffic", Some(rate(canary.percent_traffic))),
                ("stage_variable_overrides", overrides),
                (
                    "use_stage_cache",
                    canary.use_stage_cache.map(Expression::Bool),
                ),
            ],
        ));
    }
    resource
}

/// `/pets/{id}` and `GET` → `pets/{id}/GET`, as `method_path` wants it.
fn method_path(path: &str, method: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path == "*" {
        return format!("*/{method}");
    }
    format!("{path}/{method}")
}

fn method_settings(module: &mut Module<'_>, name: &str, stage_label: &str, stage: Option<&Stage>) {
    let throttle = throttling(module, stage);
    let settings = stage
        .map(|stage| stage.method_settings.as_slice())
        .unwrap_or_default();
    // The stage-wide entry, with any `*/*` setting of the IR folded in.
    let wide = settings.iter().find(|setting| {
        matches!(setting.resource_path.as_str(), "*" | "/*") && setting.http_method == "*"
    });
    let mut all = vec![
        (
            "metrics_enabled",
            Some(Expression::Bool(
                wide.and_then(|s| s.metrics_enabled).unwrap_or(true),
            )),
        ),
        (
            "logging_level",
            Some(Expression::String(
                wide.and_then(|s| s.logging_level.clone())
                    .unwrap_or_else(|| "ERROR".to_owned()),
            )),
        ),
        (
            "data_trace_enabled",
            Some(Expression::Bool(
                wide.and_then(|s| s.data_trace_enabled).unwrap_or(false),
            )),
        ),
        (
            "throttling_burst_limit",
            wide.and_then(|s| s.throttling.as_ref())
                .and_then(|t| t.burst_limit)
                .or(throttle.burst_limit)
                .map(Expression::from),
        ),
        (
            "throttling_rate_limit",
            wide.and_then(|s| s.throttling.as_ref())
                .and_then(|t| t.rate_limit)
                .or(throttle.rate_limit)
                .map(rate),
        ),
    ];
    if let Some(setting) = wide {
        all.push((
            "caching_enabled",
            setting.caching_enabled.map(Expression::Bool),
        ));
        all.push((
            "cache_ttl_in_seconds",
            setting.cache_ttl_seconds.map(Expression::from),
        ));
    }
    let entries = std::iter::once(("*".to_owned(), "*".to_owned(), all)).chain(
        settings
            .iter()
            .filter(|setting| {
                !(matches!(setting.resource_path.as_str(), "*" | "/*")
                    && setting.http_method == "*")
            })
            .map(|setting| {
                let caching = setting.caching_enabled;
                (
                    setting.resource_path.clone(),
                    setting.http_method.clone(),
                    vec![
                        (
                            "metrics_enabled",
                            setting.metrics_enabled.map(Expression::Bool),
                        ),
                        (
                            "logging_level",
                            setting.logging_level.clone().map(Expression::String),
                        ),
                        (
                            "data_trace_enabled",
                            setting.data_trace_enabled.map(Expression::Bool),
                        ),
                        (
                            "throttling_burst_limit",
                            setting
                                .throttling
                                .as_ref()
                                .and_then(|t| t.burst_limit)
                                .map(Expression::from),
                        ),
                        (
                            "throttling_rate_limit",
                            setting
                                .throttling
                                .as_ref()
                                .and_then(|t| t.rate_limit)
                                .map(rate),
                        ),
                        ("caching_enabled", caching.map(Expression::Bool)),
                        (
                            "cache_data_encrypted",
                            caching.filter(|on| *on).map(Expression::Bool),
                        ),
                        (
                            "cache_ttl_in_seconds",
                            setting.cache_ttl_seconds.map(Expression::from),
                        ),
                    ],
                )
            }),
    );
    let entries: Vec<_> = entries.collect();
    for (path, method, values) in entries {
        let base = if path == "*" && method == "*" {
            format!("{stage_label}_all")
        } else {
            format!("{stage_label}_{}_{path}", method.to_ascii_lowercase())
        };
        let label = module.labels.claim(
            "aws_api_gateway_method_settings",
            &base,
            &format!("{name} {method} {path}"),
        );
        let mut resource = Resource::new("aws_api_gateway_method_settings", label);
        resource.attr("rest_api_id", module.api_get("id"));
        resource.attr(
            "stage_name",
            super::expr::traversal("aws_api_gateway_stage", &[stage_label, "stage_name"]),
        );
        resource.attr("method_path", method_path(&path, &method).as_str());
        resource.block(nested("settings", values));
        module.add(TfFile::Main, resource);
    }
}

fn v2_stage(
    module: &mut Module<'_>,
    name: &str,
    label: &str,
    stage: Option<&Stage>,
    deployment: Option<Expression>,
    destination: Expression,
) -> Resource {
    let websocket = module.api.kind == ApiKind::Websocket;
    let mut resource = Resource::new("aws_apigatewayv2_stage", label);
    resource.attr("api_id", module.api_get("id"));
    resource.attr("name", name);
    resource.opt(
        "description",
        stage.and_then(|stage| stage.description.as_deref()),
    );
    match deployment {
        Some(deployment) => {
            resource.attr("deployment_id", deployment);
        }
        None => {
            resource.attr("auto_deploy", true);
        }
    }
    if let Some(stage) = stage {
        let values = variables(
            module,
            &stage.variables,
            &format!("stage variable of stage {name}:"),
        );
        resource.opt("stage_variables", values);
        let tags = tags(module, &stage.tags);
        resource.opt("tags", tags);
    }
    let throttle = throttling(module, stage);
    resource.block(nested(
        "default_route_settings",
        vec![
            ("detailed_metrics_enabled", Some(Expression::Bool(true))),
            (
                "logging_level",
                websocket.then(|| Expression::String("ERROR".to_owned())),
            ),
            (
                "data_trace_enabled",
                websocket.then_some(Expression::Bool(false)),
            ),
            (
                "throttling_burst_limit",
                throttle.burst_limit.map(Expression::from),
            ),
            ("throttling_rate_limit", throttle.rate_limit.map(rate)),
        ],
    ));
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
        let values = vec![
            (
                "detailed_metrics_enabled",
                setting.metrics_enabled.map(Expression::Bool),
            ),
            (
                "throttling_burst_limit",
                setting
                    .throttling
                    .as_ref()
                    .and_then(|t| t.burst_limit)
                    .map(Expression::from),
            ),
            (
                "throttling_rate_limit",
                setting
                    .throttling
                    .as_ref()
                    .and_then(|t| t.rate_limit)
                    .map(rate),
            ),
        ];
        if values.iter().all(|(_, value)| value.is_none()) {
            continue;
        }
        let mut all = vec![("route_key", Some(Expression::String(key)))];
        all.extend(values);
        resource.block(nested("route_settings", all));
    }
    let format = access_log_format(module, stage);
    resource.block(nested(
        "access_log_settings",
        vec![
            ("destination_arn", Some(destination)),
            ("format", Some(Expression::String(format))),
        ],
    ));
    resource
}
