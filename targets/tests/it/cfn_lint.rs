//! cfn-lint reports no error on any generated template. All templates go to one temporary
//! directory and one cfn-lint process checks them together (it starts slowly).
//!
//! cfn-lint is found through `APIGW_CFN_LINT`, else `.venv/bin/cfn-lint` at the repository
//! root (what `.ci/run` installs). Under `CI=true` a missing cfn-lint fails the test.

use std::path::PathBuf;
use std::process::Command;

use apigw_targets::OutputFile;

pub fn cfn_lint() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("APIGW_CFN_LINT") {
        return Some(PathBuf::from(path));
    }
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/cfn-lint");
    local.is_file().then_some(local)
}

/// Runs cfn-lint over `templates` (name → files) and returns its error lines.
pub fn lint(label: &str, templates: &[(String, Vec<OutputFile>)]) -> Option<Vec<String>> {
    let Some(binary) = cfn_lint() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "cfn-lint is missing: set APIGW_CFN_LINT or run .ci/run to install it into .venv"
        );
        eprintln!("cfn-lint not found (set APIGW_CFN_LINT); {label} not linted");
        return None;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cfn-lint-{label}"));
    let _ = std::fs::remove_dir_all(&dir);
    let mut paths = Vec::new();
    for (name, files) in templates {
        for file in files {
            let path = dir.join(name).join(file.path.as_str());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &file.contents).unwrap();
            if path.parent() == Some(&dir.join(name)) {
                paths.push(path);
            }
        }
    }
    // Errors only (warnings and informational findings are advice, not failures); the
    // templates are region-agnostic, checked against us-east-1's resource specification.
    let output = Command::new(&binary)
        .args(["--format", "parseable", "--regions", "us-east-1", "--"])
        .args(&paths)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let errors: Vec<String> = stdout
        .lines()
        .filter(|line| {
            line.split(':')
                .nth(5)
                .is_some_and(|rule| rule.starts_with('E'))
        })
        .map(str::to_owned)
        .collect();
    if !output.status.success()
        && errors.is_empty()
        && output.status.code() != Some(4)
        && output.status.code() != Some(8)
        && output.status.code() != Some(12)
    {
        panic!(
            "cfn-lint failed ({}): {}\n{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Some(errors)
}

/// Builds (by name prefix) whose template cfn-lint and the resource schemas rightly refuse
/// because of what the input says, each with the reason. Reviewed; keep it short.
pub const UNEXPRESSIBLE: &[(&str, &str)] = &[
    (
        "GWR94__blogify__amplify_backend_api_blogifyapi_blogifyapi-cloudformation-template_json.",
        "the stage name is an `Fn::If`; the IR keeps a stage's name as text, so the template \
         can only say `${Fn::If}`, which is no stage name (needs the name as an IR expression)",
    ),
    (
        "govuk-one-login__authentication-api__ci_cloudformation_auth_api_delivery-receipts-api_yaml.",
        "the stage name is an `Fn::If` (as above); and the source's tag value is an \
         `Fn::FindInMap` keyed by an `Fn::If`, which CloudFormation accepts only under the \
         AWS::LanguageExtensions transform the source does not use",
    ),
    (
        "localstack__localstack__tests_aws_files_openapi_spec_json.",
        "the authorizer's function ARN has the placeholder account `account-id` \
         (`arn:aws:lambda:us-east-1:account-id:function:function-name`): no such function can \
         be granted",
    ),
    (
        "NHSDigital__NRLF__api_consumer_swagger_yaml.cloudformation.resources.",
        "models `Extension` and `CodeableConcept` refer to each other; as separate \
         AWS::ApiGateway::Model resources each must exist before the other, which the build \
         warns about (body mode imports them together and is linted)",
    ),
    (
        "NHSDigital__NRLF__api_producer_swagger_yaml.cloudformation.resources.",
        "models `Extension` and `CodeableConcept` refer to each other (as above)",
    ),
    (
        "localstack__localstack__tests_aws_files_openapi_spec_circular-ref-with-request-body_json.cloudformation.resources.",
        "models `Person` and `House` refer to each other (as above)",
    ),
];

pub fn unexpressible(build: &str) -> bool {
    UNEXPRESSIBLE
        .iter()
        .any(|(prefix, _)| build.starts_with(prefix))
}

#[test]
fn cfn_lint_finds_no_errors_in_any_generated_template() {
    // Fixtures, examples and every corpus file that checks without errors, each in both modes
    // and formats and as SAM: one cfn-lint run over all of them.
    let fixtures = super::builds::fixture_builds();
    let builds = fixtures
        .iter()
        .chain(super::builds::example_builds())
        .chain(super::builds::corpus_builds());
    let templates: Vec<(String, Vec<OutputFile>)> = builds
        .filter(|build| build.template)
        .filter(|build| !unexpressible(&build.name))
        .map(|build| (build.name.clone(), build.files.clone()))
        .collect();
    assert!(templates.len() >= 250, "only {} templates", templates.len());
    if let Some(errors) = lint("all", &templates) {
        let mut failing: Vec<&str> = errors
            .iter()
            .filter_map(|line| line.split(':').next())
            .collect();
        failing.dedup();
        assert!(
            errors.is_empty(),
            "cfn-lint: {} errors in {} of {} templates:\n{}",
            errors.len(),
            failing.len(),
            templates.len(),
            errors.join("\n")
        );
        eprintln!("cfn-lint: no errors in {} templates", templates.len());
    }
}
