//! The baseline `apigw check` is timed against: a process that reads one file and only parses
//! it, with no located tree, front end or rules. A `.json` file goes through
//! `serde_json::from_slice::<Value>`; anything else through saphyr-parser's bare event stream
//! (the same two parsers `benches/load.rs` times in process). Prints what it parsed, so that the
//! work cannot be skipped. The parsed value is freed before exit, as in the load bench; with
//! `--no-free` it is leaked instead, so that the process times the parse alone.
//!
//! `cargo build --release -p apigw-compiler --example bench_parse`, then
//! `hyperfine 'target/release/examples/bench_parse spec.yaml' 'target/release/apigw check spec.yaml'`.

use std::process::ExitCode;

use saphyr_parser::Parser;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let no_free = args.iter().any(|arg| arg == "--no-free");
    let Some(path) = args.iter().find(|arg| !arg.starts_with("--")).cloned() else {
        eprintln!("usage: bench_parse [--no-free] FILE.json|FILE.yaml");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::from(2);
        }
    };
    if path.ends_with(".json") {
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => {
                println!(
                    "{path}: JSON, {} top-level keys",
                    value.as_object().map_or(0, serde_json::Map::len)
                );
                if no_free {
                    std::mem::forget(value);
                }
            }
            Err(error) => {
                eprintln!("{path}: {error}");
                return ExitCode::from(1);
            }
        }
    } else {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            eprintln!("{path}: not UTF-8");
            return ExitCode::from(1);
        };
        let mut events = 0usize;
        for event in Parser::new_from_str(text) {
            if let Err(error) = event {
                eprintln!("{path}: {error}");
                return ExitCode::from(1);
            }
            events += 1;
        }
        println!("{path}: YAML, {events} events");
    }
    ExitCode::SUCCESS
}
