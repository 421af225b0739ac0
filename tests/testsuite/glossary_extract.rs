//! `bitext glossary extract` (issue 16): term candidates from the reference
//! article, their English from the human translation or a backend, the
//! output as a glossary, and the figures against the shipped glossary.

use std::sync::OnceLock;

use bitext::backend::TranslateContext;
use bitext::backend::dictionary::Dictionary;
use bitext::glossary::Glossary;
use bitext::glossary::extract::{
    Candidate, Corpus, ExtractOptions, extract, propose_with_backend, read_aligned,
    render_from_aligned, same_rendering,
};
use bitext::segment::Segmenter;

use crate::bitext_snapshot;
use crate::glossary::entries;
use crate::harness::{Bitext, assert_contains, assert_starts_with, fixture_path};

/// The dictionary backend (and with it CC-CEDICT and jieba), loaded once.
fn dictionary() -> &'static Dictionary {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    DICTIONARY.get_or_init(Dictionary::load)
}

/// The default extraction on the reference article, without targets.
fn article_candidates() -> Vec<Candidate> {
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let glosser = dictionary().glosser();
    let corpus = Corpus::from_text(&text, &Segmenter::default(), glosser.jieba()).unwrap();
    extract(&corpus, glosser, &ExtractOptions::default())
}

/// The human translation of the article, as aligned pairs.
fn human_translation() -> Vec<bitext::glossary::extract::AlignedPair> {
    read_aligned(&fixture_path("review/article.good.jsonl"), "zh-CN", "en-US").unwrap()
}

#[test]
fn ranked_candidates_of_the_reference_article() {
    let mut candidates = article_candidates();
    assert_eq!(candidates.len(), 200);
    render_from_aligned(&mut candidates, &human_translation());
    insta::assert_json_snapshot!(&candidates[..30]);
}

/// What a candidate would give: the top `k` sources.
fn sources(candidates: &[Candidate], k: usize) -> Vec<&str> {
    candidates
        .iter()
        .take(k)
        .map(|c| c.source.as_str())
        .collect()
}

/// Precision at 50 and 100 and recall at 200 against the shipped glossary's
/// terms that occur in the article (the extractor never sees the glossary),
/// and the share of the extracted glossary terms whose proposed English (from
/// the human translation, else the dictionary gloss) is the glossary's
/// target or one of its variants.
#[tokio::test]
async fn precision_recall_and_target_match_against_the_shipped_glossary() {
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let glossary = Glossary::bundled().unwrap();
    let truth: Vec<_> = glossary
        .entries()
        .iter()
        .filter(|e| text.contains(&e.source))
        .collect();
    let is_term = |s: &str| truth.iter().any(|e| e.source == s);
    let mut candidates = article_candidates();
    let hits = |k: usize| {
        sources(&candidates, k)
            .into_iter()
            .filter(|s| is_term(s))
            .count()
    };
    let (hits50, hits100, hits200) = (hits(50), hits(100), hits(200));
    let p50 = hits50 as f64 / 50.0;
    let p100 = hits100 as f64 / 100.0;
    let r200 = hits200 as f64 / truth.len() as f64;
    // The terms an extractor of n-grams seen twice inside clauses can reach.
    let reachable = truth
        .iter()
        .filter(|e| text.matches(&e.source).count() >= 2)
        .filter(|e| e.source.chars().all(bitext::text::is_han))
        .count();

    let aligned = render_from_aligned(&mut candidates, &human_translation());
    let ctx = TranslateContext::new("zh-CN", "en-US", "article.txt");
    let machine = propose_with_backend(&mut candidates, dictionary(), &ctx)
        .await
        .unwrap();
    let extracted: Vec<_> = candidates
        .iter()
        .filter_map(|c| Some((c, truth.iter().find(|e| e.source == c.source)?)))
        .collect();
    let matched = extracted
        .iter()
        .filter(|(c, e)| {
            let proposed = &c.target.as_ref().unwrap().text;
            std::iter::once(&e.target)
                .chain(&e.variants)
                .any(|t| same_rendering(proposed, t))
        })
        .count();
    let share = matched as f64 / extracted.len() as f64;
    println!(
        "glossary extract on the reference article ({} glossary terms occur in it, {reachable} of them twice or more in Han text):\n  \
         precision@50 {p50:.2}, precision@100 {p100:.2}, recall@200 {r200:.3} ({} terms; {:.2} of the reachable)\n  \
         targets: {aligned} from the human translation, {machine} dictionary glosses; \
         target matches the glossary (target or variant): {matched} of {} = {share:.2}",
        truth.len(),
        hits200,
        hits200 as f64 / reachable as f64,
        extracted.len(),
    );
    // Floors at the measured figures: a change that ranks or renders worse fails.
    assert!(p50 >= 0.58, "precision@50 {p50}");
    assert!(p100 >= 0.48, "precision@100 {p100}");
    assert!(r200 >= 0.30, "recall@200 {r200}");
    assert!(share >= 0.75, "target match {share}");
}

#[test]
fn candidates_have_no_stop_character_at_their_edges() {
    let candidates = article_candidates();
    for c in &candidates {
        for stop in ['的', '了', '和', '在', '是', '等', '对', '与'] {
            assert!(
                !c.source.starts_with(stop) && !c.source.ends_with(stop),
                "{} has {stop} at an edge",
                c.source
            );
        }
    }
    // A fragment of a longer word is not a unit: 资源部 is always inside 国土资源部.
    assert!(!sources(&candidates, 200).contains(&"资源部"));
    assert!(!sources(&candidates, 200).contains(&"土资源"));
}

/// The output loads with `--glossary` as it is, in both formats, with the
/// same entries; every entry is noted as proposed.
#[test]
fn output_loads_as_a_glossary_in_tsv_and_tbx() {
    // The top 40 from the article and its human translation, with `args`.
    let extract = |args: &[&str]| {
        let (run, dir) = Bitext::new()
            .fixture("article.txt", "article.txt")
            .fixture("review/article.good.jsonl", "good.jsonl")
            .args([
                "glossary",
                "extract",
                "article.txt",
                "--aligned",
                "good.jsonl",
                "--top",
                "40",
            ])
            .args(args)
            .run_ok();
        (run, dir)
    };
    let (tsv, _dir) = extract(&["-o", "terms.tsv"]);
    let (tbx, _dir2) = extract(&["--format", "tbx", "-o", "terms.tbx"]);
    let from_tsv = Glossary::load(&tsv.dir.join("terms.tsv")).unwrap();
    let from_tbx = Glossary::load(&tbx.dir.join("terms.tbx")).unwrap();
    assert_eq!(from_tsv.len(), 40);
    assert_eq!(entries(&from_tsv), entries(&from_tbx));
    for e in from_tsv.entries() {
        assert_starts_with(&e.note, "proposed by bitext glossary extract");
        assert!(
            e.note.contains("frequency ") && e.note.contains("score "),
            "{}",
            e.note
        );
    }
    // `--glossary` takes it as it is.
    let (check, _dir3) = Bitext::in_dir(_dir)
        .args(["glossary", "check", "-g", "terms.tsv", "article.txt"])
        .run_ok();
    assert_starts_with(&check.stdout, "terms.tsv: 40 entries");
}

/// Without aligned text, the dictionary backend proposes the targets, and
/// the note says so.
#[test]
fn without_aligned_text_the_dictionary_proposes_targets() {
    let (run, _dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .args(["glossary", "extract", "article.txt", "--top", "12"])
        .run_ok();
    assert_contains(&run.stderr, "12 machine proposals (dictionary)");
    bitext_snapshot!(run, run.stdout);
}

/// Another backend through the same trait: the `command` backend's fake MT
/// program, which leaves out the last candidate of each batch; that one has
/// no target and is not written.
#[test]
fn a_backend_proposes_what_aligned_text_does_not_give() {
    let command = format!(
        "python3 {} --drop-last",
        fixture_path("backend/fake_mt.py").display()
    );
    let (run, _dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .args([
            "glossary",
            "extract",
            "article.txt",
            "--top",
            "5",
            "--no-glossary",
        ])
        .args(["--backend", "command", "--command", &command])
        .run_ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "{}", run.stdout);
    for line in &lines[1..] {
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(fields[1].starts_with("EN"), "{line}");
        assert!(
            fields[3].ends_with("target a machine proposal (command backend)"),
            "{line}"
        );
    }
    assert_contains(&run.stderr, "4 machine proposals (command), 1 none");
}

/// Bad input: one line naming the file and what to do, exit 2, and no
/// output written.
#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    type Case<'a> = (&'a str, &'a [&'a str], &'a str);
    let cases: &[Case<'_>] = &[
        (
            "missing input",
            &["nope.txt"],
            "error: nope.txt: no such file or directory; check the path\n",
        ),
        (
            "missing aligned file",
            &["article.txt", "--aligned", "nope.jsonl"],
            "error: nope.jsonl: no such file or directory; check the path\n",
        ),
        (
            "aligned file that is not bitext's JSONL",
            &["article.txt", "--aligned", "bad.jsonl"],
            "error: bad.jsonl:2: not an aligned unit (missing field `source` at line 1 column 18); pass a JSONL file written by bitext translate or align (objects with source and target), or a TMX file\n",
        ),
        (
            "aligned XML that is not TMX",
            &["article.txt", "--aligned", "bad.tmx"],
            "error: bad.tmx:1: not a TMX file (the root element must be <tmx>); pass bitext's JSONL or TMX\n",
        ),
        (
            "empty input",
            &["empty.txt"],
            "error: empty.txt: no text in the file (it is empty, white space, or only markup and code); pass a file with text\n",
        ),
        (
            "unknown backend",
            &["article.txt", "--backend", "babelfish"],
            "error: unknown backend 'babelfish'; run `bitext backends` to list the backends\n",
        ),
    ];
    for (name, args, stderr) in cases {
        let (run, _dir) = Bitext::new()
            .fixture("article.txt", "article.txt")
            .file(
                "bad.jsonl",
                "{\"source\": \"中文\", \"target\": \"Chinese\"}\n{\"text\": \"中文\"}\n",
            )
            .file("bad.tmx", "<xliff version=\"2.0\"/>\n")
            .file("empty.txt", "\n \n")
            .args(["glossary", "extract"])
            .args(*args)
            .args(["-o", "terms.tsv"])
            .run_refused(stderr);
        assert!(
            !run.dir.join("terms.tsv").exists(),
            "{name}: output written"
        );
        assert_eq!(run.stdout, "", "{name}");
    }
}

#[test]
fn bad_top_and_min_freq_are_usage_errors() {
    for (args, wanted) in [
        (&["--top", "0"][..], "invalid value '0' for '--top <N>'"),
        (
            &["--top", "many"][..],
            "invalid value 'many' for '--top <N>'",
        ),
        (
            &["--min-freq", "0"][..],
            "invalid value '0' for '--min-freq <K>'",
        ),
    ] {
        let (run, _dir) = Bitext::new()
            .fixture("article.txt", "article.txt")
            .args(["glossary", "extract", "article.txt"])
            .args(args)
            .run();
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(wanted), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
}

/// TMX from `translate` reads as aligned text too: the dictionary's own
/// output gives the terms the glossary targets it rendered them with.
#[test]
fn tmx_from_translate_is_aligned_text() {
    let pairs = read_aligned(
        &crate::harness::repo_path("output/article.tmx"),
        "zh-CN",
        "en-US",
    )
    .unwrap();
    assert_eq!(pairs.len(), 438);
    let mut candidates = article_candidates();
    candidates.truncate(3);
    assert_eq!(render_from_aligned(&mut candidates, &pairs), 3);
    let ministry = candidates
        .iter()
        .find(|c| c.source == "国土资源部")
        .unwrap();
    assert_eq!(
        ministry.target.as_ref().unwrap().text,
        "Ministry of Land and Resources"
    );
}

/// `glossary extract` reads a document in its format: a phrase repeated in
/// a script and a code block is not a candidate, one repeated in the
/// paragraphs is.
#[test]
fn extract_reads_html_and_markdown_by_their_format() {
    let html = "<p>国土资源部发布通知。</p><p>国土资源部召开会议。</p><p>国土资源部表示支持。</p>\n<script>// 测试代码 测试代码 测试代码 测试代码\n</script>\n";
    let markdown = "国土资源部再次发言。\n\n```\n测试代码\n测试代码\n测试代码\n```\n";
    let (run, _dir) = Bitext::new()
        .files([("a.html", html), ("b.md", markdown)])
        .args(["glossary", "extract", "a.html", "b.md", "--min-freq", "2"])
        .run_ok();
    assert_contains(&run.stdout, "国土资源部");
    assert!(!run.stdout.contains("测试代码"), "{}", run.stdout);
}
