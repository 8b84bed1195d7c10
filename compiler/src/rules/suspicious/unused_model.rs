use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

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
/// The model names `$ref`s inside `schema` point at, borrowed unless the name is escaped.
fn collect_refs<'a>(schema: &'a serde_json::Value, out: &mut Vec<Cow<'a, str>>) {
    match schema {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", serde_json::Value::String(target)) => {
                        let name = target
                            .rsplit_once('/')
                            .map_or(target.as_str(), |(_, name)| name);
                        out.push(if name.contains('~') {
                            Cow::Owned(name.replace("~1", "/").replace("~0", "~"))
                        } else {
                            Cow::Borrowed(name)
                        });
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

fn schema_refs<'a>(schema: &'a Schema, out: &mut Vec<Cow<'a, str>>) {
    match schema {
        Schema::Model { name } => out.push(Cow::Borrowed(name)),
        Schema::Inline { schema } => collect_refs(schema, out),
    }
}

impl Rule for UnusedModel {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Http || api.models.is_empty() {
            return;
        }
        let mut pending: Vec<Cow<'_, str>> = Vec::new();
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
                pending.extend(
                    response
                        .models
                        .values()
                        .map(|name| Cow::Borrowed(name.as_str())),
                );
            }
        }
        // The first model of a name is the one a `$ref` finds.
        let mut models: HashMap<&str, &crate::ir::Model> = HashMap::new();
        for model in &api.models {
            models.entry(model.name.as_str()).or_insert(model);
        }
        let mut used: HashSet<Cow<'_, str>> = HashSet::new();
        while let Some(name) = pending.pop() {
            if used.contains(&name) {
                continue;
            }
            if let Some(model) = models.get(name.as_ref()) {
                collect_refs(&model.schema, &mut pending);
            }
            used.insert(name);
        }
        if !api
            .models
            .iter()
            .any(|model| used.contains(model.name.as_str()))
        {
            return;
        }
        for model in &api.models {
            if !used.contains(model.name.as_str()) {
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
