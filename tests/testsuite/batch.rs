//! Batches: stable output names (a directory argument's tree mirrored under
//! `-o`, file arguments by stem), and resuming a batch with
//! `--skip-existing`.

use crate::harness::{Bitext, Run, assert_contains, assert_starts_with, run_async, run_async_code};

/// The files below `sub` in a run's directory, relative to it, sorted.
fn tree(run: &Run, sub: &str) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = run.dir.join(sub);
    let mut out = Vec::new();
    if root.is_dir() {
        walk(&root, &root, &mut out);
    }
    out.sort();
    out
}

/// The `source` and `x-source-file` of an output: its first JSONL record's
/// source and the TMX header's source file.
fn source_file(run: &Run, stem: &str) -> (String, String) {
    let jsonl = run.read(&format!("{stem}.jsonl"));
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    let tmx = run.read(&format!("{stem}.tmx"));
    let prop = "<prop type=\"x-source-file\">";
    let start = tmx.find(prop).unwrap() + prop.len();
    let end = start + tmx[start..].find("</prop>").unwrap();
    (
        first["source"].as_str().unwrap().to_string(),
        tmx[start..end].to_string(),
    )
}

#[test]
fn a_directory_argument_is_mirrored_under_the_output_folder() {
    let (run, dir) = Bitext::new()
        .file("in/sub/deeper/a.txt", "深.")
        .file("in/a.txt", "浅.")
        .file("in/b/a.txt", "乙.")
        .args(["translate", "in", "-o", "out", "--formats", "jsonl,tmx"])
        .run_ok();
    assert_eq!(
        tree(&run, "out"),
        [
            "a.jsonl",
            "a.tmx",
            "b/a.jsonl",
            "b/a.tmx",
            "sub/deeper/a.jsonl",
            "sub/deeper/a.tmx"
        ]
    );
    assert_eq!(
        source_file(&run, "out/sub/deeper/a"),
        ("深.".to_string(), "in/sub/deeper/a.txt".to_string())
    );
    assert_eq!(
        source_file(&run, "out/b/a"),
        ("乙.".to_string(), "in/b/a.txt".to_string())
    );
    assert_eq!(
        source_file(&run, "out/a"),
        ("浅.".to_string(), "in/a.txt".to_string())
    );
    // The summary names every output by its path.
    assert_contains(
        &run.stdout,
        "  in/sub/deeper/a.txt → out/sub/deeper/a.jsonl, out/sub/deeper/a.tmx\n",
    );

    // A new file with the same name elsewhere renames nothing.
    let (run, _dir) = Bitext::in_dir(dir)
        .file("in/0/a.txt", "新.")
        .args(["translate", "in", "-o", "out", "--formats", "jsonl,tmx"])
        .args(["--force"])
        .run_ok();
    assert_eq!(source_file(&run, "out/sub/deeper/a").0, "深.");
    assert_eq!(source_file(&run, "out/b/a").0, "乙.");
    assert_eq!(source_file(&run, "out/a").0, "浅.");
    assert_eq!(source_file(&run, "out/0/a").0, "新.");
}

#[test]
fn file_arguments_are_named_by_their_stem_and_keep_their_path() {
    let (run, _dir) = Bitext::translate("texts/one.txt", "一.")
        .file("two.txt", "二.")
        .args(["two.txt", "--formats", "jsonl,tmx"])
        .run_ok();
    assert_eq!(
        tree(&run, "output"),
        ["one.jsonl", "one.tmx", "two.jsonl", "two.tmx"]
    );
    assert_eq!(source_file(&run, "output/one").1, "texts/one.txt");
    assert_eq!(source_file(&run, "output/two").1, "two.txt");
}

#[test]
fn a_file_argument_and_a_directory_file_with_one_name_are_refused() {
    let (run, _dir) = Bitext::new()
        .file("in/a.txt", "甲.")
        .file("a.txt", "乙.")
        .args(["translate", "in", "a.txt"])
        .run_refused("error: in/a.txt and a.txt would both be written as output/a.*; rename one, or translate them in separate runs with different -o folders\n");
    assert!(tree(&run, "output").is_empty());
}

#[test]
fn aligned_and_imported_files_are_found_in_a_mirrored_tree() {
    let (_, dir) = Bitext::new()
        .file("in/sub/a.txt", "中文.测试.\n")
        .args(["translate", "in", "--cache", "tm.redb"])
        .run_ok();
    let (import, _dir) = Bitext::import(dir, "output/sub/a.md").run_ok();
    assert_starts_with(
        &import.stdout,
        "output/sub/a.md: 2 Markdown rows compared with output/sub/a.jsonl",
    );
}

#[test]
fn existing_outputs_stop_a_batch_up_front_unless_skipped() {
    let (run, dir) = Bitext::new()
        .file("in/a.txt", "甲.")
        .file("in/b.txt", "乙.")
        .args(["translate", "in"])
        .run_ok();
    let a_before = run.read("output/a.md");

    // A new input: without --skip-existing the batch stops before any work.
    let (run, dir) = Bitext::in_dir(dir)
        .file("in/c.txt", "丙.")
        .args(["translate", "in"])
        .run_refused("error: output/a.tmx: already exists; pass --force to overwrite it, or --skip-existing to skip the inputs whose outputs all exist\n");
    assert!(!run.dir.join("output/c.tmx").exists());

    // With it, the two done are skipped and counted, the new one translated.
    std::fs::write(run.dir.join("output/a.md"), "kept").unwrap();
    let (run, dir) = Bitext::in_dir(dir)
        .args(["translate", "in", "--skip-existing"])
        .run_ok();
    assert_eq!(run.read("output/a.md"), "kept");
    assert!(run.dir.join("output/c.tmx").exists());
    assert_starts_with(&run.stdout, "Translated 1 file (1 paragraph, 1 segment)");
    assert_contains(
        &run.stdout,
        "\n  skipped: 2 files whose outputs all exist (--skip-existing)\n",
    );
    assert_eq!(run.stderr, "bitext: in/c.txt: 1 segment written\n");

    // Everything done: nothing to translate, and it says so.
    let (run, dir) = Bitext::in_dir(dir)
        .args(["translate", "in", "--skip-existing"])
        .run_ok();
    assert_eq!(
        run.stdout,
        "Nothing to translate: skipped 3 files whose outputs all exist (--skip-existing)\n"
    );

    // An input with only some of its outputs is not skipped, and is not
    // overwritten without --force.
    std::fs::remove_file(run.dir.join("output/b.jsonl")).unwrap();
    let (run, _dir) = Bitext::in_dir(dir)
        .args(["translate", "in", "--skip-existing"])
        .run_refused("error: output/b.tmx: already exists, but not every output of in/b.txt does; pass --force to translate it again and overwrite it\n");
    assert_eq!(run.read("output/a.md"), "kept");
    drop(a_before);
}

/// One request as a mock server saw it: which inputs its segments came from
/// (the `第N篇` in their text) and when it arrived and was answered, on the
/// server's own clock.
#[derive(Debug, Clone)]
struct Seen {
    files: Vec<usize>,
    start: std::time::Instant,
    end: std::time::Instant,
}

/// An OpenAI-compatible server that answers every request after `latency`
/// and records each one; a request with a segment of file `fatal` gets 401
/// (a rejected key, which stops a run).
async fn recording_chat_server(
    latency: std::time::Duration,
    fatal: Option<usize>,
) -> (
    wiremock::MockServer,
    std::sync::Arc<std::sync::Mutex<Vec<Seen>>>,
) {
    use crate::harness::{chat_server, translations_reply};
    use serde_json::json;
    use wiremock::{Request, ResponseTemplate};
    let seen: std::sync::Arc<std::sync::Mutex<Vec<Seen>>> = Default::default();
    let log = std::sync::Arc::clone(&seen);
    let server = chat_server(move |request: &Request| {
        let segments = crate::harness::chat_segments(request);
        let mut files: Vec<usize> = segments
            .iter()
            .filter_map(|s| file_of(s["text"].as_str()?))
            .collect();
        files.dedup();
        let start = std::time::Instant::now();
        log.lock().unwrap().push(Seen {
            files: files.clone(),
            start,
            end: start + latency,
        });
        if fatal.is_some_and(|f| files.contains(&f)) {
            return ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"message": "bad key"}}))
                .set_delay(latency);
        }
        translations_reply(request, |text| format!("EN {text}")).set_delay(latency)
    })
    .await;
    (server, seen)
}

/// The input a segment `第N篇第M句` comes from.
fn file_of(text: &str) -> Option<usize> {
    let rest = text.split_once('第')?.1;
    rest.split_once('篇')?.0.parse().ok()
}

/// File `n`'s text: `segments` sentences, one paragraph each.
fn numbered_file(n: usize, segments: usize) -> String {
    (1..=segments)
        .map(|m| format!("第{n}篇第{m}句。\n\n"))
        .collect()
}

/// The sources of an output's JSONL records, in order.
fn sources(run: &Run, name: &str) -> Vec<String> {
    crate::harness::jsonl(&run.dir.join(name))
        .iter()
        .map(|v| v["source"].as_str().unwrap().to_string())
        .collect()
}

fn translate_args(server: &wiremock::MockServer) -> Vec<String> {
    [
        "translate",
        "in",
        "-o",
        "out",
        "--formats",
        "jsonl,tmx",
        "--no-glossary",
        "--no-cache",
        "--backend",
        "openai",
        "--concurrency",
        "4",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["--base-url".into(), format!("{}/v1", server.uri())])
    .collect()
}

/// Issue 14, no idle waves: while the last batches of one input are in
/// flight, the next inputs' batches fill the free request slots; every
/// input's outputs are still whole, in order, each segment once.
#[tokio::test]
async fn the_next_inputs_fill_free_request_slots_while_an_input_drains() {
    let latency = std::time::Duration::from_millis(300);
    let (server, seen) = recording_chat_server(latency, None).await;
    // At most 40 segments per request: file 1 (170) goes in five batches
    // of 34, the others (90) in three of 30. The run opens one input until the backend has answered, so
    // the first wave is file 1's first four batches; its fifth then leaves
    // three slots free for the next inputs while it is in flight.
    let mut bitext = Bitext::new()
        .args(translate_args(&server))
        .args(["--config", "batches.toml"])
        .file("batches.toml", "[backend.openai]\nmax_batch = 40\n");
    for n in 1..=4 {
        let segments = if n == 1 { 170 } else { 90 };
        bitext = bitext.file(&format!("in/f{n}.txt"), numbered_file(n, segments));
    }
    bitext = bitext.file("in/f5-empty.txt", "\n\n");
    let (run, _dir) = run_async(bitext).await;
    assert_eq!(run.code, 2, "the empty input fails: {}", run.stderr);
    assert_contains(&run.stderr, "f5-empty.txt");
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().all(|s| s.files.len() == 1), "{seen:?}");
    let of = |f: usize| seen.iter().filter(move |s| s.files == [f]);
    for f in 1..=4 {
        let batches = if f == 1 { 5 } else { 3 };
        assert_eq!(of(f).count(), batches, "file {f}: {seen:?}");
    }
    // From the server's own records: file 2's first request arrived before
    // file 1's last request was answered.
    let file2_first = of(2).map(|s| s.start).min().unwrap();
    let file1_last = of(1).map(|s| s.end).max().unwrap();
    assert!(file2_first < file1_last, "{seen:?}");
    // Never more than four requests in flight at once.
    for s in &seen {
        let at_once = seen
            .iter()
            .filter(|o| o.start <= s.start && s.start < o.end)
            .count();
        assert!(at_once <= 4, "{at_once} in flight: {seen:?}");
    }
    for n in 1..=4 {
        let segments = if n == 1 { 170 } else { 90 };
        let expected: Vec<String> = (1..=segments)
            .map(|m| format!("第{n}篇第{m}句。"))
            .collect();
        assert_eq!(sources(&run, &format!("out/f{n}.jsonl")), expected, "f{n}");
        let tmx = run.read(&format!("out/f{n}.tmx"));
        assert_eq!(
            tmx.matches("<tu ").count() + tmx.matches("<tu>").count(),
            segments
        );
    }
    assert_eq!(
        tree(&run, "out"),
        [
            "f1.jsonl", "f1.tmx", "f2.jsonl", "f2.tmx", "f3.jsonl", "f3.tmx", "f4.jsonl", "f4.tmx"
        ]
    );
    // The summary lists the inputs in order.
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("in/"))
        .collect();
    assert_eq!(listed.len(), 4, "{}", run.stdout);
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "{}", run.stdout);
}

/// A fatal error in one input (a rejected key) stops the run: the inputs
/// before it are written whole, it and those after it not at all (their
/// requests in flight are dropped), and no temporary file is left.
#[tokio::test]
async fn a_fatal_error_in_one_input_leaves_no_half_outputs() {
    let latency = std::time::Duration::from_millis(100);
    let (server, _seen) = recording_chat_server(latency, Some(3)).await;
    let mut bitext = Bitext::new()
        .args(translate_args(&server))
        .args(["--config", "batches.toml"])
        .file("batches.toml", "[backend.openai]\nmax_batch = 40\n");
    for n in 1..=5 {
        let segments = 90;
        bitext = bitext.file(&format!("in/f{n}.txt"), numbered_file(n, segments));
    }
    let (run, _dir) = run_async_code(bitext, 2).await;
    assert_contains(&run.stderr, "(HTTP 401)");
    assert_eq!(
        tree(&run, "out"),
        ["f1.jsonl", "f1.tmx", "f2.jsonl", "f2.tmx"],
        "{}",
        run.stderr
    );
    for n in 1..=2 {
        assert_eq!(sources(&run, &format!("out/f{n}.jsonl")).len(), 90);
    }
    assert_contains(&run.stdout, "2 more inputs not translated");
}

#[test]
fn a_directory_walk_passes_over_the_output_folder_inside_it() {
    let (_, dir) = Bitext::new()
        .file("a.txt", "中文.测试.\n")
        .file("doc/b.md", "# 标题\n\n正文。\n")
        .args(["translate", ".", "--formats", "jsonl,md,html"])
        .run_ok();
    // The second run finds output/a.md, output/a.html and output/doc/b.md
    // in the walk, and must not take them for inputs.
    let (run, _dir) = Bitext::in_dir(dir)
        .args(["translate", ".", "--formats", "jsonl,md,html", "--force"])
        .run_ok();
    assert_contains(&run.stdout, "2 files");
    assert_eq!(
        tree(&run, "output"),
        [
            "a.html",
            "a.jsonl",
            "a.md",
            "doc/b.html",
            "doc/b.jsonl",
            "doc/b.md",
        ]
    );
}
