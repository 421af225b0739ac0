//! Atomic output files: written to a temporary file beside the target and
//! renamed into place only when complete, so that a crash or Ctrl-C never
//! leaves a truncated output.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// An output file being written. Dropping it without [`AtomicFile::commit`]
/// removes the temporary file and leaves the target untouched.
pub struct AtomicFile {
    out: BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Start writing `path` (the directory must exist).
    pub fn create(path: &Path) -> Result<Self> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let tmp = builder
            .tempfile_in(dir)
            .map_err(|source| ErrorKind::OutputDir {
                path: dir.to_path_buf(),
                source,
            })?;
        Ok(AtomicFile {
            out: BufWriter::new(tmp),
            path: path.to_path_buf(),
        })
    }

    /// The file this will become.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flush and move the file into place.
    pub fn commit(self) -> Result<PathBuf> {
        let path = self.path;
        let tmp = self
            .out
            .into_inner()
            .map_err(|e| Error::write(&path, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::write(&path, e))?;
        tmp.persist(&path)
            .map_err(|e| Error::write(&path, e.error))?;
        Ok(path)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
