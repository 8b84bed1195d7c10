//! `APIGW2xx`: authorizers — types, identity sources, TTL bounds, JWT configuration, Lambda authorizer URIs.

use crate::ir::{Api, SourceFormat};
use crate::rules::Rule;

mod authorizer_payload_format_version_invalid;
mod authorizer_payload_format_version_missing;
mod authorizer_ttl_out_of_range;
mod authorizer_type_wrong_api_kind;
mod authorizer_uri_not_invocation_path;
mod caching_authorizer_without_identity_source;
mod cognito_authorizer_without_provider_arns;
mod cognito_provider_arn_malformed;
mod identity_source_not_single_header;
mod identity_source_wrong_syntax;
mod identity_validation_expression_ignored;
mod jwt_audience_count_exceeded;
mod jwt_authorizer_incomplete;
mod lambda_authorizer_without_uri;
mod simple_responses_need_payload_2;

pub use authorizer_payload_format_version_invalid::AuthorizerPayloadFormatVersionInvalid;
pub use authorizer_payload_format_version_missing::AuthorizerPayloadFormatVersionMissing;
pub use authorizer_ttl_out_of_range::AuthorizerTtlOutOfRange;
pub use authorizer_type_wrong_api_kind::AuthorizerTypeWrongApiKind;
pub use authorizer_uri_not_invocation_path::AuthorizerUriNotInvocationPath;
pub use caching_authorizer_without_identity_source::CachingAuthorizerWithoutIdentitySource;
pub use cognito_authorizer_without_provider_arns::CognitoAuthorizerWithoutProviderArns;
pub use cognito_provider_arn_malformed::CognitoProviderArnMalformed;
pub use identity_source_not_single_header::IdentitySourceNotSingleHeader;
pub use identity_source_wrong_syntax::IdentitySourceWrongSyntax;
pub use identity_validation_expression_ignored::IdentityValidationExpressionIgnored;
pub use jwt_audience_count_exceeded::JwtAudienceCountExceeded;
pub use jwt_authorizer_incomplete::JwtAuthorizerIncomplete;
pub use lambda_authorizer_without_uri::LambdaAuthorizerWithoutUri;
pub use simple_responses_need_payload_2::SimpleResponsesNeedPayload2;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &AuthorizerTypeWrongApiKind,
    &AuthorizerTtlOutOfRange,
    &IdentitySourceWrongSyntax,
    &IdentitySourceNotSingleHeader,
    &JwtAuthorizerIncomplete,
    &JwtAudienceCountExceeded,
    &CognitoAuthorizerWithoutProviderArns,
    &CognitoProviderArnMalformed,
    &LambdaAuthorizerWithoutUri,
    &AuthorizerUriNotInvocationPath,
    &IdentityValidationExpressionIgnored,
    &SimpleResponsesNeedPayload2,
    &AuthorizerPayloadFormatVersionMissing,
    &AuthorizerPayloadFormatVersionInvalid,
    &CachingAuthorizerWithoutIdentitySource,
];

/// Whether the API's kind is declared by a template resource rather than inferred from what a
/// standalone document uses (a DSL file converted from such a document carries the guess).
pub(crate) fn kind_declared(api: &Api) -> bool {
    api.logical_id.is_some() || api.format == Some(SourceFormat::Template)
}
