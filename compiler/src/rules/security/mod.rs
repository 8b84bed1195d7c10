//! `APIGW7xx`: security — authorization, API keys and usage plans, CORS with credentials, resource policies.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
