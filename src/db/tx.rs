//! The write context: what every write function takes, and the one way to run a write.
//!
//! A [`Tx`] is an open write — the connection inside its transaction, the language the write
//! composes its messages in, and the rollup changes it has recorded ([`super::tallies`]) — passed
//! by hand to every function that writes. Nothing about a write hides in per-thread state: a
//! function that receives a `Tx` is inside a transaction, and where the transaction ends (its own
//! `COMMIT`, or the writer's batch) is decided by whoever made the `Tx`, not by a flag.
//!
//! Writes are made in exactly two places, both of which run a failed attempt again when it lost
//! to contention (a deadlock, a serialization failure, a lost connection), so contention costs
//! time, never an error:
//! - [`crate::web::AppState::write`], for every write a request makes: in the writer's next batch
//!   ([`super::writer`]), or, with group commit off, through [`write()`];
//! - [`write()`] and [`write_on()`], for the command-line tools, the background sweeps and the tests.

use diesel::connection::SimpleConnection;

use super::tallies::{self, Pending};
use super::{AnyConnection, DbPool, TRANSIENT_ATTEMPTS, backoff};
use crate::domain::ScreeningId;
use crate::error::AppError;
use crate::i18n::Lang;

/// An open write. See the module.
pub struct Tx<'c> {
    /// The connection, inside the write's transaction (or the writer batch's savepoint for it).
    pub conn: &'c mut AnyConnection,
    /// The language of the person the write answers: the words it stores or queues are theirs
    /// (the write runs in it: messages and dates it renders are in this language).
    pub lang: Lang,
    /// The rollup changes recorded so far ([`tallies`]), written when the outermost transaction
    /// commits.
    pub rollups: Pending,
    /// What the write changed that an instance may remember, told to its memory once committed.
    pub changed: Changed,
    /// The staff member making the write, whose changes the audit trail records
    /// ([`super::audit::record`]); none for an attendee's write or a background sweep.
    pub actor: Option<super::audit::Actor>,
}

/// What a committed write changed that an instance may hold in memory (see
/// [`crate::web::memory`]): recorded by the write in its [`Tx`], handed to the instance's memory
/// after the commit, by the entry point that ran the write.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Festivals, venues, films or screenings changed: what is remembered of them is read again.
    pub catalogue: bool,
    /// Screenings some seats of which were freed: a screening found sold out may have seats again.
    pub seats_freed: std::collections::BTreeSet<ScreeningId>,
}

impl Changed {
    fn merge(&mut self, other: Changed) {
        self.catalogue |= other.catalogue;
        self.seats_freed.extend(other.seats_freed);
    }
}

impl<'c> Tx<'c> {
    fn new(conn: &'c mut AnyConnection, lang: Lang) -> Tx<'c> {
        Tx {
            conn,
            lang,
            rollups: Pending::default(),
            changed: Changed::default(),
            actor: None,
        }
    }

    /// Names the staff member making this write, for the audit trail: the first call of a
    /// handler's write (`move |tx| service::update(tx.by(&staff), …)`).
    pub fn by(&mut self, staff: &crate::db::credentials::StaffMember) -> &mut Tx<'c> {
        self.actor = Some(super::audit::Actor::from(staff));
        self
    }

    /// Runs `work` in a savepoint: if it fails, its writes and the rollups it recorded are undone
    /// and the rest of the transaction stays.
    pub fn savepoint<T, E>(
        &mut self,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        let lang = self.lang;
        self.savepoint_as(lang, work)
    }

    /// [`Tx::savepoint`] for a write made for someone else (a batch's item, in its own language).
    pub(super) fn savepoint_as<T, E>(
        &mut self,
        lang: Lang,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        self.conn.batch_execute("SAVEPOINT write")?;
        let mut inner = Tx::new(self.conn, lang);
        inner.actor = self.actor.clone();
        // Words the write puts together (a refusal with a date in it, an answer it stores) are
        // in its language: set here, from the Tx, for the write's whole run.
        let result = crate::i18n::with(lang, || work(&mut inner));
        let (recorded, changed) = (inner.rollups, inner.changed);
        let undo = "ROLLBACK TO SAVEPOINT write; RELEASE SAVEPOINT write";
        match result {
            Ok(value) => match self.conn.batch_execute("RELEASE SAVEPOINT write") {
                Ok(()) => {
                    self.rollups.merge(recorded);
                    self.changed.merge(changed);
                    Ok(value)
                }
                // Never left open: an outer savepoint of the same name would then undo this one
                // only, and keep the outer write's own statements.
                Err(error) => {
                    let _ = self.conn.batch_execute(undo);
                    Err(error.into())
                }
            },
            Err(error) => {
                self.conn.batch_execute(undo)?;
                Err(error)
            }
        }
    }

    /// Writes the recorded rollups (people, then tallies, in key order): the last statements
    /// before `COMMIT`.
    pub(super) fn apply_rollups(&mut self) -> Result<(), diesel::result::Error> {
        let pending = std::mem::take(&mut self.rollups);
        tallies::apply(self.conn, pending).map_err(super::contended_rollup)
    }

    /// Opens a transaction that may write on `conn`. On SQLite it begins with `BEGIN IMMEDIATE`,
    /// taking the write lock up front (waiting for it under `busy_timeout`), so that a read
    /// followed by a write can never fail with `SQLITE_BUSY`; on PostgreSQL it is a plain READ
    /// COMMITTED transaction, whose writes take their locks in one order
    /// ([`super::lock_screenings`]).
    pub(super) fn begin(
        conn: &'c mut AnyConnection,
        lang: Lang,
    ) -> Result<Tx<'c>, diesel::result::Error> {
        let begin = match conn {
            AnyConnection::Sqlite(_) => "BEGIN IMMEDIATE",
            AnyConnection::Postgresql(_) => "BEGIN",
        };
        conn.batch_execute(begin)?;
        Ok(Tx::new(conn, lang))
    }

    /// Writes the rollups and commits; rolls back if either fails. Returns what the transaction
    /// changed.
    pub(super) fn commit(mut self) -> Result<Changed, diesel::result::Error> {
        let outcome = self
            .apply_rollups()
            .and_then(|()| self.conn.batch_execute("COMMIT"));
        match outcome {
            Ok(()) => Ok(self.changed),
            Err(error) => {
                self.rollback();
                Err(error)
            }
        }
    }

    pub(super) fn rollback(self) {
        let _ = self.conn.batch_execute("ROLLBACK");
    }
}

/// Runs `work` as one transaction of its own on `conn`, once: its writes, then its rollups, then
/// `COMMIT`; rolled back whole if anything fails. [`write()`] is the way to call it.
fn transaction<T, E>(
    conn: &mut AnyConnection,
    lang: Lang,
    work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
) -> Result<(T, Changed), E>
where
    E: From<diesel::result::Error>,
{
    let mut tx = Tx::begin(conn, lang)?;
    match crate::i18n::with(lang, || work(&mut tx)) {
        Ok(value) => {
            let changed = tx.commit()?;
            Ok((value, changed))
        }
        Err(error) => {
            tx.rollback();
            Err(error)
        }
    }
}

/// Which screening a write locks first, if any: the writer runs a batch's writes in this order,
/// so that no two batches wait for each other in a circle ([`super::lock_screenings`]). A write
/// that changes a screening's tickets or counters names it; one that locks no screening (a film,
/// a staff member) runs after those that do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lock {
    Screening(ScreeningId),
    NoScreening,
}

/// Runs `work` as a transaction on a connection from `pool`, running it again on a fresh
/// connection when it loses to contention, up to [`TRANSIENT_ATTEMPTS`] times; answers with what
/// it changed, for the instance's memory. Blocking: the writes of requests go through
/// [`crate::web::AppState::write`], which calls this (or the writer) and then tells its memory.
pub fn write<T>(
    pool: &DbPool,
    lang: Lang,
    work: impl Fn(&mut Tx<'_>) -> Result<T, AppError>,
) -> Result<(T, Changed), AppError> {
    let mut attempt = 1;
    loop {
        let outcome = pool
            .get()
            .map_err(AppError::pool)
            .and_then(|mut conn| transaction(&mut conn, lang, &work));
        match outcome {
            Err(e) if e.is_transient() && attempt < TRANSIENT_ATTEMPTS => {
                attempt += 1;
                std::thread::sleep(backoff(attempt));
            }
            other => return other,
        }
    }
}

/// [`write()`] on a connection the caller holds, for a process that remembers nothing between
/// writes (a command-line tool, a test, a benchmark): the same retries, on the same connection.
pub fn write_on<T>(
    conn: &mut AnyConnection,
    lang: Lang,
    work: impl Fn(&mut Tx<'_>) -> Result<T, AppError>,
) -> Result<T, AppError> {
    write_on_changing(conn, lang, work).map(|(value, _)| value)
}

/// [`write_on`], answering with what the write changed too (for a background task of an
/// instance, which tells the instance's memory).
pub fn write_on_changing<T>(
    conn: &mut AnyConnection,
    lang: Lang,
    work: impl Fn(&mut Tx<'_>) -> Result<T, AppError>,
) -> Result<(T, Changed), AppError> {
    let mut attempt = 1;
    loop {
        match transaction(conn, lang, &work) {
            Err(e) if e.is_transient() && attempt < TRANSIENT_ATTEMPTS => {
                attempt += 1;
                std::thread::sleep(backoff(attempt));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::domain::TicketCategory;
    use crate::error::Thing;

    fn memory() -> AnyConnection {
        let mut conn = AnyConnection::Sqlite(
            SqliteConnection::establish(":memory:").expect("an in-memory database"),
        );
        conn.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        conn
    }

    fn rows(conn: &mut AnyConnection) -> i64 {
        diesel::sql_query("SELECT x FROM t")
            .load::<Row>(conn)
            .unwrap()
            .len() as i64
    }

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[expect(dead_code, reason = "only counted")]
        x: i32,
    }

    #[test]
    fn a_failed_savepoint_drops_its_writes_and_rollups_and_keeps_the_rest() {
        let mut conn = memory();
        let s = ScreeningId::new();
        let outcome: Result<((), Changed), AppError> = transaction(&mut conn, Lang::Fr, |tx| {
            let failed: Result<(), AppError> = tx.savepoint(|tx| {
                assert_eq!(
                    tx.lang,
                    Lang::Fr,
                    "a savepoint writes in its write's language"
                );
                tx.conn.batch_execute("INSERT INTO t VALUES (1)")?;
                tallies::tickets_issued(&mut tx.rollups, s, "FR", TicketCategory::Public, 2);
                Err(AppError::not_found(Thing::Screening))
            });
            assert!(failed.is_err());
            assert!(tx.rollups.is_empty(), "the failed part recorded nothing");
            tx.savepoint(|tx| {
                tx.conn.batch_execute("INSERT INTO t VALUES (2)")?;
                tallies::tickets_issued(&mut tx.rollups, s, "VN", TicketCategory::Public, 1);
                Ok::<_, AppError>(())
            })?;
            assert!(!tx.rollups.is_empty(), "the part that succeeded is kept");
            // The tallies table does not exist here: the rollups are not applied in this test.
            tx.rollups = Pending::default();
            Ok(())
        });
        outcome.unwrap();
        assert_eq!(
            rows(&mut conn),
            1,
            "only the second part's row is committed"
        );
    }

    #[test]
    fn a_failed_transaction_is_rolled_back_whole() {
        let mut conn = memory();
        let outcome: Result<((), Changed), AppError> = transaction(&mut conn, Lang::En, |tx| {
            tx.conn.batch_execute("INSERT INTO t VALUES (1)")?;
            Err(AppError::not_found(Thing::Screening))
        });
        assert!(outcome.is_err());
        assert_eq!(rows(&mut conn), 0);
        // And the connection is usable again, outside any transaction.
        write_on(&mut conn, Lang::En, |tx| {
            tx.conn.batch_execute("INSERT INTO t VALUES (3)")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(rows(&mut conn), 1);
    }
}
