use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

/// Resources per REST API, by default (Service Quotas can raise it).
const RESOURCES_PER_API: usize = 300;

declare_rule! {
    /// A REST API has more than 300 resources, the default quota.
    /// ## Why
    /// API Gateway allows 300 resources per REST API by default ("Resources per API", an
    /// adjustable quota in Service Quotas). Every path segment is a resource: `/pets/{id}/toys`
    /// makes `/pets`, `/pets/{id}` and `/pets/{id}/toys`, plus the root `/`. Importing an API
    /// past the quota fails with `LimitExceededException` unless the quota was raised for the
    /// account first.
    /// ## Fails
    /// ```yaml
    /// paths: {/r1: …, /r2: …, …, /r300: …}   # 300 paths and the root
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths: {/r1: …, /r2: …, …, /r299: …}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
    pub RestResourcesOverQuota { code: "APIGW601", name: "rest-resources-over-quota", severity: Warning }
}

impl Rule for RestResourcesOverQuota {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        // The root resource always exists.
        let mut resources: BTreeSet<&str> = BTreeSet::from([""]);
        let mut first_over = None;
        for route in &api.routes {
            let Some(path) = route.path() else {
                continue;
            };
            let trimmed = path.trim_end_matches('/');
            for (at, c) in trimmed.char_indices().skip(1) {
                if c != '/' {
                    continue;
                }
                if let Some(parent) = trimmed.get(..at) {
                    resources.insert(parent);
                }
            }
            resources.insert(trimmed);
            if first_over.is_none() && resources.len() > RESOURCES_PER_API {
                first_over = Some(route);
            }
        }
        if let Some(route) = first_over {
            out.push(
                Self::META,
                &route.origin,
                format!(
                    "the API has {} resources (paths and their parent segments, with the root); the default quota is {RESOURCES_PER_API} per REST API",
                    resources.len()
                ),
            )
            .help("ask for a higher \"Resources per API\" quota in Service Quotas before deploying, or split the API");
        }
    }
}
