//! Front ends: located tree → IR. This module owns the compilation session (which files are
//! loaded, what was reported) and dispatches each document to the front end for its format.

use std::sync::Arc;

use camino::{Utf8Path, Utf8PathBuf};

use crate::diagnostic::{
    At, Diagnostic, Edit, Fix, Location, Pending, PendingFix, Related, Report,
};
use crate::ir::Api;
use crate::load::{Limits, Loaded, Node};
use crate::pointer::Pointer;
use crate::rules;
use crate::source::{FileId, World};

pub mod dsl;
pub(crate) mod expr;
pub(crate) mod openapi;
pub(crate) mod template;

/// What the caller asks of a compilation.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub limits: Limits,
}

/// A source file as loaded, for renderers that show the offending line.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: Utf8PathBuf,
    /// The text (invalid UTF-8 replaced), for excerpts.
    pub text: String,
}

/// The result of compiling one input file: every API found, and every diagnostic.
#[derive(Debug, Default)]
pub struct Compilation {
    pub apis: Vec<Api>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Vec<SourceFile>,
    /// The located trees the compilation read, kept so that they are freed with it: a caller
    /// about to exit can leave the whole compilation to the operating system.
    _trees: Trees,
}

/// Located trees owned by a [`Compilation`]; opaque outside the compiler.
#[derive(Default)]
struct Trees(Vec<Node>);

impl std::fmt::Debug for Trees {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} trees", self.0.len())
    }
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == crate::Severity::Error)
    }
}

/// A loaded file. Held in an `Arc` so a front end can keep walking one file's tree while the
/// session loads another (an external `$ref`, an `AWS::Include`).
#[derive(Debug)]
pub(crate) struct LoadedFile {
    pub id: FileId,
    pub path: Utf8PathBuf,
    pub text: String,
    pub root: Option<Node>,
}

/// One compilation's files and report.
pub(crate) struct Session<'w> {
    pub world: &'w dyn World,
    pub options: Options,
    pub files: Vec<Arc<LoadedFile>>,
    pub report: Report,
}

impl<'w> Session<'w> {
    pub fn new(world: &'w dyn World, options: Options) -> Self {
        Session {
            world,
            options,
            files: Vec::new(),
            report: Report::new(),
        }
    }

    /// Loads `path` (once; later calls return the same file). I/O failures are reported at
    /// `requested_at` when given, else as a file-level diagnostic.
    pub fn load(&mut self, path: &Utf8Path, requested_at: Option<At>) -> Option<Arc<LoadedFile>> {
        if let Some(file) = self.files.iter().find(|file| file.path == path) {
            return Some(Arc::clone(file));
        }
        let bytes = match self.world.read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                let at = requested_at.unwrap_or_else(|| At::File(path.to_owned()));
                self.report.push_at(
                    rules::structure::UnreadableFile::META,
                    at,
                    format!("cannot read {path}: {error}"),
                );
                return None;
            }
        };
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let Loaded { root, problems } = crate::load::load(&bytes, &self.options.limits);
        // The bytes become the text without a copy when they are UTF-8, as almost every file is.
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
        for problem in problems {
            let pending = self.report.push_at(
                problem.rule,
                At::Text {
                    file: id,
                    pointer: problem.pointer,
                    line: problem.span.line,
                    column: problem.span.column,
                },
                problem.message,
            );
            if let Some(help) = problem.help {
                pending.help(help);
            }
            for related in problem.related {
                pending.related.push((
                    At::Text {
                        file: id,
                        pointer: related.pointer,
                        line: related.span.line,
                        column: related.span.column,
                    },
                    related.message,
                ));
            }
        }
        let file = Arc::new(LoadedFile {
            id,
            path: path.to_owned(),
            text,
            root,
        });
        self.files.push(Arc::clone(&file));
        Some(file)
    }

    fn resolve(&self, at: &At) -> Location {
        match at {
            At::Node(file, pointer) => match self.files.get(file.0 as usize) {
                Some(loaded) => {
                    let span = loaded
                        .root
                        .as_ref()
                        .map(|root| root.locate(pointer))
                        .unwrap_or_default();
                    Location {
                        file: loaded.path.clone(),
                        pointer: pointer.clone(),
                        line: span.line.max(1),
                        column: span.column.max(1),
                    }
                }
                None => Location {
                    file: Utf8PathBuf::new(),
                    pointer: pointer.clone(),
                    line: 1,
                    column: 1,
                },
            },
            At::Text {
                file,
                pointer,
                line,
                column,
            } => Location {
                file: self
                    .files
                    .get(file.0 as usize)
                    .map(|loaded| loaded.path.clone())
                    .unwrap_or_default(),
                pointer: pointer.clone(),
                line: (*line).max(1),
                column: (*column).max(1),
            },
            At::File(path) => Location {
                file: path.clone(),
                pointer: Pointer::root(),
                line: 1,
                column: 1,
            },
        }
    }

    /// Whether an `x-apigw-ignore` on the diagnostic's node or on any node above it names the
    /// diagnostic's rule, by code (any case) or by name.
    fn is_suppressed(&self, pending: &Pending) -> bool {
        let (file, pointer) = match &pending.at {
            At::Node(file, pointer) | At::Text { file, pointer, .. } => (file, pointer),
            At::File(_) => return false,
        };
        let Some(root) = self
            .files
            .get(file.0 as usize)
            .and_then(|loaded| loaded.root.as_ref())
        else {
            return false;
        };
        root.strings_along(pointer, rules::IGNORE_KEY)
            .iter()
            .any(|silenced| rules::names_rule(silenced, pending.rule))
    }

    /// The byte ranges a fix replaces; `None` (no fix offered) when a node is not a scalar whose
    /// text can be found exactly where the loader saw it.
    fn resolve_fix(&self, fix: &PendingFix) -> Option<Fix> {
        let mut edits = Vec::new();
        for (at, value) in &fix.replacements {
            let At::Node(file, pointer) = at else {
                return None;
            };
            let loaded = self.files.get(file.0 as usize)?;
            let node = loaded.root.as_ref()?.at(pointer)?;
            let old = node.scalar_text()?;
            let (start, end, style) =
                crate::load::scalar_extent(&loaded.text, node.span.offset as usize, &old)?;
            edits.push(Edit {
                file: loaded.path.clone(),
                start,
                end,
                replacement: crate::load::render_scalar(value, style),
            });
        }
        Some(Fix {
            description: fix.description.clone(),
            edits,
        })
    }

    /// Turns the report into located diagnostics, sorted by file, line and column.
    pub fn finish(self, apis: Vec<Api>) -> Compilation {
        use rayon::prelude::*;
        // Each diagnostic is placed by walking the tree to its node; a large API has
        // thousands, placed on all cores.
        let mut diagnostics: Vec<Diagnostic> = self
            .report
            .pending
            .par_iter()
            .filter(|pending| !self.is_suppressed(pending))
            .map(|pending| Diagnostic {
                code: pending.rule.code,
                name: pending.rule.name,
                severity: pending.rule.severity,
                message: pending.message.clone(),
                location: self.resolve(&pending.at),
                help: pending.help.clone(),
                related: pending
                    .related
                    .iter()
                    .map(|(at, message)| Related {
                        location: self.resolve(at),
                        message: message.clone(),
                    })
                    .collect(),
                fix: pending.fix.as_ref().and_then(|fix| self.resolve_fix(fix)),
            })
            .collect();
        diagnostics.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column, a.code).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
                b.code,
            ))
        });
        diagnostics.dedup();
        // The session is done with its files: hand their text over rather than copying it (a
        // 21 MB spec is 21 MB less to copy). A file still shared elsewhere is copied.
        let mut trees = Vec::new();
        let sources = self
            .files
            .into_iter()
            .map(|file| match Arc::try_unwrap(file) {
                Ok(file) => {
                    trees.extend(file.root);
                    SourceFile {
                        path: file.path,
                        text: file.text,
                    }
                }
                Err(file) => SourceFile {
                    path: file.path.clone(),
                    text: file.text.clone(),
                },
            })
            .collect();
        Compilation {
            apis,
            diagnostics,
            sources,
            _trees: Trees(trees),
        }
    }
}

/// Compiles one file: loads it, lowers every API it holds, and runs the IR checks.
pub fn compile(world: &dyn World, path: &Utf8Path, options: &Options) -> Compilation {
    compile_then(world, path, options, |_| ()).0
}

/// Compiles one file like [`compile`] and, while the IR checks run, runs `then` on the lowered
/// APIs on another thread: a build emits its output in the time the checks take. `then` runs
/// only when loading and lowering reported no error, and its result is `None` otherwise; the
/// caller must still look at the compilation's diagnostics before using the result, since an
/// IR check may find an error too.
pub fn compile_then<T: Send>(
    world: &dyn World,
    path: &Utf8Path,
    options: &Options,
    then: impl FnOnce(&[Api]) -> T + Send,
) -> (Compilation, Option<T>) {
    let mut session = Session::new(world, options.clone());
    let Some(file) = session.load(path, None) else {
        return (session.finish(Vec::new()), None);
    };
    let apis = lower_file(&mut session, &file);
    let lowered_cleanly = !session.report.has_errors();
    let (checked, result) = rayon::join(
        || {
            let mut checked = Report::new();
            for api in &apis {
                rules::check(api, &mut checked);
            }
            checked
        },
        || lowered_cleanly.then(|| then(&apis)),
    );
    session.report.extend(checked);
    // The session hands the file's text and tree over to the compilation only when it holds
    // the last reference to the file.
    drop(file);
    (session.finish(apis), result)
}

/// Lowers whatever document `file` holds: an OpenAPI/Swagger document, or a template that
/// embeds or includes some.
fn lower_file(session: &mut Session<'_>, file: &Arc<LoadedFile>) -> Vec<Api> {
    let Some(root) = file.root.as_ref() else {
        return Vec::new();
    };
    match detect(root) {
        DocumentKind::Spec => openapi::lower(session, file, &Pointer::root(), None, None)
            .into_iter()
            .collect(),
        DocumentKind::Template => template::lower(session, file),
        DocumentKind::Dsl => dsl::lower(session, file),
        DocumentKind::Unknown => {
            session.report.push_at(
                rules::structure::UnrecognizedDocument::META,
                At::Node(file.id, Pointer::root()),
                "not an OpenAPI 3.0 or Swagger 2.0 document, a CloudFormation or SAM template, nor an apigw document",
            ).help("an OpenAPI document starts with `openapi: 3.0.x`, a Swagger one with `swagger: \"2.0\"`, a template has `Resources`, an apigw document `apigw: 1`");
            Vec::new()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DocumentKind {
    /// OpenAPI or Swagger of any version (the front end refuses the versions API Gateway does
    /// not import).
    Spec,
    Template,
    /// apigw's DSL, marked by its root key `apigw`.
    Dsl,
    Unknown,
}

/// What a document is, from its top-level keys.
pub(crate) fn detect(root: &Node) -> DocumentKind {
    let Some(map) = root.as_map() else {
        return DocumentKind::Unknown;
    };
    if dsl::is_dsl(root) {
        DocumentKind::Dsl
    } else if map.get("openapi").is_some()
        || map.get("swagger").is_some()
        || map.get("swaggerVersion").is_some()
    {
        DocumentKind::Spec
    } else if map.get("Resources").is_some() || map.get("AWSTemplateFormatVersion").is_some() {
        DocumentKind::Template
    } else {
        DocumentKind::Unknown
    }
}
