//! Issue 13: the HTML review page in a real browser, headless Chromium
//! driven over WebDriver ([`crate::webdriver`]): the review round trip from
//! the page back into the translation memory, and hostile text that must
//! run nothing.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::harness::{
    assert_contains, assert_valid_xliff, fixture_path, jsonl, translating_server, wait_until,
};
use crate::review::{
    assert_reviewed_everywhere, import_reviewed, rerun_without_requests_for, translate_article,
    xliff_units,
};
use crate::webdriver::Browser;

/// Every row of the page: id, source and translation as shown (without the
/// glossary tooltips), and whether it is visible.
const ROWS: &str = r#"return [...document.querySelectorAll('tr[id^="s"]')].map((r) => {
  const src = r.querySelector('td.src').cloneNode(true);
  src.querySelectorAll('.tip').forEach((t) => t.remove());
  return [Number(r.id.slice(1)), src.textContent, r.querySelector('td.tgt').textContent,
          !r.hidden && !r.closest('[hidden]')];
});"#;

/// The ids of the visible rows.
const VISIBLE: &str = r#"return [...document.querySelectorAll('tr[id^="s"]')]
  .filter((r) => !r.hidden && !r.closest('[hidden]')).map((r) => Number(r.id.slice(1)));"#;

/// The segment whose row holds the focus.
const FOCUSED: &str = r#"const row = document.activeElement.closest('tr[id^="s"]');
return row ? Number(row.id.slice(1)) : null;"#;

const READY: &str = "return document.documentElement.dataset.ready === 'true'";

/// Enter, and Ctrl+A (select all) then release, as WebDriver keys.
const ENTER: &str = "\u{E007}";
const SELECT_ALL: &str = "\u{E009}a\u{E000}";

/// An OpenAI-compatible server that translates the reference article well,
/// except for the segments of the deliberately broken variants
/// (tests/fixtures/review/article.broken.jsonl), which get flagged.
async fn flawed_openai() -> MockServer {
    let good = jsonl(&fixture_path("review/article.good.jsonl"));
    let mut by_source: HashMap<String, String> = good
        .iter()
        .map(|l| (text(&l["source"]), text(&l["target"])))
        .collect();
    for broken in jsonl(&fixture_path("review/article.broken.jsonl")) {
        let id = broken["id"].as_u64().unwrap() as usize;
        by_source.insert(text(&good[id - 1]["source"]), text(&broken["target"]));
    }
    translating_server(move |source| by_source.get(source).cloned().unwrap_or_default()).await
}

fn text(value: &Value) -> String {
    value.as_str().unwrap().to_string()
}

/// Check that the page shows every unit of `jsonl` once, in order, with
/// its source and translation as text, all visible.
async fn assert_every_segment_shown(browser: &Browser, units: &[Value]) {
    let rows = browser.execute(ROWS, json!([])).await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), units.len(), "one row per segment");
    for (row, unit) in rows.iter().zip(units) {
        assert_eq!(row[0], unit["id"], "row order");
        assert_eq!(row[1], unit["source"], "source of segment {}", unit["id"]);
        assert_eq!(
            row[2], unit["target"],
            "translation of segment {}",
            unit["id"]
        );
        assert_eq!(row[3], true, "segment {} is visible", unit["id"]);
    }
}

/// Issue 13, done when: the page for the reference article shows every
/// segment; a reviewer filters by a flag, steps between flagged segments
/// from the keyboard, edits three translations (one with the keyboard
/// alone), reloads (the edits stay), exports; `bitext import` reads the
/// download and reports the three edits by id; a rerun against a server
/// that fails any request for them makes none and marks them reviewed in
/// every output.
#[tokio::test]
async fn review_page_round_trip_in_chromium() {
    let server = flawed_openai().await;
    let (first, dir) =
        translate_article(None, &server, "first-model", "tmx,md,jsonl,xliff,html", 1).await;
    // A broken translation keeps a Chinese name: exit code 1, untranslated.
    let output = first.dir.join("output");
    let units = jsonl(&output.join("article.jsonl"));
    let has_flag = |u: &Value, kind: &str| {
        u["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == kind)
    };
    let mismatched: Vec<Value> = units
        .iter()
        .filter(|u| has_flag(u, "number-mismatch"))
        .map(|u| u["id"].clone())
        .collect();
    assert!(mismatched.len() >= 3, "{mismatched:?}");
    assert_eq!(mismatched[..2], [json!(33), json!(36)]);

    let browser = Browser::start(&output).await;
    browser.open(&output.join("article.html")).await;
    browser.wait_for("the page's script", 10, READY).await;
    assert_eq!(browser.dialog().await, None);
    assert_every_segment_shown(&browser, &units).await;

    // A glossary term shows its required rendering on focus.
    let tip = browser
        .execute(
            "const m = document.querySelector('#s1 mark.term'); m.focus();
             const t = m.querySelector('.tip');
             return [getComputedStyle(t).display, t.textContent];",
            json!([]),
        )
        .await;
    assert_eq!(tip, json!(["block", " → Ministry of Land and Resources"]));

    // Filter by a flag: exactly the flagged segments are shown.
    browser
        .click(r#"#f-flag option[value="number-mismatch"]"#)
        .await;
    assert_eq!(browser.execute(VISIBLE, json!([])).await, json!(mismatched));
    // Step through them with the keyboard: n, n, p, n.
    browser
        .execute("document.getElementById('doc').focus()", json!([]))
        .await;
    let mut visited = Vec::new();
    for key in ["n", "n", "p", "n"] {
        browser.keys(key).await;
        visited.push(browser.execute(FOCUSED, json!([])).await);
    }
    assert_eq!(visited, [json!(33), json!(36), json!(33), json!(36)]);

    // Edit three translations: segment 36 with the keyboard alone, two by
    // clicking, one after the filter is cleared.
    let edits: [(u32, &str); 3] = [
        (
            36,
            "More than 20 journalists from 11 central media outlets came to the Ministry <b>&amp;</b> \"A&B\"",
        ),
        (121, "We planned to drill 111 wells."),
        (
            377,
            "Farmers' average net income is only 3,112 yuan a year.",
        ),
    ];
    browser.keys(ENTER).await;
    browser
        .type_into(
            "#s36 textarea",
            &format!("{SELECT_ALL}{}{ENTER}", edits[0].1),
        )
        .await;
    browser.click(r#"#f-flag option[value=""]"#).await;
    assert_eq!(
        browser
            .execute(VISIBLE, json!([]))
            .await
            .as_array()
            .unwrap()
            .len(),
        units.len()
    );
    for (id, edit) in &edits[1..] {
        browser.click(&format!("#s{id} td.tgt")).await;
        browser
            .type_into(
                &format!("#s{id} textarea"),
                &format!("{SELECT_ALL}{edit}{ENTER}"),
            )
            .await;
    }
    let shown_edits = async |browser: &Browser| {
        browser
            .execute(
                "return [document.getElementById('edited').textContent,
                  [...document.querySelectorAll('tr.edited')].map((r) => [Number(r.id.slice(1)), r.querySelector('td.tgt').textContent])]",
                json!([]),
            )
            .await
    };
    let expected = json!(["3 edited", edits]);
    assert_eq!(shown_edits(&browser).await, expected);

    // The edits survive a reload.
    browser.refresh().await;
    browser.wait_for("the reloaded page", 10, READY).await;
    assert_eq!(shown_edits(&browser).await, expected);

    // Export: the real button, the real download.
    browser.click("#export").await;
    let download = output.join("article.review.xlf");
    wait_until("the download of article.review.xlf", 20, || {
        download.is_file()
            && std::fs::read_dir(&output).unwrap().all(|e| {
                !e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".crdownload")
            })
    })
    .await;
    // Exported edits are no longer kept for a reload.
    browser.refresh().await;
    browser
        .wait_for("the page after the export", 10, READY)
        .await;
    assert_eq!(shown_edits(&browser).await, json!(["0 edited", []]));
    assert_eq!(browser.dialog().await, None);
    browser.quit().await;

    // The download is the run's XLIFF with the three edits, reviewed.
    assert_valid_xliff(&download);
    let exported = xliff_units(&std::fs::read_to_string(&download).unwrap());
    let run = xliff_units(&first.read("output/article.xlf"));
    assert_eq!(exported.len(), run.len());
    let edited: HashMap<String, &str> = edits.iter().map(|(id, e)| (id.to_string(), *e)).collect();
    for (ours, theirs) in exported.iter().zip(&run) {
        assert_eq!(ours.id, theirs.id);
        assert_eq!(ours.source, theirs.source);
        assert_eq!(ours.flag_notes, theirs.flag_notes);
        assert_eq!(ours.glossary_notes, theirs.glossary_notes);
        match edited.get(&ours.id) {
            Some(edit) => {
                assert_eq!(ours.state, "reviewed", "unit {}", ours.id);
                assert_eq!(ours.target.as_deref(), Some(*edit));
            }
            None => {
                assert_eq!(ours.state, theirs.state, "unit {}", ours.id);
                assert_eq!(ours.target, theirs.target, "unit {}", ours.id);
            }
        }
    }

    // bitext import reads it like any XLIFF it wrote.
    let (import, dir) = import_reviewed(
        dir,
        "output/article.review.xlf",
        "output/article.review.xlf: 438 XLIFF rows compared with output/article.jsonl: 3 changed, 435 unchanged, 0 rejected",
    )
    .await;
    for (id, _) in &edits {
        assert_contains(&import.stdout, &format!("  edited: segment {id} ("));
    }
    let (rerun, _dir) = rerun_without_requests_for(dir, &[36, 121, 377]).await;
    assert_reviewed_everywhere(&rerun, &edits);
}

/// A local server that counts the connections made to it: nothing on the
/// page may reach it.
struct Tripwire {
    port: u16,
    hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Tripwire {
    fn start() -> Tripwire {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s) = (hits.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        use std::io::Write;
                        h.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-type: text/javascript\r\ncontent-length: 27\r\n\r\ndocument.title = 'pwned';\n\n",
                        );
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
        });
        Tripwire { port, hits, stop }
    }
}

impl Drop for Tripwire {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Everything on the page that could run or load something, and whether
/// any of it did.
const PWNED: &str = r#"return {
  title: document.title,
  pwned: typeof window.pwned,
  loads: performance.getEntriesByType('resource').map((e) => e.name),
  active: document.querySelectorAll('img, iframe, object, embed, svg script, link[rel], meta[http-equiv="refresh"], a[href^="javascript"], base, form').length,
};"#;

/// Issue 13: a page built from hostile text (in the file name, the
/// source, the translation, a glossary entry and an edit) shows it all
/// literally and runs nothing: no dialog, the title unchanged, no request
/// to the local server the markup points at.
#[tokio::test]
async fn hostile_text_runs_nothing_in_the_review_page() {
    let wire = Tripwire::start();
    let remote = format!("http://127.0.0.1:{}", wire.port);
    let lines = [
        "第一句<script>window.pwned=1;document.title='pwned'</script>结束。".to_string(),
        "图片<img src=x onerror=\"window.pwned=2;alert(2)\">结束。".into(),
        "链接<a href=\"javascript:window.pwned=3\">点我</a>结束。".into(),
        "文本框</textarea><svg onload=window.pwned=4>结束。".into(),
        "数据</script><script>window.pwned=5;alert(5)</script>结束。".into(),
        format!("远程<img src=\"{remote}/img\"><iframe src=\"{remote}/frame\"></iframe>结束。"),
        format!("样式<link rel=stylesheet href=\"{remote}/css\"><script src=\"{remote}/js\"></script>结束。"),
        format!("刷新<meta http-equiv=\"refresh\" content=\"0;url={remote}/refresh\"><base href=\"{remote}/\">结束。"),
        "注释<!-- x --> ]]> &amp; &lt;b&gt; {{constructor.constructor('window.pwned=6')()}} \u{2028}结束。".into(),
        "术语出现在这里。".into(),
    ];
    let name = "x\"><img src=x onerror=alert(7)>.txt";
    let server = translating_server(|source| format!("EN {source}")).await;
    let base = format!("{}/v1", server.uri());
    let glossary = format!(
        "source\ttarget\n术语\t<img src=x onerror=\"window.pwned=8\"><script src=\"{remote}/g\"></script>\n"
    );
    let (run, _dir) = crate::harness::Bitext::new()
        .file(name, lines.join("\n") + "\n")
        .file("terms.tsv", glossary)
        .args([
            "translate",
            name,
            "-g",
            "terms.tsv",
            "--formats",
            "jsonl,html",
            "--backend",
            "openai",
            "--base-url",
            &base,
            "--no-cache",
        ])
        .run();
    // The echoed Chinese is flagged untranslated: exit code 1.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let output = run.dir.join("output");
    let page = std::fs::read_dir(&output)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .expect("an HTML page");
    let units = jsonl(&page.with_extension("jsonl"));
    assert!(units.len() >= lines.len(), "{units:?}");

    let browser = Browser::start(&output).await;
    browser.open(&page).await;
    browser.wait_for("the page's script", 10, READY).await;
    let title = format!("Review: {name}");
    let clean = json!({"title": title, "pwned": "undefined", "loads": [], "active": 0});
    assert_eq!(browser.dialog().await, None);
    assert_eq!(browser.execute(PWNED, json!([])).await, clean);
    assert_every_segment_shown(&browser, &units).await;
    let tip = browser
        .execute(
            "const m = document.querySelector('mark.term'); m.focus(); return m.querySelector('.tip').textContent",
            json!([]),
        )
        .await;
    assert_eq!(
        tip,
        format!(" → <img src=x onerror=\"window.pwned=8\"><script src=\"{remote}/g\"></script>")
    );

    // An edit that tries to break out of the text box is kept as text.
    let hostile =
        "</textarea><img src=x onerror=\"window.pwned=9\"><script>window.pwned=10</script>";
    browser.execute("window.scrollTo(0, 0)", json!([])).await;
    browser.click("#s1 td.tgt").await;
    browser
        .type_into("#s1 textarea", &format!("{SELECT_ALL}{hostile}{ENTER}"))
        .await;
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('#s1 td.tgt').textContent",
                json!([])
            )
            .await,
        hostile
    );
    // The free-text filter takes markup as text too.
    browser.type_into("#f-text", "<script>").await;
    browser
        .wait_for(
            "the text filter",
            10,
            "return document.getElementById('shown').textContent.includes(' of ')",
        )
        .await;
    let visible = browser.execute(VISIBLE, json!([])).await;
    let expected: Vec<Value> = units
        .iter()
        .filter(|u| {
            let id = u["id"].as_u64().unwrap();
            let target = if id == 1 {
                hostile
            } else {
                u["target"].as_str().unwrap()
            };
            u["source"].as_str().unwrap().contains("<script>") || target.contains("<script>")
        })
        .map(|u| u["id"].clone())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(visible, json!(expected));
    browser.refresh().await;
    browser.wait_for("the reloaded page", 10, READY).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(browser.dialog().await, None);
    assert_eq!(browser.execute(PWNED, json!([])).await, clean);
    browser.quit().await;
    assert_eq!(
        wire.hits.load(Ordering::SeqCst),
        0,
        "requests left the page"
    );
}
