//! Tests of what the gloss must do, one rule per test.

use super::*;
use std::sync::OnceLock;

fn glosser() -> &'static Glosser {
    static GLOSSER: OnceLock<Glosser> = OnceLock::new();
    GLOSSER.get_or_init(|| Glosser::try_load().expect("embedded dictionaries load"))
}

fn gloss(text: &str) -> String {
    glosser().gloss(text, &[])
}

fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

// What the gloss must do. Each test asserts the rule it is named after,
// not the rest of the sentence: the gloss around it is word-by-word
// English, and sentences the gloss gets wrong are documented in
// `tests/fixtures/gloss/known-bad.tsv`, not asserted here.

/// `f` gives each input of `cases` its expected output.
#[track_caller]
fn assert_maps(f: impl Fn(&str) -> String, cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        assert_eq!(f(input), *expected, "{input:?}");
    }
}

fn assert_contains(text: &str, part: &str) {
    let out = gloss(text);
    assert!(out.contains(part), "{text} → {out:?}, expected {part:?}");
}

#[test]
fn dates() {
    assert_eq!(gloss("2011年4月26日."), "April 26, 2011.");
    assert_eq!(gloss("2010年4月."), "April 2010.");
    assert_contains("2012年9月19日下午.", "September 19, 2012");
}

#[test]
fn magnitudes_and_money() {
    assert_contains("提供1.05亿元资金.", "105 million yuan");
    assert_contains("投入资金1960万元.", "19.6 million yuan");
    assert!(gloss("20余万人饮水问题因此得以解决.").starts_with("More than 200,000 people "));
}

#[test]
fn counted_nouns_are_plural_and_classifiers_dropped() {
    assert_contains("5943名党员结合岗位实际作出公开承诺.", "5,943 party members");
    assert_contains(
        "国土资源部机关迎来了一批特殊的客人.",
        "a batch of special visitors",
    );
    assert_eq!(gloss("两年多来."), "For more than two years.");
}

#[test]
fn percentages_and_codes() {
    let out = gloss("全国有3.5万名干部参加，占百分之三十。");
    assert!(
        out.contains("35,000 cadres") && out.ends_with("30%."),
        "{out}"
    );
    // A hotline number is a code, not a quantity.
    assert_contains("国土资源部12336违法线索处理中心.", " 12336 ");
    assert_contains("成立90周年.", "90th anniversary");
}

#[test]
fn names_and_titles() {
    assert_contains(
        "徐绍史部长与各位记者亲切座谈.",
        "Minister Xu Shaoshi and all reporters",
    );
    assert!(gloss("校长谢国剑喜悦地说.").starts_with("President Xie Guojian "));
}

#[test]
fn fixed_terms_win_and_are_verbatim() {
    let text = "国土资源部创先争优活动";
    let end = "国土资源部".len();
    let fixed = [FixedTerm {
        span: 0..end,
        target: "the MLR",
    }];
    assert_eq!(
        glosser().gloss(text, &fixed),
        "The MLR strive for excellence activity"
    );
    let fixed = [FixedTerm {
        span: end..end + "创先争优".len(),
        target: "iExcel campaign",
    }];
    assert_eq!(
        glosser().gloss(text, &fixed),
        "Ministry of Land and Resources iExcel campaign activity"
    );
    // Mixed-case targets are not capitalised.
    let fixed = [FixedTerm {
        span: 0..end,
        target: "iMLR",
    }];
    assert!(glosser().gloss(text, &fixed).starts_with("iMLR "));
}

#[test]
fn bad_fixed_spans_are_ignored() {
    let text = "国土资源部";
    let fixed = [
        FixedTerm {
            span: 1..4,
            target: "X",
        },
        FixedTerm {
            span: 0..100,
            target: "Y",
        },
    ];
    assert_eq!(
        glosser().gloss(text, &fixed),
        "Ministry of Land and Resources"
    );
}

#[test]
fn chinese_punctuation_is_mapped() {
    let out = gloss("他说：“我们来了！”");
    assert!(
        out.starts_with("He ") && out.contains(": \"") && out.ends_with("!\""),
        "{out}"
    );
    assert_eq!(
        gloss("中石化、中海油……"),
        "China Petroleum and Chemical Corporation, China National Offshore Oil Corporation..."
    );
    let out = gloss("《人民日报》报道（记者张三）");
    assert!(
        out.starts_with("\"People's Daily\" ") && out.ends_with("(reporter John Doe)"),
        "{out}"
    );
}

#[test]
fn normalised_dots_and_quotes() {
    // Mid-segment "." is a comma; final "." a full stop; "'" a quote.
    let out = gloss("'特点'就是在破解'两难'局面过程中创先争优.");
    assert!(
        out.starts_with("\"Feature\" is ") && out.ends_with('.'),
        "{out}"
    );
    assert_eq!(out.matches('"').count(), 4, "{out}");
    assert_eq!(gloss("省.市.县."), "Province, city, county.");
}

#[test]
fn locatives_and_temporal_clauses() {
    assert!(gloss("在部党组的带领下.").starts_with("Under "));
    assert_contains("走在务实创新的大路上.", " on ");
    assert!(gloss("会议之后.").starts_with("After "));
    assert!(gloss("开展领导点评活动时.").starts_with("When "));
}

#[test]
fn function_words() {
    let out = gloss("把业务工作的薄弱环节作为党建工作的重要抓手.");
    assert!(
        out.starts_with("Take business work's weak link as "),
        "{out}"
    );
    assert!(gloss("使我感慨万千.").starts_with("Make me "));
    assert!(gloss("告诉他.").starts_with("Tell him"));
}

#[test]
fn approximate_numbers() {
    assert!(gloss("约四万名成年人.").starts_with("About 40,000 "));
    assert!(gloss("超过三亿人.").starts_with("More than 300 million people"));
    assert!(gloss("不到十天.").starts_with("Less than ten days"));
    assert!(gloss("将近一千人.").starts_with("Nearly "));
}

#[test]
fn durations_before_ago_and_after_later() {
    assert_eq!(gloss("半个月前."), "Half a month ago.");
    assert!(gloss("三年前，他来了。").starts_with("Three years ago, "));
    assert_eq!(gloss("两年后."), "Two years later.");
    // Not after a duration: a clause-closing 前/后 is still moved.
    assert!(gloss("会议之后.").starts_with("After "));
}

#[test]
fn hui_before_a_verb_or_adverb_is_will() {
    assert_contains("睡眠不足会明显增加风险。", " will ");
    assert_contains("价格会上涨。", " will ");
    assert_contains("工作会.", "meeting");
}

#[test]
fn vague_numbers_and_whole() {
    assert_contains("吸引来自几十个国家的摄影师。", "dozens of ");
    assert_contains("来了几百人.", "hundreds of people");
    assert!(gloss("只需要一个小时左右。").ends_with("about an hour."));
    assert_contains("周长约六公里.", "about six kilometers");
    assert_contains("整座城市.", "whole city");
}

#[test]
fn a_becomes_an_before_a_vowel() {
    assert_maps(
        |noun| join_words(&["a", noun]),
        &[
            ("hour", "an hour"),
            ("apple", "an apple"),
            ("university", "a university"),
            ("batch of", "a batch of"),
        ],
    );
}

fn join_words(words: &[&str]) -> String {
    let pieces: Vec<Piece> = words.iter().map(|w| Piece::word(*w, Class::Noun)).collect();
    join_pieces(&pieces)
}

#[test]
fn latin_text_is_kept() {
    let out = gloss("使用GPS定位3次。");
    assert!(out.contains(" GPS ") && out.ends_with(" 3 times."), "{out}");
    assert_eq!(gloss("5G网络"), "5G network");
}

#[test]
fn empty_and_odd_input() {
    // Latin words are copied as written, even at the start.
    assert_maps(
        gloss,
        &[("", ""), ("...", ",,."), ("  ", ""), ("abc", "abc")],
    );
}

#[test]
fn pluralise_rules() {
    assert_maps(
        pluralise,
        &[
            ("party member", "party members"),
            ("city", "cities"),
            ("batch", "batches"),
            ("person", "people"),
            ("media", "media"),
            ("reporters", "reporters"),
            ("day", "days"),
        ],
    );
}

#[test]
fn whole_article_glosses_without_panics_or_han() {
    let text = include_str!("../../../../examples/article.txt");
    let g = glosser();
    let mut clauses = 0;
    let doc = crate::segment::Segmenter::default().document("article.txt", "UTF-8", text);
    for segment in doc.segments() {
        {
            let clause = segment.content();
            clauses += 1;
            let out = g.gloss(clause, &[]);
            assert!(!has_han(&out), "Han left in gloss of {clause:?}: {out:?}");
            assert!(!out.contains("  "), "double space in {out:?}");
            assert!(!out.is_empty(), "empty gloss for {clause:?}");
        }
    }
    assert!(clauses >= 20, "only {clauses} clauses");
}
