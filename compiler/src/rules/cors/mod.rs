//! `APIGW5xx`: CORS, gateway responses and binary media types.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
