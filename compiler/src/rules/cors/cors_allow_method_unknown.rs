use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

/// What `Access-Control-Allow-Methods` can usefully list: the methods browsers send, and `*`.
const CORS_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "*",
];

declare_rule! {
    /// An HTTP API's CORS `allowMethods` lists something that is not an HTTP method.
    /// ## Why
    /// API Gateway copies `allowMethods` into the `Access-Control-Allow-Methods` header of its
    /// preflight answers, and the browser compares the method it wants to send against each
    /// entry. An entry such as `ANY` (API Gateway's route wildcard, not an HTTP method) or
    /// `GET, POST` written as one string matches no request, so the browser blocks the call.
    /// The wildcard for CORS is `*`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com"]
    ///   allowMethods: [ANY]
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com"]
    ///   allowMethods: [GET, POST]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
    pub CorsAllowMethodUnknown { code: "APIGW503", name: "cors-allow-method-unknown", severity: Warning }
}

impl Rule for CorsAllowMethodUnknown {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        let Some(cors) = &api.cors else {
            return;
        };
        for method in &cors.allow_methods {
            let text = method.trim();
            if text.contains("${")
                || CORS_METHODS
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(text))
            {
                continue;
            }
            let help = if text.contains(',') {
                "list each method as its own entry: `allowMethods: [GET, POST]`".to_owned()
            } else if text.eq_ignore_ascii_case("ANY") {
                "`ANY` is a route wildcard, not an HTTP method; allow every method with `*`"
                    .to_owned()
            } else {
                format!("use HTTP methods ({}) or `*`", CORS_METHODS.join(", "))
            };
            out.push(
                Self::META,
                &cors.origin,
                format!("CORS `allowMethods` lists `{text}`, which is not an HTTP method"),
            )
            .help(help);
        }
    }
}
