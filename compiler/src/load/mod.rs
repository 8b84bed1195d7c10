//! Loading: bytes → located tree. YAML 1.2 (with the 1.1 merge key and CloudFormation's
//! short-form tags) and JSON, with bounded size, depth and alias expansion. A bad file gives
//! problems with a place, never a panic.

mod edit;
mod json;
pub(crate) mod tree;
mod yaml;

#[cfg(test)]
mod tests;

use crate::pointer::Pointer;
use crate::rules::structure::{EmptyDocument, InputLimitExceeded, InvalidEncoding};
use crate::rules::RuleMeta;

pub(crate) use edit::{render_scalar, scalar_extent};
use tree::Entry;
pub(crate) use tree::{Node, Span};

/// Bounds on what the loader accepts.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of arrays and objects.
    pub max_depth: usize,
    /// Most nodes that YAML aliases may add to the document in total.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // The largest generated benchmark spec is about 21 MB; real specs are far smaller.
            max_file_bytes: 64 * 1024 * 1024,
            // Real schemas nest a few dozen levels at most.
            max_depth: 256,
            // Enough for every anchor-heavy real spec, far below what an alias bomb needs.
            max_alias_nodes: 1_000_000,
        }
    }
}

/// A problem found while loading, located by span (and the pointer of the enclosing node).
#[derive(Clone, Debug)]
pub(crate) struct LoadProblem {
    pub rule: &'static RuleMeta,
    pub message: String,
    pub span: Span,
    pub pointer: Pointer,
    pub help: Option<String>,
    /// Other places the problem involves, such as the first copy of a duplicated key.
    pub related: Vec<LoadRelated>,
}

/// A second place a [`LoadProblem`] points at.
#[derive(Clone, Debug)]
pub(crate) struct LoadRelated {
    pub span: Span,
    pub pointer: Pointer,
    pub message: String,
}

impl LoadProblem {
    fn new(rule: &'static RuleMeta, span: Span, message: String) -> Self {
        LoadProblem {
            rule,
            message,
            span,
            pointer: Pointer::root(),
            help: None,
            related: Vec::new(),
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The result of loading one file: the tree (when anything could be read) and every problem.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub root: Option<Node>,
    pub problems: Vec<LoadProblem>,
}

const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Loads YAML or JSON. JSON is recognised by its first character (`{` or `[`); a document that
/// starts like JSON but is not JSON is read as YAML, whose flow style is a superset of JSON, and
/// when that fails too the JSON error is reported, since JSON is what the author meant.
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Loaded {
    if bytes.len() > limits.max_file_bytes {
        return failed(
            LoadProblem::new(
                InputLimitExceeded::META,
                Span::new(0, 1, 1),
                format!(
                    "the file is {} bytes, over the limit of {} bytes",
                    bytes.len(),
                    limits.max_file_bytes
                ),
            )
            .with_help("split the document, or raise the limit if the file really is this large"),
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => return failed(invalid_utf8(bytes, error.valid_up_to())),
    };
    if let Some(problem) = control_character(text) {
        return failed(problem);
    }
    let start = if bytes.starts_with(BYTE_ORDER_MARK) {
        BYTE_ORDER_MARK.len()
    } else {
        0
    };
    let first = bytes
        .iter()
        .skip(start)
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'\r' | b'\n'));
    let mut loaded = match first {
        Some(b'{' | b'[') => match json::parse(text, start, limits) {
            Ok(parsed) => Loaded {
                root: Some(parsed.root),
                problems: parsed.problems,
            },
            Err(json::Failure::Limit(problem)) => failed(problem),
            Err(json::Failure::Syntax(problem)) => match yaml::parse(text, start, limits) {
                Ok(loaded) => loaded,
                Err(_) => failed(problem),
            },
        },
        _ => yaml::parse(text, start, limits).unwrap_or_else(failed),
    };
    if loaded.root.is_none() && loaded.problems.is_empty() {
        loaded.problems.push(
            LoadProblem::new(
                EmptyDocument::META,
                Span::new(0, 1, 1),
                "the file holds no document".to_owned(),
            )
            .with_help("write the OpenAPI document or template into this file"),
        );
    }
    // Problems in file order, whichever pass found them.
    loaded.problems.sort_by_key(|problem| problem.span.offset);
    loaded
}

/// Loads `bytes` with the default limits and returns the number of nodes in the tree and the
/// number of problems. The benchmarks use it: the located tree is not visible outside the crate.
pub fn measure(bytes: &[u8]) -> (usize, usize) {
    let loaded = load(bytes, &Limits::default());
    let mut nodes = 0;
    let mut pending: Vec<&Node> = loaded.root.iter().collect();
    while let Some(node) = pending.pop() {
        nodes += 1;
        match &node.value {
            tree::Value::Seq(items) => pending.extend(items),
            tree::Value::Map(map) => pending.extend(map.entries.iter().map(|entry| &entry.value)),
            _ => {}
        }
    }
    (nodes, loaded.problems.len())
}

/// Which reader loads `bytes` as YAML: the fast scanner, or saphyr-parser when the scanner
/// declines the document. The load benchmark prints it, so that its figure says which path it
/// measured.
pub fn yaml_reader(bytes: &[u8]) -> &'static str {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let start = if bytes.starts_with(BYTE_ORDER_MARK) {
        BYTE_ORDER_MARK.len()
    } else {
        0
    };
    if yaml::fast_path_reads(text, start, &Limits::default()) {
        "fast scanner"
    } else {
        "saphyr-parser"
    }
}

fn failed(problem: LoadProblem) -> Loaded {
    Loaded {
        root: None,
        problems: vec![problem],
    }
}

/// The span of byte `offset` in `bytes`, counting lines and characters from the start. A line
/// ends at `\n`, `\r\n` or a lone `\r`, as in YAML and in editors.
fn span_of_offset(bytes: &[u8], offset: usize) -> Span {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let mut line = 1;
    let mut line_start = 0;
    let mut previous = 0u8;
    for (at, &byte) in before.iter().enumerate() {
        if byte == b'\n' || previous == b'\r' {
            line += 1;
            line_start = if byte == b'\n' { at + 1 } else { at };
        }
        previous = byte;
    }
    if previous == b'\r' && bytes.get(offset) != Some(&b'\n') {
        line += 1;
        line_start = before.len();
    }
    let mut line_text = before.get(line_start..).unwrap_or_default();
    if line_start == 0 && line_text.starts_with(BYTE_ORDER_MARK) {
        line_text = line_text.get(BYTE_ORDER_MARK.len()..).unwrap_or_default();
    }
    let column = line_text
        .iter()
        .filter(|&&byte| byte & 0xC0 != 0x80 && byte != b'\r')
        .count()
        + 1;
    Span::new(to_u32(offset), to_u32(line), to_u32(column))
}

/// The members of a document's open containers while a reader builds its tree: the elements of
/// open sequences on one stack, the entries of open mappings on another, innermost last. A
/// container records where its members start and, when it closes, takes them as a vector of
/// exactly their number: growing a vector per container would leave, on average, a third of
/// every sequence and mapping allocated but unused.
#[derive(Debug, Default)]
pub(crate) struct OpenMembers {
    pub items: Vec<Node>,
    pub entries: Vec<Entry>,
}

impl OpenMembers {
    /// The elements of the innermost open sequence, whose first element is at `start`.
    pub fn take_items(&mut self, start: usize) -> Vec<Node> {
        self.items.split_off(start.min(self.items.len()))
    }

    /// The entries of the innermost open mapping, whose first entry is at `start`.
    pub fn take_entries(&mut self, start: usize) -> Vec<Entry> {
        self.entries.split_off(start.min(self.entries.len()))
    }

    /// How many elements the open sequence starting at `start` holds so far: they end where the
    /// elements of the next sequence open inside it begin (`inner_start`), or at the top.
    pub fn items_read(&self, start: usize, inner_start: Option<usize>) -> usize {
        inner_start
            .unwrap_or(self.items.len())
            .saturating_sub(start)
    }
}

/// Where a scanner is in terms of lines: the current line (1-based), the byte offset where it
/// starts, and a byte offset on it with the number of characters before it, so that computing a
/// column never rescans a long line from its start.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineCursor {
    pub line: u32,
    pub line_start: usize,
    column_pos: usize,
    column_chars: u32,
}

impl LineCursor {
    /// At line 1, which starts at byte `start`.
    pub fn new(start: usize) -> Self {
        LineCursor {
            line: 1,
            line_start: start,
            column_pos: start,
            column_chars: 0,
        }
    }

    /// A new line starts at byte `pos`.
    pub fn new_line(&mut self, pos: usize) {
        self.line = self.line.saturating_add(1);
        self.line_start = pos;
        self.column_pos = pos;
        self.column_chars = 0;
    }

    /// Byte `pos` of the current line has `chars` characters before it (a scanner that skipped
    /// ASCII indentation knows this without counting).
    pub fn known_column(&mut self, pos: usize, chars: u32) {
        self.column_pos = pos;
        self.column_chars = chars;
    }

    /// The span of byte `pos` of `bytes`, on the current line: characters are counted on from
    /// the last position asked, or from the line's start for a position before it.
    pub fn span_at(&mut self, bytes: &[u8], pos: usize) -> Span {
        if pos < self.column_pos {
            self.column_pos = self.line_start;
            self.column_chars = 0;
        }
        let between = bytes.get(self.column_pos..pos).unwrap_or_default();
        let chars = between.iter().filter(|&&byte| byte & 0xC0 != 0x80).count();
        self.column_chars = self.column_chars.saturating_add(to_u32(chars));
        self.column_pos = pos;
        Span::new(to_u32(pos), self.line, self.column_chars.saturating_add(1))
    }
}

pub(crate) fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn invalid_utf8(bytes: &[u8], valid_up_to: usize) -> LoadProblem {
    let span = span_of_offset(bytes, valid_up_to);
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let help = if utf16 {
        "the file looks like UTF-16; save it as UTF-8"
    } else {
        "save the file as UTF-8; if it is not a text file, name the right file"
    };
    LoadProblem::new(
        InvalidEncoding::META,
        span,
        format!("the byte 0x{byte:02X} is not valid UTF-8"),
    )
    .with_help(help)
}

/// Whether `byte` is a control character other than tab, line feed and carriage return.
fn is_forbidden_control(byte: u8) -> bool {
    byte < 0x20 && byte != b'\t' && byte != b'\n' && byte != b'\r'
}

/// The first control character that neither YAML nor JSON allows in a document (everything
/// below U+0020 except tab, line feed and carriage return). Such a byte means a binary file.
fn control_character(text: &str) -> Option<LoadProblem> {
    let bytes = text.as_bytes();
    // Block by block, with a test the compiler turns into vector instructions; only a block
    // that holds a forbidden byte is searched one byte at a time.
    const BLOCK: usize = 4096;
    let block = bytes.chunks(BLOCK).position(|chunk| {
        chunk
            .iter()
            .fold(false, |seen, &byte| seen | is_forbidden_control(byte))
    })?;
    let at = block * BLOCK
        + bytes
            .get(block * BLOCK..)
            .unwrap_or_default()
            .iter()
            .position(|&byte| is_forbidden_control(byte))?;
    let byte = bytes.get(at).copied().unwrap_or_default();
    Some(
        LoadProblem::new(
            InvalidEncoding::META,
            span_of_offset(bytes, at),
            format!("the control character U+{byte:04X} cannot appear in a YAML or JSON document"),
        )
        .with_help("this looks like a binary file; name the YAML or JSON document instead"),
    )
}
