//! Group commit: one writer thread per instance runs the hot writes (bookings, scans) queued by
//! the HTTP workers, many to a transaction.
//!
//! Why: a database commits one transaction at a time (SQLite has one write lock; on PostgreSQL every
//! scan of a screening locks its row), and each commit costs a lock hand-off and, when durability
//! is on, a disk flush. Workers racing for the lock also sleep in SQLite's busy handler. The writer
//! takes whatever is queued (up to [`MAX_BATCH`]), opens one transaction, runs each write in its
//! own savepoint — a write that fails rolls back alone and gets its own error —, commits once, and
//! only then answers each caller. An answer therefore always means "committed": nothing
//! acknowledged is lost, exactly as with one transaction per request, and the checks that
//! guarantee capacity and admit-once are the same statements, run one after another.
//!
//! [`super::write_transaction`] notices it runs inside a batch (a thread-local flag set here) and
//! uses a savepoint instead of `BEGIN … COMMIT`, so query code is the same in and out of a batch.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;

use diesel::connection::SimpleConnection;
use tokio::sync::{mpsc, oneshot};

use super::{AnyConnection, DbConnection, DbPool};
use crate::error::AppError;

/// The most writes committed together. Large enough to amortise a commit under a rush, small
/// enough that the first caller in a batch never waits long for the last.
pub const MAX_BATCH: usize = 128;

/// Writes waiting for the writer; beyond this, callers wait to queue (back-pressure).
const QUEUE: usize = 4096;

thread_local! {
    static IN_BATCH: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is running a write inside a writer's batch transaction.
pub(crate) fn in_batch() -> bool {
    IN_BATCH.with(Cell::get)
}

/// Called once the batch's commit is known: `None` when it committed.
type Reply = Box<dyn FnOnce(Option<&str>) + Send>;
type Job = Box<dyn FnOnce(&mut AnyConnection) -> Reply + Send>;

/// The handle the HTTP workers queue writes through. Cloning shares the one writer thread.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on a connection of its own from `pool`. It stops when the last
    /// handle is dropped, after finishing what was queued.
    pub fn start(pool: DbPool) -> std::io::Result<Writer> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        thread::Builder::new()
            .name("marquee-writer".to_owned())
            .spawn(move || run_writer(&pool, jobs))?;
        Ok(Writer { queue })
    }

    /// Runs `work` in the next batch and answers once that batch has committed.
    ///
    /// `work` must do its writes through [`super::write_transaction`] (as every query function
    /// does); its reads see the batch's earlier writes, as they would see committed ones.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let result = work(conn);
            Box::new(move |commit_error: Option<&str>| {
                let result = match commit_error {
                    None => result,
                    Some(error) => Err(AppError::internal(anyhow::anyhow!(
                        "the batch could not be committed: {error}"
                    ))),
                };
                let _ = answer.send(result);
            })
        });
        self.queue
            .send(job)
            .await
            .map_err(|_| AppError::Unavailable("the database writer has stopped".to_owned()))?;
        // A write dropped unrun (no connection, or a batch that could not begin) changed nothing.
        answered.await.map_err(|_| {
            AppError::Unavailable("the database is unavailable; try again".to_owned())
        })?
    }
}

fn run_writer(pool: &DbPool, mut jobs: mpsc::Receiver<Job>) {
    let mut conn: Option<DbConnection> = None;
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let connection = match conn.take().map(Ok).unwrap_or_else(|| pool.get()) {
            Ok(connection) => conn.insert(connection),
            Err(error) => {
                // Dropped unrun: each caller is told the database is unavailable.
                tracing::error!(error = %error, "the writer has no database connection");
                batch.clear();
                continue;
            }
        };
        if let Err(error) = run_batch(connection, &mut batch) {
            // The connection may be broken; the next batch takes a fresh one.
            tracing::error!(error = %error, "a write batch failed");
            conn = None;
        }
    }
}

/// Runs and commits one batch, answering every job. An error means the connection is suspect.
fn run_batch(conn: &mut AnyConnection, batch: &mut Vec<Job>) -> Result<(), String> {
    let begin = match conn {
        AnyConnection::Sqlite(_) => "BEGIN IMMEDIATE",
        AnyConnection::Postgresql(_) => "BEGIN",
    };
    if let Err(error) = conn.batch_execute(begin) {
        batch.clear(); // dropped unrun: each caller is told the database is unavailable
        return Err(error.to_string());
    }
    let mut replies: Vec<Reply> = Vec::with_capacity(batch.len());
    IN_BATCH.with(|flag| flag.set(true));
    let mut panicked = false;
    for job in batch.drain(..) {
        if panicked {
            drop(job);
            continue;
        }
        match catch_unwind(AssertUnwindSafe(|| job(conn))) {
            Ok(reply) => replies.push(reply),
            // A write that panicked may have left its savepoint half-done: give up the batch.
            Err(_) => panicked = true,
        }
    }
    IN_BATCH.with(|flag| flag.set(false));
    let outcome = if panicked {
        Err("a write in the batch panicked".to_owned())
    } else {
        conn.batch_execute("COMMIT").map_err(|e| e.to_string())
    };
    if outcome.is_err() {
        let _ = conn.batch_execute("ROLLBACK");
    }
    let error = outcome.as_ref().err().map(String::as_str);
    for reply in replies {
        reply(error);
    }
    outcome
}
