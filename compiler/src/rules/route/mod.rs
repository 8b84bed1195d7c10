//! `APIGW3xx`: paths and routes — greedy segments, path parameters, duplicate and conflicting routes, route keys.

use crate::ir::{Api, Origin, Route, SourceFormat};
use crate::rules::Rule;

mod greedy_path_not_last;
mod mapping_path_parameter_unknown;
mod path_empty_segment;
mod path_invalid_character;
mod path_parameter_not_in_path;
mod path_parameter_not_whole_segment;
mod path_parameter_repeated;
mod path_variable_siblings;
mod trace_method_unsupported;
mod websocket_route_key_reserved;
mod websocket_route_selection_missing;
mod websocket_route_selection_static;

pub use greedy_path_not_last::GreedyPathNotLast;
pub use mapping_path_parameter_unknown::MappingPathParameterUnknown;
pub use path_empty_segment::PathEmptySegment;
pub use path_invalid_character::PathInvalidCharacter;
pub use path_parameter_not_in_path::PathParameterNotInPath;
pub use path_parameter_not_whole_segment::PathParameterNotWholeSegment;
pub use path_parameter_repeated::PathParameterRepeated;
pub use path_variable_siblings::PathVariableSiblings;
pub use trace_method_unsupported::TraceMethodUnsupported;
pub use websocket_route_key_reserved::WebsocketRouteKeyReserved;
pub use websocket_route_selection_missing::WebsocketRouteSelectionMissing;
pub use websocket_route_selection_static::WebsocketRouteSelectionStatic;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &GreedyPathNotLast,
    &PathParameterNotWholeSegment,
    &PathInvalidCharacter,
    &PathEmptySegment,
    &PathVariableSiblings,
    &MappingPathParameterUnknown,
    &PathParameterNotInPath,
    &PathParameterRepeated,
    &TraceMethodUnsupported,
    &WebsocketRouteSelectionMissing,
    &WebsocketRouteSelectionStatic,
    &WebsocketRouteKeyReserved,
];

/// Each distinct path of the API's method routes, once, with the place to point at: the path
/// item of an OpenAPI document (`/paths/~1pets`), else the first route on the path. The DSL
/// checks its paths itself and drops a malformed one, so its routes are left out.
pub(super) fn distinct_paths(api: &Api) -> Vec<(&str, Origin)> {
    if api.format == Some(SourceFormat::Dsl) {
        return Vec::new();
    }
    every_path(api)
}

/// Each distinct path of the API's method routes, once, with its place, DSL routes included:
/// for what the DSL does not check itself.
pub(super) fn every_path(api: &Api) -> Vec<(&str, Origin)> {
    let mut out: Vec<(&str, Origin)> = Vec::new();
    // Membership only; the output keeps the routes' order.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for route in &api.routes {
        let Some(path) = route.path() else {
            continue;
        };
        if seen.insert(path) {
            out.push((path, path_origin(route)));
        }
    }
    out
}

/// Where a route's path is written: its OpenAPI path item, else the route itself.
pub(super) fn path_origin(route: &Route) -> Origin {
    if let Some(item) = route.origin.pointer.parent() {
        if item
            .parent()
            .is_some_and(|paths| paths.as_str() == "/paths")
        {
            return Origin::new(route.origin.file, item);
        }
    }
    route.origin.clone()
}

/// The segments of a path after the leading `/`; `/` alone has none.
pub(super) fn segments(path: &str) -> Vec<&str> {
    let rest = path.strip_prefix('/').unwrap_or(path);
    if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').collect()
    }
}

/// The parameter a whole segment declares: `{id}` → `("id", false)`, `{proxy+}` → `("proxy", true)`.
pub(super) fn variable(segment: &str) -> Option<(&str, bool)> {
    let inner = segment.strip_prefix('{')?.strip_suffix('}')?;
    if inner.contains(['{', '}']) {
        return None;
    }
    match inner.strip_suffix('+') {
        Some(name) => Some((name, true)),
        None => Some((inner, false)),
    }
}

/// Every parameter name templated in a path, whole segment or not (`/a/{id}.json` → `id`).
pub(super) fn templated_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = rest.get(start + 1..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            break;
        };
        let name = after.get(..end).unwrap_or_default();
        names.push(name.trim_end_matches('+'));
        rest = after.get(end + 1..).unwrap_or_default();
    }
    names
}
