//! apigw's own language: one YAML file per API, recognised by its version marker `apigw: 1`.
//!
//! A DSL document stands for an OpenAPI 3.0 document with API Gateway's extensions, plus what
//! OpenAPI cannot say (how functions are bound and run locally, stages, usage plans, keys,
//! domains, tags). `lower` checks the DSL's shape, builds that OpenAPI document as a located
//! tree carrying the DSL's spans, and hands it to the OpenAPI front end: a DSL file and its
//! OpenAPI twin therefore lower to the same IR, and whatever a rule finds points at the DSL line.
//!
//! This module owns the DSL's meaning and its conversions (to OpenAPI and back); it does not
//! build routes, integrations or authorizers of the IR itself.

mod convert;
mod deploy;
mod lower;
mod node;
mod reader;

use std::sync::Arc;

use camino::{Utf8Path, Utf8PathBuf};

use crate::frontend::{openapi, Compilation, LoadedFile, Options, Session};
use crate::ir::{Api, ApiKind, Origin, RouteKey, RouteResponse, SourceFormat};
use crate::load::tree::Node;
use crate::pointer::Pointer;
use crate::source::FileId;
use crate::source::World;

use lower::{Desugared, FunctionUse};
use reader::Reader;

pub use convert::resugar;
pub(crate) use lower::MARKER;

/// The DSL's JSON Schema (`schema/apigw.schema.json`), for editors and `apigw schema`.
pub const SCHEMA: &str = include_str!("../../../../schema/apigw.schema.json");

/// The JSON Schema of API Gateway's OpenAPI extensions (`schema/x-amazon-apigateway.schema.json`).
pub const EXTENSIONS_SCHEMA: &str =
    include_str!("../../../../schema/x-amazon-apigateway.schema.json");

/// Whether a document's root marks it as a DSL document: it has the key `apigw`. OpenAPI allows
/// no such root key (only its fixed fields and `x-` extensions) and CloudFormation neither, so
/// the marker cannot be mistaken.
pub(crate) fn is_dsl(root: &Node) -> bool {
    root.get(MARKER).is_some()
}

/// The files `apigw init` writes for a new API of `kind` named `name`: `api.yaml` and the
/// `handler.py` its routes invoke, which `apigw serve` runs with the python3.12 runtime.
pub fn starter(kind: ApiKind, name: &str) -> Vec<(&'static str, String)> {
    let template = match kind {
        ApiKind::Rest => include_str!("starter/rest.yaml"),
        ApiKind::Http => include_str!("starter/http.yaml"),
        ApiKind::Websocket => include_str!("starter/websocket.yaml"),
    };
    // A JSON string is a YAML double-quoted scalar: any name stays one string.
    let quoted = serde_json::Value::String(name.to_owned()).to_string();
    vec![
        (
            "api.yaml",
            template.replacen("name: NAME", &format!("name: {quoted}"), 1),
        ),
        ("handler.py", include_str!("starter/handler.py").to_owned()),
    ]
}

/// A document converted from a file, with what compiling the file found.
#[derive(Debug)]
pub struct Conversion {
    /// The converted document as JSON (in source order), or `None` when it could not be made
    /// (see the compilation's diagnostics and [`ConversionError`]).
    pub document: Option<serde_json::Value>,
    pub error: Option<ConversionError>,
    /// The name of the API converted (a template's logical id), when one was.
    pub api: Option<String>,
    /// The IR fields of the source that the converted document does not give back (e.g. a
    /// template's `stages`, or `routes` that SAM events add), empty when it gives back all.
    pub not_carried: Vec<String>,
    pub compilation: Compilation,
}

/// Why a conversion produced nothing although the file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionError {
    /// The file holds no API.
    NoApi,
    /// The file holds several APIs and none was picked.
    SeveralApis,
    /// No API of the file has the name that was picked.
    NoSuchApi,
    /// `to_openapi` was given something other than a DSL document.
    NotDsl,
    /// WebSocket APIs have no OpenAPI form (API Gateway imports none).
    Websocket,
    /// The file has errors that stop the conversion.
    Errors,
}

/// The OpenAPI 3.0 document (with API Gateway's extensions, and `x-apigw` for what OpenAPI
/// cannot say) that the DSL document at `path` stands for.
pub fn to_openapi(world: &dyn World, path: &Utf8Path, options: &Options) -> Conversion {
    let mut session = Session::new(world, options.clone());
    let Some(file) = session.load(path, None) else {
        return failed(session, ConversionError::NoApi);
    };
    let is_dsl = file.root.as_ref().is_some_and(is_dsl);
    if !is_dsl {
        return failed(session, ConversionError::NotDsl);
    }
    let apis = super::lower_file(&mut session, &file);
    for api in &apis {
        crate::rules::check(api, &mut session.report);
    }
    let spec = session
        .files
        .iter()
        .rev()
        .find(|loaded| loaded.id != file.id)
        .and_then(|loaded| loaded.root.as_ref())
        .map(Node::to_json);
    let dsl = file.root.as_ref().map(Node::to_json).unwrap_or_default();
    let (document, error) = match (apis.first(), spec) {
        (Some(api), _) if api.kind == ApiKind::Websocket => {
            (None, Some(ConversionError::Websocket))
        }
        (Some(api), Some(spec)) => (Some(convert::with_carrier(spec, &dsl, api)), None),
        _ => (None, Some(ConversionError::Errors)),
    };
    let compilation = session.finish(apis);
    Conversion {
        document,
        error,
        api: None,
        not_carried: Vec::new(),
        compilation,
    }
}

/// A DSL document for one API in the file at `path`: an OpenAPI 3.0 document, a Swagger 2.0
/// one, a template embedding one, or a DSL document (rewritten). An OpenAPI 3.0 spec (also one
/// a template embeds or includes) is read as written; anything else is first turned into
/// OpenAPI by `export` (the OpenAPI target).
///
/// `pick` names the API to convert (its logical id in a template); without it the file must
/// hold exactly one. The converted document is lowered again and compared with the source's
/// IR: what it does not give back is listed in [`Conversion::not_carried`].
pub fn from_openapi(
    world: &dyn World,
    path: &Utf8Path,
    options: &Options,
    pick: Option<&str>,
    export: &dyn Fn(&Api) -> serde_json::Value,
) -> Conversion {
    let mut session = Session::new(world, options.clone());
    let Some(file) = session.load(path, None) else {
        return failed(session, ConversionError::NoApi);
    };
    let apis = super::lower_file(&mut session, &file);
    for api in &apis {
        crate::rules::check(api, &mut session.report);
    }
    let chosen = match (pick, apis.as_slice()) {
        (_, []) => Err(ConversionError::NoApi),
        (Some(name), _) => apis
            .iter()
            .find(|api| api.name == name)
            .ok_or(ConversionError::NoSuchApi),
        (None, [api]) => Ok(api),
        (None, _) => Err(ConversionError::SeveralApis),
    };
    let (document, error) = match chosen {
        Err(error) => (None, Some(error)),
        Ok(api) if api.kind == ApiKind::Websocket && api.format != Some(SourceFormat::Dsl) => {
            (None, Some(ConversionError::Websocket))
        }
        Ok(api) if api.format == Some(SourceFormat::Dsl) => {
            (file.root.as_ref().map(Node::to_json), None)
        }
        Ok(api) => {
            // The spec as written: the document itself, a template's `Body` or
            // `DefinitionBody`, or the file a template includes.
            let written = api
                .definition
                .as_ref()
                .filter(|_| api.format == Some(SourceFormat::OpenApi30))
                .and_then(|definition| {
                    let root = session
                        .files
                        .get(definition.file.0 as usize)
                        .and_then(|loaded| loaded.root.as_ref())?
                        .at(&definition.pointer)?;
                    Some((root.to_json(), definition.pointer.clone()))
                });
            match written {
                Some((spec, base)) => (Some(resugar(&spec, api, &base)), None),
                None => (Some(resugar(&export(api), api, &Pointer::root())), None),
            }
        }
    };
    let converted = chosen.ok().filter(|_| document.is_some());
    let not_carried = match (converted, &document) {
        (Some(api), Some(document)) if api.format != Some(SourceFormat::Dsl) => {
            not_carried(world, path, options, api, document)
        }
        _ => Vec::new(),
    };
    let api = converted.map(|api| api.name.clone());
    let compilation = session.finish(apis);
    Conversion {
        document,
        error,
        api,
        not_carried,
        compilation,
    }
}

/// What lowering the converted `document` does not give back of `source`: the names of the
/// IR's fields that differ (origins, the source format and names aside), with the keys of the
/// routes it lacks, `functions.local` for how functions run locally, or `everything` when the
/// document does not lower.
fn not_carried(
    world: &dyn World,
    path: &Utf8Path,
    options: &Options,
    source: &Api,
    document: &serde_json::Value,
) -> Vec<String> {
    let converted = path.with_extension("converted.json");
    let overlay = Overlay {
        world,
        path: converted.clone(),
        text: document.to_string(),
    };
    let compilation = super::compile(&overlay, &converted, options);
    let lowered = match compilation.apis.as_slice() {
        [api] if !compilation.has_errors() => api,
        _ => return vec!["everything: the converted document does not lower".to_owned()],
    };
    let (Ok(left), Ok(right)) = (
        serde_json::to_value(without_names(source)),
        serde_json::to_value(without_names(lowered)),
    ) else {
        return Vec::new();
    };
    let (left, right) = (without_origins(left), without_origins(right));
    let (Some(left), Some(right)) = (left.as_object(), right.as_object()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (field, value) in left {
        if right.get(field) == Some(value) {
            continue;
        }
        if field == "functions" {
            let mut source_functions = source.functions.clone();
            let mut lowered_functions = lowered.functions.clone();
            for function in source_functions.iter_mut().chain(&mut lowered_functions) {
                function.local = None;
            }
            if source_functions == lowered_functions {
                out.push("functions.local".to_owned());
                continue;
            }
        }
        if field == "routes" {
            let missing: Vec<String> = source
                .routes
                .iter()
                .filter(|route| !lowered.routes.contains(route))
                .map(|route| route.key.to_string())
                .collect();
            if !missing.is_empty() {
                out.push(format!("routes ({})", missing.join(", ")));
                continue;
            }
        }
        out.push(field.clone());
    }
    out
}

/// The API without what naturally differs between a source and its DSL: the name (a
/// template's logical id), the logical id itself.
fn without_names(api: &Api) -> Api {
    let mut api = api.clone();
    api.name = String::new();
    api.logical_id = None;
    api
}

fn without_origins(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(object) => serde_json::Value::Object(
            object
                .into_iter()
                .filter(|(key, _)| key != "origin")
                .map(|(key, value)| (key, without_origins(value)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(without_origins).collect())
        }
        other => other,
    }
}

/// The world with one more file: the converted document, lowered to compare it.
struct Overlay<'w> {
    world: &'w dyn World,
    path: Utf8PathBuf,
    text: String,
}

impl World for Overlay<'_> {
    fn read(&self, path: &Utf8Path) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            return Ok(self.text.as_bytes().to_vec());
        }
        self.world.read(path)
    }

    fn is_dir(&self, path: &Utf8Path) -> bool {
        self.world.is_dir(path)
    }
}

fn failed(session: Session<'_>, error: ConversionError) -> Conversion {
    Conversion {
        document: None,
        error: Some(error),
        api: None,
        not_carried: Vec::new(),
        compilation: session.finish(Vec::new()),
    }
}

/// Lowers the DSL document in `file`.
pub(crate) fn lower(session: &mut Session<'_>, file: &Arc<LoadedFile>) -> Vec<Api> {
    let Some(root) = file.root.as_ref() else {
        return Vec::new();
    };
    let desugared = {
        let mut reader = Reader {
            report: &mut session.report,
            file: file.id,
        };
        lower::desugar(&mut reader, root)
    };
    let Some(desugared) = desugared else {
        return Vec::new();
    };
    // The OpenAPI document lives in the session as a file of its own, with the DSL file's path
    // and text: its nodes carry the DSL's spans, so diagnostics resolve to DSL lines.
    let id = FileId(u32::try_from(session.files.len()).unwrap_or(u32::MAX));
    let spec = Arc::new(LoadedFile {
        id,
        path: file.path.clone(),
        text: file.text.clone(),
        root: Some(desugared.spec.clone()),
    });
    session.files.push(Arc::clone(&spec));
    let kind_hint = match desugared.kind {
        ApiKind::Rest => ApiKind::Rest,
        ApiKind::Http | ApiKind::Websocket => ApiKind::Http,
    };
    let Some(mut api) = openapi::lower(session, &spec, &Pointer::root(), None, Some(kind_hint))
    else {
        return Vec::new();
    };
    complete(&mut api, desugared, file.id);
    vec![api]
}

/// Adds to the API what the OpenAPI front end could not read: the source format, how functions
/// run locally, the deployment, and for a WebSocket API its route keys.
fn complete(api: &mut Api, desugared: Desugared, file: FileId) {
    api.format = Some(SourceFormat::Dsl);
    api.origin = Origin::new(file, Pointer::root());
    for function_use in &desugared.function_uses {
        let (index, lowered) = match function_use {
            FunctionUse::Operation { function, pointer } => (
                *function,
                api.routes
                    .iter()
                    .find(|route| &route.origin.pointer == pointer)
                    .and_then(|route| route.integration.as_ref())
                    .and_then(|integration| integration.function.clone()),
            ),
            FunctionUse::Authorizer { function, name } => (
                *function,
                api.authorizer(name)
                    .and_then(|authorizer| authorizer.function.clone()),
            ),
        };
        let (Some(decl), Some(lowered)) = (desugared.functions.get(index), lowered) else {
            continue;
        };
        if let Some(function) = api.functions.iter_mut().find(|f| f.name == lowered) {
            if function.local.is_none() {
                function.local = decl.local.clone();
            }
            if function.timeout_seconds.is_none() {
                function.timeout_seconds = decl.timeout_seconds;
            }
        }
    }
    // A function only a raw integration invokes (a shared one, `integration: {$ref}`) is
    // matched by the name the IR gives it.
    for decl in &desugared.functions {
        if let Some(function) = api
            .functions
            .iter_mut()
            .find(|function| function.name == decl.name && function.local.is_none())
        {
            function.local.clone_from(&decl.local);
            if function.timeout_seconds.is_none() {
                function.timeout_seconds = decl.timeout_seconds;
            }
        }
    }
    let deploy = desugared.deploy;
    api.stages = deploy.stages;
    api.api_keys = deploy.api_keys;
    api.usage_plans = deploy.usage_plans;
    api.domains = deploy.domains;
    if desugared.kind != ApiKind::Http {
        api.tags = deploy.tags;
    }
    if deploy.endpoint.is_some() {
        api.endpoint = deploy.endpoint;
    }
    if deploy.base_path.is_some() {
        api.base_path = deploy.base_path;
    }
    if desugared.kind == ApiKind::Websocket {
        api.kind = ApiKind::Websocket;
        api.route_selection_expression = desugared.route_selection;
        api.api_key_selection_expression = desugared.api_key_selection;
        for socket in &desugared.socket_routes {
            let pointer = Pointer::root()
                .join("paths")
                .join(format!("/{}", socket.key))
                .join("x-amazon-apigateway-any-method");
            let Some(route) = api
                .routes
                .iter_mut()
                .find(|route| route.origin.pointer == pointer)
            else {
                continue;
            };
            route.key = if socket.key == "$default" {
                RouteKey::Default
            } else {
                RouteKey::Websocket {
                    key: socket.key.clone(),
                }
            };
            route.is_default_route = false;
            route.parameters.clear();
            if socket.two_way {
                route.route_response_selection_expression = Some("$default".to_owned());
                route.route_responses = vec![RouteResponse {
                    origin: Origin::new(file, socket.ptr.join("response")),
                    key: "$default".to_owned(),
                    model_selection_expression: None,
                    models: Default::default(),
                }];
            }
        }
    }
}
#[cfg(test)]
mod tests;
