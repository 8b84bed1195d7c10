//! Authorizers (OpenAPI security schemes) and `auth` (security requirements).

use super::*;

impl Lowering<'_, '_> {
    pub(super) fn authorizers(&mut self, node: &Node, ptr: &Pointer, schemes: &mut MapBuilder) {
        let Some(map) = self.reader.map(node, ptr).and_then(Node::as_map) else {
            return;
        };
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let value = &entry.value;
            if self.reader.map(value, &at).is_none() {
                continue;
            }
            let what = format!("authorizer `{}`", entry.key);
            self.reader.fields(value, &at, &what, AUTHORIZER_FIELDS);
            let Some(type_node) = value.get("type") else {
                self.reader
                    .missing(&at, "type", &what)
                    .help("set `type` to token, request, cognito, jwt or iam");
                continue;
            };
            let Some(kind) = self
                .reader
                .choice(type_node, &at.join("type"), AUTHORIZER_TYPES)
            else {
                continue;
            };
            self.check_authorizer_kind(kind, type_node, &at);
            self.authorizers.push((entry.key.clone(), kind));
            if let Some(scheme) = self.authorizer(kind, value, &at, &what) {
                schemes.insert_at(entry.key.clone(), entry.key_span, scheme);
            }
        }
    }

    pub(super) fn check_authorizer_kind(&mut self, kind: &str, node: &Node, at: &Pointer) {
        let allowed: &[&str] = match self.kind {
            ApiKind::Rest => &["token", "request", "cognito", "iam", "api_key", "openapi"],
            ApiKind::Http => &["request", "jwt", "iam", "openapi"],
            ApiKind::Websocket => &["request", "iam"],
        };
        if !allowed.contains(&kind) {
            let _ = node;
            self.reader
                .report(
                    InvalidValue::META,
                    &at.join("type"),
                    format!("{} APIs have no `{kind}` authorizers", kind_name(self.kind)),
                )
                .help(format!("use one of: {}", allowed.join(", ")));
        }
    }

    pub(super) fn authorizer(
        &mut self,
        kind: &str,
        value: &Node,
        at: &Pointer,
        what: &str,
    ) -> Option<Node> {
        let span = value.span;
        if kind == "iam" {
            return Some(iam_scheme(span));
        }
        if kind == "openapi" {
            // Escape hatch: the OpenAPI security scheme, as is.
            let Some(scheme) = value.get("scheme") else {
                self.reader
                    .missing(at, "scheme", what)
                    .help("give the OpenAPI security scheme object under `scheme`");
                return None;
            };
            return self.reader.map(scheme, &at.join("scheme")).cloned();
        }
        if kind == "api_key" {
            return Some(node::map(
                span,
                vec![
                    ("type".to_owned(), node::string(span, "apiKey")),
                    ("name".to_owned(), node::string(span, "x-api-key")),
                    ("in".to_owned(), node::string(span, "header")),
                ],
            ));
        }
        let header = match value.get("header") {
            Some(node) => self.reader.string(node, &at.join("header"))?.to_owned(),
            None => "Authorization".to_owned(),
        };
        let mut scheme = MapBuilder::new(span);
        let mut extension = MapBuilder::new(span);
        let text = |lowering: &mut Self, key: &str| -> Option<(String, Span)> {
            let node = value.get(key)?;
            let text = lowering.reader.text(node, &at.join(key))?;
            Some((text, node.span))
        };
        match kind {
            "jwt" => {
                scheme.insert("type", node::string(span, "oauth2"));
                scheme.insert("flows", node::map(span, Vec::new()));
            }
            _ => {
                scheme.insert("type", node::string(span, "apiKey"));
                scheme.insert("name", node::string(span, header.clone()));
                scheme.insert("in", node::string(span, "header"));
                let auth_type = if kind == "cognito" {
                    "cognito_user_pools"
                } else {
                    "custom"
                };
                scheme.insert(
                    "x-amazon-apigateway-authtype",
                    node::string(span, auth_type),
                );
            }
        }
        if let Some((description, description_span)) = text(self, "description") {
            scheme.insert("description", node::string(description_span, description));
        }
        let openapi_type = match kind {
            "cognito" => "cognito_user_pools",
            other => other,
        };
        extension.insert("type", node::string(span, openapi_type));
        if matches!(kind, "token" | "request") {
            match value.get("function") {
                Some(node) => {
                    let function = self.function(node, &at.join("function"));
                    if let Some(uri) =
                        function.and_then(|index| self.function_uri(index, node.span))
                    {
                        extension.insert("authorizerUri", uri);
                    }
                    if let (Some(function), Some(name)) = (function, at.segments().last()) {
                        self.function_uses
                            .push(FunctionUse::Authorizer { function, name });
                    }
                }
                None => {
                    self.reader
                        .missing(at, "function", what)
                        .help("name the Lambda function that authorizes, from `functions`");
                }
            }
        } else if value.get("function").is_some() {
            self.not_for(at, "function", kind);
        }
        if let Some(node) = value.get("credentials") {
            if let Some(credentials) = self.deploy_value(node, &at.join("credentials")) {
                extension.insert("authorizerCredentials", credentials);
            }
        }
        if let Some(node) = value.get("identity") {
            let sources = self.reader.strings(node, &at.join("identity"));
            extension.insert(
                "identitySource",
                node::string(node.span, sources.join(", ")),
            );
        } else if kind == "jwt" || (kind == "request" && self.kind == ApiKind::Http) {
            extension.insert(
                "identitySource",
                node::string(span, format!("$request.header.{header}")),
            );
        } else if kind == "request" {
            self.reader
                .missing(at, "identity", what)
                .help("list where the authorizer reads its input, e.g. `identity: method.request.header.Authorization`");
        }
        if let Some(node) = value.get("user_pools") {
            if kind == "cognito" {
                let pools = self.deploy_values(node, &at.join("user_pools"));
                extension.insert("providerARNs", node::seq(node.span, pools));
            } else {
                self.not_for(at, "user_pools", kind);
            }
        } else if kind == "cognito" {
            self.reader
                .missing(at, "user_pools", what)
                .help("list the user pool ARNs, e.g. `user_pools: [\"${UserPoolArn}\"]`");
        }
        if kind == "jwt" {
            let mut jwt = MapBuilder::new(span);
            match value.get("issuer") {
                Some(node) => {
                    if let Some(issuer) = self.deploy_value(node, &at.join("issuer")) {
                        jwt.insert("issuer", issuer);
                    }
                }
                None => {
                    self.reader
                        .missing(at, "issuer", what)
                        .help("give the token issuer URL, e.g. https://cognito-idp.REGION.amazonaws.com/POOL_ID");
                }
            }
            if let Some(node) = value.get("audience") {
                let audience = self.deploy_values(node, &at.join("audience"));
                jwt.insert("audience", node::seq(node.span, audience));
            }
            extension.insert("jwtConfiguration", jwt.build());
        } else {
            for key in ["issuer", "audience"] {
                if value.get(key).is_some() {
                    self.not_for(at, key, kind);
                }
            }
        }
        if let Some((validation, node_span)) = text(self, "validation") {
            extension.insert(
                "identityValidationExpression",
                node::string(node_span, validation),
            );
        }
        if let Some(node) = value.get("ttl") {
            if let Some(ttl) = self.reader.integer(node, &at.join("ttl")) {
                extension.insert(
                    "authorizerResultTtlInSeconds",
                    node::integer(node.span, ttl),
                );
            }
        }
        let payload = match value.get("payload") {
            Some(node) => self
                .reader
                .choice(node, &at.join("payload"), &["1.0", "2.0"])
                .map(|payload| (payload.to_owned(), node.span)),
            None if kind == "request" && self.kind == ApiKind::Http => {
                Some(("2.0".to_owned(), span))
            }
            None => None,
        };
        if let Some((payload, payload_span)) = payload {
            extension.insert(
                "authorizerPayloadFormatVersion",
                node::string(payload_span, payload),
            );
        }
        if let Some(node) = value.get("simple_responses") {
            if let Some(simple) = self.reader.boolean(node, &at.join("simple_responses")) {
                extension.insert("enableSimpleResponses", node::boolean(node.span, simple));
            }
        }
        scheme.insert("x-amazon-apigateway-authorizer", extension.build());
        Some(scheme.build())
    }

    pub(super) fn not_for(&mut self, at: &Pointer, key: &str, kind: &str) {
        self.reader
            .report(
                InvalidValue::META,
                &at.join(key),
                format!("`{key}` does not apply to a `{kind}` authorizer"),
            )
            .help("remove it");
    }

    // ----- authorization -------------------------------------------------------------------

    pub(super) fn root_requirement(&mut self, root: &Node, ptr: &Pointer) -> Option<Requirement> {
        let schemes = root
            .get("auth")
            .and_then(|node| self.auth(node, &ptr.join("auth")));
        let api_key = root
            .get("api_key")
            .and_then(|node| self.reader.boolean(node, &ptr.join("api_key")))
            .unwrap_or(false);
        match (schemes, api_key) {
            (Some(schemes), api_key) => Some(Requirement { schemes, api_key }),
            (None, true) => Some(Requirement {
                schemes: Vec::new(),
                api_key: true,
            }),
            (None, false) => None,
        }
    }

    /// `auth`: `none`, an authorizer name, `iam`, a map of authorizer names to scopes (all of
    /// which must pass), or a list of those (any one of which must pass).
    pub(super) fn auth(&mut self, node: &Node, ptr: &Pointer) -> Option<Vec<Alternative>> {
        match &node.value {
            Value::String(text) if text == "none" => Some(Vec::new()),
            Value::Seq(items) if !items.is_empty() => {
                let mut out = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let at = ptr.index(index);
                    if item.as_str() == Some("none") {
                        self.reader
                            .report(
                                InvalidValue::META,
                                &at,
                                "`none` cannot be one of several alternatives",
                            )
                            .help("write `auth: none` on its own to make the route public");
                        return None;
                    }
                    out.push(self.alternative(item, &at)?);
                }
                Some(out)
            }
            _ => Some(vec![self.alternative(node, ptr)?]),
        }
    }

    pub(super) fn alternative(&mut self, node: &Node, ptr: &Pointer) -> Option<Alternative> {
        let written: Vec<(String, Vec<String>, Pointer)> = match &node.value {
            Value::String(text) => vec![(text.clone(), Vec::new(), ptr.clone())],
            Value::Map(map) if !map.entries.is_empty() => map
                .entries
                .iter()
                .map(|entry| {
                    let at = ptr.join(&entry.key);
                    let scopes = if entry.value.is_null() {
                        Vec::new()
                    } else {
                        self.reader.strings(&entry.value, &at)
                    };
                    (entry.key.clone(), scopes, at)
                })
                .collect(),
            _ => {
                self.reader.wrong_type(
                    node,
                    ptr,
                    "an authorizer name, `none`, `iam`, `{authorizer: [scopes]}` or a list of these",
                );
                return None;
            }
        };
        let mut out = Vec::new();
        for (name, scopes, name_ptr) in written {
            if self.authorizers.iter().any(|(known, _)| known == &name) {
                out.push((name, scopes));
                continue;
            }
            if name == "iam" {
                let declared = self
                    .authorizers
                    .iter()
                    .find(|(_, kind)| *kind == "iam")
                    .map(|(name, _)| name.clone());
                let name = declared.unwrap_or_else(|| {
                    self.uses_iam_scheme = true;
                    IAM_SCHEME.to_owned()
                });
                out.push((name, scopes));
                continue;
            }
            let mut candidates: Vec<&str> = self
                .authorizers
                .iter()
                .map(|(name, _)| name.as_str())
                .collect();
            candidates.extend(["none", "iam"]);
            let near = suggest(&name, candidates).map(str::to_owned);
            let pending = self.reader.report(
                UnresolvedRef::META,
                &name_ptr,
                format!("`{name}` is not an authorizer declared under `authorizers`"),
            );
            match near {
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help(
                    "declare it under `authorizers`, or write `auth: none` for a public route",
                ),
            };
            return None;
        }
        Some(out)
    }

    /// The scheme `api_key: true` requires: the `api_key` authorizer when one is declared,
    /// else one the DSL adds.
    pub(super) fn api_key_scheme(&mut self) -> String {
        match self.authorizers.iter().find(|(_, kind)| *kind == "api_key") {
            Some((name, _)) => name.clone(),
            None => {
                self.uses_api_key = true;
                API_KEY_SCHEME.to_owned()
            }
        }
    }

    /// The OpenAPI `security` list for a requirement (`None` when it requires nothing).
    pub(super) fn security(&mut self, requirement: &Requirement, span: Span) -> Option<Node> {
        let api_key = requirement.api_key.then(|| self.api_key_scheme());
        let mut alternatives: Vec<Node> = Vec::new();
        let written: Vec<Alternative> = if requirement.schemes.is_empty() {
            vec![Vec::new()]
        } else {
            requirement.schemes.clone()
        };
        for alternative in written {
            let mut schemes = MapBuilder::new(span);
            for (name, scopes) in alternative {
                schemes.insert(
                    name,
                    node::seq(
                        span,
                        scopes
                            .into_iter()
                            .map(|scope| node::string(span, scope))
                            .collect(),
                    ),
                );
            }
            if let Some(name) = &api_key {
                if !schemes.contains(name) {
                    schemes.insert(name.clone(), node::seq(span, Vec::new()));
                }
            }
            if !schemes.is_empty() {
                alternatives.push(schemes.build());
            }
        }
        if alternatives.is_empty() {
            return None;
        }
        Some(node::seq(span, alternatives))
    }
}
