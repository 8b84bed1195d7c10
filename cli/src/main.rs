//! The `apigw` binary: parses arguments, reads files, renders diagnostics, picks the exit code.
//! Each command lives in `commands/`; this file only dispatches.

mod args;
mod commands;
mod docs;
mod render;
mod walk;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::commands::Outcome;
use crate::render::Palette;

/// See the root Cargo.toml for why this allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // clap exits by itself: 0 for --help and --version, 2 for a usage error.
    let cli = Cli::parse();
    // These commands write their own output and pick their own exit status.
    let command = match cli.command {
        Command::Build(args) => return commands::build::run(args),
        Command::Serve(args) => return commands::serve::run(args),
        Command::Init(args) => return commands::init::run(args),
        Command::Convert(args) => return commands::convert::run(args),
        Command::Schema(args) => return commands::schema::run(args),
        command => command,
    };
    let palette = Palette::new(cli.color.resolve());
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &command {
        Command::Check(check) => commands::check::run(check, palette, &mut out),
        Command::Rules => commands::rules::run(palette, &mut out),
        Command::Explain(explain) => commands::explain::run(&explain.rule, palette, &mut out),
        Command::DocGen(doc_gen) => commands::doc_gen::run(&doc_gen.out, &mut out),
        // Handled above, before the output is locked.
        Command::Build(_)
        | Command::Serve(_)
        | Command::Init(_)
        | Command::Convert(_)
        | Command::Schema(_) => Ok(Outcome::Failure),
    }
    .and_then(|outcome| out.flush().map(|()| outcome));
    match result {
        Ok(outcome) => outcome.into(),
        // A reader that stopped early (`apigw rules | head`) is not a failure.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Outcome::Clean.into(),
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure.into()
        }
    }
}
