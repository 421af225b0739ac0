//! TBX: import from TBX v3 (`<tbx>`, TBX-Basic) and TBX 2008 (`<martif>`,
//! as translate-toolkit and most CAT tools export it), export as TBX 2008.
//!
//! An entry (`conceptEntry` / `termEntry`) holds language sections
//! (`langSec` / `langSet`) with terms (`term`, inside `termSec`, `tig` or
//! `ntig`). Each source-language term becomes a glossary entry whose target is
//! the first target-language term; further target terms become variants.
//! `note` and `descrip` texts become the note. Entries lacking either language
//! are skipped, since a TBX file may hold other languages too. A target term
//! whose `administrativeStatus` is `deprecatedTerm-admn-sts` or
//! `supersededTerm-admn-sts` is no target but a forbidden rendering.

use std::io::{self, Write};
use std::path::Path;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{Entry, glossary_error};
use crate::error::Result;
use crate::text::{resolve_xml_reference as resolve_reference, xml_event};

/// Parse a TBX document: entries from `source_lang` (a language prefix such
/// as `zh`) to `target_lang` (`en`).
pub(super) fn parse(
    path: &Path,
    text: &str,
    source_lang: &str,
    target_lang: &str,
) -> Result<Vec<Entry>> {
    let mut reader = quick_xml::Reader::from_str(text);
    let line_at = |pos: u64| crate::text::line_at(text.as_bytes(), pos as usize);
    let mut entries = Vec::new();
    let mut root_seen = false;
    // State of the entry being read.
    let mut in_entry = false;
    let mut entry_line = 0;
    let mut lang = String::new();
    let mut sources: Vec<String> = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    let mut forbidden: Vec<String> = Vec::new();
    // Whether the last term read was a target term (a termNote after it
    // may deprecate it).
    let mut last_was_target = false;
    let mut notes: Vec<String> = Vec::new();
    let mut capture: Option<&'static str> = None;
    let mut buffer = String::new();
    loop {
        let (pos, event) = xml_event(&mut reader, text, "TBX", |line, message| {
            glossary_error(path, line, &message)
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if !root_seen => {
                let name = e.local_name();
                if !matches!(name.as_ref(), b"tbx" | b"martif") {
                    return Err(glossary_error(
                        path,
                        line_at(pos),
                        "not a TBX file: the root element must be <tbx> or <martif>",
                    ));
                }
                root_seen = true;
            }
            Event::Start(e) => match e.local_name().as_ref() {
                b"conceptEntry" | b"termEntry" => {
                    in_entry = true;
                    entry_line = line_at(pos);
                    sources.clear();
                    targets.clear();
                    forbidden.clear();
                    notes.clear();
                }
                b"langSec" | b"langSet" if in_entry => {
                    lang = language_of(&e).unwrap_or_default();
                }
                b"term" if in_entry => {
                    capture = Some("term");
                    buffer.clear();
                }
                b"note" | b"descrip" | b"definition" if in_entry => {
                    capture = Some("note");
                    buffer.clear();
                }
                b"termNote" if in_entry && last_was_target => {
                    let status = e.attributes().flatten().any(|a| {
                        a.key.as_ref() == b"type" && a.value.as_ref() == b"administrativeStatus"
                    });
                    if status {
                        capture = Some("status");
                        buffer.clear();
                    }
                }
                _ => {}
            },
            Event::Text(t) if capture.is_some() => {
                buffer.push_str(
                    &t.decode()
                        .map_err(|e| glossary_error(path, line_at(pos), &e.to_string()))?,
                );
            }
            Event::GeneralRef(r) if capture.is_some() => {
                if let Some(text) = resolve_reference(&r) {
                    buffer.push_str(&text);
                }
            }
            Event::CData(t) if capture.is_some() => {
                buffer.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"term" if capture == Some("term") => {
                    capture = None;
                    let term = buffer.trim().to_string();
                    if term.is_empty() {
                        continue;
                    }
                    last_was_target = false;
                    if lang_matches(&lang, source_lang) {
                        sources.push(term);
                    } else if lang_matches(&lang, target_lang) {
                        targets.push(term);
                        last_was_target = true;
                    }
                }
                b"termNote" if capture == Some("status") => {
                    capture = None;
                    let status = buffer.trim();
                    if (status.starts_with("deprecated") || status.starts_with("superseded"))
                        && let Some(term) = targets.pop()
                    {
                        forbidden.push(term);
                    }
                }
                b"note" | b"descrip" | b"definition" if capture == Some("note") => {
                    capture = None;
                    let note = buffer.trim().to_string();
                    if !note.is_empty() {
                        notes.push(note);
                    }
                }
                b"langSec" | b"langSet" => lang.clear(),
                b"conceptEntry" | b"termEntry" => {
                    in_entry = false;
                    if let Some((target, variants)) = targets.split_first() {
                        for source in &sources {
                            entries.push(Entry {
                                source: source.clone(),
                                target: target.clone(),
                                variants: variants.to_vec(),
                                note: notes.join(" "),
                                case_sensitive: false,
                                do_not_translate: false,
                                forbidden: forbidden.clone(),
                                origin: format!("{}:{entry_line}", path.display()),
                            });
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(glossary_error(
            path,
            1,
            "not a TBX file: no <tbx> or <martif> root element",
        ));
    }
    Ok(entries)
}

fn language_of(e: &BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        matches!(a.key.as_ref(), b"xml:lang" | b"lang")
            .then(|| String::from_utf8_lossy(&a.value).into_owned())
    })
}

/// Whether a TBX language code (`zh`, `zh-CN`, `zh_Hans`) belongs to `prefix` (`zh`).
fn lang_matches(lang: &str, prefix: &str) -> bool {
    let lang = lang.to_ascii_lowercase().replace('_', "-");
    let prefix = prefix.to_ascii_lowercase();
    lang == prefix || lang.starts_with(&format!("{prefix}-"))
}

/// Write `entries` as a TBX 2008 (`<martif>`) document from `source_lang`
/// to `target_lang` (hyphenated tags).
pub(super) fn write(
    entries: &[Entry],
    source_lang: &str,
    target_lang: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = quick_xml::Writer::new_with_indent(out, b' ', 2);
    let mut ev = |w: &mut quick_xml::Writer<&mut dyn Write>, e: Event<'_>| {
        w.write_event(e).map_err(io::Error::other)
    };
    ev(
        &mut w,
        Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)),
    )?;
    ev(
        &mut w,
        Event::Start(
            BytesStart::new("martif").with_attributes([("type", "TBX"), ("xml:lang", "en")]),
        ),
    )?;
    for name in ["martifHeader", "fileDesc", "sourceDesc", "p"] {
        ev(&mut w, Event::Start(BytesStart::new(name)))?;
    }
    ev(&mut w, Event::Text(BytesText::new("Exported by bitext")))?;
    for name in ["p", "sourceDesc", "fileDesc", "martifHeader"] {
        ev(&mut w, Event::End(BytesEnd::new(name)))?;
    }
    for name in ["text", "body"] {
        ev(&mut w, Event::Start(BytesStart::new(name)))?;
    }
    for (n, entry) in entries.iter().enumerate() {
        let id = format!("e{}", n + 1);
        ev(
            &mut w,
            Event::Start(BytesStart::new("termEntry").with_attributes([("id", id.as_str())])),
        )?;
        if !entry.note.is_empty() {
            simple(&mut w, &mut ev, BytesStart::new("note"), &entry.note)?;
        }
        let sides: [(&str, Vec<&String>); 2] = [
            (source_lang, vec![&entry.source]),
            (
                target_lang,
                std::iter::once(&entry.target)
                    .chain(&entry.variants)
                    .chain(&entry.forbidden)
                    .collect(),
            ),
        ];
        for (lang, terms) in sides {
            ev(
                &mut w,
                Event::Start(BytesStart::new("langSet").with_attributes([("xml:lang", lang)])),
            )?;
            for term in terms {
                ev(&mut w, Event::Start(BytesStart::new("tig")))?;
                simple(&mut w, &mut ev, BytesStart::new("term"), term)?;
                if lang == target_lang && entry.forbidden.contains(term) {
                    simple(
                        &mut w,
                        &mut ev,
                        BytesStart::new("termNote")
                            .with_attributes([("type", "administrativeStatus")]),
                        "deprecatedTerm-admn-sts",
                    )?;
                }
                ev(&mut w, Event::End(BytesEnd::new("tig")))?;
            }
            ev(&mut w, Event::End(BytesEnd::new("langSet")))?;
        }
        ev(&mut w, Event::End(BytesEnd::new("termEntry")))?;
    }
    for name in ["body", "text", "martif"] {
        ev(&mut w, Event::End(BytesEnd::new(name)))?;
    }
    w.into_inner().write_all(b"\n")
}

fn simple<F>(
    w: &mut quick_xml::Writer<&mut dyn Write>,
    ev: &mut F,
    start: BytesStart<'_>,
    text: &str,
) -> io::Result<()>
where
    F: FnMut(&mut quick_xml::Writer<&mut dyn Write>, Event<'_>) -> io::Result<()>,
{
    let end = start.to_end().into_owned();
    ev(w, Event::Start(start))?;
    ev(w, Event::Text(BytesText::new(text)))?;
    ev(w, Event::End(end))
}
