//! The translation memory: translations on disk (a `redb` database), so that
//! a rerun costs no requests for segments already translated and an
//! interrupted run resumes where it stopped.
//!
//! Machine translations are keyed by the language pair, the backend's
//! [fingerprint](crate::backend::Backend::fingerprint) (name, model, prompt
//! version), the glossary terms matched in the segment (source, target and
//! variants: editing an unrelated glossary entry keeps the entry valid) and
//! the source text. Reviewed translations (imported from a reviewed file by
//! `bitext import`, see [`crate::review`]) are keyed by the language pair and
//! the source text alone, and win over machine ones whatever the backend.
//! Each segment is committed as soon as its translation is final. Every
//! entry records when it was created and last changed. [`Memory::for_each`]
//! lists the whole memory (`bitext export-tm`).
//!
//! The file is opened in redb's single-writer mode: one run writes, and any
//! number of readers (`--dry-run`, `export-tm`) may read it meanwhile and
//! see each commit. A file left unfinished by a run that was killed is
//! repaired by the next run that opens it for writing; a reader
//! ([`Memory::open_for_reading`]) repairs a copy in memory instead and leaves
//! the file as it is.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use redb::{ConcurrencyMode, ReadableDatabase, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::document::{Origin, TermMatch};
use crate::error::{ErrorKind, Result};

const MACHINE: TableDefinition<&str, &[u8]> = TableDefinition::new("machine-v1");
const REVIEWED: TableDefinition<&str, &[u8]> = TableDefinition::new("reviewed-v1");
const SEP: char = '\u{1f}';

/// A stored translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTranslation {
    /// The translation.
    pub text: String,
    /// The backend that made it.
    pub backend: String,
    /// Its model, if any.
    pub model: Option<String>,
    /// Whether it needed a glossary repair.
    #[serde(default)]
    pub repaired: bool,
}

/// A translation as the memory stores it: the translation and when the
/// entry was created and last changed (milliseconds since the Unix epoch;
/// absent in entries written before bitext recorded them).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    translation: StoredTranslation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changed: Option<u64>,
}

impl Stored {
    fn decode(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}

/// Milliseconds since the Unix epoch as a time.
fn from_millis(ms: Option<u64>) -> Option<SystemTime> {
    ms.map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms))
}

/// The time now, in milliseconds since the Unix epoch.
fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// What a translation is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryKey {
    machine: String,
    reviewed: String,
}

impl MemoryKey {
    /// The key of `source` (with its matched `terms`) translated from
    /// `source_lang` to `target_lang` by a backend with `fingerprint`.
    pub fn new(
        source_lang: &str,
        target_lang: &str,
        fingerprint: &str,
        terms: &[TermMatch],
        variants: impl Fn(&TermMatch) -> String,
        source: &str,
    ) -> Self {
        let terms: Vec<String> = terms
            .iter()
            .map(|t| format!("{}={}|{}", t.source, t.target, variants(t)))
            .collect();
        MemoryKey {
            machine: [
                source_lang,
                target_lang,
                fingerprint,
                &terms.join(";"),
                source,
            ]
            .join(&SEP.to_string()),
            reviewed: [source_lang, target_lang, source].join(&SEP.to_string()),
        }
    }

    /// The key of a reviewed translation of `source` from `source_lang` to
    /// `target_lang` (reviewed translations do not depend on the backend or
    /// the glossary). Only [`Memory::put_reviewed`] and lookups of reviewed
    /// entries can use it.
    pub fn reviewed(source_lang: &str, target_lang: &str, source: &str) -> Self {
        MemoryKey {
            machine: String::new(),
            reviewed: [source_lang, target_lang, source].join(&SEP.to_string()),
        }
    }
}

/// How a run uses the translation memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryUse {
    /// Look up machine and reviewed translations, and store machine ones.
    Full,
    /// Look up reviewed translations only, and store nothing: for the
    /// offline dictionary backend, which is cheaper to run than to look up,
    /// but whose users expect their reviewed edits to stick.
    ReviewedOnly,
}

/// One entry of the translation memory, as [`Memory::for_each`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryEntry {
    /// The source language tag.
    pub source_lang: String,
    /// The target language tag.
    pub target_lang: String,
    /// The source text.
    pub source: String,
    /// For a machine translation, the backend fingerprint it is keyed by.
    pub fingerprint: Option<String>,
    /// For a machine translation, the glossary terms it is keyed by
    /// (`source=target|variants`, separated by `;`).
    pub terms: Option<String>,
    /// The translation.
    pub translation: StoredTranslation,
    /// [`Origin::Machine`] or [`Origin::Reviewed`].
    pub origin: Origin,
    /// When the entry was first stored (unknown for entries written before
    /// bitext recorded it).
    pub created: Option<SystemTime>,
    /// When its translation last changed (likewise).
    pub changed: Option<SystemTime>,
}

/// An open translation memory.
pub struct Memory {
    db: Db,
    path: PathBuf,
}

/// The database, open for reading and writing, or only for reading.
enum Db {
    ReadWrite(redb::Database),
    ReadOnly(redb::ReadOnlyDatabase),
    /// A copy of the file in memory, repaired there, for lookups only: the
    /// file needed a repair, and the reader must not change it.
    RepairedCopy(redb::Database),
}

/// How bitext opens a memory file: in single-writer mode, so that readers
/// can open it while a run writes it.
fn builder() -> redb::Builder {
    let mut builder = redb::Builder::new();
    builder.set_concurrency_mode(ConcurrencyMode::SingleWriter);
    builder
}

impl Memory {
    /// Where the translation memory lives unless `--cache` says otherwise:
    /// `bitext/tm.redb` in the user's cache directory.
    pub fn default_path() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("bitext").join("tm.redb"))
    }

    /// Open (or create) the translation memory at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| cache_error(path, &e.to_string()))?;
        }
        let db = builder()
            .create(path)
            .map_err(|e| cache_error(path, &e.to_string()))?;
        let cache = Memory {
            db: Db::ReadWrite(db),
            path: path.to_path_buf(),
        };
        // Create the tables, so that readers never find them missing; a
        // memory that has them is left alone (a commit costs a disk sync).
        let read = cache.writer()?.begin_read().map_err(|e| cache.error(e))?;
        if read.open_table(MACHINE).is_ok() && read.open_table(REVIEWED).is_ok() {
            return Ok(cache);
        }
        drop(read);
        let txn = cache.writer()?.begin_write().map_err(|e| cache.error(e))?;
        txn.open_table(MACHINE).map_err(|e| cache.error(e))?;
        txn.open_table(REVIEWED).map_err(|e| cache.error(e))?;
        txn.commit().map_err(|e| cache.error(e))?;
        Ok(cache)
    }

    /// Open the translation memory at `path` for lookups only, changing
    /// nothing on disk: `None` when there is no file there (so nothing is
    /// in it). Storing into it is an error. A file that needs a repair (a
    /// run writing it was killed) is an error; [`Memory::open_for_reading`]
    /// reads such a file too.
    pub fn open_read_only(path: &Path) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        let db = builder()
            .open_read_only(path)
            .map_err(|e| cache_error(path, &e.to_string()))?;
        Ok(Some(Memory {
            db: Db::ReadOnly(db),
            path: path.to_path_buf(),
        }))
    }

    /// Open the translation memory at `path` for lookups only, changing
    /// nothing on disk, even when the file needs a repair: a file left
    /// unfinished by a run that was killed is read into memory and repaired
    /// there ([`Memory::is_repaired_copy`] says so), and the file is left for
    /// the next run that writes it to repair. `None` when there is no file.
    pub fn open_for_reading(path: &Path) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        match builder().open_read_only(path) {
            Ok(db) => Ok(Some(Memory {
                db: Db::ReadOnly(db),
                path: path.to_path_buf(),
            })),
            Err(redb::DatabaseError::RepairAborted) => Self::repaired_copy(path).map(Some),
            Err(e) => Err(cache_error(path, &e.to_string())),
        }
    }

    /// The memory at `path` read into memory and repaired there.
    fn repaired_copy(path: &Path) -> Result<Self> {
        use redb::StorageBackend;
        let bytes = std::fs::read(path).map_err(|e| cache_error(path, &e.to_string()))?;
        let copy = redb::backends::InMemoryBackend::new();
        let io = |e| cache_error(path, &format!("cannot copy it into memory: {e:?}"));
        copy.set_len(bytes.len() as u64).map_err(io)?;
        StorageBackend::write(&copy, 0, &bytes).map_err(io)?;
        let db = redb::Builder::new()
            .create_with_backend(copy)
            .map_err(|e| cache_error(path, &e.to_string()))?;
        Ok(Memory {
            db: Db::RepairedCopy(db),
            path: path.to_path_buf(),
        })
    }

    /// Whether this is a repaired copy of a file that needed a repair (see
    /// [`Memory::open_for_reading`]): the file itself was left as it is.
    pub fn is_repaired_copy(&self) -> bool {
        matches!(self.db, Db::RepairedCopy(_))
    }

    /// The file the memory lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read transaction, whichever way the database is open.
    fn begin_read(&self) -> Result<redb::ReadTransaction> {
        match &self.db {
            Db::ReadWrite(db) | Db::RepairedCopy(db) => db.begin_read(),
            Db::ReadOnly(db) => db.begin_read(),
        }
        .map_err(|e| self.error(e))
    }

    /// Look up many keys at once: for each, the stored translation and whether
    /// it was reviewed or machine-made.
    pub fn get_many(&self, keys: &[MemoryKey]) -> Result<Vec<Option<(StoredTranslation, Origin)>>> {
        let txn = self.begin_read()?;
        let machine = txn.open_table(MACHINE).map_err(|e| self.error(e))?;
        let reviewed = txn.open_table(REVIEWED).map_err(|e| self.error(e))?;
        keys.iter()
            .map(|key| {
                for (table, key, origin) in [
                    (&reviewed, &key.reviewed, Origin::Reviewed),
                    (&machine, &key.machine, Origin::Cache),
                ] {
                    if let Some(value) = table.get(key.as_str()).map_err(|e| self.error(e))?
                        && let Some(found) = Stored::decode(value.value())
                    {
                        return Ok(Some((found.translation, origin)));
                    }
                }
                Ok(None)
            })
            .collect()
    }

    /// Every entry, in the order of [`Memory::for_each`].
    pub fn entries(&self) -> Result<Vec<MemoryEntry>> {
        let mut entries = Vec::new();
        self.for_each(|entry| {
            entries.push(entry);
            Ok(())
        })?;
        Ok(entries)
    }

    /// Call `f` with every entry: machine translations first, then reviewed
    /// ones, each in key order (language pair, then backend, then source).
    /// Entries that cannot be read (written by a future version) are
    /// skipped.
    pub fn for_each(&self, mut f: impl FnMut(MemoryEntry) -> Result<()>) -> Result<()> {
        use redb::{ReadableTable, ReadableTableMetadata};
        let txn = self.begin_read()?;
        for (definition, origin) in [(MACHINE, Origin::Machine), (REVIEWED, Origin::Reviewed)] {
            let table = txn.open_table(definition).map_err(|e| self.error(e))?;
            if table.len().map_err(|e| self.error(e))? == 0 {
                continue;
            }
            for item in table.iter().map_err(|e| self.error(e))? {
                let (key, value) = item.map_err(|e| self.error(e))?;
                let Some(Stored {
                    translation,
                    created,
                    changed,
                }) = Stored::decode(value.value())
                else {
                    continue;
                };
                let (created, changed) = (from_millis(created), from_millis(changed));
                let key = key.value();
                let entry = if origin == Origin::Machine {
                    let mut parts = key.splitn(5, SEP);
                    let (Some(sl), Some(tl), Some(fp), Some(terms), Some(source)) = (
                        parts.next(),
                        parts.next(),
                        parts.next(),
                        parts.next(),
                        parts.next(),
                    ) else {
                        continue;
                    };
                    MemoryEntry {
                        source_lang: sl.to_string(),
                        target_lang: tl.to_string(),
                        source: source.to_string(),
                        fingerprint: Some(fp.to_string()),
                        terms: Some(terms.to_string()),
                        translation,
                        origin,
                        created,
                        changed,
                    }
                } else {
                    let mut parts = key.splitn(3, SEP);
                    let (Some(sl), Some(tl), Some(source)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        continue;
                    };
                    MemoryEntry {
                        source_lang: sl.to_string(),
                        target_lang: tl.to_string(),
                        source: source.to_string(),
                        fingerprint: None,
                        terms: None,
                        translation,
                        origin,
                        created,
                        changed,
                    }
                };
                f(entry)?;
            }
        }
        Ok(())
    }

    /// Store machine translations, in one transaction.
    pub fn put_machine(&self, items: &[(MemoryKey, StoredTranslation)]) -> Result<()> {
        self.put(MACHINE, items.iter().map(|(k, v)| (k.machine.as_str(), v)))
    }

    /// Store reviewed translations, in one transaction.
    pub fn put_reviewed(&self, items: &[(MemoryKey, StoredTranslation)]) -> Result<()> {
        self.put(
            REVIEWED,
            items.iter().map(|(k, v)| (k.reviewed.as_str(), v)),
        )
    }

    /// Store `items` in `table`, in one transaction. An entry that replaces
    /// another keeps its creation time; its change time moves only if the
    /// translation changed.
    fn put<'a>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        items: impl Iterator<Item = (&'a str, &'a StoredTranslation)>,
    ) -> Result<()> {
        use redb::ReadableTable;
        let now = now_millis();
        let txn = self.writer()?.begin_write().map_err(|e| self.error(e))?;
        {
            let mut table = txn.open_table(table).map_err(|e| self.error(e))?;
            for (key, value) in items {
                let old = table
                    .get(key)
                    .map_err(|e| self.error(e))?
                    .and_then(|v| Stored::decode(v.value()));
                let stored = match old {
                    Some(old) => Stored {
                        changed: if old.translation.text == value.text {
                            old.changed.or(Some(now))
                        } else {
                            Some(now)
                        },
                        created: old.created,
                        translation: value.clone(),
                    },
                    None => Stored {
                        translation: value.clone(),
                        created: Some(now),
                        changed: Some(now),
                    },
                };
                let bytes = serde_json::to_vec(&stored).map_err(|e| self.error(e))?;
                table
                    .insert(key, bytes.as_slice())
                    .map_err(|e| self.error(e))?;
            }
        }
        txn.commit().map_err(|e| self.error(e))
    }

    fn writer(&self) -> Result<&redb::Database> {
        match &self.db {
            Db::ReadWrite(db) => Ok(db),
            Db::ReadOnly(_) | Db::RepairedCopy(_) => Err(self.error("opened for lookups only")),
        }
    }

    fn error(&self, e: impl std::fmt::Display) -> crate::Error {
        cache_error(&self.path, &e.to_string())
    }
}

fn cache_error(path: &Path, message: &str) -> crate::Error {
    ErrorKind::Memory {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewed_wins_over_machine_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        let key = MemoryKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        let other = MemoryKey::new("zh-CN", "en-US", "b|m2", &[], |_| String::new(), "你好");
        let entry = |text: &str| StoredTranslation {
            text: text.into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        {
            let cache = Memory::open(&path).unwrap();
            cache.put_machine(&[(key.clone(), entry("hello"))]).unwrap();
            let got = cache.get_many(&[key.clone(), other.clone()]).unwrap();
            assert_eq!(got[0], Some((entry("hello"), Origin::Cache)));
            assert_eq!(got[1], None);
        }
        let cache = Memory::open(&path).unwrap();
        cache
            .put_reviewed(&[(key.clone(), entry("Hello!"))])
            .unwrap();
        let got = cache.get_many(&[key, other]).unwrap();
        assert_eq!(got[0], Some((entry("Hello!"), Origin::Reviewed)));
        assert_eq!(got[1], Some((entry("Hello!"), Origin::Reviewed)));
    }

    #[test]
    fn lists_every_entry_with_its_key_fields() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Memory::open(&dir.path().join("tm.redb")).unwrap();
        let entry = |text: &str| StoredTranslation {
            text: text.into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        let term = TermMatch {
            term_id: 0,
            source: "部".into(),
            target: "Ministry".into(),
            span: 0..3,
        };
        let machine = MemoryKey::new(
            "zh-CN",
            "en-US",
            "b|m",
            &[term],
            |_| "MLR".into(),
            "部\u{1f}里",
        );
        cache
            .put_machine(&[(machine, entry("the Ministry"))])
            .unwrap();
        cache
            .put_reviewed(&[(
                MemoryKey::reviewed("zh-CN", "en-GB", "你好"),
                entry("Hello"),
            )])
            .unwrap();
        let before = SystemTime::now() - Duration::from_secs(1);
        let mut all = Vec::new();
        cache
            .for_each(|mut e| {
                // Dated when stored; the dates are checked, then left out.
                let created = e.created.take().expect("a creation date");
                assert!(created >= before, "{created:?}");
                assert_eq!(e.changed.take(), Some(created));
                all.push(e);
                Ok(())
            })
            .unwrap();
        assert_eq!(
            all,
            [
                MemoryEntry {
                    source_lang: "zh-CN".into(),
                    target_lang: "en-US".into(),
                    source: "部\u{1f}里".into(),
                    fingerprint: Some("b|m".into()),
                    terms: Some("部=Ministry|MLR".into()),
                    translation: entry("the Ministry"),
                    origin: Origin::Machine,
                    created: None,
                    changed: None,
                },
                MemoryEntry {
                    source_lang: "zh-CN".into(),
                    target_lang: "en-GB".into(),
                    source: "你好".into(),
                    fingerprint: None,
                    terms: None,
                    translation: entry("Hello"),
                    origin: Origin::Reviewed,
                    created: None,
                    changed: None,
                },
            ]
        );
    }

    #[test]
    fn read_only_memory_finds_without_changing_or_creating_anything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        assert!(Memory::open_read_only(&path).unwrap().is_none());
        assert!(!path.exists(), "a missing memory is not created");
        let key = MemoryKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        let entry = StoredTranslation {
            text: "hello".into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        Memory::open(&path)
            .unwrap()
            .put_machine(&[(key.clone(), entry.clone())])
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let cache = Memory::open_read_only(&path).unwrap().unwrap();
        assert_eq!(
            cache.get_many(std::slice::from_ref(&key)).unwrap(),
            [Some((entry.clone(), Origin::Cache))]
        );
        assert!(cache.put_machine(&[(key, entry)]).is_err());
        drop(cache);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file is unchanged"
        );
    }

    #[test]
    fn an_entry_keeps_its_creation_date_and_changes_its_change_date_with_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Memory::open(&dir.path().join("tm.redb")).unwrap();
        let key = MemoryKey::reviewed("zh-CN", "en-US", "你好");
        let entry = |text: &str| StoredTranslation {
            text: text.into(),
            backend: "review".into(),
            model: None,
            repaired: false,
        };
        let dates = || {
            let mut found = Vec::new();
            cache
                .for_each(|e| {
                    found.push((e.created.unwrap(), e.changed.unwrap()));
                    Ok(())
                })
                .unwrap();
            assert_eq!(found.len(), 1);
            found[0]
        };
        let pause = || std::thread::sleep(Duration::from_millis(5));
        cache
            .put_reviewed(&[(key.clone(), entry("Hello"))])
            .unwrap();
        let (created, changed) = dates();
        assert_eq!(created, changed);
        pause();
        cache
            .put_reviewed(&[(key.clone(), entry("Hello"))])
            .unwrap();
        assert_eq!(dates(), (created, changed), "the same text changes nothing");
        pause();
        cache
            .put_reviewed(&[(key.clone(), entry("Hello!"))])
            .unwrap();
        let (again, later) = dates();
        assert_eq!(again, created, "created once");
        assert!(later > changed, "changed when the text changed");
    }

    #[test]
    fn entries_written_without_dates_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        let cache = Memory::open(&path).unwrap();
        let key = MemoryKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        // As an older bitext stored it: the translation alone.
        let legacy = br#"{"text":"hello","backend":"b","model":null}"#;
        let txn = cache.writer().unwrap().begin_write().unwrap();
        txn.open_table(MACHINE)
            .unwrap()
            .insert(key.machine.as_str(), legacy.as_slice())
            .unwrap();
        txn.commit().unwrap();
        let found = cache.get_many(std::slice::from_ref(&key)).unwrap();
        assert_eq!(found[0].as_ref().unwrap().0.text, "hello");
        cache
            .for_each(|e| {
                assert_eq!((e.created, e.changed), (None, None));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_reader_sees_the_commits_of_a_writer_that_has_the_file_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        let writer = Memory::open(&path).unwrap();
        let key = MemoryKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        let entry = StoredTranslation {
            text: "hello".into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        writer.put_machine(&[(key.clone(), entry.clone())]).unwrap();
        let reader = Memory::open_for_reading(&path).unwrap().unwrap();
        assert!(!reader.is_repaired_copy());
        assert_eq!(
            reader.get_many(std::slice::from_ref(&key)).unwrap(),
            [Some((entry, Origin::Cache))]
        );
    }
}
