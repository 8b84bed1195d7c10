//! `APIGW1xx`: integrations — the type against the fields it needs, Lambda URIs and methods,
//! timeouts, VPC links, and the fields that belong to one kind of API only.

use crate::rules::Rule;

mod lambda_method_not_post;

pub use lambda_method_not_post::LambdaMethodNotPost;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[&LambdaMethodNotPost];
