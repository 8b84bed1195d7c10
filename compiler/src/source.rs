//! Where source text comes from. The compiler reads files only through [`World`], so tests use an
//! in-memory map and the emulator can reload; nothing else in the crate touches the file system.

use std::collections::BTreeMap;
use std::io;

use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;

/// Reads source files. Paths are as the user gave them (relative to the working directory or
/// absolute); the compiler joins relative `$ref`s and includes onto them itself.
pub trait World: Sync {
    fn read(&self, path: &Utf8Path) -> io::Result<Vec<u8>>;

    /// Whether `path` names a directory (used to refuse a `$ref` to one).
    fn is_dir(&self, path: &Utf8Path) -> bool {
        let _ = path;
        false
    }
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsWorld;

impl World for FsWorld {
    fn read(&self, path: &Utf8Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn is_dir(&self, path: &Utf8Path) -> bool {
        path.is_dir()
    }
}

/// Files held in memory, for tests and for editors that check unsaved buffers.
#[derive(Debug, Default, Clone)]
pub struct MemoryWorld {
    files: BTreeMap<Utf8PathBuf, Vec<u8>>,
}

impl MemoryWorld {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, path: impl Into<Utf8PathBuf>, text: impl Into<Vec<u8>>) -> Self {
        self.insert(path, text);
        self
    }

    pub fn insert(&mut self, path: impl Into<Utf8PathBuf>, text: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), text.into());
    }
}

impl World for MemoryWorld {
    fn read(&self, path: &Utf8Path) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{path}: no such file")))
    }
}

/// Index of a loaded file within one compilation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FileId(pub u32);
