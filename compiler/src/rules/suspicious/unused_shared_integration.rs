use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// A shared integration in `components.x-amazon-apigateway-integrations` is used by no route.
    /// ## Why
    /// HTTP APIs let routes share an integration with
    /// `x-amazon-apigateway-integration: {$ref: "#/components/x-amazon-apigateway-integrations/NAME"}`.
    /// API Gateway creates each shared integration when the document is imported, and an HTTP
    /// API may have at most 300 integrations; one no route refers to serves no request, and is
    /// usually meant for a route whose `$ref` points elsewhere.
    /// ## Fails
    /// ```yaml
    /// components:
    ///   x-amazon-apigateway-integrations:
    ///     orders: {type: aws_proxy, httpMethod: POST, payloadFormatVersion: "2.0", uri: "${orders_arn}"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       x-amazon-apigateway-integration: {$ref: "#/components/x-amazon-apigateway-integrations/orders"}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integrations.html
    pub UnusedSharedIntegration { code: "APIGW804", name: "unused-shared-integration", severity: Warning }
}

impl Rule for UnusedSharedIntegration {
    fn check(&self, api: &Api, out: &mut Report) {
        for (name, integration) in &api.shared_integrations {
            let used = api.routes.iter().any(|route| {
                route
                    .integration
                    .as_ref()
                    .and_then(|it| it.shared_name.as_deref())
                    == Some(name.as_str())
            });
            if !used {
                out.push(
                    Self::META,
                    &integration.origin,
                    format!("shared integration `{name}` is used by no route"),
                )
                .help(format!("refer to it from a route with `$ref: \"#/components/x-amazon-apigateway-integrations/{name}\"`, or remove it"));
            }
        }
    }
}
