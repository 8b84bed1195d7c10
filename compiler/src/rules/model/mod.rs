//! `APIGW4xx`: models, request validation and mapping templates.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
