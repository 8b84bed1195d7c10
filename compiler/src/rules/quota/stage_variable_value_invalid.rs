use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

const MAX_VARIABLE_VALUE: usize = 512;

/// What a stage variable value may hold besides letters and digits.
const VALUE_SPECIALS: &str = "-._~:/?#&=,";

declare_rule! {
    /// A stage variable value has characters API Gateway does not allow, or is longer than 512.
    /// ## Why
    /// Stage variable values may hold letters, digits and `-._~:/?#&=,` only, up to 512
    /// characters (API Gateway quotas, "Stage variable value"). `CreateStage`/`UpdateStage` and
    /// CloudFormation reject a value with a space, `@`, `%`, `*`, quotes or the like with
    /// `BadRequestException`. Only values visible in the source are checked; deploy-time values
    /// (`!Ref`, `${var}`) are not.
    /// ## Fails
    /// ```yaml
    /// Variables: {greeting: hello world}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Variables: {greeting: hello-world}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
    pub StageVariableValueInvalid { code: "APIGW607", name: "stage-variable-value-invalid", severity: Error }
}

impl Rule for StageVariableValueInvalid {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let canary = stage
                .canary
                .iter()
                .flat_map(|canary| canary.variables.iter());
            for (name, value) in stage.variables.iter().chain(canary) {
                let Some(text) = value.as_literal() else {
                    continue;
                };
                if text.is_empty() || text.contains("${") {
                    continue;
                }
                let mut bad: Vec<String> = Vec::new();
                for c in text.chars() {
                    if c.is_ascii_alphanumeric() || VALUE_SPECIALS.contains(c) {
                        continue;
                    }
                    let shown = if c == ' ' {
                        "a space".to_owned()
                    } else {
                        format!("`{c}`")
                    };
                    if !bad.contains(&shown) {
                        bad.push(shown);
                    }
                }
                let length = text.chars().count();
                let problem = if !bad.is_empty() {
                    format!("holds {}", bad.join(", "))
                } else if length > MAX_VARIABLE_VALUE {
                    format!("has {length} characters, more than the {MAX_VARIABLE_VALUE} allowed")
                } else {
                    continue;
                };
                out.push(
                    Self::META,
                    &stage.origin,
                    format!("stage `{}`: the value of variable `{name}` {problem}; API Gateway rejects it", stage.name),
                )
                .help(format!("use only letters, digits and `{VALUE_SPECIALS}` (at most 512 characters); encode anything else"));
            }
        }
    }
}
