//! The OpenAPI 3.0 / Swagger 2.0 front end at its boundary: a spec in, the IR and the
//! diagnostics out.
//!
//! - `fixtures/openapi/extensions/`: one spec per `x-amazon-apigateway-*` extension; each must
//!   lower without a diagnostic into the IR asserted here.
//! - `fixtures/openapi/diagnostics/`: one spec per diagnostic; a `# expect: CODE@COLUMN` marker
//!   at the end of a line asks for exactly that diagnostic at that line and column.
//! - The specs AWS imported while it was recorded (`shared/oracle/aws-recorded/specs`) must lower
//!   without an error into what AWS built; their IR is snapshotted in `snapshots/ir`.
//! - Every spec of `shared/corpus` lowers without a panic, and only the reviewed ones have errors.

use std::collections::BTreeSet;

use apigw_compiler::ir::{
    Api, ApiKeySource, ApiKind, AuthorizerKind, Expr, FunctionBinding, HttpMethod, IntegrationType,
    RouteKey, Schema, SecuritySchemeKind,
};
use apigw_compiler::{compile, Compilation, Diagnostic, MemoryWorld, Options, Severity};
use camino::{Utf8Path, Utf8PathBuf};

fn fixtures() -> Utf8PathBuf {
    Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi")
}

/// Every file below `dir`, relative to it.
fn files_below(dir: &Utf8Path) -> Vec<Utf8PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in current.read_dir_utf8().expect("fixture directory") {
            let entry = entry.expect("directory entry");
            if entry.path().is_dir() {
                pending.push(entry.path().to_owned());
            } else {
                out.push(entry.path().strip_prefix(dir).expect("below").to_owned());
            }
        }
    }
    out.sort();
    out
}

/// The fixtures, in memory under `specs/`.
fn world() -> MemoryWorld {
    let mut world = MemoryWorld::new();
    let root = fixtures();
    for relative in files_below(&root) {
        let text = std::fs::read(root.join(&relative)).expect("fixture");
        world.insert(Utf8Path::new("specs").join(relative), text);
    }
    world
}

fn compile_fixture(relative: &str) -> Compilation {
    compile(
        &world(),
        &Utf8Path::new("specs").join(relative),
        &Options::default(),
    )
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| {
            format!(
                "{}:{}:{} {} {} ({})\n",
                diagnostic.location.file,
                diagnostic.location.line,
                diagnostic.location.column,
                diagnostic.code,
                diagnostic.message,
                diagnostic.location.pointer
            )
        })
        .collect()
}

/// The one API of an extension fixture, which must give no diagnostic at all.
fn extension(name: &str) -> Api {
    let compilation = compile_fixture(&format!("extensions/{name}.yaml"));
    assert!(
        compilation.diagnostics.is_empty(),
        "{name}:\n{}",
        render(&compilation.diagnostics)
    );
    let mut apis = compilation.apis;
    assert_eq!(apis.len(), 1, "{name}: one API");
    apis.remove(0)
}

fn literal(expr: &Expr) -> &str {
    expr.as_literal().expect("a literal")
}

#[test]
fn any_method_is_an_any_route_beside_the_explicit_methods() {
    let api = extension("any-method");
    assert_eq!(api.kind, ApiKind::Rest);
    let keys: Vec<String> = api
        .routes
        .iter()
        .map(|route| route.key.to_string())
        .collect();
    assert_eq!(keys, ["GET /pets", "ANY /pets"]);
}

#[test]
fn is_default_route_makes_the_http_default_route_and_a_bare_function_arn_a_function() {
    let api = extension("any-method-default-route");
    assert_eq!(api.kind, ApiKind::Http);
    let route = &api.routes[0];
    assert_eq!(route.key, RouteKey::Default);
    assert!(route.is_default_route);
    let integration = route.integration.as_ref().expect("integration");
    assert_eq!(integration.function.as_deref(), Some("catch-all"));
    assert_eq!(
        api.functions[0].binding,
        FunctionBinding::Arn {
            arn: "arn:aws:lambda:us-east-1:123456789012:function:catch-all".into()
        }
    );
}

#[test]
fn api_key_source() {
    assert_eq!(
        extension("api-key-source").api_key_source,
        Some(ApiKeySource::Authorizer)
    );
}

#[test]
fn auth_sets_the_route_auth_type() {
    let api = extension("auth");
    assert_eq!(
        api.routes[0]
            .auth_type
            .as_ref()
            .map(|auth| auth.value.as_str()),
        Some("AWS_IAM")
    );
}

#[test]
fn authorizers_of_every_type_are_typed() {
    let api = extension("authorizer");
    let request = api
        .authorizer("lambda-request")
        .expect("request authorizer");
    assert_eq!(request.kind, Some(AuthorizerKind::Request));
    assert_eq!(request.kind_text.as_ref().unwrap().value, "REQUEST");
    assert_eq!(request.auth_type.as_ref().unwrap().value, "custom");
    let sources: Vec<&str> = request
        .identity_source
        .iter()
        .map(|source| source.value.as_str())
        .collect();
    assert_eq!(
        sources,
        [
            "method.request.header.Auth",
            "method.request.querystring.token"
        ]
    );
    assert_eq!(request.result_ttl_seconds.as_ref().unwrap().value, 60);
    assert_eq!(
        request
            .identity_validation_expression
            .as_ref()
            .unwrap()
            .value,
        "^Bearer .+$"
    );
    assert_eq!(
        literal(&request.credentials.as_ref().unwrap().value),
        "arn:aws:iam::123456789012:role/invoke"
    );
    assert_eq!(request.function.as_deref(), Some("auth"));

    let cognito = api.authorizer("cognito").expect("cognito authorizer");
    assert_eq!(cognito.kind, Some(AuthorizerKind::CognitoUserPools));
    assert!(matches!(
        cognito.provider_arns[0].value,
        Expr::Template { .. }
    ));
    assert_eq!(
        cognito.identity_source[0].value, "method.request.header.Authorization",
        "the token header comes from the scheme's name"
    );

    let jwt = api.authorizer("jwt").expect("jwt authorizer");
    assert_eq!(jwt.kind, Some(AuthorizerKind::Jwt));
    let configuration = jwt.jwt.as_ref().expect("jwtConfiguration");
    assert_eq!(configuration.audience.len(), 2);
    assert_eq!(
        literal(&configuration.issuer.as_ref().unwrap().value),
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
    );
    assert_eq!(jwt.payload_format_version.as_ref().unwrap().value, "2.0");
    assert_eq!(jwt.enable_simple_responses, Some(true));
    assert_eq!(jwt.function, None);
}

#[test]
fn authtype_aws_sigv4_is_iam_and_the_x_api_key_scheme_is_an_api_key() {
    let api = extension("authtype");
    assert_eq!(
        api.authorizer("sigv4").unwrap().kind,
        Some(AuthorizerKind::Iam)
    );
    assert!(matches!(
        &api.security_schemes[0].kind,
        SecuritySchemeKind::ApiKey { header, .. } if header == "x-api-key"
    ));
    let security = api.security.as_ref().expect("root security");
    assert!(security[0].schemes.contains_key("sigv4"));
    assert_eq!(api.routes[0].security, None);
}

#[test]
fn binary_media_types() {
    let api = extension("binary-media-types");
    let types: Vec<&str> = api
        .binary_media_types
        .iter()
        .map(|media| media.value.as_str())
        .collect();
    assert_eq!(types, ["image/png", "*/*"]);
}

#[test]
fn cors_makes_an_http_api() {
    let api = extension("cors");
    assert_eq!(api.kind, ApiKind::Http);
    let cors = api.cors.expect("cors");
    assert_eq!(cors.allow_origins, ["https://www.example.com"]);
    assert_eq!(cors.allow_credentials, Some(true));
    assert_eq!(cors.expose_headers, ["x-api-id"]);
    assert_eq!(cors.max_age, Some(300));
    assert_eq!(cors.allow_methods, ["GET", "POST"]);
    assert_eq!(cors.allow_headers, ["authorization"]);
}

#[test]
fn documentation_parts() {
    let documentation = extension("documentation")
        .documentation
        .expect("documentation");
    assert_eq!(documentation.version.as_deref(), Some("1.0.1"));
    assert_eq!(documentation.parts.len(), 2);
    let method = &documentation.parts[1];
    assert_eq!(method.location_type, "METHOD");
    assert_eq!(method.path.as_deref(), Some("/pets"));
    assert_eq!(method.method.as_deref(), Some("GET"));
    assert_eq!(method.properties["summary"], "List pets");
}

#[test]
fn endpoint_configuration_in_an_openapi_3_server() {
    let api = extension("endpoint-configuration-oas3");
    let endpoint = api.endpoint.expect("endpoint configuration");
    assert_eq!(endpoint.disable_execute_api_endpoint, Some(true));
    assert_eq!(endpoint.vpc_endpoint_ids.len(), 2);
    assert_eq!(
        endpoint.vpc_endpoint_ids[1],
        Expr::Ref {
            name: "Endpoint".into()
        }
    );
    assert_eq!(endpoint.ip_address_type.as_deref(), Some("dualstack"));
    assert_eq!(api.base_path.as_deref(), Some("/v1"));
}

#[test]
fn endpoint_configuration_at_the_swagger_root_with_host_and_base_path() {
    let api = extension("endpoint-configuration-swagger");
    assert_eq!(
        api.endpoint.expect("endpoint").disable_execute_api_endpoint,
        Some(false)
    );
    assert_eq!(api.base_path.as_deref(), Some("/v2"));
    assert_eq!(literal(&api.servers[0].url), "https://api.example.com/v2");
}

#[test]
fn security_policy_and_endpoint_access_mode() {
    let api = extension("endpoint-access-mode");
    assert_eq!(
        api.security_policy.unwrap().value,
        "SecurityPolicy_TLS13_1_3_2025_09"
    );
    assert_eq!(api.endpoint_access_mode.unwrap().value, "STRICT");
}

#[test]
fn gateway_responses() {
    let api = extension("gateway-responses");
    let types: Vec<&str> = api
        .gateway_responses
        .iter()
        .map(|response| response.response_type.as_str())
        .collect();
    assert_eq!(types, ["DEFAULT_4XX", "UNAUTHORIZED"]);
    let default = &api.gateway_responses[0];
    assert_eq!(
        default.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"].value,
        "'*'"
    );
    assert_eq!(
        api.gateway_responses[1].status_code.as_ref().unwrap().value,
        "401",
        "an integer status code reads as text"
    );
}

#[test]
fn importexport_version() {
    let api = extension("importexport-version");
    assert_eq!(api.importexport_version.unwrap().value, "1.0");
}

#[test]
fn integration_fields_are_all_typed() {
    let api = extension("integration");
    let integration = api.routes[0].integration.as_ref().expect("integration");
    assert_eq!(integration.kind, Some(IntegrationType::Aws));
    assert_eq!(integration.http_method.as_ref().unwrap().value, "POST");
    assert_eq!(integration.function.as_deref(), Some("orders"));
    assert_eq!(
        literal(&integration.credentials.as_ref().unwrap().value),
        "arn:aws:iam::123456789012:role/invoke"
    );
    assert_eq!(
        integration.connection_type.as_ref().unwrap().value,
        "INTERNET"
    );
    assert_eq!(
        integration.request_parameters["integration.request.header.x-id"].value,
        "method.request.path.id"
    );
    assert!(integration
        .request_templates
        .contains_key("application/json"));
    assert_eq!(
        integration.passthrough_behavior.as_ref().unwrap().value,
        "when_no_templates"
    );
    assert_eq!(
        integration.content_handling.as_ref().unwrap().value,
        "CONVERT_TO_TEXT"
    );
    assert_eq!(integration.cache_namespace.as_deref(), Some("orders"));
    assert_eq!(integration.cache_key_parameters.len(), 1);
    assert_eq!(
        integration.timeout_ms.as_ref().unwrap().value,
        10_000,
        "a timeout given as a string"
    );
    let patterns: Vec<&str> = integration
        .responses
        .iter()
        .map(|response| response.selection_pattern.as_str())
        .collect();
    assert_eq!(patterns, ["Not found.*", "default"], "source order");
    assert_eq!(
        integration.responses[0].status_code.as_ref().unwrap().value,
        "404"
    );
    assert_eq!(
        integration
            .tls_config
            .as_ref()
            .unwrap()
            .insecure_skip_verification,
        Some(true)
    );
    // The function keeps its alias in the ARN, and its name without it.
    assert_eq!(
        api.functions[0].binding,
        FunctionBinding::Arn {
            arn: "arn:aws:lambda:us-east-1:123456789012:function:orders:live".into()
        }
    );
    let responses: Vec<&str> = api.routes[0]
        .responses
        .iter()
        .map(|response| response.status.as_str())
        .collect();
    assert_eq!(
        responses,
        ["200", "404"],
        "integer status keys read as text"
    );

    let private = api.routes[1].integration.as_ref().expect("integration");
    assert_eq!(private.kind, Some(IntegrationType::HttpProxy));
    assert_eq!(private.connection_type.as_ref().unwrap().value, "VPC_LINK");
    assert_eq!(
        literal(&private.connection_id.as_ref().unwrap().value),
        "${stageVariables.vpcLinkId}",
        "stage variables stay API Gateway's"
    );
    assert!(private.integration_target.is_some());
    assert_eq!(
        private.response_transfer_mode.as_ref().unwrap().value,
        "STREAM"
    );
    assert_eq!(private.function, None);
}

#[test]
fn shared_integrations_are_referenced_by_name() {
    let api = extension("integrations");
    assert_eq!(api.kind, ApiKind::Http);
    let shared = &api.shared_integrations["pets"];
    assert_eq!(shared.kind, Some(IntegrationType::AwsProxy));
    assert_eq!(
        shared
            .tls_config
            .as_ref()
            .unwrap()
            .server_name_to_verify
            .as_deref(),
        Some("pets.internal")
    );
    let integration = api.routes[0].integration.as_ref().expect("integration");
    assert_eq!(integration.shared_name.as_deref(), Some("pets"));
    assert_eq!(integration.function.as_deref(), Some("PetsFunction"));
    assert_eq!(
        api.functions[0].binding,
        FunctionBinding::StackResource {
            logical_id: "PetsFunction".into()
        }
    );
}

#[test]
fn minimum_compression_size() {
    assert_eq!(
        extension("minimum-compression-size")
            .minimum_compression_size
            .unwrap()
            .value,
        1024
    );
}

#[test]
fn policy_is_kept_as_a_document() {
    let policy = extension("policy").policy.expect("policy").value;
    assert_eq!(policy["Statement"][0]["Action"], "execute-api:Invoke");
}

#[test]
fn request_validators_and_their_defaults() {
    let api = extension("request-validators");
    assert_eq!(api.request_validators.len(), 2);
    let params_only = &api.request_validators[1];
    assert!(params_only.validate_request_parameters);
    assert!(!params_only.validate_request_body);
    assert_eq!(api.default_request_validator.unwrap().value, "all");
    assert_eq!(
        api.routes[0].request_validator.as_ref().unwrap().value,
        "params-only"
    );
}

#[test]
fn tag_values() {
    let api = extension("tag-value");
    let tags: Vec<(&str, Option<&str>)> = api
        .tag_definitions
        .iter()
        .map(|tag| (tag.name.as_str(), tag.tag_value.as_deref()))
        .collect();
    assert_eq!(tags, [("Owner", Some("Admin")), ("Prod", None)]);
}

/// `# expect: CODE@COLUMN` markers: (line, column, code).
fn markers(text: &str) -> BTreeSet<(u32, u32, String)> {
    let mut out = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        let Some((_, expected)) = line.split_once("# expect:") else {
            continue;
        };
        for marker in expected.split(',') {
            let (code, column) = marker
                .trim()
                .split_once('@')
                .unwrap_or((marker.trim(), "0"));
            let line = u32::try_from(index + 1).expect("line");
            out.insert((line, column.parse().expect("column"), code.to_owned()));
        }
    }
    out
}

#[test]
fn every_diagnostic_fixture_gives_exactly_its_markers() {
    let root = fixtures().join("diagnostics");
    let mut failures = String::new();
    let mut checked = 0;
    for relative in files_below(&root) {
        // Files in subdirectories are the targets of references, not fixtures.
        if relative.components().count() != 1 {
            continue;
        }
        checked += 1;
        let text = std::fs::read_to_string(root.join(&relative)).expect("fixture");
        let expected = markers(&text);
        let path = Utf8Path::new("specs/diagnostics").join(&relative);
        let compilation = compile_fixture(&format!("diagnostics/{relative}"));
        let actual: BTreeSet<(u32, u32, String)> = compilation
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.location.file == path)
            // These fixtures are the front end's; the IR rules have fixtures of their own.
            .filter(|diagnostic| !crate::rules::is_ir_rule(diagnostic.code))
            .map(|diagnostic| {
                (
                    diagnostic.location.line,
                    diagnostic.location.column,
                    diagnostic.code.to_owned(),
                )
            })
            .collect();
        if expected != actual {
            failures.push_str(&format!(
                "{relative}:\n  expected {expected:?}\n  actual   {actual:?}\n{}",
                render(&compilation.diagnostics)
            ));
        }
    }
    assert!(checked >= 10, "fixtures found: {checked}");
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn swagger_2_bodies_forms_and_responses_become_the_openapi_3_shape() {
    let world = MemoryWorld::new().with(
        "swagger.yaml",
        r##"
swagger: "2.0"
info: {title: forms, version: "1"}
consumes: [application/json, application/xml]
produces: [application/json]
paths:
  /pets:
    post:
      parameters:
        - {name: pet, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
        - {name: limit, in: query, type: integer, maximum: 100}
      responses:
        "201":
          description: created
          schema: {$ref: Pet}
          headers: {Location: {type: string}}
  /upload:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file, required: true}
      responses: {}
definitions:
  Pet:
    type: object
    properties:
      owner: {$ref: "#/definitions/Owner"}
  Owner: {type: object}
"##,
    );
    let compilation = compile(&world, Utf8Path::new("swagger.yaml"), &Options::default());
    assert!(
        compilation.diagnostics.is_empty(),
        "{}",
        render(&compilation.diagnostics)
    );
    let api = &compilation.apis[0];
    let post = &api.routes[0];
    let body = post.request_body.as_ref().expect("body");
    assert!(body.required);
    let media: Vec<&str> = body.content.keys().map(String::as_str).collect();
    assert_eq!(media, ["application/json", "application/xml"]);
    assert_eq!(
        body.content["application/json"],
        Some(Schema::Model { name: "Pet".into() })
    );
    assert_eq!(post.parameters.len(), 1);
    assert_eq!(
        post.responses[0].content["application/json"],
        Some(Schema::Model { name: "Pet".into() }),
        "the bare `Pet` reference names the definition"
    );
    assert!(post.responses[0].headers.contains_key("Location"));
    assert_eq!(
        api.model("Pet").unwrap().schema["properties"]["owner"]["$ref"],
        "#/components/schemas/Owner",
        "model references take the OpenAPI 3 form"
    );
    let upload = api.routes[1].request_body.as_ref().expect("form body");
    let Some(Some(Schema::Inline { schema })) = upload.content.get("multipart/form-data") else {
        panic!("a multipart form schema, got {:?}", upload.content);
    };
    assert_eq!(schema["required"][0], "file");
}

#[test]
fn stage_variable_functions_and_templatefile_variables() {
    let world = MemoryWorld::new().with(
        "api.json",
        r#"{
  "openapi": "3.0.1",
  "info": {"title": "variables", "version": "1"},
  "paths": {
    "/a": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
      "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations"}}},
    "/b": {"get": {"x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
      "uri": "${lambda_invoke_arn}", "timeoutInMillis": "${timeout}"}}}
  }
}"#,
    );
    let compilation = compile(&world, Utf8Path::new("api.json"), &Options::default());
    assert!(
        compilation.diagnostics.is_empty(),
        "{}",
        render(&compilation.diagnostics)
    );
    let api = &compilation.apis[0];
    let names: Vec<&str> = api
        .functions
        .iter()
        .map(|function| function.name.as_str())
        .collect();
    assert_eq!(names, ["fn", "lambda_invoke_arn"]);
    assert!(matches!(
        api.functions[0].binding,
        FunctionBinding::Expr { .. }
    ));
    assert_eq!(
        api.functions[1].binding,
        FunctionBinding::Parameter {
            name: "lambda_invoke_arn".into()
        }
    );
}

/// The directory of files shared beside the repository (the oracle, the corpus), found by
/// walking up from the crate.
fn shared() -> Utf8PathBuf {
    let mut dir = Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/oracle/aws-recorded");
        if candidate.is_dir() {
            return dir.join("shared");
        }
        assert!(dir.pop(), "shared/ not found above the crate");
    }
}

fn compile_file(path: &Utf8Path) -> Compilation {
    let text = std::fs::read(path).expect("readable");
    let name = path.file_name().expect("a file name");
    let world = MemoryWorld::new().with(name, text);
    compile(&world, Utf8Path::new(name), &Options::default())
}

/// What AWS built from one imported spec, as recorded.
struct Recorded {
    test: &'static str,
    spec: &'static str,
    resources: &'static str,
    /// The base path was prepended to the resources.
    prepend: bool,
}

const RECORDED: &[Recorded] = &[
    Recorded {
        test: "test_import_swagger_api",
        spec: "petstore-authorizer.swagger.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_and_validate_rest_api[openapi.spec.tf.json]",
        spec: "openapi.spec.tf.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_and_validate_rest_api[swagger-mock-cors.json]",
        spec: "swagger-mock-cors.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_rest_apis_with_base_path_swagger[ignore]",
        spec: "swagger.json",
        resources: "get-resources-swagger-json",
        prepend: false,
    },
    Recorded {
        test: "test_import_rest_apis_with_base_path_swagger[prepend]",
        spec: "swagger.json",
        resources: "get-resources-swagger-json",
        prepend: true,
    },
    Recorded {
        test: "test_import_rest_api_with_base_path_oas30[ignore]",
        spec: "openapi-basepath-server-variable.yaml",
        resources: "get-resources-oas30-srv-var",
        prepend: false,
    },
    Recorded {
        test: "test_import_rest_api_with_base_path_oas30[prepend]",
        spec: "openapi-basepath-server-variable.yaml",
        resources: "get-resources-oas30-srv-var",
        prepend: true,
    },
    Recorded {
        test: "test_import_rest_api_with_base_path_oas30[prepend]",
        spec: "openapi-basepath-url.yaml",
        resources: "get-resources-oas30-srv-url",
        prepend: true,
    },
    Recorded {
        test: "test_import_with_global_api_key_authorizer",
        spec: "openapi.spec.global-auth.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_with_circular_models",
        spec: "openapi.spec.circular-ref.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_with_circular_models_and_request_validation",
        spec: "openapi.spec.circular-ref-with-request-body.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_with_http_method_integration",
        spec: "openapi-http-method-integration.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_with_cognito_auth_identity_source",
        spec: "openapi.cognito-auth.json",
        resources: "resources",
        prepend: false,
    },
    Recorded {
        test: "test_import_with_integer_http_status_code",
        spec: "openapi-method-int.spec.yaml",
        resources: "resources",
        prepend: false,
    },
];

fn oracle_api(spec: &str) -> Api {
    let compilation = compile_file(&shared().join("oracle/aws-recorded/specs").join(spec));
    let errors: Vec<Diagnostic> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{spec}:\n{}", render(&errors));
    let mut apis = compilation.apis;
    assert_eq!(apis.len(), 1, "{spec}");
    apis.remove(0)
}

/// AWS's authorization type for a route, from the IR.
fn authorization_type(api: &Api, route: &apigw_compiler::ir::Route) -> (String, Vec<String>) {
    if let Some(auth) = &route.auth_type {
        return (auth.value.to_ascii_uppercase(), Vec::new());
    }
    let Some(requirement) = api.effective_security(route).and_then(|list| list.first()) else {
        return ("NONE".into(), Vec::new());
    };
    for (name, scopes) in &requirement.schemes {
        if let Some(authorizer) = api.authorizer(name) {
            let kind = match authorizer.kind {
                Some(AuthorizerKind::CognitoUserPools) => "COGNITO_USER_POOLS",
                Some(AuthorizerKind::Iam) => "AWS_IAM",
                Some(AuthorizerKind::Jwt) => "JWT",
                _ => "CUSTOM",
            };
            return (kind.into(), scopes.clone());
        }
    }
    ("NONE".into(), Vec::new())
}

#[test]
fn the_oracle_specs_lower_into_what_aws_built() {
    let shared = shared();
    let text = std::fs::read_to_string(
        shared.join("oracle/aws-recorded/test_apigateway_import.snapshot.json"),
    )
    .expect("recording");
    let recording: serde_json::Value = serde_json::from_str(&text).expect("json");
    let recording = recording.as_object().expect("object");
    let mut compared = 0;
    for recorded in RECORDED {
        let (_, test) = recording
            .iter()
            .find(|(name, _)| name.ends_with(&format!("::{}", recorded.test)))
            .unwrap_or_else(|| panic!("{} recorded", recorded.test));
        let content = &test["recorded-content"];
        let api = oracle_api(recorded.spec);

        // Resources and their methods.
        let mut aws_methods = BTreeSet::new();
        for resource in content[recorded.resources]["items"]
            .as_array()
            .expect("items")
        {
            let path = resource["path"].as_str().expect("path");
            for method in resource["resourceMethods"]
                .as_object()
                .into_iter()
                .flat_map(|methods| methods.keys())
            {
                aws_methods.insert(format!("{method} {path}"));
            }
        }
        let base = if recorded.prepend {
            api.base_path.clone().unwrap_or_default()
        } else {
            String::new()
        };
        let ours: BTreeSet<String> = api
            .routes
            .iter()
            .map(|route| {
                format!(
                    "{} {base}{}",
                    route.method().unwrap(),
                    route.path().unwrap()
                )
            })
            .collect();
        assert_eq!(ours, aws_methods, "{} ({})", recorded.test, recorded.spec);

        // Authorizers: name, type, identity source.
        if let Some(authorizers) = content.get("get-authorizers") {
            let items = authorizers
                .get("items")
                .unwrap_or(authorizers)
                .as_array()
                .expect("authorizers");
            let theirs: BTreeSet<(String, String)> = items
                .iter()
                .map(|item| {
                    (
                        item["type"].as_str().unwrap().to_owned(),
                        item["identitySource"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .collect();
            let ours: BTreeSet<(String, String)> = api
                .authorizers
                .iter()
                .map(|authorizer| {
                    let kind = authorizer
                        .kind_text
                        .as_ref()
                        .unwrap()
                        .value
                        .to_ascii_uppercase();
                    let sources: Vec<&str> = authorizer
                        .identity_source
                        .iter()
                        .map(|source| source.value.as_str())
                        .collect();
                    (kind, sources.join(", "))
                })
                .collect();
            assert_eq!(ours, theirs, "{} authorizers", recorded.test);
        }

        // Models.
        if let Some(models) = content.get("get-models") {
            let theirs: BTreeSet<&str> = models["items"]
                .as_array()
                .expect("models")
                .iter()
                .filter_map(|model| model["name"].as_str())
                .filter(|name| !name.starts_with('<'))
                .collect();
            let ours: BTreeSet<&str> = api.models.iter().map(|model| model.name.as_str()).collect();
            assert!(
                theirs.is_subset(&ours),
                "{} models {theirs:?} ⊆ {ours:?}",
                recorded.test
            );
        }

        // Each method's authorization as AWS recorded it.
        for (key, method) in test["recorded-content"].as_object().expect("content") {
            let Some(rest) = key.strip_prefix("method-") else {
                continue;
            };
            if rest.starts_with("response-") {
                continue;
            }
            let Some((path, verb)) = rest.rsplit_once('-') else {
                continue;
            };
            let path = if path == "root" {
                "/".to_owned()
            } else {
                format!("/{path}")
            };
            // A test may import a second spec; its methods are not this spec's.
            if !aws_methods.contains(&format!("{} {path}", verb.to_ascii_uppercase())) {
                continue;
            }
            let path = path
                .strip_prefix(&base)
                .filter(|p| p.starts_with('/'))
                .map_or(path.clone(), str::to_owned);
            let Some(route) = api.routes.iter().find(|route| {
                route.path() == Some(path.as_str()) && route.method() == HttpMethod::parse(verb)
            }) else {
                panic!("{}: no route for {key}", recorded.test);
            };
            let theirs_kind = method["authorizationType"].as_str().unwrap_or("NONE");
            let theirs_scopes: Vec<String> = method["authorizationScopes"]
                .as_array()
                .map(|scopes| {
                    scopes
                        .iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let (kind, scopes) = authorization_type(&api, route);
            assert_eq!(kind, theirs_kind, "{}: {key}", recorded.test);
            assert_eq!(scopes, theirs_scopes, "{}: {key} scopes", recorded.test);
            compared += 1;
        }
    }
    assert!(compared > 20, "methods compared: {compared}");
}

#[test]
fn the_oracle_specs_snapshot_their_ir() {
    let dir = shared().join("oracle/aws-recorded/specs");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots/ir"));
    settings.set_prepend_module_to_snapshot(false);
    let mut specs: Vec<Utf8PathBuf> = files_below(&dir);
    specs.sort();
    assert_eq!(specs.len(), 18);
    for spec in specs {
        let api = oracle_api(spec.as_str());
        let json = serde_json::to_string_pretty(&vec![api]).expect("serializable");
        settings.bind(|| insta::assert_snapshot!(spec.as_str(), json));
    }
}

/// The codes the loader gives (syntax, duplicate keys, limits, encoding, empty file, tags).
const LOADER_CODES: &[&str] = &[
    "APIGW001", "APIGW002", "APIGW003", "APIGW004", "APIGW005", "APIGW019",
];

/// Specs of the corpus that have errors, each reviewed: the error is real.
const CORPUS_WITH_ERRORS: &[(&str, &str)] = &[
    (
        "aws-samples__aws-serverless-ecommerce-platform__delivery-pricing_resources_openapi.yaml",
        "APIGW010: refers to ../../shared/resources/schemas.yaml, outside the spec's directory",
    ),
    (
        "aws-samples__aws-serverless-ecommerce-platform__orders_resources_openapi.yaml",
        "APIGW010: refers to ../../shared/resources/schemas.yaml, outside the spec's directory",
    ),
    (
        "govuk-one-login__authentication-api__account-management-api_api-contract_openapi_v3_unreleased.yaml",
        "APIGW006: openapi 3.1.0",
    ),
    (
        "ministryofjustice__opg-data-lpa-store__docs_openapi_openapi.yaml",
        "APIGW006: openapi 3.1.0",
    ),
    (
        "govuk-one-login__authentication-api__ci_openAPI_AccountManagementMMApi.yaml",
        "APIGW017: its sibling AccountDataApi.yaml is not in the corpus",
    ),
    (
        "govuk-one-login__authentication-api__ci_terraform_account-management_openapi_v2.yaml",
        "APIGW008: #/components/schemas/UserAccountSuspended is not defined",
    ),
    (
        "harbabi__api-spec__api-swagger.yaml",
        "APIGW018: paths v1/time, v2/time, v3/time lack the leading /",
    ),
];

#[test]
fn every_corpus_spec_lowers_and_only_the_reviewed_ones_have_errors() {
    let corpus = shared().join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("manifest");
    let mut with_errors = BTreeSet::new();
    let mut report = String::new();
    let mut lowered = 0;
    for line in manifest.lines().skip(1) {
        let mut columns = line.split('\t');
        let (Some(file), Some(format)) = (columns.next(), columns.nth(3)) else {
            continue;
        };
        if format != "oas3" && format != "swagger2" {
            continue;
        }
        let compilation = compile_file(&corpus.join(file));
        lowered += compilation.apis.len();
        // Syntax and the other loading problems are the loader's tests' business.
        let errors: Vec<Diagnostic> = compilation
            .diagnostics
            .into_iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
            .filter(|diagnostic| !LOADER_CODES.contains(&diagnostic.code))
            // The IR rules' findings on the corpus are reviewed in tests/it/rules.rs.
            .filter(|diagnostic| !crate::rules::is_ir_rule(diagnostic.code))
            .collect();
        if !errors.is_empty() {
            with_errors.insert(file.to_owned());
            report.push_str(&render(&errors));
        }
    }
    let expected: BTreeSet<String> = CORPUS_WITH_ERRORS
        .iter()
        .map(|(file, _)| (*file).to_owned())
        .collect();
    assert_eq!(with_errors, expected, "errors:\n{report}");
    assert!(lowered > 60, "APIs lowered: {lowered}");
}

#[test]
fn intrinsics_anywhere_are_deploy_time_values_not_errors() {
    let world = MemoryWorld::new().with(
        "api.yaml",
        r#"
swagger: "2.0"
info: {title: !Sub "${AWS::StackName}-api", version: 1.0}
host: !Join ["", [!Ref Api, ".execute-api.", !Ref "AWS::Region", ".amazonaws.com"]]
basePath: !If [IsProd, /prod, !Ref Stage]
x-amazon-apigateway-policy:
  Statement: [{Effect: Allow, Resource: !Sub "execute-api:/${Stage}/*"}]
paths:
  /pets:
    get:
      x-amazon-apigateway-integration:
        Fn::If:
          - UseMock
          - {type: mock, requestTemplates: {application/json: !Sub '{"statusCode": ${Code}}'}}
          - {type: http_proxy, httpMethod: GET, uri: !Ref BackendUrl}
      responses:
        200: {description: ok}
"#,
    );
    let compilation = compile(&world, Utf8Path::new("api.yaml"), &Options::default());
    assert!(
        compilation.diagnostics.is_empty(),
        "{}",
        render(&compilation.diagnostics)
    );
    let api = &compilation.apis[0];
    assert_eq!(api.title, "${AWS::StackName}-api");
    assert_eq!(api.version.as_deref(), Some("1.0"));
    assert_eq!(api.base_path, None, "chosen at deploy time");
    assert!(
        api.servers.is_empty(),
        "a host built by Fn::Join is deploy-time"
    );
    let integration = api.routes[0]
        .integration
        .as_ref()
        .expect("the first branch");
    assert_eq!(integration.kind, Some(IntegrationType::Mock));
    assert!(
        integration.request_templates.is_empty(),
        "a template made by Fn::Sub is not text the IR can hold"
    );
}

#[test]
fn a_yaml_number_version_is_read_as_its_text() {
    let world = MemoryWorld::new().with(
        "api.yaml",
        "openapi: 3.0\ninfo: {title: number, version: 1}\npaths: {}\n",
    );
    let compilation = compile(&world, Utf8Path::new("api.yaml"), &Options::default());
    assert!(
        compilation.diagnostics.is_empty(),
        "{}",
        render(&compilation.diagnostics)
    );
    assert_eq!(compilation.apis[0].version.as_deref(), Some("1"));
}
