//! Functions: how each is bound at deploy time (the invocation URI it stands for) and how it
//! runs locally.

use super::*;

impl Lowering<'_, '_> {
    pub(super) fn functions(&mut self, node: &Node, ptr: &Pointer) {
        let Some(map) = self.reader.map(node, ptr).and_then(Node::as_map) else {
            return;
        };
        for entry in &map.entries {
            let at = ptr.join(&entry.key);
            let value = &entry.value;
            if self.reader.map(value, &at).is_none() {
                continue;
            }
            self.reader.fields(
                value,
                &at,
                &format!("function `{}`", entry.key),
                FUNCTION_FIELDS,
            );
            let (binding, uri) = self.binding(&entry.key, value, &at, entry.key_span);
            let defaults = value.get("integration").and_then(|node| {
                let defaults_ptr = at.join("integration");
                self.reader.map(node, &defaults_ptr)?;
                Some(node.clone())
            });
            let shared = value.get("shared").and_then(|node| {
                let shared_ptr = at.join("shared");
                let name = self.reader.string(node, &shared_ptr)?.to_owned();
                if self.kind != ApiKind::Http {
                    self.reader
                        .report(
                            InvalidValue::META,
                            &shared_ptr,
                            "shared integrations apply to HTTP APIs only",
                        )
                        .help("remove `shared`");
                    return None;
                }
                Some((name, node.span))
            });
            let local = self.local(value, &at);
            let timeout_seconds = value
                .get("timeout")
                .and_then(|node| self.reader.integer(node, &at.join("timeout")));
            self.functions.push(FunctionDecl {
                name: entry.key.clone(),
                binding,
                uri,
                defaults,
                shared,
                local,
                timeout_seconds,
            });
        }
    }

    /// The binding a function states and the invocation URI it stands for.
    pub(super) fn binding(
        &mut self,
        name: &str,
        value: &Node,
        at: &Pointer,
        span: Span,
    ) -> (Option<FunctionBinding>, Node) {
        let given: Vec<&str> = ["arn", "parameter", "stack", "uri"]
            .into_iter()
            .filter(|key| value.get(key).is_some())
            .collect();
        if let [_, second, ..] = given.as_slice() {
            self.reader
                .report(
                    InvalidValue::META,
                    &at.join(second),
                    format!(
                        "function `{name}` is bound more than one way ({})",
                        given.join(", ")
                    ),
                )
                .help("keep one of `arn`, `parameter`, `stack` and `uri`");
        }
        let binding = self.stated_binding(name, value, at);
        if let (None, Some(node)) = (&binding, value.get("uri")) {
            if let Some(uri) = self.deploy_value(node, &at.join("uri")) {
                return (None, uri);
            }
        }
        let binding = binding.unwrap_or_else(|| FunctionBinding::Parameter {
            name: name.to_owned(),
        });
        let uri = invocation_uri(&binding, span);
        (Some(binding), uri)
    }

    pub(super) fn stated_binding(
        &mut self,
        name: &str,
        value: &Node,
        at: &Pointer,
    ) -> Option<FunctionBinding> {
        let _ = name;
        if let Some(node) = value.get("arn") {
            let arn = self.reader.string(node, &at.join("arn"))?;
            if lambda_region(arn).is_none() {
                self.reader
                    .report(
                        InvalidValue::META,
                        &at.join("arn"),
                        format!("`{arn}` is not a Lambda function ARN"),
                    )
                    .help("write `arn:aws:lambda:REGION:ACCOUNT:function:NAME`, or bind the function with `parameter`, `stack` or `uri`");
                return None;
            }
            return Some(FunctionBinding::Arn {
                arn: arn.to_owned(),
            });
        }
        if let Some(node) = value.get("stack") {
            let id = self.identifier(node, &at.join("stack"))?;
            return Some(FunctionBinding::StackResource { logical_id: id });
        }
        if let Some(node) = value.get("parameter") {
            let id = self.identifier(node, &at.join("parameter"))?;
            return Some(FunctionBinding::Parameter { name: id });
        }
        None
    }

    /// A list of deploy-time values; a single one reads as a list of one.
    pub(super) fn deploy_values(&mut self, node: &Node, ptr: &Pointer) -> Vec<Node> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| self.deploy_value(item, &ptr.index(index)))
                .collect(),
            _ => self.deploy_value(node, ptr).into_iter().collect(),
        }
    }

    /// A value known at deploy time: a string (with `${Name}` placeholders) or a
    /// CloudFormation intrinsic (`!Sub`, `!Ref`, `!GetAtt` …), kept as written.
    pub(super) fn deploy_value(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        match &node.value {
            Value::String(_) => Some(node.clone()),
            Value::Map(_) if crate::frontend::expr::intrinsic_name(node).is_some() => {
                Some(node.clone())
            }
            _ => {
                self.reader
                    .wrong_type(node, ptr, "a string or an intrinsic function");
                None
            }
        }
    }

    /// A parameter or resource name: letters, digits, `_` and `-` (what both CloudFormation
    /// logical ids and Terraform variables can be written as inside `${…}`).
    pub(super) fn identifier(&mut self, node: &Node, ptr: &Pointer) -> Option<String> {
        let text = self.reader.string(node, ptr)?;
        let valid = !text.is_empty()
            && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            self.reader
                .report(
                    InvalidValue::META,
                    ptr,
                    format!("`{text}` is not a parameter or resource name"),
                )
                .help("use letters, digits, `_` and `-`, starting with a letter");
            return None;
        }
        Some(text.to_owned())
    }

    pub(super) fn local(&mut self, value: &Node, at: &Pointer) -> Option<LocalFunction> {
        let dir = value
            .get("dir")
            .and_then(|node| self.reader.string(node, &at.join("dir")))
            .map(str::to_owned);
        let ways: Vec<&str> = ["command", "runtime_api", "runtime", "url"]
            .into_iter()
            .filter(|key| value.get(key).is_some())
            .collect();
        if let [_, second, ..] = ways.as_slice() {
            self.reader
                .report(
                    InvalidValue::META,
                    &at.join(second),
                    format!(
                        "a function runs locally one way; this one says {}",
                        ways.join(", ")
                    ),
                )
                .help("keep one of `command`, `runtime_api`, `runtime` (with `handler`) and `url`");
        }
        if let Some(node) = value.get("command") {
            let argv = self.argv(node, &at.join("command"))?;
            return Some(LocalFunction::Command { argv, dir });
        }
        if let Some(node) = value.get("runtime_api") {
            let argv = self.argv(node, &at.join("runtime_api"))?;
            return Some(LocalFunction::RuntimeApi { argv, dir });
        }
        if let Some(node) = value.get("runtime") {
            let runtime = self.reader.string(node, &at.join("runtime"))?.to_owned();
            let Some(handler) = value.get("handler") else {
                self.reader
                    .missing(at, "handler", "a function with a `runtime`")
                    .help("add `handler: app.handler` (module and function)");
                return None;
            };
            let handler = self.reader.string(handler, &at.join("handler"))?.to_owned();
            let code = value
                .get("code")
                .and_then(|node| self.reader.string(node, &at.join("code")))
                .map(str::to_owned);
            return Some(LocalFunction::Runtime {
                runtime,
                handler,
                code,
            });
        }
        for key in ["handler", "code"] {
            if value.get(key).is_some() {
                self.reader
                    .report(
                        MissingField::META,
                        &at.join(key),
                        format!("`{key}` needs a `runtime` beside it"),
                    )
                    .help("add `runtime: python3.12` (or nodejs20.x …)");
            }
        }
        if let Some(node) = value.get("url") {
            let url = self.reader.string(node, &at.join("url"))?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                self.reader
                    .report(
                        InvalidValue::META,
                        &at.join("url"),
                        format!("`{url}` is not an http:// or https:// URL"),
                    )
                    .help("give the address of a Lambda Invoke API, e.g. http://127.0.0.1:3001");
                return None;
            }
            return Some(LocalFunction::Url {
                url: url.to_owned(),
            });
        }
        None
    }

    pub(super) fn argv(&mut self, node: &Node, ptr: &Pointer) -> Option<Vec<String>> {
        let argv = match &node.value {
            Value::String(text) => split_command(text),
            Value::Seq(_) => self.reader.strings(node, ptr),
            _ => {
                self.reader
                    .wrong_type(node, ptr, "a command line or a list of arguments");
                return None;
            }
        };
        if argv.is_empty() {
            self.reader
                .report(InvalidValue::META, ptr, "the command is empty")
                .help("write the program and its arguments, e.g. `python3 handler.py`");
            return None;
        }
        Some(argv)
    }

    /// The declared function a route or authorizer names (its index), reported when it is not
    /// declared.
    pub(super) fn function(&mut self, name_node: &Node, ptr: &Pointer) -> Option<usize> {
        let name = self.reader.string(name_node, ptr)?;
        if let Some(index) = self.functions.iter().position(|decl| decl.name == name) {
            return Some(index);
        }
        let near =
            suggest(name, self.functions.iter().map(|decl| decl.name.as_str())).map(str::to_owned);
        let pending = self.reader.report(
            UnresolvedRef::META,
            ptr,
            format!("function `{name}` is not declared under `functions`"),
        );
        match near {
            Some(near) => pending.help(format!("did you mean `{near}`?")),
            None => pending.help(format!(
                "declare it: `functions: {{{name}: {{}}}}` binds it to the parameter `{name}`"
            )),
        };
        None
    }

    /// The function's invocation URI: placed at `span` when the DSL made it, where the user
    /// wrote it when given as `uri`.
    pub(super) fn function_uri(&self, index: usize, span: Span) -> Option<Node> {
        let decl = self.functions.get(index)?;
        let mut uri = decl.uri.clone();
        if decl.binding.is_some() {
            respan(&mut uri, span);
        }
        Some(uri)
    }
}
