use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP API declares or names request validators, which only REST APIs have.
    /// ## Why
    /// `x-amazon-apigateway-request-validators` and `x-amazon-apigateway-request-validator` are
    /// REST API extensions. HTTP APIs do not validate requests; their importer ignores both, so
    /// requests that the spec means to reject reach the integration.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-request-validator: all
    /// ```
    /// ## Passes
    /// ```yaml
    /// # validate in the function, or use a REST API
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
    pub RequestValidatorOnHttpApi { code: "APIGW402", name: "request-validator-on-http-api", severity: Warning }
}

impl Rule for RequestValidatorOnHttpApi {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        let help = "validate requests in the integration, or make this a REST API; remove the validator extensions";
        for validator in &api.request_validators {
            out.push(
                Self::META,
                &validator.origin,
                format!(
                    "request validator `{}` is ignored: HTTP APIs do not validate requests",
                    validator.name
                ),
            )
            .help(help);
        }
        let named = api.default_request_validator.iter().chain(
            api.routes
                .iter()
                .filter_map(|route| route.request_validator.as_ref()),
        );
        for name in named {
            out.push(
                Self::META,
                &name.origin,
                format!("`x-amazon-apigateway-request-validator: {}` is ignored: HTTP APIs do not validate requests", name.value),
            )
            .help(help);
        }
    }
}
