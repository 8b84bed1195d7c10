//! WebSocket APIs, which have no OpenAPI form: `aws_apigatewayv2_api`, and per route an
//! `aws_apigatewayv2_route`, its `_integration`, `_route_response`s and
//! `_integration_response`s, plus `_authorizer`s. The deployment and stage come from
//! [`super::stage`].

use apigw_compiler::ir::AuthorizerKind;
use hcl::Expression;

use super::expr::object;
use super::http::{
    authorizer_resource, integration_resource, route_key, route_resource, route_words,
};
use super::stage::tags;
use super::{Module, Resource, TfFile};

pub(crate) fn resources(module: &mut Module<'_>) {
    let api = module.api;
    let mut resource = Resource::new("aws_apigatewayv2_api", "this");
    resource.attr("name", api.title.as_str());
    resource.attr("protocol_type", "WEBSOCKET");
    resource.attr(
        "route_selection_expression",
        api.route_selection_expression
            .clone()
            .unwrap_or_else(|| "$request.body.action".to_owned())
            .as_str(),
    );
    resource.opt(
        "api_key_selection_expression",
        api.api_key_selection_expression.as_deref(),
    );
    resource.opt("description", api.description.as_deref());
    let api_tags = tags(module, &api.tags);
    resource.opt("tags", api_tags);
    module.deployed.push(resource.reference());
    module.add(TfFile::Main, resource);

    for authorizer in &api.authorizers {
        if !matches!(
            authorizer.kind,
            Some(AuthorizerKind::Request | AuthorizerKind::Token)
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
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
    }

    for route in &api.routes {
        let key = route_key(route);
        let words = route_words(route);
        let mut integration_id = None;
        if let Some(integration) = &route.integration {
            let label = module
                .labels
                .claim("aws_apigatewayv2_integration", &words, &key);
            let resource = integration_resource(module, integration, &key, label);
            let id = resource.get("id");
            module.deployed.push(resource.reference());
            module.add(TfFile::Main, resource);
            for response in &integration.responses {
                let label = module.labels.claim(
                    "aws_apigatewayv2_integration_response",
                    &format!("{words}_{}", response.selection_pattern),
                    &format!("{key} {}", response.selection_pattern),
                );
                let mut resource = Resource::new("aws_apigatewayv2_integration_response", label);
                resource.attr("api_id", module.api_get("id"));
                resource.attr("integration_id", id.clone());
                let response_key = if response.selection_pattern == "default" {
                    "$default".to_owned()
                } else {
                    response.selection_pattern.clone()
                };
                resource.attr("integration_response_key", response_key.as_str());
                if !response.response_templates.is_empty() {
                    resource.attr(
                        "response_templates",
                        object(response.response_templates.iter().map(|(key, value)| {
                            (key.clone(), Expression::String(value.value.clone()))
                        })),
                    );
                }
                resource.opt(
                    "template_selection_expression",
                    integration.template_selection_expression.as_deref(),
                );
                module.deployed.push(resource.reference());
                module.add(TfFile::Main, resource);
            }
            integration_id = Some(id);
        }
        let resource = route_resource(module, route, &key, integration_id);
        let route_id = resource.get("id");
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
        for response in &route.route_responses {
            let label = module.labels.claim(
                "aws_apigatewayv2_route_response",
                &format!("{words}_{}", response.key),
                &format!("{key} {}", response.key),
            );
            let mut resource = Resource::new("aws_apigatewayv2_route_response", label);
            resource.attr("api_id", module.api_get("id"));
            resource.attr("route_id", route_id.clone());
            resource.attr("route_response_key", response.key.as_str());
            resource.opt(
                "model_selection_expression",
                response.model_selection_expression.as_deref(),
            );
            if !response.models.is_empty() {
                resource.attr(
                    "response_models",
                    object(
                        response
                            .models
                            .iter()
                            .map(|(key, value)| (key.clone(), Expression::String(value.clone()))),
                    ),
                );
            }
            module.deployed.push(resource.reference());
            module.add(TfFile::Main, resource);
        }
    }
}
