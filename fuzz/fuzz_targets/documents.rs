//! Reading a document never panics: the blocks of any text read as HTML or
//! Markdown are in order and inside the text (inner blocks inside their
//! outer block), and the translated and bilingual documents are written.
#![no_main]

use bitext::markup::{FormatKind, Langs, Skeleton};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for format in [FormatKind::Html, FormatKind::Markdown] {
        let skeleton = Skeleton::parse(format, text.to_string());
        let inner: Vec<usize> = skeleton
            .blocks
            .iter()
            .flat_map(|b| b.inner.iter().map(|i| i.block))
            .collect();
        let mut pos = 0;
        for (k, b) in skeleton.blocks.iter().enumerate() {
            assert!(text.get(b.span.clone()).is_some());
            if !inner.contains(&k) {
                assert!(b.span.start >= pos);
                pos = b.span.end;
            }
        }
        let texts: Vec<String> = skeleton.blocks.iter().map(|b| b.text.clone()).collect();
        let langs = Langs::new("zh", "en");
        skeleton.render(&texts, &langs);
        skeleton.bilingual(&texts, &langs);
    }
});
