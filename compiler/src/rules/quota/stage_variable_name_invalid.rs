use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

const MAX_VARIABLE_NAME: usize = 64;

declare_rule! {
    /// A stage variable name has characters other than letters, digits and `_`, or is longer than 64.
    /// ## Why
    /// Stage variable names must match `[A-Za-z0-9_]+` and be at most 64 characters
    /// (API Gateway quotas, "Stage variable name"). `CreateStage`/`UpdateStage` and
    /// CloudFormation reject others with `BadRequestException`, and `${stageVariables.my-var}`
    /// could not refer to them anyway. A `-` is the usual slip.
    /// ## Fails
    /// ```yaml
    /// Variables: {backend-host: pets.example.com}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Variables: {backend_host: pets.example.com}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
    pub StageVariableNameInvalid { code: "APIGW606", name: "stage-variable-name-invalid", severity: Error }
}

impl Rule for StageVariableNameInvalid {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let canary = stage
                .canary
                .iter()
                .flat_map(|canary| canary.variables.keys());
            for name in stage.variables.keys().chain(canary) {
                if name.contains("${") {
                    continue;
                }
                let length = name.chars().count();
                let valid_chars =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let problem = if !valid_chars {
                    "may hold only letters, digits and `_`".to_owned()
                } else if length > MAX_VARIABLE_NAME {
                    format!("has {length} characters, more than the {MAX_VARIABLE_NAME} allowed")
                } else {
                    continue;
                };
                let pending = out.push(
                    Self::META,
                    &stage.origin,
                    format!(
                        "stage `{}`: variable name `{name}` {problem}; API Gateway rejects it",
                        stage.name
                    ),
                );
                let fixed: String = name
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                if !valid_chars && !fixed.is_empty() {
                    pending.help(format!("rename it, e.g. `{fixed}`, and refer to it as `${{stageVariables.{fixed}}}`"));
                } else {
                    pending.help("shorten the name to at most 64 characters");
                }
            }
        }
    }
}
