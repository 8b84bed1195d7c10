//! The DSL's meaning: a DSL document → the OpenAPI 3.0 document (with API Gateway's extensions)
//! it stands for, plus what OpenAPI cannot say (how functions are bound and run, stages, usage
//! plans, keys, domains, tags), read into IR values directly.
//!
//! Every shape problem is reported here, at the DSL node. The OpenAPI document it builds is a
//! located tree whose spans are the DSL's, so whatever the OpenAPI front end or a rule later finds
//! in it points at the DSL line too. This module does not build routes or integrations of the
//! IR itself: the OpenAPI front end does, which is why a DSL file and its OpenAPI twin lower to
//! the same IR.

use indexmap::IndexMap;

use crate::ir::{ApiKind, FunctionBinding, HttpMethod, LocalFunction};
use crate::load::tree::{Node, Span, Value};
use crate::pointer::Pointer;
use crate::rules::structure::{InvalidValue, MissingField, UnresolvedRef, UnsupportedSpecVersion};

use super::deploy::{self, Deploy};
use super::node::{self, MapBuilder};
use super::reader::{suggest, Reader};

/// The version marker's key and the one version this compiler reads.
pub(crate) const MARKER: &str = "apigw";
pub(crate) const VERSION: i64 = 1;

pub(crate) const ROOT_FIELDS: &[&str] = &[
    "apigw",
    "kind",
    "name",
    "version",
    "description",
    "functions",
    "authorizers",
    "auth",
    "api_key",
    "api_key_source",
    "models",
    "validate",
    "cors",
    "gateway_responses",
    "binary_media_types",
    "minimum_compression_size",
    "policy",
    "endpoint",
    "base_path",
    "stages",
    "api_keys",
    "usage_plans",
    "domains",
    "tags",
    "route_selection",
    "api_key_selection",
    "routes",
    "validators",
    "raw",
];

pub(crate) const ROUTE_FIELDS: &[&str] = &[
    "function",
    "http",
    "mock",
    "integration",
    "auth",
    "api_key",
    "summary",
    "description",
    "operation_id",
    "tags",
    "deprecated",
    "path",
    "query",
    "headers",
    "body",
    "responses",
    "validate",
    "timeout",
    "payload",
    "response",
    "ignore",
    "raw",
];

pub(crate) const FUNCTION_FIELDS: &[&str] = &[
    "arn",
    "parameter",
    "stack",
    "uri",
    "integration",
    "shared",
    "command",
    "runtime_api",
    "runtime",
    "handler",
    "code",
    "url",
    "dir",
    "timeout",
];

pub(crate) const AUTHORIZER_FIELDS: &[&str] = &[
    "type",
    "function",
    "header",
    "identity",
    "ttl",
    "validation",
    "credentials",
    "user_pools",
    "issuer",
    "audience",
    "payload",
    "simple_responses",
    "description",
    "scheme",
];

pub(crate) const AUTHORIZER_TYPES: &[&str] = &[
    "token", "request", "cognito", "jwt", "iam", "api_key", "openapi",
];

const KINDS: &[&str] = &["rest", "http", "websocket"];

/// The request validators `validate` names, with what each checks (body, parameters).
pub(crate) const VALIDATORS: &[(&str, bool, bool)] = &[
    ("all", true, true),
    ("body", true, false),
    ("params", false, true),
    ("none", false, false),
];

/// The scheme an `auth: iam` route requires when no `type: iam` authorizer is declared.
pub(crate) const IAM_SCHEME: &str = "sigv4";
/// The scheme a route with `api_key: true` requires.
pub(crate) const API_KEY_SCHEME: &str = "api_key";

/// The CORS headers REST preflight responses allow when `cors.headers` is not given (the set
/// API Gateway's console uses).
pub(crate) const DEFAULT_CORS_HEADERS: &str =
    "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token";

/// A function as declared: the invocation URI its binding stands for, and what the OpenAPI
/// form cannot say (how it runs locally).
#[derive(Clone, Debug)]
pub(crate) struct FunctionDecl {
    pub name: String,
    /// The binding, when the DSL states it (`arn`, `parameter`, `stack`, or the default); `None`
    /// when a `uri` is given and the OpenAPI front end derives the binding from it.
    pub binding: Option<FunctionBinding>,
    /// The value of the integration's `uri`.
    pub uri: Node,
    /// Integration fields every route invoking the function gets (`integration:`).
    pub defaults: Option<Node>,
    /// HTTP APIs: the shared integration (`components.x-amazon-apigateway-integrations`) the
    /// routes refer to.
    pub shared: Option<(String, Span)>,
    pub local: Option<LocalFunction>,
    pub timeout_seconds: Option<i64>,
}

/// Where a DSL function is invoked in the OpenAPI document: the operation (or security
/// scheme) whose lowered IR names the function.
#[derive(Clone, Debug)]
pub(crate) enum FunctionUse {
    Operation { function: usize, pointer: Pointer },
    Authorizer { function: usize, name: String },
}

/// A WebSocket route as written: its key and whether it answers (two-way).
#[derive(Clone, Debug)]
pub(crate) struct SocketRoute {
    pub key: String,
    pub ptr: Pointer,
    pub two_way: bool,
}

/// What a DSL document lowers to before the OpenAPI front end reads it.
#[derive(Debug)]
pub(crate) struct Desugared {
    pub kind: ApiKind,
    /// The OpenAPI document. For a WebSocket API it holds one path per route (`/` + the route
    /// key), which only carries the integrations and authorizers to the OpenAPI front end.
    pub spec: Node,
    pub functions: Vec<FunctionDecl>,
    pub function_uses: Vec<FunctionUse>,
    pub deploy: Deploy,
    pub socket_routes: Vec<SocketRoute>,
    pub route_selection: Option<String>,
    pub api_key_selection: Option<String>,
}

/// One way to satisfy a route: every scheme named, each with its OAuth scopes.
type Alternative = Vec<(String, Vec<String>)>;

/// What a request must satisfy: one of the alternatives (none at all is `auth: none`), and the
/// API key when `api_key` is set.
#[derive(Clone, Debug, PartialEq)]
struct Requirement {
    schemes: Vec<Alternative>,
    api_key: bool,
}

struct Lowering<'r, 'a> {
    reader: &'a mut Reader<'r>,
    kind: ApiKind,
    functions: Vec<FunctionDecl>,
    /// Authorizer name → its type.
    authorizers: Vec<(String, &'static str)>,
    uses_iam_scheme: bool,
    uses_api_key: bool,
    validators_used: Vec<&'static str>,
    declared_validators: Vec<(String, bool, bool, Span)>,
    model_names: Vec<String>,
    function_uses: Vec<FunctionUse>,
    shared_integrations: Vec<(String, Node)>,
    /// The pointer, in the OpenAPI document, of the operation being built.
    operation: Pointer,
}

/// Lowers the DSL document `root`. `None` when it is not one this compiler can read (the reason
/// is reported).
pub(crate) fn desugar(reader: &mut Reader<'_>, root: &Node) -> Option<Desugared> {
    let root_ptr = Pointer::root();
    if root.as_map().is_none() {
        reader.wrong_type(root, &root_ptr, "an object");
        return None;
    }
    check_version(reader, root)?;
    reader.fields(root, &root_ptr, "an apigw document", ROOT_FIELDS);
    let kind = match root.get("kind") {
        Some(node) => match reader.choice(node, &root_ptr.join("kind"), KINDS) {
            Some("http") => ApiKind::Http,
            Some("websocket") => ApiKind::Websocket,
            _ => ApiKind::Rest,
        },
        None => ApiKind::Rest,
    };
    let mut lowering = Lowering {
        reader,
        kind,
        functions: Vec::new(),
        authorizers: Vec::new(),
        uses_iam_scheme: false,
        uses_api_key: false,
        validators_used: Vec::new(),
        declared_validators: Vec::new(),
        model_names: Vec::new(),
        function_uses: Vec::new(),
        shared_integrations: Vec::new(),
        operation: Pointer::root(),
    };
    Some(lowering.document(root))
}

fn check_version(reader: &mut Reader<'_>, root: &Node) -> Option<()> {
    let ptr = Pointer::root().join(MARKER);
    let node = root.get(MARKER)?;
    if node.as_i64() == Some(VERSION) || node.as_str() == Some("1") {
        return Some(());
    }
    let found = node
        .scalar_text()
        .unwrap_or_else(|| node.kind_name().to_owned());
    reader
        .report(
            UnsupportedSpecVersion::META,
            &ptr,
            format!("`apigw: {found}` is not a DSL version this apigw reads (it reads version 1)"),
        )
        .help("write `apigw: 1`");
    None
}

impl Lowering<'_, '_> {
    fn document(&mut self, root: &Node) -> Desugared {
        let ptr = Pointer::root();
        let mut spec = MapBuilder::new(root.span);
        spec.insert("openapi", node::string(root.span, "3.0.1"));

        let mut info = MapBuilder::new(root.span);
        match root.get("name") {
            Some(name) => {
                if let Some(text) = self.reader.text(name, &ptr.join("name")) {
                    info.insert("title", node::string(name.span, text));
                }
            }
            None => {
                self.reader
                    .missing(&ptr, "name", "the API")
                    .help("add `name: my-api`: API Gateway names the API after it");
            }
        }
        for (key, target) in [("version", "version"), ("description", "description")] {
            if let Some(value) = root.get(key) {
                if let Some(text) = self.reader.text(value, &ptr.join(key)) {
                    info.insert(target, node::string(value.span, text));
                }
            }
        }
        spec.insert("info", info.build());

        if let Some(functions) = root.get("functions") {
            self.functions(functions, &ptr.join("functions"));
        }
        if let Some(models) = root.get("models") {
            self.model_names = models
                .as_map()
                .map(|map| map.entries.iter().map(|entry| entry.key.clone()).collect())
                .unwrap_or_default();
        }
        let mut schemes = MapBuilder::new(root.span);
        if let Some(authorizers) = root.get("authorizers") {
            self.authorizers(authorizers, &ptr.join("authorizers"), &mut schemes);
        }

        if let Some(validators) = root.get("validators") {
            self.declare_validators(validators, &ptr.join("validators"));
        }
        let root_requirement = self.root_requirement(root, &ptr);
        let root_validator = root.get("validate").and_then(|node| {
            let validator = self.validator(node, &ptr.join("validate"))?;
            Some((validator, node.span))
        });

        let mut socket_routes = Vec::new();
        let paths = match root.get("routes") {
            Some(routes) => self.routes(
                routes,
                &ptr.join("routes"),
                root,
                root_requirement.as_ref(),
                root_validator.as_ref().map(|(name, _)| name.as_str()),
                &mut socket_routes,
            ),
            None => {
                self.reader
                    .missing(&ptr, "routes", "the API")
                    .help("add `routes:` with one entry per route, e.g. `GET /pets: list_pets`");
                MapBuilder::new(root.span).build()
            }
        };

        // Root extensions, in a fixed order.
        if let Some(requirement) = &root_requirement {
            if let Some(security) = self.security(requirement, root.span) {
                spec.insert("security", security);
            }
        }
        if self.kind == ApiKind::Http {
            if let Some(tags) = root.get("tags") {
                if let Some(tags) = self.http_tags(tags, &ptr.join("tags")) {
                    spec.insert("tags", tags);
                }
            }
        }
        spec.insert("paths", paths);
        if let Some(node) = root.get("binary_media_types") {
            let list = self.reader.strings(node, &ptr.join("binary_media_types"));
            spec.insert(
                "x-amazon-apigateway-binary-media-types",
                node::seq(
                    node.span,
                    list.into_iter()
                        .map(|item| node::string(node.span, item))
                        .collect(),
                ),
            );
        }
        if let Some(node) = root.get("minimum_compression_size") {
            if let Some(value) = self
                .reader
                .integer(node, &ptr.join("minimum_compression_size"))
            {
                spec.insert(
                    "x-amazon-apigateway-minimum-compression-size",
                    node::integer(node.span, value),
                );
            }
        }
        if let Some(node) = root.get("api_key_source") {
            if let Some(value) =
                self.reader
                    .choice(node, &ptr.join("api_key_source"), &["HEADER", "AUTHORIZER"])
            {
                spec.insert(
                    "x-amazon-apigateway-api-key-source",
                    node::string(node.span, value),
                );
            }
        }
        if let Some(node) = root.get("policy") {
            if self.reader.map(node, &ptr.join("policy")).is_some() {
                spec.insert("x-amazon-apigateway-policy", node.clone());
            }
        }
        if let Some(node) = root.get("cors") {
            if self.kind == ApiKind::Http {
                if let Some(cors) = self.http_cors(node, &ptr.join("cors")) {
                    spec.insert("x-amazon-apigateway-cors", cors);
                }
            }
        }
        if let Some(node) = root.get("gateway_responses") {
            if let Some(responses) = self.gateway_responses(node, &ptr.join("gateway_responses")) {
                spec.insert("x-amazon-apigateway-gateway-responses", responses);
            }
        }
        if let Some((name, span)) = root_validator {
            spec.insert(
                "x-amazon-apigateway-request-validator",
                node::string(span, name),
            );
        }
        if !self.validators_used.is_empty() || !self.declared_validators.is_empty() {
            let mut validators = MapBuilder::new(root.span);
            let flags = |span: Span, body: bool, params: bool| {
                node::map(
                    span,
                    vec![
                        ("validateRequestBody".to_owned(), node::boolean(span, body)),
                        (
                            "validateRequestParameters".to_owned(),
                            node::boolean(span, params),
                        ),
                    ],
                )
            };
            for (name, body, params, span) in &self.declared_validators {
                validators.insert_at(name.clone(), *span, flags(*span, *body, *params));
            }
            for (name, body, params) in VALIDATORS {
                if self.validators_used.contains(name) && !validators.contains(name) {
                    validators.insert(*name, flags(root.span, *body, *params));
                }
            }
            spec.insert("x-amazon-apigateway-request-validators", validators.build());
        }

        // Components: security schemes, then schemas.
        let mut components = MapBuilder::new(root.span);
        if self.uses_api_key {
            schemes.insert(
                API_KEY_SCHEME,
                node::map(
                    root.span,
                    vec![
                        ("type".to_owned(), node::string(root.span, "apiKey")),
                        ("name".to_owned(), node::string(root.span, "x-api-key")),
                        ("in".to_owned(), node::string(root.span, "header")),
                    ],
                ),
            );
        }
        if self.uses_iam_scheme {
            schemes.insert(IAM_SCHEME, iam_scheme(root.span));
        }
        if !schemes.is_empty() {
            components.insert("securitySchemes", schemes.build());
        }
        if let Some(models) = root.get("models") {
            if let Some(schemas) = self.models(models, &ptr.join("models")) {
                components.insert("schemas", schemas);
            }
        }
        if !self.shared_integrations.is_empty() {
            let mut shared = MapBuilder::new(root.span);
            for (name, integration) in std::mem::take(&mut self.shared_integrations) {
                shared.insert(name, integration);
            }
            components.insert("x-amazon-apigateway-integrations", shared.build());
        }
        if !components.is_empty() {
            spec.insert("components", components.build());
        }

        let mut spec = spec.build();
        if let Some(raw) = root.get("raw") {
            if self.reader.map(raw, &ptr.join("raw")).is_some() {
                node::merge(&mut spec, raw);
            }
        }

        let deploy = deploy::read(self.reader, root, self.kind);
        let text_field = |key: &str| {
            root.get(key)
                .and_then(Node::scalar_text)
                .filter(|_| root.get(key).is_some_and(|node| node.as_str().is_some()))
        };
        let (route_selection, api_key_selection) = if self.kind == ApiKind::Websocket {
            (
                Some(
                    text_field("route_selection")
                        .unwrap_or_else(|| "$request.body.action".to_owned()),
                ),
                text_field("api_key_selection"),
            )
        } else {
            for key in ["route_selection", "api_key_selection"] {
                if root.get(key).is_some() {
                    self.reader
                        .report(
                            InvalidValue::META,
                            &ptr.join(key),
                            format!("`{key}` applies to WebSocket APIs only"),
                        )
                        .help("remove it, or declare `kind: websocket`");
                }
            }
            (None, None)
        };
        Desugared {
            kind: self.kind,
            spec,
            functions: std::mem::take(&mut self.functions),
            function_uses: std::mem::take(&mut self.function_uses),
            deploy,
            socket_routes: std::mem::take(&mut socket_routes),
            route_selection,
            api_key_selection,
        }
    }

    /// HTTP APIs carry their tags in OpenAPI: a root `tags` entry with
    /// `x-amazon-apigateway-tag-value`.
    fn http_tags(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
        let map = self.reader.map(node, ptr)?.as_map()?;
        let mut tags = Vec::new();
        for entry in &map.entries {
            let Some(value) = self.reader.text(&entry.value, &ptr.join(&entry.key)) else {
                continue;
            };
            tags.push(node::map(
                entry.key_span,
                vec![
                    (
                        "name".to_owned(),
                        node::string(entry.key_span, entry.key.clone()),
                    ),
                    (
                        "x-amazon-apigateway-tag-value".to_owned(),
                        node::string(entry.value.span, value),
                    ),
                ],
            ));
        }
        Some(node::seq(node.span, tags))
    }

    // ----- functions -----------------------------------------------------------------------

    fn functions(&mut self, node: &Node, ptr: &Pointer) {
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
    fn binding(
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

    fn stated_binding(
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
    fn deploy_values(&mut self, node: &Node, ptr: &Pointer) -> Vec<Node> {
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
    fn deploy_value(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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
    fn identifier(&mut self, node: &Node, ptr: &Pointer) -> Option<String> {
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

    fn local(&mut self, value: &Node, at: &Pointer) -> Option<LocalFunction> {
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

    fn argv(&mut self, node: &Node, ptr: &Pointer) -> Option<Vec<String>> {
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
    fn function(&mut self, name_node: &Node, ptr: &Pointer) -> Option<usize> {
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
    fn function_uri(&self, index: usize, span: Span) -> Option<Node> {
        let decl = self.functions.get(index)?;
        let mut uri = decl.uri.clone();
        if decl.binding.is_some() {
            respan(&mut uri, span);
        }
        Some(uri)
    }

    // ----- authorizers ---------------------------------------------------------------------

    fn authorizers(&mut self, node: &Node, ptr: &Pointer, schemes: &mut MapBuilder) {
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

    fn check_authorizer_kind(&mut self, kind: &str, node: &Node, at: &Pointer) {
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

    fn authorizer(&mut self, kind: &str, value: &Node, at: &Pointer, what: &str) -> Option<Node> {
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

    fn not_for(&mut self, at: &Pointer, key: &str, kind: &str) {
        self.reader
            .report(
                InvalidValue::META,
                &at.join(key),
                format!("`{key}` does not apply to a `{kind}` authorizer"),
            )
            .help("remove it");
    }

    // ----- authorization -------------------------------------------------------------------

    fn root_requirement(&mut self, root: &Node, ptr: &Pointer) -> Option<Requirement> {
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
    fn auth(&mut self, node: &Node, ptr: &Pointer) -> Option<Vec<Alternative>> {
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

    fn alternative(&mut self, node: &Node, ptr: &Pointer) -> Option<Alternative> {
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
    fn api_key_scheme(&mut self) -> String {
        match self.authorizers.iter().find(|(_, kind)| *kind == "api_key") {
            Some((name, _)) => name.clone(),
            None => {
                self.uses_api_key = true;
                API_KEY_SCHEME.to_owned()
            }
        }
    }

    /// The OpenAPI `security` list for a requirement (`None` when it requires nothing).
    fn security(&mut self, requirement: &Requirement, span: Span) -> Option<Node> {
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

    // ----- routes --------------------------------------------------------------------------

    fn routes(
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
    fn route_key(&mut self, key: &str, at: &Pointer) -> Option<(String, String)> {
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
    fn route(
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
    fn require_auth(&mut self, key: &str, at: &Pointer, root_requirement: Option<&Requirement>) {
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
    fn validator(&mut self, node: &Node, ptr: &Pointer) -> Option<String> {
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
    fn declare_validators(&mut self, node: &Node, ptr: &Pointer) {
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
    fn short_integration(
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
    fn lambda_integration(
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

    fn http_integration(
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

    fn timeout(&mut self, route: &Node, at: &Pointer, integration: &mut MapBuilder) {
        if let Some(node) = route.get("timeout") {
            if let Some(ms) = self.reader.integer(node, &at.join("timeout")) {
                integration.insert("timeoutInMillis", node::integer(node.span, ms));
            }
        }
    }

    /// A MOCK integration answering `status` (200 unless given) with `body`. REST APIs only;
    /// the method response it needs is added to the operation when the route has none.
    fn mock_integration(
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

    fn long_integration(
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

    // ----- parameters, bodies, responses ---------------------------------------------------

    fn path_parameters(&mut self, path: &str, span: Span, operation: &mut MapBuilder) {
        let parameters: Vec<Node> = path_parameter_names(path)
            .into_iter()
            .map(|name| parameter(span, &name, "path", true, None, None))
            .collect();
        if !parameters.is_empty() {
            operation.insert("parameters", node::seq(span, parameters));
        }
    }

    fn parameters(
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
    fn parameter_map(&mut self, node: &Node, ptr: &Pointer, location: &str) -> Vec<Node> {
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
    fn schema_or_model(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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

    fn model_ref(&mut self, name: &str, span: Span, ptr: &Pointer) -> Node {
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
    fn schema(&mut self, node: &Node) -> Node {
        expand_refs(node, 0)
    }

    fn body(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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

    fn responses(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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

    fn models(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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
    fn check_model_refs(&mut self, node: &Node, ptr: &Pointer, depth: usize) {
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

    // ----- CORS and gateway responses ------------------------------------------------------

    fn cors_settings(&mut self, node: &Node, ptr: &Pointer) -> Option<CorsSettings> {
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

    fn http_cors(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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
    fn rest_cors(
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

    fn gateway_responses(&mut self, node: &Node, ptr: &Pointer) -> Option<Node> {
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

/// The settings `cors` gives, in either form (`true`, or the object).
struct CorsSettings {
    origins: Vec<String>,
    methods: Vec<String>,
    headers: Vec<String>,
    expose: Vec<String>,
    credentials: Option<bool>,
    max_age: Option<i64>,
    span: Span,
    /// Whether the object form was written (`cors: true` allows what each path has).
    explicit: bool,
}

/// How deep `$ref` shorthands are expanded inside a schema; the loader bounds depth too.
const MAX_SCHEMA_DEPTH: usize = 128;

/// `$ref: Name` (a bare model name) → `$ref: '#/components/schemas/Name'`, everywhere below.
fn expand_refs(node: &Node, depth: usize) -> Node {
    if depth > MAX_SCHEMA_DEPTH {
        return node.clone();
    }
    match &node.value {
        Value::Map(map) => {
            let mut out = map.clone();
            for entry in &mut out.entries {
                entry.value = match (&entry.key[..], &entry.value.value) {
                    ("$ref", Value::String(name)) if is_model_name(name) => {
                        node::string(entry.value.span, format!("#/components/schemas/{name}"))
                    }
                    _ => expand_refs(&entry.value, depth + 1),
                };
            }
            Node::new(Value::Map(out), node.span)
        }
        Value::Seq(items) => Node::new(
            Value::Seq(
                items
                    .iter()
                    .map(|item| expand_refs(item, depth + 1))
                    .collect(),
            ),
            node.span,
        ),
        _ => node.clone(),
    }
}

/// A bare model name, as `$ref: Pet` writes it (a `$ref` with `#`, `/` or `.` is left as is).
pub(crate) fn is_model_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn parameter(
    span: Span,
    name: &str,
    location: &str,
    required: bool,
    description: Option<String>,
    schema: Option<Node>,
) -> Node {
    let mut parameter = MapBuilder::new(span);
    parameter.insert("name", node::string(span, name));
    parameter.insert("in", node::string(span, location));
    if required {
        parameter.insert("required", node::boolean(span, true));
    }
    if let Some(description) = description {
        parameter.insert("description", node::string(span, description));
    }
    let schema = schema.unwrap_or_else(|| {
        node::map(
            span,
            vec![("type".to_owned(), node::string(span, "string"))],
        )
    });
    parameter.insert("schema", schema);
    parameter.build()
}

/// The names of `{name}` and `{name+}` segments, in order.
pub(crate) fn path_parameter_names(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_end_matches('+').to_owned())
        .collect()
}

/// What is wrong with a path's parameters, if anything.
fn path_problem(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    for (index, segment) in segments.iter().enumerate() {
        let opens = segment.matches('{').count();
        let closes = segment.matches('}').count();
        if opens != closes || opens > 1 {
            return Some(format!(
                "segment `{segment}` has unbalanced or several braces"
            ));
        }
        if opens == 1 {
            let Some(name) = segment
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
            else {
                return Some(format!("segment `{segment}` mixes text and a parameter"));
            };
            let bare = name.trim_end_matches('+');
            if bare.is_empty() {
                return Some("a parameter has no name".to_owned());
            }
            if name.ends_with('+') && index + 1 != segments.len() {
                return Some(format!(
                    "greedy parameter `{{{name}}}` is not the last segment"
                ));
            }
        }
    }
    None
}

fn is_status(text: &str) -> bool {
    text.len() == 3
        && text.chars().all(|c| c.is_ascii_digit())
        && text
            .parse::<u16>()
            .is_ok_and(|code| (100..600).contains(&code))
}

fn is_status_class(text: &str) -> bool {
    matches!(text, "1XX" | "2XX" | "3XX" | "4XX" | "5XX")
}

/// A header value for a gateway or mock response: API Gateway reads a quoted `'value'` as
/// text and an unquoted one as a mapping expression (`method.request.header.Origin`). The DSL
/// lets a static value be written bare.
pub(crate) fn static_value(text: &str) -> String {
    if is_mapping_expression(text)
        || (text.starts_with('\'') && text.ends_with('\'') && text.len() >= 2)
    {
        text.to_owned()
    } else {
        format!("'{text}'")
    }
}

/// Whether a response parameter value is a mapping expression rather than text.
pub(crate) fn is_mapping_expression(text: &str) -> bool {
    ["method.", "context.", "stageVariables.", "integration."]
        .iter()
        .any(|prefix| text.starts_with(prefix))
}

/// The region in a Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`).
pub(crate) fn lambda_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    let (
        Some("arn"),
        Some(_partition),
        Some("lambda"),
        Some(region),
        Some(_account),
        Some("function"),
        Some(name),
    ) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    )
    else {
        return None;
    };
    (!region.is_empty() && !name.is_empty()).then_some(region)
}

/// The Lambda invocation URI a binding stands for, as an OpenAPI value:
/// `arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Name}/invocations`
/// (`${Name.Arn}` for a function of the same stack), in `Fn::Sub`; a literal URI for an ARN.
pub(crate) fn invocation_uri(binding: &FunctionBinding, span: Span) -> Node {
    let sub = |function: &str| {
        node::map(
            span,
            vec![(
                "Fn::Sub".to_owned(),
                node::string(
                    span,
                    format!("arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{function}/invocations"),
                ),
            )],
        )
    };
    match binding {
        FunctionBinding::Parameter { name } => sub(&format!("${{{name}}}")),
        FunctionBinding::StackResource { logical_id } => sub(&format!("${{{logical_id}.Arn}}")),
        FunctionBinding::Arn { arn } => {
            let region = lambda_region(arn).unwrap_or("us-east-1");
            node::string(
                span,
                format!("arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"),
            )
        }
        FunctionBinding::Expr { value } => node::string(span, value.display_text()),
    }
}

/// Moves every node of `node` to `span`: a declaration used at several places is reported at
/// the place that uses it.
fn respan(node: &mut Node, span: Span) {
    node.span = span;
    match &mut node.value {
        Value::Map(map) => {
            for entry in &mut map.entries {
                entry.key_span = span;
                respan(&mut entry.value, span);
            }
        }
        Value::Seq(items) => {
            for item in items {
                respan(item, span);
            }
        }
        _ => {}
    }
}

fn iam_scheme(span: Span) -> Node {
    node::map(
        span,
        vec![
            ("type".to_owned(), node::string(span, "apiKey")),
            ("name".to_owned(), node::string(span, "Authorization")),
            ("in".to_owned(), node::string(span, "header")),
            (
                "x-amazon-apigateway-authtype".to_owned(),
                node::string(span, "awsSigv4"),
            ),
        ],
    )
}

pub(crate) fn kind_name(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Rest => "REST",
        ApiKind::Http => "HTTP",
        ApiKind::Websocket => "WebSocket",
    }
}

/// Splits a command line on spaces, keeping quoted parts (`'…'`, `"…"`) together.
pub(crate) fn split_command(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            (None, c) => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_on_spaces_and_keep_quotes() {
        assert_eq!(
            split_command("python3 -c 'print(1)'  x"),
            ["python3", "-c", "print(1)", "x"]
        );
        assert!(split_command("   ").is_empty());
    }

    #[test]
    fn paths_name_their_parameters() {
        assert_eq!(path_parameter_names("/pets/{id}/{proxy+}"), ["id", "proxy"]);
        assert!(path_problem("/a/{proxy+}/b").is_some());
        assert!(path_problem("/a/x{id}").is_some());
        assert!(path_problem("/a/{id}").is_none());
    }

    #[test]
    fn lambda_arns_give_their_region() {
        assert_eq!(
            lambda_region("arn:aws:lambda:eu-west-1:123456789012:function:orders"),
            Some("eu-west-1")
        );
        assert_eq!(lambda_region("orders"), None);
    }
}
