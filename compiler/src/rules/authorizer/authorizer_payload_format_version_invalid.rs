use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP API Lambda authorizer's payload format version is neither 1.0 nor 2.0.
    /// ## Why
    /// `authorizerPayloadFormatVersion` takes `"1.0"` or `"2.0"`; API Gateway refuses any other
    /// value. A YAML number `2` or `1` is read as the text `2`, not `2.0`: quote the version.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   authorizerPayloadFormatVersion: "3.0"
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   authorizerPayloadFormatVersion: "2.0"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
    pub AuthorizerPayloadFormatVersionInvalid { code: "APIGW214", name: "authorizer-payload-format-version-invalid", severity: Error }
}

impl Rule for AuthorizerPayloadFormatVersionInvalid {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        for authorizer in &api.authorizers {
            if authorizer.kind != Some(AuthorizerKind::Request) {
                continue;
            }
            let Some(version) = &authorizer.payload_format_version else {
                continue;
            };
            if matches!(version.value.as_str(), "1.0" | "2.0") {
                continue;
            }
            let pending = out.push(
                Self::META,
                &version.origin,
                format!(
                    "authorizer payload format version `{}` is neither 1.0 nor 2.0",
                    version.value
                ),
            );
            pending.help("set `authorizerPayloadFormatVersion` to \"1.0\" or \"2.0\"");
            let fixed = match version.value.trim() {
                "1" | "1.00" => Some("1.0"),
                "2" | "2.00" => Some("2.0"),
                _ => None,
            };
            if let Some(fixed) = fixed {
                pending.fix(format!("write `{fixed}`"), &version.origin, fixed);
            }
        }
    }
}
