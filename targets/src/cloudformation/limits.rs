//! CloudFormation's template limits (CloudFormation quotas): 500 resources per template, a
//! 51,200-byte template body when passed inline (`--template-body`), 1 MB when uploaded to S3.
//! The target warns before a user hits them and says what to do.

use serde_json::Value;

use crate::Warning;

/// Resources per template (CloudFormation quotas).
pub(crate) const MAX_RESOURCES: usize = 500;
/// Warn from this many resources on, while there is still room to act.
const WARN_RESOURCES: usize = 450;
/// A template body passed inline to CreateStack (CloudFormation quotas).
pub(crate) const MAX_INLINE_BYTES: usize = 51_200;
/// A template body uploaded to S3 (CloudFormation quotas: 1 MB).
pub(crate) const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// Warns when a template holds close to or more than 500 resources.
pub(crate) fn check_count(template: &Value, stem: &str, warnings: &mut Vec<Warning>) {
    let count = template
        .get("Resources")
        .and_then(Value::as_object)
        .map_or(0, |resources| resources.len());
    if count > MAX_RESOURCES {
        warnings.push(Warning::with_help(
            format!("{stem} has {count} resources; CloudFormation accepts at most {MAX_RESOURCES} per template"),
            "build with --mode body, which keeps the whole API in one resource",
        ));
    } else if count > WARN_RESOURCES {
        warnings.push(Warning::with_help(
            format!("{stem} has {count} resources, close to CloudFormation's limit of {MAX_RESOURCES} per template"),
            "build with --mode body before adding more routes",
        ));
    }
}

/// Warns when the template text is too big to pass inline, or at all.
pub(crate) fn check_size(text: &str, stem: &str, warnings: &mut Vec<Warning>) {
    let bytes = text.len();
    if bytes > MAX_TEMPLATE_BYTES {
        warnings.push(Warning::with_help(
            format!("{stem} is {bytes} bytes; CloudFormation accepts at most {MAX_TEMPLATE_BYTES} bytes even from S3"),
            "build with --format yaml (smaller), or move the OpenAPI body to S3: build --target openapi and reference it with BodyS3Location",
        ));
    } else if bytes > MAX_INLINE_BYTES {
        warnings.push(Warning::with_help(
            format!("{stem} is {bytes} bytes, more than the {MAX_INLINE_BYTES} bytes CloudFormation accepts inline"),
            "deploy it through S3: `aws cloudformation deploy --s3-bucket <bucket>` (or `sam deploy`) uploads it for you",
        ));
    }
}

/// Parameters, and outputs, per template (CloudFormation quotas: 200 each).
const MAX_PARAMETERS: usize = 200;
const MAX_OUTPUTS: usize = 200;

/// Says that a resources-mode template was split into nested stacks, and how to deploy them:
/// their `TemplateURL`s are local paths, which only a packaging step turns into S3 URLs.
pub(crate) fn nested_warning(
    stem: &str,
    file_name: &str,
    parent: &Value,
    children: &[super::nested::Child],
) -> Warning {
    let count = |template: &Value| {
        template
            .get("Resources")
            .and_then(Value::as_object)
            .map_or(0, |resources| resources.len())
    };
    let total = children
        .iter()
        .map(|child| count(&child.template))
        .sum::<usize>()
        + count(parent);
    let largest = children
        .iter()
        .map(|child| count(&child.template))
        .max()
        .unwrap_or(0);
    Warning::with_help(
        format!(
            "{stem} would have more than CloudFormation's {MAX_RESOURCES} resources per template; its routes are split into {} nested stacks (`AWS::CloudFormation::Stack`, up to {largest} resources each; {total} resources in all, {} in {file_name})",
            children.len(),
            count(parent),
        ),
        format!(
            "the nested stacks' TemplateURLs are local paths (stacks/…): deploy with `aws cloudformation package --template-file {file_name} --s3-bucket <bucket> --output-template-file packaged.{}` and then `aws cloudformation deploy --template-file packaged.{}`, or with `sam deploy`, which upload them to S3; or build with --mode body, which keeps the whole API in one resource",
            file_name.rsplit('.').next().unwrap_or("yaml"),
            file_name.rsplit('.').next().unwrap_or("yaml"),
        ),
    )
}

/// Warns when a nested stack takes or gives more values than CloudFormation allows.
pub(crate) fn check_stack_interface(template: &Value, stem: &str, warnings: &mut Vec<Warning>) {
    for (section, limit) in [("Parameters", MAX_PARAMETERS), ("Outputs", MAX_OUTPUTS)] {
        let count = template
            .get(section)
            .and_then(Value::as_object)
            .map_or(0, |entries| entries.len());
        if count > limit {
            warnings.push(Warning::with_help(
                format!(
                    "{stem} has {count} {}; CloudFormation accepts at most {limit} per template",
                    section.to_ascii_lowercase()
                ),
                "build with --mode body, which keeps the whole API in one resource",
            ));
        }
    }
}
