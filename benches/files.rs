//! Many small inputs through a network backend: no idle waves between files
//! (issue 14). The real `bitext` binary translates a folder of small files
//! (default 200 files of 20 segments, one request each) through a local
//! OpenAI-compatible mock (wiremock on 127.0.0.1) that answers every request
//! after a fixed latency, with `--concurrency 4`. Nothing reaches the
//! network.
//!
//! It prints the requests the server received, the wall time, the ideal
//! (`ceil(requests / concurrency) × latency`, every wave full) and their
//! ratio, against the goal of 1.3. Walking the files one after the other,
//! every file's single request is a wave of one: four times the ideal.
//!
//! Run with `cargo bench --bench files`. `BITEXT_BENCH_FILES` sets the
//! number of files (default 200), `BITEXT_BENCH_SEGMENTS` the segments per
//! file (default 20), `BITEXT_BENCH_LATENCY_MS` the latency (default 200),
//! and `BITEXT_BENCH_BIN` another `bitext` binary to measure instead of the
//! one cargo built (to compare two builds on the same machine).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use common::{CLEARED_ENV, binary, env_number};

/// The requests in flight at once: the CLI's default `--concurrency`.
const CONCURRENCY: usize = 4;

/// Wall time at most this many times the ideal.
const GOAL_RATIO: f64 = 1.3;

/// An OpenAI-compatible server: every segment answered by id after
/// `latency`; it counts the requests.
struct ChatMock {
    latency: Duration,
    requests: Arc<AtomicUsize>,
}

impl Respond for ChatMock {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let body: Value = request.body_json().expect("a JSON request");
        let user: Value = serde_json::from_str(
            body["messages"][1]["content"]
                .as_str()
                .expect("a user message"),
        )
        .expect("segments as JSON");
        let items: Vec<Value> = user["segments"]
            .as_array()
            .expect("segments")
            .iter()
            .map(|s| json!({"id": s["id"], "text": "EN"}))
            .collect();
        let content = json!({ "translations": items }).to_string();
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": "bench",
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }],
            }))
            .set_delay(self.latency)
    }
}

fn main() {
    let files = env_number::<usize>("BITEXT_BENCH_FILES", 200);
    let segments = env_number::<usize>("BITEXT_BENCH_SEGMENTS", 20);
    let latency = Duration::from_millis(env_number("BITEXT_BENCH_LATENCY_MS", 200));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let requests = Arc::new(AtomicUsize::new(0));
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ChatMock {
                latency,
                requests: Arc::clone(&requests),
            })
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).expect("the input folder");
        for n in 0..files {
            let text: String = (0..segments)
                .map(|m| format!("第{n}篇的第{m}句话。\n\n"))
                .collect();
            std::fs::write(input.join(format!("f{n:04}.txt")), text).expect("an input");
        }
        let mut command = tokio::process::Command::new(binary());
        for var in CLEARED_ENV {
            command.env_remove(var);
        }
        let start = Instant::now();
        let status = command
            .env("XDG_CACHE_HOME", dir.path().join(".cache"))
            .current_dir(dir.path())
            .args(["translate", "in", "-o", "out", "--quiet", "--no-cache", "--no-glossary"])
            .args(["--formats", "jsonl", "--backend", "openai", "--concurrency"])
            .arg(CONCURRENCY.to_string())
            .arg("--base-url")
            .arg(format!("{}/v1", server.uri()))
            .stdout(std::process::Stdio::null())
            .status()
            .await
            .expect("run bitext");
        let wall = start.elapsed();
        assert!(status.success(), "bitext failed: {status}");
        let written = std::fs::read_dir(dir.path().join("out"))
            .expect("the output folder")
            .count();
        assert_eq!(written, files, "one output per input");
        let requests = requests.load(Ordering::Relaxed);
        let ideal = latency * requests.div_ceil(CONCURRENCY) as u32;
        let ratio = wall.as_secs_f64() / ideal.as_secs_f64();
        println!(
            "{files} files × {segments} segments, {} ms latency, --concurrency {CONCURRENCY}: \
             {requests} requests, wall {:.2} s, ideal {:.2} s, wall/ideal {ratio:.2} (goal ≤ {GOAL_RATIO}){}",
            latency.as_millis(),
            wall.as_secs_f64(),
            ideal.as_secs_f64(),
            if ratio <= GOAL_RATIO { "" } else { "  MISSED" }
        );
    });
}
