//! What only OpenAPI 3.0 has: parameters with `schema`/`content`, `requestBody`, responses with
//! `content`, `servers` (with the base path API Gateway derives from them), and the
//! `components` sections.
//!
//! It does not read extensions (see `extensions`) or decide the route keys (see the parent).

use indexmap::IndexMap;

use crate::ir::{
    Api, Expr, MethodResponse, Parameter, ParameterLocation, RequestBody, ResponseHeader, Schema,
    Server, ServerVariable,
};
use crate::rules::structure::{IgnoredByImporter, InvalidEnumValue};

use super::reader::{contains_intrinsic, suggest, Cx, Loc};
use super::refs::Section;
use crate::load::tree::Node;

const LOCATIONS: &[&str] = &["path", "query", "header", "cookie"];

impl Cx<'_, '_> {
    /// An OpenAPI 3 parameter (following a `$ref`).
    pub fn oas3_parameter(&mut self, loc: Loc<'_>) -> Option<Parameter> {
        self.follow(loc, Section::Parameters, |cx, target| {
            cx.oas3_parameter_object(&target)
        })
        .flatten()
    }

    fn oas3_parameter_object(&mut self, loc: &Loc<'_>) -> Option<Parameter> {
        if !self.expect_map(loc) {
            return None;
        }
        let name = match loc.get("name") {
            Some(field) => self.text(&field)?,
            None => {
                self.missing(loc, "name", "the parameter");
                return None;
            }
        };
        let location = match loc.get("in") {
            Some(field) => {
                let text = self.string(&field)?;
                let parsed = parameter_location(&text);
                if text == "body" || text == "formData" {
                    self.report(
                        IgnoredByImporter::META,
                        &field,
                        format!("`in: {text}` is Swagger 2.0; API Gateway ignores this parameter in an OpenAPI 3 document"),
                    )
                    .help("describe the body with the operation's `requestBody`");
                    return None;
                }
                if parsed.is_none() {
                    let near = suggest(&text, LOCATIONS.iter().copied());
                    let pending = self.report(
                        InvalidEnumValue::META,
                        &field,
                        format!("`{text}` is not a parameter location"),
                    );
                    match near {
                        Some(near) => pending.help(format!("did you mean `{near}`?")),
                        None => pending.help("use path, query, header or cookie"),
                    };
                }
                parsed?
            }
            None => {
                self.missing(loc, "in", "the parameter")
                    .help("set `in` to path, query, header or cookie");
                return None;
            }
        };
        let required = loc
            .get("required")
            .and_then(|field| self.boolean(&field))
            .unwrap_or(false);
        let schema = match (loc.get("schema"), loc.get("content")) {
            (Some(schema), _) => self.schema(&schema),
            (None, Some(content)) => self.content(&content).into_values().flatten().next(),
            (None, None) => None,
        };
        Some(Parameter {
            origin: loc.origin(),
            name,
            location,
            // API Gateway path parameters are always required.
            required: required || location == ParameterLocation::Path,
            description: description(loc),
            schema,
        })
    }

    /// `requestBody` (following a `$ref`).
    pub fn oas3_request_body(&mut self, loc: Loc<'_>) -> Option<RequestBody> {
        self.follow(loc, Section::RequestBodies, |cx, target| {
            if !cx.expect_map(&target) {
                return None;
            }
            let content = match target.get("content") {
                Some(content) => cx.content(&content),
                None => IndexMap::new(),
            };
            Some(RequestBody {
                origin: target.origin(),
                required: target
                    .get("required")
                    .and_then(|field| cx.boolean(&field))
                    .unwrap_or(false),
                description: description(&target),
                content,
            })
        })
        .flatten()
    }

    /// A `content` map: media type → schema.
    pub fn content(&mut self, loc: &Loc<'_>) -> IndexMap<String, Option<Schema>> {
        let mut out = IndexMap::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (media_type, media) in loc.entries() {
            let schema = media.get("schema").and_then(|schema| self.schema(&schema));
            out.insert(media_type.to_owned(), schema);
        }
        out
    }

    /// An operation's `responses`.
    pub fn oas3_responses(&mut self, loc: &Loc<'_>) -> Vec<MethodResponse> {
        let mut out = Vec::with_capacity(loc.member_count());
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
                            if let Some(header) = cx.oas3_header(header) {
                                headers.insert(name.to_owned(), header);
                            }
                        }
                    }
                }
                let content = match target.get("content") {
                    Some(content) => cx.content(&content),
                    None => IndexMap::new(),
                };
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

    fn oas3_header(&mut self, loc: Loc<'_>) -> Option<ResponseHeader> {
        self.follow(loc, Section::Headers, |cx, target| {
            if !cx.expect_map(&target) {
                return None;
            }
            let schema = match (target.get("schema"), target.get("content")) {
                (Some(schema), _) => cx.schema(&schema),
                (None, Some(content)) => cx.content(&content).into_values().flatten().next(),
                (None, None) => None,
            };
            Some(ResponseHeader {
                required: target
                    .get("required")
                    .and_then(|field| cx.boolean(&field))
                    .unwrap_or(false),
                description: description(&target),
                schema,
            })
        })
        .flatten()
    }

    /// `servers`, the base path API Gateway takes from them, and the endpoint configuration an
    /// entry may carry.
    pub fn oas3_servers(&mut self, api: &mut Api, loc: &Loc<'_>) {
        if !self.expect_seq(loc) {
            return;
        }
        for server in loc.items() {
            if !self.expect_map(&server) {
                continue;
            }
            self.check_misplaced(
                &server,
                "a server",
                &["x-amazon-apigateway-endpoint-configuration"],
            );
            if let Some(extension) = server.get("x-amazon-apigateway-endpoint-configuration") {
                if api.endpoint.is_none() {
                    api.endpoint = self.endpoint_configuration(&extension);
                }
            }
            if !contains_intrinsic(server.node) {
                // The typed view checks the shape (a variable without `default` …); the values
                // are read below either way.
                let _checked = self.typed::<openapiv3::Server>(&server);
            }
            let Some(url) = server.get("url").and_then(|field| self.expr(&field)) else {
                continue;
            };
            let mut variables = IndexMap::new();
            if let Some(list) = server.get("variables") {
                for (name, variable) in list.entries() {
                    let default = variable
                        .get("default")
                        .and_then(|field| field.node.scalar_text())
                        .unwrap_or_default();
                    let enum_values = variable
                        .get("enum")
                        .map(|values| {
                            values
                                .items()
                                .filter_map(|item| item.node.scalar_text())
                                .collect()
                        })
                        .unwrap_or_default();
                    variables.insert(
                        name.to_owned(),
                        ServerVariable {
                            default,
                            enum_values,
                            description: description(&variable),
                        },
                    );
                }
            }
            api.servers.push(Server {
                origin: server.origin(),
                url: url.value,
                variables,
            });
        }
        api.base_path = base_path(&api.servers);
    }
}

fn parameter_location(text: &str) -> Option<ParameterLocation> {
    Some(match text {
        "path" => ParameterLocation::Path,
        "query" => ParameterLocation::Query,
        "header" => ParameterLocation::Header,
        "cookie" => ParameterLocation::Cookie,
        _ => return None,
    })
}

/// A `description` (or, failing that, nothing): free text, never reported.
pub(super) fn description(loc: &Loc<'_>) -> Option<String> {
    loc.node.get("description").and_then(Node::scalar_text)
}

/// The base path API Gateway derives from `servers` (developer guide "Set the OpenAPI basePath
/// property"; LS `test_import_rest_api_with_base_path_oas30`): a `basePath` server variable
/// wins, even when the URL does not use it (the first server that has one); otherwise the path
/// of the first server's URL, with its variables' defaults substituted.
pub(super) fn base_path(servers: &[Server]) -> Option<String> {
    if let Some(variable) = servers
        .iter()
        .find_map(|server| server.variables.get("basePath"))
    {
        return normalize_base_path(&variable.default);
    }
    let server = servers.first()?;
    let Expr::Literal { value } = &server.url else {
        return None;
    };
    let mut url = value.clone();
    for (name, variable) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let after_scheme = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|at| rest.get(at..)).unwrap_or(""),
        None => url.as_str(),
    };
    let path = after_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(after_scheme);
    normalize_base_path(path)
}

/// `/v1/` → `/v1`; `v1` → `/v1`; `/` and `` → none.
pub(super) fn normalize_base_path(path: &str) -> Option<String> {
    let trimmed = path.trim().trim_matches('/');
    (!trimmed.is_empty()).then(|| format!("/{trimmed}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Origin;

    fn server(url: &str, variables: &[(&str, &str)]) -> Server {
        Server {
            origin: Origin::default(),
            url: Expr::literal(url),
            variables: variables
                .iter()
                .map(|(name, default)| {
                    (
                        (*name).to_owned(),
                        ServerVariable {
                            default: (*default).to_owned(),
                            enum_values: Vec::new(),
                            description: None,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn base_path_follows_the_importer() {
        assert_eq!(
            base_path(&[server("https://testdomain.com/base-url/part/", &[])]).as_deref(),
            Some("/base-url/part")
        );
        assert_eq!(
            base_path(&[server(
                "https://testdomain.com",
                &[("basePath", "/base-var")]
            )])
            .as_deref(),
            Some("/base-var")
        );
        assert_eq!(
            base_path(&[server(
                "https://{restApiId}.execute-api.us-east-1.amazonaws.com/{basePath}",
                &[("restApiId", "abc"), ("basePath", "prod")]
            )])
            .as_deref(),
            Some("/prod")
        );
        assert_eq!(base_path(&[server("https://example.com/", &[])]), None);
        assert_eq!(base_path(&[server("/v1", &[])]).as_deref(), Some("/v1"));
    }
}
