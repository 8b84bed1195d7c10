//! JSON Pointers (RFC 6901): how every IR node and diagnostic names the source node it came from.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON Pointer such as `/paths/~1pets/get/x-amazon-apigateway-integration/uri`.
///
/// The empty pointer names the document root. Segments are stored escaped (`~0`, `~1`), so the
/// text is exactly what a user reads in a diagnostic.
///
/// The text is shared: every IR node keeps the pointer it came from, and a clone (an origin
/// taken from the node being read) costs a reference count, not a copy of the text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(Arc<str>);

impl Pointer {
    pub fn root() -> Self {
        Pointer::default()
    }

    /// Takes an already escaped pointer text (`""` or starting with `/`).
    pub fn from_escaped(text: impl AsRef<str>) -> Self {
        Pointer(Arc::from(text.as_ref()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This pointer with one more (unescaped) segment.
    pub fn join(&self, segment: impl AsRef<str>) -> Self {
        let segment = segment.as_ref();
        if !segment.contains(['~', '/']) {
            return self.joined(segment);
        }
        let mut escaped = String::with_capacity(segment.len() + 2);
        for ch in segment.chars() {
            match ch {
                '~' => escaped.push_str("~0"),
                '/' => escaped.push_str("~1"),
                other => escaped.push(other),
            }
        }
        self.joined(&escaped)
    }

    /// This pointer with an array index appended.
    pub fn index(&self, index: usize) -> Self {
        self.joined(&index.to_string())
    }

    /// This pointer, `/`, and an already escaped segment.
    fn joined(&self, escaped: &str) -> Self {
        // Composed in a buffer kept per thread, then copied once into the shared text: the front
        // ends join pointers by the million on a large spec.
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUFFER.with(|buffer| {
            let Ok(mut text) = buffer.try_borrow_mut() else {
                return Pointer(Arc::from(format!("{}/{escaped}", self.0)));
            };
            text.clear();
            text.push_str(&self.0);
            text.push('/');
            text.push_str(escaped);
            Pointer(Arc::from(text.as_str()))
        })
    }

    /// The unescaped segments, in order.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
    }

    /// The unescaped segments, borrowed from the pointer's text unless they hold an escape:
    /// for walking a tree without allocating a string per step.
    pub fn segments_borrowed(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
        self.0.split('/').skip(1).map(|segment| {
            if segment.contains('~') {
                std::borrow::Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
            } else {
                std::borrow::Cow::Borrowed(segment)
            }
        })
    }

    /// The parent pointer, or `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        self.0
            .rfind('/')
            .map(|at| Pointer(Arc::from(self.0.get(..at).unwrap_or_default())))
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `self` equals `prefix` or lies below it.
    pub fn starts_with(&self, prefix: &Pointer) -> bool {
        self.0 == prefix.0
            || (self.0.starts_with(&*prefix.0)
                && self.0.as_bytes().get(prefix.0.len()) == Some(&b'/'))
    }
}

impl Serialize for Pointer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Pointer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Pointer(Arc::from(text)))
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
        assert_eq!(
            Pointer::root().index(0).index(1234567).as_str(),
            "/0/1234567"
        );
        assert_eq!(
            Pointer::root().index(usize::MAX).as_str(),
            format!("/{}", usize::MAX)
        );
    }
}
