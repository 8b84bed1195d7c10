//! CloudFormation and SAM templates in, IR and diagnostics out.
//!
//! - APIs defined by resources only (REST `Resource`/`Method`, WebSocket and HTTP `Route`s), by
//!   SAM function events (implicit and named APIs), and by embedded or included specs.
//! - Stages, usage plans, keys and domains reach the API they name.
//! - Diagnostics inside an embedded spec point into the template; inside an included spec, into
//!   the included file.
//! - Every template of `shared/corpus` lowers without a panic, and only the reviewed ones have
//!   errors.

use std::collections::BTreeSet;

use apigw_compiler::ir::{
    Api, ApiKind, AuthorizerKind, Expr, FunctionBinding, HttpMethod, IntegrationType,
    LocalFunction, ParameterLocation, Route, RouteKey, Schema,
};
use apigw_compiler::{compile, Compilation, Diagnostic, MemoryWorld, Options, Severity};
use camino::{Utf8Path, Utf8PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/template");

/// A world holding every fixture under its path relative to the fixture folder.
fn fixtures() -> MemoryWorld {
    let mut world = MemoryWorld::new();
    for path in files_below(Utf8Path::new(FIXTURES)) {
        let relative = path
            .strip_prefix(FIXTURES)
            .expect("below the fixtures")
            .to_owned();
        world.insert(relative, std::fs::read(&path).expect("readable fixture"));
    }
    world
}

fn files_below(dir: &Utf8Path) -> Vec<Utf8PathBuf> {
    let mut out = Vec::new();
    for entry in dir.read_dir_utf8().expect("a directory") {
        let path = entry.expect("an entry").path().to_owned();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn compile_fixture(name: &str) -> Compilation {
    compile(&fixtures(), Utf8Path::new(name), &Options::default())
}

fn compile_text(name: &str, text: &str) -> Compilation {
    let world = MemoryWorld::new().with(name, text);
    compile(&world, Utf8Path::new(name), &Options::default())
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {} {}\n",
                d.location.file, d.location.line, d.location.column, d.severity, d.code, d.message
            )
        })
        .collect()
}

fn errors(compilation: &Compilation) -> Vec<Diagnostic> {
    compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .cloned()
        .collect()
}

fn assert_no_errors(compilation: &Compilation) {
    let errors = errors(compilation);
    assert!(errors.is_empty(), "unexpected errors:\n{}", render(&errors));
}

fn api<'c>(compilation: &'c Compilation, logical_id: &str) -> &'c Api {
    compilation
        .apis
        .iter()
        .find(|api| api.logical_id.as_deref() == Some(logical_id))
        .unwrap_or_else(|| {
            let ids: Vec<_> = compilation.apis.iter().map(|api| &api.name).collect();
            panic!("no API {logical_id}; APIs: {ids:?}")
        })
}

fn route<'a>(api: &'a Api, key: &str) -> &'a Route {
    api.routes
        .iter()
        .find(|route| route.key.to_string() == key)
        .unwrap_or_else(|| {
            let keys: Vec<String> = api
                .routes
                .iter()
                .map(|route| route.key.to_string())
                .collect();
            panic!("no route {key} in {}; routes: {keys:?}", api.name)
        })
}

fn route_keys(api: &Api) -> Vec<String> {
    api.routes
        .iter()
        .map(|route| route.key.to_string())
        .collect()
}

/// The scheme names of each security requirement of a route (`None`: the API default).
fn security(route: &Route) -> Option<Vec<Vec<String>>> {
    route.security.as_ref().map(|requirements| {
        requirements
            .iter()
            .map(|requirement| requirement.schemes.keys().cloned().collect())
            .collect()
    })
}

#[test]
fn a_rest_api_defined_by_resources_becomes_routes_with_full_paths() {
    let compilation = compile_fixture("rest-resources.yaml");
    assert_no_errors(&compilation);
    assert_eq!(compilation.apis.len(), 1);
    let api = api(&compilation, "PetsApi");
    assert_eq!(api.name, "PetsApi");
    assert_eq!(api.title, "pets");
    assert_eq!(api.kind, ApiKind::Rest);
    assert_eq!(api.origin.pointer.as_str(), "/Resources/PetsApi");
    assert_eq!(
        route_keys(api),
        ["GET /pets", "GET /pets/{id}", "OPTIONS /"]
    );

    let list = route(api, "GET /pets");
    assert_eq!(security(list), Some(vec![vec!["token".to_owned()]]));
    let integration = list.integration.as_ref().expect("an integration");
    assert_eq!(integration.kind, Some(IntegrationType::AwsProxy));
    assert_eq!(integration.function.as_deref(), Some("PetsFunction"));
    assert_eq!(list.parameters.len(), 1);
    assert_eq!(list.parameters[0].name, "limit");
    assert_eq!(list.parameters[0].location, ParameterLocation::Query);
    assert!(!list.parameters[0].required);

    let function = api.function("PetsFunction").expect("registered");
    assert_eq!(
        function.binding,
        FunctionBinding::StackResource {
            logical_id: "PetsFunction".into()
        }
    );
    assert_eq!(function.timeout_seconds, Some(10));
    assert_eq!(
        function.local,
        Some(LocalFunction::Runtime {
            runtime: "python3.12".into(),
            handler: "app.handler".into(),
            code: Some("./src".into()),
        })
    );

    let get = route(api, "GET /pets/{id}");
    assert_eq!(
        security(get),
        Some(vec![vec!["sigv4".to_owned(), "api_key".to_owned()]])
    );
    assert_eq!(
        get.request_validator.as_ref().map(|v| v.value.as_str()),
        Some("body-only")
    );
    let body = get.request_body.as_ref().expect("request models");
    assert_eq!(
        body.content.get("application/json"),
        Some(&Some(Schema::Model { name: "Pet".into() }))
    );
    let mock = get.integration.as_ref().expect("an integration");
    assert_eq!(mock.kind, Some(IntegrationType::Mock));
    let patterns: Vec<&str> = mock
        .responses
        .iter()
        .map(|response| response.selection_pattern.as_str())
        .collect();
    assert_eq!(patterns, ["default", ".*not found.*"]);
    assert_eq!(get.responses.len(), 1);
    assert_eq!(get.responses[0].status, "200");
    assert!(get.responses[0].headers["X-Request-Id"].required);

    assert_eq!(security(route(api, "OPTIONS /")), Some(vec![]));

    let token = api.authorizer("token").expect("the authorizer");
    assert_eq!(token.kind, Some(AuthorizerKind::Token));
    assert_eq!(token.header_name.as_deref(), Some("Authorization"));
    assert_eq!(
        token.result_ttl_seconds.as_ref().map(|ttl| ttl.value),
        Some(300)
    );
    let authorizer_function = api
        .function(token.function.as_deref().expect("a Lambda authorizer"))
        .expect("registered");
    assert_eq!(
        authorizer_function.binding,
        FunctionBinding::Parameter {
            name: "AuthorizerArn".into()
        }
    );
    assert_eq!(
        api.authorizer("sigv4").and_then(|iam| iam.kind),
        Some(AuthorizerKind::Iam)
    );

    assert_eq!(
        api.model("Pet").map(|model| &model.schema["type"]),
        Some(&"object".into())
    );
    assert_eq!(api.gateway_responses.len(), 1);
    assert_eq!(api.gateway_responses[0].response_type, "RESOURCE_NOT_FOUND");
    let binary: Vec<&str> = api
        .binary_media_types
        .iter()
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!(binary, ["image/png"]);
    assert_eq!(
        api.endpoint.as_ref().map(|endpoint| endpoint.types.clone()),
        Some(vec!["REGIONAL".to_owned()])
    );
    assert_eq!(api.tags.len(), 1);

    let names: Vec<&str> = api.stages.iter().map(|stage| stage.name.as_str()).collect();
    assert_eq!(names, ["prod", "dev"]);
    let prod = &api.stages[0];
    assert_eq!(prod.variables.get("env"), Some(&Expr::literal("prod")));
    assert_eq!(prod.method_settings[0].resource_path, "*");
    assert_eq!(
        prod.method_settings[0]
            .throttling
            .as_ref()
            .and_then(|t| t.burst_limit),
        Some(100)
    );
    let dev = &api.stages[1];
    assert_eq!(dev.tracing_enabled, Some(true));
    assert_eq!(dev.method_settings[0].resource_path, "/pets");
    assert_eq!(dev.method_settings[0].http_method, "GET");
    assert_eq!(
        dev.access_log
            .as_ref()
            .and_then(|log| log.format.as_deref()),
        Some("$context.requestId")
    );
}

#[test]
fn a_parent_id_loop_is_reported_once_and_does_not_hang() {
    let template = "\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  A:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !Ref B
      PathPart: a
  B:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !Ref A
      PathPart: b
  GetA:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref A
      HttpMethod: GET
      Integration: {Type: MOCK}
  GetB:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref B
      HttpMethod: GET
      Integration: {Type: MOCK}
";
    let compilation = compile_text("loop.yaml", template);
    let found: Vec<(&str, u32, u32)> = compilation
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.line, d.location.column))
        .collect();
    assert_eq!(
        found,
        [("APIGW018", 8, 7)],
        "{}",
        render(&compilation.diagnostics)
    );
    assert!(compilation.diagnostics[0].message.contains("A → B → A"));
    assert!(api(&compilation, "Api").routes.is_empty());
}

#[test]
fn wrong_types_are_reported_where_they_are() {
    let template = "\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BinaryMediaTypes: image/png
      MinimumCompressionSize: [1024]
  Root:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration: mock
";
    let compilation = compile_text("types.yaml", template);
    let found: Vec<(&str, u32, u32)> = compilation
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.line, d.location.column))
        .collect();
    assert_eq!(
        found,
        [
            ("APIGW011", 5, 25),
            ("APIGW011", 6, 7),
            ("APIGW011", 13, 20)
        ],
        "{}",
        render(&compilation.diagnostics)
    );
    // The method is kept, without the integration it could not read.
    let api = api(&compilation, "Api");
    assert!(route(api, "GET /").integration.is_none());
}

#[test]
fn a_websocket_api_is_built_from_its_routes_and_integrations() {
    let compilation = compile_fixture("websocket.yaml");
    assert_no_errors(&compilation);
    let api = api(&compilation, "ChatApi");
    assert_eq!(api.kind, ApiKind::Websocket);
    assert_eq!(
        api.route_selection_expression.as_deref(),
        Some("$request.body.action")
    );
    assert_eq!(route_keys(api), ["$connect", "sendmessage", "$default"]);

    let connect = route(api, "$connect");
    assert_eq!(
        connect.key,
        RouteKey::Websocket {
            key: "$connect".into()
        }
    );
    assert_eq!(security(connect), Some(vec![vec!["ws-auth".to_owned()]]));
    let integration = connect.integration.as_ref().expect("the Join target");
    assert_eq!(integration.kind, Some(IntegrationType::AwsProxy));
    assert_eq!(integration.function.as_deref(), Some("ConnectFunction"));

    let send = route(api, "sendmessage");
    assert_eq!(
        send.route_response_selection_expression.as_deref(),
        Some("$default")
    );
    assert_eq!(send.route_responses.len(), 1);
    assert_eq!(send.route_responses[0].key, "$default");
    let integration = send.integration.as_ref().expect("the Sub target");
    assert_eq!(integration.kind, Some(IntegrationType::Aws));
    assert!(integration.function.is_none());
    assert_eq!(integration.responses.len(), 1);
    assert_eq!(integration.responses[0].selection_pattern, "/200/");
    assert_eq!(
        integration.request_templates["$default"].value,
        "{\"TableName\": \"${Table}\"}"
    );
    assert!(matches!(
        &integration.credentials.as_ref().expect("credentials").value,
        Expr::GetAtt { resource, .. } if resource == "TableRole"
    ));
    assert_eq!(route(api, "$default").key, RouteKey::Default);

    let authorizer = api.authorizer("ws-auth").expect("the authorizer");
    assert_eq!(authorizer.kind, Some(AuthorizerKind::Request));
    assert_eq!(
        authorizer.identity_source[0].value,
        "route.request.header.token"
    );
    assert_eq!(authorizer.function.as_deref(), Some("AuthFunction"));

    assert_eq!(api.stages.len(), 1);
    // `!Ref StageName` reads as the parameter's default, the stage that deploys.
    assert_eq!(api.stages[0].name, "live");
    assert_eq!(
        api.stages[0].throttling.as_ref().and_then(|t| t.rate_limit),
        Some(10.0)
    );
    assert_eq!(api.stages[0].variables["table"], Expr::literal("chat"));
}

#[test]
fn sam_events_without_an_api_build_the_implicit_apis() {
    let compilation = compile_fixture("sam-implicit.yaml");
    assert_no_errors(&compilation);
    assert_eq!(compilation.apis.len(), 2);

    let rest = api(&compilation, "ServerlessRestApi");
    assert_eq!(rest.kind, ApiKind::Rest);
    assert_eq!(route_keys(rest), ["GET /orders", "POST /orders"]);
    assert_eq!(
        rest.origin.pointer.as_str(),
        "/Resources/ListOrders/Properties/Events/List"
    );
    assert_eq!(security(route(rest, "GET /orders")), None);
    assert_eq!(
        security(route(rest, "POST /orders")),
        Some(vec![vec!["api_key".to_owned()]])
    );
    let integration = route(rest, "GET /orders")
        .integration
        .as_ref()
        .expect("proxy");
    assert_eq!(integration.kind, Some(IntegrationType::AwsProxy));
    assert_eq!(
        integration.uri.as_ref().map(|uri| uri.value.display_text()),
        Some(
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ListOrders.Arn}/invocations"
                .to_owned()
        )
    );
    let function = rest.function("ListOrders").expect("registered");
    assert_eq!(
        function.binding,
        FunctionBinding::StackResource {
            logical_id: "ListOrders".into()
        }
    );
    // `Globals.Function` gives the timeout and the code location.
    assert_eq!(function.timeout_seconds, Some(15));
    assert_eq!(
        function.local,
        Some(LocalFunction::Runtime {
            runtime: "python3.12".into(),
            handler: "orders.list".into(),
            code: Some("./src".into()),
        })
    );
    // `Globals.Api` applies to the implicit API.
    assert_eq!(rest.binary_media_types[0].value, "image/png");
    assert_eq!(rest.stages.len(), 1);
    assert_eq!(rest.stages[0].name, "Prod");
    assert_eq!(rest.stages[0].tracing_enabled, Some(true));

    let http = api(&compilation, "ServerlessHttpApi");
    assert_eq!(http.kind, ApiKind::Http);
    assert_eq!(route_keys(http), ["$default", "GET /health"]);
    let default = route(http, "$default");
    assert!(default.is_default_route);
    let integration = default.integration.as_ref().expect("proxy");
    assert_eq!(
        integration
            .payload_format_version
            .as_ref()
            .map(|v| v.value.as_str()),
        Some("2.0")
    );
    let health = route(http, "GET /health")
        .integration
        .as_ref()
        .expect("proxy");
    assert_eq!(
        health
            .payload_format_version
            .as_ref()
            .map(|v| v.value.as_str()),
        Some("1.0")
    );
    assert_eq!(
        http.function("Proxy").and_then(|f| f.timeout_seconds),
        Some(29)
    );
    assert_eq!(http.stages[0].name, "$default");
}

#[test]
fn sam_api_auth_cors_usage_plan_and_domain_reach_the_ir() {
    let compilation = compile_fixture("sam-api.yaml");
    assert_no_errors(&compilation);
    let shop = api(&compilation, "ShopApi");
    assert_eq!(
        route_keys(shop),
        [
            "GET /items",
            "PUT /items/{sku}",
            "OPTIONS /items",
            "OPTIONS /items/{sku}"
        ]
    );
    assert_eq!(security(route(shop, "GET /items")), Some(vec![]));
    assert_eq!(
        security(route(shop, "PUT /items/{sku}")),
        Some(vec![vec!["Token".to_owned()]])
    );
    // `AddDefaultAuthorizerToCorsPreflight: false` leaves the preflight open.
    assert_eq!(security(route(shop, "OPTIONS /items")), Some(vec![]));
    let preflight = route(shop, "OPTIONS /items")
        .integration
        .as_ref()
        .expect("a mock");
    assert_eq!(preflight.kind, Some(IntegrationType::Mock));
    let headers = &preflight.responses[0].response_parameters;
    assert_eq!(
        headers["method.response.header.Access-Control-Allow-Origin"].value,
        "'https://shop.example.com'"
    );
    assert_eq!(
        headers["method.response.header.Access-Control-Allow-Methods"].value,
        "'GET,OPTIONS'"
    );
    assert_eq!(
        headers["method.response.header.Access-Control-Max-Age"].value,
        "'600'"
    );
    // `Auth.InvokeRole`: the caller's credentials, unless the event says `NONE`.
    let credentials = |key: &str| {
        route(shop, key)
            .integration
            .as_ref()
            .and_then(|integration| integration.credentials.as_ref())
            .map(|credentials| credentials.value.clone())
    };
    assert_eq!(
        credentials("PUT /items/{sku}"),
        Some(Expr::literal("arn:aws:iam::*:user/*"))
    );
    assert_eq!(credentials("GET /items"), None);
    let put = route(shop, "PUT /items/{sku}");
    let body = put.request_body.as_ref().expect("the request model");
    assert!(body.required);
    assert_eq!(
        body.content["application/json"],
        Some(Schema::Model {
            name: "Item".into()
        })
    );

    let cognito = shop.authorizer("Cognito").expect("cognito");
    assert_eq!(cognito.kind, Some(AuthorizerKind::CognitoUserPools));
    assert!(matches!(&cognito.provider_arns[0].value, Expr::Ref { name } if name == "UserPoolArn"));
    let token = shop.authorizer("Token").expect("token");
    assert_eq!(token.kind, Some(AuthorizerKind::Token));
    assert_eq!(
        token.identity_source[0].value,
        "method.request.header.X-Token"
    );
    assert_eq!(token.result_ttl_seconds.as_ref().map(|t| t.value), Some(60));
    assert_eq!(token.function.as_deref(), Some("AuthFunction"));

    assert_eq!(
        shop.model("Item").map(|m| m.schema["required"][0].clone()),
        Some("sku".into())
    );
    assert_eq!(shop.gateway_responses[0].response_type, "UNAUTHORIZED");
    assert_eq!(
        shop.gateway_responses[0].response_parameters
            ["gatewayresponse.header.Access-Control-Allow-Origin"]
            .value,
        "'*'"
    );
    let endpoint = shop.endpoint.as_ref().expect("endpoint");
    assert_eq!(endpoint.types, ["PRIVATE"]);
    assert_eq!(endpoint.vpc_endpoint_ids, [Expr::literal("vpce-1234")]);

    assert_eq!(shop.stages.len(), 1);
    let stage = &shop.stages[0];
    assert_eq!(stage.name, "v1");
    assert_eq!(stage.variables["backend"], Expr::literal("blue"));
    assert_eq!(stage.method_settings[0].metrics_enabled, Some(true));
    assert!(stage.access_log.is_some());

    assert_eq!(shop.usage_plans.len(), 1);
    let plan = &shop.usage_plans[0];
    assert_eq!(plan.name, "ShopApiUsagePlan");
    assert_eq!(plan.stages, ["v1"]);
    assert_eq!(
        plan.quota.as_ref().map(|q| (q.limit, q.period.as_str())),
        Some((1000, "MONTH"))
    );
    assert_eq!(plan.api_keys, ["ShopApiApiKey"]);
    assert_eq!(shop.api_keys[0].name, "ShopApiApiKey");
    assert!(shop.api_keys[0].enabled);

    assert_eq!(shop.domains.len(), 1);
    let domain = &shop.domains[0];
    assert_eq!(domain.domain_name, Expr::literal("api.shop.example.com"));
    assert_eq!(domain.endpoint_type.as_deref(), Some("REGIONAL"));
    assert_eq!(domain.mappings.len(), 1);
    assert_eq!(domain.mappings[0].base_path.as_deref(), Some("shop"));
    assert_eq!(domain.mappings[0].stage, "v1");

    let orders = api(&compilation, "OrdersHttp");
    assert_eq!(orders.kind, ApiKind::Http);
    assert_eq!(
        security(route(orders, "GET /orders/{id}")),
        Some(vec![vec!["Jwt".to_owned()]])
    );
    let jwt = orders.authorizer("Jwt").expect("jwt");
    assert_eq!(jwt.kind, Some(AuthorizerKind::Jwt));
    let configuration = jwt.jwt.as_ref().expect("jwt configuration");
    assert_eq!(
        configuration.issuer.as_ref().map(|i| i.value.clone()),
        Some(Expr::literal("https://issuer.example.com"))
    );
    let cors = orders.cors.as_ref().expect("cors");
    assert_eq!(cors.allow_origins, ["https://shop.example.com"]);
    assert_eq!(cors.max_age, Some(300));
    assert_eq!(orders.stages[0].name, "live");
    assert_eq!(
        orders.stages[0]
            .throttling
            .as_ref()
            .and_then(|t| t.burst_limit),
        Some(50)
    );
}

#[test]
fn json_templates_give_stages_usage_plans_keys_and_domains() {
    let compilation = compile_fixture("deploy.json");
    assert_no_errors(&compilation);
    let rest = api(&compilation, "Api");
    assert_eq!(route_keys(rest), ["GET /hello"]);
    let hello = route(rest, "GET /hello");
    assert_eq!(security(hello), Some(vec![vec!["api_key".to_owned()]]));
    assert_eq!(
        hello.integration.as_ref().and_then(|i| i.kind),
        Some(IntegrationType::HttpProxy)
    );
    assert_eq!(rest.stages.len(), 1);
    assert!(matches!(
        rest.stages[0].variables["backend"],
        Expr::Template { .. }
    ));
    assert_eq!(rest.usage_plans.len(), 1);
    let plan = &rest.usage_plans[0];
    assert_eq!(plan.name, "partners");
    assert_eq!(plan.stages, ["prod"]);
    assert_eq!(plan.api_keys, ["partner"]);
    assert_eq!(
        plan.throttling.as_ref().and_then(|t| t.rate_limit),
        Some(10.0)
    );
    assert_eq!(rest.api_keys.len(), 1);
    assert!(rest.api_keys[0].enabled);
    assert_eq!(rest.domains.len(), 1);
    let domain = &rest.domains[0];
    assert_eq!(domain.domain_name, Expr::literal("api.example.com"));
    assert_eq!(domain.security_policy.as_deref(), Some("TLS_1_2"));
    assert_eq!(domain.mappings[0].base_path.as_deref(), Some("v1"));
    assert_eq!(domain.mappings[0].stage, "prod");

    let http = api(&compilation, "HttpApi");
    assert_eq!(http.kind, ApiKind::Http);
    assert_eq!(route_keys(http), ["$default"]);
    let quick = route(http, "$default")
        .integration
        .as_ref()
        .expect("quick create");
    assert_eq!(quick.kind, Some(IntegrationType::AwsProxy));
    let function = http
        .function(quick.function.as_deref().expect("a function"))
        .expect("registered");
    assert_eq!(
        function.binding,
        FunctionBinding::StackResource {
            logical_id: "QuickFunction".into()
        }
    );
    assert_eq!(function.timeout_seconds, Some(5));
    assert!(function.local.is_none());
    assert_eq!(
        http.cors.as_ref().map(|c| c.allow_credentials),
        Some(Some(false))
    );
    assert_eq!(http.domains.len(), 1);
    assert_eq!(
        http.domains[0].domain_name,
        Expr::literal("quick.example.com")
    );
    assert_eq!(http.domains[0].mappings[0].stage, "$default");
}

#[test]
fn specs_the_template_cannot_read_are_reported_and_skipped() {
    let compilation = compile_fixture("embedded.yaml");
    let external: Vec<(String, u32, u32)> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.code == "APIGW016")
        .map(|d| {
            (
                d.location.pointer.to_string(),
                d.location.line,
                d.location.column,
            )
        })
        .collect();
    assert_eq!(
        external,
        [
            (
                "/Resources/FromS3/Properties/DefinitionBody/Fn::Transform/Parameters/Location"
                    .to_owned(),
                79,
                23
            ),
            (
                "/Resources/FromS3Location/Properties/BodyS3Location".to_owned(),
                83,
                7
            ),
            (
                "/Resources/Outside/Properties/DefinitionUri".to_owned(),
                90,
                22
            ),
            ("/Resources/Conditional/Properties/Body".to_owned(), 94, 7),
        ],
        "{}",
        render(&compilation.diagnostics)
    );
    let messages: Vec<&str> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.code == "APIGW016")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages[0].contains("s3://my-bucket/api.yaml"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("s3://my-bucket/specs/api.json"),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("outside the template's directory"),
        "{messages:?}"
    );
    assert!(messages[3].contains("Fn::If"), "{messages:?}");
    for skipped in ["FromS3", "FromS3Location", "Outside", "Conditional"] {
        assert!(
            compilation
                .apis
                .iter()
                .all(|api| api.logical_id.as_deref() != Some(skipped)),
            "{skipped} should not be lowered"
        );
    }
    // An event on an API whose spec is unknown does not create the implicit API instead.
    assert!(compilation
        .apis
        .iter()
        .all(|api| api.logical_id.as_deref() != Some("ServerlessRestApi")));
}

#[test]
fn embedded_and_included_specs_are_lowered_with_the_template_on_top() {
    let compilation = compile_fixture("embedded.yaml");
    assert_no_errors(&compilation);
    let rest = api(&compilation, "RestWithBody");
    assert_eq!(rest.name, "RestWithBody");
    assert_eq!(rest.title, "rest-with-body");
    assert_eq!(rest.kind, ApiKind::Rest);
    assert_eq!(rest.origin.pointer.as_str(), "/Resources/RestWithBody");
    assert_eq!(route_keys(rest), ["GET /pets", "GET /backend"]);
    assert!(rest
        .binary_media_types
        .iter()
        .any(|t| t.value == "application/octet-stream"));
    let pets = rest.function("PetsFunction").expect("pets");
    assert_eq!(
        pets.binding,
        FunctionBinding::StackResource {
            logical_id: "PetsFunction".into()
        }
    );
    let backend = rest.function("BackendFunctionArn").expect("backend");
    assert_eq!(
        backend.binding,
        FunctionBinding::Parameter {
            name: "BackendFunctionArn".into()
        }
    );

    let http = api(&compilation, "HttpWithBody");
    assert_eq!(http.kind, ApiKind::Http);
    assert_eq!(route_keys(http), ["GET /orders"]);

    let sam = api(&compilation, "SamWithBody");
    // The event adds the route the body lacks; the body's own route stands.
    assert_eq!(route_keys(sam), ["GET /things", "POST /extra"]);
    assert_eq!(
        route(sam, "GET /things")
            .integration
            .as_ref()
            .and_then(|i| i.kind),
        Some(IntegrationType::Mock)
    );
    assert_eq!(sam.stages[0].name, "prod");

    let included = api(&compilation, "SamIncluded");
    assert_eq!(route_keys(included), ["GET /included"]);
    assert_eq!(included.origin.pointer.as_str(), "/Resources/SamIncluded");

    let from_uri = api(&compilation, "SamFromUri");
    assert_eq!(from_uri.kind, ApiKind::Http);
    assert_eq!(route_keys(from_uri), ["GET /uri"]);
}

#[test]
fn diagnostics_in_an_embedded_spec_point_into_the_template() {
    let template = "\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        info: {title: t, version: '1'}
        paths:
          /pets:
            get:
              x-amazon-apigateway-integration:
                type: lambda
";
    let compilation = compile_text("template.yaml", template);
    let found: Vec<(&str, &str, u32, u32)> = compilation
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.location.file.as_str(),
                d.location.line,
                d.location.column,
            )
        })
        .collect();
    assert!(
        found.contains(&("APIGW013", "template.yaml", 12, 23)),
        "{}",
        render(&compilation.diagnostics)
    );
    let diagnostic = compilation
        .diagnostics
        .iter()
        .find(|d| d.code == "APIGW013")
        .expect("the bad type");
    assert!(diagnostic
        .location
        .pointer
        .as_str()
        .starts_with("/Resources/Api/Properties/Body/paths/~1pets/get"));
}

#[test]
fn diagnostics_in_an_included_spec_point_into_the_included_file() {
    let template = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: specs/api.yaml
  Missing:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: specs/missing.yaml
";
    let spec = "\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      x-amazon-apigateway-integration:
        type: lambda
";
    let world = MemoryWorld::new()
        .with("stack/template.yaml", template)
        .with("stack/specs/api.yaml", spec);
    let compilation = compile(
        &world,
        Utf8Path::new("stack/template.yaml"),
        &Options::default(),
    );
    let found: Vec<(&str, &str, u32, u32)> = compilation
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.location.file.as_str(),
                d.location.line,
                d.location.column,
            )
        })
        .collect();
    assert!(
        found.contains(&("APIGW013", "stack/specs/api.yaml", 7, 15)),
        "{}",
        render(&compilation.diagnostics)
    );
    // The missing file is reported where the template names it.
    assert!(
        found.contains(&("APIGW017", "stack/template.yaml", 16, 22)),
        "{}",
        render(&compilation.diagnostics)
    );
    assert_eq!(compilation.apis.len(), 1);
    assert_eq!(compilation.apis[0].logical_id.as_deref(), Some("Api"));
}

#[test]
fn sam_route_methods_and_http_methods_parse() {
    // A sanity check of the route keys SAM events produce.
    let template = "\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Any:
          Type: Api
          Properties: {Path: /any, Method: any}
        Bad:
          Type: Api
          Properties: {Path: /bad, Method: fetch}
        NoPath:
          Type: Api
          Properties: {Method: get}
";
    let compilation = compile_text("events.yaml", template);
    let found: Vec<(&str, u32, u32)> = compilation
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.line, d.location.column))
        .collect();
    assert_eq!(
        found,
        [("APIGW013", 11, 44), ("APIGW012", 14, 11)],
        "{}",
        render(&compilation.diagnostics)
    );
    let api = api(&compilation, "ServerlessRestApi");
    assert_eq!(
        api.routes[0].key,
        RouteKey::Http {
            method: HttpMethod::Any,
            path: "/any".into()
        }
    );
}

#[test]
fn malformed_templates_give_diagnostics_not_panics() {
    let cases: &[(&str, &[&str])] = &[
        ("Resources: [a, b]\n", &["APIGW011"]),
        ("Parameters: 3\nResources: {}\n", &["APIGW011"]),
        (
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events: [1, 2]\n",
            &["APIGW011"],
        ),
        (
            "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body: 42\n",
            &["APIGW011"],
        ),
        (
            "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionBody:\n        Fn::Transform: {Name: AWS::Include}\n",
            &["APIGW012"],
        ),
        (
            "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: [a]\n      Cors: [x]\n",
            &["APIGW011", "APIGW011"],
        ),
        (
            "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      ProtocolType: GRPC\n",
            &["APIGW013"],
        ),
        (
            "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {ProtocolType: HTTP}\n  R:\n    Type: AWS::ApiGatewayV2::Route\n    Properties: {ApiId: !Ref Api, RouteKey: GET pets}\n",
            &["APIGW018"],
        ),
        (
            "Resources:\n  M:\n    Type: AWS::ApiGateway::Method\n    Properties: {RestApiId: 5, ResourceId: [], HttpMethod: {}}\n  S:\n    Type: AWS::ApiGateway::Stage\n    Properties: []\n  P:\n    Type: AWS::ApiGateway::UsagePlan\n    Properties: {ApiStages: {a: b}}\n",
            &["APIGW011"],
        ),
        (
            "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      Auth:\n        DefaultAuthorizer: Nope\n        Authorizers: {Lambda: {FunctionArn: arn:aws:lambda:eu-west-1:1:function:f}}\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Get:\n          Type: Api\n          Properties: {RestApiId: !Ref Api, Path: /, Method: get, Auth: {Authorizer: Typo}}\n",
            &["APIGW018", "APIGW018"],
        ),
    ];
    for (text, expected) in cases {
        let compilation = compile_text("bad.yaml", text);
        let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            &codes,
            expected,
            "{text}\n{}",
            render(&compilation.diagnostics)
        );
    }
}

#[test]
fn deep_resource_trees_resolve_and_huge_templates_are_bounded() {
    // A chain of 2000 nested resources with a method on every tenth one.
    let mut template = String::from("Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n");
    for depth in 0..2000 {
        let parent = if depth == 0 {
            "!GetAtt Api.RootResourceId".to_owned()
        } else {
            format!("!Ref R{}", depth - 1)
        };
        template.push_str(&format!(
            "  R{depth}:\n    Type: AWS::ApiGateway::Resource\n    Properties: {{RestApiId: !Ref Api, ParentId: {parent}, PathPart: p{depth}}}\n"
        ));
        if depth % 10 == 9 {
            template.push_str(&format!(
                "  M{depth}:\n    Type: AWS::ApiGateway::Method\n    Properties: {{RestApiId: !Ref Api, ResourceId: !Ref R{depth}, HttpMethod: GET, Integration: {{Type: MOCK}}}}\n"
            ));
        }
    }
    let compilation = compile_text("deep.yaml", &template);
    assert_no_errors(&compilation);
    let api = api(&compilation, "Api");
    assert_eq!(api.routes.len(), 200);
    let deepest = api.routes[199].path().expect("a path");
    assert_eq!(deepest.matches('/').count(), 2000);
    assert!(deepest.ends_with("/p1998/p1999"));

    // More resources than apigw reads: one diagnostic, and the first ones still lowered.
    let mut template = String::from("Resources:\n");
    for index in 0..5001 {
        template.push_str(&format!(
            "  Api{index}:\n    Type: AWS::ApiGateway::RestApi\n"
        ));
    }
    let compilation = compile_text("huge.yaml", &template);
    let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["APIGW003"]);
    assert_eq!(compilation.apis.len(), 5000);
}

/// The directory of files shared beside the repository (the corpus, the oracle), found by
/// walking up from the crate.
fn shared() -> Utf8PathBuf {
    let mut dir = Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/corpus/MANIFEST.tsv");
        if candidate.is_file() {
            return dir.join("shared");
        }
        assert!(dir.pop(), "shared/ not found above the crate");
    }
}

fn compile_corpus_file(path: &Utf8Path) -> Compilation {
    let text = std::fs::read(path).expect("readable");
    let name = path.file_name().expect("a file name");
    let world = MemoryWorld::new().with(name, text);
    compile(&world, Utf8Path::new(name), &Options::default())
}

/// The corpus's CloudFormation and SAM templates.
fn corpus_templates() -> Vec<String> {
    let manifest = std::fs::read_to_string(shared().join("corpus/MANIFEST.tsv")).expect("manifest");
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let file = columns.next()?;
            let format = columns.nth(3)?;
            (format == "cfn" || format == "sam").then(|| file.to_owned())
        })
        .collect()
}

/// Templates of the corpus that have errors, each reviewed: the error is real.
const CORPUS_WITH_ERRORS: &[(&str, &str)] = &[
    (
        "aws-cloudformation__cfn-lint__test_fixtures_templates_good_parameters_used_transform_removed.yaml",
        "APIGW012, APIGW018: a cfn-lint fixture; its spec nests securitySchemes under paths and \
         has an integration without a type, which API Gateway's importer refuses",
    ),
    (
        "aws-samples__aws-serverless-workshops__MultiRegion_1_API_wild-rydes-api-primary-region.yaml",
        "APIGW002: the DefinitionBody has `swagger` twice (lines 12 and 97)",
    ),
    (
        "aws-samples__serverless-patterns__multi-account-private-apigw_centralAccount_template.yaml",
        "APIGW002: FetchVPCEndpointIPsFunction has `Handler` twice",
    ),
    (
        "aws__aws-sam-cli__tests_integration_testdata_start_api_lambda_authorizers_swagger-api.yaml",
        "APIGW012: path parameters written `- status: {in: path}` (a map inside the item), so the \
         parameter itself has no `in`; a `sam local` test template",
    ),
    (
        "govuk-one-login__authentication-api__template.yaml",
        "APIGW017: the spec it includes with AWS::Include is not in the corpus",
    ),
    (
        "govuk-one-login__ipv-cri-fraud-api__infrastructure_lambda_template.yaml",
        "APIGW017: the specs it includes with AWS::Include are not in the corpus",
    ),
    (
        "govuk-one-login__ipv-cri-kbv-api__infrastructure_lambda_template.yaml",
        "APIGW017: the specs it includes with AWS::Include are not in the corpus",
    ),
    (
        "wdas03__ai-photo-album-aws__cloudformation_template.yaml",
        "APIGW001: a flow mapping closes at its key's own indentation (line 376), which YAML 1.2 \
         forbids",
    ),
];

#[test]
fn every_corpus_template_lowers_and_only_the_reviewed_ones_have_errors() {
    let corpus = shared().join("corpus");
    let templates = corpus_templates();
    assert!(templates.len() >= 40, "templates: {}", templates.len());
    let mut with_errors = BTreeSet::new();
    let mut report = String::new();
    let mut lowered = 0;
    let mut kinds = BTreeSet::new();
    for file in &templates {
        let compilation = compile_corpus_file(&corpus.join(file));
        lowered += compilation.apis.len();
        kinds.extend(compilation.apis.iter().map(|api| format!("{:?}", api.kind)));
        // The IR rules' findings on the corpus are reviewed in tests/it/rules.rs.
        let errors: Vec<Diagnostic> = errors(&compilation)
            .into_iter()
            .filter(|diagnostic| !crate::rules::is_ir_rule(diagnostic.code))
            .collect();
        if !errors.is_empty() {
            with_errors.insert(file.clone());
            report.push_str(&render(&errors));
        }
    }
    let expected: BTreeSet<String> = CORPUS_WITH_ERRORS
        .iter()
        .map(|(file, _)| (*file).to_owned())
        .collect();
    assert_eq!(with_errors, expected, "errors:\n{report}");
    assert!(lowered >= 35, "APIs lowered: {lowered}");
    assert_eq!(kinds.len(), 3, "kinds: {kinds:?}");
}

/// Representative corpus templates whose IR is kept as a reviewed snapshot.
const SNAPSHOTS: &[(&str, &str)] = &[
    (
        "template-websocket-mapping-authorizer",
        "aws-samples__serverless-patterns__apigw-websocket-mapping-template-authorizer_template.yaml",
    ),
    (
        "template-sam-implicit-http-and-body",
        "aws-samples__sessions-with-aws-sam__sam-or-cdk_sam_template.yaml",
    ),
    (
        "template-cfn-rest-body-stage",
        "aws-samples__serverless-test-samples__typescript-test-samples_apigw-lambda-external_template.yaml",
    ),
    (
        "template-sam-rest-events-auth",
        "aws__aws-sam-cli__tests_smoke_templates_sar_DVSA-template.yaml",
    ),
];

#[test]
fn representative_corpus_templates_snapshot_their_ir() {
    let corpus = shared().join("corpus");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots/ir"));
    settings.set_prepend_module_to_snapshot(false);
    for (name, file) in SNAPSHOTS {
        let compilation = compile_corpus_file(&corpus.join(file));
        assert!(!compilation.apis.is_empty(), "{file}: no API");
        let json = serde_json::to_string_pretty(&compilation.apis).expect("serializable");
        settings.bind(|| insta::assert_snapshot!(*name, json));
    }
}

#[test]
fn two_resources_defining_one_route_are_an_error_at_the_second_pointing_at_the_first() {
    let v2 = "\
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: pets, ProtocolType: HTTP}
  GetPets:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Api, RouteKey: GET /pets}
  ListPets:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Api, RouteKey: GET /pets}
";
    let compilation = compile_text("v2.yaml", v2);
    let duplicates: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == "APIGW021")
        .collect();
    assert_eq!(duplicates.len(), 1, "{}", render(&compilation.diagnostics));
    assert_eq!(duplicates[0].location.line, 8);
    assert_eq!(duplicates[0].related[0].location.line, 5);
    assert_eq!(compilation.apis[0].routes.len(), 1);

    let rest = "\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: pets}
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets}
  GetPets:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pets
      HttpMethod: GET
      AuthorizationType: NONE
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{\"statusCode\": 200}'}}
  GetPetsAgain:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pets
      HttpMethod: get
      AuthorizationType: NONE
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{\"statusCode\": 200}'}}
";
    let compilation = compile_text("rest.yaml", rest);
    let duplicates: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == "APIGW021")
        .collect();
    assert_eq!(duplicates.len(), 1, "{}", render(&compilation.diagnostics));
    assert_eq!(duplicates[0].related[0].location.line, 8);
}
