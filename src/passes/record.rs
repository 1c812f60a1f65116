//! Writing passes: types, issuing, links, revoking, reservations (the rules they apply are in
//! [`super::rules`]; what a pass finds at a door, in [`super::door`]).
//!
//! Every rule of a reservation is decided inside the write that makes it, on rows read under two
//! locks taken in one order — the screening's row first (as every write to its seats), then the
//! pass's row (`UPDATE passes SET reservations_made = reservations_made + 1`): two reservations
//! of one pass, on two instances at once, are decided one after the other, the second seeing the
//! first. The seat itself is taken with the bookings' conditional update
//! ([`crate::booking::record::claim`]), and the
//! partial unique index `reservations_once` refuses a second reservation of a pass at a
//! screening whatever the code above it says.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::input::{Holder, PassRequest, PassTypeRequest};
use super::queries::{
    Pass, PassRow, PassType, PassTypeRow, Reservation, ReservationRow, ids_text, pass_row,
    pass_type,
};
use super::rules::{Held, Made, Showing, local_day, may_reserve};
use crate::booking::record::{PassSeat, issue_pass_seat, take_pass_seat};
use crate::db::audit::{self, Change};
use crate::db::schema::{
    films, pass_tokens, pass_types, passes, reservations, screenings, tickets, venues,
};
use crate::db::{AnyConnection, Tx, lock_screenings};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::ticket_code::TicketSigner;
use crate::domain::{
    BookingId, FestivalId, InputError, PassId, PassStatus, PassTypeId, ReservationStatus,
    ScreeningId, ScreeningStatus,
};
use crate::error::{AppError, Refusal, Thing};
use crate::web::idempotency::Claimed;

/// Creates a pass type for a festival. Its films and venues must exist.
pub fn create_type(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    request: &PassTypeRequest,
    now: NaiveDateTime,
) -> Result<PassType, AppError> {
    crate::catalogue::queries::festival(tx.conn, festival)?
        .ok_or_else(|| AppError::not_found(Thing::Festival))?;
    check_type(tx, festival, request, None)?;
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
        names: serde_json::to_string(&request.names).map_err(AppError::internal)?,
    };
    diesel::insert_into(pass_types::table)
        .values(&row)
        .execute(tx.conn)?;
    let created = PassType::try_from(row)?;
    let change = Change::new(
        Some(festival),
        "pass_type.create",
        format!("pass_type:{}", created.id),
    );
    audit::record(tx, change.after(&created))?;
    Ok(created)
}

/// What a type names must exist (its films and venues), and its name be its own within the
/// festival whatever the case (`except`: the type being changed).
fn check_type(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    request: &PassTypeRequest,
    except: Option<PassTypeId>,
) -> Result<(), AppError> {
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
        .any(|k| Some(k.id) != except && k.name.to_lowercase() == request.name.to_lowercase());
    if taken {
        return Err(AppError::conflict(
            Refusal::AlreadyExists,
            crate::msg!("error-pass-type-exists"),
        ));
    }
    Ok(())
}

/// Changes a pass type: what is sent (`PATCH`, a JSON merge patch: a key sent replaces the
/// type's, `null` lifts a limit) put onto what it is, the whole checked as a new type is. It
/// rules reservations made from then on; those made stand.
pub fn update_type(
    tx: &mut Tx<'_>,
    id: PassTypeId,
    patch: &serde_json::Map<String, serde_json::Value>,
) -> Result<PassType, AppError> {
    let current = pass_type(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::PassType))?;
    let mut merged = serde_json::json!({
        "name": current.name,
        "names": current.names,
        "category": current.category.as_str(),
        "valid_from": current.valid_from,
        "valid_until": current.valid_until,
        "film_ids": current.film_ids,
        "venue_ids": current.venue_ids,
        "max_reservations": current.max_reservations,
        "max_per_day": current.max_per_day,
        "max_held": current.max_held,
        "walk_in": current.walk_in,
        "release_minutes": current.release_minutes,
        "no_show_limit": current.no_show_limit,
    });
    if let Some(fields) = merged.as_object_mut() {
        for (key, value) in patch {
            // The names merge by language: one sent replaces that language's, `null` removes it.
            if let (Some(serde_json::Value::Object(names)), serde_json::Value::Object(sent)) =
                (fields.get_mut("names"), value)
                && key == "names"
            {
                for (code, name) in sent {
                    if name.is_null() {
                        names.remove(code);
                    } else {
                        names.insert(code.clone(), name.clone());
                    }
                }
                continue;
            }
            fields.insert(key.clone(), value.clone());
        }
    }
    let bytes = serde_json::to_vec(&merged).map_err(AppError::internal)?;
    let request = crate::web::json::parse::<super::input::PassTypeInput>(&bytes)?.parse()?;
    check_type(tx, current.festival_id, &request, Some(id))?;
    refuse_stranding(tx, &current, &request)?;
    diesel::update(pass_types::table.find(id.to_string()))
        .set((
            pass_types::name.eq(&request.name),
            pass_types::names
                .eq(serde_json::to_string(&request.names).map_err(AppError::internal)?),
            pass_types::category.eq(request.category.as_str()),
            pass_types::valid_from.eq(request.valid_from),
            pass_types::valid_until.eq(request.valid_until),
            pass_types::film_ids.eq(ids_text(&request.films)),
            pass_types::venue_ids.eq(ids_text(&request.venues)),
            pass_types::max_reservations.eq(request.max_reservations),
            pass_types::max_per_day.eq(request.max_per_day),
            pass_types::max_held.eq(request.max_held),
            pass_types::walk_in.eq(request.walk_in),
            pass_types::release_minutes.eq(request.release_minutes),
            pass_types::no_show_limit.eq(request.no_show_limit),
        ))
        .execute(tx.conn)?;
    let changed = pass_type(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::PassType))?;
    let change = Change::new(
        Some(current.festival_id),
        "pass_type.update",
        format!("pass_type:{id}"),
    );
    audit::record(tx, change.before(&current).after(&changed))?;
    Ok(changed)
}

/// Refuses a change of a type that would leave its passes' seats to come at screenings it no
/// longer opens (another day, film or venue): they are to be given back first.
fn refuse_stranding(
    tx: &mut Tx<'_>,
    current: &PassType,
    request: &PassTypeRequest,
) -> Result<(), AppError> {
    let changed = PassType {
        valid_from: request.valid_from,
        valid_until: request.valid_until,
        film_ids: request.films.clone(),
        venue_ids: request.venues.clone(),
        ..current.clone()
    };
    let held: Vec<String> = reservations::table
        .inner_join(passes::table)
        .filter(passes::pass_type_id.eq(current.id.to_string()))
        .filter(reservations::status.eq(ReservationStatus::Reserved.as_str()))
        .select(reservations::screening_id)
        .distinct()
        .load(tx.conn)?;
    let mut stranded = 0;
    for screening in held {
        let screening = ScreeningId::from_db("reservations.screening_id", &screening)?;
        if let Some(listing) = crate::catalogue::queries::screening_listing(tx.conn, screening)?
            && listing.screening.status == ScreeningStatus::Scheduled
            && !super::rules::opens(&changed, &Showing::of(&listing))
        {
            stranded += 1;
        }
    }
    if stranded > 0 {
        return Err(AppError::conflict(
            Refusal::InUse,
            crate::msg!("error-pass-type-strands", count = stranded),
        ));
    }
    Ok(())
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
        return Ok(Issued::Existing(Pass::of(row, &kind, tx.lang)?));
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
    let change = Change::new(Some(festival), "pass.issue", format!("pass:{id}"))
        .after(&serde_json::json!({ "pass_type_id": kind.id, "category": kind.category }));
    audit::record(tx, change)?;
    Ok(Issued::New {
        pass: Pass::of(row, &kind, tx.lang)?,
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
        photo_at: None,
    }
}

/// A fresh private link token to a pass's page (each mail carries its own; stored hashed).
pub fn add_pass_token(
    conn: &mut AnyConnection,
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
pub fn pass_by_token(conn: &mut AnyConnection, token: &str) -> Result<Option<PassId>, AppError> {
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
    audit::record(
        tx,
        Change::new(Some(kind.festival_id), "pass.resend", format!("pass:{id}")),
    )?;
    Pass::of(row, &kind, tx.lang)
}

/// Whether `token` is the pass's manage token (compared by its hash, in constant time).
pub fn token_opens(row: &PassRow, token: &str) -> bool {
    crate::domain::secret::same(
        hash_token(token).as_bytes(),
        row.manage_token_hash.as_bytes(),
    )
}

/// Revokes a pass: refused at every door from now on, its seats at screenings still to come
/// given back (to the waiting list first). Revoking twice changes nothing.
pub fn revoke(tx: &mut Tx<'_>, id: PassId, now: NaiveDateTime) -> Result<Pass, AppError> {
    let (row, kind) = pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
    if row.status == PassStatus::Revoked.as_str() {
        return Pass::of(row, &kind, tx.lang);
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
    let change = Change::new(Some(kind.festival_id), "pass.revoke", format!("pass:{id}"))
        .after(&serde_json::json!({ "seats_given_back": held_now.len() }));
    audit::record(tx, change)?;
    Pass::of(row, &kind, tx.lang)
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
    crate::booking::cancel::cancel_pass_seat(tx, booking, status, now)?;
    Ok(true)
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
pub(super) type HeldRow = (ReservationRow, Times, bool);

/// The pass's reservations, as its limits count them.
pub(super) fn held_by(tx: &mut Tx<'_>, id: PassId) -> Result<Vec<HeldRow>, AppError> {
    Ok(held_of(tx.conn, &[id.to_string()])?
        .into_iter()
        .map(|(held, _)| held)
        .collect())
}

/// The reservations of these passes (by id), each with its seat's ticket id.
pub(super) fn held_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(HeldRow, String)>, AppError> {
    let mut held = Vec::new();
    // A few hundred ids per statement: well inside SQLite's limit on parameters.
    for ids in ids.chunks(500) {
        let rows: Vec<(ReservationRow, Times, Option<NaiveDateTime>, String)> = reservations::table
            .inner_join(screenings::table.inner_join(venues::table))
            .inner_join(tickets::table.on(tickets::booking_id.eq(reservations::booking_id)))
            .filter(reservations::pass_id.eq_any(ids))
            .select((
                ReservationRow::as_select(),
                (
                    screenings::starts_at,
                    screenings::ends_at,
                    venues::timezone,
                    screenings::status,
                ),
                tickets::admitted_at,
                tickets::id,
            ))
            .load(conn)?;
        held.extend(
            rows.into_iter()
                .map(|(row, times, admitted, ticket)| ((row, times, admitted.is_some()), ticket)),
        );
    }
    Ok(held)
}

/// The reservations the pass's limits count: those at screenings still held (a cancelled
/// screening holds nobody's seat, and missing it is no no-show).
pub(super) fn counted(rows: &[HeldRow]) -> Result<Vec<Held>, AppError> {
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
///
/// With an `Idempotency-Key` (`once`), an earlier attempt that reserved under the key is the
/// answer: its reservation as it is now; nothing is written again.
pub fn reserve(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    id: PassId,
    screening: ScreeningId,
    once: Option<&Claimed>,
    now: NaiveDateTime,
) -> Result<Reservation, AppError> {
    lock_screenings(tx.conn, &[screening])?;
    // Marked for now, and set to the seat's booking below (a refusal rolls the mark back with
    // the write).
    if let Some(earlier) = once
        .map(|c| c.mark(tx.conn, "reserving"))
        .transpose()?
        .flatten()
    {
        return reservation_as_stored(tx.conn, &earlier);
    }
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
    take_pass_seat(tx, screening, now)?;
    let reservation = seat(tx, signer, &row, &showing, false, now)?;
    if let Some(claimed) = once {
        claimed.record(tx.conn, &reservation.booking_id)?;
    }
    let change = Change::new(
        Some(kind.festival_id),
        "reservation.create",
        format!("pass:{id}"),
    )
    .after(&serde_json::json!({ "screening_id": screening }));
    audit::record(tx, change)?;
    // Read back, so that this answer and a retry's (see above) are the same to the microsecond.
    reservation_as_stored(tx.conn, &reservation.booking_id)
}

/// The reservation of a seat (its booking's id) as the database keeps it.
fn reservation_as_stored(conn: &mut AnyConnection, booking: &str) -> Result<Reservation, AppError> {
    let booking = BookingId::from_db("reservations.booking_id", booking)?;
    super::queries::reservation_of_booking(conn, booking)?.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "the reservation of booking {booking} is gone"
        ))
    })
}

/// Writes a pass's seat, already taken: its booking and ticket, and the reservation.
pub(super) fn seat(
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
