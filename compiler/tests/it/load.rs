//! Loading problems as a user sees them: code, place, pointer, help and related places.

use apigw_compiler::{compile, Diagnostic, MemoryWorld, Options};
use camino::Utf8Path;

fn diagnostics(path: &str, text: &[u8]) -> Vec<Diagnostic> {
    let world = MemoryWorld::new().with(path, text.to_vec());
    compile(&world, Utf8Path::new(path), &Options::default()).diagnostics
}

/// The loader's diagnostics (codes APIGW001 to APIGW005, and APIGW019) as
/// `CODE line:column pointer`.
fn load_diagnostics(path: &str, text: &[u8]) -> Vec<String> {
    diagnostics(path, text)
        .iter()
        .filter(|diagnostic| {
            matches!(
                diagnostic.code,
                "APIGW001" | "APIGW002" | "APIGW003" | "APIGW004" | "APIGW005" | "APIGW019"
            )
        })
        .map(|diagnostic| {
            format!(
                "{} {}:{} {}",
                diagnostic.code,
                diagnostic.location.line,
                diagnostic.location.column,
                diagnostic.location.pointer.as_str()
            )
        })
        .collect()
}

const YAML_WITH_DUPLICATE: &str = "\
openapi: 3.0.1
info: {title: pets, version: '1'}
paths:
  /pets:
    get:
      responses: {'200': {description: ok}}
  /pets:
    post:
      responses: {'200': {description: ok}}
";

#[test]
fn duplicate_key_points_at_both_copies() {
    let found = diagnostics("api.yaml", YAML_WITH_DUPLICATE.as_bytes());
    let duplicate = found
        .iter()
        .find(|diagnostic| diagnostic.code == "APIGW002")
        .unwrap_or_else(|| panic!("no duplicate-key diagnostic in {found:?}"));
    assert_eq!((duplicate.location.line, duplicate.location.column), (7, 3));
    assert_eq!(duplicate.location.pointer.as_str(), "/paths/~1pets");
    assert_eq!(
        duplicate.message,
        "the key `/pets` appears more than once in this mapping"
    );
    let related: Vec<(u32, u32, &str)> = duplicate
        .related
        .iter()
        .map(|related| {
            (
                related.location.line,
                related.location.column,
                related.message.as_str(),
            )
        })
        .collect();
    assert_eq!(related, vec![(4, 3, "`/pets` first appears here")]);
}

#[test]
fn json_duplicate_and_syntax_errors() {
    let text = "{\n  \"openapi\": \"3.0.1\",\n  \"openapi\": \"3.0.2\"\n}\n";
    assert_eq!(
        load_diagnostics("api.json", text.as_bytes()),
        vec!["APIGW002 3:3 /openapi"]
    );
    let text = "{\n  \"openapi\": \"3.0.1\",\n  \"paths\": {\"/a\": {]}\n}\n";
    assert_eq!(
        load_diagnostics("api.json", text.as_bytes()),
        vec!["APIGW001 3:20 /paths/~1a"]
    );
}

#[test]
fn hostile_files_give_one_located_diagnostic() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut previous = 'a';
    for name in 'b'..='z' {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    assert_eq!(
        load_diagnostics("bomb.yaml", bomb.as_bytes()),
        vec!["APIGW003 7:8 /g/0"]
    );

    let deep = "[".repeat(100_000);
    // 256 arrays open; the 257th is refused, at the slot it would fill.
    let pointer = "/0".repeat(256);
    assert_eq!(
        load_diagnostics("deep.json", deep.as_bytes()),
        vec![format!("APIGW003 1:257 {pointer}")]
    );

    let mut invalid = b"openapi: 3.0.1\ninfo:\n  title: \xC3\xA9t\xC3".to_vec();
    invalid.extend_from_slice(b"\n");
    assert_eq!(
        load_diagnostics("bad.yaml", &invalid),
        vec!["APIGW004 3:12 "]
    );

    assert_eq!(
        load_diagnostics("empty.yaml", b"# nothing\n"),
        vec!["APIGW005 1:1 "]
    );
    assert_eq!(
        load_diagnostics("nul.yaml", b"a: \0\n"),
        vec!["APIGW004 1:4 "]
    );
}
