//! The Lambda proxy events API Gateway sends: payload 1.0 (REST APIs, and HTTP APIs that ask
//! for it) and 2.0 (HTTP APIs), every field filled as AWS fills it. Pure functions of the
//! request; nothing here invokes anything.

use std::time::SystemTime;

use base64::Engine;
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use crate::clock;
use crate::http1::Request;
use crate::plan::ApiKind;
use crate::plan::{ApiPlan, RouteMatch, RoutePlan, ACCOUNT_ID};

/// Everything about one request that an event or a log line needs.
pub struct Incoming<'a> {
    pub request: &'a Request,
    pub api: &'a ApiPlan,
    pub route: &'a RoutePlan,
    pub path_parameters: &'a IndexMap<String, String>,
    /// The raw path after the stage (`//hardcoded`, `/pets/1/`).
    pub stage_path: &'a str,
    /// The raw path including the stage (`/dev//hardcoded`).
    pub full_path: &'a str,
    pub request_id: &'a str,
    pub extended_request_id: &'a str,
    pub trace_id: &'a str,
    pub time: SystemTime,
    /// The API key the client sent, when the route requires one.
    pub api_key: Option<&'a str>,
}

impl Incoming<'_> {
    /// The path as REST payload 1.0 shows it: leading slashes collapsed to one.
    pub fn event_path(&self) -> String {
        format!("/{}", self.stage_path.trim_start_matches('/'))
    }

    /// The route's resource path (`/{proxy+}`), or `$default`.
    pub fn resource_path(&self) -> String {
        match &self.route.matcher {
            RouteMatch::Path { path, .. } => path.clone(),
            RouteMatch::Default => "$default".to_string(),
        }
    }

    pub fn source_ip(&self) -> String {
        self.request.peer.ip().to_string()
    }

    pub fn user_agent(&self) -> Option<&str> {
        self.request.header("user-agent")
    }

    pub fn domain_name(&self) -> String {
        self.request
            .header("host")
            .map_or_else(|| self.request.local.to_string(), str::to_string)
    }

    /// The first label of the host, or the API id when the host is an address or `localhost`.
    pub fn domain_prefix(&self) -> String {
        let domain = self.domain_name();
        let host = domain.split(':').next().unwrap_or("");
        let is_address = host.parse::<std::net::IpAddr>().is_ok() || host == "localhost";
        match host.split('.').next() {
            Some(label) if !is_address && !label.is_empty() => label.to_string(),
            _ => self.api.api_id.clone(),
        }
    }

    pub fn stage_variables(&self) -> Value {
        if self.api.stage.variables.is_empty() {
            Value::Null
        } else {
            Value::Object(
                self.api
                    .stage
                    .variables
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::String(value.clone())))
                    .collect(),
            )
        }
    }
}

/// Headers that API Gateway's edge writes in their canonical casing whatever the client sent
/// (recorded: `authorization` and `aUThorization` both arrive as `Authorization`).
const CANONICAL_HEADERS: &[&str] = &[
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Cache-Control",
    "Content-Encoding",
    "Content-Type",
    "Cookie",
    "Date",
    "Expect",
    "Host",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Origin",
    "Pragma",
    "Range",
    "Referer",
    "User-Agent",
    "Via",
    "X-Amzn-Trace-Id",
    "X-Forwarded-For",
    "X-Forwarded-Port",
    "X-Forwarded-Proto",
];

/// Headers that never reach the integration (hop-by-hop, or rewritten by the gateway).
const DROPPED_HEADERS: &[&str] = &[
    "connection",
    "content-length",
    "keep-alive",
    "transfer-encoding",
    "upgrade",
    "proxy-connection",
    "te",
];

/// The request headers as the integration sees them, in order, with duplicates kept, plus the
/// headers the gateway adds. REST keeps the client's casing except for well-known names; HTTP
/// APIs lower-case every name.
pub fn forwarded_headers(incoming: &Incoming<'_>) -> Vec<(String, String)> {
    let lower_case = incoming.api.kind == ApiKind::Http;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut forwarded_for = None;
    for (name, value) in &incoming.request.headers {
        let lowered = name.to_ascii_lowercase();
        if (!lower_case && DROPPED_HEADERS.contains(&lowered.as_str()))
            || lowered == "x-amzn-trace-id"
            || lowered == "x-forwarded-port"
            || lowered == "x-forwarded-proto"
        {
            continue;
        }
        if lower_case && (lowered == "connection" || lowered == "transfer-encoding") {
            continue;
        }
        if lowered == "x-forwarded-for" {
            forwarded_for = Some(value.clone());
            continue;
        }
        let shown = if lower_case {
            lowered
        } else {
            CANONICAL_HEADERS
                .iter()
                .find(|canonical| canonical.eq_ignore_ascii_case(name))
                .map_or_else(|| name.clone(), |canonical| (*canonical).to_string())
        };
        headers.push((shown, value.clone()));
    }
    let source_ip = incoming.source_ip();
    let forwarded_for = match forwarded_for {
        Some(earlier) => format!("{earlier}, {source_ip}"),
        None => source_ip,
    };
    let added = [
        ("X-Amzn-Trace-Id", incoming.trace_id.to_string()),
        ("X-Forwarded-For", forwarded_for),
        (
            "X-Forwarded-Port",
            incoming.request.local.port().to_string(),
        ),
        ("X-Forwarded-Proto", "http".to_string()),
    ];
    for (name, value) in added {
        let name = if lower_case {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        };
        headers.push((name, value));
    }
    headers
}

/// `headers` (last value wins) and `multiValueHeaders` (every value) of payload 1.0. Names that
/// differ only in case share the first spelling.
fn header_maps(headers: &[(String, String)]) -> (Map<String, Value>, Map<String, Value>) {
    let mut single = Map::new();
    let mut multi: IndexMap<String, Vec<Value>> = IndexMap::new();
    for (name, value) in headers {
        let key = multi
            .keys()
            .find(|known| known.eq_ignore_ascii_case(name))
            .cloned()
            .unwrap_or_else(|| name.clone());
        multi
            .entry(key.clone())
            .or_default()
            .push(Value::String(value.clone()));
        single.insert(key, Value::String(value.clone()));
    }
    let multi = multi
        .into_iter()
        .map(|(key, values)| (key, Value::Array(values)))
        .collect();
    (single, multi)
}

/// Decodes one query-string component: `+` is a space, then percent-decoding.
pub fn decode_query_component(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// The query string as ordered `(name, value)` pairs, decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_query_component(name), decode_query_component(value))
        })
        .collect()
}

fn query_maps(pairs: &[(String, String)]) -> (Value, Value) {
    if pairs.is_empty() {
        return (Value::Null, Value::Null);
    }
    let mut single = Map::new();
    let mut multi: IndexMap<String, Vec<Value>> = IndexMap::new();
    for (name, value) in pairs {
        single.insert(name.clone(), Value::String(value.clone()));
        multi
            .entry(name.clone())
            .or_default()
            .push(Value::String(value.clone()));
    }
    let multi = multi
        .into_iter()
        .map(|(key, values)| (key, Value::Array(values)))
        .collect();
    (Value::Object(single), Value::Object(multi))
}

fn path_parameters(incoming: &Incoming<'_>) -> Value {
    if incoming.path_parameters.is_empty() {
        Value::Null
    } else {
        Value::Object(
            incoming
                .path_parameters
                .iter()
                .map(|(key, value)| (key.clone(), Value::String(value.clone())))
                .collect(),
        )
    }
}

/// Whether `content_type` matches one of the API's binary media types (`image/*`, `*/*`).
pub fn is_binary_media_type(content_type: Option<&str>, binary_media_types: &[String]) -> bool {
    let Some(content_type) = content_type else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    binary_media_types.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        let (pattern_kind, pattern_subtype) = pattern.split_once('/').unwrap_or((&pattern, ""));
        (pattern_kind == "*" || pattern_kind == kind)
            && (pattern_subtype == "*" || pattern_subtype == subtype)
    })
}

/// HTTP APIs send text bodies as text and everything else base64-encoded.
fn is_text_media_type(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence == "application/json"
        || essence.ends_with("+json")
        || essence == "application/xml"
        || essence.ends_with("+xml")
        || essence == "application/javascript"
}

/// The body field and its `isBase64Encoded` flag.
fn body_field(incoming: &Incoming<'_>) -> (Value, bool) {
    let body = &incoming.request.body;
    if body.is_empty() {
        return (Value::Null, false);
    }
    let content_type = incoming.request.header("content-type");
    let encode = match incoming.api.kind {
        ApiKind::Http => !is_text_media_type(content_type),
        _ => is_binary_media_type(content_type, &incoming.api.binary_media_types),
    };
    if encode || std::str::from_utf8(body).is_err() {
        (
            Value::String(base64::engine::general_purpose::STANDARD.encode(body)),
            true,
        )
    } else {
        (
            Value::String(String::from_utf8_lossy(body).into_owned()),
            false,
        )
    }
}

fn identity(incoming: &Incoming<'_>) -> Value {
    let mut identity = json!({
        "cognitoIdentityPoolId": null,
        "accountId": null,
        "cognitoIdentityId": null,
        "caller": null,
        "sourceIp": incoming.source_ip(),
        "principalOrgId": null,
        "accessKey": null,
        "cognitoAuthenticationType": null,
        "cognitoAuthenticationProvider": null,
        "userArn": null,
        "userAgent": incoming.user_agent(),
        "user": null,
    });
    if let (Some(key), Some(object)) = (incoming.api_key, identity.as_object_mut()) {
        object.insert("apiKey".to_string(), Value::String(key.to_string()));
        object.insert(
            "apiKeyId".to_string(),
            Value::String(crate::plan::stable_id(key)),
        );
    }
    identity
}

/// Payload format 1.0.
pub fn payload_v1(incoming: &Incoming<'_>) -> Value {
    let headers = forwarded_headers(incoming);
    let (single_headers, multi_headers) = header_maps(&headers);
    let pairs = query_pairs(incoming.request.query());
    let (single_query, multi_query) = query_maps(&pairs);
    let (body, is_base64) = body_field(incoming);
    let resource = incoming.resource_path();
    let epoch = clock::epoch_millis(incoming.time);
    let mut context = json!({
        "resourceId": incoming.route.resource_id,
        "resourcePath": resource,
        "httpMethod": incoming.request.method,
        "extendedRequestId": incoming.extended_request_id,
        "requestTime": clock::request_time(incoming.time),
        "path": incoming.full_path,
        "accountId": ACCOUNT_ID,
        "protocol": incoming.request.version,
        "stage": incoming.api.stage.name,
        "domainPrefix": incoming.domain_prefix(),
        "requestTimeEpoch": epoch,
        "requestId": incoming.request_id,
        "identity": identity(incoming),
        "domainName": incoming.domain_name(),
        "deploymentId": crate::plan::stable_id(&format!("{}:deployment", incoming.api.api_id))
            .chars()
            .take(6)
            .collect::<String>(),
        "apiId": incoming.api.api_id,
    });
    let mut event = Map::new();
    if incoming.api.kind == ApiKind::Http {
        event.insert("version".to_string(), json!("1.0"));
        if let Some(object) = context.as_object_mut() {
            object.insert("resourceId".to_string(), json!(incoming.route.route_key));
        }
    }
    let event_path = match incoming.api.kind {
        ApiKind::Http => incoming.full_path.to_string(),
        _ => incoming.event_path(),
    };
    event.insert("resource".to_string(), json!(resource));
    event.insert("path".to_string(), json!(event_path));
    event.insert("httpMethod".to_string(), json!(incoming.request.method));
    event.insert("headers".to_string(), Value::Object(single_headers));
    event.insert(
        "multiValueHeaders".to_string(),
        Value::Object(multi_headers),
    );
    event.insert("queryStringParameters".to_string(), single_query);
    event.insert("multiValueQueryStringParameters".to_string(), multi_query);
    event.insert("pathParameters".to_string(), path_parameters(incoming));
    event.insert("stageVariables".to_string(), incoming.stage_variables());
    event.insert("requestContext".to_string(), context);
    event.insert("body".to_string(), body);
    event.insert("isBase64Encoded".to_string(), json!(is_base64));
    Value::Object(event)
}

/// Payload format 2.0 (HTTP APIs).
pub fn payload_v2(incoming: &Incoming<'_>) -> Value {
    let headers = forwarded_headers(incoming);
    let mut header_map: IndexMap<String, String> = IndexMap::new();
    let mut cookies: Vec<Value> = Vec::new();
    for (name, value) in headers {
        if name == "cookie" {
            // Every Cookie header becomes entries of `cookies`, split on `;`.
            cookies.extend(
                value
                    .split(';')
                    .map(str::trim)
                    .filter(|cookie| !cookie.is_empty())
                    .map(|cookie| Value::String(cookie.to_string())),
            );
            continue;
        }
        header_map
            .entry(name)
            .and_modify(|existing| {
                existing.push(',');
                existing.push_str(&value);
            })
            .or_insert(value);
    }
    let pairs = query_pairs(incoming.request.query());
    let mut query: IndexMap<String, String> = IndexMap::new();
    for (name, value) in pairs {
        query
            .entry(name)
            .and_modify(|existing| {
                existing.push(',');
                existing.push_str(&value);
            })
            .or_insert(value);
    }
    let (body, is_base64) = body_field(incoming);
    let epoch = clock::epoch_millis(incoming.time);
    let mut event = Map::new();
    event.insert("version".to_string(), json!("2.0"));
    event.insert("routeKey".to_string(), json!(incoming.route.route_key));
    event.insert("rawPath".to_string(), json!(incoming.full_path));
    event.insert(
        "rawQueryString".to_string(),
        json!(incoming.request.query().unwrap_or("")),
    );
    if !cookies.is_empty() {
        event.insert("cookies".to_string(), Value::Array(cookies));
    }
    event.insert("headers".to_string(), json!(header_map));
    if !query.is_empty() {
        event.insert("queryStringParameters".to_string(), json!(query));
    }
    event.insert(
        "requestContext".to_string(),
        json!({
            "accountId": ACCOUNT_ID,
            "apiId": incoming.api.api_id,
            "domainName": incoming.domain_name(),
            "domainPrefix": incoming.domain_prefix(),
            "http": {
                "method": incoming.request.method,
                "path": incoming.full_path,
                "protocol": incoming.request.version,
                "sourceIp": incoming.source_ip(),
                "userAgent": incoming.user_agent().unwrap_or(""),
            },
            "requestId": incoming.extended_request_id,
            "routeKey": incoming.route.route_key,
            "stage": incoming.api.stage.name,
            "time": clock::request_time(incoming.time),
            "timeEpoch": epoch,
        }),
    );
    if !body.is_null() {
        event.insert("body".to_string(), body);
    }
    let parameters = path_parameters(incoming);
    if !parameters.is_null() {
        event.insert("pathParameters".to_string(), parameters);
    }
    event.insert("isBase64Encoded".to_string(), json!(is_base64));
    let variables = incoming.stage_variables();
    if !variables.is_null() {
        event.insert("stageVariables".to_string(), variables);
    }
    Value::Object(event)
}
