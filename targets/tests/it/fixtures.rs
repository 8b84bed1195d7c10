//! APIs built directly as IR, covering what the targets write: Lambda and mock integrations,
//! authorizers of each kind, models, validators, CORS, stages, usage plans, keys and domains.

use apigw_compiler::ir::*;
use indexmap::IndexMap;
use serde_json::json;

fn origin() -> Origin {
    Origin::default()
}

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, origin())
}

fn lambda_uri(parameter: &str) -> Expr {
    Expr::Template {
        parts: vec![
            TemplatePart::Text {
                value: "arn:aws:apigateway:".into(),
            },
            TemplatePart::Ref {
                name: "AWS::Region".into(),
            },
            TemplatePart::Text {
                value: ":lambda:path/2015-03-31/functions/".into(),
            },
            TemplatePart::Ref {
                name: parameter.into(),
            },
            TemplatePart::Text {
                value: "/invocations".into(),
            },
        ],
    }
}

fn lambda_integration(function: &str) -> Integration {
    let mut integration = Integration::new(origin(), Some(IntegrationType::AwsProxy));
    integration.http_method = Some(spanned("POST".to_owned()));
    integration.uri = Some(spanned(lambda_uri(function)));
    integration.function = Some(function.to_owned());
    integration
}

fn function(name: &str) -> Function {
    Function {
        origin: origin(),
        name: name.to_owned(),
        binding: FunctionBinding::Parameter {
            name: name.to_owned(),
        },
        local: None,
        timeout_seconds: None,
    }
}

fn route(method: HttpMethod, path: &str) -> Route {
    Route::new(
        origin(),
        RouteKey::Http {
            method,
            path: path.to_owned(),
        },
    )
}

fn ok_response(model: Option<&str>) -> MethodResponse {
    let mut content = IndexMap::new();
    if let Some(model) = model {
        content.insert(
            "application/json".to_owned(),
            Some(Schema::Model {
                name: model.to_owned(),
            }),
        );
    }
    MethodResponse {
        origin: origin(),
        status: "200".into(),
        description: Some("OK".into()),
        headers: IndexMap::new(),
        content,
    }
}

fn path_parameter(name: &str) -> Parameter {
    Parameter {
        origin: origin(),
        name: name.to_owned(),
        location: ParameterLocation::Path,
        required: true,
        description: None,
        schema: Some(Schema::Inline {
            schema: json!({"type": "string"}),
        }),
    }
}

fn requirement(scheme: &str, scopes: &[&str]) -> SecurityRequirement {
    let mut schemes = IndexMap::new();
    schemes.insert(
        scheme.to_owned(),
        scopes.iter().map(|scope| (*scope).to_owned()).collect(),
    );
    SecurityRequirement {
        origin: origin(),
        schemes,
    }
}

fn preflight(path: &str, parameters: &[&str]) -> Route {
    let mut route = route(HttpMethod::Options, path);
    route.summary = Some("CORS preflight".into());
    route.parameters = parameters.iter().map(|name| path_parameter(name)).collect();
    let mut headers = IndexMap::new();
    for name in [
        "Access-Control-Allow-Origin",
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers",
    ] {
        headers.insert(
            name.to_owned(),
            ResponseHeader {
                required: false,
                description: None,
                schema: Some(Schema::Inline {
                    schema: json!({"type": "string"}),
                }),
            },
        );
    }
    route.responses.push(MethodResponse {
        origin: origin(),
        status: "200".into(),
        description: Some("CORS preflight".into()),
        headers,
        content: IndexMap::new(),
    });
    let mut integration = Integration::new(origin(), Some(IntegrationType::Mock));
    integration.passthrough_behavior = Some(spanned("when_no_match".into()));
    integration.request_templates.insert(
        "application/json".into(),
        spanned("{\"statusCode\": 200}".into()),
    );
    let mut parameters = IndexMap::new();
    parameters.insert(
        "method.response.header.Access-Control-Allow-Origin".to_owned(),
        spanned("'https://app.example.com'".to_owned()),
    );
    parameters.insert(
        "method.response.header.Access-Control-Allow-Methods".to_owned(),
        spanned("'GET,POST,OPTIONS'".to_owned()),
    );
    parameters.insert(
        "method.response.header.Access-Control-Allow-Headers".to_owned(),
        spanned("'Content-Type,Authorization'".to_owned()),
    );
    integration.responses.push(IntegrationResponse {
        origin: origin(),
        selection_pattern: "default".into(),
        status_code: Some(spanned("200".into())),
        response_parameters: parameters,
        response_templates: IndexMap::new(),
        content_handling: None,
    });
    route.integration = Some(integration);
    route
}

/// A REST API: Lambda proxy routes behind a Cognito authorizer and a Lambda token authorizer,
/// a mock route with a VTL template, models and validators, CORS preflights, two stages, a
/// usage plan with a key, and a custom domain.
pub fn pet_store() -> Api {
    let mut api = Api::new(ApiKind::Rest, origin(), "Pet Store");
    api.description = Some("Pets, owners and adoptions".into());
    api.version = Some("1.2.0".into());
    api.security = Some(vec![requirement("UserPool", &[])]);
    api.functions = vec![function("pets_handler"), function("authorizer_fn")];
    api.models.push(Model {
        origin: origin(),
        name: "Pet".into(),
        content_type: "application/json".into(),
        description: None,
        schema: json!({
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "owner": {"$ref": "#/components/schemas/Owner"},
            },
        }),
    });
    api.models.push(Model {
        origin: origin(),
        name: "Owner".into(),
        content_type: "application/json".into(),
        description: Some("Who looks after a pet".into()),
        schema: json!({"type": "object", "properties": {"email": {"type": "string"}}}),
    });
    api.request_validators.push(RequestValidator {
        origin: origin(),
        name: "all".into(),
        validate_request_body: true,
        validate_request_parameters: true,
    });
    api.default_request_validator = Some(spanned("all".into()));
    let mut user_pool = Authorizer {
        origin: origin(),
        name: "UserPool".into(),
        kind: Some(AuthorizerKind::CognitoUserPools),
        kind_text: Some(spanned("cognito_user_pools".into())),
        auth_type: Some(spanned("cognito_user_pools".into())),
        scheme_type: Some("apiKey".into()),
        header_name: Some("Authorization".into()),
        identity_source: Vec::new(),
        identity_validation_expression: None,
        result_ttl_seconds: None,
        uri: None,
        function: None,
        credentials: None,
        provider_arns: vec![spanned(Expr::Ref {
            name: "user_pool_arn".into(),
        })],
        jwt: None,
        payload_format_version: None,
        enable_simple_responses: None,
        open_id_connect_url: None,
        flows: None,
        description: None,
    };
    api.authorizers.push(user_pool.clone());
    user_pool.name = "Token".into();
    user_pool.kind = Some(AuthorizerKind::Token);
    user_pool.kind_text = Some(spanned("token".into()));
    user_pool.auth_type = Some(spanned("custom".into()));
    user_pool.provider_arns = Vec::new();
    user_pool.uri = Some(spanned(lambda_uri("authorizer_fn")));
    user_pool.function = Some("authorizer_fn".into());
    user_pool.identity_source = vec![spanned("method.request.header.Authorization".into())];
    user_pool.result_ttl_seconds = Some(spanned(300));
    api.authorizers.push(user_pool);
    api.security_schemes.push(SecurityScheme {
        origin: origin(),
        name: "ApiKey".into(),
        kind: SecuritySchemeKind::ApiKey {
            header: "x-api-key".into(),
            location: "header".into(),
        },
        description: None,
    });

    let mut list = route(HttpMethod::Get, "/pets");
    list.operation_id = Some("listPets".into());
    list.responses.push(ok_response(Some("Pet")));
    list.parameters.push(Parameter {
        origin: origin(),
        name: "limit".into(),
        location: ParameterLocation::Query,
        required: false,
        description: Some("Page size".into()),
        schema: Some(Schema::Inline {
            schema: json!({"type": "integer"}),
        }),
    });
    list.integration = Some(lambda_integration("pets_handler"));
    api.routes.push(list);

    let mut create = route(HttpMethod::Post, "/pets");
    create.operation_id = Some("createPet".into());
    let mut content = IndexMap::new();
    content.insert(
        "application/json".to_owned(),
        Some(Schema::Model { name: "Pet".into() }),
    );
    create.request_body = Some(RequestBody {
        origin: origin(),
        required: true,
        description: None,
        content,
    });
    create.responses.push(ok_response(Some("Pet")));
    create.security = Some(vec![requirement("Token", &[]), requirement("ApiKey", &[])]);
    create.integration = Some(lambda_integration("pets_handler"));
    api.routes.push(create);
    api.routes.push(preflight("/pets", &[]));

    let mut get = route(HttpMethod::Get, "/pets/{petId}");
    get.operation_id = Some("getPet".into());
    get.parameters.push(path_parameter("petId"));
    get.responses.push(ok_response(Some("Pet")));
    get.integration = Some(lambda_integration("pets_handler"));
    api.routes.push(get);
    api.routes.push(preflight("/pets/{petId}", &["petId"]));

    let mut health = route(HttpMethod::Get, "/health");
    health.operation_id = Some("health".into());
    health.security = Some(Vec::new());
    health.responses.push(ok_response(None));
    let mut mock = Integration::new(origin(), Some(IntegrationType::Mock));
    mock.request_templates.insert(
        "application/json".into(),
        spanned("{\"statusCode\": 200}".into()),
    );
    let mut templates = IndexMap::new();
    templates.insert(
        "application/json".to_owned(),
        spanned(
            "#set($stage = $context.stage)\n{\n  \"status\": \"ok\",\n  \"stage\": \"$stage\"\n}\n"
                .to_owned(),
        ),
    );
    mock.responses.push(IntegrationResponse {
        origin: origin(),
        selection_pattern: "default".into(),
        status_code: Some(spanned("200".into())),
        response_parameters: IndexMap::new(),
        response_templates: templates,
        content_handling: None,
    });
    health.integration = Some(mock);
    api.routes.push(health);

    let mut legacy = route(HttpMethod::Get, "/legacy/{proxy+}");
    legacy.security = Some(Vec::new());
    legacy.parameters.push(path_parameter("proxy"));
    let mut http = Integration::new(origin(), Some(IntegrationType::HttpProxy));
    http.http_method = Some(spanned("GET".into()));
    http.uri = Some(spanned(Expr::literal(
        "https://${stageVariables.legacyHost}/{proxy}",
    )));
    http.request_parameters.insert(
        "integration.request.path.proxy".into(),
        spanned("method.request.path.proxy".into()),
    );
    legacy.integration = Some(http);
    api.routes.push(legacy);

    let mut unauthorized = IndexMap::new();
    unauthorized.insert(
        "application/json".to_owned(),
        spanned("{\"message\":$context.error.messageString}".to_owned()),
    );
    api.gateway_responses.push(GatewayResponse {
        origin: origin(),
        response_type: "UNAUTHORIZED".into(),
        status_code: Some(spanned("401".into())),
        response_parameters: IndexMap::new(),
        response_templates: unauthorized,
    });

    let mut variables = IndexMap::new();
    variables.insert("legacyHost".to_owned(), Expr::literal("legacy.example.com"));
    api.stages.push(Stage {
        origin: origin(),
        name: "prod".into(),
        description: Some("Production".into()),
        variables: variables.clone(),
        throttling: Some(Throttling {
            burst_limit: Some(500),
            rate_limit: Some(250.0),
        }),
        method_settings: vec![MethodSetting {
            resource_path: "/pets/{petId}".into(),
            http_method: "GET".into(),
            throttling: None,
            logging_level: Some("INFO".into()),
            data_trace_enabled: None,
            metrics_enabled: Some(true),
            caching_enabled: Some(true),
            cache_ttl_seconds: Some(60),
        }],
        access_log: None,
        tracing_enabled: None,
        cache_cluster_enabled: Some(true),
        cache_cluster_size: Some("0.5".into()),
        canary: Some(Canary {
            percent_traffic: 10.0,
            variables: IndexMap::new(),
            use_stage_cache: Some(false),
        }),
        tags: vec![Tag {
            key: "team".into(),
            value: Expr::literal("pets"),
        }],
    });
    api.stages.push(Stage {
        origin: origin(),
        name: "staging".into(),
        description: None,
        variables,
        throttling: None,
        method_settings: Vec::new(),
        access_log: Some(AccessLog {
            destination: None,
            format: Some("$context.requestId $context.status".into()),
            retention_days: Some(30),
        }),
        tracing_enabled: Some(false),
        cache_cluster_enabled: None,
        cache_cluster_size: None,
        canary: None,
        tags: Vec::new(),
    });
    api.api_keys.push(ApiKey {
        origin: origin(),
        name: "partner".into(),
        description: Some("Partner integration".into()),
        enabled: true,
        value: None,
    });
    api.usage_plans.push(UsagePlan {
        origin: origin(),
        name: "partners".into(),
        description: None,
        stages: vec!["prod".into()],
        throttling: Some(Throttling {
            burst_limit: Some(20),
            rate_limit: Some(10.0),
        }),
        quota: Some(Quota {
            limit: 10000,
            period: "MONTH".into(),
            offset: None,
        }),
        api_keys: vec!["partner".into()],
    });
    api.domains.push(Domain {
        origin: origin(),
        domain_name: Expr::literal("pets.example.com"),
        certificate_arn: Some(Expr::Ref {
            name: "certificate_arn".into(),
        }),
        endpoint_type: Some("REGIONAL".into()),
        security_policy: None,
        mappings: vec![BasePathMapping {
            base_path: Some("v1".into()),
            stage: "prod".into(),
        }],
        hosted_zone_id: None,
    });
    api.tags.push(Tag {
        key: "service".into(),
        value: Expr::literal("pets"),
    });
    api
}

/// An HTTP API: JWT and Lambda request authorizers, CORS, a `$default` route, one stage.
pub fn http_orders() -> Api {
    let mut api = Api::new(ApiKind::Http, origin(), "orders-http");
    api.functions = vec![function("orders_fn"), function("auth_fn")];
    api.cors = Some(Cors {
        origin: origin(),
        allow_origins: vec!["https://app.example.com".into()],
        allow_credentials: Some(true),
        expose_headers: vec!["x-request-id".into()],
        max_age: Some(3600),
        allow_methods: vec!["GET".into(), "POST".into()],
        allow_headers: vec!["authorization".into(), "content-type".into()],
    });
    api.authorizers.push(Authorizer {
        origin: origin(),
        name: "Jwt".into(),
        kind: Some(AuthorizerKind::Jwt),
        kind_text: Some(spanned("jwt".into())),
        auth_type: None,
        scheme_type: Some("oauth2".into()),
        header_name: None,
        identity_source: vec![spanned("$request.header.Authorization".into())],
        identity_validation_expression: None,
        result_ttl_seconds: None,
        uri: None,
        function: None,
        credentials: None,
        provider_arns: Vec::new(),
        jwt: Some(JwtConfiguration {
            origin: origin(),
            issuer: Some(spanned(Expr::literal(
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
            ))),
            audience: vec![spanned(Expr::Ref {
                name: "client_id".into(),
            })],
        }),
        payload_format_version: None,
        enable_simple_responses: None,
        open_id_connect_url: None,
        flows: None,
        description: None,
    });
    api.authorizers.push(Authorizer {
        origin: origin(),
        name: "Tenant".into(),
        kind: Some(AuthorizerKind::Request),
        kind_text: Some(spanned("request".into())),
        auth_type: None,
        scheme_type: Some("apiKey".into()),
        header_name: Some("X-Tenant".into()),
        identity_source: vec![spanned("$request.header.X-Tenant".into())],
        identity_validation_expression: None,
        result_ttl_seconds: Some(spanned(60)),
        uri: Some(spanned(lambda_uri("auth_fn"))),
        function: Some("auth_fn".into()),
        credentials: None,
        provider_arns: Vec::new(),
        jwt: None,
        payload_format_version: Some(spanned("2.0".into())),
        enable_simple_responses: Some(true),
        open_id_connect_url: None,
        flows: None,
        description: None,
    });
    let mut list = route(HttpMethod::Get, "/orders");
    list.security = Some(vec![requirement("Jwt", &["orders/read"])]);
    let mut integration = lambda_integration("orders_fn");
    integration.payload_format_version = Some(spanned("2.0".into()));
    list.integration = Some(integration.clone());
    list.responses.push(ok_response(None));
    api.routes.push(list);
    let mut create = route(HttpMethod::Post, "/orders/{orderId}/items");
    create.parameters.push(path_parameter("orderId"));
    create.security = Some(vec![requirement("Tenant", &[])]);
    create.integration = Some(integration);
    create.responses.push(ok_response(None));
    api.routes.push(create);
    let mut fallback = Route::new(origin(), RouteKey::Default);
    fallback.is_default_route = true;
    let mut http = Integration::new(origin(), Some(IntegrationType::HttpProxy));
    http.http_method = Some(spanned("ANY".into()));
    http.uri = Some(spanned(Expr::literal("https://legacy.example.com")));
    http.payload_format_version = Some(spanned("1.0".into()));
    fallback.integration = Some(http);
    fallback.responses.push(ok_response(None));
    api.routes.push(fallback);
    api
}

/// A WebSocket chat API with a `$connect` authorizer.
pub fn websocket_chat() -> Api {
    let mut api = Api::new(ApiKind::Websocket, origin(), "chat");
    api.route_selection_expression = Some("$request.body.action".into());
    api.functions = vec![function("chat_fn")];
    api.authorizers.push(Authorizer {
        origin: origin(),
        name: "ConnectAuth".into(),
        kind: Some(AuthorizerKind::Request),
        kind_text: Some(spanned("request".into())),
        auth_type: None,
        scheme_type: None,
        header_name: None,
        identity_source: vec![spanned("route.request.querystring.token".into())],
        identity_validation_expression: None,
        result_ttl_seconds: None,
        uri: Some(spanned(lambda_uri("chat_fn"))),
        function: Some("chat_fn".into()),
        credentials: None,
        provider_arns: Vec::new(),
        jwt: None,
        payload_format_version: None,
        enable_simple_responses: None,
        open_id_connect_url: None,
        flows: None,
        description: None,
    });
    for key in ["$connect", "$disconnect", "sendMessage"] {
        let mut route = Route::new(origin(), RouteKey::Websocket { key: key.into() });
        if key == "$connect" {
            route.security = Some(vec![requirement("ConnectAuth", &[])]);
        }
        route.integration = Some(lambda_integration("chat_fn"));
        if key == "sendMessage" {
            route.route_response_selection_expression = Some("$default".into());
            route.route_responses.push(RouteResponse {
                origin: origin(),
                key: "$default".into(),
                model_selection_expression: None,
                models: IndexMap::new(),
            });
        }
        api.routes.push(route);
    }
    api
}

/// Every fixture with its name.
pub fn all() -> Vec<(&'static str, Api)> {
    vec![
        ("pet-store", pet_store()),
        ("http-orders", http_orders()),
        ("websocket-chat", websocket_chat()),
    ]
}
