//! Reading a document never panics: the blocks of any text read as HTML or
//! Markdown are in order and inside the text (inner blocks inside their
//! outer block), and the translated and bilingual documents are written.
#![no_main]

use bitext::markup::{FormatKind, Langs, Skeleton};
use libfuzzer_sys::fuzz_target;

#[path = "../common/blocks.rs"]
mod blocks;

fuzz_target!(|text: &str| {
    for format in [FormatKind::Html, FormatKind::Markdown] {
        let skeleton = Skeleton::parse(format, text.to_string());
        let texts = blocks::ordered_block_texts(&skeleton, text);
        let langs = Langs::new("zh", "en");
        skeleton.render(&texts, &langs);
        skeleton.bilingual(&texts, &langs);
    }
});
