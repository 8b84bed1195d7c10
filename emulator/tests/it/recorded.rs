//! The emulator against recordings of real API Gateway (shared/oracle/aws-recorded): the same
//! requests as the recorded tests, over real sockets, compared field by field.
//!
//! Placeholders such as `<uuid:1>` match any value. Headers that only an edge-optimized
//! endpoint's CloudFront adds (`CloudFront-*`, `Via`, `X-Amz-Cf-*`, `X-Cache`) are not
//! expected locally, and `accountId` is the recorder's stand-in account.

use std::net::SocketAddr;

use apigw_compiler::ir::{ApiKind, HttpMethod};
use serde_json::Value;

use crate::support::{self, send};

fn snapshot(file: &str, test: &str) -> Value {
    let path = support::oracle_dir().join(file);
    let text = std::fs::read_to_string(&path).expect("recording readable");
    let all: Value = serde_json::from_str(&text).expect("recording is JSON");
    all.as_object()
        .expect("object")
        .iter()
        .find(|(key, _)| key.ends_with(test))
        .map(|(_, value)| value["recorded-content"].clone())
        .unwrap_or_else(|| panic!("{test} recorded"))
}

fn is_placeholder(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.starts_with('<') && text.ends_with('>'))
}

fn edge_only(key: &str) -> bool {
    key.starts_with("CloudFront-")
        || key == "Via"
        || key.starts_with("X-Amz-Cf-")
        || key == "X-Cache"
}

/// Every difference between `recorded` and `actual`, as `path: recorded vs actual`.
fn compare(recorded: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    if is_placeholder(recorded) {
        if actual.is_null() {
            out.push(format!("{path}: expected a value, found null"));
        }
        return;
    }
    match (recorded, actual) {
        (Value::Object(expected), Value::Object(found)) => {
            for (key, value) in expected {
                if edge_only(key) {
                    continue;
                }
                if key == "accountId" && !value.is_null() {
                    if found.get(key).is_none_or(Value::is_null) {
                        out.push(format!("{path}.{key}: missing"));
                    }
                    continue;
                }
                match found.get(key) {
                    Some(actual_value) => {
                        compare(value, actual_value, &format!("{path}.{key}"), out)
                    }
                    None => out.push(format!("{path}.{key}: missing (recorded {value})")),
                }
            }
            for key in found.keys() {
                if !expected.contains_key(key) {
                    out.push(format!(
                        "{path}.{key}: not in the recording ({})",
                        found[key]
                    ));
                }
            }
        }
        (Value::Array(expected), Value::Array(found)) if expected.len() == found.len() => {
            for (index, (value, actual_value)) in expected.iter().zip(found).enumerate() {
                compare(value, actual_value, &format!("{path}[{index}]"), out);
            }
        }
        _ if recorded == actual => {}
        _ => out.push(format!("{path}: recorded {recorded} vs {actual}")),
    }
}

/// The echo handler's event, with a JSON body parsed as the recorder did.
fn echoed_event(body: &[u8]) -> Value {
    let mut event: Value = serde_json::from_slice(body).expect("echoed event");
    if let Some(text) = event["body"].as_str() {
        if let Ok(parsed) = serde_json::from_str::<Value>(text) {
            event["body"] = parsed;
        }
    }
    event
}

async fn echo_api() -> (support::Running, SocketAddr) {
    let mut api = support::api(ApiKind::Rest, "proxy", Some("stage"));
    api.routes.push(support::route(
        HttpMethod::Any,
        "/{proxy+}",
        support::lambda("echo"),
    ));
    api.routes.push(support::route(
        HttpMethod::Any,
        "/hardcoded",
        support::lambda("echo"),
    ));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let address = running.address("proxy");
    (running, address)
}

#[tokio::test]
async fn lambda_proxy_events_match_the_recorded_events() {
    let recorded = snapshot(
        "test_apigateway_lambda.snapshot.json",
        "test_lambda_aws_proxy_integration",
    );
    let (running, address) = echo_api().await;
    let browser_like = [
        ("User-Agent", "python-requests/testing"),
        ("Accept-Encoding", "gzip, deflate"),
        ("Accept", "*/*"),
        ("tEsT-HEADeR", "aValUE"),
        ("authorization", "random-value"),
    ];
    let query = "dateTimeOffset=2023-06-12T18:05:10.123456+00:00&email=test%2Balias@gmail.com&plus=test+alias@gmail.com&url=https://www.google.com/&whitespace=foo%20bar&zhash=abort/";
    let cases: Vec<(&str, String)> = vec![
        (
            "invocation-payload-without-trailing-slash",
            "/stage/proxy-value".into(),
        ),
        (
            "invocation-payload-with-trailing-slash",
            "/stage/proxy-value/".into(),
        ),
        (
            "invocation-payload-with-double-slash",
            "/stage/proxy-value//double-slash".into(),
        ),
        (
            "invocation-payload-with-prepended-slash-to-stage",
            "//stage/proxy-value".into(),
        ),
        (
            "invocation-payload-with-prepended-slash",
            "/stage//proxy-value".into(),
        ),
        (
            "invocation-payload-without-trailing-slash-and-query-params",
            "/stage/proxy-value?urlparam=test".into(),
        ),
        (
            "invocation-payload-with-trailing-slash-and-query-params",
            "/stage/proxy-value/?urlparam=test".into(),
        ),
        (
            "invocation-payload-with-path-encoded-email",
            "/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com".into(),
        ),
        (
            "invocation-payload-with-params-encoding",
            format!("/stage/proxy-value/api?{query}"),
        ),
        ("invocation-hardcoded", "/stage//hardcoded".into()),
    ];
    let mut failures = Vec::new();
    let mut passed = Vec::new();
    for (name, target) in &cases {
        let response = send(address, "GET", target, &browser_like, b"").await;
        assert_eq!(
            response.status,
            200,
            "{name}: {}\n{}",
            response.text(),
            running.log_text()
        );
        let event = echoed_event(&response.body);
        let typed: Result<aws_lambda_events::apigw::ApiGatewayProxyRequest, _> =
            serde_json::from_slice(&response.body);
        assert!(typed.is_ok(), "{name}: {typed:?}");
        let mut differences = Vec::new();
        compare(&recorded[*name], &event, "$", &mut differences);
        if differences.is_empty() {
            passed.push(*name);
        } else {
            failures.push(format!("{name}:\n  {}", differences.join("\n  ")));
        }
    }

    let body = br#"{"message": "hello world"}"#;
    let response = send(
        address,
        "POST",
        "/stage/proxy-value?category=electronics&category=books&price=10&price=20&price=30",
        &[
            ("User-Agent", "python-requests/testing"),
            ("Accept-Encoding", "gzip, deflate"),
            ("Accept", "*/*"),
            ("Content-Type", "application/json;charset=utf-8"),
            ("aUThorization", "Bearer token123;API key456"),
        ],
        body,
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let mut differences = Vec::new();
    compare(
        &recorded["invocation-payload-with-params-encoding-multi"],
        &echoed_event(&response.body),
        "$",
        &mut differences,
    );
    if differences.is_empty() {
        passed.push("invocation-payload-with-params-encoding-multi");
    } else {
        failures.push(format!(
            "invocation-payload-with-params-encoding-multi:\n  {}",
            differences.join("\n  ")
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(passed.len(), 11);
    // Handler output reaches the log, prefixed with the function's name.
    assert!(running.log.lines().iter().any(|line| line.source
        == apigw_emulator::log::Source::Function("echo".into())
        && line.text.starts_with("echo ")));
}

#[tokio::test]
async fn request_parameters_do_not_change_a_proxy_event() {
    let recorded = snapshot(
        "test_apigateway_lambda.snapshot.json",
        "test_lambda_aws_proxy_integration_request_data_mapping",
    );
    let mut api = support::api(ApiKind::Rest, "mapping", Some("test"));
    let mut integration = support::lambda("echo");
    for (target, source) in [
        (
            "integration.request.header.headerVar",
            "method.request.header.foobar",
        ),
        (
            "integration.request.path.qsVar",
            "method.request.querystring.testVar",
        ),
        (
            "integration.request.querystring.testQs",
            "method.request.querystring.testQueryString",
        ),
    ] {
        integration.request_parameters.insert(
            target.to_string(),
            apigw_compiler::ir::Spanned::new(source.to_string(), Default::default()),
        );
    }
    api.routes.push(support::route(
        HttpMethod::Any,
        "/{pathVariable}",
        integration,
    ));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let response = send(
        running.address("mapping"),
        "POST",
        "/test/foobar?testQueryString=foo&testVar=bar",
        &[
            ("User-Agent", "python-requests/testing"),
            ("Accept-Encoding", "gzip, deflate"),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            ("foobar", "mapped-value"),
            ("user-Agent", "test/integration"),
            ("headerVar", "request-value"),
        ],
        br#"{"message": "hello world"}"#,
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
    // The recording's client sent one User-Agent; drop the duplicate this raw client added.
    let mut event = echoed_event(&response.body);
    event["headers"]["User-Agent"] = Value::String("test/integration".into());
    event["multiValueHeaders"]["User-Agent"] = serde_json::json!(["test/integration"]);
    event["requestContext"]["identity"]["userAgent"] = Value::String("test/integration".into());
    let mut differences = Vec::new();
    compare(
        &recorded["http-proxy-invocation-data-mapping"]["content"],
        &event,
        "$",
        &mut differences,
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The 15 recorded response shapes: what API Gateway answers for each Lambda result.
#[tokio::test]
async fn lambda_proxy_responses_match_the_recorded_shapes() {
    let recorded = snapshot(
        "test_apigateway_lambda.snapshot.json",
        "test_aws_proxy_response_payload_format_validation",
    );
    let mut api = support::api(ApiKind::Rest, "shapes", Some("test"));
    api.routes.push(support::route(
        HttpMethod::Any,
        "/{proxy+}",
        support::lambda("from_body"),
    ));
    api.functions.push(support::function(
        "from_body",
        support::python("response_from_body.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let address = running.address("shapes");

    // (name, JSON body sent or None, expected status)
    let cases: Vec<(&str, Option<Value>, u16)> = vec![
        (
            "invoke-api-no-body",
            Some(serde_json::json!({"statusCode": 200})),
            200,
        ),
        (
            "invoke-api-with-headers",
            Some(
                serde_json::json!({"statusCode": 200, "headers": {"test-header": "value", "header-bool": true}}),
            ),
            200,
        ),
        (
            "invoke-api-with-headers-null",
            Some(serde_json::json!({"statusCode": 200, "headers": null})),
            200,
        ),
        (
            "invoke-api-wrong-format",
            Some(serde_json::json!({"statusCode": 200, "wrongValue": "value"})),
            502,
        ),
        ("invoke-api-empty-response", None, 502),
        (
            "invoke-api-b64-encoded-true",
            Some(
                serde_json::json!({"statusCode": 200, "body": "dGVzdC1kYXRh", "isBase64Encoded": true}),
            ),
            200,
        ),
        (
            "invoke-api-b64-encoded-false",
            Some(serde_json::json!({"statusCode": 200, "body": "dGVzdC1kYXRh"})),
            200,
        ),
        (
            "invoke-api-multi-headers-valid",
            Some(
                serde_json::json!({"statusCode": 200, "multiValueHeaders": {"test-multi": ["value1", "value2"]}}),
            ),
            200,
        ),
        (
            "invoke-api-multi-headers-overwrite",
            Some(
                serde_json::json!({"statusCode": 200, "multiValueHeaders": {"test-multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}),
            ),
            200,
        ),
        (
            "invoke-api-multi-headers-overwrite-casing",
            Some(
                serde_json::json!({"statusCode": 200, "multiValueHeaders": {"tesT-Multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}),
            ),
            200,
        ),
        (
            "invoke-api-multi-headers-invalid",
            Some(
                serde_json::json!({"statusCode": 200, "multiValueHeaders": {"test-multi-invalid": "value1"}}),
            ),
            502,
        ),
        (
            "invoke-api-invalid-status-code",
            Some(serde_json::json!({"statusCode": "test"})),
            502,
        ),
        (
            "invoke-api-status-code-str",
            Some(serde_json::json!({"statusCode": "201"})),
            201,
        ),
        (
            "invoke-api-just-string",
            Some(serde_json::json!("justAString")),
            502,
        ),
        (
            "invoke-api-only-headers",
            Some(serde_json::json!({"headers": {"test-header": "value"}})),
            200,
        ),
    ];
    let mut failures = Vec::new();
    for (name, body, status) in &cases {
        let body_bytes = body
            .as_ref()
            .map(|body| body.to_string().into_bytes())
            .unwrap_or_default();
        let mut headers = vec![("User-Agent", "python/test"), ("Accept", "*/*")];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let response = send(address, "POST", "/test/test", &headers, &body_bytes).await;
        if response.status != *status {
            failures.push(format!(
                "{name}: status {} (expected {status}): {}",
                response.status,
                response.text()
            ));
            continue;
        }
        let expected = &recorded[*name];
        let content = serde_json::from_slice::<Value>(&response.body)
            .unwrap_or_else(|_| Value::String(response.text()));
        if content != expected["content"] {
            failures.push(format!(
                "{name}: content {content} (recorded {})",
                expected["content"]
            ));
        }
        if let Some(recorded_headers) = expected["headers"].as_object() {
            for (header, value) in recorded_headers {
                if edge_only(header) || header == "Connection" {
                    continue;
                }
                match response.header(header) {
                    None => failures.push(format!("{name}: header {header} missing")),
                    Some(actual) => {
                        if !is_placeholder(value) && value.as_str() != Some(actual.as_str()) {
                            failures.push(format!(
                                "{name}: header {header}: {actual} (recorded {value})"
                            ));
                        }
                        // Names the function chose keep the function's casing.
                        if (header.starts_with("test") || header.starts_with("tesT"))
                            && response.header_name(header) != Some(header.as_str())
                        {
                            failures.push(format!(
                                "{name}: header spelled {:?}, recorded {header}",
                                response.header_name(header)
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.join("\n"),
        running.log_text()
    );
    // A failed invocation is explained in the log.
    assert!(running
        .log_text()
        .contains("malformed Lambda proxy response"));
}

#[tokio::test]
async fn a_lambda_integration_with_get_fails_as_recorded() {
    let recorded = snapshot(
        "test_apigateway_lambda.snapshot.json",
        "test_lambda_aws_proxy_integration_non_post_method",
    );
    let mut api = support::api(ApiKind::Rest, "get-method", Some("test"));
    let mut integration = support::lambda("echo");
    integration.http_method = Some(apigw_compiler::ir::Spanned::new(
        "GET".to_string(),
        Default::default(),
    ));
    api.routes
        .push(support::route(HttpMethod::Any, "/{proxy+}", integration));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        None,
    ));
    let running = support::start(&[api]).await;
    let response = support::get(running.address("get-method"), "/test/test-path").await;
    assert_eq!(response.status, 500);
    assert_eq!(
        response.json(),
        recorded["invocation-payload-with-get-proxy-method"]
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_missing_authentication_token() {
    let recorded = snapshot(
        "test_apigateway_common.snapshot.json",
        "TestApigatewayRouting::test_routing_not_found",
    );
    let mut api = support::api(ApiKind::Rest, "routing", Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/exists",
        support::lambda("echo"),
    ));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        None,
    ));
    let running = support::start(&[api]).await;
    let address = running.address("routing");
    for (case, method, target) in [
        ("not-found", "GET", "/dev/does-not-exist"),
        ("wrong-method", "POST", "/dev/exists"),
        ("not-found", "GET", "/other/exists"),
    ] {
        let response = send(address, method, target, &[], b"").await;
        assert_eq!(response.status, 403, "{method} {target}");
        assert_eq!(response.json(), recorded[case]["content"]);
        assert_eq!(
            response.header("x-amzn-ErrorType").as_deref(),
            recorded[case]["errorType"].as_str()
        );
    }
}

/// A Lambda integration without proxy and without templates passes the body through both ways.
#[tokio::test]
async fn a_non_proxy_lambda_integration_passes_the_body_through_as_recorded() {
    let recorded = snapshot(
        "test_apigateway_lambda.snapshot.json",
        "test_lambda_aws_integration",
    );
    let mut api = support::api(ApiKind::Rest, "custom", Some("api"));
    let mut integration = support::lambda("echo");
    integration.kind = Some(apigw_compiler::ir::IntegrationType::Aws);
    for (pattern, status) in [("", "200"), (".*teapot.*", "418")] {
        integration
            .responses
            .push(apigw_compiler::ir::IntegrationResponse {
                origin: Default::default(),
                selection_pattern: pattern.into(),
                status_code: Some(apigw_compiler::ir::Spanned::new(
                    status.into(),
                    Default::default(),
                )),
                response_parameters: Default::default(),
                response_templates: Default::default(),
                content_handling: None,
            });
    }
    let mut failing = integration.clone();
    failing.function = Some("fails".into());
    api.routes
        .push(support::route(HttpMethod::Post, "/test", integration));
    api.routes
        .push(support::route(HttpMethod::Post, "/fail", failing));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.plain"),
        Some(10),
    ));
    api.functions.push(support::function(
        "fails",
        support::python("echo_event.fails_with"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let address = running.address("custom");
    let response = send(
        address,
        "POST",
        "/api/test",
        &[],
        br#"{"message": "hello world"}"#,
    )
    .await;
    assert_eq!(response.status, 200, "{}", running.log_text());
    assert_eq!(response.json(), recorded["lambda-aws-integration"]);
    // A function error picks the integration response whose pattern matches its message.
    let response = send(
        address,
        "POST",
        "/api/fail",
        &[],
        br#"{"message": "I am a teapot"}"#,
    )
    .await;
    assert_eq!(response.status, 418);
    assert_eq!(response.json()["errorMessage"], "I am a teapot");
    let response = send(
        address,
        "POST",
        "/api/fail",
        &[],
        br#"{"message": "other"}"#,
    )
    .await;
    assert_eq!(response.status, 200);
    assert_eq!(response.json()["errorType"], "Exception");
}
