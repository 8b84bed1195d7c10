use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// `identityValidationExpression` is set on an HTTP API authorizer, which never uses it.
    /// ## Why
    /// The validation expression is a regex API Gateway matches against the incoming token
    /// before it calls a REST `token` authorizer (and, per the API reference, against a
    /// Cognito token's `aud`). HTTP APIs have neither and ignore it on their `request` and
    /// `jwt` authorizers, so the check it was meant to make never happens.
    /// ## Fails
    /// ```yaml
    /// # in an HTTP API
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   identitySource: $request.header.Authorization
    ///   authorizerPayloadFormatVersion: "2.0"
    ///   identityValidationExpression: "^Bearer [-0-9a-zA-Z._]*$"
    /// ```
    /// ## Passes
    /// ```yaml
    /// # in a REST API
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   identityValidationExpression: "^Bearer [-0-9a-zA-Z._]*$"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
    pub IdentityValidationExpressionIgnored { code: "APIGW211", name: "identity-validation-expression-ignored", severity: Warning }
}

impl Rule for IdentityValidationExpressionIgnored {
    fn check(&self, api: &Api, out: &mut Report) {
        // REST request authorizers are left alone: the API reference is unclear on them.
        if api.kind != ApiKind::Http {
            return;
        }
        for authorizer in &api.authorizers {
            let Some(expression) = &authorizer.identity_validation_expression else {
                continue;
            };
            let what = match authorizer.kind {
                Some(AuthorizerKind::Request) => "a request authorizer",
                Some(AuthorizerKind::Jwt) => "a JWT authorizer",
                _ => continue,
            };
            out.push(
                Self::META,
                &expression.origin,
                format!(
                    "`identityValidationExpression` of `{}` is ignored: {what} does not validate the identity with a regex",
                    authorizer.name
                ),
            )
            .help("check the identity inside the authorizer function, or remove the expression");
        }
    }
}
