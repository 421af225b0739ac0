//! `bitext align`: align a Chinese text with its English translation.

use std::io::{self, Write};

use super::stdout_error;
use crate::cli::AlignArgs;
use crate::config::AlignConfig;
use crate::error::Result;
use crate::text::count;

pub(super) async fn align(args: &AlignArgs) -> Result<i32> {
    let config = AlignConfig::from_args(args)?;
    for warning in &config.warnings {
        eprintln!("warning: {warning}");
    }
    let report = config.aligner()?.run().await?;
    if !config.quiet {
        let mut out = io::stdout().lock();
        let beads: Vec<String> = report
            .beads
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let flags: Vec<String> = report
            .flags
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let outputs: Vec<String> = report
            .outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        writeln!(
            out,
            "Aligned {} with {} in {:.2} s\n  beads: {}\n  flags: {}\n  {} + {} → {}",
            count(report.zh_segments, "Chinese segment", "Chinese segments"),
            count(report.en_sentences, "English sentence", "English sentences"),
            report.elapsed.as_secs_f64(),
            beads.join(", "),
            if flags.is_empty() {
                "none".to_string()
            } else {
                flags.join(", ")
            },
            config.zh.display(),
            config.en.display(),
            outputs.join(", ")
        )
        .map_err(stdout_error)?;
    }
    Ok(0)
}
