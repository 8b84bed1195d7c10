//! Lambda without proxy (`AWS` integrations): the request body passes through to the function
//! as its event, and its result (or error) is shaped by the integration response selected by
//! status (success) or by the error message matching a selection pattern (error).
//!
//! Only passthrough is served: a request template that needs VTL answers as a configuration
//! error until the template engine lands; `$input.json('$')` and `$input.body` templates are
//! passthrough already.

use std::sync::Arc;
use std::time::Duration;

use indexmap::IndexMap;

use super::{mock, Integration, Services};
use crate::event::Incoming;
use crate::functions::{Function, Invocation, Outcome};
use crate::gateway_response::GatewayError;
use crate::http1::Response;
use crate::log;
use crate::plan::IntegrationResponsePlan;

pub(crate) struct LambdaCustom {
    pub function: Arc<Function>,
    pub timeout_ms: u64,
    pub request_templates: IndexMap<String, String>,
    pub passthrough_behavior: String,
    pub responses: Vec<IntegrationResponsePlan>,
}

/// Templates that send the body unchanged.
fn is_passthrough_template(template: &str) -> bool {
    let compact: String = template.chars().filter(|ch| !ch.is_whitespace()).collect();
    matches!(
        compact.as_str(),
        "" | "$input.json('$')" | "$input.json(\"$\")" | "$input.body"
    )
}

impl LambdaCustom {
    fn fail(&self, services: &Services, incoming: &Incoming<'_>, why: &str) {
        log::gateway(
            &services.sink,
            format!(
                "{} → function `{}`: {why}",
                incoming.route.route_key, self.function.plan.name
            ),
        );
    }

    /// The event sent to the function, per the request templates and passthrough behaviour.
    fn event(&self, incoming: &Incoming<'_>, services: &Services) -> Result<Vec<u8>, GatewayError> {
        let content_type = incoming
            .request
            .header("content-type")
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_else(|| "application/json".to_string());
        let template = self.request_templates.get(&content_type);
        let passthrough = match template {
            Some(template) if is_passthrough_template(template) => true,
            Some(_) => {
                self.fail(
                    services,
                    incoming,
                    "request mapping templates (VTL) are not evaluated yet",
                );
                return Err(GatewayError::ConfigurationError);
            }
            None => match self.passthrough_behavior.as_str() {
                "NEVER" => false,
                "WHEN_NO_TEMPLATES" => self.request_templates.is_empty(),
                _ => true,
            },
        };
        if !passthrough {
            return Err(GatewayError::UnsupportedMediaType);
        }
        let body = &incoming.request.body;
        Ok(if body.is_empty() {
            b"{}".to_vec()
        } else {
            body.clone()
        })
    }
}

impl Integration for LambdaCustom {
    async fn call(
        &self,
        incoming: &Incoming<'_>,
        services: &Services,
    ) -> Result<Response, GatewayError> {
        if self.responses.is_empty() {
            self.fail(
                services,
                incoming,
                "no integration response is configured (API Gateway: no default output mapping)",
            );
            return Err(GatewayError::ConfigurationError);
        }
        let payload = self.event(incoming, services)?;
        let invocation = Invocation {
            payload,
            request_id: crate::clock::uuid(),
            trace_id: format!(
                "{};Parent={:016x};Sampled=0",
                incoming.trace_id,
                fastrand::u64(..)
            ),
        };
        let call = self.function.invoke(invocation);
        let outcome = match tokio::time::timeout(Duration::from_millis(self.timeout_ms), call).await
        {
            Ok(outcome) => outcome,
            Err(_) => {
                self.fail(
                    services,
                    incoming,
                    "no answer within the integration timeout",
                );
                return Err(GatewayError::IntegrationTimeout);
            }
        };
        let (selected, body) = match outcome {
            Outcome::Success(payload) => {
                let default = self.responses.iter().find(|response| {
                    response.selection_pattern.is_empty() || response.selection_pattern == "default"
                });
                (default, payload)
            }
            // A function error selects the response whose pattern matches its errorMessage.
            Outcome::FunctionError(document) => {
                let message = serde_json::from_slice::<serde_json::Value>(&document)
                    .ok()
                    .and_then(|value| {
                        value
                            .get("errorMessage")
                            .and_then(|m| m.as_str())
                            .map(str::to_string)
                    })
                    .unwrap_or_default();
                (mock::select_response(&self.responses, &message), document)
            }
            Outcome::NotInvoked(reason) => {
                self.fail(services, incoming, &reason);
                return Err(GatewayError::IntegrationFailure);
            }
        };
        let passthrough_response = selected
            .and_then(|response| {
                response
                    .templates
                    .get("application/json")
                    .or_else(|| response.templates.values().next())
            })
            .is_none_or(|template| is_passthrough_template(template));
        if !passthrough_response {
            self.fail(
                services,
                incoming,
                "response mapping templates (VTL) are not evaluated yet; passing the result through",
            );
        }
        // Status and headers come from the integration response; the body is the result.
        let mut response = mock::apply_response(selected, incoming, &[], Vec::new());
        response.body = body;
        Ok(response)
    }
}
