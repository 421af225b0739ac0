//! The translation memory on PostgreSQL (`--cache postgres://…`): the same
//! semantics as the embedded file, shared by concurrent workers, and the
//! errors a database that is down gives. Each test has a database of its own
//! on the throwaway cluster of [`crate::pg`].

use std::path::Path;
use std::time::{Duration, SystemTime};

use bitext::document::Origin;
use bitext::memory::{Location, Memory, MemoryKey};

use crate::harness::{Bitext, memory_key, stored};
use crate::pg;

/// The memory at `location`, opened for writing.
fn open(location: &str) -> Memory {
    Memory::open_at(&Location::parse(Path::new(location)).unwrap()).unwrap()
}

/// What the tests below check on either kind of memory, so that both keep
/// the same semantics: lookups, reviewed entries winning, dates, and the
/// listing order.
fn exercise(location: &str) -> Vec<(String, String, Origin, Option<String>)> {
    let cache = open(location);
    let (a, b) = (memory_key("b|m", "你好"), memory_key("b|m2", "你好"));
    cache
        .put_machine(&[(a.clone(), stored("hello", "b", None))])
        .unwrap();
    assert_eq!(
        cache.get_many(&[a.clone(), b.clone()]).unwrap(),
        [Some((stored("hello", "b", None), Origin::Cache)), None]
    );
    // The same batch twice, and a batch that names one key twice: one entry
    // each, the later value winning.
    let twice = [
        (memory_key("b|m", "再见"), stored("bye", "b", None)),
        (memory_key("b|m", "再见"), stored("goodbye", "b", None)),
    ];
    cache.put_machine(&twice).unwrap();
    cache.put_machine(&twice).unwrap();
    let before = SystemTime::now() - Duration::from_secs(1);
    cache
        .put_reviewed(&[(
            MemoryKey::reviewed("zh-CN", "en-US", "你好"),
            stored("Hello!", "review", None),
        )])
        .unwrap();
    // Reviewed wins over every machine entry, whatever the backend.
    assert_eq!(
        cache.get_many(&[a, b]).unwrap(),
        [
            Some((stored("Hello!", "review", None), Origin::Reviewed)),
            Some((stored("Hello!", "review", None), Origin::Reviewed))
        ]
    );
    drop(cache);
    // Reopened: everything is still there, dated.
    let cache = open(location);
    let mut listed = Vec::new();
    cache
        .for_each(|e| {
            let created = e.created.expect("dated");
            assert!(created >= before - Duration::from_secs(60), "{created:?}");
            assert!(e.changed.unwrap() >= created);
            listed.push((e.source, e.translation.text, e.origin, e.fingerprint));
            Ok(())
        })
        .unwrap();
    listed
}

#[test]
fn a_postgres_memory_keeps_the_same_entries_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tm.redb");
    let from_file = exercise(file.to_str().unwrap());
    let from_postgres = exercise(&pg::database());
    assert_eq!(from_postgres, from_file);
    assert_eq!(from_file.len(), 3, "{from_file:?}");
}

#[test]
fn a_postgres_entry_keeps_its_creation_date_and_moves_its_change_date_with_its_text() {
    let cache = open(&pg::database());
    let reviewed = MemoryKey::reviewed("zh-CN", "en-US", "你好");
    let dates = || {
        let entries = cache.entries().unwrap();
        assert_eq!(entries.len(), 1);
        (entries[0].created.unwrap(), entries[0].changed.unwrap())
    };
    cache
        .put_reviewed(&[(reviewed.clone(), stored("Hello", "review", None))])
        .unwrap();
    let (created, changed) = dates();
    std::thread::sleep(Duration::from_millis(5));
    cache
        .put_reviewed(&[(reviewed.clone(), stored("Hello", "review", None))])
        .unwrap();
    assert_eq!(dates(), (created, changed), "the same text changes nothing");
    std::thread::sleep(Duration::from_millis(5));
    cache
        .put_reviewed(&[(reviewed, stored("Hello!", "review", None))])
        .unwrap();
    let (again, later) = dates();
    assert_eq!(again, created);
    assert!(later > changed);
}

#[test]
fn workers_writing_the_same_entries_at_once_never_conflict_or_duplicate() {
    let url = pg::database();
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                // Each opens the memory (the first migrates it) and writes
                // batches that overlap every other worker's.
                let cache = open(&url);
                for round in 0..10 {
                    let batch: Vec<_> = (0..20)
                        .map(|i| {
                            (
                                memory_key("b|m", &format!("句子{}", (i + round) % 25)),
                                stored(&format!("w{w}"), "b", None),
                            )
                        })
                        .collect();
                    cache.put_machine(&batch).unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let cluster = pg::cluster();
    let name = url.rsplit('/').next().unwrap();
    assert_eq!(
        cluster.psql(name, "SELECT count(*) FROM bitext_machine"),
        "25"
    );
    assert_eq!(
        cluster.psql(name, "SELECT max(version) FROM bitext_migrations"),
        "1"
    );
    assert_eq!(
        cluster.psql(name, "SELECT count(*) FROM bitext_migrations"),
        "1"
    );
}

#[test]
fn a_database_that_is_down_stops_the_run_before_any_request_with_one_line_and_no_password() {
    let url = format!("postgres://ann:hunter2@127.0.0.1:{}/tm", pg::free_port());
    for args in [
        vec![
            "translate",
            "a.txt",
            "--backend",
            "openai",
            "--base-url",
            "http://127.0.0.1:9/v1",
        ],
        vec!["import", "a.md"],
        vec!["export-tm"],
    ] {
        let (run, _dir) = Bitext::new()
            .file("a.txt", "你好。\n")
            .file("a.md", "x\n")
            .env("OPENAI_API_KEY", "k")
            .env("BITEXT_CACHE", &url)
            .args(args.clone())
            .run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
        assert!(!run.stdout.contains("hunter2"), "{}", run.stdout);
        if args[0] != "import" {
            assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
            assert!(
                run.stderr.contains("postgres://ann@127.0.0.1:")
                    && run.stderr.contains("cannot connect"),
                "{}",
                run.stderr
            );
        }
        assert!(!run.dir.join("output").exists(), "nothing written");
    }
}
