//! The rule catalogue at its boundary. Every IR rule owns a folder
//! `compiler/src/rules/AREA/fixtures/RULE-NAME/` with two documents:
//!
//! - `fail.yaml` must give this rule at least once, and every diagnostic it gives (of any rule)
//!   sits on a line marked `# expect: CODE[, CODE]`, exactly as marked;
//! - `pass.yaml` must give no diagnostic at all.
//!
//! The diagnostics of each `fail.yaml`, rendered as a user sees them, are snapshotted in
//! `compiler/src/rules/AREA/snapshots/`, to review messages and help like code.
//!
//! Over `shared/corpus`, real files that people deployed, every error an IR rule gives is
//! reviewed: `compiler/src/rules/AREA/corpus-errors.tsv` lists `file<TAB>code<TAB>why the error
//! is real`, one line per (file, rule). The count of files and findings per rule is snapshotted
//! in `snapshots/rules/corpus.snap`: a rule that fires on most files is probably wrong.

use std::collections::{BTreeMap, BTreeSet};

use apigw_compiler::rules::{self, RuleMeta};
use apigw_compiler::{compile, Compilation, MemoryWorld, Options, Severity};
use camino::{Utf8Path, Utf8PathBuf};

fn rules_dir() -> Utf8PathBuf {
    Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/rules")
}

/// The area folder (`integration`, `route`, …) holding `name`'s fixtures, if any.
fn fixture_area(name: &str) -> Option<String> {
    let mut areas: Vec<String> = rules_dir()
        .read_dir_utf8()
        .expect("rules directory")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("fixtures").join(name).is_dir())
        .map(|entry| entry.file_name().to_owned())
        .collect();
    areas.sort();
    assert!(areas.len() <= 1, "{name}: fixtures in {areas:?}");
    areas.pop()
}

/// `# expect: CODE, CODE` markers as (line, code).
fn markers(text: &str) -> BTreeSet<(u32, String)> {
    let mut out = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        let Some((_, expected)) = line.split_once("# expect:") else {
            continue;
        };
        for code in expected.split(',') {
            let line = u32::try_from(index + 1).expect("line");
            out.insert((line, code.trim().to_owned()));
        }
    }
    out
}

fn compile_text(name: &str, text: &str) -> Compilation {
    let mut world = MemoryWorld::new();
    let path = Utf8Path::new("fixtures").join(name);
    world.insert(path.clone(), text.as_bytes().to_vec());
    compile(&world, &path, &Options::default())
}

fn render(compilation: &Compilation) -> String {
    let mut out = String::new();
    for diagnostic in &compilation.diagnostics {
        out.push_str(&format!(
            "{}[{}] {}:{}: {}\n",
            diagnostic.severity,
            diagnostic.code,
            diagnostic.location.line,
            diagnostic.location.column,
            diagnostic.message
        ));
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        for related in &diagnostic.related {
            out.push_str(&format!(
                "  related {}:{}: {}\n",
                related.location.line, related.location.column, related.message
            ));
        }
    }
    out
}

fn ir_rules() -> Vec<&'static RuleMeta> {
    rules::checks().iter().map(|rule| rule.meta()).collect()
}

#[test]
fn every_rule_owns_a_fixture_folder_with_both_files() {
    let mut missing = Vec::new();
    for rule in ir_rules() {
        match fixture_area(rule.name) {
            Some(area) => {
                let dir = rules_dir().join(area).join("fixtures").join(rule.name);
                for file in ["fail.yaml", "pass.yaml"] {
                    if !dir.join(file).is_file() {
                        missing.push(format!("{} {}: no {file}", rule.code, rule.name));
                    }
                }
            }
            None => missing.push(format!("{} {}: no fixture folder", rule.code, rule.name)),
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_fixture_folder_names_a_rule() {
    let names: BTreeSet<&str> = ir_rules().iter().map(|rule| rule.name).collect();
    let mut strays = Vec::new();
    for area in rules_dir().read_dir_utf8().expect("rules directory") {
        let fixtures = area.expect("entry").path().join("fixtures");
        let Ok(entries) = fixtures.read_dir_utf8() else {
            continue;
        };
        for entry in entries {
            let entry = entry.expect("entry");
            if !names.contains(entry.file_name()) {
                strays.push(entry.path().to_string());
            }
        }
    }
    assert!(strays.is_empty(), "fixture folders of no rule: {strays:?}");
}

#[test]
fn every_fail_fixture_gives_exactly_its_markers_and_every_pass_fixture_nothing() {
    let mut failures = String::new();
    for rule in ir_rules() {
        let Some(area) = fixture_area(rule.name) else {
            continue;
        };
        let dir = rules_dir().join(&area).join("fixtures").join(rule.name);
        let Ok(fail) = std::fs::read_to_string(dir.join("fail.yaml")) else {
            continue;
        };
        let expected = markers(&fail);
        let compilation = compile_text(&format!("{}/fail.yaml", rule.name), &fail);
        let actual: BTreeSet<(u32, String)> = compilation
            .diagnostics
            .iter()
            .map(|diagnostic| (diagnostic.location.line, diagnostic.code.to_owned()))
            .collect();
        if !expected.iter().any(|(_, code)| code == rule.code) {
            failures.push_str(&format!(
                "{} {}: fail.yaml marks no `# expect: {}`\n",
                rule.code, rule.name, rule.code
            ));
        }
        if expected != actual {
            failures.push_str(&format!(
                "{} {}: fail.yaml\n  expected {expected:?}\n  actual   {actual:?}\n{}",
                rule.code,
                rule.name,
                render(&compilation)
            ));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(rules_dir().join(&area).join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!(format!("{}-{}", rule.code, rule.name), render(&compilation));
        });

        if let Ok(pass) = std::fs::read_to_string(dir.join("pass.yaml")) {
            let compilation = compile_text(&format!("{}/pass.yaml", rule.name), &pass);
            if !compilation.diagnostics.is_empty() {
                failures.push_str(&format!(
                    "{} {}: pass.yaml gives\n{}",
                    rule.code,
                    rule.name,
                    render(&compilation)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn x_apigw_ignore_silences_a_rule_by_code_or_name_on_its_node_and_below() {
    let spec = |ignore_at_root: &str, ignore_on_operation: &str| {
        format!(
            "openapi: 3.0.1\n\
             info: {{title: pets, version: \"1\"}}\n\
             {ignore_at_root}\
             paths:\n\
             \x20 /pets:\n\
             \x20   get:\n\
             \x20     security: []\n\
             {ignore_on_operation}\
             \x20     x-amazon-apigateway-integration:\n\
             \x20       type: aws_proxy\n\
             \x20       httpMethod: GET\n\
             \x20       uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations\n"
        )
    };
    let codes = |text: &str| -> Vec<&'static str> {
        compile_text("ignore.yaml", text)
            .diagnostics
            .iter()
            .map(|diagnostic| diagnostic.code)
            .collect()
    };
    assert_eq!(codes(&spec("", "")), ["APIGW101"]);
    assert!(codes(&spec("", "      x-apigw-ignore: [apigw101]\n")).is_empty());
    assert!(codes(&spec("", "      x-apigw-ignore: lambda-method-not-post\n")).is_empty());
    assert!(codes(&spec("x-apigw-ignore: [APIGW101]\n", "")).is_empty());
    // Another rule's name silences nothing.
    assert_eq!(
        codes(&spec("", "      x-apigw-ignore: [duplicate-key]\n")),
        ["APIGW101"]
    );
}

/// Whether `code` is an IR rule's (the front ends' structural codes are reviewed by the
/// openapi and template tests).
pub fn is_ir_rule(code: &str) -> bool {
    rules::checks().iter().any(|rule| rule.meta().code == code)
}

fn shared() -> Utf8PathBuf {
    let mut dir = Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/corpus/MANIFEST.tsv");
        if candidate.is_file() {
            return dir.join("shared");
        }
        assert!(dir.pop(), "shared/ not found above the crate");
    }
}

/// The area folder whose rules have codes starting `APIGW{digit}`.
fn area_of(code: &str) -> Option<String> {
    let rule = rules::checks()
        .iter()
        .find(|rule| rule.meta().code == code)?
        .meta();
    fixture_area(rule.name)
}

#[test]
fn corpus_errors_of_ir_rules_are_reviewed_and_counted() {
    let corpus = shared().join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("manifest");
    // rule code -> (files with errors, files with warnings or infos, findings)
    let mut counts: BTreeMap<&'static str, (BTreeSet<String>, usize)> = BTreeMap::new();
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    let mut details = String::new();
    let mut files = 0;
    for line in manifest.lines().skip(1) {
        let Some(file) = line.split('\t').next() else {
            continue;
        };
        let text = std::fs::read(corpus.join(file)).expect("corpus file");
        let world = MemoryWorld::new().with(file, text);
        let compilation = compile(&world, Utf8Path::new(file), &Options::default());
        files += 1;
        for diagnostic in &compilation.diagnostics {
            if !is_ir_rule(diagnostic.code) {
                continue;
            }
            let entry = counts.entry(diagnostic.code).or_default();
            entry.0.insert(file.to_owned());
            entry.1 += 1;
            if diagnostic.severity == Severity::Error {
                found.insert((file.to_owned(), diagnostic.code.to_owned()));
                details.push_str(&format!(
                    "{file}:{}:{} {} {}\n",
                    diagnostic.location.line,
                    diagnostic.location.column,
                    diagnostic.code,
                    diagnostic.message
                ));
            }
        }
    }

    let mut reviewed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut misplaced = Vec::new();
    for area in rules_dir().read_dir_utf8().expect("rules directory") {
        let area = area.expect("entry");
        let Ok(text) = std::fs::read_to_string(area.path().join("corpus-errors.tsv")) else {
            continue;
        };
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let mut columns = line.split('\t');
            let (Some(file), Some(code), Some(why)) =
                (columns.next(), columns.next(), columns.next())
            else {
                panic!("{}: `{line}` is not file<TAB>code<TAB>why", area.path());
            };
            assert!(!why.trim().is_empty(), "{line}: say why the error is real");
            if area_of(code).as_deref() != Some(area.file_name()) {
                misplaced.push(format!("{}: {line}", area.file_name()));
            }
            reviewed.insert((file.to_owned(), code.to_owned()));
        }
    }
    assert!(
        misplaced.is_empty(),
        "entries in the wrong area: {misplaced:?}"
    );
    let unreviewed: Vec<_> = found.difference(&reviewed).collect();
    let stale: Vec<_> = reviewed.difference(&found).collect();
    assert!(
        unreviewed.is_empty() && stale.is_empty(),
        "unreviewed errors: {unreviewed:#?}\nreviewed but no longer found: {stale:#?}\n{details}"
    );

    let mut table = format!("{files} corpus files\n\nrule      severity  files  findings\n");
    for rule in rules::checks() {
        let meta = rule.meta();
        let (with, findings) = counts
            .get(meta.code)
            .map_or((0, 0), |(files, findings)| (files.len(), *findings));
        table.push_str(&format!(
            "{:<9} {:<9} {:>5} {:>9}  {}\n",
            meta.code,
            meta.severity.to_string(),
            with,
            findings,
            meta.name
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots/rules"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("corpus", table));
}

/// Applies every fix of `compilation` to `text` (one file), from the end backwards.
fn apply_fixes(text: &str, compilation: &Compilation) -> String {
    let mut edits: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic.fix.as_ref())
        .flat_map(|fix| fix.edits.iter())
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.start));
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(edit.start..edit.end, &edit.replacement);
    }
    out
}

#[test]
fn fixes_change_only_the_value_and_fixed_files_check_clean_of_that_rule() {
    let area = fixture_area("lambda-method-not-post").expect("fixtures");
    let fail = std::fs::read_to_string(
        rules_dir()
            .join(area)
            .join("fixtures/lambda-method-not-post/fail.yaml"),
    )
    .expect("fixture");
    let compilation = compile_text("fix.yaml", &fail);
    let fixed = apply_fixes(&fail, &compilation);
    assert_eq!(
        fixed,
        fail.replace("httpMethod: GET #", "httpMethod: POST #")
            .replace("httpMethod: delete #", "httpMethod: POST #")
    );
    assert!(compile_text("fix.yaml", &fixed).diagnostics.is_empty());
    // JSON keeps its quotes.
    let json = r#"{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {"/p": {"get": {"security": [], "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "GET", "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations"}}}}}"#;
    let mut world = MemoryWorld::new();
    world.insert(Utf8PathBuf::from("fix.json"), json.as_bytes().to_vec());
    let compilation = compile(&world, Utf8Path::new("fix.json"), &Options::default());
    assert_eq!(
        apply_fixes(json, &compilation),
        json.replace(r#""httpMethod": "GET""#, r#""httpMethod": "POST""#)
    );
}
