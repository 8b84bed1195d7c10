//! JSON for document models, byte for byte what serde_json prints: pretty
//! (`serde_json::to_string_pretty`: two-space indent, `"key": value`, `{}` and `[]` when empty)
//! and compact (`serde_json::to_writer`), with the entries of a large object printed on all
//! cores. Numbers go through serde_json itself; strings are escaped as serde_json escapes them
//! (`"`, `\\` and the C0 controls, nothing else), which a test compares.
//!
//! It must not know any target's vocabulary.

use serde_json::{Map, Value};

use crate::{print_in_chunks, Pieces, PARALLEL_ENTRIES};

/// The pretty text being printed (see [`Pieces`]).
type Bytes = Pieces<Vec<u8>>;

/// Prints `value` as pretty JSON (without a final newline).
pub(crate) fn to_string_pretty(value: &Value) -> Result<String, serde_json::Error> {
    let mut out = Pieces::default();
    write_value(value, 0, &mut out)?;
    // serde_json writes UTF-8 only, and so does this module between its scalars.
    String::from_utf8(out.joined()).map_err(|error| {
        serde_json::Error::io(std::io::Error::new(std::io::ErrorKind::InvalidData, error))
    })
}

/// How [`write_compact`] writes an object of [`PARALLEL_ENTRIES`] entries or more: given the
/// object, it appends what stands for it.
pub(crate) type Large<'a> = &'a (dyn Fn(&Map<String, Value>, &mut Vec<u8>) + Sync);

/// Appends `value` as compact JSON to `out` (the text of `serde_json::to_writer`), except that
/// each large object is written by `large`.
pub(crate) fn write_compact(value: &Value, out: &mut Vec<u8>, large: Large<'_>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            // Writing to a vector cannot fail, and a number always serializes.
            let _ = serde_json::to_writer(&mut *out, number);
        }
        Value::String(text) => write_str(text, out),
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_compact(item, out, large);
            }
            out.push(b']');
        }
        Value::Object(map) if map.len() >= PARALLEL_ENTRIES => large(map, out),
        Value::Object(map) => {
            out.push(b'{');
            for (index, (key, value)) in map.iter().enumerate() {
                compact_entry(index == 0, key, value, out, large);
            }
            out.push(b'}');
        }
    }
}

/// One `"key":value` of a compact object, with the comma before it unless it is the first.
pub(crate) fn compact_entry(
    first: bool,
    key: &str,
    value: &Value,
    out: &mut Vec<u8>,
    large: Large<'_>,
) {
    if !first {
        out.push(b',');
    }
    write_str(key, out);
    out.push(b':');
    write_compact(value, out, large);
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn write_str(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Most text needs no escape; this test has no branch per byte, so it runs by whole vectors.
    let needs_escape = bytes.iter().fold(false, |found, &byte| {
        found | (byte < 0x20 || byte == b'"' || byte == b'\\')
    });
    if !needs_escape {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0A => b"\\n",
            0x0C => b"\\f",
            0x0D => b"\\r",
            0x00..=0x1F => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..index).unwrap_or_default());
        start = index + 1;
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            for nibble in [byte >> 4, byte & 0xF] {
                out.push(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'));
            }
        } else {
            out.extend_from_slice(escape);
        }
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

fn write_value(value: &Value, level: usize, out: &mut Bytes) -> Result<(), serde_json::Error> {
    match value {
        Value::Object(map) if !map.is_empty() => write_object(map, level, out),
        Value::Array(items) if !items.is_empty() => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                separator(index == 0, level + 1, out);
                write_value(item, level + 1, out)?;
            }
            out.push(b'\n');
            indent(level, out);
            out.push(b']');
            Ok(())
        }
        Value::Object(_) => {
            out.extend_from_slice(b"{}");
            Ok(())
        }
        Value::Array(_) => {
            out.extend_from_slice(b"[]");
            Ok(())
        }
        Value::String(text) => {
            write_str(text, out);
            Ok(())
        }
        scalar => serde_json::to_writer(&mut **out, scalar),
    }
}

fn write_object(
    map: &Map<String, Value>,
    level: usize,
    out: &mut Bytes,
) -> Result<(), serde_json::Error> {
    out.push(b'{');
    if map.len() >= PARALLEL_ENTRIES {
        let chunks = print_in_chunks(map, |chunk_index, chunk| {
            let mut text = Bytes::default();
            for (index, (key, value)) in chunk.iter().enumerate() {
                write_entry(chunk_index == 0 && index == 0, key, value, level, &mut text)?;
            }
            Ok::<_, serde_json::Error>(text)
        });
        // Kept as pieces: copied once, into a buffer of the final size, at the end.
        for chunk in chunks {
            out.append(chunk?);
        }
    } else {
        for (index, (key, value)) in map.iter().enumerate() {
            write_entry(index == 0, key, value, level, out)?;
        }
    }
    out.push(b'\n');
    indent(level, out);
    out.push(b'}');
    Ok(())
}

/// One `"key": value` of an object at `level`, with the separator before it.
fn write_entry(
    first: bool,
    key: &str,
    value: &Value,
    level: usize,
    out: &mut Bytes,
) -> Result<(), serde_json::Error> {
    separator(first, level + 1, out);
    write_str(key, out);
    out.extend_from_slice(b": ");
    write_value(value, level + 1, out)
}

fn separator(first: bool, level: usize, out: &mut Vec<u8>) {
    if first {
        out.push(b'\n');
    } else {
        out.extend_from_slice(b",\n");
    }
    indent(level, out);
}

fn indent(level: usize, out: &mut Vec<u8>) {
    for _ in 0..level {
        out.extend_from_slice(b"  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A large object written like any other.
    fn in_full(map: &Map<String, Value>, out: &mut Vec<u8>) {
        out.push(b'{');
        for (index, (key, value)) in map.iter().enumerate() {
            compact_entry(index == 0, key, value, out, &in_full);
        }
        out.push(b'}');
    }

    #[test]
    fn prints_what_serde_json_prints() {
        let mut many = Map::new();
        for index in 0..(PARALLEL_ENTRIES * 2 + 3) {
            many.insert(
                format!("key \"{index}\"\n"),
                json!({"n": index, "f": 1.5, "list": [index, null, true, "é\u{1}"], "e": {}, "a": []}),
            );
        }
        let values = [
            json!(null),
            json!("text"),
            json!([]),
            json!({}),
            json!({"a": [1, [2, []], {"b": {}}], "c": -0.0, "d": 1e300}),
            json!([{"x": "y"}, [], [[]]]),
            Value::Object(many),
        ];
        for value in values {
            let expected = serde_json::to_string_pretty(&value).unwrap();
            assert_eq!(to_string_pretty(&value).unwrap(), expected);
            let mut compact = Vec::new();
            write_compact(&value, &mut compact, &in_full);
            assert_eq!(String::from_utf8(compact).unwrap(), value.to_string());
        }
    }

    #[test]
    fn escapes_strings_as_serde_json_does() {
        let mut texts: Vec<String> = (0u32..0x100)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b{c}"))
            .collect();
        texts.extend(
            [
                "",
                "\"\\\"",
                "é\u{2028}\u{feff}\u{10FFFF}",
                "\u{7f}\u{85}",
                "plain text",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut out = Vec::new();
            write_str(&text, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
        }
    }
}
