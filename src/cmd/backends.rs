//! `bitext backends`: list the backends and what they need.

use std::io::{self, Write};

use crate::backend;
use crate::error::{Error, Result};

pub(super) fn backends() -> Result<i32> {
    let mut out = io::stdout().lock();
    let stdout = std::path::Path::new("-");
    for info in backend::builtins() {
        let caps = info.capabilities;
        writeln!(
            out,
            "{}\n  {}\n  needs: {}\n  glossary: {}\n  languages: {}\n  batches: up to {} segments, {} characters{}",
            info.name,
            info.summary,
            info.needs,
            info.glossary,
            match caps.languages {
                backend::Languages::Any => "any pair the service (or program) translates".to_string(),
                backend::Languages::Only { source, target } =>
                    format!("{} into {} only", source.join(", "), target.join(", ")),
            },
            caps.max_batch,
            caps.max_chars,
            if caps.network {
                ", network"
            } else {
                ", offline"
            }
        )
        .map_err(|e| Error::write(stdout, e))?;
        if let Some(url) = info.default_base_url {
            writeln!(out, "  address: {url} unless --base-url says otherwise")
                .map_err(|e| Error::write(stdout, e))?;
        }
    }
    Ok(0)
}
