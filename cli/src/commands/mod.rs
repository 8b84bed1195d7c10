//! One module per command. Each returns an [`Outcome`]; `main` turns it into the exit status.

pub mod build;
pub mod check;
pub mod convert;
pub mod doc_gen;
pub mod explain;
pub mod init;
pub mod rules;
pub mod schema;
pub mod serve;

use std::process::ExitCode;

/// How a command ended, as the exit status tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 0: nothing to report (warnings allowed unless denied).
    Clean,
    /// 1: the input has errors.
    Problems,
    /// 2: the command could not do its work: bad arguments, an unreadable path.
    Failure,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(match outcome {
            Outcome::Clean => 0,
            Outcome::Problems => 1,
            Outcome::Failure => 2,
        })
    }
}
