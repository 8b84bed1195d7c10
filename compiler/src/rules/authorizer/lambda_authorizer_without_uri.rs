use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A Lambda (token or request) authorizer names no function.
    /// ## Why
    /// `token` and `request` authorizers call a Lambda function given by `authorizerUri`, its
    /// invocation URI. API Gateway requires it for these types (`AuthorizerUri` of
    /// `CreateAuthorizer`: "required for TOKEN/REQUEST authorizers").
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   authorizerResultTtlInSeconds: 300
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
    pub LambdaAuthorizerWithoutUri { code: "APIGW209", name: "lambda-authorizer-without-uri", severity: Error }
}

impl Rule for LambdaAuthorizerWithoutUri {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            if !matches!(
                authorizer.kind,
                Some(AuthorizerKind::Token | AuthorizerKind::Request)
            ) || authorizer.uri.is_some()
                || authorizer.function.is_some()
            {
                continue;
            }
            let at = authorizer
                .kind_text
                .as_ref()
                .map_or(&authorizer.origin, |text| &text.origin);
            out.push(
                Self::META,
                at,
                format!("Lambda authorizer `{}` has no `authorizerUri`", authorizer.name),
            )
            .help("set `authorizerUri` to `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`");
        }
    }
}
