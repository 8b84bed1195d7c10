//! Integrations: what a route calls once it is selected and validated. Each kind implements
//! [`Integration`]; the gateway only sees a response or a [`GatewayError`]. Mapping templates
//! (VTL) for non-proxy integrations belong here when they come.

mod http;
mod lambda;
mod lambda_custom;
mod mock;

use std::future::Future;
use std::sync::Arc;

pub(crate) use http::HttpIntegration;
pub(crate) use lambda::LambdaProxy;
pub(crate) use lambda_custom::LambdaCustom;
pub(crate) use mock::Mock;

use crate::event::Incoming;
use crate::functions::{Functions, HttpClient};
use crate::gateway_response::GatewayError;
use crate::http1::Response;
use crate::log::Sink;
use crate::plan::{ApiPlan, IntegrationPlan};

/// What an integration needs besides the request.
pub(crate) struct Services {
    pub client: HttpClient,
    pub sink: Sink,
}

/// One kind of integration.
pub(crate) trait Integration: Send + Sync {
    fn call<'a>(
        &'a self,
        incoming: &'a Incoming<'a>,
        services: &'a Services,
    ) -> impl Future<Output = Result<Response, GatewayError>> + Send + 'a;
}

/// A route's integration, built once per route table.
pub(crate) enum RouteIntegration {
    Lambda(LambdaProxy),
    LambdaCustom(LambdaCustom),
    Http(HttpIntegration),
    Mock(Mock),
    Unsupported(String),
}

impl RouteIntegration {
    pub fn build(api: &ApiPlan, plan: &IntegrationPlan, functions: &Functions) -> Self {
        match plan {
            IntegrationPlan::AwsProxy {
                function,
                payload_version,
                timeout_ms,
                http_method,
            } => match functions.get(function) {
                Some(handle) => RouteIntegration::Lambda(LambdaProxy {
                    function: Arc::clone(handle),
                    payload_version: *payload_version,
                    timeout_ms: *timeout_ms,
                    http_method: http_method.clone(),
                }),
                None => RouteIntegration::Unsupported(format!(
                    "function `{function}` is not declared in the API"
                )),
            },
            IntegrationPlan::HttpProxy {
                method,
                uri,
                timeout_ms,
                request_parameters,
            } => RouteIntegration::Http(HttpIntegration {
                kind: api.kind,
                proxy: true,
                method: method.clone(),
                uri: uri.clone(),
                timeout_ms: *timeout_ms,
                request_parameters: request_parameters.clone(),
                responses: Vec::new(),
            }),
            IntegrationPlan::Http {
                method,
                uri,
                timeout_ms,
                request_parameters,
                responses,
            } => RouteIntegration::Http(HttpIntegration {
                kind: api.kind,
                proxy: false,
                method: method.clone(),
                uri: uri.clone(),
                timeout_ms: *timeout_ms,
                request_parameters: request_parameters.clone(),
                responses: responses.clone(),
            }),
            IntegrationPlan::Mock {
                request_templates,
                responses,
            } => RouteIntegration::Mock(Mock {
                request_templates: request_templates.clone(),
                responses: responses.clone(),
            }),
            IntegrationPlan::Aws {
                function,
                timeout_ms,
                request_templates,
                passthrough_behavior,
                responses,
            } => match functions.get(function) {
                Some(handle) => RouteIntegration::LambdaCustom(LambdaCustom {
                    function: Arc::clone(handle),
                    timeout_ms: *timeout_ms,
                    request_templates: request_templates.clone(),
                    passthrough_behavior: passthrough_behavior.clone(),
                    responses: responses.clone(),
                }),
                None => RouteIntegration::Unsupported(format!(
                    "function `{function}` is not declared in the API"
                )),
            },
            IntegrationPlan::Unsupported { reason } => {
                RouteIntegration::Unsupported(reason.clone())
            }
        }
    }

    pub async fn call(
        &self,
        incoming: &Incoming<'_>,
        services: &Services,
    ) -> Result<Response, GatewayError> {
        match self {
            RouteIntegration::Lambda(lambda) => lambda.call(incoming, services).await,
            RouteIntegration::LambdaCustom(lambda) => lambda.call(incoming, services).await,
            RouteIntegration::Http(http) => http.call(incoming, services).await,
            RouteIntegration::Mock(mock) => mock.call(incoming, services).await,
            RouteIntegration::Unsupported(reason) => {
                crate::log::gateway(
                    &services.sink,
                    format!("{}: {reason}", incoming.route.route_key),
                );
                Err(GatewayError::ConfigurationError)
            }
        }
    }
}

/// The value of a request-parameter mapping source: `method.request.header.x`,
/// `method.request.querystring.x`, `method.request.path.x`, `'static'`, `stageVariables.x`,
/// `context.requestId`, or HTTP APIs' `$request.header.x`, `$request.querystring.x`,
/// `$request.path.x`, `$stageVariables.x`, `$context.requestId`.
pub(crate) fn mapping_source(source: &str, incoming: &Incoming<'_>) -> Option<String> {
    let source = source.trim();
    if let Some(text) = source
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return Some(text.to_string());
    }
    let source = source.strip_prefix('$').unwrap_or(source);
    let source = source.strip_prefix("method.").unwrap_or(source);
    if let Some(name) = source.strip_prefix("request.header.") {
        return incoming.request.header(name).map(str::to_string);
    }
    if let Some(name) = source.strip_prefix("request.querystring.") {
        return crate::event::query_pairs(incoming.request.query())
            .into_iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value);
    }
    if let Some(name) = source.strip_prefix("request.path.") {
        return incoming.path_parameters.get(name).cloned();
    }
    if let Some(name) = source.strip_prefix("stageVariables.") {
        return incoming.api.stage.variables.get(name).cloned();
    }
    match source {
        "context.requestId" => Some(incoming.request_id.to_string()),
        "context.extendedRequestId" => Some(incoming.extended_request_id.to_string()),
        "context.stage" => Some(incoming.api.stage.name.clone()),
        "context.httpMethod" => Some(incoming.request.method.clone()),
        "context.identity.sourceIp" => Some(incoming.source_ip()),
        "context.path" => Some(incoming.full_path.to_string()),
        "context.resourcePath" => Some(incoming.resource_path()),
        "request.body" => Some(String::from_utf8_lossy(&incoming.request.body).into_owned()),
        _ => None,
    }
}

/// Replaces `${stageVariables.name}` (and `$stageVariables.name`) in `text`.
pub(crate) fn substitute_stage_variables(text: &str, api: &ApiPlan) -> String {
    let mut out = text.to_string();
    for (name, value) in &api.stage.variables {
        out = out
            .replace(&format!("${{stageVariables.{name}}}"), value)
            .replace(&format!("$stageVariables.{name}"), value);
    }
    out
}
