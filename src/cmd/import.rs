//! `bitext import`: store a reviewer's edits in the translation memory.

use super::memory_location;
use crate::cli::ImportArgs;
use crate::config::{file_languages, language_tag};
use crate::error::{Error, Result};
use crate::memory::Memory;
use crate::review::{ImportPlan, Reference, ReviewFile};
use crate::text::count;

pub(super) fn import(args: &ImportArgs) -> Result<i32> {
    let (source_flag, target_flag) = file_languages(&args.languages)?;
    let location = memory_location(args.memory.cache.as_deref())?;
    let cache = Memory::open_at(&location)?;
    let (mut imported, mut unchanged, mut rejected, mut failed) = (0, 0, 0, 0);
    for file in &args.files {
        let result = (|| {
            let review = ReviewFile::read(file)?;
            let [source_lang, target_lang] = [
                (&review.source_lang, &source_flag, "--source-lang", "zh-CN"),
                (&review.target_lang, &target_flag, "--target-lang", "en-US"),
            ]
            .map(|(stated, flag, option, default)| {
                pick_language(file, stated.as_deref(), flag.as_deref(), option, default)
            });
            let (source_lang, target_lang) = (source_lang?, target_lang?);
            let reference = match Reference::beside(file) {
                Some(jsonl) => Reference::from_jsonl(&jsonl)?,
                None => Reference::from_memory(&cache, &source_lang, &target_lang)?,
            };
            let plan = ImportPlan::new(&review, &reference);
            let stored = plan.store(&cache, &source_lang, &target_lang)?;
            Ok::<_, Error>((review, reference, plan, stored))
        })();
        match result {
            Ok((review, reference, plan, stored)) => {
                for r in &plan.rejected {
                    let place = match r.line {
                        Some(line) => format!("{}:{line}", file.display()),
                        None => file.display().to_string(),
                    };
                    let id = r.id.map(|id| format!("segment {id}: ")).unwrap_or_default();
                    eprintln!("rejected: {place}: {id}{}", r.reason);
                }
                println!(
                    "{}: {} {} {} compared with {}: {stored} changed, {} unchanged, {} rejected",
                    file.display(),
                    review.rows.len() + review.rejected.len(),
                    review.format,
                    if review.rows.len() + review.rejected.len() == 1 {
                        "row"
                    } else {
                        "rows"
                    },
                    reference.name(),
                    plan.unchanged,
                    plan.rejected.len()
                );
                for row in &plan.changed {
                    println!(
                        "  edited: segment {} ({}:{})",
                        row.id,
                        file.display(),
                        row.line
                    );
                }
                imported += stored;
                unchanged += plan.unchanged;
                rejected += plan.rejected.len();
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    println!(
        "imported {}, {unchanged} unchanged, {rejected} rejected",
        count(imported, "reviewed translation", "reviewed translations")
    );
    println!("  translation memory: {location}");
    Ok(if failed > 0 {
        2
    } else if rejected > 0 {
        1
    } else {
        0
    })
}

/// The language of a reviewed file: the one it states (which a flag must
/// agree with), else the flag, else the default.
fn pick_language(
    file: &std::path::Path,
    stated: Option<&str>,
    flag: Option<&str>,
    option: &str,
    default: &str,
) -> Result<String> {
    let stated = stated.map(|t| language_tag(t, option)).transpose()?;
    match (stated, flag) {
        (Some(stated), Some(flag)) if stated != flag => Err(crate::ErrorKind::Usage(format!(
            "{}: the file is in {stated}, but {option} says {flag}; drop {option} or import the right file",
            file.display()
        ))
        .into()),
        (Some(stated), _) => Ok(stated),
        (None, Some(flag)) => Ok(flag.to_string()),
        (None, None) => Ok(default.to_string()),
    }
}
