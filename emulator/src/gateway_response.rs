//! API Gateway's own answers: the default error bodies and status codes of each kind of API,
//! with `x-amzn-ErrorType`, and a REST API's customised gateway responses (status, headers,
//! body templates) that replace them.

use serde_json::json;

use crate::http1::Response;
use crate::plan::{ApiKind, ApiPlan, GatewayResponsePlan};

/// Why the gateway answers instead of the integration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayError {
    /// No route (REST: 403 Missing Authentication Token; HTTP: 404 Not Found).
    NoRoute,
    /// The Lambda function failed, returned a malformed response or has no local binding.
    IntegrationFailure,
    /// The integration did not answer within the integration timeout.
    IntegrationTimeout,
    /// The route's integration cannot run (unknown type, unresolved configuration).
    ConfigurationError,
    /// A required API key is missing or unknown.
    InvalidApiKey,
    /// Throttled by a stage, route or usage-plan limit.
    Throttled,
    /// A usage plan's quota is used up.
    QuotaExceeded,
    /// Request validation: a required parameter is missing.
    BadRequestParameters(Vec<String>),
    /// Request validation: the body does not match its model (the validator's messages).
    BadRequestBody(String),
    /// The request body exceeds 10 MB.
    RequestTooLarge,
    /// No mapping template for the request's content type and passthrough is refused.
    UnsupportedMediaType,
}

impl GatewayError {
    /// The gateway response type that customises this error (REST APIs).
    pub fn response_type(&self) -> &'static str {
        match self {
            GatewayError::NoRoute => "MISSING_AUTHENTICATION_TOKEN",
            GatewayError::IntegrationFailure => "INTEGRATION_FAILURE",
            GatewayError::IntegrationTimeout => "INTEGRATION_TIMEOUT",
            GatewayError::ConfigurationError => "API_CONFIGURATION_ERROR",
            GatewayError::InvalidApiKey => "INVALID_API_KEY",
            GatewayError::Throttled => "THROTTLED",
            GatewayError::QuotaExceeded => "QUOTA_EXCEEDED",
            GatewayError::BadRequestParameters(_) => "BAD_REQUEST_PARAMETERS",
            GatewayError::BadRequestBody(_) => "BAD_REQUEST_BODY",
            GatewayError::RequestTooLarge => "REQUEST_TOO_LARGE",
            GatewayError::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
        }
    }

    /// Status, message and `x-amzn-ErrorType` AWS uses when nothing is customised.
    fn defaults(&self, kind: ApiKind) -> (u16, String, &'static str) {
        let http = kind == ApiKind::Http;
        match self {
            GatewayError::NoRoute if http => (404, "Not Found".into(), "NotFoundException"),
            GatewayError::NoRoute => (
                403,
                "Missing Authentication Token".into(),
                "MissingAuthenticationTokenException",
            ),
            // Recorded: a failing or malformed Lambda proxy response is a 502 on REST APIs;
            // HTTP APIs answer 500.
            GatewayError::IntegrationFailure if http => (
                500,
                "Internal Server Error".into(),
                "InternalServerErrorException",
            ),
            GatewayError::IntegrationFailure => (
                502,
                "Internal server error".into(),
                "InternalServerErrorException",
            ),
            GatewayError::IntegrationTimeout if http => (
                503,
                "Service Unavailable".into(),
                "ServiceUnavailableException",
            ),
            GatewayError::IntegrationTimeout => (
                504,
                "Endpoint request timed out".into(),
                "InternalServerErrorException",
            ),
            GatewayError::ConfigurationError if http => (
                500,
                "Internal Server Error".into(),
                "InternalServerErrorException",
            ),
            GatewayError::ConfigurationError => (
                500,
                "Internal server error".into(),
                "InternalServerErrorException",
            ),
            GatewayError::InvalidApiKey => (403, "Forbidden".into(), "ForbiddenException"),
            GatewayError::Throttled => {
                (429, "Too Many Requests".into(), "TooManyRequestsException")
            }
            GatewayError::QuotaExceeded => (429, "Limit Exceeded".into(), "LimitExceededException"),
            GatewayError::BadRequestParameters(missing) => (
                400,
                format!(
                    "Missing required request parameters: [{}]",
                    missing.join(", ")
                ),
                "BadRequestException",
            ),
            GatewayError::BadRequestBody(_) => {
                (400, "Invalid request body".into(), "BadRequestException")
            }
            GatewayError::RequestTooLarge if http => (
                413,
                "Request Entity Too Large".into(),
                "RequestEntityTooLargeException",
            ),
            GatewayError::RequestTooLarge => (
                413,
                "Request Too Long".into(),
                "RequestEntityTooLargeException",
            ),
            GatewayError::UnsupportedMediaType => (
                415,
                "Unsupported Media Type".into(),
                "UnsupportedMediaTypeException",
            ),
        }
    }
}

/// Values a gateway response template may refer to.
pub struct TemplateContext<'a> {
    pub request_id: &'a str,
    /// `$context.error.validationErrorString`: the body validator's messages.
    pub validation_errors: &'a str,
    pub stage_variables: &'a indexmap::IndexMap<String, String>,
}

fn find_custom<'a>(
    api: &'a ApiPlan,
    response_type: &str,
    status: u16,
) -> Option<&'a GatewayResponsePlan> {
    let family = if status >= 500 {
        "DEFAULT_5XX"
    } else {
        "DEFAULT_4XX"
    };
    api.gateway_responses
        .iter()
        .find(|response| response.response_type == response_type)
        .or_else(|| {
            api.gateway_responses
                .iter()
                .find(|response| response.response_type == family)
        })
}

/// Unquotes a static mapping value (`'text'`) or renders a `$context`/`stageVariables` source.
fn render_value(value: &str, message: &str, context: &TemplateContext<'_>) -> String {
    if let Some(text) = value
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return text.to_string();
    }
    render_template(value, message, context)
}

/// Substitutes the variables a gateway response template can use. Full VTL is not evaluated.
fn render_template(template: &str, message: &str, context: &TemplateContext<'_>) -> String {
    let message_string = serde_json::Value::String(message.to_string()).to_string();
    let mut out = template
        .replace(
            "$context.error.validationErrorString",
            context.validation_errors,
        )
        .replace("$context.error.messageString", &message_string)
        .replace("$context.error.message", message)
        .replace("$context.requestId", context.request_id)
        .replace("$context.extendedRequestId", context.request_id);
    for (name, value) in context.stage_variables {
        out = out.replace(&format!("$stageVariables.{name}"), value);
    }
    out
}

/// The gateway's answer for `error` on `api`, customised by its gateway responses (REST).
pub fn respond(api: &ApiPlan, error: &GatewayError, context: &TemplateContext<'_>) -> Response {
    let (default_status, message, error_type) = error.defaults(api.kind);
    let custom = match api.kind {
        ApiKind::Http => None,
        _ => find_custom(api, error.response_type(), default_status),
    };
    let status = custom
        .and_then(|custom| custom.status_code)
        .unwrap_or(default_status);
    let mut response = Response::new(status)
        .with_header("Content-Type", "application/json")
        .with_header("x-amzn-ErrorType", error_type);
    let body = custom
        .and_then(|custom| {
            custom
                .templates
                .get("application/json")
                .or_else(|| custom.templates.values().next())
        })
        .map(|template| render_template(template, &message, context))
        .unwrap_or_else(|| json!({"message": message}).to_string());
    response.body = body.into_bytes();
    if let Some(custom) = custom {
        for (name, value) in &custom.headers {
            response.remove_header(name);
            response
                .headers
                .push((name.clone(), render_value(value, &message, context)));
        }
    }
    response
}
