//! Security schemes and requirements: a scheme with `x-amazon-apigateway-authorizer` (or
//! `x-amazon-apigateway-authtype: awsSigv4`) becomes an [`Authorizer`], the `x-api-key` header
//! scheme an API key requirement, anything else is kept for export. Requirements are checked
//! against the scheme names.
//!
//! The OpenAPI 3 shape of a scheme is checked with `openapiv3`'s typed view; Swagger 2.0
//! schemes are read by hand.

use indexmap::IndexMap;

use crate::ir::{
    Api, Authorizer, AuthorizerKind, JwtConfiguration, SecurityRequirement, SecurityScheme,
    SecuritySchemeKind,
};
use crate::rules::structure::{InvalidEnumValue, UnresolvedRef};

use super::functions;
use super::reader::{contains_intrinsic, suggest, Cx, Dialect, Loc};
use super::refs::Section;

const AUTHORIZER_FIELDS: &[&str] = &[
    "type",
    "authorizerUri",
    "authorizerCredentials",
    "authorizerPayloadFormatVersion",
    "enableSimpleResponses",
    "identitySource",
    "jwtConfiguration",
    "identityValidationExpression",
    "authorizerResultTtlInSeconds",
    "providerARNs",
];

const AUTHORIZER_TYPES: &[&str] = &["token", "request", "cognito_user_pools", "jwt"];

impl Cx<'_, '_> {
    /// Every security scheme of the document, into `api.authorizers` and
    /// `api.security_schemes`.
    pub fn security_schemes(&mut self, api: &mut Api) {
        let Some(container) = self.index.container(Section::SecuritySchemes).cloned() else {
            return;
        };
        if !self.expect_map(&container) {
            return;
        }
        for (name, scheme) in container.entries() {
            self.scheme_names.push(name.to_owned());
            let lowered = self.follow(scheme, Section::SecuritySchemes, |cx, target| {
                cx.security_scheme(name, &target)
            });
            match lowered.flatten() {
                Some(Lowered::Authorizer(authorizer)) => api.authorizers.push(*authorizer),
                Some(Lowered::Scheme(scheme)) => api.security_schemes.push(scheme),
                None => {}
            }
        }
    }

    fn security_scheme(&mut self, name: &str, loc: &Loc<'_>) -> Option<Lowered> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_misplaced(
            loc,
            "a security scheme",
            &[
                "x-amazon-apigateway-authorizer",
                "x-amazon-apigateway-authtype",
            ],
        );
        let scheme_type = loc.get("type").and_then(|f| f.as_str().map(str::to_owned));
        // API Gateway's own HTTP API exports write JWT schemes as `type: oauth2` without the
        // `flows` OpenAPI requires, and import them back; only the other types are checked.
        let checkable = scheme_type.as_deref() != Some("oauth2");
        if self.dialect == Dialect::OpenApi30 && checkable && !contains_intrinsic(loc.node) {
            self.typed::<openapiv3::SecurityScheme>(loc);
        }
        let description = loc.get("description").and_then(|f| f.node.scalar_text());
        let auth_type = loc
            .get("x-amazon-apigateway-authtype")
            .and_then(|f| self.spanned_string(&f));
        let is_sigv4 = auth_type
            .as_ref()
            .is_some_and(|value| value.value.eq_ignore_ascii_case("awsSigv4"));
        let header_name = loc.get("name").and_then(|f| f.node.scalar_text());
        let location = loc.get("in").and_then(|f| f.node.scalar_text());

        let Some(extension) = loc.get("x-amazon-apigateway-authorizer") else {
            if is_sigv4 {
                let mut authorizer = empty_authorizer(loc, name);
                authorizer.kind = Some(AuthorizerKind::Iam);
                authorizer.auth_type = auth_type;
                authorizer.scheme_type = scheme_type;
                authorizer.header_name = header_name;
                authorizer.description = description;
                return Some(Lowered::Authorizer(Box::new(authorizer)));
            }
            let is_api_key = scheme_type.as_deref() == Some("apiKey")
                && header_name
                    .as_deref()
                    .is_some_and(|header| header.eq_ignore_ascii_case("x-api-key"))
                && location.as_deref() == Some("header");
            let kind = match (is_api_key, header_name) {
                (true, Some(header)) => SecuritySchemeKind::ApiKey {
                    header,
                    location: "header".to_owned(),
                },
                _ => SecuritySchemeKind::Other {
                    value: loc.node.to_json(),
                },
            };
            return Some(Lowered::Scheme(SecurityScheme {
                origin: loc.origin(),
                name: name.to_owned(),
                kind,
                description,
            }));
        };

        let mut authorizer = empty_authorizer(loc, name);
        authorizer.auth_type = auth_type;
        authorizer.scheme_type = scheme_type.clone();
        authorizer.header_name = header_name.clone();
        authorizer.description = description;
        authorizer.open_id_connect_url = loc
            .get("openIdConnectUrl")
            .and_then(|f| f.node.scalar_text());
        if scheme_type.as_deref() == Some("oauth2") {
            authorizer.flows = loc.get("flows").map(|f| f.node.to_json());
        }
        if !self.expect_map(&extension) {
            return Some(Lowered::Authorizer(Box::new(authorizer)));
        }
        self.check_fields(
            &extension,
            "`x-amazon-apigateway-authorizer`",
            AUTHORIZER_FIELDS,
        );

        match extension.get("type") {
            Some(field) => {
                if let Some(text) = self.spanned_string(&field) {
                    authorizer.kind = authorizer_kind(&text.value);
                    if authorizer.kind.is_none() {
                        let near = suggest(&text.value, AUTHORIZER_TYPES.iter().copied());
                        let pending = self.report(
                            InvalidEnumValue::META,
                            &field,
                            format!("`{}` is not an authorizer type", text.value),
                        );
                        match near {
                            Some(near) => pending.help(format!("did you mean `{near}`?")),
                            None => pending.help("use token, request or cognito_user_pools (REST APIs), request or jwt (HTTP APIs)"),
                        };
                    }
                    authorizer.kind_text = Some(text);
                }
            }
            None => {
                self.missing(&extension, "type", "the authorizer")
                    .help("set `type` to token, request, cognito_user_pools or jwt");
            }
        }

        if let Some(field) = extension.get("identitySource") {
            if let Some(text) = self.string(&field) {
                authorizer.identity_source = text
                    .split(',')
                    .map(str::trim)
                    .filter(|source| !source.is_empty())
                    .map(|source| field.spanned(source.to_owned()))
                    .collect();
            }
        } else if matches!(
            authorizer.kind,
            Some(AuthorizerKind::Token | AuthorizerKind::CognitoUserPools)
        ) && location.as_deref() == Some("header")
        {
            // API Gateway takes the token from the scheme's header when the authorizer names
            // no identity source (LS `test_import_with_cognito_auth_identity_source`:
            // `name: TestHeaderAuth` → `method.request.header.TestHeaderAuth`).
            if let (Some(header), Some(name_loc)) = (header_name, loc.get("name")) {
                authorizer.identity_source =
                    vec![name_loc.spanned(format!("method.request.header.{header}"))];
            }
        }
        authorizer.identity_validation_expression = extension
            .get("identityValidationExpression")
            .and_then(|f| self.spanned_string(&f));
        authorizer.result_ttl_seconds = extension
            .get("authorizerResultTtlInSeconds")
            .and_then(|f| self.spanned_integer(&f));
        authorizer.uri = extension.get("authorizerUri").and_then(|f| self.expr(&f));
        authorizer.credentials = extension
            .get("authorizerCredentials")
            .and_then(|f| self.expr(&f));
        if let Some(field) = extension.get("providerARNs") {
            authorizer.provider_arns = self.expr_list(&field);
        }
        if let Some(field) = extension.get("jwtConfiguration") {
            authorizer.jwt = self.jwt_configuration(&field);
        }
        authorizer.payload_format_version = extension
            .get("authorizerPayloadFormatVersion")
            .and_then(|f| self.spanned_text(&f));
        authorizer.enable_simple_responses = extension
            .get("enableSimpleResponses")
            .and_then(|f| self.boolean(&f));
        let invokes_lambda = matches!(
            authorizer.kind,
            Some(AuthorizerKind::Token | AuthorizerKind::Request)
        );
        if invokes_lambda {
            if let Some(uri) = authorizer.uri.clone() {
                authorizer.function = functions::register(self, &uri.value, &uri.origin);
            }
        }
        Some(Lowered::Authorizer(Box::new(authorizer)))
    }

    fn jwt_configuration(&mut self, loc: &Loc<'_>) -> Option<JwtConfiguration> {
        if !self.expect_map(loc) {
            return None;
        }
        self.check_fields(loc, "`jwtConfiguration`", &["issuer", "audience"]);
        let audience = match loc.get("audience") {
            // A single audience written as a string is read as a list of one.
            Some(field) if field.as_str().is_some() => self.expr(&field).into_iter().collect(),
            Some(field) => self.expr_list(&field),
            None => Vec::new(),
        };
        Some(JwtConfiguration {
            origin: loc.origin(),
            issuer: loc.get("issuer").and_then(|f| self.expr(&f)),
            audience,
        })
    }

    /// A `security` list: `None` when absent, `Some(vec![])` for `security: []`.
    pub fn security_requirements(&mut self, loc: &Loc<'_>) -> Option<Vec<SecurityRequirement>> {
        if !self.expect_seq(loc) {
            return None;
        }
        let mut out = Vec::new();
        for requirement in loc.items() {
            if !self.expect_map(&requirement) {
                continue;
            }
            let mut schemes = IndexMap::new();
            for (name, scopes) in requirement.entries() {
                // SAM defines `api_key` (`Auth.ApiKeyRequired`) and `AWS_IAM` itself when it
                // deploys a spec, so a spec may name them without declaring them.
                let known = self.scheme_names.iter().any(|known| known == name)
                    || name == "api_key"
                    || name == "AWS_IAM";
                if !known && !self.augmented {
                    let near = suggest(name, self.scheme_names.iter().map(String::as_str))
                        .map(str::to_owned);
                    let what = match self.dialect {
                        Dialect::OpenApi30 => "`components.securitySchemes`",
                        Dialect::Swagger20 => "`securityDefinitions`",
                    };
                    let pending = self.report(
                        UnresolvedRef::META,
                        &scopes,
                        format!("security requirement names `{name}`, which is not in {what}"),
                    );
                    if let Some(near) = near {
                        pending.help(format!("did you mean `{near}`?"));
                    }
                }
                let scopes = if scopes.node.is_null() {
                    Vec::new()
                } else {
                    self.string_list(&scopes)
                        .into_iter()
                        .map(|scope| scope.value)
                        .collect()
                };
                schemes.insert(name.to_owned(), scopes);
            }
            out.push(SecurityRequirement {
                origin: requirement.origin(),
                schemes,
            });
        }
        Some(out)
    }
}

enum Lowered {
    Authorizer(Box<Authorizer>),
    Scheme(SecurityScheme),
}

fn authorizer_kind(text: &str) -> Option<AuthorizerKind> {
    Some(match text.to_ascii_lowercase().as_str() {
        "token" => AuthorizerKind::Token,
        "request" => AuthorizerKind::Request,
        "cognito_user_pools" => AuthorizerKind::CognitoUserPools,
        "jwt" => AuthorizerKind::Jwt,
        _ => return None,
    })
}

fn empty_authorizer(loc: &Loc<'_>, name: &str) -> Authorizer {
    Authorizer {
        origin: loc.origin(),
        name: name.to_owned(),
        kind: None,
        kind_text: None,
        auth_type: None,
        scheme_type: None,
        header_name: None,
        identity_source: Vec::new(),
        identity_validation_expression: None,
        result_ttl_seconds: None,
        uri: None,
        function: None,
        credentials: None,
        provider_arns: Vec::new(),
        jwt: None,
        payload_format_version: None,
        enable_simple_responses: None,
        open_id_connect_url: None,
        flows: None,
        description: None,
    }
}
