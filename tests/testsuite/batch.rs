//! Batches: stable output names (a directory argument's tree mirrored under
//! `-o`, file arguments by stem), and resuming a batch with
//! `--skip-existing`.

use crate::harness::{Bitext, Run};

/// The files below `sub` in a run's directory, relative to it, sorted.
fn tree(run: &Run, sub: &str) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = run.dir.join(sub);
    let mut out = Vec::new();
    if root.is_dir() {
        walk(&root, &root, &mut out);
    }
    out.sort();
    out
}

/// The `source` and `x-source-file` of an output: its first JSONL record's
/// source and the TMX header's source file.
fn source_file(run: &Run, stem: &str) -> (String, String) {
    let jsonl = run.read(&format!("{stem}.jsonl"));
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    let tmx = run.read(&format!("{stem}.tmx"));
    let prop = "<prop type=\"x-source-file\">";
    let start = tmx.find(prop).unwrap() + prop.len();
    let end = start + tmx[start..].find("</prop>").unwrap();
    (
        first["source"].as_str().unwrap().to_string(),
        tmx[start..end].to_string(),
    )
}

#[test]
fn a_directory_argument_is_mirrored_under_the_output_folder() {
    let (run, dir) = Bitext::new()
        .file("in/sub/deeper/a.txt", "深.")
        .file("in/a.txt", "浅.")
        .file("in/b/a.txt", "乙.")
        .args(["translate", "in", "-o", "out", "--formats", "jsonl,tmx"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        tree(&run, "out"),
        [
            "a.jsonl",
            "a.tmx",
            "b/a.jsonl",
            "b/a.tmx",
            "sub/deeper/a.jsonl",
            "sub/deeper/a.tmx"
        ]
    );
    assert_eq!(
        source_file(&run, "out/sub/deeper/a"),
        ("深.".to_string(), "in/sub/deeper/a.txt".to_string())
    );
    assert_eq!(
        source_file(&run, "out/b/a"),
        ("乙.".to_string(), "in/b/a.txt".to_string())
    );
    assert_eq!(
        source_file(&run, "out/a"),
        ("浅.".to_string(), "in/a.txt".to_string())
    );
    // The summary names every output by its path.
    assert!(
        run.stdout
            .contains("  in/sub/deeper/a.txt → out/sub/deeper/a.jsonl, out/sub/deeper/a.tmx\n"),
        "{}",
        run.stdout
    );

    // A new file with the same name elsewhere renames nothing.
    let (run, _dir) = Bitext::in_dir(dir)
        .file("in/0/a.txt", "新.")
        .args(["translate", "in", "-o", "out", "--formats", "jsonl,tmx"])
        .args(["--force"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(source_file(&run, "out/sub/deeper/a").0, "深.");
    assert_eq!(source_file(&run, "out/b/a").0, "乙.");
    assert_eq!(source_file(&run, "out/a").0, "浅.");
    assert_eq!(source_file(&run, "out/0/a").0, "新.");
}

#[test]
fn file_arguments_are_named_by_their_stem_and_keep_their_path() {
    let (run, _dir) = Bitext::new()
        .file("texts/one.txt", "一.")
        .file("two.txt", "二.")
        .args([
            "translate",
            "texts/one.txt",
            "two.txt",
            "--formats",
            "jsonl,tmx",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        tree(&run, "output"),
        ["one.jsonl", "one.tmx", "two.jsonl", "two.tmx"]
    );
    assert_eq!(source_file(&run, "output/one").1, "texts/one.txt");
    assert_eq!(source_file(&run, "output/two").1, "two.txt");
}

#[test]
fn a_file_argument_and_a_directory_file_with_one_name_are_refused() {
    let (run, _dir) = Bitext::new()
        .file("in/a.txt", "甲.")
        .file("a.txt", "乙.")
        .args(["translate", "in", "a.txt"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: in/a.txt and a.txt would both be written as output/a.*; rename one, or translate them in separate runs with different -o folders\n"
    );
    assert!(tree(&run, "output").is_empty());
}

#[test]
fn aligned_and_imported_files_are_found_in_a_mirrored_tree() {
    let (run, dir) = Bitext::new()
        .file("in/sub/a.txt", "中文.测试.\n")
        .args(["translate", "in", "--cache", "tm.redb"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (import, _dir) = Bitext::in_dir(dir)
        .args(["import", "output/sub/a.md", "--cache", "tm.redb"])
        .run();
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import
            .stdout
            .starts_with("output/sub/a.md: 2 Markdown rows compared with output/sub/a.jsonl"),
        "{}",
        import.stdout
    );
}

#[test]
fn existing_outputs_stop_a_batch_up_front_unless_skipped() {
    let (run, dir) = Bitext::new()
        .file("in/a.txt", "甲.")
        .file("in/b.txt", "乙.")
        .args(["translate", "in"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let a_before = run.read("output/a.md");

    // A new input: without --skip-existing the batch stops before any work.
    let (run, dir) = Bitext::in_dir(dir)
        .file("in/c.txt", "丙.")
        .args(["translate", "in"])
        .run();
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: output/a.tmx: already exists; pass --force to overwrite it, or --skip-existing to skip the inputs whose outputs all exist\n"
    );
    assert!(!run.dir.join("output/c.tmx").exists());

    // With it, the two done are skipped and counted, the new one translated.
    std::fs::write(run.dir.join("output/a.md"), "kept").unwrap();
    let (run, dir) = Bitext::in_dir(dir)
        .args(["translate", "in", "--skip-existing"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.read("output/a.md"), "kept");
    assert!(run.dir.join("output/c.tmx").exists());
    assert!(
        run.stdout
            .starts_with("Translated 1 file (1 paragraph, 1 segment)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n  skipped: 2 files whose outputs all exist (--skip-existing)\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "bitext: in/c.txt: 1 segment written\n");

    // Everything done: nothing to translate, and it says so.
    let (run, dir) = Bitext::in_dir(dir)
        .args(["translate", "in", "--skip-existing"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Nothing to translate: skipped 3 files whose outputs all exist (--skip-existing)\n"
    );

    // An input with only some of its outputs is not skipped, and is not
    // overwritten without --force.
    std::fs::remove_file(run.dir.join("output/b.jsonl")).unwrap();
    let (run, _dir) = Bitext::in_dir(dir)
        .args(["translate", "in", "--skip-existing"])
        .run();
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: output/b.tmx: already exists, but not every output of in/b.txt does; pass --force to translate it again and overwrite it\n"
    );
    assert_eq!(run.read("output/a.md"), "kept");
    drop(a_before);
}
