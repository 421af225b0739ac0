//! A Markdown review file that renders on GitHub.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use super::{DocumentWriter, Started, Summary, WriteContext, Writer};
use crate::document::{FuzzyMatch, Origin, Unit};
use crate::glossary::TermReport;
use crate::text::{Change, count};

/// Writes a title, a short summary (segments, backend, glossary, flags,
/// reviewed segments), then one GFM table `| # | 中文 | English | Notes |` per
/// paragraph with one row per unit, and a terminology table at the end.
/// Glossary terms are set in bold in the source cell and listed in Notes
/// with their flags; a translation a person reviewed is marked `✔ reviewed`
/// in Notes, and fuzzy matches from the translation memory are listed there
/// (`TM 87% (reviewed): …`, the match's source with what differs from the
/// segment's in `<del>`/`<ins>`). Cell text is escaped ([`escape`]) so that nothing in it can end
/// a row, start a new one or become HTML; [`unescape`] reads a cell back
/// (`bitext import` reads a reviewed file). The tables are written to a temporary file while the units stream
/// in, so that the summary, known only at the end, can come first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl Writer for Markdown {
    fn name(&self) -> &str {
        "md"
    }

    fn start<'a>(&self, ctx: &WriteContext, out: &'a mut dyn Write) -> Started<'a> {
        Ok(Box::new(MarkdownDocument {
            out,
            ctx: ctx.clone(),
            body: BufWriter::new(tempfile::tempfile()?),
            paragraph: 0,
        }))
    }
}

struct MarkdownDocument<'a> {
    out: &'a mut dyn Write,
    ctx: WriteContext,
    body: BufWriter<File>,
    paragraph: usize,
}

impl DocumentWriter for MarkdownDocument<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        let out = &mut self.body;
        for unit in units {
            if unit.paragraph != self.paragraph {
                self.paragraph = unit.paragraph;
                writeln!(out)?;
                writeln!(out, "## Paragraph {}", unit.paragraph)?;
                writeln!(out)?;
                writeln!(out, "| # | 中文 | English | Notes |")?;
                writeln!(out, "|---:|---|---|---|")?;
            }
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                unit.id,
                source_cell(unit),
                escape(&unit.target),
                notes_cell(unit)
            )?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, summary: &Summary) -> io::Result<()> {
        let MarkdownDocument { out, ctx, body, .. } = *self;
        write_head(out, &ctx, summary)?;
        let mut body = body.into_inner().map_err(io::IntoInnerError::into_error)?;
        body.seek(SeekFrom::Start(0))?;
        io::copy(&mut body, out)?;
        if let Some(report) = summary.terms.as_ref().filter(|r| !r.terms.is_empty()) {
            write_terms(out, report)?;
        }
        out.flush()
    }
}

fn write_head(out: &mut dyn Write, ctx: &WriteContext, summary: &Summary) -> io::Result<()> {
    writeln!(out, "# Review: {}", escape(&ctx.source_name))?;
    writeln!(out)?;
    writeln!(
        out,
        "- **Languages:** {} → {}",
        escape(&ctx.source_lang),
        escape(&ctx.target_lang)
    )?;
    writeln!(
        out,
        "- **Segments:** {} in {}",
        summary.segments,
        count(summary.paragraphs, "paragraph", "paragraphs")
    )?;
    let model = ctx
        .model
        .as_deref()
        .map(|m| format!(" ({})", escape(m)))
        .unwrap_or_default();
    writeln!(out, "- **Backend:** {}{model}", escape(&ctx.backend))?;
    let glossary = summary.glossary_line(ctx.glossary.as_ref());
    writeln!(out, "- **Glossary:** {}", escape(&glossary))?;
    if summary.reviewed > 0 {
        let reviewed = count(summary.reviewed, "segment", "segments");
        writeln!(
            out,
            "- **Reviewed:** {reviewed} from the translation memory"
        )?;
    }
    if summary.flags.is_empty() {
        writeln!(out, "- **Flags:** none")?;
    } else {
        let list: Vec<String> = summary
            .flags
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(out, "- **Flags:** {}", list.join(", "))?;
    }
    Ok(())
}

fn write_terms(out: &mut dyn Write, report: &TermReport) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "## Terminology")?;
    writeln!(out)?;
    writeln!(
        out,
        "{} term occurrences: {} rendered with the glossary target ({} after a repair), {} missed.",
        report.occurrences(),
        report.rendered(),
        report.repaired(),
        report.missed()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| Term | Target | Occurrences | Rendered | Repaired | Missed | Missed in |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---|")?;
    for t in &report.terms {
        let missed_in: Vec<String> = t.missed_in.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&t.source),
            escape(&t.target),
            t.occurrences,
            t.rendered,
            t.repaired,
            t.missed,
            missed_in.join(", ")
        )?;
    }
    Ok(())
}

/// The source text, escaped, with glossary terms in bold (adjacent terms
/// share one bold run, since `****` would not render).
fn source_cell(unit: &Unit) -> String {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for term in &unit.terms {
        match runs.last_mut() {
            Some(last) if last.end == term.span.start => last.end = term.span.end,
            _ => runs.push(term.span.clone()),
        }
    }
    let mut cell = String::new();
    let mut pos = 0;
    for run in runs {
        let (Some(before), Some(text)) = (
            unit.source.get(pos..run.start),
            unit.source.get(run.clone()),
        ) else {
            continue;
        };
        cell.push_str(&escape(before));
        cell.push_str("**");
        cell.push_str(&escape(text));
        cell.push_str("**");
        pos = run.end;
    }
    cell.push_str(&escape(unit.source.get(pos..).unwrap_or_default()));
    cell
}

/// The note that marks a reviewed translation.
pub const REVIEWED_NOTE: &str = "✔ reviewed";

/// `✔ reviewed` for a reviewed translation, glossary terms (`源 → target`),
/// the alignment bead and flags, separated by `; `.
fn notes_cell(unit: &Unit) -> String {
    let mut notes: Vec<String> = Vec::new();
    if unit.origin == Origin::Reviewed {
        notes.push(REVIEWED_NOTE.to_string());
    }
    for term in unit.distinct_terms() {
        notes.push(format!(
            "{} → {}",
            escape(&term.source),
            escape(&term.target)
        ));
    }
    if let Some(bead) = &unit.bead {
        notes.push(format!("bead {} ({:.2})", bead.kind, bead.score));
    }
    for flag in &unit.flags {
        notes.push(format!("⚠ {}", escape(&flag.to_string())));
    }
    for m in &unit.matches {
        notes.push(fuzzy_note(&unit.source, m));
    }
    notes.join("; ")
}

/// A fuzzy match as a note: `TM 87% (reviewed): 今天<del>下雨</del><ins>晴天</ins>了 → It rained today.`
/// The match's source is shown as it differs from the segment's: what only
/// the memory's source has is struck out, what only the segment has is
/// inserted.
fn fuzzy_note(source: &str, m: &FuzzyMatch) -> String {
    let mut diff = String::new();
    for change in crate::text::diff(&m.source, source) {
        match change {
            Change::Same(text) => diff.push_str(&escape(text)),
            Change::Removed(text) => {
                diff.push_str(&format!("<del>{}</del>", escape(text)));
            }
            Change::Added(text) => diff.push_str(&format!("<ins>{}</ins>", escape(text))),
        }
    }
    format!(
        "TM {}% ({}): {diff} → {}",
        m.score,
        m.origin,
        escape(&m.target)
    )
}

/// Escape text for a GFM table cell: backslash-escape the ASCII punctuation
/// that Markdown gives meaning to, write `<`, `>` and `&` as entities (so no
/// raw HTML and no entity can form), and fold line breaks to spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Read back a cell [`escape`] wrote, or a person edited, as a GFM renderer
/// would show its text: a backslash before ASCII punctuation is dropped
/// (elsewhere it stays), and the character references `&amp;` `&lt;` `&gt;`
/// `&quot;` `&apos;` `&nbsp;` and numeric ones (`&#39;`, `&#x41;`) are
/// decoded; other `&…;` stay as written. `unescape(&escape(s)) == s` for
/// any `s` without line breaks (which `escape` folds to spaces). Emphasis
/// markers are not interpreted: see [`strip_bold`].
pub fn unescape(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&(_, next)) if next.is_ascii_punctuation() => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '&' => match crate::text::character_reference(&cell[at..]) {
                Some((decoded, len)) => {
                    out.push(decoded);
                    // Skip the rest of the reference (all ASCII).
                    for _ in 1..len {
                        chars.next();
                    }
                }
                None => out.push('&'),
            },
            c => out.push(c),
        }
    }
    out
}

/// Remove the unescaped `**` runs that the writer sets
/// glossary terms in bold with; escaped asterisks (`\*`) stay escaped for
/// [`unescape`].
pub fn strip_bold(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cell_breakers() {
        assert_eq!(
            escape("a|b <script> & `x` \\ *y*"),
            "a\\|b &lt;script&gt; &amp; \\`x\\` \\\\ \\*y\\*"
        );
    }

    #[test]
    fn unescape_inverts_escape_on_hostile_text() {
        for text in [
            "a|b <script>alert(1)</script> & `x` \\ *y* _z_ [l](u) ![i](p) # ~s~ $m$",
            "\\|already escaped\\\\ &amp; &lt;x&gt; &#39;&#x41; &bogus; & ;",
            "**bold** \\**not** trailing \\",
            "<!-- c --> <div>块</div> | | || \\\\| 管道|符号",
            "国土资源部 Ministry's \"quotes\" and 'single' — dashes… ellipsis",
            "",
        ] {
            assert_eq!(unescape(&escape(text)), text, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn unescape_inverts_escape(text in "[^\\n\\r]{0,40}", punct in "[\\\\|`*_&<>;#!$\\[\\]~a-z ]{0,40}") {
            proptest::prop_assert_eq!(unescape(&escape(&text)), text);
            proptest::prop_assert_eq!(unescape(&escape(&punct)), punct);
        }
    }

    #[test]
    fn unescape_reads_what_a_person_types() {
        assert_eq!(unescape(r"C:\path \q"), r"C:\path \q");
        assert_eq!(
            unescape("&quot;Hi&quot; &#8212; &nbsp;x &amp"),
            "\"Hi\" \u{2014} \u{a0}x &amp"
        );
        assert_eq!(
            unescape("&#0; &#xZZ; &toolongname;"),
            "&#0; &#xZZ; &toolongname;"
        );
    }

    #[test]
    fn strip_bold_keeps_escaped_asterisks() {
        assert_eq!(
            strip_bold(r"开展**创先争优**活动\*\*"),
            r"开展创先争优活动\*\*"
        );
        assert_eq!(unescape(&strip_bold(r"**a**\*b\*")), "a*b*");
    }
}
