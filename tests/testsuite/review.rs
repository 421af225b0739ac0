//! Issue 7: review the aligned output and feed the review back.
//!
//! (The QA flags' precision and recall are in [`crate::qa`].)

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::harness::{
    Bitext, Run, assert_contains, assert_valid_tmx, assert_valid_xliff, chat_segments,
    fixture_path, jsonl, python, run_async_code, translating_server,
};

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
        .run_ok();
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
pub(crate) struct XliffUnit {
    pub(crate) id: String,
    pub(crate) state: String,
    pub(crate) source: String,
    pub(crate) target: Option<String>,
    pub(crate) glossary_notes: usize,
    pub(crate) flag_notes: Vec<String>,
}

/// Parse the units of an XLIFF 2.0 document (independently of bitext's reader).
pub(crate) fn xliff_units(xml: &str) -> Vec<XliffUnit> {
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
            Event::GeneralRef(r) => text.push_str(crate::harness::entity(&r)),
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

// ---------------------------------------------------------------- round trip

/// The three segments a reviewer edits in the round-trip tests (their
/// sources occur once in the article), with the edits as typed into the
/// Markdown cell and as plain text.
const EDITS: [(u32, &str, &str); 3] = [
    (
        36,
        r"More than 20 journalists from 11 central media outlets visited the Ministry \| A&amp;B &lt;ok&gt;",
        "More than 20 journalists from 11 central media outlets visited the Ministry | A&B <ok>",
    ),
    (
        121,
        "We planned to drill 111 wells.",
        "We planned to drill 111 wells.",
    ),
    (
        377,
        "Farmers' average net income is only 3,112 yuan a year.",
        "Farmers' average net income is only 3,112 yuan a year.",
    ),
];

/// An OpenAI-compatible server that translates the reference article as a
/// person would (the good translation, looked up by source text) and
/// records what it is asked.
async fn human_openai() -> MockServer {
    let good: HashMap<String, String> = jsonl(&fixture_path("review/article.good.jsonl"))
        .iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap().to_string(),
                l["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    translating_server(move |text| {
        good.get(text)
            .cloned()
            .unwrap_or_else(|| format!("EN: {text}"))
    })
    .await
}

/// The segments (id, text) a chat request asks to translate (not its
/// read-only context).
pub(crate) fn requested_segments(request: &Request) -> Vec<(u64, String)> {
    chat_segments(request)
        .iter()
        .map(|s| {
            (
                s["id"].as_u64().unwrap(),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Matches a chat request that asks to translate any of `sources`.
struct AsksFor(Vec<String>);

impl wiremock::Match for AsksFor {
    fn matches(&self, request: &Request) -> bool {
        request.body_json::<Value>().is_ok()
            && requested_segments(request)
                .iter()
                .any(|(_, text)| self.0.contains(text))
    }
}

/// Run `bitext` with `args` in `dir` (a fresh directory with the article
/// when `None`), off the async runtime; it must exit with `code`.
pub(crate) async fn bitext(
    dir: Option<tempfile::TempDir>,
    args: &[&str],
    code: i32,
) -> (Run, tempfile::TempDir) {
    let command = match dir {
        Some(dir) => Bitext::in_dir(dir),
        None => Bitext::new().fixture("article.txt", "article.txt"),
    }
    .args(args.iter().copied());
    run_async_code(command, code).await
}

/// `bitext import FILE --cache tm.redb` in `dir`: it must import three
/// reviewed translations and find the article's 435 other rows unchanged.
async fn import_three_edits(dir: tempfile::TempDir, file: &str) -> (Run, tempfile::TempDir) {
    import_reviewed(
        dir,
        file,
        "imported 3 reviewed translations, 435 unchanged, 0 rejected",
    )
    .await
}

/// `bitext import FILE --cache tm.redb` in `dir`, off the async runtime:
/// it must succeed and report `summary`.
pub(crate) async fn import_reviewed(
    dir: tempfile::TempDir,
    file: &str,
    summary: &str,
) -> (Run, tempfile::TempDir) {
    let (import, dir) = run_async_code(Bitext::import(dir, file), 0).await;
    assert_contains(&import.stdout, summary);
    (import, dir)
}

/// `translate` the article against `server` with `model`, all formats, the
/// memory in `tm.redb`.
async fn translate_with(
    dir: Option<tempfile::TempDir>,
    server: &MockServer,
    model: &str,
) -> (Run, tempfile::TempDir) {
    translate_article(dir, server, model, "tmx,md,jsonl,xliff", 0).await
}

/// `translate --force` of the article in `dir` (see [`bitext`]) against the
/// chat server `server` with `model`, into `formats`, the memory in
/// `tm.redb`; it must exit with `code`.
pub(crate) async fn translate_article(
    dir: Option<tempfile::TempDir>,
    server: &MockServer,
    model: &str,
    formats: &str,
    code: i32,
) -> (Run, tempfile::TempDir) {
    let base = format!("{}/v1", server.uri());
    bitext(
        dir,
        &[
            "translate",
            "article.txt",
            "--force",
            "--formats",
            formats,
            "--backend",
            "openai",
            "--base-url",
            &base,
            "--model",
            model,
            "--cache",
            "tm.redb",
        ],
        code,
    )
    .await
}

/// Replace the English cell of segment `id` in a Markdown review file.
fn edit_markdown(markdown: &str, id: u32, cell: &str) -> String {
    let prefix = format!("| {id} | ");
    let mut found = 0;
    let lines: Vec<String> = markdown
        .lines()
        .map(|line| {
            if !line.starts_with(&prefix) {
                return line.to_string();
            }
            found += 1;
            let cells: Vec<&str> = line.split(" | ").collect();
            assert_eq!(cells.len(), 4, "{line}");
            format!("{} | {} | {cell} | {}", cells[0], cells[1], cells[3])
        })
        .collect();
    assert_eq!(found, 1, "segment {id}");
    lines.join("\n") + "\n"
}

/// Replace the `<target>` of unit `id` in an XLIFF file.
fn edit_xliff(xliff: &str, id: u32, target: &str) -> String {
    let unit = xliff.find(&format!("<unit id=\"{id}\">")).unwrap();
    let start = unit + xliff[unit..].find("<target>").unwrap() + "<target>".len();
    let end = start + xliff[start..].find("</target>").unwrap();
    format!("{}{target}{}", &xliff[..start], &xliff[end..])
}

/// The segments of the reviewed rerun: the edited ones are carried over
/// verbatim and marked reviewed in every output, and only they.
pub(crate) fn assert_reviewed_everywhere(run: &Run, edits: &[(u32, &str)]) {
    let reviewed: BTreeMap<u32, &str> = edits.iter().copied().collect();
    // JSONL: origin and text.
    let units = jsonl(&run.dir.join("output/article.jsonl"));
    assert_eq!(units.len(), 438);
    for unit in &units {
        let id = unit["id"].as_u64().unwrap() as u32;
        match reviewed.get(&id) {
            Some(text) => {
                assert_eq!(unit["origin"], "reviewed", "JSONL {id}");
                assert_eq!(unit["backend"], "review", "JSONL {id}");
                assert_eq!(unit["target"], *text, "JSONL {id}");
            }
            None => assert_ne!(unit["origin"], "reviewed", "JSONL {id}"),
        }
    }
    // TMX: <prop type="x-origin">reviewed</prop> in exactly those <tu>s.
    let tmx = run.read("output/article.tmx");
    assert_valid_tmx(&run.dir.join("output/article.tmx"));
    let mut tmx_reviewed = Vec::new();
    for tu in tmx.split("<tu tuid=\"").skip(1) {
        let id: u32 = tu[..tu.find('"').unwrap()].parse().unwrap();
        if tu.contains(r#"<prop type="x-origin">reviewed</prop>"#) {
            tmx_reviewed.push(id);
        }
    }
    assert_eq!(
        tmx_reviewed,
        reviewed.keys().copied().collect::<Vec<_>>(),
        "TMX"
    );
    // Markdown: the English cell as edited and "✔ reviewed" in Notes.
    let markdown = run.read("output/article.md");
    let mut md_reviewed = Vec::new();
    for line in markdown.lines().filter(|l| l.contains("✔ reviewed")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let id: u32 = cells[0].trim_start_matches("| ").parse().unwrap();
        assert_eq!(
            bitext::output::markdown::unescape(cells[2]),
            reviewed[&id],
            "Markdown {id}"
        );
        md_reviewed.push(id);
    }
    assert_eq!(
        md_reviewed,
        reviewed.keys().copied().collect::<Vec<_>>(),
        "Markdown"
    );
    assert!(markdown.contains(&format!("- **Reviewed:** {} segments", reviewed.len())));
    // XLIFF: state="reviewed" in exactly those units.
    assert_valid_xliff(&run.dir.join("output/article.xlf"));
    let xliff = xliff_units(&run.read("output/article.xlf"));
    let xliff_reviewed: Vec<u32> = xliff
        .iter()
        .filter(|u| u.state == "reviewed")
        .map(|u| u.id.parse().unwrap())
        .collect();
    assert_eq!(
        xliff_reviewed,
        reviewed.keys().copied().collect::<Vec<_>>(),
        "XLIFF"
    );
    for unit in xliff.iter().filter(|u| u.state == "reviewed") {
        let id: u32 = unit.id.parse().unwrap();
        assert_eq!(unit.target.as_deref(), Some(reviewed[&id]), "XLIFF {id}");
    }
}

/// Rerun with another model (so that no machine translation in the memory
/// fits) against a server that fails any request for a reviewed segment,
/// and check that every other segment, and none of those, was requested.
pub(crate) async fn rerun_without_requests_for(
    dir: tempfile::TempDir,
    ids: &[u32],
) -> (Run, tempfile::TempDir) {
    let article = jsonl(&fixture_path("review/article.good.jsonl"));
    let sources: Vec<String> = ids
        .iter()
        .map(|&id| {
            article[id as usize - 1]["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let server = human_openai().await;
    Mock::given(method("POST"))
        .and(AsksFor(sources))
        .respond_with(ResponseTemplate::new(500))
        .with_priority(1)
        .expect(0)
        .named("requests for reviewed segments")
        .mount(&server)
        .await;
    let (run, dir) = translate_with(Some(dir), &server, "another-model").await;
    server.verify().await;
    let mut requested: Vec<u64> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .flat_map(requested_segments)
        .map(|(id, _)| id)
        .collect();
    requested.sort_unstable();
    let expected: Vec<u64> = (1..=438u64)
        .filter(|id| !ids.contains(&(*id as u32)))
        .collect();
    assert_eq!(requested, expected, "each other segment requested once");
    assert_contains(
        &run.stdout,
        &format!(
            "from translation memory: {} segments ({} reviewed)",
            ids.len(),
            ids.len()
        ),
    );
    (run, dir)
}

/// Issue 7, done when: a reviewer edits three English cells in
/// output/article.md, runs `bitext import output/article.md`, reruns
/// `bitext translate`, and sees exactly those three segments carried over
/// as reviewed, with no request made for them. Then `export-tm` writes the
/// whole memory as DTD-valid TMX with each entry's status.
#[tokio::test]
async fn markdown_round_trip_carries_three_edits_over_as_reviewed() {
    let server = human_openai().await;
    let (first, dir) = translate_with(None, &server, "first-model").await;
    assert_eq!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| requested_segments(r).len())
            .sum::<usize>(),
        438
    );
    let mut markdown = first.read("output/article.md");
    for (id, cell, _) in EDITS {
        markdown = edit_markdown(&markdown, id, cell);
    }
    std::fs::write(first.dir.join("output/article.md"), &markdown).unwrap();

    let (import, dir) = import_three_edits(dir, "output/article.md").await;
    assert_eq!(import.stderr, "");

    let (rerun, dir) = rerun_without_requests_for(dir, &[36, 121, 377]).await;
    let edits: Vec<(u32, &str)> = EDITS.iter().map(|&(id, _, text)| (id, text)).collect();
    assert_reviewed_everywhere(&rerun, &edits);

    // The rewritten Markdown imports as unchanged: nothing new to store.
    let (_, dir) = import_reviewed(
        dir,
        "output/article.md",
        "imported 0 reviewed translations, 438 unchanged, 0 rejected",
    )
    .await;

    // The whole memory as one TMX (--all): one machine entry per distinct
    // source and model (the second run had no need of the three reviewed
    // ones), and the three reviewed ones, each with its status.
    let distinct: std::collections::HashSet<String> =
        jsonl(&fixture_path("review/article.good.jsonl"))
            .iter()
            .map(|l| l["source"].as_str().unwrap().to_string())
            .collect();
    let machine = 2 * distinct.len() - 3;
    let (export, _dir) = bitext(
        Some(dir),
        &[
            "export-tm",
            "--format",
            "tmx",
            "--cache",
            "tm.redb",
            "-o",
            "tm.tmx",
            "--all",
        ],
        0,
    )
    .await;
    assert_contains(
        &export.stderr,
        &format!(
            "exported {} translations ({machine} machine, 3 reviewed)",
            machine + 3
        ),
    );
    assert_valid_tmx(&export.dir.join("tm.tmx"));
    let tmx = export.read("tm.tmx");
    assert_eq!(tmx.matches("<tu ").count(), machine + 3);
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">machine</prop>"#)
            .count(),
        machine
    );
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">reviewed</prop>"#)
            .count(),
        3
    );
    assert!(tmx.contains("<seg>More than 20 journalists from 11 central media outlets visited the Ministry | A&amp;B &lt;ok&gt;</seg>"));
    assert!(tmx.contains(r#"<prop type="x-fingerprint">"#));
}

/// The same round trip through XLIFF: targets edited in output/article.xlf
/// (as a CAT tool saves them), imported, carried over as reviewed; the
/// XLIFF of the rerun validates and translate-toolkit reads it, reviewed
/// units as approved.
#[tokio::test]
async fn xliff_round_trip_carries_three_edits_over_as_reviewed() {
    let server = human_openai().await;
    let (first, dir) = translate_with(None, &server, "first-model").await;
    let mut xliff = first.read("output/article.xlf");
    let edits = [
        (
            10,
            "The Ministry has blazed its own trail &amp; more &lt;here&gt;.",
            "The Ministry has blazed its own trail & more <here>.",
        ),
        (
            106,
            "This solved the drinking water problem of over 200,000 people.",
            "This solved the drinking water problem of over 200,000 people.",
        ),
        (
            428,
            "in 2011 the number punished fell by 44 year on year,",
            "in 2011 the number punished fell by 44 year on year,",
        ),
    ];
    for (id, target, _) in edits {
        xliff = edit_xliff(&xliff, id, target);
    }
    let path = first.dir.join("output/article.xlf");
    std::fs::write(&path, &xliff).unwrap();
    assert_valid_xliff(&path);

    let (_, dir) = import_three_edits(dir, "output/article.xlf").await;

    let (rerun, _dir) = rerun_without_requests_for(dir, &[10, 106, 428]).await;
    let plain: Vec<(u32, &str)> = edits.iter().map(|&(id, _, text)| (id, text)).collect();
    assert_reviewed_everywhere(&rerun, &plain);
    assert_translate_toolkit_reads(&rerun.dir.join("output/article.xlf"), &[10, 106, 428]);
}

/// translate-toolkit (which Pootle and Weblate use) reads the XLIFF 2.0: all
/// 438 units with their source and target, the reviewed ones approved.
/// Panics (never skips) when it is missing: `.ci/setup` installs it.
fn assert_translate_toolkit_reads(path: &std::path::Path, reviewed: &[u32]) {
    let script = r#"
import json, sys
from translate.storage import xliff2
store = xliff2.Xliff2File.parsefile(sys.argv[1])
units = [u for u in store.units if u.source]
print(json.dumps({
    "units": len(units),
    "languages": [store.getsourcelanguage(), store.gettargetlanguage()],
    "translated": sum(1 for u in units if u.istranslated()),
    "approved": [int(u.getid()) for u in units if u.isapproved()],
}))
"#;
    let python = python();
    let out = crate::harness::checked_output(
        std::process::Command::new(&python)
            .args(["-c", script])
            .arg(path),
        "python3 is needed to check XLIFF with translate-toolkit: run .ci/setup",
        &format!(
            "translate-toolkit ({}) cannot read {} (run .ci/setup, which installs it in target/venv)",
            python.display(),
            path.display()
        ),
    );
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["units"], 438);
    assert_eq!(seen["languages"], json!(["zh-CN", "en-US"]));
    assert_eq!(seen["translated"], 438);
    assert_eq!(seen["approved"], json!(reviewed));
}

/// With the default (offline dictionary) backend, which keeps no machine
/// translations, the reviewer's edits stick too: `import` stores them in
/// the default memory, and `translate` takes reviewed translations from it
/// (and stores nothing else there).
#[test]
fn reviewed_translations_stick_with_the_default_backend() {
    let (first, dir) = Bitext::translate_fixture("article.txt", "article.txt").run_ok();
    // Wherever the user's cache directory is (the harness puts it in the
    // run's directory), the dictionary backend creates no memory there.
    assert_eq!(first.find("tm.redb"), Vec::<PathBuf>::new());
    let markdown = edit_markdown(
        &first.read("output/article.md"),
        121,
        "The plan was to drill 111 wells.",
    );
    std::fs::write(first.dir.join("output/article.md"), markdown).unwrap();
    let (import, dir) = Bitext::in_dir(dir)
        .args(["import", "output/article.md"])
        .run_ok();
    assert_contains(
        &import.stdout,
        "imported 1 reviewed translation, 437 unchanged, 0 rejected",
    );
    // The default memory: the one file import names, in the user's cache
    // directory (which the harness keeps in the run's directory).
    let memory = import
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("  translation memory: "))
        .unwrap_or_else(|| panic!("no memory named: {}", import.stdout));
    let memory = Path::new(memory)
        .strip_prefix(&import.dir)
        .unwrap_or_else(|_| panic!("{memory} is not the run's own"));
    assert_eq!(import.find("tm.redb"), [memory]);
    let (rerun, dir) = Bitext::in_dir(dir)
        .args(["translate", "article.txt", "--force"])
        .run_ok();
    assert_contains(
        &rerun.stdout,
        "from translation memory: 1 segment (1 reviewed)",
    );
    assert_reviewed_everywhere_but_xliff(&rerun, 121, "The plan was to drill 111 wells.");
    // --no-cache ignores the memory, reviewed translations included.
    let (plain, dir) = Bitext::in_dir(dir)
        .args(["translate", "article.txt", "--force", "--no-cache"])
        .run();
    assert_contains(&plain.stdout, "from translation memory: 0 segments");
    // Only the reviewed entry is in the memory: the dictionary stores nothing.
    let (export, _dir) = Bitext::in_dir(dir)
        .args(["export-tm", "--format", "tmx"])
        .run_ok();
    assert_contains(
        &export.stderr,
        "exported 1 translation (0 machine, 1 reviewed)",
    );
    assert!(
        export
            .stdout
            .contains("<seg>The plan was to drill 111 wells.</seg>")
    );
}

fn assert_reviewed_everywhere_but_xliff(run: &Run, id: u32, text: &str) {
    let units = jsonl(&run.dir.join("output/article.jsonl"));
    let reviewed: Vec<u64> = units
        .iter()
        .filter(|u| u["origin"] == "reviewed")
        .map(|u| u["id"].as_u64().unwrap())
        .collect();
    assert_eq!(reviewed, [u64::from(id)]);
    assert_eq!(units[id as usize - 1]["target"], text);
    assert!(
        run.read("output/article.tmx")
            .contains(r#"<prop type="x-origin">reviewed</prop>"#)
    );
    assert!(
        run.read("output/article.md")
            .contains(&format!("| {id} | 计划打井111眼. | {text} | ✔ reviewed |"))
    );
}

/// Edits that cannot be matched are reported by line, not guessed: a changed
/// source cell, a deleted row, an added row, a duplicated row, a broken row;
/// and a review file of another source imports nothing.
#[test]
fn unmatched_edits_are_reported_by_row() {
    let (first, dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .file("other.txt", "他说.今天很好.\n")
        .args([
            "translate",
            "article.txt",
            "other.txt",
            "--cache",
            "tm.redb",
        ])
        .run_ok();
    let markdown = first.read("output/article.md");
    let mut lines: Vec<String> = markdown.lines().map(str::to_string).collect();
    let at = |lines: &[String], id: u32| {
        lines
            .iter()
            .position(|l| l.starts_with(&format!("| {id} | ")))
            .unwrap()
    };
    // Segment 5: the source cell changed (and the English).
    let i = at(&lines, 5);
    lines[i] = "| 5 | 两年多以来. | For over two years, |  |".into();
    // Segment 7: deleted.
    let i = at(&lines, 7);
    lines.remove(i);
    // Segment 8: edited properly.
    let i = at(&lines, 8);
    lines[i] = "| 8 | 开拓. | pioneering |  |".into();
    // An added row, a duplicate of segment 9, a row with a stray pipe.
    let i = at(&lines, 9);
    lines.insert(
        i + 1,
        "| 9 | 进取的精神. | and enterprising spirit |  |".into(),
    );
    lines.insert(i + 1, "| 999 | 新的一行. | A new row. |  |".into());
    lines.insert(i + 1, "| 10 | x | a | b | c |".into());
    std::fs::write(first.dir.join("output/article.md"), lines.join("\n") + "\n").unwrap();
    let line_of = |id: u32| at(&lines, id) + 1;

    let (import, dir) = Bitext::import(dir, "output/article.md").run_code(1);
    assert_contains(
        &import.stdout,
        "imported 1 reviewed translation, 435 unchanged, 5 rejected",
    );
    let rejected: Vec<&str> = import.stderr.lines().collect();
    let expected = [
        format!("rejected: output/article.md:{}: segment 5: the 中文 cell differs from segment 5's source in output/article.jsonl ('两年多来.')", line_of(5)),
        format!("rejected: output/article.md:{}: segment 10: the row has 5 cells", line_of(9) + 1),
        format!("rejected: output/article.md:{}: segment 999: no segment 999 in output/article.jsonl", line_of(9) + 2),
        format!("rejected: output/article.md:{}: segment 9: segment 9 appears twice (first at line {})", line_of(9) + 3, line_of(9)),
        "rejected: output/article.md: segment 7: in output/article.jsonl but not in the reviewed file (a deleted row)".to_string(),
    ];
    assert_eq!(rejected.len(), expected.len(), "{}", import.stderr);
    for (line, expected) in rejected.iter().zip(&expected) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line}\n  expected {expected}"
        );
    }

    // A review file of another source, put where the article's was.
    std::fs::copy(
        first.dir.join("output/other.md"),
        first.dir.join("output/article.md"),
    )
    .unwrap();
    let (other, _dir) = Bitext::import(dir, "output/article.md").run_code(1);
    assert_contains(
        &other.stdout,
        "imported 0 reviewed translations, 0 unchanged, 438 rejected",
    );
    assert_contains(&other.stderr, "segment 1: the 中文 cell differs");
}

/// Files that are not review files, and languages that disagree, are
/// errors that say what to do.
#[test]
fn import_errors_say_what_to_do() {
    let (run, _dir) = Bitext::new()
        .file("notes.md", "# Notes\n\nNothing here.\n")
        .file("old.xlf", r#"<?xml version="1.0"?><xliff version="1.2"><file original="a" source-language="zh" datatype="plaintext"><body/></file></xliff>"#)
        .file("broken.xlf", "<xliff version=\"2.0\"><file id=\"f\"><unit id=\"1\">")
        .args(["import", "notes.md", "old.xlf", "broken.xlf", "--cache", "tm.redb"])
        .run_code(2);
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        errors,
        [
            "error: notes.md: no segment table (| # | 中文 | English | Notes |) found; import a Markdown file that bitext translate wrote",
            "error: old.xlf:1: XLIFF version '1.2' is not 2.x; export XLIFF 2.0 (bitext translate --formats xliff)",
            "error: broken.xlf:1: not well-formed XML: the file ends inside an element (cut short?)",
        ],
        "{}",
        run.stderr
    );

    let (_, dir) = Bitext::translate("a.txt", "他说.\n")
        .args(["--formats", "md,jsonl"])
        .run_ok();
    let (run, _dir) = Bitext::in_dir(dir)
        .args(["import", "output/a.md", "--target-lang", "en_GB"])
        .run_code(2);
    assert_contains(
        &run.stderr,
        "error: output/a.md: the file is in en-US, but --target-lang says en-GB",
    );
}
