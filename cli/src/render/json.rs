//! `--format json`: an array of diagnostics. These types are the contract with tools that read
//! the output; they are declared here, not derived from the compiler's, so a change inside the
//! compiler cannot silently change what scripts parse.

use std::io::{self, Write};

use apigw_compiler::diagnostic::Location;
use apigw_compiler::{Compilation, Diagnostic, Severity};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub severity: JsonSeverity,
    pub message: &'a str,
    pub file: &'a str,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    /// RFC 6901 JSON Pointer of the node; `""` is the document root.
    pub pointer: &'a str,
    pub help: Option<&'a str>,
    pub related: Vec<JsonRelated<'a>>,
    /// The safe fix `apigw check --fix` would apply, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonFix<'a> {
    pub description: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

/// Replace the bytes `start..end` of `file` with `replacement`.
#[derive(Debug, Serialize)]
pub struct JsonEdit<'a> {
    pub file: &'a str,
    pub start: usize,
    pub end: usize,
    pub replacement: &'a str,
}

#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    pub message: &'a str,
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
    pub pointer: &'a str,
}

#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonSeverity {
    Error,
    Warning,
    Info,
}

impl From<Severity> for JsonSeverity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => JsonSeverity::Error,
            Severity::Warning => JsonSeverity::Warning,
            Severity::Info => JsonSeverity::Info,
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        let Location {
            file,
            pointer,
            line,
            column,
        } = &diagnostic.location;
        JsonDiagnostic {
            code: diagnostic.code,
            name: diagnostic.name,
            severity: diagnostic.severity.into(),
            message: &diagnostic.message,
            file: file.as_str(),
            line: *line,
            column: *column,
            pointer: pointer.as_str(),
            help: diagnostic.help.as_deref(),
            related: diagnostic
                .related
                .iter()
                .map(|related| JsonRelated {
                    message: &related.message,
                    file: related.location.file.as_str(),
                    line: related.location.line,
                    column: related.location.column,
                    pointer: related.location.pointer.as_str(),
                })
                .collect(),
            fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                description: &fix.description,
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| JsonEdit {
                        file: edit.file.as_str(),
                        start: edit.start,
                        end: edit.end,
                        replacement: &edit.replacement,
                    })
                    .collect(),
            }),
        }
    }
}

/// Writes every diagnostic of `compilations` as one JSON array, in order.
pub fn render(out: &mut dyn Write, compilations: &[Compilation]) -> io::Result<()> {
    let diagnostics: Vec<JsonDiagnostic<'_>> = compilations
        .iter()
        .flat_map(|compilation| &compilation.diagnostics)
        .map(JsonDiagnostic::new)
        .collect();
    serde_json::to_writer_pretty(&mut *out, &diagnostics)?;
    writeln!(out)
}
