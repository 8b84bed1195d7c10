//! `APIGW6xx`: service quotas — resources, routes, stage names, variables, timeouts, payload sizes.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
