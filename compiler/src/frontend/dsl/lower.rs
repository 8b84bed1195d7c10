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

mod auth;
mod functions;
mod responses;
mod routes;
mod schemas;

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
