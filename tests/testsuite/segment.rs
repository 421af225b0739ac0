//! Segmentation against hand-made gold segmentations, snapshots, properties.

use bitext::segment::{Punctuation, Segmenter};
use proptest::prelude::*;

use crate::bitext_snapshot;
use crate::harness::{Bitext, fixture_path, repo_path};

/// Segment `source` and compare with `gold` (one segment per line, a blank
/// line between paragraphs): every boundary must match.
fn assert_matches_gold(source: &str, gold: &str) {
    let text = std::fs::read_to_string(fixture_path(source)).unwrap();
    let gold = std::fs::read_to_string(fixture_path(gold)).unwrap();
    let doc = Segmenter::default().document(source, "UTF-8", &text);
    let got: Vec<String> = doc
        .paragraphs
        .iter()
        .map(|p| {
            p.segments
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let want: Vec<&str> = gold.trim_end_matches('\n').split("\n\n").collect();
    assert_eq!(got.len(), want.len(), "{source}: paragraph count");
    for (n, (got, want)) in got.iter().zip(&want).enumerate() {
        assert_eq!(got, want, "{source}: paragraph {}", n + 1);
    }
}

#[test]
fn reference_article_matches_gold() {
    assert_matches_gold("article.txt", "segment/article.gold.txt");
}

#[test]
fn normalized_sample_matches_gold() {
    assert_matches_gold("segment/normalized.txt", "segment/normalized.gold.txt");
}

#[test]
fn standard_sample_matches_gold() {
    assert_matches_gold("segment/standard.txt", "segment/standard.gold.txt");
}

#[test]
fn segment_jsonl_on_the_reference_article() {
    let (run, _dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .args(["segment", "article.txt", "--format", "jsonl"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    // Each paragraph's texts concatenate back to it, and spans point at them.
    let mut by_paragraph: Vec<String> = Vec::new();
    for line in run.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let p = v["paragraph"].as_u64().unwrap() as usize;
        let seg = v["text"].as_str().unwrap();
        let (start, end) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], seg);
        if by_paragraph.len() < p {
            by_paragraph.push(String::new());
        }
        by_paragraph[p - 1].push_str(seg);
    }
    let paragraphs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(by_paragraph, paragraphs);
    bitext_snapshot!(run, run.stdout);
}

#[test]
fn segment_text_on_the_standard_sample() {
    let (run, _dir) = Bitext::new()
        .fixture("segment/standard.txt", "standard.txt")
        .args(["segment", "standard.txt"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    bitext_snapshot!(run, run.stdout);
}

#[test]
fn segment_text_with_omegat_srx_rules() {
    let rules = std::fs::read(repo_path("tests/standards/omegat-defaultRules.srx")).unwrap();
    let (run, _dir) = Bitext::new()
        .fixture("segment/standard.txt", "standard.txt")
        .file("omegat-defaultRules.srx", rules)
        .args([
            "segment",
            "standard.txt",
            "--srx",
            "omegat-defaultRules.srx",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Lossless: each paragraph's segments concatenate back to it.
    let text = std::fs::read_to_string(fixture_path("segment/standard.txt")).unwrap();
    let paragraphs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let joined: Vec<String> = run
        .stdout
        .split("\n\n")
        .map(|p| p.lines().collect())
        .collect();
    assert_eq!(joined, paragraphs);
    bitext_snapshot!(run, run.stdout);
}

#[test]
fn malformed_srx_is_a_one_line_error_naming_file_and_line() {
    let srx = "<?xml version=\"1.0\"?>\n<srx version=\"2.0\"><header/><body>\n<languagerules>\n\
               <languagerule languagerulename=\"zh\">\n\
               <rule><beforebreak>[。！？</beforebreak></rule>\n\
               </languagerule></languagerules>\n\
               <maprules><languagemap languagepattern=\"zh.*\" languagerulename=\"zh\"/></maprules>\n\
               </body></srx>\n";
    let (run, _dir) = Bitext::new()
        .file("in.txt", "你好。再见。\n")
        .file("rules.srx", srx)
        .args(["segment", "in.txt", "--srx", "rules.srx"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: rules.srx:5: beforebreak `[。！？` cannot be used: unclosed character class\n"
    );

    let (run, _dir) = Bitext::new()
        .file("in.txt", "你好。\n")
        .file(
            "rules.srx",
            "<srx version=\"2.0\">\n<header/>\n<body>\n</srx>\n",
        )
        .args(["segment", "in.txt", "--srx", "rules.srx"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: rules.srx:4: not well-formed XML: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

fn any_text() -> impl Strategy<Value = String> {
    // Arbitrary Unicode, and text dense in the characters the rules look at.
    let tricky = prop::collection::vec(
        prop::sample::select(vec![
            "中", "文", ".", "。", "'", "\"", "“", "”", "…", "1", "2", "a", "Z", " ", "\u{3000}",
            "！", "？", "\n", "\r\n", "\r", "（", "）", "一", ":", "%", "「", "」", "!", "?",
            "\u{feff}", "\0",
        ]),
        0..80,
    )
    .prop_map(|v| v.concat());
    prop_oneof![any::<String>(), tricky]
}

proptest! {
    #[test]
    fn segmentation_is_lossless(text in any_text(), mode in prop::sample::select(vec![
        Punctuation::Auto, Punctuation::Normalized, Punctuation::Standard,
    ])) {
        let doc = Segmenter::new(mode).document("-", "UTF-8", &text);
        for p in &doc.paragraphs {
            let joined: String = p.segments.iter().map(|s| s.text.as_str()).collect();
            prop_assert_eq!(&joined, &text[p.span.clone()]);
            prop_assert!(!p.segments.is_empty());
            for s in &p.segments {
                prop_assert_eq!(&text[s.span.clone()], s.text.as_str());
                prop_assert!(!s.text.is_empty());
            }
        }
        // Every non-blank character lands in exactly one segment.
        let covered: usize = doc.segments().map(|s| s.text.chars().filter(|c| !c.is_whitespace()).count()).sum();
        let expected = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{feff}').count();
        let boms_inside: usize = doc.segments().map(|s| s.text.matches('\u{feff}').count()).sum();
        prop_assert_eq!(covered, expected + boms_inside);
    }
}

/// A text read in chunks (inputs over a megabyte are) segments exactly as the
/// same text read whole: ids, paragraphs, lines and byte spans.
#[test]
fn chunked_reading_matches_whole_reading() {
    let article = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let mut text = String::new();
    let endings = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"];
    let mut n = 0;
    while text.len() < 3 << 20 {
        for line in article.lines() {
            text.push_str(line);
            text.push_str(endings[n % endings.len()]);
            n += 1;
        }
    }
    let (run, _dir) = Bitext::new()
        .file("big.txt", &text)
        .args(["segment", "big.txt", "--format", "jsonl"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = Segmenter::default().document("big.txt", "UTF-8", &text);
    let mut lines = run.stdout.lines();
    for s in doc.segments() {
        let v: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(v["id"], s.id.0);
        assert_eq!(v["paragraph"], s.paragraph);
        assert_eq!(v["line"], s.line);
        assert_eq!(v["start"], s.span.start);
        assert_eq!(v["text"], s.text.as_str());
    }
    assert!(lines.next().is_none());
    assert!(doc.segment_count() > 80_000);
}
