//! Tests of SRX reading and splitting, against OmegaT's default rules and
//! a naive reference implementation of the specification.

use super::*;
use crate::segment::srx::compiled::fancy;
use crate::segment::srx::java::translate;
use fancy_regex::RegexInput;

const OMEGAT: &str = include_str!("../../../tests/standards/omegat-defaultRules.srx");

fn omegat() -> Srx {
    Srx::parse("omegat-defaultRules.srx", OMEGAT).unwrap()
}

fn seg<'t>(rules: &SrxRules, text: &'t str) -> Vec<&'t str> {
    rules.split(text).into_iter().map(|r| &text[r]).collect()
}

/// An SRX 2.0 file with the given header attributes, language rules
/// (name, rules XML) and maps (pattern, name).
fn srx(header: &str, rules: &[(&str, &str)], maps: &[(&str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n<header {header}/>\n<body>\n<languagerules>\n"
    );
    for (name, xml) in rules {
        s.push_str(&format!(
            "<languagerule languagerulename=\"{name}\">\n{xml}\n</languagerule>\n"
        ));
    }
    s.push_str("</languagerules>\n<maprules>\n");
    for (pattern, name) in maps {
        s.push_str(&format!(
            "<languagemap languagepattern=\"{pattern}\" languagerulename=\"{name}\"/>\n"
        ));
    }
    s.push_str("</maprules>\n</body>\n</srx>\n");
    s
}

fn rule(breaks: bool, before: &str, after: &str) -> String {
    format!(
        "<rule break=\"{}\"><beforebreak>{before}</beforebreak><afterbreak>{after}</afterbreak></rule>",
        if breaks { "yes" } else { "no" }
    )
}

fn err(text: &str) -> String {
    Srx::parse("bad.srx", text).unwrap_err().to_string()
}

#[test]
fn reads_omegat_default_rules_without_cascade_in_the_header() {
    let srx = omegat();
    assert!(srx.cascade(), "a header without cascade cascades");
    assert!(srx.segment_subflows());
    assert_eq!(srx.version(), "2.0");
    assert_eq!(srx.language_rule_names().count(), 16);
    assert_eq!(
        srx.rule_names_for("zh-CN"),
        ["Chinese", "Default", "Text", "HTML"]
    );
    assert_eq!(srx.rule_names_for("en-US")[0], "English");
    assert_eq!(srx.rules_for("zh-CN").unwrap().len(), 3 + 3 + 1 + 1);
}

#[test]
fn omegat_chinese_rules_on_chinese_text() {
    let rules = omegat().rules_for("zh-CN").unwrap();
    assert_eq!(
        seg(
            &rules,
            "他说：“我们一定完成任务。”大家鼓掌。真好！还有吗？好。"
        ),
        [
            "他说：“我们一定完成任务。”大家鼓掌。",
            "真好！",
            "还有吗？",
            "好。"
        ]
    );
    // Commas and full stops inside the text never break; a closing
    // bracket or a second question mark stays with its sentence.
    assert_eq!(
        seg(&rules, "增长3.5%，占比（约一半。）其余？？下一句"),
        ["增长3.5%，占比（约一半。）其余？？", "下一句"]
    );
    // OmegaT's Chinese rules keep ？ before ？ but not before ！.
    assert_eq!(seg(&rules, "谁敢？！违法"), ["谁敢？", "！", "违法"]);
    // The Default rules also apply (cascade), after the Chinese ones:
    // an ASCII `?` before white space breaks, but the Chinese exception
    // for `.` comes first.
    assert_eq!(
        seg(&rules, "Is it open? Yes. Most of it.”他回答。"),
        ["Is it open? ", "Yes. Most of it.”他回答。"]
    );
}

#[test]
fn omegat_english_exceptions() {
    let rules = omegat().rules_for("en-GB").unwrap();
    assert_eq!(
        seg(
            &rules,
            "Mr. Smith met Dr. Jones, e.g. at noon. They talked. E.G. this"
        ),
        [
            "Mr. Smith met Dr. Jones, e.g. at noon. ",
            "They talked. ",
            "E.G. this"
        ]
    );
    assert_eq!(
        seg(&rules, "It was 5 p.m. and late. See No. 5 now."),
        ["It was 5 p.m. and late. ", "See No. 5 now."]
    );
    // `etc.` is an exception only before a lower-case word.
    assert_eq!(
        seg(&rules, "apples, pears etc. and more etc. Then"),
        ["apples, pears etc. and more etc. ", "Then"]
    );
    // Default's `...` exception before a lower-case word.
    assert_eq!(
        seg(&rules, "Wait... what? Yes!! Go."),
        ["Wait... what? ", "Yes!! ", "Go."]
    );
}

#[test]
fn first_matching_rule_wins() {
    let text = srx(
        "cascade=\"yes\" segmentsubflows=\"yes\"",
        &[
            (
                "A",
                &[rule(false, r"x\.", r"\s"), rule(true, r"\.", r"\s")].concat(),
            ),
            ("B", &rule(false, r"\.", r"\s")),
        ],
        &[("en.*", "A"), ("e.*", "B")],
    );
    let srx = Srx::parse("t.srx", &text).unwrap();
    let rules = srx.rules_for("en").unwrap();
    // The exception in A comes first, then A's break rule beats B's
    // exception.
    assert_eq!(seg(&rules, "a x. b. c"), ["a x. b. ", "c"]);
    // Rule order, not match length or position, decides.
    let rules = srx.rules_for("es").unwrap();
    assert_eq!(seg(&rules, "a x. b. c"), ["a x. b. c"]);
}

#[test]
fn cascade_no_uses_only_the_first_map() {
    let rules = [("A", rule(true, "a", "")), ("B", rule(true, "b", ""))];
    let rules: Vec<(&str, &str)> = rules.iter().map(|(n, r)| (*n, r.as_str())).collect();
    let maps = [(".*", "A"), (".*", "B")];
    let yes = Srx::parse("t.srx", &srx("cascade=\"yes\"", &rules, &maps)).unwrap();
    let no = Srx::parse("t.srx", &srx("cascade=\"no\"", &rules, &maps)).unwrap();
    assert_eq!(
        seg(&yes.rules_for("xx").unwrap(), "abab"),
        ["a", "b", "a", "b"]
    );
    assert_eq!(seg(&no.rules_for("xx").unwrap(), "abab"), ["a", "ba", "b"]);
    assert_eq!(no.rule_names_for("xx"), ["A"]);
}

#[test]
fn language_patterns_match_the_whole_code_case_insensitively() {
    let r = rule(true, "a", "");
    let text = srx("", &[("Z", &r)], &[("ZH", "Z")]);
    let srx = Srx::parse("t.srx", &text).unwrap();
    assert_eq!(srx.rule_names_for("zh"), ["Z"]);
    assert!(srx.rule_names_for("zh-CN").is_empty());
    let e = srx.rules_for("zh-CN").unwrap_err().to_string();
    assert!(e.starts_with("t.srx:"), "{e}");
    assert!(
        e.contains("no <languagemap> matches the language 'zh-CN'"),
        "{e}"
    );
}

#[test]
fn overlapping_beforebreak_matches_are_all_candidates() {
    // `[.?!]+` matches "?!" ending after "!" and also "?" ending after
    // "?"; the no-break rule must see both ends.
    let rules = [rule(false, r"\?", "!"), rule(true, r"[\.\?\!]+", "")].concat();
    let text = srx("", &[("A", &rules)], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("en").unwrap();
    assert_eq!(r.breaks("a?!b"), [3]);
    assert_eq!(seg(&r, "a?!b. c?d"), ["a?!", "b. ", "c?", "d"]);
    // A longer match starting earlier also ends at every later end.
    let text = srx("", &[("A", &rule(true, "ab+", "c"))], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("en").unwrap();
    assert_eq!(r.breaks("xabbbc"), [5]);
}

#[test]
fn lookaround_and_backreferences_use_fancy_regex() {
    let rules = [
        rule(false, r"(?&lt;![A-Z])[A-Z]\.", r"\s"),
        rule(false, r"(\w)\1\.", ""),
        rule(true, r"\.", r"\s(?=\p{Lu})"),
    ]
    .concat();
    let text = srx("", &[("A", &rules)], &[(".*", "A")]);
    let srx = Srx::parse("t.srx", &text).unwrap();
    let r = srx.rules_for("en").unwrap();
    assert_eq!(
        seg(&r, "J. Smith. Go. Zoo. Ok. lower. End"),
        ["J. Smith. ", "Go. ", "Zoo. Ok. lower. ", "End"]
    );
}

#[test]
fn empty_patterns_match_anywhere() {
    let rules = [rule(false, "", "b"), rule(true, "", "")].concat();
    let text = srx("", &[("A", &rules)], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(seg(&r, "abcb中"), ["ab", "cb", "中"]);
    // A rule with no break attribute breaks; missing patterns are empty.
    let text = srx(
        "",
        &[(
            "A",
            "<rule><beforebreak>,</beforebreak></rule><rule break=\"no\"/>",
        )],
        &[(".*", "A")],
    );
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(seg(&r, "a,b,c"), ["a,", "b,", "c"]);
}

#[test]
fn beforebreaks_that_match_anywhere_are_found_from_the_afterbreak() {
    // As in OmegaT's German rules: `.*` before, a domain after.
    let rules = [rule(false, ".*", r"\.at\b"), rule(true, "[a-z]", r"\.")].concat();
    let text = srx("", &[("A", &rules)], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(seg(&r, "x.de y.at z.atom"), ["x", ".de y.at z", ".atom"]);
    // Every start of an afterbreak match counts, overlapping ones too.
    let text = srx("", &[("A", &rule(true, ".*", "aa"))], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(r.breaks("xaaa"), [1, 2]);
    // With a fancy afterbreak every position is checked.
    let text = srx("", &[("A", &rule(true, "", "(?=b)"))], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(seg(&r, "ab中b"), ["a", "b中", "b"]);
}

#[test]
fn whitespace_after_a_break_stays_left() {
    let text = srx("", &[("A", &rule(true, r"\.", ""))], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(
        seg(&r, "a.  b. \u{3000}c.  "),
        ["a.  ", "b. \u{3000}", "c.  "]
    );
    assert_eq!(seg(&r, ".a."), [".", "a."]);
    assert!(r.split("").is_empty());
}

#[test]
fn srx_1_0_files_are_read() {
    let text = r#"<?xml version="1.0"?>
<srx version="1.0"><header segmentsubflows="yes"/><body>
<languagerules>
  <languagerule languagerulename="A"><rule break="yes"><beforebreak>a</beforebreak><afterbreak></afterbreak></rule></languagerule>
  <languagerule languagerulename="B"><rule break="yes"><beforebreak>b</beforebreak><afterbreak/></rule></languagerule>
</languagerules>
<maprules>
  <maprule maprulename="first"><languagemap languagepattern=".*" languagerulename="A"/><languagemap languagepattern=".*" languagerulename="B"/></maprule>
  <maprule maprulename="second"><languagemap languagepattern="zz" languagerulename="B"/></maprule>
</maprules></body></srx>"#;
    let srx = Srx::parse("old.srx", text).unwrap();
    assert!(!srx.cascade());
    assert_eq!(srx.rule_names_for("zz"), ["A"]);
    assert_eq!(seg(&srx.rules_for("zz").unwrap(), "xaxbx"), ["xa", "xbx"]);
}

#[test]
fn entities_and_cdata_in_patterns() {
    let rules = "<rule><beforebreak>&lt;br&#x2F;&gt;</beforebreak><afterbreak><![CDATA[<]]></afterbreak></rule>";
    let text = srx("", &[("A", rules)], &[(".*", "A")]);
    let r = Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap();
    assert_eq!(seg(&r, "a<br/><b<br/>c"), ["a<br/>", "<b<br/>c"]);
}

#[test]
fn errors_name_the_file_and_line() {
    let rules = [
        rule(true, "a", ""),
        "\n".into(),
        rule(true, r"(?&lt;=a+)\1(", ""),
    ]
    .concat();
    let e = err(&srx("", &[("A", &rules)], &[(".*", "A")]));
    // Line 1 is the XML declaration, 6 the <languagerule> line, 8 the
    // second rule.
    assert!(
        e.starts_with("bad.srx:8: beforebreak `(?<=a+)\\1(` cannot be used: "),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");

    let e = err(&srx("", &[("A", &rule(true, "", r"\X"))], &[(".*", "A")]));
    assert!(
        e.contains("afterbreak `\\X` cannot be used: grapheme"),
        "{e}"
    );

    let e = err(&srx("cascade=\"maybe\"", &[("A", "")], &[(".*", "A")]));
    assert!(
        e.starts_with("bad.srx:3: <header cascade=\"maybe\">"),
        "{e}"
    );

    let e = err(&srx("", &[("A", "")], &[(".*", "Nope")]));
    assert!(e.contains("'Nope', which does not exist"), "{e}");

    let e = err("<srx version=\"2.0\"><header/>\n<body><languagerules>\n</languagerule>");
    assert!(e.starts_with("bad.srx:3: not well-formed XML"), "{e}");
    assert!(!e.contains('\n'), "{e}");

    assert!(err("<tmx/>").contains("not an SRX file"));
    assert!(err("<srx version=\"3.0\"/>").contains("not supported"));
}

#[test]
fn from_file_reports_missing_files() {
    let e = Srx::from_file(Path::new("/nonexistent/x.srx")).unwrap_err();
    assert!(e.to_string().contains("no such file"), "{e}");
}

/// Throughput on ~20 MB of text; run with
/// `cargo test --release --lib srx_throughput -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark"]
fn srx_throughput() {
    use std::time::Instant;
    let t = Instant::now();
    let srx = omegat();
    println!(
        "load OmegaT rules: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let zh_text = [
        include_str!("../../../tests/fixtures/article.txt"),
        include_str!("../../../tests/fixtures/segment/standard.txt"),
        include_str!("../../../tests/fixtures/segment/normalized.txt"),
    ]
    .concat();
    let en_text = "Mr. Smith met Dr. Jones, e.g. at noon on the U.K. coast. They talked \
                   for 5 min. about No. 5 and fig. 3... then left. Why? Nobody knows! \
                   The approx. cost was high, i.e. too high etc. and so on. End.\n";
    for (lang, sample) in [
        ("zh-CN", zh_text.as_str()),
        ("en-US", en_text),
        ("de-DE", en_text),
    ] {
        let t = Instant::now();
        let rules = srx.rules_for(lang).unwrap();
        let build = t.elapsed();
        let text = sample.repeat(20_000_000 / sample.len() + 1);
        let mb = text.len() as f64 / 1e6;
        // Paragraph by paragraph, as Segmenter::document calls it.
        let t = Instant::now();
        let mut segments = 0;
        for line in crate::segment::lines(&text) {
            segments += rules.split(&text[line.span]).len();
        }
        let per_line = t.elapsed().as_secs_f64();
        // The whole text as one paragraph.
        let t = Instant::now();
        let whole = rules.split(&text).len();

        let one = t.elapsed().as_secs_f64();
        println!(
            "{lang}: {} rules (built in {:.1} ms), {mb:.1} MB: per paragraph {:.1} MB/s \
             ({segments} segments), as one text {:.1} MB/s ({whole} segments)",
            rules.len(),
            build.as_secs_f64() * 1e3,
            mb / per_line,
            mb / one,
        );
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static ZH: LazyLock<SrxRules> = LazyLock::new(|| omegat().rules_for("zh-CN").unwrap());
    static EN: LazyLock<SrxRules> = LazyLock::new(|| omegat().rules_for("en").unwrap());

    fn any_text() -> impl Strategy<Value = String> {
        let tricky = prop::collection::vec(
            prop::sample::select(vec![
                "中", "。", "？", "！", "”", "」", "—", ".", "?", "!", " ", "\u{3000}", "\n", "Mr",
                "e.g", "A", "a", "1", "…", "\u{feff}", "é", ".at", "b", "x", "aa", "no", "etc",
            ]),
            0..60,
        )
        .prop_map(|v| v.concat());
        prop_oneof![any::<String>(), tricky]
    }

    /// The breaks by the letter of the specification: at every position,
    /// the first rule whose beforebreak matches text ending there (a
    /// fancy-regex look-behind) and whose afterbreak matches there.
    fn naive_breaks(rules: &SrxRules, text: &str) -> Vec<usize> {
        let compiled: Vec<_> = rules
            .inner
            .rules
            .iter()
            .map(|r| {
                let re = |java: &str, wrap: fn(&str) -> String| {
                    fancy(&wrap(&translate(java).unwrap().fancy)).unwrap()
                };
                (
                    r.breaks,
                    re(&r.java.0, |p| format!("(?<={p})")),
                    re(&r.java.1, |p| p.to_string()),
                )
            })
            .collect();
        let at = |re: &fancy_regex::Regex, pos| {
            re.find_input(RegexInput::new(text).from_pos(pos).anchored(true))
                .unwrap()
                .is_some_and(|m| m.start() == pos)
        };
        text.char_indices()
            .skip(1)
            .map(|(pos, _)| pos)
            .filter(|&pos| {
                compiled
                    .iter()
                    .find(|(_, before, after)| at(before, pos) && at(after, pos))
                    .is_some_and(|(breaks, _, _)| *breaks)
            })
            .collect()
    }

    /// Rules whose beforebreak matches overlap, start anywhere, or need
    /// fancy-regex.
    static MIXED: LazyLock<SrxRules> = LazyLock::new(|| {
        let rules = [
            rule(false, r"[\.\?!]+", "[!?]"),
            rule(false, ".*", r"\.at\b"),
            rule(false, r"(?&lt;![A-Z])[A-Z]\.", r"\s"),
            rule(false, r"(\w)\1\.", ""),
            rule(true, r"\ba+", "b"),
            rule(true, r"[\.\?!。]+", ""),
            rule(true, "", "(?=x)"),
        ]
        .concat();
        let text = srx("", &[("A", &rules)], &[(".*", "A")]);
        Srx::parse("t.srx", &text).unwrap().rules_for("x").unwrap()
    });

    proptest! {
        #[test]
        fn srx_splitting_is_lossless(text in any_text(), which in 0..3usize) {
            let rules = [&*ZH, &*EN, &*MIXED][which];
            let ranges = rules.split(&text);
            let mut at = 0;
            for r in &ranges {
                prop_assert_eq!(r.start, at);
                prop_assert!(r.end > r.start);
                prop_assert!(text.is_char_boundary(r.end));
                at = r.end;
            }
            prop_assert_eq!(at, text.len());
            // Every segment but the first starts with a non-space.
            for r in ranges.iter().skip(1) {
                prop_assert!(!text[r.clone()].starts_with(char::is_whitespace));
            }
        }

        #[test]
        fn srx_breaks_match_the_naive_reference(text in any_text(), which in 0..3usize) {
            let rules = [&*ZH, &*EN, &*MIXED][which];
            prop_assert_eq!(rules.breaks(&text), naive_breaks(rules, &text));
        }
    }
}
