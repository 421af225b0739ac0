//! `bitext align`: strict bead F1 on hand-aligned pairs, snapshots, the
//! coverage property, and bad input.

use std::collections::HashSet;
use std::sync::OnceLock;

use bitext::align::{AlignOptions, Bead, EnglishSplitter, Lexicon, align};
use bitext::segment::Segmenter;
use proptest::prelude::*;

use crate::bitext_snapshot;
use crate::harness::{Bitext, Refusal, assert_contains, fixture_path};

/// The hand-aligned pairs under `tests/fixtures/align` that [`tune`] fitted
/// the weights of [`Params`] on: their F1 is a training figure.
const TUNED: &[&str] = &["article", "economy", "policy", "water"];

/// Hand-aligned pairs written after the weights were frozen and never given
/// to [`tune`] (science news, a letter to shareholders with one paragraph
/// split in two, an interview in normalised punctuation, so clause-cut
/// Chinese, and a travel essay whose English lost its paragraph breaks),
/// each with the strict F1 measured on it, which the README reports. The
/// interview scored 0.750 with the frozen weights; the aligner was then
/// changed looking at it (paragraph prior, paragraph marks, the 1–1 cap), so
/// these are development pairs now, and [`HELD_OUT`] the held-out ones.
const DEVELOPMENT: &[(&str, f64)] = &[
    ("science", 1.0),
    ("report", 1.0),
    ("interview", 0.936),
    ("travel", 1.0),
];

/// Hand-aligned pairs written after the last change to the aligner and run
/// through it only to measure: a commencement speech in normalised
/// punctuation, a sports report whose English is hard-wrapped, and a food
/// essay whose English lost its paragraph breaks; with the strict F1
/// measured on each, which the README reports.
const HELD_OUT: &[(&str, f64)] = &[("speech", 0.684), ("sports", 1.0), ("food", 0.87)];

/// Literary pairs written for issue 20 (short stories and memoir with
/// dialogue, a moved paragraph break, crossing 2–2 beads, sentences merged,
/// split, dropped and added) and committed before the aligner was changed
/// for them. The development pairs were looked at while building soft
/// paragraphs, fair 2–2 scoring and dialogue glue (they scored 0.880 and
/// 0.682 before); the weights were then frozen.
const LITERARY_DEVELOPMENT: &[(&str, f64)] = &[("homecoming", 1.0), ("stall", 1.0)];

/// Literary pairs scored once, after the weights were frozen (they scored
/// 0.735 and 0.800 before the change, 0.880 and 0.864 with
/// `--no-paragraphs`).
const LITERARY_HELD_OUT: &[(&str, f64)] = &[("ferry", 0.936), ("dog", 0.930)];

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

type Link = (Vec<usize>, Vec<usize>);

/// A gold file: one bead per line, `zh ids<TAB>en ids`, ids 1-based and
/// comma-separated, a side empty for 1–0 and 0–1 beads.
fn gold(name: &str) -> Vec<Link> {
    let text = std::fs::read_to_string(fixture_path(&format!("align/{name}.gold.tsv"))).unwrap();
    let ids = |s: &str| -> Vec<usize> {
        s.split(',')
            .filter(|x| !x.trim().is_empty())
            .map(|x| x.trim().parse().unwrap())
            .collect()
    };
    text.lines()
        .map(|l| {
            let (z, e) = l.split_once('\t').expect("zh<TAB>en");
            (ids(z), ids(e))
        })
        .collect()
}

fn links(beads: &[Bead]) -> Vec<Link> {
    beads
        .iter()
        .map(|b| {
            (
                b.zh.clone().map(|i| i + 1).collect(),
                b.en.clone().map(|j| j + 1).collect(),
            )
        })
        .collect()
}

fn align_pair_with(name: &str, options: &AlignOptions) -> (Vec<Bead>, usize, usize) {
    let read = |lang: &str| {
        std::fs::read_to_string(fixture_path(&format!("align/{name}.{lang}.txt"))).unwrap()
    };
    let zh = Segmenter::default().document("zh", "UTF-8", &read("zh"));
    let en = EnglishSplitter.document("en", "UTF-8", &read("en"));
    let beads = align(&zh, &en, lexicon(), options);
    (beads, zh.segment_count(), en.segment_count())
}

/// Strict bead F1: a bead counts only if both its sides are exactly right.
fn strict_f1(test: &[Link], gold: &[Link]) -> f64 {
    let g: HashSet<&Link> = gold.iter().collect();
    let hits = test.iter().filter(|l| g.contains(l)).count() as f64;
    if hits == 0.0 {
        return 0.0;
    }
    let (p, r) = (hits / test.len() as f64, hits / gold.len() as f64);
    2.0 * p * r / (p + r)
}

/// The weights as [`tune`] left them on the tuned pairs, frozen before the
/// held-out pairs were written. Changing them makes the held-out figure a
/// training figure: write a new held-out pair after the change and report
/// on that.
#[test]
fn weights_are_frozen() {
    use bitext::align::Params;
    // Every field, by name and value, as `Debug` prints them.
    let frozen = "Params { ratio_cost: 1.0, size_cost: 5.0, length_weight: 1.0, \
        length_variance: 6.0, lexical_weight: 10.0, neutral_share: 0.2, orphan_cost: 4.0, \
        skip_cost: 2.5, break_cost: 1.0, glue: 3.0, crossing_cost: 1.2 }";
    assert_eq!(format!("{:?}", Params::default()), frozen);
}

/// Strict bead F1 of each pair (default options), and a report that lists
/// the wrong beads.
fn strict_f1_of(pairs: &[&str]) -> (Vec<f64>, String) {
    strict_f1_with(pairs, &AlignOptions::default())
}

/// [`strict_f1_of`] with the given options.
fn strict_f1_with(pairs: &[&str], options: &AlignOptions) -> (Vec<f64>, String) {
    let mut report = String::new();
    let mut figures = Vec::new();
    for name in pairs {
        let gold = gold(name);
        let (beads, n, m) = align_pair_with(name, options);
        let max = |f: fn(&Link) -> &Vec<usize>| gold.iter().flat_map(f).max().copied().unwrap_or(0);
        assert_eq!(
            (n, m),
            (max(|l| &l.0), max(|l| &l.1)),
            "{name}: gold and segmentation disagree"
        );
        let test = links(&beads);
        let f1 = strict_f1(&test, &gold);
        figures.push(f1);
        report.push_str(&format!(
            "{name}: strict F1 {f1:.3} ({} beads, gold {})\n",
            test.len(),
            gold.len()
        ));
        let g: HashSet<&Link> = gold.iter().collect();
        for (l, b) in test.iter().zip(&beads) {
            if !g.contains(l) {
                report.push_str(&format!(
                    "  wrong {:?} ↔ {:?} score {:.2} lexical {:.2} length {:.2} margin {:.2}\n",
                    l.0, l.1, b.score, b.lexical, b.length, b.margin
                ));
            }
        }
    }
    (figures, report)
}

/// The pairs the weights were tuned on: a training figure. The README
/// claims 1.000 for each.
#[test]
fn strict_bead_f1_on_tuned_pairs() {
    let (figures, report) = strict_f1_of(TUNED);
    println!("{report}");
    assert!(figures.iter().all(|&f1| f1 == 1.0), "{report}");
}

/// Each pair's strict F1 is at least the figure claimed for it (which the
/// README quotes to three decimals).
fn assert_figures(pairs: &[(&str, f64)]) {
    let names: Vec<&str> = pairs.iter().map(|p| p.0).collect();
    let (figures, report) = strict_f1_of(&names);
    println!("{report}");
    for (&(name, claimed), f1) in pairs.iter().zip(figures) {
        let f1 = (f1 * 1000.0).round() / 1000.0;
        assert!(f1 >= claimed, "{name}: {f1:.3} < {claimed}\n{report}");
    }
}

/// The pairs held out from the weights but looked at while changing the
/// aligner.
#[test]
fn strict_bead_f1_on_development_pairs() {
    assert_figures(DEVELOPMENT);
}

/// The pairs written after the last change: the figures the README gives
/// for texts the aligner was not fitted on.
#[test]
fn strict_bead_f1_on_held_out_pairs() {
    assert_figures(HELD_OUT);
}

/// The literary pairs the aligner was changed looking at.
#[test]
fn strict_bead_f1_on_literary_development_pairs() {
    assert_figures(LITERARY_DEVELOPMENT);
}

/// The held-out literary pairs, one by one and pooled (the goal of issue
/// 20 is 0.92 with paragraphs on).
#[test]
fn strict_bead_f1_on_literary_held_out_pairs() {
    assert_figures(LITERARY_HELD_OUT);
    let names: Vec<&str> = LITERARY_HELD_OUT.iter().map(|p| p.0).collect();
    let (hits, test, gold) = pooled(&names, &AlignOptions::default());
    let f1 = 2.0 * hits as f64 / (test + gold) as f64;
    assert!(f1 >= 0.92, "pooled strict F1 {f1:.3}");
}

/// A small deterministic generator (xorshift) for the perturbations.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Words a reviser might swap for one another.
const SYNONYMS: &[(&str, &str)] = &[
    ("old", "aged"),
    ("said", "replied"),
    ("little", "small"),
    ("quick", "fast"),
    ("street", "road"),
    ("house", "home"),
    ("every", "each"),
    ("began", "started"),
    ("big", "large"),
    ("thin", "slim"),
    ("shut", "closed"),
    ("long", "lengthy"),
    ("also", "too"),
    ("more", "further"),
    ("new", "fresh"),
    ("said", "stated"),
];

/// The English text with one word of sentence `k` changed: an article
/// dropped or a word swapped for a synonym; `None` if the sentence has
/// neither.
fn perturb(text: &str, en: &bitext::document::Document, k: usize, rng: &mut Rng) -> Option<String> {
    let s = en.segments().nth(k)?;
    let sentence = &text[s.span.clone()];
    let mut words: Vec<&str> = sentence.split(' ').collect();
    let editable: Vec<usize> = (0..words.len())
        .filter(|&w| {
            let lower = words[w].to_lowercase();
            matches!(lower.as_str(), "the" | "a" | "an")
                || SYNONYMS.iter().any(|(a, _)| *a == lower)
        })
        .collect();
    if editable.is_empty() {
        return None;
    }
    let w = editable[rng.below(editable.len())];
    let lower = words[w].to_lowercase();
    match SYNONYMS.iter().find(|(a, _)| *a == lower) {
        Some((_, b)) => words[w] = b,
        None => {
            words.remove(w);
        }
    }
    let mut out = text[..s.span.start].to_string();
    out.push_str(&words.join(" "));
    out.push_str(&text[s.span.end..]);
    Some(out)
}

/// Stability: a one-word edit of the English (a synonym, a dropped
/// article), at random sentences of literary and news pairs, leaves the
/// beads more than two sentences away from the edited one where they were.
/// All but one do: stall's dialogue bead 12 ↔ 12–14 is a near tie with
/// 12 ↔ 12–13 plus 13 ↔ 14, which any edit that shifts the text's length
/// ratio can tip (the README says so).
#[test]
fn a_one_word_edit_moves_only_nearby_beads() {
    const REACH: usize = 2;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut edits = 0;
    let (mut far_beads, mut moved) = (0, Vec::new());
    for name in ["homecoming", "stall", "ferry", "article", "report"] {
        let read = |lang: &str| {
            std::fs::read_to_string(fixture_path(&format!("align/{name}.{lang}.txt"))).unwrap()
        };
        let zh = Segmenter::default().document("zh", "UTF-8", &read("zh"));
        let en_text = read("en");
        let en = EnglishSplitter.document("en", "UTF-8", &en_text);
        let before = links(&align(&zh, &en, lexicon(), &AlignOptions::default()));
        for _ in 0..6 {
            let k = rng.below(en.segment_count());
            let Some(edited) = perturb(&en_text, &en, k, &mut rng) else {
                continue;
            };
            let en2 = EnglishSplitter.document("en", "UTF-8", &edited);
            assert_eq!(en2.segment_count(), en.segment_count(), "{name}: {edited}");
            let after: HashSet<Link> =
                links(&align(&zh, &en2, lexicon(), &AlignOptions::default()))
                    .into_iter()
                    .collect();
            edits += 1;
            let edited_at = k + 1;
            // Beads far from the edit on the English side, and far on the
            // Chinese side from every bead that holds the edited sentence.
            let near_zh: Vec<usize> = before
                .iter()
                .filter(|l| l.1.contains(&edited_at))
                .flat_map(|l| l.0.clone())
                .collect();
            for l in &before {
                let far = |ids: &[usize], at: &[usize]| {
                    ids.iter()
                        .all(|&i| at.iter().all(|&a| i.abs_diff(a) > REACH))
                };
                if far(&l.1, &[edited_at]) && far(&l.0, &near_zh) && !l.1.is_empty() {
                    far_beads += 1;
                    if !after.contains(l) {
                        moved.push(format!("{name}: edit of {edited_at} moved {l:?}"));
                    }
                }
            }
        }
    }
    println!("{edits} edits, {far_beads} far beads, moved: {moved:#?}");
    assert!(edits >= 20, "only {edits} edits");
    assert!(
        moved
            .iter()
            .all(|m| m.starts_with("stall:") && m.ends_with("([12], [12, 13, 14])")),
        "{moved:#?}"
    );
}

/// Precision and recall of the review flags as a detector of wrong beads
/// on the given pairs: `(flagged, wrong, flagged and wrong)` for the
/// `low-confidence` flag alone (aligned beads) and for it together with
/// `unaligned` (all beads).
fn flag_counts(names: &[&str]) -> [(usize, usize, usize); 2] {
    let options = AlignOptions::default();
    let mut counts = [(0, 0, 0); 2];
    for name in names {
        let g: HashSet<Link> = gold(name).into_iter().collect();
        let (found, _, _) = align_pair_with(name, &options);
        for (l, b) in links(&found).iter().zip(&found) {
            let error = !g.contains(l);
            let aligned = !l.0.is_empty() && !l.1.is_empty();
            let low = bitext::align::is_low_confidence(b, options.low_confidence);
            let any = bitext::align::is_flagged(b, options.low_confidence);
            for (c, flag, counted) in [(0, low, aligned), (1, any, true)] {
                if counted {
                    counts[c].0 += usize::from(flag);
                    counts[c].1 += usize::from(error);
                    counts[c].2 += usize::from(flag && error);
                }
            }
        }
    }
    counts
}

fn precision_recall((flagged, wrong, both): (usize, usize, usize)) -> (f64, f64) {
    (
        both as f64 / flagged.max(1) as f64,
        both as f64 / wrong.max(1) as f64,
    )
}

/// The `low-confidence` flag as an error detector on the held-out pairs
/// (literary and news), with the figures measured once the close-call
/// margin was set on the development pairs; the README reports them.
#[test]
fn the_flag_as_an_error_detector_on_held_out_pairs() {
    let names: Vec<&str> = LITERARY_HELD_OUT
        .iter()
        .chain(HELD_OUT)
        .map(|p| p.0)
        .collect();
    let [low, any] = flag_counts(&names);
    let (p_low, r_low) = precision_recall(low);
    let (p_any, r_any) = precision_recall(any);
    println!(
        "low-confidence {low:?}: precision {p_low:.3} recall {r_low:.3}; \
         with unaligned {any:?}: precision {p_any:.3} recall {r_any:.3}"
    );
    let measured = [
        (p_low, 0.214),
        (r_low, 0.333),
        (p_any, 0.192),
        (r_any, 0.454),
    ];
    for (got, claimed) in measured {
        assert!(got >= claimed, "{got:.3} < {claimed}");
    }
}

/// The same on the development pairs, where the close-call margin was set.
#[test]
#[ignore = "a tool for setting the close-call margin, not a test"]
fn the_flag_on_development_pairs() {
    let names: Vec<&str> = LITERARY_DEVELOPMENT
        .iter()
        .chain(DEVELOPMENT)
        .map(|p| p.0)
        .chain(TUNED.iter().copied())
        .collect();
    let [low, any] = flag_counts(&names);
    println!(
        "{low:?} {:?}; {any:?} {:?}",
        precision_recall(low),
        precision_recall(any)
    );
}

/// A question translated freely, with no word in common, between two
/// well-matched sentences: a 1–1 bead (scored low), not an omission next to
/// an addition.
#[test]
fn a_free_translation_is_a_bead_not_two_orphans() {
    let zh = Segmenter::default().document(
        "zh",
        "UTF-8",
        "记者.王老师.您在故宫修复古书画已经三十多年了.能先谈谈您是怎么走上这条路的吗.",
    );
    let en = EnglishSplitter.document(
        "en",
        "UTF-8",
        "Q: Mr Wang, you have been restoring old paintings and calligraphy at the Palace Museum for more than 30 years. How did you come to this work?",
    );
    let beads = align(&zh, &en, lexicon(), &AlignOptions::default());
    assert_eq!(
        links(&beads),
        [(vec![1, 2, 3], vec![1]), (vec![4], vec![2])]
    );
    assert!(beads[1].score < AlignOptions::default().low_confidence);
}

#[test]
#[ignore = "a tool for tuning Params, not a test"]
fn tune() {
    use bitext::align::Params;
    let read = |name: &str, lang: &str| {
        std::fs::read_to_string(fixture_path(&format!("align/{name}.{lang}.txt"))).unwrap()
    };
    let docs: Vec<_> = TUNED
        .iter()
        .map(|name| {
            (
                Segmenter::default().document("zh", "UTF-8", &read(name, "zh")),
                EnglishSplitter.document("en", "UTF-8", &read(name, "en")),
                gold(name),
            )
        })
        .collect();
    let eval = |p: Params| -> (f64, f64) {
        let mut sum = 0.0;
        let mut min: f64 = 1.0;
        for paragraphs in [true, false] {
            for (zh, en, g) in &docs {
                let mut o = AlignOptions::default();
                o.params = p;
                o.paragraphs = paragraphs;
                let f = strict_f1(&links(&align(zh, en, lexicon(), &o)), g);
                sum += f;
                min = min.min(f);
            }
        }
        (sum / (2 * docs.len()) as f64, min)
    };
    let mut best = Params::default();
    let mut best_score = eval(best);
    println!("start {best_score:?}");
    type Field = fn(&mut Params) -> &mut f32;
    let fields: [(&str, Field, &[f32]); 8] = [
        (
            "ratio_cost",
            |p| &mut p.ratio_cost,
            &[1.0, 2.0, 3.0, 4.0, 6.0],
        ),
        (
            "size_cost",
            |p| &mut p.size_cost,
            &[1.0, 2.0, 3.0, 5.0, 8.0],
        ),
        (
            "length_weight",
            |p| &mut p.length_weight,
            &[0.25, 0.5, 1.0, 1.5, 2.0],
        ),
        (
            "length_variance",
            |p| &mut p.length_variance,
            &[2.0, 4.0, 6.0, 10.0, 16.0, 25.0],
        ),
        (
            "lexical_weight",
            |p| &mut p.lexical_weight,
            &[3.0, 5.0, 8.0, 12.0, 16.0, 24.0],
        ),
        (
            "neutral_share",
            |p| &mut p.neutral_share,
            &[0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
        ),
        ("orphan_cost", |p| &mut p.orphan_cost, &[0.0, 1.0, 2.0, 4.0]),
        (
            "skip_cost",
            |p| &mut p.skip_cost,
            &[1.0, 1.5, 2.5, 3.5, 5.0],
        ),
    ];
    for round in 0..3 {
        for (name, field, values) in &fields {
            for &v in *values {
                let mut p = best;
                *field(&mut p) = v;
                let s = eval(p);
                if s.0 > best_score.0 + 1e-9 || (s.0 > best_score.0 - 1e-9 && s.1 > best_score.1) {
                    best = p;
                    best_score = s;
                    println!("round {round}: {name} = {v} → {s:?}");
                }
            }
        }
    }
    println!("best {best:?} {best_score:?}");
}

#[test]
#[ignore = "debugging aid"]
fn explain_article() {
    let read = |lang: &str| {
        std::fs::read_to_string(fixture_path(&format!("align/article.{lang}.txt"))).unwrap()
    };
    let zh = Segmenter::default().document("zh", "UTF-8", &read("zh"));
    let en = EnglishSplitter.document("en", "UTF-8", &read("en"));
    for l in bitext::align::explain(
        &zh,
        &en,
        lexicon(),
        &AlignOptions::default(),
        &[
            (20..27, 9..10),
            (20..26, 9..10),
            (26..27, 10..10),
            (30..31, 12..13),
            (31..32, 13..14),
            (30..31, 12..14),
            (31..32, 14..14),
        ],
    ) {
        println!("{l}");
    }
}

#[test]
fn align_writes_tmx_md_jsonl_with_one_unit_per_bead() {
    let (run, _dir) = Bitext::new()
        .fixture("align/economy.zh.txt", "economy.zh.txt")
        .fixture("align/economy.en.txt", "economy.en.txt")
        .args(["align", "economy.zh.txt", "economy.en.txt", "-o", "out"])
        .run_ok();
    assert_eq!(
        run.files("out"),
        [
            "economy.zh.html",
            "economy.zh.jsonl",
            "economy.zh.md",
            "economy.zh.tmx"
        ]
    );
    bitext_snapshot!(run, run.stdout);
    let jsonl = run.read("out/economy.zh.jsonl");
    insta::assert_snapshot!("align_economy_jsonl", jsonl);
    crate::harness::assert_valid_tmx(&run.dir.join("out/economy.zh.tmx"));
    let tmx = run.read("out/economy.zh.tmx");
    assert!(tmx.contains(r#"<prop type="x-bead">2-1</prop>"#), "{tmx}");
    assert!(tmx.contains(r#"<prop type="x-flag">unaligned: no English counterpart</prop>"#));
    let md = run.read("out/economy.zh.md");
    assert_contains(&md, "⚠ unaligned: no English counterpart");
    assert_contains(&md, "bead 1-2 (");
}

#[test]
fn align_bad_input_is_one_clear_line_and_writes_nothing() {
    for case in Refusal::load("align") {
        let (run, _dir) = case.run();
        assert!(
            run.files("output").is_empty(),
            "{}: wrote {:?}",
            case.name,
            run.files("output")
        );
    }
}

#[test]
fn align_keeps_existing_outputs_without_force() {
    let (run, _dir) = Bitext::align(("zh.txt", "你好。"), ("en.txt", "Hello."))
        .file("output/zh.md", "keep me")
        .run_refused("error: output/zh.md: already exists; pass --force to overwrite it\n");
    assert_eq!(run.files("output"), ["zh.md"]);
}

const ZH_POOL: &[&str] = &[
    "国家统计局今天发布了数据。",
    "一季度经济增长5.3%。",
    "北京市建设了两座水库。",
    "中国积极参与全球气候治理。",
    "记者们说。",
    "这是庄严承诺。",
    "2011年4月26日，部长会见了记者。",
];
const EN_POOL: &[&str] = &[
    "The statistics bureau released data today.",
    "The economy grew 5.3 percent in the first quarter.",
    "Beijing built two reservoirs.",
    "China takes part in global climate governance.",
    "The reporters said so.",
    "This is a solemn commitment.",
    "On April 26, 2011, the minister met the reporters.",
];

fn text(pool: &[&str], picks: &[(usize, bool)], join: &str) -> String {
    let mut s = String::new();
    for (k, &(p, newline)) in picks.iter().enumerate() {
        if k > 0 {
            s.push_str(if newline { "\n" } else { join });
        }
        s.push_str(pool[p % pool.len()]);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every sentence of both sides is in exactly one bead, in order.
    #[test]
    fn every_sentence_is_in_exactly_one_bead_in_order(
        zh in proptest::collection::vec((0usize..7, proptest::bool::weighted(0.2)), 0..40),
        en in proptest::collection::vec((0usize..7, proptest::bool::weighted(0.2)), 0..40),
        paragraphs in proptest::bool::ANY,
    ) {
        let zh = Segmenter::default().document("zh", "UTF-8", &text(ZH_POOL, &zh, ""));
        let en = EnglishSplitter.document("en", "UTF-8", &text(EN_POOL, &en, " "));
        let mut options = AlignOptions::default();
        options.paragraphs = paragraphs;
        let beads = align(&zh, &en, lexicon(), &options);
        let (mut i, mut j) = (0, 0);
        for b in &beads {
            prop_assert!(!b.zh.is_empty() || !b.en.is_empty());
            if !b.zh.is_empty() {
                prop_assert_eq!(b.zh.start, i);
                i = b.zh.end;
            }
            if !b.en.is_empty() {
                prop_assert_eq!(b.en.start, j);
                j = b.en.end;
            }
            prop_assert!((0.0..=1.0).contains(&b.score));
        }
        prop_assert_eq!((i, j), (zh.segment_count(), en.segment_count()));
    }
}

/// `--backend` adds a machine translation of the Chinese side as evidence
/// (here the offline dictionary gloss); the beads stay right.
#[test]
fn align_with_a_backend_translation_as_evidence() {
    let (run, _dir) = Bitext::new()
        .fixture("align/water.zh.txt", "water.zh.txt")
        .fixture("align/water.en.txt", "water.en.txt")
        .args([
            "align",
            "water.zh.txt",
            "water.en.txt",
            "--backend",
            "dictionary",
            "-q",
        ])
        .run_ok();
    assert_eq!(run.stdout, "");
    let jsonl = run.read("output/water.zh.jsonl");
    let test: Vec<Link> = jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["backend"], "align+dictionary");
            let ids = |side: &str| -> Vec<usize> {
                v["bead"][side]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as usize)
                    .collect()
            };
            (ids("zh"), ids("en"))
        })
        .collect();
    assert_eq!(strict_f1(&test, &gold("water")), 1.0);
}

/// Prints the numbered segments of both sides of the pair named by
/// `ALIGN_PAIR`, and the beads found, for writing gold files.
#[test]
#[ignore = "a tool for writing gold files"]
fn print_pair() {
    let Ok(name) = std::env::var("ALIGN_PAIR") else {
        return;
    };
    let read = |lang: &str| {
        std::fs::read_to_string(fixture_path(&format!("align/{name}.{lang}.txt"))).unwrap()
    };
    let zh = Segmenter::default().document("zh", "UTF-8", &read("zh"));
    let en = EnglishSplitter.document("en", "UTF-8", &read("en"));
    for (side, doc) in [("zh", &zh), ("en", &en)] {
        for (k, s) in doc.segments().enumerate() {
            println!("{side} {:>3} p{} {}", k + 1, s.paragraph, s.content());
        }
    }
    for l in links(&align(&zh, &en, lexicon(), &AlignOptions::default())) {
        println!("bead {l:?}");
    }
    // Beads to explain, 1-based inclusive: `5-6:6-7;7-8:8-9`.
    let range = |s: &str| -> std::ops::Range<usize> {
        let (a, b) = s.split_once('-').unwrap_or((s, s));
        a.parse::<usize>().unwrap() - 1..b.parse().unwrap()
    };
    let beads: Vec<_> = std::env::var("ALIGN_BEADS")
        .unwrap_or_default()
        .split(';')
        .filter_map(|b| b.split_once(':'))
        .map(|(z, e)| (range(z), range(e)))
        .collect();
    for l in bitext::align::explain(&zh, &en, lexicon(), &AlignOptions::default(), &beads) {
        println!("{l}");
    }
}

/// Prints the strict F1 of the pairs named (comma-separated) in
/// `ALIGN_PAIRS`, with paragraphs on and off.
#[test]
#[ignore = "a tool for measuring, not a test"]
fn report_pairs() {
    let Ok(names) = std::env::var("ALIGN_PAIRS") else {
        return;
    };
    let names: Vec<&str> = names.split(',').collect();
    for paragraphs in [true, false] {
        let mut options = AlignOptions::default();
        options.paragraphs = paragraphs;
        for kv in std::env::var("ALIGN_PARAMS").unwrap_or_default().split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let v: f32 = v.parse().unwrap();
            let p = &mut options.params;
            match k {
                "break_cost" => p.break_cost = v,
                "glue" => p.glue = v,
                "crossing_cost" => p.crossing_cost = v,
                "size_cost" => p.size_cost = v,
                "skip_cost" => p.skip_cost = v,
                _ => panic!("unknown parameter {k}"),
            }
        }
        let (figures, report) = strict_f1_with(&names, &options);
        let (hits, test, gold_len) = pooled(&names, &options);
        let mut right: Vec<f32> = Vec::new();
        for name in &names {
            let g: HashSet<Link> = gold(name).into_iter().collect();
            let (found, _, _) = align_pair_with(name, &options);
            for (l, b) in links(&found).iter().zip(&found) {
                if g.contains(l) && !l.0.is_empty() && !l.1.is_empty() {
                    right.push(b.margin);
                }
            }
        }
        right.sort_by(f32::total_cmp);
        let q = |f: f64| right[((right.len() - 1) as f64 * f) as usize];
        println!(
            "right margins: min {:.2} q10 {:.2} q25 {:.2} median {:.2}",
            q(0.0),
            q(0.1),
            q(0.25),
            q(0.5)
        );
        println!(
            "paragraphs {paragraphs}: {figures:.3?} pooled {:.3}\n{report}",
            2.0 * hits as f64 / (test + gold_len) as f64
        );
    }
}

/// Hits, test beads and gold beads over all the pairs.
fn pooled(pairs: &[&str], options: &AlignOptions) -> (usize, usize, usize) {
    let (mut hits, mut test, mut gold_len) = (0, 0, 0);
    for name in pairs {
        let g = gold(name);
        let t = links(&align_pair_with(name, options).0);
        let set: HashSet<&Link> = g.iter().collect();
        hits += t.iter().filter(|l| set.contains(l)).count();
        test += t.len();
        gold_len += g.len();
    }
    (hits, test, gold_len)
}

#[test]
fn markdown_texts_align_block_by_block_without_their_markup() {
    let zh = "# 城市绿化报告\n\n今年我们种了很多树。公园变得更美了。\n\n- 第一，增加绿地。\n- 第二，保护**湿地**。\n\n```\n代码不对齐。\n```\n";
    let en = "# Report on urban greening\n\nThis year we planted many trees. The parks became more beautiful.\n\n- First, add green space.\n- Second, protect *wetlands*.\n\n```\ncode is not aligned.\n```\n";
    let (run, _dir) = Bitext::align(("zh.md", zh), ("en.md", en))
        .args(["--formats", "jsonl"])
        .run_ok();
    let units = crate::harness::jsonl(&run.dir.join("output/zh.jsonl"));
    let pairs: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u["source"].as_str().unwrap(), u["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("城市绿化报告", "Report on urban greening"),
            ("今年我们种了很多树。", "This year we planted many trees."),
            ("公园变得更美了。", "The parks became more beautiful."),
            ("第一，增加绿地。", "First, add green space."),
            ("第二，保护湿地。", "Second, protect wetlands."),
        ]
    );
}
