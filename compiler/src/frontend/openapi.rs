//! OpenAPI 3.0 and Swagger 2.0 → IR, with every `x-amazon-apigateway-*` extension typed.
//!
//! This module picks the format (refusing the versions API Gateway does not import) and the API
//! kind, reads the document root and the paths into routes, and leaves the rest to its parts:
//! `oas3` and `swagger2` (what differs between the formats), `extensions` (API Gateway's
//! extensions), `security` (schemes and requirements), `refs` (`$ref`s and schemas),
//! `functions` (Lambda functions named by URIs) and `reader` (typed reads and reports).
//!
//! It reads the located tree only through `reader`, and reports problems of shape; what the
//! values mean to API Gateway is checked later by the rules on the IR.

mod extensions;
mod functions;
mod oas3;
mod reader;
mod refs;
mod security;
mod swagger2;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use indexmap::IndexMap;

use super::{LoadedFile, Session};
use crate::diagnostic::At;
use crate::frontend::expr;
use crate::ir::{
    Api, ApiKind, Function, HttpMethod, Model, Origin, Parameter, Route, RouteKey, SourceFormat,
    TagDefinition,
};
use crate::load::tree::Node;
use crate::pointer::Pointer;
use crate::rules::structure::{
    InvalidValue, RefCycle, UnknownExtension, UnknownField, UnsupportedSpecVersion, WrongType,
};

use reader::{Cx, Dialect, Doc, Loc};
use refs::{Index, Section};

/// The path item keys that are operations, as OpenAPI spells them.
/// The fixed fields of the document root, a path item and an operation, by dialect (OpenAPI
/// 3.0.3 and Swagger 2.0, "Fixed Fields"). `isDefaultRoute` is API Gateway's own, on the
/// operations of an HTTP API's `$default` route in its exports.
const OAS3_ROOT_FIELDS: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
];
const SWAGGER2_ROOT_FIELDS: &[&str] = &[
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
];
const OAS3_PATH_ITEM_FIELDS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
];
const SWAGGER2_PATH_ITEM_FIELDS: &[&str] = &[
    "$ref",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "parameters",
];
const OAS3_OPERATION_FIELDS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
    "isDefaultRoute",
];
const SWAGGER2_OPERATION_FIELDS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "consumes",
    "produces",
    "parameters",
    "responses",
    "schemes",
    "deprecated",
    "security",
    "isDefaultRoute",
];

const METHODS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "x-amazon-apigateway-any-method",
];

/// Lowers the spec at `base` in `file` (the root for a standalone document, a template's
/// `Body`/`DefinitionBody` for an embedded one). `logical_id` names the template resource that
/// embeds it; `kind_hint` is the kind that resource declares (an `AWS::ApiGatewayV2::Api` or
/// `AWS::Serverless::HttpApi` is an HTTP API whatever its body says). Returns `None` when the
/// document is refused (its version, its shape); the reason is in the session's report.
pub(crate) fn lower(
    session: &mut Session<'_>,
    file: &Arc<LoadedFile>,
    base: &Pointer,
    logical_id: Option<&str>,
    kind_hint: Option<ApiKind>,
) -> Option<Api> {
    let root = file.root.as_ref()?;
    let spec = root.at(base)?;
    let doc = Doc {
        file: file.id,
        path: &file.path,
        root: spec,
        base,
        is_main: true,
    };
    let loc = Loc::new(doc, spec, base.clone());
    if spec.as_map().is_none() || expr::intrinsic_name(spec).is_some() {
        if expr::intrinsic_name(spec).is_none() {
            session.report.push_at(
                WrongType::META,
                At::Node(file.id, base.clone()),
                format!(
                    "an OpenAPI document must be an object, found {}",
                    spec.kind_name()
                ),
            );
        }
        return None;
    }
    let dialect = version(session, &loc)?;
    if kind_hint == Some(ApiKind::Websocket) {
        // ImportApi takes a body "supported only for HTTP APIs" (BC `ImportApiRequest.Body`).
        session
            .report
            .push_at(
                UnsupportedSpecVersion::META,
                At::Node(file.id, base.clone()),
                "a WebSocket API cannot be described by OpenAPI; API Gateway imports OpenAPI for REST and HTTP APIs only",
            )
            .help("declare the WebSocket API's routes and integrations as resources instead of a body");
        return None;
    }
    let kind = kind_hint.unwrap_or_else(|| detect_kind(spec, dialect));
    if kind == ApiKind::Http && dialect == Dialect::Swagger20 {
        let at = loc.get("swagger").map_or(base.clone(), |field| field.ptr);
        session
            .report
            .push_at(
                UnsupportedSpecVersion::META,
                At::Node(file.id, at),
                "HTTP APIs import OpenAPI 3.0 only; API Gateway refuses a Swagger 2.0 document for an HTTP API",
            )
            .help("convert the document to OpenAPI 3.0, or declare a REST API");
    }
    let template = (!base.is_root())
        .then_some(root)
        .filter(|root| root.get("Resources").is_some());
    let root_dir = file
        .path
        .parent()
        .map(|dir| dir.to_owned())
        .unwrap_or_default();
    let mut cx = Cx {
        session,
        dialect,
        kind,
        index: Arc::new(Index::build(doc, dialect)),
        template,
        root_dir,
        functions: Vec::new(),
        function_index: std::collections::HashMap::new(),
        function_requests: Vec::new(),
        scheme_names: Vec::new(),
        augmented: false,
    };
    let has_intrinsic = cx.scan_extensions(&loc);
    cx.augmented = match (template, logical_id) {
        (Some(template), Some(id)) => template
            .get("Resources")
            .and_then(|resources| resources.get(id))
            .and_then(|resource| resource.get("Type"))
            .and_then(Node::as_str)
            .is_some_and(|kind| kind.starts_with("AWS::Serverless::")),
        // A standalone spec written with intrinsics is meant for `AWS::Include`, most often
        // into a SAM API.
        _ => base.is_root() && has_intrinsic,
    };
    let mut api = Api::new(kind, loc.origin(), String::new());
    api.format = Some(match dialect {
        Dialect::OpenApi30 => SourceFormat::OpenApi30,
        Dialect::Swagger20 => SourceFormat::Swagger20,
    });
    api.logical_id = logical_id.map(str::to_owned);
    api.definition = Some(Origin::new(file.id, base.clone()));
    cx.document(&mut api, &loc);
    api.name = match logical_id {
        Some(id) => id.to_owned(),
        None if !api.title.is_empty() => api.title.clone(),
        None => "api".to_owned(),
    };
    api.functions = std::mem::take(&mut cx.functions);
    Some(api)
}

/// The format of the document, or a report saying why API Gateway would refuse it.
fn version(session: &mut Session<'_>, loc: &Loc<'_>) -> Option<Dialect> {
    let refuse = |session: &mut Session<'_>, at: &Loc<'_>, found: &str| {
        session
            .report
            .push_at(
                UnsupportedSpecVersion::META,
                At::Node(at.doc.file, at.ptr.clone()),
                format!("{found}: API Gateway imports only OpenAPI 3.0.x and Swagger 2.0"),
            )
            .help("write the document as `openapi: 3.0.3` (or `swagger: \"2.0\"` for a REST API)");
    };
    if let Some(field) = loc.get("openapi") {
        // YAML reads `openapi: 3.0` as a number; API Gateway reads it as the text it is.
        let text = field.node.scalar_text().unwrap_or_default();
        if text == "3.0" || text == "3" || text.starts_with("3.0.") {
            return Some(Dialect::OpenApi30);
        }
        let found = if text.starts_with("3.1") {
            format!("`openapi: {text}` is OpenAPI 3.1, which API Gateway does not import")
        } else {
            format!("`openapi: {text}` is not a version API Gateway knows")
        };
        refuse(session, &field, &found);
        return None;
    }
    if let Some(field) = loc.get("swagger") {
        let text = field.node.scalar_text().unwrap_or_default();
        if text == "2.0" || text == "2" {
            return Some(Dialect::Swagger20);
        }
        refuse(
            session,
            &field,
            &format!("`swagger: {text}` is not Swagger 2.0"),
        );
        return None;
    }
    if let Some(field) = loc.get("swaggerVersion") {
        let text = field.node.scalar_text().unwrap_or_default();
        refuse(
            session,
            &field,
            &format!("`swaggerVersion: {text}` is Swagger 1.x, which API Gateway does not import"),
        );
        return None;
    }
    refuse(
        session,
        loc,
        "the document names no version (`openapi` or `swagger`)",
    );
    None
}

/// What the document says about its kind. Swagger 2.0 is REST (HTTP APIs do not import it).
/// Features only HTTP APIs have (JWT authorizers, `$default`, shared integrations, subtypes)
/// and features only REST APIs have (VTL, MOCK, validators, gateway responses …) are counted;
/// the weaker HTTP hints (`x-amazon-apigateway-cors`, `importexport-version`), which real REST
/// specs carry too, decide only when nothing else does. `payloadFormatVersion` is no hint at
/// all: AWS imported `openapi.spec.stage-variables.json` and `openapi.cognito-auth.json`, which
/// set it, as REST APIs (LS `test_import_with_stage_variables`, `…_cognito_auth_…`).
fn detect_kind(spec: &Node, dialect: Dialect) -> ApiKind {
    if dialect == Dialect::Swagger20 {
        return ApiKind::Rest;
    }
    let mut http = 0_usize;
    let mut rest = 0_usize;
    let mut weak_http = 0_usize;
    for key in spec.as_map().into_iter().flat_map(|map| map.entries.iter()) {
        match key.key.as_str() {
            "x-amazon-apigateway-api-key-source"
            | "x-amazon-apigateway-binary-media-types"
            | "x-amazon-apigateway-gateway-responses"
            | "x-amazon-apigateway-request-validators"
            | "x-amazon-apigateway-request-validator"
            | "x-amazon-apigateway-policy"
            | "x-amazon-apigateway-minimum-compression-size"
            | "x-amazon-apigateway-documentation"
            | "x-amazon-apigateway-endpoint-access-mode"
            | "x-amazon-apigateway-security-policy" => rest += 1,
            "x-amazon-apigateway-cors" | "x-amazon-apigateway-importexport-version" => {
                weak_http += 1;
            }
            _ => {}
        }
    }
    let components = spec.get("components");
    if components
        .and_then(|components| components.get("x-amazon-apigateway-integrations"))
        .is_some()
    {
        http += 1;
    }
    let schemes = components
        .and_then(|components| components.get("securitySchemes"))
        .or_else(|| spec.get("securityDefinitions"))
        .and_then(Node::as_map);
    for scheme in schemes.into_iter().flat_map(|map| map.entries.iter()) {
        let scheme = &scheme.value;
        if let Some(authorizer) = scheme.get("x-amazon-apigateway-authorizer") {
            let kind = authorizer
                .get("type")
                .and_then(Node::as_str)
                .map(str::to_ascii_lowercase);
            match kind.as_deref() {
                Some("jwt") => http += 1,
                Some("token" | "cognito_user_pools") => rest += 1,
                _ => {}
            }
            if authorizer.get("authorizerPayloadFormatVersion").is_some()
                || authorizer.get("enableSimpleResponses").is_some()
            {
                weak_http += 1;
            }
        } else if scheme.get("type").and_then(Node::as_str) == Some("apiKey")
            && scheme
                .get("name")
                .and_then(Node::as_str)
                .is_some_and(|name| name.eq_ignore_ascii_case("x-api-key"))
        {
            // API keys and usage plans are REST only.
            rest += 1;
        }
    }
    let paths = spec.get("paths").and_then(Node::as_map);
    for path in paths.into_iter().flat_map(|map| map.entries.iter()) {
        if path.key == "$default" || path.key == "/$default" {
            http += 1;
        }
        for operation in path
            .value
            .as_map()
            .into_iter()
            .flat_map(|map| map.entries.iter())
        {
            if !METHODS.contains(&operation.key.as_str()) {
                continue;
            }
            let operation = &operation.value;
            if operation.get("isDefaultRoute").and_then(Node::as_bool) == Some(true) {
                http += 1;
            }
            if operation
                .get("x-amazon-apigateway-request-validator")
                .is_some()
            {
                rest += 1;
            }
            let Some(integration) = operation.get("x-amazon-apigateway-integration") else {
                continue;
            };
            // Payload format 2.0 exists only in HTTP APIs; "1.0" says nothing.
            let payload_2 = integration
                .get("payloadFormatVersion")
                .and_then(Node::scalar_text)
                .is_some_and(|version| version.starts_with('2'));
            if integration.get("$ref").is_some()
                || integration.get("integrationSubtype").is_some()
                || payload_2
            {
                http += 1;
            }
            if integration.get("requestTemplates").is_some()
                || integration.get("responses").is_some()
            {
                rest += 1;
            }
            let kind = integration
                .get("type")
                .and_then(Node::as_str)
                .map(str::to_ascii_lowercase);
            if matches!(kind.as_deref(), Some("aws" | "http" | "mock")) {
                rest += 1;
            }
        }
    }
    if http > rest || (rest == 0 && weak_http > 0) {
        ApiKind::Http
    } else {
        ApiKind::Rest
    }
}

impl Cx<'_, '_> {
    fn document(&mut self, api: &mut Api, spec: &Loc<'_>) {
        match self.dialect {
            // `securityDefinitions` in an OpenAPI 3 document has its own message (components).
            Dialect::OpenApi30 => self.check_object_fields(
                spec,
                "an OpenAPI 3.0 document",
                OAS3_ROOT_FIELDS,
                &["securityDefinitions"],
            ),
            Dialect::Swagger20 => {
                self.check_object_fields(spec, "a Swagger 2.0 document", SWAGGER2_ROOT_FIELDS, &[])
            }
        }
        self.info(api, spec);
        self.root_extensions(api, spec);
        if let Some(tags) = spec.get("tags") {
            self.tag_definitions(api, &tags);
        }
        match self.dialect {
            Dialect::OpenApi30 => {
                if let Some(servers) = spec.get("servers") {
                    self.oas3_servers(api, &servers);
                }
            }
            Dialect::Swagger20 => self.swagger_servers(api, spec),
        }
        self.components(api, spec);
        if let Some(security) = spec.get("security") {
            api.security = self.security_requirements(&security);
        }
        match spec.get("paths") {
            Some(paths) => self.paths(api, spec, &paths),
            // A template's body may leave the paths to SAM, which adds them from the
            // functions' events.
            None if spec.ptr.is_root() => {
                self.missing(spec, "paths", "the document")
                    .help("add `paths: {}` if the API has no routes yet");
            }
            None => {}
        }
    }

    fn info(&mut self, api: &mut Api, spec: &Loc<'_>) {
        // A missing `info` or `title` is not reported: a template or Terraform names the API
        // itself (`Name`, `name`), and the title is then unused.
        let Some(info) = spec.get("info") else {
            return;
        };
        if !self.expect_map(&info) {
            return;
        }
        // The title may be an intrinsic (`Fn::Sub: "${AWS::StackName}-api"`).
        api.title = match info.get("title") {
            Some(title) => expr::lower(title.node)
                .map(|value| value.display_text())
                .unwrap_or_default(),
            None => String::new(),
        };
        api.version = info
            .get("version")
            .and_then(|version| expr::lower(version.node))
            .map(|value| value.display_text());
        api.description = info
            .get("description")
            .and_then(|description| expr::lower(description.node))
            .map(|value| value.display_text());
    }

    fn root_extensions(&mut self, api: &mut Api, spec: &Loc<'_>) {
        const READ_AT_ROOT: &[&str] = &[
            "x-amazon-apigateway-api-key-source",
            "x-amazon-apigateway-binary-media-types",
            "x-amazon-apigateway-cors",
            "x-amazon-apigateway-documentation",
            "x-amazon-apigateway-endpoint-access-mode",
            "x-amazon-apigateway-endpoint-configuration",
            "x-amazon-apigateway-gateway-responses",
            "x-amazon-apigateway-importexport-version",
            "x-amazon-apigateway-minimum-compression-size",
            "x-amazon-apigateway-policy",
            "x-amazon-apigateway-request-validator",
            "x-amazon-apigateway-request-validators",
            "x-amazon-apigateway-security-policy",
        ];
        self.check_misplaced(spec, "the document root", READ_AT_ROOT);
        for (key, value) in spec.entries() {
            match key {
                "x-amazon-apigateway-api-key-source" => {
                    api.api_key_source = self.api_key_source(&value);
                }
                "x-amazon-apigateway-binary-media-types" => {
                    api.binary_media_types = self.string_list(&value);
                }
                "x-amazon-apigateway-cors" => api.cors = self.cors(&value),
                "x-amazon-apigateway-documentation" => {
                    api.documentation = self.documentation(&value);
                }
                "x-amazon-apigateway-endpoint-access-mode" => {
                    api.endpoint_access_mode = self.endpoint_access_mode(&value);
                }
                "x-amazon-apigateway-endpoint-configuration" => {
                    if self.dialect == Dialect::OpenApi30 {
                        self.report(
                            UnknownExtension::META,
                            &value,
                            "in an OpenAPI 3 document API Gateway reads `x-amazon-apigateway-endpoint-configuration` from a `servers` entry, not from the root",
                        )
                        .help("move it into the first entry of `servers`");
                    }
                    if api.endpoint.is_none() {
                        api.endpoint = self.endpoint_configuration(&value);
                    }
                }
                "x-amazon-apigateway-gateway-responses" => {
                    api.gateway_responses = self.gateway_responses(&value);
                }
                "x-amazon-apigateway-importexport-version" => {
                    api.importexport_version = self.spanned_text(&value);
                }
                "x-amazon-apigateway-minimum-compression-size" => {
                    api.minimum_compression_size = self.spanned_integer(&value);
                }
                "x-amazon-apigateway-policy" => api.policy = self.policy(&value),
                "x-amazon-apigateway-request-validator" => {
                    api.default_request_validator = self.spanned_string(&value);
                }
                "x-amazon-apigateway-request-validators" => {
                    api.request_validators = self.request_validators(&value);
                }
                "x-amazon-apigateway-security-policy" => {
                    api.security_policy = self.security_policy(&value);
                }
                _ if extensions::is_extension(key) || key == "x-apigw-ignore" => {}
                _ if key.starts_with("x-") => {
                    api.vendor_extensions
                        .insert(key.to_owned(), value.node.to_json());
                }
                _ => {}
            }
        }
    }

    fn tag_definitions(&mut self, api: &mut Api, tags: &Loc<'_>) {
        if !self.expect_seq(tags) {
            return;
        }
        api.tag_definitions.reserve(tags.member_count());
        for tag in tags.items() {
            if !self.expect_map(&tag) {
                continue;
            }
            self.check_misplaced(&tag, "a tag", &["x-amazon-apigateway-tag-value"]);
            let Some(name) = tag.get("name").and_then(|field| self.text(&field)) else {
                continue;
            };
            api.tag_definitions.push(TagDefinition {
                origin: tag.origin(),
                name,
                description: oas3::description(&tag),
                tag_value: tag
                    .get("x-amazon-apigateway-tag-value")
                    .and_then(|field| self.text(&field)),
            });
        }
    }

    fn components(&mut self, api: &mut Api, spec: &Loc<'_>) {
        if let Some(components) = spec.get("components") {
            if self.expect_map(&components) {
                self.check_misplaced(
                    &components,
                    "`components`",
                    &["x-amazon-apigateway-integrations"],
                );
            }
        }
        if self.dialect == Dialect::OpenApi30 {
            if let Some(definitions) = spec.get("securityDefinitions") {
                self.report(
                    UnknownField::META,
                    &definitions,
                    "`securityDefinitions` is Swagger 2.0; an OpenAPI 3 document declares its security schemes in `components.securitySchemes`",
                )
                .help("move the schemes to `components.securitySchemes`");
            }
        }
        self.security_schemes(api);
        self.models(api);
        if let Some(container) = self.index.container(Section::Integrations).cloned() {
            if self.expect_map(&container) {
                let none = IndexMap::new();
                for (name, integration) in container.entries() {
                    if let Some(lowered) = self.integration(&integration, &none) {
                        api.shared_integrations.insert(name.to_owned(), lowered);
                    }
                }
            }
        }
    }

    /// `components.schemas` or `definitions` → models, with references in the one IR form.
    fn models(&mut self, api: &mut Api) {
        let Some(container) = self.index.container(Section::Schemas).cloned() else {
            return;
        };
        if !self.expect_map(&container) {
            return;
        }
        for (name, schema) in container.entries() {
            let description = oas3::description(&schema);
            let json = self.schema_json(&schema);
            api.models.push(Model {
                origin: schema.origin(),
                name: name.to_owned(),
                content_type: "application/json".to_owned(),
                description,
                schema: json,
            });
        }
        self.alias_cycles(&api.models);
    }

    /// A model that is only a `$ref` to another, around a loop, never reaches a schema.
    fn alias_cycles(&mut self, models: &[Model]) {
        let alias_of = |model: &Model| -> Option<String> {
            let object = model.schema.as_object()?;
            if object.len() != 1 {
                return None;
            }
            let target = object.get("$ref")?.as_str()?;
            let name = target.strip_prefix("#/components/schemas/")?;
            Pointer::from_escaped(format!("/{name}")).segments().next()
        };
        let by_name: std::collections::HashMap<&str, &Model> = models
            .iter()
            .map(|model| (model.name.as_str(), model))
            .collect();
        for model in models {
            let mut seen = vec![model.name.as_str()];
            let mut current = model;
            while let Some(next) = alias_of(current) {
                let Some(next_model) = by_name.get(next.as_str()) else {
                    break;
                };
                if next_model.name == model.name {
                    let chain = seen.join(" → ");
                    self.report_at(
                        RefCycle::META,
                        model.origin.file,
                        model.origin.pointer.join("$ref"),
                        format!("schema `{}` is a `$ref` loop ({chain} → {}) that never reaches a schema", model.name, model.name),
                    )
                    .help("give one of the schemas its own definition");
                    break;
                }
                if seen.contains(&next_model.name.as_str()) {
                    break;
                }
                seen.push(&next_model.name);
                current = next_model;
            }
        }
    }

    fn paths(&mut self, api: &mut Api, spec: &Loc<'_>, paths: &Loc<'_>) {
        if !self.expect_map(paths) {
            return;
        }
        let consumes = spec
            .get("consumes")
            .map(|field| self.media_types(&field))
            .unwrap_or_default();
        let produces = spec
            .get("produces")
            .map(|field| self.media_types(&field))
            .unwrap_or_default();
        let defaults = SwaggerDefaults { consumes, produces };
        // One route per operation: reserved up front, since growing the vector of a few
        // thousand routes would copy them several times over.
        let operations: usize = paths
            .node
            .as_map()
            .map(|map| {
                map.entries
                    .iter()
                    .filter_map(|entry| entry.value.as_map())
                    .map(|item| item.iter().filter(|(key, _)| METHODS.contains(key)).count())
                    .sum()
            })
            .unwrap_or(0);
        // Lowering a route reads the API (its shared integrations) but not its routes, which
        // are set aside meanwhile.
        let mut routes = std::mem::take(&mut api.routes);
        routes.reserve(operations);
        let entries: Vec<(&str, Loc<'_>)> = paths.entries().collect();
        self.path_items_in_parallel(api, &entries, &defaults, &mut routes);
        api.routes = routes;
    }

    /// The routes of `entries` (paths and their items), in order, into `routes`, with
    /// everything their lowering reports and registers: the same as [`Cx::path_items`] over all
    /// of them, computed in chunks on all cores. Each chunk is lowered by a copy of this context with a report
    /// of its own, and taken back in order only when it registered functions under the names
    /// this context would give them and loaded no file; any other chunk is lowered again here.
    fn path_items_in_parallel(
        &mut self,
        api: &Api,
        entries: &[(&str, Loc<'_>)],
        defaults: &SwaggerDefaults,
        routes: &mut Vec<Route>,
    ) {
        use rayon::prelude::*;
        /// Paths per chunk: each chunk copies the functions registered so far.
        const CHUNK: usize = 64;
        if entries.len() <= CHUNK || lowers_in_order() {
            self.path_items(api, entries, defaults, routes);
            return;
        }
        let world = self.session.world;
        let options = &self.session.options;
        let files = &self.session.files;
        let base = &*self;
        let forks: Vec<(Vec<Route>, Learnt)> = entries
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut session = Session {
                    world,
                    options: options.clone(),
                    files: files.clone(),
                    report: crate::diagnostic::Report::new(),
                };
                let mut fork = Cx {
                    session: &mut session,
                    dialect: base.dialect,
                    kind: base.kind,
                    index: Arc::clone(&base.index),
                    template: base.template,
                    root_dir: base.root_dir.clone(),
                    functions: base.functions.clone(),
                    function_index: base.function_index.clone(),
                    function_requests: base.function_requests.clone(),
                    scheme_names: base.scheme_names.clone(),
                    augmented: base.augmented,
                };
                let mut out = Vec::new();
                fork.path_items(api, chunk, defaults, &mut out);
                let functions_at = base.functions.len();
                let learnt = Learnt {
                    functions: fork.functions.split_off(functions_at),
                    requests: fork.function_requests.split_off(functions_at),
                    files: session.files.len(),
                    report: session.report,
                };
                (out, learnt)
            })
            .collect();
        let files_at = self.session.files.len();
        for ((out, learnt), chunk) in forks.into_iter().zip(entries.chunks(CHUNK)) {
            if learnt.files == files_at && self.take_in_functions(learnt.functions, learnt.requests)
            {
                self.session.report.extend(learnt.report);
                routes.extend(out);
            } else {
                self.path_items(api, chunk, defaults, routes);
            }
        }
    }

    /// Registers the functions a copy of this context registered, in order, if each gets the
    /// name the copy gave it (or is known here under it); false, changing nothing, otherwise.
    fn take_in_functions(&mut self, functions: Vec<Function>, requests: Vec<String>) -> bool {
        let before = self.functions.len();
        for (function, request) in functions.into_iter().zip(requests) {
            match functions::resolve(self, &request, &function.binding) {
                functions::Resolved::Known(name) if name == function.name => {}
                functions::Resolved::New(name) if name == function.name => {
                    functions::add(self, function, request);
                }
                _ => {
                    for dropped in self.functions.drain(before..) {
                        self.function_index.remove(&dropped.name);
                    }
                    self.function_requests.truncate(before);
                    return false;
                }
            }
        }
        true
    }

    /// The routes of the path items in `entries`, in order, into `out`.
    fn path_items(
        &mut self,
        api: &Api,
        entries: &[(&str, Loc<'_>)],
        defaults: &SwaggerDefaults,
        out: &mut Vec<Route>,
    ) {
        for (path, item) in entries {
            let path = *path;
            let is_default_path = path == "$default" || path == "/$default";
            let allowed = path.starts_with('/') || (is_default_path && self.kind == ApiKind::Http);
            if !allowed {
                if path.starts_with("x-") {
                    // Vendor extensions are allowed among the paths.
                    continue;
                }
                self.report(
                    InvalidValue::META,
                    item,
                    format!("path `{path}` does not start with `/`"),
                )
                .help(format!("write it `/{}`", path.trim_start_matches('/')));
            }
            self.follow(item.clone(), Section::PathItems, |cx, item| {
                cx.path_item(api, path, &item, defaults, out);
            });
        }
    }

    fn path_item(
        &mut self,
        api: &Api,
        path: &str,
        item: &Loc<'_>,
        defaults: &SwaggerDefaults,
        out: &mut Vec<Route>,
    ) {
        if !self.expect_map(item) {
            return;
        }
        self.check_misplaced(item, "a path item", &["x-amazon-apigateway-any-method"]);
        let (item_fields, operation_fields) = match self.dialect {
            Dialect::OpenApi30 => (OAS3_PATH_ITEM_FIELDS, OAS3_OPERATION_FIELDS),
            Dialect::Swagger20 => (SWAGGER2_PATH_ITEM_FIELDS, SWAGGER2_OPERATION_FIELDS),
        };
        // A key of `paths` that is no path has been reported; its fields are not a path item's.
        let is_path = path.starts_with('/') || path == "$default";
        if is_path {
            self.check_object_fields(item, "a path item", item_fields, &[]);
        }
        let path_parameters = item.get("parameters");
        for (key, operation) in item.entries() {
            if !METHODS.contains(&key) {
                continue;
            }
            let operation = extensions::condition_branch(&operation).unwrap_or(operation);
            self.check_object_fields(&operation, "an operation", operation_fields, &[]);
            if let Some(route) = self.route(
                api,
                path,
                key,
                &operation,
                path_parameters.clone(),
                defaults,
            ) {
                out.push(route);
            }
        }
    }

    fn route(
        &mut self,
        api: &Api,
        path: &str,
        method_key: &str,
        operation: &Loc<'_>,
        path_parameters: Option<Loc<'_>>,
        defaults: &SwaggerDefaults,
    ) -> Option<Route> {
        if !self.expect_map(operation) {
            return None;
        }
        let method = HttpMethod::parse(method_key)?;
        self.check_misplaced(
            operation,
            "an operation",
            &[
                "x-amazon-apigateway-integration",
                "x-amazon-apigateway-auth",
                "x-amazon-apigateway-request-validator",
            ],
        );
        let is_default_route = match operation.get("isDefaultRoute") {
            Some(field) => self.boolean(&field).unwrap_or(false),
            None => false,
        };
        let is_default_path = path == "$default" || path == "/$default";
        let key = if self.kind == ApiKind::Http && (is_default_route || is_default_path) {
            RouteKey::Default
        } else {
            RouteKey::Http {
                method,
                path: path.to_owned(),
            }
        };
        let mut route = Route::new(operation.origin(), key);
        route.is_default_route = is_default_route;
        // Free text read straight from the tree: no pointer is needed for it.
        let node = operation.node;
        route.operation_id = node.get("operationId").and_then(Node::scalar_text);
        route.summary = node.get("summary").and_then(Node::scalar_text);
        route.description = node.get("description").and_then(Node::scalar_text);
        route.tags = node
            .get("tags")
            .and_then(Node::as_seq)
            .map(|tags| tags.iter().filter_map(Node::scalar_text).collect())
            .unwrap_or_default();
        route.deprecated = node
            .get("deprecated")
            .and_then(Node::as_bool)
            .unwrap_or(false);

        match self.dialect {
            Dialect::OpenApi30 => {
                route.parameters =
                    self.oas3_parameters(path_parameters, operation.get("parameters"));
                route.request_body = operation
                    .get("requestBody")
                    .and_then(|body| self.oas3_request_body(body));
                if let Some(responses) = operation.get("responses") {
                    route.responses = self.oas3_responses(&responses);
                }
            }
            Dialect::Swagger20 => {
                let consumes = operation
                    .get("consumes")
                    .map(|field| self.media_types(&field))
                    .unwrap_or_else(|| defaults.consumes.clone());
                let produces = operation
                    .get("produces")
                    .map(|field| self.media_types(&field))
                    .unwrap_or_else(|| defaults.produces.clone());
                let (parameters, body) =
                    self.swagger_inputs(path_parameters, operation.get("parameters"), &consumes);
                route.parameters = parameters;
                route.request_body = body;
                if let Some(responses) = operation.get("responses") {
                    route.responses = self.swagger_responses(&responses, &produces);
                }
            }
        }

        if let Some(security) = operation.get("security") {
            route.security = self.security_requirements(&security);
        }
        route.auth_type = operation
            .get("x-amazon-apigateway-auth")
            .and_then(|field| self.auth(&field));
        route.integration = operation
            .get("x-amazon-apigateway-integration")
            .and_then(|field| self.integration(&field, &api.shared_integrations));
        route.request_validator = operation
            .get("x-amazon-apigateway-request-validator")
            .and_then(|field| self.spanned_string(&field));
        if let Some(ignore) = operation.get("x-apigw-ignore") {
            route.ignore = self.ignore_list(&ignore);
        }
        Some(route)
    }

    /// Path-level parameters merged with the operation's; the operation's win by name and
    /// location.
    fn oas3_parameters(
        &mut self,
        path_parameters: Option<Loc<'_>>,
        operation_parameters: Option<Loc<'_>>,
    ) -> Vec<Parameter> {
        let count = [&path_parameters, &operation_parameters]
            .into_iter()
            .flatten()
            .map(Loc::member_count)
            .sum();
        let mut out: Vec<Parameter> = Vec::with_capacity(count);
        for list in [path_parameters, operation_parameters]
            .into_iter()
            .flatten()
        {
            if !self.expect_seq(&list) {
                continue;
            }
            for item in list.items() {
                let Some(parameter) = self.oas3_parameter(item) else {
                    continue;
                };
                match out.iter_mut().find(|existing| {
                    existing.name == parameter.name && existing.location == parameter.location
                }) {
                    Some(existing) => *existing = parameter,
                    None => out.push(parameter),
                }
            }
        }
        out
    }

    /// `x-apigw-ignore`: rule codes or names, as a list or a single string.
    fn ignore_list(&mut self, loc: &Loc<'_>) -> Vec<String> {
        if let Some(text) = loc.node.scalar_text() {
            return vec![text];
        }
        if !self.expect_seq(loc) {
            return Vec::new();
        }
        loc.items().filter_map(|item| self.text(&item)).collect()
    }
}

#[cfg(test)]
thread_local! {
    /// Set by tests to lower every path in order on the calling thread, for comparison.
    static IN_ORDER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether paths are to be lowered in order on this thread (only ever in tests).
fn lowers_in_order() -> bool {
    #[cfg(test)]
    {
        IN_ORDER.with(std::cell::Cell::get)
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// What a copy of the context learnt while lowering a chunk of paths on another thread.
struct Learnt {
    /// The functions it registered beyond those it was copied with, and the names they were
    /// asked for.
    functions: Vec<Function>,
    requests: Vec<String>,
    /// How many files its session ended with.
    files: usize,
    report: crate::diagnostic::Report,
}

/// Swagger 2.0's document-wide `consumes` and `produces`.
struct SwaggerDefaults {
    consumes: Vec<String>,
    produces: Vec<String>,
}
