//! Sharded workers sharing one PostgreSQL translation memory
//! (`bitext translate --shard I/N --cache postgres://…`) against a mock
//! server with latency: every output exactly once, every segment aligned,
//! what one worker committed never requested by another, a killed worker's
//! shard resumed with only what it had not finished, and a reviewed edit
//! imported by one process used by a worker that starts later.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use wiremock::{MockServer, Request};

use bitext::memory::{Location, Memory};

use crate::harness::{
    assert_contains, bitext_command, chat_segments, chat_server, checked_output, jsonl, succeeded,
    translations_reply, wait_until,
};
use crate::pg;

const FILES: usize = 40;
const WORKERS: u64 = 4;
/// In every file: the workers share its translation through the memory.
const SHARED: &str = "这是每篇文章都有的一句话。";

/// The "translation" the mock gives: a function of the source alone.
fn translation(text: &str) -> String {
    let codes: Vec<String> = text.chars().map(|c| format!("{:x}", c as u32)).collect();
    format!("T {}", codes.join(" "))
}

/// A chat server that answers every segment after `delay`.
async fn server(delay: Duration) -> MockServer {
    chat_server(move |request: &Request| translations_reply(request, translation).set_delay(delay))
        .await
}

/// What each test starts from: a database of its own, a chat server that
/// answers after `delay` and its base URL, and an empty directory.
async fn setup(delay: Duration) -> (String, MockServer, String, tempfile::TempDir) {
    let server = server(delay).await;
    let base = format!("{}/v1", server.uri());
    (pg::database(), server, base, tempfile::tempdir().unwrap())
}

/// The sources `server` was asked for since request `from`, with how many
/// times each.
async fn requested(server: &MockServer, from: usize) -> HashMap<String, usize> {
    let mut asked = HashMap::new();
    for request in &server.received_requests().await.unwrap()[from..] {
        for segment in chat_segments(request) {
            *asked
                .entry(segment["text"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    asked
}

/// The two sentences of file `i` only.
fn own_sentences(i: usize) -> [String; 2] {
    [
        format!("第{i}篇文章的第一句话。"),
        format!("第{i}篇文章说了另一件事。"),
    ]
}

/// Write the corpus: `corpus/aNN.txt`, three sentences each.
fn write_corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    for i in 0..FILES {
        let [a, b] = own_sentences(i);
        std::fs::write(
            dir.join(format!("corpus/a{i:02}.txt")),
            format!("{a}{SHARED}{b}\n"),
        )
        .unwrap();
    }
}

/// The files of shard `index` (as `bitext` computes it from the path below
/// the directory argument).
fn shard_files(index: u64) -> Vec<usize> {
    (0..FILES)
        .filter(|i| bitext::shard::shard_of(&format!("a{i:02}.txt"), WORKERS) == index)
        .collect()
}

fn worker(dir: &Path, base: &str, memory: &str, shard: u64) -> Command {
    let mut command = bitext_command(dir);
    command
        .args([
            "translate",
            "corpus",
            "-o",
            "out",
            "--formats",
            "jsonl",
            "--no-glossary",
        ])
        .args([
            "--backend",
            "openai",
            "--base-url",
            base,
            "--concurrency",
            "1",
        ])
        .args(["--shard", &format!("{shard}/{WORKERS}")])
        .env("OPENAI_API_KEY", "test-key")
        .env("BITEXT_CACHE", memory)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Wait for a worker (on a blocking thread); it must succeed.
async fn finish(child: Child) {
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    succeeded(out, "a worker failed");
}

/// The sources the shared memory holds now (none before a worker has
/// created its tables).
fn held(memory: &str) -> HashSet<String> {
    let location = Location::parse(Path::new(memory)).unwrap();
    let mut sources = HashSet::new();
    if let Some(cache) = Memory::open_at_for_reading(&location).unwrap() {
        cache
            .for_each(|e| {
                sources.insert(e.source);
                Ok(())
            })
            .unwrap();
    }
    sources
}

/// Every file's output exists, once, in place, and every segment is aligned
/// with its translation.
fn assert_outputs(dir: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = (0..FILES).map(|i| format!("a{i:02}.jsonl")).collect();
    assert_eq!(names, expected);
    for i in 0..FILES {
        let units = jsonl(&dir.join(format!("out/a{i:02}.jsonl")));
        let [a, b] = own_sentences(i);
        let sources: Vec<&str> = units
            .iter()
            .map(|u| u["source"].as_str().unwrap())
            .collect();
        assert_eq!(sources, [a.as_str(), SHARED, b.as_str()], "file {i}");
        for unit in &units {
            assert_eq!(
                unit["target"],
                translation(unit["source"].as_str().unwrap())
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_sharded_workers_share_one_memory_and_a_killed_one_resumes_its_shard() {
    let (memory, server, base, dir) = setup(Duration::from_millis(150)).await;
    write_corpus(dir.path());
    // Every shard has files (so every worker has work, and the killed one
    // has some left).
    let killed_shard = 0;
    let killed_files = shard_files(killed_shard);
    assert!(killed_files.len() >= 4, "{killed_files:?}");
    let killed_sources: HashSet<String> = killed_files
        .iter()
        .flat_map(|&i| own_sentences(i))
        .collect();

    let mut workers: Vec<(u64, Child)> = (0..WORKERS)
        .map(|shard| {
            (
                shard,
                worker(dir.path(), &base, &memory, shard).spawn().unwrap(),
            )
        })
        .collect();
    // Kill one worker with SIGKILL once two of its files are in the memory.
    let watched = memory.clone();
    let sources = killed_sources.clone();
    wait_until(
        "two files of the watched shard in the memory",
        60,
        move || held(&watched).intersection(&sources).count() >= 4,
    )
    .await;
    let (_, mut victim) = workers.remove(killed_shard as usize);
    victim.kill().unwrap();
    victim.wait().unwrap();
    for (_, child) in workers {
        finish(child).await;
    }

    // The others' outputs are all there; the victim's unfinished ones not.
    let first_round = requested(&server, 0).await;
    let kept = held(&memory);
    let unfinished: HashSet<String> = killed_sources.difference(&kept).cloned().collect();
    assert!(!unfinished.is_empty(), "the killed worker had work left");
    // Each file's own sentences were asked for once (by the worker of its
    // shard, or not yet); the shared one far fewer times than the files that
    // hold it: a worker takes it from the memory once another committed it.
    for i in 0..FILES {
        for sentence in own_sentences(i) {
            let times = first_round.get(&sentence).copied().unwrap_or(0);
            assert!(times <= 1, "{sentence} asked {times} times");
        }
    }
    let shared_times = first_round.get(SHARED).copied().unwrap_or(0);
    assert!(
        (1..=WORKERS as usize).contains(&shared_times),
        "the shared sentence was asked {shared_times} times by {WORKERS} workers over {FILES} files"
    );

    // Rerun the killed shard: only its unfinished segments are requested.
    let before = server.received_requests().await.unwrap().len();
    let rerun = worker(dir.path(), &base, &memory, killed_shard)
        .arg("--skip-existing")
        .spawn()
        .unwrap();
    finish(rerun).await;
    let again: HashSet<String> = requested(&server, before).await.into_keys().collect();
    assert_eq!(again, unfinished);
    assert_outputs(dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_committed_by_one_worker_is_never_requested_by_a_later_one() {
    let (memory, server, base, dir) = setup(Duration::from_millis(20)).await;
    write_corpus(dir.path());
    let mut asked_before = 0;
    let mut committed = HashSet::new();
    for shard in 0..WORKERS {
        let child = worker(dir.path(), &base, &memory, shard).spawn().unwrap();
        finish(child).await;
        let asked = requested(&server, asked_before).await;
        let again: Vec<&String> = asked.keys().filter(|s| committed.contains(*s)).collect();
        assert!(again.is_empty(), "worker {shard} asked again for {again:?}");
        asked_before = server.received_requests().await.unwrap().len();
        committed = held(&memory);
    }
    assert_outputs(dir.path());
    assert_eq!(requested(&server, 0).await.get(SHARED), Some(&1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewed_edit_imported_by_one_process_is_used_verbatim_by_a_later_worker() {
    let (memory, server, base, dir) = setup(Duration::from_millis(10)).await;
    let root = dir.path();
    std::fs::write(
        root.join("first.txt"),
        format!("{SHARED}第一篇的另一句。\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("later.txt"),
        format!("后来的文章开头。{SHARED}\n"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = checked_output(
            bitext_command(root)
                .args(args)
                .env("OPENAI_API_KEY", "test-key")
                .env("BITEXT_CACHE", &memory)
                .stdin(Stdio::null()),
            "run bitext",
            &format!("{args:?}"),
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let translate = ["--backend", "openai", "--base-url", &base, "--no-glossary"];
    run(&[
        &["translate", "first.txt", "--formats", "md,jsonl"],
        &translate[..],
    ]
    .concat());
    // A reviewer edits the shared sentence's row and imports the file.
    let reviewed = "Every article has this one sentence (reviewed).";
    let markdown = std::fs::read_to_string(root.join("output/first.md")).unwrap();
    let edited: Vec<String> = markdown
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            if line.starts_with("| 1 | ") && cells.len() == 4 {
                format!("{} | {} | {reviewed} | {}", cells[0], cells[1], cells[3])
            } else {
                line.to_string()
            }
        })
        .collect();
    std::fs::write(root.join("output/first.md"), edited.join("\n") + "\n").unwrap();
    let imported = run(&["import", "output/first.md"]);
    assert_contains(&imported, "imported 1 reviewed translation");
    assert!(!imported.contains("password"), "{imported}");
    // A worker that starts later takes it verbatim, and does not ask for it.
    let before = server.received_requests().await.unwrap().len();
    run(&[
        &["translate", "later.txt", "--formats", "jsonl"],
        &translate[..],
    ]
    .concat());
    let units = jsonl(&root.join("output/later.jsonl"));
    let shared = units.iter().find(|u| u["source"] == SHARED).unwrap();
    assert_eq!(shared["target"], reviewed);
    assert_eq!(shared["origin"], "reviewed");
    let asked = requested(&server, before).await;
    assert!(!asked.contains_key(SHARED), "{asked:?}");
    assert_eq!(asked.len(), 1);
}
