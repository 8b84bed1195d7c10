//! Loader tests: bytes in, tree and problems out. Places are written `line:column` and checked
//! against the byte offset each span carries.

use serde_json::json;

use super::{json, load, span_of_offset, Limits, Loaded};
use crate::load::tree::{Node, Span, Value};
use crate::pointer::Pointer;

fn load_text(text: &str) -> Loaded {
    load(text.as_bytes(), &Limits::default())
}

/// The tree of a document that must load without problems, checked for consistent spans.
fn tree(text: &str) -> Node {
    let loaded = load_text(text);
    assert!(
        loaded.problems.is_empty(),
        "unexpected problems: {:?}",
        problems(&loaded)
    );
    let root = loaded
        .root
        .unwrap_or_else(|| Node::new(Value::Null, Span::default()));
    assert_spans_match_offsets(text.as_bytes(), &root);
    root
}

/// Every problem as `CODE line:column`.
fn problems(loaded: &Loaded) -> Vec<String> {
    loaded
        .problems
        .iter()
        .map(|problem| {
            format!(
                "{} {}:{}",
                problem.rule.code, problem.span.line, problem.span.column
            )
        })
        .collect()
}

fn place(span: Span) -> String {
    format!("{}:{}", span.line, span.column)
}

/// `line:column` of the node at `pointer`.
fn at(root: &Node, pointer: &str) -> String {
    let node = root
        .at(&Pointer::from_escaped(pointer))
        .unwrap_or_else(|| panic!("no node at {pointer}"));
    place(node.span)
}

/// `line:column` of the key naming the node at `pointer`.
fn key_at(root: &Node, pointer: &str) -> String {
    let pointer = Pointer::from_escaped(pointer);
    let parent = pointer.parent().unwrap_or_default();
    let key = pointer.segments().last().unwrap_or_default();
    let entry = root
        .at(&parent)
        .and_then(Node::as_map)
        .and_then(|map| map.entry(&key))
        .unwrap_or_else(|| panic!("no key at {}", pointer.as_str()));
    place(entry.key_span)
}

/// Each span's line and column must be what its byte offset gives when counted from the start.
fn assert_spans_match_offsets(bytes: &[u8], node: &Node) {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        assert_eq!(
            node.span,
            span_of_offset(bytes, node.span.offset as usize),
            "span of {:?}",
            node.to_json()
        );
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(map) => {
                for entry in &map.entries {
                    assert_eq!(
                        entry.key_span,
                        span_of_offset(bytes, entry.key_span.offset as usize),
                        "span of key {}",
                        entry.key
                    );
                    pending.push(&entry.value);
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_values_and_their_places() {
    let text = "{\n  \"openapi\": \"3.0.1\",\n  \"n\": [1, -2, 3.5, 1e3, true, false, null],\n  \"e\": {}\n}\n";
    let root = tree(text);
    assert_eq!(
        root.to_json(),
        json!({"openapi": "3.0.1", "n": [1, -2, 3.5, 1000.0, true, false, null], "e": {}})
    );
    assert_eq!(at(&root, ""), "1:1");
    assert_eq!(key_at(&root, "/openapi"), "2:3");
    assert_eq!(at(&root, "/openapi"), "2:14");
    assert_eq!(at(&root, "/n"), "3:8");
    assert_eq!(at(&root, "/n/0"), "3:9");
    assert_eq!(at(&root, "/n/6"), "3:39");
    assert_eq!(key_at(&root, "/e"), "4:3");
    assert_eq!(at(&root, "/e"), "4:8");
}

#[test]
fn json_columns_count_characters_not_bytes() {
    // "é" is two bytes, "𝄞" four, "日本" six: columns after them count characters.
    let text = "{\"é\": \"𝄞\", \"日本\": [\"ü\", 1]}";
    let root = tree(text);
    assert_eq!(key_at(&root, "/é"), "1:2");
    assert_eq!(at(&root, "/é"), "1:7");
    assert_eq!(key_at(&root, "/日本"), "1:12");
    assert_eq!(at(&root, "/日本"), "1:18");
    assert_eq!(at(&root, "/日本/1"), "1:24");
    assert_eq!(
        root.get("日本")
            .and_then(|node| node.at(&Pointer::from_escaped("/1")))
            .map(|node| node.span.offset),
        Some(32)
    );
}

#[test]
fn json_after_a_byte_order_mark() {
    let text = "\u{FEFF}{\"a\": 1}";
    let root = tree(text);
    assert_eq!(at(&root, ""), "1:1");
    assert_eq!(root.span.offset, 3);
    assert_eq!(at(&root, "/a"), "1:7");
}

#[test]
fn json_string_escapes() {
    let root = tree(r#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u0041", "\ud834\udd1e", "x\u0000y"]"#);
    assert_eq!(
        root.to_json(),
        json!(["a\"b\\c/d\u{8}\u{c}\n\r\t", "éA", "𝄞", "x\u{0}y"])
    );
}

#[test]
fn json_numbers_follow_serde_json() {
    let text = "[0, -0, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, 0.1, 1.5e-7, 2E+2, 123456789012]";
    let root = tree(text);
    let expected: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(root.to_json(), expected);
    let numbers: Vec<String> = root
        .as_seq()
        .unwrap_or_default()
        .iter()
        .map(|node| node.scalar_text().unwrap_or_default())
        .collect();
    let serde_numbers: Vec<String> = expected
        .as_array()
        .map(|items| items.iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    assert_eq!(numbers, serde_numbers);
}

#[test]
fn json_syntax_errors_say_what_was_expected_and_where() {
    let cases: &[(&str, &str, &str)] = &[
        ("{\"a\": 1]", "APIGW001 1:8", "expected `,` or `}` after an object member, found `]`"),
        ("[1, 2}", "APIGW001 1:6", "expected `,` or `]` after an array element, found `}`"),
        ("{\"a\" 1}", "APIGW001 1:6", "expected `:` after the member name, found `1`"),
        ("{\n  \"a\": @x\n}", "APIGW001 2:8", "expected a value, found `@`"),
        ("[1,\n 2,\n }", "APIGW001 3:2", "expected a value, found `}`"),
        ("{\"a\": \"b", "APIGW001 1:9", "the string is not closed: expected `\"` before the end of the file"),
        ("[\"a\\qb\"]", "APIGW001 1:4", "unknown escape `\\q` in a string; JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"),
        ("[\"\\ud834x\"]", "APIGW001 1:3", "`\\uD834` is a high surrogate and must be followed by a low surrogate escape (`\\uDC00` to `\\uDFFF`)"),
        ("[01]", "APIGW001 1:3", "expected `,` or `]` after an array element, found `1`"),
        ("[1.]", "APIGW001 1:4", "expected a digit after the decimal point, found `]`"),
        ("{\"a\": 1} x", "APIGW001 1:10", "expected the end of the file after the document, found `x`"),
        ("[\"a\tb\"]", "APIGW001 1:4", "a string cannot hold the control character U+0009; write it as an escape such as `\\n`"),
    ];
    // The JSON parser itself: some of these texts are YAML, which `load` would accept.
    for (text, place, message) in cases {
        let problem = match json::parse(text, 0, &Limits::default()) {
            Err(json::Failure::Syntax(problem)) => problem,
            _ => panic!("no syntax error for {text}"),
        };
        let loaded = Loaded {
            root: None,
            problems: vec![problem],
        };
        assert_eq!(problems(&loaded), vec![(*place).to_owned()], "{text}");
        assert_eq!(
            loaded
                .problems
                .first()
                .map(|problem| problem.message.as_str()),
            Some(*message),
            "{text}"
        );
    }
    // Through `load`, a text that is not YAML either gives the JSON error.
    let loaded = load_text("{\"a\": 1]");
    assert_eq!(problems(&loaded), vec!["APIGW001 1:8"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("expected `,` or `}` after an object member, found `]`")
    );
}

#[test]
fn json_syntax_error_names_the_enclosing_node() {
    let loaded = load_text("{\"paths\": {\"/pets\": {\"get\": [1, 2}}}");
    assert_eq!(problems(&loaded), vec!["APIGW001 1:34"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.pointer.as_str()),
        Some("/paths/~1pets/get")
    );
}

#[test]
fn json_that_is_yaml_loads_as_yaml() {
    // What YAML's flow style accepts is read as YAML: a trailing comma, a bare word.
    let root = tree("[1,\n 2,\n]");
    assert_eq!(root.to_json(), json!([1, 2]));
    let root = tree("{\"a\": tru}");
    assert_eq!(root.to_json(), json!({"a": "tru"}));
    // Flow YAML accepts what strict JSON does not: comments, unquoted keys.
    let root = tree("{a: 1, # note\n \"b\": [x]}\n");
    assert_eq!(root.to_json(), json!({"a": 1, "b": ["x"]}));
    assert_eq!(key_at(&root, "/b"), "2:2");
}

#[test]
fn json_duplicate_keys_point_at_the_second_and_name_the_first() {
    let text = "{\n  \"paths\": {\n    \"/pets\": {},\n    \"/users\": {},\n    \"/pets\": {\"get\": {}}\n  }\n}";
    let loaded = load_text(text);
    assert_eq!(problems(&loaded), vec!["APIGW002 5:5"]);
    let problem = loaded.problems.first();
    assert_eq!(
        problem.map(|problem| problem.pointer.as_str()),
        Some("/paths/~1pets")
    );
    assert_eq!(
        problem
            .and_then(|problem| problem.related.first())
            .map(|related| place(related.span)),
        Some("3:5".to_owned())
    );
    assert_eq!(
        problem.and_then(|problem| problem.help.clone()),
        Some(
            "the first `/pets` is at line 3, column 5; keep one of them (apigw reads the first)"
                .to_owned()
        )
    );
    // The first copy stays; the tree is a proper mapping.
    let root = loaded
        .root
        .unwrap_or_else(|| Node::new(Value::Null, Span::default()));
    assert_eq!(
        root.to_json(),
        json!({"paths": {"/pets": {}, "/users": {}}})
    );
}

#[test]
fn json_duplicate_keys_in_a_large_object() {
    let mut text = String::from("{");
    for index in 0..100 {
        text.push_str(&format!("\"k{index}\": {index},\n"));
    }
    text.push_str("\"k7\": 0, \"k99\": 1}");
    let loaded = load_text(&text);
    assert_eq!(problems(&loaded), vec!["APIGW002 101:1", "APIGW002 101:10"]);
    let firsts: Vec<String> = loaded
        .problems
        .iter()
        .filter_map(|problem| problem.related.first().map(|related| place(related.span)))
        .collect();
    assert_eq!(firsts, vec!["8:1", "100:1"]);
}

#[test]
fn json_deep_nesting_stops_at_the_limit() {
    let depth = 100_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let loaded = load_text(&text);
    assert_eq!(problems(&loaded), vec!["APIGW003 1:257"]);
    assert!(loaded.root.is_none());
    let objects = "{\"a\":".repeat(depth);
    let loaded = load_text(&objects);
    assert_eq!(problems(&loaded), vec!["APIGW003 1:1281"]);
    let pointer = loaded
        .problems
        .first()
        .map(|problem| problem.pointer.as_str().len());
    assert_eq!(pointer, Some(256 * 2));
}

#[test]
fn json_a_ten_megabyte_line() {
    let mut text = String::with_capacity(10 * 1024 * 1024 + 64);
    text.push('[');
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("\"ab\u{e9}cd\", 12345, ");
    }
    text.push_str("\"end\"]");
    let loaded = load_text(&text);
    assert!(loaded.problems.is_empty());
    let root = loaded
        .root
        .unwrap_or_else(|| Node::new(Value::Null, Span::default()));
    let items = root.as_seq().unwrap_or_default();
    let last = items.last().map(|node| node.span);
    // Each repetition is 16 characters and 17 bytes.
    let repetitions = (items.len() - 1) / 2;
    assert_eq!(
        last.map(|span| span.column as usize),
        Some(2 + repetitions * 16)
    );
    assert_eq!(
        last.map(|span| span.offset as usize),
        Some(1 + repetitions * 17)
    );
}

// ---------------------------------------------------------------------------------------------
// Detection, encoding, emptiness, size

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let mut bytes = b"openapi: 3.0.1\ninfo:\n  title: caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b" menu\n");
    let loaded = load(&bytes, &Limits::default());
    assert_eq!(problems(&loaded), vec!["APIGW004 3:13"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("the byte 0xE9 is not valid UTF-8")
    );
    assert!(loaded.root.is_none());
    // The same in a JSON file, after a multi-byte character on the same line.
    let mut bytes = "{\n\"a\": 1,\n\"é\": \"".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFF, b'"', b'}']);
    assert_eq!(
        problems(&load(&bytes, &Limits::default())),
        vec!["APIGW004 3:7"]
    );
}

#[test]
fn utf16_gets_a_hint() {
    let bytes = [0xFF, 0xFE, b'{', 0, b'}', 0];
    let loaded = load(&bytes, &Limits::default());
    assert_eq!(problems(&loaded), vec!["APIGW004 1:1"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .and_then(|problem| problem.help.as_deref()),
        Some("the file looks like UTF-16; save it as UTF-8")
    );
}

#[test]
fn binary_input_is_refused_with_a_place() {
    let loaded = load(b"openapi: 3.0.1\npaths:\n  x\0y: 1\n", &Limits::default());
    assert_eq!(problems(&loaded), vec!["APIGW004 3:4"]);
    let loaded = load(
        &[0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00],
        &Limits::default(),
    );
    assert_eq!(problems(&loaded), vec!["APIGW004 1:5"]);
    // Pseudo-random bytes: some problem with a place, never a panic.
    let mut state: u32 = 0x1234_5678;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    let loaded = load(&garbage, &Limits::default());
    assert!(loaded.root.is_none());
    assert_eq!(loaded.problems.len(), 1);
    assert!(loaded.problems.iter().all(|problem| problem.span.line >= 1));
}

#[test]
fn empty_documents() {
    for text in [
        "",
        "   \n\n\t\n",
        "# nothing here\n# at all\n",
        "---\n",
        "--- # c\n...\n",
        "\u{FEFF}",
    ] {
        let loaded = load_text(text);
        assert_eq!(problems(&loaded), vec!["APIGW005 1:1"], "{text:?}");
        assert!(loaded.root.is_none());
    }
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let loaded = load(b"{\"a\": \"0123456789\"}", &limits);
    assert_eq!(problems(&loaded), vec!["APIGW003 1:1"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("the file is 19 bytes, over the limit of 10 bytes")
    );
}
