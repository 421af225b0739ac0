//! Text primitives every stage may use; this module uses nothing above it.

/// `n` and the noun that goes with it: `1 segment`, `2 segments`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "paragraph", "paragraphs"), "0 paragraphs");
        assert_eq!(count(1, "paragraph", "paragraphs"), "1 paragraph");
        assert_eq!(count(2, "gloss", "glosses"), "2 glosses");
    }
}
