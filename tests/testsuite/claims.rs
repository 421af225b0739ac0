//! Claims of the README that had no test (issue 19): legacy encodings and
//! `--encoding`, translation across the input's chunk boundaries, the
//! progress line every ten seconds, OmegaT importing the TMX, and the
//! library example.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use bitext::backend::{Backend, Capabilities, SegmentReply, SegmentRequest, TranslateContext};
use bitext::cli::{Cli, Command};
use bitext::config::TranslateConfig;
use bitext::glossary::TermReport;
use bitext::input::{CHUNK_BYTES, Input, TextSource};
use bitext::output::{Format, write_document};
use bitext::pipeline::{Options, Pipeline};
use bitext::progress::{LOG_EVERY, Stderr};
use bitext::segment::Segmenter;
use clap::Parser;
use serde_json::Value;

use crate::harness::{Bitext, Run, fixture_path, repo_path};

/// The `source` of every JSONL record of `name`.
fn sources(run: &Run, name: &str) -> Vec<String> {
    run.read(name)
        .lines()
        .map(|l| {
            let record: Value = serde_json::from_str(l).unwrap();
            record["source"].as_str().unwrap().to_string()
        })
        .collect()
}

/// `text` decoded with `encoding`, which must decode it without error.
fn decode_cleanly(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .unwrap_or_else(|| panic!("the bytes are not clean {}", encoding.name()))
        .into_owned()
}

/// A Traditional Chinese text in Big5 (as Taiwan and Hong Kong still write
/// files) is detected and read, with no flag.
#[test]
fn big5_input_is_detected() {
    let text = "國土資源部召開會議。會議強調，要加強耕地保護，嚴格執行土地管理制度。\n\
                各地區要認真落實，確保完成年度任務。";
    let (big5, _, unmappable) = encoding_rs::BIG5.encode(text);
    assert!(!unmappable);
    // Not UTF-8, and GBK reads the bytes as other characters (or not at
    // all): only Big5 detection gets the text right.
    assert!(std::str::from_utf8(&big5).is_err());
    assert_ne!(
        encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(&big5)
            .as_deref(),
        Some(text)
    );
    let (run, _dir) = Bitext::translate("big5.txt", &big5)
        .args(["--formats", "jsonl"])
        .run_ok();
    assert_eq!(
        sources(&run, "output/big5.jsonl"),
        [
            "國土資源部召開會議。",
            "會議強調，要加強耕地保護，嚴格執行土地管理制度。",
            "各地區要認真落實，確保完成年度任務。"
        ]
    );
}

/// `--encoding` wins over detection: bytes that are valid UTF-8 are read as
/// GBK when the flag says so, and UTF-16 without a byte-order mark, which
/// detection refuses as binary, is read with `--encoding utf-16le`.
#[test]
fn encoding_flag_overrides_detection() {
    let text = "国土资源部召开会议强调加强耕地保护";
    let utf8 = text.as_bytes();
    let as_gbk = decode_cleanly(encoding_rs::GBK, utf8);
    assert_ne!(as_gbk, text);
    let (run, _dir) = Bitext::translate("a.txt", utf8)
        .args(["--formats", "jsonl"])
        .run_ok();
    assert_eq!(sources(&run, "output/a.jsonl"), [text], "detected as UTF-8");
    let (run, _dir) = Bitext::translate("a.txt", utf8)
        .args(["--formats", "jsonl", "--encoding", "gbk"])
        .run();
    // Read as GBK the text is mojibake, which no dictionary glosses: its
    // segments are flagged untranslated (exit 1), but it is read and written.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(sources(&run, "output/a.jsonl"), [as_gbk], "read as GBK");

    let text = "会议强调.要加强耕地保护.";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (run, _dir) = Bitext::translate("wide.txt", &utf16)
        .args(["--formats", "jsonl"])
        .run();
    // Detection reads UTF-16 without a byte order mark too (issue 11) ...
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        sources(&run, "output/wide.jsonl"),
        ["会议强调.", "要加强耕地保护."]
    );
    // ... and naming the encoding gives the same reading.
    let (run, _dir) = Bitext::translate("wide.txt", &utf16)
        .args(["--formats", "jsonl"])
        .args(["--encoding", "utf-16le"])
        .run_ok();
    assert_eq!(
        sources(&run, "output/wide.jsonl"),
        ["会议强调.", "要加强耕地保护."]
    );
}

/// An input of several chunks (about 1 MB each) comes out of `translate`
/// exactly as the same pipeline makes it from the whole text read at once
/// (`Pipeline::segment` and `Pipeline::translate`, written in one piece),
/// in every format; and every segment is there once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn translate_across_chunk_boundaries_matches_an_unchunked_reading() {
    let article = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    // The reference article over and over, numbered so no two copies are
    // alike, with Windows line ends in every other copy and a blank line
    // between copies: chunk boundaries fall after either kind of line end.
    let mut text = String::new();
    let mut copy = 0;
    while text.len() < 2 * CHUNK_BYTES + CHUNK_BYTES / 16 {
        copy += 1;
        let end = if copy % 2 == 0 { "\r\n" } else { "\n" };
        for line in article.lines() {
            text.push_str(&format!("第{copy}篇.{line}{end}"));
        }
        text.push_str(end);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &text).unwrap();
    let input = Input::File(path.clone());

    let mut source = TextSource::open(&input, None).unwrap();
    let mut chunks = 0;
    while source.next_chunk().unwrap().is_some() {
        chunks += 1;
    }
    assert!(chunks >= 3, "{chunks} chunks: the test needs boundaries");

    let out = dir.path().join("out");
    let cli = Cli::try_parse_from([
        "bitext".as_ref(),
        "translate".as_ref(),
        path.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--formats".as_ref(),
        "tmx,md,jsonl,xliff".as_ref(),
        // Offline, and not the user's memory of reviewed translations.
        "--no-cache".as_ref(),
    ])
    .unwrap();
    let Command::Translate(args) = cli.command else {
        unreachable!()
    };
    let pipeline = TranslateConfig::from_args(&args)
        .unwrap()
        .pipeline()
        .unwrap();
    let report = pipeline.run(std::slice::from_ref(&input)).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);

    let doc = pipeline.segment(&input).unwrap();
    let units = pipeline.translate(&doc).await.unwrap();
    let mut terms = TermReport::default();
    terms.add(pipeline.glossary(), &units);
    let ctx = pipeline.write_context(&input);
    for format in [Format::Tmx, Format::Md, Format::Jsonl, Format::Xliff] {
        let writer = format.writer();
        let mut whole = Vec::new();
        write_document(
            writer.as_ref(),
            &ctx,
            &units,
            Some(terms.clone()),
            &mut whole,
        )
        .unwrap();
        let name = format!("big.{}", writer.extension());
        let chunked = std::fs::read(out.join(&name)).unwrap();
        assert!(
            chunked == whole,
            "{name} differs from the unchunked reading ({} against {} bytes)",
            chunked.len(),
            whole.len()
        );
    }

    // Every segment once, in order: ids 1, 2, 3, … and the sources, put
    // back together, are the input's text (white space aside).
    let jsonl = std::fs::read_to_string(out.join("big.jsonl")).unwrap();
    let records: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), doc.segments().count());
    for (n, record) in records.iter().enumerate() {
        assert_eq!(record["id"], n + 1);
    }
    let joined: String = records
        .iter()
        .flat_map(|r| r["source"].as_str().unwrap().chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let expected: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(joined == expected, "the segments are not the text");
}

/// A writer the test can read back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Takes four seconds a batch (of tokio's clock) and echoes the source.
struct Slow;

/// A batch of [`Slow`]: three segments.
const SLOW_BATCH: usize = 3;

#[async_trait]
impl Backend for Slow {
    fn name(&self) -> &str {
        "slow"
    }

    fn capabilities(&self) -> Capabilities {
        let mut caps = bitext::backend::dictionary::CAPABILITIES;
        caps.max_batch = SLOW_BATCH;
        caps
    }

    async fn translate(
        &self,
        _: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> bitext::Result<Vec<SegmentReply>> {
        tokio::time::sleep(Duration::from_secs(4)).await;
        Ok(batch
            .iter()
            .map(|r| SegmentReply {
                id: r.id,
                text: format!("[{}]", r.text),
            })
            .collect())
    }
}

/// Without a terminal, progress is a line per finished input and, while a
/// long input runs, a count of the segments translated every ten seconds:
/// the first batch to land ten seconds or more after the last line prints
/// one. Tokio's clock is paused, so the two minutes take no time.
#[tokio::test(start_paused = true)]
async fn progress_logs_a_line_every_ten_seconds() {
    assert_eq!(LOG_EVERY, Duration::from_secs(10));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    // 30 segments: 10 batches of 3, one at a time, landing at 4 s, 8 s, …, 40 s.
    let text: String = (1..=30).map(|n| format!("第{n}句.")).collect();
    std::fs::write(&path, text).unwrap();
    let log = Shared::default();
    let mut options = Options::default();
    options.output_dir = dir.path().join("out");
    options.concurrency = 1;
    let pipeline = Pipeline::new(Segmenter::default(), None, Box::new(Slow), options)
        .with_writer(Format::Jsonl.writer())
        .with_progress(Arc::new(Stderr::log_to(Box::new(log.clone()))));
    let start = tokio::time::Instant::now();
    let report = pipeline.run(&[Input::File(path.clone())]).await.unwrap();
    assert_eq!(report.files[0].segments, 30);
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(40),
        "10 batches of 4 s"
    );
    let printed = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    // Lines at 12 s (9 segments), 24 s (18) and 36 s (27): the first
    // batches at least 10 s after the start and after each line.
    assert_eq!(
        printed,
        format!(
            "bitext: 9/30 segments translated\n\
             bitext: 18/30 segments translated\n\
             bitext: 27/30 segments translated\n\
             bitext: {}: 30 segments written\n",
            path.display()
        )
    );
}

/// The TMX `translate` writes for the fixture `fixture`, copied as `name`.
fn tmx_of(fixture: &str, name: &str) -> (Run, tempfile::TempDir) {
    Bitext::translate_fixture(fixture, name)
        .args(["--formats", "tmx"])
        .run_ok()
}

/// What the OmegaT check `tests/tools/SCRIPT` prints for `args`; a failing
/// check fails the test, `failed` saying how. Panics (never skips) without
/// OmegaT.
fn omegat(script: &str, args: &[PathBuf], failed: &str) -> String {
    assert!(
        Path::new("/usr/share/omegat/OmegaT.jar").is_file(),
        "OmegaT is needed for this test: run .ci/setup (apt-get install omegat)"
    );
    let out = std::process::Command::new("bash")
        .arg(repo_path(&format!("tests/tools/{script}")))
        .args(args)
        .output()
        .expect("bash runs the OmegaT check");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{failed}:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// OmegaT (the Debian package `omegat`, which `.ci/setup` installs) imports
/// the TMX `translate` writes: `tests/tools/omegat-check.sh` gives OmegaT the
/// TMX's source segments as a project and checks that its console mode
/// fills every one from the TMX. Panics (never skips) without OmegaT.
#[test]
fn omegat_imports_the_tmx() {
    let (run, _dir) = tmx_of("article.txt", "article.txt");
    let stdout = omegat(
        "omegat-check.sh",
        &[run.dir.join("output/article.tmx")],
        "OmegaT did not import the TMX",
    );
    assert_eq!(
        stdout,
        "438 translated units in the TMX\n\
         OmegaT translated 438 of 438 segments from the TMX\n"
    );
}

/// The README's library example (the ```rust block of its Glossary section)
/// is the doctest on `bitext::ReadmeLibraryExample` in `src/lib.rs`, line
/// for line, so the example the README shows is one that runs.
#[test]
fn readme_library_example_is_the_doctest() {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    let section = readme
        .split("\n### ")
        .find(|s| s.starts_with("Glossary\n"))
        .expect("README has a Glossary section");
    let blocks: Vec<&str> = section.split("```rust\n").skip(1).collect();
    assert_eq!(blocks.len(), 1, "one ```rust block in README's Glossary");
    let shown = blocks[0].split("\n```\n").next().unwrap();

    let lib = std::fs::read_to_string(repo_path("src/lib.rs")).unwrap();
    let item = lib
        .find("pub struct ReadmeLibraryExample;")
        .expect("src/lib.rs has the README's example");
    let doc: Vec<&str> = lib[..item]
        .lines()
        .rev()
        .take_while(|l| l.starts_with("///") || l.starts_with("#["))
        .filter_map(|l| l.strip_prefix("///"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let open = doc.iter().position(|l| *l == "```").unwrap();
    let close = open + 1 + doc[open + 1..].iter().position(|l| *l == "```").unwrap();
    let tested: Vec<&str> = doc[open + 1..close]
        .iter()
        .copied()
        .filter(|l| !l.starts_with("# "))
        .collect();
    assert_eq!(tested.join("\n"), shown);
}

/// OmegaT takes the inline codes of the TMX `translate` writes for an HTML
/// page: `tests/tools/omegat-html.sh` gives OmegaT the page itself (its
/// HTML filter makes OmegaT's tags) and the TMX, and OmegaT fills every
/// paragraph whose codes are pairs (`<b>`, `<a href>`, `<em>`, `<strong>`)
/// from it. A `<br>` is the exception: OmegaT's HTML filter calls it
/// `<br0/>`, a two-letter tag its TMX reader never makes from a `<ph>`.
/// Panics (never skips) without OmegaT.
#[test]
fn omegat_fills_html_paragraphs_with_codes_from_the_tmx() {
    let (run, _dir) = tmx_of("documents/omegat.html", "page.html");
    let stdout = omegat(
        "omegat-html.sh",
        &[run.dir.join("page.html"), run.dir.join("output/page.tmx")],
        "OmegaT failed",
    );
    let left: Vec<&str> = stdout.lines().filter(|l| l.starts_with("left")).collect();
    assert_eq!(left, ["left 第一行第二行"], "{stdout}");
    assert!(
        stdout.ends_with("OmegaT filled 5 of 6 paragraphs from the TMX\n"),
        "{stdout}"
    );
}
