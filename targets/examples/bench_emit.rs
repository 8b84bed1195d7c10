//! Times the CloudFormation target on a large API: the 3000-path spec of
//! `shared/bench/gen_spec.py`, read into IR by a small stand-in for the OpenAPI front end (paths,
//! methods, Lambda and HTTP integrations, security, models), then built in body mode as YAML and
//! JSON. Prints the time of reading the JSON spec, of lowering, of each build, and the peak
//! memory.
//!
//! `cargo run --release -p apigw-targets --example bench_emit -- spec.json`

// A benchmark of trusted, generated input: a missing key is a bug in the generator.
#![allow(clippy::indexing_slicing, reason = "benchmark over generated input")]

use std::time::Instant;

use apigw_compiler::ir::*;
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::Format;
use serde_json::Value;

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn lower(spec: &Value) -> Api {
    let mut api = Api::new(ApiKind::Rest, Origin::default(), "synthetic");
    let mut functions = std::collections::BTreeSet::new();
    if let Some(paths) = spec["paths"].as_object() {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, operation) in item {
                let Some(method) = HttpMethod::parse(method) else {
                    continue;
                };
                let mut route = Route::new(
                    Origin::default(),
                    RouteKey::Http {
                        method,
                        path: path.clone(),
                    },
                );
                route.operation_id = operation["operationId"].as_str().map(str::to_owned);
                let integration = &operation["x-amazon-apigateway-integration"];
                let kind = integration["type"]
                    .as_str()
                    .and_then(IntegrationType::parse);
                let mut lowered = Integration::new(Origin::default(), kind);
                if let Some(uri) = integration["uri"].as_str() {
                    lowered.uri = Some(Spanned::new(Expr::literal(uri), Origin::default()));
                    if let Some(name) = uri
                        .split("function:")
                        .nth(1)
                        .and_then(|rest| rest.split('/').next())
                    {
                        if kind == Some(IntegrationType::AwsProxy) {
                            lowered.function = Some(name.to_owned());
                            functions.insert(name.to_owned());
                        }
                    }
                }
                if let Some(method) = integration["httpMethod"].as_str() {
                    lowered.http_method = Some(Spanned::new(method.to_owned(), Origin::default()));
                }
                route.integration = Some(lowered);
                if let Some(security) = operation["security"].as_array() {
                    route.security = Some(
                        security
                            .iter()
                            .filter_map(Value::as_object)
                            .map(|requirement| SecurityRequirement {
                                origin: Origin::default(),
                                schemes: requirement
                                    .keys()
                                    .map(|name| (name.clone(), Vec::new()))
                                    .collect(),
                            })
                            .collect(),
                    );
                }
                api.routes.push(route);
            }
        }
    }
    if let Some(schemas) = spec["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            api.models.push(Model {
                origin: Origin::default(),
                name: name.clone(),
                content_type: "application/json".into(),
                description: None,
                schema: schema.clone(),
            });
        }
    }
    for name in functions {
        api.functions.push(Function {
            origin: Origin::default(),
            binding: FunctionBinding::Arn {
                arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
            },
            name,
            local: None,
            timeout_seconds: None,
        });
    }
    api
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "spec.json".to_owned());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let start = Instant::now();
    let spec: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let parse = start.elapsed();
    let start = Instant::now();
    let api = lower(&spec);
    let lowering = start.elapsed();
    println!(
        "spec: {} bytes, {} routes; JSON parse {:.3} s, lowering stand-in {:.3} s",
        text.len(),
        api.routes.len(),
        parse.as_secs_f64(),
        lowering.as_secs_f64()
    );
    for format in [Format::Yaml, Format::Json] {
        let options = CloudFormationOptions {
            format,
            mode: Mode::Body,
            ..CloudFormationOptions::default()
        };
        let start = Instant::now();
        let built = cloudformation::emit(std::slice::from_ref(&api), &options);
        let elapsed = start.elapsed();
        let (bytes, warnings, notes) = built
            .map(|out| {
                (
                    out.output
                        .iter()
                        .map(|file| file.contents.len())
                        .sum::<usize>(),
                    out.warnings.len(),
                    out.notes.len(),
                )
            })
            .unwrap_or_default();
        println!(
            "build cloudformation body {}: {:.3} s, {bytes} bytes, {warnings} warnings, {notes} notes",
            format.extension(),
            elapsed.as_secs_f64()
        );
    }
    println!("peak memory {:.0} MiB", peak_mib());
}
