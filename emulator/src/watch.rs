//! Serving from a command line: start the server on its own runtime, watch the
//! source files (a cheap mtime poll), recompile and reload when one changes, stop on Ctrl-C or
//! SIGTERM, ending every handler process with it.
//! Compiling is the caller's: it hands back IR, never a path for this crate to parse.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::plan::Plan;
use crate::server::{ServeError, ServeOptions, Server};

/// What a compile step produced: the resolved plan and every file it was read from.
pub struct Compiled {
    pub plan: Plan,
    pub files: Vec<PathBuf>,
}

/// What the session tells its caller.
pub enum Report<'a> {
    Started(&'a Server),
    Reloaded(&'a Server),
    /// A recompile failed; the previous APIs keep being served.
    ReloadFailed(String),
    Stopping,
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
}

/// SIGTERM where the platform has it; elsewhere a signal that never comes.
struct Terminate {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Terminate {
    fn new() -> std::io::Result<Self> {
        Ok(Terminate {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?,
        })
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            self.signal.recv().await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    }
}

/// What the watch compares: each file's modification time and length. The length too, because
/// a file rewritten in place is first truncated: a poll that lands between the truncation and
/// the write sees a half-written file, and the finished write may carry the same timestamp
/// where the file system's clock is coarse.
fn modified(files: &[PathBuf]) -> Vec<Option<(SystemTime, u64)>> {
    files
        .iter()
        .map(|file| {
            std::fs::metadata(file)
                .and_then(|meta| Ok((meta.modified()?, meta.len())))
                .ok()
        })
        .collect()
}

/// Serves `first` until Ctrl-C. When `watch` is set, polls the compiled files every `watch`
/// and calls `compile` again when one changed.
pub fn run(
    first: Compiled,
    mut compile: impl FnMut() -> Result<Compiled, String>,
    watch: Option<Duration>,
    options: ServeOptions,
    mut report: impl FnMut(Report<'_>),
) -> Result<(), WatchError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(WatchError::Runtime)?;
    runtime.block_on(async move {
        // Stamp the files before the route table goes out: whoever reads it may edit a file at
        // once, and an edit stamped as the starting point would never be reloaded.
        let mut files = first.files;
        let mut stamps = modified(&files);
        let server = Server::start_plan(first.plan, options).await?;
        report(Report::Started(&server));
        let interval = watch.unwrap_or(Duration::from_secs(3600));
        // SIGTERM (a supervisor, `timeout`) stops as cleanly as Ctrl-C, so handler processes
        // are ended with the server rather than left behind.
        let mut terminate = Terminate::new().map_err(WatchError::Runtime)?;
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = terminate.recv() => break,
                _ = tokio::time::sleep(interval) => {
                    if watch.is_none() {
                        continue;
                    }
                    let now = modified(&files);
                    if now == stamps {
                        continue;
                    }
                    stamps = now;
                    match compile() {
                        Ok(compiled) => {
                            server.reload_plan(compiled.plan).await?;
                            files = compiled.files;
                            stamps = modified(&files);
                            report(Report::Reloaded(&server));
                        }
                        Err(message) => report(Report::ReloadFailed(message)),
                    }
                }
            }
        }
        report(Report::Stopping);
        server.shutdown();
        Ok(())
    })
}
