use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, HttpMethod, ParameterLocation, Route};
use crate::rules::Rule;

declare_rule! {
    /// A REST path answers with `Access-Control-Allow-Origin` but has no `OPTIONS` method for the preflight.
    /// ## Why
    /// REST APIs do not answer CORS preflights themselves (HTTP APIs do): each resource needs an
    /// `OPTIONS` method, usually a MOCK integration returning the `Access-Control-Allow-*`
    /// headers. Without one, the browser's preflight gets `403 {"message":"Missing
    /// Authentication Token"}` and the real request is never sent, even though the method sets
    /// the CORS headers. The rule fires only when a method on the path needs a preflight: it is
    /// PUT, PATCH or DELETE, sends a JSON body, takes header parameters or requires
    /// authorization (an `Authorization` header).
    /// ## Fails
    /// ```yaml
    /// /pets:
    ///   put:
    ///     responses:
    ///       "200":
    ///         description: ok
    ///         headers: {Access-Control-Allow-Origin: {schema: {type: string}}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// /pets:
    ///   put:
    ///     responses:
    ///       "200":
    ///         description: ok
    ///         headers: {Access-Control-Allow-Origin: {schema: {type: string}}}
    ///   options:
    ///     x-amazon-apigateway-integration: {type: mock}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
    pub CorsPreflightMissing { code: "APIGW506", name: "cors-preflight-missing", severity: Warning }
}

/// Whether a browser must send a preflight before calling `route` from another origin.
fn needs_preflight(api: &Api, route: &Route) -> bool {
    let method = matches!(
        route.method(),
        Some(HttpMethod::Put | HttpMethod::Patch | HttpMethod::Delete)
    );
    let json = route.request_body.as_ref().is_some_and(|body| {
        body.content
            .keys()
            .any(|media| media.to_ascii_lowercase().contains("json"))
    });
    let headers = route
        .parameters
        .iter()
        .any(|parameter| parameter.location == ParameterLocation::Header);
    let authorized = route
        .auth_type
        .as_ref()
        .is_some_and(|auth| auth.value.eq_ignore_ascii_case("AWS_IAM"))
        || api.effective_security(route).is_some_and(|requirements| {
            requirements
                .iter()
                .all(|requirement| !requirement.schemes.is_empty())
                && !requirements.is_empty()
        });
    method || json || headers || authorized
}

/// The paths whose `OPTIONS` requests reach a method: paths with an `OPTIONS` or `ANY` method,
/// and the parents of greedy paths (`/files/{proxy+}` answers below `/files`).
struct Preflights<'a> {
    exact: std::collections::HashSet<&'a str>,
    greedy_parents: Vec<&'a str>,
}

impl<'a> Preflights<'a> {
    fn of(api: &'a Api) -> Self {
        let mut exact = std::collections::HashSet::new();
        let mut greedy_parents = Vec::new();
        for route in &api.routes {
            let (Some(method), Some(path)) = (route.method(), route.path()) else {
                continue;
            };
            if !matches!(method, HttpMethod::Options | HttpMethod::Any) {
                continue;
            }
            exact.insert(path);
            if let Some(greedy) = path.strip_suffix("+}") {
                if let Some(parent) = greedy.rfind('/').and_then(|at| greedy.get(..at)) {
                    greedy_parents.push(parent);
                }
            }
        }
        Preflights {
            exact,
            greedy_parents,
        }
    }

    /// Whether an `OPTIONS` request to `path` reaches a method.
    fn answer(&self, path: &str) -> bool {
        self.exact.contains(path)
            || self
                .greedy_parents
                .iter()
                .any(|parent| path.starts_with(parent))
    }
}

impl Rule for CorsPreflightMissing {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        let preflights = Preflights::of(api);
        // Membership only; diagnostics follow the routes' order.
        let mut reported: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for route in &api.routes {
            let Some(path) = route.path() else {
                continue;
            };
            if reported.contains(path)
                || !super::route_sends_allow_origin(route)
                || !needs_preflight(api, route)
                || preflights.answer(path)
            {
                continue;
            }
            reported.insert(path);
            out.push(
                Self::META,
                &route.origin,
                format!(
                    "`{}` answers with `Access-Control-Allow-Origin`, but `{path}` has no OPTIONS method: browsers' preflight gets 403 Missing Authentication Token",
                    route.key
                ),
            )
            .help(format!(
                "add an `options` method on `{path}` with a MOCK integration that returns the `Access-Control-Allow-*` headers"
            ));
        }
    }
}
