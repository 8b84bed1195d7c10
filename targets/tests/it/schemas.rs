//! Every generated resource's properties validate against AWS's CloudFormation resource
//! schemas (`../shared/reference/cfn-schemas`). A value that is an intrinsic function is only
//! known at deploy time, so errors located at (or inside) an intrinsic are not counted.

use std::path::PathBuf;

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
        let path = schema_dir().join(format!("{}.json", kind.replace("::", "__")));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut schema: Value = serde_json::from_str(&text).unwrap();
        // The registry schemas are draft-07 with extra keywords the validator need not know.
        if let Some(map) = schema.as_object_mut() {
            map.insert(
                "$schema".into(),
                "http://json-schema.org/draft-07/schema#".into(),
            );
        }
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|error| panic!("schema {kind}: {error}"));
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
    for build in super::builds::fixture_builds() {
        if !build.template || build.name.contains(".sam.") {
            continue;
        }
        let template = super::builds::main_json(&build);
        let (count, mut found) = check_template(&build.name, &template);
        checked += count;
        problems.append(&mut found);
    }
    assert!(checked > 50, "checked only {checked} resources");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
