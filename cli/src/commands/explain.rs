//! `apigw explain CODE|NAME`: a rule's documentation as text; an unknown rule gets a
//! suggestion and exit status 2.

use std::io::{self, Write};

use apigw_compiler::rules::{self, RuleMeta};

use super::Outcome;
use crate::docs;
use crate::render::{markdown, Palette, Style};

/// How alike (normalised Levenshtein, 0 to 1) a mistyped code or name must be to a rule's to
/// be suggested.
const SUGGESTION_THRESHOLD: f64 = 0.6;

pub fn run(query: &str, palette: Palette, out: &mut dyn Write) -> io::Result<Outcome> {
    let Some(rule) = rules::find(query.trim()) else {
        eprintln!("error: no rule has the code or name `{query}`");
        match suggest(query.trim()) {
            Some(rule) => eprintln!("help: did you mean `{}` ({})?", rule.code, rule.name),
            None => eprintln!("help: `apigw rules` lists every rule"),
        }
        return Ok(Outcome::Failure);
    };
    writeln!(
        out,
        "{} {} ({})\n",
        palette.paint(Style::Emphasis, rule.code),
        palette.paint(Style::Emphasis, rule.name),
        palette.severity(rule.severity, &rule.severity.to_string())
    )?;
    write!(
        out,
        "{}",
        markdown::to_text(&docs::rule_markdown(rule), palette)
    )?;
    Ok(Outcome::Clean)
}

/// The rule whose code or name is closest to `query`, if any is close enough.
fn suggest(query: &str) -> Option<&'static RuleMeta> {
    let upper = query.to_ascii_uppercase();
    let lower = query.to_ascii_lowercase();
    rules::all()
        .into_iter()
        .map(|rule| {
            let score = strsim::normalized_levenshtein(&upper, rule.code)
                .max(strsim::normalized_levenshtein(&lower, rule.name));
            (score, rule)
        })
        .filter(|(score, _)| *score >= SUGGESTION_THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, rule)| rule)
}
