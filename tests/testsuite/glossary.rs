//! Glossary matching on the reference article, through the public API.

use bitext::glossary::Glossary;
use bitext::segment::Segmenter;

use crate::harness::fixture_path;

#[test]
fn annotations_on_the_reference_article() {
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let doc = Segmenter::default().document("article.txt", "UTF-8", &text);
    let glossary = Glossary::bundled().unwrap();
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
