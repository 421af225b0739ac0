//! The command line: the main job, batches, and bad input.

use crate::bitext_snapshot;
use crate::harness::Bitext;

#[test]
fn translate_writes_tmx_md_jsonl_for_the_reference_article() {
    let (run, _dir) = Bitext::new()
        .fixture("article.txt", "article.txt")
        .args(["translate", "article.txt"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.files("output"),
        ["article.jsonl", "article.md", "article.tmx"]
    );
    assert_eq!(run.stderr, "bitext: article.txt: 438 segments written\n");
    bitext_snapshot!(run, run.stdout);
}

#[test]
fn existing_outputs_need_force() {
    let (run, dir) = Bitext::new()
        .file("a.txt", "中文.测试.")
        .file("output/a.md", "keep me")
        .args(["translate", "a.txt"])
        .run();
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: output/a.md: already exists; pass --force to overwrite it\n"
    );
    assert_eq!(run.read("output/a.md"), "keep me");
    assert_eq!(run.files("output"), ["a.md"]);
    drop(dir);
    let (run, _dir) = Bitext::new()
        .file("a.txt", "中文.测试.")
        .file("output/a.md", "keep me")
        .args(["translate", "a.txt", "--force"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.read("output/a.md").starts_with("# Review: a.txt"));
}

/// Bad input: one line naming the thing and what to do, exit 2, and no
/// output file left behind.
#[test]
fn bad_input_is_one_clear_line_and_writes_nothing() {
    /// Name, arguments, files to create, expected stderr. `{os}` in it
    /// stands for the operating system's wording of an I/O error, which
    /// bitext passes on as it is (and which differs between systems).
    type Case<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a [u8])], &'a str);
    let cases: &[Case<'_>] = &[
        (
            "missing file",
            &["translate", "nope.txt"],
            &[],
            "error: nope.txt: no such file or directory; check the path\n",
        ),
        (
            "directory without text files",
            &["translate", "dir"],
            &[("dir/readme.md", b"# hi")],
            "error: dir: directory has no .txt files; pass text files or a directory that holds some\n",
        ),
        (
            "empty file",
            &["translate", "empty.txt"],
            &[("empty.txt", b"")],
            "error: empty.txt: file is empty or only whitespace; nothing to translate\n",
        ),
        (
            "whitespace only",
            &["translate", "blank.txt"],
            &[("blank.txt", "  \n\u{3000}\r\n\t\n".as_bytes())],
            "error: blank.txt: file is empty or only whitespace; nothing to translate\n",
        ),
        (
            "invalid UTF-8",
            &["translate", "bad.txt"],
            &[("bad.txt", b"abc\ndef \xc3\x28 \xa0\xa1 z\xff\n")],
            "error: bad.txt:2: not valid UTF-8 (bad byte at offset 8); convert the file to UTF-8 or pass --encoding\n",
        ),
        (
            "binary file",
            &["translate", "image.txt"],
            &[(
                "image.txt",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0",
            )],
            "error: image.txt: looks like a binary file (binary data at line 3); pass a plain-text file\n",
        ),
        (
            "unknown backend",
            &["translate", "a.txt", "--backend", "babelfish"],
            &[("a.txt", "中文.".as_bytes())],
            "error: unknown backend 'babelfish'; run `bitext backends` to list the backends\n",
        ),
        (
            "output directory is a file",
            &["translate", "a.txt", "-o", "taken"],
            &[("a.txt", "中文.".as_bytes()), ("taken", b"x")],
            "error: taken: cannot write to the output directory: {os}; choose another with -o\n",
        ),
        (
            "language tag",
            &["translate", "a.txt", "--target-lang", "english!"],
            &[("a.txt", "中文.".as_bytes())],
            "error: --target-lang 'english!' is not a language tag; write one like zh-CN or en-US\n",
        ),
        (
            "glossary with a bad row",
            &["translate", "a.txt", "--glossary", "g.tsv"],
            &[
                ("a.txt", "中文.".as_bytes()),
                ("g.tsv", "source\ttarget\n中文\tChinese\n英文\n".as_bytes()),
            ],
            "error: g.tsv:3: 1 columns where the header has 2; check for a missing or extra tab\n",
        ),
        (
            "unknown encoding",
            &["translate", "a.txt", "--encoding", "klingon"],
            &[("a.txt", "中文.".as_bytes())],
            "error: unknown encoding 'klingon'; use a WHATWG label such as utf-8, gbk, gb18030, big5, utf-16le\n",
        ),
    ];
    for (name, args, files, expected) in cases {
        let mut bitext = Bitext::new().args(*args);
        for (path, contents) in *files {
            bitext = bitext.file(path, contents);
        }
        let (run, _dir) = bitext.run();
        assert_eq!(run.code, 2, "{name}: exit code; stderr: {}", run.stderr);
        match expected.split_once("{os}") {
            Some((before, after)) => {
                let os = run
                    .stderr
                    .strip_prefix(before)
                    .and_then(|rest| rest.strip_suffix(after));
                assert!(
                    os.is_some_and(|os| !os.trim().is_empty() && !os.contains('\n')),
                    "{name}: expected {expected:?}, got {:?}",
                    run.stderr
                );
            }
            None => assert_eq!(&run.stderr, expected, "{name}"),
        }
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
        .file("in/notes.md", "ignored")
        .args(["translate", "in"])
        .run();
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "bitext: in/good.txt: 2 segments written\n\
         bitext: in/sub/more.txt: 1 segment written\n\
         error: in/empty.txt: file is empty or only whitespace; nothing to translate\n"
    );
    assert_eq!(
        run.files("output"),
        [
            "good.jsonl",
            "good.md",
            "good.tmx",
            "more.jsonl",
            "more.md",
            "more.tmx"
        ]
    );
}

#[test]
fn same_stems_in_a_batch_do_not_overwrite_each_other() {
    let (run, _dir) = Bitext::new()
        .file("a/x.txt", "甲.")
        .file("b/x.txt", "乙.")
        .args(["translate", "a/x.txt", "b/x.txt", "--formats", "jsonl"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.files("output"), ["x-2.jsonl", "x.jsonl"]);
    assert!(run.read("output/x.jsonl").contains("\"source\":\"甲.\""));
    assert!(run.read("output/x-2.jsonl").contains("\"source\":\"乙.\""));
}

#[test]
fn reads_standard_input_and_gbk() {
    let (gbk, _, _) = encoding_rs::GBK.encode("国土资源部召开会议。会议强调，要加强耕地保护。");
    let (run, _dir) = Bitext::new()
        .stdin(gbk.into_owned())
        .args(["translate", "-", "--formats", "jsonl"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let jsonl = run.read("output/stdin.jsonl");
    let sources: Vec<String> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        sources,
        ["国土资源部召开会议。", "会议强调，要加强耕地保护。"]
    );
}

#[test]
fn backends_lists_the_offline_default() {
    let (run, _dir) = Bitext::new().args(["backends"]).run();
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("dictionary\n"), "{}", run.stdout);
    assert!(run.stdout.contains("needs: nothing: no key, no network"));
}
