//! `apigw init [--kind rest|http|websocket] [DIR]`: writes a starter `api.yaml` and the
//! `handler.py` its routes invoke, ready for `apigw check` and `apigw serve`. It never
//! overwrites a file unless told to.

use std::io::Write;
use std::process::ExitCode;

use apigw_compiler::frontend::dsl;
use apigw_compiler::ir::ApiKind;
use camino::Utf8PathBuf;
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InitKind {
    /// API Gateway v1 (`AWS::ApiGateway::RestApi`).
    Rest,
    /// API Gateway v2, protocol HTTP.
    Http,
    /// API Gateway v2, protocol WEBSOCKET.
    Websocket,
}

/// Arguments of `apigw init`.
#[derive(Clone, Debug, Args)]
pub struct InitArgs {
    /// The kind of API to start.
    #[arg(long, value_enum, default_value = "rest")]
    pub kind: InitKind,
    /// The directory to write to (created when missing); the API is named after it.
    #[arg(default_value = ".")]
    pub dir: Utf8PathBuf,
    /// Overwrite `api.yaml` and `handler.py` when they exist.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let kind = match args.kind {
        InitKind::Rest => ApiKind::Rest,
        InitKind::Http => ApiKind::Http,
        InitKind::Websocket => ApiKind::Websocket,
    };
    let name = api_name(&args.dir);
    let files = dsl::starter(kind, &name);
    if !args.force {
        let existing: Vec<String> = files
            .iter()
            .map(|(file, _)| args.dir.join(file))
            .filter(|path| path.exists())
            .map(|path| path.to_string())
            .collect();
        if !existing.is_empty() {
            let _ = writeln!(
                stderr,
                "error: {} already exist{}; nothing was written (use --force to overwrite)",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            );
            return ExitCode::from(2);
        }
    }
    if let Err(error) = std::fs::create_dir_all(&args.dir) {
        let _ = writeln!(stderr, "error: cannot create {}: {error}", args.dir);
        return ExitCode::from(2);
    }
    for (file, text) in &files {
        let path = args.dir.join(file);
        if let Err(error) = std::fs::write(&path, text) {
            let _ = writeln!(stderr, "error: cannot write {path}: {error}");
            return ExitCode::from(2);
        }
        let _ = writeln!(stderr, "wrote {path}");
    }
    let api = args.dir.join("api.yaml");
    let _ = writeln!(
        stderr,
        "next: `apigw check {api}`, then `apigw serve {api}`; the language is described in docs/dsl.md"
    );
    ExitCode::SUCCESS
}

/// The API's name: the directory's own name (the current directory's for `.`), else `api`.
fn api_name(dir: &Utf8PathBuf) -> String {
    let absolute = if dir.is_absolute() {
        Some(dir.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| Utf8PathBuf::try_from(cwd).ok())
            .map(|cwd| cwd.join(dir))
    };
    absolute
        .as_ref()
        .and_then(|path| {
            path.components()
                .rev()
                .map(|component| component.as_str())
                .find(|part| !matches!(*part, "." | "/" | ""))
                .map(str::to_owned)
        })
        .filter(|name| name != "..")
        .unwrap_or_else(|| "api".to_owned())
}
