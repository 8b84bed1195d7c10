//! Loader tests: bytes in, tree and problems out. Places are written `line:column` and checked
//! against the byte offset each span carries.

use serde_json::json;

use super::{json, load, Limits, Loaded};
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
/// Spans are checked in offset order in one sweep, so large files stay cheap.
fn assert_spans_match_offsets(bytes: &[u8], node: &Node) {
    let mut spans = Vec::new();
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        spans.push(node.span);
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(map) => {
                for entry in &map.entries {
                    spans.push(entry.key_span);
                    pending.push(&entry.value);
                }
            }
            _ => {}
        }
    }
    spans.sort_by_key(|span| span.offset);
    let bom = if bytes.starts_with(super::BYTE_ORDER_MARK) {
        3
    } else {
        0
    };
    let (mut offset, mut line, mut column) = (bom, 1, 1);
    for span in spans {
        while offset < span.offset as usize {
            let byte = bytes[offset];
            // A line ends at `\n`, `\r\n` or a lone `\r`.
            let ends_line =
                byte == b'\n' || (byte == b'\r' && bytes.get(offset + 1) != Some(&b'\n'));
            if ends_line {
                line += 1;
                column = 1;
            } else if byte & 0xC0 != 0x80 && byte != b'\r' {
                column += 1;
            }
            offset += 1;
        }
        assert_eq!(
            (span.line, span.column),
            (line, column),
            "span at byte {offset}"
        );
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

// ---------------------------------------------------------------------------------------------
// YAML

#[test]
fn yaml_block_spans_of_keys_and_values() {
    let text = "\
# a comment first
openapi: 3.0.1   # trailing comment
info:
  title: Pets
  description: |
    Line one.
    Line two.
  version: '1'
paths:
  /pets:
    get:
      responses:
        200:
          description: ok
      tags:
        - pets
        -   \"quoted\"
";
    let root = tree(text);
    assert_eq!(key_at(&root, "/openapi"), "2:1");
    assert_eq!(at(&root, "/openapi"), "2:10");
    assert_eq!(at(&root, "/info"), "4:3");
    // A block scalar starts at its first line of content.
    assert_eq!(at(&root, "/info/description"), "6:5");
    assert_eq!(key_at(&root, "/info/version"), "8:3");
    assert_eq!(at(&root, "/info/version"), "8:12");
    assert_eq!(key_at(&root, "/paths/~1pets/get/responses/200"), "13:9");
    assert_eq!(
        at(&root, "/paths/~1pets/get/responses/200/description"),
        "14:24"
    );
    assert_eq!(at(&root, "/paths/~1pets/get/tags"), "16:9");
    assert_eq!(at(&root, "/paths/~1pets/get/tags/1"), "17:13");
    assert_eq!(
        root.get("info").map(Node::to_json),
        Some(json!({"title": "Pets", "description": "Line one.\nLine two.\n", "version": "1"}))
    );
    assert_eq!(
        root.to_json().pointer("/paths/~1pets/get/responses/200"),
        Some(&json!({"description": "ok"}))
    );
}

#[test]
fn yaml_flow_spans_and_multibyte_characters() {
    let text = "x: {a: [1, \"é\", b], \"ü\": {k: v}}\n\"日本\": ñ\n";
    let root = tree(text);
    assert_eq!(at(&root, "/x"), "1:4");
    assert_eq!(key_at(&root, "/x/a"), "1:5");
    assert_eq!(at(&root, "/x/a"), "1:8");
    assert_eq!(at(&root, "/x/a/1"), "1:12");
    assert_eq!(at(&root, "/x/a/2"), "1:17");
    assert_eq!(key_at(&root, "/x/ü"), "1:21");
    assert_eq!(at(&root, "/x/ü/k"), "1:30");
    assert_eq!(key_at(&root, "/日本"), "2:1");
    assert_eq!(at(&root, "/日本"), "2:7");
}

#[test]
fn yaml_after_a_byte_order_mark_and_multibyte_comments() {
    let text = "\u{FEFF}# café ☕ comment\nname: ü # ☕☕\nnext: [é, x]\n";
    let root = tree(text);
    assert_eq!(key_at(&root, "/name"), "2:1");
    assert_eq!(at(&root, "/next/1"), "3:11");
    assert_eq!(root.to_json(), json!({"name": "ü", "next": ["é", "x"]}));
}

#[test]
fn yaml_multi_line_scalars_keep_their_start() {
    let text = "a: >-\n  folded\n  text\nb: \"double\n  quoted\"\nc: plain\n  continued\nd: 1\n";
    let root = tree(text);
    assert_eq!(
        root.to_json(),
        json!({"a": "folded text", "b": "double quoted", "c": "plain continued", "d": 1})
    );
    assert_eq!(at(&root, "/b"), "4:4");
    assert_eq!(at(&root, "/c"), "6:4");
    assert_eq!(key_at(&root, "/d"), "8:1");
}

#[test]
fn yaml_core_schema_scalars() {
    let text = "\
nulls: [~, null, Null, NULL, ]
bools: [true, True, TRUE, false, False, FALSE, yes, on, tRUE]
ints: [0, -12, +7, 0o17, 0x1F, 0123, 123456789012, 18446744073709551615]
floats: [1.5, -0.5, .5, 1., 1e3, 2E-2]
special: [.inf, -.Inf, .NaN]
strings: [2010-09-09, 1.0.0, 0x, 0o8, 12abc, '1', \"true\", !!str 3, ! 4]
tagged: [!!int \"7\", !!float 1, !!bool \"true\", !!null '']
";
    let root = tree(text);
    assert_eq!(
        root.to_json(),
        json!({
            "nulls": [null, null, null, null],
            "bools": [true, true, true, false, false, false, "yes", "on", "tRUE"],
            "ints": [0, -12, 7, 15, 31, 123, 123_456_789_012_u64, 18_446_744_073_709_551_615_u64],
            "floats": [1.5, -0.5, 0.5, 1.0, 1000.0, 0.02],
            "special": [".inf", "-.Inf", ".NaN"],
            "strings": ["2010-09-09", "1.0.0", "0x", "0o8", "12abc", "1", "true", "3", "4"],
            "tagged": [7, 1.0, true, null],
        })
    );
}

#[test]
fn yaml_keys_keep_their_text() {
    let root = tree("200: a\n0x1F: b\ntrue: c\n~: d\n1.50: e\n'quoted': f\n");
    let keys: Vec<&str> = root
        .as_map()
        .map(|map| map.entries.iter().map(|entry| entry.key.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(keys, vec!["200", "0x1F", "true", "~", "1.50", "quoted"]);
}

#[test]
fn yaml_non_scalar_keys_are_syntax_errors() {
    let loaded = load_text("a: 1\n? [x, y]\n: 2\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 2:3"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("a mapping key must be a scalar, found a sequence")
    );
    let loaded = load_text("x: {a: 1, {b: 2}: 3}");
    assert_eq!(problems(&loaded), vec!["APIGW001 1:11"]);
}

#[test]
fn yaml_anchors_and_aliases() {
    let text = "\
base: &base
  type: mock
  timeout: 29000
copy: *base
list: [&x one, *x, *x]
";
    let root = tree(text);
    assert_eq!(
        root.to_json(),
        json!({
            "base": {"type": "mock", "timeout": 29000},
            "copy": {"type": "mock", "timeout": 29000},
            "list": ["one", "one", "one"],
        })
    );
    // An alias carries the places of the anchored node, which starts at its anchor.
    assert_eq!(at(&root, "/base"), "1:7");
    assert_eq!(at(&root, "/copy"), "1:7");
    assert_eq!(at(&root, "/copy/timeout"), "3:12");
    assert_eq!(at(&root, "/list/2"), "5:8");
}

#[test]
fn yaml_alias_to_an_enclosing_node_is_an_error() {
    let loaded = load_text("a: &a [1, *a]\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 1:11"]);
    let loaded = load_text("a: *nothing\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 1:4"]);
}

#[test]
fn yaml_merge_keys() {
    let text = "\
defaults: &defaults
  type: aws_proxy
  httpMethod: POST
  timeoutInMillis: 29000
extra: &extra
  timeoutInMillis: 1000
  passthroughBehavior: when_no_match
one:
  <<: *defaults
  uri: arn:one
  httpMethod: GET
two:
  uri: arn:two
  <<: [*extra, *defaults]
three: {<<: {a: 1}, \"<<\": quoted}
";
    let root = tree(text);
    assert_eq!(
        root.get("one").map(Node::to_json),
        Some(
            json!({"uri": "arn:one", "httpMethod": "GET", "type": "aws_proxy", "timeoutInMillis": 29000})
        )
    );
    assert_eq!(
        root.get("two").map(Node::to_json),
        Some(json!({
            "uri": "arn:two",
            "timeoutInMillis": 1000,
            "passthroughBehavior": "when_no_match",
            "type": "aws_proxy",
            "httpMethod": "POST",
        }))
    );
    assert_eq!(
        root.get("three").map(Node::to_json),
        Some(json!({"<<": "quoted", "a": 1}))
    );
    // Merged entries keep the places they were written at.
    assert_eq!(key_at(&root, "/one/type"), "2:3");
    assert_eq!(key_at(&root, "/one/httpMethod"), "11:3");
}

#[test]
fn yaml_merge_of_a_scalar_is_an_error() {
    let loaded = load_text("a:\n  <<: 5\n  b: 1\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 2:7"]);
    assert_eq!(
        loaded.root.map(|root| root.to_json()),
        Some(json!({"a": {"b": 1}}))
    );
}

#[test]
fn yaml_cloudformation_short_form_tags() {
    let text = "\
a: !Ref MyApi
b: !GetAtt MyFunction.Arn
c: !GetAtt [MyFunction, Arn]
d: !GetAtt Res.Outputs.Value
e: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/${Fn}'
f: !Join ['', [a, !Ref B]]
g: !If [IsProd, !Ref Prod, !Ref AWS::NoValue]
h: !Condition IsProd
i: !GetAZs ''
j: !Select [0, !GetAZs '']
k: !Ref 123
";
    let root = tree(text);
    assert_eq!(
        root.to_json(),
        json!({
            "a": {"Ref": "MyApi"},
            "b": {"Fn::GetAtt": ["MyFunction", "Arn"]},
            "c": {"Fn::GetAtt": ["MyFunction", "Arn"]},
            "d": {"Fn::GetAtt": ["Res", "Outputs.Value"]},
            "e": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/${Fn}"},
            "f": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
            "g": {"Fn::If": ["IsProd", {"Ref": "Prod"}, {"Ref": "AWS::NoValue"}]},
            "h": {"Condition": "IsProd"},
            "i": {"Fn::GetAZs": ""},
            "j": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            "k": {"Ref": "123"},
        })
    );
    assert_eq!(at(&root, "/a"), "1:4");
    assert_eq!(key_at(&root, "/a/Ref"), "1:4");
    // A tagged node, and the value inside its long form, start at the tag.
    assert_eq!(at(&root, "/f/Fn::Join/1/1"), "6:19");
    assert_eq!(at(&root, "/f/Fn::Join/1/1/Ref"), "6:19");
}

#[test]
fn yaml_every_cloudformation_function_tag() {
    for name in super::yaml::CLOUDFORMATION_FUNCTIONS {
        let root = tree(&format!("v: !{name} x\n"));
        let key = format!("Fn::{name}");
        assert_eq!(
            root.get("v").map(Node::to_json),
            Some(json!({key: "x"})),
            "{name}"
        );
    }
}

#[test]
fn yaml_unknown_tags_warn_and_keep_the_value() {
    let loaded = load_text("a: !Subb 'x'\nb: !Custom [1, 2]\nc: !!str 5\nd: !GetAtt [A, B]\n");
    assert_eq!(problems(&loaded), vec!["APIGW019 1:4", "APIGW019 2:4"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("the tag `!Subb` is neither a YAML tag nor a CloudFormation function")
    );
    assert_eq!(
        loaded.root.map(|root| root.to_json()),
        Some(json!({"a": "x", "b": [1, 2], "c": "5", "d": {"Fn::GetAtt": ["A", "B"]}}))
    );
}

#[test]
fn yaml_value_that_its_core_tag_cannot_hold() {
    let loaded = load_text("a: !!int abc\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 1:4"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("`abc` is not a valid `!!int` value")
    );
}

#[test]
fn yaml_second_document_is_an_error() {
    let loaded = load_text("a: 1\n---\nb: 2\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 2:1"]);
    assert_eq!(
        loaded
            .problems
            .first()
            .map(|problem| problem.message.as_str()),
        Some("a spec file holds one document; found a second at line 2")
    );
    assert_eq!(
        loaded.root.map(|root| root.to_json()),
        Some(json!({"a": 1}))
    );
    // A document end marker alone is not a second document.
    let loaded = load_text("---\na: 1\n...\n");
    assert!(loaded.problems.is_empty());
}

#[test]
fn yaml_syntax_errors_have_a_place() {
    let loaded = load_text("paths: {/pets: {get: }\n");
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(
        loaded.problems.first().map(|problem| problem.rule.code),
        Some("APIGW001")
    );
    let loaded = load_text("a:\n  b: 1\n c: 2\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 3:2"]);
    let loaded = load_text("a: 1\nb: [x\n");
    assert_eq!(problems(&loaded), vec!["APIGW001 3:1"]);
}

#[test]
fn yaml_duplicate_keys() {
    let text = "paths:\n  /pets: {}\n  /users: {}\n  /pets:\n    get: {}\n";
    let loaded = load_text(text);
    assert_eq!(problems(&loaded), vec!["APIGW002 4:3"]);
    let problem = loaded.problems.first();
    assert_eq!(
        problem.map(|problem| problem.pointer.as_str()),
        Some("/paths/~1pets")
    );
    assert_eq!(
        problem
            .and_then(|problem| problem.related.first())
            .map(|related| place(related.span)),
        Some("2:3".to_owned())
    );
    assert_eq!(
        loaded.root.map(|root| root.to_json()),
        Some(json!({"paths": {"/pets": {}, "/users": {}}}))
    );
    // A flow mapping, and keys equal only once resolved as text.
    let loaded = load_text("{a: 1, b: 2, 'a': 3}");
    assert_eq!(problems(&loaded), vec!["APIGW002 1:14"]);
    // Inside sequences nested in sequences, each index counts its own entries.
    for text in [
        "a:\n- x\n- - y\n  - [z, {k: 1, k: 2}]\n",
        "a: [x, [y, [z, {k: 1, k: 2}]]]\n",
    ] {
        let loaded = load_text(text);
        assert_eq!(
            loaded
                .problems
                .iter()
                .map(|problem| problem.pointer.as_str())
                .collect::<Vec<_>>(),
            vec!["/a/1/1/1/k"],
            "{text:?}"
        );
    }
}

#[test]
fn yaml_alias_bomb_stops_at_the_limit() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let names: Vec<char> = ('b'..='k').collect();
    let mut previous = 'a';
    for name in &names {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = *name;
    }
    let loaded = load_text(&text);
    assert!(loaded.root.is_none());
    assert_eq!(problems(&loaded).len(), 1);
    let problem = loaded.problems.first();
    assert_eq!(problem.map(|problem| problem.rule.code), Some("APIGW003"));
    assert_eq!(
        problem.map(|problem| problem.message.as_str()),
        Some("aliases expand to more than 1000000 nodes")
    );
    // 9^6 nodes pass the limit on line 7 (key `g`).
    assert_eq!(problem.map(|problem| problem.span.line), Some(7));
}

#[test]
fn yaml_deep_nesting_stops_at_the_limit() {
    let depth = 100_000;
    let flow = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    // Starts with `[`, so read as JSON first: the JSON limit speaks.
    assert_eq!(problems(&load_text(&flow)), vec!["APIGW003 1:257"]);
    let flow = format!("a: {}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(problems(&load_text(&flow)), vec!["APIGW003 1:259"]);
    let flow_maps = format!("a: {}", "{b: ".repeat(depth));
    assert_eq!(problems(&load_text(&flow_maps)), vec!["APIGW003 1:1024"]);
    let block = format!("{}x\n", "- ".repeat(depth));
    assert_eq!(problems(&load_text(&block)), vec!["APIGW003 1:513"]);
    let mut indented = String::new();
    for level in 0..300 {
        indented.push_str(&" ".repeat(level));
        indented.push_str("k:\n");
    }
    assert_eq!(problems(&load_text(&indented)), vec!["APIGW003 257:257"]);
}

#[test]
fn yaml_nested_anchors_cannot_copy_a_large_document_per_level() {
    // Each anchor keeps a copy of its node for later aliases; 200 nested anchors over 10,000
    // scalars would copy two million nodes.
    let mut text = String::new();
    for level in 0..200 {
        text.push_str(&format!("{}k{level}: &a{level}\n", " ".repeat(level * 2)));
    }
    let indent = " ".repeat(400);
    text.push_str(&format!(
        "{indent}items: [{}]\n",
        vec!["x"; 10_000].join(", ")
    ));
    let limits = Limits {
        max_depth: 1000,
        ..Limits::default()
    };
    let loaded = load(text.as_bytes(), &limits);
    assert!(loaded.root.is_none());
    assert_eq!(
        loaded
            .problems
            .iter()
            .map(|problem| problem.message.as_str())
            .collect::<Vec<_>>(),
        vec!["anchored nodes hold more than 1000000 nodes"]
    );
}

#[test]
fn yaml_aliases_cannot_build_depth_past_the_limit() {
    let mut text = String::from("a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n");
    for index in 1..40 {
        text.push_str(&format!(
            "a{index}: &a{index} [[[[[[[[[[*a{}]]]]]]]]]]\n",
            index - 1
        ));
    }
    let loaded = load_text(&text);
    assert_eq!(problems(&loaded).len(), 1);
    assert_eq!(
        loaded.problems.first().map(|problem| problem.rule.code),
        Some("APIGW003")
    );
}

#[test]
fn yaml_a_ten_megabyte_line() {
    let mut text = String::with_capacity(10 * 1024 * 1024 + 64);
    text.push_str("k: [");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("abécd, 12345, ");
    }
    text.push_str("end]\n");
    let loaded = load_text(&text);
    assert!(loaded.problems.is_empty());
    let root = loaded
        .root
        .unwrap_or_else(|| Node::new(Value::Null, Span::default()));
    let items = root.get("k").and_then(Node::as_seq).unwrap_or_default();
    let last = items.last().map(|node| node.span);
    // Each repetition is 14 characters and 15 bytes.
    let repetitions = (items.len() - 1) / 2;
    assert_eq!(
        last.map(|span| span.column as usize),
        Some(5 + repetitions * 14)
    );
    assert_eq!(
        last.map(|span| span.offset as usize),
        Some(4 + repetitions * 15)
    );
}

// ---------------------------------------------------------------------------------------------
// Real documents

/// Where the shared corpus lives: `APIGW_SHARED`, else the `shared/` folder beside the
/// repository (the first ancestor of this crate that has one).
fn shared_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("APIGW_SHARED") {
        return dir.into();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared"))
        .find(|dir| dir.join("corpus").is_dir())
        .unwrap_or_else(|| std::path::PathBuf::from("../../shared"))
}

fn corpus_files(extensions: &[&str]) -> Vec<std::path::PathBuf> {
    let shared = shared_dir();
    let mut files = Vec::new();
    for dir in [
        shared.join("corpus"),
        shared.join("oracle/aws-recorded/specs"),
    ] {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
            if extensions.contains(&extension) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn json_corpus_loads_as_serde_json_reads_it() {
    let files = corpus_files(&["json"]);
    assert!(files.len() >= 30, "only {} JSON files", files.len());
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let expected: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        let start = if bytes.starts_with(super::BYTE_ORDER_MARK) {
            3
        } else {
            0
        };
        let parsed = match json::parse(&text, start, &Limits::default()) {
            Ok(parsed) => parsed,
            Err(_) => panic!("{} does not parse as JSON", path.display()),
        };
        assert!(parsed.problems.is_empty(), "{}", path.display());
        assert_eq!(parsed.root.to_json(), expected, "{}", path.display());
        assert_spans_match_offsets(&bytes, &parsed.root);
    }
}

#[test]
fn yaml_corpus_loads_with_consistent_places() {
    let files = corpus_files(&["yaml", "yml"]);
    assert!(files.len() >= 100, "only {} YAML files", files.len());
    let mut failures = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let loaded = load(&bytes, &Limits::default());
        let Some(root) = loaded.root else {
            failures.push(format!(
                "{}: {:?}",
                path.display(),
                problems_of(&loaded.problems)
            ));
            continue;
        };
        assert_spans_match_offsets(&bytes, &root);
        // Loading what we loaded, written as JSON, gives the same tree.
        let json_text = root.to_json().to_string();
        let again = load(json_text.as_bytes(), &Limits::default());
        assert_eq!(
            again.root.map(|node| node.to_json()),
            Some(root.to_json()),
            "{}",
            path.display()
        );
    }
    // YAML 1.2 wants the lines of a flow collection or a quoted string indented past the key
    // that holds them; these two files are not, and saphyr-parser refuses them.
    let shared = shared_dir();
    assert_eq!(
        failures,
        vec![
            format!(
                "{}: [\"APIGW001 88:42 invalid YAML: invalid indentation in quoted scalar\"]",
                shared
                    .join("corpus/aws-samples__sessions-with-aws-sam__s12d_server_api.yaml")
                    .display()
            ),
            format!(
                "{}: [\"APIGW001 376:7 invalid YAML: invalid indentation\"]",
                shared
                    .join("corpus/wdas03__ai-photo-album-aws__cloudformation_template.yaml")
                    .display()
            ),
        ]
    );
}

fn problems_of(problems: &[super::LoadProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|problem| {
            format!(
                "{} {}:{} {}",
                problem.rule.code, problem.span.line, problem.span.column, problem.message
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Properties

mod properties {
    use proptest::prelude::*;
    use serde_json::Value as Json;

    use super::{assert_spans_match_offsets, json, load, Limits};

    /// JSON values whose strings use the characters YAML also allows unescaped.
    fn json_value(strings: BoxedStrategy<String>) -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::from),
            any::<u64>().prop_map(Json::from),
            any::<f64>()
                .prop_filter("finite", |value| value.is_finite())
                .prop_map(Json::from),
            strings.clone().prop_map(Json::String),
        ];
        leaf.prop_recursive(6, 64, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Json::Array),
                prop::collection::vec((strings.clone(), inner), 0..8)
                    .prop_map(|members| Json::Object(members.into_iter().collect())),
            ]
        })
    }

    fn any_text() -> BoxedStrategy<String> {
        any::<String>().boxed()
    }

    /// Text without control or format characters, short enough for a YAML flow key.
    fn printable_text() -> BoxedStrategy<String> {
        "\\PC{0,40}".boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// What serde_json writes, compact or pretty, loads back as the same value with
        /// spans that agree with their offsets.
        #[test]
        fn json_round_trips(value in json_value(any_text()), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            }
            .unwrap_or_default();
            match json::parse(&text, 0, &Limits::default()) {
                Ok(parsed) => {
                    prop_assert!(parsed.problems.is_empty());
                    prop_assert_eq!(parsed.root.to_json(), value);
                    assert_spans_match_offsets(text.as_bytes(), &parsed.root);
                }
                Err(_) => prop_assert!(false, "{} did not parse", text),
            }
        }

        /// JSON is YAML: the same text under a YAML key loads as the same value.
        #[test]
        fn json_text_loads_as_yaml(value in json_value(printable_text())) {
            let text = format!("value: {}\n", serde_json::to_string(&value).unwrap_or_default());
            let loaded = load(text.as_bytes(), &Limits::default());
            prop_assert!(loaded.problems.is_empty(), "{}", text);
            let root = loaded.root.unwrap_or_else(|| super::Node::new(super::Value::Null, super::Span::default()));
            prop_assert_eq!(root.get("value").map(super::Node::to_json), Some(value));
            assert_spans_match_offsets(text.as_bytes(), &root);
        }

        /// Any bytes: no panic, and every problem has a place inside the file.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            check_any_input(&bytes)?;
        }

        /// A real-looking document with a few bytes changed: no panic, places inside the file.
        #[test]
        fn mutated_documents_never_panic(
            json_first in any::<bool>(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        ) {
            let seed: &[u8] = if json_first {
                b"{\"openapi\": \"3.0.1\", \"paths\": {\"/a\": {\"get\": {\"x\": [1, 2.5, \"\\u00e9\", null]}}}}"
            } else {
                b"openapi: 3.0.1\npaths:\n  /a: &a\n    get: {x: [1, 2.5, 'q', ~]}\n  /b:\n    <<: *a\n    t: !Sub '${x}'\n"
            };
            let mut bytes = seed.to_vec();
            for (index, byte) in edits {
                let at = index.index(bytes.len());
                bytes[at] = byte;
            }
            check_any_input(&bytes)?;
        }
    }

    fn check_any_input(bytes: &[u8]) -> Result<(), TestCaseError> {
        let loaded = load(bytes, &Limits::default());
        prop_assert!(loaded.root.is_some() || !loaded.problems.is_empty());
        for problem in &loaded.problems {
            prop_assert!(problem.span.line >= 1 && problem.span.column >= 1);
            prop_assert!(problem.span.offset as usize <= bytes.len());
        }
        if let Some(root) = &loaded.root {
            assert_spans_match_offsets(bytes, root);
        }
        Ok(())
    }
}

#[test]
fn line_breaks_are_lf_crlf_or_a_lone_cr() {
    for (text, place) in [
        ("{\"a\":\r\n [1,\r 2]}", "3:2"),
        ("a:\r\n  - 1\r  - 2\r\n", "3:5"),
    ] {
        let root = tree(text);
        assert_eq!(at(&root, "/a/1"), place, "{text:?}");
    }
    let loaded = load(b"a: 1\r\nb: \"x\0\"\r\n", &Limits::default());
    assert_eq!(problems(&loaded), vec!["APIGW004 2:6"]);
    let loaded = load(b"a: 1\rb: \xFF\r\n", &Limits::default());
    assert_eq!(problems(&loaded), vec!["APIGW004 2:4"]);
}
