use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A REST API model (schema) name has characters other than letters and digits.
    /// ## Why
    /// Every schema of a REST API becomes an API Gateway model, and a model name must be
    /// alphanumeric. The importer stops at the first other character: "Unable to create model for
    /// 'Pet-Input': Model name must be alphanumeric: Pet-Input", and nothing is imported. HTTP
    /// APIs have no models.
    /// ## Fails
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Pet-Input: {type: object}
    /// ```
    /// ## Passes
    /// ```yaml
    /// components:
    ///   schemas:
    ///     PetInput: {type: object}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html
    pub ModelNameNotAlphanumeric { code: "APIGW403", name: "model-name-not-alphanumeric", severity: Error }
}

impl Rule for ModelNameNotAlphanumeric {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        for model in &api.models {
            let Some(bad) = model.name.chars().find(|c| !c.is_ascii_alphanumeric()) else {
                continue;
            };
            let fixed: String = model
                .name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let pending = out.push(
                Self::META,
                &model.origin,
                format!("model name `{}` contains `{bad}`; API Gateway model names must be alphanumeric", model.name),
            );
            if fixed.is_empty() || api.model(&fixed).is_some() {
                pending.help(
                    "rename the schema with letters and digits only, and its `$ref`s with it",
                );
            } else {
                pending.help(format!(
                    "rename the schema `{fixed}`, and its `$ref`s with it"
                ));
            }
        }
    }
}
