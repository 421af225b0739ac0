//! TMX 1.4 (and 1.1–1.3) from any tool: one unit per `<tu>`, the source the
//! `<tuv>` in `--source-lang`, else in the header's `srclang`, else in zh-CN
//! (`srclang="*all*"`), else the first; the
//! target the next `<tuv>` in `--target-lang` (or the first other one).
//! Inline codes `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>` are codes and their
//! content native data; `<hi>` is a code around text.

use super::xml::{self, Element};
use super::{BilingualFile, ReadContext, Reader, extension, read_error, same_language, xml_root};
use crate::error::Result;

/// The TMX reader.
pub(super) struct Tmx;

impl Reader for Tmx {
    fn name(&self) -> &'static str {
        "tmx"
    }

    fn detects(&self, ctx: &ReadContext<'_>) -> bool {
        extension(ctx.path) == "tmx" || xml_root(ctx.text) == Some("tmx")
    }

    fn read(&self, ctx: &ReadContext<'_>) -> Result<BilingualFile> {
        let root = xml::parse_as(ctx.path, ctx.text, "tmx", "a TMX")?;
        let header = root.child("header");
        let srclang = header
            .and_then(|h| h.attribute("srclang"))
            .filter(|l| !l.eq_ignore_ascii_case("*all*"))
            .map(str::to_string);
        let source_lang = ctx.source_lang.map(str::to_string).or(srclang);
        let body = root.child("body").ok_or_else(|| {
            read_error(ctx.path, root.line, "no <body>; is this a TMX file?".into())
        })?;
        let mut file = BilingualFile {
            source_lang: source_lang.clone(),
            ..BilingualFile::default()
        };
        for (n, tu) in body.elements().filter(|e| e.name == "tu").enumerate() {
            let tuvs: Vec<(&str, &Element)> = tu
                .elements()
                .filter(|e| e.name == "tuv")
                .map(|tuv| (tuv.attribute("lang").unwrap_or(""), tuv))
                .collect();
            if tuvs.is_empty() {
                return Err(read_error(ctx.path, tu.line, "a <tu> without <tuv>".into()));
            }
            // With no source language stated (srclang="*all*"), the
            // default's (zh-CN), else the first.
            let wanted = source_lang.as_deref().unwrap_or("zh-CN");
            let source_at = tuvs
                .iter()
                .position(|(lang, _)| same_language(lang, wanted))
                .unwrap_or(0);
            let target_lang = ctx
                .target_lang
                .map(str::to_string)
                .or_else(|| file.target_lang.clone());
            let target = tuvs
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != source_at)
                .find(|(_, (lang, _))| {
                    target_lang
                        .as_deref()
                        .is_none_or(|t| same_language(lang, t))
                })
                .map(|(_, t)| *t);
            if file.target_lang.is_none()
                && let Some((lang, _)) = target
                && !lang.is_empty()
            {
                file.target_lang = Some(lang.to_string());
            }
            let seg = |tuv: &Element| {
                tuv.child("seg")
                    .map(xml::inline)
                    .ok_or_else(|| read_error(ctx.path, tuv.line, "a <tuv> without <seg>".into()))
            };
            let (source_lang_of_tu, source_tuv) = tuvs[source_at];
            if file.source_lang.is_none() && !source_lang_of_tu.is_empty() {
                file.source_lang = Some(source_lang_of_tu.to_string());
            }
            let source = seg(source_tuv)?;
            let target = target.map(|(_, t)| seg(t)).transpose()?;
            let id = tu
                .attribute("tuid")
                .map_or_else(|| (n + 1).to_string(), str::to_string);
            file.units.push(xml::unit(id, tu.line, source, target));
        }
        Ok(file)
    }
}
