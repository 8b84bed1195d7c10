use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, AuthorizerKind};
use crate::rules::integration::report_bare_function_arn;
use crate::rules::Rule;

declare_rule! {
    /// A Lambda authorizer's `authorizerUri` is a bare function ARN, not its invocation URI.
    /// ## Why
    /// `authorizerUri` is the function's invocation URI,
    /// `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`, in
    /// REST and HTTP APIs alike (`AuthorizerUri` of `CreateAuthorizer`: "a well-formed Lambda
    /// function URI"). Unlike HTTP API integrations, authorizers do not accept the bare function
    /// ARN.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   authorizerUri: arn:aws:lambda:us-east-1:123456789012:function:auth
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
    pub AuthorizerUriNotInvocationPath { code: "APIGW210", name: "authorizer-uri-not-invocation-path", severity: Error }
}

impl Rule for AuthorizerUriNotInvocationPath {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            if !matches!(
                authorizer.kind,
                Some(AuthorizerKind::Token | AuthorizerKind::Request)
            ) {
                continue;
            }
            let Some(uri) = &authorizer.uri else {
                continue;
            };
            report_bare_function_arn(
                Self::META,
                uri,
                "`authorizerUri` needs the function's invocation URI",
                out,
            );
        }
    }
}
