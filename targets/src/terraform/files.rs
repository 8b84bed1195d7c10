//! The module's files: `versions.tf`, `variables.tf`, `main.tf` and one file per further
//! concern (`openapi.tf`, `lambda.tf`, `usage_plans.tf`, `domains.tf`, `alarms.tf`),
//! `outputs.tf`, and a `README.md` with usage and the inputs and outputs tables. Every `.tf`
//! file is an hcl-rs body formatted by [`super::format`]; the README is prose from a tera
//! template.

use camino::Utf8PathBuf;
use hcl::structure::{Attribute, Block};
use hcl::{Body, Expression, Identifier};
use serde::Serialize;

use super::expr::{call, traversal, ValueKind};
use super::format::to_hcl;
use super::{Module, TfFile};
use crate::OutputFile;

/// The provider releases whose API Gateway schema the module is checked against
/// (`shared/reference/terraform-aws-apigateway-schema.json` is from 6.25).
pub(crate) const AWS_PROVIDER_VERSION: &str = ">= 6.0, < 7.0";
/// The oldest Terraform that reads everything the module writes (validation blocks with
/// `can`, `sensitive` variables).
pub(crate) const TERRAFORM_VERSION: &str = ">= 1.0";

#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    #[error("cannot format {file}")]
    Format {
        file: &'static str,
        #[source]
        source: hcl::Error,
    },
    #[error("cannot render README.md")]
    Readme(#[source] tera::Error),
}

fn format(file: &'static str, body: Body) -> Result<String, WriteError> {
    to_hcl(body).map_err(|source| WriteError::Format { file, source })
}

fn attribute(key: &str, value: impl Into<Expression>) -> Attribute {
    Attribute::new(Identifier::sanitized(key), value.into())
}

pub(crate) fn write(module: &mut Module<'_>) -> Result<Vec<OutputFile>, WriteError> {
    let mut files = Vec::new();
    let mut push = |name: &str, contents: String| {
        files.push(OutputFile {
            path: Utf8PathBuf::from(name),
            contents,
        });
    };

    push("versions.tf", format("versions.tf", versions())?);
    push("variables.tf", format("variables.tf", variables(module))?);

    let mut main = Body::builder();
    for source in &module.exprs.data {
        main = main.add_block(
            Block::builder("data")
                .add_label(source.kind())
                .add_label("current")
                .build(),
        );
    }
    for block in module
        .blocks
        .get(&TfFile::Main)
        .cloned()
        .unwrap_or_default()
    {
        main = main.add_block(block);
    }
    push("main.tf", format("main.tf", main.build())?);

    if let Some(document) = &module.document {
        let body = Body::builder()
            .add_block(
                Block::builder("locals")
                    .add_attribute(attribute("openapi", document.clone()))
                    .build(),
            )
            .build();
        push("openapi.tf", format("openapi.tf", body)?);
    }
    for file in [
        TfFile::Lambda,
        TfFile::UsagePlans,
        TfFile::Domains,
        TfFile::Alarms,
    ] {
        let Some(blocks) = module.blocks.get(&file) else {
            continue;
        };
        let body = Body::builder().add_blocks(blocks.clone()).build();
        push(file.name(), format(file.name(), body)?);
    }

    let mut outputs = Body::builder();
    for output in &module.outputs {
        outputs = outputs.add_block(
            Block::builder("output")
                .add_label(output.name.as_str())
                .add_attribute(attribute("description", output.description.as_str()))
                .add_attribute(attribute("value", output.value.clone()))
                .build(),
        );
    }
    push("outputs.tf", format("outputs.tf", outputs.build())?);
    push("README.md", readme(module)?);
    Ok(files)
}

fn versions() -> Body {
    let aws = super::expr::object([
        (
            "source".to_owned(),
            Expression::String("hashicorp/aws".to_owned()),
        ),
        (
            "version".to_owned(),
            Expression::String(AWS_PROVIDER_VERSION.to_owned()),
        ),
    ]);
    Body::builder()
        .add_block(
            Block::builder("terraform")
                .add_attribute(attribute("required_version", TERRAFORM_VERSION))
                .add_block(
                    Block::builder("required_providers")
                        .add_attribute(attribute("aws", aws))
                        .build(),
                )
                .build(),
        )
        .build()
}

fn variables(module: &Module<'_>) -> Body {
    let mut body = Body::builder();
    for variable in module.exprs.variables.values() {
        let mut block = Block::builder("variable")
            .add_label(variable.name.as_str())
            .add_attribute(attribute("description", variable.description.as_str()))
            .add_attribute(attribute("type", traversal("string", &[])));
        if variable.sensitive {
            block = block.add_attribute(attribute("sensitive", true));
        }
        if let Some((pattern, message)) = variable.kind.validation() {
            let condition = call(
                "can",
                vec![call(
                    "regex",
                    vec![
                        Expression::String(pattern.to_owned()),
                        traversal("var", &[&variable.name]),
                    ],
                )],
            );
            block = block.add_block(
                Block::builder("validation")
                    .add_attribute(attribute("condition", condition))
                    .add_attribute(attribute(
                        "error_message",
                        format!("The value of {} {message}", variable.name).as_str(),
                    ))
                    .build(),
            );
        }
        body = body.add_block(block.build());
    }
    body.build()
}

/// An example value for a variable in the README's usage block.
fn example_value(kind: ValueKind, name: &str) -> String {
    match kind {
        ValueKind::LambdaArn | ValueKind::LambdaTarget => {
            format!("arn:aws:lambda:eu-west-1:123456789012:function:{name}")
        }
        ValueKind::RoleArn => "arn:aws:iam::123456789012:role/api-gateway".to_owned(),
        ValueKind::CertificateArn => {
            "arn:aws:acm:eu-west-1:123456789012:certificate/0000-example".to_owned()
        }
        ValueKind::UserPoolArn => {
            "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example".to_owned()
        }
        ValueKind::LogDestinationArn => {
            "arn:aws:logs:eu-west-1:123456789012:log-group:api-access".to_owned()
        }
        ValueKind::WebAclArn => {
            "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0000-example".to_owned()
        }
        ValueKind::HostedZoneId => "Z0123456789EXAMPLE".to_owned(),
        ValueKind::Text => "...".to_owned(),
    }
}

#[derive(Serialize)]
struct ReadmeInput {
    name: String,
    description: String,
    sensitive: bool,
}

#[derive(Serialize)]
struct ReadmeOutput {
    name: String,
    description: String,
}

#[derive(Serialize)]
struct ReadmeResource {
    kind: String,
    count: usize,
}

const README: &str = r#"# {{ title }}

A Terraform module for the {{ kind }} API `{{ title }}`{% if description %}: {{ description }}{% endif %}.
apigw generated it from the API's specification; change the specification and build again
rather than editing these files.

## Usage

```hcl
{{ usage }}```

It needs Terraform {{ terraform_version }} and the AWS provider {{ provider_version }}.

## Inputs
{% if inputs %}
| Name | Description | Type | Required |
|------|-------------|------|:--------:|
{% for input in inputs -%}
| `{{ input.name }}` | {{ input.description }}{% if input.sensitive %} (sensitive){% endif %} | `string` | yes |
{% endfor %}{% else %}
None: the module is self-contained.
{% endif %}
## Outputs

| Name | Description |
|------|-------------|
{% for output in outputs -%}
| `{{ output.name }}` | {{ output.description }} |
{% endfor %}
## Resources

| Resource | Count |
|----------|------:|
{% for resource in resources -%}
| `{{ resource.kind }}` | {{ resource.count }} |
{% endfor %}"#;

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn readme(module: &Module<'_>) -> Result<String, WriteError> {
    let api = module.api;
    let module_name = super::names::snake_case(&api.title);
    let module_name =
        if module_name.is_empty() || module_name.starts_with(|c: char| c.is_ascii_digit()) {
            format!("api_{module_name}")
        } else {
            module_name
        };
    let mut usage = Block::builder("module")
        .add_label(module_name.as_str())
        .add_attribute(attribute(
            "source",
            format!("./{}", crate::cloudformation::names::file_stem(api)).as_str(),
        ));
    for variable in module.exprs.variables.values() {
        usage = usage.add_attribute(attribute(
            &variable.name,
            example_value(variable.kind, &variable.name).as_str(),
        ));
    }
    let usage = to_hcl(Body::builder().add_block(usage.build()).build()).map_err(|source| {
        WriteError::Format {
            file: "README.md",
            source,
        }
    })?;

    let mut resources: Vec<ReadmeResource> = Vec::new();
    for blocks in module.blocks.values() {
        for block in blocks {
            let Some(kind) = block.labels().first() else {
                continue;
            };
            match resources
                .iter_mut()
                .find(|known| known.kind == kind.as_str())
            {
                Some(known) => known.count += 1,
                None => resources.push(ReadmeResource {
                    kind: kind.as_str().to_owned(),
                    count: 1,
                }),
            }
        }
    }
    resources.sort_by(|a, b| a.kind.cmp(&b.kind));

    let mut context = tera::Context::new();
    context.insert("title", &cell(&api.title));
    context.insert(
        "kind",
        match api.kind {
            apigw_compiler::ir::ApiKind::Rest => "REST",
            apigw_compiler::ir::ApiKind::Http => "HTTP",
            apigw_compiler::ir::ApiKind::Websocket => "WebSocket",
        },
    );
    context.insert(
        "description",
        &api.description
            .as_deref()
            .map(|text| cell(text).trim_end_matches('.').to_owned())
            .filter(|text| !text.is_empty()),
    );
    context.insert("usage", &usage);
    context.insert("terraform_version", TERRAFORM_VERSION);
    context.insert("provider_version", AWS_PROVIDER_VERSION);
    let inputs: Vec<ReadmeInput> = module
        .exprs
        .variables
        .values()
        .map(|variable| ReadmeInput {
            name: variable.name.clone(),
            description: cell(&variable.description),
            sensitive: variable.sensitive,
        })
        .collect();
    context.insert("inputs", &inputs);
    let outputs: Vec<ReadmeOutput> = module
        .outputs
        .iter()
        .map(|output| ReadmeOutput {
            name: output.name.clone(),
            description: cell(&output.description),
        })
        .collect();
    context.insert("outputs", &outputs);
    context.insert("resources", &resources);
    tera::Tera::one_off(README, &context, false).map_err(WriteError::Readme)
}
