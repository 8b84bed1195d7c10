//! Logical ids: derived from the names in the IR (never from counters), alphanumeric as
//! CloudFormation requires, unique within a template. When two names sanitise to the same id,
//! the later one gets a short hash of its source name, so ids stay stable when routes are added
//! or removed elsewhere.

use apigw_compiler::ir::Api;
use sha2::{Digest, Sha256};

/// CloudFormation's limit on a logical id is 255 characters; ours stay far shorter.
const MAX_LEN: usize = 200;

/// `orders_arn` → `OrdersArn`, `/pets/{petId}` → `PetsPetId`, `fn-3` → `Fn3`.
pub fn pascal_case(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// `pascal_case` of every word, joined.
pub fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|word| pascal_case(word.as_ref()))
        .collect()
}

fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .take(3)
        .map(|byte| format!("{byte:02x}"))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The logical ids taken in one template.
#[derive(Debug, Default)]
pub struct LogicalIds {
    taken: crate::FastSet<String>,
}

impl LogicalIds {
    /// Claims `base` (sanitised) for the node known as `source`; on a clash, `base` plus a
    /// hash of `source`.
    pub fn claim(&mut self, base: &str, source: &str) -> String {
        let mut id = pascal_case(base);
        if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
            id.insert(0, 'R');
        }
        if id.len() > MAX_LEN {
            id.truncate(MAX_LEN);
            id.push_str(&short_hash(source));
        }
        if self.taken.contains(&id) {
            id.push_str(&short_hash(source));
        }
        while self.taken.contains(&id) {
            id.push('X');
        }
        self.taken.insert(id.clone());
        id
    }

    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }
}

/// The logical id of an API: the template's own when the API came from one, else its name
/// followed by `Api`.
pub fn api_base_name(api: &Api) -> String {
    if let Some(logical_id) = &api.logical_id {
        let id = pascal_case(logical_id);
        if !id.is_empty() {
            return id;
        }
    }
    let mut name = pascal_case(&api.name);
    name.truncate(48);
    if !name.ends_with("Api") && !name.ends_with("API") {
        name.push_str("Api");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'A');
    }
    name
}

/// A file name for an API when several are built at once.
pub fn file_stem(api: &Api) -> String {
    let stem: String = api
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-').to_owned();
    if stem.is_empty() {
        "api".to_owned()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitised_and_unique() {
        assert_eq!(pascal_case("orders_arn"), "OrdersArn");
        assert_eq!(pascal_case("/pets/{petId}"), "PetsPetId");
        let mut ids = LogicalIds::default();
        let first = ids.claim("PetsA-b", "/pets/a-b");
        let second = ids.claim("PetsAB", "/pets/aB");
        assert_eq!(first, "PetsAB");
        assert!(
            second.starts_with("PetsAB") && second.len() == 12,
            "{second}"
        );
        assert_eq!(ids.claim("1x", "1x"), "R1x");
    }
}
