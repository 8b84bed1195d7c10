//! The rule registry. Every diagnostic apigw can give has a rule here: a stable code, a
//! kebab-case name, a default severity and documentation taken from the declaration's doc
//! comment (rustdoc, `apigw explain` and `docs/rules/CODE.md` all show that one text).
//!
//! Codes are grouped by area and never reused:
//! `APIGW0xx` loading and structure, `1xx` integrations, `2xx` authorizers, `3xx` paths and
//! routes, `4xx` models and validation, `5xx` CORS and gateway responses, `6xx` quotas,
//! `7xx` security, `8xx` likely bugs.

use crate::diagnostic::{Report, Severity};
use crate::ir::{Api, Integration, IntegrationType};

pub mod authorizer;
pub mod cors;
pub mod integration;
pub mod model;
pub mod quota;
pub mod route;
pub mod security;
pub mod structure;
pub mod suspicious;

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

/// The key that silences rules on a node and everything below it: `x-apigw-ignore: [CODE, name]`.
pub const IGNORE_KEY: &str = "x-apigw-ignore";

/// Whether `text` (from `x-apigw-ignore` or a configuration file) names `rule`: its code in any
/// case, or its name.
pub fn names_rule(text: &str, rule: &RuleMeta) -> bool {
    let text = text.trim();
    text.eq_ignore_ascii_case(rule.code) || text == rule.name
}

/// Whether the integration certainly invokes a Lambda function: a Lambda proxy integration, or
/// one whose URI visibly is a Lambda invocation path. An `aws` integration whose whole URI is a
/// deploy-time value (`${integration_url}`) may call any AWS service, so rules about Lambda leave
/// it alone.
pub(crate) fn surely_lambda(integration: &Integration) -> bool {
    if !integration.is_lambda() {
        return false;
    }
    integration.kind == Some(IntegrationType::AwsProxy)
        || integration
            .uri
            .as_ref()
            .and_then(|uri| uri.value.known_text())
            .is_some_and(|text| text.contains(":lambda:path/"))
}

/// The routes of a REST API whose integration maps its responses itself (not a proxy), with
/// that integration: where integration responses and their method responses must agree.
pub(crate) fn mapped_rest_routes(
    api: &Api,
) -> impl Iterator<Item = (&crate::ir::Route, &Integration)> {
    api.routes
        .iter()
        .filter(move |_| api.kind == crate::ir::ApiKind::Rest)
        .filter_map(|route| Some((route, route.integration.as_ref()?)))
        .filter(|(_, integration)| {
            !matches!(
                integration.kind,
                None | Some(IntegrationType::AwsProxy | IntegrationType::HttpProxy)
            )
        })
}

/// What every declared rule has: its [`RuleMeta`]. `declare_rule!` implements it.
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

/// A check over the lowered IR. Rules report through `out.push(Self::META, origin, message)`;
/// they never stop at the first problem and never panic on what the IR holds.
pub trait Rule: Declared + Sync {
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

        impl $crate::rules::Declared for $ident {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                Self::META
            }
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
        .find(|rule| names_rule(code_or_name, rule))
}

/// The IR checks, run on every lowered API, area by area.
pub fn checks() -> &'static [&'static dyn Rule] {
    static CHECKS: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    CHECKS.get_or_init(|| {
        let mut checks: Vec<&'static dyn Rule> = Vec::new();
        for area in AREAS {
            checks.extend_from_slice(area);
        }
        checks.sort_by_key(|rule| rule.meta().code);
        checks
    })
}

/// The IR checks of each area, in code order within the area.
static AREAS: &[&[&dyn Rule]] = &[
    integration::RULES,
    authorizer::RULES,
    route::RULES,
    model::RULES,
    cors::RULES,
    quota::RULES,
    security::RULES,
    suspicious::RULES,
];

/// Runs every IR check on `api`. A route's own `ignore` list (the DSL's `ignore:`, OpenAPI's
/// `x-apigw-ignore`) silences the rules it names on everything under that route; an
/// `x-apigw-ignore` anywhere else in a file is honoured when the session resolves locations.
pub fn check(api: &Api, out: &mut Report) {
    use rayon::prelude::*;
    // Each check reports into its own report; joined in code order, so the result does not
    // depend on which thread ran what.
    let reports: Vec<Report> = checks()
        .par_iter()
        .map(|rule| {
            let mut report = Report::new();
            rule.check(api, &mut report);
            report
        })
        .collect();
    let mut found = Report::new();
    for report in reports {
        found.extend(report);
    }
    let ignoring: Vec<&crate::ir::Route> = api
        .routes
        .iter()
        .filter(|route| !route.ignore.is_empty())
        .collect();
    if ignoring.is_empty() {
        out.extend(found);
        return;
    }
    found.pending.retain(|pending| {
        let crate::diagnostic::At::Node(file, pointer) = &pending.at else {
            return true;
        };
        !ignoring.iter().any(|route| {
            route.origin.file == *file
                && pointer.starts_with(&route.origin.pointer)
                && route
                    .ignore
                    .iter()
                    .any(|silenced| names_rule(silenced, pending.rule))
        })
    });
    out.extend(found);
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
