//! `apigw convert FILE --to dsl|openapi [-o OUT]`: lifts an OpenAPI 3.0 or Swagger 2.0
//! document, or the spec a CloudFormation/SAM template embeds, into apigw's DSL; or turns a DSL
//! document into OpenAPI 3.0 with API Gateway's extensions. Paths and keys keep the source's
//! order. The result goes to standard output unless `-o` names a file.
//!
//! The conversions themselves live in the compiler (`frontend::dsl`); this command reads,
//! renders and writes.

use std::io::Write;
use std::process::ExitCode;

use apigw_compiler::frontend::dsl::{self, ConversionError};
use apigw_compiler::ir::{Api, Expr, TemplatePart};
use apigw_compiler::{FsWorld, Options, Severity};
use apigw_targets::openapi::{self, RenderExpr};
use apigw_targets::yaml::{self, Style};
use camino::Utf8PathBuf;
use clap::{Args, ValueEnum};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConvertTo {
    /// apigw's DSL.
    Dsl,
    /// OpenAPI 3.0 with `x-amazon-apigateway-*` extensions.
    Openapi,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConvertFormat {
    Yaml,
    Json,
}

/// Arguments of `apigw convert`.
#[derive(Clone, Debug, Args)]
pub struct ConvertArgs {
    /// The document to convert: OpenAPI, Swagger, a template embedding a spec, or a DSL file.
    pub path: Utf8PathBuf,
    /// What to convert to.
    #[arg(long, value_enum)]
    pub to: ConvertTo,
    /// The file to write; standard output when absent.
    #[arg(short = 'o', long = "out")]
    pub out: Option<Utf8PathBuf>,
    /// The API to convert when the file holds several (a template's logical id, else the
    /// API's title).
    #[arg(long = "api", value_name = "NAME")]
    pub api: Option<String>,
    /// Output format (default: from the `-o` extension, else YAML).
    #[arg(long, value_enum)]
    pub format: Option<ConvertFormat>,
}

pub fn run(args: ConvertArgs) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let options = Options::default();
    let conversion = match args.to {
        ConvertTo::Dsl => dsl::from_openapi(
            &FsWorld,
            &args.path,
            &options,
            args.api.as_deref(),
            &|api: &Api| openapi::document(api, &mut Exact),
        ),
        ConvertTo::Openapi => dsl::to_openapi(&FsWorld, &args.path, &options),
    };
    for diagnostic in &conversion.compilation.diagnostics {
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
    let has_errors = conversion
        .compilation
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity == Severity::Error);
    let names: Vec<&str> = conversion
        .compilation
        .apis
        .iter()
        .map(|api| api.name.as_str())
        .collect();
    let document = match (conversion.document, conversion.error) {
        (Some(document), _) if !has_errors => document,
        (_, error) => {
            let listed = || format!("`{}`", names.join("`, `"));
            let reason: std::borrow::Cow<'_, str> = match error {
                Some(ConversionError::SeveralApis) => format!(
                    "it holds {} APIs ({}); pick one with `--api NAME`",
                    names.len(),
                    listed()
                )
                .into(),
                Some(ConversionError::NoSuchApi) => format!(
                    "it holds no API named `{}`; it holds {}",
                    args.api.as_deref().unwrap_or_default(),
                    listed()
                )
                .into(),
                Some(ConversionError::NotDsl) => {
                    "it is not an apigw DSL document (`apigw: 1`); convert it `--to dsl`".into()
                }
                Some(ConversionError::Websocket) => {
                    "WebSocket APIs have no OpenAPI form: API Gateway imports none".into()
                }
                Some(ConversionError::NoApi) => "it holds no API".into(),
                Some(ConversionError::Errors) | None => "it has errors".into(),
            };
            let _ = writeln!(stderr, "error: {} was not converted: {reason}", args.path);
            return ExitCode::from(if has_errors { 1 } else { 2 });
        }
    };
    if !conversion.not_carried.is_empty() {
        let converted = conversion.api.as_deref().unwrap_or("the API");
        let _ = writeln!(
            stderr,
            "warning: the DSL written for `{converted}` does not carry what {} also says of it: {}",
            args.path,
            conversion.not_carried.join(", ")
        );
        let _ = writeln!(
            stderr,
            "  help: keep those in the template, or add them to the DSL by hand (see docs/dsl.md)"
        );
    }
    let format = args
        .format
        .unwrap_or(match args.out.as_ref().and_then(|out| out.extension()) {
            Some("json") => ConvertFormat::Json,
            _ => ConvertFormat::Yaml,
        });
    let text = match format {
        ConvertFormat::Json => match serde_json::to_string_pretty(&document) {
            Ok(text) => text + "\n",
            Err(error) => {
                let _ = writeln!(stderr, "error: cannot write JSON: {error}");
                return ExitCode::from(2);
            }
        },
        ConvertFormat::Yaml => yaml::to_string(
            &document,
            Style {
                short_form_intrinsics: true,
            },
        ),
    };
    let written = match &args.out {
        Some(out) => {
            std::fs::write(out, &text).map_err(|error| format!("cannot write {out}: {error}"))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write to standard output: {error}"))
                }
                _ => Ok(()),
            }
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes deploy-time values so that reading the document back gives the same values: plain
/// text with `${name}` placeholders where that reads back exactly, else the CloudFormation
/// intrinsic (`Ref`, `Fn::GetAtt`, `Fn::Sub`) that does.
struct Exact;

impl RenderExpr for Exact {
    fn render(&mut self, expr: &Expr, _context: &str) -> Value {
        match expr {
            Expr::Literal { .. } => json!(openapi::placeholder_text(expr)),
            Expr::Ref { name } if is_placeholder_name(name) => json!(format!("${{{name}}}")),
            Expr::Ref { name } => json!({"Ref": name}),
            Expr::GetAtt {
                resource,
                attribute,
            } => json!({"Fn::GetAtt": [resource, attribute]}),
            Expr::Template { parts } => {
                let plain = parts.iter().all(|part| match part {
                    TemplatePart::Text { .. } => true,
                    TemplatePart::Ref { name } => is_placeholder_name(name),
                    _ => false,
                });
                if plain {
                    return json!(openapi::placeholder_text(expr));
                }
                let mut text = String::new();
                let mut bindings = serde_json::Map::new();
                for part in parts {
                    match part {
                        TemplatePart::Text { value } => text.push_str(&value.replace("${", "${!")),
                        TemplatePart::Ref { name } => text.push_str(&format!("${{{name}}}")),
                        TemplatePart::GetAtt {
                            resource,
                            attribute,
                        } => text.push_str(&format!("${{{resource}.{attribute}}}")),
                        TemplatePart::Bound { name, value } => {
                            text.push_str(&format!("${{{name}}}"));
                            bindings.insert(name.clone(), self.render(value, _context));
                        }
                    }
                }
                if bindings.is_empty() {
                    json!({"Fn::Sub": text})
                } else {
                    json!({"Fn::Sub": [text, bindings]})
                }
            }
            Expr::Intrinsic { function, value } => json!({ function: value }),
        }
    }
}

/// What a plain `${name}` reads back as: an identifier without dots or colons.
fn is_placeholder_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
