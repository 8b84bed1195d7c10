use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// An integration response sets an `Access-Control-*` header its method response does not declare.
    /// ## Why
    /// In a REST API a response header reaches the client only when the method response
    /// declares it; an integration response's `responseParameters` may map only
    /// `method.response.header.X` for a declared `X`. The importer refuses anything else:
    /// `Unable to put integration response on 'OPTIONS' for resource at path '/pets': Invalid
    /// mapping expression specified: … method.response.header.Access-Control-Allow-Origin`,
    /// and the import or the CloudFormation stack fails. This is the usual slip in hand-written
    /// CORS preflight methods.
    /// ## Fails
    /// ```yaml
    /// options:
    ///   responses:
    ///     "200": {description: preflight}
    ///   x-amazon-apigateway-integration:
    ///     type: mock
    ///     requestTemplates: {application/json: '{"statusCode": 200}'}
    ///     responses:
    ///       default:
    ///         statusCode: "200"
    ///         responseParameters:
    ///           method.response.header.Access-Control-Allow-Origin: "'*'"
    /// ```
    /// ## Passes
    /// ```yaml
    /// options:
    ///   responses:
    ///     "200":
    ///       description: preflight
    ///       headers:
    ///         Access-Control-Allow-Origin: {schema: {type: string}}
    ///   x-amazon-apigateway-integration:
    ///     type: mock
    ///     requestTemplates: {application/json: '{"statusCode": 200}'}
    ///     responses:
    ///       default:
    ///         statusCode: "200"
    ///         responseParameters:
    ///           method.response.header.Access-Control-Allow-Origin: "'*'"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/enable-cors-for-resource-using-swagger-importer-tool.html
    pub CorsHeaderUndeclared { code: "APIGW505", name: "cors-header-undeclared", severity: Error }
}

impl Rule for CorsHeaderUndeclared {
    fn check(&self, api: &Api, out: &mut Report) {
        for (route, integration) in crate::rules::mapped_rest_routes(api) {
            for response in &integration.responses {
                let Some(status) = &response.status_code else {
                    continue;
                };
                // A status with no method response at all is a different problem.
                let Some(method_response) = route
                    .responses
                    .iter()
                    .find(|candidate| candidate.status == status.value)
                else {
                    continue;
                };
                for (key, value) in &response.response_parameters {
                    let Some(header) = key.strip_prefix("method.response.header.") else {
                        continue;
                    };
                    if !super::is_cors_header(header) {
                        continue;
                    }
                    if method_response
                        .headers
                        .keys()
                        .any(|declared| declared.eq_ignore_ascii_case(header))
                    {
                        continue;
                    }
                    out.push(
                        Self::META,
                        &value.origin,
                        format!(
                            "`{}` maps `{header}`, but the method's `{}` response declares no `{header}` header; the import fails",
                            route.key, status.value
                        ),
                    )
                    .related(&method_response.origin, format!("the `{}` response", status.value))
                    .help(format!(
                        "declare the header on the `{}` response: `headers: {{{header}: {{schema: {{type: string}}}}}}`",
                        status.value
                    ));
                }
            }
        }
    }
}
