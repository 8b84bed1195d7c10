use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

const VARIABLES_PER_STAGE: usize = 100;

declare_rule! {
    /// A stage has more than 100 stage variables.
    /// ## Why
    /// API Gateway allows at most 100 stage variables per stage (API Gateway quotas, "Stage
    /// variables per stage"; the quota cannot be raised). `CreateStage` and CloudFormation
    /// reject a stage with more.
    /// ## Fails
    /// ```yaml
    /// Variables: {v1: a, v2: a, …, v101: a}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Variables: {v1: a, …, v100: a}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    pub StageVariablesOverQuota { code: "APIGW608", name: "stage-variables-over-quota", severity: Error }
}

impl Rule for StageVariablesOverQuota {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let count = stage.variables.len();
            if count > VARIABLES_PER_STAGE {
                out.push(
                    Self::META,
                    &stage.origin,
                    format!("stage `{}` has {count} variables; the quota is {VARIABLES_PER_STAGE} per stage", stage.name),
                )
                .help("keep configuration beyond that elsewhere (Parameter Store, Lambda environment variables)");
            }
        }
    }
}
