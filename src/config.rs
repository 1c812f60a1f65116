//! Every setting Marquee reads, its environment variable and its default, in one place.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `DATABASE_URL` | `marquee.db` | `postgres://…` for PostgreSQL, otherwise a SQLite file path |
//! | `MARQUEE_BIND` | `127.0.0.1:8080` | address to listen on (`serve --bind` overrides) |
//! | `MARQUEE_PUBLIC_URL` | `http://<bind>` | base of the links Marquee prints and e-mails |
//! | `MARQUEE_POOL_SIZE` | `8` | database connections per instance (more than `MARQUEE_WRITERS` with group commit) |
//! | `MARQUEE_WORKERS` | number of cores | HTTP worker threads |
//! | `MARQUEE_SQLITE_SYNCHRONOUS` | `normal` | `normal` survives a process crash; `full` also a power cut |
//! | `MARQUEE_COOKIE_SECURE` | `auto` | mark cookies `Secure`: `auto` does when Marquee serves HTTPS or `MARQUEE_PUBLIC_URL` starts with `https://` (a proxy in front) |
//! | `MARQUEE_TLS_CERT_FILE`, `MARQUEE_TLS_KEY_FILE` | none | serve HTTPS on `MARQUEE_BIND` with this PEM certificate chain and key (read again when either file changes, and on SIGHUP) |
//! | `MARQUEE_ACME_DOMAINS` | none | serve HTTPS with certificates obtained and renewed automatically over ACME for these names (comma-separated); needs `MARQUEE_HTTP_BIND` on port 80 for the HTTP-01 challenge |
//! | `MARQUEE_ACME_DIRECTORY` | Let's Encrypt | the ACME directory URL |
//! | `MARQUEE_ACME_CONTACT` | none | the address the certificate authority may write to (expiry warnings) |
//! | `MARQUEE_ACME_DIR` | `acme` | where the ACME account, the certificate and its key are kept (owner-only files) |
//! | `MARQUEE_ACME_ROOT_FILE` | none | a PEM certificate authority to trust for the ACME directory's own HTTPS (a test CA such as pebble's) |
//! | `MARQUEE_ACME_RENEW_DAYS` | `30` | renew a certificate this many days before it expires |
//! | `MARQUEE_ACME_CHECK_SECONDS` | `43200` | how often the certificate's expiry is checked |
//! | `MARQUEE_HTTP_BIND` | none | with HTTPS, a plain-HTTP address (e.g. `0.0.0.0:80`) that redirects to HTTPS and answers ACME challenges and health probes |
//! | `MARQUEE_DRAIN_SECONDS` | `0` | on SIGTERM, how long (0–60 s) `/readyz` answers 503 while requests are still served, so a load balancer stops sending new ones first |
//! | `MARQUEE_LOG_FORMAT` | `text` | `text` or `json` |
//! | `MARQUEE_METRICS_TOKEN` | none | when set, `/metrics` needs `Authorization: Bearer <token>` |
//! | `MARQUEE_SIGNING_KEY` | none | the ticket-signing key (`marquee keygen`); kept in the database when unset |
//! | `MARQUEE_GROUP_COMMIT` | `on` | commit queued bookings and scans together (`off`: one transaction each) |
//! | `MARQUEE_WRITERS` | `1` (SQLite), `2` (PostgreSQL) | group-commit writers per instance, each with its own connection, a screening's writes always on the same one; SQLite allows only 1 |
//! | `MARQUEE_RATE_LIMITS` | `on` | per-address limits on booking, sign-in and scanning (`off` for load tests) |
//! | `MARQUEE_SMTP_URL` | none | SMTP server for outgoing mail: `smtp://user:pass@host:587` (STARTTLS when offered; add `?tls=required` to insist) or `smtps://…:465`; a secret |
//! | `MARQUEE_MAIL_FROM` | `Marquee <tickets@localhost>` | the sender of outgoing mail |
//! | `MARQUEE_MAIL_DIR` | `mail` | without `MARQUEE_SMTP_URL`, messages are written here as `.eml` files |
//! | `MARQUEE_MAIL_RETRY_MAX` | `300` | the longest pause, in seconds, between two attempts at a message |
//! | `MARQUEE_WAITLIST_SWEEP_SECONDS` | `15` | how often expired waiting-list offers pass to the next entry and free seats are offered, and pass seats not used by their release time are given back |
//! | `MARQUEE_PROJECTION_MS` | `100` | how often the attendance projection applies new scan-log entries (reports add what it has not applied yet, so they are exact either way) |
//! | `MARQUEE_RETENTION_SWEEP_SECONDS` | `3600` | how often festivals past their retention period are shredded (and expired data links forgotten) |
//! | `MARQUEE_TRUSTED_PROXIES` | none | addresses or CIDR ranges of the proxies in front, whose `X-Forwarded-For` / `Forwarded` headers are believed (rate limits, logs, sessions); nobody else's |
//! | `MARQUEE_BODY_TIMEOUT_SECONDS` | `30` | how long a request's whole body may take to arrive |
//! | `MARQUEE_MAX_CONNECTIONS_PER_CLIENT` | `256` | open connections one client address (an IPv6 /64) may hold at once |
//! | `RUST_LOG` | `info` | log filter |
//!
//! Secrets (`MARQUEE_SIGNING_KEY`, `MARQUEE_METRICS_TOKEN`, `MARQUEE_SMTP_URL`) can instead be read from a file named by
//! the same variable with `_FILE` appended; the file must not be readable by other users (mode
//! 600 or 400). They are held as [`Secret`], which never prints its value.

use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};

/// A secret setting. `Debug` never shows the value, so settings can be logged whole.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Reads a secret from a file that only its owner can read.
pub fn read_secret_file(variable: &str, path: &str) -> anyhow::Result<Secret> {
    let metadata = std::fs::metadata(path)
        .with_context(|| format!("{variable}: cannot read the file {path}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "{variable}: {path} can be read by other users (mode {mode:03o}); \
                 run `chmod 600 {path}`"
            );
        }
    }
    if !metadata.is_file() {
        bail!("{variable}: {path} is not a file");
    }
    let text = std::fs::read_to_string(Path::new(path))
        .with_context(|| format!("{variable}: cannot read the file {path}"))?;
    let text = text.trim();
    if text.is_empty() {
        bail!("{variable}: {path} is empty");
    }
    Ok(Secret::new(text))
}

/// Where the certificate of HTTPS served by Marquee comes from.
#[derive(Debug, Clone)]
pub enum Https {
    /// PEM files kept up to date by someone else (certbot, an internal CA): read again when they
    /// change.
    Files {
        cert: std::path::PathBuf,
        key: std::path::PathBuf,
    },
    /// Obtained and renewed by Marquee over ACME.
    Acme(AcmeSettings),
}

/// Automatic certificates (see [`crate::startup::acme`]).
#[derive(Debug, Clone)]
pub struct AcmeSettings {
    pub domains: Vec<String>,
    pub directory: String,
    pub contact: Option<String>,
    /// The account, the certificate and its key.
    pub dir: std::path::PathBuf,
    /// A certificate authority to trust for the directory's own HTTPS.
    pub root: Option<std::path::PathBuf>,
    pub renew_before: std::time::Duration,
    pub check_every: std::time::Duration,
}

/// Let's Encrypt's production directory.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

impl Https {
    fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Option<Https>> {
        let files = match (get("MARQUEE_TLS_CERT_FILE"), get("MARQUEE_TLS_KEY_FILE")) {
            (Some(cert), Some(key)) => Some(Https::Files {
                cert: cert.trim().into(),
                key: key.trim().into(),
            }),
            (None, None) => None,
            _ => bail!("set both MARQUEE_TLS_CERT_FILE and MARQUEE_TLS_KEY_FILE, or neither"),
        };
        let Some(domains) = get("MARQUEE_ACME_DOMAINS") else {
            return Ok(files);
        };
        if files.is_some() {
            bail!(
                "set MARQUEE_ACME_DOMAINS or certificate files (MARQUEE_TLS_CERT_FILE), not both"
            );
        }
        let domains = domains
            .split([',', ' '])
            .filter(|d| !d.is_empty())
            .map(|domain| {
                let domain = domain.trim_end_matches('.').to_ascii_lowercase();
                let valid = domain.contains('.')
                    && domain.split('.').all(|label| {
                        !label.is_empty()
                            && label.len() <= 63
                            && !label.starts_with('-')
                            && !label.ends_with('-')
                            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    });
                if valid {
                    Ok(domain)
                } else {
                    Err(anyhow::anyhow!(
                        "MARQUEE_ACME_DOMAINS: {domain:?} is not a domain name (xn-- form for \
                         accented names)"
                    ))
                }
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if domains.is_empty() {
            bail!("MARQUEE_ACME_DOMAINS names no domain");
        }
        let days = |name: &str, default: u64| -> anyhow::Result<u64> {
            get(name).map_or(Ok(default), |v| {
                v.trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| format!("{name} must be a positive whole number, not {v:?}"))
            })
        };
        let directory = get("MARQUEE_ACME_DIRECTORY").unwrap_or_else(|| LETS_ENCRYPT.to_owned());
        if !directory.starts_with("https://") {
            bail!("MARQUEE_ACME_DIRECTORY must be an https:// URL, not {directory:?}");
        }
        Ok(Some(Https::Acme(AcmeSettings {
            domains,
            directory,
            contact: get("MARQUEE_ACME_CONTACT").map(|c| c.trim().to_owned()),
            dir: get("MARQUEE_ACME_DIR")
                .unwrap_or_else(|| "acme".to_owned())
                .into(),
            root: get("MARQUEE_ACME_ROOT_FILE").map(|r| r.trim().into()),
            renew_before: std::time::Duration::from_secs(
                days("MARQUEE_ACME_RENEW_DAYS", 30)? * 86_400,
            ),
            check_every: std::time::Duration::from_secs(days(
                "MARQUEE_ACME_CHECK_SECONDS",
                43_200,
            )?),
        })))
    }
}

/// Settings for the database connection pool.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub sqlite_sync: SqliteSync,
}

/// SQLite's `synchronous` pragma: how much a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    /// WAL + NORMAL: a committed transaction survives a crash of the process (not of the machine).
    Normal,
    /// FULL: every commit is flushed to disk, so it also survives a power cut.
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Outgoing mail (see [`crate::mail`]).
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port` (STARTTLS when offered; `?tls=required` to insist), `smtps://host:port`
    /// (TLS from the start), credentials in the URL. Unset: messages go to files in `dir`.
    pub smtp_url: Option<Secret>,
    /// The sender, `Name <address>`.
    pub from: String,
    /// Where messages are written when there is no SMTP server.
    pub dir: std::path::PathBuf,
    /// The longest pause between two attempts at one message.
    pub retry_cap: std::time::Duration,
}

/// Everything `marquee serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub bind: String,
    pub public_url: Option<String>,
    pub workers: usize,
    /// Whether cookies are `Secure` (see `MARQUEE_COOKIE_SECURE`).
    pub cookie_secure: bool,
    /// HTTPS served by Marquee itself; `None`: plain HTTP (alone, or behind a proxy).
    pub https: Option<Https>,
    /// With HTTPS, the plain-HTTP address that redirects to it (`MARQUEE_HTTP_BIND`).
    pub http_bind: Option<String>,
    /// On SIGTERM, how long the instance says it is stopping before it stops taking requests.
    pub drain: std::time::Duration,
    pub log_format: LogFormat,
    pub rate_limits: bool,
    /// The proxies whose `X-Forwarded-For` / `Forwarded` headers are believed
    /// (`MARQUEE_TRUSTED_PROXIES`: addresses or CIDR ranges); nobody else's.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Bookings and scans go through the writers, which commit them in batches.
    pub group_commit: bool,
    /// How many writers (PostgreSQL: several, partitioned by screening; SQLite: one).
    pub writers: usize,
    pub metrics_token: Option<Secret>,
    /// The ticket-signing key, when it is kept outside the database.
    pub signing_key: Option<Secret>,
    pub mail: MailSettings,
    /// How often expired waiting-list offers pass on, free seats are offered, and pass seats not
    /// used by their release time are given back.
    pub waitlist_sweep: std::time::Duration,
    /// How often personal data past its festival's retention is shredded.
    pub retention_sweep: std::time::Duration,
    /// How often the attendance projection applies new scan-log entries.
    pub projection_interval: std::time::Duration,
    /// How long a request's whole body may take to arrive (`MARQUEE_BODY_TIMEOUT_SECONDS`).
    pub body_timeout: std::time::Duration,
    /// Open connections one client address (an IPv6 /64) may hold at once
    /// (`MARQUEE_MAX_CONNECTIONS_PER_CLIENT`).
    pub max_connections_per_client: usize,
}

impl Settings {
    /// Reads the settings from the environment; an invalid value is an error naming the variable.
    pub fn from_env() -> anyhow::Result<Settings> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment in production, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Settings> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let parse_number = |name: &str, default: usize| -> anyhow::Result<usize> {
            match get(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| format!("{name} must be a positive whole number, not {v:?}")),
            }
        };
        let sqlite_sync = match get("MARQUEE_SQLITE_SYNCHRONOUS").as_deref() {
            None | Some("normal") | Some("NORMAL") => SqliteSync::Normal,
            Some("full") | Some("FULL") => SqliteSync::Full,
            Some(other) => {
                bail!("MARQUEE_SQLITE_SYNCHRONOUS must be normal or full, not {other:?}")
            }
        };
        let log_format = match get("MARQUEE_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("MARQUEE_LOG_FORMAT must be text or json, not {other:?}"),
        };
        let cookie_secure = match get("MARQUEE_COOKIE_SECURE").as_deref() {
            None | Some("auto") => None,
            Some("false") | Some("0") => Some(false),
            Some("true") | Some("1") => Some(true),
            Some(other) => {
                bail!("MARQUEE_COOKIE_SECURE must be auto, true or false, not {other:?}")
            }
        };
        let https = Https::from_lookup(&get)?;
        let http_bind = get("MARQUEE_HTTP_BIND");
        if http_bind.is_some() && https.is_none() {
            bail!(
                "MARQUEE_HTTP_BIND redirects to HTTPS: set MARQUEE_TLS_CERT_FILE and \
                 MARQUEE_TLS_KEY_FILE, or MARQUEE_ACME_DOMAINS, too"
            );
        }
        if matches!(&https, Some(Https::Acme(_))) && http_bind.is_none() {
            bail!(
                "MARQUEE_ACME_DOMAINS needs MARQUEE_HTTP_BIND (port 80 of those names, e.g. \
                 0.0.0.0:80): the certificate authority checks the names there"
            );
        }
        let public_url = get("MARQUEE_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned());
        if matches!(&https, Some(Https::Files { .. }))
            && http_bind.is_some()
            && public_url.is_none()
        {
            bail!(
                "MARQUEE_HTTP_BIND redirects to the address people use: set MARQUEE_PUBLIC_URL \
                 (https://tickets.festival.example) too"
            );
        }
        let cookie_secure = cookie_secure.unwrap_or_else(|| {
            https.is_some()
                || public_url
                    .as_deref()
                    .is_some_and(|url| url.starts_with("https://"))
        });
        let rate_limits = match get("MARQUEE_RATE_LIMITS").as_deref() {
            None | Some("on") | Some("true") | Some("1") => true,
            Some("off") | Some("false") | Some("0") => false,
            Some(other) => bail!("MARQUEE_RATE_LIMITS must be on or off, not {other:?}"),
        };
        let trusted_proxies = get("MARQUEE_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<ipnet::IpNet>()
                    .or_else(|_| part.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "MARQUEE_TRUSTED_PROXIES: {part:?} is not an address or a CIDR range"
                        )
                    })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let group_commit = match get("MARQUEE_GROUP_COMMIT").as_deref() {
            None | Some("on") | Some("true") | Some("1") => true,
            Some("off") | Some("false") | Some("0") => false,
            Some(other) => bail!("MARQUEE_GROUP_COMMIT must be on or off, not {other:?}"),
        };
        // A secret comes from its variable or from the file `<variable>_FILE` names, not both.
        let secret = |name: &str| -> anyhow::Result<Option<Secret>> {
            let file_variable = format!("{name}_FILE");
            match (get(name), get(&file_variable)) {
                (Some(_), Some(_)) => bail!("set {name} or {file_variable}, not both"),
                (Some(value), None) => Ok(Some(Secret::new(value.trim()))),
                (None, Some(path)) => read_secret_file(&file_variable, path.trim()).map(Some),
                (None, None) => Ok(None),
            }
        };
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let pool_size = parse_number("MARQUEE_POOL_SIZE", 8)?;
        let url = get("DATABASE_URL").unwrap_or_else(|| "marquee.db".to_owned());
        let writers = parse_number("MARQUEE_WRITERS", default_writers(&url))?;
        let settings = Settings {
            database: DatabaseSettings {
                url,
                pool_size: u32::try_from(pool_size).context("MARQUEE_POOL_SIZE is too large")?,
                sqlite_sync,
            },
            bind: get("MARQUEE_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            public_url,
            workers: parse_number("MARQUEE_WORKERS", cores)?,
            cookie_secure,
            https,
            http_bind,
            drain: std::time::Duration::from_secs(match get("MARQUEE_DRAIN_SECONDS") {
                None => 0,
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    // The packaged unit gives a stop 120 s: the drain, 10 s for connections, 30 s
                    // for threads.
                    .filter(|n| *n <= 60)
                    .with_context(|| {
                        format!("MARQUEE_DRAIN_SECONDS must be 0 to 60 seconds, not {v:?}")
                    })?,
            }),
            log_format,
            rate_limits,
            trusted_proxies,
            group_commit,
            writers,
            metrics_token: secret("MARQUEE_METRICS_TOKEN")?,
            signing_key: secret("MARQUEE_SIGNING_KEY")?,
            waitlist_sweep: std::time::Duration::from_secs(parse_number(
                "MARQUEE_WAITLIST_SWEEP_SECONDS",
                15,
            )? as u64),
            projection_interval: std::time::Duration::from_millis(parse_number(
                "MARQUEE_PROJECTION_MS",
                100,
            )? as u64),
            retention_sweep: std::time::Duration::from_secs(parse_number(
                "MARQUEE_RETENTION_SWEEP_SECONDS",
                3600,
            )? as u64),
            // Generous for a phone on a poor connection sending a camera frame (4 MiB at most).
            body_timeout: std::time::Duration::from_secs(parse_number(
                "MARQUEE_BODY_TIMEOUT_SECONDS",
                30,
            )? as u64),
            // A venue's doors behind one address hold a few connections each (a browser opens up
            // to six, plus a live stream); a reverse proxy keeps a pool of them.
            max_connections_per_client: parse_number("MARQUEE_MAX_CONNECTIONS_PER_CLIENT", 256)?,
            mail: MailSettings {
                smtp_url: secret("MARQUEE_SMTP_URL")?,
                from: get("MARQUEE_MAIL_FROM")
                    .unwrap_or_else(|| "Marquee <tickets@localhost>".to_owned()),
                dir: get("MARQUEE_MAIL_DIR")
                    .unwrap_or_else(|| "mail".to_owned())
                    .into(),
                retry_cap: std::time::Duration::from_secs(parse_number(
                    "MARQUEE_MAIL_RETRY_MAX",
                    300,
                )? as u64),
            },
        };
        settings.check_writers()?;
        Ok(settings)
    }

    /// Whether the writers fit the database: one on SQLite (one write lock), and a connection
    /// each to keep, with at least one more for reads. Checked again at start, for settings
    /// changed after they were read.
    pub fn check_writers(&self) -> anyhow::Result<()> {
        if Backend::of_url(&self.database.url) == Backend::Sqlite && self.writers > 1 {
            bail!("MARQUEE_WRITERS must be 1 with SQLite, which has one write lock");
        }
        if self.group_commit && self.database.pool_size as usize <= self.writers {
            bail!(
                "MARQUEE_POOL_SIZE must be more than MARQUEE_WRITERS ({}) with group commit: \
                 each writer keeps a connection, and reads need at least one more",
                self.writers
            );
        }
        Ok(())
    }
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// How many group-commit writers an instance runs on the database `url` names, unless
/// `MARQUEE_WRITERS` says otherwise: SQLite has one write lock, so one; on PostgreSQL two, so that
/// two screenings' batches commit side by side on a small server (see `docs/performance.md`).
pub fn default_writers(url: &str) -> usize {
    match Backend::of_url(url) {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn https_settings_that_cannot_work_are_refused_at_start() {
        let files = [
            ("MARQUEE_TLS_CERT_FILE", "/etc/marquee/fullchain.pem"),
            ("MARQUEE_TLS_KEY_FILE", "/etc/marquee/privkey.pem"),
        ];
        let error = |vars: &[(&str, &str)]| format!("{:#}", settings(vars).unwrap_err());
        // A redirect needs to know where to.
        let redirect = [files[0], files[1], ("MARQUEE_HTTP_BIND", "0.0.0.0:80")];
        assert!(error(&redirect).contains("MARQUEE_PUBLIC_URL"));
        let mut named = redirect.to_vec();
        named.push(("MARQUEE_PUBLIC_URL", "https://tickets.festival.example"));
        let s = settings(&named).unwrap();
        assert!(s.cookie_secure, "Secure by default over HTTPS");
        // One certificate file without the other; files and ACME together; ACME without port 80.
        assert!(error(&files[..1]).contains("MARQUEE_TLS_KEY_FILE"));
        let mut both = files.to_vec();
        both.push(("MARQUEE_ACME_DOMAINS", "tickets.festival.example"));
        assert!(error(&both).contains("not both"));
        assert!(
            error(&[("MARQUEE_ACME_DOMAINS", "tickets.festival.example")])
                .contains("MARQUEE_HTTP_BIND")
        );
        assert!(
            error(&[
                ("MARQUEE_ACME_DOMAINS", "not a domain"),
                ("MARQUEE_HTTP_BIND", ":80")
            ])
            .contains("not a domain name")
        );
        // A drain longer than the packaged unit's stop allows.
        assert!(error(&[("MARQUEE_DRAIN_SECONDS", "61")]).contains("0 to 60"));
        // Behind a proxy that serves HTTPS: Secure cookies, no HTTPS here.
        let proxied =
            settings(&[("MARQUEE_PUBLIC_URL", "https://tickets.festival.example")]).unwrap();
        assert!(proxied.cookie_secure && proxied.https.is_none());
    }

    /// The Debian package's environment file lists every setting read here, so an operator sees
    /// them all in one place.
    #[test]
    fn every_setting_is_in_the_packaged_environment_file() {
        let source = include_str!("config.rs");
        let packaged = include_str!("../debian/marquee.env");
        let names = source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| s.starts_with("MARQUEE_") || *s == "DATABASE_URL" || *s == "RUST_LOG")
            .filter(|s| s.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .collect::<std::collections::BTreeSet<_>>();
        assert!(names.len() > 30, "{names:?}");
        for name in names {
            assert!(
                packaged.contains(&format!("\n#{name}=")),
                "{name} is not in debian/marquee.env"
            );
        }
    }

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_need_nothing_installed() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database.url, "marquee.db");
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.database.sqlite_sync, SqliteSync::Normal);
        assert!(!s.cookie_secure);
    }

    #[test]
    fn postgresql_has_two_writers_by_default_and_a_connection_for_each() {
        let url = ("DATABASE_URL", "postgres://localhost/festival");
        assert_eq!(settings(&[url]).unwrap().writers, 2);
        assert_eq!(settings(&[]).unwrap().writers, 1);
        let four = settings(&[url, ("MARQUEE_WRITERS", "4")]).unwrap();
        assert_eq!(four.writers, 4);
        let err = settings(&[url, ("MARQUEE_POOL_SIZE", "2")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("MARQUEE_POOL_SIZE") && err.contains("(2)"),
            "{err}"
        );
        let alone = settings(&[
            url,
            ("MARQUEE_POOL_SIZE", "2"),
            ("MARQUEE_GROUP_COMMIT", "off"),
        ]);
        assert!(
            alone.is_ok(),
            "without group commit there is no writer to keep a connection"
        );
    }

    #[test]
    fn invalid_values_name_the_variable() {
        for (var, value) in [
            ("MARQUEE_POOL_SIZE", "many"),
            ("MARQUEE_POOL_SIZE", "0"),
            ("MARQUEE_SQLITE_SYNCHRONOUS", "off"),
            ("MARQUEE_LOG_FORMAT", "xml"),
            ("MARQUEE_COOKIE_SECURE", "yes please"),
            ("MARQUEE_RATE_LIMITS", "sometimes"),
            ("MARQUEE_GROUP_COMMIT", "maybe"),
            ("MARQUEE_WRITERS", "0"),
            ("MARQUEE_WRITERS", "2"),
            ("MARQUEE_POOL_SIZE", "1"),
        ] {
            let err = settings(&[(var, value)]).unwrap_err().to_string();
            assert!(err.contains(var), "{err}");
        }
    }

    #[test]
    fn secrets_come_from_the_environment_or_a_private_file_and_never_print() {
        use std::os::unix::fs::PermissionsExt;
        let s = settings(&[("MARQUEE_METRICS_TOKEN", "s3cret-token")]).unwrap();
        assert_eq!(s.metrics_token.as_ref().unwrap().expose(), "s3cret-token");
        assert!(!format!("{s:?}").contains("s3cret-token"));

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics-token");
        std::fs::write(&path, "from-a-file\n").unwrap();
        let path_text = path.display().to_string();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = settings(&[("MARQUEE_METRICS_TOKEN_FILE", &path_text)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains("from-a-file"), "{err}");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let s = settings(&[("MARQUEE_METRICS_TOKEN_FILE", &path_text)]).unwrap();
        assert_eq!(s.metrics_token.unwrap().expose(), "from-a-file");

        let err = settings(&[
            ("MARQUEE_METRICS_TOKEN_FILE", &path_text),
            ("MARQUEE_METRICS_TOKEN", "x"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("not both"), "{err}");
        let err = settings(&[("MARQUEE_SIGNING_KEY_FILE", "/nonexistent/key")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("MARQUEE_SIGNING_KEY_FILE"), "{err}");
    }
}
