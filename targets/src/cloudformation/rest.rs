//! REST APIs: `AWS::ApiGateway::RestApi` with the OpenAPI `Body` (body mode), or with one
//! `Resource`, `Method`, `Authorizer`, `Model`, `RequestValidator` and `GatewayResponse` per IR
//! node (resources mode).

use apigw_compiler::ir::{
    Authorizer, AuthorizerKind, HttpMethod, Integration, IntegrationType, ParameterLocation, Route,
    RouteKey, Schema, SecuritySchemeKind,
};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::expr::CfnExprs;
use super::names::pascal_case;
use super::Builder;
use crate::openapi::{render_all, RenderExpr};

/// Models that refer to each other, directly or through others: API Gateway resolves a model's
/// references when it creates it, so as separate resources none of them can be created first.
/// `graph` holds each model's name, logical id and the logical ids it depends on (never its
/// own).
fn warn_on_model_cycles(builder: &mut Builder<'_>, graph: &[(String, String, Vec<String>)]) {
    let cyclic: Vec<String> = graph
        .iter()
        .zip(on_cycles(graph))
        .filter(|(_, on_cycle)| *on_cycle)
        .map(|((name, _, _), _)| format!("`{name}`"))
        .collect();
    if cyclic.is_empty() {
        return;
    }
    builder.warnings.push(crate::Warning::with_help(
        format!(
            "models {} of `{}` refer to each other: API Gateway resolves a model's references when it creates it, so as separate AWS::ApiGateway::Model resources none of them can be created first",
            cyclic.join(", "),
            builder.api.title
        ),
        "build with --mode body, which imports the models together",
    ));
}

/// Whether each node of `graph` lies on a cycle: its strongly connected component (Tarjan's
/// algorithm, iterative, so deep chains of models cannot overflow the stack) has more than one
/// node. Edges to ids outside the graph are ignored.
fn on_cycles(graph: &[(String, String, Vec<String>)]) -> Vec<bool> {
    const UNSEEN: usize = usize::MAX;
    // Every position below is a node's, so these reads and writes never miss.
    fn get(values: &[usize], at: usize) -> usize {
        values.get(at).copied().unwrap_or(0)
    }
    fn set<T>(values: &mut [T], at: usize, value: T) {
        if let Some(slot) = values.get_mut(at) {
            *slot = value;
        }
    }
    let position: std::collections::HashMap<&str, usize> = graph
        .iter()
        .enumerate()
        .map(|(index, (_, id, _))| (id.as_str(), index))
        .collect();
    let edges: Vec<Vec<usize>> = graph
        .iter()
        .map(|(_, _, depends)| {
            depends
                .iter()
                .filter_map(|id| position.get(id.as_str()).copied())
                .collect()
        })
        .collect();
    let count = graph.len();
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0usize; count];
    let mut on_stack = vec![false; count];
    let mut on_cycle = vec![false; count];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    for root in 0..count {
        if index.get(root) != Some(&UNSEEN) {
            continue;
        }
        // (node, how many of its edges have been followed)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut followed)) = work.last_mut() {
            if *followed == 0 && index.get(node) == Some(&UNSEEN) {
                set(&mut index, node, next);
                set(&mut low, node, next);
                next += 1;
                stack.push(node);
                set(&mut on_stack, node, true);
            }
            let out = edges.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&target) = out.get(*followed) {
                *followed += 1;
                if index.get(target) == Some(&UNSEEN) {
                    work.push((target, 0));
                } else if on_stack.get(target) == Some(&true) {
                    let lowest = get(&low, node).min(get(&index, target));
                    set(&mut low, node, lowest);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let lowest = get(&low, parent).min(get(&low, node));
                set(&mut low, parent, lowest);
            }
            if get(&low, node) == get(&index, node) {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    set(&mut on_stack, member, false);
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    for member in component {
                        set(&mut on_cycle, member, true);
                    }
                }
            }
        }
    }
    on_cycle
}

pub(crate) fn body(builder: &mut Builder<'_>) {
    let body = builder.document();
    let mut properties = Map::new();
    let title = builder.title();
    properties.insert("Name".into(), title);
    properties.insert("Body".into(), body);
    endpoint_properties(builder, &mut properties, true);
    tags(builder, &mut properties);
    let id = builder.api_id.clone();
    builder.add(&id, "AWS::ApiGateway::RestApi", properties);
    builder.deployed.push(id);
}

/// Properties of the RestApi that the body cannot carry.
fn endpoint_properties(builder: &mut Builder<'_>, properties: &mut Map<String, Value>, body: bool) {
    let api = builder.api;
    if let Some(endpoint) = &api.endpoint {
        let mut configuration = Map::new();
        if !endpoint.types.is_empty() {
            configuration.insert("Types".into(), json!(endpoint.types));
        }
        if !body && !endpoint.vpc_endpoint_ids.is_empty() {
            let ids = endpoint
                .vpc_endpoint_ids
                .iter()
                .map(|id| builder.exprs.render(id, "VPC endpoint of the API"))
                .collect();
            configuration.insert("VpcEndpointIds".into(), Value::Array(ids));
        }
        if !configuration.is_empty() {
            properties.insert("EndpointConfiguration".into(), Value::Object(configuration));
        }
        if !body {
            if let Some(disable) = endpoint.disable_execute_api_endpoint {
                properties.insert("DisableExecuteApiEndpoint".into(), json!(disable));
            }
        }
    }
}

pub(crate) fn tags(builder: &mut Builder<'_>, properties: &mut Map<String, Value>) {
    if builder.api.tags.is_empty() {
        return;
    }
    let tags = builder
        .api
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
}

/// How a route is authorized in a `Method`.
pub(crate) struct MethodAuth {
    pub kind: &'static str,
    pub authorizer: Option<String>,
    pub scopes: Vec<String>,
    pub api_key_required: bool,
}

pub(crate) fn method_auth(builder: &Builder<'_>, route: &Route) -> MethodAuth {
    route_auth(builder.api, route)
}

/// How `route` is authorized, from its security requirement (or the API's).
pub(crate) fn route_auth(api: &apigw_compiler::ir::Api, route: &Route) -> MethodAuth {
    let mut auth = MethodAuth {
        kind: "NONE",
        authorizer: None,
        scopes: Vec::new(),
        api_key_required: false,
    };
    if let Some(auth_type) = &route.auth_type {
        if auth_type.value.eq_ignore_ascii_case("AWS_IAM") {
            auth.kind = "AWS_IAM";
        }
    }
    let Some(requirement) = api.effective_security(route).and_then(|list| list.first()) else {
        return auth;
    };
    for (scheme, scopes) in &requirement.schemes {
        if let Some(authorizer) = api.authorizer(scheme) {
            match authorizer.kind {
                Some(AuthorizerKind::Token | AuthorizerKind::Request) => {
                    auth.kind = "CUSTOM";
                    auth.authorizer = Some(authorizer.name.clone());
                }
                Some(AuthorizerKind::CognitoUserPools) => {
                    auth.kind = "COGNITO_USER_POOLS";
                    auth.authorizer = Some(authorizer.name.clone());
                    auth.scopes = scopes.clone();
                }
                Some(AuthorizerKind::Jwt) => {
                    auth.kind = "JWT";
                    auth.authorizer = Some(authorizer.name.clone());
                    auth.scopes = scopes.clone();
                }
                Some(AuthorizerKind::Iam) => auth.kind = "AWS_IAM",
                None => {}
            }
        } else if api.security_schemes.iter().any(|known| {
            known.name == *scheme && matches!(known.kind, SecuritySchemeKind::ApiKey { .. })
        }) {
            auth.api_key_required = true;
        }
    }
    auth
}

pub(crate) fn resources(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();

    // The RestApi itself.
    let mut properties = Map::new();
    let title = builder.title();
    properties.insert("Name".into(), title);
    if let Some(description) = &api.description {
        properties.insert("Description".into(), json!(description));
    }
    endpoint_properties(builder, &mut properties, false);
    if !api.binary_media_types.is_empty() {
        let types: Vec<&str> = api
            .binary_media_types
            .iter()
            .map(|media_type| media_type.value.as_str())
            .collect();
        properties.insert("BinaryMediaTypes".into(), json!(types));
    }
    if let Some(size) = &api.minimum_compression_size {
        properties.insert("MinimumCompressionSize".into(), json!(size.value));
    }
    if let Some(source) = &api.api_key_source {
        let text = match source {
            apigw_compiler::ir::ApiKeySource::Header => "HEADER",
            apigw_compiler::ir::ApiKeySource::Authorizer => "AUTHORIZER",
        };
        properties.insert("ApiKeySourceType".into(), json!(text));
    }
    if let Some(policy) = &api.policy {
        let policy = builder
            .exprs
            .value(&policy.value, "the API's resource policy");
        properties.insert("Policy".into(), policy);
    }
    tags(builder, &mut properties);
    builder.add(&api_id, "AWS::ApiGateway::RestApi", properties);
    builder.deployed.push(api_id.clone());

    // Models, named as API Gateway requires (alphanumeric).
    let mut model_ids: IndexMap<String, (String, String)> = IndexMap::new();
    for model in &api.models {
        let model_name = alphanumeric_name(&model.name);
        let id = builder
            .ids
            .claim(&format!("{api_id}Model{model_name}"), &model.name);
        model_ids.insert(model.name.clone(), (id, model_name));
    }
    let mut model_graph: Vec<(String, String, Vec<String>)> = Vec::new();
    for model in &api.models {
        let Some((id, model_name)) = model_ids.get(&model.name).cloned() else {
            continue;
        };
        let mut depends = Vec::new();
        let schema = model_schema(&api_id, &model.schema, &model_ids, &mut depends, 0);
        depends.retain(|dependency| *dependency != id);
        depends.dedup();
        model_graph.push((model.name.clone(), id.clone(), depends.clone()));
        let mut properties = Map::new();
        properties.insert("RestApiId".into(), json!({"Ref": api_id}));
        properties.insert("Name".into(), json!(model_name));
        properties.insert("ContentType".into(), json!(model.content_type));
        if let Some(description) = &model.description {
            properties.insert("Description".into(), json!(description));
        }
        properties.insert("Schema".into(), schema);
        builder.add_with(&id, "AWS::ApiGateway::Model", properties, &depends);
        builder.deployed.push(id);
    }

    warn_on_model_cycles(builder, &model_graph);

    // Request validators.
    let mut validator_ids: Vec<(String, String)> = Vec::new();
    for validator in &api.request_validators {
        let id = builder.ids.claim(
            &format!("{api_id}Validator{}", pascal_case(&validator.name)),
            &validator.name,
        );
        let mut properties = Map::new();
        properties.insert("RestApiId".into(), json!({"Ref": api_id}));
        properties.insert("Name".into(), json!(validator.name));
        properties.insert(
            "ValidateRequestBody".into(),
            json!(validator.validate_request_body),
        );
        properties.insert(
            "ValidateRequestParameters".into(),
            json!(validator.validate_request_parameters),
        );
        builder.add(&id, "AWS::ApiGateway::RequestValidator", properties);
        builder.deployed.push(id.clone());
        validator_ids.push((validator.name.clone(), id));
    }

    // Authorizers.
    for authorizer in &api.authorizers {
        if matches!(authorizer.kind, Some(AuthorizerKind::Iam) | None) {
            continue;
        }
        let id = builder.ids.claim(
            &format!("{api_id}Authorizer{}", pascal_case(&authorizer.name)),
            &authorizer.name,
        );
        let properties = authorizer_properties(builder, authorizer);
        builder.add(&id, "AWS::ApiGateway::Authorizer", properties);
        builder.deployed.push(id.clone());
        builder.authorizer_ids.push((authorizer.name.clone(), id));
    }

    // Gateway responses.
    for response in builder.gateway_responses {
        let id = builder.ids.claim(
            &format!(
                "{api_id}GatewayResponse{}",
                pascal_case(&response.response_type)
            ),
            &response.response_type,
        );
        let mut properties = Map::new();
        properties.insert("RestApiId".into(), json!({"Ref": api_id}));
        properties.insert("ResponseType".into(), json!(response.response_type));
        if let Some(status) = &response.status_code {
            properties.insert("StatusCode".into(), json!(status.value));
        }
        string_map(
            &mut properties,
            "ResponseParameters",
            response
                .response_parameters
                .iter()
                .map(|(key, value)| (key.as_str(), value.value.as_str())),
        );
        string_map(
            &mut properties,
            "ResponseTemplates",
            response
                .response_templates
                .iter()
                .map(|(key, value)| (key.as_str(), value.value.as_str())),
        );
        builder.add(&id, "AWS::ApiGateway::GatewayResponse", properties);
        builder.deployed.push(id);
    }

    // The resource tree: one Resource per distinct path prefix.
    let mut resource_ids: IndexMap<String, String> = IndexMap::new();
    for route in &api.routes {
        let Some(path) = route.path() else { continue };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut prefix = String::new();
        for segment in segments {
            let parent = resource_ref(&api_id, &resource_ids, &prefix);
            prefix.push('/');
            prefix.push_str(segment);
            if resource_ids.contains_key(&prefix) {
                continue;
            }
            let id = builder.ids.claim(
                &format!("{api_id}Resource{}", pascal_case(&prefix)),
                &prefix,
            );
            let mut properties = Map::new();
            properties.insert("RestApiId".into(), json!({"Ref": api_id}));
            properties.insert("ParentId".into(), parent);
            properties.insert("PathPart".into(), json!(segment));
            builder.add(&id, "AWS::ApiGateway::Resource", properties);
            builder.deployed.push(id.clone());
            builder.placement.insert(id.clone(), prefix.clone());
            resource_ids.insert(prefix.clone(), id);
        }
    }

    // Methods: their ids claimed in route order, their properties built on all cores (see
    // `render_all`), then added in route order.
    let mut methods: Vec<(String, &Route, HttpMethod, &String)> = Vec::new();
    for route in &api.routes {
        let RouteKey::Http { method, path } = &route.key else {
            continue;
        };
        let id = builder.ids.claim(
            &format!(
                "{api_id}Method{}{}",
                pascal_case(&method.as_str().to_ascii_lowercase()),
                if path == "/" {
                    "Root".to_owned()
                } else {
                    pascal_case(path)
                }
            ),
            &route.key.to_string(),
        );
        methods.push((id, route, *method, path));
    }
    let links = MethodLinks {
        resource_ids: &resource_ids,
        model_ids: &model_ids,
        validator_ids: &validator_ids,
    };
    let mut exprs = std::mem::take(&mut builder.exprs);
    let shared: &Builder<'_> = builder;
    let properties = render_all(&methods, &mut exprs, |(_, route, method, path), exprs| {
        method_properties(shared, exprs, route, *method, path, &links)
    });
    builder.exprs = exprs;
    let mut method_ids = Vec::with_capacity(methods.len());
    for ((id, _, _, path), properties) in methods.into_iter().zip(properties) {
        builder.add(&id, "AWS::ApiGateway::Method", properties);
        builder.deployed.push(id.clone());
        builder.placement.insert(id.clone(), path.clone());
        method_ids.push(id);
    }
    if method_ids.is_empty() {
        builder.warnings.push(crate::Warning::with_help(
            format!("REST API `{}` has no methods, and API Gateway refuses to deploy an API without any", api.title),
            "add a route to the API",
        ));
    }
}

fn resource_ref(api_id: &str, resource_ids: &IndexMap<String, String>, prefix: &str) -> Value {
    match resource_ids.get(prefix) {
        Some(id) if !prefix.is_empty() => json!({"Ref": id}),
        _ => json!({"Fn::GetAtt": [api_id, "RootResourceId"]}),
    }
}

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
/// expects (`https://apigateway.amazonaws.com/restapis/<id>/models/<name>`).
fn model_schema(
    api_id: &str,
    schema: &Value,
    model_ids: &IndexMap<String, (String, String)>,
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
                        if let Some(target) = value.as_str().and_then(|text| {
                            text.strip_prefix("#/components/schemas/")
                                .or_else(|| text.strip_prefix("#/definitions/"))
                        }) {
                            if let Some((id, name)) = model_ids.get(target) {
                                depends.push(id.clone());
                                return (
                                    key.clone(),
                                    json!({"Fn::Sub": format!("https://apigateway.amazonaws.com/restapis/${{{api_id}}}/models/{name}")}),
                                );
                            }
                        }
                    }
                    (
                        key.clone(),
                        model_schema(api_id, value, model_ids, depends, depth + 1),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| model_schema(api_id, item, model_ids, depends, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn authorizer_properties(builder: &mut Builder<'_>, authorizer: &Authorizer) -> Map<String, Value> {
    let api_id = builder.api_id.clone();
    let context = format!("authorizer {}", authorizer.name);
    let mut properties = Map::new();
    properties.insert("RestApiId".into(), json!({"Ref": api_id}));
    properties.insert("Name".into(), json!(authorizer.name));
    let kind = match authorizer.kind {
        Some(AuthorizerKind::Request) => "REQUEST",
        Some(AuthorizerKind::CognitoUserPools) => "COGNITO_USER_POOLS",
        _ => "TOKEN",
    };
    properties.insert("Type".into(), json!(kind));
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
        properties.insert("AuthorizerCredentials".into(), value);
    }
    if let Some(ttl) = &authorizer.result_ttl_seconds {
        properties.insert("AuthorizerResultTtlInSeconds".into(), json!(ttl.value));
    }
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
        properties.insert("IdentitySource".into(), json!(sources.join(", ")));
    }
    if let Some(expression) = &authorizer.identity_validation_expression {
        properties.insert(
            "IdentityValidationExpression".into(),
            json!(expression.value),
        );
    }
    if !authorizer.provider_arns.is_empty() {
        let arns = authorizer
            .provider_arns
            .iter()
            .map(|arn| {
                builder
                    .exprs
                    .render(&arn.value, &format!("user pool of the {context}"))
            })
            .collect();
        properties.insert("ProviderARNs".into(), Value::Array(arns));
    }
    properties
}

/// The logical ids a method refers to: resources by path, models by name (with their API
/// Gateway names), request validators by name.
#[derive(Clone, Copy)]
struct MethodLinks<'a> {
    resource_ids: &'a IndexMap<String, String>,
    model_ids: &'a IndexMap<String, (String, String)>,
    validator_ids: &'a [(String, String)],
}

fn method_properties(
    builder: &Builder<'_>,
    exprs: &mut CfnExprs,
    route: &Route,
    method: HttpMethod,
    path: &str,
    ids: &MethodLinks<'_>,
) -> Map<String, Value> {
    let MethodLinks {
        resource_ids,
        model_ids,
        validator_ids,
    } = *ids;
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let mut properties = Map::new();
    properties.insert("RestApiId".into(), json!({"Ref": api_id}));
    let resource_path = if path == "/" { "" } else { path };
    properties.insert(
        "ResourceId".into(),
        resource_ref(&api_id, resource_ids, resource_path),
    );
    properties.insert("HttpMethod".into(), json!(method.as_str()));
    let auth = method_auth(builder, route);
    properties.insert("AuthorizationType".into(), json!(auth.kind));
    if let Some(name) = &auth.authorizer {
        if let Some((_, id)) = builder
            .authorizer_ids
            .iter()
            .find(|(known, _)| known == name)
        {
            properties.insert("AuthorizerId".into(), json!({"Ref": id}));
        }
    }
    if !auth.scopes.is_empty() {
        properties.insert("AuthorizationScopes".into(), json!(auth.scopes));
    }
    if auth.api_key_required {
        properties.insert("ApiKeyRequired".into(), json!(true));
    }
    if let Some(operation_id) = &route.operation_id {
        properties.insert("OperationName".into(), json!(operation_id));
    }

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
        properties.insert("RequestParameters".into(), json!(request_parameters));
    }

    // Request models.
    if let Some(body) = &route.request_body {
        let mut models = Map::new();
        for (media_type, schema) in &body.content {
            if let Some(Schema::Model { name }) = schema {
                if let Some((id, _)) = model_ids.get(name) {
                    models.insert(media_type.clone(), json!({"Ref": id}));
                }
            }
        }
        if !models.is_empty() {
            properties.insert("RequestModels".into(), Value::Object(models));
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
            properties.insert("RequestValidatorId".into(), json!({"Ref": id}));
        }
    }

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
                if let Some((id, _)) = model_ids.get(name) {
                    entry.1.insert(media_type.clone(), json!({"Ref": id}));
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
        properties.insert(
            "Integration".into(),
            integration_properties(exprs, route, integration),
        );
    }
    if !responses.is_empty() {
        let list = responses
            .into_iter()
            .map(|(status, (parameters, models))| {
                let mut entry = Map::new();
                entry.insert("StatusCode".into(), json!(status));
                if !parameters.is_empty() {
                    entry.insert("ResponseParameters".into(), json!(parameters));
                }
                if !models.is_empty() {
                    entry.insert("ResponseModels".into(), Value::Object(models));
                }
                Value::Object(entry)
            })
            .collect();
        properties.insert("MethodResponses".into(), Value::Array(list));
    }
    properties
}

/// A method response being assembled: header parameters (name → required) and models.
type MethodResponseEntry = (IndexMap<String, bool>, Map<String, Value>);

fn integration_properties(exprs: &mut CfnExprs, route: &Route, integration: &Integration) -> Value {
    let context = format!("integration of {}", route.key);
    let mut out = Map::new();
    let kind = integration.kind.unwrap_or(IntegrationType::Mock);
    out.insert("Type".into(), json!(kind.as_str()));
    if kind != IntegrationType::Mock {
        let method = integration
            .http_method
            .as_ref()
            .map(|method| method.value.to_ascii_uppercase())
            .unwrap_or_else(|| "POST".to_owned());
        out.insert("IntegrationHttpMethod".into(), json!(method));
    }
    if let Some(uri) = &integration.uri {
        let value = exprs.render(&uri.value, &format!("URI of the {context}"));
        out.insert("Uri".into(), value);
    }
    if let Some(credentials) = &integration.credentials {
        let value = exprs.render(&credentials.value, &format!("role of the {context}"));
        out.insert("Credentials".into(), value);
    }
    if let Some(connection_type) = &integration.connection_type {
        out.insert(
            "ConnectionType".into(),
            json!(connection_type.value.to_ascii_uppercase()),
        );
    }
    if let Some(connection) = &integration.connection_id {
        let value = exprs.render(&connection.value, &format!("VPC link of the {context}"));
        out.insert("ConnectionId".into(), value);
    }
    string_map(
        &mut out,
        "RequestParameters",
        integration
            .request_parameters
            .iter()
            .map(|(key, value)| (key.as_str(), value.value.as_str())),
    );
    string_map(
        &mut out,
        "RequestTemplates",
        integration
            .request_templates
            .iter()
            .map(|(key, value)| (key.as_str(), value.value.as_str())),
    );
    if let Some(passthrough) = &integration.passthrough_behavior {
        out.insert(
            "PassthroughBehavior".into(),
            json!(passthrough.value.to_ascii_uppercase()),
        );
    }
    if let Some(handling) = &integration.content_handling {
        out.insert("ContentHandling".into(), json!(handling.value));
    }
    if let Some(namespace) = &integration.cache_namespace {
        out.insert("CacheNamespace".into(), json!(namespace));
    }
    if !integration.cache_key_parameters.is_empty() {
        let keys: Vec<&str> = integration
            .cache_key_parameters
            .iter()
            .map(|key| key.value.as_str())
            .collect();
        out.insert("CacheKeyParameters".into(), json!(keys));
    }
    if let Some(timeout) = &integration.timeout_ms {
        out.insert("TimeoutInMillis".into(), json!(timeout.value));
    }
    if !integration.responses.is_empty() {
        let responses = integration
            .responses
            .iter()
            .filter_map(|response| {
                let status = response.status_code.as_ref()?;
                let mut entry = Map::new();
                entry.insert("StatusCode".into(), json!(status.value));
                if response.selection_pattern != "default" {
                    entry.insert("SelectionPattern".into(), json!(response.selection_pattern));
                }
                string_map(
                    &mut entry,
                    "ResponseParameters",
                    response
                        .response_parameters
                        .iter()
                        .map(|(key, value)| (key.as_str(), value.value.as_str())),
                );
                string_map(
                    &mut entry,
                    "ResponseTemplates",
                    response
                        .response_templates
                        .iter()
                        .map(|(key, value)| (key.as_str(), value.value.as_str())),
                );
                if let Some(handling) = &response.content_handling {
                    entry.insert("ContentHandling".into(), json!(handling.value));
                }
                Some(Value::Object(entry))
            })
            .collect();
        out.insert("IntegrationResponses".into(), Value::Array(responses));
    }
    Value::Object(out)
}

pub(crate) fn string_map<'a>(
    map: &mut Map<String, Value>,
    key: &str,
    entries: impl Iterator<Item = (&'a str, &'a str)>,
) {
    let object: Map<String, Value> = entries
        .map(|(name, value)| (name.to_owned(), json!(value)))
        .collect();
    if !object.is_empty() {
        map.insert(key.to_owned(), Value::Object(object));
    }
}

#[cfg(test)]
mod tests {
    use super::on_cycles;

    fn graph(edges: &[(&str, &[&str])]) -> Vec<(String, String, Vec<String>)> {
        edges
            .iter()
            .map(|(id, depends)| {
                (
                    format!("model {id}"),
                    (*id).to_owned(),
                    depends.iter().map(|id| (*id).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn finds_the_models_on_cycles_only() {
        // a → b → c → a is a cycle; d waits for it, e for nothing, f ↔ g another cycle,
        // h refers to a model the template lacks.
        let graph = graph(&[
            ("a", &["b"]),
            ("b", &["c"]),
            ("c", &["a"]),
            ("d", &["a", "e"]),
            ("e", &[]),
            ("f", &["g"]),
            ("g", &["f", "e"]),
            ("h", &["missing"]),
        ]);
        assert_eq!(
            on_cycles(&graph),
            [true, true, true, false, false, true, true, false]
        );
        assert!(on_cycles(&[]).is_empty());
    }

    #[test]
    fn a_long_chain_is_no_cycle_and_does_not_overflow() {
        let ids: Vec<String> = (0..100_000).map(|index| format!("m{index}")).collect();
        let mut graph: Vec<(String, String, Vec<String>)> = ids
            .iter()
            .enumerate()
            .map(|(index, id)| {
                let depends = ids.get(index + 1).cloned().into_iter().collect();
                (id.clone(), id.clone(), depends)
            })
            .collect();
        assert!(on_cycles(&graph).iter().all(|on_cycle| !on_cycle));
        // Closing the chain puts every model on one cycle.
        if let Some(last) = graph.last_mut() {
            last.2.push("m0".to_owned());
        }
        assert!(on_cycles(&graph).iter().all(|on_cycle| *on_cycle));
    }
}
