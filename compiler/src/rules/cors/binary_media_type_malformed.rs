use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A binary media type is not `type/subtype` (or a wildcard form such as `image/*` or `*/*`).
    /// ## Why
    /// API Gateway compares each entry of the binary media types with the request's
    /// `Content-Type` and `Accept` headers, which always hold `type/subtype`. An entry such as
    /// `png`, `image` or `image/png,image/jpeg` matches no header, so the
    /// payloads it was meant for are handled as UTF-8 text and corrupted. Wildcards are allowed:
    /// `image/*`, `*/*`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-binary-media-types: ["image/png,image/jpeg"]
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-binary-media-types: ["image/png", "image/jpeg"]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
    pub BinaryMediaTypeMalformed { code: "APIGW511", name: "binary-media-type-malformed", severity: Warning }
}

/// RFC 6838 restricted-name characters, plus the `*` wildcard.
fn token(part: &str) -> bool {
    !part.is_empty()
        && part.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '!' | '#' | '$' | '&' | '-' | '^' | '_' | '.' | '+' | '*')
        })
}

impl Rule for BinaryMediaTypeMalformed {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for media_type in &api.binary_media_types {
            let text = media_type.value.as_str();
            // `~1` escaping has its own rule.
            // Media type parameters (`; charset=…`) are left alone.
            if text.contains("${") || text.contains("~1") || text.contains(';') {
                continue;
            }
            let well_formed = text
                .split_once('/')
                .is_some_and(|(kind, subtype)| token(kind) && token(subtype));
            if well_formed {
                continue;
            }
            let help = if text.contains(',') {
                "list each media type as its own entry".to_owned()
            } else {
                "write a media type such as `image/png`, `application/octet-stream`, `image/*` or `*/*`".to_owned()
            };
            out.push(
                Self::META,
                &media_type.origin,
                format!("binary media type `{text}` is not `type/subtype`; it matches no Content-Type or Accept header"),
            )
            .help(help);
        }
    }
}
