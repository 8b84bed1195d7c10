use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, ParameterLocation};
use crate::rules::Rule;

use super::templated_names;

declare_rule! {
    /// An integration maps `method.request.path.X`, but the route has no path parameter `X`.
    /// ## Why
    /// A REST integration's `requestParameters` may read only the method request parameters the
    /// method declares. When `X` is neither declared `in: path` nor templated in the path, API
    /// Gateway rejects the integration ("Invalid mapping expression specified: …
    /// method.request.path.X") and the import or deployment fails. It is usually a typo or a
    /// parameter renamed in the path only.
    /// ## Fails
    /// ```yaml
    /// /pets/{petId}:
    ///   get:
    ///     x-amazon-apigateway-integration:
    ///       requestParameters:
    ///         integration.request.path.id: method.request.path.id
    /// ```
    /// ## Passes
    /// ```yaml
    /// /pets/{petId}:
    ///   get:
    ///     x-amazon-apigateway-integration:
    ///       requestParameters:
    ///         integration.request.path.id: method.request.path.petId
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
    pub MappingPathParameterUnknown { code: "APIGW306", name: "mapping-path-parameter-unknown", severity: Error }
}

impl Rule for MappingPathParameterUnknown {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for route in &api.routes {
            let (Some(path), Some(integration)) = (route.path(), route.integration.as_ref()) else {
                continue;
            };
            let templated = templated_names(path);
            for source in integration.request_parameters.values() {
                let Some(name) = source.value.trim().strip_prefix("method.request.path.") else {
                    continue;
                };
                let declared = route
                    .parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Path && p.name == name);
                if declared || templated.contains(&name) {
                    continue;
                }
                let known: Vec<String> = templated.iter().map(|n| format!("`{n}`")).collect();
                let pending = out.push(
                    Self::META,
                    &source.origin,
                    format!(
                        "`{}` reads path parameter `{name}`, but route `{}` has no such parameter",
                        source.value, route.key
                    ),
                );
                if known.is_empty() {
                    pending.help("map a parameter the path declares, or remove the mapping");
                } else {
                    pending.help(format!(
                        "the path declares {}; read one of those, or rename the path's parameter",
                        known.join(", ")
                    ));
                }
            }
        }
    }
}
