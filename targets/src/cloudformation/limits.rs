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
