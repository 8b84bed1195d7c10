//! Where a scalar's text lies in its file, and how to write a new value in the same style: what
//! `apigw check --fix` needs to change one value and leave every other byte alone.

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    /// YAML plain scalar.
    Plain,
    /// `'…'` (YAML).
    Single,
    /// `"…"` (JSON, YAML).
    Double,
    /// A JSON number, boolean or null: a new string value needs quotes.
    Bare,
}

/// The byte range `start..end` of the scalar that starts at byte `start` and reads as `value`,
/// with its style; `None` when the text there does not read back as `value` (a block scalar, an
/// alias, a multi-line plain scalar), so that no fix guesses.
pub(crate) fn scalar_extent(
    text: &str,
    start: usize,
    value: &str,
) -> Option<(usize, usize, ScalarStyle)> {
    let rest = text.get(start..)?;
    let json = text.trim_start().starts_with(['{', '[']);
    match rest.chars().next()? {
        '"' => {
            let mut escaped = false;
            for (index, ch) in rest.char_indices().skip(1) {
                match ch {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        let end = start + index + 1;
                        let inner = text.get(start + 1..end - 1)?;
                        // Only simple strings: what is between the quotes must be the value.
                        return (inner == value).then_some((start, end, ScalarStyle::Double));
                    }
                    '\n' => return None,
                    _ => escaped = false,
                }
            }
            None
        }
        '\'' => {
            let close = rest.get(1..)?.find('\'')? + 1;
            let end = start + close + 1;
            let inner = text.get(start + 1..end - 1)?;
            (inner == value).then_some((start, end, ScalarStyle::Single))
        }
        _ => {
            let line = rest.split(['\n', '\r']).next().unwrap_or_default();
            let line = line.split(" #").next().unwrap_or_default();
            // In a flow collection the scalar ends at the next indicator.
            let flow = line.split([',', ']', '}']).next().unwrap_or_default();
            let style = if json {
                ScalarStyle::Bare
            } else {
                ScalarStyle::Plain
            };
            [line.trim_end(), flow.trim_end()]
                .into_iter()
                .find(|candidate| *candidate == value)
                .map(|candidate| (start, start + candidate.len(), style))
        }
    }
}

/// `value` as a string scalar in `style`; a plain scalar falls back to double quotes when plain
/// text would read as something else (a number, a boolean, a comment).
pub(crate) fn render_scalar(value: &str, style: ScalarStyle) -> String {
    match style {
        ScalarStyle::Single => format!("'{}'", value.replace('\'', "''")),
        ScalarStyle::Plain if is_safe_plain(value) => value.to_owned(),
        ScalarStyle::Plain | ScalarStyle::Double | ScalarStyle::Bare => {
            serde_json::Value::String(value.to_owned()).to_string()
        }
    }
}

/// Text YAML reads back as this same string when written plain.
fn is_safe_plain(value: &str) -> bool {
    let mut chars = value.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    first.is_ascii_alphabetic()
        && value
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.' | '/'))
        && !reserved.contains(&value.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_style_and_refuses_what_does_not_read_back() {
        let yaml = "a: GET # comment\nb: 'GET'\nc: \"GET\"\nd: {x: GET, y: 1}\ne: |\n  GET\n";
        let at = |needle: &str| yaml.find(needle).unwrap();
        assert_eq!(
            scalar_extent(yaml, at("GET #"), "GET"),
            Some((3, 6, ScalarStyle::Plain))
        );
        let single = at("'GET'");
        assert_eq!(
            scalar_extent(yaml, single, "GET"),
            Some((single, single + 5, ScalarStyle::Single))
        );
        let double = at("\"GET\"");
        assert_eq!(
            scalar_extent(yaml, double, "GET"),
            Some((double, double + 5, ScalarStyle::Double))
        );
        let flow = at("GET, y");
        assert_eq!(
            scalar_extent(yaml, flow, "GET"),
            Some((flow, flow + 3, ScalarStyle::Plain))
        );
        assert_eq!(scalar_extent(yaml, at("|"), "GET\n"), None);
        let json = "{\"m\": \"GET\", \"n\": 2}";
        let quoted = json.find("\"GET\"").unwrap();
        assert_eq!(
            scalar_extent(json, quoted, "GET"),
            Some((quoted, quoted + 5, ScalarStyle::Double))
        );
        let number = json.find('2').unwrap();
        assert_eq!(
            scalar_extent(json, number, "2"),
            Some((number, number + 1, ScalarStyle::Bare))
        );
    }

    #[test]
    fn renders_in_the_old_style_or_safely_quoted() {
        assert_eq!(render_scalar("POST", ScalarStyle::Plain), "POST");
        assert_eq!(render_scalar("2.0", ScalarStyle::Plain), "\"2.0\"");
        assert_eq!(render_scalar("yes", ScalarStyle::Plain), "\"yes\"");
        assert_eq!(render_scalar("it's", ScalarStyle::Single), "'it''s'");
        assert_eq!(render_scalar("2.0", ScalarStyle::Bare), "\"2.0\"");
        assert_eq!(render_scalar("a\"b", ScalarStyle::Double), "\"a\\\"b\"");
    }
}
