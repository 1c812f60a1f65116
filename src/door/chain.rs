//! The scan log's hash chain: each entry's hash covers the previous entry's hash (of the same
//! screening) and every field of the entry, so editing, inserting or deleting a row is detectable.
//! The chain's head (last sequence number and hash) is kept on the screening row, so deleting the
//! last entries is detectable too.
//!
//! A write extends a screening's chain from the screening's row read under its lock
//! (`lock_state`), entry by entry (`Chain`); [`verify`] checks every chain.

use chrono::NaiveDateTime;
use data_encoding::HEXLOWER;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::answer::Reason;
use crate::catalogue::queries::ScreeningListing;
use crate::db::AnyConnection;
use crate::db::schema::{chain_upgrades, scans, screenings};
use crate::domain::{FestivalId, ScanKind, ScreeningId, ScreeningStatus};
use crate::error::{AppError, Thing};
use crate::staff::StaffMember;

/// One scan-log entry as stored: facts only — ids, the verdict and its reason, times, the door
/// and device, the counter after it and the earlier admission it found. No name, no address, no
/// rendered message: a retried scan's answer is rebuilt from the entry and the live records
/// ([`super::words`]), and erasing a person leaves every chain intact.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scans, treat_none_as_default_value = false)]
pub struct ScanRow {
    pub id: String,
    pub screening_id: String,
    pub seq: i32,
    pub kind: String,
    pub verdict: String,
    pub reason: String,
    pub ticket_id: Option<String>,
    /// The code as read when it is a ticket code; otherwise a digest of what was read (a door can
    /// be handed anything to scan, and the log is evidence, not a copy of it).
    pub scanned: String,
    pub door: String,
    pub staff_id: String,
    pub nonce: String,
    pub client_time: Option<NaiveDateTime>,
    pub server_time: NaiveDateTime,
    /// The screening's admitted count once this entry was decided.
    pub admitted_count: i32,
    pub first_admitted_at: Option<NaiveDateTime>,
    pub first_admitted_door: Option<String>,
    /// An offline admission the server could not honour (see [`super::offline`]).
    pub conflict: bool,
    pub prev_hash: String,
    pub hash: String,
    /// A digest of what the scan asked for (code and target), so that a nonce used again for
    /// something else is refused. Not part of the chain: it is an idempotency aid, not evidence.
    pub request_digest: Option<String>,
}

fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The hash of an entry: SHA-256 over the previous hash and every fact, each with its length.
pub fn entry_hash(row: &ScanRow) -> String {
    let mut hasher = Sha256::new();
    for field in [
        "v2",
        row.prev_hash.as_str(),
        &row.seq.to_string(),
        &row.id,
        &row.screening_id,
        &row.kind,
        &row.verdict,
        &row.reason,
        row.ticket_id.as_deref().unwrap_or(""),
        &row.scanned,
        &row.door,
        &row.staff_id,
        &row.nonce,
        &row.client_time.map(time).unwrap_or_default(),
        &time(row.server_time),
        &row.admitted_count.to_string(),
        &row.first_admitted_at.map(time).unwrap_or_default(),
        row.first_admitted_door.as_deref().unwrap_or(""),
        if row.conflict { "conflict" } else { "" },
    ] {
        hasher.update(field.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(field.as_bytes());
        hasher.update(b"\n");
    }
    HEXLOWER.encode(&hasher.finalize())
}

/// What the log keeps of what a door read: a ticket code as it is (it names a ticket and carries
/// no one's details), anything else as a digest.
pub fn kept_reading(scanned: &str, is_code: bool) -> String {
    if is_code {
        scanned.chars().take(200).collect()
    } else {
        format!(
            "sha256:{}",
            HEXLOWER.encode(&Sha256::digest(scanned.as_bytes()))
        )
    }
}

/// A screening's row as read under its lock, at the start of a scan's or undo's write: what may
/// have changed since the scan was routed (status, times) and the counter and chain head to
/// extend.
#[derive(Debug, Clone, Queryable)]
pub struct ScreeningState {
    status: String,
    starts_at: NaiveDateTime,
    doors_open_minutes: i32,
    doors_close_minutes: i32,
    pub(super) admitted: i32,
    pub(super) capacity: i32,
    pub(super) scan_seq: i32,
    pub(super) scan_head: String,
    pub(super) standby_admitted: i32,
}

/// Locks the screening's row (PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the one write lock)
/// and reads it: the first statement of every write to a screening's tickets or log, which keeps
/// the lock order of [`crate::db::lock_screenings`].
pub(super) fn lock_state(
    conn: &mut AnyConnection,
    id: ScreeningId,
) -> Result<ScreeningState, AppError> {
    let query = screenings::table.find(id.to_string()).select((
        screenings::status,
        screenings::starts_at,
        screenings::doors_open_minutes,
        screenings::doors_close_minutes,
        screenings::admitted,
        screenings::capacity,
        screenings::scan_seq,
        screenings::scan_head,
        screenings::standby_admitted,
    ));
    let state = match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first(pg).optional()?,
        AnyConnection::Sqlite(lite) => query.first(lite).optional()?,
    };
    state.ok_or_else(|| AppError::not_found(Thing::Screening))
}

impl ScreeningState {
    /// The listing with what was read under the lock.
    pub(super) fn refresh(&self, listing: &ScreeningListing) -> Result<ScreeningListing, AppError> {
        let mut fresh = listing.clone();
        let s = &mut fresh.screening;
        s.status = ScreeningStatus::from_db("screenings.status", &self.status)?;
        s.starts_at = self.starts_at;
        s.doors_open_minutes = self.doors_open_minutes;
        s.doors_close_minutes = self.doors_close_minutes;
        s.admitted = self.admitted;
        s.capacity = self.capacity;
        Ok(fresh)
    }
}

/// One entry of a screening's scan log, before it is chained.
pub(super) struct LogEntry<'a> {
    pub id: &'a str,
    pub kind: ScanKind,
    pub reason: Reason,
    pub ticket_id: Option<String>,
    /// What the log keeps of the reading ([`kept_reading`]).
    pub scanned: String,
    pub door: &'a str,
    pub staff: &'a StaffMember,
    pub nonce: &'a str,
    pub request_digest: Option<String>,
    pub client_time: Option<NaiveDateTime>,
    pub now: NaiveDateTime,
    pub first_admitted: Option<(NaiveDateTime, String)>,
    pub conflict: bool,
}

/// A screening's chain head and counter, moved on entry by entry (from the state read under its
/// lock: [`lock_state`]): entries of one screening get consecutive sequence numbers, each hash
/// covering the one before.
pub(super) struct Chain {
    screening: String,
    pub admitted: i32,
    capacity: i32,
    seq: i32,
    head: String,
}

impl Chain {
    pub fn new(screening: ScreeningId, state: &ScreeningState) -> Chain {
        Chain {
            screening: screening.to_string(),
            admitted: state.admitted,
            capacity: state.capacity,
            seq: state.scan_seq,
            head: state.scan_head.clone(),
        }
    }

    /// The next entry's row; `admitted_delta` moves the counter first. Returns the row (whose
    /// `admitted_count` and the chain's capacity the answer reports).
    pub fn append(&mut self, entry: LogEntry<'_>, admitted_delta: i32) -> ScanRow {
        self.admitted += admitted_delta;
        self.seq += 1;
        let (first_admitted_at, first_admitted_door) = entry.first_admitted.unzip();
        let mut row = ScanRow {
            id: entry.id.to_owned(),
            screening_id: self.screening.clone(),
            seq: self.seq,
            kind: entry.kind.as_str().to_owned(),
            verdict: entry.reason.verdict().as_str().to_owned(),
            reason: entry.reason.as_str().to_owned(),
            ticket_id: entry.ticket_id,
            scanned: entry.scanned,
            door: entry.door.to_owned(),
            staff_id: entry.staff.id.to_string(),
            nonce: entry.nonce.to_owned(),
            client_time: entry.client_time,
            server_time: entry.now,
            admitted_count: self.admitted,
            first_admitted_at,
            first_admitted_door,
            conflict: entry.conflict,
            prev_hash: std::mem::take(&mut self.head),
            hash: String::new(),
            request_digest: entry.request_digest,
        };
        row.hash = entry_hash(&row);
        self.head.clone_from(&row.hash);
        row
    }

    pub fn capacity(&self) -> i32 {
        self.capacity
    }

    /// Writes the entries (one statement) and the screening's new counter and head (another).
    pub fn store(&self, conn: &mut AnyConnection, rows: &[ScanRow]) -> Result<(), AppError> {
        if rows.is_empty() {
            return Ok(());
        }
        // One multi-row statement (diesel writes one only for a backend it knows).
        let insert = diesel::insert_into(scans::table).values(rows);
        crate::on_each_backend!(conn, c => insert.execute(c)).map_err(|error| match error {
            // The same nonce written meanwhile by a racing request (on another instance):
            // undone and run again, the scan then finds that request's answer.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => AppError::Transient(anyhow::anyhow!("a scan's nonce was used meanwhile")),
            other => other.into(),
        })?;
        diesel::update(screenings::table.find(&self.screening))
            .set((
                screenings::admitted.eq(self.admitted),
                screenings::scan_seq.eq(self.seq),
                screenings::scan_head.eq(&self.head),
            ))
            .execute(conn)?;
        Ok(())
    }
}

/// What a chain check found.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ChainReport {
    pub screenings_checked: usize,
    pub entries_checked: usize,
    pub problems: Vec<String>,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the chain of every screening (of one festival, or all).
pub fn verify(
    conn: &mut AnyConnection,
    festival: Option<FestivalId>,
) -> Result<ChainReport, AppError> {
    crate::db::read_snapshot(conn, |conn| verify_in_snapshot(conn, festival))
}

fn verify_in_snapshot(
    conn: &mut AnyConnection,
    festival: Option<FestivalId>,
) -> Result<ChainReport, AppError> {
    let mut query = screenings::table
        .select((screenings::id, screenings::scan_seq, screenings::scan_head))
        .order(screenings::starts_at.asc())
        .into_boxed();
    if let Some(festival) = festival {
        query = query.filter(screenings::festival_id.eq(festival.to_string()));
    }
    let heads: Vec<(String, i32, String)> = query.load(conn)?;
    let upgraded_broken: std::collections::HashMap<String, NaiveDateTime> = chain_upgrades::table
        .filter(chain_upgrades::old_chain_intact.eq(false))
        .select((chain_upgrades::screening_id, chain_upgrades::upgraded_at))
        .load(conn)?
        .into_iter()
        .collect();
    let mut report = ChainReport::default();
    for (screening_id, head_seq, head_hash) in heads {
        report.screenings_checked += 1;
        let entries: Vec<ScanRow> = scans::table
            .filter(scans::screening_id.eq(&screening_id))
            .order(scans::seq.asc())
            .select(ScanRow::as_select())
            .load(conn)?;
        let mut prev = String::new();
        let mut expected_seq = 1;
        for entry in &entries {
            report.entries_checked += 1;
            if entry.seq != expected_seq {
                report.problems.push(format!(
                    "screening {screening_id}: entry {} found where {expected_seq} was expected (missing or inserted entries)",
                    entry.seq
                ));
                expected_seq = entry.seq;
            }
            if entry.prev_hash != prev {
                report.problems.push(format!(
                    "screening {screening_id}: entry {} does not follow the entry before it",
                    entry.seq
                ));
            }
            if entry_hash(entry) != entry.hash {
                report.problems.push(format!(
                    "screening {screening_id}: entry {} ({}) was altered after it was written",
                    entry.seq, entry.id
                ));
            }
            prev = entry.hash.clone();
            expected_seq += 1;
        }
        let last_seq = entries.last().map_or(0, |e| e.seq);
        if let Some(at) = upgraded_broken.get(&screening_id) {
            report.problems.push(format!(
                "screening {screening_id}: its log did not verify when it was carried over to the new shape on {at} (altered before then)"
            ));
        }
        if last_seq != head_seq || prev != head_hash {
            report.problems.push(format!(
                "screening {screening_id}: the log ends at entry {last_seq} but {head_seq} entries were written (entries deleted)"
            ));
        }
    }
    Ok(report)
}
