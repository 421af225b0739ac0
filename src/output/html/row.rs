//! The page's body: paragraph sections, tables of rows, and each unit's
//! entry in the script's data.

use std::io::{self, Write};

use serde::Serialize;

use super::{escape, origin_name, text};
use crate::document::{FlagKind, FuzzyMatch, Unit};
use crate::output::WriteContext;
use crate::text::Change;

/// What a flag means and what to look at, shown with its badge.
pub(super) fn explanation(kind: FlagKind) -> &'static str {
    match kind {
        FlagKind::Untranslated => {
            "No translation, or Chinese characters are left in it: translate the rest."
        }
        FlagKind::Empty => "The translation is empty although the source is not.",
        FlagKind::NumberMismatch => {
            "A number of the source is missing from the translation or has another value."
        }
        FlagKind::LengthRatio => {
            "The translation is far longer or shorter than the source predicts: look for an omission or an addition."
        }
        FlagKind::LlmChatter => {
            "The translation carries remarks of a language model (\"Here is the translation\", \"Note: …\")."
        }
        FlagKind::GlossaryMiss => {
            "A glossary term's required rendering is missing from the translation."
        }
        FlagKind::ControlCharRemoved => {
            "Control characters that XML forbids were removed from the text."
        }
        FlagKind::LowConfidence => "The aligner is not sure of this pairing: check it.",
        FlagKind::Unaligned => {
            "A sentence with no counterpart on the other side: an omission or an addition."
        }
        FlagKind::LongSegment => {
            "The source segment is longer than the segmenter's limit and has no inner boundary to split it at."
        }
        // The checks `translate` and `bitext qa` share explain themselves.
        _ => crate::check::CHECKS
            .iter()
            .find(|check| check.kind == kind)
            .map_or("", |check| check.explanation),
    }
}

/// Open the section of paragraph `n`.
pub(super) fn start_paragraph(out: &mut dyn Write, n: usize) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"para\" id=\"p{n}\" aria-labelledby=\"h{n}\"><h2 id=\"h{n}\">Paragraph {n}</h2>"
    )
}

/// Close a paragraph's section.
pub(super) fn end_paragraph(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "</section>")
}

/// Open table `n`; its header row is visible only in a paragraph's first
/// table (the others keep it for screen readers).
pub(super) fn start_chunk(
    out: &mut dyn Write,
    ctx: &WriteContext,
    n: usize,
    first: bool,
) -> io::Result<()> {
    let (source, target) = (escape(&ctx.source_lang), escape(&ctx.target_lang));
    writeln!(
        out,
        "<div class=\"chunk\" id=\"c{n}\"><table><colgroup><col class=\"c-n\"><col class=\"c-s\"><col class=\"c-t\"><col class=\"c-x\"></colgroup><thead{}><tr><th scope=\"col\">#</th><th scope=\"col\">Source ({source})</th><th scope=\"col\">Translation ({target})</th><th scope=\"col\">Notes</th></tr></thead><tbody>",
        if first { "" } else { " class=\"sr\"" }
    )
}

/// Close a table.
pub(super) fn end_chunk(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "</tbody></table></div>")
}

/// One row: the segment number (a link to the row), the source with its
/// glossary terms marked, the translation, and the notes: origin, flags,
/// bead, fuzzy matches.
pub(super) fn write_row(out: &mut dyn Write, ctx: &WriteContext, unit: &Unit) -> io::Result<()> {
    let id = unit.id;
    let origin = origin_name(unit.origin);
    write!(
        out,
        "<tr id=\"s{id}\" class=\"o-{origin}{}\" tabindex=\"-1\"><th scope=\"row\"><a href=\"#s{id}\" aria-label=\"Segment {id}\">{id}</a></th><td class=\"src\" lang=\"",
        if unit.flags.is_empty() {
            ""
        } else {
            " flagged"
        }
    )?;
    text(out, &ctx.source_lang)?;
    out.write_all(b"\">")?;
    write_source(out, unit)?;
    out.write_all(b"</td><td class=\"tgt\" lang=\"")?;
    text(out, &ctx.target_lang)?;
    out.write_all(b"\">")?;
    text(out, &unit.target)?;
    write!(
        out,
        "</td><td class=\"notes\"><span class=\"badge origin\">{origin}</span>"
    )?;
    if let Some(bead) = &unit.bead {
        write!(
            out,
            " <span class=\"badge bead\" title=\"Alignment bead: {} Chinese to {} English sentences, score {:.2}\">{} · {:.2}</span>",
            bead.zh.len(),
            bead.en.len(),
            bead.score,
            escape(&bead.kind),
            bead.score
        )?;
    }
    for flag in &unit.flags {
        write!(
            out,
            " <span class=\"badge flag tipped\" tabindex=\"0\" data-flag=\"{}\">⚠ ",
            flag.kind
        )?;
        text(out, &flag.to_string())?;
        out.write_all(b"<span class=\"tip\" role=\"tooltip\">")?;
        text(out, explanation(flag.kind))?;
        out.write_all(b"</span></span>")?;
    }
    for m in &unit.matches {
        write_match(out, ctx, unit, m)?;
    }
    writeln!(out, "</td></tr>")
}

/// A fuzzy match from the translation memory: its score and origin, its
/// source as it differs from the segment's (what only the match has in
/// `<del>`, what only the segment has in `<ins>`), and its translation.
fn write_match(
    out: &mut dyn Write,
    ctx: &WriteContext,
    unit: &Unit,
    m: &FuzzyMatch,
) -> io::Result<()> {
    write!(
        out,
        "<div class=\"tm\"><span class=\"badge tm\" title=\"A translation in the memory of a text {}% like this one\">TM {}% · {}</span> <span class=\"tm-src\" lang=\"",
        m.score, m.score, m.origin
    )?;
    text(out, &ctx.source_lang)?;
    out.write_all(b"\">")?;
    for change in crate::text::diff(&m.source, &unit.source) {
        match change {
            Change::Same(t) => text(out, t)?,
            Change::Removed(t) => {
                out.write_all(b"<del>")?;
                text(out, t)?;
                out.write_all(b"</del>")?;
            }
            Change::Added(t) => {
                out.write_all(b"<ins>")?;
                text(out, t)?;
                out.write_all(b"</ins>")?;
            }
        }
    }
    out.write_all(" → <span class=\"tm-tgt\" lang=\"".as_bytes())?;
    text(out, &ctx.target_lang)?;
    out.write_all(b"\">")?;
    text(out, &m.target)?;
    out.write_all(b"</span></span></div>")
}

/// The source, escaped, with each glossary term in a `<mark>` that holds
/// its required rendering as a tooltip.
fn write_source(out: &mut dyn Write, unit: &Unit) -> io::Result<()> {
    let mut pos = 0;
    for term in &unit.terms {
        let (Some(before), Some(found)) = (
            unit.source.get(pos..term.span.start),
            unit.source.get(term.span.clone()),
        ) else {
            continue;
        };
        text(out, before)?;
        out.write_all(b"<mark class=\"term tipped\" tabindex=\"0\">")?;
        text(out, found)?;
        out.write_all("<span class=\"tip\" role=\"tooltip\"> → ".as_bytes())?;
        text(out, &term.target)?;
        out.write_all(b"</span></mark>")?;
        pos = term.span.end;
    }
    text(out, unit.source.get(pos..).unwrap_or_default())
}

/// A unit as the script sees it.
#[derive(Serialize)]
struct UnitData<'a> {
    id: u32,
    /// Paragraph.
    p: usize,
    /// Table.
    c: usize,
    /// Source.
    s: &'a str,
    /// Translation.
    t: &'a str,
    /// Origin, as the page names it.
    o: &'static str,
    /// Flags: kind, and the text the XLIFF note holds.
    f: Vec<(&'static str, String)>,
    /// Glossary terms, each once: source and target.
    g: Vec<(&'a str, &'a str)>,
}

/// Write `unit` as the script's data: JSON with `<`, `>` and `&` escaped,
/// so that nothing in it can end the `<script>` element it is in.
pub(super) fn write_json(out: &mut dyn Write, unit: &Unit, chunk: usize) -> io::Result<()> {
    let data = UnitData {
        id: unit.id.0,
        p: unit.paragraph,
        c: chunk,
        s: &unit.source,
        t: &unit.target,
        o: origin_name(unit.origin),
        f: unit
            .flags
            .iter()
            .map(|f| (f.kind.as_str(), f.to_string()))
            .collect(),
        g: unit
            .distinct_terms()
            .map(|t| (t.source.as_str(), t.target.as_str()))
            .collect(),
    };
    let json = serde_json::to_string(&data).map_err(io::Error::other)?;
    write_script_json(out, &json)
}

/// Write JSON text inside a `<script>` element: `<`, `>` and `&` become
/// `\u003c`, `\u003e` and `\u0026`, which JSON reads back the same, and
/// U+2028 and U+2029 are escaped too.
pub(super) fn write_script_json(out: &mut dyn Write, json: &str) -> io::Result<()> {
    let mut last = 0;
    for (at, c) in json.char_indices() {
        let escaped = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.write_all(&json.as_bytes()[last..at])?;
        out.write_all(escaped.as_bytes())?;
        last = at + c.len_utf8();
    }
    out.write_all(&json.as_bytes()[last..])
}
