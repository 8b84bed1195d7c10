//! Renderers: diagnostics and rule docs as text for a terminal, or as JSON, SARIF and GitHub
//! workflow commands for tools. They only
//! format what the compiler returned; none of them decides what is a problem.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use apigw_compiler::Severity;

/// ANSI styles, or nothing when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    enabled: bool,
}

#[derive(Clone, Copy, Debug)]
pub enum Style {
    Error,
    Warning,
    Info,
    /// The `-->`, the gutter and `=`: rustc's bright blue.
    Frame,
    Emphasis,
    Help,
}

impl Palette {
    pub fn new(enabled: bool) -> Self {
        Palette { enabled }
    }

    pub fn paint(self, style: Style, text: &str) -> String {
        if !self.enabled {
            return text.to_owned();
        }
        let code = match style {
            Style::Error => "1;31",
            Style::Warning => "1;33",
            Style::Info => "1;36",
            Style::Frame => "1;34",
            Style::Emphasis => "1",
            Style::Help => "1;32",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub fn severity(self, severity: Severity, text: &str) -> String {
        self.paint(
            match severity {
                Severity::Error => Style::Error,
                Severity::Warning => Style::Warning,
                Severity::Info => Style::Info,
            },
            text,
        )
    }
}

/// Text from a user's file made safe for a terminal: control characters (an escape sequence in
/// a hostile spec could rewrite the screen) become their visible Unicode pictures. Tabs stay.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|ch| match ch {
            '\t' => '\t',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(ch)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' => '\u{fffd}',
            other => other,
        })
        .collect()
}
