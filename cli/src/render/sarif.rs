//! `--format sarif`: a SARIF 2.1.0 log for code-scanning dashboards. One run; its driver lists
//! every rule (id, name, summary, the whole explanation as help, a link to the rule's page) and
//! each result points at the file, line and column, with the JSON Pointer as a logical location
//! and the fix, when there is one, as byte-range replacements. The types are this format's own.

use std::io::{self, Write};

use apigw_compiler::rules::{self, RuleMeta};
use apigw_compiler::{Compilation, Diagnostic, Severity};
use serde::Serialize;

use crate::docs;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Where a rule's page is published.
pub fn rule_page_url(code: &str) -> String {
    format!("{INFORMATION_URI}/blob/main/docs/rules/{code}.md")
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    logical_locations: Vec<LogicalLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: ByteRegion,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: usize,
    byte_length: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &'static RuleMeta) -> ReportingDescriptor {
    let markdown = docs::rule_markdown(rule);
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary().to_owned(),
        },
        full_description: Text {
            text: rule.summary().to_owned(),
        },
        help_uri: rule_page_url(rule.code),
        help: Help {
            text: markdown.clone(),
            markdown,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
    }
}

fn location<'a>(
    location: &'a apigw_compiler::diagnostic::Location,
    id: Option<usize>,
    message: Option<String>,
) -> SarifLocation<'a> {
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: location.file.as_str(),
            },
            region: Region {
                start_line: location.line,
                start_column: location.column,
            },
        },
        logical_locations: vec![LogicalLocation {
            fully_qualified_name: location.pointer.as_str(),
            kind: "member",
        }],
        message: message.map(|text| Text { text }),
    }
}

fn result<'a>(diagnostic: &'a Diagnostic, rules: &[&'static RuleMeta]) -> SarifResult<'a> {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    SarifResult {
        rule_id: diagnostic.code,
        rule_index: rules
            .iter()
            .position(|rule| rule.code == diagnostic.code)
            .unwrap_or_default(),
        level: level(diagnostic.severity),
        message: Text { text },
        locations: vec![location(&diagnostic.location, None, None)],
        related_locations: diagnostic
            .related
            .iter()
            .enumerate()
            .map(|(index, related)| {
                location(
                    &related.location,
                    Some(index + 1),
                    Some(related.message.clone()),
                )
            })
            .collect(),
        fixes: diagnostic
            .fix
            .iter()
            .map(|fix| SarifFix {
                description: Text {
                    text: fix.description.clone(),
                },
                artifact_changes: fix
                    .edits
                    .iter()
                    .map(|edit| ArtifactChange {
                        artifact_location: ArtifactLocation {
                            uri: edit.file.as_str(),
                        },
                        replacements: vec![Replacement {
                            deleted_region: ByteRegion {
                                byte_offset: edit.start,
                                byte_length: edit.end.saturating_sub(edit.start),
                            },
                            inserted_content: Text {
                                text: edit.replacement.clone(),
                            },
                        }],
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Writes one SARIF log holding every diagnostic of `compilations`.
pub fn render(out: &mut dyn Write, compilations: &[Compilation]) -> io::Result<()> {
    let rules = rules::all();
    let results = compilations
        .iter()
        .flat_map(|compilation| &compilation.diagnostics)
        .map(|diagnostic| result(diagnostic, &rules))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "apigw",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().copied().map(descriptor).collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
