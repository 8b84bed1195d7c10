//! The `sam` target: an `AWS::Serverless::Api` (REST) or `AWS::Serverless::HttpApi` template
//! whose `DefinitionBody` is the API's OpenAPI document, so that teams on SAM keep `sam deploy`
//! and `sam local start-api`. SAM creates the deployment and the stage; everything around them
//! (access-log group, Lambda permissions, usage plans, domains, alarms, outputs) is shared with
//! the `cloudformation` target.

use apigw_compiler::ir::{Api, ApiKind};
use serde_json::{json, Map, Value};

use crate::cloudformation::{self, stage_names, Builder, CloudFormationOptions, Flavor, StageRef};
use crate::{EmitError, OutputFile, Warned, Warning};

/// Builds `template.{yaml,json}` for SAM.
pub fn emit(
    apis: &[Api],
    opts: &CloudFormationOptions,
) -> Result<Warned<Vec<OutputFile>>, EmitError> {
    cloudformation::emit_flavor(apis, opts, Flavor::Sam)
}

/// Properties of the CloudFormation stage that the SAM resource does not take, or sets itself.
const STAGE_ONLY: &[&str] = &[
    "RestApiId",
    "ApiId",
    "DeploymentId",
    "StageName",
    "AutoDeploy",
    "Description",
    "Tags",
];

pub(crate) fn build_api(builder: &mut Builder<'_>) {
    let api = builder.api;
    let api_id = builder.api_id.clone();
    let names = stage_names(api, builder.opts);
    if names.len() > 1 {
        builder.warnings.push(Warning::with_help(
            format!(
                "a SAM API deploys one stage; `{}` is built and the other {} left out",
                names.first().map(String::as_str).unwrap_or_default(),
                names.len() - 1
            ),
            "build with --target cloudformation to deploy every stage from one template",
        ));
    }
    let Some(name) = names.first().cloned() else {
        return;
    };
    let stage = api.stages.iter().find(|stage| stage.name == name);
    let body = builder.document();
    let stage_base = format!("{api_id}Stage{}", cloudformation::stage::stage_word(&name));
    let log_destination = cloudformation::stage::log_destination(builder, stage, &stage_base);

    let mut properties = Map::new();
    let kind = match api.kind {
        ApiKind::Rest => {
            let title = builder.title();
            properties.insert("Name".into(), title);
            properties.insert("StageName".into(), json!(name));
            // Without it SAM also creates a stage called `Stage`.
            properties.insert("OpenApiVersion".into(), json!("3.0.1"));
            properties.insert("DefinitionBody".into(), body);
            if let Some(types) = api
                .endpoint
                .as_ref()
                .and_then(|endpoint| endpoint.types.first())
            {
                properties.insert("EndpointConfiguration".into(), json!({"Type": types}));
            }
            let stage_properties =
                cloudformation::stage::rest_stage(builder, &name, stage, None, log_destination);
            merge_stage(&mut properties, stage_properties);
            "AWS::Serverless::Api"
        }
        ApiKind::Http | ApiKind::Websocket => {
            properties.insert("StageName".into(), json!(name));
            properties.insert("DefinitionBody".into(), body);
            let stage_properties =
                cloudformation::stage::v2_stage(builder, &name, stage, None, log_destination);
            merge_stage(&mut properties, stage_properties);
            "AWS::Serverless::HttpApi"
        }
    };
    if !api.tags.is_empty() {
        let mut tags = Map::new();
        for tag in &api.tags {
            let value = crate::openapi::RenderExpr::render(
                &mut builder.exprs,
                &tag.value,
                &format!("tag {}", tag.key),
            );
            tags.insert(tag.key.clone(), value);
        }
        properties.insert("Tags".into(), Value::Object(tags));
    }
    builder.add(&api_id, kind, properties);
    builder.stages.push(StageRef {
        name,
        // SAM resolves `<Api>.Stage` to the stage it creates, with a dependency on it.
        reference: json!({"Ref": format!("{api_id}.Stage")}),
        base: stage_base,
    });
}

fn merge_stage(properties: &mut Map<String, Value>, stage: Map<String, Value>) {
    for (key, value) in stage {
        if !STAGE_ONLY.contains(&key.as_str()) {
            properties.insert(key, value);
        }
    }
}
