//! What a generated module means: API Gateway's own `${stageVariables.x}`, `$context`, VTL
//! and `%{` reach AWS unchanged (terraform itself evaluates the document), and the module
//! describes the same API as the CloudFormation template of the same IR — the same routes,
//! integrations, authorizers, Lambda permissions and stage settings.

use std::collections::BTreeMap;
use std::process::Command;

use apigw_compiler::ir::*;
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::openapi::{document, RenderExpr};
use apigw_targets::terraform;
use apigw_targets::{Format, OutputFile};
use indexmap::IndexMap;
use serde_json::{json, Value};

use super::terraform::{options, tool};

/// Text API Gateway reads itself: stage variables, context variables, VTL directives, a
/// Terraform template directive, an already-escaped marker, quotes, backslashes, newlines.
const TRICKY: &[&str] = &[
    "${stageVariables.backend}",
    "https://${stageVariables.host}/v1/${stageVariables.path}",
    "#set($inputRoot = $input.path('$'))\n{\"id\": \"$context.requestId\", \"user\": \"${context.authorizer.claims.sub}\"}",
    "%{if} not a directive %{endif}",
    "$${already} $$ $ { } ${ ${} %{ %%{",
    "\"quoted\" \\ back\\slash \t tab é ü 日本",
    "#foreach($item in $input.path('$.items'))${item.name}#if($foreach.hasNext),#end#end",
];

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Origin::default())
}

/// A REST API whose mock integrations, gateway responses and stage variables are full of
/// API Gateway's own syntax.
fn tricky_api() -> Api {
    let mut api = Api::new(ApiKind::Rest, Origin::default(), "tricky");
    api.description = Some(TRICKY.join(" | "));
    for (index, text) in TRICKY.iter().enumerate() {
        let mut route = Route::new(
            Origin::default(),
            RouteKey::Http {
                method: HttpMethod::Post,
                path: format!("/t{index}/{{id}}"),
            },
        );
        route.summary = Some((*text).to_owned());
        let mut integration = Integration::new(Origin::default(), Some(IntegrationType::Mock));
        integration
            .request_templates
            .insert("application/json".into(), spanned((*text).to_owned()));
        let mut templates = IndexMap::new();
        templates.insert("application/json".to_owned(), spanned((*text).to_owned()));
        integration.responses.push(IntegrationResponse {
            origin: Origin::default(),
            selection_pattern: "default".into(),
            status_code: Some(spanned("200".into())),
            response_parameters: IndexMap::new(),
            response_templates: templates,
            content_handling: None,
        });
        route.integration = Some(integration);
        api.routes.push(route);
    }
    let mut templates = IndexMap::new();
    templates.insert("application/json".to_owned(), spanned(TRICKY.concat()));
    api.gateway_responses.push(GatewayResponse {
        origin: Origin::default(),
        response_type: "DEFAULT_4XX".into(),
        status_code: None,
        response_parameters: IndexMap::new(),
        response_templates: templates,
    });
    api
}

/// Renders literals as themselves (the tricky API has no deploy-time value).
struct Literals;

impl RenderExpr for Literals {
    fn render(&mut self, expr: &Expr, context: &str) -> Value {
        match expr {
            Expr::Literal { value } => Value::String(value.clone()),
            other => panic!("{context}: unexpected deploy-time value {other:?}"),
        }
    }
}

fn file<'a>(files: &'a [OutputFile], name: &str) -> &'a str {
    &files
        .iter()
        .find(|file| file.path == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .contents
}

#[test]
fn api_gateway_syntax_reaches_aws_unchanged() {
    let api = tricky_api();
    let built = terraform::emit(std::slice::from_ref(&api), &options(Mode::Body)).unwrap();
    let openapi_tf = file(&built.output, "openapi.tf");
    // Every marker that belongs to API Gateway is escaped for Terraform.
    assert!(openapi_tf.contains("$${stageVariables.backend}"));
    assert!(openapi_tf.contains("%%{if}"));
    assert!(openapi_tf.contains("$$${already}"));
    assert!(!openapi_tf.contains(" ${stageVariables"));
    let resources = terraform::emit(std::slice::from_ref(&api), &options(Mode::Resources)).unwrap();
    assert!(file(&resources.output, "main.tf").contains("\"$${stageVariables.backend}\""));

    let Some(binary) = tool("APIGW_TERRAFORM", "terraform") else {
        return;
    };
    // terraform evaluates the document exactly as it would for `body`, with no provider.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("terraform-escaping");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("openapi.tf"), openapi_tf).unwrap();
    std::fs::write(
        dir.join("outputs.tf"),
        "output \"document\" {\n  value = jsonencode(local.openapi)\n}\n",
    )
    .unwrap();
    let apply = Command::new(&binary)
        .env("CHECKPOINT_DISABLE", "1")
        .current_dir(&dir)
        .args(["apply", "-auto-approve", "-input=false", "-no-color"])
        .output()
        .unwrap();
    assert!(
        apply.status.success(),
        "terraform apply failed:\n{}\n{}",
        String::from_utf8_lossy(&apply.stdout),
        String::from_utf8_lossy(&apply.stderr)
    );
    let output = Command::new(&binary)
        .env("CHECKPOINT_DISABLE", "1")
        .current_dir(&dir)
        .args(["output", "-raw", "document"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let evaluated: Value = serde_json::from_slice(&output.stdout).unwrap();
    let prepared = apigw_targets::plan::prepare_cors(&api).into_api();
    let expected = document(&prepared, &mut Literals);
    assert_eq!(evaluated, expected);
    // And the texts themselves, once more, where a person would look for them.
    let text = serde_json::to_string(&evaluated).unwrap();
    for tricky in TRICKY {
        assert!(
            text.contains(
                &serde_json::to_string(tricky)
                    .unwrap()
                    .trim_matches('"')
                    .to_owned()
            ),
            "{tricky} changed on the way"
        );
    }
}

/// `${...}` parts replaced by `${}`, so deploy-time values compare across languages.
fn normalize(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        match after.find('}') {
            Some(end) => {
                out.push_str("${}");
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A CloudFormation value as text: a string, or the text of a `Fn::Sub`.
fn cfn_text(value: &Value) -> String {
    match value {
        Value::String(text) => normalize(text),
        Value::Object(map) => match map.get("Fn::Sub") {
            Some(Value::String(text)) => normalize(&text.replace("${!", "${")),
            Some(Value::Array(items)) => normalize(items[0].as_str().unwrap_or_default()),
            _ => "${}".to_owned(),
        },
        _ => value.to_string(),
    }
}

/// Numbers as floats: `250` and `250.0` are one rate.
fn floats(value: Value) -> Value {
    match value {
        Value::Number(number) => json!(number.as_f64()),
        Value::Array(items) => Value::Array(items.into_iter().map(floats).collect()),
        other => other,
    }
}

/// What both targets must agree on.
#[derive(Debug, Default, PartialEq)]
struct Description {
    /// Route → (integration type, normalized URI).
    routes: BTreeMap<String, (String, String)>,
    authorizers: BTreeMap<String, String>,
    /// Normalized source ARN suffixes, sorted.
    permissions: Vec<String>,
    /// Stage name → (tracing, burst, rate, access-log format).
    stages: BTreeMap<String, Value>,
}

fn operations(document: &Value, out: &mut Description, text: &dyn Fn(&Value) -> String) {
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let integration = &operation["x-amazon-apigateway-integration"];
            let integration = match integration.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    document["components"]["x-amazon-apigateway-integrations"][name].clone()
                }
                None => integration.clone(),
            };
            out.routes.insert(
                format!("{} {path}", method.to_ascii_uppercase()),
                (
                    integration["type"]
                        .as_str()
                        .unwrap_or("")
                        .to_ascii_uppercase(),
                    text(&integration["uri"]),
                ),
            );
        }
    }
    let schemes = document["components"]["securitySchemes"]
        .as_object()
        .or_else(|| document["securityDefinitions"].as_object());
    for (name, scheme) in schemes.into_iter().flatten() {
        if let Some(authorizer) = scheme.get("x-amazon-apigateway-authorizer") {
            out.authorizers.insert(
                name.clone(),
                authorizer["type"]
                    .as_str()
                    .unwrap_or("")
                    .to_ascii_uppercase(),
            );
        }
    }
}

fn describe_cfn(template: &Value) -> Description {
    let mut out = Description::default();
    let resources = template["Resources"].as_object().unwrap();
    // Resource paths, resolved through parents.
    let path_of = |id: &str| -> String {
        let mut segments = Vec::new();
        let mut current = id.to_owned();
        while let Some(resource) = resources.get(&current) {
            segments.push(
                resource["Properties"]["PathPart"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            );
            match resource["Properties"]["ParentId"]
                .get("Ref")
                .and_then(Value::as_str)
            {
                Some(parent) => current = parent.to_owned(),
                None => break,
            }
        }
        segments.reverse();
        format!("/{}", segments.join("/"))
    };
    for resource in resources.values() {
        let properties = &resource["Properties"];
        match resource["Type"].as_str().unwrap() {
            "AWS::ApiGateway::RestApi" | "AWS::ApiGatewayV2::Api"
                if properties.get("Body").is_some() =>
            {
                operations(&properties["Body"], &mut out, &cfn_text);
            }
            "AWS::ApiGateway::Method" => {
                let path = match properties["ResourceId"].get("Ref").and_then(Value::as_str) {
                    Some(resource_id) => path_of(resource_id),
                    None => "/".to_owned(),
                };
                let integration = &properties["Integration"];
                out.routes.insert(
                    format!("{} {path}", properties["HttpMethod"].as_str().unwrap()),
                    (
                        integration["Type"].as_str().unwrap_or("").to_owned(),
                        if integration.get("Uri").is_some() {
                            cfn_text(&integration["Uri"])
                        } else {
                            "null".to_owned()
                        },
                    ),
                );
            }
            "AWS::ApiGatewayV2::Route" => {
                let key = properties["RouteKey"].as_str().unwrap().to_owned();
                let target = properties["Target"]["Fn::Sub"].as_str().map(|text| {
                    text.trim_start_matches("integrations/${")
                        .trim_end_matches('}')
                        .to_owned()
                });
                let integration = target
                    .and_then(|id| resources.get(&id))
                    .map(|it| &it["Properties"]);
                out.routes.insert(
                    if key == "$default" {
                        "X-AMAZON-APIGATEWAY-ANY-METHOD /$default".to_owned()
                    } else {
                        key
                    },
                    match integration {
                        Some(it) => (
                            it["IntegrationType"].as_str().unwrap_or("").to_owned(),
                            if it.get("IntegrationUri").is_some() {
                                cfn_text(&it["IntegrationUri"])
                            } else {
                                "null".to_owned()
                            },
                        ),
                        None => (String::new(), "null".to_owned()),
                    },
                );
            }
            "AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer" => {
                let kind = properties
                    .get("Type")
                    .or_else(|| properties.get("AuthorizerType"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                out.authorizers.insert(
                    properties["Name"].as_str().unwrap().to_owned(),
                    kind.to_owned(),
                );
            }
            "AWS::Lambda::Permission" => {
                let text = properties["SourceArn"]["Fn::Sub"].as_str().unwrap();
                let suffix = text.split_once("}/").map(|(_, rest)| rest).unwrap_or(text);
                out.permissions
                    .push(normalize(&suffix.replace("${!", "${")));
            }
            "AWS::ApiGateway::Stage" => {
                let defaults = &properties["MethodSettings"][0];
                out.stages.insert(
                    properties["StageName"].as_str().unwrap().to_owned(),
                    json!([
                        properties["TracingEnabled"],
                        defaults["ThrottlingBurstLimit"],
                        defaults["ThrottlingRateLimit"],
                        properties["AccessLogSetting"]["Format"]
                    ]),
                );
            }
            "AWS::ApiGatewayV2::Stage" => {
                let defaults = &properties["DefaultRouteSettings"];
                out.stages.insert(
                    properties["StageName"].as_str().unwrap().to_owned(),
                    json!([
                        Value::Null,
                        defaults["ThrottlingBurstLimit"],
                        defaults["ThrottlingRateLimit"],
                        properties["AccessLogSettings"]["Format"]
                    ]),
                );
            }
            _ => {}
        }
    }
    out.permissions.sort();
    out
}

/// A module's `.tf` files as one JSON value (`resource.<type>.<label>`, `locals`), with
/// expressions as `${...}` text.
fn module_json(files: &[OutputFile]) -> Value {
    let mut merged = serde_json::Map::new();
    for file in files
        .iter()
        .filter(|file| file.path.extension() == Some("tf"))
    {
        let value: Value = hcl::from_str(&file.contents).unwrap();
        for (key, item) in value.as_object().unwrap() {
            let entry = merged.entry(key.clone()).or_insert_with(|| json!({}));
            match (key.as_str(), item) {
                ("resource", Value::Object(kinds)) => {
                    for (kind, labels) in kinds {
                        let slot = entry
                            .as_object_mut()
                            .unwrap()
                            .entry(kind.clone())
                            .or_insert_with(|| json!({}));
                        for (label, body) in labels.as_object().unwrap() {
                            slot.as_object_mut()
                                .unwrap()
                                .insert(label.clone(), body.clone());
                        }
                    }
                }
                (_, Value::Object(map)) => {
                    for (inner, body) in map {
                        entry
                            .as_object_mut()
                            .unwrap()
                            .insert(inner.clone(), body.clone());
                    }
                }
                _ => {}
            }
        }
    }
    Value::Object(merged)
}

fn tf_text(value: &Value) -> String {
    match value {
        // `$${` is HCL's escape for a literal `${` (API Gateway's own stage variables).
        Value::String(text) => normalize(&text.replace("$${", "${")),
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

fn describe_tf(files: &[OutputFile]) -> Description {
    let mut out = Description::default();
    let module = module_json(files);
    if let Some(document) = module["locals"].get("openapi") {
        operations(document, &mut out, &tf_text);
    }
    let resources = &module["resource"];
    let by_ref = |text: &str| -> Option<(String, String)> {
        let inner = text.strip_prefix("${")?.strip_suffix('}')?;
        let mut parts = inner.split('.');
        Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
    };
    let path_of = |id: &str| -> String {
        let mut segments = Vec::new();
        let mut current = by_ref(id);
        while let Some((kind, label)) = current {
            if kind != "aws_api_gateway_resource" {
                break;
            }
            let resource = &resources[kind.as_str()][label.as_str()];
            segments.push(resource["path_part"].as_str().unwrap_or("").to_owned());
            current = resource["parent_id"].as_str().and_then(&by_ref);
        }
        segments.reverse();
        format!("/{}", segments.join("/"))
    };
    for (label, method) in resources["aws_api_gateway_method"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let path = path_of(method["resource_id"].as_str().unwrap());
        let integration = &resources["aws_api_gateway_integration"][label.as_str()];
        out.routes.insert(
            format!("{} {path}", method["http_method"].as_str().unwrap()),
            (
                integration["type"].as_str().unwrap_or("").to_owned(),
                tf_text(&integration["uri"]),
            ),
        );
    }
    for route in resources["aws_apigatewayv2_route"]
        .as_object()
        .into_iter()
        .flat_map(|map| map.values())
    {
        let key = route["route_key"].as_str().unwrap().to_owned();
        let integration = route["target"]
            .as_str()
            .and_then(|text| text.strip_prefix("integrations/${aws_apigatewayv2_integration."))
            .and_then(|rest| rest.strip_suffix(".id}"))
            .map(|label| &resources["aws_apigatewayv2_integration"][label]);
        out.routes.insert(
            if key == "$default" {
                "X-AMAZON-APIGATEWAY-ANY-METHOD /$default".to_owned()
            } else {
                key
            },
            match integration {
                Some(it) => (
                    it["integration_type"].as_str().unwrap_or("").to_owned(),
                    tf_text(&it["integration_uri"]),
                ),
                None => (String::new(), "null".to_owned()),
            },
        );
    }
    for kind in ["aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer"] {
        for authorizer in resources[kind]
            .as_object()
            .into_iter()
            .flat_map(|map| map.values())
        {
            let kind = authorizer
                .get("type")
                .or_else(|| authorizer.get("authorizer_type"))
                .and_then(Value::as_str)
                .unwrap_or("");
            out.authorizers.insert(
                authorizer["name"].as_str().unwrap().to_owned(),
                kind.to_owned(),
            );
        }
    }
    for permission in resources["aws_lambda_permission"]
        .as_object()
        .into_iter()
        .flat_map(|map| map.values())
    {
        let text = permission["source_arn"].as_str().unwrap();
        let suffix = text.split_once("}/").map(|(_, rest)| rest).unwrap_or(text);
        out.permissions.push(normalize(suffix));
    }
    out.permissions.sort();
    for stage in resources["aws_api_gateway_stage"]
        .as_object()
        .into_iter()
        .flat_map(|map| map.values())
    {
        let name = stage["stage_name"].as_str().unwrap();
        let label = resources["aws_api_gateway_method_settings"]
            .as_object()
            .unwrap()
            .values()
            .find(|settings| {
                settings["method_path"] == "*/*"
                    && settings["stage_name"].as_str().is_some_and(|text| {
                        text.contains(&format!(
                            "aws_api_gateway_stage.{}.",
                            stage_label(resources, name)
                        ))
                    })
            })
            .unwrap();
        let settings = &label["settings"];
        out.stages.insert(
            name.to_owned(),
            json!([
                stage["xray_tracing_enabled"],
                settings["throttling_burst_limit"],
                settings["throttling_rate_limit"],
                stage["access_log_settings"]["format"]
            ]),
        );
    }
    for stage in resources["aws_apigatewayv2_stage"]
        .as_object()
        .into_iter()
        .flat_map(|map| map.values())
    {
        let defaults = &stage["default_route_settings"];
        out.stages.insert(
            stage["name"].as_str().unwrap().to_owned(),
            json!([
                Value::Null,
                defaults["throttling_burst_limit"],
                defaults["throttling_rate_limit"],
                stage["access_log_settings"]["format"]
            ]),
        );
    }
    out
}

fn stage_label(resources: &Value, name: &str) -> String {
    resources["aws_api_gateway_stage"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, stage)| stage["stage_name"] == name)
        .map(|(label, _)| label.clone())
        .unwrap()
}

#[test]
fn terraform_and_cloudformation_describe_the_same_api() {
    let mut apis: Vec<(String, Vec<Api>)> = super::fixtures::all()
        .into_iter()
        .map(|(name, api)| (name.to_owned(), vec![api]))
        .collect();
    apis.extend(super::terraform::example_apis());
    let mut compared = 0;
    for (name, apis) in apis {
        let [api] = apis.as_slice() else { continue };
        let modes: &[Mode] = if api.kind == ApiKind::Websocket {
            &[Mode::Resources]
        } else {
            &[Mode::Body, Mode::Resources]
        };
        for mode in modes {
            let cfn = cloudformation::emit(
                std::slice::from_ref(api),
                &CloudFormationOptions {
                    format: Format::Json,
                    mode: *mode,
                    ..CloudFormationOptions::default()
                },
            )
            .unwrap();
            let template: Value = serde_json::from_str(&cfn.output[0].contents).unwrap();
            let tf = terraform::emit(std::slice::from_ref(api), &options(*mode)).unwrap();
            let mut expected = describe_cfn(&template);
            let mut found = describe_tf(&tf.output);
            for description in [&mut expected, &mut found] {
                for value in description.stages.values_mut() {
                    *value = floats(value.take());
                }
            }
            assert!(!expected.routes.is_empty(), "{name} {mode:?}: no routes");
            assert!(!expected.stages.is_empty(), "{name} {mode:?}: no stages");
            assert_eq!(found, expected, "{name} in {mode:?} mode");
            compared += 1;
        }
    }
    assert!(compared >= 7, "compared only {compared} builds");
}

#[test]
fn whole_uri_variables_grant_the_function_inside_them() {
    let mut api = super::fixtures::http_orders();
    for route in &mut api.routes {
        if let Some(integration) = route
            .integration
            .as_mut()
            .filter(|it| it.function.is_some())
        {
            integration.uri = Some(spanned(Expr::Ref {
                name: "orders_invoke_arn".into(),
            }));
            integration.function = Some("orders_invoke_arn".into());
        }
    }
    api.functions.push(Function {
        origin: Origin::default(),
        name: "orders_invoke_arn".into(),
        binding: FunctionBinding::Parameter {
            name: "orders_invoke_arn".into(),
        },
        local: None,
        timeout_seconds: None,
    });
    let built = terraform::emit(&[api], &options(Mode::Body)).unwrap();
    let lambda = file(&built.output, "lambda.tf");
    assert!(
        lambda.contains("function_name = replace(var.orders_invoke_arn, \"/^arn:[^:]+:apigateway:[^/]+/2015-03-31/functions/(.+)/invocations$/\", \"$1\")"),
        "{lambda}"
    );
    assert!(file(&built.output, "variables.tf").contains("(lambda|apigateway)"));
}

#[test]
fn cloudformation_only_values_become_variables_with_a_warning() {
    let mut api = super::fixtures::http_orders();
    api.servers.push(Server {
        origin: Origin::default(),
        url: Expr::Intrinsic {
            function: "Fn::If".into(),
            value: json!([
                "IsProd",
                "https://api.example.com",
                "https://dev.example.com"
            ]),
        },
        variables: IndexMap::new(),
    });
    let built = terraform::emit(&[api], &options(Mode::Body)).unwrap();
    assert!(built
        .warnings
        .iter()
        .any(|warning| warning.message.contains("Fn::If")));
    let variables = file(&built.output, "variables.tf");
    assert!(variables.contains("variable \"server_url\""), "{variables}");
    assert!(file(&built.output, "openapi.tf").contains("url = var.server_url"));
}
