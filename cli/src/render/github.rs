//! `--format github`: GitHub Actions workflow commands, which the Actions runner turns into
//! annotations on the pull request's lines. One line per diagnostic, escaped as the runner
//! expects (`%`, CR and LF in every value; `:` and `,` too in properties).

use std::io::{self, Write};

use apigw_compiler::{Compilation, Severity};

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one workflow command per diagnostic of `compilations`.
pub fn render(out: &mut dyn Write, compilations: &[Compilation]) -> io::Result<()> {
    for diagnostic in compilations.iter().flat_map(|c| &c.diagnostics) {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(diagnostic.location.file.as_str()),
            diagnostic.location.line,
            diagnostic.location.column,
            escape_property(&format!("{} {}", diagnostic.code, diagnostic.name)),
            escape_data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_would_read_as_syntax() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
