//! A Lambda handler written with the `lambda_runtime` crate, as a custom runtime (`bootstrap`)
//! would be. `apigw serve` runs it through its Runtime API; the integration tests use it.
//!
//! `GET /?first_name=Ada` answers `Hello, Ada!`; `?fail=1` returns an error.

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use lambda_runtime::{service_fn, Error, LambdaEvent};

async fn handle(
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Error> {
    let query = &event.payload.query_string_parameters;
    if query.first("fail").is_some() {
        return Err("asked to fail".into());
    }
    let name = query.first("first_name").unwrap_or("stranger");
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = 200;
    response.headers.insert(
        "content-type",
        "text/plain; charset=utf-8"
            .parse()
            .map_err(|_| Error::from("header value"))?,
    );
    response.body = Some(Body::Text(format!(
        "Hello, {name}! ({})",
        event.context.request_id
    )));
    Ok(response)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handle)).await
}
