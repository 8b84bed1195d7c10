//! Route selection as API Gateway does it: a request path (after the stage) and method to one
//! route of the plan, with its path parameters. It knows nothing of integrations.
//!
//! Both API kinds pick among the routes matching both path and method the most specific one:
//! segment by segment from the left, a literal over a `{param}` over a greedy `{proxy+}`, then
//! an exact method over ANY. A resource that lacks the request's method does not stop the
//! search: a less specific one (a sibling `{param}`, a `{proxy+}`) may serve it, as measured on
//! REST APIs. HTTP APIs fall back to `$default`; with no match REST answers 403, HTTP 404.

use indexmap::IndexMap;

use crate::plan::{ApiKind, ApiPlan, RouteMatch};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
    Greedy(String),
}

impl Segment {
    fn rank(&self) -> u8 {
        match self {
            Segment::Literal(_) => 0,
            Segment::Param(_) => 1,
            Segment::Greedy(_) => 2,
        }
    }
}

#[derive(Clone, Debug)]
struct CompiledRoute {
    index: usize,
    method: Option<String>,
    segments: Vec<Segment>,
}

/// The routes of one API, ready to match.
#[derive(Clone, Debug)]
pub struct Router {
    kind: ApiKind,
    routes: Vec<CompiledRoute>,
    default_route: Option<usize>,
}

/// A selected route: its index in [`ApiPlan::routes`] and the path parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Matched {
    pub route: usize,
    pub path_parameters: IndexMap<String, String>,
}

fn compile_path(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            if let Some(name) = segment
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix("+}"))
            {
                Segment::Greedy(name.to_string())
            } else if let Some(name) = segment
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
            {
                Segment::Param(name.to_string())
            } else {
                Segment::Literal(segment.to_string())
            }
        })
        .collect()
}

/// Splits a request path (after the stage) as API Gateway sees it: leading slashes collapse,
/// one trailing slash is ignored, inner empty segments stay (`a//b` → `a`, ``, `b`).
pub fn request_segments(path: &str) -> Vec<&str> {
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed.split('/').collect()
}

impl Router {
    pub fn new(api: &ApiPlan) -> Self {
        let mut routes = Vec::new();
        let mut default_route = None;
        for (index, route) in api.routes.iter().enumerate() {
            match &route.matcher {
                RouteMatch::Path { method, path } => routes.push(CompiledRoute {
                    index,
                    method: method.clone(),
                    segments: compile_path(path),
                }),
                RouteMatch::Default => {
                    default_route.get_or_insert(index);
                }
            }
        }
        Router {
            kind: api.kind,
            routes,
            default_route,
        }
    }

    /// The route for `method` on `path` (the part after the stage, raw as sent).
    pub fn select(&self, method: &str, path: &str) -> Option<Matched> {
        let segments = request_segments(path);
        let mut candidates: Vec<(&CompiledRoute, IndexMap<String, String>)> = self
            .routes
            .iter()
            .filter_map(|route| {
                match_segments(&route.segments, &segments, self.kind)
                    .map(|parameters| (route, parameters))
            })
            .collect();
        // Most specific first: compare segment kinds from the left, then prefer fewer greedy
        // tails, then exact methods before ANY.
        candidates.sort_by(|(a, _), (b, _)| {
            let a_ranks: Vec<u8> = a.segments.iter().map(Segment::rank).collect();
            let b_ranks: Vec<u8> = b.segments.iter().map(Segment::rank).collect();
            a_ranks
                .cmp(&b_ranks)
                .then_with(|| a.method.is_none().cmp(&b.method.is_none()))
        });
        let best = candidates
            .into_iter()
            .find(|(route, _)| route.method.is_none() || route.method.as_deref() == Some(method))
            .map(|(route, path_parameters)| Matched {
                route: route.index,
                path_parameters,
            });
        match self.kind {
            ApiKind::Rest => best,
            ApiKind::Http => best.or_else(|| {
                self.default_route.map(|route| Matched {
                    route,
                    path_parameters: IndexMap::new(),
                })
            }),
        }
    }
}

/// Path parameters when `pattern` matches `segments`. REST APIs pass parameter values as sent;
/// HTTP APIs decode them.
fn match_segments(
    pattern: &[Segment],
    segments: &[&str],
    kind: ApiKind,
) -> Option<IndexMap<String, String>> {
    let mut parameters = IndexMap::new();
    let mut position = 0;
    for (pattern_index, segment) in pattern.iter().enumerate() {
        match segment {
            Segment::Literal(literal) => {
                if segments.get(position) != Some(&literal.as_str()) {
                    return None;
                }
                position += 1;
            }
            Segment::Param(name) => {
                let value = segments.get(position).filter(|value| !value.is_empty())?;
                parameters.insert(name.clone(), decode_parameter(value, kind));
                position += 1;
            }
            Segment::Greedy(name) => {
                // A greedy variable is last and takes at least one segment.
                if pattern_index + 1 != pattern.len() {
                    return None;
                }
                let rest = segments.get(position..)?;
                if rest.is_empty() || rest.iter().all(|segment| segment.is_empty()) {
                    return None;
                }
                parameters.insert(name.clone(), decode_parameter(&rest.join("/"), kind));
                position = segments.len();
            }
        }
    }
    (position == segments.len()).then_some(parameters)
}

fn decode_parameter(value: &str, kind: ApiKind) -> String {
    match kind {
        ApiKind::Http => percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .into_owned(),
        _ => value.to_string(),
    }
}
