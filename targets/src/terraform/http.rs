//! HTTP APIs: `aws_apigatewayv2_api` with the OpenAPI `body` (body mode), or with one
//! `aws_apigatewayv2_route`, `_integration` and `_authorizer` per IR node (resources mode).
//! The integration and route writers serve WebSocket APIs too.

use apigw_compiler::ir::{
    ApiKind, Authorizer, AuthorizerKind, Integration, IntegrationType, Route, RouteKey,
};
use hcl::Expression;

use super::expr::{object, template, TemplatePiece, ValueKind};
use super::names::snake_case;
use super::rest::set_document;
use super::stage::tags;
use super::{nested, Module, Resource, TfFile};
use crate::cloudformation::rest::route_auth;

pub(crate) fn body(module: &mut Module<'_>) {
    let api = module.api;
    let mut resource = Resource::new("aws_apigatewayv2_api", "this");
    resource.attr("name", api.title.as_str());
    resource.attr("protocol_type", "HTTP");
    set_document(module, &mut resource);
    resource.opt(
        "disable_execute_api_endpoint",
        api.endpoint
            .as_ref()
            .and_then(|endpoint| endpoint.disable_execute_api_endpoint),
    );
    let api_tags = tags(module, &api.tags);
    resource.opt("tags", api_tags);
    module.add(TfFile::Main, resource);
}

fn strings(values: &[String]) -> Expression {
    Expression::Array(values.iter().cloned().map(Expression::String).collect())
}

pub(crate) fn resources(module: &mut Module<'_>) {
    let api = module.api;
    let mut resource = Resource::new("aws_apigatewayv2_api", "this");
    resource.attr("name", api.title.as_str());
    resource.attr("protocol_type", "HTTP");
    resource.opt("description", api.description.as_deref());
    resource.opt(
        "disable_execute_api_endpoint",
        api.endpoint
            .as_ref()
            .and_then(|endpoint| endpoint.disable_execute_api_endpoint),
    );
    let api_tags = tags(module, &api.tags);
    resource.opt("tags", api_tags);
    if let Some(cors) = &api.cors {
        let list = |values: &[String]| (!values.is_empty()).then(|| strings(values));
        resource.block(nested(
            "cors_configuration",
            vec![
                (
                    "allow_credentials",
                    cors.allow_credentials.map(Expression::Bool),
                ),
                ("allow_headers", list(&cors.allow_headers)),
                ("allow_methods", list(&cors.allow_methods)),
                ("allow_origins", list(&cors.allow_origins)),
                ("expose_headers", list(&cors.expose_headers)),
                ("max_age", cors.max_age.map(Expression::from)),
            ],
        ));
    }
    module.add(TfFile::Main, resource);

    for authorizer in &api.authorizers {
        if !matches!(
            authorizer.kind,
            Some(AuthorizerKind::Jwt | AuthorizerKind::Request | AuthorizerKind::Token)
        ) {
            continue;
        }
        let label = module.labels.claim(
            "aws_apigatewayv2_authorizer",
            &authorizer.name,
            &authorizer.name,
        );
        let resource = authorizer_resource(module, authorizer, label);
        module
            .authorizer_ids
            .push((authorizer.name.clone(), resource.get("id")));
        module.add(TfFile::Main, resource);
    }

    let mut shared: Vec<(String, Expression)> = Vec::new();
    for route in &api.routes {
        let route_key = route_key(route);
        let target = match &route.integration {
            Some(integration) => {
                let id = match &integration.shared_name {
                    Some(name) => match shared.iter().find(|(known, _)| known == name) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let label =
                                module
                                    .labels
                                    .claim("aws_apigatewayv2_integration", name, name);
                            let resource =
                                integration_resource(module, integration, &route_key, label);
                            let id = resource.get("id");
                            module.add(TfFile::Main, resource);
                            shared.push((name.clone(), id.clone()));
                            id
                        }
                    },
                    None => {
                        let label = module.labels.claim(
                            "aws_apigatewayv2_integration",
                            &route_words(route),
                            &route_key,
                        );
                        let resource = integration_resource(module, integration, &route_key, label);
                        let id = resource.get("id");
                        module.add(TfFile::Main, resource);
                        id
                    }
                };
                Some(id)
            }
            None => None,
        };
        let resource = route_resource(module, route, &route_key, target);
        module.add(TfFile::Main, resource);
    }
}

pub(crate) fn route_key(route: &Route) -> String {
    match &route.key {
        RouteKey::Http { method, path } => format!("{method} {path}"),
        RouteKey::Default => "$default".to_owned(),
        RouteKey::Websocket { key } => key.clone(),
    }
}

/// `GET /pets/{id}` → `get_pets_id`; `$default` → `default`.
pub(crate) fn route_words(route: &Route) -> String {
    match &route.key {
        RouteKey::Http { method, path } => format!(
            "{}_{}",
            method.as_str().to_ascii_lowercase(),
            if path == "/" {
                "root".to_owned()
            } else {
                snake_case(path)
            }
        ),
        RouteKey::Default => "default".to_owned(),
        RouteKey::Websocket { key } => {
            let word = snake_case(key);
            if word.is_empty() {
                "route".to_owned()
            } else {
                word
            }
        }
    }
}

/// A route of an HTTP or WebSocket API, targeting `integration` (its id) when it has one.
pub(crate) fn route_resource(
    module: &mut Module<'_>,
    route: &Route,
    route_key: &str,
    integration: Option<Expression>,
) -> Resource {
    let websocket = module.api.kind == ApiKind::Websocket;
    let label = module
        .labels
        .claim("aws_apigatewayv2_route", &route_words(route), route_key);
    let mut resource = Resource::new("aws_apigatewayv2_route", label);
    resource.attr("api_id", module.api_get("id"));
    resource.attr("route_key", route_key);
    if let Some(id) = integration {
        resource.attr(
            "target",
            template(vec![
                TemplatePiece::Text("integrations/".to_owned()),
                TemplatePiece::Expression(id),
            ]),
        );
    }
    let auth = route_auth(module.api, route);
    let kind = if websocket {
        // WebSocket APIs authorize only `$connect`.
        match auth.kind {
            "CUSTOM" if route_key == "$connect" => "CUSTOM",
            "AWS_IAM" if route_key == "$connect" => "AWS_IAM",
            _ => "NONE",
        }
    } else {
        match auth.kind {
            "CUSTOM" => "CUSTOM",
            "JWT" | "COGNITO_USER_POOLS" => "JWT",
            "AWS_IAM" => "AWS_IAM",
            _ => "NONE",
        }
    };
    resource.attr("authorization_type", kind);
    if kind == "CUSTOM" || kind == "JWT" {
        if let Some(name) = &auth.authorizer {
            if let Some((_, id)) = module
                .authorizer_ids
                .iter()
                .find(|(known, _)| known == name)
            {
                resource.attr("authorizer_id", id.clone());
            }
        }
    }
    if !auth.scopes.is_empty() && kind == "JWT" {
        resource.attr("authorization_scopes", strings(&auth.scopes));
    }
    if websocket && auth.api_key_required {
        resource.attr("api_key_required", true);
    }
    resource.opt(
        "route_response_selection_expression",
        route.route_response_selection_expression.as_deref(),
    );
    resource.opt(
        "model_selection_expression",
        route.model_selection_expression.as_deref(),
    );
    resource.opt("operation_name", route.operation_id.as_deref());
    resource
}

pub(crate) fn authorizer_resource(
    module: &mut Module<'_>,
    authorizer: &Authorizer,
    label: String,
) -> Resource {
    let context = format!("authorizer {}", authorizer.name);
    let websocket = module.api.kind == ApiKind::Websocket;
    let mut resource = Resource::new("aws_apigatewayv2_authorizer", label);
    resource.attr("api_id", module.api_get("id"));
    resource.attr("name", authorizer.name.as_str());
    let jwt = authorizer.kind == Some(AuthorizerKind::Jwt) && !websocket;
    resource.attr("authorizer_type", if jwt { "JWT" } else { "REQUEST" });
    let mut sources: Vec<String> = authorizer
        .identity_source
        .iter()
        .map(|source| source.value.clone())
        .collect();
    if sources.is_empty() && jwt {
        sources.push("$request.header.Authorization".to_owned());
    }
    if !sources.is_empty() {
        resource.attr("identity_sources", strings(&sources));
    }
    if !jwt {
        if let Some(uri) = &authorizer.uri {
            let value = module.exprs.expression(
                &uri.value,
                &format!("URI of the {context}"),
                ValueKind::Text,
            );
            resource.attr("authorizer_uri", value);
        }
        if let Some(credentials) = &authorizer.credentials {
            let value = module.exprs.expression(
                &credentials.value,
                &format!("role of the {context}"),
                ValueKind::RoleArn,
            );
            resource.attr("authorizer_credentials_arn", value);
        }
        if !websocket {
            resource.attr(
                "authorizer_payload_format_version",
                authorizer
                    .payload_format_version
                    .as_ref()
                    .map(|version| version.value.clone())
                    .unwrap_or_else(|| "2.0".to_owned())
                    .as_str(),
            );
            resource.opt(
                "enable_simple_responses",
                authorizer.enable_simple_responses,
            );
            resource.opt(
                "authorizer_result_ttl_in_seconds",
                authorizer.result_ttl_seconds.as_ref().map(|ttl| ttl.value),
            );
        }
    }
    if let Some(config) = authorizer.jwt.as_ref().filter(|_| jwt) {
        let audience = (!config.audience.is_empty()).then(|| {
            Expression::Array(
                config
                    .audience
                    .iter()
                    .map(|audience| {
                        module.exprs.expression(
                            &audience.value,
                            &format!("audience of the {context}"),
                            ValueKind::Text,
                        )
                    })
                    .collect(),
            )
        });
        let issuer = config.issuer.as_ref().map(|issuer| {
            module.exprs.expression(
                &issuer.value,
                &format!("issuer of the {context}"),
                ValueKind::Text,
            )
        });
        resource.block(nested(
            "jwt_configuration",
            vec![("audience", audience), ("issuer", issuer)],
        ));
    }
    resource
}

pub(crate) fn integration_resource(
    module: &mut Module<'_>,
    integration: &Integration,
    route_key: &str,
    label: String,
) -> Resource {
    let websocket = module.api.kind == ApiKind::Websocket;
    let context = format!("integration of {route_key}");
    let mut resource = Resource::new("aws_apigatewayv2_integration", label);
    resource.attr("api_id", module.api_get("id"));
    let kind = integration.kind.unwrap_or(IntegrationType::HttpProxy);
    resource.attr("integration_type", kind.as_str());
    resource.opt(
        "integration_subtype",
        integration
            .integration_subtype
            .as_ref()
            .map(|value| value.value.as_str()),
    );
    if let Some(uri) = &integration.uri {
        let value = module.exprs.expression(
            &uri.value,
            &format!("URI of the {context}"),
            ValueKind::Text,
        );
        resource.attr("integration_uri", value);
    }
    if let Some(method) = &integration.http_method {
        if kind != IntegrationType::AwsProxy || integration.function.is_none() {
            resource.attr(
                "integration_method",
                method.value.to_ascii_uppercase().as_str(),
            );
        }
    }
    resource.opt(
        "connection_type",
        integration
            .connection_type
            .as_ref()
            .map(|value| value.value.to_ascii_uppercase()),
    );
    if let Some(connection) = &integration.connection_id {
        let value = module.exprs.expression(
            &connection.value,
            &format!("VPC link of the {context}"),
            ValueKind::Text,
        );
        resource.attr("connection_id", value);
    }
    if let Some(credentials) = &integration.credentials {
        let value = module.exprs.expression(
            &credentials.value,
            &format!("role of the {context}"),
            ValueKind::RoleArn,
        );
        resource.attr("credentials_arn", value);
    }
    let map = |entries: &indexmap::IndexMap<String, apigw_compiler::ir::Spanned<String>>| {
        (!entries.is_empty()).then(|| {
            object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), Expression::String(value.value.clone()))),
            )
        })
    };
    resource.opt("request_parameters", map(&integration.request_parameters));
    resource.opt("request_templates", map(&integration.request_templates));
    resource.opt(
        "template_selection_expression",
        integration.template_selection_expression.as_deref(),
    );
    if websocket {
        resource.opt(
            "passthrough_behavior",
            integration
                .passthrough_behavior
                .as_ref()
                .map(|value| value.value.to_ascii_uppercase()),
        );
        resource.opt(
            "content_handling_strategy",
            integration
                .content_handling
                .as_ref()
                .map(|value| value.value.as_str()),
        );
    }
    let version = integration
        .payload_format_version
        .as_ref()
        .map(|version| version.value.clone());
    match (module.api.kind, version) {
        (ApiKind::Http, Some(version)) => {
            resource.attr("payload_format_version", version.as_str());
        }
        // HTTP APIs require a payload format version for Lambda proxy integrations.
        (ApiKind::Http, None) if kind == IntegrationType::AwsProxy => {
            resource.attr("payload_format_version", "2.0");
        }
        _ => {}
    }
    resource.opt(
        "timeout_milliseconds",
        integration.timeout_ms.as_ref().map(|timeout| timeout.value),
    );
    if let Some(name) = integration
        .tls_config
        .as_ref()
        .and_then(|tls| tls.server_name_to_verify.as_deref())
    {
        resource.block(nested(
            "tls_config",
            vec![(
                "server_name_to_verify",
                Some(Expression::String(name.to_owned())),
            )],
        ));
    }
    for (status, mappings) in &integration.response_parameters {
        resource.block(nested(
            "response_parameters",
            vec![
                ("status_code", Some(Expression::String(status.clone()))),
                (
                    "mappings",
                    Some(object(mappings.iter().map(|(key, value)| {
                        (key.clone(), Expression::String(value.clone()))
                    }))),
                ),
            ],
        ));
    }
    resource
}
