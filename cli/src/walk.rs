//! Turns the PATHs given to `apigw check` into the sorted list of files to compile. Owns which
//! files a directory search picks up (by extension, skipping hidden directories, `target/` and
//! `node_modules/`); it does not decide whether a file is a spec, which only loading can tell.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use camino::{Utf8Path, Utf8PathBuf};

/// File name endings a directory search picks up. `.tpl` and `.tftpl` are Terraform
/// `templatefile` inputs, `.template` CloudFormation's historical extension.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "tpl", "tftpl", "template"];

/// Directories a search never enters besides hidden ones: build output and vendored packages.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Deepest directory nesting searched; symbolic links to directories are not followed, so only
/// a pathological tree comes near it.
const MAX_DEPTH: usize = 64;

/// A file to compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: Utf8PathBuf,
    /// Named on the command line rather than found in a directory: always reported, even when
    /// it is neither a spec nor a template.
    pub explicit: bool,
}

/// A PATH (or something below it) that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("cannot read {path}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: the path is not valid UTF-8")]
    NonUtf8Path { path: String },
    #[error("{path}: directories nest deeper than {MAX_DEPTH} levels")]
    TooDeep { path: String },
}

#[derive(Debug, Default)]
pub struct Walked {
    /// Sorted by path, each path once.
    pub inputs: Vec<Input>,
    pub errors: Vec<WalkError>,
}

/// Expands `paths`: files as given, directories searched recursively.
pub fn walk(paths: &[PathBuf]) -> Walked {
    let mut found: BTreeMap<Utf8PathBuf, bool> = BTreeMap::new();
    let mut errors = Vec::new();
    for path in paths {
        let Some(utf8) = Utf8Path::from_path(path) else {
            errors.push(WalkError::NonUtf8Path {
                path: path.display().to_string(),
            });
            continue;
        };
        match fs::metadata(path) {
            Err(source) => errors.push(WalkError::Read {
                path: utf8.to_string(),
                source,
            }),
            Ok(metadata) if metadata.is_dir() => {
                search(utf8, 0, &mut found, &mut errors);
            }
            Ok(_) => match fs::File::open(path) {
                Ok(_) => {
                    found.insert(utf8.to_owned(), true);
                }
                Err(source) => errors.push(WalkError::Read {
                    path: utf8.to_string(),
                    source,
                }),
            },
        }
    }
    // `apigw check .` reports `api/pets.yaml`, not `./api/pets.yaml`, as editors and GitHub's
    // annotations expect paths.
    let mut inputs: BTreeMap<Utf8PathBuf, bool> = BTreeMap::new();
    for (path, explicit) in found {
        let path = match path.strip_prefix(".") {
            Ok(rest) if !rest.as_str().is_empty() => rest.to_owned(),
            _ => path,
        };
        *inputs.entry(path).or_default() |= explicit;
    }
    Walked {
        inputs: inputs
            .into_iter()
            .map(|(path, explicit)| Input { path, explicit })
            .collect(),
        errors,
    }
}

fn search(
    dir: &Utf8Path,
    depth: usize,
    found: &mut BTreeMap<Utf8PathBuf, bool>,
    errors: &mut Vec<WalkError>,
) {
    if depth > MAX_DEPTH {
        errors.push(WalkError::TooDeep {
            path: dir.to_string(),
        });
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(WalkError::Read {
                path: dir.to_string(),
                source,
            });
            return;
        }
    };
    let mut children: Vec<(PathBuf, fs::FileType)> = Vec::new();
    for entry in entries {
        match entry.and_then(|entry| Ok((entry.path(), entry.file_type()?))) {
            Ok(child) => children.push(child),
            Err(source) => errors.push(WalkError::Read {
                path: dir.to_string(),
                source,
            }),
        }
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in children {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_type.is_dir() {
            if name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_str()) {
                continue;
            }
            match Utf8Path::from_path(&path) {
                Some(child) => search(child, depth + 1, found, errors),
                None => errors.push(WalkError::NonUtf8Path {
                    path: path.display().to_string(),
                }),
            }
        } else if has_spec_extension(&name) && is_file(&path, file_type) {
            match Utf8PathBuf::from_path_buf(path) {
                Ok(child) => {
                    found.entry(child).or_insert(false);
                }
                Err(path) => errors.push(WalkError::NonUtf8Path {
                    path: path.display().to_string(),
                }),
            }
        }
    }
}

/// A regular file, or a symbolic link to one (links to directories are not followed, so a
/// search cannot loop).
fn is_file(path: &Path, file_type: fs::FileType) -> bool {
    file_type.is_file()
        || (file_type.is_symlink() && fs::metadata(path).is_ok_and(|metadata| metadata.is_file()))
}

fn has_spec_extension(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && EXTENSIONS
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
    })
}
