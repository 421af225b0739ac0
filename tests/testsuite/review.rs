//! Issue 7: review the aligned output and feed the review back.
//!
//! - QA flags: precision on a human translation of the reference article,
//!   recall on deliberately broken translations;

use std::collections::BTreeMap;

use bitext::check;
use bitext::document::{Flag, FlagKind, Origin, Unit};
use bitext::glossary::Glossary;
use bitext::segment::Segmenter;
use serde_json::Value;

use crate::harness::{Bitext, assert_valid_xliff, fixture_path, repo_path};

/// The reference article's units with the targets of a fixture (`id` →
/// `target`), checked by the check stage as the pipeline does.
fn checked_units(targets: &BTreeMap<u64, String>) -> Vec<Unit> {
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let glossary = Glossary::bundled().unwrap();
    let doc = Segmenter::default().document("article.txt", "UTF-8", &text);
    doc.segments()
        .map(|s| {
            let target = targets
                .get(&u64::from(s.id.0))
                .unwrap_or_else(|| panic!("no target for segment {}", s.id));
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
                flags: Vec::new(),
            };
            check::check(&mut unit, &glossary, true);
            unit
        })
        .collect()
}

fn jsonl(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
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

/// A human translation of the reference article gets no flag at all: no
/// number, length, chatter or glossary false alarm.
#[test]
fn no_flags_on_a_good_translation_of_the_reference_article() {
    let good = jsonl(&fixture_path("review/article.good.jsonl"));
    assert_eq!(good.len(), 438);
    let units = checked_units(&targets_of(&good));
    for (unit, line) in units.iter().zip(&good) {
        assert_eq!(
            unit.source,
            line["source"].as_str().unwrap(),
            "segment {}",
            unit.id
        );
    }
    let flags: Vec<String> = flagged(&units)
        .iter()
        .map(|(id, f)| format!("{id}: {f}"))
        .collect();
    assert_eq!(flags, Vec::<String>::new());
}

/// The offline dictionary backend's gloss (the committed `output/`) gets no
/// number, length or chatter false alarm either.
#[test]
fn no_number_length_or_chatter_flags_on_the_dictionary_gloss() {
    let units = checked_units(&targets_of(&jsonl(&repo_path("output/article.jsonl"))));
    let flags: Vec<String> = flagged(&units)
        .iter()
        .filter(|(_, f)| f.kind != FlagKind::GlossaryMiss)
        .map(|(id, f)| format!("{id}: {f}"))
        .collect();
    assert_eq!(flags, Vec::<String>::new());
}

/// Deliberately broken translations (wrong and missing numbers, Han left,
/// empty, model chatter, truncated and padded) each get exactly their
/// expected flags, and nothing else is flagged. Prints precision and recall.
#[test]
fn broken_translations_get_their_flags() {
    let mut targets = targets_of(&jsonl(&fixture_path("review/article.good.jsonl")));
    let broken = jsonl(&fixture_path("review/article.broken.jsonl"));
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
    let units = checked_units(&targets);
    let raised = flagged(&units);
    let correct = raised
        .iter()
        .filter(|(id, f)| {
            expected
                .get(id)
                .is_some_and(|k| k.contains(&f.kind.to_string()))
        })
        .count();
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
    let precision = correct as f64 / raised.len().max(1) as f64;
    let recall = caught as f64 / expected.len() as f64;
    eprintln!(
        "QA flags on {} broken segments: {} flags raised, {correct} correct: precision {:.3}, recall {:.3} ({caught}/{})",
        expected.len(),
        raised.len(),
        precision,
        recall,
        expected.len()
    );
    for kind in [
        "number-mismatch",
        "untranslated",
        "empty",
        "llm-chatter",
        "length-ratio",
    ] {
        let total = expected.values().filter(|k| k[0] == kind).count();
        assert!(total >= 2, "too few broken cases for {kind}");
    }
    assert_eq!(misses, Vec::<String>::new());
    assert_eq!(correct, raised.len(), "false flags: {raised:?}");
}

// ---------------------------------------------------------------- XLIFF

/// `--formats xliff` writes XLIFF 2.0 that validates against the core
/// schema: one unit per segment with the segment id, notes before the
/// segment, states, hyphenated languages; hostile text stays valid.
#[test]
fn xliff_output_validates_against_the_core_schema() {
    let (run, _dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .file(
            "hostile.txt",
            "标题 <script>alert(1)</script> & \"引号\" 'x'.控制\u{1}字符]]>结束.\n",
        )
        .args([
            "translate",
            "article.txt",
            "hostile.txt",
            "--formats",
            "xliff,jsonl",
            "--source-lang",
            "zh_CN",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.files("output"),
        [
            "article.jsonl",
            "article.xlf",
            "hostile.jsonl",
            "hostile.xlf"
        ]
    );
    for name in ["article", "hostile"] {
        assert_valid_xliff(&run.dir.join(format!("output/{name}.xlf")));
    }
    let xliff = run.read("output/article.xlf");
    assert!(
        xliff.contains(r#"srcLang="zh-CN" trgLang="en-US""#),
        "{}",
        &xliff[..300]
    );
    let units = xliff_units(&xliff);
    let json = jsonl(&run.dir.join("output/article.jsonl"));
    assert_eq!(units.len(), 438);
    for (unit, line) in units.iter().zip(&json) {
        assert_eq!(unit.id, line["id"].to_string());
        assert_eq!(unit.source, line["source"].as_str().unwrap());
        assert_eq!(unit.target.as_deref(), line["target"].as_str());
        assert_eq!(unit.state, "translated");
        let terms = line["terms"].as_array().unwrap();
        assert_eq!(
            unit.glossary_notes > 0,
            !terms.is_empty(),
            "unit {}",
            unit.id
        );
    }
    // The hostile text survives escaping, and its flag is a note.
    let hostile = xliff_units(&run.read("output/hostile.xlf"));
    assert!(
        hostile[0]
            .source
            .contains("<script>alert(1)</script> & \"引号\"")
    );
    assert!(hostile.iter().any(|u| {
        u.flag_notes
            .iter()
            .any(|f| f.starts_with("control-char-removed"))
    }));
}

/// What a test needs to know of an XLIFF unit.
#[derive(Debug, Default)]
struct XliffUnit {
    id: String,
    state: String,
    source: String,
    target: Option<String>,
    glossary_notes: usize,
    flag_notes: Vec<String>,
}

/// Parse the units of an XLIFF 2.0 document (independently of bitext's reader).
fn xliff_units(xml: &str) -> Vec<XliffUnit> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut units = Vec::new();
    let mut unit = XliffUnit::default();
    let mut text = String::new();
    let mut category = String::new();
    let attr = |e: &quick_xml::events::BytesStart, name: &str| {
        e.try_get_attribute(name)
            .unwrap()
            .map(|a| a.unescape_value().unwrap().into_owned())
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                text.clear();
                match e.name().as_ref() {
                    b"unit" => {
                        unit = XliffUnit {
                            id: attr(&e, "id"),
                            ..XliffUnit::default()
                        }
                    }
                    b"segment" => unit.state = attr(&e, "state"),
                    b"note" => category = attr(&e, "category"),
                    _ => {}
                }
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = String::from_utf8(r.to_vec()).unwrap();
                text.push_str(match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(e) => match e.name().as_ref() {
                b"source" => unit.source = text.clone(),
                b"target" => unit.target = Some(text.clone()),
                b"note" if category == "glossary" => unit.glossary_notes += 1,
                b"note" if category == "flag" => unit.flag_notes.push(text.clone()),
                b"unit" => units.push(std::mem::take(&mut unit)),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    units
}
