use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, ParameterLocation};
use crate::rules::Rule;

use super::templated_names;

declare_rule! {
    /// A parameter is declared `in: path`, but the path has no `{name}` for it.
    /// ## Why
    /// API Gateway fills a path parameter only from the matching `{name}` (or `{name+}`) segment
    /// of the resource path. A declared path parameter the path does not template never gets a
    /// value: a mapping that reads `method.request.path.name` passes nothing, and a Lambda proxy
    /// event has no such key. It is usually a parameter renamed in one place only. A parameter
    /// named `proxy+` for the segment `{proxy+}` counts as templated.
    /// ## Fails
    /// ```yaml
    /// /pets/{petId}:
    ///   get:
    ///     parameters:
    ///       - {name: id, in: path, required: true, schema: {type: string}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// /pets/{petId}:
    ///   get:
    ///     parameters:
    ///       - {name: petId, in: path, required: true, schema: {type: string}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
    pub PathParameterNotInPath { code: "APIGW307", name: "path-parameter-not-in-path", severity: Warning }
}

impl Rule for PathParameterNotInPath {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Websocket {
            return;
        }
        let mut seen = Vec::new();
        for route in &api.routes {
            let Some(path) = route.path() else {
                continue;
            };
            let templated = templated_names(path);
            for parameter in &route.parameters {
                if parameter.location != ParameterLocation::Path
                    || templated.contains(&parameter.name.trim_end_matches('+'))
                {
                    continue;
                }
                // A parameter shared by a path item's operations is reported once.
                let at = (parameter.origin.file, parameter.origin.pointer.clone());
                if seen.contains(&at) {
                    continue;
                }
                seen.push(at);
                let names: Vec<String> = templated.iter().map(|n| format!("`{n}`")).collect();
                let pending = out.push(
                    Self::META,
                    &parameter.origin,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`, so it never gets a value",
                        parameter.name
                    ),
                );
                if names.is_empty() {
                    pending.help(format!(
                        "template it in the path (`{path}/{{{}}}`), or declare it `in: query` or `in: header`",
                        parameter.name
                    ));
                } else {
                    pending.help(format!(
                        "the path declares {}; rename the parameter to match, or template it in the path",
                        names.join(", ")
                    ));
                }
            }
        }
    }
}
