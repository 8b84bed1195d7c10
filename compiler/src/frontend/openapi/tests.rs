//! A spec embedded in a template, lowered at its pointer as the template front end does.

use std::sync::Arc;

use camino::Utf8Path;

use crate::frontend::{LoadedFile, Options, Session};
use crate::ir::{ApiKind, FunctionBinding};
use crate::pointer::Pointer;
use crate::source::MemoryWorld;

const TEMPLATE: &str = r#"
Parameters:
  OrdersArn: {Type: String}
Resources:
  Users: {Type: AWS::Serverless::Function}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionBody:
        openapi: 3.0.1
        info: {title: !Sub "${AWS::StackName}-api", version: "1"}
        paths:
          /orders:
            get:
              security: [{FromSamAuth: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersArn}/invocations
          /users:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Users}/invocations
"#;

fn lower_embedded(kind_hint: Option<ApiKind>) -> (Option<crate::ir::Api>, Session<'static>) {
    static WORLD: std::sync::OnceLock<MemoryWorld> = std::sync::OnceLock::new();
    let world = WORLD.get_or_init(|| MemoryWorld::new().with("template.yaml", TEMPLATE));
    let mut session = Session::new(world, Options::default());
    let file: Arc<LoadedFile> = session
        .load(Utf8Path::new("template.yaml"), None)
        .expect("loaded");
    let base = Pointer::from_escaped("/Resources/Api/Properties/DefinitionBody");
    let api = super::lower(&mut session, &file, &base, Some("Api"), kind_hint);
    (api, session)
}

#[test]
fn an_embedded_spec_binds_functions_to_template_parameters_and_resources() {
    let (api, session) = lower_embedded(None);
    assert!(
        session.report.is_empty(),
        "SAM adds `FromSamAuth` itself: {:?}",
        session
            .report
            .iter()
            .map(|p| p.message().to_owned())
            .collect::<Vec<_>>()
    );
    let api = api.expect("lowered");
    assert_eq!(api.name, "Api");
    assert_eq!(api.logical_id.as_deref(), Some("Api"));
    assert_eq!(api.title, "${AWS::StackName}-api");
    assert_eq!(api.kind, ApiKind::Rest);
    assert_eq!(
        api.function("OrdersArn").expect("orders").binding,
        FunctionBinding::Parameter {
            name: "OrdersArn".into()
        }
    );
    assert_eq!(
        api.function("Users").expect("users").binding,
        FunctionBinding::StackResource {
            logical_id: "Users".into()
        }
    );
    assert_eq!(
        api.routes[0].origin.pointer.as_str(),
        "/Resources/Api/Properties/DefinitionBody/paths/~1orders/get"
    );
}

#[test]
fn the_template_can_force_an_http_api() {
    let (api, _) = lower_embedded(Some(ApiKind::Http));
    assert_eq!(api.expect("lowered").kind, ApiKind::Http);
}

/// A spec of 400 paths lowers on all cores to exactly what it lowers to in order: the same
/// routes, functions (named alike when two bindings share a name and meet first in different
/// chunks) and diagnostics, including a chunk that loads a file through a `$ref`.
#[test]
fn paths_lowered_on_all_cores_are_lowered_in_order() {
    use crate::frontend::compile;

    let mut paths = serde_json::Map::new();
    for index in 0..400 {
        // `orders` is bound to two accounts, met first in different chunks of 64 paths.
        let function = match index {
            10 | 300 => "arn:aws:lambda:us-east-1:111111111111:function:orders".to_owned(),
            200 | 390 => "arn:aws:lambda:us-east-1:222222222222:function:orders".to_owned(),
            _ => format!(
                "arn:aws:lambda:us-east-1:111111111111:function:fn{}",
                index % 37
            ),
        };
        let uri = format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function}/invocations"
        );
        let mut operation = serde_json::json!({
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "aws_proxy", "httpMethod": "POST", "uri": uri
            }
        });
        if index % 50 == 7 {
            // A field API Gateway ignores, reported where it is.
            operation["x-amazon-apigateway-integrashun"] = serde_json::json!({});
        }
        let item = if index == 250 {
            serde_json::json!({"$ref": "items.json#/shared"})
        } else {
            serde_json::json!({"get": operation, "summary": format!("path {index}")})
        };
        let path = if index == 120 {
            "no-slash".to_owned()
        } else {
            format!("/p{index}/{{id}}")
        };
        paths.insert(path, item);
    }
    let spec = serde_json::json!({
        "openapi": "3.0.1",
        "info": {"title": "many", "version": "1"},
        "paths": paths,
    });
    let items = serde_json::json!({"shared": {"get": {
        "responses": {"200": {"description": "ok"}},
        "x-amazon-apigateway-integration": {"type": "mock"}
    }}});
    let world = MemoryWorld::new()
        .with("spec.json", spec.to_string())
        .with("items.json", items.to_string());
    let path = Utf8Path::new("spec.json");
    let parallel = compile(&world, path, &Options::default());
    super::IN_ORDER.with(|in_order| in_order.set(true));
    let in_order = compile(&world, path, &Options::default());
    super::IN_ORDER.with(|in_order| in_order.set(false));

    assert_eq!(
        format!("{:?}", parallel.apis),
        format!("{:?}", in_order.apis)
    );
    assert_eq!(parallel.diagnostics, in_order.diagnostics);
    let api = parallel.apis.first().expect("one API");
    assert_eq!(api.routes.len(), 400);
    let names: Vec<&str> = api.functions.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names.contains(&"orders") && names.contains(&"orders-2"),
        "{names:?}"
    );
    assert!(parallel
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.message.contains("no-slash")));
    assert!(parallel
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.message.contains("integrashun")));
}
