//! The `bitext` command: parse arguments, run the library, report errors.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

fn main() -> ExitCode {
    let cli = bitext::cli::Cli::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .and_then(|rt| Ok(rt.block_on(bitext::run(cli))?));
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) => {
            // The library's messages already name their cause: one line.
            match err.downcast_ref::<bitext::Error>() {
                Some(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(e.exit_code() as u8)
                }
                None => {
                    eprintln!("error: {err:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
