use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, Spanned};
use crate::rules::Rule;
use indexmap::IndexMap;

declare_rule! {
    /// A REST response allows credentials together with the wildcard origin `*`.
    /// ## Why
    /// Browsers refuse a credentialed cross-origin response (cookies, `Authorization`) whose
    /// `Access-Control-Allow-Origin` is `*` (Fetch standard, CORS protocol): the page's request
    /// fails. The usual "fix" of reflecting any origin instead lets every site on the internet
    /// call the API with the user's credentials. Name the origin that may call the API. The rule
    /// checks REST integration responses and gateway responses that map both headers to `'*'` and
    /// `'true'`; an HTTP API's `x-amazon-apigateway-cors` that does the same is refused by API
    /// Gateway itself (APIGW501).
    /// ## Fails
    /// ```yaml
    /// responses:
    ///   default:
    ///     statusCode: "200"
    ///     responseParameters:
    ///       method.response.header.Access-Control-Allow-Origin: "'*'"
    ///       method.response.header.Access-Control-Allow-Credentials: "'true'"
    /// ```
    /// ## Passes
    /// ```yaml
    /// responses:
    ///   default:
    ///     statusCode: "200"
    ///     responseParameters:
    ///       method.response.header.Access-Control-Allow-Origin: "'https://app.example.com'"
    ///       method.response.header.Access-Control-Allow-Credentials: "'true'"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
    pub CorsCredentialsWithWildcardOrigin { code: "APIGW703", name: "cors-credentials-with-wildcard-origin", severity: Warning }
}

/// Header mappings of integration responses and of gateway responses, without their prefix.
const PREFIXES: &[&str] = &["method.response.header.", "gatewayresponse.header."];

/// The `Access-Control-Allow-Origin: '*'` mapping of a response that also maps
/// `Access-Control-Allow-Credentials: 'true'`.
fn wildcard_with_credentials(
    parameters: &IndexMap<String, Spanned<String>>,
) -> Option<&Spanned<String>> {
    let value = |header: &str| {
        parameters
            .iter()
            .find(|(key, _)| {
                let key = key.to_ascii_lowercase();
                PREFIXES
                    .iter()
                    .any(|prefix| key.strip_prefix(prefix) == Some(header))
            })
            .map(|(_, value)| value)
    };
    let origin = value("access-control-allow-origin")?;
    let credentials = value("access-control-allow-credentials")?;
    (origin.value.trim() == "'*'" && credentials.value.trim().eq_ignore_ascii_case("'true'"))
        .then_some(origin)
}

impl Rule for CorsCredentialsWithWildcardOrigin {
    fn check(&self, api: &Api, out: &mut Report) {
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
