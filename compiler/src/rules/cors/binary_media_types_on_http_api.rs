use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP API lists binary media types, a setting only REST APIs have.
    /// ## Why
    /// `x-amazon-apigateway-binary-media-types` (`BinaryMediaTypes`) tells a REST API which
    /// payloads to pass as binary. HTTP APIs have no such setting and the HTTP API importer
    /// ignores the extension: an HTTP API decides from the `Content-Type` itself, handing Lambda
    /// non-text bodies base64-encoded (`isBase64Encoded: true`) and decoding a function's
    /// base64 response when it says `isBase64Encoded`. The list does nothing, and suggests
    /// handling that is not there.
    /// ## Fails
    /// ```yaml
    /// openapi: 3.0.1
    /// x-amazon-apigateway-cors: {allowOrigins: ["https://app.example.com"]}
    /// x-amazon-apigateway-binary-media-types: ["image/png"]
    /// ```
    /// ## Passes
    /// ```yaml
    /// openapi: 3.0.1
    /// x-amazon-apigateway-cors: {allowOrigins: ["https://app.example.com"]}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
    pub BinaryMediaTypesOnHttpApi { code: "APIGW513", name: "binary-media-types-on-http-api", severity: Warning }
}

impl Rule for BinaryMediaTypesOnHttpApi {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        let Some(first) = api.binary_media_types.first() else {
            return;
        };
        let listed: Vec<&str> = api
            .binary_media_types
            .iter()
            .map(|media_type| media_type.value.as_str())
            .collect();
        out.push(
            Self::META,
            &first.origin,
            format!(
                "binary media types ({}) have no effect: HTTP APIs have no binary media types setting",
                listed.join(", ")
            ),
        )
        .help("remove the list; HTTP APIs base64-encode non-text bodies for Lambda by themselves");
    }
}
