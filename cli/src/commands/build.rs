//! `apigw build PATH --target cloudformation|sam|openapi|terraform`: compiles the API, refuses
//! to build when the checks found errors, and writes the target's files (to `--out DIR`, or to
//! standard output when the target produces a single file and no directory is given).

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use apigw_compiler::ir::Api;
use apigw_compiler::{compile_then, Compilation, FsWorld, Options, Severity};
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::openapi::{self, OpenApiOptions};
use apigw_targets::terraform::{self, TerraformOptions};
use apigw_targets::{sam, EmitError, Format, OutputFile, Warned};
use camino::{Utf8Path, Utf8PathBuf};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

/// What `apigw build` produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildTarget {
    /// A CloudFormation template.
    Cloudformation,
    /// A SAM template (`AWS::Serverless::Api` / `HttpApi` with `DefinitionBody`).
    Sam,
    /// An OpenAPI 3.0 document for `aws apigateway import-rest-api` / `apigatewayv2 import-api`.
    Openapi,
    /// A Terraform module (a directory: give `--out DIR`).
    Terraform,
    /// The resolved configuration `apigw serve` runs (routes, integrations, function bindings),
    /// as JSON; `apigw serve apigw-emulator.json` serves it as it is.
    Emulator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    Yaml,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildMode {
    /// The API as an embedded OpenAPI `Body` (fewest resources).
    Body,
    /// One CloudFormation resource per route, integration, authorizer, model …
    Resources,
}

/// Arguments of `apigw build`.
#[derive(Clone, Debug, Args)]
pub struct BuildArgs {
    /// The OpenAPI / Swagger document or CloudFormation / SAM template to build.
    pub path: Utf8PathBuf,
    /// What to build.
    #[arg(long, value_enum)]
    pub target: BuildTarget,
    /// Output format.
    #[arg(long, value_enum, default_value = "yaml")]
    pub format: BuildFormat,
    /// How REST and HTTP APIs are written in CloudFormation.
    #[arg(long, value_enum, default_value = "body")]
    pub mode: BuildMode,
    /// Directory to write the files to; without it a single file goes to standard output.
    #[arg(long)]
    pub out: Option<Utf8PathBuf>,
    /// The stage to deploy when the API names none (default: `prod`, or `$default` for HTTP APIs).
    #[arg(long)]
    pub stage: Option<String>,
    /// Associate a WAF web ACL (a template parameter) with every REST stage.
    #[arg(long)]
    pub waf: bool,
    /// Add CloudWatch alarms on each stage's 5XX rate and p99 latency.
    #[arg(long)]
    pub alarms: bool,
}

/// Runs `apigw build`: 0 when the files were written, 1 when the API has errors, 2 on a usage
/// or I/O problem.
pub fn run(args: BuildArgs) -> ExitCode {
    let format = match args.format {
        BuildFormat::Yaml => Format::Yaml,
        BuildFormat::Json => Format::Json,
    };
    let cfn_options = CloudFormationOptions {
        format,
        mode: match args.mode {
            BuildMode::Body => Mode::Body,
            BuildMode::Resources => Mode::Resources,
        },
        default_stage: args.stage.clone(),
        waf: args.waf,
        alarms: args.alarms,
        ..CloudFormationOptions::default()
    };
    // The process ends once the files are written; what the target frees is left to exit.
    apigw_targets::leave_memory_to_exit();
    // The target is built while the IR checks run; the result is used only if they find no
    // error.
    let (compilation, built) = compile_then(&FsWorld, &args.path, &Options::default(), |apis| {
        emit(&args, apis, &cfn_options)
    });
    // Standard error is unbuffered, and a large API has thousands of diagnostic lines; they
    // are buffered here and flushed once, whichever way the build ends.
    let mut stderr = BufWriter::new(std::io::stderr().lock());
    let code = build(&args, &cfn_options, &compilation, built, &mut stderr);
    let _ = stderr.flush();
    // The process ends once this returns: leave the compilation to the operating system rather
    // than free it piece by piece (a tenth of a second on a 3000-path API).
    std::mem::forget(compilation);
    code
}

/// Reports the diagnostics and, when there is no error, writes what the target built
/// (`built`, or built now when the compilation could not build it early).
fn build(
    args: &BuildArgs,
    cfn_options: &CloudFormationOptions,
    compilation: &Compilation,
    built: Option<Result<Warned<Vec<OutputFile>>, EmitError>>,
    stderr: &mut impl Write,
) -> ExitCode {
    for diagnostic in &compilation.diagnostics {
        let _ = writeln!(
            stderr,
            "{}:{}:{}: {}[{}]: {}",
            diagnostic.location.file,
            diagnostic.location.line,
            diagnostic.location.column,
            diagnostic.severity,
            diagnostic.code,
            diagnostic.message
        );
        if let Some(help) = &diagnostic.help {
            let _ = writeln!(stderr, "  help: {help}");
        }
    }
    if compilation
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity == Severity::Error)
    {
        let _ = writeln!(stderr, "error: {} has errors; nothing was built", args.path);
        // An early build of an API with errors is not used.
        std::mem::forget(built);
        return ExitCode::from(1);
    }
    let result = built.unwrap_or_else(|| emit(args, &compilation.apis, cfn_options));
    let warned = match result {
        Ok(warned) => warned,
        Err(error) => {
            let _ = writeln!(stderr, "error: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                let _ = writeln!(stderr, "  caused by: {cause}");
                source = cause.source();
            }
            return ExitCode::from(2);
        }
    };
    for warning in &warned.warnings {
        let _ = writeln!(stderr, "warning: {}", warning.message);
        if let Some(help) = &warning.help {
            let _ = writeln!(stderr, "  help: {help}");
        }
    }
    for note in &warned.notes {
        let _ = writeln!(stderr, "note: {note}");
    }
    match &args.out {
        Some(dir) => {
            if let Err(code) = write_files(dir, &warned.output, stderr) {
                return code;
            }
        }
        None => match warned.output.as_slice() {
            [file] => {
                // What was said about the build comes before the file, as it always has.
                let _ = stderr.flush();
                let mut stdout = std::io::stdout().lock();
                if let Err(error) = stdout.write_all(file.contents.as_bytes()) {
                    let _ = writeln!(stderr, "error: cannot write to standard output: {error}");
                    return ExitCode::from(2);
                }
            }
            files => {
                let _ = writeln!(
                    stderr,
                    "error: the build produced {} files; give --out DIR to write them",
                    files.len()
                );
                return ExitCode::from(2);
            }
        },
    }
    // The process ends soon after this returns: leave the output to the operating system
    // rather than free it piece by piece.
    std::mem::forget(warned);
    ExitCode::SUCCESS
}

/// Writes `files` under `dir`, reporting each in order. The directories are created first,
/// then the files are written in parallel (a resources-mode build writes hundreds); on a
/// failure the files before it are reported and the first error ends the build.
fn write_files(
    dir: &Utf8Path,
    files: &[OutputFile],
    stderr: &mut impl Write,
) -> Result<(), ExitCode> {
    let paths: Vec<Utf8PathBuf> = files.iter().map(|file| dir.join(&file.path)).collect();
    let mut created: Vec<&Utf8Path> = Vec::new();
    for path in &paths {
        let Some(parent) = path.parent() else {
            continue;
        };
        if created.contains(&parent) {
            continue;
        }
        if let Err(error) = std::fs::create_dir_all(parent) {
            let _ = writeln!(stderr, "error: cannot write {path}: {error}");
            return Err(ExitCode::from(2));
        }
        created.push(parent);
    }
    let results: Vec<std::io::Result<()>> = paths
        .par_iter()
        .zip(files)
        .map(|(path, file)| std::fs::write(path, &file.contents))
        .collect();
    for (path, result) in paths.iter().zip(results) {
        if let Err(error) = result {
            let _ = writeln!(stderr, "error: cannot write {path}: {error}");
            return Err(ExitCode::from(2));
        }
        let _ = writeln!(stderr, "wrote {path}");
    }
    Ok(())
}

/// Builds the chosen target from the checked APIs.
fn emit(
    args: &BuildArgs,
    apis: &[Api],
    cfn_options: &CloudFormationOptions,
) -> Result<Warned<Vec<OutputFile>>, EmitError> {
    match args.target {
        BuildTarget::Cloudformation => cloudformation::emit(apis, cfn_options),
        BuildTarget::Sam => sam::emit(apis, cfn_options),
        BuildTarget::Openapi => openapi::emit(
            apis,
            &OpenApiOptions {
                format: cfn_options.format,
            },
        ),
        BuildTarget::Terraform => terraform::emit(apis, &TerraformOptions::from(cfn_options)),
        BuildTarget::Emulator => {
            let plan = apigw_emulator::resolve(
                apis,
                &apigw_emulator::PlanOptions {
                    stage: args.stage.clone(),
                },
            );
            Ok(Warned {
                output: vec![OutputFile {
                    path: "apigw-emulator.json".into(),
                    contents: plan.to_json(),
                }],
                warnings: Vec::new(),
                notes: Vec::new(),
            })
        }
    }
}
