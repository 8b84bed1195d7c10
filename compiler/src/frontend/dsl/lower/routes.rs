//! Routes: route keys, backends (function, URL, mock, raw integration), request validation.

use super::*;

impl Lowering<'_, '_> {
    pub(super) fn routes(
        &mut self,
        node: &Node,
        ptr: &Pointer,
        root: &Node,
        root_requirement: Option<&Requirement>,
        root_validator: Option<&str>,
        socket_routes: &mut Vec<SocketRoute>,
    ) -> Node {
        let mut paths = MapBuilder::new(node.span);
        let Some(map) = self.reader.map(node, ptr).and_then(Node::as_map) else {
            return paths.build();
        };
        // path → method key → (pointer of the route that declared it).
        let mut seen: IndexMap<(String, String), Pointer> = IndexMap::new();
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let Some((path, method_key)) = self.route_key(&entry.key, &at) else {
                continue;
            };
            if let Some(first) = seen.get(&(path.clone(), method_key.clone())) {
                let first = crate::ir::Origin::new(self.reader.file, first.clone());
                self.reader
                    .report(
                        InvalidValue::META,
                        &at,
                        format!("route `{}` is declared twice", entry.key),
                    )
                    .related(&first, "first declared here")
                    .help("merge the two entries");
                continue;
            }
            seen.insert((path.clone(), method_key.clone()), at.clone());
            let method = HttpMethod::parse(&method_key).unwrap_or(HttpMethod::Any);
            self.operation = Pointer::root().join("paths").join(&path).join(&method_key);
            let Some(operation) = self.route(
                &entry.key,
                &entry.value,
                &at,
                &path,
                method,
                root_requirement,
                root_validator,
                socket_routes,
            ) else {
                continue;
            };
            let item = match paths.get_mut(&path) {
                Some(item) => item,
                None => {
                    paths.insert_at(
                        path.clone(),
                        entry.key_span,
                        node::map(entry.key_span, Vec::new()),
                    );
                    match paths.get_mut(&path) {
                        Some(item) => item,
                        None => continue,
                    }
                }
            };
            if let Value::Map(item_map) = &mut item.value {
                item_map.entries.push(crate::load::tree::Entry {
                    key: method_key,
                    key_span: entry.key_span,
                    value: operation,
                });
            }
        }
        let mut paths = paths.build();
        if self.kind == ApiKind::Rest {
            if let Some(cors) = root.get("cors") {
                self.rest_cors(
                    cors,
                    &Pointer::root().join("cors"),
                    &mut paths,
                    root_requirement,
                );
            }
        }
        paths
    }

    /// `GET /pets` → (`/pets`, `get`); `$default` → (`/$default`, any-method) for HTTP APIs;
    /// a WebSocket route key `k` → (`/k`, any-method).
    pub(super) fn route_key(&mut self, key: &str, at: &Pointer) -> Option<(String, String)> {
        const ANY: &str = "x-amazon-apigateway-any-method";
        if self.kind == ApiKind::Websocket {
            if key.contains(' ')
                && key
                    .split_once(' ')
                    .is_some_and(|(method, _)| HttpMethod::parse(method).is_some())
            {
                self.reader
                    .report(
                        InvalidValue::META,
                        at,
                        format!("`{key}` is an HTTP route key, but this is a WebSocket API"),
                    )
                    .help("WebSocket route keys are `$connect`, `$disconnect`, `$default` or an action name such as `sendMessage`");
                return None;
            }
            if key.is_empty() || key.contains('/') {
                self.reader
                    .report(
                        InvalidValue::META,
                        at,
                        format!("`{key}` is not a WebSocket route key"),
                    )
                    .help("use `$connect`, `$disconnect`, `$default` or an action name such as `sendMessage`");
                return None;
            }
            if key.starts_with('$') && !matches!(key, "$connect" | "$disconnect" | "$default") {
                let near = suggest(key, ["$connect", "$disconnect", "$default"]);
                let pending = self.reader.report(
                    InvalidValue::META,
                    at,
                    format!("`{key}` is not a WebSocket route key: only `$connect`, `$disconnect` and `$default` start with `$`"),
                );
                if let Some(near) = near {
                    pending.help(format!("did you mean `{near}`?"));
                }
                return None;
            }
            return Some((format!("/{key}"), ANY.to_owned()));
        }
        if key == "$default" {
            if self.kind == ApiKind::Rest {
                self.reader
                    .report(InvalidValue::META, at, "REST APIs have no `$default` route")
                    .help("catch everything with `ANY /{proxy+}`, or declare `kind: http`");
                return None;
            }
            return Some(("/$default".to_owned(), ANY.to_owned()));
        }
        let Some((method, path)) = key.split_once(' ') else {
            self.reader
                .report(
                    InvalidValue::META,
                    at,
                    format!("`{key}` is not a route key"),
                )
                .help("write a method and a path, e.g. `GET /pets/{id}`, or `$default`");
            return None;
        };
        let path = path.trim();
        let Some(parsed) = HttpMethod::parse(method).filter(|method| *method != HttpMethod::Trace)
        else {
            let methods = [
                "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "ANY",
            ];
            let near = suggest(method, methods);
            let pending = self.reader.report(
                InvalidValue::META,
                at,
                format!("`{method}` is not an HTTP method API Gateway routes"),
            );
            match near {
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help(format!("use one of: {}", methods.join(", "))),
            };
            return None;
        };
        if !path.starts_with('/') || path.contains(' ') {
            self.reader
                .report(
                    InvalidValue::META,
                    at,
                    format!("path `{path}` does not start with `/`"),
                )
                .help(format!("write it `/{}`", path.trim_start_matches('/')));
            return None;
        }
        if let Some(problem) = path_problem(path) {
            self.reader
                .report(InvalidValue::META, at, format!("path `{path}`: {problem}"))
                .help(
                    "a parameter is `{name}`, a greedy one `{name+}` and only as the last segment",
                );
            return None;
        }
        Some((path.to_owned(), parsed.openapi_key().to_owned()))
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; the values are distinct"
    )]
    pub(super) fn route(
        &mut self,
        key: &str,
        value: &Node,
        at: &Pointer,
        path: &str,
        method: HttpMethod,
        root_requirement: Option<&Requirement>,
        root_validator: Option<&str>,
        socket_routes: &mut Vec<SocketRoute>,
    ) -> Option<Node> {
        let span = value.span;
        let mut operation = MapBuilder::new(span);
        if key == "$default" && self.kind == ApiKind::Http {
            // API Gateway's own export writes the `$default` route this way.
            operation.insert("isDefaultRoute", node::boolean(span, true));
        }
        let long = match &value.value {
            Value::String(text) => {
                let integration = self.short_integration(text, value, at, method)?;
                self.require_auth(key, at, root_requirement);
                if self.kind == ApiKind::Websocket {
                    socket_routes.push(SocketRoute {
                        key: key.to_owned(),
                        ptr: at.clone(),
                        two_way: false,
                    });
                } else {
                    self.path_parameters(path, span, &mut operation);
                }
                operation.insert("x-amazon-apigateway-integration", integration);
                return Some(operation.build());
            }
            Value::Map(_) => value,
            _ => {
                self.reader
                    .wrong_type(value, at, "a function name, a URL, `mock`, or an object");
                return None;
            }
        };
        self.reader
            .fields(long, at, &format!("route `{key}`"), ROUTE_FIELDS);
        for (field, target) in [
            ("operation_id", "operationId"),
            ("summary", "summary"),
            ("description", "description"),
        ] {
            if let Some(node) = long.get(field) {
                if let Some(text) = self.reader.text(node, &at.join(field)) {
                    operation.insert(target, node::string(node.span, text));
                }
            }
        }
        if let Some(node) = long.get("tags") {
            let tags = self.reader.strings(node, &at.join("tags"));
            operation.insert(
                "tags",
                node::seq(
                    node.span,
                    tags.into_iter()
                        .map(|tag| node::string(node.span, tag))
                        .collect(),
                ),
            );
        }
        if let Some(node) = long.get("deprecated") {
            if let Some(deprecated) = self.reader.boolean(node, &at.join("deprecated")) {
                operation.insert("deprecated", node::boolean(node.span, deprecated));
            }
        }
        if self.kind == ApiKind::Websocket {
            for field in ["path", "query", "headers", "body", "responses", "validate"] {
                if long.get(field).is_some() {
                    self.reader
                        .report(
                            InvalidValue::META,
                            &at.join(field),
                            format!("`{field}` does not apply to a WebSocket route"),
                        )
                        .help("remove it; WebSocket routes carry messages, not HTTP requests");
                }
            }
        } else {
            self.parameters(long, at, path, span, &mut operation);
            if let Some(node) = long.get("body") {
                if let Some(body) = self.body(node, &at.join("body")) {
                    operation.insert("requestBody", body);
                }
            }
            if let Some(node) = long.get("responses") {
                if let Some(responses) = self.responses(node, &at.join("responses")) {
                    operation.insert("responses", responses);
                }
            }
        }

        // Authorization.
        let route_auth = long
            .get("auth")
            .and_then(|node| self.auth(node, &at.join("auth")));
        let route_api_key = long
            .get("api_key")
            .and_then(|node| self.reader.boolean(node, &at.join("api_key")));
        let is_socket_connect = self.kind != ApiKind::Websocket || key == "$connect";
        if !is_socket_connect && (long.get("auth").is_some() || long.get("api_key").is_some()) {
            let field = if long.get("auth").is_some() {
                "auth"
            } else {
                "api_key"
            };
            self.reader
                .report(
                    InvalidValue::META,
                    &at.join(field),
                    "WebSocket APIs authorize only the `$connect` route",
                )
                .help("move it to `$connect`");
        }
        if long.get("auth").is_none() {
            self.require_auth(key, at, root_requirement);
        }
        let effective = Requirement {
            schemes: route_auth.clone().unwrap_or_else(|| {
                root_requirement
                    .map(|requirement| requirement.schemes.clone())
                    .unwrap_or_default()
            }),
            api_key: route_api_key
                .unwrap_or_else(|| root_requirement.is_some_and(|requirement| requirement.api_key)),
        };
        let inherited = root_requirement.cloned().unwrap_or(Requirement {
            schemes: Vec::new(),
            api_key: false,
        });
        if effective != inherited {
            let security = self
                .security(&effective, span)
                .unwrap_or_else(|| node::seq(span, Vec::new()));
            operation.insert("security", security);
        }

        // Request validation (REST).
        let validator = long
            .get("validate")
            .and_then(|node| self.validator(node, &at.join("validate")));
        if let Some(validator) = validator {
            if Some(validator.as_str()) != root_validator {
                operation.insert(
                    "x-amazon-apigateway-request-validator",
                    node::string(
                        long.get("validate").map_or(span, |node| node.span),
                        validator,
                    ),
                );
            }
        }

        // Integration.
        let integration = self.long_integration(key, long, at, method, &mut operation);
        if let Some(integration) = integration {
            operation.insert("x-amazon-apigateway-integration", integration);
        }

        if let Some(node) = long.get("ignore") {
            let codes = self.reader.strings(node, &at.join("ignore"));
            operation.insert(
                "x-apigw-ignore",
                node::seq(
                    node.span,
                    codes
                        .into_iter()
                        .map(|code| node::string(node.span, code))
                        .collect(),
                ),
            );
        }
        let two_way = match long.get("response") {
            Some(node) if self.kind == ApiKind::Websocket => self
                .reader
                .boolean(node, &at.join("response"))
                .unwrap_or(false),
            Some(_) => {
                self.reader
                    .report(
                        InvalidValue::META,
                        &at.join("response"),
                        "`response` applies to WebSocket routes only",
                    )
                    .help("describe HTTP responses with `responses`");
                false
            }
            None => false,
        };
        if self.kind == ApiKind::Websocket {
            socket_routes.push(SocketRoute {
                key: key.to_owned(),
                ptr: at.clone(),
                two_way,
            });
        }
        let mut operation = operation.build();
        if let Some(raw) = long.get("raw") {
            if self.reader.map(raw, &at.join("raw")).is_some() {
                node::merge(&mut operation, raw);
            }
        }
        Some(operation)
    }

    /// A route with neither its own `auth` nor a document-wide one must say `auth: none`.
    pub(super) fn require_auth(
        &mut self,
        key: &str,
        at: &Pointer,
        root_requirement: Option<&Requirement>,
    ) {
        let needs = self.kind != ApiKind::Websocket || key == "$connect";
        if needs && root_requirement.is_none() {
            self.reader
                .report(
                    MissingField::META,
                    at,
                    format!("route `{key}` does not say who may call it: it has no `auth`"),
                )
                .help("name an authorizer (`auth: my_authorizer`), write `auth: iam`, or make the route public with `auth: none`");
        }
    }

    /// The validator `validate` names: one declared under `validators`, or a built-in one.
    pub(super) fn validator(&mut self, node: &Node, ptr: &Pointer) -> Option<String> {
        if self.kind != ApiKind::Rest {
            self.reader
                .report(
                    InvalidValue::META,
                    ptr,
                    "request validation applies to REST APIs only",
                )
                .help("remove `validate`; HTTP APIs do not validate requests");
            return None;
        }
        let name = self.reader.text(node, ptr)?;
        if self
            .declared_validators
            .iter()
            .any(|(known, ..)| known == &name)
        {
            return Some(name);
        }
        if let Some((builtin, ..)) = VALIDATORS.iter().find(|(builtin, ..)| *builtin == name) {
            if !self.validators_used.contains(builtin) {
                self.validators_used.push(builtin);
            }
            return Some(name);
        }
        let mut candidates: Vec<&str> = VALIDATORS.iter().map(|(name, ..)| *name).collect();
        candidates.extend(
            self.declared_validators
                .iter()
                .map(|(name, ..)| name.as_str()),
        );
        let near = suggest(&name, candidates.iter().copied()).map(str::to_owned);
        let pending = self.reader.report(
            crate::rules::structure::InvalidEnumValue::META,
            ptr,
            format!("`{name}` is not a request validator"),
        );
        match near {
            Some(near) => pending.help(format!("did you mean `{near}`?")),
            None => pending.help(format!(
                "use one of: {}, or declare it under `validators`",
                candidates.join(", ")
            )),
        };
        None
    }

    /// `validators: {name: all | body | params | none | {body: bool, params: bool}}`.
    pub(super) fn declare_validators(&mut self, node: &Node, ptr: &Pointer) {
        let Some(map) = self.reader.map(node, ptr).and_then(Node::as_map) else {
            return;
        };
        if self.kind != ApiKind::Rest {
            self.reader
                .report(
                    InvalidValue::META,
                    ptr,
                    "request validators apply to REST APIs only",
                )
                .help("remove `validators`");
            return;
        }
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let value = &entry.value;
            let (body, params) = match &value.value {
                Value::String(_) => {
                    let names: Vec<&'static str> =
                        VALIDATORS.iter().map(|(name, ..)| *name).collect();
                    let Some(kind) = self.reader.choice(value, &at, &names) else {
                        continue;
                    };
                    match VALIDATORS.iter().find(|(name, ..)| *name == kind) {
                        Some((_, body, params)) => (*body, *params),
                        None => continue,
                    }
                }
                Value::Map(_) => {
                    self.reader.fields(
                        value,
                        &at,
                        &format!("validator `{}`", entry.key),
                        &["body", "params"],
                    );
                    let flag = |lowering: &mut Self, key: &str| {
                        value
                            .get(key)
                            .and_then(|node| lowering.reader.boolean(node, &at.join(key)))
                            .unwrap_or(false)
                    };
                    (flag(self, "body"), flag(self, "params"))
                }
                _ => {
                    self.reader
                        .wrong_type(value, &at, "all, body, params, none, or an object");
                    continue;
                }
            };
            self.declared_validators
                .push((entry.key.clone(), body, params, entry.key_span));
        }
    }

    /// The one-line integrations: a function name, a URL, or `mock`.
    pub(super) fn short_integration(
        &mut self,
        text: &str,
        value: &Node,
        at: &Pointer,
        method: HttpMethod,
    ) -> Option<Node> {
        if text.starts_with("http://") || text.starts_with("https://") {
            return Some(self.http_integration(value, text, value.span, method, None));
        }
        if text == "mock" {
            return self.mock_integration(None, at, value.span, &mut MapBuilder::new(value.span));
        }
        let function = self.function(value, at)?;
        self.lambda_integration(function, value.span, None)
    }

    /// A Lambda proxy integration of a declared function, with the function's `integration`
    /// defaults and the route's `timeout` and `payload`. A function `shared` by the routes of an
    /// HTTP API is referred to by `$ref` when the route changes nothing.
    pub(super) fn lambda_integration(
        &mut self,
        function: usize,
        span: Span,
        long: Option<(&Node, &Pointer)>,
    ) -> Option<Node> {
        self.function_uses.push(FunctionUse::Operation {
            function,
            pointer: self.operation.clone(),
        });
        let decl = self.functions.get(function)?.clone();
        let mut integration = MapBuilder::new(span);
        integration.insert("type", node::string(span, "aws_proxy"));
        integration.insert("httpMethod", node::string(span, "POST"));
        integration.insert("uri", self.function_uri(function, span)?);
        if self.kind == ApiKind::Http {
            integration.insert("payloadFormatVersion", node::string(span, "2.0"));
        }
        let mut integration = integration.build();
        if let Some(defaults) = &decl.defaults {
            node::merge(&mut integration, defaults);
        }
        let overridden = long.is_some_and(|(route, _)| {
            route.get("timeout").is_some() || route.get("payload").is_some()
        });
        if let Some((route, at)) = long {
            let mut overrides = MapBuilder::new(span);
            if let Some(node) = route.get("payload") {
                if let Some(version) =
                    self.reader
                        .choice(node, &at.join("payload"), &["1.0", "2.0"])
                {
                    overrides.insert("payloadFormatVersion", node::string(node.span, version));
                }
            }
            self.timeout(route, at, &mut overrides);
            node::merge(&mut integration, &overrides.build());
        }
        match decl.shared {
            Some((name, shared_span)) if !overridden => {
                if !self
                    .shared_integrations
                    .iter()
                    .any(|(known, _)| known == &name)
                {
                    let mut shared = integration.clone();
                    respan(&mut shared, shared_span);
                    self.shared_integrations.push((name.clone(), shared));
                }
                Some(node::map(
                    span,
                    vec![(
                        "$ref".to_owned(),
                        node::string(
                            span,
                            format!("#/components/x-amazon-apigateway-integrations/{name}"),
                        ),
                    )],
                ))
            }
            _ => Some(integration),
        }
    }

    pub(super) fn http_integration(
        &mut self,
        value: &Node,
        url: &str,
        span: Span,
        method: HttpMethod,
        long: Option<(&Node, &Pointer)>,
    ) -> Node {
        let _ = value;
        let mut integration = MapBuilder::new(span);
        integration.insert("type", node::string(span, "http_proxy"));
        integration.insert("httpMethod", node::string(span, method.as_str()));
        integration.insert("uri", node::string(span, url));
        if self.kind == ApiKind::Http {
            integration.insert("payloadFormatVersion", node::string(span, "1.0"));
        }
        if let Some((route, at)) = long {
            self.timeout(route, at, &mut integration);
        }
        integration.build()
    }

    pub(super) fn timeout(&mut self, route: &Node, at: &Pointer, integration: &mut MapBuilder) {
        if let Some(node) = route.get("timeout") {
            if let Some(ms) = self.reader.integer(node, &at.join("timeout")) {
                integration.insert("timeoutInMillis", node::integer(node.span, ms));
            }
        }
    }

    /// A MOCK integration answering `status` (200 unless given) with `body`. REST APIs only;
    /// the method response it needs is added to the operation when the route has none.
    pub(super) fn mock_integration(
        &mut self,
        mock: Option<&Node>,
        at: &Pointer,
        span: Span,
        operation: &mut MapBuilder,
    ) -> Option<Node> {
        if self.kind == ApiKind::Http {
            self.reader
                .report(
                    InvalidValue::META,
                    at,
                    "HTTP APIs have no mock integrations",
                )
                .help("use a REST API (`kind: rest`), or a function that answers");
            return None;
        }
        let mut status = "200".to_owned();
        let mut body: Option<(String, Span)> = None;
        if let Some(mock) = mock.filter(|node| !node.is_null() && node.as_bool() != Some(true)) {
            let mock_ptr = at.join("mock");
            self.reader.map(mock, &mock_ptr)?;
            self.reader
                .fields(mock, &mock_ptr, "`mock`", &["status", "body"]);
            if let Some(node) = mock.get("status") {
                let text = self.reader.text(node, &mock_ptr.join("status"))?;
                if !is_status(&text) {
                    self.reader
                        .report(
                            InvalidValue::META,
                            &mock_ptr.join("status"),
                            format!("status `{text}` is not a three-digit code from 100 to 599"),
                        )
                        .help("write e.g. `status: 200`");
                    return None;
                }
                status = text;
            }
            if let Some(node) = mock.get("body") {
                let text = match &node.value {
                    Value::String(text) => text.clone(),
                    _ => node.to_json().to_string(),
                };
                body = Some((text, node.span));
            }
        }
        let mut integration = MapBuilder::new(span);
        integration.insert("type", node::string(span, "mock"));
        integration.insert(
            "requestTemplates",
            node::map(
                span,
                vec![(
                    "application/json".to_owned(),
                    node::string(span, format!("{{\"statusCode\": {status}}}")),
                )],
            ),
        );
        let mut response = MapBuilder::new(span);
        response.insert("statusCode", node::string(span, status.clone()));
        if let Some((body, body_span)) = body {
            response.insert(
                "responseTemplates",
                node::map(
                    body_span,
                    vec![("application/json".to_owned(), node::string(body_span, body))],
                ),
            );
        }
        integration.insert(
            "responses",
            node::map(span, vec![("default".to_owned(), response.build())]),
        );
        if self.kind == ApiKind::Rest {
            // API Gateway maps an integration response only onto a declared method response.
            let responses = match operation.get_mut("responses") {
                Some(responses) => responses,
                None => {
                    operation.insert("responses", node::map(span, Vec::new()));
                    operation.get_mut("responses")?
                }
            };
            if let Value::Map(map) = &mut responses.value {
                if map.get(&status).is_none() {
                    map.entries.push(crate::load::tree::Entry {
                        key: status.clone(),
                        key_span: span,
                        value: node::map(
                            span,
                            vec![(
                                "description".to_owned(),
                                node::string(span, format!("{status} response")),
                            )],
                        ),
                    });
                }
            }
        }
        Some(integration.build())
    }

    pub(super) fn long_integration(
        &mut self,
        key: &str,
        route: &Node,
        at: &Pointer,
        method: HttpMethod,
        operation: &mut MapBuilder,
    ) -> Option<Node> {
        let given: Vec<&str> = ["function", "http", "mock", "integration"]
            .into_iter()
            .filter(|field| route.get(field).is_some())
            .collect();
        match given.as_slice() {
            // A route written entirely in OpenAPI (`raw`) may have no backend of its own.
            [] if route.get("raw").is_some() => return None,
            [] => {
                self.reader
                    .missing(at, "function", &format!("route `{key}`"))
                    .help("give the route a backend: `function`, `http`, `mock` or `integration`");
                return None;
            }
            [_, second, ..] => {
                self.reader
                    .report(
                        InvalidValue::META,
                        &at.join(second),
                        format!(
                            "route `{key}` has more than one backend ({})",
                            given.join(", ")
                        ),
                    )
                    .help("keep one of `function`, `http`, `mock` and `integration`");
                return None;
            }
            [_] => {}
        }
        if let Some(node) = route.get("function") {
            let function = self.function(node, &at.join("function"))?;
            return self.lambda_integration(function, node.span, Some((route, at)));
        }
        if let Some(node) = route.get("http") {
            let http_ptr = at.join("http");
            let (url, http_method) = match &node.value {
                Value::String(url) => (url.clone(), method),
                Value::Map(_) => {
                    self.reader
                        .fields(node, &http_ptr, "`http`", &["url", "method"]);
                    let Some(url_node) = node.get("url") else {
                        self.reader.missing(&http_ptr, "url", "`http`");
                        return None;
                    };
                    let url = self
                        .reader
                        .string(url_node, &http_ptr.join("url"))?
                        .to_owned();
                    let http_method = match node.get("method") {
                        Some(method_node) => {
                            let text = self.reader.string(method_node, &http_ptr.join("method"))?;
                            match HttpMethod::parse(text) {
                                Some(parsed) => parsed,
                                None => {
                                    self.reader.report(
                                        InvalidValue::META,
                                        &http_ptr.join("method"),
                                        format!("`{text}` is not an HTTP method"),
                                    );
                                    return None;
                                }
                            }
                        }
                        None => method,
                    };
                    (url, http_method)
                }
                _ => {
                    self.reader
                        .wrong_type(node, &http_ptr, "a URL or an object");
                    return None;
                }
            };
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                self.reader
                    .report(
                        InvalidValue::META,
                        &http_ptr,
                        format!("`{url}` is not an http:// or https:// URL"),
                    )
                    .help("write the backend's full URL");
                return None;
            }
            return Some(self.http_integration(
                node,
                &url,
                node.span,
                http_method,
                Some((route, at)),
            ));
        }
        if let Some(node) = route.get("mock") {
            return self.mock_integration(Some(node), at, node.span, operation);
        }
        let node = route.get("integration")?;
        let integration_ptr = at.join("integration");
        self.reader.map(node, &integration_ptr)?;
        let mut integration = node.clone();
        // `function: name` inside a raw integration stands for its invocation URI.
        if let Some(function) = node.get("function") {
            let index = self.function(function, &integration_ptr.join("function"))?;
            self.function_uses.push(FunctionUse::Operation {
                function: index,
                pointer: self.operation.clone(),
            });
            let uri = self.function_uri(index, function.span)?;
            if let Value::Map(map) = &mut integration.value {
                if let Some(entry) = map.entries.iter_mut().find(|entry| entry.key == "function") {
                    entry.key = "uri".to_owned();
                    entry.value = uri;
                }
                if map.get("httpMethod").is_none() {
                    map.entries.push(crate::load::tree::Entry {
                        key: "httpMethod".to_owned(),
                        key_span: function.span,
                        value: node::string(function.span, "POST"),
                    });
                }
            }
        }
        Some(integration)
    }
}
