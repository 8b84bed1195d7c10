use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

use super::{arn_fields, bare_function_arn, shape, HOLE};

declare_rule! {
    /// An `aws` or `aws_proxy` integration URI is not an API Gateway service ARN with a path or action.
    /// ## Why
    /// REST and WebSocket integrations of type `AWS`/`AWS_PROXY` name the backend as
    /// `arn:PARTITION:apigateway:REGION:SERVICE:path/…` or `…:SERVICE:action/ACTION`. API
    /// Gateway refuses anything else: a URI that is not an ARN gets `Invalid ARN specified in
    /// the request`, an ARN whose resource starts with neither `path/` nor `action/` gets `AWS
    /// ARN for integration must contain path or action`. (A bare Lambda function ARN is
    /// APIGW106.)
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws
    ///   httpMethod: POST
    ///   uri: arn:aws:apigateway:us-east-1:sqs:123456789012/orders
    ///   responses:
    ///     default: {statusCode: "200"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws
    ///   httpMethod: POST
    ///   uri: arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders
    ///   responses:
    ///     default: {statusCode: "200"}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html
    pub AwsIntegrationUriMalformed { code: "APIGW107", name: "aws-integration-uri-malformed", severity: Error }
}

impl Rule for AwsIntegrationUriMalformed {
    fn check(&self, api: &Api, out: &mut Report) {
        for uri in super::aws_service_uris(api) {
            let Some(text) = shape(&uri.value) else {
                continue;
            };
            if text.starts_with(HOLE) || text.is_empty() || bare_function_arn(&text).is_some() {
                continue;
            }
            let problem = match arn_fields(&text) {
                None if !text.starts_with("arn:") && !text.starts_with("${") => {
                    "is not an ARN (API Gateway answers `Invalid ARN specified in the request`)"
                }
                Some([_, _, "apigateway", _, service, resource])
                    if !service.contains(HOLE)
                        && !resource.starts_with(HOLE)
                        && !resource.starts_with("path/")
                        && !resource.starts_with("action/") =>
                {
                    "has neither `path/` nor `action/` after the service (API Gateway answers `AWS ARN for integration must contain path or action`)"
                }
                _ => continue,
            };
            out.push(
                Self::META,
                &uri.origin,
                format!("integration URI `{}` {problem}", uri.value.display_text()),
            )
            .help("write `arn:aws:apigateway:REGION:SERVICE:path/…` or `arn:aws:apigateway:REGION:SERVICE:action/ACTION`");
        }
    }
}
