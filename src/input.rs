//! Reading inputs: expand directories, read files or standard input, and
//! decode them to text.
//!
//! UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark
//! are read as they are; text that is not UTF-8 is run through `chardetng` and
//! accepted when it decodes cleanly to Chinese text in the guessed encoding
//! (GBK/GB18030 and Big5 files are common); `--encoding` overrides detection.

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::error::{Error, ErrorKind, Result};

/// One input of a run: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file named on the command line.
    File(PathBuf),
    /// A file found in a directory named on the command line.
    Found {
        /// Its path: the directory as given, joined with the path below it.
        path: PathBuf,
        /// The directory as given.
        dir: PathBuf,
    },
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Input {
    /// How the input is named in messages and outputs: its path as given
    /// (`in/sub/a.txt` for a file found in `in`), `-` for standard input.
    pub fn display(&self) -> String {
        match self {
            Input::File(path) | Input::Found { path, .. } => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }

    /// The stem output files are named after (`article` for `dir/article.txt`,
    /// `stdin` for standard input).
    pub fn stem(&self) -> String {
        match self {
            Input::File(path) | Input::Found { path, .. } => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty() && !s.starts_with('.'))
                .unwrap_or_else(|| "output".to_string()),
            Input::Stdin => "stdin".to_string(),
        }
    }

    /// The folders between the directory given on the command line and a
    /// file found in it (`sub/deeper` for `in/sub/deeper/a.txt` found in
    /// `in`); empty for a file named on the command line.
    pub fn subfolders(&self) -> Vec<String> {
        match self {
            Input::Found { path, dir } => path
                .strip_prefix(dir)
                .ok()
                .and_then(Path::parent)
                .map(|rel| {
                    rel.components()
                        .filter_map(|c| match c {
                            std::path::Component::Normal(name) => {
                                Some(name.to_string_lossy().into_owned())
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Input::File(_) | Input::Stdin => Vec::new(),
        }
    }

    /// Whether the input was named on the command line itself (a file, or
    /// standard input), not found in a directory.
    pub fn is_argument(&self) -> bool {
        !matches!(self, Input::Found { .. })
    }

    /// The path for error messages (`-` for standard input).
    pub fn path(&self) -> &Path {
        match self {
            Input::File(path) | Input::Found { path, .. } => path,
            Input::Stdin => Path::new("-"),
        }
    }
}

/// Expand the command-line inputs: files stay, directories are walked
/// (recursively, in name order) for the files of an input format (`*.txt`,
/// `*.md`, `*.markdown`, `*.html`, `*.htm`), `-` is standard input. The walk
/// passes over hidden entries and over the folder `skip` (the output
/// folder, whose files bitext wrote) when it meets it below a directory
/// given. A file named twice (or named and found in a directory) is read
/// once, at its first place; `-` twice is an error, since standard input
/// can be read only once.
pub fn expand(args: &[PathBuf], skip: Option<&Path>) -> Result<Vec<Input>> {
    let skip = skip.and_then(|dir| std::fs::canonicalize(dir).ok());
    let mut inputs = Vec::new();
    let mut stdin = false;
    for arg in args {
        if arg.as_os_str() == "-" {
            if std::mem::replace(&mut stdin, true) {
                return Err(ErrorKind::Usage(
                    "- (standard input) is given twice; it can be read only once".to_string(),
                )
                .into());
            }
            inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(arg).map_err(|e| Error::read(arg, e))?;
        if meta.is_dir() {
            let before = inputs.len();
            walk(arg, arg, skip.as_deref(), &mut inputs)?;
            if inputs.len() == before {
                return Err(ErrorKind::NoTextFiles { path: arg.clone() }.into());
            }
        } else {
            inputs.push(Input::File(arg.clone()));
        }
    }
    // The same file twice: keep the first.
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| match input {
        Input::Stdin => true,
        Input::File(path) | Input::Found { path, .. } => {
            seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
        }
    });
    Ok(inputs)
}

/// Add the input files below `dir` (found in `root`, the directory given),
/// passing over the folder `skip` (canonical).
fn walk(root: &Path, dir: &Path, skip: Option<&Path>, inputs: &mut Vec<Input>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::read(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            if skip.is_some_and(|skip| std::fs::canonicalize(&path).is_ok_and(|p| p == skip)) {
                continue;
            }
            walk(root, &path, skip, inputs)?;
        } else if crate::markup::FormatKind::is_input(&path) {
            inputs.push(Input::Found {
                path,
                dir: root.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Decoded text per chunk, in bytes. A chunk always ends at a line break, so
/// a line longer than this makes a longer chunk; memory stays bounded by the
/// longer of the two.
pub const CHUNK_BYTES: usize = 1 << 20;

/// How many bytes are read at a time.
const READ_BYTES: usize = 1 << 16;

/// A stretch of decoded text that ends at a line break (or the end of the
/// input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The text.
    pub text: String,
    /// Byte offset of the text in the whole decoded input.
    pub offset: usize,
    /// 1-based line number of the chunk's first line.
    pub first_line: usize,
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// An input being decoded, chunk by chunk, in bounded memory.
///
/// Opening it settles the encoding: a byte-order mark, or `--encoding`, or
/// valid UTF-8 (checked over the whole input in a streaming pass), or else
/// the legacy encoding `chardetng` guesses, when it decodes to Chinese text.
pub struct TextSource {
    path: PathBuf,
    reader: Box<dyn ReadSeek>,
    encoding: &'static Encoding,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    /// Raw bytes consumed by the decoder so far.
    consumed: usize,
    pending: String,
    /// Decoded bytes handed out in chunks so far.
    offset: usize,
    /// Line breaks handed out so far.
    lines: usize,
    eof: bool,
}

impl TextSource {
    /// Open an input; `forced` overrides encoding detection.
    pub fn open(input: &Input, forced: Option<&'static Encoding>) -> Result<Self> {
        let path = input.path().to_path_buf();
        let reader: Box<dyn ReadSeek> = match input {
            Input::File(p) | Input::Found { path: p, .. } => {
                Box::new(File::open(p).map_err(|e| Error::read(p, e))?)
            }
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| Error::read(&path, e))?;
                Box::new(Cursor::new(buf))
            }
        };
        TextSource::from_reader(path, reader, forced)
    }

    /// Decode bytes held in memory; `path` names them in errors.
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
        forced: Option<&'static Encoding>,
    ) -> Result<Self> {
        TextSource::from_reader(path.to_path_buf(), Box::new(Cursor::new(bytes)), forced)
    }

    fn from_reader(
        path: PathBuf,
        mut reader: Box<dyn ReadSeek>,
        forced: Option<&'static Encoding>,
    ) -> Result<Self> {
        let encoding = sniff(&path, reader.as_mut(), forced)?;
        reader
            .seek(SeekFrom::Start(0))
            .map_err(|e| Error::read(&path, e))?;
        Ok(TextSource {
            path,
            reader,
            encoding,
            // Strips a BOM of `encoding` (and only of it).
            decoder: encoding.new_decoder_with_bom_removal(),
            raw: vec![0; READ_BYTES],
            consumed: 0,
            pending: String::new(),
            offset: 0,
            lines: 0,
            eof: false,
        })
    }

    /// The encoding the input is decoded from.
    pub fn encoding(&self) -> &'static str {
        self.encoding.name()
    }

    /// The next chunk of text, or `None` at the end.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        loop {
            let cut = if self.eof {
                (!self.pending.is_empty()).then_some(self.pending.len())
            } else if self.pending.len() >= CHUNK_BYTES {
                last_line_break(&self.pending)
            } else {
                None
            };
            if let Some(cut) = cut {
                let rest = self.pending.split_off(cut);
                let text = std::mem::replace(&mut self.pending, rest);
                let chunk = Chunk {
                    offset: self.offset,
                    first_line: self.lines + 1,
                    text,
                };
                self.offset += chunk.text.len();
                self.lines += crate::segment::line_breaks(&chunk.text);
                return Ok(Some(chunk));
            }
            if self.eof {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    /// Read and decode the rest of the input into one string.
    pub fn read_to_string(mut self) -> Result<String> {
        let mut text = String::new();
        while let Some(chunk) = self.next_chunk()? {
            text.push_str(&chunk.text);
        }
        Ok(text)
    }

    /// Read one block and decode it onto `pending`.
    fn fill(&mut self) -> Result<()> {
        let n = loop {
            match self.reader.read(&mut self.raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::read(&self.path, e)),
            }
        };
        let last = n == 0;
        let mut src = &self.raw[..n];
        loop {
            let need = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 4 + 16);
            self.pending.reserve(need);
            let (result, read) =
                self.decoder
                    .decode_to_string_without_replacement(src, &mut self.pending, last);
            self.consumed += read;
            match result {
                encoding_rs::DecoderResult::InputEmpty => break,
                encoding_rs::DecoderResult::OutputFull => src = &src[read..],
                encoding_rs::DecoderResult::Malformed(bad, _) => {
                    let line = self.lines + 1 + crate::segment::line_breaks(&self.pending);
                    return Err(ErrorKind::Decode {
                        path: self.path.clone(),
                        line,
                        offset: self.consumed - bad as usize,
                        encoding: self.encoding.name().to_string(),
                    }
                    .into());
                }
            }
        }
        self.eof = last;
        Ok(())
    }
}

/// The byte index just after the last line break of `text` that can be cut
/// at (a `\r` at the very end might be the first half of `\r\n`).
fn last_line_break(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let n = bytes.iter().rposition(|&b| b == b'\n' || b == b'\r')?;
    if bytes[n] == b'\r' && n + 1 == bytes.len() {
        return bytes[..n]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map(|i| i + 1);
    }
    Some(n + 1)
}

/// A decoded input.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
}

/// Read, decode and segment one whole input in `format` (in memory;
/// [`paragraphs`] streams a text instead).
pub fn document(
    input: &Input,
    encoding: Option<&'static Encoding>,
    format: crate::markup::FormatKind,
    segmenter: &crate::segment::Segmenter,
) -> Result<crate::document::Document> {
    let decoded = read(input, encoding)?;
    Ok(crate::document::Document {
        source: input.display(),
        encoding: decoded.encoding.to_string(),
        paragraphs: crate::markup::Skeleton::parse(format, decoded.text).paragraphs(segmenter),
    })
}

/// The paragraphs of `input`, read in `format` and handed to `each` in
/// order: a text streamed chunk by chunk, a document with structure
/// (Markdown, HTML) read whole and cut into its translatable blocks first,
/// as `translate` does (its segments' spans are then offsets in a block,
/// not in the input). Returns how many there were.
pub fn paragraphs(
    input: &Input,
    encoding: Option<&'static Encoding>,
    format: crate::markup::FormatKind,
    segmenter: &crate::segment::Segmenter,
    mut each: impl FnMut(crate::document::Paragraph) -> Result<()>,
) -> Result<usize> {
    if format == crate::markup::FormatKind::Text {
        let mut source = TextSource::open(input, encoding)?;
        let mut position = crate::segment::Position::default();
        while let Some(chunk) = source.next_chunk()? {
            for paragraph in segmenter.paragraphs(&chunk.text, &mut position) {
                each(paragraph)?;
            }
        }
        return Ok(position.paragraphs);
    }
    let paragraphs = document(input, encoding, format, segmenter)?.paragraphs;
    let count = paragraphs.len();
    paragraphs.into_iter().try_for_each(each)?;
    Ok(count)
}

/// Read and decode a whole input. `encoding`, when given, overrides detection.
pub fn read(input: &Input, encoding: Option<&'static Encoding>) -> Result<Decoded> {
    let source = TextSource::open(input, encoding)?;
    let encoding = source.encoding();
    let text = source.read_to_string()?;
    if text.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
        return Err(ErrorKind::EmptyInput {
            path: input.path().to_path_buf(),
        }
        .into());
    }
    Ok(Decoded { text, encoding })
}

/// Decode `bytes` read from `path`, whole.
pub fn decode(path: &Path, bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded> {
    let source = TextSource::from_bytes(path, bytes.to_vec(), forced)?;
    let encoding = source.encoding();
    Ok(Decoded {
        text: source.read_to_string()?,
        encoding,
    })
}

/// Choose the encoding of an input, reading it (once) if need be.
fn sniff(
    path: &Path,
    reader: &mut dyn ReadSeek,
    forced: Option<&'static Encoding>,
) -> Result<&'static Encoding> {
    let mut head = vec![0; 8192];
    let n = read_full(reader, &mut head).map_err(|e| Error::read(path, e))?;
    head.truncate(n);
    if let Some((encoding, _)) = Encoding::for_bom(&head) {
        return Ok(forced.unwrap_or(encoding));
    }
    if let Some(encoding) = forced {
        return Ok(encoding);
    }
    if let Some(line) = binary_line(&head) {
        // NUL bytes at every other place: UTF-16 text without its mark.
        if let Some(encoding) = utf16_without_bom(&head) {
            return Ok(encoding);
        }
        return Err(ErrorKind::BinaryInput {
            path: path.to_path_buf(),
            line,
        }
        .into());
    }
    // Validate UTF-8 over the whole input, carrying split sequences over.
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| Error::read(path, e))?;
    let mut buf = vec![0; READ_BYTES];
    let mut carry: Vec<u8> = Vec::new();
    let (mut offset, mut lines) = (0usize, 0usize);
    let newlines = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count();
    let (bad_offset, bad_line) = loop {
        let n = read_full(reader, &mut buf).map_err(|e| Error::read(path, e))?;
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(_) if n == 0 => return Ok(encoding_rs::UTF_8),
            Ok(_) => {
                lines += newlines(&carry);
                offset += carry.len();
                carry.clear();
            }
            // A sequence split at the end of the block: keep it for the next.
            Err(e) if e.error_len().is_none() && n > 0 => {
                let good = e.valid_up_to();
                lines += newlines(&carry[..good]);
                offset += good;
                carry.drain(..good);
            }
            Err(e) => {
                let good = e.valid_up_to();
                break (offset + good, lines + newlines(&carry[..good]) + 1);
            }
        }
    };
    // Not UTF-8. UTF-16 without its mark (Chinese text with no ASCII in it
    // has no NUL bytes)?
    if let Some(encoding) = utf16_without_bom(&head) {
        return Ok(encoding);
    }
    // Let chardetng guess from the first megabytes, and accept the guess if
    // it decodes them cleanly to Chinese text.
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| Error::read(path, e))?;
    let mut sample = vec![0; 4 << 20];
    let n = read_full(reader, &mut sample).map_err(|e| Error::read(path, e))?;
    sample.truncate(n);
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&sample, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess != encoding_rs::UTF_8 {
        let mut decoder = guess.new_decoder_without_bom_handling();
        let mut text = String::with_capacity(sample.len() * 2);
        // The sample may end inside a character: decode it as not the last.
        let (result, _) = decoder.decode_to_string_without_replacement(&sample, &mut text, false);
        if matches!(result, encoding_rs::DecoderResult::InputEmpty) && mostly_han(&text) {
            return Ok(guess);
        }
    }
    Err(ErrorKind::Decode {
        path: path.to_path_buf(),
        line: bad_line,
        offset: bad_offset,
        encoding: "UTF-8".to_string(),
    }
    .into())
}

/// Fill `buf` as far as the reader allows; the number of bytes read.
fn read_full(reader: &mut dyn ReadSeek, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The line of the first NUL byte when the start of the file looks binary:
/// NUL bytes, or many control characters, in its first 8 KiB.
fn binary_line(bytes: &[u8]) -> Option<usize> {
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls * 100 > sample.len() || controls * 10 > sample.len() {
        let first = sample
            .iter()
            .position(|&b| b == 0)
            .or_else(|| sample.iter().position(|&b| b < 0x09))
            .unwrap_or(0);
        Some(crate::text::line_at(sample, first))
    } else {
        None
    }
}

/// UTF-16 (little- or big-endian) when the start of an input without a
/// byte-order mark reads as such: valid UTF-16 that is nearly all text
/// (Han characters, CJK and general punctuation, ASCII letters, digits,
/// punctuation and white space) and has Han characters or ASCII letters.
/// Random bytes decode to other characters (controls, Hangul, private use)
/// far too often to pass.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let head = &head[..head.len() & !1];
    if head.len() < 4 {
        return None;
    }
    [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE]
        .into_iter()
        .find(|encoding| {
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let mut text = String::with_capacity(head.len() * 2);
            // Not the last bytes: the head may end inside a surrogate pair.
            let (result, _) = decoder.decode_to_string_without_replacement(head, &mut text, false);
            matches!(result, encoding_rs::DecoderResult::InputEmpty) && reads_as_text(&text)
        })
}

/// Whether `text` (decoded from a guess) is plausibly text: at least 95 %
/// of its characters are text characters, none is a control other than
/// white space, and some are Han characters or ASCII letters.
fn reads_as_text(text: &str) -> bool {
    let (mut total, mut good, mut words) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            return false;
        }
        let han = crate::text::is_han(c);
        if han || c.is_ascii_alphabetic() {
            words += 1;
        }
        if han
            || c.is_ascii()
            || c.is_whitespace()
            || matches!(c, '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
        {
            good += 1;
        }
    }
    total > 0 && words > 0 && good * 100 >= total * 95
}

/// Whether most non-ASCII letters of `text` are Han characters: the sign
/// that a guessed legacy encoding was right.
fn mostly_han(text: &str) -> bool {
    let (mut han, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if crate::text::is_han(c) {
            han += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    han > 0 && han >= other * 4
}

/// Look up an encoding by its WHATWG label (`gbk`, `gb18030`, `utf-16le`, …).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        ErrorKind::UnknownEncoding {
            name: label.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gbk() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("国土资源部创先争优活动记略。两年多来，在创先争优活动的路上。");
        let decoded = decode(Path::new("x.txt"), &bytes, None).unwrap();
        assert_eq!(decoded.encoding, "GBK");
        assert!(decoded.text.starts_with("国土资源部"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "中文.".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(Path::new("x.txt"), &bytes, None).unwrap();
        assert_eq!(decoded.text, "中文.");
        assert_eq!(decoded.encoding, "UTF-16LE");
    }

    #[test]
    fn utf16_without_bom_is_detected_and_nothing_else_is_taken_for_it() {
        // With ASCII (NUL bytes), and without (none).
        for text in [
            "国土资源部召开会议.\n会议强调.\n",
            "国土资源部召开会议。会议强调。",
        ] {
            let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            let decoded = decode(Path::new("le.txt"), &le, None).unwrap();
            assert_eq!(
                (decoded.text.as_str(), decoded.encoding),
                (text, "UTF-16LE")
            );
            let decoded = decode(Path::new("be.txt"), &be, None).unwrap();
            assert_eq!(
                (decoded.text.as_str(), decoded.encoding),
                (text, "UTF-16BE")
            );
        }
        // GBK, Big5 and UTF-8 stay what they are.
        let text = "国土资源部召开会议。会议强调，要加强耕地保护。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(
            decode(Path::new("g.txt"), &gbk, None).unwrap().encoding,
            "GBK"
        );
        let (big5, _, _) = encoding_rs::BIG5.encode("臺灣總統發表聲明。對話很重要，我們會繼續。");
        assert_eq!(
            decode(Path::new("b.txt"), &big5, None).unwrap().encoding,
            "Big5"
        );
        let ascii = b"Hello world, this is plain English text.\n";
        assert_eq!(
            decode(Path::new("a.txt"), ascii, None).unwrap().encoding,
            "UTF-8"
        );
    }

    #[test]
    fn invalid_utf8_names_line() {
        let err = decode(Path::new("bad.txt"), b"ok\nok\n\xff\xfe\xfd abc", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.txt:3: not valid UTF-8 (bad byte at offset 6); convert the file to UTF-8 or pass --encoding"
        );
    }
}
