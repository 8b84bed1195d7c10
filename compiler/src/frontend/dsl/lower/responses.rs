//! CORS (HTTP API configuration, REST preflight methods) and gateway responses.

use super::*;

impl Lowering<'_, '_> {
    pub(super) fn cors_settings(&mut self, node: &Node, ptr: &Pointer) -> Option<CorsSettings> {
        if node.as_bool() == Some(true) {
            return Some(CorsSettings {
                origins: vec!["*".to_owned()],
                methods: vec!["*".to_owned()],
                headers: vec!["*".to_owned()],
                expose: Vec::new(),
                credentials: None,
                max_age: None,
                span: node.span,
                explicit: false,
            });
        }
        self.reader.map(node, ptr)?;
        self.reader.fields(
            node,
            ptr,
            "`cors`",
            &[
                "origins",
                "methods",
                "headers",
                "expose",
                "credentials",
                "max_age",
            ],
        );
        let list = |lowering: &mut Self, key: &str| {
            node.get(key)
                .map(|value| lowering.reader.strings(value, &ptr.join(key)))
                .unwrap_or_default()
        };
        Some(CorsSettings {
            origins: list(self, "origins"),
            methods: list(self, "methods"),
            headers: list(self, "headers"),
            expose: list(self, "expose"),
            credentials: node
                .get("credentials")
                .and_then(|value| self.reader.boolean(value, &ptr.join("credentials"))),
            max_age: node
                .get("max_age")
                .and_then(|value| self.reader.integer(value, &ptr.join("max_age"))),
            span: node.span,
            explicit: true,
        })
    }

    pub(super) fn http_cors(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        let settings = self.cors_settings(node, ptr)?;
        let span = settings.span;
        let list = |items: &[String]| {
            node::seq(
                span,
                items
                    .iter()
                    .map(|item| node::string(span, item.clone()))
                    .collect(),
            )
        };
        let mut cors = MapBuilder::new(span);
        if !settings.origins.is_empty() {
            cors.insert("allowOrigins", list(&settings.origins));
        }
        if let Some(credentials) = settings.credentials {
            cors.insert("allowCredentials", node::boolean(span, credentials));
        }
        if !settings.expose.is_empty() {
            cors.insert("exposeHeaders", list(&settings.expose));
        }
        if let Some(max_age) = settings.max_age {
            cors.insert("maxAge", node::integer(span, max_age));
        }
        if !settings.methods.is_empty() {
            cors.insert("allowMethods", list(&settings.methods));
        }
        if !settings.headers.is_empty() {
            cors.insert("allowHeaders", list(&settings.headers));
        }
        Some(cors.build())
    }

    /// REST APIs answer CORS preflights themselves: every path without its own `OPTIONS`
    /// route gets a MOCK `OPTIONS` method returning the `Access-Control-Allow-*` headers.
    pub(super) fn rest_cors(
        &mut self,
        node: &Node,
        ptr: &Pointer,
        paths: &mut Node,
        root_requirement: Option<&Requirement>,
    ) {
        let Some(settings) = self.cors_settings(node, ptr) else {
            return;
        };
        if settings.origins.len() > 1 {
            self.reader
                .report(
                    InvalidValue::META,
                    &ptr.join("origins"),
                    format!(
                        "a REST API answers preflights with one static origin; {} are listed",
                        settings.origins.len()
                    ),
                )
                .help("list one origin (or `*`), or answer OPTIONS from a function that picks the origin");
        }
        let span = settings.span;
        let origin = settings
            .origins
            .first()
            .cloned()
            .unwrap_or_else(|| "*".to_owned());
        let headers = if settings.headers.is_empty() || settings.headers == ["*"] {
            DEFAULT_CORS_HEADERS.to_owned()
        } else {
            settings.headers.join(",")
        };
        let Value::Map(path_map) = &mut paths.value else {
            return;
        };
        for item in &mut path_map.entries {
            let Value::Map(operations) = &mut item.value.value else {
                continue;
            };
            if operations.get("options").is_some() {
                continue;
            }
            let methods =
                if settings.explicit && !settings.methods.is_empty() && settings.methods != ["*"] {
                    settings.methods.join(",")
                } else {
                    let mut methods: Vec<&str> = operations
                        .entries
                        .iter()
                        .filter_map(|entry| HttpMethod::parse(&entry.key))
                        .map(|method| method.as_str())
                        .collect();
                    methods.push("OPTIONS");
                    methods.join(",")
                };
            let mut header_schemas = Vec::new();
            let mut parameters = Vec::new();
            let mut allow = vec![
                ("Access-Control-Allow-Origin", format!("'{origin}'")),
                ("Access-Control-Allow-Methods", format!("'{methods}'")),
                ("Access-Control-Allow-Headers", format!("'{headers}'")),
            ];
            if settings.credentials == Some(true) {
                allow.push(("Access-Control-Allow-Credentials", "'true'".to_owned()));
            }
            if let Some(max_age) = settings.max_age {
                allow.push(("Access-Control-Max-Age", format!("'{max_age}'")));
            }
            for (header, value) in allow {
                header_schemas.push((
                    header.to_owned(),
                    node::map(
                        span,
                        vec![(
                            "schema".to_owned(),
                            node::map(
                                span,
                                vec![("type".to_owned(), node::string(span, "string"))],
                            ),
                        )],
                    ),
                ));
                parameters.push((
                    format!("method.response.header.{header}"),
                    node::string(span, value),
                ));
            }
            // The shape API Gateway's console gives an "Enable CORS" preflight method.
            let mut operation = MapBuilder::new(span);
            let path_parameters: Vec<Node> = path_parameter_names(&item.key)
                .into_iter()
                .map(|name| parameter(span, &name, "path", true, None, None))
                .collect();
            if !path_parameters.is_empty() {
                operation.insert("parameters", node::seq(span, path_parameters));
            }
            let mut response = vec![
                ("description".to_owned(), node::string(span, "200 response")),
                ("headers".to_owned(), node::map(span, header_schemas)),
            ];
            if self.model_names.iter().any(|name| name == "Empty") {
                response.push((
                    "content".to_owned(),
                    node::map(
                        span,
                        vec![(
                            "application/json".to_owned(),
                            node::map(
                                span,
                                vec![(
                                    "schema".to_owned(),
                                    node::map(
                                        span,
                                        vec![(
                                            "$ref".to_owned(),
                                            node::string(span, "#/components/schemas/Empty"),
                                        )],
                                    ),
                                )],
                            ),
                        )],
                    ),
                ));
            }
            operation.insert(
                "responses",
                node::map(span, vec![("200".to_owned(), node::map(span, response))]),
            );
            if root_requirement.is_some() {
                // Browsers send preflights without credentials.
                operation.insert("security", node::seq(span, Vec::new()));
            }
            operation.insert(
                "x-amazon-apigateway-integration",
                node::map(
                    span,
                    vec![
                        ("type".to_owned(), node::string(span, "mock")),
                        (
                            "requestTemplates".to_owned(),
                            node::map(
                                span,
                                vec![(
                                    "application/json".to_owned(),
                                    node::string(span, "{\"statusCode\": 200}"),
                                )],
                            ),
                        ),
                        (
                            "passthroughBehavior".to_owned(),
                            node::string(span, "when_no_match"),
                        ),
                        (
                            "responses".to_owned(),
                            node::map(
                                span,
                                vec![(
                                    "default".to_owned(),
                                    node::map(
                                        span,
                                        vec![
                                            ("statusCode".to_owned(), node::string(span, "200")),
                                            (
                                                "responseParameters".to_owned(),
                                                node::map(span, parameters),
                                            ),
                                        ],
                                    ),
                                )],
                            ),
                        ),
                    ],
                ),
            );
            operations.entries.push(crate::load::tree::Entry {
                key: "options".to_owned(),
                key_span: span,
                value: operation.build(),
            });
        }
    }

    pub(super) fn gateway_responses(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        if self.kind != ApiKind::Rest {
            self.reader
                .report(
                    InvalidValue::META,
                    ptr,
                    "gateway responses apply to REST APIs only",
                )
                .help("remove `gateway_responses`");
            return None;
        }
        let map = self.reader.map(node, ptr)?.as_map()?;
        let mut out = MapBuilder::new(node.span);
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let value = &entry.value;
            if self.reader.map(value, &at).is_none() {
                continue;
            }
            self.reader.fields(
                value,
                &at,
                &format!("gateway response `{}`", entry.key),
                &["status", "headers", "template"],
            );
            let mut response = MapBuilder::new(value.span);
            if let Some(status) = value.get("status") {
                if let Some(text) = self.reader.text(status, &at.join("status")) {
                    response.insert("statusCode", node::string(status.span, text));
                }
            }
            if let Some(headers) = value.get("headers") {
                let headers_ptr = at.join("headers");
                if let Some(header_map) = self
                    .reader
                    .map(headers, &headers_ptr)
                    .and_then(Node::as_map)
                {
                    let mut parameters = MapBuilder::new(headers.span);
                    for header in &header_map.entries {
                        let Some(text) = self
                            .reader
                            .text(&header.value, &headers_ptr.join(&header.key))
                        else {
                            continue;
                        };
                        parameters.insert_at(
                            format!("gatewayresponse.header.{}", header.key),
                            header.key_span,
                            node::string(header.value.span, static_value(&text)),
                        );
                    }
                    response.insert("responseParameters", parameters.build());
                }
            }
            if let Some(template) = value.get("template") {
                let template_ptr = at.join("template");
                let templates = match &template.value {
                    Value::String(text) => node::map(
                        template.span,
                        vec![(
                            "application/json".to_owned(),
                            node::string(template.span, text.clone()),
                        )],
                    ),
                    Value::Map(_) => template.clone(),
                    _ => {
                        self.reader.wrong_type(
                            template,
                            &template_ptr,
                            "a template or a map of content type to template",
                        );
                        continue;
                    }
                };
                response.insert("responseTemplates", templates);
            }
            out.insert_at(entry.key.clone(), entry.key_span, response.build());
        }
        Some(out.build())
    }
}
