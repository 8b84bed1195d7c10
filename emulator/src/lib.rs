//! The local API Gateway: serves the IR over HTTP in front of real Lambda handlers.
//! It never parses a spec; it receives IR from the compiler.
