//! Parameters, request bodies, method responses and models: JSON Schemas with `$ref: Name`.

use super::*;

impl Lowering<'_, '_> {
    pub(super) fn path_parameters(&mut self, path: &str, span: Span, operation: &mut MapBuilder) {
        let parameters: Vec<Node> = path_parameter_names(path)
            .into_iter()
            .map(|name| parameter(span, &name, "path", true, None, None))
            .collect();
        if !parameters.is_empty() {
            operation.insert("parameters", node::seq(span, parameters));
        }
    }

    pub(super) fn parameters(
        &mut self,
        route: &Node,
        at: &Pointer,
        path: &str,
        span: Span,
        operation: &mut MapBuilder,
    ) {
        let mut parameters = Vec::new();
        match route.get("path") {
            Some(node) => {
                parameters.extend(self.parameter_map(node, &at.join("path"), "path"));
            }
            None => {
                parameters.extend(
                    path_parameter_names(path)
                        .into_iter()
                        .map(|name| parameter(span, &name, "path", true, None, None)),
                );
            }
        }
        if let Some(node) = route.get("query") {
            parameters.extend(self.parameter_map(node, &at.join("query"), "query"));
        }
        if let Some(node) = route.get("headers") {
            parameters.extend(self.parameter_map(node, &at.join("headers"), "header"));
        }
        if !parameters.is_empty() {
            operation.insert("parameters", node::seq(span, parameters));
        }
    }

    /// `{name: type}` or `{name: {type, required, description, schema}}` → parameters.
    pub(super) fn parameter_map(
        &mut self,
        node: &Node,
        ptr: &Pointer,
        location: &str,
    ) -> Vec<Node> {
        let mut out = Vec::new();
        let Some(map) = self.reader.map(node, ptr).and_then(Node::as_map) else {
            return out;
        };
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let value = &entry.value;
            let span = entry.key_span;
            match &value.value {
                Value::Null => out.push(parameter(
                    span,
                    &entry.key,
                    location,
                    location == "path",
                    None,
                    None,
                )),
                Value::String(kind) => {
                    let schema = node::map(
                        value.span,
                        vec![("type".to_owned(), node::string(value.span, kind.clone()))],
                    );
                    out.push(parameter(
                        span,
                        &entry.key,
                        location,
                        location == "path",
                        None,
                        Some(schema),
                    ));
                }
                Value::Map(_) => {
                    self.reader.fields(
                        value,
                        &at,
                        &format!("parameter `{}`", entry.key),
                        &["type", "required", "description", "schema"],
                    );
                    let required = value
                        .get("required")
                        .and_then(|node| self.reader.boolean(node, &at.join("required")))
                        .unwrap_or(location == "path");
                    let description = value
                        .get("description")
                        .and_then(|node| self.reader.text(node, &at.join("description")));
                    let schema = match (value.get("schema"), value.get("type")) {
                        (Some(schema), _) => self
                            .reader
                            .map(schema, &at.join("schema"))
                            .map(|schema| self.schema(schema)),
                        (None, Some(kind)) => {
                            self.reader.string(kind, &at.join("type")).map(|text| {
                                node::map(
                                    kind.span,
                                    vec![("type".to_owned(), node::string(kind.span, text))],
                                )
                            })
                        }
                        (None, None) => None,
                    };
                    out.push(parameter(
                        span,
                        &entry.key,
                        location,
                        required,
                        description,
                        schema,
                    ));
                }
                _ => self
                    .reader
                    .wrong_type(value, &at, "a type name or an object"),
            }
        }
        out
    }

    /// A schema as written in the DSL: a model name, or inline JSON Schema whose `$ref: Name`
    /// names a model.
    pub(super) fn schema_or_model(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        match &node.value {
            Value::String(name) => Some(self.model_ref(name, node.span, ptr)),
            Value::Map(_) => Some(self.schema(node)),
            _ => {
                self.reader
                    .wrong_type(node, ptr, "a model name or a JSON Schema");
                None
            }
        }
    }

    pub(super) fn model_ref(&mut self, name: &str, span: Span, ptr: &Pointer) -> Node {
        if !self.model_names.iter().any(|known| known == name) {
            let near =
                suggest(name, self.model_names.iter().map(String::as_str)).map(str::to_owned);
            let pending = self.reader.report(
                UnresolvedRef::META,
                ptr,
                format!("model `{name}` is not declared under `models`"),
            );
            match near {
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help("declare it under `models`, or write the schema inline"),
            };
        }
        node::map(
            span,
            vec![(
                "$ref".to_owned(),
                node::string(span, format!("#/components/schemas/{name}")),
            )],
        )
    }

    /// Inline JSON Schema with `$ref: Name` shorthands expanded.
    pub(super) fn schema(&mut self, node: &Node) -> Node {
        expand_refs(node, 0)
    }

    pub(super) fn body(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        let span = node.span;
        let (schema, content_type, required, description) = match &node.value {
            Value::String(_) => (
                self.schema_or_model(node, ptr),
                "application/json".to_owned(),
                true,
                None,
            ),
            Value::Map(_)
                if node.get("model").is_some()
                    || node.get("schema").is_some()
                    || node.get("content_type").is_some()
                    || node.get("required").is_some() =>
            {
                self.reader.fields(
                    node,
                    ptr,
                    "`body`",
                    &["model", "schema", "content_type", "required", "description"],
                );
                let schema = match (node.get("model"), node.get("schema")) {
                    (Some(model), _) => {
                        let name = self.reader.string(model, &ptr.join("model"))?;
                        Some(self.model_ref(name, model.span, &ptr.join("model")))
                    }
                    (None, Some(schema)) => self.schema_or_model(schema, &ptr.join("schema")),
                    (None, None) => None,
                };
                let content_type = node
                    .get("content_type")
                    .and_then(|value| self.reader.string(value, &ptr.join("content_type")))
                    .unwrap_or("application/json")
                    .to_owned();
                let required = node
                    .get("required")
                    .and_then(|value| self.reader.boolean(value, &ptr.join("required")))
                    .unwrap_or(true);
                let description = node
                    .get("description")
                    .and_then(|value| self.reader.text(value, &ptr.join("description")));
                (schema, content_type, required, description)
            }
            Value::Map(_) => (
                Some(self.schema(node)),
                "application/json".to_owned(),
                true,
                None,
            ),
            _ => {
                self.reader
                    .wrong_type(node, ptr, "a model name, a JSON Schema or an object");
                return None;
            }
        };
        let mut body = MapBuilder::new(span);
        if let Some(description) = description {
            body.insert("description", node::string(span, description));
        }
        body.insert("required", node::boolean(span, required));
        let media = match schema {
            Some(schema) => node::map(span, vec![("schema".to_owned(), schema)]),
            None => node::map(span, Vec::new()),
        };
        body.insert("content", node::map(span, vec![(content_type, media)]));
        Some(body.build())
    }

    pub(super) fn responses(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        let map = self.reader.map(node, ptr)?.as_map()?;
        let mut responses = MapBuilder::new(node.span);
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let status = entry.key.as_str();
            if !(is_status(status) || status == "default" || is_status_class(status)) {
                self.reader
                    .report(
                        InvalidValue::META,
                        &at,
                        format!("`{status}` is not a status code"),
                    )
                    .help("write a code such as `200`, a class such as `4XX`, or `default`");
                continue;
            }
            let value = &entry.value;
            let mut response = MapBuilder::new(entry.key_span);
            let mut content: Option<(Node, String)> = None;
            match &value.value {
                Value::Null => {}
                Value::String(_) => {
                    content = self
                        .schema_or_model(value, &at)
                        .map(|schema| (schema, "application/json".to_owned()));
                }
                Value::Map(_) => {
                    self.reader.fields(
                        value,
                        &at,
                        &format!("response `{status}`"),
                        &["description", "model", "schema", "content_type", "headers"],
                    );
                    if let Some(description) = value
                        .get("description")
                        .and_then(|node| self.reader.text(node, &at.join("description")))
                    {
                        response.insert("description", node::string(value.span, description));
                    }
                    let content_type = value
                        .get("content_type")
                        .and_then(|node| self.reader.string(node, &at.join("content_type")))
                        .unwrap_or("application/json")
                        .to_owned();
                    let schema = match (value.get("model"), value.get("schema")) {
                        (Some(model), _) => self
                            .reader
                            .string(model, &at.join("model"))
                            .map(str::to_owned)
                            .map(|name| self.model_ref(&name, model.span, &at.join("model"))),
                        (None, Some(schema)) => self.schema_or_model(schema, &at.join("schema")),
                        (None, None) => None,
                    };
                    if let Some(schema) = schema {
                        content = Some((schema, content_type));
                    }
                    if let Some(headers) = value.get("headers") {
                        let headers_ptr = at.join("headers");
                        if let Some(header_map) = self
                            .reader
                            .map(headers, &headers_ptr)
                            .and_then(Node::as_map)
                        {
                            let mut out = MapBuilder::new(headers.span);
                            for header in &header_map.entries {
                                let kind = match &header.value.value {
                                    Value::Null => "string".to_owned(),
                                    _ => match self
                                        .reader
                                        .string(&header.value, &headers_ptr.join(&header.key))
                                    {
                                        Some(kind) => kind.to_owned(),
                                        None => continue,
                                    },
                                };
                                out.insert_at(
                                    header.key.clone(),
                                    header.key_span,
                                    node::map(
                                        header.key_span,
                                        vec![(
                                            "schema".to_owned(),
                                            node::map(
                                                header.key_span,
                                                vec![(
                                                    "type".to_owned(),
                                                    node::string(header.key_span, kind),
                                                )],
                                            ),
                                        )],
                                    ),
                                );
                            }
                            response.insert("headers", out.build());
                        }
                    }
                }
                _ => {
                    self.reader.wrong_type(
                        value,
                        &at,
                        "a model name, a JSON Schema, an object or nothing",
                    );
                    continue;
                }
            }
            if let Some((schema, content_type)) = content {
                response.insert(
                    "content",
                    node::map(
                        value.span,
                        vec![(
                            content_type,
                            node::map(value.span, vec![("schema".to_owned(), schema)]),
                        )],
                    ),
                );
            }
            responses.insert_at(entry.key.clone(), entry.key_span, response.build());
        }
        Some(responses.build())
    }

    pub(super) fn models(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        let map = self.reader.map(node, ptr)?.as_map()?;
        let mut schemas = MapBuilder::new(node.span);
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            if self.reader.map(&entry.value, &at).is_none() {
                continue;
            }
            let schema = self.schema(&entry.value);
            self.check_model_refs(&entry.value, &at, 0);
            schemas.insert_at(entry.key.clone(), entry.key_span, schema);
        }
        Some(schemas.build())
    }

    /// Reports `$ref: Name` shorthands that name no model.
    pub(super) fn check_model_refs(&mut self, node: &Node, ptr: &Pointer, depth: usize) {
        if depth > MAX_SCHEMA_DEPTH {
            return;
        }
        match &node.value {
            Value::Map(map) => {
                for entry in &map.entries {
                    let at = ptr.join(&entry.key);
                    match (&entry.key[..], &entry.value.value) {
                        ("$ref", Value::String(name)) if is_model_name(name) => {
                            if !self.model_names.iter().any(|known| known == name) {
                                let near =
                                    suggest(name, self.model_names.iter().map(String::as_str))
                                        .map(str::to_owned);
                                let pending = self.reader.report(
                                    UnresolvedRef::META,
                                    &at,
                                    format!("model `{name}` is not declared under `models`"),
                                );
                                if let Some(near) = near {
                                    pending.help(format!("did you mean `{near}`?"));
                                }
                            }
                        }
                        _ => self.check_model_refs(&entry.value, &at, depth + 1),
                    }
                }
            }
            Value::Seq(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.check_model_refs(item, &ptr.index(index), depth + 1);
                }
            }
            _ => {}
        }
    }
}
