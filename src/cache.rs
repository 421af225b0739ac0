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
//! Each batch is committed as it lands. [`Cache::for_each`] lists the whole
//! memory (`bitext export-tm`).

use std::path::{Path, PathBuf};

use redb::{ReadableDatabase, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::document::{Origin, TermMatch};
use crate::error::{ErrorKind, Result};

const MACHINE: TableDefinition<&str, &[u8]> = TableDefinition::new("machine-v1");
const REVIEWED: TableDefinition<&str, &[u8]> = TableDefinition::new("reviewed-v1");
const SEP: char = '\u{1f}';

/// A stored translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedTranslation {
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

/// What a translation is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    machine: String,
    reviewed: String,
}

impl CacheKey {
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
        CacheKey {
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
    /// the glossary). Only [`Cache::put_reviewed`] and lookups of reviewed
    /// entries can use it.
    pub fn reviewed(source_lang: &str, target_lang: &str, source: &str) -> Self {
        CacheKey {
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

/// One entry of the translation memory, as [`Cache::for_each`] gives it.
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
    pub translation: CachedTranslation,
    /// [`Origin::Machine`] or [`Origin::Reviewed`].
    pub origin: Origin,
}

/// An open translation memory.
pub struct Cache {
    db: Db,
    path: PathBuf,
}

/// The database, open for reading and writing, or only for reading.
enum Db {
    ReadWrite(redb::Database),
    ReadOnly(redb::ReadOnlyDatabase),
}

impl Cache {
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
        let db = redb::Database::create(path).map_err(|e| cache_error(path, &e.to_string()))?;
        let cache = Cache {
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
    /// in it). Storing into it is an error.
    pub fn open_read_only(path: &Path) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        let db =
            redb::ReadOnlyDatabase::open(path).map_err(|e| cache_error(path, &e.to_string()))?;
        Ok(Some(Cache {
            db: Db::ReadOnly(db),
            path: path.to_path_buf(),
        }))
    }

    /// The file the memory lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read transaction, whichever way the database is open.
    fn begin_read(&self) -> Result<redb::ReadTransaction> {
        match &self.db {
            Db::ReadWrite(db) => db.begin_read(),
            Db::ReadOnly(db) => db.begin_read(),
        }
        .map_err(|e| self.error(e))
    }

    /// Look up many keys at once: for each, the stored translation and whether
    /// it was reviewed or machine-made.
    pub fn get_many(&self, keys: &[CacheKey]) -> Result<Vec<Option<(CachedTranslation, Origin)>>> {
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
                        && let Ok(found) =
                            serde_json::from_slice::<CachedTranslation>(value.value())
                    {
                        return Ok(Some((found, origin)));
                    }
                }
                Ok(None)
            })
            .collect()
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
                let Ok(translation) = serde_json::from_slice::<CachedTranslation>(value.value())
                else {
                    continue;
                };
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
                    }
                };
                f(entry)?;
            }
        }
        Ok(())
    }

    /// Store machine translations, in one transaction.
    pub fn put_machine(&self, items: &[(CacheKey, CachedTranslation)]) -> Result<()> {
        self.put(MACHINE, items.iter().map(|(k, v)| (k.machine.as_str(), v)))
    }

    /// Store reviewed translations, in one transaction.
    pub fn put_reviewed(&self, items: &[(CacheKey, CachedTranslation)]) -> Result<()> {
        self.put(
            REVIEWED,
            items.iter().map(|(k, v)| (k.reviewed.as_str(), v)),
        )
    }

    fn put<'a>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        items: impl Iterator<Item = (&'a str, &'a CachedTranslation)>,
    ) -> Result<()> {
        let txn = self.writer()?.begin_write().map_err(|e| self.error(e))?;
        {
            let mut table = txn.open_table(table).map_err(|e| self.error(e))?;
            for (key, value) in items {
                let bytes = serde_json::to_vec(value).map_err(|e| self.error(e))?;
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
            Db::ReadOnly(_) => Err(self.error("opened for lookups only")),
        }
    }

    fn error(&self, e: impl std::fmt::Display) -> crate::Error {
        cache_error(&self.path, &e.to_string())
    }
}

fn cache_error(path: &Path, message: &str) -> crate::Error {
    ErrorKind::Cache {
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
        let key = CacheKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        let other = CacheKey::new("zh-CN", "en-US", "b|m2", &[], |_| String::new(), "你好");
        let entry = |text: &str| CachedTranslation {
            text: text.into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        {
            let cache = Cache::open(&path).unwrap();
            cache.put_machine(&[(key.clone(), entry("hello"))]).unwrap();
            let got = cache.get_many(&[key.clone(), other.clone()]).unwrap();
            assert_eq!(got[0], Some((entry("hello"), Origin::Cache)));
            assert_eq!(got[1], None);
        }
        let cache = Cache::open(&path).unwrap();
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
        let cache = Cache::open(&dir.path().join("tm.redb")).unwrap();
        let entry = |text: &str| CachedTranslation {
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
        let machine = CacheKey::new(
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
            .put_reviewed(&[(CacheKey::reviewed("zh-CN", "en-GB", "你好"), entry("Hello"))])
            .unwrap();
        let mut all = Vec::new();
        cache
            .for_each(|e| {
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
                },
                MemoryEntry {
                    source_lang: "zh-CN".into(),
                    target_lang: "en-GB".into(),
                    source: "你好".into(),
                    fingerprint: None,
                    terms: None,
                    translation: entry("Hello"),
                    origin: Origin::Reviewed,
                },
            ]
        );
    }

    #[test]
    fn read_only_memory_finds_without_changing_or_creating_anything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        assert!(Cache::open_read_only(&path).unwrap().is_none());
        assert!(!path.exists(), "a missing memory is not created");
        let key = CacheKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        let entry = CachedTranslation {
            text: "hello".into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        Cache::open(&path)
            .unwrap()
            .put_machine(&[(key.clone(), entry.clone())])
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let cache = Cache::open_read_only(&path).unwrap().unwrap();
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
}
