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
//!
//! Several instances on one PostgreSQL database run several writers at once, and a batch holds
//! every lock it took until it commits. So that two batches never wait for each other in a circle,
//! a batch runs its writes sorted by the screening each locks (arrival order within a screening),
//! and the rollups come last, in key order ([`super::tallies`]): every batch takes its locks in
//! the one order of [`super::lock_screenings`]. A batch that still loses to contention (a deadlock
//! the order could not foresee, a serialization failure, a lost connection) is rolled back whole
//! and run again — each write is a function that can run twice — so contention costs time, never
//! an error; only after [`super::TRANSIENT_ATTEMPTS`] losses do its callers hear 503.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;

use diesel::connection::SimpleConnection;
use tokio::sync::{mpsc, oneshot};

use super::{AnyConnection, DbConnection, DbPool, TRANSIENT_ATTEMPTS, backoff, tallies};
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

/// One queued write: run (perhaps more than once, if its batch is retried), then answered once.
trait Job: Send {
    /// The screening whose row the write locks first: batches run their writes in this order.
    fn lock_key(&self) -> &str;
    /// Runs the write in the open batch; keeps its result for [`Job::answer`].
    fn run(&mut self, conn: &mut AnyConnection);
    /// Whether the last run lost to contention (its batch must be retried).
    fn lost_to_contention(&self) -> bool;
    /// Answers the caller: the kept result if the batch committed, else `failure`.
    fn answer(self: Box<Self>, failure: Option<AppError>);
}

struct QueuedWrite<T, F> {
    lock_key: String,
    work: F,
    result: Option<Result<T, AppError>>,
    reply: oneshot::Sender<Result<T, AppError>>,
}

impl<T, F> Job for QueuedWrite<T, F>
where
    F: Fn(&mut AnyConnection) -> Result<T, AppError> + Send,
    T: Send,
{
    fn lock_key(&self) -> &str {
        &self.lock_key
    }

    fn run(&mut self, conn: &mut AnyConnection) {
        self.result = Some((self.work)(conn));
    }

    fn lost_to_contention(&self) -> bool {
        matches!(&self.result, Some(Err(e)) if e.is_transient())
    }

    fn answer(self: Box<Self>, failure: Option<AppError>) {
        let result = match (failure, self.result) {
            (Some(failure), _) => Err(failure),
            (None, Some(result)) => result,
            (None, None) => Err(AppError::internal(anyhow::anyhow!("a write was never run"))),
        };
        let _ = self.reply.send(result);
    }
}

/// The handle the HTTP workers queue writes through. Cloning shares the one writer thread.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Box<dyn Job>>,
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
    /// `lock_key` names the screening whose row `work` locks first (empty when it does not know);
    /// `work` must do its writes through [`super::write_transaction`] (as every query function
    /// does), and may run more than once: a batch lost to contention is rolled back and run again.
    /// Its reads see the batch's earlier writes, as they would see committed ones.
    pub async fn write<T, F>(&self, lock_key: String, work: F) -> Result<T, AppError>
    where
        F: Fn(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answered) = oneshot::channel();
        // The writer thread runs jobs of every request: each carries its own language.
        let lang = crate::i18n::current();
        let work = move |conn: &mut AnyConnection| crate::i18n::with(lang, || work(conn));
        let job = Box::new(QueuedWrite {
            lock_key,
            work,
            result: None,
            reply,
        });
        self.queue
            .send(job)
            .await
            .map_err(|_| AppError::Unavailable(crate::msg!("error-writer-stopped")))?;
        // A write dropped unrun (no connection, or a batch that could not begin) changed nothing.
        answered
            .await
            .map_err(|_| AppError::Unavailable(crate::msg!("error-database-unavailable")))?
    }
}

fn run_writer(pool: &DbPool, mut jobs: mpsc::Receiver<Box<dyn Job>>) {
    let mut conn: Option<DbConnection> = None;
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // The one lock order (stable: arrival order within a screening).
        batch.sort_by(|a, b| a.lock_key().cmp(b.lock_key()));
        let mut attempt = 1;
        let failure = loop {
            let connection = match conn.take().map(Ok).unwrap_or_else(|| pool.get()) {
                Ok(connection) => conn.insert(connection),
                Err(error) => {
                    tracing::error!(error = %error, "the writer has no database connection");
                    break Some(AppError::Unavailable(crate::msg!(
                        "error-database-unavailable"
                    )));
                }
            };
            match run_batch(connection, &mut batch) {
                Ok(()) => break None,
                Err(BatchError::Contention(error)) if attempt < TRANSIENT_ATTEMPTS => {
                    tracing::debug!(%error, attempt, "a write batch lost to contention; retrying");
                    // A lost connection is replaced; a deadlock victim's connection is fine,
                    // but a fresh one costs little and rules out a half-broken one.
                    conn = None;
                    attempt += 1;
                    thread::sleep(backoff(attempt));
                }
                Err(BatchError::Contention(error)) => {
                    conn = None;
                    break Some(AppError::Transient(anyhow::anyhow!(
                        "a write batch lost to contention {attempt} times: {error}"
                    )));
                }
                Err(BatchError::Failed(error)) => {
                    tracing::error!(%error, "a write batch failed");
                    conn = None;
                    break Some(AppError::internal(anyhow::anyhow!(
                        "the batch could not be committed: {error}"
                    )));
                }
            }
        };
        for job in batch.drain(..) {
            job.answer(failure.as_ref().map(copy_failure));
        }
    }
}

/// The same failure for every caller of a batch (errors are not `Clone`).
fn copy_failure(error: &AppError) -> AppError {
    match error {
        AppError::Transient(e) => AppError::Transient(anyhow::anyhow!("{e}")),
        AppError::Unavailable(message) => AppError::Unavailable(message.clone()),
        other => AppError::internal(anyhow::anyhow!("{other}")),
    }
}

enum BatchError {
    /// Rolled back; running the whole batch again may succeed.
    Contention(String),
    /// Rolled back (or never begun); the connection is suspect.
    Failed(String),
}

/// Runs and commits one batch; on success every job holds its own result to answer with.
fn run_batch(conn: &mut AnyConnection, batch: &mut [Box<dyn Job>]) -> Result<(), BatchError> {
    let begin = match conn {
        AnyConnection::Sqlite(_) => "BEGIN IMMEDIATE",
        AnyConnection::Postgresql(_) => "BEGIN",
    };
    conn.batch_execute(begin).map_err(classify)?;
    tallies::discard_all_frames();
    tallies::open_frame();
    IN_BATCH.with(|flag| flag.set(true));
    let mut outcome = Ok(());
    for job in batch.iter_mut() {
        match catch_unwind(AssertUnwindSafe(|| job.run(conn))) {
            Ok(()) if job.lost_to_contention() => {
                // The others may be waiting for the locks this batch holds: give them all up.
                outcome = Err(BatchError::Contention(
                    "a write lost to contention".to_owned(),
                ));
                break;
            }
            Ok(()) => {}
            // A write that panicked may have left its savepoint half-done: give up the batch.
            Err(_) => {
                outcome = Err(BatchError::Failed(
                    "a write in the batch panicked".to_owned(),
                ));
                break;
            }
        }
    }
    IN_BATCH.with(|flag| flag.set(false));
    tallies::discard_inner_frames();
    let pending = tallies::close_frame(outcome.is_ok());
    let outcome = outcome.and_then(|()| {
        if let Some(pending) = pending {
            tallies::apply(conn, pending)
                .map_err(super::contended_rollup)
                .map_err(classify)?;
        }
        conn.batch_execute("COMMIT").map_err(classify)
    });
    if outcome.is_err() {
        let _ = conn.batch_execute("ROLLBACK");
    }
    outcome
}

fn classify(error: diesel::result::Error) -> BatchError {
    if crate::error::is_transient(&error) {
        BatchError::Contention(error.to_string())
    } else {
        BatchError::Failed(error.to_string())
    }
}
