use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

use super::{distinct_paths, segments, variable};

declare_rule! {
    /// A greedy path parameter such as `{proxy+}` is followed by more segments.
    /// ## Why
    /// A greedy parameter matches the whole rest of the request path, so API Gateway allows it
    /// only as the last segment. A REST import fails with "Cannot create a child of a resource
    /// with a greedy path variable: {proxy+}"; an HTTP API rejects the route key the same way
    /// (greedy `{name+}` only as the last segment).
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /files/{path+}/meta:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /files/{path+}:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html
    pub GreedyPathNotLast { code: "APIGW301", name: "greedy-path-not-last", severity: Error }
}

impl Rule for GreedyPathNotLast {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Websocket {
            return;
        }
        for (path, origin) in distinct_paths(api) {
            let segments = segments(path);
            let last = segments.len().saturating_sub(1);
            let greedy = segments.iter().enumerate().find(|(index, segment)| {
                *index < last && variable(segment).is_some_and(|(_, greedy)| greedy)
            });
            if let Some((_, segment)) = greedy {
                out.push(
                    Self::META,
                    &origin,
                    format!(
                        "path `{path}` continues after the greedy parameter `{segment}`, which must be the last segment"
                    ),
                )
                .help(format!(
                    "end the path at `{segment}`, or make it a plain parameter `{{{}}}`",
                    segment.trim_matches(['{', '}', '+'])
                ));
            }
        }
    }
}
