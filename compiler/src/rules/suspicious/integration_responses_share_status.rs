use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// Two integration responses of one integration return the same status code.
    /// ## Why
    /// A REST integration keeps its integration responses by status code (`PutIntegrationResponse`
    /// takes the status code as the key; the selection pattern is one property of it). Two
    /// responses for one status therefore cannot both exist: the one imported last replaces the
    /// other, with its selection pattern, templates and header mappings, and results the first
    /// one's pattern was meant to catch fall through to the default response. Write one pattern
    /// that matches both (`4\d{2}|Not found.*`).
    /// ## Fails
    /// ```yaml
    /// responses:
    ///   "4\\d{2}": {statusCode: "400"}
    ///   "Invalid.*": {statusCode: "400"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// responses:
    ///   "4\\d{2}|Invalid.*": {statusCode: "400"}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
    pub IntegrationResponsesShareStatus { code: "APIGW807", name: "integration-responses-share-status", severity: Warning }
}

impl Rule for IntegrationResponsesShareStatus {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for integration in api.integrations() {
            let mut seen: Vec<(&str, &crate::ir::IntegrationResponse)> = Vec::new();
            for response in &integration.responses {
                let Some(status) = &response.status_code else {
                    continue;
                };
                let status_text = status.value.trim();
                if let Some((_, first)) = seen.iter().find(|(code, _)| *code == status_text) {
                    out.push(
                        Self::META,
                        &status.origin,
                        format!(
                            "integration responses `{}` and `{}` both return status {status_text}; API Gateway keeps one integration response per status, so one replaces the other",
                            first.selection_pattern, response.selection_pattern
                        ),
                    )
                    .help("merge them into one response whose selection pattern matches both (`a|b`)")
                    .related(&first.origin, format!("`{}` also returns {status_text}", first.selection_pattern));
                } else {
                    seen.push((status_text, response));
                }
            }
        }
    }
}
