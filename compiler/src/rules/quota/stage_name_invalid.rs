use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

const MAX_STAGE_NAME: usize = 128;

declare_rule! {
    /// A stage name has characters other than letters, digits, `-` and `_`, or is longer than 128.
    /// ## Why
    /// API Gateway stage names may hold only alphanumeric characters, hyphens and underscores,
    /// up to 128 characters; HTTP and WebSocket APIs also accept the special `$default`.
    /// `CreateStage` (and CloudFormation's `StageName`) rejects any other name with a
    /// `BadRequestException`, so the deployment fails. A `.` or `/` (`v1.0`, `api/v1`) is the
    /// usual slip: a base path mapping on a custom domain gives such a URL instead.
    /// ## Fails
    /// ```yaml
    /// StageName: v1.0
    /// ```
    /// ## Passes
    /// ```yaml
    /// StageName: v1_0
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
    pub StageNameInvalid { code: "APIGW605", name: "stage-name-invalid", severity: Error }
}

impl Rule for StageNameInvalid {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let name = stage.name.as_str();
            if name.is_empty() || name.contains("${") {
                continue;
            }
            if name == "$default" && api.kind != ApiKind::Rest {
                continue;
            }
            let bad: Vec<char> = name
                .chars()
                .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
                .collect();
            let length = name.chars().count();
            let problem = if !bad.is_empty() {
                let mut shown: Vec<String> = bad.iter().map(|c| format!("`{c}`")).collect();
                shown.dedup();
                format!("holds {}", shown.join(", "))
            } else if length > MAX_STAGE_NAME {
                format!("has {length} characters, more than the {MAX_STAGE_NAME} allowed")
            } else {
                continue;
            };
            let help = if name == "$default" {
                "REST APIs have no `$default` stage; name the stage (e.g. `prod`)".to_owned()
            } else {
                "use only letters, digits, `-` and `_`, at most 128 characters".to_owned()
            };
            out.push(
                Self::META,
                &stage.origin,
                format!("stage name `{name}` {problem}; API Gateway rejects it"),
            )
            .help(help);
        }
    }
}
