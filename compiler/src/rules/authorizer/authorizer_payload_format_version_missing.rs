use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP API Lambda authorizer does not say which payload format it takes.
    /// ## Why
    /// HTTP API Lambda (`request`) authorizers receive either the 1.0 or the 2.0 event and
    /// answer in the matching format; `authorizerPayloadFormatVersion` is required for them
    /// (`AuthorizerPayloadFormatVersion` of `CreateAuthorizer`: "Required for HTTP API Lambda
    /// authorizers").
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   identitySource: $request.header.Authorization
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   identitySource: $request.header.Authorization
    ///   authorizerPayloadFormatVersion: "2.0"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
    pub AuthorizerPayloadFormatVersionMissing { code: "APIGW213", name: "authorizer-payload-format-version-missing", severity: Error }
}

impl Rule for AuthorizerPayloadFormatVersionMissing {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        for authorizer in &api.authorizers {
            // In a standalone document whose kind was inferred, an authorizer written in REST
            // syntax says the inference may be wrong.
            let rest_style = authorizer
                .identity_source
                .iter()
                .any(|source| source.value.starts_with("method.request."));
            if authorizer.kind == Some(AuthorizerKind::Request)
                && authorizer.payload_format_version.is_none()
                && (super::kind_declared(api) || !rest_style)
            {
                let at = authorizer
                    .kind_text
                    .as_ref()
                    .map_or(&authorizer.origin, |text| &text.origin);
                out.push(
                    Self::META,
                    at,
                    format!(
                        "HTTP API Lambda authorizer `{}` has no `authorizerPayloadFormatVersion`",
                        authorizer.name
                    ),
                )
                .help("set `authorizerPayloadFormatVersion` to \"2.0\" (or \"1.0\" for a function written for REST events)");
            }
        }
    }
}
