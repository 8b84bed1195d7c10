use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, Schema};
use crate::rules::Rule;

declare_rule! {
    /// A model is defined but no route, response or other used model refers to it.
    /// ## Why
    /// A REST API imports every schema under `components.schemas` (`definitions` in Swagger 2.0)
    /// as a model, and all models together may take at most 400 KB. API Gateway uses a model only
    /// where a method request or response names it (request validation, SDK generation); one
    /// nothing refers to, directly or through another used model's `$ref`, has no effect. Often
    /// a `$ref` that should name it names another model. Shared schema libraries define models on
    /// purpose, so this is advice only, and a document whose routes use no model at all is left
    /// alone.
    /// ## Fails
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Order: {type: object}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       responses:
    ///         "200":
    ///           description: OK
    ///           content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    /// components:
    ///   schemas:
    ///     Order: {type: object}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
    pub UnusedModel { code: "APIGW801", name: "unused-model", severity: Info }
}

/// Adds to `out` the model names that `$ref`s inside `schema` point at.
fn collect_refs(schema: &serde_json::Value, out: &mut Vec<String>) {
    match schema {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", serde_json::Value::String(target)) => {
                        if let Some((_, name)) = target.rsplit_once('/') {
                            out.push(name.replace("~1", "/").replace("~0", "~"));
                        } else {
                            out.push(target.clone());
                        }
                    }
                    _ => collect_refs(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_refs(item, out);
            }
        }
        _ => {}
    }
}

fn schema_refs(schema: &Schema, out: &mut Vec<String>) {
    match schema {
        Schema::Model { name } => out.push(name.clone()),
        Schema::Inline { schema } => collect_refs(schema, out),
    }
}

impl Rule for UnusedModel {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Http || api.models.is_empty() {
            return;
        }
        let mut pending: Vec<String> = Vec::new();
        for route in &api.routes {
            for parameter in &route.parameters {
                if let Some(schema) = &parameter.schema {
                    schema_refs(schema, &mut pending);
                }
            }
            if let Some(body) = &route.request_body {
                for schema in body.content.values().flatten() {
                    schema_refs(schema, &mut pending);
                }
            }
            for response in &route.responses {
                for schema in response.content.values().flatten() {
                    schema_refs(schema, &mut pending);
                }
                for header in response.headers.values() {
                    if let Some(schema) = &header.schema {
                        schema_refs(schema, &mut pending);
                    }
                }
            }
            for response in &route.route_responses {
                pending.extend(response.models.values().cloned());
            }
        }
        let mut used: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !used.insert(name.clone()) {
                continue;
            }
            if let Some(model) = api.model(&name) {
                collect_refs(&model.schema, &mut pending);
            }
        }
        if !api.models.iter().any(|model| used.contains(&model.name)) {
            return;
        }
        for model in &api.models {
            if !used.contains(&model.name) {
                out.push(
                    Self::META,
                    &model.origin,
                    format!(
                        "model `{}` is defined but no route, response or used model refers to it",
                        model.name
                    ),
                )
                .help("refer to it where a request or response has this shape, or remove it");
            }
        }
    }
}
