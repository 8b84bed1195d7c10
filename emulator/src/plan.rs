//! The resolved configuration the server runs: for each API, its stage, routes, integrations and
//! the local binding of every function, with every deploy-time value turned into local text.
//! Built from the IR alone; serialisable so `apigw build --target emulator` can write it.
//!
//! Resolution never fails: a fact the emulator cannot use becomes a [`Note`] and the route
//! answers as AWS would when that piece is missing (a 5xx), so the rest of the API still runs.

use apigw_compiler::ir::{
    self, Api, Expr, HttpMethod, IntegrationType, ParameterLocation, RouteKey, Schema,
};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The account id placed in ARNs and events (AWS's documentation example account).
pub const ACCOUNT_ID: &str = "123456789012";
/// The region placed in ARNs, events and handler environments.
pub const REGION: &str = "us-east-1";

/// Default Lambda function timeout (Lambda: 3 s unless configured).
const DEFAULT_FUNCTION_TIMEOUT_SECONDS: u64 = 3;
/// REST APIs: 29 s default and maximum integration timeout (API Gateway quotas).
const REST_INTEGRATION_TIMEOUT_MS: u64 = 29_000;
/// HTTP APIs: 30 s maximum integration timeout (API Gateway quotas).
const HTTP_INTEGRATION_TIMEOUT_MS: u64 = 30_000;
/// The stage a REST API without a declared stage is served under.
pub const DEFAULT_REST_STAGE: &str = "dev";

/// The version of the plan's JSON form, written as `apigw_emulator_plan`.
pub const PLAN_FORMAT: u32 = 1;

/// Everything the server runs. Its JSON form is its own (not the IR's): what
/// `apigw build --target emulator` writes and `apigw serve` reads back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Always [`PLAN_FORMAT`]; tells a plan file from a spec.
    pub apigw_emulator_plan: u32,
    pub apis: Vec<ApiPlan>,
    pub functions: Vec<FunctionPlan>,
    /// What could not be resolved, for the start-up log.
    pub notes: Vec<Note>,
}

impl Plan {
    /// The plan as pretty JSON: what `apigw build --target emulator` writes.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail; an empty object would hide
        // nothing a user needs if it ever did.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub api: String,
    pub message: String,
}

/// How the request selects a stage (`--stage`, else the first declared one).
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    pub stage: Option<String>,
}

/// The kinds of API the emulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    Rest,
    Http,
}

/// How a function runs locally (the plan's own copy of the IR's local binding).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocalBinding {
    /// A program reading the event on stdin and writing the result on stdout.
    Command {
        argv: Vec<String>,
        dir: Option<String>,
    },
    /// A program speaking the Lambda Runtime API.
    RuntimeApi {
        argv: Vec<String>,
        dir: Option<String>,
    },
    /// A handler run by apigw's runtime client for its language.
    Runtime {
        runtime: String,
        handler: String,
        code: Option<String>,
    },
    /// A URL speaking the Lambda Invoke API.
    Url { url: String },
}

impl From<&ir::LocalFunction> for LocalBinding {
    fn from(local: &ir::LocalFunction) -> Self {
        match local {
            ir::LocalFunction::Command { argv, dir } => LocalBinding::Command {
                argv: argv.clone(),
                dir: dir.clone(),
            },
            ir::LocalFunction::RuntimeApi { argv, dir } => LocalBinding::RuntimeApi {
                argv: argv.clone(),
                dir: dir.clone(),
            },
            ir::LocalFunction::Runtime {
                runtime,
                handler,
                code,
            } => LocalBinding::Runtime {
                runtime: runtime.clone(),
                handler: handler.clone(),
                code: code.clone(),
            },
            ir::LocalFunction::Url { url } => LocalBinding::Url { url: url.clone() },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiPlan {
    pub name: String,
    pub kind: ApiKind,
    /// A stable id standing in for the API id AWS would assign.
    pub api_id: String,
    pub stage: StagePlan,
    pub routes: Vec<RoutePlan>,
    pub binary_media_types: Vec<String>,
    pub cors: Option<CorsPlan>,
    pub gateway_responses: Vec<GatewayResponsePlan>,
    pub api_keys: ApiKeyPlan,
    pub models: IndexMap<String, serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StagePlan {
    /// `$default` (HTTP APIs) means no prefix in the URL.
    pub name: String,
    pub variables: IndexMap<String, String>,
    pub throttling: Option<ThrottlePlan>,
    /// Per-route throttling from method settings: `(resource path or *, method or *)`.
    pub method_throttling: Vec<(String, String, ThrottlePlan)>,
    pub access_log_format: Option<String>,
}

impl StagePlan {
    /// The URL prefix for this stage: `""` for `$default`, else `/name`.
    pub fn prefix(&self) -> String {
        if self.name == "$default" {
            String::new()
        } else {
            format!("/{}", self.name)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThrottlePlan {
    pub rate_limit: f64,
    pub burst_limit: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorsPlan {
    pub allow_origins: Vec<String>,
    pub allow_credentials: bool,
    pub expose_headers: Vec<String>,
    pub max_age: Option<i64>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GatewayResponsePlan {
    pub response_type: String,
    pub status_code: Option<u16>,
    /// Header name → value (static `'text'` already unquoted, or a `$context`/`method.request`
    /// source kept for rendering).
    pub headers: IndexMap<String, String>,
    pub templates: IndexMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyPlan {
    /// Key values accepted on this stage, with their usage plan's limits.
    pub keys: Vec<ApiKeyEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyEntry {
    pub name: String,
    pub value: String,
    pub enabled: bool,
    pub throttling: Option<ThrottlePlan>,
    pub quota: Option<QuotaPlan>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaPlan {
    pub limit: u64,
    pub period: String,
}

/// What a route answers to: a method (or ANY) on a path pattern, or `$default`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RouteMatch {
    Path {
        /// `GET`, `POST` …; `None` for ANY.
        method: Option<String>,
        /// `/pets/{id}`, `/{proxy+}`, `/`.
        path: String,
    },
    Default,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutePlan {
    /// `GET /pets/{id}`, `ANY /{proxy+}`, `$default` (the `routeKey` of payload 2.0).
    pub route_key: String,
    pub matcher: RouteMatch,
    /// A stable id standing in for the REST resource id.
    pub resource_id: String,
    pub integration: IntegrationPlan,
    pub api_key_required: bool,
    pub validation: ValidationPlan,
    /// HTTP APIs: status code → response parameter mappings (`overwrite:statuscode`,
    /// `append:header.x`, `overwrite:header.x`, `remove:header.x`).
    pub response_parameters: IndexMap<String, IndexMap<String, String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidationPlan {
    pub validate_body: bool,
    pub validate_parameters: bool,
    /// Required request parameters, as `(location, name)`.
    pub required_parameters: Vec<(String, String)>,
    /// Content type → JSON schema of the body (with `$ref`s into the API's models).
    pub body_schemas: IndexMap<String, serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayloadVersion {
    #[serde(rename = "1.0")]
    V1,
    #[serde(rename = "2.0")]
    V2,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntegrationPlan {
    /// Lambda proxy (`AWS_PROXY` to a function).
    AwsProxy {
        function: String,
        payload_version: PayloadVersion,
        timeout_ms: u64,
        /// The integration method as written: Lambda accepts only POST.
        http_method: String,
    },
    HttpProxy {
        method: String,
        /// The URI with `${stageVariables.x}` and `{param}` left for request time.
        uri: String,
        timeout_ms: u64,
        request_parameters: IndexMap<String, String>,
    },
    Http {
        method: String,
        uri: String,
        timeout_ms: u64,
        request_parameters: IndexMap<String, String>,
        responses: Vec<IntegrationResponsePlan>,
    },
    Mock {
        request_templates: IndexMap<String, String>,
        responses: Vec<IntegrationResponsePlan>,
    },
    /// Lambda without proxy (`AWS`): the body passes through to the function and its result
    /// through an integration response. Mapping templates that need VTL are refused.
    Aws {
        function: String,
        timeout_ms: u64,
        request_templates: IndexMap<String, String>,
        passthrough_behavior: String,
        responses: Vec<IntegrationResponsePlan>,
    },
    /// Something the emulator does not run yet or could not resolve; answered with a 500.
    Unsupported { reason: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntegrationResponsePlan {
    pub selection_pattern: String,
    pub status_code: String,
    pub headers: IndexMap<String, String>,
    pub templates: IndexMap<String, String>,
}

/// A function as the server runs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionPlan {
    pub name: String,
    pub arn: String,
    /// `None`: no local binding, so every invocation answers as a failed integration.
    pub local: Option<LocalBinding>,
    pub timeout_seconds: u64,
    pub memory_mb: u32,
}

/// Resolves every REST and HTTP API (WebSocket APIs are noted and skipped).
pub fn resolve(apis: &[Api], options: &PlanOptions) -> Plan {
    let mut plan = Plan {
        apigw_emulator_plan: PLAN_FORMAT,
        ..Plan::default()
    };
    for (index, api) in apis.iter().enumerate() {
        let kind = match api.kind {
            ir::ApiKind::Rest => ApiKind::Rest,
            ir::ApiKind::Http => ApiKind::Http,
            ir::ApiKind::Websocket => {
                plan.notes.push(Note {
                    api: api.name.clone(),
                    message: "WebSocket APIs are not served yet".to_string(),
                });
                continue;
            }
        };
        let api_plan = resolve_api(api, kind, index, options, &mut plan.notes);
        plan.apis.push(api_plan);
        for function in &api.functions {
            if plan
                .functions
                .iter()
                .any(|known| known.name == function.name)
            {
                continue;
            }
            plan.functions.push(resolve_function(function));
        }
    }
    plan
}

fn resolve_function(function: &ir::Function) -> FunctionPlan {
    let arn = match &function.binding {
        ir::FunctionBinding::Arn { arn } => arn.clone(),
        _ => format!(
            "arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{}",
            function.name
        ),
    };
    FunctionPlan {
        name: function.name.clone(),
        arn,
        local: function.local.as_ref().map(LocalBinding::from),
        timeout_seconds: function
            .timeout_seconds
            .and_then(|seconds| u64::try_from(seconds).ok())
            .filter(|seconds| *seconds > 0)
            .unwrap_or(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
        memory_mb: 128,
    }
}

/// A 10-character lowercase id derived from `seed`, the shape of an API Gateway id.
pub fn stable_id(seed: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(10);
    for _ in 0..10 {
        let digit = usize::try_from(hash % 36).unwrap_or(0);
        out.push(char::from(*alphabet.get(digit).unwrap_or(&b'a')));
        hash /= 36;
    }
    out
}

fn expr_text(expr: &Expr, api: &str, what: &str, notes: &mut Vec<Note>) -> String {
    if let Some(text) = expr.as_literal() {
        return text.to_string();
    }
    let text = expr.display_text();
    notes.push(Note {
        api: api.to_string(),
        message: format!("{what} `{text}` is only known at deploy time; used as written"),
    });
    text
}

fn select_stage<'a>(api: &'a Api, options: &PlanOptions) -> Option<&'a ir::Stage> {
    match &options.stage {
        Some(name) => api.stages.iter().find(|stage| &stage.name == name),
        None => api.stages.first(),
    }
}

fn throttle(throttling: Option<&ir::Throttling>) -> Option<ThrottlePlan> {
    let throttling = throttling?;
    if throttling.rate_limit.is_none() && throttling.burst_limit.is_none() {
        return None;
    }
    Some(ThrottlePlan {
        // Account-level defaults: 10,000 requests per second, burst 5,000 (API Gateway quotas).
        rate_limit: throttling.rate_limit.unwrap_or(10_000.0),
        burst_limit: throttling
            .burst_limit
            .and_then(|burst| u64::try_from(burst).ok())
            .unwrap_or(5_000),
    })
}

fn resolve_api(
    api: &Api,
    kind: ApiKind,
    index: usize,
    options: &PlanOptions,
    notes: &mut Vec<Note>,
) -> ApiPlan {
    let stage = select_stage(api, options);
    let stage_name = match (&options.stage, stage) {
        (_, Some(stage)) => stage.name.clone(),
        (Some(name), None) => name.clone(),
        (None, None) => match kind {
            ApiKind::Http => "$default".to_string(),
            ApiKind::Rest => DEFAULT_REST_STAGE.to_string(),
        },
    };
    let mut variables = IndexMap::new();
    let mut method_throttling = Vec::new();
    if let Some(stage) = stage {
        for (name, value) in &stage.variables {
            let text = expr_text(value, &api.name, "stage variable", notes);
            variables.insert(name.clone(), text);
        }
        for setting in &stage.method_settings {
            if let Some(limits) = throttle(setting.throttling.as_ref()) {
                method_throttling.push((
                    setting.resource_path.clone(),
                    setting.http_method.clone(),
                    limits,
                ));
            }
        }
    }
    let stage_plan = StagePlan {
        name: stage_name.clone(),
        variables,
        throttling: stage.and_then(|stage| throttle(stage.throttling.as_ref())),
        method_throttling,
        access_log_format: stage
            .and_then(|stage| stage.access_log.as_ref())
            .and_then(|log| log.format.clone()),
    };

    let api_key_schemes: Vec<&str> = api
        .security_schemes
        .iter()
        .filter(|scheme| matches!(scheme.kind, ir::SecuritySchemeKind::ApiKey { .. }))
        .map(|scheme| scheme.name.as_str())
        .collect();

    // Authorizers run in a later stage of the pipeline; say which ones are not enforced.
    let mut unenforced: Vec<&str> = Vec::new();
    for route in &api.routes {
        for requirement in api.effective_security(route).unwrap_or(&[]) {
            for name in requirement.schemes.keys() {
                if api.authorizer(name).is_some() && !unenforced.contains(&name.as_str()) {
                    unenforced.push(name);
                }
            }
        }
    }
    for name in unenforced {
        notes.push(Note {
            api: api.name.clone(),
            message: format!(
                "authorizer `{name}` is not enforced locally yet; its routes are open"
            ),
        });
    }

    let mut routes = Vec::new();
    for route in &api.routes {
        let (route_key, matcher) = match &route.key {
            RouteKey::Http { method, path } => {
                let method_text = method.as_str();
                let path = normalize_route_path(path);
                (
                    format!("{method_text} {path}"),
                    RouteMatch::Path {
                        method: (*method != HttpMethod::Any).then(|| method_text.to_string()),
                        path,
                    },
                )
            }
            RouteKey::Default => ("$default".to_string(), RouteMatch::Default),
            RouteKey::Websocket { .. } => continue,
        };
        let integration = match &route.integration {
            Some(integration) => resolve_integration(api, integration, notes),
            None => IntegrationPlan::Unsupported {
                reason: format!("route `{route_key}` has no integration"),
            },
        };
        let api_key_required = api
            .effective_security(route)
            .map(|requirements| {
                !requirements.is_empty()
                    && requirements.iter().all(|requirement| {
                        requirement
                            .schemes
                            .keys()
                            .any(|name| api_key_schemes.contains(&name.as_str()))
                    })
            })
            .unwrap_or(false);
        let validation = resolve_validation(api, route);
        let resource_path = match &matcher {
            RouteMatch::Path { path, .. } => path.clone(),
            RouteMatch::Default => "$default".to_string(),
        };
        let response_parameters = match (&route.integration, kind) {
            (Some(integration), ApiKind::Http) => {
                let integration = integration
                    .shared_name
                    .as_ref()
                    .and_then(|name| api.shared_integrations.get(name))
                    .unwrap_or(integration);
                integration.response_parameters.clone()
            }
            _ => IndexMap::new(),
        };
        routes.push(RoutePlan {
            response_parameters,
            route_key,
            matcher,
            resource_id: stable_id(&format!("{}:{resource_path}", api.name))
                .chars()
                .take(6)
                .collect(),
            integration,
            api_key_required,
            validation,
        });
    }
    // HTTP APIs: an any-method route marked `isDefaultRoute` is the `$default` route.
    if kind == ApiKind::Http {
        for (route, plan) in api.routes.iter().zip(routes.iter_mut()) {
            if route.is_default_route {
                plan.route_key = "$default".to_string();
                plan.matcher = RouteMatch::Default;
            }
        }
    }

    let cors = api.cors.as_ref().map(|cors| CorsPlan {
        allow_origins: cors.allow_origins.clone(),
        allow_credentials: cors.allow_credentials.unwrap_or(false),
        expose_headers: cors.expose_headers.clone(),
        max_age: cors.max_age,
        allow_methods: cors.allow_methods.clone(),
        allow_headers: cors.allow_headers.clone(),
    });

    let gateway_responses = api
        .gateway_responses
        .iter()
        .map(|response| GatewayResponsePlan {
            response_type: response.response_type.to_ascii_uppercase(),
            status_code: response
                .status_code
                .as_ref()
                .and_then(|status| status.value.parse().ok()),
            headers: response
                .response_parameters
                .iter()
                .filter_map(|(key, value)| {
                    key.strip_prefix("gatewayresponse.header.")
                        .map(|name| (name.to_string(), value.value.clone()))
                })
                .collect(),
            templates: response
                .response_templates
                .iter()
                .map(|(key, value)| (key.clone(), value.value.clone()))
                .collect(),
        })
        .collect();

    let api_keys = resolve_api_keys(api, &stage_name, notes);
    let models = api
        .models
        .iter()
        .map(|model| (model.name.clone(), model.schema.clone()))
        .collect();

    ApiPlan {
        name: api.name.clone(),
        kind,
        api_id: stable_id(&format!("{index}:{}", api.name)),
        stage: stage_plan,
        routes,
        binary_media_types: api
            .binary_media_types
            .iter()
            .map(|media_type| media_type.value.clone())
            .collect(),
        cors,
        gateway_responses,
        api_keys,
        models,
    }
}

/// `/pets/` and `pets` both name `/pets`; the root stays `/`.
fn normalize_route_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    format!("/{trimmed}")
}

fn resolve_api_keys(api: &Api, stage_name: &str, notes: &mut Vec<Note>) -> ApiKeyPlan {
    let mut keys = Vec::new();
    for key in &api.api_keys {
        let value = match &key.value {
            Some(value) => expr_text(value, &api.name, "API key value", notes),
            // A key without a fixed value gets a generated one at deploy time; locally its
            // name stands in so a client can send it.
            None => key.name.clone(),
        };
        let plan = api.usage_plans.iter().find(|plan| {
            plan.api_keys.contains(&key.name)
                && (plan.stages.is_empty() || plan.stages.iter().any(|stage| stage == stage_name))
        });
        keys.push(ApiKeyEntry {
            name: key.name.clone(),
            value,
            enabled: key.enabled,
            throttling: plan.and_then(|plan| throttle(plan.throttling.as_ref())),
            quota: plan.and_then(|plan| plan.quota.as_ref()).and_then(|quota| {
                Some(QuotaPlan {
                    limit: u64::try_from(quota.limit).ok()?,
                    period: quota.period.clone(),
                })
            }),
        });
    }
    ApiKeyPlan { keys }
}

fn resolve_validation(api: &Api, route: &ir::Route) -> ValidationPlan {
    let validator_name = route
        .request_validator
        .as_ref()
        .or(api.default_request_validator.as_ref())
        .map(|name| name.value.as_str());
    let Some(validator) = validator_name.and_then(|name| {
        api.request_validators
            .iter()
            .find(|validator| validator.name == name)
    }) else {
        return ValidationPlan::default();
    };
    let required_parameters = route
        .parameters
        .iter()
        .filter(|parameter| parameter.required && parameter.location != ParameterLocation::Cookie)
        .map(|parameter| {
            (
                parameter.location.as_str().to_string(),
                parameter.name.clone(),
            )
        })
        .collect();
    let body_schemas = route
        .request_body
        .iter()
        .flat_map(|body| body.content.iter())
        .filter_map(|(media_type, schema)| {
            let schema = match schema.as_ref()? {
                Schema::Model { name } => api.model(name)?.schema.clone(),
                Schema::Inline { schema } => schema.clone(),
            };
            Some((media_type.clone(), schema))
        })
        .collect();
    ValidationPlan {
        validate_body: validator.validate_request_body,
        validate_parameters: validator.validate_request_parameters,
        required_parameters,
        body_schemas,
    }
}

fn integration_timeout(api: &Api, integration: &ir::Integration) -> u64 {
    let maximum = match api.kind {
        ir::ApiKind::Http => HTTP_INTEGRATION_TIMEOUT_MS,
        _ => REST_INTEGRATION_TIMEOUT_MS,
    };
    integration
        .timeout_ms
        .as_ref()
        .and_then(|timeout| u64::try_from(timeout.value).ok())
        .filter(|timeout| *timeout > 0)
        .map_or(maximum, |timeout| timeout.min(maximum))
}

fn resolve_integration(
    api: &Api,
    integration: &ir::Integration,
    notes: &mut Vec<Note>,
) -> IntegrationPlan {
    // HTTP APIs: a route may refer to a shared integration by name.
    let integration = match &integration.shared_name {
        Some(name) => api.shared_integrations.get(name).unwrap_or(integration),
        None => integration,
    };
    let timeout_ms = integration_timeout(api, integration);
    let method = integration
        .http_method
        .as_ref()
        .map(|method| method.value.to_ascii_uppercase());
    // Only HTTP integrations need their URI as text; a Lambda URI names its function instead.
    let uri = match integration.kind {
        Some(IntegrationType::Http | IntegrationType::HttpProxy) => integration
            .uri
            .as_ref()
            .map(|uri| expr_text(&uri.value, &api.name, "integration URI", notes)),
        _ => integration.uri.as_ref().map(|uri| uri.value.display_text()),
    };
    let request_parameters: IndexMap<String, String> = integration
        .request_parameters
        .iter()
        .map(|(key, value)| (key.clone(), value.value.clone()))
        .collect();
    let responses = integration
        .responses
        .iter()
        .map(|response| IntegrationResponsePlan {
            selection_pattern: response.selection_pattern.clone(),
            status_code: response
                .status_code
                .as_ref()
                .map_or_else(|| "200".to_string(), |status| status.value.clone()),
            headers: response
                .response_parameters
                .iter()
                .filter_map(|(key, value)| {
                    key.strip_prefix("method.response.header.")
                        .map(|name| (name.to_string(), value.value.clone()))
                })
                .collect(),
            templates: response
                .response_templates
                .iter()
                .map(|(key, value)| (key.clone(), value.value.clone()))
                .collect(),
        })
        .collect();
    match integration.kind {
        Some(IntegrationType::AwsProxy) => match &integration.function {
            Some(function) => IntegrationPlan::AwsProxy {
                function: function.clone(),
                payload_version: match integration
                    .payload_format_version
                    .as_ref()
                    .map(|version| version.value.as_str())
                {
                    Some("2.0") => PayloadVersion::V2,
                    Some(_) => PayloadVersion::V1,
                    // REST APIs only know 1.0; HTTP APIs default to 2.0 as the console does.
                    None if api.kind == ir::ApiKind::Http => PayloadVersion::V2,
                    None => PayloadVersion::V1,
                },
                timeout_ms,
                http_method: method.unwrap_or_else(|| "POST".to_string()),
            },
            None => IntegrationPlan::Unsupported {
                reason: format!(
                    "AWS_PROXY integration `{}` does not name a Lambda function",
                    uri.unwrap_or_default()
                ),
            },
        },
        Some(IntegrationType::HttpProxy) => match uri {
            Some(uri) => IntegrationPlan::HttpProxy {
                method: method.unwrap_or_else(|| "ANY".to_string()),
                uri,
                timeout_ms,
                request_parameters,
            },
            None => IntegrationPlan::Unsupported {
                reason: "HTTP_PROXY integration without a URI".to_string(),
            },
        },
        Some(IntegrationType::Http) => match uri {
            Some(uri) => IntegrationPlan::Http {
                method: method.unwrap_or_else(|| "GET".to_string()),
                uri,
                timeout_ms,
                request_parameters,
                responses,
            },
            None => IntegrationPlan::Unsupported {
                reason: "HTTP integration without a URI".to_string(),
            },
        },
        Some(IntegrationType::Mock) => IntegrationPlan::Mock {
            request_templates: integration
                .request_templates
                .iter()
                .map(|(key, value)| (key.clone(), value.value.clone()))
                .collect(),
            responses,
        },
        Some(IntegrationType::Aws) => match &integration.function {
            Some(function) => IntegrationPlan::Aws {
                function: function.clone(),
                timeout_ms,
                request_templates: integration
                    .request_templates
                    .iter()
                    .map(|(key, value)| (key.clone(), value.value.clone()))
                    .collect(),
                passthrough_behavior: integration.passthrough_behavior.as_ref().map_or_else(
                    || "WHEN_NO_MATCH".to_string(),
                    |value| value.value.to_ascii_uppercase(),
                ),
                responses,
            },
            None => IntegrationPlan::Unsupported {
                reason: "AWS integrations with services other than Lambda are not served"
                    .to_string(),
            },
        },
        None => IntegrationPlan::Unsupported {
            reason: "integration without a known type".to_string(),
        },
    }
}
