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
            eprintln!("error: {err:#}");
            let code = err
                .downcast_ref::<bitext::Error>()
                .map_or(2, bitext::Error::exit_code);
            ExitCode::from(code as u8)
        }
    }
}
