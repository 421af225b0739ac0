//! The glossary holds on every kind of backend, end to end: the reference
//! article through the CLI against local OpenAI-, DeepL- and
//! LibreTranslate-compatible servers that translate but disregard any
//! glossary they are given (they keep markup tags, as real services do).
//! Every occurrence of every term must end up with its glossary target, and
//! no segment may be flagged.

use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

use crate::harness::{
    Bitext, deepl_glossaries, deepl_reply, post, run_async, serve, translating_server,
};

/// A translation that ignores the glossary: the article's numbers are
/// rendered in English from [`NUMBERS`], every other Han character becomes
/// `wwwww` (about as long as English renders it, so that no length-ratio
/// flag is due), everything else (placeholder tags included) stays.
fn ignore_glossary(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    // Markup tags (`<x id="1"/>`) pass through untouched.
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&english_numbers(&rest[..start]));
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    out.push_str(&english_numbers(rest));
    out
}

/// The numbers of the reference article as a translator writes them,
/// written by hand from the source text, so that the mocks do not share
/// `bitext::numbers` with the number check they are judged by: source
/// expression (with its unit) → English. The longest expression starting at
/// a position wins.
const NUMBERS: &[(&str, &str)] = &[
    ("2010年4月", "April 2010"),
    ("2010年8月", "August 2010"),
    ("2011年3月25日", "March 25, 2011"),
    ("2011年4月26日", "April 26, 2011"),
    ("2011年5月", "May 2011"),
    ("2011年12月", "December 2011"),
    ("2011年上半年", "the first half of 2011"),
    ("2011年", "2011"),
    ("2012年5月15日", "May 15, 2012"),
    ("2012年9月19日", "September 19, 2012"),
    ("2012年10月24日", "October 24, 2012"),
    ("11家", "11"),
    ("20多位", "more than 20"),
    ("348个", "348"),
    ("5943名", "5,943"),
    ("90周年", "90th anniversary"),
    ("50口", "50"),
    ("20余万人", "more than 200,000 people"),
    ("1100多名", "more than 1,100"),
    ("9家", "nine"),
    ("111眼", "111"),
    ("78眼", "78"),
    ("1.05亿元", "105 million yuan"),
    ("113户", "113 households"),
    ("491名", "491"),
    ("597.42公顷", "597.42 hectares"),
    ("1960万元", "19.6 million yuan"),
    ("22项", "22"),
    ("19个", "19"),
    ("20天", "20 days"),
    ("3000多家", "more than 3,000"),
    ("百家", "a hundred"),
    ("5个", "five"),
    ("37个", "37"),
    ("75名", "75"),
    ("3112元", "3,112 yuan"),
    ("21名", "21"),
    ("62名", "62"),
    ("47个", "47"),
    ("196名", "196"),
    ("两篇", "two"),
    ("三批", "three groups"),
    ("第四批", "the fourth group"),
    ("两年多来", "for more than two years"),
    ("五个平台", "five platforms"),
    ("四级", "four levels"),
    ("四家", "four"),
    ("五省", "five provinces"),
    ("五级", "five levels"),
    ("一区四县", "one district and four counties"),
    ("五天", "five days"),
    ("半个月", "half a month"),
    ("近千家", "nearly a thousand"),
    ("第三届", "third"),
    ("年近八旬", "nearly eighty"),
];

fn english_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let number = NUMBERS
            .iter()
            .filter(|(source, _)| rest.starts_with(source))
            .max_by_key(|(source, _)| source.len());
        if let Some((source, english)) = number {
            out.push_str(&format!(" {english} "));
            rest = &rest[source.len()..];
            continue;
        }
        if bitext::text::is_han(c) {
            out.push_str("wwwww");
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

async fn openai() -> MockServer {
    translating_server(ignore_glossary).await
}

async fn deepl() -> MockServer {
    // A server that takes no glossaries: the backend falls back to placeholders.
    serve([
        deepl_glossaries(json!([])),
        post("/v2/glossaries").respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"message": "Unsupported glossary language pair"})),
        ),
        post("/v2/translate")
            .respond_with(|request: &Request| deepl_reply(request, ignore_glossary)),
    ])
    .await
}

async fn libretranslate() -> MockServer {
    serve([post("/translate").respond_with(|request: &Request| {
        let body: Value = request.body_json().unwrap();
        let q: Vec<String> = match &body["q"] {
            Value::Array(items) => items
                .iter()
                .map(|t| ignore_glossary(t.as_str().unwrap()))
                .collect(),
            other => vec![ignore_glossary(other.as_str().unwrap())],
        };
        ResponseTemplate::new(200).set_body_json(json!({"translatedText": q}))
    })])
    .await
}

/// Translate the reference article with `backend` at `base`; return the
/// JSONL units.
async fn translate(backend: &str, base: &str, env: &[(&str, &str)]) -> Vec<Value> {
    let mut bitext = Bitext::new().fixture("article.txt", "article.txt").args([
        "translate",
        "article.txt",
        "--formats",
        "jsonl",
        "--backend",
        backend,
        "--base-url",
        base,
    ]);
    for (k, v) in env {
        bitext = bitext.env(k, v);
    }
    let (run, _dir) = run_async(bitext).await;
    assert_eq!(run.code, 0, "{backend}: {}", run.stderr);
    run.read("output/article.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every term occurrence is rendered with its target, and nothing is flagged.
fn assert_terms_hold(backend: &str, units: &[Value]) {
    let glossary = bitext::glossary::Glossary::bundled().unwrap();
    assert_eq!(units.len(), 438, "{backend}");
    let (mut occurrences, mut rendered) = (0, 0);
    for unit in units {
        let target = unit["target"].as_str().unwrap().to_lowercase();
        for term in unit["terms"].as_array().unwrap() {
            occurrences += 1;
            let entry = &glossary.entries()[term["term_id"].as_u64().unwrap() as usize];
            let ok = std::iter::once(&entry.target)
                .chain(&entry.variants)
                .any(|t| target.contains(&t.to_lowercase()));
            rendered += usize::from(ok);
        }
        assert_eq!(
            unit["flags"],
            json!([]),
            "{backend}: segment {}",
            unit["id"]
        );
    }
    assert!(occurrences > 400, "{backend}");
    assert_eq!(rendered, occurrences, "{backend}: term recall");
}

#[tokio::test]
async fn glossary_holds_against_an_llm_that_ignores_it() {
    let server = openai().await;
    let units = translate("openai", &format!("{}/v1", server.uri()), &[]).await;
    assert_terms_hold("openai", &units);
    // The first pass missed the terms; each such segment was repaired.
    assert!(units.iter().filter(|u| u["repaired"] == true).count() > 200);
}

#[tokio::test]
async fn glossary_holds_against_deepl_without_glossary_support() {
    let server = deepl().await;
    let units = translate("deepl", &server.uri(), &[("DEEPL_AUTH_KEY", "test-key:fx")]).await;
    assert_terms_hold("deepl", &units);
}

#[tokio::test]
async fn glossary_holds_against_libretranslate() {
    let server = libretranslate().await;
    let units = translate("libretranslate", &server.uri(), &[]).await;
    assert_terms_hold("libretranslate", &units);
}

/// A DeepL-compatible server that takes the glossary (slowly) and applies
/// it to requests that name it: batches that come while the glossary is
/// being set up must not wait for it, yet every term must still be rendered.
#[tokio::test]
async fn deepl_batches_do_not_wait_for_the_glossary_and_still_render_every_term() {
    use std::sync::{Arc, Mutex};
    let entries: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stored = Arc::clone(&entries);
    let applied = Arc::clone(&entries);
    let server = serve([
        deepl_glossaries(json!([])),
        post("/v2/glossaries").respond_with(move |request: &Request| {
            let body: Value = request.body_json().unwrap();
            let mut entries = stored.lock().unwrap();
            for line in body["entries"].as_str().unwrap().lines() {
                if let Some((s, t)) = line.split_once('\t') {
                    entries.push((s.to_string(), t.to_string()));
                }
            }
            // Longest first, as a glossary applies.
            entries.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
            ResponseTemplate::new(201)
                .set_body_json(
                    json!({"glossary_id": "g-1", "name": body["name"], "ready": true,
                    "source_lang": "zh", "target_lang": "en", "entry_count": entries.len()}),
                )
                .set_delay(std::time::Duration::from_millis(400))
        }),
        post("/v2/translate").respond_with(move |request: &Request| {
            let glossary = request
                .body_json::<Value>()
                .unwrap()
                .get("glossary_id")
                .is_some();
            deepl_reply(request, |text| {
                let mut text = text.to_string();
                if glossary {
                    for (s, target) in applied.lock().unwrap().iter() {
                        text = text.replace(s.as_str(), &format!(" {target} "));
                    }
                }
                ignore_glossary(&text)
            })
        }),
    ])
    .await;
    let units = translate("deepl", &server.uri(), &[("DEEPL_AUTH_KEY", "test-key:fx")]).await;
    for unit in &units {
        let misses: Vec<&Value> = unit["flags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "glossary-miss")
            .collect();
        assert!(misses.is_empty(), "segment {}: {misses:?}", unit["id"]);
    }
    let requests = server.received_requests().await.unwrap();
    let translate: Vec<Value> = requests
        .iter()
        .filter(|r| r.url.path() == "/v2/translate")
        .map(|r| r.body_json().unwrap())
        .collect();
    assert!(
        translate.iter().any(|b| b.get("glossary_id").is_some()),
        "the glossary was used"
    );
    assert!(
        translate.iter().any(|b| b["tag_handling"] == "xml"),
        "batches went with placeholders while the glossary was being made"
    );
    // No batch was repaired: placeholders and the glossary both held.
    assert!(units.iter().all(|u| u.get("repaired").is_none()));
}
