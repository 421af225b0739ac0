//! The translate stage through the library: alignment by id against
//! misbehaving backends, and glossary enforcement for each kind of backend.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bitext::backend::{
    Backend, Capabilities, SegmentReply, SegmentRequest, TermSupport, TranslateContext,
};
use bitext::document::{FlagKind, SegmentId, Unit};
use bitext::glossary::{Glossary, TermReport};
use bitext::pipeline::{Options, Pipeline, Report};
use bitext::segment::Segmenter;
use bitext::{ErrorKind, Result};

use crate::harness::fixture_path;

/// What a scripted backend does with one call: the batch and the call's
/// number (0-based, over all calls).
type Script = dyn Fn(&[SegmentRequest], usize) -> Result<Vec<SegmentReply>> + Send + Sync;

/// A backend whose behaviour a test writes, which logs every call.
struct Scripted {
    terms: TermSupport,
    max_batch: usize,
    script: Box<Script>,
    calls: Arc<Mutex<Vec<Vec<SegmentRequest>>>>,
}

impl Scripted {
    fn new(
        terms: TermSupport,
        script: impl Fn(&[SegmentRequest], usize) -> Result<Vec<SegmentReply>> + Send + Sync + 'static,
    ) -> (Self, Arc<Mutex<Vec<Vec<SegmentRequest>>>>) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let backend = Scripted {
            terms,
            max_batch: 16,
            script: Box::new(script),
            calls: Arc::clone(&calls),
        };
        (backend, calls)
    }
}

#[async_trait]
impl Backend for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }

    fn capabilities(&self) -> Capabilities {
        let mut caps = bitext::backend::dictionary::CAPABILITIES;
        caps.terms = self.terms;
        caps.max_batch = self.max_batch;
        caps
    }

    async fn translate(
        &self,
        _ctx: &TranslateContext,
        batch: &[SegmentRequest],
    ) -> Result<Vec<SegmentReply>> {
        let n = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(batch.to_vec());
            calls.len() - 1
        };
        (self.script)(batch, n)
    }
}

/// A stand-in translation that ignores any glossary: Han characters become
/// `h`, everything else (including placeholder tags) stays.
fn fake(text: &str) -> String {
    let body: String = text
        .chars()
        .map(|c| if bitext::text::is_han(c) { 'h' } else { c })
        .collect();
    format!("EN[{body}]")
}

fn reply(r: &SegmentRequest, text: String) -> SegmentReply {
    SegmentReply { id: r.id, text }
}

fn article() -> bitext::document::Document {
    let text = std::fs::read_to_string(fixture_path("article.txt")).unwrap();
    Segmenter::default().document("article.txt", "UTF-8", &text)
}

async fn run(backend: Scripted, glossary: Option<Glossary>) -> Result<Vec<Unit>> {
    let pipeline = Pipeline::new(
        Segmenter::default(),
        glossary,
        Box::new(backend),
        Options::default(),
    );
    pipeline.translate(&article()).await
}

/// [`run`] with the bundled glossary; every term occurrence must come
/// out rendered.
async fn run_rendering_every_term(backend: Scripted) -> Vec<Unit> {
    let glossary = Glossary::bundled().unwrap();
    let units = run(backend, Some(glossary.clone())).await.unwrap();
    let report = TermReport::from_units(&glossary, &units);
    assert_eq!(report.rendered(), report.occurrences(), "{report}");
    units
}

fn by_source(units: &[Unit]) -> HashMap<String, &Unit> {
    units.iter().map(|u| (u.source.clone(), u)).collect()
}

#[tokio::test]
async fn replies_out_of_order_missing_or_extra_stay_aligned() {
    let (backend, calls) = Scripted::new(TermSupport::Placeholder, |batch, _| {
        let mut replies: Vec<SegmentReply> = batch
            .iter()
            .enumerate()
            // Batches of several segments lose every third one ...
            .filter(|(i, _)| batch.len() == 1 || i % 3 != 1)
            .map(|(_, r)| reply(r, fake(&r.text)))
            .collect();
        // ... come back reversed, with a reply for a segment never asked for.
        replies.reverse();
        replies.push(SegmentReply {
            id: SegmentId(99_999),
            text: "stray".into(),
        });
        Ok(replies)
    });
    let units = run(backend, None).await.unwrap();
    assert_eq!(units.len(), 438);
    for (n, unit) in units.iter().enumerate() {
        assert_eq!(unit.id, SegmentId(n as u32 + 1));
        assert_eq!(unit.target, fake(&unit.source), "segment {}", unit.id);
        assert!(unit.flags.iter().all(|f| f.kind != FlagKind::Untranslated));
    }
    // The lost segments were asked for again, in smaller batches.
    let calls = calls.lock().unwrap();
    assert!(calls.len() > 438_usize.div_ceil(16));
    assert!(calls.iter().any(|c| c.len() == 1));
}

#[tokio::test]
async fn a_segment_that_never_comes_back_is_flagged_untranslated() {
    let (backend, calls) = Scripted::new(TermSupport::Placeholder, |batch, _| {
        Ok(batch
            .iter()
            .filter(|r| r.id != SegmentId(7))
            .map(|r| reply(r, fake(&r.text)))
            .collect())
    });
    let units = run(backend, None).await.unwrap();
    let seven = &units[6];
    assert_eq!(seven.target, "");
    assert_eq!(seven.flags[0].kind, FlagKind::Untranslated);
    assert!(
        units
            .iter()
            .filter(|u| u.id != SegmentId(7))
            .all(|u| u.target == fake(&u.source))
    );
    // Bounded retries: halving down to one, then one more attempt.
    let asked = calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.iter().any(|r| r.id == SegmentId(7)))
        .count();
    assert!((2..=7).contains(&asked), "segment 7 was sent {asked} times");
}

#[tokio::test]
async fn transient_failures_are_retried_and_fatal_ones_stop_the_run() {
    let (backend, _) = Scripted::new(TermSupport::Placeholder, |batch, n| {
        if n % 2 == 0 {
            Err(ErrorKind::Backend {
                backend: "scripted".into(),
                message: "HTTP 503".into(),
            }
            .into())
        } else {
            Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
        }
    });
    let units = run(backend, None).await.unwrap();
    assert!(units.iter().all(|u| u.target == fake(&u.source)));

    let (backend, calls) = Scripted::new(TermSupport::Placeholder, |_, _| {
        Err(ErrorKind::BackendFatal {
            backend: "scripted".into(),
            message: "bad key".into(),
        }
        .into())
    });
    let err = run(backend, None).await.unwrap_err();
    assert_eq!(err.to_string(), "backend scripted: bad key");
    assert!(
        calls.lock().unwrap().len() <= 4,
        "a fatal error must not be retried"
    );
}

#[tokio::test]
async fn placeholders_keep_every_term_when_the_backend_ignores_the_glossary() {
    let (backend, calls) = Scripted::new(TermSupport::Placeholder, |batch, _| {
        Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
    });
    let units = run_rendering_every_term(backend).await;
    let report = TermReport::from_units(&Glossary::bundled().unwrap(), &units);
    assert!(report.occurrences() > 400);
    assert!(
        units
            .iter()
            .all(|u| u.flags.iter().all(|f| f.kind != FlagKind::GlossaryMiss))
    );
    // The backend saw placeholders, never the source terms.
    let calls = calls.lock().unwrap();
    let sent: Vec<&SegmentRequest> = calls.iter().flatten().collect();
    assert!(sent.iter().all(|r| r.markup));
    assert!(sent.iter().all(|r| !r.text.contains("创先争优")));
    let units = by_source(&units);
    assert_eq!(
        units["国土资源部创先争优活动记略"].target,
        "EN[Ministry of Land and Resources Strive for Excellence campaign hh]"
    );
}

#[tokio::test]
async fn lost_placeholders_are_flagged_and_nothing_else_is() {
    // A backend that drops every tag: each segment with a term is flagged,
    // once per term, and no segment without one is.
    let (backend, _) = Scripted::new(TermSupport::Placeholder, |batch, _| {
        Ok(batch
            .iter()
            .map(|r| {
                let mut text = r.text.clone();
                while let Some(start) = text.find("<x") {
                    let end = start + text[start..].find("/>").unwrap() + 2;
                    text.replace_range(start..end, "");
                }
                reply(r, fake(&text))
            })
            .collect())
    });
    let glossary = Glossary::bundled().unwrap();
    let units = run(backend, Some(glossary.clone())).await.unwrap();
    // The terminology report names every miss and where it happened.
    insta::assert_snapshot!(TermReport::from_units(&glossary, &units).to_string());
    for unit in &units {
        let misses = unit
            .flags
            .iter()
            .filter(|f| f.kind == FlagKind::GlossaryMiss)
            .count();
        let distinct: std::collections::HashSet<usize> =
            unit.terms.iter().map(|t| t.term_id).collect();
        assert_eq!(
            misses,
            distinct.len(),
            "segment {}: {:?}",
            unit.id,
            unit.flags
        );
    }
}

#[tokio::test]
async fn prompt_backends_that_ignore_terms_are_repaired() {
    // Ignores the terms it is told, but keeps placeholder tags.
    let (backend, calls) = Scripted::new(TermSupport::Prompt, |batch, _| {
        Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
    });
    let units = run_rendering_every_term(backend).await;
    let glossary = Glossary::bundled().unwrap();
    // Repaired: exactly the segments whose plain translation missed a term
    // (a target such as 12336 survives even a backend that ignores terms).
    let missed_first = units
        .iter()
        .filter(|u| {
            u.terms
                .iter()
                .any(|t| !glossary.is_rendered(t, &fake(&u.source)))
        })
        .count();
    assert!(missed_first > 200);
    assert_eq!(units.iter().filter(|u| u.repaired).count(), missed_first);
    // The first requests carry plain text and the terms; repairs carry
    // placeholders, each request those of one batch that need a repair.
    let calls = calls.lock().unwrap();
    assert!(
        calls
            .iter()
            .flatten()
            .any(|r| !r.markup && r.text.contains("创先争优"))
    );
    let (repairs, first): (Vec<_>, Vec<_>) = calls.iter().partition(|c| c[0].markup);
    assert!(repairs.iter().all(|c| c.iter().all(|r| r.markup)));
    assert_eq!(repairs.iter().map(|c| c.len()).sum::<usize>(), missed_first);
    assert!(
        repairs.len() <= first.len(),
        "{} repair requests",
        repairs.len()
    );
}

/// The number of requests the article takes with `backend`.
async fn requests_for(backend: Scripted, glossary: Option<Glossary>) -> (Vec<Unit>, usize) {
    let calls = Arc::clone(&backend.calls);
    let units = run(backend, glossary).await.unwrap();
    let n = calls.lock().unwrap().len();
    (units, n)
}

/// Ignores the terms it is told, keeps placeholder tags (a typical LLM).
fn ignores_terms() -> Scripted {
    Scripted::new(TermSupport::Prompt, |batch, _| {
        Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
    })
    .0
}

#[tokio::test]
async fn glossary_repairs_cost_at_most_twice_the_requests_of_a_run_without_glossary() {
    let (_, without) = requests_for(ignores_terms(), None).await;
    let glossary = Glossary::bundled().unwrap();
    let (units, with) = requests_for(ignores_terms(), Some(glossary.clone())).await;
    // 438 segments in batches of 16: 28 requests; more than 200 segments
    // need a repair, which took one request each before.
    assert_eq!(without, 28);
    assert!(with <= 2 * without, "{with} requests against {without}");
    assert!(units.iter().filter(|u| u.repaired).count() > 200);
    let report = TermReport::from_units(&glossary, &units);
    assert_eq!(report.rendered(), report.occurrences(), "{report}");
}

#[tokio::test]
async fn a_repair_batch_whose_reply_is_unusable_is_sent_again_one_segment_at_a_time() {
    // Repairs of several segments fail (a server error, retryable); a
    // segment alone is answered.
    let (backend, calls) = Scripted::new(TermSupport::Prompt, |batch, _| {
        if batch.len() > 1 && batch[0].markup {
            return Err(ErrorKind::Backend {
                backend: "scripted".into(),
                message: "HTTP 500".into(),
            }
            .into());
        }
        Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
    });
    let units = run_rendering_every_term(backend).await;
    let repaired = units.iter().filter(|u| u.repaired).count();
    let calls = calls.lock().unwrap();
    let singles = calls.iter().filter(|c| c[0].markup && c.len() == 1).count();
    assert_eq!(
        singles, repaired,
        "each repaired segment was sent alone once"
    );
}

#[tokio::test]
async fn a_repair_reply_that_leaves_a_segment_out_retries_it_and_its_neighbours_alone() {
    // The repair of several segments drops the second one (as if merged
    // into the first); alone, every segment is answered.
    let (backend, calls) = Scripted::new(TermSupport::Prompt, |batch, _| {
        let mut replies: Vec<SegmentReply> =
            batch.iter().map(|r| reply(r, fake(&r.text))).collect();
        if batch.len() > 2 && batch[0].markup {
            replies.remove(1);
        }
        Ok(replies)
    });
    run_rendering_every_term(backend).await;
    let calls = calls.lock().unwrap();
    let batched: Vec<&Vec<SegmentRequest>> = calls
        .iter()
        .filter(|c| c[0].markup && c.len() > 2)
        .collect();
    let singles: Vec<SegmentId> = calls
        .iter()
        .filter(|c| c[0].markup && c.len() == 1)
        .map(|c| c[0].id)
        .collect();
    assert!(!batched.is_empty());
    for batch in batched {
        // The first three: the one left out and the two beside it.
        for r in &batch[..3] {
            assert!(singles.contains(&r.id), "segment {} not retried", r.id);
        }
        for r in &batch[3..] {
            assert!(!singles.contains(&r.id), "segment {} retried", r.id);
        }
    }
}

#[tokio::test]
async fn what_needs_no_repair_is_in_the_memory_before_the_repairs_land() {
    // First translations come back; every repair fails fatally (say the
    // quota runs out), so no repair ever lands.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tm.redb");
    let (backend, _) = Scripted::new(TermSupport::Prompt, |batch, _| {
        if batch[0].markup {
            return Err(quota_error());
        }
        Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
    });
    let glossary = Glossary::bundled().unwrap();
    let pipeline = with_memory(backend, &glossary, &path);
    assert!(pipeline.translate(&article()).await.is_err());
    drop(pipeline);
    let mut stored = Vec::new();
    bitext::memory::Memory::open(&path)
        .unwrap()
        .for_each(|e| {
            stored.push(e.source);
            Ok(())
        })
        .unwrap();
    // The first batch's segments that needed no repair, at least, are there;
    // none that needed one is.
    let doc = article();
    let needs_repair = |source: &str| {
        glossary
            .annotate(source)
            .iter()
            .any(|t| !glossary.is_rendered(t, &fake(source)))
    };
    let first_batch: Vec<&str> = doc
        .segments()
        .take(16)
        .map(|s| s.content())
        .filter(|s| !needs_repair(s))
        .collect();
    assert!(!first_batch.is_empty());
    for source in first_batch {
        assert!(stored.iter().any(|s| s == source), "{source} not stored");
    }
    assert!(stored.iter().all(|s| !needs_repair(s)));
}

#[tokio::test]
async fn the_translation_memory_makes_a_rerun_free_and_journals_each_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tm.redb");
    let glossary = Glossary::bundled().unwrap();
    let run_with_cache = |fail_after: Option<usize>| {
        let (backend, calls) = Scripted::new(TermSupport::Placeholder, move |batch, n| {
            if fail_after.is_some_and(|k| n >= k) {
                return Err(quota_error());
            }
            Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
        });
        let pipeline = with_memory(backend, &glossary, &path);
        (pipeline, calls)
    };
    // A run that dies after 10 requests keeps what those brought back ...
    let (pipeline, _) = run_with_cache(Some(10));
    assert!(pipeline.translate(&article()).await.is_err());
    drop(pipeline);
    // ... so the rerun asks only for the rest,
    let (pipeline, calls) = run_with_cache(None);
    let units = pipeline.translate(&article()).await.unwrap();
    let sent: usize = calls.lock().unwrap().iter().map(Vec::len).sum();
    let cached = units
        .iter()
        .filter(|u| u.origin == bitext::document::Origin::Cache)
        .count();
    assert!(cached >= 10 * 16 - 16 * 4, "only {cached} from the memory");
    assert_eq!(sent + cached, 438);
    drop(pipeline);
    // and a third run sends nothing and gives the same translations.
    let (pipeline, calls) = run_with_cache(None);
    let again = pipeline.translate(&article()).await.unwrap();
    assert!(calls.lock().unwrap().is_empty());
    for (a, b) in units.iter().zip(&again) {
        assert_eq!(a.target, b.target);
        assert_eq!(b.origin, bitext::document::Origin::Cache);
    }
}

/// What a backend says when its quota runs out: an error that stops the run.
fn quota_error() -> bitext::Error {
    ErrorKind::BackendFatal {
        backend: "scripted".into(),
        message: "quota".into(),
    }
    .into()
}

/// A pipeline with `backend`, `glossary` and the translation memory at `path`.
fn with_memory(backend: Scripted, glossary: &Glossary, path: &std::path::Path) -> Pipeline {
    Pipeline::new(
        Segmenter::default(),
        Some(glossary.clone()),
        Box::new(backend),
        Options::default(),
    )
    .with_cache(bitext::memory::Memory::open(path).unwrap())
}

/// Run the whole pipeline on the article file with `backend`, no glossary,
/// writing JSONL into `output_dir`.
async fn run_article_to_jsonl(backend: Scripted, output_dir: &std::path::Path) -> Report {
    let mut options = Options::default();
    options.output_dir = output_dir.to_path_buf();
    let pipeline = Pipeline::new(Segmenter::default(), None, Box::new(backend), options)
        .with_writer(bitext::output::Format::Jsonl.writer());
    pipeline
        .run(&[bitext::input::Input::File(fixture_path("article.txt"))])
        .await
        .unwrap()
}

#[tokio::test]
async fn a_source_passed_through_is_untranslated_and_the_run_exits_1() {
    // A backend that answers every segment with its source: each keeps its
    // Han characters, so each is untranslated although it has a target.
    let (backend, _) = Scripted::new(TermSupport::Placeholder, |batch, _| {
        Ok(batch.iter().map(|r| reply(r, r.text.clone())).collect())
    });
    let dir = tempfile::tempdir().unwrap();
    let report = run_article_to_jsonl(backend, &dir.path().join("out")).await;
    assert_eq!(report.files[0].segments, 438);
    assert_eq!(report.files[0].untranslated, 438);
    assert_eq!(report.exit_code(), 1);

    // One that translates is not.
    let (backend, _) = Scripted::new(TermSupport::Placeholder, |batch, _| {
        Ok(batch.iter().map(|r| reply(r, fake(&r.text))).collect())
    });
    let report = run_article_to_jsonl(backend, &dir.path().join("out2")).await;
    assert_eq!(report.files[0].untranslated, 0);
    assert_eq!(report.exit_code(), 0);
}
