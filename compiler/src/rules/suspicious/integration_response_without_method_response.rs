use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// An integration response maps to a status code the method does not declare as a response.
    /// ## Why
    /// On a REST API an integration response can only return a status code that exists as a
    /// method response: API Gateway rejects the integration response (`Invalid Response status
    /// code specified`), so on import it is dropped with a warning and CloudFormation fails on
    /// it. Requests whose backend result it should have mapped get another response, or a 500.
    /// Declare the status under the operation's `responses`. Proxy integrations have no
    /// integration responses and are left alone, as are operations with a `default` response and
    /// operations that declare no responses at all (their method responses are managed
    /// elsewhere).
    /// ## Fails
    /// ```yaml
    /// get:
    ///   responses:
    ///     "200": {description: OK}
    ///   x-amazon-apigateway-integration:
    ///     type: mock
    ///     requestTemplates: {application/json: '{"statusCode": 200}'}
    ///     responses:
    ///       default: {statusCode: "201"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// get:
    ///   responses:
    ///     "201": {description: Created}
    ///   x-amazon-apigateway-integration:
    ///     type: mock
    ///     requestTemplates: {application/json: '{"statusCode": 200}'}
    ///     responses:
    ///       default: {statusCode: "201"}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-response.html
    pub IntegrationResponseWithoutMethodResponse { code: "APIGW806", name: "integration-response-without-method-response", severity: Warning }
}

impl Rule for IntegrationResponseWithoutMethodResponse {
    fn check(&self, api: &Api, out: &mut Report) {
        for (route, integration) in crate::rules::mapped_rest_routes(api) {
            if route.responses.is_empty()
                || route
                    .responses
                    .iter()
                    .any(|response| response.status.eq_ignore_ascii_case("default"))
            {
                continue;
            }
            for response in &integration.responses {
                let Some(status) = &response.status_code else {
                    continue;
                };
                let status_text = status.value.trim();
                if route
                    .responses
                    .iter()
                    .any(|declared| declared.status.trim() == status_text)
                {
                    continue;
                }
                let declared: Vec<&str> = route
                    .responses
                    .iter()
                    .map(|declared| declared.status.as_str())
                    .collect();
                let declared = format!("declares only {}", declared.join(", "));
                out.push(
                    Self::META,
                    &status.origin,
                    format!(
                        "integration response returns status {status_text}, but route `{}` {declared}: API Gateway refuses an integration response whose status has no method response (an import drops it with a warning)",
                        route.key
                    ),
                )
                .help(format!("add `\"{status_text}\"` to the operation's `responses`"));
            }
        }
    }
}
