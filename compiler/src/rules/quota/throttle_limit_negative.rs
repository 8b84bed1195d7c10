use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, Origin, Throttling};
use crate::rules::Rule;

declare_rule! {
    /// A throttle's burst or rate limit is negative.
    /// ## Why
    /// Throttling limits (a stage's or method's `throttlingBurstLimit`/`throttlingRateLimit`, a
    /// usage plan's `throttle.burstLimit`/`rateLimit`) are counts of requests: API Gateway
    /// takes 0 or more and rejects a negative value with `BadRequestException`, failing the
    /// deployment. To block traffic, set 0; to leave a limit to the account default, leave it
    /// out.
    /// ## Fails
    /// ```yaml
    /// Throttle: {BurstLimit: -1, RateLimit: 100}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Throttle: {BurstLimit: 200, RateLimit: 100}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    pub ThrottleLimitNegative { code: "APIGW610", name: "throttle-limit-negative", severity: Error }
}

fn check_throttle(out: &mut Report, origin: &Origin, what: &str, throttling: &Throttling) {
    if let Some(burst) = throttling.burst_limit.filter(|burst| *burst < 0) {
        out.push(
            ThrottleLimitNegative::META,
            origin,
            format!("{what}: throttle burst limit {burst} is negative"),
        )
        .help("give 0 or more requests, or leave the limit out to keep the default");
    }
    if let Some(rate) = throttling.rate_limit.filter(|rate| *rate < 0.0) {
        out.push(
            ThrottleLimitNegative::META,
            origin,
            format!("{what}: throttle rate limit {rate} requests per second is negative"),
        )
        .help("give 0 or more requests per second, or leave the limit out to keep the default");
    }
}

impl Rule for ThrottleLimitNegative {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let what = format!("stage `{}`", stage.name);
            if let Some(throttling) = &stage.throttling {
                check_throttle(out, &stage.origin, &what, throttling);
            }
            for setting in &stage.method_settings {
                if let Some(throttling) = &setting.throttling {
                    let what = format!(
                        "stage `{}`, method settings `{}/{}`",
                        stage.name, setting.resource_path, setting.http_method
                    );
                    check_throttle(out, &stage.origin, &what, throttling);
                }
            }
        }
        for plan in &api.usage_plans {
            if let Some(throttling) = &plan.throttling {
                check_throttle(
                    out,
                    &plan.origin,
                    &format!("usage plan `{}`", plan.name),
                    throttling,
                );
            }
        }
    }
}
