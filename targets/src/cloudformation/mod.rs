//! The `cloudformation` target: checked IR → a CloudFormation template (YAML with short-form
//! intrinsics, or JSON). REST and HTTP APIs in two modes — `body` (the API as an embedded
//! OpenAPI `Body`) and `resources` (one resource per IR node) — and WebSocket APIs as
//! resources. Around the API: a deployment named after the API's content hash, explicit stages
//! with access logs, throttling and tracing, Lambda permissions, usage plans, keys, custom
//! domains, and on request WAF and alarms.
//!
//! The template is an ordered document model built once and serialized once. This module reads
//! the IR only; it never re-validates (the rules did) and never prints.

pub(crate) mod expr;
pub(crate) mod extras;
mod http;
mod limits;
pub mod names;
mod nested;
pub(crate) mod rest;
pub(crate) mod stage;
mod websocket;

use std::borrow::Cow;

use apigw_compiler::ir::{Api, ApiKind, GatewayResponse};
use camino::Utf8PathBuf;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::plan::permissions::DEFAULT_POLICY_BUDGET_BYTES;
use crate::{render, EmitError, Format, OutputFile, Warned, Warning};
use expr::CfnExprs;
use names::LogicalIds;

/// How REST and HTTP APIs are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The API as an OpenAPI document in the API resource's `Body`.
    #[default]
    Body,
    /// One CloudFormation resource per route, integration, authorizer, model …
    Resources,
}

/// Options of the `cloudformation` target (and of `sam`, which shares them).
#[derive(Clone, Debug)]
pub struct CloudFormationOptions {
    pub format: Format,
    pub mode: Mode,
    /// The stage deployed when the IR names none: `prod` for REST and WebSocket APIs,
    /// `$default` for HTTP APIs when `None`.
    pub default_stage: Option<String>,
    /// Days an access-log group keeps its events when the IR does not say.
    pub log_retention_days: i64,
    /// Stage-wide throttling when the IR sets none.
    pub default_burst_limit: i64,
    pub default_rate_limit: f64,
    /// Associate a WAF web ACL (given as a parameter) with every REST stage.
    pub waf: bool,
    /// CloudWatch alarms on each stage's 5XX rate and latency.
    pub alarms: bool,
    /// The Lambda resource-policy size the permission plan stays under.
    pub permission_budget_bytes: usize,
}

impl Default for CloudFormationOptions {
    fn default() -> Self {
        CloudFormationOptions {
            format: Format::Yaml,
            mode: Mode::Body,
            default_stage: None,
            // A year, the retention most compliance baselines ask of access logs.
            log_retention_days: 365,
            default_burst_limit: 200,
            default_rate_limit: 100.0,
            waf: false,
            alarms: false,
            permission_budget_bytes: DEFAULT_POLICY_BUDGET_BYTES,
        }
    }
}

/// Which template is being written: plain CloudFormation, or SAM (whose `AWS::Serverless::*`
/// resources create the deployment and stage themselves).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    CloudFormation,
    Sam,
}

/// Builds the CloudFormation template(s) for `apis`: `template.{yaml,json}` for one API, one
/// file per API otherwise.
pub fn emit(
    apis: &[Api],
    opts: &CloudFormationOptions,
) -> Result<Warned<Vec<OutputFile>>, EmitError> {
    emit_flavor(apis, opts, Flavor::CloudFormation)
}

pub(crate) fn emit_flavor(
    apis: &[Api],
    opts: &CloudFormationOptions,
    flavor: Flavor,
) -> Result<Warned<Vec<OutputFile>>, EmitError> {
    if apis.is_empty() {
        return Err(EmitError::NoApi);
    }
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    for api in apis {
        let stem = if apis.len() == 1 {
            "template".to_owned()
        } else {
            names::file_stem(api)
        };
        let stacks_dir = if apis.len() == 1 {
            "stacks/".to_owned()
        } else {
            format!("stacks/{stem}/")
        };
        let built = build(api, opts, flavor, &stacks_dir)?;
        let file_name = format!("{stem}.{}", opts.format.extension());
        if !built.children.is_empty() {
            warnings.push(limits::nested_warning(
                &stem,
                &file_name,
                &built.template,
                &built.children,
            ));
        }
        limits::check_count(&built.template, &stem, &mut warnings);
        // The templates are independent, so they are serialized in parallel (a resources-mode
        // build of a large API writes hundreds); files and warnings keep the sequential order.
        let template = built.template;
        let (parent, children) = rayon::join(
            || render(&template, opts.format, true, "CloudFormation"),
            || {
                built
                    .children
                    .into_par_iter()
                    .map(|child| render_child(child, opts.format))
                    .collect::<Vec<_>>()
            },
        );
        crate::drop_in_background(template);
        let text = parent?;
        limits::check_size(&text, &stem, &mut warnings);
        files.reserve(1 + children.len());
        files.push(OutputFile {
            path: Utf8PathBuf::from(file_name),
            contents: text,
        });
        for child in children {
            let (file, mut child_warnings) = child?;
            warnings.append(&mut child_warnings);
            files.push(file);
        }
        warnings.extend(built.warnings);
        notes.extend(built.notes);
    }
    let mut warned = Warned::new(files);
    warned.warnings = warnings;
    warned.notes = notes;
    Ok(warned)
}

/// Serializes a nested stack's template, with the warnings about its limits.
fn render_child(
    child: nested::Child,
    format: Format,
) -> Result<(OutputFile, Vec<Warning>), EmitError> {
    let mut warnings = Vec::new();
    limits::check_count(&child.template, &child.path, &mut warnings);
    limits::check_stack_interface(&child.template, &child.path, &mut warnings);
    let text = render(&child.template, format, true, "CloudFormation")?;
    limits::check_size(&text, &child.path, &mut warnings);
    let file = OutputFile {
        path: Utf8PathBuf::from(child.path),
        contents: text,
    };
    Ok((file, warnings))
}

/// A template under construction.
pub(crate) struct Builder<'a> {
    pub api: &'a Api,
    /// The API's gateway responses as deployed (CORS headers added); not `api`'s own.
    pub gateway_responses: &'a [GatewayResponse],
    pub opts: &'a CloudFormationOptions,
    pub ids: LogicalIds,
    pub exprs: CfnExprs,
    pub resources: Map<String, Value>,
    pub outputs: Map<String, Value>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    /// The API resource's logical id.
    pub api_id: String,
    /// Stage name → the logical id of its stage resource (or, for SAM, what `!Ref` of the
    /// stage is written as).
    pub stages: Vec<StageRef>,
    /// Logical id of each authorizer, by IR name (resources mode).
    pub authorizer_ids: Vec<(String, String)>,
    /// The resources whose content a REST or WebSocket deployment snapshots, in order.
    pub deployed: Vec<String>,
    /// Logical id → the route path a resource belongs to (resources mode), which decides the
    /// nested stack it moves to when the template is over CloudFormation's resource limit.
    pub placement: IndexMap<String, String>,
}

/// A stage of the template.
#[derive(Clone, Debug)]
pub(crate) struct StageRef {
    pub name: String,
    /// What `!Ref` names to get the stage's name with a dependency on it.
    pub reference: Value,
    /// The logical id used to name the stage's companions (log group, alarms).
    pub base: String,
}

/// The template of one API, before size checks.
pub(crate) struct Built {
    pub template: Value,
    /// Nested stacks (resources mode over the resource limit), relative to the template.
    pub children: Vec<nested::Child>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
}

impl<'a> Builder<'a> {
    pub fn add(&mut self, logical_id: &str, kind: &str, properties: Map<String, Value>) {
        self.add_with(logical_id, kind, properties, &[]);
    }

    pub fn add_with(
        &mut self,
        logical_id: &str,
        kind: &str,
        properties: Map<String, Value>,
        depends_on: &[String],
    ) {
        let mut resource = Map::new();
        resource.insert("Type".into(), json!(kind));
        match depends_on {
            [] => {}
            [one] => {
                resource.insert("DependsOn".into(), json!(one));
            }
            many => {
                resource.insert("DependsOn".into(), json!(many));
            }
        }
        resource.insert("Properties".into(), Value::Object(properties));
        self.resources
            .insert(logical_id.to_owned(), Value::Object(resource));
    }

    /// The API's name as the `Name` of its resource: a deploy-time value when the title shows
    /// one (`${AWS::StackName}-api`).
    pub fn title(&mut self) -> Value {
        let title = expr::name_expr(&self.api.title);
        crate::openapi::RenderExpr::render(&mut self.exprs, &title, "the API's name")
    }

    /// The API's name in descriptions: its title, or when the title is only known at deploy
    /// time its stable name (the logical id it had in its template).
    pub fn label(&self) -> String {
        label(self.api)
    }

    /// The OpenAPI document of the API, its title the deploy-time name the API resource gets
    /// and its resource policy's references resolved in this template.
    pub fn document(&mut self) -> Value {
        let mut body =
            crate::openapi::deployed_document(self.api, self.gateway_responses, &mut self.exprs);
        let title = self.title();
        if let Some(info) = body.get_mut("info").and_then(Value::as_object_mut) {
            info.insert("title".into(), title);
        }
        if let (Some(policy), Some(root)) = (&self.api.policy, body.as_object_mut()) {
            let policy = self.exprs.value(&policy.value, "the API's resource policy");
            root.insert("x-amazon-apigateway-policy".into(), policy);
        }
        body
    }

    pub fn stage_names(&self) -> Vec<String> {
        self.stages.iter().map(|stage| stage.name.clone()).collect()
    }

    pub fn stage(&self, name: &str) -> Option<&StageRef> {
        self.stages.iter().find(|stage| stage.name == name)
    }
}

pub(crate) fn label(api: &Api) -> String {
    if !api.title.contains("${") {
        api.title.clone()
    } else if !api.name.contains("${") {
        api.name.clone()
    } else {
        expr::prose(&api.title)
    }
}

/// The stage names a template deploys: the IR's, else the default one.
pub(crate) fn stage_names(api: &Api, opts: &CloudFormationOptions) -> Vec<String> {
    if !api.stages.is_empty() {
        return api.stages.iter().map(|stage| stage.name.clone()).collect();
    }
    vec![opts
        .default_stage
        .clone()
        .unwrap_or_else(|| match api.kind {
            ApiKind::Http => "$default".to_owned(),
            ApiKind::Rest | ApiKind::Websocket => "prod".to_owned(),
        })]
}

/// `stacks_dir` is where nested stacks go, relative to the template (`stacks/`).
fn build(
    api: &Api,
    opts: &CloudFormationOptions,
    flavor: Flavor,
    stacks_dir: &str,
) -> Result<Built, EmitError> {
    if flavor == Flavor::Sam && api.kind == ApiKind::Websocket {
        return Err(EmitError::Unsupported {
            kind: "WebSocket",
            target: "sam",
            reason: "SAM has no WebSocket API resource; build it with --target cloudformation",
        });
    }
    // CORS fixes apply to what is deployed, not to the IR itself.
    let prepared = crate::plan::prepare_cors(api);
    let api: &Api = &prepared.api;
    let mut ids = LogicalIds::default();
    let api_id = ids.claim(&names::api_base_name(api), &api.name);
    let mut exprs = CfnExprs::default();
    if let Some(source_id) = &api.logical_id {
        exprs.resources.insert(source_id.clone(), api_id.clone());
    }
    let mut builder = Builder {
        api,
        gateway_responses: &prepared.gateway_responses,
        opts,
        ids,
        exprs,
        resources: Map::new(),
        outputs: Map::new(),
        warnings: Vec::new(),
        notes: prepared.notes,
        api_id,
        stages: Vec::new(),
        authorizer_ids: Vec::new(),
        deployed: Vec::new(),
        placement: IndexMap::new(),
    };

    match (flavor, api.kind, opts.mode) {
        (Flavor::Sam, _, _) => crate::sam::build_api(&mut builder),
        (_, ApiKind::Rest, Mode::Body) => rest::body(&mut builder),
        (_, ApiKind::Rest, Mode::Resources) => rest::resources(&mut builder),
        (_, ApiKind::Http, Mode::Body) => http::body(&mut builder),
        (_, ApiKind::Http, Mode::Resources) => http::resources(&mut builder),
        (_, ApiKind::Websocket, _) => websocket::resources(&mut builder),
    }
    if flavor == Flavor::CloudFormation {
        stage::deployment_and_stages(&mut builder);
    }
    extras::permissions(&mut builder);
    extras::usage_plans(&mut builder);
    extras::domains(&mut builder);
    extras::waf(&mut builder);
    extras::alarms(&mut builder);
    extras::outputs(&mut builder);

    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    if flavor == Flavor::Sam {
        template.insert("Transform".into(), json!("AWS::Serverless-2016-10-31"));
    }
    let description = match &api.description {
        Some(description) if !description.is_empty() => {
            let mut text = expr::prose(&format!("{}: {}", label(api), description));
            // CloudFormation caps a template description at 1,024 bytes.
            if text.len() > 1000 {
                let mut cut = 1000;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            text
        }
        _ => format!("{} (API Gateway)", label(api)),
    };
    template.insert("Description".into(), json!(description));
    let mut parameters = Map::new();
    for parameter in builder.exprs.parameters.values() {
        let mut entry = Map::new();
        entry.insert("Type".into(), json!("String"));
        entry.insert("Description".into(), json!(parameter.description));
        parameters.insert(parameter.logical_id.clone(), Value::Object(entry));
    }
    let mut conditions = Map::new();
    for condition in builder.exprs.conditions.values() {
        if let Some(Value::Object(entry)) = parameters.get_mut(&condition.parameter) {
            entry.insert("AllowedValues".into(), json!(["true", "false"]));
            entry.insert("Default".into(), json!("false"));
        }
        conditions.insert(
            condition.logical_id.clone(),
            json!({"Fn::Equals": [{"Ref": condition.parameter}, "true"]}),
        );
    }
    if !parameters.is_empty() {
        template.insert("Parameters".into(), Value::Object(parameters));
    }
    if !conditions.is_empty() {
        template.insert("Conditions".into(), Value::Object(conditions));
    }
    template.insert("Resources".into(), Value::Object(builder.resources));
    if !builder.outputs.is_empty() {
        template.insert("Outputs".into(), Value::Object(builder.outputs));
    }
    let mut warnings = builder.warnings;
    warnings.append(&mut builder.exprs.warnings);
    let children = if flavor == Flavor::CloudFormation
        && opts.mode == Mode::Resources
        && matches!(api.kind, ApiKind::Rest | ApiKind::Http)
    {
        nested::split(
            &mut template,
            &builder.placement,
            &builder.api_id,
            &mut builder.ids,
            &label(api),
            stacks_dir,
            opts.format.extension(),
        )
    } else {
        Vec::new()
    };
    let notes = builder.notes;
    if let Cow::Owned(api) = prepared.api {
        crate::drop_in_background(api);
    }
    Ok(Built {
        template: Value::Object(template),
        children,
        warnings,
        notes,
    })
}
