//! The translation memory: translations on disk (a `redb` database), so that
//! a rerun costs no requests for segments already translated and an
//! interrupted run resumes where it stopped.
//!
//! Machine translations are keyed by the language pair, the backend's
//! [fingerprint](crate::backend::Backend::fingerprint) (name, model, prompt
//! version), the glossary terms matched in the segment (source, target and
//! variants: editing an unrelated glossary entry keeps the entry valid) and
//! the source text. Reviewed translations (imported from a reviewed file)
//! are keyed by the language pair and the source text alone, and win over
//! machine ones. Each batch is committed as it lands.

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

    /// Look up many keys at once: for each, the stored translation and whether
    /// it was reviewed or machine-made.
    pub fn get_many(&self, keys: &[CacheKey]) -> Result<Vec<Option<(CachedTranslation, Origin)>>> {
        let txn = match &self.db {
            Db::ReadWrite(db) => db.begin_read(),
            Db::ReadOnly(db) => db.begin_read(),
        }
        .map_err(|e| self.error(e))?;
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
