//! The offline default backend: a CC-CEDICT dictionary gloss.
//!
//! Traditional text is read through its simplified form (tables from
//! CC-CEDICT's two headword columns). Words are found with jieba and glossed
//! from CC-CEDICT (CC BY-SA 4.0, by
//! MDBG; built into the binary from `data/`), numbers and dates are put into
//! English form, and glossary terms are rendered with their glossary targets.
//! The result is a gloss for a reviewer, not a translation.

pub mod cedict;
pub mod gloss;

use async_trait::async_trait;

use super::{
    Backend, Capabilities, Languages, Price, SegmentReply, SegmentRequest, TermSupport,
    TranslateContext,
};
use crate::backend::BackendInfo;
use crate::error::Result;
use gloss::{FixedTerm, Glosser};

/// The backend's name.
pub const NAME: &str = "dictionary";

/// What the backend can do: it renders glossary terms itself.
pub const CAPABILITIES: Capabilities = Capabilities::service(TermSupport::Native, 64, 16_384)
    .network(false)
    .languages(Languages::Only {
        source: &["zh"],
        target: &["en"],
    });

/// This backend in the registry of [`super::builtins`].
pub const DESCRIPTOR: BackendInfo = BackendInfo {
    name: NAME,
    summary: "offline word-by-word gloss from CC-CEDICT (jieba word segmentation), Chinese into English only; a reviewer's aid, not a translation",
    needs: "nothing: no key, no network",
    glossary: "the gloss renders each term with its glossary target",
    default_base_url: None,
    capabilities: CAPABILITIES,
    key_var: None,
    build: |_| Ok(Box::new(Dictionary::load())),
};

/// The CC-CEDICT gloss backend.
pub struct Dictionary {
    glosser: Glosser,
}

impl Dictionary {
    /// Load the built-in dictionary and word segmenter.
    pub fn load() -> Self {
        Dictionary {
            glosser: Glosser::load(),
        }
    }

    /// The dictionary and word segmenter it glosses with.
    pub fn glosser(&self) -> &Glosser {
        &self.glosser
    }

    /// Gloss one text, rendering the given glossary terms with their targets.
    /// The markers of inline codes (`⟨1⟩`) are kept in place, as fixed
    /// terms that gloss as themselves.
    pub fn gloss(&self, request: &SegmentRequest) -> String {
        let markers = crate::markup::codes::marker_spans(&request.text);
        let mut fixed: Vec<FixedTerm<'_>> = request
            .terms
            .iter()
            .map(|t| FixedTerm {
                span: t.span.clone(),
                target: &t.target,
            })
            .chain(markers.iter().map(|span| FixedTerm {
                span: span.clone(),
                target: &request.text[span.clone()],
            }))
            .collect();
        if markers.is_empty() {
            return self.glosser.gloss(&request.text, &fixed);
        }
        fixed.sort_by_key(|t| t.span.start);
        crate::markup::codes::tidy(&self.glosser.gloss(&request.text, &fixed))
    }
}

#[async_trait]
impl Backend for Dictionary {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self) -> Option<&str> {
        Some("cc-cedict-2023-11-07")
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    fn price(&self) -> Price {
        Price::Free("offline")
    }

    fn keeps_markers(&self) -> bool {
        true
    }

    async fn translate(
        &self,
        _ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        // Glossed on every core (rayon's pool: RAYON_NUM_THREADS limits it),
        // one batch at a time, so memory stays bounded by a batch; the
        // replies keep the batch's order, and each gloss depends on its
        // segment alone, so the output is the same as on one core.
        use rayon::prelude::*;
        Ok(batch
            .par_iter()
            .map(|request| SegmentReply {
                id: request.id,
                text: self.gloss(request),
            })
            .collect())
    }
}
