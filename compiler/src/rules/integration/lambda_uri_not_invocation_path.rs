use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

use super::report_bare_function_arn;

declare_rule! {
    /// A REST or WebSocket integration gives a bare Lambda function ARN where the invocation URI belongs.
    /// ## Why
    /// REST and WebSocket integrations call Lambda through an API Gateway service URI,
    /// `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`.
    /// A bare function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`) is refused with
    /// `AWS ARN for integration must contain path or action`. Only HTTP APIs accept the bare ARN.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws_proxy
    ///   httpMethod: POST
    ///   uri: arn:aws:lambda:us-east-1:123456789012:function:pets
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws_proxy
    ///   httpMethod: POST
    ///   uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
    pub LambdaUriNotInvocationPath { code: "APIGW106", name: "lambda-uri-not-invocation-path", severity: Error }
}

impl Rule for LambdaUriNotInvocationPath {
    fn check(&self, api: &Api, out: &mut Report) {
        for uri in super::aws_service_uris(api) {
            report_bare_function_arn(
                Self::META,
                uri,
                "a REST or WebSocket integration needs the invocation URI",
                out,
            );
        }
    }
}
