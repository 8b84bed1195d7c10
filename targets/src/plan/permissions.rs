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

use apigw_compiler::ir::{Api, ApiKind, RouteKey};

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
}

impl FunctionPermissions {
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
    for function in &api.functions {
        let routes: Vec<&RouteKey> = api
            .routes
            .iter()
            .filter(|route| {
                route.integration.as_ref().is_some_and(|integration| {
                    integration.function.as_deref() == Some(function.name.as_str())
                        && integration.credentials.is_none()
                })
            })
            .map(|route| &route.key)
            .collect();
        let authorizers: Vec<&str> = api
            .authorizers
            .iter()
            .filter(|authorizer| {
                authorizer.function.as_deref() == Some(function.name.as_str())
                    && authorizer.credentials.is_none()
            })
            .map(|authorizer| authorizer.name.as_str())
            .collect();
        if routes.is_empty() && authorizers.is_empty() {
            continue;
        }
        let authorizer_grants: Vec<Grant> = authorizers
            .iter()
            .map(|name| Grant {
                kind: GrantKind::Authorizer {
                    name: (*name).to_owned(),
                },
                source_arn_suffix: "authorizers/*".to_owned(),
                name_words: vec!["Authorizer".to_owned(), (*name).to_owned()],
            })
            .collect();

        let mut per_route = Vec::new();
        for key in &routes {
            for stage in stages {
                let grant = route_grant(api.kind, key, stage, stages.len() > 1);
                if !per_route
                    .iter()
                    .any(|existing: &Grant| existing.source_arn_suffix == grant.source_arn_suffix)
                {
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
            let mut per_stage: Vec<Grant> = stages
                .iter()
                .map(|stage| Grant {
                    kind: GrantKind::Stage {
                        stage: stage.clone(),
                    },
                    source_arn_suffix: format!("{stage}/*"),
                    name_words: vec!["Stage".to_owned(), stage.clone()],
                })
                .collect();
            per_stage.extend(authorizer_grants.iter().cloned());
            if !routes.is_empty() && estimate(&per_stage) <= budget_bytes {
                (PermissionScope::Stage, per_stage)
            } else {
                (
                    PermissionScope::Api,
                    vec![Grant {
                        kind: GrantKind::Api,
                        source_arn_suffix: "*".to_owned(),
                        name_words: vec!["Api".to_owned()],
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
    }
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
