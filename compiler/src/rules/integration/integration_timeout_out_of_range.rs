use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// `timeoutInMillis` is outside what API Gateway allows for the kind of API.
    /// ## Why
    /// An integration timeout is 50 ms at least. At most it is 30,000 ms for HTTP APIs and
    /// 29,000 ms for WebSocket APIs, neither raisable, and 29,000 ms for edge-optimized REST
    /// APIs (regional and private REST APIs may go higher after a quota raise: APIGW110).
    /// API Gateway refuses any other value (API Gateway quotas, "Integration timeout").
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://pets.example.com/pets
    ///   timeoutInMillis: 10
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://pets.example.com/pets
    ///   timeoutInMillis: 10000
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    pub IntegrationTimeoutOutOfRange { code: "APIGW109", name: "integration-timeout-out-of-range", severity: Error }
}

/// Whether the REST API is visibly edge-optimized (its endpoint configuration says `EDGE`).
pub(super) fn surely_edge(api: &Api) -> bool {
    api.endpoint.as_ref().is_some_and(|endpoint| {
        !endpoint.types.is_empty()
            && endpoint
                .types
                .iter()
                .all(|kind| kind.eq_ignore_ascii_case("EDGE"))
    })
}

impl Rule for IntegrationTimeoutOutOfRange {
    fn check(&self, api: &Api, out: &mut Report) {
        for integration in api.integrations() {
            let Some(timeout) = &integration.timeout_ms else {
                continue;
            };
            let streams = integration
                .response_transfer_mode
                .as_ref()
                .is_some_and(|mode| mode.value.eq_ignore_ascii_case("STREAM"));
            let ms = timeout.value;
            let (message, help) = if ms < 50 {
                (
                    format!("integration timeout {ms} ms is below the 50 ms minimum"),
                    "set `timeoutInMillis` to 50 or more".to_owned(),
                )
            } else {
                let max = match api.kind {
                    ApiKind::Http => (30_000, "an HTTP API"),
                    ApiKind::Websocket => (29_000, "a WebSocket API"),
                    ApiKind::Rest if surely_edge(api) && !streams => {
                        (29_000, "an edge-optimized REST API")
                    }
                    ApiKind::Rest => continue,
                };
                if ms <= max.0 {
                    continue;
                }
                (
                    format!(
                        "integration timeout {ms} ms exceeds the {} ms maximum of {}",
                        max.0, max.1
                    ),
                    format!(
                        "set `timeoutInMillis` to {} or less; this limit cannot be raised",
                        max.0
                    ),
                )
            };
            out.push(Self::META, &timeout.origin, message).help(help);
        }
    }
}
