//! `APIGW4xx`: models, request validation and mapping templates.

use crate::ir::{Api, ApiKind, Spanned};
use crate::rules::Rule;

mod mapping_template_unbalanced_directives;
mod mapping_template_unclosed_call;
mod model_name_not_alphanumeric;
mod request_validator_on_http_api;
mod request_validator_undefined;

pub use mapping_template_unbalanced_directives::MappingTemplateUnbalancedDirectives;
pub use mapping_template_unclosed_call::MappingTemplateUnclosedCall;
pub use model_name_not_alphanumeric::ModelNameNotAlphanumeric;
pub use request_validator_on_http_api::RequestValidatorOnHttpApi;
pub use request_validator_undefined::RequestValidatorUndefined;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &RequestValidatorUndefined,
    &RequestValidatorOnHttpApi,
    &ModelNameNotAlphanumeric,
    &MappingTemplateUnbalancedDirectives,
    &MappingTemplateUnclosedCall,
];

/// Every VTL mapping template of a REST or WebSocket API, with its content type: integration
/// request and response templates and gateway response templates. HTTP APIs have none.
pub(super) fn templates(api: &Api) -> Vec<(&str, &Spanned<String>)> {
    let mut out = Vec::new();
    if api.kind == ApiKind::Http {
        return out;
    }
    for integration in api.integrations() {
        out.extend(
            integration
                .request_templates
                .iter()
                .map(|(k, v)| (k.as_str(), v)),
        );
        for response in &integration.responses {
            out.extend(
                response
                    .response_templates
                    .iter()
                    .map(|(k, v)| (k.as_str(), v)),
            );
        }
    }
    for response in &api.gateway_responses {
        out.extend(
            response
                .response_templates
                .iter()
                .map(|(k, v)| (k.as_str(), v)),
        );
    }
    out
}

/// A template with its VTL comments (`## …` to the end of the line, `#* … *#`) blanked out,
/// so that directives and calls inside them are not read.
pub(super) fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("##") {
            let end = after.find('\n').unwrap_or(after.len());
            rest = after.get(end..).unwrap_or_default();
            out.push(' ');
        } else if let Some(after) = rest.strip_prefix("#*") {
            let end = after.find("*#").map_or(after.len(), |end| end + 2);
            rest = after.get(end..).unwrap_or_default();
            out.push(' ');
        } else {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        }
    }
    out
}
