//! A checker of generated modules against the AWS provider's argument schema
//! (`../shared/reference/terraform-aws-apigateway-schema.json`): every resource type exists,
//! every argument and nested block it is given exists, every required argument and block is
//! present, a single block appears once, list and map arguments get lists and maps; and every
//! reference (`aws_api_gateway_stage.prod.invoke_url`, `var.x`, `local.y`, `data.z`) names
//! something the module declares, with an attribute the resource has.

use std::collections::{BTreeMap, BTreeSet};

use hcl::expr::{TemplateExpr, TraversalOperator};
use hcl::{Block, Body, Expression, Structure, Template};
use serde_json::Value;

use super::terraform::{corpus_modules, modules, TfModule};

fn schema() -> &'static Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path =
            super::schemas::shared_dir().join("reference/terraform-aws-apigateway-schema.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        serde_json::from_str(&text).unwrap()
    })
}

/// The data sources the target may read, with their attributes (the schema file lists
/// resources only).
fn data_attributes(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "aws_region" => Some(&["region", "id", "endpoint", "description"]),
        "aws_caller_identity" => Some(&["account_id", "arn", "id", "user_id"]),
        "aws_partition" => Some(&["partition", "dns_suffix", "id", "reverse_dns_prefix"]),
        _ => None,
    }
}

const META_ARGUMENTS: &[&str] = &["depends_on", "count", "for_each", "provider"];

#[derive(Default)]
struct Declared {
    /// Resource type → labels.
    resources: BTreeMap<String, BTreeSet<String>>,
    data: BTreeMap<String, BTreeSet<String>>,
    variables: BTreeSet<String>,
    locals: BTreeSet<String>,
}

fn check_value_type(kind: &str, value: &Expression) -> Option<String> {
    let scalar = matches!(
        value,
        Expression::String(_) | Expression::Number(_) | Expression::Bool(_)
    );
    let collection = matches!(value, Expression::Array(_) | Expression::Object(_));
    if (kind.starts_with("list(") || kind.starts_with("set("))
        && (scalar || matches!(value, Expression::Object(_)))
    {
        return Some(format!("a {kind} argument is given a single value"));
    }
    if kind.starts_with("map(") && (scalar || matches!(value, Expression::Array(_))) {
        return Some(format!("a {kind} argument is given a non-map value"));
    }
    if matches!(kind, "string" | "number" | "bool") && collection {
        return Some(format!("a {kind} argument is given a collection"));
    }
    None
}

/// Problems of one block's body against its schema entry.
fn check_body(path: &str, body: &Body, spec: &Value, problems: &mut Vec<String>, resource: bool) {
    let arguments = spec["arguments"].as_object().cloned().unwrap_or_default();
    let blocks = spec["blocks"].as_object().cloned().unwrap_or_default();
    let mut seen_blocks: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_arguments = BTreeSet::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key = attribute.key.as_str();
                seen_arguments.insert(key.to_owned());
                if resource && META_ARGUMENTS.contains(&key) {
                    continue;
                }
                match arguments.get(key) {
                    None => problems.push(format!("{path}: unknown argument `{key}`")),
                    Some(argument) => {
                        if let Some(problem) = check_value_type(
                            argument["type"].as_str().unwrap_or(""),
                            &attribute.expr,
                        ) {
                            problems.push(format!("{path}.{key}: {problem}"));
                        }
                    }
                }
            }
            Structure::Block(block) => {
                let name = block.identifier.as_str();
                if resource && name == "lifecycle" {
                    continue;
                }
                *seen_blocks.entry(name.to_owned()).or_default() += 1;
                match blocks.get(name) {
                    None => problems.push(format!("{path}: unknown block `{name}`")),
                    Some(nested) => check_body(
                        &format!("{path}.{name}"),
                        &block.body,
                        nested,
                        problems,
                        false,
                    ),
                }
            }
        }
    }
    for (name, argument) in &arguments {
        if argument["required"] == Value::Bool(true) && !seen_arguments.contains(name) {
            problems.push(format!("{path}: required argument `{name}` is missing"));
        }
    }
    for (name, nested) in &blocks {
        let count = seen_blocks.get(name).copied().unwrap_or(0);
        if nested["required"] == Value::Bool(true) && count == 0 {
            problems.push(format!("{path}: required block `{name}` is missing"));
        }
        if nested["nesting"] == "single" && count > 1 {
            problems.push(format!(
                "{path}: block `{name}` may appear once, found {count}"
            ));
        }
    }
}

fn labels(block: &Block) -> Vec<String> {
    block
        .labels
        .iter()
        .map(|label| label.as_str().to_owned())
        .collect()
}

/// Every traversal in `expression`, templates included.
fn traversals(expression: &Expression, out: &mut Vec<Vec<String>>) {
    match expression {
        Expression::Traversal(traversal) => {
            if let Expression::Variable(root) = &traversal.expr {
                let mut names = vec![root.as_str().to_owned()];
                for operator in &traversal.operators {
                    match operator {
                        TraversalOperator::GetAttr(name) => names.push(name.as_str().to_owned()),
                        TraversalOperator::Index(index) => {
                            traversals(index, out);
                            names.push("[]".to_owned());
                        }
                        _ => names.push("[]".to_owned()),
                    }
                }
                out.push(names);
            } else {
                traversals(&traversal.expr, out);
            }
        }
        Expression::Array(items) => items.iter().for_each(|item| traversals(item, out)),
        Expression::Object(map) => map.values().for_each(|item| traversals(item, out)),
        Expression::FuncCall(call) => call.args.iter().for_each(|arg| traversals(arg, out)),
        Expression::TemplateExpr(template) => {
            if let TemplateExpr::QuotedString(_) = template.as_ref() {
                let parsed = Template::from_expr(template).expect("a valid template");
                for element in parsed.elements() {
                    if let hcl::template::Element::Interpolation(interpolation) = element {
                        traversals(&interpolation.expr, out);
                    }
                }
            }
        }
        Expression::Parenthesis(inner) => traversals(inner, out),
        _ => {}
    }
}

fn body_expressions(body: &Body, out: &mut Vec<Expression>) {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => out.push(attribute.expr.clone()),
            Structure::Block(block) => body_expressions(&block.body, out),
        }
    }
}

/// Problems of one build: each directory of `.tf` files is one module.
pub fn check_module(module: &TfModule) -> (usize, Vec<String>) {
    let mut directories: BTreeMap<String, Vec<apigw_targets::OutputFile>> = BTreeMap::new();
    for file in &module.files {
        let directory = file
            .path
            .parent()
            .map(|dir| dir.to_string())
            .unwrap_or_default();
        directories.entry(directory).or_default().push(file.clone());
    }
    let mut checked = 0;
    let mut problems = Vec::new();
    for files in directories.into_values() {
        let (count, mut found) = check_directory(&TfModule {
            name: module.name.clone(),
            files,
        });
        checked += count;
        problems.append(&mut found);
    }
    (checked, problems)
}

fn check_directory(module: &TfModule) -> (usize, Vec<String>) {
    let resources = schema()["resources"].as_object().unwrap();
    let mut problems = Vec::new();
    let mut declared = Declared::default();
    let mut bodies = Vec::new();
    for file in &module.files {
        if file.path.extension() != Some("tf") {
            continue;
        }
        let body: Body = hcl::from_str(&file.contents)
            .unwrap_or_else(|error| panic!("{}/{}: {error}", module.name, file.path));
        bodies.push((format!("{}/{}", module.name, file.path), body));
    }
    let mut checked = 0;
    for (file, body) in &bodies {
        for block in body.blocks() {
            let labels = labels(block);
            match (block.identifier.as_str(), labels.as_slice()) {
                ("resource", [kind, name]) => {
                    checked += 1;
                    if !declared
                        .resources
                        .entry(kind.clone())
                        .or_default()
                        .insert(name.clone())
                    {
                        problems.push(format!("{file}: {kind}.{name} is declared twice"));
                    }
                    match resources.get(kind) {
                        None => problems.push(format!("{file}: unknown resource type {kind}")),
                        Some(spec) => check_body(
                            &format!("{file}: {kind}.{name}"),
                            &block.body,
                            spec,
                            &mut problems,
                            true,
                        ),
                    }
                }
                ("data", [kind, name]) => {
                    if data_attributes(kind).is_none() {
                        problems.push(format!("{file}: unexpected data source {kind}"));
                    }
                    declared
                        .data
                        .entry(kind.clone())
                        .or_default()
                        .insert(name.clone());
                }
                ("variable", [name]) => {
                    declared.variables.insert(name.clone());
                }
                ("locals", []) => {
                    for attribute in block.body.attributes() {
                        declared.locals.insert(attribute.key.as_str().to_owned());
                    }
                }
                ("output", [_]) | ("terraform", []) => {}
                (other, _) => problems.push(format!("{file}: unexpected block {other}")),
            }
        }
    }
    // References.
    for (file, body) in &bodies {
        let mut expressions = Vec::new();
        body_expressions(body, &mut expressions);
        let mut found = Vec::new();
        for expression in &expressions {
            traversals(expression, &mut found);
        }
        for names in found {
            let text = names.join(".");
            match names.as_slice() {
                [root, name, ..] if root == "var" => {
                    if !declared.variables.contains(name) {
                        problems.push(format!("{file}: {text} is not declared"));
                    }
                }
                [root, name, ..] if root == "local" => {
                    if !declared.locals.contains(name) {
                        problems.push(format!("{file}: {text} is not declared"));
                    }
                }
                [root, kind, name, attribute, ..] if root == "data" => {
                    let known = declared
                        .data
                        .get(kind)
                        .is_some_and(|names| names.contains(name));
                    let has = data_attributes(kind)
                        .is_some_and(|list| list.contains(&attribute.as_str()));
                    if !known || !has {
                        problems.push(format!("{file}: {text} does not exist"));
                    }
                }
                [kind, name, rest @ ..] if kind.starts_with("aws_") => {
                    if !declared
                        .resources
                        .get(kind)
                        .is_some_and(|names| names.contains(name))
                    {
                        problems.push(format!("{file}: {kind}.{name} is not declared"));
                        continue;
                    }
                    let Some(attribute) = rest.first() else {
                        continue;
                    };
                    let spec = &resources[kind.as_str()];
                    let has = attribute == "id"
                        || spec["arguments"].get(attribute).is_some()
                        || spec["blocks"].get(attribute).is_some()
                        || spec["attributes"].as_array().is_some_and(|list| {
                            list.iter().any(|known| known == attribute.as_str())
                        });
                    if !has {
                        problems.push(format!(
                            "{file}: {text}: {kind} has no attribute `{attribute}`"
                        ));
                    }
                }
                [root, ..] if matches!(root.as_str(), "string" | "number" | "bool") => {}
                _ => problems.push(format!("{file}: unexpected reference {text}")),
            }
        }
    }
    (checked, problems)
}

#[test]
fn every_module_matches_the_provider_schema() {
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut types = BTreeSet::new();
    for module in modules().iter().chain(corpus_modules()) {
        let (count, mut found) = check_module(module);
        checked += count;
        problems.append(&mut found);
        for file in &module.files {
            for line in file.contents.lines() {
                if let Some(rest) = line.strip_prefix("resource \"") {
                    types.insert(rest.split('"').next().unwrap_or_default().to_owned());
                }
            }
        }
    }
    assert!(checked > 500, "checked only {checked} resources");
    // The fixtures and examples reach every kind of resource the target writes.
    for expected in [
        "aws_api_gateway_rest_api",
        "aws_api_gateway_deployment",
        "aws_api_gateway_stage",
        "aws_api_gateway_method_settings",
        "aws_api_gateway_resource",
        "aws_api_gateway_method",
        "aws_api_gateway_integration",
        "aws_api_gateway_method_response",
        "aws_api_gateway_integration_response",
        "aws_api_gateway_authorizer",
        "aws_api_gateway_model",
        "aws_api_gateway_request_validator",
        "aws_api_gateway_gateway_response",
        "aws_api_gateway_usage_plan",
        "aws_api_gateway_usage_plan_key",
        "aws_api_gateway_api_key",
        "aws_api_gateway_domain_name",
        "aws_api_gateway_base_path_mapping",
        "aws_apigatewayv2_api",
        "aws_apigatewayv2_stage",
        "aws_apigatewayv2_route",
        "aws_apigatewayv2_integration",
        "aws_apigatewayv2_authorizer",
        "aws_apigatewayv2_deployment",
        "aws_apigatewayv2_route_response",
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_metric_alarm",
        "aws_lambda_permission",
        "aws_wafv2_web_acl_association",
    ] {
        assert!(types.contains(expected), "no module uses {expected}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_catches_unknown_and_missing_arguments() {
    let module = TfModule {
        name: "broken".into(),
        files: vec![apigw_targets::OutputFile {
            path: "main.tf".into(),
            contents: "resource \"aws_api_gateway_stage\" \"x\" {\n  rest_api_id = \"a\"\n  stage_nam = \"b\"\n  variables = \"c\"\n}\n\noutput \"o\" {\n  value = aws_api_gateway_stage.x.nope\n}\n".into(),
        }],
    };
    let (_, problems) = check_module(&module);
    let text = problems.join("\n");
    assert!(text.contains("unknown argument `stage_nam`"), "{text}");
    assert!(
        text.contains("required argument `deployment_id` is missing"),
        "{text}"
    );
    assert!(
        text.contains("map(string) argument is given a non-map value"),
        "{text}"
    );
    assert!(text.contains("has no attribute `nope`"), "{text}");
}
