//! Targets: the checked IR → CloudFormation, SAM, Terraform and OpenAPI files. A target reads the
//! IR and nothing else: no source document, no re-validation, no printing. Each target is one
//! module with one `emit` entry point that returns the files and the warnings found on the way.

use camino::Utf8PathBuf;

pub mod cloudformation;
mod json;
pub mod openapi;
pub mod plan;
pub mod sam;
pub mod terraform;
pub mod yaml;

/// A file a target produced, relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub path: Utf8PathBuf,
    pub contents: String,
}

/// A value with the warnings and notes produced while computing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warned<T> {
    pub output: T,
    /// Something the user should act on (a limit close, a value the target cannot express).
    pub warnings: Vec<Warning>,
    /// A choice the target made that the user may want to know about (the Lambda permission
    /// scope picked per function).
    pub notes: Vec<String>,
}

impl<T> Warned<T> {
    pub fn new(output: T) -> Self {
        Warned {
            output,
            warnings: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// A problem found while emitting, with what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    pub help: Option<String>,
}

impl Warning {
    pub fn new(message: impl Into<String>) -> Self {
        Warning {
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> Self {
        Warning {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

/// Output text formats shared by the CloudFormation, SAM and OpenAPI targets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

impl Format {
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }
}

/// Why a target could not produce its files at all. Problems in the API itself are the
/// compiler's diagnostics; these are requests the target cannot satisfy.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EmitError {
    #[error("there is no API to build")]
    NoApi,
    #[error("{kind} APIs cannot be built as {target}: {reason}")]
    Unsupported {
        kind: &'static str,
        target: &'static str,
        reason: &'static str,
    },
    #[error("cannot serialize the {what} document")]
    Serialize {
        what: &'static str,
        #[source]
        source: SerializeError,
    },
}

/// A failure of the JSON serializer (kept opaque so that callers need not depend on serde_json).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SerializeError(String);

impl PartialEq for SerializeError {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for SerializeError {}

/// A map of this many entries or more is printed in parallel by the writers. The deployment
/// hash reads such a map by the digests of its chunks, so changing this (or the chunk size of
/// [`print_in_chunks`]) changes every deployment's logical id.
pub(crate) const PARALLEL_ENTRIES: usize = 256;

/// A hash map for lookups by logical id or name. Never iterated for output (the lint
/// `iter_over_hash_type` holds that), so its order cannot reach a template.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// A hash set, under the same rule as [`FastMap`].
pub(crate) type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Prints the entries of `map` in chunks on all cores and returns what `print` made of each
/// chunk, in order; `print` is told the chunk's place (0 for the first). An entry prints the same
/// wherever it starts, so the chunks joined in order are the map printed in one go.
pub(crate) fn print_in_chunks<'m, R: Send>(
    map: &'m serde_json::Map<String, serde_json::Value>,
    print: impl Fn(usize, &[(&'m String, &'m serde_json::Value)]) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    // Part of the deployment hash's definition (see `PARALLEL_ENTRIES`).
    const CHUNK: usize = 64;
    let entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
    entries
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(index, chunk)| print(index, chunk))
        .collect()
}

/// A text being printed: the pieces printed on other cores, in order, then what is being
/// printed here (reached through `Deref`). It is joined once, into a buffer of exactly its
/// size; a large document pushed into one growing buffer would be copied at each doubling and
/// held twice.
#[derive(Default)]
pub(crate) struct Pieces<T: Piece> {
    done: Vec<T>,
    current: T,
}

/// What [`Pieces`] holds: text or bytes.
pub(crate) trait Piece: Default {
    fn size(&self) -> usize;
    fn with_size(size: usize) -> Self;
    fn push_piece(&mut self, piece: &Self);
}

impl Piece for String {
    fn size(&self) -> usize {
        self.len()
    }

    fn with_size(size: usize) -> Self {
        String::with_capacity(size)
    }

    fn push_piece(&mut self, piece: &Self) {
        self.push_str(piece);
    }
}

impl Piece for Vec<u8> {
    fn size(&self) -> usize {
        self.len()
    }

    fn with_size(size: usize) -> Self {
        Vec::with_capacity(size)
    }

    fn push_piece(&mut self, piece: &Self) {
        self.extend_from_slice(piece);
    }
}

impl<T: Piece> Pieces<T> {
    /// Appends `other` after everything printed so far.
    pub(crate) fn append(&mut self, mut other: Pieces<T>) {
        if self.current.size() > 0 {
            self.done.push(std::mem::take(&mut self.current));
        }
        self.done.append(&mut other.done);
        if other.current.size() > 0 {
            self.done.push(other.current);
        }
    }

    pub(crate) fn joined(self) -> T {
        if self.done.is_empty() {
            return self.current;
        }
        let size = self.done.iter().map(Piece::size).sum::<usize>() + self.current.size();
        let mut out = T::with_size(size);
        for piece in &self.done {
            out.push_piece(piece);
        }
        out.push_piece(&self.current);
        out
    }
}

impl<T: Piece> std::ops::Deref for Pieces<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.current
    }
}

impl<T: Piece> std::ops::DerefMut for Pieces<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.current
    }
}

/// Set by [`leave_memory_to_exit`].
static LEAVE_MEMORY_TO_EXIT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Tells the targets that the process ends right after its build: the document models and
/// copies of the API they would free (millions of small allocations on a large API) are left
/// to the operating system, which takes the whole address space back at exit. A program that
/// builds more than once must not call it.
pub fn leave_memory_to_exit() {
    LEAVE_MEMORY_TO_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Frees `value` on another thread, beside the rest of the build, or not at all after
/// [`leave_memory_to_exit`]: freeing it on two cores would slow down what the build still has
/// to do.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    if LEAVE_MEMORY_TO_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        rayon::spawn(move || drop(value));
    }
}

/// Serializes a document model in `format` (YAML with CloudFormation short-form tags when
/// `short_form` is set).
pub(crate) fn render(
    value: &serde_json::Value,
    format: Format,
    short_form: bool,
    what: &'static str,
) -> Result<String, EmitError> {
    match format {
        Format::Yaml => Ok(yaml::to_string(
            value,
            yaml::Style {
                short_form_intrinsics: short_form,
            },
        )),
        Format::Json => json::to_string_pretty(value)
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|error| EmitError::Serialize {
                what,
                source: SerializeError(error.to_string()),
            }),
    }
}
