//! apigw-emulator's integration tests: a server on ephemeral loopback ports, real sockets,
//! real handler processes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a panic is a failed test, with its message"
)]

mod corpus;
mod functions;
mod gateway;
mod http_api;
mod recorded;
mod starter;
mod support;
