//! The `apigw` binary: parses arguments, reads files, renders diagnostics, picks the exit code.

fn main() {}
