//! JSON Pointers (RFC 6901): how every IR node and diagnostic names the source node it came from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A JSON Pointer such as `/paths/~1pets/get/x-amazon-apigateway-integration/uri`.
///
/// The empty pointer names the document root. Segments are stored escaped (`~0`, `~1`), so the
/// text is exactly what a user reads in a diagnostic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Takes an already escaped pointer text (`""` or starting with `/`).
    pub fn from_escaped(text: impl Into<String>) -> Self {
        Pointer(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This pointer with one more (unescaped) segment.
    pub fn join(&self, segment: impl AsRef<str>) -> Self {
        let segment = segment.as_ref();
        let mut text = String::with_capacity(self.0.len() + segment.len() + 1);
        text.push_str(&self.0);
        text.push('/');
        for ch in segment.chars() {
            match ch {
                '~' => text.push_str("~0"),
                '/' => text.push_str("~1"),
                other => text.push(other),
            }
        }
        Pointer(text)
    }

    /// This pointer with an array index appended.
    pub fn index(&self, index: usize) -> Self {
        Pointer(format!("{}/{}", self.0, index))
    }

    /// The unescaped segments, in order.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
    }

    /// The parent pointer, or `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        self.0
            .rfind('/')
            .map(|at| Pointer(self.0.get(..at).unwrap_or_default().to_owned()))
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `self` equals `prefix` or lies below it.
    pub fn starts_with(&self, prefix: &Pointer) -> bool {
        self.0 == prefix.0
            || (self.0.starts_with(&prefix.0)
                && self.0.as_bytes().get(prefix.0.len()) == Some(&b'/'))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_and_segments_unescape() {
        let ptr = Pointer::root().join("paths").join("/pets/{id}").join("a~b");
        assert_eq!(ptr.as_str(), "/paths/~1pets~1{id}/a~0b");
        let segments: Vec<String> = ptr.segments().collect();
        assert_eq!(segments, ["paths", "/pets/{id}", "a~b"]);
        assert_eq!(ptr.parent().unwrap().as_str(), "/paths/~1pets~1{id}");
        assert!(ptr.starts_with(&Pointer::from_escaped("/paths")));
        assert!(!ptr.starts_with(&Pointer::from_escaped("/path")));
    }
}
