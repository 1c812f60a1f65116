//! What a pass finds at a door: its reservation's seat, a walk-in's taken on the spot, or why
//! not. Used by [`crate::door`], inside the scan's write, under the screening's lock; and what a
//! door device is told of passes to decide the same way without the network ([`for_doors`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use std::collections::HashMap;

use super::queries::{PassRow, PassType, pass_row, pass_types_of};
use super::record::{counted, held_by, held_of, lock_pass, seat};
use super::rules::{Made, Showing, may_reserve, opens};
use crate::booking::record::claim_pass_seat;
use crate::catalogue::queries::ScreeningListing;
use crate::db::AnyConnection;
use crate::db::Tx;
use crate::db::schema::{passes, reservations, tickets};
use crate::domain::ticket_code::{CodeError, PresentedPass, TicketSigner, TicketVerifier};
use crate::domain::{FestivalId, PassId, PassStatus, ReservationStatus};
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
    /// Where the holder's photo is, when it has one (door staff of its festival may see it).
    #[serde(default)]
    pub photo_url: Option<String>,
}

/// The pass a genuine code names, as a door shows it (`None`: not a pass issued here).
pub fn shown_at_door(
    tx: &mut Tx<'_>,
    presented: &PresentedPass,
) -> Result<Option<PassAtDoor>, AppError> {
    Ok(pass_row(tx.conn, presented.pass)?
        .filter(|(row, _)| presented.is_issued(&row.code))
        .map(|(row, kind)| PassAtDoor {
            photo_url: super::queries::photo_url(&row),
            id: presented.pass,
            holder_name: row.name,
            organisation: row.organisation,
            category: kind.category,
            pass_type: kind.name_in(crate::i18n::current()).to_owned(),
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
        || !claim_pass_seat(tx.conn, listing.screening.id)?
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

/// A pass as a door device needs it to decide alone: who holds it (no address), which of the
/// door's screenings it opens, where it holds a seat, and where the door may seat it as a walk-in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DoorPass {
    pub id: String,
    /// `active`, or `revoked`.
    pub status: String,
    pub holder_name: String,
    pub organisation: String,
    pub category: crate::domain::PassCategory,
    pub pass_type: String,
    /// The door's screenings its type opens (its days, films and venues).
    pub opens: Vec<String>,
    /// Its seats at the door's screenings: the ticket each reservation holds (in the bundle's
    /// `tickets`, where its admission shows).
    pub reservations: Vec<DoorReservation>,
    /// The door's screenings where, without a reservation, it may be seated on the spot while
    /// seats are left and the doors are open: its type admits walk-ins and its limits (as they
    /// stood when the list was made) allow one more.
    pub walk_in: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DoorReservation {
    pub screening_id: String,
    pub ticket_id: String,
}

/// The passes of the festivals of a door's screenings, as a door device decides with them
/// ([`DoorPass`]): the rules of [`at_door`], read once for the whole list.
pub fn for_doors(
    conn: &mut AnyConnection,
    listings: &[ScreeningListing],
    now: NaiveDateTime,
) -> Result<Vec<DoorPass>, AppError> {
    let mut festivals: Vec<FestivalId> = listings.iter().map(|l| l.screening.festival_id).collect();
    festivals.sort_unstable_by_key(ToString::to_string);
    festivals.dedup();
    let mut kinds: HashMap<String, PassType> = HashMap::new();
    for festival in &festivals {
        kinds.extend(
            pass_types_of(conn, *festival)?
                .into_iter()
                .map(|k| (k.id.to_string(), k)),
        );
    }
    let rows: Vec<PassRow> = passes::table
        .filter(passes::festival_id.eq_any(festivals.iter().map(ToString::to_string)))
        .order(passes::id)
        .select(PassRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut held: HashMap<String, Vec<_>> = HashMap::new();
    for (row, ticket) in held_of(conn, &ids)? {
        held.entry(row.0.pass_id.clone())
            .or_default()
            .push((row, ticket));
    }
    let showings: Vec<Showing<'_>> = listings.iter().map(Showing::of).collect();
    rows.into_iter()
        .map(|row| {
            let kind = kinds
                .get(&row.pass_type_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("a pass without its type")))?;
            let status = PassStatus::from_db("passes.status", &row.status)?;
            let mine = held.remove(&row.id).unwrap_or_default();
            let rows: Vec<_> = mine.iter().map(|(h, _)| h.clone()).collect();
            let limits = counted(&rows)?;
            let opened: Vec<&Showing<'_>> = showings.iter().filter(|s| opens(kind, s)).collect();
            let reservations: Vec<DoorReservation> = mine
                .iter()
                .filter(|((r, ..), _)| r.status == ReservationStatus::Reserved.as_str())
                .filter(|((r, ..), _)| {
                    opened
                        .iter()
                        .any(|s| s.listing.screening.id.to_string() == r.screening_id)
                })
                .map(|((r, ..), ticket)| DoorReservation {
                    screening_id: r.screening_id.clone(),
                    ticket_id: ticket.clone(),
                })
                .collect();
            let walk_in = opened
                .iter()
                .filter(|s| {
                    kind.walk_in && may_reserve(kind, status, s, &limits, Made::WalkIn, now).is_ok()
                })
                .map(|s| s.listing.screening.id.to_string())
                .collect();
            Ok(DoorPass {
                id: row.id,
                status: status.as_str().to_owned(),
                holder_name: row.name,
                organisation: row.organisation,
                category: kind.category,
                pass_type: kind.name_in(crate::i18n::current()).to_owned(),
                opens: opened
                    .iter()
                    .map(|s| s.listing.screening.id.to_string())
                    .collect(),
                reservations,
                walk_in,
            })
        })
        .collect()
}
