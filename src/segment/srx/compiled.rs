//! The compiled rules of one language: the cascade of break and exception
//! rules (first rule wins), and the multi-pattern lazy DFAs that find the
//! candidate positions in a paragraph.

use std::sync::Arc;

use fancy_regex::{RegexBuilder, RegexInput};
use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

use super::java::Translated;

/// One compiled `<rule>`.
#[derive(Debug)]
pub(super) struct Rule {
    pub(super) breaks: bool,
    /// The beforebreak and afterbreak as written (empty when missing), for
    /// the reference implementation in the tests.
    #[cfg(test)]
    pub(super) java: (String, String),
    pub(super) before: Before,
    /// `None` when the afterbreak is empty or missing: it matches anywhere.
    pub(super) after: Option<After>,
}

/// How a rule's beforebreak is matched.
#[derive(Debug)]
pub(super) enum Before {
    /// Matches (the empty string) at every position: an empty or missing
    /// beforebreak, or one such as `.*`. Such a rule is found from the
    /// afterbreak instead.
    Anywhere,
    /// A pattern the `regex` syntax accepts; it goes into the forward lazy
    /// DFA of beforebreaks.
    Plain(String),
    /// A pattern that needs `fancy-regex`, compiled as the look-behind
    /// `(?<=…)`: its zero-width matches are the candidate positions.
    Fancy(fancy_regex::Regex),
}

/// A compiled afterbreak.
#[derive(Debug)]
pub(super) struct After {
    /// For the anchored check at a candidate position.
    pub(super) regex: fancy_regex::Regex,
    /// The pattern, if the `regex` syntax accepts it (for the reverse DFA).
    pub(super) plain: Option<String>,
}

impl Rule {
    /// Whether the afterbreak matches text starting at `pos`.
    fn after_matches(&self, text: &str, pos: usize) -> bool {
        match &self.after {
            None => true,
            // `find_input`, not `is_match_input`: fancy-regex 0.20.2 ignores
            // `anchored` in `is_match_input` for patterns it delegates to
            // regex-automata. A pattern that exceeds the backtracking limit
            // here does not match here.
            Some(after) => after
                .regex
                .find_input(RegexInput::new(text).from_pos(pos).anchored(true))
                .is_ok_and(|m| m.is_some_and(|m| m.start() == pos)),
        }
    }
}

/// How a translated pattern can be matched.
enum Kind {
    /// The `regex` syntax accepts it and a lazy DFA can run it.
    Plain {
        /// It matches the empty string at every position.
        anywhere: bool,
    },
    /// Only `fancy-regex` can run it.
    Fancy,
}

fn kind(rust: &str) -> Kind {
    match syntax::parse_with(rust, &syntax_config()) {
        // The lazy DFA handles every look-around assertion of the `regex`
        // syntax except Unicode word boundaries (which only `(?U)` produces).
        Ok(hir) if !hir.properties().look_set().contains_word_unicode() => {
            let props = hir.properties();
            Kind::Plain {
                anywhere: props.minimum_len() == Some(0) && props.look_set().is_empty(),
            }
        }
        _ => Kind::Fancy,
    }
}

/// Compile a rule's beforebreak, already translated.
pub(super) fn compile_before(t: Translated) -> std::result::Result<Before, String> {
    match kind(&t.automata) {
        Kind::Plain { anywhere: true } => Ok(Before::Anywhere),
        Kind::Plain { anywhere: false } => Ok(Before::Plain(t.automata)),
        Kind::Fancy => fancy(&format!("(?<={})", t.fancy)).map(Before::Fancy),
    }
}

/// Compile a rule's afterbreak, already translated.
pub(super) fn compile_after(t: Translated) -> std::result::Result<After, String> {
    Ok(After {
        regex: fancy(&t.fancy)?,
        plain: matches!(kind(&t.automata), Kind::Plain { .. }).then_some(t.automata),
    })
}

/// The rules for one language, with the lazy DFAs that find candidates.
pub(super) struct Compiled {
    pub(super) language: String,
    pub(super) rules: Vec<Arc<Rule>>,
    /// Finds where plain beforebreaks end.
    before_ends: Option<Scanner>,
    /// Finds where the plain afterbreaks of rules whose beforebreak matches
    /// anywhere start.
    after_starts: Option<Scanner>,
    /// Rules with a fancy beforebreak.
    pub(super) fancy_before: Vec<u32>,
    /// Rules whose beforebreak matches anywhere and whose afterbreak is
    /// empty or fancy: candidates at every position.
    everywhere: Vec<u32>,
}

/// A (position, rule index, whether the afterbreak is known to match there).
type Candidate = (usize, u32, bool);

impl Compiled {
    pub(super) fn new(lang: &str, rules: Vec<Arc<Rule>>) -> std::result::Result<Compiled, String> {
        let mut befores = (Vec::new(), Vec::new());
        let mut afters = (Vec::new(), Vec::new());
        let mut fancy_before = Vec::new();
        let mut everywhere = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let i = u32::try_from(i).map_err(|_| "too many rules".to_string())?;
            match (&rule.before, &rule.after) {
                (Before::Plain(p), _) => {
                    befores.0.push(p.as_str());
                    befores.1.push(i);
                }
                (Before::Fancy(_), _) => fancy_before.push(i),
                (Before::Anywhere, Some(After { plain: Some(p), .. })) => {
                    afters.0.push(p.as_str());
                    afters.1.push(i);
                }
                (Before::Anywhere, _) => everywhere.push(i),
            }
        }
        let compile_error = |what: &str, e: String| {
            format!("cannot compile the {what} patterns for '{lang}' together: {e}")
        };
        Ok(Compiled {
            language: lang.to_string(),
            before_ends: Scanner::new(&befores.0, befores.1, false)
                .map_err(|e| compile_error("beforebreak", e))?,
            after_starts: Scanner::new(&afters.0, afters.1, true)
                .map_err(|e| compile_error("afterbreak", e))?,
            rules,
            fancy_before,
            everywhere,
        })
    }

    /// Break positions: each candidate position (where some beforebreak
    /// match ends) is decided by the first rule, in order, whose afterbreak
    /// also matches there.
    pub(super) fn breaks(&self, text: &str) -> Vec<usize> {
        let inside = |pos: usize| pos > 0 && pos < text.len() && text.is_char_boundary(pos);
        let mut candidates: Vec<Candidate> = Vec::new();
        if let Some(scanner) = &self.before_ends {
            scanner.scan(text, |pos, rule| {
                if inside(pos) {
                    candidates.push((pos, rule, false));
                }
            });
        }
        if let Some(scanner) = &self.after_starts {
            scanner.scan(text, |pos, rule| {
                if inside(pos) {
                    candidates.push((pos, rule, true));
                }
            });
        }
        for &i in &self.fancy_before {
            let Before::Fancy(re) = &self.rules[i as usize].before else {
                continue;
            };
            // A backtracking-limit error ends the scan for this rule.
            for m in re.find_iter(text).map_while(|m| m.ok()) {
                if inside(m.start()) {
                    candidates.push((m.start(), i, false));
                }
            }
        }
        for &i in &self.everywhere {
            let verified = self.rules[i as usize].after.is_none();
            candidates.extend(
                text.char_indices()
                    .skip(1)
                    .map(|(pos, _)| (pos, i, verified)),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();

        let mut breaks = Vec::new();
        let mut rest = candidates.as_slice();
        while let Some(&(pos, _, _)) = rest.first() {
            let n = rest.iter().take_while(|c| c.0 == pos).count();
            let decision = rest[..n]
                .iter()
                .map(|&(_, i, verified)| (&self.rules[i as usize], verified))
                .find(|(rule, verified)| *verified || rule.after_matches(text, pos))
                .map(|(rule, _)| rule.breaks);
            if decision == Some(true) {
                breaks.push(pos);
            }
            rest = &rest[n..];
        }
        breaks
    }
}

/// A multi-pattern lazy DFA run in overlapping mode, which reports every
/// position where a match of some pattern ends (forward) or starts
/// (reverse, with the patterns compiled reversed), in one pass.
struct Scanner {
    dfa: DFA,
    reverse: bool,
    /// For each pattern, the index of its rule.
    rules: Vec<u32>,
    caches: Pool<Cache, CacheFn>,
}

type CacheFn =
    Box<dyn Fn() -> Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// Transition-table budget of each lazy DFA; hundreds of abbreviation
/// exceptions (German, Dutch) fit without thrashing.
const DFA_CACHE_BYTES: usize = 16 << 20;

impl Scanner {
    fn new(
        patterns: &[&str],
        rules: Vec<u32>,
        reverse: bool,
    ) -> std::result::Result<Option<Scanner>, String> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(DFA_CACHE_BYTES),
            )
            .syntax(syntax_config())
            .thompson(
                thompson::Config::new()
                    .reverse(reverse)
                    .which_captures(WhichCaptures::None),
            )
            .build_many(patterns)
            .map_err(|e| one_line(&e.to_string()))?;
        let for_cache = dfa.clone();
        Ok(Some(Scanner {
            dfa,
            reverse,
            rules,
            caches: Pool::new(Box::new(move || for_cache.create_cache())),
        }))
    }

    fn scan(&self, text: &str, mut found: impl FnMut(usize, u32)) {
        let mut cache = self.caches.get();
        let input = Input::new(text);
        let mut state = OverlappingState::start();
        loop {
            let searched = if self.reverse {
                self.dfa
                    .try_search_overlapping_rev(&mut cache, &input, &mut state)
            } else {
                self.dfa
                    .try_search_overlapping_fwd(&mut cache, &input, &mut state)
            };
            searched.expect("a lazy DFA without quit bytes or a give-up limit cannot fail");
            let Some(m) = state.get_match() else { break };
            found(m.offset(), self.rules[m.pattern().as_usize()]);
        }
    }
}

/// The syntax settings shared by every engine: `.` matches line breaks,
/// as in OmegaT (which compiles SRX patterns with `DOTALL`).
pub(super) fn syntax_config() -> syntax::Config {
    syntax::Config::new().dot_matches_new_line(true)
}

pub(super) fn fancy(pattern: &str) -> std::result::Result<fancy_regex::Regex, String> {
    RegexBuilder::new(pattern)
        .dot_matches_new_line(true)
        .build()
        .map_err(|e| one_line(&e.to_string()))
}

/// Collapse a (possibly multi-line) message onto one line.
pub(super) fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
