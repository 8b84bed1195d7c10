//! The rule reference pages, `docs/rules/CODE.md` and their index, generated from each rule's
//! declaration so that the text is written once. `apigw doc-gen` writes them; a test compares the
//! committed pages with a fresh generation.

use apigw_compiler::rules::RuleMeta;

/// The first line of every generated page, so nobody edits one by hand.
pub const GENERATED: &str =
    "<!-- Generated from the rule's declaration by `cargo run -p apigw -- doc-gen`; do not edit. -->";

/// A rule's documentation as markdown: the doc comment without rustdoc's leading space.
pub fn rule_markdown(rule: &RuleMeta) -> String {
    let mut lines: Vec<&str> = rule
        .docs
        .lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    let mut markdown = lines.join("\n");
    markdown.push('\n');
    markdown
}

/// `docs/rules/CODE.md`.
pub fn rule_page(rule: &RuleMeta) -> String {
    // Headings get a blank line on each side, as markdown formatters leave them.
    let mut body = String::new();
    let mut in_code = false;
    for line in rule_markdown(rule).lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        let heading = !in_code && line.starts_with('#');
        if heading && !body.is_empty() && !body.ends_with("\n\n") {
            body.push('\n');
        }
        body.push_str(line);
        body.push('\n');
        if heading {
            body.push('\n');
        }
    }
    format!(
        "{GENERATED}\n\n# {} `{}`\n\nDefault severity: **{}**. Explain it in a terminal with \
         `apigw explain {}`.\n\n{}",
        rule.code, rule.name, rule.severity, rule.code, body
    )
}

/// `docs/rules/README.md`: one row per rule.
pub fn index_page(rules: &[&RuleMeta]) -> String {
    let mut page = format!(
        "{GENERATED}\n\n# Rules\n\nEvery diagnostic `apigw check` gives comes from one of these \
         rules. Codes are stable: a retired rule keeps its code and page.\n\n\
         | Code | Name | Severity | Summary |\n| --- | --- | --- | --- |\n"
    );
    for rule in rules {
        page.push_str(&format!(
            "| [{code}]({code}.md) | `{}` | {} | {} |\n",
            rule.name,
            rule.severity,
            rule.summary().replace('|', "\\|"),
            code = rule.code,
        ));
    }
    page
}

/// Every page, as (file name, contents), in code order with the index last.
pub fn pages(rules: &[&RuleMeta]) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = rules
        .iter()
        .map(|rule| (format!("{}.md", rule.code), rule_page(rule)))
        .collect();
    pages.push(("README.md".to_owned(), index_page(rules)));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed pages are what `apigw doc-gen` writes now: a rule's text changed without
    /// regenerating them fails here. Run `cargo run -p apigw -- doc-gen` and commit the pages.
    #[test]
    fn committed_rule_pages_are_fresh() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
        let pages = pages(&apigw_compiler::rules::all());
        let mut stale = Vec::new();
        for (name, contents) in &pages {
            let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            if &committed != contents {
                stale.push(name.clone());
            }
        }
        let expected: std::collections::BTreeSet<&str> =
            pages.iter().map(|(name, _)| name.as_str()).collect();
        for entry in std::fs::read_dir(&dir).expect("docs/rules") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if !expected.contains(name.as_str()) {
                stale.push(format!("{name} (no such rule)"));
            }
        }
        assert!(
            stale.is_empty(),
            "stale pages in docs/rules, run `cargo run -p apigw -- doc-gen`: {stale:?}"
        );
    }
}
