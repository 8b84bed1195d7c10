use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A binary media type in the OpenAPI document is written with `~1` in place of `/`.
    /// ## Why
    /// `image~1png` is how a `/` is escaped in a JSON Pointer: the AWS CLI's `patch-operations`
    /// (`path=/binaryMediaTypes/image~1png`) and SAM's `BinaryMediaTypes` property need it.
    /// `x-amazon-apigateway-binary-media-types` is a plain list of media types, which the
    /// importer stores as written: `image~1png` then matches no `Content-Type` or `Accept`
    /// header, and binary bodies are mangled as UTF-8 text.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-binary-media-types: ["image~1png"]
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-binary-media-types: ["image/png"]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-configure-with-control-service-api.html
    pub BinaryMediaTypeEscaped { code: "APIGW510", name: "binary-media-type-escaped", severity: Warning }
}

impl Rule for BinaryMediaTypeEscaped {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for media_type in &api.binary_media_types {
            let text = media_type.value.as_str();
            if !text.contains("~1") || text.contains("${") {
                continue;
            }
            let fixed = text.replace("~1", "/").replace("~0", "~");
            out.push(
                Self::META,
                &media_type.origin,
                format!("binary media type `{text}` is JSON-Pointer escaped; API Gateway stores it as written, so it matches no `{fixed}` request or response"),
            )
            .help(format!("write `{fixed}`"))
            .fix(format!("write `{fixed}`"), &media_type.origin, fixed.clone());
        }
    }
}
