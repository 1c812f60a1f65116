//! Group commit: writer threads (one per instance on SQLite, several on PostgreSQL) run the hot
//! writes (bookings, scans) queued by the HTTP workers, many to a transaction.
//!
//! Why: a database commits one transaction at a time (SQLite has one write lock; on PostgreSQL every
//! scan of a screening locks its row), and each commit costs a lock hand-off and, when durability
//! is on, a disk flush. Workers racing for the lock also sleep in SQLite's busy handler. The writer
//! takes whatever is queued (up to [`MAX_BATCH`]), opens one transaction, runs each write in its
//! own savepoint — a write that fails rolls back alone and gets its own error —, commits once, and
//! only then answers each caller. An answer therefore always means "committed": nothing
//! acknowledged is lost, exactly as with one transaction per request.
//!
//! Writes of one [`SetWrite`] kind queued for the same screening (scans, bookings) run as one
//! group, in one savepoint: one call that reads and writes for all of them with a handful of
//! set-based statements, and answers each one. Its checks are the same rules, decided in arrival
//! order under the screening's lock, and the same conditional updates guard them.
//!
//! Every write receives a [`Tx`]: here, one for its savepoint inside the batch's transaction;
//! with group commit off, one for a transaction of its own ([`super::tx::write`]). The write's
//! code is the same either way, and nothing but the `Tx` it is given tells it where it runs.
//!
//! On PostgreSQL an instance may run several writers ([`Writer::start`]'s `writers`), each with
//! its own connection and queue: a write goes to the writer its screening falls to, so all the
//! scans and bookings of one screening are batched by one writer (its hash chain stays serial
//! and its batches never wait for each other's lock), while other screenings' batches run at the
//! same time on the others. SQLite, which has one write lock, has one writer. On PostgreSQL a
//! writer also commits each screening's writes of a batch apart (a transaction each, one lock
//! each), so that a screening's row is never held while other screenings' writes run — another
//! instance's writer may be waiting for it; on SQLite a commit costs page writes, not locks, and
//! the whole batch commits at once.
//!
//! Several writers on one PostgreSQL database (of one instance or several) run at once, and a
//! transaction holds every lock it took until it commits. So that two never wait for each other in
//! a circle, a batch runs its writes sorted by the screening each locks (arrival order within a
//! screening), and the rollups come last, in key order ([`super::tallies`]): every transaction
//! takes its locks in the one order of [`super::lock_screenings`]. A transaction of the writer
//! that still loses to contention (a deadlock the order could not foresee, a serialization
//! failure, a lost connection) is rolled back whole and run again — each write is a function that
//! can run twice — so contention costs time, never an error; only after
//! [`super::TRANSIENT_ATTEMPTS`] losses do its callers hear 503.

use std::any::{Any, TypeId};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread;

use tokio::sync::{mpsc, oneshot};

use super::checkpoint::{self, Checkpointer};
use super::tx::{Changed, Lock, Tx};
use super::{AnyConnection, Backend, DbConnection, DbPool, TRANSIENT_ATTEMPTS, backoff};
use crate::error::AppError;
use crate::i18n::Lang;

/// The most writes committed together. Large enough to amortise a commit under a rush, small
/// enough that the first caller in a batch never waits long for the last.
pub const MAX_BATCH: usize = 128;

/// Writes waiting for the writer; beyond this, callers wait to queue (back-pressure).
const QUEUE: usize = 4096;

/// A write that runs together with the others of its kind queued for the same screening: one
/// call, and so a handful of set-based statements, for the whole group instead of a transaction's
/// worth of statements each (the door's scans; see [`Writer::write_set`]).
pub trait SetWrite: Send + Sync + Sized + 'static {
    type Output: Send + 'static;

    /// Whether the write may queue mail (the sender is woken once it is committed).
    const QUEUES_MAIL: bool = false;

    /// The screening whose row the writes lock (the group's one lock: see the module's lock order).
    fn lock(&self) -> Lock;

    /// The language of the person this item answers.
    fn lang(&self) -> Lang;

    /// Runs the group (same kind, same lock, in arrival order) inside the open batch, in a
    /// savepoint of its own, and answers each item in order: an `Err` for one item is that item's
    /// answer; an `Err` for the whole call undoes the group and is every item's answer. May run
    /// more than once, like every write.
    fn run_set(
        tx: &mut Tx<'_>,
        items: &[&Self],
    ) -> Result<Vec<Result<Self::Output, AppError>>, AppError>;
}

/// How a batch runs a group of [`SetWrite`] jobs of one kind.
type GroupRun = fn(&mut Tx<'_>, &mut [Box<dyn Job>]);

/// One queued write: run (perhaps more than once, if its batch is retried), then answered once.
trait Job: Send + Any {
    /// The screening whose row the write locks first: batches run their writes in this order.
    fn lock(&self) -> Lock;
    /// For a [`SetWrite`]: its kind, and how a group of that kind runs. `None`: runs alone.
    fn group(&self) -> Option<(TypeId, GroupRun)> {
        None
    }
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// Runs the write in a savepoint of the open batch; keeps its result for [`Job::answer`].
    fn run(&mut self, batch: &mut Tx<'_>);
    /// Whether the last run lost to contention (its batch must be retried).
    fn lost_to_contention(&self) -> bool;
    /// Answers the caller: the kept result if the batch committed, else `failure`.
    fn answer(self: Box<Self>, failure: Option<AppError>);
}

/// A write's value and what it changed (for the instance's memory).
pub type Written<T> = (T, Changed);

/// A queued write's result, kept until its batch commits, and where to send it.
struct Outcome<T> {
    result: Option<Result<Written<T>, AppError>>,
    reply: oneshot::Sender<Result<Written<T>, AppError>>,
}

impl<T> Outcome<T> {
    fn lost_to_contention(&self) -> bool {
        matches!(&self.result, Some(Err(e)) if e.is_transient())
    }

    /// Answers the caller: the kept result if the batch committed, else `failure`.
    fn answer(self, failure: Option<AppError>) {
        let result = match (failure, self.result) {
            (Some(failure), _) => Err(failure),
            (None, Some(result)) => result,
            (None, None) => Err(AppError::internal(anyhow::anyhow!("a write was never run"))),
        };
        let _ = self.reply.send(result);
    }
}

struct QueuedWrite<T, F> {
    lock: Lock,
    lang: Lang,
    work: F,
    outcome: Outcome<T>,
}

impl<T, F> Job for QueuedWrite<T, F>
where
    F: Fn(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    fn lock(&self) -> Lock {
        self.lock
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn run(&mut self, batch: &mut Tx<'_>) {
        let work = &self.work;
        self.outcome.result = Some(batch.savepoint_as(self.lang, |tx| {
            let value = work(tx)?;
            Ok((value, std::mem::take(&mut tx.changed)))
        }));
    }

    fn lost_to_contention(&self) -> bool {
        self.outcome.lost_to_contention()
    }

    fn answer(self: Box<Self>, failure: Option<AppError>) {
        self.outcome.answer(failure);
    }
}

struct QueuedSet<W: SetWrite> {
    item: W,
    outcome: Outcome<W::Output>,
}

impl<W: SetWrite> Job for QueuedSet<W> {
    fn lock(&self) -> Lock {
        self.item.lock()
    }

    fn group(&self) -> Option<(TypeId, GroupRun)> {
        Some((TypeId::of::<W>(), run_group::<W>))
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn run(&mut self, batch: &mut Tx<'_>) {
        self.outcome.result = Some(run_alone_changing(batch, &self.item));
    }

    fn lost_to_contention(&self) -> bool {
        self.outcome.lost_to_contention()
    }

    fn answer(self: Box<Self>, failure: Option<AppError>) {
        self.outcome.answer(failure);
    }
}

/// Runs one [`SetWrite`] item alone, in a savepoint of `tx` (group commit switched off, or an
/// item that could not be grouped).
pub fn run_alone<W: SetWrite>(tx: &mut Tx<'_>, item: &W) -> Result<W::Output, AppError> {
    tx.savepoint_as(item.lang(), |tx| W::run_set(tx, &[item]))?
        .pop()
        .unwrap_or_else(|| {
            Err(AppError::internal(anyhow::anyhow!(
                "a set write gave no answer"
            )))
        })
}

/// [`run_alone`] in the writer: with what the write changed taken out of the batch's record.
fn run_alone_changing<W: SetWrite>(
    tx: &mut Tx<'_>,
    item: &W,
) -> Result<Written<W::Output>, AppError> {
    // Taken whatever the outcome: what a failed write recorded must not pass to the next one.
    let value = run_alone(tx, item);
    let changed = std::mem::take(&mut tx.changed);
    Ok((value?, changed))
}

/// Runs consecutive jobs of one [`SetWrite`] kind and lock as one group, in one savepoint.
fn run_group<W: SetWrite>(batch: &mut Tx<'_>, jobs: &mut [Box<dyn Job>]) {
    let mut group: Vec<&mut QueuedSet<W>> = jobs
        .iter_mut()
        .filter_map(|job| job.as_any_mut().downcast_mut::<QueuedSet<W>>())
        .collect();
    let items: Vec<&W> = group.iter().map(|job| &job.item).collect();
    // The group runs in its first item's language (each item's own words are put in its own).
    let lang = items.first().map_or_else(Lang::default, |item| item.lang());
    let results = batch.savepoint_as(lang, |tx| W::run_set(tx, &items));
    // What the group changed, told to each caller's memory (once would do; twice does no harm).
    let changed = std::mem::take(&mut batch.changed);
    match results {
        Ok(results) if results.len() == group.len() => {
            for (job, result) in group.iter_mut().zip(results) {
                job.outcome.result = Some(result.map(|value| (value, changed.clone())));
            }
        }
        Ok(_) => {
            for job in &mut group {
                job.outcome.result = Some(Err(AppError::internal(anyhow::anyhow!(
                    "a set write answered a different number of items"
                ))));
            }
        }
        Err(error) => {
            for job in &mut group {
                job.outcome.result = Some(Err(copy_failure(&error)));
            }
        }
    }
}

/// The handle the HTTP workers queue writes through. Cloning shares the writer threads.
#[derive(Clone)]
pub struct Writer {
    /// One queue per writer thread.
    queues: Arc<[mpsc::Sender<Box<dyn Job>>]>,
    /// The writer threads and the checkpointer's, until [`Writer::take_threads`] takes them.
    threads: Arc<std::sync::Mutex<Vec<thread::JoinHandle<()>>>>,
}

impl Writer {
    /// Starts `writers` writer threads (at least one), each on a connection of its own from
    /// `pool`, a database of `backend`. They stop when the last handle is dropped, after
    /// finishing what was queued.
    pub fn start(pool: DbPool, writers: usize, backend: Backend) -> std::io::Result<Writer> {
        let (checkpointer, mut threads) = match Checkpointer::start(&pool, backend)? {
            Some((checkpointer, thread)) => (Some(checkpointer), vec![thread]),
            None => (None, Vec::new()),
        };
        let per_screening = backend == Backend::Postgres;
        let queues = (0..writers.max(1))
            .map(|n| {
                let (queue, jobs) = mpsc::channel(QUEUE);
                let pool = pool.clone();
                let checkpointer = checkpointer.clone();
                threads.push(
                    thread::Builder::new()
                        .name(format!("marquee-writer-{n}"))
                        .spawn(move || {
                            run_writer(&pool, jobs, checkpointer.as_ref(), per_screening);
                        })?,
                );
                Ok(queue)
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Writer {
            queues: queues.into(),
            threads: Arc::new(std::sync::Mutex::new(threads)),
        })
    }

    /// The writer threads (and the checkpointer's), for the one who waits for them at shutdown:
    /// they finish what is queued once every handle of this writer is dropped.
    pub fn take_threads(&self) -> Vec<thread::JoinHandle<()>> {
        std::mem::take(
            &mut *self
                .threads
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// The writer a write locking `lock` goes to: a screening's always to the same one (its
    /// ids are random in their low bits, so screenings spread evenly); writes that lock no
    /// screening to the first.
    fn queue_for(&self, lock: Lock) -> &mpsc::Sender<Box<dyn Job>> {
        let n = match lock {
            Lock::Screening(id) => (id.0.as_u128() % self.queues.len() as u128) as usize,
            Lock::NoScreening => 0,
        };
        &self.queues[n]
    }

    /// Runs `work` in a savepoint of the next batch and answers once that batch has committed.
    ///
    /// `lock` names the screening whose row `work` locks first; `work` may run more than once: a
    /// batch lost to contention is rolled back and run again. Its reads see the batch's earlier
    /// writes, as they would see committed ones. `lang` is the language it writes in.
    pub async fn write<T, F>(&self, lock: Lock, lang: Lang, work: F) -> Result<Written<T>, AppError>
    where
        F: Fn(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answered) = oneshot::channel();
        let outcome = Outcome {
            result: None,
            reply,
        };
        self.queue(
            Box::new(QueuedWrite {
                lock,
                lang,
                work,
                outcome,
            }),
            answered,
        )
        .await
    }

    /// Runs `item` in the next batch, together with the other items of its kind queued for the
    /// same screening, and answers once that batch has committed.
    pub async fn write_set<W: SetWrite>(&self, item: W) -> Result<Written<W::Output>, AppError> {
        let (reply, answered) = oneshot::channel();
        let outcome = Outcome {
            result: None,
            reply,
        };
        self.queue(Box::new(QueuedSet { item, outcome }), answered)
            .await
    }

    async fn queue<T>(
        &self,
        job: Box<dyn Job>,
        answered: oneshot::Receiver<Result<Written<T>, AppError>>,
    ) -> Result<Written<T>, AppError> {
        self.queue_for(job.lock())
            .send(job)
            .await
            .map_err(|_| AppError::Unavailable(crate::msg!("error-writer-stopped")))?;
        // A write dropped unrun (no connection, or a batch that could not begin) changed nothing.
        answered
            .await
            .map_err(|_| AppError::Unavailable(crate::msg!("error-database-unavailable")))?
    }
}

/// The writer's connection, set up for it while it holds it and given back to the pool as it was
/// ([`checkpoint::writer_connection`]).
struct Held(DbConnection);

impl Held {
    fn take(pool: &DbPool) -> Result<Held, diesel::r2d2::PoolError> {
        let mut conn = pool.get()?;
        checkpoint::writer_connection(&mut conn, true);
        Ok(Held(conn))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        checkpoint::writer_connection(&mut self.0, false);
    }
}

fn run_writer(
    pool: &DbPool,
    mut jobs: mpsc::Receiver<Box<dyn Job>>,
    checkpointer: Option<&Checkpointer>,
    per_screening: bool,
) {
    let mut conn: Option<Held> = None;
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // The one lock order (stable: arrival order within a screening), writes of one kind
        // together so that each kind's group runs as one.
        batch.sort_by(|a, b| {
            (a.lock(), a.group().map(|(kind, _)| kind))
                .cmp(&(b.lock(), b.group().map(|(kind, _)| kind)))
        });
        let mut rest = std::mem::take(&mut batch);
        while !rest.is_empty() {
            // On PostgreSQL each screening's writes commit apart: a screening's row is then
            // locked only while its own writes run, not while the batch's other screenings' do
            // (another instance's writer waits for it). SQLite, where a commit costs page writes
            // rather than locks, commits the whole batch at once.
            let len = if per_screening {
                let lock = rest[0].lock();
                rest.iter().take_while(|job| job.lock() == lock).count()
            } else {
                rest.len()
            };
            let mut part: Vec<Box<dyn Job>> = rest.drain(..len).collect();
            let failure = commit_retrying(pool, &mut conn, &mut part, checkpointer);
            // Without a connection the next parts would wait for one as long again: they are
            // answered at once, as this one.
            if matches!(failure, Some(AppError::Unavailable(_))) {
                part.append(&mut rest);
            }
            for job in part {
                job.answer(failure.as_ref().map(copy_failure));
            }
        }
        batch = rest;
    }
}

/// Runs and commits `batch`, again on a fresh connection when it loses to contention; the
/// failure every job of it is answered with, if it could not be committed.
fn commit_retrying(
    pool: &DbPool,
    conn: &mut Option<Held>,
    batch: &mut [Box<dyn Job>],
    checkpointer: Option<&Checkpointer>,
) -> Option<AppError> {
    let mut attempt = 1;
    loop {
        let connection = match conn.take().map_or_else(|| Held::take(pool), Ok) {
            Ok(connection) => conn.insert(connection),
            Err(error) => {
                tracing::error!(error = %error, "the writer has no database connection");
                return Some(AppError::Unavailable(crate::msg!(
                    "error-database-unavailable"
                )));
            }
        };
        match run_batch(&mut connection.0, batch) {
            Ok(()) => {
                if let Some(checkpointer) = checkpointer {
                    checkpointer.nudge();
                }
                return None;
            }
            Err(BatchError::Contention(error)) if attempt < TRANSIENT_ATTEMPTS => {
                tracing::debug!(%error, attempt, "a write batch lost to contention; retrying");
                // A lost connection is replaced; a deadlock victim's connection is fine, but a
                // fresh one costs little and rules out a half-broken one.
                *conn = None;
                attempt += 1;
                thread::sleep(backoff(attempt));
            }
            Err(BatchError::Contention(error)) => {
                *conn = None;
                return Some(AppError::Transient(anyhow::anyhow!(
                    "a write batch lost to contention {attempt} times: {error}"
                )));
            }
            Err(BatchError::Failed(error)) => {
                tracing::error!(%error, "a write batch failed");
                *conn = None;
                return Some(AppError::internal(anyhow::anyhow!(
                    "the batch could not be committed: {error}"
                )));
            }
        }
    }
}

/// The same failure for every caller of a batch or group (errors are not `Clone`).
fn copy_failure(error: &AppError) -> AppError {
    match error {
        AppError::Invalid { field, message } => AppError::Invalid {
            field: field.clone(),
            message: message.clone(),
        },
        AppError::BadRequest(message) => AppError::BadRequest(message.clone()),
        AppError::Unauthorized(message) => AppError::Unauthorized(message.clone()),
        AppError::Forbidden(message) => AppError::Forbidden(message.clone()),
        AppError::NotFound(message) => AppError::NotFound(message.clone()),
        AppError::Conflict {
            refusal,
            message,
            seats_left,
        } => AppError::Conflict {
            refusal: *refusal,
            message: message.clone(),
            seats_left: *seats_left,
        },
        AppError::PayloadTooLarge(message) => AppError::PayloadTooLarge(message.clone()),
        AppError::BodyTimeout => AppError::BodyTimeout,
        AppError::UnknownMethod => AppError::UnknownMethod,
        AppError::RateLimited { retry_after } => AppError::RateLimited {
            retry_after: *retry_after,
        },
        AppError::Unavailable(message) => AppError::Unavailable(message.clone()),
        AppError::Transient(e) => AppError::Transient(anyhow::anyhow!("{e}")),
        AppError::Internal(e) => AppError::internal(anyhow::anyhow!("{e}")),
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
    // The batch's own language is never used: each write runs in a savepoint in its own.
    let mut tx = Tx::begin(conn, Lang::default()).map_err(classify)?;
    let mut outcome = Ok(());
    let mut next = 0;
    while next < batch.len() {
        // A job alone, or the run of jobs of its kind and lock (sorted together).
        let group = batch[next].group();
        let end = match group {
            None => next + 1,
            Some((kind, _)) => {
                let lock = batch[next].lock();
                next + batch[next..]
                    .iter()
                    .take_while(|job| {
                        job.lock() == lock && job.group().map(|(k, _)| k) == Some(kind)
                    })
                    .count()
            }
        };
        let jobs = &mut batch[next..end];
        next = end;
        let ran = catch_unwind(AssertUnwindSafe(|| match group {
            Some((_, run)) => run(&mut tx, jobs),
            None => jobs[0].run(&mut tx),
        }));
        match ran {
            Ok(()) if jobs.iter().any(|job| job.lost_to_contention()) => {
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
    match outcome {
        Ok(()) => tx.commit().map(drop).map_err(classify),
        Err(error) => {
            tx.rollback();
            Err(error)
        }
    }
}

fn classify(error: diesel::result::Error) -> BatchError {
    if crate::error::is_transient(&error) {
        BatchError::Contention(error.to_string())
    } else {
        BatchError::Failed(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ScreeningId;

    fn writers(n: usize) -> (Writer, Vec<mpsc::Receiver<Box<dyn Job>>>) {
        let (queues, jobs): (Vec<_>, Vec<_>) = (0..n).map(|_| mpsc::channel(1)).unzip();
        let writer = Writer {
            queues: queues.into(),
            threads: Arc::default(),
        };
        (writer, jobs)
    }

    fn index(writer: &Writer, lock: Lock) -> usize {
        let queue = writer.queue_for(lock);
        writer
            .queues
            .iter()
            .position(|q| q.same_channel(queue))
            .expect("one of the writer's queues")
    }

    #[test]
    fn a_screening_always_goes_to_one_writer_and_screenings_spread_over_all() {
        let (writer, _jobs) = writers(3);
        let screenings: Vec<ScreeningId> =
            (0..60).map(|_| ScreeningId(uuid::Uuid::now_v7())).collect();
        let mut used = [0; 3];
        for screening in &screenings {
            let first = index(&writer, Lock::Screening(*screening));
            for _ in 0..3 {
                assert_eq!(index(&writer, Lock::Screening(*screening)), first);
            }
            used[first] += 1;
        }
        assert!(used.iter().all(|n| *n > 0), "{used:?}");
        assert_eq!(index(&writer, Lock::NoScreening), 0);
        let (one, _jobs) = writers(1);
        assert_eq!(index(&one, Lock::Screening(screenings[0])), 0);
    }
}
