//! What a DSL document says about deployment, which OpenAPI cannot carry: stages, API keys,
//! usage plans, custom domains, tags and the endpoint. Read straight into IR values.
//!
//! Stage defaults are the secure ones: throttling on, an access log, X-Ray tracing.

use indexmap::IndexMap;

use crate::frontend::expr;
use crate::ir::{
    AccessLog, ApiKey, ApiKind, BasePathMapping, Canary, Domain, EndpointConfiguration, Expr,
    MethodSetting, Origin, Quota, Stage, Tag, Throttling, UsagePlan,
};
use crate::load::tree::{Node, Value};
use crate::pointer::Pointer;
use crate::rules::structure::{InvalidValue, UnresolvedRef};

use super::reader::{suggest, Reader};

pub(crate) const STAGE_FIELDS: &[&str] = &[
    "description",
    "variables",
    "throttle",
    "access_log",
    "logging",
    "tracing",
    "cache",
    "canary",
    "tags",
];

/// Default stage throttling: a cap well under the account's 10,000 requests per second (API
/// Gateway quotas), so one runaway client cannot take the whole account's share.
pub(crate) const DEFAULT_RATE_LIMIT: f64 = 100.0;
pub(crate) const DEFAULT_BURST_LIMIT: i64 = 200;

/// Everything of [`Api`](crate::ir::Api) this module fills.
#[derive(Debug, Default)]
pub(crate) struct Deploy {
    pub stages: Vec<Stage>,
    pub api_keys: Vec<ApiKey>,
    pub usage_plans: Vec<UsagePlan>,
    pub domains: Vec<Domain>,
    pub tags: Vec<Tag>,
    pub endpoint: Option<EndpointConfiguration>,
    /// The base path when no `servers` entry gives one (Swagger 2.0's `basePath`).
    pub base_path: Option<String>,
}

pub(crate) fn read(reader: &mut Reader<'_>, root: &Node, kind: ApiKind) -> Deploy {
    let ptr = Pointer::root();
    let mut deploy = Deploy::default();
    if let Some(node) = root.get("stages") {
        deploy.stages = stages(reader, node, &ptr.join("stages"), kind);
    }
    if let Some(node) = root.get("api_keys") {
        deploy.api_keys = api_keys(reader, node, &ptr.join("api_keys"));
    }
    if let Some(node) = root.get("usage_plans") {
        if kind != ApiKind::Rest {
            reader
                .report(
                    InvalidValue::META,
                    &ptr.join("usage_plans"),
                    "usage plans apply to REST APIs only",
                )
                .help("remove `usage_plans`, or declare `kind: rest`");
        }
        deploy.usage_plans = usage_plans(reader, node, &ptr.join("usage_plans"), &deploy);
    }
    if let Some(node) = root.get("domains") {
        deploy.domains = domains(reader, node, &ptr.join("domains"), &deploy);
    }
    // HTTP APIs carry their tags in the OpenAPI document (`x-amazon-apigateway-tag-value`).
    if let Some(node) = root.get("tags").filter(|_| kind != ApiKind::Http) {
        deploy.tags = tags(reader, node, &ptr.join("tags"));
    }
    if let Some(node) = root.get("endpoint") {
        deploy.endpoint = endpoint(reader, node, &ptr.join("endpoint"));
    }
    if let Some(node) = root.get("base_path") {
        let at = ptr.join("base_path");
        if let Some(path) = reader.string(node, &at) {
            if path.starts_with('/') {
                deploy.base_path = Some(path.to_owned());
            } else {
                reader
                    .report(
                        InvalidValue::META,
                        &at,
                        format!("base path `{path}` does not start with `/`"),
                    )
                    .help(format!("write it `/{path}`"));
            }
        }
    }
    deploy
}

fn entries<'n>(
    reader: &mut Reader<'_>,
    node: &'n Node,
    ptr: &Pointer,
) -> Vec<(&'n str, &'n Node, Pointer)> {
    match reader.map(node, ptr).and_then(Node::as_map) {
        Some(map) => map
            .entries
            .iter()
            .map(|entry| (entry.key.as_str(), &entry.value, ptr.join(&entry.key)))
            .collect(),
        None => Vec::new(),
    }
}

/// A deploy-time value: text with `${Name}` placeholders, or a CloudFormation intrinsic.
fn value(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Option<Expr> {
    match expr::lower(node) {
        Some(value) => Some(value),
        None => {
            reader.wrong_type(node, ptr, "a string");
            None
        }
    }
}

fn stages(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer, kind: ApiKind) -> Vec<Stage> {
    let mut out = Vec::new();
    for (name, value, at) in entries(reader, node, ptr) {
        if reader.map(value, &at).is_none() {
            continue;
        }
        reader.fields(value, &at, &format!("stage `{name}`"), STAGE_FIELDS);
        let mut stage = Stage {
            origin: Origin::new(reader.file, at.clone()),
            name: name.to_owned(),
            description: value
                .get("description")
                .and_then(|node| reader.text(node, &at.join("description"))),
            variables: IndexMap::new(),
            throttling: Some(Throttling {
                burst_limit: Some(DEFAULT_BURST_LIMIT),
                rate_limit: Some(DEFAULT_RATE_LIMIT),
            }),
            method_settings: Vec::new(),
            access_log: Some(AccessLog {
                destination: None,
                format: None,
                retention_days: None,
            }),
            tracing_enabled: (kind == ApiKind::Rest).then_some(true),
            cache_cluster_enabled: None,
            cache_cluster_size: None,
            canary: None,
            tags: Vec::new(),
        };
        if let Some(node) = value.get("variables") {
            for (key, variable, variable_ptr) in entries(reader, node, &at.join("variables")) {
                if let Some(expr) = self::value(reader, variable, &variable_ptr) {
                    stage.variables.insert(key.to_owned(), expr);
                }
            }
        }
        if let Some(node) = value.get("throttle") {
            stage.throttling = throttle(reader, node, &at.join("throttle"));
        }
        if let Some(node) = value.get("access_log") {
            stage.access_log = access_log(reader, node, &at.join("access_log"));
        }
        if let Some(node) = value.get("tracing") {
            if kind != ApiKind::Rest {
                reader
                    .report(
                        InvalidValue::META,
                        &at.join("tracing"),
                        "X-Ray tracing applies to REST API stages only",
                    )
                    .help("remove `tracing`");
            } else {
                stage.tracing_enabled = reader.boolean(node, &at.join("tracing"));
            }
        }
        let mut setting = MethodSetting {
            resource_path: "*".to_owned(),
            http_method: "*".to_owned(),
            throttling: None,
            logging_level: None,
            data_trace_enabled: None,
            metrics_enabled: None,
            caching_enabled: None,
            cache_ttl_seconds: None,
        };
        if let Some(node) = value.get("logging") {
            logging(reader, node, &at.join("logging"), &mut setting);
        }
        if let Some(node) = value.get("cache") {
            let cache_ptr = at.join("cache");
            if kind != ApiKind::Rest {
                reader
                    .report(
                        InvalidValue::META,
                        &cache_ptr,
                        "response caching applies to REST API stages only",
                    )
                    .help("remove `cache`");
            } else if reader.map(node, &cache_ptr).is_some() {
                reader.fields(node, &cache_ptr, "`cache`", &["size", "ttl"]);
                stage.cache_cluster_enabled = Some(true);
                stage.cache_cluster_size = Some(
                    node.get("size")
                        .and_then(|size| reader.text(size, &cache_ptr.join("size")))
                        .unwrap_or_else(|| "0.5".to_owned()),
                );
                setting.caching_enabled = Some(true);
                setting.cache_ttl_seconds = node
                    .get("ttl")
                    .and_then(|ttl| reader.integer(ttl, &cache_ptr.join("ttl")));
            }
        }
        let has_setting = setting.logging_level.is_some()
            || setting.data_trace_enabled.is_some()
            || setting.metrics_enabled.is_some()
            || setting.caching_enabled.is_some();
        if has_setting {
            stage.method_settings.push(setting);
        }
        if let Some(node) = value.get("canary") {
            stage.canary = canary(reader, node, &at.join("canary"));
        }
        if let Some(node) = value.get("tags") {
            stage.tags = tags(reader, node, &at.join("tags"));
        }
        out.push(stage);
    }
    out
}

fn throttle(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Option<Throttling> {
    if node.as_bool() == Some(false) || node.as_str() == Some("off") {
        return None;
    }
    reader.map(node, ptr)?;
    reader.fields(node, ptr, "`throttle`", &["rate", "burst"]);
    Some(Throttling {
        burst_limit: node
            .get("burst")
            .and_then(|burst| reader.integer(burst, &ptr.join("burst"))),
        rate_limit: node
            .get("rate")
            .and_then(|rate| reader.number(rate, &ptr.join("rate"))),
    })
}

fn access_log(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Option<AccessLog> {
    if node.as_bool() == Some(false) || node.as_str() == Some("off") {
        return None;
    }
    reader.map(node, ptr)?;
    reader.fields(
        node,
        ptr,
        "`access_log`",
        &["destination", "format", "retention"],
    );
    Some(AccessLog {
        destination: node
            .get("destination")
            .and_then(|destination| value(reader, destination, &ptr.join("destination"))),
        format: node
            .get("format")
            .and_then(|format| reader.text(format, &ptr.join("format"))),
        retention_days: node
            .get("retention")
            .and_then(|retention| reader.integer(retention, &ptr.join("retention"))),
    })
}

fn logging(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer, setting: &mut MethodSetting) {
    const LEVELS: &[&str] = &["OFF", "ERROR", "INFO"];
    if let Value::String(_) = node.value {
        setting.logging_level = reader.choice(node, ptr, LEVELS).map(str::to_owned);
        return;
    }
    if reader.map(node, ptr).is_none() {
        return;
    }
    reader.fields(node, ptr, "`logging`", &["level", "data_trace", "metrics"]);
    if let Some(level) = node.get("level") {
        setting.logging_level = reader
            .choice(level, &ptr.join("level"), LEVELS)
            .map(str::to_owned);
    }
    setting.data_trace_enabled = node
        .get("data_trace")
        .and_then(|value| reader.boolean(value, &ptr.join("data_trace")));
    setting.metrics_enabled = node
        .get("metrics")
        .and_then(|value| reader.boolean(value, &ptr.join("metrics")));
}

fn canary(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Option<Canary> {
    reader.map(node, ptr)?;
    reader.fields(
        node,
        ptr,
        "`canary`",
        &["percent", "variables", "use_stage_cache"],
    );
    let Some(percent) = node.get("percent") else {
        reader
            .missing(ptr, "percent", "`canary`")
            .help("give the share of traffic the canary takes, e.g. `percent: 10`");
        return None;
    };
    let percent = reader.number(percent, &ptr.join("percent"))?;
    if !(0.0..=100.0).contains(&percent) {
        reader
            .report(
                InvalidValue::META,
                &ptr.join("percent"),
                format!("canary traffic {percent}% is outside 0–100%"),
            )
            .help("give a percentage from 0 to 100");
        return None;
    }
    let mut variables = IndexMap::new();
    if let Some(list) = node.get("variables") {
        for (key, variable, variable_ptr) in entries(reader, list, &ptr.join("variables")) {
            if let Some(expr) = value(reader, variable, &variable_ptr) {
                variables.insert(key.to_owned(), expr);
            }
        }
    }
    Some(Canary {
        percent_traffic: percent,
        variables,
        use_stage_cache: node
            .get("use_stage_cache")
            .and_then(|value| reader.boolean(value, &ptr.join("use_stage_cache"))),
    })
}

fn api_keys(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Vec<ApiKey> {
    let mut out = Vec::new();
    // A list of names is the short form.
    if let Some(items) = node.as_seq() {
        for (index, item) in items.iter().enumerate() {
            let at = ptr.index(index);
            if let Some(name) = reader.string(item, &at) {
                out.push(ApiKey {
                    origin: Origin::new(reader.file, at),
                    name: name.to_owned(),
                    description: None,
                    enabled: true,
                    value: None,
                });
            }
        }
        return out;
    }
    for (name, value, at) in entries(reader, node, ptr) {
        if reader.map(value, &at).is_none() {
            continue;
        }
        reader.fields(
            value,
            &at,
            &format!("API key `{name}`"),
            &["description", "enabled", "value"],
        );
        out.push(ApiKey {
            origin: Origin::new(reader.file, at.clone()),
            name: name.to_owned(),
            description: value
                .get("description")
                .and_then(|node| reader.text(node, &at.join("description"))),
            enabled: value
                .get("enabled")
                .and_then(|node| reader.boolean(node, &at.join("enabled")))
                .unwrap_or(true),
            value: value
                .get("value")
                .and_then(|node| self::value(reader, node, &at.join("value"))),
        });
    }
    out
}

fn usage_plans(
    reader: &mut Reader<'_>,
    node: &Node,
    ptr: &Pointer,
    deploy: &Deploy,
) -> Vec<UsagePlan> {
    let mut out = Vec::new();
    for (name, value, at) in entries(reader, node, ptr) {
        if reader.map(value, &at).is_none() {
            continue;
        }
        reader.fields(
            value,
            &at,
            &format!("usage plan `{name}`"),
            &["description", "stages", "throttle", "quota", "api_keys"],
        );
        let stages = value
            .get("stages")
            .map(|node| {
                let names = reader.strings(node, &at.join("stages"));
                let known: Vec<&str> = deploy.stages.iter().map(|s| s.name.as_str()).collect();
                check_names(
                    reader,
                    &names,
                    &known,
                    &at.join("stages"),
                    "stage",
                    "stages",
                );
                names
            })
            .unwrap_or_default();
        let api_keys = value
            .get("api_keys")
            .map(|node| {
                let names = reader.strings(node, &at.join("api_keys"));
                let known: Vec<&str> = deploy.api_keys.iter().map(|k| k.name.as_str()).collect();
                check_names(
                    reader,
                    &names,
                    &known,
                    &at.join("api_keys"),
                    "API key",
                    "api_keys",
                );
                names
            })
            .unwrap_or_default();
        let quota = value.get("quota").and_then(|node| {
            let quota_ptr = at.join("quota");
            reader.map(node, &quota_ptr)?;
            reader.fields(node, &quota_ptr, "`quota`", &["limit", "period", "offset"]);
            let Some(limit) = node.get("limit") else {
                reader.missing(&quota_ptr, "limit", "`quota`");
                return None;
            };
            let limit = reader.integer(limit, &quota_ptr.join("limit"))?;
            let Some(period) = node.get("period") else {
                reader
                    .missing(&quota_ptr, "period", "`quota`")
                    .help("set `period` to DAY, WEEK or MONTH");
                return None;
            };
            let period =
                reader.choice(period, &quota_ptr.join("period"), &["DAY", "WEEK", "MONTH"])?;
            Some(Quota {
                limit,
                period: period.to_owned(),
                offset: node
                    .get("offset")
                    .and_then(|offset| reader.integer(offset, &quota_ptr.join("offset"))),
            })
        });
        out.push(UsagePlan {
            origin: Origin::new(reader.file, at.clone()),
            name: name.to_owned(),
            description: value
                .get("description")
                .and_then(|node| reader.text(node, &at.join("description"))),
            stages,
            throttling: value
                .get("throttle")
                .and_then(|node| throttle(reader, node, &at.join("throttle"))),
            quota,
            api_keys,
        });
    }
    out
}

/// Reports names that are not among `known` (declared under the root `section`).
fn check_names(
    reader: &mut Reader<'_>,
    names: &[String],
    known: &[&str],
    ptr: &Pointer,
    what: &str,
    section: &str,
) {
    for (index, name) in names.iter().enumerate() {
        if known.contains(&name.as_str()) {
            continue;
        }
        let at = if names.len() == 1 {
            ptr.clone()
        } else {
            ptr.index(index)
        };
        let near = suggest(name, known.iter().copied()).map(str::to_owned);
        let pending = reader.report(
            UnresolvedRef::META,
            &at,
            format!("{what} `{name}` is not declared under `{section}`"),
        );
        match near {
            Some(near) => pending.help(format!("did you mean `{near}`?")),
            None => pending.help(format!("declare it under `{section}`")),
        };
    }
}

fn domains(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer, deploy: &Deploy) -> Vec<Domain> {
    let mut out = Vec::new();
    for (name, value, at) in entries(reader, node, ptr) {
        if reader.map(value, &at).is_none() {
            continue;
        }
        reader.fields(
            value,
            &at,
            &format!("domain `{name}`"),
            &[
                "certificate",
                "endpoint",
                "security_policy",
                "zone",
                "mappings",
            ],
        );
        let mut mappings = Vec::new();
        if let Some(node) = value.get("mappings") {
            let known: Vec<&str> = deploy.stages.iter().map(|s| s.name.as_str()).collect();
            for (base_path, stage, mapping_ptr) in entries(reader, node, &at.join("mappings")) {
                let Some(stage) = reader.string(stage, &mapping_ptr) else {
                    continue;
                };
                check_names(
                    reader,
                    &[stage.to_owned()],
                    &known,
                    &mapping_ptr,
                    "stage",
                    "stages",
                );
                let trimmed = base_path.trim_matches('/');
                mappings.push(BasePathMapping {
                    base_path: (!trimmed.is_empty()).then(|| trimmed.to_owned()),
                    stage: stage.to_owned(),
                });
            }
        }
        out.push(Domain {
            origin: Origin::new(reader.file, at.clone()),
            domain_name: expr::from_plain_string(name),
            certificate_arn: value
                .get("certificate")
                .and_then(|node| self::value(reader, node, &at.join("certificate"))),
            endpoint_type: value
                .get("endpoint")
                .and_then(|node| reader.choice(node, &at.join("endpoint"), &["REGIONAL", "EDGE"]))
                .map(str::to_owned),
            security_policy: value
                .get("security_policy")
                .and_then(|node| {
                    reader.choice(node, &at.join("security_policy"), &["TLS_1_0", "TLS_1_2"])
                })
                .map(str::to_owned),
            mappings,
            hosted_zone_id: value
                .get("zone")
                .and_then(|node| self::value(reader, node, &at.join("zone"))),
        });
    }
    out
}

fn tags(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Vec<Tag> {
    let mut out = Vec::new();
    for (key, tag, at) in entries(reader, node, ptr) {
        if let Some(value) = value(reader, tag, &at) {
            out.push(Tag {
                key: key.to_owned(),
                value,
            });
        }
    }
    out
}

fn endpoint(reader: &mut Reader<'_>, node: &Node, ptr: &Pointer) -> Option<EndpointConfiguration> {
    const TYPES: &[&str] = &["REGIONAL", "EDGE", "PRIVATE"];
    let origin = Origin::new(reader.file, ptr.clone());
    if let Value::String(_) = node.value {
        let kind = reader.choice(node, ptr, TYPES)?;
        return Some(EndpointConfiguration {
            origin,
            types: vec![kind.to_owned()],
            disable_execute_api_endpoint: None,
            vpc_endpoint_ids: Vec::new(),
            ip_address_type: None,
        });
    }
    reader.map(node, ptr)?;
    reader.fields(
        node,
        ptr,
        "`endpoint`",
        &["type", "vpc_endpoints", "disable_execute_api_endpoint"],
    );
    let types = match node.get("type") {
        Some(kind) => reader
            .choice(kind, &ptr.join("type"), TYPES)
            .map(|kind| vec![kind.to_owned()])
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut vpc_endpoint_ids = Vec::new();
    if let Some(list) = node.get("vpc_endpoints") {
        let list_ptr = ptr.join("vpc_endpoints");
        match list.as_seq() {
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    if let Some(expr) = value(reader, item, &list_ptr.index(index)) {
                        vpc_endpoint_ids.push(expr);
                    }
                }
            }
            None => reader.wrong_type(list, &list_ptr, "a list"),
        }
    }
    Some(EndpointConfiguration {
        origin,
        types,
        disable_execute_api_endpoint: node
            .get("disable_execute_api_endpoint")
            .and_then(|value| reader.boolean(value, &ptr.join("disable_execute_api_endpoint"))),
        vpc_endpoint_ids,
        ip_address_type: None,
    })
}
