//! The command line: the main job, batches, and bad input.

use crate::bitext_snapshot;
use crate::harness::{Bitext, Refusal, assert_contains, assert_starts_with};

#[test]
fn translate_writes_tmx_md_jsonl_for_the_reference_article() {
    let (run, _dir) = Bitext::translate_fixture("article.txt", "article.txt").run_ok();
    assert_eq!(
        run.files("output"),
        ["article.html", "article.jsonl", "article.md", "article.tmx"]
    );
    assert_eq!(run.stderr, "bitext: article.txt: 438 segments written\n");
    bitext_snapshot!(run, run.stdout);
}

#[test]
fn existing_outputs_need_force() {
    let (run, dir) = Bitext::translate("a.txt", "中文.测试.").file("output/a.md", "keep me")
        .run_refused("error: output/a.md: already exists; pass --force to overwrite it, or --skip-existing to skip the inputs whose outputs all exist\n");
    assert_eq!(run.read("output/a.md"), "keep me");
    assert_eq!(run.files("output"), ["a.md"]);
    drop(dir);
    let (run, _dir) = Bitext::translate("a.txt", "中文.测试.")
        .file("output/a.md", "keep me")
        .args(["--force"])
        .run_ok();
    assert!(run.read("output/a.md").starts_with("# Review: a.txt"));
}

/// Bad input (the cases of `tests/fixtures/refused/translate.toml`): one
/// line naming the thing and what to do, exit 2, and no output file left
/// behind.
#[test]
fn bad_input_is_one_clear_line_and_writes_nothing() {
    for case in Refusal::load("translate") {
        let name = &case.name;
        let (run, _dir) = case.run();
        assert_eq!(run.stdout, "", "{name}: one error line and no summary");
        assert!(
            run.files("output").is_empty(),
            "{name}: wrote {:?}",
            run.files("output")
        );
    }
}

#[test]
fn a_bad_file_in_a_batch_does_not_stop_the_others() {
    let (run, _dir) = Bitext::new()
        .file("in/good.txt", "中文.测试.")
        .file("in/empty.txt", "")
        .file("in/sub/more.txt", "更多.")
        .file("in/notes.rst", "ignored")
        .args(["translate", "in"])
        .run_code(2);
    assert_eq!(
        run.stderr,
        "bitext: in/good.txt: 2 segments written\n\
         bitext: in/sub/more.txt: 1 segment written\n\
         error: in/empty.txt: no text in the file (it is empty, white space, or only markup and code); pass a file with text\n"
    );
    assert_eq!(
        run.files("output"),
        ["good.html", "good.jsonl", "good.md", "good.tmx", "sub"]
    );
    assert_eq!(
        run.files("output/sub"),
        ["more.html", "more.jsonl", "more.md", "more.tmx"]
    );
    // One input failed: its error is above, and the summary counts it.
    assert!(
        run.stdout.ends_with(
            "
  1 input failed; see the error above
"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn reads_standard_input_and_gbk() {
    let (gbk, _, _) = encoding_rs::GBK.encode("国土资源部召开会议。会议强调，要加强耕地保护。");
    let (run, _dir) = Bitext::new()
        .stdin(gbk.into_owned())
        .args(["translate", "-", "--formats", "jsonl"])
        .run_ok();
    assert_eq!(
        sources(&run, "output/stdin.jsonl"),
        ["国土资源部召开会议。", "会议强调，要加强耕地保护。"]
    );
}

#[test]
fn backends_lists_the_offline_default() {
    let (run, _dir) = Bitext::new().args(["backends"]).run_ok();
    assert_starts_with(&run.stdout, "dictionary\n");
    assert!(run.stdout.contains("needs: nothing: no key, no network"));
}

/// The JSONL sources of an output.
fn sources(run: &crate::harness::Run, name: &str) -> Vec<String> {
    run.read(name)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn utf16_without_a_byte_order_mark_is_read() {
    let text = "国土资源部召开会议.\n会议强调.要加强耕地保护.\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let (run, _dir) = Bitext::translate("le.txt", le)
        .file("be.txt", be)
        .args(["be.txt", "--formats", "jsonl"])
        .run_ok();
    let expected = ["国土资源部召开会议.", "会议强调.", "要加强耕地保护."];
    assert_eq!(sources(&run, "output/le.jsonl"), expected);
    assert_eq!(sources(&run, "output/be.jsonl"), expected);
}

#[test]
fn the_same_file_twice_is_translated_once() {
    let (run, _dir) = Bitext::translate("a.txt", "中文.测试.")
        .args(["./a.txt", "a.txt", "--formats", "jsonl"])
        .run_ok();
    assert_eq!(run.files("output"), ["a.jsonl"]);
    assert_eq!(run.stderr, "bitext: a.txt: 2 segments written\n");
    assert_starts_with(&run.stdout, "Translated 1 file ");
}

#[test]
fn counts_in_the_summary_agree_with_their_nouns() {
    let (run, _dir) = Bitext::translate("a.txt", "中文.\n").run_ok();
    let first = run.stdout.lines().next().unwrap();
    assert_starts_with(
        first,
        "Translated 1 file (1 paragraph, 1 segment) with dictionary in ",
    );
    assert_contains(
        &run.stdout,
        "\n  requests: 1, from translation memory: 0 segments\n",
    );
    let (run, _dir) = Bitext::translate("a.txt", "中文.\n")
        .args(["--dry-run"])
        .run_ok();
    assert_contains(
        &run.stdout,
        "a.txt: 1 segment, 0 in translation memory, 1 request, 3 characters\n",
    );
}

#[test]
fn one_reviewed_translation_is_singular() {
    let (run, dir) = Bitext::translate("a.txt", "中文.测试.\n")
        .args(["--cache", "tm.redb"])
        .run_ok();
    // Row 1's English cell edited by a reviewer.
    let md = run.read("output/a.md");
    let row = md.lines().find(|l| l.starts_with("| 1 |")).unwrap();
    let mut cells: Vec<&str> = row.split(" | ").collect();
    cells[2] = "Chinese, reviewed.";
    let edited = md.replacen(row, &cells.join(" | "), 1);
    std::fs::write(run.dir.join("output/a.md"), edited).unwrap();
    let (import, dir) = Bitext::import(dir, "output/a.md").run_ok();
    assert_contains(
        &import.stdout,
        "imported 1 reviewed translation, 1 unchanged, 0 rejected",
    );
    // The summaries count one of each in the singular.
    let (rerun, _dir) = Bitext::in_dir(dir)
        .file("g.tsv", "source\ttarget\n测试\ttest\n")
        .args(["translate", "a.txt", "--cache", "tm.redb", "--force"])
        .args(["-g", "g.tsv", "--formats", "md,html"])
        .run_ok();
    let md = rerun.read("output/a.md");
    assert_contains(
        &md,
        "- **Reviewed:** 1 segment from the translation memory\n",
    );
    assert_contains(&md, "(1 entry, id ");
    assert_contains(&md, "), 1 term occurrence\n");
    assert_contains(&rerun.read("output/a.html"), "), 1 term occurrence</dd>");
    let (check, _dir) = Bitext::new()
        .file("g.tsv", "source\ttarget\n测试\ttest\n")
        .args(["glossary", "check", "-g", "g.tsv"])
        .run_ok();
    assert_starts_with(&check.stdout, "g.tsv: 1 entry, id ");
}

/// Every subcommand's path (`["translate"]`, `["glossary", "check"]`, …).
fn subcommands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            let mut path = path.to_vec();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &<bitext::cli::Cli as clap::CommandFactory>::command(),
        &[],
        &mut out,
    );
    out
}

#[test]
fn every_subcommand_help_ends_with_examples_that_parse() {
    let paths = subcommands();
    assert!(paths.len() >= 9, "{paths:?}");
    for path in paths {
        let name = path.join(" ");
        for flag in ["--help", "-h"] {
            let (run, _dir) = Bitext::new().args(&path).args([flag]).run();
            assert_eq!(run.code, 0, "{name} {flag}: {}", run.stderr);
            let (_, examples) = run
                .stdout
                .rsplit_once("\nExamples:\n")
                .unwrap_or_else(|| panic!("{name} {flag}: no examples:\n{}", run.stdout));
            let lines: Vec<&str> = examples.lines().collect();
            assert!(
                (2..=3).contains(&lines.len()),
                "{name} {flag}: {} examples, not 2 or 3:\n{examples}",
                lines.len()
            );
            for line in lines {
                let command = line
                    .strip_prefix("  ")
                    .unwrap_or_else(|| panic!("{name}: {line:?} is not indented"));
                let rest = command.strip_prefix(&format!("bitext {name}"));
                assert!(
                    rest.is_some_and(|r| r.is_empty() || r.starts_with(' ')),
                    "{name}: {line:?} is not an example of it"
                );
                // The command line up to a pipe or a redirection.
                let words: Vec<String> = bitext::backend::command::split_command_line(command)
                    .unwrap()
                    .into_iter()
                    .take_while(|w| !matches!(w.as_str(), "|" | ">" | ">>"))
                    .collect();
                if let Err(e) = <bitext::cli::Cli as clap::Parser>::try_parse_from(&words) {
                    panic!("{name}: the example {command:?} does not parse: {e}");
                }
            }
        }
    }
}

#[test]
fn base_url_help_names_every_backend_that_takes_one() {
    let (run, _dir) = Bitext::new().args(["translate", "--help"]).run_ok();
    let start = run.stdout.find("--base-url <URL>").unwrap();
    let rest = &run.stdout[start..];
    let end = rest[1..].find("\n      --").map_or(rest.len(), |i| i + 1);
    let help = &rest[..end];
    let takes_one: Vec<&str> = bitext::backend::builtins()
        .into_iter()
        .filter(|b| b.default_base_url.is_some())
        .map(|b| b.name)
        .collect();
    assert!(takes_one.contains(&"deepl"), "{takes_one:?}");
    for info in bitext::backend::builtins() {
        match info.default_base_url {
            Some(url) => {
                assert!(help.contains(info.name), "{}: {help}", info.name);
                assert!(help.contains(url), "{url}: {help}");
            }
            None => assert!(!help.contains(info.name), "{}: {help}", info.name),
        }
    }
}

#[test]
fn backends_says_how_each_backend_gets_the_glossary() {
    let (run, _dir) = Bitext::new().args(["backends"]).run_ok();
    // A backend's block: its name, then indented lines.
    let block = |name: &str| -> String {
        let mut lines = run.stdout.lines().skip_while(|l| *l != name);
        let mut out = vec![lines.next().unwrap()];
        out.extend(lines.take_while(|l| l.starts_with(' ')));
        out.join("\n")
    };
    let command = block("command");
    let glossary = command
        .lines()
        .find(|l| l.trim_start().starts_with("glossary:"))
        .unwrap();
    assert!(
        glossary.contains("terms") && glossary.contains("JSON"),
        "{glossary}"
    );
    assert!(!glossary.contains("in the prompt"), "{glossary}");
    let openai = block("openai");
    assert_contains(&openai, "prompt");
}

#[test]
fn the_bundled_glossary_is_named_by_its_id() {
    let id = bitext::glossary::Glossary::bundled().unwrap().id();
    let name = format!("bundled:glossary.tsv@{}", &id[..8]);
    let (run, _dir) = Bitext::translate("a.txt", "开展创先争优活动.")
        .args(["--formats", "tmx,md,jsonl,xliff"])
        .run_ok();
    assert_contains(
        &run.read("output/a.tmx"),
        &format!("<prop type=\"x-glossary\">{name}</prop>"),
    );
    assert_contains(
        &run.read("output/a.md"),
        &format!("- **Glossary:** {name} ("),
    );
    assert!(run.read("output/a.xlf").contains(&name));
    assert_contains(&run.stdout, &format!("  glossary: {name}, "));
    for file in ["a.tmx", "a.md", "a.jsonl", "a.xlf"] {
        assert!(
            !run.read(&format!("output/{file}"))
                .contains("glossary/glossary.tsv"),
            "{file} names a path the user does not have"
        );
    }
}

#[test]
fn align_writes_xliff_too() {
    let (run, _dir) = Bitext::align(("zh.txt", "你好。再见。"), ("en.txt", "Hello. Goodbye."))
        .args(["--formats", "xliff,tmx"])
        .run_ok();
    assert_eq!(run.files("output"), ["zh.tmx", "zh.xlf"]);
    crate::harness::assert_valid_xliff(&run.dir.join("output/zh.xlf"));
}

#[test]
fn a_model_for_a_backend_without_models_is_refused() {
    let (run, _dir) = Bitext::translate("a.txt", "中文.").env("DEEPL_AUTH_KEY", "k:fx").args(["--backend", "deepl", "--model", "x"])
        .args(["--dry-run"])
        .run_refused("error: --model x: the deepl backend has no model to choose; drop --model (openai, ollama, llamacpp and command take one)\n");
    assert_eq!(run.stdout, "");

    let (_, _dir) = Bitext::new()
        .file("a.txt", "中文.")
        .file(
            "bitext.toml",
            "[backend.google]\ntimeout = 9\nmodel = \"nmt\"\n",
        )
        .args(["translate", "a.txt", "--backend", "google", "--dry-run"])
        .run_refused("error: bitext.toml:3: [backend.google] model: the google backend has no model to choose; remove the key (openai, ollama, llamacpp and command take one)\n");

    let (run, _dir) = Bitext::align(("zh.txt", "你好。"), ("en.txt", "Hello.")).args(["--model", "x"])
        .run_refused("error: --model x: bitext align uses a backend only with --backend; add one or drop --model\n");
    assert!(run.files("output").is_empty());
}

#[test]
fn backends_that_translate_any_pair_take_other_languages() {
    // An LLM and the HTTP vendors accept what their protocol accepts.
    let (_, _dir) = Bitext::translate("a.txt", "中文.")
        .args(["--backend", "openai", "--target-lang", "de-DE"])
        .args(["--dry-run", "--base-url", "http://127.0.0.1:9/v1"])
        .run_ok();
    // The dictionary takes every Chinese and English tag.
    let (_, _dir) = Bitext::translate("a.txt", "中文.")
        .args(["--source-lang", "zh-TW", "--target-lang", "en-GB"])
        .args(["--formats", "jsonl"])
        .run_ok();
}

/// The backend registry is the one list: every backend in it has a row in
/// the README's Backends table, and its key variable is cleared by the test
/// harness, so no test can reach a real service with a developer's key.
#[test]
fn every_registered_backend_is_documented_and_its_key_cleared() {
    let readme = std::fs::read_to_string(crate::harness::repo_path("README.md")).unwrap();
    let builtins = bitext::backend::builtins();
    assert!(builtins.len() >= 6);
    for info in &builtins {
        let row = format!("\n| `{}`", info.name);
        assert!(
            readme.contains(&row),
            "README has no Backends row for {}",
            info.name
        );
        if let Some(var) = info.key_var {
            assert!(
                crate::harness::CLEARED_ENV.contains(&var),
                "the harness does not clear {var} ({})",
                info.name
            );
            assert!(readme.contains(var), "README does not name {var}");
        }
        assert_eq!(bitext::backend::key_var(info.name), info.key_var);
    }
}
