//! `APIGW2xx`: authorizers — types, identity sources, TTL bounds, JWT configuration, Lambda authorizer URIs.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
