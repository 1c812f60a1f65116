//! Keeping the rollup counters that make reports fast, in the same transaction as each booking,
//! cancellation, admission and undo. Every function here runs after the screening's row has been
//! updated (and so locked) by the caller, which is what keeps insert-if-absent free of races.

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{attendees, screening_tallies};
use crate::domain::{FestivalId, ScreeningId, TicketCategory};
use crate::error::AppError;

const COUNTRY: &str = "country";
const CATEGORY: &str = "category";

/// Adds to one tally row's counters, creating the row when it does not exist yet.
fn bump(
    conn: &mut AnyConnection,
    screening: &str,
    kind: &str,
    label: &str,
    (issued, admitted, first): (i32, i32, i32),
) -> Result<(), AppError> {
    use screening_tallies::dsl as t;
    let updated = diesel::update(t::screening_tallies.find((screening, kind, label)))
        .set((
            t::issued.eq(t::issued + issued),
            t::admitted.eq(t::admitted + admitted),
            t::first_admissions.eq(t::first_admissions + first),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(t::screening_tallies)
            .values((
                t::screening_id.eq(screening),
                t::kind.eq(kind),
                t::label.eq(label),
                t::issued.eq(issued),
                t::admitted.eq(admitted),
                t::first_admissions.eq(first),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Tickets issued (positive) or voided (negative) for a screening.
pub fn tickets_issued(
    conn: &mut AnyConnection,
    screening: ScreeningId,
    country: &str,
    category: TicketCategory,
    count: i32,
) -> Result<(), AppError> {
    let screening = screening.to_string();
    bump(conn, &screening, COUNTRY, country, (count, 0, 0))?;
    bump(conn, &screening, CATEGORY, category.as_str(), (count, 0, 0))
}

/// Who was admitted (or un-admitted, `delta = -1`), for the attendance tallies.
pub struct Admission<'a> {
    pub festival: FestivalId,
    pub screening: ScreeningId,
    pub email: &'a str,
    pub country: &'a str,
    pub category: TicketCategory,
}

/// Counts an admission (`+1`) or its undoing (`-1`): per country and category, and — when the
/// person's first admitted ticket at the festival appears or disappears — their unique attendance.
///
/// The person's row is updated first and the tallies after: an undo (which may touch the tally
/// of the screening where the person was counted) and an admission then take their locks in the
/// same order, so on PostgreSQL they cannot deadlock.
pub fn admission(conn: &mut AnyConnection, a: &Admission<'_>, delta: i32) -> Result<(), AppError> {
    let screening = a.screening.to_string();
    attendance(conn, a, &screening, delta)?;
    bump(conn, &screening, COUNTRY, a.country, (0, delta, 0))?;
    bump(
        conn,
        &screening,
        CATEGORY,
        a.category.as_str(),
        (0, delta, 0),
    )
}

/// Counts the person: their admitted tickets, and whether they are (still) an attendee.
fn attendance(
    conn: &mut AnyConnection,
    a: &Admission<'_>,
    screening: &str,
    delta: i32,
) -> Result<(), AppError> {
    let festival = a.festival.to_string();
    let email = a.email.trim().to_lowercase();
    let key = (festival.as_str(), email.as_str());
    let updated = diesel::update(attendees::table.find(key))
        .set(attendees::admitted_tickets.eq(attendees::admitted_tickets + delta))
        .execute(conn)?;
    if updated == 0 {
        if delta > 0 {
            diesel::insert_into(attendees::table)
                .values((
                    attendees::festival_id.eq(&festival),
                    attendees::email.eq(&email),
                    attendees::admitted_tickets.eq(1),
                    attendees::counted_screening_id.eq(screening),
                    attendees::counted_country.eq(a.country),
                ))
                .execute(conn)?;
            bump(conn, screening, COUNTRY, a.country, (0, 0, 1))?;
        }
        return Ok(());
    }
    let (now_admitted, counted_screening, counted_country): (i32, String, String) =
        attendees::table
            .find(key)
            .select((
                attendees::admitted_tickets,
                attendees::counted_screening_id,
                attendees::counted_country,
            ))
            .first(conn)?;
    match (delta > 0, now_admitted) {
        // Back from zero: counted again, here.
        (true, 1) => {
            diesel::update(attendees::table.find(key))
                .set((
                    attendees::counted_screening_id.eq(screening),
                    attendees::counted_country.eq(a.country),
                ))
                .execute(conn)?;
            bump(conn, screening, COUNTRY, a.country, (0, 0, 1))
        }
        // Their only admission was undone: no longer an attendee.
        (false, 0) => bump(
            conn,
            &counted_screening,
            COUNTRY,
            &counted_country,
            (0, 0, -1),
        ),
        _ => Ok(()),
    }
}
