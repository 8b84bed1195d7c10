//! The located tree: every YAML or JSON value with the line and column it started at.
//!
//! This is the only representation of source text the front ends read. It is `pub(crate)`:
//! targets and the emulator see the IR, never this tree.

use serde_json::Number;

use crate::pointer::Pointer;

/// Where a node starts in its file: byte offset, 1-based line, 1-based column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub offset: u32,
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub fn new(offset: u32, line: u32, column: u32) -> Self {
        Span {
            offset,
            line,
            column,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Seq(Vec<Node>),
    Map(Map),
}

/// A mapping, in source order. Keys are strings: YAML scalar keys such as `200:` are kept as the
/// text they were written with, which is what API Gateway's importer does with status codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| &entry.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries
            .iter()
            .map(|entry| (entry.key.as_str(), &entry.value))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Node { value, span }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Number(number) => number.as_i64(),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|map| map.get(key))
    }

    /// A scalar rendered as text: strings as they are, numbers and booleans as written in JSON.
    /// API Gateway's importer reads `200` and `"200"` alike, and `timeoutInMillis: "29000"` too.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(value) => Some(value.to_string()),
            _ => None,
        }
    }

    /// The JSON type name for messages: "object", "array", "string", "number", "boolean", "null".
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// The node a pointer names, starting from this node.
    pub fn at(&self, pointer: &Pointer) -> Option<&Node> {
        let mut node = self;
        for segment in pointer.segments_borrowed() {
            node = match &node.value {
                Value::Map(map) => map.get(&segment)?,
                Value::Seq(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The deepest node on the way to `pointer`, with the span of the key when the last step was
    /// a mapping key. A diagnostic about a missing field points at the object that lacks it.
    pub fn locate(&self, pointer: &Pointer) -> Span {
        let mut node = self;
        let mut span = self.span;
        for segment in pointer.segments_borrowed() {
            match &node.value {
                Value::Map(map) => match map.entry(&segment) {
                    Some(entry) => {
                        node = &entry.value;
                        span = if matches!(entry.value.value, Value::Map(_) | Value::Seq(_)) {
                            entry.key_span
                        } else {
                            entry.value.span
                        };
                    }
                    None => return span,
                },
                Value::Seq(items) => match segment.parse::<usize>().ok().and_then(|i| items.get(i))
                {
                    Some(item) => {
                        node = item;
                        span = item.span;
                    }
                    None => return span,
                },
                _ => return span,
            }
        }
        span
    }

    /// The strings under `key` in every mapping on the way to `pointer`, this node included:
    /// what `x-apigw-ignore` silences for a diagnostic at `pointer`. A single string counts as a
    /// list of one.
    pub fn strings_along(&self, pointer: &Pointer, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut collect = |node: &Node| match node.get(key).map(|value| &value.value) {
            Some(Value::String(text)) => out.push(text.clone()),
            Some(Value::Seq(items)) => out.extend(
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned)),
            ),
            _ => {}
        };
        let mut node = self;
        collect(node);
        for segment in pointer.segments_borrowed() {
            let next = match &node.value {
                Value::Map(map) => map.get(&segment),
                Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(next) => {
                    node = next;
                    collect(node);
                }
                None => break,
            }
        }
        out
    }

    /// The plain JSON value of this node (locations dropped).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(value) => serde_json::Value::Bool(*value),
            Value::Number(number) => serde_json::Value::Number(number.clone()),
            Value::String(text) => serde_json::Value::String(text.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(map) => serde_json::Value::Object(
                map.entries
                    .iter()
                    .map(|entry| (entry.key.clone(), entry.value.to_json()))
                    .collect(),
            ),
        }
    }
}
