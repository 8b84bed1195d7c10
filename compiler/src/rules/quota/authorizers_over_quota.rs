use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, AuthorizerKind};
use crate::rules::Rule;

/// Authorizers per API, by default (REST, HTTP and WebSocket alike).
const AUTHORIZERS_PER_API: usize = 10;

declare_rule! {
    /// An API defines more than 10 authorizers, the default quota.
    /// ## Why
    /// API Gateway allows 10 authorizers per API (REST, HTTP and WebSocket; REST raises it
    /// only through AWS Support). Lambda, Cognito and JWT authorizers count; IAM authorization
    /// is not an authorizer. Past the quota the import or stack fails with
    /// `LimitExceededException`. Authorizers that differ only in their scopes can usually be
    /// one authorizer with per-route scopes.
    /// ## Fails
    /// ```yaml
    /// securitySchemes: {a1: …, a2: …, …, a11: …}   # eleven Lambda authorizers
    /// ```
    /// ## Passes
    /// ```yaml
    /// securitySchemes: {a1: …, …, a10: …}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    pub AuthorizersOverQuota { code: "APIGW603", name: "authorizers-over-quota", severity: Warning }
}

impl Rule for AuthorizersOverQuota {
    fn check(&self, api: &Api, out: &mut Report) {
        let authorizers: Vec<_> = api
            .authorizers
            .iter()
            .filter(|authorizer| {
                authorizer
                    .kind
                    .is_some_and(|kind| kind != AuthorizerKind::Iam)
            })
            .collect();
        let Some(first_over) = authorizers.get(AUTHORIZERS_PER_API) else {
            return;
        };
        out.push(
            Self::META,
            &first_over.origin,
            format!(
                "the API defines {} authorizers; the quota is {AUTHORIZERS_PER_API} per API",
                authorizers.len()
            ),
        )
        .help("merge authorizers that share a function or issuer (scopes are per route), or ask AWS Support for a higher quota");
    }
}
