//! `APIGW3xx`: paths and routes — greedy segments, path parameters, duplicate and conflicting routes, route keys.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
