//! `APIGW5xx`: CORS, gateway responses and binary media types.

use crate::ir::{Api, Route};
use crate::rules::Rule;

mod binary_media_type_escaped;
mod binary_media_type_malformed;
mod binary_media_types_on_http_api;
mod cors_allow_method_unknown;
mod cors_credentials_with_any_origin;
mod cors_header_undeclared;
mod cors_max_age_out_of_range;
mod cors_origin_malformed;
mod cors_preflight_missing;
mod gateway_response_cors_missing;
mod gateway_response_parameter_key_invalid;
mod gateway_response_parameter_value_invalid;
mod gateway_responses_on_http_api;

pub use binary_media_type_escaped::BinaryMediaTypeEscaped;
pub use binary_media_type_malformed::BinaryMediaTypeMalformed;
pub use binary_media_types_on_http_api::BinaryMediaTypesOnHttpApi;
pub use cors_allow_method_unknown::CorsAllowMethodUnknown;
pub use cors_credentials_with_any_origin::CorsCredentialsWithAnyOrigin;
pub use cors_header_undeclared::CorsHeaderUndeclared;
pub use cors_max_age_out_of_range::CorsMaxAgeOutOfRange;
pub use cors_origin_malformed::CorsOriginMalformed;
pub use cors_preflight_missing::CorsPreflightMissing;
pub use gateway_response_cors_missing::GatewayResponseCorsMissing;
pub use gateway_response_parameter_key_invalid::GatewayResponseParameterKeyInvalid;
pub use gateway_response_parameter_value_invalid::GatewayResponseParameterValueInvalid;
pub use gateway_responses_on_http_api::GatewayResponsesOnHttpApi;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &CorsCredentialsWithAnyOrigin,
    &CorsMaxAgeOutOfRange,
    &CorsAllowMethodUnknown,
    &CorsOriginMalformed,
    &CorsHeaderUndeclared,
    &CorsPreflightMissing,
    &GatewayResponseCorsMissing,
    &GatewayResponseParameterKeyInvalid,
    &GatewayResponseParameterValueInvalid,
    &BinaryMediaTypeEscaped,
    &BinaryMediaTypeMalformed,
    &GatewayResponsesOnHttpApi,
    &BinaryMediaTypesOnHttpApi,
];

/// Whether `header` is one of the CORS response headers (`Access-Control-Allow-Origin` …).
fn is_cors_header(header: &str) -> bool {
    header
        .get(..15)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("Access-Control-"))
}

/// Whether the route visibly answers with `Access-Control-Allow-Origin`: an integration
/// response maps it, or a method response declares it.
fn route_sends_allow_origin(route: &Route) -> bool {
    let mapped = route.integration.iter().any(|integration| {
        integration.responses.iter().any(|response| {
            response.response_parameters.keys().any(|key| {
                key.strip_prefix("method.response.header.")
                    .is_some_and(|header| {
                        header.eq_ignore_ascii_case("Access-Control-Allow-Origin")
                    })
            })
        })
    });
    mapped
        || route.responses.iter().any(|response| {
            response
                .headers
                .keys()
                .any(|header| header.eq_ignore_ascii_case("Access-Control-Allow-Origin"))
        })
}

/// Whether any route requires a caller identity (an authorizer, IAM or an API key), so that
/// API Gateway itself answers unauthenticated browser calls with 401/403.
fn any_route_authorized(api: &Api) -> bool {
    api.routes.iter().any(|route| {
        let iam = route
            .auth_type
            .as_ref()
            .is_some_and(|auth| auth.value.eq_ignore_ascii_case("AWS_IAM"));
        iam || api.effective_security(route).is_some_and(|requirements| {
            requirements
                .iter()
                .any(|requirement| !requirement.schemes.is_empty())
        })
    })
}
