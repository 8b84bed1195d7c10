//! The YAML loader: text → located [`Node`] tree, through one tree builder fed by two readers.
//!
//! [`fast`] scans the bytes of the YAML that specs and templates are written in (block and flow
//! collections, every scalar style, tags, anchors, comments) and declines anything else;
//! saphyr-parser's event stream reads what it declines, from the start, so every error message
//! and every unusual document reads as saphyr-parser reads it. Both hand the builder the same
//! events with the same spans (byte offset, line, column in characters).
//!
//! The builder resolves plain scalars by the YAML 1.2 core schema, expands anchors and aliases (bounded
//! by [`Limits::max_alias_nodes`]), applies the YAML 1.1 merge key `<<`, and turns
//! CloudFormation's short-form tags (`!Ref`, `!Sub`, …) into their long form. It keeps its own
//! stack and stops at [`Limits::max_depth`], so no input can exhaust the native stack. It must
//! not interpret the document: what the keys mean is the front ends' business.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use serde_json::Number;

use crate::load::json::{find_duplicates, keep_first_of_each};
use crate::load::tree::{Entry, Map, Node, Span, Value};
use crate::load::{to_u32, Limits, LoadProblem, Loaded, OpenMembers};
use crate::pointer::Pointer;
use crate::rules::structure::{InputLimitExceeded, SyntaxError, UnknownYamlTag};

mod fast;

/// CloudFormation's short-form intrinsic functions written `!Name` that become `{"Fn::Name": …}`.
/// `!Ref` and `!Condition` keep their own names, and `!GetAtt` splits its string form.
pub(crate) const CLOUDFORMATION_FUNCTIONS: &[&str] = &[
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "And",
    "Equals",
    "If",
    "Not",
    "Or",
    "Contains",
    "EachMemberEquals",
    "RefAll",
    "ValueOf",
    "ValueOfAll",
    "Length",
    "ToJsonString",
    "ForEach",
];

const CORE_SCHEMA_HANDLE: &str = "tag:yaml.org,2002:";

/// saphyr-parser's error when flow collections nest past its own bound (a `u8` level count).
const SAPHYR_FLOW_LIMIT: &str = "recursion limit exceeded";

/// Reads the first YAML document of `text` (from byte `start`, past any byte-order mark).
///
/// `Err` means the text is not YAML (a syntax error, with its place). `Ok` holds the tree, or
/// no tree when a limit stopped loading, together with every problem found.
///
/// The fast scanner reads the document first; when it declines (YAML it does not read, or a
/// mistake), saphyr-parser reads it from the start, so that every tree it gives up on and every
/// error message are saphyr's.
pub(crate) fn parse(text: &str, start: usize, limits: &Limits) -> Result<Loaded, LoadProblem> {
    match fast::parse(text, start, limits) {
        Some(loaded) => Ok(loaded),
        None => parse_events(text, start, limits),
    }
}

/// Whether the fast scanner reads the document (rather than declining it).
pub(super) fn fast_path_reads(text: &str, start: usize, limits: &Limits) -> bool {
    fast::parse(text, start, limits).is_some()
}

/// Reads the document through saphyr-parser's event stream.
pub(super) fn parse_events(
    text: &str,
    start: usize,
    limits: &Limits,
) -> Result<Loaded, LoadProblem> {
    let body = text.get(start..).unwrap_or_default();
    let mut positions = Positions {
        text: body,
        base: start,
        char_index: 0,
        byte_index: 0,
    };
    let mut builder = Builder::new(limits);
    let mut parser = Parser::new_from_str(body);
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(next)) => next,
            Some(Err(error)) => {
                let at = positions.span(error.marker());
                return Err(builder.scan_error(&error, at));
            }
        };
        let at = positions.span(&span.start);
        match builder.event(event, at)? {
            Step::Continue => {}
            Step::Done => break,
            Step::Stopped(problem) => {
                builder.problems.push(problem);
                return Ok(Loaded {
                    root: None,
                    problems: builder.problems,
                });
            }
        }
    }
    Ok(builder.finish_document())
}

/// Converts saphyr's markers (character index, 1-based line, 0-based column in characters) into
/// spans with byte offsets. Events arrive in source order, so the cursor mostly moves forward.
struct Positions<'a> {
    text: &'a str,
    /// Bytes before `text` in the file (a byte-order mark).
    base: usize,
    char_index: usize,
    byte_index: usize,
}

impl Positions<'_> {
    fn span(&mut self, marker: &Marker) -> Span {
        let target = marker.index();
        if self.char_index < target {
            // Walk bytes: every byte that is not a UTF-8 continuation byte starts a character.
            let rest = self
                .text
                .as_bytes()
                .get(self.byte_index..)
                .unwrap_or_default();
            for &byte in rest {
                if byte & 0xC0 != 0x80 {
                    if self.char_index == target {
                        break;
                    }
                    self.char_index += 1;
                }
                self.byte_index += 1;
            }
        }
        while self.char_index > target {
            let Some(ch) = self
                .text
                .get(..self.byte_index)
                .and_then(|before| before.chars().next_back())
            else {
                break;
            };
            self.byte_index -= ch.len_utf8();
            self.char_index -= 1;
        }
        Span::new(
            to_u32(self.base + self.byte_index),
            to_u32(marker.line()),
            to_u32(marker.col() + 1),
        )
    }
}

enum Step {
    Continue,
    Done,
    /// A limit was crossed: loading stops and the problem is reported without a tree.
    Stopped(LoadProblem),
}

/// A node under construction, with what the limits need to know of it.
struct Built {
    node: Node,
    /// Containers on the longest path down from this node (0 for a scalar).
    height: usize,
    /// Nodes in this subtree, counted when an alias copies it.
    count: usize,
}

/// An anchored node, kept for the aliases that name it.
struct Anchored {
    built: Built,
    /// The scalar as written, so an alias can serve as a mapping key.
    key_text: Option<String>,
}

/// What an open container has read so far; its items and entries wait in the builder's
/// [`OpenMembers`].
enum Kind {
    /// Its items are `OpenMembers::items[start..]`, up to the start of any sequence open inside it.
    Seq { start: usize },
    Map {
        /// Its entries are `OpenMembers::entries[start..]`, up to any mapping open inside it.
        start: usize,
        /// Indices (from `start`) of the merge keys (`<<`), applied when the mapping closes.
        merges: Vec<usize>,
        /// The key read, waiting for its value.
        key: Option<(String, Span, bool)>,
    },
}

/// An open sequence or mapping.
struct Frame {
    kind: Kind,
    span: Span,
    anchor: usize,
    /// The CloudFormation function the tag named, wrapping the finished node.
    function: Option<String>,
    height: usize,
    count: usize,
}

struct Builder<'l> {
    stack: Vec<Frame>,
    members: OpenMembers,
    anchors: HashMap<usize, Anchored>,
    alias_nodes: usize,
    anchor_nodes: usize,
    limits: &'l Limits,
    problems: Vec<LoadProblem>,
    root: Option<Node>,
    documents: usize,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            stack: Vec::new(),
            members: OpenMembers::default(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            anchor_nodes: 0,
            limits,
            problems: Vec::new(),
            root: None,
            documents: 0,
        }
    }

    /// The tree and problems of a document read to its end.
    fn finish_document(self) -> Loaded {
        Loaded {
            root: self.root,
            problems: self.problems,
        }
    }

    fn scan_error(&self, error: &ScanError, span: Span) -> LoadProblem {
        let mut problem = if error.info() == SAPHYR_FLOW_LIMIT {
            LoadProblem::new(
                InputLimitExceeded::META,
                span,
                "flow sequences and mappings (`[…]`, `{…}`) nested deeper than 255 levels"
                    .to_owned(),
            )
            .with_help("flatten the document; no real API nests this deep")
        } else {
            let problem = LoadProblem::new(SyntaxError::META, span, describe_scan_error(error));
            match scan_error_help(error.info()) {
                Some(help) => problem.with_help(help),
                None => problem,
            }
        };
        problem.pointer = self.pointer(false);
        problem
    }

    /// The pointer of the innermost open container, or (`with_slot`) of the value being read
    /// inside it.
    fn pointer(&self, with_slot: bool) -> Pointer {
        let mut pointer = Pointer::root();
        let depth = self.stack.len();
        let take = if with_slot {
            depth
        } else {
            depth.saturating_sub(1)
        };
        for (depth, frame) in self.stack.iter().enumerate().take(take) {
            pointer = match &frame.kind {
                Kind::Seq { start } => {
                    let inner =
                        self.stack
                            .iter()
                            .skip(depth + 1)
                            .find_map(|inner| match inner.kind {
                                Kind::Seq { start } => Some(start),
                                Kind::Map { .. } => None,
                            });
                    pointer.index(self.members.items_read(*start, inner))
                }
                Kind::Map { key, .. } => match key {
                    Some((text, _, _)) => pointer.join(text),
                    None => pointer,
                },
            };
        }
        pointer
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map { key: None, .. },
                ..
            })
        )
    }

    fn event(&mut self, event: Event<'_>, at: Span) -> Result<Step, LoadProblem> {
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => Ok(Step::Continue),
            Event::StreamEnd => Ok(Step::Done),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.problems.push(
                        LoadProblem::new(
                            SyntaxError::META,
                            at,
                            format!(
                                "a spec file holds one document; found a second at line {}",
                                at.line
                            ),
                        )
                        .with_help(
                            "remove the `---` and what follows it, or move that document to its own file",
                        ),
                    );
                    return Ok(Step::Done);
                }
                Ok(Step::Continue)
            }
            Event::Scalar(value, style, anchor, tag) => {
                if self.expecting_key() {
                    let is_merge = style == ScalarStyle::Plain && tag.is_none() && value == "<<";
                    let text = value.into_owned();
                    if anchor != 0 {
                        self.anchors.insert(
                            anchor,
                            Anchored {
                                built: Built {
                                    node: Node::new(Value::String(text.clone()), at),
                                    height: 0,
                                    count: 1,
                                },
                                key_text: Some(text.clone()),
                            },
                        );
                    }
                    self.set_key(text, at, is_merge);
                    return Ok(Step::Continue);
                }
                if self.stack.is_empty()
                    && value.is_empty()
                    && style == ScalarStyle::Plain
                    && tag.is_none()
                    && anchor == 0
                {
                    // A document with no content (`---` alone, or only comments after it).
                    return Ok(Step::Continue);
                }
                let written = (anchor != 0).then(|| value.to_string());
                let node = self.scalar(value, style, tag.as_deref(), at);
                let built = Built {
                    node,
                    height: 0,
                    count: 1,
                };
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            built: Built {
                                node: built.node.clone(),
                                height: 0,
                                count: 1,
                            },
                            key_text: written,
                        },
                    );
                }
                self.finish(built)
            }
            Event::Alias(anchor) => self.alias(anchor, at),
            Event::SequenceStart(anchor, tag) => self.open(
                Kind::Seq {
                    start: self.members.items.len(),
                },
                anchor,
                tag,
                at,
            ),
            Event::MappingStart(anchor, tag) => self.open(
                Kind::Map {
                    start: self.members.entries.len(),
                    merges: Vec::new(),
                    key: None,
                },
                anchor,
                tag,
                at,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(Step::Continue);
                };
                match self.close(frame) {
                    Ok(built) => self.finish(built),
                    Err(problem) => Ok(Step::Stopped(problem)),
                }
            }
        }
    }

    /// A scalar without anchor or tag, as most keys and values are: what [`Builder::event`] does
    /// with such an `Event::Scalar`, without building the event.
    fn untagged_scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        at: Span,
    ) -> Result<Step, LoadProblem> {
        match self.stack.last_mut() {
            None => self.event(Event::Scalar(value, style, 0, None), at),
            Some(Frame {
                kind: Kind::Map {
                    key: key @ None, ..
                },
                ..
            }) => {
                let is_merge = style == ScalarStyle::Plain && value == "<<";
                *key = Some((value.into_owned(), at, is_merge));
                Ok(Step::Continue)
            }
            Some(_) => {
                let resolved = if style == ScalarStyle::Plain {
                    resolve_plain(&value)
                } else {
                    None
                };
                let value = resolved.unwrap_or_else(|| Value::String(value.into_owned()));
                self.finish(Built {
                    node: Node::new(value, at),
                    height: 0,
                    count: 1,
                })
            }
        }
    }

    fn set_key(&mut self, text: String, at: Span, is_merge: bool) {
        if let Some(Frame {
            kind: Kind::Map { key, .. },
            ..
        }) = self.stack.last_mut()
        {
            *key = Some((text, at, is_merge));
        }
    }

    fn open(
        &mut self,
        kind: Kind,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        at: Span,
    ) -> Result<Step, LoadProblem> {
        if self.expecting_key() {
            let what = match kind {
                Kind::Seq { .. } => "a sequence",
                Kind::Map { .. } => "a mapping",
            };
            let mut problem = LoadProblem::new(
                SyntaxError::META,
                at,
                format!("a mapping key must be a scalar, found {what}"),
            )
            .with_help("write the key as plain text, such as `name:`");
            problem.pointer = self.pointer(false);
            return Err(problem);
        }
        if self.stack.len() >= self.limits.max_depth {
            let mut problem = depth_problem(self.limits.max_depth, at);
            problem.pointer = self.pointer(true);
            return Ok(Step::Stopped(problem));
        }
        let function = tag.and_then(|tag| self.container_tag(&tag, at));
        self.stack.push(Frame {
            kind,
            span: at,
            anchor,
            function,
            height: 1,
            count: 1,
        });
        Ok(Step::Continue)
    }

    /// The CloudFormation function a sequence's or mapping's tag names; other tags are checked
    /// and dropped.
    fn container_tag(&mut self, tag: &Tag, at: Span) -> Option<String> {
        if tag.handle == "!" {
            if let Some(name) = cloudformation_key(&tag.suffix) {
                return Some(name);
            }
        } else if tag.handle == CORE_SCHEMA_HANDLE || (tag.handle.is_empty() && tag.suffix == "!") {
            return None;
        }
        self.unknown_tag(tag, at);
        None
    }

    fn unknown_tag(&mut self, tag: &Tag, at: Span) {
        let mut problem = LoadProblem::new(
            UnknownYamlTag::META,
            at,
            format!("the tag `{tag}` is neither a YAML tag nor a CloudFormation function"),
        )
        .with_help("remove the tag or correct its name; apigw reads the value as if untagged");
        problem.pointer = self.pointer(true);
        self.problems.push(problem);
    }

    fn alias(&mut self, anchor: usize, at: Span) -> Result<Step, LoadProblem> {
        if self.expecting_key() {
            let key_text = self
                .anchors
                .get(&anchor)
                .map(|anchored| anchored.key_text.clone());
            return match key_text {
                Some(Some(text)) => {
                    self.set_key(text, at, false);
                    Ok(Step::Continue)
                }
                Some(None) => {
                    let mut problem = LoadProblem::new(
                        SyntaxError::META,
                        at,
                        "a mapping key must be a scalar, but this alias names a sequence or mapping"
                            .to_owned(),
                    );
                    problem.pointer = self.pointer(false);
                    Err(problem)
                }
                None => Err(self.open_anchor(at)),
            };
        }
        let Some(anchored) = self.anchors.get(&anchor) else {
            return Err(self.open_anchor(at));
        };
        let (height, count) = (anchored.built.height, anchored.built.count);
        if self.stack.len() + height > self.limits.max_depth {
            let mut problem = depth_problem(self.limits.max_depth, at);
            problem.pointer = self.pointer(true);
            return Ok(Step::Stopped(problem));
        }
        if let Some(problem) = self.copy(count, at, false) {
            return Ok(Step::Stopped(problem));
        }
        let Some(node) = self
            .anchors
            .get(&anchor)
            .map(|anchored| anchored.built.node.clone())
        else {
            return Err(self.open_anchor(at));
        };
        self.finish(Built {
            node,
            height,
            count,
        })
    }

    /// Counts `count` nodes copied for an alias, or (`anchor`) kept as an anchor's copy; past
    /// the limit, the problem that stops loading. Anchors have their own count: without it,
    /// nested anchors over a large document would copy it once per level.
    fn copy(&mut self, count: usize, at: Span, anchor: bool) -> Option<LoadProblem> {
        let (total, what) = if anchor {
            (&mut self.anchor_nodes, "anchored nodes hold")
        } else {
            (&mut self.alias_nodes, "aliases expand to")
        };
        *total = total.saturating_add(count);
        if *total <= self.limits.max_alias_nodes {
            return None;
        }
        let mut problem = LoadProblem::new(
            InputLimitExceeded::META,
            at,
            format!("{what} more than {} nodes", self.limits.max_alias_nodes),
        )
        .with_help(
            "this looks like an alias bomb; write the repeated parts out, or anchor smaller nodes",
        );
        problem.pointer = self.pointer(true);
        Some(problem)
    }

    /// An alias to an anchor whose node is still open: the node would contain itself.
    fn open_anchor(&self, at: Span) -> LoadProblem {
        let mut problem = LoadProblem::new(
            SyntaxError::META,
            at,
            "this alias names a node that contains the alias itself".to_owned(),
        )
        .with_help("an alias may only name a node that is complete before it");
        problem.pointer = self.pointer(true);
        problem
    }

    /// Hands a finished node to the enclosing container, or makes it the document's root.
    fn finish(&mut self, built: Built) -> Result<Step, LoadProblem> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(Step::Continue);
        };
        frame.height = frame.height.max(built.height + 1);
        frame.count = frame.count.saturating_add(built.count);
        match &mut frame.kind {
            Kind::Seq { .. } => self.members.items.push(built.node),
            Kind::Map { start, merges, key } => {
                let (text, key_span, is_merge) = key.take().unwrap_or_default();
                if is_merge {
                    merges.push(self.members.entries.len().saturating_sub(*start));
                }
                self.members.entries.push(Entry {
                    key: text,
                    key_span,
                    value: built.node,
                });
            }
        }
        Ok(Step::Continue)
    }

    /// Builds the node of a closed container: merge keys applied, duplicates reported, the
    /// CloudFormation tag turned into its long form, the anchor recorded. `Err` when the
    /// anchor's copy crosses the copy limit.
    fn close(&mut self, frame: Frame) -> Result<Built, LoadProblem> {
        let Frame {
            kind,
            span,
            anchor,
            function,
            height,
            count,
        } = frame;
        let value = match kind {
            Kind::Seq { start } => Value::Seq(self.members.take_items(start)),
            Kind::Map { start, merges, .. } => {
                let entries = self.members.take_entries(start);
                let entries = if merges.is_empty() {
                    self.without_duplicates(entries)
                } else {
                    let (explicit, merged) = split_merges(entries, &merges);
                    let explicit = self.without_duplicates(explicit);
                    self.merge(explicit, merged)
                };
                Value::Map(Map { entries })
            }
        };
        let mut built = Built {
            node: Node::new(value, span),
            height,
            count,
        };
        if let Some(function) = function {
            built = wrap(&function, built);
        }
        if anchor != 0 {
            if let Some(problem) = self.copy(built.count, span, true) {
                return Err(problem);
            }
            self.anchors.insert(
                anchor,
                Anchored {
                    built: Built {
                        node: built.node.clone(),
                        height: built.height,
                        count: built.count,
                    },
                    key_text: None,
                },
            );
        }
        Ok(built)
    }

    /// Reports repeated keys and keeps the first of each.
    fn without_duplicates(&mut self, entries: Vec<Entry>) -> Vec<Entry> {
        let Some(duplicates) = find_duplicates(&entries) else {
            return entries;
        };
        let container = self.pointer(true);
        keep_first_of_each(entries, &duplicates, &container, &mut self.problems)
    }

    /// Adds the entries of the mappings named by merge keys (`<<`) that the mapping does not
    /// set itself: explicit keys win, and earlier merged mappings win over later ones, as the
    /// YAML 1.1 merge key specifies. Merged entries follow the explicit ones.
    fn merge(&mut self, explicit: Vec<Entry>, merges: Vec<Entry>) -> Vec<Entry> {
        let mut taken: HashSet<String> = explicit.iter().map(|entry| entry.key.clone()).collect();
        let mut entries = explicit;
        for merge in merges {
            let sources = match merge.value.value {
                Value::Map(map) => vec![map],
                Value::Seq(items) => {
                    let mut maps = Vec::with_capacity(items.len());
                    for item in items {
                        match item.value {
                            Value::Map(map) => maps.push(map),
                            _ => self.bad_merge(item.span),
                        }
                    }
                    maps
                }
                _ => {
                    self.bad_merge(merge.value.span);
                    Vec::new()
                }
            };
            for source in sources {
                for inherited in source.entries {
                    if taken.insert(inherited.key.clone()) {
                        entries.push(inherited);
                    }
                }
            }
        }
        entries
    }

    fn bad_merge(&mut self, at: Span) {
        let mut problem = LoadProblem::new(
            SyntaxError::META,
            at,
            "the merge key `<<` takes a mapping or a list of mappings".to_owned(),
        )
        .with_help("merge a mapping, usually an alias such as `<<: *defaults`");
        problem.pointer = self.pointer(true);
        self.problems.push(problem);
    }

    /// Resolves a scalar: plain scalars by the core schema, quoted ones as strings, tagged ones
    /// by their tag.
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: Span,
    ) -> Node {
        let Some(tag) = tag else {
            let resolved = if style == ScalarStyle::Plain {
                resolve_plain(&value)
            } else {
                None
            };
            let value = resolved.unwrap_or_else(|| Value::String(value.into_owned()));
            return Node::new(value, at);
        };
        if tag.handle == "!" {
            if let Some(name) = cloudformation_key(&tag.suffix) {
                // A tagged scalar is not resolved by the schema: `!Ref 123` names "123".
                let inner = Built {
                    node: Node::new(Value::String(value.into_owned()), at),
                    height: 0,
                    count: 1,
                };
                return wrap(&name, inner).node;
            }
        } else if tag.handle == CORE_SCHEMA_HANDLE {
            return Node::new(self.core_tagged(&value, &tag.suffix, at), at);
        } else if tag.handle.is_empty() && tag.suffix == "!" {
            // The non-specific tag `!` makes a scalar a string.
            return Node::new(Value::String(value.into_owned()), at);
        }
        self.unknown_tag(tag, at);
        let resolved = if style == ScalarStyle::Plain {
            resolve_plain(&value)
        } else {
            None
        };
        Node::new(
            resolved.unwrap_or_else(|| Value::String(value.into_owned())),
            at,
        )
    }

    /// A scalar with a core-schema tag (`!!str`, `!!int`, …). A value its tag cannot hold is
    /// reported and kept as a string.
    fn core_tagged(&mut self, text: &str, suffix: &str, at: Span) -> Value {
        let resolved = match suffix {
            "str" => return Value::String(text.to_owned()),
            "null" => resolve_plain(text).filter(|value| matches!(value, Value::Null)),
            "bool" => resolve_plain(text).filter(|value| matches!(value, Value::Bool(_))),
            "int" => resolve_int(text).map(Value::Number),
            "float" => match resolve_int(text) {
                Some(number) => number
                    .as_f64()
                    .and_then(Number::from_f64)
                    .map(Value::Number),
                None => resolve_float(text),
            },
            // YAML 1.1 types (binary, timestamp, …) and `!!map`/`!!seq` on a scalar: keep text.
            _ => return Value::String(text.to_owned()),
        };
        resolved.unwrap_or_else(|| {
            let mut problem = LoadProblem::new(
                SyntaxError::META,
                at,
                format!("`{text}` is not a valid `!!{suffix}` value"),
            )
            .with_help(format!("remove the `!!{suffix}` tag or correct the value"));
            problem.pointer = self.pointer(true);
            self.problems.push(problem);
            Value::String(text.to_owned())
        })
    }
}

/// Separates the merge-key entries (at the indices `merges`, in order) from the others.
fn split_merges(entries: Vec<Entry>, merges: &[usize]) -> (Vec<Entry>, Vec<Entry>) {
    let mut explicit = Vec::with_capacity(entries.len());
    let mut merged = Vec::with_capacity(merges.len());
    for (index, entry) in entries.into_iter().enumerate() {
        if merges.contains(&index) {
            merged.push(entry);
        } else {
            explicit.push(entry);
        }
    }
    (explicit, merged)
}

fn depth_problem(max_depth: usize, at: Span) -> LoadProblem {
    LoadProblem::new(
        InputLimitExceeded::META,
        at,
        format!("nesting deeper than {max_depth} levels of sequences and mappings"),
    )
    .with_help("flatten the document; no real API nests this deep")
}

/// The long-form key for a CloudFormation short-form tag name, if it is one.
fn cloudformation_key(name: &str) -> Option<String> {
    match name {
        "Ref" | "Condition" => Some(name.to_owned()),
        "GetAtt" => Some("Fn::GetAtt".to_owned()),
        _ if CLOUDFORMATION_FUNCTIONS.contains(&name) => Some(format!("Fn::{name}")),
        _ => None,
    }
}

/// `{key: value}`, with `!GetAtt Resource.Attribute` split at its first dot.
fn wrap(key: &str, inner: Built) -> Built {
    let span = inner.node.span;
    let mut inner = inner;
    if key == "Fn::GetAtt" {
        if let Value::String(text) = &inner.node.value {
            if let Some((resource, attribute)) = text.split_once('.') {
                let parts = vec![
                    Node::new(Value::String(resource.to_owned()), span),
                    Node::new(Value::String(attribute.to_owned()), span),
                ];
                inner = Built {
                    node: Node::new(Value::Seq(parts), span),
                    height: 1,
                    count: 3,
                };
            }
        }
    }
    let map = Map {
        entries: vec![Entry {
            key: key.to_owned(),
            key_span: span,
            value: inner.node,
        }],
    };
    Built {
        node: Node::new(Value::Map(map), span),
        height: inner.height + 1,
        count: inner.count + 1,
    }
}

/// A plain scalar by the YAML 1.2 core schema; `None` for a string.
fn resolve_plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = text.as_bytes().first()?;
    if !matches!(first, b'0'..=b'9' | b'-' | b'+' | b'.') {
        return None;
    }
    resolve_int(text)
        .map(Value::Number)
        .or_else(|| resolve_float(text))
}

/// Core-schema integers: decimal with an optional sign, `0o` octal, `0x` hexadecimal.
fn resolve_int(text: &str) -> Option<Number> {
    if let Some(octal) = text.strip_prefix("0o") {
        return radix(octal, 8);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return radix(hex, 16);
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.parse::<u64>().ok();
    match (negative, magnitude) {
        (false, Some(value)) => Some(Number::from(value)),
        (true, Some(value)) => match 0i64.checked_sub_unsigned(value) {
            Some(value) => Some(Number::from(value)),
            None => text.parse::<f64>().ok().and_then(Number::from_f64),
        },
        // Beyond 64 bits: a float, as serde_json reads such a JSON number.
        (_, None) => text.parse::<f64>().ok().and_then(Number::from_f64),
    }
}

fn radix(digits: &str, base: u32) -> Option<Number> {
    if digits.is_empty() || !digits.chars().all(|ch| ch.is_digit(base)) {
        return None;
    }
    u64::from_str_radix(digits, base).ok().map(Number::from)
}

/// Core-schema floats. Infinity and NaN stay strings: a JSON number cannot hold them.
fn resolve_float(text: &str) -> Option<Value> {
    let unsigned = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::String(text.to_owned()));
    }
    if !is_core_float(unsigned) {
        return None;
    }
    let value = text.parse::<f64>().ok()?;
    Some(match Number::from_f64(value) {
        Some(number) => Value::Number(number),
        None => Value::String(text.to_owned()),
    })
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    let digits = |at: &mut usize| {
        let begin = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - begin
    };
    if bytes.first() == Some(&b'.') {
        at = 1;
        if digits(&mut at) == 0 {
            return false;
        }
    } else {
        if digits(&mut at) == 0 {
            return false;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            digits(&mut at);
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

/// saphyr's error text, marked as YAML's.
fn describe_scan_error(error: &ScanError) -> String {
    format!("invalid YAML: {}", error.info())
}

/// What to do about the YAML mistakes people make most.
fn scan_error_help(info: &str) -> Option<&'static str> {
    if info.contains("indentation") {
        Some(
            "indent the lines of a `[…]`, `{…}` or quoted value further than the key that holds it",
        )
    } else if info.contains("tab") {
        Some("indent with spaces; YAML does not allow tabs for indentation")
    } else if info.contains("mapping values are not allowed") {
        Some("quote a value that contains `: `, or start a nested mapping on its own line")
    } else {
        None
    }
}
