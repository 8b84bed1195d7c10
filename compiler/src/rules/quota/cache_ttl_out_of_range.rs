use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

const MAX_CACHE_TTL: i64 = 3600;

declare_rule! {
    /// A stage method setting's cache TTL is outside 0 … 3600 seconds.
    /// ## Why
    /// REST API response caching keeps entries for 0 to 3600 seconds (API Gateway quotas,
    /// "Cache TTL"; default 300). `UpdateStage` and CloudFormation reject a
    /// `CacheTtlInSeconds` outside that range, failing the deployment.
    /// ## Fails
    /// ```yaml
    /// MethodSettings: [{ResourcePath: "/*", HttpMethod: "*", CachingEnabled: true, CacheTtlInSeconds: 86400}]
    /// ```
    /// ## Passes
    /// ```yaml
    /// MethodSettings: [{ResourcePath: "/*", HttpMethod: "*", CachingEnabled: true, CacheTtlInSeconds: 3600}]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
    pub CacheTtlOutOfRange { code: "APIGW614", name: "cache-ttl-out-of-range", severity: Error }
}

impl Rule for CacheTtlOutOfRange {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for stage in &api.stages {
            for setting in &stage.method_settings {
                let Some(ttl) = setting.cache_ttl_seconds else {
                    continue;
                };
                if !(0..=MAX_CACHE_TTL).contains(&ttl) {
                    out.push(
                        Self::META,
                        &stage.origin,
                        format!(
                            "stage `{}`, method settings `{}/{}`: cache TTL {ttl} s is outside 0 … {MAX_CACHE_TTL} s",
                            stage.name, setting.resource_path, setting.http_method
                        ),
                    )
                    .help("give at most 3600 seconds (one hour)");
                }
            }
        }
    }
}
