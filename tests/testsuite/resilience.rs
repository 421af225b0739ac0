//! Nothing lost, nothing misaligned: a whole run against a server that fails
//! in every way a real one does, a segment that never comes back, and a run
//! killed with SIGKILL and started again.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

use crate::harness::{
    Bitext, assert_contains, bitext_command, chat_reply, chat_segments, chat_server, fixture_path,
    memory_entries, memory_sources, run_async, succeeded, translations_reply, wait_until,
};

/// The "translation" every mock gives: a function of the source alone, so a
/// test can tell a misaligned target from a right one.
fn translation(text: &str) -> String {
    let codes: Vec<String> = text.chars().map(|c| format!("{:x}", c as u32)).collect();
    format!("T {}", codes.join(" "))
}

fn segments(request: &Request) -> Vec<(Value, String)> {
    chat_segments(request)
        .iter()
        .map(|s| (s["id"].clone(), s["text"].as_str().unwrap().to_string()))
        .collect()
}

fn chat(content: String, finish: &str) -> ResponseTemplate {
    chat_reply(&content, finish)
}

fn translations(items: Vec<Value>) -> String {
    json!({ "translations": items }).to_string()
}

fn good(segments: &[(Value, String)]) -> Vec<Value> {
    segments
        .iter()
        .map(|(id, text)| json!({"id": id, "text": translation(text)}))
        .collect()
}

fn units(run: &crate::harness::Run) -> Vec<Value> {
    run.read("output/article.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Batches of 40 segments, as the tests were written for: eleven for the
/// article, enough to exercise every fault in turn.
const BATCHES: &str = "[backend.openai]\nmax_batch = 40\n";

fn article_args(base: &str) -> Vec<String> {
    [
        "translate",
        "article.txt",
        "--formats",
        "jsonl,tmx",
        "--no-glossary",
        "--backend",
        "openai",
        "--base-url",
        base,
        "--config",
        "batches.toml",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `bitext translate` of the article in batches of 40 through the chat
/// server `server`, in a fresh directory.
async fn translate_article(server: &MockServer) -> (crate::harness::Run, tempfile::TempDir) {
    let base = format!("{}/v1", server.uri());
    let bitext = Bitext::new()
        .fixture("article.txt", "article.txt")
        .file("batches.toml", BATCHES)
        .args(article_args(&base));
    run_async(bitext).await
}

#[tokio::test]
async fn a_faulty_server_still_gets_every_segment_translated_and_aligned() {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    // Faults are transient: the first time the server sees a set of
    // segments it fails in one of ten ways in turn (one in ten times it
    // answers well); the same set asked again is answered.
    let seen: Arc<std::sync::Mutex<std::collections::HashSet<Vec<String>>>> = Arc::default();
    let server = chat_server(move |request: &Request| {
        let segs = segments(request);
        let ids: Vec<String> = segs.iter().map(|(id, _)| id.to_string()).collect();
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let first = seen.lock().unwrap().insert(ids);
        match if first { n % 10 } else { 9 } {
            0 => ResponseTemplate::new(500),
            1 => ResponseTemplate::new(502),
            3 => ResponseTemplate::new(429).insert_header("Retry-After", "0"),
            4 => ResponseTemplate::new(503),
            5 => ResponseTemplate::new(200).set_body_string("<html>upstream error</html>"),
            6 => chat("{\"translations\": [{\"id\": 1, \"te".into(), "length"),
            7 => {
                // Two segments merged under the first id, the second
                // missing, and one the request never had.
                let mut items = good(&segs);
                if segs.len() > 1 {
                    let merged = format!("{} {}", translation(&segs[0].1), translation(&segs[1].1));
                    items[0] = json!({"id": segs[0].0, "text": merged});
                    items.remove(1);
                }
                items.push(json!({"id": 99999, "text": "stray"}));
                items.reverse();
                chat(translations(items), "stop")
            }
            8 => chat(
                format!(
                    "Sure! Here you go:\n```json\n{}\n```",
                    translations(good(&segs))
                ),
                "stop",
            ),
            _ => chat(translations(good(&segs)), "stop"),
        }
    })
    .await;
    let (run, _dir) = translate_article(&server).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let units = units(&run);
    assert_eq!(units.len(), 438);
    for unit in &units {
        let source = unit["source"].as_str().unwrap();
        let merged_away = unit["target"].as_str().unwrap() != translation(source);
        assert!(
            !merged_away,
            "segment {} is misaligned: {}",
            unit["id"], unit["target"]
        );
        // (The mock's "translations" are no English, so QA flags such as
        // number-mismatch are expected; none may say a segment is missing.)
        let flags = unit["flags"].as_array().unwrap();
        assert!(
            flags.iter().all(|f| f["kind"] != "untranslated"),
            "{flags:?}"
        );
    }
    crate::harness::assert_valid_tmx(&run.dir.join("output/article.tmx"));
    assert!(
        count.load(Ordering::SeqCst) > 11,
        "the faults were exercised"
    );
}

#[tokio::test]
async fn a_segment_that_never_translates_is_flagged_and_the_run_says_so() {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let server = chat_server(move |request: &Request| {
        counter.fetch_add(1, Ordering::SeqCst);
        let items: Vec<Value> = good(&segments(request))
            .into_iter()
            .filter(|item| item["id"] != 5)
            .collect();
        chat(translations(items), "stop")
    })
    .await;
    let (run, _dir) = translate_article(&server).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stdout, "1 segment has no translation");
    let units = units(&run);
    assert_eq!(units[4]["target"], "");
    assert_eq!(units[4]["flags"][0]["kind"], "untranslated");
    assert!(
        units
            .iter()
            .filter(|u| u["id"] != 5)
            .all(|u| u["target"] == translation(u["source"].as_str().unwrap()))
    );
    // Bounded: 11 batches, then halving down to the segment, then one retry.
    assert!(
        count.load(Ordering::SeqCst) <= 11 + 8,
        "{} requests",
        count.load(Ordering::SeqCst)
    );
}

/// A server that answers every request well, after `delay`.
async fn slow_server(delay: Duration) -> MockServer {
    chat_server(move |request: &Request| translations_reply(request, translation).set_delay(delay))
        .await
}

/// Wait until `server` has received `n` requests; fail after ten seconds.
async fn wait_for_requests(server: &MockServer, n: usize) {
    for _ in 0..500 {
        if server.received_requests().await.unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out after 10 s waiting for {n} requests");
}

/// `bitext translate` of the reference article copied into `dir`, one batch
/// at a time, with the translation memory `dir/tm.redb`.
fn article_command(dir: &std::path::Path, base: &str, extra: &[&str]) -> Command {
    if !dir.join("article.txt").exists() {
        std::fs::copy(fixture_path("article.txt"), dir.join("article.txt")).unwrap();
        std::fs::write(dir.join("batches.toml"), BATCHES).unwrap();
    }
    let mut command = bitext_command(dir);
    command
        .args(article_args(base))
        .args(["--concurrency", "1", "--cache", "tm.redb"])
        .args(extra)
        .stdin(Stdio::null());
    command
}

/// `command` with the bundled glossary instead of `--no-glossary`.
fn with_glossary(command: Command) -> Command {
    let mut with = bitext_command(command.get_current_dir().unwrap());
    with.args(command.get_args().filter(|a| *a != "--no-glossary"))
        .stdin(Stdio::null());
    with
}

/// The temporary output files in `dir/output`.
fn temporary_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir.join("output"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// The segments a chat request asks for, and whether they carry placeholders.
fn asked(request: &Request) -> (usize, bool) {
    let segments = segments(request);
    let markup = segments.iter().any(|(_, text)| text.contains("<x id="));
    (segments.len(), markup)
}

#[tokio::test]
async fn a_killed_run_resumes_without_asking_again() {
    let server = slow_server(Duration::from_millis(250)).await;
    let base = format!("{}/v1", server.uri());
    let dir = tempfile::tempdir().unwrap();
    let memory = dir.path().join("tm.redb");
    let command = {
        let root = dir.path().to_path_buf();
        move || {
            let mut c = article_command(&root, &base, &["--force"]);
            c.stdout(Stdio::null()).stderr(Stdio::null());
            c
        }
    };
    let mut child = command().spawn().unwrap();
    // Kill once the memory holds four of the eleven batches: what it holds,
    // not what the server was asked, since a commit may lag a reply.
    wait_until("four batches in the translation memory", 30, || {
        memory_entries(&memory) >= 4 * 39
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !dir.path().join("output/article.jsonl").exists(),
        "no half-written output"
    );
    // The killed run's temporary outputs are left behind ...
    assert!(!temporary_files(dir.path()).is_empty());
    let kept = memory_sources(&memory);
    assert!(kept.len() >= 4 * 39, "{} in the memory", kept.len());
    let before = server.received_requests().await.unwrap().len();

    let rerun = command.clone();
    let status = tokio::task::spawn_blocking(move || rerun().status().unwrap())
        .await
        .unwrap();
    assert!(status.success());
    // ... and the rerun removes them.
    assert_eq!(temporary_files(dir.path()), Vec::<String>::new());
    let units = article_units(dir.path());
    assert!(
        units
            .iter()
            .all(|u| u["target"] == translation(u["source"].as_str().unwrap()))
    );
    // Exactly what the memory did not hold was asked for again.
    let held = |u: &&Value| kept.contains(u["source"].as_str().unwrap());
    let again: usize = server.received_requests().await.unwrap()[before..]
        .iter()
        .map(|r| asked(r).0)
        .sum();
    assert_eq!(again, units.iter().filter(|u| !held(u)).count());
    assert!(units.iter().all(|u| (u["origin"] == "cache") == held(&u)));
}

/// The units of `dir/output/article.jsonl`, all 438.
fn article_units(dir: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("output/article.jsonl")).unwrap();
    let units: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(units.len(), 438);
    units
}

/// A chat server that ignores the glossary: it answers every segment by id,
/// keeping placeholder tags, and renders no term it is told. Requests that
/// carry placeholders (repairs) wait `repair_delay`. Counts the repair
/// requests it received.
async fn ignores_the_glossary(repair_delay: Duration) -> (MockServer, Arc<AtomicUsize>) {
    let repairs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&repairs);
    let server = chat_server(move |request: &Request| {
        let reply = chat(translations(good(&segments(request))), "stop");
        if asked(request).1 {
            counter.fetch_add(1, Ordering::SeqCst);
            reply.set_delay(repair_delay)
        } else {
            reply
        }
    })
    .await;
    (server, repairs)
}

#[tokio::test]
async fn a_run_killed_during_glossary_repairs_keeps_what_needed_none() {
    // Repairs never come back: the run is killed while waiting for the
    // first batch's.
    let (server, repairs) = ignores_the_glossary(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    let memory = dir.path().join("tm.redb");
    let base = format!("{}/v1", server.uri());
    let mut child = with_glossary(article_command(dir.path(), &base, &[]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("a repair request", 30, || {
        repairs.load(Ordering::SeqCst) > 0
    })
    .await;
    wait_until(
        "the first batch's finished segments in the memory",
        30,
        || memory_entries(&memory) > 0,
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = memory_sources(&memory);
    // The first batch's segments that needed no repair: not all 40.
    assert!(
        (1..40).contains(&kept.len()),
        "{} in the memory",
        kept.len()
    );

    // The rerun asks for everything else, and for nothing the memory holds.
    let (server, _) = ignores_the_glossary(Duration::ZERO).await;
    let base = format!("{}/v1", server.uri());
    let mut rerun = with_glossary(article_command(dir.path(), &base, &[]));
    let out = tokio::task::spawn_blocking(move || rerun.output().unwrap())
        .await
        .unwrap();
    succeeded(out, "the rerun failed");
    let first_pass: usize = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(asked)
        .filter(|(_, markup)| !markup)
        .map(|(n, _)| n)
        .sum();
    let units = article_units(dir.path());
    let held = |u: &&Value| kept.contains(u["source"].as_str().unwrap());
    assert_eq!(first_pass, units.iter().filter(|u| !held(u)).count());
    assert!(units.iter().all(|u| (u["origin"] == "cache") == held(&u)));
}

#[tokio::test]
async fn ctrl_c_stops_cleanly_and_says_how_to_resume() {
    let server = slow_server(Duration::from_millis(300)).await;
    let base = format!("{}/v1", server.uri());
    let dir = tempfile::tempdir().unwrap();
    let child = article_command(dir.path(), &base, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_requests(&server, 2).await;
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert_contains(
        &stderr,
        "interrupted; the input in progress was not written",
    );
    assert_contains(&stderr, "the same command resumes");
    // Nothing half-written: no output and no temporary file left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
