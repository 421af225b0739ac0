//! `bitext qa` (issue 15): the QA checks over bilingual files from any tool.
//!
//! Precision on the professional translations of `tests/fixtures/review/`,
//! recall on the deliberately broken translations of `tests/fixtures/qa/`
//! (one list of cases written as JSONL, TMX and XLIFF 1.2 by
//! `make_broken.py`, each unit stating the checks it must get), files
//! written by OmegaT (`tests/tools/omegat-tmx.sh`) and translate-toolkit,
//! and the agreement of `translate`'s flags with `qa`'s findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use bitext::check::CHECKS;
use serde_json::Value;

use crate::harness::{
    Bitext, assert_contains, assert_starts_with, checked_output, fixture_path, jsonl, python,
};

/// `bitext qa ARGS --format json`: the exit code and the report.
fn qa_json(args: &[&str]) -> (i32, Value) {
    let (run, _dir) = Bitext::new()
        .args(["qa"])
        .args(args)
        .args(["--format", "json"])
        .run();
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, report)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The checks found on each unit, by unit id.
fn found_by_unit(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        found
            .entry(f["unit"].as_str().unwrap().to_string())
            .or_default()
            .insert(f["check"].as_str().unwrap().to_string());
    }
    found
}

/// The units that get a finding other than `inconsistent-*`.
fn units_with_findings(report: &Value) -> Vec<String> {
    let mut units: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["check"].as_str().unwrap().starts_with("inconsistent-"))
        .map(|f| format!("{}: {} {}", f["unit"], f["check"], f["message"]))
        .collect();
    units.dedup();
    units
}

#[test]
fn professional_translations_get_findings_on_at_most_one_percent_of_units() {
    // The health article's translation has one known glossary-miss in 43
    // units (tests/testsuite/qa.rs): 1 unit allowed there.
    for (name, allowed) in [
        ("review/article.good.jsonl", 0),
        ("review/health.good.jsonl", 1),
    ] {
        let file = fixture_path(name);
        let (code, report) = qa_json(&[path(&file)]);
        let units = report["units"].as_u64().unwrap() as usize;
        assert_eq!(units, jsonl(&file).len(), "{name}");
        let flagged = units_with_findings(&report);
        eprintln!(
            "{name}: {units} units, {} with a finding other than inconsistent-*: {flagged:?}; by check {}",
            flagged.len(),
            report["by_check"]
        );
        assert!(
            flagged.len() * 100 <= units || flagged.len() <= allowed,
            "{name}: {flagged:#?}"
        );
        // Warnings only: the default gate (--fail-on error) passes.
        assert_eq!(code, 0, "{name}: {}", report["findings"]);
    }
}

/// The checks each unit of a broken fixture must get, by unit id.
fn expected(file: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let split = |list: &str| -> BTreeSet<String> {
        list.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut expected = BTreeMap::new();
    if file.extension().unwrap() == "jsonl" {
        for row in jsonl(file) {
            let checks = row["expect"].as_array().unwrap();
            let list: Vec<&str> = checks.iter().map(|c| c.as_str().unwrap()).collect();
            expected.insert(row["id"].to_string(), split(&list.join(",")));
        }
        return expected;
    }
    // TMX: <tu tuid="N"> then <prop type="x-expect">; XLIFF: <trans-unit
    // id="N"> then <note from="x-expect">.
    let mut unit = None;
    for line in text.lines() {
        let line = line.trim();
        for start in ["<tu tuid=\"", "<trans-unit id=\""] {
            if let Some(rest) = line.strip_prefix(start) {
                unit = Some(rest.split('"').next().unwrap().to_string());
            }
        }
        for start in ["<prop type=\"x-expect\">", "<note from=\"x-expect\">"] {
            if let Some(rest) = line.strip_prefix(start) {
                let list = rest.split('<').next().unwrap();
                expected.insert(unit.clone().unwrap(), split(list));
            }
        }
    }
    expected
}

#[test]
fn every_check_finds_its_broken_cases_in_jsonl_tmx_and_xliff() {
    let glossary = fixture_path("qa/glossary.tsv");
    let mut all_found = BTreeSet::new();
    for name in ["qa/broken.jsonl", "qa/broken.tmx", "qa/broken.xlf"] {
        let file = fixture_path(name);
        let (code, report) = qa_json(&[path(&file), "-g", path(&glossary)]);
        assert_eq!(code, 1, "{name}: errors fail the default gate");
        let want = expected(&file);
        let mut got = found_by_unit(&report);
        let mut misses = Vec::new();
        for (unit, checks) in &want {
            let found = got.remove(unit).unwrap_or_default();
            if &found != checks {
                misses.push(format!("unit {unit}: expected {checks:?}, found {found:?}"));
            }
        }
        assert!(misses.is_empty(), "{name}:\n{}", misses.join("\n"));
        assert!(
            got.is_empty(),
            "{name}: findings on units without expectations: {got:?}"
        );
        assert_eq!(
            report["units"].as_u64().unwrap() as usize,
            want.len(),
            "{name}"
        );
        let by_check = report["by_check"].as_object().unwrap();
        let total: u64 = by_check.values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(total as usize, report["findings"].as_array().unwrap().len());
        eprintln!(
            "{name}: {} units, findings by check {}",
            want.len(),
            report["by_check"]
        );
        all_found.extend(by_check.keys().cloned());
        // Every check but tag-mismatch (no inline codes in JSONL) has its
        // cases in every format.
        for check in CHECKS {
            let name_ = check.name();
            if name_ != "tag-mismatch" || !name.ends_with("jsonl") {
                assert!(
                    by_check.contains_key(name_),
                    "{name}: no {name_} case found"
                );
            }
        }
    }
    let names: BTreeSet<String> = CHECKS.iter().map(|c| c.name().to_string()).collect();
    assert_eq!(all_found, names);
}

#[test]
fn the_issue_names_every_check() {
    let names: Vec<&str> = CHECKS.iter().map(|c| c.name()).collect();
    for name in [
        "untranslated",
        "empty",
        "number-mismatch",
        "length-ratio",
        "llm-chatter",
        "glossary-miss",
        "control-char-removed",
        "tag-mismatch",
        "forbidden-term",
        "url-mismatch",
        "bracket-mismatch",
        "repeated-word",
        "double-space",
        "leading-trailing-space",
        "end-punctuation",
        "inconsistent-target",
        "inconsistent-source",
        "source-copied",
    ] {
        assert!(names.contains(&name), "{name}");
    }
}

#[test]
fn tmx_written_by_omegat_reads_without_error() {
    for name in [
        "qa/omegat/article-omegat.tmx",
        "qa/omegat/article-level2.tmx",
    ] {
        let file = fixture_path(name);
        let (code, report) = qa_json(&[path(&file)]);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("creationtool=\"OmegaT\""), "{name}");
        let units = report["units"].as_u64().unwrap() as usize;
        assert_eq!(units, text.matches("<tu>").count(), "{name}");
        assert!(units > 400, "{name}: {units}");
        // The human translation, through OmegaT: as clean as it was.
        let flagged = units_with_findings(&report);
        assert!(flagged.len() * 100 <= units, "{name}: {flagged:#?}");
        assert_eq!(code, 0, "{name}");
    }
}

/// Write the human translation of the reference article as XLIFF with
/// translate-toolkit's writer: its own XLIFF 1.1, and the same writer with
/// the XLIFF 1.2 skeleton and namespace.
const TOOLKIT_XLIFF: &str = r#"
import json, sys
from translate.storage import xliff

class Xliff12(xliff.xlifffile):
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")
    namespace = "urn:oasis:names:tc:xliff:document:1.2"

rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
for cls, out in [(xliff.xlifffile, sys.argv[2]), (Xliff12, sys.argv[3])]:
    store = cls(sourcelanguage="zh-CN", targetlanguage="en-US")
    for row in rows:
        unit = store.addsourceunit(row["source"])
        unit.target = row["target"]
    open(out, "wb").write(bytes(store))
"#;

#[test]
fn xliff_written_by_translate_toolkit_reads_without_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture_path("review/article.good.jsonl");
    let (v11, v12) = (
        dir.path().join("article-1.1.xlf"),
        dir.path().join("article-1.2.xlf"),
    );
    let _out = checked_output(
        Command::new(python())
            .args(["-c", TOOLKIT_XLIFF])
            .args([&good, &v11, &v12]),
        "python with translate-toolkit (run .ci/setup)",
        "translate-toolkit",
    );
    let rows = jsonl(&good);
    for (xlf, version) in [(&v11, "1.1"), (&v12, "1.2")] {
        let text = std::fs::read_to_string(xlf).unwrap();
        assert_contains(&text, &format!("version=\"{version}\""));
        let (code, report) = qa_json(&[path(xlf)]);
        assert_eq!(
            report["units"].as_u64().unwrap() as usize,
            rows.len(),
            "{version}"
        );
        let flagged = units_with_findings(&report);
        assert!(flagged.is_empty(), "{version}: {flagged:#?}");
        assert_eq!(code, 0);
    }
    // po2xliff: the PO header it makes a unit is no text.
    let quote = |s: &str| serde_json::to_string(s).unwrap();
    let mut po =
        String::from("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n");
    for row in rows.iter().take(20) {
        po.push_str(&format!(
            "msgid {}\nmsgstr {}\n\n",
            quote(row["source"].as_str().unwrap()),
            quote(row["target"].as_str().unwrap())
        ));
    }
    let po_path = dir.path().join("a.po");
    std::fs::write(&po_path, po).unwrap();
    let xlf = dir.path().join("a.xlf");
    checked_output(
        Command::new(python())
            .args(["-m", "translate.convert.po2xliff", "--progress=none"])
            .args([&po_path, &xlf]),
        "python with translate-toolkit (run .ci/setup)",
        "po2xliff",
    );
    // po2xliff states the source language en-US, whatever the PO holds.
    let (_, report) = qa_json(&[path(&xlf)]);
    let distinct: BTreeSet<&str> = rows
        .iter()
        .take(20)
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(report["units"].as_u64().unwrap() as usize, distinct.len());
}

/// The targets the fake MT program answers with: the human translation
/// of the reference article with the broken variants of
/// `tests/fixtures/review/article.broken.jsonl` in place.
fn broken_article_targets() -> BTreeMap<String, String> {
    let mut targets: BTreeMap<u64, (String, String)> = BTreeMap::new();
    for row in jsonl(&fixture_path("review/article.good.jsonl")) {
        targets.insert(
            row["id"].as_u64().unwrap(),
            (
                row["source"].as_str().unwrap().to_string(),
                row["target"].as_str().unwrap().to_string(),
            ),
        );
    }
    for row in jsonl(&fixture_path("review/article.broken.jsonl")) {
        let entry = targets.get_mut(&row["id"].as_u64().unwrap()).unwrap();
        entry.1 = row["target"].as_str().unwrap().to_string();
    }
    targets.into_values().collect()
}

/// A program for `--backend command` that answers each segment with the
/// target a JSON file maps its text to.
const LOOKUP_MT: &str = r#"
import json, sys
targets = json.load(open(sys.argv[1], encoding="utf-8"))
batch = json.load(sys.stdin)
out = [{"id": s["id"], "text": targets.get(s["text"], s["text"])} for s in batch["segments"]]
json.dump({"translations": out}, sys.stdout, ensure_ascii=False)
"#;

#[test]
fn translate_flags_and_qa_findings_agree_on_the_same_file() {
    let targets = serde_json::to_string(&broken_article_targets()).unwrap();
    let (run, _dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .file("targets.json", targets)
        .file("lookup_mt.py", LOOKUP_MT)
        .file("empty.tsv", "source\ttarget\n")
        .args([
            "translate",
            "article.txt",
            "--backend",
            "command",
            "--no-glossary",
        ])
        .args([
            "--command",
            "python3 lookup_mt.py targets.json",
            "--no-cache",
        ])
        .run();
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let rows = jsonl(&run.dir.join("output/article.jsonl"));
    let mut flags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &rows {
        for f in row["flags"].as_array().unwrap() {
            flags
                .entry(row["id"].to_string())
                .or_default()
                .push(format!(
                    "{} {}",
                    f["kind"].as_str().unwrap(),
                    f["detail"].as_str().unwrap()
                ));
        }
    }
    assert!(flags.len() >= 30, "too few flags to compare: {flags:?}");
    // qa with translate's checks and no glossary (translate had none).
    let (_, report) = qa_json(&[
        path(&run.dir.join("output/article.jsonl")),
        "--checks",
        "translate",
        "-g",
        path(&run.dir.join("empty.tsv")),
    ]);
    let mut findings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        findings
            .entry(f["unit"].as_str().unwrap().to_string())
            .or_default()
            .push(format!(
                "{} {}",
                f["check"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            ));
    }
    assert_eq!(flags, findings);
    eprintln!(
        "translate and qa agree on {} flags in {} of {} units",
        flags.values().map(Vec::len).sum::<usize>(),
        flags.len(),
        rows.len()
    );
    // Every check translate runs is among qa's, so all of them find at
    // least what translate flagged.
    let (_, all) = qa_json(&[
        path(&run.dir.join("output/article.jsonl")),
        "-g",
        path(&run.dir.join("empty.tsv")),
    ]);
    let all = found_by_unit(&all);
    for (unit, kinds) in &flags {
        for kind in kinds {
            let kind = kind.split(' ').next().unwrap();
            assert!(all[unit].contains(kind), "unit {unit}: {kind}");
        }
    }
}

#[test]
fn exit_codes_follow_fail_on_and_unreadable_files_exit_2_naming_the_line() {
    let clean = "{\"id\": 1, \"source\": \"他们回来了。\", \"target\": \"They came back.\"}\n";
    let warning = "{\"id\": 1, \"source\": \"他们回来了。\", \"target\": \"They came back\"}\n";
    let error = "{\"id\": 1, \"source\": \"他们回来了。\", \"target\": \"They 回来.\"}\n";
    let cases: [(&str, &[&str], i32); 7] = [
        (clean, &[], 0),
        (clean, &["--fail-on", "warning"], 0),
        (warning, &[], 0),
        (warning, &["--fail-on", "warning"], 1),
        (error, &[], 1),
        (error, &["--fail-on", "never"], 0),
        (error, &["--checks", "all,-untranslated"], 0),
    ];
    for (text, args, code) in cases {
        let (run, _dir) = Bitext::new()
            .file("a.jsonl", text)
            .args(["qa", "a.jsonl"])
            .args(args)
            .run();
        assert_eq!(
            run.code, code,
            "{text} {args:?}: {}{}",
            run.stdout, run.stderr
        );
    }
    let unreadable = [
        (
            "a.tmx",
            "<tmx version=\"1.4\"><header srclang=\"zh-CN\"/>\n<body><tu><tuv xml:lang=\"zh-CN\"><seg>甲</tuv></tu></body></tmx>\n",
            "a.tmx:2: not well-formed XML",
        ),
        (
            "a.jsonl",
            "{\"source\": \"甲\", \"target\": \"A\"}\n{\"source\": \"乙\"}\n",
            "a.jsonl:2: no \"target\" string",
        ),
        (
            "a.xlf",
            "<xliff version=\"1.2\"><file source-language=\"zh\"><body>\n<trans-unit id=\"1\"><target>A</target></trans-unit></body></file></xliff>\n",
            "a.xlf:2: trans-unit '1' has no <source>",
        ),
        (
            "a.md",
            "# Review: a.txt\n\nno table\n",
            "a.md: no segment table",
        ),
        (
            "a.txt",
            "hello\n",
            "a.txt: not a bilingual file bitext qa reads",
        ),
    ];
    for (name, text, message) in unreadable {
        let (run, _dir) = Bitext::new().file(name, text).args(["qa", name]).run();
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert_starts_with(&run.stderr, &format!("error: {message}"));
        assert_eq!(run.stdout, "");
    }
    let (run, _dir) = Bitext::new().args(["qa", "missing.tmx"]).run_code(2);
    assert_contains(&run.stderr, "missing.tmx");
}

#[test]
fn checks_and_severities_come_from_the_qa_table_and_flags() {
    let text = "{\"id\": 1, \"source\": \"他们回来了。\", \"target\": \"They came  back\"}\n";
    let toml = "[qa]\nchecks = [\"all\", \"-double-space\"]\n\n[qa.severity]\nend-punctuation = \"error\"\n";
    let (run, _dir) = Bitext::new()
        .file("a.jsonl", text)
        .file("bitext.toml", toml)
        .args(["qa", "a.jsonl", "--format", "json"])
        .run_code(1);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["by_check"],
        serde_json::json!({"end-punctuation": 1})
    );
    assert_eq!(report["findings"][0]["severity"], "error");
    // --checks overrides the table.
    let (run, _dir) = Bitext::new()
        .file("a.jsonl", text)
        .file("bitext.toml", toml)
        .args([
            "qa",
            "a.jsonl",
            "--format",
            "json",
            "--checks",
            "double-space",
        ])
        .run();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["by_check"], serde_json::json!({"double-space": 1}));
    // Unknown keys and checks are errors naming the line.
    for (toml, message) in [
        (
            "[qa]\nfail_on = \"error\"\nchecs = []\n",
            "bitext.toml:3: unknown field `checs`",
        ),
        (
            "[qa]\n[qa.severity]\nend-punct = \"off\"\n",
            "bitext.toml:3: [qa] severity: unknown check 'end-punct'",
        ),
    ] {
        let (run, _dir) = Bitext::new()
            .file("a.jsonl", text)
            .file("bitext.toml", toml)
            .args(["qa", "a.jsonl"])
            .run_code(2);
        assert_starts_with(&run.stderr, &format!("error: {message}"));
    }
    let (run, _dir) = Bitext::new()
        .file("a.jsonl", text)
        .args(["qa", "a.jsonl", "--checks", "all,nope"])
        .run_code(2);
    assert_contains(&run.stderr, "unknown check 'nope'");
}

#[test]
fn text_and_markdown_reports_group_by_check_with_file_and_line() {
    let broken = fixture_path("qa/broken.tmx");
    let glossary = fixture_path("qa/glossary.tsv");
    let (run, _dir) = Bitext::new()
        .args(["qa", path(&broken), "-g", path(&glossary)])
        .run_code(1);
    let shown = run.stdout.replace(path(&broken), "broken.tmx");
    assert_contains(
        &shown,
        "tag-mismatch (error, 1): the target's inline codes (tags) differ from the source's\n  broken.tmx:",
    );
    assert_contains(&shown, ": unit 26: missing <ept i=\"1\">\n");
    assert!(
        shown
            .trim_end()
            .ends_with("28 units in 1 file, checked zh-CN → en-US: 12 errors, 13 warnings"),
        "{shown}"
    );
    let (run, dir) = Bitext::new()
        .args([
            "qa",
            path(&broken),
            "-g",
            path(&glossary),
            "--format",
            "md",
            "-o",
            "qa.md",
        ])
        .run_code(1);
    assert_eq!(run.stdout, "");
    let md = std::fs::read_to_string(dir.path().join("qa.md")).unwrap();
    assert_starts_with(&md, "## bitext qa\n");
    assert_contains(&md, "| `tag-mismatch` | error | 1 |");
    assert_contains(&md, "\n### `double-space`\n");
}

#[test]
fn bitext_markdown_review_files_and_xliff_2_and_segmented_xliff_1_2_are_read() {
    let (_, dir) = Bitext::translate("a.txt", "国土资源部召开会议.会议强调.\n").run_ok();
    let md = dir.path().join("output/a.md");
    let (_, report) = qa_json(&[path(&md)]);
    assert_eq!(report["units"], 2);
    let xliff2 = "<?xml version=\"1.0\"?>\n<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"zh-CN\" trgLang=\"en-US\">\n<file id=\"f\"><unit id=\"u1\"><segment><source>点击<ph id=\"1\"/>按钮。</source><target>Click the button.</target></segment></unit>\n<unit id=\"u2\"><segment><source>好。</source><target>Good.</target></segment></unit></file></xliff>\n";
    let xliff12 = "<xliff version=\"1.2\"><file source-language=\"zh-CN\" target-language=\"en-US\"><body><group>\n<trans-unit id=\"t\"><source>甲。乙。</source>\n<seg-source><mrk mtype=\"seg\" mid=\"1\">他说。</mrk><mrk mtype=\"seg\" mid=\"2\">好。</mrk></seg-source>\n<target><mrk mtype=\"seg\" mid=\"1\">He said</mrk><mrk mtype=\"seg\" mid=\"2\">Good.</mrk></target></trans-unit></group>\n<trans-unit id=\"n\"><source>再见。</source><target state=\"new\"/></trans-unit></body></file></xliff>\n";
    let (run, _dir) = Bitext::new()
        .file("a.xlf", xliff2)
        .file("b.xliff", xliff12)
        .args(["qa", "a.xlf", "b.xliff", "--format", "json"])
        .run_code(1);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["units"], 5);
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["unit"].as_str().unwrap().into(),
                f["check"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("u1".to_string(), "tag-mismatch".to_string()),
            ("t#1".to_string(), "end-punctuation".to_string()),
            ("n".to_string(), "untranslated".to_string())
        ]
    );
    // srclang="*all*": the zh-CN <tuv> is the source, wherever it stands.
    let all = "<tmx version=\"1.4\"><header srclang=\"*all*\"/><body><tu><tuv xml:lang=\"en-US\"><seg>Good.</seg></tuv><tuv xml:lang=\"zh-CN\"><seg>好。</seg></tuv></tu></body></tmx>\n";
    let (run, _dir) = Bitext::new()
        .file("all.tmx", all)
        .args(["qa", "all.tmx"])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_contains(
        &run.stdout,
        "1 unit in 1 file, checked zh-CN → en-US: 0 errors",
    );
    // A language pair the flags contradict is an error.
    let (run, _dir) = Bitext::new()
        .file("a.xlf", xliff2)
        .args(["qa", "a.xlf", "--source-lang", "ja"])
        .run_code(2);
    assert_contains(
        &run.stderr,
        "a.xlf: the file is in zh-CN, but --source-lang says ja",
    );
}
