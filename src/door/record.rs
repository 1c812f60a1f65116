//! A scan's two steps: routed on the HTTP worker, recorded in the writer with the other scans
//! queued for the same screening — a handful of set-based statements per group, not a
//! transaction's worth per scan.
//!
//! [`super::routing::route`] needs no lock and no database (the catalogue is read from memory,
//! [`crate::catalogue::cache`]): it reads the code (layout and key, not yet the signature), finds
//! the screening the door admits for, and so the screening whose lock the scan takes.
//!
//! [`record`] runs in the writer, for every scan of one screening in the batch (the
//! group, `door::group`): it locks the
//! screening's row and reads it (status and times as they are now, counter, chain head), reads
//! the earlier answers to the scans' nonces and the tickets with their bookings (one statement
//! each), judges each scan in arrival order with the pure rule ([`super::verdict`]), then admits
//! the winners with one conditional `UPDATE … WHERE id IN (…) AND admitted_at IS NULL AND status
//! = 'valid'`, appends every entry to the log with one multi-row insert (hashes chained in
//! order), and moves the screening's counter and chain head once. Everything it decided on was
//! read under the lock that every write to these tickets takes first, so the update must change
//! exactly the tickets it names; if it does not, the group is undone and run again.
//!
//! A code is genuine when it equals the code stored with its ticket (compared in constant time):
//! the stored code was signed when issued. The signature itself is checked only for a code that
//! is not a stored one, to tell a forgery from a ticket that does not exist.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;

use super::answer::ScanAnswer;
use super::chain::{Chain, ScanRow, lock_state};
use super::group::{Earlier, Group};
use super::request::{Mode, ScanRequest};
use super::routing::route_reading;
use crate::booking::queries::tickets_with_bookings;
use crate::catalogue::cache::Catalogue;
use crate::db::schema::scans;
use crate::db::tallies::Pending;
use crate::db::writer::SetWrite;
use crate::db::{AnyConnection, Lock, Tx};
use crate::domain::ScreeningId;
use crate::domain::ticket_code::TicketVerifier;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::staff::StaffMember;

pub use super::scan::{Scan, Scanned};

impl SetWrite for Scan {
    type Output = (ScanAnswer, ScreeningId);

    fn lock(&self) -> Lock {
        self.lock
    }

    fn lang(&self) -> Lang {
        self.lang
    }

    fn run_set(tx: &mut Tx<'_>, items: &[&Scan]) -> Result<Vec<Scanned>, AppError> {
        record(tx, items, chrono::Utc::now().naive_utc())
    }
}

/// Scans one code on one connection, routed and recorded (the fuzz target and the scan-path
/// benchmark use this; the HTTP handler queues [`Scan`]s for the writer).
pub fn scan(
    conn: &mut AnyConnection,
    verifier: &Arc<TicketVerifier>,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    // A tool scanning once remembers nothing: the catalogue is read for this scan.
    let route = route_reading(&Catalogue::default(), conn, verifier, staff, request, now)?;
    let scan = Scan::new(
        staff.clone(),
        request.clone(),
        route,
        Mode::Online,
        verifier.clone(),
    );
    crate::db::tx::write_on(conn, scan.lang, |tx| {
        crate::db::writer::run_alone(tx, &scan)
    })
}

/// Records the scans of one screening (the writer's group; see the module). One answer per scan,
/// in order; an `Err` for the whole call means nothing was written.
pub fn record(
    tx: &mut Tx<'_>,
    items: &[&Scan],
    now: NaiveDateTime,
) -> Result<Vec<Scanned>, AppError> {
    let Some(first) = items.first() else {
        return Ok(Vec::new());
    };
    let conn = &mut *tx.conn;
    let screening = first.route.judged.screening.id;
    let state = lock_state(conn, screening)?;
    let (earlier, tickets) = crate::db::planned_for_values(conn, |conn| {
        Ok::<_, AppError>((
            earlier_answers(conn, items)?,
            tickets_with_bookings(conn, &presented_tickets(items))?,
        ))
    })?;
    let mut group = Group {
        judged: state.refresh(&first.route.judged)?,
        chain: Chain::new(screening, &state),
        state,
        now: now.trunc_subsecs(6),
        earlier,
        tickets: tickets
            .into_iter()
            .map(|(ticket, booking)| (ticket.id, (ticket, booking)))
            .collect(),
        infos: HashMap::new(),
        answered_here: HashMap::new(),
        admitted_here: HashMap::new(),
        moved_here: HashMap::new(),
        rows: Vec::with_capacity(items.len()),
        answers: Vec::with_capacity(items.len()),
        rollups: Pending::default(),
    };
    // A scan refused before it is judged (a nonce reused) is one item's answer; anything else
    // that fails undoes the whole group (nothing half-recorded is answered).
    for item in items {
        let answer = crate::i18n::with(item.lang, || group.scan(item))?;
        group.answers.push(answer);
    }
    group.write(conn)?;
    tx.rollups.merge(group.rollups);
    Ok(group.answers)
}

/// The tickets the scans' codes name.
fn presented_tickets(items: &[&Scan]) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .filter_map(|item| item.route.code.as_ref().ok())
        .map(|p| p.claims.ticket.to_string())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The log entries of the scans' nonces, by (staff member, nonce): one statement per staff
/// member in the group (`staff_id = ? AND nonce IN (…)`: both columns of the unique index, which
/// PostgreSQL does not search with two lists).
fn earlier_answers(
    conn: &mut AnyConnection,
    items: &[&Scan],
) -> Result<HashMap<(String, String), Earlier>, AppError> {
    let mut by_staff: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for item in items {
        by_staff
            .entry(item.staff.id.to_string())
            .or_default()
            .push(&item.request.nonce);
    }
    let mut earlier = HashMap::new();
    for (staff, nonces) in by_staff {
        let rows: Vec<ScanRow> = scans::table
            .filter(scans::staff_id.eq(&staff))
            .filter(scans::nonce.eq_any(&nonces))
            .select(ScanRow::as_select())
            .load(conn)?;
        for row in rows {
            let screening = ScreeningId::from_db("scans.screening_id", &row.screening_id)?;
            earlier.insert(
                (staff.clone(), row.nonce.clone()),
                Earlier { row, screening },
            );
        }
    }
    Ok(earlier)
}
