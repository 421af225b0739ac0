//! An external program as a backend, for anything bitext does not build in.
//!
//! For each batch the program (`--command "PROGRAM ARGS"`, or `command =
//! ["PROGRAM", "ARG"]` in `[backend.command]`) is started once, reads one
//! JSON object on standard input and writes one on standard output:
//!
//! ```json
//! {"source_lang": "zh-CN", "target_lang": "en-US", "model": "…",
//!  "context_before": ["…"], "context_after": ["…"],
//!  "segments": [{"id": 1, "text": "…", "markup": false,
//!                "terms": [{"source": "…", "target": "…"}]}]}
//! ```
//!
//! ```json
//! {"translations": [{"id": 1, "text": "…"}]}
//! ```
//!
//! `model` is there only when `--model` (or `model =`) is given: the name
//! is the program's to interpret. Likewise `prompt` (the system prompt an
//! LLM would get from `--prompt FILE`, filled in for the batch), `style`
//! (the `--style` guide's text) and `temperature`; and a segment's
//! `examples` (`[{"source", "target", "score"}]`, translations of similar
//! texts from the memory, best first) when it has some. Each segment's glossary terms are in
//! `terms`; there is no prompt, so what the program does with them is its
//! own affair (the pipeline checks every translation and repairs misses with
//! placeholders, as for any backend).
//!
//! Replies are matched by id. A non-zero exit fails the batch (retryable)
//! with the first line of the program's standard error in the message; so
//! do a reply that is not the JSON above and a run longer than `--timeout`,
//! after which the program is killed. A program that has not translated a
//! single batch yet and fails a second time stops the run with its message
//! (it fails on the first batch and again on its retry: it is broken, like
//! a rejected API key), and so does one that cannot be started.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_trait::async_trait;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

use super::http::{backend_error, fatal_error};
use super::openai::{match_ids, parse_translations};
use super::{
    Backend, BackendSettings, Capabilities, Price, SegmentReply, SegmentRequest, TranslateContext,
};
use crate::backend::BackendInfo;
use crate::error::{ErrorKind, Result};

/// The backend's name.
pub const NAME: &str = "command";

/// What the backend can do: the program gets the terms.
pub const CAPABILITIES: Capabilities = Capabilities::model(50, 20_000).network(false);

/// This backend in the registry of [`super::builtins`].
pub const DESCRIPTOR: BackendInfo = BackendInfo {
    name: NAME,
    summary: "an external program: one JSON batch on stdin, JSON translations on stdout",
    needs: "--command \"PROGRAM ARGS\"",
    glossary: "each segment's terms (source and target) are in the JSON the program reads; there is no prompt, the program decides what to do with them; every translation is checked, and one that misses a term is sent again with placeholders",
    default_base_url: None,
    capabilities: CAPABILITIES,
    key_var: None,
    build: |settings| Ok(Box::new(Command::new(settings)?)),
};

/// The external-program backend.
#[derive(Debug)]
pub struct Command {
    argv: Vec<String>,
    model: Option<String>,
    timeout: std::time::Duration,
    permits: Semaphore,
    /// Whether a batch has come back translated in this run.
    worked: AtomicBool,
    /// Batches that failed before one came back translated.
    early_failures: AtomicUsize,
    prompt: super::Prompt,
    temperature: Option<f64>,
    capabilities: Capabilities,
}

/// How many batches may fail before the first one that works, without the
/// run stopping: the first batch, and not its retry.
const EARLY_FAILURES: usize = 1;

impl Command {
    /// The program of `settings.command`; an error when there is none.
    pub fn new(settings: &BackendSettings) -> Result<Self> {
        let argv = settings
            .command
            .clone()
            .filter(|argv| argv.first().is_some_and(|p| !p.trim().is_empty()))
            .ok_or_else(|| {
                ErrorKind::Usage(
                    "--backend command needs a program: pass --command \"PROGRAM ARGS\" \
                     or set command = [\"PROGRAM\", \"ARG\"] in [backend.command]"
                        .to_string(),
                )
            })?;
        Ok(Command {
            argv,
            model: settings.model.clone(),
            timeout: settings.timeout,
            permits: Semaphore::new(settings.concurrency.max(1)),
            worked: AtomicBool::new(false),
            early_failures: AtomicUsize::new(0),
            prompt: settings.prompt.clone(),
            temperature: settings.temperature,
            capabilities: settings.batch_limits(CAPABILITIES),
        })
    }

    fn program(&self) -> &str {
        &self.argv[0]
    }

    /// The outcome of one run of the program. A failure while no batch has
    /// worked yet counts; past [`EARLY_FAILURES`] of them it stops the run.
    fn outcome(&self, result: Result<Vec<SegmentReply>>) -> Result<Vec<SegmentReply>> {
        match result {
            Ok(replies) => {
                self.worked.store(true, Ordering::Relaxed);
                Ok(replies)
            }
            Err(e) => match e.kind() {
                ErrorKind::Backend { message, .. } if !self.worked.load(Ordering::Relaxed) => {
                    let failures = self.early_failures.fetch_add(1, Ordering::Relaxed) + 1;
                    if failures > EARLY_FAILURES {
                        Err(fatal_error(
                            NAME,
                            format!(
                                "{message} (it failed on the first batch and again on its retry; fix the program or --command)"
                            ),
                        ))
                    } else {
                        Err(e)
                    }
                }
                _ => Err(e),
            },
        }
    }
}

#[async_trait]
impl Backend for Command {
    fn name(&self) -> &str {
        NAME
    }

    /// The `model` setting, if given: the program's own notion of a model.
    fn model(&self) -> Option<&str> {
        self.model.as_deref()
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn price(&self) -> Price {
        Price::Unknown("an external program's costs are its own")
    }

    async fn translate(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let result = self.run(ctx, batch).await;
        self.outcome(result)
    }
}

impl Command {
    /// Run the program once on `batch`.
    async fn run(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        let input = self.request_json(ctx, batch);
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| backend_error(NAME, "shut down"))?;
        let program = self.program();
        let mut child = tokio::process::Command::new(program)
            .args(&self.argv[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => "not found".to_string(),
                    std::io::ErrorKind::PermissionDenied => "not executable".to_string(),
                    _ => e.to_string(),
                };
                fatal_error(
                    NAME,
                    format!("cannot run '{program}': {why}; check --command"),
                )
            })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Write while the program runs, so that neither side blocks on a
        // full pipe; a program that exits without reading is not our error.
        let writer = tokio::spawn(async move {
            let _ = stdin.write_all(input.as_bytes()).await;
            let _ = stdin.shutdown().await;
        });
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(output) => output.map_err(|e| backend_error(NAME, format!("'{program}': {e}")))?,
            Err(_) => {
                return Err(backend_error(
                    NAME,
                    format!(
                        "'{program}' did not finish within {} s and was stopped; raise --timeout",
                        self.timeout.as_secs_f64()
                    ),
                ));
            }
        };
        let _ = writer.await;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("no message on standard error");
            let status = match output.status.code() {
                Some(code) => format!("status {code}"),
                None => "a signal".to_string(),
            };
            return Err(backend_error(
                NAME,
                format!("'{program}' exited with {status}: {first}"),
            ));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(pairs) = parse_translations(&stdout) else {
            let start: String = stdout.chars().take(120).collect();
            return Err(backend_error(
                NAME,
                format!(
                    "'{program}' wrote no {{\"translations\": [...]}} JSON on standard output: {}",
                    if start.trim().is_empty() {
                        "(nothing)"
                    } else {
                        start.trim()
                    }
                ),
            ));
        };
        Ok(match_ids(batch, pairs))
    }
}

impl Command {
    /// The JSON the program gets on standard input for `batch`.
    pub fn request_json(&self, ctx: &TranslateContext, batch: &[SegmentRequest]) -> String {
        let segments: Vec<serde_json::Value> = batch
            .iter()
            .map(|r| {
                let mut segment = json!({
                    "id": r.id.0,
                    "text": r.text,
                    "markup": r.markup,
                    "terms": r.terms.iter().map(|t| json!({"source": t.source, "target": t.target})).collect::<Vec<_>>(),
                });
                if !r.examples.is_empty() {
                    segment["examples"] = r
                        .examples
                        .iter()
                        .map(|e| json!({"source": e.source, "target": e.target, "score": e.score}))
                        .collect();
                }
                segment
            })
            .collect();
        let mut request = json!({
            "source_lang": ctx.source_lang,
            "target_lang": ctx.target_lang,
            "context_before": ctx.context_before,
            "context_after": ctx.context_after,
            "segments": segments,
        });
        if let Some(model) = &self.model {
            request["model"] = json!(model);
        }
        if self.prompt.template.is_some() {
            request["prompt"] = json!(self.prompt.system(ctx, batch));
        }
        if let Some(style) = &self.prompt.style {
            request["style"] = json!(style.text);
        }
        if let Some(t) = self.temperature {
            request["temperature"] = json!(t);
        }
        request.to_string()
    }
}

/// Split a command line into words: white space separates, `'…'` and `"…"`
/// quote, and `\` escapes the next character (outside single quotes). No
/// shell is involved: no variables, globs or pipes.
pub fn split_command_line(line: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(unclosed(line)),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c) => word.push(c),
                            None => return Err(unclosed(line)),
                        },
                        Some(c) => word.push(c),
                        None => return Err(unclosed(line)),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err(ErrorKind::Usage("--command is empty; give the program to run".into()).into());
    }
    Ok(words)
}

fn unclosed(line: &str) -> crate::Error {
    ErrorKind::Usage(format!("--command '{line}' has an unclosed quote")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_split_like_a_shell() {
        assert_eq!(
            split_command_line(r#"python3 "my script.py" --x 'a b' c\ d"#).unwrap(),
            ["python3", "my script.py", "--x", "a b", "c d"]
        );
        assert!(split_command_line("  ").is_err());
        assert!(split_command_line("a 'b").is_err());
    }
}
