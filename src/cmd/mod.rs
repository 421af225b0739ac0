//! The subcommands: each turns its arguments into a configuration, runs the
//! library, and prints what a person needs to see.

mod align;
mod backends;
mod export_tm;
mod glossary;
mod glossary_extract;
mod import;
mod qa;
mod segment;
mod translate;

use std::io;

use crate::cli::{Cli, Command, GlossaryCommand};
use crate::config::MemoryChoice;
use crate::error::{Error, Result};
use crate::memory::Memory;
use align::align;
use backends::backends;
use export_tm::export_tm;
use glossary::glossary;
use import::import;
use qa::qa;
use segment::segment;
use translate::translate;

/// Run a parsed command line; returns the process exit code. Errors that
/// stop the whole run are returned; an input that fails in a batch is
/// printed and counted in the exit code.
pub async fn run(cli: Cli) -> Result<i32> {
    let result = match cli.command {
        Command::Translate(args) => translate(&args).await,
        Command::Align(args) => align(&args).await,
        Command::Segment(args) => segment(&args),
        Command::Backends => backends(),
        Command::Glossary(GlossaryCommand::Extract(args)) => glossary_extract::run(&args).await,
        Command::Glossary(command) => glossary(&command),
        Command::Import(args) => import(&args),
        Command::ExportTm(args) => export_tm(&args),
        Command::Qa(args) => qa(&args),
    };
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(0),
        other => other,
    }
}

fn stdout_error(e: io::Error) -> Error {
    Error::write(std::path::Path::new("-"), e)
}

fn is_broken_pipe(error: &Error) -> bool {
    match error.kind() {
        crate::ErrorKind::Write { source, .. } => source.kind() == io::ErrorKind::BrokenPipe,
        _ => false,
    }
}

/// The translation memory `bitext import` and `bitext export-tm` work on:
/// `--cache FILE|URL` (or `BITEXT_CACHE`), or the default one `translate`
/// uses.
fn memory_location(cache: Option<&std::path::Path>) -> Result<crate::memory::Location> {
    MemoryChoice::from_args(cache, false)?
        .location()
        .ok_or_else(|| {
            crate::ErrorKind::Usage(
            "there is no user cache directory for the default translation memory; pass --cache FILE"
                .into(),
        )
        .into()
        })
}

/// What a reader says when the memory it read needed a repair.
fn repaired_copy_note(cache: &Memory) -> String {
    format!(
        "the translation memory {} needs a repair (a run writing it was stopped, e.g. by kill -9); \
         read from a copy repaired in memory, and the file left unchanged (the next translate run repairs it)",
        cache.path().display()
    )
}

/// `n` with a comma between each group of three digits.
fn thousands(n: usize) -> String {
    crate::text::group_thousands(&n.to_string())
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped_by_commas() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (5903, "5,903"),
            (1234567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
    }
}
