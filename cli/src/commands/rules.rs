//! `apigw rules`: one line per rule — code, name, default severity, summary.

use std::io::{self, Write};

use apigw_compiler::rules;

use super::Outcome;
use crate::render::Palette;

pub fn run(palette: Palette, out: &mut dyn Write) -> io::Result<Outcome> {
    let rules = rules::all();
    let name_width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    for rule in &rules {
        let severity = format!("{:<7}", rule.severity.to_string());
        writeln!(
            out,
            "{}  {:<name_width$}  {}  {}",
            rule.code,
            rule.name,
            palette.severity(rule.severity, &severity),
            rule.summary()
        )?;
    }
    Ok(Outcome::Clean)
}
