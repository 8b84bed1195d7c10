//! HTTP and HTTP_PROXY integrations: the backend URL is built from the integration URI (stage
//! variables, path parameters, the request path for HTTP APIs' `$default`), the query string
//! and headers are forwarded or mapped, and the backend's answer is passed back (proxy) or
//! shaped by an integration response (HTTP).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use indexmap::IndexMap;

use super::{mapping_source, mock, substitute_stage_variables, Integration, Services};
use crate::event::{forwarded_headers, Incoming};
use crate::gateway_response::GatewayError;
use crate::http1::Response;
use crate::log;
use crate::plan::{ApiKind, IntegrationResponsePlan, RouteMatch};

pub(crate) struct HttpIntegration {
    pub kind: ApiKind,
    pub proxy: bool,
    pub method: String,
    pub uri: String,
    pub timeout_ms: u64,
    pub request_parameters: IndexMap<String, String>,
    pub responses: Vec<IntegrationResponsePlan>,
}

/// Headers never copied between the client and the backend.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "content-length",
    "host",
];

impl HttpIntegration {
    /// The backend URL for this request.
    fn target_url(&self, incoming: &Incoming<'_>) -> String {
        let mut uri = substitute_stage_variables(&self.uri, incoming.api);
        // Path mappings first (`integration.request.path.x`), then the route's own parameters.
        let mut path_values: IndexMap<String, String> = incoming.path_parameters.clone();
        for (target, source) in &self.request_parameters {
            let name = target
                .strip_prefix("integration.request.path.")
                .or_else(|| target.strip_prefix("overwrite:path."));
            if let (Some(name), Some(value)) = (name, mapping_source(source, incoming)) {
                path_values.insert(name.to_string(), value);
            }
        }
        for (name, value) in &path_values {
            uri = uri
                .replace(&format!("{{{name}+}}"), value)
                .replace(&format!("{{{name}}}"), value);
        }
        // HTTP APIs: the `$default` route passes the whole request path on.
        if self.kind == ApiKind::Http && matches!(incoming.route.matcher, RouteMatch::Default) {
            let (base, query) = uri
                .split_once('?')
                .map_or((uri.as_str(), None), |(base, query)| (base, Some(query)));
            let mut joined = format!("{}{}", base.trim_end_matches('/'), incoming.stage_path);
            if let Some(query) = query {
                joined.push('?');
                joined.push_str(query);
            }
            uri = joined;
        }
        let mut query_parts: Vec<String> = Vec::new();
        if self.proxy {
            if let Some(query) = incoming.request.query().filter(|query| !query.is_empty()) {
                query_parts.push(query.to_string());
            }
        }
        for (target, source) in &self.request_parameters {
            let name = target
                .strip_prefix("integration.request.querystring.")
                .or_else(|| target.strip_prefix("append:querystring."))
                .or_else(|| target.strip_prefix("overwrite:querystring."));
            if let (Some(name), Some(value)) = (name, mapping_source(source, incoming)) {
                let encode = |text: &str| {
                    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
                        .to_string()
                };
                query_parts.push(format!("{}={}", encode(name), encode(&value)));
            }
        }
        if !query_parts.is_empty() {
            uri.push(if uri.contains('?') { '&' } else { '?' });
            uri.push_str(&query_parts.join("&"));
        }
        uri
    }

    fn request_headers(&self, incoming: &Incoming<'_>) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = if self.proxy {
            forwarded_headers(incoming)
                .into_iter()
                .filter(|(name, _)| !HOP_BY_HOP.contains(&name.to_ascii_lowercase().as_str()))
                .collect()
        } else {
            Vec::new()
        };
        for (target, source) in &self.request_parameters {
            let name = target
                .strip_prefix("integration.request.header.")
                .or_else(|| target.strip_prefix("append:header."))
                .or_else(|| target.strip_prefix("overwrite:header."));
            if let Some(name) = name {
                if let Some(value) = mapping_source(source, incoming) {
                    if !target.starts_with("append:") {
                        headers.retain(|(key, _)| !key.eq_ignore_ascii_case(name));
                    }
                    headers.push((name.to_string(), value));
                }
            } else if let Some(name) = target.strip_prefix("remove:header.") {
                headers.retain(|(key, _)| !key.eq_ignore_ascii_case(name));
            }
        }
        headers
    }
}

impl Integration for HttpIntegration {
    async fn call(
        &self,
        incoming: &Incoming<'_>,
        services: &Services,
    ) -> Result<Response, GatewayError> {
        let url = self.target_url(incoming);
        let method = if self.method == "ANY" {
            incoming.request.method.clone()
        } else {
            self.method.clone()
        };
        let mut builder = hyper::Request::builder().method(method.as_str()).uri(&url);
        for (name, value) in self.request_headers(incoming) {
            builder = builder.header(name, value);
        }
        // Without a mapping template engine the body is passed through for both kinds.
        let body = incoming.request.body.clone();
        let request = match builder.body(Full::new(Bytes::from(body))) {
            Ok(request) => request,
            Err(error) => {
                log::gateway(
                    &services.sink,
                    format!("{}: cannot call `{url}`: {error}", incoming.route.route_key),
                );
                return Err(GatewayError::ConfigurationError);
            }
        };
        let call = async {
            let response = services
                .client
                .request(request)
                .await
                .map_err(|error| error.to_string())?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|error| error.to_string())?
                .to_bytes();
            Ok::<_, String>((parts, body))
        };
        let (parts, body) =
            match tokio::time::timeout(Duration::from_millis(self.timeout_ms), call).await {
                Ok(Ok(answer)) => answer,
                Ok(Err(error)) => {
                    log::gateway(
                        &services.sink,
                        format!("{} → {url}: {error}", incoming.route.route_key),
                    );
                    return Err(GatewayError::IntegrationFailure);
                }
                Err(_) => {
                    log::gateway(
                        &services.sink,
                        format!(
                            "{} → {url}: no answer within the {} ms integration timeout",
                            incoming.route.route_key, self.timeout_ms
                        ),
                    );
                    return Err(GatewayError::IntegrationTimeout);
                }
            };
        let upstream_headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .filter(|(name, _)| !HOP_BY_HOP.contains(&name.as_str()))
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        if self.proxy {
            let mut response = Response::new(parts.status.as_u16());
            response.headers = upstream_headers;
            response.body = body.to_vec();
            return Ok(response);
        }
        let status = parts.status.as_u16().to_string();
        let selected = mock::select_response(&self.responses, &status);
        Ok(mock::apply_response(
            selected,
            incoming,
            &upstream_headers,
            body.to_vec(),
        ))
    }
}
