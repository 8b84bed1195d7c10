//! One API resource → one [`Api`]: the spec it embeds (or an empty API when it has none), then
//! the API-level properties the template sets on top of it (name, binary media types, endpoint,
//! policy, CORS, tags …). CloudFormation applies these after importing the body, so they win.

use std::sync::Arc;

use crate::frontend::LoadedFile;
use crate::ir::{
    ApiKeySource, ApiKind, Cors, EndpointConfiguration, Integration, IntegrationType, Route,
    RouteKey, Spanned,
};
use crate::rules::structure;

use super::embedded::{lower_definition, Definition};
use super::read::{document, Cx};
use super::stack::{Prop, Resource, Stack};
use super::{functions, new_api, Built, Flavor};

/// Lowers one API resource; `None` when its spec exists but cannot be read (reported).
pub(super) fn lower_api<'t>(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'t>,
    file: &Arc<LoadedFile>,
    resource: &Resource<'t>,
    flavor: Flavor,
) -> Option<Built<'t>> {
    let kind = match flavor {
        Flavor::Rest | Flavor::SamRest => ApiKind::Rest,
        Flavor::SamHttp => ApiKind::Http,
        Flavor::V2 => v2_protocol(cx, resource)?,
    };
    if let Some(clone_from) = resource.property("CloneFrom") {
        cx.report(
            structure::ExternalInclude::META,
            &clone_from,
            format!(
                "`{}` is cloned from another API at deploy time, so it is not checked",
                resource.logical_id
            ),
        )
        .help("define the API's spec in the template (`Body`) to have it checked");
        return None;
    }
    let keys = match flavor {
        Flavor::Rest | Flavor::V2 => ("Body", "BodyS3Location"),
        Flavor::SamRest | Flavor::SamHttp => ("DefinitionBody", "DefinitionUri"),
    };
    let definition = if kind == ApiKind::Websocket {
        // WebSocket APIs cannot be imported from OpenAPI; they are defined by resources only.
        Definition::Absent
    } else {
        lower_definition(cx, stack, file, resource, keys, kind)
    };
    let origin = cx.origin(&resource.as_prop());
    let mut api = match definition {
        Definition::Spec(api) => *api,
        Definition::Absent => new_api(kind, origin.clone(), resource.logical_id),
        Definition::Unchecked => return None,
    };
    api.kind = kind;
    api.origin = origin;
    api.name = resource.logical_id.to_owned();
    api.logical_id = Some(resource.logical_id.to_owned());
    let mut built = Built {
        api,
        id: resource.logical_id.to_owned(),
        flavor,
        resource: Some(resource.clone()),
    };
    apply_properties(cx, stack, &mut built);
    if flavor == Flavor::V2 {
        quick_create(cx, stack, &mut built);
    }
    Some(built)
}

/// `ProtocolType` of an `AWS::ApiGatewayV2::Api`: `HTTP` (also when a body is given without
/// one) or `WEBSOCKET`. `None` when the value is not one of these (reported).
fn v2_protocol(cx: &mut Cx<'_, '_>, resource: &Resource<'_>) -> Option<ApiKind> {
    let Some(protocol) = resource.property("ProtocolType") else {
        return Some(ApiKind::Http);
    };
    let text = cx.literal(&protocol)?;
    match text.to_ascii_uppercase().as_str() {
        "HTTP" => Some(ApiKind::Http),
        "WEBSOCKET" => Some(ApiKind::Websocket),
        _ => {
            cx.report(
                structure::InvalidEnumValue::META,
                &protocol,
                format!("`ProtocolType` is `{text}`; it must be `HTTP` or `WEBSOCKET`"),
            )
            .help("write `ProtocolType: HTTP` or `ProtocolType: WEBSOCKET`");
            None
        }
    }
}

/// The API-level properties, for every flavor (SAM's read through `Globals`).
pub(super) fn apply_properties(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, built: &mut Built<'_>) {
    let sam = matches!(built.flavor, Flavor::SamRest | Flavor::SamHttp);
    if let Some(name) = built.property(stack, "Name") {
        if let Some(text) = cx.text(&name) {
            built.api.title = text;
        }
    }
    if let Some(description) = built.property(stack, "Description") {
        if let Some(text) = cx.text(&description) {
            built.api.description = Some(text);
        }
    }
    if let Some(version) = built.property(stack, "Version") {
        if let Some(text) = cx.text(&version) {
            built.api.version = Some(text);
        }
    }
    if let Some(types) = built.property(stack, "BinaryMediaTypes") {
        for media_type in cx.text_list(&types) {
            // SAM asks for `~1` in place of `/` (`image~1png`); no media type contains `~1`.
            let value = media_type.value.replace("~1", "/");
            if !built
                .api
                .binary_media_types
                .iter()
                .any(|existing| existing.value == value)
            {
                built
                    .api
                    .binary_media_types
                    .push(Spanned::new(value, media_type.origin));
            }
        }
    }
    if let Some(size) = built.property(stack, "MinimumCompressionSize") {
        if let Some(value) = cx.integer(&size) {
            built.api.minimum_compression_size = Some(cx.spanned(value, &size));
        }
    }
    if let Some(policy) = built.property(stack, "Policy") {
        if policy.intrinsic().is_none() {
            built.api.policy = Some(cx.spanned(document(policy.node), &policy));
        }
    }
    if let Some(source) = built.property(stack, "ApiKeySourceType") {
        if let Some(text) = cx.literal(&source) {
            match text.to_ascii_uppercase().as_str() {
                "HEADER" => built.api.api_key_source = Some(ApiKeySource::Header),
                "AUTHORIZER" => built.api.api_key_source = Some(ApiKeySource::Authorizer),
                _ => {
                    cx.report(
                        structure::InvalidEnumValue::META,
                        &source,
                        format!("`ApiKeySourceType` is `{text}`; it must be `HEADER` or `AUTHORIZER`"),
                    )
                    .help("write `HEADER` (the `x-api-key` header) or `AUTHORIZER` (from a Lambda authorizer)");
                }
            }
        }
    }
    if let Some(policy) = built.property(stack, "SecurityPolicy") {
        built.api.security_policy = cx.spanned_text(&policy);
    }
    if let Some(mode) = built.property(stack, "EndpointAccessMode") {
        built.api.endpoint_access_mode = cx.spanned_text(&mode);
    }
    if let Some(endpoint) = built.property(stack, "EndpointConfiguration") {
        endpoint_configuration(cx, built, &endpoint, sam);
    }
    if let Some(disable) = built.property(stack, "DisableExecuteApiEndpoint") {
        if let Some(value) = cx.boolean(&disable) {
            endpoint_of(built, cx.origin(&disable)).disable_execute_api_endpoint = Some(value);
        }
    }
    if let Some(tags) = built.property(stack, "Tags") {
        let tags = cx.tags(&tags);
        built.api.tags.extend(tags);
    }
    if let Some(expression) = built.property(stack, "RouteSelectionExpression") {
        built.api.route_selection_expression = cx.text(&expression);
    }
    if let Some(expression) = built.property(stack, "ApiKeySelectionExpression") {
        built.api.api_key_selection_expression = cx.text(&expression);
    }
    let cors_key = match built.flavor {
        Flavor::V2 | Flavor::SamHttp => Some("CorsConfiguration"),
        Flavor::Rest | Flavor::SamRest => None,
    };
    if let Some(cors) = cors_key.and_then(|key| built.property(stack, key)) {
        if let Some(value) = cors_configuration(cx, &cors) {
            built.api.cors = Some(value);
        }
    }
}

fn endpoint_of<'a>(
    built: &'a mut Built<'_>,
    origin: crate::ir::Origin,
) -> &'a mut EndpointConfiguration {
    built
        .api
        .endpoint
        .get_or_insert_with(|| EndpointConfiguration {
            origin,
            types: Vec::new(),
            disable_execute_api_endpoint: None,
            vpc_endpoint_ids: Vec::new(),
            ip_address_type: None,
        })
}

/// CloudFormation `{Types: [REGIONAL], VpcEndpointIds: […]}`; SAM `REGIONAL` or
/// `{Type: PRIVATE, VPCEndpointIds: […]}`.
fn endpoint_configuration(cx: &mut Cx<'_, '_>, built: &mut Built<'_>, prop: &Prop<'_>, sam: bool) {
    let origin = cx.origin(prop);
    if sam && prop.node.as_map().is_none() {
        if let Some(text) = cx.text(prop) {
            let endpoint = endpoint_of(built, origin);
            endpoint.types = vec![text.to_ascii_uppercase()];
        }
        return;
    }
    if cx.map(prop).is_none() {
        return;
    }
    let mut types = Vec::new();
    if let Some(kinds) = prop.get("Types") {
        types.extend(
            cx.text_list(&kinds)
                .into_iter()
                .map(|kind| kind.value.to_ascii_uppercase()),
        );
    }
    if let Some(kind) = prop.get("Type") {
        types.extend(cx.text(&kind).map(|kind| kind.to_ascii_uppercase()));
    }
    let mut vpc_endpoint_ids = Vec::new();
    for key in ["VpcEndpointIds", "VPCEndpointIds"] {
        if let Some(ids) = prop.get(key) {
            if ids.intrinsic().is_some() {
                vpc_endpoint_ids.extend(cx.expr(&ids));
            } else {
                vpc_endpoint_ids.extend(cx.expr_list(&ids).into_iter().map(|id| id.value));
            }
        }
    }
    let ip_address_type = prop.get("IpAddressType").and_then(|kind| cx.text(&kind));
    let endpoint = endpoint_of(built, origin);
    if !types.is_empty() {
        endpoint.types = types;
    }
    if !vpc_endpoint_ids.is_empty() {
        endpoint.vpc_endpoint_ids = vpc_endpoint_ids;
    }
    if ip_address_type.is_some() {
        endpoint.ip_address_type = ip_address_type;
    }
}

/// HTTP API CORS: `{AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, MaxAge,
/// AllowCredentials}`; SAM also takes `true` (any origin).
pub(super) fn cors_configuration(cx: &mut Cx<'_, '_>, prop: &Prop<'_>) -> Option<Cors> {
    let origin = cx.origin(prop);
    if let Some(enabled) = prop.node.as_bool() {
        return enabled.then(|| Cors {
            origin,
            allow_origins: vec!["*".to_owned()],
            allow_credentials: None,
            expose_headers: Vec::new(),
            max_age: None,
            allow_methods: Vec::new(),
            allow_headers: Vec::new(),
        });
    }
    cx.map(prop)?;
    let mut list = |key: &str| -> Vec<String> {
        prop.get(key)
            .map(|value| {
                cx.text_list(&value)
                    .into_iter()
                    .map(|item| item.value)
                    .collect()
            })
            .unwrap_or_default()
    };
    let allow_origins = list("AllowOrigins");
    let allow_methods = list("AllowMethods");
    let allow_headers = list("AllowHeaders");
    let expose_headers = list("ExposeHeaders");
    Some(Cors {
        origin,
        allow_origins,
        allow_credentials: prop
            .get("AllowCredentials")
            .and_then(|value| cx.boolean(&value)),
        expose_headers,
        max_age: prop.get("MaxAge").and_then(|value| cx.integer(&value)),
        allow_methods,
        allow_headers,
    })
}

/// HTTP API quick create: `Target` (a Lambda function or an HTTP URL) makes a `$default` route
/// (or the route `RouteKey` names) with a proxy integration.
fn quick_create(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, built: &mut Built<'_>) {
    let Some(resource) = built.resource.clone() else {
        return;
    };
    let Some(target) = resource.property("Target") else {
        return;
    };
    let Some(uri) = cx.expr(&target) else {
        return;
    };
    let origin = cx.origin(&target);
    let key = match resource.property("RouteKey") {
        Some(route_key) => match cx.literal(&route_key) {
            Some(text) => match super::v2::parse_route_key(&text, ApiKind::Http) {
                Some(key) => key,
                None => {
                    super::v2::report_route_key(cx, &route_key, &text);
                    return;
                }
            },
            None => return,
        },
        None => RouteKey::Default,
    };
    let function = functions::register(&mut built.api, stack, &uri, &origin);
    let mut integration = Integration::new(
        origin.clone(),
        Some(if function.is_some() {
            IntegrationType::AwsProxy
        } else {
            IntegrationType::HttpProxy
        }),
    );
    if function.is_some() {
        integration.payload_format_version = Some(Spanned::new("2.0".to_owned(), origin.clone()));
        integration.http_method = Some(Spanned::new("POST".to_owned(), origin.clone()));
    } else {
        integration.http_method = Some(Spanned::new("ANY".to_owned(), origin.clone()));
    }
    integration.function = function;
    integration.uri = Some(Spanned::new(uri, origin.clone()));
    if let Some(credentials) = resource.property("CredentialsArn") {
        integration.credentials = cx.spanned_expr(&credentials);
    }
    let mut route = Route::new(origin.clone(), key);
    route.is_default_route = route.key == RouteKey::Default;
    route.integration = Some(integration);
    if !built
        .api
        .routes
        .iter()
        .any(|existing| existing.key == route.key)
    {
        built.api.routes.push(route);
    }
    // Quick create also deploys the API to an automatic `$default` stage.
    if !built
        .api
        .stages
        .iter()
        .any(|stage| stage.name == "$default")
    {
        built
            .api
            .stages
            .push(super::deploy::empty_stage(origin, "$default".to_owned()));
    }
}
