//! What a pass finds at a door: its reservation's seat, a walk-in's taken on the spot, or why
//! not. Used by [`crate::door`], inside the scan's write, under the screening's lock.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::pass_row;
use super::record::{counted, held_by, lock_pass, seat};
use super::rules::{Made, Showing, may_reserve, opens};
use crate::booking::record::claim;
use crate::catalogue::queries::ScreeningListing;
use crate::db::Tx;
use crate::db::schema::{reservations, tickets};
use crate::domain::ticket_code::{CodeError, PresentedPass, TicketSigner, TicketVerifier};
use crate::domain::{PassId, PassStatus, ReservationStatus};
use crate::error::AppError;

/// What a pass finds at a door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtDoor {
    /// Its seat here (reserved, or taken now as a walk-in): the ticket's code, admitted as any
    /// ticket is.
    Seat { ticket_code: String },
    /// Not admitted, and why.
    Refused(DoorRefusal),
}

/// Why a pass is refused at a door before any seat is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorRefusal {
    /// The signature does not check, or names a key this server does not know.
    Forged(CodeError),
    /// A genuine code for a pass that does not exist (any more).
    Unknown,
    Revoked,
    /// Its type does not open this screening.
    NotValid,
    /// No reservation here, and no walk-in (not allowed, doors not open, no seat, or a limit).
    NoReservation,
}

/// Who a pass belongs to, as a door shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PassAtDoor {
    pub id: PassId,
    pub holder_name: String,
    pub organisation: String,
    pub category: crate::domain::PassCategory,
    pub pass_type: String,
}

/// The pass a genuine code names, as a door shows it (`None`: not a pass issued here).
pub fn shown_at_door(
    tx: &mut Tx<'_>,
    presented: &PresentedPass,
) -> Result<Option<PassAtDoor>, AppError> {
    Ok(pass_row(tx.conn, presented.pass)?
        .filter(|(row, _)| presented.is_issued(&row.code))
        .map(|(row, kind)| PassAtDoor {
            id: presented.pass,
            holder_name: row.name,
            organisation: row.organisation,
            category: kind.category,
            pass_type: kind.name,
        }))
}

/// What a pass finds at a door admitting for `listing`, whose row the caller has locked:
/// its reservation's seat; or, for a pass without one whose type admits walk-ins, a seat taken
/// now (`doors_open`: the door is admitting for this screening now) and recorded as a
/// reservation; or why not.
pub fn at_door(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    verifier: &TicketVerifier,
    presented: &PresentedPass,
    listing: &ScreeningListing,
    doors_open: bool,
    now: NaiveDateTime,
) -> Result<AtDoor, AppError> {
    let found = pass_row(tx.conn, presented.pass)?;
    let genuine = match &found {
        Some((row, _)) if presented.is_issued(&row.code) => Ok(()),
        _ => verifier.check_pass_signature(presented),
    };
    if let Err(error) = genuine {
        return Ok(AtDoor::Refused(DoorRefusal::Forged(error)));
    }
    let Some((row, kind)) = found.filter(|(row, _)| presented.is_issued(&row.code)) else {
        return Ok(AtDoor::Refused(DoorRefusal::Unknown));
    };
    let showing = Showing::of(listing);
    if row.status == PassStatus::Revoked.as_str() {
        return Ok(AtDoor::Refused(DoorRefusal::Revoked));
    }
    if !opens(&kind, &showing) {
        return Ok(AtDoor::Refused(DoorRefusal::NotValid));
    }
    let here = listing.screening.id.to_string();
    let reserved: Option<String> = reservations::table
        .inner_join(tickets::table.on(tickets::booking_id.eq(reservations::booking_id)))
        .filter(reservations::pass_id.eq(&row.id))
        .filter(reservations::screening_id.eq(&here))
        .filter(reservations::status.eq(ReservationStatus::Reserved.as_str()))
        .filter(tickets::status.eq(crate::domain::TicketStatus::Valid.as_str()))
        .select(tickets::code)
        .first(tx.conn)
        .optional()?;
    if let Some(ticket_code) = reserved {
        return Ok(AtDoor::Seat { ticket_code });
    }
    if !(kind.walk_in && doors_open) {
        return Ok(AtDoor::Refused(DoorRefusal::NoReservation));
    }
    let (row, kind) = lock_pass(tx, presented.pass)?;
    let held = held_by(tx, presented.pass)?;
    let status = PassStatus::from_db("passes.status", &row.status)?;
    if may_reserve(&kind, status, &showing, &counted(&held)?, Made::WalkIn, now).is_err()
        || !claim(tx.conn, listing.screening.id, 1)?
    {
        return Ok(AtDoor::Refused(DoorRefusal::NoReservation));
    }
    let reservation = seat(tx, signer, &row, &showing, true, now)?;
    let ticket_code: String = tickets::table
        .filter(tickets::booking_id.eq(&reservation.booking_id))
        .select(tickets::code)
        .first(tx.conn)?;
    Ok(AtDoor::Seat { ticket_code })
}
