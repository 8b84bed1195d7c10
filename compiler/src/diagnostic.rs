//! Diagnostics are data: a rule's code and name, a severity, a message, where, and what to do.
//! Rendering (human, JSON, SARIF, GitHub annotations) happens in the CLI.

use std::fmt;

use camino::Utf8PathBuf;
use serde::Serialize;

use crate::ir::Origin;
use crate::pointer::Pointer;
use crate::rules::RuleMeta;
use crate::source::FileId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A resolved place in a source file. Lines and columns are 1-based; the column counts
/// characters, as editors do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: Utf8PathBuf,
    pub pointer: Pointer,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// A mechanical, safe change that resolves the problem, which `apigw check --fix` applies.
    pub fix: Option<Fix>,
}

/// A fix: replacements of byte ranges in source files, keeping everything else (comments,
/// formatting, key order) as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, for `--fix` output ("set `httpMethod` to `POST`").
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub file: Utf8PathBuf,
    /// Byte offsets into the file: `start..end` is replaced by `replacement`.
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A fix before the session resolves where its nodes lie: each scalar named by an origin gets a
/// new value, written in the quoting style the old one had.
#[derive(Clone, Debug)]
pub(crate) struct PendingFix {
    pub description: String,
    pub replacements: Vec<(At, String)>,
}

/// Where a pending diagnostic points before the compiler resolves it to a line and column.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum At {
    /// A node of a loaded file, by pointer.
    Node(FileId, Pointer),
    /// A place the loader found directly (a syntax error has no node to point at).
    Text {
        file: FileId,
        pointer: Pointer,
        line: u32,
        column: u32,
    },
    /// A file that could not be loaded at all.
    File(Utf8PathBuf),
}

/// A diagnostic under construction: rule, place, message, help. The compiler resolves `at` to a
/// [`Location`] once every file is loaded.
#[derive(Clone, Debug)]
pub struct Pending {
    pub(crate) rule: &'static RuleMeta,
    pub(crate) at: At,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) related: Vec<(At, String)>,
    pub(crate) fix: Option<PendingFix>,
}

impl Pending {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(&mut self, origin: &Origin, message: impl Into<String>) -> &mut Self {
        self.related.push((
            At::Node(origin.file, origin.pointer.clone()),
            message.into(),
        ));
        self
    }

    /// Offers a fix that sets the scalar at `origin` to `value` (a string, number or boolean as
    /// text; the source's quoting style is kept). Only for changes that are certainly right: the
    /// fix is applied without review by `apigw check --fix`.
    pub fn fix(
        &mut self,
        description: impl Into<String>,
        origin: &Origin,
        value: impl Into<String>,
    ) -> &mut Self {
        self.fix = Some(PendingFix {
            description: description.into(),
            replacements: vec![(At::Node(origin.file, origin.pointer.clone()), value.into())],
        });
        self
    }

    pub fn rule(&self) -> &'static RuleMeta {
        self.rule
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Collects diagnostics while a stage runs. Stages never stop at the first problem: they return
/// what they built together with everything they saw.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub(crate) pending: Vec<Pending>,
}

impl Report {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reports `message` at the IR node's source.
    pub fn push(
        &mut self,
        rule: &'static RuleMeta,
        origin: &Origin,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.push_at(rule, At::Node(origin.file, origin.pointer.clone()), message)
    }

    pub(crate) fn push_at(
        &mut self,
        rule: &'static RuleMeta,
        at: At,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.pending.push(Pending {
            rule,
            at,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        });
        // The vector is non-empty: an element was pushed on the line above.
        let last = self.pending.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "index of the element just pushed")]
        &mut self.pending[last]
    }

    pub fn extend(&mut self, other: Report) {
        self.pending.extend(other.pending);
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Pending> {
        self.pending.iter()
    }

    pub fn has_errors(&self) -> bool {
        self.pending
            .iter()
            .any(|p| p.rule.severity == Severity::Error)
    }
}

/// `text` with `edits` applied (all for the same file). Of edits that overlap, the one that
/// starts first is taken; an edit that does not fall on character boundaries inside the text is
/// left out. Returns the new text and how many edits it took.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    sorted.dedup_by(|a, b| a == b);
    let mut taken: Vec<&Edit> = Vec::new();
    let mut free_from = 0;
    for edit in sorted {
        let fits = edit.start >= free_from
            && edit.start <= edit.end
            && edit.end <= text.len()
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.end);
        if fits {
            free_from = edit.end.max(edit.start + 1);
            taken.push(edit);
        }
    }
    let mut out = text.to_owned();
    for edit in taken.iter().rev() {
        out.replace_range(edit.start..edit.end, &edit.replacement);
    }
    (out, taken.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> Edit {
        Edit {
            file: Utf8PathBuf::from("a.yaml"),
            start,
            end,
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn applies_from_the_end_and_skips_overlaps_and_duplicates() {
        let text = "httpMethod: GET\ntype: AWS\n";
        let a = edit(12, 15, "POST");
        let b = edit(22, 25, "aws");
        let overlapping = edit(13, 14, "x");
        let (fixed, applied) = apply_edits(text, &[&a, &b, &overlapping, &a]);
        assert_eq!(fixed, "httpMethod: POST\ntype: aws\n");
        assert_eq!(applied, 2);
        let (unchanged, applied) = apply_edits(text, &[&edit(20, 99, "x")]);
        assert_eq!((unchanged.as_str(), applied), (text, 0));
    }
}
