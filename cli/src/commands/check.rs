//! `apigw check`: find the files and the `apigw.toml` that governs each, compile them in
//! parallel, apply the safe fixes when asked, render every diagnostic, pick the exit status.
//! Which problems exist is the compiler's business; this only chooses what to show.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use apigw_compiler::config::{self, Config, ConfigError};
use apigw_compiler::diagnostic::{apply_edits, Edit};
use apigw_compiler::rules::structure::{
    EmptyDocument, InputLimitExceeded, InvalidEncoding, SyntaxError, UnrecognizedDocument,
};
use apigw_compiler::{compile, Compilation, FsWorld, Options};
use camino::{Utf8Path, Utf8PathBuf};
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
    let mut configs = match Configs::new(args) {
        Ok(configs) => configs,
        Err(error) => {
            report_error(&error);
            return Ok(Outcome::Failure);
        }
    };
    // Each input with the configuration that governs it, excluded files left out.
    let mut inputs: Vec<(&Input, Option<Arc<Found>>)> = Vec::new();
    for input in &walked.inputs {
        let found = match configs.for_file(&input.path) {
            Ok(found) => found,
            Err(error) => {
                report_error(&error);
                return Ok(Outcome::Failure);
            }
        };
        let excluded = found.as_ref().is_some_and(|found| {
            found
                .relative(&input.path)
                .is_some_and(|relative| found.config.excludes(&relative))
        });
        if !excluded {
            inputs.push((input, found));
        }
    }

    let mut compilations = check_all(&inputs, args.skip_unrecognized);
    if args.fix {
        let fixed = match apply_fixes(&compilations) {
            Ok(fixed) => fixed,
            Err(error) => {
                report_error(&error);
                return Ok(Outcome::Failure);
            }
        };
        if fixed.edits > 0 {
            eprintln!(
                "fixed {} problem{} in {} file{}",
                fixed.edits,
                if fixed.edits == 1 { "" } else { "s" },
                fixed.files,
                if fixed.files == 1 { "" } else { "s" }
            );
            compilations = check_all(&inputs, args.skip_unrecognized);
        }
    }
    if compilations.is_empty() && walked.errors.is_empty() && !args.skip_unrecognized {
        eprintln!("warning: no OpenAPI documents or templates found in the given paths");
    }
    match args.format {
        Format::Human => render::human::render(out, &compilations, palette)?,
        Format::Json => render::json::render(out, &compilations)?,
        Format::Sarif => render::sarif::render(out, &compilations)?,
        Format::Github => render::github::render(out, &compilations)?,
    }
    out.flush()?;
    let summary = Summary::of(&compilations);
    // The process ends once this returns: freeing every tree and string one by one would cost
    // more than a big spec's whole check (a tenth of a second on a 21 MB spec), so leave it to
    // the operating system.
    std::mem::forget(compilations);
    Ok(if !walked.errors.is_empty() {
        Outcome::Failure
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// Compiles every input in parallel and applies its configuration; keeps the reported ones.
fn check_all(inputs: &[(&Input, Option<Arc<Found>>)], skip_unrecognized: bool) -> Vec<Compilation> {
    let options = Options::default();
    inputs
        .par_iter()
        .filter_map(|(input, found)| {
            let mut compilation = compile(&FsWorld, &input.path, &options);
            if !is_reported(input, &compilation, skip_unrecognized) {
                return None;
            }
            if let Some(found) = found {
                found
                    .config
                    .apply(&mut compilation.diagnostics, |file| found.relative(file));
            }
            Some(compilation)
        })
        .collect()
}

/// How many fixes `--fix` applied, in how many files.
struct Fixed {
    edits: usize,
    files: usize,
}

/// Writes the fixes of every diagnostic into its files. Each file is rewritten through a
/// temporary file beside it and a rename, so an interrupted run never leaves half a file.
fn apply_fixes(compilations: &[Compilation]) -> Result<Fixed, FixError> {
    let mut by_file: BTreeMap<&Utf8Path, Vec<&Edit>> = BTreeMap::new();
    for diagnostic in compilations.iter().flat_map(|c| &c.diagnostics) {
        for edit in diagnostic.fix.iter().flat_map(|fix| &fix.edits) {
            by_file.entry(edit.file.as_path()).or_default().push(edit);
        }
    }
    let mut fixed = Fixed { edits: 0, files: 0 };
    for (path, edits) in by_file {
        let text = std::fs::read_to_string(path).map_err(|source| FixError::Read {
            path: path.to_owned(),
            source,
        })?;
        let (new_text, applied) = apply_edits(&text, &edits);
        if applied == 0 || new_text == text {
            continue;
        }
        let temporary =
            path.with_file_name(format!(".{}.apigw-fix", path.file_name().unwrap_or("spec")));
        let write = std::fs::write(&temporary, &new_text)
            .and_then(|()| {
                // Keep the file's permissions.
                match std::fs::metadata(path) {
                    Ok(metadata) => std::fs::set_permissions(&temporary, metadata.permissions()),
                    Err(_) => Ok(()),
                }
            })
            .and_then(|()| std::fs::rename(&temporary, path));
        if let Err(source) = write {
            let _ = std::fs::remove_file(&temporary);
            return Err(FixError::Write {
                path: path.to_owned(),
                source,
            });
        }
        fixed.edits += applied;
        fixed.files += 1;
    }
    Ok(fixed)
}

#[derive(Debug, thiserror::Error)]
enum FixError {
    #[error("cannot read {path} to fix it")]
    Read {
        path: Utf8PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write the fixed {path}")]
    Write {
        path: Utf8PathBuf,
        #[source]
        source: io::Error,
    },
}

/// A configuration file and the directory its paths are relative to.
#[derive(Debug)]
struct Found {
    dir: PathBuf,
    config: Config,
}

impl Found {
    /// `file` relative to the configuration's directory, when it lies below it.
    fn relative(&self, file: &Utf8Path) -> Option<Utf8PathBuf> {
        let absolute = std::path::absolute(file).ok()?;
        let relative = absolute.strip_prefix(&self.dir).ok()?;
        Utf8PathBuf::from_path_buf(relative.to_path_buf()).ok()
    }
}

/// Finds and parses `apigw.toml` files, each once.
struct Configs {
    /// `--config FILE`: one configuration for every file.
    explicit: Option<Arc<Found>>,
    disabled: bool,
    /// Directory → the configuration that governs files in it.
    by_dir: HashMap<PathBuf, Option<Arc<Found>>>,
}

#[derive(Debug, thiserror::Error)]
enum ConfigFileError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}{}", path.display(), place(*line, *column))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        #[source]
        source: ConfigError,
    },
}

fn place(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

fn load_config(path: &Path) -> Result<Arc<Found>, ConfigFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    let config = Config::parse(&text).map_err(|source| ConfigFileError::Invalid {
        path: path.to_owned(),
        line: source.line,
        column: source.column,
        source,
    })?;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Arc::new(Found { dir, config }))
}

impl Configs {
    fn new(args: &CheckArgs) -> Result<Self, ConfigFileError> {
        Ok(Configs {
            explicit: args.config.as_deref().map(load_config).transpose()?,
            disabled: args.no_config,
            by_dir: HashMap::new(),
        })
    }

    /// The configuration governing `file`: `--config`, else the nearest `apigw.toml` in its
    /// directory or above.
    fn for_file(&mut self, file: &Utf8Path) -> Result<Option<Arc<Found>>, ConfigFileError> {
        if self.disabled {
            return Ok(None);
        }
        if let Some(explicit) = &self.explicit {
            return Ok(Some(Arc::clone(explicit)));
        }
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.as_std_path().into());
        let Some(dir) = absolute.parent() else {
            return Ok(None);
        };
        self.for_dir(dir)
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Found>>, ConfigFileError> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(found.clone());
        }
        let candidate = dir.join(config::FILE_NAME);
        let found = if candidate.is_file() {
            Some(load_config(&candidate)?)
        } else {
            match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            }
        };
        self.by_dir.insert(dir.to_owned(), found.clone());
        Ok(found)
    }
}

/// Whether `input`'s diagnostics are shown. A file named on the command line always is, unless
/// `--skip-unrecognized` treats it as one found in a directory. A file
/// found in a directory is skipped when it is neither a spec nor a template (a `package.json`,
/// a workflow file), or empty; when it cannot be parsed at all, it is shown only if its text has
/// a key that marks a spec or a template, so a broken spec is never skipped silently.
fn is_reported(input: &Input, compilation: &Compilation, skip_unrecognized: bool) -> bool {
    if input.explicit && !skip_unrecognized {
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
