//! Targets proposed by a translation backend, for candidates that aligned
//! text gave none.

use super::{Candidate, Proposal, TargetOrigin};
use crate::backend::{Backend, SegmentRequest, TranslateContext};
use crate::document::SegmentId;
use crate::error::Result;

/// Translate every candidate without a target with `backend`, in batches
/// within its limits, and mark the results as machine proposals. A
/// candidate the backend leaves out or answers with an empty text keeps no
/// target. Returns how many got one.
pub async fn propose_with_backend(
    candidates: &mut [Candidate],
    backend: &dyn Backend,
    ctx: &TranslateContext,
) -> Result<usize> {
    let caps = backend.capabilities();
    let mut batches: Vec<Vec<SegmentRequest>> = Vec::new();
    let mut chars = 0;
    for (i, c) in candidates.iter().enumerate() {
        if c.target.is_some() {
            continue;
        }
        let len = c.source.chars().count();
        let full = batches.last().is_none_or(|b| {
            b.len() >= caps.max_batch.max(1) || (!b.is_empty() && chars + len > caps.max_chars)
        });
        if full {
            batches.push(Vec::new());
            chars = 0;
        }
        chars += len;
        batches.last_mut().expect("a batch").push(SegmentRequest {
            // Ids are 1-based indices into `candidates`.
            id: SegmentId(i as u32 + 1),
            text: c.source.clone(),
            markup: false,
            terms: Vec::new(),
            examples: Vec::new(),
        });
    }
    let mut proposed = 0;
    for batch in &batches {
        for reply in backend.translate(ctx, batch).await? {
            if !batch.iter().any(|r| r.id == reply.id) {
                continue;
            }
            let text = reply.text.trim().trim_end_matches('.').trim_end();
            let Some(c) = candidates.get_mut(reply.id.0 as usize - 1) else {
                continue;
            };
            if text.is_empty() || c.target.is_some() {
                continue;
            }
            c.target = Some(Proposal {
                text: text.to_string(),
                variants: Vec::new(),
                origin: TargetOrigin::Machine {
                    backend: backend.name().to_string(),
                },
            });
            proposed += 1;
        }
    }
    Ok(proposed)
}
