//! `bitext glossary check` and `bitext glossary export`.

use std::io::{self, Write};

use crate::cli::{CheckFormat, ExportFormat, GlossaryCommand, GlossaryFiles};
use crate::config::{GlossaryChoice, ReadConfig, language_tag};
use crate::error::{Error, Result};
use crate::input;
use crate::output::{AtomicFile, GlossaryInfo};
use crate::text::count;

pub(super) fn glossary(command: &GlossaryCommand) -> Result<i32> {
    let stdout = std::path::Path::new("-");
    match command {
        GlossaryCommand::Check(args) => {
            let files = &args.files;
            let (source_lang, target_lang) = languages(files)?;
            let glossary = GlossaryChoice::from_files(&files.glossaries)
                .load(&source_lang, &target_lang)?
                .unwrap_or_default();
            let read = ReadConfig::from_args(&args.inputs, &args.read, None)?;
            let segmenter = read.segmenter(&source_lang)?;
            let mut documents = Vec::new();
            for input in &read.inputs {
                let format = read.format_of(input);
                let doc = input::document(input, read.encoding, format, &segmenter)?;
                documents.push(glossary.annotate_document(&doc));
            }
            let mut out = io::stdout().lock();
            let written = match args.format {
                CheckFormat::Text => (|| {
                    let info = GlossaryInfo::of(&glossary);
                    writeln!(out, "{}: {}", info.names.join(", "), info.size_and_id())?;
                    for doc in &documents {
                        write!(out, "{doc}")?;
                        let matches: usize = doc.segments.iter().map(|s| s.terms.len()).sum();
                        let terms: std::collections::HashSet<usize> = doc
                            .segments
                            .iter()
                            .flat_map(|s| s.terms.iter().map(|t| t.term_id))
                            .collect();
                        writeln!(
                            out,
                            "{}: {} of {} in {}",
                            doc.source,
                            count(matches, "match", "matches"),
                            count(terms.len(), "term", "terms"),
                            count(doc.segments.len(), "segment", "segments")
                        )?;
                    }
                    Ok(())
                })(),
                CheckFormat::Json => {
                    let value = serde_json::json!({
                        "glossary": {
                            "files": glossary.names(),
                            "entries": glossary.len(),
                            "id": glossary.id(),
                        },
                        "documents": documents,
                    });
                    serde_json::to_writer_pretty(&mut out, &value)
                        .map_err(io::Error::from)
                        .and_then(|()| writeln!(out))
                }
            };
            written.map_err(|e| Error::write(stdout, e))?;
            Ok(0)
        }
        GlossaryCommand::Extract(args) => {
            // Asynchronous (it may call a backend): dispatched by `run`.
            Err(crate::ErrorKind::Usage(format!(
                "internal: glossary extract of {} inputs reached the synchronous glossary commands",
                args.inputs.len()
            ))
            .into())
        }
        GlossaryCommand::Export(args) => {
            let (source_lang, target_lang) = languages(&args.files)?;
            let glossary = GlossaryChoice::from_files(&args.files.glossaries)
                .load(&source_lang, &target_lang)?
                .unwrap_or_default();
            let mut buffer = Vec::new();
            match args.format {
                ExportFormat::Tsv => glossary.write_tsv(&mut buffer),
                ExportFormat::Tbx => glossary.write_tbx(&source_lang, &target_lang, &mut buffer),
            }
            .map_err(|e| Error::write(stdout, e))?;
            match &args.output {
                Some(path) => {
                    let mut file = AtomicFile::create(path)?;
                    file.write_all(&buffer).map_err(|e| Error::write(path, e))?;
                    file.commit()?;
                }
                None => io::stdout()
                    .lock()
                    .write_all(&buffer)
                    .map_err(|e| Error::write(stdout, e))?,
            }
            Ok(0)
        }
    }
}

fn languages(files: &GlossaryFiles) -> Result<(String, String)> {
    Ok((
        language_tag(&files.source_lang, "--source-lang")?,
        language_tag(&files.target_lang, "--target-lang")?,
    ))
}
