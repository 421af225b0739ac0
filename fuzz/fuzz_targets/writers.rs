//! The TMX, Markdown and JSONL writers keep any text well-formed: the TMX
//! parses as XML with one `<tu>` per unit, the JSONL has one object per unit,
//! and no Markdown row is broken.
#![no_main]

use bitext::check;
use bitext::document::{FuzzyMatch, Origin, SegmentId, Unit};
use bitext::output::{Format, WriteContext, write_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|pairs: Vec<(String, String)>| {
    let mut units: Vec<Unit> = pairs
        .into_iter()
        .enumerate()
        .map(|(i, (source, target))| Unit {
            // Every other unit has a fuzzy match: the pair the other way
            // round, so that the writers render hostile text in it too.
            matches: if i % 2 == 0 {
                vec![FuzzyMatch {
                    score: 80,
                    source: target.replace(['\n', '\r'], " "),
                    target: source.replace(['\n', '\r'], " "),
                    origin: Origin::Reviewed,
                }]
            } else {
                Vec::new()
            },
            id: SegmentId(i as u32 + 1),
            paragraph: 1 + i / 3,
            index: 1 + i % 3,
            line: 1 + i / 3,
            source: source.replace(['\n', '\r'], " "),
            target: target.replace(['\n', '\r'], " "),
            backend: "fuzz".into(),
            model: None,
            origin: Origin::Machine,
            terms: Vec::new(),
            repaired: false,
            bead: None,
            flags: Vec::new(),
            codes: Vec::new(),
        })
        .collect();
    let glossary = bitext::glossary::Glossary::empty();
    for unit in &mut units {
        check::check(unit, &glossary, true);
    }
    let ctx = WriteContext::new("fuzz.txt", "zh-CN", "en-US", "fuzz");
    for format in [Format::Tmx, Format::Md, Format::Jsonl] {
        let mut out = Vec::new();
        write_document(format.writer().as_ref(), &ctx, &units, None, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        match format {
            Format::Tmx => {
                let mut reader = quick_xml::Reader::from_str(&text);
                let mut tus = 0;
                loop {
                    match reader.read_event() {
                        Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"tu" => {
                            tus += 1
                        }
                        Ok(quick_xml::events::Event::Eof) => break,
                        Ok(_) => {}
                        Err(e) => panic!("TMX not well-formed: {e}"),
                    }
                }
                assert_eq!(tus, units.len());
            }
            Format::Jsonl => assert_eq!(text.lines().count(), units.len()),
            Format::Md => {
                let rows = text
                    .lines()
                    .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
                    .count();
                assert_eq!(rows, units.len());
            }
            _ => {}
        }
    }
});
