//! The translation memory: translations kept, so that a rerun costs no
//! requests for segments already translated and an interrupted run resumes
//! where it stopped.
//!
//! Machine translations are keyed by the language pair, the backend's
//! [fingerprint](crate::backend::Backend::fingerprint) (name, model, prompt
//! version), the glossary terms matched in the segment (source, target and
//! variants: editing an unrelated glossary entry keeps the entry valid) and
//! the source text. Reviewed translations (imported from a reviewed file by
//! `bitext import`, see [`crate::review`]) are keyed by the language pair and
//! the source text alone, and win over machine ones whatever the backend.
//! Each batch is committed as soon as its translations are final. Every
//! entry records when it was created and last changed. [`Memory::for_each`]
//! lists the whole memory (`bitext export-tm`).
//!
//! Where it lives is a [`Location`]: a `redb` file (the embedded default, one
//! writer at a time) or a PostgreSQL database
//! shared by any number of workers (`--cache postgres://…`, see
//! [`PgLocation`]). Both keep the same entries with the same
//! semantics.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::document::{Origin, TermMatch};
use crate::error::{ErrorKind, Result};

pub mod fuzzy;
mod postgres;
mod redb;

pub use fuzzy::{FuzzyIndex, FuzzyLookup};
pub use postgres::PgLocation;

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

/// The two kinds of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Made by a backend, keyed by its fingerprint and the terms.
    Machine,
    /// Reviewed by a person, keyed by the language pair and the source.
    Reviewed,
}

/// The fields of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyParts<'a> {
    source_lang: &'a str,
    target_lang: &'a str,
    /// The fingerprint and the terms, for a machine key.
    backend: Option<(&'a str, &'a str)>,
    source: &'a str,
}

impl KeyParts<'_> {
    /// The entry with these key fields.
    fn entry(
        &self,
        translation: StoredTranslation,
        kind: Kind,
        created: Option<SystemTime>,
        changed: Option<SystemTime>,
    ) -> MemoryEntry {
        MemoryEntry {
            source_lang: self.source_lang.to_string(),
            target_lang: self.target_lang.to_string(),
            source: self.source.to_string(),
            fingerprint: self.backend.map(|(f, _)| f.to_string()),
            terms: self.backend.map(|(_, t)| t.to_string()),
            translation,
            origin: match kind {
                Kind::Machine => Origin::Machine,
                Kind::Reviewed => Origin::Reviewed,
            },
            created,
            changed,
        }
    }
}

/// The fields of a machine key; `None` if it is not one.
fn split_machine_key(key: &str) -> Option<KeyParts<'_>> {
    let mut parts = key.splitn(5, SEP);
    Some(KeyParts {
        source_lang: parts.next()?,
        target_lang: parts.next()?,
        backend: Some((parts.next()?, parts.next()?)),
        source: parts.next()?,
    })
}

/// The fields of a reviewed key; `None` if it is not one.
fn split_reviewed_key(key: &str) -> Option<KeyParts<'_>> {
    let mut parts = key.splitn(3, SEP);
    Some(KeyParts {
        source_lang: parts.next()?,
        target_lang: parts.next()?,
        backend: None,
        source: parts.next()?,
    })
}

/// Where a translation memory lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A redb file (the embedded default).
    File(PathBuf),
    /// A PostgreSQL database, shared by any number of workers.
    Postgres(Box<PgLocation>),
}

impl Location {
    /// The location `--cache` (or `BITEXT_CACHE`) names: a
    /// `postgres://` (or `postgresql://`) URL, else a file path.
    pub fn parse(value: &Path) -> Result<Self> {
        match value.to_str() {
            Some(text) if PgLocation::is_url(text) => {
                Ok(Location::Postgres(Box::new(PgLocation::parse(text)?)))
            }
            _ => Ok(Location::File(value.to_path_buf())),
        }
    }

    /// How messages name it: the file, or the URL without its password.
    pub fn display_name(&self) -> PathBuf {
        match self {
            Location::File(path) => path.clone(),
            Location::Postgres(pg) => PathBuf::from(pg.to_string()),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(pg) => write!(f, "{pg}"),
        }
    }
}

/// An open translation memory.
pub struct Memory {
    store: Store,
    /// How messages name it (a PostgreSQL URL without its password).
    name: PathBuf,
}

/// Where the entries are kept.
enum Store {
    Redb(redb::RedbStore),
    Postgres(postgres::PgStore),
}

impl Memory {
    /// Where the translation memory lives unless `--cache` says otherwise:
    /// `bitext/tm.redb` in the user's cache directory.
    pub fn default_path() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("bitext").join("tm.redb"))
    }

    /// Open (or create) the translation memory file at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Memory {
            store: Store::Redb(redb::RedbStore::open(path)?),
            name: path.to_path_buf(),
        })
    }

    /// Open (or create) the translation memory at `location`: a file is
    /// created, a database gets its tables (created or migrated). A
    /// database that cannot be reached is an error.
    pub fn open_at(location: &Location) -> Result<Self> {
        match location {
            Location::File(path) => Self::open(path),
            Location::Postgres(pg) => Ok(Memory {
                store: Store::Postgres(postgres::PgStore::open(pg)?),
                name: location.display_name(),
            }),
        }
    }

    /// Open the translation memory at `path` for lookups only, changing
    /// nothing on disk: `None` when there is no file there (so nothing is
    /// in it). Storing into it is an error. A file that needs a repair (a
    /// run writing it was killed) is an error; [`Memory::open_for_reading`]
    /// reads such a file too.
    pub fn open_read_only(path: &Path) -> Result<Option<Self>> {
        Ok(redb::RedbStore::open_read_only(path)?.map(|store| Memory {
            store: Store::Redb(store),
            name: path.to_path_buf(),
        }))
    }

    /// Open the translation memory at `path` for lookups only, changing
    /// nothing on disk, even when the file needs a repair: a file left
    /// unfinished by a run that was killed is read into memory and repaired
    /// there ([`Memory::is_repaired_copy`] says so), and the file is left for
    /// the next run that writes it to repair. `None` when there is no file.
    pub fn open_for_reading(path: &Path) -> Result<Option<Self>> {
        Ok(
            redb::RedbStore::open_for_reading(path)?.map(|store| Memory {
                store: Store::Redb(store),
                name: path.to_path_buf(),
            }),
        )
    }

    /// Open the translation memory at `location` for lookups only, as
    /// [`Memory::open_for_reading`] does for a file; a database is neither
    /// created nor migrated (`None` when it has no translation memory yet).
    pub fn open_at_for_reading(location: &Location) -> Result<Option<Self>> {
        match location {
            Location::File(path) => Self::open_for_reading(path),
            Location::Postgres(pg) => {
                Ok(
                    postgres::PgStore::open_for_reading(pg)?.map(|store| Memory {
                        store: Store::Postgres(store),
                        name: location.display_name(),
                    }),
                )
            }
        }
    }

    /// Whether this is a repaired copy of a file that needed a repair (see
    /// [`Memory::open_for_reading`]): the file itself was left as it is.
    pub fn is_repaired_copy(&self) -> bool {
        match &self.store {
            Store::Redb(store) => store.is_repaired_copy(),
            Store::Postgres(_) => false,
        }
    }

    /// Whether other processes may write the memory while this one runs (a
    /// database, not a file, which has one writer at a time).
    pub fn is_shared(&self) -> bool {
        matches!(self.store, Store::Postgres(_))
    }

    /// How messages name the memory: its file, or its database's URL
    /// without the password.
    pub fn path(&self) -> &Path {
        &self.name
    }

    /// Look up many keys at once: for each, the stored translation and whether
    /// it was reviewed or machine-made.
    pub fn get_many(&self, keys: &[MemoryKey]) -> Result<Vec<Option<(StoredTranslation, Origin)>>> {
        let pairs: Vec<(&str, &str)> = keys
            .iter()
            .map(|k| (k.reviewed.as_str(), k.machine.as_str()))
            .collect();
        match &self.store {
            Store::Redb(store) => store.get_many(&pairs),
            Store::Postgres(store) => store.get_many(&pairs),
        }
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
        match &self.store {
            Store::Redb(store) => store.for_each(&mut f),
            Store::Postgres(store) => store.for_each(&mut f),
        }
    }

    /// A [fuzzy-match index](fuzzy) of the translations from `source_lang`
    /// to `target_lang`, machine and reviewed, with `glossary`'s terms
    /// normalised. Entries with an empty translation are left out.
    pub fn fuzzy_index(
        &self,
        source_lang: &str,
        target_lang: &str,
        glossary: &crate::glossary::Glossary,
    ) -> Result<FuzzyIndex> {
        let mut index = FuzzyIndex::new();
        self.for_each(|entry| {
            if entry.source_lang == source_lang
                && entry.target_lang == target_lang
                && !entry.translation.text.trim().is_empty()
            {
                index.add(
                    &entry.source,
                    &entry.translation.text,
                    entry.origin == Origin::Reviewed,
                    glossary,
                );
            }
            Ok(())
        })?;
        index.finish();
        Ok(index)
    }

    /// Store machine translations, in one transaction.
    pub fn put_machine(&self, items: &[(MemoryKey, StoredTranslation)]) -> Result<()> {
        let items: Vec<(&str, &StoredTranslation)> =
            items.iter().map(|(k, v)| (k.machine.as_str(), v)).collect();
        self.put(Kind::Machine, &items)
    }

    /// Store reviewed translations, in one transaction.
    pub fn put_reviewed(&self, items: &[(MemoryKey, StoredTranslation)]) -> Result<()> {
        let items: Vec<(&str, &StoredTranslation)> = items
            .iter()
            .map(|(k, v)| (k.reviewed.as_str(), v))
            .collect();
        self.put(Kind::Reviewed, &items)
    }

    /// Store `items` of `kind`, in one transaction. An entry that replaces
    /// another keeps its creation time; its change time moves only if the
    /// translation changed.
    fn put(&self, kind: Kind, items: &[(&str, &StoredTranslation)]) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        match &self.store {
            Store::Redb(store) => store.put(kind, items),
            Store::Postgres(store) => store.put(kind, items),
        }
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

    /// The machine key of `你好` and its translation `hello`.
    fn hello() -> (MemoryKey, StoredTranslation) {
        let key = MemoryKey::new("zh-CN", "en-US", "b|m", &[], |_| String::new(), "你好");
        let entry = StoredTranslation {
            text: "hello".into(),
            backend: "b".into(),
            model: None,
            repaired: false,
        };
        (key, entry)
    }

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
        let (key, entry) = hello();
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
    fn a_reader_sees_the_commits_of_a_writer_that_has_the_file_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.redb");
        let writer = Memory::open(&path).unwrap();
        let (key, entry) = hello();
        writer.put_machine(&[(key.clone(), entry.clone())]).unwrap();
        let reader = Memory::open_for_reading(&path).unwrap().unwrap();
        assert!(!reader.is_repaired_copy());
        assert_eq!(
            reader.get_many(std::slice::from_ref(&key)).unwrap(),
            [Some((entry, Origin::Cache))]
        );
    }
}
