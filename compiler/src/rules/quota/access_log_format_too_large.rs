use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

/// The largest access log format API Gateway stores: 3 KB.
const MAX_FORMAT_BYTES: usize = 3 * 1024;

declare_rule! {
    /// A stage's access log format is larger than 3 KB.
    /// ## Why
    /// API Gateway takes access log formats of at most 3 KB (quotas for REST, HTTP and
    /// WebSocket APIs, "Access log template size"; not adjustable). `UpdateStage` and
    /// CloudFormation reject a longer `AccessLogSetting.Format`, failing the deployment.
    /// ## Fails
    /// ```yaml
    /// AccessLogSetting: {DestinationArn: …, Format: "…3.5 KB of $context variables…"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// AccessLogSetting: {DestinationArn: …, Format: '{"requestId":"$context.requestId","status":"$context.status"}'}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    pub AccessLogFormatTooLarge { code: "APIGW616", name: "access-log-format-too-large", severity: Error }
}

impl Rule for AccessLogFormatTooLarge {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let Some(format) = stage
                .access_log
                .as_ref()
                .and_then(|log| log.format.as_ref())
            else {
                continue;
            };
            if format.contains("${") {
                continue;
            }
            let size = format.len();
            if size > MAX_FORMAT_BYTES {
                out.push(
                    Self::META,
                    &stage.origin,
                    format!("stage `{}`: the access log format is {size} bytes; the limit is 3 KB ({MAX_FORMAT_BYTES} bytes)", stage.name),
                )
                .help("log fewer `$context` fields, or shorter keys");
            }
        }
    }
}
