//! Where a library is: a PostgreSQL URL (`postgres://user@host:port/db`),
//! and a map in it, written `URL#MAP`. Waymark never stores a password: it
//! is in the URL for a one-off command, or the server is asked with the one
//! in `PGPASSWORD`, the user's `~/.pgpass` (`PGPASSFILE`) or a connection
//! service file (`postgres://?service=team`, `~/.pg_service.conf`), as
//! `psql` does; the window asks for it and keeps it for the session only.

use std::str::FromStr;

use postgres::config::Host;
use postgres::{Client, Config};
use postgres_native_tls::MakeTlsConnector;

use super::error::{LibraryError, from_connect};

/// A parsed library URL.
#[derive(Clone)]
pub struct Address {
    config: Config,
}

/// A map in a library: `URL#MAP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRef {
    /// The library's URL.
    pub url: String,
    /// The map's id.
    pub map: String,
}

/// Whether `text` names a library (or a map in one) rather than a file.
#[must_use]
pub fn is_library_ref(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl MapRef {
    /// Reads `URL#MAP`.
    ///
    /// # Errors
    /// When there is no `#MAP`, or the id is not one.
    pub fn parse(text: &str) -> Result<Self, LibraryError> {
        let missing = || LibraryError::BadAddress {
            detail: format!(
                "{}: a library map is written URL#MAP (the map's id after a #; `waymark library list URL` shows them)",
                redact(text)
            ),
        };
        // What follows a # in the password is not a map id: never echo it.
        let Some((url, map)) = text.rsplit_once('#').filter(|(_, m)| !m.contains(['@', ':', '/', '?'])) else {
            return Err(missing());
        };
        check_map_id(map)?;
        Ok(Self { url: url.to_owned(), map: map.to_owned() })
    }
}

/// A map id: lower-case letters, digits and dashes, as `library push` makes them.
///
/// # Errors
/// Why `id` is not one.
pub fn check_map_id(id: &str) -> Result<(), LibraryError> {
    let bad = |why| Err(LibraryError::BadMapId { id: id.to_owned(), why });
    if id.is_empty() || id.len() > 64 {
        return bad("an id has 1 to 64 characters");
    }
    if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || id.starts_with('-') {
        return bad("an id has lower-case letters, digits and dashes, and starts with a letter or digit");
    }
    Ok(())
}

/// A map id made from a title: "Driver licence renewal" → "driver-licence-renewal".
#[must_use]
pub fn id_from_title(title: &str) -> String {
    let mut id = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id: String = id.trim_end_matches('-').chars().take(64).collect();
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() { "map".to_owned() } else { id }
}

impl Address {
    /// Reads a library URL.
    ///
    /// # Errors
    /// When it is not a PostgreSQL URL.
    pub fn parse(url: &str) -> Result<Self, LibraryError> {
        if !is_library_ref(url) {
            return Err(LibraryError::BadAddress {
                detail: format!("{}: a library is a PostgreSQL URL, postgres://USER@HOST:PORT/DATABASE", redact(url)),
            });
        }
        let (rest, service) = take_service(url);
        let mut config = Config::from_str(&rest)
            .map_err(|e| LibraryError::BadAddress { detail: format!("{}: {e}", redact(url)) })?;
        if let Some(name) = service.or_else(|| std::env::var("PGSERVICE").ok()) {
            apply_service(&mut config, &name)?;
        }
        if config.get_user().is_none() {
            config.user(&default_user());
        }
        if config.get_password().is_none()
            && let Some(password) = std::env::var("PGPASSWORD").ok().or_else(|| pgpass(&config))
        {
            config.password(password);
        }
        Ok(Self { config })
    }

    /// The same library, reached with `password` (one the window asked for).
    #[must_use]
    pub fn with_password(mut self, password: &str) -> Self {
        self.config.password(password);
        self
    }

    /// Whether a password is at hand (given, or found in the environment,
    /// `.pgpass` or a service file).
    #[must_use]
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// Where the library is, for messages: `user@host:port/database`, never
    /// the password.
    #[must_use]
    pub fn place(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".to_owned(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let db = self.config.get_dbname().unwrap_or_else(|| self.user_str());
        format!("{}@{host}:{port}/{db}", self.user_str())
    }

    /// The user name the library knows this person by.
    #[must_use]
    pub fn user(&self) -> String {
        self.user_str().to_owned()
    }

    fn user_str(&self) -> &str {
        self.config.get_user().unwrap_or("postgres")
    }

    /// Connects, over TLS when the server offers it (`sslmode=require` in the
    /// URL insists on it).
    ///
    /// # Errors
    /// The server cannot be reached, or refuses the user.
    pub fn connect(&self) -> Result<Client, LibraryError> {
        let place = self.place();
        // As libpq's `prefer` and `require`: encrypted when the server offers
        // it, its certificate not checked (Debian's server comes with a
        // self-signed one, which psql accepts the same way).
        let tls = native_tls::TlsConnector::builder()
            .danger_accept_invalid_certs(true)
            .danger_accept_invalid_hostnames(true)
            .build()
            .map_err(|e| LibraryError::Unreachable { place: place.clone(), detail: format!("no TLS: {e}") })?;
        let mut config = self.config.clone();
        config.connect_timeout(std::time::Duration::from_secs(5));
        config.application_name("waymark");
        config.connect(MakeTlsConnector::new(tls)).map_err(|e| from_connect(&place, self.user_str(), &e))
    }

    /// An error of an open connection, classified.
    pub fn failed(&self, e: &postgres::Error) -> LibraryError {
        super::error::from_postgres(&self.place(), e)
    }
}

/// The name of the user running Waymark, as libpq defaults to it.
fn default_user() -> String {
    std::env::var("PGUSER").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "postgres".to_owned())
}

/// The URL with its password (if any) replaced by `***`: the user part is
/// everything up to the last `@` (a password may hold `/`, `#` or `@`), and a
/// `password=` parameter is masked too.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let rest = match rest.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => rest.to_owned(),
        },
        None => rest.to_owned(),
    };
    let masked = match rest.split_once('?') {
        Some((base, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| if p.starts_with("password=") { "password=***".to_owned() } else { p.to_owned() })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
        None => rest,
    };
    format!("{scheme}://{masked}")
}

/// `url` without any password in it, to be remembered: the user part's
/// `:password` and a `password=` parameter are dropped.
#[must_use]
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let rest = match rest.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}@{host}"),
            None => rest.to_owned(),
        },
        None => rest.to_owned(),
    };
    let rest = match rest.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with("password=")).collect();
            if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
        }
        None => rest,
    };
    format!("{scheme}://{rest}")
}

/// The URL without its `service=NAME` parameter, and the name: the
/// PostgreSQL client library reads that parameter, the driver does not.
fn take_service(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else { return (url.to_owned(), None) };
    let mut service = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| match p.strip_prefix("service=") {
            Some(name) => {
                service = Some(name.to_owned());
                false
            }
            None => true,
        })
        .collect();
    let rest = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    (rest, service)
}

/// Fills what the URL leaves out (host, port, database, user, password)
/// from the service `name` of the user's `~/.pg_service.conf`
/// (`PGSERVICEFILE`) or the system's `pg_service.conf` (`PGSYSCONFDIR`,
/// else Debian's `/etc/postgresql-common`), as libpq does.
fn apply_service(config: &mut Config, name: &str) -> Result<(), LibraryError> {
    let home = std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pg_service.conf"));
    let user_file = std::env::var_os("PGSERVICEFILE").map(std::path::PathBuf::from).or(home);
    let system_dir = std::env::var_os("PGSYSCONFDIR")
        .map_or_else(|| std::path::PathBuf::from("/etc/postgresql-common"), std::path::PathBuf::from);
    let files = [user_file, Some(system_dir.join("pg_service.conf"))];
    let settings = files
        .iter()
        .flatten()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .find_map(|text| service_section(&text, name))
        .ok_or_else(|| LibraryError::BadAddress {
            detail: format!("there is no connection service \"{name}\" in ~/.pg_service.conf or pg_service.conf"),
        })?;
    for (key, value) in settings {
        match key.as_str() {
            "host" if config.get_hosts().is_empty() => {
                config.host(&value);
            }
            "port" if config.get_ports().is_empty() => {
                if let Ok(port) = value.parse() {
                    config.port(port);
                }
            }
            "dbname" if config.get_dbname().is_none() => {
                config.dbname(&value);
            }
            "user" if config.get_user().is_none() => {
                config.user(&value);
            }
            "password" if config.get_password().is_none() => {
                config.password(value);
            }
            _ => {}
        }
    }
    Ok(())
}

/// The `key=value` lines of section `[name]` of a service file.
fn service_section(text: &str, name: &str) -> Option<Vec<(String, String)>> {
    let mut found = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if found.is_some() {
                break;
            }
            if section.trim() == name {
                found = Some(Vec::new());
            }
        } else if let (Some(lines), Some((key, value))) = (found.as_mut(), line.split_once('=')) {
            lines.push((key.trim().to_owned(), value.trim().to_owned()));
        }
    }
    found
}

/// The password `~/.pgpass` (or `PGPASSFILE`) holds for this connection.
/// Like libpq, a file others can read is ignored.
fn pgpass(config: &Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(&path).ok()?.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    pgpass_lookup(&text, [&host, &port, db, user])
}

/// The password of the first line of a `.pgpass` text matching host, port,
/// database and user (`*` matches anything; `\:` and `\\` are escapes).
fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            return None;
        }
        let matches = fields.iter().zip(wanted).all(|(f, w)| f == "*" || f == w);
        matches.then(|| fields[4].clone())
    })
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_field_by_field_with_wildcards_and_escapes() {
        let text = "# comment\nother:5432:lib:ann:no\nlocalhost:*:lib:ann:s\\:ecret\n*:*:*:*:fallback\n";
        assert_eq!(pgpass_lookup(text, ["localhost", "5433", "lib", "ann"]).as_deref(), Some("s:ecret"));
        assert_eq!(pgpass_lookup(text, ["db.example", "5432", "lib", "bo"]).as_deref(), Some("fallback"));
        assert_eq!(pgpass_lookup("a:b:c", ["a", "b", "c", "d"]), None);
    }

    #[test]
    fn a_password_never_appears_in_messages() {
        assert_eq!(redact("postgres://ann:hunter2@db:5432/lib"), "postgres://ann:***@db:5432/lib");
        assert_eq!(redact("postgres://ann:pa/ss@db/lib"), "postgres://ann:***@db/lib");
        assert_eq!(redact("postgres://db/lib?user=ann&password=hunter2"), "postgres://db/lib?user=ann&password=***");
        let e = MapRef::parse("postgres://ann:pa#ss@db/lib").unwrap_err().to_string();
        assert!(!e.contains("ss@db") && !e.contains("pa#"), "{e}");
        let e = MapRef::parse("postgres://ann:hunter2@db/lib").unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
        let place = Address::parse("postgres://ann:hunter2@db:6000/lib").map(|a| a.place()).unwrap_or_default();
        assert_eq!(place, "ann@db:6000/lib");
    }

    #[test]
    fn service_files_name_a_section_and_urls_are_remembered_without_passwords() {
        let text = "# team\n[other]\nhost=x\n[team]\nhost = db.example\nport=6000\ndbname=lib\npassword=s3cret\n[later]\nhost=y\n";
        let section = service_section(text, "team").unwrap_or_default();
        assert_eq!(section.len(), 4);
        assert_eq!(section[0], ("host".to_owned(), "db.example".to_owned()));
        assert!(service_section(text, "none").is_none());
        assert_eq!(
            take_service("postgres://ann@/?service=team&sslmode=require"),
            ("postgres://ann@/?sslmode=require".to_owned(), Some("team".to_owned()))
        );
        assert_eq!(without_password("postgres://ann:hunter2@db:5432/lib"), "postgres://ann@db:5432/lib");
        assert_eq!(without_password("postgres://db/lib?user=ann&password=x"), "postgres://db/lib?user=ann");
        assert_eq!(without_password("postgres://db/lib?password=x"), "postgres://db/lib");
    }

    #[test]
    fn map_refs_and_ids() {
        let r = MapRef::parse("postgres://db/lib#licence-renewal").unwrap();
        assert_eq!((r.url.as_str(), r.map.as_str()), ("postgres://db/lib", "licence-renewal"));
        assert!(MapRef::parse("postgres://db/lib#Licence Renewal").is_err());
        assert_eq!(id_from_title("Driver licence — renewal (2026)"), "driver-licence-renewal-2026");
        assert_eq!(id_from_title("???"), "map");
    }
}
