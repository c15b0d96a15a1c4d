//! A throwaway PostgreSQL server for the library's tests: Debian's
//! `postgresql` package (installed by the README's test command), a data
//! directory in a temporary folder, its own port on loopback, stopped and
//! removed when the value is dropped. Nothing is downloaded. As root, the
//! server runs as the `postgres` user, since initdb refuses to run as root.
//!
//! `WAYMARK_PG_BIN` names the folder of `initdb` and `postgres` when they are
//! elsewhere than `/usr/lib/postgresql/*/bin` or the PATH.

use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The superuser's password on every test server.
pub const PASSWORD: &str = "test-only-password";

pub struct Server {
    pub port: u16,
    child: Option<Child>,
    data: PathBuf,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    durable: bool,
    _dir: tempfile::TempDir,
}

fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WAYMARK_PG_BIN") {
        return dir.into();
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect())
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!("the library's tests need PostgreSQL's server: install Debian's postgresql (scripts/install-deps.sh does), or set WAYMARK_PG_BIN")
    })
}

/// The `postgres` user's uid and gid, when running as root.
fn owner() -> Option<(u32, u32)> {
    let me = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid_line = me.lines().find(|l| l.starts_with("Uid:"))?;
    if uid_line.split_whitespace().nth(1)? != "0" {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let line = passwd.lines().find(|l| l.starts_with("postgres:"))?;
    let mut fields = line.split(':').skip(2);
    Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    /// Starts a new server for tests, with fsync off (nothing here needs to
    /// survive a power cut); panics, saying why, when it cannot.
    pub fn start() -> Self {
        Self::start_with(false)
    }

    /// Starts a new server that syncs every commit to disk, as a real one
    /// does: for benchmarks.
    #[allow(dead_code, reason = "the library benchmark's, which shares this file")]
    pub fn start_durable() -> Self {
        Self::start_with(true)
    }

    fn start_with(durable: bool) -> Self {
        let bin = bin_dir();
        let owner = owner();
        let dir = tempfile::Builder::new().prefix("waymark-pg-").tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
            std::os::unix::fs::chown(&data, Some(uid), Some(gid)).unwrap();
        }
        // Connections over TCP give a password (so a wrong one can be
        // tested); the tests' own set-up uses the same URL.
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        let mut initdb = Command::new(bin.join("initdb"));
        initdb
            .arg("-D")
            .arg(&data)
            .args([
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-U",
                "waymark",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", pwfile.display()));
        let out = as_owner(&mut initdb, owner).output().unwrap();
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut server = Self { port: 0, child: None, data, bin, owner, durable, _dir: dir };
        server.run(free_port());
        server
    }

    /// Starts the server on `port` (again, after [`Server::stop`]).
    pub fn run(&mut self, port: u16) {
        let mut postgres = Command::new(self.bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(&self.data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(&self.data)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=40", "-c"])
            .arg(if self.durable { "fsync=on" } else { "fsync=off" })
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.child = Some(as_owner(&mut postgres, self.owner).spawn().unwrap());
        self.port = port;
        let start = Instant::now();
        while postgres::Client::connect(&self.url("postgres"), postgres::NoTls).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "the test server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server (a fast shutdown: open sessions are cut).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
            let start = Instant::now();
            while child.try_wait().ok().flatten().is_none() {
                if start.elapsed() > Duration::from_secs(10) {
                    let _ = child.kill();
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// The URL of `database` on this server.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://waymark:{PASSWORD}@127.0.0.1:{}/{database}", self.port)
    }

    /// A new, empty database; its URL.
    pub fn database(&self, name: &str) -> String {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls).unwrap();
        client.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        self.url(name)
    }
}

fn as_owner(command: &mut Command, owner: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = owner {
        command.uid(uid).gid(gid);
    }
    command
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
