//! Typed reads of the DSL's located tree that report what is wrong where it is: an unknown key
//! (with the nearest known one), a wrong type, a missing field, a value outside its set.
//!
//! It never decides what a field means; the modules that call it do.

use crate::diagnostic::{At, Pending, Report};
use crate::load::tree::{Node, Value};
use crate::pointer::Pointer;
use crate::rules::structure::{InvalidEnumValue, MissingField, UnknownField, WrongType};
use crate::rules::RuleMeta;
use crate::source::FileId;

/// Reports against one DSL file.
pub(super) struct Reader<'r> {
    pub report: &'r mut Report,
    pub file: FileId,
}

impl Reader<'_> {
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        ptr: &Pointer,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.report
            .push_at(rule, At::Node(self.file, ptr.clone()), message)
    }

    /// Reports every key of `node` not in `known`, with the nearest known key when one is
    /// close. Keys starting with `x-` are the user's own and are left alone.
    pub fn fields(&mut self, node: &Node, ptr: &Pointer, what: &str, known: &[&str]) {
        let Some(map) = node.as_map() else {
            return;
        };
        for entry in &map.entries {
            let key = entry.key.as_str();
            if known.contains(&key) || key.starts_with("x-") {
                continue;
            }
            let pending = self.report(
                UnknownField::META,
                &ptr.join(key),
                format!("`{key}` is not a field of {what}"),
            );
            match suggest(key, known.iter().copied()) {
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help(format!("the fields of {what} are: {}", known.join(", "))),
            };
        }
    }

    pub fn wrong_type(&mut self, node: &Node, ptr: &Pointer, expected: &str) {
        let field = ptr.segments().last().unwrap_or_default();
        let found = node.kind_name();
        let subject = if field.is_empty() {
            "the document".to_owned()
        } else {
            format!("`{field}`")
        };
        self.report(
            WrongType::META,
            ptr,
            format!("{subject} must be {expected}, found {found}"),
        );
    }

    pub fn missing(&mut self, ptr: &Pointer, field: &str, what: &str) -> &mut Pending {
        self.report(MissingField::META, ptr, format!("{what} has no `{field}`"))
    }

    /// A mapping, or `None` (reported) for anything but a mapping. `null` reads as an empty
    /// mapping: `prod:` with nothing after it is a stage with every default.
    pub fn map<'n>(&mut self, node: &'n Node, ptr: &Pointer) -> Option<&'n Node> {
        match &node.value {
            Value::Map(_) | Value::Null => Some(node),
            _ => {
                self.wrong_type(node, ptr, "an object");
                None
            }
        }
    }

    pub fn string<'n>(&mut self, node: &'n Node, ptr: &Pointer) -> Option<&'n str> {
        match &node.value {
            Value::String(text) => Some(text),
            _ => {
                self.wrong_type(node, ptr, "a string");
                None
            }
        }
    }

    /// A scalar read as text (`version: 1.0`, `status: 200`).
    pub fn text(&mut self, node: &Node, ptr: &Pointer) -> Option<String> {
        match node.scalar_text() {
            Some(text) => Some(text),
            None => {
                self.wrong_type(node, ptr, "a string");
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Node, ptr: &Pointer) -> Option<bool> {
        match &node.value {
            Value::Bool(value) => Some(*value),
            _ => {
                self.wrong_type(node, ptr, "a boolean");
                None
            }
        }
    }

    pub fn integer(&mut self, node: &Node, ptr: &Pointer) -> Option<i64> {
        match node.as_i64() {
            Some(value) => Some(value),
            None => {
                self.wrong_type(node, ptr, "a whole number");
                None
            }
        }
    }

    pub fn number(&mut self, node: &Node, ptr: &Pointer) -> Option<f64> {
        match &node.value {
            Value::Number(number) if number.as_f64().is_some() => number.as_f64(),
            _ => {
                self.wrong_type(node, ptr, "a number");
                None
            }
        }
    }

    /// A list of strings; a single string reads as a list of one.
    pub fn strings(&mut self, node: &Node, ptr: &Pointer) -> Vec<String> {
        match &node.value {
            Value::String(text) => vec![text.clone()],
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| self.text(item, &ptr.index(index)))
                .collect(),
            _ => {
                self.wrong_type(node, ptr, "a string or a list of strings");
                Vec::new()
            }
        }
    }

    /// One of `allowed` (compared without case), reported with the nearest when it is not.
    pub fn choice(
        &mut self,
        node: &Node,
        ptr: &Pointer,
        allowed: &[&'static str],
    ) -> Option<&'static str> {
        let text = self.text(node, ptr)?;
        if let Some(found) = allowed
            .iter()
            .find(|candidate| candidate.eq_ignore_ascii_case(&text))
        {
            return Some(found);
        }
        let field = ptr.segments().last().unwrap_or_default();
        let pending = self.report(
            InvalidEnumValue::META,
            ptr,
            format!("`{text}` is not a value of `{field}`"),
        );
        match suggest(&text, allowed.iter().copied()) {
            Some(near) => pending.help(format!("did you mean `{near}`?")),
            None => pending.help(format!("use one of: {}", allowed.join(", "))),
        };
        None
    }
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a likely typo.
pub(crate) fn suggest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lowered = name.to_ascii_lowercase();
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lowered, &candidate.to_ascii_lowercase());
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
    let limit = (name.chars().count() / 3).clamp(1, 4);
    (distance <= limit).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_near_misses_only() {
        assert_eq!(suggest("fucntion", ["function", "auth"]), Some("function"));
        assert_eq!(suggest("zzzzzzzz", ["function", "auth"]), None);
    }
}
