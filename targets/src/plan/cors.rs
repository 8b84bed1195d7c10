//! CORS end to end for a deployed REST API. Browsers send a preflight `OPTIONS` without
//! credentials, so a preflight behind an authorizer fails; and when API Gateway itself answers
//! with an error (401 from an authorizer, 429 from throttling, 5XX), the response carries no CORS
//! headers unless the gateway responses add them, so the browser reports a CORS failure instead
//! of the real error. [`prepare_cors`] returns the API as it should be deployed:
//!
//! - REST APIs with a CORS configuration get a mock `OPTIONS` preflight on every path that has
//!   none;
//! - every mock `OPTIONS` preflight is public (no authorizer, no API key);
//! - `DEFAULT_4XX` and `DEFAULT_5XX` gateway responses carry the preflight's
//!   `Access-Control-Allow-Origin` (and `-Headers`).
//!
//! HTTP APIs need none of this: API Gateway answers their preflights and adds the headers from
//! `x-amazon-apigateway-cors` itself.

use apigw_compiler::ir::{
    Api, ApiKind, GatewayResponse, HttpMethod, Integration, IntegrationResponse, IntegrationType,
    MethodResponse, ResponseHeader, Route, RouteKey, SecurityRequirement, Spanned,
};
use std::borrow::Cow;

use indexmap::IndexMap;

/// The API as deployed, and what was changed. The API is copied only when its routes change;
/// the gateway responses, which change far more often (every REST API with a CORS preflight),
/// are kept beside it, so that a large API whose routes stay as they are is not copied whole.
#[derive(Clone, Debug)]
pub struct CorsPlan<'a> {
    /// The API as deployed, except for its gateway responses: read those from
    /// `gateway_responses`.
    pub api: Cow<'a, Api>,
    /// The gateway responses as deployed.
    pub gateway_responses: Cow<'a, [GatewayResponse]>,
    pub notes: Vec<String>,
}

impl CorsPlan<'_> {
    /// The whole API as deployed, gateway responses included.
    pub fn into_api(self) -> Api {
        let mut api = self.api.into_owned();
        if let Cow::Owned(responses) = self.gateway_responses {
            api.gateway_responses = responses;
        }
        api
    }
}

/// The headers a preflight answers with, as mapping expressions (`'*'`).
struct CorsHeaders {
    origin: String,
    headers: Option<String>,
    methods: Option<String>,
}

/// Applies the changes described in the module docs, copying only what changes.
pub fn prepare_cors(source: &Api) -> CorsPlan<'_> {
    let mut notes = Vec::new();
    if source.kind != ApiKind::Rest {
        return CorsPlan {
            api: Cow::Borrowed(source),
            gateway_responses: Cow::Borrowed(&source.gateway_responses),
            notes,
        };
    }
    let api = if source.cors.is_some() || needs_opening(source) {
        Cow::Owned(prepare_routes(source.clone(), &mut notes))
    } else {
        Cow::Borrowed(source)
    };
    let gateway_responses = prepare_gateway_responses(&api, &mut notes);
    let gateway_responses = match gateway_responses {
        Some(responses) => Cow::Owned(responses),
        None => match api {
            Cow::Borrowed(api) => Cow::Borrowed(api.gateway_responses.as_slice()),
            Cow::Owned(ref api) => Cow::Owned(api.gateway_responses.clone()),
        },
    };
    CorsPlan {
        api,
        gateway_responses,
        notes,
    }
}

/// Whether a mock `OPTIONS` preflight is behind authorization (and has to be opened).
fn needs_opening(api: &Api) -> bool {
    api.routes
        .iter()
        .any(|route| is_preflight(route) && is_authorized(route, api.security.as_ref()))
}

fn is_authorized(route: &Route, default_security: Option<&Vec<SecurityRequirement>>) -> bool {
    let effective = route.security.as_ref().or(default_security);
    effective.is_some_and(|requirements| !requirements.is_empty()) || route.auth_type.is_some()
}

/// Adds the missing preflights (when the API has a CORS configuration) and opens every one.
fn prepare_routes(mut api: Api, notes: &mut Vec<String>) -> Api {
    if let Some(cors) = api.cors.clone() {
        let origin = match cors.allow_origins.as_slice() {
            [] => "*".to_owned(),
            [one] => one.clone(),
            many if many.iter().any(|origin| origin == "*") => "*".to_owned(),
            [first, ..] => {
                notes.push(format!(
                    "REST APIs answer a preflight with one fixed origin; `{first}` is used of the {} allowed",
                    cors.allow_origins.len()
                ));
                first.clone()
            }
        };
        let headers = CorsHeaders {
            origin: quoted(&origin),
            headers: (!cors.allow_headers.is_empty())
                .then(|| quoted(&cors.allow_headers.join(","))),
            methods: None,
        };
        let mut paths: Vec<String> = Vec::new();
        for route in &api.routes {
            if let Some(path) = route.path() {
                if !paths.iter().any(|known| known == path) {
                    paths.push(path.to_owned());
                }
            }
        }
        let mut added = 0;
        for path in paths {
            let has_options = api.routes.iter().any(|route| {
                route.path() == Some(&path) && route.method() == Some(HttpMethod::Options)
            });
            if has_options {
                continue;
            }
            let mut methods: Vec<&str> = api
                .routes
                .iter()
                .filter(|route| route.path() == Some(&path))
                .filter_map(Route::method)
                .map(|method| method.as_str())
                .collect();
            if methods.contains(&"ANY") {
                methods = vec!["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"];
            }
            methods.push("OPTIONS");
            let allow_methods = if cors.allow_methods.is_empty() {
                methods.join(",")
            } else {
                cors.allow_methods.join(",")
            };
            let route = preflight_route(
                &api,
                &path,
                &CorsHeaders {
                    origin: headers.origin.clone(),
                    headers: headers.headers.clone(),
                    methods: Some(quoted(&allow_methods)),
                },
                &cors,
            );
            api.routes.push(route);
            added += 1;
        }
        if added > 0 {
            notes.push(format!(
                "CORS: added a mock OPTIONS preflight to {added} paths"
            ));
        }
    }

    // Preflights are public.
    let default_security = api.security.clone();
    let mut opened = 0;
    for route in &mut api.routes {
        if !is_preflight(route) {
            continue;
        }
        if is_authorized(route, default_security.as_ref()) {
            route.security = Some(Vec::new());
            route.auth_type = None;
            opened += 1;
        }
    }
    if opened > 0 {
        notes.push(format!(
            "CORS: {opened} OPTIONS preflights are deployed without authorization (browsers send preflights without credentials)"
        ));
    }

    api
}

/// The gateway responses with the preflight's origin on API Gateway's own error responses, or
/// `None` when they already carry it.
fn prepare_gateway_responses(api: &Api, notes: &mut Vec<String>) -> Option<Vec<GatewayResponse>> {
    let headers = api.routes.iter().find_map(preflight_headers)?;
    let mut wanted = vec![("Access-Control-Allow-Origin", headers.origin.clone())];
    if let Some(allow) = &headers.headers {
        wanted.push(("Access-Control-Allow-Headers", allow.clone()));
    }
    // A handful of responses: changed on a copy, which is dropped when nothing changed.
    let mut gateway_responses = api.gateway_responses.clone();
    let mut changed = Vec::new();
    for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"] {
        let index = gateway_responses
            .iter()
            .position(|response| response.response_type == response_type);
        let response = match index.and_then(|index| gateway_responses.get_mut(index)) {
            Some(response) => response,
            None => {
                gateway_responses.push(GatewayResponse {
                    origin: api.origin.clone(),
                    response_type: response_type.to_owned(),
                    status_code: None,
                    response_parameters: IndexMap::new(),
                    response_templates: IndexMap::new(),
                });
                match gateway_responses.last_mut() {
                    Some(response) => response,
                    None => continue,
                }
            }
        };
        let mut touched = false;
        for (name, value) in &wanted {
            let key = format!("gatewayresponse.header.{name}");
            if !response.response_parameters.contains_key(&key) {
                response
                    .response_parameters
                    .insert(key, Spanned::new(value.clone(), api.origin.clone()));
                touched = true;
            }
        }
        if touched {
            changed.push(response_type);
        }
    }
    if changed.is_empty() {
        return None;
    }
    notes.push(format!(
        "CORS: {} gateway responses carry the CORS headers, so browsers see API Gateway's errors",
        changed.join(" and ")
    ));
    Some(gateway_responses)
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', ""))
}

/// A mock `OPTIONS` method: what a CORS preflight looks like in a REST API.
fn is_preflight(route: &Route) -> bool {
    route.method() == Some(HttpMethod::Options)
        && route
            .integration
            .as_ref()
            .is_some_and(|integration| integration.kind == Some(IntegrationType::Mock))
}

fn preflight_headers(route: &Route) -> Option<CorsHeaders> {
    if !is_preflight(route) {
        return None;
    }
    let integration = route.integration.as_ref()?;
    integration.responses.iter().find_map(|response| {
        let get = |name: &str| {
            response
                .response_parameters
                .get(&format!("method.response.header.{name}"))
                .map(|value| value.value.clone())
        };
        Some(CorsHeaders {
            origin: get("Access-Control-Allow-Origin")?,
            headers: get("Access-Control-Allow-Headers"),
            methods: get("Access-Control-Allow-Methods"),
        })
    })
}

fn preflight_route(
    api: &Api,
    path: &str,
    headers: &CorsHeaders,
    cors: &apigw_compiler::ir::Cors,
) -> Route {
    let origin = api.origin.clone();
    let mut route = Route::new(
        origin.clone(),
        RouteKey::Http {
            method: HttpMethod::Options,
            path: path.to_owned(),
        },
    );
    route.summary = Some("CORS preflight".to_owned());
    route.security = Some(Vec::new());
    for segment in path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            route.parameters.push(apigw_compiler::ir::Parameter {
                origin: origin.clone(),
                name: name.trim_end_matches('+').to_owned(),
                location: apigw_compiler::ir::ParameterLocation::Path,
                required: true,
                description: None,
                schema: Some(apigw_compiler::ir::Schema::Inline {
                    schema: serde_json::json!({"type": "string"}),
                }),
            });
        }
    }
    let mut header_values: Vec<(&str, String)> =
        vec![("Access-Control-Allow-Origin", headers.origin.clone())];
    if let Some(methods) = &headers.methods {
        header_values.push(("Access-Control-Allow-Methods", methods.clone()));
    }
    if let Some(allow) = &headers.headers {
        header_values.push(("Access-Control-Allow-Headers", allow.clone()));
    }
    if cors.allow_credentials == Some(true) {
        header_values.push(("Access-Control-Allow-Credentials", "'true'".to_owned()));
    }
    if let Some(max_age) = cors.max_age {
        header_values.push(("Access-Control-Max-Age", format!("'{max_age}'")));
    }
    route.responses.push(MethodResponse {
        origin: origin.clone(),
        status: "200".to_owned(),
        description: Some("CORS preflight".to_owned()),
        headers: header_values
            .iter()
            .map(|(name, _)| {
                (
                    (*name).to_owned(),
                    ResponseHeader {
                        required: false,
                        description: None,
                        schema: Some(apigw_compiler::ir::Schema::Inline {
                            schema: serde_json::json!({"type": "string"}),
                        }),
                    },
                )
            })
            .collect(),
        content: IndexMap::new(),
    });
    let mut integration = Integration::new(origin.clone(), Some(IntegrationType::Mock));
    integration.passthrough_behavior =
        Some(Spanned::new("when_no_match".to_owned(), origin.clone()));
    integration.request_templates.insert(
        "application/json".to_owned(),
        Spanned::new("{\"statusCode\": 200}".to_owned(), origin.clone()),
    );
    integration.responses.push(IntegrationResponse {
        origin: origin.clone(),
        selection_pattern: "default".to_owned(),
        status_code: Some(Spanned::new("200".to_owned(), origin.clone())),
        response_parameters: header_values
            .into_iter()
            .map(|(name, value)| {
                (
                    format!("method.response.header.{name}"),
                    Spanned::new(value, origin.clone()),
                )
            })
            .collect(),
        response_templates: IndexMap::new(),
        content_handling: None,
    });
    route.integration = Some(integration);
    route
}
