//! The compiler's integration tests: files in, diagnostics and IR out, through the public API.

mod load;
