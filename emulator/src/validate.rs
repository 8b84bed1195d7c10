//! Request validation as a REST API's request validator does it: required parameters
//! (headers, path, query string) and the body against its model, a JSON Schema draft 4 subset
//! (type, required, properties, additionalProperties, items, enum, bounds, lengths, pattern,
//! allOf/anyOf/oneOf/not, `$ref` to the API's models). Depth is bounded.

use indexmap::IndexMap;
use serde_json::Value;

use crate::event::Incoming;
use crate::gateway_response::GatewayError;
use crate::plan::ValidationPlan;

/// Deepest schema nesting followed (including `$ref` hops).
const MAX_DEPTH: usize = 64;

/// Checks `incoming` against `plan`; the first failure is API Gateway's error.
pub fn check(plan: &ValidationPlan, incoming: &Incoming<'_>) -> Result<(), GatewayError> {
    if plan.validate_parameters {
        let query = crate::event::query_pairs(incoming.request.query());
        // AWS lists missing parameters by location: headers, then path, then query string.
        let mut missing: Vec<(u8, String)> = Vec::new();
        for (location, name) in &plan.required_parameters {
            let (order, present) = match location.as_str() {
                "header" => (0, incoming.request.header(name).is_some()),
                "path" => (1, incoming.path_parameters.contains_key(name)),
                "query" => (2, query.iter().any(|(key, _)| key == name)),
                _ => continue,
            };
            if !present {
                missing.push((order, name.clone()));
            }
        }
        missing.sort_by_key(|(order, _)| *order);
        if !missing.is_empty() {
            return Err(GatewayError::BadRequestParameters(
                missing.into_iter().map(|(_, name)| name).collect(),
            ));
        }
    }
    if plan.validate_body && !plan.body_schemas.is_empty() {
        let content_type = incoming.request.header("content-type").map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        let schema = content_type
            .as_deref()
            .and_then(|content_type| plan.body_schemas.get(content_type))
            .or_else(|| plan.body_schemas.get("application/json"))
            .or_else(|| plan.body_schemas.values().next());
        if let Some(schema) = schema {
            let body: Option<Value> = serde_json::from_slice(&incoming.request.body).ok();
            let valid = body.is_some_and(|body| {
                Validator {
                    models: &incoming.api.models,
                }
                .valid(schema, &body, 0)
            });
            if !valid {
                return Err(GatewayError::BadRequestBody);
            }
        }
    }
    Ok(())
}

struct Validator<'a> {
    models: &'a IndexMap<String, Value>,
}

fn type_matches(expected: &str, value: &Value) -> bool {
    match expected {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64()
                || value.is_u64()
                || value.as_f64().is_some_and(|number| number.fract() == 0.0)
        }
        _ => true,
    }
}

impl Validator<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> Option<&'s Value> {
        let reference = schema.get("$ref")?.as_str()?;
        let name = reference.rsplit('/').next()?;
        self.models.get(name)
    }

    fn valid(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let Some(object) = schema.as_object() else {
            return true;
        };
        if object.contains_key("$ref") {
            return match self.resolve(schema) {
                Some(target) => self.valid(target, value, depth + 1),
                None => true,
            };
        }
        if let Some(expected) = object.get("type") {
            let matches = match expected {
                Value::String(name) => type_matches(name, value),
                Value::Array(names) => names
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|name| type_matches(name, value)),
                _ => true,
            };
            if !matches {
                return false;
            }
        }
        if let Some(Value::Array(options)) = object.get("enum") {
            if !options.contains(value) {
                return false;
            }
        }
        if let Some(number) = value.as_f64() {
            let bound = |key: &str| object.get(key).and_then(Value::as_f64);
            let exclusive = |key: &str| object.get(key).and_then(Value::as_bool).unwrap_or(false);
            if let Some(minimum) = bound("minimum") {
                if number < minimum || (exclusive("exclusiveMinimum") && number <= minimum) {
                    return false;
                }
            }
            if let Some(maximum) = bound("maximum") {
                if number > maximum || (exclusive("exclusiveMaximum") && number >= maximum) {
                    return false;
                }
            }
        }
        if let Some(text) = value.as_str() {
            let length = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
            if object
                .get("minLength")
                .and_then(Value::as_u64)
                .is_some_and(|min| length < min)
            {
                return false;
            }
            if object
                .get("maxLength")
                .and_then(Value::as_u64)
                .is_some_and(|max| length > max)
            {
                return false;
            }
            if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
                if regex::Regex::new(pattern).is_ok_and(|pattern| !pattern.is_match(text)) {
                    return false;
                }
            }
        }
        if let Some(items) = value.as_array() {
            let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
            if object
                .get("minItems")
                .and_then(Value::as_u64)
                .is_some_and(|min| count < min)
            {
                return false;
            }
            if object
                .get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|max| count > max)
            {
                return false;
            }
            if let Some(item_schema) = object.get("items").filter(|items| items.is_object()) {
                if !items
                    .iter()
                    .all(|item| self.valid(item_schema, item, depth + 1))
                {
                    return false;
                }
            }
        }
        if let Some(fields) = value.as_object() {
            if let Some(Value::Array(required)) = object.get("required") {
                if !required
                    .iter()
                    .filter_map(Value::as_str)
                    .all(|name| fields.contains_key(name))
                {
                    return false;
                }
            }
            let properties = object.get("properties").and_then(Value::as_object);
            for (name, field) in fields {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(field_schema) => {
                        if !self.valid(field_schema, field, depth + 1) {
                            return false;
                        }
                    }
                    None => match object.get("additionalProperties") {
                        Some(Value::Bool(false)) => return false,
                        Some(extra)
                            if extra.is_object() && !self.valid(extra, field, depth + 1) =>
                        {
                            return false;
                        }
                        _ => {}
                    },
                }
            }
        }
        if let Some(Value::Array(all)) = object.get("allOf") {
            if !all.iter().all(|part| self.valid(part, value, depth + 1)) {
                return false;
            }
        }
        if let Some(Value::Array(any)) = object.get("anyOf") {
            if !any.iter().any(|part| self.valid(part, value, depth + 1)) {
                return false;
            }
        }
        if let Some(Value::Array(one)) = object.get("oneOf") {
            if one
                .iter()
                .filter(|part| self.valid(part, value, depth + 1))
                .count()
                != 1
            {
                return false;
            }
        }
        if let Some(not) = object.get("not") {
            if self.valid(not, value, depth + 1) {
                return false;
            }
        }
        true
    }
}
