//! The library's error type.
//!
//! Every error names the thing it is about (a file and line, a segment, a
//! backend) and, where there is one, what the user can do about it. The
//! binary prints the message as one line and maps [`Error::exit_code`] to the
//! process exit status.

use std::path::{Path, PathBuf};

/// A `bitext` error: a boxed [`ErrorKind`] so that `Result<T, Error>` stays small.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: Box<ErrorKind>,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The process exit code for this error: 2 for bad input, configuration or
    /// usage (the user must change something), 1 for a failure during a run.
    pub fn exit_code(&self) -> i32 {
        match *self.kind {
            ErrorKind::Backend { .. } => 1,
            _ => 2,
        }
    }

    /// An I/O error while reading `path`.
    pub(crate) fn read(path: &Path, source: std::io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            std::io::ErrorKind::NotFound => ErrorKind::NotFound { path }.into(),
            _ => ErrorKind::Read { path, source }.into(),
        }
    }

    /// An error at `line` of `path` (0: the whole file), in a file of the
    /// kind `file` (a glossary, an SRX file, a reviewed file...).
    pub(crate) fn in_file(
        file: FileKind,
        path: &Path,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        let (path, message) = (path.to_path_buf(), message.into());
        // Each file kind names the error kind of the same name.
        macro_rules! kinds {
            ($($kind:ident),*) => {
                match file {
                    $(FileKind::$kind => ErrorKind::$kind { path, line, message },)*
                }
            };
        }
        kinds!(Glossary, Prompt, Config, Srx, Review, Aligned, Qa).into()
    }

    /// An I/O error while writing `path`.
    pub(crate) fn write(path: &Path, source: std::io::Error) -> Self {
        ErrorKind::Write {
            path: path.to_path_buf(),
            source,
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
        }
    }
}

/// The files whose errors are an [`ErrorKind`] with a path, a line and a
/// message: which one [`Error::in_file`] makes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FileKind {
    /// [`ErrorKind::Glossary`].
    Glossary,
    /// [`ErrorKind::Prompt`].
    Prompt,
    /// [`ErrorKind::Config`].
    Config,
    /// [`ErrorKind::Srx`].
    Srx,
    /// [`ErrorKind::Review`].
    Review,
    /// [`ErrorKind::Aligned`].
    Aligned,
    /// [`ErrorKind::Qa`].
    Qa,
}

/// The kinds of [`Error`]. Each message is one line that names the file,
/// line, segment or backend concerned and says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An input path does not exist.
    #[error("{}: no such file or directory; check the path", path.display())]
    NotFound {
        /// The missing path.
        path: PathBuf,
    },
    /// An input could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A directory given as input holds no input file (`*.txt`, `*.md`,
    /// `*.markdown`, `*.html`, `*.htm`).
    #[error("{}: directory has no {} files; pass input files or a directory that holds some", path.display(), crate::markup::FormatKind::input_extensions())]
    NoTextFiles {
        /// The directory.
        path: PathBuf,
    },
    /// An input holds no text.
    #[error("{}: no text in the file (it is empty, white space, or only markup and code); pass a file with text", path.display())]
    EmptyInput {
        /// The file.
        path: PathBuf,
    },
    /// An input looks like a binary file.
    #[error("{}: looks like a binary file (binary data at line {line}); pass a plain-text file", path.display())]
    BinaryInput {
        /// The file.
        path: PathBuf,
        /// The line of the first NUL (or other control) byte.
        line: usize,
    },
    /// An input cannot be decoded.
    #[error("{}:{line}: not valid {encoding} (bad byte at offset {offset}); convert the file to UTF-8 or pass --encoding", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The line of the first bad byte (1-based).
        line: usize,
        /// The byte offset of the first bad byte.
        offset: usize,
        /// The encoding that was tried.
        encoding: String,
    },
    /// `--encoding` names an encoding that does not exist.
    #[error(
        "unknown encoding '{name}'; use a WHATWG label such as utf-8, gbk, gb18030, big5, utf-16le"
    )]
    UnknownEncoding {
        /// The label given.
        name: String,
    },
    /// A glossary file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Glossary {
        /// The glossary file.
        path: PathBuf,
        /// The line (1-based; 0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A prompt template (`--prompt`) uses an unknown variable, or a style
    /// guide (`--style`) is empty.
    #[error("{}:{line}: {message}", path.display())]
    Prompt {
        /// The template or style guide.
        path: PathBuf,
        /// The line (1-based; 0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// The config file (`bitext.toml`) is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// The line (1-based; 0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// An SRX segmentation rules file is malformed, or a rule's regular
    /// expression cannot be translated or compiled.
    #[error("{}:{line}: {message}", path.display())]
    Srx {
        /// The SRX file.
        path: PathBuf,
        /// The line (1-based) of the element concerned.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// `--backend` names no known backend.
    #[error("unknown backend '{name}'; run `bitext backends` to list the backends")]
    UnknownBackend {
        /// The name given.
        name: String,
    },
    /// A backend request failed; retrying it (or its segments one by one)
    /// may succeed.
    #[error("backend {backend}: {message}")]
    Backend {
        /// The backend's name.
        backend: String,
        /// What went wrong.
        message: String,
    },
    /// A backend failed in a way that retrying will not fix (bad or missing
    /// key, quota exhausted, no such model): the run stops.
    #[error("backend {backend}: {message}")]
    BackendFatal {
        /// The backend's name.
        backend: String,
        /// What went wrong, and what to do.
        message: String,
    },
    /// An output file exists and `--force` was not given.
    #[error("{}: already exists; pass --force to overwrite it", path.display())]
    OutputExists {
        /// The output file.
        path: PathBuf,
    },
    /// An output of a batch exists, and neither `--force` nor
    /// `--skip-existing` lets the run go on.
    #[error("{}: already exists{}", path.display(), batch_output_hint(input.as_deref()))]
    BatchOutputExists {
        /// The output file.
        path: PathBuf,
        /// With `--skip-existing`: the input some of whose outputs are
        /// missing (so it is not skipped).
        input: Option<String>,
    },
    /// `-o` names something other than a directory.
    #[error("-o {}: is a file; -o must be a directory (the outputs go into it)", path.display())]
    OutputNotDir {
        /// What `-o` names.
        path: PathBuf,
    },
    /// The output directory cannot be created or written.
    #[error("{}: cannot write to the output directory: {source}; choose another with -o", path.display())]
    OutputDir {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The translation memory cannot be opened, read or written.
    #[error("{}: translation memory: {message}; pass --cache FILE for another, or --no-cache", path.display())]
    Memory {
        /// The database file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A reviewed file (`bitext import`) cannot be read.
    #[error("{}{}: {message}", path.display(), line_suffix(*line))]
    Review {
        /// The reviewed file (or the JSONL beside it).
        path: PathBuf,
        /// The line (1-based; 0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// An aligned file given to `bitext glossary extract --aligned` cannot
    /// be read.
    #[error("{}{}: {message}", path.display(), line_suffix(*line))]
    Aligned {
        /// The JSONL or TMX file.
        path: PathBuf,
        /// The line (1-based; 0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A bilingual file given to `bitext qa` cannot be read.
    #[error("{}{}: {message}", path.display(), line_suffix(*line))]
    Qa {
        /// The file.
        path: PathBuf,
        /// The line (1-based; 0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A command-line value is invalid.
    #[error("{0}")]
    Usage(String),
}

/// What to do about an existing output of a batch.
fn batch_output_hint(input: Option<&str>) -> String {
    match input {
        None => "; pass --force to overwrite it, or --skip-existing to skip the inputs whose outputs all exist".to_string(),
        Some(input) => format!(
            ", but not every output of {input} does; pass --force to translate it again and overwrite it"
        ),
    }
}

/// `:LINE` for a line number, nothing for 0.
fn line_suffix(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
