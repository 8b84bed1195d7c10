//! `apigw serve` as a user runs it: a real process on an ephemeral port, real sockets. The
//! project `apigw init` writes answers straight away; an edited spec is reloaded while a
//! keep-alive connection stays open and keeps being served.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `apigw serve`, stopped when dropped.
struct Serving {
    child: Child,
    base: String,
    /// Everything the server printed, for failure messages.
    printed: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Serving {
    fn printed(&self) -> String {
        self.printed
            .lock()
            .map(|text| text.clone())
            .unwrap_or_default()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `apigw serve ARGS` in `dir` and reads its route table for the API's address
/// (`127.0.0.1:PORT`).
fn serve(dir: &Path, args: &[&str]) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apigw"))
        .arg("serve")
        .args(args)
        .args(["--port", "0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("apigw serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = String::new();
    let base = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            let mut stderr = String::new();
            if let Some(mut err) = child.stderr.take() {
                let _ = err.read_to_string(&mut stderr);
            }
            panic!("apigw serve ended before printing its routes:\n{seen}\n{stderr}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some((_, rest)) = line.split_once("http://") {
            let host: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                .collect();
            if host.starts_with("127.0.0.1:") {
                break host;
            }
        }
    };
    // Keep draining both streams so the child never blocks, and keep what they say.
    let printed = std::sync::Arc::new(std::sync::Mutex::new(seen));
    let sink = std::sync::Arc::clone(&printed);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Ok(mut text) = sink.lock() {
                text.push_str(&line);
                text.push('\n');
            }
        }
    });
    if let Some(stderr) = child.stderr.take() {
        let sink = std::sync::Arc::clone(&printed);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut text) = sink.lock() {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        });
    }
    Serving {
        child,
        base,
        printed,
    }
}

/// One HTTP/1.1 exchange on `stream`; returns the status and the body.
fn exchange(stream: &mut TcpStream, host: &str, target: &str) -> (u16, String) {
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n"
    )
    .expect("request written");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {status_line:?}"));
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).expect("header");
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("length");
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn connect(host: &str) -> TcpStream {
    let stream = TcpStream::connect(host).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream
}

fn get(host: &str, target: &str) -> (u16, String) {
    exchange(&mut connect(host), host, target)
}

const SPEC: &str = "\
openapi: 3.0.1
info: {title: live, version: \"1\"}
paths:
  /a:
    get:
      security: []
      responses: {\"200\": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{\"statusCode\": 200}'}
        responses:
          default: {statusCode: \"200\", responseTemplates: {application/json: '{\"v\": 1}'}}
";

#[test]
fn an_edited_spec_is_reloaded_while_a_keep_alive_connection_stays_served() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("api.yaml"), SPEC).expect("write");
    let serving = serve(dir.path(), &["api.yaml"]);
    let host = serving.base.clone();

    let mut kept = connect(&host);
    assert_eq!(
        exchange(&mut kept, &host, "/dev/a"),
        (200, "{\"v\": 1}".to_owned())
    );
    let (status, body) = get(&host, "/dev/b");
    assert_eq!(status, 403, "{body}");
    assert_eq!(body, "{\"message\":\"Missing Authentication Token\"}");

    let edited = SPEC.to_owned()
        + "  /b:\n    get:\n      security: []\n      responses: {\"200\": {description: ok}}\n      x-amazon-apigateway-integration:\n        type: mock\n        requestTemplates: {application/json: '{\"statusCode\": 200}'}\n        responses:\n          default: {statusCode: \"200\", responseTemplates: {application/json: '{\"v\": 2}'}}\n";
    std::fs::write(dir.path().join("api.yaml"), edited).expect("edit");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = get(&host, "/dev/b");
        if status == 200 {
            assert_eq!(body, "{\"v\": 2}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edited spec was not reloaded: {status} {body}\n{}",
            serving.printed()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The connection opened before the reload is still served, by the new routes.
    assert_eq!(
        exchange(&mut kept, &host, "/dev/a"),
        (200, "{\"v\": 1}".to_owned())
    );
    assert_eq!(exchange(&mut kept, &host, "/dev/b").0, 200);
}

#[test]
fn the_project_apigw_init_writes_answers_at_once() {
    let python = ["python3", "python"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok());
    assert!(python.is_some(), "the starters need Python 3");
    for (kind, target) in [("rest", "/dev/hello/world"), ("http", "/hello/world")] {
        let dir = tempfile::tempdir().expect("temporary directory");
        let init = Command::new(env!("CARGO_BIN_EXE_apigw"))
            .args(["init", "--kind", kind, "starter"])
            .current_dir(dir.path())
            .output()
            .expect("apigw init runs");
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
        let serving = serve(dir.path(), &["starter/api.yaml"]);
        let (status, body) = get(&serving.base, target);
        assert_eq!(status, 200, "{kind}: {body}");
        assert!(body.contains("world"), "{kind}: {body}");
    }
}
