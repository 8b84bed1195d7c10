use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

/// Routes per HTTP or WebSocket API, by default (Service Quotas can raise it).
const ROUTES_PER_API: usize = 300;

declare_rule! {
    /// An HTTP or WebSocket API has more than 300 routes, the default quota.
    /// ## Why
    /// API Gateway allows 300 routes per HTTP API and 300 per WebSocket API by default
    /// ("Routes per API", adjustable in Service Quotas). Creating the 301st route fails with
    /// `LimitExceededException` unless the quota was raised first. Every method of a path is a
    /// route (`GET /pets` and `POST /pets` are two).
    /// ## Fails
    /// ```yaml
    /// paths: {/r1: {get: …}, …, /r301: {get: …}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths: {/r1: {get: …}, …, /r300: {get: …}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
    pub RoutesOverQuota { code: "APIGW602", name: "routes-over-quota", severity: Warning }
}

impl Rule for RoutesOverQuota {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Rest {
            return;
        }
        let Some(route) = api.routes.get(ROUTES_PER_API) else {
            return;
        };
        out.push(
            Self::META,
            &route.origin,
            format!(
                "the API has {} routes; the default quota is {ROUTES_PER_API} per {} API",
                api.routes.len(),
                if api.kind == ApiKind::Http { "HTTP" } else { "WebSocket" }
            ),
        )
        .help("ask for a higher \"Routes per API\" quota in Service Quotas before deploying, or merge routes with path parameters");
    }
}
