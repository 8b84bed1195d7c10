use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

/// Stages per API, by default (Service Quotas can raise it).
const STAGES_PER_API: usize = 10;

declare_rule! {
    /// An API has more than 10 stages, the default quota.
    /// ## Why
    /// API Gateway allows 10 stages per API by default ("Stages per API", adjustable in Service
    /// Quotas) for REST, HTTP and WebSocket APIs. The 11th stage fails to create with
    /// `LimitExceededException` unless the quota was raised first.
    /// ## Fails
    /// ```yaml
    /// stages: {s1: {}, s2: {}, …, s11: {}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// stages: {dev: {}, prod: {}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    pub StagesOverQuota { code: "APIGW604", name: "stages-over-quota", severity: Warning }
}

impl Rule for StagesOverQuota {
    fn check(&self, api: &Api, out: &mut Report) {
        let Some(stage) = api.stages.get(STAGES_PER_API) else {
            return;
        };
        out.push(
            Self::META,
            &stage.origin,
            format!(
                "the API has {} stages; the default quota is {STAGES_PER_API} per API",
                api.stages.len()
            ),
        )
        .help("ask for a higher \"Stages per API\" quota in Service Quotas, or tell environments apart with stage variables");
    }
}
