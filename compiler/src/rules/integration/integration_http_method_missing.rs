use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, IntegrationType};
use crate::rules::{self, Rule};

declare_rule! {
    /// A REST integration that calls a backend has no `httpMethod`.
    /// ## Why
    /// API Gateway needs the method it calls the backend with for every integration type but
    /// `MOCK`: `PutIntegration` answers `Enumeration value for HttpMethod must be non-empty` for
    /// `HTTP`, `HTTP_PROXY` and `AWS` integrations without one, and CloudFormation requires
    /// `IntegrationHttpMethod` for every type but `MOCK`. A Lambda integration uses `POST`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http
    ///   uri: https://pets.example.com/pets
    ///   responses:
    ///     default: {statusCode: "200"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http
    ///   httpMethod: GET
    ///   uri: https://pets.example.com/pets
    ///   responses:
    ///     default: {statusCode: "200"}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html
    pub IntegrationHttpMethodMissing { code: "APIGW103", name: "integration-http-method-missing", severity: Error }
}

impl Rule for IntegrationHttpMethodMissing {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for integration in api.integrations() {
            let Some(kind) = integration.kind else {
                continue;
            };
            if kind == IntegrationType::Mock || integration.http_method.is_some() {
                continue;
            }
            let help = if rules::surely_lambda(integration) {
                "set `httpMethod: POST`: Lambda is invoked with POST whatever the route's method"
            } else {
                "set `httpMethod` to the method the backend expects (GET, POST …)"
            };
            out.push(
                Self::META,
                &integration.origin,
                format!(
                    "`{}` integration has no `httpMethod`; API Gateway requires one for every type but `mock`",
                    kind.as_str().to_ascii_lowercase()
                ),
            )
            .help(help);
        }
    }
}
