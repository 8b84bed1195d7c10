//! The content hash of a REST API's deployed content. A REST `Deployment` is an immutable
//! snapshot, so a target names it after this hash (CloudFormation: in the logical id;
//! Terraform: in `triggers`): any change to the API gives a new deployment, and a change
//! elsewhere in the template gives none.

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// SHA-256 over the serialized documents that make up an API's deployed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentHash {
    hex: String,
}

impl DeploymentHash {
    /// Hashes `parts` in order. Each part is serialized as compact JSON (the bytes of
    /// `part.to_string()`) in its own key order, which the targets build deterministically,
    /// and followed by a zero byte so that moving text from one part to the next changes the
    /// hash. The parts, and the entries of a large object, are serialized on all cores; the
    /// digest reads the pieces in order, so it is the digest of the text written in one go.
    pub fn of<'a>(parts: impl IntoIterator<Item = &'a serde_json::Value>) -> Self {
        /// Parts serialized together: a resources-mode REST API has tens of thousands of small
        /// ones.
        const BATCH: usize = 64;
        let parts: Vec<&serde_json::Value> = parts.into_iter().collect();
        let pieces: Vec<Vec<u8>> = parts
            .par_chunks(BATCH)
            .map(|batch| {
                let mut text = Vec::new();
                for part in batch {
                    crate::json::write_compact(part, &mut text);
                    text.push(0);
                }
                text
            })
            .collect();
        let mut hasher = Sha256::new();
        for piece in &pieces {
            hasher.update(piece);
        }
        let digest = hasher.finalize();
        let hex = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        DeploymentHash { hex }
    }

    /// All 64 hex digits.
    pub fn full(&self) -> &str {
        &self.hex
    }

    /// The first 10 hex digits, for names: 40 bits make an accidental repeat between two
    /// versions of one API negligible.
    pub fn short(&self) -> &str {
        self.hex.get(..10).unwrap_or(&self.hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hash_follows_content_and_part_boundaries() {
        let a = DeploymentHash::of([&json!({"a": 1}), &json!("b")]);
        let b = DeploymentHash::of([&json!({"a": 1}), &json!("b")]);
        let c = DeploymentHash::of([&json!({"a": 2}), &json!("b")]);
        let d = DeploymentHash::of([&json!("ab")]);
        let e = DeploymentHash::of([&json!("a"), &json!("b")]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(d, e);
        assert_eq!(a.short().len(), 10);
        // The digest of the parts' text, each followed by a zero byte.
        let text = "{\"a\":1}\u{0}\"b\"\u{0}";
        let expected: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(a.full(), expected);
        let many: Vec<serde_json::Value> = (0..1000).map(|index| json!({"i": index})).collect();
        let joined: String = many.iter().map(|part| format!("{part}\u{0}")).collect();
        let expected: String = Sha256::digest(joined.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(DeploymentHash::of(&many).full(), expected);
        assert_eq!(a.full().len(), 64);
    }
}
