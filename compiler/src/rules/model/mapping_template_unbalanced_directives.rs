use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

use super::{strip_comments, templates};

declare_rule! {
    /// A VTL mapping template's `#if`/`#foreach` blocks and `#end`s do not balance.
    /// ## Why
    /// API Gateway runs request and response mapping templates through Velocity. Each `#if`,
    /// `#foreach`, `#macro` and `#define` block needs its own `#end`; with one missing or one too
    /// many the template does not parse, and every request through it fails with a 500
    /// ("Execution failed due to configuration error") instead of reaching the backend.
    /// ## Fails
    /// ```yaml
    /// requestTemplates:
    ///   application/json: '#if($input.params("id") != "") {"id": "$input.params("id")"}'
    /// ```
    /// ## Passes
    /// ```yaml
    /// requestTemplates:
    ///   application/json: '#if($input.params("id") != "") {"id": "$input.params("id")"} #end'
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
    pub MappingTemplateUnbalancedDirectives { code: "APIGW404", name: "mapping-template-unbalanced-directives", severity: Error }
}

const BLOCKS: &[&str] = &["if", "foreach", "macro", "define"];

/// How the template's blocks balance: `Ok(())`, or what is wrong.
fn balance(text: &str) -> Result<(), String> {
    let text = strip_comments(text);
    let bytes = text.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut index = 0;
    while let Some(offset) = text.get(index..).and_then(|rest| rest.find('#')) {
        let at = index + offset;
        index = at + 1;
        if at > 0 && bytes.get(at - 1) == Some(&b'\\') {
            continue;
        }
        let rest = text.get(at + 1..).unwrap_or_default();
        let braced = rest.starts_with('{');
        let rest = if braced {
            rest.get(1..).unwrap_or_default()
        } else {
            rest
        };
        let word_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        let word = rest.get(..word_len).unwrap_or_default();
        let mut after = rest.get(word_len..).unwrap_or_default();
        if braced {
            let Some(closed) = after.strip_prefix('}') else {
                continue;
            };
            after = closed;
        }
        if word == "end" {
            if open.pop().is_none() {
                return Err("has an `#end` that closes no block".to_owned());
            }
        } else if BLOCKS.contains(&word) && after.trim_start_matches([' ', '\t']).starts_with('(') {
            open.push(word.to_owned());
        }
    }
    match open.as_slice() {
        [] => Ok(()),
        [.., last] => Err(format!(
            "leaves {} block{} open (the last a `#{last}`) without `#end`",
            open.len(),
            if open.len() == 1 { "" } else { "s" }
        )),
    }
}

impl Rule for MappingTemplateUnbalancedDirectives {
    fn check(&self, api: &Api, out: &mut Report) {
        for (content_type, template) in templates(api) {
            if let Err(problem) = balance(&template.value) {
                out.push(
                    Self::META,
                    &template.origin,
                    format!(
                        "the `{content_type}` mapping template {problem}; Velocity cannot parse it"
                    ),
                )
                .help("give every `#if`, `#foreach`, `#macro` and `#define` exactly one `#end`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::balance;

    #[test]
    fn blocks_balance_ignoring_comments_escapes_and_words() {
        assert!(balance("#if($a) x #else y #end").is_ok());
        assert!(balance("#foreach($x in $l)#if($x)a#{end}#end").is_ok());
        assert!(balance("## #if(\n#* #foreach( *# \\#end #endpoint #iffy(").is_ok());
        assert!(balance("#if($a) x").is_err());
        assert!(balance("x #end").is_err());
    }
}
