//! HCL text from the document model, laid out exactly as `terraform fmt` leaves it.
//!
//! hcl-rs writes the model (quoting and `$${` / `%%{` escaping included) with two-space indents;
//! what it does not do is `terraform fmt`'s one cosmetic rule that changes spacing across lines:
//! the `=` of consecutive single-line attributes is aligned one column after the longest name.
//! [`align_equals`] applies that rule and nothing else, following hclwrite's `formatCells`: a
//! line takes part when its first `=` is not its first token and the rest of the line closes
//! every bracket it opens (so `tags = {` ends a run), and any other line ends the run. Widths
//! are counted in bytes, as hclwrite counts them.
//!
//! One more correction happens on the model, before formatting: hcl-rs 0.20 doubles the `$`
//! of `${` only when no `$` precedes it, so a literal `$${x}` would reach AWS as `${x}` and
//! `%%{` as `%{`. [`escape_literals`] writes every string holding a template marker as a
//! quoted template whose text [`super::expr`] escapes itself.

use hcl::expr::{Object, ObjectKey, TemplateExpr};
use hcl::format::{Format, Formatter};
use hcl::structure::Structure;
use hcl::{Body, Expression};

use super::expr::escape_template_literal;

/// The formatted text of `body`, ending with a newline.
pub(crate) fn to_hcl(body: Body) -> Result<String, hcl::Error> {
    let mut formatter = Formatter::builder().build_vec();
    let body = escape_literals(body);
    let text = body.format_string(&mut formatter)?;
    let mut aligned = align_equals(&text);
    if !aligned.ends_with('\n') {
        aligned.push('\n');
    }
    Ok(aligned)
}

/// `body` with every string literal that holds `${` or `%{` written as an escaped template.
fn escape_literals(body: Body) -> Body {
    let structures: Vec<Structure> = body
        .into_iter()
        .map(|structure| match structure {
            Structure::Attribute(mut attribute) => {
                attribute.expr = escape_expression(attribute.expr);
                Structure::Attribute(attribute)
            }
            Structure::Block(mut block) => {
                block.body = escape_literals(block.body);
                Structure::Block(block)
            }
        })
        .collect();
    Body::from(structures)
}

fn escape_expression(expression: Expression) -> Expression {
    match expression {
        Expression::String(text) if text.contains("${") || text.contains("%{") => {
            Expression::from(TemplateExpr::QuotedString(escape_template_literal(&text)))
        }
        Expression::Array(items) => {
            Expression::Array(items.into_iter().map(escape_expression).collect())
        }
        Expression::Object(map) => {
            let object: Object<ObjectKey, Expression> = map
                .into_iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Expression(key) => ObjectKey::Expression(escape_expression(key)),
                        other => other,
                    };
                    (key, escape_expression(value))
                })
                .collect();
            Expression::Object(object)
        }
        Expression::FuncCall(mut call) => {
            call.args = call.args.into_iter().map(escape_expression).collect();
            Expression::FuncCall(call)
        }
        other => other,
    }
}

/// Aligns the `=` of runs of single-line attributes (see the module docs).
pub(crate) fn align_equals(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    // For each line, the byte offset of its aligning `=`, if it has one.
    let cells: Vec<Option<usize>> = lines.iter().map(|line| assign_cell(line)).collect();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut index = 0;
    while index < lines.len() {
        let Some(Some(_)) = cells.get(index) else {
            if let Some(line) = lines.get(index) {
                out.push_str(line);
            }
            index += 1;
            if index < lines.len() {
                out.push('\n');
            }
            continue;
        };
        let start = index;
        while matches!(cells.get(index), Some(Some(_))) {
            index += 1;
        }
        let width = (start..index)
            .filter_map(|at| {
                let line = lines.get(at)?;
                let equals = (*cells.get(at)?)?;
                Some(line.get(..equals)?.trim_end().len())
            })
            .max()
            .unwrap_or(0);
        for at in start..index {
            let (Some(line), Some(Some(equals))) = (lines.get(at), cells.get(at)) else {
                continue;
            };
            let lead = line.get(..*equals).unwrap_or_default().trim_end();
            let rest = line.get(*equals..).unwrap_or_default();
            out.push_str(lead);
            for _ in lead.len()..=width {
                out.push(' ');
            }
            out.push_str(rest);
            if at + 1 < lines.len() {
                out.push('\n');
            }
        }
    }
    out
}

/// The byte offset of the `=` that hclwrite would align on this line.
fn assign_cell(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = 0;
    // Skip the indent; the first token can never be the assignment.
    while bytes.get(at).is_some_and(|byte| *byte == b' ') {
        at += 1;
    }
    if at >= bytes.len() {
        return None;
    }
    let mut seen_token = false;
    let mut equals = None;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => {
                at = skip_string(bytes, at)?;
                seen_token = true;
                continue;
            }
            b'#' => return None,
            b'/' if bytes
                .get(at + 1)
                .is_some_and(|next| *next == b'/' || *next == b'*') =>
            {
                return None
            }
            b'=' => {
                let next = bytes.get(at + 1).copied();
                let previous = at
                    .checked_sub(1)
                    .and_then(|before| bytes.get(before))
                    .copied();
                let operator = matches!(next, Some(b'=' | b'>'))
                    || matches!(previous, Some(b'=' | b'!' | b'<' | b'>'));
                if !operator {
                    if seen_token {
                        equals = Some(at);
                    }
                    break;
                }
                seen_token = true;
            }
            b' ' => {}
            _ => seen_token = true,
        }
        at += 1;
    }
    let equals = equals?;
    (bracket_change(bytes.get(equals..)?) == 0).then_some(equals)
}

/// The net number of brackets a piece of a line opens (interpolations inside strings open
/// and close on the same line, so strings count as nothing).
fn bracket_change(bytes: &[u8]) -> i64 {
    let mut change = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => match skip_string(bytes, at) {
                Some(end) => {
                    at = end;
                    continue;
                }
                None => return change,
            },
            b'{' | b'[' | b'(' => change += 1,
            b'}' | b']' | b')' => change -= 1,
            _ => {}
        }
        at += 1;
    }
    change
}

/// The offset just after the string literal that starts at `start` (a `"`), skipping escapes
/// and the nested strings of `${...}` interpolations.
fn skip_string(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    let mut depth = 0usize;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 2,
            b'$' | b'%' if bytes.get(at + 1) == Some(&byte) && bytes.get(at + 2) == Some(&b'{') => {
                at += 3;
            }
            b'$' | b'%' if bytes.get(at + 1) == Some(&b'{') => {
                depth += 1;
                at += 2;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                at += 1;
            }
            b'"' if depth > 0 => {
                at = skip_string(bytes, at)?;
            }
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_single_line_attributes_are_aligned() {
        let text = "resource \"a\" \"b\" {\n  name = \"x\"\n  description = \"a = b\"\n  tags = {\n    k = \"v\"\n    \"longer key\" = \"w\"\n  }\n  x = 1\n\n  yy = 2\n  zzz = \"${var.a}\"\n}\n";
        assert_eq!(
            align_equals(text),
            "resource \"a\" \"b\" {\n  name        = \"x\"\n  description = \"a = b\"\n  tags = {\n    k            = \"v\"\n    \"longer key\" = \"w\"\n  }\n  x = 1\n\n  yy  = 2\n  zzz = \"${var.a}\"\n}\n"
        );
    }

    #[test]
    fn operators_and_strings_are_not_assignments() {
        assert_eq!(assign_cell("  \"a=b\""), None);
        assert_eq!(assign_cell("  x = a == b"), Some(4));
        assert_eq!(assign_cell("  body = jsonencode({"), None);
        assert_eq!(assign_cell("  v = \"$${x} ${y} %%{z}\""), Some(4));
    }
}
