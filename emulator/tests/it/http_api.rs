//! HTTP APIs: route-key priority, `$default`, 404s, payload 2.0 and 1.0 events (checked against
//! the aws_lambda_events types handlers deserialize into), response inference and CORS.

use apigw_compiler::ir::{ApiKind, Cors, HttpMethod, Origin};
use aws_lambda_events::event::apigw::{ApiGatewayProxyRequest, ApiGatewayV2httpRequest};
use serde_json::Value;

use crate::support::{self, send};

fn echo_http_api(stage: Option<&str>) -> apigw_compiler::ir::Api {
    let mut api = support::api(ApiKind::Http, "pets", stage);
    api.routes.push(support::route(
        HttpMethod::Get,
        "/pets/dog/1",
        support::lambda_v("echo", "2.0"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/pets/dog/{id}",
        support::lambda_v("echo", "2.0"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/pets/{proxy+}",
        support::lambda_v("echo", "2.0"),
    ));
    api.routes.push(support::route(
        HttpMethod::Any,
        "/{proxy+}",
        support::lambda_v("echo", "2.0"),
    ));
    api.routes.push(support::route(
        HttpMethod::Post,
        "/v1/{item}",
        support::lambda_v("echo", "1.0"),
    ));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    api
}

fn event(response: &support::RawResponse) -> Value {
    // The echo handler's response body is the event.
    response.json()
}

#[tokio::test]
async fn the_most_specific_route_wins() {
    let running = support::start(&[echo_http_api(None)]).await;
    let address = running.address("pets");
    for (target, method, route_key) in [
        ("/pets/dog/1", "GET", "GET /pets/dog/1"),
        ("/pets/dog/2", "GET", "GET /pets/dog/{id}"),
        ("/pets/cat/2", "GET", "GET /pets/{proxy+}"),
        ("/pets/cat/2", "DELETE", "ANY /{proxy+}"),
        ("/anything/else", "PUT", "ANY /{proxy+}"),
    ] {
        let response = send(address, method, target, &[], b"").await;
        assert_eq!(
            response.status,
            200,
            "{method} {target}: {}",
            response.text()
        );
        assert_eq!(event(&response)["routeKey"], route_key, "{method} {target}");
        assert!(response.header("apigw-requestid").is_some());
    }
}

#[tokio::test]
async fn no_route_is_a_404_and_default_catches_the_rest() {
    let mut api = support::api(ApiKind::Http, "narrow", None);
    api.routes.push(support::route(
        HttpMethod::Get,
        "/only",
        support::lambda_v("plain", "2.0"),
    ));
    api.functions.push(support::function(
        "plain",
        support::python("plain.handler"),
        Some(10),
    ));
    let mut with_default = api.clone();
    with_default.name = "wide".into();
    with_default
        .routes
        .push(support::default_route(support::lambda_v("plain", "2.0")));
    let running = support::start(&[api, with_default]).await;

    let response = support::get(running.address("narrow"), "/missing").await;
    assert_eq!(response.status, 404);
    assert_eq!(response.json(), serde_json::json!({"message": "Not Found"}));

    // Plain JSON from a 2.0 handler is the body of a 200 application/json response.
    let response = support::get(running.address("wide"), "/missing/deeper?x=1").await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        response.json(),
        serde_json::json!({"route": "$default", "path": "/missing/deeper"})
    );
}

#[tokio::test]
async fn events_deserialize_into_the_lambda_event_types() {
    let running = support::start(&[echo_http_api(Some("beta"))]).await;
    let address = running.address("pets");
    let response = send(
        address,
        "GET",
        "/beta/pets/dog/7?a=1&a=2&b=x%20y",
        &[
            ("Cookie", "session=abc; theme=dark"),
            ("X-Custom", "One"),
            ("x-custom", "Two"),
        ],
        b"",
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let v2 = event(&response);
    assert_eq!(v2["version"], "2.0");
    assert_eq!(v2["rawPath"], "/beta/pets/dog/7");
    assert_eq!(v2["rawQueryString"], "a=1&a=2&b=x%20y");
    assert_eq!(
        v2["queryStringParameters"],
        serde_json::json!({"a": "1,2", "b": "x y"})
    );
    assert_eq!(
        v2["cookies"],
        serde_json::json!(["session=abc", "theme=dark"])
    );
    assert_eq!(v2["headers"]["x-custom"], "One,Two");
    assert_eq!(v2["pathParameters"], serde_json::json!({"id": "7"}));
    assert_eq!(v2["requestContext"]["stage"], "beta");
    assert_eq!(v2["requestContext"]["http"]["method"], "GET");
    assert!(v2["requestContext"]["timeEpoch"].is_u64());
    let typed: ApiGatewayV2httpRequest = serde_json::from_value(v2.clone()).expect("a v2 request");
    assert_eq!(typed.route_key.as_deref(), Some("GET /pets/dog/{id}"));

    // Binary bodies are base64-encoded in 2.0 events.
    let response = send(
        address,
        "PUT",
        "/beta/upload",
        &[("Content-Type", "application/octet-stream")],
        &[0, 159, 146, 150],
    )
    .await;
    let v2 = event(&response);
    assert_eq!(v2["isBase64Encoded"], true);
    assert_eq!(v2["body"], "AJ+Slg==");
    let _: ApiGatewayV2httpRequest = serde_json::from_value(v2).expect("a v2 request");

    // Payload 1.0 on an HTTP API.
    let response = send(
        address,
        "POST",
        "/beta/v1/thing?q=1",
        &[("Content-Type", "application/json")],
        br#"{"a":1}"#,
    )
    .await;
    let v1 = event(&response);
    assert_eq!(v1["version"], "1.0");
    assert_eq!(v1["body"], r#"{"a":1}"#);
    assert_eq!(
        v1["multiValueQueryStringParameters"],
        serde_json::json!({"q": ["1"]})
    );
    let typed: ApiGatewayProxyRequest = serde_json::from_value(v1).expect("a v1 request");
    assert_eq!(
        typed.path_parameters.get("item").map(String::as_str),
        Some("thing")
    );
}

#[tokio::test]
async fn rest_events_deserialize_into_the_lambda_event_types() {
    let mut api = support::api(ApiKind::Rest, "rest", Some("prod"));
    api.routes.push(support::route(
        HttpMethod::Post,
        "/items/{id}",
        support::lambda("echo"),
    ));
    api.binary_media_types
        .push(apigw_compiler::ir::Spanned::new(
            "image/*".into(),
            Origin::default(),
        ));
    api.stages[0]
        .variables
        .insert("color".into(), apigw_compiler::ir::Expr::literal("blue"));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let response = send(
        running.address("rest"),
        "POST",
        "/prod/items/42",
        &[("Content-Type", "image/png")],
        &[137, 80, 78, 71],
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let v1 = event(&response);
    assert_eq!(v1["isBase64Encoded"], true);
    assert_eq!(v1["body"], "iVBORw==");
    assert_eq!(v1["stageVariables"], serde_json::json!({"color": "blue"}));
    let typed: ApiGatewayProxyRequest = serde_json::from_value(v1).expect("a REST request");
    assert_eq!(typed.resource.as_deref(), Some("/items/{id}"));
    assert_eq!(typed.request_context.stage.as_deref(), Some("prod"));
}

#[tokio::test]
async fn cors_preflight_is_answered_by_the_gateway() {
    let mut api = echo_http_api(None);
    api.cors = Some(Cors {
        origin: Origin::default(),
        allow_origins: vec!["https://app.example".into()],
        allow_credentials: Some(true),
        expose_headers: vec!["x-total".into()],
        max_age: Some(600),
        allow_methods: vec!["GET".into(), "POST".into()],
        allow_headers: vec!["content-type".into()],
    });
    let running = support::start(&[api]).await;
    let address = running.address("pets");
    let preflight = send(
        address,
        "OPTIONS",
        "/pets/dog/1",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    )
    .await;
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin").as_deref(),
        Some("https://app.example")
    );
    assert_eq!(
        preflight.header("access-control-allow-methods").as_deref(),
        Some("GET,POST")
    );
    assert_eq!(
        preflight.header("access-control-max-age").as_deref(),
        Some("600")
    );

    let simple = send(
        address,
        "GET",
        "/pets/dog/1",
        &[("Origin", "https://app.example")],
        b"",
    )
    .await;
    assert_eq!(simple.status, 200);
    assert_eq!(
        simple.header("access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        simple.header("access-control-expose-headers").as_deref(),
        Some("x-total")
    );

    let other = send(
        address,
        "GET",
        "/pets/dog/1",
        &[("Origin", "https://evil.example")],
        b"",
    )
    .await;
    assert_eq!(other.header("access-control-allow-origin"), None);
}

/// How an HTTP API reads a Lambda result (payload 2.0 infers a response from anything that is
/// not one; 1.0 must be one), and the 500 `Internal Server Error` it answers where a REST API
/// would answer 502.
#[tokio::test]
async fn http_api_responses_are_inferred_and_malformed_ones_are_a_500() {
    let mut api = support::api(ApiKind::Http, "shapes", None);
    api.routes.push(support::route(
        HttpMethod::Post,
        "/v2",
        support::lambda_v("from_body", "2.0"),
    ));
    api.routes.push(support::route(
        HttpMethod::Post,
        "/v1",
        support::lambda_v("from_body", "1.0"),
    ));
    api.functions.push(support::function(
        "from_body",
        support::python("response_from_body.handler"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let address = running.address("shapes");
    let call = |path: &'static str, body: Value| async move {
        let text = body.to_string();
        send(
            address,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            text.as_bytes(),
        )
        .await
    };

    // 2.0: a JSON object without `statusCode` is the body of a 200.
    let response = call("/v2", serde_json::json!({"hello": "world"})).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json(), serde_json::json!({"hello": "world"}));
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/json")
    );
    // 2.0: any other JSON value is the body too, as the function returned it (a JSON string
    // keeps its quotes: "the body is the function's response").
    let response = call("/v2", serde_json::json!("just a string")).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.text(), "\"just a string\"");
    // 2.0: a response with cookies and headers.
    let response = call(
        "/v2",
        serde_json::json!({"statusCode": 201, "headers": {"x-a": "1"}, "cookies": ["a=1", "b=2"], "body": "made"}),
    )
    .await;
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(response.header("x-a").as_deref(), Some("1"));
    let cookies: Vec<&str> = response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(cookies, ["a=1", "b=2"]);
    assert_eq!(response.text(), "made");

    // Malformed: an HTTP API answers 500 with its own body.
    for (path, body) in [
        ("/v2", serde_json::json!({"statusCode": "test"})),
        (
            "/v1",
            serde_json::json!({"statusCode": 200, "wrongValue": "value"}),
        ),
        ("/v1", serde_json::json!("just a string")),
    ] {
        let response = call(path, body.clone()).await;
        assert_eq!(response.status, 500, "{path} {body}: {}", response.text());
        assert_eq!(
            response.json(),
            serde_json::json!({"message": "Internal Server Error"}),
            "{path} {body}"
        );
        assert!(
            response.header("apigw-requestid").is_some(),
            "{path} {body}"
        );
    }
    running.server.shutdown();
}
