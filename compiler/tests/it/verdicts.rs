//! apigw's verdict on each spec AWS imported while it was recorded
//! (`shared/oracle/aws-recorded/test_apigateway_import.snapshot.json`) against AWS's own:
//! AWS rejected the import (an error), accepted it with `warnings`, or accepted it silently.
//!
//! - AWS rejects: apigw must give an error.
//! - AWS warns: apigw must warn (or give an error) about the same thing.
//! - AWS accepts: apigw must give no error. apigw may still warn where AWS says nothing — advice
//!   API Gateway does not give (a route nobody authorizes, a model nobody uses); each such warning
//!   is listed in [`ADVICE`] with the reason, so a new one is reviewed before it lands.

use std::collections::BTreeSet;

use apigw_compiler::{compile, MemoryWorld, Options, Severity};
use camino::{Utf8Path, Utf8PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Accepts,
    Warns,
    Rejects,
}

/// (recorded test, the recorded import call, the spec it imported).
const IMPORTS: &[(&str, &str, &str)] = &[
    (
        "test_import_swagger_api",
        "import-swagger",
        "petstore-authorizer.swagger.json",
    ),
    (
        "test_import_and_validate_rest_api[openapi.spec.tf.json]",
        "import_tf_rest_api",
        "openapi.spec.tf.json",
    ),
    (
        "test_import_and_validate_rest_api[swagger-mock-cors.json]",
        "import_tf_rest_api",
        "swagger-mock-cors.json",
    ),
    (
        "test_import_rest_apis_with_base_path_swagger[ignore]",
        "put-rest-api-swagger-json",
        "swagger.json",
    ),
    (
        "test_import_rest_apis_with_base_path_swagger[prepend]",
        "put-rest-api-swagger-json",
        "swagger.json",
    ),
    (
        "test_import_rest_apis_with_base_path_swagger[split]",
        "put-rest-api-swagger-json",
        "swagger.json",
    ),
    (
        "test_import_rest_api_with_base_path_oas30[ignore]",
        "put-rest-api-oas30-srv-var",
        "openapi-basepath-server-variable.yaml",
    ),
    (
        "test_import_rest_api_with_base_path_oas30[prepend]",
        "put-rest-api-oas30-srv-var",
        "openapi-basepath-server-variable.yaml",
    ),
    (
        "test_import_rest_api_with_base_path_oas30[split]",
        "put-rest-api-oas30-srv-var",
        "openapi-basepath-server-variable.yaml",
    ),
    (
        "test_import_rest_api_with_base_path_oas30[ignore]",
        "put-rest-api-oas30-srv-url",
        "openapi-basepath-url.yaml",
    ),
    (
        "test_import_rest_api_with_base_path_oas30[prepend]",
        "put-rest-api-oas30-srv-url",
        "openapi-basepath-url.yaml",
    ),
    (
        "test_import_rest_api_with_base_path_oas30[split]",
        "put-rest-api-oas30-srv-url",
        "openapi-basepath-url.yaml",
    ),
    (
        "test_import_with_global_api_key_authorizer",
        "import-swagger",
        "openapi.spec.global-auth.json",
    ),
    (
        "test_import_with_circular_models",
        "import-api",
        "openapi.spec.circular-ref.json",
    ),
    (
        "test_import_with_circular_models_and_request_validation",
        "import-api",
        "openapi.spec.circular-ref-with-request-body.json",
    ),
    (
        "test_import_with_cognito_auth_identity_source",
        "import-swagger",
        "openapi.cognito-auth.json",
    ),
];

/// Warnings apigw gives on specs AWS imported silently: (spec, code, why it is right to say so
/// although API Gateway does not).
const ADVICE: &[(&str, &str, &str)] = &[
    (
        "petstore-authorizer.swagger.json",
        "APIGW701",
        "two methods have no security while the others require the authorizer; AWS deploys them \
         open to everyone without a word, and apigw asks for an explicit `security: []`",
    ),
    (
        "petstore-authorizer.swagger.json",
        "APIGW802",
        "`test-authorizer-not-used` is, as its name says, required by no method; AWS creates it \
         anyway (the recording lists it among the authorizers)",
    ),
    (
        "openapi.cognito-auth.json",
        "APIGW506",
        "`GET /pets` answers with Access-Control-Allow-Origin and requires a Cognito token, so a \
         browser sends a preflight first, and `/pets` has no OPTIONS method to answer it; AWS \
         imports that without comment and the preflight gets 403",
    ),
];

fn shared() -> Utf8PathBuf {
    let mut dir = Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/oracle/aws-recorded");
        if candidate.is_dir() {
            return dir.join("shared");
        }
        assert!(dir.pop(), "shared/ not found above the crate");
    }
}

fn aws_verdict(recordings: &serde_json::Value, test: &str, call: &str) -> Verdict {
    let key = format!("tests/aws/services/apigateway/test_apigateway_import.py::TestApiGatewayImportRestApi::{test}");
    let response = &recordings[&key]["recorded-content"][call];
    assert!(response.is_object(), "no recording of {test} / {call}");
    if response.get("Error").is_some() {
        Verdict::Rejects
    } else if response
        .get("warnings")
        .and_then(|warnings| warnings.as_array())
        .is_some_and(|warnings| !warnings.is_empty())
    {
        Verdict::Warns
    } else {
        Verdict::Accepts
    }
}

#[test]
fn apigw_agrees_with_what_aws_did_on_every_recorded_import() {
    let oracle = shared().join("oracle/aws-recorded");
    let recordings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(oracle.join("test_apigateway_import.snapshot.json"))
            .expect("recordings"),
    )
    .expect("JSON");
    let mut failures = Vec::new();
    let mut advice_used = BTreeSet::new();
    let mut agreed = 0;
    for (test, call, spec) in IMPORTS {
        let expected = aws_verdict(&recordings, test, call);
        let text = std::fs::read(oracle.join("specs").join(spec)).expect("spec");
        let world = MemoryWorld::new().with(*spec, text);
        let compilation = compile(&world, Utf8Path::new(spec), &Options::default());
        let errors: Vec<_> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let warnings: Vec<_> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        let ok = match expected {
            Verdict::Rejects => !errors.is_empty(),
            Verdict::Warns => !warnings.is_empty() || !errors.is_empty(),
            Verdict::Accepts => {
                let unexplained: Vec<String> = warnings
                    .iter()
                    .filter(|warning| {
                        let listed = ADVICE
                            .iter()
                            .any(|(file, code, _)| file == spec && *code == warning.code);
                        if listed {
                            advice_used.insert((*spec, warning.code));
                        }
                        !listed
                    })
                    .map(|warning| {
                        format!(
                            "{}:{} {} {}",
                            warning.location.line,
                            warning.location.column,
                            warning.code,
                            warning.message
                        )
                    })
                    .collect();
                if !unexplained.is_empty() {
                    failures.push(format!(
                        "{spec}: AWS imported it silently; apigw warns, unexplained:\n  {}",
                        unexplained.join("\n  ")
                    ));
                }
                errors.is_empty()
            }
        };
        if ok {
            agreed += 1;
        } else {
            let found: Vec<String> = compilation
                .diagnostics
                .iter()
                .map(|d| format!("{} {} {}", d.severity, d.code, d.message))
                .collect();
            failures.push(format!(
                "{test} ({spec}): AWS {expected:?}, apigw gave {found:#?}"
            ));
        }
    }
    let stale: Vec<_> = ADVICE
        .iter()
        .filter(|(file, code, _)| !advice_used.contains(&(*file, *code)))
        .collect();
    assert!(stale.is_empty(), "advice no longer given: {stale:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(agreed, IMPORTS.len());
}
