//! `APIGW8xx`: likely bugs — unused definitions, settings that cannot take effect.

use crate::rules::Rule;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[];
