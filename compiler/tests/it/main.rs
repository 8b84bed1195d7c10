//! The compiler's integration tests: specs in, IR and diagnostics out.

mod openapi;
mod template;
