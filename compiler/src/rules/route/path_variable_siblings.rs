use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, Origin};
use crate::rules::Rule;

use super::{every_path, segments, variable};

declare_rule! {
    /// Two REST paths put different path variables at the same place (`/pets/{id}`, `/pets/{petId}`).
    /// ## Why
    /// A REST API is a tree of resources, and a resource may have at most one child that is a
    /// variable. `/pets/{id}` and `/pets/{petId}` (or `/pets/{id}` and `/pets/{proxy+}`) ask for
    /// two variable children of `/pets`, and the import fails with "A sibling ({id}) of this
    /// resource already has a variable path part -- only one is allowed". Static siblings such as
    /// `/pets/search` next to `/pets/{id}` are fine.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /pets/{id}:
    ///     get: {}
    ///   /pets/{petId}/photos:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /pets/{id}:
    ///     get: {}
    ///   /pets/{id}/photos:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
    pub PathVariableSiblings { code: "APIGW305", name: "path-variable-siblings", severity: Error }
}

impl Rule for PathVariableSiblings {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        // parent resource → (its variable child, the path that made it, where)
        let mut children: Vec<(String, &str, &str, Origin)> = Vec::new();
        let mut reported: Vec<(String, String)> = Vec::new();
        for (path, origin) in every_path(api) {
            let segments = segments(path);
            for (index, segment) in segments.iter().enumerate() {
                if variable(segment).is_none() {
                    continue;
                }
                let parent = format!(
                    "/{}",
                    segments
                        .iter()
                        .take(index)
                        .copied()
                        .collect::<Vec<_>>()
                        .join("/")
                );
                match children.iter().find(|(known, ..)| *known == parent) {
                    None => children.push((parent, segment, path, origin.clone())),
                    Some((_, first, first_path, first_origin)) => {
                        if first == segment {
                            continue;
                        }
                        let pair = (parent.clone(), (*segment).to_owned());
                        if reported.contains(&pair) {
                            continue;
                        }
                        out.push(
                            Self::META,
                            &origin,
                            format!(
                                "path `{path}` gives `{parent}` the variable child `{segment}`, but `{first_path}` already gave it `{first}`; a REST resource has at most one variable child"
                            ),
                        )
                        .related(first_origin, format!("`{first}` is declared here"))
                        .help(format!("use one name for the variable under `{parent}`, e.g. `{first}` in both paths"));
                        reported.push(pair);
                    }
                }
            }
        }
    }
}
