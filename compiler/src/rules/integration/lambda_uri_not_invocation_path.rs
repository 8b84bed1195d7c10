use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, Expr, IntegrationType};
use crate::rules::Rule;

use super::{bare_function_arn, shape};

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
        if api.kind == ApiKind::Http {
            return;
        }
        for integration in api.integrations() {
            if !matches!(
                integration.kind,
                Some(IntegrationType::Aws | IntegrationType::AwsProxy)
            ) {
                continue;
            }
            let Some(uri) = &integration.uri else {
                continue;
            };
            let Some(text) = shape(&uri.value) else {
                continue;
            };
            let Some((partition, region)) = bare_function_arn(&text) else {
                continue;
            };
            let pending = out
                .push(
                    Self::META,
                    &uri.origin,
                    format!(
                        "`{}` is a Lambda function ARN; a REST or WebSocket integration needs the invocation URI",
                        uri.value.display_text()
                    ),
                )
                .help("write `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`");
            if let Expr::Literal { value } = &uri.value {
                let fixed = format!(
                    "arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{value}/invocations"
                );
                pending.fix(
                    "wrap the function ARN in its invocation URI",
                    &uri.origin,
                    fixed,
                );
            }
        }
    }
}
