//! Writing passes: types, issuing, revoking, reservations, and what a pass finds at a door.
//!
//! Every rule of a reservation is decided inside the write that makes it, on rows read under two
//! locks taken in one order — the screening's row first (as every write to its seats), then the
//! pass's row (`UPDATE passes SET reservations_made = reservations_made + 1`): two reservations
//! of one pass, on two instances at once, are decided one after the other, the second seeing the
//! first. The seat itself is taken with the bookings' conditional update ([`claim`]), and the
//! partial unique index `reservations_once` refuses a second reservation of a pass at a
//! screening whatever the code above it says.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::input::{Holder, PassRequest, PassTypeRequest};
use super::queries::{
    Pass, PassRow, PassType, PassTypeRow, Reservation, ReservationRow, ids_text, pass_row,
    pass_type,
};
use crate::booking::record::{PassSeat, claim, issue_pass_seat, take_seats};
use crate::catalogue::queries::ScreeningListing;
use crate::db::schema::{
    films, pass_tokens, pass_types, passes, reservations, screenings, tickets, venues,
};
use crate::db::{Tx, lock_screenings};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::ticket_code::{CodeError, PresentedPass, TicketSigner, TicketVerifier};
use crate::domain::{
    BookingId, FestivalId, InputError, PassId, PassStatus, PassTypeId, ReservationStatus,
    ScreeningId, ScreeningStatus,
};
use crate::error::{AppError, Refusal, Thing};

/// How long the no-show rule holds a pass back after its last no-show.
pub const NO_SHOW_HOLD: Duration = Duration::hours(24);

/// Creates a pass type for a festival. Its films and venues must exist.
pub fn create_type(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    request: &PassTypeRequest,
    now: NaiveDateTime,
) -> Result<PassType, AppError> {
    crate::catalogue::queries::festival(tx.conn, festival)?
        .ok_or_else(|| AppError::not_found(Thing::Festival))?;
    let film_ids: Vec<String> = request.films.iter().map(ToString::to_string).collect();
    let known: i64 = films::table
        .filter(films::id.eq_any(&film_ids))
        .count()
        .get_result(tx.conn)?;
    if usize::try_from(known).ok() != Some(film_ids.len()) {
        return Err(InputError::new("film_ids", crate::msg!("error-pass-unknown-film")).into());
    }
    let venue_ids: Vec<String> = request.venues.iter().map(ToString::to_string).collect();
    let known: i64 = venues::table
        .filter(venues::id.eq_any(&venue_ids))
        .count()
        .get_result(tx.conn)?;
    if usize::try_from(known).ok() != Some(venue_ids.len()) {
        return Err(InputError::new("venue_ids", crate::msg!("error-pass-unknown-venue")).into());
    }
    // A list names types by name, whatever its case: two names differing only in case would be
    // one name there.
    let taken = super::queries::pass_types_of(tx.conn, festival)?
        .iter()
        .any(|k| k.name.to_lowercase() == request.name.to_lowercase());
    if taken {
        return Err(AppError::conflict(
            Refusal::AlreadyExists,
            crate::msg!("error-pass-type-exists"),
        ));
    }
    let row = PassTypeRow {
        id: PassTypeId::new().to_string(),
        festival_id: festival.to_string(),
        name: request.name.clone(),
        category: request.category.as_str().to_owned(),
        valid_from: request.valid_from,
        valid_until: request.valid_until,
        film_ids: ids_text(&request.films),
        venue_ids: ids_text(&request.venues),
        max_reservations: request.max_reservations,
        max_per_day: request.max_per_day,
        max_held: request.max_held,
        walk_in: request.walk_in,
        release_minutes: request.release_minutes,
        no_show_limit: request.no_show_limit,
        created_at: now,
    };
    diesel::insert_into(pass_types::table)
        .values(&row)
        .execute(tx.conn)?;
    PassType::try_from(row)
}

/// A pass issued, or found already issued to the same person with the same type.
#[derive(Debug, Clone)]
pub enum Issued {
    /// New: with its manage token, which exists in clear only now.
    New { pass: Pass, manage_token: String },
    /// The holder (by address) already has a pass of this type: nothing was written.
    Existing(Pass),
}

/// Issues a pass of a type of `festival` to a holder; a holder is their address within a type
/// (issuing again changes nothing: [`Issued::Existing`]).
pub fn issue(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    festival: FestivalId,
    request: &PassRequest,
    now: NaiveDateTime,
) -> Result<Issued, AppError> {
    let kind = pass_type(tx.conn, request.pass_type)?
        .filter(|kind| kind.festival_id == festival)
        .ok_or_else(|| {
            AppError::from(InputError::new(
                "pass_type_id",
                crate::msg!("error-pass-type-unknown"),
            ))
        })?;
    let holder = &request.holder;
    let festival_id = festival.to_string();
    let person = crate::db::people::resolve_at_festivals(
        tx.conn,
        &[(festival_id.as_str(), holder.email.as_str())],
        now,
    )?
    .pop()
    .ok_or_else(|| AppError::internal(anyhow::anyhow!("no pseudonym was made")))?;
    let existing: Option<PassRow> = passes::table
        .filter(passes::pass_type_id.eq(kind.id.to_string()))
        .filter(passes::person_id.eq(&person))
        .select(PassRow::as_select())
        .first(tx.conn)
        .optional()?;
    if let Some(row) = existing {
        return Ok(Issued::Existing(Pass::of(row, &kind)?));
    }
    let id = PassId::new();
    let manage_token = new_token();
    let row = new_row(
        id,
        festival,
        &kind,
        person,
        holder,
        signer,
        &manage_token,
        now,
    );
    diesel::insert_into(passes::table)
        .values(&row)
        .execute(tx.conn)?;
    // The pass by mail: recorded with it, sent after the commit.
    crate::db::outbox::enqueue_for_pass(tx.conn, &row.id, &row.email, &row.lang, now)?;
    Ok(Issued::New {
        pass: Pass::of(row, &kind)?,
        manage_token,
    })
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row's columns, each from its own source"
)]
fn new_row(
    id: PassId,
    festival: FestivalId,
    kind: &PassType,
    person: String,
    holder: &Holder,
    signer: &TicketSigner,
    manage_token: &str,
    now: NaiveDateTime,
) -> PassRow {
    PassRow {
        id: id.to_string(),
        festival_id: festival.to_string(),
        pass_type_id: kind.id.to_string(),
        person_id: person,
        name: holder.name.clone(),
        email: holder.email.as_str().to_owned(),
        organisation: holder.organisation.clone(),
        country: holder
            .country
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        lang: holder.lang.code().to_owned(),
        code: signer.sign_pass(id, festival),
        manage_token_hash: hash_token(manage_token),
        status: PassStatus::Active.as_str().to_owned(),
        reservations_made: 0,
        created_at: now,
        revoked_at: None,
    }
}

/// A fresh private link token to a pass's page (each mail carries its own; stored hashed).
pub fn add_pass_token(
    conn: &mut crate::db::AnyConnection,
    pass: PassId,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let token = new_token();
    diesel::insert_into(pass_tokens::table)
        .values((
            pass_tokens::token_hash.eq(hash_token(&token)),
            pass_tokens::pass_id.eq(pass.to_string()),
            pass_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The pass a private link token opens: its manage token (made when it was issued) or a mailed
/// link's (`None`: no such pass).
pub fn pass_by_token(
    conn: &mut crate::db::AnyConnection,
    token: &str,
) -> Result<Option<PassId>, AppError> {
    let hash = hash_token(token);
    let issued: Option<String> = passes::table
        .filter(passes::manage_token_hash.eq(&hash))
        .select(passes::id)
        .first(conn)
        .optional()?;
    let id = match issued {
        Some(id) => Some(id),
        None => pass_tokens::table
            .find(&hash)
            .select(pass_tokens::pass_id)
            .first(conn)
            .optional()?,
    };
    Ok(id.map(|id| PassId::from_db("passes.id", &id)).transpose()?)
}

/// Mails a pass to its holder again. A revoked pass is not sent.
pub fn resend(tx: &mut Tx<'_>, id: PassId, now: NaiveDateTime) -> Result<Pass, AppError> {
    let (row, kind) = pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
    if row.status == PassStatus::Revoked.as_str() {
        return Err(AppError::conflict(
            Refusal::PassRevoked,
            crate::msg!("error-pass-revoked"),
        ));
    }
    if row.email.is_empty() {
        // Erased: there is nobody to write to.
        return Err(AppError::conflict(
            Refusal::NotCancellable,
            crate::msg!("error-pass-erased"),
        ));
    }
    crate::db::outbox::enqueue_for_pass(tx.conn, &row.id, &row.email, &row.lang, now)?;
    Pass::of(row, &kind)
}

/// Whether `token` is the pass's manage token (compared by its hash, in constant time).
pub fn token_opens(row: &PassRow, token: &str) -> bool {
    let (a, b) = (hash_token(token), &row.manage_token_hash);
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// Revokes a pass: refused at every door from now on, its seats at screenings still to come
/// given back (to the waiting list first). Revoking twice changes nothing.
pub fn revoke(tx: &mut Tx<'_>, id: PassId, now: NaiveDateTime) -> Result<Pass, AppError> {
    let (row, kind) = pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
    if row.status == PassStatus::Revoked.as_str() {
        return Pass::of(row, &kind);
    }
    let to_come = |tx: &mut Tx<'_>| -> Result<Vec<ReservationRow>, AppError> {
        Ok(reservations::table
            .inner_join(screenings::table)
            .filter(reservations::pass_id.eq(id.to_string()))
            .filter(reservations::status.eq(ReservationStatus::Reserved.as_str()))
            .filter(screenings::starts_at.gt(now))
            .order(reservations::screening_id)
            .select(ReservationRow::as_select())
            .load(tx.conn)?)
    };
    let held = to_come(tx)?;
    let screenings = held
        .iter()
        .map(|r| ScreeningId::from_db("reservations.screening_id", &r.screening_id))
        .collect::<Result<Vec<_>, _>>()?;
    // Screenings first, in their order, then the pass: the lock order of every pass write.
    lock_screenings(tx.conn, &screenings)?;
    lock_pass(tx, id)?;
    // Read again under the pass's lock: a reservation made between the read and the lock, at a
    // screening not locked here, would not be given back behind its screening's lock. The write
    // runs again (a transient failure), reading it this time.
    let held_now = to_come(tx)?;
    if held_now
        .iter()
        .any(|r| !held.iter().any(|h| h.booking_id == r.booking_id))
    {
        return Err(AppError::Transient(anyhow::anyhow!(
            "a reservation of the pass being revoked was made meanwhile"
        )));
    }
    for reservation in &held_now {
        end_reservation(tx, reservation, ReservationStatus::Cancelled, now)?;
    }
    diesel::update(passes::table.find(id.to_string()))
        .set((
            passes::status.eq(PassStatus::Revoked.as_str()),
            passes::revoked_at.eq(Some(now)),
        ))
        .execute(tx.conn)?;
    let (row, kind) = pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
    Pass::of(row, &kind)
}

/// Ends a reservation not yet used: its seat given back (to the waiting list first), the
/// reservation marked `status`. A reservation already used is left as it is.
pub(super) fn end_reservation(
    tx: &mut Tx<'_>,
    reservation: &ReservationRow,
    status: ReservationStatus,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let booking = BookingId::from_db("reservations.booking_id", &reservation.booking_id)?;
    let used: Option<NaiveDateTime> = tickets::table
        .filter(tickets::booking_id.eq(&reservation.booking_id))
        .select(tickets::admitted_at)
        .first(tx.conn)?;
    if used.is_some() {
        return Ok(false);
    }
    crate::booking::cancel::cancel_pass_seat(tx, booking, now)?;
    diesel::update(reservations::table.find(&reservation.booking_id))
        .set((
            reservations::status.eq(status.as_str()),
            reservations::ended_at.eq(Some(now)),
        ))
        .execute(tx.conn)?;
    Ok(true)
}

/// A screening as a pass's rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Showing<'a> {
    pub listing: &'a ScreeningListing,
    /// Its day in its venue's calendar.
    pub day: NaiveDate,
}

impl<'a> Showing<'a> {
    pub fn of(listing: &'a ScreeningListing) -> Showing<'a> {
        Showing {
            listing,
            day: local_day(listing.screening.starts_at, listing.zone()),
        }
    }
}

/// The day of `at` in a venue's calendar.
fn local_day(at: NaiveDateTime, zone: chrono_tz::Tz) -> NaiveDate {
    chrono::TimeZone::from_utc_datetime(&zone, &at).date_naive()
}

/// Whether a pass of `kind` opens `showing` at all: its festival, its days, its films and venues.
pub fn opens(kind: &PassType, showing: &Showing<'_>) -> bool {
    let screening = &showing.listing.screening;
    kind.festival_id == screening.festival_id
        && kind.valid_from.is_none_or(|from| showing.day >= from)
        && kind.valid_until.is_none_or(|until| showing.day <= until)
        && (kind.film_ids.is_empty() || kind.film_ids.contains(&screening.film_id))
        && (kind.venue_ids.is_empty() || kind.venue_ids.contains(&screening.venue_id))
}

/// A reservation of the pass, as its limits count it.
#[derive(Debug, Clone)]
pub struct Held {
    pub status: ReservationStatus,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub day: NaiveDate,
    pub admitted: bool,
    pub ended_at: Option<NaiveDateTime>,
}

/// How a reservation is being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// On the pass page or through the API, by the holder or an organiser.
    Ahead,
    /// At the door, for a pass without a reservation: the holder is here, so another
    /// reservation overlapping this one no longer holds them anywhere else.
    WalkIn,
}

/// The rule of a reservation, over what was read under the locks: a pure function, tested beside
/// it. `Ok` when the pass may hold a seat at `showing`; the seat itself is the bookings' rule.
pub fn may_reserve(
    kind: &PassType,
    status: PassStatus,
    showing: &Showing<'_>,
    held: &[Held],
    made: Made,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if status == PassStatus::Revoked {
        return Err(AppError::conflict(
            Refusal::PassRevoked,
            crate::msg!("error-pass-revoked"),
        ));
    }
    if !opens(kind, showing) {
        return Err(AppError::conflict(
            Refusal::NotValidForScreening,
            crate::msg!("error-pass-not-valid"),
        ));
    }
    let screening = &showing.listing.screening;
    if screening.status == ScreeningStatus::Cancelled {
        return Err(crate::booking::queries::screening_cancelled());
    }
    if made == Made::Ahead && screening.starts_at <= now {
        return Err(AppError::conflict(
            Refusal::BookingClosed,
            crate::msg!("error-booking-closed"),
        ));
    }
    let reserved: Vec<&Held> = held
        .iter()
        .filter(|h| h.status == ReservationStatus::Reserved)
        .collect();
    if let Some(until) = held_back_until(kind, held, now) {
        return Err(AppError::conflict(
            Refusal::QuotaReached,
            crate::msg!(
                "error-pass-no-shows",
                count = kind.no_show_limit.unwrap_or_default(),
                until = crate::domain::format::rfc3339(until, showing.listing.zone())
            ),
        ));
    }
    let over = |limit: Option<i32>, count: usize| {
        limit.is_some_and(|limit| usize::try_from(limit).is_ok_and(|limit| count >= limit))
    };
    let on_day = reserved.iter().filter(|h| h.day == showing.day).count();
    let to_come = reserved
        .iter()
        .filter(|h| h.starts_at > now && !h.admitted)
        .count();
    if over(kind.max_reservations, reserved.len())
        || over(kind.max_per_day, on_day)
        || (made == Made::Ahead && over(kind.max_held, to_come))
    {
        return Err(AppError::conflict(
            Refusal::QuotaReached,
            crate::msg!("error-pass-quota"),
        ));
    }
    if made == Made::Ahead
        && reserved
            .iter()
            .any(|h| h.starts_at < screening.ends_at && screening.starts_at < h.ends_at)
    {
        return Err(AppError::conflict(
            Refusal::Overlaps,
            crate::msg!("error-pass-overlaps"),
        ));
    }
    Ok(())
}

/// Until when the no-show rule holds the pass back (`None`: it does not). A no-show is a
/// reservation released unused, or one still unused once its screening has ended; the hold lasts
/// [`NO_SHOW_HOLD`] from the last of them, once there are at least the type's limit.
pub fn held_back_until(
    kind: &PassType,
    held: &[Held],
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let limit = usize::try_from(kind.no_show_limit?).ok()?;
    let missed: Vec<NaiveDateTime> = held
        .iter()
        .filter_map(|h| match h.status {
            ReservationStatus::Released => Some(h.ended_at.unwrap_or(h.starts_at)),
            ReservationStatus::Reserved if !h.admitted && h.ends_at <= now => Some(h.ends_at),
            _ => None,
        })
        .collect();
    let last = missed.iter().max()?;
    (missed.len() >= limit && now < *last + NO_SHOW_HOLD).then_some(*last + NO_SHOW_HOLD)
}

/// Locks the pass's row (after the screening's: see the module) and reads it with its type.
pub(super) fn lock_pass(tx: &mut Tx<'_>, id: PassId) -> Result<(PassRow, PassType), AppError> {
    let locked = diesel::update(passes::table.find(id.to_string()))
        .set(passes::reservations_made.eq(passes::reservations_made + 1))
        .execute(tx.conn)?;
    if locked != 1 {
        return Err(AppError::not_found(Thing::Pass));
    }
    pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))
}

/// A screening's start and end (as they are now), its venue's time zone and its status.
type Times = (NaiveDateTime, NaiveDateTime, String, String);
/// A reservation of the pass with its screening's times, and whether its seat was used.
type HeldRow = (ReservationRow, Times, bool);

/// The pass's reservations, as its limits count them.
fn held_by(tx: &mut Tx<'_>, id: PassId) -> Result<Vec<HeldRow>, AppError> {
    let rows: Vec<(ReservationRow, Times, Option<NaiveDateTime>)> = reservations::table
        .inner_join(screenings::table.inner_join(venues::table))
        .inner_join(tickets::table.on(tickets::booking_id.eq(reservations::booking_id)))
        .filter(reservations::pass_id.eq(id.to_string()))
        .select((
            ReservationRow::as_select(),
            (
                screenings::starts_at,
                screenings::ends_at,
                venues::timezone,
                screenings::status,
            ),
            tickets::admitted_at,
        ))
        .load(tx.conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, times, admitted)| (row, times, admitted.is_some()))
        .collect())
}

/// The reservations the pass's limits count: those at screenings still held (a cancelled
/// screening holds nobody's seat, and missing it is no no-show).
fn counted(rows: &[HeldRow]) -> Result<Vec<Held>, AppError> {
    rows.iter()
        .filter(|(_, (.., status), _)| status == ScreeningStatus::Scheduled.as_str())
        .map(|(row, (starts_at, ends_at, zone, _), admitted)| {
            Ok(Held {
                status: ReservationStatus::from_db("reservations.status", &row.status)?,
                starts_at: *starts_at,
                ends_at: *ends_at,
                day: local_day(*starts_at, crate::domain::format::zone(zone)),
                admitted: *admitted,
                ended_at: row.ended_at,
            })
        })
        .collect()
}

/// Reserves a seat for a pass at a screening, or says exactly why not (see [`may_reserve`]; a
/// full room is `sold_out`, as for a booking).
pub fn reserve(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    id: PassId,
    screening: ScreeningId,
    now: NaiveDateTime,
) -> Result<Reservation, AppError> {
    lock_screenings(tx.conn, &[screening])?;
    let listing = crate::catalogue::queries::screening_listing(tx.conn, screening)?
        .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let (row, kind) = lock_pass(tx, id)?;
    let showing = Showing::of(&listing);
    let held = held_by(tx, id)?;
    if held.iter().any(|(r, ..)| {
        r.screening_id == screening.to_string() && r.status == ReservationStatus::Reserved.as_str()
    }) {
        return Err(AppError::conflict(
            Refusal::AlreadyReserved,
            crate::msg!("error-pass-already-reserved"),
        ));
    }
    let status = PassStatus::from_db("passes.status", &row.status)?;
    may_reserve(&kind, status, &showing, &counted(&held)?, Made::Ahead, now)?;
    take_seats(tx, screening, 1, now)?;
    let reservation = seat(tx, signer, &row, &showing, false, now)?;
    Reservation::of(&reservation, listing.screening.starts_at, None)
}

/// Writes a pass's seat, already taken: its booking and ticket, and the reservation.
fn seat(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    pass: &PassRow,
    showing: &Showing<'_>,
    walk_in: bool,
    now: NaiveDateTime,
) -> Result<ReservationRow, AppError> {
    let screening = showing.listing.screening.id;
    let booking = issue_pass_seat(
        tx,
        signer,
        screening,
        &PassSeat {
            person: &pass.person_id,
            name: &pass.name,
            email: &pass.email,
            country: &pass.country,
            lang: crate::domain::status::stored_lang("passes.lang", &pass.lang)?,
        },
        now,
    )?;
    let row = ReservationRow {
        booking_id: booking.to_string(),
        pass_id: pass.id.clone(),
        screening_id: screening.to_string(),
        status: ReservationStatus::Reserved.as_str().to_owned(),
        walk_in,
        created_at: now,
        ended_at: None,
    };
    diesel::insert_into(reservations::table)
        .values(&row)
        .execute(tx.conn)?;
    Ok(row)
}

/// Gives back a pass's seat at a screening (to the waiting list first). A seat already used
/// cannot be given back.
pub fn cancel_reservation(
    tx: &mut Tx<'_>,
    id: PassId,
    screening: ScreeningId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    lock_screenings(tx.conn, &[screening])?;
    lock_pass(tx, id)?;
    let starts_at: NaiveDateTime = screenings::table
        .find(screening.to_string())
        .select(screenings::starts_at)
        .first(tx.conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    if starts_at <= now {
        // A seat not used by the start is a no-show, not a seat given back.
        return Err(AppError::conflict(
            Refusal::BookingClosed,
            crate::msg!("error-pass-give-back-closed"),
        ));
    }
    let reservation: ReservationRow = reservations::table
        .filter(reservations::pass_id.eq(id.to_string()))
        .filter(reservations::screening_id.eq(screening.to_string()))
        .filter(reservations::status.eq(ReservationStatus::Reserved.as_str()))
        .select(ReservationRow::as_select())
        .first(tx.conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Reservation))?;
    if end_reservation(tx, &reservation, ReservationStatus::Cancelled, now)? {
        Ok(())
    } else {
        Err(AppError::conflict(
            Refusal::AlreadyAdmitted,
            crate::msg!("error-pass-seat-used"),
        ))
    }
}

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

#[cfg(test)]
mod tests {
    //! The rule of a reservation, case by case, without a database.
    use chrono::NaiveDate;

    use super::*;
    use crate::catalogue::queries::{Film, Screening, Venue};
    use crate::domain::{FilmId, PassCategory, VenueId};

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .unwrap()
    }

    fn listing(festival: FestivalId, day: u32, hour: u32) -> ScreeningListing {
        ScreeningListing {
            screening: Screening {
                id: ScreeningId::new(),
                festival_id: festival,
                film_id: FilmId::new(),
                venue_id: VenueId::new(),
                room: "Grande Salle".to_owned(),
                starts_at: at(day, hour),
                ends_at: at(day, hour) + Duration::hours(2),
                capacity: 100,
                booked: 0,
                admitted: 0,
                doors_open_minutes: 45,
                doors_close_minutes: 30,
                status: ScreeningStatus::Scheduled,
            },
            film: Film {
                id: FilmId::new(),
                title: "Mưa đỏ".to_owned(),
                original_title: String::new(),
                director: String::new(),
                year: 2025,
                runtime_minutes: 120,
                country: "VN".to_owned(),
                language: String::new(),
                subtitles: String::new(),
                synopsis: String::new(),
            },
            venue: Venue {
                id: VenueId::new(),
                name: "Pathé Palace".to_owned(),
                city: "Paris".to_owned(),
                address: String::new(),
                timezone: "Europe/Paris".to_owned(),
                rooms: Vec::new(),
            },
        }
    }

    fn kind(festival: FestivalId) -> PassType {
        PassType {
            id: PassTypeId::new(),
            festival_id: festival,
            name: "Press".to_owned(),
            category: PassCategory::Press,
            valid_from: None,
            valid_until: None,
            film_ids: Vec::new(),
            venue_ids: Vec::new(),
            max_reservations: None,
            max_per_day: None,
            max_held: None,
            walk_in: false,
            release_minutes: 10,
            no_show_limit: None,
        }
    }

    fn held(listing: &ScreeningListing, status: ReservationStatus, admitted: bool) -> Held {
        Held {
            status,
            starts_at: listing.screening.starts_at,
            ends_at: listing.screening.ends_at,
            day: Showing::of(listing).day,
            admitted,
            ended_at: None,
        }
    }

    fn refusal(result: Result<(), AppError>) -> &'static str {
        match result {
            Err(AppError::Conflict { refusal, .. }) => refusal.code(),
            other => panic!("not a refusal: {other:?}"),
        }
    }

    #[test]
    fn a_pass_opens_only_its_festival_days_films_and_venues() {
        let festival = FestivalId::new();
        let here = listing(festival, 12, 19);
        let showing = Showing::of(&here);
        assert!(opens(&kind(festival), &showing));
        assert!(!opens(&kind(FestivalId::new()), &showing));
        let mut days = kind(festival);
        days.valid_from = NaiveDate::from_ymd_opt(2026, 12, 13);
        assert!(!opens(&days, &showing));
        days.valid_from = NaiveDate::from_ymd_opt(2026, 12, 12);
        days.valid_until = NaiveDate::from_ymd_opt(2026, 12, 12);
        assert!(opens(&days, &showing));
        let mut films = kind(festival);
        films.film_ids = vec![FilmId::new()];
        assert!(!opens(&films, &showing));
        films.film_ids.push(here.screening.film_id);
        assert!(opens(&films, &showing));
        let mut venues = kind(festival);
        venues.venue_ids = vec![VenueId::new()];
        assert!(!opens(&venues, &showing));
    }

    #[test]
    fn the_day_is_the_venues_day_not_utc() {
        // 23:30 UTC on the 12th is 00:30 on the 13th in Paris.
        let mut late = listing(FestivalId::new(), 12, 23);
        late.screening.starts_at += Duration::minutes(30);
        assert_eq!(
            Showing::of(&late).day,
            NaiveDate::from_ymd_opt(2026, 12, 13).unwrap()
        );
    }

    #[test]
    fn limits_overlaps_and_revocation_are_refused_by_name() {
        let festival = FestivalId::new();
        let now = at(10, 12);
        let here = listing(festival, 12, 19);
        let showing = Showing::of(&here);
        let other_day = listing(festival, 13, 19);
        let same_evening = listing(festival, 12, 20);
        let k = kind(festival);
        let active = PassStatus::Active;
        assert!(may_reserve(&k, active, &showing, &[], Made::Ahead, now).is_ok());
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Revoked,
                &showing,
                &[],
                Made::Ahead,
                now
            )),
            "revoked"
        );
        let overlapping = [held(&same_evening, ReservationStatus::Reserved, false)];
        assert_eq!(
            refusal(may_reserve(
                &k,
                active,
                &showing,
                &overlapping,
                Made::Ahead,
                now
            )),
            "overlaps"
        );
        // Given back: no longer in the way.
        let given_back = [held(&same_evening, ReservationStatus::Cancelled, false)];
        assert!(may_reserve(&k, active, &showing, &given_back, Made::Ahead, now).is_ok());
        // A walk-in is here: what it overlaps no longer holds them.
        assert!(may_reserve(&k, active, &showing, &overlapping, Made::WalkIn, now).is_ok());
        let one = [held(&other_day, ReservationStatus::Reserved, false)];
        let limited = |set: fn(&mut PassType)| {
            let mut k = kind(festival);
            set(&mut k);
            k
        };
        let total = limited(|k| k.max_reservations = Some(1));
        assert_eq!(
            refusal(may_reserve(
                &total,
                active,
                &showing,
                &one,
                Made::Ahead,
                now
            )),
            "quota_reached"
        );
        let per_day = limited(|k| k.max_per_day = Some(1));
        assert!(may_reserve(&per_day, active, &showing, &one, Made::Ahead, now).is_ok());
        let same_day = [held(
            &listing(festival, 12, 10),
            ReservationStatus::Reserved,
            false,
        )];
        assert_eq!(
            refusal(may_reserve(
                &per_day,
                active,
                &showing,
                &same_day,
                Made::Ahead,
                now
            )),
            "quota_reached"
        );
        let at_once = limited(|k| k.max_held = Some(1));
        assert_eq!(
            refusal(may_reserve(
                &at_once,
                active,
                &showing,
                &one,
                Made::Ahead,
                now
            )),
            "quota_reached"
        );
        // Used already: no longer held for the future.
        let used = [held(&other_day, ReservationStatus::Reserved, true)];
        assert!(may_reserve(&at_once, active, &showing, &used, Made::Ahead, now).is_ok());
    }

    #[test]
    fn a_started_or_cancelled_screening_takes_no_reservation_ahead() {
        let festival = FestivalId::new();
        let mut here = listing(festival, 12, 19);
        let k = kind(festival);
        let during = at(12, 19);
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Active,
                &Showing::of(&here),
                &[],
                Made::Ahead,
                during
            )),
            "booking_closed"
        );
        assert!(
            may_reserve(
                &k,
                PassStatus::Active,
                &Showing::of(&here),
                &[],
                Made::WalkIn,
                during
            )
            .is_ok()
        );
        here.screening.status = ScreeningStatus::Cancelled;
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Active,
                &Showing::of(&here),
                &[],
                Made::WalkIn,
                during
            )),
            "screening_cancelled"
        );
    }

    #[test]
    fn no_shows_hold_a_pass_back_for_a_day_after_the_last() {
        let festival = FestivalId::new();
        let mut k = kind(festival);
        k.no_show_limit = Some(2);
        let first = listing(festival, 10, 10);
        let second = listing(festival, 10, 15);
        let missed = [
            held(&first, ReservationStatus::Released, false),
            held(&second, ReservationStatus::Reserved, false),
        ];
        let showing_later = listing(festival, 14, 19);
        let showing = Showing::of(&showing_later);
        // The second ends at 17:00 on the 10th: held back until 17:00 on the 11th.
        let evening = at(10, 18);
        assert_eq!(held_back_until(&k, &missed, evening), Some(at(11, 17)));
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Active,
                &showing,
                &missed,
                Made::Ahead,
                evening
            )),
            "quota_reached"
        );
        assert!(
            may_reserve(
                &k,
                PassStatus::Active,
                &showing,
                &missed,
                Made::Ahead,
                at(11, 17)
            )
            .is_ok()
        );
        // One no-show, one seat used: not held back.
        let once = [
            held(&first, ReservationStatus::Released, false),
            held(&second, ReservationStatus::Reserved, true),
        ];
        assert_eq!(held_back_until(&k, &once, evening), None);
    }
}
