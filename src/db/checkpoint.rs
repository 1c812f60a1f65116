//! SQLite's WAL checkpoints, off the answering path.
//!
//! In WAL mode every commit appends the pages it changed to the write-ahead log. By default the
//! connection that commits also copies the log back into the database file whenever it has
//! grown past 1,000 pages — a checkpoint: thousands of writes and two `fsync`s, run on the writer
//! thread while every caller of the next batch waits, so that one batch in a few hundred took 50
//! times as long as the others. So the writer's connection does not checkpoint
//! (`wal_autocheckpoint = 0`, see [`writer_connection`]); a thread of its own does, `PASSIVE`
//! (it neither waits for nor blocks the writer and the readers), nudged after commits and at
//! most every 100 ms, and once a second when nothing is written. Durability is unchanged: a
//! commit is as durable in the log as it was (`synchronous` decides), and the log is the
//! database until it is copied.

use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::thread;
use std::time::Duration;

use diesel::connection::SimpleConnection;

use super::{AnyConnection, Backend, DbPool};

/// The least time between two checkpoints under load.
const PAUSE: Duration = Duration::from_millis(100);
/// How often the log is checkpointed when nothing nudges.
const IDLE: Duration = Duration::from_secs(1);

/// Wakes the checkpoint thread; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct Checkpointer {
    nudge: SyncSender<()>,
}

impl Checkpointer {
    /// Starts the checkpoint thread for a pool of `backend` (`None` for PostgreSQL, which
    /// checkpoints in its own background process), and its handle, to be joined.
    pub fn start(
        pool: &DbPool,
        backend: Backend,
    ) -> std::io::Result<Option<(Checkpointer, thread::JoinHandle<()>)>> {
        if backend != Backend::Sqlite {
            return Ok(None);
        }
        let (nudge, nudged) = mpsc::sync_channel(1);
        let pool = pool.clone();
        let thread = thread::Builder::new()
            .name("marquee-checkpoint".to_owned())
            .spawn(move || {
                loop {
                    if let Err(RecvTimeoutError::Disconnected) = nudged.recv_timeout(IDLE) {
                        return;
                    }
                    checkpoint(&pool);
                    thread::sleep(PAUSE);
                }
            })?;
        Ok(Some((Checkpointer { nudge }, thread)))
    }

    /// Something was committed: checkpoint soon (never waits).
    pub fn nudge(&self) {
        let _ = self.nudge.try_send(());
    }
}

fn checkpoint(pool: &DbPool) {
    let outcome = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
        conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")
            .map_err(|e| e.to_string())
    });
    if let Err(error) = outcome {
        tracing::warn!(%error, "a WAL checkpoint failed; the next one will try again");
    }
}

/// Copies the WAL into the database file and empties it (SQLite; nothing on PostgreSQL), so
/// that pages as they were before an erasure do not stay in the WAL. A checkpoint running at the
/// same moment (this instance's checkpointer, another process) or a long read makes it give way:
/// it tries again for up to two seconds, then leaves the frames to be overwritten as the WAL is
/// reused. Whether it emptied the WAL.
pub fn truncate_wal(conn: &mut AnyConnection) -> Result<bool, diesel::result::Error> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Outcome {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        busy: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        log: i32,
    }
    let AnyConnection::Sqlite(lite) = conn else {
        return Ok(true);
    };
    for _ in 0..100 {
        let outcome: Outcome =
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(lite)?;
        if outcome.busy == 0 && outcome.log == 0 {
            return Ok(true);
        }
        thread::sleep(Duration::from_millis(20));
    }
    Ok(false)
}

/// Sets up (`taken`) or gives back (`!taken`) the writer's own connection: while it is the
/// writer's it leaves checkpoints to the [`Checkpointer`], and keeps its savepoints' journals in
/// memory — each write and group runs in a savepoint, and a group's pages past 64 KiB went to a
/// temporary file, written and closed again for every group (15 % of the writer's time under a
/// scan rush). Back to SQLite's defaults when it returns to the pool.
pub fn writer_connection(conn: &mut AnyConnection, taken: bool) {
    if let AnyConnection::Sqlite(lite) = conn {
        let pragmas = if taken {
            "PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;"
        } else {
            "PRAGMA wal_autocheckpoint = 1000; PRAGMA temp_store = DEFAULT;"
        };
        if let Err(error) = lite.batch_execute(pragmas) {
            tracing::warn!(%error, "the writer's connection could not be set up");
        }
    }
}
