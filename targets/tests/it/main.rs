//! The targets crate's integration tests: IR in, files out.

// Helpers outside `#[test]` functions are test code too: a panic is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a panic is a test failure"
)]

mod builds;
mod cfn_lint;
mod deployment;
mod fixtures;
mod nested_stacks;
mod openapi_round_trip;
mod schemas;
mod snapshots;
mod terraform;
mod terraform_schema;
mod terraform_semantics;
mod warnings;
mod yaml_reparse;
