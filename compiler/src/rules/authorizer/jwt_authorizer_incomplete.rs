use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A JWT authorizer has no issuer or no audience.
    /// ## Why
    /// An HTTP API JWT authorizer validates a token's `iss` against `jwtConfiguration.issuer`
    /// and its `aud` (or `client_id`) against `jwtConfiguration.audience`. API Gateway requires
    /// both: the issuer (which the importer may also take from the security scheme's
    /// `openIdConnectUrl`) and at least one audience.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: jwt
    ///   identitySource: $request.header.Authorization
    ///   jwtConfiguration:
    ///     issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: jwt
    ///   identitySource: $request.header.Authorization
    ///   jwtConfiguration:
    ///     issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
    ///     audience: [my-client-id]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
    pub JwtAuthorizerIncomplete { code: "APIGW205", name: "jwt-authorizer-incomplete", severity: Error }
}

impl Rule for JwtAuthorizerIncomplete {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        for authorizer in &api.authorizers {
            if authorizer.kind != Some(AuthorizerKind::Jwt) {
                continue;
            }
            let jwt = authorizer.jwt.as_ref();
            let issuer = jwt.is_some_and(|jwt| jwt.issuer.is_some())
                || authorizer.open_id_connect_url.is_some();
            let audience = jwt.is_some_and(|jwt| !jwt.audience.is_empty());
            let missing = match (issuer, audience) {
                (true, true) => continue,
                (false, true) => "no issuer",
                (true, false) => "no audience",
                (false, false) => "neither an issuer nor an audience",
            };
            let origin = jwt.map_or(&authorizer.origin, |jwt| &jwt.origin);
            out.push(
                Self::META,
                origin,
                format!("JWT authorizer `{}` has {missing}", authorizer.name),
            )
            .help("give `jwtConfiguration: {issuer: https://…, audience: [CLIENT_ID]}`");
        }
    }
}
