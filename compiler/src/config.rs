//! `apigw.toml`: which rules run, at which severity, and which files are left alone. Parsing and
//! applying only; finding the file (from the checked file's directory upward) is the caller's.
//!
//! ```toml
//! select = ["ALL"]                      # codes, code prefixes (APIGW7) or names; default ALL
//! ignore = ["unused-model", "APIGW6"]   # taken out of what `select` chose
//! exclude = ["vendor/**"]               # files never checked, relative to this file
//!
//! [severity]
//! route-without-authorization = "error"
//!
//! [per-file-ignores]
//! "legacy/*.yaml" = ["APIGW701"]
//! ```

use std::collections::BTreeMap;

use camino::{Utf8Path, Utf8PathBuf};
use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, RuleMeta};

/// The name apigw looks for, from the checked file's directory up to the file system root.
pub const FILE_NAME: &str = "apigw.toml";

/// A parsed, validated `apigw.toml`.
#[derive(Debug)]
pub struct Config {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    exclude: Vec<GlobMatcher>,
    severity: Vec<(&'static RuleMeta, Severity)>,
    per_file_ignores: Vec<(GlobMatcher, Vec<Selector>)>,
}

/// What is wrong with an `apigw.toml`, with the place when the TOML parser knows it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    /// 1-based line and column.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, RawSeverity>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawSeverity {
    Error,
    Warning,
    Info,
}

/// A rule selector: `ALL`, a code (`APIGW101`), a code prefix (`APIGW1`) or a rule name.
#[derive(Clone, Debug)]
enum Selector {
    All,
    Prefix(String),
    Rule(&'static RuleMeta),
}

impl Selector {
    fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("ALL") {
            return Ok(Selector::All);
        }
        if let Some(rule) = rules::find(trimmed) {
            return Ok(Selector::Rule(rule));
        }
        let upper = trimmed.to_ascii_uppercase();
        if upper
            .strip_prefix("APIGW")
            .is_some_and(|digits| digits.len() < 3 && digits.chars().all(|ch| ch.is_ascii_digit()))
            && rules::all()
                .iter()
                .any(|rule| rule.code.starts_with(&upper))
        {
            return Ok(Selector::Prefix(upper));
        }
        let suggestion = rules::all()
            .into_iter()
            .map(|rule| (strsim::jaro_winkler(trimmed, rule.name), rule.name))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| format!(" (did you mean `{name}`?)"))
            .unwrap_or_default();
        Err(format!(
            "`{trimmed}` is no rule code, code prefix or rule name{suggestion}; `apigw rules` lists them"
        ))
    }

    fn matches(&self, rule_code: &str, rule_name: &str) -> bool {
        match self {
            Selector::All => true,
            Selector::Prefix(prefix) => rule_code.starts_with(prefix.as_str()),
            Selector::Rule(rule) => rule.code == rule_code || rule.name == rule_name,
        }
    }
}

fn glob(pattern: &str) -> Result<GlobMatcher, String> {
    Glob::new(pattern)
        .map(|glob| glob.compile_matcher())
        .map_err(|error| format!("`{pattern}` is not a valid glob: {error}"))
}

impl Config {
    /// Parses an `apigw.toml`. Unknown keys, unknown rules and bad globs are errors: a typo in a
    /// configuration must not silently check less.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let (line, column) = error
                .span()
                .map(|span| line_column(text, span.start))
                .map_or((None, None), |(line, column)| (Some(line), Some(column)));
            ConfigError {
                message: error.message().to_owned(),
                line,
                column,
            }
        })?;
        let plain = |message: String| ConfigError {
            message,
            line: None,
            column: None,
        };
        let selectors = |texts: &[String]| -> Result<Vec<Selector>, ConfigError> {
            texts
                .iter()
                .map(|text| Selector::parse(text).map_err(plain))
                .collect()
        };
        let select = match &raw.select {
            Some(texts) => selectors(texts)?,
            None => vec![Selector::All],
        };
        let ignore = selectors(&raw.ignore)?;
        let exclude = raw
            .exclude
            .iter()
            .map(|pattern| glob(pattern).map_err(plain))
            .collect::<Result<_, _>>()?;
        let mut severity = Vec::new();
        for (name, level) in &raw.severity {
            let rule = rules::find(name).ok_or_else(|| {
                plain(format!(
                    "[severity]: `{name}` is no rule code or name; `apigw rules` lists them"
                ))
            })?;
            let level = match level {
                RawSeverity::Error => Severity::Error,
                RawSeverity::Warning => Severity::Warning,
                RawSeverity::Info => Severity::Info,
            };
            severity.push((rule, level));
        }
        let mut per_file_ignores = Vec::new();
        for (pattern, texts) in &raw.per_file_ignores {
            per_file_ignores.push((glob(pattern).map_err(plain)?, selectors(texts)?));
        }
        Ok(Config {
            select,
            ignore,
            exclude,
            severity,
            per_file_ignores,
        })
    }

    /// Whether `relative` (a path relative to the configuration's directory) is excluded.
    pub fn excludes(&self, relative: &Utf8Path) -> bool {
        self.exclude
            .iter()
            .any(|matcher| matcher.is_match(relative.as_std_path()))
    }

    /// Keeps the diagnostics the configuration selects, at the severity it gives them.
    /// `relative` locates each diagnostic's file relative to the configuration's directory.
    pub fn apply(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        relative: impl Fn(&Utf8Path) -> Option<Utf8PathBuf>,
    ) {
        diagnostics.retain(|diagnostic| {
            let (code, name) = (diagnostic.code, diagnostic.name);
            let selected = self.select.iter().any(|s| s.matches(code, name))
                && !self.ignore.iter().any(|s| s.matches(code, name));
            let ignored_here = relative(&diagnostic.location.file).is_some_and(|path| {
                self.per_file_ignores.iter().any(|(matcher, selectors)| {
                    matcher.is_match(path.as_std_path())
                        && selectors.iter().any(|s| s.matches(code, name))
                })
            });
            selected && !ignored_here
        });
        for diagnostic in diagnostics.iter_mut() {
            if let Some((_, level)) = self
                .severity
                .iter()
                .find(|(rule, _)| rule.code == diagnostic.code)
            {
                diagnostic.severity = *level;
            }
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn diagnostic(rule: &'static RuleMeta, file: &str) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            message: String::new(),
            location: Location {
                file: Utf8PathBuf::from(file),
                pointer: crate::pointer::Pointer::root(),
                line: 1,
                column: 1,
            },
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    fn codes(config: &str, diagnostics: Vec<Diagnostic>) -> Vec<(String, Severity)> {
        let config = Config::parse(config).unwrap();
        let mut diagnostics = diagnostics;
        config.apply(&mut diagnostics, |path| Some(path.to_owned()));
        diagnostics
            .into_iter()
            .map(|d| (d.code.to_owned(), d.severity))
            .collect()
    }

    #[test]
    fn select_ignore_severity_and_per_file_ignores() {
        use crate::rules::structure::{DuplicateKey, UnknownField};
        let both = || {
            vec![
                diagnostic(DuplicateKey::META, "api/a.yaml"),
                diagnostic(UnknownField::META, "legacy/b.yaml"),
            ]
        };
        assert_eq!(codes("", both()).len(), 2);
        assert_eq!(
            codes("ignore = [\"unknown-field\"]", both()),
            [("APIGW002".to_owned(), Severity::Error)]
        );
        assert_eq!(
            codes("select = [\"APIGW01\"]", both()),
            [("APIGW015".to_owned(), Severity::Warning)]
        );
        assert_eq!(
            codes(
                "[severity]\nunknown-field = \"error\"\nAPIGW002 = \"info\"",
                both()
            ),
            [
                ("APIGW002".to_owned(), Severity::Info),
                ("APIGW015".to_owned(), Severity::Error)
            ]
        );
        assert_eq!(
            codes("[per-file-ignores]\n\"legacy/**\" = [\"APIGW015\"]", both()),
            [("APIGW002".to_owned(), Severity::Error)]
        );
    }

    #[test]
    fn mistakes_are_errors_with_a_place_or_a_suggestion() {
        let error = Config::parse("select = [\"ALL\"]\nignored = []").unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(1)));
        assert!(error.message.contains("ignored"), "{}", error.message);
        let error = Config::parse("ignore = [\"duplicate-keys\"]").unwrap_err();
        assert!(
            error.message.contains("did you mean `duplicate-key`"),
            "{}",
            error.message
        );
        assert!(Config::parse("exclude = [\"a/[\"]").is_err());
        assert!(Config::parse("[severity]\nAPIGW002 = \"fatal\"").is_err());
    }

    #[test]
    fn excludes_by_glob_relative_to_the_configuration() {
        let config = Config::parse("exclude = [\"vendor/**\", \"*.generated.yaml\"]").unwrap();
        assert!(config.excludes(Utf8Path::new("vendor/x/api.yaml")));
        assert!(config.excludes(Utf8Path::new("api.generated.yaml")));
        assert!(!config.excludes(Utf8Path::new("api/openapi.yaml")));
    }
}
