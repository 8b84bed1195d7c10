use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::{self, Rule};

declare_rule! {
    /// A Lambda integration calls the function with a method other than POST.
    /// ## Why
    /// API Gateway calls Lambda through the Invoke API, which accepts only POST. The spec imports
    /// without complaint, then every request to the route fails with a 500 and
    /// `Execution failed due to configuration error` in the execution log. The method of the
    /// route itself (GET, DELETE …) is unrelated and stays as it is. HTTP APIs ignore the method
    /// of a Lambda proxy integration, so the rule checks REST and WebSocket APIs only.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: aws_proxy
    ///   httpMethod: GET
    ///   uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations
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
    pub LambdaMethodNotPost { code: "APIGW101", name: "lambda-method-not-post", severity: Error }
}

impl Rule for LambdaMethodNotPost {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Http {
            return;
        }
        for integration in api.integrations().filter(|it| rules::surely_lambda(it)) {
            let Some(method) = &integration.http_method else {
                continue;
            };
            if !method.value.eq_ignore_ascii_case("POST") {
                out.push(
                    Self::META,
                    &method.origin,
                    format!(
                        "Lambda integration calls the function with `{}`; Lambda's Invoke API takes only POST",
                        method.value
                    ),
                )
                .help("set `httpMethod: POST`; the route's own method is unaffected")
                .fix("set `httpMethod` to `POST`", &method.origin, "POST");
            }
        }
    }
}
