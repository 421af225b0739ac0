//! Glossary matching on the reference article, through the public API.

use bitext::document::Document;
use bitext::glossary::Glossary;
use bitext::segment::Segmenter;

use crate::harness::fixture_path;

/// The reference article, segmented, and the bundled glossary.
fn article_and_glossary() -> (Document, Glossary) {
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let doc = Segmenter::default().document("article.txt", "UTF-8", &text);
    (doc, Glossary::bundled().unwrap())
}

#[test]
fn annotations_on_the_reference_article() {
    let (doc, glossary) = article_and_glossary();
    let mut lines = Vec::new();
    for segment in doc.segments() {
        for term in glossary.annotate(segment.content()) {
            lines.push(format!(
                "{}\t{}..{}\t{} → {}",
                segment.id, term.span.start, term.span.end, term.source, term.target
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn longest_match_wins_over_contained_entries() {
    let glossary = Glossary::from_tsv_str(
        "t.tsv",
        "source\ttarget\n争优\tstrive\n创先争优\tStrive for Excellence\n先争\twrong\n",
    )
    .unwrap();
    let found: Vec<String> = glossary
        .annotate("创先争优.争优")
        .into_iter()
        .map(|t| t.source)
        .collect();
    assert_eq!(found, ["创先争优", "争优"]);
}

/// Each entry of `g` as (source, target, variants, note).
pub(crate) fn entries(g: &Glossary) -> Vec<(String, String, Vec<String>, String)> {
    g.entries()
        .iter()
        .map(|e| {
            (
                e.source.clone(),
                e.target.clone(),
                e.variants.clone(),
                e.note.clone(),
            )
        })
        .collect()
}

#[test]
fn tbx_2008_and_tbx_basic_load_into_one_glossary() {
    let g = Glossary::load_all(&[
        fixture_path("glossary/martif.tbx"),
        fixture_path("glossary/basic.tbx"),
    ])
    .unwrap();
    insta::assert_debug_snapshot!(entries(&g));
}

#[test]
fn export_round_trips_through_tsv_and_tbx() {
    let g = Glossary::bundled().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut tsv = Vec::new();
    g.write_tsv(&mut tsv).unwrap();
    let tsv_path = dir.path().join("g.tsv");
    std::fs::write(&tsv_path, &tsv).unwrap();
    let mut tbx = Vec::new();
    g.write_tbx("zh-CN", "en-US", &mut tbx).unwrap();
    let tbx_path = dir.path().join("g.tbx");
    std::fs::write(&tbx_path, &tbx).unwrap();
    for path in [tsv_path, tbx_path] {
        let back = Glossary::load(&path).unwrap();
        assert_eq!(entries(&back), entries(&g), "{}", path.display());
        assert_eq!(back.id(), g.id());
    }
}

#[test]
fn loader_errors_name_file_and_line() {
    let cases: &[(&str, &str)] = &[
        ("columns.tsv", "source\ttarget\tnote\n创先争优\tStrive\n"),
        ("empty-target.tsv", "source\ttarget\n创先争优\t\n"),
        (
            "conflict.tsv",
            "source\ttarget\n两难\tthe two dilemmas\n两难\ttwo difficulties\n",
        ),
        ("header.tsv", "term\ttranslation\n两难\tdilemma\n"),
        (
            "flag.csv",
            "source,target,case_sensitive\n两难,dilemma,maybe\n",
        ),
        (
            "broken.tbx",
            "<martif type=\"TBX\"><text><body><termEntry>\n<langSet xml:lang=\"zh\"></tig>\n",
        ),
        ("html.tbx", "<html><body>not a glossary</body></html>"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut report = String::new();
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err = Glossary::load(&path).unwrap_err();
        let message = err
            .to_string()
            .replace(&dir.path().display().to_string(), "[DIR]");
        report.push_str(&message);
        report.push('\n');
    }
    std::fs::write(
        dir.path().join("latin1.tsv"),
        b"source\ttarget\n\xe9t\xe9\tsummer\n",
    )
    .unwrap();
    let err = Glossary::load(&dir.path().join("latin1.tsv")).unwrap_err();
    report.push_str(
        &err.to_string()
            .replace(&dir.path().display().to_string(), "[DIR]"),
    );
    insta::assert_snapshot!(report);
}

#[test]
fn placeholder_round_trip_on_the_reference_article() {
    use bitext::glossary::placeholder::{protect, restore};
    let (doc, glossary) = article_and_glossary();
    let mut lines = Vec::new();
    for segment in doc.segments().take(40) {
        let terms = glossary.annotate(segment.content());
        if terms.is_empty() {
            continue;
        }
        let xml = protect(segment.content(), &terms);
        // A backend that keeps the tags and "translates" the rest to nothing.
        let reply: String = xml
            .split_inclusive("/>")
            .filter_map(|p| p.find("<x").map(|i| &p[i..]))
            .collect::<Vec<_>>()
            .join(" ");
        let restored = restore(&reply, &terms);
        assert!(restored.missing.is_empty());
        lines.push(format!(
            "{}\n  {xml}\n  {}",
            segment.content(),
            restored.text
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn glossary_check_cli_prints_each_match() {
    let (run, _dir) = crate::harness::Bitext::new()
        .file("in.txt", "开展创先争优活动.破解'两难'.\n国土资源部.")
        .fixture("glossary/basic.tbx", "g.tbx")
        .args(["glossary", "check", "-g", "g.tbx", "--glossary", "g2.tsv", "in.txt"])
        .file("g2.tsv", "source\ttarget\n创先争优\tStrive for Excellence\n国土资源部\tMinistry of Land and Resources\n")
        .run_ok();
    crate::bitext_snapshot!(run, run.stdout);
    let (run, _dir) = crate::harness::Bitext::new()
        .file("in.txt", "破解两难.")
        .fixture("glossary/basic.tbx", "g.tbx")
        .args([
            "glossary", "check", "-g", "g.tbx", "in.txt", "--format", "json",
        ])
        .run();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["documents"][0]["segments"][0]["terms"][0]["target"],
        "the two dilemmas"
    );
    assert_eq!(json["glossary"]["entries"], 1);
}

/// `glossary check` reads a document in its format, as `translate` does:
/// a term in a code block, a link's URL, a script or a comment is not text
/// and is not counted; the same lines read as a text count it everywhere.
#[test]
fn glossary_check_reads_markdown_and_html_by_their_format() {
    let markdown = "# 创先争优\n\n```\n创先争优\n```\n\n见[链接](http://x.cn/创先争优)。\n";
    let html = "<p>创先争优活动</p>\n<script>var a = '创先争优';</script>\n<!-- 创先争优 -->\n";
    let (run, _dir) = crate::harness::Bitext::new()
        .file("a.md", markdown)
        .file("a.txt", markdown)
        .file("b.html", html)
        .file("g.tsv", "source\ttarget\n创先争优\tStrive for Excellence\n")
        .args([
            "glossary", "check", "-g", "g.tsv", "a.md", "b.html", "a.txt",
        ])
        .args(["--format", "json"])
        .run_ok();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let matches: Vec<usize> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| {
            doc["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["terms"].as_array().unwrap().len())
                .sum()
        })
        .collect();
    assert_eq!(matches, [1, 1, 3]);
}

proptest::proptest! {
    /// Every glossary term survives a placeholder round trip (issue 19):
    /// whatever the text around the terms holds (XML-special characters,
    /// quotes, Latin, Han), a backend that keeps the tags and rewrites the
    /// rest gets every term back as its target, once per occurrence, with
    /// none reported missing; and a backend that changes nothing gives back
    /// the source with each term replaced by its target.
    #[test]
    fn every_glossary_term_survives_a_placeholder_round_trip(
        pieces in proptest::collection::vec(
            (0usize..4, "[a-z<>&\"' 。，的了在]{0,6}"),
            1..12,
        ),
        rewrite in "[A-Za-z<>&\" ]{0,5}",
    ) {
        use bitext::glossary::placeholder::{protect, restore};
        const TERMS: [(&str, &str); 4] = [
            ("耕地保护", "farmland protection"),
            ("国土资源部", "Ministry of Land and Resources"),
            ("两难", "the two dilemmas"),
            ("创先争优", "Strive for Excellence"),
        ];
        let tsv: String = std::iter::once("source\ttarget\n".to_string())
            .chain(TERMS.iter().map(|(s, t)| format!("{s}\t{t}\n")))
            .collect();
        let glossary = Glossary::from_tsv_str("terms.tsv", &tsv).unwrap();
        let text: String = pieces
            .iter()
            .map(|(term, filler)| format!("{}{filler}", TERMS[*term].0))
            .collect();
        let terms = glossary.annotate(&text);
        proptest::prop_assert_eq!(terms.len(), pieces.len());
        let xml = protect(&text, &terms);

        // A backend that keeps every tag and rewrites the text between them.
        let escaped = rewrite
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let tags = (1..=terms.len()).map(|n| format!("<x id=\"{n}\"/>"));
        let reply: String = tags.map(|tag| format!("{escaped}{tag}")).collect();
        let restored = restore(&reply, &terms);
        proptest::prop_assert!(restored.missing.is_empty(), "{:?}", restored);
        for (source, target) in TERMS {
            let expected = pieces.iter().filter(|(t, _)| TERMS[*t].0 == source).count();
            proptest::prop_assert_eq!(restored.text.matches(target).count(), expected, "{}", source);
        }

        // A backend that changes nothing.
        let same = restore(&xml, &terms);
        let mut expected = text.clone();
        for (source, target) in TERMS {
            expected = expected.replace(source, target);
        }
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        proptest::prop_assert_eq!(squash(&same.text), squash(&expected));
    }
}
