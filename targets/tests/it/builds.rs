//! Every fixture built by every target, mode and format.

use std::sync::OnceLock;

use apigw_compiler::ir::{Api, ApiKind};
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::openapi::{self, OpenApiOptions};
use apigw_targets::{sam, Format, OutputFile};

/// One build: a name such as `pet-store.cloudformation.body`, and its files.
pub struct Build {
    pub name: String,
    pub format: Format,
    pub files: Vec<OutputFile>,
    /// Whether the files are CloudFormation (or SAM) templates.
    pub template: bool,
}

pub fn options(format: Format, mode: Mode) -> CloudFormationOptions {
    CloudFormationOptions {
        format,
        mode,
        waf: true,
        alarms: true,
        ..CloudFormationOptions::default()
    }
}

pub fn build_all(apis: &[(String, Api)]) -> Vec<Build> {
    let sets: Vec<(String, Vec<Api>)> = apis
        .iter()
        .map(|(name, api)| (name.clone(), vec![api.clone()]))
        .collect();
    build_sets(&sets)
}

/// Builds every set of APIs (what one source file compiles to) as `apigw build` does: all of a
/// set's APIs in one emit, one template file per API when there are several.
pub fn build_sets(sets: &[(String, Vec<Api>)]) -> Vec<Build> {
    let mut builds = Vec::new();
    for (name, apis) in sets {
        if apis.is_empty() {
            continue;
        }
        let all_websocket = apis.iter().all(|api| api.kind == ApiKind::Websocket);
        // SAM has no WebSocket API resource, and OpenAPI does not describe one.
        let websocket = apis.iter().any(|api| api.kind == ApiKind::Websocket);
        for format in [Format::Yaml, Format::Json] {
            let ext = format.extension();
            let modes: &[(Mode, &str)] = if all_websocket {
                &[(Mode::Resources, "resources")]
            } else {
                &[(Mode::Body, "body"), (Mode::Resources, "resources")]
            };
            for (mode, mode_name) in modes {
                let out = cloudformation::emit(apis, &options(format, *mode))
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
                builds.push(Build {
                    name: format!("{name}.cloudformation.{mode_name}.{ext}"),
                    format,
                    files: out.output,
                    template: true,
                });
            }
            if !websocket {
                let out = sam::emit(apis, &options(format, Mode::Body))
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
                builds.push(Build {
                    name: format!("{name}.sam.{ext}"),
                    format,
                    files: out.output,
                    template: true,
                });
                let out = openapi::emit(apis, &OpenApiOptions { format })
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
                builds.push(Build {
                    name: format!("{name}.openapi.{ext}"),
                    format,
                    files: out.output,
                    template: false,
                });
            }
        }
    }
    builds
}

pub fn fixture_builds() -> Vec<Build> {
    let apis: Vec<(String, Api)> = super::fixtures::all()
        .into_iter()
        .map(|(name, api)| (name.to_owned(), api))
        .collect();
    build_all(&apis)
}

/// The parsed JSON of every file of a build, by path.
pub fn all_json(build: &Build) -> Vec<(String, serde_json::Value)> {
    build
        .files
        .iter()
        .map(|file| (file.path.to_string(), parse(build.format, file)))
        .collect()
}

fn parse(format: Format, file: &OutputFile) -> serde_json::Value {
    match format {
        Format::Json => serde_json::from_str(&file.contents).expect("valid JSON"),
        Format::Yaml => super::yaml_reparse::parse(&file.contents),
    }
}

/// Every example (its entry document, and its DSL twin) built by every target, mode and format.
pub fn example_builds() -> &'static [Build] {
    static BUILDS: OnceLock<Vec<Build>> = OnceLock::new();
    BUILDS.get_or_init(|| {
        let mut apis = super::terraform::example_apis();
        apis.extend(super::terraform::example_dsl_twins());
        build_sets(&apis)
    })
}

/// Every corpus file that checks without errors, built by every target, mode and format.
pub fn corpus_builds() -> &'static [Build] {
    static BUILDS: OnceLock<Vec<Build>> = OnceLock::new();
    BUILDS.get_or_init(|| build_sets(&super::terraform::corpus_apis()))
}
