use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, HttpMethod, RouteKey, SourceFormat};
use crate::rules::Rule;

declare_rule! {
    /// An authorizer is defined but no route and not the API's default requires it.
    /// ## Why
    /// API Gateway creates every authorizer a document defines, but calls one only for the
    /// methods whose security requirement names it (REST, HTTP and WebSocket alike). An
    /// authorizer nobody names protects nothing. The rule fires when the document also has routes
    /// that say nothing about authorization: those are usually the ones whose `security` should
    /// name it. Authorizers in templates are left alone (a template can name an authorizer in
    /// ways apigw may not resolve), as are authorizers whose type the front end rejected. An
    /// unused authorizer also counts toward the 10 authorizers an API may have.
    /// ## Fails
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     tokens:
    ///       type: apiKey
    ///       name: Authorization
    ///       in: header
    ///       x-amazon-apigateway-authorizer: {type: token, authorizerUri: "${authorizer_uri}"}
    /// paths:
    ///   /orders:
    ///     get: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get: {security: [{tokens: []}]}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
    pub UnusedAuthorizer { code: "APIGW802", name: "unused-authorizer", severity: Warning }
}

impl Rule for UnusedAuthorizer {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.logical_id.is_some()
            || !matches!(
                api.format,
                Some(SourceFormat::OpenApi30 | SourceFormat::Swagger20)
            )
        {
            return;
        }
        // A route that says nothing about authorization, where API Gateway would check callers.
        let unstated = api.routes.iter().find(|route| {
            api.effective_security(route).is_none()
                && route.auth_type.is_none()
                && match &route.key {
                    RouteKey::Http { method, .. } => *method != HttpMethod::Options,
                    RouteKey::Default => api.kind != ApiKind::Websocket,
                    RouteKey::Websocket { key } => key == "$connect",
                }
        });
        let Some(unstated) = unstated else {
            return;
        };
        let named: BTreeSet<&str> = api
            .routes
            .iter()
            .filter_map(|route| route.security.as_ref())
            .chain(api.security.as_ref())
            .flatten()
            .flat_map(|requirement| requirement.schemes.keys())
            .map(String::as_str)
            .collect();
        // An authorizer without a known type was already reported by the front end.
        for authorizer in api.authorizers.iter().filter(|it| it.kind.is_some()) {
            if !named.contains(authorizer.name.as_str()) {
                out.push(
                    Self::META,
                    &authorizer.origin,
                    format!(
                        "authorizer `{}` is defined but no route requires it, while route `{}` has no authorization",
                        authorizer.name, unstated.key
                    ),
                )
                .help("name it in the `security` of the routes it should protect (or at the document root), or remove it")
                .related(&unstated.origin, "this route requires no authorization");
            }
        }
    }
}
