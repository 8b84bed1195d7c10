use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// An authorizer caches its result for less than 0 or more than 3600 seconds.
    /// ## Why
    /// `authorizerResultTtlInSeconds` (CloudFormation `AuthorizerResultTtlInSeconds`) is 0 to
    /// 3600 seconds in REST and HTTP APIs alike; 0 turns caching off. API Gateway refuses any
    /// other value (API reference `CreateAuthorizer`, CloudFormation schema maximum 3600).
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    ///   authorizerResultTtlInSeconds: 7200
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-authorizer:
    ///   type: token
    ///   authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations
    ///   authorizerResultTtlInSeconds: 3600
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
    pub AuthorizerTtlOutOfRange { code: "APIGW202", name: "authorizer-ttl-out-of-range", severity: Error }
}

impl Rule for AuthorizerTtlOutOfRange {
    fn check(&self, api: &Api, out: &mut Report) {
        for authorizer in &api.authorizers {
            let Some(ttl) = &authorizer.result_ttl_seconds else {
                continue;
            };
            let message = if ttl.value < 0 {
                format!(
                    "authorizer TTL {} s is negative; the minimum is 0 s (no caching)",
                    ttl.value
                )
            } else if ttl.value > 3600 {
                format!("authorizer TTL {} s exceeds the 3600 s maximum", ttl.value)
            } else {
                continue;
            };
            out.push(Self::META, &ttl.origin, message)
                .help("set `authorizerResultTtlInSeconds` between 0 and 3600");
        }
    }
}
