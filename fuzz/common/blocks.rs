//! What holds for the blocks of any document, whatever its text: shared by
//! the `documents` fuzz target and the property tests of the HTML and
//! Markdown readers (`src/markup/html/tests.rs`), which both include this
//! file by path.
//! The including module has `Skeleton` in scope.

use super::Skeleton;

/// The texts of `skeleton`'s blocks, read from `text`, after checking that
/// every block's span is a part of `text` and that the outer blocks (those
/// no other block holds) come in order. Panics, naming `text`, if not.
pub fn ordered_block_texts(skeleton: &Skeleton, text: &str) -> Vec<String> {
    let inner: Vec<usize> = skeleton
        .blocks
        .iter()
        .flat_map(|b| b.inner.iter().map(|i| i.block))
        .collect();
    let mut pos = 0;
    for (k, b) in skeleton.blocks.iter().enumerate() {
        assert!(text.get(b.span.clone()).is_some(), "{text:?}");
        if !inner.contains(&k) {
            assert!(b.span.start >= pos, "{text:?}");
            pos = b.span.end;
        }
    }
    skeleton.blocks.iter().map(|b| b.text.clone()).collect()
}
