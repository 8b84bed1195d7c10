//! Building located nodes: the OpenAPI document a DSL file stands for is a tree of [`Node`]s
//! whose spans are those of the DSL nodes they were written as, so that a problem found in it
//! points at the DSL line that caused it.

use serde_json::Number;

use crate::load::tree::{Entry, Map, Node, Span, Value};

/// A string node.
pub(super) fn string(span: Span, text: impl Into<String>) -> Node {
    Node::new(Value::String(text.into()), span)
}

pub(super) fn boolean(span: Span, value: bool) -> Node {
    Node::new(Value::Bool(value), span)
}

pub(super) fn integer(span: Span, value: i64) -> Node {
    Node::new(Value::Number(Number::from(value)), span)
}

pub(super) fn seq(span: Span, items: Vec<Node>) -> Node {
    Node::new(Value::Seq(items), span)
}

/// A mapping node; every key takes the node's own span.
pub(super) fn map(span: Span, entries: Vec<(String, Node)>) -> Node {
    Node::new(
        Value::Map(Map {
            entries: entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key,
                    key_span: span,
                    value,
                })
                .collect(),
        }),
        span,
    )
}

/// A mapping under construction, in insertion order.
#[derive(Debug, Default)]
pub(super) struct MapBuilder {
    span: Span,
    entries: Vec<Entry>,
}

impl MapBuilder {
    pub fn new(span: Span) -> Self {
        MapBuilder {
            span,
            entries: Vec::new(),
        }
    }

    /// Adds `key` (or replaces its value when present), keyed at `key_span`.
    pub fn insert_at(&mut self, key: impl Into<String>, key_span: Span, value: Node) {
        let key = key.into();
        match self.entries.iter_mut().find(|entry| entry.key == key) {
            Some(entry) => entry.value = value,
            None => self.entries.push(Entry {
                key,
                key_span,
                value,
            }),
        }
    }

    pub fn insert(&mut self, key: impl Into<String>, value: Node) {
        let span = value.span;
        self.insert_at(key, span, value);
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries
            .iter_mut()
            .find(|entry| entry.key == key)
            .map(|entry| &mut entry.value)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|entry| entry.key == key)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn build(self) -> Node {
        Node::new(
            Value::Map(Map {
                entries: self.entries,
            }),
            self.span,
        )
    }
}

/// A plain JSON value as a node, every part at `span`.
pub(super) fn from_json(span: Span, value: &serde_json::Value) -> Node {
    let value = match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(value) => Value::Bool(*value),
        serde_json::Value::Number(number) => Value::Number(number.clone()),
        serde_json::Value::String(text) => Value::String(text.clone()),
        serde_json::Value::Array(items) => {
            Value::Seq(items.iter().map(|item| from_json(span, item)).collect())
        }
        serde_json::Value::Object(object) => Value::Map(Map {
            entries: object
                .iter()
                .map(|(key, value)| Entry {
                    key: key.clone(),
                    key_span: span,
                    value: from_json(span, value),
                })
                .collect(),
        }),
    };
    Node::new(value, span)
}

/// Deep-merges `overlay` into `base`: mappings merge key by key (keys new to `base` are
/// appended in `overlay`'s order), anything else in `overlay` replaces what `base` had. The
/// escape hatch `raw` works this way, so it can add to or override anything generated.
pub(super) fn merge(base: &mut Node, overlay: &Node) {
    match (&mut base.value, &overlay.value) {
        (Value::Map(base_map), Value::Map(overlay_map)) => {
            for entry in &overlay_map.entries {
                match base_map
                    .entries
                    .iter_mut()
                    .find(|existing| existing.key == entry.key)
                {
                    Some(existing) => merge(&mut existing.value, &entry.value),
                    None => base_map.entries.push(entry.clone()),
                }
            }
        }
        _ => *base = overlay.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_appends_new_keys_and_replaces_leaves() {
        let span = Span::default();
        let mut base = from_json(span, &serde_json::json!({"a": {"b": 1, "c": [1]}, "d": 2}));
        let overlay = from_json(span, &serde_json::json!({"a": {"c": [2], "e": 3}, "f": 4}));
        merge(&mut base, &overlay);
        assert_eq!(
            base.to_json(),
            serde_json::json!({"a": {"b": 1, "c": [2], "e": 3}, "d": 2, "f": 4})
        );
    }
}
