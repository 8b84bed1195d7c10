use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP or WebSocket API defines gateway responses, which only REST APIs have.
    /// ## Why
    /// Gateway responses (`x-amazon-apigateway-gateway-responses`, `AWS::ApiGateway::GatewayResponse`)
    /// customise the answers API Gateway gives itself — 401, 403, 429, 5xx — and exist for REST
    /// APIs only. The HTTP API importer ignores the extension, so the customised bodies and
    /// headers (often the CORS headers) are never sent. HTTP APIs configure CORS with
    /// `x-amazon-apigateway-cors` instead.
    /// ## Fails
    /// ```yaml
    /// openapi: 3.0.1
    /// x-amazon-apigateway-cors: {allowOrigins: ["https://app.example.com"]}
    /// x-amazon-apigateway-gateway-responses:
    ///   DEFAULT_4XX: {responseTemplates: {application/json: '{"message": "no"}'}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// openapi: 3.0.1
    /// x-amazon-apigateway-cors: {allowOrigins: ["https://app.example.com"]}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
    pub GatewayResponsesOnHttpApi { code: "APIGW512", name: "gateway-responses-on-http-api", severity: Warning }
}

impl Rule for GatewayResponsesOnHttpApi {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Rest {
            return;
        }
        let kind = if api.kind == ApiKind::Http {
            "HTTP"
        } else {
            "WebSocket"
        };
        for response in &api.gateway_responses {
            out.push(
                Self::META,
                &response.origin,
                format!(
                    "gateway response `{}` has no effect: {kind} APIs have no gateway responses",
                    response.response_type
                ),
            )
            .help("remove it; for CORS on errors, HTTP APIs use `x-amazon-apigateway-cors`");
        }
    }
}
