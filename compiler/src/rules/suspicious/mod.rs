//! `APIGW8xx`: likely bugs — unused definitions, settings that cannot take effect.

use crate::rules::Rule;

mod duplicate_operation_id;
mod integration_response_without_method_response;
mod integration_responses_share_status;
mod undefined_stage_variable;
mod unused_authorizer;
mod unused_model;
mod unused_request_validator;
mod unused_shared_integration;

pub use duplicate_operation_id::DuplicateOperationId;
pub use integration_response_without_method_response::IntegrationResponseWithoutMethodResponse;
pub use integration_responses_share_status::IntegrationResponsesShareStatus;
pub use undefined_stage_variable::UndefinedStageVariable;
pub use unused_authorizer::UnusedAuthorizer;
pub use unused_model::UnusedModel;
pub use unused_request_validator::UnusedRequestValidator;
pub use unused_shared_integration::UnusedSharedIntegration;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &UnusedModel,
    &UnusedAuthorizer,
    &UnusedRequestValidator,
    &UnusedSharedIntegration,
    &DuplicateOperationId,
    &IntegrationResponseWithoutMethodResponse,
    &IntegrationResponsesShareStatus,
    &UndefinedStageVariable,
];
