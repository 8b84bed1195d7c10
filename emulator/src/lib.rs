//! The local API Gateway: serves apigw's IR over HTTP in front of real Lambda handlers and HTTP
//! backends. It never parses a spec; it receives IR from the compiler, resolves it into a
//! [`plan::Plan`] and serves that.
//!
//! Request path: [`http1`] (framing) → [`server`] (which API) → `gateway` (stage, route, API key,
//! throttling, validation) → `integration` (Lambda proxy, HTTP, MOCK) → gateway responses.
//! Functions run through [`functions`]: the Lambda Runtime API, a command, or an Invoke URL.

pub mod bindings;
pub mod clock;
pub mod event;
pub mod functions;
mod gateway;
pub mod gateway_response;
pub mod http1;
mod integration;
pub mod log;
pub mod plan;
pub mod proxy_response;
pub mod router;
pub mod server;
mod throttle;
mod validate;
pub mod watch;

pub use bindings::FunctionBindings;
pub use plan::{resolve, Plan, PlanOptions};
pub use server::{RouteEntry, ServeError, ServeOptions, Server};
