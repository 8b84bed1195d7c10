use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, Expr, Origin};
use crate::rules::Rule;

declare_rule! {
    /// An integration uses a stage variable that none of the document's stages defines.
    /// ## Why
    /// API Gateway substitutes `${stageVariables.name}` at request time from the stage that was
    /// called. When that stage has no such variable, the value is empty: the URI becomes invalid
    /// or points elsewhere, and every request to the route fails with a 500 (`Internal server
    /// error`). The rule runs only when the document declares its stages (a template or apigw's
    /// DSL); stages managed elsewhere may define variables apigw cannot see.
    /// ## Fails
    /// ```yaml
    /// apigw: 1
    /// name: orders
    /// routes:
    ///   GET /orders: {http: "https://${stageVariables.backend}/orders", auth: none}
    /// stages:
    ///   prod: {variables: {host: orders.example.com}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// apigw: 1
    /// name: orders
    /// routes:
    ///   GET /orders: {http: "https://${stageVariables.backend}/orders", auth: none}
    /// stages:
    ///   prod: {variables: {backend: orders.example.com}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
    pub UndefinedStageVariable { code: "APIGW808", name: "undefined-stage-variable", severity: Warning }
}

const PREFIX: &str = "${stageVariables.";

/// The stage variable names `${stageVariables.x}` in `text` uses.
fn used_variables(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(PREFIX) {
        let after = rest.get(start + PREFIX.len()..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            break;
        };
        if let Some(name) = after.get(..end) {
            out.push(name);
        }
        rest = after.get(end..).unwrap_or_default();
    }
    out
}

impl Rule for UndefinedStageVariable {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.stages.is_empty() {
            return;
        }
        let defined: BTreeSet<&str> = api
            .stages
            .iter()
            .flat_map(|stage| {
                stage.variables.keys().chain(
                    stage
                        .canary
                        .iter()
                        .flat_map(|canary| canary.variables.keys()),
                )
            })
            .map(String::as_str)
            .collect();
        let mut values: Vec<(&Expr, &Origin)> = Vec::new();
        for integration in api.integrations() {
            for spanned in [
                &integration.uri,
                &integration.connection_id,
                &integration.credentials,
            ]
            .into_iter()
            .flatten()
            {
                values.push((&spanned.value, &spanned.origin));
            }
        }
        for authorizer in &api.authorizers {
            if let Some(uri) = &authorizer.uri {
                values.push((&uri.value, &uri.origin));
            }
        }
        let stages: Vec<String> = api
            .stages
            .iter()
            .map(|stage| format!("`{}`", stage.name))
            .collect();
        for (value, origin) in values {
            let Some(text) = value.known_text() else {
                continue;
            };
            let mut reported = BTreeSet::new();
            for name in used_variables(&text) {
                if defined.contains(name) || !reported.insert(name.to_owned()) {
                    continue;
                }
                out.push(
                    Self::META,
                    origin,
                    format!(
                        "`${{stageVariables.{name}}}` is used here, but no stage defines `{name}` (stages: {}); API Gateway substitutes an empty value and the request fails",
                        stages.join(", ")
                    ),
                )
                .help(format!("define `{name}` in the variables of every stage that serves this route"));
            }
        }
    }
}
