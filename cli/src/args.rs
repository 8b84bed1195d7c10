//! The command line: every command and option, with the text `--help` shows. Parsing only; what
//! a command does lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "apigw",
    version,
    about = "Check, build and serve AWS API Gateway APIs: OpenAPI 3.0, Swagger 2.0, CloudFormation/SAM templates and apigw's DSL",
    long_about = "\
apigw reads one API: an OpenAPI 3.0 or Swagger 2.0 document with x-amazon-apigateway-* \
extensions, a CloudFormation/SAM template that embeds one, or apigw's own short YAML language. \
From that one model it checks the API as API Gateway would (every problem at file:line:col), \
builds the CloudFormation, SAM or Terraform that deploys it and the OpenAPI that \
`aws apigateway import-rest-api` accepts, and serves it on localhost in front of real Lambda \
handlers and HTTP backends.

Examples:
  apigw check .                          check every spec and template below the current directory
  apigw check --fix openapi.yaml         check, applying the safe fixes in place
  apigw build openapi.yaml --target cloudformation --out build/
  apigw build openapi.yaml --target terraform --out infra/
  apigw serve api.yaml                   run the API on http://127.0.0.1:3000
  apigw init pets                        start a new API in the DSL
  apigw convert openapi.yaml --to dsl    lift an OpenAPI document into the DSL
  apigw rules                            list every rule
  apigw explain APIGW101                 explain a rule (by code or by name)",
    after_help = "Exit status: 0 no errors, 1 errors found, 2 usage or I/O error."
)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check specs and templates; report every problem at file:line:col.
    #[command(long_about = "\
Check specs and templates; report every problem at file:line:col.

Each PATH is a file or a directory. A directory is searched recursively for files ending in \
.yaml, .yml, .json, .tpl, .tftpl or .template; of those, only OpenAPI/Swagger documents (a top-level \
`openapi`, `swagger` or `swaggerVersion` key) and CloudFormation/SAM templates (`Resources` or \
`AWSTemplateFormatVersion`) are checked, and the rest are skipped silently. Hidden directories, \
target/ and node_modules/ are not searched. A file named on the command line is always checked, \
and one that is neither a spec nor a template is reported as `unrecognized-document`.

Files are checked in parallel; output is sorted by path, then by line and column.

Configuration: the nearest `apigw.toml` above each checked file (or --config FILE) selects \
rules, changes severities and excludes files:

  select = [\"ALL\"]                        # codes, code prefixes (APIGW7) or names
  ignore = [\"unused-model\"]
  exclude = [\"vendor/**\"]                 # relative to apigw.toml
  [severity]
  route-without-authorization = \"error\"
  [per-file-ignores]
  \"legacy/*.yaml\" = [\"APIGW701\"]

A node's `x-apigw-ignore: [CODE or name, ...]` silences those rules on it and below it.

Examples:
  apigw check openapi.yaml
  apigw check examples/ infra/template.yaml
  apigw check --deny-warnings .          fail CI on warnings too
  apigw check --fix openapi.yaml         apply the safe fixes in place
  apigw check --format sarif . > apigw.sarif
  apigw check --format github .          annotations in a GitHub Actions job
  apigw check --format json . | jq '.[] | select(.severity == \"error\")'

Exit status: 0 when there is no error (warnings allowed unless --deny-warnings), 1 when any \
error is found, 2 when a PATH or an apigw.toml cannot be read, an apigw.toml is wrong, or the \
arguments are wrong.")]
    Check(CheckArgs),

    /// List every rule: code, name, default severity and summary.
    #[command(long_about = "\
List every rule: code, name, default severity and summary.

Codes are grouped by area and never reused: APIGW0xx loading and structure, 1xx integrations, \
2xx authorizers, 3xx paths and routes, 4xx models and validation, 5xx CORS and gateway responses, \
6xx quotas, 7xx security, 8xx likely bugs.

Example:
  apigw rules | grep warning")]
    Rules,

    /// Explain a rule: why it exists, a failing and a passing example.
    #[command(long_about = "\
Explain a rule: why it exists, a failing and a passing example.

CODE is a rule's code (APIGW011, case-insensitive) or its name (wrong-type), as printed in \
square brackets by `apigw check`. The same text is in docs/rules/CODE.md.

Examples:
  apigw explain APIGW011
  apigw explain duplicate-key")]
    Explain(ExplainArgs),

    /// Build CloudFormation, SAM, Terraform, OpenAPI or the emulator configuration.
    #[command(long_about = "\
Build CloudFormation, SAM, Terraform, OpenAPI or the emulator configuration from a spec, template or DSL file.

The input is checked first; a build with errors writes nothing and exits 1.

Examples:
  apigw build openapi.yaml --target cloudformation --out build/
  apigw build openapi.yaml --target cloudformation --mode resources --format json
  apigw build template.yaml --target sam --out build/
  apigw build openapi.yaml --target openapi > import.yaml
  apigw build openapi.yaml --target terraform --out infra/
  apigw build api.yaml --target emulator > apigw-emulator.json")]
    Build(crate::commands::build::BuildArgs),

    /// Serve the API on localhost in front of real Lambda handlers and HTTP backends.
    #[command(long_about = "\
Serve the API on localhost as API Gateway would, in front of real Lambda handlers and HTTP \
backends, with no Docker and no AWS account.

Every REST and HTTP API in the file is served on 127.0.0.1 (one port each, from --port up); the \
route table with each route's local URL is printed at start. The spec is watched and routes are \
reloaded on change without dropping connections. Functions run where the DSL says, or where a \
--functions file says for an OpenAPI document or template:

  # functions.yaml
  PetsFunction: {runtime: python3.12, handler: app.handler, code: ./src}
  arn:aws:lambda:us-east-1:123456789012:function:orders: {command: [./orders]}
  auth: {url: http://127.0.0.1:9001}

Examples:
  apigw serve api.yaml
  apigw serve openapi.yaml --functions functions.yaml --port 8080 --stage prod")]
    Serve(crate::commands::serve::ServeArgs),

    /// Write a starter DSL project (api.yaml and a handler) that `apigw serve` runs.
    #[command(long_about = "\
Write a starter project: an api.yaml in apigw's DSL and a Python handler that `apigw serve` runs \
straight away.

Examples:
  apigw init                      a REST API in the current directory
  apigw init --kind http my-api   an HTTP API in ./my-api")]
    Init(crate::commands::init::InitArgs),

    /// Convert between OpenAPI (or a template embedding it) and apigw's DSL.
    #[command(long_about = "\
Convert between OpenAPI (or a CloudFormation/SAM template embedding a spec) and apigw's DSL. \
Paths and keys keep the order the source had. Output goes to standard output unless -o is given.

Examples:
  apigw convert openapi.yaml --to dsl -o api.yaml
  apigw convert api.yaml --to openapi > openapi.yaml")]
    Convert(crate::commands::convert::ConvertArgs),

    /// Print the JSON Schema of apigw's DSL (for editors).
    #[command(long_about = "\
Print the JSON Schema of apigw's DSL, for editors: with the YAML extension for VS Code, add \
`# yaml-language-server: $schema=<path to the schema>` at the top of api.yaml.

Examples:
  apigw schema > apigw.schema.json")]
    Schema(crate::commands::schema::SchemaArgs),

    /// Write docs/rules/*.md from the rules' documentation.
    #[command(hide = true)]
    DocGen(DocGenArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format: `human` (rustc-style, for terminals), `json` (an array of diagnostics, for
    /// tools), `sarif` (SARIF 2.1.0, for code-scanning dashboards) or `github` (workflow
    /// annotations that GitHub Actions shows on the pull request's lines).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Apply the fixes that are mechanical and safe, in place, keeping comments and formatting;
    /// then report what is left.
    #[arg(long)]
    pub fix: bool,

    /// Use this configuration file instead of the `apigw.toml` found from each checked file's
    /// directory upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every `apigw.toml`: run every rule at its default severity.
    #[arg(long)]
    pub no_config: bool,

    /// Skip files named on the command line that are neither specs, templates nor apigw DSL
    /// files, as a directory search does, instead of reporting them. For pre-commit and other
    /// callers that pass every staged YAML and JSON file.
    #[arg(long)]
    pub skip_unrecognized: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule's code (APIGW011) or name (wrong-type).
    #[arg(value_name = "CODE|NAME")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct DocGenArgs {
    /// Directory to write the pages into.
    #[arg(long, value_name = "DIR", default_value = "docs/rules")]
    pub out: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text: the rule, the message, the source line with a caret, help.
    Human,
    /// A JSON array of diagnostics (code, name, severity, message, file, line, column, pointer,
    /// help, related, fix).
    Json,
    /// A SARIF 2.1.0 log: every rule with its help and page, every result with its location.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`), one line per diagnostic.
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to write ANSI colours to standard output.
    pub fn resolve(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // https://no-color.org: any non-empty NO_COLOR turns colour off.
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}
