//! Times the loader on the generated 3000-path spec: our JSON parser against
//! `serde_json::from_slice::<Value>`, and our YAML loader against saphyr-parser's bare event
//! stream. Run with `cargo bench -p apigw-compiler --bench load`; `APIGW_SHARED` names the
//! folder holding `bench/gen_spec.py` (default: the `shared/` folder beside the repository), `APIGW_BENCH_PATHS` the size.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use saphyr_parser::Parser;

const ROUNDS: usize = 7;

fn main() {
    let shared = std::env::var_os("APIGW_SHARED").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|dir| dir.join("shared"))
                .find(|dir| dir.join("bench").is_dir())
                .unwrap_or_else(|| PathBuf::from("../../shared"))
        },
        PathBuf::from,
    );
    let paths = std::env::var("APIGW_BENCH_PATHS").unwrap_or_else(|_| "3000".to_owned());
    let script = shared.join("bench/gen_spec.py");
    let json = generate(&script, &paths, "json");
    let yaml = generate(&script, &paths, "yaml");

    println!(
        "spec: {paths} paths; JSON {} bytes, YAML {} bytes",
        json.len(),
        yaml.len()
    );
    println!("{:<40} {:>10} {:>10}", "", "min", "median");

    let ours = time(|| apigw_compiler::measure_load(&json).0);
    let serde = time(|| {
        serde_json::from_slice::<serde_json::Value>(&json)
            .map(|value| usize::from(value.is_object()))
            .unwrap_or_default()
    });
    report("JSON: apigw load", &ours);
    report("JSON: serde_json::from_slice::<Value>", &serde);
    println!("JSON ratio (median): {:.2}", ratio(&ours, &serde));

    let ours = time(|| apigw_compiler::measure_load(&yaml).0);
    let bare = time(|| {
        let text = std::str::from_utf8(&yaml).unwrap_or_default();
        Parser::new_from_str(text).filter(Result::is_ok).count()
    });
    println!(
        "YAML read by: {}",
        apigw_compiler::measure_yaml_reader(&yaml)
    );
    report("YAML: apigw load", &ours);
    report("YAML: saphyr-parser events only", &bare);
    println!("YAML ratio (median): {:.2}", ratio(&ours, &bare));
}

fn generate(script: &PathBuf, paths: &str, format: &str) -> Vec<u8> {
    let output = Command::new("python3")
        .arg(script)
        .arg(paths)
        .args(["--format", format])
        .output();
    match output {
        Ok(output) if output.status.success() => output.stdout,
        Ok(output) => panic!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => panic!("cannot run python3 {}: {error}", script.display()),
    }
}

/// Runs `work` `ROUNDS` times (after one warm-up) and returns the sorted durations.
fn time(mut work: impl FnMut() -> usize) -> Vec<Duration> {
    let mut sink = work();
    let mut durations = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        sink = sink.wrapping_add(std::hint::black_box(work()));
        durations.push(start.elapsed());
    }
    std::hint::black_box(sink);
    durations.sort();
    durations
}

fn median(durations: &[Duration]) -> Duration {
    durations
        .get(durations.len() / 2)
        .copied()
        .unwrap_or_default()
}

fn report(name: &str, durations: &[Duration]) {
    let min = durations.first().copied().unwrap_or_default();
    println!(
        "{name:<40} {:>8.1}ms {:>8.1}ms",
        min.as_secs_f64() * 1000.0,
        median(durations).as_secs_f64() * 1000.0
    );
}

fn ratio(ours: &[Duration], theirs: &[Duration]) -> f64 {
    median(ours).as_secs_f64() / median(theirs).as_secs_f64().max(f64::EPSILON)
}
