//! Test support: IR built by hand, a server on ephemeral loopback ports, and a raw HTTP/1.1
//! client that sends header names exactly as written (as the recorded clients did).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use apigw_compiler::ir::{
    Api, ApiKind, Expr, Function, FunctionBinding, HttpMethod, Integration, IntegrationType,
    LocalFunction, Origin, Route, RouteKey, Spanned, Stage,
};
use apigw_emulator::log::Collector;
use apigw_emulator::{ServeOptions, Server};
use indexmap::IndexMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures")
}

pub fn python_fixtures() -> String {
    fixtures().join("python").to_string_lossy().into_owned()
}

/// The recordings directory: `shared/oracle/aws-recorded` beside the repository (or one of
/// its parents, for worktrees).
pub fn oracle_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join("shared/oracle/aws-recorded"))
        .find(|dir| dir.is_dir())
        .expect("shared/oracle/aws-recorded must sit beside the repository")
}

pub fn stage(name: &str) -> Stage {
    Stage {
        origin: Origin::default(),
        name: name.to_string(),
        description: None,
        variables: IndexMap::new(),
        throttling: None,
        method_settings: Vec::new(),
        access_log: None,
        tracing_enabled: None,
        cache_cluster_enabled: None,
        cache_cluster_size: None,
        canary: None,
        tags: Vec::new(),
    }
}

pub fn api(kind: ApiKind, name: &str, stage_name: Option<&str>) -> Api {
    let mut api = Api::new(kind, Origin::default(), name);
    if let Some(stage_name) = stage_name {
        api.stages.push(stage(stage_name));
    }
    api
}

pub fn route(method: HttpMethod, path: &str, integration: Integration) -> Route {
    let mut route = Route::new(
        Origin::default(),
        RouteKey::Http {
            method,
            path: path.to_string(),
        },
    );
    route.integration = Some(integration);
    route
}

pub fn default_route(integration: Integration) -> Route {
    let mut route = Route::new(Origin::default(), RouteKey::Default);
    route.integration = Some(integration);
    route
}

/// A value read from nowhere in particular.
pub fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Origin::default())
}

/// A Lambda proxy integration calling `function`.
pub fn lambda(function: &str) -> Integration {
    let mut integration = Integration::new(Origin::default(), Some(IntegrationType::AwsProxy));
    integration.http_method = Some(spanned("POST".to_string()));
    integration.uri = Some(spanned(Expr::literal(format!(
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:{function}/invocations"
    ))));
    integration.function = Some(function.to_string());
    integration
}

pub fn lambda_v(function: &str, version: &str) -> Integration {
    let mut integration = lambda(function);
    integration.payload_format_version = Some(spanned(version.to_string()));
    integration
}

pub fn http_proxy(uri: &str) -> Integration {
    let mut integration = Integration::new(Origin::default(), Some(IntegrationType::HttpProxy));
    integration.http_method = Some(spanned("ANY".to_string()));
    integration.uri = Some(spanned(Expr::literal(uri)));
    integration
}

/// A MOCK integration whose request template selects `status`.
pub fn mock(status: u16) -> Integration {
    let mut mock = Integration::new(Origin::default(), Some(IntegrationType::Mock));
    mock.request_templates.insert(
        "application/json".into(),
        spanned(format!(r#"{{"statusCode": {status}}}"#)),
    );
    mock
}

pub fn function(
    name: &str,
    local: Option<LocalFunction>,
    timeout_seconds: Option<i64>,
) -> Function {
    Function {
        origin: Origin::default(),
        name: name.to_string(),
        binding: FunctionBinding::Arn {
            arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
        },
        local,
        timeout_seconds,
    }
}

/// A Python handler run by apigw's own runtime client.
pub fn python(handler: &str) -> Option<LocalFunction> {
    Some(LocalFunction::Runtime {
        runtime: "python3.12".to_string(),
        handler: handler.to_string(),
        code: Some(python_fixtures()),
    })
}

pub struct Running {
    pub server: Server,
    pub log: Collector,
}

impl Running {
    pub fn address(&self, api: &str) -> SocketAddr {
        self.server.address(api).expect("the API has a listener")
    }

    /// Every line logged so far, as text.
    pub fn log_text(&self) -> String {
        self.log
            .lines()
            .iter()
            .map(|line| format!("{:?} {}\n", line.source, line.text))
            .collect()
    }
}

pub async fn start(apis: &[Api]) -> Running {
    start_with(apis, |_| {}).await
}

pub async fn start_with(apis: &[Api], adjust: impl FnOnce(&mut ServeOptions)) -> Running {
    let log = Collector::new();
    let mut options = ServeOptions {
        port: 0,
        sink: log.sink(),
        runtime_dir: Some(
            std::env::temp_dir().join(format!("apigw-it-runtimes-{}", std::process::id())),
        ),
        ..ServeOptions::default()
    };
    adjust(&mut options);
    let server = Server::start(apis, options).await.expect("server starts");
    Running { server, log }
}

/// A response as read off the socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Every value of `name` joined with `, ` (how the recording client folded repeats).
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// The header name as written on the wire.
    pub fn header_name(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(key, _)| key.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request over a fresh connection and reads the whole response.
pub async fn send(
    address: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    stream.set_nodelay(true).expect("nodelay");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" || method == "PUT" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("writes head");
    stream.write_all(body).await.expect("writes body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("reads response");
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> RawResponse {
    let mut header_slots = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut header_slots);
    let consumed = match response.parse(raw).expect("valid response") {
        httparse::Status::Complete(consumed) => consumed,
        httparse::Status::Partial => {
            panic!("incomplete response: {}", String::from_utf8_lossy(raw))
        }
    };
    let headers: Vec<(String, String)> = response
        .headers
        .iter()
        .map(|header| {
            (
                header.name.to_string(),
                String::from_utf8_lossy(header.value).into_owned(),
            )
        })
        .collect();
    RawResponse {
        status: response.code.expect("status"),
        headers,
        body: raw[consumed..].to_vec(),
    }
}

pub async fn get(address: SocketAddr, target: &str) -> RawResponse {
    send(address, "GET", target, &[], b"").await
}
