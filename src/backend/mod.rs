//! The translate stage's plug-in point: machine-translation backends.
//!
//! A [`Backend`] translates a batch of [`SegmentRequest`]s and answers with
//! translations keyed by [`SegmentId`]; the pipeline aligns them by id, never
//! by position, and flags any segment left without one. Built-in backends are
//! listed by [`builtins`] and built by [`build`]; tests and library users can
//! plug in their own with [`crate::Pipeline::with_backend`].

pub mod dictionary;

use async_trait::async_trait;

use crate::document::{SegmentId, TermMatch};
use crate::error::{ErrorKind, Result};

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
}

impl TranslateContext {
    /// A context for translating `file` from `source_lang` to `target_lang`.
    pub fn new(source_lang: &str, target_lang: &str, file: &str) -> Self {
        TranslateContext {
            source_lang: source_lang.to_string(),
            target_lang: target_lang.to_string(),
            file: file.to_string(),
        }
    }
}

/// One segment to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRequest {
    /// The segment's id; the reply must carry it.
    pub id: SegmentId,
    /// The source text (surrounding white space removed). When `markup` is
    /// set, it is XML: text escaped (`&amp;`, `&lt;`, `&gt;`) with placeholder
    /// tags `<x id="N"/>` standing for glossary terms, and the reply must be
    /// XML in the same way, keeping the tags (DeepL `tag_handling=xml`,
    /// Google and LibreTranslate `format=html`).
    pub text: String,
    /// Whether `text` is XML with placeholder tags.
    pub markup: bool,
    /// Glossary terms found in the source, with byte spans into the plain
    /// source text (not into `text` when `markup` is set).
    pub terms: Vec<TermMatch>,
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

/// A description of a built-in backend, for `bitext backends`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackendInfo {
    /// The name given to `--backend`.
    pub name: &'static str,
    /// One line on what it is.
    pub summary: &'static str,
    /// What it needs to run (keys, URLs), or "nothing".
    pub needs: &'static str,
    /// What it supports.
    pub capabilities: Capabilities,
}

/// The built-in backends.
pub fn builtins() -> Vec<BackendInfo> {
    vec![BackendInfo {
        name: dictionary::NAME,
        summary: "offline word-by-word gloss from CC-CEDICT (jieba word segmentation); a reviewer's aid, not a translation",
        needs: "nothing: no key, no network",
        capabilities: dictionary::CAPABILITIES,
    }]
}

/// Build the built-in backend called `name`.
pub fn build(name: &str) -> Result<Box<dyn Backend>> {
    match name {
        dictionary::NAME => Ok(Box::new(dictionary::Dictionary::load())),
        _ => Err(ErrorKind::UnknownBackend {
            name: name.to_string(),
        }
        .into()),
    }
}
