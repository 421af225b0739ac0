//! The shared translation memory: a PostgreSQL database.
//!
//! Any number of workers (`bitext translate --shard I/N` on several
//! machines, `bitext import` by reviewers) use one database at once. The
//! tables are created on first use, and migrated by numbered steps recorded
//! in `bitext_migrations` (under an advisory lock, so that workers starting
//! together migrate once). Every write is one `INSERT … ON CONFLICT DO
//! UPDATE` statement per batch, so that concurrent workers never conflict,
//! never duplicate an entry, and each batch lands whole or not at all.
//!
//! The connection is configured by the URL and, for what it leaves out, by
//! the standard `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE` and
//! `PGSSLMODE` variables; TLS (rustls, the platform's roots) is used when the
//! server offers it (`sslmode=prefer`, the default) or demanded with
//! `sslmode=require`. Messages name the database by its URL without the
//! password. A connection lost during a run is opened again and the
//! statement retried (every statement is idempotent); what has landed stays.
//!
//! The memory's API is synchronous, like the embedded one: the client runs
//! on a runtime of its own (one thread), and each call waits for its answer.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{
    Kind, MemoryEntry, StoredTranslation, cache_error, from_millis, now_millis, split_machine_key,
    split_reviewed_key,
};
use crate::document::Origin;
use crate::error::Result;

/// The columns both tables start with: the key (its MD5 is the primary
/// key, so that long texts stay within an index row) and the language pair.
macro_rules! key_columns {
    () => {
        "key_md5 text PRIMARY KEY, key text NOT NULL, \
         source_lang text NOT NULL, target_lang text NOT NULL, "
    };
}

/// The columns both tables end with: the texts and where the translation
/// came from.
macro_rules! entry_columns {
    () => {
        "source text NOT NULL, translation text NOT NULL, \
         backend text NOT NULL, model text, repaired boolean NOT NULL DEFAULT false, \
         created_ms bigint, changed_ms bigint"
    };
}

/// The schema, one step per version: step `i` brings the database to
/// version `i + 1`. A step is never changed once released; a change is a
/// new step. (Step 1 is written with the macros above: its statements are
/// the released ones, the same tables with the same columns in the same
/// order.)
const MIGRATIONS: &[&str] = &[concat!(
    "CREATE TABLE bitext_machine (",
    key_columns!(),
    "fingerprint text NOT NULL, terms text NOT NULL, ",
    entry_columns!(),
    "); CREATE TABLE bitext_reviewed (",
    key_columns!(),
    entry_columns!(),
    ");",
)];

/// The advisory lock taken while migrating ("bitx").
const MIGRATION_LOCK: i64 = 0x6269_7478;

/// How many times a statement is tried when the connection is lost.
const ATTEMPTS: u32 = 6;

/// A PostgreSQL database given to `--cache` (or `BITEXT_CACHE`): the
/// connection settings, completed from the `PG*` variables. Its `Display`
/// and `Debug` never show the password.
#[derive(Clone)]
pub struct PgLocation {
    config: Config,
    /// The URL without its password, for messages.
    shown: String,
}

impl PartialEq for PgLocation {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
    }
}

impl Eq for PgLocation {}

impl std::fmt::Debug for PgLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PgLocation").field(&self.shown).finish()
    }
}

impl std::fmt::Display for PgLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl PgLocation {
    /// Whether `value` is a PostgreSQL URL rather than a file path.
    pub fn is_url(value: &str) -> bool {
        value.starts_with("postgres://") || value.starts_with("postgresql://")
    }

    /// The database a `postgres://user:password@host:port/db?…` URL names,
    /// with what it leaves out taken from the `PG*` variables.
    pub fn parse(url: &str) -> Result<Self> {
        Self::parse_with_env(url, |name| std::env::var(name).ok())
    }

    /// [`PgLocation::parse`] with the variables looked up by `env`.
    fn parse_with_env(url: &str, env: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let bad = |e: &dyn std::fmt::Display| {
            cache_error(
                &PathBuf::from(redact(url)),
                &format!(
                    "not a valid PostgreSQL URL ({e}); write postgres://USER@HOST:PORT/DATABASE"
                ),
            )
        };
        // The host and port the URL leaves out come from PGHOST and PGPORT
        // (the parser would fill in localhost and 5432 for good).
        let mut completed = url::Url::parse(url).map_err(|e| bad(&e))?;
        let socket_dir = env("PGHOST").filter(|h| h.starts_with('/'));
        if completed.host_str().is_none_or(str::is_empty) && socket_dir.is_none() {
            let host = env("PGHOST").unwrap_or_else(|| "localhost".to_string());
            completed.set_host(Some(&host)).map_err(|e| bad(&e))?;
        }
        if completed.port().is_none()
            && completed.host_str().is_some_and(|h| !h.is_empty())
            && let Some(port) = env("PGPORT").and_then(|p| p.parse::<u16>().ok())
        {
            let _ = completed.set_port(Some(port));
        }
        let mut config: Config = completed.as_str().parse().map_err(|e| bad(&e))?;
        if config.get_hosts().is_empty()
            && let Some(dir) = socket_dir
        {
            config.host(dir);
            if let Some(port) = env("PGPORT").and_then(|p| p.parse::<u16>().ok()) {
                config.port(port);
            }
        }
        if config.get_user().is_none()
            && let Some(user) = env("PGUSER")
        {
            config.user(user);
        }
        if config.get_password().is_none()
            && let Some(password) = env("PGPASSWORD")
        {
            config.password(password);
        }
        if config.get_dbname().is_none()
            && let Some(db) = env("PGDATABASE")
        {
            config.dbname(db);
        }
        if !url.contains("sslmode=")
            && let Some(mode) = env("PGSSLMODE")
        {
            use tokio_postgres::config::SslMode;
            config.ssl_mode(match mode.as_str() {
                "disable" => SslMode::Disable,
                "require" | "verify-ca" | "verify-full" => SslMode::Require,
                _ => SslMode::Prefer,
            });
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("bitext");
        }
        let shown = shown(&config);
        Ok(PgLocation { config, shown })
    }
}

/// `postgres://user@host:port/db`: the settings that say which database,
/// and no secret.
fn shown(config: &Config) -> String {
    use tokio_postgres::config::Host;
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    format!(
        "postgres://{}{}/{}",
        config
            .get_user()
            .map(|u| format!("{u}@"))
            .unwrap_or_default(),
        hosts.join(","),
        config.get_dbname().unwrap_or_default()
    )
}

/// A URL with its password (in the authority or in a `password=`
/// parameter) replaced by `***`, for a message about a URL that could not
/// be parsed.
fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = scheme_end + 3;
        let authority_end = out[rest..].find('/').map_or(out.len(), |i| rest + i);
        if let Some(at) = out[rest..authority_end].rfind('@').map(|i| rest + i)
            && let Some(colon) = out[rest..at].find(':').map(|i| rest + i)
        {
            out.replace_range(colon + 1..at, "***");
        }
    }
    if let Some(start) = out.find("password=") {
        let value = start + "password=".len();
        let end = out[value..].find('&').map_or(out.len(), |i| value + i);
        out.replace_range(value..end, "***");
    }
    out
}

/// An open PostgreSQL translation memory.
pub(super) struct PgStore {
    /// The client's own runtime (taken when dropped).
    runtime: Option<tokio::runtime::Runtime>,
    shared: Arc<Shared>,
    /// How messages name the database.
    name: PathBuf,
    writable: bool,
}

/// What every call needs: how to connect, and the connection.
struct Shared {
    config: Config,
    tls: MakeRustlsConnect,
    client: tokio::sync::Mutex<Option<Arc<Client>>>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PgStore {
    /// Connect to the database at `location` and bring its schema up to
    /// date. A database that cannot be reached is an error at once (no
    /// retry: nothing has been sent yet, and the user must act).
    pub(super) fn open(location: &PgLocation) -> Result<Self> {
        let store = Self::connect(location, true)?;
        store
            .call_once("cannot create its tables", |client| async move {
                migrate(&client).await
            })?
            .map_err(|m| store.error(&m))?;
        Ok(store)
    }

    /// Connect to the database at `location` for lookups only, creating
    /// and migrating nothing: `None` when it has no translation memory yet.
    pub(super) fn open_for_reading(location: &PgLocation) -> Result<Option<Self>> {
        let store = Self::connect(location, false)?;
        let version = store.call_once("cannot read its version", |client| async move {
            // Two statements: one naming a table that does not exist fails
            // to plan, whatever it would take.
            let exists = client
                .query_one("SELECT to_regclass('bitext_migrations') IS NOT NULL", &[])
                .await?
                .get::<_, bool>(0);
            if !exists {
                return Ok(0);
            }
            let row = client
                .query_one(
                    "SELECT coalesce(max(version), 0) FROM bitext_migrations",
                    &[],
                )
                .await?;
            Ok(row.get::<_, i32>(0))
        })?;
        if version == 0 {
            return Ok(None);
        }
        check_version(version).map_err(|m| store.error(&m))?;
        Ok(Some(store))
    }

    /// A runtime and a first connection.
    fn connect(location: &PgLocation, writable: bool) -> Result<Self> {
        let name = PathBuf::from(location.to_string());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bitext-postgres")
            .enable_all()
            .build()
            .map_err(|e| cache_error(&name, &format!("cannot start its client: {e}")))?;
        let store = PgStore {
            runtime: Some(runtime),
            shared: Arc::new(Shared {
                config: location.config.clone(),
                tls: tls(),
                client: tokio::sync::Mutex::new(None),
            }),
            name,
            writable,
        };
        let shared = store.shared.clone();
        store
            .wait(async move {
                let client = connect(&shared).await.map_err(|e| describe(&e))?;
                *shared.client.lock().await = Some(client);
                Ok(())
            })
            .map_err(|e| {
                store.error(&format!(
                    "cannot connect: {e}; start the database, or check the URL and the PG* variables"
                ))
            })?;
        Ok(store)
    }

    /// Run `future` on the client's runtime and wait for its result.
    fn wait<T: Send + 'static>(
        &self,
        future: impl Future<Output = Result<T, String>> + Send + 'static,
    ) -> Result<T, String> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let runtime = self
            .runtime
            .as_ref()
            .expect("the runtime lives as long as the store");
        runtime.spawn(async move {
            let _ = sender.send(future.await);
        });
        receiver
            .recv()
            .unwrap_or_else(|_| Err("its client stopped".to_string()))
    }

    /// Run `op` once, failing at once if the connection fails (nothing
    /// has been sent yet when a store opens, and the user must act).
    fn call_once<T, F, Fut>(&self, what: &str, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(Arc<Client>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, tokio_postgres::Error>> + Send + 'static,
    {
        self.call_with(what, 1, op)
    }

    /// Run `op`, connecting again and retrying (with a growing pause) when
    /// the connection is lost; `op` must be idempotent.
    fn call<T, F, Fut>(&self, what: &str, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(Arc<Client>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, tokio_postgres::Error>> + Send + 'static,
    {
        self.call_with(what, ATTEMPTS, op)
    }

    /// Run `op` up to `attempts` times, as [`PgStore::call`] says.
    fn call_with<T, F, Fut>(&self, what: &str, attempts: u32, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(Arc<Client>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, tokio_postgres::Error>> + Send + 'static,
    {
        let shared = self.shared.clone();
        self.wait(async move {
            let mut attempt = 0;
            loop {
                let client = {
                    let mut slot = shared.client.lock().await;
                    match slot.as_ref().filter(|c| !c.is_closed()) {
                        Some(client) => Ok(client.clone()),
                        None => connect(&shared).await.inspect(|c| *slot = Some(c.clone())),
                    }
                };
                let result = match client {
                    Ok(client) => op(client).await,
                    Err(e) => Err(e),
                };
                match result {
                    Err(e) if is_transient(&e) && attempt + 1 < attempts => {
                        *shared.client.lock().await = None;
                        tokio::time::sleep(Duration::from_millis(250 << attempt.min(3))).await;
                        attempt += 1;
                    }
                    result => return result.map_err(|e| describe(&e)),
                }
            }
        })
        .map_err(|e| self.error(&format!("{what}: {e}")))
    }

    /// For each pair of keys (reviewed, machine), the stored translation and
    /// its origin; the reviewed one wins.
    pub(super) fn get_many(
        &self,
        keys: &[(&str, &str)],
    ) -> Result<Vec<Option<(StoredTranslation, Origin)>>> {
        let reviewed: Arc<Vec<String>> = Arc::new(keys.iter().map(|k| k.0.to_string()).collect());
        let machine: Arc<Vec<String>> = Arc::new(keys.iter().map(|k| k.1.to_string()).collect());
        let rows = self.call("cannot look up translations", move |client| {
            let (reviewed, machine) = (reviewed.clone(), machine.clone());
            async move {
                let mut found = Vec::new();
                for (table, keys, origin) in [
                    ("bitext_reviewed", reviewed, Origin::Reviewed),
                    ("bitext_machine", machine, Origin::Cache),
                ] {
                    let sql = format!(
                        "SELECT u.i, t.translation, t.backend, t.model, t.repaired \
                         FROM unnest($1::text[]) WITH ORDINALITY AS u(key, i) \
                         JOIN {table} t ON t.key_md5 = md5(u.key) AND t.key = u.key"
                    );
                    for row in client.query(&sql, &[&*keys]).await? {
                        let i: i64 = row.get(0);
                        let translation = StoredTranslation {
                            text: row.get(1),
                            backend: row.get(2),
                            model: row.get(3),
                            repaired: row.get(4),
                        };
                        found.push((i, translation, origin));
                    }
                }
                Ok(found)
            }
        })?;
        let mut out: Vec<Option<(StoredTranslation, Origin)>> = vec![None; keys.len()];
        for (i, translation, origin) in rows {
            let Some(slot) = usize::try_from(i - 1).ok().and_then(|i| out.get_mut(i)) else {
                continue;
            };
            // Reviewed rows come first: a machine row never replaces one.
            if slot.is_none() {
                *slot = Some((translation, origin));
            }
        }
        Ok(out)
    }

    /// Call `f` with every entry: machine translations first, then reviewed
    /// ones, each in key order (by bytes, as the embedded memory lists them).
    pub(super) fn for_each(&self, f: &mut dyn FnMut(MemoryEntry) -> Result<()>) -> Result<()> {
        for kind in [Kind::Machine, Kind::Reviewed] {
            let sql = format!(
                "SELECT key, translation, backend, model, repaired, created_ms, changed_ms \
                 FROM {} ORDER BY key COLLATE \"C\"",
                table(kind)
            );
            let rows = self.call("cannot list translations", move |client| {
                let sql = sql.clone();
                async move { client.query(&sql, &[]).await }
            })?;
            for row in rows {
                let key: String = row.get(0);
                let parts = match kind {
                    Kind::Machine => split_machine_key(&key),
                    Kind::Reviewed => split_reviewed_key(&key),
                };
                let Some(parts) = parts else { continue };
                let millis = |i: usize| {
                    row.get::<_, Option<i64>>(i)
                        .and_then(|v| u64::try_from(v).ok())
                };
                let translation = StoredTranslation {
                    text: row.get(1),
                    backend: row.get(2),
                    model: row.get(3),
                    repaired: row.get(4),
                };
                f(parts.entry(
                    translation,
                    kind,
                    from_millis(millis(5)),
                    from_millis(millis(6)),
                ))?;
            }
        }
        Ok(())
    }

    /// Store `items` of `kind` in one statement: an upsert that keeps an
    /// entry's creation time and moves its change time only when its
    /// translation changes. Of two items with one key, the later wins.
    pub(super) fn put(&self, kind: Kind, items: &[(&str, &StoredTranslation)]) -> Result<()> {
        if !self.writable {
            return Err(self.error("opened for lookups only"));
        }
        let mut last = std::collections::HashMap::new();
        for (i, (key, _)) in items.iter().enumerate() {
            last.insert(*key, i);
        }
        let rows = Arc::new(Rows::new(
            kind,
            items
                .iter()
                .enumerate()
                .filter(|(i, (key, _))| last[key] == *i)
                .map(|(_, item)| *item),
        ));
        let now = i64::try_from(now_millis()).unwrap_or(i64::MAX);
        let sql = upsert_sql(kind);
        self.call("cannot store translations", move |client| {
            let (rows, sql) = (rows.clone(), sql.clone());
            async move {
                client
                    .execute(
                        &sql,
                        &[
                            &rows.key,
                            &rows.source_lang,
                            &rows.target_lang,
                            &rows.fingerprint,
                            &rows.terms,
                            &rows.source,
                            &rows.translation,
                            &rows.backend,
                            &rows.model,
                            &rows.repaired,
                            &now,
                        ],
                    )
                    .await
            }
        })?;
        Ok(())
    }

    fn error(&self, message: &str) -> crate::Error {
        cache_error(&self.name, message)
    }
}

/// The table of a kind of entry.
fn table(kind: Kind) -> &'static str {
    match kind {
        Kind::Machine => "bitext_machine",
        Kind::Reviewed => "bitext_reviewed",
    }
}

/// Items to store, column by column (the statement unnests the arrays).
#[derive(Default)]
struct Rows {
    key: Vec<String>,
    source_lang: Vec<String>,
    target_lang: Vec<String>,
    fingerprint: Vec<String>,
    terms: Vec<String>,
    source: Vec<String>,
    translation: Vec<String>,
    backend: Vec<String>,
    model: Vec<Option<String>>,
    repaired: Vec<bool>,
}

impl Rows {
    fn new<'a>(kind: Kind, items: impl Iterator<Item = (&'a str, &'a StoredTranslation)>) -> Self {
        let mut rows = Rows::default();
        for (key, value) in items {
            let parts = match kind {
                Kind::Machine => split_machine_key(key),
                Kind::Reviewed => split_reviewed_key(key),
            };
            let Some(parts) = parts else { continue };
            let (fingerprint, terms) = parts.backend.unwrap_or_default();
            rows.key.push(key.to_string());
            rows.source_lang.push(parts.source_lang.to_string());
            rows.target_lang.push(parts.target_lang.to_string());
            rows.fingerprint.push(fingerprint.to_string());
            rows.terms.push(terms.to_string());
            rows.source.push(parts.source.to_string());
            rows.translation.push(value.text.clone());
            rows.backend.push(value.backend.clone());
            rows.model.push(value.model.clone());
            rows.repaired.push(value.repaired);
        }
        rows
    }
}

/// The upsert of a batch into the table of `kind`; parameters as
/// [`PgStore::put`] passes them (a reviewed entry has no fingerprint or
/// terms columns, and ignores those arrays).
fn upsert_sql(kind: Kind) -> String {
    let key_columns = match kind {
        Kind::Machine => "source_lang, target_lang, fingerprint, terms, source",
        Kind::Reviewed => "source_lang, target_lang, source",
    };
    let key_values = match kind {
        Kind::Machine => "u.source_lang, u.target_lang, u.fingerprint, u.terms, u.source",
        Kind::Reviewed => "u.source_lang, u.target_lang, u.source",
    };
    format!(
        "INSERT INTO {table} AS t (key_md5, key, {key_columns}, translation, backend, model, repaired, created_ms, changed_ms) \
         SELECT md5(u.key), u.key, {key_values}, u.translation, u.backend, u.model, u.repaired, $11, $11 \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                     $7::text[], $8::text[], $9::text[], $10::bool[]) \
              AS u(key, source_lang, target_lang, fingerprint, terms, source, translation, backend, model, repaired) \
         ON CONFLICT (key_md5) DO UPDATE SET \
             translation = EXCLUDED.translation, backend = EXCLUDED.backend, \
             model = EXCLUDED.model, repaired = EXCLUDED.repaired, \
             changed_ms = CASE WHEN t.translation = EXCLUDED.translation \
                 THEN coalesce(t.changed_ms, EXCLUDED.changed_ms) ELSE EXCLUDED.changed_ms END",
        table = table(kind)
    )
}

/// Bring the schema up to date, in one transaction under an advisory lock,
/// so that workers that start together migrate once.
async fn migrate(client: &Client) -> Result<Result<(), String>, tokio_postgres::Error> {
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({MIGRATION_LOCK}); \
             CREATE TABLE IF NOT EXISTS bitext_migrations (\
                 version integer PRIMARY KEY, \
                 applied_at timestamptz NOT NULL DEFAULT now())"
        ))
        .await?;
    let result = async {
        let row = client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM bitext_migrations",
                &[],
            )
            .await?;
        let current: i32 = row.get(0);
        if let Err(message) = check_version(current) {
            return Ok(Err(message));
        }
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = i32::try_from(step + 1).unwrap_or(i32::MAX);
            client.batch_execute(sql).await?;
            client
                .execute(
                    "INSERT INTO bitext_migrations (version) VALUES ($1)",
                    &[&version],
                )
                .await?;
        }
        Ok(Ok(()))
    }
    .await;
    let end = match &result {
        Ok(Ok(())) => "COMMIT",
        _ => "ROLLBACK",
    };
    match (result, client.batch_execute(end).await) {
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        (Ok(outcome), Ok(())) => Ok(outcome),
    }
}

/// An error when the schema is newer than this bitext knows.
fn check_version(version: i32) -> Result<(), String> {
    if usize::try_from(version).unwrap_or(usize::MAX) > MIGRATIONS.len() {
        Err(format!(
            "its schema is version {version}, newer than this bitext knows ({}); upgrade bitext",
            MIGRATIONS.len()
        ))
    } else {
        Ok(())
    }
}

/// A new connection, driven on the client's runtime.
async fn connect(shared: &Shared) -> Result<Arc<Client>, tokio_postgres::Error> {
    let (client, connection) = shared.config.connect(shared.tls.clone()).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Arc::new(client))
}

/// The TLS connector: rustls with the platform's root certificates (none
/// found leaves TLS to fail, and `sslmode=prefer` to go without it).
fn tls() -> MakeRustlsConnect {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

/// Whether an error may go away on a new connection: the connection was
/// lost, the server is restarting, or it could not serialize two workers.
fn is_transient(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        None => true,
        Some(code) => [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::CONNECTION_FAILURE,
            SqlState::CONNECTION_EXCEPTION,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
        ]
        .contains(code),
    }
}

/// An error and its causes, on one line.
fn describe(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password_and_completed_from_the_environment() {
        let env = |name: &str| match name {
            "PGPASSWORD" => Some("s3cret".to_string()),
            "PGPORT" => Some("6543".to_string()),
            "PGDATABASE" => Some("tm".to_string()),
            _ => None,
        };
        let pg = PgLocation::parse_with_env("postgres://ann:hunter2@db.example", env).unwrap();
        assert_eq!(pg.to_string(), "postgres://ann@db.example:6543/tm");
        assert!(!format!("{pg:?}").contains("hunter2"));
        assert_eq!(
            pg.config.get_password(),
            Some(&b"hunter2"[..]),
            "the URL's password wins"
        );
        let pg = PgLocation::parse_with_env("postgres://ann@db.example/x", env).unwrap();
        assert_eq!(pg.config.get_password(), Some(&b"s3cret"[..]));
        assert_eq!(pg.to_string(), "postgres://ann@db.example:6543/x");
    }

    #[test]
    fn a_bad_url_is_named_without_its_password() {
        let Err(e) = PgLocation::parse("postgres://ann:hunter2@host:notaport/db") else {
            panic!("parsed a bad port");
        };
        let message = e.to_string();
        assert!(!message.contains("hunter2"), "{message}");
        assert!(
            message.contains("postgres://ann:***@host:notaport/db"),
            "{message}"
        );
        assert_eq!(
            redact("postgresql://h/db?user=a&password=x&sslmode=require"),
            "postgresql://h/db?user=a&password=***&sslmode=require"
        );
    }
}
