use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// A JWT authorizer lists more than 50 audiences.
    /// ## Why
    /// HTTP API quotas allow at most 50 audiences per JWT authorizer, a limit that cannot be
    /// raised ("Number of audiences per authorizer for JWT authorizers"); API Gateway refuses a
    /// longer list.
    /// ## Fails
    /// ```yaml
    /// jwtConfiguration:
    ///   issuer: https://issuer.example.com
    ///   audience: [a1, a2, a3, …, a51]
    /// ```
    /// ## Passes
    /// ```yaml
    /// jwtConfiguration:
    ///   issuer: https://issuer.example.com
    ///   audience: [a1, a2]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
    pub JwtAudienceCountExceeded { code: "APIGW206", name: "jwt-audience-count-exceeded", severity: Error }
}

impl Rule for JwtAudienceCountExceeded {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            if authorizer.kind != Some(AuthorizerKind::Jwt) {
                continue;
            }
            let Some(jwt) = &authorizer.jwt else {
                continue;
            };
            if jwt.audience.len() > 50 {
                let at = jwt
                    .audience
                    .get(50)
                    .map_or(&jwt.origin, |audience| &audience.origin);
                out.push(
                    Self::META,
                    at,
                    format!(
                        "JWT authorizer `{}` lists {} audiences; the maximum is 50",
                        authorizer.name,
                        jwt.audience.len()
                    ),
                )
                .help("keep 50 audiences or fewer; split the clients over several authorizers");
            }
        }
    }
}
