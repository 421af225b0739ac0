//! bitext's Markdown review files (`translate` writes them, a reviewer
//! edits the English column), read by the same code as `bitext import`.

use super::{BilingualFile, QaUnit, ReadContext, Reader, read_error};
use crate::error::Result;
use crate::review::ReviewFile;

/// The Markdown reader.
pub(super) struct Markdown;

impl Reader for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn detects(&self, ctx: &ReadContext<'_>) -> bool {
        matches!(super::extension(ctx.path).as_str(), "md" | "markdown")
            || ctx.text.contains("| # | 中文 | English | Notes |")
    }

    fn read(&self, ctx: &ReadContext<'_>) -> Result<BilingualFile> {
        let review = ReviewFile::parse_markdown(ctx.path, ctx.text)?;
        if let Some(r) = review.rejected.first() {
            return Err(read_error(ctx.path, r.line.unwrap_or(0), r.reason.clone()));
        }
        Ok(BilingualFile {
            source_lang: review.source_lang,
            target_lang: review.target_lang,
            units: review
                .rows
                .into_iter()
                .map(|row| QaUnit {
                    id: row.id.to_string(),
                    line: Some(row.line),
                    source: row.source,
                    target: Some(row.target),
                    codes: None,
                    missing: None,
                })
                .collect(),
            ..BilingualFile::default()
        })
    }
}
