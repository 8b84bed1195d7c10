//! The rule registry. Every diagnostic apigw can give has a rule here: a stable code, a
//! kebab-case name, a default severity and documentation taken from the declaration's doc
//! comment (rustdoc, `apigw explain` and `docs/rules/CODE.md` all show that one text).
//!
//! Codes are grouped by area and never reused:
//! `APIGW0xx` loading and structure, `1xx` integrations, `2xx` authorizers, `3xx` paths and
//! routes, `4xx` models and validation, `5xx` CORS and gateway responses, `6xx` quotas,
//! `7xx` security, `8xx` likely bugs.

use crate::diagnostic::{Report, Severity};
use crate::ir::Api;

pub mod structure;

/// What the registry knows of a rule.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The doc comment: a one-line summary, then `## Why`, `## Fails`, `## Passes`, `## See`.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The first line of the docs.
    pub fn summary(&self) -> &'static str {
        self.docs
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default()
    }
}

/// A check over the lowered IR.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, api: &Api, out: &mut Report);
}

/// Declares a rule: a unit struct carrying its [`RuleMeta`] in `META`, documented by the doc
/// comment written above it.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $ident:ident { code: $code:literal, name: $name:literal, severity: $severity:ident $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $ident;

        impl $ident {
            pub const META: &'static $crate::rules::RuleMeta = &$crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::diagnostic::Severity::$severity,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// Every rule, in code order.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = structure::ALL.to_vec();
    rules.extend(checks().iter().map(|rule| rule.meta()));
    rules.sort_by_key(|rule| rule.code);
    rules
}

/// The rule with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all()
        .into_iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// The IR checks, run on every lowered API.
pub fn checks() -> &'static [&'static dyn Rule] {
    &[]
}

/// Runs every IR check on `api`.
pub fn check(api: &Api, out: &mut Report) {
    for rule in checks() {
        rule.check(api, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_names_kebab_case() {
        let rules = all();
        assert!(!rules.is_empty());
        for pair in rules.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} / {}",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<&str> = rules.iter().map(|rule| rule.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), rules.len(), "rule names must be unique");
        for rule in &rules {
            assert!(
                rule.code.starts_with("APIGW") && rule.code.len() == 8,
                "{}",
                rule.code
            );
            assert!(
                rule.name.split('-').all(|word| !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{} is not kebab-case",
                rule.name
            );
            for prefix in ["no-", "avoid-", "use-", "prefer-"] {
                assert!(
                    !rule.name.starts_with(prefix),
                    "{}: names state the problem",
                    rule.name
                );
            }
            assert!(!rule.summary().is_empty(), "{} has no summary", rule.code);
        }
    }
}
