//! A festival pass at a door: turned into the seat it holds here — its reservation's ticket, or a
//! walk-in's taken on the spot ([`crate::passes::record::at_door`]) — and then recorded as any
//! scan is, by the group ([`super::record::record`]): admitted once, logged in the screening's
//! chain, counted. All in one write, under the screening's lock, taken first.
//!
//! A pass is not queued with the ticket scans of its screening: a walk-in takes a seat and writes
//! a booking, which a group of scans does not do. Passes are the guests, the press and the jury:
//! a few hundred scans of a festival's thousands.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::answer::{Reason, ScanAnswer, doors_close_at, doors_open_at};
use super::chain::lock_state;
use super::request::Mode;
use super::scan::Scan;
use crate::db::Tx;
use crate::db::schema::scans;
use crate::domain::ticket_code::{CodeError, TicketSigner};
use crate::domain::{ScreeningId, ScreeningStatus};
use crate::error::AppError;
use crate::passes::door::{AtDoor, DoorRefusal, Presented, at_door};

/// Records a scan of a pass's code (see the module): its answer names the pass's holder.
pub(super) fn record_pass(
    tx: &mut Tx<'_>,
    scan: &Scan,
    signer: &TicketSigner,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let presented = scan
        .route
        .pass
        .clone()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a pass scan without a pass")))?;
    let state = lock_state(tx.conn, scan.route.judged.screening.id)?;
    let judged = state.refresh(&scan.route.judged)?;
    // A walk-in needs a seat nobody holds and nobody sits in: standby admissions may have taken
    // seats that `booked` still counts as free (the group would answer `room_full` after the
    // walk-in was written).
    let room_left = state.admitted + state.standby_admitted < state.capacity;
    // A retry of a scan already answered takes no seat: the group answers it as before (the
    // walk-in's seat, if it made one, is now the pass's reservation).
    let retry = answered_before(tx, scan)?;
    // When the holder stood at the door: now, or when a device without the network scanned. A
    // device that turned the holder away took no seat: its upload makes no walk-in.
    let (at, may_seat) = match scan.mode {
        Mode::Online => (now, true),
        Mode::Offline { scanned_at, .. } => (scanned_at, scan.mode.admitted_offline()),
    };
    let doors_open = !retry
        && may_seat
        && room_left
        && judged.screening.status == ScreeningStatus::Scheduled
        && doors_open_at(&judged) <= at
        && at <= doors_close_at(&judged);
    let mut scan = scan.clone();
    let how = Presented {
        room_left: room_left && judged.screening.status == ScreeningStatus::Scheduled,
        doors_open,
        admitted_offline: !retry && scan.mode.admitted_offline(),
    };
    let (found, shown) = at_door(tx, signer, &scan.verifier, &presented, &judged, how, at)?;
    match found {
        AtDoor::Seat { ticket_code } => scan.route.code = scan.verifier.read(&ticket_code),
        AtDoor::Refused(refusal) => scan.pass_refusal = Some(reason(refusal)),
    }
    let (mut answer, screening) = super::record::record(tx, &[&scan], now)?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a scan without its answer")))??;
    answer.pass = shown;
    Ok((answer, screening))
}

/// Whether this staff member's nonce was answered before.
fn answered_before(tx: &mut Tx<'_>, scan: &Scan) -> Result<bool, AppError> {
    let found: i64 = scans::table
        .filter(scans::staff_id.eq(scan.staff.id.to_string()))
        .filter(scans::nonce.eq(&scan.request.nonce))
        .count()
        .get_result(tx.conn)?;
    Ok(found > 0)
}

/// The reason a refused pass is logged with.
fn reason(refusal: DoorRefusal) -> Reason {
    match refusal {
        DoorRefusal::Forged(CodeError::Signature) => Reason::CodeSignature,
        DoorRefusal::Forged(CodeError::UnknownKey) => Reason::CodeUnknownKey,
        DoorRefusal::Forged(CodeError::Incomplete) => Reason::IncompleteRead,
        DoorRefusal::Forged(CodeError::Format) => Reason::CodeFormat,
        DoorRefusal::Unknown => Reason::NoSuchTicket,
        DoorRefusal::Revoked => Reason::PassRevoked,
        DoorRefusal::NotValid => Reason::PassNotValid,
        DoorRefusal::NoReservation => Reason::NoReservation,
    }
}
