//! Java regular expressions (`java.util.regex`, the syntax of SRX patterns)
//! translated to the syntax of regex-automata and of fancy-regex, keeping
//! Java's meaning (see the documentation of [`super`]).

/// The engine a pattern is translated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// regex-automata, i.e. the `regex` crate's syntax.
    Automata,
    /// fancy-regex, which has look-around but cannot switch Unicode mode
    /// inline.
    Fancy,
}

/// A Java pattern translated for each engine.
#[derive(Debug)]
pub(super) struct Translated {
    pub(super) automata: String,
    pub(super) fancy: String,
}

/// Translate a Java regular expression for both engines (see the module
/// documentation for what changes).
pub(super) fn translate(java: &str) -> std::result::Result<Translated, String> {
    Ok(Translated {
        automata: translate_for(java, Dialect::Automata)?,
        fancy: translate_for(java, Dialect::Fancy)?,
    })
}

fn translate_for(java: &str, dialect: Dialect) -> std::result::Result<String, String> {
    Translator {
        chars: java.chars().collect(),
        i: 0,
        out: String::with_capacity(java.len() + 8),
        dialect,
        flags: Flags::default(),
        saved: Vec::new(),
        captures: 0,
    }
    .run()
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// `(?U)`: UNICODE_CHARACTER_CLASS.
    unicode_classes: bool,
    /// `(?x)`: comments mode.
    comments: bool,
}

struct Translator {
    chars: Vec<char>,
    i: usize,
    out: String,
    dialect: Dialect,
    flags: Flags,
    /// Flags to restore at each open group's `)`.
    saved: Vec<Flags>,
    captures: usize,
}

/// Java's `\s` (without `(?U)`), as a class body.
const JAVA_SPACE: &str = r"\t\n\x0B\x0C\r\x20";
/// Java's `\h`, as a class body.
const JAVA_HSPACE: &str = r"\x20\t\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}";
/// Java's `\v` (Java 8 and later), as a class body.
const JAVA_VSPACE: &str = r"\n\x0B\x0C\r\x{85}\x{2028}\x{2029}";

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars[self.i..].iter().take(n).copied().eq(s.chars()) {
            self.i += n;
            true
        } else {
            false
        }
    }

    fn run(mut self) -> std::result::Result<String, String> {
        while let Some(c) = self.next() {
            match c {
                '\\' => self.escape(false)?,
                '[' => self.class()?,
                '(' => self.open_group()?,
                ')' => {
                    self.flags = self.saved.pop().ok_or("unmatched closing parenthesis")?;
                    self.out.push(')');
                }
                '#' if self.flags.comments => {
                    self.out.push('#');
                    while let Some(c) = self.next() {
                        self.out.push(c);
                        if c == '\n' {
                            break;
                        }
                    }
                }
                c => self.out.push(c),
            }
        }
        if !self.saved.is_empty() {
            return Err("unclosed group".into());
        }
        Ok(self.out)
    }

    fn open_group(&mut self) -> std::result::Result<(), String> {
        if !self.eat("?") {
            self.captures += 1;
            self.saved.push(self.flags);
            self.out.push('(');
            return Ok(());
        }
        for prefix in [":", "=", "!", ">", "<=", "<!"] {
            if self.eat(prefix) {
                self.saved.push(self.flags);
                self.out.push_str("(?");
                self.out.push_str(prefix);
                return Ok(());
            }
        }
        if self.peek() == Some('<') {
            // A named group: (?<name>...).
            self.captures += 1;
            self.saved.push(self.flags);
            self.out.push_str("(?");
            return Ok(());
        }
        // Inline flags: (?idmsuxU-idmsuxU) or (?idmsuxU-idmsuxU:...).
        let (mut on, mut off) = (String::new(), String::new());
        let mut negate = false;
        let mut flags = self.flags;
        loop {
            let c = self.next().ok_or("unclosed group")?;
            match c {
                '-' if !negate => negate = true,
                'i' | 'm' | 's' | 'x' => {
                    if c == 'x' {
                        flags.comments = !negate;
                    }
                    if negate { &mut off } else { &mut on }.push(c);
                }
                'd' | 'u' => {}
                'U' => flags.unicode_classes = !negate,
                ':' | ')' => {
                    let mut spec = on;
                    if !off.is_empty() {
                        spec.push('-');
                        spec.push_str(&off);
                    }
                    if c == ':' {
                        self.saved.push(self.flags);
                        self.out.push_str(&format!("(?{spec}:"));
                    } else if !spec.is_empty() {
                        self.out.push_str(&format!("(?{spec})"));
                    }
                    self.flags = flags;
                    return Ok(());
                }
                c => return Err(format!("unknown inline flag '{c}'")),
            }
        }
    }

    fn class(&mut self) -> std::result::Result<(), String> {
        self.out.push('[');
        if self.eat("^") {
            self.out.push('^');
        }
        if self.eat("]") {
            self.out.push_str(r"\]");
        }
        loop {
            let c = self.next().ok_or("unclosed character class")?;
            match c {
                ']' => {
                    self.out.push(']');
                    return Ok(());
                }
                '[' => self.class()?,
                '\\' => self.escape(true)?,
                '&' if self.eat("&") => self.out.push_str("&&"),
                '~' => self.out.push_str(r"\~"),
                c => self.out.push(c),
            }
        }
    }

    /// Emit a class body `body` as a class of its own (negated if `negate`),
    /// which also works nested inside an enclosing class.
    fn emit_set(&mut self, body: &str, negate: bool) {
        self.out.push('[');
        if negate {
            self.out.push('^');
        }
        self.out.push_str(body);
        self.out.push(']');
    }

    fn escape(&mut self, in_class: bool) -> std::result::Result<(), String> {
        let c = self.next().ok_or("trailing backslash")?;
        let unicode = self.flags.unicode_classes;
        match c {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' if unicode => {
                self.out.push('\\');
                self.out.push(c);
            }
            'd' | 'D' => self.emit_set("0-9", c == 'D'),
            's' | 'S' => self.emit_set(JAVA_SPACE, c == 'S'),
            'w' | 'W' => self.emit_set("a-zA-Z0-9_", c == 'W'),
            'h' | 'H' => self.emit_set(JAVA_HSPACE, c == 'H'),
            'v' | 'V' => self.emit_set(JAVA_VSPACE, c == 'V'),
            'b' | 'B' if in_class => return Err(format!("\\{c} inside a character class")),
            'b' | 'B' if unicode => {
                self.out.push('\\');
                self.out.push(c);
            }
            'b' | 'B' if self.dialect == Dialect::Automata => {
                self.out.push_str(&format!("(?-u:\\{c})"));
            }
            // Java 19+: \b is (?:(?<=\w)(?!\w)|(?<!\w)(?=\w)), with ASCII \w.
            'b' => self.out.push_str(
                r"(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))",
            ),
            'B' => self.out.push_str(
                r"(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))",
            ),
            'R' if !in_class => self.out.push_str(&format!(r"(?:\r\n|[{JAVA_VSPACE}])")),
            'A' | 'z' if !in_class => {
                self.out.push('\\');
                self.out.push(c);
            }
            'Z' if !in_class => self
                .out
                .push_str(r"(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)"),
            'p' | 'P' => self.property(c == 'P')?,
            'Q' => {
                while self.peek().is_some() && !self.eat("\\E") {
                    let c = self.next().unwrap_or_default();
                    self.literal(c);
                }
            }
            'E' => {}
            't' | 'n' | 'r' | 'f' => {
                self.out.push('\\');
                self.out.push(c);
            }
            'a' => self.out.push_str(r"\x07"),
            'e' => self.out.push_str(r"\x1B"),
            '0' => {
                let mut value = 0u32;
                let mut digits = 0;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(8)) {
                    if digits == 3 || (digits == 2 && value > 0o37) {
                        break;
                    }
                    value = value * 8 + d;
                    digits += 1;
                    self.i += 1;
                }
                if digits == 0 {
                    return Err("\\0 must be followed by octal digits".into());
                }
                self.code_point(value)?;
            }
            'x' => {
                let value = match self.braced("\\x")? {
                    Some(hex) => hex,
                    None => self.take_n(2),
                };
                let value = u32::from_str_radix(&value, 16)
                    .map_err(|_| format!("bad hexadecimal escape \\x{value}"))?;
                self.code_point(value)?;
            }
            'u' => {
                let unit = self.hex4()?;
                let value = if (0xD800..0xDC00).contains(&unit) && self.eat("\\u") {
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err("unpaired surrogate in \\u escape".into());
                    }
                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    unit
                };
                self.code_point(value)?;
            }
            'c' => {
                let x = self.next().ok_or("\\c needs a letter")?;
                self.code_point(u32::from(x) ^ 0x40)?;
            }
            '1'..='9' if !in_class => {
                // Java reads as many digits as still name an existing group.
                let mut group = c.to_digit(10).unwrap_or_default() as usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    let longer = group * 10 + d as usize;
                    if longer > self.captures {
                        break;
                    }
                    group = longer;
                    self.i += 1;
                }
                self.out.push_str(&format!("\\{group}"));
            }
            'k' if !in_class => {
                self.out.push_str("\\k");
            }
            'X' => return Err("grapheme clusters (\\X) are not supported".into()),
            'G' => return Err("\\G has no meaning in a segmentation rule".into()),
            'N' => return Err("named characters (\\N{...}) are not supported".into()),
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("unknown escape \\{c}"));
            }
            c => self.literal(c),
        }
        Ok(())
    }

    /// After an escape such as `\x` or `\p`: the text of a following
    /// `{…}`, `None` when no `{` follows.
    fn braced(&mut self, escape: &str) -> std::result::Result<Option<String>, String> {
        if !self.eat("{") {
            return Ok(None);
        }
        let body = self.take_while(|c| c != '}');
        if !self.eat("}") {
            return Err(format!("unclosed {escape}{{"));
        }
        Ok(Some(body))
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(|&c| f(c)) {
            s.push(c);
            self.i += 1;
        }
        s
    }

    fn take_n(&mut self, n: usize) -> String {
        let mut s = String::new();
        for _ in 0..n {
            if let Some(c) = self.next() {
                s.push(c);
            }
        }
        s
    }

    fn hex4(&mut self) -> std::result::Result<u32, String> {
        let hex = self.take_n(4);
        if hex.len() != 4 {
            return Err(format!("\\u{hex} needs four hexadecimal digits"));
        }
        u32::from_str_radix(&hex, 16).map_err(|_| format!("bad escape \\u{hex}"))
    }

    fn code_point(&mut self, value: u32) -> std::result::Result<(), String> {
        if char::from_u32(value).is_none() {
            return Err(format!("U+{value:04X} is not a character"));
        }
        self.out.push_str(&format!("\\x{{{value:X}}}"));
        Ok(())
    }

    /// Emit `c` so that it matches itself, in or out of a class.
    fn literal(&mut self, c: char) {
        if c.is_ascii_punctuation() && !matches!(c, '<' | '>') {
            // Escaping any ASCII punctuation is allowed, except `<` and `>`,
            // which would become word-boundary assertions.
            self.out.push('\\');
            self.out.push(c);
        } else if c.is_whitespace() || c.is_control() {
            self.out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
        } else {
            self.out.push(c);
        }
    }

    /// `\p{…}`, `\P{…}`, `\pL`.
    fn property(&mut self, negate: bool) -> std::result::Result<(), String> {
        let name = match self.braced("\\p")? {
            Some(name) => name,
            None => self.next().ok_or("\\p needs a property name")?.to_string(),
        };
        let p = if negate { 'P' } else { 'p' };
        if let Some(body) = java_property(&name, self.flags.unicode_classes)? {
            self.emit_set(&body, negate);
        } else {
            // A general category, script or binary property: the `regex`
            // crate knows them by the same names, without Java's `Is`.
            let bare = name.strip_prefix("Is").unwrap_or(&name);
            self.out.push_str(&format!("\\{p}{{{bare}}}"));
        }
        Ok(())
    }
}

/// The class body for a Java-specific property name, or `None` for names
/// that the `regex` crate reads the same way (after dropping `Is`).
fn java_property(name: &str, unicode: bool) -> std::result::Result<Option<String>, String> {
    let posix = |ascii: &str, uni: &str| Some(if unicode { uni } else { ascii }.to_string());
    let body = match name {
        // POSIX classes: US-ASCII only unless (?U).
        "Lower" => posix("a-z", r"\p{Lowercase}"),
        "Upper" => posix("A-Z", r"\p{Uppercase}"),
        "ASCII" => posix(r"\x00-\x7F", r"\x00-\x7F"),
        "Alpha" => posix("a-zA-Z", r"\p{Alphabetic}"),
        "Digit" => posix("0-9", r"\p{Nd}"),
        "Alnum" => posix("a-zA-Z0-9", r"\p{Alphabetic}\p{Nd}"),
        "Punct" => posix("[:punct:]", r"\p{P}"),
        "Graph" => posix("[:graph:]", r"[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]"),
        "Print" => posix("[:print:]", r"[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]\p{Zs}"),
        "Blank" => posix(r"\x20\t", r"\p{Zs}\t"),
        "Cntrl" => posix(r"\x00-\x1F\x7F", r"\p{Cc}"),
        "XDigit" => posix("0-9a-fA-F", r"\p{Nd}\p{Hex_Digit}"),
        "Space" => posix(JAVA_SPACE, r"\p{White_Space}"),
        // java.lang.Character classes.
        "javaLowerCase" => Some(r"\p{Lowercase}".into()),
        "javaUpperCase" => Some(r"\p{Uppercase}".into()),
        "javaTitleCase" => Some(r"\p{Lt}".into()),
        "javaAlphabetic" => Some(r"\p{Alphabetic}".into()),
        "javaIdeographic" => Some(r"\p{Ideographic}".into()),
        "javaLetter" => Some(r"\p{L}".into()),
        "javaDigit" => Some(r"\p{Nd}".into()),
        "javaLetterOrDigit" => Some(r"\p{L}\p{Nd}".into()),
        "javaSpaceChar" => Some(r"\p{Z}".into()),
        "javaWhitespace" => {
            Some(r"\t\n\x0B\x0C\r\x1C-\x1F\x{2028}\x{2029}[\p{Zs}--[\xA0\x{2007}\x{202F}]]".into())
        }
        "javaISOControl" => Some(r"\x00-\x1F\x7F-\x9F".into()),
        "javaMirrored" => Some(r"\p{Bidi_Mirrored}".into()),
        "javaDefined" => Some(r"\P{Cn}".into()),
        "all" => Some(r"\x00-\x{10FFFF}".into()),
        _ => {
            let block = name
                .strip_prefix("In")
                .or_else(|| name.strip_prefix("blk="))
                .or_else(|| name.strip_prefix("block="));
            match block {
                Some(block) => Some(java_block(block)?.to_string()),
                None if name.starts_with("java") => {
                    return Err(format!("\\p{{{name}}} is not supported"));
                }
                None => None,
            }
        }
    };
    Ok(body)
}

/// The Unicode blocks most used with CJK text, by Java's names (spaces and
/// underscores ignored, any case).
fn java_block(name: &str) -> std::result::Result<&'static str, String> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Ok(match key.as_str() {
        "basiclatin" => r"\x00-\x7F",
        "latin1supplement" => r"\x80-\xFF",
        "generalpunctuation" => r"\x{2000}-\x{206F}",
        "cjkradicalssupplement" => r"\x{2E80}-\x{2EFF}",
        "cjksymbolsandpunctuation" => r"\x{3000}-\x{303F}",
        "hiragana" => r"\x{3040}-\x{309F}",
        "katakana" => r"\x{30A0}-\x{30FF}",
        "bopomofo" => r"\x{3100}-\x{312F}",
        "cjkunifiedideographsextensiona" => r"\x{3400}-\x{4DBF}",
        "cjkunifiedideographs" => r"\x{4E00}-\x{9FFF}",
        "hangulsyllables" => r"\x{AC00}-\x{D7AF}",
        "cjkcompatibilityideographs" => r"\x{F900}-\x{FAFF}",
        "cjkcompatibilityforms" => r"\x{FE30}-\x{FE4F}",
        "halfwidthandfullwidthforms" => r"\x{FF00}-\x{FFEF}",
        _ => {
            return Err(format!(
                "the Unicode block {name} is not supported; use a script such as \\p{{IsHan}} \
                 or a range such as [\\x{{4E00}}-\\x{{9FFF}}]"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::srx::compiled::{fancy, syntax_config};

    #[test]
    fn translates_java_syntax() {
        let t = |s: &str| translate_for(s, Dialect::Automata).unwrap();
        assert_eq!(t(r"\s+\P{Lu}"), r"[\t\n\x0B\x0C\r\x20]+\P{Lu}");
        assert_eq!(t(r"[\.\?\!]+"), r"[\.\?\!]+");
        assert_eq!(
            t(r"\p{IsLatin}\p{javaUpperCase}"),
            r"\p{Latin}[\p{Uppercase}]"
        );
        assert_eq!(t(r"\p{Lower}\P{Punct}"), r"[a-z][^[:punct:]]");
        assert_eq!(
            t(r"\u3002\uD83D\uDE00\x41\0101"),
            r"\x{3002}\x{1F600}\x{41}\x{41}"
        );
        assert_eq!(t(r"\Qa.b\E"), r"a\.b");
        assert_eq!(t(r"(?iu)x(?U)\w"), r"(?i)x\w");
        assert_eq!(t(r"(?U:\d)\d"), r"(?:\d)[0-9]");
        assert_eq!(t(r"\bMr\."), r"(?-u:\b)Mr\.");
        assert_eq!(t(r"[a~b]"), r"[a\~b]");
        assert_eq!(t(r"\<\>"), r"<>");
        assert_eq!(t(r"(a)\1"), r"(a)\1");
        assert_eq!(t(r"a*+"), r"a*+");
        assert_eq!(t(r"\p{InCJKSymbolsAndPunctuation}"), r"[\x{3000}-\x{303F}]");
        assert!(translate(r"\X").unwrap_err().contains("grapheme"));
        assert!(translate(r"\p{InTibetan}").unwrap_err().contains("block"));
        assert!(translate(r"(a").is_err());
        assert!(translate(r"\y").unwrap_err().contains("unknown escape"));
        // fancy-regex cannot switch Unicode mode inline: \b is spelled out.
        let f = translate_for(r"\bx", Dialect::Fancy).unwrap();
        assert!(f.starts_with("(?:(?<=[a-zA-Z0-9_])"), "{f}");
    }

    #[test]
    fn java_classes_keep_their_java_meaning() {
        let re = |s: &str| {
            let t = translate(s).unwrap();
            let f = fancy(&t.fancy).unwrap();
            let a = regex_automata::meta::Regex::builder()
                .syntax(syntax_config())
                .build(&t.automata)
                .unwrap();
            move |text: &str| {
                let (f, a) = (f.is_match(text).unwrap(), a.is_match(text));
                assert_eq!(f, a, "engines disagree on {text:?}");
                f
            }
        };
        // Java's \s is ASCII: no ideographic space.
        assert!(!re(r"^\s$")("\u{3000}"));
        assert!(re(r"^\h$")("\u{3000}"));
        assert!(!re(r"^\h$")("a"));
        assert!(re(r"^\v$")("\u{2028}"));
        assert!(!re(r"^\d$")("٣"));
        assert!(re(r"(?U)^\d$")("٣"));
        assert!(re(r"^\p{Punct}$")("!"));
        assert!(!re(r"^\p{Lower}$")("é"));
        assert!(re(r"^\p{javaLowerCase}$")("é"));
        assert!(!re(r"^\p{javaWhitespace}$")("\u{a0}"));
        assert!(re(r"^\p{javaWhitespace}$")("\u{3000}"));
        // \b is the boundary of ASCII \w: between Han and Latin, not
        // between two Han characters.
        let b = re(r"\bab\b");
        assert!(b("中ab中") && b("x ab") && !b("xab"));
        let b = re(r"中\b");
        assert!(!b("中文") && !b("中") && b("中a"));
        let nb = re(r"中\B文");
        assert!(nb("中文"));
    }
}
