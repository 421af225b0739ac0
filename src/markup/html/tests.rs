//! Tests of the HTML format: blocks, codes, entities, attributes, nesting,
//! and any tag soup; and the property tests of both document formats
//! (Markdown's too), which share the block checks of the fuzz target.

use super::*;
use crate::markup::BlockKind;
use crate::markup::Skeleton;
use crate::markup::codes::strip;

#[path = "../../../fuzz/common/blocks.rs"]
mod blocks;

fn texts(source: &str) -> Vec<(BlockKind, String)> {
    Html.blocks(source)
        .into_iter()
        .map(|b| (b.kind, b.text))
        .collect()
}

/// `block` rendered with the translation `text` is `expected`.
#[track_caller]
fn assert_renders(block: &Block, text: &str, expected: &str) {
    assert_eq!(Html.render(block, text), expected);
}

/// The source rebuilt from its blocks' own texts: every block rendered
/// with its source text.
fn round_trip(source: &str) -> String {
    let blocks = Html.blocks(source);
    let mut out = String::new();
    let mut pos = 0;
    for b in &blocks {
        assert!(b.span.start >= pos, "{blocks:?}");
        out.push_str(&source[pos..b.span.start]);
        out.push_str(&Html.render(b, &b.text));
        pos = b.span.end;
    }
    out.push_str(&source[pos..]);
    out
}

#[test]
fn blocks_codes_and_what_is_left_alone() {
    let src = "<!DOCTYPE html>\n<html lang=\"zh\"><head><title>标题 &amp; 副标题</title>\n<script>var a = \"<p>中文</p>\";</script></head>\n<body><h1>一个<em>标题</em></h1>\n<p>正文有<b>粗体</b>和<a href=\"a.html?x=1&amp;y=2\">链接</a>，<code>代码</code>。</p>\n<pre>代码块</pre>\n<p translate=\"no\">不译</p><p>看<span translate=no>名字</span>吧</p>\n</body></html>\n";
    assert_eq!(
        texts(src),
        [
            (BlockKind::Other, "标题 & 副标题".to_string()),
            (BlockKind::Heading(1), "一个⟨1⟩标题⟨/1⟩".to_string()),
            (
                BlockKind::Paragraph,
                "正文有⟨1⟩粗体⟨/1⟩和⟨2⟩链接⟨/2⟩，⟨3/⟩。".to_string()
            ),
            (BlockKind::Paragraph, "看⟨1/⟩吧".to_string()),
        ]
    );
    assert_eq!(round_trip(src), src);
    let para = &Html.blocks(src)[2];
    assert_eq!(para.codes[2].markup, "<a href=\"a.html?x=1&amp;y=2\">");
    assert_eq!(para.codes[4].markup, "<code>代码</code>");
}

#[test]
fn entities_are_decoded_and_escaped_again() {
    let src = "<p>甲&nbsp;乙 &lt;丙&gt; &amp 丁&#x4e2d;&#20013;</p>";
    let blocks = Html.blocks(src);
    assert_eq!(blocks[0].text, "甲\u{a0}乙 <丙> & 丁中中");
    assert_renders(
        &blocks[0],
        "a < b & \"c\" > d",
        "a &lt; b &amp; \"c\" &gt; d",
    );
}

#[test]
fn attributes_are_blocks_or_pairs() {
    let src = "<head><meta name=\"description\" content=\"一篇&quot;文章&quot;\"></head><p title='提示'>看<img src=a.png alt=图片>这里</p><figure><img src=\"b.png\" alt=\"图二\"><figcaption>说明</figcaption></figure>";
    let blocks = Html.blocks(src);
    let got: Vec<(&str, Option<&Place>)> = blocks
        .iter()
        .map(|b| (b.text.as_str(), b.place.as_ref()))
        .collect();
    assert_eq!(
        got[0],
        ("一篇\"文章\"", Some(&Place::Attribute { quote: Some('"') }))
    );
    assert_eq!(
        got[1],
        ("提示", Some(&Place::Attribute { quote: Some('\'') }))
    );
    assert_eq!(got[2].0, "看⟨1⟩图片⟨/1⟩这里");
    assert_eq!(got[3].0, "⟨1⟩图二⟨/1⟩");
    assert_eq!(got[4].0, "说明");
    // Escaped for the attribute; an unquoted one gets quotes.
    assert_renders(&blocks[0], "an \"article\"", "an &quot;article&quot;");
    assert_renders(&blocks[1], "it's", "it&#39;s");
    assert_renders(
        &blocks[2],
        "see the ⟨1⟩\"picture\"⟨/1⟩ here",
        "see the <img src=a.png alt=\"&quot;picture&quot;\"> here",
    );
    // In a bilingual document, an image alone gets both alt texts.
    let skeleton = Skeleton::parse(
        crate::markup::FormatKind::Html,
        "<p><img src=x alt=图></p>".into(),
    );
    assert_eq!(
        skeleton.bilingual(&["⟨1⟩Picture⟨/1⟩".into()], &Langs::new("zh", "en")),
        "<p><img src=x alt=\"图 / Picture\"></p>"
    );
    // A code put inside the alt text comes after the image.
    let p = Html.blocks("<p>看<img alt=\"图\" src=x>和<b>粗</b></p>");
    assert_renders(
        &p[0],
        "see ⟨1⟩pic ⟨2⟩bold⟨/2⟩⟨/1⟩ and",
        "see <img alt=\"pic bold\" src=x><b></b> and",
    );
}

#[test]
fn unclosed_elements_and_nesting() {
    let src = "<UL>\n<LI>第一项\n<li>第二项<ul><li>子项</ul>\n<li><p>段落项</p></li>\n</ul>\n<P>甲段\n<p>乙段<table><tr><td>格一<td>格二</table>";
    let blocks = Html.blocks(src);
    let got: Vec<(BlockKind, &str)> = blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
    assert_eq!(
        got,
        [
            (BlockKind::ListItem, "第一项"),
            (BlockKind::ListItem, "第二项"),
            (BlockKind::ListItem, "子项"),
            (BlockKind::Paragraph, "段落项"),
            (BlockKind::Paragraph, "甲段"),
            (BlockKind::Paragraph, "乙段"),
            (BlockKind::TableCell, "格一"),
            (BlockKind::TableCell, "格二"),
        ]
    );
    assert_eq!(round_trip(src), src);
    // The first item ends where the second starts; the second holds a
    // nested list, so its translation goes beside its text.
    assert_eq!(
        blocks[0].place,
        Some(Place::Element {
            name: "li".into(),
            end: src.find("<li>第二").unwrap()
        })
    );
    assert_eq!(blocks[1].place, None);
    assert_eq!(&src[blocks[4].span.clone()], "甲段");
}

#[test]
fn misnested_and_stray_tags_stay_in_place() {
    let src = "<p>一<b>二<i>三</b>四</i>五</span>六<!-- 注 -->七</p>";
    let blocks = Html.blocks(src);
    assert_eq!(blocks.len(), 1);
    assert_eq!(strip(&blocks[0].text), "一二三四五六七");
    assert_eq!(round_trip(src), src);
}

#[test]
fn documents_in_other_languages() {
    let src = "<!doctype html><html><head><meta charset=gbk></head><body><p lang=\"zh-CN\">中文</p><p lang=\"ja\">日本語</p></body></html>";
    let skeleton = Skeleton::parse(crate::markup::FormatKind::Html, src.into());
    let langs = Langs::new("zh", "en");
    let doc = skeleton.render(&["Chinese".into(), "Japanese".into()], &langs);
    assert_eq!(
        doc,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"></head><body><p lang=\"en\">Chinese</p><p lang=\"ja\">Japanese</p></body></html>"
    );
    let declared = Skeleton::parse(
        crate::markup::FormatKind::Html,
        "<meta http-equiv=Content-Language content=zh-CN><p>中文</p>".into(),
    );
    assert_eq!(
        declared.render(&["Chinese".into()], &langs),
        "<meta http-equiv=Content-Language content=\"en\"><p>Chinese</p>"
    );
    let both = skeleton.bilingual(&["Chinese".into(), String::new()], &langs);
    assert_eq!(
        both,
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><p lang=\"zh-CN\">中文</p><p lang=\"en\" class=\"bitext-translation\">Chinese</p><p lang=\"ja\">日本語</p></body></html>"
    );
}

const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<li>",
    "<ul>",
    "</ul>",
    "<b>",
    "</b>",
    "<a href='x'>",
    "</a>",
    "中文",
    " ",
    "\n",
    "&amp;",
    "<br>",
    "<img alt=图>",
    "<img src=y alt='图 二'>",
    "<pre>",
    "</pre>",
    "<!-- 注 -->",
    "<td>",
    "<table>",
    "</table>",
    "<script>",
    "</script>",
    "<h1>",
    "</h1>",
    "<span translate=no>",
    "</span>",
    "<div title=\"题\">",
    "</div>",
    "x",
    "<",
    ">",
    "&",
    "\"",
    "<title>",
    "</title>",
    "<code>",
    "</code>",
    "<dt>",
    "<dd>",
    "</li>",
    "&lt;",
    "<TR>",
    "<th>",
    "</td>",
    "<meta name=description content=描述>",
    "<html lang=zh>",
    "<textarea>",
    "</textarea>",
    "</br>",
    "<i>",
    "</i>",
    "<dl>",
    "</dl>",
    "<p title='一\"二'>",
    "<b translate=no>",
    "<div translate=no>",
    "<p translate=yes>",
    "<span translate=yes>",
    "<a title=题>",
    "<img alt=图 title='题 二' src=z>",
    "<abbr title=\"缩&amp;写\">",
    "<input placeholder='输入' aria-label=搜索>",
    "<select>",
    "<option>",
    "</select>",
    "\r\n",
    "&nbsp;",
    "<svg>",
    "</svg>",
    "<!doctype html>",
    "<pre>甲</pre>",
];

proptest::proptest! {
    #[test]
    fn any_soup_gives_ordered_blocks_that_render_stably(
        picks in proptest::collection::vec(0..PIECES.len(), 0..40)
    ) {
        let src: String = picks.iter().map(|&i| PIECES[i]).collect();
        let blocks = Html.blocks(&src);
        let inner: Vec<usize> = blocks.iter().flat_map(|b| b.inner.iter().map(|i| i.block)).collect();
        let mut pos = 0;
        for (k, b) in blocks.iter().enumerate() {
            if inner.contains(&k) {
                continue;
            }
            proptest::prop_assert!(b.span.start >= pos && b.span.end >= b.span.start, "{src:?} {blocks:?}");
            proptest::prop_assert!(src.get(b.span.clone()).is_some());
            pos = b.span.end;
        }
        // The document rendered with the source texts reads as the same blocks.
        let skeleton = Skeleton::parse(crate::markup::FormatKind::Html, src.clone());
        let texts: Vec<String> = blocks.iter().map(|b| b.text.clone()).collect();
        let doc = skeleton.render(&texts, &Langs::new("zh", "zh"));
        let again: Vec<String> = Html.blocks(&doc).into_iter().map(|b| b.text).collect();
        proptest::prop_assert_eq!(&again, &texts, "{:?} → {:?}", src, doc);
        let both = skeleton.bilingual(&texts, &Langs::new("zh", "en"));
        proptest::prop_assert!(both.len() >= src.len());
    }
}

#[test]
fn translate_yes_inside_translate_no_is_translated() {
    let src = "<div translate=\"no\">名字<p translate=\"yes\">要<b>译</b></p><p>不译</p><span translate=yes>也译</span>尾</div><p>后</p>";
    assert_eq!(
        texts(src),
        [
            (BlockKind::Paragraph, "要⟨1⟩译⟨/1⟩".to_string()),
            (BlockKind::Other, "⟨1⟩也译⟨/1⟩".to_string()),
            (BlockKind::Paragraph, "后".to_string()),
        ]
    );
    assert_eq!(round_trip(src), src);
}

#[test]
fn titles_inside_blocks_are_inner_blocks() {
    let src =
        "<li><a href=\"/about/\" title=\"关于作者\">关于</a> 和 <img alt=图 title=题 src=x></li>";
    let blocks = Html.blocks(src);
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[0].text, "⟨1⟩关于⟨/1⟩ 和 ⟨2⟩图⟨/2⟩");
    assert_eq!(
        (blocks[1].text.as_str(), blocks[2].text.as_str()),
        ("关于作者", "题")
    );
    assert_eq!(
        blocks[0].inner.iter().map(|i| i.block).collect::<Vec<_>>(),
        [1, 2]
    );
    let skeleton = Skeleton::parse(crate::markup::FormatKind::Html, src.into());
    let langs = Langs::new("zh", "en");
    let all = [
        "⟨1⟩About⟨/1⟩ and ⟨2⟩picture⟨/2⟩".to_string(),
        "About \"the\" author".to_string(),
        "Topic".to_string(),
    ];
    assert_eq!(
        skeleton.render(&all, &langs),
        "<li><a href=\"/about/\" title=\"About &quot;the&quot; author\">About</a> and <img alt=\"picture\" title=\"Topic\" src=x></li>"
    );
    // Without the block's own translation, its titles are still translated.
    let titles = [String::new(), "About".to_string(), String::new()];
    assert_eq!(
        skeleton.render(&titles, &langs),
        "<li><a href=\"/about/\" title=\"About\">关于</a> 和 <img alt=图 title=题 src=x></li>"
    );
    let both = skeleton.bilingual(&all, &langs);
    assert!(
        both.starts_with(
            "<li><a href=\"/about/\" title=\"关于作者 / About &quot;the&quot; author\">关于</a>"
        ),
        "{both}"
    );
    assert!(
        both.ends_with("<li lang=\"en\" class=\"bitext-translation\"><a href=\"/about/\" title=\"About &quot;the&quot; author\">About</a> and <img alt=\"picture\" title=\"Topic\" src=x></li>"),
        "{both}"
    );
}

#[test]
fn form_texts_are_translated() {
    let src = "<form><label>搜索</label> <input placeholder=\"输入关键词\"><select><option>全部<option>公园</select></form>";
    let got: Vec<String> = Html.blocks(src).into_iter().map(|b| b.text).collect();
    assert_eq!(got, ["⟨1⟩搜索⟨/1⟩ ⟨2/⟩⟨3/⟩", "输入关键词", "全部", "公园"]);
    let skeleton = Skeleton::parse(crate::markup::FormatKind::Html, src.into());
    let all: Vec<String> = ["⟨1⟩Search⟨/1⟩ ⟨2/⟩⟨3/⟩", "Keywords", "All", "Parks"]
        .map(String::from)
        .into();
    let langs = Langs::new("zh", "en");
    assert_eq!(
        skeleton.render(&all, &langs),
        "<form><label>Search</label> <input placeholder=\"Keywords\"><select><option>All<option>Parks</select></form>"
    );
    assert!(
        skeleton
            .bilingual(&all, &langs)
            .contains("<option>全部 / All<option>"),
        "{}",
        skeleton.bilingual(&all, &langs)
    );
}

proptest::proptest! {
    // About one case in twenty holds a definition with a title.
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Link reference definitions with titles, wherever they stand among
    /// paragraphs, quotes, lists and links that use them.
    #[test]
    fn markdown_reference_definitions_give_ordered_blocks(
        src in "(\\[[ab]\\]:[ \n]{1,2}[a-z:/.<>]{1,6}([ \n]{1,2}(\"[中文 \\\\\"]{0,3}\"|'[中文]{0,2}'|\\([中文)]{0,2}\\)))?\n|> |- |[中文]{1,3}|\\[[中文]{1,2}\\](\\[[ab]\\]|\\(u \"题\"\\))|\n| ){0,14}"
    ) {
        let skeleton = Skeleton::parse(crate::markup::FormatKind::Markdown, src.clone());
        let texts = blocks::ordered_block_texts(&skeleton, &src);
        let langs = Langs::new("zh", "en");
        skeleton.render(&texts, &langs);
        skeleton.bilingual(&texts, &langs);
    }
}

proptest::proptest! {
    #[test]
    fn any_text_gives_ordered_blocks_in_both_formats(
        src in "[<>/a-zA-Z\"'=&;:#! \n中文题\\[\\]()*_`-]{0,80}"
    ) {
        for format in [crate::markup::FormatKind::Html, crate::markup::FormatKind::Markdown] {
            let skeleton = Skeleton::parse(format, src.clone());
            let texts = blocks::ordered_block_texts(&skeleton, &src);
            let langs = Langs::new("zh", "zh");
            let doc = skeleton.render(&texts, &langs);
            skeleton.bilingual(&texts, &langs);
            if format == crate::markup::FormatKind::Html {
                let again: Vec<String> = Html.blocks(&doc).into_iter().map(|b| b.text).collect();
                proptest::prop_assert_eq!(&again, &texts, "{:?} → {:?}", src, doc);
            }
        }
    }
}

#[test]
fn noscript_content_is_markup_and_translated() {
    let src = "<head><noscript><link rel=\"stylesheet\" href=\"a.css\"><style>p{}</style></noscript></head>\n<body><noscript>请启用脚本。</noscript>\n<p>请<noscript>（需要脚本）</noscript>继续。</p>\n<div><noscript><p>没有&amp;脚本时显示。</p></noscript></div></body>\n";
    let expected = [
        (BlockKind::Other, "⟨1⟩请启用脚本。⟨/1⟩"),
        (BlockKind::Paragraph, "请⟨1⟩（需要脚本）⟨/1⟩继续。"),
        (BlockKind::Paragraph, "没有&脚本时显示。"),
    ];
    crate::markup::assert_blocks(&Html, src, &expected);
    assert_eq!(round_trip(src), src);
    // One inside one (not allowed) is left alone, however deep.
    let nested = format!(
        "<p>甲</p><noscript><noscript><p>不译</p></noscript>{}",
        "<noscript>".repeat(10_000)
    );
    crate::markup::assert_blocks(&Html, &nested, &[(BlockKind::Paragraph, "甲")]);
    assert_eq!(round_trip(&nested), nested);
}
