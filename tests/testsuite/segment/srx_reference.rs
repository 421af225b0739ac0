//! `--srx` against a reference implementation of SRX 2.0 that shares no code
//! with bitext: `tests/tools/SrxReference.java`, which reads the SRX file
//! with the JDK's XML parser and matches its patterns with
//! `java.util.regex` (the regular expressions SRX specifies), position by
//! position as the specification words it. Both segment the same texts, and
//! every paragraph must come out cut at the same places. The JDK is needed
//! (`javac`; `.ci/setup` installs default-jdk-headless): without it the
//! test fails rather than skips.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::harness::{Bitext, checked_output, fixture_path, repo_path};

/// The compiled reference, once per test run.
fn reference_classes() -> &'static Path {
    static CLASSES: OnceLock<PathBuf> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("srx-reference");
        std::fs::create_dir_all(&dir).unwrap();
        checked_output(
            Command::new("javac")
                .arg("-d")
                .arg(&dir)
                .arg(repo_path("tests/tools/SrxReference.java")),
            "javac is needed for the SRX reference: apt-get install default-jdk-headless",
            "javac failed",
        );
        dir
    })
}

/// The reference's segmentation of `text` with the rules for `lang`.
fn reference(srx: &Path, lang: &str, text: &Path) -> String {
    let out = checked_output(
        Command::new("java")
            .arg("-cp")
            .arg(reference_classes())
            .arg("SrxReference")
            .arg(srx)
            .arg(lang)
            .arg(text),
        "java",
        "SrxReference failed",
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `bitext segment --srx` on `text` (with no length limit, which is not SRX).
fn bitext(srx: &Path, lang: &str, text: &str) -> String {
    let (run, _dir) = Bitext::new()
        .file("rules.srx", std::fs::read(srx).unwrap())
        .file("in.txt", text)
        .args([
            "segment",
            "in.txt",
            "--srx",
            "rules.srx",
            "--source-lang",
            lang,
            "--max-chars",
            "0",
        ])
        .run_ok();
    run.stdout
}

/// The paragraphs on which bitext and the reference disagree, each shown as
/// both segmentations.
fn disagreements(srx: &Path, lang: &str, text: &str) -> Vec<String> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    let want = reference(srx, lang, file.path());
    let got = bitext(srx, lang, text);
    let (want, got): (Vec<&str>, Vec<&str>) =
        (want.split("\n\n").collect(), got.split("\n\n").collect());
    assert_eq!(want.len(), got.len(), "{lang}: paragraph count");
    // Not a vacuous comparison: the rules cut some paragraphs.
    let segments = want.iter().map(|p| p.lines().count()).sum::<usize>();
    assert!(segments > want.len(), "{lang}: no paragraph was cut");
    eprintln!("{lang}: {} paragraphs, {segments} segments", want.len());
    want.iter()
        .zip(&got)
        .filter(|(w, g)| w != g)
        .map(|(w, g)| format!("{lang}:\n  reference: {w:?}\n  bitext:    {g:?}"))
        .collect()
}

fn omegat() -> PathBuf {
    repo_path("tests/standards/omegat-defaultRules.srx")
}

#[test]
fn omegat_rules_agree_with_the_java_reference_in_six_languages() {
    let mut wrong = Vec::new();
    for (file, lang) in [
        ("zh.txt", "zh-CN"),
        ("en.txt", "en-US"),
        ("de.txt", "de-DE"),
        ("ja.txt", "ja-JP"),
        ("fr.txt", "fr-FR"),
        ("ru.txt", "ru-RU"),
    ] {
        let text = std::fs::read_to_string(fixture_path(&format!("segment/srx/{file}"))).unwrap();
        wrong.extend(disagreements(&omegat(), lang, &text));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Pseudo-random paragraphs made of `tokens` (xorshift, fixed seed: the
/// same texts every run).
fn generated(tokens: &[&str], paragraphs: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut text = String::new();
    for _ in 0..paragraphs {
        let len = 1 + next(24);
        let paragraph: String = (0..len).map(|_| tokens[next(tokens.len())]).collect();
        // Paragraphs are trimmed lines; keep the generated ones non-blank.
        text.push('x');
        text.push_str(&paragraph);
        text.push('\n');
    }
    text
}

#[test]
fn srx_rules_agree_with_the_java_reference_on_generated_texts() {
    let latin = [
        "Mr", "Dr", "dr", "e.g", "i.e", "etc", "U.K", "No", "A", "B", "a", "b", "St", "Abb", "z.B",
        "bzw", "www", ".de", ".at", "ca", "Ma", "ab", ".", ".", ". ", ". ", "? ", "! ", "?", "!",
        "...", " ", " ", "  ", "\t", "\u{a0}", "1", "5", " 5 min", "p.m", "(", ")", "\"", "'", "é",
        "É", "ü", "ß", "\u{2028}", "——",
    ];
    let cjk = [
        "中", "文", "日", "。", "？", "！", "”", "“", "」", "「", "）", "（", "—", "．", "、", ",",
        ".", " ", "\u{3000}", "１", "Ａ", "a",
    ];
    let both: Vec<&str> = latin.iter().chain(&cjk).copied().collect();
    let mixed = fixture_path("segment/srx/mixed.srx");
    let mut wrong = Vec::new();
    for (n, (srx, lang, tokens)) in [
        (omegat(), "zh-CN", &cjk[..]),
        (omegat(), "en-US", &latin[..]),
        (omegat(), "de-DE", &latin[..]),
        (omegat(), "ja-JP", &cjk[..]),
        (omegat(), "fr-FR", &latin[..]),
        (omegat(), "zh-TW", &both[..]),
        (mixed, "xy-ZZ", &both[..]),
    ]
    .into_iter()
    .enumerate()
    {
        let text = generated(tokens, 200, 0x9E37_79B9_7F4A_7C15 + n as u64);
        wrong.extend(disagreements(&srx, lang, &text));
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
