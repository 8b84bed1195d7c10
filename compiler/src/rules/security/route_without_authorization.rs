use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, HttpMethod, IntegrationType, Route, RouteKey, SourceFormat};
use crate::rules::Rule;

declare_rule! {
    /// A route says nothing about who may call it, so anyone on the internet can.
    /// ## Why
    /// API Gateway authorizes a method only when something asks it to: a `security` requirement
    /// on the operation or the document root, or `x-amazon-apigateway-auth` (`AWS_IAM`). Without
    /// any of these the method is created with `authorizationType: NONE` and answers every caller.
    /// That is right for a public route, but then the document should say so with `security: []`.
    /// The rule fires only in an API whose other routes do require authorization: there, a route
    /// that says nothing is most often one where the requirement was forgotten. An API with no authorization anywhere is taken to
    /// be public by design. Preflight `OPTIONS` routes,
    /// routes answered by a MOCK integration, and WebSocket routes other than `$connect` (API
    /// Gateway authorizes a WebSocket connection once, on `$connect`) are left alone. apigw's DSL
    /// already requires `auth` on every route, so the rule looks at OpenAPI and templates only.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: "${orders_arn}"}
    ///     post:
    ///       x-amazon-apigateway-auth: {type: AWS_IAM}
    ///       x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: "${orders_arn}"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       security: []
    ///       x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: "${orders_arn}"}
    ///     post:
    ///       x-amazon-apigateway-auth: {type: AWS_IAM}
    ///       x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: "${orders_arn}"}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    pub RouteWithoutAuthorization { code: "APIGW701", name: "route-without-authorization", severity: Warning }
}

/// Whether API Gateway would check the caller of `route` only if the document asked for it.
fn needs_authorization(api: &Api, route: &Route) -> bool {
    match &route.key {
        RouteKey::Http { method, .. } => *method != HttpMethod::Options,
        RouteKey::Default => api.kind != ApiKind::Websocket,
        RouteKey::Websocket { key } => key == "$connect",
    }
}

/// Whether the route asks API Gateway to check its callers.
fn authorizes(route: &Route) -> bool {
    route
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty())
        || route
            .auth_type
            .as_ref()
            .is_some_and(|kind| !kind.value.eq_ignore_ascii_case("NONE"))
}

impl Rule for RouteWithoutAuthorization {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.format == Some(SourceFormat::Dsl) || api.security.is_some() {
            return;
        }
        let elsewhere = api.routes.iter().any(authorizes);
        if !elsewhere {
            return;
        }
        for route in &api.routes {
            if route.security.is_some() || route.auth_type.is_some() {
                continue;
            }
            if !needs_authorization(api, route) {
                continue;
            }
            let mock = route
                .integration
                .as_ref()
                .is_some_and(|integration| integration.kind == Some(IntegrationType::Mock));
            if mock {
                continue;
            }
            out.push(
                Self::META,
                &route.origin,
                format!(
                    "route `{}` has no authorization while other routes of the API require it: neither it nor the document root names a security requirement, so API Gateway lets every caller through",
                    route.key
                ),
            )
            .help("name an authorizer in `security` (or set `x-amazon-apigateway-auth: {type: AWS_IAM}`); if the route is public on purpose, say so with `security: []`");
        }
    }
}
