use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// A stage logs full request and response bodies to CloudWatch (`dataTraceEnabled`).
    /// ## Why
    /// With data tracing on, API Gateway writes every request and response, headers and bodies
    /// included, to the stage's execution log. Tokens, passwords and personal data then sit in
    /// CloudWatch Logs for as long as the log group keeps them. AWS recommends it for debugging
    /// only, never on a production stage.
    /// ## Fails
    /// ```yaml
    /// apigw: 1
    /// name: orders
    /// routes:
    ///   GET /orders: {function: orders, auth: none}
    /// stages:
    ///   prod: {logging: {level: INFO, data_trace: true}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// apigw: 1
    /// name: orders
    /// routes:
    ///   GET /orders: {function: orders, auth: none}
    /// stages:
    ///   prod: {logging: {level: ERROR}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    pub StageDataTraceEnabled { code: "APIGW706", name: "stage-data-trace-enabled", severity: Warning }
}

impl Rule for StageDataTraceEnabled {
    fn check(&self, api: &Api, out: &mut Report) {
        for stage in &api.stages {
            let traced: Vec<String> = stage
                .method_settings
                .iter()
                .filter(|setting| setting.data_trace_enabled == Some(true))
                .map(|setting| {
                    if setting.resource_path == "*" && setting.http_method == "*" {
                        "every method".to_owned()
                    } else {
                        format!("`{} {}`", setting.http_method, setting.resource_path)
                    }
                })
                .collect();
            if traced.is_empty() {
                continue;
            }
            out.push(
                Self::META,
                &stage.origin,
                format!(
                    "stage `{}` logs full request and response bodies for {}: `dataTraceEnabled` writes headers and payloads, secrets included, to CloudWatch Logs",
                    stage.name,
                    traced.join(", ")
                ),
            )
            .help("turn data tracing off outside debugging; use access logs to record who called what");
        }
    }
}
