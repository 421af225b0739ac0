//! The one HTTP transport every network backend shares.
//!
//! A [`Transport`] owns a `reqwest` client (rustls with the `ring` provider,
//! certificates always verified against the platform's roots) and applies, to
//! every request of its backend:
//!
//! - a connect timeout and a whole-request timeout;
//! - a concurrency limit (a semaphore shared by all tasks of the backend) and
//!   an optional requests-per-minute limit (one request every `60/rpm`
//!   seconds, shared the same way);
//! - retries with exponential backoff and full jitter on timeouts, connection
//!   errors and HTTP 429, 500, 502, 503 and 504, honouring `Retry-After`
//!   (seconds or an HTTP date) on 429 and 503, at most
//!   [`super::BackendSettings::max_retries`] times per request;
//! - errors that say what to do: a rejected key (401, 403), an exhausted quota
//!   (DeepL's 456) and a missing model or endpoint (404) stop the run
//!   ([`ErrorKind::BackendFatal`]); so does a server that cannot be reached
//!   at all once the retries are spent;
//! - the system's proxy settings (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//!   `NO_PROXY`) for other machines, and never a proxy for this one
//!   (127.0.0.0/8, `::1`, `localhost`): a local server is always reached
//!   directly.
//!
//! Keys are [`Secret`]s: they never appear in an error, a log line or `Debug`
//! output, and any echo of a key in a server's error message is masked.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::BackendSettings;
use crate::error::{Error, ErrorKind, Result};

/// A secret such as an API key. Its `Debug` output is `***`, and it has no
/// `Display`: the only way to the text is [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself, to put into a request header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An API key and where it came from (an environment variable's name, or
/// `api_key in FILE`), so that messages can say what to check.
#[derive(Debug, Clone)]
pub struct ApiKey {
    secret: Secret,
    origin: String,
}

impl ApiKey {
    /// A key that came from `origin`.
    pub fn new(secret: impl Into<String>, origin: impl Into<String>) -> Self {
        ApiKey {
            secret: Secret::new(secret),
            origin: origin.into(),
        }
    }

    /// The key in the environment variable `var`, if it is set and not blank.
    pub fn from_env(var: &str) -> Option<Self> {
        let value = std::env::var(var).ok()?;
        let value = value.trim();
        (!value.is_empty()).then(|| ApiKey::new(value, var))
    }

    /// The key.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Where the key came from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// Whether `url` points at this machine (127.0.0.0/8, `::1`, `localhost`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Parse and check a base URL: `https://` anywhere, `http://` only to this
/// machine unless `allow_http` is set. A trailing `/` is removed.
pub fn base_url(raw: &str, allow_http: bool) -> Result<Url> {
    let usage = |m: String| -> Error { ErrorKind::Usage(m).into() };
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|e| {
        usage(format!(
            "--base-url '{raw}' is not a URL ({e}); write one like https://api.example.com/v1"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || allow_http => {}
        "http" => {
            return Err(usage(format!(
                "--base-url {trimmed}: plain http would send the text and the key unencrypted \
                 to another machine; use https, or pass --allow-http if that is what you want"
            )));
        }
        other => {
            return Err(usage(format!(
                "--base-url {trimmed}: unsupported scheme '{other}'; use https:// (or http:// for a server on this machine)"
            )));
        }
    }
    if url.query().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(usage(format!(
            "--base-url {}: must not carry a query or credentials; keys go in environment variables",
            display_url(&url)
        )));
    }
    Ok(url)
}

/// `base` with `path` appended (`https://h/v1` + `chat/completions`).
pub fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url
}

/// A URL as messages show it: without query or credentials.
fn display_url(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// What a transport says in its messages about its backend.
#[derive(Debug, Clone)]
pub struct Vendor {
    /// The backend's name (`openai`).
    pub backend: &'static str,
    /// The service, as a sentence starts with it (`DeepL`).
    pub service: String,
    /// The environment variable a user sets for the key (`DEEPL_AUTH_KEY`).
    pub key_var: String,
    /// What to check when the server answers 404.
    pub not_found_hint: String,
    /// How to start the server, when it is one on this machine that a
    /// preset names (`ollama serve`); said when it cannot be reached.
    pub connect_hint: Option<String>,
}

/// One HTTP request for [`Transport::send`]. Its `Debug` output shows the
/// method and URL only (headers and body may hold a key).
pub struct Request {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<serde_json::Value>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.display_url())
            .finish_non_exhaustive()
    }
}

impl Request {
    /// `POST url` with a JSON body.
    pub fn post_json(url: Url, body: serde_json::Value) -> Self {
        Request {
            method: Method::POST,
            url,
            headers: HeaderMap::new(),
            body: Some(body),
        }
    }

    /// `GET url`.
    pub fn get(url: Url) -> Self {
        Request {
            method: Method::GET,
            url,
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// Add a header holding a secret, as `prefix` followed by the secret
    /// (`Bearer `, `DeepL-Auth-Key `); it is marked sensitive.
    pub fn secret_header(mut self, name: &'static str, prefix: &str, secret: &Secret) -> Self {
        if let Ok(mut value) = HeaderValue::from_str(&format!("{prefix}{}", secret.expose())) {
            value.set_sensitive(true);
            self.headers.insert(HeaderName::from_static(name), value);
        }
        self
    }

    /// The URL as messages show it.
    pub fn display_url(&self) -> String {
        display_url(&self.url)
    }
}

/// A reply that was neither a success worth retrying nor a fatal error: a
/// 2xx, or a client error (400, 413, 422, …) the backend may interpret.
#[derive(Debug)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The body, as text.
    pub body: String,
    url: String,
    backend: &'static str,
}

impl Reply {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The server's error message, if the body carries one (`error.message`,
    /// `error`, `message` or `detail`), else the start of the body.
    pub fn detail(&self) -> String {
        error_detail(&self.body)
    }

    /// Decode a successful JSON reply; any other status is a (retryable)
    /// error naming the URL and the server's message.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        if !self.is_success() {
            return Err(self.error());
        }
        serde_json::from_str(&self.body).map_err(|e| {
            backend_error(
                self.backend,
                format!("unexpected reply from {}: {e}", self.url),
            )
        })
    }

    /// The retryable error for an unsuccessful reply.
    pub fn error(&self) -> Error {
        let detail = self.detail();
        backend_error(
            self.backend,
            format!(
                "{} answered HTTP {}{}",
                self.url,
                self.status.as_u16(),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(": {detail}")
                }
            ),
        )
    }
}

/// A retryable backend error.
pub fn backend_error(backend: &str, message: impl Into<String>) -> Error {
    ErrorKind::Backend {
        backend: backend.to_string(),
        message: message.into(),
    }
    .into()
}

/// A backend error that stops the run.
pub fn fatal_error(backend: &str, message: impl Into<String>) -> Error {
    ErrorKind::BackendFatal {
        backend: backend.to_string(),
        message: message.into(),
    }
    .into()
}

/// The longest a `Retry-After` may ask for before the request fails instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// The longest a backoff may grow to.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The shared HTTP transport of one backend. Cheap to share by reference
/// between the concurrent tasks of a run.
pub struct Transport {
    vendor: Vendor,
    /// For other machines: through the system's proxy, if one is set.
    client: reqwest::Client,
    /// For this machine: never through a proxy.
    direct: reqwest::Client,
    permits: Arc<Semaphore>,
    rate: Option<RateLimiter>,
    key: Option<ApiKey>,
    timeout: Duration,
    max_retries: u32,
    retry_base: Duration,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("vendor", &self.vendor)
            .field("key", &self.key)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `vendor` with the limits of `settings`, sending `key`
    /// (whose [`ApiKey::origin`] messages name) wherever a request asks.
    pub fn new(vendor: Vendor, settings: &BackendSettings, key: Option<ApiKey>) -> Result<Self> {
        // reqwest is built without a default crypto provider; install ring
        // once per process (a second install fails harmlessly).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let timeout = settings.timeout.max(Duration::from_millis(1));
        let client = |direct: bool| {
            let builder = reqwest::Client::builder()
                .connect_timeout(timeout.min(Duration::from_secs(10)))
                .timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("bitext/", env!("CARGO_PKG_VERSION")));
            if direct { builder.no_proxy() } else { builder }
                .build()
                .map_err(|e| fatal_error(vendor.backend, format!("cannot set up HTTP: {e}")))
        };
        Ok(Transport {
            client: client(false)?,
            direct: client(true)?,
            permits: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            rate: settings
                .requests_per_minute
                .filter(|&n| n > 0)
                .map(RateLimiter::per_minute),
            key,
            timeout,
            max_retries: settings.max_retries,
            retry_base: settings.retry_base,
            vendor,
        })
    }

    /// The key, if there is one.
    pub fn key(&self) -> Option<&ApiKey> {
        self.key.as_ref()
    }

    /// Send `request`, retrying what is worth retrying. Returns the reply of
    /// a 2xx or of a client error the backend may interpret (400, 413, …);
    /// rejected keys, quota, 404 and unreachable servers are fatal errors.
    pub async fn send(&self, request: &Request) -> Result<Reply> {
        self.send_with(&request.display_url(), || self.attempt(request))
            .await
    }

    /// [`Transport::send`] with `attempt` making each attempt, for tests of
    /// the retries and waits on tokio's paused clock.
    async fn send_with<F, A>(&self, url: &str, mut attempt: F) -> Result<Reply>
    where
        F: FnMut() -> A,
        A: Future<Output = std::result::Result<(StatusCode, HeaderMap, String), Failure>>,
    {
        let mut attempts = 0;
        loop {
            let failure = match attempt().await {
                Ok((status, headers, body)) => {
                    if status.is_success() {
                        return Ok(self.reply(status, body, url));
                    }
                    if let Some(error) = self.fatal(status, &body, url) {
                        return Err(error);
                    }
                    if !matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504) {
                        return Ok(self.reply(status, body, url));
                    }
                    let wait = match status.as_u16() {
                        429 | 503 => retry_after(&headers),
                        _ => None,
                    };
                    if let Some(wait) = wait.filter(|w| *w > MAX_RETRY_AFTER) {
                        return Err(backend_error(
                            self.vendor.backend,
                            format!(
                                "{url} answered HTTP {} and asked to wait {} s; try again later or lower --rpm",
                                status.as_u16(),
                                wait.as_secs()
                            ),
                        ));
                    }
                    Failure::Status {
                        status,
                        detail: self.redact(&error_detail(&body)),
                        wait,
                    }
                }
                Err(e) => e,
            };
            if attempts >= self.max_retries {
                return Err(self.give_up(failure, url, attempts + 1));
            }
            let wait = match &failure {
                Failure::Status {
                    wait: Some(wait), ..
                } => *wait,
                _ => jitter(self.backoff(attempts)),
            };
            attempts += 1;
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: wait for a permit and a rate slot, send, read the body.
    async fn attempt(
        &self,
        request: &Request,
    ) -> std::result::Result<(StatusCode, HeaderMap, String), Failure> {
        let _permit = self.permits.acquire().await.map_err(|_| Failure::Closed)?;
        if let Some(rate) = &self.rate {
            rate.wait().await;
        }
        let client = if is_loopback(&request.url) {
            &self.direct
        } else {
            &self.client
        };
        let mut builder = client
            .request(request.method.clone(), request.url.clone())
            .headers(request.headers.clone());
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(Failure::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.map_err(Failure::from_reqwest)?;
        Ok((status, headers, body))
    }

    fn reply(&self, status: StatusCode, body: String, url: &str) -> Reply {
        Reply {
            status,
            body,
            url: url.to_string(),
            backend: self.vendor.backend,
        }
    }

    /// The exponential backoff ceiling before retry number `attempt + 1`.
    fn backoff(&self, attempt: u32) -> Duration {
        self.retry_base
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(MAX_BACKOFF)
    }

    /// The fatal error for `status`, if it is one.
    fn fatal(&self, status: StatusCode, body: &str, url: &str) -> Option<Error> {
        let service = &self.vendor.service;
        let code = status.as_u16();
        let detail = self.redact(&error_detail(body));
        let said = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({detail})")
        };
        let message = match code {
            401 | 403 => match &self.key {
                Some(key) => format!(
                    "{service} rejected the key (HTTP {code}){said}; check {}",
                    key.origin()
                ),
                None => format!(
                    "{url} wants a key (HTTP {code}){said}; set {}",
                    self.vendor.key_var
                ),
            },
            456 => format!(
                "{service} quota exceeded (HTTP 456){said}; wait for it to renew or raise the limit in your account"
            ),
            404 => format!(
                "{url} not found (HTTP 404){said}; {}",
                self.vendor.not_found_hint
            ),
            _ => return None,
        };
        Some(fatal_error(self.vendor.backend, message))
    }

    /// The error once the retries are spent.
    fn give_up(&self, failure: Failure, url: &str, attempts: u32) -> Error {
        let backend = self.vendor.backend;
        let tries = if attempts == 1 {
            "1 attempt".to_string()
        } else {
            format!("{attempts} attempts")
        };
        match failure {
            Failure::Connect => {
                let hint = match &self.vendor.connect_hint {
                    Some(hint) => hint.as_str(),
                    None if self.is_local(url) => "is the server running?",
                    None => "are you offline, or is the address wrong?",
                };
                fatal_error(backend, format!("could not connect to {url}; {hint}"))
            }
            Failure::Timeout => backend_error(
                backend,
                format!(
                    "no reply from {url} within {} s ({tries}); raise --timeout or send smaller batches",
                    self.timeout.as_secs_f64()
                ),
            ),
            Failure::Status { status, detail, .. } => backend_error(
                backend,
                format!(
                    "{url} answered HTTP {}{} ({tries}); try again later{}",
                    status.as_u16(),
                    if detail.is_empty() {
                        String::new()
                    } else {
                        format!(": {detail}")
                    },
                    if status.as_u16() == 429 {
                        " or lower --rpm / --concurrency"
                    } else {
                        ""
                    }
                ),
            ),
            Failure::Other(message) => backend_error(
                backend,
                format!(
                    "request to {url} failed ({tries}): {}",
                    self.redact(&message)
                ),
            ),
            Failure::Closed => backend_error(backend, "the transport was shut down"),
        }
    }

    fn is_local(&self, url: &str) -> bool {
        Url::parse(url).is_ok_and(|u| is_loopback(&u))
    }

    /// Mask the key wherever a server echoes it.
    fn redact(&self, text: &str) -> String {
        match &self.key {
            Some(key) if !key.secret().expose().is_empty() => {
                text.replace(key.secret().expose(), "***")
            }
            _ => text.to_string(),
        }
    }
}

/// Why an attempt failed.
#[derive(Debug)]
enum Failure {
    Connect,
    Timeout,
    Status {
        status: StatusCode,
        detail: String,
        wait: Option<Duration>,
    },
    Other(String),
    Closed,
}

impl Failure {
    fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Failure::Timeout
        } else if e.is_connect() {
            Failure::Connect
        } else {
            // Without the URL: it may carry a query, and messages add their own.
            let e = e.without_url();
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            Failure::Other(message)
        }
    }
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A random duration between zero and `max` ("full jitter").
fn jitter(max: Duration) -> Duration {
    // RandomState is seeded randomly per process and advanced per instance.
    let bits = std::hash::RandomState::new().build_hasher().finish();
    let unit = (bits >> 11) as f64 / (1u64 << 53) as f64;
    max.mul_f64(unit)
}

/// The error message in an error body, or the start of the body.
fn error_detail(body: &str) -> String {
    let text = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(json) => {
            let candidates = [
                json.pointer("/error/message"),
                json.pointer("/error"),
                json.pointer("/message"),
                json.pointer("/detail"),
            ];
            candidates
                .into_iter()
                .flatten()
                .find_map(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }
        Err(_) if body.trim_start().starts_with('<') => String::new(),
        Err(_) => body.to_string(),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// One request every `interval`, shared by all tasks of a backend.
struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    fn per_minute(n: u32) -> Self {
        RateLimiter {
            interval: Duration::from_secs(60) / n,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Take the next free slot and sleep until it comes.
    async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_this_machine() {
        for ok in [
            "http://127.0.0.1:9/v1",
            "http://127.3.4.5/v1",
            "http://localhost:11434/v1/",
            "http://[::1]:8080",
            "https://api.example.com/v1",
        ] {
            assert!(base_url(ok, false).is_ok(), "{ok}");
        }
        let err = base_url("http://example.com/v1", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--allow-http"), "{err}");
        assert!(base_url("http://example.com/v1", true).is_ok());
        assert!(base_url("ftp://127.0.0.1/", true).is_err());
        assert!(base_url("https://h/v1?key=x", false).is_err());
    }

    #[test]
    fn join_keeps_the_base_path() {
        let base = base_url("http://127.0.0.1:9/v1/", false).unwrap();
        assert_eq!(
            join(&base, "chat/completions").as_str(),
            "http://127.0.0.1:9/v1/chat/completions"
        );
        let root = base_url("https://api.deepl.com", false).unwrap();
        assert_eq!(
            join(&root, "/v2/translate").as_str(),
            "https://api.deepl.com/v2/translate"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let key = ApiKey::new("sk-very-secret", "OPENAI_API_KEY");
        let debug = format!("{key:?}");
        assert!(!debug.contains("sk-very-secret"), "{debug}");
        assert!(debug.contains("***"));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&future).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(3000), "{wait:?}");
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn jitter_stays_below_its_ceiling() {
        for _ in 0..100 {
            assert!(jitter(Duration::from_millis(50)) <= Duration::from_millis(50));
        }
    }

    /// On tokio's paused clock (virtual time, no waiting): the limiter
    /// spaces requests `60/rpm` apart, however many tasks ask at once.
    #[tokio::test(start_paused = true)]
    async fn rate_limiter_spaces_requests() {
        let limiter = Arc::new(RateLimiter::per_minute(120));
        let start = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.wait().await;
                    Instant::now() - start
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        let ms: Vec<u128> = times.iter().map(|t| t.as_millis()).collect();
        assert_eq!(ms, [0, 500, 1000, 1500]);
    }

    /// A transport with no key, `max_retries` retries and a 100 ms backoff base.
    fn transport(max_retries: u32) -> Transport {
        let vendor = Vendor {
            backend: "test",
            service: "the test server".into(),
            key_var: "TEST_KEY".into(),
            not_found_hint: "check the URL".into(),
            connect_hint: None,
        };
        let settings = BackendSettings {
            max_retries,
            retry_base: Duration::from_millis(100),
            ..BackendSettings::default()
        };
        Transport::new(vendor, &settings, None).unwrap()
    }

    type Answer = std::result::Result<(StatusCode, HeaderMap, String), Failure>;

    /// Send through `transport`, answering attempt n with `answers[n]` (and
    /// 200 after them). Returns the outcome, the attempts made and the
    /// (virtual) time each started at.
    async fn scripted(
        transport: &Transport,
        answers: Vec<(u16, Option<String>)>,
    ) -> (Result<Reply>, Vec<Duration>) {
        let start = Instant::now();
        let times = Mutex::new(Vec::new());
        let result = transport
            .send_with("http://127.0.0.1:9/v1", || {
                let mut times = times.lock().unwrap();
                let (status, retry_after) =
                    answers.get(times.len()).cloned().unwrap_or((200, None));
                times.push(Instant::now() - start);
                let mut headers = HeaderMap::new();
                if let Some(value) = retry_after {
                    headers.insert(RETRY_AFTER, HeaderValue::from_str(&value).unwrap());
                }
                let answer: Answer =
                    Ok((StatusCode::from_u16(status).unwrap(), headers, "{}".into()));
                std::future::ready(answer)
            })
            .await;
        (result, times.into_inner().unwrap())
    }

    /// The waits between attempts, in whole milliseconds.
    fn gaps(times: &[Duration]) -> Vec<u128> {
        times
            .windows(2)
            .map(|w| (w[1] - w[0]).as_millis())
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_in_seconds_is_waited_exactly() {
        let answers = vec![
            (429, Some("7".into())),
            (503, Some("0".into())),
            (429, Some("120".into())),
        ];
        let (result, times) = scripted(&transport(4), answers).await;
        assert!(result.unwrap().is_success());
        // 7 s, then no wait, then the longest a server may ask for.
        assert_eq!(gaps(&times), [7_000, 0, 120_000]);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_as_a_date_waits_until_then() {
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        let answers = vec![(503, Some(soon)), (429, Some(past))];
        let (result, times) = scripted(&transport(4), answers).await;
        assert!(result.unwrap().is_success());
        let gaps = gaps(&times);
        // An HTTP date has whole seconds: 29–30 s from when it was written,
        // less the (wall-clock) time the test took to reach the wait, which
        // a loaded machine can stretch; a past one, none.
        assert!((27_000..=30_000).contains(&gaps[0]), "{gaps:?}");
        assert_eq!(gaps[1], 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_beyond_the_cap_fails_at_once() {
        for value in [
            "121".to_string(),
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600)),
        ] {
            let (result, times) = scripted(&transport(4), vec![(429, Some(value))]).await;
            let error = result.unwrap_err().to_string();
            assert!(error.contains("asked to wait"), "{error}");
            assert!(error.contains("lower --rpm"), "{error}");
            assert_eq!(times, [Duration::ZERO], "one attempt, no wait");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn without_retry_after_the_backoff_doubles_and_the_retries_are_capped() {
        // Retry-After is for 429 and 503 only: a 500 backs off.
        let answers = vec![(500, Some("60".into())); 4];
        let (result, times) = scripted(&transport(3), answers).await;
        let error = result.unwrap_err().to_string();
        assert!(error.contains("HTTP 500 (4 attempts)"), "{error}");
        // Full jitter below 100, 200 and 400 ms.
        let gaps = gaps(&times);
        assert_eq!(gaps.len(), 3);
        for (gap, ceiling) in gaps.iter().zip([100, 200, 400]) {
            assert!(*gap <= ceiling, "{gaps:?}");
        }
    }

    #[test]
    fn error_detail_finds_the_message() {
        assert_eq!(
            error_detail(r#"{"error":{"message":"The model `x` does not exist"}}"#),
            "The model `x` does not exist"
        );
        assert_eq!(
            error_detail(r#"{"message":"Wrong endpoint"}"#),
            "Wrong endpoint"
        );
        assert_eq!(error_detail("<html>bad gateway</html>"), "");
        assert_eq!(error_detail("plain\n text"), "plain text");
    }
}
