use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

use super::{distinct_paths, segments, variable};

declare_rule! {
    /// A path parameter shares its segment with other text (`/items/{id}.json`).
    /// ## Why
    /// A REST API resource is one path part, and a path variable must be the whole part: API
    /// Gateway accepts `/items/{id}` but rejects `/items{id}` and `/items/{id}.json` ("Resource's
    /// path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end"). The
    /// import fails.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /reports/{id}.csv:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /reports/{id}:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html
    pub PathParameterNotWholeSegment { code: "APIGW302", name: "path-parameter-not-whole-segment", severity: Error }
}

impl Rule for PathParameterNotWholeSegment {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for (path, origin) in distinct_paths(api) {
            let bad = segments(path)
                .into_iter()
                .find(|segment| segment.contains(['{', '}']) && variable(segment).is_none());
            if let Some(segment) = bad {
                out.push(
                    Self::META,
                    &origin,
                    format!(
                        "path `{path}`: segment `{segment}` mixes a parameter with other text; a REST path parameter must be a whole segment"
                    ),
                )
                .help("make the parameter a segment of its own (`/reports/{id}` rather than `/reports/{id}.csv`), and read the rest in the backend");
            }
        }
    }
}
