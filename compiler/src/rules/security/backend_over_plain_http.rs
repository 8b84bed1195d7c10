use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, IntegrationType};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP integration calls its backend over plain `http://`.
    /// ## Why
    /// API Gateway sends the request to the URI as written. With `http://` the request (with any
    /// header mapped to the backend, such as `Authorization`) and the response travel unencrypted
    /// between AWS and the backend. Integrations over a VPC link stay inside the VPC and are left
    /// alone.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: http://orders.example.com/orders
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://orders.example.com/orders
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
    pub BackendOverPlainHttp { code: "APIGW705", name: "backend-over-plain-http", severity: Info }
}

impl Rule for BackendOverPlainHttp {
    fn check(&self, api: &Api, out: &mut Report) {
        for integration in api.integrations() {
            if !matches!(
                integration.kind,
                Some(IntegrationType::Http | IntegrationType::HttpProxy)
            ) {
                continue;
            }
            let private = integration
                .connection_type
                .as_ref()
                .is_some_and(|kind| kind.value.eq_ignore_ascii_case("VPC_LINK"));
            if private {
                continue;
            }
            let Some(uri) = &integration.uri else {
                continue;
            };
            let Some(text) = uri.value.known_text() else {
                continue;
            };
            let plain = text
                .get(..7)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
            if plain {
                out.push(
                    Self::META,
                    &uri.origin,
                    format!(
                        "the integration calls `{}` over plain HTTP: requests and responses cross the network unencrypted",
                        uri.value.display_text()
                    ),
                )
                .help("serve the backend over `https://`, or reach it through a VPC link");
            }
        }
    }
}
