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

mod compiled;
mod java;
mod parse;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, FileKind, Result};

use compiled::Compiled;
use parse::{LanguageMap, LanguageRule, Parser};

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
            let line = crate::text::line_at(e.as_bytes(), e.utf8_error().valid_up_to());
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
    Error::in_file(FileKind::Srx, path, line, message)
}

fn leading_whitespace(s: &str) -> usize {
    s.len() - s.trim_start().len()
}
