//! `bitext export-tm`: write the translation memory as TMX.

use std::io::{self, Write};

use super::{memory_location, repaired_copy_note};
use crate::backend;
use crate::cli::{ExportTmArgs, TmFormat};
use crate::error::{Error, Result};
use crate::memory::Memory;
use crate::output::AtomicFile;
use crate::text::count;

pub(super) fn export_tm(args: &ExportTmArgs) -> Result<i32> {
    if args.backend.as_deref() == Some(backend::dictionary::NAME) {
        return Err(crate::ErrorKind::Usage(
            "--backend dictionary: the offline dictionary's word-by-word glosses are not translations, and are never stored or exported".into(),
        )
        .into());
    }
    let location = memory_location(args.memory.cache.as_deref())?;
    // Read without writing: the memory may be in use by a run, or need a
    // repair that the next run makes.
    let Some(cache) = Memory::open_at_for_reading(&location)? else {
        return Err(crate::ErrorKind::Usage(format!(
            "{location}: no translation memory there yet; translate with a caching backend, import a reviewed file, or pass --cache FILE"
        ))
        .into());
    };
    if cache.is_repaired_copy() {
        eprintln!("note: {}", repaired_copy_note(&cache));
    }
    let filter = crate::output::MemoryFilter::default()
        .reviewed_only(args.reviewed_only)
        .backend(args.backend.clone())
        .all(args.all);
    let entries = cache.entries()?;
    let counts = match (args.format, &args.output) {
        (TmFormat::Tmx, Some(output)) => {
            AtomicFile::remove_stale(std::slice::from_ref(output));
            let mut file = AtomicFile::create(output)?;
            let counts = crate::output::write_memory(entries, &filter, &mut file, output)?;
            file.commit()?;
            counts
        }
        (TmFormat::Tmx, None) => {
            let stdout = std::path::Path::new("-");
            let mut out = io::BufWriter::new(io::stdout().lock());
            let counts = crate::output::write_memory(entries, &filter, &mut out, stdout)?;
            out.flush().map_err(|e| Error::write(stdout, e))?;
            counts
        }
    };
    let mut notes = Vec::new();
    if counts.left_out > 0 {
        notes.push(format!(
            "{} left out{}",
            counts.left_out,
            if args.all {
                " by the filters"
            } else {
                " (filtered, or another translation of the same source)"
            }
        ));
    }
    if counts.glosses > 0 {
        notes.push(format!(
            "{} skipped (not translations)",
            count(counts.glosses, "dictionary gloss", "dictionary glosses")
        ));
    }
    eprintln!(
        "exported {} ({} machine, {} reviewed){} from {}",
        count(
            counts.machine + counts.reviewed,
            "translation",
            "translations"
        ),
        counts.machine,
        counts.reviewed,
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        },
        location
    );
    Ok(0)
}
