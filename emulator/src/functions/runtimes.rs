//! apigw's own runtime-interface clients, so that an unmodified `module.function` handler runs
//! through the Runtime API with only its interpreter installed. The clients are embedded in the
//! binary and written to a directory at start.

use std::path::{Path, PathBuf};

/// The Python client: stdlib only.
pub const PYTHON_BOOTSTRAP: &str = include_str!("../../runtimes/python/bootstrap.py");
/// The Node.js client: core modules only.
pub const NODE_BOOTSTRAP: &str = include_str!("../../runtimes/node/bootstrap.js");

/// Writes the clients under `dir` (only when their content changed) and returns `dir`.
pub fn install(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in [
        ("bootstrap.py", PYTHON_BOOTSTRAP),
        ("bootstrap.js", NODE_BOOTSTRAP),
    ] {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(text) {
            // Write then rename, so a handler starting meanwhile never reads half a file.
            let temporary = dir.join(format!(
                "{name}.{}.{:016x}.tmp",
                std::process::id(),
                fastrand::u64(..)
            ));
            std::fs::write(&temporary, text)?;
            std::fs::rename(&temporary, &path)?;
        }
    }
    Ok(dir.to_path_buf())
}

/// The default directory for the clients: one per apigw version, under the temp dir.
pub fn default_dir() -> PathBuf {
    std::env::temp_dir().join(format!("apigw-runtimes-{}", env!("CARGO_PKG_VERSION")))
}

/// Finds `program` on PATH.
fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Whether `program --version` succeeds (a version-manager shim may exist and still fail).
fn runs(program: &Path) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The command that runs a handler of `runtime` (`python3.12`, `nodejs20.x`, `provided.al2023`).
pub fn launch_for(
    runtime: &str,
    runtime_dir: &Path,
    code_dir: &Path,
) -> Result<Vec<String>, String> {
    let lossy = |path: &Path| path.to_string_lossy().into_owned();
    if let Some(version) = runtime.strip_prefix("python") {
        // The exact interpreter when installed (`python3.12`), else any Python 3.
        let interpreter = which(&format!("python{version}"))
            .filter(|candidate| runs(candidate))
            .or_else(|| which("python3"))
            .ok_or_else(|| {
                format!("runtime `{runtime}` needs `python{version}` or `python3` on PATH")
            })?;
        return Ok(vec![
            lossy(&interpreter),
            lossy(&runtime_dir.join("bootstrap.py")),
        ]);
    }
    if runtime.starts_with("nodejs") {
        let node =
            which("node").ok_or_else(|| format!("runtime `{runtime}` needs `node` on PATH"))?;
        return Ok(vec![lossy(&node), lossy(&runtime_dir.join("bootstrap.js"))]);
    }
    if runtime.starts_with("provided") {
        // Custom runtimes: Lambda runs `bootstrap` from the code directory.
        return Ok(vec![lossy(&code_dir.join("bootstrap"))]);
    }
    Err(format!(
        "runtime `{runtime}` has no local client; bind the function with `bootstrap:` or `command:` instead"
    ))
}
