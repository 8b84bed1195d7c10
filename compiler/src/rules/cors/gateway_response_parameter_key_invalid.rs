use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A gateway response maps a parameter whose name is not `gatewayresponse.{header|path|querystring}.NAME`.
    /// ## Why
    /// A gateway response can set only its own headers, path and query string parameters, each
    /// named `gatewayresponse.header.NAME`, `gatewayresponse.path.NAME` or
    /// `gatewayresponse.querystring.NAME` (`PutGatewayResponse`). A key copied from a method
    /// (`method.response.header.X`) or written without its prefix (`Access-Control-Allow-Origin`)
    /// is refused by `PutGatewayResponse` and by the import with `Invalid parameter name`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses:
    ///   DEFAULT_4XX:
    ///     responseParameters:
    ///       method.response.header.Access-Control-Allow-Origin: "'*'"
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses:
    ///   DEFAULT_4XX:
    ///     responseParameters:
    ///       gatewayresponse.header.Access-Control-Allow-Origin: "'*'"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseParameters.html
    pub GatewayResponseParameterKeyInvalid { code: "APIGW508", name: "gateway-response-parameter-key-invalid", severity: Error }
}

fn valid_key(key: &str) -> bool {
    let Some(rest) = key.strip_prefix("gatewayresponse.") else {
        return false;
    };
    ["header.", "path.", "querystring."].iter().any(|location| {
        rest.strip_prefix(location).is_some_and(|name| {
            !name.is_empty() && !name.contains(|c: char| c.is_whitespace() || c == ':')
        })
    })
}

/// The key as `gatewayresponse.header.NAME` when `key` plainly names a header another way.
fn header_key(key: &str) -> Option<String> {
    let name = key
        .strip_prefix("method.response.header.")
        .or_else(|| key.strip_prefix("integration.response.header."))
        .or_else(|| key.strip_prefix("gatewayresponse.headers."))
        .unwrap_or(key);
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plain.then(|| format!("gatewayresponse.header.{name}"))
}

impl Rule for GatewayResponseParameterKeyInvalid {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for response in &api.gateway_responses {
            for (key, value) in &response.response_parameters {
                if key.contains("${") || valid_key(key) {
                    continue;
                }
                let help = match header_key(key) {
                    Some(fixed) => format!("name the header `{fixed}`"),
                    None => "name it `gatewayresponse.header.NAME` (or `.path.NAME`, `.querystring.NAME`)".to_owned(),
                };
                out.push(
                    Self::META,
                    &value.origin,
                    format!(
                        "`{}` maps `{key}`, which is not a gateway response parameter; API Gateway rejects it",
                        response.response_type
                    ),
                )
                .help(help);
            }
        }
    }
}
