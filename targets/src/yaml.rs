//! A small YAML emitter for document models (`serde_json::Value` in insertion order): block
//! style, strings quoted only when a YAML 1.1 or 1.2 reader would read them as something else,
//! multi-line text as literal block scalars, and optionally CloudFormation's short-form tags
//! (`!Ref`, `!Sub`, `!GetAtt A.B`). Whatever it prints re-parses to the same JSON value.
//!
//! It must not know any target's vocabulary beyond the names of CloudFormation's intrinsic
//! functions.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::{print_in_chunks, Pieces, PARALLEL_ENTRIES};

/// How to print a document.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Print `{"Ref": x}` as `!Ref x`, `{"Fn::Sub": s}` as `!Sub s`, and so on.
    pub short_form_intrinsics: bool,
}

/// Prints `value` as a YAML document ending in a newline.
pub fn to_string(value: &Value, style: Style) -> String {
    let mut out = Text::default();
    let emitter = Emitter { style };
    match value {
        Value::Object(map) if !map.is_empty() && emitter.short_form(map).is_none() => {
            emitter.mapping(map, 0, &mut out);
        }
        Value::Array(items) if !items.is_empty() => emitter.sequence(items, 0, &mut out),
        other => {
            emitter.inline_value(other, 0, &mut out);
            out.push('\n');
        }
    }
    out.joined()
}

/// The text being printed (see [`Pieces`]).
type Text = Pieces<String>;

/// The intrinsic functions that have a short form (`Fn::GetAtt` is handled on its own).
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "!Ref"),
    ("Condition", "!Condition"),
    ("Fn::Sub", "!Sub"),
    ("Fn::Join", "!Join"),
    ("Fn::If", "!If"),
    ("Fn::Select", "!Select"),
    ("Fn::Split", "!Split"),
    ("Fn::ImportValue", "!ImportValue"),
    ("Fn::FindInMap", "!FindInMap"),
    ("Fn::Base64", "!Base64"),
    ("Fn::Cidr", "!Cidr"),
    ("Fn::GetAZs", "!GetAZs"),
    ("Fn::Equals", "!Equals"),
    ("Fn::Not", "!Not"),
    ("Fn::And", "!And"),
    ("Fn::Or", "!Or"),
];

struct Emitter {
    style: Style,
}

/// A short-form intrinsic: the tag and the value it applies to.
enum Short<'a> {
    /// `!GetAtt Resource.Attribute`.
    GetAtt(String),
    Tagged(&'static str, &'a Value),
}

impl Emitter {
    fn short_form<'a>(&self, map: &'a Map<String, Value>) -> Option<Short<'a>> {
        if !self.style.short_form_intrinsics || map.len() != 1 {
            return None;
        }
        let (key, value) = map.iter().next()?;
        if key == "Fn::GetAtt" {
            let items = value.as_array()?;
            if let [Value::String(resource), Value::String(attribute)] = items.as_slice() {
                if !resource.contains('.') && is_plain_tag_argument(resource, attribute) {
                    return Some(Short::GetAtt(format!("{resource}.{attribute}")));
                }
            }
            return None;
        }
        let tag = SHORT_FORMS
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, tag)| *tag)?;
        // `!Ref` and `!Condition` take a name, never a nested value.
        if (key == "Ref" || key == "Condition") && !value.is_string() {
            return None;
        }
        Some(Short::Tagged(tag, value))
    }

    /// Prints `items` as a block sequence at `indent`, starting on a fresh line.
    fn sequence(&self, items: &[Value], indent: usize, out: &mut Text) {
        for item in items {
            push_indent(out, indent);
            out.push('-');
            self.after_indicator(item, indent + 2, out);
        }
    }

    /// Prints `map` as a block mapping at `indent`, starting on a fresh line.
    fn mapping(&self, map: &Map<String, Value>, indent: usize, out: &mut Text) {
        if map.len() >= PARALLEL_ENTRIES {
            // A large mapping (the paths of an OpenAPI body) prints on all cores.
            let chunks = print_in_chunks(map, |_, chunk| {
                let mut text = Text::default();
                for (key, value) in chunk {
                    self.entry(key, value, indent, &mut text);
                }
                text
            });
            // Kept as pieces: copied once, into a string of the final size, at the end.
            for chunk in chunks {
                out.append(chunk);
            }
            return;
        }
        for (key, value) in map {
            self.entry(key, value, indent, out);
        }
    }

    /// One `key: value` of a block mapping at `indent`, starting on a fresh line.
    fn entry(&self, key: &str, value: &Value, indent: usize, out: &mut Text) {
        push_indent(out, indent);
        push_key(key, out);
        out.push(':');
        self.after_key(value, indent, out);
    }

    /// After `key:` at `indent`: an inline value, or a nested block on the following lines.
    fn after_key(&self, value: &Value, indent: usize, out: &mut Text) {
        match value {
            Value::Object(map) if !map.is_empty() => match self.short_form(map) {
                Some(short) => self.tagged(short, indent + 2, out),
                None => {
                    out.push('\n');
                    self.mapping(map, indent + 2, out);
                }
            },
            // Sequences under a key are indented by two, as CloudFormation's own docs write.
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                self.sequence(items, indent + 2, out);
            }
            other => {
                out.push(' ');
                self.inline_value(other, indent + 2, out);
                out.push('\n');
            }
        }
    }

    /// After a `-` whose content sits at `indent`: a compact mapping (`- Key: v`) or nested
    /// sequence, or an inline value.
    fn after_indicator(&self, value: &Value, indent: usize, out: &mut Text) {
        match value {
            Value::Object(map) if !map.is_empty() => match self.short_form(map) {
                Some(short) => self.tagged(short, indent, out),
                None => {
                    out.push(' ');
                    let mut first = true;
                    for (key, value) in map {
                        if !first {
                            push_indent(out, indent);
                        }
                        first = false;
                        push_key(key, out);
                        out.push(':');
                        self.after_key(value, indent, out);
                    }
                }
            },
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                self.sequence(items, indent, out);
            }
            other => {
                out.push(' ');
                self.inline_value(other, indent, out);
                out.push('\n');
            }
        }
    }

    /// A short-form tag right after `key:` or `-`; a collection argument goes on the following
    /// lines at `indent`.
    fn tagged(&self, short: Short<'_>, indent: usize, out: &mut Text) {
        match short {
            Short::GetAtt(target) => {
                out.push_str(" !GetAtt ");
                out.push_str(&target);
                out.push('\n');
            }
            Short::Tagged(tag, value) => {
                out.push(' ');
                out.push_str(tag);
                match value {
                    Value::Array(items) if !items.is_empty() => {
                        out.push('\n');
                        self.sequence(items, indent, out);
                    }
                    Value::Object(map) if !map.is_empty() => match self.short_form(map) {
                        // A tag cannot directly carry another tag on the same node; nest it
                        // as a one-key mapping in long form instead.
                        Some(_) | None => {
                            out.push('\n');
                            self.mapping(map, indent, out);
                        }
                    },
                    other => {
                        out.push(' ');
                        self.inline_value(other, indent, out);
                        out.push('\n');
                    }
                }
            }
        }
    }

    /// A scalar, or an empty collection, on the current line. Block scalars continue on the
    /// following lines at `indent`.
    fn inline_value(&self, value: &Value, indent: usize, out: &mut Text) {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(number) => {
                // Writing to a `String` cannot fail.
                let _ = write!(out, "{number}");
            }
            Value::String(text) => string_scalar(text, indent, out),
            Value::Array(_) => out.push_str("[]"),
            Value::Object(_) => out.push_str("{}"),
        }
    }
}

/// `!GetAtt A.B` is only used when both parts are plain identifiers-with-dots.
fn is_plain_tag_argument(resource: &str, attribute: &str) -> bool {
    let ok = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
    };
    ok(resource) && ok(attribute)
}

fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(SPACES.get(..step).unwrap_or_default());
        left -= step;
    }
}

/// A mapping key: plain when safe, else quoted on one line.
fn push_key(key: &str, out: &mut String) {
    if is_plain_safe(key) {
        out.push_str(key);
    } else if is_single_quotable(key) {
        single_quoted(key, out);
    } else {
        double_quoted(key, out);
    }
}

fn string_scalar(text: &str, indent: usize, out: &mut String) {
    if is_plain_safe(text) {
        out.push_str(text);
    } else if text.contains('\n') && is_block_literal_safe(text) {
        block_literal(text, indent, out);
    } else if is_single_quotable(text) {
        single_quoted(text, out);
    } else {
        double_quoted(text, out);
    }
}

/// Whether `text` can be printed unquoted and read back as the same string by YAML 1.1 readers
/// (PyYAML, which cfn-lint uses) and YAML 1.2 readers alike. Errs towards quoting.
fn is_plain_safe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if bytes.len() > 1024 {
        // Long plain scalars are legal but hard to read; quoting keeps them on one line.
        return false;
    }
    // Indicators, whitespace and digits (numbers, dates, sexagesimals) at the start.
    if b"-?:,[]{}#&*!|>'\"%@`~ \t".contains(&first)
        || first.is_ascii_digit()
        || ((first == b'+' || first == b'.') && bytes.len() > 1)
    {
        return false;
    }
    if matches!(bytes.last(), Some(b' ' | b':')) {
        return false;
    }
    // One pass over the UTF-8 bytes for `: `, ` #`, control characters (C0, DEL and C1, which
    // is U+0080..U+009F, encoded C2 80..C2 9F), U+FEFF (EF BB BF) and U+2028/U+2029
    // (E2 80 A8/A9). Most bytes start none of these and are skipped at once.
    let mut index = 0;
    while let Some(offset) = bytes
        .get(index..)
        .and_then(|rest| rest.iter().position(|&byte| may_start_unsafe(byte)))
    {
        index += offset;
        let byte = bytes.get(index).copied().unwrap_or_default();
        let next = bytes.get(index + 1).copied();
        let unsafe_here = match byte {
            0x00..=0x1F | 0x7F => true,
            b':' => next == Some(b' '),
            b' ' => next == Some(b'#'),
            0xC2 => matches!(next, Some(0x80..=0x9F)),
            0xEF => next == Some(0xBB) && bytes.get(index + 2) == Some(&0xBF),
            0xE2 => next == Some(0x80) && matches!(bytes.get(index + 2), Some(0xA8 | 0xA9)),
            _ => false,
        };
        if unsafe_here {
            return false;
        }
        index += 1;
    }
    !is_reserved_word(text)
}

/// Whether `byte` may begin a sequence a plain scalar cannot hold (see [`is_plain_safe`]).
fn may_start_unsafe(byte: u8) -> bool {
    matches!(byte, 0x00..=0x1F | 0x7F | b':' | b' ' | 0xC2 | 0xE2 | 0xEF)
}

/// Words that YAML 1.1 or 1.2 resolve to something other than a string.
fn is_reserved_word(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "=", ".inf",
        "-.inf", "+.inf", ".nan",
    ];
    // No word is longer than five bytes, so most text needs no comparison at all.
    text.len() <= 5 && WORDS.iter().any(|word| word.eq_ignore_ascii_case(text))
}

fn is_single_quotable(text: &str) -> bool {
    !text.chars().any(|c| {
        c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}'
    }) && !text.starts_with(' ')
        && !text.ends_with(' ')
}

fn single_quoted(text: &str, out: &mut String) {
    out.push('\'');
    let mut parts = text.split('\'');
    if let Some(part) = parts.next() {
        out.push_str(part);
    }
    for part in parts {
        out.push_str("''");
        out.push_str(part);
    }
    out.push('\'');
}

fn double_quoted(text: &str, out: &mut String) {
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || c == '\u{feff}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{85}' =>
            {
                let code = u32::from(c);
                // Writing to a `String` cannot fail.
                let _ = if code <= 0xFF {
                    write!(out, "\\x{code:02X}")
                } else {
                    write!(out, "\\u{code:04X}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A literal block keeps every character when no line holds anything a block scalar would
/// change: control characters other than tab, trailing whitespace-only lines, a leading tab.
fn is_block_literal_safe(text: &str) -> bool {
    if text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || c == '\u{feff}'
            || c == '\u{2028}'
            || c == '\u{2029}'
            || c == '\u{85}'
    }) {
        return false;
    }
    // A first line that starts with a space would be read as indentation (quoting is clearer
    // than an indentation indicator). Lines made only of spaces or tabs are read as empty lines;
    // a leading tab is not indentation. Either way the text would change.
    // Text of newlines only has no content line to carry it.
    let first_line = text.split('\n').find(|line| !line.is_empty());
    match first_line {
        None => return false,
        Some(line) if line.starts_with(' ') => return false,
        Some(_) => {}
    }
    text.split('\n').all(|line| {
        !line.starts_with('\t') && (line.is_empty() || !line.chars().all(|c| c == ' ' || c == '\t'))
    })
}

fn block_literal(text: &str, indent: usize, out: &mut String) {
    out.push('|');
    let trailing_newlines = text.len() - text.trim_end_matches('\n').len();
    match trailing_newlines {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
    }
    // The caller ends the line.
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting_decisions() {
        let cases = [
            ("hello", "hello"),
            ("yes", "'yes'"),
            ("No", "'No'"),
            ("1.0", "'1.0'"),
            ("*", "'*'"),
            ("@x", "'@x'"),
            ("a: b", "'a: b'"),
            (" lead", "\" lead\""),
            ("", "''"),
            ("/pets/{id}", "/pets/{id}"),
            ("application/json", "application/json"),
            ("$default", "$default"),
            ("it's", "it's"),
            ("'quoted'", "'''quoted'''"),
            ("2024-01-01", "'2024-01-01'"),
            ("null", "'null'"),
            ("~", "'~'"),
            ("tab\there", "\"tab\\there\""),
        ];
        for (input, expected) in cases {
            let mut out = String::new();
            string_scalar(input, 2, &mut out);
            assert_eq!(out, expected, "for {input:?}");
        }
    }

    #[test]
    fn short_forms() {
        let value = json!({
            "A": {"Ref": "Param"},
            "B": {"Fn::GetAtt": ["Fn", "Arn"]},
            "C": {"Fn::Sub": "arn:${AWS::Partition}:x"},
            "D": {"Fn::Sub": ["${a}", {"a": {"Ref": "B"}}]},
            "E": {"Ref": {"weird": 1}},
        });
        let text = to_string(
            &value,
            Style {
                short_form_intrinsics: true,
            },
        );
        assert_eq!(
            text,
            "A: !Ref Param\nB: !GetAtt Fn.Arn\nC: !Sub arn:${AWS::Partition}:x\nD: !Sub\n  - ${a}\n  - a: !Ref B\nE:\n  Ref:\n    weird: 1\n"
        );
    }

    #[test]
    fn block_literals() {
        let mut out = String::new();
        string_scalar("#set($x = 1)\n{\"a\": $x}\n", 4, &mut out);
        assert_eq!(out, "|\n    #set($x = 1)\n    {\"a\": $x}");
        let mut out = String::new();
        string_scalar("no newline\n  indented", 2, &mut out);
        assert_eq!(out, "|-\n  no newline\n    indented");
        let mut out = String::new();
        string_scalar("  indented\nfirst", 2, &mut out);
        assert_eq!(out, "\"  indented\\nfirst\"");
    }
}
