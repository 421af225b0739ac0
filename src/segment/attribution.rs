//! Speech attribution after a quotation: `“我们要迎难而上！”李强说。`
//!
//! An attribution is a short clause that ends in a speech verb: a subject of
//! at most [`MAX_SUBJECT_CHARS`] characters (`李强`, `大家齐声`,
//! `部规划局负责人`), a verb (`说`, `问`, `喊道`, `表示`, `指出`, …) and
//! perhaps an aspect word (`着`, `了`, `起来`, `了一句`), followed by the end
//! of the sentence, or by a comma and the rest of the quotation
//! (`“好！”他笑着说，“走吧。”`), or by a comma after `着` (`她一边应着，一边…`).
//! A clause that goes on after the verb (`他说的没错`, `纷纷表示赞同`), whose
//! last word only looks like a verb (`知道`, `小说`, `据说`), whose verb
//! introduces what follows (`他表示，下一步将…`: reported speech, a new
//! sentence) or opens a new quotation (`又回头问：“…”`) is not one.

/// The most characters before the speech verb.
pub const MAX_SUBJECT_CHARS: usize = 12;

/// Speech verbs of more than one character.
const VERBS: &[&str] = &[
    "告诉记者",
    "表示",
    "指出",
    "强调",
    "介绍",
    "回答",
    "回应",
    "答应",
    "解释",
    "补充",
    "透露",
    "坦言",
    "直言",
    "感叹",
    "感慨",
    "惊呼",
    "欢呼",
    "高呼",
    "宣布",
    "追问",
    "反问",
    "提醒",
    "叮嘱",
    "嘱咐",
    "承认",
    "说明",
    "呼吁",
    "证实",
    "称赞",
    "赞叹",
    "表态",
    "嘀咕",
    "嘟囔",
    "抱怨",
    "回忆",
    "告诫",
];

/// What may follow a speech verb in an attribution.
const AFTER_VERB: &[&str] = &[
    "",
    "着",
    "了",
    "道",
    "起来",
    "了起来",
    "了一句",
    "一句",
    "了一声",
    "一声",
];

/// Whether `rest` (the text after a quotation's closing mark) opens with an
/// attribution clause.
pub(super) fn is_attribution(rest: &[char]) -> bool {
    // The clause, up to the first punctuation (looking no further than the
    // longest attribution).
    let len = rest
        .iter()
        .take(MAX_SUBJECT_CHARS + 9)
        .position(|&c| !(c.is_alphanumeric() || c == '·'))
        .unwrap_or(rest.len());
    if len > MAX_SUBJECT_CHARS + 8 {
        return false;
    }
    let comma = match rest.get(len) {
        None => false,
        Some('，' | ',') => true,
        Some('。' | '！' | '？' | '!' | '?' | '.' | '．' | '…' | '⋯' | '；' | ';') => {
            false
        }
        Some(_) => return false,
    };
    // After a comma: the quotation goes on (`他笑着说，“…”`)?
    let quotation_goes_on = rest
        .get(len + 1..)
        .unwrap_or_default()
        .iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(|&c| matches!(c, '“' | '‘' | '「' | '『' | '"' | '\''));
    let clause: String = rest[..len].iter().collect();
    AFTER_VERB.iter().any(|after| {
        let verb = clause
            .strip_suffix(after)
            .and_then(|stem| verb_at_end(stem, after))
            .is_some_and(|subject| subject <= MAX_SUBJECT_CHARS);
        // A verb before a comma and more text introduces it (`他表示，下一步将…`),
        // unless it is `V着` (`她一边应着，一边…`).
        verb && (!comma || quotation_goes_on || *after == "着")
    })
}

/// If `stem` ends in a speech verb (followed by `after`), the length in
/// characters of what comes before the verb.
fn verb_at_end(stem: &str, after: &str) -> Option<usize> {
    let chars: Vec<char> = stem.chars().collect();
    if let Some(verb) = VERBS.iter().find(|v| stem.ends_with(*v)) {
        return Some(chars.len() - verb.chars().count());
    }
    let (&last, before) = chars.split_last()?;
    let prev = before.last().copied();
    let prev_in = |set: &str| prev.is_some_and(|p| set.contains(p));
    let speech = match last {
        // 小说 "novel", 据说 "reportedly", 再说 "besides", 比如说, 不用说 …
        '说' => !prev_in("小传学据听演游虽再如是用"),
        // 学问, 顾问, 疑问, 访问, 慰问.
        '问' => !prev_in("学顾疑访慰"),
        '答' | '喊' | '叫' | '嚷' | '吼' => true,
        // 名称, 简称, 号称, 对称, 职称 …
        '称' => !prev_in("名简号对职堪俗统昵爱"),
        // 喊道, 笑道, 应道, 他道; not 知道, 味道, 难道.
        '道' => prev_in("说问答喊叫嚷吼笑叹写骂接回应喝念劝充释声插驳他她我你"),
        // 应着, 应道, 回应; not 反应, 适应, 供应.
        '应' => matches!(after, "着" | "道") || prev_in("答回"),
        _ => false,
    };
    speech.then(|| chars.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(text: &str) -> bool {
        is_attribution(&text.chars().collect::<Vec<_>>())
    }

    #[test]
    fn attributions() {
        for yes in [
            "李强说。",
            "大家齐声喊道。",
            "妈妈问。",
            "他笑着说，“不早了。”",
            "部规划局负责人表示。",
            "她一边应着，一边跑",
            "他说着，转身走了。",
            "局长强调.",
            "他说",
            "约翰·史密斯说。",
            "他补充道。",
            "他告诉记者。",
        ] {
            assert!(attr(yes), "{yes}");
        }
        for no in [
            "他说的没错。",
            "与会人员纷纷表示赞同。",
            "大家都知道。",
            "这是一部小说。",
            "又回头问：“伞呢？”",
            "住在隔壁单元楼里的那位退休多年的老张对大家说。",
            "随着一声招呼，屏幕亮了。",
            "“好！”",
            "身体出现了不良反应。",
            "他表示，下一步将继续加强管理。",
            "她说，明天再来。",
            "他表示，下一步将继续加强水资源管理。",
            "他说，接下来将全力备战。",
        ] {
            assert!(!attr(no), "{no}");
        }
    }
}
