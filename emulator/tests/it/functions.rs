//! Running functions: awslambdaric through the Runtime API, apigw's own client, a command, an
//! Invoke URL; crashes, timeouts, missing bindings, and many requests at once.

use std::sync::Arc;

use apigw_compiler::ir::{ApiKind, HttpMethod, LocalFunction};
use apigw_emulator::log::Source;

use crate::support::{self, send};

fn one_route_api(name: &str, function: apigw_compiler::ir::Function) -> apigw_compiler::ir::Api {
    let mut api = support::api(ApiKind::Rest, name, Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Any,
        "/{proxy+}",
        support::lambda(&function.name),
    ));
    api.functions.push(function);
    api
}

fn python_with_awslambdaric() -> String {
    // .ci/run installs a pinned awslambdaric into a venv and names its interpreter.
    let python = std::env::var("APIGW_AWSLAMBDARIC_PYTHON").unwrap_or_else(|_| "python3".into());
    let found = std::process::Command::new(&python)
        .args(["-c", "import awslambdaric"])
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "awslambdaric is needed for this test: `pip install awslambdaric==4.2.2`, or set APIGW_AWSLAMBDARIC_PYTHON (.ci/run does)"
    );
    python
}

#[tokio::test]
async fn awslambdaric_runs_an_unmodified_handler() {
    let python = python_with_awslambdaric();
    let function = support::function(
        "ric",
        Some(LocalFunction::RuntimeApi {
            argv: vec![
                python,
                "-m".into(),
                "awslambdaric".into(),
                "echo_event.handler".into(),
            ],
            dir: Some(support::python_fixtures()),
        }),
        Some(10),
    );
    let running = support::start(&[one_route_api("ric", function)]).await;
    let address = running.address("ric");
    for attempt in 0..3 {
        let response = send(address, "GET", &format!("/dev/hello/{attempt}"), &[], b"").await;
        assert_eq!(
            response.status,
            200,
            "{}\n{}",
            response.text(),
            running.log_text()
        );
        let event: serde_json::Value = response.json();
        assert_eq!(event["pathParameters"]["proxy"], format!("hello/{attempt}"));
    }
    // One warm instance served all three.
    assert_eq!(running.server.instance_count("ric"), 1);
}

#[tokio::test]
async fn a_raising_handler_is_a_502_and_the_instance_stays_warm() {
    let function = support::function("raises", support::python("failures.raises"), Some(10));
    let running = support::start(&[one_route_api("raises", function)]).await;
    let address = running.address("raises");
    for _ in 0..2 {
        let response = support::get(address, "/dev/x").await;
        assert_eq!(response.status, 502);
        assert_eq!(
            response.json(),
            serde_json::json!({"message": "Internal server error"})
        );
    }
    assert_eq!(running.server.instance_count("raises"), 1);
    assert!(running.log_text().contains("handler raised on purpose"));
}

#[tokio::test]
async fn a_crashing_process_is_a_502_and_is_replaced() {
    let function = support::function("exits", support::python("failures.exits"), Some(10));
    let running = support::start(&[one_route_api("exits", function)]).await;
    let address = running.address("exits");
    for _ in 0..2 {
        let response = support::get(address, "/dev/x").await;
        assert_eq!(response.status, 502, "{}", running.log_text());
    }
    assert!(running.log_text().contains("Runtime exited"));
}

#[tokio::test]
async fn a_handler_that_fails_to_initialise_reports_init_error_and_answers_502() {
    let with_awslambdaric = LocalFunction::RuntimeApi {
        argv: vec![
            python_with_awslambdaric(),
            "-m".into(),
            "awslambdaric".into(),
            "broken_init.handler".into(),
        ],
        dir: Some(support::python_fixtures()),
    };
    // apigw's own client, then AWS's: both post init/error.
    for local in [
        support::python("broken_init.handler"),
        Some(with_awslambdaric),
    ] {
        let function = support::function("broken", local, Some(10));
        let running = support::start(&[one_route_api("broken", function)]).await;
        let response = support::get(running.address("broken"), "/dev/x").await;
        assert_eq!(response.status, 502, "{}", running.log_text());
        assert_eq!(
            response.json(),
            serde_json::json!({"message": "Internal server error"})
        );
        let log = running.log_text();
        assert!(
            log.contains("function `broken` failed to initialise"),
            "{log}"
        );
        assert!(log.contains("No module named 'requests'"), "{log}");
        running.server.shutdown();
    }
}

#[tokio::test]
async fn a_function_timeout_is_a_502_and_the_instance_is_stopped() {
    let function = support::function("sleeps", support::python("failures.sleeps"), Some(1));
    let running = support::start(&[one_route_api("sleeps", function)]).await;
    let response = support::get(running.address("sleeps"), "/dev/x").await;
    assert_eq!(response.status, 502);
    assert!(running
        .log_text()
        .contains("Task timed out after 1.00 seconds"));
    assert!(running.log_text().contains("timed out; stopping it"));
}

#[tokio::test]
async fn the_integration_timeout_is_a_504() {
    let function = support::function("sleeps", support::python("failures.sleeps"), Some(60));
    let mut api = one_route_api("slow", function);
    if let Some(integration) = api.routes[0].integration.as_mut() {
        integration.timeout_ms = Some(apigw_compiler::ir::Spanned::new(800, Default::default()));
    }
    let running = support::start(&[api]).await;
    let response = support::get(running.address("slow"), "/dev/x").await;
    assert_eq!(response.status, 504);
    assert_eq!(
        response.json(),
        serde_json::json!({"message": "Endpoint request timed out"})
    );
}

#[tokio::test]
async fn a_function_without_a_binding_is_a_502_and_the_log_says_why() {
    let function = support::function("unbound", None, None);
    let running = support::start(&[one_route_api("unbound", function)]).await;
    let response = support::get(running.address("unbound"), "/dev/x").await;
    assert_eq!(response.status, 502);
    assert!(running
        .log_text()
        .contains("function `unbound` has no local binding"));
}

#[tokio::test]
async fn a_command_reads_the_event_on_stdin() {
    let script = r#"import json, sys
event = json.load(sys.stdin)
print("from stderr", file=sys.stderr)
print(json.dumps({"statusCode": 201, "body": event["path"]}))
"#;
    let function = support::function(
        "cmd",
        Some(LocalFunction::Command {
            argv: vec!["python3".into(), "-c".into(), script.into()],
            dir: None,
        }),
        Some(10),
    );
    let running = support::start(&[one_route_api("cmd", function)]).await;
    let response = support::get(running.address("cmd"), "/dev/some/path").await;
    assert_eq!(response.status, 201, "{}", running.log_text());
    assert_eq!(response.text(), "/some/path");
    assert!(running
        .log
        .lines()
        .iter()
        .any(|line| line.source == Source::Function("cmd".into()) && line.text == "from stderr"));
}

#[tokio::test]
async fn a_function_can_be_another_emulators_invoke_url() {
    // A tiny Invoke API: answers every invocation with a fixed proxy response.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend = listener.local_addr().unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_by_server = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = Arc::clone(&seen_by_server);
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buffer = vec![0u8; 65536];
                let mut read = 0;
                loop {
                    let count = stream.read(&mut buffer[read..]).await.unwrap();
                    read += count;
                    let text = String::from_utf8_lossy(&buffer[..read]).to_string();
                    if let Some(split) = text.find("\r\n\r\n") {
                        let length: usize = text
                            .lines()
                            .find_map(|line| {
                                line.to_ascii_lowercase()
                                    .strip_prefix("content-length: ")
                                    .map(|v| v.trim().parse().unwrap())
                            })
                            .unwrap_or(0);
                        if read >= split + 4 + length || count == 0 {
                            seen.lock()
                                .unwrap()
                                .push(text.lines().next().unwrap_or("").to_string());
                            break;
                        }
                    }
                }
                let body = r#"{"statusCode":200,"body":"from url"}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                stream.write_all(reply.as_bytes()).await.unwrap();
            });
        }
    });
    let function = support::function(
        "remote",
        Some(LocalFunction::Url {
            url: format!("http://{backend}"),
        }),
        Some(5),
    );
    let running = support::start(&[one_route_api("remote", function)]).await;
    let response = support::get(running.address("remote"), "/dev/x").await;
    assert_eq!(response.status, 200, "{}", running.log_text());
    assert_eq!(response.text(), "from url");
    assert_eq!(
        seen.lock().unwrap().first().map(String::as_str),
        Some("POST /2015-03-31/functions/remote/invocations HTTP/1.1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_parallel_requests_share_a_bounded_pool() {
    let function = support::function("echo", support::python("echo_event.handler"), Some(30));
    let running = support::start_with(&[one_route_api("parallel", function)], |options| {
        options.max_instances = 4;
    })
    .await;
    let address = running.address("parallel");
    let requests = (0..100).map(|index| {
        tokio::spawn(
            async move { send(address, "GET", &format!("/dev/item/{index}"), &[], b"").await },
        )
    });
    let mut request_ids = std::collections::HashSet::new();
    for (index, request) in requests.enumerate() {
        let response = request.await.unwrap();
        assert_eq!(response.status, 200, "request {index}: {}", response.text());
        let event: serde_json::Value = response.json();
        assert_eq!(event["pathParameters"]["proxy"], format!("item/{index}"));
        request_ids.insert(
            event["requestContext"]["requestId"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(request_ids.len(), 100, "every request has its own id");
    let instances = running.server.instance_count("echo");
    assert!((1..=4).contains(&instances), "{instances} instances");
}

/// The `rust_handler` example (built by cargo before the tests run) on lambda_runtime.
fn rust_handler() -> String {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("examples").join("rust_handler"))
        .unwrap();
    assert!(
        path.is_file(),
        "{} is missing: run the tests with `cargo test -p apigw-emulator`, which builds examples",
        path.display()
    );
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn a_rust_handler_on_lambda_runtime_runs_through_the_runtime_api() {
    let function = support::function(
        "rusty",
        Some(LocalFunction::RuntimeApi {
            argv: vec![rust_handler()],
            dir: None,
        }),
        Some(10),
    );
    let mut api = support::api(ApiKind::Rest, "rust", Some("test"));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/",
        support::lambda("rusty"),
    ));
    api.functions.push(function);
    let running = support::start(&[api]).await;
    let address = running.address("rust");
    let response = support::get(address, "/test/?first_name=Ada").await;
    assert_eq!(response.status, 200, "{}", running.log_text());
    assert!(
        response.text().starts_with("Hello, Ada! ("),
        "{}",
        response.text()
    );
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
    // The handler's error goes through `invocation/{id}/error`.
    let failed = support::get(address, "/test/?fail=1").await;
    assert_eq!(failed.status, 502);
    assert!(
        running.log_text().contains("asked to fail"),
        "{}",
        running.log_text()
    );
    assert_eq!(running.server.instance_count("rusty"), 1);
}

#[tokio::test]
async fn node_handlers_run_with_apigws_own_client() {
    let code = support::fixtures()
        .join("node")
        .to_string_lossy()
        .into_owned();
    let mut api = support::api(ApiKind::Http, "node", None);
    api.routes.push(support::route(
        HttpMethod::Get,
        "/cjs",
        support::lambda_v("cjs", "2.0"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/esm",
        support::lambda_v("esm", "2.0"),
    ));
    for (name, handler) in [("cjs", "app.handler"), ("esm", "esm.handler")] {
        api.functions.push(support::function(
            name,
            Some(LocalFunction::Runtime {
                runtime: "nodejs20.x".into(),
                handler: handler.into(),
                code: Some(code.clone()),
            }),
            Some(10),
        ));
    }
    let running = support::start(&[api]).await;
    let address = running.address("node");
    let response = support::get(address, "/cjs").await;
    assert_eq!(response.status, 200, "{}", running.log_text());
    assert_eq!(
        response.json(),
        serde_json::json!({"path": "/cjs", "left": true})
    );
    let response = support::get(address, "/esm").await;
    assert_eq!(response.status, 202, "{}", running.log_text());
    assert_eq!(response.text(), "esm GET /esm");
    assert!(running
        .log
        .lines()
        .iter()
        .any(|line| line.source == Source::Function("cjs".into())
            && line.text.starts_with("node handler")));
}

#[tokio::test]
async fn lambdas_six_megabyte_payload_quota_applies_both_ways() {
    let mut api = support::api(ApiKind::Rest, "quota", Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Post,
        "/in",
        support::lambda("echo"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/out",
        support::lambda("big"),
    ));
    api.functions.push(support::function(
        "echo",
        support::python("echo_event.handler"),
        Some(10),
    ));
    api.functions.push(support::function(
        "big",
        support::python("failures.too_big"),
        Some(10),
    ));
    let running = support::start(&[api]).await;
    let address = running.address("quota");
    // Under API Gateway's 10 MB but over Lambda's 6 MB.
    let body = vec![b'y'; 7 * 1024 * 1024];
    let response = send(
        address,
        "POST",
        "/dev/in",
        &[("Content-Type", "text/plain")],
        &body,
    )
    .await;
    assert_eq!(response.status, 502);
    assert!(running
        .log_text()
        .contains("over Lambda's 6 MB invocation payload quota"));
    let response = support::get(address, "/dev/out").await;
    assert_eq!(response.status, 502);
    assert!(
        running.log_text().contains("Function.ResponseSizeTooLarge"),
        "{}",
        running.log_text()
    );
}

#[tokio::test]
async fn a_functions_file_binds_by_name_or_arn() {
    let dir = std::env::temp_dir().join(format!("apigw-it-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("app.py"),
        "def handler(event, context):\n    return {'statusCode': 200, 'body': 'bound by ' + event['resource']}\n",
    )
    .unwrap();
    let text = r#"
by-name: {runtime: python3.12, handler: app.handler, timeout: 5}
"arn:aws:lambda:us-east-1:123456789012:function:by-arn": {runtime: python3.12, handler: app.handler}
stale: {url: "http://127.0.0.1:9"}
"#;
    let bindings = apigw_emulator::FunctionBindings::parse(text, &dir).unwrap();
    let mut api = support::api(ApiKind::Rest, "bound", Some("dev"));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/name",
        support::lambda("by-name"),
    ));
    api.routes.push(support::route(
        HttpMethod::Get,
        "/arn",
        support::lambda("by-arn"),
    ));
    api.functions.push(support::function("by-name", None, None));
    api.functions.push(support::function("by-arn", None, None));
    let mut apis = vec![api];
    assert_eq!(bindings.apply(&mut apis), vec!["stale".to_string()]);
    assert_eq!(apis[0].functions[0].timeout_seconds, Some(5));
    let running = support::start(&apis).await;
    let address = running.address("bound");
    assert_eq!(
        support::get(address, "/dev/name").await.text(),
        "bound by /name"
    );
    assert_eq!(
        support::get(address, "/dev/arn").await.text(),
        "bound by /arn"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
