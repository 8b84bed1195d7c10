//! Lambda permissions: which `lambda:InvokeFunction` grants API Gateway needs, per function.
//!
//! Every Lambda integration and Lambda authorizer needs a resource-policy statement allowing
//! `apigateway.amazonaws.com`, scoped by `SourceArn`. The narrowest scope is one statement per
//! route and stage; but a function's resource policy is capped at 20,480 bytes (Lambda quotas,
//! "Function resource-based policy: 20 KB"), and a function behind many routes outgrows it, at
//! which point the deployment fails. So the plan estimates each function's policy size and widens
//! the scope only as far as needed: per route and stage, then per stage, then the whole API. It
//! never goes wider than the API.
//!
//! Integrations and authorizers that name `credentials` (an IAM role API Gateway assumes) need
//! no resource policy and get no grant.
//!
//! A function whose ARN names API Gateway's `${stageVariables.x}` (an alias chosen per stage:
//! `…:function:orders:${stageVariables.alias}`) is a different function on every stage, and
//! API Gateway cannot grant itself permission on a function only a stage variable names ("Set
//! up stage variables for a Lambda integration": the user grants each alias). So it is granted
//! per stage, on the function the stage's own value names, on each deployed stage that defines
//! the variables; on the others it gets no grant and the plan says which (a warning).

use std::collections::{HashMap, HashSet};

use apigw_compiler::ir::{Api, ApiKind, Expr, FunctionBinding, RouteKey, Stage, TemplatePart};

use crate::Warning;

/// The policy size Lambda accepts for one function (Lambda quotas: 20 KB).
pub const LAMBDA_POLICY_LIMIT_BYTES: usize = 20_480;

/// What the plan aims to stay under by default: the limit less room for statements that other
/// stacks or people add to the same function.
pub const DEFAULT_POLICY_BUDGET_BYTES: usize = LAMBDA_POLICY_LIMIT_BYTES - 4_096;

/// How wide a function's grants are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionScope {
    /// One grant per route and stage: `api-id/prod/GET/pets/*`.
    Route,
    /// One grant per stage: `api-id/prod/*`.
    Stage,
    /// One grant for the whole API: `api-id/*`.
    Api,
}

impl PermissionScope {
    pub fn as_str(&self) -> &'static str {
        match self {
            PermissionScope::Route => "per route",
            PermissionScope::Stage => "per stage",
            PermissionScope::Api => "API-wide",
        }
    }
}

/// What one grant lets invoke the function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantKind {
    /// A route on one stage.
    Route { key: RouteKey, stage: String },
    /// An authorizer (its source ARN is `api-id/authorizers/<authorizer id>`; the id is only
    /// known to the target, so [`Grant::source_arn_suffix`] holds `authorizers/*`).
    Authorizer { name: String },
    /// Every route of one stage.
    Stage { stage: String },
    /// Everything in the API.
    Api,
}

/// One `lambda:InvokeFunction` grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub kind: GrantKind,
    /// The part of the source ARN after `arn:<partition>:execute-api:<region>:<account>:<api id>/`.
    pub source_arn_suffix: String,
    /// Words naming the grant (`["Get", "Pets", "Id", "Prod"]`), for resource names.
    pub name_words: Vec<String>,
    /// For a function chosen by stage variables: the stage whose values name the function this
    /// grant is on (see [`arn_on_stage`]).
    pub function_stage: Option<String>,
}

/// The grants for one function, and why this scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionPermissions {
    /// The function's logical name in [`Api::functions`].
    pub function: String,
    pub scope: PermissionScope,
    pub grants: Vec<Grant>,
    /// The estimated size of the function's resource policy with these grants.
    pub estimated_bytes: usize,
    /// The estimated size had every route been granted on its own.
    pub per_route_bytes: usize,
    /// The number of routes and authorizers that invoke the function.
    pub uses: usize,
    /// The stage variables the function's ARN names (`fulfilmentAlias`), in order.
    pub stage_variables: Vec<String>,
    /// Deployed stages that do not define all of them, on which the function gets no grant.
    pub unresolved_stages: Vec<String>,
}

impl FunctionPermissions {
    /// What the user must grant by hand: the function is chosen by a stage variable that some
    /// deployed stages do not define.
    pub fn unresolved_warning(&self, function_arn: &str) -> Option<Warning> {
        let stages = self.unresolved_stages.as_slice();
        if stages.is_empty() {
            return None;
        }
        let quoted = |names: &[String]| {
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let variables = quoted(&self.stage_variables);
        Some(Warning::with_help(
            format!(
                "Lambda function `{}` (`{function_arn}`) is chosen by stage variable {variables}, which stage {} does not define: no permission for API Gateway to invoke it is written for {}",
                self.function,
                quoted(stages),
                if stages.len() == 1 { "that stage" } else { "those stages" },
            ),
            format!(
                "API Gateway cannot grant itself permission on a function a stage variable chooses: define {variables} on the stage, or grant each alias yourself (`aws lambda add-permission --function-name <function ARN with the alias> --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn arn:aws:execute-api:<region>:<account>:<api id>/<stage>/*`)"
            ),
        ))
    }

    /// One line for the user: which scope, and why.
    pub fn describe(&self) -> String {
        match self.scope {
            PermissionScope::Route => format!(
                "Lambda permissions for `{}`: per route ({} grants, about {} of {} policy bytes)",
                self.function,
                self.grants.len(),
                self.estimated_bytes,
                LAMBDA_POLICY_LIMIT_BYTES
            ),
            scope => format!(
                "Lambda permissions for `{}`: {} ({} grants) because per-route grants for its {} uses would need about {} bytes of its {}-byte resource policy",
                self.function,
                scope.as_str(),
                self.grants.len(),
                self.uses,
                self.per_route_bytes,
                LAMBDA_POLICY_LIMIT_BYTES
            ),
        }
    }
}

/// Estimated bytes of one statement before its source ARN suffix: the JSON skeleton (~150),
/// the statement id CloudFormation derives from the stack and resource names (~100), the
/// function ARN (~140 with a long name and alias), and `arn:aws:execute-api:<region>:<account>:
/// <api id>/` (~60).
const STATEMENT_BYTES: usize = 450;
/// `{"Version":"2012-10-17","Id":"default","Statement":[]}`.
const POLICY_ENVELOPE_BYTES: usize = 60;

/// Plans the grants of every function `api` invokes, on `stages` (the stage names the target
/// deploys), keeping each function's policy under `budget_bytes`.
pub fn plan_permissions(
    api: &Api,
    stages: &[String],
    budget_bytes: usize,
) -> Vec<FunctionPermissions> {
    let mut plans = Vec::new();
    // Each function's routes and authorizers, found in one pass (an API of thousands of routes
    // and hundreds of functions would otherwise scan every route once per function). The maps
    // are looked up only; the plan follows the functions' order.
    let mut routes_of: HashMap<&str, Vec<&RouteKey>> = HashMap::new();
    for route in &api.routes {
        if let Some(integration) = &route.integration {
            if let (Some(function), None) = (&integration.function, &integration.credentials) {
                routes_of
                    .entry(function.as_str())
                    .or_default()
                    .push(&route.key);
            }
        }
    }
    let mut authorizers_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for authorizer in &api.authorizers {
        if let (Some(function), None) = (&authorizer.function, &authorizer.credentials) {
            authorizers_of
                .entry(function.as_str())
                .or_default()
                .push(authorizer.name.as_str());
        }
    }
    for function in &api.functions {
        let routes: Vec<&RouteKey> = routes_of
            .get(function.name.as_str())
            .cloned()
            .unwrap_or_default();
        let authorizers: Vec<&str> = authorizers_of
            .get(function.name.as_str())
            .cloned()
            .unwrap_or_default();
        if routes.is_empty() && authorizers.is_empty() {
            continue;
        }
        let variables = stage_variables_in(&function.binding);
        // A function chosen by stage variables is granted on the stages that define them, each
        // grant on the function that stage's values name.
        let (granted, unresolved): (Vec<String>, Vec<String>) = if variables.is_empty() {
            (stages.to_vec(), Vec::new())
        } else {
            stages.iter().cloned().partition(|name| {
                api.stages.iter().any(|stage| {
                    stage.name == *name
                        && variables
                            .iter()
                            .all(|variable| stage.variables.contains_key(variable))
                })
            })
        };
        let per_stage_function = !variables.is_empty();
        let function_stage = |stage: &str| per_stage_function.then(|| stage.to_owned());
        // An authorizer's source ARN names no stage; a per-stage function needs one grant per
        // stage all the same.
        let authorizer_stages: Vec<Option<&String>> = if per_stage_function {
            granted.iter().map(Some).collect()
        } else {
            vec![None]
        };
        let mut authorizer_grants: Vec<Grant> = Vec::new();
        for name in &authorizers {
            for stage in &authorizer_stages {
                let mut name_words = vec!["Authorizer".to_owned(), (*name).to_owned()];
                name_words.extend(stage.map(|stage| (*stage).clone()));
                authorizer_grants.push(Grant {
                    kind: GrantKind::Authorizer {
                        name: (*name).to_owned(),
                    },
                    source_arn_suffix: "authorizers/*".to_owned(),
                    name_words,
                    function_stage: stage.map(|stage| (*stage).clone()),
                });
            }
        }

        let mut per_route = Vec::new();
        let mut suffixes: HashSet<String> = HashSet::new();
        for key in &routes {
            for stage in &granted {
                let mut grant = route_grant(api.kind, key, stage, stages.len() > 1);
                grant.function_stage = function_stage(stage);
                if suffixes.insert(grant.source_arn_suffix.clone()) {
                    per_route.push(grant);
                }
            }
        }
        per_route.extend(authorizer_grants.iter().cloned());
        let per_route_bytes = estimate(&per_route);
        let uses = routes.len() + authorizers.len();

        let (scope, grants) = if per_route_bytes <= budget_bytes {
            (PermissionScope::Route, per_route)
        } else {
            let mut per_stage: Vec<Grant> = granted
                .iter()
                .map(|stage| Grant {
                    kind: GrantKind::Stage {
                        stage: stage.clone(),
                    },
                    source_arn_suffix: format!("{stage}/*"),
                    name_words: vec!["Stage".to_owned(), stage.clone()],
                    function_stage: function_stage(stage),
                })
                .collect();
            per_stage.extend(authorizer_grants.iter().cloned());
            if !routes.is_empty() && estimate(&per_stage) <= budget_bytes {
                (PermissionScope::Stage, per_stage)
            } else if per_stage_function {
                // One function per stage: the whole API, on each stage's function.
                let grants = granted
                    .iter()
                    .map(|stage| Grant {
                        kind: GrantKind::Api,
                        source_arn_suffix: "*".to_owned(),
                        name_words: vec!["Api".to_owned(), stage.clone()],
                        function_stage: function_stage(stage),
                    })
                    .collect();
                (PermissionScope::Api, grants)
            } else {
                (
                    PermissionScope::Api,
                    vec![Grant {
                        kind: GrantKind::Api,
                        source_arn_suffix: "*".to_owned(),
                        name_words: vec!["Api".to_owned()],
                        function_stage: None,
                    }],
                )
            }
        };
        plans.push(FunctionPermissions {
            function: function.name.clone(),
            scope,
            estimated_bytes: estimate(&grants),
            per_route_bytes,
            uses,
            grants,
            stage_variables: variables,
            unresolved_stages: unresolved,
        });
    }
    plans
}

fn estimate(grants: &[Grant]) -> usize {
    POLICY_ENVELOPE_BYTES
        + grants
            .iter()
            .map(|grant| STATEMENT_BYTES + grant.source_arn_suffix.len())
            .sum::<usize>()
}

/// The grant of one route on one stage. A path parameter matches any one segment in the
/// source ARN (`/pets/{id}` → `pets/*`), a greedy one any rest (`{proxy+}` → `*`).
fn route_grant(kind: ApiKind, key: &RouteKey, stage: &str, name_stage: bool) -> Grant {
    let mut words = Vec::new();
    let suffix = match key {
        RouteKey::Http { method, path } => {
            let method_text = match method {
                apigw_compiler::ir::HttpMethod::Any => "*",
                other => other.as_str(),
            };
            words.push(title_case(method.as_str()));
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            if segments.is_empty() {
                words.push("Root".to_owned());
            }
            let arn_path: Vec<String> = segments
                .iter()
                .map(|segment| {
                    words.push(segment.to_owned().to_owned());
                    if segment.starts_with('{') && segment.ends_with('}') {
                        "*".to_owned()
                    } else {
                        (*segment).to_owned()
                    }
                })
                .collect();
            format!("{stage}/{method_text}/{}", arn_path.join("/"))
        }
        RouteKey::Default => {
            words.push("Default".to_owned());
            match kind {
                ApiKind::Websocket => format!("{stage}/$default"),
                _ => format!("{stage}/$default"),
            }
        }
        RouteKey::Websocket { key } => {
            words.push(key.clone());
            format!("{stage}/{key}")
        }
    };
    if name_stage {
        words.push(stage.to_owned());
    }
    Grant {
        kind: GrantKind::Route {
            key: key.clone(),
            stage: stage.to_owned(),
        },
        source_arn_suffix: suffix,
        name_words: words,
        function_stage: None,
    }
}

/// The text of a function's ARN when it is text (a literal, or text with deploy-time parts).
fn arn_parts(binding: &FunctionBinding) -> Option<Vec<TemplatePart>> {
    match binding {
        FunctionBinding::Arn { arn } => Some(vec![TemplatePart::Text { value: arn.clone() }]),
        FunctionBinding::Expr {
            value: Expr::Literal { value },
        } => Some(vec![TemplatePart::Text {
            value: value.clone(),
        }]),
        FunctionBinding::Expr {
            value: Expr::Template { parts },
        } => Some(parts.clone()),
        _ => None,
    }
}

/// A function's ARN as the user wrote it, for messages.
pub fn function_arn_text(binding: &FunctionBinding) -> String {
    match binding {
        FunctionBinding::Arn { arn } => arn.clone(),
        FunctionBinding::Parameter { name } => format!("${{{name}}}"),
        FunctionBinding::StackResource { logical_id } => format!("${{{logical_id}.Arn}}"),
        FunctionBinding::Expr { value } => value.display_text(),
    }
}

const STAGE_VARIABLE: &str = "${stageVariables.";

/// Splits `text` at API Gateway's `${stageVariables.name}`: the text before, the name, the rest.
fn next_stage_variable(text: &str) -> Option<(&str, &str, &str)> {
    let start = text.find(STAGE_VARIABLE)?;
    let before = text.get(..start)?;
    let after = text.get(start + STAGE_VARIABLE.len()..)?;
    let end = after.find('}')?;
    Some((before, after.get(..end)?, after.get(end + 1..)?))
}

/// The stage variables a function's ARN names, in order, once each.
pub fn stage_variables_in(binding: &FunctionBinding) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for part in arn_parts(binding).unwrap_or_default() {
        let TemplatePart::Text { value } = part else {
            continue;
        };
        let mut rest = value.as_str();
        while let Some((_, name, after)) = next_stage_variable(rest) {
            if !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
            rest = after;
        }
    }
    names
}

/// The function's ARN on `stage`: its `${stageVariables.x}` replaced with the stage's values.
/// `None` when the ARN is no text or the stage lacks one of the variables.
pub fn arn_on_stage(binding: &FunctionBinding, stage: &Stage) -> Option<Expr> {
    let mut out: Vec<TemplatePart> = Vec::new();
    let push_text = |out: &mut Vec<TemplatePart>, text: &str| {
        if text.is_empty() {
            return;
        }
        if let Some(TemplatePart::Text { value }) = out.last_mut() {
            value.push_str(text);
        } else {
            out.push(TemplatePart::Text {
                value: text.to_owned(),
            });
        }
    };
    for part in arn_parts(binding)? {
        let TemplatePart::Text { value } = part else {
            out.push(part);
            continue;
        };
        let mut rest = value.as_str();
        while let Some((before, name, after)) = next_stage_variable(rest) {
            push_text(&mut out, before);
            match stage.variables.get(name)? {
                Expr::Literal { value } => push_text(&mut out, value),
                Expr::Ref { name } => out.push(TemplatePart::Ref { name: name.clone() }),
                Expr::GetAtt {
                    resource,
                    attribute,
                } => out.push(TemplatePart::GetAtt {
                    resource: resource.clone(),
                    attribute: attribute.clone(),
                }),
                Expr::Template { parts } => {
                    for part in parts {
                        match part {
                            TemplatePart::Text { value } => push_text(&mut out, value),
                            other => out.push(other.clone()),
                        }
                    }
                }
                value @ Expr::Intrinsic { .. } => out.push(TemplatePart::Bound {
                    name: name.to_owned(),
                    value: Box::new(value.clone()),
                }),
            }
            rest = after;
        }
        push_text(&mut out, rest);
    }
    Some(match out.as_slice() {
        [] => Expr::literal(""),
        [TemplatePart::Text { value }] => Expr::literal(value.clone()),
        _ => Expr::Template { parts: out },
    })
}

fn title_case(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apigw_compiler::ir::{
        Function, FunctionBinding, HttpMethod, Integration, IntegrationType, Origin, Route,
    };

    fn api_with_routes(count: usize) -> Api {
        let mut api = Api::new(ApiKind::Rest, Origin::default(), "shop");
        api.functions.push(Function {
            origin: Origin::default(),
            name: "orders".into(),
            binding: FunctionBinding::Parameter {
                name: "OrdersArn".into(),
            },
            local: None,
            timeout_seconds: None,
        });
        for index in 0..count {
            let mut route = Route::new(
                Origin::default(),
                RouteKey::Http {
                    method: HttpMethod::Get,
                    path: format!("/orders{index}/{{orderId}}"),
                },
            );
            let mut integration =
                Integration::new(Origin::default(), Some(IntegrationType::AwsProxy));
            integration.function = Some("orders".into());
            route.integration = Some(integration);
            api.routes.push(route);
        }
        api
    }

    #[test]
    fn few_routes_are_granted_one_by_one() {
        let plans = plan_permissions(
            &api_with_routes(3),
            &["prod".to_owned()],
            DEFAULT_POLICY_BUDGET_BYTES,
        );
        let plan = &plans[0];
        assert_eq!(plan.scope, PermissionScope::Route);
        assert_eq!(plan.grants.len(), 3);
        assert_eq!(plan.grants[0].source_arn_suffix, "prod/GET/orders0/*");
    }

    #[test]
    fn many_routes_widen_to_the_stage_then_the_api() {
        let stages = ["prod".to_owned()];
        let plans = plan_permissions(&api_with_routes(200), &stages, DEFAULT_POLICY_BUDGET_BYTES);
        assert_eq!(plans[0].scope, PermissionScope::Stage);
        assert_eq!(plans[0].grants[0].source_arn_suffix, "prod/*");
        assert!(plans[0].per_route_bytes > LAMBDA_POLICY_LIMIT_BYTES);
        assert!(plans[0].describe().contains("per stage"));

        let plans = plan_permissions(&api_with_routes(200), &stages, 400);
        assert_eq!(plans[0].scope, PermissionScope::Api);
        assert_eq!(plans[0].grants[0].source_arn_suffix, "*");
    }

    fn api_with_alias_function(stage_variables: &[(&str, &[(&str, &str)])]) -> Api {
        let mut api = api_with_routes(1);
        api.functions[0].binding = FunctionBinding::Arn {
            arn: "arn:aws:lambda:eu-west-1:123456789012:function:orders:${stageVariables.alias}"
                .into(),
        };
        for (name, variables) in stage_variables {
            let mut stage = apigw_compiler::ir::Stage {
                origin: Origin::default(),
                name: (*name).to_owned(),
                description: None,
                variables: Default::default(),
                throttling: None,
                method_settings: Vec::new(),
                access_log: None,
                tracing_enabled: None,
                cache_cluster_enabled: None,
                cache_cluster_size: None,
                canary: None,
                tags: Vec::new(),
            };
            for (key, value) in *variables {
                stage
                    .variables
                    .insert((*key).to_owned(), Expr::literal(*value));
            }
            api.stages.push(stage);
        }
        api
    }

    #[test]
    fn a_function_chosen_by_a_stage_variable_is_granted_per_stage_on_its_alias() {
        let api = api_with_alias_function(&[("test", &[("alias", "beta")]), ("live", &[])]);
        let stages = ["test".to_owned(), "live".to_owned()];
        let plans = plan_permissions(&api, &stages, DEFAULT_POLICY_BUDGET_BYTES);
        let plan = &plans[0];
        assert_eq!(plan.stage_variables, ["alias"]);
        assert_eq!(plan.unresolved_stages, ["live"]);
        assert_eq!(plan.grants.len(), 1);
        assert_eq!(plan.grants[0].function_stage.as_deref(), Some("test"));
        assert_eq!(plan.grants[0].source_arn_suffix, "test/GET/orders0/*");
        let arn = arn_on_stage(&api.functions[0].binding, &api.stages[0]);
        assert_eq!(
            arn,
            Some(Expr::literal(
                "arn:aws:lambda:eu-west-1:123456789012:function:orders:beta"
            ))
        );
        assert_eq!(
            arn_on_stage(&api.functions[0].binding, &api.stages[1]),
            None
        );
        let warning = plan.unresolved_warning("arn").unwrap();
        assert!(
            warning.message.contains("stage `live`"),
            "{}",
            warning.message
        );
        assert!(warning.help.unwrap().contains("add-permission"));
    }

    #[test]
    fn a_stage_variable_no_stage_defines_means_no_grant_and_a_warning() {
        let api = api_with_alias_function(&[]);
        let plans = plan_permissions(&api, &["prod".to_owned()], DEFAULT_POLICY_BUDGET_BYTES);
        assert!(plans[0].grants.is_empty());
        assert_eq!(plans[0].unresolved_stages, ["prod"]);
        assert!(plans[0].unresolved_warning("arn").is_some());
    }

    #[test]
    fn credentials_mean_no_grant() {
        let mut api = api_with_routes(1);
        if let Some(integration) = api.routes[0].integration.as_mut() {
            integration.credentials = Some(apigw_compiler::ir::Spanned::new(
                apigw_compiler::ir::Expr::literal("arn:aws:iam::1:role/x"),
                Origin::default(),
            ));
        }
        assert!(plan_permissions(&api, &["prod".to_owned()], 20_000).is_empty());
    }
}
