use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind, SourceFormat};
use crate::rules::Rule;

declare_rule! {
    /// An authorizer's type does not exist in this kind of API.
    /// ## Why
    /// REST APIs have `token`, `request` and `cognito_user_pools` authorizers; HTTP APIs have
    /// `request` and `jwt`; WebSocket APIs only `request`. API Gateway refuses any other type
    /// (`AuthorizerType` of `CreateAuthorizer` in each API). A Cognito user pool guards an HTTP
    /// API through a `jwt` authorizer whose issuer is the pool. The rule judges APIs whose kind
    /// a template declares (`AWS::Serverless::HttpApi`, `AWS::ApiGateway::RestApi` …); a
    /// standalone document's kind is inferred from what it uses.
    /// ## Fails
    /// ```yaml
    /// # in an HTTP API
    /// x-amazon-apigateway-authorizer:
    ///   type: cognito_user_pools
    ///   providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc]
    /// ```
    /// ## Passes
    /// ```yaml
    /// # in an HTTP API
    /// x-amazon-apigateway-authorizer:
    ///   type: jwt
    ///   identitySource: $request.header.Authorization
    ///   jwtConfiguration:
    ///     issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
    ///     audience: [my-client-id]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
    pub AuthorizerTypeWrongApiKind { code: "APIGW201", name: "authorizer-type-wrong-api-kind", severity: Error }
}

impl Rule for AuthorizerTypeWrongApiKind {
    fn check(&self, api: &Api, out: &mut Report) {
        // The DSL reports the type where it is written. A standalone OpenAPI document does not
        // say what kind of API it is: its kind is inferred from its contents, the authorizer
        // types among them, so only an API whose kind a template declares is judged.
        if api.format == Some(SourceFormat::Dsl) || api.logical_id.is_none() {
            return;
        }
        for authorizer in &api.authorizers {
            let (Some(kind), Some(text)) = (authorizer.kind, &authorizer.kind_text) else {
                continue;
            };
            let (allowed, help) = match api.kind {
                ApiKind::Rest => (
                    !matches!(kind, AuthorizerKind::Jwt),
                    "REST APIs take token, request or cognito_user_pools authorizers; validate JWTs with a cognito_user_pools or a Lambda authorizer",
                ),
                ApiKind::Http => (
                    !matches!(kind, AuthorizerKind::Token | AuthorizerKind::CognitoUserPools),
                    "HTTP APIs take request or jwt authorizers; a Cognito user pool is a jwt authorizer with issuer `https://cognito-idp.REGION.amazonaws.com/POOL_ID`",
                ),
                ApiKind::Websocket => (
                    matches!(kind, AuthorizerKind::Request | AuthorizerKind::Iam),
                    "WebSocket APIs take request authorizers only",
                ),
            };
            if !allowed {
                let api_kind = match api.kind {
                    ApiKind::Rest => "a REST API",
                    ApiKind::Http => "an HTTP API",
                    ApiKind::Websocket => "a WebSocket API",
                };
                out.push(
                    Self::META,
                    &text.origin,
                    format!(
                        "authorizer `{}` is of type `{}`, which {api_kind} does not have",
                        authorizer.name, text.value
                    ),
                )
                .help(help);
            }
        }
    }
}
