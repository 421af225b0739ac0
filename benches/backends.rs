//! Translation speed against the network backends, end to end: the real
//! `bitext` binary translates the reference article (438 segments) through a
//! local mock server (wiremock on 127.0.0.1) that speaks the vendor's
//! protocol and takes a fixed time to answer each request. Nothing reaches
//! the network.
//!
//! For `openai` and `deepl`, with a fresh translation memory:
//!
//! - `requests`: what the server received (DeepL's glossary set-up included);
//! - `wall`: from spawning the process to its exit;
//! - `ideal`: the time the requests take if they all go out in full waves of
//!   `concurrency` (4 by default): `(ceil(first / concurrency) +
//!   ceil(repairs / concurrency)) × latency`, where the glossary repairs (chat
//!   requests with placeholder tags) can only start when the batches they
//!   repair are back, plus the fixed cost of a run (start, read, write),
//!   which is the cached rerun's wall time;
//! - then a rerun with the same translation memory, which must send nothing.
//!
//! The cases are `openai`, `openai --no-glossary`, `openai (ignores the
//! glossary)`, `deepl` (with the bundled glossary, which DeepL gets as a
//! glossary made through its API: two requests, one after the other, before
//! any batch with terms can go out) and `deepl --no-glossary`. The mock
//! servers answer every segment by id (DeepL: in order) and, but for the
//! `ignores the glossary` case, render the glossary terms they are given, so
//! a run needs no retry or repair. The server that ignores the glossary
//! renders no term it is told in the prompt but keeps placeholder tags, as
//! the LLMs that bitext meets do: every segment with a term needs a glossary
//! repair, and the case measures what the repairs cost (the goal: at most
//! twice the requests of `openai --no-glossary`). The bench checks that every
//! segment comes back translated, without a flag (so every term is rendered),
//! and from the translation memory on the rerun.
//!
//! Run with `cargo bench --bench backends`. `BITEXT_BENCH_LATENCY_MS` sets
//! the latency of every request (default 200), `BITEXT_BENCH_RUNS` how many
//! times each case runs (default 3; the table shows the fastest and median
//! wall time, and the requests of every run must agree), and
//! `BITEXT_BENCH_BIN` another `bitext` binary to measure instead of the one
//! cargo built (to compare two builds on the same machine).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use common::{CLEARED_ENV, binary, env_number};

/// The requests in flight at once: the CLI's default `--concurrency`.
const CONCURRENCY: usize = 4;

/// The bench's goals on a 2-core machine at 200 ms latency.
const GOAL_WALL: Duration = Duration::from_millis(1500);
const GOAL_RATIO: f64 = 1.2;
const GOAL_CACHED: Duration = Duration::from_millis(100);
/// A run against a server that ignores the glossary sends at most this many
/// times the requests of the same run without a glossary.
const GOAL_REPAIR_FACTOR: usize = 2;

fn main() {
    let latency = Duration::from_millis(env_number("BITEXT_BENCH_LATENCY_MS", 200));
    let runs = env_number::<usize>("BITEXT_BENCH_RUNS", 3).max(1);
    let article = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/article.txt");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let cases = [
        (Vendor::OpenAi, &[][..]),
        (Vendor::OpenAi, &["--no-glossary"][..]),
        (Vendor::OpenAiIgnoringTerms, &[][..]),
        (Vendor::DeepL, &[][..]),
        (Vendor::DeepL, &["--no-glossary"][..]),
    ];
    let rows: Vec<Row> = runtime.block_on(async {
        let mut rows = Vec::new();
        for (vendor, args) in cases {
            rows.push(bench(vendor, args, &article, latency, runs).await);
        }
        rows
    });
    print_table(&rows, latency, runs);
}

#[derive(Debug, Clone, Copy)]
enum Vendor {
    OpenAi,
    /// An OpenAI-compatible server that ignores the glossary terms of the
    /// prompt (but keeps placeholder tags).
    OpenAiIgnoringTerms,
    DeepL,
}

impl Vendor {
    fn name(self) -> &'static str {
        match self {
            Vendor::OpenAi => "openai",
            Vendor::OpenAiIgnoringTerms => "openai (ignores the glossary)",
            Vendor::DeepL => "deepl",
        }
    }

    /// A server speaking this vendor's protocol, `latency` per request.
    async fn server(self, latency: Duration) -> MockServer {
        let server = MockServer::start().await;
        match self {
            Vendor::OpenAi | Vendor::OpenAiIgnoringTerms => {
                Mock::given(method("POST"))
                    .and(path("/v1/chat/completions"))
                    .respond_with(OpenAiMock {
                        latency,
                        render_terms: matches!(self, Vendor::OpenAi),
                    })
                    .mount(&server)
                    .await;
            }
            Vendor::DeepL => {
                let mock = DeepLMock {
                    latency,
                    glossaries: Arc::default(),
                };
                Mock::given(path("/v2/translate"))
                    .respond_with(mock.clone())
                    .mount(&server)
                    .await;
                Mock::given(path("/v2/glossaries"))
                    .respond_with(mock)
                    .mount(&server)
                    .await;
            }
        }
        server
    }

    /// The `bitext translate` arguments and environment that reach `server`.
    fn command(self, server: &MockServer) -> (Vec<String>, Vec<(&'static str, &'static str)>) {
        match self {
            Vendor::OpenAi | Vendor::OpenAiIgnoringTerms => (
                vec![
                    "--backend".into(),
                    "openai".into(),
                    "--base-url".into(),
                    format!("{}/v1", server.uri()),
                    "--model".into(),
                    "bench-model".into(),
                ],
                vec![],
            ),
            Vendor::DeepL => (
                vec![
                    "--backend".into(),
                    "deepl".into(),
                    "--base-url".into(),
                    server.uri(),
                ],
                vec![("DEEPL_AUTH_KEY", "bench-key:fx")],
            ),
        }
    }
}

/// Glossary entries: pairs of source and target.
type Terms = Vec<(String, String)>;

/// An English stand-in for `text` that renders the glossary `terms` (pairs of
/// source and target) found in it and keeps its placeholder tags, so that
/// the pipeline accepts it as it would a good translation.
fn english(id: &str, text: &str, terms: &[(String, String)]) -> String {
    let mut out = format!("Segment {id} ({} characters)", text.chars().count());
    for (source, target) in terms {
        if text.contains(source.as_str()) {
            out.push_str("; ");
            out.push_str(target);
        }
    }
    let mut rest = text;
    while let Some(start) = rest.find("<x ") {
        let Some(len) = rest[start..].find("/>") else {
            break;
        };
        out.push(' ');
        out.push_str(&rest[start..start + len + 2]);
        rest = &rest[start + len + 2..];
    }
    out.push('.');
    out
}

/// `POST /v1/chat/completions`: every segment of the user message answered
/// by id, with the batch's terms rendered if `render_terms` (placeholder
/// tags are kept either way).
struct OpenAiMock {
    latency: Duration,
    render_terms: bool,
}

impl Respond for OpenAiMock {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().expect("a JSON body");
        let user = body["messages"][1]["content"]
            .as_str()
            .expect("a user message");
        // `#section` lines: segments are `id<TAB>text`, terms
        // `source<TAB>target`.
        let mut section = "";
        let mut segments = Vec::new();
        let mut terms: Terms = Vec::new();
        for line in user.lines() {
            if let Some(name) = line.strip_prefix('#') {
                section = name;
                continue;
            }
            let Some((a, b)) = line.split_once('\t') else {
                continue;
            };
            match section {
                "segments" => segments.push((a.to_string(), b.to_string())),
                "terms" if self.render_terms => terms.push((a.to_string(), b.to_string())),
                _ => {}
            }
        }
        let translations: serde_json::Map<String, Value> = segments
            .iter()
            .map(|(id, text)| (id.clone(), json!(english(id, text, &terms))))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "id": "chatcmpl-bench",
                "object": "chat.completion",
                "model": body["model"],
                "choices": [{
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": Value::Object(translations).to_string(),
                    },
                    "finish_reason": "stop",
                }],
            }))
            .set_delay(self.latency)
    }
}

/// DeepL's `/v2/translate` (texts answered in order, a glossary applied when
/// its id is sent) and `/v2/glossaries` (list and create).
#[derive(Clone)]
struct DeepLMock {
    latency: Duration,
    glossaries: Arc<Mutex<HashMap<String, Terms>>>,
}

impl Respond for DeepLMock {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let reply = if request.url.path() == "/v2/glossaries" {
            self.glossaries(request)
        } else {
            self.translate(request)
        };
        reply.set_delay(self.latency)
    }
}

impl DeepLMock {
    fn translate(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().expect("a JSON body");
        let terms = body["glossary_id"]
            .as_str()
            .and_then(|id| self.glossaries.lock().unwrap().get(id).cloned())
            .unwrap_or_default();
        let translations: Vec<Value> = body["text"]
            .as_array()
            .expect("text")
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let text = t.as_str().unwrap_or_default();
                json!({
                    "detected_source_language": "ZH",
                    "text": english(&(i + 1).to_string(), text, &terms),
                })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "translations": translations }))
    }

    fn glossaries(&self, request: &Request) -> ResponseTemplate {
        let mut glossaries = self.glossaries.lock().unwrap();
        if request.method.as_str() == "GET" {
            return ResponseTemplate::new(200).set_body_json(json!({"glossaries": []}));
        }
        let body: Value = request.body_json().expect("a JSON body");
        let entries: Terms = body["entries"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(s, t)| (s.to_string(), t.to_string()))
            .collect();
        let id = format!("bench-glossary-{}", glossaries.len() + 1);
        let count = entries.len();
        glossaries.insert(id.clone(), entries);
        ResponseTemplate::new(201).set_body_json(json!({
            "glossary_id": id,
            "name": body["name"],
            "ready": true,
            "source_lang": body["source_lang"],
            "target_lang": body["target_lang"],
            "entry_count": count,
        }))
    }
}

/// One run of the binary.
struct Measure {
    wall: Duration,
    /// Requests the server received.
    requests: usize,
    /// Of which translation batches; the others set up a glossary and must
    /// finish before any batch with glossary terms goes out.
    batches: usize,
    /// Of which glossary repairs: chat requests with placeholder tags, sent
    /// when the batch they repair is back.
    repairs: usize,
    /// Characters of the article's segments (the source text translated).
    source_chars: usize,
    /// Characters the model reads: the messages of every chat request (the
    /// system prompt and the user message), or the texts of every DeepL
    /// request.
    prompt_chars: usize,
    /// Characters of the request bodies as sent (JSON with its escapes).
    body_chars: usize,
}

impl Measure {
    /// Characters the backend reads per character of source text.
    fn sent_ratio(&self) -> f64 {
        self.prompt_chars as f64 / self.source_chars.max(1) as f64
    }
}

/// The figures of one case, over its runs.
struct Row {
    label: String,
    fresh: Vec<Measure>,
    cached: Vec<Measure>,
}

impl Row {
    fn fastest(runs: &[Measure]) -> Duration {
        runs.iter().map(|m| m.wall).min().unwrap_or_default()
    }

    fn median(runs: &[Measure]) -> Duration {
        let mut walls: Vec<Duration> = runs.iter().map(|m| m.wall).collect();
        walls.sort();
        walls[walls.len() / 2]
    }
}

async fn bench(
    vendor: Vendor,
    args: &[&str],
    article: &Path,
    latency: Duration,
    runs: usize,
) -> Row {
    let mut row = Row {
        label: [vendor.name()]
            .iter()
            .chain(args)
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        fresh: Vec::new(),
        cached: Vec::new(),
    };
    for _ in 0..runs {
        let dir = tempfile::tempdir().expect("temporary directory");
        let server = vendor.server(latency).await;
        row.fresh
            .push(translate(vendor, args, &server, article, dir.path(), "machine").await);
        // A fresh server, so that it counts the rerun's requests alone.
        let server = vendor.server(latency).await;
        row.cached
            .push(translate(vendor, args, &server, article, dir.path(), "cache").await);
    }
    for runs in [&row.fresh, &row.cached] {
        assert!(
            runs.iter().all(|m| m.requests == runs[0].requests),
            "{}: runs sent different numbers of requests",
            row.label
        );
    }
    row
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Translate `article` with `vendor` through `server`, the translation memory
/// and the outputs in `dir`; the requests are the ones `server` received.
/// Every segment must come back translated, unflagged, from `origin`.
async fn translate(
    vendor: Vendor,
    extra: &[&str],
    server: &MockServer,
    article: &Path,
    dir: &Path,
    origin: &str,
) -> Measure {
    let (args, env) = vendor.command(server);
    let mut command = tokio::process::Command::new(binary());
    // No key of the machine's, and no proxy: the mock is on 127.0.0.1.
    for var in CLEARED_ENV {
        command.env_remove(var);
    }
    command
        .envs(env)
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .current_dir(dir)
        .arg("translate")
        .arg(article)
        .args(args)
        .args(extra)
        .arg("--cache")
        .arg(dir.join("tm.redb"))
        .arg("--output")
        .arg(dir.join("out"))
        .args(["--force", "--quiet"]);
    let start = Instant::now();
    let out = command.output().await.expect("run bitext");
    let wall = start.elapsed();
    assert!(
        out.status.success(),
        "{} failed ({}):\n{}",
        vendor.name(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let jsonl = std::fs::read_to_string(dir.join("out/article.jsonl")).expect("the JSONL output");
    let records: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSONL record"))
        .collect();
    assert_eq!(records.len(), 438, "every segment written");
    for record in &records {
        // The mock's texts are no English, so QA flags such as
        // number-mismatch may appear; none may say a segment is missing.
        let untranslated = record["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["kind"] == "untranslated"));
        assert!(
            record["target"].as_str().is_some_and(|t| !t.is_empty())
                && !untranslated
                && record["origin"] == origin,
            "{}: expected a translation from {origin}: {record}",
            vendor.name()
        );
    }
    let received = received(server).await;
    let batches: Vec<&Request> = received
        .iter()
        .filter(|r| !r.url.path().ends_with("/glossaries"))
        .collect();
    let repairs = batches
        .iter()
        .filter(|r| {
            let body: Value = r.body_json().expect("a JSON body");
            body["messages"].to_string().contains("<x id=")
        })
        .count();
    Measure {
        wall,
        requests: received.len(),
        batches: batches.len(),
        repairs,
        source_chars: records
            .iter()
            .map(|r| r["source"].as_str().unwrap_or_default().chars().count())
            .sum(),
        prompt_chars: batches.iter().map(|r| prompt_chars(r)).sum(),
        body_chars: batches
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).chars().count())
            .sum(),
    }
}

/// The characters of a batch request that the backend reads as text: the
/// chat messages' contents, or DeepL's texts.
fn prompt_chars(request: &Request) -> usize {
    let body: Value = request.body_json().expect("a JSON body");
    let strings = |v: &Value| -> usize {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                m.get("content")
                    .unwrap_or(m)
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .count()
            })
            .sum()
    };
    let context = body["context"].as_str().unwrap_or_default().chars().count();
    strings(&body["messages"]) + strings(&body["text"]) + context
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn print_table(rows: &[Row], latency: Duration, runs: usize) {
    println!(
        "bitext translate examples/article.txt (438 segments), {} latency per request, \
         concurrency {CONCURRENCY}, {runs} run{} each (wall: fastest / median)",
        ms(latency),
        if runs == 1 { "" } else { "s" }
    );
    println!();
    println!(
        "| backend | requests (batches) | wall | ideal | wall/ideal | cached rerun | rerun requests | sent/source chars |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut notes = Vec::new();
    let mut missed = Vec::new();
    for row in rows {
        let fresh = &row.fresh[0];
        let wall = Row::fastest(&row.fresh);
        let cached = Row::fastest(&row.cached);
        let waves = (fresh.requests - fresh.repairs).div_ceil(CONCURRENCY)
            + fresh.repairs.div_ceil(CONCURRENCY);
        let ideal = latency * waves as u32 + cached;
        let ratio = wall.as_secs_f64() / ideal.as_secs_f64().max(f64::MIN_POSITIVE);
        println!(
            "| {} | {} ({}) | {} / {} | {} | {ratio:.2} | {} / {} | {} | {:.2} ({:.2} as JSON bodies) |",
            row.label,
            fresh.requests,
            fresh.batches,
            ms(wall),
            ms(Row::median(&row.fresh)),
            ms(ideal),
            ms(cached),
            ms(Row::median(&row.cached)),
            row.cached[0].requests,
            fresh.sent_ratio(),
            fresh.body_chars as f64 / fresh.source_chars.max(1) as f64,
        );
        let setup = fresh.requests - fresh.batches;
        if setup > 0 {
            notes.push(format!(
                "{}: {setup} of the {} requests set up the glossary; the batches that go out \
                 meanwhile carry their terms as placeholders instead of waiting for it",
                row.label, fresh.requests,
            ));
        }
        let name = &row.label;
        if latency == Duration::from_millis(200) && wall >= GOAL_WALL {
            missed.push(format!("{name}: wall {} ≥ {}", ms(wall), ms(GOAL_WALL)));
        }
        if ratio > GOAL_RATIO {
            missed.push(format!("{name}: wall/ideal {ratio:.2} > {GOAL_RATIO}"));
        }
        if cached >= GOAL_CACHED {
            missed.push(format!(
                "{name}: cached rerun {} ≥ {}",
                ms(cached),
                ms(GOAL_CACHED)
            ));
        }
        if row.cached[0].requests != 0 {
            missed.push(format!(
                "{name}: the cached rerun sent {} requests",
                row.cached[0].requests
            ));
        }
    }
    // Glossary repairs go out in batches: a server that ignores the glossary
    // costs at most twice the requests of a run without one.
    let requests = |label: &str| {
        rows.iter()
            .find(|r| r.label == label)
            .map(|r| r.fresh[0].requests)
    };
    if let (Some(ignoring), Some(plain)) = (
        requests(Vendor::OpenAiIgnoringTerms.name()),
        requests("openai --no-glossary"),
    ) {
        notes.push(format!(
            "{}: {ignoring} requests, {:.1} × the {plain} of openai --no-glossary",
            Vendor::OpenAiIgnoringTerms.name(),
            ignoring as f64 / plain as f64
        ));
        if ignoring > GOAL_REPAIR_FACTOR * plain {
            missed.push(format!(
                "{}: {ignoring} requests > {GOAL_REPAIR_FACTOR} × {plain}",
                Vendor::OpenAiIgnoringTerms.name()
            ));
        }
    }
    println!();
    for note in notes {
        println!("{note}");
    }
    if missed.is_empty() {
        println!(
            "goals met: wall < 1.5 s at 200 ms, wall/ideal ≤ {GOAL_RATIO}, cached rerun < 100 ms \
             with no requests, glossary repairs ≤ {GOAL_REPAIR_FACTOR} × the requests without a glossary"
        );
    } else {
        println!("goals missed: {}", missed.join("; "));
    }
}
