//! `apigw check`: find the files, compile them in parallel, render every diagnostic, pick the
//! exit status. Which problems exist is the compiler's business; this only chooses what to show.

use std::io::{self, Write};

use apigw_compiler::rules::structure::{
    EmptyDocument, InputLimitExceeded, InvalidEncoding, SyntaxError, UnrecognizedDocument,
};
use apigw_compiler::{compile, Compilation, FsWorld, Options};
use rayon::prelude::*;

use super::Outcome;
use crate::args::{CheckArgs, Format};
use crate::render::{self, human::Summary, Palette};
use crate::walk::{self, Input};

/// Top-level keys that make a document a spec or a template: the compiler's own detection,
/// used here only to sniff a file found in a directory that could not be parsed at all.
const DOCUMENT_KEYS: &[&str] = &[
    "openapi",
    "swagger",
    "swaggerVersion",
    "Resources",
    "AWSTemplateFormatVersion",
];

pub fn run(args: &CheckArgs, palette: Palette, out: &mut dyn Write) -> io::Result<Outcome> {
    let walked = walk::walk(&args.paths);
    for error in &walked.errors {
        report_error(error);
    }
    let options = Options::default();
    let compilations: Vec<Compilation> = walked
        .inputs
        .par_iter()
        .filter_map(|input| {
            let compilation = compile(&FsWorld, &input.path, &options);
            is_reported(input, &compilation).then_some(compilation)
        })
        .collect();
    if compilations.is_empty() && walked.errors.is_empty() {
        eprintln!("warning: no OpenAPI documents or templates found in the given paths");
    }
    match args.format {
        Format::Human => render::human::render(out, &compilations, palette)?,
        Format::Json => render::json::render(out, &compilations)?,
    }
    out.flush()?;
    let summary = Summary::of(&compilations);
    Ok(if !walked.errors.is_empty() {
        Outcome::Failure
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// Whether `input`'s diagnostics are shown. A file named on the command line always is. A file
/// found in a directory is skipped when it is neither a spec nor a template (a `package.json`,
/// a workflow file), or empty; when it cannot be parsed at all, it is shown only if its text has
/// a key that marks a spec or a template, so a broken spec is never skipped silently.
fn is_reported(input: &Input, compilation: &Compilation) -> bool {
    if input.explicit {
        return true;
    }
    let about_input = |code: &str| {
        compilation
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == code && diagnostic.location.file == input.path)
    };
    if about_input(UnrecognizedDocument::META.code) || about_input(EmptyDocument::META.code) {
        return false;
    }
    let unparsed = compilation.apis.is_empty()
        && [
            SyntaxError::META,
            InvalidEncoding::META,
            InputLimitExceeded::META,
        ]
        .iter()
        .any(|rule| about_input(rule.code));
    if unparsed {
        return compilation
            .sources
            .iter()
            .find(|source| source.path == input.path)
            .is_some_and(|source| mentions_document_key(&source.text));
    }
    true
}

/// Whether some line of `text` starts (after indentation and an opening quote) with one of the
/// [`DOCUMENT_KEYS`] followed by a colon.
fn mentions_document_key(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start().trim_start_matches(['"', '\'']);
        DOCUMENT_KEYS.iter().any(|key| {
            line.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        })
    })
}

fn report_error(error: &dyn std::error::Error) {
    let mut message = format!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    eprintln!("{message}");
}
