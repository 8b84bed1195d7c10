use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, IntegrationType};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP integration skips verifying the backend's TLS certificate.
    /// ## Why
    /// `tlsConfig.insecureSkipVerification: true` makes API Gateway accept any certificate from
    /// the backend, expired, self-signed or issued for another host, so anyone who can intercept
    /// the connection can read and change every request and response. API Gateway honours it on
    /// REST `http` and `http_proxy` integrations only.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://orders.example.com/orders
    ///   tlsConfig: {insecureSkipVerification: true}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://orders.example.com/orders
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integration-tls-config.html
    pub BackendTlsVerificationSkipped { code: "APIGW704", name: "backend-tls-verification-skipped", severity: Warning }
}

impl Rule for BackendTlsVerificationSkipped {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for integration in api.integrations() {
            if !matches!(
                integration.kind,
                Some(IntegrationType::Http | IntegrationType::HttpProxy)
            ) {
                continue;
            }
            let skipped = integration
                .tls_config
                .as_ref()
                .and_then(|tls| tls.insecure_skip_verification)
                == Some(true);
            if skipped {
                let uri = integration.uri.as_ref().map_or_else(String::new, |uri| {
                    format!(" to `{}`", uri.value.display_text())
                });
                out.push(
                    Self::META,
                    &integration.origin,
                    format!("the integration{uri} sets `insecureSkipVerification: true`: API Gateway accepts any certificate from the backend"),
                )
                .help("give the backend a certificate from a public CA and remove `insecureSkipVerification`");
            }
        }
    }
}
