//! Hostile and broken inputs through the binary: each exits 1 with a diagnostic located at a
//! line and column of the file, never a crash, a hang or an unlocated complaint.

use std::process::Command;

fn check(name: &str, contents: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join(name), contents).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_apigw"))
        .args(["check", "--format", "json", name])
        .current_dir(dir.path())
        .output()
        .expect("apigw runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_hostile_input_is_a_located_error_with_exit_1() {
    let mut bomb = String::from("openapi: 3.0.1\na: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut previous = 'a';
    for name in 'b'..='z' {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    let long_line = format!(
        "{{\"openapi\": \"3.0.1\", \"info\": {{\"title\": \"{}\", \"version\": 1}}, \"paths\": 7}}",
        "x".repeat(10 * 1024 * 1024)
    );
    let spec = |paths: &str| {
        format!("openapi: 3.0.1\ninfo: {{title: t, version: \"1\"}}\npaths:\n{paths}")
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.yaml", bomb.into_bytes(), "APIGW003"),
        ("deep.json", "[".repeat(100_000).into_bytes(), "APIGW003"),
        ("deep.yaml", format!("openapi: 3.0.1\nx: {}", "[".repeat(100_000)).into_bytes(), "APIGW003"),
        (
            "invalid-utf8.yaml",
            b"openapi: 3.0.1\ninfo:\n  title: \xff\xfe\n".to_vec(),
            "APIGW004",
        ),
        ("garbage.json", vec![0x00, 0x9f, 0x92, 0x96, 0xff, 0x00], "APIGW004"),
        ("empty.yaml", Vec::new(), "APIGW005"),
        (
            "duplicate.yaml",
            spec("  /pets: {}\n  /pets: {}\n").into_bytes(),
            "APIGW002",
        ),
        (
            "self-ref.yaml",
            format!(
                "{}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/A'}}\n",
                spec("  /a:\n    get:\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}\n")
            )
            .into_bytes(),
            "APIGW009",
        ),
        ("long-line.json", long_line.into_bytes(), "APIGW011"),
        (
            "url-ref.yaml",
            spec("  /a: {$ref: 'https://example.com/paths.yaml'}\n").into_bytes(),
            "APIGW010",
        ),
        (
            "wrong-types.yaml",
            b"openapi: 3.0.1\ninfo: [title]\npaths:\n  /a: 5\nx-amazon-apigateway-binary-media-types: image/png\n".to_vec(),
            "APIGW011",
        ),
    ];
    for (name, contents, code) in cases {
        let (status, stdout, stderr) = check(name, &contents);
        assert_eq!(status, Some(1), "{name}: {stdout}{stderr}");
        let diagnostics: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("{name}: not JSON ({error}): {stdout}"));
        let diagnostics = diagnostics.as_array().expect("an array");
        assert!(
            diagnostics.iter().any(|d| d["code"] == code),
            "{name}: no {code} in {stdout}"
        );
        for diagnostic in diagnostics {
            assert_eq!(diagnostic["file"], name, "{name}: {diagnostic}");
            assert!(diagnostic["line"].as_u64().is_some_and(|line| line >= 1));
            assert!(diagnostic["column"]
                .as_u64()
                .is_some_and(|column| column >= 1));
        }
    }
}
