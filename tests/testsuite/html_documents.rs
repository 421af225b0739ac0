//! HTML documents in, HTML documents out (issue 12): the translated (`doc`)
//! and bilingual documents of an HTML article, checked with an independent
//! parser (Python's `html.parser`), through the dictionary and through an
//! OpenAI-compatible server that mangles inline codes; TMX and XLIFF with
//! the codes, valid.

use std::path::Path;

use serde_json::Value;

use crate::documents::{
    article_in_every_format, article_review_outputs, has_han, translate_through_a_mangling_model,
};
use crate::harness::Bitext;

/// What Python's `html.parser` sees in an HTML file: how many of each
/// element, link targets, image sources and alt texts, the `lang` of
/// `<html>`, the translations of a bilingual document, and the text
/// outside what is never translated.
const STRUCTURE: &str = r#"
import json, sys
from html.parser import HTMLParser
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LEFT = {"pre", "code", "script", "style"}
class Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = {"tags": {}, "hrefs": [], "srcs": [], "alts": [], "lang": None,
                    "translations": 0, "text": [], "titles": []}
        self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.out["tags"][tag] = self.out["tags"].get(tag, 0) + 1
        if tag == "a": self.out["hrefs"].append(a.get("href"))
        if tag == "img":
            self.out["srcs"].append(a.get("src"))
            self.out["alts"].append(a.get("alt"))
        if tag == "html": self.out["lang"] = a.get("lang")
        if "bitext-translation" in (a.get("class") or ""): self.out["translations"] += 1
        if "title" in a: self.out["titles"].append(a["title"])
        if tag not in VOID:
            self.stack.append((tag, a.get("translate") == "no"))
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag: break
    def handle_data(self, data):
        if any(t in LEFT or no for t, no in self.stack): return
        if data.strip(): self.out["text"].append(data.strip())
p = Structure()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
print(json.dumps(p.out, ensure_ascii=False))
"#;

/// The structure of the HTML file at `path` (see [`STRUCTURE`]).
fn structure(path: &Path) -> Value {
    crate::harness::python_json(STRUCTURE, path)
}

/// The stretches of the fixture that must come back byte for byte.
const KEPT: &[(&str, &str)] = &[
    ("<pre>", "</pre>"),
    ("<script>", "</script>"),
    ("<style>", "</style>"),
    ("<p translate=\"no\">", "</p>"),
    ("<code>", "</code>"),
    ("<!DOCTYPE", "<meta name="),
];

fn kept(source: &str) -> Vec<&str> {
    KEPT.iter()
        .map(|(start, end)| {
            let a = source.find(start).unwrap();
            let b = a + source[a..].find(end).unwrap() + end.len();
            &source[a..b]
        })
        .collect()
}

/// `translated` has the structure of `source`: the same elements, links,
/// images, what is left alone byte for byte; alt texts translated, and (with
/// `no_han`) no Han outside what is left alone.
fn assert_same_structure(source_path: &Path, translated_path: &Path, no_han: bool) {
    let source = structure(source_path);
    let doc = structure(translated_path);
    for key in ["tags", "hrefs", "srcs"] {
        assert_eq!(source[key], doc[key], "{key} differ");
    }
    assert_eq!(source["lang"], "zh-CN");
    assert_eq!(doc["lang"], "en-US");
    let original = std::fs::read_to_string(source_path).unwrap();
    let translated = std::fs::read_to_string(translated_path).unwrap();
    for stretch in kept(&original) {
        let stretch = stretch.replace("lang=\"zh-CN\"", "lang=\"en-US\"");
        assert!(
            translated.contains(&stretch),
            "{stretch} changed:\n{translated}"
        );
    }
    if no_han {
        for key in ["text", "alts", "titles"] {
            let han: Vec<&Value> = doc[key]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| has_han(t.as_str().unwrap_or("")))
                .collect();
            assert!(han.is_empty(), "Han left in {key}: {han:?}\n{translated}");
        }
        assert!(
            !has_han(&translated[..translated.find("<style>").unwrap()]),
            "{translated}"
        );
    }
}

fn article() -> Bitext {
    Bitext::new().fixture("documents/article.html", "article.html")
}

#[test]
fn html_article_gets_doc_and_bilingual_with_its_structure() {
    let (run, _dir) = article_in_every_format("html");
    let source_path = run.dir.join("article.html");
    let doc_path = run.dir.join("output/article.en.html");
    assert_same_structure(&source_path, &doc_path, true);
    let doc = run.read("output/article.en.html");
    // Entities escaped again: the link's target as it was, text escaped.
    assert!(
        doc.contains("<a href=\"https://example.org/parks?a=1&amp;b=2\" title=\"Gardens bureau's home page\">"),
        "{doc}"
    );
    assert!(doc.contains(" &lt; "), "{doc}");
    assert!(doc.contains(" &amp; "), "{doc}");
    // The bilingual document: the source, each block followed by its
    // translation in the target language.
    let source = structure(&source_path);
    let both = structure(&run.dir.join("output/article.zh-en.html"));
    let bilingual = run.read("output/article.zh-en.html");
    let count = |v: &Value, tag: &str| v["tags"][tag].as_u64().unwrap_or(0);
    assert_eq!(count(&both, "h1"), 2 * count(&source, "h1"));
    assert_eq!(count(&both, "td"), count(&source, "td"));
    // An image alone is not repeated: its alt text holds both languages.
    assert_eq!(count(&both, "img"), count(&source, "img"));
    assert_eq!(both["alts"][0], "城市公园的照片 / city park's photograph");
    assert_eq!(both["lang"], "zh-CN");
    assert!(both["translations"].as_u64() >= Some(12), "{bilingual}");
    assert!(
        bilingual.contains("<h1 lang=\"en-US\" class=\"bitext-translation\">"),
        "{bilingual}"
    );
    for stretch in kept(&run.read("article.html")) {
        assert!(bilingual.contains(stretch), "{stretch} changed");
    }
    // Inline codes in the review outputs, valid.
    let (tmx, units) = article_review_outputs(&run);
    assert!(
        tmx.contains(r#"<bpt i="1" x="1">&lt;em&gt;</bpt>绿化<ept i="1">&lt;/em&gt;</ept>"#),
        "{tmx}"
    );
    assert!(
        tmx.contains("&lt;code&gt;green --report&lt;/code&gt;</ph>"),
        "{tmx}"
    );
    assert!(units.iter().any(|u| u["source"] == "措施一览"));
    assert!(units.iter().any(|u| u["source"] == "⟨1⟩城市公园的照片⟨/1⟩"));
}

#[tokio::test(flavor = "multi_thread")]
async fn mangled_codes_in_html_are_repaired_and_flagged() {
    let (_, run, _dir, _) = translate_through_a_mangling_model(article(), "article.html").await;
    assert_same_structure(
        &run.dir.join("article.html"),
        &run.dir.join("output/article.en.html"),
        true,
    );
}
