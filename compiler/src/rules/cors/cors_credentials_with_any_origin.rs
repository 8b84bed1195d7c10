use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP API's CORS configuration allows credentials from any origin (`*`).
    /// ## Why
    /// Browsers refuse `Access-Control-Allow-Credentials: true` together with
    /// `Access-Control-Allow-Origin: *`, and API Gateway refuses to store such a configuration:
    /// `CreateApi`, `UpdateApi` and the OpenAPI import answer `BadRequestException:
    /// allow-credentials is not supported if 'allow-origin' is *` (status 400), so the stack or
    /// import fails. Credentials need the origins listed one by one.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["*"]
    ///   allowCredentials: true
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com"]
    ///   allowCredentials: true
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
    pub CorsCredentialsWithAnyOrigin { code: "APIGW501", name: "cors-credentials-with-any-origin", severity: Error }
}

impl Rule for CorsCredentialsWithAnyOrigin {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        let Some(cors) = &api.cors else {
            return;
        };
        if cors.allow_credentials == Some(true)
            && cors.allow_origins.iter().any(|origin| origin.trim() == "*")
        {
            out.push(
                Self::META,
                &cors.origin,
                "CORS allows credentials (`allowCredentials: true`) from any origin (`*`); API Gateway rejects this combination",
            )
            .help("list the origins that may send credentials (`https://app.example.com`), or set `allowCredentials: false`");
        }
    }
}
