//! The fast path against saphyr-parser's: on every document, either the fast path declines, or
//! both give the same tree (every value, key order, span of every node and key) and the same
//! problems. Real files, generated specs, hand-written cases and mutated documents.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::load::{Limits, Loaded, BYTE_ORDER_MARK};

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Taken {
    Fast,
    Declined,
}

use Taken::{Declined, Fast};

fn start_of(text: &str) -> usize {
    if text.as_bytes().starts_with(BYTE_ORDER_MARK) {
        BYTE_ORDER_MARK.len()
    } else {
        0
    }
}

/// The problems as text: `LoadProblem` has no `PartialEq`, and its `Debug` shows every field.
fn problems(loaded: &Loaded) -> String {
    format!("{:?}", loaded.problems)
}

/// Runs both paths on `text`; panics (with the text) when they disagree.
fn compare(text: &str) -> Taken {
    match differ(text) {
        Ok(path) => path,
        Err(message) => panic!("{message}\n--- document ---\n{text}\n---"),
    }
}

fn differ(text: &str) -> Result<Taken, String> {
    let limits = Limits::default();
    let start = start_of(text);
    let Some(fast) = super::parse(text, start, &limits) else {
        return Ok(Declined);
    };
    let slow = match super::super::parse_events(text, start, &limits) {
        Ok(slow) => slow,
        Err(problem) => {
            return Err(format!(
                "the fast path accepted a document saphyr-parser refuses: {}",
                problem.message
            ))
        }
    };
    if fast.root != slow.root {
        return Err(format!(
            "the trees differ:\nfast: {:#?}\nsaphyr: {:#?}",
            fast.root, slow.root
        ));
    }
    if problems(&fast) != problems(&slow) {
        return Err(format!(
            "the problems differ:\nfast: {}\nsaphyr: {}",
            problems(&fast),
            problems(&slow)
        ));
    }
    Ok(Fast)
}

#[track_caller]
fn fast(text: &str) {
    assert_eq!(compare(text), Fast, "declined:\n{text}");
}

#[track_caller]
fn declined(text: &str) {
    assert_eq!(compare(text), Declined, "not declined:\n{text}");
}

// ---------------------------------------------------------------------------------------------
// What the fast path reads

#[test]
fn block_mappings_and_sequences() {
    fast("a: 1\nb: two\n");
    fast("a:\n  b:\n    c: d\n  e: f\ng: h\n");
    fast("a:\n- x\n- y\nb: z\n");
    fast("a:\n  - x\n  - y\n");
    fast("- a\n- b: c\n  d: e\n- - f\n  - g\n");
    fast("a:\n-\n- \n-   # note\n- x\n");
    fast("a:\nb:\n  c:\nd: # note\n");
    fast("  a: 1\n  b: 2\n");
    fast("key with spaces  : value\n\"quoted\": 1\n'single': 2\n");
    fast("a: b\n\n\n# comment\n   # indented comment\nc: d\n");
    fast("a:\n  - b:\n    - c\n    - d\n  - e\n");
    fast("- - - a\n    - b\n  - c\n- d\n");
    fast("a: 1\r\nb:\r\n  - 2\r\n");
    fast("\u{feff}a: 1\n");
    fast("---\na: 1\n...\n# after\n");
    fast("--- # doc\na: 1\n");
    fast("a: 1");
    fast("a:\n\t\n  b: 1\n");
}

#[test]
fn plain_scalars() {
    fast("a: b c d\nb: -1\nc: 0x1F\nd: 1.5e3\ne: ~\nf: True\ng: url://x:y/z#frag\n");
    fast("a: one\n  two\n\n  three\n\n\n   four\nb: x\n");
    fast("- one\n  two\n- three\n");
    fast("a:\n  one\n  two\nb: c # comment\nd: e#f\n");
    fast("a: b\n  # comment\nc: d\n");
    fast("a: text [with] {brackets}, commas\n");
    fast("a: x\n  - not a list\n  * star &amp !bang\n");
    fast(
        "a: :colon\nb: ?question\n- :x\n"
            .split("- ")
            .next()
            .unwrap_or_default(),
    );
    fast("- :${x}\n- ?y\n");
    declined("a: [:x]\n");
    fast(
        "a: é ü 日本 key\nb: 'é': 1\n"
            .split('\n')
            .next()
            .unwrap_or_default(),
    );
    fast("é: ü\n日本: 語\n");
}

#[test]
fn quoted_scalars() {
    fast("a: 'it''s'\nb: \"tab\\tnew\\nline \\u00e9 \\x41 \\U0001F600 \\\\ \\\" \\/\"\n");
    fast("a: \"one\n  two\n\n  three\"\nb: 'x\n  y  '\n");
    fast("a: \"fold \\\n   joined\"\n");
    fast("a: \"  lead and trail  \"\nb: ''\nc: \"\"\n");
    fast("a: \"x\"   # comment\n");
    fast("- \"k\": v\n- 'k2': v2\n");
}

#[test]
fn block_scalars() {
    fast("a: |\n  one\n  two\nb: x\n");
    fast("a: >\n  folded\n  text\n\n  para\n    indented\n  end\nb: x\n");
    fast("a: |-\n  strip\n\n\nb: |+\n  keep\n\n\nc: >2\n    more\n  base\nd: |1-\n  x\n");
    fast(
        "a: |\n\n  after blank\n  # not a comment\n- x\n"
            .split("- x")
            .next()
            .unwrap_or_default(),
    );
    fast("- |\n  in a list\n- >-\n  folded\n");
    fast("a: | # header comment\n  x\n# outside\nb: y\n");
    fast("a: !Sub |\n  ${x}\nb: &t >\n  y\n");
    fast("a:\n  b: |\n    deep\n      deeper\n  c: 1\n");
    fast("a: |\n  tab\there\n");
}

#[test]
fn flow_collections() {
    fast("a: [1, two, 'three', \"four\"]\nb: {c: 1, d: [x, y], 'e': {f: g}}\n");
    fast("a: []\nb: {}\nc: [a, b, ]\nd: {a: 1, }\n");
    fast("a: {k, j: , l: x}\n");
    fast("a: {\"k\":1, \"j\":\"v\", \"l\":[1]}\n");
    declined("a: {k:[1]}\n");
    fast("a: [\n    one,\n    two  # comment\n  , three\n  ]\n");
    fast("a: [arn:aws:s3:::bucket/*, http://x]\n");
    fast("a: [!Ref x, !GetAtt a.b, &n y, *n]\n");
    fast("a: {b: [c, {d: e}]}\n");
    fast("a: {\"Fn::Sub\": \"one \\\n    two\\n\\\n    three\"}\n");
    // After a plain scalar, saphyr-parser lets the closing bracket sit at the key's column.
    fast("a:\n  b: [\n    x,\n  ]\n  c: {\n    k: v\n  }\n");
    declined("a:\n  b: [\n    'x',\n  ]\n");
}

#[test]
fn properties_on_their_own_line() {
    fast("a:\n  !Not [!Equals [x, !Ref y]]\nb:\n  !If\n  - c\n  - d\n");
    fast("a:\n  !Sub text\nb:\n  &x\n  k: v\nc: *x\n");
    declined("a:\n  &x k: v\n");
    declined("a: &x\n  !Sub v\n");
}

#[test]
fn tags_anchors_aliases_and_merges() {
    fast("a: !Ref Name\nb: !GetAtt Res.Arn\nc: !Sub '${x}'\nd: !!str 12\ne: ! 12\n");
    fast("a: !Join\n  - ''\n  - [a, b]\nb: !If [c, d, e]\n");
    fast("base: &base\n  x: 1\n  y: 2\nother:\n  <<: *base\n  y: 3\n");
    fast("a: &a 1\nb: *a\nc: &c [1, 2]\nd: *c\n");
    fast("a: !Unknown x\nb: !!int nope\n");
    fast("a: &x\n  - 1\nb: *x\n");
    fast("- &e\n  k: v\n- *e\n");
}

#[test]
fn problems_match() {
    fast("a: 1\nb: 2\na: 3\n");
    fast("<<: 1\n");
    fast("a: {x: 1, x: 2}\n");
}

// ---------------------------------------------------------------------------------------------
// What it leaves to saphyr-parser

#[test]
fn declines_what_it_does_not_read() {
    declined("");
    declined("# only a comment\n");
    declined("---\n");
    declined("%YAML 1.2\n---\na: 1\n");
    declined("a: 1\n---\nb: 2\n");
    declined("a: 1\n...\nb: 2\n");
    declined("? a\n: b\n");
    declined("just a scalar\n");
    declined("[a, b]\n");
    declined("a:\n\tb: 1\n");
    declined("a: b\tc\n");
    declined("&a key: v\n");
    declined("a: |\n  no final break");
    declined("a: 1\rb: 2\n");
    declined("a: [b: c]\n");
}

#[test]
fn declines_mistakes() {
    declined("a: b: c\n");
    declined("a: 1\n b: 2\n");
    declined("a:\n  b: 1\n c: 2\n");
    declined("- a\nb: c\n");
    declined("a: 'unterminated\n");
    declined("a: \"bad \\q escape\"\n");
    declined("a: [unclosed\n");
    declined("a: ]\n");
    declined("a: *missing\n");
    declined("a: b\n  c: d\n");
    declined("a: \"x\"y\n");
    declined("a: [x]#c\n");
    declined("a: |0\n  x\n");
    declined("a: &x [*x]\n");
    declined("a: - b\n");
    declined(&format!("{}: v\n", "k".repeat(1100)));
}

#[test]
fn hostile_inputs_decline_quickly() {
    let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    declined(&deep);
    let mut nested = String::new();
    for level in 0..1000 {
        nested.push_str(&" ".repeat(level));
        nested.push_str("k:\n");
    }
    declined(&nested);
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    declined(bomb);
}

// ---------------------------------------------------------------------------------------------
// Real files

/// Whether missing tools or folders must fail the test rather than skip it.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("APIGW_SHARED") {
        return dir.into();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared"))
        .find(|dir| dir.join("corpus").is_dir())
        .unwrap_or_else(|| PathBuf::from("../../shared"))
}

/// Every `.yaml` and `.yml` file under `dir`, at any depth.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            out.push(path);
        }
    }
}

/// The generated specs, when python3 and the generator are there (under CI they must be).
fn generated_specs() -> Vec<(String, String)> {
    let script = shared_dir().join("bench/gen_spec.py");
    let mut specs = Vec::new();
    for paths in ["50", "500"] {
        let output = std::process::Command::new("python3")
            .arg(&script)
            .arg(paths)
            .args(["--format", "yaml"])
            .output();
        match output {
            Ok(output) if output.status.success() => specs.push((
                format!("gen_spec.py {paths}"),
                String::from_utf8_lossy(&output.stdout).into_owned(),
            )),
            Ok(output) => assert!(
                !in_ci(),
                "{} failed: {}",
                script.display(),
                String::from_utf8_lossy(&output.stderr)
            ),
            Err(error) => assert!(!in_ci(), "cannot run python3 {}: {error}", script.display()),
        }
    }
    specs
}

#[test]
fn every_yaml_file_reads_the_same_on_both_paths() {
    let repository = repository();
    let shared = shared_dir();
    let mut files = Vec::new();
    for dir in [
        shared.join("corpus"),
        shared.join("oracle/aws-recorded/specs"),
        repository.join("examples"),
        repository.join("compiler/tests"),
        repository.join("compiler/src/rules"),
    ] {
        assert!(dir.is_dir() || !in_ci(), "missing {}", dir.display());
        yaml_files(&dir, &mut files);
    }
    files.sort();
    let mut documents: Vec<(String, String)> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect();
    documents.extend(generated_specs());
    let corpus = documents
        .iter()
        .filter(|(name, _)| name.contains("/corpus/"))
        .count();
    assert!(corpus >= 100 || !in_ci(), "only {corpus} corpus files");

    let mut declined_files = Vec::new();
    let mut on_fast_path = 0;
    let mut corpus_fast = 0;
    for (name, text) in &documents {
        match differ(text) {
            Ok(Fast) => {
                on_fast_path += 1;
                if name.contains("/corpus/") {
                    corpus_fast += 1;
                }
            }
            Ok(Declined) => {
                let place = super::scan(text, start_of(text), &Limits::default())
                    .err()
                    .unwrap_or_default();
                declined_files.push(format!("{name} (line {}, byte {})", place.0, place.1));
            }
            Err(message) => panic!("{name}: {message}"),
        }
    }
    println!(
        "fast path: {on_fast_path} of {} YAML documents ({corpus_fast} of {corpus} corpus files)",
        documents.len()
    );
    for name in &declined_files {
        println!("declined: {name}");
    }
    // The corpus is real-world YAML; the fast path exists for it.
    if corpus >= 100 {
        assert!(
            corpus_fast * 10 >= corpus * 9,
            "only {corpus_fast} of {corpus} corpus files on the fast path"
        );
    }
    for (name, _) in documents
        .iter()
        .filter(|(name, _)| name.starts_with("gen_spec"))
    {
        assert!(
            !declined_files
                .iter()
                .any(|declined| declined.starts_with(name.as_str())),
            "{name} left the fast path"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Mutated documents

/// A document using most of what the fast path reads, to be cut and edited.
const SEED: &str = "\
openapi: 3.0.1
info: {title: 'pets', version: \"1\"}
paths:
  /pets/{id}:
    get: &op
      summary: Find
        a pet
      parameters:
      - name: id
        in: path
        required: true
      responses:
        '200': {description: ok, content: [a, b]}
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda'
        requestTemplates:
          application/json: |
            {\"id\": \"$input.params('id')\"}
        note: >-
          folded
          text
    post:
      <<: *op
      tags: [x, !Ref y]
      description: \"multi
        line \\u00e9\"
";

/// A CloudFormation template in the styles templates use; the tests give it CRLF line ends.
const TEMPLATE_SEED: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
# A comment line
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  Both:
    !And
    - !Condition IsProd
    - !Not [!Condition IsProd]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage   # trailing comment
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: !Sub 's3://${Bucket}/api.yaml'}
      Variables: {
        a: 1, 'b': \"two\",
        c: [x, y]
      }
      Description: >
        folded over
        two lines

      Code: |-
        def handler(event, context):
            return {'statusCode': 200}
Outputs:
  Url:
    Value: !GetAtt Api.RootResourceId
    Export: {Name: !Join [':', [!Ref 'AWS::StackName', url]]}
";

fn template_seed() -> String {
    TEMPLATE_SEED.replace('\n', "\r\n")
}

/// Pieces an edit inserts: indentation, indicators, quotes, brackets, tabs, breaks.
const PIECES: &[&str] = &[
    " ", "  ", "\t", "\n", "\r\n", "-", "- ", ":", ": ", "#", " #", "'", "\"", "[", "]", "{", "}",
    ",", "|", ">", "|-", ">+", "|2", "!", "!Ref ", "&a ", "*a", "*op", "? ", "---\n", "...\n", "%",
    "\\", "\\n", "é", "<<: ", "~", "\n  ", "\n- ", "x: y\n",
];

fn mutate(seed: &str, edits: &[(prop::sample::Index, prop::sample::Index, u8)]) -> String {
    let mut text = seed.to_owned();
    for (at, piece, kind) in edits {
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&index| text.is_char_boundary(index))
            .collect();
        let position = boundaries
            .get(at.index(boundaries.len()))
            .copied()
            .unwrap_or(0);
        let piece = PIECES
            .get(piece.index(PIECES.len()))
            .copied()
            .unwrap_or(" ");
        match kind % 3 {
            0 => text.insert_str(position, piece),
            1 => {
                // Delete one character.
                if let Some(ch) = text.get(position..).and_then(|rest| rest.chars().next()) {
                    text.replace_range(position..position + ch.len_utf8(), "");
                }
            }
            _ => {
                // Replace a character with the piece.
                if let Some(ch) = text.get(position..).and_then(|rest| rest.chars().next()) {
                    text.replace_range(position..position + ch.len_utf8(), piece);
                }
            }
        }
    }
    text
}

/// Small documents built from lines of indentation and tokens.
fn line_documents() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "a",
        "b c",
        "-1",
        "'q'",
        "\"d\\tq\"",
        "[x, y]",
        "{k: v}",
        "{}",
        "[]",
        "|",
        ">-",
        "!Ref r",
        "&n v",
        "*n",
        "~",
        "",
        "# c",
        "'it''s'",
        "\"x",
        "y\"",
        "<<",
        "é",
    ]);
    let line = (
        0usize..7,
        prop::sample::select(vec!["", "- ", "k: ", "key: ", "- k: ", "'s': ", "- - "]),
        token,
    )
        .prop_map(|(indent, lead, token)| format!("{}{lead}{token}", " ".repeat(indent)));
    prop::collection::vec(line, 1..10).prop_map(|lines| {
        let mut text = lines.join("\n");
        text.push('\n');
        text
    })
}

/// Text the loader would hand to the YAML parser: no control characters but tab and breaks.
fn loadable(text: &str) -> bool {
    !text
        .bytes()
        .any(|byte| byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn mutated_documents_read_the_same_or_decline(
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>()),
            1..5,
        ),
    ) {
        let text = mutate(SEED, &edits);
        prop_assume!(loadable(&text));
        if let Err(message) = differ(&text) {
            prop_assert!(false, "{}\n--- document ---\n{}\n---", message, text);
        }
    }

    #[test]
    fn mutated_templates_read_the_same_or_decline(
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>()),
            1..5,
        ),
    ) {
        let text = mutate(&template_seed(), &edits);
        prop_assume!(loadable(&text));
        if let Err(message) = differ(&text) {
            prop_assert!(false, "{}\n--- document ---\n{}\n---", message, text);
        }
    }

    #[test]
    fn generated_documents_read_the_same_or_decline(text in line_documents()) {
        if let Err(message) = differ(&text) {
            prop_assert!(false, "{}\n--- document ---\n{}\n---", message, text);
        }
    }
}

#[test]
fn the_seeds_take_the_fast_path() {
    fast(SEED);
    fast(TEMPLATE_SEED);
    fast(&template_seed());
}
