//! HTTP APIs: `AWS::ApiGatewayV2::Api` with the OpenAPI `Body` (body mode), or with one
//! `Route`, `Integration` and `Authorizer` per IR node (resources mode).

use apigw_compiler::ir::{
    Authorizer, AuthorizerKind, Integration, IntegrationType, Route, RouteKey,
};
use serde_json::{json, Map, Value};

use super::names::pascal_case;
use super::rest::{method_auth, string_map};
use super::Builder;
use crate::openapi::RenderExpr;

pub(crate) fn body(builder: &mut Builder<'_>) {
    let api = builder.api;
    let body = builder.document();
    let mut properties = Map::new();
    properties.insert("Body".into(), body);
    if let Some(disable) = api
        .endpoint
        .as_ref()
        .and_then(|endpoint| endpoint.disable_execute_api_endpoint)
    {
        properties.insert("DisableExecuteApiEndpoint".into(), json!(disable));
    }
    tags_map(builder, &mut properties);
    let id = builder.api_id.clone();
    builder.add(&id, "AWS::ApiGatewayV2::Api", properties);
}

pub(crate) fn tags_map(builder: &mut Builder<'_>, properties: &mut Map<String, Value>) {
    if builder.api.tags.is_empty() {
        return;
    }
    let mut tags = Map::new();
    for tag in &builder.api.tags {
        let value = builder
            .exprs
            .render(&tag.value, &format!("tag {}", tag.key));
        tags.insert(tag.key.clone(), value);
    }
    properties.insert("Tags".into(), Value::Object(tags));
}

pub(crate) fn resources(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let mut properties = Map::new();
    let title = builder.title();
    properties.insert("Name".into(), title);
    properties.insert("ProtocolType".into(), json!("HTTP"));
    if let Some(description) = &api.description {
        properties.insert("Description".into(), json!(description));
    }
    if let Some(cors) = &api.cors {
        let mut configuration = Map::new();
        if !cors.allow_origins.is_empty() {
            configuration.insert("AllowOrigins".into(), json!(cors.allow_origins));
        }
        if let Some(credentials) = cors.allow_credentials {
            configuration.insert("AllowCredentials".into(), json!(credentials));
        }
        if !cors.expose_headers.is_empty() {
            configuration.insert("ExposeHeaders".into(), json!(cors.expose_headers));
        }
        if let Some(max_age) = cors.max_age {
            configuration.insert("MaxAge".into(), json!(max_age));
        }
        if !cors.allow_methods.is_empty() {
            configuration.insert("AllowMethods".into(), json!(cors.allow_methods));
        }
        if !cors.allow_headers.is_empty() {
            configuration.insert("AllowHeaders".into(), json!(cors.allow_headers));
        }
        properties.insert("CorsConfiguration".into(), Value::Object(configuration));
    }
    if let Some(disable) = api
        .endpoint
        .as_ref()
        .and_then(|endpoint| endpoint.disable_execute_api_endpoint)
    {
        properties.insert("DisableExecuteApiEndpoint".into(), json!(disable));
    }
    tags_map(builder, &mut properties);
    builder.add(&api_id, "AWS::ApiGatewayV2::Api", properties);

    for authorizer in &api.authorizers {
        if !matches!(
            authorizer.kind,
            Some(AuthorizerKind::Jwt | AuthorizerKind::Request | AuthorizerKind::Token)
        ) {
            continue;
        }
        let id = builder.ids.claim(
            &format!("{api_id}Authorizer{}", pascal_case(&authorizer.name)),
            &authorizer.name,
        );
        let properties = authorizer_properties(builder, authorizer);
        builder.add(&id, "AWS::ApiGatewayV2::Authorizer", properties);
        builder.authorizer_ids.push((authorizer.name.clone(), id));
    }

    let mut shared_ids: Vec<(String, String)> = Vec::new();
    for route in &api.routes {
        let route_key = match &route.key {
            RouteKey::Http { method, path } => format!("{method} {path}"),
            RouteKey::Default => "$default".to_owned(),
            RouteKey::Websocket { key } => key.clone(),
        };
        let words = route_words(route);
        let mut own_integration = None;
        let target = match &route.integration {
            Some(integration) => {
                let integration_id = match &integration.shared_name {
                    Some(name) => match shared_ids.iter().find(|(known, _)| known == name) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let id = builder
                                .ids
                                .claim(&format!("{api_id}Integration{}", pascal_case(name)), name);
                            let properties =
                                integration_properties(builder, integration, &route_key);
                            builder.add(&id, "AWS::ApiGatewayV2::Integration", properties);
                            shared_ids.push((name.clone(), id.clone()));
                            id
                        }
                    },
                    None => {
                        let id = builder
                            .ids
                            .claim(&format!("{api_id}Integration{words}"), &route_key);
                        let properties = integration_properties(builder, integration, &route_key);
                        builder.add(&id, "AWS::ApiGatewayV2::Integration", properties);
                        own_integration = Some(id.clone());
                        id
                    }
                };
                Some(json!({"Fn::Sub": format!("integrations/${{{integration_id}}}")}))
            }
            None => None,
        };
        let id = builder
            .ids
            .claim(&format!("{api_id}Route{words}"), &route_key);
        let mut properties = Map::new();
        properties.insert("ApiId".into(), json!({"Ref": api_id}));
        properties.insert("RouteKey".into(), json!(route_key));
        if let Some(target) = target {
            properties.insert("Target".into(), target);
        }
        let auth = method_auth(builder, route);
        let kind = match auth.kind {
            "CUSTOM" => "CUSTOM",
            "JWT" | "COGNITO_USER_POOLS" => "JWT",
            "AWS_IAM" => "AWS_IAM",
            _ => "NONE",
        };
        properties.insert("AuthorizationType".into(), json!(kind));
        if let Some(name) = &auth.authorizer {
            if let Some((_, id)) = builder
                .authorizer_ids
                .iter()
                .find(|(known, _)| known == name)
            {
                properties.insert("AuthorizerId".into(), json!({"Ref": id}));
            }
        }
        if !auth.scopes.is_empty() && kind == "JWT" {
            properties.insert("AuthorizationScopes".into(), json!(auth.scopes));
        }
        if let Some(operation_id) = &route.operation_id {
            properties.insert("OperationName".into(), json!(operation_id));
        }
        builder.add(&id, "AWS::ApiGatewayV2::Route", properties);
        // A route and the integration only it uses move together into a nested stack.
        if let RouteKey::Http { path, .. } = &route.key {
            builder.placement.insert(id.clone(), path.clone());
            if let Some(integration_id) = own_integration {
                builder.placement.insert(integration_id, path.clone());
            }
        }
    }
}

/// `GET /pets/{id}` → `GetPetsId`; `$default` → `Default`.
pub(crate) fn route_words(route: &Route) -> String {
    match &route.key {
        RouteKey::Http { method, path } => format!(
            "{}{}",
            pascal_case(&method.as_str().to_ascii_lowercase()),
            if path == "/" {
                "Root".to_owned()
            } else {
                pascal_case(path)
            }
        ),
        RouteKey::Default => "Default".to_owned(),
        RouteKey::Websocket { key } => {
            let word = pascal_case(key);
            if word.is_empty() {
                "Route".to_owned()
            } else {
                word
            }
        }
    }
}

fn authorizer_properties(builder: &mut Builder<'_>, authorizer: &Authorizer) -> Map<String, Value> {
    let api_id = builder.api_id.clone();
    let context = format!("authorizer {}", authorizer.name);
    let mut properties = Map::new();
    properties.insert("ApiId".into(), json!({"Ref": api_id}));
    properties.insert("Name".into(), json!(authorizer.name));
    let jwt = authorizer.kind == Some(AuthorizerKind::Jwt);
    properties.insert(
        "AuthorizerType".into(),
        json!(if jwt { "JWT" } else { "REQUEST" }),
    );
    let sources: Vec<&str> = authorizer
        .identity_source
        .iter()
        .map(|source| source.value.as_str())
        .collect();
    if !sources.is_empty() {
        properties.insert("IdentitySource".into(), json!(sources));
    } else if jwt {
        properties.insert(
            "IdentitySource".into(),
            json!(["$request.header.Authorization"]),
        );
    }
    if let Some(config) = &authorizer.jwt {
        let mut out = Map::new();
        if !config.audience.is_empty() {
            let audience = config
                .audience
                .iter()
                .map(|audience| {
                    builder
                        .exprs
                        .render(&audience.value, &format!("audience of the {context}"))
                })
                .collect();
            out.insert("Audience".into(), Value::Array(audience));
        }
        if let Some(issuer) = &config.issuer {
            let value = builder
                .exprs
                .render(&issuer.value, &format!("issuer of the {context}"));
            out.insert("Issuer".into(), value);
        }
        properties.insert("JwtConfiguration".into(), Value::Object(out));
    }
    if !jwt {
        if let Some(uri) = &authorizer.uri {
            let value = builder
                .exprs
                .render(&uri.value, &format!("URI of the {context}"));
            properties.insert("AuthorizerUri".into(), value);
        }
        if let Some(credentials) = &authorizer.credentials {
            let value = builder
                .exprs
                .render(&credentials.value, &format!("role of the {context}"));
            properties.insert("AuthorizerCredentialsArn".into(), value);
        }
        properties.insert(
            "AuthorizerPayloadFormatVersion".into(),
            json!(authorizer
                .payload_format_version
                .as_ref()
                .map(|version| version.value.clone())
                .unwrap_or_else(|| "2.0".to_owned())),
        );
        if let Some(simple) = authorizer.enable_simple_responses {
            properties.insert("EnableSimpleResponses".into(), json!(simple));
        }
        if let Some(ttl) = &authorizer.result_ttl_seconds {
            properties.insert("AuthorizerResultTtlInSeconds".into(), json!(ttl.value));
        }
    }
    properties
}

pub(crate) fn integration_properties(
    builder: &mut Builder<'_>,
    integration: &Integration,
    route_key: &str,
) -> Map<String, Value> {
    let api_id = builder.api_id.clone();
    let context = format!("integration of {route_key}");
    let mut properties = Map::new();
    properties.insert("ApiId".into(), json!({"Ref": api_id}));
    let kind = integration.kind.unwrap_or(IntegrationType::HttpProxy);
    properties.insert("IntegrationType".into(), json!(kind.as_str()));
    if let Some(subtype) = &integration.integration_subtype {
        properties.insert("IntegrationSubtype".into(), json!(subtype.value));
    }
    if let Some(uri) = &integration.uri {
        let value = builder
            .exprs
            .render(&uri.value, &format!("URI of the {context}"));
        properties.insert("IntegrationUri".into(), value);
    }
    if let Some(method) = &integration.http_method {
        if kind != IntegrationType::AwsProxy || integration.function.is_none() {
            properties.insert(
                "IntegrationMethod".into(),
                json!(method.value.to_ascii_uppercase()),
            );
        }
    }
    if let Some(connection_type) = &integration.connection_type {
        properties.insert(
            "ConnectionType".into(),
            json!(connection_type.value.to_ascii_uppercase()),
        );
    }
    if let Some(connection) = &integration.connection_id {
        let value = builder
            .exprs
            .render(&connection.value, &format!("VPC link of the {context}"));
        properties.insert("ConnectionId".into(), value);
    }
    if let Some(credentials) = &integration.credentials {
        let value = builder
            .exprs
            .render(&credentials.value, &format!("role of the {context}"));
        properties.insert("CredentialsArn".into(), value);
    }
    string_map(
        &mut properties,
        "RequestParameters",
        integration
            .request_parameters
            .iter()
            .map(|(key, value)| (key.as_str(), value.value.as_str())),
    );
    string_map(
        &mut properties,
        "RequestTemplates",
        integration
            .request_templates
            .iter()
            .map(|(key, value)| (key.as_str(), value.value.as_str())),
    );
    if !integration.response_parameters.is_empty() {
        properties.insert(
            "ResponseParameters".into(),
            json!(integration.response_parameters),
        );
    }
    if let Some(template) = &integration.template_selection_expression {
        properties.insert("TemplateSelectionExpression".into(), json!(template));
    }
    if let Some(passthrough) = &integration.passthrough_behavior {
        if builder.api.kind == apigw_compiler::ir::ApiKind::Websocket {
            properties.insert(
                "PassthroughBehavior".into(),
                json!(passthrough.value.to_ascii_uppercase()),
            );
        }
    }
    if let Some(handling) = &integration.content_handling {
        if builder.api.kind == apigw_compiler::ir::ApiKind::Websocket {
            properties.insert("ContentHandlingStrategy".into(), json!(handling.value));
        }
    }
    let version = integration
        .payload_format_version
        .as_ref()
        .map(|version| version.value.clone());
    match (builder.api.kind, version) {
        (apigw_compiler::ir::ApiKind::Http, Some(version)) => {
            properties.insert("PayloadFormatVersion".into(), json!(version));
        }
        // HTTP APIs require a payload format version for Lambda proxy integrations.
        (apigw_compiler::ir::ApiKind::Http, None) if kind == IntegrationType::AwsProxy => {
            properties.insert("PayloadFormatVersion".into(), json!("2.0"));
        }
        _ => {}
    }
    if let Some(timeout) = &integration.timeout_ms {
        properties.insert("TimeoutInMillis".into(), json!(timeout.value));
    }
    if let Some(tls) = &integration.tls_config {
        if let Some(name) = &tls.server_name_to_verify {
            properties.insert("TlsConfig".into(), json!({"ServerNameToVerify": name}));
        }
    }
    properties
}
