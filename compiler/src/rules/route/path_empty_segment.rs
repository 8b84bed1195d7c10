use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

use super::{distinct_paths, segments};

declare_rule! {
    /// A path has an empty segment (`//`).
    /// ## Why
    /// Every segment of a REST path becomes a resource whose path part must be non-empty, so
    /// `/orders//items` cannot be created and the import fails. A client's `//` never reaches a
    /// route of that shape anyway.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /orders//items:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /orders/items:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html
    pub PathEmptySegment { code: "APIGW304", name: "path-empty-segment", severity: Error }
}

impl Rule for PathEmptySegment {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for (path, origin) in distinct_paths(api) {
            let segments = segments(path);
            let last = segments.len().saturating_sub(1);
            // A trailing `/` is a different question; only empty inner segments are certain.
            if segments
                .iter()
                .enumerate()
                .any(|(index, segment)| segment.is_empty() && index < last)
            {
                let fixed = format!(
                    "/{}",
                    path.split('/')
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("/")
                );
                out.push(
                    Self::META,
                    &origin,
                    format!("path `{path}` has an empty segment; a REST resource's path part cannot be empty"),
                )
                .help(format!("write the path `{fixed}`"));
            }
        }
    }
}
