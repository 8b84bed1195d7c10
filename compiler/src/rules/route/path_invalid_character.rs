use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

use super::{distinct_paths, segments, variable};

declare_rule! {
    /// A REST path segment holds a character API Gateway does not allow in a resource name.
    /// ## Why
    /// A REST API resource's path part may contain only letters, digits and `_ - . , :`, with a
    /// path variable in curly braces (`{id}`, `{proxy+}`). Anything else — a space, `~`, `@`,
    /// `$`, `*`, `=` — makes the import fail ("Resource's path part only allow a-zA-Z0-9._- and
    /// curly braces at the beginning and the end and an optional plus sign before the closing
    /// brace").
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /users/~me:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /users/me:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html
    pub PathInvalidCharacter { code: "APIGW303", name: "path-invalid-character", severity: Error }
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ',' | ':')
}

impl Rule for PathInvalidCharacter {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for (path, origin) in distinct_paths(api) {
            for segment in segments(path) {
                // A variable's name is checked by no rule here; braces inside text are another rule's.
                if variable(segment).is_some() || segment.contains(['{', '}']) {
                    continue;
                }
                if let Some(bad) = segment.chars().find(|c| !allowed(*c)) {
                    out.push(
                        Self::META,
                        &origin,
                        format!(
                            "path `{path}`: segment `{segment}` contains `{bad}`; a REST resource name allows only letters, digits and `_ - . , :`"
                        ),
                    )
                    .help("rename the segment with the allowed characters");
                    break;
                }
            }
        }
    }
}
