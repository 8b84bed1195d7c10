//! A rule's markdown docs as terminal text for `apigw explain`: headings stand out, code blocks
//! are indented without their fences. Only the markdown the rule docs use is understood.

use super::{Palette, Style};

pub fn to_text(markdown: &str, palette: Palette) -> String {
    let mut text = String::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            text.push_str("    ");
            text.push_str(line);
        } else if let Some(heading) = line.strip_prefix("## ") {
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push('\n');
            }
            text.push_str(&palette.paint(Style::Emphasis, heading));
        } else {
            text.push_str(line);
        }
        text.push('\n');
    }
    text
}
