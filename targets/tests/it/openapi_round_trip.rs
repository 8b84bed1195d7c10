//! The OpenAPI target round trip: every example (its OpenAPI or Swagger twin and its DSL file)
//! and every corpus file that checks without errors is exported with `--target openapi`, the
//! export is compiled again, and it must check clean and give the same IR back, apart from what
//! an OpenAPI document cannot carry (see `comparable`). The export may repeat a warning its
//! source got, never add one; the few accepted exceptions are in `REVIEWED`. The export is the
//! `Body` of the CloudFormation, SAM and Terraform targets in body mode, so whatever it drops
//! they drop too.

use std::path::PathBuf;

use apigw_compiler::ir::{
    Api, ApiKind, Expr, FunctionBinding, Origin, Route, RouteKey, Server, ServerVariable, Spanned,
};
use apigw_compiler::Diagnostic;
use apigw_compiler::{compile, FsWorld, MemoryWorld, Options, Severity};
use apigw_targets::openapi::{self, OpenApiOptions};
use apigw_targets::Format;
use camino::Utf8PathBuf;
use indexmap::IndexMap;
use serde_json::Value;

/// The part of an API that an OpenAPI document describes. Everything cleared here is written
/// somewhere else by the targets, or not at all, so an export cannot give it back; everything
/// filled in is what OpenAPI requires and the export therefore writes.
fn comparable(api: &Api) -> Api {
    let mut api = api.clone();
    // Where the source's spec lay (none for an API built from template resources alone); the
    // export is always a document of its own.
    api.definition = None;
    // Stages, usage plans, API keys and custom domains are deployment resources (template or
    // DSL); the document describes the API only, and the IaC targets write them beside it.
    api.stages.clear();
    api.usage_plans.clear();
    api.api_keys.clear();
    api.domains.clear();
    // How `apigw serve` runs a function locally comes from the DSL or a `--functions` file; a
    // deployed API has no such thing.
    for function in &mut api.functions {
        function.local = None;
    }
    // Outside its template a `${Name}` cannot say whether `Name` was a resource of the stack or
    // a parameter: a function bound to a resource by `Ref` comes back bound to a parameter.
    for function in &mut api.functions {
        if let FunctionBinding::StackResource { logical_id } = &function.binding {
            function.binding = FunctionBinding::Parameter {
                name: logical_id.clone(),
            };
        }
    }
    // What the API was written in is informative only (and the export is OpenAPI 3.0 by
    // design); origins take no part in equality already.
    api.format = None;
    // The logical id of the template resource that held the spec, and the stable name derived
    // from it, belong to the template; the document only has its title.
    api.logical_id = None;
    api.name.clone_from(&api.title);
    // A function's timeout is a property of its Lambda resource in the template.
    for function in &mut api.functions {
        function.timeout_seconds = None;
    }
    // The endpoint type (EDGE, REGIONAL, PRIVATE) is not part of the extension: an import takes
    // it as a parameter and a template as the RestApi's `EndpointConfiguration.Types`.
    if let Some(endpoint) = &mut api.endpoint {
        endpoint.types.clear();
        if endpoint.disable_execute_api_endpoint.is_none()
            && endpoint.vpc_endpoint_ids.is_empty()
            && endpoint.ip_address_type.is_none()
        {
            api.endpoint = None;
        }
    }
    // The API's resource tags are a template property (`Tags`); a document carries tags only
    // as HTTP APIs' `x-amazon-apigateway-tag-value`, which the IR keeps in `tag_definitions`.
    api.tags.clear();
    // A document lists operations under their path: routes come back grouped by path, in the
    // order each path first appeared.
    let mut paths: Vec<String> = Vec::new();
    for route in &api.routes {
        let path = route_path(route);
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    api.routes
        .sort_by_key(|route| paths.iter().position(|path| *path == route_path(route)));
    // HTTP APIs: the export names its export version, which marks it as an HTTP API.
    if api.kind == ApiKind::Http {
        api.importexport_version
            .get_or_insert_with(|| Spanned::new("1.0".to_owned(), Origin::default()));
    }
    for authorizer in &mut api.authorizers {
        // OpenAPI requires `flows` on an oauth2 scheme and `name` on an apiKey one; the export
        // writes `{}` and `Authorization` (the header API Gateway reads) when the source had
        // none.
        match authorizer.scheme_type.as_deref() {
            Some("oauth2") => {
                authorizer
                    .flows
                    .get_or_insert_with(|| serde_json::json!({}));
            }
            Some("apiKey") => {
                authorizer
                    .header_name
                    .get_or_insert_with(|| "Authorization".to_owned());
            }
            _ => {}
        }
    }
    // OpenAPI requires `info.version`: an API without one is exported as version `1.0`.
    api.version.get_or_insert_with(|| "1.0".to_owned());
    // OpenAPI 3 has no `basePath`: a Swagger 2.0 base path without a `host` is exported as the
    // relative server `/{basePath}` that API Gateway reads the same base path from.
    if api.servers.is_empty() {
        if let Some(base) = &api.base_path {
            let mut variables = IndexMap::new();
            variables.insert(
                "basePath".to_owned(),
                ServerVariable {
                    default: base.trim_start_matches('/').to_owned(),
                    enum_values: Vec::new(),
                    description: None,
                },
            );
            api.servers.push(Server {
                origin: Origin::default(),
                url: Expr::literal("/{basePath}"),
                variables,
            });
        }
    }
    api
}

fn route_path(route: &Route) -> String {
    match &route.key {
        RouteKey::Http { path, .. } => path.clone(),
        other => other.to_string(),
    }
}

/// A source file, by a name for messages, with the APIs it compiled into.
struct Source {
    name: String,
    apis: Vec<Api>,
    /// What checking the source gave; an export may repeat these, never add to them.
    diagnostics: Vec<Diagnostic>,
}

fn repo_dir() -> PathBuf {
    super::terraform::repo_dir()
}

/// Every example's spec files: the OpenAPI or Swagger twin and the DSL `api.yaml`.
fn example_sources() -> Vec<Source> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo_dir().join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let example = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in [
            "openapi.yaml",
            "openapi.json",
            "swagger.json",
            "swagger.yaml",
            "api.yaml",
        ] {
            let path = dir.join(file);
            if !path.is_file() {
                continue;
            }
            let path = Utf8PathBuf::from_path_buf(path).unwrap();
            let compilation = compile(&FsWorld, &path, &Options::default());
            assert!(
                !compilation.has_errors(),
                "example {path} has errors: {:#?}",
                compilation.diagnostics
            );
            out.push(Source {
                name: format!("examples/{example}/{file}"),
                apis: compilation.apis,
                diagnostics: compilation.diagnostics,
            });
        }
    }
    out
}

/// The problems of one API's round trip in `format`; empty when it comes back unchanged and
/// its export gets no warning or error that the source did not get.
fn round_trip(api: &Api, format: Format, source: &[Diagnostic]) -> Vec<String> {
    let exported = openapi::emit(std::slice::from_ref(api), &OpenApiOptions { format })
        .unwrap_or_else(|error| panic!("export fails: {error}"));
    let file = &exported.output[0];
    let path = Utf8PathBuf::from(format!("exported/{}", file.path));
    let world = MemoryWorld::new().with(path.clone(), file.contents.clone());
    let compilation = compile(&world, &path, &Options::default());
    let mut problems: Vec<String> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity >= Severity::Warning)
        .filter(|diagnostic| {
            !source.iter().any(|original| {
                original.code == diagnostic.code && original.message == diagnostic.message
            })
        })
        .map(|diagnostic| {
            format!(
                "{} {} at {}:{}: {}",
                diagnostic.severity,
                diagnostic.code,
                diagnostic.location.line,
                diagnostic.location.column,
                diagnostic.message
            )
        })
        .collect();
    match compilation.apis.as_slice() {
        [back] => {
            let (expected, actual) = (comparable(api), comparable(back));
            if expected != actual {
                let mut differences = Vec::new();
                differences_between(
                    &without_origins(serde_json::to_value(&expected).unwrap()),
                    &without_origins(serde_json::to_value(&actual).unwrap()),
                    String::new(),
                    &mut differences,
                );
                if differences.is_empty() {
                    differences.push("IR differs (not visible in its JSON)".to_owned());
                }
                problems.extend(differences.into_iter().take(12));
            }
        }
        apis => problems.push(format!("the export compiles into {} APIs", apis.len())),
    }
    problems
}

/// The IR's JSON without the `origin` fields, which equality ignores.
fn without_origins(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(key, _)| key != "origin")
                .map(|(key, value)| (key, without_origins(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_origins).collect()),
        other => other,
    }
}

/// `pointer: expected → actual` for every place where the two JSON values differ.
fn differences_between(expected: &Value, actual: &Value, pointer: String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, value) in left {
                let at = format!("{pointer}/{key}");
                match right.get(key) {
                    Some(other) => differences_between(value, other, at, out),
                    None => out.push(format!("{at}: {value} → missing")),
                }
            }
            for (key, value) in right {
                if !left.contains_key(key) {
                    out.push(format!("{pointer}/{key}: missing → {value}"));
                }
            }
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => {
            for (index, (value, other)) in left.iter().zip(right).enumerate() {
                differences_between(value, other, format!("{pointer}/{index}"), out);
            }
        }
        _ if expected != actual => out.push(format!("{pointer}: {expected} → {actual}")),
        _ => {}
    }
}

/// Round-trip problems reviewed and accepted: source, the start of the problem, and why.
const REVIEWED: &[(&str, &str, &str)] = &[
    (
        "aws__aws-sam-cli__tests_smoke_templates_sar_DVSA-template_yaml",
        "warning APIGW802 ",
        // unused-authorizer holds back on templates, whose `AWS::ApiGateway::Method` resources
        // may use an authorizer the body does not name; the export is a plain document, and in
        // it the Cognito authorizer really is used by no route.
        "the authorizer is unused by the routes the document has",
    ),
    (
        "localstack__localstack__tests_aws_files_openapi_spec_pulumi_json",
        "/authorizers/0/identity_source: [] → ",
        // The source writes `identitySource: ""`, which lowers to no identity source, while an
        // absent one defaults to the scheme's header; the IR cannot tell the two apart, and the
        // export omits an empty identity source.
        "an empty identitySource reads as none, an absent one as the scheme's header",
    ),
];

/// Round-trips every REST and HTTP API of `sources` (WebSocket APIs have no OpenAPI form) in
/// both formats; returns how many APIs were tried and the failures, one line per source.
fn run(sources: &[Source]) -> (usize, usize, Vec<String>) {
    let mut reviewed_seen = vec![false; REVIEWED.len()];
    let mut files = 0;
    let mut tried = 0;
    let mut failures = Vec::new();
    for source in sources {
        let apis: Vec<&Api> = source
            .apis
            .iter()
            .filter(|api| api.kind != ApiKind::Websocket)
            .collect();
        if apis.is_empty() {
            continue;
        }
        files += 1;
        for api in apis {
            tried += 1;
            for format in [Format::Yaml, Format::Json] {
                let mut problems = round_trip(api, format, &source.diagnostics);
                problems.retain(|problem| {
                    let reviewed = REVIEWED.iter().position(|(name, start, _)| {
                        *name == source.name && problem.starts_with(start)
                    });
                    if let Some(index) = reviewed {
                        reviewed_seen[index] = true;
                    }
                    reviewed.is_none()
                });
                if !problems.is_empty() {
                    failures.push(format!(
                        "{} ({}, {}):\n    {}",
                        source.name,
                        api.name,
                        format.extension(),
                        problems.join("\n    ")
                    ));
                }
            }
        }
    }
    // An exception no longer needed is removed, so the list stays the real one.
    for ((name, start, why), seen) in REVIEWED.iter().zip(reviewed_seen) {
        if !seen && sources.iter().any(|source| source.name == *name) {
            failures.push(format!(
                "{name}: reviewed `{start}` ({why}) no longer happens"
            ));
        }
    }
    (files, tried, failures)
}

#[test]
fn every_example_round_trips_through_its_openapi_export() {
    let sources = example_sources();
    let (files, tried, failures) = run(&sources);
    // Four examples, each an OpenAPI or Swagger twin and a DSL file.
    assert_eq!(files, 8, "example files round-tripped");
    assert!(tried >= files);
    assert!(
        failures.is_empty(),
        "{} of {tried} example APIs do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_clean_corpus_file_round_trips_through_its_openapi_export() {
    let sources: Vec<Source> = super::terraform::corpus_compilations()
        .into_iter()
        .map(|(name, compilation)| Source {
            name,
            apis: compilation.apis,
            diagnostics: compilation.diagnostics,
        })
        .collect();
    let (files, tried, failures) = run(&sources);
    assert!(files > 50, "only {files} corpus files round-tripped");
    assert!(
        failures.is_empty(),
        "{} round trips of {tried} corpus APIs ({files} files) fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_example_export_is_snapshotted() {
    // As `apigw build --target openapi` writes them (YAML), from each example's OpenAPI or
    // Swagger twin (the DSL twins are round-tripped above).
    let mut snapshots = 0;
    for source in example_sources() {
        if source.name.ends_with("/api.yaml") {
            continue;
        }
        let example = source.name.split('/').nth(1).unwrap();
        let exported = openapi::emit(
            &source.apis,
            &OpenApiOptions {
                format: Format::Yaml,
            },
        )
        .unwrap();
        for file in &exported.output {
            insta::with_settings!({
                snapshot_path => "../../../snapshots/openapi",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{example}.{}", file.path), file.contents);
            });
            snapshots += 1;
        }
    }
    assert_eq!(snapshots, 4);
}
