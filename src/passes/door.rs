//! What a pass finds at a door: its reservation's seat, a walk-in's taken on the spot, or why
//! not. Used by [`crate::door`], inside the scan's write, under the screening's lock; and what a
//! door device is told of passes to decide the same way without the network ([`for_doors`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use std::collections::{BTreeMap, HashMap};

use super::queries::{PassRow, PassType, ReservationRow, pass_row, pass_types_of};
use super::record::{counted, held_by, held_of, lock_pass, seat};
use super::rules::{Made, Showing, may_reserve, opens};
use crate::booking::record::{claim, claim_pass_seat};
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

/// How a pass was scanned: whether the door was admitting for the screening then (its doors
/// open, a seat left: a walk-in may be seated), and whether a device without the network let the
/// holder in (its upload: what happened at the door stands where it can).
#[derive(Debug, Clone, Copy)]
pub struct Presented {
    pub doors_open: bool,
    pub admitted_offline: bool,
    /// The screening is scheduled and has a seat nobody holds or sits in (a seat taken again
    /// for a holder let in offline needs one, as a walk-in does).
    pub room_left: bool,
}

/// What a pass finds at a door admitting for `listing`, whose row the caller has locked, at
/// `now` (when it was scanned): its reservation's seat; or, for a pass without one whose type
/// admits walk-ins, a seat taken then and recorded as a reservation; or why not. A holder a
/// device let in offline before the pass was revoked, or before their reservation ended (given
/// back from their phone, released at the release time), was in: their seat is taken again.
pub fn at_door(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    verifier: &TicketVerifier,
    presented: &PresentedPass,
    listing: &ScreeningListing,
    how: Presented,
    now: NaiveDateTime,
) -> Result<(AtDoor, Option<PassAtDoor>), AppError> {
    let found = pass_row(tx.conn, presented.pass)?;
    let genuine = match &found {
        Some((row, _)) if presented.is_issued(&row.code) => Ok(()),
        _ => verifier.check_pass_signature(presented),
    };
    if let Err(error) = genuine {
        return Ok((AtDoor::Refused(DoorRefusal::Forged(error)), None));
    }
    let Some((row, kind)) = found.filter(|(row, _)| presented.is_issued(&row.code)) else {
        return Ok((AtDoor::Refused(DoorRefusal::Unknown), None));
    };
    // Who it belongs to, as the door shows it (in the write's language).
    let shown = PassAtDoor {
        photo_url: super::queries::photo_url(&row),
        id: presented.pass,
        holder_name: row.name.clone(),
        organisation: row.organisation.clone(),
        category: kind.category,
        pass_type: kind.name_in(tx.lang).to_owned(),
    };
    let found = seat_for(tx, signer, presented, listing, how, now, (row, kind))?;
    Ok((found, Some(shown)))
}

/// [`at_door`] for a genuine pass issued here, with its row and type.
fn seat_for(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    presented: &PresentedPass,
    listing: &ScreeningListing,
    how: Presented,
    now: NaiveDateTime,
    (row, kind): (PassRow, PassType),
) -> Result<AtDoor, AppError> {
    let showing = Showing::of(listing);
    let revoked_before = row
        .revoked_at
        .is_none_or(|at| at <= now || !how.admitted_offline);
    if row.status == PassStatus::Revoked.as_str() && revoked_before {
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
    if how.admitted_offline
        && how.room_left
        && let Some(ended) = ended_after(tx, &row.id, &here, now)?
    {
        return reinstate(tx, signer, &showing, &ended, now);
    }
    if !(kind.walk_in && how.doors_open) {
        return Ok(AtDoor::Refused(DoorRefusal::NoReservation));
    }
    let (row, kind) = lock_pass(tx, presented.pass)?;
    let held = held_by(tx, presented.pass)?;
    // A pass revoked after a device let its holder in offline was valid when they walked in.
    let status = match PassStatus::from_db("passes.status", &row.status)? {
        PassStatus::Revoked if !revoked_before => PassStatus::Active,
        status => status,
    };
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

/// The pass's reservation at a screening that ended (given back, released, or with the pass's
/// revocation) after `at`, the latest.
fn ended_after(
    tx: &mut Tx<'_>,
    pass: &str,
    screening: &str,
    at: NaiveDateTime,
) -> Result<Option<ReservationRow>, AppError> {
    Ok(reservations::table
        .filter(reservations::pass_id.eq(pass))
        .filter(reservations::screening_id.eq(screening))
        .filter(reservations::status.ne(ReservationStatus::Reserved.as_str()))
        .filter(reservations::ended_at.gt(at))
        .order(reservations::ended_at.desc())
        .select(ReservationRow::as_select())
        .first(tx.conn)
        .optional()?)
}

/// Seats again a holder a device let in offline on a reservation that ended afterwards (see
/// [`at_door`]), if a seat is left: a reservation of its own. A release that ended it is no
/// longer a no-show. The seats kept for passes count as before: a released seat stayed counted
/// against them (it is now this one), a given-back one did not (this one is).
fn reinstate(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    showing: &Showing<'_>,
    ended: &ReservationRow,
    now: NaiveDateTime,
) -> Result<AtDoor, AppError> {
    let pass = PassId::from_db("reservations.pass_id", &ended.pass_id)?;
    let (row, _) = lock_pass(tx, pass)?;
    let screening = showing.listing.screening.id;
    let released = ended.status == ReservationStatus::Released.as_str();
    let claimed = if released {
        claim(tx.conn, screening, 1)?
    } else {
        claim_pass_seat(tx.conn, screening)?
    };
    if !claimed {
        return Ok(AtDoor::Refused(DoorRefusal::NoReservation));
    }
    if released {
        diesel::update(reservations::table.find(&ended.booking_id))
            .set(reservations::status.eq(ReservationStatus::Cancelled.as_str()))
            .execute(tx.conn)?;
    }
    let reservation = seat(tx, signer, &row, showing, false, now)?;
    let ticket_code: String = tickets::table
        .filter(tickets::booking_id.eq(&reservation.booking_id))
        .select(tickets::code)
        .first(tx.conn)?;
    Ok(AtDoor::Seat { ticket_code })
}

/// A pass as a door device needs it to decide alone: who holds it (no address), which of the
/// door's screenings it opens, where it holds a seat, and where the door may seat it as a walk-in.
/// A pass whose type opens none of the door's screenings is listed without its holder's name or
/// organisation (the door only needs to say it is not valid there).
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
    /// Walk-ins left before its limit in all (null: no limit): a device counts its own against
    /// it.
    pub walk_ins_left: Option<i32>,
    /// Its type's limit per day (null: none), and the seats it holds on each of the door's days
    /// (the venue's date, as `starts_at` begins): a device adds its own walk-ins of the day.
    pub max_per_day: Option<i32>,
    pub held_by_day: BTreeMap<String, i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DoorReservation {
    pub screening_id: String,
    pub ticket_id: String,
}

/// The passes of the festivals of a door's screenings, as a door device decides with them
/// ([`DoorPass`]): the rules of [`at_door`], read once for the whole list — each type's
/// screenings worked out once, and reservations read only for passes that open one.
pub fn for_doors(
    conn: &mut AnyConnection,
    listings: &[ScreeningListing],
    now: NaiveDateTime,
    lang: crate::i18n::Lang,
) -> Result<Vec<DoorPass>, AppError> {
    let mut festivals: Vec<FestivalId> = listings.iter().map(|l| l.screening.festival_id).collect();
    festivals.sort_unstable_by_key(ToString::to_string);
    festivals.dedup();
    let showings: Vec<Showing<'_>> = listings.iter().map(Showing::of).collect();
    // Each type with the door's screenings it opens.
    let mut kinds: HashMap<String, (PassType, Vec<&Showing<'_>>)> = HashMap::new();
    for festival in &festivals {
        for kind in pass_types_of(conn, *festival)? {
            let opened = showings.iter().filter(|s| opens(&kind, s)).collect();
            kinds.insert(kind.id.to_string(), (kind, opened));
        }
    }
    let rows: Vec<PassRow> = passes::table
        .filter(passes::festival_id.eq_any(festivals.iter().map(ToString::to_string)))
        .order(passes::id)
        .select(PassRow::as_select())
        .load(conn)?;
    let opening: Vec<String> = rows
        .iter()
        .filter(|r| {
            kinds
                .get(&r.pass_type_id)
                .is_some_and(|(_, o)| !o.is_empty())
        })
        .map(|r| r.id.clone())
        .collect();
    let mut held: HashMap<String, Vec<_>> = HashMap::new();
    for (row, ticket) in held_of(conn, &opening)? {
        held.entry(row.0.pass_id.clone())
            .or_default()
            .push((row, ticket));
    }
    rows.into_iter()
        .map(|row| {
            let (kind, opened) = kinds
                .get(&row.pass_type_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("a pass without its type")))?;
            let status = PassStatus::from_db("passes.status", &row.status)?;
            let mut pass = DoorPass {
                id: row.id,
                status: status.as_str().to_owned(),
                holder_name: String::new(),
                organisation: String::new(),
                category: kind.category,
                pass_type: kind.name_in(lang).to_owned(),
                opens: opened
                    .iter()
                    .map(|s| s.listing.screening.id.to_string())
                    .collect(),
                reservations: Vec::new(),
                walk_in: Vec::new(),
                walk_ins_left: None,
                max_per_day: kind.max_per_day,
                held_by_day: BTreeMap::new(),
            };
            if opened.is_empty() {
                return Ok(pass);
            }
            (pass.holder_name, pass.organisation) = (row.name, row.organisation);
            let mine = held.remove(&pass.id).unwrap_or_default();
            let rows: Vec<_> = mine.iter().map(|(h, _)| h.clone()).collect();
            let limits = counted(&rows)?;
            pass.reservations = mine
                .iter()
                .filter(|((r, ..), _)| r.status == ReservationStatus::Reserved.as_str())
                .filter(|((r, ..), _)| pass.opens.contains(&r.screening_id))
                .map(|((r, ..), ticket)| DoorReservation {
                    screening_id: r.screening_id.clone(),
                    ticket_id: ticket.clone(),
                })
                .collect();
            pass.walk_in = opened
                .iter()
                .filter(|s| {
                    kind.walk_in && may_reserve(kind, status, s, &limits, Made::WalkIn, now).is_ok()
                })
                .map(|s| s.listing.screening.id.to_string())
                .collect();
            let reserved = limits
                .iter()
                .filter(|h| h.status == ReservationStatus::Reserved);
            pass.walk_ins_left = kind
                .max_reservations
                .map(|max| max - i32::try_from(reserved.clone().count()).unwrap_or(i32::MAX));
            for s in opened {
                let held = reserved.clone().filter(|h| h.day == s.day).count();
                pass.held_by_day
                    .insert(s.day.to_string(), i32::try_from(held).unwrap_or(i32::MAX));
            }
            Ok(pass)
        })
        .collect()
}
