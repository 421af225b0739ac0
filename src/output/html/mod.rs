//! A self-contained HTML review page: one file that opens from `file://`
//! with no network, shows source and translation side by side, and lets a
//! reviewer filter, edit and export the edits as XLIFF for `bitext import`.
//!
//! The table is in the HTML, so the page reads without script; the inline
//! script (`review.js`) adds the filters, keyboard navigation, editing,
//! edits kept in `localStorage` and the export. Its data is one JSON object
//! in a `<script type="application/json">` with `<`, `>` and `&` written as
//! `\u003c`-style escapes, so no text can end that element. Every text goes
//! into the HTML escaped, and the script inserts text with `textContent`
//! only. A Content-Security-Policy meta tag allows only the page's own
//! style and script (by their SHA-256 hashes) and no loads at all.
//!
//! Large documents stay fast: rows come in tables of at most
//! [`CHUNK_ROWS`] rows whose layout the browser skips while they are off
//! screen (`content-visibility: auto`).

mod head;
mod row;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};

use super::{DocumentWriter, Started, Summary, WriteContext, Writer};
use crate::document::{Origin, Unit};

/// The page's style sheet.
const CSS: &str = include_str!("review.css");
/// The page's script.
const JS: &str = include_str!("review.js");

/// The most rows in one table: tables are the unit the browser lays out
/// lazily.
pub const CHUNK_ROWS: usize = 50;

/// Writes `STEM.html`: a summary (languages, backend, glossary, counts of
/// flags, origins and reviewed segments, and for `bitext align` output a
/// picture of the alignment path), the tools (filters, next and previous
/// flagged segment, edit counter, export), then one section per paragraph
/// with a `# | source | translation | notes` table. Glossary terms are
/// marked in the source with their required rendering shown on hover and
/// focus; flags are badges with their explanation; each row shows its
/// origin and, for aligned units, the bead type and score.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl Writer for Html {
    fn name(&self) -> &str {
        "html"
    }

    fn start<'a>(&self, ctx: &WriteContext, out: &'a mut dyn Write) -> Started<'a> {
        let mut id = Sha256::new();
        for part in [&ctx.source_name, &ctx.source_lang, &ctx.target_lang] {
            id.update(part.as_bytes());
            id.update([0]);
        }
        Ok(Box::new(HtmlDocument {
            out,
            ctx: ctx.clone(),
            body: BufWriter::new(tempfile::tempfile()?),
            data: BufWriter::new(tempfile::tempfile()?),
            id,
            paragraph: 0,
            in_chunk: 0,
            chunks: 0,
            units: 0,
            origins: BTreeMap::new(),
            beads: Vec::new(),
        }))
    }
}

/// One bead of an aligned document, for the alignment path picture.
#[derive(Debug, Clone, Copy)]
struct Bead {
    id: u32,
    zh: usize,
    en: usize,
    flagged: bool,
}

struct HtmlDocument<'a> {
    out: &'a mut dyn Write,
    ctx: WriteContext,
    /// The paragraph sections, written while the units stream in.
    body: BufWriter<File>,
    /// The units' JSON, comma-separated.
    data: BufWriter<File>,
    /// The document id: a hash of the input's name, the languages and
    /// every segment's id and source (not the translations, so that edits
    /// kept in the browser survive a rerun that changes them).
    id: Sha256,
    paragraph: usize,
    in_chunk: usize,
    chunks: usize,
    units: usize,
    origins: BTreeMap<&'static str, usize>,
    beads: Vec<Bead>,
}

impl DocumentWriter for HtmlDocument<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        for unit in units {
            let new_paragraph = unit.paragraph != self.paragraph;
            if new_paragraph || self.in_chunk == CHUNK_ROWS {
                if self.in_chunk > 0 {
                    row::end_chunk(&mut self.body)?;
                }
                if new_paragraph {
                    if self.paragraph > 0 {
                        row::end_paragraph(&mut self.body)?;
                    }
                    self.paragraph = unit.paragraph;
                    row::start_paragraph(&mut self.body, unit.paragraph)?;
                }
                self.chunks += 1;
                self.in_chunk = 0;
                row::start_chunk(&mut self.body, &self.ctx, self.chunks, new_paragraph)?;
            }
            self.in_chunk += 1;
            row::write_row(&mut self.body, &self.ctx, unit)?;
            if self.units > 0 {
                self.data.write_all(b",\n")?;
            }
            row::write_json(&mut self.data, unit, self.chunks)?;
            self.units += 1;
            self.id.update(unit.id.0.to_le_bytes());
            self.id.update(unit.source.as_bytes());
            self.id.update([0]);
            *self.origins.entry(origin_name(unit.origin)).or_insert(0) += 1;
            if let Some(bead) = &unit.bead {
                self.beads.push(Bead {
                    id: unit.id.0,
                    zh: bead.zh.len(),
                    en: bead.en.len(),
                    flagged: !unit.flags.is_empty(),
                });
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, summary: &Summary) -> io::Result<()> {
        let HtmlDocument {
            out,
            ctx,
            body,
            data,
            id,
            paragraph,
            in_chunk,
            origins,
            beads,
            ..
        } = *self;
        let doc_id: String = id.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let page = head::Page {
            ctx: &ctx,
            summary,
            origins: &origins,
            beads: &beads,
            doc_id: &doc_id,
        };
        page.write_head(out)?;
        copy_back(body, out)?;
        if in_chunk > 0 {
            row::end_chunk(out)?;
        }
        if paragraph > 0 {
            row::end_paragraph(out)?;
        }
        if paragraph == 0 {
            writeln!(out, "<p class=\"empty\">The document has no segments.</p>")?;
        }
        writeln!(out, "</main>")?;
        page.write_data_start(out)?;
        copy_back(data, out)?;
        writeln!(out, "]}}</script>")?;
        writeln!(out, "<script>{JS}</script>")?;
        writeln!(out, "</body>\n</html>")?;
        out.flush()
    }
}

/// Copy a temporary file written through `writer` to `out`.
fn copy_back(writer: BufWriter<File>, out: &mut dyn Write) -> io::Result<()> {
    let mut file = writer
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    file.seek(SeekFrom::Start(0))?;
    io::copy(&mut file, out)?;
    Ok(())
}

/// The origin as the page names it: `memory` for a translation from the
/// translation memory (`cache` in the other outputs).
fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::Machine => "machine",
        Origin::Cache => "memory",
        Origin::Reviewed => "reviewed",
        Origin::Aligned => "aligned",
    }
}

/// The `'sha256-…'` source expression of an inline element's text, for the
/// Content-Security-Policy.
fn csp_hash(text: &str) -> String {
    use base64::Engine as _;
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Escape text for HTML element content and quoted attribute values.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// Write `text` escaped.
fn text(out: &mut dyn Write, text: &str) -> io::Result<()> {
    out.write_all(escape(text).as_bytes())
}

#[cfg(test)]
mod tests;
