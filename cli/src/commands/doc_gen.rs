//! `apigw doc-gen` (hidden): writes the rule reference pages into `--out` (docs/rules by
//! default). Run from the repository root after adding or editing a rule.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use apigw_compiler::rules;

use super::Outcome;
use crate::docs;

pub fn run(dir: &Path, out: &mut dyn Write) -> io::Result<Outcome> {
    fs::create_dir_all(dir)?;
    let pages = docs::pages(&rules::all());
    for (name, contents) in &pages {
        fs::write(dir.join(name), contents)?;
    }
    writeln!(out, "wrote {} pages to {}", pages.len(), dir.display())?;
    Ok(Outcome::Clean)
}
