//! CloudFormation and SAM templates → IR. Every API resource becomes one [`Api`]: from the spec
//! it embeds or includes (handed to the OpenAPI front end), else from the resources that define
//! it (`Resource`/`Method`, `Route`/`Integration`, SAM function events). The stages, usage
//! plans, keys, domains and authorizers the template declares for it are added on top.
//!
//! This front end reads the template; it does not validate CloudFormation itself (unknown
//! properties and resource types are cfn-lint's concern) and never evaluates conditions.

mod apis;
mod deploy;
mod embedded;
mod functions;
mod read;
mod rest;
mod sam;
mod stack;
mod v2;

use std::sync::Arc;

use indexmap::IndexMap;

use super::{LoadedFile, Session};
use crate::ir::{
    Api, ApiKind, Authorizer, AuthorizerKind, Origin, Route, SecurityRequirement, SecurityScheme,
    SecuritySchemeKind, SourceFormat, Spanned,
};
use crate::rules::structure;

use read::Cx;
use stack::{Misshapen, Prop, Resource, Stack, MAX_RESOURCES};

/// Which resource type an API came from; decides which properties and companions apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// `AWS::ApiGateway::RestApi`.
    Rest,
    /// `AWS::ApiGatewayV2::Api`.
    V2,
    /// `AWS::Serverless::Api`, or SAM's implicit `ServerlessRestApi`.
    SamRest,
    /// `AWS::Serverless::HttpApi`, or SAM's implicit `ServerlessHttpApi`.
    SamHttp,
}

impl Flavor {
    /// The resource type whose SAM `Globals` section applies.
    fn sam_type(self) -> Option<&'static str> {
        match self {
            Flavor::SamRest => Some("AWS::Serverless::Api"),
            Flavor::SamHttp => Some("AWS::Serverless::HttpApi"),
            Flavor::Rest | Flavor::V2 => None,
        }
    }
}

/// An API being built, with what later passes need to find and extend it.
#[derive(Debug)]
struct Built<'t> {
    api: Api,
    /// The logical id other resources use to name the API.
    id: String,
    flavor: Flavor,
    /// The defining resource; `None` for SAM's implicit APIs.
    resource: Option<Resource<'t>>,
}

impl<'t> Built<'t> {
    /// A property of the API's resource, with SAM's `Globals` as fallback (implicit APIs read
    /// only `Globals`).
    fn property(&self, stack: &Stack<'t>, key: &str) -> Option<Prop<'t>> {
        match (&self.resource, self.flavor.sam_type()) {
            (Some(resource), Some(_)) => stack.property(resource, key),
            (Some(resource), None) => resource.property(key),
            (None, Some(kind)) => stack.global(kind, key),
            (None, None) => None,
        }
    }
}

/// The built APIs, and the ids of API resources whose spec could not be read (their companions
/// are skipped rather than attached to a guess).
#[derive(Debug, Default)]
struct Apis<'t> {
    built: Vec<Built<'t>>,
    unchecked: Vec<String>,
}

impl<'t> Apis<'t> {
    fn find(&self, id: &str) -> Option<usize> {
        self.built.iter().position(|built| built.id == id)
    }

    /// The API a property such as `RestApiId: !Ref Api` names.
    fn referenced(&self, prop: &Prop<'_>) -> Option<usize> {
        let (id, _) = stack::reference(prop.node)?;
        self.find(id)
    }
}

/// Lowers every API the template defines.
pub(crate) fn lower(session: &mut Session<'_>, file: &Arc<LoadedFile>) -> Vec<Api> {
    let Some(root) = file.root.as_ref() else {
        return Vec::new();
    };
    let (stack, misshapen) = Stack::read(&file.path, root);
    let mut cx = Cx {
        session,
        file: file.id,
    };
    for problem in misshapen {
        match problem {
            Misshapen::NotAnObject(section) => cx.wrong_type(&section, "an object"),
            Misshapen::TooManyResources { section, count } => {
                cx.report(
                    structure::InputLimitExceeded::META,
                    &section,
                    format!(
                        "the template has {count} resources; apigw reads the first {MAX_RESOURCES} \
                         (CloudFormation accepts 500 per template)"
                    ),
                )
                .help("split the template into nested stacks");
            }
        }
    }
    let mut apis = Apis::default();
    for resource in &stack.resources {
        let flavor = match resource.kind {
            "AWS::ApiGateway::RestApi" => Flavor::Rest,
            "AWS::ApiGatewayV2::Api" => Flavor::V2,
            "AWS::Serverless::Api" => Flavor::SamRest,
            "AWS::Serverless::HttpApi" => Flavor::SamHttp,
            _ => continue,
        };
        match apis::lower_api(&mut cx, &stack, file, resource, flavor) {
            Some(built) => apis.built.push(built),
            None => apis.unchecked.push(resource.logical_id.to_owned()),
        }
    }
    sam::lower_events(&mut cx, &stack, &mut apis);
    rest::lower_resources(&mut cx, &stack, &mut apis);
    v2::lower_resources(&mut cx, &stack, &mut apis);
    sam::lower_api_settings(&mut cx, &stack, &mut apis);
    deploy::lower(&mut cx, &stack, &mut apis);
    apis.built
        .into_iter()
        .map(|mut built| {
            functions::bind(&mut built.api, &stack);
            built.api
        })
        .collect()
}

/// An empty API for a resource that defines it without a spec.
fn new_api(kind: ApiKind, origin: Origin, logical_id: &str) -> Api {
    let mut api = Api::new(kind, origin, logical_id);
    api.format = Some(SourceFormat::Template);
    api.logical_id = Some(logical_id.to_owned());
    api
}

/// The name of the API-key security scheme routes require when `ApiKeyRequired` is set; the
/// name API Gateway's own export uses.
const API_KEY_SCHEME: &str = "api_key";

/// Adds the `x-api-key` header scheme to the API unless it has one, and returns its name.
fn api_key_scheme(api: &mut Api, origin: &Origin) -> String {
    if let Some(existing) = api.security_schemes.iter().find(|scheme| {
        matches!(&scheme.kind, SecuritySchemeKind::ApiKey { header, .. } if header.eq_ignore_ascii_case("x-api-key"))
    }) {
        return existing.name.clone();
    }
    api.security_schemes.push(SecurityScheme {
        origin: origin.clone(),
        name: API_KEY_SCHEME.to_owned(),
        kind: SecuritySchemeKind::ApiKey {
            header: "x-api-key".to_owned(),
            location: "header".to_owned(),
        },
        description: None,
    });
    API_KEY_SCHEME.to_owned()
}

/// The name of the IAM (SigV4) scheme, as API Gateway's export names it.
const IAM_SCHEME: &str = "sigv4";

/// Adds the IAM authorizer to the API unless it has one, and returns its name.
fn iam_authorizer(api: &mut Api, origin: &Origin) -> String {
    if let Some(existing) = api
        .authorizers
        .iter()
        .find(|authorizer| authorizer.kind == Some(AuthorizerKind::Iam))
    {
        return existing.name.clone();
    }
    let mut authorizer = empty_authorizer(origin.clone(), IAM_SCHEME, Some(AuthorizerKind::Iam));
    authorizer.auth_type = Some(Spanned::new("awsSigv4".to_owned(), origin.clone()));
    authorizer.header_name = Some("Authorization".to_owned());
    api.authorizers.push(authorizer);
    IAM_SCHEME.to_owned()
}

/// An authorizer with only its name and kind set.
fn empty_authorizer(origin: Origin, name: &str, kind: Option<AuthorizerKind>) -> Authorizer {
    Authorizer {
        origin,
        name: name.to_owned(),
        kind,
        kind_text: None,
        auth_type: None,
        scheme_type: Some("apiKey".to_owned()),
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

/// How a template resource says a route is authorized.
#[derive(Clone, Debug, Default)]
struct Access {
    /// An authorizer by IR name, with OAuth scopes.
    authorizer: Option<(String, Vec<String>)>,
    /// `AWS_IAM`.
    iam: bool,
    /// `NONE` written explicitly.
    none: bool,
    api_key: bool,
}

impl Access {
    /// Whether the resource said nothing, so the API's default applies.
    fn is_default(&self) -> bool {
        self.authorizer.is_none() && !self.iam && !self.none && !self.api_key
    }
}

/// Sets the route's security from `access`: an authorizer, IAM and an API key are schemes of
/// one requirement; an explicit `NONE` alone is "no authorization".
fn secure(api: &mut Api, route: &mut Route, access: &Access, origin: &Origin) {
    let mut schemes = IndexMap::new();
    if let Some((name, scopes)) = &access.authorizer {
        schemes.insert(name.clone(), scopes.clone());
    }
    if access.iam {
        schemes.insert(iam_authorizer(api, origin), Vec::new());
    }
    if access.api_key {
        schemes.insert(api_key_scheme(api, origin), Vec::new());
    }
    if !schemes.is_empty() {
        route.security = Some(vec![SecurityRequirement {
            origin: origin.clone(),
            schemes,
        }]);
    } else if access.none {
        route.security = Some(Vec::new());
    }
}
