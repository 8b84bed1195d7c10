//! `apigw schema [--extensions]`: prints the JSON Schema of apigw's DSL (for editors: VS Code's
//! YAML extension completes and checks `api.yaml` with it), or of API Gateway's OpenAPI
//! extensions.

use std::io::Write;
use std::process::ExitCode;

use apigw_compiler::frontend::dsl;
use clap::Args;

/// Arguments of `apigw schema`.
#[derive(Clone, Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of the `x-amazon-apigateway-*` OpenAPI extensions instead.
    #[arg(long)]
    pub extensions: bool,
}

pub fn run(args: SchemaArgs) -> ExitCode {
    let schema = if args.extensions {
        dsl::EXTENSIONS_SCHEMA
    } else {
        dsl::SCHEMA
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(schema.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`apigw schema | head`) is not a failure.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: cannot write the schema: {error}");
            ExitCode::from(2)
        }
    }
}
