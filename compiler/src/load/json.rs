//! The located JSON parser: UTF-8 text → [`Node`] tree with the line, column and byte offset of
//! every value and key.
//!
//! It scans bytes and keeps its own stack, so nesting costs heap, never native stack, and the
//! depth limit is checked where each array or object opens. It reports the first syntax error
//! and stops; it must not guess at what a broken document meant (the caller may try YAML).

use serde_json::Number;

use crate::load::tree::{Entry, Map, Node, Span, Value};
use crate::load::{Limits, LineCursor, LoadProblem, LoadRelated, OpenMembers};
use crate::pointer::Pointer;
use crate::rules::structure::{DuplicateKey, InputLimitExceeded, SyntaxError};

/// Why parsing stopped.
pub(crate) enum Failure {
    /// The text is not JSON. The caller may still read it as YAML.
    Syntax(LoadProblem),
    /// The text is JSON but exceeds a limit; reading it another way would not help.
    Limit(LoadProblem),
}

/// A parsed document with the problems that did not stop parsing (duplicate keys).
pub(crate) struct Parsed {
    pub root: Node,
    pub problems: Vec<LoadProblem>,
}

/// Parses one JSON document. `start` is the byte offset just past an optional byte-order mark.
pub(crate) fn parse(text: &str, start: usize, limits: &Limits) -> Result<Parsed, Failure> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        cursor: LineCursor::new(start),
        scratch: String::new(),
        stack: Vec::new(),
        members: OpenMembers::default(),
        problems: Vec::new(),
        max_depth: limits.max_depth,
    };
    let root = parser.document()?;
    Ok(Parsed {
        root,
        problems: parser.problems,
    })
}

/// An array or object whose members are still being read; they wait in the parser's
/// [`OpenMembers`] from `start` on.
enum Frame {
    Seq {
        span: Span,
        start: usize,
    },
    Map {
        span: Span,
        start: usize,
        key: String,
        key_span: Span,
    },
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    cursor: LineCursor,
    /// Reused buffer for strings holding escapes.
    scratch: String,
    stack: Vec<Frame>,
    members: OpenMembers,
    problems: Vec<LoadProblem>,
    max_depth: usize,
}

/// Whether a byte ends the fast scan of a string: the closing quote, a backslash, or a control
/// character (which JSON does not allow unescaped).
fn stops_string(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The span of the current position.
    fn here(&mut self) -> Span {
        self.span_at(self.pos)
    }

    /// The span of `pos`, which must lie on the current line at or after the last position asked.
    fn span_at(&mut self, pos: usize) -> Span {
        self.cursor.span_at(self.bytes, pos)
    }

    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' => self.pos += 1,
                // A line ends at `\n`, `\r\n` or a lone `\r`, as in YAML and in editors.
                b'\n' | b'\r' => {
                    self.pos += 1;
                    if byte == b'\r' && self.peek() == Some(b'\n') {
                        continue;
                    }
                    self.cursor.new_line(self.pos);
                }
                _ => break,
            }
        }
    }

    /// The pointer of the innermost open array or object.
    fn container_pointer(&self) -> Pointer {
        self.pointer_through(self.stack.len().saturating_sub(1))
    }

    /// The pointer reached through the first `open` frames: each array contributes the index of
    /// the element being read, each object the key being read.
    fn pointer_through(&self, open: usize) -> Pointer {
        let mut pointer = Pointer::root();
        for (depth, frame) in self.stack.iter().enumerate().take(open) {
            pointer = match frame {
                Frame::Seq { start, .. } => {
                    let inner = self
                        .stack
                        .iter()
                        .skip(depth + 1)
                        .find_map(|deeper| match deeper {
                            Frame::Seq { start, .. } => Some(*start),
                            Frame::Map { .. } => None,
                        });
                    pointer.index(self.members.items_read(*start, inner))
                }
                Frame::Map { key, .. } => pointer.join(key),
            };
        }
        pointer
    }

    /// A syntax error at the current position.
    fn syntax(&mut self, message: String) -> Failure {
        let span = self.here();
        Failure::Syntax(LoadProblem {
            rule: SyntaxError::META,
            message,
            span,
            pointer: self.container_pointer(),
            help: None,
            related: Vec::new(),
        })
    }

    /// Describes what is at the current position, for "found …" in messages.
    fn found(&self) -> String {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            None => "the end of the file".to_owned(),
            Some('\n') => "the end of the line".to_owned(),
            Some(ch) if ch.is_control() => format!("the control character U+{:04X}", u32::from(ch)),
            Some(ch) => format!("`{ch}`"),
        }
    }

    fn document(&mut self) -> Result<Node, Failure> {
        let root = self.value()?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            let message = format!(
                "expected the end of the file after the document, found {}",
                self.found()
            );
            self.stack.clear();
            return Err(self.syntax(message));
        }
        Ok(root)
    }

    /// Reads one complete value, nested arrays and objects included, without recursion.
    fn value(&mut self) -> Result<Node, Failure> {
        'value: loop {
            self.skip_whitespace();
            let span = self.here();
            let mut node = match self.peek() {
                Some(b'{') => {
                    self.open(span)?;
                    self.pos += 1;
                    // Pushed before its first member so that errors inside name this object.
                    self.stack.push(Frame::Map {
                        span,
                        start: self.members.entries.len(),
                        key: String::new(),
                        key_span: span,
                    });
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        self.close()
                    } else {
                        let (first_key, first_span) = self.key("`}` or a member name")?;
                        self.set_key(first_key, first_span);
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.open(span)?;
                    self.pos += 1;
                    self.stack.push(Frame::Seq {
                        span,
                        start: self.members.items.len(),
                    });
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        self.close()
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let text = self.string()?;
                    Node::new(Value::String(text), span)
                }
                Some(b't') => self.literal("true", Value::Bool(true), span)?,
                Some(b'f') => self.literal("false", Value::Bool(false), span)?,
                Some(b'n') => self.literal("null", Value::Null, span)?,
                Some(b'-' | b'0'..=b'9') => self.number(span)?,
                _ => {
                    let message = format!("expected a value, found {}", self.found());
                    return Err(self.syntax(message));
                }
            };
            // Hand the finished value to the enclosing container; close containers that end.
            loop {
                match self.stack.last_mut() {
                    None => return Ok(node),
                    Some(Frame::Seq { .. }) => {
                        self.members.items.push(node);
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                node = self.close();
                            }
                            _ => {
                                let message = format!(
                                    "expected `,` or `]` after an array element, found {}",
                                    self.found()
                                );
                                return Err(self.syntax(message));
                            }
                        }
                    }
                    Some(Frame::Map { key, key_span, .. }) => {
                        self.members.entries.push(Entry {
                            key: std::mem::take(key),
                            key_span: *key_span,
                            value: node,
                        });
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_whitespace();
                                let (next_key, next_span) = self.key("a member name")?;
                                self.set_key(next_key, next_span);
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                node = self.close();
                            }
                            _ => {
                                let message = format!(
                                    "expected `,` or `}}` after an object member, found {}",
                                    self.found()
                                );
                                return Err(self.syntax(message));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Records the member name whose value comes next in the innermost object.
    fn set_key(&mut self, next_key: String, next_span: Span) {
        if let Some(Frame::Map { key, key_span, .. }) = self.stack.last_mut() {
            *key = next_key;
            *key_span = next_span;
        }
    }

    /// Checks the depth limit before an array or object at `span` opens.
    fn open(&mut self, span: Span) -> Result<(), Failure> {
        if self.stack.len() >= self.max_depth {
            return Err(Failure::Limit(LoadProblem {
                rule: InputLimitExceeded::META,
                message: format!(
                    "nesting deeper than {} levels of arrays and objects",
                    self.max_depth
                ),
                span,
                pointer: self.container_pointer_with_last(),
                help: Some("flatten the document; no real API nests this deep".to_owned()),
                related: Vec::new(),
            }));
        }
        Ok(())
    }

    /// The pointer of the value being read inside the innermost open container.
    fn container_pointer_with_last(&self) -> Pointer {
        self.pointer_through(self.stack.len())
    }

    /// Pops the innermost container, which has just been closed, into a node.
    fn close(&mut self) -> Node {
        match self.stack.last() {
            Some(&Frame::Seq { span, start }) => {
                let items = self.members.take_items(start);
                self.stack.pop();
                Node::new(Value::Seq(items), span)
            }
            Some(&Frame::Map { span, start, .. }) => {
                let entries = self.members.take_entries(start);
                // Duplicates are reported with this object's pointer, so before it is popped.
                let entries = match find_duplicates(&entries) {
                    None => entries,
                    Some(duplicates) => self.without_duplicates(entries, &duplicates),
                };
                self.stack.pop();
                Node::new(Value::Map(Map { entries }), span)
            }
            // The caller only closes a container it has just seen on the stack.
            None => Node::new(Value::Null, Span::default()),
        }
    }

    /// Reports every repeated key of a closed object and keeps its first occurrence only, so the
    /// tree is a proper mapping and a lookup finds the member the diagnostic points at first.
    fn without_duplicates(
        &mut self,
        entries: Vec<Entry>,
        duplicates: &[Option<usize>],
    ) -> Vec<Entry> {
        // The closed object is still the innermost frame.
        let container = self.container_pointer();
        keep_first_of_each(entries, duplicates, &container, &mut self.problems)
    }

    /// Reads a member name and the `:` after it.
    fn key(&mut self, expected: &str) -> Result<(String, Span), Failure> {
        let span = self.here();
        if self.peek() != Some(b'"') {
            let message = format!("expected {expected}, found {}", self.found());
            return Err(self.syntax(message));
        }
        let key = self.string()?;
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            let message = format!("expected `:` after the member name, found {}", self.found());
            return Err(self.syntax(message));
        }
        self.pos += 1;
        Ok((key, span))
    }

    fn literal(&mut self, word: &str, value: Value, span: Span) -> Result<Node, Failure> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(Node::new(value, span))
        } else {
            let message = format!("expected a value, found {}", self.found());
            Err(self.syntax(message))
        }
    }

    /// Reads a string starting at its opening quote. Text without escapes is copied once.
    fn string(&mut self) -> Result<String, Failure> {
        self.pos += 1;
        let start = self.pos;
        self.scan_plain();
        if self.peek() == Some(b'"') {
            let text = self
                .text
                .get(start..self.pos)
                .unwrap_or_default()
                .to_owned();
            self.pos += 1;
            return Ok(text);
        }
        let mut buffer = std::mem::take(&mut self.scratch);
        buffer.clear();
        buffer.push_str(self.text.get(start..self.pos).unwrap_or_default());
        let result = self.string_with_escapes(&mut buffer);
        let text = result.map(|()| buffer.as_str().to_owned());
        self.scratch = buffer;
        text
    }

    /// Advances over bytes that need no attention inside a string.
    fn scan_plain(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let run = rest
            .iter()
            .position(|&byte| stops_string(byte))
            .unwrap_or(rest.len());
        self.pos += run;
    }

    fn string_with_escapes(&mut self, buffer: &mut String) -> Result<(), Failure> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.escape(buffer)?;
                }
                Some(byte) if byte < 0x20 => {
                    let message = format!(
                        "a string cannot hold the control character U+{byte:04X}; write it as an escape such as `\\n`"
                    );
                    return Err(self.syntax(message));
                }
                Some(_) => {
                    let start = self.pos;
                    self.scan_plain();
                    buffer.push_str(self.text.get(start..self.pos).unwrap_or_default());
                }
                None => {
                    return Err(self.syntax(
                        "the string is not closed: expected `\"` before the end of the file"
                            .to_owned(),
                    ));
                }
            }
        }
    }

    /// Reads one escape sequence starting at its backslash.
    fn escape(&mut self, buffer: &mut String) -> Result<(), Failure> {
        let escape_at = self.pos;
        self.pos += 1;
        let Some(letter) = self.peek() else {
            return Err(self.syntax(
                "the string is not closed: expected `\"` before the end of the file".to_owned(),
            ));
        };
        let decoded = match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                let unit = self.hex4(escape_at)?;
                buffer.push(self.code_point(unit, escape_at)?);
                return Ok(());
            }
            _ => {
                self.pos = escape_at;
                let message = format!(
                    "unknown escape `\\{}` in a string; JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                    self.text
                        .get(escape_at + 1..)
                        .and_then(|rest| rest.chars().next())
                        .unwrap_or(' ')
                );
                return Err(self.syntax(message));
            }
        };
        self.pos += 1;
        buffer.push(decoded);
        Ok(())
    }

    /// Turns a `\u` code unit (and the low surrogate after a high one) into a character.
    fn code_point(&mut self, unit: u16, escape_at: usize) -> Result<char, Failure> {
        match unit {
            0xD800..=0xDBFF => {
                let low_at = self.pos;
                let low = if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                    self.pos += 2;
                    Some(self.hex4(low_at)?)
                } else {
                    None
                };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        let scalar = 0x10000
                            + ((u32::from(unit) - 0xD800) << 10)
                            + (u32::from(low) - 0xDC00);
                        Ok(char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER))
                    }
                    _ => {
                        self.pos = escape_at;
                        Err(self.syntax(format!(
                            "`\\u{unit:04X}` is a high surrogate and must be followed by a low surrogate escape (`\\uDC00` to `\\uDFFF`)"
                        )))
                    }
                }
            }
            0xDC00..=0xDFFF => {
                self.pos = escape_at;
                Err(self.syntax(format!(
                    "`\\u{unit:04X}` is a low surrogate without the high surrogate before it"
                )))
            }
            _ => Ok(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
    }

    /// Reads four hex digits of a `\u` escape.
    fn hex4(&mut self, escape_at: usize) -> Result<u16, Failure> {
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(byte @ b'0'..=b'9') => byte - b'0',
                Some(byte @ b'a'..=b'f') => byte - b'a' + 10,
                Some(byte @ b'A'..=b'F') => byte - b'A' + 10,
                _ => {
                    let found = self.found();
                    self.pos = escape_at;
                    return Err(self.syntax(format!(
                        "expected four hex digits after `\\u`, found {found}"
                    )));
                }
            };
            unit = (unit << 4) | u16::from(digit);
            self.pos += 1;
        }
        Ok(unit)
    }

    /// Reads a number with JSON's grammar. Integers that fit become `u64`/`i64`, as serde_json
    /// does; everything else goes through the standard library's correctly rounded `f64` parser.
    fn number(&mut self, span: Span) -> Result<Node, Failure> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut significand: u64 = 0;
        let mut overflow = false;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(byte @ b'0'..=b'9') = self.peek() {
                    match significand
                        .checked_mul(10)
                        .and_then(|value| value.checked_add(u64::from(byte - b'0')))
                    {
                        Some(value) => significand = value,
                        None => overflow = true,
                    }
                    self.pos += 1;
                }
            }
            _ => {
                let message = format!("expected a digit in the number, found {}", self.found());
                return Err(self.syntax(message));
            }
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            self.digits("after the decimal point")?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits("in the exponent")?;
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if integer && !overflow {
            if !negative {
                return Ok(Node::new(Value::Number(Number::from(significand)), span));
            }
            // `-0` is a float in serde_json, and so here.
            if significand != 0 {
                if let Some(value) = 0i64.checked_sub_unsigned(significand) {
                    return Ok(Node::new(Value::Number(Number::from(value)), span));
                }
            }
        }
        let value = match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(number) => Value::Number(number),
            // A number beyond f64's range cannot be a JSON number value; keep what was written.
            None => Value::String(text.to_owned()),
        };
        Ok(Node::new(value, span))
    }

    fn digits(&mut self, place: &str) -> Result<(), Failure> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            let message = format!("expected a digit {place}, found {}", self.found());
            return Err(self.syntax(message));
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        Ok(())
    }
}

/// For each entry repeating an earlier key, the index of that earlier entry; `None` when all
/// keys differ. Small objects compare pairwise, large ones sort.
pub(crate) fn find_duplicates(entries: &[Entry]) -> Option<Vec<Option<usize>>> {
    if entries.len() < 2 {
        return None;
    }
    let mut firsts: Vec<Option<usize>> = Vec::new();
    if entries.len() <= 16 {
        for (index, entry) in entries.iter().enumerate() {
            let earlier = entries
                .iter()
                .take(index)
                .position(|other| other.key == entry.key);
            if earlier.is_some() {
                if firsts.is_empty() {
                    firsts = vec![None; entries.len()];
                }
                if let Some(slot) = firsts.get_mut(index) {
                    *slot = earlier;
                }
            }
        }
    } else {
        let mut order: Vec<usize> = (0..entries.len()).collect();
        // Stable, so equal keys stay in source order and the first of a run is the original.
        order.sort_by(|&a, &b| key_of(entries, a).cmp(key_of(entries, b)));
        let mut run_first: Option<usize> = None;
        let mut previous: Option<&str> = None;
        for &index in &order {
            let key = key_of(entries, index);
            if previous == Some(key) {
                if firsts.is_empty() {
                    firsts = vec![None; entries.len()];
                }
                if let Some(slot) = firsts.get_mut(index) {
                    *slot = run_first;
                }
            } else {
                run_first = Some(index);
                previous = Some(key);
            }
        }
    }
    if firsts.is_empty() {
        None
    } else {
        Some(firsts)
    }
}

fn key_of(entries: &[Entry], index: usize) -> &str {
    entries.get(index).map_or("", |entry| entry.key.as_str())
}

/// The diagnostic for `entry`, which repeats the key of entry `first` of the same mapping.
/// Reports each repeated key among `entries`, at `container`, and keeps the first of each;
/// `duplicates` is what [`find_duplicates`] found in them.
pub(crate) fn keep_first_of_each(
    entries: Vec<Entry>,
    duplicates: &[Option<usize>],
    container: &Pointer,
    problems: &mut Vec<LoadProblem>,
) -> Vec<Entry> {
    let first_spans: Vec<Option<Span>> = duplicates
        .iter()
        .map(|first| {
            first
                .and_then(|at| entries.get(at))
                .map(|entry| entry.key_span)
        })
        .collect();
    let mut kept = Vec::with_capacity(entries.len());
    for (entry, first_span) in entries.into_iter().zip(first_spans) {
        match first_span {
            Some(first_span) => problems.push(duplicate_problem(container, &entry, first_span)),
            None => kept.push(entry),
        }
    }
    kept
}

pub(crate) fn duplicate_problem(container: &Pointer, entry: &Entry, first: Span) -> LoadProblem {
    let pointer = container.join(&entry.key);
    LoadProblem {
        rule: DuplicateKey::META,
        message: format!(
            "the key `{}` appears more than once in this mapping",
            entry.key
        ),
        span: entry.key_span,
        pointer: pointer.clone(),
        help: Some(format!(
            "the first `{}` is at line {}, column {}; keep one of them (apigw reads the first)",
            entry.key, first.line, first.column
        )),
        related: vec![LoadRelated {
            span: first,
            pointer,
            message: format!("`{}` first appears here", entry.key),
        }],
    }
}
