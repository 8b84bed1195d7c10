//! The compiler's integration tests: documents in, IR and diagnostics out.

// Helpers outside `#[test]` functions fail the test loudly on a broken fixture.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

mod dsl;
