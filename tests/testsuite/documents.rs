//! Documents in, documents out (issue 12): Markdown and text inputs, their
//! translated (`doc`) and bilingual documents, and inline codes through the
//! dictionary, an OpenAI-compatible server that mangles them, TMX, XLIFF and
//! the review round trip. The structure of the documents is checked with an
//! independent parser (markdown-it-py, in the test Python).

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::{MockServer, Request};

use crate::harness::{
    Bitext, Run, assert_contains, assert_valid_tmx, assert_valid_xliff, chat_reply, chat_segments,
    chat_server, jsonl, run_async_code,
};

/// What markdown-it-py sees in a Markdown text (front matter cut off
/// first): the block structure, link targets, image sources, inline code,
/// code blocks, and the text outside code.
const STRUCTURE: &str = r#"
import json, sys
from markdown_it import MarkdownIt
text = open(sys.argv[1], encoding="utf-8").read()
front = ""
if text.startswith("---\n"):
    end = text.index("\n---\n", 4) + 5
    front, text = text[:end], text[end:]
md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
out = {"front": front, "blocks": [], "links": [], "images": [], "code": [], "fences": [], "text": [], "emphasis": 0}
for t in md.parse(text):
    if t.type.endswith("_open") or t.type in ("fence", "code_block", "hr", "html_block"):
        out["blocks"].append(t.type + (":" + t.tag if t.type == "heading_open" else ""))
    if t.type in ("fence", "code_block"):
        out["fences"].append(t.content)
    for c in t.children or []:
        if c.type == "link_open":
            out["links"].append(c.attrs.get("href"))
        elif c.type == "image":
            out["images"].append(c.attrs.get("src"))
            out["text"].append(c.content)
        elif c.type == "code_inline":
            out["code"].append(c.content)
        elif c.type == "text":
            out["text"].append(c.content)
        elif c.type in ("em_open", "strong_open"):
            out["emphasis"] += 1
print(json.dumps(out, ensure_ascii=False))
"#;

/// The structure of the Markdown file at `path` (see [`STRUCTURE`]).
fn structure(path: &Path) -> Value {
    crate::harness::python_json(STRUCTURE, path)
}

pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Check that `translated` has the structure of `source`: the same blocks,
/// links, images, inline code, code blocks and front matter, and (with
/// `no_han`) no Han character in its text.
fn assert_same_structure(source: &Value, translated: &Value, no_han: bool) {
    for key in ["front", "blocks", "links", "images", "code", "fences"] {
        assert_eq!(source[key], translated[key], "{key} differ");
    }
    assert!(
        translated["emphasis"].as_u64() >= Some(1),
        "{}",
        translated["emphasis"]
    );
    if no_han {
        let han: Vec<&Value> = translated["text"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| has_han(t.as_str().unwrap()))
            .collect();
        assert!(han.is_empty(), "Han left: {han:?}");
    }
}

fn article() -> Bitext {
    Bitext::new().fixture("documents/article.md", "article.md")
}

/// The review outputs of the article translated in `run`: its TMX, valid
/// TMX 1.4, and its JSONL units, which show the heading's inline code as
/// markers, none flagged for its tags; its XLIFF must be valid XLIFF 2.0.
pub fn article_review_outputs(run: &Run) -> (String, Vec<Value>) {
    assert_valid_tmx(&run.dir.join("output/article.tmx"));
    assert_valid_xliff(&run.dir.join("output/article.xlf"));
    let units = jsonl(&run.dir.join("output/article.jsonl"));
    assert!(
        units
            .iter()
            .any(|u| u["source"] == "城市⟨1⟩绿化⟨/1⟩工作报告")
    );
    assert!(
        units
            .iter()
            .all(|u| !u["flags"].to_string().contains("tag-mismatch")),
        "{units:?}"
    );
    (run.read("output/article.tmx"), units)
}

/// `translate` of the fixture `documents/article.EXT` in every format a
/// document has; the outputs must be just its translated
/// (`article.en.EXT`) and bilingual (`article.zh-en.EXT`) documents, TMX,
/// XLIFF and JSONL.
pub fn article_in_every_format(ext: &str) -> (Run, tempfile::TempDir) {
    let name = format!("article.{ext}");
    let (run, dir) = Bitext::translate_fixture(&format!("documents/{name}"), &name)
        .args(["--formats", "doc,bilingual,tmx,xliff,jsonl"])
        .run_ok();
    assert_eq!(
        run.files("output"),
        [
            format!("article.en.{ext}"),
            "article.jsonl".into(),
            "article.tmx".into(),
            "article.xlf".into(),
            format!("article.zh-en.{ext}"),
        ]
    );
    (run, dir)
}

#[test]
fn markdown_article_gets_doc_and_bilingual_with_its_structure() {
    let (run, _dir) = article_in_every_format("md");
    let source = structure(&run.dir.join("article.md"));
    let doc = structure(&run.dir.join("output/article.en.md"));
    assert_same_structure(&source, &doc, true);
    assert_eq!(
        source["links"],
        json!(["https://example.org/parks", "https://example.org/green"])
    );
    assert_eq!(source["fences"].as_array().unwrap().len(), 1);
    // The bilingual document: every source block, then its translation.
    let bilingual = run.read("output/article.zh-en.md");
    let original = run.read("article.md");
    for line in [
        "# 城市*绿化*工作报告",
        "| 东城区<br>",
        "> 绿化是一项长期工作。",
    ] {
        assert!(bilingual.contains(line), "{line} missing:\n{bilingual}");
    }
    let both = structure(&run.dir.join("output/article.zh-en.md"));
    let count = |v: &Value, kind: &str| {
        v["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b.as_str().unwrap().starts_with(kind))
            .count()
    };
    assert_eq!(
        count(&both, "heading_open"),
        2 * count(&source, "heading_open")
    );
    assert_eq!(count(&both, "td_open"), count(&source, "td_open"));
    assert_eq!(both["fences"], source["fences"]);
    assert!(original.len() < bilingual.len());
    // Inline codes in the review outputs: TMX 1.4 and XLIFF 2.0, valid.
    let (tmx, _) = article_review_outputs(&run);
    assert!(
        tmx.contains(r#"<bpt i="1" x="1">*</bpt>绿化<ept i="1">*</ept>"#),
        "{tmx}"
    );
    assert_contains(&tmx, "<ph x=\"3\">`green --report`</ph>");
    let xliff = run.read("output/article.xlf");
    assert!(xliff.contains(r#"<data id="d2o">[</data>"#), "{xliff}");
    assert!(
        xliff.contains(r#"<pc id="1" dataRefStart="d1o" dataRefEnd="d1c">"#),
        "{xliff}"
    );
}

#[test]
fn text_input_gets_a_doc_with_its_paragraphs_and_blank_lines() {
    let text = "第一段。第二句。\n\n第二段。\n\n\n  第三段。\n";
    let (run, _dir) = Bitext::translate("notes.txt", text)
        .args(["--formats", "doc,bilingual"])
        .run_ok();
    let doc = run.read("output/notes.en.txt");
    let blank = |t: &str| -> Vec<bool> { t.lines().map(|l| l.trim().is_empty()).collect() };
    assert_eq!(blank(&doc), blank(text), "{doc}");
    assert!(!has_han(&doc), "{doc}");
    assert!(doc.lines().nth(5).unwrap().starts_with("  "), "{doc}");
    let bilingual = run.read("output/notes.zh-en.txt");
    assert_eq!(
        bilingual.lines().count(),
        text.lines().count() + 3,
        "{bilingual}"
    );
    assert_eq!(bilingual.lines().next(), Some("第一段。第二句。"));
}

#[test]
fn directories_pick_up_markdown_and_html_and_input_format_overrides() {
    let (run, _dir) = article()
        .file("in/a.txt", "一句话。\n")
        .file("in/b.markdown", "# 标题\n")
        .file("in/c.html.bak", "不读。\n")
        .file("in/d.html", "<p>一句话。</p>\n")
        .file("in/e.HTM", "<h1>标题</h1>\n")
        .args(["translate", "in", "--formats", "doc"])
        .run_ok();
    assert_eq!(
        run.files("output"),
        ["a.en.txt", "b.en.markdown", "d.en.html", "e.en.HTM"]
    );
    assert_eq!(run.read("output/b.en.markdown"), "# Title\n");
    assert_eq!(run.read("output/e.en.HTM"), "<h1>Title</h1>\n");
    // A text file read as Markdown, and as HTML.
    for (format, text, doc, start) in [
        ("markdown", "**重要**的话。\n", "output/notes.en.md", "**"),
        (
            "html",
            "<p><b>重要</b>的话。</p>\n",
            "output/notes.en.html",
            "<p><b>",
        ),
    ] {
        let (run, _dir) = Bitext::translate("notes.txt", text)
            .args(["--formats", "doc"])
            .args(["--input-format", format])
            .run_ok();
        assert!(run.read(doc).starts_with(start), "{}", run.read(doc));
    }
}

/// An OpenAI-compatible server that translates (each run of Han becomes a
/// word) and mangles the tags of inline codes: it drops one, repeats one or
/// puts a closing tag first, by segment id. Records the ids it mangled.
pub async fn mangling_openai(mangled: Arc<Mutex<HashSet<u64>>>) -> MockServer {
    chat_server(move |request: &Request| {
        let translations: Vec<Value> = chat_segments(request)
            .iter()
            .map(|s| {
                let id = s["id"].as_u64().unwrap();
                let text = english(s["text"].as_str().unwrap());
                let bad = mangle(&text, id);
                if bad != text {
                    mangled.lock().unwrap().insert(id);
                }
                json!({"id": id, "text": bad})
            })
            .collect();
        chat_reply(&json!({ "translations": translations }).to_string(), "stop")
    })
    .await
}

/// "Translate": each run of Han characters becomes "green", Chinese
/// punctuation becomes English; tags and everything else stay.
fn english(xml: &str) -> String {
    let mut out = String::new();
    let mut in_han = false;
    for c in xml.chars() {
        if has_han(&c.to_string()) {
            if !in_han {
                out.push_str("green");
            }
            in_han = true;
            continue;
        }
        in_han = false;
        match c {
            '，' | '、' => out.push_str(", "),
            '。' => out.push('.'),
            c => out.push(c),
        }
    }
    out
}

/// Drop the first tag (id % 3 == 1), repeat it (id % 3 == 2), or put the
/// first closing `</g>` before everything (id % 3 == 0).
fn mangle(text: &str, id: u64) -> String {
    let Some(start) = text.find("<g ").or_else(|| text.find("<x id=\"c")) else {
        return text.to_string();
    };
    let end = start + text[start..].find('>').unwrap() + 1;
    let tag = &text[start..end];
    match id % 3 {
        1 => format!("{}{}", &text[..start], &text[end..]),
        2 => format!("{}{tag}{tag}{}", &text[..start], &text[end..]),
        _ => match text.find("</g>") {
            Some(close) => format!("</g>{}{}", &text[..close], &text[close + 4..]),
            None => text.to_string(),
        },
    }
}

/// Translate `input` (in the working directory of `bitext`) through a
/// model that mangles inline codes ([`mangling_openai`]), to `doc`, JSONL,
/// TMX and XLIFF; checks that the run succeeds, that at least three units
/// were mangled and that exactly those are flagged `tag-mismatch`, and that
/// the TMX and XLIFF are valid. Returns the requests, the run and its
/// units.
pub async fn translate_through_a_mangling_model(
    bitext: Bitext,
    input: &str,
) -> (
    Vec<wiremock::Request>,
    crate::harness::Run,
    tempfile::TempDir,
    Vec<Value>,
) {
    let mangled = Arc::new(Mutex::new(HashSet::new()));
    let server = mangling_openai(mangled.clone()).await;
    let base = format!("{}/v1", server.uri());
    let (run, dir) = run_async_code(
        bitext.args([
            "translate",
            input,
            "--formats",
            "doc,jsonl,tmx,xliff",
            "--backend",
            "openai",
            "--base-url",
            &base,
            "--model",
            "m",
            "--no-glossary",
        ]),
        0,
    )
    .await;
    let mangled = mangled.lock().unwrap().clone();
    assert!(mangled.len() >= 3, "{mangled:?}");
    let stem = input.rsplit_once('.').map_or(input, |(stem, _)| stem);
    let units = jsonl(&run.dir.join(format!("output/{stem}.jsonl")));
    let flagged: HashSet<u64> = units
        .iter()
        .filter(|u| u["flags"].to_string().contains("tag-mismatch"))
        .map(|u| u["id"].as_u64().unwrap())
        .collect();
    assert_eq!(flagged, mangled);
    assert_valid_tmx(&run.dir.join(format!("output/{stem}.tmx")));
    assert_valid_xliff(&run.dir.join(format!("output/{stem}.xlf")));
    let requests = server.received_requests().await.unwrap();
    (requests, run, dir, units)
}

#[tokio::test(flavor = "multi_thread")]
async fn mangled_codes_from_a_language_model_are_repaired_and_flagged() {
    let (requests, run, _dir, units) =
        translate_through_a_mangling_model(article(), "article.md").await;
    // The model got the codes as tags, with the instruction to keep them.
    let sent = chat_segments(&requests[0]);
    assert_eq!(sent[0]["text"], r#"城市<g id="c1">绿化</g>工作报告"#);
    let body = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert_contains(&body, "every pair <g id=");
    // Every code back exactly once, and the document keeps its structure.
    for unit in &units {
        let source = unit["source"].as_str().unwrap();
        let target = unit["target"].as_str().unwrap();
        let markers = |t: &str| {
            let mut m: Vec<String> = t
                .split('⟨')
                .skip(1)
                .map(|p| p.split('⟩').next().unwrap().to_string())
                .collect();
            m.sort();
            m
        };
        assert_eq!(markers(source), markers(target), "{unit}");
    }
    let source = structure(&run.dir.join("article.md"));
    let doc = structure(&run.dir.join("output/article.en.md"));
    assert_same_structure(&source, &doc, true);
}

#[test]
fn a_reviewed_xliff_with_codes_comes_back_into_the_document() {
    let (run, dir) = Bitext::translate_fixture("documents/article.md", "article.md")
        .args(["--formats", "doc,xliff,jsonl", "--cache", "tm.redb"])
        .run_ok();
    let xliff = run.read("output/article.xlf");
    // The reviewer rewrites the heading, keeping its code.
    let start = xliff.find("<target>").unwrap();
    let end = start + xliff[start..].find("</target>").unwrap() + "</target>".len();
    let reviewed = format!(
        "{}<target>Report on <pc id=\"1\" dataRefStart=\"d1o\" dataRefEnd=\"d1c\">greening</pc> the city</target>{}",
        &xliff[..start],
        &xliff[end..]
    );
    std::fs::write(run.dir.join("output/article.xlf"), reviewed).unwrap();
    let (_, dir) = Bitext::import(dir, "output/article.xlf").run_ok();
    let (run, _dir) = Bitext::in_dir(dir)
        .args([
            "translate",
            "article.md",
            "--formats",
            "doc",
            "--cache",
            "tm.redb",
            "--force",
        ])
        .run_ok();
    let doc = run.read("output/article.en.md");
    assert_contains(&doc, "\n# Report on *greening* the city\n");
}

#[test]
fn markdown_link_and_image_titles_are_translated() {
    let (run, _dir) = Bitext::new()
        .file(
            "note.md",
            "详见[园林局](https://example.org/parks \"园林局的主页\")。\n\n![公园](park.jpg '城市公园')\n",
        )
        .args(["translate", "note.md", "--formats", "doc,bilingual,jsonl"])
        .run_ok();
    let doc = run.read("output/note.en.md");
    assert!(
        doc.contains("(https://example.org/parks \"Gardens bureau's home page\")"),
        "{doc}"
    );
    assert!(doc.contains("(park.jpg 'City park')"), "{doc}");
    assert!(!has_han(&doc), "{doc}");
    let bilingual = run.read("output/note.zh-en.md");
    assert!(
        bilingual.contains("\"园林局的主页 / Gardens bureau's home page\""),
        "{bilingual}"
    );
    let units = jsonl(&run.dir.join("output/note.jsonl"));
    assert!(
        units.iter().any(|u| u["source"] == "园林局的主页"),
        "{units:?}"
    );
}
