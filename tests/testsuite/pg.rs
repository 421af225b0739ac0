//! A throwaway PostgreSQL cluster for the tests of the shared translation
//! memory: `initdb` in a temporary folder (as the `postgres` user when the
//! tests run as root, since PostgreSQL refuses root), listening on
//! 127.0.0.1 on a free port, started once for the whole test binary and
//! stopped (its folder removed) when the binary exits, by a watchdog that
//! waits for it. Each test gets a database of its own. No test uses a
//! database someone else started; without PostgreSQL installed the tests
//! fail, saying how to install it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::harness::checked_output;

/// The running cluster.
pub struct Cluster {
    port: u16,
    bin: PathBuf,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(Cluster::start)
}

/// A fresh, empty database on the cluster: its URL.
pub fn database() -> String {
    cluster().database()
}

/// The folder of PostgreSQL's server programs: the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout), else the folder of
/// an `initdb` on the PATH.
fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| dir.join("initdb").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command running `program` as the user the server runs as.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) {
    let out = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    fn start() -> Cluster {
        let bin = server_bin().expect(
            "PostgreSQL is not installed: the shared translation memory tests need its server \
             (initdb, pg_ctl, postgres); run .ci/setup, or apt-get install postgresql",
        );
        let dir = tempfile::Builder::new()
            .prefix("bitext-pg-")
            .tempdir()
            .unwrap()
            .keep();
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.arg("postgres:").arg(&dir);
                    c
                },
                "chown the cluster folder to postgres",
            );
        }
        let data = dir.join("data");
        run(
            {
                let mut c = as_server_user(&bin.join("initdb"));
                c.arg("-D")
                    .arg(&data)
                    .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
                    .env("LC_ALL", "C");
                c
            },
            "initdb",
        );
        let port = free_port();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={} \
             -c fsync=off -c max_connections=200",
            dir.display()
        );
        run(
            {
                let mut c = as_server_user(&bin.join("pg_ctl"));
                c.arg("-D")
                    .arg(&data)
                    .args(["-o", &options, "-l"])
                    .arg(dir.join("log"))
                    .args(["-w", "-t", "60", "start"])
                    .stdout(Stdio::null());
                c
            },
            "pg_ctl start",
        );
        // Stop the cluster and remove its folder once this test binary has
        // exited, however it exits.
        let pg_ctl = bin.join("pg_ctl");
        let stop = if is_root() {
            format!("runuser -u postgres -- '{}'", pg_ctl.display())
        } else {
            format!("'{}'", pg_ctl.display())
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
             {stop} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            data = data.display(),
            dir = dir.display(),
        );
        // The watchdog outlives this process on purpose: it stops the
        // cluster once the tests have exited, so it is never waited for.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the cluster's watchdog");
        Cluster { port, bin }
    }

    /// The URL of the database `name` (no password: the cluster trusts
    /// local connections).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Run SQL on the database `name`; its output, unaligned.
    pub fn psql(&self, name: &str, sql: &str) -> String {
        let psql = self.bin.join("psql");
        let psql = if psql.exists() {
            psql
        } else {
            PathBuf::from("psql")
        };
        let out = checked_output(
            Command::new(psql)
                .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"])
                .arg(self.url(name))
                .args(["-c", sql])
                .stdin(Stdio::null()),
            "run psql",
            &format!("psql {sql}"),
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A fresh, empty database: its URL.
    pub fn database(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
