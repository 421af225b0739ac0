//! A small fluent harness around the `bitext` binary.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use crate::cleared_env::CLEARED_ENV;
pub use crate::tool::{checked_output, succeeded};

/// A `bitext` invocation in a fresh temporary directory.
pub struct Bitext {
    dir: tempfile::TempDir,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(OsString, OsString)>,
}

/// A `bitext` command that does not depend on the machine: no API key or
/// proxy from the environment, and the translation memory under `dir`'s
/// `.cache` rather than the user's. Runs in `dir`.
pub fn bitext_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bitext"));
    for key in CLEARED_ENV {
        command.env_remove(key);
    }
    // The default translation memory goes in the run's directory, not the
    // user's: the user's cache directory is XDG_CACHE_HOME on Linux and the
    // BSDs, and HOME/Library/Caches on macOS.
    command
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .env("HOME", dir.join("home"))
        .current_dir(dir);
    command
}

/// What an invocation did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub dir: PathBuf,
}

impl Bitext {
    pub fn new() -> Self {
        Bitext {
            dir: tempfile::tempdir().expect("temporary directory"),
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
        }
    }

    /// Another invocation in the directory of an earlier one (as `run`
    /// returned it), to run commands one after another on the same files.
    pub fn in_dir(dir: tempfile::TempDir) -> Self {
        Bitext {
            dir,
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Write a file (creating folders) relative to the working directory.
    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// `bitext align ZH EN` of the texts `zh` and `en`, each a file name and
    /// its contents.
    pub fn align(zh: (&str, &str), en: (&str, &str)) -> Self {
        Bitext::new()
            .file(zh.0, zh.1)
            .file(en.0, en.1)
            .args(["align", zh.0, en.0])
    }

    /// `bitext import FILE` into the memory the tests keep in `tm.redb`, in
    /// the directory of an earlier run.
    pub fn import(dir: tempfile::TempDir, file: &str) -> Self {
        Bitext::in_dir(dir).args(["import", file, "--cache", "tm.redb"])
    }

    /// `bitext export-tm` of the memory in `tm.redb`, in the directory of an
    /// earlier run; more arguments go after it with [`Bitext::args`].
    pub fn export_tm(dir: tempfile::TempDir) -> Self {
        Bitext::in_dir(dir).args(["export-tm", "--cache", "tm.redb"])
    }

    /// Write each `(name, contents)` of `files`, as [`Bitext::file`].
    pub fn files<N, C>(self, files: impl IntoIterator<Item = (N, C)>) -> Self
    where
        N: AsRef<str>,
        C: AsRef<[u8]>,
    {
        files.into_iter().fold(self, |bitext, (name, contents)| {
            bitext.file(name.as_ref(), contents)
        })
    }

    /// `bitext translate NAME` of a file `name` that holds `contents`; more
    /// arguments go after it with [`Bitext::args`].
    pub fn translate(name: &str, contents: impl AsRef<[u8]>) -> Self {
        Bitext::new().file(name, contents).args(["translate", name])
    }

    /// `bitext segment NAME` of a file `name` that holds `contents`; more
    /// arguments go after it with [`Bitext::args`].
    pub fn segment(name: &str, contents: impl AsRef<[u8]>) -> Self {
        Bitext::new().file(name, contents).args(["segment", name])
    }

    /// `bitext translate NAME` of the fixture `fixture`, copied as `name`.
    pub fn translate_fixture(fixture: &str, name: &str) -> Self {
        Bitext::new()
            .fixture(fixture, name)
            .args(["translate", name])
    }

    /// Set the permission bits of a file written with [`Bitext::file`].
    #[cfg(unix)]
    pub fn mode(self, name: &str, mode: u32) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(name);
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        self
    }

    /// Copy a fixture (a path under `tests/fixtures`) into the working directory.
    pub fn fixture(self, fixture: &str, name: &str) -> Self {
        let contents = std::fs::read(fixture_path(fixture)).unwrap();
        self.file(name, contents)
    }

    /// Set an environment variable for the run.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Run and keep the working directory for inspection.
    pub fn run(self) -> (Run, tempfile::TempDir) {
        let mut child = bitext_command(self.dir.path())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn bitext");
        let mut stdin = child.stdin.take().unwrap();
        if let Some(bytes) = &self.stdin {
            stdin.write_all(bytes).unwrap();
        }
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            dir: self.dir.path().to_path_buf(),
        };
        (run, self.dir)
    }

    /// [`Bitext::run`], which must succeed (exit 0; its stderr shown if not).
    #[track_caller]
    pub fn run_ok(self) -> (Run, tempfile::TempDir) {
        self.run_code(0)
    }

    /// [`Bitext::run`], which must exit with `code` (its stderr shown if not).
    #[track_caller]
    pub fn run_code(self, code: i32) -> (Run, tempfile::TempDir) {
        let args = self.args.clone();
        let (run, dir) = self.run();
        assert_eq!(run.code, code, "bitext {args:?}: {}", run.stderr);
        (run, dir)
    }

    /// [`Bitext::run`], which must be refused as bad usage: exit 2 with the
    /// error `stderr`, to the letter.
    #[track_caller]
    pub fn run_refused(self, stderr: &str) -> (Run, tempfile::TempDir) {
        let args = self.args.clone();
        let (run, dir) = self.run_code(2);
        assert_eq!(run.stderr, stderr, "bitext {args:?}");
        (run, dir)
    }
}

impl Run {
    /// Files in the working directory below `sub`, relative, sorted.
    pub fn files(&self, sub: &str) -> Vec<String> {
        let root = self.dir.join(sub);
        let mut found = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&root) {
            for e in entries.flatten() {
                found.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        found.sort();
        found
    }

    /// Every file named `name` anywhere below the working directory,
    /// relative to it, sorted.
    pub fn find(&self, name: &str) -> Vec<PathBuf> {
        fn walk(dir: &Path, name: &str, found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, name, found);
                } else if entry.file_name() == name {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.dir, name, &mut found);
        let mut found: Vec<PathBuf> = found
            .into_iter()
            .map(|p| p.strip_prefix(&self.dir).unwrap().to_path_buf())
            .collect();
        found.sort();
        found
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}\nstderr: {}", self.stderr))
    }
}

/// A golden case of bad usage, kept as data in `tests/fixtures/refused/`:
/// `bitext ARGS` in a folder with `files` written and `fixtures` (paths
/// under `tests/fixtures`) copied in must exit 2 with `stderr`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub name: String,
    pub args: Vec<String>,
    #[serde(default)]
    pub files: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub fixtures: std::collections::BTreeMap<String, String>,
    pub stderr: String,
}

impl Refusal {
    /// The cases of `tests/fixtures/refused/NAME.toml`.
    pub fn load(name: &str) -> Vec<Refusal> {
        #[derive(serde::Deserialize)]
        struct Cases {
            case: Vec<Refusal>,
        }
        let path = fixture_path(&format!("refused/{name}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let cases = toml::from_str::<Cases>(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .case;
        assert!(!cases.is_empty(), "{}: no [[case]]", path.display());
        cases
    }

    /// Run the case, which must be refused with its error.
    #[track_caller]
    pub fn run(&self) -> (Run, tempfile::TempDir) {
        self.run_with(Bitext::new())
    }

    /// Run the case on `bitext` (its files added, its arguments after
    /// those `bitext` has), which must be refused with its error.
    #[track_caller]
    pub fn run_with(&self, bitext: Bitext) -> (Run, tempfile::TempDir) {
        let bitext = self
            .fixtures
            .iter()
            .fold(bitext, |bitext, (name, fixture)| {
                bitext.fixture(fixture, name)
            });
        bitext
            .files(&self.files)
            .args(&self.args)
            .run_refused(&self.stderr)
    }
}

/// A path under `tests/fixtures`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The records of a JSONL file.
pub fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A path under the repository root.
pub fn repo_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The Python that has the tools the tests use (translate-toolkit):
/// `BITEXT_TEST_PYTHON` if set, else the virtual environment `.ci/setup`
/// makes under the build folder (`target/venv`), else `python3` from `PATH`.
pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("BITEXT_TEST_PYTHON") {
        return PathBuf::from(python);
    }
    // The binary is TARGET/PROFILE/bitext; the venv is TARGET/venv.
    let venv = Path::new(env!("CARGO_BIN_EXE_bitext"))
        .ancestors()
        .nth(2)
        .map(|target| target.join("venv/bin/python3"));
    venv.filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("python3"))
}

/// Validate a TMX file against the TMX 1.4 DTD with xmllint. Panics (never
/// skips) when xmllint is missing: CI installs libxml2-utils.
pub fn assert_valid_tmx(path: &Path) {
    let stderr = xmllint(path, "--dtdvalid", "tmx14.dtd", "TMX 1.4");
    assert!(stderr.is_empty(), "xmllint warned: {stderr}");
}

/// Validate an XLIFF file against the XLIFF 2.0 core schema with xmllint.
/// Panics (never skips) when xmllint is missing: CI installs libxml2-utils.
pub fn assert_valid_xliff(path: &Path) {
    let stderr = xmllint(path, "--schema", "xliff20/xliff_core_2.0.xsd", "XLIFF 2.0");
    // xmllint reports success on stderr ("… validates"); anything else is a warning.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.ends_with(" validates"))
        .collect();
    assert!(warnings.is_empty(), "xmllint warned: {warnings:?}");
}

/// What xmllint says on its standard error when it validates `path` with
/// `how` (`--dtdvalid`, `--schema`) against `schema` (a path under
/// `tests/standards`); the file must be valid `format`.
fn xmllint(path: &Path, how: &str, schema: &str, format: &str) -> String {
    let out = checked_output(
        Command::new("xmllint")
            .args(["--noout", "--nonet", how])
            .arg(repo_path(&format!("tests/standards/{schema}")))
            .arg(path),
        "xmllint is needed for the TMX and XLIFF tests: apt-get install libxml2-utils",
        &format!("{} is not valid {format}", path.display()),
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Snapshot text with the run's temporary directory and timings filtered out.
#[macro_export]
macro_rules! bitext_snapshot {
    ($run:expr, $value:expr) => {{
        let dir = $run.dir.display().to_string();
        insta::with_settings!({filters => vec![
            (dir.as_str(), "[TMP]"),
            (r"in \d+\.\d\d s", "in [TIME] s"),
        ]}, {
            insta::assert_snapshot!($value);
        });
    }};
}

/// The text a predefined XML entity reference stands for (quick-xml reports
/// `&lt;` and its kin as separate events); panics on any other.
pub fn entity(reference: &[u8]) -> &'static str {
    match reference {
        b"lt" => "<",
        b"gt" => ">",
        b"amp" => "&",
        b"quot" => "\"",
        b"apos" => "'",
        other => panic!("unexpected entity {}", String::from_utf8_lossy(other)),
    }
}

/// The source texts of the entries the translation memory at `path` holds
/// now, read without changing it (a run may be writing it); none while it
/// cannot be read yet (not created, or its tables not yet).
pub fn memory_sources(path: &Path) -> std::collections::HashSet<String> {
    let mut sources = std::collections::HashSet::new();
    let Ok(Some(cache)) = bitext::memory::Memory::open_for_reading(path) else {
        return sources;
    };
    let listed = cache.for_each(|e| {
        sources.insert(e.source);
        Ok(())
    });
    if listed.is_ok() {
        sources
    } else {
        Default::default()
    }
}

/// How many entries the translation memory at `path` holds now; see
/// [`memory_sources`].
pub fn memory_entries(path: &Path) -> usize {
    memory_sources(path).len()
}

/// A translation to store in a memory: `text` from `backend` (and `model`),
/// not repaired.
pub fn stored(text: &str, backend: &str, model: Option<&str>) -> bitext::memory::StoredTranslation {
    bitext::memory::StoredTranslation {
        text: text.into(),
        backend: backend.into(),
        model: model.map(str::to_string),
        repaired: false,
    }
}

/// The memory key of `source` from zh-CN into en-US for the backend
/// `fingerprint`, without glossary terms.
pub fn memory_key(fingerprint: &str, source: &str) -> bitext::memory::MemoryKey {
    bitext::memory::MemoryKey::new(
        "zh-CN",
        "en-US",
        fingerprint,
        &[],
        |_| String::new(),
        source,
    )
}

/// Assert that `text` holds `needle`, showing `text` when it does not.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "{text}");
}

/// Assert that `text` starts with `prefix`, showing `text` when it does not.
#[track_caller]
pub fn assert_starts_with(text: &str, prefix: &str) {
    assert!(text.starts_with(prefix), "{text}");
}

/// Wait until `done` holds, checking every 20 ms, for at most `secs`
/// seconds; a timeout fails the test, saying what was awaited.
pub async fn wait_until(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(secs),
            "timed out after {secs} s waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The user message of an OpenAI-compatible chat request bitext sent,
/// parsed from its `#section` lines into `{"segments": [{"id", "text"}],
/// "context_before": […], "context_after": […], "terms": [{"source",
/// "target"}], "examples": [{"score", "source", "target"}]}`.
pub fn chat_user(request: &wiremock::Request) -> serde_json::Value {
    let body: serde_json::Value = request.body_json().unwrap();
    parse_chat_user(body["messages"][1]["content"].as_str().unwrap())
}

/// The sections of a user message bitext wrote; see [`chat_user`].
pub fn parse_chat_user(text: &str) -> serde_json::Value {
    use serde_json::json;
    let mut out = json!({"segments": [], "context_before": [], "context_after": [], "terms": [], "examples": []});
    let mut section = String::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix('#') {
            section = name.to_string();
            continue;
        }
        let cells: Vec<&str> = line.splitn(3, '\t').collect();
        let item = match (section.as_str(), cells.as_slice()) {
            ("segments", _) => {
                let (id, text) = line.split_once('\t').expect("id, tab, text");
                json!({"id": id.parse::<u32>().expect("a segment id"), "text": text})
            }
            ("before", _) => json!(line),
            ("after", _) => json!(line),
            ("terms", [source, target]) => json!({"source": source, "target": target}),
            ("examples", [score, source, target]) => {
                json!({"score": score.trim_end_matches('%').parse::<u8>().unwrap(), "source": source, "target": target})
            }
            _ => panic!("unexpected line in section #{section}: {line:?}"),
        };
        let key = match section.as_str() {
            "before" => "context_before",
            "after" => "context_after",
            other => other,
        };
        out[key].as_array_mut().unwrap().push(item);
    }
    out
}

/// The segments of an OpenAI-compatible chat request bitext sent.
pub fn chat_segments(request: &wiremock::Request) -> Vec<serde_json::Value> {
    chat_user(request)["segments"].as_array().unwrap().clone()
}

/// What the Python `script` prints as JSON for the file at `path` (run
/// with the test venv's Python, see [`python`]); a failing script fails
/// the test with its standard error.
pub fn python_json(script: &str, path: &Path) -> serde_json::Value {
    let out = checked_output(
        Command::new(python()).args(["-c", script]).arg(path),
        "python runs",
        "the Python check failed (its packages come from .ci/setup)",
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A route of a mock server: `POST route`, to be answered with
/// `.respond_with(…)` and mounted with [`serve`].
pub fn post(route: &str) -> wiremock::MockBuilder {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("POST")).and(path(route))
}

/// A mock server on 127.0.0.1 with `mocks` mounted, in order.
pub async fn serve(mocks: impl IntoIterator<Item = wiremock::Mock>) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    for mock in mocks {
        mock.mount(&server).await;
    }
    server
}

/// An OpenAI-compatible chat server on 127.0.0.1 whose
/// `/v1/chat/completions` answers every request with `responder`.
pub async fn chat_server(responder: impl wiremock::Respond + 'static) -> wiremock::MockServer {
    serve([post("/v1/chat/completions").respond_with(responder)]).await
}

/// An OpenAI-compatible chat server on 127.0.0.1 that answers every
/// segment of a request by id with `EN <id>`, and records the requests.
pub async fn echo_chat_server() -> wiremock::MockServer {
    chat_server(|request: &wiremock::Request| {
        let answer: serde_json::Map<String, serde_json::Value> = chat_segments(request)
            .iter()
            .map(|s| {
                (
                    s["id"].to_string(),
                    serde_json::json!(format!("EN {}", s["id"])),
                )
            })
            .collect();
        chat_reply(&serde_json::Value::Object(answer).to_string(), "stop")
    })
    .await
}

/// A chat reply to `request` that answers each of its segments, in order,
/// as `{"translations": [{"id", "text"}]}` with the text `translate` gives
/// its source.
pub fn translations_reply(
    request: &wiremock::Request,
    translate: impl Fn(&str) -> String,
) -> wiremock::ResponseTemplate {
    let items: Vec<serde_json::Value> = chat_segments(request)
        .iter()
        .map(|s| serde_json::json!({"id": s["id"], "text": translate(s["text"].as_str().unwrap())}))
        .collect();
    chat_reply(
        &serde_json::json!({ "translations": items }).to_string(),
        "stop",
    )
}

/// A chat server on 127.0.0.1 that translates each requested segment with
/// `translate` (see [`translations_reply`]) and records what it is asked.
pub async fn translating_server(
    translate: impl Fn(&str) -> String + Send + Sync + 'static,
) -> wiremock::MockServer {
    chat_server(move |request: &wiremock::Request| translations_reply(request, &translate)).await
}

/// An OpenAI-compatible chat reply whose message is `content`.
pub fn chat_reply(content: &str, finish_reason: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": finish_reason,
        }],
    }))
}

/// [`Bitext::run`] on a blocking thread, so that an async test's mock
/// servers keep answering.
pub async fn run_async(bitext: Bitext) -> (Run, tempfile::TempDir) {
    tokio::task::spawn_blocking(move || bitext.run())
        .await
        .unwrap()
}

/// [`Bitext::run_code`] on a blocking thread (see [`run_async`]): the run
/// must exit with `code`.
pub async fn run_async_code(bitext: Bitext, code: i32) -> (Run, tempfile::TempDir) {
    tokio::task::spawn_blocking(move || bitext.run_code(code))
        .await
        .unwrap()
}

/// The requests `server` has received so far.
pub async fn received(server: &wiremock::MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

/// A port on this machine that nothing listens on (it was free a moment ago).
pub fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The English the fake DeepL servers give a text: `EN(n)`, `n` its
/// characters.
pub fn fake_english(text: &str) -> String {
    format!("EN({})", text.chars().count())
}

/// A DeepL server on 127.0.0.1 whose `/v2/translate` answers every text,
/// in order, with [`fake_english`].
pub async fn deepl_server() -> wiremock::MockServer {
    serve([post("/v2/translate")
        .respond_with(|request: &wiremock::Request| deepl_reply(request, fake_english))])
    .await
}

/// DeepL's glossary list (`GET /v2/glossaries`), answered with `glossaries`.
pub fn deepl_glossaries(glossaries: serde_json::Value) -> wiremock::Mock {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("GET"))
        .and(path("/v2/glossaries"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "glossaries": glossaries })),
        )
}

/// A DeepL `/v2/translate` reply to `request`: each of its texts, in order,
/// turned into English by `english`.
pub fn deepl_reply(
    request: &wiremock::Request,
    english: impl Fn(&str) -> String,
) -> wiremock::ResponseTemplate {
    let body: serde_json::Value = request.body_json().unwrap();
    let translations: Vec<serde_json::Value> = body["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| serde_json::json!({"detected_source_language": "ZH", "text": english(t.as_str().unwrap())}))
        .collect();
    wiremock::ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({ "translations": translations }))
}
