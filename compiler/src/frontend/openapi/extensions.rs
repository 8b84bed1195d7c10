//! The `x-amazon-apigateway-*` extensions, each read into typed IR: integrations (and the
//! shared ones of HTTP APIs), gateway responses, request validators, CORS, documentation,
//! endpoint configuration, and the root scalars. Also the scan that finds extension names
//! API Gateway does not define, wherever they are.
//!
//! What an extension's values mean at runtime is left to the rules; this module reports only
//! shape: types, required fields, enumerations, unknown names.

use indexmap::IndexMap;

use crate::frontend::expr;
use crate::ir::{
    ApiKeySource, Cors, Documentation, DocumentationPart, EndpointConfiguration, GatewayResponse,
    Integration, IntegrationResponse, IntegrationType, RequestValidator, Spanned, TlsConfig,
};
use crate::load::tree::{Node, Value};
use crate::pointer::Pointer;
use crate::rules::structure::{
    InvalidEnumValue, InvalidValue, UnknownExtension, UnknownField, UnresolvedRef,
};

use super::functions;
use super::reader::{suggest, Cx, Loc};
use super::refs::{parse_ref, RefTarget, Section};

/// The extension names API Gateway defines (developer guide, "OpenAPI extensions").
pub(super) const KNOWN_EXTENSIONS: &[&str] = &[
    "x-amazon-apigateway-any-method",
    "x-amazon-apigateway-api-key-source",
    "x-amazon-apigateway-auth",
    "x-amazon-apigateway-authorizer",
    "x-amazon-apigateway-authtype",
    "x-amazon-apigateway-binary-media-types",
    "x-amazon-apigateway-cors",
    "x-amazon-apigateway-documentation",
    "x-amazon-apigateway-endpoint-access-mode",
    "x-amazon-apigateway-endpoint-configuration",
    "x-amazon-apigateway-gateway-responses",
    "x-amazon-apigateway-importexport-version",
    "x-amazon-apigateway-integration",
    "x-amazon-apigateway-integrations",
    "x-amazon-apigateway-minimum-compression-size",
    "x-amazon-apigateway-policy",
    "x-amazon-apigateway-request-validator",
    "x-amazon-apigateway-request-validators",
    "x-amazon-apigateway-security-policy",
    "x-amazon-apigateway-tag-value",
];

const EXTENSION_PREFIX: &str = "x-amazon-apigateway-";

const INTEGRATION_FIELDS: &[&str] = &[
    "type",
    "uri",
    "httpMethod",
    "connectionType",
    "connectionId",
    "integrationTarget",
    // The developer guide's spelling; read, with a warning of its own.
    "integration-target",
    "credentials",
    "requestParameters",
    "requestTemplates",
    "passthroughBehavior",
    "contentHandling",
    "cacheNamespace",
    "cacheKeyParameters",
    "timeoutInMillis",
    "responses",
    "responseParameters",
    "tlsConfig",
    "payloadFormatVersion",
    "integrationSubtype",
    "responseTransferMode",
];

const INTEGRATION_TYPES: &[&str] = &["aws", "aws_proxy", "http", "http_proxy", "mock"];

/// The 21 gateway response types (BC `GatewayResponseType`).
pub(super) const GATEWAY_RESPONSE_TYPES: &[&str] = &[
    "ACCESS_DENIED",
    "API_CONFIGURATION_ERROR",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "AUTHORIZER_FAILURE",
    "BAD_REQUEST_PARAMETERS",
    "BAD_REQUEST_BODY",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "EXPIRED_TOKEN",
    "INTEGRATION_FAILURE",
    "INTEGRATION_TIMEOUT",
    "INVALID_API_KEY",
    "INVALID_SIGNATURE",
    "MISSING_AUTHENTICATION_TOKEN",
    "QUOTA_EXCEEDED",
    "REQUEST_TOO_LARGE",
    "RESOURCE_NOT_FOUND",
    "THROTTLED",
    "UNAUTHORIZED",
    "UNSUPPORTED_MEDIA_TYPE",
    "WAF_FILTERED",
];

/// `x-amazon-apigateway-security-policy` values (BC `SecurityPolicy`).
const SECURITY_POLICIES: &[&str] = &[
    "TLS_1_0",
    "TLS_1_2",
    "SecurityPolicy_TLS13_1_3_2025_09",
    "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
    "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_2021_06",
    "SecurityPolicy_TLS13_2025_EDGE",
    "SecurityPolicy_TLS12_PFS_2025_EDGE",
    "SecurityPolicy_TLS12_2018_EDGE",
];

/// `documentationParts[].location.type` values (BC `DocumentationPartType`).
const DOCUMENTATION_LOCATION_TYPES: &[&str] = &[
    "API",
    "AUTHORIZER",
    "MODEL",
    "RESOURCE",
    "METHOD",
    "PATH_PARAMETER",
    "QUERY_PARAMETER",
    "REQUEST_HEADER",
    "REQUEST_BODY",
    "RESPONSE",
    "RESPONSE_HEADER",
    "RESPONSE_BODY",
];

/// Whether `key` is an `x-amazon-apigateway-*` name.
pub(super) fn is_extension(key: &str) -> bool {
    key.len() >= EXTENSION_PREFIX.len()
        && key
            .get(..EXTENSION_PREFIX.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(EXTENSION_PREFIX))
}

/// A `[1-5]\d\d` status code.
fn is_status_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 3
        && matches!(bytes.first(), Some(b'1'..=b'5'))
        && bytes.iter().all(u8::is_ascii_digit)
}

impl Cx<'_, '_> {
    /// Reports every `x-amazon-apigateway-*` key under `node` that API Gateway does not define,
    /// and tells whether the document holds a CloudFormation intrinsic (one walk for both). (A
    /// defined extension in a place where API Gateway does not read it is reported by the code
    /// that reads that place.)
    pub fn scan_extensions(&mut self, loc: &Loc<'_>) -> bool {
        let mut path = Vec::new();
        self.scan_node(loc, loc.node, &mut path, 0)
    }

    fn scan_node<'n>(
        &mut self,
        loc: &Loc<'_>,
        node: &'n Node,
        path: &mut Vec<PathStep<'n>>,
        depth: usize,
    ) -> bool {
        // The loader bounds nesting; this bound only keeps the walk's stack small regardless.
        if depth > 512 {
            return false;
        }
        let mut intrinsic = expr::intrinsic_name(node).is_some();
        match &node.value {
            Value::Map(map) => {
                for entry in &map.entries {
                    path.push(PathStep::Key(&entry.key));
                    if is_extension(&entry.key) && !KNOWN_EXTENSIONS.contains(&entry.key.as_str()) {
                        let mut pointer = loc.ptr.clone();
                        for step in path.iter() {
                            pointer = match step {
                                PathStep::Key(key) => pointer.join(key),
                                PathStep::Index(position) => pointer.index(*position),
                            };
                        }
                        let near = suggest(&entry.key, KNOWN_EXTENSIONS.iter().copied());
                        let pending = self.report_at(
                            UnknownExtension::META,
                            loc.doc.file,
                            pointer,
                            format!(
                                "`{}` is not an API Gateway extension; API Gateway ignores it",
                                entry.key
                            ),
                        );
                        if let Some(near) = near {
                            pending.help(format!("did you mean `{near}`?"));
                        }
                    }
                    intrinsic |= self.scan_node(loc, &entry.value, path, depth + 1);
                    path.pop();
                }
            }
            Value::Seq(items) => {
                for (position, item) in items.iter().enumerate() {
                    path.push(PathStep::Index(position));
                    intrinsic |= self.scan_node(loc, item, path, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
        intrinsic
    }

    /// Reports extensions API Gateway defines but does not read on this object (`where_`),
    /// e.g. `x-amazon-apigateway-cors` on an operation.
    pub fn check_misplaced(&mut self, loc: &Loc<'_>, where_: &str, read_here: &[&str]) {
        let Some(map) = loc.node.as_map() else {
            return;
        };
        for entry in &map.entries {
            let key = entry.key.as_str();
            if !is_extension(key) {
                continue;
            }
            if KNOWN_EXTENSIONS.contains(&key) && !read_here.contains(&key) {
                let Some(value) = loc.get(key) else {
                    continue;
                };
                let belongs = extension_home(key);
                self.report(
                    UnknownExtension::META,
                    &value,
                    format!("`{key}` is not read on {where_}; API Gateway ignores it here"),
                )
                .help(format!("`{key}` belongs {belongs}"));
            }
        }
    }

    /// Checks `value` against an enumeration (case-insensitively when `any_case`), reporting
    /// an unknown value with the nearest allowed one.
    pub fn enumeration(
        &mut self,
        loc: &Loc<'_>,
        value: &str,
        allowed: &[&str],
        any_case: bool,
    ) -> bool {
        let found = allowed.iter().any(|candidate| {
            if any_case {
                candidate.eq_ignore_ascii_case(value)
            } else {
                *candidate == value
            }
        });
        if !found {
            let field = super::reader::field_name(&loc.ptr);
            let near = suggest(value, allowed.iter().copied());
            let pending = self.report(
                InvalidEnumValue::META,
                loc,
                format!("`{value}` is not a valid `{field}`"),
            );
            match near {
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help(format!("allowed values: {}", allowed.join(", "))),
            };
        }
        found
    }

    /// A string field checked against an enumeration.
    fn enum_field(
        &mut self,
        loc: &Loc<'_>,
        key: &str,
        allowed: &[&str],
        any_case: bool,
    ) -> Option<Spanned<String>> {
        let field = loc.get(key)?;
        let value = self.spanned_string(&field)?;
        self.enumeration(&field, &value.value, allowed, any_case);
        Some(value)
    }

    /// `x-amazon-apigateway-integration` (or a shared integration). `shared` holds the HTTP
    /// API's `components.x-amazon-apigateway-integrations`, already lowered, for `$ref`s.
    pub fn integration(
        &mut self,
        loc: &Loc<'_>,
        shared: &IndexMap<String, Integration>,
    ) -> Option<Integration> {
        if let Some(branch) = condition_branch(loc) {
            return self.integration(&branch, shared);
        }
        if let Some(ref_node) = loc.get("$ref") {
            return self.shared_integration_ref(loc, &ref_node, shared);
        }
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(loc, "`x-amazon-apigateway-integration`", INTEGRATION_FIELDS);

        let kind = match loc.get("type").filter(|field| !field.node.is_null()) {
            Some(field) => match self.string(&field) {
                Some(text) => {
                    if self.enumeration(&field, &text, INTEGRATION_TYPES, true) {
                        IntegrationType::parse(&text)
                    } else {
                        None
                    }
                }
                None => None,
            },
            None => {
                self.missing(loc, "type", "the integration")
                    .help("set `type` to one of aws, aws_proxy, http, http_proxy, mock");
                None
            }
        };
        let mut integration = Integration::new(loc.origin(), kind);
        integration.http_method = loc.get("httpMethod").and_then(|f| self.spanned_string(&f));
        integration.uri = loc.get("uri").and_then(|f| self.expr(&f));
        integration.connection_type =
            self.enum_field(loc, "connectionType", &["INTERNET", "VPC_LINK"], true);
        integration.connection_id = loc.get("connectionId").and_then(|f| self.expr(&f));
        integration.integration_target = loc.get("integrationTarget").and_then(|f| self.expr(&f));
        if let Some(kebab) = loc.get("integration-target") {
            self.report(
                UnknownField::META,
                &kebab,
                "`integration-target` is spelt `integrationTarget` in the API; API Gateway's own example uses the kebab form, which apigw reads too",
            )
            .help("rename the field to `integrationTarget`");
            if integration.integration_target.is_none() {
                integration.integration_target = self.expr(&kebab);
            }
        }
        integration.credentials = loc.get("credentials").and_then(|f| self.expr(&f));
        if let Some(field) = loc.get("requestParameters") {
            integration.request_parameters = self.importer_strings(&field, Mapping::Parameter);
        }
        if let Some(field) = loc.get("requestTemplates") {
            integration.request_templates = self.importer_strings(&field, Mapping::Template);
        }
        integration.passthrough_behavior = self.enum_field(
            loc,
            "passthroughBehavior",
            &["when_no_match", "when_no_templates", "never"],
            true,
        );
        integration.content_handling = self.enum_field(
            loc,
            "contentHandling",
            &["CONVERT_TO_TEXT", "CONVERT_TO_BINARY"],
            false,
        );
        integration.cache_namespace = loc.get("cacheNamespace").and_then(|f| self.string(&f));
        if let Some(field) = loc.get("cacheKeyParameters") {
            integration.cache_key_parameters = self.string_list(&field);
        }
        integration.timeout_ms = loc
            .get("timeoutInMillis")
            .and_then(|f| self.spanned_integer(&f));
        if let Some(field) = loc.get("responses") {
            integration.responses = self.integration_responses(&field);
        }
        if let Some(field) = loc.get("responseParameters") {
            integration.response_parameters = self.http_response_parameters(&field);
        }
        if let Some(field) = loc.get("tlsConfig") {
            integration.tls_config = self.tls_config(&field);
        }
        integration.payload_format_version = loc
            .get("payloadFormatVersion")
            .and_then(|f| self.spanned_text(&f));
        integration.integration_subtype = loc
            .get("integrationSubtype")
            .and_then(|f| self.spanned_string(&f));
        integration.response_transfer_mode =
            self.enum_field(loc, "responseTransferMode", &["BUFFERED", "STREAM"], true);

        let invokes_lambda = matches!(
            integration.kind,
            Some(IntegrationType::Aws | IntegrationType::AwsProxy)
        );
        if invokes_lambda {
            if let Some(uri) = &integration.uri {
                integration.function = functions::register(self, &uri.value, &uri.origin);
            }
        }
        Some(integration)
    }

    fn shared_integration_ref(
        &mut self,
        loc: &Loc<'_>,
        ref_node: &Loc<'_>,
        shared: &IndexMap<String, Integration>,
    ) -> Option<Integration> {
        let text = self.string(ref_node)?;
        if let RefTarget::Internal(fragment) = parse_ref(&text, Section::Integrations, self.dialect)
        {
            if let Some(name) =
                fragment.strip_prefix("/components/x-amazon-apigateway-integrations/")
            {
                let name = Pointer::from_escaped(format!("/{name}"))
                    .segments()
                    .next()
                    .unwrap_or_default();
                if let Some(found) = shared.get(&name) {
                    let mut integration = found.clone();
                    integration.shared_name = Some(name);
                    return Some(integration);
                }
                if !self.index.contains(Section::Integrations, &name) {
                    let near = suggest(&name, shared.keys().map(String::as_str)).map(str::to_owned);
                    let pending = self.report(
                        UnresolvedRef::META,
                        ref_node,
                        format!("`{text}` names no integration in `components.x-amazon-apigateway-integrations`"),
                    );
                    if let Some(near) = near {
                        pending.help(format!("did you mean `{near}`?"));
                    }
                }
                // A shared integration that failed to lower was reported where it is written.
                return None;
            }
        }
        let shared = shared.clone();
        self.follow(loc.clone(), Section::Integrations, |cx, target| {
            cx.integration(&target, &shared)
        })
        .flatten()
    }

    /// The mapping parameters and templates of REST integrations: maps of strings. API
    /// Gateway's importer skips a value that is not a string with a warning (LS
    /// `test_import_rest_api_with_base_path_oas30`: "Expected type string … but got 'true'").
    fn importer_strings(
        &mut self,
        loc: &Loc<'_>,
        mapping: Mapping,
    ) -> IndexMap<String, Spanned<String>> {
        let mut out = IndexMap::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (key, value) in loc.entries() {
            match &value.node.value {
                Value::String(text) => {
                    out.insert(key.to_owned(), value.spanned(text.clone()));
                }
                _ if value.is_deploy_time() => {}
                _ => {
                    let found = value
                        .node
                        .scalar_text()
                        .unwrap_or_else(|| value.node.kind_name().to_owned());
                    let help = match mapping {
                        Mapping::Parameter => {
                            format!("quote the value: a static value is written `\"'{found}'\"`")
                        }
                        Mapping::Template => {
                            "write the template as a string (a YAML block scalar `|` keeps it readable)"
                                .to_owned()
                        }
                    };
                    let what = match mapping {
                        Mapping::Parameter => "mapping",
                        Mapping::Template => "template",
                    };
                    self.report(
                        crate::rules::structure::IgnoredByImporter::META,
                        &value,
                        format!("`{key}` maps to `{found}`, which is not a string; API Gateway's importer skips this {what} with a warning"),
                    )
                    .help(help);
                }
            }
        }
        out
    }

    fn integration_responses(&mut self, loc: &Loc<'_>) -> Vec<IntegrationResponse> {
        let mut out = Vec::with_capacity(loc.member_count());
        if !self.expect_map(loc) {
            return out;
        }
        for (pattern, response) in loc.entries() {
            if !self.expect_map(&response) {
                continue;
            }
            self.check_fields(
                &response,
                "an integration response",
                &[
                    "statusCode",
                    "responseParameters",
                    "responseTemplates",
                    "contentHandling",
                ],
            );
            let status_code = response.get("statusCode").and_then(|field| {
                let value = self.spanned_text(&field)?;
                if !is_status_code(&value.value) {
                    self.report(
                        InvalidValue::META,
                        &field,
                        format!(
                            "status code `{}` is not a three-digit code from 100 to 599",
                            value.value
                        ),
                    );
                }
                Some(value)
            });
            let response_parameters = response
                .get("responseParameters")
                .map(|field| self.importer_strings(&field, Mapping::Parameter))
                .unwrap_or_default();
            let response_templates = response
                .get("responseTemplates")
                .map(|field| self.importer_strings(&field, Mapping::Template))
                .unwrap_or_default();
            let content_handling = self.enum_field(
                &response,
                "contentHandling",
                &["CONVERT_TO_TEXT", "CONVERT_TO_BINARY"],
                false,
            );
            out.push(IntegrationResponse {
                origin: response.origin(),
                selection_pattern: pattern.to_owned(),
                status_code,
                response_parameters,
                response_templates,
                content_handling,
            });
        }
        out
    }

    /// HTTP APIs: `responseParameters` as status code → mappings.
    fn http_response_parameters(
        &mut self,
        loc: &Loc<'_>,
    ) -> IndexMap<String, IndexMap<String, String>> {
        let mut out = IndexMap::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (status, mappings) in loc.entries() {
            let mappings = self
                .string_map(&mappings)
                .into_iter()
                .map(|(key, value)| (key, value.value))
                .collect();
            out.insert(status.to_owned(), mappings);
        }
        out
    }

    fn tls_config(&mut self, loc: &Loc<'_>) -> Option<TlsConfig> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(
            loc,
            "`tlsConfig`",
            &["insecureSkipVerification", "serverNameToVerify"],
        );
        Some(TlsConfig {
            insecure_skip_verification: loc
                .get("insecureSkipVerification")
                .and_then(|f| self.boolean(&f)),
            server_name_to_verify: loc.get("serverNameToVerify").and_then(|f| self.string(&f)),
        })
    }

    /// `x-amazon-apigateway-gateway-responses`.
    pub fn gateway_responses(&mut self, loc: &Loc<'_>) -> Vec<GatewayResponse> {
        let mut out = Vec::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (response_type, response) in loc.entries() {
            if !GATEWAY_RESPONSE_TYPES.contains(&response_type) {
                let near = suggest(response_type, GATEWAY_RESPONSE_TYPES.iter().copied());
                let pending = self.report(
                    InvalidEnumValue::META,
                    &response,
                    format!("`{response_type}` is not a gateway response type"),
                );
                match near {
                    Some(near) => pending.help(format!("did you mean `{near}`?")),
                    None => pending.help(format!(
                        "the types are: {}",
                        GATEWAY_RESPONSE_TYPES.join(", ")
                    )),
                };
            }
            if !self.expect_map(&response) {
                continue;
            }
            self.check_fields(
                &response,
                "a gateway response",
                &["statusCode", "responseParameters", "responseTemplates"],
            );
            let status_code = response.get("statusCode").and_then(|field| {
                let value = self.spanned_text(&field)?;
                if !is_status_code(&value.value) {
                    self.report(
                        InvalidValue::META,
                        &field,
                        format!(
                            "status code `{}` is not a three-digit code from 100 to 599",
                            value.value
                        ),
                    );
                }
                Some(value)
            });
            out.push(GatewayResponse {
                origin: response.origin(),
                response_type: response_type.to_owned(),
                status_code,
                response_parameters: response
                    .get("responseParameters")
                    .map(|field| self.string_map(&field))
                    .unwrap_or_default(),
                response_templates: response
                    .get("responseTemplates")
                    .map(|field| self.string_map(&field))
                    .unwrap_or_default(),
            });
        }
        out
    }

    /// `x-amazon-apigateway-request-validators`.
    pub fn request_validators(&mut self, loc: &Loc<'_>) -> Vec<RequestValidator> {
        let mut out = Vec::new();
        if !self.expect_map(loc) {
            return out;
        }
        for (name, validator) in loc.entries() {
            if name.trim().is_empty() {
                self.report(
                    InvalidValue::META,
                    &validator,
                    "a request validator needs a name (\"Request Validator name cannot be blank\")",
                );
            }
            if !self.expect_map(&validator) {
                continue;
            }
            self.check_fields(
                &validator,
                "a request validator",
                &["validateRequestBody", "validateRequestParameters"],
            );
            out.push(RequestValidator {
                origin: validator.origin(),
                name: name.to_owned(),
                validate_request_body: validator
                    .get("validateRequestBody")
                    .and_then(|f| self.boolean(&f))
                    .unwrap_or(false),
                validate_request_parameters: validator
                    .get("validateRequestParameters")
                    .and_then(|f| self.boolean(&f))
                    .unwrap_or(false),
            });
        }
        out
    }

    /// `x-amazon-apigateway-cors` (HTTP APIs).
    pub fn cors(&mut self, loc: &Loc<'_>) -> Option<Cors> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(
            loc,
            "`x-amazon-apigateway-cors`",
            &[
                "allowOrigins",
                "allowCredentials",
                "exposeHeaders",
                "maxAge",
                "allowMethods",
                "allowHeaders",
            ],
        );
        let list = |cx: &mut Self, key: &str| -> Vec<String> {
            loc.get(key)
                .map(|field| {
                    cx.string_list(&field)
                        .into_iter()
                        .map(|item| item.value)
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Cors {
            origin: loc.origin(),
            allow_origins: list(self, "allowOrigins"),
            allow_credentials: loc.get("allowCredentials").and_then(|f| self.boolean(&f)),
            expose_headers: list(self, "exposeHeaders"),
            max_age: loc.get("maxAge").and_then(|f| self.integer(&f)),
            allow_methods: list(self, "allowMethods"),
            allow_headers: list(self, "allowHeaders"),
        })
    }

    /// `x-amazon-apigateway-documentation`.
    pub fn documentation(&mut self, loc: &Loc<'_>) -> Option<Documentation> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(
            loc,
            "`x-amazon-apigateway-documentation`",
            // API Gateway's own exports add `createdDate`, and import them back.
            &["version", "createdDate", "documentationParts"],
        );
        let mut parts = Vec::new();
        if let Some(list) = loc.get("documentationParts") {
            if self.expect_seq(&list) {
                for part in list.items() {
                    if let Some(part) = self.documentation_part(&part) {
                        parts.push(part);
                    }
                }
            }
        }
        Some(Documentation {
            origin: loc.origin(),
            version: loc.get("version").and_then(|f| self.text(&f)),
            parts,
        })
    }

    fn documentation_part(&mut self, loc: &Loc<'_>) -> Option<DocumentationPart> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(loc, "a documentation part", &["location", "properties"]);
        let Some(location) = loc.get("location") else {
            self.missing(loc, "location", "the documentation part");
            return None;
        };
        if !self.expect_map(&location) {
            return None;
        }
        self.check_fields(
            &location,
            "a documentation part location",
            &["type", "path", "method", "statusCode", "name"],
        );
        let location_type = match location.get("type") {
            Some(field) => {
                let text = self.string(&field)?;
                self.enumeration(&field, &text, DOCUMENTATION_LOCATION_TYPES, false);
                text
            }
            None => {
                self.missing(&location, "type", "the documentation part location");
                return None;
            }
        };
        Some(DocumentationPart {
            origin: loc.origin(),
            location_type,
            path: location.get("path").and_then(|f| self.string(&f)),
            method: location.get("method").and_then(|f| self.string(&f)),
            status_code: location.get("statusCode").and_then(|f| self.text(&f)),
            name: location.get("name").and_then(|f| self.string(&f)),
            properties: loc
                .get("properties")
                .map(|field| field.node.to_json())
                .unwrap_or(serde_json::Value::Null),
        })
    }

    /// `x-amazon-apigateway-endpoint-configuration`.
    pub fn endpoint_configuration(&mut self, loc: &Loc<'_>) -> Option<EndpointConfiguration> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(
            loc,
            "`x-amazon-apigateway-endpoint-configuration`",
            &[
                "disableExecuteApiEndpoint",
                "vpcEndpointIds",
                "ipAddressType",
            ],
        );
        Some(EndpointConfiguration {
            origin: loc.origin(),
            types: Vec::new(),
            disable_execute_api_endpoint: loc
                .get("disableExecuteApiEndpoint")
                .and_then(|f| self.boolean(&f)),
            vpc_endpoint_ids: loc
                .get("vpcEndpointIds")
                .map(|field| {
                    self.expr_list(&field)
                        .into_iter()
                        .map(|item| item.value)
                        .collect()
                })
                .unwrap_or_default(),
            ip_address_type: self
                .enum_field(loc, "ipAddressType", &["ipv4", "dualstack"], true)
                .map(|value| value.value),
        })
    }

    /// `x-amazon-apigateway-api-key-source`.
    pub fn api_key_source(&mut self, loc: &Loc<'_>) -> Option<ApiKeySource> {
        let text = self.string(loc)?;
        if !self.enumeration(loc, &text, &["HEADER", "AUTHORIZER"], true) {
            return None;
        }
        if text.eq_ignore_ascii_case("AUTHORIZER") {
            Some(ApiKeySource::Authorizer)
        } else {
            Some(ApiKeySource::Header)
        }
    }

    /// `x-amazon-apigateway-security-policy`.
    pub fn security_policy(&mut self, loc: &Loc<'_>) -> Option<Spanned<String>> {
        let value = self.spanned_string(loc)?;
        self.enumeration(loc, &value.value, SECURITY_POLICIES, false);
        Some(value)
    }

    /// `x-amazon-apigateway-endpoint-access-mode`.
    pub fn endpoint_access_mode(&mut self, loc: &Loc<'_>) -> Option<Spanned<String>> {
        let value = self.spanned_string(loc)?;
        self.enumeration(loc, &value.value, &["BASIC", "STRICT"], false);
        Some(value)
    }

    /// `x-amazon-apigateway-policy`: an IAM policy document, as an object or as JSON text.
    pub fn policy(&mut self, loc: &Loc<'_>) -> Option<Spanned<serde_json::Value>> {
        match &loc.node.value {
            Value::Map(_) => Some(loc.spanned(loc.node.to_json())),
            Value::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(value @ serde_json::Value::Object(_)) => Some(loc.spanned(value)),
                _ => {
                    self.report(
                        crate::rules::structure::WrongType::META,
                        loc,
                        "`x-amazon-apigateway-policy` must be an IAM policy document (an object)",
                    );
                    None
                }
            },
            _ => {
                self.expect_map(loc);
                None
            }
        }
    }

    /// `x-amazon-apigateway-auth` on an operation: `{type: NONE | AWS_IAM}`.
    pub fn auth(&mut self, loc: &Loc<'_>) -> Option<Spanned<String>> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(loc, "`x-amazon-apigateway-auth`", &["type"]);
        match loc.get("type") {
            Some(_) => self.enum_field(loc, "type", &["NONE", "AWS_IAM"], true),
            None => {
                self.missing(loc, "type", "`x-amazon-apigateway-auth`")
                    .help("set `type: AWS_IAM` or `type: NONE`");
                None
            }
        }
    }
}

/// Which kind of string map a value belongs to, for the help text.
#[derive(Clone, Copy)]
enum Mapping {
    Parameter,
    Template,
}

enum PathStep<'n> {
    Key(&'n str),
    Index(usize),
}

/// `{Fn::If: [condition, a, b]}` around an object: the first branch that is an object, so
/// that what can be known is lowered. Which branch deploys is decided by CloudFormation.
pub(super) fn condition_branch<'n>(loc: &Loc<'n>) -> Option<Loc<'n>> {
    let branches = loc.get("Fn::If")?;
    if loc.node.as_map()?.len() != 1 {
        return None;
    }
    let branch = branches
        .items()
        .skip(1)
        .find(|branch| branch.is_map() && expr::intrinsic_name(branch.node).is_none());
    branch
}

/// Where a defined extension belongs, for the help of a misplaced one.
fn extension_home(key: &str) -> &'static str {
    match key {
        "x-amazon-apigateway-any-method" => "in a path item, next to `get` and `post`",
        "x-amazon-apigateway-auth"
        | "x-amazon-apigateway-integration"
        | "x-amazon-apigateway-request-validator" => "on an operation",
        "x-amazon-apigateway-authorizer" | "x-amazon-apigateway-authtype" => "on a security scheme",
        "x-amazon-apigateway-integrations" => "under `components`",
        "x-amazon-apigateway-tag-value" => "in an entry of the root `tags`",
        "x-amazon-apigateway-endpoint-configuration" => {
            "at the root of a Swagger 2.0 document, or in a `servers` entry of an OpenAPI 3 one"
        }
        _ => "at the document root",
    }
}
