//! WebSocket APIs, which have no OpenAPI form: `Api`, and per route a `Route`, its
//! `Integration`, `RouteResponse`s and `IntegrationResponse`s, plus `Authorizer`s. The
//! deployment and stage come from [`super::stage`].

use apigw_compiler::ir::AuthorizerKind;
use serde_json::{json, Map, Value};

use super::http::{integration_properties, route_words};
use super::names::pascal_case;
use super::rest::{method_auth, string_map};
use super::Builder;
use crate::openapi::RenderExpr;

pub(crate) fn resources(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let mut properties = Map::new();
    let title = builder.title();
    properties.insert("Name".into(), title);
    properties.insert("ProtocolType".into(), json!("WEBSOCKET"));
    properties.insert(
        "RouteSelectionExpression".into(),
        json!(api
            .route_selection_expression
            .clone()
            .unwrap_or_else(|| "$request.body.action".to_owned())),
    );
    if let Some(expression) = &api.api_key_selection_expression {
        properties.insert("ApiKeySelectionExpression".into(), json!(expression));
    }
    if let Some(description) = &api.description {
        properties.insert("Description".into(), json!(description));
    }
    super::http::tags_map(builder, &mut properties);
    builder.add(&api_id, "AWS::ApiGatewayV2::Api", properties);
    builder.deployed.push(api_id.clone());

    for authorizer in &api.authorizers {
        if !matches!(
            authorizer.kind,
            Some(AuthorizerKind::Request | AuthorizerKind::Token)
        ) {
            continue;
        }
        let context = format!("authorizer {}", authorizer.name);
        let id = builder.ids.claim(
            &format!("{api_id}Authorizer{}", pascal_case(&authorizer.name)),
            &authorizer.name,
        );
        let mut properties = Map::new();
        properties.insert("ApiId".into(), json!({"Ref": api_id}));
        properties.insert("Name".into(), json!(authorizer.name));
        properties.insert("AuthorizerType".into(), json!("REQUEST"));
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
        let sources: Vec<&str> = authorizer
            .identity_source
            .iter()
            .map(|source| source.value.as_str())
            .collect();
        if !sources.is_empty() {
            properties.insert("IdentitySource".into(), json!(sources));
        }
        builder.add(&id, "AWS::ApiGatewayV2::Authorizer", properties);
        builder.deployed.push(id.clone());
        builder.authorizer_ids.push((authorizer.name.clone(), id));
    }

    for route in &api.routes {
        let route_key = route.key.to_string();
        let words = route_words(route);
        let mut integration_id = None;
        if let Some(integration) = &route.integration {
            let id = builder
                .ids
                .claim(&format!("{api_id}Integration{words}"), &route_key);
            let properties = integration_properties(builder, integration, &route_key);
            builder.add(&id, "AWS::ApiGatewayV2::Integration", properties);
            builder.deployed.push(id.clone());
            for response in &integration.responses {
                let response_id = builder.ids.claim(
                    &format!(
                        "{api_id}IntegrationResponse{words}{}",
                        pascal_case(&response.selection_pattern)
                    ),
                    &format!("{route_key} {}", response.selection_pattern),
                );
                let mut properties = Map::new();
                properties.insert("ApiId".into(), json!({"Ref": api_id}));
                properties.insert("IntegrationId".into(), json!({"Ref": id}));
                let key = if response.selection_pattern == "default" {
                    "$default".to_owned()
                } else {
                    response.selection_pattern.clone()
                };
                properties.insert("IntegrationResponseKey".into(), json!(key));
                string_map(
                    &mut properties,
                    "ResponseTemplates",
                    response
                        .response_templates
                        .iter()
                        .map(|(key, value)| (key.as_str(), value.value.as_str())),
                );
                if let Some(expression) = &integration.template_selection_expression {
                    properties.insert("TemplateSelectionExpression".into(), json!(expression));
                }
                builder.add(
                    &response_id,
                    "AWS::ApiGatewayV2::IntegrationResponse",
                    properties,
                );
                builder.deployed.push(response_id);
            }
            integration_id = Some(id);
        }
        let id = builder
            .ids
            .claim(&format!("{api_id}Route{words}"), &route_key);
        let mut properties = Map::new();
        properties.insert("ApiId".into(), json!({"Ref": api_id}));
        properties.insert("RouteKey".into(), json!(route_key));
        if let Some(integration_id) = &integration_id {
            properties.insert(
                "Target".into(),
                json!({"Fn::Sub": format!("integrations/${{{integration_id}}}")}),
            );
        }
        let auth = method_auth(builder, route);
        // WebSocket APIs authorize only `$connect`.
        let kind = match auth.kind {
            "CUSTOM" if route_key == "$connect" => "CUSTOM",
            "AWS_IAM" if route_key == "$connect" => "AWS_IAM",
            _ => "NONE",
        };
        properties.insert("AuthorizationType".into(), json!(kind));
        if kind == "CUSTOM" {
            if let Some(name) = &auth.authorizer {
                if let Some((_, id)) = builder
                    .authorizer_ids
                    .iter()
                    .find(|(known, _)| known == name)
                {
                    properties.insert("AuthorizerId".into(), json!({"Ref": id}));
                }
            }
        }
        if auth.api_key_required {
            properties.insert("ApiKeyRequired".into(), json!(true));
        }
        if let Some(expression) = &route.route_response_selection_expression {
            properties.insert("RouteResponseSelectionExpression".into(), json!(expression));
        }
        if let Some(expression) = &route.model_selection_expression {
            properties.insert("ModelSelectionExpression".into(), json!(expression));
        }
        if let Some(operation_id) = &route.operation_id {
            properties.insert("OperationName".into(), json!(operation_id));
        }
        builder.add(&id, "AWS::ApiGatewayV2::Route", properties);
        builder.deployed.push(id.clone());
        for response in &route.route_responses {
            let response_id = builder.ids.claim(
                &format!("{api_id}RouteResponse{words}{}", pascal_case(&response.key)),
                &format!("{route_key} {}", response.key),
            );
            let mut properties = Map::new();
            properties.insert("ApiId".into(), json!({"Ref": api_id}));
            properties.insert("RouteId".into(), json!({"Ref": id}));
            properties.insert("RouteResponseKey".into(), json!(response.key));
            if let Some(expression) = &response.model_selection_expression {
                properties.insert("ModelSelectionExpression".into(), json!(expression));
            }
            if !response.models.is_empty() {
                let models: Map<String, Value> = response
                    .models
                    .iter()
                    .map(|(key, value)| (key.clone(), json!(value)))
                    .collect();
                properties.insert("ResponseModels".into(), Value::Object(models));
            }
            builder.add(&response_id, "AWS::ApiGatewayV2::RouteResponse", properties);
            builder.deployed.push(response_id);
        }
    }
}
