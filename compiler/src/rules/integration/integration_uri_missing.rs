use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, IntegrationType};
use crate::rules::Rule;

declare_rule! {
    /// An integration that calls a backend has no `uri`.
    /// ## Why
    /// `AWS`, `AWS_PROXY`, `HTTP` and `HTTP_PROXY` integrations name their backend in `uri`:
    /// a Lambda invocation URI or AWS service ARN, or an `http(s)://` URL. API Gateway's
    /// `PutIntegration` (and CloudFormation's `AWS::ApiGateway::Method`) refuses such an
    /// integration without one. Only `MOCK` integrations, and HTTP API `AWS_PROXY` integrations
    /// with an `integrationSubtype` (an AWS service action), have no URI.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: GET
    ///   uri: https://pets.example.com/pets
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
    pub IntegrationUriMissing { code: "APIGW102", name: "integration-uri-missing", severity: Error }
}

impl Rule for IntegrationUriMissing {
    fn check(&self, api: &Api, out: &mut Report) {
        for integration in api.integrations() {
            let Some(kind) = integration.kind else {
                continue;
            };
            // An integration with neither `uri` nor `httpMethod` is left alone: its `uri` may
            // be there in a shape the front end already reported.
            if kind == IntegrationType::Mock
                || integration.uri.is_some()
                || integration.http_method.is_none()
            {
                continue;
            }
            if api.kind == ApiKind::Http
                && kind == IntegrationType::AwsProxy
                && integration.integration_subtype.is_some()
            {
                continue;
            }
            let wants = match kind {
                IntegrationType::Http | IntegrationType::HttpProxy => "the backend's URL",
                _ => "a Lambda invocation URI or an AWS service ARN",
            };
            out.push(
                Self::META,
                &integration.origin,
                format!(
                    "`{}` integration has no `uri`",
                    kind.as_str().to_ascii_lowercase()
                ),
            )
            .help(format!("set `uri` to {wants}"));
        }
    }
}
