//! The Terraform target, spec in and module out: every fixture and example in both modes (and
//! every corpus spec that checks without errors) parses with python-hcl2, passes
//! `terraform fmt -check` unchanged, and uses only resource types, arguments and blocks of the
//! AWS provider's schema with every required argument present; API Gateway's own `${...}` and
//! VTL reach AWS unchanged; and the module describes the same API as the CloudFormation
//! template of the same IR.
//!
//! python-hcl2 is found through `APIGW_PYTHON_HCL2` (a Python interpreter that has it), the
//! terraform binary through `APIGW_TERRAFORM`; `.ci/run` installs both. Under `CI=true` a
//! missing tool fails the test instead of skipping it. Each tool runs once over a directory of
//! all modules.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use apigw_compiler::ir::{Api, ApiKind};
use apigw_compiler::{compile, Compilation, FsWorld, Options};
use apigw_targets::cloudformation::Mode;
use apigw_targets::terraform::{self, TerraformOptions};
use apigw_targets::OutputFile;
use camino::Utf8PathBuf;

/// One module: a name such as `pet-store.body`, and its files.
pub struct TfModule {
    pub name: String,
    pub files: Vec<OutputFile>,
}

pub fn options(mode: Mode) -> TerraformOptions {
    TerraformOptions {
        mode,
        waf: true,
        alarms: true,
        ..TerraformOptions::default()
    }
}

fn modes(api: &Api) -> &'static [(Mode, &'static str)] {
    if api.kind == ApiKind::Websocket {
        &[(Mode::Resources, "resources")]
    } else {
        &[(Mode::Body, "body"), (Mode::Resources, "resources")]
    }
}

pub fn build_modules(apis: &[(String, Vec<Api>)]) -> Vec<TfModule> {
    let mut modules = Vec::new();
    for (name, apis) in apis {
        let Some(first) = apis.first() else { continue };
        for (mode, mode_name) in modes(first) {
            let out = terraform::emit(apis, &options(*mode))
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            modules.push(TfModule {
                name: format!("{name}.{mode_name}"),
                files: out.output,
            });
        }
    }
    modules
}

pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The entry document of each example directory, by example name.
pub fn example_apis() -> Vec<(String, Vec<Api>)> {
    examples(&[
        "openapi.yaml",
        "openapi.json",
        "swagger.json",
        "swagger.yaml",
        "template.yaml",
        "api.yaml",
    ])
}

/// The DSL twin (`api.yaml`) of each example that also has an OpenAPI or Swagger document, as
/// `NAME.dsl`: it can say more than its twin (stages and their variables, keys, usage plans).
pub fn example_dsl_twins() -> Vec<(String, Vec<Api>)> {
    let primary: Vec<String> = example_apis().into_iter().map(|(name, _)| name).collect();
    examples(&["api.yaml"])
        .into_iter()
        .filter(|(name, _)| primary.contains(name))
        .filter(|(name, _)| {
            let dir = repo_dir().join("examples").join(name);
            dir.join("openapi.yaml").is_file()
                || dir.join("openapi.json").is_file()
                || dir.join("swagger.json").is_file()
                || dir.join("swagger.yaml").is_file()
        })
        .map(|(name, apis)| (format!("{name}.dsl"), apis))
        .collect()
}

/// The first of `entries` in each example directory, compiled, by example name.
fn examples(entries: &[&str]) -> Vec<(String, Vec<Api>)> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo_dir().join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let entry = entries
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file());
        let Some(entry) = entry else { continue };
        let path = Utf8PathBuf::from_path_buf(entry).unwrap();
        let compilation = compile(&FsWorld, &path, &Options::default());
        // `apigw build` refuses an API with errors, and so does this harness.
        if compilation.has_errors() {
            eprintln!("example {path} has errors; not built");
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, compilation.apis));
    }
    out
}

fn fixture_apis() -> Vec<(String, Vec<Api>)> {
    super::fixtures::all()
        .into_iter()
        .map(|(name, api)| (name.to_owned(), vec![api]))
        .collect()
}

/// Every corpus spec that compiles without errors into at least one API.
pub fn corpus_apis() -> Vec<(String, Vec<Api>)> {
    corpus_compilations()
        .into_iter()
        .map(|(name, compilation)| (name, compilation.apis))
        .collect()
}

/// The compilation of every corpus spec that compiles without errors into at least one API,
/// by a name made from its file name.
pub fn corpus_compilations() -> Vec<(String, Compilation)> {
    let dir = super::schemas::shared_dir().join("corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().is_some_and(|name| name != "MANIFEST.tsv"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Ok(path) = Utf8PathBuf::from_path_buf(path) else {
            continue;
        };
        let compilation = compile(&FsWorld, &path, &Options::default());
        if compilation.has_errors() || compilation.apis.is_empty() {
            continue;
        }
        let name = path.file_name().unwrap_or("spec").replace('.', "_");
        out.push((name, compilation));
    }
    out
}

/// Fixtures and examples in both modes.
pub fn modules() -> &'static [TfModule] {
    static MODULES: OnceLock<Vec<TfModule>> = OnceLock::new();
    MODULES.get_or_init(|| {
        let mut apis = fixture_apis();
        apis.extend(example_apis());
        build_modules(&apis)
    })
}

pub fn corpus_modules() -> &'static [TfModule] {
    static MODULES: OnceLock<Vec<TfModule>> = OnceLock::new();
    MODULES.get_or_init(|| build_modules(&corpus_apis()))
}

/// Writes `modules` under a fresh directory, one subdirectory per module.
pub fn write_modules(label: &str, modules: &[TfModule]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("terraform-{label}"));
    let _ = std::fs::remove_dir_all(&dir);
    for module in modules {
        for file in &module.files {
            let path = dir.join(&module.name).join(file.path.as_str());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &file.contents).unwrap();
        }
    }
    dir
}

/// A tool from the environment variable `variable`; `None` (and a note) when it is unset,
/// a failure under CI.
pub fn tool(variable: &str, what: &str) -> Option<PathBuf> {
    match std::env::var(variable) {
        Ok(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{what} is missing: set {variable} or run .ci/run to install it"
            );
            eprintln!("{what} not found (set {variable}); check skipped");
            None
        }
    }
}

fn hcl2_parse(dir: &Path) -> Option<String> {
    let python = tool("APIGW_PYTHON_HCL2", "python-hcl2")?;
    let script = r#"
import sys, pathlib, hcl2
failures = []
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.tf")):
    count += 1
    try:
        with open(path) as handle:
            hcl2.load(handle)
    except Exception as error:
        failures.append(f"{path}: {type(error).__name__}: {error}")
print(f"parsed {count} files")
for failure in failures:
    print(failure)
sys.exit(1 if failures else 0)
"#;
    let output = Command::new(&python)
        .args(["-c", script])
        .arg(dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "python-hcl2 failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(stdout)
}

fn fmt_check(dir: &Path) -> Option<()> {
    let terraform = tool("APIGW_TERRAFORM", "terraform")?;
    let output = Command::new(&terraform)
        .env("CHECKPOINT_DISABLE", "1")
        .args(["fmt", "-check", "-recursive", "-diff"])
        .arg(dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", terraform.display()));
    assert!(
        output.status.success(),
        "terraform fmt would change:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(())
}

fn tf_file_count(modules: &[TfModule]) -> usize {
    modules
        .iter()
        .flat_map(|module| &module.files)
        .filter(|file| file.path.extension() == Some("tf"))
        .count()
}

#[test]
fn every_module_parses_with_python_hcl2() {
    let mut all: Vec<&TfModule> = modules().iter().collect();
    all.extend(corpus_modules());
    let owned: Vec<TfModule> = all
        .into_iter()
        .map(|module| TfModule {
            name: module.name.clone(),
            files: module.files.clone(),
        })
        .collect();
    let dir = write_modules("hcl2", &owned);
    if let Some(report) = hcl2_parse(&dir) {
        let expected = format!("parsed {} files", tf_file_count(&owned));
        assert!(report.contains(&expected), "{report} (expected {expected})");
    }
}

#[test]
fn terraform_fmt_leaves_every_module_unchanged() {
    let mut owned: Vec<TfModule> = Vec::new();
    for module in modules().iter().chain(corpus_modules()) {
        owned.push(TfModule {
            name: module.name.clone(),
            files: module.files.clone(),
        });
    }
    assert!(tf_file_count(&owned) > 100);
    let dir = write_modules("fmt", &owned);
    fmt_check(&dir);
}

#[test]
fn modules_are_deterministic() {
    let again = {
        let mut apis = fixture_apis();
        apis.extend(example_apis());
        build_modules(&apis)
    };
    for (first, second) in modules().iter().zip(&again) {
        assert_eq!(
            first.files, second.files,
            "{} differs between builds",
            first.name
        );
    }
}

#[test]
fn every_example_module_is_snapshotted() {
    // As `apigw build --target terraform` writes them, without the opt-in WAF and alarms.
    for (name, apis) in example_apis() {
        let Some(first) = apis.first() else { continue };
        for (mode, mode_name) in modes(first) {
            let options = TerraformOptions {
                mode: *mode,
                ..TerraformOptions::default()
            };
            let built = terraform::emit(&apis, &options).unwrap();
            for file in &built.output {
                let snapshot = format!(
                    "{name}.{mode_name}--{}",
                    file.path.as_str().replace('/', "-")
                );
                insta::with_settings!({
                    snapshot_path => "../../../snapshots/terraform",
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(snapshot, file.contents);
                });
            }
        }
    }
}

#[test]
fn a_module_has_the_files_a_terraform_user_expects() {
    let module = modules()
        .iter()
        .find(|module| module.name == "pet-store.body")
        .unwrap();
    let names: Vec<&str> = module.files.iter().map(|file| file.path.as_str()).collect();
    for expected in [
        "versions.tf",
        "variables.tf",
        "main.tf",
        "openapi.tf",
        "lambda.tf",
        "outputs.tf",
        "README.md",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let file = |name: &str| {
        &module
            .files
            .iter()
            .find(|file| file.path == name)
            .unwrap()
            .contents
    };
    assert!(file("versions.tf").contains("source  = \"hashicorp/aws\""));
    assert!(file("main.tf").contains("redeployment = sha1(aws_api_gateway_rest_api.this.body)"));
    assert!(file("main.tf").contains("create_before_destroy = true"));
    assert!(file("main.tf").contains("body = jsonencode(local.openapi)"));
    assert!(file("variables.tf").contains("variable \"pets_handler\""));
    assert!(file("variables.tf").contains("validation {"));
    assert!(file("outputs.tf").contains("output \"invoke_urls\""));
    assert!(file("README.md").contains("| `pets_handler` |"));
}
