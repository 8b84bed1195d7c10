//! Times the targets on a large API: a spec from `shared/bench/gen_spec.py` (3000 paths),
//! compiled by the real front end and rules, then built by every target in every mode and
//! format. Each build runs `--runs N` times (3 by default); the fastest and the median run are
//! printed with the files' count and size and the peak memory (VmHWM) after the build.
//! `docs/performance.md` has the figures.
//!
//! `cargo run --release -p apigw-targets --example bench_emit -- spec.json [--runs N] [FILTER]`
//!
//! A `FILTER` keeps the builds whose name contains it (`resources`, `terraform`, `json`).

use std::time::{Duration, Instant};

use apigw_compiler::ir::Api;
use apigw_compiler::{compile, FsWorld, Options};
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::openapi::{self, OpenApiOptions};
use apigw_targets::terraform::{self, TerraformOptions};
use apigw_targets::{sam, EmitError, Format, OutputFile, Warned};
use camino::Utf8PathBuf;

// The allocator of the `apigw` binary, so that these figures are the ones a build sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

type Build = Box<dyn Fn(&[Api]) -> Result<Warned<Vec<OutputFile>>, EmitError>>;

fn cfn(mode: Mode, format: Format) -> CloudFormationOptions {
    CloudFormationOptions {
        format,
        mode,
        ..CloudFormationOptions::default()
    }
}

fn builds() -> Vec<(String, Build)> {
    let mut builds: Vec<(String, Build)> = Vec::new();
    for (mode, mode_name) in [(Mode::Body, "body"), (Mode::Resources, "resources")] {
        for format in [Format::Yaml, Format::Json] {
            let options = cfn(mode, format);
            builds.push((
                format!("cloudformation {mode_name} {}", format.extension()),
                Box::new(move |apis| cloudformation::emit(apis, &options)),
            ));
        }
    }
    for format in [Format::Yaml, Format::Json] {
        let options = cfn(Mode::Body, format);
        builds.push((
            format!("sam {}", format.extension()),
            Box::new(move |apis| sam::emit(apis, &options)),
        ));
        let options = OpenApiOptions { format };
        builds.push((
            format!("openapi {}", format.extension()),
            Box::new(move |apis| openapi::emit(apis, &options)),
        ));
    }
    for (mode, mode_name) in [(Mode::Body, "body"), (Mode::Resources, "resources")] {
        let options = TerraformOptions::from(&cfn(mode, Format::Yaml));
        builds.push((
            format!("terraform {mode_name}"),
            Box::new(move |apis| terraform::emit(apis, &options)),
        ));
    }
    builds
}

fn main() {
    let mut path = Utf8PathBuf::from("spec.json");
    let mut runs = 3usize;
    let mut filter = String::new();
    let mut args = std::env::args().skip(1);
    let mut positional = 0;
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|count| count.parse().ok())
                .unwrap_or(runs)
                .max(1);
        } else if positional == 0 {
            path = Utf8PathBuf::from(arg);
            positional += 1;
        } else {
            filter = arg;
        }
    }
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
    for (name, build) in builds() {
        if !name.contains(&filter) {
            continue;
        }
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut summary = String::new();
        for _ in 0..runs {
            let start = Instant::now();
            let built = build(&compilation.apis);
            times.push(start.elapsed());
            summary = match built {
                Ok(out) => {
                    let bytes: usize = out.output.iter().map(|file| file.contents.len()).sum();
                    format!(
                        "{} files, {bytes} bytes, {} warnings, {} notes",
                        out.output.len(),
                        out.warnings.len(),
                        out.notes.len()
                    )
                }
                Err(error) => error.to_string(),
            };
        }
        times.sort();
        let fastest = times.first().copied().unwrap_or_default();
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        println!(
            "build {name}: min {:.3} s, median {:.3} s, {summary}, peak {:.0} MiB",
            fastest.as_secs_f64(),
            median.as_secs_f64(),
            peak_mib()
        );
    }
}
