//! Rendering: items become English pieces, with the function-word rules
//! and the few safe reorderings described in the module documentation.

use super::*;
use crate::numbers::{self, NumberKind, NumberMatch, Script};

/// Whether a punctuation item closes a clause.
pub(super) fn is_clause_punct(p: &str) -> bool {
    matches!(
        p,
        "." | "。"
            | "，"
            | ","
            | "、"
            | "；"
            | ";"
            | "："
            | ":"
            | "！"
            | "!"
            | "？"
            | "?"
            | "｡"
            | "､"
    ) || p.starts_with('…')
}

pub(super) struct Renderer<'g, 'i, 't> {
    g: &'g Glosser,
    items: &'i [Item<'t>],
    out: Vec<Piece>,
    /// Index in `out` where the current clause starts.
    clause_start: usize,
    /// Index in `out` where the current noun phrase starts.
    run_start: Option<usize>,
    /// Index in `out` of the "in" written for 在.
    zai: Option<usize>,
    /// The next noun phrase is plural; its last noun is pluralised.
    plural_pending: bool,
    plural_target: Option<usize>,
    /// Index in `out` of the last number piece.
    last_number: Option<usize>,
    /// Index in `out` where the last quantity ("a", "three", …) starts.
    quantity_start: Option<usize>,
    /// The next number was written already ("dozens of" for 几十).
    skip_number: bool,
    last_number_value: f64,
    /// 以 seen in this clause.
    yi_seen: bool,
    /// Open state of ambiguous (ASCII) quotes.
    quote_open: bool,
    /// Sentence start pending (capitalise next word).
    sentence_start: bool,
    /// The next word is a title already written before a name.
    skip_title: bool,
    /// The last item closed a 在 … 上/中 phrase (a following 的 is dropped).
    after_locative: bool,
}

impl<'g, 'i, 't> Renderer<'g, 'i, 't> {
    pub(super) fn new(g: &'g Glosser, items: &'i [Item<'t>]) -> Self {
        Renderer {
            g,
            items,
            out: Vec::new(),
            clause_start: 0,
            run_start: None,
            zai: None,
            plural_pending: false,
            plural_target: None,
            last_number: None,
            quantity_start: None,
            skip_number: false,
            last_number_value: 0.0,
            yi_seen: false,
            quote_open: false,
            sentence_start: true,
            skip_title: false,
            after_locative: false,
        }
    }

    pub(super) fn run(mut self) -> Vec<Piece> {
        for i in 0..self.items.len() {
            self.item(i);
        }
        self.end_run();
        self.out
    }

    /// The next item that is not a quote mark.
    fn next_item(&self, i: usize) -> Option<&Item<'t>> {
        self.items[i + 1..]
            .iter()
            .find(|it| !matches!(it, Item::Punct(p) if is_quote(p)))
    }

    /// Whether item `i` is the last of its clause (ignoring quotes).
    fn closes_clause(&self, i: usize) -> bool {
        match self.next_item(i) {
            None => true,
            Some(Item::Punct(p)) => is_clause_punct(p),
            Some(_) => false,
        }
    }

    fn next_class(&self, i: usize) -> Option<Class> {
        match self.next_item(i)? {
            Item::Word(w, t) => Some(match function_word(w, t) {
                Some(Fw::Text(_)) | Some(Fw::Plural(_)) => Class::Func,
                Some(_) => Class::Func,
                None => Class::from_tag(t),
            }),
            Item::Fixed(_) | Item::Latin(_) | Item::Verbatim(_) => Some(Class::Noun),
            Item::Stop => Some(Class::Punct),
            Item::Number(..) | Item::Classifier(_) | Item::MoreThan | Item::Half(_) => {
                Some(Class::Number)
            }
            Item::Punct(_) => Some(Class::Punct),
        }
    }

    /// Whether a word in `words` occurs later in this clause.
    fn later_in_clause(&self, i: usize, words: &[&str]) -> bool {
        for it in &self.items[i + 1..] {
            match it {
                Item::Punct(p) if is_clause_punct(p) => return false,
                Item::Word(w, _) if words.contains(w) => return true,
                _ => {}
            }
        }
        false
    }

    fn push(&mut self, piece: Piece) {
        let nominal =
            piece.class.nominal() || piece.class == Class::Adj || piece.class == Class::Article;
        let adj_after_noun = piece.class == Class::Adj
            && self
                .out
                .last()
                .is_some_and(|p| matches!(p.class, Class::Noun | Class::Name));
        if !nominal || adj_after_noun {
            self.end_run();
        }
        let mut piece = piece;
        // "my the mind" → "my mind"; "Ministry's the masses" → "… masses".
        if self.out.last().is_some_and(|p| {
            matches!(
                p.text.as_str(),
                "my" | "our" | "your" | "his" | "her" | "their" | "its" | "a"
            ) || p.text.ends_with("'s")
                || p.text.ends_with("s'")
        }) && let Some(rest) = piece.text.strip_prefix("the ")
        {
            piece.text = rest.to_string();
        }
        if self.sentence_start && piece.class != Class::Punct {
            piece.capitalise = !piece.keep_case;
            self.sentence_start = false;
        }
        let idx = self.out.len();
        if nominal && self.run_start.is_none() {
            self.run_start = Some(idx);
        }
        if self.plural_pending && matches!(piece.class, Class::Noun) {
            self.plural_target = Some(idx);
        }
        self.out.push(piece);
    }

    /// Ends the current noun phrase: applies a pending plural.
    fn end_run(&mut self) {
        if let Some(t) = self.plural_target.take()
            && let Some(p) = self.out.get_mut(t)
        {
            p.text = pluralise(&p.text);
        }
        self.plural_pending = false;
        self.run_start = None;
    }

    fn end_clause(&mut self) {
        self.end_run();
        self.zai = None;
        self.yi_seen = false;
        self.last_number = None;
        self.quantity_start = None;
    }

    /// Inserts a piece at `at`, shifting the recorded indices.
    fn insert(&mut self, at: usize, mut piece: Piece) {
        let at = at.min(self.out.len());
        if let Some(first) = self.out.get_mut(at)
            && (first.capitalise || (first.keep_case && at == 0))
        {
            first.capitalise = false;
            piece.capitalise = true;
        }
        self.out.insert(at, piece);
        for idx in [
            &mut self.run_start,
            &mut self.zai,
            &mut self.plural_target,
            &mut self.last_number,
            &mut self.quantity_start,
        ]
        .into_iter()
        .flatten()
        {
            if *idx >= at {
                *idx += 1;
            }
        }
    }

    fn item(&mut self, i: usize) {
        let was_locative = std::mem::take(&mut self.after_locative);
        if was_locative && matches!(self.items[i], Item::Word("的", _)) {
            return;
        }
        match &self.items[i] {
            Item::Fixed(target) => {
                let target = (*target).to_string();
                self.push(Piece::word(target, Class::Name));
            }
            Item::Latin(s) | Item::Verbatim(s) => {
                let mut piece = Piece::word(*s, Class::Noun);
                piece.keep_case = true;
                self.push(piece);
            }
            Item::Stop => {
                self.end_clause();
                self.out.push(Piece::punct(".", true, false));
            }
            Item::Number(m, source) => self.number(i, m, source),
            Item::Half(c) => {
                let text = if c.one.is_empty() {
                    "half".to_string()
                } else {
                    format!("half a {}", c.one)
                };
                self.push(Piece::word(text, Class::Adj));
            }
            Item::Classifier(c) => self.classifier(c),
            Item::MoreThan => {
                if let Some(n) = self.last_number {
                    self.insert(n, Piece::word("more than", Class::Number));
                    self.plural_pending = true;
                }
            }
            Item::Punct(p) => self.punct(i, p),
            Item::Word(w, t) => self.word(i, w, t),
        }
    }

    fn number(&mut self, i: usize, m: &NumberMatch, source: &str) {
        if std::mem::take(&mut self.skip_number) {
            self.last_number_value = m.value;
            return;
        }
        self.quantity_start = Some(self.out.len());
        let next_classifier = match self.items.get(i + 1) {
            Some(Item::Classifier(c)) => Some(*c),
            _ => None,
        };
        let one = m.value == 1.0 && m.kind == NumberKind::Cardinal;
        if one && m.script == Script::Chinese && next_classifier.is_some() {
            let prev = self.out.last().map(|p| p.text.as_str());
            if matches!(
                prev,
                Some("every" | "each" | "this" | "that" | "the same" | "another")
            ) {
                return;
            }
            if next_classifier.is_some_and(|c| c.one.is_empty() || c.of) {
                self.push(Piece::word("a", Class::Article));
                self.last_number = None;
                self.last_number_value = 1.0;
                return;
            }
        }
        let class = match m.kind {
            NumberKind::Date { .. } => Class::Noun,
            _ => Class::Number,
        };
        // A long bare digit string with no classifier is a code or hotline
        // number ("12336"), not a quantity: keep it as written.
        let code = m.kind == NumberKind::Cardinal
            && next_classifier.is_none()
            && source.len() >= 4
            && source.bytes().all(|b| b.is_ascii_digit());
        let anniversary = next_classifier.is_some_and(|c| c.word == "周年");
        let text = if code {
            source.to_string()
        } else if anniversary && let Some(n) = m.number.as_integer() {
            numbers::ordinal_english(n)
        } else {
            numbers::to_english(m)
        };
        self.push(Piece::word(text, class));
        if matches!(m.kind, NumberKind::Cardinal | NumberKind::MoreThan) {
            self.last_number = Some(self.out.len() - 1);
            self.last_number_value = m.value;
            if m.value != 1.0 {
                self.plural_pending = true;
            }
        }
    }

    fn classifier(&mut self, c: &ClassifierInfo) {
        if c.one.is_empty() {
            return;
        }
        let many = self.last_number_value != 1.0 || self.plural_pending;
        let text = if many { c.many } else { c.one };
        // The unit is the counted noun itself unless it is "batch of".
        // "a batch of guests" but "a kind of mode".
        let pending = c.of && (many || !matches!(c.word, "种" | "类"));
        self.plural_pending = false;
        let class = if c.of { Class::Article } else { Class::Noun };
        self.push(Piece::word(text, class));
        if pending {
            self.plural_pending = true;
        }
    }

    fn punct(&mut self, i: usize, p: &str) {
        let last = i + 1 == self.items.len();
        let piece = match p {
            "." | "。" | "｡" => {
                self.end_clause();
                if last || p != "." {
                    self.sentence_start = !last;
                    Piece::punct(".", true, false)
                } else {
                    Piece::punct(",", true, false)
                }
            }
            "，" | "," | "、" | "､" => {
                self.end_clause();
                Piece::punct(",", true, false)
            }
            "；" | ";" => {
                self.end_clause();
                Piece::punct(";", true, false)
            }
            "：" | ":" => {
                self.end_clause();
                Piece::punct(":", true, false)
            }
            "！" | "!" => {
                self.end_clause();
                self.sentence_start = !last;
                Piece::punct("!", true, false)
            }
            "？" | "?" => {
                self.end_clause();
                self.sentence_start = !last;
                Piece::punct("?", true, false)
            }
            p if p.starts_with('…') => {
                self.end_clause();
                Piece::punct("...", true, false)
            }
            p if p.starts_with('—') || p.starts_with('─') => {
                self.end_clause();
                Piece::punct("—", true, true)
            }
            "“" | "「" | "『" | "《" | "〈" => {
                self.end_run();
                Piece::punct("\"", false, true)
            }
            "”" | "」" | "』" | "》" | "〉" => {
                self.end_run();
                Piece::punct("\"", true, false)
            }
            "‘" => {
                self.end_run();
                Piece::punct("'", false, true)
            }
            "’" => {
                self.end_run();
                Piece::punct("'", true, false)
            }
            "'" | "\"" | "＂" | "＇" => {
                self.quote_open = !self.quote_open;
                self.end_run();
                if self.quote_open {
                    Piece::punct("\"", false, true)
                } else {
                    Piece::punct("\"", true, false)
                }
            }
            "（" | "(" | "【" | "[" | "〔" => {
                self.end_run();
                let open = if p == "【" || p == "[" || p == "〔" {
                    "["
                } else {
                    "("
                };
                Piece::punct(open, false, true)
            }
            "）" | ")" | "】" | "]" | "〕" => {
                let close = if p == "】" || p == "]" || p == "〕" {
                    "]"
                } else {
                    ")"
                };
                Piece::punct(close, true, false)
            }
            "·" | "•" | "・" => return,
            "～" | "~" => Piece::punct("~", true, true),
            "／" | "/" => Piece::punct("/", true, true),
            "％" | "%" => Piece::punct("%", true, false),
            other => {
                let mapped: String = other
                    .chars()
                    .map(|c| {
                        // Full-width ASCII → ASCII.
                        let u = u32::from(c);
                        if (0xFF01..=0xFF5E).contains(&u) {
                            char::from_u32(u - 0xFEE0).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
                Piece::punct(&mapped, false, false)
            }
        };
        self.out.push(piece);
    }

    fn word(&mut self, i: usize, w: &str, tag: &str) {
        // Person name followed by a title: "Minister Xu Shaoshi".
        if let Some(Item::Word(next, _)) = self.items.get(i + 1)
            && let Some(title) = title_word(next)
        {
            let known_name = tag.starts_with("nr")
                && self.g.cedict.has_proper_entry(w)
                && !self.g.cedict.has_common_entry(w);
            let name = if known_name {
                self.g.cedict.gloss(w).map(str::to_string)
            } else if self.g.looks_like_person_name(w, tag)
                || (w.chars().count() == 1
                    && self.g.cedict.is_surname(w)
                    && !NOT_SURNAMES.contains(w))
            {
                self.g.cedict.name_pinyin(w)
            } else {
                None
            };
            if let Some(name) = name {
                self.push(Piece::word(title, Class::Name));
                self.push(Piece::word(name, Class::Name));
                self.skip_title = true;
                return;
            }
        }
        if std::mem::take(&mut self.skip_title) && title_word(w).is_some() {
            return;
        }
        // 约四万 "about 40,000", 超过三亿 "more than 300 million".
        if matches!(self.items.get(i + 1), Some(Item::Number(..)))
            && let Some(text) = approximator(w)
        {
            self.push(Piece::word(text, Class::Number));
            return;
        }
        // 几十个国家 "dozens of countries", 几百人 "hundreds of people".
        if w == "几"
            && let Some(Item::Number(m, _)) = self.items.get(i + 1)
            && m.script == Script::Chinese
            && let Some(text) = match m.value {
                10.0 => Some("dozens of"),
                100.0 => Some("hundreds of"),
                1000.0 => Some("thousands of"),
                10000.0 => Some("tens of thousands of"),
                _ => None,
            }
        {
            self.push(Piece::word(text, Class::Number));
            self.skip_number = true;
            self.plural_pending = true;
            return;
        }
        // The same as one jieba word, with what it counts: 几百人, 几百名.
        let vague = ["几", "数"].iter().find_map(|p| {
            let rest = w.strip_prefix(p)?;
            let (text, rest) = [
                ("十", "dozens of"),
                ("百", "hundreds of"),
                ("千", "thousands of"),
                ("万", "tens of thousands of"),
            ]
            .iter()
            .find_map(|(m, text)| Some((*text, rest.strip_prefix(m)?)))?;
            Some((text, rest))
        });
        if let Some((text, rest)) = vague {
            self.push(Piece::word(text, Class::Number));
            self.plural_pending = true;
            let counted = CLASSIFIERS
                .iter()
                .any(|c| c.word == rest && c.one.is_empty());
            if !rest.is_empty() && !counted {
                for (text, class) in self.g.content_pieces(rest, "n") {
                    self.push(Piece::word(text, class));
                }
            }
            return;
        }
        // 一个小时左右 "about an hour".
        if w == "左右"
            && let Some(at) = self.quantity_start
            && self.out.len() - at <= 3
        {
            self.end_run();
            self.insert(at, Piece::word("about", Class::Number));
            return;
        }
        // 整座城市 "the whole city": 整 before a classifier (one jieba
        // word or two).
        let counter = |c: &str| {
            CLASSIFIERS
                .iter()
                .any(|cl| cl.word == c && cl.one.is_empty())
        };
        let whole = match (w.strip_prefix('整'), self.items.get(i + 1)) {
            (Some(""), Some(Item::Word(next, _))) => counter(next),
            (Some(rest), _) => counter(rest),
            _ => false,
        };
        if whole {
            self.push(Piece::word("the whole", Class::Adj));
            return;
        }
        let prev_class = self.out.last().map(|p| p.class);
        let next_class = self.next_class(i);
        // A classifier after a demonstrative: 这股力量 → "this force".
        if self.out.last().is_some_and(|p| {
            matches!(
                p.text.as_str(),
                "this" | "that" | "every" | "each" | "these" | "those" | "the whole"
            )
        }) && CLASSIFIERS.iter().any(|c| c.word == w && c.one.is_empty())
        {
            return;
        }
        match w {
            // Adverbial 地 ("happily 地 said"), whatever jieba tagged it.
            "地" if matches!(prev_class, Some(Class::Adj | Class::Adv))
                || matches!(next_class, Some(Class::Verb | Class::Adv | Class::Func)) =>
            {
                return;
            }
            // 于 after a verb (着力于, 来自于) adds nothing.
            "于" if prev_class == Some(Class::Verb)
                || self.out.last().is_some_and(|p| {
                    ["on", "in", "to", "into", "at", "from", "with", "for"]
                        .iter()
                        .any(|e| p.text.ends_with(&format!(" {e}")))
                }) =>
            {
                return;
            }
            // 会 after a noun is a meeting (工作会), not "will"; before a
            // verb, an adverb or an adjective it is the modal.
            "会" if matches!(prev_class, Some(Class::Noun | Class::Name))
                && !matches!(next_class, Some(Class::Verb | Class::Adv | Class::Adj)) =>
            {
                self.push(Piece::word("meeting", Class::Noun));
                return;
            }
            _ => {}
        }
        // Adverbial 地 glued by jieba: 创造性地 → "creative(ly)", 地说 → "say".
        if w.ends_with('地') && w.chars().count() >= 3 {
            let stem = &w[..w.len() - '地'.len_utf8()];
            if self.g.cedict.contains(stem) || content_override(stem, "a").is_some() {
                for (text, _) in self.g.content_pieces(stem, "a") {
                    self.push(Piece::word(text, Class::Adv));
                }
                return;
            }
        }
        if w.starts_with('地')
            && w.chars().count() == 2
            && matches!(prev_class, Some(Class::Adj | Class::Adv))
        {
            let rest = &w['地'.len_utf8()..];
            for (text, _) in self.g.content_pieces(rest, "v") {
                self.push(Piece::word(text, Class::Verb));
            }
            return;
        }
        // An institution suffix after a noun: 地质环境/司 → "department".
        let institution = matches!(w, "司" | "局" | "厅" | "院" | "办" | "委");
        if (matches!(prev_class, Some(Class::Noun | Class::Name))
            || (institution && prev_class == Some(Class::Verb)))
            && w.chars().count() == 1
            && let Some(sfx) = suffix_word(w)
            && !matches!(w, "会" | "员" | "量" | "费" | "率")
        {
            if !sfx.is_empty() {
                self.push(Piece::word(sfx, Class::Noun));
            }
            return;
        }
        // 在 … 墙上 / 路上 / 过程中: the locative is glued to the noun.
        if self.zai.is_some()
            && w.chars().count() >= 2
            && function_word(w, tag).is_none()
            && (tag.starts_with('n') || tag == "s")
            && let Some(loc) = w.chars().last()
            && matches!(loc, '上' | '中' | '里' | '下' | '内')
            && let Some(Fw::Locative(prep)) = function_word(&loc.to_string(), "f")
        {
            let stem = &w[..w.len() - loc.len_utf8()];
            if self.g.cedict.contains(stem) || content_override(stem, tag).is_some() {
                for (text, class) in self.g.content_pieces(stem, "n") {
                    self.push(Piece::word(text, class));
                }
                if let Some(z) = self.zai.take()
                    && let Some(p) = self.out.get_mut(z)
                {
                    p.text = prep.to_string();
                }
                self.end_run();
                self.after_locative = true;
                return;
            }
        }
        // A verbal noun with an object is a verb: 服务民生 "serve".
        let tag = if tag == "vn" && matches!(next_class, Some(Class::Noun | Class::Name)) {
            "v"
        } else {
            tag
        };
        if let Some(fw) = function_word(w, tag) {
            self.function(i, w, tag, fw);
            return;
        }
        let pieces = self.g.content_pieces(w, tag);
        for (text, class) in pieces {
            self.push(Piece::word(text, class));
        }
    }

    fn function(&mut self, i: usize, w: &str, tag: &str, fw: Fw) {
        match fw {
            Fw::Text(t) if is_subject_pronoun(t) => {
                // 我脑海 → "my mind"; 告诉他 → "tell him".
                let next_noun = matches!(self.next_class(i), Some(Class::Noun))
                    && !matches!(
                        self.items.get(i + 2),
                        Some(Item::Word(_, t)) if t.starts_with('p') || t.starts_with('v')
                    );
                let after_verb = self.out.last().is_some_and(|p| {
                    p.class == Class::Verb
                        || (p.class == Class::Func && PREPOSITIONS.contains(&p.text.as_str()))
                });
                let text = if next_noun {
                    possessive_pronoun(t)
                } else if after_verb {
                    object_pronoun(t)
                } else {
                    t
                };
                let class = if next_noun {
                    Class::Adj
                } else {
                    Class::Pronoun
                };
                self.push(Piece::word(text, class));
            }
            Fw::Text("is") if self.out.last().is_some_and(|p| p.text == "especially") => {}
            Fw::Text(t) => self.push(Piece::word(t, Class::Func)),
            Fw::Drop => {}
            Fw::Plural(t) => {
                self.push(Piece::word(t, Class::Adj));
                self.plural_pending = true;
            }
            Fw::De => self.de(i),
            Fw::Zai => {
                self.push(Piece::word("in", Class::Func));
                self.zai = Some(self.out.len() - 1);
            }
            Fw::Locative(prep) => {
                self.after_locative = true;
                let after_nominal = self
                    .out
                    .last()
                    .is_some_and(|p| p.class.nominal() || p.class == Class::Adj);
                if let Some(z) = self.zai.take() {
                    if let Some(p) = self.out.get_mut(z) {
                        p.text = prep.to_string();
                    }
                    self.end_run();
                } else if after_nominal {
                    let at = self.run_start.unwrap_or(self.out.len());
                    let after_verb =
                        at > 0 && self.out.get(at - 1).is_some_and(|p| p.class == Class::Verb);
                    self.end_run();
                    if !after_verb {
                        self.insert(at, Piece::word(prep, Class::Func));
                    }
                } else {
                    self.push(Piece::word(prep, Class::Func));
                }
            }
            Fw::Temporal(conj) => {
                // After a duration: 三年前 "three years ago", 两年后 "two
                // years later".
                let after_duration = self.out.last().is_some_and(|p| {
                    DURATION_UNITS
                        .iter()
                        .any(|u| p.text == *u || p.text.ends_with(&format!(" {u}")))
                });
                let relative = match conj {
                    "before" => Some("ago"),
                    "after" => Some("later"),
                    _ => None,
                };
                if after_duration && let Some(word) = relative {
                    self.end_run();
                    self.push(Piece::word(word, Class::Adv));
                } else if self.closes_clause(i) && self.out.len() > self.clause_start {
                    self.end_run();
                    let at = self.clause_start_index();
                    self.insert(at, Piece::word(conj, Class::Func));
                } else {
                    self.push(Piece::word(conj, Class::Func));
                }
            }
            Fw::Lai => {
                // 两年多来 / 多年来: "for (more than) two years".
                let after_duration = self.out.last().is_some_and(|p| {
                    ["years", "year", "months", "month", "days", "day", "weeks"]
                        .iter()
                        .any(|u| p.text.ends_with(u))
                });
                if after_duration {
                    let at = if self.closes_clause(i) {
                        self.clause_start_index()
                    } else {
                        self.run_start.unwrap_or(self.out.len().saturating_sub(1))
                    };
                    self.end_run();
                    self.insert(at, Piece::word("for", Class::Func));
                } else {
                    let pieces = self.g.content_pieces(w, tag);
                    for (text, class) in pieces {
                        self.push(Piece::word(text, class));
                    }
                }
            }
            Fw::Ba => {
                if self.later_in_clause(i, &["作为", "当作", "当成", "视为", "看作"]) {
                    self.push(Piece::word("take", Class::Verb));
                }
            }
            Fw::Jiang => {
                let next = self.next_class(i);
                let object_follows = matches!(
                    next,
                    Some(Class::Noun | Class::Name | Class::Pronoun | Class::Number)
                );
                if object_follows {
                    if self.later_in_clause(i, &["作为", "当作", "当成", "视为", "看作"])
                    {
                        self.push(Piece::word("take", Class::Verb));
                    }
                } else {
                    self.push(Piece::word("will", Class::Func));
                }
            }
            Fw::Yi => {
                self.yi_seen = true;
                self.push(Piece::word("with", Class::Func));
            }
            Fw::Wei => {
                let t = if self.yi_seen { "as" } else { "for" };
                self.push(Piece::word(t, Class::Func));
            }
            Fw::ZuoWei => self.push(Piece::word("as", Class::Func)),
            Fw::ZhiYi => {
                if let Some(at) = self.run_start {
                    self.end_run();
                    self.insert(at, Piece::word("one of", Class::Func));
                } else {
                    self.push(Piece::word("one of them", Class::Noun));
                }
            }
            Fw::Men => {
                if let Some(p) = self.out.last_mut()
                    && matches!(p.class, Class::Noun)
                {
                    p.text = pluralise(&p.text);
                }
            }
            Fw::Jiu => {
                if self.out.len() == self.clause_start_index() {
                    self.push(Piece::word("on", Class::Func));
                }
            }
        }
    }

    /// Start of the current clause, after any opening quote.
    fn clause_start_index(&self) -> usize {
        let mut at = self.clause_start_fixed();
        while self
            .out
            .get(at)
            .is_some_and(|p| p.class == Class::Punct && p.glue_right)
        {
            at += 1;
        }
        at
    }

    /// Index after the last clause punctuation in `out`.
    fn clause_start_fixed(&self) -> usize {
        self.out
            .iter()
            .rposition(|p| p.class == Class::Punct && p.glue_left && is_clause_mark(&p.text))
            .map_or(0, |k| k + 1)
    }

    /// 的: possessive after a noun, dropped otherwise.
    fn de(&mut self, i: usize) {
        let next_nominal = matches!(
            self.next_class(i),
            Some(Class::Noun | Class::Name | Class::Adj | Class::Pronoun | Class::Verb)
        );
        let Some(prev) = self.out.last() else { return };
        let prev_class = prev.class;
        let possessive_pronoun = match prev.text.as_str() {
            "I" => Some("my"),
            "we" => Some("our"),
            "you" => Some("your"),
            "he" => Some("his"),
            "she" => Some("her"),
            "it" => Some("its"),
            "they" => Some("their"),
            "everyone" => Some("everyone's"),
            "oneself" => Some("own"),
            _ => None,
        };
        if let Some(pp) = possessive_pronoun {
            if let Some(p) = self.out.last_mut() {
                p.text = pp.to_string();
                p.class = Class::Adj;
            }
            return;
        }
        if !next_nominal || !matches!(prev_class, Class::Noun | Class::Name) {
            return;
        }
        // Apply a pending plural before the apostrophe.
        self.end_run();
        if let Some(p) = self.out.last_mut() {
            let suffix = if p.text.ends_with('s') && !p.text.ends_with("ss") {
                "'"
            } else {
                "'s"
            };
            p.text.push_str(suffix);
            p.class = Class::Adj;
        }
    }
}

/// Prepositions after which a pronoun takes its object form.
pub(super) const PREPOSITIONS: [&str; 16] = [
    "to", "with", "by", "for", "from", "in", "on", "than", "let", "make", "about", "like", "under",
    "after", "before", "towards",
];

pub(super) fn is_subject_pronoun(t: &str) -> bool {
    matches!(t, "I" | "we" | "he" | "she" | "they")
}

pub(super) fn object_pronoun(t: &'static str) -> &'static str {
    match t {
        "I" => "me",
        "we" => "us",
        "he" => "him",
        "she" => "her",
        "they" => "them",
        other => other,
    }
}

pub(super) fn possessive_pronoun(t: &'static str) -> &'static str {
    match t {
        "I" => "my",
        "we" => "our",
        "he" => "his",
        "she" => "her",
        "they" => "their",
        other => other,
    }
}

pub(super) fn is_clause_mark(t: &str) -> bool {
    matches!(t, "," | "." | ";" | ":" | "!" | "?" | "..." | "—")
}

pub(super) fn is_quote(p: &str) -> bool {
    matches!(
        p,
        "'" | "\""
            | "“"
            | "”"
            | "‘"
            | "’"
            | "「"
            | "」"
            | "『"
            | "』"
            | "《"
            | "》"
            | "＂"
            | "＇"
    )
}

/// Naive English plural of the last word of a short noun gloss.
pub(super) fn pluralise(text: &str) -> String {
    const UNCOUNTABLE: [&str; 24] = [
        "work",
        "information",
        "equipment",
        "research",
        "progress",
        "knowledge",
        "news",
        "evidence",
        "construction",
        "management",
        "supervision",
        "development",
        "education",
        "media",
        "people",
        "staff",
        "personnel",
        "police",
        "public",
        "money",
        "land",
        "yuan",
        "mu",
        "livestock",
    ];
    let words = text.split(' ').count();
    let Some(last) = text.rsplit(' ').next() else {
        return text.to_string();
    };
    if words > 4
        || !last.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        || last.is_empty()
        || last.ends_with('s')
        || UNCOUNTABLE.contains(&last.to_ascii_lowercase().as_str())
        || last.ends_with("ing")
    {
        return text.to_string();
    }
    let head = &text[..text.len() - last.len()];
    let plural = match last {
        "person" => "people".to_string(),
        "man" => "men".to_string(),
        "woman" => "women".to_string(),
        "child" => "children".to_string(),
        l if l.ends_with("ch") || l.ends_with("sh") || l.ends_with('x') || l.ends_with('z') => {
            format!("{l}es")
        }
        l if l.ends_with('y')
            && !l.ends_with("ay")
            && !l.ends_with("ey")
            && !l.ends_with("oy")
            && !l.ends_with("uy") =>
        {
            format!("{}ies", &l[..l.len() - 1])
        }
        l => format!("{l}s"),
    };
    format!("{head}{plural}")
}
