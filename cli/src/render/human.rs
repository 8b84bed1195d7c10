//! Diagnostics as text in rustc's layout: `error[CODE]: message`, ` --> file:line:col`, the source
//! line with a caret under the column, `= help: …`, and a closing summary line. Formatting only.

use std::cell::OnceCell;
use std::io::{self, Write};

use apigw_compiler::diagnostic::Location;
use apigw_compiler::{Compilation, Diagnostic, Severity, SourceFile};

use super::{printable, Palette, Style};

/// Tabs in an excerpt become this many spaces, in the line and under it alike, so the caret
/// stays under its column whatever the terminal's tab stops.
const TAB_WIDTH: usize = 4;
/// Longest excerpt shown; a longer line is cut to a window around the column.
const EXCERPT_CHARS: usize = 120;
/// How much of a long line is kept left of the column.
const EXCERPT_LEAD: usize = 40;

/// Counts for the closing line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(compilations: &[Compilation]) -> Summary {
        let mut summary = Summary {
            files: compilations.len(),
            ..Summary::default()
        };
        for diagnostic in compilations.iter().flat_map(|c| &c.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

/// Writes every diagnostic of `compilations`, in order, then the summary line.
pub fn render(
    out: &mut dyn Write,
    compilations: &[Compilation],
    palette: Palette,
) -> io::Result<()> {
    for compilation in compilations {
        let excerpts = Excerpts::new(&compilation.sources);
        for diagnostic in &compilation.diagnostics {
            render_diagnostic(out, diagnostic, &excerpts, palette)?;
            writeln!(out)?;
        }
    }
    render_summary(out, Summary::of(compilations), palette)
}

fn render_diagnostic(
    out: &mut dyn Write,
    diagnostic: &Diagnostic,
    excerpts: &Excerpts<'_>,
    palette: Palette,
) -> io::Result<()> {
    let width = std::iter::once(&diagnostic.location)
        .chain(diagnostic.related.iter().map(|related| &related.location))
        .map(|location| digits(location.line))
        .max()
        .unwrap_or(1);
    let label = format!("{}[{}]", diagnostic.severity, diagnostic.code);
    writeln!(
        out,
        "{}{}",
        palette.severity(diagnostic.severity, &label),
        palette.paint(
            Style::Emphasis,
            &format!(": {}", printable(&diagnostic.message))
        )
    )?;
    render_location(out, &diagnostic.location, excerpts, width, palette)?;
    if let Some(help) = &diagnostic.help {
        writeln!(
            out,
            "{} {} {}",
            " ".repeat(width),
            palette.paint(Style::Frame, "="),
            palette.paint(Style::Emphasis, "help:") + " " + &printable(help)
        )?;
    }
    if let Some(fix) = &diagnostic.fix {
        writeln!(
            out,
            "{} {} {}",
            " ".repeat(width),
            palette.paint(Style::Frame, "="),
            palette.paint(Style::Emphasis, "fix:")
                + " "
                + &printable(&fix.description)
                + " (apigw check --fix)"
        )?;
    }
    for related in &diagnostic.related {
        writeln!(
            out,
            "{}: {}",
            palette.paint(Style::Help, "note"),
            printable(&related.message)
        )?;
        render_location(out, &related.location, excerpts, width, palette)?;
    }
    Ok(())
}

/// ` --> file:line:col`, then the source line and a caret when the text is at hand.
fn render_location(
    out: &mut dyn Write,
    location: &Location,
    excerpts: &Excerpts<'_>,
    width: usize,
    palette: Palette,
) -> io::Result<()> {
    let pad = " ".repeat(width);
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        palette.paint(Style::Frame, "-->"),
        printable(location.file.as_str()),
        location.line,
        location.column
    )?;
    let Some(line) = excerpts.line(location) else {
        return Ok(());
    };
    let (text, caret) = excerpt(line, location.column);
    let bar = palette.paint(Style::Frame, "|");
    writeln!(out, "{pad} {bar}")?;
    writeln!(
        out,
        "{} {bar} {}",
        palette.paint(Style::Frame, &format!("{:>width$}", location.line)),
        text.trim_end()
    )?;
    writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(caret),
        palette.paint(Style::Error, "^")
    )
}

/// The displayed text of `line` and how many columns precede the caret. `column` is 1-based and
/// counts characters; a column past the end puts the caret just after the last character.
fn excerpt(line: &str, column: u32) -> (String, usize) {
    let target = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    let long = line.chars().nth(EXCERPT_CHARS).is_some();
    let start = if long {
        target.saturating_sub(EXCERPT_LEAD)
    } else {
        0
    };
    let mut text = String::new();
    let mut caret = 0;
    if start > 0 {
        text.push('…');
        caret += 1;
    }
    let mut chars = line.chars().skip(start);
    for (index, ch) in chars.by_ref().take(EXCERPT_CHARS).enumerate() {
        let cell = if ch == '\t' {
            " ".repeat(TAB_WIDTH)
        } else {
            printable(ch.encode_utf8(&mut [0; 4]))
        };
        if start + index < target {
            caret += cell.chars().count();
        }
        text.push_str(&cell);
    }
    if chars.next().is_some() {
        text.push('…');
    }
    (text, caret)
}

fn render_summary(out: &mut dyn Write, summary: Summary, palette: Palette) -> io::Result<()> {
    let errors = plural(summary.errors, "error", "errors");
    let warnings = plural(summary.warnings, "warning", "warnings");
    let mut line = format!(
        "{}, {}",
        if summary.errors > 0 {
            palette.paint(Style::Error, &errors)
        } else {
            errors
        },
        if summary.warnings > 0 {
            palette.paint(Style::Warning, &warnings)
        } else {
            warnings
        }
    );
    if summary.infos > 0 {
        line.push_str(", ");
        line.push_str(&plural(summary.infos, "info", "infos"));
    }
    writeln!(out, "{line} in {}", plural(summary.files, "file", "files"))
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn digits(line: u32) -> usize {
    line.to_string().len()
}

/// The source lines of one compilation's files, indexed on first use.
struct Excerpts<'a> {
    sources: &'a [SourceFile],
    line_starts: Vec<OnceCell<Vec<usize>>>,
}

impl<'a> Excerpts<'a> {
    fn new(sources: &'a [SourceFile]) -> Self {
        Excerpts {
            sources,
            line_starts: sources.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// The text of `location`'s line, without its line break.
    fn line(&self, location: &Location) -> Option<&'a str> {
        let (index, source) = self
            .sources
            .iter()
            .enumerate()
            .find(|(_, source)| source.path == location.file)?;
        let starts = self.line_starts.get(index)?.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', source.text.as_bytes()).map(|at| at + 1))
                .collect()
        });
        let line = usize::try_from(location.line).ok()?.checked_sub(1)?;
        let start = *starts.get(line)?;
        let end = starts
            .get(line + 1)
            .map_or(source.text.len(), |next| next.saturating_sub(1));
        let text = source.text.get(start..end)?;
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn caret_counts_characters_and_expands_tabs() {
        assert_eq!(excerpt("a: é\tx", 6), ("a: é    x".to_owned(), 8));
        assert_eq!(excerpt("abc", 9), ("abc".to_owned(), 3));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(10_000);
        let (text, caret) = excerpt(&line, 5_000);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(caret, 41);
        assert_eq!(text.chars().count(), 122);
    }
}
