use super::*;
use crate::document::{BeadInfo, Flag, FlagKind, SegmentId, TermMatch};
use crate::output::write_document;

fn unit(id: u32, paragraph: usize, source: &str, target: &str) -> Unit {
    Unit {
        id: SegmentId(id),
        paragraph,
        index: 1,
        line: paragraph,
        source: source.to_string(),
        target: target.to_string(),
        backend: "mock".into(),
        model: None,
        origin: Origin::Machine,
        terms: Vec::new(),
        repaired: false,
        flags: Vec::new(),
        bead: None,
        matches: Vec::new(),
        codes: Vec::new(),
    }
}

fn page(units: &[Unit]) -> String {
    let ctx = WriteContext::new("in/<a>.txt", "zh-CN", "en-US", "mock");
    let mut out = Vec::new();
    write_document(&Html, &ctx, units, None, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The JSON between the data element's tags.
fn data_of(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/json\" id=\"data\">")
        .unwrap();
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</script>").unwrap();
    serde_json::from_str(&rest[open..close]).unwrap()
}

#[test]
fn hostile_text_is_escaped_and_cannot_end_the_data() {
    let hostile =
        "</script><script>alert(1)</script><img src=x onerror=alert(2)> </textarea> & \u{2028}";
    let mut u = unit(1, 1, hostile, hostile);
    u.terms.push(TermMatch {
        term_id: 0,
        source: "</script>".into(),
        target: "<b onmouseover=alert(3)>".into(),
        span: 0..9,
    });
    let html = page(&[u]);
    // One script element runs, one holds data, and the style: nothing else.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b "));
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
    assert!(html.contains("<title>Review: in/&lt;a&gt;.txt</title>"));
    let data = data_of(&html);
    assert_eq!(data["units"][0]["s"], hostile);
    assert_eq!(data["units"][0]["g"][0][1], "<b onmouseover=alert(3)>");
    assert_eq!(data["doc"]["name"], "in/<a>.txt");
    assert_eq!(data["doc"]["stem"], "_a_");
}

#[test]
fn the_policy_allows_exactly_the_inline_style_and_script() {
    let html = page(&[unit(1, 1, "甲。", "A.")]);
    let script = format!("<script>{JS}</script>");
    assert!(html.contains(&script));
    assert!(html.contains(&format!("<style>{CSS}</style>")));
    let policy = html
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .unwrap();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains(&format!("script-src {};", csp_hash(JS))));
    assert!(policy.contains(&format!("style-src {};", csp_hash(CSS))));
    // The known SHA-256 of "abc".
    assert_eq!(
        csp_hash("abc"),
        "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
    );
}

#[test]
fn rows_come_in_tables_per_paragraph_and_chunk() {
    let mut units: Vec<Unit> = (1..=CHUNK_ROWS as u32 + 2)
        .map(|i| unit(i, 1, "甲。", "A."))
        .collect();
    units.push(unit(CHUNK_ROWS as u32 + 3, 2, "乙。", "B."));
    let html = page(&units);
    assert_eq!(html.matches("<section class=\"para\"").count(), 2);
    assert_eq!(html.matches("<table>").count(), 3);
    assert_eq!(html.matches("<tr id=\"s").count(), units.len());
    let data = data_of(&html);
    let chunks: Vec<u64> = data["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["c"].as_u64().unwrap())
        .collect();
    assert_eq!(chunks[0], 1);
    assert_eq!(chunks[CHUNK_ROWS], 2);
    assert_eq!(chunks[CHUNK_ROWS + 2], 3);
}

#[test]
fn flags_beads_and_the_alignment_path_are_shown() {
    let mut a = unit(1, 1, "甲。", "A.");
    a.bead = Some(BeadInfo {
        kind: "1-1".into(),
        score: 0.9,
        zh: vec![SegmentId(1)],
        en: vec![SegmentId(1)],
        paragraph_break: false,
    });
    let mut b = unit(2, 1, "乙。", "");
    b.flags.push(Flag {
        kind: FlagKind::Unaligned,
        detail: "no English counterpart".into(),
    });
    b.bead = Some(BeadInfo {
        kind: "1-0".into(),
        score: 0.1,
        zh: vec![SegmentId(2)],
        en: vec![],
        paragraph_break: false,
    });
    let html = page(&[a, b]);
    assert!(html.contains("<svg viewBox=\"0 0 2 1\""), "{html}");
    assert!(html.contains("points=\"0,0 1,1 2,1\""));
    assert!(html.contains("<a href=\"#s2\"><title>Segment 2: 1–0</title>"));
    assert!(html.contains("⚠ unaligned: no English counterpart<span class=\"tip\""));
    assert!(html.contains(explanation_of(FlagKind::Unaligned)));
    assert!(html.contains(">1-0 · 0.10</span>"));
    assert!(html.contains("<option value=\"unaligned\">unaligned (1)</option>"));
}

fn explanation_of(kind: FlagKind) -> &'static str {
    row::explanation(kind)
}

#[test]
fn the_document_id_depends_on_sources_not_translations() {
    let id = |target: &str, source: &str| {
        data_of(&page(&[unit(1, 1, source, target)]))["doc"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(id("A.", "甲。"), id("B.", "甲。"));
    assert_ne!(id("A.", "甲。"), id("A.", "乙。"));
}
