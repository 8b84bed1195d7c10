use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// A usage plan's request quota limit or offset is negative.
    /// ## Why
    /// A usage plan's `quota.limit` is the number of requests a key may make per period and
    /// `quota.offset` the day the period starts at; API Gateway takes 0 or more for both and
    /// rejects a negative value with `BadRequestException`, failing the deployment.
    /// ## Fails
    /// ```yaml
    /// Quota: {Limit: -1, Period: MONTH}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Quota: {Limit: 10000, Period: MONTH}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
    pub UsagePlanQuotaNegative { code: "APIGW611", name: "usage-plan-quota-negative", severity: Error }
}

impl Rule for UsagePlanQuotaNegative {
    fn check(&self, api: &Api, out: &mut Report) {
        for plan in &api.usage_plans {
            let Some(quota) = &plan.quota else {
                continue;
            };
            if quota.limit < 0 {
                out.push(
                    Self::META,
                    &plan.origin,
                    format!(
                        "usage plan `{}`: quota limit {} requests per {} is negative",
                        plan.name, quota.limit, quota.period
                    ),
                )
                .help("give 0 or more requests, or remove the quota to leave the plan unlimited");
            }
            if let Some(offset) = quota.offset.filter(|offset| *offset < 0) {
                out.push(
                    Self::META,
                    &plan.origin,
                    format!(
                        "usage plan `{}`: quota offset {offset} is negative",
                        plan.name
                    ),
                )
                .help("give the day the period starts at, from 0");
            }
        }
    }
}
