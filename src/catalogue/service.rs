//! Catalogue writes, shared by the JSON API and the organiser pages: each runs in one write
//! transaction and checks its input exactly the same way, whoever calls it.

use chrono::Utc;
use diesel::prelude::*;

use super::input::{
    Draft, ScreeningDraft, ScreeningInput, ScreeningPatch, id_field, screening_status,
};
use super::queries::{self as q, ScreeningListing, Stored, Venue};
use crate::db::audit::{self, Change};
use crate::db::schema::screenings;
use crate::db::{AnyConnection, Tx, outbox};
use crate::domain::{FestivalId, FilmId, ScreeningId, ScreeningStatus, VenueId, input};
use crate::error::{AppError, Thing};

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

/// Stores a new festival, venue or film made from `input`, every field checked.
pub fn create<D: Draft>(tx: &mut Tx<'_>, input: D) -> Result<<D::Row as Stored>::Model, AppError> {
    let row = input.into_row(D::Row::new_id(), now())?;
    let created = row.insert(tx)?;
    audit::record(
        tx,
        Change::new(
            row.festival(),
            format!("{}.create", D::Row::KIND),
            subject::<D>(&row),
        )
        .after(&created),
    )?;
    Ok(created)
}

/// What the audit trail names a festival, venue or film: `venue:{id}`.
fn subject<D: Draft>(row: &D::Row) -> String {
    format!("{}:{}", D::Row::KIND, row.id_text())
}

/// Changes a stored festival, venue or film: the patch is put onto the stored values and the
/// result checked exactly like a new input, then stored, all in one transaction.
pub fn update<D: Draft>(
    tx: &mut Tx<'_>,
    id: D::Id,
    patch: D::Patch,
) -> Result<<D::Row as Stored>::Model, AppError> {
    tx.savepoint(|tx| {
        let current = D::Row::load(tx.conn, id)?;
        let before = D::Row::find(tx.conn, id)?;
        let row = D::from_row(&current)?
            .apply(patch)
            .into_row(id, current.created_at())?;
        let changed = row.store(tx)?;
        audit::record(
            tx,
            Change::new(
                row.festival(),
                format!("{}.update", D::Row::KIND),
                subject::<D>(&row),
            )
            .before(&before)
            .after(&changed),
        )?;
        Ok(changed)
    })
}

/// Deletes a festival, venue or film no screening uses (a used one is refused: cancel those
/// screenings instead).
pub fn delete<D: Draft>(tx: &mut Tx<'_>, id: D::Id) -> Result<(), AppError> {
    tx.savepoint(|tx| {
        let row = D::Row::load(tx.conn, id)?;
        let before = D::Row::find(tx.conn, id)?;
        D::Row::delete(tx, id)?;
        audit::record(
            tx,
            Change::new(
                row.festival(),
                format!("{}.delete", D::Row::KIND),
                subject::<D>(&row),
            )
            .before(&before),
        )
    })
}

/// What the audit trail names a screening: `screening:{id}`.
fn screening_subject(row: &q::ScreeningRow) -> String {
    format!("screening:{}", row.id)
}

/// A screening's settings, as the audit trail keeps them before and after a change.
#[derive(serde::Serialize)]
pub struct ScreeningValues<'a> {
    film_id: &'a str,
    venue_id: &'a str,
    room: &'a str,
    /// UTC.
    starts_at: chrono::NaiveDateTime,
    ends_at: chrono::NaiveDateTime,
    capacity: i32,
    pass_seats: i32,
    doors_open_minutes: i32,
    doors_close_minutes: i32,
    status: &'a str,
}

impl ScreeningValues<'_> {
    pub fn of(row: &q::ScreeningRow) -> ScreeningValues<'_> {
        ScreeningValues {
            film_id: &row.film_id,
            venue_id: &row.venue_id,
            room: &row.room,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            capacity: row.capacity,
            pass_seats: row.pass_seats,
            doors_open_minutes: row.doors_open_minutes,
            doors_close_minutes: row.doors_close_minutes,
            status: &row.status,
        }
    }
}

/// Loads what a screening refers to; a missing film or venue is the client's input error.
fn referenced(
    conn: &mut AnyConnection,
    film_id: FilmId,
    venue_id: VenueId,
) -> Result<(q::FilmRow, Venue), AppError> {
    // Only "not found" is the client's; a database failure stays what it is.
    let missing = |field: &'static str, message: crate::i18n::Msg| {
        move |error: AppError| match error {
            AppError::NotFound(_) => AppError::invalid(field, message),
            other => other,
        }
    };
    let film = q::film_row(conn, film_id)
        .map_err(missing("film_id", crate::msg!("error-no-such-film")))?;
    let venue = q::venue_row(conn, venue_id)
        .map_err(missing("venue_id", crate::msg!("error-no-such-venue")))?;
    Ok((film, venue.try_into()?))
}

pub fn listing(conn: &mut AnyConnection, id: ScreeningId) -> Result<ScreeningListing, AppError> {
    q::screening_listing(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Screening))
}

pub fn create_screening(
    tx: &mut Tx<'_>,
    input: ScreeningInput,
) -> Result<ScreeningListing, AppError> {
    let (festival_id, film_id, venue_id) = (
        id_field::<FestivalId>("festival_id", &input.festival_id)?,
        id_field::<FilmId>("film_id", &input.film_id)?,
        id_field::<VenueId>("venue_id", &input.venue_id)?,
    );
    tx.savepoint(|tx| {
        q::festival(tx.conn, festival_id)?.ok_or_else(|| {
            AppError::invalid("festival_id", crate::msg!("error-no-such-festival"))
        })?;

        let (film, venue) = referenced(tx.conn, film_id, venue_id)?;
        let zone = venue.zone();
        let starts_at = input::local_or_offset_time("starts_at", &input.starts_at, zone)?;
        let ends_at = input
            .ends_at
            .as_deref()
            .map(|t| input::local_or_offset_time("ends_at", t, zone))
            .transpose()?;
        let id = ScreeningId::new();
        let row = ScreeningDraft {
            film: &film,
            venue: &venue,
            room: input.room,
            starts_at,
            ends_at,
            capacity: input.capacity,
            doors_open_minutes: input.doors_open_minutes,
            doors_close_minutes: input.doors_close_minutes,
            pass_seats: input.pass_seats,
            status: ScreeningStatus::Scheduled,
        }
        .into_row(id, festival_id, now())?;
        if !input.confirm {
            check_schedule(tx.conn, &row, now())?;
        }
        q::insert_screening(tx, &row)?;
        audit::record(
            tx,
            Change::new(
                Some(festival_id),
                "screening.create",
                screening_subject(&row),
            )
            .after(&ScreeningValues::of(&row)),
        )?;
        listing(tx.conn, id)
    })
}

/// What looks like a mistake in a screening's time and place — a start already past, a day
/// outside its festival's, another screening in the same room at the same time — refused with a
/// sentence naming it (`starts_at`, or `room` for a clash), unless the organiser confirms.
pub(super) fn check_schedule(
    conn: &mut AnyConnection,
    row: &q::ScreeningRow,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    if row.starts_at < now {
        return Err(AppError::invalid(
            "starts_at",
            crate::msg!("error-screening-past"),
        ));
    }
    let festival = q::festival(
        conn,
        FestivalId::from_db("screenings.festival_id", &row.festival_id)?,
    )?
    .ok_or_else(|| AppError::invalid("festival_id", crate::msg!("error-no-such-festival")))?;
    let zone = crate::domain::format::stored_zone("festivals.timezone", &festival.timezone)?;
    let day = crate::domain::format::local(row.starts_at, zone).date_naive();
    if day < festival.starts_on || day > festival.ends_on {
        return Err(AppError::invalid(
            "starts_at",
            crate::msg!(
                "error-screening-outside-festival",
                dates = crate::i18n::dates::range(festival.starts_on, festival.ends_on)
            ),
        ));
    }
    let clash: Option<(String, chrono::NaiveDateTime)> = screenings::table
        .inner_join(crate::db::schema::films::table)
        .filter(screenings::venue_id.eq(&row.venue_id))
        .filter(screenings::room.eq(&row.room))
        .filter(screenings::id.ne(&row.id))
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .filter(screenings::starts_at.lt(row.ends_at))
        .filter(screenings::ends_at.gt(row.starts_at))
        .select((crate::db::schema::films::title, screenings::starts_at))
        .first(conn)
        .optional()?;
    if let Some((film, starts_at)) = clash {
        let venue = q::venue_row(
            conn,
            VenueId::from_db("screenings.venue_id", &row.venue_id)?,
        )?;
        let zone = crate::domain::format::stored_zone("venues.timezone", &venue.timezone)?;
        return Err(AppError::invalid(
            "room",
            crate::msg!(
                "error-screening-overlaps",
                film = film,
                when = crate::domain::format::when(starts_at, zone)
            ),
        ));
    }
    Ok(())
}

pub fn update_screening(
    tx: &mut Tx<'_>,
    id: ScreeningId,
    patch: ScreeningPatch,
) -> Result<ScreeningListing, AppError> {
    tx.savepoint(|tx| {
        // Lock the row before reading it, so a concurrent cancel or booking is not overwritten
        // with what this edit read (PostgreSQL; SQLite's write lock already covers it).
        diesel::update(screenings::table.find(id.to_string()))
            .set(screenings::status.eq(screenings::status))
            .execute(tx.conn)?;
        let current = q::screening_row(tx.conn, id)?;
        let film_id = match &patch.film_id {
            Some(v) => id_field("film_id", v)?,
            None => FilmId::from_db("screenings.film_id", &current.film_id)?,
        };
        let venue_id = match &patch.venue_id {
            Some(v) => id_field("venue_id", v)?,
            None => VenueId::from_db("screenings.venue_id", &current.venue_id)?,
        };
        let (film, venue) = referenced(tx.conn, film_id, venue_id)?;
        let zone = venue.zone();
        let starts_at = match &patch.starts_at {
            Some(t) => input::local_or_offset_time("starts_at", t, zone)?,
            None => current.starts_at,
        };
        let ends_at = match (&patch.ends_at, &patch.starts_at) {
            (Some(t), _) => input::local_or_offset_time("ends_at", t, zone)?,
            // Moving the start keeps the screening's length.
            (None, Some(_)) => starts_at + (current.ends_at - current.starts_at),
            (None, None) => current.ends_at,
        };
        let moved_room = patch.room.is_some() || patch.venue_id.is_some();
        let status = match &patch.status {
            Some(s) => screening_status(s)?,
            None => ScreeningStatus::from_db("screenings.status", &current.status)?,
        };
        let mut row = ScreeningDraft {
            film: &film,
            venue: &venue,
            room: patch.room.clone().unwrap_or_else(|| current.room.clone()),
            starts_at,
            ends_at: Some(ends_at),
            // A new room brings its own size unless a capacity is given.
            capacity: patch
                .capacity
                .or((!moved_room).then_some(i64::from(current.capacity))),
            doors_open_minutes: patch
                .doors_open_minutes
                .or(Some(i64::from(current.doors_open_minutes))),
            doors_close_minutes: patch
                .doors_close_minutes
                .or(Some(i64::from(current.doors_close_minutes))),
            pass_seats: patch.pass_seats.or(Some(i64::from(current.pass_seats))),
            status,
        }
        .into_row(
            id,
            FestivalId::from_db("screenings.festival_id", &current.festival_id)?,
            current.created_at,
        )
        .map_err(|e| {
            // A smaller room or capacity, with the seats kept for passes left as they were: the
            // capacity is what was changed.
            if e.field == "pass_seats" && patch.pass_seats.is_none() {
                crate::domain::InputError::new(
                    "capacity",
                    crate::msg!(
                        "error-capacity-below-pass-seats",
                        count = current.pass_seats
                    ),
                )
            } else {
                e
            }
        })?;
        row.booked = current.booked;
        row.admitted = current.admitted;
        row.pass_taken = current.pass_taken;
        let moved = row.starts_at != current.starts_at
            || row.venue_id != current.venue_id
            || row.room != current.room;
        if moved && row.status == ScreeningStatus::Scheduled.as_str() && !patch.confirm {
            check_schedule(tx.conn, &row, now())?;
        }
        q::update_screening(tx, &row)?;
        audit::record(
            tx,
            Change::new(
                FestivalId::from_db("screenings.festival_id", &current.festival_id).ok(),
                "screening.update",
                screening_subject(&row),
            )
            .before(&ScreeningValues::of(&current))
            .after(&ScreeningValues::of(&row)),
        )?;
        // Holders hear of a cancellation, or of a new time or place.
        let was_scheduled = current.status == ScreeningStatus::Scheduled.as_str();
        let kind = if was_scheduled && row.status == ScreeningStatus::Cancelled.as_str() {
            Some((outbox::Kind::ScreeningCancelled, "Screening cancelled"))
        } else if was_scheduled
            && row.status == ScreeningStatus::Scheduled.as_str()
            && (row.starts_at != current.starts_at
                || row.venue_id != current.venue_id
                || row.room != current.room)
        {
            Some((outbox::Kind::ScreeningChanged, "Screening changed"))
        } else {
            None
        };
        if let Some((kind, subject)) = kind {
            outbox::enqueue_for_holders(tx.conn, id, kind, subject, now())?;
        }
        listing(tx.conn, id)
    })
}

/// Cancels a screening: tickets already sold keep meaning something at the door ("cancelled").
pub fn cancel_screening(tx: &mut Tx<'_>, id: ScreeningId) -> Result<ScreeningListing, AppError> {
    tx.savepoint(|tx| {
        let current = q::screening_row(tx.conn, id)?;
        let was_scheduled = current.status == ScreeningStatus::Scheduled.as_str();
        q::cancel_screening(tx, id)?;
        let cancelled = q::screening_row(tx.conn, id)?;
        audit::record(
            tx,
            Change::new(
                FestivalId::from_db("screenings.festival_id", &current.festival_id).ok(),
                "screening.cancel",
                screening_subject(&current),
            )
            .before(&ScreeningValues::of(&current))
            .after(&ScreeningValues::of(&cancelled)),
        )?;
        if was_scheduled {
            outbox::enqueue_for_holders(
                tx.conn,
                id,
                outbox::Kind::ScreeningCancelled,
                "Screening cancelled",
                now(),
            )?;
        }
        listing(tx.conn, id)
    })
}

/// Deletes a screening nobody booked, scanned or waited for (a mistake, a duplicate); returns it
/// as it was. One that is used is refused (409): cancel it instead.
pub fn delete_screening(tx: &mut Tx<'_>, id: ScreeningId) -> Result<ScreeningListing, AppError> {
    tx.savepoint(|tx| {
        let was = listing(tx.conn, id)?;
        let row = q::screening_row(tx.conn, id)?;
        q::delete_unused_screening(tx, id)?;
        audit::record(
            tx,
            Change::new(
                Some(was.screening.festival_id),
                "screening.delete",
                screening_subject(&row),
            )
            .before(&ScreeningValues::of(&row)),
        )?;
        Ok(was)
    })
}
