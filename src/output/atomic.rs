//! Atomic output files: written to a temporary file beside the target and
//! renamed into place only when complete, so that a crash or Ctrl-C never
//! leaves a truncated output.
//!
//! The temporary file is `.NAME.XXXXXX.tmp` beside `NAME`, and its writer
//! holds an advisory lock on it until it is renamed into place or removed.
//! A process that dies without cleaning up (`kill -9`, a power cut) leaves
//! its temporary file behind, unlocked: [`AtomicFile::remove_stale`], which
//! every run calls for the outputs it is about to write, removes such files
//! and leaves alone those a live process still writes (and holds locked).

use std::ffi::OsStr;
use std::fs::{File, TryLockError};
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
        let dir = parent(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let dir_error = |source| -> Error {
            ErrorKind::OutputDir {
                path: dir.to_path_buf(),
                source,
            }
            .into()
        };
        // Locked as soon as it exists. Another run's clean-up may have taken
        // it for stale in the instant between (it was not locked yet) and
        // removed it: then start again with a new one.
        for _ in 0..3 {
            let tmp = builder.tempfile_in(dir).map_err(dir_error)?;
            let locked = match tmp.as_file().try_lock() {
                Ok(()) => true,
                // A file system without locks: written unlocked, and never
                // taken for stale.
                Err(TryLockError::Error(_)) => false,
                Err(TryLockError::WouldBlock) => continue,
            };
            if locked && !same_file(tmp.as_file(), tmp.path()) {
                continue;
            }
            return Ok(AtomicFile {
                out: BufWriter::new(tmp),
                path: path.to_path_buf(),
            });
        }
        Err(dir_error(io::Error::other(
            "temporary files there keep disappearing; is another program cleaning the folder?",
        )))
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

    /// Remove the temporary files that a writer of one of `outputs` left
    /// behind when it died (`.NAME.XXXXXX.tmp` beside `NAME`, as
    /// [`AtomicFile::create`] names them) and that no live process holds:
    /// each is removed only if its lock can be taken. Returns how many were
    /// removed; what cannot be read or removed is left as it is.
    pub fn remove_stale(outputs: &[PathBuf]) -> usize {
        let mut by_dir: std::collections::BTreeMap<&Path, Vec<&OsStr>> = Default::default();
        for output in outputs {
            if let Some(name) = output.file_name() {
                by_dir.entry(parent(output)).or_default().push(name);
            }
        }
        let mut removed = 0;
        for (dir, names) in by_dir {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                let is_ours = file_name.to_str().is_some_and(|f| {
                    names
                        .iter()
                        .any(|n| n.to_str().is_some_and(|n| is_temp_of(f, n)))
                });
                if is_ours && remove_if_unlocked(&entry.path()) {
                    removed += 1;
                }
            }
        }
        removed
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

/// The directory `path` is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Whether `file_name` is a temporary file of `name`: `.NAME.XXXXXX.tmp`,
/// the random part six letters or digits.
fn is_temp_of(file_name: &str, name: &str) -> bool {
    file_name
        .strip_prefix('.')
        .and_then(|f| f.strip_prefix(name))
        .and_then(|f| f.strip_prefix('.'))
        .and_then(|f| f.strip_suffix(".tmp"))
        .is_some_and(|random| {
            random.len() == 6 && random.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Remove `path` if no process holds its lock; whether it was removed.
fn remove_if_unlocked(path: &Path) -> bool {
    let Ok(file) = File::options().read(true).write(true).open(path) else {
        return false;
    };
    // Held while the file is removed, so that no writer can take it back.
    if file.try_lock().is_err() || !same_file(&file, path) {
        return false;
    }
    std::fs::remove_file(path).is_ok()
}

/// Whether the open `file` is still the one at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised() {
        assert!(is_temp_of(".article.tmx.a1B2c3.tmp", "article.tmx"));
        assert!(!is_temp_of(".article.tmx.a1B2c3.tmp", "article.md"));
        assert!(!is_temp_of(".article.tmx.a1B2.tmp", "article.tmx"));
        assert!(!is_temp_of("article.tmx.a1B2c3.tmp", "article.tmx"));
        assert!(!is_temp_of(".article.tmx.a1-2c3.tmp", "article.tmx"));
        assert!(!is_temp_of(".article.tmx.a1B2c3.tmp.bak", "article.tmx"));
    }

    #[test]
    fn stale_temporary_files_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.tmx");
        // Left by a writer that died: no lock.
        let stale = dir.path().join(".a.tmx.Xy12Z9.tmp");
        std::fs::write(&stale, "").unwrap();
        // Someone else's file with a similar name.
        let other = dir.path().join(".b.tmx.Xy12Z9.tmp");
        std::fs::write(&other, "").unwrap();
        // A live writer's.
        let mut live = AtomicFile::create(&target).unwrap();
        live.write_all(b"<tmx/>").unwrap();
        let names = || -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        assert_eq!(names().len(), 3);
        assert_eq!(AtomicFile::remove_stale(std::slice::from_ref(&target)), 1);
        let left = names();
        assert!(!left.contains(&".a.tmx.Xy12Z9.tmp".to_string()), "{left:?}");
        assert!(left.contains(&".b.tmx.Xy12Z9.tmp".to_string()), "{left:?}");
        assert_eq!(left.len(), 2, "the live writer's file stays: {left:?}");
        live.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "<tmx/>");
        assert_eq!(names(), [".b.tmx.Xy12Z9.tmp", "a.tmx"]);
    }
}
