use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A request validator is defined but neither the document root nor any route selects it.
    /// ## Why
    /// `x-amazon-apigateway-request-validators` only declares validators; API Gateway validates
    /// a request only when `x-amazon-apigateway-request-validator` names one, at the document
    /// root (for every method) or on an operation. A validator nobody selects validates nothing,
    /// and requests with a bad body or missing parameters reach the backend.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-request-validators:
    ///   all: {validateRequestBody: true, validateRequestParameters: true}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-request-validators:
    ///   all: {validateRequestBody: true, validateRequestParameters: true}
    /// x-amazon-apigateway-request-validator: all
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html
    pub UnusedRequestValidator { code: "APIGW803", name: "unused-request-validator", severity: Warning }
}

impl Rule for UnusedRequestValidator {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        let selected = |name: &str| {
            api.default_request_validator
                .as_ref()
                .is_some_and(|it| it.value == name)
                || api.routes.iter().any(|route| {
                    route
                        .request_validator
                        .as_ref()
                        .is_some_and(|it| it.value == name)
                })
        };
        for validator in &api.request_validators {
            if validator.name.trim().is_empty() || selected(&validator.name) {
                continue;
            }
            out.push(
                Self::META,
                &validator.origin,
                format!(
                    "request validator `{}` is defined but nothing selects it, so it validates no request",
                    validator.name
                ),
            )
            .help("select it with `x-amazon-apigateway-request-validator` at the document root or on the operations it should check, or remove it");
        }
    }
}
