//! The `command` backend through the command line: what a person sees when
//! the program echoes its input, fails, or fails once.

use crate::harness::{Bitext, Run, assert_contains, fixture_path};

/// Three paragraphs, nine segments.
const TEXT: &str = "国土资源部召开会议.会议强调.要加强耕地保护.\n\
                    各地要落实责任.确保完成任务.做好宣传.\n\
                    会议由部长主持.各司局参加.会议结束.\n";

/// `--backend command --command "python3 fake_mt.py ARGS"`.
fn with_fake_mt(bitext: Bitext, args: &str) -> Bitext {
    let script = fixture_path("backend/fake_mt.py").display().to_string();
    bitext
        .args(["--backend", "command", "--no-glossary"])
        .args(["--command", &format!("python3 '{script}' {args}")])
}

/// `bitext translate a.txt EXTRA` of `text`, through a program that echoes
/// its input.
fn translate_echoed(text: &str, extra: &[&str]) -> (Run, tempfile::TempDir) {
    let bitext = Bitext::translate("a.txt", text).args(extra);
    with_fake_mt(bitext, "--echo").run()
}

/// The lines a file holds (0 when it does not exist).
fn lines(run: &Run, name: &str) -> usize {
    std::fs::read_to_string(run.dir.join(name)).map_or(0, |t| t.lines().count())
}

#[test]
fn a_command_that_echoes_its_input_exits_1_and_says_so() {
    let (run, _dir) = translate_echoed(TEXT, &["--quiet"]);
    // --quiet: nothing on stdout, the exit code still tells.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let (run, _dir) = translate_echoed(TEXT, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "\n  9 segments have no translation (flagged untranslated); exit code 1\n",
    );
    assert_contains(&run.stdout, "flags: untranslated 9");
    // The outputs are written, with the flags, for a reviewer to see.
    assert_eq!(run.files("output"), ["a.html", "a.jsonl", "a.md", "a.tmx"]);
}

#[test]
fn one_untranslated_segment_is_singular() {
    let (run, _dir) = translate_echoed("会议结束.\n", &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "\n  1 segment has no translation (flagged untranslated); exit code 1\n",
    );
}

#[test]
fn a_command_that_fails_on_its_first_batch_and_the_retry_stops_the_run() {
    let (run, _dir) = with_fake_mt(
        Bitext::translate("a.txt", TEXT)
            .file("b.txt", TEXT)
            .args(["b.txt", "--concurrency", "1"]),
        "--fail --count calls.txt",
    )
    .run_code(2);
    assert_eq!(
        run.stderr,
        "error: backend command: 'python3' exited with status 3: model weights not found: /models/zh-en \
         (it failed on the first batch and again on its retry; fix the program or --command)\n"
    );
    assert_eq!(run.stdout, "", "no summary after a fatal error");
    assert!(run.files("output").is_empty(), "{:?}", run.files("output"));
    assert_eq!(lines(&run, "calls.txt"), 2, "the first batch and its retry");
}

#[test]
fn a_command_that_fails_once_recovers() {
    let (run, _dir) = with_fake_mt(
        Bitext::translate("a.txt", TEXT).args(["--concurrency", "1"]),
        "--fail-once marker --count calls.txt",
    )
    .run_ok();
    let jsonl = run.read("output/a.jsonl");
    assert_eq!(jsonl.lines().count(), 9);
    assert!(!jsonl.contains("untranslated"), "{jsonl}");
    assert!(lines(&run, "calls.txt") >= 2);
}

#[test]
fn a_command_gets_the_model_it_is_given() {
    let (run, _dir) = with_fake_mt(
        Bitext::translate("a.txt", "会议结束.\n").args(["--model", "zh-en-small"]),
        "--record batch.json",
    )
    .run_ok();
    let sent: serde_json::Value = serde_json::from_str(&run.read("batch.json")).unwrap();
    assert_eq!(sent["model"], "zh-en-small");
    let record: serde_json::Value =
        serde_json::from_str(run.read("output/a.jsonl").lines().next().unwrap()).unwrap();
    assert_eq!(record["model"], "zh-en-small");
}

/// A source passed through is no translation, so the memory never keeps it:
/// a rerun with a program that works asks it for every segment again
/// (issue 11: an echoing program's output came back from the memory).
#[test]
fn a_source_passed_through_is_not_kept_in_the_memory() {
    let (echo, dir) = translate_echoed(TEXT, &["--cache", "tm.redb"]);
    assert_eq!(echo.code, 1, "{}", echo.stderr);
    let (rerun, _dir) = with_fake_mt(
        Bitext::in_dir(dir).args(["translate", "a.txt", "--cache", "tm.redb", "--force"]),
        "--count batches.txt",
    )
    .run_ok();
    assert_contains(&rerun.stdout, "from translation memory: 0 segments");
    assert!(
        lines(&rerun, "batches.txt") > 0,
        "the program was not asked"
    );
}
