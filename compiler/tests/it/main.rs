//! The compiler's integration tests: specs in, IR and diagnostics out.

// Everything here is test code, helpers included: lets clippy's `allow-expect-in-tests` and
// friends cover the helpers too.
#![cfg(test)]

mod dsl;
mod load;
mod openapi;
mod rules;
mod template;
mod verdicts;
