//! Storage: one set of diesel queries for SQLite (the embedded default) and PostgreSQL.
//!
//! `AnyConnection` is a diesel `MultiConnection`; the backend is chosen from the database URL
//! (`postgres://…` → PostgreSQL, anything else → a SQLite file path). Every query runs on a pooled
//! connection inside [`run`], which moves the blocking work off the async threads.
//!
//! Two backend differences are handled here and nowhere else:
//! - SQLite needs per-connection pragmas (busy timeout, foreign keys, synchronous) and WAL, set once;
//! - a transaction that writes must start with `BEGIN IMMEDIATE` on SQLite, or a read→write upgrade
//!   fails with `SQLITE_BUSY` without waiting (see [`Tx`]).

/// Runs `$body` with `$c` bound to the backend's own connection, for a statement diesel builds only
/// for a backend it knows (a multi-row insert, `FOR UPDATE`); the same statement on both.
#[macro_export]
macro_rules! on_each_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Sqlite($c) => $body,
            $crate::db::AnyConnection::Postgresql($c) => $body,
        }
    };
}

pub mod audit;
pub mod checkpoint;
pub mod credentials;
pub mod outbox;
pub mod people;
pub mod periodic;
pub mod projection;
pub mod schema;
pub mod tallies;
pub mod tx;
pub mod writer;

pub use tx::{Lock, Tx};

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::{DatabaseSettings, SqliteSync};
use crate::domain::ScreeningId;
use crate::error::AppError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<AnyConnection>>;
pub type DbConnection = PooledConnection<ConnectionManager<AnyConnection>>;

pub use crate::config::Backend;

/// The SQLite path a URL names: `sqlite://x.db`, `sqlite:x.db` or a plain path.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Per-connection set-up. SQLite pragmas are per connection, so every pooled connection gets them.
#[derive(Debug, Clone, Copy)]
struct ConnectionSetup {
    sqlite_sync: SqliteSync,
}

impl CustomizeConnection<AnyConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), diesel::r2d2::Error> {
        if let AnyConnection::Sqlite(conn) = conn {
            let sync = match self.sqlite_sync {
                SqliteSync::Normal => "NORMAL",
                SqliteSync::Full => "FULL",
            };
            conn.batch_execute(&format!(
                "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = {sync}; \
                 PRAGMA secure_delete = ON;"
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Runs `lookup` — statements that search a growing table by a list (`… = ANY($n)`) — with each
/// planned for its own values on PostgreSQL (`SET LOCAL plan_cache_mode = force_custom_plan`,
/// set back once it is done, so nothing else in the transaction is planned differently); on
/// SQLite, just runs it.
///
/// A cached generic plan is costed with the statistics of the moment it is made, and on a
/// festival's first rush the scan log and the people table grow from empty faster than they are
/// analysed. Planned when they held a handful of rows, the lookups of a batch's nonces or e-mail
/// keys became a scan of the whole table or of a festival's every row (measured: the scan rush on
/// PostgreSQL 1,730 scans/s with generic plans, 3,648 with these lookups planned for their
/// values; see `docs/performance.md`).
pub fn planned_for_values<T, E: From<diesel::result::Error>>(
    conn: &mut AnyConnection,
    lookup: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E> {
    let postgres = matches!(conn, AnyConnection::Postgresql(_));
    if postgres {
        conn.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan")?;
    }
    let found = lookup(conn)?;
    if postgres {
        conn.batch_execute("SET LOCAL plan_cache_mode TO DEFAULT")?;
    }
    Ok(found)
}

/// Opens (creating if needed) the database, applies pending migrations and returns a pool.
///
/// Errors name the database and the cause; they are reported at start-up, never as a panic.
pub fn connect(settings: &DatabaseSettings) -> anyhow::Result<DbPool> {
    use anyhow::Context;
    let url = settings.url.as_str();
    let backend = Backend::of_url(url);
    let connection_url = match backend {
        Backend::Postgres => url.to_owned(),
        Backend::Sqlite => sqlite_path(url).to_owned(),
    };
    // Open one connection first: r2d2 would otherwise retry silently until its timeout and report
    // only "timed out", hiding the real cause (bad password, missing folder…).
    let mut first = establish(backend, &connection_url)
        .with_context(|| format!("cannot open the database at {}", redact(url)))?;
    if let AnyConnection::Sqlite(conn) = &mut first {
        // Deleted and overwritten content is zeroed, not left in free space: an erased person's
        // details must not stay readable in the file (see `crate::privacy`).
        conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON;")
            .context("cannot switch the SQLite database to WAL mode")?;
    }
    run_migrations(&mut first).context("cannot apply database migrations")?;
    drop(first);

    let manager = ConnectionManager::<AnyConnection>::new(connection_url);
    Pool::builder()
        .max_size(settings.pool_size)
        // A `SELECT 1` before every use finds a server connection that died (PostgreSQL
        // restarted); a SQLite file does not go away under an open connection.
        .test_on_check_out(backend == Backend::Postgres)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(ConnectionSetup {
            sqlite_sync: settings.sqlite_sync,
        }))
        .build(manager)
        .with_context(|| format!("cannot open a connection pool to {}", redact(url)))
}

fn establish(backend: Backend, url: &str) -> anyhow::Result<AnyConnection> {
    use diesel::Connection;
    Ok(match backend {
        Backend::Postgres => AnyConnection::Postgresql(PgConnection::establish(url)?),
        Backend::Sqlite => {
            if let Some(parent) = std::path::Path::new(url).parent()
                && !parent.as_os_str().is_empty()
                && !parent.exists()
            {
                anyhow::bail!("the folder {} does not exist", parent.display());
            }
            if url != ":memory:" && !url.starts_with("file:") {
                create_private(std::path::Path::new(url))?;
            }
            AnyConnection::Sqlite(SqliteConnection::establish(url)?)
        }
    })
}

/// Creates `path` as an empty file only its owner can read and write, unless it exists. SQLite
/// gives its `-wal` and `-shm` files the mode of the database file, so they follow; an empty file
/// is an empty database. (The signing key, manage-link hashes and people's details live there.)
pub fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Whether other users of the machine may read `path` (a file or a folder Marquee keeps data in).
pub fn shared_with_others(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

/// The SQLite file of a database URL, if it is one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = sqlite_path(url);
    (Backend::of_url(url) == Backend::Sqlite && path != ":memory:" && !path.starts_with("file:"))
        .then(|| std::path::PathBuf::from(path))
}

/// Applies every pending migration of the connection's backend.
///
/// On SQLite, foreign keys are off while migrations run and every reference is checked once they
/// are applied: a migration that changes a table SQLite cannot alter in place rebuilds it (a new
/// table, the rows copied, the old one dropped, the new one renamed — SQLite's documented
/// procedure), which with foreign keys on would rewrite or break the references other tables make
/// to it.
pub fn run_migrations(conn: &mut AnyConnection) -> anyhow::Result<usize> {
    let migrations = match conn {
        AnyConnection::Postgresql(_) => POSTGRES_MIGRATIONS,
        AnyConnection::Sqlite(_) => SQLITE_MIGRATIONS,
    };
    if let AnyConnection::Sqlite(lite) = conn {
        lite.batch_execute("PRAGMA foreign_keys = OFF;")?;
    }
    let applied = conn
        .run_pending_migrations(migrations)
        .map(|applied| applied.len())
        .map_err(|e| anyhow::anyhow!("{e}"));
    if let AnyConnection::Sqlite(lite) = conn {
        // The migration's own error first: what follows only matters once it succeeded.
        let applied = applied?;
        lite.batch_execute("PRAGMA foreign_keys = ON;")?;
        if applied > 0 {
            check_references(lite)?;
        }
        return Ok(applied);
    }
    applied
}

/// Fails if any row of the SQLite database names a row that does not exist.
fn check_references(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    #[derive(diesel::QueryableByName)]
    struct Broken {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table: String,
    }
    use diesel::RunQueryDsl;
    let broken: Vec<Broken> = diesel::sql_query("PRAGMA foreign_key_check").load(conn)?;
    match broken.first() {
        None => Ok(()),
        Some(first) => Err(anyhow::anyhow!(
            "{} rows name rows that do not exist (the first in table {})",
            broken.len(),
            first.table
        )),
    }
}

/// Hides a password in a database URL before it is printed.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}:***{}", &url[..scheme + 3 + colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Runs blocking reads on a pooled connection, off the async threads. Writes go through
/// [`crate::web::AppState::write`] (or [`tx::write`]), which retry them.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    // The request's language goes with the work (a sentence built there reads in it).
    let lang = crate::i18n::current();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(AppError::pool)?;
        crate::i18n::with(lang, || work(&mut conn))
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!("database task failed: {e}")))?
}

/// How often a write that lost to contention is run again before the caller hears 503.
pub const TRANSIENT_ATTEMPTS: u32 = 8;

/// The pause before attempt `attempt` (2, 3, …) of a write that lost to contention: short,
/// growing, and jittered so that two losers do not collide again in step.
pub fn backoff(attempt: u32) -> Duration {
    let base = 2u64 << attempt.min(6); // 4 ms, 8 ms, … 128 ms
    let jitter = u64::from(uuid::Uuid::new_v4().as_bytes()[0]) % base;
    Duration::from_millis(base + jitter)
}

/// A unique violation while writing rollups means another transaction created the same row
/// first (a person's first admission at two doors at once): running again finds the row.
pub(crate) fn contended_rollup(error: diesel::result::Error) -> diesel::result::Error {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => Error::DatabaseError(
            DatabaseErrorKind::SerializationFailure,
            Box::new(format!(
                "rollup row created concurrently: {}",
                info.message()
            )),
        ),
        other => other,
    }
}

/// Locks these screenings' rows, in id order, for the rest of the transaction (PostgreSQL;
/// SQLite's `BEGIN IMMEDIATE` already holds the one write lock).
///
/// The lock order every write follows, so that no two transactions — of one instance or of
/// several — can wait for each other in a circle: screenings in id order, then their tickets,
/// then people (`attendees`) and tallies in key order (see [`tallies`]). A write that changes
/// a ticket takes its screening's lock first, through this function or its counter update.
pub fn lock_screenings(
    conn: &mut AnyConnection,
    ids: &[ScreeningId],
) -> Result<(), diesel::result::Error> {
    use diesel::prelude::*;
    use schema::screenings;
    if let AnyConnection::Postgresql(pg) = conn {
        let mut ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        ids.sort_unstable();
        ids.dedup();
        screenings::table
            .filter(screenings::id.eq_any(&ids))
            .order(screenings::id)
            .select(screenings::id)
            .for_update()
            .load::<String>(pg)?;
    }
    Ok(())
}

/// Runs read-only `work` on one consistent snapshot of the database, so checks that read several
/// tables while doors keep scanning compare numbers from the same moment.
pub fn read_snapshot<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let begin = match conn {
        // A deferred transaction reads one WAL snapshot from its first read to its end.
        AnyConnection::Sqlite(_) => "BEGIN",
        AnyConnection::Postgresql(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    conn.batch_execute(begin)?;
    let result = work(conn);
    let end = conn.batch_execute(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    match (result, end) {
        (Ok(value), Ok(())) => Ok(value),
        (Ok(_), Err(e)) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(e.into())
        }
        (Err(e), _) => Err(e),
    }
}

/// `marquee backup PATH`: a consistent copy of a SQLite database, taken while the service runs
/// (`VACUUM INTO` reads one snapshot and writes a compact new file). PostgreSQL has `pg_dump`.
pub fn backup(settings: &DatabaseSettings, path: &str) -> anyhow::Result<()> {
    use anyhow::{Context, bail};
    if Backend::of_url(&settings.url) == Backend::Postgres {
        bail!(
            "backups of PostgreSQL are pg_dump's job: pg_dump --format=custom --file=marquee.dump \"$DATABASE_URL\" (restore into an empty database with pg_restore --dbname=…)"
        );
    }
    if std::path::Path::new(path).exists() {
        bail!("{path} already exists; a backup never overwrites a file");
    }
    let mut conn = connect(settings)?
        .get()
        .context("cannot get a database connection")?;
    // Made first, owner-only: VACUUM INTO fills an empty file and keeps its mode.
    create_private(std::path::Path::new(path))
        .with_context(|| format!("cannot create the backup file {path}"))?;
    conn.batch_execute(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
        .with_context(|| format!("cannot write the backup to {path}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(Backend::of_url("postgres://x@h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("postgresql://h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("marquee.db"), Backend::Sqlite);
        assert_eq!(sqlite_path("sqlite://data/m.db"), "data/m.db");
        assert_eq!(sqlite_path("sqlite:m.db"), "m.db");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://me:secret@db:5432/x"),
            "postgres://me:***@db:5432/x"
        );
        assert_eq!(redact("postgres://me@db/x"), "postgres://me@db/x");
        assert_eq!(redact("marquee.db"), "marquee.db");
    }
}
