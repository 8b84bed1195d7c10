//! The `terraform` target: checked IR → a Terraform module (`versions.tf`, `variables.tf`,
//! `main.tf` and a file per further concern, `outputs.tf`, `README.md`). REST and HTTP APIs in
//! two modes — `body` (the OpenAPI document the IR implies, through `jsonencode`) and
//! `resources` (one resource per route, integration, authorizer …) — and WebSocket APIs as
//! resources. Around the API: a deployment that follows the API's content, explicit stages with
//! access logs, throttling and tracing, Lambda permissions from the shared permission plan,
//! usage plans, keys, custom domains, and on request WAF and alarms — the same decisions as the
//! CloudFormation target, in Terraform's words.
//!
//! The module is an hcl-rs document model built once and formatted once ([`format`]), so
//! quoting and `$${` escaping are right by construction. This module reads the IR only; it
//! never re-validates (the rules did) and never prints.

mod expr;
mod extras;
mod files;
mod format;
mod http;
mod names;
mod rest;
mod stage;
mod websocket;

use std::borrow::Cow;

use apigw_compiler::ir::{Api, ApiKind, GatewayResponse};
use camino::Utf8PathBuf;
use hcl::structure::{Attribute, Block, Structure};
use hcl::Expression;
use indexmap::IndexMap;

use crate::cloudformation::{CloudFormationOptions, Mode};
use crate::{EmitError, OutputFile, SerializeError, Warned, Warning};
use expr::{traversal, TfExprs};
use names::Labels;

/// Options of the `terraform` target: the CloudFormation target's, less the text format.
#[derive(Clone, Debug)]
pub struct TerraformOptions {
    pub mode: Mode,
    /// The stage deployed when the IR names none: `prod` for REST and WebSocket APIs,
    /// `$default` for HTTP APIs when `None`.
    pub default_stage: Option<String>,
    /// Days an access-log group keeps its events when the IR does not say.
    pub log_retention_days: i64,
    /// Stage-wide throttling when the IR sets none.
    pub default_burst_limit: i64,
    pub default_rate_limit: f64,
    /// Associate a WAF web ACL (an input variable) with every REST stage.
    pub waf: bool,
    /// CloudWatch alarms on each stage's 5XX rate and latency.
    pub alarms: bool,
    /// The Lambda resource-policy size the permission plan stays under.
    pub permission_budget_bytes: usize,
}

impl Default for TerraformOptions {
    fn default() -> Self {
        TerraformOptions::from(&CloudFormationOptions::default())
    }
}

impl From<&CloudFormationOptions> for TerraformOptions {
    fn from(options: &CloudFormationOptions) -> Self {
        TerraformOptions {
            mode: options.mode,
            default_stage: options.default_stage.clone(),
            log_retention_days: options.log_retention_days,
            default_burst_limit: options.default_burst_limit,
            default_rate_limit: options.default_rate_limit,
            waf: options.waf,
            alarms: options.alarms,
            permission_budget_bytes: options.permission_budget_bytes,
        }
    }
}

impl TerraformOptions {
    /// The same options as the CloudFormation target sees them, for the shared decisions
    /// (stage names, defaults).
    pub(crate) fn as_cloudformation(&self) -> CloudFormationOptions {
        CloudFormationOptions {
            mode: self.mode,
            default_stage: self.default_stage.clone(),
            log_retention_days: self.log_retention_days,
            default_burst_limit: self.default_burst_limit,
            default_rate_limit: self.default_rate_limit,
            waf: self.waf,
            alarms: self.alarms,
            permission_budget_bytes: self.permission_budget_bytes,
            ..CloudFormationOptions::default()
        }
    }
}

/// Builds the Terraform module for `apis`: its files at the top of the output directory for
/// one API, one subdirectory per API otherwise.
pub fn emit(apis: &[Api], opts: &TerraformOptions) -> Result<Warned<Vec<OutputFile>>, EmitError> {
    if apis.is_empty() {
        return Err(EmitError::NoApi);
    }
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    let mut directories = Labels::default();
    for api in apis {
        // Two APIs of one name (a template's two `AWS::Serverless::Api`s titled alike) still
        // get a directory each.
        let directory = if apis.len() == 1 {
            None
        } else {
            let stem = crate::cloudformation::names::file_stem(api);
            let source = api.logical_id.clone().unwrap_or_else(|| api.name.clone());
            Some(
                directories
                    .claim("directory", &stem, &source)
                    .replace('_', "-"),
            )
        };
        let built = build(api, opts)?;
        for file in built.files {
            let path = match &directory {
                Some(directory) => Utf8PathBuf::from(directory).join(&file.path),
                None => file.path,
            };
            files.push(OutputFile {
                path,
                contents: file.contents,
            });
        }
        warnings.extend(built.warnings);
        notes.extend(built.notes);
    }
    let mut warned = Warned::new(files);
    warned.warnings = warnings;
    warned.notes = notes;
    Ok(warned)
}

/// The files of the module, in the order they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum TfFile {
    Main,
    Lambda,
    UsagePlans,
    Domains,
    Alarms,
}

impl TfFile {
    fn name(&self) -> &'static str {
        match self {
            TfFile::Main => "main.tf",
            TfFile::Lambda => "lambda.tf",
            TfFile::UsagePlans => "usage_plans.tf",
            TfFile::Domains => "domains.tf",
            TfFile::Alarms => "alarms.tf",
        }
    }
}

/// An output of the module.
#[derive(Clone, Debug)]
pub(crate) struct ModuleOutput {
    pub name: String,
    pub description: String,
    pub value: Expression,
}

/// A stage of the module.
#[derive(Clone, Debug)]
pub(crate) struct StageRef {
    pub name: String,
    /// The stage resource's label.
    pub label: String,
}

/// A resource being assembled: attributes, then nested blocks, then meta-arguments, the order
/// Terraform's style guide gives.
pub(crate) struct Resource {
    pub kind: &'static str,
    pub label: String,
    attributes: Vec<Attribute>,
    blocks: Vec<Block>,
    meta: Vec<Structure>,
}

impl Resource {
    pub fn new(kind: &'static str, label: impl Into<String>) -> Self {
        Resource {
            kind,
            label: label.into(),
            attributes: Vec::new(),
            blocks: Vec::new(),
            meta: Vec::new(),
        }
    }

    pub fn attr(&mut self, key: &str, value: impl Into<Expression>) -> &mut Self {
        self.attributes.push(Attribute::new(
            hcl::Identifier::sanitized(key),
            value.into(),
        ));
        self
    }

    pub fn opt<T: Into<Expression>>(&mut self, key: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.attr(key, value);
        }
        self
    }

    pub fn block(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    pub fn depends_on(&mut self, references: Vec<Expression>) -> &mut Self {
        if !references.is_empty() {
            self.meta.push(Structure::Attribute(Attribute::new(
                hcl::Identifier::unchecked("depends_on"),
                Expression::Array(references),
            )));
        }
        self
    }

    pub fn create_before_destroy(&mut self) -> &mut Self {
        self.meta.push(Structure::Block(
            Block::builder("lifecycle")
                .add_attribute(("create_before_destroy", true))
                .build(),
        ));
        self
    }

    /// `kind.label.attribute`.
    pub fn get(&self, attribute: &str) -> Expression {
        traversal(self.kind, &[&self.label, attribute])
    }

    /// `kind.label`, for `depends_on`.
    pub fn reference(&self) -> Expression {
        traversal(self.kind, &[&self.label])
    }

    fn build(self) -> Block {
        let mut builder = Block::builder("resource")
            .add_label(self.kind)
            .add_label(self.label);
        for attribute in self.attributes {
            builder = builder.add_attribute(attribute);
        }
        for block in self.blocks {
            builder = builder.add_block(block);
        }
        for structure in self.meta {
            builder = builder.add_structure(structure);
        }
        builder.build()
    }
}

/// A nested block of attributes (`settings { ... }`); attributes given `None` are left out.
pub(crate) fn nested(name: &str, attributes: Vec<(&str, Option<Expression>)>) -> Block {
    let mut builder = Block::builder(hcl::Identifier::sanitized(name));
    for (key, value) in attributes {
        if let Some(value) = value {
            builder = builder.add_attribute(Attribute::new(hcl::Identifier::sanitized(key), value));
        }
    }
    builder.build()
}

/// A module under construction.
pub(crate) struct Module<'a> {
    pub api: &'a Api,
    /// The API's gateway responses as deployed (CORS headers added); not `api`'s own.
    pub gateway_responses: &'a [GatewayResponse],
    pub opts: &'a TerraformOptions,
    pub exprs: TfExprs,
    pub labels: Labels,
    pub blocks: IndexMap<TfFile, Vec<Block>>,
    /// The OpenAPI document of body mode, written to `openapi.tf` as `local.openapi`.
    pub document: Option<Expression>,
    /// Model schemas of resources mode by label, written to `models.tf` as
    /// `local.model_schemas`.
    pub model_schemas: Vec<(String, Expression)>,
    pub outputs: Vec<ModuleOutput>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    /// The API resource's type (`aws_api_gateway_rest_api` or `aws_apigatewayv2_api`).
    pub api_kind: &'static str,
    pub stages: Vec<StageRef>,
    /// The `id` of each authorizer, by IR name (resources mode).
    pub authorizer_ids: Vec<(String, Expression)>,
    /// What a REST or WebSocket deployment snapshots (resources mode), as `kind.label`.
    pub deployed: Vec<Expression>,
    /// What the deployment's redeployment trigger hashes.
    pub deployment_trigger: Option<Expression>,
}

impl Module<'_> {
    pub fn add(&mut self, file: TfFile, resource: Resource) {
        self.blocks.entry(file).or_default().push(resource.build());
    }

    /// `aws_..._api.this.<attribute>`.
    pub fn api_get(&self, attribute: &str) -> Expression {
        traversal(self.api_kind, &["this", attribute])
    }

    pub fn stage_names(&self) -> Vec<String> {
        self.stages.iter().map(|stage| stage.name.clone()).collect()
    }

    pub fn stage(&self, name: &str) -> Option<&StageRef> {
        self.stages.iter().find(|stage| stage.name == name)
    }

    pub fn output(&mut self, name: &str, description: String, value: Expression) {
        self.outputs.push(ModuleOutput {
            name: name.to_owned(),
            description,
            value,
        });
    }
}

/// The module of one API.
struct Built {
    files: Vec<OutputFile>,
    warnings: Vec<Warning>,
    notes: Vec<String>,
}

fn build(api: &Api, opts: &TerraformOptions) -> Result<Built, EmitError> {
    // CORS fixes apply to what is deployed, not to the IR itself.
    let prepared = crate::plan::prepare_cors(api);
    let api: &Api = &prepared.api;
    let mut module = Module {
        api,
        gateway_responses: &prepared.gateway_responses,
        opts,
        exprs: TfExprs::default(),
        labels: Labels::default(),
        blocks: IndexMap::new(),
        document: None,
        model_schemas: Vec::new(),
        outputs: Vec::new(),
        warnings: Vec::new(),
        notes: prepared.notes,
        api_kind: match api.kind {
            ApiKind::Rest => "aws_api_gateway_rest_api",
            ApiKind::Http | ApiKind::Websocket => "aws_apigatewayv2_api",
        },
        stages: Vec::new(),
        authorizer_ids: Vec::new(),
        deployed: Vec::new(),
        deployment_trigger: None,
    };
    module.labels.claim(module.api_kind, "this", &api.name);
    match (api.kind, opts.mode) {
        (ApiKind::Rest, Mode::Body) => rest::body(&mut module),
        (ApiKind::Rest, Mode::Resources) => rest::resources(&mut module),
        (ApiKind::Http, Mode::Body) => http::body(&mut module),
        (ApiKind::Http, Mode::Resources) => http::resources(&mut module),
        (ApiKind::Websocket, _) => websocket::resources(&mut module),
    }
    stage::deployment_and_stages(&mut module);
    extras::permissions(&mut module);
    extras::usage_plans(&mut module);
    extras::domains(&mut module);
    extras::waf(&mut module);
    extras::alarms(&mut module);
    extras::outputs(&mut module);
    let files = files::write(&mut module).map_err(|error| EmitError::Serialize {
        what: "Terraform",
        source: SerializeError(error.to_string()),
    })?;
    let mut warnings = module.warnings;
    warnings.append(&mut module.exprs.warnings);
    let notes = module.notes;
    if let Cow::Owned(api) = prepared.api {
        crate::drop_in_background(api);
    }
    Ok(Built {
        files,
        warnings,
        notes,
    })
}
