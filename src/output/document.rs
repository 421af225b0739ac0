//! The document writers: the translated document in the input's format
//! (`doc`, `STEM.en.md`), and the bilingual one with each source block
//! followed by its translation (`bilingual`, `STEM.zh-en.md`).
//!
//! Both rebuild the input from its [`crate::markup::Skeleton`] (in the
//! [`WriteContext`]): everything outside the translated blocks comes back
//! byte for byte. A block whose segments have no translation keeps its
//! source text.

use std::io::{self, Write};

use super::{DocumentWriter, OutputName, Started, Summary, WriteContext, Writer};
use crate::document::Unit;
use crate::markup::{Langs, Skeleton, joiner};
use crate::text::primary_subtag;

/// The translated document (`doc`), or with [`Doc::BILINGUAL`] the
/// bilingual one (`bilingual`).
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    bilingual: bool,
}

impl Doc {
    /// The translated document.
    pub const TRANSLATED: Doc = Doc { bilingual: false };
    /// The bilingual document.
    pub const BILINGUAL: Doc = Doc { bilingual: true };
}

impl Writer for Doc {
    fn name(&self) -> &str {
        if self.bilingual { "bilingual" } else { "doc" }
    }

    fn extension(&self) -> &str {
        "txt"
    }

    fn file_extension(&self, name: &OutputName) -> String {
        let target = primary_subtag(&name.target_lang);
        if self.bilingual {
            let source = primary_subtag(&name.source_lang);
            format!("{source}-{target}.{}", name.input_extension)
        } else {
            format!("{target}.{}", name.input_extension)
        }
    }

    fn needs_source(&self) -> bool {
        true
    }

    fn start<'a>(&self, ctx: &WriteContext, out: &'a mut dyn Write) -> Started<'a> {
        Ok(Box::new(Document::new(ctx, out, self.bilingual)))
    }
}

/// A document being collected: each paragraph's translations, in order.
struct Document<'a> {
    out: &'a mut dyn Write,
    skeleton: Option<std::sync::Arc<Skeleton>>,
    bilingual: bool,
    source_lang: String,
    target_lang: String,
    joiner: &'static str,
    source_joiner: &'static str,
    /// Per paragraph (1-based index − 1): the translations of its segments.
    paragraphs: Vec<Vec<String>>,
    /// Per paragraph: the sources, for a document without a skeleton.
    sources: Vec<Vec<String>>,
}

impl<'a> Document<'a> {
    fn new(ctx: &WriteContext, out: &'a mut dyn Write, bilingual: bool) -> Self {
        Document {
            out,
            skeleton: ctx.skeleton.clone(),
            bilingual,
            source_lang: ctx.source_lang.clone(),
            target_lang: ctx.target_lang.clone(),
            joiner: joiner(&ctx.target_lang),
            source_joiner: joiner(&ctx.source_lang),
            paragraphs: Vec::new(),
            sources: Vec::new(),
        }
    }
}

impl DocumentWriter for Document<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        for unit in units {
            let k = unit.paragraph.max(1) - 1;
            if self.paragraphs.len() <= k {
                self.paragraphs.resize(k + 1, Vec::new());
                self.sources.resize(k + 1, Vec::new());
            }
            // Untranslated: the source stays, so nothing is lost.
            let text = if unit.target.trim().is_empty() {
                &unit.source
            } else {
                &unit.target
            };
            self.paragraphs[k].push(text.trim().to_string());
            self.sources[k].push(unit.source.clone());
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _summary: &Summary) -> io::Result<()> {
        let joiner = self.joiner;
        let translations: Vec<String> = self
            .paragraphs
            .iter()
            .map(|segments| segments.join(joiner))
            .collect();
        let langs = Langs::new(&self.source_lang, &self.target_lang);
        let text = match &self.skeleton {
            Some(skeleton) if self.bilingual => skeleton.bilingual(&translations, &langs),
            Some(skeleton) => skeleton.render(&translations, &langs),
            None => {
                // Units without their input (an alignment): one paragraph a line.
                let mut text = String::new();
                for (k, translation) in translations.iter().enumerate() {
                    if self.bilingual {
                        text.push_str(&self.sources[k].join(self.source_joiner));
                        text.push('\n');
                    }
                    text.push_str(translation);
                    text.push('\n');
                }
                text
            }
        };
        self.out.write_all(text.as_bytes())
    }
}
