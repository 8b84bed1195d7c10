use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A request authorizer caches its result but names no identity source to cache it by.
    /// ## Why
    /// API Gateway caches a Lambda request authorizer's policy under the values of its identity
    /// sources. With `authorizerResultTtlInSeconds` above 0 at least one identity source is
    /// required: REST rejects the authorizer, and HTTP APIs enable caching only with one.
    /// Either name the sources, or set the TTL to 0.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   authorizerResultTtlInSeconds: 300
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   identitySource: method.request.header.Authorization
    ///   authorizerResultTtlInSeconds: 300
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
    pub CachingAuthorizerWithoutIdentitySource { code: "APIGW215", name: "caching-authorizer-without-identity-source", severity: Error }
}

impl Rule for CachingAuthorizerWithoutIdentitySource {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            if authorizer.kind != Some(AuthorizerKind::Request)
                || !authorizer.identity_source.is_empty()
            {
                continue;
            }
            let Some(ttl) = &authorizer.result_ttl_seconds else {
                continue;
            };
            if ttl.value > 0 {
                out.push(
                    Self::META,
                    &ttl.origin,
                    format!(
                        "request authorizer `{}` caches for {} s but has no identity source to cache by",
                        authorizer.name, ttl.value
                    ),
                )
                .help("name the identity sources (`identitySource`), or set `authorizerResultTtlInSeconds: 0`");
            }
        }
    }
}
