use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A token, Cognito or JWT authorizer reads several identity sources, or a token or Cognito one a query string.
    /// ## Why
    /// A REST `token` or `cognito_user_pools` authorizer reads the token from exactly one
    /// header, `method.request.header.NAME`; an HTTP API `jwt` authorizer from exactly one
    /// `$request.header.NAME` or `$request.querystring.NAME`. Only `request` (Lambda)
    /// authorizers combine several sources. API Gateway refuses a list for the others.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   identitySource: method.request.header.Authorization, method.request.header.X-Tenant
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   identitySource: method.request.header.Authorization
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
    pub IdentitySourceNotSingleHeader { code: "APIGW204", name: "identity-source-not-single-header", severity: Error }
}

impl Rule for IdentitySourceNotSingleHeader {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            let what = match (api.kind, authorizer.kind) {
                (ApiKind::Rest, Some(AuthorizerKind::Token)) => "a token authorizer",
                (ApiKind::Rest, Some(AuthorizerKind::CognitoUserPools)) => "a Cognito authorizer",
                (ApiKind::Http, Some(AuthorizerKind::Jwt)) => "a JWT authorizer",
                _ => continue,
            };
            let sources = &authorizer.identity_source;
            if let [first, second, ..] = sources.as_slice() {
                out.push(
                    Self::META,
                    &second.origin,
                    format!(
                        "{what} reads exactly one identity source; `{}` lists {} (`{}`, `{}` …)",
                        authorizer.name,
                        sources.len(),
                        first.value,
                        second.value
                    ),
                )
                .help("keep the one header that carries the token; use a request authorizer to read several");
                continue;
            }
            if let [only] = sources.as_slice() {
                if api.kind == ApiKind::Rest
                    && only.value.starts_with("method.request.querystring.")
                {
                    out.push(
                        Self::META,
                        &only.origin,
                        format!(
                            "{what} reads its token from a header, but `{}` names `{}`",
                            authorizer.name, only.value
                        ),
                    )
                    .help("name a header (`method.request.header.Authorization`), or use a request authorizer");
                }
            }
        }
    }
}
