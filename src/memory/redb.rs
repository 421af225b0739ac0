//! The embedded translation memory: a `redb` file.
//!
//! The file is opened in redb's single-writer mode: one run writes, and any
//! number of readers (`--dry-run`, `export-tm`) may read it meanwhile and
//! see each commit. A file left unfinished by a run that was killed is
//! repaired by the next run that opens it for writing; a reader
//! ([`super::Memory::open_for_reading`]) repairs a copy in memory instead
//! and leaves the file as it is.

use std::path::{Path, PathBuf};

use redb::{ConcurrencyMode, ReadableDatabase, TableDefinition};

use super::{
    Kind, MemoryEntry, Stored, StoredTranslation, cache_error, from_millis, now_millis,
    split_machine_key, split_reviewed_key,
};
use crate::document::Origin;
use crate::error::Result;

const MACHINE: TableDefinition<&str, &[u8]> = TableDefinition::new("machine-v1");
const REVIEWED: TableDefinition<&str, &[u8]> = TableDefinition::new("reviewed-v1");

/// The redb table of a kind of entry.
fn table(kind: Kind) -> TableDefinition<'static, &'static str, &'static [u8]> {
    match kind {
        Kind::Machine => MACHINE,
        Kind::Reviewed => REVIEWED,
    }
}

/// A translation memory in a redb file.
pub(super) struct RedbStore {
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

impl RedbStore {
    /// Open (or create) the memory file at `path`.
    pub(super) fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| cache_error(path, &e.to_string()))?;
        }
        let db = builder()
            .create(path)
            .map_err(|e| cache_error(path, &e.to_string()))?;
        let cache = RedbStore {
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

    /// Open the file at `path` for lookups only, without repairing it:
    /// `None` when there is no file.
    pub(super) fn open_read_only(path: &Path) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        let db = builder()
            .open_read_only(path)
            .map_err(|e| cache_error(path, &e.to_string()))?;
        Ok(Some(RedbStore {
            db: Db::ReadOnly(db),
            path: path.to_path_buf(),
        }))
    }

    /// Open the file at `path` for lookups only, reading a repaired copy of
    /// one that needs a repair: `None` when there is no file.
    pub(super) fn open_for_reading(path: &Path) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        match builder().open_read_only(path) {
            Ok(db) => Ok(Some(RedbStore {
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
        Ok(RedbStore {
            db: Db::RepairedCopy(db),
            path: path.to_path_buf(),
        })
    }

    /// Whether this is a repaired copy of a file that needed a repair.
    pub(super) fn is_repaired_copy(&self) -> bool {
        matches!(self.db, Db::RepairedCopy(_))
    }

    /// A read transaction, whichever way the database is open.
    fn begin_read(&self) -> Result<redb::ReadTransaction> {
        match &self.db {
            Db::ReadWrite(db) | Db::RepairedCopy(db) => db.begin_read(),
            Db::ReadOnly(db) => db.begin_read(),
        }
        .map_err(|e| self.error(e))
    }

    /// For each pair of keys (reviewed, machine), the stored translation and
    /// its origin; the reviewed one wins.
    pub(super) fn get_many(
        &self,
        keys: &[(&str, &str)],
    ) -> Result<Vec<Option<(StoredTranslation, Origin)>>> {
        let txn = self.begin_read()?;
        let machine = txn.open_table(MACHINE).map_err(|e| self.error(e))?;
        let reviewed = txn.open_table(REVIEWED).map_err(|e| self.error(e))?;
        keys.iter()
            .map(|(reviewed_key, machine_key)| {
                for (table, key, origin) in [
                    (&reviewed, reviewed_key, Origin::Reviewed),
                    (&machine, machine_key, Origin::Cache),
                ] {
                    if let Some(value) = table.get(*key).map_err(|e| self.error(e))?
                        && let Some(found) = Stored::decode(value.value())
                    {
                        return Ok(Some((found.translation, origin)));
                    }
                }
                Ok(None)
            })
            .collect()
    }

    /// Call `f` with every entry: machine translations first, then reviewed
    /// ones, each in key order.
    pub(super) fn for_each(&self, f: &mut dyn FnMut(MemoryEntry) -> Result<()>) -> Result<()> {
        use redb::{ReadableTable, ReadableTableMetadata};
        let txn = self.begin_read()?;
        for kind in [Kind::Machine, Kind::Reviewed] {
            let table = txn.open_table(table(kind)).map_err(|e| self.error(e))?;
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
                let parts = match kind {
                    Kind::Machine => split_machine_key(key.value()),
                    Kind::Reviewed => split_reviewed_key(key.value()),
                };
                let Some(parts) = parts else { continue };
                f(parts.entry(
                    translation,
                    kind,
                    from_millis(created),
                    from_millis(changed),
                ))?;
            }
        }
        Ok(())
    }

    /// Store `items` of `kind`, in one transaction. An entry that replaces
    /// another keeps its creation time; its change time moves only if the
    /// translation changed.
    pub(super) fn put(&self, kind: Kind, items: &[(&str, &StoredTranslation)]) -> Result<()> {
        use redb::ReadableTable;
        let now = now_millis();
        let txn = self.writer()?.begin_write().map_err(|e| self.error(e))?;
        {
            let mut table = txn.open_table(table(kind)).map_err(|e| self.error(e))?;
            for &(key, value) in items {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{Memory, MemoryKey};

    #[test]
    fn entries_written_without_dates_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        let key = MemoryKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        {
            // As an older bitext stored it: the translation alone.
            let store = RedbStore::open(&path).unwrap();
            let legacy = br#"{"text":"hello","backend":"b","model":null}"#;
            let txn = store.writer().unwrap().begin_write().unwrap();
            txn.open_table(MACHINE)
                .unwrap()
                .insert(key.machine.as_str(), legacy.as_slice())
                .unwrap();
            txn.commit().unwrap();
        }
        let cache = Memory::open(&path).unwrap();
        let found = cache.get_many(std::slice::from_ref(&key)).unwrap();
        assert_eq!(found[0].as_ref().unwrap().0.text, "hello");
        cache
            .for_each(|e| {
                assert_eq!((e.created, e.changed), (None, None));
                Ok(())
            })
            .unwrap();
    }
}
