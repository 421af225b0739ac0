//! SRX 2.0 segmentation rules, the exchange format of CAT tools (OmegaT,
//! Okapi, Trados): an alternative to the built-in Chinese rules of
//! [`crate::segment`].
//!
//! An SRX file holds named *language rules*, each an ordered list of break
//! (`break="yes"`) and exception (`break="no"`) rules, and *language maps*
//! that select language rules for a language code by regular expression:
//!
//! ```xml
//! <srx xmlns="http://www.lisa.org/srx20" version="2.0">
//!   <header segmentsubflows="yes" cascade="yes"/>
//!   <body>
//!     <languagerules>
//!       <languagerule languagerulename="Chinese">
//!         <rule break="no"><beforebreak>[。？！]</beforebreak><afterbreak>[”」]</afterbreak></rule>
//!         <rule break="yes"><beforebreak>[。？！]</beforebreak><afterbreak>.</afterbreak></rule>
//!       </languagerule>
//!     </languagerules>
//!     <maprules>
//!       <languagemap languagepattern="zh.*" languagerulename="Chinese"/>
//!     </maprules>
//!   </body>
//! </srx>
//! ```
//!
//! # Semantics
//!
//! As SRX 2.0 specifies: the language maps are tried in order against the
//! whole language code (case-insensitively, as language tags are and as
//! OmegaT does). With `cascade="yes"` the rules of *every* matching map are
//! used, in map order; with `cascade="no"` only those of the first. At each
//! position between two characters, the first rule whose `beforebreak`
//! matches text ending there and whose `afterbreak` matches text starting
//! there decides: a break rule breaks, an exception does not. Where no rule
//! matches there is no break. An empty or missing `beforebreak` or
//! `afterbreak` matches anywhere; a rule without `break` is a break rule.
//!
//! Tolerated deviations from the schema, all found in real files: a header
//! without `cascade` cascades (the schema requires the attribute and names no
//! default; OmegaT writes its default rules without it and always cascades),
//! a header without `segmentsubflows` segments subflows (recorded only, as
//! plain text has none), and SRX 1.0 files (`<maprule>` wrappers inside
//! `<maprules>`, of which the first is used; no cascading). Unknown elements
//! are ignored.
//!
//! [`SrxRules::split`] is lossless like [`Segmenter::split`]: the ranges
//! cover the text in order, and white space after a break stays with the
//! segment before it (OmegaT trims it off the next segment).
//!
//! # Regular expressions
//!
//! SRX patterns are Java regular expressions (`java.util.regex`). Each is
//! translated twice: for `regex-automata` (the syntax of the `regex` crate;
//! patterns without look-around or backreferences, run by lazy DFAs) and for
//! `fancy-regex` (that syntax plus look-around, backreferences, atomic groups
//! and possessive quantifiers; used for the rest and for the anchored
//! afterbreak checks). Where Java reads a pattern differently, Java's
//! meaning wins:
//!
//! - `\d`, `\s`, `\w` are ASCII-only as in Java, and `\b` is the boundary
//!   of ASCII `\w` as Java 19 and later define it (`(?-u:\b)` for the DFAs,
//!   the equivalent look-around for fancy-regex, which cannot switch Unicode
//!   mode inline); `(?U)` makes all four Unicode. `\h`, `\v` and `\R` are
//!   Java's horizontal white space, vertical white space and line break (in
//!   the `regex` crate `\v` is only U+000B, and in fancy-regex `\h` is a hex
//!   digit);
//! - the POSIX classes `\p{Lower}`, `\p{Alpha}`, `\p{Punct}`, … are ASCII
//!   (the `regex` crate would read `\p{Lower}` as Unicode `Lowercase`), the
//!   `\p{javaXxx}` classes map to the Unicode properties Java defines them
//!   by, `\p{IsXxx}` (script, category or binary property) drops the `Is`,
//!   and the Unicode blocks common in CJK text (`\p{InCJKUnifiedIdeographs}`,
//!   `\p{InCJKSymbolsAndPunctuation}`, `\p{InHalfwidthAndFullwidthForms}`,
//!   …) become ranges;
//! - `\uXXXX` (surrogate pairs too), `\0ooo`, `\xhh`, `\cX`, `\a`, `\e`
//!   become `\x{…}`; `\Q…\E` becomes escaped literals; `\Z` becomes a
//!   look-ahead for an optional final line break; an escaped `\<` or `\>`
//!   becomes a plain `<` or `>` (in the `regex` crate they are word
//!   boundaries);
//! - the inline flags `d` and `u` are dropped (line breaks are `\n` only, and
//!   case-insensitive matching is always Unicode-aware, as OmegaT makes it),
//!   `U` is tracked instead of passed on (in the `regex` crate it means
//!   *ungreedy*); `i`, `m`, `s` and `x` pass through;
//! - `~` in a class is escaped (`~~` is an operator in the `regex` crate);
//!   possessive quantifiers and atomic groups are left to fancy-regex;
//! - as in OmegaT, `.` matches line breaks too, and a `languagepattern` is
//!   matched case-insensitively against the whole language code.
//!
//! Unsupported, and a load error: `\X`, `\G`, `\N{…}`, other Unicode blocks
//! and `\b` inside a class. A pattern that cannot be translated, or that
//! fancy-regex cannot compile (a fancy beforebreak is compiled as a
//! look-behind `(?<=…)`), is a load error naming the file, the line of the
//! rule and the pattern.
//!
//! # Cost
//!
//! All plain `beforebreak` patterns of a language are compiled into one
//! multi-pattern lazy DFA that is run once over the text in *overlapping*
//! mode, which reports every position where some match of some pattern ends
//! (`[\.\?!]+` on `?!` gives both ends), in O(n) for a text of n bytes plus
//! the number of candidates. Each candidate position is then decided by
//! trying the afterbreaks of its rules, anchored, in rule order until one
//! matches. A `beforebreak` that matches the empty string everywhere (empty,
//! missing, or `.*` as in OmegaT's German rules) would make every position a
//! candidate; such rules are found from the other side instead, by one
//! reverse overlapping DFA over their afterbreaks that reports every position
//! where a match starts. A `beforebreak` that needs fancy-regex costs one
//! more scan of the text with a look-behind.
//!
//! ```
//! use bitext::srx::Srx;
//!
//! let srx = Srx::parse("rules.srx", r#"<srx version="2.0"><header/><body>
//!   <languagerules><languagerule languagerulename="zh">
//!     <rule break="yes"><beforebreak>[。！？]</beforebreak><afterbreak>.</afterbreak></rule>
//!   </languagerule></languagerules>
//!   <maprules><languagemap languagepattern="zh.*" languagerulename="zh"/></maprules>
//! </body></srx>"#)?;
//! let rules = srx.rules_for("zh-CN")?;
//! let text = "你好。再见！";
//! let parts: Vec<&str> = rules.split(text).into_iter().map(|r| &text[r]).collect();
//! assert_eq!(parts, ["你好。", "再见！"]);
//! # Ok::<(), bitext::Error>(())
//! ```
//!
//! [`Segmenter::split`]: crate::segment::Segmenter::split

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fancy_regex::{RegexBuilder, RegexInput};
use quick_xml::events::{BytesStart, Event};
use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

use crate::error::{Error, ErrorKind, Result};
use crate::output::xml::resolve_reference;

/// A parsed SRX file: its language rules and language maps, with every
/// pattern already translated and compiled.
#[derive(Debug, Clone)]
pub struct Srx {
    path: PathBuf,
    version: String,
    cascade: bool,
    segment_subflows: bool,
    language_rules: Vec<LanguageRule>,
    maps: Vec<LanguageMap>,
    /// Line of `<maprules>`, for errors about the maps as a whole.
    maps_line: usize,
}

/// The rules an [`Srx`] file gives for one language, ready to split text.
/// Cheap to clone and to share between threads.
#[derive(Clone)]
pub struct SrxRules {
    inner: Arc<Compiled>,
}

impl Srx {
    /// Read and parse the SRX file at `path`.
    pub fn from_file(path: &Path) -> Result<Srx> {
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            srx_error(path, line, "not valid UTF-8; save the SRX file as UTF-8")
        })?;
        Srx::parse(&path.to_string_lossy(), &text)
    }

    /// Parse SRX `text`; `name` (a path) is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Srx> {
        Parser::new(Path::new(name), text).parse()
    }

    /// The file this was read from, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `version` attribute of `<srx>` (`2.0`, or `1.0` for old files).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether the rules of every matching language map apply (`yes`), or
    /// only those of the first (`no`). Without the header attribute: `yes`
    /// for SRX 2.0, `no` for SRX 1.0.
    pub fn cascade(&self) -> bool {
        self.cascade
    }

    /// The header's `segmentsubflows`; recorded only, as plain text has no
    /// subflows.
    pub fn segment_subflows(&self) -> bool {
        self.segment_subflows
    }

    /// The names of the language rules, in file order.
    pub fn language_rule_names(&self) -> impl Iterator<Item = &str> {
        self.language_rules.iter().map(|l| l.name.as_str())
    }

    /// The names of the language rules that apply to `lang` (a language code
    /// such as `zh-CN`), in the order they apply.
    pub fn rule_names_for(&self, lang: &str) -> Vec<&str> {
        let mut names = Vec::new();
        for map in &self.maps {
            if map.matches(lang) {
                names.push(map.rule_name.as_str());
                if !self.cascade {
                    break;
                }
            }
        }
        names
    }

    /// The rules that apply to `lang`, compiled for splitting. An error if no
    /// language map matches `lang`.
    pub fn rules_for(&self, lang: &str) -> Result<SrxRules> {
        let names = self.rule_names_for(lang);
        if names.is_empty() {
            return Err(srx_error(
                &self.path,
                self.maps_line,
                &format!(
                    "no <languagemap> matches the language '{lang}'; add one, such as \
                     <languagemap languagepattern=\"{}.*\" languagerulename=\"...\"/>",
                    lang.split('-').next().unwrap_or(lang)
                ),
            ));
        }
        let mut rules = Vec::new();
        for name in names {
            // The parser checked that every map names an existing rule.
            if let Some(lr) = self.language_rules.iter().find(|l| l.name == name) {
                rules.extend(lr.rules.iter().cloned());
            }
        }
        Compiled::new(lang, rules)
            .map(|c| SrxRules { inner: Arc::new(c) })
            .map_err(|message| srx_error(&self.path, self.maps_line, &message))
    }
}

impl SrxRules {
    /// The language code these rules were selected for.
    pub fn language(&self) -> &str {
        &self.inner.language
    }

    /// How many rules apply, over all selected language rules.
    pub fn len(&self) -> usize {
        self.inner.rules.len()
    }

    /// Whether no rule applies (then nothing is ever split).
    pub fn is_empty(&self) -> bool {
        self.inner.rules.is_empty()
    }

    /// Split `text` into segments, returned as byte ranges of `text` that
    /// cover it exactly, in order, none empty. White space after a break
    /// stays with the segment before it, and a break followed only by white
    /// space is dropped. An empty text gives no segment.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        if text.is_empty() {
            return Vec::new();
        }
        let mut ranges = Vec::new();
        let mut start = 0;
        for cut in self.inner.breaks(text) {
            let cut = cut + leading_whitespace(&text[cut..]);
            if cut > start && cut < text.len() {
                ranges.push(start..cut);
                start = cut;
            }
        }
        ranges.push(start..text.len());
        ranges
    }

    /// The break positions in `text` (byte offsets, increasing, strictly
    /// inside the text), before white space is moved to the left segment.
    pub fn breaks(&self, text: &str) -> Vec<usize> {
        self.inner.breaks(text)
    }
}

impl fmt::Debug for SrxRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrxRules")
            .field("language", &self.inner.language)
            .field("rules", &self.inner.rules.len())
            .field("fancy_before", &self.inner.fancy_before.len())
            .finish()
    }
}

fn srx_error(path: &Path, line: usize, message: &str) -> Error {
    ErrorKind::Srx {
        path: path.to_path_buf(),
        line,
        message: message.to_string(),
    }
    .into()
}

fn leading_whitespace(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// A `<languagerule>`.
#[derive(Debug, Clone)]
struct LanguageRule {
    name: String,
    rules: Vec<Arc<Rule>>,
}

/// A `<languagemap>` (its pattern compiled to match the whole code).
#[derive(Debug, Clone)]
struct LanguageMap {
    pattern: fancy_regex::Regex,
    rule_name: String,
}

impl LanguageMap {
    fn matches(&self, lang: &str) -> bool {
        self.pattern.is_match(lang).unwrap_or(false)
    }
}

/// One compiled `<rule>`.
#[derive(Debug)]
struct Rule {
    breaks: bool,
    /// The beforebreak and afterbreak as written (empty when missing), for
    /// the reference implementation in the tests.
    #[cfg(test)]
    java: (String, String),
    before: Before,
    /// `None` when the afterbreak is empty or missing: it matches anywhere.
    after: Option<After>,
}

/// How a rule's beforebreak is matched.
#[derive(Debug)]
enum Before {
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
struct After {
    /// For the anchored check at a candidate position.
    regex: fancy_regex::Regex,
    /// The pattern, if the `regex` syntax accepts it (for the reverse DFA).
    plain: Option<String>,
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
fn compile_before(t: Translated) -> std::result::Result<Before, String> {
    match kind(&t.automata) {
        Kind::Plain { anywhere: true } => Ok(Before::Anywhere),
        Kind::Plain { anywhere: false } => Ok(Before::Plain(t.automata)),
        Kind::Fancy => fancy(&format!("(?<={})", t.fancy)).map(Before::Fancy),
    }
}

/// Compile a rule's afterbreak, already translated.
fn compile_after(t: Translated) -> std::result::Result<After, String> {
    Ok(After {
        regex: fancy(&t.fancy)?,
        plain: matches!(kind(&t.automata), Kind::Plain { .. }).then_some(t.automata),
    })
}

/// The rules for one language, with the lazy DFAs that find candidates.
struct Compiled {
    language: String,
    rules: Vec<Arc<Rule>>,
    /// Finds where plain beforebreaks end.
    before_ends: Option<Scanner>,
    /// Finds where the plain afterbreaks of rules whose beforebreak matches
    /// anywhere start.
    after_starts: Option<Scanner>,
    /// Rules with a fancy beforebreak.
    fancy_before: Vec<u32>,
    /// Rules whose beforebreak matches anywhere and whose afterbreak is
    /// empty or fancy: candidates at every position.
    everywhere: Vec<u32>,
}

/// A (position, rule index, whether the afterbreak is known to match there).
type Candidate = (usize, u32, bool);

impl Compiled {
    fn new(lang: &str, rules: Vec<Arc<Rule>>) -> std::result::Result<Compiled, String> {
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
    fn breaks(&self, text: &str) -> Vec<usize> {
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
fn syntax_config() -> syntax::Config {
    syntax::Config::new().dot_matches_new_line(true)
}

fn fancy(pattern: &str) -> std::result::Result<fancy_regex::Regex, String> {
    RegexBuilder::new(pattern)
        .dot_matches_new_line(true)
        .build()
        .map_err(|e| one_line(&e.to_string()))
}

/// Collapse a (possibly multi-line) message onto one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// XML

struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    reader: quick_xml::Reader<&'a [u8]>,
    /// Byte offsets of the line starts, for line numbers.
    line_starts: Vec<usize>,
}

/// A `<rule>` while it is read.
struct PendingRule {
    breaks: bool,
    before: Option<(String, usize)>,
    after: Option<(String, usize)>,
}

impl<'a> Parser<'a> {
    fn new(path: &'a Path, text: &'a str) -> Self {
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().trim_text(false);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Parser {
            path,
            text,
            reader,
            line_starts,
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// The line of the event just read (of its last byte).
    fn line(&self) -> usize {
        let end = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
        self.line_at(end.saturating_sub(1).min(self.text.len()))
    }

    fn error(&self, line: usize, message: impl AsRef<str>) -> Error {
        srx_error(self.path, line, message.as_ref())
    }

    fn xml_error(&self, e: impl fmt::Display) -> Error {
        let at = usize::try_from(self.reader.error_position()).unwrap_or(0);
        self.error(
            self.line_at(at),
            format!(
                "not well-formed XML: {}; fix the file or export it again",
                one_line(&e.to_string())
            ),
        )
    }

    fn attr(&self, e: &BytesStart<'_>, name: &str) -> Result<Option<String>> {
        for attr in e.attributes() {
            let attr = attr.map_err(|e| self.xml_error(e))?;
            if attr.key.local_name().as_ref() == name.as_bytes() {
                let value = attr.unescape_value().map_err(|e| self.xml_error(e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn yes_no(&self, e: &BytesStart<'_>, name: &str, element: &str) -> Result<Option<bool>> {
        match self.attr(e, name)?.as_deref().map(str::trim) {
            None => Ok(None),
            Some("yes") => Ok(Some(true)),
            Some("no") => Ok(Some(false)),
            Some(other) => Err(self.error(
                self.line(),
                format!("<{element} {name}=\"{other}\">: the value must be \"yes\" or \"no\""),
            )),
        }
    }

    fn parse(mut self) -> Result<Srx> {
        let mut version = None;
        let mut cascade = None;
        let mut segment_subflows = None;
        let mut language_rules: Vec<LanguageRule> = Vec::new();
        // (pattern, rule name, line) of each languagemap in use.
        let mut maps: Vec<(String, String, usize)> = Vec::new();
        let mut maps_line = 0;
        let mut maprule_count = 0usize;
        let mut stack: Vec<String> = Vec::new();
        let mut rule: Option<PendingRule> = None;
        // The text of the beforebreak/afterbreak being read.
        let mut pattern: Option<String> = None;
        loop {
            let event = self.reader.read_event().map_err(|e| self.xml_error(e))?;
            let line = self.line();
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    match name.as_str() {
                        "srx" => {
                            let v = self.attr(e, "version")?.unwrap_or_default();
                            if !matches!(v.trim(), "1.0" | "2.0") {
                                return Err(self.error(
                                    line,
                                    format!(
                                        "<srx version=\"{v}\"> is not supported; \
                                         bitext reads SRX 2.0 (and 1.0)"
                                    ),
                                ));
                            }
                            version = Some(v.trim().to_string());
                        }
                        "header" => {
                            cascade = self.yes_no(e, "cascade", "header")?;
                            segment_subflows = self.yes_no(e, "segmentsubflows", "header")?;
                        }
                        "languagerule" => {
                            let Some(rule_name) = self.attr(e, "languagerulename")? else {
                                return Err(
                                    self.error(line, "<languagerule> has no languagerulename")
                                );
                            };
                            if language_rules.iter().any(|l| l.name == rule_name) {
                                return Err(self.error(
                                    line,
                                    format!("a second <languagerule> is named '{rule_name}'"),
                                ));
                            }
                            language_rules.push(LanguageRule {
                                name: rule_name,
                                rules: Vec::new(),
                            });
                        }
                        "rule" => {
                            if stack.last().map(String::as_str) != Some("languagerule") {
                                return Err(self.error(line, "<rule> outside a <languagerule>"));
                            }
                            let breaks = self.yes_no(e, "break", "rule")?.unwrap_or(true);
                            let pending = PendingRule {
                                breaks,
                                before: None,
                                after: None,
                            };
                            if empty {
                                self.finish_rule(pending, &mut language_rules)?;
                            } else {
                                rule = Some(pending);
                            }
                        }
                        "beforebreak" | "afterbreak" if rule.is_some() => {
                            if empty {
                                set_pattern(rule.as_mut(), &name, String::new(), line);
                            } else {
                                pattern = Some(String::new());
                            }
                        }
                        "maprules" => maps_line = line,
                        "maprule" => maprule_count += 1,
                        "languagemap" if maprule_count <= 1 => {
                            let (Some(lang), Some(rule_name)) = (
                                self.attr(e, "languagepattern")?,
                                self.attr(e, "languagerulename")?,
                            ) else {
                                return Err(self.error(
                                    line,
                                    "<languagemap> needs languagepattern and languagerulename",
                                ));
                            };
                            maps.push((lang, rule_name, line));
                        }
                        _ => {}
                    }
                    if !empty {
                        stack.push(name);
                    }
                }
                Event::End(ref e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    stack.pop();
                    match name.as_str() {
                        "beforebreak" | "afterbreak" => {
                            if let Some(text) = pattern.take() {
                                set_pattern(rule.as_mut(), &name, text, line);
                            }
                        }
                        "rule" => {
                            if let Some(pending) = rule.take() {
                                self.finish_rule(pending, &mut language_rules)?;
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(ref t) => {
                    if let Some(p) = pattern.as_mut() {
                        p.push_str(&t.xml_content().map_err(|e| self.xml_error(e))?);
                    }
                }
                Event::CData(ref t) => {
                    if let Some(p) = pattern.as_mut() {
                        p.push_str(&t.xml_content().map_err(|e| self.xml_error(e))?);
                    }
                }
                Event::GeneralRef(ref r) => {
                    if let Some(p) = pattern.as_mut() {
                        let Some(resolved) = resolve_reference(r) else {
                            let name = String::from_utf8_lossy(r);
                            return Err(self.error(line, format!("unknown entity &{name};")));
                        };
                        p.push_str(&resolved);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let Some(version) = version else {
            return Err(self.error(1, "not an SRX file: no <srx> element"));
        };
        let srx1 = version == "1.0";
        let mut compiled_maps = Vec::with_capacity(maps.len());
        for (lang, rule_name, line) in maps {
            if !language_rules.iter().any(|l| l.name == rule_name) {
                return Err(self.error(
                    line,
                    format!(
                        "<languagemap> names the languagerule '{rule_name}', which does not exist"
                    ),
                ));
            }
            let pattern = translate(&lang)
                .and_then(|t| {
                    RegexBuilder::new(&format!("^(?:{})\\z", t.fancy))
                        .case_insensitive(true)
                        .build()
                        .map_err(|e| one_line(&e.to_string()))
                })
                .map_err(|e| {
                    self.error(
                        line,
                        format!("languagepattern `{lang}` cannot be used: {e}"),
                    )
                })?;
            compiled_maps.push(LanguageMap { pattern, rule_name });
        }
        if compiled_maps.is_empty() {
            return Err(self.error(
                maps_line.max(1),
                "no <languagemap>: add <maprules> with a <languagemap> for each language",
            ));
        }
        Ok(Srx {
            path: self.path.to_path_buf(),
            version,
            cascade: cascade.unwrap_or(!srx1),
            segment_subflows: segment_subflows.unwrap_or(true),
            language_rules,
            maps: compiled_maps,
            maps_line: maps_line.max(1),
        })
    }

    fn finish_rule(&self, pending: PendingRule, into: &mut [LanguageRule]) -> Result<()> {
        let compile_error = |kind: &str, (java, line): &(String, usize), why: String| {
            self.error(*line, format!("{kind} `{java}` cannot be used: {why}"))
        };
        let before = match &pending.before {
            Some(b) if !b.0.is_empty() => translate(&b.0)
                .and_then(compile_before)
                .map_err(|why| compile_error("beforebreak", b, why))?,
            _ => Before::Anywhere,
        };
        let after = match &pending.after {
            Some(a) if !a.0.is_empty() => Some(
                translate(&a.0)
                    .and_then(compile_after)
                    .map_err(|why| compile_error("afterbreak", a, why))?,
            ),
            _ => None,
        };
        if let Some(lr) = into.last_mut() {
            #[cfg(test)]
            let java = |p: &Option<(String, usize)>| p.as_ref().map_or("", |p| &p.0).to_string();
            lr.rules.push(Arc::new(Rule {
                breaks: pending.breaks,
                #[cfg(test)]
                java: (java(&pending.before), java(&pending.after)),
                before,
                after,
            }));
        }
        Ok(())
    }
}

fn set_pattern(rule: Option<&mut PendingRule>, element: &str, text: String, line: usize) {
    if let Some(rule) = rule {
        if element == "beforebreak" {
            rule.before = Some((text, line));
        } else {
            rule.after = Some((text, line));
        }
    }
}

// ---------------------------------------------------------------------------
// Java regular expressions

/// The engine a pattern is translated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// regex-automata, i.e. the `regex` crate's syntax.
    Automata,
    /// fancy-regex, which has look-around but cannot switch Unicode mode
    /// inline.
    Fancy,
}

/// A Java pattern translated for each engine.
#[derive(Debug)]
struct Translated {
    automata: String,
    fancy: String,
}

/// Translate a Java regular expression for both engines (see the module
/// documentation for what changes).
fn translate(java: &str) -> std::result::Result<Translated, String> {
    Ok(Translated {
        automata: translate_for(java, Dialect::Automata)?,
        fancy: translate_for(java, Dialect::Fancy)?,
    })
}

fn translate_for(java: &str, dialect: Dialect) -> std::result::Result<String, String> {
    Translator {
        chars: java.chars().collect(),
        i: 0,
        out: String::with_capacity(java.len() + 8),
        dialect,
        flags: Flags::default(),
        saved: Vec::new(),
        captures: 0,
    }
    .run()
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// `(?U)`: UNICODE_CHARACTER_CLASS.
    unicode_classes: bool,
    /// `(?x)`: comments mode.
    comments: bool,
}

struct Translator {
    chars: Vec<char>,
    i: usize,
    out: String,
    dialect: Dialect,
    flags: Flags,
    /// Flags to restore at each open group's `)`.
    saved: Vec<Flags>,
    captures: usize,
}

/// Java's `\s` (without `(?U)`), as a class body.
const JAVA_SPACE: &str = r"\t\n\x0B\x0C\r\x20";
/// Java's `\h`, as a class body.
const JAVA_HSPACE: &str = r"\x20\t\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}";
/// Java's `\v` (Java 8 and later), as a class body.
const JAVA_VSPACE: &str = r"\n\x0B\x0C\r\x{85}\x{2028}\x{2029}";

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars[self.i..].iter().take(n).copied().eq(s.chars()) {
            self.i += n;
            true
        } else {
            false
        }
    }

    fn run(mut self) -> std::result::Result<String, String> {
        while let Some(c) = self.next() {
            match c {
                '\\' => self.escape(false)?,
                '[' => self.class()?,
                '(' => self.open_group()?,
                ')' => {
                    self.flags = self.saved.pop().ok_or("unmatched closing parenthesis")?;
                    self.out.push(')');
                }
                '#' if self.flags.comments => {
                    self.out.push('#');
                    while let Some(c) = self.next() {
                        self.out.push(c);
                        if c == '\n' {
                            break;
                        }
                    }
                }
                c => self.out.push(c),
            }
        }
        if !self.saved.is_empty() {
            return Err("unclosed group".into());
        }
        Ok(self.out)
    }

    fn open_group(&mut self) -> std::result::Result<(), String> {
        if !self.eat("?") {
            self.captures += 1;
            self.saved.push(self.flags);
            self.out.push('(');
            return Ok(());
        }
        for prefix in [":", "=", "!", ">", "<=", "<!"] {
            if self.eat(prefix) {
                self.saved.push(self.flags);
                self.out.push_str("(?");
                self.out.push_str(prefix);
                return Ok(());
            }
        }
        if self.peek() == Some('<') {
            // A named group: (?<name>...).
            self.captures += 1;
            self.saved.push(self.flags);
            self.out.push_str("(?");
            return Ok(());
        }
        // Inline flags: (?idmsuxU-idmsuxU) or (?idmsuxU-idmsuxU:...).
        let (mut on, mut off) = (String::new(), String::new());
        let mut negate = false;
        let mut flags = self.flags;
        loop {
            let c = self.next().ok_or("unclosed group")?;
            match c {
                '-' if !negate => negate = true,
                'i' | 'm' | 's' | 'x' => {
                    if c == 'x' {
                        flags.comments = !negate;
                    }
                    if negate { &mut off } else { &mut on }.push(c);
                }
                'd' | 'u' => {}
                'U' => flags.unicode_classes = !negate,
                ':' | ')' => {
                    let mut spec = on;
                    if !off.is_empty() {
                        spec.push('-');
                        spec.push_str(&off);
                    }
                    if c == ':' {
                        self.saved.push(self.flags);
                        self.out.push_str(&format!("(?{spec}:"));
                    } else if !spec.is_empty() {
                        self.out.push_str(&format!("(?{spec})"));
                    }
                    self.flags = flags;
                    return Ok(());
                }
                c => return Err(format!("unknown inline flag '{c}'")),
            }
        }
    }

    fn class(&mut self) -> std::result::Result<(), String> {
        self.out.push('[');
        if self.eat("^") {
            self.out.push('^');
        }
        if self.eat("]") {
            self.out.push_str(r"\]");
        }
        loop {
            let c = self.next().ok_or("unclosed character class")?;
            match c {
                ']' => {
                    self.out.push(']');
                    return Ok(());
                }
                '[' => self.class()?,
                '\\' => self.escape(true)?,
                '&' if self.eat("&") => self.out.push_str("&&"),
                '~' => self.out.push_str(r"\~"),
                c => self.out.push(c),
            }
        }
    }

    /// Emit a class body `body` as a class of its own (negated if `negate`),
    /// which also works nested inside an enclosing class.
    fn emit_set(&mut self, body: &str, negate: bool) {
        self.out.push('[');
        if negate {
            self.out.push('^');
        }
        self.out.push_str(body);
        self.out.push(']');
    }

    fn escape(&mut self, in_class: bool) -> std::result::Result<(), String> {
        let c = self.next().ok_or("trailing backslash")?;
        let unicode = self.flags.unicode_classes;
        match c {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' if unicode => {
                self.out.push('\\');
                self.out.push(c);
            }
            'd' | 'D' => self.emit_set("0-9", c == 'D'),
            's' | 'S' => self.emit_set(JAVA_SPACE, c == 'S'),
            'w' | 'W' => self.emit_set("a-zA-Z0-9_", c == 'W'),
            'h' | 'H' => self.emit_set(JAVA_HSPACE, c == 'H'),
            'v' | 'V' => self.emit_set(JAVA_VSPACE, c == 'V'),
            'b' | 'B' if in_class => return Err(format!("\\{c} inside a character class")),
            'b' | 'B' if unicode => {
                self.out.push('\\');
                self.out.push(c);
            }
            'b' | 'B' if self.dialect == Dialect::Automata => {
                self.out.push_str(&format!("(?-u:\\{c})"));
            }
            // Java 19+: \b is (?:(?<=\w)(?!\w)|(?<!\w)(?=\w)), with ASCII \w.
            'b' => self.out.push_str(
                r"(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))",
            ),
            'B' => self.out.push_str(
                r"(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))",
            ),
            'R' if !in_class => self.out.push_str(&format!(r"(?:\r\n|[{JAVA_VSPACE}])")),
            'A' | 'z' if !in_class => {
                self.out.push('\\');
                self.out.push(c);
            }
            'Z' if !in_class => self
                .out
                .push_str(r"(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)"),
            'p' | 'P' => self.property(c == 'P')?,
            'Q' => {
                while self.peek().is_some() && !self.eat("\\E") {
                    let c = self.next().unwrap_or_default();
                    self.literal(c);
                }
            }
            'E' => {}
            't' | 'n' | 'r' | 'f' => {
                self.out.push('\\');
                self.out.push(c);
            }
            'a' => self.out.push_str(r"\x07"),
            'e' => self.out.push_str(r"\x1B"),
            '0' => {
                let mut value = 0u32;
                let mut digits = 0;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(8)) {
                    if digits == 3 || (digits == 2 && value > 0o37) {
                        break;
                    }
                    value = value * 8 + d;
                    digits += 1;
                    self.i += 1;
                }
                if digits == 0 {
                    return Err("\\0 must be followed by octal digits".into());
                }
                self.code_point(value)?;
            }
            'x' => {
                let value = if self.eat("{") {
                    let hex = self.take_while(|c| c != '}');
                    if !self.eat("}") {
                        return Err("unclosed \\x{".into());
                    }
                    hex
                } else {
                    self.take_n(2)
                };
                let value = u32::from_str_radix(&value, 16)
                    .map_err(|_| format!("bad hexadecimal escape \\x{value}"))?;
                self.code_point(value)?;
            }
            'u' => {
                let unit = self.hex4()?;
                let value = if (0xD800..0xDC00).contains(&unit) && self.eat("\\u") {
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err("unpaired surrogate in \\u escape".into());
                    }
                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    unit
                };
                self.code_point(value)?;
            }
            'c' => {
                let x = self.next().ok_or("\\c needs a letter")?;
                self.code_point(u32::from(x) ^ 0x40)?;
            }
            '1'..='9' if !in_class => {
                // Java reads as many digits as still name an existing group.
                let mut group = c.to_digit(10).unwrap_or_default() as usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    let longer = group * 10 + d as usize;
                    if longer > self.captures {
                        break;
                    }
                    group = longer;
                    self.i += 1;
                }
                self.out.push_str(&format!("\\{group}"));
            }
            'k' if !in_class => {
                self.out.push_str("\\k");
            }
            'X' => return Err("grapheme clusters (\\X) are not supported".into()),
            'G' => return Err("\\G has no meaning in a segmentation rule".into()),
            'N' => return Err("named characters (\\N{...}) are not supported".into()),
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("unknown escape \\{c}"));
            }
            c => self.literal(c),
        }
        Ok(())
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(|&c| f(c)) {
            s.push(c);
            self.i += 1;
        }
        s
    }

    fn take_n(&mut self, n: usize) -> String {
        let mut s = String::new();
        for _ in 0..n {
            if let Some(c) = self.next() {
                s.push(c);
            }
        }
        s
    }

    fn hex4(&mut self) -> std::result::Result<u32, String> {
        let hex = self.take_n(4);
        if hex.len() != 4 {
            return Err(format!("\\u{hex} needs four hexadecimal digits"));
        }
        u32::from_str_radix(&hex, 16).map_err(|_| format!("bad escape \\u{hex}"))
    }

    fn code_point(&mut self, value: u32) -> std::result::Result<(), String> {
        if char::from_u32(value).is_none() {
            return Err(format!("U+{value:04X} is not a character"));
        }
        self.out.push_str(&format!("\\x{{{value:X}}}"));
        Ok(())
    }

    /// Emit `c` so that it matches itself, in or out of a class.
    fn literal(&mut self, c: char) {
        if c.is_ascii_punctuation() && !matches!(c, '<' | '>') {
            // Escaping any ASCII punctuation is allowed, except `<` and `>`,
            // which would become word-boundary assertions.
            self.out.push('\\');
            self.out.push(c);
        } else if c.is_whitespace() || c.is_control() {
            self.out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
        } else {
            self.out.push(c);
        }
    }

    /// `\p{…}`, `\P{…}`, `\pL`.
    fn property(&mut self, negate: bool) -> std::result::Result<(), String> {
        let name = if self.eat("{") {
            let name = self.take_while(|c| c != '}');
            if !self.eat("}") {
                return Err("unclosed \\p{".into());
            }
            name
        } else {
            self.next().ok_or("\\p needs a property name")?.to_string()
        };
        let p = if negate { 'P' } else { 'p' };
        if let Some(body) = java_property(&name, self.flags.unicode_classes)? {
            self.emit_set(&body, negate);
        } else {
            // A general category, script or binary property: the `regex`
            // crate knows them by the same names, without Java's `Is`.
            let bare = name.strip_prefix("Is").unwrap_or(&name);
            self.out.push_str(&format!("\\{p}{{{bare}}}"));
        }
        Ok(())
    }
}

/// The class body for a Java-specific property name, or `None` for names
/// that the `regex` crate reads the same way (after dropping `Is`).
fn java_property(name: &str, unicode: bool) -> std::result::Result<Option<String>, String> {
    let posix = |ascii: &str, uni: &str| Some(if unicode { uni } else { ascii }.to_string());
    let body = match name {
        // POSIX classes: US-ASCII only unless (?U).
        "Lower" => posix("a-z", r"\p{Lowercase}"),
        "Upper" => posix("A-Z", r"\p{Uppercase}"),
        "ASCII" => posix(r"\x00-\x7F", r"\x00-\x7F"),
        "Alpha" => posix("a-zA-Z", r"\p{Alphabetic}"),
        "Digit" => posix("0-9", r"\p{Nd}"),
        "Alnum" => posix("a-zA-Z0-9", r"\p{Alphabetic}\p{Nd}"),
        "Punct" => posix("[:punct:]", r"\p{P}"),
        "Graph" => posix("[:graph:]", r"[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]"),
        "Print" => posix("[:print:]", r"[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]\p{Zs}"),
        "Blank" => posix(r"\x20\t", r"\p{Zs}\t"),
        "Cntrl" => posix(r"\x00-\x1F\x7F", r"\p{Cc}"),
        "XDigit" => posix("0-9a-fA-F", r"\p{Nd}\p{Hex_Digit}"),
        "Space" => posix(JAVA_SPACE, r"\p{White_Space}"),
        // java.lang.Character classes.
        "javaLowerCase" => Some(r"\p{Lowercase}".into()),
        "javaUpperCase" => Some(r"\p{Uppercase}".into()),
        "javaTitleCase" => Some(r"\p{Lt}".into()),
        "javaAlphabetic" => Some(r"\p{Alphabetic}".into()),
        "javaIdeographic" => Some(r"\p{Ideographic}".into()),
        "javaLetter" => Some(r"\p{L}".into()),
        "javaDigit" => Some(r"\p{Nd}".into()),
        "javaLetterOrDigit" => Some(r"\p{L}\p{Nd}".into()),
        "javaSpaceChar" => Some(r"\p{Z}".into()),
        "javaWhitespace" => {
            Some(r"\t\n\x0B\x0C\r\x1C-\x1F\x{2028}\x{2029}[\p{Zs}--[\xA0\x{2007}\x{202F}]]".into())
        }
        "javaISOControl" => Some(r"\x00-\x1F\x7F-\x9F".into()),
        "javaMirrored" => Some(r"\p{Bidi_Mirrored}".into()),
        "javaDefined" => Some(r"\P{Cn}".into()),
        "all" => Some(r"\x00-\x{10FFFF}".into()),
        _ => {
            let block = name
                .strip_prefix("In")
                .or_else(|| name.strip_prefix("blk="))
                .or_else(|| name.strip_prefix("block="));
            match block {
                Some(block) => Some(java_block(block)?.to_string()),
                None if name.starts_with("java") => {
                    return Err(format!("\\p{{{name}}} is not supported"));
                }
                None => None,
            }
        }
    };
    Ok(body)
}

/// The Unicode blocks most used with CJK text, by Java's names (spaces and
/// underscores ignored, any case).
fn java_block(name: &str) -> std::result::Result<&'static str, String> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Ok(match key.as_str() {
        "basiclatin" => r"\x00-\x7F",
        "latin1supplement" => r"\x80-\xFF",
        "generalpunctuation" => r"\x{2000}-\x{206F}",
        "cjkradicalssupplement" => r"\x{2E80}-\x{2EFF}",
        "cjksymbolsandpunctuation" => r"\x{3000}-\x{303F}",
        "hiragana" => r"\x{3040}-\x{309F}",
        "katakana" => r"\x{30A0}-\x{30FF}",
        "bopomofo" => r"\x{3100}-\x{312F}",
        "cjkunifiedideographsextensiona" => r"\x{3400}-\x{4DBF}",
        "cjkunifiedideographs" => r"\x{4E00}-\x{9FFF}",
        "hangulsyllables" => r"\x{AC00}-\x{D7AF}",
        "cjkcompatibilityideographs" => r"\x{F900}-\x{FAFF}",
        "cjkcompatibilityforms" => r"\x{FE30}-\x{FE4F}",
        "halfwidthandfullwidthforms" => r"\x{FF00}-\x{FFEF}",
        _ => {
            return Err(format!(
                "the Unicode block {name} is not supported; use a script such as \\p{{IsHan}} \
                 or a range such as [\\x{{4E00}}-\\x{{9FFF}}]"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OMEGAT: &str = include_str!("../tests/standards/omegat-defaultRules.srx");

    fn omegat() -> Srx {
        Srx::parse("omegat-defaultRules.srx", OMEGAT).unwrap()
    }

    fn seg<'t>(rules: &SrxRules, text: &'t str) -> Vec<&'t str> {
        rules.split(text).into_iter().map(|r| &text[r]).collect()
    }

    /// An SRX 2.0 file with the given header attributes, language rules
    /// (name, rules XML) and maps (pattern, name).
    fn srx(header: &str, rules: &[(&str, &str)], maps: &[(&str, &str)]) -> String {
        let mut s = format!(
            "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n<header {header}/>\n<body>\n<languagerules>\n"
        );
        for (name, xml) in rules {
            s.push_str(&format!(
                "<languagerule languagerulename=\"{name}\">\n{xml}\n</languagerule>\n"
            ));
        }
        s.push_str("</languagerules>\n<maprules>\n");
        for (pattern, name) in maps {
            s.push_str(&format!(
                "<languagemap languagepattern=\"{pattern}\" languagerulename=\"{name}\"/>\n"
            ));
        }
        s.push_str("</maprules>\n</body>\n</srx>\n");
        s
    }

    fn rule(breaks: bool, before: &str, after: &str) -> String {
        format!(
            "<rule break=\"{}\"><beforebreak>{before}</beforebreak><afterbreak>{after}</afterbreak></rule>",
            if breaks { "yes" } else { "no" }
        )
    }

    fn err(text: &str) -> String {
        Srx::parse("bad.srx", text).unwrap_err().to_string()
    }

    #[test]
    fn translates_java_syntax() {
        let t = |s: &str| translate_for(s, Dialect::Automata).unwrap();
        assert_eq!(t(r"\s+\P{Lu}"), r"[\t\n\x0B\x0C\r\x20]+\P{Lu}");
        assert_eq!(t(r"[\.\?\!]+"), r"[\.\?\!]+");
        assert_eq!(
            t(r"\p{IsLatin}\p{javaUpperCase}"),
            r"\p{Latin}[\p{Uppercase}]"
        );
        assert_eq!(t(r"\p{Lower}\P{Punct}"), r"[a-z][^[:punct:]]");
        assert_eq!(
            t(r"\u3002\uD83D\uDE00\x41\0101"),
            r"\x{3002}\x{1F600}\x{41}\x{41}"
        );
        assert_eq!(t(r"\Qa.b\E"), r"a\.b");
        assert_eq!(t(r"(?iu)x(?U)\w"), r"(?i)x\w");
        assert_eq!(t(r"(?U:\d)\d"), r"(?:\d)[0-9]");
        assert_eq!(t(r"\bMr\."), r"(?-u:\b)Mr\.");
        assert_eq!(t(r"[a~b]"), r"[a\~b]");
        assert_eq!(t(r"\<\>"), r"<>");
        assert_eq!(t(r"(a)\1"), r"(a)\1");
        assert_eq!(t(r"a*+"), r"a*+");
        assert_eq!(t(r"\p{InCJKSymbolsAndPunctuation}"), r"[\x{3000}-\x{303F}]");
        assert!(translate(r"\X").unwrap_err().contains("grapheme"));
        assert!(translate(r"\p{InTibetan}").unwrap_err().contains("block"));
        assert!(translate(r"(a").is_err());
        assert!(translate(r"\y").unwrap_err().contains("unknown escape"));
        // fancy-regex cannot switch Unicode mode inline: \b is spelled out.
        let f = translate_for(r"\bx", Dialect::Fancy).unwrap();
        assert!(f.starts_with("(?:(?<=[a-zA-Z0-9_])"), "{f}");
    }

    #[test]
    fn java_classes_keep_their_java_meaning() {
        let re = |s: &str| {
            let t = translate(s).unwrap();
            let f = fancy(&t.fancy).unwrap();
            let a = regex_automata::meta::Regex::builder()
                .syntax(syntax_config())
                .build(&t.automata)
                .unwrap();
            move |text: &str| {
                let (f, a) = (f.is_match(text).unwrap(), a.is_match(text));
                assert_eq!(f, a, "engines disagree on {text:?}");
                f
            }
        };
        // Java's \s is ASCII: no ideographic space.
        assert!(!re(r"^\s$")("\u{3000}"));
        assert!(re(r"^\h$")("\u{3000}"));
        assert!(!re(r"^\h$")("a"));
        assert!(re(r"^\v$")("\u{2028}"));
        assert!(!re(r"^\d$")("٣"));
        assert!(re(r"(?U)^\d$")("٣"));
        assert!(re(r"^\p{Punct}$")("!"));
        assert!(!re(r"^\p{Lower}$")("é"));
        assert!(re(r"^\p{javaLowerCase}$")("é"));
        assert!(!re(r"^\p{javaWhitespace}$")("\u{a0}"));
        assert!(re(r"^\p{javaWhitespace}$")("\u{3000}"));
        // \b is the boundary of ASCII \w: between Han and Latin, not
        // between two Han characters.
        let b = re(r"\bab\b");
        assert!(b("中ab中") && b("x ab") && !b("xab"));
        let b = re(r"中\b");
        assert!(!b("中文") && !b("中") && b("中a"));
        let nb = re(r"中\B文");
        assert!(nb("中文"));
    }

    #[test]
    fn reads_omegat_default_rules_without_cascade_in_the_header() {
        let srx = omegat();
        assert!(srx.cascade(), "a header without cascade cascades");
        assert!(srx.segment_subflows());
        assert_eq!(srx.version(), "2.0");
        assert_eq!(srx.language_rule_names().count(), 16);
        assert_eq!(
            srx.rule_names_for("zh-CN"),
            ["Chinese", "Default", "Text", "HTML"]
        );
        assert_eq!(srx.rule_names_for("en-US")[0], "English");
        assert_eq!(srx.rules_for("zh-CN").unwrap().len(), 3 + 3 + 1 + 1);
    }

    #[test]
    fn omegat_chinese_rules_on_chinese_text() {
        let rules = omegat().rules_for("zh-CN").unwrap();
        assert_eq!(
            seg(
                &rules,
                "他说：“我们一定完成任务。”大家鼓掌。真好！还有吗？好。"
            ),
            [
                "他说：“我们一定完成任务。”大家鼓掌。",
                "真好！",
                "还有吗？",
                "好。"
            ]
        );
        // Commas and full stops inside the text never break; a closing
        // bracket or a second question mark stays with its sentence.
        assert_eq!(
            seg(&rules, "增长3.5%，占比（约一半。）其余？？下一句"),
            ["增长3.5%，占比（约一半。）其余？？", "下一句"]
        );
        // OmegaT's Chinese rules keep ？ before ？ but not before ！.
        assert_eq!(seg(&rules, "谁敢？！违法"), ["谁敢？", "！", "违法"]);
        // The Default rules also apply (cascade), after the Chinese ones:
        // an ASCII `?` before white space breaks, but the Chinese exception
        // for `.` comes first.
        assert_eq!(
            seg(&rules, "Is it open? Yes. Most of it.”他回答。"),
            ["Is it open? ", "Yes. Most of it.”他回答。"]
        );
    }

    #[test]
    fn omegat_english_exceptions() {
        let rules = omegat().rules_for("en-GB").unwrap();
        assert_eq!(
            seg(
                &rules,
                "Mr. Smith met Dr. Jones, e.g. at noon. They talked. E.G. this"
            ),
            [
                "Mr. Smith met Dr. Jones, e.g. at noon. ",
                "They talked. ",
                "E.G. this"
            ]
        );
        assert_eq!(
            seg(&rules, "It was 5 p.m. and late. See No. 5 now."),
            ["It was 5 p.m. and late. ", "See No. 5 now."]
        );
        // `etc.` is an exception only before a lower-case word.
        assert_eq!(
            seg(&rules, "apples, pears etc. and more etc. Then"),
            ["apples, pears etc. and more etc. ", "Then"]
        );
        // Default's `...` exception before a lower-case word.
        assert_eq!(
            seg(&rules, "Wait... what? Yes!! Go."),
            ["Wait... what? ", "Yes!! ", "Go."]
        );
    }

    #[test]
    fn first_matching_rule_wins() {
        let text = srx(
            "cascade=\"yes\" segmentsubflows=\"yes\"",
            &[
                (
                    "A",
                    &[rule(false, r"x\.", r"\s"), rule(true, r"\.", r"\s")].concat(),
                ),
                ("B", &rule(false, r"\.", r"\s")),
            ],
            &[("en.*", "A"), ("e.*", "B")],
        );
        let srx = Srx::parse("t.srx", &text).unwrap();
        let rules = srx.rules_for("en").unwrap();
        // The exception in A comes first, then A's break rule beats B's
        // exception.
        assert_eq!(seg(&rules, "a x. b. c"), ["a x. b. ", "c"]);
        // Rule order, not match length or position, decides.
        let rules = srx.rules_for("es").unwrap();
        assert_eq!(seg(&rules, "a x. b. c"), ["a x. b. c"]);
    }

    #[test]
    fn cascade_no_uses_only_the_first_map() {
        let rules = [("A", rule(true, "a", "")), ("B", rule(true, "b", ""))];
        let rules: Vec<(&str, &str)> = rules.iter().map(|(n, r)| (*n, r.as_str())).collect();
        let maps = [(".*", "A"), (".*", "B")];
        let yes = Srx::parse("t.srx", &srx("cascade=\"yes\"", &rules, &maps)).unwrap();
        let no = Srx::parse("t.srx", &srx("cascade=\"no\"", &rules, &maps)).unwrap();
        assert_eq!(
            seg(&yes.rules_for("xx").unwrap(), "abab"),
            ["a", "b", "a", "b"]
        );
        assert_eq!(seg(&no.rules_for("xx").unwrap(), "abab"), ["a", "ba", "b"]);
        assert_eq!(no.rule_names_for("xx"), ["A"]);
    }

    #[test]
    fn language_patterns_match_the_whole_code_case_insensitively() {
        let r = rule(true, "a", "");
        let text = srx("", &[("Z", &r)], &[("ZH", "Z")]);
        let srx = Srx::parse("t.srx", &text).unwrap();
        assert_eq!(srx.rule_names_for("zh"), ["Z"]);
        assert!(srx.rule_names_for("zh-CN").is_empty());
        let e = srx.rules_for("zh-CN").unwrap_err().to_string();
        assert!(e.starts_with("t.srx:"), "{e}");
        assert!(
            e.contains("no <languagemap> matches the language 'zh-CN'"),
            "{e}"
        );
    }

    #[test]
    fn overlapping_beforebreak_matches_are_all_candidates() {
        // `[.?!]+` matches "?!" ending after "!" and also "?" ending after
        // "?"; the no-break rule must see both ends.
        let rules = [rule(false, r"\?", "!"), rule(true, r"[\.\?\!]+", "")].concat();
        let text = srx("", &[("A", &rules)], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("en").unwrap();
        assert_eq!(r.breaks("a?!b"), [3]);
        assert_eq!(seg(&r, "a?!b. c?d"), ["a?!", "b. ", "c?", "d"]);
        // A longer match starting earlier also ends at every later end.
        let text = srx("", &[("A", &rule(true, "ab+", "c"))], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("en").unwrap();
        assert_eq!(r.breaks("xabbbc"), [5]);
    }

    #[test]
    fn lookaround_and_backreferences_use_fancy_regex() {
        let rules = [
            rule(false, r"(?&lt;![A-Z])[A-Z]\.", r"\s"),
            rule(false, r"(\w)\1\.", ""),
            rule(true, r"\.", r"\s(?=\p{Lu})"),
        ]
        .concat();
        let text = srx("", &[("A", &rules)], &[(".*", "A")]);
        let srx = Srx::parse("t.srx", &text).unwrap();
        let r = srx.rules_for("en").unwrap();
        assert_eq!(
            seg(&r, "J. Smith. Go. Zoo. Ok. lower. End"),
            ["J. Smith. ", "Go. ", "Zoo. Ok. lower. ", "End"]
        );
    }

    #[test]
    fn empty_patterns_match_anywhere() {
        let rules = [rule(false, "", "b"), rule(true, "", "")].concat();
        let text = srx("", &[("A", &rules)], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(seg(&r, "abcb中"), ["ab", "cb", "中"]);
        // A rule with no break attribute breaks; missing patterns are empty.
        let text = srx(
            "",
            &[(
                "A",
                "<rule><beforebreak>,</beforebreak></rule><rule break=\"no\"/>",
            )],
            &[(".*", "A")],
        );
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(seg(&r, "a,b,c"), ["a,", "b,", "c"]);
    }

    #[test]
    fn beforebreaks_that_match_anywhere_are_found_from_the_afterbreak() {
        // As in OmegaT's German rules: `.*` before, a domain after.
        let rules = [rule(false, ".*", r"\.at\b"), rule(true, "[a-z]", r"\.")].concat();
        let text = srx("", &[("A", &rules)], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(seg(&r, "x.de y.at z.atom"), ["x", ".de y.at z", ".atom"]);
        // Every start of an afterbreak match counts, overlapping ones too.
        let text = srx("", &[("A", &rule(true, ".*", "aa"))], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(r.breaks("xaaa"), [1, 2]);
        // With a fancy afterbreak every position is checked.
        let text = srx("", &[("A", &rule(true, "", "(?=b)"))], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(seg(&r, "ab中b"), ["a", "b中", "b"]);
    }

    #[test]
    fn whitespace_after_a_break_stays_left() {
        let text = srx("", &[("A", &rule(true, r"\.", ""))], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(
            seg(&r, "a.  b. \u{3000}c.  "),
            ["a.  ", "b. \u{3000}", "c.  "]
        );
        assert_eq!(seg(&r, ".a."), [".", "a."]);
        assert!(r.split("").is_empty());
    }

    #[test]
    fn srx_1_0_files_are_read() {
        let text = r#"<?xml version="1.0"?>
<srx version="1.0"><header segmentsubflows="yes"/><body>
<languagerules>
  <languagerule languagerulename="A"><rule break="yes"><beforebreak>a</beforebreak><afterbreak></afterbreak></rule></languagerule>
  <languagerule languagerulename="B"><rule break="yes"><beforebreak>b</beforebreak><afterbreak/></rule></languagerule>
</languagerules>
<maprules>
  <maprule maprulename="first"><languagemap languagepattern=".*" languagerulename="A"/><languagemap languagepattern=".*" languagerulename="B"/></maprule>
  <maprule maprulename="second"><languagemap languagepattern="zz" languagerulename="B"/></maprule>
</maprules></body></srx>"#;
        let srx = Srx::parse("old.srx", text).unwrap();
        assert!(!srx.cascade());
        assert_eq!(srx.rule_names_for("zz"), ["A"]);
        assert_eq!(seg(&srx.rules_for("zz").unwrap(), "xaxbx"), ["xa", "xbx"]);
    }

    #[test]
    fn entities_and_cdata_in_patterns() {
        let rules = "<rule><beforebreak>&lt;br&#x2F;&gt;</beforebreak><afterbreak><![CDATA[<]]></afterbreak></rule>";
        let text = srx("", &[("A", rules)], &[(".*", "A")]);
        let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
        assert_eq!(seg(&r, "a<br/><b<br/>c"), ["a<br/>", "<b<br/>c"]);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let rules = [
            rule(true, "a", ""),
            "\n".into(),
            rule(true, r"(?&lt;=a+)\1(", ""),
        ]
        .concat();
        let e = err(&srx("", &[("A", &rules)], &[(".*", "A")]));
        // Line 1 is the XML declaration, 6 the <languagerule> line, 8 the
        // second rule.
        assert!(
            e.starts_with("bad.srx:8: beforebreak `(?<=a+)\\1(` cannot be used: "),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");

        let e = err(&srx("", &[("A", &rule(true, "", r"\X"))], &[(".*", "A")]));
        assert!(
            e.contains("afterbreak `\\X` cannot be used: grapheme"),
            "{e}"
        );

        let e = err(&srx("cascade=\"maybe\"", &[("A", "")], &[(".*", "A")]));
        assert!(
            e.starts_with("bad.srx:3: <header cascade=\"maybe\">"),
            "{e}"
        );

        let e = err(&srx("", &[("A", "")], &[(".*", "Nope")]));
        assert!(e.contains("'Nope', which does not exist"), "{e}");

        let e = err("<srx version=\"2.0\"><header/>\n<body><languagerules>\n</languagerule>");
        assert!(e.starts_with("bad.srx:3: not well-formed XML"), "{e}");
        assert!(!e.contains('\n'), "{e}");

        assert!(err("<tmx/>").contains("not an SRX file"));
        assert!(err("<srx version=\"3.0\"/>").contains("not supported"));
    }

    #[test]
    fn from_file_reports_missing_files() {
        let e = Srx::from_file(Path::new("/nonexistent/x.srx")).unwrap_err();
        assert!(e.to_string().contains("no such file"), "{e}");
    }

    /// Throughput on ~20 MB of text; run with
    /// `cargo test --release --lib srx_throughput -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark"]
    fn srx_throughput() {
        use std::time::Instant;
        let t = Instant::now();
        let srx = omegat();
        println!(
            "load OmegaT rules: {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        let zh_text = [
            include_str!("../tests/fixtures/article.txt"),
            include_str!("../tests/fixtures/segment/standard.txt"),
            include_str!("../tests/fixtures/segment/normalized.txt"),
        ]
        .concat();
        let en_text = "Mr. Smith met Dr. Jones, e.g. at noon on the U.K. coast. They talked \
                       for 5 min. about No. 5 and fig. 3... then left. Why? Nobody knows! \
                       The approx. cost was high, i.e. too high etc. and so on. End.\n";
        for (lang, sample) in [
            ("zh-CN", zh_text.as_str()),
            ("en-US", en_text),
            ("de-DE", en_text),
        ] {
            let t = Instant::now();
            let rules = srx.rules_for(lang).unwrap();
            let build = t.elapsed();
            let text = sample.repeat(20_000_000 / sample.len() + 1);
            let mb = text.len() as f64 / 1e6;
            // Paragraph by paragraph, as Segmenter::document calls it.
            let t = Instant::now();
            let mut segments = 0;
            for line in crate::segment::lines(&text) {
                segments += rules.split(&text[line.span]).len();
            }
            let per_line = t.elapsed().as_secs_f64();
            // The whole text as one paragraph.
            let t = Instant::now();
            let whole = rules.split(&text).len();

            let one = t.elapsed().as_secs_f64();
            println!(
                "{lang}: {} rules (built in {:.1} ms), {mb:.1} MB: per paragraph {:.1} MB/s \
                 ({segments} segments), as one text {:.1} MB/s ({whole} segments)",
                rules.len(),
                build.as_secs_f64() * 1e3,
                mb / per_line,
                mb / one,
            );
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;
        use std::sync::LazyLock;

        static ZH: LazyLock<SrxRules> = LazyLock::new(|| omegat().rules_for("zh-CN").unwrap());
        static EN: LazyLock<SrxRules> = LazyLock::new(|| omegat().rules_for("en").unwrap());

        fn any_text() -> impl Strategy<Value = String> {
            let tricky = prop::collection::vec(
                prop::sample::select(vec![
                    "中", "。", "？", "！", "”", "」", "—", ".", "?", "!", " ", "\u{3000}", "\n",
                    "Mr", "e.g", "A", "a", "1", "…", "\u{feff}", "é", ".at", "b", "x", "aa", "no",
                    "etc",
                ]),
                0..60,
            )
            .prop_map(|v| v.concat());
            prop_oneof![any::<String>(), tricky]
        }

        /// The breaks by the letter of the specification: at every position,
        /// the first rule whose beforebreak matches text ending there (a
        /// fancy-regex look-behind) and whose afterbreak matches there.
        fn naive_breaks(rules: &SrxRules, text: &str) -> Vec<usize> {
            let compiled: Vec<_> = rules
                .inner
                .rules
                .iter()
                .map(|r| {
                    let re = |java: &str, wrap: fn(&str) -> String| {
                        fancy(&wrap(&translate(java).unwrap().fancy)).unwrap()
                    };
                    (
                        r.breaks,
                        re(&r.java.0, |p| format!("(?<={p})")),
                        re(&r.java.1, |p| p.to_string()),
                    )
                })
                .collect();
            let at = |re: &fancy_regex::Regex, pos| {
                re.find_input(RegexInput::new(text).from_pos(pos).anchored(true))
                    .unwrap()
                    .is_some_and(|m| m.start() == pos)
            };
            text.char_indices()
                .skip(1)
                .map(|(pos, _)| pos)
                .filter(|&pos| {
                    compiled
                        .iter()
                        .find(|(_, before, after)| at(before, pos) && at(after, pos))
                        .is_some_and(|(breaks, _, _)| *breaks)
                })
                .collect()
        }

        /// Rules whose beforebreak matches overlap, start anywhere, or need
        /// fancy-regex.
        static MIXED: LazyLock<SrxRules> = LazyLock::new(|| {
            let rules = [
                rule(false, r"[\.\?!]+", "[!?]"),
                rule(false, ".*", r"\.at\b"),
                rule(false, r"(?&lt;![A-Z])[A-Z]\.", r"\s"),
                rule(false, r"(\w)\1\.", ""),
                rule(true, r"\ba+", "b"),
                rule(true, r"[\.\?!。]+", ""),
                rule(true, "", "(?=x)"),
            ]
            .concat();
            let text = srx("", &[("A", &rules)], &[(".*", "A")]);
            Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap()
        });

        proptest! {
            #[test]
            fn srx_splitting_is_lossless(text in any_text(), which in 0..3usize) {
                let rules = [&*ZH, &*EN, &*MIXED][which];
                let ranges = rules.split(&text);
                let mut at = 0;
                for r in &ranges {
                    prop_assert_eq!(r.start, at);
                    prop_assert!(r.end > r.start);
                    prop_assert!(text.is_char_boundary(r.end));
                    at = r.end;
                }
                prop_assert_eq!(at, text.len());
                // Every segment but the first starts with a non-space.
                for r in ranges.iter().skip(1) {
                    prop_assert!(!text[r.clone()].starts_with(char::is_whitespace));
                }
            }

            #[test]
            fn srx_breaks_match_the_naive_reference(text in any_text(), which in 0..3usize) {
                let rules = [&*ZH, &*EN, &*MIXED][which];
                prop_assert_eq!(rules.breaks(&text), naive_breaks(rules, &text));
            }
        }
    }
}
