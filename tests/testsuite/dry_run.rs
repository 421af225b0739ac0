//! `bitext translate --dry-run`: what would be sent, and nothing sent or
//! written. The backends point at wiremock servers on 127.0.0.1 that must
//! receive no request.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::harness::{
    Bitext, Run, assert_contains, assert_starts_with, chat_server, deepl_server, run_async,
    run_async_code, translations_reply,
};

/// A server that fails the test if it receives anything.
async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .named("no request during a dry run")
        .expect(0)
        .mount(&server)
        .await;
    server
}

/// `bitext translate article.txt` with `backend`.
fn article_with(backend: &str) -> Bitext {
    Bitext::translate_fixture("article.txt", "article.txt").args(["--backend", backend])
}

/// The article with `args` added, against `server` as DeepL.
fn deepl(server: &MockServer, args: &[&str]) -> Bitext {
    article_with("deepl")
        .args(["--base-url", &server.uri()])
        .args(args)
}

/// Nothing written: no outputs, and no translation memory created.
fn assert_nothing_written(run: &Run) {
    assert!(!run.dir.join("output").exists(), "no output directory");
    // Neither the default memory (in the user's cache directory, which the
    // harness keeps in the run's directory) nor a --cache file.
    assert!(run.find("tm.redb").is_empty(), "no translation memory");
}

const DEEPL_PRO: &str = "DeepL API Pro, plus its base price of €4.99 a month; \
    DeepL API Free keys (ending in :fx) translate 500,000 characters a month at no charge";

#[tokio::test]
async fn dry_run_plans_the_reference_article_for_deepl_and_sends_nothing() {
    let server = silent_server().await;
    let (run, _dir) = run_async_code(deepl(&server, &["--dry-run"]), 0).await;
    assert_eq!(run.stderr, "");
    // 438 segments (5,903 characters, as `bitext segment --format jsonl`
    // gives them) in ceil(438 / 50) = 9 batches of 48 or 49.
    assert_eq!(
        run.stdout,
        format!(
            "Dry run with deepl: nothing sent, nothing written\n  \
             article.txt: 438 segments, 0 in translation memory, 9 requests, 5,903 characters\n  \
             total, 1 file: 438 segments, 0 in translation memory, 9 requests, 5,903 characters\n  \
             batches: up to 50 segments and 30,000 characters, 4 in flight\n  \
             estimated cost: €0.12 (5,903 characters at €20.00 per million: {DEEPL_PRO})\n"
        )
    );
    assert_nothing_written(&run);
    server.verify().await;
}

#[tokio::test]
async fn dry_run_counts_what_the_translation_memory_has() {
    // Translate the first two segments of the article for real...
    let answering = deepl_server().await;
    let (_, dir) = run_async_code(
        Bitext::new()
            .file(
                "part.txt",
                "走在务实创新的大路上.国土资源部创先争优活动记略.\n",
            )
            .env("DEEPL_AUTH_KEY", "test-key:fx")
            .args([
                "translate",
                "part.txt",
                "--backend",
                "deepl",
                "--no-glossary",
            ])
            .args(["--base-url", &answering.uri(), "--cache", "tm.redb"]),
        0,
    )
    .await;
    assert_eq!(answering.received_requests().await.unwrap().len(), 1);

    // ...then plan the whole article with that memory: those two segments
    // (11 and 14 characters; the article has each once) are found and not
    // sent.
    let server = silent_server().await;
    let memory = dir.path().join("tm.redb");
    let before = std::fs::read(&memory).unwrap();
    let (run, _dir) = run_async_code(
        deepl(
            &server,
            &[
                "--no-glossary",
                "--dry-run",
                "--cache",
                memory.to_str().unwrap(),
            ],
        ),
        0,
    )
    .await;
    assert_contains(
        &run.stdout,
        "  total, 1 file: 438 segments, 2 in translation memory, 9 requests, 5,878 characters\n",
    );
    assert_eq!(
        std::fs::read(&memory).unwrap(),
        before,
        "the memory is unchanged"
    );
    assert!(!run.dir.join("output").exists());
    server.verify().await;
}

#[tokio::test]
async fn dry_run_needs_no_key_and_never_prints_one() {
    let server = silent_server().await;
    let (run, _dir) =
        run_async(deepl(&server, &["--dry-run"]).env("DEEPL_AUTH_KEY", "secret-dry-key-77:fx"))
            .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(
            "  estimated cost: none (DeepL API Free (a key ending in :fx), up to 500,000 characters a month)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("secret-dry-key"));
    assert!(!run.stderr.contains("secret-dry-key"));
    assert_nothing_written(&run);
    server.verify().await;
}

/// `bitext translate article.txt --dry-run` with `backend`, which must
/// succeed.
fn dry_run_of_the_article(backend: &str) -> (Run, tempfile::TempDir) {
    article_with(backend).args(["--dry-run"]).run_ok()
}

#[test]
fn dry_run_prices_google_and_not_openai() {
    // Neither has a key, and neither is contacted: the default base URLs
    // are on the internet, which a dry run never reaches.
    let (google, _dir) = dry_run_of_the_article("google");
    assert_contains(
        &google.stdout,
        "at $20.00 per million: Cloud Translation Basic; the first 500,000 characters a month are free)",
    );
    assert_nothing_written(&google);

    let (openai, _dir) = dry_run_of_the_article("openai");
    assert_contains(
        &openai.stdout,
        "article.txt: 438 segments, 0 in translation memory, 2 requests, 5,903 characters\n",
    );
    assert!(
        openai.stdout.ends_with(
            "  estimated cost: unknown (priced per token by the provider and model; not estimated)\n"
        ),
        "{}",
        openai.stdout
    );
    assert_nothing_written(&openai);
}

#[test]
fn dry_run_reports_an_unreadable_input_and_plans_the_rest() {
    let (run, _dir) = Bitext::translate("a.txt", "中文.测试.")
        .file("empty.txt", "")
        .args(["empty.txt", "--dry-run", "--no-cache"])
        .run_code(2);
    assert_starts_with(&run.stderr, "error: ");
    assert_contains(&run.stderr, "empty.txt");
    assert_contains(
        &run.stdout,
        "  a.txt: 2 segments, 0 in translation memory, 1 request, 6 characters\n",
    );
    assert!(
        run.stdout.ends_with("  estimated cost: none (offline)\n"),
        "{}",
        run.stdout
    );
    assert!(!run.dir.join("output").exists());
}

/// A chat server that answers every segment of a request after 200 ms.
async fn slow_chat_server() -> MockServer {
    chat_server(|request: &Request| {
        translations_reply(request, |_| "EN".into())
            .set_delay(std::time::Duration::from_millis(200))
    })
    .await
}

#[tokio::test]
async fn dry_run_reads_a_memory_a_killed_run_left_without_changing_it() {
    use crate::harness::{bitext_command, memory_sources, wait_until};
    let server = slow_chat_server().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::harness::fixture_path("article.txt"),
        dir.path().join("article.txt"),
    )
    .unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        [
            "translate",
            "article.txt",
            "--no-glossary",
            "--backend",
            "openai",
            "--concurrency",
            "1",
            "--cache",
            "tm.redb",
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .chain(["--base-url".into(), format!("{}/v1", server.uri())])
        .collect()
    };
    // A run killed with SIGKILL once two batches are in the memory.
    let memory = dir.path().join("tm.redb");
    let mut child = bitext_command(dir.path())
        .args(args(&[]))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_until("two batches in the translation memory", 30, || {
        memory_sources(&memory).len() >= 2 * 39
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let held = memory_sources(&memory);
    let before = std::fs::read(&memory).unwrap();

    // The dry run reads it, says how, and changes nothing.
    let (dry, dir) = run_async_code(Bitext::in_dir(dir).args(args(&["--dry-run"])), 0).await;
    assert_eq!(
        dry.stderr,
        format!(
            "note: the translation memory tm.redb needs a repair (a run writing it was stopped, e.g. by kill -9); \
             read from a copy repaired in memory, and the file left unchanged (the next translate run repairs it)\n"
        )
    );
    let text = std::fs::read_to_string(crate::harness::fixture_path("article.txt")).unwrap();
    let found = bitext::segment::Segmenter::default()
        .document("article.txt", "UTF-8", &text)
        .segments()
        .filter(|s| held.contains(s.content()))
        .count();
    assert!(found >= 2 * 39);
    assert_contains(
        &dry.stdout,
        &format!("  article.txt: 438 segments, {found} in translation memory, "),
    );
    assert_eq!(
        std::fs::read(&memory).unwrap(),
        before,
        "the memory is unchanged"
    );

    // A real run repairs it without a word, and resumes.
    let (real, _dir) = run_async_code(Bitext::in_dir(dir).args(args(&["--quiet"])), 0).await;
    assert_eq!(real.stderr, "");
    assert_ne!(std::fs::read(&memory).unwrap(), before);
}
