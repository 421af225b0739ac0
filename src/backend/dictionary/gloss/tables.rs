//! The word tables: function words, sense choices, domain phrases, titles,
//! classifiers and the affixes of unknown compounds.

/// Characters that are surnames in CC-CEDICT but far more often function
/// words or word starts; jieba's HMM sometimes glues them to the next
/// character and tags the result as a name (由虚 "You Xu").
pub(super) const NOT_SURNAMES: &str = "由在和与对将把被为以从向于及并是有不也都就还这那其之所让使给到等又再才已更最很各每本该此如若因但而或且即乃凡党国全新大小上下中前后高多少长老";

/// Last characters of unknown compounds that name an institution or a
/// kind of thing (`地质环境司` → "… department", `汇报会` → "… meeting").
pub(super) fn suffix_word(c: &str) -> Option<&'static str> {
    Some(match c {
        "会" => "meeting",
        "司" | "厅" => "department",
        "局" => "bureau",
        "部" => "ministry",
        "院" | "所" => "institute",
        "办" | "处" => "office",
        "委" => "committee",
        "组" => "group",
        "队" => "team",
        "员" => "member",
        "型" => "type",
        "化" | "性" => "",
        "省" => "province",
        "市" => "city",
        "县" => "county",
        "区" => "district",
        "乡" => "township",
        "镇" => "town",
        "村" => "village",
        "站" => "station",
        "室" => "room",
        "费" => "fee",
        "率" => "rate",
        "量" => "amount",
        _ => return None,
    })
}

/// First characters of unknown compounds that act as determiners
/// (`该市` → "the city").
pub(super) fn prefix_word(c: &str) -> Option<&'static str> {
    Some(match c {
        "该" => "the",
        "本" => "this",
        "此" | "这" => "this",
        "各" => "each",
        "每" => "every",
        "全" => "whole",
        "原" | "前" => "former",
        "副" => "deputy",
        "总" => "general",
        "我" => "my",
        "你" => "your",
        "他" => "his",
        "她" => "her",
        "它" | "其" => "its",
        _ => return None,
    })
}

/// A classifier or measure unit that can follow a number.
#[derive(Debug)]
pub(super) struct ClassifierInfo {
    pub(super) word: &'static str,
    /// English singular; empty = dropped.
    pub(super) one: &'static str,
    /// English plural.
    pub(super) many: &'static str,
    /// "batch of": the following noun is plural.
    pub(super) of: bool,
}

pub(super) const fn cl(
    word: &'static str,
    one: &'static str,
    many: &'static str,
) -> ClassifierInfo {
    ClassifierInfo {
        word,
        one,
        many,
        of: false,
    }
}

pub(super) const fn cl_of(
    word: &'static str,
    one: &'static str,
    many: &'static str,
) -> ClassifierInfo {
    ClassifierInfo {
        of: true,
        ..cl(word, one, many)
    }
}

/// Classifiers and units after numbers, longest first where they share a
/// prefix.
pub(super) static CLASSIFIERS: &[ClassifierInfo] = &[
    cl("个百分点", "percentage point", "percentage points"),
    cl("百分点", "percentage point", "percentage points"),
    cl("平方公里", "square kilometer", "square kilometers"),
    cl("平方米", "square meter", "square meters"),
    cl("个月", "month", "months"),
    cl("周年", "anniversary", "anniversary"),
    cl("个", "", ""),
    cl("名", "", ""),
    cl("位", "", ""),
    cl("家", "", ""),
    cl("项", "", ""),
    cl("条", "", ""),
    cl("件", "", ""),
    cl("张", "", ""),
    cl("本", "", ""),
    cl("座", "", ""),
    cl("辆", "", ""),
    cl("台", "", ""),
    cl("架", "", ""),
    cl("所", "", ""),
    cl("支", "", ""),
    cl("只", "", ""),
    cl("头", "", ""),
    cl("匹", "", ""),
    cl("艘", "", ""),
    cl("枚", "", ""),
    cl("棵", "", ""),
    cl("颗", "", ""),
    cl("栋", "", ""),
    cl("幅", "", ""),
    cl("首", "", ""),
    cl("封", "", ""),
    cl("篇", "", ""),
    cl("份", "", ""),
    cl("场", "", ""),
    cl("段", "", ""),
    cl("句", "", ""),
    cl("门", "", ""),
    cl("股", "", ""),
    cl("块", "", ""),
    cl("笔", "", ""),
    cl("席", "", ""),
    cl("口", "", ""),
    cl("眼", "", ""),
    cl("间", "", ""),
    cl("届", "", ""),
    cl("期", "", ""),
    cl_of("批", "batch of", "batches of"),
    cl_of("种", "kind of", "kinds of"),
    cl_of("类", "type of", "types of"),
    cl_of("组", "group of", "groups of"),
    cl_of("套", "set of", "sets of"),
    cl_of("双", "pair of", "pairs of"),
    cl("例", "case", "cases"),
    cl("级", "level", "levels"),
    cl("层", "layer", "layers"),
    cl("轮", "round", "rounds"),
    cl("次", "time", "times"),
    cl("倍", "times", "times"),
    cl("年", "year", "years"),
    cl("天", "day", "days"),
    cl("周", "week", "weeks"),
    cl("小时", "hour", "hours"),
    cl("分钟", "minute", "minutes"),
    cl("岁", "year old", "years old"),
    cl("人", "person", "people"),
    cl("户", "household", "households"),
    cl("美元", "US dollar", "US dollars"),
    cl("元", "yuan", "yuan"),
    cl("亩", "mu", "mu"),
    cl("公顷", "hectare", "hectares"),
    cl("公里", "kilometer", "kilometers"),
    cl("米", "meter", "meters"),
    cl("公斤", "kilogram", "kilograms"),
    cl("吨", "ton", "tons"),
];

/// What a function word does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fw {
    /// Emit this text.
    Text(&'static str),
    /// Emit nothing.
    Drop,
    /// 的: possessive after a noun, else dropped.
    De,
    /// 在: "in", possibly refined by a later locative.
    Zai,
    /// Locative postposition (中 上 下 …) with its preposition.
    Locative(&'static str),
    /// Temporal postposition (时 后 以来 …) with its conjunction.
    Temporal(&'static str),
    /// 把: dropped, or "take" with a later 作为.
    Ba,
    /// 将: "will" before a verb, 把-like before a noun.
    Jiang,
    /// 以: "with"; makes a later 为 "as".
    Yi,
    /// 为: "as" after 以, else "for".
    Wei,
    /// 作为/当作: "as".
    ZuoWei,
    /// 之一: "one of" before the preceding noun phrase.
    ZhiYi,
    /// 们: pluralise the preceding noun.
    Men,
    /// Makes the next noun plural (多种, 这些 …).
    Plural(&'static str),
    /// 就: "on" (regarding) at the start of a clause, else dropped.
    Jiu,
    /// 来 after a duration: "for", moved to the clause start.
    Lai,
}

/// The function-word table: frequent grammatical words whose first
/// CC-CEDICT sense would mislead. `tag` is jieba's part of speech.
pub(super) fn function_word(word: &str, tag: &str) -> Option<Fw> {
    use Fw::*;
    let particle = tag.starts_with('u');
    Some(match word {
        "的" => De,
        "了" | "啊" | "吗" | "呢" | "吧" | "嘛" | "呀" | "哦" | "之所以" => Drop,
        "着" | "过" if particle => Drop,
        "地" | "得" if particle || tag == "ud" || tag == "uv" => Drop,
        "所" if tag != "q" && tag != "n" => Drop,
        "之" => Text("of"),
        "之一" => ZhiYi,
        "们" => Men,
        "和" | "与" | "及" | "以及" | "并" | "并且" | "而" | "而且" | "且" | "同时并" => {
            Text("and")
        }
        "或" | "或者" | "或是" => Text("or"),
        "跟" | "同" if tag == "p" || tag == "c" => Text("with"),
        "是" | "就是" | "即" | "乃" | "乃是" => Text("is"),
        "也是" => Text("is also"),
        "都是" => Text("are all"),
        "不是" => Text("is not"),
        "有" => Text("have"),
        "没有" if tag == "d" => Text("not"),
        "没有" => Text("have no"),
        "不" | "没" | "未" | "不要" if word != "不要" || tag == "d" => Text("not"),
        "无" => Text("without"),
        "也" => Text("also"),
        "都" | "均" => Text("all"),
        "还" => Text("also"),
        "又" | "再" => Text("again"),
        "才" => Text("only then"),
        "已" | "已经" => Text("already"),
        "曾" | "曾经" => Text("once"),
        "正在" | "正" if tag == "d" || word == "正在" => Text("is"),
        "将要" => Text("will"),
        "会" if tag == "v" => Text("will"),
        "能" | "能够" | "可" | "可以" => Text("can"),
        "应" | "应该" | "应当" => Text("should"),
        "要" if tag == "v" => Text("must"),
        "必须" => Text("must"),
        "很" | "非常" | "十分" => Text("very"),
        "更" | "更加" => Text("more"),
        "最" => Text("most"),
        "太" => Text("too"),
        "越来越" => Text("increasingly"),
        "较" | "比较" => Text("relatively"),
        "共" if tag == "d" => Text("in total"),
        "仅" | "只" if tag == "d" => Text("only"),
        "就" => Jiu,
        "便" => Text("then"),
        "却" | "但" | "但是" | "可是" => Text("but"),
        "然而" => Text("however"),
        "因为" => Text("because"),
        "因此" => Text("therefore"),
        "所以" => Text("so"),
        "如果" => Text("if"),
        "虽然" | "虽" => Text("although"),
        "即使" => Text("even if"),
        "不仅" => Text("not only"),
        "此外" => Text("in addition"),
        "在" => Zai,
        "于" => Text("in"),
        "从" | "自" => Text("from"),
        "向" | "到" | "往" if tag == "p" => Text("to"),
        "对" if tag == "p" => Text("to"),
        "对于" => Text("for"),
        "关于" => Text("about"),
        "按照" | "根据" | "依照" | "依据" => Text("according to"),
        "通过" if tag == "p" => Text("through"),
        "为了" => Text("in order to"),
        "为" => Wei,
        "以" => Yi,
        "由" | "被" => Text("by"),
        "把" => Ba,
        "将" => Jiang,
        "作为" | "当作" | "当成" | "视为" | "看作" => ZuoWei,
        "给" if tag == "p" => Text("to"),
        "让" => Text("let"),
        "使" | "令" => Text("make"),
        "比" if tag == "p" => Text("than"),
        "随着" => Text("along with"),
        "除了" => Text("apart from"),
        "针对" => Text("aimed at"),
        "我" => Text("I"),
        "我们" | "咱们" => Text("we"),
        "你" | "您" | "你们" => Text("you"),
        "他" => Text("he"),
        "她" => Text("she"),
        "它" => Text("it"),
        "他们" | "她们" | "它们" => Text("they"),
        "大家" => Text("everyone"),
        "自己" => Text("oneself"),
        "其" => Text("its"),
        "其他" | "其它" => Text("other"),
        "其中" => Text("among them"),
        "这" | "此" | "这个" | "这一" => Text("this"),
        "那" | "那个" => Text("that"),
        "这样" | "那样" => Text("such"),
        "该" if tag == "r" => Text("the"),
        "各" => Text("each"),
        "每" | "每个" | "每一" => Text("every"),
        "这些" => Plural("these"),
        "那些" => Plural("those"),
        "一些" | "些" => Plural("some"),
        "这种" => Text("this kind of"),
        "那种" => Text("that kind of"),
        "各种" => Plural("all kinds of"),
        "各级" => Plural("all levels of"),
        "各位" => Plural("all"),
        "多种" => Plural("many kinds of"),
        "多位" | "多名" | "多个" | "多家" | "多项" | "诸多" | "许多" | "很多" => {
            Plural("many")
        }
        "多次" => Text("many times"),
        "个个" | "人人" => Text("everyone"),
        "等" | "等等" if tag != "v" => Text("etc."),
        "中" | "当中" if tag == "f" || word != "中" => Locative("in"),
        "上" | "之上" if tag == "f" => Locative("on"),
        "下" | "之下" if tag == "f" => Locative("under"),
        "里" | "之中" if tag == "f" => Locative("in"),
        "内" | "之内" if tag == "f" || tag == "n" => Locative("within"),
        "间" | "之间" if tag == "f" => Locative("between"),
        "外" | "之外" if tag == "f" => Locative("outside"),
        "时" | "之时" | "时候" | "的时候" => Temporal("when"),
        "后" | "之后" | "以后" => Temporal("after"),
        "前" | "之前" | "以前" => Temporal("before"),
        "以来" => Temporal("since"),
        "期间" => Temporal("during"),
        "之初" => Temporal("at the start of"),
        "之际" => Temporal("on the occasion of"),
        "来" if tag == "f" || tag == "v" => Lai,
        _ => return None,
    })
}

/// Plain text of a function word used inside an unknown word (no context).
pub(super) fn function_word_text(word: &str) -> Option<&'static str> {
    match function_word(word, "")? {
        Fw::Text(t) | Fw::Plural(t) => Some(t),
        _ => None,
    }
}

/// Sense choices for frequent words whose first CC-CEDICT sense misleads
/// in running text (`活动` "exercise" → "activity", `机关` "mechanism" →
/// "agency", `进行` "advance" → "carry out"): the general list,
/// `data/gloss-senses.tsv` (its header says what belongs there), then the
/// domain phrases ([`domain_phrase`]).
///
/// `tag` is jieba's part of speech for the word: a word may have a sense
/// for verbs (a tag starting with `v`, other than the verbal noun `vn`) or
/// for a list of tags before its unconditional one.
pub(super) fn content_override(word: &str, tag: &str) -> Option<&'static str> {
    /// A word's senses in the file's order: (when, English).
    type Senses = Vec<(&'static str, &'static str)>;
    static SENSES: std::sync::OnceLock<std::collections::HashMap<&'static str, Senses>> =
        std::sync::OnceLock::new();
    let senses = SENSES.get_or_init(|| {
        let mut senses: std::collections::HashMap<&'static str, Senses> = Default::default();
        for line in tsv_lines(include_str!("../../../../data/gloss-senses.tsv")) {
            let mut fields = line.splitn(3, '\t');
            let (Some(word), Some(when), Some(english)) =
                (fields.next(), fields.next(), fields.next())
            else {
                panic!("data/gloss-senses.tsv: a line without three fields: {line:?}");
            };
            senses.entry(word).or_default().push((when, english));
        }
        senses
    });
    let verb = tag.starts_with('v') && tag != "vn";
    let holds = |when: &str| match when {
        "*" => true,
        "verb" => verb,
        tags => tags.split(' ').any(|t| t == tag),
    };
    let sense = senses
        .get(word)
        .and_then(|senses| senses.iter().find(|(when, _)| holds(when)));
    sense
        .map(|&(_, english)| english)
        .or_else(|| domain_phrase(word))
}

/// The lines of a bundled table: all but the `#` comment lines.
fn tsv_lines(table: &'static str) -> impl Iterator<Item = &'static str> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

/// The domain phrase list, `data/gloss-domain-phrases.tsv`: phrases of Party
/// and government writing with the English that register uses. Domain data,
/// consulted for every text; see the file's header for its source.
pub(super) fn domain_phrase(word: &str) -> Option<&'static str> {
    static PHRASES: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    PHRASES
        .get_or_init(|| {
            tsv_lines(include_str!("../../../../data/gloss-domain-phrases.tsv"))
                .filter_map(|l| l.split_once('\t'))
                .collect()
        })
        .get(word)
        .copied()
}

/// Words that make the number after them approximate or a bound
/// (`约四万` "about 40,000", `超过三亿` "more than 300 million").
pub(super) fn approximator(word: &str) -> Option<&'static str> {
    Some(match word {
        "约" | "大约" | "大概" | "左右" => "about",
        "近" | "将近" | "接近" | "近乎" => "nearly",
        "超过" | "逾" | "多于" | "高于" => "more than",
        "不到" | "不足" | "少于" | "低于" => "less than",
        "至少" => "at least",
        "最多" | "至多" => "at most",
        _ => return None,
    })
}

/// English time units a duration ends with ("two years", "half a month").
pub(super) const DURATION_UNITS: [&str; 12] = [
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute",
    "minutes",
];

/// Titles that follow a name in Chinese and precede it in English
/// (`徐绍史部长` → "Minister Xu Shaoshi").
pub(super) fn title_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "部长" => "Minister",
        "副部长" => "Vice Minister",
        "书记" => "Secretary",
        "副书记" => "Deputy Secretary",
        "总书记" => "General Secretary",
        "主任" | "局长" | "司长" | "厅长" | "处长" => "Director",
        "副主任" | "副局长" => "Deputy Director",
        "省长" => "Governor",
        "副省长" => "Vice Governor",
        "市长" => "Mayor",
        "副市长" => "Vice Mayor",
        "县长" => "County Head",
        "总理" => "Premier",
        "副总理" => "Vice Premier",
        "主席" | "董事长" | "委员长" => "Chairman",
        "副主席" => "Vice Chairman",
        "总统" => "President",
        "同志" => "Comrade",
        "先生" => "Mr.",
        "女士" => "Ms.",
        "教授" => "Professor",
        "博士" => "Dr.",
        "院士" => "Academician",
        "院长" | "校长" => "President",
        "总经理" => "General Manager",
        "大使" => "Ambassador",
        "发言人" => "Spokesperson",
        _ => return None,
    })
}
