//! What the gateway enforces and answers itself: request validation (recorded messages), API
//! keys and usage plans, throttling, the payload limit, gateway responses, HTTP and MOCK
//! integrations, stage variables, access logs and reloads.

use std::sync::Arc;

use apigw_compiler::ir::{
    ApiKey, ApiKind, Expr, GatewayResponse, HttpMethod, Integration, IntegrationResponse, Model,
    Origin, Parameter, ParameterLocation, RequestBody, RequestValidator, Schema,
    SecurityRequirement, SecurityScheme, SecuritySchemeKind, Throttling, UsagePlan,
};
use apigw_emulator::http1::{self, Handler, Request, Response};
use indexmap::IndexMap;
use serde_json::json;

use crate::support::{self, send, spanned};

fn parameter(name: &str, location: ParameterLocation) -> Parameter {
    Parameter {
        origin: Origin::default(),
        name: name.to_string(),
        location,
        required: true,
        description: None,
        schema: None,
    }
}

fn recorded_validator_messages() -> serde_json::Value {
    let text =
        std::fs::read_to_string(support::oracle_dir().join("test_apigateway_common.snapshot.json"))
            .unwrap();
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    all.as_object()
        .unwrap()
        .iter()
        .find(|(key, _)| key.ends_with("TestApiGatewayCommon::test_api_gateway_request_validator"))
        .map(|(_, value)| value["recorded-content"].clone())
        .unwrap()
}

/// The recorded validator test: GET and POST on /nested/{test} require a header, a query
/// string and (for POST, after the recorded update) a path parameter `issuer` that the resource
/// path does not have; the body must match `testSchema`.
#[tokio::test]
async fn request_validation_answers_with_the_recorded_messages() {
    let recorded = recorded_validator_messages();
    let mut api = support::api(ApiKind::Rest, "validated", Some("local"));
    api.request_validators.push(RequestValidator {
        origin: Origin::default(),
        name: "test-validator".into(),
        validate_request_body: true,
        validate_request_parameters: true,
    });
    api.models.push(Model {
        origin: Origin::default(),
        name: "testSchema".into(),
        content_type: "application/json".into(),
        description: None,
        schema: json!({
            "$schema": "http://json-schema.org/draft-04/schema#",
            "title": "testSchema",
            "type": "object",
            "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
            "required": ["a", "b"],
        }),
    });
    for (method, path_parameter) in [(HttpMethod::Get, "test"), (HttpMethod::Post, "issuer")] {
        let mut route = support::route(method, "/nested/{test}", support::lambda("echo"));
        route.request_validator = Some(spanned("test-validator".to_string()));
        route.parameters = vec![
            parameter(path_parameter, ParameterLocation::Path),
            parameter("qs1", ParameterLocation::Query),
            parameter("x-header-param", ParameterLocation::Header),
        ];
        route.request_body = Some(RequestBody {
            origin: Origin::default(),
            required: false,
            description: None,
            content: IndexMap::from([(
                "application/json".to_string(),
                Some(Schema::Model {
                    name: "testSchema".into(),
                }),
            )]),
        });
        api.routes.push(route);
    }
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let address = running.address("validated");
    let json_type = ("Content-Type", "application/json");

    let response = send(
        address,
        "POST",
        "/local/nested/value",
        &[json_type],
        br#"{"test": "test"}"#,
    )
    .await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json(),
        recorded["missing-all-required-request-params-post"]
    );

    let response = send(address, "GET", "/local/nested/value?qs1=test", &[], b"").await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json(),
        recorded["missing-required-headers-request-params-get"]
    );

    let response = send(
        address,
        "GET",
        "/local/nested/value",
        &[("x-header-param", "test")],
        b"",
    )
    .await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json(),
        recorded["missing-required-qs-request-params-get"]
    );

    // A GET without a body fails the body model too.
    let response = send(
        address,
        "GET",
        "/local/nested/value?qs1=test",
        &[("x-header-param", "test"), json_type],
        br#"{"test": "test"}"#,
    )
    .await;
    assert_eq!(response.status, 400);
    assert_eq!(response.json(), recorded["invalid-request-body"]);

    let response = send(
        address,
        "GET",
        "/local/nested/value?qs1=test",
        &[("x-header-param", "test"), json_type],
        br#"{"a": 1, "b": 2}"#,
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
}

#[tokio::test]
async fn api_keys_usage_plans_and_throttling() {
    let mut api = support::api(ApiKind::Rest, "keyed", Some("prod"));
    api.security_schemes.push(SecurityScheme {
        origin: Origin::default(),
        name: "api_key".into(),
        kind: SecuritySchemeKind::ApiKey {
            header: "x-api-key".into(),
            location: "header".into(),
        },
        description: None,
    });
    let mut mock = support::mock(200);
    mock.responses.push(IntegrationResponse {
        origin: Origin::default(),
        selection_pattern: "default".into(),
        status_code: Some(spanned("200".into())),
        response_parameters: IndexMap::new(),
        response_templates: IndexMap::from([(
            "application/json".to_string(),
            spanned(r#"{"ok": true}"#.to_string()),
        )]),
        content_handling: None,
    });
    let mut route = support::route(HttpMethod::Get, "/secret", mock.clone());
    route.security = Some(vec![SecurityRequirement {
        origin: Origin::default(),
        schemes: IndexMap::from([("api_key".to_string(), Vec::new())]),
    }]);
    api.routes.push(route);
    api.routes
        .push(support::route(HttpMethod::Get, "/open", mock));
    api.api_keys.push(ApiKey {
        origin: Origin::default(),
        name: "partner".into(),
        description: None,
        enabled: true,
        value: Some(Expr::literal("k-123")),
    });
    api.usage_plans.push(UsagePlan {
        origin: Origin::default(),
        name: "basic".into(),
        description: None,
        stages: vec!["prod".into()],
        throttling: Some(Throttling {
            burst_limit: Some(2),
            rate_limit: Some(0.001),
        }),
        quota: None,
        api_keys: vec!["partner".into()],
    });
    let running = support::start(&[api]).await;
    let address = running.address("keyed");

    let response = support::get(address, "/prod/secret").await;
    assert_eq!(response.status, 403);
    assert_eq!(response.json(), json!({"message": "Forbidden"}));
    assert_eq!(
        response.header("x-amzn-ErrorType").as_deref(),
        Some("ForbiddenException")
    );
    let wrong = send(
        address,
        "GET",
        "/prod/secret",
        &[("x-api-key", "nope")],
        b"",
    )
    .await;
    assert_eq!(wrong.status, 403);

    for _ in 0..2 {
        let response = send(
            address,
            "GET",
            "/prod/secret",
            &[("x-api-key", "k-123")],
            b"",
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.json(), json!({"ok": true}));
    }
    // The usage plan's burst of 2 is used up.
    let response = send(
        address,
        "GET",
        "/prod/secret",
        &[("x-api-key", "k-123")],
        b"",
    )
    .await;
    assert_eq!(response.status, 429);
    assert_eq!(response.json(), json!({"message": "Too Many Requests"}));
    // Routes without the key requirement are not affected.
    assert_eq!(support::get(address, "/prod/open").await.status, 200);
}

#[tokio::test]
async fn payloads_over_ten_megabytes_are_refused() {
    let mut api = support::api(ApiKind::Rest, "big", Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Post,
        "/upload",
        support::lambda("echo"),
    ));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let body = vec![b'x'; 10 * 1024 * 1024 + 1];
    let response = send(running.address("big"), "POST", "/dev/upload", &[], &body).await;
    assert_eq!(response.status, 413);
    assert_eq!(response.json(), json!({"message": "Request Too Long"}));
}

#[tokio::test]
async fn gateway_responses_replace_the_default_errors() {
    let mut api = support::api(ApiKind::Rest, "custom", Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/known",
        support::lambda("echo"),
    ));
    api.functions.push(support::function("echo", None, None));
    api.gateway_responses.push(GatewayResponse {
        origin: Origin::default(),
        response_type: "MISSING_AUTHENTICATION_TOKEN".into(),
        status_code: Some(spanned("404".into())),
        response_parameters: IndexMap::from([(
            "gatewayresponse.header.x-custom".to_string(),
            spanned("'yes'".to_string()),
        )]),
        response_templates: IndexMap::from([(
            "application/json".to_string(),
            spanned(
                r#"{"error": $context.error.messageString, "id": "$context.requestId"}"#
                    .to_string(),
            ),
        )]),
    });
    api.gateway_responses.push(GatewayResponse {
        origin: Origin::default(),
        response_type: "DEFAULT_5XX".into(),
        status_code: None,
        response_parameters: IndexMap::new(),
        response_templates: IndexMap::from([(
            "application/json".to_string(),
            spanned(r#"{"oops": true}"#.to_string()),
        )]),
    });
    let running = support::start(&[api]).await;
    let address = running.address("custom");

    let response = support::get(address, "/dev/unknown").await;
    assert_eq!(response.status, 404);
    assert_eq!(response.header("x-custom").as_deref(), Some("yes"));
    let body = response.json();
    assert_eq!(body["error"], "Missing Authentication Token");
    assert_eq!(
        Some(body["id"].as_str().unwrap()),
        response.header("x-amzn-RequestId").as_deref()
    );

    // The unbound function fails the integration: DEFAULT_5XX keeps the 502 status.
    let response = support::get(address, "/dev/known").await;
    assert_eq!(response.status, 502);
    assert_eq!(response.json(), json!({"oops": true}));
}

/// A backend that answers with what it received.
struct Echo;

impl Handler for Echo {
    async fn handle(&self, request: Request) -> Response {
        let body = json!({
            "method": request.method,
            "target": request.target,
            "headers": request.headers,
            "body": String::from_utf8_lossy(&request.body),
        });
        Response::new(207)
            .with_header("Content-Type", "application/json")
            .with_header("X-Backend", "echo")
            .with_body(body.to_string())
    }
}

async fn echo_backend() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (_keep, shutdown) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _keep = _keep;
        http1::serve(
            listener,
            Arc::new(Echo),
            http1::Limits {
                max_body_bytes: 1 << 20,
            },
            shutdown,
        )
        .await;
    });
    address
}

#[tokio::test]
async fn http_proxy_integrations_forward_path_query_headers_and_stage_variables() {
    let backend = echo_backend().await;
    let mut rest = support::api(ApiKind::Rest, "rest-proxy", Some("dev"));
    rest.stages[0]
        .variables
        .insert("backend".into(), Expr::literal(format!("http://{backend}")));
    let mut integration = support::http_proxy("${stageVariables.backend}/items/{proxy}");
    integration.request_parameters.insert(
        "integration.request.path.proxy".into(),
        spanned("method.request.path.proxy".to_string()),
    );
    integration.request_parameters.insert(
        "integration.request.header.X-Stage".into(),
        spanned("'from-gateway'".to_string()),
    );
    rest.routes.push(support::route(
        HttpMethod::Any,
        "/api/{proxy+}",
        integration,
    ));

    let mut http = support::api(ApiKind::Http, "http-proxy", None);
    http.routes
        .push(support::default_route(support::http_proxy(&format!(
            "http://{backend}/base"
        ))));

    let running = support::start(&[rest, http]).await;
    let response = send(
        running.address("rest-proxy"),
        "POST",
        "/dev/api/a/b?x=1&y=2",
        &[("X-Client", "yes")],
        b"payload",
    )
    .await;
    assert_eq!(response.status, 207, "{}", running.log_text());
    assert_eq!(response.header("x-backend").as_deref(), Some("echo"));
    let seen = response.json();
    assert_eq!(seen["method"], "POST");
    assert_eq!(seen["target"], "/items/a/b?x=1&y=2");
    assert_eq!(seen["body"], "payload");
    let headers = seen["headers"].as_array().unwrap();
    let has = |name: &str, value: &str| {
        headers
            .iter()
            .any(|pair| pair[0].as_str().unwrap().eq_ignore_ascii_case(name) && pair[1] == value)
    };
    assert!(has("x-client", "yes"));
    assert!(has("x-stage", "from-gateway"));

    // HTTP APIs: the `$default` route passes the whole path on.
    let response = support::get(running.address("http-proxy"), "/deep/path?q=1").await;
    assert_eq!(response.status, 207);
    assert_eq!(response.json()["target"], "/base/deep/path?q=1");
    assert!(response.header("apigw-requestid").is_some());
}

#[tokio::test]
async fn mock_integrations_select_a_response_by_status() {
    let mut api = support::api(ApiKind::Rest, "mock", Some("dev"));
    let mut mock = support::mock(404);
    for (pattern, status, body) in [
        ("default", "200", r#"{"found": true}"#),
        (
            "4\\d\\d",
            "404",
            r#"{"found": false, "stage": "$context.stage"}"#,
        ),
    ] {
        mock.responses.push(IntegrationResponse {
            origin: Origin::default(),
            selection_pattern: pattern.into(),
            status_code: Some(spanned(status.into())),
            response_parameters: IndexMap::from([(
                "method.response.header.X-Mocked".to_string(),
                spanned("'yes'".to_string()),
            )]),
            response_templates: IndexMap::from([(
                "application/json".to_string(),
                spanned(body.to_string()),
            )]),
            content_handling: None,
        });
    }
    api.routes
        .push(support::route(HttpMethod::Get, "/thing", mock));
    let running = support::start(&[api]).await;
    let response = support::get(running.address("mock"), "/dev/thing").await;
    assert_eq!(response.status, 404);
    assert_eq!(response.json(), json!({"found": false, "stage": "dev"}));
    assert_eq!(response.header("x-mocked").as_deref(), Some("yes"));
}

/// REST APIs have no CORS setting: the gateway adds no `Access-Control-*` header of its own and
/// answers a preflight only where the API has an OPTIONS method, exactly as deployed.
#[tokio::test]
async fn rest_cors_is_exactly_what_the_api_configures() {
    let mut api = support::api(ApiKind::Rest, "plain", Some("dev"));
    let mut mock = support::mock(200);
    mock.responses.push(IntegrationResponse {
        origin: Origin::default(),
        selection_pattern: "default".into(),
        status_code: Some(spanned("200".into())),
        response_parameters: IndexMap::new(),
        response_templates: IndexMap::from([(
            "application/json".to_string(),
            spanned(r#"{"ok": true}"#.to_string()),
        )]),
        content_handling: None,
    });
    api.routes
        .push(support::route(HttpMethod::Get, "/thing", mock));
    let running = support::start(&[api]).await;
    let address = running.address("plain");
    let response = send(
        address,
        "GET",
        "/dev/thing",
        &[("Origin", "https://app.example.com")],
        b"",
    )
    .await;
    assert_eq!(response.status, 200);
    let cors: Vec<&(String, String)> = response
        .headers
        .iter()
        .filter(|(name, _)| name.to_ascii_lowercase().starts_with("access-control-"))
        .collect();
    assert!(cors.is_empty(), "{cors:?}");
    let preflight = send(
        address,
        "OPTIONS",
        "/dev/thing",
        &[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "GET"),
        ],
        b"",
    )
    .await;
    assert_eq!(preflight.status, 403);
    assert_eq!(
        preflight.json(),
        json!({"message": "Missing Authentication Token"})
    );
    assert!(preflight
        .headers
        .iter()
        .all(|(name, _)| !name.to_ascii_lowercase().starts_with("access-control-")));
}

#[tokio::test]
async fn access_logs_follow_the_stage_format() {
    let mut api = support::api(ApiKind::Rest, "logged", Some("dev"));
    api.stages[0].access_log = Some(apigw_compiler::ir::AccessLog {
        destination: None,
        format: Some(r#"{"requestId":"$context.requestId","status":"$context.status","route":"$context.resourcePath","method":"$context.httpMethod"}"#.into()),
        retention_days: None,
    });
    let mut mock = support::mock(200);
    mock.responses.push(IntegrationResponse {
        origin: Origin::default(),
        selection_pattern: String::new(),
        status_code: Some(spanned("200".into())),
        response_parameters: IndexMap::new(),
        response_templates: IndexMap::new(),
        content_handling: None,
    });
    api.routes
        .push(support::route(HttpMethod::Get, "/items/{id}", mock));
    let running = support::start(&[api]).await;
    let response = support::get(running.address("logged"), "/dev/items/9").await;
    assert_eq!(response.status, 200);
    let request_id = response.header("x-amzn-RequestId").unwrap();
    let line = running
        .log
        .lines()
        .into_iter()
        .find(|line| line.source == apigw_emulator::log::Source::Access("logged".into()))
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&line.text).unwrap(),
        json!({"requestId": request_id, "status": "200", "route": "/items/{id}", "method": "GET"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_swaps_routes_without_dropping_requests_in_flight() {
    let mut api = support::api(ApiKind::Rest, "live", Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/slow",
        support::lambda("slow"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/echo",
        support::lambda("echo"),
    ));
    let slow = apigw_compiler::ir::LocalFunction::Command {
        argv: vec![
            "python3".into(),
            "-c".into(),
            "import time, json; time.sleep(1.5); print(json.dumps({'statusCode': 200, 'body': 'slow done'}))".into(),
        ],
        dir: None,
    };
    api.functions
        .push(support::function("slow", Some(slow), Some(10)));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    let running = support::start(&[api.clone()]).await;
    let address = running.address("live");
    // Warm the echo function.
    assert_eq!(support::get(address, "/dev/echo").await.status, 200);

    let in_flight = tokio::spawn(async move { support::get(address, "/dev/slow").await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut changed = api.clone();
    changed.routes.retain(|route| route.path() != Some("/slow"));
    changed.routes.push(support::route(
        HttpMethod::Get,
        "/new",
        support::lambda("echo"),
    ));
    running.server.reload(&[changed]).await.unwrap();

    let finished = in_flight.await.unwrap();
    assert_eq!(finished.status, 200);
    assert_eq!(finished.text(), "slow done");
    assert_eq!(support::get(address, "/dev/new").await.status, 200);
    assert_eq!(support::get(address, "/dev/slow").await.status, 403);
    // The unchanged echo function kept its warm instance.
    assert_eq!(running.server.instance_count("echo"), 1);
}

#[test]
fn the_resolved_plan_names_stage_routes_and_bindings() {
    let mut api = support::api(ApiKind::Rest, "planned", None);
    api.routes.push(support::route(
        HttpMethod::Get,
        "/pets/{id}/",
        support::lambda("pets"),
    ));
    api.functions.push(support::function(
        "pets",
        support::python("app.handler"),
        Some(7),
    ));
    api.functions.push(support::function("unbound", None, None));
    let plan = apigw_emulator::resolve(&[api], &apigw_emulator::PlanOptions { stage: None });
    let json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(json["apis"][0]["stage"]["name"], "dev");
    assert_eq!(json["apis"][0]["routes"][0]["route_key"], "GET /pets/{id}");
    assert_eq!(
        json["apis"][0]["routes"][0]["integration"]["type"],
        "AWS_PROXY"
    );
    assert_eq!(
        json["apis"][0]["routes"][0]["integration"]["payload_version"],
        "1.0"
    );
    assert_eq!(json["functions"][0]["local"]["kind"], "runtime");
    assert_eq!(json["functions"][0]["timeout_seconds"], 7);
    assert_eq!(json["functions"][1]["local"], serde_json::Value::Null);
    assert_eq!(json["functions"][1]["timeout_seconds"], 3);
}

#[tokio::test]
async fn a_bad_request_body_gateway_response_can_show_the_validation_errors() {
    let mut api = support::api(ApiKind::Rest, "detailed", Some("dev"));
    api.request_validators.push(RequestValidator {
        origin: Origin::default(),
        name: "body".into(),
        validate_request_body: true,
        validate_request_parameters: false,
    });
    api.models.push(Model {
        origin: Origin::default(),
        name: "Pet".into(),
        content_type: "application/json".into(),
        description: None,
        schema: json!({
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 2}, "age": {"type": "integer"}},
            "required": ["name", "species"],
            "additionalProperties": false,
        }),
    });
    api.gateway_responses.push(GatewayResponse {
        origin: Origin::default(),
        response_type: "BAD_REQUEST_BODY".into(),
        status_code: Some(spanned("422".into())),
        response_parameters: IndexMap::new(),
        response_templates: IndexMap::from([(
            "application/json".to_string(),
            spanned("$context.error.validationErrorString".to_string()),
        )]),
    });
    let mut route = support::route(HttpMethod::Post, "/pets", support::lambda("echo"));
    route.request_validator = Some(spanned("body".to_string()));
    route.request_body = Some(RequestBody {
        origin: Origin::default(),
        required: true,
        description: None,
        content: IndexMap::from([(
            "application/json".to_string(),
            Some(Schema::Model { name: "Pet".into() }),
        )]),
    });
    api.routes.push(route);
    api.functions.push(support::function("echo", None, None));
    let running = support::start(&[api]).await;
    let response = send(
        running.address("detailed"),
        "POST",
        "/dev/pets",
        &[("Content-Type", "application/json")],
        br#"{"name": "R", "age": "old", "color": "red"}"#,
    )
    .await;
    assert_eq!(response.status, 422);
    assert_eq!(
        response.text(),
        concat!(
            r#"[object has missing required properties (["species"]), "#,
            r#"string "R" is too short (length: 1, required minimum: 2), "#,
            r#"instance type (string) does not match any allowed primitive type (allowed: ["integer"]), "#,
            r#"object instance has properties which are not allowed by the schema: ["color"]]"#
        )
    );
}

#[tokio::test]
async fn http_api_response_parameters_rewrite_status_and_headers() {
    let backend = echo_backend().await;
    let mut api = support::api(ApiKind::Http, "mapped", None);
    let mut integration = support::http_proxy(&format!("http://{backend}/x"));
    integration.response_parameters.insert(
        "207".into(),
        IndexMap::from([
            ("overwrite:statuscode".to_string(), "200".to_string()),
            (
                "append:header.x-mapped".to_string(),
                "$context.requestId".to_string(),
            ),
            (
                "overwrite:header.x-copy".to_string(),
                "$response.header.X-Backend".to_string(),
            ),
            ("remove:header.x-backend".to_string(), "''".to_string()),
        ]),
    );
    api.routes
        .push(support::route(HttpMethod::Get, "/x", integration));
    let running = support::start(&[api]).await;
    let response = support::get(running.address("mapped"), "/x").await;
    assert_eq!(response.status, 200, "{}", running.log_text());
    assert_eq!(
        response.header("x-mapped"),
        response.header("apigw-requestid")
    );
    assert_eq!(response.header("x-copy").as_deref(), Some("echo"));
    assert_eq!(response.header("x-backend"), None);
}

/// The recorded validator tests with models that refer to each other by URL
/// (`https://apigateway.amazonaws.com/restapis/<api-id>/models/testSchema`), one through
/// `items`, one through `oneOf` with `null`. The models are taken from the recordings.
#[tokio::test]
async fn validation_follows_model_references_as_recorded() {
    let text =
        std::fs::read_to_string(support::oracle_dir().join("test_apigateway_common.snapshot.json"))
            .unwrap();
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    let recorded = |test: &str| {
        all.as_object()
            .unwrap()
            .iter()
            .find(|(key, _)| key.ends_with(test))
            .map(|(_, value)| value["recorded-content"].clone())
            .unwrap()
    };
    // (recording, body model, valid bodies, invalid bodies)
    let cases = [
        (
            "test_api_gateway_request_validator_with_ref_models",
            "testSchemaList",
            vec![json!([{"a": 1, "b": 2}]), json!([])],
            vec![
                json!([{"a": 1}]),
                json!({"a": 1, "b": 2}),
                json!([{"a": "x", "b": 2}]),
            ],
        ),
        (
            "test_api_gateway_request_validator_with_ref_one_ofmodels",
            "TestModel",
            vec![
                json!({"status": null}),
                json!({"status": {"Status": "ok", "Order": 1}}),
            ],
            vec![
                json!({}),
                json!({"status": {"Status": "ok"}}),
                json!({"status": "text"}),
            ],
        ),
    ];
    for (test, model_name, valid, invalid) in cases {
        let content = recorded(test);
        let mut api = support::api(ApiKind::Rest, "refs", Some("dev"));
        for item in content["get-models-with-ref"]["items"].as_array().unwrap() {
            api.models.push(Model {
                origin: Origin::default(),
                name: item["name"].as_str().unwrap().into(),
                content_type: "application/json".into(),
                description: None,
                schema: item["schema"].clone(),
            });
        }
        api.request_validators.push(RequestValidator {
            origin: Origin::default(),
            name: "body".into(),
            validate_request_body: true,
            validate_request_parameters: false,
        });
        let mut mock = support::mock(200);
        mock.responses.push(IntegrationResponse {
            origin: Origin::default(),
            selection_pattern: String::new(),
            status_code: Some(spanned("200".into())),
            response_parameters: IndexMap::new(),
            response_templates: IndexMap::from([(
                "application/json".to_string(),
                spanned(r#"{"data": "ok"}"#.to_string()),
            )]),
            content_handling: None,
        });
        let mut route = support::route(HttpMethod::Post, "/check", mock);
        route.request_validator = Some(spanned("body".to_string()));
        route.request_body = Some(RequestBody {
            origin: Origin::default(),
            required: true,
            description: None,
            content: IndexMap::from([(
                "application/json".to_string(),
                Some(Schema::Model {
                    name: model_name.into(),
                }),
            )]),
        });
        api.routes.push(route);
        let running = support::start(&[api]).await;
        let address = running.address("refs");
        let json_type = [("Content-Type", "application/json")];
        for body in valid {
            let response = send(
                address,
                "POST",
                "/dev/check",
                &json_type,
                body.to_string().as_bytes(),
            )
            .await;
            assert_eq!(response.status, 200, "{test}: {body}");
            assert_eq!(response.json(), content["successful"], "{test}");
        }
        let failure = content
            .get("failed-validation")
            .or_else(|| content.get("failed-validation-bad-data"))
            .unwrap()
            .clone();
        for body in invalid {
            let response = send(
                address,
                "POST",
                "/dev/check",
                &json_type,
                body.to_string().as_bytes(),
            )
            .await;
            assert_eq!(response.status, 400, "{test}: {body}");
            assert_eq!(response.json(), failure, "{test}");
        }
    }
}

#[tokio::test]
async fn the_route_table_gives_each_routes_local_url_and_target() {
    let mut rest = support::api(ApiKind::Rest, "table", Some("prod"));
    rest.routes.push(support::route(
        HttpMethod::Get,
        "/pets/{id}",
        support::lambda("pets"),
    ));
    rest.routes.push(support::route(
        HttpMethod::Any,
        "/other",
        support::lambda("unbound"),
    ));
    rest.functions.push(support::function(
        "pets",
        support::python("app.handler"),
        None,
    ));
    rest.functions
        .push(support::function("unbound", None, None));
    let mut http = support::api(ApiKind::Http, "table-http", None);
    http.routes.push(support::default_route(support::http_proxy(
        "http://127.0.0.1:9/",
    )));
    let running = support::start(&[rest, http]).await;
    let rest_address = running.address("table");
    let http_address = running.address("table-http");
    let table: Vec<(String, String, String)> = running
        .server
        .routes()
        .into_iter()
        .map(|entry| (entry.route_key, entry.url, entry.target))
        .collect();
    assert_eq!(
        table,
        vec![
            (
                "GET /pets/{id}".to_string(),
                format!("http://{rest_address}/prod/pets/{{id}}"),
                "function pets (python3.12 app.handler)".to_string()
            ),
            (
                "ANY /other".to_string(),
                format!("http://{rest_address}/prod/other"),
                "function unbound (no local binding)".to_string()
            ),
            (
                "$default".to_string(),
                format!("http://{http_address}/*"),
                "HTTP_PROXY http://127.0.0.1:9/".to_string()
            ),
        ]
    );
}

#[tokio::test]
async fn a_plan_read_back_from_json_serves_the_same_api() {
    let mut api = support::api(ApiKind::Http, "replayed", None);
    api.routes.push(support::route(
        HttpMethod::Get,
        "/hi",
        support::lambda_v("plain", "2.0"),
    ));
    api.functions.push(support::function(
        "plain",
        support::python("plain.handler"),
        Some(10),
    ));
    let plan = apigw_emulator::resolve(&[api], &apigw_emulator::PlanOptions::default());
    let text = plan.to_json();
    let read_back: apigw_emulator::Plan = serde_json::from_str(&text).unwrap();
    assert_eq!(read_back, plan);
    assert_eq!(
        read_back.apigw_emulator_plan,
        apigw_emulator::plan::PLAN_FORMAT
    );
    let log = apigw_emulator::log::Collector::new();
    let server = apigw_emulator::Server::start_plan(
        read_back,
        apigw_emulator::ServeOptions {
            port: 0,
            sink: log.sink(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let response = support::get(server.address("replayed").unwrap(), "/hi").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.json(), json!({"route": "GET /hi", "path": "/hi"}));
}

/// REST APIs route on the resource and method together: a resource that lacks the request's
/// method lets a less specific one (a `{param}` sibling, a `{proxy+}`) serve it. The tree and
/// answers are the ones measured on API Gateway for this question.
#[tokio::test]
async fn rest_routing_falls_through_to_a_resource_with_the_method() {
    fn mock(served_by: &str) -> Integration {
        let mut mock = support::mock(200);
        mock.responses.push(IntegrationResponse {
            origin: Origin::default(),
            selection_pattern: String::new(),
            status_code: Some(spanned("200".into())),
            response_parameters: IndexMap::new(),
            response_templates: IndexMap::from([(
                "application/json".to_string(),
                spanned(format!(
                    r#"{{"served_by": "{served_by}", "resource": "$context.resourcePath"}}"#
                )),
            )]),
            content_handling: None,
        });
        mock
    }
    let mut api = support::api(ApiKind::Rest, "tree", Some("dev"));
    api.routes
        .push(support::route(HttpMethod::Any, "/{proxy+}", mock("proxy")));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/jobs/{operation_type}",
        mock("jobs-op"),
    ));
    api.routes.push(support::route(
        HttpMethod::Options,
        "/cors_only",
        mock("cors"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/users/{userId}",
        mock("user-id"),
    ));
    api.routes
        .push(support::route(HttpMethod::Patch, "/users/me", mock("me")));
    let running = support::start(&[api]).await;
    let address = running.address("tree");
    for (method, path, served_by) in [
        ("GET", "/dev/jobs/reboot", "jobs-op"),
        ("POST", "/dev/jobs", "proxy"),
        ("POST", "/dev/jobs/reboot", "proxy"),
        ("GET", "/dev/cors_only", "proxy"),
        ("OPTIONS", "/dev/cors_only", "cors"),
        ("PATCH", "/dev/users/me", "me"),
        ("GET", "/dev/users/me", "user-id"),
    ] {
        let response = send(address, method, path, &[], b"").await;
        assert_eq!(response.status, 200, "{method} {path}");
        assert_eq!(response.json()["served_by"], served_by, "{method} {path}");
    }
}
