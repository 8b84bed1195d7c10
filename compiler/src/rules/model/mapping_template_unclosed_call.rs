use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

use super::{strip_comments, templates};

declare_rule! {
    /// A `$input.…('…')` or `$util.…('…')` call in a mapping template misses its closing quote or parenthesis.
    /// ## Why
    /// `$input.path('$.name')`, `$input.json('$')`, `$input.params('id')` and the `$util`
    /// functions are Velocity method calls: a quoted argument left open, or a `)` missing after
    /// it, makes the template unparseable, and every request through it fails with a 500
    /// ("Execution failed due to configuration error").
    /// ## Fails
    /// ```yaml
    /// requestTemplates:
    ///   application/json: '{"name": "$input.path(''$.name'')"'
    /// ```
    /// ## Passes
    /// ```yaml
    /// requestTemplates:
    ///   application/json: '{"name": "$input.path(''$.name'')"}'
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
    pub MappingTemplateUnclosedCall { code: "APIGW405", name: "mapping-template-unclosed-call", severity: Error }
}

/// The first call of the template whose quoted argument or parenthesis is left open: the call
/// as written, and what it misses.
fn unclosed(text: &str) -> Option<(String, &'static str)> {
    let text = strip_comments(text);
    let mut index = 0;
    while let Some(offset) = text.get(index..).and_then(|rest| rest.find('$')) {
        let at = index + offset;
        index = at + 1;
        let rest = text.get(at + 1..).unwrap_or_default();
        let rest = rest.strip_prefix('!').unwrap_or(rest);
        let Some(member) = rest
            .strip_prefix("input.")
            .or_else(|| rest.strip_prefix("util."))
        else {
            continue;
        };
        let name_len = member
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(member.len());
        let Some(args) = member
            .get(name_len..)
            .and_then(|after| after.strip_prefix('('))
        else {
            continue;
        };
        let args = args.trim_start_matches([' ', '\t']);
        let Some(quote) = args.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            continue;
        };
        let line_end = args.find('\n').unwrap_or(args.len());
        let line = args.get(..line_end).unwrap_or_default();
        let call_len = rest.len() - member.len() + name_len;
        let call = format!("${}(", rest.get(..call_len).unwrap_or_default());
        // The closing quote on the same line; a doubled quote is an escaped one.
        let mut body = line.get(1..).unwrap_or_default();
        let after = loop {
            let Some(close) = body.find(quote) else {
                return Some((call, "its closing quote"));
            };
            let next = body.get(close + 1..).unwrap_or_default();
            match next.strip_prefix(quote) {
                Some(escaped) => body = escaped,
                None => break next,
            }
        };
        let after = after.trim_start_matches([' ', '\t']);
        if !(after.starts_with(')') || after.starts_with(',')) {
            return Some((call, "its closing `)`"));
        }
    }
    None
}

impl Rule for MappingTemplateUnclosedCall {
    fn check(&self, api: &Api, out: &mut Report) {
        for (content_type, template) in templates(api) {
            if let Some((call, missing)) = unclosed(&template.value) {
                out.push(
                    Self::META,
                    &template.origin,
                    format!("the `{content_type}` mapping template calls `{call}…` without {missing}; Velocity cannot parse it"),
                )
                .help("close the argument's quote and the call's parenthesis, e.g. `$input.path('$.name')`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unclosed;

    #[test]
    fn calls_close_their_quotes_and_parentheses() {
        assert_eq!(
            unclosed("$input.path('$.a') $input.json(\"$\") $util.escapeJavaScript($x)"),
            None
        );
        assert_eq!(
            unclosed("$input.params('it''s').size() $!input.params( 'x' )"),
            None
        );
        assert_eq!(
            unclosed("## $input.path('$.a\n$util.urlEncode('a', 'b')"),
            None
        );
        assert_eq!(
            unclosed("$input.path('$.a)"),
            Some(("$input.path(".to_owned(), "its closing quote"))
        );
        assert_eq!(
            unclosed("$util.parseJson('{}' }"),
            Some(("$util.parseJson(".to_owned(), "its closing `)`"))
        );
    }
}
