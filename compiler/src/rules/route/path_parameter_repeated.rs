use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

use super::{distinct_paths, segments, variable};

declare_rule! {
    /// A path templates the same parameter name twice (`/a/{id}/b/{id}`).
    /// ## Why
    /// API Gateway names a path parameter by its name alone (`method.request.path.id`,
    /// `pathParameters.id` in a Lambda event), so two segments called `{id}` give one parameter
    /// and one of the values is lost. OpenAPI also requires path parameter names to be unique.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /users/{id}/orders/{id}:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /users/{userId}/orders/{orderId}:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
    pub PathParameterRepeated { code: "APIGW308", name: "path-parameter-repeated", severity: Warning }
}

impl Rule for PathParameterRepeated {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Websocket {
            return;
        }
        for (path, origin) in distinct_paths(api) {
            let mut names: Vec<&str> = Vec::new();
            for segment in segments(path) {
                let Some((name, _)) = variable(segment) else {
                    continue;
                };
                if names.contains(&name) {
                    out.push(
                        Self::META,
                        &origin,
                        format!("path `{path}` templates the parameter `{name}` twice; only one value reaches the backend"),
                    )
                    .help("give each path parameter its own name");
                    break;
                }
                names.push(name);
            }
        }
    }
}
