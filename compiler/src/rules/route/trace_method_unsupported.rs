use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, HttpMethod};
use crate::rules::Rule;

declare_rule! {
    /// An operation uses the TRACE method, which API Gateway does not route.
    /// ## Why
    /// API Gateway methods and routes are `GET`, `PUT`, `POST`, `DELETE`, `PATCH`, `OPTIONS`,
    /// `HEAD` and `ANY` ("Invalid HttpMethod specified. Valid options are
    /// GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY"); HTTP API route keys take the same list.
    /// A `trace` operation never becomes a method, so the route it describes does not exist.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /debug:
    ///     trace: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /debug:
    ///     get: {}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html
    pub TraceMethodUnsupported { code: "APIGW309", name: "trace-method-unsupported", severity: Warning }
}

impl Rule for TraceMethodUnsupported {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Websocket {
            return;
        }
        for route in &api.routes {
            if route.method() == Some(HttpMethod::Trace) {
                out.push(
                    Self::META,
                    &route.origin,
                    format!("route `{}`: API Gateway has no TRACE method, so this route is never created", route.key),
                )
                .help("remove the operation, or route it with `x-amazon-apigateway-any-method` (ANY)");
            }
        }
    }
}
