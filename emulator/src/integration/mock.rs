//! MOCK integrations (REST APIs): the request template's `statusCode` selects an integration
//! response, whose status, headers and template make the answer. Templates are used as written
//! apart from `$context`/`$stageVariables` values; VTL is not evaluated.

use indexmap::IndexMap;

use super::{Integration, Services};
use crate::event::Incoming;
use crate::gateway_response::GatewayError;
use crate::http1::Response;
use crate::plan::IntegrationResponsePlan;

pub(crate) struct Mock {
    pub request_templates: IndexMap<String, String>,
    pub responses: Vec<IntegrationResponsePlan>,
}

/// The integration response whose selection pattern matches `status` (a Java regex matched
/// against the whole status), else the default one (empty pattern or `default`).
pub(crate) fn select_response<'a>(
    responses: &'a [IntegrationResponsePlan],
    status: &str,
) -> Option<&'a IntegrationResponsePlan> {
    responses
        .iter()
        .filter(|response| !is_default(&response.selection_pattern))
        .find(|response| {
            regex::Regex::new(&format!("^(?:{})$", response.selection_pattern))
                .is_ok_and(|pattern| pattern.is_match(status))
        })
        .or_else(|| {
            responses
                .iter()
                .find(|response| is_default(&response.selection_pattern))
        })
}

fn is_default(pattern: &str) -> bool {
    pattern.is_empty() || pattern == "default"
}

/// Renders the few template variables that need no VTL engine.
pub(crate) fn render_simple(template: &str, incoming: &Incoming<'_>) -> String {
    let mut out = template
        .replace("$context.requestId", incoming.request_id)
        .replace("$context.stage", &incoming.api.stage.name)
        .replace("$context.httpMethod", &incoming.request.method)
        .replace("$context.resourcePath", &incoming.resource_path());
    for (name, value) in &incoming.api.stage.variables {
        out = out.replace(&format!("$stageVariables.{name}"), value);
    }
    out
}

/// Applies an integration response: its status, header mappings and body template.
pub(crate) fn apply_response(
    selected: Option<&IntegrationResponsePlan>,
    incoming: &Incoming<'_>,
    upstream_headers: &[(String, String)],
    upstream_body: Vec<u8>,
) -> Response {
    let Some(selected) = selected else {
        // Without a matching integration response API Gateway passes the body with a 200.
        return Response::new(200)
            .with_header("Content-Type", "application/json")
            .with_body(upstream_body);
    };
    let status = selected.status_code.parse().unwrap_or(200);
    let mut response = Response::new(status);
    let content_type = "application/json";
    response.body = match selected
        .templates
        .get(content_type)
        .or_else(|| selected.templates.values().next())
    {
        Some(template) => render_simple(template, incoming).into_bytes(),
        None => upstream_body,
    };
    response
        .headers
        .push(("Content-Type".to_string(), content_type.to_string()));
    for (name, source) in &selected.headers {
        let value = if let Some(header) = source.strip_prefix("integration.response.header.") {
            upstream_headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(header))
                .map(|(_, value)| value.clone())
        } else {
            super::mapping_source(source, incoming)
        };
        if let Some(value) = value {
            response.remove_header(name);
            response.headers.push((name.clone(), value));
        }
    }
    response
}

impl Integration for Mock {
    async fn call(
        &self,
        incoming: &Incoming<'_>,
        _services: &Services,
    ) -> Result<Response, GatewayError> {
        let content_type = incoming.request.header("content-type").map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        let template = content_type
            .as_deref()
            .and_then(|content_type| self.request_templates.get(content_type))
            .or_else(|| self.request_templates.get("application/json"))
            .or_else(|| self.request_templates.values().next());
        let status = template
            .map(|template| render_simple(template, incoming))
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|value| value.get("statusCode").cloned())
            .map_or_else(
                || "200".to_string(),
                |status| match status {
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                },
            );
        let selected = select_response(&self.responses, &status);
        Ok(apply_response(selected, incoming, &[], Vec::new()))
    }
}
