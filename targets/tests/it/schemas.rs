//! Every generated resource's properties validate against AWS's CloudFormation resource
//! schemas (`../shared/reference/cfn-schemas`). A value that is an intrinsic function is only
//! known at deploy time, so errors located at (or inside) an intrinsic are not counted.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// `shared/` sits beside the repository (CI) or above a worktree of it.
pub fn shared_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join("shared"))
        .find(|dir| dir.join("reference").is_dir())
        .unwrap_or_else(|| manifest.join("../../shared"))
}

fn schema_dir() -> PathBuf {
    shared_dir().join("reference/cfn-schemas")
}

fn is_intrinsic(value: &Value) -> bool {
    value.as_object().is_some_and(|map| {
        map.len() == 1
            && map
                .keys()
                .all(|key| key == "Ref" || key == "Condition" || key.starts_with("Fn::"))
    })
}

/// Whether the instance at `pointer` is, or sits inside, an intrinsic function.
fn under_intrinsic(root: &Value, pointer: &str) -> bool {
    let mut current = root;
    if is_intrinsic(current) {
        return true;
    }
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = match current {
            Value::Object(map) => map.get(&token),
            Value::Array(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|index| items.get(index)),
            _ => None,
        };
        let Some(next) = next else { return false };
        if is_intrinsic(next) {
            return true;
        }
        current = next;
    }
    false
}

/// The validator of a resource type's schema, compiled once; `None` when there is no schema.
fn validator(kind: &str) -> Option<Arc<jsonschema::Validator>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<jsonschema::Validator>>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(known) = cache.lock().unwrap().get(kind) {
        return known.clone();
    }
    let path = schema_dir().join(format!("{}.json", kind.replace("::", "__")));
    let compiled = std::fs::read_to_string(&path).ok().map(|text| {
        let mut schema: Value = serde_json::from_str(&text).unwrap();
        // The registry schemas are draft-07 with extra keywords the validator need not know.
        if let Some(map) = schema.as_object_mut() {
            map.insert(
                "$schema".into(),
                "http://json-schema.org/draft-07/schema#".into(),
            );
        }
        Arc::new(
            jsonschema::validator_for(&schema)
                .unwrap_or_else(|error| panic!("schema {kind}: {error}")),
        )
    });
    cache
        .lock()
        .unwrap()
        .insert(kind.to_owned(), compiled.clone());
    compiled
}

/// Problems of one template's resources, as `Resource: message at pointer`.
pub fn check_template(name: &str, template: &Value) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    let Some(resources) = template["Resources"].as_object() else {
        return (0, vec![format!("{name}: no Resources")]);
    };
    for (id, resource) in resources {
        let Some(kind) = resource["Type"].as_str() else {
            continue;
        };
        let Some(validator) = validator(kind) else {
            continue;
        };
        let properties = resource
            .get("Properties")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        checked += 1;
        for error in validator.iter_errors(&properties) {
            let pointer = error.instance_path().to_string();
            if under_intrinsic(&properties, &pointer) {
                continue;
            }
            // A required property or an enum checked on an object that holds intrinsics is
            // still a real error; only the intrinsic value itself is unknown.
            problems.push(format!("{name}: {id} ({kind}): {error} at {pointer}"));
        }
    }
    (checked, problems)
}

#[test]
fn generated_resources_match_aws_resource_schemas() {
    assert!(schema_dir().is_dir(), "missing {}", schema_dir().display());
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut templates = 0;
    let fixtures = super::builds::fixture_builds();
    let builds = fixtures
        .iter()
        .chain(super::builds::example_builds())
        .chain(super::builds::corpus_builds());
    let builds =
        builds.filter(|build| build.template && !super::cfn_lint::unexpressible(&build.name));
    for build in builds {
        for (path, template) in super::builds::all_json(build) {
            let (count, mut found) = check_template(&format!("{}/{path}", build.name), &template);
            templates += 1;
            checked += count;
            problems.append(&mut found);
        }
    }
    assert!(checked > 1000, "checked only {checked} resources");
    eprintln!("resource schemas: {checked} resources in {templates} templates");
    assert!(
        problems.is_empty(),
        "{} problems in {templates} templates:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
