//! The fast path of the YAML loader: a byte scanner for the YAML that OpenAPI specs and
//! CloudFormation templates are written in, feeding the same [`Builder`] as saphyr-parser's events.
//!
//! It must never accept a document saphyr-parser refuses, nor read one differently (values, key
//! order, the place of every node and key). Whatever it does not read, or is unsure of, makes it
//! decline, and the caller reads the file again with saphyr-parser: directives, explicit keys
//! (`? `), several documents, tabs near indentation, keys spanning lines, multi-line scalars
//! inside flow collections, and every syntax error.
//!
//! Places follow saphyr-parser's markers: a node starts at its first property (`&anchor`,
//! `!tag`), else at its first character; a block mapping at its first key; a sequence written at
//! the indentation of the key that holds it at its first entry's content; a block scalar at its
//! first content character; an empty value at the `:` before it, or just past the `-` (and its
//! comment) of an empty entry.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, ScalarStyle, Tag};

use super::{Builder, Step, CORE_SCHEMA_HANDLE};
use crate::load::tree::Span;
use crate::load::{to_u32, Limits, LineCursor, Loaded};

/// The fast path declined the document; saphyr-parser reads it instead.
struct Decline;

type Scan<T> = Result<T, Decline>;

/// saphyr-parser gives up on an implicit key past 1024 characters; keys stay well below that.
const MAX_KEY_BYTES: usize = 1000;

/// Reads the document, or `None` when the fast path declines it.
pub(super) fn parse(text: &str, start: usize, limits: &Limits) -> Option<Loaded> {
    scan(text, start, limits).ok()
}

/// Reads the document, or gives the line and column where the fast path declined it.
fn scan(text: &str, start: usize, limits: &Limits) -> Result<Loaded, (u32, usize)> {
    // A byte-order mark inside the document is an error in some places and text in others.
    if text
        .get(start..)
        .is_none_or(|body| body.contains('\u{FEFF}'))
    {
        return Err((1, 0));
    }
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: start,
        cursor: LineCursor::new(start),
        blocks: Vec::new(),
        anchors: HashMap::new(),
        next_anchor: 1,
        flow_unrolled: false,
        builder: Builder::new(limits),
    };
    match scanner.document() {
        Ok(()) => Ok(scanner.builder.finish_document()),
        Err(Decline) => Err((
            scanner.cursor.line,
            scanner.pos - scanner.cursor.line_start + 1,
        )),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Map,
    Seq,
    /// A sequence at the indentation of the key that holds it: it ends at the next key.
    IndentlessSeq,
}

/// An open block collection and the column of its keys or dashes.
struct Block {
    kind: BlockKind,
    indent: usize,
}

/// What a value follows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Root,
    MapValue,
    SeqEntry,
}

/// Where the scanner stands between two steps of the block structure.
enum Next {
    /// At the first character of a content line, whose column is given; `None` at the end.
    Line(Option<usize>),
    /// Past the `:` of a key or the `-` of an entry and the blanks after it, the value unread.
    /// `min` is the column continuation lines must reach; `empty` the place of an empty value.
    Value { min: usize, slot: Slot, empty: Span },
}

/// The properties written before a node.
#[derive(Default)]
struct Props {
    anchor: usize,
    /// Boxed, so that the properties stay small as they pass through the scanner: most nodes
    /// have none.
    tag: Option<Box<Tag>>,
    /// Where the first property starts, which is where the node starts.
    span: Option<Span>,
}

impl Props {
    fn is_empty(&self) -> bool {
        self.span.is_none()
    }
}

/// Why a plain scalar's text on a line ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The line ends (or the text does).
    Eol,
    /// A comment starts (` #`).
    Comment,
    /// A value indicator (`: `) follows: the scalar is a key.
    Colon,
    /// A flow indicator (`,[]{}`) inside a flow collection.
    Flow,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlowState {
    /// Expecting an entry of a sequence or `]`.
    Item,
    /// Expecting `,` or `]` after an entry.
    AfterItem,
    /// Expecting a key of a mapping or `}`.
    Key,
    /// Expecting `:` (or `,`/`}` for a key without value) after a key.
    Colon,
    /// Expecting a value (or `,`/`}` for an empty one) after `:`.
    Value,
    /// Expecting `,` or `}` after a value.
    AfterValue,
}

struct FlowFrame {
    map: bool,
    state: FlowState,
    /// The `:` of the key being read, where an empty value is placed.
    colon: Span,
    /// Whether that key is quoted.
    quoted_key: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

struct Scanner<'t, 'l> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    cursor: LineCursor,
    blocks: Vec<Block>,
    /// Anchor names with the number saphyr-parser would give them (counting from 1).
    anchors: HashMap<&'t str, usize>,
    next_anchor: usize,
    /// Whether the flow collection being read has held a plain scalar, after which saphyr-parser
    /// accepts its lines one column less indented.
    flow_unrolled: bool,
    builder: Builder<'l>,
}

/// The bytes that may end a plain scalar's run of text in block context: blanks, breaks, `#`
/// and `:` (which end it only in some places) and NUL.
static BLOCK_STOPS: [bool; 256] = stop_table(b" \t\n\r#:\0");

/// The same inside flow collections, where the flow indicators end plain scalars too.
static FLOW_STOPS: [bool; 256] = stop_table(b" \t\n\r#:\0,[]{}");

#[expect(
    clippy::indexing_slicing,
    reason = "evaluated at compile time, and a byte indexes 256 entries"
)]
const fn stop_table(stops: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut index = 0;
    while index < stops.len() {
        table[stops[index] as usize] = true;
        index += 1;
    }
    table
}

fn is_blank_or_break(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_flow_indicator(byte: u8) -> bool {
    matches!(byte, b',' | b'[' | b']' | b'{' | b'}')
}

/// Whether a property or alias name may hold `byte` (saphyr-parser's anchor characters).
fn is_anchor_byte(byte: u8) -> bool {
    !is_blank_or_break(byte) && !is_flow_indicator(byte) && byte != 0
}

fn is_tag_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

impl<'t> Scanner<'t, '_> {
    // -----------------------------------------------------------------------------------------
    // Bytes and places

    fn peek(&self) -> u8 {
        self.bytes.get(self.pos).copied().unwrap_or(0)
    }

    fn peek_at(&self, pos: usize) -> u8 {
        self.bytes.get(pos).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// The span of `pos`, which lies on the current line.
    fn span_at(&mut self, pos: usize) -> Span {
        self.cursor.span_at(self.bytes, pos)
    }

    fn here(&mut self) -> Span {
        self.span_at(self.pos)
    }

    /// The column of the current position when only spaces precede it on its line.
    fn indent_column(&self) -> usize {
        self.pos - self.cursor.line_start
    }

    /// Steps over the line break at the current position. A lone `\r` is declined.
    fn newline(&mut self) -> Scan<()> {
        match self.peek() {
            b'\n' => self.pos += 1,
            b'\r' if self.peek_at(self.pos + 1) == b'\n' => self.pos += 2,
            _ => return Err(Decline),
        }
        self.cursor.new_line(self.pos);
        Ok(())
    }

    fn skip_spaces(&mut self) {
        // Indentation is a large part of a YAML file: eight bytes at a time while they last.
        const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
        while let Some(word) = self.bytes.get(self.pos..self.pos + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let other = word ^ SPACES;
            if other != 0 {
                self.pos += (other.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
        while self.peek() == b' ' {
            self.pos += 1;
        }
    }

    /// Records that the current position, reached over spaces from the line's start, is at
    /// this column, so that spans on the line count characters from here.
    fn mark_indentation(&mut self) {
        self.cursor
            .known_column(self.pos, to_u32(self.pos - self.cursor.line_start));
    }

    /// Skips spaces; a tab among them is declined.
    fn skip_separation(&mut self) -> Scan<()> {
        self.skip_spaces();
        if self.peek() == b'\t' {
            return Err(Decline);
        }
        Ok(())
    }

    /// Moves to the line break (or the end) that ends the current line.
    fn skip_to_break(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let length = rest
            .iter()
            .position(|&byte| byte == b'\n' || byte == b'\r')
            .unwrap_or(rest.len());
        self.pos += length;
    }

    /// Whether a `#` at the current position starts a comment: a blank must come before it.
    fn comment_allowed(&self) -> bool {
        self.pos == self.cursor.line_start || self.peek_at(self.pos.wrapping_sub(1)) == b' '
    }

    /// Skips blanks and a comment after them, up to the line break.
    fn skip_blanks_and_comment(&mut self) -> Scan<()> {
        self.skip_separation()?;
        if self.peek() == b'#' {
            if !self.comment_allowed() {
                return Err(Decline);
            }
            self.skip_to_break();
        }
        Ok(())
    }

    /// After a complete node: only blanks and a comment may follow on the line. Steps over the
    /// line break.
    fn end_of_line(&mut self) -> Scan<()> {
        self.skip_blanks_and_comment()?;
        if self.at_end() {
            return Ok(());
        }
        self.newline()
    }

    /// From the leading blanks of a line, skips blank and comment lines. Returns the column of
    /// the next content line (the position at its first character), or `None` at the end.
    fn skip_blank_lines(&mut self) -> Scan<Option<usize>> {
        loop {
            self.skip_spaces();
            match self.peek() {
                b'\t' => {
                    // Tabs are allowed on a line that holds nothing else.
                    while matches!(self.peek(), b' ' | b'\t') {
                        self.pos += 1;
                    }
                    if self.at_end() {
                        return Ok(None);
                    }
                    self.newline()?;
                }
                b'#' => {
                    self.skip_to_break();
                    if self.at_end() {
                        return Ok(None);
                    }
                    self.newline()?;
                }
                b'\n' | b'\r' => self.newline()?,
                _ if self.at_end() => return Ok(None),
                // A NUL byte: the loader refuses control characters before getting here.
                0 => return Err(Decline),
                _ => {
                    self.mark_indentation();
                    return Ok(Some(self.indent_column()));
                }
            }
        }
    }

    fn finish_line(&mut self) -> Scan<Next> {
        self.end_of_line()?;
        Ok(Next::Line(self.skip_blank_lines()?))
    }

    /// `---` or `...` (as `marker`) at the current position, followed by a blank or the end.
    fn at_document_marker(&self, marker: u8) -> bool {
        self.peek() == marker
            && self.peek_at(self.pos + 1) == marker
            && self.peek_at(self.pos + 2) == marker
            && matches!(self.peek_at(self.pos + 3), b' ' | b'\t' | b'\n' | b'\r' | 0)
    }

    /// A `-` that starts a block sequence entry.
    fn at_dash(&self) -> bool {
        self.peek() == b'-'
            && matches!(self.peek_at(self.pos + 1), b' ' | b'\t' | b'\n' | b'\r' | 0)
    }

    // -----------------------------------------------------------------------------------------
    // Events

    /// A key, or a value without properties.
    fn untagged_scalar(&mut self, text: Cow<'t, str>, style: ScalarStyle, at: Span) -> Scan<()> {
        match self.builder.untagged_scalar(text, style, at) {
            Ok(Step::Continue) => Ok(()),
            _ => Err(Decline),
        }
    }

    fn emit(&mut self, event: Event<'t>, at: Span) -> Scan<()> {
        match self.builder.event(event, at) {
            Ok(Step::Continue) => Ok(()),
            // A limit or a mistake the builder reports: saphyr-parser's path reports it with
            // everything around it exactly as it always has.
            _ => Err(Decline),
        }
    }

    fn scalar(
        &mut self,
        text: Cow<'t, str>,
        style: ScalarStyle,
        props: Props,
        at: Span,
    ) -> Scan<()> {
        let Some(at) = props.span else {
            return self.untagged_scalar(text, style, at);
        };
        self.emit(
            Event::Scalar(
                text,
                style,
                props.anchor,
                props.tag.map(|tag| Cow::Owned(*tag)),
            ),
            at,
        )
    }

    fn open_block(&mut self, kind: BlockKind, indent: usize, props: Props, at: Span) -> Scan<()> {
        let at = props.span.unwrap_or(at);
        let tag = props.tag.map(|tag| Cow::Owned(*tag));
        let event = match kind {
            BlockKind::Map => Event::MappingStart(props.anchor, tag),
            BlockKind::Seq | BlockKind::IndentlessSeq => Event::SequenceStart(props.anchor, tag),
        };
        self.blocks.push(Block { kind, indent });
        self.emit(event, at)
    }

    fn close_block(&mut self) -> Scan<()> {
        let Some(block) = self.blocks.pop() else {
            return Err(Decline);
        };
        let event = match block.kind {
            BlockKind::Map => Event::MappingEnd,
            BlockKind::Seq | BlockKind::IndentlessSeq => Event::SequenceEnd,
        };
        // The builder places a collection where it starts; the end's place is not used.
        self.emit(event, Span::default())
    }

    // -----------------------------------------------------------------------------------------
    // Block structure

    fn document(&mut self) -> Scan<()> {
        let mut first = self.skip_blank_lines()?;
        if first == Some(0) && self.at_document_marker(b'-') {
            self.pos += 3;
            self.end_of_line()?;
            first = self.skip_blank_lines()?;
        }
        // An empty document, a directive, or an explicit end: rare, and saphyr-parser's business.
        let Some(column) = first else {
            return Err(Decline);
        };
        if column == 0
            && (self.peek() == b'%'
                || self.at_document_marker(b'-')
                || self.at_document_marker(b'.'))
        {
            return Err(Decline);
        }
        let at = self.here();
        self.emit(Event::StreamStart, at)?;
        self.emit(Event::DocumentStart(false), at)?;
        let mut next = self.node(0, Props::default(), true, false, Slot::Root)?;
        loop {
            next = match next {
                Next::Line(None) => break,
                Next::Line(Some(column)) => self.line(column)?,
                Next::Value { min, slot, empty } => self.value(min, slot, empty)?,
            };
        }
        while !self.blocks.is_empty() {
            self.close_block()?;
        }
        let at = self.here();
        self.emit(Event::DocumentEnd, at)?;
        match self.builder.event(Event::StreamEnd, at) {
            Ok(Step::Done) if self.builder.root.is_some() => Ok(()),
            _ => Err(Decline),
        }
    }

    /// At the first character of a content line: closes what it ends, then reads the key or
    /// the `-` it starts with.
    fn line(&mut self, column: usize) -> Scan<Next> {
        if column == 0 {
            if self.at_document_marker(b'.') {
                self.pos += 3;
                self.end_of_line()?;
                // Whatever follows an explicit end is another document or a directive.
                return match self.skip_blank_lines()? {
                    None => Ok(Next::Line(None)),
                    Some(_) => Err(Decline),
                };
            }
            if self.at_document_marker(b'-') || self.peek() == b'%' {
                return Err(Decline);
            }
        }
        while self
            .blocks
            .last()
            .is_some_and(|block| block.indent > column)
        {
            self.close_block()?;
        }
        loop {
            let Some(block) = self.blocks.last() else {
                return Err(Decline);
            };
            if block.indent != column {
                return Err(Decline);
            }
            match block.kind {
                BlockKind::Map => return self.key_line(column),
                BlockKind::Seq | BlockKind::IndentlessSeq if self.at_dash() => {
                    return self.dash(column)
                }
                BlockKind::IndentlessSeq => self.close_block()?,
                BlockKind::Seq => return Err(Decline),
            }
        }
    }

    /// At a `-`: steps past it and the blanks (and comment) after it.
    fn dash(&mut self, column: usize) -> Scan<Next> {
        let empty = self.past_dash()?;
        Ok(Next::Value {
            min: column + 1,
            slot: Slot::SeqEntry,
            empty,
        })
    }

    /// Steps past a `-` and what follows it on the line up to the entry's content, and returns
    /// the place saphyr-parser gives the entry marker (and so an empty entry).
    fn past_dash(&mut self) -> Scan<Span> {
        self.pos += 1;
        self.skip_separation()?;
        if self.peek() == b'#' {
            self.skip_to_break();
        }
        Ok(self.here())
    }

    /// A key at the start of a line in a block mapping.
    fn key_line(&mut self, column: usize) -> Scan<Next> {
        let start = self.pos;
        let at = self.here();
        let (text, style) = match self.peek() {
            quote @ (b'"' | b'\'') => {
                let (text, multi_line) = self.quoted(column + 1)?;
                if multi_line {
                    return Err(Decline);
                }
                (text, quote_style(quote))
            }
            byte if self.plain_start(byte, false) => {
                let (end, stop) = self.plain_line(false)?;
                if stop != Stop::Colon {
                    return Err(Decline);
                }
                (Cow::Borrowed(self.slice(start, end)), ScalarStyle::Plain)
            }
            _ => return Err(Decline),
        };
        let Some(colon) = self.colon(start)? else {
            return Err(Decline);
        };
        self.untagged_scalar(text, style, at)?;
        Ok(Next::Value {
            min: column + 1,
            slot: Slot::MapValue,
            empty: colon,
        })
    }

    /// After a key's text: blanks, then a `:` followed by a blank or the line's end. Returns the
    /// `:`'s place with the position past it and its blanks, or `None` when no `:` follows.
    fn colon(&mut self, key_start: usize) -> Scan<Option<Span>> {
        self.skip_separation()?;
        if self.peek() != b':' || !matches!(self.peek_at(self.pos + 1), b' ' | b'\n' | b'\r' | 0) {
            return Ok(None);
        }
        if self.pos - key_start > MAX_KEY_BYTES {
            return Err(Decline);
        }
        let colon = self.here();
        self.pos += 1;
        self.skip_separation()?;
        Ok(Some(colon))
    }

    /// The value after `key:` or `-`, on this line or the lines after it.
    fn value(&mut self, min: usize, slot: Slot, empty: Span) -> Scan<Next> {
        let mut props = Props::default();
        let mut own_line = false;
        loop {
            let mut props_inline = false;
            if matches!(self.peek(), b'&' | b'!') {
                // Properties on two lines are rare; saphyr-parser's path reads them.
                if !props.is_empty() {
                    return Err(Decline);
                }
                self.properties(&mut props)?;
                props_inline = true;
            }
            if !matches!(self.peek(), b'\n' | b'\r' | b'#') && !self.at_end() {
                return self.node(min, props, own_line, props_inline, slot);
            }
            self.end_of_line()?;
            let next = self.skip_blank_lines()?;
            match next {
                Some(column) if column >= min => own_line = true,
                Some(column)
                    if slot == Slot::MapValue
                        && column + 1 == min
                        && props.is_empty()
                        && self.at_dash() =>
                {
                    // A sequence at the indentation of its key.
                    self.blocks.push(Block {
                        kind: BlockKind::IndentlessSeq,
                        indent: column,
                    });
                    let entry = self.past_dash()?;
                    self.emit(Event::SequenceStart(0, None), entry)?;
                    return Ok(Next::Value {
                        min: column + 1,
                        slot: Slot::SeqEntry,
                        empty: entry,
                    });
                }
                _ => {
                    self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, props, empty)?;
                    return Ok(Next::Line(next));
                }
            }
        }
    }

    /// A node whose first character is at the current position. `own_line`: the node starts a
    /// line below the key or `-` that holds it, so that it may be a block collection.
    /// `props_inline`: its properties are on its line, where they would belong to a key.
    fn node(
        &mut self,
        min: usize,
        props: Props,
        own_line: bool,
        props_inline: bool,
        slot: Slot,
    ) -> Scan<Next> {
        let start = self.pos;
        let node_at = self.here();
        let may_open = own_line || slot == Slot::SeqEntry;
        match self.peek() {
            b'-' if self.at_dash() => {
                if !may_open || props_inline {
                    return Err(Decline);
                }
                let column = self.indent_column();
                self.open_block(BlockKind::Seq, column, props, node_at)?;
                self.dash(column)
            }
            quote @ (b'"' | b'\'') => {
                let (text, multi_line) = self.quoted(min)?;
                if !multi_line {
                    if let Some(colon) = self.colon(start)? {
                        if !may_open || props_inline {
                            return Err(Decline);
                        }
                        return self.open_map(
                            start,
                            props,
                            node_at,
                            text,
                            quote_style(quote),
                            colon,
                        );
                    }
                }
                if slot == Slot::Root {
                    return Err(Decline);
                }
                self.scalar(text, quote_style(quote), props, node_at)?;
                self.finish_line()
            }
            _ if slot == Slot::Root => {
                // A root that is not a block collection: rare in a spec, saphyr-parser's path.
                if self.plain_start(self.peek(), false) {
                    let (end, stop) = self.plain_line(false)?;
                    if stop == Stop::Colon {
                        let text = Cow::Borrowed(self.slice(start, end));
                        let Some(colon) = self.colon(start)? else {
                            return Err(Decline);
                        };
                        return self.open_map(
                            start,
                            props,
                            node_at,
                            text,
                            ScalarStyle::Plain,
                            colon,
                        );
                    }
                }
                Err(Decline)
            }
            b'[' | b'{' => {
                self.flow(min, props, node_at)?;
                self.finish_line()
            }
            b'|' | b'>' => self.block_scalar(min, props),
            b'*' => {
                if !props.is_empty() {
                    return Err(Decline);
                }
                self.alias()?;
                self.finish_line()
            }
            byte if self.plain_start(byte, false) => {
                let (end, stop) = self.plain_line(false)?;
                if stop == Stop::Colon {
                    if !may_open || props_inline {
                        return Err(Decline);
                    }
                    let text = Cow::Borrowed(self.slice(start, end));
                    let Some(colon) = self.colon(start)? else {
                        return Err(Decline);
                    };
                    return self.open_map(start, props, node_at, text, ScalarStyle::Plain, colon);
                }
                self.plain_rest(start, end, stop, min, props, node_at)
            }
            _ => Err(Decline),
        }
    }

    /// Opens a block mapping at the key just read and emits the key.
    fn open_map(
        &mut self,
        start: usize,
        props: Props,
        at: Span,
        key: Cow<'t, str>,
        style: ScalarStyle,
        colon: Span,
    ) -> Scan<Next> {
        // Only spaces and dashes come before a key that opens a mapping, so bytes count columns.
        let column = start - self.cursor.line_start;
        self.open_block(BlockKind::Map, column, props, at)?;
        self.untagged_scalar(key, style, at)?;
        Ok(Next::Value {
            min: column + 1,
            slot: Slot::MapValue,
            empty: colon,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Properties and aliases

    /// Reads `&anchor` and `!tag` (one of each, in either order), each followed by blanks.
    fn properties(&mut self, props: &mut Props) -> Scan<()> {
        loop {
            match self.peek() {
                b'&' if props.anchor == 0 => {
                    let at = self.here();
                    props.span.get_or_insert(at);
                    self.pos += 1;
                    let name = self.name()?;
                    let id = self.next_anchor;
                    self.next_anchor += 1;
                    self.anchors.insert(name, id);
                    props.anchor = id;
                }
                b'!' if props.tag.is_none() => {
                    let at = self.here();
                    props.span.get_or_insert(at);
                    props.tag = Some(Box::new(self.tag()?));
                }
                b'&' | b'!' => return Err(Decline),
                _ => return Ok(()),
            }
            if !matches!(self.peek(), b' ' | b'\n' | b'\r') && !self.at_end() {
                return Err(Decline);
            }
            self.skip_separation()?;
        }
    }

    /// An anchor or alias name after its `&` or `*`.
    fn name(&mut self) -> Scan<&'t str> {
        let start = self.pos;
        while is_anchor_byte(self.peek()) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(Decline);
        }
        Ok(self.slice(start, self.pos))
    }

    /// `!Name`, `!!name` or `!`; other tag forms are declined.
    fn tag(&mut self) -> Scan<Tag> {
        self.pos += 1;
        let secondary = self.peek() == b'!';
        if secondary {
            self.pos += 1;
        }
        let start = self.pos;
        while is_tag_name_byte(self.peek()) {
            self.pos += 1;
        }
        let suffix = self.slice(start, self.pos).to_owned();
        let tag = match (secondary, suffix.is_empty()) {
            (true, true) => return Err(Decline),
            (true, false) => Tag {
                handle: CORE_SCHEMA_HANDLE.to_owned(),
                suffix,
            },
            (false, true) => Tag {
                handle: String::new(),
                suffix: "!".to_owned(),
            },
            (false, false) => Tag {
                handle: "!".to_owned(),
                suffix,
            },
        };
        Ok(tag)
    }

    fn alias(&mut self) -> Scan<()> {
        let at = self.here();
        self.pos += 1;
        let name = self.name()?;
        let Some(&id) = self.anchors.get(name) else {
            return Err(Decline);
        };
        self.emit(Event::Alias(id), at)
    }

    // -----------------------------------------------------------------------------------------
    // Plain scalars

    /// Whether `byte` may start a plain scalar here. `?x` and `:x` are plain text in block
    /// context only; inside flow collections they are declined.
    fn plain_start(&self, byte: u8, flow: bool) -> bool {
        let next = self.peek_at(self.pos + 1);
        match byte {
            b'-' => !is_blank_or_break(next) && next != 0 && !(flow && is_flow_indicator(next)),
            b'?' | b':' => !flow && !is_blank_or_break(next) && next != 0,
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' => false,
            b' ' | b'\t' | b'\n' | b'\r' | 0 => false,
            _ => true,
        }
    }

    /// Reads a plain scalar's text on the current line. Returns where the text ends (trailing
    /// blanks excluded) and why; the position is left at what stopped it.
    fn plain_line(&mut self, flow: bool) -> Scan<(usize, Stop)> {
        let stops = if flow { &FLOW_STOPS } else { &BLOCK_STOPS };
        let mut end = self.pos;
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let run = rest
                .iter()
                .position(|&byte| stops.get(usize::from(byte)).copied().unwrap_or(true))
                .unwrap_or(rest.len());
            if run > 0 {
                self.pos += run;
                end = self.pos;
            }
            let byte = self.peek();
            match byte {
                b' ' => self.pos += 1,
                b'\t' => return Err(Decline),
                b'\n' | b'\r' => return Ok((end, Stop::Eol)),
                0 if self.at_end() => return Ok((end, Stop::Eol)),
                0 => return Err(Decline),
                b'#' if self.pos != end => return Ok((end, Stop::Comment)),
                b':' => {
                    let next = self.peek_at(self.pos + 1);
                    if matches!(next, b' ' | b'\t' | b'\n' | b'\r' | 0)
                        || (flow && is_flow_indicator(next))
                    {
                        return Ok((end, Stop::Colon));
                    }
                    self.pos += 1;
                    end = self.pos;
                }
                _ if flow && is_flow_indicator(byte) => return Ok((end, Stop::Flow)),
                _ => {
                    self.pos += 1;
                    end = self.pos;
                }
            }
        }
    }

    /// The rest of a plain scalar in block context whose first line ends at `end`: its
    /// continuation lines, folded, then the scalar itself.
    fn plain_rest(
        &mut self,
        start: usize,
        end: usize,
        stop: Stop,
        min: usize,
        props: Props,
        at: Span,
    ) -> Scan<Next> {
        match stop {
            Stop::Comment => {
                self.scalar(
                    Cow::Borrowed(self.slice(start, end)),
                    ScalarStyle::Plain,
                    props,
                    at,
                )?;
                return self.finish_line();
            }
            Stop::Eol => {}
            Stop::Colon | Stop::Flow => return Err(Decline),
        }
        let mut folded: Option<String> = None;
        loop {
            // At the break ending a line of the scalar, or the end of the text.
            if self.at_end() {
                let text = match folded {
                    Some(text) => Cow::Owned(text),
                    None => Cow::Borrowed(self.slice(start, end)),
                };
                self.scalar(text, ScalarStyle::Plain, props, at)?;
                return Ok(Next::Line(None));
            }
            self.newline()?;
            let mut breaks = 0usize;
            let next = loop {
                self.skip_spaces();
                match self.peek() {
                    b'\t' => return Err(Decline),
                    b'\n' | b'\r' => {
                        breaks += 1;
                        self.newline()?;
                    }
                    _ if self.at_end() => break None,
                    _ => {
                        self.mark_indentation();
                        break Some(self.indent_column());
                    }
                }
            };
            let continues = next.is_some_and(|column| column >= min) && self.peek() != b'#';
            if !continues {
                let text = match folded {
                    Some(text) => Cow::Owned(text),
                    None => Cow::Borrowed(self.slice(start, end)),
                };
                self.scalar(text, ScalarStyle::Plain, props, at)?;
                return Ok(Next::Line(match next {
                    Some(_) => self.skip_blank_lines()?,
                    None => None,
                }));
            }
            let line_start = self.pos;
            let (line_end, line_stop) = self.plain_line(false)?;
            if line_stop != Stop::Eol && line_stop != Stop::Comment {
                return Err(Decline);
            }
            let text = folded.get_or_insert_with(|| self.slice(start, end).to_owned());
            if breaks == 0 {
                text.push(' ');
            } else {
                for _ in 0..breaks {
                    text.push('\n');
                }
            }
            text.push_str(self.slice(line_start, line_end));
            if line_stop == Stop::Comment {
                let text = folded.map(Cow::Owned).unwrap_or_default();
                self.scalar(text, ScalarStyle::Plain, props, at)?;
                return self.finish_line();
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Quoted scalars

    /// A single- or double-quoted scalar at the current position, its continuation lines at or
    /// past column `min`. Leaves the position past the closing quote. Returns the text and
    /// whether it spans lines.
    fn quoted(&mut self, min: usize) -> Scan<(Cow<'t, str>, bool)> {
        let single = self.peek() == b'\'';
        self.pos += 1;
        let start = self.pos;
        // The common case: one line, no escapes.
        let rest = self.bytes.get(start..).unwrap_or_default();
        let stop = rest
            .iter()
            .position(|&byte| match byte {
                b'\'' => single,
                b'"' | b'\\' => !single,
                b'\n' | b'\r' | 0 => true,
                _ => false,
            })
            .unwrap_or(rest.len());
        let close = start + stop;
        let closing = if single { b'\'' } else { b'"' };
        if self.peek_at(close) == closing && !(single && self.peek_at(close + 1) == b'\'') {
            self.pos = close + 1;
            return Ok((Cow::Borrowed(self.slice(start, close)), false));
        }
        self.quoted_general(single, min)
    }

    /// saphyr-parser's reading of a quoted scalar, byte by byte: escapes, `''`, and line folding
    /// (a single break becomes a space, `n` breaks `n - 1` newlines, blanks around breaks go).
    fn quoted_general(&mut self, single: bool, min: usize) -> Scan<(Cow<'t, str>, bool)> {
        let mut out: Vec<u8> = Vec::new();
        let mut whitespace: Vec<u8> = Vec::new();
        let mut leading_break = false;
        let mut trailing_breaks = 0usize;
        let mut multi_line = false;
        loop {
            let mut leading_blanks = false;
            // Non-blank characters.
            loop {
                let byte = self.peek();
                match byte {
                    b' ' | b'\t' | b'\n' | b'\r' => break,
                    0 => return Err(Decline),
                    b'\'' if single => {
                        if self.peek_at(self.pos + 1) == b'\'' {
                            out.push(b'\'');
                            self.pos += 2;
                        } else {
                            break;
                        }
                    }
                    b'"' if !single => break,
                    b'\\' if !single => {
                        let next = self.peek_at(self.pos + 1);
                        if next == b'\n' || next == b'\r' {
                            self.pos += 1;
                            self.newline()?;
                            multi_line = true;
                            leading_blanks = true;
                            break;
                        }
                        self.escape(&mut out)?;
                    }
                    _ => {
                        out.push(byte);
                        self.pos += 1;
                    }
                }
            }
            if self.peek() == if single { b'\'' } else { b'"' } {
                break;
            }
            // Blanks and breaks.
            loop {
                match self.peek() {
                    b' ' | b'\t' => {
                        if leading_blanks {
                            if self.peek() == b'\t' {
                                return Err(Decline);
                            }
                        } else {
                            whitespace.push(self.peek());
                        }
                        self.pos += 1;
                    }
                    b'\n' | b'\r' => {
                        if leading_blanks {
                            trailing_breaks += 1;
                        } else {
                            whitespace.clear();
                            leading_break = true;
                            leading_blanks = true;
                        }
                        self.newline()?;
                        multi_line = true;
                    }
                    _ => break,
                }
            }
            if self.at_end() {
                return Err(Decline);
            }
            // A line that continues the scalar must be indented past its parent.
            if leading_blanks && self.indent_column() < min {
                return Err(Decline);
            }
            if leading_blanks {
                // A break folds into a space unless empty lines follow it; after an escaped
                // break only the empty lines count.
                if leading_break && trailing_breaks == 0 {
                    out.push(b' ');
                }
                out.extend(std::iter::repeat_n(b'\n', trailing_breaks));
                trailing_breaks = 0;
                leading_break = false;
            } else {
                out.append(&mut whitespace);
            }
        }
        self.pos += 1;
        let text = String::from_utf8(out).map_err(|_| Decline)?;
        Ok((Cow::Owned(text), multi_line))
    }

    /// A double-quoted escape at the current `\`, appended to `out`.
    fn escape(&mut self, out: &mut Vec<u8>) -> Scan<()> {
        let code = self.peek_at(self.pos + 1);
        let simple = match code {
            b'0' => Some('\0'),
            b'a' => Some('\x07'),
            b'b' => Some('\x08'),
            b't' | b'\t' => Some('\t'),
            b'n' => Some('\n'),
            b'v' => Some('\x0b'),
            b'f' => Some('\x0c'),
            b'r' => Some('\r'),
            b'e' => Some('\x1b'),
            b' ' => Some(' '),
            b'"' => Some('"'),
            b'/' => Some('/'),
            b'\\' => Some('\\'),
            b'N' => Some('\u{85}'),
            b'_' => Some('\u{a0}'),
            b'L' => Some('\u{2028}'),
            b'P' => Some('\u{2029}'),
            _ => None,
        };
        let ch = match simple {
            Some(ch) => {
                self.pos += 2;
                ch
            }
            None => {
                let digits = match code {
                    b'x' => 2,
                    b'u' => 4,
                    b'U' => 8,
                    _ => return Err(Decline),
                };
                let hex = self
                    .text
                    .get(self.pos + 2..self.pos + 2 + digits)
                    .ok_or(Decline)?;
                if !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                    return Err(Decline);
                }
                let value = u32::from_str_radix(hex, 16).map_err(|_| Decline)?;
                self.pos += 2 + digits;
                char::from_u32(value).ok_or(Decline)?
            }
        };
        let mut buffer = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Block scalars

    /// A literal (`|`) or folded (`>`) scalar at its indicator, with saphyr-parser's reading of
    /// the header, the indentation, folding and chomping.
    fn block_scalar(&mut self, min: usize, props: Props) -> Scan<Next> {
        let literal = self.peek() == b'|';
        self.pos += 1;
        let mut chomp = Chomp::Clip;
        let increment;
        let chomp_of = |byte: u8| match byte {
            b'+' => Some(Chomp::Keep),
            b'-' => Some(Chomp::Strip),
            _ => None,
        };
        // The chomping and indentation indicators, in either order; an indentation of 0 is an
        // error.
        if let Some(found) = chomp_of(self.peek()) {
            chomp = found;
            self.pos += 1;
            increment = self.indentation_indicator()?;
        } else {
            increment = self.indentation_indicator()?;
            if increment > 0 {
                if let Some(found) = chomp_of(self.peek()) {
                    chomp = found;
                    self.pos += 1;
                }
            }
        }
        self.skip_blanks_and_comment()?;
        if self.at_end() {
            return Err(Decline);
        }
        self.newline()?;
        if self.peek() == b'\t' {
            return Err(Decline);
        }
        let mut trailing_breaks = 0usize;
        let indent = if increment > 0 {
            let indent = if min >= 1 {
                min - 1 + increment
            } else {
                increment
            };
            self.block_indent(indent, &mut trailing_breaks)?;
            indent
        } else {
            let mut widest = 0;
            loop {
                self.skip_spaces();
                widest = widest.max(self.indent_column());
                if matches!(self.peek(), b'\n' | b'\r') {
                    trailing_breaks += 1;
                    self.newline()?;
                } else {
                    break;
                }
            }
            widest.max(min)
        };
        // No content line at that indentation (an empty scalar, or a mistake): saphyr-parser's.
        if self.at_end() || self.indent_column() != indent {
            return Err(Decline);
        }
        let at = self.here();
        let mut out = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        loop {
            let trailing_blank = matches!(self.peek(), b' ' | b'\t');
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if trailing_breaks == 0 {
                    out.push(' ');
                }
            } else if leading_break {
                out.push('\n');
            }
            for _ in 0..trailing_breaks {
                out.push('\n');
            }
            trailing_breaks = 0;
            leading_blank = trailing_blank;
            let line_start = self.pos;
            self.skip_to_break();
            out.push_str(self.slice(line_start, self.pos));
            if self.at_end() {
                // The last line has no line break: saphyr-parser's rules there are intricate.
                return Err(Decline);
            }
            self.newline()?;
            leading_break = true;
            self.block_indent(indent, &mut trailing_breaks)?;
            if self.at_end() || self.indent_column() != indent {
                break;
            }
        }
        if self.at_end() && self.pos != self.cursor.line_start {
            // The text ends in blanks after the scalar, which saphyr-parser counts as a line.
            return Err(Decline);
        }
        if chomp != Chomp::Strip && leading_break {
            out.push('\n');
        }
        if chomp == Chomp::Keep {
            for _ in 0..trailing_breaks {
                out.push('\n');
            }
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.scalar(Cow::Owned(out), style, props, at)?;
        Ok(Next::Line(self.skip_blank_lines()?))
    }

    /// A block scalar's indentation indicator (`1` to `9`), 0 when there is none.
    fn indentation_indicator(&mut self) -> Scan<usize> {
        match self.peek() {
            b'0' => Err(Decline),
            digit @ b'1'..=b'9' => {
                self.pos += 1;
                Ok(usize::from(digit - b'0'))
            }
            _ => Ok(0),
        }
    }

    /// Skips up to `indent` spaces of each line, counting the lines that end there.
    fn block_indent(&mut self, indent: usize, breaks: &mut usize) -> Scan<()> {
        loop {
            while self.indent_column() < indent && self.peek() == b' ' {
                self.pos += 1;
            }
            match self.peek() {
                b'\n' | b'\r' => {
                    *breaks += 1;
                    self.newline()?;
                }
                b'\t' if self.indent_column() < indent => return Err(Decline),
                _ => return Ok(()),
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Flow collections

    /// A flow collection at its `[` or `{`, nested ones included, each scalar on one line.
    /// Lines inside it must reach column `min`. Leaves the position past the closing bracket.
    fn flow(&mut self, min: usize, props: Props, at: Span) -> Scan<()> {
        self.flow_unrolled = false;
        let mut stack: Vec<FlowFrame> = Vec::new();
        self.open_flow(&mut stack, props, at)?;
        loop {
            let crossed = self.flow_space(min)?;
            let Some(frame) = stack.last_mut() else {
                return Err(Decline);
            };
            let byte = self.peek();
            match frame.state {
                FlowState::AfterItem | FlowState::AfterValue => {
                    // After an entry: `,` and the next one, or the closing bracket.
                    let (next, close) = if frame.state == FlowState::AfterItem {
                        (FlowState::Item, b']')
                    } else {
                        (FlowState::Key, b'}')
                    };
                    if byte == b',' {
                        frame.state = next;
                        self.pos += 1;
                    } else if byte != close {
                        return Err(Decline);
                    } else if self.close_flow(&mut stack)? {
                        return Ok(());
                    }
                }
                FlowState::Colon => {
                    // A key and its `:` share a line.
                    if crossed && byte == b':' {
                        return Err(Decline);
                    }
                    match byte {
                        // Only a quoted key may have its flow value right after the `:`.
                        b':' if !frame.quoted_key
                            && matches!(self.peek_at(self.pos + 1), b'[' | b'{') =>
                        {
                            return Err(Decline)
                        }
                        b':' => {
                            frame.colon = self.here();
                            frame.state = FlowState::Value;
                            self.pos += 1;
                        }
                        b',' | b'}' => {
                            let empty = self.here();
                            self.scalar(
                                Cow::Borrowed(""),
                                ScalarStyle::Plain,
                                Props::default(),
                                empty,
                            )?;
                            if let Some(frame) = stack.last_mut() {
                                frame.state = FlowState::AfterValue;
                            }
                        }
                        _ => return Err(Decline),
                    }
                }
                FlowState::Item | FlowState::Key | FlowState::Value => {
                    let state = frame.state;
                    let colon = frame.colon;
                    match (byte, state) {
                        (b']', FlowState::Item) | (b'}', FlowState::Key) => {
                            if self.close_flow(&mut stack)? {
                                return Ok(());
                            }
                            continue;
                        }
                        (b'}' | b',', FlowState::Value) => {
                            self.scalar(
                                Cow::Borrowed(""),
                                ScalarStyle::Plain,
                                Props::default(),
                                colon,
                            )?;
                            if let Some(frame) = stack.last_mut() {
                                frame.state = FlowState::AfterValue;
                            }
                            continue;
                        }
                        (b']' | b'}' | b',', _) => return Err(Decline),
                        _ => {}
                    }
                    self.flow_node(&mut stack, state, min)?;
                }
            }
        }
    }

    /// An entry, key or value inside a flow collection.
    fn flow_node(&mut self, stack: &mut Vec<FlowFrame>, state: FlowState, min: usize) -> Scan<()> {
        let node_at = self.here();
        let mut props = Props::default();
        self.properties(&mut props)?;
        let is_key = state == FlowState::Key;
        if is_key && !props.is_empty() {
            return Err(Decline);
        }
        let start = self.pos;
        match self.peek() {
            b'[' | b'{' if !is_key => return self.open_flow(stack, props, node_at),
            b'*' if !is_key && props.is_empty() => self.alias()?,
            quote @ (b'"' | b'\'') => {
                let (text, multi_line) = self.quoted(min)?;
                if multi_line && is_key {
                    return Err(Decline);
                }
                self.scalar(text, quote_style(quote), props, node_at)?;
            }
            byte if self.plain_start(byte, true) => {
                self.flow_unrolled = true;
                let (end, _) = self.plain_line(true)?;
                let text = Cow::Borrowed(self.slice(start, end));
                self.scalar(text, ScalarStyle::Plain, props, node_at)?;
            }
            _ => return Err(Decline),
        }
        let quoted = matches!(self.peek_at(start), b'"' | b'\'');
        if let Some(frame) = stack.last_mut() {
            frame.quoted_key = quoted;
            frame.state = match state {
                FlowState::Item => FlowState::AfterItem,
                FlowState::Key => FlowState::Colon,
                _ => FlowState::AfterValue,
            };
        }
        Ok(())
    }

    fn open_flow(&mut self, stack: &mut Vec<FlowFrame>, props: Props, at: Span) -> Scan<()> {
        let map = self.peek() == b'{';
        let at = props.span.unwrap_or(at);
        let tag = props.tag.map(|tag| Cow::Owned(*tag));
        let event = if map {
            Event::MappingStart(props.anchor, tag)
        } else {
            Event::SequenceStart(props.anchor, tag)
        };
        self.emit(event, at)?;
        self.pos += 1;
        stack.push(FlowFrame {
            map,
            state: if map { FlowState::Key } else { FlowState::Item },
            colon: at,
            quoted_key: false,
        });
        Ok(())
    }

    /// Closes the innermost flow collection at its bracket; `true` when it was the outermost.
    fn close_flow(&mut self, stack: &mut Vec<FlowFrame>) -> Scan<bool> {
        let Some(frame) = stack.pop() else {
            return Err(Decline);
        };
        let event = if frame.map {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.emit(event, Span::default())?;
        self.pos += 1;
        match stack.last_mut() {
            None => Ok(true),
            Some(parent) => {
                parent.state = match parent.state {
                    FlowState::Item => FlowState::AfterItem,
                    FlowState::Value => FlowState::AfterValue,
                    _ => return Err(Decline),
                };
                Ok(false)
            }
        }
    }

    /// Blanks, comments and line breaks between flow tokens. A token starting a line must reach
    /// column `min`. Returns whether a line break was crossed.
    fn flow_space(&mut self, min: usize) -> Scan<bool> {
        let mut crossed = false;
        loop {
            match self.peek() {
                b' ' => self.pos += 1,
                b'#' => {
                    if !self.comment_allowed() {
                        return Err(Decline);
                    }
                    self.skip_to_break();
                }
                b'\n' | b'\r' => {
                    self.newline()?;
                    crossed = true;
                }
                _ if self.at_end() => return Err(Decline),
                b'\t' | 0 => return Err(Decline),
                byte => {
                    // saphyr-parser wants a line inside a flow collection indented past the key
                    // or `-` holding it, but its first plain scalar lowers that by one column for
                    // the tokens that follow, closing brackets included.
                    let required = if self.flow_unrolled && !self.plain_start(byte, true) {
                        min.saturating_sub(1)
                    } else {
                        min
                    };
                    if crossed && self.indent_column() < required {
                        return Err(Decline);
                    }
                    return Ok(crossed);
                }
            }
        }
    }
}

fn quote_style(quote: u8) -> ScalarStyle {
    if quote == b'\'' {
        ScalarStyle::SingleQuoted
    } else {
        ScalarStyle::DoubleQuoted
    }
}

#[cfg(test)]
mod tests;
