//! Snapshots of what a user sees: every fixture's template in both modes and formats, its SAM
//! template and its OpenAPI export; and every example's CloudFormation template (both modes,
//! both formats) and SAM template, from its OpenAPI document and from its DSL twin, as
//! `apigw build` writes them.

use apigw_compiler::ir::ApiKind;
use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};
use apigw_targets::{sam, Format, OutputFile};

fn assert_files(name: &str, files: &[OutputFile]) {
    for file in files {
        let name = if files.len() == 1 {
            name.to_owned()
        } else {
            format!("{name}--{}", file.path.as_str().replace('/', "-"))
        };
        insta::with_settings!({
            snapshot_path => "../../../snapshots/targets",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, file.contents);
        });
    }
}

#[test]
fn fixture_outputs() {
    for build in super::builds::fixture_builds() {
        assert_files(&build.name, &build.files);
    }
}

#[test]
fn example_templates() {
    // Without the opt-in WAF and alarms, as `apigw build --target cloudformation|sam` writes.
    let mut examples = super::terraform::example_apis();
    examples.extend(super::terraform::example_dsl_twins());
    for (name, apis) in examples {
        let websocket = apis.iter().any(|api| api.kind == ApiKind::Websocket);
        for format in [Format::Yaml, Format::Json] {
            let ext = format.extension();
            for (mode, mode_name) in [(Mode::Body, "body"), (Mode::Resources, "resources")] {
                let options = CloudFormationOptions {
                    format,
                    mode,
                    ..CloudFormationOptions::default()
                };
                let built = cloudformation::emit(&apis, &options).unwrap();
                assert_files(
                    &format!("{name}.cloudformation.{mode_name}.{ext}"),
                    &built.output,
                );
            }
            if !websocket {
                let options = CloudFormationOptions {
                    format,
                    ..CloudFormationOptions::default()
                };
                let built = sam::emit(&apis, &options).unwrap();
                assert_files(&format!("{name}.sam.{ext}"), &built.output);
            }
        }
    }
}
