//! Times the Terraform target on a large API: a spec from `shared/bench/gen_spec.py` (3000
//! paths), compiled by the real front end and rules, then built as a Terraform module in body
//! and in resources mode. Prints the time of each step, the size of the module and the peak
//! memory (VmHWM) after each build.
//!
//! `cargo run --release -p apigw-targets --example bench_terraform -- spec.json`

use std::time::Instant;

use apigw_compiler::{compile, FsWorld, Options};
use apigw_targets::cloudformation::Mode;
use apigw_targets::terraform::{self, TerraformOptions};
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
        let options = TerraformOptions {
            mode,
            ..TerraformOptions::default()
        };
        let start = Instant::now();
        let built = terraform::emit(&compilation.apis, &options);
        let elapsed = start.elapsed();
        match built {
            Ok(out) => {
                let bytes: usize = out.output.iter().map(|file| file.contents.len()).sum();
                let resources: usize = out
                    .output
                    .iter()
                    .map(|file| file.contents.matches("\nresource \"").count())
                    .sum();
                println!(
                    "build terraform {name}: {:.3} s, {} files, {bytes} bytes, about {resources} resources, {} warnings, peak {:.0} MiB",
                    elapsed.as_secs_f64(),
                    out.output.len(),
                    out.warnings.len(),
                    peak_mib()
                );
            }
            Err(error) => println!("build terraform {name}: {error}"),
        }
    }
}
