//! The DSL's desugaring, checked on the OpenAPI document it builds (the located loader is not
//! involved: documents are built from JSON).

use serde_json::json;

use super::*;
use crate::source::MemoryWorld;

/// The OpenAPI document a DSL document stands for, and the codes of every diagnostic.
fn desugar(dsl: serde_json::Value) -> (serde_json::Value, Vec<&'static str>) {
    let world = MemoryWorld::new();
    let mut session = Session::new(&world, Default::default());
    let file = Arc::new(LoadedFile {
        id: FileId(0),
        path: "api.yaml".into(),
        text: String::new(),
        root: Some(node::from_json(Default::default(), &dsl)),
    });
    session.files.push(Arc::clone(&file));
    let apis = lower(&mut session, &file);
    let spec = session
        .files
        .get(1)
        .and_then(|file| file.root.as_ref())
        .map(Node::to_json)
        .unwrap_or_default();
    let compilation = session.finish(apis);
    let codes = compilation.diagnostics.iter().map(|d| d.code).collect();
    (spec, codes)
}

#[test]
fn a_function_route_becomes_a_lambda_proxy_integration() {
    let (spec, codes) = desugar(json!({
        "apigw": 1, "name": "pets",
        "functions": {"pets": {}},
        "routes": {"GET /pets/{id}": {"function": "pets", "auth": "none"}}
    }));
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(
        spec["paths"]["/pets/{id}"]["get"],
        json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "x-amazon-apigateway-integration": {
                "type": "aws_proxy", "httpMethod": "POST",
                "uri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${pets}/invocations"}
            }
        })
    );
}

#[test]
fn a_route_without_auth_is_refused_and_a_public_one_says_so() {
    let (_, codes) = desugar(json!({
        "apigw": 1, "name": "pets", "functions": {"pets": {}},
        "routes": {"GET /pets": "pets"}
    }));
    assert_eq!(codes, ["APIGW012"]);
}

#[test]
fn auth_alternatives_and_api_keys_become_security_requirements() {
    let (spec, codes) = desugar(json!({
        "apigw": 1, "name": "pets", "functions": {"pets": {"stack": "PetsFunction"}},
        "authorizers": {"jwt": {"type": "iam"}, "key": {"type": "api_key"}},
        "auth": {"jwt": []},
        "routes": {
            "GET /a": "pets",
            "GET /b": {"function": "pets", "auth": ["key", {"jwt": ["read"]}]},
            "GET /c": {"function": "pets", "auth": "none"},
        }
    }));
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(spec["security"], json!([{"jwt": []}]));
    assert!(spec["paths"]["/a"]["get"].get("security").is_none());
    assert_eq!(
        spec["paths"]["/b"]["get"]["security"],
        json!([{"key": []}, {"jwt": ["read"]}])
    );
    assert_eq!(spec["paths"]["/c"]["get"]["security"], json!([]));
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let (_, codes) = desugar(json!({
        "apigw": 1, "name": "pets", "fucntions": {},
        "routes": {"GET /a": {"mock": true, "auth": "none"}}
    }));
    assert_eq!(codes, ["APIGW015"]);
}
