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
            let validator = Validator {
                models: &incoming.api.models,
            };
            let errors = match serde_json::from_slice::<Value>(&incoming.request.body) {
                Ok(body) => {
                    let mut errors = Vec::new();
                    validator.check(schema, &body, 0, &mut errors);
                    errors
                }
                Err(_) if incoming.request.body.is_empty() => {
                    vec!["Request body is empty or not valid JSON".to_string()]
                }
                Err(error) => vec![format!("Invalid JSON in request body: {error}")],
            };
            if !errors.is_empty() {
                return Err(GatewayError::BadRequestBody(format!(
                    "[{}]",
                    errors.join(", ")
                )));
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

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn json_list<'v>(items: impl Iterator<Item = &'v Value>) -> String {
    let texts: Vec<String> = items.map(Value::to_string).collect();
    format!("[{}]", texts.join(","))
}

impl Validator<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> Option<&'s Value> {
        let reference = schema.get("$ref")?.as_str()?;
        let name = reference.rsplit('/').next()?;
        self.models.get(name)
    }

    fn valid(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let mut errors = Vec::new();
        self.check(schema, value, depth, &mut errors);
        errors.is_empty()
    }

    /// Adds a message per violation, worded as API Gateway's validator words them.
    fn check(&self, schema: &Value, value: &Value, depth: usize, errors: &mut Vec<String>) {
        if depth > MAX_DEPTH {
            errors.push("schema nested too deeply".to_string());
            return;
        }
        let Some(object) = schema.as_object() else {
            return;
        };
        if object.contains_key("$ref") {
            if let Some(target) = self.resolve(schema) {
                self.check(target, value, depth + 1, errors);
            }
            return;
        }
        if let Some(expected) = object.get("type") {
            let allowed: Vec<&str> = match expected {
                Value::String(name) => vec![name.as_str()],
                Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !allowed.is_empty() && !allowed.iter().any(|name| type_matches(name, value)) {
                errors.push(format!(
                    "instance type ({}) does not match any allowed primitive type (allowed: {})",
                    type_name(value),
                    json_list(
                        allowed
                            .iter()
                            .map(|name| Value::String((*name).to_string()))
                            .collect::<Vec<_>>()
                            .iter()
                    )
                ));
                return;
            }
        }
        if let Some(Value::Array(options)) = object.get("enum") {
            if !options.contains(value) {
                errors.push(format!(
                    "instance value ({value}) not found in enum (possible values: {})",
                    json_list(options.iter())
                ));
            }
        }
        if let Some(number) = value.as_f64() {
            let bound = |key: &str| object.get(key).filter(|bound| bound.is_number());
            let exclusive = |key: &str| object.get(key).and_then(Value::as_bool).unwrap_or(false);
            if let Some(minimum) = bound("minimum") {
                let limit = minimum.as_f64().unwrap_or(f64::MIN);
                if number < limit || (exclusive("exclusiveMinimum") && number <= limit) {
                    errors.push(format!(
                        "numeric instance is lower than the required minimum (minimum: {minimum}, found: {value})"
                    ));
                }
            }
            if let Some(maximum) = bound("maximum") {
                let limit = maximum.as_f64().unwrap_or(f64::MAX);
                if number > limit || (exclusive("exclusiveMaximum") && number >= limit) {
                    errors.push(format!(
                        "numeric instance is greater than the required maximum (maximum: {maximum}, found: {value})"
                    ));
                }
            }
        }
        if let Some(text) = value.as_str() {
            let length = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
            if let Some(min) = object.get("minLength").and_then(Value::as_u64) {
                if length < min {
                    errors.push(format!(
                        "string {value} is too short (length: {length}, required minimum: {min})"
                    ));
                }
            }
            if let Some(max) = object.get("maxLength").and_then(Value::as_u64) {
                if length > max {
                    errors.push(format!(
                        "string {value} is too long (length: {length}, maximum allowed: {max})"
                    ));
                }
            }
            if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
                if regex::Regex::new(pattern).is_ok_and(|compiled| !compiled.is_match(text)) {
                    errors.push(format!(
                        "ECMA 262 regex \"{pattern}\" does not match input string {value}"
                    ));
                }
            }
        }
        if let Some(items) = value.as_array() {
            let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
            if let Some(min) = object.get("minItems").and_then(Value::as_u64) {
                if count < min {
                    errors.push(format!(
                        "array is too short: must have at least {min} elements but instance has {count} elements"
                    ));
                }
            }
            if let Some(max) = object.get("maxItems").and_then(Value::as_u64) {
                if count > max {
                    errors.push(format!(
                        "array is too long: must have at most {max} elements but instance has {count} elements"
                    ));
                }
            }
            if let Some(item_schema) = object.get("items").filter(|items| items.is_object()) {
                for item in items {
                    self.check(item_schema, item, depth + 1, errors);
                }
            }
        }
        if let Some(fields) = value.as_object() {
            if let Some(Value::Array(required)) = object.get("required") {
                let missing: Vec<&Value> = required
                    .iter()
                    .filter(|name| name.as_str().is_some_and(|name| !fields.contains_key(name)))
                    .collect();
                if !missing.is_empty() {
                    errors.push(format!(
                        "object has missing required properties ({})",
                        json_list(missing.into_iter())
                    ));
                }
            }
            let properties = object.get("properties").and_then(Value::as_object);
            let mut unexpected = Vec::new();
            for (name, field) in fields {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(field_schema) => self.check(field_schema, field, depth + 1, errors),
                    None => match object.get("additionalProperties") {
                        Some(Value::Bool(false)) => unexpected.push(Value::String(name.clone())),
                        Some(extra) if extra.is_object() => {
                            self.check(extra, field, depth + 1, errors);
                        }
                        _ => {}
                    },
                }
            }
            if !unexpected.is_empty() {
                errors.push(format!(
                    "object instance has properties which are not allowed by the schema: {}",
                    json_list(unexpected.iter())
                ));
            }
        }
        if let Some(Value::Array(all)) = object.get("allOf") {
            for part in all {
                self.check(part, value, depth + 1, errors);
            }
        }
        if let Some(Value::Array(any)) = object.get("anyOf") {
            if !any.iter().any(|part| self.valid(part, value, depth + 1)) {
                errors.push(
                    "instance failed to match at least one required schema among anyOf".to_string(),
                );
            }
        }
        if let Some(Value::Array(one)) = object.get("oneOf") {
            let matched = one
                .iter()
                .filter(|part| self.valid(part, value, depth + 1))
                .count();
            if matched != 1 {
                errors.push(format!(
                    "instance failed to match exactly one schema (matched {matched} out of {})",
                    one.len()
                ));
            }
        }
        if let Some(not) = object.get("not") {
            if self.valid(not, value, depth + 1) {
                errors.push("instance matched a schema which it should not have".to_string());
            }
        }
    }
}
