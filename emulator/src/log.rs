//! Where the emulator's output goes: handler output, access logs and notices. The library never
//! prints; the caller decides (the CLI writes to the terminal, tests collect lines).

use std::sync::{Arc, Mutex};

/// Who said a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A function's process (stdout or stderr), by function name.
    Function(String),
    /// An access log line of an API, by API name.
    Access(String),
    /// The emulator itself.
    Gateway,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub source: Source,
    pub text: String,
}

/// Receives every line the emulator emits.
pub type Sink = Arc<dyn Fn(Line) + Send + Sync>;

/// A sink that drops everything.
pub fn discard() -> Sink {
    Arc::new(|_line| {})
}

/// A sink that keeps lines in memory, for tests and embedding.
#[derive(Clone, Default)]
pub struct Collector {
    lines: Arc<Mutex<Vec<Line>>>,
}

impl Collector {
    pub fn new() -> Self {
        Collector::default()
    }

    pub fn sink(&self) -> Sink {
        let lines = Arc::clone(&self.lines);
        Arc::new(move |line| {
            if let Ok(mut lines) = lines.lock() {
                lines.push(line);
            }
        })
    }

    pub fn lines(&self) -> Vec<Line> {
        self.lines
            .lock()
            .map(|lines| lines.clone())
            .unwrap_or_default()
    }
}

pub(crate) fn gateway(sink: &Sink, text: impl Into<String>) {
    sink(Line {
        source: Source::Gateway,
        text: text.into(),
    });
}
