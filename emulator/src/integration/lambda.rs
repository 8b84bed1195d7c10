//! Lambda proxy integration: the request becomes a payload 1.0 or 2.0 event, the function's
//! result becomes the response, read the way API Gateway reads it.

use std::sync::Arc;
use std::time::Duration;

use super::{Integration, Services};
use crate::event::{self, Incoming};
use crate::functions::{Function, Invocation, Outcome};
use crate::gateway_response::GatewayError;
use crate::http1::Response;
use crate::log;
use crate::plan::{ApiKind, PayloadVersion};

pub(crate) struct LambdaProxy {
    pub function: Arc<Function>,
    pub payload_version: PayloadVersion,
    pub timeout_ms: u64,
    pub http_method: String,
}

impl LambdaProxy {
    fn fail(&self, services: &Services, incoming: &Incoming<'_>, why: &str) -> GatewayError {
        log::gateway(
            &services.sink,
            format!(
                "{} → function `{}`: {why}",
                incoming.route.route_key, self.function.plan.name
            ),
        );
        GatewayError::IntegrationFailure
    }

    /// REST APIs return a base64 body as bytes only when a binary media type matches the
    /// request's Accept header or the response's Content-Type; HTTP APIs always do.
    fn decodes_base64(&self, incoming: &Incoming<'_>, content_type: Option<&str>) -> bool {
        if incoming.api.kind == ApiKind::Http {
            return true;
        }
        let types = &incoming.api.binary_media_types;
        let accept = incoming
            .request
            .header("accept")
            .and_then(|accept| accept.split(',').next());
        event::is_binary_media_type(accept, types)
            || event::is_binary_media_type(content_type, types)
    }
}

impl Integration for LambdaProxy {
    async fn call(
        &self,
        incoming: &Incoming<'_>,
        services: &Services,
    ) -> Result<Response, GatewayError> {
        // Lambda's Invoke API accepts only POST; API Gateway fails the call otherwise
        // (recorded: 500 Internal server error).
        if self.http_method != "POST" && incoming.api.kind == ApiKind::Rest {
            log::gateway(
                &services.sink,
                format!(
                    "{}: Lambda integrations must use httpMethod POST, not {}",
                    incoming.route.route_key, self.http_method
                ),
            );
            return Err(GatewayError::ConfigurationError);
        }
        let event = match self.payload_version {
            PayloadVersion::V1 => event::payload_v1(incoming),
            PayloadVersion::V2 => event::payload_v2(incoming),
        };
        let payload = event.to_string().into_bytes();
        if payload.len() > crate::functions::MAX_PAYLOAD_BYTES {
            return Err(self.fail(
                services,
                incoming,
                &format!(
                    "the event is {} bytes, over Lambda's 6 MB invocation payload quota",
                    payload.len()
                ),
            ));
        }
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
                log::gateway(
                    &services.sink,
                    format!(
                        "{} → function `{}`: no answer within the {} ms integration timeout",
                        incoming.route.route_key, self.function.plan.name, self.timeout_ms
                    ),
                );
                return Err(GatewayError::IntegrationTimeout);
            }
        };
        let payload = match outcome {
            Outcome::Success(payload) => payload,
            Outcome::FunctionError(document) => {
                return Err(self.fail(
                    services,
                    incoming,
                    &format!("function error {}", String::from_utf8_lossy(&document)),
                ))
            }
            Outcome::NotInvoked(reason) => return Err(self.fail(services, incoming, &reason)),
        };
        let parsed = match self.payload_version {
            PayloadVersion::V1 => crate::proxy_response::read_v1(&payload),
            PayloadVersion::V2 => crate::proxy_response::read_v2(&payload),
        };
        let mut proxy = match parsed {
            Ok(proxy) => proxy,
            Err(malformed) => {
                return Err(self.fail(
                    services,
                    incoming,
                    &format!("malformed Lambda proxy response ({})", malformed.0),
                ))
            }
        };
        let content_type = proxy
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.clone());
        if proxy.is_base64_encoded && self.decodes_base64(incoming, content_type.as_deref()) {
            if let Err(malformed) = proxy.decode_body() {
                return Err(self.fail(services, incoming, &malformed.0));
            }
        }
        let mut response = Response::new(proxy.status);
        response.headers = proxy.headers;
        response.body = proxy.body;
        // REST APIs default to application/json unless the function set Content-Type to null.
        if content_type.is_none() && !proxy.content_type_null {
            let default_type = match (incoming.api.kind, self.payload_version) {
                (ApiKind::Http, PayloadVersion::V2) => "text/plain; charset=utf-8",
                _ => "application/json",
            };
            response
                .headers
                .push(("Content-Type".to_string(), default_type.to_string()));
        }
        Ok(response)
    }
}
