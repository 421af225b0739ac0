//! A small WebDriver client for the browser tests and the review page
//! benchmark: it starts Debian's `chromedriver` on a free local port with a
//! headless `chromium`, and speaks the few W3C WebDriver commands they need
//! over HTTP. The driver and the browser are ended when the [`Browser`] is
//! dropped.
//!
//! `BITEXT_CHROMIUM` and `BITEXT_CHROMEDRIVER` name other binaries; without
//! them, `chromium` and `chromedriver` are looked up on `PATH`. A missing
//! one panics with what to install: the tests must not pass without a
//! browser.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key of an element reference in WebDriver replies.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium driven over WebDriver.
pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    _profile: tempfile::TempDir,
}

/// A WebDriver error reply.
#[derive(Debug)]
pub struct DriverError {
    /// The error code (`no such alert`, `javascript error`, …).
    pub error: String,
    /// What the driver said.
    pub message: String,
}

/// A program named by `var`, or found on `PATH` as one of `names`.
fn program(var: &str, names: &[&str], package: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(var) {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "{} not found: the browser tests need Debian's chromium and chromium-driver \
         (run `bash .ci/setup`, or `apt-get install {package}`), or set {var} to the binary",
        names[0]
    );
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

impl Browser {
    /// Start chromedriver and a headless Chromium whose downloads go to
    /// `downloads`, 1280×900.
    pub async fn start(downloads: &Path) -> Browser {
        let chromium = program(
            "BITEXT_CHROMIUM",
            &["chromium", "chromium-browser"],
            "chromium",
        );
        let chromedriver = program("BITEXT_CHROMEDRIVER", &["chromedriver"], "chromium-driver");
        // reqwest is built without a TLS provider of its own (plain HTTP
        // here, but a client needs one).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let profile = tempfile::tempdir().expect("a temporary profile folder");
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            driver,
            http,
            session: String::new(),
            _profile: profile,
        };
        let start = Instant::now();
        loop {
            let ready = browser
                .http
                .get(format!("{base}/status"))
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success());
            if ready.is_some() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not answer on port {port} within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let downloads = downloads.to_string_lossy().into_owned();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--no-first-run", "--no-default-browser-check",
                    "--disable-extensions", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
            },
        }}});
        let reply = browser
            .http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("a WebDriver session")
            .json::<Value>()
            .await
            .unwrap();
        browser.session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver refused the session: {reply}"))
            .to_string();
        browser.session = format!("{base}/session/{}", browser.session);
        // Headless Chromium downloads only where it is told to.
        let _ = browser
            .command(
                "POST",
                "goog/cdp/execute",
                json!({"cmd": "Browser.setDownloadBehavior",
                       "params": {"behavior": "allow", "downloadPath": downloads}}),
            )
            .await;
        browser
    }

    /// Send one command; the reply's `value`, or the error.
    pub async fn command(
        &self,
        method: &str,
        path: &str,
        body: Value,
    ) -> Result<Value, DriverError> {
        let url = if path.is_empty() {
            self.session.clone()
        } else {
            format!("{}/{path}", self.session)
        };
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let reply = request.send().await.map_err(|e| DriverError {
            error: "transport".into(),
            message: e.to_string(),
        })?;
        let ok = reply.status().is_success();
        let value: Value = reply.json().await.map_err(|e| DriverError {
            error: "transport".into(),
            message: e.to_string(),
        })?;
        let value = value["value"].clone();
        if ok {
            Ok(value)
        } else {
            Err(DriverError {
                error: value["error"].as_str().unwrap_or_default().to_string(),
                message: value["message"].as_str().unwrap_or_default().to_string(),
            })
        }
    }

    async fn must(&self, method: &str, path: &str, body: Value) -> Value {
        match self.command(method, path, body).await {
            Ok(value) => value,
            Err(e) => panic!("WebDriver {method} {path}: {}: {}", e.error, e.message),
        }
    }

    /// Open `url` and wait for its load event.
    pub async fn goto(&self, url: &str) {
        self.must("POST", "url", json!({ "url": url })).await;
    }

    /// Open a local file.
    pub async fn open(&self, path: &Path) {
        let url = url::Url::from_file_path(path).expect("an absolute path");
        self.goto(url.as_str()).await;
    }

    /// Reload the page.
    pub async fn refresh(&self) {
        self.must("POST", "refresh", json!({})).await;
    }

    /// Run `script` (a function body; `arguments` are `args`) and return
    /// its value.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.must(
            "POST",
            "execute/sync",
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// The first element `css` selects.
    pub async fn find(&self, css: &str) -> String {
        let value = self
            .must(
                "POST",
                "element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        value[ELEMENT].as_str().unwrap().to_string()
    }

    /// Click the element `css` selects.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.must("POST", &format!("element/{element}/click"), json!({}))
            .await;
    }

    /// Type `text` into the element `css` selects (WebDriver key codes,
    /// such as `\u{E007}` for Enter, are keys).
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.must(
            "POST",
            &format!("element/{element}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    /// Clear a form control.
    pub async fn clear(&self, css: &str) {
        let element = self.find(css).await;
        self.must("POST", &format!("element/{element}/clear"), json!({}))
            .await;
    }

    /// Press keys, one after the other, on whatever has the focus.
    pub async fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": key.to_string()}));
            actions.push(json!({"type": "keyUp", "value": key.to_string()}));
        }
        self.must(
            "POST",
            "actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        )
        .await;
        self.must("DELETE", "actions", json!({})).await;
    }

    /// The text of an open dialog (`alert`, `confirm`, `prompt`), if any.
    pub async fn dialog(&self) -> Option<String> {
        match self.command("GET", "alert/text", json!({})).await {
            Ok(text) => Some(text.as_str().unwrap_or_default().to_string()),
            Err(e) if e.error == "no such alert" => None,
            Err(e) => panic!("WebDriver alert/text: {}: {}", e.error, e.message),
        }
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let png = self.must("GET", "screenshot", json!({})).await;
        base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap()
    }

    /// Wait until `script` returns true, for at most `secs` seconds.
    pub async fn wait_for(&self, what: &str, secs: u64, script: &str) {
        let start = Instant::now();
        while self.execute(script, json!([])).await != json!(true) {
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "timed out after {secs} s waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// End the session and the driver.
    pub async fn quit(mut self) {
        let _ = self.command("DELETE", "", json!({})).await;
        self.session.clear();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // End the session (which ends the browser) with a plain blocking
        // request, since a test that panicked never reached `quit`; then
        // the driver.
        if let Ok(url) = url::Url::parse(&self.session)
            && let Some(port) = url.port()
            && let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port))
        {
            use std::io::{Read, Write};
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                url.path()
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
