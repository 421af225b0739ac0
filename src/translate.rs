//! The translate stage: batch the segments, send the batches to the backend
//! concurrently, align the replies by id, make the glossary hold, and keep
//! every result in the translation memory as it lands.
//!
//! - Segments found in the translation memory are not sent again; a
//!   reviewed translation of the same source wins over any machine one.
//! - Batches respect the backend's segment and character limits, are as few
//!   as those allow and of near-equal sizes, and up to `concurrency` of them
//!   are in flight at once. [`TranslateStage::plan`] works them out without
//!   sending anything (`bitext translate --dry-run`).
//! - A reply that leaves segments out (or a batch that fails) is retried in
//!   halves, down to single segments, together with the segments next to a
//!   missing one (which may have swallowed it); a segment that still gets no
//!   translation is returned without one (the check stage flags it
//!   `untranslated`). Nothing is ever matched by position, and a run has a
//!   retry budget, so a failing server cannot keep it going for ever.
//! - Glossary terms reach the backend the way its [`TermSupport`] says. For
//!   [`TermSupport::Placeholder`] each term travels as a `<x id="N"/>` tag and
//!   comes back as its glossary target. For [`TermSupport::Prompt`] the terms
//!   go along as constraints. Whatever the backend claims, a translation that
//!   misses a term is *repaired*: the segments of a batch that need it are
//!   sent again together with placeholders (in batches within the backend's
//!   limits, right after their batch lands), and a repair is kept if it
//!   renders every term (else the check stage flags the miss). Only a segment
//!   that a repair batch's reply gave no translation for (a failed request,
//!   an unusable reply, a segment left out) is sent once more on its own.
//! - Each segment's translation goes to the translation memory as soon as it
//!   is final: at once when it needs no repair, when its repair lands
//!   otherwise. A writer thread commits them (all that are waiting in one
//!   transaction), so no batch waits for the disk, a `kill -9` loses only
//!   what was in flight, and the stage returns only once they are all
//!   committed.
//! - A fatal backend error (bad key, quota) stops the stage at once and
//!   cancels the batches in flight; what was translated so far is in the
//!   translation memory.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::backend::prompt::estimate_tokens;
use crate::backend::{Backend, SegmentReply, SegmentRequest, TermSupport, TranslateContext};
use crate::check;
use crate::document::{FuzzyMatch, Origin, SegmentId};
use crate::error::{ErrorKind, Result};
use crate::glossary::Glossary;
use crate::glossary::placeholder::{protect, restore};
use crate::markup::codes;
use crate::memory::{FuzzyLookup, Memory, MemoryKey, MemoryUse, StoredTranslation};
use crate::progress::Progress;

/// How often a segment is sent on its own before it is given up (after the
/// batches that carried it, and the transport's own retries of each request).
const SINGLE_ATTEMPTS: u32 = 3;

/// The translation of one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The translation (plain text); `None` when the backend gave none.
    pub text: Option<String>,
    /// Where it came from.
    pub origin: Origin,
    /// Whether a glossary repair (a resend with placeholders) was needed.
    pub repaired: bool,
    /// Requests that carried this segment in this run.
    pub attempts: u32,
    /// Fuzzy matches from the memory, for a segment it had no exact
    /// translation of.
    pub matches: Vec<FuzzyMatch>,
}

impl Translated {
    /// A translation the memory had (`origin` says whether machine-made or
    /// reviewed); no request carried it.
    fn from_memory(stored: StoredTranslation, origin: Origin) -> Self {
        Translated {
            text: Some(stored.text),
            origin,
            repaired: stored.repaired,
            attempts: 0,
            matches: Vec::new(),
        }
    }
}

/// What translating some segments would take: [`TranslateStage::plan`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plan {
    /// The segments asked for.
    pub segments: usize,
    /// Those found in the translation memory, which are not sent.
    pub from_memory: usize,
    /// The batches to send, each as its segments' ids in order: one request
    /// each, before any retry or glossary repair.
    pub batches: Vec<Vec<SegmentId>>,
    /// The characters (Unicode code points) of the texts to send, as sent:
    /// with placeholder tags for glossary terms where the backend needs them.
    pub characters: usize,
    /// For a language model: what its messages would hold.
    pub prompt: Option<PromptSize>,
}

/// The size of the messages a language model reads for some batches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PromptSize {
    /// Their characters: the system prompts and user messages.
    pub characters: usize,
    /// Their tokens, estimated without a tokenizer
    /// ([`crate::backend::prompt::estimate_tokens`]).
    pub tokens: usize,
    /// The tokens of the replies, a rough guess: one per Chinese (or
    /// Japanese, Korean) character of the source and a quarter per other
    /// character, plus four per segment for the JSON around it.
    pub reply_tokens: usize,
}

impl Plan {
    /// The requests the batches take.
    pub fn requests(&self) -> usize {
        self.batches.len()
    }

    /// Add the plan of more segments (another chunk of the same input).
    pub fn add(&mut self, other: Plan) {
        self.segments += other.segments;
        self.from_memory += other.from_memory;
        self.batches.extend(other.batches);
        self.characters += other.characters;
        self.prompt = match (self.prompt, other.prompt) {
            (Some(a), Some(b)) => Some(PromptSize {
                characters: a.characters + b.characters,
                tokens: a.tokens + b.tokens,
                reply_tokens: a.reply_tokens + b.reply_tokens,
            }),
            (a, b) => a.or(b),
        };
    }
}

/// A run's segments sorted into those the translation memory has and the
/// batches to send for the rest.
struct Work {
    /// Translations found in the memory.
    found: HashMap<SegmentId, Translated>,
    /// The memory's key of each segment to send.
    keys: HashMap<SegmentId, MemoryKey>,
    /// Each segment to send, as asked (plain text).
    plain: HashMap<SegmentId, SegmentRequest>,
    /// The batches, as sent.
    batches: Vec<Vec<SegmentRequest>>,
    /// The fuzzy matches of each segment to send that has some.
    matches: HashMap<SegmentId, Vec<FuzzyMatch>>,
    /// Whether terms travel as placeholder tags.
    placeholders: bool,
}

/// How many segments on each side of a batch go along as read-only context.
const CONTEXT_SEGMENTS: usize = 2;

/// The source texts around each segment of a run, for
/// [`TranslateContext::with_neighbours`].
struct Neighbours<'r> {
    texts: Vec<&'r str>,
    position: HashMap<SegmentId, usize>,
}

impl<'r> Neighbours<'r> {
    fn new(requests: &'r [SegmentRequest]) -> Self {
        Neighbours {
            texts: requests.iter().map(|r| r.text.as_str()).collect(),
            position: requests
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, i))
                .collect(),
        }
    }

    /// `ctx` with the segments just before and after `group`.
    fn context(&self, ctx: &TranslateContext, group: &[SegmentRequest]) -> TranslateContext {
        let first = group.iter().filter_map(|r| self.position.get(&r.id)).min();
        let last = group.iter().filter_map(|r| self.position.get(&r.id)).max();
        let (Some(&first), Some(&last)) = (first, last) else {
            return ctx.clone();
        };
        let before = self.texts[first.saturating_sub(CONTEXT_SEGMENTS)..first]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let end = (last + 1 + CONTEXT_SEGMENTS).min(self.texts.len());
        let after = self.texts[last + 1..end]
            .iter()
            .map(|t| t.to_string())
            .collect();
        ctx.clone().with_neighbours(before, after)
    }
}

/// Final translations, by segment.
type Finals = Vec<(SegmentId, Translated)>;

/// The request slots the inputs of one run share: `concurrency` requests
/// in flight at once. They also tell when the backend has first answered a
/// request: until then the pipeline opens one input at a time, so that a
/// backend that is down or misconfigured fails on one input's first batch
/// (and its retry) instead of once per open input.
#[derive(Debug)]
pub struct Slots {
    permits: tokio::sync::Semaphore,
    opened: std::sync::atomic::AtomicBool,
    /// Told once when the slots open.
    opening: tokio::sync::Notify,
}

impl Slots {
    /// `concurrency` slots (at least one).
    pub fn new(concurrency: usize) -> Self {
        Slots {
            permits: tokio::sync::Semaphore::new(concurrency.max(1)),
            opened: std::sync::atomic::AtomicBool::new(false),
            opening: tokio::sync::Notify::new(),
        }
    }

    /// Whether the backend has answered a request yet.
    pub fn is_open(&self) -> bool {
        self.opened.load(Ordering::Relaxed)
    }

    /// Wait until the slots open (at once if they are).
    pub async fn opened(&self) {
        if !self.is_open() {
            self.opening.notified().await;
        }
    }

    /// The backend answered.
    fn open(&self) {
        if !self.opened.swap(true, Ordering::Relaxed) {
            self.opening.notify_one();
        }
    }
}

/// The translate stage for one backend.
pub struct TranslateStage<'a> {
    progress: Option<&'a dyn Progress>,
    requests: AtomicUsize,
    /// Retries (requests beyond each batch's first) left for this run.
    retries_left: AtomicUsize,
    backend: &'a dyn Backend,
    glossary: &'a Glossary,
    concurrency: usize,
    /// Request slots shared with other stages (other inputs of the same
    /// run): each request holds one while it is in flight.
    slots: Option<Arc<Slots>>,
    cache: Option<Arc<Memory>>,
    memory_use: MemoryUse,
    fuzzy: Option<&'a FuzzyLookup>,
}

impl<'a> TranslateStage<'a> {
    /// A stage sending at most `concurrency` batches at once to `backend`;
    /// `glossary` is the one that produced the requests' terms.
    pub fn new(backend: &'a dyn Backend, glossary: &'a Glossary, concurrency: usize) -> Self {
        TranslateStage {
            progress: None,
            requests: AtomicUsize::new(0),
            retries_left: AtomicUsize::new(0),
            backend,
            glossary,
            concurrency: concurrency.max(1),
            slots: None,
            cache: None,
            memory_use: MemoryUse::Full,
            fuzzy: None,
        }
    }

    /// Look up fuzzy matches in the translation memory for the segments it
    /// has no exact translation of (their reviewed matches go to the
    /// backend as examples).
    pub fn with_fuzzy(mut self, fuzzy: &'a FuzzyLookup) -> Self {
        self.fuzzy = Some(fuzzy);
        self
    }

    /// Report each batch as it is done.
    pub fn with_progress(mut self, progress: &'a dyn Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Use the translation memory this way (default: [`MemoryUse::Full`]).
    pub fn with_memory_use(mut self, memory_use: MemoryUse) -> Self {
        self.memory_use = memory_use;
        self
    }

    /// Share request slots with other stages: each request waits for one
    /// and holds it while it is in flight, so that stages running side by
    /// side (the inputs of one run) keep to one limit together.
    pub fn with_slots(mut self, slots: Arc<Slots>) -> Self {
        self.slots = Some(slots);
        self
    }

    /// Use a translation memory.
    pub fn with_cache(mut self, cache: Option<Arc<Memory>>) -> Self {
        self.cache = cache;
        self
    }

    /// What [`TranslateStage::run`] would send for `requests`, worked out
    /// the same way but without sending anything: the segments the
    /// translation memory has (looked up, not changed) and the batches for
    /// the rest. Retries and glossary repairs are not foreseen.
    pub fn plan(&self, ctx: &TranslateContext, requests: &[SegmentRequest]) -> Result<Plan> {
        let work = self.prepare(ctx, requests)?;
        let neighbours = Neighbours::new(requests);
        let mut prompt: Option<PromptSize> = None;
        for batch in &work.batches {
            let Some(text) = self
                .backend
                .prompt_text(&neighbours.context(ctx, batch), batch)
            else {
                break;
            };
            let size = prompt.get_or_insert_with(PromptSize::default);
            size.characters += text.chars().count();
            size.tokens += estimate_tokens(&text);
            size.reply_tokens += batch
                .iter()
                .map(|r| estimate_tokens(&r.text) + 4)
                .sum::<usize>();
        }
        Ok(Plan {
            prompt,
            segments: requests.len(),
            from_memory: work.found.len(),
            characters: work
                .batches
                .iter()
                .flatten()
                .map(|r| r.text.chars().count())
                .sum(),
            batches: work
                .batches
                .iter()
                .map(|b| b.iter().map(|r| r.id).collect())
                .collect(),
        })
    }

    /// Translate `requests` (plain text, with their terms). Every request's id
    /// is in the result. Fails only on a fatal backend error or a broken
    /// translation memory. Runs in a tokio runtime (the translation memory's
    /// writer is a blocking task).
    pub async fn run(
        &self,
        ctx: &TranslateContext,
        requests: &[SegmentRequest],
    ) -> Result<HashMap<SegmentId, Translated>> {
        let Work {
            found: mut out,
            keys,
            plain,
            batches,
            placeholders,
            matches,
        } = self.prepare(ctx, requests)?;
        if let Some(progress) = self.progress {
            progress.translated(out.len());
        }
        self.retries_left
            .store(retry_budget(batches.len(), plain.len()), Ordering::Relaxed);
        let neighbours = Neighbours::new(requests);
        let journal = Journal::start(self.cache.clone());
        let (plain, keys, neighbours, sink, matches) =
            (&plain, &keys, &neighbours, &journal, &matches);
        let done: Result<Vec<Vec<(SegmentId, Translated)>>> = stream::iter(batches)
            .map(|batch| async move {
                let (batch, mut finals) = self.recheck(keys, batch)?;
                if batch.is_empty() {
                    return Ok(finals);
                }
                let raw = self.translate_group(ctx, neighbours, batch).await?;
                finals.reserve(raw.len());
                let mut to_repair = Vec::new();
                for (id, reply, attempts) in raw {
                    let request = &plain[&id];
                    let translated = Translated {
                        text: reply.map(|t| {
                            if placeholders || self.codes_as_tags(request) {
                                from_markup(&t, request)
                            } else {
                                t.trim().to_string()
                            }
                        }),
                        origin: Origin::Machine,
                        repaired: false,
                        attempts,
                        matches: matches.get(&id).cloned().unwrap_or_default(),
                    };
                    // Checked whatever the backend claims: a native glossary can
                    // be refused mid-run (DeepL answers 400 for some pairs).
                    if self.renders_all(request, &translated) {
                        finals.push((id, translated));
                    } else {
                        to_repair.push((request, translated));
                    }
                }
                // What needs no repair is final: into the memory at once, so
                // that a kill during the repairs loses none of it.
                self.land(sink, keys, &finals)?;
                let repaired = self
                    .repair_all(ctx, neighbours, to_repair, |landed| {
                        self.land(sink, keys, landed)
                    })
                    .await?;
                finals.extend(repaired);
                Ok::<_, crate::Error>(finals)
            })
            .buffer_unordered(self.concurrency)
            .try_collect()
            .await;
        // What landed is committed even when the stage stops on an error; a
        // broken translation memory is the error to report.
        journal.finish().await?;
        out.extend(done?.into_iter().flatten());
        Ok(out)
    }

    /// Look a batch up again just before it is sent, in a memory shared
    /// with other workers: what another worker committed since this input
    /// was prepared is taken from the memory, not requested again. So a
    /// source is requested twice only when two workers' requests for it are
    /// in flight at the same time. The rest of the batch is returned.
    fn recheck(
        &self,
        keys: &HashMap<SegmentId, MemoryKey>,
        batch: Vec<SegmentRequest>,
    ) -> Result<(Vec<SegmentRequest>, Finals)> {
        let Some(cache) = self
            .cache
            .as_deref()
            .filter(|c| c.is_shared() && self.memory_use == MemoryUse::Full)
        else {
            return Ok((batch, Vec::new()));
        };
        let batch_keys: Vec<MemoryKey> = batch.iter().map(|r| keys[&r.id].clone()).collect();
        let hits = cache.get_many(&batch_keys)?;
        let mut rest = Vec::with_capacity(batch.len());
        let mut found = Vec::new();
        for (request, hit) in batch.into_iter().zip(hits) {
            match hit {
                Some((cached, origin)) => {
                    found.push((request.id, Translated::from_memory(cached, origin)))
                }
                None => rest.push(request),
            }
        }
        if let Some(progress) = self.progress.filter(|_| !found.is_empty()) {
            progress.translated(found.len());
        }
        Ok((rest, found))
    }

    /// Hand final translations to the translation memory and report them.
    fn land(
        &self,
        sink: &Journal,
        keys: &HashMap<SegmentId, MemoryKey>,
        results: &[(SegmentId, Translated)],
    ) -> Result<()> {
        if results.is_empty() {
            return Ok(());
        }
        sink.send(self.memory_items(keys, results))?;
        if let Some(progress) = self.progress {
            progress.translated(results.len());
        }
        Ok(())
    }

    /// Look `requests` up in the translation memory, and batch the rest the
    /// way the backend wants them (with placeholders for its terms if it
    /// needs them).
    fn prepare(&self, ctx: &TranslateContext, requests: &[SegmentRequest]) -> Result<Work> {
        let mut found = HashMap::with_capacity(requests.len());
        let keys: Vec<MemoryKey> = requests.iter().map(|r| self.key(ctx, r)).collect();
        let mut todo: Vec<(SegmentRequest, MemoryKey)> = Vec::with_capacity(requests.len());
        let hits = match self.cache.as_deref() {
            Some(cache) => cache.get_many(&keys)?,
            None => vec![None; requests.len()],
        };
        let reviewed_only = self.memory_use == MemoryUse::ReviewedOnly;
        for ((request, key), hit) in requests.iter().zip(keys).zip(hits) {
            let hit = hit.filter(|(_, origin)| !reviewed_only || *origin == Origin::Reviewed);
            match hit {
                Some((cached, origin)) => {
                    found.insert(request.id, Translated::from_memory(cached, origin));
                }
                None => todo.push((request.clone(), key)),
            }
        }
        let mut matches = HashMap::new();
        if let (Some(fuzzy), Some(cache)) = (self.fuzzy, self.cache.as_deref()) {
            let mut sent: Vec<SegmentRequest> = todo.iter().map(|(r, _)| r.clone()).collect();
            let found = fuzzy.find(
                cache,
                &ctx.source_lang,
                &ctx.target_lang,
                self.glossary,
                &mut sent,
            )?;
            for (((request, _), with_examples), found) in todo.iter_mut().zip(sent).zip(found) {
                *request = with_examples;
                if !found.is_empty() {
                    matches.insert(request.id, found);
                }
            }
        }
        let caps = self.backend.capabilities();
        let placeholders =
            caps.terms == TermSupport::Placeholder && todo.iter().any(|(r, _)| !r.terms.is_empty());
        let keys: HashMap<SegmentId, MemoryKey> =
            todo.iter().map(|(r, k)| (r.id, k.clone())).collect();
        let plain: HashMap<SegmentId, SegmentRequest> =
            todo.into_iter().map(|(r, _)| (r.id, r)).collect();
        let mut prepared: Vec<SegmentRequest> = plain
            .values()
            .map(|r| {
                if placeholders {
                    with_placeholders(r)
                } else if self.codes_as_tags(r) {
                    with_code_tags(r)
                } else {
                    r.clone()
                }
            })
            .collect();
        prepared.sort_by_key(|r| r.id);
        Ok(Work {
            found,
            keys,
            plain,
            batches: batches(&prepared, caps.max_batch, caps.max_chars),
            placeholders,
            matches,
        })
    }

    /// Whether `request`'s inline codes go to the backend as XML tags.
    fn codes_as_tags(&self, request: &SegmentRequest) -> bool {
        !self.backend.keeps_markers() && codes::has_markers(&request.text)
    }

    /// The requests sent to the backend so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Send one request, counting it.
    async fn send(
        &self,
        ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        // A closed semaphore is never made: no permit means no limit.
        let _slot = match &self.slots {
            Some(slots) => slots.permits.acquire().await.ok(),
            None => None,
        };
        self.requests.fetch_add(1, Ordering::Relaxed);
        let reply = self.backend.translate(ctx, batch).await;
        if let Some(slots) = &self.slots
            && reply.is_ok()
        {
            slots.open();
        }
        reply
    }

    fn key(&self, ctx: &TranslateContext, request: &SegmentRequest) -> MemoryKey {
        MemoryKey::new(
            &ctx.source_lang,
            &ctx.target_lang,
            &self.backend.fingerprint(),
            &request.terms,
            |t| {
                self.glossary
                    .entries()
                    .get(t.term_id)
                    .map(|e| e.variants.join(";"))
                    .unwrap_or_default()
            },
            &request.text,
        )
    }

    fn renders_all(&self, request: &SegmentRequest, translated: &Translated) -> bool {
        translated.text.as_ref().is_none_or(|text| {
            request
                .terms
                .iter()
                .all(|t| self.glossary.is_rendered(t, text))
        })
    }

    /// Repair the translations that miss a glossary term: send their
    /// segments again with placeholders, together, in batches within the
    /// backend's limits, and keep each reply that renders every term. Only
    /// what a batch's reply gave no translation for (the request failed, the
    /// reply was unusable or left the segment out), and the segments next to
    /// one left out (which may have swallowed it), are sent again, one
    /// segment at a time. A segment whose repair fails keeps its first
    /// translation (the check stage flags the miss). `land` gets each
    /// segment's final translation as soon as it has one.
    async fn repair_all(
        &self,
        ctx: &TranslateContext,
        neighbours: &Neighbours<'_>,
        to_repair: Vec<(&SegmentRequest, Translated)>,
        land: impl Fn(&[(SegmentId, Translated)]) -> Result<()>,
    ) -> Result<Vec<(SegmentId, Translated)>> {
        if to_repair.is_empty() {
            return Ok(Vec::new());
        }
        let caps = self.backend.capabilities();
        let mut pending: HashMap<SegmentId, (&SegmentRequest, Translated)> =
            to_repair.into_iter().map(|(r, t)| (r.id, (r, t))).collect();
        // Batched by their source characters (the limit is the reply's
        // size, which the placeholder tags hardly change), so the repairs of
        // one batch go in one request.
        let mut plain: Vec<SegmentRequest> = pending.values().map(|(r, _)| (*r).clone()).collect();
        plain.sort_by_key(|r| r.id);
        let mut out = Vec::with_capacity(plain.len());
        for group in batches(&plain, caps.max_batch, caps.max_chars) {
            let group: Vec<SegmentRequest> = group.iter().map(with_placeholders).collect();
            let replies = self
                .repair_request(ctx, neighbours, &group, &mut pending)
                .await?;
            let missing = |i: usize| !replies.contains_key(&group[i].id);
            let suspect = |i: usize| {
                missing(i) || (i > 0 && missing(i - 1)) || (i + 1 < group.len() && missing(i + 1))
            };
            let mut landed = Vec::with_capacity(group.len());
            let mut retry = Vec::new();
            for (i, request) in group.iter().enumerate() {
                // Sent alone, a segment has had its chance.
                if group.len() > 1 && suspect(i) {
                    retry.push(request);
                    continue;
                }
                if let Some((plain, mut translated)) = pending.remove(&request.id) {
                    if let Some(reply) = replies.get(&request.id) {
                        self.apply_repair(plain, &mut translated, reply);
                    }
                    landed.push((request.id, translated));
                }
            }
            land(&landed)?;
            out.extend(landed);
            for single in retry {
                let replies = self
                    .repair_request(ctx, neighbours, std::slice::from_ref(single), &mut pending)
                    .await?;
                if let Some((plain, mut translated)) = pending.remove(&single.id) {
                    if let Some(reply) = replies.get(&single.id) {
                        self.apply_repair(plain, &mut translated, reply);
                    }
                    let landed = [(single.id, translated)];
                    land(&landed)?;
                    out.extend(landed);
                }
            }
        }
        Ok(out)
    }

    /// Send one request of repairs (segments with placeholders), counting
    /// it in each segment's attempts. Returns the non-empty replies to the
    /// segments asked for, by id; none when the request failed (unless the
    /// failure is fatal, which is returned).
    async fn repair_request(
        &self,
        ctx: &TranslateContext,
        neighbours: &Neighbours<'_>,
        group: &[SegmentRequest],
        pending: &mut HashMap<SegmentId, (&SegmentRequest, Translated)>,
    ) -> Result<HashMap<SegmentId, String>> {
        for r in group {
            if let Some((_, t)) = pending.get_mut(&r.id) {
                t.attempts += 1;
            }
        }
        let group_ctx = neighbours.context(ctx, group);
        let replies = match self.send(&group_ctx, group).await {
            Ok(replies) => replies,
            Err(e) if is_fatal(&e) => return Err(e),
            Err(_) => Vec::new(),
        };
        let asked: HashSet<SegmentId> = group.iter().map(|r| r.id).collect();
        let mut out = HashMap::with_capacity(group.len());
        for reply in replies {
            if asked.contains(&reply.id) && !reply.text.trim().is_empty() {
                out.entry(reply.id).or_insert(reply.text);
            }
        }
        Ok(out)
    }

    /// Keep a repair's reply (with placeholders) if it renders every term.
    fn apply_repair(&self, request: &SegmentRequest, translated: &mut Translated, reply: &str) {
        let restored = restore(&codes::from_xml(reply), &request.terms);
        let complete = restored.missing.is_empty()
            && request
                .terms
                .iter()
                .all(|t| self.glossary.is_rendered(t, &restored.text));
        if complete {
            translated.text = Some(restored.text);
            translated.repaired = true;
        }
    }

    /// A batch's translations as the translation memory stores them.
    fn memory_items(
        &self,
        keys: &HashMap<SegmentId, MemoryKey>,
        results: &[(SegmentId, Translated)],
    ) -> Vec<(MemoryKey, StoredTranslation)> {
        if self.cache.is_none() || self.memory_use != MemoryUse::Full {
            return Vec::new();
        }
        results
            .iter()
            .filter_map(|(id, t)| {
                let text = t.text.clone().filter(|t| !check::is_untranslated(t))?;
                Some((
                    keys[id].clone(),
                    StoredTranslation {
                        text,
                        backend: self.backend.name().to_string(),
                        model: self.backend.model().map(str::to_string),
                        repaired: t.repaired,
                    },
                ))
            })
            .collect()
    }

    /// Translate one batch, retrying what comes back missing in halves down
    /// to single segments. Returns every id of the batch with its raw reply
    /// (or `None`) and the number of requests that carried it.
    async fn translate_group(
        &self,
        ctx: &TranslateContext,
        neighbours: &Neighbours<'_>,
        batch: Vec<SegmentRequest>,
    ) -> Result<Vec<(SegmentId, Option<String>, u32)>> {
        let mut done = Vec::with_capacity(batch.len());
        let mut attempts: HashMap<SegmentId, u32> = HashMap::new();
        // Requests that carried each segment on its own.
        let mut alone: HashMap<SegmentId, u32> = HashMap::new();
        let mut pending = vec![batch];
        let mut first = true;
        while let Some(group) = pending.pop() {
            // A retry needs a token from the run's budget; without one, what
            // is left of the group is given up (and flagged).
            if !std::mem::take(&mut first) && !self.take_retry() {
                done.extend(
                    group
                        .iter()
                        .map(|r| (r.id, None, attempts.get(&r.id).copied().unwrap_or(0))),
                );
                continue;
            }
            for r in &group {
                *attempts.entry(r.id).or_insert(0) += 1;
            }
            if let [single] = group.as_slice() {
                *alone.entry(single.id).or_insert(0) += 1;
            }
            let group_ctx = neighbours.context(ctx, &group);
            let mut missing: Vec<SegmentRequest> = match self.send(&group_ctx, &group).await {
                Ok(replies) => {
                    let mut replies: HashMap<SegmentId, String> = replies
                        .into_iter()
                        .map(|SegmentReply { id, text }| (id, text))
                        .collect();
                    let texts: Vec<Option<String>> = group
                        .iter()
                        .map(|r| {
                            replies
                                .remove(&r.id)
                                .filter(|t| !t.trim().is_empty() || r.text.trim().is_empty())
                        })
                        .collect();
                    // A segment next to one that came back missing may have
                    // swallowed it (two merged into one): retry both.
                    let suspect = |i: usize| {
                        texts[i].is_none()
                            || (i > 0 && texts[i - 1].is_none())
                            || texts.get(i + 1).is_some_and(Option::is_none)
                    };
                    let suspects: Vec<bool> = (0..group.len()).map(suspect).collect();
                    let mut missing = Vec::new();
                    for ((request, text), suspect) in group.into_iter().zip(texts).zip(suspects) {
                        match text {
                            Some(text) if !suspect => {
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

/// Translations for the translation memory, as one batch hands them over.
type MemoryItems = Vec<(MemoryKey, StoredTranslation)>;

/// The translation memory's writer for one run of the stage: a blocking task
/// that commits translations as batches hand them over, all that are waiting
/// in one transaction. A batch never waits for the disk (a commit syncs it),
/// and batches that land together cost one commit.
struct Journal {
    sender: Option<mpsc::Sender<MemoryItems>>,
    writer: Option<(tokio::task::JoinHandle<Result<()>>, std::path::PathBuf)>,
}

impl Journal {
    /// A writer into `cache`; with no memory, one that keeps nothing.
    fn start(cache: Option<Arc<Memory>>) -> Self {
        let Some(cache) = cache else {
            return Journal {
                sender: None,
                writer: None,
            };
        };
        let path = cache.path().to_path_buf();
        let (sender, receiver) = mpsc::channel::<MemoryItems>();
        let writer = tokio::task::spawn_blocking(move || {
            while let Ok(mut items) = receiver.recv() {
                while let Ok(more) = receiver.try_recv() {
                    items.extend(more);
                }
                if !items.is_empty() {
                    cache.put_machine(&items)?;
                }
            }
            Ok(())
        });
        Journal {
            sender: Some(sender),
            writer: Some((writer, path)),
        }
    }

    /// Hand translations over to be committed. Fails when the writer has
    /// stopped on an error, which [`Journal::finish`] returns.
    fn send(&self, items: MemoryItems) -> Result<()> {
        match &self.sender {
            Some(sender) if !items.is_empty() => sender.send(items).map_err(|_| {
                let path = self
                    .writer
                    .as_ref()
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default();
                ErrorKind::Memory {
                    path,
                    message: "the translation memory stopped taking translations".to_string(),
                }
                .into()
            }),
            _ => Ok(()),
        }
    }

    /// Wait until everything handed over is committed.
    async fn finish(mut self) -> Result<()> {
        drop(self.sender.take());
        let Some((writer, path)) = self.writer.take() else {
            return Ok(());
        };
        writer.await.map_err(|e| -> crate::Error {
            ErrorKind::Memory {
                path,
                message: format!("the writer failed: {e}"),
            }
            .into()
        })?
    }
}

impl TranslateStage<'_> {
    /// Take one retry from the run's budget.
    fn take_retry(&self) -> bool {
        self.retries_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }
}

/// How many retries a run may make in all: enough to split every batch down
/// to single segments and try each twice more, but no more than that, so that
/// a server that keeps failing cannot keep a run going for ever.
fn retry_budget(batches: usize, segments: usize) -> usize {
    (2 * batches + 2 * segments).max(16)
}

/// Whether a backend error stops the run.
fn is_fatal(error: &crate::Error) -> bool {
    matches!(error.kind(), ErrorKind::BackendFatal { .. })
}

/// The request as XML with placeholder tags for its terms (and tags for
/// its inline codes).
fn with_placeholders(request: &SegmentRequest) -> SegmentRequest {
    SegmentRequest {
        id: request.id,
        text: codes::to_xml(&protect(&request.text, &request.terms)),
        markup: true,
        terms: request.terms.clone(),
        examples: request.examples.clone(),
    }
}

/// The request as XML with tags for its inline codes, its terms left as
/// they are.
fn with_code_tags(request: &SegmentRequest) -> SegmentRequest {
    SegmentRequest {
        id: request.id,
        text: codes::to_xml(&protect(&request.text, &[])),
        markup: true,
        terms: request.terms.clone(),
        examples: request.examples.clone(),
    }
}

/// A reply to a request sent as XML, back to text with markers for its
/// inline codes and the glossary targets for its placeholders.
fn from_markup(reply: &str, request: &SegmentRequest) -> String {
    restore(&codes::from_xml(reply), &request.terms).text
}

/// Split requests, in order, into batches of at most `max_batch` segments and
/// `max_chars` characters (a single longer segment gets a batch of its own):
/// as few batches as the limits allow, and of near-equal sizes when the
/// character limit leaves room for that, so that no batch is much slower
/// than the others of its wave.
pub fn batches(
    requests: &[SegmentRequest],
    max_batch: usize,
    max_chars: usize,
) -> Vec<Vec<SegmentRequest>> {
    let greedy = fill(requests, max_batch, max_chars);
    let count = greedy.len();
    if count < 2 {
        return greedy;
    }
    // `count` batches whose sizes differ by one at most.
    let (size, longer) = (requests.len() / count, requests.len() % count);
    let mut balanced = Vec::with_capacity(count);
    let mut rest = requests;
    for i in 0..count {
        let (batch, tail) = rest.split_at(size + usize::from(i < longer));
        let chars: usize = batch.iter().map(|r| r.text.chars().count()).sum();
        if chars > max_chars && batch.len() > 1 {
            return greedy;
        }
        balanced.push(batch.to_vec());
        rest = tail;
    }
    balanced
}

/// Fill each batch up to the limits before starting the next: the fewest
/// batches for contiguous runs of requests.
fn fill(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: u32, text: &str) -> SegmentRequest {
        SegmentRequest {
            id: SegmentId(id),
            text: text.into(),
            markup: false,
            terms: Vec::new(),
            examples: Vec::new(),
        }
    }

    #[test]
    fn batches_respect_count_and_characters() {
        let reqs: Vec<_> = (1..=7)
            .map(|i| request(i, &"字".repeat(i as usize)))
            .collect();
        let sizes: Vec<Vec<u32>> = batches(&reqs, 3, 9)
            .iter()
            .map(|b| b.iter().map(|r| r.id.0).collect())
            .collect();
        assert_eq!(sizes, [vec![1, 2, 3], vec![4, 5], vec![6], vec![7]]);
    }

    #[test]
    fn batches_are_as_few_as_the_limits_allow_and_of_near_equal_size() {
        let reqs: Vec<_> = (1..=438).map(|i| request(i, "字字字.")).collect();
        let sizes = |max_batch| -> Vec<usize> {
            batches(&reqs, max_batch, 30_000)
                .iter()
                .map(Vec::len)
                .collect()
        };
        // 438 = 9 × 40 + 2 × 39, not 10 × 40 + 38.
        assert_eq!(sizes(40), [40, 40, 40, 40, 40, 40, 40, 40, 40, 39, 39]);
        // 438 = 6 × 49 + 3 × 48, not 8 × 50 + 38.
        assert_eq!(sizes(50), [49, 49, 49, 49, 49, 49, 48, 48, 48]);
        assert_eq!(sizes(500), [438]);
        let ids: Vec<u32> = batches(&reqs, 40, 30_000)
            .iter()
            .flatten()
            .map(|r| r.id.0)
            .collect();
        assert_eq!(
            ids,
            (1..=438).collect::<Vec<_>>(),
            "every request once, in order"
        );
    }
}
