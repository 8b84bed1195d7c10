//! Conversions between the DSL and OpenAPI 3.0.
//!
//! OpenAPI → DSL ([`resugar`]) writes each part of a document in the DSL's short forms where
//! they say exactly the same, and otherwise carries it as raw OpenAPI (`raw`, `integration`,
//! an `openapi` authorizer). "Exactly the same" is not guessed: each candidate is desugared
//! again and compared with the source, so the DSL it writes always lowers to the IR the
//! source lowers to.
//!
//! DSL → OpenAPI is the document the DSL stands for, with an `x-apigw` extension carrying what
//! OpenAPI cannot say (stages, keys, plans, domains, tags, how functions run locally), which
//! [`resugar`] reads back.

use serde_json::{json, Map, Value};

use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, FunctionBinding, LocalFunction};
use crate::load::tree::Span;
use crate::pointer::Pointer;
use crate::source::FileId;

use super::lower::{self, invocation_uri, is_model_name, path_parameter_names, VALIDATORS};
use super::node;
use super::reader::Reader;

/// The extension that carries the DSL-only sections through an OpenAPI document.
pub(crate) const CARRIER: &str = "x-apigw";

/// The sections [`CARRIER`] carries verbatim.
const CARRIED: &[&str] = &[
    "stages",
    "api_keys",
    "usage_plans",
    "domains",
    "endpoint",
    "base_path",
];

const METHOD_KEYS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("put", "PUT"),
    ("post", "POST"),
    ("delete", "DELETE"),
    ("options", "OPTIONS"),
    ("head", "HEAD"),
    ("patch", "PATCH"),
    ("x-amazon-apigateway-any-method", "ANY"),
];

/// The OpenAPI document a DSL document (as JSON) stands for; `None` when the DSL has errors
/// that stop it from being built.
pub(crate) fn desugar_json(dsl: &Value) -> Option<Value> {
    desugar_checked(dsl).map(|(spec, _)| spec)
}

/// The OpenAPI document a DSL document stands for, with the pointers of its errors.
fn desugar_checked(dsl: &Value) -> Option<(Value, Vec<Pointer>)> {
    let mut report = Report::new();
    let mut reader = Reader {
        report: &mut report,
        file: FileId(0),
    };
    let root = node::from_json(Span::default(), dsl);
    let desugared = lower::desugar(&mut reader, &root)?;
    let errors = report
        .pending
        .iter()
        .filter(|pending| pending.rule.severity == crate::diagnostic::Severity::Error)
        .filter_map(|pending| match &pending.at {
            crate::diagnostic::At::Node(_, pointer) => Some(pointer.clone()),
            _ => None,
        })
        .collect();
    Some((desugared.spec.to_json(), errors))
}

/// The OpenAPI document for `api`, lowered from a DSL document: the desugared `spec`, plus
/// [`CARRIER`] with the DSL-only sections of `dsl` and how `api`'s functions run locally.
pub(crate) fn with_carrier(mut spec: Value, dsl: &Value, api: &Api) -> Value {
    let mut carried = Map::new();
    for key in CARRIED {
        if let Some(value) = dsl.get(key) {
            carried.insert((*key).to_owned(), value.clone());
        }
    }
    if api.kind == ApiKind::Rest {
        if let Some(tags) = dsl.get("tags") {
            carried.insert("tags".to_owned(), tags.clone());
        }
    }
    let mut functions = Map::new();
    for function in &api.functions {
        let mut out = Map::new();
        match &function.local {
            Some(LocalFunction::Command { argv, dir }) => {
                out.insert("command".into(), json!(argv));
                if let Some(dir) = dir {
                    out.insert("dir".into(), json!(dir));
                }
            }
            Some(LocalFunction::RuntimeApi { argv, dir }) => {
                out.insert("runtime_api".into(), json!(argv));
                if let Some(dir) = dir {
                    out.insert("dir".into(), json!(dir));
                }
            }
            Some(LocalFunction::Runtime {
                runtime,
                handler,
                code,
            }) => {
                out.insert("runtime".into(), json!(runtime));
                out.insert("handler".into(), json!(handler));
                if let Some(code) = code {
                    out.insert("code".into(), json!(code));
                }
            }
            Some(LocalFunction::Url { url }) => {
                out.insert("url".into(), json!(url));
            }
            None => {}
        }
        if let Some(timeout) = function.timeout_seconds {
            out.insert("timeout".into(), json!(timeout));
        }
        if !out.is_empty() {
            functions.insert(function.name.clone(), Value::Object(out));
        }
    }
    if !functions.is_empty() {
        carried.insert("functions".to_owned(), Value::Object(functions));
    }
    if let (Value::Object(root), false) = (&mut spec, carried.is_empty()) {
        root.insert(CARRIER.to_owned(), Value::Object(carried));
    }
    spec
}

/// A DSL document (as JSON) for the OpenAPI 3.0 document `spec`, which lowered to `api`.
/// `base` is the spec's pointer in its file (the root, or a template's `Body`).
pub fn resugar(spec: &Value, api: &Api, base: &Pointer) -> Value {
    let mut out = Resugar {
        spec,
        api,
        base,
        dsl: Map::new(),
        raw: Map::new(),
        functions: Vec::new(),
    };
    out.document();
    Value::Object(out.dsl)
}

/// A function the DSL declares: its name, the DSL fields, and the URI it stands for.
struct Declared {
    name: String,
    fields: Map<String, Value>,
    uri: Value,
}

struct Resugar<'a> {
    spec: &'a Value,
    api: &'a Api,
    base: &'a Pointer,
    dsl: Map<String, Value>,
    raw: Map<String, Value>,
    functions: Vec<Declared>,
}

impl Resugar<'_> {
    fn document(&mut self) {
        let spec = self.spec;
        let empty = Map::new();
        let root = spec.as_object().unwrap_or(&empty);
        self.dsl.insert("apigw".into(), json!(1));
        if self.api.kind == ApiKind::Http {
            self.dsl.insert("kind".into(), json!("http"));
        }
        self.info(root.get("info"));
        self.collect_functions(root);

        // Authorizers, then the document-wide auth.
        let schemes = root
            .get("components")
            .and_then(|components| components.get("securitySchemes"))
            .and_then(Value::as_object);
        let mut authorizers = Map::new();
        for (name, scheme) in schemes.into_iter().flatten() {
            authorizers.insert(name.clone(), self.authorizer(name, scheme));
        }
        if !authorizers.is_empty() {
            self.dsl
                .insert("functions".into(), Value::Object(Map::new()));
            self.dsl
                .insert("authorizers".into(), Value::Object(authorizers));
        }
        if let Some(auth) = root
            .get("security")
            .and_then(|security| self.auth(security))
        {
            self.dsl.insert("auth".into(), auth);
        } else if let Some(security) = root.get("security") {
            self.raw.insert("security".into(), security.clone());
        }
        self.validators(root);
        self.root_extensions(root);
        self.models(root);
        self.routes(root);
        // Functions go before the authorizers and routes that use them.
        let mut functions = Map::new();
        for declared in &self.functions {
            functions.insert(
                declared.name.clone(),
                Value::Object(declared.fields.clone()),
            );
        }
        if functions.is_empty() {
            self.dsl.remove("functions");
        } else {
            self.dsl
                .insert("functions".into(), Value::Object(functions));
        }
        let order = [
            "apigw",
            "kind",
            "name",
            "description",
            "version",
            "auth",
            "api_key_source",
            "binary_media_types",
            "minimum_compression_size",
            "validators",
            "validate",
            "cors",
            "tags",
            "functions",
            "authorizers",
            "routes",
            "gateway_responses",
            "policy",
            "models",
        ];
        let mut ordered = Map::new();
        for key in order {
            if let Some(value) = self.dsl.remove(key) {
                ordered.insert(key.to_owned(), value);
            }
        }
        ordered.append(&mut self.dsl);
        self.dsl = ordered;
        self.carried(root);
        self.finish_raw(root);
        // What the OpenAPI target adds when it writes a Swagger 2.0 API as OpenAPI 3.0: a
        // default version, and `servers` for the base path.
        if self.api.version.is_none() {
            self.dsl.remove("version");
            if let Some(Value::Object(raw)) = self.dsl.get_mut("raw") {
                if let Some(Value::Object(info)) = raw.get_mut("info") {
                    info.remove("version");
                }
            }
        }
        if let (true, Some(base_path)) = (self.api.servers.is_empty(), &self.api.base_path) {
            if let Some(Value::Object(raw)) = self.dsl.get_mut("raw") {
                raw.remove("servers");
            }
            self.dsl.insert("base_path".into(), json!(base_path));
        }
        if self.dsl.get("raw").is_some_and(|raw| raw == &json!({})) {
            self.dsl.remove("raw");
        }
    }

    fn info(&mut self, info: Option<&Value>) {
        let Some(info) = info.and_then(Value::as_object) else {
            self.dsl.insert("name".into(), json!(self.api.title));
            return;
        };
        let mut rest = Map::new();
        for (key, value) in info {
            match (key.as_str(), value) {
                ("title", Value::String(text)) => {
                    self.dsl.insert("name".into(), json!(text));
                }
                ("version", Value::String(_) | Value::Number(_)) => {
                    let text = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    self.dsl.insert("version".into(), json!(text));
                }
                ("description", Value::String(text)) => {
                    self.dsl.insert("description".into(), json!(text));
                }
                _ => {
                    rest.insert(key.clone(), value.clone());
                }
            }
        }
        if !self.dsl.contains_key("name") {
            self.dsl.insert("name".into(), json!(self.api.title));
        }
        if !rest.is_empty() {
            self.raw.insert("info".into(), Value::Object(rest));
        }
    }

    /// One declared function per distinct invocation URI of a Lambda integration or authorizer,
    /// named as the IR names it.
    fn collect_functions(&mut self, root: &Map<String, Value>) {
        let mut uris: Vec<(Value, Option<String>)> = Vec::new();
        for (path, method, operation) in operations(root) {
            let Some(integration) = operation.get("x-amazon-apigateway-integration") else {
                continue;
            };
            let kind = integration
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            if !matches!(kind.as_deref(), Some("aws" | "aws_proxy")) {
                continue;
            }
            let Some(uri) = integration.get("uri") else {
                continue;
            };
            let pointer = self.base.join("paths").join(path).join(method);
            let name = self
                .api
                .routes
                .iter()
                .find(|route| route.origin.pointer == pointer)
                .and_then(|route| route.integration.as_ref())
                .and_then(|integration| integration.function.clone());
            uris.push((uri.clone(), name));
        }
        let shared = root
            .get("components")
            .and_then(|components| components.get("x-amazon-apigateway-integrations"))
            .and_then(Value::as_object);
        for (name, integration) in shared.into_iter().flatten() {
            if let Some(uri) = integration.get("uri") {
                let function = self
                    .api
                    .shared_integrations
                    .get(name)
                    .and_then(|integration| integration.function.clone());
                if function.is_some() {
                    uris.push((uri.clone(), function));
                }
            }
        }
        let schemes = root
            .get("components")
            .and_then(|components| components.get("securitySchemes"))
            .and_then(Value::as_object);
        for (name, scheme) in schemes.into_iter().flatten() {
            if let Some(uri) = scheme
                .get("x-amazon-apigateway-authorizer")
                .and_then(|authorizer| authorizer.get("authorizerUri"))
            {
                let function = self
                    .api
                    .authorizer(name)
                    .and_then(|authorizer| authorizer.function.clone());
                uris.push((uri.clone(), function));
            }
        }
        for (uri, name) in uris {
            if self.functions.iter().any(|declared| declared.uri == uri) {
                continue;
            }
            let base_name = name.unwrap_or_else(|| "function".to_owned());
            let mut name = base_name.clone();
            let mut counter = 2;
            while self.functions.iter().any(|declared| declared.name == name) {
                name = format!("{base_name}-{counter}");
                counter += 1;
            }
            let fields = binding_fields(&name, &uri);
            self.functions.push(Declared { name, fields, uri });
        }
    }

    fn function_for(&self, uri: &Value) -> Option<&str> {
        self.functions
            .iter()
            .find(|declared| &declared.uri == uri)
            .map(|declared| declared.name.as_str())
    }

    /// An authorizer in the DSL's form when that form gives back exactly this scheme, else the
    /// scheme as is (`type: openapi`).
    fn authorizer(&self, name: &str, scheme: &Value) -> Value {
        let verbatim = json!({"type": "openapi", "scheme": scheme});
        let Some(candidate) = self.authorizer_candidate(scheme) else {
            return verbatim;
        };
        let probe = self.probe_checked(json!({}), Some((name, &candidate)));
        let own = Pointer::root().join("authorizers").join(name);
        let generated = probe
            .as_ref()
            .filter(|(_, errors)| !errors.iter().any(|error| error.starts_with(&own)))
            .and_then(|(spec, _)| {
                spec.pointer(&format!("/components/securitySchemes/{}", escape(name)))
            });
        if generated == Some(scheme) {
            candidate
        } else {
            verbatim
        }
    }

    fn authorizer_candidate(&self, scheme: &Value) -> Option<Value> {
        let object = scheme.as_object()?;
        let text = |key: &str| object.get(key).and_then(Value::as_str);
        let mut out = Map::new();
        let Some(extension) = object.get("x-amazon-apigateway-authorizer") else {
            return match (
                text("type"),
                text("name"),
                text("x-amazon-apigateway-authtype"),
            ) {
                (Some("apiKey"), Some("x-api-key"), None) => Some(json!({"type": "api_key"})),
                (Some("apiKey"), Some("Authorization"), Some("awsSigv4")) => {
                    Some(json!({"type": "iam"}))
                }
                _ => None,
            };
        };
        let kind = extension.get("type").and_then(Value::as_str)?;
        let dsl_kind = match kind {
            "cognito_user_pools" => "cognito",
            "token" | "request" | "jwt" => kind,
            _ => return None,
        };
        out.insert("type".into(), json!(dsl_kind));
        if let Some(uri) = extension.get("authorizerUri") {
            out.insert("function".into(), json!(self.function_for(uri)?));
        }
        if let Some(header) = text("name").filter(|header| *header != "Authorization") {
            out.insert("header".into(), json!(header));
        }
        let copies = [
            ("identitySource", "identity"),
            ("authorizerResultTtlInSeconds", "ttl"),
            ("identityValidationExpression", "validation"),
            ("authorizerCredentials", "credentials"),
            ("providerARNs", "user_pools"),
            ("authorizerPayloadFormatVersion", "payload"),
            ("enableSimpleResponses", "simple_responses"),
        ];
        for (from, to) in copies {
            if let Some(value) = extension.get(from) {
                out.insert(to.into(), value.clone());
            }
        }
        if let Some(jwt) = extension.get("jwtConfiguration") {
            if let Some(issuer) = jwt.get("issuer") {
                out.insert("issuer".into(), issuer.clone());
            }
            if let Some(audience) = jwt.get("audience") {
                out.insert("audience".into(), audience.clone());
            }
        }
        if let Some(description) = object.get("description") {
            out.insert("description".into(), description.clone());
        }
        Some(Value::Object(out))
    }

    /// The DSL's `auth` for a `security` list whose schemes are all declared authorizers.
    fn auth(&self, security: &Value) -> Option<Value> {
        let declared = self.dsl.get("authorizers").and_then(Value::as_object);
        let all_declared = security.as_array()?.iter().all(|requirement| {
            requirement.as_object().is_some_and(|requirement| {
                requirement
                    .keys()
                    .all(|name| declared.is_some_and(|declared| declared.contains_key(name)))
            })
        });
        all_declared.then(|| auth_value(security)).flatten()
    }

    fn validators(&mut self, root: &Map<String, Value>) {
        if let Some(validators) = root
            .get("x-amazon-apigateway-request-validators")
            .and_then(Value::as_object)
        {
            let mut out = Map::new();
            for (name, validator) in validators {
                let flag = |key: &str| validator.get(key).and_then(Value::as_bool);
                let body = flag("validateRequestBody").unwrap_or(false);
                let params = flag("validateRequestParameters").unwrap_or(false);
                let builtin = VALIDATORS
                    .iter()
                    .find(|(_, b, p)| *b == body && *p == params)
                    .map(|(builtin, ..)| *builtin);
                out.insert(
                    name.clone(),
                    match builtin {
                        Some(builtin) => json!(builtin),
                        None => json!({"body": body, "params": params}),
                    },
                );
            }
            self.dsl.insert("validators".into(), Value::Object(out));
        }
        if let Some(Value::String(name)) = root.get("x-amazon-apigateway-request-validator") {
            self.dsl.insert("validate".into(), json!(name));
        }
    }

    fn root_extensions(&mut self, root: &Map<String, Value>) {
        let copies = [
            (
                "x-amazon-apigateway-binary-media-types",
                "binary_media_types",
            ),
            (
                "x-amazon-apigateway-minimum-compression-size",
                "minimum_compression_size",
            ),
            ("x-amazon-apigateway-api-key-source", "api_key_source"),
            ("x-amazon-apigateway-policy", "policy"),
        ];
        for (from, to) in copies {
            if let Some(value) = root.get(from) {
                self.dsl.insert(to.into(), value.clone());
            }
        }
        if let Some(cors) = root
            .get("x-amazon-apigateway-cors")
            .and_then(Value::as_object)
        {
            let mut out = Map::new();
            for (from, to) in [
                ("allowOrigins", "origins"),
                ("allowMethods", "methods"),
                ("allowHeaders", "headers"),
                ("exposeHeaders", "expose"),
                ("allowCredentials", "credentials"),
                ("maxAge", "max_age"),
            ] {
                if let Some(value) = cors.get(from) {
                    out.insert(to.into(), value.clone());
                }
            }
            if self.api.kind == ApiKind::Http {
                self.dsl.insert("cors".into(), Value::Object(out));
            }
        }
        if let Some(responses) = root
            .get("x-amazon-apigateway-gateway-responses")
            .and_then(Value::as_object)
        {
            let mut out = Map::new();
            for (kind, response) in responses {
                let mut dsl = Map::new();
                if let Some(status) = response.get("statusCode") {
                    dsl.insert("status".into(), status.clone());
                }
                if let Some(parameters) = response
                    .get("responseParameters")
                    .and_then(Value::as_object)
                {
                    let mut headers = Map::new();
                    for (key, value) in parameters {
                        let Some(header) = key.strip_prefix("gatewayresponse.header.") else {
                            continue;
                        };
                        let value = match value.as_str() {
                            Some(text) => json!(bare_static(text)),
                            None => value.clone(),
                        };
                        headers.insert(header.to_owned(), value);
                    }
                    dsl.insert("headers".into(), Value::Object(headers));
                }
                if let Some(templates) =
                    response.get("responseTemplates").and_then(Value::as_object)
                {
                    match (templates.len(), templates.get("application/json")) {
                        (1, Some(template)) => {
                            dsl.insert("template".into(), template.clone());
                        }
                        _ => {
                            dsl.insert("template".into(), Value::Object(templates.clone()));
                        }
                    }
                }
                out.insert(kind.clone(), Value::Object(dsl));
            }
            self.dsl
                .insert("gateway_responses".into(), Value::Object(out));
        }
        if self.api.kind == ApiKind::Http {
            if let Some(tags) = root.get("tags").and_then(Value::as_array) {
                let mut out = Map::new();
                let all_valued = tags.iter().all(|tag| {
                    tag.as_object().is_some_and(|tag| {
                        tag.len() == 2
                            && tag.get("name").is_some_and(Value::is_string)
                            && tag
                                .get("x-amazon-apigateway-tag-value")
                                .is_some_and(Value::is_string)
                    })
                });
                if all_valued {
                    for tag in tags {
                        if let (Some(name), Some(value)) = (
                            tag.get("name").and_then(Value::as_str),
                            tag.get("x-amazon-apigateway-tag-value"),
                        ) {
                            out.insert(name.to_owned(), value.clone());
                        }
                    }
                    self.dsl.insert("tags".into(), Value::Object(out));
                }
            }
        }
    }

    fn models(&mut self, root: &Map<String, Value>) {
        let Some(schemas) = root
            .get("components")
            .and_then(|components| components.get("schemas"))
            .and_then(Value::as_object)
        else {
            return;
        };
        let mut models = Map::new();
        for (name, schema) in schemas {
            if !schema.is_object() {
                return;
            }
            models.insert(name.clone(), shorten_refs(schema, 0));
        }
        self.dsl.insert("models".into(), Value::Object(models));
    }

    fn routes(&mut self, root: &Map<String, Value>) {
        let mut routes = Map::new();
        let empty = Map::new();
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            let shared_parameters = item.get("parameters").and_then(Value::as_array);
            for (method, operation) in item {
                let Some((method, dsl_method)) = METHOD_KEYS.iter().find(|(key, _)| key == method)
                else {
                    continue;
                };
                let Some(operation) = operation.as_object() else {
                    continue;
                };
                let operation = merged_parameters(operation, shared_parameters);
                let (key, default_style) = self.route_key(path, dsl_method, &operation);
                let route = self.route(&key, path, method, default_style, &operation);
                routes.insert(key, route);
            }
        }
        self.dsl.insert("routes".into(), Value::Object(routes));
    }

    /// The route key, and whether the DSL's `$default` adds `isDefaultRoute: true` just as the
    /// source has it.
    fn route_key(
        &self,
        path: &str,
        method: &str,
        operation: &Map<String, Value>,
    ) -> (String, bool) {
        let is_default_path = path == "$default" || path == "/$default";
        let is_default_route = operation.get("isDefaultRoute") == Some(&json!(true));
        if self.api.kind == ApiKind::Http && method == "ANY" && is_default_path && is_default_route
        {
            return ("$default".to_owned(), true);
        }
        let path = if is_default_path { "/$default" } else { path };
        (format!("{method} {path}"), false)
    }

    fn route(
        &self,
        key: &str,
        path: &str,
        method: &str,
        default_style: bool,
        operation: &Map<String, Value>,
    ) -> Value {
        let _ = default_style;
        let target = Value::Object(operation.clone());
        let mut candidates = Vec::new();
        if let Some(short) = self.short_route(key, path, operation) {
            candidates.push(short);
        }
        candidates.push(self.fallback_route(path, operation));
        for candidate in &candidates {
            if self.route_matches(key, path, method, candidate, &target) {
                return candidate.clone();
            }
        }
        candidates.pop().unwrap_or_default()
    }

    fn route_matches(
        &self,
        key: &str,
        path: &str,
        method: &str,
        candidate: &Value,
        target: &Value,
    ) -> bool {
        let Some((spec, errors)) = self.probe_checked(json!({ key: candidate }), None) else {
            return false;
        };
        let routes = Pointer::root().join("routes");
        if errors.iter().any(|error| error.starts_with(&routes)) {
            return false;
        }
        let path = if path == "$default" {
            "/$default"
        } else {
            path
        };
        spec.pointer(&format!("/paths/{}/{}", escape(path), escape(method)))
            .map(normalized)
            == Some(normalized(target))
    }

    /// The route written in the DSL's fields; verified by the caller.
    fn short_route(&self, key: &str, path: &str, operation: &Map<String, Value>) -> Option<Value> {
        let mut route = Map::new();
        let mut raw = Map::new();
        for (from, to) in [
            ("operationId", "operation_id"),
            ("summary", "summary"),
            ("description", "description"),
        ] {
            if let Some(value) = operation.get(from) {
                route.insert(to.into(), value.clone());
            }
        }
        if let Some(tags) = operation.get("tags") {
            route.insert("tags".into(), tags.clone());
        }
        if let Some(deprecated) = operation.get("deprecated") {
            route.insert("deprecated".into(), deprecated.clone());
        }
        self.short_parameters(path, operation, &mut route)?;
        if let Some(body) = operation.get("requestBody") {
            route.insert("body".into(), short_body(body)?);
        }
        if let Some(responses) = operation.get("responses") {
            route.insert("responses".into(), short_responses(responses)?);
        }
        let root_auth = self.dsl.contains_key("auth");
        match operation.get("security") {
            None if root_auth => {}
            None => {
                route.insert("auth".into(), json!("none"));
            }
            Some(security) => {
                let auth = self.auth(security)?;
                if root_auth && self.dsl.get("auth") == Some(&auth) {
                    // The same as the document's: only `raw` can repeat it on the route.
                    raw.insert("security".into(), security.clone());
                } else if auth == json!("none") && !root_auth {
                    route.insert("auth".into(), auth);
                    raw.insert("security".into(), security.clone());
                } else {
                    route.insert("auth".into(), auth);
                }
            }
        }
        if let Some(Value::String(validator)) =
            operation.get("x-amazon-apigateway-request-validator")
        {
            route.insert("validate".into(), json!(validator));
        }
        if let Some(ignore) = operation.get("x-apigw-ignore") {
            route.insert("ignore".into(), ignore.clone());
        }
        let integration = operation.get("x-amazon-apigateway-integration");
        match integration {
            Some(integration) => self.backend(key, integration, &mut route, &mut raw)?,
            None => return None,
        }
        for (field, value) in operation {
            let known = [
                "operationId",
                "summary",
                "description",
                "tags",
                "deprecated",
                "parameters",
                "requestBody",
                "responses",
                "security",
                "x-amazon-apigateway-request-validator",
                "x-amazon-apigateway-integration",
                "x-apigw-ignore",
                "isDefaultRoute",
            ];
            if !known.contains(&field.as_str()) {
                raw.insert(field.clone(), value.clone());
            }
        }
        if !raw.is_empty() {
            route.insert("raw".into(), Value::Object(raw));
        }
        // A route that only names its backend fits on one line.
        if route.len() == 1 {
            if let Some(Value::String(function)) = route.get("function") {
                return Some(json!(function));
            }
            if let Some(Value::String(url)) = route.get("http") {
                return Some(json!(url));
            }
        }
        Some(Value::Object(route))
    }

    fn short_parameters(
        &self,
        path: &str,
        operation: &Map<String, Value>,
        route: &mut Map<String, Value>,
    ) -> Option<()> {
        let empty = Vec::new();
        let parameters = operation
            .get("parameters")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let auto = path_parameter_names(path);
        let mut index = 0;
        let mut path_map = Map::new();
        let mut query = Map::new();
        let mut headers = Map::new();
        let mut seen_other = false;
        let mut auto_matches = true;
        for parameter in parameters {
            let object = parameter.as_object()?;
            let name = object.get("name")?.as_str()?;
            let location = object.get("in")?.as_str()?;
            let spec = parameter_spec(object, location)?;
            match location {
                "path" => {
                    if seen_other {
                        return None;
                    }
                    if auto.get(index).map(String::as_str) != Some(name) || spec != Value::Null {
                        auto_matches = false;
                    }
                    index += 1;
                    path_map.insert(name.to_owned(), spec);
                }
                "query" => {
                    if !headers.is_empty() {
                        return None;
                    }
                    seen_other = true;
                    query.insert(name.to_owned(), spec);
                }
                "header" => {
                    seen_other = true;
                    headers.insert(name.to_owned(), spec);
                }
                _ => return None,
            }
        }
        if !(auto_matches && index == auto.len()) {
            route.insert("path".into(), Value::Object(path_map));
        }
        if !query.is_empty() {
            route.insert("query".into(), Value::Object(query));
        }
        if !headers.is_empty() {
            route.insert("headers".into(), Value::Object(headers));
        }
        Some(())
    }

    /// The backend of a route: a function, a URL, a mock, or the integration as is.
    fn backend(
        &self,
        key: &str,
        integration: &Value,
        route: &mut Map<String, Value>,
        raw: &mut Map<String, Value>,
    ) -> Option<()> {
        let object = integration.as_object()?;
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let verbatim = |route: &mut Map<String, Value>| {
            route.insert("integration".into(), integration.clone());
        };
        let generated = match kind.as_deref() {
            Some("aws_proxy") => object
                .get("uri")
                .and_then(|uri| self.function_for(uri))
                .map(|function| ("function", json!(function))),
            Some("http_proxy") => object
                .get("uri")
                .and_then(Value::as_str)
                .filter(|uri| uri.starts_with("http://") || uri.starts_with("https://"))
                .map(|uri| {
                    let route_method = key.split_once(' ').map_or("ANY", |(method, _)| method);
                    match object.get("httpMethod").and_then(Value::as_str) {
                        Some(method) if method != route_method => {
                            ("http", json!({"url": uri, "method": method}))
                        }
                        _ => ("http", json!(uri)),
                    }
                }),
            _ => None,
        };
        let Some((field, value)) = generated else {
            verbatim(route);
            return Some(());
        };
        // What the short form generates, to find what the source adds or changes.
        let mut probe_route = route.clone();
        probe_route.insert(field.into(), value.clone());
        let probe = self.probe(json!({ key: Value::Object(probe_route) }), None);
        let generated_integration = probe.as_ref().and_then(|spec| {
            let (method, path) = key.split_once(' ').unwrap_or(("ANY", "/$default"));
            let method_key = METHOD_KEYS
                .iter()
                .find(|(_, upper)| upper.eq_ignore_ascii_case(method))
                .map_or("x-amazon-apigateway-any-method", |(lower, _)| lower);
            spec.pointer(&format!(
                "/paths/{}/{}/x-amazon-apigateway-integration",
                escape(path),
                escape(method_key)
            ))
            .cloned()
        });
        let Some(Value::Object(generated_integration)) = generated_integration else {
            verbatim(route);
            return Some(());
        };
        if generated_integration
            .keys()
            .any(|key| !object.contains_key(key))
        {
            verbatim(route);
            return Some(());
        }
        let mut extras = Map::new();
        for (field, source_value) in object {
            if generated_integration.get(field) != Some(source_value) {
                extras.insert(field.clone(), source_value.clone());
            }
        }
        route.insert(field.into(), value);
        if let Some(timeout) = extras.remove("timeoutInMillis").filter(Value::is_i64) {
            route.insert("timeout".into(), timeout);
        }
        if !extras.is_empty() {
            raw.insert(
                "x-amazon-apigateway-integration".into(),
                Value::Object(extras),
            );
        }
        Some(())
    }

    /// The route with everything but its integration as raw OpenAPI: always exact.
    fn fallback_route(&self, path: &str, operation: &Map<String, Value>) -> Value {
        let mut route = Map::new();
        let mut raw = operation.clone();
        if let Some(integration) = raw.remove("x-amazon-apigateway-integration") {
            route.insert("integration".into(), integration);
        }
        if !path_parameter_names(path).is_empty() && !raw.contains_key("parameters") {
            route.insert("path".into(), json!({}));
        }
        if !self.dsl.contains_key("auth") {
            route.insert("auth".into(), json!("none"));
        }
        route.insert("raw".into(), Value::Object(raw));
        Value::Object(route)
    }

    /// Desugars the document so far with `routes` (and one authorizer replaced), for checking
    /// a candidate. Models are given by name only: only their names matter to a route.
    fn probe(&self, routes: Value, authorizer: Option<(&str, &Value)>) -> Option<Value> {
        self.probe_checked(routes, authorizer).map(|(spec, _)| spec)
    }

    fn probe_checked(
        &self,
        routes: Value,
        authorizer: Option<(&str, &Value)>,
    ) -> Option<(Value, Vec<Pointer>)> {
        let mut dsl = Map::new();
        for key in ["apigw", "kind", "name", "auth", "validators", "validate"] {
            if let Some(value) = self.dsl.get(key) {
                dsl.insert(key.into(), value.clone());
            }
        }
        let mut functions = Map::new();
        for declared in &self.functions {
            functions.insert(
                declared.name.clone(),
                Value::Object(declared.fields.clone()),
            );
        }
        dsl.insert("functions".into(), Value::Object(functions));
        let mut authorizers = self
            .dsl
            .get("authorizers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some((name, candidate)) = authorizer {
            authorizers.insert(name.to_owned(), candidate.clone());
        }
        dsl.insert("authorizers".into(), Value::Object(authorizers));
        if let Some(models) = self.dsl.get("models").and_then(Value::as_object) {
            let names: Map<String, Value> = models
                .keys()
                .map(|name| (name.clone(), json!({})))
                .collect();
            dsl.insert("models".into(), Value::Object(names));
        }
        dsl.insert("routes".into(), routes);
        desugar_checked(&Value::Object(dsl))
    }

    fn carried(&mut self, root: &Map<String, Value>) {
        let Some(carried) = root.get(CARRIER).and_then(Value::as_object) else {
            return;
        };
        for (key, value) in carried {
            match key.as_str() {
                "functions" => {
                    let (Some(locals), Some(Value::Object(functions))) =
                        (value.as_object(), self.dsl.get_mut("functions"))
                    else {
                        continue;
                    };
                    for (name, local) in locals {
                        if let (Some(Value::Object(fields)), Some(local)) =
                            (functions.get_mut(name), local.as_object())
                        {
                            for (field, value) in local {
                                fields.insert(field.clone(), value.clone());
                            }
                        }
                    }
                }
                _ => {
                    self.dsl.insert(key.clone(), value.clone());
                }
            }
        }
    }

    /// Whatever the DSL's fields did not give back exactly goes to `raw`.
    fn finish_raw(&mut self, root: &Map<String, Value>) {
        let desugared = desugar_json(&Value::Object(self.dsl.clone())).unwrap_or_default();
        for (key, value) in root {
            if matches!(
                key.as_str(),
                "openapi" | "info" | "paths" | "components" | CARRIER
            ) {
                continue;
            }
            if desugared.get(key) != Some(value) {
                self.raw.insert(key.clone(), value.clone());
            }
        }
        // Components: sections the DSL does not write, and schemes or models it changed.
        if let Some(components) = root.get("components").and_then(Value::as_object) {
            let mut raw_components = Map::new();
            for (section, value) in components {
                let generated = desugared
                    .get("components")
                    .and_then(|components| components.get(section));
                if generated != Some(value) {
                    raw_components.insert(section.clone(), value.clone());
                }
            }
            if !raw_components.is_empty() {
                self.raw
                    .insert("components".into(), Value::Object(raw_components));
            }
        }
        if let Some(info) = root.get("info") {
            if desugared.get("info") != Some(info) && !self.raw.contains_key("info") {
                self.raw.insert("info".into(), info.clone());
            }
        }
        if !self.raw.is_empty() {
            self.dsl
                .insert("raw".into(), Value::Object(std::mem::take(&mut self.raw)));
        }
    }
}

/// An operation as the OpenAPI front end reads it: `required: false` on a parameter says
/// nothing.
fn normalized(operation: &Value) -> Value {
    let mut operation = operation.clone();
    if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
        for parameter in parameters {
            if let Value::Object(parameter) = parameter {
                if parameter.get("required") == Some(&json!(false)) {
                    parameter.remove("required");
                }
            }
        }
    }
    operation
}

/// Every operation of the document: path, method key, operation.
fn operations(root: &Map<String, Value>) -> Vec<(&str, &str, &Map<String, Value>)> {
    let mut out = Vec::new();
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let is_method = METHOD_KEYS.iter().any(|(key, _)| key == method);
            if let (true, Some(operation)) = (is_method, operation.as_object()) {
                out.push((path.as_str(), method.as_str(), operation));
            }
        }
    }
    out
}

/// The operation with its path item's parameters merged in, as the OpenAPI front end merges
/// them (the operation's win by name and location).
fn merged_parameters(
    operation: &Map<String, Value>,
    shared: Option<&Vec<Value>>,
) -> Map<String, Value> {
    let Some(shared) = shared.filter(|shared| !shared.is_empty()) else {
        return operation.clone();
    };
    let identity =
        |parameter: &Value| (parameter.get("name").cloned(), parameter.get("in").cloned());
    let mut merged: Vec<Value> = shared.clone();
    for parameter in operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match merged
            .iter_mut()
            .find(|existing| identity(existing) == identity(parameter))
        {
            Some(existing) => *existing = parameter.clone(),
            None => merged.push(parameter.clone()),
        }
    }
    let mut out = operation.clone();
    out.insert("parameters".into(), Value::Array(merged));
    out
}

/// A parameter in the DSL's short form: `null` (a required path string), a type name, or an
/// object. `None` when the parameter has fields the DSL does not write.
fn parameter_spec(parameter: &Map<String, Value>, location: &str) -> Option<Value> {
    let mut spec = Map::new();
    for (key, value) in parameter {
        match key.as_str() {
            "name" | "in" => {}
            "required" => {
                let required = value.as_bool()?;
                if required != (location == "path") {
                    spec.insert("required".into(), json!(required));
                }
            }
            "description" => {
                spec.insert("description".into(), value.clone());
            }
            "schema" => {
                spec.insert("schema".into(), shorten_refs(value, 0));
            }
            _ => return None,
        }
    }
    if location == "path" && parameter.get("required") != Some(&json!(true)) {
        return None;
    }
    let schema = spec.get("schema").cloned()?;
    if spec.len() == 1 {
        if schema == json!({"type": "string"}) && location == "path" {
            return Some(Value::Null);
        }
        if let Some(kind) = schema
            .as_object()
            .filter(|s| s.len() == 1)
            .and_then(|s| s.get("type"))
        {
            return Some(kind.clone());
        }
    }
    Some(Value::Object(spec))
}

fn short_body(body: &Value) -> Option<Value> {
    let object = body.as_object()?;
    let content = object.get("content")?.as_object()?;
    if content.len() != 1
        || object
            .keys()
            .any(|key| !matches!(key.as_str(), "content" | "required" | "description"))
    {
        return None;
    }
    let (content_type, media) = content.iter().next()?;
    let media = media.as_object()?;
    if media.keys().any(|key| key != "schema") {
        return None;
    }
    let mut out = Map::new();
    match media.get("schema") {
        Some(schema) => match model_name(schema) {
            Some(model) => out.insert("model".into(), json!(model)),
            None => out.insert("schema".into(), shorten_refs(schema, 0)),
        },
        None => None,
    };
    if content_type != "application/json" || media.get("schema").is_none() {
        out.insert("content_type".into(), json!(content_type));
    }
    let required = object
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !required {
        out.insert("required".into(), json!(false));
    }
    if let Some(description) = object.get("description") {
        out.insert("description".into(), description.clone());
    }
    if out.len() == 1 {
        if let Some(model) = out.get("model") {
            return Some(model.clone());
        }
    }
    Some(Value::Object(out))
}

fn short_responses(responses: &Value) -> Option<Value> {
    let mut out = Map::new();
    for (status, response) in responses.as_object()? {
        let object = response.as_object()?;
        let mut dsl = Map::new();
        for (key, value) in object {
            match key.as_str() {
                "description" => {
                    dsl.insert("description".into(), value.clone());
                }
                "content" => {
                    let content = value.as_object()?;
                    if content.len() != 1 {
                        return None;
                    }
                    let (content_type, media) = content.iter().next()?;
                    let media = media.as_object()?;
                    if media.len() != 1 {
                        return None;
                    }
                    let schema = media.get("schema")?;
                    match model_name(schema) {
                        Some(model) => dsl.insert("model".into(), json!(model)),
                        None => dsl.insert("schema".into(), shorten_refs(schema, 0)),
                    };
                    if content_type != "application/json" {
                        dsl.insert("content_type".into(), json!(content_type));
                    }
                }
                "headers" => {
                    let mut headers = Map::new();
                    for (name, header) in value.as_object()? {
                        let header = header.as_object()?;
                        if header.len() != 1 {
                            return None;
                        }
                        let schema = header.get("schema")?.as_object()?;
                        if schema.len() != 1 {
                            return None;
                        }
                        headers.insert(name.clone(), schema.get("type")?.clone());
                    }
                    dsl.insert("headers".into(), Value::Object(headers));
                }
                _ => return None,
            }
        }
        let value = match (dsl.len(), dsl.get("model")) {
            (0, _) => Value::Null,
            (1, Some(model)) => model.clone(),
            _ => Value::Object(dsl),
        };
        out.insert(status.clone(), value);
    }
    Some(Value::Object(out))
}

/// The DSL's `auth` for an OpenAPI `security` list, when it has one.
fn auth_value(security: &Value) -> Option<Value> {
    let requirements = security.as_array()?;
    if requirements.is_empty() {
        return Some(json!("none"));
    }
    let mut alternatives = Vec::new();
    for requirement in requirements {
        let object = requirement.as_object()?;
        if object.is_empty() || object.keys().any(|name| name == "none" || name == "iam") {
            return None;
        }
        if object.len() == 1 && object.values().all(|scopes| scopes == &json!([])) {
            alternatives.push(json!(object.keys().next()?));
        } else {
            alternatives.push(requirement.clone());
        }
    }
    match alternatives.len() {
        1 => alternatives.pop(),
        _ => Some(Value::Array(alternatives)),
    }
}

/// The DSL fields binding a function to `uri`: `parameter`, `stack` or `arn` when the DSL's
/// URI for that binding is `uri`, else `uri` itself.
fn binding_fields(name: &str, uri: &Value) -> Map<String, Value> {
    let mut fields = Map::new();
    let text = |value: &Value| -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Object(object) => object.get("Fn::Sub")?.as_str().map(str::to_owned),
            _ => None,
        }
    };
    let function_part = text(uri).and_then(|text| {
        let rest = text.strip_prefix("arn:aws:apigateway:")?;
        let (_, rest) = rest.split_once(":lambda:path/2015-03-31/functions/")?;
        rest.strip_suffix("/invocations").map(str::to_owned)
    });
    let candidates: Vec<(&str, FunctionBinding)> = match function_part {
        Some(part) => {
            let inner = part
                .strip_prefix("${")
                .and_then(|rest| rest.strip_suffix('}'));
            let mut out = Vec::new();
            if lower::lambda_region(&part).is_some() {
                out.push(("arn", FunctionBinding::Arn { arn: part.clone() }));
            }
            if let Some(inner) = inner {
                match inner.strip_suffix(".Arn") {
                    Some(stack) => out.push((
                        "stack",
                        FunctionBinding::StackResource {
                            logical_id: stack.to_owned(),
                        },
                    )),
                    None => out.push((
                        "parameter",
                        FunctionBinding::Parameter {
                            name: inner.to_owned(),
                        },
                    )),
                }
            }
            out
        }
        None => Vec::new(),
    };
    for (field, binding) in candidates {
        if node::from_json(Span::default(), uri) == invocation_uri(&binding, Span::default()) {
            match &binding {
                FunctionBinding::Parameter { name: parameter } if parameter == name => {}
                FunctionBinding::Parameter { name: parameter } => {
                    fields.insert(field.into(), json!(parameter));
                }
                FunctionBinding::StackResource { logical_id } => {
                    fields.insert(field.into(), json!(logical_id));
                }
                FunctionBinding::Arn { arn } => {
                    fields.insert(field.into(), json!(arn));
                }
                FunctionBinding::Expr { .. } => {}
            }
            return fields;
        }
    }
    fields.insert("uri".into(), uri.clone());
    fields
}

/// The model a schema names, when it is only `$ref: '#/components/schemas/Name'`.
fn model_name(schema: &Value) -> Option<&str> {
    let object = schema.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
        .filter(|name| is_model_name(name))
}

/// `$ref: '#/components/schemas/Name'` → `$ref: Name` everywhere below.
fn shorten_refs(value: &Value, depth: usize) -> Value {
    if depth > 128 {
        return value.clone();
    }
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let short = match (key.as_str(), value.as_str()) {
                        ("$ref", Some(text)) => text
                            .strip_prefix("#/components/schemas/")
                            .filter(|name| is_model_name(name))
                            .map(|name| json!(name)),
                        _ => None,
                    };
                    (
                        key.clone(),
                        short.unwrap_or_else(|| shorten_refs(value, depth + 1)),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| shorten_refs(item, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A gateway response header value as the DSL writes it: static text bare.
fn bare_static(text: &str) -> String {
    match text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        Some(inner) if !inner.contains('\'') && !lower::is_mapping_expression(inner) => {
            inner.to_owned()
        }
        _ => text.to_owned(),
    }
}

/// A pointer segment, escaped.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
