//! `apigw convert --to dsl` on the corpus's Swagger 2.0 files: converted through the OpenAPI
//! target (which the compiler's own round-trip tests cannot run), the DSL it writes lowers to
//! the IR of the source.

use std::path::PathBuf;
use std::process::Command;

use apigw_compiler::ir::{Api, SourceFormat};
use apigw_compiler::{compile, Compilation, FsWorld, Options};
use camino::Utf8PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared").join("corpus"))
        .find(|dir| dir.is_dir())
        .expect("shared/corpus beside the repository")
}

/// As the compiler's DSL tests compare: the source format and how functions run locally are
/// known to one side only.
fn comparable(mut api: Api) -> Api {
    api.format = None;
    for function in &mut api.functions {
        function.local = None;
    }
    api
}

fn only_api(compilation: Compilation) -> Option<Api> {
    let mut apis = compilation.apis;
    (apis.len() == 1).then(|| apis.pop()).flatten()
}

#[test]
fn corpus_swagger_files_that_check_convert_to_dsl_with_the_same_ir() {
    let out = tempfile::tempdir().expect("temporary directory");
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus readable")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    let (mut same, mut differ) = (0, Vec::new());
    for file in files {
        let path = Utf8PathBuf::try_from(file).expect("UTF-8 path");
        let compilation = compile(&FsWorld, &path, &Options::default());
        if compilation.has_errors() {
            continue;
        }
        let Some(source) = only_api(compilation) else {
            continue;
        };
        if source.format != Some(SourceFormat::Swagger20) || source.logical_id.is_some() {
            continue;
        }
        let converted = Utf8PathBuf::try_from(out.path().join("converted.json")).expect("UTF-8");
        let status = Command::new(env!("CARGO_BIN_EXE_apigw"))
            .args([
                "convert",
                path.as_str(),
                "--to",
                "dsl",
                "-o",
                converted.as_str(),
            ])
            .output()
            .expect("apigw runs")
            .status;
        assert!(status.success(), "{path}: apigw convert failed");
        let back = only_api(compile(&FsWorld, &converted, &Options::default()));
        let name = path.file_name().unwrap_or_default().to_owned();
        if back.map(comparable) == Some(comparable(source)) {
            same += 1;
        } else {
            differ.push(name);
        }
    }
    assert_eq!(same, 19);
    // Its token authorizer says `identitySource: ""`, which the OpenAPI target leaves out when
    // it writes the Swagger document as OpenAPI 3.0, so the authorizer read back has none;
    // `apigw convert` warns that `authorizers` is not carried.
    assert_eq!(
        differ,
        ["localstack__localstack__tests_aws_files_openapi.spec.pulumi.json"]
    );
}
