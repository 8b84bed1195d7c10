//! Terraform names: resource labels and variable names derived from the IR's names (never
//! from counters), in snake_case as Terraform's style asks, valid identifiers, unique per
//! resource type. When two names clash, the later one gets a short hash of its source name, so
//! labels stay stable when routes are added or removed elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

/// Labels stay readable; longer ones are cut and keep a hash.
const MAX_LEN: usize = 64;

/// `OrdersFunction` → `orders_function`, `/pets/{petId}` → `pets_pet_id`, `GET` → `get`.
pub(crate) fn snake_case(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (index, c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && index > 0 {
            let previous = index.checked_sub(1).and_then(|at| chars.get(at));
            let next = chars.get(index + 1);
            let boundary = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (previous.is_some_and(char::is_ascii_uppercase)
                    && next.is_some_and(char::is_ascii_lowercase));
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out.trim_matches('_').to_owned()
}

fn short_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(3)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The labels taken in one module, per resource type (or `variable`, `output`).
#[derive(Debug, Default)]
pub(crate) struct Labels {
    taken: BTreeMap<String, BTreeSet<String>>,
}

impl Labels {
    /// Claims `base` (made a snake_case identifier) among the `kind`s for the node known as
    /// `source`; on a clash, `base` plus a hash of `source`.
    pub fn claim(&mut self, kind: &str, base: &str, source: &str) -> String {
        let mut label = snake_case(base);
        if label.is_empty() {
            label = "this".to_owned();
        }
        if label.starts_with(|c: char| c.is_ascii_digit()) {
            label.insert_str(0, "n_");
        }
        if label.len() > MAX_LEN {
            label.truncate(MAX_LEN);
            label = label.trim_end_matches('_').to_owned();
            label.push('_');
            label.push_str(&short_hash(source));
        }
        let taken = self.taken.entry(kind.to_owned()).or_default();
        if taken.contains(&label) {
            label.push('_');
            label.push_str(&short_hash(source));
        }
        while taken.contains(&label) {
            label.push('x');
        }
        taken.insert(label.clone());
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_unique() {
        assert_eq!(snake_case("OrdersFunction"), "orders_function");
        assert_eq!(snake_case("/pets/{petId}"), "pets_pet_id");
        assert_eq!(snake_case("APIKey"), "api_key");
        assert_eq!(snake_case("lambda_arn"), "lambda_arn");
        assert_eq!(snake_case("$default"), "default");
        let mut labels = Labels::default();
        assert_eq!(labels.claim("aws_x", "Pets-A", "/pets-a"), "pets_a");
        let second = labels.claim("aws_x", "pets_a", "/pets_a");
        assert!(
            second.starts_with("pets_a_") && second.len() == 13,
            "{second}"
        );
        assert_eq!(labels.claim("aws_y", "pets_a", "/pets_a"), "pets_a");
        assert_eq!(labels.claim("aws_x", "2xx", "2xx"), "n_2xx");
    }
}
