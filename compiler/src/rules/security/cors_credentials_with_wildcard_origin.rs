use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, Spanned};
use crate::rules::Rule;
use indexmap::IndexMap;

declare_rule! {
    /// CORS allows credentials together with the wildcard origin `*`.
    /// ## Why
    /// Browsers refuse a credentialed cross-origin response (cookies, `Authorization`) whose
    /// `Access-Control-Allow-Origin` is `*` (Fetch standard, CORS protocol): the page's request
    /// fails. The usual "fix" of reflecting any origin instead lets every site on the internet
    /// call the API with the user's credentials. Name the origins that may call the API. The rule
    /// checks an HTTP API's `x-amazon-apigateway-cors` and, on REST APIs, integration and gateway
    /// responses that set both headers to `'*'` and `'true'`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["*"]
    ///   allowCredentials: true
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com"]
    ///   allowCredentials: true
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
    pub CorsCredentialsWithWildcardOrigin { code: "APIGW703", name: "cors-credentials-with-wildcard-origin", severity: Warning }
}

const ORIGIN_HEADER: &str = "method.response.header.access-control-allow-origin";
const CREDENTIALS_HEADER: &str = "method.response.header.access-control-allow-credentials";

/// The `Access-Control-Allow-Origin: '*'` mapping of a response that also maps
/// `Access-Control-Allow-Credentials: 'true'`.
fn wildcard_with_credentials(
    parameters: &IndexMap<String, Spanned<String>>,
) -> Option<&Spanned<String>> {
    let value = |header: &str| {
        parameters
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(header))
            .map(|(_, value)| value)
    };
    let origin = value(ORIGIN_HEADER)?;
    let credentials = value(CREDENTIALS_HEADER)?;
    (origin.value.trim() == "'*'" && credentials.value.trim().eq_ignore_ascii_case("'true'"))
        .then_some(origin)
}

impl Rule for CorsCredentialsWithWildcardOrigin {
    fn check(&self, api: &Api, out: &mut Report) {
        if let Some(cors) = &api.cors {
            if api.kind == ApiKind::Http
                && cors.allow_credentials == Some(true)
                && cors.allow_origins.iter().any(|origin| origin.trim() == "*")
            {
                out.push(
                    Self::META,
                    &cors.origin,
                    "CORS allows credentials for the origin `*`; browsers reject credentialed responses whose `Access-Control-Allow-Origin` is `*`",
                )
                .help("list the origins that may call the API in `allowOrigins`, or set `allowCredentials: false`");
            }
        }
        if api.kind != ApiKind::Rest {
            return;
        }
        let responses = api
            .integrations()
            .flat_map(|integration| integration.responses.iter())
            .map(|response| &response.response_parameters)
            .chain(
                api.gateway_responses
                    .iter()
                    .map(|response| &response.response_parameters),
            );
        for parameters in responses {
            if let Some(origin) = wildcard_with_credentials(parameters) {
                out.push(
                    Self::META,
                    &origin.origin,
                    "the response sets `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`; browsers reject credentialed responses whose origin is `*`",
                )
                .help("map `Access-Control-Allow-Origin` to the one origin that may call the API, or drop `Access-Control-Allow-Credentials`");
            }
        }
    }
}
