//! Resources mode over CloudFormation's 500 resources per template: a parent template and nested
//! stacks, every reference resolved inside its own template, grouping stable as routes are added.

use std::collections::{BTreeMap, BTreeSet};

use apigw_compiler::ir::Api;
use apigw_compiler::{compile, MemoryWorld, Options, Severity};
use apigw_targets::cloudformation::{self, Mode};
use apigw_targets::{Format, OutputFile};
use camino::Utf8PathBuf;
use serde_json::{json, Map, Value};

use super::builds::options;

/// Groups of an OpenAPI document: `small` first segments with three paths and nine methods
/// each, and one `catalog` with `large` sub-collections, too big for one nested stack.
fn spec(small: usize, large: usize, extra: &[&str]) -> String {
    let mut paths = Map::new();
    let lambda = |function: &str| {
        json!({
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": format!("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:{function}/invocations"),
        })
    };
    let preflight = json!({
        "responses": {"200": {"description": "CORS preflight"}},
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "responses": {"default": {"statusCode": "200"}},
        },
    });
    let operation = |function: &str, secured: bool, body: bool| {
        let mut operation = json!({
            "responses": {"200": {"description": "OK"}},
            "x-amazon-apigateway-integration": lambda(function),
        });
        if secured {
            operation["security"] = json!([{"token": []}]);
            operation["x-amazon-apigateway-request-validator"] = json!("all");
        }
        if body {
            operation["requestBody"] = json!({
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
            });
        }
        operation
    };
    let mut collection = |base: &str, function: &str| {
        paths.insert(
            base.to_owned(),
            json!({"get": operation(function, false, false), "post": operation(function, true, true), "options": preflight}),
        );
        paths.insert(
            format!("{base}/{{id}}"),
            json!({
                "get": operation(function, false, false),
                "put": operation(function, true, true),
                "delete": operation(function, true, false),
                "options": preflight,
            }),
        );
        paths.insert(
            format!("{base}/{{id}}/notes"),
            json!({"get": operation(function, false, false), "post": operation(function, true, true)}),
        );
    };
    for group in 0..small {
        collection(&format!("/things{group:02}"), &format!("things-{group:02}"));
    }
    for sub in 0..large {
        collection(&format!("/catalog/section{sub:02}"), "catalog");
    }
    for path in extra {
        collection(path, "extra");
    }
    paths.insert(
        "/".to_owned(),
        json!({"get": operation("root", false, false)}),
    );
    let document = json!({
        "openapi": "3.0.1",
        "info": {"title": "Big API", "version": "1.0"},
        "paths": paths,
        "components": {
            "schemas": {"Item": {"type": "object", "properties": {"name": {"type": "string"}}}},
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authtype": "custom",
                    "x-amazon-apigateway-authorizer": {
                        "type": "token",
                        "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authorizer/invocations",
                        "authorizerResultTtlInSeconds": 300,
                    },
                },
            },
        },
        "x-amazon-apigateway-request-validators": {
            "all": {"validateRequestBody": true, "validateRequestParameters": true},
        },
    });
    serde_json::to_string_pretty(&document).unwrap()
}

fn compile_spec(text: &str) -> Vec<Api> {
    let path = Utf8PathBuf::from("big/openapi.json");
    let world = MemoryWorld::new().with(path.clone(), text.to_owned());
    let compilation = compile(&world, &path, &Options::default());
    let errors: Vec<String> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity >= Severity::Error)
        .map(|diagnostic| diagnostic.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    compilation.apis
}

fn emit(apis: &[Api], format: Format) -> apigw_targets::Warned<Vec<OutputFile>> {
    cloudformation::emit(apis, &options(format, Mode::Resources)).unwrap()
}

fn parse(files: &[OutputFile]) -> BTreeMap<String, Value> {
    files
        .iter()
        .map(|file| {
            (
                file.path.to_string(),
                serde_json::from_str(&file.contents).unwrap(),
            )
        })
        .collect()
}

fn resources(template: &Value) -> &Map<String, Value> {
    template["Resources"].as_object().unwrap()
}

/// Every logical id a template refers to: (kind, id) with kind `Ref`, `GetAtt`, `DependsOn`
/// or `Condition`.
fn references(value: &Value, out: &mut BTreeSet<(&'static str, String)>) {
    match value {
        Value::Object(map) => {
            for (key, entry) in map {
                match (key.as_str(), entry) {
                    ("Ref", Value::String(id)) => {
                        out.insert(("Ref", id.clone()));
                    }
                    ("Fn::GetAtt", Value::Array(items)) => {
                        out.insert(("GetAtt", items[0].as_str().unwrap().to_owned()));
                    }
                    ("Fn::Sub", sub) => {
                        let (text, locals) = match sub {
                            Value::String(text) => (text.as_str(), Map::new()),
                            Value::Array(items) => (
                                items[0].as_str().unwrap(),
                                items[1].as_object().unwrap().clone(),
                            ),
                            _ => panic!("odd Fn::Sub {sub}"),
                        };
                        for piece in text.split("${").skip(1) {
                            let name = piece.split('}').next().unwrap();
                            if name.starts_with('!') || locals.contains_key(name) {
                                continue;
                            }
                            match name.split_once('.') {
                                Some((id, _)) => out.insert(("GetAtt", id.to_owned())),
                                None => out.insert(("Ref", name.to_owned())),
                            };
                        }
                        if let Value::Array(items) = sub {
                            references(&items[1], out);
                        }
                    }
                    ("Fn::If", Value::Array(items)) => {
                        out.insert(("Condition", items[0].as_str().unwrap().to_owned()));
                        references(entry, out);
                    }
                    _ => references(entry, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

/// The problems of one template's references: each must name one of its own parameters,
/// pseudo parameters, resources or conditions.
fn unresolved(name: &str, template: &Value) -> Vec<String> {
    let resources = resources(template);
    let parameters = template
        .get("Parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let conditions = template
        .get("Conditions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut found = BTreeSet::new();
    for section in ["Resources", "Outputs", "Conditions"] {
        if let Some(value) = template.get(section) {
            references(value, &mut found);
        }
    }
    for resource in resources.values() {
        match resource.get("DependsOn") {
            Some(Value::String(one)) => {
                found.insert(("DependsOn", one.clone()));
            }
            Some(Value::Array(many)) => {
                for one in many {
                    found.insert(("DependsOn", one.as_str().unwrap().to_owned()));
                }
            }
            _ => {}
        }
    }
    found
        .into_iter()
        .filter(|(kind, id)| match *kind {
            "Ref" => {
                !(id.starts_with("AWS::")
                    || parameters.contains_key(id)
                    || resources.contains_key(id))
            }
            "GetAtt" | "DependsOn" => !resources.contains_key(id),
            _ => !conditions.contains_key(id),
        })
        .map(|(kind, id)| format!("{name}: {kind} {id}"))
        .collect()
}

fn stacks(template: &Value) -> Vec<(&String, &Value)> {
    resources(template)
        .iter()
        .filter(|(_, resource)| resource["Type"] == "AWS::CloudFormation::Stack")
        .collect()
}

/// Logical id of every method → the file that holds it.
fn method_homes(templates: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    let mut homes = BTreeMap::new();
    for (file, template) in templates {
        for (id, resource) in resources(template) {
            if resource["Type"] == "AWS::ApiGateway::Method" {
                homes.insert(id.clone(), file.clone());
            }
        }
    }
    homes
}

fn deployment(template: &Value) -> (&String, &Value) {
    resources(template)
        .iter()
        .find(|(_, resource)| resource["Type"] == "AWS::ApiGateway::Deployment")
        .unwrap()
}

/// Every resource of the parent and the nested stacks matches its AWS resource schema.
fn check_schemas(templates: &BTreeMap<String, Value>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (file, template) in templates {
        let (count, mut found) = super::schemas::check_template(file, template);
        checked += count;
        problems.append(&mut found);
    }
    assert!(checked > 500, "checked only {checked} resources");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The parent passes every parameter a child declares, and every child gets the API's id.
fn check_parameters_passed(templates: &BTreeMap<String, Value>, api_id: &str) {
    let parent = templates
        .iter()
        .find(|(file, _)| !file.starts_with("stacks/"))
        .unwrap()
        .1;
    for (id, stack) in stacks(parent) {
        let url = stack["Properties"]["TemplateURL"].as_str().unwrap();
        let child = &templates[url];
        let declared: BTreeSet<&String> = child
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|parameters| parameters.keys().collect())
            .unwrap_or_default();
        let passed: BTreeSet<&String> = stack["Properties"]
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|parameters| parameters.keys().collect())
            .unwrap_or_default();
        assert_eq!(declared, passed, "{id}");
        assert!(declared.contains(&api_id.to_owned()), "{id}");
    }
}

#[test]
fn a_resources_template_over_500_resources_is_split_into_nested_stacks() {
    let apis = compile_spec(&spec(40, 45, &[]));
    let built = emit(&apis, Format::Json);
    let templates = parse(&built.output);
    let parent = &templates["template.json"];
    let children: Vec<(&String, &Value)> = templates
        .iter()
        .filter(|(file, _)| file.starts_with("stacks/"))
        .collect();
    assert_eq!(templates.len(), children.len() + 1);
    // 40 small groups, and the catalog split into one stack per section and one for
    // `/catalog` itself.
    assert_eq!(children.len(), 40 + 45 + 1, "{:?}", templates.keys());

    let counts: Vec<usize> = children
        .iter()
        .map(|(_, child)| resources(child).len())
        .collect();
    let parent_count = resources(parent).len();
    assert!(parent_count < 500, "parent: {parent_count} resources");
    assert!(counts.iter().all(|count| *count <= 450), "{counts:?}");
    let methods = method_homes(&templates);
    // Nine methods per collection, and GET /.
    assert_eq!(methods.len(), 85 * 9 + 1);
    assert_eq!(methods["BigAPIMethodGetRoot"], "template.json");
    eprintln!(
        "nested stacks: parent {parent_count} resources, {} children of {}..={} resources",
        children.len(),
        counts.iter().min().unwrap(),
        counts.iter().max().unwrap()
    );

    let problems: Vec<String> = templates
        .iter()
        .flat_map(|(file, template)| unresolved(file, template))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let stack_resources = stacks(parent);
    assert_eq!(stack_resources.len(), children.len());
    check_parameters_passed(&templates, "BigAPI");
    check_schemas(&templates);

    let outputs_read = {
        let mut found = Vec::new();
        fn walk(value: &Value, found: &mut Vec<(String, String)>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::Array(items)) = map.get("Fn::GetAtt") {
                        let attribute = items[1].as_str().unwrap();
                        if let Some(output) = attribute.strip_prefix("Outputs.") {
                            found.push((items[0].as_str().unwrap().to_owned(), output.to_owned()));
                        }
                    }
                    map.values().for_each(|entry| walk(entry, found));
                }
                Value::Array(items) => items.iter().for_each(|item| walk(item, found)),
                _ => {}
            }
        }
        walk(parent, &mut found);
        found
    };
    // The catalog's sections hang below `/catalog`, which one stack creates for the others.
    assert!(!outputs_read.is_empty());
    for (stack, output) in &outputs_read {
        let url = resources(parent)[stack]["Properties"]["TemplateURL"]
            .as_str()
            .unwrap();
        assert!(
            templates[url]["Outputs"].get(output).is_some(),
            "{stack} has no output {output}"
        );
    }

    // The deployment waits for every stack, and so for every method.
    let (_, deployment) = deployment(parent);
    let depends: BTreeSet<&str> = deployment["DependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    for (id, _) in &stack_resources {
        assert!(
            depends.contains(id.as_str()),
            "the deployment does not wait for {id}"
        );
    }

    // The warning says what was done and how to deploy it.
    let warning = built
        .warnings
        .iter()
        .find(|warning| warning.message.contains("nested stacks"))
        .expect("a warning about nested stacks");
    assert!(warning
        .help
        .as_deref()
        .unwrap()
        .contains("aws cloudformation package"));
}

#[test]
fn nested_stacks_are_deterministic_and_yaml_matches_json() {
    let apis = compile_spec(&spec(40, 45, &[]));
    for format in [Format::Yaml, Format::Json] {
        let first = emit(&apis, format).output;
        let second = emit(&compile_spec(&spec(40, 45, &[])), format).output;
        assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a.path, b.path);
            assert!(
                a.contents == b.contents,
                "{} differs between builds",
                a.path
            );
        }
    }
    let yaml = emit(&apis, Format::Yaml).output;
    let json = emit(&apis, Format::Json).output;
    let yaml_paths: Vec<String> = yaml
        .iter()
        .map(|file| file.path.as_str().replace(".yaml", ".json"))
        .collect();
    let json_paths: Vec<String> = json.iter().map(|file| file.path.to_string()).collect();
    assert_eq!(yaml_paths, json_paths);
}

#[test]
fn adding_a_path_moves_no_other_path_between_nested_stacks() {
    let before = parse(&emit(&compile_spec(&spec(40, 45, &[])), Format::Json).output);
    let homes_before = method_homes(&before);
    for extra in ["/aaa-new", "/things05/extra", "/catalog/section99"] {
        let after = parse(&emit(&compile_spec(&spec(40, 45, &[extra])), Format::Json).output);
        let homes_after = method_homes(&after);
        for (method, home) in &homes_before {
            assert_eq!(
                homes_after.get(method),
                Some(home),
                "adding {extra} moved {method}"
            );
        }
        assert!(homes_after.len() > homes_before.len());
        // A new route is a new deployment.
        assert_ne!(
            deployment(&before["template.json"]).0,
            deployment(&after["template.json"]).0
        );
    }
}

#[test]
fn a_template_under_the_limit_has_no_nested_stacks() {
    let apis = compile_spec(&spec(20, 0, &[]));
    let built = emit(&apis, Format::Json);
    assert_eq!(built.output.len(), 1);
    let templates = parse(&built.output);
    assert!(stacks(&templates["template.json"]).is_empty());
    assert!(resources(&templates["template.json"]).len() < 500);
}

/// An HTTP API of `collections` collections, seven Lambda routes each.
fn http_spec(collections: usize) -> String {
    let mut paths = Map::new();
    let operation = |function: &str| {
        json!({
            "responses": {"200": {"description": "OK"}},
            "x-amazon-apigateway-integration": {
                "type": "aws_proxy",
                "httpMethod": "POST",
                "payloadFormatVersion": "2.0",
                "uri": format!("arn:aws:lambda:us-east-1:123456789012:function:{function}"),
            },
        })
    };
    for group in 0..collections {
        let base = format!("/things{group:02}");
        let function = format!("things-{group:02}");
        paths.insert(
            base.clone(),
            json!({"get": operation(&function), "post": operation(&function)}),
        );
        paths.insert(
            format!("{base}/{{id}}"),
            json!({"get": operation(&function), "put": operation(&function), "delete": operation(&function)}),
        );
        paths.insert(
            format!("{base}/{{id}}/notes"),
            json!({"get": operation(&function), "post": operation(&function)}),
        );
    }
    let document = json!({
        "openapi": "3.0.1",
        "info": {"title": "Big HTTP", "version": "1.0"},
        "x-amazon-apigateway-importexport-version": "1.0",
        "x-amazon-apigateway-cors": {"allowOrigins": ["https://example.com"]},
        "paths": paths,
    });
    serde_json::to_string_pretty(&document).unwrap()
}

#[test]
fn an_http_api_over_500_resources_is_split_into_nested_stacks_too() {
    let apis = compile_spec(&http_spec(40));
    assert_eq!(apis[0].kind, apigw_compiler::ir::ApiKind::Http);
    let built = emit(&apis, Format::Json);
    let templates = parse(&built.output);
    assert_eq!(templates.len(), 41, "{:?}", templates.keys());
    for (file, template) in &templates {
        assert!(resources(template).len() <= 450, "{file}");
    }
    let routes: usize = templates
        .values()
        .map(|template| {
            resources(template)
                .values()
                .filter(|resource| resource["Type"] == "AWS::ApiGatewayV2::Route")
                .count()
        })
        .sum();
    assert_eq!(routes, 40 * 7);
    let problems: Vec<String> = templates
        .iter()
        .flat_map(|(file, template)| unresolved(file, template))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    check_parameters_passed(&templates, "BigHTTPApi");
}

/// The synthetic API of `shared/bench/gen_spec.py` (300 paths, 895 methods, models,
/// authorizers, validators, gateway responses): `None` when python3 or the script is missing
/// outside CI.
fn bench_api() -> Option<Vec<Api>> {
    let script = super::schemas::shared_dir().join("bench/gen_spec.py");
    let output = std::process::Command::new("python3")
        .arg(&script)
        .args(["300", "--format", "json"])
        .output();
    match output {
        Ok(output) if output.status.success() => {
            Some(compile_spec(&String::from_utf8(output.stdout).unwrap()))
        }
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "cannot run {}",
                script.display()
            );
            eprintln!(
                "{} did not run; the bench API is not built",
                script.display()
            );
            None
        }
    }
}

#[test]
fn the_bench_api_in_resources_mode_is_split_into_nested_stacks() {
    let Some(apis) = bench_api() else { return };
    let templates = parse(&emit(&apis, Format::Json).output);
    let parent = &templates["template.json"];
    let children = templates.len() - 1;
    assert_eq!(stacks(parent).len(), children);
    let counts: Vec<usize> = templates
        .iter()
        .filter(|(file, _)| file.starts_with("stacks/"))
        .map(|(_, template)| resources(template).len())
        .collect();
    assert!(counts.iter().all(|count| *count <= 450), "{counts:?}");
    assert!(resources(parent).len() <= 450);
    // The models move with the routes that use them; the parent keeps the API-wide rest.
    let parent_models = resources(parent)
        .values()
        .filter(|resource| resource["Type"] == "AWS::ApiGateway::Model")
        .count();
    let all_models: usize = templates
        .values()
        .map(|template| {
            resources(template)
                .values()
                .filter(|resource| resource["Type"] == "AWS::ApiGateway::Model")
                .count()
        })
        .sum();
    assert!(
        parent_models < all_models / 4,
        "{parent_models} of {all_models} models in the parent"
    );
    eprintln!(
        "bench API: parent {} resources, {children} nested stacks of {}..={} resources",
        resources(parent).len(),
        counts.iter().min().unwrap(),
        counts.iter().max().unwrap()
    );
    let problems: Vec<String> = templates
        .iter()
        .flat_map(|(file, template)| unresolved(file, template))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let api_id = resources(parent)
        .iter()
        .find(|(_, resource)| resource["Type"] == "AWS::ApiGateway::RestApi")
        .unwrap()
        .0;
    check_parameters_passed(&templates, api_id);
    check_schemas(&templates);
}

#[test]
fn cfn_lint_finds_no_errors_in_nested_stacks() {
    // The test API in both formats, the HTTP API and the bench API: one cfn-lint run.
    let mut builds = vec![
        (
            "rest",
            emit(&compile_spec(&spec(40, 45, &[])), Format::Yaml).output,
        ),
        (
            "rest",
            emit(&compile_spec(&spec(40, 45, &[])), Format::Json).output,
        ),
        (
            "http",
            emit(&compile_spec(&http_spec(40)), Format::Yaml).output,
        ),
    ];
    if let Some(apis) = bench_api() {
        builds.push(("bench", emit(&apis, Format::Yaml).output));
    }
    let mut templates = Vec::new();
    for (label, files) in builds {
        // One folder per file: the helper lints the files at the top of each folder.
        for file in files {
            let name = format!("{label}-{}", file.path.as_str().replace('/', "-"));
            let flat = OutputFile {
                path: Utf8PathBuf::from(file.path.file_name().unwrap()),
                contents: file.contents,
            };
            templates.push((name, vec![flat]));
        }
    }
    if let Some(errors) = super::cfn_lint::lint("nested", &templates) {
        assert!(errors.is_empty(), "cfn-lint:\n{}", errors.join("\n"));
        eprintln!("cfn-lint: no errors in {} templates", templates.len());
    }
}
