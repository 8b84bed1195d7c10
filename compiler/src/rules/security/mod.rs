//! `APIGW7xx`: security — authorization, API keys and usage plans, CORS with credentials, resource policies.

use crate::rules::Rule;

mod api_key_required_without_usage_plan;
mod backend_over_plain_http;
mod backend_tls_verification_skipped;
mod cors_credentials_with_wildcard_origin;
mod route_without_authorization;
mod stage_data_trace_enabled;

pub use api_key_required_without_usage_plan::ApiKeyRequiredWithoutUsagePlan;
pub use backend_over_plain_http::BackendOverPlainHttp;
pub use backend_tls_verification_skipped::BackendTlsVerificationSkipped;
pub use cors_credentials_with_wildcard_origin::CorsCredentialsWithWildcardOrigin;
pub use route_without_authorization::RouteWithoutAuthorization;
pub use stage_data_trace_enabled::StageDataTraceEnabled;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &RouteWithoutAuthorization,
    &ApiKeyRequiredWithoutUsagePlan,
    &CorsCredentialsWithWildcardOrigin,
    &BackendTlsVerificationSkipped,
    &BackendOverPlainHttp,
    &StageDataTraceEnabled,
];
