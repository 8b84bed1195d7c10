use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

use super::integration_timeout_out_of_range::surely_edge;

declare_rule! {
    /// A REST integration timeout above 29,000 ms works only after a Service Quotas raise.
    /// ## Why
    /// REST integrations time out after 29,000 ms by default. Since June 2024 regional and
    /// private REST APIs may wait longer, but only once the account's "Maximum integration
    /// timeout in milliseconds" quota (L-E5AE38E3) has been raised, which may lower the
    /// account's throttle quota; until then API Gateway refuses the value. Edge-optimized APIs
    /// stay at 29,000 ms (APIGW109).
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://reports.example.com/build
    ///   timeoutInMillis: 60000
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://reports.example.com/build
    ///   timeoutInMillis: 29000
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    pub IntegrationTimeoutNeedsQuotaRaise { code: "APIGW110", name: "integration-timeout-needs-quota-raise", severity: Warning }
}

impl Rule for IntegrationTimeoutNeedsQuotaRaise {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest || surely_edge(api) {
            return;
        }
        for integration in api.integrations() {
            let Some(timeout) = &integration.timeout_ms else {
                continue;
            };
            let streams = integration
                .response_transfer_mode
                .as_ref()
                .is_some_and(|mode| mode.value.eq_ignore_ascii_case("STREAM"));
            if timeout.value > 29_000 && !streams {
                out.push(
                    Self::META,
                    &timeout.origin,
                    format!(
                        "integration timeout {} ms exceeds the default 29000 ms maximum of REST APIs",
                        timeout.value
                    ),
                )
                .help("request a raise of the quota L-E5AE38E3 for a regional or private API first, or keep `timeoutInMillis` at 29000 or less");
            }
        }
    }
}
