use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

/// The bounds of an HTTP API's CORS `maxAge` (botocore `IntegerWithLengthBetweenMinus1And86400`).
const MIN_MAX_AGE: i64 = -1;
const MAX_MAX_AGE: i64 = 86_400;

declare_rule! {
    /// An HTTP API's CORS `maxAge` is outside -1 … 86400 seconds.
    /// ## Why
    /// The API Gateway v2 API models `Cors.MaxAge` as an integer from -1 to 86400 (one day;
    /// -1 disables caching of preflight results). `CreateApi`, `UpdateApi`, the OpenAPI import
    /// and CloudFormation reject any other value with a `BadRequestException`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com"]
    ///   maxAge: 604800
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com"]
    ///   maxAge: 86400
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html#apis-apiid-model-cors
    pub CorsMaxAgeOutOfRange { code: "APIGW502", name: "cors-max-age-out-of-range", severity: Error }
}

impl Rule for CorsMaxAgeOutOfRange {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        let Some(cors) = &api.cors else {
            return;
        };
        let Some(max_age) = cors.max_age else {
            return;
        };
        if !(MIN_MAX_AGE..=MAX_MAX_AGE).contains(&max_age) {
            out.push(
                Self::META,
                &cors.origin,
                format!("CORS `maxAge` {max_age} s is outside the allowed -1 … 86400 s"),
            )
            .help("give at most 86400 (one day), or -1 to turn preflight caching off");
        }
    }
}
