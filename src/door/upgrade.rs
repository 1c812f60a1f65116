//! Carries a scan log of the previous shape into today's, once, at start-up.
//!
//! Until the personal-data migration, each log entry kept the rendered answer (holder names
//! included) inside its hash chain, so no one could be erased without breaking `verify-scans`. The
//! migration moved that log aside (`scans_v1`); here each screening's old chain is verified as it
//! was written, its entries are rewritten as facts (the reason, the counter, the earlier admission
//! — read from the stored answer, which is then dropped) and chained again from the start, and
//! `chain_upgrades` records the old head, the new head and whether the old chain was intact. A
//! chain that was already broken is carried over too (its facts are all there is), and
//! `verify-scans` goes on reporting it: an upgrade never launders tampering.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use data_encoding::HEXLOWER;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use sha2::{Digest, Sha256};

use super::answer::{Reason, ScanAnswer};
use super::chain::{ScanRow, entry_hash, kept_reading};
use crate::db::AnyConnection;
use crate::db::schema::{chain_upgrades, scans, screenings};
use crate::domain::ticket_code::{CodeError, TicketVerifier};
use crate::domain::{ScreeningStatus, Verdict};
use crate::error::AppError;

diesel::table! {
    /// The log as the previous version wrote it.
    scans_v1 (id) {
        id -> Text,
        screening_id -> Text,
        seq -> Integer,
        kind -> Text,
        verdict -> Text,
        ticket_id -> Nullable<Text>,
        scanned -> Text,
        door -> Text,
        staff_id -> Text,
        nonce -> Text,
        client_time -> Nullable<Timestamp>,
        server_time -> Timestamp,
        response -> Text,
        prev_hash -> Text,
        hash -> Text,
        request_digest -> Nullable<Text>,
        conflict -> Bool,
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scans_v1)]
struct OldRow {
    id: String,
    screening_id: String,
    seq: i32,
    kind: String,
    verdict: String,
    ticket_id: Option<String>,
    scanned: String,
    door: String,
    staff_id: String,
    nonce: String,
    client_time: Option<NaiveDateTime>,
    server_time: NaiveDateTime,
    response: String,
    prev_hash: String,
    hash: String,
    request_digest: Option<String>,
    conflict: bool,
}

fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The previous version's entry hash: every field, the rendered answer included.
fn old_hash(row: &OldRow) -> String {
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

/// Whether the database still holds a log of the previous shape.
fn has_old_log(conn: &mut AnyConnection) -> Result<bool, diesel::result::Error> {
    let count: i64 = match conn {
        AnyConnection::Sqlite(c) => diesel::select(diesel::dsl::sql::<BigInt>(
            "(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'scans_v1')",
        ))
        .get_result(c)?,
        AnyConnection::Postgresql(c) => diesel::select(diesel::dsl::sql::<BigInt>(
            "(SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_name = 'scans_v1' AND table_schema = current_schema())",
        ))
        .get_result(c)?,
    };
    Ok(count > 0)
}

/// What an upgrade did.
#[derive(Debug, Default)]
pub struct Upgraded {
    pub screenings: usize,
    pub entries: usize,
    /// Screenings whose old chain did not verify (carried over, and reported by `verify-scans`).
    pub broken: usize,
}

/// Carries the old log over, if there is one (see the module). One transaction; on SQLite the
/// file is then vacuumed, so the dropped answers' bytes do not stay in free pages.
pub fn carry_over(conn: &mut AnyConnection) -> Result<Upgraded, AppError> {
    if !has_old_log(conn)? {
        return Ok(Upgraded::default());
    }
    let upgraded = conn.transaction(|conn| {
        let old: Vec<OldRow> = scans_v1::table
            .order((scans_v1::screening_id, scans_v1::seq))
            .select(OldRow::as_select())
            .load(conn)?;
        let mut by_screening: BTreeMap<String, Vec<OldRow>> = BTreeMap::new();
        for row in old {
            by_screening
                .entry(row.screening_id.clone())
                .or_default()
                .push(row);
        }
        let mut upgraded = Upgraded::default();
        let now = chrono::Utc::now().naive_utc();
        for (screening, rows) in by_screening {
            let (status, head_seq, head): (String, i32, String) = screenings::table
                .find(&screening)
                .select((
                    screenings::status,
                    screenings::scan_seq,
                    screenings::scan_head,
                ))
                .first(conn)?;
            let cancelled = status == ScreeningStatus::Cancelled.as_str();
            let mut intact = true;
            let mut prev = String::new();
            for (i, row) in rows.iter().enumerate() {
                intact &= i32::try_from(i + 1).ok() == Some(row.seq)
                    && row.prev_hash == prev
                    && old_hash(row) == row.hash;
                prev.clone_from(&row.hash);
            }
            intact &= rows.last().map(|r| r.seq) == Some(head_seq) && prev == head;
            let mut new_rows = Vec::with_capacity(rows.len());
            let mut prev = String::new();
            for row in &rows {
                let mut new = facts_of(row, cancelled)?;
                new.prev_hash = std::mem::take(&mut prev);
                new.hash = entry_hash(&new);
                prev.clone_from(&new.hash);
                new_rows.push(new);
            }
            for chunk in new_rows.chunks(500) {
                let insert = diesel::insert_into(scans::table).values(chunk);
                crate::on_each_backend!(conn, c => insert.execute(c)?);
            }
            let last_seq = new_rows.last().map_or(0, |r| r.seq);
            diesel::update(screenings::table.find(&screening))
                .set((
                    screenings::scan_seq.eq(last_seq),
                    screenings::scan_head.eq(&prev),
                ))
                .execute(conn)?;
            diesel::insert_into(chain_upgrades::table)
                .values((
                    chain_upgrades::screening_id.eq(&screening),
                    chain_upgrades::upgraded_at.eq(now),
                    chain_upgrades::entries.eq(i32::try_from(rows.len()).unwrap_or(i32::MAX)),
                    chain_upgrades::old_head.eq(&head),
                    chain_upgrades::new_head.eq(&prev),
                    chain_upgrades::old_chain_intact.eq(intact),
                ))
                .execute(conn)?;
            upgraded.screenings += 1;
            upgraded.entries += rows.len();
            upgraded.broken += usize::from(!intact);
        }
        diesel::sql_query("DROP TABLE scans_v1").execute(conn)?;
        Ok::<_, AppError>(upgraded)
    })?;
    if let AnyConnection::Sqlite(c) = conn {
        diesel::sql_query("VACUUM").execute(c)?;
    }
    Ok(upgraded)
}

/// An old entry as facts: the reason and the earlier admission read from its stored answer.
fn facts_of(row: &OldRow, screening_cancelled: bool) -> Result<ScanRow, AppError> {
    let answer: Option<ScanAnswer> = serde_json::from_str(&row.response).ok();
    let verdict = Verdict::from_db("scans_v1.verdict", &row.verdict)?;
    let reading = TicketVerifier::new().read(&row.scanned).err();
    let reason = match verdict {
        Verdict::Admitted => Reason::Welcome,
        Verdict::AlreadyAdmitted if row.nonce.starts_with("reordered-") => Reason::Displaced,
        Verdict::AlreadyAdmitted => Reason::AlreadyAdmitted,
        Verdict::Annulled => Reason::Undone,
        Verdict::Invalid => match reading {
            Some(CodeError::Format) => Reason::CodeFormat,
            Some(CodeError::Incomplete) => Reason::IncompleteRead,
            _ => Reason::CodeSignature,
        },
        Verdict::Unknown => Reason::NoSuchTicket,
        Verdict::Cancelled if screening_cancelled => Reason::ScreeningCancelled,
        Verdict::Cancelled => Reason::TicketCancelled,
        Verdict::WrongScreening => Reason::WrongScreening,
        Verdict::TooEarly => Reason::TooEarly,
        Verdict::TooLate => Reason::TooLate,
        Verdict::RoomFull => Reason::RoomFull,
        // Passes came after the old log: none of its entries has these.
        Verdict::NoReservation => Reason::NoReservation,
        Verdict::NotValidForScreening => Reason::PassNotValid,
    };
    let first_admitted_at = (answer.as_ref())
        .and_then(|a| a.first_admitted_at.as_deref())
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.naive_utc());
    let is_code = !matches!(reading, Some(CodeError::Format | CodeError::Incomplete));
    Ok(ScanRow {
        id: row.id.clone(),
        screening_id: row.screening_id.clone(),
        seq: row.seq,
        kind: row.kind.clone(),
        verdict: row.verdict.clone(),
        reason: reason.as_str().to_owned(),
        ticket_id: row.ticket_id.clone(),
        scanned: kept_reading(&row.scanned, is_code),
        door: row.door.clone(),
        staff_id: row.staff_id.clone(),
        nonce: row.nonce.clone(),
        client_time: row.client_time,
        server_time: row.server_time,
        admitted_count: answer.as_ref().map_or(0, |a| a.admitted),
        first_admitted_at,
        first_admitted_door: answer.and_then(|a| a.first_admitted_door),
        conflict: row.conflict,
        prev_hash: String::new(),
        hash: String::new(),
        request_digest: row.request_digest.clone(),
    })
}
