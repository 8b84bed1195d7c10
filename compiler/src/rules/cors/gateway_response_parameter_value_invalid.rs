use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A gateway response parameter's value is neither a quoted literal nor a mapping expression.
    /// ## Why
    /// A gateway response parameter takes a static value in single quotes (`"'*'"`) or a mapping
    /// expression: `method.request.header|path|querystring|multivalueheader|multivaluequerystring.NAME`,
    /// `stageVariables.NAME` or `context.NAME`. Anything else (`"*"`, `https://app.example.com`,
    /// `$context.requestId`, an empty string) is refused by `PutGatewayResponse` and the import
    /// (`Invalid mapping expression specified`, `Invalid null or empty value in
    /// responseParameters`). The usual slip is a literal without its inner quotes.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses:
    ///   DEFAULT_4XX:
    ///     responseParameters:
    ///       gatewayresponse.header.Access-Control-Allow-Origin: "*"
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
    pub GatewayResponseParameterValueInvalid { code: "APIGW509", name: "gateway-response-parameter-value-invalid", severity: Error }
}

const EXPRESSION_PREFIXES: &[&str] = &[
    "method.request.header.",
    "method.request.path.",
    "method.request.querystring.",
    "method.request.multivalueheader.",
    "method.request.multivaluequerystring.",
    "stageVariables.",
    "context.",
];

fn valid_value(value: &str) -> bool {
    let quoted = value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'');
    quoted
        || EXPRESSION_PREFIXES.iter().any(|prefix| {
            value
                .strip_prefix(prefix)
                .is_some_and(|name| !name.is_empty())
        })
}

/// Whether the value reads as an attempt at a mapping expression rather than a literal.
fn looks_like_expression(value: &str) -> bool {
    value.contains('$')
        || value.contains('\'')
        || ["method.", "integration.", "context", "stageVariables"]
            .iter()
            .any(|prefix| value.starts_with(prefix))
}

impl Rule for GatewayResponseParameterValueInvalid {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for response in &api.gateway_responses {
            for (key, value) in &response.response_parameters {
                let text = value.value.as_str();
                if text.contains("${") || valid_value(text) {
                    continue;
                }
                if text.trim().is_empty() {
                    out.push(
                        Self::META,
                        &value.origin,
                        format!(
                            "`{}` maps `{key}` to an empty value; API Gateway rejects it",
                            response.response_type
                        ),
                    )
                    .help("give a static value in single quotes (`\"'*'\"`), or remove the entry");
                    continue;
                }
                let pending = out.push(
                    Self::META,
                    &value.origin,
                    format!(
                        "`{}` maps `{key}` to `{text}`, which is neither a quoted literal nor a mapping expression; API Gateway rejects it",
                        response.response_type
                    ),
                );
                if looks_like_expression(text) {
                    pending.help("write a mapping expression without `$` (`context.requestId`, `method.request.header.Origin`), or a literal in single quotes");
                } else {
                    let quoted = format!("'{text}'");
                    pending
                        .help(format!(
                            "a static value goes in single quotes: `\"{quoted}\"`"
                        ))
                        .fix(
                            format!("quote the value as `{quoted}`"),
                            &value.origin,
                            quoted,
                        );
                }
            }
        }
    }
}
