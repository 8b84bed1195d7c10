use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, SourceFormat, Spanned};
use crate::rules::Rule;

declare_rule! {
    /// `x-amazon-apigateway-request-validator` names a validator that is not declared.
    /// ## Why
    /// The root or an operation's `x-amazon-apigateway-request-validator` must name an entry of
    /// `x-amazon-apigateway-request-validators`. API Gateway's API rejects an unknown validator
    /// ("Invalid Request Validator identifier specified"); the importer, which passes warnings by
    /// default, leaves the method without a validator, so requests the spec means to reject reach
    /// the integration. Deployed specs do this, so it is a warning. The DSL reports its own.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-request-validators:
    ///   body: {validateRequestBody: true, validateRequestParameters: false}
    /// x-amazon-apigateway-request-validator: all
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-request-validators:
    ///   body: {validateRequestBody: true, validateRequestParameters: false}
    /// x-amazon-apigateway-request-validator: body
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validator.html
    pub RequestValidatorUndefined { code: "APIGW401", name: "request-validator-undefined", severity: Warning }
}

impl Rule for RequestValidatorUndefined {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest || api.format == Some(SourceFormat::Dsl) {
            return;
        }
        let named = api.default_request_validator.iter().chain(
            api.routes
                .iter()
                .filter_map(|route| route.request_validator.as_ref()),
        );
        let mut seen: Vec<&Spanned<String>> = Vec::new();
        for name in named {
            if api.request_validators.iter().any(|v| v.name == name.value) {
                continue;
            }
            if seen.iter().any(|s| {
                s.origin.file == name.origin.file && s.origin.pointer == name.origin.pointer
            }) {
                continue;
            }
            seen.push(name);
            let declared: Vec<String> = api
                .request_validators
                .iter()
                .map(|v| format!("`{}`", v.name))
                .collect();
            let pending = out.push(
                Self::META,
                &name.origin,
                format!(
                    "request validator `{}` is not declared in `x-amazon-apigateway-request-validators`, so requests are not validated",
                    name.value
                ),
            );
            if declared.is_empty() {
                pending.help(format!(
                    "declare it: `x-amazon-apigateway-request-validators: {{{}: {{validateRequestBody: true, validateRequestParameters: true}}}}`",
                    name.value
                ));
            } else {
                pending.help(format!(
                    "name one of the declared validators: {}",
                    declared.join(", ")
                ));
            }
        }
    }
}
