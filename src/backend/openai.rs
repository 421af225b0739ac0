//! OpenAI-compatible chat servers: OpenAI, DeepSeek, Qwen (DashScope's
//! compatible mode), Ollama, vLLM, llama.cpp's server, LM Studio.
//!
//! One batch is one `POST {base}/chat/completions` with `temperature: 0`
//! (or `--temperature`) and `response_format: {"type": "json_object"}`
//! (dropped for the rest of the run if the server answers 400 naming it;
//! likewise `temperature`). The system prompt and the user message are
//! built by [`super::prompt`]: a system prompt that is the same for every
//! request of a run (so that servers that cache a repeated prefix charge it
//! once), and a user message of plain lines, the batch's segments by id
//! with a little context around them and the batch's glossary terms, stated
//! as hard constraints. The model answers `{"7": "…"}`. Replies are read
//! tolerantly (code fences, `<think>` blocks and chatter around the JSON are
//! skipped; `{"translations": [{"id", "text"}]}` or a bare array of such
//! objects also do) and matched by id: unknown ids are dropped, missing ones
//! left for the pipeline to retry. A reply cut off at the output limit
//! (`finish_reason: "length"`) fails the batch, so that it is retried in
//! smaller pieces.
//!
//! The key is `OPENAI_API_KEY` (or the variable named by `api_key_env`); a
//! server on this machine needs none. The presets `ollama` and `llamacpp`
//! ([`super::local`]) are this backend at those servers' addresses.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use reqwest::Url;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, Request, Transport, Vendor, backend_error, fatal_error};
use super::prompt::Prompt;
use super::{
    Backend, BackendSettings, Capabilities, Price, SegmentReply, SegmentRequest, TranslateContext,
};
use crate::backend::BackendInfo;
use crate::document::SegmentId;
use crate::error::Result;

/// The backend's name.
pub const NAME: &str = "openai";

/// The default base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// The default model.
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";

/// The environment variable the key is read from by default.
pub const KEY_VAR: &str = "OPENAI_API_KEY";

/// What the backend can do: terms go into the prompt as constraints. A
/// batch is at most 250 segments and 3,000 characters: a reply of about
/// 3,000 tokens, within the 4,096 output tokens some servers allow by
/// default, and few requests to repeat the system prompt and the terms in
/// (the characters bound the reply; the segment count only keeps the list
/// of ids one a model follows).
pub const CAPABILITIES: Capabilities = Capabilities::model(250, 3000);

/// This backend in the registry of [`super::builtins`].
pub const DESCRIPTOR: BackendInfo = BackendInfo {
    name: NAME,
    summary: "any OpenAI-compatible chat server (OpenAI, DeepSeek, Qwen, Ollama, vLLM, llama.cpp, LM Studio); batches by id with neighbouring context",
    needs: "OPENAI_API_KEY (none for a server on this machine); --base-url, --model",
    glossary: "the batch's terms go in the prompt as hard constraints; every translation is checked, and one that misses a term is sent again with placeholders",
    default_base_url: Some(DEFAULT_BASE_URL),
    capabilities: CAPABILITIES,
    key_var: Some(KEY_VAR),
    build: |settings| Ok(Box::new(OpenAi::new(settings)?)),
};

/// Which OpenAI-compatible server a backend talks to by default: `openai`
/// itself, or a preset for a server on this machine ([`super::local`]).
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The backend's name.
    pub name: &'static str,
    /// The base URL unless `--base-url` says otherwise.
    pub base_url: &'static str,
    /// The model unless `--model` says otherwise.
    pub model: &'static str,
    /// What the batches may hold.
    pub capabilities: Capabilities,
    /// How to start the server, for the error when it cannot be reached
    /// (`{model}` stands for the model); `None` for `openai`.
    pub start_hint: Option<&'static str>,
    /// How to get a model the server lacks (`ollama pull {model}`), for
    /// the error when it answers 404; `None` for the general hint.
    pub model_hint: Option<&'static str>,
}

/// The `openai` backend's own preset.
pub const OPENAI: Preset = Preset {
    name: NAME,
    base_url: DEFAULT_BASE_URL,
    model: DEFAULT_MODEL,
    capabilities: CAPABILITIES,
    start_hint: None,
    model_hint: None,
};

/// An OpenAI-compatible chat-completions backend.
#[derive(Debug)]
pub struct OpenAi {
    preset: Preset,
    transport: Transport,
    base: Url,
    url: Url,
    model: String,
    local: bool,
    prompt: Prompt,
    temperature_value: f64,
    json_mode: AtomicBool,
    temperature: AtomicBool,
}

impl OpenAi {
    /// Check the base URL and key of `settings` and set up the transport.
    pub fn new(settings: &BackendSettings) -> Result<Self> {
        OpenAi::with_preset(OPENAI, settings)
    }

    /// The backend of `preset`, set up from `settings`.
    pub fn with_preset(preset: Preset, settings: &BackendSettings) -> Result<Self> {
        let name = preset.name;
        let base = http::base_url(
            settings.base_url.as_deref().unwrap_or(preset.base_url),
            settings.allow_http,
        )?;
        let local = http::is_loopback(&base);
        // A preset's server needs no key: it sends one only when told
        // (api_key, api_key_env), never the OPENAI_API_KEY of the machine.
        let key = if preset.name == NAME {
            settings.key(KEY_VAR)
        } else {
            settings.api_key.clone().or_else(|| {
                settings
                    .api_key_env
                    .as_deref()
                    .and_then(super::ApiKey::from_env)
            })
        };
        let key_var = settings.key_var(KEY_VAR).to_string();
        if key.is_none() && !local {
            return Err(fatal_error(
                name,
                format!(
                    "no API key: set {key_var} (or name another variable with api_key_env in [backend.{name}]); \
                     a server on this machine (--base-url http://127.0.0.1:PORT/v1) needs none"
                ),
            ));
        }
        let model = settings
            .model
            .clone()
            .unwrap_or_else(|| preset.model.to_string());
        let service = match base.host_str() {
            Some("api.openai.com") => "OpenAI".to_string(),
            Some(host) => match base.port() {
                Some(port) => format!("the server at {host}:{port}"),
                None => format!("the server at {host}"),
            },
            None => "the server".to_string(),
        };
        let not_found_hint = match preset.model_hint {
            Some(hint) => format!("is '{model}' there? {}", hint.replace("{model}", &model)),
            None => format!(
                "check --model (is '{model}' served there?) and --base-url (it usually ends in /v1)"
            ),
        };
        let vendor = Vendor {
            backend: name,
            service,
            key_var,
            not_found_hint,
            connect_hint: preset.start_hint.map(|h| h.replace("{model}", &model)),
        };
        Ok(OpenAi {
            transport: Transport::new(vendor, settings, key)?,
            url: http::join(&base, "chat/completions"),
            base,
            model,
            local,
            preset: Preset {
                capabilities: settings.batch_limits(preset.capabilities),
                ..preset
            },
            prompt: settings.prompt.clone(),
            temperature_value: settings.temperature.unwrap_or(0.0),
            json_mode: AtomicBool::new(true),
            temperature: AtomicBool::new(true),
        })
    }

    fn body(&self, ctx: &TranslateContext, batch: &[SegmentRequest]) -> Value {
        let mut body = json!({
            "model": self.model,
            "messages": [
                {"role": "system", "content": self.prompt.system(ctx, batch)},
                {"role": "user", "content": self.prompt.user(ctx, batch)},
            ],
        });
        if self.temperature.load(Ordering::Relaxed) {
            body["temperature"] = if self.temperature_value == 0.0 {
                json!(0)
            } else {
                json!(self.temperature_value)
            };
        }
        if self.json_mode.load(Ordering::Relaxed) {
            body["response_format"] = json!({"type": "json_object"});
        }
        body
    }

    fn request(&self, body: Value) -> Request {
        let request = Request::post_json(self.url.clone(), body);
        match self.transport.key() {
            Some(key) => request.secret_header("authorization", "Bearer ", key.secret()),
            None => request,
        }
    }
}

#[async_trait]
impl Backend for OpenAi {
    fn name(&self) -> &str {
        self.preset.name
    }

    fn model(&self) -> Option<&str> {
        Some(&self.model)
    }

    fn capabilities(&self) -> Capabilities {
        self.preset.capabilities.network(!self.local)
    }

    /// The prompt is part of what a translation depends on: a custom
    /// template or style guide (or a temperature) keys its own entries.
    fn fingerprint(&self) -> String {
        let mut print = format!("{}|{}", self.preset.name, self.model);
        if self.prompt != Prompt::default() || self.temperature_value != 0.0 {
            let system = self.prompt.system(&TranslateContext::new("", "", ""), &[]);
            print.push_str(&format!(
                "|prompt:{:016x}|t:{}",
                crate::text::fnv1a(system.as_bytes()),
                self.temperature_value
            ));
        }
        print
    }

    fn prompt_text(&self, ctx: &TranslateContext, batch: &[SegmentRequest]) -> Option<String> {
        Some(self.prompt.system(ctx, batch) + &self.prompt.user(ctx, batch))
    }

    fn address(&self) -> Option<String> {
        Some(self.base.to_string())
    }

    /// Chat servers charge per token (prompt, context and reply) at a
    /// price that depends on the provider and model, which a character count
    /// cannot estimate; a server on this machine costs nothing per request.
    fn price(&self) -> Price {
        if self.local {
            Price::Free("a server on this machine")
        } else {
            Price::Unknown("priced per token by the provider and model; not estimated")
        }
    }

    async fn translate(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let mut reply = self
            .transport
            .send(&self.request(self.body(ctx, batch)))
            .await?;
        // Servers without JSON mode (or fixed-temperature models) say so
        // with a 400 naming the parameter: drop it for the rest of the run.
        for _ in 0..2 {
            if reply.status.as_u16() != 400 {
                break;
            }
            let detail = reply.body.to_ascii_lowercase();
            if detail.contains("response_format") && self.json_mode.swap(false, Ordering::Relaxed)
                || detail.contains("temperature") && self.temperature.swap(false, Ordering::Relaxed)
            {
                reply = self
                    .transport
                    .send(&self.request(self.body(ctx, batch)))
                    .await?;
            } else {
                break;
            }
        }
        let chat: ChatReply = reply.json()?;
        let choice = chat
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| backend_error(self.preset.name, "the reply has no choices"))?;
        if choice.finish_reason.as_deref() == Some("length") {
            return Err(backend_error(
                self.preset.name,
                "the reply was cut off at the model's output limit (finish_reason: length); \
                 the batch needs to be smaller",
            ));
        }
        let content = choice.message.content.unwrap_or_default();
        if content.trim().is_empty() {
            return Err(backend_error(
                self.preset.name,
                format!(
                    "the model gave an empty reply (finish_reason: {})",
                    choice.finish_reason.as_deref().unwrap_or("none")
                ),
            ));
        }
        let Some(pairs) = parse_translations(&content) else {
            return Err(backend_error(
                self.preset.name,
                format!(
                    "no translations in the model's reply: {}",
                    preview(&content)
                ),
            ));
        };
        Ok(match_ids(batch, pairs))
    }
}

/// Keep the replies whose ids were asked for, the first of each, in the
/// order given; ids not in the batch are dropped.
pub(crate) fn match_ids(
    batch: &[SegmentRequest],
    pairs: impl IntoIterator<Item = (u32, String)>,
) -> Vec<SegmentReply> {
    let wanted: HashSet<u32> = batch.iter().map(|r| r.id.0).collect();
    let mut seen = HashSet::new();
    pairs
        .into_iter()
        .filter(|(id, _)| wanted.contains(id) && seen.insert(*id))
        .map(|(id, text)| SegmentReply {
            id: SegmentId(id),
            text,
        })
        .collect()
}

#[derive(Debug, Deserialize)]
struct ChatReply {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    message: Message,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
}

/// The start of a reply, for messages.
fn preview(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// Read `(id, text)` pairs from a model's reply: the JSON may be wrapped in
/// code fences, preceded by a `<think>` block or chatter, and be
/// `{"translations": [{"id", "text"}]}`, a bare array of such objects, or an
/// object mapping ids to texts. `None` when no such JSON is found.
pub fn parse_translations(reply: &str) -> Option<Vec<(u32, String)>> {
    let text = strip_think(reply);
    let mut candidates: Vec<&str> = fenced_blocks(&text);
    candidates.push(&text);
    for candidate in candidates {
        if let Some(pairs) = first_json(candidate) {
            return Some(pairs);
        }
    }
    None
}

/// Remove `<think>…</think>` blocks (and everything before a lone
/// `</think>`, whose opening tag some servers strip).
fn strip_think(reply: &str) -> String {
    let mut text = reply.to_string();
    while let Some(start) = text.find("<think>") {
        match text[start..].find("</think>") {
            Some(end) => text.replace_range(start..start + end + "</think>".len(), ""),
            None => text.truncate(start),
        }
    }
    if let Some(end) = text.rfind("</think>") {
        text.replace_range(..end + "</think>".len(), "");
    }
    text
}

/// The contents of the ```` ``` ```` fenced blocks in `text`.
fn fenced_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        // Skip the info string (`json`) up to the end of the line.
        let body_start = after.find('\n').map_or(0, |i| i + 1);
        let body = &after[body_start..];
        match body.find("```") {
            Some(close) => {
                blocks.push(&body[..close]);
                rest = &body[close + 3..];
            }
            None => {
                blocks.push(body);
                break;
            }
        }
    }
    blocks
}

/// The first JSON value in `text` (from some `{` or `[` on) that holds
/// translations.
fn first_json(text: &str) -> Option<Vec<(u32, String)>> {
    let starts = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '{' | '['))
        .map(|(i, _)| i)
        .take(64);
    for start in starts {
        let mut values = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        if let Some(Ok(value)) = values.next()
            && let Some(pairs) = pairs_of(&value)
        {
            return Some(pairs);
        }
    }
    None
}

/// Translations in one of the accepted shapes.
fn pairs_of(value: &Value) -> Option<Vec<(u32, String)>> {
    match value {
        Value::Array(items) => items_of(items),
        Value::Object(map) if map.contains_key("id") => items_of(std::slice::from_ref(value)),
        Value::Object(map) => {
            for key in ["translations", "translation", "segments", "results"] {
                match map.get(key) {
                    Some(Value::Array(items)) => return items_of(items),
                    Some(inner @ Value::Object(_)) => return pairs_of(inner),
                    _ => {}
                }
            }
            // {"1": "text", "2": "text"}
            let pairs: Option<Vec<(u32, String)>> = map
                .iter()
                .map(|(k, v)| Some((k.trim().parse().ok()?, v.as_str()?.to_string())))
                .collect();
            pairs.filter(|p| !p.is_empty())
        }
        _ => None,
    }
}

fn items_of(items: &[Value]) -> Option<Vec<(u32, String)>> {
    let pairs: Vec<(u32, String)> = items
        .iter()
        .filter_map(|item| {
            let id = match item.get("id")? {
                Value::Number(n) => u32::try_from(n.as_u64()?).ok()?,
                Value::String(s) => s.trim().parse().ok()?,
                _ => return None,
            };
            let text = ["text", "translation", "target", "translated_text"]
                .iter()
                .find_map(|k| item.get(*k)?.as_str())?;
            Some((id, text.to_string()))
        })
        .collect();
    (!pairs.is_empty() || items.is_empty()).then_some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_shape() {
        assert_eq!(
            parse_translations(
                r#"{"translations":[{"id":1,"text":"One."},{"id":"2","text":"Two."}]}"#
            ),
            Some(vec![(1, "One.".into()), (2, "Two.".into())])
        );
    }

    #[test]
    fn reads_fenced_think_and_chatty_replies() {
        let fenced = "Sure! Here you go:\n```json\n{\"translations\":[{\"id\":3,\"text\":\"A {b}.\"}]}\n```\nHope this helps.";
        assert_eq!(parse_translations(fenced), Some(vec![(3, "A {b}.".into())]));
        let think = "<think>The user wants {\"id\": 9}... [draft]</think>\n{\"translations\":[{\"id\":4,\"text\":\"Four.\"}]}";
        assert_eq!(parse_translations(think), Some(vec![(4, "Four.".into())]));
        let lone = "reasoning…</think>[{\"id\":5,\"text\":\"Five.\"}]";
        assert_eq!(parse_translations(lone), Some(vec![(5, "Five.".into())]));
        let chatter = "Translations: {\"6\": \"Six.\", \"7\": \"Seven.\"} Done.";
        assert_eq!(
            parse_translations(chatter),
            Some(vec![(6, "Six.".into()), (7, "Seven.".into())])
        );
    }

    #[test]
    fn no_json_is_none() {
        assert_eq!(parse_translations("I cannot help with that."), None);
        assert_eq!(parse_translations("<think>{\"translations\":[]}"), None);
    }
}
