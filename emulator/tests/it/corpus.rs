//! Every API of the shared corpus (real specs and templates) resolves into a plan and builds a
//! router without a panic, and every route the plan lists is selected by a request for its own
//! path (with each `{param}` filled in).

use apigw_compiler::{compile, FsWorld, Options};
use apigw_emulator::plan::{PlanOptions, RouteMatch};
use apigw_emulator::router::Router;
use camino::Utf8PathBuf;

fn corpus_files() -> Vec<Utf8PathBuf> {
    let corpus = crate::support::oracle_dir()
        .parent()
        .and_then(|oracle| oracle.parent())
        .map(|shared| shared.join("corpus"))
        .expect("shared/corpus beside the oracle");
    let mut files: Vec<Utf8PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus readable")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.file_name().is_some_and(|name| name != "MANIFEST.tsv"))
        .filter_map(|path| Utf8PathBuf::from_path_buf(path).ok())
        .collect();
    files.sort();
    files
}

/// A concrete request path for a route pattern: `{id}` → `x1`, `{proxy+}` → `a/b`.
fn sample_path(pattern: &str) -> String {
    let segments: Vec<String> = pattern
        .split('/')
        .filter(|segment| !segment.is_empty())
        .enumerate()
        .map(|(index, segment)| {
            if segment.ends_with("+}") {
                "a/b".to_string()
            } else if segment.starts_with('{') {
                format!("x{index}")
            } else {
                segment.to_string()
            }
        })
        .collect();
    format!("/{}", segments.join("/"))
}

#[test]
fn every_corpus_api_resolves_and_routes_to_itself() {
    let files = corpus_files();
    assert!(files.len() > 100, "{} corpus files", files.len());
    let mut apis_seen = 0;
    let mut routes_seen = 0;
    let mut misrouted = Vec::new();
    for file in &files {
        let compilation = compile(&FsWorld, file, &Options::default());
        let plan = apigw_emulator::resolve(&compilation.apis, &PlanOptions::default());
        let _ = plan.to_json();
        for api in &plan.apis {
            apis_seen += 1;
            let router = Router::new(api);
            for (index, route) in api.routes.iter().enumerate() {
                let RouteMatch::Path { method, path } = &route.matcher else {
                    continue;
                };
                routes_seen += 1;
                let method = method.as_deref().unwrap_or("PATCH");
                let request = sample_path(path);
                let Some(selected) = router.select(method, &request) else {
                    misrouted.push(format!("{file}: {} → no route", route.route_key));
                    continue;
                };
                let chosen = &api.routes[selected.route];
                // Another route may legitimately be more specific for the sample path (a literal
                // that happens to equal `x1`), but it must answer the same method and pattern.
                if selected.route != index && chosen.matcher != route.matcher {
                    misrouted.push(format!(
                        "{file}: {method} {request} → {} instead of {}",
                        chosen.route_key, route.route_key
                    ));
                }
            }
        }
    }
    assert!(apis_seen > 100, "{apis_seen} APIs");
    assert!(routes_seen > 500, "{routes_seen} routes");
    assert!(misrouted.is_empty(), "{}", misrouted.join("\n"));
}
