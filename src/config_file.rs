//! The config file: `bitext.toml` in the current directory, or `--config
//! FILE`. It holds one table per backend; command-line flags override it.
//!
//! ```toml
//! [backend.openai]
//! base_url = "http://127.0.0.1:11434/v1"   # Ollama
//! model = "qwen2.5:7b"
//! api_key_env = "DEEPSEEK_API_KEY"         # read the key from this variable
//! concurrency = 2
//! rpm = 60
//! timeout = 300                             # seconds
//! max_retries = 4
//!
//! [backend.ollama]
//! model = "qwen2.5:14b"
//! prompt = "prompt.txt"                     # relative to this file
//! style = "house-style.md"
//! temperature = 0.2
//!
//! [backend.deepl]
//! formality = "prefer-more"
//!
//! [backend.libretranslate]
//! source_code = "zh-Hans"
//!
//! [backend.command]
//! command = ["python3", "my_mt.py", "--fast"]
//!
//! [qa]                                      # bitext qa
//! checks = ["all", "-double-space"]
//! fail_on = "warning"
//! length_max_factor = 2.5
//! [qa.severity]
//! end-punctuation = "error"                 # or "warning", or "off"
//! ```
//!
//! Unknown tables and keys are errors that name the file, line and key. An
//! `api_key` may be written in the file only when other users cannot read it
//! (`chmod 600`); otherwise it is ignored with a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::backend::{
    self, ApiKey, BackendSettings, Capabilities, Formality, PromptTemplate, Secret, StyleGuide,
};
use crate::error::{Error, FileKind, Result};

/// The name of the config file looked for in the current directory.
pub const FILE_NAME: &str = "bitext.toml";

/// A parsed config file.
#[derive(Debug, Default, Clone)]
pub struct ConfigFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The `[backend.NAME]` tables, by backend name.
    pub backends: BTreeMap<String, BackendTable>,
    /// The `[qa]` table, and the line of its header.
    pub qa: Option<(QaTable, usize)>,
    /// Things the user should know (an ignored key).
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    backend: BTreeMap<String, BackendTable>,
    qa: Option<QaTable>,
}

/// The `[qa]` table: how `bitext qa` runs. Every key is optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct QaTable {
    /// The checks to run, as for `--checks` (names, `all`, `translate`, `-name`).
    pub checks: Option<Vec<String>>,
    /// `error`, `warning` or `never`, as for `--fail-on`.
    pub fail_on: Option<String>,
    /// A severity per check name: `error`, `warning` or `off`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// `length-ratio`: how many times longer or shorter than expected.
    pub length_max_factor: Option<f64>,
    /// `length-ratio`: how many spreads from the expected length.
    pub length_max_deviations: Option<f64>,
    /// `length-ratio`: sources with fewer Han characters are never flagged.
    pub length_min_han: Option<usize>,
}

/// One `[backend.NAME]` table. Every key is optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BackendTable {
    /// The server's base URL.
    pub base_url: Option<String>,
    /// The model.
    pub model: Option<String>,
    /// The environment variable holding the key.
    pub api_key_env: Option<String>,
    /// The key itself (only in a file other users cannot read).
    pub api_key: Option<Secret>,
    /// The program and its arguments, as a list or as one string.
    pub command: Option<CommandLine>,
    /// The vendor's code for the source language.
    pub source_code: Option<String>,
    /// The most requests in flight at once.
    pub concurrency: Option<usize>,
    /// The most requests per minute.
    pub rpm: Option<u32>,
    /// Seconds one request may take.
    pub timeout: Option<u64>,
    /// How many times a failed request is retried.
    pub max_retries: Option<u32>,
    /// Allow an `http://` base URL on another machine.
    pub allow_http: Option<bool>,
    /// A system-prompt template file, relative to the config file.
    pub prompt: Option<PathBuf>,
    /// A house style guide file, relative to the config file.
    pub style: Option<PathBuf>,
    /// The formality (DeepL).
    pub formality: Option<Formality>,
    /// The sampling temperature (LLMs).
    pub temperature: Option<f64>,
    /// The most segments a request may carry (LLMs, `command`).
    pub max_batch: Option<usize>,
    /// The most source characters a request may carry (LLMs, `command`).
    pub max_batch_chars: Option<usize>,
}

/// The keys of a `[backend.NAME]` table that only some backends take: the
/// key, the capability it needs, and what a backend without it lacks.
type CapabilityKey = (&'static str, fn(&Capabilities) -> bool, &'static str);
const CAPABILITY_KEYS: &[CapabilityKey] = &[
    ("model", |c| c.models, "has no model to choose"),
    ("prompt", |c| c.prompt, "takes no prompt"),
    ("style", |c| c.prompt, "takes no style guide"),
    ("temperature", |c| c.temperature, "has no temperature"),
    ("formality", |c| c.formality, "cannot set formality"),
    ("max_batch", |c| c.prompt, "has fixed batch limits"),
    ("max_batch_chars", |c| c.prompt, "has fixed batch limits"),
];

/// A program and its arguments: `["prog", "arg"]` or `"prog arg"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum CommandLine {
    /// Already split.
    Words(Vec<String>),
    /// One string, split like a shell would (without one).
    Line(String),
}

impl ConfigFile {
    /// Read `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        let mut file = ConfigFile::parse(path, &text)?;
        if file.backends.values().any(|t| t.api_key.is_some()) && readable_by_others(path) {
            for table in file.backends.values_mut() {
                table.api_key = None;
            }
            file.warnings.push(format!(
                "{}: api_key ignored because other users can read the file; run `chmod 600 {}` or use api_key_env",
                path.display(),
                path.display()
            ));
        }
        Ok(file)
    }

    /// Read `explicit` if given, else `bitext.toml` in the current
    /// directory if there is one.
    pub fn discover(explicit: Option<&Path>) -> Result<Option<Self>> {
        match explicit {
            Some(path) => ConfigFile::load(path).map(Some),
            None if Path::new(FILE_NAME).is_file() => {
                ConfigFile::load(Path::new(FILE_NAME)).map(Some)
            }
            None => Ok(None),
        }
    }

    /// Parse the text of a config file read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let error =
            |line: usize, message: String| Error::in_file(FileKind::Config, path, line, message);
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map_or(0, |s| crate::text::line_at(text.as_bytes(), s.start));
            let message = e.message().trim().to_string();
            let message = if message.starts_with("unknown field") {
                format!("{message}; see the [backend.NAME] and [qa] keys in the README")
            } else {
                message
            };
            error(line, message)
        })?;
        let names: Vec<&str> = backend::builtins().iter().map(|b| b.name).collect();
        for (name, table) in &raw.backend {
            let line = line_of(text, &format!("backend.{name}"));
            if !names.contains(&name.as_str()) {
                return Err(error(
                    line,
                    format!(
                        "unknown backend '{name}' in [backend.{name}]; the backends are {}",
                        names.join(", ")
                    ),
                ));
            }
            for (key, value) in [
                ("max_batch", table.max_batch),
                ("max_batch_chars", table.max_batch_chars),
            ] {
                if value == Some(0) {
                    return Err(error(
                        key_line(text, line, key),
                        format!("[backend.{name}] {key} must be at least 1"),
                    ));
                }
            }
            if table.concurrency == Some(0) {
                return Err(error(
                    line,
                    format!("[backend.{name}] concurrency must be at least 1"),
                ));
            }
            if let Some(info) = backend::builtin(name) {
                let set = |key: &str| match key {
                    "model" => table.model.is_some(),
                    "prompt" => table.prompt.is_some(),
                    "style" => table.style.is_some(),
                    "temperature" => table.temperature.is_some(),
                    "formality" => table.formality.is_some(),
                    "max_batch" => table.max_batch.is_some(),
                    _ => table.max_batch_chars.is_some(),
                };
                let unusable = CAPABILITY_KEYS
                    .iter()
                    .find(|&&(key, needs, _)| set(key) && !needs(&info.capabilities));
                if let Some(&(key, needs, why)) = unusable {
                    let others = backend::backends_that(needs);
                    let take = if others.contains(' ') {
                        "take"
                    } else {
                        "takes"
                    };
                    return Err(error(
                        key_line(text, line, key),
                        format!(
                            "[backend.{name}] {key}: the {name} backend {why}; remove the key ({others} {take} one)"
                        ),
                    ));
                }
            }
            if let Some(t) = table.temperature
                && !(0.0..=2.0).contains(&t)
            {
                return Err(error(
                    key_line(text, line, "temperature"),
                    format!("[backend.{name}] temperature = {t}: give one from 0 to 2"),
                ));
            }
            if table.rpm == Some(0) || table.timeout == Some(0) {
                return Err(error(
                    line,
                    format!("[backend.{name}] rpm and timeout must be at least 1"),
                ));
            }
        }
        let qa = match raw.qa {
            Some(table) => {
                let line = line_of(text, "[qa]");
                check_qa(&table, text, line).map_err(|(line, message)| error(line, message))?;
                Some((table, line))
            }
            None => None,
        };
        Ok(ConfigFile {
            path: path.to_path_buf(),
            backends: raw.backend,
            qa,
            warnings: Vec::new(),
        })
    }

    /// Apply the `[backend.NAME]` table, if any, to `settings`.
    pub fn apply(&self, name: &str, settings: &mut BackendSettings) -> Result<()> {
        let Some(table) = self.backends.get(name) else {
            return Ok(());
        };
        if let Some(v) = &table.base_url {
            settings.base_url = Some(v.clone());
        }
        if let Some(v) = &table.model {
            settings.model = Some(v.clone());
        }
        if let Some(v) = &table.api_key_env {
            settings.api_key_env = Some(v.clone());
        }
        if let Some(v) = &table.api_key {
            settings.api_key = Some(ApiKey::new(
                v.expose(),
                format!("api_key in {}", self.path.display()),
            ));
        }
        if let Some(v) = &table.command {
            settings.command = Some(match v {
                CommandLine::Words(words) => words.clone(),
                CommandLine::Line(line) => backend::command::split_command_line(line)?,
            });
        }
        if let Some(v) = &table.source_code {
            settings.source_code = Some(v.clone());
        }
        if let Some(v) = table.concurrency {
            settings.concurrency = v;
        }
        if let Some(v) = table.rpm {
            settings.requests_per_minute = Some(v);
        }
        if let Some(v) = table.timeout {
            settings.timeout = Duration::from_secs(v);
        }
        if let Some(v) = table.max_retries {
            settings.max_retries = v;
        }
        if let Some(v) = table.allow_http {
            settings.allow_http = v;
        }
        let dir = self.path.parent().unwrap_or(Path::new(""));
        if let Some(v) = &table.prompt {
            settings.prompt.template = Some(PromptTemplate::load(&dir.join(v))?);
        }
        if let Some(v) = &table.style {
            settings.prompt.style = Some(StyleGuide::load(&dir.join(v))?);
        }
        if let Some(v) = table.formality {
            settings.formality = Some(v);
        }
        if let Some(v) = table.temperature {
            settings.temperature = Some(v);
        }
        if let Some(v) = table.max_batch {
            settings.max_batch = Some(v);
        }
        if let Some(v) = table.max_batch_chars {
            settings.max_batch_chars = Some(v);
        }
        Ok(())
    }
}

/// Validate a `[qa]` table whose header is on `line`: the error's line and
/// message.
fn check_qa(table: &QaTable, text: &str, line: usize) -> std::result::Result<(), (usize, String)> {
    if let Some(checks) = &table.checks {
        crate::qa::QaConfig::parse_checks(&checks.join(",")).map_err(|e| {
            (
                key_line(text, line, "checks"),
                format!(
                    "[qa] checks: {}",
                    e.to_string().trim_start_matches("--checks: ")
                ),
            )
        })?;
    }
    if let Some(v) = &table.fail_on
        && !matches!(v.as_str(), "error" | "warning" | "never")
    {
        return Err((
            key_line(text, line, "fail_on"),
            format!("[qa] fail_on is '{v}'; write error, warning or never"),
        ));
    }
    let severity_line = line_of(text, "[qa.severity]").max(line);
    for (name, value) in &table.severity {
        let at = key_line(text, severity_line, name);
        if crate::check::check_info(name).is_none() {
            return Err((
                at,
                format!(
                    "[qa] severity: unknown check '{name}'; the checks are {}",
                    crate::check::check_names()
                ),
            ));
        }
        if !matches!(value.as_str(), "error" | "warning" | "off") {
            return Err((
                at,
                format!("[qa] severity of {name} is '{value}'; write error, warning or off"),
            ));
        }
    }
    if table
        .length_max_factor
        .is_some_and(|f| f.is_nan() || f <= 1.0)
        || table
            .length_max_deviations
            .is_some_and(|d| d.is_nan() || d <= 0.0)
    {
        return Err((
            line,
            "[qa] length_max_factor must be above 1 and length_max_deviations above 0".into(),
        ));
    }
    Ok(())
}

/// The 1-based line where `needle` first occurs, or 0.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

/// The 1-based line of `key` in the table whose header is on line
/// `table_line`, or `table_line` when it cannot be found.
fn key_line(text: &str, table_line: usize, key: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(table_line)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(table_line, |(i, _)| i + 1)
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o004 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile> {
        ConfigFile::parse(Path::new("bitext.toml"), text)
    }

    #[test]
    fn tables_apply_to_settings() {
        let file = parse(
            "[backend.openai]\nbase_url = \"http://127.0.0.1:1/v1\"\nmodel = \"m\"\nrpm = 30\ntimeout = 9\n\n[backend.command]\ncommand = \"python3 'a b.py'\"\n",
        )
        .unwrap();
        let mut s = BackendSettings::default();
        file.apply("openai", &mut s).unwrap();
        assert_eq!(s.base_url.as_deref(), Some("http://127.0.0.1:1/v1"));
        assert_eq!(s.model.as_deref(), Some("m"));
        assert_eq!(s.requests_per_minute, Some(30));
        assert_eq!(s.timeout, Duration::from_secs(9));
        let mut s = BackendSettings::default();
        file.apply("command", &mut s).unwrap();
        assert_eq!(s.command.unwrap(), ["python3", "a b.py"]);
    }

    #[test]
    fn qa_table_errors_name_the_line() {
        let file = parse("[qa]\nchecks = [\"all\", \"-double-space\"]\n[qa.severity]\nend-punctuation = \"error\"\n").unwrap();
        assert!(file.qa.is_some());
        for (text, start) in [
            (
                "[qa]\nfail_on = \"error\"\nchecs = []\n",
                "bitext.toml:3: unknown field `checs`",
            ),
            (
                "[qa]\n\n[qa.severity]\nend-punctuatio = \"error\"\n",
                "bitext.toml:4: [qa] severity: unknown check 'end-punctuatio'",
            ),
            (
                "[qa]\nchecks = [\"nope\"]\n",
                "bitext.toml:2: [qa] checks: unknown check 'nope'",
            ),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.starts_with(start), "{err}");
        }
    }

    #[test]
    fn errors_name_line_and_key() {
        let err = parse("[backend.openai]\nmodel = \"m\"\nmodle = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bitext.toml:3: unknown field `modle`"),
            "{err}"
        );
        let err = parse("\n[backend.deeppl]\n").unwrap_err().to_string();
        assert!(
            err.starts_with("bitext.toml:2: unknown backend 'deeppl'"),
            "{err}"
        );
        let err = parse("[backend.openai]\nconcurrency = 0\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("at least 1"), "{err}");
    }
}
