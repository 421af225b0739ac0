//! The network and command backends against local mock servers (wiremock on
//! 127.0.0.1) that speak each vendor's protocol, and a fake MT program.
//! Nothing here reaches the network.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bitext::backend::{
    self, ApiKey, Backend, BackendSettings, SegmentReply, SegmentRequest, TermSupport,
    TranslateContext,
};
use bitext::document::SegmentId;
use bitext::glossary::Glossary;
use bitext::{Error, ErrorKind};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::harness::{
    Bitext, assert_contains, assert_starts_with, assert_valid_tmx, chat_reply, chat_server,
    chat_user, dead_port, deepl_glossaries, fake_english, fixture_path, post, received, run_async,
    run_async_code, serve,
};

// ---------------------------------------------------------------- helpers

const GLOSSARY: &str =
    "source\ttarget\n创先争优\tStrive for Excellence\n国土资源部\tMinistry of Land and Resources\n";

fn glossary() -> Glossary {
    Glossary::from_tsv_str("test.tsv", GLOSSARY).unwrap()
}

/// Requests for `texts`, with ids from 1 and the test glossary's terms.
fn requests(texts: &[&str]) -> Vec<SegmentRequest> {
    let glossary = glossary();
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| SegmentRequest {
            id: SegmentId(i as u32 + 1),
            text: text.to_string(),
            markup: false,
            terms: glossary.annotate(text),
            examples: Vec::new(),
        })
        .collect()
}

/// `n` distinct Chinese segments.
fn many(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("第{i}句话.")).collect()
}

fn ctx() -> TranslateContext {
    TranslateContext::new("zh-CN", "en-US", "test.txt")
}

/// Settings pointing at `base`, with fast retries.
fn settings(base: &str) -> BackendSettings {
    let mut s = BackendSettings::default();
    s.base_url = Some(base.to_string());
    s.retry_base = Duration::from_millis(5);
    s.max_retries = 3;
    s
}

/// The same settings with a key that came from `var`.
fn keyed(base: &str, key: &str, var: &str) -> BackendSettings {
    let mut s = settings(base);
    s.api_key = Some(ApiKey::new(key, var));
    s
}

/// Settings pointing at `base` whose key variable is never set.
fn without_key(base: &str) -> BackendSettings {
    let mut s = settings(base);
    s.api_key_env = Some("BITEXT_TEST_KEY_THAT_IS_NEVER_SET".into());
    s
}

/// The backend `name` at `base` cannot be built without a key: the error
/// stops the run and names the variable to set.
fn assert_needs_a_key(name: &str, base: &str) {
    let err = backend::build(name, &without_key(base)).err().unwrap();
    assert_fatal(&err, "set BITEXT_TEST_KEY_THAT_IS_NEVER_SET");
}

fn build(name: &str, settings: &BackendSettings) -> Box<dyn Backend> {
    backend::build(name, settings).unwrap_or_else(|e| panic!("build {name}: {e}"))
}

fn by_id(replies: &[SegmentReply]) -> BTreeMap<u32, String> {
    replies.iter().map(|r| (r.id.0, r.text.clone())).collect()
}

/// The translation every fake server gives: recomputable from the request.
fn english(id: &Value, text: &str) -> String {
    format!("Translation {id} of {} characters.", text.chars().count())
}

fn is_fatal(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::BackendFatal { .. })
}

fn is_retryable(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Backend { .. })
}

/// `err` stops the run, and its message holds `needle`.
fn assert_fatal(err: &Error, needle: &str) {
    assert!(is_fatal(err), "{err:?}");
    assert!(err.to_string().contains(needle), "{err}");
}

/// `err` retries the batch, and its message holds `needle`.
fn assert_retryable(err: &Error, needle: &str) {
    assert!(is_retryable(err), "{err:?}");
    assert!(err.to_string().contains(needle), "{err}");
}

/// A server that answers every POST with `responder`.
async fn post_server(responder: impl wiremock::Respond + 'static) -> MockServer {
    serve([Mock::given(method("POST")).respond_with(responder)]).await
}

/// Translate "你好." with the backend `name`, its base URL the server's
/// address and `path`, through a server that answers every request with
/// `reply`, with the key `key` from the variable `var`: the error, which
/// must stop the run and not show the key, and the server.
async fn stopping_error(
    name: &str,
    path: &str,
    reply: ResponseTemplate,
    key: &str,
    var: &str,
) -> (Error, MockServer) {
    let server = post_server(reply).await;
    let settings = keyed(&format!("{}{path}", server.uri()), key, var);
    let err = hello(name, &settings).await.unwrap_err();
    assert!(is_fatal(&err), "{err:?}");
    assert!(!err.to_string().contains(key), "{err}");
    (err, server)
}

/// Translate "你好." with the backend `name` built from `settings`.
async fn hello(name: &str, settings: &BackendSettings) -> bitext::Result<Vec<SegmentReply>> {
    build(name, settings).translate_texts(&["你好."]).await
}

/// Translate `texts` (as [`requests`], in the test context).
trait TranslateTexts {
    async fn translate_texts(&self, texts: &[&str]) -> bitext::Result<Vec<SegmentReply>>;
}

impl TranslateTexts for dyn Backend {
    async fn translate_texts(&self, texts: &[&str]) -> bitext::Result<Vec<SegmentReply>> {
        self.translate(&ctx(), &requests(texts)).await
    }
}

// ---------------------------------------------------------------- openai

/// Answer a chat request with `shape` applied to its segments.
fn chat_with(shape: fn(&[Value]) -> String) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let user = chat_user(request);
        chat_reply(&shape(user["segments"].as_array().unwrap()), "stop")
    }
}

/// `{"translations": [...]}` in reverse order.
fn documented(segments: &[Value]) -> String {
    let items: Vec<Value> = segments
        .iter()
        .rev()
        .map(|s| json!({"id": s["id"], "text": english(&s["id"], s["text"].as_str().unwrap())}))
        .collect();
    json!({ "translations": items }).to_string()
}

/// Settings for the chat server `server`.
fn openai_at(server: &MockServer) -> BackendSettings {
    settings(&format!("{}/v1", server.uri()))
}

/// A chat server that answers the first request with `first`, then every
/// segment ([`documented`]).
async fn first_then_documented(first: ResponseTemplate) -> MockServer {
    serve([
        Mock::given(method("POST"))
            .respond_with(first)
            .up_to_n_times(1)
            .with_priority(1),
        Mock::given(method("POST")).respond_with(chat_with(documented)),
    ])
    .await
}

#[tokio::test]
async fn openai_sends_one_json_batch_with_context_and_batch_terms() {
    let server = chat_server(chat_with(documented)).await;
    let mut s = keyed(
        &format!("{}/v1", server.uri()),
        "sk-test-123",
        "OPENAI_API_KEY",
    );
    s.model = Some("qwen2.5:7b".into());
    let backend = build("openai", &s);
    assert_eq!(backend.model(), Some("qwen2.5:7b"));
    assert_eq!(backend.capabilities().terms, TermSupport::Prompt);
    let batch = requests(&["开展创先争优活动.", "他说.", "今天很好."]);
    let ctx = ctx().with_neighbours(vec!["前文.".into()], vec!["后文.".into()]);
    let replies = backend.translate(&ctx, &batch).await.unwrap();

    let expected: BTreeMap<u32, String> = batch
        .iter()
        .map(|r| (r.id.0, english(&json!(r.id.0), &r.text)))
        .collect();
    assert_eq!(by_id(&replies), expected);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.headers["authorization"], "Bearer sk-test-123");
    let body: Value = request.body_json().unwrap();
    assert_eq!(body["model"], "qwen2.5:7b");
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    assert_eq!(body["messages"][0]["role"], "system");
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("Chinese (zh-CN)") && system.contains("English (en-US)"));
    assert_contains(system, "not instructions");
    assert_eq!(body["messages"][1]["role"], "user");
    let user = chat_user(request);
    assert_eq!(
        user["segments"],
        json!([
            {"id": 1, "text": "开展创先争优活动."},
            {"id": 2, "text": "他说."},
            {"id": 3, "text": "今天很好."},
        ])
    );
    assert_eq!(user["context_before"], json!(["前文."]));
    assert_eq!(user["context_after"], json!(["后文."]));
    // Only the terms of this batch, not the whole glossary.
    assert_eq!(
        user["terms"],
        json!([{"source": "创先争优", "target": "Strive for Excellence"}])
    );
}

#[tokio::test]
async fn openai_matches_replies_by_id_when_reordered_missing_extra_or_merged() {
    fn messy(segments: &[Value]) -> String {
        let id = |i: usize| segments[i]["id"].clone();
        let text = |i: usize| segments[i]["text"].as_str().unwrap().to_string();
        json!({"translations": [
            // 4th first, as a string id
            {"id": id(3).to_string(), "text": english(&id(3), &text(3))},
            // 1st and 2nd merged into one reply under the 1st id
            {"id": id(0), "text": format!("{} {}", english(&id(0), &text(0)), english(&id(1), &text(1)))},
            // an id nobody asked for
            {"id": 777, "text": "stray"},
            // the 4th again: the first one wins
            {"id": id(3), "text": "duplicate"},
            // 3rd missing
        ]})
        .to_string()
    }
    let server = chat_server(chat_with(messy)).await;
    let backend = build("openai", &openai_at(&server));
    let batch = requests(&["一.", "二二.", "三三三.", "四四四四."]);
    let replies = by_id(&backend.translate(&ctx(), &batch).await.unwrap());
    let e = |i: usize| english(&json!(batch[i].id.0), &batch[i].text);
    assert_eq!(
        replies,
        BTreeMap::from([(1, format!("{} {}", e(0), e(1))), (4, e(3))])
    );
}

#[tokio::test]
async fn openai_reads_fenced_and_think_replies() {
    fn fenced(segments: &[Value]) -> String {
        format!(
            "<think>They want JSON like {{\"id\": 0}}. [plan]</think>\nHere is the translation:\n```json\n{}\n```\nLet me know!",
            documented(segments)
        )
    }
    let server = chat_server(chat_with(fenced)).await;
    let backend = build("openai", &openai_at(&server));
    let batch = requests(&["你好.", "再见."]);
    let replies = by_id(&backend.translate(&ctx(), &batch).await.unwrap());
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[&2], english(&json!(2), "再见."));
}

#[tokio::test]
async fn openai_cut_off_reply_fails_the_batch_retryably() {
    let server = chat_server(|request: &Request| {
        let segments = chat_user(request)["segments"].clone();
        let full = documented(segments.as_array().unwrap());
        chat_reply(&full[..full.len() / 2], "length")
    })
    .await;
    let backend = build("openai", &openai_at(&server));
    let err = backend
        .translate_texts(&["你好.", "再见."])
        .await
        .unwrap_err();
    assert_retryable(&err, "finish_reason: length");
}

#[tokio::test]
async fn openai_drops_response_format_when_the_server_rejects_it() {
    let server = serve([
        Mock::given(method("POST"))
            .and(body_partial_json(
                json!({"response_format": {"type": "json_object"}}),
            ))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({
                "error": {"message": "response_format json_object is not supported by this model"}
            })))
            .with_priority(1),
        Mock::given(method("POST")).respond_with(chat_with(documented)),
    ])
    .await;
    let backend = build("openai", &openai_at(&server));
    for text in ["你好.", "再见."] {
        let replies = backend.translate_texts(&[text]).await.unwrap();
        assert_eq!(replies.len(), 1);
    }
    let requests = received(&server).await;
    let with_format: Vec<bool> = requests
        .iter()
        .map(|r| {
            r.body_json::<Value>()
                .unwrap()
                .get("response_format")
                .is_some()
        })
        .collect();
    // Rejected once, then never sent again.
    assert_eq!(with_format, [true, false, false]);
}

#[tokio::test]
async fn openai_no_translations_in_reply_is_retryable() {
    let server = chat_server(chat_reply("I'm sorry, I can't help with that.", "stop")).await;
    let backend = build("openai", &openai_at(&server));
    let err = backend.translate_texts(&["你好."]).await.unwrap_err();
    assert_retryable(&err, "I'm sorry");
}

#[tokio::test]
async fn openai_401_stops_the_run_naming_the_variable_not_the_key() {
    let (err, server) = stopping_error(
        "openai",
        "/v1",
        ResponseTemplate::new(401).set_body_json(json!({
            "error": {"message": "Incorrect API key provided: sk-secret-777."}
        })),
        "sk-secret-777",
        "OPENAI_API_KEY",
    )
    .await;
    let message = err.to_string();
    assert_contains(&message, "rejected the key (HTTP 401)");
    assert_contains(&message, "check OPENAI_API_KEY");
    assert!(!format!("{err:?}").contains("sk-secret-777"));
    assert_eq!(received(&server).await.len(), 1, "no retry on 401");
}

#[tokio::test]
async fn openai_404_names_the_model() {
    let server = post_server(ResponseTemplate::new(404).set_body_json(json!({
        "error": {"message": "model 'nope' not found"}
    })))
    .await;
    let mut s = openai_at(&server);
    s.model = Some("nope".into());
    let err = hello("openai", &s).await.unwrap_err();
    assert_fatal(&err, "check --model (is 'nope' served there?)");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_500_is_retried_and_then_succeeds() {
    let server = first_then_documented(ResponseTemplate::new(500).set_body_string("oops")).await;
    let backend = build("openai", &openai_at(&server));
    let replies = backend.translate_texts(&["你好."]).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_are_capped() {
    let server = post_server(ResponseTemplate::new(503).set_body_string("down")).await;
    let mut s = openai_at(&server);
    s.max_retries = 2;
    let err = hello("openai", &s).await.unwrap_err();
    assert_retryable(&err, "HTTP 503");
    assert!(err.to_string().contains("3 attempts"), "{err}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let server =
        first_then_documented(ResponseTemplate::new(429).insert_header("Retry-After", "1")).await;
    // Retried once, after the wait the server asked for. (How long the
    // wait is, in seconds or until an HTTP date, and its cap, is tested on
    // tokio's paused clock in the transport's unit tests: no wall-clock
    // checks here.)
    let mut s = openai_at(&server);
    s.max_retries = 1;
    let replies = hello("openai", &s).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_reason_fails_at_once() {
    let server = post_server(ResponseTemplate::new(429).insert_header("Retry-After", "3600")).await;
    let err = hello("openai", &openai_at(&server)).await.unwrap_err();
    assert_retryable(&err, "asked to wait 3600 s");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_unreachable_server_is_a_plain_hint() {
    let port = dead_port();
    let mut s = settings(&format!("http://127.0.0.1:{port}/v1"));
    s.max_retries = 1;
    let err = hello("openai", &s).await.unwrap_err();
    assert!(is_fatal(&err), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "backend openai: could not connect to http://127.0.0.1:{port}/v1/chat/completions; is the server running?"
        )
    );
}

/// A chat server on 127.0.0.1 that answers every segment, and the times
/// (since it started) at which it received each request.
async fn timed_server() -> (MockServer, Arc<std::sync::Mutex<Vec<Duration>>>) {
    let times: Arc<std::sync::Mutex<Vec<Duration>>> = Arc::default();
    let log = Arc::clone(&times);
    let start = std::time::Instant::now();
    let server = chat_server(move |request: &Request| {
        log.lock().unwrap().push(start.elapsed());
        chat_with(documented)(request)
    })
    .await;
    (server, times)
}

/// `bitext translate` of the reference article through the chat server at
/// `server`, with `args` and the environment variables `env`; run on a
/// blocking thread.
/// The requests `openai` sends for the article (438 segments) without a
/// glossary: batches of at most 3,000 characters (5,903 in all).
const ARTICLE_REQUESTS: usize = 2;

async fn translate_article(
    server: &MockServer,
    args: &[&str],
    env: &[(&str, &str)],
) -> crate::harness::Run {
    let mut bitext = Bitext::translate_fixture("article.txt", "article.txt")
        .args(["--no-glossary", "--formats", "jsonl"])
        .args(["--backend", "openai", "--base-url"])
        .args([format!("{}/v1", server.uri())])
        .args(args.iter().copied());
    for (key, value) in env {
        bitext = bitext.env(key, value);
    }
    run_async(bitext).await.0
}

#[tokio::test]
async fn a_server_on_this_machine_is_reached_directly_whatever_the_proxy_settings() {
    // Every proxy variable points at a port where nothing listens: a request
    // that went through it would fail to connect.
    let (server, times) = timed_server().await;
    let proxy = format!("http://127.0.0.1:{}", dead_port());
    let env: Vec<(&str, &str)> = [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ]
    .into_iter()
    .map(|var| (var, proxy.as_str()))
    .collect();
    let run = translate_article(&server, &[], &env).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(times.lock().unwrap().len(), ARTICLE_REQUESTS);
}

#[tokio::test]
async fn rpm_spaces_the_requests() {
    // --rpm 60: one request a second at most, whatever the concurrency.
    // The two requests of the article span one interval at least; the
    // bound allows for a request that reaches the server a little late (a
    // slow machine spaces them further, never closer).
    let (server, times) = timed_server().await;
    let run = translate_article(&server, &["--rpm", "60", "--concurrency", "4"], &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let times = times.lock().unwrap().clone();
    assert_eq!(times.len(), ARTICLE_REQUESTS);
    let span = *times.iter().max().unwrap() - *times.iter().min().unwrap();
    assert!(span >= Duration::from_millis(900), "{times:?}");
}

#[test]
fn plain_http_needs_allow_http_off_this_machine() {
    let s = settings("http://mt.example.com/v1");
    let err = backend::build("openai", &s).err().unwrap();
    assert!(matches!(err.kind(), ErrorKind::Usage(_)), "{err:?}");
    assert!(err.to_string().contains("--allow-http"), "{err}");
    let mut s = keyed("http://mt.example.com/v1", "k", "OPENAI_API_KEY");
    s.allow_http = true;
    assert!(backend::build("openai", &s).is_ok());
}

#[test]
fn a_remote_server_needs_a_key() {
    assert_needs_a_key("openai", "https://api.example.com/v1");
}

/// A chat server that holds every request until released, and counts how
/// many it holds at once.
struct HoldingServer {
    port: u16,
    held: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    release: tokio::sync::watch::Sender<bool>,
}

impl HoldingServer {
    async fn start() -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (release, released) = tokio::sync::watch::channel(false);
        let held = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (h, m, t) = (held.clone(), most.clone(), total.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut conn, _)) = listener.accept().await else {
                    return;
                };
                let (h, m, t, mut released) = (h.clone(), m.clone(), t.clone(), released.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let body = loop {
                        let n = conn.read(&mut chunk).await.unwrap();
                        assert!(n > 0, "connection closed mid-request");
                        buf.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buf).to_string();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length: usize = text[..end]
                                .lines()
                                .find_map(|l| {
                                    let (k, v) = l.split_once(':')?;
                                    k.eq_ignore_ascii_case("content-length")
                                        .then(|| v.trim().parse().ok())?
                                })
                                .unwrap_or(0);
                            if buf.len() >= end + 4 + length {
                                break buf[end + 4..end + 4 + length].to_vec();
                            }
                        }
                    };
                    let now = h.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(now, Ordering::SeqCst);
                    t.fetch_add(1, Ordering::SeqCst);
                    released.wait_for(|r| *r).await.unwrap();
                    h.fetch_sub(1, Ordering::SeqCst);
                    let body: Value = serde_json::from_slice(&body).unwrap();
                    let user = crate::harness::parse_chat_user(
                        body["messages"][1]["content"].as_str().unwrap(),
                    );
                    let content = documented(user["segments"].as_array().unwrap());
                    let reply = json!({"choices": [{"message": {"content": content}, "finish_reason": "stop"}]})
                        .to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                        reply.len()
                    );
                    conn.write_all(response.as_bytes()).await.unwrap();
                    conn.shutdown().await.ok();
                });
            }
        });
        HoldingServer {
            port,
            held,
            most,
            total,
            release,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_batches_share_one_concurrency_limit() {
    let server = HoldingServer::start().await;
    let mut s = settings(&format!("http://127.0.0.1:{}/v1", server.port));
    s.concurrency = 2;
    let backend: Arc<dyn Backend> = Arc::from(build("openai", &s));
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let backend = backend.clone();
            tokio::spawn(async move {
                let batch = requests(&[&format!("第{i}句.")]);
                backend.translate(&ctx(), &batch).await
            })
        })
        .collect();
    // Wait until the limit is reached, then give any request that would
    // break it every chance to arrive.
    for _ in 0..500 {
        if server.held.load(Ordering::SeqCst) == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.held.load(Ordering::SeqCst), 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        server.most.load(Ordering::SeqCst),
        2,
        "more than 2 in flight"
    );
    server.release.send(true).unwrap();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().len(), 1);
    }
    assert_eq!(server.total.load(Ordering::SeqCst), 6);
    assert_eq!(server.most.load(Ordering::SeqCst), 2);
}

/// Translate `n` distinct segments with `backend`, whose server is
/// `server`, and check that each comes back as its [`fake_english`]; the
/// requests the server received, and their bodies.
async fn translate_many(
    backend: &dyn Backend,
    server: &MockServer,
    n: usize,
) -> (Vec<Request>, Vec<Value>) {
    let texts = many(n);
    let batch = requests(&texts.iter().map(String::as_str).collect::<Vec<_>>());
    let replies = backend.translate(&ctx(), &batch).await.unwrap();
    let expected: BTreeMap<u32, String> = batch
        .iter()
        .map(|r| (r.id.0, fake_english(&r.text)))
        .collect();
    assert_eq!(by_id(&replies), expected);
    let requests = received(server).await;
    let bodies = requests.iter().map(|r| r.body_json().unwrap()).collect();
    (requests, bodies)
}

/// How many texts each request body sends in its array `field`.
fn batch_sizes(bodies: &[Value], field: &str) -> Vec<usize> {
    bodies
        .iter()
        .map(|b| b[field].as_array().unwrap().len())
        .collect()
}

// ---------------------------------------------------------------- deepl

/// DeepL's `/v2/translate`: each text becomes `EN(n)` in order.
fn deepl_translate(request: &Request) -> ResponseTemplate {
    crate::harness::deepl_reply(request, fake_english)
}

async fn deepl_server() -> MockServer {
    deepl_server_with([]).await
}

/// A DeepL server whose `/v2/translate` answers requests with the test key
/// ([`deepl_translate`]), with `more` mocks.
async fn deepl_server_with(more: impl IntoIterator<Item = Mock>) -> MockServer {
    let translate = post("/v2/translate")
        .and(header("authorization", "DeepL-Auth-Key test-key:fx"))
        .respond_with(deepl_translate);
    serve(std::iter::once(translate).chain(more)).await
}

/// A DeepL server ([`deepl_server`]) whose account has no glossaries yet:
/// the glossary is created, and `create` (see [`create_glossary`]) answers.
async fn deepl_server_creating(create: Mock) -> MockServer {
    deepl_server_with([deepl_glossaries(json!([])), create]).await
}

fn deepl_settings(server: &MockServer) -> BackendSettings {
    keyed(&server.uri(), "test-key:fx", "DEEPL_AUTH_KEY")
}

/// [`deepl_settings`] with the test glossary.
fn deepl_with_glossary(server: &MockServer) -> BackendSettings {
    let mut s = deepl_settings(server);
    s.glossary = Some(Arc::new(glossary()));
    s
}

/// Translate a sentence with a term through the DeepL server `server`, with
/// the test glossary; the body of the first request it received to `path`
/// by `method`.
async fn translate_with_glossary(server: &MockServer, method: &str, path: &str) -> Value {
    build("deepl", &deepl_with_glossary(server))
        .translate_texts(&["开展创先争优活动."])
        .await
        .unwrap();
    received(server)
        .await
        .iter()
        .find(|r| r.method.as_str() == method && r.url.path() == path)
        .map(|r| r.body_json().unwrap())
        .unwrap()
}

/// DeepL's glossary creation, answered by `reply`.
fn create_glossary(reply: impl wiremock::Respond + 'static) -> Mock {
    post("/v2/glossaries").respond_with(reply)
}

#[tokio::test]
async fn deepl_batches_of_50_in_order_with_language_codes() {
    let server = deepl_server().await;
    let backend = build("deepl", &deepl_settings(&server));
    let (_, bodies) = translate_many(&*backend, &server, 60).await;
    assert_eq!(batch_sizes(&bodies, "text"), [50, 10]);
    let body = &bodies[0];
    assert_eq!(body["source_lang"], "ZH");
    assert_eq!(body["target_lang"], "EN-US");
    assert!(body.get("tag_handling").is_none());
    assert!(body.get("glossary_id").is_none(), "no glossary was given");
}

#[tokio::test]
async fn deepl_sends_markup_as_xml_with_x_ignored() {
    let server = deepl_server().await;
    let backend = build("deepl", &deepl_settings(&server));
    let mut batch = requests(&["开展<x id=\"1\"/>活动.", "普通一句."]);
    batch[0].markup = true;
    let replies = by_id(&backend.translate(&ctx(), &batch).await.unwrap());
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[&1], fake_english(&batch[0].text));
    let requests = received(&server).await;
    let bodies: Vec<Value> = requests.iter().map(|r| r.body_json().unwrap()).collect();
    // Plain and markup segments go in separate requests.
    let xml: Vec<&Value> = bodies
        .iter()
        .filter(|b| b.get("tag_handling").is_some())
        .collect();
    assert_eq!(xml.len(), 1);
    assert_eq!(xml[0]["tag_handling"], "xml");
    assert_eq!(xml[0]["ignore_tags"], json!(["x"]));
    assert_eq!(xml[0]["text"], json!([batch[0].text]));
}

#[tokio::test]
async fn deepl_count_mismatch_is_retryable() {
    let server = serve([post("/v2/translate").respond_with(|request: &Request| {
        let body: Value = request.body_json().unwrap();
        let n = body["text"].as_array().unwrap().len();
        let translations: Vec<Value> = (1..n).map(|_| json!({"text": "x"})).collect();
        ResponseTemplate::new(200).set_body_json(json!({ "translations": translations }))
    })])
    .await;
    let err = build("deepl", &deepl_settings(&server))
        .translate_texts(&["一.", "二.", "三."])
        .await
        .unwrap_err();
    assert_retryable(&err, "2 translations for 3 texts");
}

#[tokio::test]
async fn deepl_creates_the_glossary_once_and_sends_its_id() {
    let server = deepl_server_creating(
        create_glossary(|request: &Request| {
            let body: Value = request.body_json().unwrap();
            ResponseTemplate::new(201).set_body_json(json!({
                "glossary_id": format!("gl-{}", body["entries"].as_str().unwrap().lines().count()),
                "name": body["name"],
                "ready": true,
            }))
        })
        .expect(1),
    )
    .await;
    let s = deepl_with_glossary(&server);
    let backend = build("deepl", &s);
    assert_eq!(backend.capabilities().terms, TermSupport::Native);
    for batch in [
        requests(&["开展创先争优活动.", "普通."]),
        requests(&["国土资源部发布.", "又一句."]),
        requests(&["没有术语."]),
    ] {
        backend.translate(&ctx(), &batch).await.unwrap();
    }
    let requests = received(&server).await;
    let create: Vec<Value> = requests
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/v2/glossaries")
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(create.len(), 1);
    assert_eq!(create[0]["source_lang"], "zh");
    assert_eq!(create[0]["target_lang"], "en");
    assert_eq!(create[0]["entries_format"], "tsv");
    assert_eq!(
        create[0]["entries"],
        "创先争优\tStrive for Excellence\n国土资源部\tMinistry of Land and Resources\n"
    );
    assert!(create[0]["name"].as_str().unwrap().starts_with("bitext-"));
    let glossary_ids: Vec<Value> = requests
        .iter()
        .filter(|r| r.url.path() == "/v2/translate")
        .map(|r| r.body_json::<Value>().unwrap()["glossary_id"].clone())
        .collect();
    // Batches with terms use the glossary; the one without does not.
    assert_eq!(glossary_ids, [json!("gl-2"), json!("gl-2"), Value::Null]);
    assert_eq!(backend.capabilities().terms, TermSupport::Native);
}

#[tokio::test]
async fn deepl_reuses_a_glossary_an_earlier_run_made() {
    // First run: learn the name the glossary gets.
    let first = deepl_server_creating(create_glossary(
        ResponseTemplate::new(201).set_body_json(json!({"glossary_id": "new"})),
    ))
    .await;
    let name = translate_with_glossary(&first, "POST", "/v2/glossaries").await["name"].clone();

    // Second run: the account already has it.
    let second = deepl_server_with([
        deepl_glossaries(json!([
            {"glossary_id": "other", "name": "someone else's", "ready": true, "source_lang": "zh", "target_lang": "en"},
            {"glossary_id": "old", "name": name, "ready": true, "source_lang": "zh", "target_lang": "en"},
        ])),
        create_glossary(ResponseTemplate::new(201).set_body_json(json!({"glossary_id": "dup"})))
            .expect(0),
    ])
    .await;
    let sent = translate_with_glossary(&second, "POST", "/v2/translate").await;
    assert_eq!(sent["glossary_id"], "old");
}

#[tokio::test]
async fn deepl_falls_back_to_placeholders_when_the_glossary_is_refused() {
    let server = deepl_server_creating(
        create_glossary(ResponseTemplate::new(400).set_body_json(json!({
            "message": "Unsupported glossary language pair"
        })))
        .expect(1),
    )
    .await;
    let s = deepl_with_glossary(&server);
    let backend = build("deepl", &s);
    assert_eq!(backend.capabilities().terms, TermSupport::Native);
    for _ in 0..2 {
        let replies = backend
            .translate_texts(&["开展创先争优活动."])
            .await
            .unwrap();
        assert_eq!(replies.len(), 1);
    }
    assert_eq!(backend.capabilities().terms, TermSupport::Placeholder);
    let translate: Vec<Value> = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/v2/translate")
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(translate.len(), 2);
    assert!(translate.iter().all(|b| b.get("glossary_id").is_none()));
}

#[tokio::test]
async fn deepl_bad_key_and_quota_stop_the_run() {
    for (status, expected) in [
        (
            403,
            "DeepL rejected the key (HTTP 403); check DEEPL_AUTH_KEY",
        ),
        (456, "DeepL quota exceeded (HTTP 456)"),
    ] {
        let (err, server) = stopping_error(
            "deepl",
            "",
            ResponseTemplate::new(status),
            "test-key:fx",
            "DEEPL_AUTH_KEY",
        )
        .await;
        assert_fatal(&err, expected);
        assert!(!err.to_string().contains("test-key"), "{err}");
        assert_eq!(
            received(&server).await.len(),
            1,
            "HTTP {status} is not retried"
        );
    }
}

#[test]
fn deepl_needs_a_key() {
    assert_needs_a_key("deepl", "http://127.0.0.1:1");
}

// ---------------------------------------------------------------- google

fn google_translate(request: &Request) -> ResponseTemplate {
    let body: Value = request.body_json().unwrap();
    let html = body["format"] == "html";
    let translations: Vec<Value> = body["q"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let q = q.as_str().unwrap();
            let text = if html {
                // What Google does to markup: entities, tags rewritten.
                format!(
                    "Xi&#39;s {} &amp; &quot;more&quot;",
                    q.replace("<x id=\"1\"/>", "<x id=\"1\"></x>")
                )
            } else {
                fake_english(q)
            };
            json!({ "translatedText": text })
        })
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({"data": {"translations": translations}}))
}

async fn google_server() -> MockServer {
    serve([post("/language/translate/v2")
        .and(header("x-goog-api-key", "g-key"))
        .respond_with(google_translate)])
    .await
}

#[tokio::test]
async fn google_batches_of_128_with_language_codes() {
    let server = google_server().await;
    let backend = build("google", &keyed(&server.uri(), "g-key", "GOOGLE_API_KEY"));
    assert_eq!(backend.capabilities().terms, TermSupport::Placeholder);
    let (requests, bodies) = translate_many(&*backend, &server, 130).await;
    assert_eq!(batch_sizes(&bodies, "q"), [128, 2]);
    assert_eq!(bodies[0]["source"], "zh-CN");
    assert_eq!(bodies[0]["target"], "en");
    assert_eq!(bodies[0]["format"], "text");
    // The key is in a header, never in the URL.
    assert!(requests.iter().all(|r| r.url.query().is_none()));
}

#[tokio::test]
async fn google_html_replies_come_back_as_our_markup() {
    let server = google_server().await;
    let backend = build("google", &keyed(&server.uri(), "g-key", "GOOGLE_API_KEY"));
    let mut batch = requests(&["开展<x id=\"1\"/>活动."]);
    batch[0].markup = true;
    let replies = backend.translate(&ctx(), &batch).await.unwrap();
    assert_eq!(
        replies[0].text,
        "Xi's 开展<x id=\"1\"/>活动. &amp; \"more\""
    );
    let body: Value = received(&server).await[0].body_json().unwrap();
    assert_eq!(body["format"], "html");
}

#[tokio::test]
async fn google_invalid_key_stops_the_run() {
    let (err, _server) = stopping_error(
        "google",
        "",
        ResponseTemplate::new(400).set_body_json(json!({"error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [{"reason": "API_KEY_INVALID"}],
        }})),
        "AIza-secret",
        "GOOGLE_API_KEY",
    )
    .await;
    assert_fatal(&err, "check GOOGLE_API_KEY");
}

// ---------------------------------------------------------------- libretranslate

fn libre_translate(request: &Request) -> ResponseTemplate {
    let body: Value = request.body_json().unwrap();
    let text = match &body["q"] {
        Value::Array(qs) => json!(
            qs.iter()
                .map(|q| fake_english(q.as_str().unwrap()))
                .collect::<Vec<_>>()
        ),
        Value::String(q) => json!(fake_english(q)),
        _ => panic!("q is {}", body["q"]),
    };
    ResponseTemplate::new(200).set_body_json(json!({ "translatedText": text }))
}

#[tokio::test]
async fn libretranslate_request_shape_and_key_in_body() {
    let server = serve([post("/translate").respond_with(libre_translate)]).await;
    let mut s = keyed(&server.uri(), "lt-key", "LIBRETRANSLATE_API_KEY");
    s.source_code = Some("zh-Hans".into());
    let backend = build("libretranslate", &s);
    assert_eq!(backend.capabilities().terms, TermSupport::Placeholder);
    assert!(!backend.capabilities().network, "a server on this machine");
    let batch = requests(&["你好.", "再见吧."]);
    let replies = backend.translate(&ctx(), &batch).await.unwrap();
    assert_eq!(
        by_id(&replies),
        BTreeMap::from([(1, fake_english("你好.")), (2, fake_english("再见吧."))])
    );
    let body: Value = received(&server).await[0].body_json().unwrap();
    assert_eq!(body["q"], json!(["你好.", "再见吧."]));
    assert_eq!(body["source"], "zh-Hans");
    assert_eq!(body["target"], "en");
    assert_eq!(body["format"], "text");
    assert_eq!(body["api_key"], "lt-key");
}

#[tokio::test]
async fn libretranslate_accepts_a_single_string_reply_and_needs_no_key() {
    let server = serve([post("/translate").respond_with(|request: &Request| {
        let body: Value = request.body_json().unwrap();
        let q = body["q"][0].as_str().unwrap();
        ResponseTemplate::new(200).set_body_json(json!({"translatedText": fake_english(q)}))
    })])
    .await;
    let replies = hello("libretranslate", &without_key(&server.uri()))
        .await
        .unwrap();
    assert_eq!(replies[0].text, fake_english("你好."));
    let body: Value = received(&server).await[0].body_json().unwrap();
    assert_eq!(body["source"], "zh");
    assert!(body.get("api_key").is_none());
}

#[tokio::test]
async fn libretranslate_bad_key_stops_the_run() {
    let (err, _server) = stopping_error(
        "libretranslate",
        "",
        ResponseTemplate::new(403).set_body_json(json!({"error": "Invalid API key"})),
        "lt-secret",
        "LIBRETRANSLATE_API_KEY",
    )
    .await;
    assert_fatal(&err, "LibreTranslate rejected the key (HTTP 403)");
    assert!(err.to_string().contains("check LIBRETRANSLATE_API_KEY"));
}

// ---------------------------------------------------------------- command

fn fake_mt(args: &[&str]) -> BackendSettings {
    let mut s = BackendSettings::default();
    let mut argv = vec![
        "python3".to_string(),
        fixture_path("backend/fake_mt.py").display().to_string(),
    ];
    argv.extend(args.iter().map(|a| a.to_string()));
    s.command = Some(argv);
    s
}

/// What fake_mt.py answers for a request.
fn fake_mt_text(request: &SegmentRequest) -> String {
    let terms: Vec<&str> = request.terms.iter().map(|t| t.target.as_str()).collect();
    format!(
        "EN{}: [{}] {} chars",
        request.id,
        terms.join("; "),
        request.text.chars().count()
    )
}

/// The error of translating "一." with the command backend built from
/// `settings`.
async fn command_error(settings: &BackendSettings) -> Error {
    build("command", settings)
        .translate_texts(&["一."])
        .await
        .unwrap_err()
}

#[tokio::test]
async fn command_gets_one_json_batch_with_terms_and_answers_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("batch.json");
    let backend = build(
        "command",
        &fake_mt(&["--extra", "--record", record.to_str().unwrap()]),
    );
    let batch = requests(&["开展创先争优活动.", "国土资源部说.", "好."]);
    let ctx = ctx().with_neighbours(vec!["前.".into()], vec![]);
    let replies = backend.translate(&ctx, &batch).await.unwrap();
    let expected: BTreeMap<u32, String> = batch.iter().map(|r| (r.id.0, fake_mt_text(r))).collect();
    assert_eq!(by_id(&replies), expected, "the extra id is dropped");
    let sent: Value = serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    assert_eq!(sent["source_lang"], "zh-CN");
    assert_eq!(sent["target_lang"], "en-US");
    assert_eq!(sent["context_before"], json!(["前."]));
    assert_eq!(
        sent["segments"][0]["terms"],
        json!([{"source": "创先争优", "target": "Strive for Excellence"}])
    );
    assert_eq!(sent["segments"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn command_missing_replies_stay_missing() {
    let backend = build("command", &fake_mt(&["--drop-last"]));
    let batch = requests(&["一.", "二.", "三."]);
    let replies = by_id(&backend.translate(&ctx(), &batch).await.unwrap());
    assert_eq!(replies.keys().copied().collect::<Vec<_>>(), [1, 2]);
}

#[tokio::test]
async fn command_failures_are_retryable_with_the_programs_message() {
    let err = command_error(&fake_mt(&["--fail"])).await;
    assert!(is_retryable(&err), "{err:?}");
    assert_eq!(
        err.to_string(),
        "backend command: 'python3' exited with status 3: model weights not found: /models/zh-en"
    );
    let err = command_error(&fake_mt(&["--garbage"])).await;
    assert_retryable(&err, "Loading model");
}

#[tokio::test]
async fn command_that_runs_too_long_is_stopped() {
    let mut s = fake_mt(&["--sleep", "30"]);
    s.timeout = Duration::from_secs(1);
    let err = command_error(&s).await;
    assert_retryable(&err, "did not finish within 1 s");
}

#[tokio::test]
async fn command_that_cannot_start_stops_the_run() {
    let mut s = BackendSettings::default();
    s.command = Some(vec!["bitext-no-such-program-xyz".into()]);
    let err = command_error(&s).await;
    assert_fatal(&err, "cannot run 'bitext-no-such-program-xyz': not found");
}

// ---------------------------------------------------------------- the CLI

/// The JSONL records of a run's output.
fn jsonl(run: &crate::harness::Run, name: &str) -> Vec<Value> {
    run.read(name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn cli_translates_with_an_openai_compatible_server() {
    let server = chat_server(chat_with(documented)).await;
    let base = format!("{}/v1", server.uri());
    let (run, _dir) = run_async_code(
        Bitext::translate_fixture("article.txt", "article.txt")
            .args(["--backend", "openai"])
            .args(["--base-url", &base, "--model", "local-model"]),
        0,
    )
    .await;
    assert_eq!(
        run.files("output"),
        ["article.html", "article.jsonl", "article.md", "article.tmx"]
    );
    assert_valid_tmx(&run.dir.join("output/article.tmx"));
    let records = jsonl(&run, "output/article.jsonl");
    let max_batch = bitext::backend::openai::CAPABILITIES.max_batch;
    assert!(records.len() > max_batch, "more than one batch");
    for record in &records {
        assert_eq!(
            record["target"],
            english(&record["id"], record["source"].as_str().unwrap()),
            "{record}"
        );
        assert_eq!(record["backend"], "openai");
        assert_eq!(record["model"], "local-model");
    }
    // Every request a batch within the backend's limits.
    for request in received(&server).await {
        let segments = chat_user(&request)["segments"].as_array().unwrap().len();
        assert!((1..=max_batch).contains(&segments), "{segments}");
    }
    assert_contains(&run.stdout, "with openai");
}

#[tokio::test]
async fn cli_rejected_key_is_one_line_without_the_key() {
    let server = post_server(ResponseTemplate::new(401)).await;
    let base = format!("{}/v1", server.uri());
    let (run, _dir) = run_async(
        Bitext::new()
            .file("a.txt", "中文.测试.")
            .env("OPENAI_API_KEY", "sk-cli-secret-42")
            .args([
                "translate",
                "a.txt",
                "--backend",
                "openai",
                "--base-url",
                &base,
            ]),
    )
    .await;
    assert_ne!(run.code, 0);
    assert_contains(
        &run.stderr,
        "rejected the key (HTTP 401); check OPENAI_API_KEY",
    );
    assert!(!run.stderr.contains("sk-cli-secret-42"));
    assert!(!run.stdout.contains("sk-cli-secret-42"));
    assert!(run.files("output").is_empty(), "nothing written");
}

#[tokio::test]
async fn cli_reads_backend_settings_from_bitext_toml() {
    let server = chat_server(chat_with(documented)).await;
    let config = format!(
        "[backend.openai]\nbase_url = \"{}/v1\"\nmodel = \"from-config\"\nconcurrency = 2\n",
        server.uri()
    );
    let (run, _dir) = run_async_code(
        Bitext::translate("a.txt", "中文.测试.")
            .file("bitext.toml", config)
            .args(["--backend", "openai"]),
        0,
    )
    .await;
    let body: Value = received(&server).await[0].body_json().unwrap();
    assert_eq!(body["model"], "from-config");
    assert_eq!(jsonl(&run, "output/a.jsonl")[0]["model"], "from-config");
}

#[test]
fn cli_config_errors_name_file_line_and_key() {
    let (run, _dir) = Bitext::new()
        .file("a.txt", "中文.")
        .file(
            "my.toml",
            "[backend.openai]\nmodel = \"m\"\nbase_ulr = \"http://127.0.0.1:1\"\n",
        )
        .args([
            "translate",
            "a.txt",
            "--backend",
            "openai",
            "--config",
            "my.toml",
        ])
        .run_code(2);
    assert_starts_with(
        &run.stderr,
        "error: my.toml:3: unknown field `base_ulr`, expected one of",
    );
    assert!(run.files("output").is_empty());
}

#[cfg(unix)]
#[tokio::test]
async fn cli_uses_a_key_in_a_config_file_only_when_it_is_private() {
    let server = deepl_server().await;
    let config = format!(
        "[backend.deepl]\nbase_url = \"{}\"\napi_key = \"test-key:fx\"\n",
        server.uri()
    );
    // `translate` with the config file readable with `mode` (whatever the
    // umask).
    let translate = |mode: u32| {
        run_async(
            Bitext::new()
                .file("a.txt", "中文.")
                .file("bitext.toml", &config)
                .mode("bitext.toml", mode)
                .args(["translate", "a.txt", "--backend", "deepl"]),
        )
    };
    let (run, _dir) = translate(0o644).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "warning: bitext.toml: api_key ignored because other users can read the file; run `chmod 600 bitext.toml`",
    );
    assert_contains(&run.stderr, "no API key: set DEEPL_AUTH_KEY");
    assert!(!run.stderr.contains("test-key"));
    assert!(received(&server).await.is_empty());

    let (run, _dir) = translate(0o600).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // The mock answers only requests with this key in the header.
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(
        jsonl(&run, "output/a.jsonl")[0]["target"],
        fake_english("中文.")
    );
}

#[test]
fn cli_refuses_plain_http_to_another_machine() {
    let (run, _dir) = Bitext::translate("a.txt", "中文.")
        .args(["--backend", "openai"])
        .args(["--base-url", "http://mt.example.com/v1"])
        .env("OPENAI_API_KEY", "k")
        .run_code(2);
    assert_contains(&run.stderr, "pass --allow-http");
    assert!(run.files("output").is_empty());
}

/// `bitext translate` of two sentences, each with a term of the test
/// glossary (given as g.tsv), with `backend`.
fn translate_two_terms(backend: &str) -> Bitext {
    Bitext::translate("a.txt", "开展创先争优活动.国土资源部说.")
        .file("g.tsv", GLOSSARY)
        .args(["--glossary", "g.tsv", "--backend", backend])
}

#[test]
fn cli_translates_with_an_external_command() {
    let script = fixture_path("backend/fake_mt.py").display().to_string();
    let (run, _dir) = translate_two_terms("command")
        .args(["--command", &format!("python3 '{script}'")])
        .run_ok();
    let records = jsonl(&run, "output/a.jsonl");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["target"], "EN1: [Strive for Excellence] 9 chars");
    assert_eq!(
        records[1]["target"],
        "EN2: [Ministry of Land and Resources] 7 chars"
    );
}

#[tokio::test]
async fn cli_counts_the_deepl_glossary_set_up_in_the_requests() {
    let server = deepl_server_creating(create_glossary(
        ResponseTemplate::new(201).set_body_json(json!({"glossary_id": "g1"})),
    ))
    .await;
    let (run, _dir) = run_async_code(
        translate_two_terms("deepl")
            .env("DEEPL_AUTH_KEY", "test-key:fx")
            .args(["--base-url", &server.uri(), "--no-cache"]),
        0,
    )
    .await;
    let sent = received(&server).await;
    let setup = sent
        .iter()
        .filter(|r| r.url.path() == "/v2/glossaries")
        .count();
    assert_eq!(setup, 2, "list, then create");
    assert!(
        run.stdout
            .contains(&format!("\n  requests: {}, ", sent.len())),
        "{} requests reached the server:\n{}",
        sent.len(),
        run.stdout
    );
}
