//! The DSL at its boundary: every example's DSL twin lowers to the IR of its OpenAPI twin, is
//! a quarter of its lines and validates against the JSON Schema; wrong documents are refused by
//! the parser and by the schema alike; conversions to OpenAPI and back keep the IR.

use std::io;

use apigw_compiler::frontend::dsl::{self, Conversion};
use apigw_compiler::ir::{Api, ApiKind, FunctionBinding, SourceFormat};
use apigw_compiler::{compile, Compilation, FsWorld, MemoryWorld, Options, Severity, World};
use camino::{Utf8Path, Utf8PathBuf};
use serde_json::{json, Value};

fn repo() -> Utf8PathBuf {
    Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Utf8Path::to_owned)
        .unwrap_or_default()
}

/// The examples: each directory's DSL file and its OpenAPI or Swagger twin.
fn examples() -> Vec<(Utf8PathBuf, Utf8PathBuf)> {
    let mut out = Vec::new();
    let dir = repo().join("examples");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/ is readable")
        .map(|entry| Utf8PathBuf::try_from(entry.expect("entry").path()).expect("UTF-8 path"))
        .filter(|path| path.is_dir())
        .collect();
    entries.sort();
    for example in entries {
        let twin = [
            "openapi.yaml",
            "openapi.json",
            "swagger.yaml",
            "swagger.json",
        ]
        .iter()
        .map(|name| example.join(name))
        .find(|path| path.exists())
        .unwrap_or_else(|| panic!("{example} has no OpenAPI or Swagger twin"));
        let dsl = example.join("api.yaml");
        assert!(dsl.exists(), "{example} has no DSL twin (api.yaml)");
        out.push((dsl, twin));
    }
    assert!(out.len() >= 4, "the examples are missing");
    out
}

fn errors(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d.location.file, d.location.line, d.location.column, d.code, d.message
            )
        })
        .collect()
}

/// The one API of a file that compiles without errors.
fn api_of(world: &dyn World, path: &Utf8Path) -> Api {
    let compilation = compile(world, path, &Options::default());
    assert_eq!(errors(&compilation), Vec::<String>::new(), "{path}");
    let mut apis = compilation.apis;
    assert_eq!(apis.len(), 1, "{path}");
    apis.pop().expect("one API")
}

/// The IR with what only one side can know cleared: the source format, and how functions
/// run locally (only the DSL says).
fn comparable(mut api: Api) -> Api {
    api.format = None;
    for function in &mut api.functions {
        function.local = None;
    }
    // Stages, API keys and usage plans are deployment, which an OpenAPI document cannot say;
    // the DSL examples declare them so that their API keys work once deployed.
    api.stages.clear();
    api.api_keys.clear();
    api.usage_plans.clear();
    api
}

/// Where two IRs differ, as JSON pointers (origins left out), for failure messages.
fn differences(left: &Api, right: &Api) -> Vec<String> {
    fn walk(left: &Value, right: &Value, at: String, out: &mut Vec<String>) {
        if out.len() >= 10 {
            return;
        }
        match (left, right) {
            (Value::Object(a), Value::Object(b)) => {
                for key in a.keys().chain(b.keys()) {
                    if key == "origin" {
                        continue;
                    }
                    match (a.get(key), b.get(key)) {
                        (Some(x), Some(y)) => walk(x, y, format!("{at}/{key}"), out),
                        (x, y) => out.push(format!("{at}/{key}: {x:?} / {y:?}")),
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (index, (x, y)) in a.iter().zip(b).enumerate() {
                    walk(x, y, format!("{at}/{index}"), out);
                }
            }
            (a, b) if a != b => out.push(format!("{at}: {a} / {b}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let left = serde_json::to_value(left).unwrap_or_default();
    let right = serde_json::to_value(right).unwrap_or_default();
    walk(&left, &right, String::new(), &mut out);
    out.dedup();
    out
}

#[test]
fn every_example_lowers_to_the_ir_of_its_twin() {
    for (dsl, twin) in examples() {
        let from_dsl = api_of(&FsWorld, &dsl);
        assert_eq!(from_dsl.format, Some(SourceFormat::Dsl));
        let from_twin = api_of(&FsWorld, &twin);
        let (from_dsl, from_twin) = (comparable(from_dsl), comparable(from_twin));
        assert!(
            from_dsl == from_twin,
            "{dsl} and {twin} lower to different IR: {:#?}",
            differences(&from_dsl, &from_twin)
        );
    }
}

#[test]
fn every_example_snapshots_its_ir() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../snapshots/ir/examples"
    ));
    settings.set_prepend_module_to_snapshot(false);
    let mut snapshotted = 0;
    for (dsl, twin) in examples() {
        for path in [twin, dsl] {
            let example = path
                .parent()
                .and_then(Utf8Path::file_name)
                .unwrap_or_default();
            let name = format!("{example}__{}", path.file_name().unwrap_or_default());
            let json =
                serde_json::to_string_pretty(&vec![api_of(&FsWorld, &path)]).expect("serializable");
            settings.bind(|| insta::assert_snapshot!(name, json));
            snapshotted += 1;
        }
    }
    assert_eq!(snapshotted, 8);
}

#[test]
fn every_dsl_example_is_at_most_a_quarter_of_its_twin() {
    for (dsl, twin) in examples() {
        let lines = |path: &Utf8Path| {
            std::fs::read_to_string(path)
                .expect("readable")
                .lines()
                .count()
        };
        let (short, long) = (lines(&dsl), lines(&twin));
        assert!(short * 4 <= long, "{dsl}: {short} lines, its twin {long}");
    }
}

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(dsl::SCHEMA).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("the schema is a draft-07 schema")
}

/// A DSL file as JSON, as the loader read it.
fn dsl_json(world: &dyn World, path: &Utf8Path) -> Value {
    let conversion = dsl::from_openapi(world, path, &Options::default(), None, &|_| json!({}));
    conversion
        .document
        .unwrap_or_else(|| panic!("{path} is not a DSL document"))
}

#[test]
fn every_dsl_example_validates_against_the_schema() {
    let validator = schema();
    for (dsl, _) in examples() {
        let document = dsl_json(&FsWorld, &dsl);
        let problems: Vec<String> = validator
            .iter_errors(&document)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert_eq!(problems, Vec::<String>::new(), "{dsl}");
    }
}

#[test]
fn every_schema_field_has_a_description_and_an_example() {
    fn walk(value: &Value, at: &str, missing: &mut Vec<String>) {
        let Some(object) = value.as_object() else {
            return;
        };
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let here = format!("{at}/{name}");
                let documented = property.get("$ref").is_some()
                    || (property.get("description").is_some()
                        && property.get("examples").is_some());
                if !documented {
                    missing.push(here.clone());
                }
                walk(property, &here, missing);
            }
        }
        for (key, child) in object {
            // Conditions and examples hold `properties` that are not fields.
            let skipped = [
                "properties",
                "examples",
                "if",
                "then",
                "else",
                "not",
                "allOf",
                "const",
                "enum",
            ];
            if !skipped.contains(&key.as_str()) {
                match child {
                    Value::Array(items) => items.iter().for_each(|item| walk(item, at, missing)),
                    other => walk(other, at, missing),
                }
            }
        }
    }
    for text in [dsl::SCHEMA, dsl::EXTENSIONS_SCHEMA] {
        let schema: Value = serde_json::from_str(text).expect("JSON");
        let mut missing = Vec::new();
        walk(&schema, "", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
        if let Some(definitions) = schema.get("definitions").and_then(Value::as_object) {
            for (name, definition) in definitions {
                assert!(
                    definition.get("description").is_some() && definition.get("examples").is_some(),
                    "definition {name}"
                );
            }
        }
    }
}

/// Wrong documents, each with the code the parser gives. Every one must be refused by the
/// parser and by the schema.
fn wrong_documents() -> Vec<(&'static str, Value, &'static str)> {
    let base = |extra: Value| {
        let mut document = json!({
            "apigw": 1, "name": "shop",
            "functions": {"orders": {}},
            "routes": {"GET /orders": {"function": "orders", "auth": "none"}}
        });
        if let (Some(document), Some(extra)) = (document.as_object_mut(), extra.as_object()) {
            for (key, value) in extra {
                document.insert(key.clone(), value.clone());
            }
        }
        document
    };
    let route = |value: Value| base(json!({"routes": {"GET /orders": value}}));
    vec![
        (
            "unknown root key",
            base(json!({"fucntions": {}})),
            "APIGW015",
        ),
        ("version 2", base(json!({"apigw": 2})), "APIGW006"),
        (
            "kind misspelt",
            base(json!({"kind": "restful"})),
            "APIGW013",
        ),
        (
            "no name",
            json!({"apigw": 1, "routes": {"GET /a": {"mock": true, "auth": "none"}}}),
            "APIGW012",
        ),
        ("no routes", json!({"apigw": 1, "name": "shop"}), "APIGW012"),
        (
            "routes not a map",
            base(json!({"routes": ["GET /a"]})),
            "APIGW011",
        ),
        (
            "route without auth",
            route(json!({"function": "orders"})),
            "APIGW012",
        ),
        (
            "short route without auth",
            route(json!("orders")),
            "APIGW012",
        ),
        (
            "two backends",
            route(json!({"function": "orders", "mock": true, "auth": "none"})),
            "APIGW018",
        ),
        ("no backend", route(json!({"auth": "none"})), "APIGW012"),
        (
            "unknown route field",
            route(json!({"function": "orders", "auth": "none", "timout": 5})),
            "APIGW015",
        ),
        (
            "bad method",
            base(json!({"routes": {"FETCH /orders": {"mock": true, "auth": "none"}}})),
            "APIGW018",
        ),
        (
            "path without slash",
            base(json!({"routes": {"GET orders": {"mock": true, "auth": "none"}}})),
            "APIGW018",
        ),
        (
            "$default in a REST API",
            base(json!({"routes": {"$default": {"mock": true, "auth": "none"}}})),
            "APIGW018",
        ),
        (
            "mock in an HTTP API",
            base(json!({"kind": "http", "routes": {"GET /a": {"mock": true, "auth": "none"}}})),
            "APIGW018",
        ),
        (
            "mock status out of range",
            route(json!({"mock": {"status": 700}, "auth": "none"})),
            "APIGW018",
        ),
        (
            "timeout as text",
            route(json!({"function": "orders", "auth": "none", "timeout": "fast"})),
            "APIGW011",
        ),
        (
            "authorizer without type",
            base(json!({"authorizers": {"a": {"function": "orders"}}})),
            "APIGW012",
        ),
        (
            "authorizer type misspelt",
            base(json!({"authorizers": {"a": {"type": "tokn", "function": "orders"}}})),
            "APIGW013",
        ),
        (
            "token authorizer without function",
            base(json!({"authorizers": {"a": {"type": "token"}}})),
            "APIGW012",
        ),
        (
            "cognito without user pools",
            base(json!({"authorizers": {"a": {"type": "cognito"}}})),
            "APIGW012",
        ),
        (
            "jwt without issuer",
            base(json!({"kind": "http", "authorizers": {"a": {"type": "jwt"}}})),
            "APIGW012",
        ),
        (
            "function bound two ways",
            base(
                json!({"functions": {"orders": {"arn": "arn:aws:lambda:eu-west-1:1:function:o", "stack": "O"}}}),
            ),
            "APIGW018",
        ),
        (
            "function with a bad ARN",
            base(json!({"functions": {"orders": {"arn": "orders"}}})),
            "APIGW018",
        ),
        (
            "runtime without handler",
            base(json!({"functions": {"orders": {"runtime": "python3.12"}}})),
            "APIGW012",
        ),
        (
            "local URL not http",
            base(json!({"functions": {"orders": {"url": "ftp://x"}}})),
            "APIGW018",
        ),
        (
            "unknown function field",
            base(json!({"functions": {"orders": {"handlr": "a.b"}}})),
            "APIGW015",
        ),
        (
            "validate in an HTTP API",
            base(json!({"kind": "http", "validate": "all"})),
            "APIGW018",
        ),
        (
            "stage field misspelt",
            base(json!({"stages": {"prod": {"throtle": {"rate": 1}}}})),
            "APIGW015",
        ),
        (
            "quota period misspelt",
            base(json!({"usage_plans": {"p": {"quota": {"limit": 1, "period": "YEAR"}}}})),
            "APIGW013",
        ),
        (
            "canary over 100 %",
            base(json!({"stages": {"prod": {"canary": {"percent": 150}}}})),
            "APIGW018",
        ),
        (
            "logging level misspelt",
            base(json!({"stages": {"prod": {"logging": "DEBUG"}}})),
            "APIGW013",
        ),
        (
            "gateway response type unknown",
            base(json!({"gateway_responses": {"NOT_FOUND": {"status": 404}}})),
            "APIGW013",
        ),
        (
            "response status not a code",
            route(json!({"function": "orders", "auth": "none", "responses": {"ok": null}})),
            "APIGW018",
        ),
        (
            "WebSocket route key with a method",
            json!({"apigw": 1, "name": "chat", "kind": "websocket", "functions": {"f": {}}, "routes": {"GET /a": "f"}}),
            "APIGW018",
        ),
        (
            "WebSocket key starting with $",
            json!({"apigw": 1, "name": "chat", "kind": "websocket", "functions": {"f": {}}, "routes": {"$conect": "f"}}),
            "APIGW018",
        ),
        (
            "route selection in a REST API",
            base(json!({"route_selection": "$request.body.action"})),
            "APIGW018",
        ),
        (
            "api_key not a boolean",
            route(json!({"function": "orders", "auth": "none", "api_key": "yes"})),
            "APIGW011",
        ),
        (
            "payload version 3.0",
            base(
                json!({"kind": "http", "routes": {"GET /a": {"function": "orders", "auth": "none", "payload": "3.0"}}}),
            ),
            "APIGW013",
        ),
        (
            "none among alternatives",
            route(json!({"function": "orders", "auth": ["none", "iam"]})),
            "APIGW018",
        ),
    ]
}

fn diagnostics_of(document: &Value) -> Vec<&'static str> {
    let path = Utf8PathBuf::from("api.json");
    let world = MemoryWorld::new().with(path.clone(), document.to_string());
    let compilation = compile(&world, &path, &Options::default());
    compilation.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn wrong_documents_are_refused_by_the_parser_and_by_the_schema() {
    let validator = schema();
    let table = wrong_documents();
    assert!(table.len() >= 30);
    let mut failures = Vec::new();
    for (name, document, code) in &table {
        let codes = diagnostics_of(document);
        if !codes.contains(code) {
            failures.push(format!("{name}: expected {code}, got {codes:?}"));
        }
        if validator.is_valid(document) {
            failures.push(format!("{name}: the schema accepts it"));
        }
    }
    assert_eq!(failures, Vec::<String>::new());
    // Names that refer to other parts of the document are beyond a JSON Schema: only the
    // parser refuses these.
    for (document, code) in [
        (json!({"function": "order", "auth": "none"}), "APIGW008"),
        (json!({"function": "orders", "auth": "cognito"}), "APIGW008"),
        (
            json!({"function": "orders", "auth": "none", "validate": "bodies"}),
            "APIGW013",
        ),
    ] {
        let document = json!({
            "apigw": 1, "name": "shop", "functions": {"orders": {}},
            "routes": {"GET /orders": document}
        });
        assert!(diagnostics_of(&document).contains(&code), "{document}");
        assert!(validator.is_valid(&document), "{document}");
    }
    // The base document itself is right, for both.
    let right = json!({
        "apigw": 1, "name": "shop", "functions": {"orders": {}},
        "routes": {"GET /orders": {"function": "orders", "auth": "none"}}
    });
    assert_eq!(diagnostics_of(&right), Vec::<&str>::new());
    assert!(validator.is_valid(&right));
}

#[test]
fn diagnostics_point_at_the_dsl_line_with_a_suggestion() {
    let path = Utf8PathBuf::from("api.yaml");
    let text = "apigw: 1\nname: shop\nfunctions:\n  orders: {}\nroutes:\n  GET /orders: {function: order, auth: none}\n";
    let world = MemoryWorld::new().with(path.clone(), text);
    let compilation = compile(&world, &path, &Options::default());
    let [diagnostic] = compilation.diagnostics.as_slice() else {
        panic!("{:?}", compilation.diagnostics);
    };
    assert_eq!(diagnostic.code, "APIGW008");
    assert_eq!(
        (diagnostic.location.line, diagnostic.location.column),
        (6, 27)
    );
    assert_eq!(diagnostic.help.as_deref(), Some("did you mean `orders`?"));
}

/// Files by path, falling back to the file system: a converted document read beside the files
/// its source refers to.
struct Overlay {
    memory: MemoryWorld,
}

impl World for Overlay {
    fn read(&self, path: &Utf8Path) -> io::Result<Vec<u8>> {
        self.memory.read(path).or_else(|_| FsWorld.read(path))
    }
}

fn document(conversion: Conversion, what: &Utf8Path) -> Value {
    assert_eq!(
        errors(&conversion.compilation),
        Vec::<String>::new(),
        "{what}"
    );
    conversion
        .document
        .unwrap_or_else(|| panic!("{what}: {:?}", conversion.error))
}

/// Converts `path` to the DSL and lowers the result again.
fn through_dsl(world: &dyn World, path: &Utf8Path) -> Api {
    let dsl = document(
        dsl::from_openapi(world, path, &Options::default(), None, &|_| json!({})),
        path,
    );
    let converted = path.with_extension("converted.json");
    let overlay = Overlay {
        memory: MemoryWorld::new().with(converted.clone(), dsl.to_string()),
    };
    api_of(&overlay, &converted)
}

#[test]
fn dsl_to_openapi_to_dsl_keeps_the_ir() {
    for (dsl_path, _) in examples() {
        let original = api_of(&FsWorld, &dsl_path);
        let openapi = document(
            dsl::to_openapi(&FsWorld, &dsl_path, &Options::default()),
            &dsl_path,
        );
        let openapi_path = dsl_path.with_extension("openapi.json");
        let world = Overlay {
            memory: MemoryWorld::new().with(openapi_path.clone(), openapi.to_string()),
        };
        let mut back = through_dsl(&world, &openapi_path);
        back.format = original.format;
        assert!(
            back == original,
            "{dsl_path}: the IR changed on the way through OpenAPI: {:#?}",
            differences(&back, &original)
        );
    }
}

#[test]
fn openapi_examples_convert_to_dsl_with_the_same_ir() {
    for (_, twin) in examples() {
        let source = api_of(&FsWorld, &twin);
        if source.format != Some(SourceFormat::OpenApi30) {
            continue;
        }
        let (converted, source) = (comparable(through_dsl(&FsWorld, &twin)), comparable(source));
        assert!(
            converted == source,
            "{twin}: {:#?}",
            differences(&converted, &source)
        );
    }
}

/// `../shared/corpus`, found by walking up from the crate.
fn corpus() -> Utf8PathBuf {
    let mut dir = Some(repo());
    while let Some(current) = dir {
        let candidate = current.join("shared").join("corpus");
        if candidate.is_dir() {
            return candidate;
        }
        dir = current.parent().map(Utf8Path::to_owned);
    }
    panic!("shared/corpus is not beside the repository");
}

#[test]
fn corpus_openapi_files_that_check_convert_to_dsl_with_the_same_ir() {
    let mut converted = 0;
    for path in corpus_files() {
        let compilation = compile(&FsWorld, &path, &Options::default());
        let standalone_openapi = compilation.apis.len() == 1
            && compilation
                .apis
                .iter()
                .all(|api| api.format == Some(SourceFormat::OpenApi30) && api.logical_id.is_none());
        if !standalone_openapi || compilation.has_errors() {
            continue;
        }
        let Some(source) = compilation.apis.into_iter().next() else {
            continue;
        };
        let (back, source) = (comparable(through_dsl(&FsWorld, &path)), comparable(source));
        assert!(back == source, "{path}: {:#?}", differences(&back, &source));
        converted += 1;
    }
    // Every standalone OpenAPI 3.0 file of the corpus that checks without errors; Swagger 2.0
    // files convert through the OpenAPI target, which the CLI's tests run.
    assert_eq!(converted, 66);
}

/// The corpus's files, sorted.
fn corpus_files() -> Vec<Utf8PathBuf> {
    let mut files: Vec<Utf8PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus readable")
        .map(|entry| Utf8PathBuf::try_from(entry.expect("entry").path()).expect("UTF-8"))
        .filter(|path| path.file_name() != Some("MANIFEST.tsv"))
        .collect();
    files.sort();
    files
}

/// A template API with what its resource and the template's other resources say cleared, so
/// that only its spec is left: the DSL is converted from the spec alone (and `apigw convert`
/// names the fields it does not carry). Each cleared field:
/// - `name`, `logical_id`: a template names the API by its logical id, the DSL by its title;
/// - `title`, `description`, `endpoint`, `tags`, `binary_media_types`, `domains`: set by the
///   resource's properties (`Name`, `Description`, `EndpointConfiguration`, `Tags`, …), which
///   override the spec's;
/// - routes, security requirements, authorizers and gateway responses whose origin lies
///   outside the spec: SAM's `Events`, `Auth`, `Cors` and `GatewayResponses` add them;
/// - functions no kept route or authorizer invokes (SAM events' functions), and every
///   function's `timeout_seconds`, read from its `AWS::Serverless::Function`;
/// - a function bound to a stack resource by `${Name}`: only the template says whether `Name`
///   is a parameter or a resource, and a spec read alone takes it for a parameter.
fn spec_only(mut api: Api) -> Api {
    let Some(definition) = api.definition.clone() else {
        return api;
    };
    let inside = |origin: &apigw_compiler::ir::Origin| {
        origin.file == definition.file && origin.pointer.starts_with(&definition.pointer)
    };
    api.name = String::new();
    api.logical_id = None;
    api.title = String::new();
    api.description = None;
    api.endpoint = None;
    api.tags.clear();
    api.binary_media_types.clear();
    api.domains.clear();
    api.routes.retain(|route| inside(&route.origin));
    for route in &mut api.routes {
        if let Some(security) = &mut route.security {
            security.retain(|requirement| inside(&requirement.origin));
            if security.is_empty() {
                route.security = None;
            }
        }
    }
    api.authorizers
        .retain(|authorizer| inside(&authorizer.origin));
    api.gateway_responses
        .retain(|response| inside(&response.origin));
    let invoked: Vec<String> = api
        .routes
        .iter()
        .filter_map(|route| route.integration.as_ref()?.function.clone())
        .chain(api.authorizers.iter().filter_map(|a| a.function.clone()))
        .chain(
            api.shared_integrations
                .values()
                .filter_map(|i| i.function.clone()),
        )
        .collect();
    api.functions
        .retain(|function| invoked.contains(&function.name));
    for function in &mut api.functions {
        function.timeout_seconds = None;
        if let FunctionBinding::StackResource { logical_id } = &function.binding {
            function.binding = FunctionBinding::Parameter {
                name: logical_id.clone(),
            };
        }
    }
    api
}

#[test]
fn corpus_templates_that_check_convert_their_embedded_spec_to_dsl_with_the_same_ir() {
    let mut templates = 0;
    let mut apis = 0;
    for path in corpus_files() {
        let compilation = compile(&FsWorld, &path, &Options::default());
        let in_template = compilation.apis.iter().any(|api| api.logical_id.is_some());
        if compilation.has_errors() || !in_template {
            continue;
        }
        let mut converted_here = 0;
        for source in compilation.apis {
            if source.format != Some(SourceFormat::OpenApi30) || source.definition.is_none() {
                continue;
            }
            let conversion = dsl::from_openapi(
                &FsWorld,
                &path,
                &Options::default(),
                Some(&source.name),
                &|_| json!({}),
            );
            assert_eq!(conversion.api.as_deref(), Some(source.name.as_str()));
            let dsl = document(conversion, &path);
            let converted = path.with_extension("converted.json");
            let overlay = Overlay {
                memory: MemoryWorld::new().with(converted.clone(), dsl.to_string()),
            };
            let back = spec_only(comparable(api_of(&overlay, &converted)));
            let source = spec_only(comparable(source));
            assert!(
                back == source,
                "{path} {}: {:#?}",
                source.name,
                differences(&back, &source)
            );
            converted_here += 1;
        }
        if converted_here > 0 {
            templates += 1;
            apis += converted_here;
        }
    }
    // Every corpus template that checks clean and embeds or includes an OpenAPI 3.0 spec; the
    // others define their APIs by resources, embed Swagger 2.0 (converted through the OpenAPI
    // target, tested with the CLI) or read the spec at deploy time.
    assert_eq!((templates, apis), (13, 13));
}

#[test]
fn convert_lifts_the_spec_a_template_embeds_and_names_what_it_leaves() {
    let path = repo().join("compiler/tests/fixtures/template/embedded.yaml");
    let convert = |pick: Option<&str>| {
        dsl::from_openapi(&FsWorld, &path, &Options::default(), pick, &|_| json!({}))
    };
    let several = convert(None);
    assert_eq!(
        (several.document, several.error),
        (None, Some(dsl::ConversionError::SeveralApis))
    );
    let missing = convert(Some("Nope"));
    assert_eq!(missing.error, Some(dsl::ConversionError::NoSuchApi));
    let rest = convert(Some("RestWithBody"));
    assert_eq!(rest.api.as_deref(), Some("RestWithBody"));
    assert_eq!(
        rest.not_carried,
        ["title", "binary_media_types", "functions.local"]
    );
    let document = rest.document.expect("converted");
    assert_eq!(document.get("raw"), None);
    let routes: Vec<&String> = document["routes"]
        .as_object()
        .expect("routes")
        .keys()
        .collect();
    assert_eq!(routes, ["GET /pets", "GET /backend"]);
    assert_eq!(
        document["functions"],
        json!({"PetsFunction": {"stack": "PetsFunction"}, "BackendFunctionArn": {}})
    );
}

#[test]
fn starters_check_clean_and_validate_against_the_schema() {
    let validator = schema();
    for kind in [ApiKind::Rest, ApiKind::Http, ApiKind::Websocket] {
        let files = dsl::starter(kind, "hello world");
        let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["api.yaml", "handler.py"]);
        let path = Utf8PathBuf::from("starter/api.yaml");
        let mut world = MemoryWorld::new();
        for (name, text) in &files {
            world.insert(format!("starter/{name}"), text.clone());
        }
        let compilation = compile(&world, &path, &Options::default());
        assert_eq!(
            compilation
                .diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>(),
            Vec::<String>::new(),
            "{kind:?}"
        );
        let api = compilation.apis.first().expect("one API");
        assert_eq!((api.kind, api.title.as_str()), (kind, "hello world"));
        assert!(api
            .functions
            .iter()
            .all(|function| function.local.is_some()));
        let document = dsl_json(&world, &path);
        assert!(validator.is_valid(&document), "{kind:?}");
    }
}

fn compile_text(text: &str) -> Compilation {
    let path = Utf8PathBuf::from("api.yaml");
    let world = MemoryWorld::new().with(path.clone(), text);
    compile(&world, &path, &Options::default())
}

#[test]
fn websocket_routes_keep_their_keys_and_answers() {
    let compilation = compile_text(
        "apigw: 1\nkind: websocket\nname: chat\nfunctions:\n  chat: {runtime: python3.12, handler: chat.handler}\nauthorizers:\n  token: {type: request, function: chat, identity: route.request.querystring.token}\nroutes:\n  $connect: {function: chat, auth: token}\n  $disconnect: chat\n  sendMessage: {function: chat, response: true}\n  $default: chat\n",
    );
    assert_eq!(errors(&compilation), Vec::<String>::new());
    let api = compilation.apis.first().expect("one API");
    assert_eq!(api.kind, ApiKind::Websocket);
    assert_eq!(
        api.route_selection_expression.as_deref(),
        Some("$request.body.action")
    );
    let keys: Vec<String> = api
        .routes
        .iter()
        .map(|route| route.key.to_string())
        .collect();
    assert_eq!(keys, ["$connect", "$disconnect", "sendMessage", "$default"]);
    let send = api.routes.get(2).expect("sendMessage");
    assert_eq!(
        send.route_response_selection_expression.as_deref(),
        Some("$default")
    );
    assert_eq!(send.route_responses.len(), 1);
    let connect = api.routes.first().expect("$connect");
    assert!(connect
        .security
        .as_ref()
        .is_some_and(|security| security.len() == 1));
    assert_eq!(
        api.authorizers.first().and_then(|a| a.function.as_deref()),
        Some("chat")
    );
    assert!(api
        .functions
        .iter()
        .all(|function| function.local.is_some()));
}

#[test]
fn declared_stages_are_throttled_logged_and_traced_by_default() {
    let compilation = compile_text(
        "apigw: 1\nname: shop\nfunctions: {orders: {}}\nroutes:\n  GET /orders: {function: orders, auth: none}\nstages:\n  prod: {}\n  dev: {throttle: off, access_log: off, tracing: false, logging: INFO}\n",
    );
    assert_eq!(errors(&compilation), Vec::<String>::new());
    let api = compilation.apis.first().expect("one API");
    let [prod, dev] = api.stages.as_slice() else {
        panic!("{:?}", api.stages);
    };
    let throttling = prod.throttling.as_ref().expect("throttled by default");
    assert_eq!(
        (throttling.rate_limit, throttling.burst_limit),
        (Some(100.0), Some(200))
    );
    assert!(prod.access_log.is_some());
    assert_eq!(prod.tracing_enabled, Some(true));
    assert!(dev.throttling.is_none() && dev.access_log.is_none());
    assert_eq!(dev.tracing_enabled, Some(false));
    assert_eq!(
        dev.method_settings
            .first()
            .and_then(|s| s.logging_level.as_deref()),
        Some("INFO")
    );
}

#[test]
fn example_twins_validate_against_the_extensions_schema() {
    let schema: Value = serde_json::from_str(dsl::EXTENSIONS_SCHEMA).expect("JSON");
    let validator = jsonschema::draft7::new(&schema).expect("a draft-07 schema");
    for (dsl_path, _) in examples() {
        let openapi = document(
            dsl::to_openapi(&FsWorld, &dsl_path, &Options::default()),
            &dsl_path,
        );
        let problems: Vec<String> = validator
            .iter_errors(&openapi)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert_eq!(problems, Vec::<String>::new(), "{dsl_path}");
    }
    for wrong in [
        json!({"x-amazon-apigateway-integrations": {}}),
        json!({"x-amazon-apigateway-binary-media-types": "image/png"}),
        json!({"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "lambda"}}}}}),
        json!({"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "mock", "timeoutInMilis": 5}}}}}),
        json!({"x-amazon-apigateway-gateway-responses": {"NOT_A_TYPE": {}}}),
    ] {
        assert!(!validator.is_valid(&wrong), "{wrong}");
    }
}
