use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A Cognito user pool authorizer names no user pool.
    /// ## Why
    /// A REST `cognito_user_pools` authorizer checks tokens against the user pools listed in
    /// `providerARNs` (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`). API Gateway
    /// requires at least one (`ProviderARNs` of `CreateAuthorizer` is required for
    /// `COGNITO_USER_POOLS`).
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: cognito_user_pools
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: cognito_user_pools
    ///   providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
    pub CognitoAuthorizerWithoutProviderArns { code: "APIGW207", name: "cognito-authorizer-without-provider-arns", severity: Error }
}

impl Rule for CognitoAuthorizerWithoutProviderArns {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for authorizer in &api.authorizers {
            if authorizer.kind == Some(AuthorizerKind::CognitoUserPools)
                && authorizer.provider_arns.is_empty()
            {
                let at = authorizer
                    .kind_text
                    .as_ref()
                    .map_or(&authorizer.origin, |text| &text.origin);
                out.push(
                    Self::META,
                    at,
                    format!("Cognito authorizer `{}` has no `providerARNs`", authorizer.name),
                )
                .help("list the user pool: `providerARNs: [arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID]`");
            }
        }
    }
}
