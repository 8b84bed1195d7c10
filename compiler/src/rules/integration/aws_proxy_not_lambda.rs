use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, IntegrationType};
use crate::rules::Rule;

use super::{arn_fields, shape, HOLE};

declare_rule! {
    /// A REST `aws_proxy` integration calls something other than a Lambda function or Firehose stream.
    /// ## Why
    /// A REST API's `AWS_PROXY` integration passes the whole request to a Lambda function (or a
    /// Firehose stream). For any other service, or a Lambda path other than
    /// `path/2015-03-31/functions/…` (or the streaming `path/2021-11-15/functions/…`), API
    /// Gateway answers `Integrations of type 'AWS_PROXY' currently only supports Lambda function
    /// and Firehose stream invocations.` Other AWS services take an `aws` integration with
    /// mapping templates.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws_proxy
    ///   httpMethod: POST
    ///   uri: arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws_proxy
    ///   httpMethod: POST
    ///   uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-integration-types.html
    pub AwsProxyNotLambda { code: "APIGW108", name: "aws-proxy-not-lambda", severity: Error }
}

impl Rule for AwsProxyNotLambda {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for integration in api.integrations() {
            if integration.kind != Some(IntegrationType::AwsProxy) {
                continue;
            }
            let Some(uri) = &integration.uri else {
                continue;
            };
            let Some(text) = shape(&uri.value) else {
                continue;
            };
            let Some([_, _, "apigateway", _, service, resource]) = arn_fields(&text) else {
                continue;
            };
            if service.contains(HOLE) || resource.starts_with(HOLE) {
                continue;
            }
            let problem = match service {
                "firehose" => continue,
                "lambda" => {
                    let known = ["path/2015-03-31/functions/", "path/2021-11-15/functions/"];
                    if known.iter().any(|prefix| resource.starts_with(prefix))
                        || !resource.starts_with("path/")
                    {
                        continue;
                    }
                    format!("calls Lambda at `{resource}`, which is not a function invocation path")
                }
                other => format!("calls the `{other}` service"),
            };
            out.push(
                Self::META,
                &uri.origin,
                format!("`aws_proxy` integration {problem}; REST `aws_proxy` integrations invoke only Lambda functions and Firehose streams"),
            )
            .help("use `type: aws` with mapping templates for other AWS services, or the Lambda invocation URI `…:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`");
        }
    }
}
