//! What a build tells the user when the input asks for something the template cannot do.

use apigw_targets::cloudformation::{self, CloudFormationOptions, Mode};

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

#[test]
fn models_that_refer_to_each_other_are_a_warning_in_resources_mode() {
    let corpus = super::schemas::shared_dir()
        .join("corpus/localstack__localstack__tests_aws_files_openapi.spec.circular-ref-with-request-body.json");
    let path = camino::Utf8PathBuf::from_path_buf(corpus).unwrap();
    let compilation = apigw_compiler::compile(&apigw_compiler::FsWorld, &path, &Default::default());
    for (mode, warns) in [(Mode::Resources, true), (Mode::Body, false)] {
        let options = CloudFormationOptions {
            mode,
            ..CloudFormationOptions::default()
        };
        let built = cloudformation::emit(&compilation.apis, &options).unwrap();
        let warning = built
            .warnings
            .iter()
            .find(|warning| warning.message.contains("refer to each other"));
        assert_eq!(warning.is_some(), warns, "{mode:?}: {:?}", built.warnings);
        if let Some(warning) = warning {
            assert!(
                warning.message.contains("`Person`, `House`"),
                "{}",
                warning.message
            );
        }
    }
}
