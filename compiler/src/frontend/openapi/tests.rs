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
