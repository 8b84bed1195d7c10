//! The IR: one model of an API, whatever it was written in. Plain data; front ends build it,
//! rules read it, targets and the emulator consume it.
//!
//! Every node keeps the [`Origin`] it was lowered from, so a rule can point at the source line.
//! Origins take no part in equality: the same API written in OpenAPI and in the DSL gives equal
//! IR. Collections are `Vec`s or `IndexMap`s in source order; nothing here iterates a hash map.

mod expr;

pub use expr::{Expr, TemplatePart, PSEUDO_PARAMETERS};

use indexmap::IndexMap;
use serde::Serialize;

use crate::pointer::Pointer;
use crate::source::FileId;

/// The source node an IR node came from.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Origin {
    #[serde(skip)]
    pub file: FileId,
    pub pointer: Pointer,
}

impl Origin {
    pub fn new(file: FileId, pointer: Pointer) -> Self {
        Origin { file, pointer }
    }

    pub fn join(&self, segment: impl AsRef<str>) -> Self {
        Origin {
            file: self.file,
            pointer: self.pointer.join(segment),
        }
    }

    pub fn index(&self, index: usize) -> Self {
        Origin {
            file: self.file,
            pointer: self.pointer.index(index),
        }
    }
}

/// Origins never make two IR values different (see the module docs).
impl PartialEq for Origin {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    /// API Gateway v1: `AWS::ApiGateway::RestApi`.
    Rest,
    /// API Gateway v2, protocol HTTP.
    Http,
    /// API Gateway v2, protocol WEBSOCKET.
    Websocket,
}

/// What the API was written in; informative only (not part of IR equality).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    OpenApi30,
    Swagger20,
    Dsl,
    /// A raw CloudFormation/SAM resource definition without an embedded spec.
    Template,
}

/// One API.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Api {
    pub origin: Origin,
    /// A stable name for the API: the template's logical id when embedded, else the title.
    pub name: String,
    pub kind: ApiKind,
    #[serde(skip)]
    pub format: Option<SourceFormat>,
    /// When embedded in a template: the logical id of the resource that holds it.
    pub logical_id: Option<String>,
    /// When read from an OpenAPI or Swagger document: where that document lies (its file and
    /// the pointer of its root, e.g. a template's `Body`). `origin` is the template resource
    /// for an embedded spec, so conversions find the spec here.
    #[serde(skip)]
    pub definition: Option<Origin>,
    pub title: String,
    pub version: Option<String>,
    pub description: Option<String>,
    /// The base path from `servers[].url` (OpenAPI 3) or `basePath` (Swagger 2); `None` for `/`.
    pub base_path: Option<String>,
    /// Swagger 2's host and schemes, or the server URL, kept for export.
    pub servers: Vec<Server>,
    pub endpoint: Option<EndpointConfiguration>,
    pub api_key_source: Option<ApiKeySource>,
    pub binary_media_types: Vec<Spanned<String>>,
    pub minimum_compression_size: Option<Spanned<i64>>,
    /// `x-amazon-apigateway-policy`, an IAM policy document.
    pub policy: Option<Spanned<serde_json::Value>>,
    pub security_policy: Option<Spanned<String>>,
    pub endpoint_access_mode: Option<Spanned<String>>,
    pub importexport_version: Option<Spanned<String>>,
    /// HTTP APIs: `x-amazon-apigateway-cors`.
    pub cors: Option<Cors>,
    /// The security requirement applied to operations that have none of their own.
    pub security: Option<Vec<SecurityRequirement>>,
    pub routes: Vec<Route>,
    pub authorizers: Vec<Authorizer>,
    /// Security schemes that are not authorizers: API keys (`x-api-key`) and others kept for
    /// export.
    pub security_schemes: Vec<SecurityScheme>,
    pub models: Vec<Model>,
    pub request_validators: Vec<RequestValidator>,
    /// The root `x-amazon-apigateway-request-validator`.
    pub default_request_validator: Option<Spanned<String>>,
    pub gateway_responses: Vec<GatewayResponse>,
    /// HTTP APIs: `components.x-amazon-apigateway-integrations`, by name.
    pub shared_integrations: IndexMap<String, Integration>,
    pub documentation: Option<Documentation>,
    pub stages: Vec<Stage>,
    pub usage_plans: Vec<UsagePlan>,
    pub api_keys: Vec<ApiKey>,
    pub domains: Vec<Domain>,
    /// The Lambda functions the API invokes (integrations and authorizers), by logical name.
    pub functions: Vec<Function>,
    pub tags: Vec<Tag>,
    /// WebSocket APIs: e.g. `$request.body.action`.
    pub route_selection_expression: Option<String>,
    pub api_key_selection_expression: Option<String>,
    /// Tags from the root `tags` array (OpenAPI operation grouping), with descriptions.
    pub tag_definitions: Vec<TagDefinition>,
    /// `x-` extensions that are not API Gateway's, kept so an export carries them.
    pub vendor_extensions: IndexMap<String, serde_json::Value>,
}

/// A value with the origin it was read from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Spanned<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Spanned { value, origin }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Server {
    pub origin: Origin,
    pub url: Expr,
    pub variables: IndexMap<String, ServerVariable>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerVariable {
    pub default: String,
    pub enum_values: Vec<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EndpointConfiguration {
    pub origin: Origin,
    /// EDGE, REGIONAL, PRIVATE (from a template; the extension does not carry it).
    pub types: Vec<String>,
    pub disable_execute_api_endpoint: Option<bool>,
    pub vpc_endpoint_ids: Vec<Expr>,
    pub ip_address_type: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApiKeySource {
    Header,
    Authorizer,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cors {
    pub origin: Origin,
    pub allow_origins: Vec<String>,
    pub allow_credentials: Option<bool>,
    pub expose_headers: Vec<String>,
    pub max_age: Option<i64>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
}

/// One security requirement object: every scheme named must pass (AND); a list of requirements
/// is alternatives (OR). An empty list of requirements means "no authorization".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityRequirement {
    pub origin: Origin,
    /// Scheme name → OAuth scopes.
    pub schemes: IndexMap<String, Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// `x-amazon-apigateway-any-method`.
    Any,
}

impl HttpMethod {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_uppercase().as_str() {
            "GET" => HttpMethod::Get,
            "PUT" => HttpMethod::Put,
            "POST" => HttpMethod::Post,
            "DELETE" => HttpMethod::Delete,
            "OPTIONS" => HttpMethod::Options,
            "HEAD" => HttpMethod::Head,
            "PATCH" => HttpMethod::Patch,
            "TRACE" => HttpMethod::Trace,
            "ANY" | "X-AMAZON-APIGATEWAY-ANY-METHOD" => HttpMethod::Any,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Any => "ANY",
        }
    }

    /// The key an OpenAPI path item uses for this method.
    pub fn openapi_key(&self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
            HttpMethod::Any => "x-amazon-apigateway-any-method",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route answers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RouteKey {
    /// A method on a path (REST resource method, HTTP API route `GET /pets/{id}`).
    Http { method: HttpMethod, path: String },
    /// HTTP or WebSocket `$default`.
    Default,
    /// A WebSocket route key: `$connect`, `$disconnect`, or a custom action such as `sendMessage`.
    Websocket { key: String },
}

impl std::fmt::Display for RouteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteKey::Http { method, path } => write!(f, "{method} {path}"),
            RouteKey::Default => f.write_str("$default"),
            RouteKey::Websocket { key } => f.write_str(key),
        }
    }
}

/// One method of a REST resource, one HTTP API route, or one WebSocket route.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Route {
    pub origin: Origin,
    pub key: RouteKey,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<MethodResponse>,
    /// `None`: the API's default applies. `Some(vec![])`: explicitly no authorization.
    pub security: Option<Vec<SecurityRequirement>>,
    /// `x-amazon-apigateway-auth` (`NONE`, `AWS_IAM`).
    pub auth_type: Option<Spanned<String>>,
    pub integration: Option<Integration>,
    /// `x-amazon-apigateway-request-validator` on the operation.
    pub request_validator: Option<Spanned<String>>,
    /// HTTP APIs: `isDefaultRoute` on the any-method object.
    pub is_default_route: bool,
    /// WebSocket: how the route's response is selected (`$default` enables two-way).
    pub route_response_selection_expression: Option<String>,
    pub model_selection_expression: Option<String>,
    pub route_responses: Vec<RouteResponse>,
    /// Rule codes or names silenced on this node with `x-apigw-ignore`.
    pub ignore: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParameterLocation {
    pub fn as_str(&self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parameter {
    pub origin: Origin,
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub description: Option<String>,
    pub schema: Option<Schema>,
}

/// A JSON Schema: a reference to a named model, or inline.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schema {
    Model { name: String },
    Inline { schema: serde_json::Value },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestBody {
    pub origin: Origin,
    pub required: bool,
    pub description: Option<String>,
    /// Media type → schema (None when the media type has no schema).
    pub content: IndexMap<String, Option<Schema>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodResponse {
    pub origin: Origin,
    /// `200`, `4XX`, `default`.
    pub status: String,
    pub description: Option<String>,
    pub headers: IndexMap<String, ResponseHeader>,
    pub content: IndexMap<String, Option<Schema>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseHeader {
    pub required: bool,
    pub description: Option<String>,
    pub schema: Option<Schema>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteResponse {
    pub origin: Origin,
    pub key: String,
    pub model_selection_expression: Option<String>,
    pub models: IndexMap<String, String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntegrationType {
    Aws,
    AwsProxy,
    Http,
    HttpProxy,
    Mock,
}

impl IntegrationType {
    /// Case-insensitive, as API Gateway's importer reads it.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "aws" => IntegrationType::Aws,
            "aws_proxy" => IntegrationType::AwsProxy,
            "http" => IntegrationType::Http,
            "http_proxy" => IntegrationType::HttpProxy,
            "mock" => IntegrationType::Mock,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            IntegrationType::Aws => "AWS",
            IntegrationType::AwsProxy => "AWS_PROXY",
            IntegrationType::Http => "HTTP",
            IntegrationType::HttpProxy => "HTTP_PROXY",
            IntegrationType::Mock => "MOCK",
        }
    }
}

/// `x-amazon-apigateway-integration`, an HTTP API shared integration, or a WebSocket
/// integration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Integration {
    pub origin: Origin,
    /// `None` when the source gave no or an unknown type (a diagnostic said so).
    pub kind: Option<IntegrationType>,
    /// The method API Gateway uses to call the backend (`POST` for Lambda); kept as written.
    pub http_method: Option<Spanned<String>>,
    pub uri: Option<Spanned<Expr>>,
    /// When the URI names a Lambda function: the function's logical name in [`Api::functions`].
    pub function: Option<String>,
    pub connection_type: Option<Spanned<String>>,
    pub connection_id: Option<Spanned<Expr>>,
    pub integration_target: Option<Spanned<Expr>>,
    pub credentials: Option<Spanned<Expr>>,
    pub request_parameters: IndexMap<String, Spanned<String>>,
    pub request_templates: IndexMap<String, Spanned<String>>,
    pub passthrough_behavior: Option<Spanned<String>>,
    pub content_handling: Option<Spanned<String>>,
    pub cache_namespace: Option<String>,
    pub cache_key_parameters: Vec<Spanned<String>>,
    pub timeout_ms: Option<Spanned<i64>>,
    /// REST: selection pattern → integration response, in source order.
    pub responses: Vec<IntegrationResponse>,
    /// HTTP APIs: status code → parameter mappings for the response.
    pub response_parameters: IndexMap<String, IndexMap<String, String>>,
    pub tls_config: Option<TlsConfig>,
    pub payload_format_version: Option<Spanned<String>>,
    pub integration_subtype: Option<Spanned<String>>,
    pub response_transfer_mode: Option<Spanned<String>>,
    /// WebSocket: `$request.body.x` style selection for integration responses.
    pub template_selection_expression: Option<String>,
    /// HTTP APIs: the operation referred to a shared integration by `$ref`.
    pub shared_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntegrationResponse {
    pub origin: Origin,
    /// A Java regex matched against the status code or Lambda error, or `default`.
    pub selection_pattern: String,
    pub status_code: Option<Spanned<String>>,
    pub response_parameters: IndexMap<String, Spanned<String>>,
    pub response_templates: IndexMap<String, Spanned<String>>,
    pub content_handling: Option<Spanned<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TlsConfig {
    pub insecure_skip_verification: Option<bool>,
    pub server_name_to_verify: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizerKind {
    /// REST Lambda authorizer reading one token.
    Token,
    /// Lambda authorizer reading request parameters (REST and HTTP APIs).
    Request,
    CognitoUserPools,
    /// HTTP APIs.
    Jwt,
    /// `x-amazon-apigateway-authtype: awsSigv4`: IAM authorization.
    Iam,
}

/// A security scheme that API Gateway turns into an authorizer (or IAM auth).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Authorizer {
    pub origin: Origin,
    /// The security scheme's name, which operations refer to.
    pub name: String,
    pub kind: Option<AuthorizerKind>,
    /// As written (`token`, `TOKEN`, …), for messages and faithful export.
    pub kind_text: Option<Spanned<String>>,
    /// `x-amazon-apigateway-authtype`.
    pub auth_type: Option<Spanned<String>>,
    /// The OpenAPI security scheme around it: `apiKey` + header name, `oauth2`, `openIdConnect`.
    pub scheme_type: Option<String>,
    /// The header that carries the token for `apiKey` schemes (`Authorization`).
    pub header_name: Option<String>,
    pub identity_source: Vec<Spanned<String>>,
    pub identity_validation_expression: Option<Spanned<String>>,
    pub result_ttl_seconds: Option<Spanned<i64>>,
    pub uri: Option<Spanned<Expr>>,
    /// When the authorizer is a Lambda function: its logical name in [`Api::functions`].
    pub function: Option<String>,
    pub credentials: Option<Spanned<Expr>>,
    pub provider_arns: Vec<Spanned<Expr>>,
    pub jwt: Option<JwtConfiguration>,
    pub payload_format_version: Option<Spanned<String>>,
    pub enable_simple_responses: Option<bool>,
    pub open_id_connect_url: Option<String>,
    /// OAuth flows kept for export (oauth2 schemes).
    pub flows: Option<serde_json::Value>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JwtConfiguration {
    pub origin: Origin,
    pub issuer: Option<Spanned<Expr>>,
    pub audience: Vec<Spanned<Expr>>,
}

/// A security scheme that is not an authorizer: an API key, or a scheme API Gateway ignores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityScheme {
    pub origin: Origin,
    pub name: String,
    pub kind: SecuritySchemeKind,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecuritySchemeKind {
    /// `{type: apiKey, name: x-api-key, in: header}`: requiring it sets `apiKeyRequired`.
    ApiKey { header: String, location: String },
    /// Anything else, kept verbatim for export (API Gateway ignores it).
    Other { value: serde_json::Value },
}

/// A named JSON Schema (`components.schemas` or `definitions`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Model {
    pub origin: Origin,
    pub name: String,
    pub content_type: String,
    pub description: Option<String>,
    /// The schema with `$ref`s to other models kept as `#/components/schemas/<name>`.
    pub schema: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestValidator {
    pub origin: Origin,
    pub name: String,
    pub validate_request_body: bool,
    pub validate_request_parameters: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GatewayResponse {
    pub origin: Origin,
    /// `DEFAULT_4XX`, `UNAUTHORIZED`, … as written.
    pub response_type: String,
    pub status_code: Option<Spanned<String>>,
    pub response_parameters: IndexMap<String, Spanned<String>>,
    pub response_templates: IndexMap<String, Spanned<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Documentation {
    pub origin: Origin,
    pub version: Option<String>,
    pub parts: Vec<DocumentationPart>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentationPart {
    pub origin: Origin,
    pub location_type: String,
    pub path: Option<String>,
    pub method: Option<String>,
    pub status_code: Option<String>,
    pub name: Option<String>,
    pub properties: serde_json::Value,
}

/// A deployment stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    pub origin: Origin,
    pub name: String,
    pub description: Option<String>,
    pub variables: IndexMap<String, Expr>,
    /// Default route/method throttling for the stage.
    pub throttling: Option<Throttling>,
    pub method_settings: Vec<MethodSetting>,
    pub access_log: Option<AccessLog>,
    pub tracing_enabled: Option<bool>,
    pub cache_cluster_enabled: Option<bool>,
    pub cache_cluster_size: Option<String>,
    pub canary: Option<Canary>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Throttling {
    pub burst_limit: Option<i64>,
    pub rate_limit: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodSetting {
    /// `*` or a path such as `/pets/{id}`.
    pub resource_path: String,
    /// `*` or a method.
    pub http_method: String,
    pub throttling: Option<Throttling>,
    /// `OFF`, `ERROR`, `INFO`.
    pub logging_level: Option<String>,
    pub data_trace_enabled: Option<bool>,
    pub metrics_enabled: Option<bool>,
    pub caching_enabled: Option<bool>,
    pub cache_ttl_seconds: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccessLog {
    /// A log group ARN; `None` means "create a log group for this stage".
    pub destination: Option<Expr>,
    pub format: Option<String>,
    pub retention_days: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Canary {
    pub percent_traffic: f64,
    pub variables: IndexMap<String, Expr>,
    pub use_stage_cache: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UsagePlan {
    pub origin: Origin,
    pub name: String,
    pub description: Option<String>,
    /// Stage names this plan applies to.
    pub stages: Vec<String>,
    pub throttling: Option<Throttling>,
    pub quota: Option<Quota>,
    /// API key names.
    pub api_keys: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quota {
    pub limit: i64,
    /// `DAY`, `WEEK`, `MONTH`.
    pub period: String,
    pub offset: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApiKey {
    pub origin: Origin,
    pub name: String,
    pub description: Option<String>,
    pub enabled: bool,
    /// A fixed key value, usually a deploy-time secret reference.
    pub value: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Domain {
    pub origin: Origin,
    pub domain_name: Expr,
    pub certificate_arn: Option<Expr>,
    /// `EDGE` or `REGIONAL`.
    pub endpoint_type: Option<String>,
    pub security_policy: Option<String>,
    pub mappings: Vec<BasePathMapping>,
    pub hosted_zone_id: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BasePathMapping {
    /// `None` maps the domain's root.
    pub base_path: Option<String>,
    pub stage: String,
}

/// A Lambda function that an integration or authorizer invokes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Function {
    pub origin: Origin,
    /// The logical name routes refer to (`orders`, `OrdersFunction`, `lambda_arn`).
    pub name: String,
    pub binding: FunctionBinding,
    /// How `apigw serve` runs it; `None` until the DSL or a `--functions` file says.
    pub local: Option<LocalFunction>,
    pub timeout_seconds: Option<i64>,
}

/// How a function is found at deploy time.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FunctionBinding {
    /// A literal function ARN.
    Arn { arn: String },
    /// A CloudFormation parameter or Terraform variable holding the ARN.
    Parameter { name: String },
    /// A function resource in the same stack (`!GetAtt Fn.Arn`, `!Ref Fn`).
    StackResource { logical_id: String },
    /// Any other deploy-time expression.
    Expr { value: Expr },
}

/// How the emulator runs a function locally.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocalFunction {
    /// A program reading the event on stdin and writing the result on stdout.
    Command {
        argv: Vec<String>,
        dir: Option<String>,
    },
    /// A program speaking the Lambda Runtime API (e.g. `python -m awslambdaric app.handler`).
    RuntimeApi {
        argv: Vec<String>,
        dir: Option<String>,
    },
    /// `runtime: python3.12`, `handler: app.handler`, `code: ./src`.
    Runtime {
        runtime: String,
        handler: String,
        code: Option<String>,
    },
    /// A URL speaking the Lambda Invoke API.
    Url { url: String },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TagDefinition {
    pub origin: Origin,
    pub name: String,
    pub description: Option<String>,
    /// HTTP APIs: `x-amazon-apigateway-tag-value`.
    pub tag_value: Option<String>,
}

impl Api {
    /// An empty API of `kind`, to be filled by a front end.
    pub fn new(kind: ApiKind, origin: Origin, name: impl Into<String>) -> Self {
        let name = name.into();
        Api {
            origin,
            title: name.clone(),
            name,
            kind,
            format: None,
            logical_id: None,
            definition: None,
            version: None,
            description: None,
            base_path: None,
            servers: Vec::new(),
            endpoint: None,
            api_key_source: None,
            binary_media_types: Vec::new(),
            minimum_compression_size: None,
            policy: None,
            security_policy: None,
            endpoint_access_mode: None,
            importexport_version: None,
            cors: None,
            security: None,
            routes: Vec::new(),
            authorizers: Vec::new(),
            security_schemes: Vec::new(),
            models: Vec::new(),
            request_validators: Vec::new(),
            default_request_validator: None,
            gateway_responses: Vec::new(),
            shared_integrations: IndexMap::new(),
            documentation: None,
            stages: Vec::new(),
            usage_plans: Vec::new(),
            api_keys: Vec::new(),
            domains: Vec::new(),
            functions: Vec::new(),
            tags: Vec::new(),
            route_selection_expression: None,
            api_key_selection_expression: None,
            tag_definitions: Vec::new(),
            vendor_extensions: IndexMap::new(),
        }
    }

    /// Every integration: on routes and shared (HTTP API components).
    pub fn integrations(&self) -> impl Iterator<Item = &Integration> {
        self.routes
            .iter()
            .filter_map(|route| route.integration.as_ref())
            .chain(self.shared_integrations.values())
    }

    pub fn authorizer(&self, name: &str) -> Option<&Authorizer> {
        self.authorizers
            .iter()
            .find(|authorizer| authorizer.name == name)
    }

    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|model| model.name == name)
    }

    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|function| function.name == name)
    }

    /// The security requirements in force on a route: its own, else the API's.
    pub fn effective_security<'a>(&'a self, route: &'a Route) -> Option<&'a [SecurityRequirement]> {
        route.security.as_deref().or(self.security.as_deref())
    }
}

impl Integration {
    /// An integration of `kind` with nothing else set.
    pub fn new(origin: Origin, kind: Option<IntegrationType>) -> Self {
        Integration {
            origin,
            kind,
            http_method: None,
            uri: None,
            function: None,
            connection_type: None,
            connection_id: None,
            integration_target: None,
            credentials: None,
            request_parameters: IndexMap::new(),
            request_templates: IndexMap::new(),
            passthrough_behavior: None,
            content_handling: None,
            cache_namespace: None,
            cache_key_parameters: Vec::new(),
            timeout_ms: None,
            responses: Vec::new(),
            response_parameters: IndexMap::new(),
            tls_config: None,
            payload_format_version: None,
            integration_subtype: None,
            response_transfer_mode: None,
            template_selection_expression: None,
            shared_name: None,
        }
    }

    pub fn is_lambda(&self) -> bool {
        self.function.is_some()
    }
}

impl Route {
    pub fn new(origin: Origin, key: RouteKey) -> Self {
        Route {
            origin,
            key,
            operation_id: None,
            summary: None,
            description: None,
            tags: Vec::new(),
            deprecated: false,
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: None,
            auth_type: None,
            integration: None,
            request_validator: None,
            is_default_route: false,
            route_response_selection_expression: None,
            model_selection_expression: None,
            route_responses: Vec::new(),
            ignore: Vec::new(),
        }
    }

    pub fn method(&self) -> Option<HttpMethod> {
        match &self.key {
            RouteKey::Http { method, .. } => Some(*method),
            _ => None,
        }
    }

    pub fn path(&self) -> Option<&str> {
        match &self.key {
            RouteKey::Http { path, .. } => Some(path),
            _ => None,
        }
    }
}
