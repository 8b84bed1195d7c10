use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, SecuritySchemeKind, SourceFormat};
use crate::rules::Rule;

declare_rule! {
    /// Routes require an API key, but the template declares no usage plan for the API.
    /// ## Why
    /// A REST method with `apiKeyRequired` accepts a key only if the key belongs to a usage plan
    /// that covers the API's stage: API Gateway answers every other request, with or without a
    /// key, `403 Forbidden`. Usage plans and keys cannot be written in OpenAPI, so the rule runs
    /// only on CloudFormation/SAM templates and apigw's DSL, which can declare them
    /// (`AWS::ApiGateway::UsagePlan`, SAM `Auth.UsagePlan`, the DSL's `usage_plans`). HTTP and
    /// WebSocket APIs have no usage plans of this kind and are left alone.
    /// ## Fails
    /// ```yaml
    /// apigw: 1
    /// name: orders
    /// routes:
    ///   GET /orders: {function: orders, auth: none, api_key: true}
    /// ```
    /// ## Passes
    /// ```yaml
    /// apigw: 1
    /// name: orders
    /// routes:
    ///   GET /orders: {function: orders, auth: none, api_key: true}
    /// stages: {prod: {}}
    /// api_keys: {partner: {}}
    /// usage_plans: {partners: {stages: [prod], api_keys: [partner]}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
    pub ApiKeyRequiredWithoutUsagePlan { code: "APIGW702", name: "api-key-required-without-usage-plan", severity: Warning }
}

impl Rule for ApiKeyRequiredWithoutUsagePlan {
    fn check(&self, api: &Api, out: &mut Report) {
        let declares_plans = api.format == Some(SourceFormat::Dsl)
            || api.format == Some(SourceFormat::Template)
            || api.logical_id.is_some();
        if api.kind != ApiKind::Rest || !declares_plans || !api.usage_plans.is_empty() {
            return;
        }
        let key_schemes: Vec<&str> = api
            .security_schemes
            .iter()
            .filter(|scheme| matches!(scheme.kind, SecuritySchemeKind::ApiKey { .. }))
            .map(|scheme| scheme.name.as_str())
            .collect();
        let mut keyed = api.routes.iter().filter(|route| {
            api.effective_security(route).is_some_and(|requirements| {
                requirements.iter().any(|requirement| {
                    requirement
                        .schemes
                        .keys()
                        .any(|name| key_schemes.contains(&name.as_str()))
                })
            })
        });
        let Some(first) = keyed.next() else {
            return;
        };
        let others = keyed.count();
        let routes = if others == 0 {
            format!("route `{}` requires", first.key)
        } else {
            format!(
                "route `{}` and {others} other route{} require",
                first.key,
                if others == 1 { "" } else { "s" }
            )
        };
        out.push(
            Self::META,
            &first.origin,
            format!("{routes} an API key, but no usage plan covers this API: API Gateway answers every request to them 403 Forbidden"),
        )
        .help("declare a usage plan for the API's stage and add the clients' API keys to it (`AWS::ApiGateway::UsagePlan` and `UsagePlanKey`, SAM `Auth.UsagePlan`, or the DSL's `usage_plans`)");
    }
}
