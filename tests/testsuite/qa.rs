//! The QA flags' precision and recall (issues 7 and 19).
//!
//! Each fixture is a Chinese text, a human translation of every segment
//! (`*.good.jsonl`: `id`, `source`, `target`) and deliberately broken
//! variants of some segments (`*.broken.jsonl`: `id`, `target`, the
//! `expect`ed flags and `why`). The length model's constants were
//! calibrated on the reference article's translation, so its figures are
//! training figures; the health article was written after, and frozen
//! before the checks first ran on it: its figures are the held-out ones.

use std::collections::BTreeMap;

use bitext::check;
use bitext::check::length::{self, LengthRatio};
use bitext::document::{Flag, FlagKind, Origin, Unit};
use bitext::glossary::Glossary;
use bitext::segment::Segmenter;
use serde_json::Value;

use crate::harness::{fixture_path, jsonl, repo_path};

/// A Chinese text with a good and a broken translation.
struct Fixture {
    /// The text, under `tests/fixtures`.
    text: &'static str,
    good: &'static str,
    broken: &'static str,
}

/// The reference article, on whose translation the length model was
/// calibrated.
const ARTICLE: Fixture = Fixture {
    text: "article.txt",
    good: "review/article.good.jsonl",
    broken: "review/article.broken.jsonl",
};

/// A popular-health article (standard punctuation, numbers in many forms),
/// never used to set a constant.
const HEALTH: Fixture = Fixture {
    text: "review/health.txt",
    good: "review/health.good.jsonl",
    broken: "review/health.broken.jsonl",
};

/// The units of `text` with the given targets (`id` → `target`), checked
/// by the check stage as the pipeline does (with the bundled glossary).
fn checked_units(text: &str, targets: &BTreeMap<u64, String>) -> Vec<Unit> {
    let source = std::fs::read_to_string(fixture_path(text)).unwrap();
    let glossary = Glossary::bundled().unwrap();
    let doc = Segmenter::default().document(text, "UTF-8", &source);
    doc.segments()
        .map(|s| {
            let target = targets
                .get(&u64::from(s.id.0))
                .unwrap_or_else(|| panic!("{text}: no target for segment {}", s.id));
            let mut unit = Unit {
                id: s.id,
                paragraph: s.paragraph,
                index: s.index,
                line: s.line,
                source: s.content().to_string(),
                target: target.clone(),
                backend: "human".into(),
                model: None,
                origin: Origin::Reviewed,
                terms: glossary.annotate(s.content()),
                repaired: false,
                codes: Vec::new(),
                bead: None,
                matches: Vec::new(),
                flags: Vec::new(),
            };
            check::check(&mut unit, &glossary, true);
            unit
        })
        .collect()
}

fn targets_of(lines: &[Value]) -> BTreeMap<u64, String> {
    lines
        .iter()
        .map(|l| {
            (
                l["id"].as_u64().unwrap(),
                l["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn flagged(units: &[Unit]) -> Vec<(u32, &Flag)> {
    units
        .iter()
        .flat_map(|u| u.flags.iter().map(move |f| (u.id.0, f)))
        .collect()
}

/// The good translation's units, checked; the fixture's sources must be
/// the segmenter's.
fn good_units(fixture: &Fixture) -> Vec<Unit> {
    let good = jsonl(&fixture_path(fixture.good));
    let units = checked_units(fixture.text, &targets_of(&good));
    assert_eq!(units.len(), good.len(), "{}", fixture.good);
    for (unit, line) in units.iter().zip(&good) {
        assert_eq!(
            unit.source,
            line["source"].as_str().unwrap(),
            "{}: segment {}",
            fixture.good,
            unit.id
        );
    }
    units
}

/// Every flag raised on a good translation, as `id: flag`.
fn false_flags(units: &[Unit]) -> Vec<String> {
    flagged(units)
        .iter()
        .map(|(id, f)| format!("{id}: {f}"))
        .collect()
}

/// How close a good translation comes to the length limits: the largest
/// deviation in spreads among units of [`length::MIN_HAN`] or more Han
/// characters (printed with the range of length factors).
fn length_margin(name: &str, units: &[Unit]) -> f64 {
    let ratios: Vec<LengthRatio> = units
        .iter()
        .map(|u| LengthRatio::measure(&u.source, &u.target, &u.terms))
        .filter(|r| r.han >= length::MIN_HAN)
        .collect();
    let deviations = ratios
        .iter()
        .map(|r| r.deviations.abs())
        .fold(0.0, f64::max);
    let (low, high) = ratios.iter().fold((f64::MAX, 0.0f64), |(lo, hi), r| {
        let factor = r.actual as f64 / r.expected;
        (lo.min(factor), hi.max(factor))
    });
    eprintln!(
        "{name}: length on the human translation ({} units of {}+ Han characters): at most {deviations:.2} spreads off (limit {}), length factor {low:.2}..{high:.2} (limit 1/{}..{})",
        ratios.len(),
        length::MIN_HAN,
        length::MAX_DEVIATIONS,
        length::MAX_FACTOR,
        length::MAX_FACTOR
    );
    deviations
}

/// Flags on the broken variants (each put in place of the good target).
struct Recall {
    /// Broken segments.
    expected: usize,
    /// Flags raised on the whole text.
    raised: usize,
    /// Flags raised on a broken segment and of a kind it expects.
    correct: usize,
    /// Broken segments whose flags are exactly the expected ones.
    caught: usize,
    /// The broken segments that were not, and the flags they got.
    misses: Vec<String>,
    /// Flags of a kind not expected there.
    wrong: Vec<String>,
}

impl Recall {
    fn precision(&self) -> f64 {
        self.correct as f64 / self.raised.max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.caught as f64 / self.expected as f64
    }
}

fn broken(fixture: &Fixture) -> Recall {
    let mut targets = targets_of(&jsonl(&fixture_path(fixture.good)));
    let broken = jsonl(&fixture_path(fixture.broken));
    let mut expected: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for line in &broken {
        let id = line["id"].as_u64().unwrap();
        targets.insert(id, line["target"].as_str().unwrap().to_string());
        let kinds = line["expect"].as_array().unwrap();
        expected.insert(
            id as u32,
            kinds
                .iter()
                .map(|k| k.as_str().unwrap().to_string())
                .collect(),
        );
    }
    for kind in [
        "number-mismatch",
        "untranslated",
        "empty",
        "llm-chatter",
        "length-ratio",
    ] {
        let total = expected.values().filter(|k| k[0] == kind).count();
        assert!(
            total >= 2,
            "{}: too few broken cases for {kind}",
            fixture.broken
        );
    }
    let units = checked_units(fixture.text, &targets);
    let raised = flagged(&units);
    let is_expected = |id: &u32, f: &Flag| {
        expected
            .get(id)
            .is_some_and(|k| k.contains(&f.kind.to_string()))
    };
    let correct = raised.iter().filter(|(id, f)| is_expected(id, f)).count();
    let wrong = raised
        .iter()
        .filter(|(id, f)| !is_expected(id, f))
        .map(|(id, f)| format!("{id}: {f}"))
        .collect();
    let mut caught = 0;
    let mut misses = Vec::new();
    for (id, kinds) in &expected {
        let unit = &units[*id as usize - 1];
        let mut got: Vec<String> = unit.flags.iter().map(|f| f.kind.to_string()).collect();
        got.dedup();
        if &got == kinds {
            caught += 1;
        } else {
            misses.push(format!("{id}: expected {kinds:?}, got {:?}", unit.flags));
        }
    }
    let recall = Recall {
        expected: expected.len(),
        raised: raised.len(),
        correct,
        caught,
        misses,
        wrong,
    };
    eprintln!(
        "{}: QA flags on {} broken segments: {} flags raised, {correct} correct: precision {:.3}, recall {:.3} ({caught}/{})",
        fixture.broken,
        recall.expected,
        recall.raised,
        recall.precision(),
        recall.recall(),
        recall.expected
    );
    recall
}

/// A human translation of the reference article gets no flag at all: no
/// number, length, chatter or glossary false alarm (a training figure: the
/// length model was calibrated on it).
#[test]
fn no_flags_on_a_good_translation_of_the_reference_article() {
    let units = good_units(&ARTICLE);
    assert_eq!(units.len(), 438);
    assert_eq!(false_flags(&units), Vec::<String>::new());
    assert!(length_margin("article", &units) < length::MAX_DEVIATIONS);
}

/// The offline dictionary backend's gloss (the committed `output/`) gets no
/// number, length or chatter false alarm either.
#[test]
fn no_number_length_or_chatter_flags_on_the_dictionary_gloss() {
    let units = checked_units(
        ARTICLE.text,
        &targets_of(&jsonl(&repo_path("output/article.jsonl"))),
    );
    let flags: Vec<String> = flagged(&units)
        .iter()
        .filter(|(_, f)| f.kind != FlagKind::GlossaryMiss)
        .map(|(id, f)| format!("{id}: {f}"))
        .collect();
    assert_eq!(flags, Vec::<String>::new());
}

/// Deliberately broken translations of the reference article (wrong and
/// missing numbers, Han left, empty, model chatter, truncated and padded)
/// each get exactly their expected flags, and nothing else is flagged.
#[test]
fn broken_translations_get_their_flags() {
    let recall = broken(&ARTICLE);
    assert_eq!(recall.misses, Vec::<String>::new());
    assert_eq!(recall.wrong, Vec::<String>::new(), "false flags");
}

/// A professional translation of a text the constants were not calibrated
/// on. Measured when the text was first checked: no number, length, chatter
/// or untranslated flag; one glossary-miss, because the bundled glossary
/// (the reference article's domain) renders 基层 "grassroots" and a health
/// text's 基层医疗卫生机构 is "primary health care facilities". That is one
/// false flag on 43 segments.
#[test]
fn false_flags_on_a_held_out_human_translation() {
    let units = good_units(&HEALTH);
    assert_eq!(units.len(), 43);
    let flags = false_flags(&units);
    eprintln!(
        "health: {} false flags on {} segments: {flags:?}",
        flags.len(),
        units.len()
    );
    let checks: Vec<&String> = flags
        .iter()
        .filter(|f| !f.contains(": glossary-miss: "))
        .collect();
    assert_eq!(checks, Vec::<&String>::new());
    assert!(flags.len() <= 1, "{flags:?}");
    assert!(length_margin("health", &units) < length::MAX_DEVIATIONS);
}

/// Broken variants of the held-out translation. Measured when first run:
/// 26 flags raised, 25 of them expected (precision 0.962, the other being
/// the glossary-miss above); 20 of 21 broken segments get exactly their
/// expected flags (recall 0.952), the 21st its length-ratio flag and that
/// glossary-miss.
#[test]
fn broken_held_out_translations_get_their_flags() {
    let recall = broken(&HEALTH);
    assert!(recall.precision() >= 0.96, "{:?}", recall.wrong);
    assert!(recall.recall() >= 0.95, "{:?}", recall.misses);
    let unexpected: Vec<&String> = recall
        .wrong
        .iter()
        .filter(|f| !f.contains(": glossary-miss: "))
        .collect();
    assert_eq!(unexpected, Vec::<&String>::new());
}
