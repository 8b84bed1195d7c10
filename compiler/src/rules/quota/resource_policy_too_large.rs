use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

/// The default quota on a REST API's resource policy, in characters.
const MAX_POLICY: usize = 8192;

declare_rule! {
    /// A REST API's resource policy is longer than 8192 characters, the default quota.
    /// ## Why
    /// API Gateway stores a REST API resource policy of up to 8192 characters by default
    /// ("Resource policy size", adjustable through Service Quotas). A longer
    /// `x-amazon-apigateway-policy` makes the import or stack fail with
    /// `LimitExceededException` unless the quota was raised first. Long policies usually list
    /// many IP ranges or VPC endpoints one statement each; conditions take lists.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-policy: {Version: "2012-10-17", Statement: [ … 9 KB … ]}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "*"}]}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    pub ResourcePolicyTooLarge { code: "APIGW615", name: "resource-policy-too-large", severity: Warning }
}

impl Rule for ResourcePolicyTooLarge {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        let Some(policy) = &api.policy else {
            return;
        };
        let Ok(text) = serde_json::to_string(&policy.value) else {
            return;
        };
        let length = text.chars().count();
        if length > MAX_POLICY {
            out.push(
                Self::META,
                &policy.origin,
                format!("the resource policy is {length} characters as compact JSON; the default quota is {MAX_POLICY}"),
            )
            .help("merge statements (conditions such as `aws:SourceIp` take lists), or raise the quota in Service Quotas");
        }
    }
}
