//! Pretty JSON for document models, byte for byte what `serde_json::to_string_pretty` prints
//! (two-space indent, `"key": value`, `{}` and `[]` when empty), with the entries of a large
//! object printed on all cores. Scalars go through serde_json itself, so escaping and number
//! formatting are serde_json's.
//!
//! It must not know any target's vocabulary.

use serde_json::{Map, Value};

use crate::{print_in_chunks, PARALLEL_ENTRIES};

/// Prints `value` as pretty JSON (without a final newline).
pub(crate) fn to_string_pretty(value: &Value) -> Result<String, serde_json::Error> {
    let mut out = Vec::new();
    write_value(value, 0, &mut out)?;
    // serde_json writes UTF-8 only, and so does this module between its scalars.
    String::from_utf8(out).map_err(|error| {
        serde_json::Error::io(std::io::Error::new(std::io::ErrorKind::InvalidData, error))
    })
}

fn write_value(value: &Value, level: usize, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
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
        scalar => serde_json::to_writer(&mut *out, scalar),
    }
}

fn write_object(
    map: &Map<String, Value>,
    level: usize,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    out.push(b'{');
    if map.len() >= PARALLEL_ENTRIES {
        let chunks = print_in_chunks(map, |chunk_index, chunk| {
            let mut text = Vec::new();
            for (index, (key, value)) in chunk.iter().enumerate() {
                write_entry(chunk_index == 0 && index == 0, key, value, level, &mut text)?;
            }
            Ok::<_, serde_json::Error>(text)
        });
        for chunk in chunks {
            out.extend_from_slice(&chunk?);
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
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    separator(first, level + 1, out);
    serde_json::to_writer(&mut *out, key)?;
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
        }
    }
}
