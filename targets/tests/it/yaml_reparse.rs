//! Reads emitted YAML back with an independent parser (saphyr's event parser, with
//! CloudFormation's short-form tags and the YAML 1.2 core schema) and checks it gives the same
//! JSON as the JSON output.

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{json, Map, Value};

/// Parses one YAML document into JSON, expanding short-form intrinsic tags.
pub fn parse(text: &str) -> Value {
    let events: Vec<Event<'_>> = Parser::new_from_str(text)
        .map(|result| result.expect("YAML parses").0)
        .filter(|event| {
            !matches!(
                event,
                Event::StreamStart
                    | Event::StreamEnd
                    | Event::DocumentStart(_)
                    | Event::DocumentEnd
            )
        })
        .collect();
    let mut position = 0;
    let value = node(&events, &mut position);
    assert_eq!(position, events.len(), "one document");
    value
}

fn tagged(tag: Option<String>, value: Value) -> Value {
    let Some(tag) = tag else { return value };
    let name = match tag.as_str() {
        "Ref" | "Condition" => tag.clone(),
        "GetAtt" => {
            if let Value::String(text) = &value {
                let (resource, attribute) = text.split_once('.').expect("A.B");
                return json!({"Fn::GetAtt": [resource, attribute]});
            }
            "Fn::GetAtt".to_owned()
        }
        other => format!("Fn::{other}"),
    };
    json!({ name: value })
}

fn tag_name(tag: &Option<std::borrow::Cow<'_, saphyr_parser::Tag>>) -> Option<String> {
    tag.as_ref().map(|tag| {
        assert_eq!(tag.handle, "!", "only short-form tags are emitted");
        tag.suffix.clone()
    })
}

fn node(events: &[Event<'_>], position: &mut usize) -> Value {
    let event = &events[*position];
    *position += 1;
    match event {
        Event::Scalar(text, style, _, tag) => {
            let tag = tag_name(tag);
            let value = if *style == ScalarStyle::Plain && tag.is_none() {
                plain(text)
            } else {
                Value::String(text.to_string())
            };
            tagged(tag, value)
        }
        Event::SequenceStart(_, tag) => {
            let tag = tag_name(tag);
            let mut items = Vec::new();
            while !matches!(events[*position], Event::SequenceEnd) {
                items.push(node(events, position));
            }
            *position += 1;
            tagged(tag, Value::Array(items))
        }
        Event::MappingStart(_, tag) => {
            let tag = tag_name(tag);
            let mut map = Map::new();
            while !matches!(events[*position], Event::MappingEnd) {
                let Event::Scalar(key, _, _, _) = &events[*position] else {
                    panic!("non-scalar key {:?}", events[*position]);
                };
                *position += 1;
                let value = node(events, position);
                assert!(
                    map.insert(key.to_string(), value).is_none(),
                    "duplicate key {key}"
                );
            }
            *position += 1;
            tagged(tag, Value::Object(map))
        }
        other => panic!("unexpected event {other:?}"),
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn plain(text: &str) -> Value {
    match text {
        "null" | "Null" | "NULL" | "~" | "" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(number) = text.parse::<i64>() {
        return json!(number);
    }
    if text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '.')
    {
        if let Ok(number) = text.parse::<f64>() {
            return json!(number);
        }
    }
    Value::String(text.to_owned())
}

#[test]
fn every_yaml_output_reads_back_as_its_json_twin() {
    let builds = super::builds::fixture_builds();
    let mut compared = 0;
    for yaml in builds
        .iter()
        .filter(|b| b.format == apigw_targets::Format::Yaml)
    {
        let twin_name = yaml.name.replace(".yaml", ".json");
        let json = builds
            .iter()
            .find(|b| b.name == twin_name)
            .expect("json twin");
        for (yaml_file, json_file) in yaml.files.iter().zip(&json.files) {
            let from_yaml = parse(&yaml_file.contents);
            let from_json: Value = serde_json::from_str(&json_file.contents).unwrap();
            assert_eq!(from_yaml, from_json, "{}", yaml.name);
            compared += 1;
        }
    }
    assert!(compared >= 9, "compared {compared}");
}

#[test]
fn tricky_strings_survive_the_emitter() {
    let strings = [
        "yes",
        "No",
        "on",
        "1.0",
        "0x1F",
        "1e3",
        "*",
        "@x",
        "`x",
        "a: b",
        "a #b",
        " leading",
        "trailing ",
        "",
        "-",
        "- x",
        "? x",
        "!tag",
        "&anchor",
        "%x",
        "{}",
        "[a]",
        "'q'",
        "\"d\"",
        "multi\nline\n",
        "multi\nline",
        "multi\nline\n\n",
        "\n",
        "  indented\nblock",
        "tab\tx",
        "\ttab first\nline",
        "ends with colon:",
        "<<",
        "=",
        "null",
        "~",
        ".inf",
        "-.5",
        "+1",
        "2024-01-01",
        "12:30:00",
        "é unicode",
        "#set($a = 1)\n$input.json('$')\n",
        "line with trailing space \nnext",
        "${stageVariables.x}",
    ];
    let mut map = Map::new();
    for (index, text) in strings.iter().enumerate() {
        map.insert(format!("k{index}"), json!(text));
        map.insert((*text).to_owned(), json!(index));
    }
    map.insert("list".into(), json!(strings.to_vec()));
    map.insert(
        "nested".into(),
        json!([[["a"]], {}, [], {"x": []}, [{"a": 1, "b": [1, 2]}]]),
    );
    map.insert(
        "numbers".into(),
        json!([1, -2, 0.5, 1.0e20, true, false, null]),
    );
    map.insert(
        "intrinsics".into(),
        json!([
            {"Ref": "A"},
            {"Fn::GetAtt": ["A", "B"]},
            {"Fn::Sub": ["x ${y}", {"y": {"Ref": "Z"}}]},
            {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
            {"Fn::If": ["C", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
        ]),
    );
    let value = Value::Object(map);
    for short in [true, false] {
        let text = apigw_targets::yaml::to_string(
            &value,
            apigw_targets::yaml::Style {
                short_form_intrinsics: short,
            },
        );
        assert_eq!(parse(&text), value, "short form {short}:\n{text}");
    }
}
