//! `bitext segment`: print the segments of the inputs.

use std::io::{self, Write};

use super::{is_broken_pipe, stdout_error};
use crate::cli::{SegmentArgs, SegmentFormat};
use crate::config::{ReadConfig, language_tag};
use crate::document::Paragraph;
use crate::error::Result;
use crate::input;
use crate::markup::FormatKind;
use crate::segment::Segmenter;

pub(super) fn segment(args: &SegmentArgs) -> Result<i32> {
    let config = ReadConfig::from_args(&args.inputs, &args.read, None)?;
    let lang = language_tag(&args.source_lang, "--source-lang")?;
    let segmenter = config.segmenter(&lang)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let many = config.inputs.len() > 1;
    let mut failed = false;
    for (n, input) in config.inputs.iter().enumerate() {
        if many && args.format == SegmentFormat::Text {
            let gap = if n > 0 { "\n" } else { "" };
            writeln!(out, "{gap}==> {} <==", input.display()).map_err(stdout_error)?;
        }
        if let Err(e) = print_segments(&segmenter, input, &config, args.format, &mut out) {
            if is_broken_pipe(&e) {
                return Err(e);
            }
            eprintln!("error: {e}");
            failed = true;
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(if failed { 2 } else { 0 })
}

/// Print the segments of one input to `out`: a text streamed chunk by
/// chunk, a document with structure (Markdown, HTML) read whole and cut
/// into its translatable blocks first, as `translate` does.
fn print_segments(
    segmenter: &Segmenter,
    input: &input::Input,
    config: &ReadConfig,
    format: SegmentFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let name = input.display();
    let kind = config.format_of(input);
    let spans = kind == FormatKind::Text;
    let count = input::paragraphs(input, config.encoding, kind, segmenter, |paragraph| {
        print_paragraph(segmenter, &name, &paragraph, spans, format, out)
    })?;
    if count == 0 {
        return Err(crate::ErrorKind::EmptyInput {
            path: input.path().to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// Print one paragraph's segments. `spans`: the segments' byte spans are
/// offsets in the input (a text), else they are left out (`null` in
/// JSONL: a block's text is not a slice of a document with markup).
fn print_paragraph(
    segmenter: &Segmenter,
    name: &str,
    paragraph: &Paragraph,
    spans: bool,
    format: SegmentFormat,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        SegmentFormat::Text => {
            if paragraph.index > 1 {
                writeln!(out).map_err(stdout_error)?;
            }
            for s in &paragraph.segments {
                writeln!(out, "{}", s.text).map_err(stdout_error)?;
                if let Some(flag) = segmenter.long_segment_flag(&s.text) {
                    eprintln!("warning: {name}:{}: segment {}: {flag}", s.line, s.id);
                }
            }
        }
        SegmentFormat::Jsonl => {
            for s in &paragraph.segments {
                let line = serde_json::json!({
                    "file": name,
                    "id": s.id,
                    "paragraph": s.paragraph,
                    "index": s.index,
                    "line": s.line,
                    "start": spans.then_some(s.span.start),
                    "end": spans.then_some(s.span.end),
                    "text": s.text,
                    "flags": segmenter.long_segment_flag(&s.text).into_iter().collect::<Vec<_>>(),
                });
                writeln!(out, "{line}").map_err(stdout_error)?;
            }
        }
    }
    Ok(())
}
