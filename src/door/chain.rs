//! The scan log's hash chain: each entry's hash covers the previous entry's hash (of the same
//! screening) and every field of the entry, so editing, inserting or deleting a row is detectable.
//! The chain's head (last sequence number and hash) is kept on the screening row, so deleting the
//! last entries is detectable too.

use chrono::NaiveDateTime;
use data_encoding::HEXLOWER;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::AnyConnection;
use crate::db::schema::{scans, screenings};
use crate::domain::FestivalId;
use crate::error::AppError;

/// One scan-log entry as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scans, treat_none_as_default_value = false)]
pub struct ScanRow {
    pub id: String,
    pub screening_id: String,
    pub seq: i32,
    pub kind: String,
    pub verdict: String,
    pub ticket_id: Option<String>,
    pub scanned: String,
    pub door: String,
    pub staff_id: String,
    pub nonce: String,
    pub client_time: Option<NaiveDateTime>,
    pub server_time: NaiveDateTime,
    pub response: String,
    pub prev_hash: String,
    pub hash: String,
    /// A digest of what the scan asked for (code and target), so that a nonce used again for
    /// something else is refused. Not part of the chain: it is an idempotency aid, not evidence.
    pub request_digest: Option<String>,
    /// An offline admission the server could not honour (see [`super::offline`]). The details
    /// are in `response`, which the chain covers.
    pub conflict: bool,
}

fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The hash of an entry: SHA-256 over the previous hash and every field, one per line.
pub fn entry_hash(row: &ScanRow) -> String {
    let mut hasher = Sha256::new();
    for field in [
        row.prev_hash.as_str(),
        &row.seq.to_string(),
        &row.id,
        &row.screening_id,
        &row.kind,
        &row.verdict,
        row.ticket_id.as_deref().unwrap_or(""),
        &row.scanned,
        &row.door,
        &row.staff_id,
        &row.nonce,
        &row.client_time.map(time).unwrap_or_default(),
        &time(row.server_time),
        &row.response,
    ] {
        hasher.update(field.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(field.as_bytes());
        hasher.update(b"\n");
    }
    HEXLOWER.encode(&hasher.finalize())
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
        if last_seq != head_seq || prev != head_hash {
            report.problems.push(format!(
                "screening {screening_id}: the log ends at entry {last_seq} but {head_seq} entries were written (entries deleted)"
            ));
        }
    }
    Ok(report)
}
