//! The translate stage's plug-in point: machine-translation backends.
//!
//! A [`Backend`] translates a batch of [`SegmentRequest`]s and answers with
//! translations keyed by [`SegmentId`]; the pipeline aligns them by id, never
//! by position, and flags any segment left without one. Built-in backends are
//! listed by [`builtins`] and built by [`build`] from [`BackendSettings`];
//! tests and library users can plug in their own with
//! [`crate::Pipeline::with_backend`].
//!
//! | name | protocol | key |
//! |---|---|---|
//! | `dictionary` | offline CC-CEDICT gloss | none |
//! | `openai` | OpenAI-compatible `POST {base}/chat/completions` | `OPENAI_API_KEY` (none for a server on this machine) |
//! | `ollama` | `openai` at Ollama's address, `http://127.0.0.1:11434/v1` | none |
//! | `llamacpp` | `openai` at llama.cpp's server, `http://127.0.0.1:8080/v1` | none |
//! | `deepl` | DeepL API v2 `POST /v2/translate`, glossaries via `/v2/glossaries` | `DEEPL_AUTH_KEY` |
//! | `google` | Cloud Translation v2 `POST /language/translate/v2` | `GOOGLE_API_KEY` |
//! | `libretranslate` | LibreTranslate `POST {base}/translate` | `LIBRETRANSLATE_API_KEY` (optional) |
//! | `command` | an external program, one JSON batch on stdin, JSON on stdout | none |
//!
//! The network backends share one transport (`http::Transport`): timeouts,
//! concurrency and rate limits, retries with backoff, and errors that say
//! what to do.

pub mod command;
pub mod deepl;
pub mod dictionary;
pub mod google;
pub(crate) mod http;
pub mod libretranslate;
pub mod local;
mod markup;
pub mod openai;
pub mod prompt;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::document::{SegmentId, TermMatch};
use crate::error::{ErrorKind, Result};
use crate::glossary::Glossary;
use crate::text::primary_subtag;
pub use http::{ApiKey, Secret};
pub use prompt::{Prompt, PromptTemplate, StyleGuide};

/// What a backend can do, so the pipeline can prepare requests for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Capabilities {
    /// How the backend is made to render glossary terms.
    pub terms: TermSupport,
    /// The most segments one request may carry.
    pub max_batch: usize,
    /// The most source characters one request may carry.
    pub max_chars: usize,
    /// The backend needs network access.
    pub network: bool,
    /// The language pairs it translates.
    pub languages: Languages,
    /// Whether it takes a model (`--model`, `model =`): a choice of models
    /// on the server (openai), or a name passed to the program (command).
    pub models: bool,
    /// Whether it takes a prompt template and a style guide (`--prompt`,
    /// `--style`): the LLMs, and the program of `command`.
    pub prompt: bool,
    /// Whether it takes a sampling temperature (`--temperature`).
    pub temperature: bool,
    /// Whether it takes a formality (`--formality`): DeepL.
    pub formality: bool,
}

impl Capabilities {
    /// A translation service over the network (DeepL, Google,
    /// LibreTranslate): glossary terms reach it as `terms` says, a request
    /// carries at most `max_batch` segments and `max_chars` source
    /// characters, any language pair, and no model, prompt, temperature or
    /// formality to choose.
    pub const fn service(terms: TermSupport, max_batch: usize, max_chars: usize) -> Self {
        Capabilities {
            terms,
            max_batch,
            max_chars,
            network: true,
            languages: Languages::Any,
            models: false,
            prompt: false,
            temperature: false,
            formality: false,
        }
    }

    /// A language model (an OpenAI-compatible server, an external program):
    /// told the terms in its prompt, it takes a model, a prompt and a
    /// temperature; otherwise as [`Capabilities::service`].
    pub const fn model(max_batch: usize, max_chars: usize) -> Self {
        Capabilities {
            models: true,
            prompt: true,
            temperature: true,
            ..Capabilities::service(TermSupport::Prompt, max_batch, max_chars)
        }
    }

    /// These, with network access or without.
    pub const fn network(self, network: bool) -> Self {
        Capabilities { network, ..self }
    }

    /// These, for the language pairs of `languages` only.
    pub const fn languages(self, languages: Languages) -> Self {
        Capabilities { languages, ..self }
    }

    /// These, with a formality to choose (`--formality`).
    pub const fn with_formality(self) -> Self {
        Capabilities {
            formality: true,
            ..self
        }
    }
}

/// The language pairs a backend translates, by primary language subtag
/// (`zh-TW` is `zh`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Languages {
    /// Any pair the backend's protocol can name: the server (or program)
    /// says if it lacks one.
    Any,
    /// From these languages into these only.
    Only {
        /// The source languages.
        source: &'static [&'static str],
        /// The target languages.
        target: &'static [&'static str],
    },
}

impl Languages {
    /// Whether `source_lang` → `target_lang` (language tags) is a pair of
    /// these.
    pub fn translates(&self, source_lang: &str, target_lang: &str) -> bool {
        self.reads(source_lang) && self.writes(target_lang)
    }

    /// Whether the source language `tag` is one of these.
    pub fn reads(&self, tag: &str) -> bool {
        match self {
            Languages::Any => true,
            Languages::Only { source, .. } => source.contains(&primary_subtag(tag).as_str()),
        }
    }

    /// Whether the target language `tag` is one of these.
    pub fn writes(&self, tag: &str) -> bool {
        match self {
            Languages::Any => true,
            Languages::Only { target, .. } => target.contains(&primary_subtag(tag).as_str()),
        }
    }
}

/// How glossary terms reach a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermSupport {
    /// The backend renders [`SegmentRequest::terms`] itself (the dictionary
    /// gloss; DeepL with a glossary created through its API).
    Native,
    /// The backend is told the terms as constraints (an LLM prompt); the
    /// pipeline checks the result and repairs with placeholders.
    Prompt,
    /// The backend cannot be told terms: the pipeline replaces each term in
    /// the text by a placeholder tag `<x id="N"/>` (see [`SegmentRequest::markup`]),
    /// and restores the glossary target in its place afterwards.
    Placeholder,
}

/// What a backend charges for translating, as far as bitext knows: for
/// `bitext translate --dry-run`'s estimate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Price {
    /// Nothing per request or character; says why (offline, a server on
    /// this machine, a free plan and its limit).
    Free(&'static str),
    /// A price per million characters sent (source text, as the vendor
    /// counts it).
    PerMillionChars {
        /// The currency's symbol (`€`, `$`).
        currency: &'static str,
        /// The price of a million characters.
        amount: f64,
        /// The plan the price is for, and what else it costs (a monthly base
        /// price, a free allowance).
        terms: &'static str,
    },
    /// Not known to bitext; says why.
    Unknown(&'static str),
}

impl Price {
    /// The estimated cost of sending `chars` characters, with its currency
    /// symbol, when the price is per character.
    pub fn estimate(&self, chars: usize) -> Option<(&'static str, f64)> {
        match *self {
            Price::PerMillionChars {
                currency, amount, ..
            } => Some((currency, chars as f64 * amount / 1e6)),
            Price::Free(_) | Price::Unknown(_) => None,
        }
    }
}

/// Everything a backend may want to know about the run besides the segments.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TranslateContext {
    /// The source language tag (`zh-CN`).
    pub source_lang: String,
    /// The target language tag (`en-US`).
    pub target_lang: String,
    /// The input being translated (a path, or `-`).
    pub file: String,
    /// Source texts of the segments just before the batch, oldest first:
    /// read-only context for backends that can use it (`openai`, `command`),
    /// never translated. Empty unless the caller fills it per batch with
    /// [`TranslateContext::with_neighbours`].
    pub context_before: Vec<String>,
    /// Source texts of the segments just after the batch, in order; see
    /// [`TranslateContext::context_before`].
    pub context_after: Vec<String>,
}

/// A translation from the memory of a text like the segment's, given to the
/// backend as an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The source text of the memory's entry.
    pub source: String,
    /// Its translation.
    pub target: String,
    /// How similar its source is to the segment's, in percent (100: the
    /// same).
    pub score: u8,
}

/// How formal the translation should be (`--formality`), for backends that
/// take it (DeepL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Formality {
    /// The backend's own choice.
    Default,
    /// More formal; refused for target languages without formality.
    More,
    /// Less formal; refused for target languages without formality.
    Less,
    /// More formal where the target language has formality.
    PreferMore,
    /// Less formal where the target language has formality.
    PreferLess,
}

impl Formality {
    /// The value DeepL's API takes (`more`, `prefer_less`).
    pub fn as_deepl(self) -> &'static str {
        match self {
            Formality::Default => "default",
            Formality::More => "more",
            Formality::Less => "less",
            Formality::PreferMore => "prefer_more",
            Formality::PreferLess => "prefer_less",
        }
    }

    /// As given to `--formality`.
    pub fn name(self) -> &'static str {
        match self {
            Formality::Default => "default",
            Formality::More => "more",
            Formality::Less => "less",
            Formality::PreferMore => "prefer-more",
            Formality::PreferLess => "prefer-less",
        }
    }
}

impl TranslateContext {
    /// A context for translating `file` from `source_lang` to `target_lang`.
    pub fn new(source_lang: &str, target_lang: &str, file: &str) -> Self {
        TranslateContext {
            source_lang: source_lang.to_string(),
            target_lang: target_lang.to_string(),
            file: file.to_string(),
            context_before: Vec::new(),
            context_after: Vec::new(),
        }
    }

    /// This context with the source texts of the segments around a batch
    /// (a couple on each side is plenty), for one call of
    /// [`Backend::translate`].
    pub fn with_neighbours(mut self, before: Vec<String>, after: Vec<String>) -> Self {
        self.context_before = before;
        self.context_after = after;
        self
    }
}

/// One segment to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRequest {
    /// The segment's id; the reply must carry it.
    pub id: SegmentId,
    /// The source text (surrounding white space removed). When `markup` is
    /// set, it is XML: text escaped (`&amp;`, `&lt;`, `&gt;`) with placeholder
    /// tags `<x id="N"/>` standing for glossary terms and tags `<g
    /// id="cN">…</g>`, `<x id="cN"/>` for inline codes, and the reply must be
    /// XML in the same way, keeping the tags (DeepL `tag_handling=xml`,
    /// Google and LibreTranslate `format=html`).
    pub text: String,
    /// Whether `text` is XML with placeholder tags.
    pub markup: bool,
    /// Glossary terms found in the source, with byte spans into the plain
    /// source text (not into `text` when `markup` is set).
    pub terms: Vec<TermMatch>,
    /// Translations of similar texts from the memory, best first, for
    /// backends that take examples (the LLMs, `command`, DeepL's
    /// `context`).
    pub examples: Vec<Example>,
}

/// One translated segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentReply {
    /// The id of the segment this translates.
    pub id: SegmentId,
    /// The translation.
    pub text: String,
}

/// A machine-translation backend.
#[async_trait]
pub trait Backend: Send + Sync {
    /// The backend's name, as given to `--backend` and recorded in outputs.
    fn name(&self) -> &str;

    /// The model, where the backend has a choice of them.
    fn model(&self) -> Option<&str> {
        None
    }

    /// What the backend can do.
    fn capabilities(&self) -> Capabilities;

    /// What the translation memory keys this backend's translations by: its
    /// name and model, plus anything else that changes what it returns (a
    /// backend whose prompt changes bumps a version here).
    fn fingerprint(&self) -> String {
        format!("{}|{}", self.name(), self.model().unwrap_or(""))
    }

    /// Requests the backend sent of its own accord, besides the batches it
    /// was given, so far (DeepL's glossary set-up); counted in the run's
    /// requests.
    fn setup_requests(&self) -> usize {
        0
    }

    /// Whether the backend keeps the markers of inline codes (`⟨1⟩…⟨/1⟩`,
    /// see [`crate::markup::codes`]) in place in plain text, as the
    /// dictionary gloss does. Otherwise segments with inline codes are sent
    /// as XML, their codes as tags (see [`SegmentRequest::markup`]).
    fn keeps_markers(&self) -> bool {
        false
    }

    /// What the backend charges, for estimates ([`Price::Unknown`] unless the
    /// backend says otherwise).
    fn price(&self) -> Price {
        Price::Unknown("bitext does not know this backend's price")
    }

    /// The text a language model would read for this batch (its messages),
    /// for `--dry-run`'s token estimate; `None` for backends that are no
    /// language model.
    fn prompt_text(&self, _ctx: &TranslateContext, _batch: &[SegmentRequest]) -> Option<String> {
        None
    }

    /// The server it sends to, for `--dry-run`; `None` for backends
    /// without one.
    fn address(&self) -> Option<String> {
        None
    }

    /// Translate a batch. Replies are matched to requests by id: a reply may
    /// come in any order, and a reply may leave segments out (the pipeline
    /// retries those in smaller batches, then flags them `untranslated`).
    /// An error fails the whole batch: the pipeline retries its segments one
    /// by one unless [`crate::ErrorKind::Backend`] says the failure is fatal
    /// (bad key, quota).
    async fn translate(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>>;
}

/// `batch` in requests a vendor takes: at most `max` texts each, all with
/// placeholder markup or all without (one request has one format: XML/HTML
/// or plain text), in the batch's order within each group.
pub(crate) fn markup_chunks(
    batch: &[SegmentRequest],
    max: usize,
) -> Vec<(bool, Vec<&SegmentRequest>)> {
    let mut chunks = Vec::new();
    for markup in [false, true] {
        let group: Vec<&SegmentRequest> = batch.iter().filter(|r| r.markup == markup).collect();
        for chunk in group.chunks(max.max(1)) {
            chunks.push((markup, chunk.to_vec()));
        }
    }
    chunks
}

/// A translation service whose request is a list of texts, all plain or
/// all with placeholder markup (DeepL, Google, LibreTranslate): a batch
/// goes out in as many requests as [`markup_chunks`] makes of it.
#[async_trait]
pub(crate) trait ChunkedService: Sync {
    /// The most texts one request takes.
    const MAX_TEXTS: usize;

    /// One request: `chunk` has at most [`ChunkedService::MAX_TEXTS`]
    /// segments, all with placeholder markup or all without (`markup`).
    async fn translate_chunk(
        &self,
        ctx: &TranslateContext,
        chunk: &[&SegmentRequest],
        markup: bool,
    ) -> Result<Vec<SegmentReply>>;

    /// The whole batch, request after request, in the batch's order within
    /// each group.
    async fn translate_chunks(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        let mut replies = Vec::with_capacity(batch.len());
        for (markup, chunk) in markup_chunks(batch, Self::MAX_TEXTS) {
            replies.extend(self.translate_chunk(ctx, &chunk, markup).await?);
        }
        Ok(replies)
    }
}

/// The replies to `chunk` from the texts a vendor (`service`, for backend
/// `backend`) sent back for it, in its order; HTML texts (`html`) are
/// brought back to the XML form of [`SegmentRequest::text`]. An error that
/// retries the batch when the vendor sent another number of texts.
pub(crate) fn chunk_replies(
    backend: &str,
    service: &str,
    chunk: &[&SegmentRequest],
    texts: Vec<String>,
    html: bool,
) -> Result<Vec<SegmentReply>> {
    if texts.len() != chunk.len() {
        return Err(http::backend_error(
            backend,
            format!(
                "{service} sent {} translations for {} texts; the batch will be retried",
                texts.len(),
                chunk.len()
            ),
        ));
    }
    Ok(chunk
        .iter()
        .zip(texts)
        .map(|(request, text)| SegmentReply {
            id: request.id,
            text: if html {
                markup::html_to_xml(&text)
            } else {
                text
            },
        })
        .collect())
}

/// A description of a built-in backend, for `bitext backends`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackendInfo {
    /// The name given to `--backend`.
    pub name: &'static str,
    /// One line on what it is.
    pub summary: &'static str,
    /// What it needs to run (keys, URLs), or "nothing".
    pub needs: &'static str,
    /// How it is made to use the glossary.
    pub glossary: &'static str,
    /// The server it talks to unless `--base-url` says otherwise; `None`
    /// for backends that talk to no server.
    pub default_base_url: Option<&'static str>,
    /// What it supports.
    pub capabilities: Capabilities,
    /// The environment variable its API key is read from unless the config
    /// file names another; `None` for backends without a key.
    pub key_var: Option<&'static str>,
    /// Build it from its settings, checking its base URL and key before
    /// anything is translated.
    #[serde(skip)]
    pub build: fn(&BackendSettings) -> Result<Box<dyn Backend>>,
}

/// The registry of built-in backends, in the order `bitext backends` lists
/// them: each backend module exports its [`BackendInfo`] as `DESCRIPTOR`,
/// and adding a backend is one file and one line here.
const BUILTINS: &[&BackendInfo] = &[
    &dictionary::DESCRIPTOR,
    &openai::DESCRIPTOR,
    &local::OLLAMA,
    &local::LLAMACPP,
    &deepl::DESCRIPTOR,
    &google::DESCRIPTOR,
    &libretranslate::DESCRIPTOR,
    &command::DESCRIPTOR,
];

/// The built-in backends.
pub fn builtins() -> Vec<BackendInfo> {
    BUILTINS.iter().map(|&info| info.clone()).collect()
}

/// The built-in backend called `name`, if there is one.
pub fn builtin(name: &str) -> Option<BackendInfo> {
    builtins().into_iter().find(|b| b.name == name)
}

/// The backends that take a model: `openai, ollama, llamacpp and command`.
pub fn model_backends() -> String {
    backends_that(|c| c.models)
}

/// The names of the backends whose capabilities pass `test`, as a list in
/// words: `openai, ollama and command`.
pub fn backends_that(test: impl Fn(&Capabilities) -> bool) -> String {
    let names: Vec<&str> = builtins()
        .into_iter()
        .filter(|b| test(&b.capabilities))
        .map(|b| b.name)
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// How to reach and pace a backend: the settings common to the built-in
/// backends, from the command line and `[backend.NAME]` in the config file.
/// Each backend uses the ones that apply to it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BackendSettings {
    /// The server's base URL (`https://api.openai.com/v1`,
    /// `https://api.deepl.com`); each backend has a default.
    pub base_url: Option<String>,
    /// The model (`openai`).
    pub model: Option<String>,
    /// The API key itself, for callers that do not use the environment (the
    /// config file's `api_key`, tests). When `None`, the key is read from
    /// `api_key_env` or the backend's own variable.
    pub api_key: Option<ApiKey>,
    /// The environment variable holding the API key, instead of the
    /// backend's own (`OPENAI_API_KEY`, …).
    pub api_key_env: Option<String>,
    /// The program and its arguments (`command`).
    pub command: Option<Vec<String>>,
    /// The vendor's code for the source language, instead of the one mapped
    /// from the source tag (LibreTranslate: `zh` or `zh-Hans`).
    pub source_code: Option<String>,
    /// The most requests in flight at once.
    pub concurrency: usize,
    /// The most requests per minute, if limited.
    pub requests_per_minute: Option<u32>,
    /// How long one request (or one run of the command) may take.
    pub timeout: Duration,
    /// How many times a failed request is retried.
    pub max_retries: u32,
    /// The first backoff ceiling; it doubles with every retry.
    pub retry_base: Duration,
    /// Allow `http://` base URLs to hosts other than this machine.
    pub allow_http: bool,
    /// The run's glossary, for backends that upload it (DeepL).
    pub glossary: Option<Arc<Glossary>>,
    /// The prompt template and style guide (LLMs; `command` passes them on).
    pub prompt: Prompt,
    /// The sampling temperature (LLMs; default 0).
    pub temperature: Option<f64>,
    /// The formality (DeepL).
    pub formality: Option<Formality>,
    /// The most segments one request may carry, instead of the backend's
    /// own limit (LLMs and `command`, whose limits are bitext's choice).
    pub max_batch: Option<usize>,
    /// The most source characters one request may carry, likewise.
    pub max_batch_chars: Option<usize>,
}

impl Default for BackendSettings {
    fn default() -> Self {
        BackendSettings {
            base_url: None,
            model: None,
            api_key: None,
            api_key_env: None,
            command: None,
            source_code: None,
            concurrency: 4,
            requests_per_minute: None,
            timeout: Duration::from_secs(120),
            max_retries: 4,
            retry_base: Duration::from_millis(500),
            allow_http: false,
            glossary: None,
            prompt: Prompt::default(),
            temperature: None,
            formality: None,
            max_batch: None,
            max_batch_chars: None,
        }
    }
}

impl BackendSettings {
    /// `caps` with the batch limits of these settings, where given.
    pub fn batch_limits(&self, caps: Capabilities) -> Capabilities {
        Capabilities {
            max_batch: self.max_batch.unwrap_or(caps.max_batch),
            max_chars: self.max_batch_chars.unwrap_or(caps.max_chars),
            ..caps
        }
    }

    /// The API key: [`BackendSettings::api_key`], else the variable
    /// [`BackendSettings::api_key_env`], else `default_var`.
    pub fn key(&self, default_var: &str) -> Option<ApiKey> {
        self.api_key
            .clone()
            .or_else(|| ApiKey::from_env(self.key_var(default_var)))
    }

    /// The environment variable the key is read from.
    pub fn key_var<'a>(&'a self, default_var: &'a str) -> &'a str {
        self.api_key_env.as_deref().unwrap_or(default_var)
    }
}

/// Build the built-in backend called `name`. Network backends check their
/// base URL and key here, before anything is translated.
pub fn build(name: &str, settings: &BackendSettings) -> Result<Box<dyn Backend>> {
    let info = BUILTINS
        .iter()
        .find(|info| info.name == name)
        .ok_or_else(|| ErrorKind::UnknownBackend {
            name: name.to_string(),
        })?;
    (info.build)(settings)
}

/// The environment variable backend `name` reads its API key from unless
/// told otherwise; `None` for backends without a key.
pub fn key_var(name: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .find(|info| info.name == name)
        .and_then(|info| info.key_var)
}
