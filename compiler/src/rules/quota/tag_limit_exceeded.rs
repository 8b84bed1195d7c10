use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, Origin, Tag};
use crate::rules::Rule;

const TAGS_PER_RESOURCE: usize = 50;
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 256;

declare_rule! {
    /// An API or stage has more than 50 tags, a tag key over 128 characters, a value over 256, or a key starting with `aws:`.
    /// ## Why
    /// API Gateway resources take at most 50 tags, with keys of 1 to 128 and values of up to 256
    /// characters, and keys starting with `aws:` are reserved for AWS (API Gateway quotas,
    /// "Tags per stage"; AWS tagging rules). `TagResource` and CloudFormation reject anything
    /// else, failing the stack. Only keys and values visible in the source are checked.
    /// ## Fails
    /// ```yaml
    /// Tags: [{Key: "aws:team", Value: pets}]
    /// ```
    /// ## Passes
    /// ```yaml
    /// Tags: [{Key: team, Value: pets}]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-supported-resources.html
    pub TagLimitExceeded { code: "APIGW612", name: "tag-limit-exceeded", severity: Error }
}

/// Long keys shown by their start.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_owned();
    }
    let start: String = text.chars().take(32).collect();
    format!("{start}…")
}

fn check_tags(out: &mut Report, origin: &Origin, what: &str, tags: &[Tag]) {
    if tags.len() > TAGS_PER_RESOURCE {
        out.push(
            TagLimitExceeded::META,
            origin,
            format!(
                "{what} has {} tags; the limit is {TAGS_PER_RESOURCE}",
                tags.len()
            ),
        )
        .help("keep at most 50 tags on one resource");
    }
    for tag in tags {
        if tag.key.contains("${") {
            continue;
        }
        let key_length = tag.key.chars().count();
        if key_length > MAX_KEY {
            out.push(
                TagLimitExceeded::META,
                origin,
                format!("{what}: tag key `{}` has {key_length} characters, more than the {MAX_KEY} allowed", shorten(&tag.key)),
            )
            .help("shorten the key to at most 128 characters");
        }
        if tag
            .key
            .get(..4)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
        {
            out.push(
                TagLimitExceeded::META,
                origin,
                format!(
                    "{what}: tag key `{}` starts with `aws:`, which is reserved for AWS",
                    tag.key
                ),
            )
            .help("drop the `aws:` prefix (e.g. `team` instead of `aws:team`)");
        }
        if let Some(value) = tag.value.as_literal() {
            let value_length = value.chars().count();
            if value_length > MAX_VALUE {
                out.push(
                    TagLimitExceeded::META,
                    origin,
                    format!("{what}: the value of tag `{}` has {value_length} characters, more than the {MAX_VALUE} allowed", tag.key),
                )
                .help("shorten the value to at most 256 characters");
            }
        }
    }
}

impl Rule for TagLimitExceeded {
    fn check(&self, api: &Api, out: &mut Report) {
        check_tags(out, &api.origin, &format!("API `{}`", api.name), &api.tags);
        for stage in &api.stages {
            check_tags(
                out,
                &stage.origin,
                &format!("stage `{}`", stage.name),
                &stage.tags,
            );
        }
    }
}
