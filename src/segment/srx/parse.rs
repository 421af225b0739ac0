//! The SRX reader: SRX 2.0 and 1.0 files (and OmegaT's header without
//! `cascade`) read with quick-xml, each pattern translated and compiled as it
//! is read.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use fancy_regex::RegexBuilder;
use quick_xml::events::{BytesStart, Event};

use super::compiled::{Before, Rule, compile_after, compile_before, one_line};
use super::java::translate;
use super::{Srx, srx_error};
use crate::error::{Error, Result};
use crate::text::resolve_xml_reference as resolve_reference;

/// A `<languagerule>`.
#[derive(Debug, Clone)]
pub(super) struct LanguageRule {
    pub(super) name: String,
    pub(super) rules: Vec<Arc<Rule>>,
}

/// A `<languagemap>` (its pattern compiled to match the whole code).
#[derive(Debug, Clone)]
pub(super) struct LanguageMap {
    pattern: fancy_regex::Regex,
    pub(super) rule_name: String,
}

impl LanguageMap {
    pub(super) fn matches(&self, lang: &str) -> bool {
        self.pattern.is_match(lang).unwrap_or(false)
    }
}

pub(super) struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    reader: quick_xml::Reader<&'a [u8]>,
    /// Byte offsets of the line starts, for line numbers.
    line_starts: Vec<usize>,
}

/// A `<rule>` while it is read.
struct PendingRule {
    breaks: bool,
    before: Option<(String, usize)>,
    after: Option<(String, usize)>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(path: &'a Path, text: &'a str) -> Self {
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().trim_text(false);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Parser {
            path,
            text,
            reader,
            line_starts,
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// The line of the event just read (of its last byte).
    fn line(&self) -> usize {
        let end = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
        self.line_at(end.saturating_sub(1).min(self.text.len()))
    }

    fn error(&self, line: usize, message: impl AsRef<str>) -> Error {
        srx_error(self.path, line, message.as_ref())
    }

    fn xml_error(&self, e: impl fmt::Display) -> Error {
        let at = usize::try_from(self.reader.error_position()).unwrap_or(0);
        self.error(
            self.line_at(at),
            format!(
                "not well-formed XML: {}; fix the file or export it again",
                one_line(&e.to_string())
            ),
        )
    }

    fn attr(&self, e: &BytesStart<'_>, name: &str) -> Result<Option<String>> {
        for attr in e.attributes() {
            let attr = attr.map_err(|e| self.xml_error(e))?;
            if attr.key.local_name().as_ref() == name.as_bytes() {
                let value = attr.unescape_value().map_err(|e| self.xml_error(e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn yes_no(&self, e: &BytesStart<'_>, name: &str, element: &str) -> Result<Option<bool>> {
        match self.attr(e, name)?.as_deref().map(str::trim) {
            None => Ok(None),
            Some("yes") => Ok(Some(true)),
            Some("no") => Ok(Some(false)),
            Some(other) => Err(self.error(
                self.line(),
                format!("<{element} {name}=\"{other}\">: the value must be \"yes\" or \"no\""),
            )),
        }
    }

    pub(super) fn parse(mut self) -> Result<Srx> {
        let mut version = None;
        let mut cascade = None;
        let mut segment_subflows = None;
        let mut language_rules: Vec<LanguageRule> = Vec::new();
        // (pattern, rule name, line) of each languagemap in use.
        let mut maps: Vec<(String, String, usize)> = Vec::new();
        let mut maps_line = 0;
        let mut maprule_count = 0usize;
        let mut stack: Vec<String> = Vec::new();
        let mut rule: Option<PendingRule> = None;
        // The text of the beforebreak/afterbreak being read.
        let mut pattern: Option<String> = None;
        loop {
            let event = self.reader.read_event().map_err(|e| self.xml_error(e))?;
            let line = self.line();
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    match name.as_str() {
                        "srx" => {
                            let v = self.attr(e, "version")?.unwrap_or_default();
                            if !matches!(v.trim(), "1.0" | "2.0") {
                                return Err(self.error(
                                    line,
                                    format!(
                                        "<srx version=\"{v}\"> is not supported; \
                                         bitext reads SRX 2.0 (and 1.0)"
                                    ),
                                ));
                            }
                            version = Some(v.trim().to_string());
                        }
                        "header" => {
                            cascade = self.yes_no(e, "cascade", "header")?;
                            segment_subflows = self.yes_no(e, "segmentsubflows", "header")?;
                        }
                        "languagerule" => {
                            let Some(rule_name) = self.attr(e, "languagerulename")? else {
                                return Err(
                                    self.error(line, "<languagerule> has no languagerulename")
                                );
                            };
                            if language_rules.iter().any(|l| l.name == rule_name) {
                                return Err(self.error(
                                    line,
                                    format!("a second <languagerule> is named '{rule_name}'"),
                                ));
                            }
                            language_rules.push(LanguageRule {
                                name: rule_name,
                                rules: Vec::new(),
                            });
                        }
                        "rule" => {
                            if stack.last().map(String::as_str) != Some("languagerule") {
                                return Err(self.error(line, "<rule> outside a <languagerule>"));
                            }
                            let breaks = self.yes_no(e, "break", "rule")?.unwrap_or(true);
                            let pending = PendingRule {
                                breaks,
                                before: None,
                                after: None,
                            };
                            if empty {
                                self.finish_rule(pending, &mut language_rules)?;
                            } else {
                                rule = Some(pending);
                            }
                        }
                        "beforebreak" | "afterbreak" if rule.is_some() => {
                            if empty {
                                set_pattern(rule.as_mut(), &name, String::new(), line);
                            } else {
                                pattern = Some(String::new());
                            }
                        }
                        "maprules" => maps_line = line,
                        "maprule" => maprule_count += 1,
                        "languagemap" if maprule_count <= 1 => {
                            let (Some(lang), Some(rule_name)) = (
                                self.attr(e, "languagepattern")?,
                                self.attr(e, "languagerulename")?,
                            ) else {
                                return Err(self.error(
                                    line,
                                    "<languagemap> needs languagepattern and languagerulename",
                                ));
                            };
                            maps.push((lang, rule_name, line));
                        }
                        _ => {}
                    }
                    if !empty {
                        stack.push(name);
                    }
                }
                Event::End(ref e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    stack.pop();
                    match name.as_str() {
                        "beforebreak" | "afterbreak" => {
                            if let Some(text) = pattern.take() {
                                set_pattern(rule.as_mut(), &name, text, line);
                            }
                        }
                        "rule" => {
                            if let Some(pending) = rule.take() {
                                self.finish_rule(pending, &mut language_rules)?;
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(ref t) => {
                    if let Some(p) = pattern.as_mut() {
                        p.push_str(&t.xml_content().map_err(|e| self.xml_error(e))?);
                    }
                }
                Event::CData(ref t) => {
                    if let Some(p) = pattern.as_mut() {
                        p.push_str(&t.xml_content().map_err(|e| self.xml_error(e))?);
                    }
                }
                Event::GeneralRef(ref r) => {
                    if let Some(p) = pattern.as_mut() {
                        let Some(resolved) = resolve_reference(r) else {
                            let name = String::from_utf8_lossy(r);
                            return Err(self.error(line, format!("unknown entity &{name};")));
                        };
                        p.push_str(&resolved);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let Some(version) = version else {
            return Err(self.error(1, "not an SRX file: no <srx> element"));
        };
        let srx1 = version == "1.0";
        let mut compiled_maps = Vec::with_capacity(maps.len());
        for (lang, rule_name, line) in maps {
            if !language_rules.iter().any(|l| l.name == rule_name) {
                return Err(self.error(
                    line,
                    format!(
                        "<languagemap> names the languagerule '{rule_name}', which does not exist"
                    ),
                ));
            }
            let pattern = translate(&lang)
                .and_then(|t| {
                    RegexBuilder::new(&format!("^(?:{})\\z", t.fancy))
                        .case_insensitive(true)
                        .build()
                        .map_err(|e| one_line(&e.to_string()))
                })
                .map_err(|e| {
                    self.error(
                        line,
                        format!("languagepattern `{lang}` cannot be used: {e}"),
                    )
                })?;
            compiled_maps.push(LanguageMap { pattern, rule_name });
        }
        if compiled_maps.is_empty() {
            return Err(self.error(
                maps_line.max(1),
                "no <languagemap>: add <maprules> with a <languagemap> for each language",
            ));
        }
        Ok(Srx {
            path: self.path.to_path_buf(),
            version,
            cascade: cascade.unwrap_or(!srx1),
            segment_subflows: segment_subflows.unwrap_or(true),
            language_rules,
            maps: compiled_maps,
            maps_line: maps_line.max(1),
        })
    }

    fn finish_rule(&self, pending: PendingRule, into: &mut [LanguageRule]) -> Result<()> {
        let compile_error = |kind: &str, (java, line): &(String, usize), why: String| {
            self.error(*line, format!("{kind} `{java}` cannot be used: {why}"))
        };
        let before = match &pending.before {
            Some(b) if !b.0.is_empty() => translate(&b.0)
                .and_then(compile_before)
                .map_err(|why| compile_error("beforebreak", b, why))?,
            _ => Before::Anywhere,
        };
        let after = match &pending.after {
            Some(a) if !a.0.is_empty() => Some(
                translate(&a.0)
                    .and_then(compile_after)
                    .map_err(|why| compile_error("afterbreak", a, why))?,
            ),
            _ => None,
        };
        if let Some(lr) = into.last_mut() {
            #[cfg(test)]
            let java = |p: &Option<(String, usize)>| p.as_ref().map_or("", |p| &p.0).to_string();
            lr.rules.push(Arc::new(Rule {
                breaks: pending.breaks,
                #[cfg(test)]
                java: (java(&pending.before), java(&pending.after)),
                before,
                after,
            }));
        }
        Ok(())
    }
}

fn set_pattern(rule: Option<&mut PendingRule>, element: &str, text: String, line: usize) {
    if let Some(rule) = rule {
        if element == "beforebreak" {
            rule.before = Some((text, line));
        } else {
            rule.after = Some((text, line));
        }
    }
}
