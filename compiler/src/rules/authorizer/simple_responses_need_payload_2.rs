use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// `enableSimpleResponses` is set on an authorizer whose payload format is not 2.0.
    /// ## Why
    /// Simple responses (`{"isAuthorized": true}` instead of an IAM policy) exist only in
    /// payload format 2.0 of HTTP API Lambda authorizers. API Gateway refuses
    /// `enableSimpleResponses: true` with `authorizerPayloadFormatVersion: "1.0"`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   authorizerPayloadFormatVersion: "1.0"
    ///   enableSimpleResponses: true
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   authorizerPayloadFormatVersion: "2.0"
    ///   enableSimpleResponses: true
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
    pub SimpleResponsesNeedPayload2 { code: "APIGW212", name: "simple-responses-need-payload-2", severity: Error }
}

impl Rule for SimpleResponsesNeedPayload2 {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        for authorizer in &api.authorizers {
            if authorizer.kind != Some(AuthorizerKind::Request)
                || authorizer.enable_simple_responses != Some(true)
            {
                continue;
            }
            let Some(version) = &authorizer.payload_format_version else {
                continue;
            };
            if version.value.trim() == "1.0" {
                out.push(
                    Self::META,
                    &version.origin,
                    format!(
                        "authorizer `{}` enables simple responses with payload format {}; simple responses need 2.0",
                        authorizer.name, version.value
                    ),
                )
                .help("set `authorizerPayloadFormatVersion: \"2.0\"` (the function then reads the 2.0 event), or drop `enableSimpleResponses`");
            }
        }
    }
}
