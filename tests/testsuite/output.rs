//! The outputs: valid TMX, GFM tables that hold, JSONL; nothing lost; the
//! committed `output/` is current.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use quick_xml::events::Event as XmlEvent;

use crate::harness::{Bitext, Run, assert_valid_tmx, fixture_path, repo_path};

/// The TMX `<seg>` texts, per language, in document order.
fn tmx_segs(path: &Path) -> (Vec<String>, Vec<String>) {
    tmx_segs_of(&std::fs::read_to_string(path).unwrap())
}

/// The `<seg>` texts of a TMX document, per language, in document order.
fn tmx_segs_of(xml: &str) -> (Vec<String>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut src, mut tgt) = (Vec::new(), Vec::new());
    let mut lang = String::new();
    let mut in_seg = false;
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            XmlEvent::Start(e) if e.name().as_ref() == b"tuv" => {
                let attr = e.try_get_attribute("xml:lang").unwrap().unwrap();
                lang = attr.unescape_value().unwrap().into_owned();
            }
            XmlEvent::Start(e) if e.name().as_ref() == b"seg" => {
                in_seg = true;
                text.clear();
            }
            XmlEvent::Text(t) if in_seg => text.push_str(&t.decode().unwrap()),
            XmlEvent::GeneralRef(r) if in_seg => text.push_str(crate::harness::entity(&r)),
            XmlEvent::End(e) if e.name().as_ref() == b"seg" => {
                in_seg = false;
                if lang == "zh-CN" {
                    src.push(text.clone());
                } else {
                    tgt.push(text.clone());
                }
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    (src, tgt)
}

/// The body rows of every segment table (`| # | 中文 | English | Notes |`),
/// as cell texts; panics on raw HTML.
fn md_rows(markdown: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row: Option<Vec<String>> = None;
    let mut cell = String::new();
    let mut in_head = false;
    let mut head: Vec<String> = Vec::new();
    let mut segment_table = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in Markdown: {h}"),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                head.clear();
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                segment_table = head == ["#", "中文", "English", "Notes"];
            }
            Event::Start(Tag::TableRow) => row = Some(Vec::new()),
            Event::End(TagEnd::TableRow) if segment_table => rows.extend(row.take()),
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) if in_head => head.push(cell.clone()),
            Event::End(TagEnd::TableCell) => {
                if let Some(r) = row.as_mut() {
                    r.push(cell.clone());
                }
            }
            Event::Text(t) | Event::Code(t) => cell.push_str(&t),
            _ => {}
        }
    }
    rows
}

fn jsonl_units(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every source segment appears exactly once, in order, in each output.
fn assert_nothing_lost(run: &Run, stem: &str, sources: &[String]) {
    let (tmx_src, _) = tmx_segs(&run.dir.join(format!("output/{stem}.tmx")));
    assert_eq!(tmx_src, sources, "TMX sources");
    let rows = md_rows(&run.read(&format!("output/{stem}.md")));
    let md_src: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(md_src, sources, "Markdown source column");
    let units = jsonl_units(&run.read(&format!("output/{stem}.jsonl")));
    let json_src: Vec<&str> = units
        .iter()
        .map(|u| u["source"].as_str().unwrap())
        .collect();
    assert_eq!(json_src, sources, "JSONL sources");
    let ids: Vec<u64> = units.iter().map(|u| u["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (1..=sources.len() as u64).collect::<Vec<_>>());
}

fn segments_of(text: &str) -> Vec<String> {
    bitext::segment::Segmenter::default()
        .document("-", "UTF-8", text)
        .segments()
        .map(|s| s.content().to_string())
        .collect()
}

#[test]
fn reference_article_outputs_are_valid_and_complete() {
    let (run, _dir) = Bitext::translate_fixture("article.txt", "article.txt").run_ok();
    assert_valid_tmx(&run.dir.join("output/article.tmx"));
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    let sources = segments_of(&text);
    assert_eq!(sources.len(), 438);
    assert_nothing_lost(&run, "article", &sources);
    // Translations line up with their sources in every output.
    let (_, tmx_tgt) = tmx_segs(&run.dir.join("output/article.tmx"));
    let units = jsonl_units(&run.read("output/article.jsonl"));
    let json_tgt: Vec<&str> = units
        .iter()
        .map(|u| u["target"].as_str().unwrap())
        .collect();
    assert_eq!(tmx_tgt, json_tgt);
    assert!(units.iter().all(|u| u["backend"] == "dictionary"));
}

#[test]
fn hostile_text_keeps_every_output_valid() {
    let hostile = [
        "标题 <script>alert(1)</script> & \"引号\" 'x'.",
        "管道|符号`反引号` **粗体** _斜体_ [链接](http://e.x) ![图](x.png) # 标题.",
        "控制\u{1}字符\u{0}和\u{1b}转义\u{ffff}.CDATA]]>结束.",
        "反斜杠\\|转义\\\\.&amp;实体&#x41;.",
        "<!-- 注释 --> <div>块</div>.",
    ]
    .join("\n");
    let (run, _dir) = Bitext::translate("hostile.txt", &hostile)
        .args(["--no-glossary"])
        .run_ok();
    assert_valid_tmx(&run.dir.join("output/hostile.tmx"));
    let mut sources = segments_of(&hostile);
    for s in &mut sources {
        s.retain(|c| !(c < ' ' || c == '\u{ffff}'));
    }
    assert_nothing_lost(&run, "hostile", &sources);
    let units = jsonl_units(&run.read("output/hostile.jsonl"));
    let flagged: Vec<&serde_json::Value> = units
        .iter()
        .filter(|u| {
            u["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["kind"] == "control-char-removed")
        })
        .collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(
        flagged[0]["flags"][0]["detail"],
        "source: U+0001 U+0000 U+001B U+FFFF"
    );
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    let run = |_: u8| {
        let (run, dir) = Bitext::translate_fixture("article.txt", "article.txt").run();
        let files: Vec<Vec<u8>> = ["tmx", "md", "jsonl"]
            .iter()
            .map(|e| std::fs::read(run.dir.join(format!("output/article.{e}"))).unwrap())
            .collect();
        drop(dir);
        files
    };
    assert_eq!(run(1), run(2));
}

/// `output/` holds the reference article's outputs made with the default
/// backend; this fails when they are stale. Regenerate them with the README's
/// first command (add `--force`).
#[test]
fn committed_outputs_are_current() {
    // The outputs name the input by its path as given, as the command in
    // the message below gives it.
    let (run, _dir) = Bitext::translate_fixture("article.txt", "examples/article.txt").run_ok();
    for ext in ["tmx", "md", "jsonl", "html"] {
        let fresh = run.read(&format!("output/article.{ext}"));
        let committed = std::fs::read_to_string(repo_path(&format!("output/article.{ext}")))
            .unwrap_or_default();
        assert!(
            fresh == committed,
            "output/article.{ext} is stale: run `cargo run --release -- translate examples/article.txt --force`"
        );
    }
    let example = std::fs::read(repo_path("examples/article.txt")).unwrap();
    assert_eq!(example, std::fs::read(fixture_path("article.txt")).unwrap());
}

mod properties {
    use async_trait::async_trait;
    use bitext::backend::{Backend, Capabilities, SegmentReply, SegmentRequest, TranslateContext};
    use bitext::output::{Format, WriteContext, write_document};
    use bitext::pipeline::{Options, Pipeline};
    use bitext::segment::Segmenter;
    use proptest::prelude::*;

    use super::{jsonl_units, md_rows, tmx_segs_of};

    /// Answers every segment with its own text reversed: hostile characters
    /// reach the target side too.
    struct Mirror;

    #[async_trait]
    impl Backend for Mirror {
        fn name(&self) -> &str {
            "mirror"
        }

        fn capabilities(&self) -> Capabilities {
            bitext::backend::dictionary::CAPABILITIES
        }

        async fn translate(
            &self,
            _: &TranslateContext,
            batch: &[SegmentRequest],
        ) -> bitext::Result<Vec<SegmentReply>> {
            Ok(batch
                .iter()
                .map(|r| SegmentReply {
                    id: r.id,
                    text: r.text.chars().rev().collect(),
                })
                .collect())
        }
    }

    fn hostile() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "中文",
            ".",
            "。",
            "'",
            "\"",
            "&",
            "<",
            ">",
            "]]>",
            "|",
            "`",
            "*",
            "_",
            "\\",
            "#",
            "<script>",
            "![x](y)",
            "[a]: b",
            "\u{0}",
            "\u{1}",
            "\u{b}",
            "\u{1b}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{fffd}",
            "\u{200b}",
            "\u{3000}",
            "\n",
            "\r\n",
            "\r",
            " ",
            "\t",
            "&amp;",
            "---",
            "| --- |",
            "\u{feff}",
            "创先争优",
            "1.05亿元",
        ]);
        prop_oneof![
            any::<String>(),
            prop::collection::vec(pieces, 1..60).prop_map(|v| v.concat()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Any input: every output parses, and carries every segment once, in order.
        #[test]
        fn outputs_parse_and_keep_every_segment(text in hostile()) {
            let doc = Segmenter::default().document("-", "UTF-8", &text);
            prop_assume!(doc.segment_count() > 0);
            let pipeline = Pipeline::new(
                Segmenter::default(),
                Some(bitext::glossary::Glossary::bundled().unwrap()),
                Box::new(Mirror),
                Options::default(),
            );
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let units = runtime.block_on(pipeline.translate(&doc)).unwrap();
            let sources: Vec<String> = units.iter().map(|u| u.source.clone()).collect();
            let targets: Vec<String> = units.iter().map(|u| u.target.clone()).filter(|t| !t.is_empty()).collect();
            let ctx = WriteContext::new("hostile.txt", "zh-CN", "en-US", "mirror");
            let render = |format: Format| {
                let mut out = Vec::new();
                write_document(format.writer().as_ref(), &ctx, &units, None, &mut out).unwrap();
                String::from_utf8(out).unwrap()
            };
            let (tmx_src, tmx_tgt) = tmx_segs_of(&render(Format::Tmx));
            prop_assert_eq!(&tmx_src, &sources);
            prop_assert_eq!(&tmx_tgt, &targets);
            let rows = md_rows(&render(Format::Md));
            prop_assert_eq!(rows.len(), units.len());
            for (row, unit) in rows.iter().zip(&units) {
                prop_assert_eq!(&row[0], &unit.id.to_string());
                prop_assert_eq!(row[1].trim(), unit.source.trim());
                prop_assert_eq!(row[2].trim(), unit.target.trim());
            }
            let lines = jsonl_units(&render(Format::Jsonl));
            let json_src: Vec<&str> = lines.iter().map(|u| u["source"].as_str().unwrap()).collect();
            prop_assert_eq!(json_src, sources.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}
