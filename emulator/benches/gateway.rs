//! Gateway overhead on loopback: requests per second and p50/p99 latency for
//! (1) a backend called directly, (2) the same backend through an HTTP_PROXY route, and
//! (3) a Lambda-proxy route to a warm handler (the `rust_handler` example, else Python).
//!
//! `cargo bench -p apigw-emulator --bench gateway` — bounded: a fixed number of requests per
//! scenario, everything on 127.0.0.1, stops by itself. Latency is measured with the three
//! routes taking turns request by request, so that the gateway's added latency is a difference
//! of two figures taken under the same conditions; `docs/performance.md` has the figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "a benchmark program: a panic is a failed run"
)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apigw_compiler::ir::{
    Api, ApiKind, Expr, Function, FunctionBinding, HttpMethod, Integration, IntegrationType,
    LocalFunction, Origin, Route, RouteKey, Spanned, Stage,
};
use apigw_emulator::http1::{self, Handler, Request, Response};
use apigw_emulator::{ServeOptions, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LATENCY_REQUESTS: usize = 2_000;
const THROUGHPUT_CONNECTIONS: usize = 8;
const THROUGHPUT_REQUESTS_EACH: usize = 500;

struct Backend;

impl Handler for Backend {
    async fn handle(&self, _request: Request) -> Response {
        Response::new(200)
            .with_header("Content-Type", "application/json")
            .with_body(r#"{"ok":true}"#)
    }
}

/// One keep-alive connection that sends GETs and reads whole responses.
struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
    request: Vec<u8>,
}

impl Client {
    async fn connect(address: SocketAddr, path: &str) -> Client {
        let stream = TcpStream::connect(address).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            stream,
            buffer: Vec::with_capacity(16 * 1024),
            request: format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: bench\r\n\r\n")
                .into_bytes(),
        }
    }

    async fn call(&mut self) -> u16 {
        self.stream.write_all(&self.request).await.unwrap();
        self.buffer.clear();
        loop {
            let mut chunk = [0u8; 8192];
            let read = self.stream.read(&mut chunk).await.unwrap();
            assert!(read > 0, "connection closed");
            self.buffer.extend_from_slice(&chunk[..read]);
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            if let Ok(httparse::Status::Complete(head)) = response.parse(&self.buffer) {
                let length: usize = response
                    .headers
                    .iter()
                    .find(|header| header.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|header| std::str::from_utf8(header.value).ok()?.parse().ok())
                    .unwrap_or(0);
                if self.buffer.len() >= head + length {
                    return response.code.unwrap();
                }
            }
        }
    }
}

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// Latency of each path, one keep-alive connection per path, after a warm-up. The paths take
/// turns request by request, so that all of them see the same state of the machine: on a
/// virtual machine a sequential loopback exchange is either fast or pays a thread wake-up of
/// tens of microseconds, and which of the two a run gets changes from run to run.
async fn latencies(targets: &[(SocketAddr, &str)]) -> Vec<(Duration, Duration)> {
    let mut clients = Vec::with_capacity(targets.len());
    for (address, path) in targets {
        let mut client = Client::connect(*address, path).await;
        for _ in 0..200 {
            assert_eq!(client.call().await, 200, "{path}");
        }
        clients.push(client);
    }
    let mut samples = vec![Vec::with_capacity(LATENCY_REQUESTS); targets.len()];
    for _ in 0..LATENCY_REQUESTS {
        for (client, samples) in clients.iter_mut().zip(&mut samples) {
            let started = Instant::now();
            client.call().await;
            samples.push(started.elapsed());
        }
    }
    samples
        .into_iter()
        .map(|mut samples| {
            samples.sort();
            (
                samples[samples.len() / 2],
                samples[samples.len() * 99 / 100],
            )
        })
        .collect()
}

/// Requests per second over several connections at once.
async fn throughput(address: SocketAddr, path: &str) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..THROUGHPUT_CONNECTIONS)
        .map(|_| {
            let path = path.to_string();
            tokio::spawn(async move {
                let mut client = Client::connect(address, &path).await;
                for _ in 0..THROUGHPUT_REQUESTS_EACH {
                    client.call().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let total = (THROUGHPUT_CONNECTIONS * THROUGHPUT_REQUESTS_EACH) as f64;
    total / started.elapsed().as_secs_f64()
}

async fn measure(targets: &[(SocketAddr, &str)]) -> Vec<Figures> {
    let latencies = latencies(targets).await;
    let mut figures = Vec::with_capacity(targets.len());
    for ((address, path), (p50, p99)) in targets.iter().zip(latencies) {
        figures.push(Figures {
            rps: throughput(*address, path).await,
            p50,
            p99,
        });
    }
    figures
}

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Origin::default())
}

fn handler_program() -> LocalFunction {
    let exe = std::env::current_exe().unwrap();
    let examples = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("examples"));
    let rust = examples
        .map(|dir| dir.join("rust_handler"))
        .filter(|path| path.is_file());
    match rust {
        Some(path) => LocalFunction::RuntimeApi {
            argv: vec![path.to_string_lossy().into_owned()],
            dir: None,
        },
        None => {
            println!("(rust_handler example not built: using the Python fixture handler)");
            let code: PathBuf = [
                env!("CARGO_MANIFEST_DIR"),
                "tests",
                "it",
                "fixtures",
                "python",
            ]
            .iter()
            .collect();
            LocalFunction::Runtime {
                runtime: "python3".into(),
                handler: "echo_event.handler".into(),
                code: Some(code.to_string_lossy().into_owned()),
            }
        }
    }
}

fn api(backend: SocketAddr) -> Api {
    let mut api = Api::new(ApiKind::Rest, Origin::default(), "bench");
    let mut stage = Stage {
        origin: Origin::default(),
        name: "bench".into(),
        description: None,
        variables: Default::default(),
        throttling: None,
        method_settings: Vec::new(),
        access_log: None,
        tracing_enabled: None,
        cache_cluster_enabled: None,
        cache_cluster_size: None,
        canary: None,
        tags: Vec::new(),
    };
    stage
        .variables
        .insert("backend".into(), Expr::literal(format!("http://{backend}")));
    api.stages.push(stage);

    let mut proxy = Integration::new(Origin::default(), Some(IntegrationType::HttpProxy));
    proxy.http_method = Some(spanned("GET".into()));
    proxy.uri = Some(spanned(Expr::literal("${stageVariables.backend}/direct")));
    let mut route = Route::new(
        Origin::default(),
        RouteKey::Http {
            method: HttpMethod::Get,
            path: "/proxy".into(),
        },
    );
    route.integration = Some(proxy);
    api.routes.push(route);

    let mut lambda = Integration::new(Origin::default(), Some(IntegrationType::AwsProxy));
    lambda.http_method = Some(spanned("POST".into()));
    lambda.function = Some("hello".into());
    let mut route = Route::new(
        Origin::default(),
        RouteKey::Http {
            method: HttpMethod::Get,
            path: "/lambda".into(),
        },
    );
    route.integration = Some(lambda);
    api.routes.push(route);
    api.functions.push(Function {
        origin: Origin::default(),
        name: "hello".into(),
        binding: FunctionBinding::Arn {
            arn: "arn:aws:lambda:us-east-1:123456789012:function:hello".into(),
        },
        local: Some(handler_program()),
        timeout_seconds: Some(10),
    });
    api
}

fn print(label: &str, figures: &Figures) {
    println!(
        "{label:<34} {:>9.0} req/s   p50 {:>7.1} µs   p99 {:>7.1} µs",
        figures.rps,
        figures.p50.as_secs_f64() * 1e6,
        figures.p99.as_secs_f64() * 1e6
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is configurable.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let backend = listener.local_addr().unwrap();
        let (_stop, shutdown) = tokio::sync::watch::channel(false);
        tokio::spawn(http1::serve(
            listener,
            Arc::new(Backend),
            http1::Limits { max_body_bytes: 1 << 20 },
            shutdown,
        ));
        let server = Server::start(
            &[api(backend)],
            ServeOptions {
                port: 0,
                max_instances: 1,
                ..ServeOptions::default()
            },
        )
        .await
        .unwrap();
        let gateway = server.address("bench").unwrap();

        println!("loopback, {LATENCY_REQUESTS} sequential requests per route for latency (the routes taking turns), {THROUGHPUT_CONNECTIONS}×{THROUGHPUT_REQUESTS_EACH} for throughput");
        let figures = measure(&[
            (backend, "/direct"),
            (gateway, "/bench/proxy"),
            (gateway, "/bench/lambda?first_name=bench"),
        ])
        .await;
        let [direct, proxied, lambda] = figures.as_slice() else {
            unreachable!("three routes measured");
        };
        print("backend directly", direct);
        print("HTTP_PROXY route", proxied);
        print("Lambda proxy route (warm handler)", lambda);
        let added = proxied.p50.saturating_sub(direct.p50);
        println!(
            "added by the gateway at p50 (HTTP_PROXY − direct): {:.1} µs",
            added.as_secs_f64() * 1e6
        );
    });
}
