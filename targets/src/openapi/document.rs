//! The OpenAPI document model of one REST or HTTP API. Keys come in the order people write
//! them (`openapi`, `info`, `servers`, `paths`, `components`, then the extensions); maps keep
//! the IR's source order.

use apigw_compiler::ir::{
    Api, ApiKind, Authorizer, AuthorizerKind, Cors, GatewayResponse, Integration, MethodResponse,
    Model, Parameter, RequestBody, Route, RouteKey, Schema, SecurityRequirement, SecurityScheme,
    SecuritySchemeKind, Spanned,
};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use rayon::prelude::*;

use super::{render_all, RenderExpr};

/// The OpenAPI 3.0 document for `api`, deploy-time values written by `exprs`.
pub fn document<E: RenderExpr + Send + Sync>(api: &Api, exprs: &mut E) -> Value {
    deployed_document(api, &api.gateway_responses, exprs)
}

/// The document for `api` with `gateway_responses` in place of its own (the ones a target
/// deploys, see `plan::prepare_cors`).
pub(crate) fn deployed_document<E: RenderExpr + Send + Sync>(
    api: &Api,
    gateway_responses: &[GatewayResponse],
    exprs: &mut E,
) -> Value {
    let mut root = Map::new();
    root.insert("openapi".into(), json!("3.0.1"));
    root.insert("info".into(), info(api));
    if let Some(servers) = servers(api, exprs) {
        root.insert("servers".into(), servers);
    }
    if !api.tag_definitions.is_empty() {
        let tags = api
            .tag_definitions
            .iter()
            .map(|tag| {
                let mut out = Map::new();
                out.insert("name".into(), json!(tag.name));
                put(&mut out, "description", tag.description.as_ref());
                put(
                    &mut out,
                    "x-amazon-apigateway-tag-value",
                    tag.tag_value.as_ref(),
                );
                Value::Object(out)
            })
            .collect();
        root.insert("tags".into(), Value::Array(tags));
    }
    root.insert("paths".into(), paths(api, exprs));
    let components = components(api, exprs);
    if !components.is_empty() {
        root.insert("components".into(), Value::Object(components));
    }
    if let Some(security) = &api.security {
        root.insert("security".into(), security_value(security));
    }
    extensions(api, gateway_responses, &mut root);
    for (key, value) in &api.vendor_extensions {
        root.insert(key.clone(), value.clone());
    }
    Value::Object(root)
}

fn info(api: &Api) -> Value {
    let mut info = Map::new();
    info.insert("title".into(), json!(api.title));
    put(&mut info, "description", api.description.as_ref());
    info.insert(
        "version".into(),
        json!(api.version.clone().unwrap_or_else(|| "1.0".to_owned())),
    );
    Value::Object(info)
}

/// `servers`, with the endpoint configuration in the first entry: in OpenAPI 3 API Gateway
/// reads `x-amazon-apigateway-endpoint-configuration` only there and ignores it at the root
/// (developer guide, "x-amazon-apigateway-endpoint-configuration object"). An API that has an
/// endpoint configuration but no server gets a `/` server to carry it, which sets no base path.
fn servers(api: &Api, exprs: &mut dyn RenderExpr) -> Option<Value> {
    let endpoint = endpoint_configuration(api, exprs);
    let mut servers: Vec<Map<String, Value>> = if api.servers.is_empty() {
        let mut server = Map::new();
        match api.base_path.as_deref() {
            Some(base) => {
                server.insert("url".into(), json!("/{basePath}"));
                server.insert(
                    "variables".into(),
                    json!({"basePath": {"default": base.trim_start_matches('/')}}),
                );
            }
            None if endpoint.is_some() => {
                server.insert("url".into(), json!("/"));
            }
            None => return None,
        }
        vec![server]
    } else {
        api.servers
            .iter()
            .map(|server| {
                let mut out = Map::new();
                out.insert("url".into(), exprs.render(&server.url, "server URL"));
                if !server.variables.is_empty() {
                    let variables = server
                        .variables
                        .iter()
                        .map(|(name, variable)| {
                            let mut out = Map::new();
                            out.insert("default".into(), json!(variable.default));
                            if !variable.enum_values.is_empty() {
                                out.insert("enum".into(), json!(variable.enum_values));
                            }
                            put(&mut out, "description", variable.description.as_ref());
                            (name.clone(), Value::Object(out))
                        })
                        .collect();
                    out.insert("variables".into(), Value::Object(variables));
                }
                out
            })
            .collect()
    };
    if let (Some(endpoint), Some(first)) = (endpoint, servers.first_mut()) {
        first.insert(
            "x-amazon-apigateway-endpoint-configuration".into(),
            endpoint,
        );
    }
    Some(Value::Array(
        servers.into_iter().map(Value::Object).collect(),
    ))
}

/// `x-amazon-apigateway-endpoint-configuration`, when the API sets any of its fields (the
/// endpoint type is not one of them: an import takes it as a parameter, a template as a
/// property).
fn endpoint_configuration(api: &Api, exprs: &mut dyn RenderExpr) -> Option<Value> {
    let endpoint = api.endpoint.as_ref()?;
    let mut out = Map::new();
    if let Some(disable) = endpoint.disable_execute_api_endpoint {
        out.insert("disableExecuteApiEndpoint".into(), json!(disable));
    }
    if !endpoint.vpc_endpoint_ids.is_empty() {
        let ids = endpoint
            .vpc_endpoint_ids
            .iter()
            .map(|id| exprs.render(id, "VPC endpoint id"))
            .collect();
        out.insert("vpcEndpointIds".into(), Value::Array(ids));
    }
    put(&mut out, "ipAddressType", endpoint.ip_address_type.as_ref());
    (!out.is_empty()).then_some(Value::Object(out))
}

/// The path of a route in the document: `$default` is written `/$default`, as API Gateway
/// exports it.
pub(crate) fn route_path(route: &Route) -> Option<&str> {
    match &route.key {
        RouteKey::Http { path, .. } => Some(path),
        RouteKey::Default => Some("/$default"),
        RouteKey::Websocket { .. } => None,
    }
}

/// The operations are built on all cores (see [`render_all`]) and gathered by path in route
/// order.
fn paths<E: RenderExpr + Send + Sync>(api: &Api, exprs: &mut E) -> Value {
    let operations = render_all(&api.routes, exprs, |route, exprs| {
        let path = route_path(route)?;
        let method_key = match &route.key {
            RouteKey::Http { method, .. } => method.openapi_key(),
            _ => "x-amazon-apigateway-any-method",
        };
        Some((path, method_key, operation(api, route, exprs)))
    });
    let mut paths: IndexMap<&str, Map<String, Value>> = IndexMap::new();
    for (path, method_key, operation) in operations.into_iter().flatten() {
        paths
            .entry(path)
            .or_default()
            .insert(method_key.to_owned(), operation);
    }
    Value::Object(
        paths
            .into_iter()
            .map(|(path, item)| (path.to_owned(), Value::Object(item)))
            .collect(),
    )
}

fn operation(api: &Api, route: &Route, exprs: &mut dyn RenderExpr) -> Value {
    let mut op = Map::new();
    if !route.tags.is_empty() {
        op.insert("tags".into(), json!(route.tags));
    }
    put(&mut op, "summary", route.summary.as_ref());
    put(&mut op, "description", route.description.as_ref());
    put(&mut op, "operationId", route.operation_id.as_ref());
    if !route.parameters.is_empty() {
        op.insert(
            "parameters".into(),
            Value::Array(route.parameters.iter().map(parameter).collect()),
        );
    }
    if let Some(body) = &route.request_body {
        op.insert("requestBody".into(), request_body(body));
    }
    let responses: Map<String, Value> = route
        .responses
        .iter()
        .map(|response| (response.status.clone(), method_response(response)))
        .collect();
    op.insert("responses".into(), Value::Object(responses));
    if let Some(security) = &route.security {
        op.insert("security".into(), security_value(security));
    }
    if route.deprecated {
        op.insert("deprecated".into(), json!(true));
    }
    if route.is_default_route {
        op.insert("isDefaultRoute".into(), json!(true));
    }
    if let Some(auth) = &route.auth_type {
        op.insert(
            "x-amazon-apigateway-auth".into(),
            json!({"type": auth.value}),
        );
    }
    if let Some(validator) = &route.request_validator {
        op.insert(
            "x-amazon-apigateway-request-validator".into(),
            json!(validator.value),
        );
    }
    if let Some(integration) = &route.integration {
        let context = format!("integration of {}", route.key);
        let value = match &integration.shared_name {
            Some(name) if api.shared_integrations.contains_key(name) => json!({
                "$ref": format!("#/components/x-amazon-apigateway-integrations/{name}")
            }),
            _ => integration_value(api, integration, exprs, &context),
        };
        op.insert("x-amazon-apigateway-integration".into(), value);
    }
    if !route.ignore.is_empty() {
        op.insert("x-apigw-ignore".into(), json!(route.ignore));
    }
    Value::Object(op)
}

fn parameter(parameter: &Parameter) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(parameter.name));
    out.insert("in".into(), json!(parameter.location.as_str()));
    put(&mut out, "description", parameter.description.as_ref());
    if parameter.required {
        out.insert("required".into(), json!(true));
    }
    if let Some(schema) = &parameter.schema {
        out.insert("schema".into(), schema_value(schema));
    }
    Value::Object(out)
}

pub(crate) fn schema_value(schema: &Schema) -> Value {
    match schema {
        Schema::Model { name } => json!({"$ref": format!("#/components/schemas/{name}")}),
        Schema::Inline { schema } => schema.clone(),
    }
}

fn content(content: &IndexMap<String, Option<Schema>>) -> Value {
    Value::Object(
        content
            .iter()
            .map(|(media_type, schema)| {
                let mut out = Map::new();
                if let Some(schema) = schema {
                    out.insert("schema".into(), schema_value(schema));
                }
                (media_type.clone(), Value::Object(out))
            })
            .collect(),
    )
}

fn request_body(body: &RequestBody) -> Value {
    let mut out = Map::new();
    put(&mut out, "description", body.description.as_ref());
    out.insert("content".into(), content(&body.content));
    if body.required {
        out.insert("required".into(), json!(true));
    }
    Value::Object(out)
}

fn method_response(response: &MethodResponse) -> Value {
    let mut out = Map::new();
    put(&mut out, "description", response.description.as_ref());
    if !response.headers.is_empty() {
        let headers = response
            .headers
            .iter()
            .map(|(name, header)| {
                let mut out = Map::new();
                put(&mut out, "description", header.description.as_ref());
                if header.required {
                    out.insert("required".into(), json!(true));
                }
                if let Some(schema) = &header.schema {
                    out.insert("schema".into(), schema_value(schema));
                }
                (name.clone(), Value::Object(out))
            })
            .collect();
        out.insert("headers".into(), Value::Object(headers));
    }
    if !response.content.is_empty() {
        out.insert("content".into(), content(&response.content));
    }
    Value::Object(out)
}

pub(crate) fn security_value(requirements: &[SecurityRequirement]) -> Value {
    Value::Array(
        requirements
            .iter()
            .map(|requirement| {
                Value::Object(
                    requirement
                        .schemes
                        .iter()
                        .map(|(name, scopes)| (name.clone(), json!(scopes)))
                        .collect(),
                )
            })
            .collect(),
    )
}

/// `x-amazon-apigateway-integration`.
pub(crate) fn integration_value(
    api: &Api,
    integration: &Integration,
    exprs: &mut dyn RenderExpr,
    context: &str,
) -> Value {
    let mut out = Map::new();
    if let Some(kind) = integration.kind {
        out.insert("type".into(), json!(kind.as_str().to_ascii_lowercase()));
    }
    if let Some(subtype) = &integration.integration_subtype {
        out.insert("integrationSubtype".into(), json!(subtype.value));
    }
    put_spanned(&mut out, "httpMethod", integration.http_method.as_ref());
    if let Some(uri) = &integration.uri {
        out.insert(
            "uri".into(),
            exprs.render(&uri.value, &format!("URI of the {context}")),
        );
    }
    put_spanned(
        &mut out,
        "connectionType",
        integration.connection_type.as_ref(),
    );
    if let Some(connection) = &integration.connection_id {
        out.insert(
            "connectionId".into(),
            exprs.render(&connection.value, &format!("VPC link of the {context}")),
        );
    }
    if let Some(target) = &integration.integration_target {
        out.insert(
            "integrationTarget".into(),
            exprs.render(&target.value, &format!("target of the {context}")),
        );
    }
    if let Some(credentials) = &integration.credentials {
        out.insert(
            "credentials".into(),
            exprs.render(&credentials.value, &format!("role of the {context}")),
        );
    }
    put_string_map(
        &mut out,
        "requestParameters",
        &integration.request_parameters,
    );
    put_string_map(&mut out, "requestTemplates", &integration.request_templates);
    put_spanned(
        &mut out,
        "passthroughBehavior",
        integration.passthrough_behavior.as_ref(),
    );
    put_spanned(
        &mut out,
        "contentHandling",
        integration.content_handling.as_ref(),
    );
    put(
        &mut out,
        "cacheNamespace",
        integration.cache_namespace.as_ref(),
    );
    if !integration.cache_key_parameters.is_empty() {
        out.insert(
            "cacheKeyParameters".into(),
            Value::Array(
                integration
                    .cache_key_parameters
                    .iter()
                    .map(|parameter| json!(parameter.value))
                    .collect(),
            ),
        );
    }
    if let Some(timeout) = &integration.timeout_ms {
        out.insert("timeoutInMillis".into(), json!(timeout.value));
    }
    if !integration.responses.is_empty() {
        let responses = integration
            .responses
            .iter()
            .map(|response| {
                let mut entry = Map::new();
                put_spanned(&mut entry, "statusCode", response.status_code.as_ref());
                put_string_map(
                    &mut entry,
                    "responseParameters",
                    &response.response_parameters,
                );
                put_string_map(
                    &mut entry,
                    "responseTemplates",
                    &response.response_templates,
                );
                put_spanned(
                    &mut entry,
                    "contentHandling",
                    response.content_handling.as_ref(),
                );
                (response.selection_pattern.clone(), Value::Object(entry))
            })
            .collect();
        out.insert("responses".into(), Value::Object(responses));
    }
    if !integration.response_parameters.is_empty() {
        out.insert(
            "responseParameters".into(),
            json!(integration.response_parameters),
        );
    }
    if let Some(tls) = &integration.tls_config {
        let mut entry = Map::new();
        if let Some(skip) = tls.insecure_skip_verification {
            entry.insert("insecureSkipVerification".into(), json!(skip));
        }
        put(
            &mut entry,
            "serverNameToVerify",
            tls.server_name_to_verify.as_ref(),
        );
        out.insert("tlsConfig".into(), Value::Object(entry));
    }
    put_spanned(
        &mut out,
        "payloadFormatVersion",
        integration.payload_format_version.as_ref(),
    );
    put_spanned(
        &mut out,
        "responseTransferMode",
        integration.response_transfer_mode.as_ref(),
    );
    let _ = api;
    Value::Object(out)
}

fn components(api: &Api, exprs: &mut dyn RenderExpr) -> Map<String, Value> {
    let mut components = Map::new();
    if !api.models.is_empty() {
        // Copies of the schemas, made on all cores.
        let schemas: Vec<(String, Value)> = api
            .models
            .par_iter()
            .map(|model: &Model| (model.name.clone(), model_schema(model)))
            .collect();
        components.insert(
            "schemas".into(),
            Value::Object(schemas.into_iter().collect()),
        );
    }
    let mut schemes = Map::new();
    for authorizer in &api.authorizers {
        schemes.insert(
            authorizer.name.clone(),
            authorizer_scheme(authorizer, exprs),
        );
    }
    for scheme in &api.security_schemes {
        schemes.insert(scheme.name.clone(), security_scheme(scheme));
    }
    if !schemes.is_empty() {
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    if !api.shared_integrations.is_empty() {
        let integrations = api
            .shared_integrations
            .iter()
            .map(|(name, integration)| {
                let context = format!("shared integration {name}");
                (
                    name.clone(),
                    integration_value(api, integration, exprs, &context),
                )
            })
            .collect();
        components.insert(
            "x-amazon-apigateway-integrations".into(),
            Value::Object(integrations),
        );
    }
    components
}

fn model_schema(model: &Model) -> Value {
    match (&model.schema, &model.description) {
        (Value::Object(schema), Some(description)) if !schema.contains_key("description") => {
            let mut schema = schema.clone();
            schema.insert("description".into(), json!(description));
            Value::Object(schema)
        }
        (schema, _) => schema.clone(),
    }
}

fn security_scheme(scheme: &SecurityScheme) -> Value {
    match &scheme.kind {
        SecuritySchemeKind::ApiKey { header, location } => {
            let mut out = Map::new();
            out.insert("type".into(), json!("apiKey"));
            out.insert("name".into(), json!(header));
            out.insert("in".into(), json!(location));
            put(&mut out, "description", scheme.description.as_ref());
            Value::Object(out)
        }
        SecuritySchemeKind::Other { value } => value.clone(),
    }
}

fn authorizer_scheme(authorizer: &Authorizer, exprs: &mut dyn RenderExpr) -> Value {
    let context = format!("authorizer {}", authorizer.name);
    let mut out = Map::new();
    let scheme_type = authorizer
        .scheme_type
        .clone()
        .unwrap_or_else(|| match authorizer.kind {
            Some(AuthorizerKind::Jwt) => "oauth2".to_owned(),
            _ => "apiKey".to_owned(),
        });
    out.insert("type".into(), json!(scheme_type));
    if scheme_type == "apiKey" {
        out.insert(
            "name".into(),
            json!(authorizer
                .header_name
                .clone()
                .unwrap_or_else(|| "Authorization".to_owned())),
        );
        out.insert("in".into(), json!("header"));
    }
    put(&mut out, "description", authorizer.description.as_ref());
    put(
        &mut out,
        "openIdConnectUrl",
        authorizer.open_id_connect_url.as_ref(),
    );
    if let Some(flows) = &authorizer.flows {
        out.insert("flows".into(), flows.clone());
    } else if scheme_type == "oauth2" {
        // `flows` is required by OpenAPI; API Gateway ignores it for JWT authorizers.
        out.insert("flows".into(), json!({}));
    }
    let auth_type = authorizer
        .auth_type
        .as_ref()
        .map(|auth_type| auth_type.value.clone())
        // Only `awsSigv4` has an effect (IAM authorization); any other value is stored as
        // written and means nothing, so none is made up for an authorizer that had none.
        .or_else(|| (authorizer.kind == Some(AuthorizerKind::Iam)).then(|| "awsSigv4".to_owned()));
    if let Some(auth_type) = auth_type {
        out.insert("x-amazon-apigateway-authtype".into(), json!(auth_type));
    }
    if authorizer.kind == Some(AuthorizerKind::Iam) {
        return Value::Object(out);
    }
    let mut inner = Map::new();
    let kind_text = authorizer
        .kind_text
        .as_ref()
        .map(|kind| kind.value.clone())
        .or_else(|| {
            authorizer.kind.map(|kind| {
                match kind {
                    AuthorizerKind::Token => "token",
                    AuthorizerKind::Request => "request",
                    AuthorizerKind::CognitoUserPools => "cognito_user_pools",
                    AuthorizerKind::Jwt => "jwt",
                    AuthorizerKind::Iam => "awsSigv4",
                }
                .to_owned()
            })
        });
    if let Some(kind) = kind_text {
        inner.insert("type".into(), json!(kind));
    }
    if let Some(uri) = &authorizer.uri {
        inner.insert(
            "authorizerUri".into(),
            exprs.render(&uri.value, &format!("URI of the {context}")),
        );
    }
    if let Some(credentials) = &authorizer.credentials {
        inner.insert(
            "authorizerCredentials".into(),
            exprs.render(&credentials.value, &format!("role of the {context}")),
        );
    }
    if !authorizer.provider_arns.is_empty() {
        let arns = authorizer
            .provider_arns
            .iter()
            .map(|arn| exprs.render(&arn.value, &format!("user pool of the {context}")))
            .collect();
        inner.insert("providerARNs".into(), Value::Array(arns));
    }
    if let Some(jwt) = &authorizer.jwt {
        let mut config = Map::new();
        if let Some(issuer) = &jwt.issuer {
            config.insert(
                "issuer".into(),
                exprs.render(&issuer.value, &format!("issuer of the {context}")),
            );
        }
        if !jwt.audience.is_empty() {
            let audience = jwt
                .audience
                .iter()
                .map(|audience| {
                    exprs.render(&audience.value, &format!("audience of the {context}"))
                })
                .collect();
            config.insert("audience".into(), Value::Array(audience));
        }
        inner.insert("jwtConfiguration".into(), Value::Object(config));
    }
    if !authorizer.identity_source.is_empty() {
        let sources: Vec<&str> = authorizer
            .identity_source
            .iter()
            .map(|source| source.value.as_str())
            .collect();
        inner.insert("identitySource".into(), json!(sources.join(", ")));
    }
    put_spanned(
        &mut inner,
        "identityValidationExpression",
        authorizer.identity_validation_expression.as_ref(),
    );
    if let Some(ttl) = &authorizer.result_ttl_seconds {
        inner.insert("authorizerResultTtlInSeconds".into(), json!(ttl.value));
    }
    put_spanned(
        &mut inner,
        "authorizerPayloadFormatVersion",
        authorizer.payload_format_version.as_ref(),
    );
    if let Some(simple) = authorizer.enable_simple_responses {
        inner.insert("enableSimpleResponses".into(), json!(simple));
    }
    out.insert(
        "x-amazon-apigateway-authorizer".into(),
        Value::Object(inner),
    );
    Value::Object(out)
}

fn extensions(api: &Api, gateway_responses: &[GatewayResponse], root: &mut Map<String, Value>) {
    if let Some(cors) = &api.cors {
        root.insert("x-amazon-apigateway-cors".into(), cors_value(cors));
    }
    if let Some(source) = &api.api_key_source {
        let text = match source {
            apigw_compiler::ir::ApiKeySource::Header => "HEADER",
            apigw_compiler::ir::ApiKeySource::Authorizer => "AUTHORIZER",
        };
        root.insert("x-amazon-apigateway-api-key-source".into(), json!(text));
    }
    if !api.binary_media_types.is_empty() {
        let types: Vec<&str> = api
            .binary_media_types
            .iter()
            .map(|media_type| media_type.value.as_str())
            .collect();
        root.insert(
            "x-amazon-apigateway-binary-media-types".into(),
            json!(types),
        );
    }
    if let Some(size) = &api.minimum_compression_size {
        root.insert(
            "x-amazon-apigateway-minimum-compression-size".into(),
            json!(size.value),
        );
    }
    if let Some(policy) = &api.policy {
        root.insert("x-amazon-apigateway-policy".into(), policy.value.clone());
    }
    if !api.request_validators.is_empty() {
        let validators = api
            .request_validators
            .iter()
            .map(|validator| {
                (
                    validator.name.clone(),
                    json!({
                        "validateRequestBody": validator.validate_request_body,
                        "validateRequestParameters": validator.validate_request_parameters,
                    }),
                )
            })
            .collect();
        root.insert(
            "x-amazon-apigateway-request-validators".into(),
            Value::Object(validators),
        );
    }
    if let Some(validator) = &api.default_request_validator {
        root.insert(
            "x-amazon-apigateway-request-validator".into(),
            json!(validator.value),
        );
    }
    if !gateway_responses.is_empty() {
        let responses = gateway_responses
            .iter()
            .map(|response| (response.response_type.clone(), gateway_response(response)))
            .collect();
        root.insert(
            "x-amazon-apigateway-gateway-responses".into(),
            Value::Object(responses),
        );
    }
    put_spanned(
        root,
        "x-amazon-apigateway-security-policy",
        api.security_policy.as_ref(),
    );
    put_spanned(
        root,
        "x-amazon-apigateway-endpoint-access-mode",
        api.endpoint_access_mode.as_ref(),
    );
    // HTTP APIs: API Gateway's own export always says which export version it wrote, and it
    // is what marks a document without other HTTP-only features (`$default`, payload format
    // 2.0, JWT) as an HTTP API when apigw reads the export back.
    match &api.importexport_version {
        Some(version) => {
            root.insert(
                "x-amazon-apigateway-importexport-version".into(),
                json!(version.value),
            );
        }
        None if api.kind == ApiKind::Http => {
            root.insert(
                "x-amazon-apigateway-importexport-version".into(),
                json!("1.0"),
            );
        }
        None => {}
    }
    if let Some(documentation) = &api.documentation {
        let mut out = Map::new();
        put(&mut out, "version", documentation.version.as_ref());
        let parts = documentation
            .parts
            .iter()
            .map(|part| {
                let mut location = Map::new();
                location.insert("type".into(), json!(part.location_type));
                put(&mut location, "path", part.path.as_ref());
                put(&mut location, "method", part.method.as_ref());
                put(&mut location, "statusCode", part.status_code.as_ref());
                put(&mut location, "name", part.name.as_ref());
                json!({"location": location, "properties": part.properties})
            })
            .collect();
        out.insert("documentationParts".into(), Value::Array(parts));
        root.insert(
            "x-amazon-apigateway-documentation".into(),
            Value::Object(out),
        );
    }
}

pub(crate) fn cors_value(cors: &Cors) -> Value {
    let mut out = Map::new();
    if !cors.allow_origins.is_empty() {
        out.insert("allowOrigins".into(), json!(cors.allow_origins));
    }
    if let Some(credentials) = cors.allow_credentials {
        out.insert("allowCredentials".into(), json!(credentials));
    }
    if !cors.expose_headers.is_empty() {
        out.insert("exposeHeaders".into(), json!(cors.expose_headers));
    }
    if let Some(max_age) = cors.max_age {
        out.insert("maxAge".into(), json!(max_age));
    }
    if !cors.allow_methods.is_empty() {
        out.insert("allowMethods".into(), json!(cors.allow_methods));
    }
    if !cors.allow_headers.is_empty() {
        out.insert("allowHeaders".into(), json!(cors.allow_headers));
    }
    Value::Object(out)
}

fn gateway_response(response: &GatewayResponse) -> Value {
    let mut out = Map::new();
    if let Some(status) = &response.status_code {
        // API Gateway exports the status code as a number when it is one.
        match status.value.parse::<u16>() {
            Ok(number) => out.insert("statusCode".into(), json!(number)),
            Err(_) => out.insert("statusCode".into(), json!(status.value)),
        };
    }
    put_string_map(
        &mut out,
        "responseParameters",
        &response.response_parameters,
    );
    put_string_map(&mut out, "responseTemplates", &response.response_templates);
    Value::Object(out)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&String>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), json!(value));
    }
}

fn put_spanned(map: &mut Map<String, Value>, key: &str, value: Option<&Spanned<String>>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), json!(value.value));
    }
}

fn put_string_map(
    map: &mut Map<String, Value>,
    key: &str,
    values: &IndexMap<String, Spanned<String>>,
) {
    if !values.is_empty() {
        map.insert(
            key.to_owned(),
            Value::Object(
                values
                    .iter()
                    .map(|(name, value)| (name.clone(), json!(value.value)))
                    .collect(),
            ),
        );
    }
}
