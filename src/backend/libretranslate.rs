//! LibreTranslate, self-hosted or a public instance.
//!
//! A batch is one `POST {base}/translate` with the JSON body `{"q": [...],
//! "source": "zh", "target": "en", "format": "text"}` plus `"api_key"` when
//! `LIBRETRANSLATE_API_KEY` is set. The reply is `{"translatedText": [...]}`
//! (a single string when one text was sent), in request order; it is matched
//! to ids by position only when the count is exactly the number sent. The
//! base URL defaults to `http://localhost:5000`.
//!
//! LibreTranslate's code for Chinese differs between versions (`zh` in older
//! ones, `zh-Hans` in newer): `zh` is the default, and `source_code =
//! "zh-Hans"` in `[backend.libretranslate]` changes it. Glossary terms go
//! through placeholders, in requests of their own with `format: "html"`.

use async_trait::async_trait;
use reqwest::Url;
use serde::Deserialize;
use serde_json::json;

use super::http::{self, Request, Transport, Vendor, fatal_error};
use super::{
    Backend, BackendSettings, Capabilities, ChunkedService, Price, SegmentReply, SegmentRequest,
    TermSupport, TranslateContext, primary_subtag,
};
use crate::backend::BackendInfo;
use crate::error::Result;

/// The backend's name.
pub const NAME: &str = "libretranslate";

/// The environment variable the (optional) key is read from by default.
pub const KEY_VAR: &str = "LIBRETRANSLATE_API_KEY";

/// The default base URL.
pub const DEFAULT_BASE_URL: &str = "http://localhost:5000";

/// What the backend can do: terms through placeholders.
pub const CAPABILITIES: Capabilities = Capabilities::service(TermSupport::Placeholder, 32, 5000);

/// This backend in the registry of [`super::builtins`].
pub const DESCRIPTOR: BackendInfo = BackendInfo {
    name: NAME,
    summary: "a LibreTranslate server (self-hosted or a public instance)",
    needs: "--base-url (default http://localhost:5000); LIBRETRANSLATE_API_KEY if the server wants one",
    glossary: "each term travels as a placeholder tag and comes back as its glossary target",
    default_base_url: Some(DEFAULT_BASE_URL),
    capabilities: CAPABILITIES,
    key_var: Some(KEY_VAR),
    build: |settings| Ok(Box::new(LibreTranslate::new(settings)?)),
};

/// The LibreTranslate backend.
#[derive(Debug)]
pub struct LibreTranslate {
    transport: Transport,
    url: Url,
    local: bool,
    source_code: Option<String>,
}

impl LibreTranslate {
    /// Check the base URL of `settings` and set up the transport.
    pub fn new(settings: &BackendSettings) -> Result<Self> {
        let base = http::base_url(
            settings.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            settings.allow_http,
        )?;
        let vendor = Vendor {
            backend: NAME,
            service: "LibreTranslate".to_string(),
            key_var: settings.key_var(KEY_VAR).to_string(),
            not_found_hint: "check --base-url (the server's address, without /translate)"
                .to_string(),
            connect_hint: None,
        };
        Ok(LibreTranslate {
            local: http::is_loopback(&base),
            transport: Transport::new(vendor, settings, settings.key(KEY_VAR))?,
            url: http::join(&base, "translate"),
            source_code: settings.source_code.clone(),
        })
    }
}

#[async_trait]
impl ChunkedService for LibreTranslate {
    const MAX_TEXTS: usize = CAPABILITIES.max_batch;

    async fn translate_chunk(
        &self,
        ctx: &TranslateContext,
        chunk: &[&SegmentRequest],
        markup: bool,
    ) -> Result<Vec<SegmentReply>> {
        let mut body = json!({
            "q": chunk.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
            "source": self.source_code.clone().unwrap_or_else(|| language_code(&ctx.source_lang)),
            "target": language_code(&ctx.target_lang),
            "format": if markup { "html" } else { "text" },
        });
        if let Some(key) = self.transport.key() {
            body["api_key"] = json!(key.secret().expose());
        }
        let reply = self
            .transport
            .send(&Request::post_json(self.url.clone(), body))
            .await?;
        // Public instances answer a missing or bad key with 400.
        if reply.status.as_u16() == 400 && reply.detail().to_ascii_lowercase().contains("api key") {
            let what = match self.transport.key() {
                Some(key) => format!("rejected the key (HTTP 400); check {}", key.origin()),
                None => format!("wants a key (HTTP 400); set {KEY_VAR}"),
            };
            return Err(fatal_error(NAME, format!("LibreTranslate {what}")));
        }
        let translated: TranslateReply = reply.json()?;
        let texts = match translated.translated_text {
            Texts::Many(texts) => texts,
            Texts::One(text) => vec![text],
        };
        super::chunk_replies(NAME, "LibreTranslate", chunk, texts, markup)
    }
}

#[async_trait]
impl Backend for LibreTranslate {
    fn name(&self) -> &str {
        NAME
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES.network(!self.local)
    }

    fn price(&self) -> Price {
        if self.local {
            Price::Free("a server on this machine")
        } else {
            Price::Unknown("the server's own terms (free when self-hosted)")
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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TranslateReply {
    translated_text: Texts,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Texts {
    Many(Vec<String>),
    One(String),
}

/// LibreTranslate's code for a BCP 47 tag: the language alone (`zh-CN` →
/// `zh`, `en-US` → `en`), and `zh-Hant` for traditional Chinese.
pub fn language_code(tag: &str) -> String {
    match tag.to_ascii_lowercase().replace('_', "-").as_str() {
        "zh-tw" | "zh-hk" | "zh-hant" | "zh-hant-tw" => "zh-Hant".to_string(),
        lower => primary_subtag(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(language_code("zh-CN"), "zh");
        assert_eq!(language_code("zh-TW"), "zh-Hant");
        assert_eq!(language_code("en-US"), "en");
    }
}
