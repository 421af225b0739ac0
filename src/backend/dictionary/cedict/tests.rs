//! Unit tests of the CC-CEDICT reader.

use super::*;

const SAMPLE: &str = "\
# comment line\r
徐 徐 [Xu2] /surname Xu/\r
徐 徐 [xu2] /slowly/gently/\r
紹 绍 [Shao4] /surname Shao/\r
紹 绍 [shao4] /to continue/to carry on/\r
史 史 [Shi3] /surname Shi/\r
史 史 [shi3] /history/annals/\r
個 个 [ge4] /(classifier used before a noun that has no specific classifier)/(bound form) individual/\r
的 的 [de5] /particle used after an attribute/of; ~'s (possessive particle)/\r
矣 矣 [yi3] /classical final particle, similar to modern 了[le5]/\r
簫 箫 [xiao1] /xiao, a Chinese musical instrument of ancient times, similar to panpipes/\r
雨 雨 [yu3] /rain/CL:陣|阵[zhen4],場|场[chang2]/\r
雨 雨 [yu4] /(literary) to rain/(of rain, snow etc) to fall/to precipitate/to wet/\r
箇 个 [ge4] /variant of 個|个[ge4]/\r
水土 水土 [shui3 tu3] /water and soil/(fig.) natural environment/\r
鹽 盐 [yan2] /salt/CL:袋[dai4]/\r
黨建 党建 [dang3 jian4] /abbr. for 黨的建設|党的建设[dang3 de5 jian4 she4], party building/\r
黨的建設 党的建设 [dang3 de5 jian4 she4] /party building/\r
國土資源部 国土资源部 [Guo2 tu3 Zi1 yuan2 bu4] /Ministry of Land and Resources (MLR), formed in 1998/\r
礦物質 矿物质 [kuang4 wu4 zhi4] /mineral (such as water or minerals)/\r
著 着 [zhuo2] /(literary) to wear (clothes)/\r
咱 咱 [za2] /(dialect) we/\r
蝴 蝴 [hu2] /used in 蝴蝶[hu2 die2]/\r
蝴蝶 蝴蝶 [hu2 die2] /butterfly/\r
綠 绿 [lu:4] /green/\r
西安 西安 [Xi1 an1] /Xi'an city/\r
歐陽 欧阳 [Ou1 yang2] /surname Ouyang/\r
修 修 [xiu1] /to repair/\r
幫助 帮助 [bang1 zhu4] /to help sb; to assist/assistance/\r
一石二鳥 一石二鸟 [yi1 shi2 er4 niao3] /lit. one stone, two birds/fig. to kill two birds with one stone/\r
出租 出租 [chu1 zu1] /(Tw) taxi/to rent/\r
";

fn sample() -> Cedict {
    Cedict::from_text(SAMPLE.to_string()).expect("sample loads")
}

/// The sample dictionary glosses each word of `cases` as given.
#[track_caller]
fn assert_glosses(cases: &[(&str, Option<&str>)]) {
    let d = sample();
    for (word, gloss) in cases {
        assert_eq!(d.gloss(word), *gloss, "{word}");
    }
}

#[test]
fn glosses_prefer_common_entries() {
    assert_glosses(&[
        ("徐", Some("slowly")),
        ("史", Some("history")),
        ("绍", Some("continue")),
        ("国土资源部", Some("Ministry of Land and Resources")),
        ("不存在", None),
    ]);
}

#[test]
fn glosses_are_cleaned() {
    assert_glosses(&[
        ("个", Some("individual")),
        ("盐", Some("salt")),
        ("矿物质", Some("mineral")),
        ("着", Some("wear")),
        ("帮助", Some("help")),
        ("党建", Some("party building")),
        ("一石二鸟", Some("kill two birds with one stone")),
        ("出租", Some("rent")),
        // A sense that describes the word is skipped for one that
        // translates it, and a word with only such senses glosses as
        // nothing.
        ("的", Some("of")),
        ("矣", Some("")),
        // A literary sense translates: it is not passed over.
        ("雨", Some("rain")),
    ]);
    assert!(
        sample()
            .gloss("箫")
            .is_some_and(|g| g.starts_with("xiao, "))
    );
}

#[test]
fn glosses_follow_references_and_last_resorts() {
    assert_glosses(&[("蝴", Some("butterfly")), ("咱", Some("we"))]);
}

#[test]
fn pinyin_and_names() {
    let d = sample();
    assert_eq!(d.pinyin("徐绍史").as_deref(), Some("xu shao shi"));
    assert_eq!(d.pinyin("绿").as_deref(), Some("lü"));
    assert_eq!(d.pinyin("徐龘"), None);
    assert_eq!(d.name_pinyin("徐绍史").as_deref(), Some("Xu Shaoshi"));
    assert_eq!(d.name_pinyin("欧阳修").as_deref(), Some("Ouyang Xiu"));
    assert_eq!(d.place_pinyin("西安").as_deref(), Some("Xi'an"));
    assert!(d.is_surname("徐"));
    assert!(!d.is_surname("修"));
}

#[test]
fn index_helpers() {
    let d = sample();
    assert!(d.contains("蝴蝶"));
    assert_eq!(d.longest_prefix("蝴蝶飞"), Some("蝴蝶".len()));
    assert_eq!(d.longest_prefix("飞"), None);
    assert!(d.has_common_entry("徐"));
    assert!(d.has_proper_entry("国土资源部"));
    assert!(!d.has_common_entry("国土资源部"));
}

#[test]
fn traditional_text_is_simplified_from_the_two_columns() {
    let d = sample();
    assert_eq!(d.simplify("綠蝴蝶").as_deref(), Some("绿蝴蝶"));
    assert_eq!(d.simplify("綠黨建").as_deref(), Some("绿党建"));
    // Simplified text (and text without Chinese) is left alone.
    assert_eq!(d.simplify("绿党建"), None);
    assert_eq!(d.simplify("abc"), None);
    let d = Cedict::load().unwrap();
    assert_eq!(
        d.simplify("臺灣總統於今天發表聲明，穿著外套。").as_deref(),
        Some("台湾总统于今天发表声明，穿着外套。")
    );
    // `著` is simplified too: in a traditional text it is read by word.
    assert_eq!(d.simplify("這些著作").as_deref(), Some("这些著作"));
    let article = include_str!("../../../../examples/article.txt");
    assert_eq!(d.simplify(article), None, "simplified text changed");
}

#[test]
fn rejects_bad_gzip() {
    assert!(Cedict::from_gzip(b"not gzip").is_err());
}

#[test]
fn empty_dictionary_misses() {
    let d = Cedict::empty();
    assert!(d.is_empty());
    assert_eq!(d.gloss("中国"), None);
    assert_eq!(d.pinyin("中国"), None);
}

#[test]
fn embedded_dictionary_loads() {
    let d = Cedict::load().expect("embedded CEDICT loads");
    assert!(d.len() > 100_000);
    assert_eq!(d.gloss("党员"), Some("party member"));
    assert_eq!(d.gloss("记者"), Some("reporter"));
    assert_eq!(
        d.gloss("国土资源部"),
        Some("Ministry of Land and Resources")
    );
    assert_eq!(d.pinyin("中国").as_deref(), Some("zhong guo"));
    assert_eq!(d.name_pinyin("徐绍史").as_deref(), Some("Xu Shaoshi"));
}
