//! A small HTTP/1.1 server: reads requests with their header names as the client wrote them
//! and writes responses. It owns framing only (Content-Length, chunked bodies, keep-alive,
//! `Expect: 100-continue`); what a request means is the caller's [`Handler`].
//!
//! API Gateway passes header names to Lambda with the client's casing (`tEsT-HEADeR` stays as
//! sent), which hyper's server does not expose, hence this module.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Largest request head accepted, in bytes.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most header lines accepted in one request.
const MAX_HEADERS: usize = 128;

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The request target exactly as sent (`/stage/pets?id=1`).
    pub target: String,
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub version: &'static str,
    /// Header lines in order, names with the client's casing.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub peer: SocketAddr,
    pub local: SocketAddr,
}

impl Request {
    /// The first value of `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The path part of the target (before `?`).
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The query string (after `?`, without a `#fragment`), if any.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| {
            query
                .split_once('#')
                .map_or(query, |(before_hash, _)| before_hash)
        })
    }
}

/// One response to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Response {
    pub status: u16,
    /// Header lines in order, names as they will be written. `Content-Length` is added here.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    pub fn remove_header(&mut self, name: &str) {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
    }
}

/// What answers requests.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, request: Request) -> impl Future<Output = Response> + Send;

    /// The answer when a request body exceeds `max_body_bytes`.
    fn too_large(&self) -> Response {
        Response::new(413)
    }
}

/// Limits a server applies to each request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_body_bytes: usize,
}

/// Accepts connections on `listener` until `shutdown` turns true; each connection is served on
/// its own spawned future and finishes its in-flight request even after shutdown.
pub async fn serve<H: Handler>(
    listener: TcpListener,
    handler: Arc<H>,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else {
                    // Out of file descriptors or a similar passing condition: back off briefly
                    // instead of spinning.
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                };
                let handler = Arc::clone(&handler);
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    // A broken connection only ends that connection.
                    let _ = serve_connection(stream, peer, handler, limits, shutdown).await;
                });
            }
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
            }
        }
    }
}

enum Body {
    None,
    Length(usize),
    Chunked,
}

struct Head {
    method: String,
    target: String,
    version: &'static str,
    headers: Vec<(String, String)>,
    consumed: usize,
}

enum Parsed {
    Head(Head),
    Partial,
    Invalid,
}

fn parse_head(buffer: &[u8]) -> Parsed {
    let mut header_slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut header_slots);
    match request.parse(buffer) {
        Ok(httparse::Status::Complete(consumed)) => {
            let version = if request.version == Some(0) {
                "HTTP/1.0"
            } else {
                "HTTP/1.1"
            };
            let headers = request
                .headers
                .iter()
                .map(|header| {
                    (
                        header.name.to_string(),
                        String::from_utf8_lossy(header.value).into_owned(),
                    )
                })
                .collect();
            Parsed::Head(Head {
                method: request.method.unwrap_or("GET").to_string(),
                target: request.path.unwrap_or("/").to_string(),
                version,
                headers,
                consumed,
            })
        }
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(_) => Parsed::Invalid,
    }
}

fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

async fn serve_connection<H: Handler>(
    mut stream: TcpStream,
    peer: SocketAddr,
    handler: Arc<H>,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    // Latency matters more than packet count on loopback.
    stream.set_nodelay(true)?;
    let local = stream.local_addr()?;
    let mut buffer = BytesMut::with_capacity(8 * 1024);
    loop {
        // Read until a whole head is buffered.
        let head = loop {
            if !buffer.is_empty() {
                match parse_head(&buffer) {
                    Parsed::Head(head) => break head,
                    Parsed::Invalid => {
                        write_response(&mut stream, "HTTP/1.1", &bad_request(), false, false)
                            .await?;
                        return Ok(());
                    }
                    Parsed::Partial if buffer.len() > MAX_HEAD_BYTES => {
                        let response = Response::new(431);
                        write_response(&mut stream, "HTTP/1.1", &response, false, false).await?;
                        return Ok(());
                    }
                    Parsed::Partial => {}
                }
            }
            let read = tokio::select! {
                read = stream.read_buf(&mut buffer) => read?,
                // An idle keep-alive connection closes at shutdown.
                _ = shutdown.changed(), if buffer.is_empty() => return Ok(()),
            };
            if read == 0 {
                return Ok(());
            }
        };
        buffer.advance(head.consumed);

        let body_kind = match (
            header_value(&head.headers, "transfer-encoding"),
            header_value(&head.headers, "content-length"),
        ) {
            (Some(encoding), _) if encoding.to_ascii_lowercase().contains("chunked") => {
                Body::Chunked
            }
            (_, Some(length)) => match length.trim().parse::<usize>() {
                Ok(length) => Body::Length(length),
                Err(_) => {
                    write_response(&mut stream, head.version, &bad_request(), false, false).await?;
                    return Ok(());
                }
            },
            _ => Body::None,
        };
        if header_value(&head.headers, "expect")
            .is_some_and(|value| value.eq_ignore_ascii_case("100-continue"))
        {
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        }
        let body = match body_kind {
            Body::None => Vec::new(),
            Body::Length(length) if length > limits.max_body_bytes => {
                // Reading what the client is sending (when not absurdly large) lets it see the
                // answer instead of a reset connection.
                if length <= limits.max_body_bytes.saturating_mul(4) {
                    let mut remaining = length.saturating_sub(buffer.len());
                    buffer.clear();
                    while remaining > 0 {
                        let read = stream.read_buf(&mut buffer).await?;
                        if read == 0 {
                            break;
                        }
                        remaining = remaining.saturating_sub(read);
                        buffer.clear();
                    }
                }
                write_response(
                    &mut stream,
                    head.version,
                    &handler.too_large(),
                    false,
                    false,
                )
                .await?;
                return Ok(());
            }
            Body::Length(length) => {
                while buffer.len() < length {
                    if stream.read_buf(&mut buffer).await? == 0 {
                        return Ok(());
                    }
                }
                buffer.split_to(length).to_vec()
            }
            Body::Chunked => {
                match read_chunked(&mut stream, &mut buffer, limits.max_body_bytes).await? {
                    Some(body) => body,
                    None => {
                        write_response(
                            &mut stream,
                            head.version,
                            &handler.too_large(),
                            false,
                            false,
                        )
                        .await?;
                        return Ok(());
                    }
                }
            }
        };

        let connection = header_value(&head.headers, "connection").map(str::to_ascii_lowercase);
        let keep_alive = match head.version {
            "HTTP/1.0" => connection.as_deref() == Some("keep-alive"),
            _ => connection.as_deref() != Some("close"),
        };
        let is_head = head.method == "HEAD";
        let version = head.version;
        let request = Request {
            method: head.method,
            target: head.target,
            version,
            headers: head.headers,
            body,
            peer,
            local,
        };
        let response = handler.handle(request).await;
        let keep_alive = keep_alive && !*shutdown.borrow();
        write_response(&mut stream, version, &response, keep_alive, is_head).await?;
        if !keep_alive {
            return Ok(());
        }
    }
}

/// Decodes a chunked body. `None` when it grows past `max_bytes`.
async fn read_chunked(
    stream: &mut TcpStream,
    buffer: &mut BytesMut,
    max_bytes: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(position) = buffer.windows(2).position(|pair| pair == b"\r\n") {
                break position;
            }
            if buffer.len() > MAX_HEAD_BYTES {
                return Err(std::io::Error::other("chunk size line too long"));
            }
            if stream.read_buf(buffer).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        };
        let size_line =
            String::from_utf8_lossy(buffer.get(..line_end).unwrap_or_default()).into_owned();
        buffer.advance(line_end + 2);
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| std::io::Error::other("bad chunk size"))?;
        if size == 0 {
            // Skip trailers up to the empty line.
            loop {
                if let Some(position) = buffer.windows(2).position(|pair| pair == b"\r\n") {
                    buffer.advance(position + 2);
                    if position == 0 {
                        return Ok(Some(body));
                    }
                    continue;
                }
                if stream.read_buf(buffer).await? == 0 {
                    return Ok(Some(body));
                }
            }
        }
        if body.len().saturating_add(size) > max_bytes {
            return Ok(None);
        }
        let needed = size + 2;
        while buffer.len() < needed {
            if stream.read_buf(buffer).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
        body.extend_from_slice(buffer.get(..size).unwrap_or_default());
        buffer.advance(needed);
    }
}

fn bad_request() -> Response {
    Response::new(400)
        .with_header("Content-Type", "application/json")
        .with_body(r#"{"message":"Bad Request"}"#)
}

/// The reason phrase for a status code (RFC 9110), or `Unknown`.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Serialises a response head and body into one buffer.
pub fn encode_response(
    version: &str,
    response: &Response,
    keep_alive: bool,
    omit_body: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + response.body.len());
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(
        format!(" {} {}\r\n", response.status, reason(response.status)).as_bytes(),
    );
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("connection")
            || name.eq_ignore_ascii_case("transfer-encoding")
        {
            continue;
        }
        // A header value never carries a line break onto the wire.
        let value = value.replace(['\r', '\n'], " ");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let no_body_status = response.status == 204 || response.status == 304;
    if !no_body_status {
        out.extend_from_slice(format!("Content-Length: {}\r\n", response.body.len()).as_bytes());
    }
    out.extend_from_slice(if keep_alive {
        b"Connection: keep-alive\r\n".as_slice()
    } else {
        b"Connection: close\r\n".as_slice()
    });
    out.extend_from_slice(b"\r\n");
    if !omit_body && !no_body_status {
        out.extend_from_slice(&response.body);
    }
    out
}

async fn write_response(
    stream: &mut TcpStream,
    version: &str,
    response: &Response,
    keep_alive: bool,
    omit_body: bool,
) -> std::io::Result<()> {
    let bytes = encode_response(version, response, keep_alive, omit_body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}
