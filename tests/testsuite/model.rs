//! Control over the model (issue 18): `--prompt`, `--style`,
//! `--temperature`, `--formality`, the `ollama` and `llamacpp` presets, and
//! what a request to a language model holds (lean, and as `--dry-run`
//! estimates it). Every server is a mock on 127.0.0.1.

use serde_json::{Value, json};
use wiremock::Request;

use crate::harness::{
    Bitext, Refusal, assert_contains, assert_starts_with, chat_user, dead_port, deepl_server,
    echo_chat_server, jsonl, received, run_async, run_async_code,
};

fn system(request: &Request) -> String {
    let body: Value = request.body_json().unwrap();
    body["messages"][0]["content"].as_str().unwrap().to_string()
}

const TEXT: &str = "开展创先争优活动。他说。\n";

/// `bitext translate a.txt` of [`TEXT`] with `backend` at `base`.
fn translate_a_txt(backend: &str, base: &str) -> Bitext {
    Bitext::new().file("a.txt", TEXT).args([
        "translate",
        "a.txt",
        "--backend",
        backend,
        "--base-url",
        base,
    ])
}

/// `bitext translate a.txt` with `openai` through an echo chat server
/// ([`echo_chat_server`]), with what `more` adds to it; it must succeed:
/// the requests the server received, and the system prompt of the first.
async fn translated_by_openai(more: impl FnOnce(Bitext) -> Bitext) -> (Vec<Request>, String) {
    let server = echo_chat_server().await;
    let base = format!("{}/v1", server.uri());
    let (_, _dir) = run_async_code(more(translate_a_txt("openai", &base)), 0).await;
    let requests = received(&server).await;
    let system = system(&requests[0]);
    (requests, system)
}

#[tokio::test]
async fn a_custom_prompt_reaches_the_model_filled_in_with_the_style_guide() {
    // The first request; the mock renders no term, so a repair follows.
    let (requests, system) = translated_by_openai(|bitext| {
        bitext
            .file(
                "prompt.txt",
                "You render {{ source_lang }} as {{target_lang}} for a ministry.\n{{style}}\nGlossary:\n{{terms}}",
            )
            .file("style.md", "Use British spelling.\nNo Oxford comma.\n")
            .args(["--prompt", "prompt.txt", "--style", "style.md", "--temperature", "0.3"])
    })
    .await;
    assert_starts_with(
        &system,
        "You render Chinese (zh-CN) as English (en-US) for a ministry.\nHouse style:\nUse British spelling.\nNo Oxford comma.\n",
    );
    // The template asked for the terms: they are in the system prompt, and
    // not repeated in the user message.
    assert_contains(
        &system,
        "Glossary:\n#terms\n创先争优活动\tStrive for Excellence campaign\n",
    );
    assert!(!system.contains("{{"), "{system}");
    let user = chat_user(&requests[0]);
    assert_eq!(user["terms"], json!([]));
    assert_eq!(user["segments"].as_array().unwrap().len(), 2);
    let body: Value = requests[0].body_json().unwrap();
    assert_eq!(body["temperature"], json!(0.3));
}

#[tokio::test]
async fn a_style_guide_without_a_template_follows_the_built_in_instructions() {
    let (requests, system) = translated_by_openai(|bitext| {
        bitext
            .file("style.md", "Say \"the Ministry\" after the first mention.")
            .args(["--style", "style.md"])
    })
    .await;
    assert_starts_with(
        &system,
        "Translate Chinese (zh-CN) into natural English (en-US)",
    );
    assert_contains(
        &system,
        "House style:\nSay \"the Ministry\" after the first mention.\n",
    );
    // Without {{terms}} in a template, the terms stay in the user message.
    assert_eq!(
        chat_user(&requests[0])["terms"],
        json!([{"source": "创先争优活动", "target": "Strive for Excellence campaign"}])
    );
    let body: Value = requests[0].body_json().unwrap();
    assert_eq!(body["temperature"], json!(0));
}

#[test]
fn an_unknown_prompt_variable_fails_at_start_naming_the_file_and_line() {
    let dead = format!("http://127.0.0.1:{}/v1", dead_port());
    let (run, _dir) = translate_a_txt("openai", &dead)
        .file(
            "prompt.txt",
            "Translate {{source_lang}}.\nUse {{glossary}} here.\n",
        )
        .args(["--prompt", "prompt.txt"])
        .run_code(2);
    assert_starts_with(
        &run.stderr,
        "error: prompt.txt:2: unknown variable {{glossary}}; ",
    );
    assert_contains(&run.stderr, "{{terms}}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.files("output").is_empty());

    // The same template named in the config file.
    let (run, _dir) = Bitext::translate("a.txt", TEXT)
        .file("conf/p.txt", "{{examples}}\n\n{{ source }}\n")
        .file("conf/bitext.toml", "[backend.ollama]\nprompt = \"p.txt\"\n")
        .args(["--backend", "ollama", "--config", "conf/bitext.toml"])
        .args(["--dry-run"])
        .run_code(2);
    assert_starts_with(
        &run.stderr,
        "error: conf/p.txt:3: unknown variable {{source}}",
    );
}

#[tokio::test]
async fn formality_reaches_deepl() {
    let server = deepl_server().await;
    let (_, _dir) = run_async_code(
        translate_a_txt("deepl", &server.uri())
            .env("DEEPL_AUTH_KEY", "k:fx")
            .args([
                "--no-glossary",
                "--target-lang",
                "de-DE",
                "--formality",
                "less",
            ]),
        0,
    )
    .await;
    let requests = received(&server).await;
    assert!(!requests.is_empty());
    for request in &requests {
        let body: Value = request.body_json().unwrap();
        assert_eq!(body["formality"], "less");
        assert_eq!(body["target_lang"], "DE");
    }

    // In bitext.toml, and `prefer-more` into a language without formality.
    let server = deepl_server().await;
    let (_, _dir) = run_async_code(
        translate_a_txt("deepl", &server.uri())
            .file(
                "bitext.toml",
                "[backend.deepl]\nformality = \"prefer-more\"\n",
            )
            .env("DEEPL_AUTH_KEY", "k:fx")
            .args(["--no-glossary"]),
        0,
    )
    .await;
    let body: Value = received(&server).await[0].body_json().unwrap();
    assert_eq!(body["formality"], "prefer_more");
}

#[test]
fn model_controls_are_refused_where_the_backend_cannot_take_them() {
    for case in Refusal::load("model-controls") {
        let (run, _dir) = case.run_with(
            Bitext::translate("a.txt", TEXT)
                .file("style.md", "Plain words.")
                .env("DEEPL_AUTH_KEY", "k:fx")
                .env("GOOGLE_API_KEY", "k")
                .args(["--dry-run"]),
        );
        assert!(run.files("output").is_empty());
    }

    let (_, _dir) = Bitext::new()
        .file("a.txt", TEXT)
        .file(
            "bitext.toml",
            "[backend.openai]\nmodel = \"m\"\n\n[backend.google]\ntimeout = 9\ntemperature = 0.2\n",
        )
        .env("GOOGLE_API_KEY", "k")
        .args(["translate", "a.txt", "--backend", "google", "--dry-run"])
        .run_refused("error: bitext.toml:6: [backend.google] temperature: the google backend has no temperature; remove the key (openai, ollama, llamacpp and command take one)\n");
}

#[tokio::test]
async fn presets_talk_to_a_local_server_without_a_key() {
    for (preset, model) in [("ollama", "qwen2.5:7b"), ("llamacpp", "default")] {
        let server = echo_chat_server().await;
        let base = format!("{}/v1", server.uri());
        let (run, _dir) = run_async(
            Bitext::new()
                .file("a.txt", TEXT)
                // The machine's OpenAI key is not for a server on this machine.
                .env("OPENAI_API_KEY", "sk-not-for-local")
                .args([
                    "translate",
                    "a.txt",
                    "--backend",
                    preset,
                    "--base-url",
                    &base,
                    "--no-glossary",
                ]),
        )
        .await;
        assert_eq!(run.code, 0, "{preset}: {}", run.stderr);
        assert_contains(&run.stdout, &format!("with {preset}"));
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{preset}");
        assert!(
            !requests[0].headers.contains_key("authorization"),
            "{preset}"
        );
        let body: Value = requests[0].body_json().unwrap();
        assert_eq!(body["model"], model);
        let records = jsonl(&run.dir.join("output/a.jsonl"));
        assert_eq!(records.len(), 2);
        for record in &records {
            assert_eq!(record["backend"], preset);
            assert_eq!(record["model"], model);
            assert!(
                record["target"].as_str().unwrap().starts_with("EN "),
                "{record}"
            );
        }
    }
}

#[test]
fn presets_default_to_their_servers_local_addresses() {
    for (preset, expected) in [
        (
            "ollama",
            "Dry run with ollama (qwen2.5:7b at http://127.0.0.1:11434/v1)",
        ),
        (
            "llamacpp",
            "Dry run with llamacpp (default at http://127.0.0.1:8080/v1)",
        ),
        (
            "openai",
            "Dry run with openai (gpt-4o-mini at https://api.openai.com/v1)",
        ),
    ] {
        let (run, _dir) = Bitext::new()
            .file("a.txt", TEXT)
            .args(["translate", "a.txt", "--backend", preset, "--dry-run"])
            .run();
        assert_eq!(run.code, 0, "{preset}: {}", run.stderr);
        assert_starts_with(&run.stdout, expected);
    }
    let (run, _dir) = Bitext::new().args(["backends"]).run();
    assert_contains(&run.stdout, "\nollama\n");
    assert_contains(&run.stdout, "http://127.0.0.1:11434/v1");
    assert_contains(&run.stdout, "http://127.0.0.1:8080/v1");
}

#[test]
fn a_preset_whose_server_is_not_running_says_how_to_start_it() {
    let dead = format!("http://127.0.0.1:{}/v1", dead_port());
    for (preset, hint) in [
        (
            "ollama",
            "start it with `ollama serve` (and get the model with `ollama pull qwen2.5:7b`)",
        ),
        (
            "llamacpp",
            "start it with `llama-server -m model.gguf --port 8080`",
        ),
    ] {
        let (run, _dir) = translate_a_txt(preset, &dead)
            .file(
                "bitext.toml",
                format!("[backend.{preset}]\nmax_retries = 0\n"),
            )
            .run();
        assert_eq!(run.code, 2, "{preset}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert_contains(&run.stderr, "could not connect to");
        assert_contains(&run.stderr, hint);
        assert!(run.files("output").is_empty());
    }
}

#[tokio::test]
async fn the_dry_run_counts_the_prompt_characters_a_run_sends() {
    // The estimate is made from the very messages a run sends: a dry run's
    // characters equal those the server then receives.
    let server = echo_chat_server().await;
    let base = format!("{}/v1", server.uri());
    // Without a glossary: the mock renders no term, and the repairs that
    // would bring are not foreseen.
    let args = [
        "translate",
        "article.txt",
        "--backend",
        "openai",
        "--base-url",
        &base,
        "--no-cache",
        "--no-glossary",
    ];
    let (plan, _dir) = run_async_code(
        Bitext::new()
            .fixture("article.txt", "article.txt")
            .args(args)
            .args(["--dry-run"]),
        0,
    )
    .await;
    let line = plan
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("tokens: about "))
        .unwrap_or_else(|| panic!("no token estimate: {}", plan.stdout));
    let number = |after: &str| -> usize {
        let start = line.find(after).unwrap() + after.len();
        line[start..]
            .split(' ')
            .next()
            .unwrap()
            .replace(',', "")
            .parse()
            .unwrap()
    };
    let (tokens, characters) = (number("about "), number("sent ("));
    assert!(
        received(&server).await.is_empty(),
        "a dry run sends nothing"
    );

    let (_, _dir) = run_async_code(
        Bitext::new()
            .fixture("article.txt", "article.txt")
            .args(args),
        0,
    )
    .await;
    let sent: usize = received(&server)
        .await
        .iter()
        .map(|r| {
            let body: Value = r.body_json().unwrap();
            body["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["content"].as_str().unwrap().chars().count())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(characters, sent);
    // A Chinese character is about a token, English text about four
    // characters to one: fewer tokens than characters, more than a quarter.
    assert!(tokens < characters && tokens > characters / 4, "{line}");
}

// ------------------------------------------------ examples from the memory

/// A segment near a reviewed one, with that one as its example.
fn near_duplicate() -> Vec<bitext::backend::SegmentRequest> {
    vec![bitext::backend::SegmentRequest {
        id: bitext::document::SegmentId(7),
        text: "国土资源部开展创先争优活动。".to_string(),
        markup: false,
        terms: Vec::new(),
        examples: vec![bitext::backend::Example {
            source: "国土资源部深入开展创先争优活动。".to_string(),
            target: "The Ministry of Land and Resources deepens the campaign.".to_string(),
            score: 87,
        }],
    }]
}

fn settings(base: String) -> bitext::backend::BackendSettings {
    let mut settings = bitext::backend::BackendSettings::default();
    settings.base_url = Some(base);
    settings.max_retries = 0;
    settings
}

#[tokio::test]
async fn an_example_reaches_the_llm_deepl_and_a_command() {
    let ctx = bitext::backend::TranslateContext::new("zh-CN", "en-US", "a.txt");
    let batch = near_duplicate();

    let server = echo_chat_server().await;
    let openai =
        bitext::backend::build("openai", &settings(format!("{}/v1", server.uri()))).unwrap();
    let replies = openai.translate(&ctx, &batch).await.unwrap();
    assert_eq!(replies[0].text, "EN 7");
    let request = &received(&server).await[0];
    assert_eq!(
        chat_user(request)["examples"],
        json!([{
            "score": 87,
            "source": "国土资源部深入开展创先争优活动。",
            "target": "The Ministry of Land and Resources deepens the campaign.",
        }])
    );
    assert!(
        system(request).contains("#examples lines:"),
        "{}",
        system(request)
    );

    let server = deepl_server().await;
    let mut deepl_settings = settings(server.uri());
    deepl_settings.api_key = Some(bitext::backend::ApiKey::new("k:fx", "a test"));
    let deepl = bitext::backend::build("deepl", &deepl_settings).unwrap();
    deepl.translate(&ctx, &batch).await.unwrap();
    let body: Value = received(&server).await[0].body_json().unwrap();
    assert_eq!(
        body["context"],
        "国土资源部深入开展创先争优活动。 = The Ministry of Land and Resources deepens the campaign."
    );

    // The command gets each segment's examples, and the style guide.
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen.json");
    let script = "import json, sys\n\
        request = json.load(sys.stdin)\n\
        open(sys.argv[1], 'w').write(json.dumps(request))\n\
        print(json.dumps({'translations': [{'id': s['id'], 'text': 'EN'} for s in request['segments']]}))\n";
    let mut command_settings = bitext::backend::BackendSettings::default();
    command_settings.command = Some(vec![
        crate::harness::python().display().to_string(),
        "-c".into(),
        script.into(),
        seen.display().to_string(),
    ]);
    std::fs::write(dir.path().join("style.md"), "Plain words.").unwrap();
    command_settings.prompt.style =
        Some(bitext::backend::StyleGuide::load(&dir.path().join("style.md")).unwrap());
    command_settings.temperature = Some(0.5);
    let command = bitext::backend::build("command", &command_settings).unwrap();
    command.translate(&ctx, &batch).await.unwrap();
    let sent: Value = serde_json::from_str(&std::fs::read_to_string(&seen).unwrap()).unwrap();
    assert_eq!(sent["segments"][0]["examples"][0]["score"], 87);
    assert_eq!(
        sent["segments"][0]["examples"][0]["target"],
        "The Ministry of Land and Resources deepens the campaign."
    );
    assert_eq!(sent["style"], "Plain words.");
    assert_eq!(sent["temperature"], 0.5);
}

#[test]
fn examples_stay_within_their_token_budget() {
    use bitext::backend::prompt::{EXAMPLE_TOKENS, examples_within};
    let mut batch = near_duplicate();
    let example = batch[0].examples[0].clone();
    batch[0].examples = (0..100)
        .map(|i| bitext::backend::Example {
            source: format!("{}{i}", example.source),
            ..example.clone()
        })
        .collect();
    let chosen = examples_within(&batch, EXAMPLE_TOKENS);
    assert!(!chosen.is_empty() && chosen.len() < 100, "{}", chosen.len());
    let tokens: usize = chosen
        .iter()
        .map(|e| {
            bitext::backend::prompt::estimate_tokens(&e.source)
                + bitext::backend::prompt::estimate_tokens(&e.target)
                + 4
        })
        .sum();
    assert!(tokens <= EXAMPLE_TOKENS, "{tokens}");
    // Best first.
    assert_eq!(chosen[0].source, batch[0].examples[0].source);
}
