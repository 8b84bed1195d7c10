//! `APIGW6xx`: service quotas — resources, routes, stage names, variables, timeouts, payload sizes.

use crate::rules::Rule;

mod access_log_format_too_large;
mod api_key_value_length_out_of_range;
mod authorizers_over_quota;
mod cache_ttl_out_of_range;
mod minimum_compression_size_out_of_range;
mod resource_policy_too_large;
mod rest_resources_over_quota;
mod routes_over_quota;
mod stage_name_invalid;
mod stage_variable_name_invalid;
mod stage_variable_value_invalid;
mod stage_variables_over_quota;
mod stages_over_quota;
mod tag_limit_exceeded;
mod throttle_limit_negative;
mod usage_plan_quota_negative;

pub use access_log_format_too_large::AccessLogFormatTooLarge;
pub use api_key_value_length_out_of_range::ApiKeyValueLengthOutOfRange;
pub use authorizers_over_quota::AuthorizersOverQuota;
pub use cache_ttl_out_of_range::CacheTtlOutOfRange;
pub use minimum_compression_size_out_of_range::MinimumCompressionSizeOutOfRange;
pub use resource_policy_too_large::ResourcePolicyTooLarge;
pub use rest_resources_over_quota::RestResourcesOverQuota;
pub use routes_over_quota::RoutesOverQuota;
pub use stage_name_invalid::StageNameInvalid;
pub use stage_variable_name_invalid::StageVariableNameInvalid;
pub use stage_variable_value_invalid::StageVariableValueInvalid;
pub use stage_variables_over_quota::StageVariablesOverQuota;
pub use stages_over_quota::StagesOverQuota;
pub use tag_limit_exceeded::TagLimitExceeded;
pub use throttle_limit_negative::ThrottleLimitNegative;
pub use usage_plan_quota_negative::UsagePlanQuotaNegative;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &RestResourcesOverQuota,
    &RoutesOverQuota,
    &AuthorizersOverQuota,
    &StagesOverQuota,
    &StageNameInvalid,
    &StageVariableNameInvalid,
    &StageVariableValueInvalid,
    &StageVariablesOverQuota,
    &ApiKeyValueLengthOutOfRange,
    &ThrottleLimitNegative,
    &UsagePlanQuotaNegative,
    &TagLimitExceeded,
    &MinimumCompressionSizeOutOfRange,
    &CacheTtlOutOfRange,
    &ResourcePolicyTooLarge,
    &AccessLogFormatTooLarge,
];
