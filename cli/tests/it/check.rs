//! `apigw check` as CI and pre-commit run it: output formats, `apigw.toml`, `x-apigw-ignore`,
//! `--fix`, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LAMBDA_URI: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations";

fn apigw(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigw"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("apigw runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared() -> PathBuf {
    repository()
        .ancestors()
        .map(|dir| dir.join("shared"))
        .find(|dir| dir.join("reference").is_dir())
        .expect("shared/ beside the repository")
}

/// A spec whose one Lambda integration says GET (APIGW101, with a fix), with a comment to keep.
fn wrong_method_spec() -> String {
    format!(
        "# The pets API.\n\
         openapi: 3.0.1\n\
         info: {{title: pets, version: \"1\"}}\n\
         paths:\n\
         \x20 /pets:\n\
         \x20   get:\n\
         \x20     security: []\n\
         \x20     x-amazon-apigateway-integration:\n\
         \x20       type: aws_proxy\n\
         \x20       httpMethod: GET   # the method Lambda is called with\n\
         \x20       uri: {LAMBDA_URI}\n"
    )
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("directories");
        std::fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn the_bundled_examples_check_without_errors() {
    let output = apigw(&repository(), &["check", "examples/"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}

#[test]
fn human_output_points_at_the_line_and_exit_codes_follow_severity() {
    let spec = wrong_method_spec();
    let dir = project(&[("api.yaml", &spec)]);
    let output = apigw(dir.path(), &["check", "api.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("error[APIGW101]"), "{text}");
    assert!(text.contains("--> api.yaml:10:21"), "{text}");
    assert!(text.contains("= fix: set `httpMethod` to `POST`"), "{text}");

    let missing = apigw(dir.path(), &["check", "nothing-here.yaml"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
}

#[test]
fn sarif_output_validates_against_the_schema_and_carries_rule_help_and_links() {
    let spec = wrong_method_spec();
    let dir = project(&[("api.yaml", &spec)]);
    let output = apigw(dir.path(), &["check", "--format", "sarif", "api.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");

    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("reference/sarif-schema-2.1.0.json"))
            .expect("the SARIF schema"),
    )
    .expect("JSON schema");
    let validator = jsonschema::draft4::new(&schema).expect("a draft-04 schema");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let driver = &log["runs"][0]["tool"]["driver"];
    let rules = driver["rules"].as_array().expect("rules");
    assert!(rules.len() >= 20, "{}", rules.len());
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        assert!(rule["name"].as_str().is_some_and(|name| !name.is_empty()));
        assert!(rule["help"]["markdown"]
            .as_str()
            .is_some_and(|help| help.contains("## Why")));
        assert!(rule["helpUri"]
            .as_str()
            .is_some_and(|uri| uri.starts_with("https://") && uri.ends_with(&format!("{id}.md"))));
    }
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "APIGW101");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(rules[index]["id"], "APIGW101");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(10), Some(21))
    );
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "POST"
    );
}

#[test]
fn github_output_is_one_escaped_workflow_command_per_diagnostic() {
    let spec = wrong_method_spec();
    let dir = project(&[("api.yaml", &spec)]);
    let output = apigw(dir.path(), &["check", "--format", "github", "api.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=api.yaml,line=10,col=21,title=APIGW101 lambda-method-not-post::"
        ),
        "{text}"
    );
    assert!(lines[0].contains("%0Ahelp: "), "{text}");
}

#[test]
fn json_output_carries_the_fix() {
    let spec = wrong_method_spec();
    let dir = project(&[("api.yaml", &spec)]);
    let output = apigw(dir.path(), &["check", "--format", "json", "api.yaml"]);
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let fix = &diagnostics[0]["fix"];
    assert_eq!(fix["edits"][0]["replacement"], "POST");
    let start = fix["edits"][0]["start"].as_u64().expect("start") as usize;
    assert_eq!(spec.get(start..start + 3), Some("GET"));
}

#[test]
fn fix_rewrites_only_the_value_keeping_comments_and_layout() {
    let spec = wrong_method_spec();
    let dir = project(&[("api.yaml", &spec)]);
    let output = apigw(dir.path(), &["check", "--fix", "api.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stderr(&output).contains("fixed 1 problem in 1 file"));
    let fixed = std::fs::read_to_string(dir.path().join("api.yaml")).expect("read");
    assert_eq!(
        fixed,
        spec.replace("httpMethod: GET   #", "httpMethod: POST   #")
    );
    // Nothing left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn apigw_toml_above_the_file_selects_rules_severities_and_excluded_paths() {
    let spec = wrong_method_spec();
    let config = "\
[severity]
lambda-method-not-post = \"warning\"

[per-file-ignores]
\"legacy/*.yaml\" = [\"APIGW1\"]
";
    let dir = project(&[
        ("apigw.toml", config),
        ("api/pets.yaml", &spec),
        ("legacy/old.yaml", &spec),
    ]);
    let output = apigw(&dir.path().join("api"), &["check", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(diagnostics[0]["severity"], "warning");

    let output = apigw(
        dir.path(),
        &["check", "--format", "json", "--deny-warnings", "."],
    );
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let files: Vec<&str> = diagnostics
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert_eq!(files, ["api/pets.yaml"]);

    // --no-config runs every rule at its default severity.
    let output = apigw(
        dir.path(),
        &["check", "--no-config", "--format", "json", "."],
    );
    assert_eq!(output.status.code(), Some(1));

    // exclude applies to files named on the command line too, as pre-commit passes them.
    std::fs::write(
        dir.path().join("apigw.toml"),
        "exclude = [\"legacy/**\", \"api/*\"]\n",
    )
    .expect("write");
    let output = apigw(dir.path(), &["check", "legacy/old.yaml", "api/pets.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_wrong_apigw_toml_is_a_usage_error_with_its_place() {
    let spec = wrong_method_spec();
    let dir = project(&[
        ("apigw.toml", "select = [\"ALL\"]\nignor = []\n"),
        ("api.yaml", &spec),
    ]);
    let output = apigw(dir.path(), &["check", "api.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("apigw.toml:2:1"),
        "{}",
        stderr(&output)
    );

    std::fs::write(
        dir.path().join("apigw.toml"),
        "ignore = [\"lambda-method-not-posts\"]\n",
    )
    .expect("write");
    let output = apigw(dir.path(), &["check", "api.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `lambda-method-not-post`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn x_apigw_ignore_on_a_node_silences_the_rule_there() {
    let spec = wrong_method_spec().replace(
        "      security: []\n",
        "      security: []\n      x-apigw-ignore: [lambda-method-not-post]\n",
    );
    let dir = project(&[("api.yaml", &spec)]);
    let output = apigw(dir.path(), &["check", "api.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn every_rule_is_listed_and_explained_with_its_page() {
    let output = apigw(&repository(), &["rules"]);
    assert_eq!(output.status.code(), Some(0));
    let listing = stdout(&output);
    let codes: Vec<String> = listing
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| word.starts_with("APIGW"))
        .map(str::to_owned)
        .collect();
    assert!(codes.len() >= 20, "{listing}");
    for code in &codes {
        let page = repository().join("docs/rules").join(format!("{code}.md"));
        assert!(page.is_file(), "{code} has no page {}", page.display());
        let explained = apigw(&repository(), &["explain", code]);
        assert_eq!(explained.status.code(), Some(0), "{code}");
        assert!(stdout(&explained).contains("Why"), "{code}");
    }
}

#[test]
fn the_pre_commit_hooks_check_staged_specs_and_skip_other_files() {
    let hooks = std::fs::read_to_string(repository().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml");
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|line| line.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries.len(), 2, "{hooks}");
    assert!(hooks.contains("language: rust"));
    let spec = wrong_method_spec();
    let clean = spec.replace("httpMethod: GET", "httpMethod: POST");
    let dir = project(&[
        ("bad.yaml", &spec),
        ("good.yaml", &clean),
        ("package.json", "{\"name\": \"web\"}"),
        (".github/workflows/ci.yaml", "on: push\njobs: {}\n"),
    ]);
    for entry in entries {
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("apigw"));
        let args: Vec<&str> = words.collect();
        // pre-commit appends the staged file names.
        let run = |files: &[&str]| {
            let mut all = args.clone();
            all.extend_from_slice(files);
            apigw(dir.path(), &all)
        };
        let output = run(&["package.json", ".github/workflows/ci.yaml", "good.yaml"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{entry}: {}",
            stdout(&output)
        );
        assert!(stderr(&output).is_empty(), "{entry}: {}", stderr(&output));
        let output = run(&["package.json", "bad.yaml"]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{entry}: {}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains("bad.yaml:10:21"),
            "{}",
            stdout(&output)
        );
    }
    // Named without the flag, a file that is no spec is reported.
    let output = apigw(dir.path(), &["check", "package.json"]);
    assert_eq!(output.status.code(), Some(1));
}
