//! How the template deploys its APIs: stages (`AWS::ApiGateway::Stage`, a `Deployment`'s
//! `StageName`, `AWS::ApiGatewayV2::Stage`, SAM's `StageName` and stage properties), usage plans
//! with their keys (`UsagePlan`, `UsagePlanKey`, `ApiKey`, SAM `Auth.UsagePlan`), and custom
//! domains with their mappings (`DomainName` + `BasePathMapping`/`ApiMapping`, SAM `Domain`).
//!
//! Each is attached to the API its `RestApiId`/`ApiId` names; one that names an API outside the
//! template is skipped.

use indexmap::IndexMap;

use crate::ir::{
    AccessLog, ApiKey, ApiKind, BasePathMapping, Canary, Domain, Expr, MethodSetting, Origin,
    Quota, Stage, Throttling, UsagePlan,
};

use super::read::Cx;
use super::stack::{reference, Prop, Resource, Stack};
use super::{Apis, Flavor};

pub(super) fn lower(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    sam_stages(cx, stack, apis);
    for resource in &stack.resources {
        match resource.kind {
            "AWS::ApiGateway::Deployment" => deployment_stage(cx, stack, apis, resource),
            "AWS::ApiGateway::Stage" => rest_stage(cx, stack, apis, resource),
            "AWS::ApiGatewayV2::Stage" => v2_stage(cx, stack, apis, resource),
            _ => {}
        }
    }
    usage_plans(cx, stack, apis);
    domains(cx, stack, apis);
}

/// The API index a property names, if it is one of the template's APIs.
fn api_of(apis: &Apis<'_>, resource: &Resource<'_>, keys: &[&str]) -> Option<usize> {
    keys.iter()
        .find_map(|key| resource.property(key))
        .and_then(|prop| apis.referenced(&prop))
}

/// Adds `stage`, or fills in what an existing stage of the same name lacks (a `Deployment`'s
/// `StageDescription` and a `Stage` resource may describe one stage).
fn add_stage(stages: &mut Vec<Stage>, stage: Stage) {
    let Some(existing) = stages
        .iter_mut()
        .find(|existing| existing.name == stage.name)
    else {
        stages.push(stage);
        return;
    };
    existing.description = existing.description.take().or(stage.description);
    if existing.variables.is_empty() {
        existing.variables = stage.variables;
    }
    existing.throttling = existing.throttling.take().or(stage.throttling);
    if existing.method_settings.is_empty() {
        existing.method_settings = stage.method_settings;
    }
    existing.access_log = existing.access_log.take().or(stage.access_log);
    existing.tracing_enabled = existing.tracing_enabled.or(stage.tracing_enabled);
    existing.cache_cluster_enabled = existing
        .cache_cluster_enabled
        .or(stage.cache_cluster_enabled);
    existing.cache_cluster_size = existing
        .cache_cluster_size
        .take()
        .or(stage.cache_cluster_size);
    existing.canary = existing.canary.take().or(stage.canary);
    if existing.tags.is_empty() {
        existing.tags = stage.tags;
    }
}

pub(super) fn empty_stage(origin: Origin, name: String) -> Stage {
    Stage {
        origin,
        name,
        description: None,
        variables: IndexMap::new(),
        throttling: None,
        method_settings: Vec::new(),
        access_log: None,
        tracing_enabled: None,
        cache_cluster_enabled: None,
        cache_cluster_size: None,
        canary: None,
        tags: Vec::new(),
    }
}

/// REST stage settings, read through `get` (a `Stage` resource, a `StageDescription`, or a SAM
/// API with its `Globals`).
fn rest_stage_settings<'t>(
    cx: &mut Cx<'_, '_>,
    stage: &mut Stage,
    get: impl Fn(&str) -> Option<Prop<'t>>,
) {
    if let Some(description) = get("Description") {
        stage.description = cx.text(&description);
    }
    if let Some(variables) = get("Variables") {
        stage.variables = cx.expr_map(&variables);
    }
    if let Some(settings) = get("MethodSettings") {
        for setting in cx.list(&settings).unwrap_or_default() {
            if cx.map(&setting).is_none() {
                continue;
            }
            let resource_path = setting
                .get("ResourcePath")
                .and_then(|path| cx.text(&path))
                .map(|path| method_setting_path(&path))
                .unwrap_or_else(|| "*".to_owned());
            let http_method = setting
                .get("HttpMethod")
                .and_then(|method| cx.text(&method))
                .unwrap_or_else(|| "*".to_owned());
            let mut method_setting = route_setting(cx, &setting, resource_path, http_method);
            method_setting.caching_enabled = setting
                .get("CachingEnabled")
                .and_then(|value| cx.boolean(&value));
            method_setting.cache_ttl_seconds = setting
                .get("CacheTtlInSeconds")
                .and_then(|value| cx.integer(&value));
            stage.method_settings.push(method_setting);
        }
    }
    if let Some(log) = get("AccessLogSetting") {
        stage.access_log = access_log(cx, &log);
    }
    if let Some(tracing) = get("TracingEnabled") {
        stage.tracing_enabled = cx.boolean(&tracing);
    }
    if let Some(enabled) = get("CacheClusterEnabled") {
        stage.cache_cluster_enabled = cx.boolean(&enabled);
    }
    if let Some(size) = get("CacheClusterSize") {
        stage.cache_cluster_size = cx.text(&size);
    }
    if let Some(canary) = get("CanarySetting") {
        if cx.map(&canary).is_some() {
            stage.canary = Some(Canary {
                percent_traffic: canary
                    .get("PercentTraffic")
                    .and_then(|value| cx.number(&value))
                    .unwrap_or(0.0),
                variables: canary
                    .get("StageVariableOverrides")
                    .map(|variables| cx.expr_map(&variables))
                    .unwrap_or_default(),
                use_stage_cache: canary
                    .get("UseStageCache")
                    .and_then(|value| cx.boolean(&value)),
            });
        }
    }
    if let Some(tags) = get("Tags") {
        stage.tags = cx.tags(&tags);
    }
}

/// A `MethodSettings` resource path: `/*` is every resource, and `/` inside a path is written
/// `~1` (`/~1pets~1{id}` is `/pets/{id}`).
fn method_setting_path(path: &str) -> String {
    if path == "/*" || path == "*" {
        return "*".to_owned();
    }
    let inner = path.strip_prefix('/').unwrap_or(path);
    let decoded = inner.replace("~1", "/").replace("~0", "~");
    if decoded.starts_with('/') {
        decoded
    } else {
        format!("/{decoded}")
    }
}

/// Throttling, logging and metrics of a method or route setting.
fn route_setting(
    cx: &mut Cx<'_, '_>,
    setting: &Prop<'_>,
    resource_path: String,
    http_method: String,
) -> MethodSetting {
    MethodSetting {
        resource_path,
        http_method,
        throttling: throttling(cx, setting, "ThrottlingBurstLimit", "ThrottlingRateLimit"),
        logging_level: setting
            .get("LoggingLevel")
            .and_then(|level| cx.text(&level)),
        data_trace_enabled: setting
            .get("DataTraceEnabled")
            .and_then(|value| cx.boolean(&value)),
        metrics_enabled: setting
            .get("MetricsEnabled")
            .or_else(|| setting.get("DetailedMetricsEnabled"))
            .and_then(|value| cx.boolean(&value)),
        caching_enabled: None,
        cache_ttl_seconds: None,
    }
}

fn throttling(cx: &mut Cx<'_, '_>, prop: &Prop<'_>, burst: &str, rate: &str) -> Option<Throttling> {
    let burst_limit = prop.get(burst).and_then(|value| cx.integer(&value));
    let rate_limit = prop.get(rate).and_then(|value| cx.number(&value));
    (burst_limit.is_some() || rate_limit.is_some()).then_some(Throttling {
        burst_limit,
        rate_limit,
    })
}

fn access_log(cx: &mut Cx<'_, '_>, prop: &Prop<'_>) -> Option<AccessLog> {
    cx.map(prop)?;
    Some(AccessLog {
        destination: prop
            .get("DestinationArn")
            .and_then(|destination| cx.expr(&destination)),
        format: prop.get("Format").and_then(|format| cx.text(&format)),
        retention_days: None,
    })
}

/// HTTP and WebSocket stage settings: `StageVariables`, `DefaultRouteSettings`,
/// `RouteSettings`, `AccessLogSettings`, `Description`, `Tags`.
fn v2_stage_settings<'t>(
    cx: &mut Cx<'_, '_>,
    stage: &mut Stage,
    get: impl Fn(&str) -> Option<Prop<'t>>,
) {
    if let Some(description) = get("Description") {
        stage.description = cx.text(&description);
    }
    if let Some(variables) = get("StageVariables") {
        stage.variables = cx.expr_map(&variables);
    }
    if let Some(defaults) = get("DefaultRouteSettings") {
        if cx.map(&defaults).is_some() {
            let setting = route_setting(cx, &defaults, "*".to_owned(), "*".to_owned());
            stage.throttling = setting.throttling.clone();
            if setting.logging_level.is_some()
                || setting.data_trace_enabled.is_some()
                || setting.metrics_enabled.is_some()
            {
                stage.method_settings.push(setting);
            }
        }
    }
    if let Some(routes) = get("RouteSettings") {
        for (route_key, setting) in cx.map(&routes).unwrap_or_default() {
            if cx.map(&setting).is_none() {
                continue;
            }
            let (method, path) = match route_key.split_once(' ') {
                Some((method, path)) => (method.to_owned(), path.trim().to_owned()),
                None => ("*".to_owned(), route_key.to_owned()),
            };
            let setting = route_setting(cx, &setting, path, method);
            stage.method_settings.push(setting);
        }
    }
    if let Some(log) = get("AccessLogSettings") {
        stage.access_log = access_log(cx, &log);
    }
    if let Some(tags) = get("Tags") {
        stage.tags = cx.tags(&tags);
    }
}

/// SAM: the stage each `AWS::Serverless::Api`/`HttpApi` (and implicit API) deploys to.
fn sam_stages(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    for built in &mut apis.built {
        let (default, rest) = match built.flavor {
            // SAM's implicit REST API deploys to `Prod`; an HTTP API to `$default`.
            Flavor::SamRest => ("Prod", true),
            Flavor::SamHttp => ("$default", false),
            Flavor::Rest | Flavor::V2 => continue,
        };
        let name_prop = built.property(stack, "StageName");
        let name = name_prop
            .as_ref()
            .and_then(|name| cx.name(stack, name))
            .unwrap_or_else(|| default.to_owned());
        let origin = match (&name_prop, &built.resource) {
            (Some(name_prop), _) => cx.origin(name_prop),
            (None, Some(resource)) => cx.origin(&resource.as_prop()),
            (None, None) => built.api.origin.clone(),
        };
        let mut stage = empty_stage(origin, name);
        if rest {
            rest_stage_settings(cx, &mut stage, |key| {
                // The API's own `Description` and `Tags` describe the API; the stage shares the
                // tags, as SAM propagates them.
                if key == "Description" {
                    None
                } else {
                    built.property(stack, key)
                }
            });
        } else {
            v2_stage_settings(cx, &mut stage, |key| match key {
                "Description" => None,
                key => built.property(stack, key),
            });
        }
        add_stage(&mut built.api.stages, stage);
    }
}

fn deployment_stage(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    apis: &mut Apis<'_>,
    resource: &Resource<'_>,
) {
    let Some(index) = api_of(apis, resource, &["RestApiId"]) else {
        return;
    };
    let Some(name_prop) = resource.property("StageName") else {
        return;
    };
    let Some(name) = cx.name(stack, &name_prop) else {
        return;
    };
    let mut stage = empty_stage(cx.origin(&name_prop), name);
    if let Some(description) = resource.property("StageDescription") {
        if cx.map(&description).is_some() {
            rest_stage_settings(cx, &mut stage, |key| description.get(key));
            // The description's own throttling and logging apply to every method.
            let setting = route_setting(cx, &description, "*".to_owned(), "*".to_owned());
            let caching_enabled = description
                .get("CachingEnabled")
                .and_then(|value| cx.boolean(&value));
            let cache_ttl_seconds = description
                .get("CacheTtlInSeconds")
                .and_then(|value| cx.integer(&value));
            if setting.throttling.is_some()
                || setting.logging_level.is_some()
                || setting.data_trace_enabled.is_some()
                || setting.metrics_enabled.is_some()
                || caching_enabled.is_some()
                || cache_ttl_seconds.is_some()
            {
                stage.method_settings.insert(
                    0,
                    MethodSetting {
                        caching_enabled,
                        cache_ttl_seconds,
                        ..setting
                    },
                );
            }
        }
    }
    if let Some(built) = apis.built.get_mut(index) {
        add_stage(&mut built.api.stages, stage);
    }
}

fn rest_stage(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    apis: &mut Apis<'_>,
    resource: &Resource<'_>,
) {
    let Some(index) = api_of(apis, resource, &["RestApiId"]) else {
        return;
    };
    let Some(name) = resource
        .property("StageName")
        .and_then(|name| cx.name(stack, &name))
    else {
        return;
    };
    let mut stage = empty_stage(cx.origin(&resource.as_prop()), name);
    rest_stage_settings(cx, &mut stage, |key| resource.property(key));
    if let Some(built) = apis.built.get_mut(index) {
        add_stage(&mut built.api.stages, stage);
    }
}

fn v2_stage(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>, resource: &Resource<'_>) {
    let Some(index) = api_of(apis, resource, &["ApiId"]) else {
        return;
    };
    let Some(name) = resource
        .property("StageName")
        .and_then(|name| cx.name(stack, &name))
    else {
        return;
    };
    let mut stage = empty_stage(cx.origin(&resource.as_prop()), name);
    v2_stage_settings(cx, &mut stage, |key| resource.property(key));
    if let Some(built) = apis.built.get_mut(index) {
        add_stage(&mut built.api.stages, stage);
    }
}

/// The stage a usage plan or mapping names: a `Stage` resource (by its `StageName`), SAM's
/// `Api.Stage`, or the name itself.
fn stage_name(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    apis: &Apis<'_>,
    prop: &Prop<'_>,
) -> Option<String> {
    if let Some(name) = prop.node.get("Ref").and_then(|name| name.as_str()) {
        if let Some(api_id) = name.strip_suffix(".Stage") {
            if let Some(stage) = apis
                .find(api_id)
                .and_then(|index| apis.built.get(index))
                .and_then(|built| built.api.stages.first())
            {
                return Some(stage.name.clone());
            }
        }
    }
    if let Some((id, None)) = reference(prop.node) {
        if let Some(resource) = stack.resource(id).filter(|resource| {
            matches!(
                resource.kind,
                "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage"
            )
        }) {
            return resource
                .property("StageName")
                .and_then(|name| cx.name(stack, &name));
        }
    }
    cx.name(stack, prop)
}

/// A usage plan as read from the template, before it is copied into each API it covers.
struct PlanDefinition {
    logical_id: String,
    plan: UsagePlan,
    /// (API index, stage names) for each API the plan covers.
    apis: Vec<(usize, Vec<String>)>,
}

fn usage_plans(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    let mut keys: Vec<(String, ApiKey)> = Vec::new();
    for resource in stack.of_type("AWS::ApiGateway::ApiKey") {
        let name = resource
            .property("Name")
            .and_then(|name| name.node.as_str().map(str::to_owned))
            .unwrap_or_else(|| resource.logical_id.to_owned());
        let key = ApiKey {
            origin: cx.origin(&resource.as_prop()),
            name,
            description: resource
                .property("Description")
                .and_then(|description| cx.text(&description)),
            // CloudFormation creates keys disabled unless `Enabled: true`.
            enabled: resource
                .property("Enabled")
                .and_then(|enabled| cx.boolean(&enabled))
                .unwrap_or(false),
            value: resource.property("Value").and_then(|value| cx.expr(&value)),
        };
        // `StageKeys` attach the key to APIs directly.
        if let Some(stage_keys) = resource.property("StageKeys") {
            for stage_key in cx.list(&stage_keys).unwrap_or_default() {
                let Some(index) = stage_key
                    .get("RestApiId")
                    .and_then(|id| apis.referenced(&id))
                else {
                    continue;
                };
                if let Some(built) = apis.built.get_mut(index) {
                    add_key(&mut built.api.api_keys, &key);
                }
            }
        }
        keys.push((resource.logical_id.to_owned(), key));
    }
    let mut plans: Vec<PlanDefinition> = Vec::new();
    for resource in stack.of_type("AWS::ApiGateway::UsagePlan") {
        let name = resource
            .property("UsagePlanName")
            .and_then(|name| name.node.as_str().map(str::to_owned))
            .unwrap_or_else(|| resource.logical_id.to_owned());
        let mut plan = plan_settings(cx, &resource.as_prop(), name, |key| resource.property(key));
        plan.origin = cx.origin(&resource.as_prop());
        let mut covered: Vec<(usize, Vec<String>)> = Vec::new();
        if let Some(api_stages) = resource.property("ApiStages") {
            for api_stage in cx.list(&api_stages).unwrap_or_default() {
                let Some(index) = api_stage.get("ApiId").and_then(|id| apis.referenced(&id)) else {
                    continue;
                };
                let stage = api_stage
                    .get("Stage")
                    .and_then(|stage| stage_name(cx, stack, apis, &stage));
                match covered.iter_mut().find(|(api, _)| *api == index) {
                    Some((_, stages)) => stages.extend(stage),
                    None => covered.push((index, stage.into_iter().collect())),
                }
            }
        }
        plans.push(PlanDefinition {
            logical_id: resource.logical_id.to_owned(),
            plan,
            apis: covered,
        });
    }
    for resource in stack.of_type("AWS::ApiGateway::UsagePlanKey") {
        let key_id = resource
            .property("KeyId")
            .and_then(|id| reference(id.node).map(|(id, _)| id.to_owned()));
        let plan_id = resource
            .property("UsagePlanId")
            .and_then(|id| reference(id.node).map(|(id, _)| id.to_owned()));
        let (Some(key_id), Some(plan_id)) = (key_id, plan_id) else {
            continue;
        };
        let Some((_, key)) = keys.iter().find(|(logical_id, _)| *logical_id == key_id) else {
            continue;
        };
        let Some(definition) = plans
            .iter_mut()
            .find(|definition| definition.logical_id == plan_id)
        else {
            continue;
        };
        if !definition.plan.api_keys.contains(&key.name) {
            definition.plan.api_keys.push(key.name.clone());
        }
        for (index, _) in &definition.apis {
            if let Some(built) = apis.built.get_mut(*index) {
                add_key(&mut built.api.api_keys, key);
            }
        }
    }
    for definition in plans {
        for (index, stages) in definition.apis {
            if let Some(built) = apis.built.get_mut(index) {
                let mut plan = definition.plan.clone();
                plan.stages = stages;
                built.api.usage_plans.push(plan);
            }
        }
    }
    sam_usage_plans(cx, stack, apis);
}

fn add_key(keys: &mut Vec<ApiKey>, key: &ApiKey) {
    if !keys.iter().any(|existing| existing.name == key.name) {
        keys.push(key.clone());
    }
}

/// `Quota`, `Throttle` and `Description` of a usage plan.
fn plan_settings<'t>(
    cx: &mut Cx<'_, '_>,
    at: &Prop<'_>,
    name: String,
    get: impl Fn(&str) -> Option<Prop<'t>>,
) -> UsagePlan {
    let quota = get("Quota").and_then(|quota| {
        cx.map(&quota)?;
        let limit = quota.get("Limit").and_then(|limit| cx.integer(&limit))?;
        let period = quota
            .get("Period")
            .and_then(|period| cx.text(&period))
            .unwrap_or_else(|| "DAY".to_owned());
        Some(Quota {
            limit,
            period,
            offset: quota.get("Offset").and_then(|offset| cx.integer(&offset)),
        })
    });
    let throttling = get("Throttle").and_then(|throttle| {
        cx.map(&throttle)?;
        throttling(cx, &throttle, "BurstLimit", "RateLimit")
    });
    UsagePlan {
        origin: cx.origin(at),
        name,
        description: get("Description").and_then(|description| cx.text(&description)),
        stages: Vec::new(),
        throttling,
        quota,
        api_keys: Vec::new(),
    }
}

/// SAM `Auth.UsagePlan`: `PER_API` creates a plan and a key for the API, `SHARED` one plan and
/// key for every API that asks for it, `NONE` nothing.
fn sam_usage_plans(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    for built in &mut apis.built {
        if built.flavor != Flavor::SamRest {
            continue;
        }
        let Some(plan) = built
            .property(stack, "Auth")
            .and_then(|auth| auth.get("UsagePlan"))
        else {
            continue;
        };
        if cx.map(&plan).is_none() {
            continue;
        }
        let create = plan
            .get("CreateUsagePlan")
            .and_then(|create| cx.literal(&create))
            .map(|create| create.to_ascii_uppercase());
        let (plan_name, key_name) = match create.as_deref() {
            Some("PER_API") => (
                format!("{}UsagePlan", built.id),
                format!("{}ApiKey", built.id),
            ),
            Some("SHARED") => (
                "ServerlessUsagePlan".to_owned(),
                "ServerlessApiKey".to_owned(),
            ),
            _ => continue,
        };
        let name = plan
            .get("UsagePlanName")
            .and_then(|name| name.node.as_str().map(str::to_owned))
            .unwrap_or(plan_name);
        let mut usage_plan = plan_settings(cx, &plan, name, |key| plan.get(key));
        usage_plan.stages = built
            .api
            .stages
            .iter()
            .map(|stage| stage.name.clone())
            .collect();
        usage_plan.api_keys = vec![key_name.clone()];
        add_key(
            &mut built.api.api_keys,
            &ApiKey {
                origin: cx.origin(&plan),
                name: key_name,
                description: None,
                enabled: true,
                value: None,
            },
        );
        built.api.usage_plans.push(usage_plan);
    }
}

/// A custom domain declared by a resource, before its mappings are known.
struct DomainDefinition {
    logical_id: String,
    domain: Domain,
}

fn domains(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    let mut definitions: Vec<DomainDefinition> = Vec::new();
    for resource in &stack.resources {
        let domain = match resource.kind {
            "AWS::ApiGateway::DomainName" | "AWS::ApiGateway::DomainNameV2" => {
                rest_domain(cx, resource)
            }
            "AWS::ApiGatewayV2::DomainName" => v2_domain(cx, resource),
            _ => continue,
        };
        if let Some(domain) = domain {
            definitions.push(DomainDefinition {
                logical_id: resource.logical_id.to_owned(),
                domain,
            });
        }
    }
    for resource in &stack.resources {
        let (domain_key, api_keys, base_key): (&str, &[&str], &str) = match resource.kind {
            "AWS::ApiGateway::BasePathMapping" => ("DomainName", &["RestApiId"], "BasePath"),
            "AWS::ApiGateway::BasePathMappingV2" => ("DomainNameArn", &["RestApiId"], "BasePath"),
            "AWS::ApiGatewayV2::ApiMapping" => ("DomainName", &["ApiId"], "ApiMappingKey"),
            _ => continue,
        };
        let Some(index) = api_of(apis, resource, api_keys) else {
            continue;
        };
        let Some(domain_prop) = resource.property(domain_key) else {
            continue;
        };
        let domain = match reference(domain_prop.node).and_then(|(id, _)| {
            definitions
                .iter()
                .find(|definition| definition.logical_id == id)
        }) {
            Some(definition) => definition.domain.clone(),
            None => {
                let Some(domain_name) = cx.expr(&domain_prop) else {
                    continue;
                };
                Domain {
                    origin: cx.origin(&domain_prop),
                    domain_name,
                    certificate_arn: None,
                    endpoint_type: None,
                    security_policy: None,
                    mappings: Vec::new(),
                    hosted_zone_id: None,
                }
            }
        };
        let base_path = resource
            .property(base_key)
            .and_then(|path| cx.text(&path))
            .and_then(|path| normalize_base_path(&path));
        let stage = resource
            .property("Stage")
            .and_then(|stage| stage_name(cx, stack, apis, &stage))
            .or_else(|| {
                apis.built
                    .get(index)
                    .and_then(|built| built.api.stages.first())
                    .map(|stage| stage.name.clone())
            })
            .unwrap_or_default();
        if let Some(built) = apis.built.get_mut(index) {
            add_mapping(
                &mut built.api.domains,
                domain,
                BasePathMapping { base_path, stage },
            );
        }
    }
    sam_domains(cx, stack, apis);
}

/// `(none)`, empty and `/` map the domain's root; a leading `/` is not part of the path.
fn normalize_base_path(path: &str) -> Option<String> {
    let trimmed = path.trim().trim_start_matches('/');
    (!trimmed.is_empty() && trimmed != "(none)").then(|| trimmed.to_owned())
}

fn add_mapping(domains: &mut Vec<Domain>, domain: Domain, mapping: BasePathMapping) {
    match domains
        .iter_mut()
        .find(|existing| existing.domain_name == domain.domain_name)
    {
        Some(existing) => {
            if !existing.mappings.contains(&mapping) {
                existing.mappings.push(mapping);
            }
        }
        None => {
            let mut domain = domain;
            domain.mappings = vec![mapping];
            domains.push(domain);
        }
    }
}

fn rest_domain(cx: &mut Cx<'_, '_>, resource: &Resource<'_>) -> Option<Domain> {
    let domain_name = resource
        .property("DomainName")
        .and_then(|name| cx.expr(&name))?;
    let certificate_arn = resource
        .property("RegionalCertificateArn")
        .or_else(|| resource.property("CertificateArn"))
        .and_then(|arn| cx.expr(&arn));
    let endpoint_type = resource
        .property("EndpointConfiguration")
        .and_then(|endpoint| endpoint.get("Types"))
        .and_then(|types| cx.text_list(&types).into_iter().next())
        .map(|kind| kind.value.to_ascii_uppercase());
    Some(Domain {
        origin: cx.origin(&resource.as_prop()),
        domain_name,
        certificate_arn,
        endpoint_type,
        security_policy: resource
            .property("SecurityPolicy")
            .and_then(|policy| cx.text(&policy)),
        mappings: Vec::new(),
        hosted_zone_id: None,
    })
}

fn v2_domain(cx: &mut Cx<'_, '_>, resource: &Resource<'_>) -> Option<Domain> {
    let domain_name = resource
        .property("DomainName")
        .and_then(|name| cx.expr(&name))?;
    let configuration = resource
        .property("DomainNameConfigurations")
        .and_then(|configurations| cx.list(&configurations))
        .and_then(|configurations| configurations.into_iter().next());
    let read = |cx: &mut Cx<'_, '_>, key: &str| -> Option<Expr> {
        configuration
            .as_ref()
            .and_then(|configuration| configuration.get(key))
            .and_then(|value| cx.expr(&value))
    };
    let certificate_arn = read(cx, "CertificateArn");
    let endpoint_type =
        read(cx, "EndpointType").map(|kind| kind.display_text().to_ascii_uppercase());
    let security_policy = read(cx, "SecurityPolicy").map(|policy| policy.display_text());
    Some(Domain {
        origin: cx.origin(&resource.as_prop()),
        domain_name,
        certificate_arn,
        endpoint_type,
        security_policy,
        mappings: Vec::new(),
        hosted_zone_id: None,
    })
}

/// SAM `Domain: {DomainName, CertificateArn, EndpointConfiguration, BasePath, Route53,
/// SecurityPolicy}`.
fn sam_domains(cx: &mut Cx<'_, '_>, stack: &Stack<'_>, apis: &mut Apis<'_>) {
    for built in &mut apis.built {
        if !matches!(built.flavor, Flavor::SamRest | Flavor::SamHttp) {
            continue;
        }
        let Some(domain) = built.property(stack, "Domain") else {
            continue;
        };
        if cx.map(&domain).is_none() {
            continue;
        }
        let Some(domain_name) = domain.get("DomainName").and_then(|name| cx.expr(&name)) else {
            continue;
        };
        let stage = built
            .api
            .stages
            .first()
            .map(|stage| stage.name.clone())
            .unwrap_or_default();
        let endpoint_type = domain
            .get("EndpointConfiguration")
            .and_then(|kind| cx.text(&kind))
            .map(|kind| kind.to_ascii_uppercase())
            .or_else(|| (built.api.kind == ApiKind::Http).then(|| "REGIONAL".to_owned()));
        let base_paths: Vec<Option<String>> = match domain.get("BasePath") {
            Some(paths) => cx
                .text_or_list(&paths)
                .into_iter()
                .map(|path| normalize_base_path(&path.value))
                .collect(),
            None => vec![None],
        };
        let template = Domain {
            origin: cx.origin(&domain),
            domain_name,
            certificate_arn: domain.get("CertificateArn").and_then(|arn| cx.expr(&arn)),
            endpoint_type,
            security_policy: domain
                .get("SecurityPolicy")
                .and_then(|policy| cx.text(&policy)),
            mappings: Vec::new(),
            hosted_zone_id: domain
                .get("Route53")
                .and_then(|route53| route53.get("HostedZoneId"))
                .and_then(|zone| cx.expr(&zone)),
        };
        for base_path in base_paths {
            add_mapping(
                &mut built.api.domains,
                template.clone(),
                BasePathMapping {
                    base_path,
                    stage: stage.clone(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_setting_paths_decode_the_tilde_escape() {
        assert_eq!(method_setting_path("/*"), "*");
        assert_eq!(method_setting_path("/~1pets~1{id}"), "/pets/{id}");
        assert_eq!(method_setting_path("/pets"), "/pets");
        assert_eq!(normalize_base_path("(none)"), None);
        assert_eq!(normalize_base_path("/v1"), Some("v1".to_owned()));
    }
}
