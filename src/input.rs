//! Reading inputs: expand directories, read files or standard input, and
//! decode them to text.
//!
//! UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark
//! are read as they are; text that is not UTF-8 is run through `chardetng` and
//! accepted when it decodes cleanly to Chinese text in the guessed encoding
//! (GBK/GB18030 and Big5 files are common); `--encoding` overrides detection.

use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::error::{Error, ErrorKind, Result};

/// One input of a run: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, as found on the command line or inside a directory given there.
    File(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Input {
    /// How the input is named in messages and outputs.
    pub fn display(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }

    /// The stem output files are named after (`article` for `dir/article.txt`,
    /// `stdin` for standard input).
    pub fn stem(&self) -> String {
        match self {
            Input::File(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty() && !s.starts_with('.'))
                .unwrap_or_else(|| "output".to_string()),
            Input::Stdin => "stdin".to_string(),
        }
    }

    /// The path for error messages (`-` for standard input).
    pub fn path(&self) -> &Path {
        match self {
            Input::File(path) => path,
            Input::Stdin => Path::new("-"),
        }
    }
}

/// Expand the command-line inputs: files stay, directories are walked
/// (recursively, in name order) for `*.txt` files, `-` is standard input.
pub fn expand(args: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(arg).map_err(|e| Error::read(arg, e))?;
        if meta.is_dir() {
            let before = inputs.len();
            walk(arg, &mut inputs)?;
            if inputs.len() == before {
                return Err(ErrorKind::NoTextFiles { path: arg.clone() }.into());
            }
        } else {
            inputs.push(Input::File(arg.clone()));
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, inputs: &mut Vec<Input>) -> Result<()> {
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
            walk(&path, inputs)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
        {
            inputs.push(Input::File(path));
        }
    }
    Ok(())
}

/// A decoded input.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
}

/// Read and decode an input. `encoding`, when given, overrides detection.
pub fn read(input: &Input, encoding: Option<&'static Encoding>) -> Result<Decoded> {
    let path = input.path();
    let bytes = match input {
        Input::File(p) => std::fs::read(p).map_err(|e| Error::read(p, e))?,
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Error::read(path, e))?;
            buf
        }
    };
    let decoded = decode(path, &bytes, encoding)?;
    if decoded
        .text
        .chars()
        .all(|c| c.is_whitespace() || c == '\u{feff}')
    {
        return Err(ErrorKind::EmptyInput {
            path: path.to_path_buf(),
        }
        .into());
    }
    Ok(decoded)
}

/// Decode `bytes` read from `path`.
pub fn decode(path: &Path, bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return decode_as(path, &bytes[bom..], forced.unwrap_or(encoding));
    }
    if let Some(encoding) = forced {
        return decode_as(path, bytes, encoding);
    }
    if let Some(line) = binary_line(bytes) {
        return Err(ErrorKind::BinaryInput {
            path: path.to_path_buf(),
            line,
        }
        .into());
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text: text.to_string(),
                encoding: "UTF-8",
            });
        }
        Err(e) => e,
    };
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess != encoding_rs::UTF_8 {
        if let Ok(decoded) = decode_as(path, bytes, guess) {
            if mostly_han(&decoded.text) {
                return Ok(decoded);
            }
        }
    }
    let offset = utf8_error.valid_up_to();
    Err(decode_error(path, bytes, offset, "UTF-8"))
}

fn decode_as(path: &Path, bytes: &[u8], encoding: &'static Encoding) -> Result<Decoded> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(Decoded {
            text,
            encoding: encoding.name(),
        }),
        encoding_rs::DecoderResult::Malformed(len, _) => {
            let offset = read.saturating_sub(len as usize);
            Err(decode_error(path, bytes, offset, encoding.name()))
        }
        encoding_rs::DecoderResult::OutputFull => {
            // The buffer was sized for the worst case; fall back to a lossless retry.
            let (cow, bad) = encoding.decode_without_bom_handling(bytes);
            if bad {
                Err(decode_error(path, bytes, 0, encoding.name()))
            } else {
                Ok(Decoded {
                    text: cow.into_owned(),
                    encoding: encoding.name(),
                })
            }
        }
    }
}

fn decode_error(path: &Path, bytes: &[u8], offset: usize, encoding: &str) -> Error {
    let offset = offset.min(bytes.len());
    let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    ErrorKind::Decode {
        path: path.to_path_buf(),
        line,
        offset,
        encoding: encoding.to_string(),
    }
    .into()
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
        Some(1 + sample[..first].iter().filter(|&&b| b == b'\n').count())
    } else {
        None
    }
}

/// Whether most non-ASCII letters of `text` are Han characters: the sign
/// that a guessed legacy encoding was right.
fn mostly_han(text: &str) -> bool {
    let (mut han, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if crate::segment::is_han(c) {
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
    fn invalid_utf8_names_line() {
        let err = decode(Path::new("bad.txt"), b"ok\nok\n\xff\xfe\xfd abc", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.txt:3: not valid UTF-8 (bad byte at offset 6); convert the file to UTF-8 or pass --encoding"
        );
    }
}
