//! Google Cloud Translation v2 (Basic).
//!
//! A batch is one `POST {base}/language/translate/v2` (at most 128 texts)
//! with the JSON body `{"q": [...], "source": "zh-CN", "target": "en",
//! "format": "text"}`. The key (`GOOGLE_API_KEY`) goes in the
//! `X-goog-api-key` header, which Google accepts in place of the `?key=`
//! query parameter and which keeps the key out of URLs (and so out of any
//! log or error that prints one). Translations come back in request order in
//! `data.translations[].translatedText` and are matched to ids by position
//! within the request, only when their count is exactly the number sent.
//!
//! Google cannot be told glossary terms, so the pipeline protects them with
//! placeholders: such segments go in their own request with `format:
//! "html"`, and the HTML reply is brought back to our XML markup (character
//! references decoded, placeholder tags in canonical form).

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
pub const NAME: &str = "google";

/// The environment variable the key is read from by default.
pub const KEY_VAR: &str = "GOOGLE_API_KEY";

/// The default base URL.
pub const DEFAULT_BASE_URL: &str = "https://translation.googleapis.com";

/// The most texts one request may carry.
pub const MAX_TEXTS: usize = 128;

/// What the backend can do: terms through placeholders.
pub const CAPABILITIES: Capabilities =
    Capabilities::service(TermSupport::Placeholder, MAX_TEXTS, 30_000);

/// This backend in the registry of [`super::builtins`].
pub const DESCRIPTOR: BackendInfo = BackendInfo {
    name: NAME,
    summary: "Google Cloud Translation v2 (Basic)",
    needs: "GOOGLE_API_KEY",
    glossary: "each term travels as a placeholder tag and comes back as its glossary target",
    default_base_url: Some(DEFAULT_BASE_URL),
    capabilities: CAPABILITIES,
    key_var: Some(KEY_VAR),
    build: |settings| Ok(Box::new(Google::new(settings)?)),
};

/// The Google Cloud Translation backend.
#[derive(Debug)]
pub struct Google {
    transport: Transport,
    url: Url,
    source_code: Option<String>,
}

impl Google {
    /// Check the key and base URL of `settings` and set up the transport.
    pub fn new(settings: &BackendSettings) -> Result<Self> {
        let key_var = settings.key_var(KEY_VAR).to_string();
        let Some(key) = settings.key(KEY_VAR) else {
            return Err(fatal_error(
                NAME,
                format!(
                    "no API key: set {key_var} to a Google Cloud API key with the Cloud Translation API enabled"
                ),
            ));
        };
        let base = http::base_url(
            settings.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            settings.allow_http,
        )?;
        let vendor = Vendor {
            backend: NAME,
            service: "Google".to_string(),
            key_var,
            not_found_hint: "check --base-url (Google's is https://translation.googleapis.com)"
                .to_string(),
            connect_hint: None,
        };
        Ok(Google {
            transport: Transport::new(vendor, settings, Some(key))?,
            url: http::join(&base, "language/translate/v2"),
            source_code: settings.source_code.clone(),
        })
    }
}

#[async_trait]
impl ChunkedService for Google {
    const MAX_TEXTS: usize = MAX_TEXTS;

    async fn translate_chunk(
        &self,
        ctx: &TranslateContext,
        chunk: &[&SegmentRequest],
        markup: bool,
    ) -> Result<Vec<SegmentReply>> {
        let body = json!({
            "q": chunk.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
            "source": self.source_code.clone().unwrap_or_else(|| language_code(&ctx.source_lang)),
            "target": language_code(&ctx.target_lang),
            "format": if markup { "html" } else { "text" },
        });
        let mut request = Request::post_json(self.url.clone(), body);
        if let Some(key) = self.transport.key() {
            request = request.secret_header("x-goog-api-key", "", key.secret());
        }
        let reply = self.transport.send(&request).await?;
        // Google answers a bad key with 400, not 401.
        if reply.status.as_u16() == 400
            && (reply.body.contains("API_KEY_INVALID") || reply.body.contains("API key not valid"))
        {
            let origin = self.transport.key().map_or(KEY_VAR, |k| k.origin());
            return Err(fatal_error(
                NAME,
                format!("Google rejected the key (HTTP 400); check {origin}"),
            ));
        }
        let translated: TranslateReply = reply.json()?;
        let texts = translated.data.translations.into_iter();
        let texts = texts.map(|t| t.translated_text).collect();
        super::chunk_replies(NAME, "Google", chunk, texts, markup)
    }
}

#[async_trait]
impl Backend for Google {
    fn name(&self) -> &str {
        NAME
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    /// Cloud Translation - Basic (v2), per Google's price list
    /// (<https://cloud.google.com/translate/pricing>, "Cloud Translation -
    /// Basic"): $20 per million characters sent from 500,000 to a billion a
    /// month; the first 500,000 characters a month are free (as a $10
    /// credit shared with Advanced).
    fn price(&self) -> Price {
        Price::PerMillionChars {
            currency: "$",
            amount: 20.0,
            terms: "Cloud Translation Basic; the first 500,000 characters a month are free",
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
struct TranslateReply {
    data: Data,
}

#[derive(Debug, Deserialize)]
struct Data {
    translations: Vec<Translation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Translation {
    translated_text: String,
}

/// Google's code for a BCP 47 tag: `zh-CN` or `zh-TW` for Chinese, the
/// language alone otherwise (`en-US` → `en`).
pub fn language_code(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase().replace('_', "-");
    match lower.as_str() {
        "zh-tw" | "zh-hk" | "zh-hant" | "zh-hant-tw" => "zh-TW".to_string(),
        _ if primary_subtag(&lower) == "zh" => "zh-CN".to_string(),
        _ => primary_subtag(&lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(language_code("zh-CN"), "zh-CN");
        assert_eq!(language_code("zh"), "zh-CN");
        assert_eq!(language_code("zh-TW"), "zh-TW");
        assert_eq!(language_code("en-US"), "en");
    }
}
