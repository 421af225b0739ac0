//! Plain text input: every non-blank line is a paragraph, translated whole
//! (without its surrounding white space); blank lines and indentation stay.

use super::{Bilingual, Block, BlockKind, InputFormat, Langs};

/// The plain text format.
pub struct Text;

impl InputFormat for Text {
    fn name(&self) -> &'static str {
        "text"
    }

    fn extension(&self) -> &'static str {
        "txt"
    }

    fn blocks(&self, text: &str) -> Vec<Block> {
        crate::segment::lines(text)
            .map(|line| Block {
                text: text[line.span.clone()].to_string(),
                span: line.span,
                kind: BlockKind::Paragraph,
                codes: Vec::new(),
                place: None,
                inner: Vec::new(),
            })
            .collect()
    }

    fn render(&self, _block: &Block, translation: &str) -> String {
        translation.trim().replace(['\n', '\r'], " ")
    }

    fn bilingual(&self, source: &str, block: &Block, rendered: &str, _langs: &Langs) -> Bilingual {
        let line_start = source[..block.span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[block.span.end..]
            .find(['\n', '\r'])
            .map_or(source.len(), |i| block.span.end + i);
        let indent = &source[line_start..block.span.start];
        Bilingual::After {
            at: line_end,
            text: format!("\n{indent}{rendered}"),
        }
    }
}
