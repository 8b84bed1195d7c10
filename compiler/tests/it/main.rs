//! The compiler's integration tests: specs in, IR and diagnostics out.

// A test fails by panicking: unwrapping and indexing the data under test is how it says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod openapi;
