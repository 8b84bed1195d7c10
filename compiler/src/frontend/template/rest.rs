//! REST APIs defined by resources: `AWS::ApiGateway::Resource` trees and `Method`s (with their
//! integration, method responses and authorization), and the `Authorizer`, `Model`,
//! `RequestValidator` and `GatewayResponse` resources of an API. They extend the API named by
//! `RestApiId`, whether it came from a spec or not.
//!
//! Resource paths follow `ParentId` links with a visited set, so a loop is reported, not
//! followed forever.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::ir::{
    Api, ApiKind, Authorizer, AuthorizerKind, GatewayResponse, HttpMethod, Integration,
    IntegrationResponse, IntegrationType, MethodResponse, Model, Parameter, ParameterLocation,
    RequestBody, RequestValidator, ResponseHeader, Route, RouteKey, Schema,
};
use crate::rules::structure;

use super::read::{document, Cx};
use super::stack::{reference, Prop, Resource, Stack};
use super::{empty_authorizer, functions, secure, Access, Apis};

/// IR names of the template resources routes refer to, per API.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// (logical id, API index, IR name).
    entries: Vec<(String, usize, String)>,
}

impl Names {
    fn insert(&mut self, logical_id: &str, api: usize, name: String) {
        self.entries.push((logical_id.to_owned(), api, name));
    }

    /// The IR name a property such as `AuthorizerId: !Ref Auth` names; the value itself (shown
    /// as text) when it names no resource of the template.
    fn resolve(&self, cx: &mut Cx<'_, '_>, api: usize, prop: &Prop<'_>) -> Option<String> {
        if let Some((id, _)) = reference(prop.node) {
            if let Some((_, _, name)) = self
                .entries
                .iter()
                .find(|(logical_id, index, _)| logical_id == id && *index == api)
            {
                return Some(name.clone());
            }
        }
        cx.text(prop)
    }
}

/// The REST API (by index) a resource's `RestApiId` names.
fn rest_api_of(apis: &Apis<'_>, resource: &Resource<'_>) -> Option<usize> {
    let index = apis.referenced(&resource.property("RestApiId")?)?;
    (apis.built.get(index)?.api.kind == ApiKind::Rest).then_some(index)
}

pub(super) fn lower_resources(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    let mut authorizers = Names::default();
    let mut models = Names::default();
    let mut validators = Names::default();
    for resource in &stack.resources {
        let Some(index) = rest_api_of(apis, resource) else {
            continue;
        };
        let Some(built) = apis.built.get_mut(index) else {
            continue;
        };
        let api = &mut built.api;
        match resource.kind {
            "AWS::ApiGateway::Authorizer" => {
                let name = authorizer(cx, stack, api, resource);
                authorizers.insert(resource.logical_id, index, name);
            }
            "AWS::ApiGateway::Model" => {
                let name = model(cx, api, resource);
                models.insert(resource.logical_id, index, name);
            }
            "AWS::ApiGateway::RequestValidator" => {
                let name = request_validator(cx, api, resource);
                validators.insert(resource.logical_id, index, name);
            }
            "AWS::ApiGateway::GatewayResponse" => gateway_response(cx, api, resource),
            _ => {}
        }
    }
    let mut reported_loops: Vec<String> = Vec::new();
    let mut paths = PathCache::new();
    for method in stack.of_type("AWS::ApiGateway::Method") {
        let Some(index) = rest_api_of(apis, method) else {
            continue;
        };
        let Some(built) = apis.built.get_mut(index) else {
            continue;
        };
        let Some(resource_id) = method.property("ResourceId") else {
            continue;
        };
        let path = match resource_path(stack, &built.id, &resource_id, &mut paths) {
            ResourcePath::Path(path) => path,
            ResourcePath::Unknown => continue,
            ResourcePath::Loop(members) => {
                report_loop(cx, stack, &members, &mut reported_loops);
                continue;
            }
        };
        let names = RouteNames {
            api: index,
            authorizers: &authorizers,
            models: &models,
            validators: &validators,
        };
        if let Some(route) = method_route(cx, stack, &mut built.api, method, path, &names) {
            match built
                .api
                .routes
                .iter()
                .find(|existing| existing.key == route.key)
            {
                Some(existing) => {
                    let first = existing.origin.clone();
                    cx.session
                        .report
                        .push(
                            structure::DuplicateRoute::META,
                            &route.origin,
                            format!("`{}` is defined by another method resource too", route.key),
                        )
                        .related(&first, "first defined here")
                        .help("keep one `AWS::ApiGateway::Method` per resource and HTTP method");
                }
                None => built.api.routes.push(route),
            }
        }
    }
}

/// Where a resource sits in its API's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ResourcePath {
    Path(String),
    /// A parent outside the template (a literal id, `Fn::ImportValue`) or of another API.
    Unknown,
    /// The `ParentId` chain comes back to a resource it already passed; its members in order.
    Loop(Vec<String>),
}

/// Resource paths already found, by (API id, resource id), so that many methods on a deep tree
/// walk each `ParentId` link once.
type PathCache = BTreeMap<(String, String), ResourcePath>;

/// The path of the resource `node` names (`!GetAtt Api.RootResourceId` or `!Ref Resource`).
fn resource_path(
    stack: &Stack<'_>,
    api_id: &str,
    node: &Prop<'_>,
    cache: &mut PathCache,
) -> ResourcePath {
    // Walk up to the root, a resource already known, or a dead end; then fill in the paths of
    // every resource passed on the way down.
    let mut chain: Vec<(&str, String)> = Vec::new();
    let mut visited: BTreeSet<&str> = BTreeSet::new();
    let mut current = node.node;
    let base = loop {
        match reference(current) {
            Some((id, Some("RootResourceId"))) if id == api_id => {
                break ResourcePath::Path(String::new())
            }
            Some((id, None)) => {
                if let Some(known) = cache.get(&(api_id.to_owned(), id.to_owned())) {
                    break known.clone();
                }
                let Some(resource) = stack
                    .resource(id)
                    .filter(|resource| resource.kind == "AWS::ApiGateway::Resource")
                else {
                    break ResourcePath::Unknown;
                };
                if !visited.insert(resource.logical_id) {
                    let at = chain.iter().position(|(seen, _)| *seen == id).unwrap_or(0);
                    let members = chain
                        .get(at..)
                        .unwrap_or_default()
                        .iter()
                        .map(|(member, _)| (*member).to_owned())
                        .collect();
                    break ResourcePath::Loop(members);
                }
                let part = resource.property("PathPart").and_then(|part| {
                    part.node.scalar_text().or_else(|| {
                        super::read::lower_expr(part.node).map(|expr| expr.display_text())
                    })
                });
                let (Some(part), Some(parent)) = (part, resource.property("ParentId")) else {
                    chain.push((resource.logical_id, String::new()));
                    break ResourcePath::Unknown;
                };
                chain.push((resource.logical_id, part));
                current = parent.node;
            }
            _ => break ResourcePath::Unknown,
        }
    };
    let mut result = base.clone();
    for (id, part) in chain.iter().rev() {
        result = match &base {
            ResourcePath::Path(_) => match &result {
                ResourcePath::Path(parent) => ResourcePath::Path(format!("{parent}/{part}")),
                other => other.clone(),
            },
            other => other.clone(),
        };
        cache.insert((api_id.to_owned(), (*id).to_owned()), result.clone());
    }
    match result {
        ResourcePath::Path(path) if path.is_empty() => ResourcePath::Path("/".to_owned()),
        other => other,
    }
}

fn report_loop(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    members: &[String],
    reported: &mut Vec<String>,
) {
    let mut key: Vec<&str> = members.iter().map(String::as_str).collect();
    key.sort_unstable();
    let key = key.join(",");
    if reported.contains(&key) {
        return;
    }
    reported.push(key);
    // Point at the loop member that comes first in the template.
    let Some(first) = stack
        .resources
        .iter()
        .find(|resource| members.iter().any(|member| member == resource.logical_id))
    else {
        return;
    };
    let Some(parent) = first.property("ParentId") else {
        return;
    };
    let start = members
        .iter()
        .position(|member| member == first.logical_id)
        .unwrap_or(0);
    let mut chain: Vec<&str> = members
        .iter()
        .cycle()
        .skip(start)
        .take(members.len())
        .map(String::as_str)
        .collect();
    chain.push(first.logical_id);
    cx.report(
        structure::InvalidValue::META,
        &parent,
        format!(
            "the `ParentId` chain of `{}` loops ({}) and never reaches the API's root resource",
            first.logical_id,
            chain.join(" → ")
        ),
    )
    .help("point one `ParentId` in the loop at `!GetAtt <Api>.RootResourceId` or at a resource outside it");
}

struct RouteNames<'n> {
    api: usize,
    authorizers: &'n Names,
    models: &'n Names,
    validators: &'n Names,
}

fn method_route(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    method: &Resource<'_>,
    path: String,
    names: &RouteNames<'_>,
) -> Option<Route> {
    let http_method = method.property("HttpMethod")?;
    let text = cx.literal(&http_method)?;
    let Some(parsed) = HttpMethod::parse(&text) else {
        cx.report(
            structure::InvalidEnumValue::META,
            &http_method,
            format!("`HttpMethod` is `{text}`, which is not an HTTP method API Gateway supports"),
        )
        .help("use GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS or ANY");
        return None;
    };
    let origin = cx.origin(&resource_prop(method));
    let mut route = Route::new(
        origin.clone(),
        RouteKey::Http {
            method: parsed,
            path,
        },
    );
    if let Some(name) = method.property("OperationName") {
        route.operation_id = cx.text(&name);
    }
    if let Some(parameters) = method.property("RequestParameters") {
        route.parameters = request_parameters(cx, &parameters);
    }
    if let Some(request_models) = method.property("RequestModels") {
        let mut content = IndexMap::new();
        for (media_type, model) in cx.map(&request_models).unwrap_or_default() {
            if let Some(name) = names.models.resolve(cx, names.api, &model) {
                content.insert(media_type.to_owned(), Some(Schema::Model { name }));
            }
        }
        if !content.is_empty() {
            route.request_body = Some(RequestBody {
                origin: cx.origin(&request_models),
                required: false,
                description: None,
                content,
            });
        }
    }
    if let Some(validator) = method.property("RequestValidatorId") {
        if let Some(name) = names.validators.resolve(cx, names.api, &validator) {
            route.request_validator = Some(cx.spanned(name, &validator));
        }
    }
    if let Some(responses) = method.property("MethodResponses") {
        for response in cx.list(&responses).unwrap_or_default() {
            if let Some(response) = method_response(cx, names, &response) {
                route.responses.push(response);
            }
        }
    }
    if let Some(integration) = method.property("Integration") {
        route.integration = rest_integration(cx, stack, api, &integration);
    }
    let access = method_access(cx, method, names);
    secure(api, &mut route, &access, &origin);
    Some(route)
}

/// A node standing for the whole resource (its origin is the resource's pointer).
fn resource_prop<'t>(resource: &Resource<'t>) -> Prop<'t> {
    resource.as_prop()
}

/// `AuthorizationType`, `AuthorizerId`, `AuthorizationScopes`, `ApiKeyRequired`.
fn method_access(cx: &mut Cx<'_, '_>, method: &Resource<'_>, names: &RouteNames<'_>) -> Access {
    let mut access = Access::default();
    let kind = method
        .property("AuthorizationType")
        .and_then(|kind| cx.literal(&kind))
        .map(|kind| kind.to_ascii_uppercase());
    let scopes: Vec<String> = method
        .property("AuthorizationScopes")
        .map(|scopes| {
            cx.text_list(&scopes)
                .into_iter()
                .map(|scope| scope.value)
                .collect()
        })
        .unwrap_or_default();
    match kind.as_deref() {
        Some("NONE") => access.none = true,
        Some("AWS_IAM") => access.iam = true,
        Some(kind @ ("CUSTOM" | "COGNITO_USER_POOLS" | "JWT")) => {
            match method.property("AuthorizerId") {
                Some(id) => {
                    access.authorizer = names
                        .authorizers
                        .resolve(cx, names.api, &id)
                        .map(|name| (name, scopes));
                }
                None => {
                    if let Some(kind_prop) = method.property("AuthorizationType") {
                        cx.report(
                            structure::MissingField::META,
                            &kind_prop,
                            format!("`AuthorizationType` is `{kind}` but the method has no `AuthorizerId`"),
                        )
                        .help("name the authorizer: `AuthorizerId: !Ref MyAuthorizer`");
                    }
                }
            }
        }
        _ => {
            if let Some(id) = method.property("AuthorizerId") {
                access.authorizer = names
                    .authorizers
                    .resolve(cx, names.api, &id)
                    .map(|name| (name, scopes));
            }
        }
    }
    if let Some(required) = method.property("ApiKeyRequired") {
        access.api_key = cx.boolean(&required).unwrap_or(false);
    }
    access
}

/// `{"method.request.querystring.name": true}` → parameters (the value says required).
pub(super) fn request_parameters(cx: &mut Cx<'_, '_>, prop: &Prop<'_>) -> Vec<Parameter> {
    let mut out = Vec::new();
    for (key, value) in cx.map(prop).unwrap_or_default() {
        let required = match value.node.as_map() {
            // SAM: `{Required: true, Caching: false}`.
            Some(_) => value
                .get("Required")
                .and_then(|required| cx.boolean(&required))
                .unwrap_or(false),
            None => cx.boolean(&value).unwrap_or(false),
        };
        if let Some(parameter) = parameter_from_key(cx, key, required, &value) {
            out.push(parameter);
        }
    }
    out
}

/// `method.request.{path|querystring|header}.{name}` → a parameter.
pub(super) fn parameter_from_key(
    cx: &Cx<'_, '_>,
    key: &str,
    required: bool,
    prop: &Prop<'_>,
) -> Option<Parameter> {
    let rest = key.strip_prefix("method.request.")?;
    let (location, name) = rest.split_once('.')?;
    let location = match location {
        "path" => ParameterLocation::Path,
        "querystring" | "multivaluequerystring" => ParameterLocation::Query,
        "header" | "multivalueheader" => ParameterLocation::Header,
        _ => return None,
    };
    Some(Parameter {
        origin: cx.origin(prop),
        name: name.to_owned(),
        location,
        required: required || location == ParameterLocation::Path,
        description: None,
        schema: None,
    })
}

fn method_response(
    cx: &mut Cx<'_, '_>,
    names: &RouteNames<'_>,
    prop: &Prop<'_>,
) -> Option<MethodResponse> {
    cx.map(prop)?;
    let status = prop.get("StatusCode").and_then(|status| cx.text(&status))?;
    let mut headers = IndexMap::new();
    if let Some(parameters) = prop.get("ResponseParameters") {
        for (key, value) in cx.map(&parameters).unwrap_or_default() {
            let Some(name) = key.strip_prefix("method.response.header.") else {
                continue;
            };
            let required = cx.boolean(&value).unwrap_or(false);
            headers.insert(
                name.to_owned(),
                ResponseHeader {
                    required,
                    description: None,
                    schema: None,
                },
            );
        }
    }
    let mut content = IndexMap::new();
    if let Some(models) = prop.get("ResponseModels") {
        for (media_type, model) in cx.map(&models).unwrap_or_default() {
            let name = names.models.resolve(cx, names.api, &model);
            content.insert(
                media_type.to_owned(),
                name.map(|name| Schema::Model { name }),
            );
        }
    }
    Some(MethodResponse {
        origin: cx.origin(prop),
        status,
        description: None,
        headers,
        content,
    })
}

/// A method's `Integration` property.
pub(super) fn rest_integration(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    prop: &Prop<'_>,
) -> Option<Integration> {
    cx.map(prop)?;
    let origin = cx.origin(prop);
    let kind = match prop.get("Type") {
        Some(kind) => integration_type(cx, &kind),
        None => {
            cx.report(
                structure::MissingField::META,
                prop,
                "the integration has no `Type`",
            )
            .help("set `Type` to AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK");
            None
        }
    };
    let mut integration = Integration::new(origin.clone(), kind);
    if let Some(method) = prop.get("IntegrationHttpMethod") {
        integration.http_method = cx.spanned_text(&method);
    }
    if let Some(uri) = prop.get("Uri") {
        integration.uri = cx.spanned_expr(&uri);
    }
    if let Some(kind) = prop.get("ConnectionType") {
        integration.connection_type = cx.spanned_text(&kind);
    }
    if let Some(id) = prop.get("ConnectionId") {
        integration.connection_id = cx.spanned_expr(&id);
    }
    if let Some(target) = prop.get("IntegrationTarget") {
        integration.integration_target = cx.spanned_expr(&target);
    }
    if let Some(credentials) = prop.get("Credentials") {
        integration.credentials = cx.spanned_expr(&credentials);
    }
    if let Some(parameters) = prop.get("RequestParameters") {
        integration.request_parameters = cx.text_map(&parameters);
    }
    if let Some(templates) = prop.get("RequestTemplates") {
        integration.request_templates = cx.text_map(&templates);
    }
    if let Some(behavior) = prop.get("PassthroughBehavior") {
        integration.passthrough_behavior = cx.spanned_text(&behavior);
    }
    if let Some(handling) = prop.get("ContentHandling") {
        integration.content_handling = cx.spanned_text(&handling);
    }
    if let Some(namespace) = prop.get("CacheNamespace") {
        integration.cache_namespace = cx.text(&namespace);
    }
    if let Some(keys) = prop.get("CacheKeyParameters") {
        integration.cache_key_parameters = cx.text_list(&keys);
    }
    if let Some(timeout) = prop.get("TimeoutInMillis") {
        if let Some(value) = cx.integer(&timeout) {
            integration.timeout_ms = Some(cx.spanned(value, &timeout));
        }
    }
    if let Some(mode) = prop.get("ResponseTransferMode") {
        integration.response_transfer_mode = cx.spanned_text(&mode);
    }
    if let Some(responses) = prop.get("IntegrationResponses") {
        for response in cx.list(&responses).unwrap_or_default() {
            if cx.map(&response).is_none() {
                continue;
            }
            // No pattern (or an empty one) makes the default response.
            let selection_pattern = response
                .get("SelectionPattern")
                .and_then(|pattern| cx.text(&pattern))
                .filter(|pattern| !pattern.is_empty())
                .unwrap_or_else(|| "default".to_owned());
            let status_code = response
                .get("StatusCode")
                .and_then(|status| cx.spanned_text(&status));
            let response_parameters = response
                .get("ResponseParameters")
                .map(|parameters| cx.text_map(&parameters))
                .unwrap_or_default();
            let response_templates = response
                .get("ResponseTemplates")
                .map(|templates| cx.text_map(&templates))
                .unwrap_or_default();
            let content_handling = response
                .get("ContentHandling")
                .and_then(|handling| cx.spanned_text(&handling));
            integration.responses.push(IntegrationResponse {
                origin: cx.origin(&response),
                selection_pattern,
                status_code,
                response_parameters,
                response_templates,
                content_handling,
            });
        }
    }
    if matches!(
        integration.kind,
        Some(IntegrationType::Aws | IntegrationType::AwsProxy)
    ) {
        if let Some(uri) = integration.uri.clone() {
            integration.function = functions::register(api, stack, &uri.value, &uri.origin);
        }
    }
    Some(integration)
}

/// An integration `Type`, case-insensitive; an unknown one is reported.
pub(super) fn integration_type(cx: &mut Cx<'_, '_>, prop: &Prop<'_>) -> Option<IntegrationType> {
    let text = cx.literal(prop)?;
    let parsed = IntegrationType::parse(&text);
    if parsed.is_none() {
        cx.report(
            structure::InvalidEnumValue::META,
            prop,
            format!("integration type `{text}` is not one API Gateway knows"),
        )
        .help("use AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK");
    }
    parsed
}

/// `AWS::ApiGateway::Authorizer` → an authorizer; returns its IR name.
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
        // The spec already defines it under this name; the spec's definition stands.
        return name;
    }
    let origin = cx.origin(&resource_prop(resource));
    let kind_prop = resource.property("Type");
    let kind_text = kind_prop.as_ref().and_then(|kind| cx.spanned_text(kind));
    let kind = kind_text
        .as_ref()
        .and_then(|text| match text.value.to_ascii_uppercase().as_str() {
            "TOKEN" => Some(AuthorizerKind::Token),
            "REQUEST" => Some(AuthorizerKind::Request),
            "COGNITO_USER_POOLS" => Some(AuthorizerKind::CognitoUserPools),
            _ => None,
        });
    if let (Some(text), None, Some(kind_prop)) = (&kind_text, kind, &kind_prop) {
        cx.report(
            structure::InvalidEnumValue::META,
            kind_prop,
            format!(
                "authorizer type `{}` is not TOKEN, REQUEST or COGNITO_USER_POOLS",
                text.value
            ),
        )
        .help("use TOKEN or REQUEST for a Lambda authorizer, COGNITO_USER_POOLS for Cognito");
    }
    let mut authorizer: Authorizer = empty_authorizer(origin, &name, kind);
    authorizer.kind_text = kind_text;
    if let Some(auth_type) = resource.property("AuthType") {
        authorizer.auth_type = cx.spanned_text(&auth_type);
    }
    if let Some(uri) = resource.property("AuthorizerUri") {
        authorizer.uri = cx.spanned_expr(&uri);
        if let Some(uri) = authorizer.uri.clone() {
            authorizer.function = functions::register(api, stack, &uri.value, &uri.origin);
        }
    }
    if let Some(credentials) = resource.property("AuthorizerCredentials") {
        authorizer.credentials = cx.spanned_expr(&credentials);
    }
    if let Some(source) = resource.property("IdentitySource") {
        if let Some(text) = cx.spanned_text(&source) {
            authorizer.identity_source = text
                .value
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| crate::ir::Spanned::new(part.to_owned(), text.origin.clone()))
                .collect();
        }
    }
    authorizer.header_name = authorizer
        .identity_source
        .iter()
        .find_map(|source| source.value.strip_prefix("method.request.header."))
        .map(str::to_owned);
    if let Some(expression) = resource.property("IdentityValidationExpression") {
        authorizer.identity_validation_expression = cx.spanned_text(&expression);
    }
    if let Some(ttl) = resource.property("AuthorizerResultTtlInSeconds") {
        if let Some(value) = cx.integer(&ttl) {
            authorizer.result_ttl_seconds = Some(cx.spanned(value, &ttl));
        }
    }
    if let Some(arns) = resource.property("ProviderARNs") {
        authorizer.provider_arns = if arns.intrinsic().is_some() {
            cx.spanned_expr(&arns).into_iter().collect()
        } else {
            cx.expr_list(&arns)
        };
    }
    api.authorizers.push(authorizer);
    name
}

/// `AWS::ApiGateway::Model` → a model; returns its IR name.
fn model(cx: &mut Cx<'_, '_>, api: &mut Api, resource: &Resource<'_>) -> String {
    let name = resource
        .property("Name")
        .and_then(|name| name.node.as_str().map(str::to_owned))
        .unwrap_or_else(|| resource.logical_id.to_owned());
    if api.model(&name).is_some() {
        return name;
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
        origin: cx.origin(&resource_prop(resource)),
        name: name.clone(),
        content_type,
        description,
        schema,
    });
    name
}

/// `AWS::ApiGateway::RequestValidator` → a validator; returns its IR name.
fn request_validator(cx: &mut Cx<'_, '_>, api: &mut Api, resource: &Resource<'_>) -> String {
    let name = resource
        .property("Name")
        .and_then(|name| name.node.as_str().map(str::to_owned))
        .unwrap_or_else(|| resource.logical_id.to_owned());
    if api
        .request_validators
        .iter()
        .any(|validator| validator.name == name)
    {
        return name;
    }
    let mut flag = |key: &str| {
        resource
            .property(key)
            .and_then(|value| cx.boolean(&value))
            .unwrap_or(false)
    };
    let validate_request_body = flag("ValidateRequestBody");
    let validate_request_parameters = flag("ValidateRequestParameters");
    api.request_validators.push(RequestValidator {
        origin: cx.origin(&resource_prop(resource)),
        name: name.clone(),
        validate_request_body,
        validate_request_parameters,
    });
    name
}

/// `AWS::ApiGateway::GatewayResponse`: replaces the spec's response of the same type, as
/// CloudFormation applies it after the import.
fn gateway_response(cx: &mut Cx<'_, '_>, api: &mut Api, resource: &Resource<'_>) {
    let Some(kind) = resource.property("ResponseType") else {
        return;
    };
    let Some(response_type) = cx.text(&kind) else {
        return;
    };
    let status_code = resource
        .property("StatusCode")
        .and_then(|status| cx.spanned_text(&status));
    let response_parameters = resource
        .property("ResponseParameters")
        .map(|parameters| cx.text_map(&parameters))
        .unwrap_or_default();
    let response_templates = resource
        .property("ResponseTemplates")
        .map(|templates| cx.text_map(&templates))
        .unwrap_or_default();
    let response = GatewayResponse {
        origin: cx.origin(&resource_prop(resource)),
        response_type,
        status_code,
        response_parameters,
        response_templates,
    };
    api.gateway_responses
        .retain(|existing| existing.response_type != response.response_type);
    api.gateway_responses.push(response);
}
