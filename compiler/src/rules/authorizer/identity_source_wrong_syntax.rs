use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, AuthorizerKind};
use crate::rules::Rule;

declare_rule! {
    /// An authorizer's identity source is written in another kind of API's syntax.
    /// ## Why
    /// Each kind of API names request data its own way: REST identity sources are
    /// `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X` or
    /// `context.X`; HTTP APIs write `$request.header.X`, `$request.querystring.X`,
    /// `$context.X` or `$stageVariables.X`; WebSocket APIs `route.request.header.X`,
    /// `route.request.querystring.X`, `stageVariables.X` or `context.X`. API Gateway refuses an
    /// identity source in another form (`Invalid identity source`). The rule judges APIs whose
    /// kind a template declares; a standalone document's kind is inferred.
    /// ## Fails
    /// ```yaml
    /// # in a REST API
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   identitySource: $request.header.Authorization
    /// ```
    /// ## Passes
    /// ```yaml
    /// # in a REST API
    /// x-amazon-apigateway-authorizer:
    ///   type: request
    ///   identitySource: method.request.header.Authorization
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
    pub IdentitySourceWrongSyntax { code: "APIGW203", name: "identity-source-wrong-syntax", severity: Error }
}

const REST: &[&str] = &[
    "method.request.header.",
    "method.request.querystring.",
    "method.request.multivalueheader.",
    "method.request.multivaluequerystring.",
    "stageVariables.",
    "context.",
];
const HTTP: &[&str] = &[
    "$request.header.",
    "$request.querystring.",
    "$context.",
    "$stageVariables.",
];
const WEBSOCKET: &[&str] = &[
    "route.request.header.",
    "route.request.querystring.",
    "stageVariables.",
    "context.",
];

/// The same source in the syntax of `kind`, when the translation is certain.
fn translate(source: &str, kind: ApiKind) -> Option<String> {
    let (location, name) = [
        ("method.request.header.", "header"),
        ("method.request.querystring.", "querystring"),
        ("$request.header.", "header"),
        ("$request.querystring.", "querystring"),
        ("route.request.header.", "header"),
        ("route.request.querystring.", "querystring"),
    ]
    .iter()
    .find_map(|(prefix, location)| source.strip_prefix(prefix).map(|name| (*location, name)))?;
    if name.is_empty() {
        return None;
    }
    Some(match kind {
        ApiKind::Rest => format!("method.request.{location}.{name}"),
        ApiKind::Http => format!("$request.{location}.{name}"),
        ApiKind::Websocket => format!("route.request.{location}.{name}"),
    })
}

impl Rule for IdentitySourceWrongSyntax {
    fn check(&self, api: &Api, out: &mut Report) {
        // A standalone document's kind is inferred, and its identity sources are among the
        // clues: judge only APIs whose kind is declared.
        if !super::kind_declared(api) {
            return;
        }
        let (allowed, example) = match api.kind {
            ApiKind::Rest => (REST, "method.request.header.Authorization"),
            ApiKind::Http => (HTTP, "$request.header.Authorization"),
            ApiKind::Websocket => (WEBSOCKET, "route.request.header.Authorization"),
        };
        for authorizer in &api.authorizers {
            // Only authorizers the API can have (APIGW201 reports the others); the token and
            // Cognito sources a front end derives from the scheme's header are REST syntax.
            let checked = match (api.kind, authorizer.kind) {
                (ApiKind::Rest, Some(kind)) => {
                    kind != AuthorizerKind::Iam && kind != AuthorizerKind::Jwt
                }
                (ApiKind::Http, Some(kind)) => {
                    matches!(kind, AuthorizerKind::Request | AuthorizerKind::Jwt)
                }
                (ApiKind::Websocket, Some(kind)) => kind == AuthorizerKind::Request,
                (_, None) => false,
            };
            if !checked {
                continue;
            }
            let single = authorizer.identity_source.len() == 1;
            for source in &authorizer.identity_source {
                let text = source.value.as_str();
                if allowed.iter().any(|prefix| text.starts_with(prefix)) {
                    continue;
                }
                let kind = match api.kind {
                    ApiKind::Rest => "a REST API",
                    ApiKind::Http => "an HTTP API",
                    ApiKind::Websocket => "a WebSocket API",
                };
                let translated = translate(text, api.kind);
                let pending = out.push(
                    Self::META,
                    &source.origin,
                    format!(
                        "identity source `{text}` of authorizer `{}` is not in the syntax of {kind}",
                        authorizer.name
                    ),
                );
                match &translated {
                    Some(fixed) => pending.help(format!("write `{fixed}`")),
                    None => pending.help(format!("write sources such as `{example}`")),
                };
                if let (true, Some(fixed)) = (single, translated) {
                    pending.fix(format!("write `{fixed}`"), &source.origin, fixed);
                }
            }
        }
    }
}
