//! Paired marks of a paragraph: quotation marks, titles (《》) and brackets,
//! and the URLs and e-mail addresses that hold punctuation of their own.

use super::rules::{is_closer, is_hard_terminator};

/// What a pair of marks encloses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A quotation: `“…”`, `‘…’`, `「…」`, `『…』`, or ASCII `'…'`, `"…"`.
    Quote,
    /// A title: `《…》`, `〈…〉`.
    Title,
    /// A bracket: `（…）`, `(…)`, `【…】`, `〔…〕`, `［…］`, `[…]`.
    Bracket,
}

/// One pair of marks, as char indices of the opening and the closing mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pair {
    pub open: usize,
    pub close: usize,
    pub kind: Kind,
}

/// The paired marks of a paragraph.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// Every pair, sorted by its opening mark.
    pub pairs: Vec<Pair>,
    /// Char indices of ASCII quotes that close a quotation, sorted.
    closing: Vec<usize>,
}

/// Directional marks and what they enclose.
const DIRECTIONAL: [(char, char, Kind); 12] = [
    ('“', '”', Kind::Quote),
    ('‘', '’', Kind::Quote),
    ('「', '」', Kind::Quote),
    ('『', '』', Kind::Quote),
    ('《', '》', Kind::Title),
    ('〈', '〉', Kind::Title),
    ('（', '）', Kind::Bracket),
    ('(', ')', Kind::Bracket),
    ('【', '】', Kind::Bracket),
    ('〔', '〕', Kind::Bracket),
    ('［', '］', Kind::Bracket),
    ('[', ']', Kind::Bracket),
];

impl Marks {
    /// Pair the marks of `chars`; marks inside a URL or e-mail address
    /// (`in_link`, from [`link_mask`]) are not marks.
    pub fn find(chars: &[char], in_link: &[bool]) -> Marks {
        let mut marks = Marks::default();
        // Directional marks pair with a stack per kind, in one pass that also
        // collects the ASCII quotes.
        let mut stacks: [Vec<usize>; DIRECTIONAL.len()] = Default::default();
        let (mut single, mut double) = (Vec::new(), Vec::new());
        for (i, &c) in chars.iter().enumerate() {
            if c.is_alphanumeric() || c.is_whitespace() || in_link.get(i) == Some(&true) {
                continue;
            }
            match c {
                '\'' if !is_apostrophe(chars, i) => single.push(i),
                '"' => double.push(i),
                _ => {
                    let Some(n) = DIRECTIONAL.iter().position(|&(o, c2, _)| c == o || c == c2)
                    else {
                        continue;
                    };
                    let (open, _, kind) = DIRECTIONAL[n];
                    if c == open {
                        stacks[n].push(i);
                    } else if let Some(o) = stacks[n].pop() {
                        marks.pairs.push(Pair {
                            open: o,
                            close: i,
                            kind,
                        });
                    }
                }
            }
        }
        marks.pair_ascii(chars, &single);
        marks.pair_ascii(chars, &double);
        marks.pairs.sort_unstable_by_key(|p| p.open);
        marks.closing.sort_unstable();
        marks
    }

    /// Pair the ASCII quotes at `at` (all `'` or all `"`), which look the same
    /// whether they open or close. Each mark opens, closes, or is left stray;
    /// the dynamic programme leaves the fewest strays and, among those, the
    /// shortest quotations, so that one stray quote cannot flip every later
    /// pairing.
    fn pair_ascii(&mut self, chars: &[char], at: &[usize]) {
        if at.is_empty() {
            return;
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Role {
            Open,
            Close,
            Stray,
        }
        type Cost = (usize, i64);
        const NONE: Cost = (usize::MAX, i64::MAX);
        let add = |a: Cost, b: Cost| (a.0.saturating_add(b.0), a.1.saturating_add(b.1));
        // cost[s] for state s (0 outside a quotation, 1 inside) and, per mark
        // and state, the role taken and the state it came from.
        let mut cost: [Cost; 2] = [(0, 0), NONE];
        let mut back: Vec<[(Role, usize); 2]> = Vec::with_capacity(at.len());
        for &i in at {
            let pos = i as i64;
            let prev = chars[..i].last().copied();
            let next = chars.get(i + 1).copied();
            let can_open = next.is_some_and(|n| {
                !(n.is_whitespace() || is_closer(n) || is_hard_terminator(n) || n == '.')
            });
            let can_close = prev.is_some_and(|p| !p.is_whitespace());
            let mut next_cost = [NONE, NONE];
            let mut step = [(Role::Stray, 0), (Role::Stray, 1)];
            let mut offer = |to: usize, c: Cost, role: Role, from: usize| {
                if c < next_cost[to] {
                    next_cost[to] = c;
                    step[to] = (role, from);
                }
            };
            if cost[0] != NONE {
                if can_open {
                    offer(1, add(cost[0], (0, -pos)), Role::Open, 0);
                }
                offer(0, add(cost[0], (1, 0)), Role::Stray, 0);
            }
            if cost[1] != NONE {
                if can_close {
                    offer(0, add(cost[1], (0, pos)), Role::Close, 1);
                }
                offer(1, add(cost[1], (1, 0)), Role::Stray, 1);
            }
            cost = next_cost;
            back.push(step);
        }
        // Walk back from the end, outside any quotation.
        let mut state = 0;
        let mut roles = vec![Role::Stray; at.len()];
        for (n, step) in back.iter().enumerate().rev() {
            let (role, from) = step[state];
            roles[n] = role;
            state = from;
        }
        let mut open = None;
        for (n, role) in roles.into_iter().enumerate() {
            match role {
                Role::Open => open = Some(at[n]),
                Role::Close => {
                    if let Some(o) = open.take() {
                        self.pairs.push(Pair {
                            open: o,
                            close: at[n],
                            kind: Kind::Quote,
                        });
                        self.closing.push(at[n]);
                    }
                }
                Role::Stray => {}
            }
        }
    }

    /// Whether the ASCII quote at `i` closes a quotation.
    pub fn is_ascii_closing(&self, i: usize) -> bool {
        self.closing.binary_search(&i).is_ok()
    }

    /// The pair whose opening mark is at `i`, if any.
    pub fn opening_at(&self, i: usize) -> Option<Pair> {
        let n = self.pairs.partition_point(|p| p.open < i);
        self.pairs.get(n).filter(|p| p.open == i).copied()
    }

    /// For each char, how many titles and brackets enclose it (strictly
    /// between their marks; 255 stands for 255 or more); empty when there
    /// are none.
    pub fn enclosure_depths(&self, len: usize) -> Vec<u8> {
        let enclosures = || self.pairs.iter().filter(|p| p.kind != Kind::Quote);
        if enclosures().next().is_none() {
            return Vec::new();
        }
        // Pairs are sorted by their opening marks; sort their closing ones.
        let opens: Vec<usize> = enclosures().map(|p| p.open + 1).collect();
        let mut closes: Vec<usize> = enclosures().map(|p| p.close).collect();
        closes.sort_unstable();
        let (mut o, mut c, mut depth) = (0, 0, 0usize);
        (0..len)
            .map(|k| {
                while opens.get(o) == Some(&k) {
                    depth += 1;
                    o += 1;
                }
                while closes.get(c) == Some(&k) {
                    depth -= 1;
                    c += 1;
                }
                depth.min(255) as u8
            })
            .collect()
    }
}

/// An ASCII `'` between two Latin letters is an apostrophe (`don't`).
fn is_apostrophe(chars: &[char], i: usize) -> bool {
    chars[i] == '\''
        && i > 0
        && chars[i - 1].is_ascii_alphabetic()
        && chars.get(i + 1).is_some_and(|&c| c.is_ascii_alphabetic())
}

/// For each char, whether it belongs to a URL (`https://…`, `ftp://…`,
/// `www.…`) or an e-mail address: a run of the ASCII characters these may
/// hold, without the punctuation that ends it (`.`, `!`, `?`, `,`, `)` …),
/// which belongs to the sentence. Empty when there is no link.
pub(super) fn link_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = Vec::new();
    let mark = |mask: &mut Vec<bool>, range: std::ops::Range<usize>| {
        if mask.is_empty() {
            *mask = vec![false; chars.len()];
        }
        mask[range].fill(true);
    };
    let starts_at = |i: usize, s: &str| {
        s.chars().enumerate().all(|(n, c)| {
            chars
                .get(i + n)
                .is_some_and(|&d| d.eq_ignore_ascii_case(&c))
        })
    };
    let mut i = 0;
    while i < chars.len() {
        if !matches!(chars[i], 'h' | 'H' | 'f' | 'F' | 'w' | 'W' | '@') {
            i += 1;
            continue;
        }
        let after_word = i > 0 && chars[i - 1].is_ascii_alphanumeric();
        let link = !after_word
            && ["http://", "https://", "ftp://", "www."]
                .iter()
                .any(|s| starts_at(i, s));
        if link {
            let end = trim_link_end(chars, i, run_end(chars, i, is_url_char));
            mark(&mut mask, i..end);
            i = end.max(i + 1);
        } else if chars[i] == '@' {
            // An e-mail address: a local part before, a dotted domain after.
            let start = (0..i)
                .rev()
                .take_while(|&j| is_local_char(chars[j]))
                .last()
                .unwrap_or(i);
            let start = (start..i)
                .find(|&j| chars[j].is_ascii_alphanumeric())
                .unwrap_or(i);
            let end = trim_link_end(chars, i, run_end(chars, i + 1, is_domain_char));
            if start < i && chars[i + 1..end].contains(&'.') {
                mark(&mut mask, start..end);
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    mask
}

fn run_end(chars: &[char], from: usize, class: fn(char) -> bool) -> usize {
    (from..chars.len())
        .find(|&j| !class(chars[j]))
        .unwrap_or(chars.len())
}

/// Drop the punctuation that ends a link's run (`…/faq?`, `…/a.html.`,
/// `(…)`) unless something of the link follows it.
fn trim_link_end(chars: &[char], start: usize, mut end: usize) -> usize {
    let count = |c: char, end: usize| chars[start..end].iter().filter(|&&d| d == c).count();
    while end > start + 1 {
        let unbalanced = |open: char, close: char| count(close, end) > count(open, end);
        let trim = match chars[end - 1] {
            '.' | ',' | ';' | ':' | '!' | '?' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            _ => false,
        };
        if !trim {
            break;
        }
        end -= 1;
    }
    end
}

/// Characters of a URL: ASCII printable, but not quotes, angle brackets or
/// back quotes (which the text uses around it).
fn is_url_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '\'' | '"' | '<' | '>' | '`' | '\\')
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-!#$&*=?^{|}~/".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mask = link_mask(&chars);
        let mut out = Vec::new();
        let mut cur = String::new();
        for (i, c) in chars.iter().enumerate() {
            if mask.get(i) == Some(&true) {
                cur.push(*c);
            } else if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    #[test]
    fn links_end_before_sentence_punctuation() {
        assert_eq!(
            links("见https://a.example.com/q?x=1&y=2。或www.example.gov.cn/n?id=3.下"),
            [
                "https://a.example.com/q?x=1&y=2",
                "www.example.gov.cn/n?id=3"
            ]
        );
        assert_eq!(links("(详见http://e.x/a_(b)).再"), ["http://e.x/a_(b)"]);
        assert_eq!(
            links("写信给who?knows!@example.com.cn.或li.ming@mail.example.org"),
            ["who?knows!@example.com.cn", "li.ming@mail.example.org"]
        );
        // Not links: an @ without a dotted domain, a word that ends in www.
        assert!(links("@某某 回复.awww.好").is_empty());
    }

    #[test]
    fn marks_pair_by_kind() {
        let chars: Vec<char> = "《计划A（试行版）！》“好！”'行'".chars().collect();
        let marks = Marks::find(&chars, &[]);
        let kinds: Vec<(usize, usize, Kind)> = marks
            .pairs
            .iter()
            .map(|p| (p.open, p.close, p.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (0, 10, Kind::Title),
                (4, 8, Kind::Bracket),
                (11, 14, Kind::Quote),
                (15, 17, Kind::Quote)
            ]
        );
        let depth = marks.enclosure_depths(chars.len());
        assert_eq!(&depth[..11], [0, 1, 1, 1, 1, 2, 2, 2, 1, 1, 0]);
        assert!(marks.is_ascii_closing(17));
        assert_eq!(marks.opening_at(11).map(|p| p.close), Some(14));
    }
}
