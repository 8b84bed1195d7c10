//! Times the CloudFormation target on a large API: a spec from `shared/bench/gen_spec.py`
//! (3000 paths), compiled by the real front end and rules, then built in body and in resources
//! mode, as YAML and as JSON. Prints the time of each step, the size of each template and the
//! peak memory (VmHWM) after each build. `docs/performance.md` has the figures.
//!
//! `cargo run --release -p apigw-targets --example bench_emit -- spec.json`

use std::time::Instant;

use apigw_compiler::{compile, FsWorld, Options};
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::Format;
use camino::Utf8PathBuf;

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let path = Utf8PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "spec.json".to_owned()),
    );
    let start = Instant::now();
    let compilation = compile(&FsWorld, &path, &Options::default());
    let routes: usize = compilation.apis.iter().map(|api| api.routes.len()).sum();
    println!(
        "compile {path}: {:.3} s, {} APIs, {routes} routes, {} diagnostics, peak {:.0} MiB",
        start.elapsed().as_secs_f64(),
        compilation.apis.len(),
        compilation.diagnostics.len(),
        peak_mib()
    );
    for (mode, name) in [(Mode::Body, "body"), (Mode::Resources, "resources")] {
        for format in [Format::Yaml, Format::Json] {
            let options = CloudFormationOptions {
                format,
                mode,
                ..CloudFormationOptions::default()
            };
            let start = Instant::now();
            let built = cloudformation::emit(&compilation.apis, &options);
            let elapsed = start.elapsed();
            match built {
                Ok(out) => {
                    let bytes: usize = out.output.iter().map(|file| file.contents.len()).sum();
                    println!(
                        "build cloudformation {name} {}: {:.3} s, {bytes} bytes, {} warnings, {} notes, peak {:.0} MiB",
                        format.extension(),
                        elapsed.as_secs_f64(),
                        out.warnings.len(),
                        out.notes.len(),
                        peak_mib()
                    );
                }
                Err(error) => println!("build cloudformation {name}: {error}"),
            }
        }
    }
}
