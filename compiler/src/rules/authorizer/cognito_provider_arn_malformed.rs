use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A Cognito authorizer's provider ARN is not a user pool ARN.
    /// ## Why
    /// `providerARNs` lists Cognito user pools as
    /// `arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`. A pool id alone
    /// (`us-east-1_abc`), a pool's URL or a client id is refused by `CreateAuthorizer`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: cognito_user_pools
    ///   providerARNs: [us-east-1_abc]
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: cognito_user_pools
    ///   providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
    pub CognitoProviderArnMalformed { code: "APIGW208", name: "cognito-provider-arn-malformed", severity: Error }
}

/// Whether `text` has the shape of a user pool ARN.
fn is_user_pool_arn(text: &str) -> bool {
    let mut fields = text.splitn(6, ':');
    let (Some("arn"), Some(_), Some("cognito-idp"), Some(region), Some(account), Some(resource)) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return false;
    };
    !region.is_empty()
        && !account.is_empty()
        && resource
            .strip_prefix("userpool/")
            .is_some_and(|id| !id.is_empty())
}

impl Rule for CognitoProviderArnMalformed {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            if authorizer.kind != Some(AuthorizerKind::CognitoUserPools) {
                continue;
            }
            for arn in &authorizer.provider_arns {
                let Some(text) = arn.value.as_literal() else {
                    continue;
                };
                if !is_user_pool_arn(text) {
                    out.push(
                        Self::META,
                        &arn.origin,
                        format!("`{text}` is not a Cognito user pool ARN"),
                    )
                    .help("write `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`");
                }
            }
        }
    }
}
