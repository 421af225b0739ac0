//! The segmenter never panics, and its segments concatenate back to each
//! paragraph, in every punctuation mode.
#![no_main]

use bitext::segment::{Punctuation, Segmenter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for mode in [
        Punctuation::Auto,
        Punctuation::Normalized,
        Punctuation::Standard,
    ] {
        let doc = Segmenter::new(mode).document("-", "UTF-8", text);
        for p in &doc.paragraphs {
            let joined: String = p.segments.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(joined, &text[p.span.clone()]);
            for s in &p.segments {
                assert!(!s.text.is_empty());
                assert_eq!(&text[s.span.clone()], s.text);
            }
        }
    }
});
