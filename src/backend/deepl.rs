//! DeepL API v2.
//!
//! A batch is one `POST /v2/translate` (at most 50 texts) with
//! `Authorization: DeepL-Auth-Key KEY` and the JSON body `{"text": [...],
//! "source_lang": "ZH", "target_lang": "EN-US"}`. DeepL answers in request
//! order, so the translations are matched to ids by position within the
//! request, and only when their count is exactly the number of texts sent
//! (any other count fails the batch, to be retried). Segments with
//! placeholder markup go in their own request with `tag_handling: "xml"` and
//! `ignore_tags: ["x"]`.
//!
//! `--formality` goes as `formality`; the examples of a request's segments
//! (translations of similar texts from the memory) go as `context`, which
//! DeepL reads without translating or billing it.
//!
//! The key is `DEEPL_AUTH_KEY`; a key ending in `:fx` goes to
//! `https://api-free.deepl.com`, any other to `https://api.deepl.com`, and
//! `--base-url` overrides both (the `/v2/...` paths are appended to it).
//!
//! # Glossary
//!
//! Given the run's glossary ([`BackendSettings::glossary`]), the first batch
//! that has terms makes a DeepL glossary of all its entries (`zh` → `en`,
//! TSV) named `bitext-HASH` after its content: an existing ready glossary of
//! that name on the account is reused (`GET /v2/glossaries`), otherwise one
//! is created (`POST /v2/glossaries`). Its id is kept for the run and sent as
//! `glossary_id` with every batch that has terms. Batches that come while the
//! first one sets the glossary up do not wait for it: they protect their terms
//! with placeholder tags (`tag_handling: "xml"`) and restore the glossary
//! targets from the reply themselves. So the backend reports
//! [`TermSupport::Native`] while it has (or may still make) a glossary, and
//! [`TermSupport::Placeholder`] when it has none, or when DeepL refused to
//! make it (HTTP 400, e.g. an unsupported language pair): from then on the
//! pipeline protects terms with placeholders. A batch caught by that refusal
//! is translated without the glossary (the check stage flags any term
//! missed).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_trait::async_trait;
use reqwest::Url;
use serde::Deserialize;
use serde_json::json;

use super::http::{self, Request, Transport, Vendor, fatal_error};
use super::{
    Backend, BackendSettings, Capabilities, ChunkedService, Formality, Price, SegmentReply,
    SegmentRequest, TermSupport, TranslateContext, primary_subtag,
};
use crate::backend::BackendInfo;
use crate::error::Result;
use crate::glossary::Glossary;
use crate::glossary::placeholder::{protect, restore};
use crate::text::fnv1a;

/// The backend's name.
pub const NAME: &str = "deepl";

/// The environment variable the key is read from by default.
pub const KEY_VAR: &str = "DEEPL_AUTH_KEY";

/// The base URL for keys ending in `:fx`.
pub const FREE_BASE_URL: &str = "https://api-free.deepl.com";

/// The base URL for other keys.
pub const PRO_BASE_URL: &str = "https://api.deepl.com";

/// The target languages DeepL sets formality for (`--formality more` or
/// `less` into any other fails).
pub const FORMALITY_LANGUAGES: &[&str] = &["de", "es", "fr", "it", "ja", "nl", "pl", "pt", "ru"];

/// Whether DeepL sets formality for the target language `tag`.
pub fn has_formality(tag: &str) -> bool {
    FORMALITY_LANGUAGES.contains(&primary_subtag(tag).as_str())
}

/// DeepL's `context` for a request: the examples of its segments within
/// the LLMs' budget ([`super::prompt::EXAMPLE_TOKENS`]), a source and its
/// translation a line (DeepL reads the context and does not translate or
/// bill it). `None` when there are none.
fn examples_context(chunk: &[&SegmentRequest]) -> Option<String> {
    let lines: Vec<String> =
        super::prompt::examples_within(chunk.iter().copied(), super::prompt::EXAMPLE_TOKENS)
            .into_iter()
            .map(|e| format!("{} = {}", e.source, e.target))
            .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The most texts DeepL takes in one request.
pub const MAX_TEXTS: usize = 50;

/// What the backend can do (terms: native with a glossary; see the module
/// documentation).
pub const CAPABILITIES: Capabilities =
    Capabilities::service(TermSupport::Native, MAX_TEXTS, 30_000).with_formality();

/// This backend in the registry of [`super::builtins`].
pub const DESCRIPTOR: BackendInfo = BackendInfo {
    name: NAME,
    summary: "DeepL API v2",
    needs: "DEEPL_AUTH_KEY (a key ending in :fx uses the free API)",
    glossary: "uploaded once as a DeepL glossary and applied by DeepL (placeholders if DeepL refuses it); every translation is checked, and one that misses a term is sent again with placeholders",
    default_base_url: Some(PRO_BASE_URL),
    capabilities: CAPABILITIES,
    key_var: Some(KEY_VAR),
    build: |settings| Ok(Box::new(DeepL::new(settings)?)),
};

/// The DeepL backend.
#[derive(Debug)]
pub struct DeepL {
    transport: Transport,
    base: Url,
    source_code: Option<String>,
    glossary: Option<Arc<Glossary>>,
    glossary_id: tokio::sync::Mutex<GlossaryState>,
    native: AtomicBool,
    /// Glossary set-up requests sent so far.
    setup: AtomicUsize,
    formality: Option<Formality>,
}

#[derive(Debug, Clone)]
enum GlossaryState {
    NotYet,
    Ready(String),
    Unavailable,
}

impl DeepL {
    /// Check the key and base URL of `settings` and set up the transport.
    pub fn new(settings: &BackendSettings) -> Result<Self> {
        let key_var = settings.key_var(KEY_VAR).to_string();
        let Some(key) = settings.key(KEY_VAR) else {
            return Err(fatal_error(
                NAME,
                format!("no API key: set {key_var} to your DeepL authentication key"),
            ));
        };
        let base = http::base_url(
            settings
                .base_url
                .as_deref()
                .unwrap_or(default_base_url(key.secret().expose())),
            settings.allow_http,
        )?;
        let glossary = settings.glossary.clone().filter(|g| !g.is_empty());
        let vendor = Vendor {
            backend: NAME,
            service: "DeepL".to_string(),
            key_var,
            not_found_hint: "check --base-url (DeepL's is https://api.deepl.com, or https://api-free.deepl.com for :fx keys)".to_string(),
            connect_hint: None,
        };
        Ok(DeepL {
            transport: Transport::new(vendor, settings, Some(key))?,
            base,
            source_code: settings.source_code.clone(),
            native: AtomicBool::new(glossary.is_some()),
            glossary,
            glossary_id: tokio::sync::Mutex::new(GlossaryState::NotYet),
            setup: AtomicUsize::new(0),
            formality: settings.formality,
        })
    }

    fn request(&self, path: &str, body: Option<serde_json::Value>) -> Request {
        let url = http::join(&self.base, path);
        let request = match body {
            Some(body) => Request::post_json(url, body),
            None => Request::get(url),
        };
        match self.transport.key() {
            Some(key) => request.secret_header("authorization", "DeepL-Auth-Key ", key.secret()),
            None => request,
        }
    }

    /// How a batch with terms uses the glossary. The first such batch finds
    /// or makes the DeepL glossary (two requests, one after the other) and
    /// then uses it; batches that come while it does so do not wait: they
    /// protect their terms with placeholders and go at once.
    async fn glossary_use(&self, ctx: &TranslateContext) -> Result<GlossaryUse> {
        if self.glossary.is_none() {
            return Ok(GlossaryUse::None);
        }
        let Ok(mut state) = self.glossary_id.try_lock() else {
            return Ok(GlossaryUse::Placeholders);
        };
        Ok(match self.glossary_id(ctx, &mut state).await? {
            Some(id) => GlossaryUse::Id(id),
            None => GlossaryUse::None,
        })
    }

    /// The glossary's DeepL id: found or made on first use, then kept.
    async fn glossary_id(
        &self,
        ctx: &TranslateContext,
        state: &mut GlossaryState,
    ) -> Result<Option<String>> {
        let Some(glossary) = &self.glossary else {
            return Ok(None);
        };
        match &*state {
            GlossaryState::Ready(id) => return Ok(Some(id.clone())),
            GlossaryState::Unavailable => return Ok(None),
            GlossaryState::NotYet => {}
        }
        let source = primary_subtag(&ctx.source_lang);
        let target = primary_subtag(&ctx.target_lang);
        let entries = glossary_tsv(glossary);
        let name = format!(
            "bitext-{:016x}",
            fnv1a(format!("{source}\n{target}\n{entries}").as_bytes())
        );
        // Reuse a glossary an earlier run made, rather than pile them up.
        self.setup.fetch_add(1, Ordering::Relaxed);
        let list = self
            .transport
            .send(&self.request("v2/glossaries", None))
            .await?;
        if list.is_success()
            && let Ok(list) = list.json::<GlossaryList>()
            && let Some(found) = list.glossaries.into_iter().find(|g| {
                g.name == name && g.ready && g.source_lang == source && g.target_lang == target
            })
        {
            *state = GlossaryState::Ready(found.glossary_id.clone());
            return Ok(Some(found.glossary_id));
        }
        let body = json!({
            "name": name,
            "source_lang": source,
            "target_lang": target,
            "entries": entries,
            "entries_format": "tsv",
        });
        self.setup.fetch_add(1, Ordering::Relaxed);
        let reply = self
            .transport
            .send(&self.request("v2/glossaries", Some(body)))
            .await?;
        if reply.is_success() {
            let made: GlossaryInfo = reply.json()?;
            *state = GlossaryState::Ready(made.glossary_id.clone());
            return Ok(Some(made.glossary_id));
        }
        if reply.status.is_client_error() {
            // DeepL will not make it (language pair, entries): go on without.
            *state = GlossaryState::Unavailable;
            self.native.store(false, Ordering::Relaxed);
            eprintln!(
                "warning: backend deepl: DeepL did not create the glossary (HTTP {}{}); \
                 glossary terms go through placeholders instead",
                reply.status.as_u16(),
                match reply.detail() {
                    d if d.is_empty() => String::new(),
                    d => format!(": {d}"),
                }
            );
            return Ok(None);
        }
        Err(reply.error())
    }

    /// Send one `/v2/translate` request: `texts` stand for `chunk`, are XML
    /// with placeholder tags when `xml` is set, and use `glossary_id` if given.
    async fn send_chunk(
        &self,
        ctx: &TranslateContext,
        chunk: &[&SegmentRequest],
        texts: Vec<String>,
        xml: bool,
        glossary_id: Option<String>,
    ) -> Result<Vec<SegmentReply>> {
        let mut body = json!({
            "text": texts,
            "source_lang": self.source_code.clone().unwrap_or_else(|| source_code(&ctx.source_lang)),
            "target_lang": target_code(&ctx.target_lang),
        });
        if xml {
            body["tag_handling"] = json!("xml");
            body["ignore_tags"] = json!(["x"]);
        }
        if let Some(id) = glossary_id {
            body["glossary_id"] = json!(id);
        }
        if let Some(formality) = self.formality {
            body["formality"] = json!(formality.as_deepl());
        }
        if let Some(context) = examples_context(chunk) {
            body["context"] = json!(context);
        }
        let reply = self
            .transport
            .send(&self.request("v2/translate", Some(body)))
            .await?;
        let translated: TranslateReply = reply.json()?;
        let texts = translated
            .translations
            .into_iter()
            .map(|t| t.text)
            .collect();
        // DeepL takes and returns XML (`tag_handling`), not HTML.
        super::chunk_replies(NAME, "DeepL", chunk, texts, false)
    }
}

#[async_trait]
impl ChunkedService for DeepL {
    const MAX_TEXTS: usize = MAX_TEXTS;

    /// One `/v2/translate` request of at most [`MAX_TEXTS`] segments that
    /// all have (or all lack) markup.
    async fn translate_chunk(
        &self,
        ctx: &TranslateContext,
        chunk: &[&SegmentRequest],
        markup: bool,
    ) -> Result<Vec<SegmentReply>> {
        let mut texts: Vec<String> = chunk.iter().map(|r| r.text.clone()).collect();
        // Whether this request protects the terms itself, for want of the
        // glossary that another batch is still setting up.
        let mut protected = false;
        let mut xml = markup;
        if !markup && chunk.iter().any(|r| !r.terms.is_empty()) {
            match self.glossary_use(ctx).await? {
                GlossaryUse::Id(id) => {
                    return self.send_chunk(ctx, chunk, texts, false, Some(id)).await;
                }
                GlossaryUse::Placeholders => {
                    texts = chunk.iter().map(|r| protect(&r.text, &r.terms)).collect();
                    protected = true;
                    xml = true;
                }
                GlossaryUse::None => {}
            }
        }
        let mut replies = self.send_chunk(ctx, chunk, texts, xml, None).await?;
        if protected {
            for (reply, request) in replies.iter_mut().zip(chunk) {
                reply.text = restore(&reply.text, &request.terms).text;
            }
        }
        Ok(replies)
    }
}

#[async_trait]
impl Backend for DeepL {
    fn name(&self) -> &str {
        NAME
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            terms: if self.native.load(Ordering::Relaxed) {
                TermSupport::Native
            } else {
                TermSupport::Placeholder
            },
            ..CAPABILITIES
        }
    }

    /// The glossary set-up: listing the account's glossaries, then
    /// creating ours if it is not there.
    fn setup_requests(&self) -> usize {
        self.setup.load(Ordering::Relaxed)
    }

    /// Per DeepL's billing article ("Character count and billing in DeepL
    /// API", <https://support.deepl.com/hc/en-us/articles/360020685720>, whose
    /// German, Italian and Polish versions state the figures): DeepL API Pro
    /// costs a monthly base price of €4.99 plus €0.00002 per character of
    /// source text (€20 per million), markup tags not counted; DeepL API Free
    /// (keys ending in `:fx`) translates up to 500,000 characters a month at
    /// no charge.
    fn price(&self) -> Price {
        match self.transport.key() {
            Some(key) if key.secret().expose().ends_with(":fx") => Price::Free(
                "DeepL API Free (a key ending in :fx), up to 500,000 characters a month",
            ),
            _ => Price::PerMillionChars {
                currency: "€",
                amount: 20.0,
                terms: "DeepL API Pro, plus its base price of €4.99 a month; \
                        DeepL API Free keys (ending in :fx) translate 500,000 characters a month at no charge",
            },
        }
    }

    async fn translate(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        self.translate_chunks(ctx, batch).await
    }
}

/// How one batch with terms uses the glossary.
enum GlossaryUse {
    /// Send `glossary_id`.
    Id(String),
    /// Another batch is setting the glossary up: protect the terms with
    /// placeholders instead of waiting.
    Placeholders,
    /// There is no glossary to use.
    None,
}

#[derive(Debug, Deserialize)]
struct TranslateReply {
    translations: Vec<Translation>,
}

#[derive(Debug, Deserialize)]
struct Translation {
    text: String,
}

#[derive(Debug, Deserialize)]
struct GlossaryList {
    #[serde(default)]
    glossaries: Vec<GlossaryInfo>,
}

#[derive(Debug, Deserialize)]
struct GlossaryInfo {
    glossary_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ready: bool,
    #[serde(default)]
    source_lang: String,
    #[serde(default)]
    target_lang: String,
}

/// The API's address for `key`: the free API for keys ending in `:fx`, the
/// Pro API otherwise.
pub fn default_base_url(key: &str) -> &'static str {
    if key.ends_with(":fx") {
        FREE_BASE_URL
    } else {
        PRO_BASE_URL
    }
}

/// DeepL's source language code for a BCP 47 tag: the language alone,
/// upper-case (`zh-CN` → `ZH`).
pub fn source_code(tag: &str) -> String {
    primary_subtag(tag).to_ascii_uppercase()
}

/// DeepL's target language code for a BCP 47 tag (`en-US` → `EN-US`,
/// `en` → `EN-US`, `zh-TW` → `ZH-HANT`, `pt` → `PT-PT`).
pub fn target_code(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase().replace('_', "-");
    let code = match lower.as_str() {
        "en-gb" => "EN-GB",
        "pt-br" => "PT-BR",
        "zh-tw" | "zh-hk" | "zh-hant" | "zh-hant-tw" => "ZH-HANT",
        _ => match primary_subtag(&lower).as_str() {
            "en" => "EN-US",
            "pt" => "PT-PT",
            "zh" => "ZH-HANS",
            other => return other.to_ascii_uppercase(),
        },
    };
    code.to_string()
}

/// The glossary as DeepL TSV (`source<TAB>target` lines), one entry per
/// source; entries DeepL cannot hold (tabs, line breaks, blanks) are left out.
pub fn glossary_tsv(glossary: &Glossary) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut tsv = String::new();
    for entry in glossary.entries() {
        let source = entry.source.trim();
        let target = if entry.target.trim().is_empty() && entry.do_not_translate {
            source
        } else {
            entry.target.trim()
        };
        let bad = |s: &str| s.is_empty() || s.contains(['\t', '\n', '\r']);
        if bad(source) || bad(target) || !seen.insert(source) {
            continue;
        }
        tsv.push_str(source);
        tsv.push('\t');
        tsv.push_str(target);
        tsv.push('\n');
    }
    tsv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_keys_go_to_the_free_api() {
        assert_eq!(default_base_url("abc:fx"), "https://api-free.deepl.com");
        assert_eq!(default_base_url("abc"), "https://api.deepl.com");
    }

    #[test]
    fn language_codes() {
        assert_eq!(source_code("zh-CN"), "ZH");
        assert_eq!(target_code("en-US"), "EN-US");
        assert_eq!(target_code("en"), "EN-US");
        assert_eq!(target_code("en-GB"), "EN-GB");
        assert_eq!(target_code("zh-TW"), "ZH-HANT");
        assert_eq!(target_code("de-DE"), "DE");
    }

    #[test]
    fn glossary_tsv_skips_what_deepl_cannot_hold() {
        let g = Glossary::from_tsv_str(
            "g.tsv",
            "source\ttarget\n创先争优\tStrive for Excellence\n国土资源部\tMinistry of Land and Resources\n",
        )
        .unwrap();
        assert_eq!(
            glossary_tsv(&g),
            "创先争优\tStrive for Excellence\n国土资源部\tMinistry of Land and Resources\n"
        );
    }
}
