//! HTTP and WebSocket APIs defined by `AWS::ApiGatewayV2::*` resources: `Route`s with the
//! `Integration` their `Target` names, `Authorizer`s, `Model`s, `RouteResponse`s and
//! `IntegrationResponse`s. WebSocket APIs can only be written this way.

use indexmap::IndexMap;

use crate::ir::{
    Api, ApiKind, Authorizer, AuthorizerKind, HttpMethod, Integration, IntegrationResponse,
    IntegrationType, JwtConfiguration, Model, Parameter, ParameterLocation, RequestBody, Route,
    RouteKey, RouteResponse, Schema, TlsConfig,
};
use crate::rules::structure;

use super::read::{document, Cx};
use super::rest::integration_type;
use super::stack::{reference, Prop, Resource, Stack};
use super::{empty_authorizer, functions, secure, Access, Apis};

/// Parses a route key: `$default`, `METHOD /path` (HTTP), or any WebSocket key.
pub(super) fn parse_route_key(text: &str, kind: ApiKind) -> Option<RouteKey> {
    let text = text.trim();
    if text == "$default" {
        return Some(RouteKey::Default);
    }
    match kind {
        ApiKind::Websocket => (!text.is_empty()).then(|| RouteKey::Websocket {
            key: text.to_owned(),
        }),
        ApiKind::Http | ApiKind::Rest => {
            let (method, path) = text.split_once(' ')?;
            let path = path.trim();
            if !path.starts_with('/') {
                return None;
            }
            Some(RouteKey::Http {
                method: HttpMethod::parse(method)?,
                path: path.to_owned(),
            })
        }
    }
}

pub(super) fn report_route_key(cx: &mut Cx<'_, '_>, prop: &Prop<'_>, text: &str) {
    cx.report(
        structure::InvalidValue::META,
        prop,
        format!("route key `{text}` is neither `$default` nor `METHOD /path`"),
    )
    .help("write the route key as `GET /pets/{id}`, `ANY /{proxy+}` or `$default`");
}

/// The HTTP or WebSocket API (by index) a resource's `ApiId` names.
fn v2_api_of(apis: &Apis<'_>, resource: &Resource<'_>) -> Option<usize> {
    let index = apis.referenced(&resource.property("ApiId")?)?;
    (apis.built.get(index)?.api.kind != ApiKind::Rest).then_some(index)
}

/// Integrations by logical id, waiting to be attached to the routes that target them.
struct PendingIntegration {
    logical_id: String,
    api: usize,
    integration: Integration,
}

pub(super) fn lower_resources(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    let mut authorizers: Vec<(String, usize, String)> = Vec::new();
    let mut integrations: Vec<PendingIntegration> = Vec::new();
    for resource in &stack.resources {
        let Some(index) = v2_api_of(apis, resource) else {
            continue;
        };
        let Some(built) = apis.built.get_mut(index) else {
            continue;
        };
        let api = &mut built.api;
        match resource.kind {
            "AWS::ApiGatewayV2::Authorizer" => {
                let name = authorizer(cx, stack, api, resource);
                authorizers.push((resource.logical_id.to_owned(), index, name));
            }
            "AWS::ApiGatewayV2::Model" => model(cx, api, resource),
            "AWS::ApiGatewayV2::Integration" => {
                let integration = integration(cx, stack, api, resource);
                integrations.push(PendingIntegration {
                    logical_id: resource.logical_id.to_owned(),
                    api: index,
                    integration,
                });
            }
            _ => {}
        }
    }
    for resource in stack.of_type("AWS::ApiGatewayV2::IntegrationResponse") {
        let Some(index) = v2_api_of(apis, resource) else {
            continue;
        };
        let Some(target) = resource
            .property("IntegrationId")
            .and_then(|id| reference(id.node).map(|(id, _)| id.to_owned()))
        else {
            continue;
        };
        let Some(pending) = integrations
            .iter_mut()
            .find(|pending| pending.logical_id == target && pending.api == index)
        else {
            continue;
        };
        if let Some(response) = integration_response(cx, resource) {
            pending.integration.responses.push(response);
        }
    }
    let mut routes: Vec<(String, usize, usize)> = Vec::new();
    for resource in stack.of_type("AWS::ApiGatewayV2::Route") {
        let Some(index) = v2_api_of(apis, resource) else {
            continue;
        };
        let Some(built) = apis.built.get_mut(index) else {
            continue;
        };
        let Some(route) = route(
            cx,
            &mut built.api,
            resource,
            index,
            &authorizers,
            &integrations,
        ) else {
            continue;
        };
        if let Some(existing) = built
            .api
            .routes
            .iter()
            .find(|existing| existing.key == route.key)
        {
            let first = existing.origin.clone();
            cx.session
                .report
                .push(
                    structure::DuplicateRoute::META,
                    &route.origin,
                    format!(
                        "route `{}` is defined by another route resource too",
                        route.key
                    ),
                )
                .related(&first, "first defined here")
                .help("keep one `AWS::ApiGatewayV2::Route` per route key");
            continue;
        }
        routes.push((
            resource.logical_id.to_owned(),
            index,
            built.api.routes.len(),
        ));
        built.api.routes.push(route);
    }
    for resource in stack.of_type("AWS::ApiGatewayV2::RouteResponse") {
        let Some(index) = v2_api_of(apis, resource) else {
            continue;
        };
        let Some(target) = resource
            .property("RouteId")
            .and_then(|id| reference(id.node).map(|(id, _)| id.to_owned()))
        else {
            continue;
        };
        let Some((_, _, position)) = routes
            .iter()
            .find(|(logical_id, api, _)| *logical_id == target && *api == index)
        else {
            continue;
        };
        let Some(response) = route_response(cx, resource) else {
            continue;
        };
        if let Some(route) = apis
            .built
            .get_mut(index)
            .and_then(|built| built.api.routes.get_mut(*position))
        {
            route.route_responses.push(response);
        }
    }
}

fn route(
    cx: &mut Cx<'_, '_>,
    api: &mut Api,
    resource: &Resource<'_>,
    index: usize,
    authorizers: &[(String, usize, String)],
    integrations: &[PendingIntegration],
) -> Option<Route> {
    let key_prop = resource.property("RouteKey")?;
    let text = cx.literal(&key_prop)?;
    let Some(key) = parse_route_key(&text, api.kind) else {
        report_route_key(cx, &key_prop, &text);
        return None;
    };
    let origin = cx.origin(&resource.as_prop());
    let mut route = Route::new(origin.clone(), key);
    route.is_default_route = route.key == RouteKey::Default;
    if let Some(name) = resource.property("OperationName") {
        route.operation_id = cx.text(&name);
    }
    if let Some(expression) = resource.property("RouteResponseSelectionExpression") {
        route.route_response_selection_expression = cx.text(&expression);
    }
    if let Some(expression) = resource.property("ModelSelectionExpression") {
        route.model_selection_expression = cx.text(&expression);
    }
    if let Some(models) = resource.property("RequestModels") {
        let mut content = IndexMap::new();
        for (media_type, model) in cx.map(&models).unwrap_or_default() {
            if let Some(name) = cx.text(&model) {
                content.insert(media_type.to_owned(), Some(Schema::Model { name }));
            }
        }
        if !content.is_empty() {
            route.request_body = Some(RequestBody {
                origin: cx.origin(&models),
                required: false,
                description: None,
                content,
            });
        }
    }
    if let Some(parameters) = resource.property("RequestParameters") {
        for (key, value) in cx.map(&parameters).unwrap_or_default() {
            let required = match value.get("Required") {
                Some(required) => cx.boolean(&required).unwrap_or(false),
                None => cx.boolean(&value).unwrap_or(false),
            };
            if let Some(parameter) = route_parameter(cx, key, required, &value) {
                route.parameters.push(parameter);
            }
        }
    }
    if let Some(target) = resource.property("Target") {
        let expr = cx.expr(&target);
        let integration_id = expr.as_ref().and_then(|expr| {
            expr.references().into_iter().find(|name| {
                integrations
                    .iter()
                    .any(|pending| pending.logical_id == *name && pending.api == index)
            })
        });
        route.integration = integration_id.and_then(|id| {
            integrations
                .iter()
                .find(|pending| pending.logical_id == id && pending.api == index)
                .map(|pending| pending.integration.clone())
        });
    }
    let mut access = Access::default();
    let scopes: Vec<String> = resource
        .property("AuthorizationScopes")
        .map(|scopes| {
            cx.text_list(&scopes)
                .into_iter()
                .map(|scope| scope.value)
                .collect()
        })
        .unwrap_or_default();
    let kind = resource
        .property("AuthorizationType")
        .and_then(|kind| cx.literal(&kind))
        .map(|kind| kind.to_ascii_uppercase());
    match kind.as_deref() {
        Some("NONE") => access.none = true,
        Some("AWS_IAM") => access.iam = true,
        _ => {
            if let Some(id) = resource.property("AuthorizerId") {
                let name = reference(id.node)
                    .and_then(|(target, _)| {
                        authorizers
                            .iter()
                            .find(|(logical_id, api, _)| logical_id == target && *api == index)
                            .map(|(_, _, name)| name.clone())
                    })
                    .or_else(|| cx.text(&id));
                access.authorizer = name.map(|name| (name, scopes));
            } else if let (Some(kind), Some(kind_prop)) =
                (kind.as_deref(), resource.property("AuthorizationType"))
            {
                cx.report(
                    structure::MissingField::META,
                    &kind_prop,
                    format!("`AuthorizationType` is `{kind}` but the route has no `AuthorizerId`"),
                )
                .help("name the authorizer: `AuthorizerId: !Ref MyAuthorizer`");
            }
        }
    }
    if let Some(required) = resource.property("ApiKeyRequired") {
        access.api_key = cx.boolean(&required).unwrap_or(false);
    }
    secure(api, &mut route, &access, &origin);
    Some(route)
}

/// `route.request.{header|querystring|path}.{name}` → a parameter.
fn route_parameter(
    cx: &Cx<'_, '_>,
    key: &str,
    required: bool,
    prop: &Prop<'_>,
) -> Option<Parameter> {
    let rest = key
        .strip_prefix("route.request.")
        .or_else(|| key.strip_prefix("method.request."))?;
    let (location, name) = rest.split_once('.')?;
    let location = match location {
        "header" => ParameterLocation::Header,
        "querystring" => ParameterLocation::Query,
        "path" => ParameterLocation::Path,
        _ => return None,
    };
    Some(Parameter {
        origin: cx.origin(prop),
        name: name.to_owned(),
        location,
        required,
        description: None,
        schema: None,
    })
}

fn integration(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    resource: &Resource<'_>,
) -> Integration {
    let origin = cx.origin(&resource.as_prop());
    let kind = resource
        .property("IntegrationType")
        .and_then(|kind| integration_type(cx, &kind));
    let mut integration = Integration::new(origin, kind);
    if let Some(uri) = resource.property("IntegrationUri") {
        integration.uri = cx.spanned_expr(&uri);
    }
    if let Some(method) = resource.property("IntegrationMethod") {
        integration.http_method = cx.spanned_text(&method);
    }
    if let Some(version) = resource.property("PayloadFormatVersion") {
        integration.payload_format_version = cx.spanned_text(&version);
    }
    if let Some(kind) = resource.property("ConnectionType") {
        integration.connection_type = cx.spanned_text(&kind);
    }
    if let Some(id) = resource.property("ConnectionId") {
        integration.connection_id = cx.spanned_expr(&id);
    }
    if let Some(credentials) = resource.property("CredentialsArn") {
        integration.credentials = cx.spanned_expr(&credentials);
    }
    if let Some(parameters) = resource.property("RequestParameters") {
        integration.request_parameters = cx.text_map(&parameters);
    }
    if let Some(templates) = resource.property("RequestTemplates") {
        integration.request_templates = cx.text_map(&templates);
    }
    if let Some(expression) = resource.property("TemplateSelectionExpression") {
        integration.template_selection_expression = cx.text(&expression);
    }
    if let Some(timeout) = resource.property("TimeoutInMillis") {
        if let Some(value) = cx.integer(&timeout) {
            integration.timeout_ms = Some(cx.spanned(value, &timeout));
        }
    }
    if let Some(subtype) = resource.property("IntegrationSubtype") {
        integration.integration_subtype = cx.spanned_text(&subtype);
    }
    if let Some(behavior) = resource.property("PassthroughBehavior") {
        integration.passthrough_behavior = cx.spanned_text(&behavior);
    }
    if let Some(handling) = resource.property("ContentHandlingStrategy") {
        integration.content_handling = cx.spanned_text(&handling);
    }
    if let Some(tls) = resource.property("TlsConfig") {
        if cx.map(&tls).is_some() {
            integration.tls_config = Some(TlsConfig {
                insecure_skip_verification: None,
                server_name_to_verify: tls
                    .get("ServerNameToVerify")
                    .and_then(|name| cx.text(&name)),
            });
        }
    }
    if let Some(parameters) = resource.property("ResponseParameters") {
        for (status, mappings) in cx.map(&parameters).unwrap_or_default() {
            let mut out = IndexMap::new();
            match mappings.get("ResponseParameters") {
                // `{"200": {ResponseParameters: [{Destination, Source}]}}`.
                Some(list) => {
                    for item in cx.list(&list).unwrap_or_default() {
                        let destination = item.get("Destination").and_then(|d| cx.text(&d));
                        let source = item.get("Source").and_then(|s| cx.text(&s));
                        if let (Some(destination), Some(source)) = (destination, source) {
                            out.insert(destination, source);
                        }
                    }
                }
                // `{"200": {"append:header.x": "…"}}`.
                None => {
                    for (destination, source) in cx.text_map(&mappings) {
                        out.insert(destination, source.value);
                    }
                }
            }
            integration
                .response_parameters
                .insert(status.to_owned(), out);
        }
    }
    let invokes_lambda = match integration.kind {
        Some(IntegrationType::AwsProxy) => true,
        Some(IntegrationType::Aws) => integration
            .uri
            .as_ref()
            .and_then(|uri| uri.value.known_text())
            .is_some_and(|text| text.contains(":lambda:path/")),
        _ => false,
    };
    if invokes_lambda {
        if let Some(uri) = integration.uri.clone() {
            integration.function = functions::register(api, stack, &uri.value, &uri.origin);
        }
    }
    integration
}

fn integration_response(
    cx: &mut Cx<'_, '_>,
    resource: &Resource<'_>,
) -> Option<IntegrationResponse> {
    let key = resource
        .property("IntegrationResponseKey")
        .and_then(|key| cx.text(&key))?;
    let response_parameters = resource
        .property("ResponseParameters")
        .map(|parameters| cx.text_map(&parameters))
        .unwrap_or_default();
    let response_templates = resource
        .property("ResponseTemplates")
        .map(|templates| cx.text_map(&templates))
        .unwrap_or_default();
    let content_handling = resource
        .property("ContentHandlingStrategy")
        .and_then(|handling| cx.spanned_text(&handling));
    Some(IntegrationResponse {
        origin: cx.origin(&resource.as_prop()),
        selection_pattern: key,
        status_code: None,
        response_parameters,
        response_templates,
        content_handling,
    })
}

fn route_response(cx: &mut Cx<'_, '_>, resource: &Resource<'_>) -> Option<RouteResponse> {
    let key = resource
        .property("RouteResponseKey")
        .and_then(|key| cx.text(&key))?;
    let model_selection_expression = resource
        .property("ModelSelectionExpression")
        .and_then(|expression| cx.text(&expression));
    let models = resource
        .property("ResponseModels")
        .map(|models| {
            cx.text_map(&models)
                .into_iter()
                .map(|(media_type, model)| (media_type, model.value))
                .collect()
        })
        .unwrap_or_default();
    Some(RouteResponse {
        origin: cx.origin(&resource.as_prop()),
        key,
        model_selection_expression,
        models,
    })
}

/// `AWS::ApiGatewayV2::Authorizer` → an authorizer; returns its IR name.
fn authorizer(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    resource: &Resource<'_>,
) -> String {
    let name = resource
        .property("Name")
        .and_then(|name| name.node.as_str().map(str::to_owned))
        .unwrap_or_else(|| resource.logical_id.to_owned());
    if api.authorizer(&name).is_some() {
        return name;
    }
    let kind_prop = resource.property("AuthorizerType");
    let kind_text = kind_prop.as_ref().and_then(|kind| cx.spanned_text(kind));
    let kind = kind_text
        .as_ref()
        .and_then(|text| match text.value.to_ascii_uppercase().as_str() {
            "REQUEST" => Some(AuthorizerKind::Request),
            "JWT" => Some(AuthorizerKind::Jwt),
            _ => None,
        });
    if let (Some(text), None, Some(kind_prop)) = (&kind_text, kind, &kind_prop) {
        cx.report(
            structure::InvalidEnumValue::META,
            kind_prop,
            format!("authorizer type `{}` is not REQUEST or JWT", text.value),
        )
        .help("use REQUEST for a Lambda authorizer, JWT for an OpenID Connect or OAuth 2.0 issuer");
    }
    let mut authorizer: Authorizer = empty_authorizer(cx.origin(&resource.as_prop()), &name, kind);
    authorizer.kind_text = kind_text;
    if kind == Some(AuthorizerKind::Jwt) {
        authorizer.scheme_type = Some("oauth2".to_owned());
    }
    if let Some(source) = resource.property("IdentitySource") {
        authorizer.identity_source = cx.text_or_list(&source);
    }
    authorizer.header_name = authorizer.identity_source.iter().find_map(|source| {
        source
            .value
            .strip_prefix("$request.header.")
            .or_else(|| source.value.strip_prefix("route.request.header."))
            .map(str::to_owned)
    });
    if let Some(jwt) = resource.property("JwtConfiguration") {
        if cx.map(&jwt).is_some() {
            let issuer = jwt
                .get("Issuer")
                .and_then(|issuer| cx.spanned_expr(&issuer));
            let audience = jwt
                .get("Audience")
                .map(|audience| cx.expr_list(&audience))
                .unwrap_or_default();
            authorizer.jwt = Some(JwtConfiguration {
                origin: cx.origin(&jwt),
                issuer,
                audience,
            });
        }
    }
    if let Some(uri) = resource.property("AuthorizerUri") {
        authorizer.uri = cx.spanned_expr(&uri);
        if let Some(uri) = authorizer.uri.clone() {
            authorizer.function = functions::register(api, stack, &uri.value, &uri.origin);
        }
    }
    if let Some(version) = resource.property("AuthorizerPayloadFormatVersion") {
        authorizer.payload_format_version = cx.spanned_text(&version);
    }
    if let Some(simple) = resource.property("EnableSimpleResponses") {
        authorizer.enable_simple_responses = cx.boolean(&simple);
    }
    if let Some(ttl) = resource.property("AuthorizerResultTtlInSeconds") {
        if let Some(value) = cx.integer(&ttl) {
            authorizer.result_ttl_seconds = Some(cx.spanned(value, &ttl));
        }
    }
    if let Some(credentials) = resource.property("AuthorizerCredentialsArn") {
        authorizer.credentials = cx.spanned_expr(&credentials);
    }
    if let Some(expression) = resource.property("IdentityValidationExpression") {
        authorizer.identity_validation_expression = cx.spanned_text(&expression);
    }
    api.authorizers.push(authorizer);
    name
}

fn model(cx: &mut Cx<'_, '_>, api: &mut Api, resource: &Resource<'_>) {
    let name = resource
        .property("Name")
        .and_then(|name| name.node.as_str().map(str::to_owned))
        .unwrap_or_else(|| resource.logical_id.to_owned());
    if api.model(&name).is_some() {
        return;
    }
    let content_type = resource
        .property("ContentType")
        .and_then(|kind| cx.text(&kind))
        .unwrap_or_else(|| "application/json".to_owned());
    let description = resource
        .property("Description")
        .and_then(|description| cx.text(&description));
    let schema = resource
        .property("Schema")
        .map(|schema| document(schema.node))
        .unwrap_or(serde_json::Value::Null);
    api.models.push(Model {
        origin: cx.origin(&resource.as_prop()),
        name,
        content_type,
        description,
        schema,
    });
}
