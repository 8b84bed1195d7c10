//! One API's request pipeline: stage → CORS preflight (HTTP APIs) → route → (authorizers,
//! later) → API key → throttling → request validation → integration → response headers and
//! CORS → gateway responses → access log. Each step either passes the request on or ends it
//! with a [`GatewayError`].

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use indexmap::IndexMap;

use crate::clock;
use crate::event::Incoming;
use crate::functions::Functions;
use crate::gateway_response::{self, GatewayError, TemplateContext};
use crate::http1::{Request, Response};
use crate::integration::{RouteIntegration, Services};
use crate::log::{Line, Source};
use crate::plan::ApiKind;
use crate::plan::{ApiPlan, RouteMatch, ThrottlePlan};
use crate::router::Router;
use crate::throttle::Buckets;
use crate::validate;

/// One API ready to serve: its plan, router and built integrations.
pub(crate) struct ApiRuntime {
    pub plan: ApiPlan,
    router: Router,
    integrations: Vec<RouteIntegration>,
    buckets: Buckets,
}

/// Per-request identifiers.
struct Ids {
    request_id: String,
    extended_request_id: String,
    trace_id: String,
}

/// What the access log needs after the response is made.
struct Outcome<'a> {
    route_key: Option<&'a str>,
    resource_path: Option<String>,
    error: Option<GatewayError>,
    integration_latency: Option<u128>,
}

impl ApiRuntime {
    pub fn new(plan: ApiPlan, functions: &Functions) -> Self {
        let router = Router::new(&plan);
        let integrations = plan
            .routes
            .iter()
            .map(|route| RouteIntegration::build(&plan, &route.integration, functions))
            .collect();
        ApiRuntime {
            plan,
            router,
            integrations,
            buckets: Buckets::default(),
        }
    }

    /// Splits the raw path into (stage path, full path), or `None` when the stage does not match.
    fn strip_stage<'p>(&self, path: &'p str) -> Option<(&'p str, String)> {
        let stage = &self.plan.stage.name;
        if stage == "$default" {
            return Some((path, path.to_string()));
        }
        // Recorded: `//stage/x` reaches the stage `stage`; slashes after it are kept.
        let trimmed = path.trim_start_matches('/');
        let rest = trimmed.strip_prefix(stage.as_str())?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        Some((rest, format!("/{stage}{rest}")))
    }

    pub async fn serve(&self, request: Request, services: &Services) -> Response {
        let started = Instant::now();
        let time = SystemTime::now();
        let extended_request_id = clock::extended_request_id();
        let ids = Ids {
            request_id: match self.plan.kind {
                // HTTP APIs use the short id for both.
                ApiKind::Http => extended_request_id.clone(),
                _ => clock::uuid(),
            },
            extended_request_id,
            trace_id: request
                .header("x-amzn-trace-id")
                .filter(|value| value.starts_with("Root="))
                .map_or_else(|| clock::trace_id(time), str::to_string),
        };
        let mut outcome = Outcome {
            route_key: None,
            resource_path: None,
            error: None,
            integration_latency: None,
        };
        let mut response = self
            .pipeline(&request, services, &ids, time, &mut outcome)
            .await
            .unwrap_or_else(|error| {
                let response = self.error_response(&error, &ids);
                outcome.error = Some(error);
                response
            });
        self.add_gateway_headers(&mut response, &ids, time);
        if self.plan.kind == ApiKind::Http {
            self.add_cors_headers(&request, &mut response);
        }
        self.access_log(&request, &response, &ids, time, started, &outcome, services);
        response
    }

    fn error_response(&self, error: &GatewayError, ids: &Ids) -> Response {
        let validation_errors = match error {
            GatewayError::BadRequestBody(errors) => errors.as_str(),
            _ => "",
        };
        gateway_response::respond(
            &self.plan,
            error,
            &TemplateContext {
                request_id: &ids.request_id,
                validation_errors,
                stage_variables: &self.plan.stage.variables,
            },
        )
    }

    /// The answer for a body over the 10 MB payload quota.
    pub fn too_large(&self) -> Response {
        let ids = Ids {
            request_id: clock::uuid(),
            extended_request_id: clock::extended_request_id(),
            trace_id: clock::trace_id(SystemTime::now()),
        };
        let mut response = self.error_response(&GatewayError::RequestTooLarge, &ids);
        self.add_gateway_headers(&mut response, &ids, SystemTime::now());
        response
    }

    async fn pipeline<'a>(
        &'a self,
        request: &Request,
        services: &Services,
        ids: &Ids,
        time: SystemTime,
        outcome: &mut Outcome<'a>,
    ) -> Result<Response, GatewayError> {
        let raw_path = request.path().to_string();
        let (stage_path, full_path) = self.strip_stage(&raw_path).ok_or(GatewayError::NoRoute)?;

        if self.plan.kind == ApiKind::Http {
            if let Some(preflight) = self.preflight(request) {
                return Ok(preflight);
            }
        }

        let matched = self
            .router
            .select(&request.method, stage_path)
            .ok_or(GatewayError::NoRoute)?;
        let route = self
            .plan
            .routes
            .get(matched.route)
            .ok_or(GatewayError::NoRoute)?;
        let integration = self
            .integrations
            .get(matched.route)
            .ok_or(GatewayError::NoRoute)?;
        outcome.route_key = Some(&route.route_key);
        let resource_path = match &route.matcher {
            RouteMatch::Path { path, .. } => path.clone(),
            RouteMatch::Default => "$default".to_string(),
        };
        outcome.resource_path = Some(resource_path.clone());

        // API keys (REST): `x-api-key` must be an enabled key of a usage plan on this stage.
        let mut api_key = None;
        if route.api_key_required && self.plan.kind == ApiKind::Rest {
            let sent = request.header("x-api-key").unwrap_or("");
            let entry = self
                .plan
                .api_keys
                .keys
                .iter()
                .find(|entry| entry.enabled && entry.value == sent && !sent.is_empty())
                .ok_or(GatewayError::InvalidApiKey)?;
            if let Some(limits) = entry.throttling {
                if !self.buckets.take(&format!("key:{}", entry.name), limits) {
                    return Err(GatewayError::Throttled);
                }
            }
            if let Some(quota) = &entry.quota {
                if !self.buckets.count(&format!("quota:{}", entry.name), quota) {
                    return Err(GatewayError::QuotaExceeded);
                }
            }
            api_key = Some(entry.value.as_str());
        }

        if let Some((key, limits)) = self.route_throttle(&request.method, &resource_path) {
            if !self.buckets.take(&key, limits) {
                return Err(GatewayError::Throttled);
            }
        }

        let incoming = Incoming {
            request,
            api: &self.plan,
            route,
            path_parameters: &matched.path_parameters,
            stage_path,
            full_path: &full_path,
            request_id: &ids.request_id,
            extended_request_id: &ids.extended_request_id,
            trace_id: &ids.trace_id,
            time,
            api_key,
        };
        validate::check(&route.validation, &incoming)?;

        let integration_started = Instant::now();
        let result = integration.call(&incoming, services).await;
        outcome.integration_latency = Some(integration_started.elapsed().as_millis());
        result.map(|response| map_response(route, &incoming, response))
    }

    /// The bucket for a request: a method setting for the route, else the stage's default.
    fn route_throttle(&self, method: &str, resource_path: &str) -> Option<(String, ThrottlePlan)> {
        let stage = &self.plan.stage;
        let setting = stage
            .method_throttling
            .iter()
            .find(|(path, setting_method, _)| {
                path == resource_path && setting_method.eq_ignore_ascii_case(method)
            })
            .or_else(|| {
                stage
                    .method_throttling
                    .iter()
                    .find(|(path, setting_method, _)| {
                        path == "*" || (path == resource_path && setting_method == "*")
                    })
            });
        match setting {
            Some((path, setting_method, limits)) => {
                Some((format!("route:{setting_method} {path}"), *limits))
            }
            None => stage.throttling.map(|limits| ("stage".to_string(), limits)),
        }
    }

    fn add_gateway_headers(&self, response: &mut Response, ids: &Ids, time: SystemTime) {
        if !response.has_header("date") {
            response
                .headers
                .push(("Date".to_string(), clock::http_date(time)));
        }
        match self.plan.kind {
            ApiKind::Http => {
                response
                    .headers
                    .push(("apigw-requestid".to_string(), ids.request_id.clone()));
            }
            _ => {
                response
                    .headers
                    .push(("x-amzn-RequestId".to_string(), ids.request_id.clone()));
                response.headers.push((
                    "x-amz-apigw-id".to_string(),
                    ids.extended_request_id.clone(),
                ));
                if !response.has_header("x-amzn-trace-id") {
                    response
                        .headers
                        .push(("X-Amzn-Trace-Id".to_string(), ids.trace_id.clone()));
                }
            }
        }
    }

    /// The origin the CORS configuration allows for this request, if any.
    fn allowed_origin(&self, request: &Request) -> Option<String> {
        let cors = self.plan.cors.as_ref()?;
        let origin = request.header("origin")?;
        let allowed = cors
            .allow_origins
            .iter()
            .any(|allowed| allowed == "*" || allowed.eq_ignore_ascii_case(origin));
        if !allowed {
            return None;
        }
        let wildcard = cors.allow_origins.iter().any(|allowed| allowed == "*");
        Some(if wildcard && !cors.allow_credentials {
            "*".to_string()
        } else {
            origin.to_string()
        })
    }

    /// HTTP APIs answer CORS preflight requests themselves when CORS is configured.
    fn preflight(&self, request: &Request) -> Option<Response> {
        let cors = self.plan.cors.as_ref()?;
        if request.method != "OPTIONS"
            || request.header("origin").is_none()
            || request.header("access-control-request-method").is_none()
        {
            return None;
        }
        let mut response = Response::new(204);
        let Some(origin) = self.allowed_origin(request) else {
            return Some(response);
        };
        let requested_method = request
            .header("access-control-request-method")
            .unwrap_or("")
            .to_ascii_uppercase();
        let method_allowed = cors
            .allow_methods
            .iter()
            .any(|method| method == "*" || method.eq_ignore_ascii_case(&requested_method));
        if !method_allowed {
            return Some(response);
        }
        response
            .headers
            .push(("access-control-allow-origin".to_string(), origin));
        response.headers.push((
            "access-control-allow-methods".to_string(),
            cors.allow_methods.join(","),
        ));
        if !cors.allow_headers.is_empty() {
            let allow_headers = if cors.allow_headers.iter().any(|header| header == "*") {
                request
                    .header("access-control-request-headers")
                    .unwrap_or("*")
                    .to_string()
            } else {
                cors.allow_headers.join(",")
            };
            response
                .headers
                .push(("access-control-allow-headers".to_string(), allow_headers));
        }
        if cors.allow_credentials {
            response.headers.push((
                "access-control-allow-credentials".to_string(),
                "true".to_string(),
            ));
        }
        if let Some(max_age) = cors.max_age {
            response
                .headers
                .push(("access-control-max-age".to_string(), max_age.to_string()));
        }
        Some(response)
    }

    fn add_cors_headers(&self, request: &Request, response: &mut Response) {
        if response.has_header("access-control-allow-origin") {
            return;
        }
        let Some(cors) = self.plan.cors.as_ref() else {
            return;
        };
        let Some(origin) = self.allowed_origin(request) else {
            return;
        };
        response
            .headers
            .push(("access-control-allow-origin".to_string(), origin));
        if cors.allow_credentials {
            response.headers.push((
                "access-control-allow-credentials".to_string(),
                "true".to_string(),
            ));
        }
        if !cors.expose_headers.is_empty() {
            response.headers.push((
                "access-control-expose-headers".to_string(),
                cors.expose_headers.join(","),
            ));
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; the values are per request"
    )]
    fn access_log(
        &self,
        request: &Request,
        response: &Response,
        ids: &Ids,
        time: SystemTime,
        started: Instant,
        outcome: &Outcome<'_>,
        services: &Services,
    ) {
        let latency = started.elapsed().as_millis();
        let mut values: IndexMap<&str, String> = IndexMap::new();
        values.insert("requestId", ids.request_id.clone());
        values.insert("extendedRequestId", ids.extended_request_id.clone());
        values.insert("identity.sourceIp", request.peer.ip().to_string());
        values.insert(
            "identity.userAgent",
            request.header("user-agent").unwrap_or("-").to_string(),
        );
        values.insert("requestTime", clock::request_time(time));
        values.insert("requestTimeEpoch", clock::epoch_millis(time).to_string());
        values.insert("httpMethod", request.method.clone());
        values.insert("routeKey", outcome.route_key.unwrap_or("-").to_string());
        values.insert(
            "resourcePath",
            outcome
                .resource_path
                .clone()
                .unwrap_or_else(|| "-".to_string()),
        );
        values.insert("path", request.path().to_string());
        values.insert("status", response.status.to_string());
        values.insert("protocol", request.version.to_string());
        values.insert("responseLength", response.body.len().to_string());
        values.insert("responseLatency", latency.to_string());
        values.insert(
            "integrationLatency",
            outcome
                .integration_latency
                .map_or_else(|| "-".to_string(), |latency| latency.to_string()),
        );
        values.insert("stage", self.plan.stage.name.clone());
        values.insert("apiId", self.plan.api_id.clone());
        values.insert(
            "domainName",
            request.header("host").unwrap_or("-").to_string(),
        );
        let error_message = match &outcome.error {
            Some(_) => String::from_utf8_lossy(&response.body).into_owned(),
            None => "-".to_string(),
        };
        values.insert("error.message", error_message);
        values.insert(
            "error.responseType",
            outcome.error.as_ref().map_or_else(
                || "-".to_string(),
                |error| error.response_type().to_string(),
            ),
        );
        let text = match &self.plan.stage.access_log_format {
            Some(format) => render_access_log(format, &values),
            None => format!(
                "{} {} {} {} {}ms",
                request.method,
                request.target,
                response.status,
                outcome.route_key.unwrap_or("(no route)"),
                latency
            ),
        };
        (services.sink)(Line {
            source: Source::Access(self.plan.name.clone()),
            text,
        });
    }
}

/// HTTP APIs: applies the integration's response parameter mappings for the status returned.
fn map_response(
    route: &crate::plan::RoutePlan,
    incoming: &Incoming<'_>,
    mut response: Response,
) -> Response {
    let Some(mappings) = route.response_parameters.get(&response.status.to_string()) else {
        return response;
    };
    let original = response.headers.clone();
    for (target, source) in mappings {
        let value = if let Some(name) = source.strip_prefix("$response.header.") {
            original
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        } else {
            crate::integration::mapping_source(source, incoming).unwrap_or_else(|| source.clone())
        };
        let lowered = target.to_ascii_lowercase();
        if lowered == "overwrite:statuscode" {
            if let Ok(status) = value.trim().parse::<u16>() {
                response.status = status;
            }
        } else if let Some(name) = target.strip_prefix("append:header.") {
            response.headers.push((name.to_string(), value));
        } else if let Some(name) = target.strip_prefix("overwrite:header.") {
            response.remove_header(name);
            response.headers.push((name.to_string(), value));
        } else if let Some(name) = target.strip_prefix("remove:header.") {
            response.remove_header(name);
        }
    }
    response
}

/// Replaces every `$context.name` in an access-log format; unknown names become `-`.
fn render_access_log(format: &str, values: &IndexMap<&str, String>) -> String {
    let mut out = String::with_capacity(format.len() + 64);
    let mut rest = format;
    while let Some(start) = rest.find("$context.") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + "$context.".len()..).unwrap_or("");
        let name_length = after
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
            .unwrap_or(after.len());
        let name = after.get(..name_length).unwrap_or("").trim_end_matches('.');
        out.push_str(values.get(name).map_or("-", String::as_str));
        rest = after.get(name.len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Keeps every API and the functions of one configuration, swapped whole on reload.
pub(crate) struct Table {
    pub apis: Vec<Arc<ApiRuntime>>,
    pub functions: Functions,
}

impl Table {
    pub fn api(&self, name: &str) -> Option<&Arc<ApiRuntime>> {
        self.apis.iter().find(|api| api.plan.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_an_access_log_format() {
        let mut values = IndexMap::new();
        values.insert("requestId", "abc".to_string());
        values.insert("status", "200".to_string());
        assert_eq!(
            render_access_log(
                r#"{"id":"$context.requestId","status":"$context.status","x":"$context.unknown"}"#,
                &values
            ),
            r#"{"id":"abc","status":"200","x":"-"}"#
        );
    }
}
