//! A function behind a URL that speaks the Lambda Invoke API
//! (`POST /2015-03-31/functions/NAME/invocations`), such as another emulator, and the HTTP
//! client the gateway shares for HTTP integrations.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::{timeout_error, Invocation, Outcome};

/// A pooled HTTP/1.1 client (TCP_NODELAY on every connection).
pub(crate) type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub(crate) fn http_client() -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.enforce_http(true);
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector)
}

pub(crate) struct UrlFunction {
    endpoint: String,
    client: HttpClient,
    timeout: Duration,
}

impl UrlFunction {
    pub fn new(url: &str, name: &str, client: HttpClient, timeout: Duration) -> Self {
        let endpoint = if url.contains("/2015-03-31/functions/") {
            url.to_string()
        } else {
            format!(
                "{}/2015-03-31/functions/{name}/invocations",
                url.trim_end_matches('/')
            )
        };
        UrlFunction {
            endpoint,
            client,
            timeout,
        }
    }

    pub async fn invoke(&self, invocation: Invocation) -> Outcome {
        let request = hyper::Request::builder()
            .method("POST")
            .uri(&self.endpoint)
            .header("Content-Type", "application/json")
            .header("X-Amz-Invocation-Type", "RequestResponse")
            .header("X-Amzn-Trace-Id", &invocation.trace_id)
            .body(Full::new(Bytes::from(invocation.payload)));
        let request = match request {
            Ok(request) => request,
            Err(error) => {
                return Outcome::NotInvoked(format!("bad invoke URL `{}`: {error}", self.endpoint))
            }
        };
        let call = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|error| error.to_string())?;
            let status = response.status();
            let function_error = response.headers().contains_key("x-amz-function-error");
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|error| error.to_string())?
                .to_bytes()
                .to_vec();
            Ok::<_, String>((status, function_error, body))
        };
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok((status, false, body))) if status.is_success() => Outcome::Success(body),
            Ok(Ok((status, true, body))) if status.is_success() => Outcome::FunctionError(body),
            Ok(Ok((status, _, body))) => Outcome::NotInvoked(format!(
                "{} answered {status}: {}",
                self.endpoint,
                String::from_utf8_lossy(&body)
            )),
            Ok(Err(error)) => Outcome::NotInvoked(format!("{}: {error}", self.endpoint)),
            Err(_) => Outcome::FunctionError(timeout_error(
                &invocation.request_id,
                self.timeout.as_secs(),
            )),
        }
    }
}
