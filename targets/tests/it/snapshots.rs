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

#[test]
fn a_function_only_a_stage_variable_names_is_left_to_the_user_with_a_warning() {
    // orders-mock's OpenAPI document invokes `…:orders-fulfilment:${stageVariables.
    // fulfilmentAlias}` and deploys no stage that defines the variable; its DSL twin's `prod`
    // stage does (`live`).
    let examples = super::terraform::example_apis();
    let (_, apis) = examples
        .iter()
        .find(|(name, _)| name == "orders-mock")
        .unwrap();
    let built = cloudformation::emit(apis, &CloudFormationOptions::default()).unwrap();
    let warning = built
        .warnings
        .iter()
        .find(|warning| warning.message.contains("stage variable"))
        .expect("a warning about the stage-variable function");
    assert!(
        warning.message.contains("`orders-fulfilment`"),
        "{}",
        warning.message
    );
    assert!(
        warning.message.contains("stage `prod`"),
        "{}",
        warning.message
    );
    assert!(warning.help.as_deref().unwrap().contains("alias"));
    let template = &built.output[0].contents;
    assert!(!template.contains("FunctionName: !Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:orders-fulfilment"));

    let twins = super::terraform::example_dsl_twins();
    let (_, apis) = twins
        .iter()
        .find(|(name, _)| name == "orders-mock.dsl")
        .unwrap();
    let built = cloudformation::emit(apis, &CloudFormationOptions::default()).unwrap();
    assert!(!built
        .warnings
        .iter()
        .any(|warning| warning.message.contains("stage variable")));
    assert!(built.output[0]
        .contents
        .contains("function:orders-fulfilment:live\n"));
    let module = apigw_targets::terraform::emit(
        apis,
        &apigw_targets::terraform::TerraformOptions::default(),
    )
    .unwrap();
    let lambda = module
        .output
        .iter()
        .find(|file| file.path == "lambda.tf")
        .unwrap();
    assert!(lambda
        .contents
        .contains(":function:orders-fulfilment:live\""));
}
