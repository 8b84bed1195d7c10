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

mod deploy;
mod lower;
mod node;
mod reader;

use std::sync::Arc;

use crate::frontend::{openapi, LoadedFile, Session};
use crate::ir::{Api, ApiKind, Origin, RouteKey, RouteResponse, SourceFormat};
use crate::load::tree::Node;
use crate::pointer::Pointer;
use crate::source::FileId;

use lower::{Desugared, FunctionUse};
use reader::Reader;

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
