//! apigw-emulator's integration tests: a server on ephemeral loopback ports, real sockets,
//! real handler processes.

mod recorded;
mod support;
