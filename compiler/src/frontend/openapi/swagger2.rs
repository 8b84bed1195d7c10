//! What only Swagger 2.0 has: `body` and `formData` parameters (which become the request body,
//! one entry per `consumes` media type), parameter types written inline, responses with
//! `schema` and `produces`, and `host`/`basePath`/`schemes`.
//!
//! The result is the same IR an equivalent OpenAPI 3 document gives; nothing here is kept in
//! Swagger's own shape.

use indexmap::IndexMap;

use crate::ir::{
    Api, Expr, MethodResponse, Parameter, ParameterLocation, RequestBody, ResponseHeader, Schema,
    Server, TemplatePart,
};
use crate::rules::structure::InvalidEnumValue;

use super::oas3::{description, normalize_base_path};
use super::reader::{suggest, Cx, Loc};
use super::refs::Section;

const LOCATIONS: &[&str] = &["path", "query", "header", "body", "formData"];

/// The keys of a Swagger 2.0 parameter or header that describe its value (its schema).
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "collectionFormat",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// A Swagger 2.0 parameter, by where it goes in the IR.
enum Input {
    Parameter(Parameter),
    Body {
        origin: crate::ir::Origin,
        required: bool,
        description: Option<String>,
        schema: Option<Schema>,
    },
    Form {
        origin: crate::ir::Origin,
        name: String,
        required: bool,
        schema: serde_json::Value,
    },
}

impl Cx<'_, '_> {
    /// An operation's parameters and request body from the path item's and the operation's
    /// `parameters` (the operation's win by name and location).
    pub fn swagger_inputs(
        &mut self,
        path_parameters: Option<Loc<'_>>,
        operation_parameters: Option<Loc<'_>>,
        consumes: &[String],
    ) -> (Vec<Parameter>, Option<RequestBody>) {
        let mut inputs: Vec<(String, String, Input)> = Vec::new();
        for list in [path_parameters, operation_parameters]
            .into_iter()
            .flatten()
        {
            if !self.expect_seq(&list) {
                continue;
            }
            for item in list.items() {
                let Some(input) = self
                    .follow(item, Section::Parameters, |cx, target| {
                        cx.swagger_parameter(&target)
                    })
                    .flatten()
                else {
                    continue;
                };
                let key = match &input {
                    Input::Parameter(parameter) => (
                        parameter.name.clone(),
                        parameter.location.as_str().to_owned(),
                    ),
                    Input::Body { .. } => (String::new(), "body".to_owned()),
                    Input::Form { name, .. } => (name.clone(), "formData".to_owned()),
                };
                match inputs
                    .iter_mut()
                    .find(|(name, location, _)| (name, location) == (&key.0, &key.1))
                {
                    Some(slot) => slot.2 = input,
                    None => inputs.push((key.0, key.1, input)),
                }
            }
        }

        let mut parameters = Vec::new();
        let mut body = None;
        let mut form_properties = serde_json::Map::new();
        let mut form_required = Vec::new();
        let mut form_origin = None;
        for (_, _, input) in inputs {
            match input {
                Input::Parameter(parameter) => parameters.push(parameter),
                Input::Body {
                    origin,
                    required,
                    description,
                    schema,
                } => {
                    let media_types = if consumes.is_empty() {
                        vec!["application/json".to_owned()]
                    } else {
                        consumes.to_vec()
                    };
                    body = Some(RequestBody {
                        origin,
                        required,
                        description,
                        content: media_types
                            .into_iter()
                            .map(|media_type| (media_type, schema.clone()))
                            .collect(),
                    });
                }
                Input::Form {
                    origin,
                    name,
                    required,
                    schema,
                } => {
                    if required {
                        form_required.push(serde_json::Value::String(name.clone()));
                    }
                    form_properties.insert(name, schema);
                    form_origin.get_or_insert(origin);
                }
            }
        }
        if body.is_none() && !form_properties.is_empty() {
            let media_type = if consumes.iter().any(|media| media == "multipart/form-data") {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            };
            let mut schema = serde_json::Map::new();
            schema.insert("type".into(), "object".into());
            schema.insert(
                "properties".into(),
                serde_json::Value::Object(form_properties),
            );
            if !form_required.is_empty() {
                schema.insert(
                    "required".into(),
                    serde_json::Value::Array(form_required.clone()),
                );
            }
            let mut content = IndexMap::new();
            content.insert(
                media_type.to_owned(),
                Some(Schema::Inline {
                    schema: serde_json::Value::Object(schema),
                }),
            );
            body = Some(RequestBody {
                origin: form_origin.unwrap_or_default(),
                required: !form_required.is_empty(),
                description: None,
                content,
            });
        }
        (parameters, body)
    }

    fn swagger_parameter(&mut self, loc: &Loc<'_>) -> Option<Input> {
        if !self.expect_map(loc) {
            return None;
        }
        let location = match loc.get("in") {
            Some(field) => {
                let text = self.string(&field)?;
                if !LOCATIONS.contains(&text.as_str()) {
                    let near = suggest(&text, LOCATIONS.iter().copied());
                    let pending = self.report(
                        InvalidEnumValue::META,
                        &field,
                        format!("`{text}` is not a parameter location"),
                    );
                    match near {
                        Some(near) => pending.help(format!("did you mean `{near}`?")),
                        None => pending.help("use path, query, header, body or formData"),
                    };
                    return None;
                }
                text
            }
            None => {
                self.missing(loc, "in", "the parameter")
                    .help("set `in` to path, query, header, body or formData");
                return None;
            }
        };
        let required = loc
            .get("required")
            .and_then(|field| self.boolean(&field))
            .unwrap_or(false);
        if location == "body" {
            return Some(Input::Body {
                origin: loc.origin(),
                required,
                description: description(loc),
                schema: loc.get("schema").and_then(|schema| self.schema(&schema)),
            });
        }
        let name = match loc.get("name") {
            Some(field) => self.text(&field)?,
            None => {
                self.missing(loc, "name", "the parameter");
                return None;
            }
        };
        let schema_json = match loc.get("schema") {
            Some(schema) => Some(self.schema_json(&schema)),
            None => self.inline_type(loc),
        };
        if location == "formData" {
            return Some(Input::Form {
                origin: loc.origin(),
                name,
                required,
                schema: schema_json.unwrap_or_else(|| serde_json::json!({"type": "string"})),
            });
        }
        let location = match location.as_str() {
            "path" => ParameterLocation::Path,
            "header" => ParameterLocation::Header,
            _ => ParameterLocation::Query,
        };
        Some(Input::Parameter(Parameter {
            origin: loc.origin(),
            name,
            location,
            required: required || location == ParameterLocation::Path,
            description: description(loc),
            schema: schema_json.map(|schema| Schema::Inline { schema }),
        }))
    }

    /// The schema written inline on a Swagger 2.0 parameter or header (`type`, `format` …).
    fn inline_type(&mut self, loc: &Loc<'_>) -> Option<serde_json::Value> {
        let mut schema = serde_json::Map::new();
        for (key, value) in loc.entries() {
            if SCHEMA_KEYS.contains(&key) {
                let json = if key == "items" {
                    self.schema_json(&value)
                } else {
                    value.node.to_json()
                };
                schema.insert(key.to_owned(), json);
            }
        }
        (!schema.is_empty()).then_some(serde_json::Value::Object(schema))
    }

    /// An operation's `responses`; each `schema` is offered in every `produces` media type.
    pub fn swagger_responses(&mut self, loc: &Loc<'_>, produces: &[String]) -> Vec<MethodResponse> {
        let mut out = Vec::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (status, response) in loc.entries() {
            let status = status.to_owned();
            let lowered = self.follow(response, Section::Responses, |cx, target| {
                if !cx.expect_map(&target) {
                    return None;
                }
                let mut headers = IndexMap::new();
                if let Some(list) = target.get("headers") {
                    if cx.expect_map(&list) {
                        for (name, header) in list.entries() {
                            let required = header
                                .get("required")
                                .and_then(|field| cx.boolean(&field))
                                .unwrap_or(false);
                            let schema = cx
                                .inline_type(&header)
                                .map(|schema| Schema::Inline { schema });
                            headers.insert(
                                name.to_owned(),
                                ResponseHeader {
                                    required,
                                    description: description(&header),
                                    schema,
                                },
                            );
                        }
                    }
                }
                let mut content = IndexMap::new();
                if let Some(schema) = target.get("schema") {
                    let schema = cx.schema(&schema);
                    if produces.is_empty() {
                        content.insert("application/json".to_owned(), schema);
                    } else {
                        for media_type in produces {
                            content.insert(media_type.clone(), schema.clone());
                        }
                    }
                }
                Some(MethodResponse {
                    origin: target.origin(),
                    status: status.clone(),
                    description: description(&target),
                    headers,
                    content,
                })
            });
            if let Some(response) = lowered.flatten() {
                out.push(response);
            }
        }
        out
    }

    /// `consumes` or `produces`: a list of media types.
    pub fn media_types(&mut self, loc: &Loc<'_>) -> Vec<String> {
        self.string_list(loc)
            .into_iter()
            .map(|item| item.value)
            .collect()
    }

    /// `host`, `basePath` and `schemes` → servers and the base path.
    pub fn swagger_servers(&mut self, api: &mut Api, spec: &Loc<'_>) {
        let host = spec.get("host").and_then(|field| self.expr(&field));
        let base_path = spec.get("basePath").and_then(|field| self.expr(&field));
        if let Some(Expr::Literal { value }) = base_path.as_ref().map(|path| &path.value) {
            api.base_path = normalize_base_path(value);
        }
        let Some(host) = host else {
            return;
        };
        let schemes: Vec<String> = match spec.get("schemes") {
            Some(field) => self.media_types(&field),
            None => Vec::new(),
        };
        let schemes = if schemes.is_empty() {
            vec!["https".to_owned()]
        } else {
            schemes
        };
        for scheme in schemes {
            let mut pieces = vec![Expr::literal(format!("{scheme}://")), host.value.clone()];
            if let Some(path) = &base_path {
                pieces.push(path.value.clone());
            }
            let Some(url) = concat(pieces) else {
                // A host or base path chosen by `Fn::If` is only known at deploy time.
                continue;
            };
            api.servers.push(Server {
                origin: host.origin.clone(),
                url,
                variables: IndexMap::new(),
            });
        }
    }
}

/// Concatenates text and deploy-time values into one expression; `None` when a part is an
/// opaque intrinsic.
fn concat(pieces: Vec<Expr>) -> Option<Expr> {
    let mut parts = Vec::new();
    for piece in pieces {
        match piece {
            Expr::Literal { value } => parts.push(TemplatePart::Text { value }),
            Expr::Ref { name } => parts.push(TemplatePart::Ref { name }),
            Expr::GetAtt {
                resource,
                attribute,
            } => parts.push(TemplatePart::GetAtt {
                resource,
                attribute,
            }),
            Expr::Template { parts: inner } => parts.extend(inner),
            Expr::Intrinsic { .. } => return None,
        }
    }
    // Adjacent text parts are merged so that an all-literal URL stays a literal.
    let mut merged: Vec<TemplatePart> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (Some(TemplatePart::Text { value: last }), TemplatePart::Text { value }) => {
                last.push_str(&value);
            }
            (_, part) => merged.push(part),
        }
    }
    Some(match merged.as_slice() {
        [TemplatePart::Text { value }] => Expr::literal(value.clone()),
        _ => Expr::Template { parts: merged },
    })
}
