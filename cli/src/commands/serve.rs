//! `apigw serve PATH [--port 3000] [--stage NAME] [--functions FILE]`: compiles the API (or
//! reads a plan written by `apigw build --target emulator`) and serves it on loopback as API
//! Gateway would, printing a route table, the handlers' output and access logs; reloads when a
//! source file changes.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use apigw_compiler::{compile, Compilation, FsWorld, Options};
use apigw_emulator::log::{Line, Source};
use apigw_emulator::plan::{ApiKind, Plan, PlanOptions};
use apigw_emulator::watch::{self, Compiled, Report};
use apigw_emulator::{FunctionBindings, ServeOptions, Server};
use camino::Utf8PathBuf;
use clap::Args;

/// Arguments of `apigw serve`.
#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    /// The OpenAPI / Swagger document or CloudFormation / SAM template to serve.
    pub path: Utf8PathBuf,
    /// Port of the first API; each further API takes the next port. 0 picks free ports.
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// The stage to serve (default: the first declared, else `dev`, or `$default` for HTTP APIs).
    #[arg(long)]
    pub stage: Option<String>,
    /// Where functions run locally: YAML mapping a function name or ARN to `runtime:` +
    /// `handler:` + `code:`, `bootstrap:`, `command:` or `url:`.
    #[arg(long, value_name = "FILE")]
    pub functions: Option<Utf8PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Most instances of one function running at once.
    #[arg(long, default_value_t = 10)]
    pub max_instances: usize,
    /// Do not watch the files for changes.
    #[arg(long)]
    pub no_reload: bool,
}

/// Runs `apigw serve` until Ctrl-C: 0 after a clean stop, 1 when the API has errors, 2 when it
/// cannot be read or served.
pub fn run(args: ServeArgs) -> ExitCode {
    let first = match compile_for_serving(&args) {
        Ok(compiled) => compiled,
        Err((message, code)) => {
            eprintln!("{message}");
            return ExitCode::from(code);
        }
    };
    if first.plan.apis.is_empty() {
        eprintln!("error: {} holds no API to serve", args.path);
        return ExitCode::from(1);
    }
    let base_dir = args
        .path
        .parent()
        .map(|dir| dir.as_std_path().to_path_buf())
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    // Handler processes run in their code directory, so relative paths must not be resolved
    // twice: anchor the spec's directory once, here.
    let base_dir = std::fs::canonicalize(&base_dir).unwrap_or(base_dir);
    let options = ServeOptions {
        host: args.host,
        port: args.port,
        stage: args.stage.clone(),
        max_instances: args.max_instances,
        base_dir,
        runtime_dir: None,
        sink: std::sync::Arc::new(print_line),
    };
    let watch = (!args.no_reload).then(|| Duration::from_millis(500));
    let reload_args = args.clone();
    let result = watch::run(
        first,
        move || compile_for_serving(&reload_args).map_err(|(message, _)| message),
        watch,
        options,
        |report| match report {
            Report::Started(server) => print_routes(server, "Serving"),
            Report::Reloaded(server) => print_routes(server, "Reloaded"),
            Report::ReloadFailed(message) => {
                eprintln!("{message}\n[apigw] reload failed; still serving the previous version")
            }
            Report::Stopping => eprintln!("[apigw] stopping"),
        },
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = format!("error: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!("\n  caused by: {cause}"));
                source = cause.source();
            }
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Compiles the API and applies the `--functions` bindings. Errors come back rendered, with the
/// exit code they deserve.
fn compile_for_serving(args: &ServeArgs) -> Result<Compiled, (String, u8)> {
    if let Some(plan) = read_plan(args)? {
        return Ok(plan);
    }
    let compilation: Compilation = compile(&FsWorld, &args.path, &Options::default());
    let mut problems = String::new();
    for diagnostic in &compilation.diagnostics {
        problems.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            diagnostic.location.file,
            diagnostic.location.line,
            diagnostic.location.column,
            diagnostic.severity,
            diagnostic.code,
            diagnostic.message
        ));
    }
    if compilation.has_errors() {
        return Err((
            format!(
                "{problems}error: {} has errors; fix them to serve it",
                args.path
            ),
            1,
        ));
    }
    if !problems.is_empty() {
        eprint!("{problems}");
    }
    let mut apis = compilation.apis;
    let mut files: Vec<PathBuf> = compilation
        .sources
        .iter()
        .map(|source| source.path.as_std_path().to_path_buf())
        .collect();
    if !files.iter().any(|file| file == args.path.as_std_path()) {
        files.push(args.path.as_std_path().to_path_buf());
    }
    if let Some(bindings) = read_bindings(args)? {
        for unused in bindings.apply(&mut apis) {
            warn_unused(args, &unused);
        }
    }
    if let Some(bindings_path) = &args.functions {
        files.push(bindings_path.as_std_path().to_path_buf());
    }
    let plan = apigw_emulator::resolve(
        &apis,
        &PlanOptions {
            stage: args.stage.clone(),
        },
    );
    Ok(Compiled { plan, files })
}

fn read_bindings(args: &ServeArgs) -> Result<Option<FunctionBindings>, (String, u8)> {
    let Some(bindings_path) = &args.functions else {
        return Ok(None);
    };
    FunctionBindings::read(bindings_path.as_std_path())
        .map(Some)
        .map_err(|error| {
            let mut message = format!("error: {error}");
            if let Some(cause) = std::error::Error::source(&error) {
                message.push_str(&format!(": {cause}"));
            }
            (message, 2)
        })
}

fn warn_unused(args: &ServeArgs, unused: &str) {
    if let Some(bindings_path) = &args.functions {
        eprintln!("[apigw] warning: {bindings_path}: `{unused}` names no function of the API");
    }
}

/// A plan written by `apigw build --target emulator` is served as it is (with `--functions`
/// bindings applied on top). `None` when the file is not a plan.
fn read_plan(args: &ServeArgs) -> Result<Option<Compiled>, (String, u8)> {
    let Ok(text) = std::fs::read_to_string(&args.path) else {
        // The compiler reports unreadable files with its own diagnostic.
        return Ok(None);
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Ok(None);
    };
    if value.get("apigw_emulator_plan").is_none() {
        return Ok(None);
    }
    let mut plan: Plan = serde_json::from_value(value).map_err(|error| {
        (
            format!("error: {} is not a valid emulator plan: {error}", args.path),
            2,
        )
    })?;
    if let Some(bindings) = read_bindings(args)? {
        for unused in bindings.apply_to_plan(&mut plan) {
            warn_unused(args, &unused);
        }
    }
    let mut files = vec![args.path.as_std_path().to_path_buf()];
    if let Some(bindings_path) = &args.functions {
        files.push(bindings_path.as_std_path().to_path_buf());
    }
    Ok(Some(Compiled { plan, files }))
}

fn print_line(line: Line) {
    match line.source {
        Source::Function(name) => eprintln!("[{name}] {}", line.text),
        Source::Access(api) => eprintln!("[{api}] {}", line.text),
        Source::Gateway => eprintln!("[apigw] {}", line.text),
    }
}

fn print_routes(server: &Server, verb: &str) {
    let routes = server.routes();
    let plan = server.plan();
    println!("{verb} {} API(s):", plan.apis.len());
    for api in &plan.apis {
        let kind = match api.kind {
            ApiKind::Rest => "REST",
            ApiKind::Http => "HTTP",
        };
        let address = server
            .address(&api.name)
            .map_or_else(|| "-".to_string(), |address| address.to_string());
        println!(
            "\n  {kind} API {}  (stage {}, http://{address})",
            api.name, api.stage.name
        );
        let width = routes
            .iter()
            .filter(|route| route.api == api.name)
            .map(|route| route.url.len())
            .max()
            .unwrap_or(0);
        for route in routes.iter().filter(|route| route.api == api.name) {
            let method = route.route_key.split(' ').next().unwrap_or("");
            println!("    {method:<8} {:<width$}  {}", route.url, route.target);
        }
    }
    println!();
}
