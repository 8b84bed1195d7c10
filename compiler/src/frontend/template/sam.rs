//! What SAM adds to an API: routes from `AWS::Serverless::Function` events (`Api` and
//! `HttpApi`, on a named API or on the implicit `ServerlessRestApi`/`ServerlessHttpApi`), and
//! the `Auth`, `Cors`, `Models` and `GatewayResponses` properties of `AWS::Serverless::Api` and
//! `AWS::Serverless::HttpApi`, read the way the SAM transform expands them.
//!
//! Routes a spec already defines are kept as the spec has them; events only add the others.

use indexmap::IndexMap;

use crate::ir::{
    Api, ApiKind, Authorizer, AuthorizerKind, Expr, FunctionBinding, GatewayResponse, HttpMethod,
    Integration, IntegrationResponse, IntegrationType, JwtConfiguration, MethodResponse, Model,
    Origin, RequestBody, ResponseHeader, Route, RouteKey, Schema, SecurityRequirement, Spanned,
};
use crate::rules::structure;

use super::apis::apply_properties;
use super::read::{document, Cx};
use super::rest::{parameter_from_key, request_parameters};
use super::stack::{reference, Prop, Resource, Stack};
use super::{
    empty_authorizer, functions, iam_authorizer, new_api, secure, Access, Apis, Built, Flavor,
};

/// The logical ids SAM gives the APIs it creates for events that name none.
const IMPLICIT_REST: &str = "ServerlessRestApi";
const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// The most function events read from one template, for the same reason as
/// [`MAX_RESOURCES`](super::stack::MAX_RESOURCES): each event's route is compared with the API's.
const MAX_EVENTS: usize = 5_000;

pub(super) fn lower_events<'t>(cx: &mut Cx<'_, '_>, stack: &Stack<'t>, apis: &mut Apis<'t>) {
    let mut seen = 0_usize;
    for function in stack.of_type("AWS::Serverless::Function") {
        let Some(events) = function.property("Events") else {
            continue;
        };
        for (_, event) in cx.map(&events).unwrap_or_default() {
            seen += 1;
            if seen > MAX_EVENTS {
                cx.report(
                    structure::InputLimitExceeded::META,
                    &event,
                    format!("the template has more than {MAX_EVENTS} function events; apigw reads the first {MAX_EVENTS}"),
                )
                .help("split the template into nested stacks");
                return;
            }
            let kind = match event.get("Type").and_then(|kind| kind.as_str()) {
                Some("Api") => ApiKind::Rest,
                Some("HttpApi") => ApiKind::Http,
                _ => continue,
            };
            let properties = event.get("Properties");
            if let Some(properties) = &properties {
                if cx.map(properties).is_none() {
                    continue;
                }
            }
            let target_key = if kind == ApiKind::Rest {
                "RestApiId"
            } else {
                "ApiId"
            };
            let target = properties
                .as_ref()
                .and_then(|properties| properties.get(target_key));
            let index = match target {
                Some(target) => {
                    // An API of another stack (a literal id, an import) is not ours to extend.
                    let Some((id, _)) = reference(target.node) else {
                        continue;
                    };
                    match apis.find(id) {
                        Some(index)
                            if apis
                                .built
                                .get(index)
                                .is_some_and(|built| built.api.kind == kind) =>
                        {
                            index
                        }
                        _ => continue,
                    }
                }
                None => match implicit_api(cx, stack, apis, kind, &event) {
                    Some(index) => index,
                    None => continue,
                },
            };
            let Some(built) = apis.built.get_mut(index) else {
                continue;
            };
            event_route(cx, stack, built, function, &event, properties.as_ref());
        }
    }
}

/// The implicit API for events that name none, created on first use.
fn implicit_api<'t>(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'t>,
    apis: &mut Apis<'t>,
    kind: ApiKind,
    event: &Prop<'_>,
) -> Option<usize> {
    let (id, flavor) = match kind {
        ApiKind::Http => (IMPLICIT_HTTP, Flavor::SamHttp),
        _ => (IMPLICIT_REST, Flavor::SamRest),
    };
    if apis.unchecked.iter().any(|unchecked| unchecked == id) {
        return None;
    }
    if let Some(index) = apis.find(id) {
        return Some(index);
    }
    let origin = cx.origin(event);
    let mut built = Built {
        api: new_api(kind, origin, id),
        id: id.to_owned(),
        flavor,
        resource: None,
    };
    apply_properties(cx, stack, &mut built);
    apis.built.push(built);
    Some(apis.built.len() - 1)
}

fn event_route(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    built: &mut Built<'_>,
    function: &Resource<'_>,
    event: &Prop<'_>,
    properties: Option<&Prop<'_>>,
) {
    let kind = built.api.kind;
    let path = properties.and_then(|properties| properties.get("Path"));
    let method = properties.and_then(|properties| properties.get("Method"));
    let key = match (&path, &method) {
        (None, None) if kind == ApiKind::Http => RouteKey::Default,
        (Some(path), method) if kind == ApiKind::Http || method.is_some() => {
            let Some(path) = cx.text(path) else {
                return;
            };
            let parsed = match method {
                Some(method) => {
                    let Some(text) = cx.literal(method) else {
                        return;
                    };
                    match HttpMethod::parse(&text) {
                        Some(parsed) => parsed,
                        None => {
                            cx.report(
                                structure::InvalidEnumValue::META,
                                method,
                                format!("`Method` is `{text}`, which is not an HTTP method API Gateway supports"),
                            )
                            .help("use get, put, post, delete, patch, head, options or any");
                            return;
                        }
                    }
                }
                None => HttpMethod::Any,
            };
            RouteKey::Http {
                method: parsed,
                path,
            }
        }
        _ => {
            let missing = if path.is_none() { "Path" } else { "Method" };
            let at = properties.unwrap_or(event);
            cx.report(
                structure::MissingField::META,
                at,
                format!("the `{}` event has no `{missing}`", event.name()),
            )
            .help(
                "an `Api` event needs both `Path` and `Method`, e.g. `Path: /pets`, `Method: get`",
            );
            return;
        }
    };
    if built.api.routes.iter().any(|route| route.key == key) {
        return;
    }
    let origin = cx.origin(event);
    let mut route = Route::new(origin.clone(), key);
    route.is_default_route = route.key == RouteKey::Default;
    let function_arn = Expr::GetAtt {
        resource: function.logical_id.to_owned(),
        attribute: "Arn".to_owned(),
    };
    let name = functions::add(
        &mut built.api,
        stack,
        function.logical_id.to_owned(),
        FunctionBinding::StackResource {
            logical_id: function.logical_id.to_owned(),
        },
        &cx.origin(&function.as_prop()),
    );
    let mut integration = Integration::new(origin.clone(), Some(IntegrationType::AwsProxy));
    integration.http_method = Some(Spanned::new("POST".to_owned(), origin.clone()));
    integration.uri = Some(Spanned::new(
        functions::invocation_uri(function_arn),
        origin.clone(),
    ));
    integration.function = Some(name);
    if kind == ApiKind::Http {
        let version = properties
            .and_then(|properties| properties.get("PayloadFormatVersion"))
            .and_then(|version| cx.spanned_text(&version));
        integration.payload_format_version =
            Some(version.unwrap_or_else(|| Spanned::new("2.0".to_owned(), origin.clone())));
    }
    if let Some(timeout) = properties.and_then(|properties| properties.get("TimeoutInMillis")) {
        if let Some(value) = cx.integer(&timeout) {
            integration.timeout_ms = Some(cx.spanned(value, &timeout));
        }
    }
    if kind == ApiKind::Rest {
        integration.credentials = invoke_role(cx, stack, built, properties);
    }
    route.integration = Some(integration);
    if let Some(properties) = properties {
        event_request(cx, &mut route, properties);
    }
    let auth = properties.and_then(|properties| properties.get("Auth"));
    let access = event_access(cx, stack, built, auth.as_ref());
    secure(&mut built.api, &mut route, &access, &origin);
    built.api.routes.push(route);
}

/// The role API Gateway assumes to invoke the function: the event's `Auth.InvokeRole`, else the
/// API's. `CALLER_CREDENTIALS` invokes with the caller's own IAM credentials; `NONE` uses the
/// function's resource policy.
fn invoke_role(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    built: &Built<'_>,
    properties: Option<&Prop<'_>>,
) -> Option<Spanned<Expr>> {
    let role = properties
        .and_then(|properties| properties.get("Auth"))
        .and_then(|auth| auth.get("InvokeRole"))
        .or_else(|| {
            built
                .property(stack, "Auth")
                .and_then(|auth| auth.get("InvokeRole"))
        })?;
    let value = cx.expr(&role)?;
    match value.as_literal() {
        Some("NONE") => None,
        Some("CALLER_CREDENTIALS") => {
            Some(cx.spanned(Expr::literal("arn:aws:iam::*:user/*"), &role))
        }
        _ => Some(cx.spanned(value, &role)),
    }
}

/// `RequestParameters` and `RequestModel` of an `Api` event.
fn event_request(cx: &mut Cx<'_, '_>, route: &mut Route, properties: &Prop<'_>) {
    if let Some(parameters) = properties.get("RequestParameters") {
        if parameters.node.as_seq().is_some() {
            for item in parameters.items() {
                if let Some(key) = item.as_str() {
                    if let Some(parameter) = parameter_from_key(cx, key, false, &item) {
                        route.parameters.push(parameter);
                    }
                } else {
                    route.parameters.extend(request_parameters(cx, &item));
                }
            }
        } else {
            route.parameters.extend(request_parameters(cx, &parameters));
        }
    }
    if let Some(model) = properties.get("RequestModel") {
        if cx.map(&model).is_none() {
            return;
        }
        let Some(name) = model.get("Model").and_then(|name| cx.text(&name)) else {
            return;
        };
        let required = model
            .get("Required")
            .and_then(|required| cx.boolean(&required))
            .unwrap_or(false);
        let mut content = IndexMap::new();
        content.insert("application/json".to_owned(), Some(Schema::Model { name }));
        route.request_body = Some(RequestBody {
            origin: cx.origin(&model),
            required,
            description: None,
            content,
        });
    }
}

/// An event's `Auth`, with the API's `Auth` (`DefaultAuthorizer`, `ApiKeyRequired`) as default.
fn event_access(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    built: &Built<'_>,
    auth: Option<&Prop<'_>>,
) -> Access {
    let api_auth = built.property(stack, "Auth");
    let quiet = |key: &str| api_auth.as_ref().and_then(|auth| auth.get(key));
    let mut access = Access::default();
    let authorizer = match auth.and_then(|auth| auth.get("Authorizer")) {
        Some(authorizer) => cx.literal(&authorizer),
        None => quiet("DefaultAuthorizer").and_then(|name| name.node.scalar_text()),
    };
    let mut scopes: Option<Vec<String>> = auth
        .and_then(|auth| auth.get("AuthorizationScopes"))
        .map(|scopes| {
            cx.text_list(&scopes)
                .into_iter()
                .map(|scope| scope.value)
                .collect()
        });
    match authorizer.as_deref() {
        None => {}
        Some("NONE") => access.none = true,
        Some("AWS_IAM") => access.iam = true,
        Some(name) => {
            let defined = quiet("Authorizers")
                .is_some_and(|authorizers| authorizers.get(name).is_some())
                || built.api.authorizer(name).is_some();
            if let (false, Some(written)) = (defined, auth.and_then(|auth| auth.get("Authorizer")))
            {
                cx.report(
                    structure::InvalidValue::META,
                    &written,
                    format!("`Authorizer` names `{name}`, which the API's `Auth.Authorizers` does not define"),
                )
                .help("name one of the API's authorizers, `AWS_IAM`, or `NONE`");
            }
            if scopes.is_none() {
                // Cognito and JWT authorizers may carry default scopes.
                scopes = quiet("Authorizers")
                    .and_then(|authorizers| authorizers.get(name))
                    .and_then(|definition| definition.get("AuthorizationScopes"))
                    .map(|list| {
                        list.items()
                            .iter()
                            .filter_map(|scope| scope.node.scalar_text())
                            .collect()
                    });
            }
            access.authorizer = Some((name.to_owned(), scopes.unwrap_or_default()));
        }
    }
    access.api_key = match auth.and_then(|auth| auth.get("ApiKeyRequired")) {
        Some(required) => cx.boolean(&required).unwrap_or(false),
        None => quiet("ApiKeyRequired")
            .and_then(|required| required.node.as_bool())
            .unwrap_or(false),
    };
    access
}

/// `Auth`, `Cors`, `Models`, `GatewayResponses` of every SAM API.
pub(super) fn lower_api_settings(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    for built in &mut apis.built {
        if !matches!(built.flavor, Flavor::SamRest | Flavor::SamHttp) {
            continue;
        }
        let auth = built.property(stack, "Auth");
        let mut defaults = Access::default();
        let mut add_default_to_preflight = true;
        if let Some(auth) = &auth {
            if cx.map(auth).is_some() {
                authorizers(cx, stack, built, auth);
                defaults = default_access(cx, built, auth);
                if let Some(add) = auth.get("AddDefaultAuthorizerToCorsPreflight") {
                    add_default_to_preflight = cx.boolean(&add).unwrap_or(true);
                }
                if let Some(policy) = auth.get("ResourcePolicy") {
                    resource_policy(cx, built, &policy);
                }
            }
        }
        if built.flavor == Flavor::SamRest {
            if let Some(models) = built.property(stack, "Models") {
                sam_models(cx, &mut built.api, &models);
            }
            if let Some(responses) = built.property(stack, "GatewayResponses") {
                gateway_responses(cx, &mut built.api, &responses);
            }
            if let Some(cors) = built.property(stack, "Cors") {
                rest_cors(cx, &mut built.api, &cors, add_default_to_preflight);
            }
        }
        if !defaults.is_default() {
            let origin = built.api.origin.clone();
            let mut routes = std::mem::take(&mut built.api.routes);
            for route in &mut routes {
                if route.security.is_none() {
                    secure(&mut built.api, route, &defaults, &origin);
                }
            }
            built.api.routes = routes;
        }
    }
}

/// `DefaultAuthorizer` and `ApiKeyRequired` of an API's `Auth`.
fn default_access(cx: &mut Cx<'_, '_>, built: &Built<'_>, auth: &Prop<'_>) -> Access {
    let mut access = Access::default();
    if let Some(default) = auth.get("DefaultAuthorizer") {
        match cx.literal(&default).as_deref() {
            Some("AWS_IAM") => access.iam = true,
            Some(name) => {
                let known = built.api.authorizer(name).is_some();
                if !known {
                    cx.report(
                        structure::InvalidValue::META,
                        &default,
                        format!("`DefaultAuthorizer` names `{name}`, which `Authorizers` does not define"),
                    )
                    .help("name one of the authorizers under `Auth.Authorizers`, or `AWS_IAM`");
                }
                let scopes = auth
                    .get("Authorizers")
                    .and_then(|authorizers| authorizers.get(name))
                    .and_then(|definition| definition.get("AuthorizationScopes"))
                    .map(|scopes| cx.text_list(&scopes).into_iter().map(|s| s.value).collect())
                    .unwrap_or_default();
                access.authorizer = Some((name.to_owned(), scopes));
            }
            None => {}
        }
    }
    if let Some(required) = auth.get("ApiKeyRequired") {
        access.api_key = cx.boolean(&required).unwrap_or(false);
    }
    access
}

/// `Auth.Authorizers`: Lambda (token or request) and Cognito for REST APIs, Lambda and JWT for
/// HTTP APIs.
fn authorizers(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, built: &mut Built<'_>, auth: &Prop<'_>) {
    let Some(definitions) = auth.get("Authorizers") else {
        return;
    };
    for (name, definition) in cx.map(&definitions).unwrap_or_default() {
        if name == "AWS_IAM" {
            iam_authorizer(&mut built.api, &cx.origin(&definition));
            continue;
        }
        if built.api.authorizer(name).is_some() || cx.map(&definition).is_none() {
            continue;
        }
        let authorizer = match built.api.kind {
            ApiKind::Rest => rest_authorizer(cx, stack, &mut built.api, name, &definition),
            _ => http_authorizer(cx, stack, &mut built.api, name, &definition),
        };
        if let Some(authorizer) = authorizer {
            built.api.authorizers.push(authorizer);
        }
    }
}

/// Identity sources SAM builds from `Identity: {Headers, QueryStrings, StageVariables, Context}`.
fn identity_sources(
    cx: &mut Cx<'_, '_>,
    identity: Option<&Prop<'_>>,
    prefixes: [&str; 4],
) -> Vec<Spanned<String>> {
    let mut out = Vec::new();
    let Some(identity) = identity else {
        return out;
    };
    for (key, prefix) in ["Headers", "QueryStrings", "StageVariables", "Context"]
        .into_iter()
        .zip(prefixes)
    {
        if let Some(names) = identity.get(key) {
            for name in cx.text_list(&names) {
                out.push(Spanned::new(format!("{prefix}{}", name.value), name.origin));
            }
        }
    }
    out
}

fn lambda_function(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    authorizer: &mut Authorizer,
    definition: &Prop<'_>,
) {
    let Some(arn) = definition.get("FunctionArn") else {
        return;
    };
    let Some(function_arn) = cx.expr(&arn) else {
        return;
    };
    let origin = cx.origin(&arn);
    let uri = functions::invocation_uri(function_arn);
    authorizer.function = functions::register(api, stack, &uri, &origin);
    authorizer.uri = Some(Spanned::new(uri, origin));
    if let Some(role) = definition.get("FunctionInvokeRole") {
        authorizer.credentials = cx.spanned_expr(&role);
    }
}

fn rest_authorizer(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    name: &str,
    definition: &Prop<'_>,
) -> Option<Authorizer> {
    let origin = cx.origin(definition);
    let identity = definition.get("Identity");
    let ttl = identity
        .as_ref()
        .and_then(|identity| identity.get("ReauthorizeEvery"));
    let validation = identity
        .as_ref()
        .and_then(|identity| identity.get("ValidationExpression"));
    let header = identity
        .as_ref()
        .and_then(|identity| identity.get("Header"))
        .and_then(|header| cx.text(&header))
        .unwrap_or_else(|| "Authorization".to_owned());
    let mut authorizer = if let Some(pools) = definition.get("UserPoolArn") {
        let mut authorizer =
            empty_authorizer(origin.clone(), name, Some(AuthorizerKind::CognitoUserPools));
        authorizer.kind_text = Some(Spanned::new(
            "cognito_user_pools".to_owned(),
            origin.clone(),
        ));
        authorizer.provider_arns = if pools.node.as_seq().is_some() {
            cx.expr_list(&pools)
        } else {
            cx.spanned_expr(&pools).into_iter().collect()
        };
        authorizer.identity_source = vec![Spanned::new(
            format!("method.request.header.{header}"),
            origin.clone(),
        )];
        authorizer.header_name = Some(header);
        authorizer
    } else if definition.get("FunctionArn").is_some() {
        let payload = definition
            .get("FunctionPayloadType")
            .and_then(|kind| cx.literal(&kind))
            .map(|kind| kind.to_ascii_uppercase());
        let request = payload.as_deref() == Some("REQUEST");
        let kind = if request {
            AuthorizerKind::Request
        } else {
            AuthorizerKind::Token
        };
        let mut authorizer = empty_authorizer(origin.clone(), name, Some(kind));
        authorizer.kind_text = Some(Spanned::new(
            if request { "request" } else { "token" }.to_owned(),
            origin.clone(),
        ));
        authorizer.identity_source = if request {
            identity_sources(
                cx,
                identity.as_ref(),
                [
                    "method.request.header.",
                    "method.request.querystring.",
                    "stageVariables.",
                    "context.",
                ],
            )
        } else {
            vec![Spanned::new(
                format!("method.request.header.{header}"),
                origin.clone(),
            )]
        };
        authorizer.header_name = (!request).then_some(header);
        lambda_function(cx, stack, api, &mut authorizer, definition);
        authorizer
    } else {
        cx.report(
            structure::MissingField::META,
            definition,
            format!("authorizer `{name}` has neither `FunctionArn` nor `UserPoolArn`"),
        )
        .help("a Lambda authorizer names its function (`FunctionArn`), a Cognito one its user pool (`UserPoolArn`)");
        return None;
    };
    if let Some(ttl) = ttl {
        if let Some(value) = cx.integer(&ttl) {
            authorizer.result_ttl_seconds = Some(cx.spanned(value, &ttl));
        }
    }
    if let Some(validation) = validation {
        authorizer.identity_validation_expression = cx.spanned_text(&validation);
    }
    Some(authorizer)
}

fn http_authorizer(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    api: &mut Api,
    name: &str,
    definition: &Prop<'_>,
) -> Option<Authorizer> {
    let origin = cx.origin(definition);
    if let Some(jwt) = definition.get("JwtConfiguration") {
        let mut authorizer = empty_authorizer(origin.clone(), name, Some(AuthorizerKind::Jwt));
        authorizer.kind_text = Some(Spanned::new("jwt".to_owned(), origin.clone()));
        authorizer.scheme_type = Some("oauth2".to_owned());
        if cx.map(&jwt).is_some() {
            // SAM spells these in lower case, as the OpenAPI extension does.
            let issuer = jwt
                .get("issuer")
                .or_else(|| jwt.get("Issuer"))
                .and_then(|issuer| cx.spanned_expr(&issuer));
            let audience = jwt
                .get("audience")
                .or_else(|| jwt.get("Audience"))
                .map(|audience| {
                    if audience.node.as_seq().is_some() {
                        cx.expr_list(&audience)
                    } else {
                        cx.spanned_expr(&audience).into_iter().collect()
                    }
                })
                .unwrap_or_default();
            authorizer.jwt = Some(JwtConfiguration {
                origin: cx.origin(&jwt),
                issuer,
                audience,
            });
        }
        let source = definition
            .get("IdentitySource")
            .and_then(|source| cx.spanned_text(&source))
            .unwrap_or_else(|| {
                Spanned::new("$request.header.Authorization".to_owned(), origin.clone())
            });
        authorizer.header_name = source
            .value
            .strip_prefix("$request.header.")
            .map(str::to_owned);
        authorizer.identity_source = vec![source];
        return Some(authorizer);
    }
    if definition.get("FunctionArn").is_none() {
        cx.report(
            structure::MissingField::META,
            definition,
            format!("authorizer `{name}` has neither `FunctionArn` nor `JwtConfiguration`"),
        )
        .help("a Lambda authorizer names its function (`FunctionArn`), a JWT one its issuer (`JwtConfiguration`)");
        return None;
    }
    let mut authorizer = empty_authorizer(origin.clone(), name, Some(AuthorizerKind::Request));
    authorizer.kind_text = Some(Spanned::new("request".to_owned(), origin));
    let identity = definition.get("Identity");
    authorizer.identity_source = identity_sources(
        cx,
        identity.as_ref(),
        [
            "$request.header.",
            "$request.querystring.",
            "$stageVariables.",
            "$context.",
        ],
    );
    if let Some(ttl) = identity
        .as_ref()
        .and_then(|identity| identity.get("ReauthorizeEvery"))
    {
        if let Some(value) = cx.integer(&ttl) {
            authorizer.result_ttl_seconds = Some(cx.spanned(value, &ttl));
        }
    }
    if let Some(version) = definition.get("AuthorizerPayloadFormatVersion") {
        authorizer.payload_format_version = cx.spanned_text(&version);
    }
    if let Some(simple) = definition.get("EnableSimpleResponses") {
        authorizer.enable_simple_responses = cx.boolean(&simple);
    }
    lambda_function(cx, stack, api, &mut authorizer, definition);
    Some(authorizer)
}

/// `Auth.ResourcePolicy.CustomStatements` → the API's resource policy. (SAM's shorthand lists,
/// such as `IpRangeWhitelist`, expand to statements the API does not need to know.)
fn resource_policy(cx: &mut Cx<'_, '_>, built: &mut Built<'_>, policy: &Prop<'_>) {
    if cx.map(policy).is_none() {
        return;
    }
    let Some(statements) = policy.get("CustomStatements") else {
        return;
    };
    let statement = match statements.node.to_json() {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    let document = serde_json::json!({"Version": "2012-10-17", "Statement": statement});
    built.api.policy = Some(cx.spanned(document, &statements));
}

/// SAM `Models: {Name: schema}`.
fn sam_models(cx: &mut Cx<'_, '_>, api: &mut Api, models: &Prop<'_>) {
    for (name, schema) in cx.map(models).unwrap_or_default() {
        if api.model(name).is_some() {
            continue;
        }
        api.models.push(Model {
            origin: cx.origin(&schema),
            name: name.to_owned(),
            content_type: "application/json".to_owned(),
            description: None,
            schema: document(schema.node),
        });
    }
}

/// SAM `GatewayResponses: {TYPE: {StatusCode, ResponseParameters: {Headers, Paths,
/// QueryStrings}, ResponseTemplates}}`.
fn gateway_responses(cx: &mut Cx<'_, '_>, api: &mut Api, responses: &Prop<'_>) {
    for (response_type, response) in cx.map(responses).unwrap_or_default() {
        if cx.map(&response).is_none() {
            continue;
        }
        let status_code = response
            .get("StatusCode")
            .and_then(|status| cx.spanned_text(&status));
        let mut response_parameters = IndexMap::new();
        if let Some(parameters) = response.get("ResponseParameters") {
            for (group, prefix) in [
                ("Headers", "gatewayresponse.header."),
                ("Paths", "gatewayresponse.path."),
                ("QueryStrings", "gatewayresponse.querystring."),
            ] {
                if let Some(values) = parameters.get(group) {
                    for (name, value) in cx.text_map(&values) {
                        response_parameters.insert(format!("{prefix}{name}"), value);
                    }
                }
            }
        }
        let response_templates = response
            .get("ResponseTemplates")
            .map(|templates| cx.text_map(&templates))
            .unwrap_or_default();
        api.gateway_responses
            .retain(|existing| existing.response_type != response_type);
        api.gateway_responses.push(GatewayResponse {
            origin: cx.origin(&response),
            response_type: response_type.to_owned(),
            status_code,
            response_parameters,
            response_templates,
        });
    }
}

/// The CORS headers SAM's `Cors` sets, as mapping expressions (quoted literals such as `'*'`).
#[derive(Debug, Default)]
struct CorsHeaders {
    allow_origin: Option<String>,
    allow_methods: Option<String>,
    allow_headers: Option<String>,
    max_age: Option<String>,
    allow_credentials: bool,
}

/// SAM REST `Cors`: an `OPTIONS` method answering the preflight with a MOCK integration on every
/// path that has none, as the SAM transform adds.
fn rest_cors(cx: &mut Cx<'_, '_>, api: &mut Api, cors: &Prop<'_>, add_default_authorizer: bool) {
    let mut headers = CorsHeaders::default();
    if cors.node.as_map().is_some() {
        headers.allow_origin = cors.get("AllowOrigin").and_then(|value| cx.text(&value));
        headers.allow_methods = cors.get("AllowMethods").and_then(|value| cx.text(&value));
        headers.allow_headers = cors.get("AllowHeaders").and_then(|value| cx.text(&value));
        headers.max_age = cors.get("MaxAge").and_then(|value| cx.text(&value));
        // SAM takes a boolean, but templates also write the header value `"'true'"`, which
        // the transform accepts; either way only `true` sends the header.
        headers.allow_credentials =
            cors.get("AllowCredentials")
                .is_some_and(|value| match value.node.scalar_text() {
                    Some(text) => text.trim_matches('\'') == "true",
                    None => false,
                });
        if headers.allow_origin.is_none() {
            cx.report(
                structure::MissingField::META,
                cors,
                "`Cors` has no `AllowOrigin`",
            )
            .help("set the allowed origin as a quoted string: `AllowOrigin: \"'https://example.com'\"`");
            return;
        }
    } else if cors.intrinsic().is_some() {
        return;
    } else {
        headers.allow_origin = cx.text(cors);
    }
    let origin = cx.origin(cors);
    let mut paths: Vec<String> = Vec::new();
    for route in &api.routes {
        if let Some(path) = route.path() {
            if !paths.iter().any(|known| known == path) {
                paths.push(path.to_owned());
            }
        }
    }
    for path in paths {
        let methods: Vec<HttpMethod> = api
            .routes
            .iter()
            .filter(|route| route.path() == Some(path.as_str()))
            .filter_map(Route::method)
            .collect();
        if methods.contains(&HttpMethod::Options) {
            continue;
        }
        let route = preflight_route(&origin, &path, &methods, &headers, add_default_authorizer);
        api.routes.push(route);
    }
}

fn preflight_route(
    origin: &Origin,
    path: &str,
    methods: &[HttpMethod],
    headers: &CorsHeaders,
    add_default_authorizer: bool,
) -> Route {
    let allow_methods = headers.allow_methods.clone().unwrap_or_else(|| {
        let mut names: Vec<&str> = if methods.contains(&HttpMethod::Any) {
            vec!["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
        } else {
            let mut names: Vec<&str> = methods.iter().map(HttpMethod::as_str).collect();
            names.push("OPTIONS");
            names
        };
        names.sort_unstable();
        names.dedup();
        format!("'{}'", names.join(","))
    });
    let mut response_parameters = IndexMap::new();
    let mut method_headers = IndexMap::new();
    let mut set = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            response_parameters.insert(
                format!("method.response.header.{name}"),
                Spanned::new(value, origin.clone()),
            );
            method_headers.insert(
                name.to_owned(),
                ResponseHeader {
                    required: false,
                    description: None,
                    schema: None,
                },
            );
        }
    };
    set("Access-Control-Allow-Methods", Some(allow_methods));
    set(
        "Access-Control-Allow-Headers",
        headers.allow_headers.clone(),
    );
    set("Access-Control-Allow-Origin", headers.allow_origin.clone());
    set("Access-Control-Max-Age", headers.max_age.clone());
    set(
        "Access-Control-Allow-Credentials",
        headers.allow_credentials.then(|| "'true'".to_owned()),
    );
    let mut integration = Integration::new(origin.clone(), Some(IntegrationType::Mock));
    integration.request_templates.insert(
        "application/json".to_owned(),
        Spanned::new("{\n  \"statusCode\" : 200\n}\n".to_owned(), origin.clone()),
    );
    integration.passthrough_behavior =
        Some(Spanned::new("when_no_match".to_owned(), origin.clone()));
    let mut response_templates = IndexMap::new();
    response_templates.insert(
        "application/json".to_owned(),
        Spanned::new("{}\n".to_owned(), origin.clone()),
    );
    integration.responses.push(IntegrationResponse {
        origin: origin.clone(),
        selection_pattern: "default".to_owned(),
        status_code: Some(Spanned::new("200".to_owned(), origin.clone())),
        response_parameters,
        response_templates,
        content_handling: None,
    });
    let mut route = Route::new(
        origin.clone(),
        RouteKey::Http {
            method: HttpMethod::Options,
            path: path.to_owned(),
        },
    );
    route.summary = Some("CORS support".to_owned());
    route.responses.push(MethodResponse {
        origin: origin.clone(),
        status: "200".to_owned(),
        description: Some("Default response for CORS method".to_owned()),
        headers: method_headers,
        content: IndexMap::new(),
    });
    route.integration = Some(integration);
    if !add_default_authorizer {
        route.security = Some(Vec::<SecurityRequirement>::new());
    }
    route
}
