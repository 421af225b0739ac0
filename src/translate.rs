//! The translate stage: batch the segments, send the batches to the backend
//! concurrently, align the replies by id, and make the glossary hold.
//!
//! - Batches respect the backend's segment and character limits, and up to
//!   `concurrency` of them are in flight at once.
//! - A reply that leaves segments out (or a batch that fails) is retried in
//!   halves, down to single segments; a segment that still gets no
//!   translation is returned without one (the check stage flags it
//!   `untranslated`). Nothing is ever matched by position.
//! - Glossary terms reach the backend the way its [`TermSupport`] says. For
//!   [`TermSupport::Placeholder`] each term travels as a `<x id="N"/>` tag and
//!   comes back as its glossary target. For [`TermSupport::Prompt`] the terms
//!   go along as constraints; a translation that misses one is *repaired*: the
//!   segment is sent again alone with placeholders.

use std::collections::HashMap;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::backend::{Backend, SegmentReply, SegmentRequest, TermSupport, TranslateContext};
use crate::document::SegmentId;
use crate::error::{ErrorKind, Result};
use crate::glossary::Glossary;
use crate::glossary::placeholder::{protect, restore};

/// How often a segment is sent on its own before it is given up (after the
/// batches that carried it, and the transport's own retries of each request).
const SINGLE_ATTEMPTS: u32 = 2;

/// The translation of one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The translation (plain text); `None` when the backend gave none.
    pub text: Option<String>,
    /// Whether a glossary repair (a resend with placeholders) was needed.
    pub repaired: bool,
    /// Requests that carried this segment.
    pub attempts: u32,
}

/// The translate stage for one backend.
pub struct TranslateStage<'a> {
    backend: &'a dyn Backend,
    glossary: &'a Glossary,
    concurrency: usize,
}

impl<'a> TranslateStage<'a> {
    /// A stage sending at most `concurrency` batches at once to `backend`;
    /// `glossary` is the one that produced the requests' terms.
    pub fn new(backend: &'a dyn Backend, glossary: &'a Glossary, concurrency: usize) -> Self {
        TranslateStage {
            backend,
            glossary,
            concurrency: concurrency.max(1),
        }
    }

    /// Translate `requests` (plain text, with their terms). Every request's id
    /// is in the result. Fails only on a fatal backend error.
    pub async fn run(
        &self,
        ctx: &TranslateContext,
        requests: &[SegmentRequest],
    ) -> Result<HashMap<SegmentId, Translated>> {
        let caps = self.backend.capabilities();
        let placeholders =
            caps.terms == TermSupport::Placeholder && requests.iter().any(|r| !r.terms.is_empty());
        let prepared: Vec<SegmentRequest> = requests
            .iter()
            .map(|r| {
                if placeholders {
                    with_placeholders(r)
                } else {
                    r.clone()
                }
            })
            .collect();
        let batches = batches(&prepared, caps.max_batch, caps.max_chars);
        // The first fatal error ends the run and cancels the batches in flight.
        let results: Vec<Vec<(SegmentId, Option<String>, u32)>> = stream::iter(batches)
            .map(|batch| self.translate_group(ctx, batch))
            .buffer_unordered(self.concurrency)
            .try_collect()
            .await?;
        let by_id: HashMap<SegmentId, &SegmentRequest> =
            requests.iter().map(|r| (r.id, r)).collect();
        let mut out = HashMap::with_capacity(requests.len());
        let mut repairs = Vec::new();
        for result in results {
            for (id, reply, attempts) in result {
                let request = by_id[&id];
                let text = reply.map(|t| {
                    if placeholders {
                        restore(&t, &request.terms).text
                    } else {
                        t.trim().to_string()
                    }
                });
                let needs_repair = text.as_ref().is_some_and(|t| {
                    caps.terms != TermSupport::Native
                        && request
                            .terms
                            .iter()
                            .any(|term| !self.glossary.is_rendered(term, t))
                });
                if needs_repair {
                    repairs.push(id);
                }
                out.insert(
                    id,
                    Translated {
                        text,
                        repaired: false,
                        attempts,
                    },
                );
            }
        }
        // Repair: resend each segment whose translation misses a term, alone
        // and with placeholders; keep the repair only if it renders every term.
        let by_id = &by_id;
        let repaired: Vec<Option<(SegmentId, String)>> = stream::iter(repairs)
            .map(|id| async move {
                let request = with_placeholders(by_id[&id]);
                let reply = self
                    .backend
                    .translate(ctx, std::slice::from_ref(&request))
                    .await;
                match reply {
                    Ok(replies) => replies
                        .into_iter()
                        .find(|r| r.id == id)
                        .map(|r| (id, restore(&r.text, &by_id[&id].terms)))
                        .filter(|(_, restored)| restored.missing.is_empty())
                        .map(|(id, restored)| Ok((id, restored.text)))
                        .transpose(),
                    Err(e) if is_fatal(&e) => Err(e),
                    Err(_) => Ok(None),
                }
            })
            .buffer_unordered(self.concurrency)
            .try_collect()
            .await?;
        for (id, text) in repaired.into_iter().flatten() {
            let request = by_id[&id];
            if request
                .terms
                .iter()
                .all(|t| self.glossary.is_rendered(t, &text))
            {
                if let Some(t) = out.get_mut(&id) {
                    t.text = Some(text);
                    t.repaired = true;
                    t.attempts += 1;
                }
            }
        }
        Ok(out)
    }

    /// Translate one batch, retrying what comes back missing in halves down
    /// to single segments. Returns every id of the batch with its raw reply
    /// (or `None`) and the number of requests that carried it.
    async fn translate_group(
        &self,
        ctx: &TranslateContext,
        batch: Vec<SegmentRequest>,
    ) -> Result<Vec<(SegmentId, Option<String>, u32)>> {
        let mut done = Vec::with_capacity(batch.len());
        let mut attempts: HashMap<SegmentId, u32> = HashMap::new();
        // Requests that carried each segment on its own.
        let mut alone: HashMap<SegmentId, u32> = HashMap::new();
        let mut pending = vec![batch];
        while let Some(group) = pending.pop() {
            for r in &group {
                *attempts.entry(r.id).or_insert(0) += 1;
            }
            if let [single] = group.as_slice() {
                *alone.entry(single.id).or_insert(0) += 1;
            }
            let mut missing: Vec<SegmentRequest> = match self.backend.translate(ctx, &group).await {
                Ok(replies) => {
                    let mut replies: HashMap<SegmentId, String> = replies
                        .into_iter()
                        .map(|SegmentReply { id, text }| (id, text))
                        .collect();
                    let mut missing = Vec::new();
                    for request in group {
                        match replies.remove(&request.id) {
                            Some(text)
                                if !text.trim().is_empty() || request.text.trim().is_empty() =>
                            {
                                done.push((request.id, Some(text), attempts[&request.id]));
                            }
                            _ => missing.push(request),
                        }
                    }
                    missing
                }
                Err(e) if is_fatal(&e) => return Err(e),
                Err(_) => group,
            };
            if missing.len() > 1 {
                let second = missing.split_off(missing.len() / 2);
                pending.push(second);
                pending.push(missing);
            } else if let Some(single) = missing.pop() {
                if alone.get(&single.id).copied().unwrap_or(0) < SINGLE_ATTEMPTS {
                    pending.push(vec![single]);
                } else {
                    done.push((single.id, None, attempts[&single.id]));
                }
            }
        }
        Ok(done)
    }
}

/// Whether a backend error stops the run.
fn is_fatal(error: &crate::Error) -> bool {
    matches!(error.kind(), ErrorKind::BackendFatal { .. })
}

/// The request as XML with placeholder tags for its terms.
fn with_placeholders(request: &SegmentRequest) -> SegmentRequest {
    SegmentRequest {
        id: request.id,
        text: protect(&request.text, &request.terms),
        markup: true,
        terms: request.terms.clone(),
    }
}

/// Split requests into batches of at most `max_batch` segments and
/// `max_chars` characters (a single longer segment gets a batch of its own).
pub fn batches(
    requests: &[SegmentRequest],
    max_batch: usize,
    max_chars: usize,
) -> Vec<Vec<SegmentRequest>> {
    let mut out: Vec<Vec<SegmentRequest>> = Vec::new();
    let mut chars = 0;
    for request in requests {
        let len = request.text.chars().count();
        let full = out.last().is_none_or(|b| {
            b.len() >= max_batch.max(1) || (chars + len > max_chars && !b.is_empty())
        });
        if full {
            out.push(Vec::new());
            chars = 0;
        }
        chars += len;
        if let Some(batch) = out.last_mut() {
            batch.push(request.clone());
        }
    }
    out
}
