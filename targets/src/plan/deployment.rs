//! The content hash of a REST API's deployed content. A REST `Deployment` is an immutable
//! snapshot, so a target names it after this hash (CloudFormation: in the logical id;
//! Terraform: in `triggers`): any change to the API gives a new deployment, and a change
//! elsewhere in the template gives none.

use rayon::prelude::*;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{json, print_in_chunks};

/// Parts read together. (The entries of a large object are read in the chunks of
/// `print_in_chunks`, also 64.)
const BATCH: usize = 64;

/// A large object as the hash reads it: `{`, the SHA-256 of each 64 entries' text, `}`.
fn large_object(map: &Map<String, Value>, out: &mut Vec<u8>) {
    let digests = print_in_chunks(map, |chunk_index, chunk| {
        let mut text = Vec::new();
        for (index, (key, value)) in chunk.iter().enumerate() {
            json::compact_entry(
                chunk_index == 0 && index == 0,
                key,
                value,
                &mut text,
                &large_object,
            );
        }
        <[u8; 32]>::from(Sha256::digest(&text))
    });
    out.push(b'{');
    for digest in digests {
        out.extend_from_slice(&digest);
    }
    out.push(b'}');
}

/// SHA-256 over the serialized documents that make up an API's deployed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentHash {
    hex: String,
}

impl DeploymentHash {
    /// Hashes `parts` in order, on all cores. Each part is read as its compact JSON text, in
    /// its own key order (which the targets build deterministically), except that the entries of
    /// a large object (the paths of a body) are read 64 at a time as the SHA-256 of their text;
    /// each part is followed by a zero byte, so that moving text from one part to the next
    /// changes the hash. The parts are read 64 at a time too, and the hash is the SHA-256 of
    /// those batches' digests in order. So no text of the whole API is ever held, and nothing
    /// depends on how many cores there are.
    pub fn of<'a>(parts: impl IntoIterator<Item = &'a serde_json::Value>) -> Self {
        let parts: Vec<&serde_json::Value> = parts.into_iter().collect();
        let digests: Vec<[u8; 32]> = parts
            .par_chunks(BATCH)
            .map(|batch| {
                let mut text = Vec::new();
                for part in batch {
                    json::write_compact(part, &mut text, &large_object);
                    text.push(0);
                }
                Sha256::digest(&text).into()
            })
            .collect();
        let mut hasher = Sha256::new();
        for digest in &digests {
            hasher.update(digest);
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
        // Small parts: the digest of the digest of their text, each followed by a zero byte.
        let sha = |bytes: &[u8]| -> [u8; 32] { Sha256::digest(bytes).into() };
        let hex = |digest: [u8; 32]| -> String {
            digest.iter().map(|byte| format!("{byte:02x}")).collect()
        };
        assert_eq!(a.full(), hex(sha(&sha(b"{\"a\":1}\x00\"b\"\x00"))));
        // More parts than a batch: one digest per 64 parts.
        let many: Vec<Value> = (0..100).map(|index| json!({"i": index})).collect();
        let batch = |parts: &[Value]| -> [u8; 32] {
            sha(parts
                .iter()
                .map(|part| format!("{part}\u{0}"))
                .collect::<String>()
                .as_bytes())
        };
        let (first, second) = many.split_at(64);
        let expected = hex(sha(&[batch(first), batch(second)].concat()));
        assert_eq!(DeploymentHash::of(&many).full(), expected);
    }

    #[test]
    fn a_large_object_is_read_by_digests_of_its_entries_and_follows_each_change() {
        let entries = |changed: Option<usize>| -> Value {
            let map: Map<String, Value> = (0..1000)
                .map(|index| {
                    let value = if Some(index) == changed {
                        json!(-1)
                    } else {
                        json!(index)
                    };
                    (format!("/p{index}"), value)
                })
                .collect();
            json!({"Body": {"paths": Value::Object(map)}})
        };
        let whole = entries(None);
        // The text it reads: the small object around it in full, the paths by digest.
        let Some(Value::Object(paths)) = whole.pointer("/Body/paths") else {
            unreachable!("built above")
        };
        let pairs: Vec<(&String, &Value)> = paths.iter().collect();
        let mut text = b"{\"Body\":{\"paths\":{".to_vec();
        for (index, chunk) in pairs.chunks(64).enumerate() {
            let joined: Vec<String> = chunk
                .iter()
                .map(|(key, value)| format!("{}:{value}", Value::String((*key).clone())))
                .collect();
            let mut chunk_text = joined.join(",");
            if index > 0 {
                chunk_text.insert(0, ',');
            }
            text.extend_from_slice(&Sha256::digest(chunk_text.as_bytes()));
        }
        text.extend_from_slice(b"}}}\x00");
        let expected: String = Sha256::digest(Sha256::digest(&text))
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(DeploymentHash::of([&whole]).full(), expected);
        // Any one entry changed changes the hash.
        for changed in [0, 63, 64, 500, 999] {
            assert_ne!(
                DeploymentHash::of([&entries(Some(changed))]),
                DeploymentHash::of([&whole])
            );
        }
    }
}
