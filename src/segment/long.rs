//! Segments over the length limit (`--max-chars`): split at their strongest
//! inner boundary near the middle, recursively.

use std::ops::Range;

use super::marks::{Marks, link_mask};

/// Split the segment `range` of `text` while a piece has more than `max`
/// characters (not counting surrounding white space), and push the pieces
/// to `out`. A piece is cut after the strongest boundary in the middle half
/// of it (`；`, then `：`, then `，`, then a space; the one nearest the middle
/// among equals), or anywhere in it if the middle half has none; never inside
/// a title, a bracket, a URL or an e-mail address. A piece with no boundary
/// stays over the limit.
pub(super) fn split_long(text: &str, range: Range<usize>, max: usize, out: &mut Vec<Range<usize>>) {
    // A piece of at most `max` bytes has at most `max` characters.
    if max == 0 || range.len() <= max || content_chars(&text[range.clone()]) <= max {
        out.push(range);
        return;
    }
    let segment = &text[range.clone()];
    let chars: Vec<char> = segment.chars().collect();
    // Byte offset of each char, and of the end.
    let mut offsets: Vec<usize> = segment
        .char_indices()
        .map(|(i, _)| range.start + i)
        .collect();
    offsets.push(range.end);
    let in_link = link_mask(&chars);
    let enclosed = Marks::find(&chars, &in_link).enclosure_depths(chars.len());
    let boundaries: Vec<(usize, u8)> = (0..chars.len())
        .filter(|&i| in_link.get(i) != Some(&true) && enclosed.get(i).is_none_or(|&d| d == 0))
        .filter_map(|i| strength(&chars, i).map(|s| (after_space(&chars, i + 1), s)))
        .collect();
    let mut alnum = Vec::with_capacity(chars.len() + 1);
    alnum.push(0);
    for c in &chars {
        alnum.push(alnum.last().copied().unwrap_or(0) + usize::from(c.is_alphanumeric()));
    }
    let pieces = Pieces {
        chars: &chars,
        boundaries: &boundaries,
        alnum: &alnum,
        max,
    };
    let mut cuts = Vec::new();
    pieces.split(0..chars.len(), &mut cuts);
    out.extend(cuts.into_iter().map(|r| offsets[r.start]..offsets[r.end]));
}

/// Characters of `text` without surrounding white space.
pub(super) fn content_chars(text: &str) -> usize {
    text.trim().chars().count()
}

/// One segment being split.
struct Pieces<'a> {
    chars: &'a [char],
    /// (cut, strength) of every boundary outside titles, brackets and links,
    /// by cut.
    boundaries: &'a [(usize, u8)],
    /// Alphanumeric characters before each index.
    alnum: &'a [usize],
    max: usize,
}

impl Pieces<'_> {
    /// Characters of `range` without surrounding white space.
    fn len(&self, range: &Range<usize>) -> usize {
        let piece = &self.chars[range.clone()];
        let lead = piece.iter().take_while(|c| c.is_whitespace()).count();
        let trail = piece[lead..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        piece.len() - lead - trail
    }

    fn has_content(&self, range: Range<usize>) -> bool {
        self.alnum[range.end] > self.alnum[range.start]
    }

    /// Split `range` at its best boundary, recursively, into `out`.
    fn split(&self, range: Range<usize>, out: &mut Vec<Range<usize>>) {
        if self.len(&range) <= self.max {
            out.push(range);
            return;
        }
        let (start, end) = (range.start, range.end);
        let middle = start + (end - start) / 2;
        let quarter = (end - start) / 4;
        let from = self.boundaries.partition_point(|&(cut, _)| cut <= start);
        let to = self.boundaries.partition_point(|&(cut, _)| cut < end);
        let best = self.boundaries[from..to]
            .iter()
            .filter(|&&(cut, _)| self.has_content(start..cut) && self.has_content(cut..end))
            .max_by_key(|&&(cut, strength)| {
                let in_middle = cut.abs_diff(middle) <= quarter;
                (in_middle, strength, std::cmp::Reverse(cut.abs_diff(middle)))
            });
        match best {
            Some(&(cut, _)) => {
                self.split(start..cut, out);
                self.split(cut..end, out);
            }
            None => out.push(range),
        }
    }
}

/// How strong a boundary after the char at `i` is, if it is one: 3 for a
/// semicolon, 2 for a colon, 1 for a comma, 0 for white space between words.
/// ASCII punctuation counts only before a space or a Han character (not in
/// `10:30` or `1,254`).
fn strength(chars: &[char], i: usize) -> Option<u8> {
    let next = chars.get(i + 1).copied();
    let spaced = next.is_some_and(|n| n.is_whitespace() || super::is_han(n));
    match chars[i] {
        '；' => Some(3),
        ';' if spaced => Some(3),
        '：' => Some(2),
        ':' if spaced => Some(2),
        '，' => Some(1),
        ',' if spaced => Some(1),
        c if c.is_whitespace()
            && i > 0
            && !chars[i - 1].is_whitespace()
            && next.is_some_and(|n| !n.is_whitespace()) =>
        {
            Some(0)
        }
        _ => None,
    }
}

/// The first index at or after `i` that is not white space.
fn after_space(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, max: usize) -> Vec<&str> {
        let mut out = Vec::new();
        split_long(text, 0..text.len(), max, &mut out);
        out.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_at_the_strongest_boundary_near_the_middle() {
        // A semicolon in the middle half wins over commas nearer the middle.
        assert_eq!(
            pieces("甲甲甲，乙乙乙乙乙；丙丙，丁丁丁丁丁。", 12),
            ["甲甲甲，乙乙乙乙乙；", "丙丙，丁丁丁丁丁。"]
        );
        // A semicolon near the edge loses to a comma in the middle.
        assert_eq!(
            pieces("甲；乙乙乙乙乙，丙丙丙丙丙丙丙。", 10),
            ["甲；乙乙乙乙乙，", "丙丙丙丙丙丙丙。"]
        );
        // Recursively, until every piece fits.
        assert_eq!(
            pieces("一一一，二二二，三三三，四四四。", 4),
            ["一一一，", "二二二，", "三三三，", "四四四。"]
        );
        // Spaces between words when there is no punctuation.
        assert_eq!(
            pieces("alpha beta gamma delta", 12),
            ["alpha beta ", "gamma delta"]
        );
    }

    #[test]
    fn never_inside_titles_brackets_or_links() {
        assert_eq!(
            pieces("《甲，乙，丙》见https://x.cn/a;b,c:d（丁，戊）完", 10),
            ["《甲，乙，丙》见https://x.cn/a;b,c:d（丁，戊）完"]
        );
        assert_eq!(
            pieces("会议10:30开始,共1,254人参加", 8),
            ["会议10:30开始,", "共1,254人参加"]
        );
        assert_eq!(pieces("短句，很短。", 300), ["短句，很短。"]);
    }
}
