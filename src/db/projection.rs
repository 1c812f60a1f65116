//! The attendance projection: who has been admitted, as people (`attendees`, and the
//! first-admission tallies that count unique attendees by screening and country), derived from
//! the scan log by a projector off the scan's path.
//!
//! A scan's transaction writes its ticket, its log entry, the screening's counter and the
//! country and category tallies — no row per person, which would be one more page at a random
//! place per admission. The projector then applies each screening's log in order, in batches of
//! one transaction each: an entry whose `admitted_count` differs from the entry before it admitted
//! (+1) or un-admitted (−1) its ticket's holder. It records how far it got in `scan_projections`
//! (in the same transaction), so it is restartable and two instances' projectors never apply an
//! entry twice (the position's row is locked first).
//!
//! Every report is exact at the moment it is read: it adds to what is projected the entries not
//! applied yet — the tail ([`tail`]) — read in the same snapshot. The tail is what the projector
//! is behind by: a few batches under a rush, nothing at rest.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use diesel::prelude::*;

use super::periodic::{Periodic, every};
use super::schema::{bookings, scan_projections, scans, screenings, tickets};
use super::tallies::{self, Ahead, Pending};
use super::writer::Writer;
use super::{AnyConnection, DbPool, Lock};
use crate::error::AppError;
use crate::i18n::Lang;

/// Entries applied per transaction: small enough that the writer (on SQLite, which has one
/// write lock) never waits long behind the projector.
const BATCH: i64 = 500;

/// The pause between two batches while the projector is catching up: the writer's turn.
const BETWEEN_BATCHES: Duration = Duration::from_millis(2);

/// The projector's position in each screening's log (absent: nothing applied).
fn position(conn: &mut AnyConnection, screening: &str, lock: bool) -> QueryResult<Option<i32>> {
    let query = scan_projections::table
        .find(screening)
        .select(scan_projections::seq);
    match conn {
        AnyConnection::Postgresql(pg) if lock => query.for_update().first(pg).optional(),
        AnyConnection::Postgresql(pg) => query.first(pg).optional(),
        AnyConnection::Sqlite(lite) => query.first(lite).optional(),
    }
}

/// The people events of a screening's log entries after `from` (at most `limit` of them), in
/// order: recorded in `into`; returns the last entry's sequence number and how many were read.
fn events_after(
    conn: &mut AnyConnection,
    screening: &str,
    festival: &str,
    from: i32,
    limit: i64,
    into: &mut Pending,
) -> Result<(i32, usize), AppError> {
    // The entry at `from` too: its counter is where the next one starts.
    let rows: Vec<(i32, i32, Option<String>)> = scans::table
        .filter(scans::screening_id.eq(screening))
        .filter(scans::seq.ge(from.max(1)))
        .order(scans::seq.asc())
        .limit(limit.saturating_add(1))
        .select((scans::seq, scans::admitted_count, scans::ticket_id))
        .load(conn)?;
    let mut prev = 0;
    let mut started = from == 0;
    let mut changes: Vec<(String, i32)> = Vec::new();
    let mut last = from;
    let mut read = 0;
    for (seq, count, ticket) in rows {
        if seq <= from {
            prev = count;
            started = true;
            continue;
        }
        if !started || seq != last + 1 {
            return Err(AppError::internal(anyhow::anyhow!(
                "the scan log of screening {screening} has no entry {} (found {seq})",
                last + 1
            )));
        }
        let delta = count - prev;
        prev = count;
        last = seq;
        read += 1;
        if delta != 0 {
            let ticket = ticket.ok_or_else(|| {
                AppError::internal(anyhow::anyhow!(
                    "entry {seq} of screening {screening} moved the count without a ticket"
                ))
            })?;
            changes.push((ticket, delta));
        }
    }
    let ids: Vec<&String> = changes.iter().map(|(t, _)| t).collect();
    // Two searches by a list of keys, not a join: PostgreSQL's planner, guessing at tables it
    // has not analysed, joined by hashing every booking of the database.
    let mut bookings_of: HashMap<String, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let found: Vec<(String, String)> = tickets::table
            .filter(tickets::id.eq_any(chunk))
            .select((tickets::id, tickets::booking_id))
            .load(conn)?;
        bookings_of.extend(found);
    }
    let booking_ids: Vec<&String> = bookings_of
        .values()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut people: HashMap<String, (String, String)> = HashMap::new();
    for chunk in booking_ids.chunks(500) {
        let found: Vec<(String, String, String)> = bookings::table
            .filter(bookings::id.eq_any(chunk))
            .select((bookings::id, bookings::person_id, bookings::country))
            .load(conn)?;
        people.extend(found.into_iter().map(|(b, p, c)| (b, (p, c))));
    }
    for (ticket, delta) in changes {
        let holder = bookings_of.get(&ticket).and_then(|b| people.get(b));
        let (person, country) = holder.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "ticket {ticket} of the scan log is missing"
            ))
        })?;
        tallies::person_admission(into, festival, person, screening, country, delta);
    }
    Ok((last, read))
}

/// Applies the next batch of one screening's log: one transaction; how many entries it applied.
pub fn project(conn: &mut AnyConnection, screening: &str) -> Result<usize, AppError> {
    super::tx::write_on(conn, Lang::En, |tx| project_in(tx, screening))
}

/// [`project`], in the caller's transaction.
fn project_in(tx: &mut super::Tx<'_>, screening: &str) -> Result<usize, AppError> {
    let from = match position(tx.conn, screening, true)? {
        Some(seq) => seq,
        None => {
            // The first time: the row, then its lock (a racing projector's insert makes this
            // one's fail, a transient error: it runs again and finds the row).
            diesel::insert_into(scan_projections::table)
                .values((
                    scan_projections::screening_id.eq(screening),
                    scan_projections::seq.eq(0),
                ))
                .execute(tx.conn)
                .map_err(super::contended_rollup)?;
            0
        }
    };
    let festival: String = screenings::table
        .find(screening)
        .select(screenings::festival_id)
        .first(tx.conn)?;
    let mut events = Pending::default();
    let (last, read) = events_after(tx.conn, screening, &festival, from, BATCH, &mut events)?;
    if read == 0 {
        return Ok(0);
    }
    tx.rollups.merge(events);
    diesel::update(scan_projections::table.find(screening))
        .set(scan_projections::seq.eq(last))
        .execute(tx.conn)?;
    Ok(read)
}

/// The screenings whose log has entries the projector has not applied (of one festival, or
/// all), with its position in each.
fn behind(
    conn: &mut AnyConnection,
    festival: Option<&str>,
) -> QueryResult<Vec<(String, String, i32)>> {
    let mut query = screenings::table
        .filter(screenings::scan_seq.gt(0))
        .select((
            screenings::id,
            screenings::festival_id,
            screenings::scan_seq,
        ))
        .into_boxed();
    if let Some(festival) = festival {
        query = query.filter(screenings::festival_id.eq(festival.to_owned()));
    }
    let heads: Vec<(String, String, i32)> = query.load(conn)?;
    let applied: HashMap<String, i32> = scan_projections::table
        .select((scan_projections::screening_id, scan_projections::seq))
        .load::<(String, i32)>(conn)?
        .into_iter()
        .collect();
    Ok(heads
        .into_iter()
        .filter_map(|(screening, festival, head)| {
            let at = applied.get(&screening).copied().unwrap_or(0);
            (head > at).then_some((screening, festival, at))
        })
        .collect())
}

/// One pass: the next batch of every screening that is behind; how many entries it applied.
pub fn pass(conn: &mut AnyConnection) -> Result<usize, AppError> {
    let mut applied = 0;
    for (screening, _, _) in behind(conn, None)? {
        applied += project(conn, &screening)?;
    }
    Ok(applied)
}

/// Applies everything not applied yet; how many entries (tests and tools that want the rollup
/// rows written).
pub fn catch_up(conn: &mut AnyConnection) -> Result<usize, AppError> {
    let mut applied = 0;
    loop {
        let read = pass(conn)?;
        if read == 0 {
            return Ok(applied);
        }
        applied += read;
    }
}

/// What the entries not projected yet add: each changed person's row as it will be, and the
/// first-admission tallies moved, by (screening, country). Read-only; call it in the same
/// snapshot as the projected rows it completes.
pub fn tail(conn: &mut AnyConnection, festival: Option<&str>) -> Result<Ahead, AppError> {
    let mut events = Pending::default();
    for (screening, festival, from) in behind(conn, festival)? {
        events_after(conn, &screening, &festival, from, i64::MAX - 1, &mut events)?;
    }
    if events.is_empty() {
        return Ok(Ahead::default());
    }
    Ok(tallies::preview(conn, &events)?)
}

/// One pass through the instance's writer (the first, with several): each batch a write of the
/// writer's next batch. On SQLite (one write lock) the projector then never makes the writer wait
/// for the lock — a wait that SQLite's busy handler turns into sleeps of up to 100 ms; on
/// PostgreSQL it does not fight that writer's transactions for the hot tally rows (as its own
/// transactions it cost the scan rush a quarter of its rate: 1,448 scans/s against 1,910 without
/// it). The other writers' transactions take the same rows in the same key order, at commit.
fn pass_through(
    pool: &DbPool,
    writer: &Writer,
    runtime: &tokio::runtime::Runtime,
) -> Result<usize, AppError> {
    let screenings = {
        let mut conn = pool.get().map_err(AppError::pool)?;
        behind(&mut conn, None)?
    };
    let mut applied = 0;
    for (screening, _, _) in screenings {
        let written = runtime.block_on(writer.write(Lock::NoScreening, Lang::En, move |tx| {
            project_in(tx, &screening)
        }))?;
        applied += written.0;
    }
    Ok(applied)
}

/// The projector of one instance: a thread that applies the logs every `interval` (sooner while
/// it is behind). With group commit its batches go through the writer; without, each is a
/// transaction of its own. Stops when dropped.
pub struct Projector {
    thread: Periodic,
}

impl Projector {
    /// Stops the thread after its pass in progress; its handle, to be joined.
    pub fn stop(self) -> std::thread::JoinHandle<()> {
        self.thread.stop()
    }

    pub fn start(
        pool: DbPool,
        writer: Option<Writer>,
        interval: Duration,
    ) -> std::io::Result<Projector> {
        let runtime = tokio::runtime::Builder::new_current_thread().build()?;
        let thread = every("marquee-projector", interval, move || {
            let outcome = match &writer {
                Some(writer) => pass_through(&pool, writer, &runtime),
                None => pool
                    .get()
                    .map_err(AppError::pool)
                    .and_then(|mut conn| pass(&mut conn)),
            };
            match outcome {
                // Behind: the next batch soon, after the writer's turn.
                Ok(applied) if applied > 0 => BETWEEN_BATCHES,
                Ok(_) => interval,
                Err(error) => {
                    // Reports stay exact meanwhile (they read the tail); the next pass starts
                    // from the recorded position.
                    tracing::warn!(%error, "the attendance projection failed; retrying");
                    interval
                }
            }
        })?;
        Ok(Projector { thread })
    }
}
