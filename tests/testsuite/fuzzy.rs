//! Fuzzy matches from the translation memory (issue 18): shown in the
//! Markdown, the review page, the XLIFF (translation candidates), the TMX
//! and the JSONL for a rerun of an edited article, and the reviewed ones
//! given to a language model as examples. Every server is a mock on
//! 127.0.0.1.

use serde_json::{Value, json};

use crate::harness::{
    Bitext, Run, assert_valid_tmx, assert_valid_xliff, chat_user, echo_chat_server, jsonl,
    run_async_code,
};

/// The article as first translated.
const FIRST: &str = "自然资源部今天发布了关于土地管理的新规定.各地要认真落实这些规定的要求.\n会议强调要加强生态环境保护工作.\n";

/// The article edited: one character changed in the first segment, two
/// inserted in the third, the second as it was.
const EDITED: &str = "自然资源部昨天发布了关于土地管理的新规定.各地要认真落实这些规定的要求.\n会议强调要全面加强生态环境保护工作.\n";

/// Translate `FIRST` with the dictionary, have a person review every
/// segment (`Reviewed N` in the XLIFF, imported), and write `EDITED` beside
/// it: the memory then holds three reviewed translations.
fn reviewed_memory() -> tempfile::TempDir {
    let (run, dir) = Bitext::translate("a.txt", FIRST)
        .args([
            "--no-glossary",
            "--formats",
            "xliff,jsonl",
            "--cache",
            "tm.redb",
        ])
        .run_ok();
    let xliff = run.read("output/a.xlf");
    let mut reviewed = String::new();
    let mut rest = xliff.as_str();
    let mut n = 0;
    while let Some(start) = rest.find("<target>") {
        let end = start + rest[start..].find("</target>").unwrap() + "</target>".len();
        n += 1;
        reviewed.push_str(&rest[..start]);
        reviewed.push_str(&format!("<target>Reviewed {n}</target>"));
        rest = &rest[end..];
    }
    reviewed.push_str(rest);
    assert_eq!(n, 3, "three segments: {xliff}");
    std::fs::write(run.dir.join("output/a.xlf"), reviewed).unwrap();
    let (import, dir) = Bitext::import(dir, "output/a.xlf").run_ok();
    std::fs::write(import.dir.join("a.txt"), EDITED).unwrap();
    std::fs::remove_dir_all(import.dir.join("output")).unwrap();
    dir
}

/// `bitext translate a.txt` in `dir` with the memory `tm.redb`, no
/// glossary, the output `formats` and `more` arguments.
fn translate(dir: tempfile::TempDir, formats: &str, more: &[&str]) -> Bitext {
    Bitext::in_dir(dir)
        .args([
            "translate",
            "a.txt",
            "--no-glossary",
            "--cache",
            "tm.redb",
            "--force",
        ])
        .args(["--formats", formats])
        .args(more.iter().copied())
}

/// The Markdown row of segment `id`.
fn markdown_row(run: &Run, id: u32) -> String {
    let prefix = format!("| {id} | ");
    run.read("output/a.md")
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no row {id}"))
        .to_string()
}

#[test]
fn a_rerun_of_an_edited_article_shows_its_fuzzy_matches_in_every_review_format() {
    let (run, dir) = translate(reviewed_memory(), "md,html,xliff,tmx,jsonl", &[]).run_ok();
    // 今→昨: one edit in 21 characters; 全面 inserted: two in 18.
    let first = markdown_row(&run, 1);
    assert!(
        first.contains("TM 95% (reviewed): 自然资源部<del>今</del><ins>昨</ins>天发布了"),
        "{first}"
    );
    assert!(first.contains("→ Reviewed 1"), "{first}");
    let third = markdown_row(&run, 3);
    assert!(
        third.contains("TM 88% (reviewed): 会议强调要<ins>全面</ins>加强"),
        "{third}"
    );
    // The unchanged segment is the memory's exact translation: no match.
    let second = markdown_row(&run, 2);
    assert!(
        second.contains("Reviewed 2") && !second.contains("TM "),
        "{second}"
    );

    let units = jsonl(&run.dir.join("output/a.jsonl"));
    assert_eq!(
        units[0]["matches"],
        json!([{"score": 95, "source": "自然资源部今天发布了关于土地管理的新规定.", "target": "Reviewed 1", "origin": "reviewed"}])
    );
    assert!(units[1].get("matches").is_none());
    assert_eq!(units[2]["matches"][0]["score"], 88);

    // Without the indentation between elements.
    let xliff: String = run.read("output/a.xlf").lines().map(str::trim).collect();
    assert_valid_xliff(&run.dir.join("output/a.xlf"));
    assert_eq!(xliff.matches("<mtc:match ").count(), 2, "{xliff}");
    assert!(
        xliff.contains("<mtc:matches xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\"><mtc:match ref=\"#s1\" type=\"tm\" similarity=\"95\" origin=\"reviewed\"><source>自然资源部今天发布了关于土地管理的新规定.</source><target>Reviewed 1</target></mtc:match></mtc:matches>"),
        "{xliff}"
    );
    assert!(xliff.contains("<segment id=\"s1\""), "{xliff}");

    let tmx = run.read("output/a.tmx");
    assert_valid_tmx(&run.dir.join("output/a.tmx"));
    assert!(
        tmx.contains("<prop type=\"x-fuzzy\">88% (reviewed): 会议强调要加强生态环境保护工作. → Reviewed 3</prop>"),
        "{tmx}"
    );

    let html = run.read("output/a.html");
    assert_eq!(html.matches("<div class=\"tm\">").count(), 2);
    assert!(
        html.contains("TM 95% · reviewed</span> <span class=\"tm-src\" lang=\"zh-CN\">自然资源部<del>今</del><ins>昨</ins>天"),
        "{html}"
    );
    // The candidates' sources and targets are not the units': importing
    // the XLIFF as written finds nothing edited.
    let (import, _dir) = Bitext::import(dir, "output/a.xlf").run_ok();
    assert!(
        import.stdout.contains("0 changed, 3 unchanged"),
        "{}",
        import.stdout
    );
}

#[test]
fn fuzzy_zero_looks_nothing_up_and_a_high_threshold_keeps_only_close_matches() {
    let (run, dir) = translate(reviewed_memory(), "jsonl", &["--fuzzy", "0"]).run_ok();
    let units = jsonl(&run.dir.join("output/a.jsonl"));
    assert!(
        units.iter().all(|u| u.get("matches").is_none()),
        "{units:?}"
    );
    let (run, _dir) = translate(dir, "jsonl", &["--fuzzy", "90"]).run_ok();
    let units = jsonl(&run.dir.join("output/a.jsonl"));
    assert_eq!(units[0]["matches"][0]["score"], 95);
    assert!(units[2].get("matches").is_none(), "88 % is under 90 %");
}

/// The arguments that send a run to the chat `server`.
fn openai_args(server: &wiremock::MockServer) -> Vec<String> {
    ["--backend", "openai", "--base-url"]
        .into_iter()
        .map(String::from)
        .chain([format!("{}/v1", server.uri())])
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_near_duplicate_of_a_reviewed_segment_reaches_the_model_with_its_example() {
    let server = echo_chat_server().await;
    let dir = reviewed_memory();
    std::fs::write(
        dir.path().join("prompt.txt"),
        "House rules for {{target_lang}}: keep it short.\n",
    )
    .unwrap();
    let openai = openai_args(&server);
    let mut more: Vec<&str> = openai.iter().map(String::as_str).collect();
    more.extend(["--prompt", "prompt.txt"]);
    let (_, _dir) = run_async_code(translate(dir, "jsonl", &more), 0).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body: Value = requests[0].body_json().unwrap();
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(
        system.starts_with("House rules for English (en-US): keep it short."),
        "{system}"
    );
    let user = chat_user(&requests[0]);
    // Segment 2 is the memory's exact translation and is not sent.
    let ids: Vec<&Value> = user["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["id"])
        .collect();
    assert_eq!(ids, [1, 3]);
    assert_eq!(
        user["examples"],
        json!([
            {"score": 95, "source": "自然资源部今天发布了关于土地管理的新规定.", "target": "Reviewed 1"},
            {"score": 88, "source": "会议强调要加强生态环境保护工作.", "target": "Reviewed 3"},
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn machine_matches_are_shown_but_never_given_to_the_model() {
    let server = echo_chat_server().await;
    let openai = openai_args(&server);
    let more: Vec<&str> = openai.iter().map(String::as_str).collect();
    let first = tempfile::tempdir().unwrap();
    std::fs::write(first.path().join("a.txt"), FIRST).unwrap();
    let (_, dir) = run_async_code(translate(first, "jsonl", &more), 0).await;
    std::fs::write(dir.path().join("a.txt"), EDITED).unwrap();
    let (run, _dir) = run_async_code(translate(dir, "jsonl", &more), 0).await;
    let units = jsonl(&run.dir.join("output/a.jsonl"));
    assert_eq!(
        units[0]["matches"],
        json!([{"score": 95, "source": "自然资源部今天发布了关于土地管理的新规定.", "target": "EN 1", "origin": "machine"}])
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "the second run sends segments 1 and 3");
    assert_eq!(chat_user(&requests[1])["examples"], json!([]));
}
