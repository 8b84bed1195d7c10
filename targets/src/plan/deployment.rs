//! The content hash of a REST API's deployed content. A REST `Deployment` is an immutable
//! snapshot, so a target names it after this hash (CloudFormation: in the logical id;
//! Terraform: in `triggers`): any change to the API gives a new deployment, and a change
//! elsewhere in the template gives none.

use std::io::Write as _;

use sha2::{Digest, Sha256};

/// SHA-256 over the serialized documents that make up an API's deployed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentHash {
    hex: String,
}

/// Feeds what is written into a SHA-256.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl DeploymentHash {
    /// Hashes `parts` in order. Each part is serialized as compact JSON in its own key order,
    /// which the targets build deterministically, and followed by a separator so that moving
    /// text from one part to the next changes the hash.
    pub fn of<'a>(parts: impl IntoIterator<Item = &'a serde_json::Value>) -> Self {
        let mut hasher = Sha256::new();
        for part in parts {
            // Serialized straight into the hasher: the same bytes as `part.to_string()`, without
            // building a copy of a body that can be tens of megabytes. The serializer writes a
            // few bytes at a time; a buffer feeds the hasher whole blocks instead.
            let mut writer = std::io::BufWriter::with_capacity(64 * 1024, HashWriter(&mut hasher));
            let written = serde_json::to_writer(&mut writer, part)
                .map_err(std::io::Error::from)
                .and_then(|()| writer.flush());
            drop(writer);
            if written.is_err() {
                // Writing to a hasher cannot fail, and a `Value` always serializes; hash the
                // text form if it ever did, so the result stays a function of the content.
                hasher.update(part.to_string().as_bytes());
            }
            hasher.update([0u8]);
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
        assert_eq!(a.full().len(), 64);
    }
}
