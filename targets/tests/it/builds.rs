//! Every fixture built by every target, mode and format.

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
    let mut builds = Vec::new();
    for (name, api) in apis {
        for format in [Format::Yaml, Format::Json] {
            let ext = format.extension();
            let modes: &[(Mode, &str)] = if api.kind == ApiKind::Websocket {
                &[(Mode::Resources, "resources")]
            } else {
                &[(Mode::Body, "body"), (Mode::Resources, "resources")]
            };
            for (mode, mode_name) in modes {
                let out = cloudformation::emit(std::slice::from_ref(api), &options(format, *mode))
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
                builds.push(Build {
                    name: format!("{name}.cloudformation.{mode_name}.{ext}"),
                    format,
                    files: out.output,
                    template: true,
                });
            }
            if api.kind != ApiKind::Websocket {
                let out = sam::emit(std::slice::from_ref(api), &options(format, Mode::Body))
                    .unwrap_or_else(|error| panic!("{name}: {error}"));
                builds.push(Build {
                    name: format!("{name}.sam.{ext}"),
                    format,
                    files: out.output,
                    template: true,
                });
                let out = openapi::emit(std::slice::from_ref(api), &OpenApiOptions { format })
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

/// The parsed JSON of a build's main file.
pub fn main_json(build: &Build) -> serde_json::Value {
    let file = &build.files[0];
    match build.format {
        Format::Json => serde_json::from_str(&file.contents).expect("valid JSON"),
        Format::Yaml => super::yaml_reparse::parse(&file.contents),
    }
}
