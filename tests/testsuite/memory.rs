//! The translation memory as a translator gets it out: `bitext export-tm`
//! and its filters, and what never goes into the memory (the offline
//! dictionary's glosses).

use std::path::Path;
use std::time::{Duration, SystemTime};

use bitext::memory::{Memory, MemoryKey};

use crate::harness::{
    Bitext, Run, assert_contains, assert_starts_with, assert_valid_tmx, memory_key, stored,
};

/// Store a machine translation of `source`.
fn put_machine(cache: &Memory, backend: &str, model: &str, source: &str, text: &str) {
    let fingerprint = format!("{backend}|{model}");
    cache
        .put_machine(&[(
            memory_key(&fingerprint, source),
            stored(text, backend, Some(model)),
        )])
        .unwrap();
    // The next entry is stored later: "newest" is then well defined.
    std::thread::sleep(Duration::from_millis(5));
}

/// Store a reviewed translation of `source`.
fn put_reviewed(cache: &Memory, source: &str, text: &str) {
    cache
        .put_reviewed(&[(
            MemoryKey::reviewed("zh-CN", "en-US", source),
            stored(text, "review", None),
        )])
        .unwrap();
    std::thread::sleep(Duration::from_millis(5));
}

/// A memory with, for 一: an openai translation, then a newer deepl one;
/// for 二: an openai translation, then a reviewed one.
fn memory(dir: &Path) {
    let cache = Memory::open(&dir.join("tm.redb")).unwrap();
    put_machine(&cache, "openai", "m1", "一。", "A by openai.");
    put_machine(&cache, "deepl", "", "一。", "A by deepl.");
    put_machine(&cache, "openai", "m1", "二。", "B by openai.");
    put_reviewed(&cache, "二。", "B reviewed.");
}

/// `bitext export-tm --cache tm.redb -o out.tmx` with `args`, in a directory
/// holding [`memory`].
fn export(args: &[&str]) -> (Run, String) {
    let dir = tempfile::tempdir().unwrap();
    memory(dir.path());
    let (run, _dir) = Bitext::export_tm(dir)
        .args(["-o", "out.tmx"])
        .args(args.iter().copied())
        .run_ok();
    assert_valid_tmx(&run.dir.join("out.tmx"));
    let tmx = run.read("out.tmx");
    (run, tmx)
}

/// The target segments of a TMX, in order.
fn targets(tmx: &str) -> Vec<&str> {
    tmx.split(r#"<tuv xml:lang="en-US">"#)
        .skip(1)
        .map(|rest| {
            let seg = &rest[rest.find("<seg>").unwrap() + 5..];
            &seg[..seg.find("</seg>").unwrap()]
        })
        .collect()
}

#[test]
fn export_tm_gives_one_unit_per_source_the_reviewed_one_else_the_newest() {
    let (run, tmx) = export(&[]);
    assert_eq!(targets(&tmx), ["A by deepl.", "B reviewed."]);
    assert_eq!(
        run.stderr,
        "exported 2 translations (1 machine, 1 reviewed); 2 left out \
         (filtered, or another translation of the same source) from tm.redb\n"
    );
}

#[test]
fn export_tm_filters_by_status_and_backend_or_keeps_everything() {
    let (_, all) = export(&["--all"]);
    assert_eq!(
        targets(&all),
        ["A by deepl.", "A by openai.", "B by openai.", "B reviewed."]
    );
    let (_, reviewed) = export(&["--reviewed-only"]);
    assert_eq!(targets(&reviewed), ["B reviewed."]);
    let (_, openai) = export(&["--backend", "openai"]);
    assert_eq!(targets(&openai), ["A by openai.", "B by openai."]);
    assert!(!openai.contains(r#"<prop type="x-status">reviewed</prop>"#));
    let (_, deepl) = export(&["--backend", "deepl", "--all"]);
    assert_eq!(targets(&deepl), ["A by deepl."]);
}

#[test]
fn export_tm_refuses_contradictory_or_pointless_filters() {
    for args in [
        &["--reviewed-only", "--backend", "openai"][..],
        &["--backend", "dictionary"][..],
    ] {
        let dir = tempfile::tempdir().unwrap();
        memory(dir.path());
        let (run, _dir) = Bitext::export_tm(dir).args(args.iter().copied()).run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
}

/// Seconds since the Unix epoch of a TMX date (`YYYYMMDDThhmmssZ`), computed
/// from the calendar (days from civil, the inverse of what the writer does).
fn tmx_seconds(date: &str) -> u64 {
    assert_eq!(date.len(), 16, "{date}");
    assert!(date.as_bytes()[8] == b'T' && date.ends_with('Z'), "{date}");
    let n = |range: std::ops::Range<usize>| -> i64 { date[range].parse().unwrap() };
    let (year, month, day) = (n(0..4), n(4..6), n(6..8));
    let (hour, minute, second) = (n(9..11), n(11..13), n(13..15));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + hour * 3600 + minute * 60 + second) as u64
}

/// The values of attribute `name` in `tmx`, in order.
fn attributes<'a>(tmx: &'a str, name: &str) -> Vec<&'a str> {
    let pattern = format!(" {name}=\"");
    tmx.split(pattern.as_str())
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

#[test]
fn export_tm_dates_every_unit_in_tmx_form() {
    let start = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (_, tmx) = export(&["--all"]);
    let end = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let created = attributes(&tmx, "creationdate");
    let changed = attributes(&tmx, "changedate");
    assert_eq!(created.len(), 4, "{tmx}");
    assert_eq!(changed, created, "no entry changed after it was stored");
    for date in created {
        let secs = tmx_seconds(date);
        assert!(
            (start..=end).contains(&secs),
            "{date}: not between {start} and {end}"
        );
    }
}

#[test]
fn export_tm_never_writes_dictionary_glosses_an_older_version_stored() {
    let dir = tempfile::tempdir().unwrap();
    memory(dir.path());
    put_machine(
        &Memory::open(&dir.path().join("tm.redb")).unwrap(),
        "dictionary",
        "",
        "丙。",
        "third word-salad",
    );
    let (run, _dir) = Bitext::export_tm(dir).args(["--all"]).run_ok();
    assert!(!run.stdout.contains("word-salad"));
    assert_contains(
        &run.stderr,
        "; 1 dictionary gloss skipped (not translations) from tm.redb",
    );
}

#[test]
fn the_dictionary_stores_no_gloss_in_an_explicit_memory() {
    // A memory given with --cache, holding one reviewed translation.
    let dir = tempfile::tempdir().unwrap();
    let cache = Memory::open(&dir.path().join("tm.redb")).unwrap();
    put_reviewed(
        &cache,
        "走在务实创新的大路上.",
        "On the road of practical innovation.",
    );
    drop(cache);
    let (run, dir) = Bitext::in_dir(dir)
        .fixture("article.txt", "article.txt")
        .args(["translate", "article.txt", "--cache", "tm.redb"])
        .run();
    assert_ne!(run.code, 2, "{}", run.stderr);
    // The reviewed translation was used ...
    assert_contains(
        &run.stdout,
        "from translation memory: 1 segment (1 reviewed)",
    );
    // ... and nothing was added to the memory.
    let (export, _dir) = Bitext::export_tm(dir).args(["--all"]).run_ok();
    assert_starts_with(
        &export.stderr,
        "exported 1 translation (0 machine, 1 reviewed) from",
    );
}

#[test]
fn the_dictionary_creates_no_memory_file() {
    let (run, _dir) = Bitext::translate("a.txt", "中文测试。")
        .args(["--cache", "tm.redb"])
        .run();
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(!run.dir.join("tm.redb").exists());
}
