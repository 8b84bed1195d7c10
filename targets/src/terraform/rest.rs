//! REST APIs: `aws_api_gateway_rest_api` with the OpenAPI `body` (body mode), or with one
//! `aws_api_gateway_resource`, `_method`, `_integration`, `_method_response`,
//! `_integration_response`, `_authorizer`, `_model`, `_request_validator` and
//! `_gateway_response` per IR node (resources mode).

use apigw_compiler::ir::{
    ApiKeySource, Authorizer, AuthorizerKind, HttpMethod, Integration, IntegrationType,
    ParameterLocation, Route, RouteKey, Schema,
};
use hcl::Expression;
use indexmap::IndexMap;
use serde_json::Value;

use super::expr::{call, object, template, traversal, TemplatePiece, ValueKind};
use super::stage::tags;
use super::{nested, Module, Resource, TfFile};
use crate::cloudformation::rest::route_auth;
use crate::openapi::deployed_document;

/// `body = jsonencode(local.openapi)`, the document itself in `openapi.tf`.
pub(crate) fn set_document(module: &mut Module<'_>, resource: &mut Resource) {
    let value = deployed_document(module.api, module.gateway_responses, &mut module.exprs);
    module.document = Some(module.exprs.json(&value));
    resource.attr(
        "body",
        call("jsonencode", vec![traversal("local", &["openapi"])]),
    );
}

pub(crate) fn body(module: &mut Module<'_>) {
    let api = module.api;
    let mut resource = Resource::new("aws_api_gateway_rest_api", "this");
    resource.attr("name", api.title.as_str());
    set_document(module, &mut resource);
    let api_tags = tags(module, &api.tags);
    resource.opt("tags", api_tags);
    endpoint_configuration(module, &mut resource, true);
    module.deployment_trigger = Some(resource.get("body"));
    module.add(TfFile::Main, resource);
}

/// The endpoint settings the body cannot carry.
fn endpoint_configuration(module: &mut Module<'_>, resource: &mut Resource, body: bool) {
    let Some(endpoint) = &module.api.endpoint else {
        return;
    };
    if !body {
        resource.opt(
            "disable_execute_api_endpoint",
            endpoint.disable_execute_api_endpoint,
        );
    }
    let types = (!endpoint.types.is_empty()).then(|| {
        Expression::Array(
            endpoint
                .types
                .iter()
                .map(|kind| Expression::String(kind.clone()))
                .collect(),
        )
    });
    let ids = (!body && !endpoint.vpc_endpoint_ids.is_empty()).then(|| {
        Expression::Array(
            endpoint
                .vpc_endpoint_ids
                .iter()
                .map(|id| {
                    module
                        .exprs
                        .expression(id, "VPC endpoint of the API", ValueKind::Text)
                })
                .collect(),
        )
    });
    if types.is_some() || ids.is_some() {
        resource.block(nested(
            "endpoint_configuration",
            vec![("types", types), ("vpc_endpoint_ids", ids)],
        ));
    }
}

fn strings(values: impl IntoIterator<Item = String>) -> Expression {
    Expression::Array(values.into_iter().map(Expression::String).collect())
}

fn string_map<'a>(entries: impl Iterator<Item = (&'a String, &'a str)>) -> Option<Expression> {
    let entries: Vec<(String, Expression)> = entries
        .map(|(key, value)| (key.clone(), Expression::String(value.to_owned())))
        .collect();
    (!entries.is_empty()).then(|| object(entries))
}

/// Where a model URL needs the API's id; a NUL appears in no schema text.
const API_ID_MARK: &str = "\u{0}api-id\u{0}";

/// API Gateway model names are alphanumeric.
fn alphanumeric_name(name: &str) -> String {
    let cleaned: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    if cleaned.is_empty() {
        "Model".to_owned()
    } else {
        cleaned
    }
}

/// A model's schema with `$ref`s to other models rewritten to the model URLs API Gateway
/// expects (`https://apigateway.amazonaws.com/restapis/<id>/models/<name>`), and the models it
/// refers to.
fn model_schema(
    schema: &Value,
    models: &IndexMap<String, (String, String)>,
    depends: &mut Vec<String>,
    depth: usize,
) -> Value {
    if depth > 64 {
        return schema.clone();
    }
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    if key == "$ref" {
                        if let Some((label, name)) = value
                            .as_str()
                            .and_then(|text| {
                                text.strip_prefix("#/components/schemas/")
                                    .or_else(|| text.strip_prefix("#/definitions/"))
                            })
                            .and_then(|target| models.get(target))
                        {
                            depends.push(label.clone());
                            let url = format!(
                                "https://apigateway.amazonaws.com/restapis/{API_ID_MARK}/models/{name}"
                            );
                            return (key.clone(), Value::String(url));
                        }
                    }
                    (
                        key.clone(),
                        model_schema(value, models, depends, depth + 1),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| model_schema(item, models, depends, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The schema of a model: `jsonencode(local.model_schemas.<label>)`, the schema itself (with
/// the API id interpolated into model references) laid out in `models.tf`.
fn schema_expression(module: &mut Module<'_>, label: &str, schema: &Value) -> Expression {
    let expression = module.exprs.json(schema);
    let expression = replace_model_urls(module, expression);
    module.model_schemas.push((label.to_owned(), expression));
    call(
        "jsonencode",
        vec![traversal("local", &["model_schemas", label])],
    )
}

/// Puts `aws_api_gateway_rest_api.this.id` where [`model_schema`] left its marker.
fn replace_model_urls(module: &Module<'_>, expression: Expression) -> Expression {
    match expression {
        Expression::String(text) if text.contains(API_ID_MARK) => {
            let mut pieces = Vec::new();
            for (index, piece) in text.split(API_ID_MARK).enumerate() {
                if index > 0 {
                    pieces.push(TemplatePiece::Expression(module.api_get("id")));
                }
                pieces.push(TemplatePiece::Text(piece.to_owned()));
            }
            template(pieces)
        }
        Expression::Array(items) => Expression::Array(
            items
                .into_iter()
                .map(|item| replace_model_urls(module, item))
                .collect(),
        ),
        Expression::Object(map) => Expression::Object(
            map.into_iter()
                .map(|(key, value)| (key, replace_model_urls(module, value)))
                .collect(),
        ),
        other => other,
    }
}

pub(crate) fn resources(module: &mut Module<'_>) {
    let api = module.api;

    // The RestApi itself.
    let mut resource = Resource::new("aws_api_gateway_rest_api", "this");
    resource.attr("name", api.title.as_str());
    resource.opt("description", api.description.as_deref());
    if !api.binary_media_types.is_empty() {
        resource.attr(
            "binary_media_types",
            strings(api.binary_media_types.iter().map(|t| t.value.clone())),
        );
    }
    resource.opt(
        "minimum_compression_size",
        api.minimum_compression_size
            .as_ref()
            .map(|size| size.value.to_string()),
    );
    resource.opt(
        "api_key_source",
        api.api_key_source.map(|source| match source {
            ApiKeySource::Header => "HEADER",
            ApiKeySource::Authorizer => "AUTHORIZER",
        }),
    );
    if let Some(policy) = &api.policy {
        resource.attr(
            "policy",
            call("jsonencode", vec![module.exprs.json(&policy.value)]),
        );
    }
    let api_tags = tags(module, &api.tags);
    resource.opt("tags", api_tags);
    endpoint_configuration(module, &mut resource, false);
    module.deployed.push(resource.reference());
    module.add(TfFile::Main, resource);

    // Models, named as API Gateway requires (alphanumeric).
    let mut model_labels: IndexMap<String, (String, String)> = IndexMap::new();
    for model in &api.models {
        let name = alphanumeric_name(&model.name);
        let label = module
            .labels
            .claim("aws_api_gateway_model", &model.name, &model.name);
        model_labels.insert(model.name.clone(), (label, name));
    }
    for model in &api.models {
        let Some((label, name)) = model_labels.get(&model.name).cloned() else {
            continue;
        };
        let mut depends = Vec::new();
        let schema = model_schema(&model.schema, &model_labels, &mut depends, 0);
        depends.retain(|dependency| *dependency != label);
        depends.sort();
        depends.dedup();
        let mut resource = Resource::new("aws_api_gateway_model", label.clone());
        resource.attr("rest_api_id", module.api_get("id"));
        resource.attr("name", name.as_str());
        resource.attr("content_type", model.content_type.as_str());
        resource.opt("description", model.description.as_deref());
        let schema = schema_expression(module, &label, &schema);
        resource.attr("schema", schema);
        resource.depends_on(
            depends
                .iter()
                .map(|label| traversal("aws_api_gateway_model", &[label]))
                .collect(),
        );
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
    }

    // Request validators.
    let mut validator_ids: Vec<(String, Expression)> = Vec::new();
    for validator in &api.request_validators {
        let label = module.labels.claim(
            "aws_api_gateway_request_validator",
            &validator.name,
            &validator.name,
        );
        let mut resource = Resource::new("aws_api_gateway_request_validator", label);
        resource.attr("rest_api_id", module.api_get("id"));
        resource.attr("name", validator.name.as_str());
        resource.attr("validate_request_body", validator.validate_request_body);
        resource.attr(
            "validate_request_parameters",
            validator.validate_request_parameters,
        );
        validator_ids.push((validator.name.clone(), resource.get("id")));
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
    }

    // Authorizers.
    for authorizer in &api.authorizers {
        if matches!(authorizer.kind, Some(AuthorizerKind::Iam) | None) {
            continue;
        }
        let label = module.labels.claim(
            "aws_api_gateway_authorizer",
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

    // Gateway responses.
    for response in module.gateway_responses {
        let label = module.labels.claim(
            "aws_api_gateway_gateway_response",
            &response.response_type.to_ascii_lowercase(),
            &response.response_type,
        );
        let mut resource = Resource::new("aws_api_gateway_gateway_response", label);
        resource.attr("rest_api_id", module.api_get("id"));
        resource.attr("response_type", response.response_type.as_str());
        resource.opt(
            "status_code",
            response
                .status_code
                .as_ref()
                .map(|status| status.value.as_str()),
        );
        resource.opt(
            "response_parameters",
            string_map(
                response
                    .response_parameters
                    .iter()
                    .map(|(key, value)| (key, value.value.as_str())),
            ),
        );
        resource.opt(
            "response_templates",
            string_map(
                response
                    .response_templates
                    .iter()
                    .map(|(key, value)| (key, value.value.as_str())),
            ),
        );
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
    }

    // The resource tree: one resource per distinct path prefix.
    let mut resource_ids: IndexMap<String, Expression> = IndexMap::new();
    for route in &api.routes {
        let Some(path) = route.path() else { continue };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut prefix = String::new();
        for segment in segments {
            let parent = resource_id(module, &resource_ids, &prefix);
            prefix.push('/');
            prefix.push_str(segment);
            if resource_ids.contains_key(&prefix) {
                continue;
            }
            let label = module
                .labels
                .claim("aws_api_gateway_resource", &prefix, &prefix);
            let mut resource = Resource::new("aws_api_gateway_resource", label);
            resource.attr("rest_api_id", module.api_get("id"));
            resource.attr("parent_id", parent);
            resource.attr("path_part", segment);
            resource_ids.insert(prefix.clone(), resource.get("id"));
            module.deployed.push(resource.reference());
            module.add(TfFile::Main, resource);
        }
    }

    // Methods, their integrations and responses.
    let mut methods = 0;
    for route in &api.routes {
        let RouteKey::Http { method, path } = &route.key else {
            continue;
        };
        methods += 1;
        method_resources(
            module,
            route,
            *method,
            path,
            &resource_ids,
            &model_labels,
            &validator_ids,
        );
    }
    if methods == 0 {
        module.warnings.push(crate::Warning::with_help(
            format!(
                "REST API `{}` has no methods, and API Gateway refuses to deploy an API without any",
                api.title
            ),
            "add a route to the API",
        ));
    }
}

fn resource_id(
    module: &Module<'_>,
    resource_ids: &IndexMap<String, Expression>,
    prefix: &str,
) -> Expression {
    match resource_ids.get(prefix) {
        Some(id) if !prefix.is_empty() => id.clone(),
        _ => module.api_get("root_resource_id"),
    }
}

fn authorizer_resource(
    module: &mut Module<'_>,
    authorizer: &Authorizer,
    label: String,
) -> Resource {
    let context = format!("authorizer {}", authorizer.name);
    let mut resource = Resource::new("aws_api_gateway_authorizer", label);
    resource.attr("rest_api_id", module.api_get("id"));
    resource.attr("name", authorizer.name.as_str());
    let kind = match authorizer.kind {
        Some(AuthorizerKind::Request) => "REQUEST",
        Some(AuthorizerKind::CognitoUserPools) => "COGNITO_USER_POOLS",
        _ => "TOKEN",
    };
    resource.attr("type", kind);
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
        resource.attr("authorizer_credentials", value);
    }
    resource.opt(
        "authorizer_result_ttl_in_seconds",
        authorizer.result_ttl_seconds.as_ref().map(|ttl| ttl.value),
    );
    let mut sources: Vec<String> = authorizer
        .identity_source
        .iter()
        .map(|source| source.value.clone())
        .collect();
    if sources.is_empty() && kind != "REQUEST" {
        let header = authorizer
            .header_name
            .clone()
            .unwrap_or_else(|| "Authorization".to_owned());
        sources.push(format!("method.request.header.{header}"));
    }
    if !sources.is_empty() {
        resource.attr("identity_source", sources.join(", ").as_str());
    }
    resource.opt(
        "identity_validation_expression",
        authorizer
            .identity_validation_expression
            .as_ref()
            .map(|expression| expression.value.as_str()),
    );
    if !authorizer.provider_arns.is_empty() {
        let arns = authorizer
            .provider_arns
            .iter()
            .map(|arn| {
                module.exprs.expression(
                    &arn.value,
                    &format!("user pool of the {context}"),
                    ValueKind::UserPoolArn,
                )
            })
            .collect();
        resource.attr("provider_arns", Expression::Array(arns));
    }
    resource
}

/// A method response being assembled: header parameters (name → required) and models.
type MethodResponseEntry = (IndexMap<String, bool>, IndexMap<String, String>);

fn method_resources(
    module: &mut Module<'_>,
    route: &Route,
    method: HttpMethod,
    path: &str,
    resource_ids: &IndexMap<String, Expression>,
    model_labels: &IndexMap<String, (String, String)>,
    validator_ids: &[(String, Expression)],
) {
    let api = module.api;
    let words = format!(
        "{}_{}",
        method.as_str().to_ascii_lowercase(),
        if path == "/" { "root" } else { path }
    );
    let source = route.key.to_string();
    let label = module
        .labels
        .claim("aws_api_gateway_method", &words, &source);
    let mut resource = Resource::new("aws_api_gateway_method", label);
    resource.attr("rest_api_id", module.api_get("id"));
    let resource_path = if path == "/" { "" } else { path };
    let resource_id = resource_id(module, resource_ids, resource_path);
    resource.attr("resource_id", resource_id.clone());
    resource.attr("http_method", method.as_str());
    let auth = route_auth(api, route);
    resource.attr("authorization", auth.kind);
    if let Some(name) = &auth.authorizer {
        if let Some((_, id)) = module
            .authorizer_ids
            .iter()
            .find(|(known, _)| known == name)
        {
            resource.attr("authorizer_id", id.clone());
        }
    }
    if !auth.scopes.is_empty() {
        resource.attr("authorization_scopes", strings(auth.scopes.clone()));
    }
    if auth.api_key_required {
        resource.attr("api_key_required", true);
    }
    resource.opt("operation_name", route.operation_id.as_deref());

    // Request parameters: declared ones, and any the integration maps from.
    let mut request_parameters: IndexMap<String, bool> = IndexMap::new();
    for parameter in &route.parameters {
        let location = match parameter.location {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "querystring",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => continue,
        };
        request_parameters.insert(
            format!("method.request.{location}.{}", parameter.name),
            parameter.required || parameter.location == ParameterLocation::Path,
        );
    }
    if let Some(integration) = &route.integration {
        for source in integration.request_parameters.values() {
            let source = source.value.trim();
            if source.starts_with("method.request.")
                && !source.starts_with("method.request.body")
                && !source.starts_with("method.request.multivalue")
            {
                request_parameters.entry(source.to_owned()).or_insert(false);
            }
        }
    }
    if !request_parameters.is_empty() {
        resource.attr(
            "request_parameters",
            object(
                request_parameters
                    .iter()
                    .map(|(key, required)| (key.clone(), Expression::Bool(*required))),
            ),
        );
    }
    if let Some(body) = &route.request_body {
        let models: Vec<(String, Expression)> = body
            .content
            .iter()
            .filter_map(|(media_type, schema)| match schema {
                Some(Schema::Model { name }) => model_labels.get(name).map(|(label, _)| {
                    (
                        media_type.clone(),
                        traversal("aws_api_gateway_model", &[label, "name"]),
                    )
                }),
                _ => None,
            })
            .collect();
        if !models.is_empty() {
            resource.attr("request_models", object(models));
        }
    }
    let validator = route
        .request_validator
        .as_ref()
        .or(api.default_request_validator.as_ref());
    if let Some(validator) = validator {
        if let Some((_, id)) = validator_ids
            .iter()
            .find(|(name, _)| *name == validator.value)
        {
            resource.attr("request_validator_id", id.clone());
        }
    }
    let method_label = resource.label.clone();
    let http_method = resource.get("http_method");
    module.deployed.push(resource.reference());
    module.add(TfFile::Main, resource);

    // Method responses: declared ones, plus any the integration responses answer with.
    let mut responses: IndexMap<String, MethodResponseEntry> = IndexMap::new();
    for response in &route.responses {
        if response.status.parse::<u16>().is_err() {
            continue;
        }
        let entry = responses.entry(response.status.clone()).or_default();
        for (name, header) in &response.headers {
            entry
                .0
                .insert(format!("method.response.header.{name}"), header.required);
        }
        for (media_type, schema) in &response.content {
            if let Some(Schema::Model { name }) = schema {
                if let Some((label, _)) = model_labels.get(name) {
                    entry.1.insert(media_type.clone(), label.clone());
                }
            }
        }
    }
    if let Some(integration) = &route.integration {
        for response in &integration.responses {
            let Some(status) = &response.status_code else {
                continue;
            };
            let entry = responses.entry(status.value.clone()).or_default();
            for key in response.response_parameters.keys() {
                if key.starts_with("method.response.header.") {
                    entry.0.entry(key.clone()).or_insert(false);
                }
            }
        }
    }
    let mut method_responses: Vec<(String, Expression)> = Vec::new();
    for (status, (parameters, models)) in responses {
        let label = module.labels.claim(
            "aws_api_gateway_method_response",
            &format!("{method_label}_{status}"),
            &format!("{source} {status}"),
        );
        let mut resource = Resource::new("aws_api_gateway_method_response", label);
        resource.attr("rest_api_id", module.api_get("id"));
        resource.attr("resource_id", resource_id.clone());
        resource.attr("http_method", http_method.clone());
        resource.attr("status_code", status.as_str());
        if !parameters.is_empty() {
            resource.attr(
                "response_parameters",
                object(
                    parameters
                        .iter()
                        .map(|(key, required)| (key.clone(), Expression::Bool(*required))),
                ),
            );
        }
        if !models.is_empty() {
            resource.attr(
                "response_models",
                object(models.iter().map(|(media_type, label)| {
                    (
                        media_type.clone(),
                        traversal("aws_api_gateway_model", &[label, "name"]),
                    )
                })),
            );
        }
        method_responses.push((status, resource.get("status_code")));
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
    }

    if let Some(integration) = &route.integration {
        integration_resources(
            module,
            route,
            integration,
            &method_label,
            &resource_id,
            &http_method,
            &method_responses,
        );
    }
}

fn integration_resources(
    module: &mut Module<'_>,
    route: &Route,
    integration: &Integration,
    method_label: &str,
    resource_id: &Expression,
    http_method: &Expression,
    method_responses: &[(String, Expression)],
) {
    let context = format!("integration of {}", route.key);
    let label = module.labels.claim(
        "aws_api_gateway_integration",
        method_label,
        &route.key.to_string(),
    );
    let mut resource = Resource::new("aws_api_gateway_integration", label);
    resource.attr("rest_api_id", module.api_get("id"));
    resource.attr("resource_id", resource_id.clone());
    resource.attr("http_method", http_method.clone());
    let kind = integration.kind.unwrap_or(IntegrationType::Mock);
    resource.attr("type", kind.as_str());
    if kind != IntegrationType::Mock {
        let method = integration
            .http_method
            .as_ref()
            .map(|method| method.value.to_ascii_uppercase())
            .unwrap_or_else(|| "POST".to_owned());
        resource.attr("integration_http_method", method.as_str());
    }
    if let Some(uri) = &integration.uri {
        let value = module.exprs.expression(
            &uri.value,
            &format!("URI of the {context}"),
            ValueKind::Text,
        );
        resource.attr("uri", value);
    }
    if let Some(credentials) = &integration.credentials {
        let value = module.exprs.expression(
            &credentials.value,
            &format!("role of the {context}"),
            ValueKind::RoleArn,
        );
        resource.attr("credentials", value);
    }
    resource.opt(
        "connection_type",
        integration
            .connection_type
            .as_ref()
            .map(|kind| kind.value.to_ascii_uppercase()),
    );
    if let Some(connection) = &integration.connection_id {
        let value = module.exprs.expression(
            &connection.value,
            &format!("VPC link of the {context}"),
            ValueKind::Text,
        );
        resource.attr("connection_id", value);
    }
    resource.opt(
        "request_parameters",
        string_map(
            integration
                .request_parameters
                .iter()
                .map(|(key, value)| (key, value.value.as_str())),
        ),
    );
    resource.opt(
        "request_templates",
        string_map(
            integration
                .request_templates
                .iter()
                .map(|(key, value)| (key, value.value.as_str())),
        ),
    );
    resource.opt(
        "passthrough_behavior",
        integration
            .passthrough_behavior
            .as_ref()
            .map(|value| value.value.to_ascii_uppercase()),
    );
    resource.opt(
        "content_handling",
        integration
            .content_handling
            .as_ref()
            .map(|value| value.value.as_str()),
    );
    resource.opt("cache_namespace", integration.cache_namespace.as_deref());
    if !integration.cache_key_parameters.is_empty() {
        resource.attr(
            "cache_key_parameters",
            strings(
                integration
                    .cache_key_parameters
                    .iter()
                    .map(|key| key.value.clone()),
            ),
        );
    }
    resource.opt(
        "timeout_milliseconds",
        integration.timeout_ms.as_ref().map(|timeout| timeout.value),
    );
    if let Some(skip) = integration
        .tls_config
        .as_ref()
        .and_then(|tls| tls.insecure_skip_verification)
    {
        resource.block(nested(
            "tls_config",
            vec![("insecure_skip_verification", Some(Expression::Bool(skip)))],
        ));
    }
    let integration_ref = resource.reference();
    module.deployed.push(integration_ref.clone());
    module.add(TfFile::Main, resource);

    for response in &integration.responses {
        let Some(status) = &response.status_code else {
            continue;
        };
        let label = module.labels.claim(
            "aws_api_gateway_integration_response",
            &format!("{method_label}_{}", status.value),
            &format!("{} {}", route.key, response.selection_pattern),
        );
        let mut resource = Resource::new("aws_api_gateway_integration_response", label);
        resource.attr("rest_api_id", module.api_get("id"));
        resource.attr("resource_id", resource_id.clone());
        resource.attr("http_method", http_method.clone());
        // The method response must exist first; naming its status code says so.
        let status_code = method_responses
            .iter()
            .find(|(known, _)| *known == status.value)
            .map(|(_, reference)| reference.clone())
            .unwrap_or_else(|| Expression::String(status.value.clone()));
        resource.attr("status_code", status_code);
        if response.selection_pattern != "default" {
            resource.attr("selection_pattern", response.selection_pattern.as_str());
        }
        resource.opt(
            "response_parameters",
            string_map(
                response
                    .response_parameters
                    .iter()
                    .map(|(key, value)| (key, value.value.as_str())),
            ),
        );
        resource.opt(
            "response_templates",
            string_map(
                response
                    .response_templates
                    .iter()
                    .map(|(key, value)| (key, value.value.as_str())),
            ),
        );
        resource.opt(
            "content_handling",
            response
                .content_handling
                .as_ref()
                .map(|value| value.value.as_str()),
        );
        resource.depends_on(vec![integration_ref.clone()]);
        module.deployed.push(resource.reference());
        module.add(TfFile::Main, resource);
    }
}
