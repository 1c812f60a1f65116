//! Pass types, passes and reservations as stored, and as the API shows them.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::db::schema::{pass_types, passes, reservations, tickets};
use crate::domain::format::utc_rfc3339 as utc;
use crate::domain::{
    BookingId, FestivalId, FilmId, PassCategory, PassId, PassStatus, PassTypeId, ReservationStatus,
    ScreeningId, VenueId,
};
use crate::error::AppError;
use crate::i18n::Lang;

/// A `pass_types` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pass_types)]
pub struct PassTypeRow {
    pub id: String,
    pub festival_id: String,
    pub name: String,
    pub category: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub film_ids: String,
    pub venue_ids: String,
    pub max_reservations: Option<i32>,
    pub max_per_day: Option<i32>,
    pub max_held: Option<i32>,
    pub walk_in: bool,
    pub release_minutes: i32,
    pub no_show_limit: Option<i32>,
    pub created_at: NaiveDateTime,
    /// The name in other languages, a JSON object by language code (see [`PassType::names`]).
    pub names: String,
}

/// A pass type as the API shows it, and as the rules read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PassType {
    pub id: PassTypeId,
    pub festival_id: FestivalId,
    pub name: String,
    pub category: PassCategory,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// Only screenings of these films (empty: all films).
    pub film_ids: Vec<FilmId>,
    /// Only screenings at these venues (empty: all venues).
    pub venue_ids: Vec<VenueId>,
    pub max_reservations: Option<i32>,
    pub max_per_day: Option<i32>,
    pub max_held: Option<i32>,
    pub walk_in: bool,
    pub release_minutes: i32,
    pub no_show_limit: Option<i32>,
    /// The name in other languages Marquee speaks (`fr`, `vi`, `en`): what holders, mail,
    /// badges and doors read in theirs; `name` where a language has none.
    pub names: BTreeMap<String, String>,
}

impl PassType {
    /// The type's name in `lang`: its own there, else `name`.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.names
            .get(lang.code())
            .map_or(&self.name, String::as_str)
    }
}

/// Ids stored separated by spaces.
fn ids_of<T: std::str::FromStr>(column: &'static str, text: &str) -> Result<Vec<T>, AppError> {
    text.split_whitespace()
        .map(|id| {
            id.parse()
                .map_err(|_| crate::domain::status::Unreadable::new(column, id).into())
        })
        .collect()
}

/// Ids to store, separated by spaces.
pub fn ids_text<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl TryFrom<PassTypeRow> for PassType {
    type Error = AppError;
    fn try_from(row: PassTypeRow) -> Result<PassType, AppError> {
        Ok(PassType {
            id: PassTypeId::from_db("pass_types.id", &row.id)?,
            festival_id: FestivalId::from_db("pass_types.festival_id", &row.festival_id)?,
            category: PassCategory::from_db("pass_types.category", &row.category)?,
            film_ids: ids_of("pass_types.film_ids", &row.film_ids)?,
            venue_ids: ids_of("pass_types.venue_ids", &row.venue_ids)?,
            name: row.name,
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            max_reservations: row.max_reservations,
            max_per_day: row.max_per_day,
            max_held: row.max_held,
            walk_in: row.walk_in,
            release_minutes: row.release_minutes,
            no_show_limit: row.no_show_limit,
            // Only the other languages' names: one that does not read leaves `name` for all.
            names: serde_json::from_str(&row.names).unwrap_or_else(|error| {
                tracing::warn!(%error, pass_type = %row.id, "pass_types.names does not read");
                BTreeMap::new()
            }),
        })
    }
}

/// A `passes` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = passes)]
pub struct PassRow {
    pub id: String,
    pub festival_id: String,
    pub pass_type_id: String,
    pub person_id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub country: String,
    pub lang: String,
    pub code: String,
    pub manage_token_hash: String,
    pub status: String,
    pub reservations_made: i32,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// When the holder's photo was set (`None`: no photo; see `passes::photo`).
    pub photo_at: Option<NaiveDateTime>,
}

/// Where a pass's photo is served, when it has one ([`super::photo`]; the time it was set makes
/// each photo's address its own, so a replaced photo is never shown from a cache).
pub fn photo_url(row: &PassRow) -> Option<String> {
    row.photo_at.map(|at| {
        format!(
            "/api/v1/passes/{}/photo?v={}",
            row.id,
            at.and_utc().timestamp()
        )
    })
}

/// A pass as its holder and organisers see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pass {
    pub id: PassId,
    pub festival_id: FestivalId,
    pub pass_type_id: PassTypeId,
    /// Its type's name, as stored (what a list to import names it by).
    pub pass_type: String,
    /// Its type's name in the reader's language (`names`), for people to read.
    pub pass_type_name: String,
    pub category: PassCategory,
    pub holder_name: String,
    pub email: String,
    pub organisation: String,
    /// ISO 3166-1 alpha-2, or empty when not given.
    pub country: String,
    pub lang: String,
    /// What the pass's QR code carries: signed, verifiable offline, recognisably a pass (`P…`).
    pub code: String,
    pub status: PassStatus,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
    /// Where its holder's photo is (organisers, door staff, and the holder with the manage
    /// token), when it has one.
    pub photo_url: Option<String>,
}

impl Pass {
    /// The pass in `lang` (its type's name in it).
    pub fn of(row: PassRow, kind: &PassType, lang: Lang) -> Result<Pass, AppError> {
        let photo_url = photo_url(&row);
        Ok(Pass {
            photo_url,
            id: PassId::from_db("passes.id", &row.id)?,
            festival_id: FestivalId::from_db("passes.festival_id", &row.festival_id)?,
            pass_type_id: kind.id,
            pass_type: kind.name.clone(),
            pass_type_name: kind.name_in(lang).to_owned(),
            category: kind.category,
            status: PassStatus::from_db("passes.status", &row.status)?,
            holder_name: row.name,
            email: row.email,
            organisation: row.organisation,
            country: row.country,
            lang: row.lang,
            code: row.code,
            created_at: utc(row.created_at),
            revoked_at: row.revoked_at.map(utc),
        })
    }
}

/// A `reservations` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reservations)]
pub struct ReservationRow {
    pub booking_id: String,
    pub pass_id: String,
    pub screening_id: String,
    pub status: String,
    pub walk_in: bool,
    pub created_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

/// A pass's seat at one screening, as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reservation {
    pub screening_id: ScreeningId,
    pub status: ReservationStatus,
    /// Made at the door, for a pass without a reservation.
    pub walk_in: bool,
    /// The screening's start, as it is now.
    #[schema(format = DateTime)]
    pub starts_at: String,
    /// When the pass was admitted with it (null: not yet).
    #[schema(format = DateTime)]
    pub admitted_at: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl Reservation {
    pub fn of(
        row: &ReservationRow,
        starts_at: NaiveDateTime,
        admitted_at: Option<NaiveDateTime>,
    ) -> Result<Reservation, AppError> {
        Ok(Reservation {
            screening_id: ScreeningId::from_db("reservations.screening_id", &row.screening_id)?,
            status: ReservationStatus::from_db("reservations.status", &row.status)?,
            walk_in: row.walk_in,
            starts_at: utc(starts_at),
            admitted_at: admitted_at.map(utc),
            created_at: utc(row.created_at),
        })
    }
}

/// A pass type by id (`None`: no such type).
pub fn pass_type(conn: &mut AnyConnection, id: PassTypeId) -> Result<Option<PassType>, AppError> {
    pass_types::table
        .find(id.to_string())
        .select(PassTypeRow::as_select())
        .first(conn)
        .optional()?
        .map(PassType::try_from)
        .transpose()
}

/// A festival's pass types, in the order they were made.
pub fn pass_types_of(
    conn: &mut AnyConnection,
    festival: FestivalId,
) -> Result<Vec<PassType>, AppError> {
    pass_types::table
        .filter(pass_types::festival_id.eq(festival.to_string()))
        .order((pass_types::created_at, pass_types::id))
        .select(PassTypeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(PassType::try_from)
        .collect()
}

/// A pass with its type (`None`: no such pass).
pub fn pass_row(
    conn: &mut AnyConnection,
    id: PassId,
) -> Result<Option<(PassRow, PassType)>, AppError> {
    let Some(row) = passes::table
        .find(id.to_string())
        .select(PassRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let kind = pass_type(
        conn,
        PassTypeId::from_db("passes.pass_type_id", &row.pass_type_id)?,
    )?
    .ok_or_else(|| AppError::internal(anyhow::anyhow!("a pass without its type")))?;
    Ok(Some((row, kind)))
}

/// A pass's reservations, soonest first, with when each was used.
pub fn reservations_of(
    conn: &mut AnyConnection,
    pass: PassId,
) -> Result<Vec<Reservation>, AppError> {
    reservations_where(conn, Whose::Pass(pass))
}

/// The reservation whose seat is this booking (what an `Idempotency-Key` marked), as it is now.
pub fn reservation_of_booking(
    conn: &mut AnyConnection,
    booking: BookingId,
) -> Result<Option<Reservation>, AppError> {
    Ok(reservations_where(conn, Whose::Booking(booking))?
        .into_iter()
        .next())
}

/// Which reservations [`reservations_where`] reads.
enum Whose {
    Pass(PassId),
    Booking(BookingId),
}

/// Reservations, soonest first, with when each was used.
fn reservations_where(
    conn: &mut AnyConnection,
    whose: Whose,
) -> Result<Vec<Reservation>, AppError> {
    use crate::db::schema::screenings;
    let query = reservations::table
        .inner_join(screenings::table)
        .inner_join(tickets::table.on(tickets::booking_id.eq(reservations::booking_id)))
        .order((screenings::starts_at, reservations::created_at))
        .select((
            ReservationRow::as_select(),
            screenings::starts_at,
            tickets::admitted_at,
        ))
        .into_boxed();
    let query = match whose {
        Whose::Pass(pass) => query.filter(reservations::pass_id.eq(pass.to_string())),
        Whose::Booking(booking) => query.filter(reservations::booking_id.eq(booking.to_string())),
    };
    let rows: Vec<(ReservationRow, NaiveDateTime, Option<NaiveDateTime>)> = query.load(conn)?;
    rows.iter()
        .map(|(row, starts_at, admitted)| Reservation::of(row, *starts_at, *admitted))
        .collect()
}

/// A festival's passes, newest first, only those whose holder's name, address or organisation
/// contains `search` (ignoring case) when it is given; at most `limit`. A festival's passes are
/// hundreds, its guest and press lists: read whole and searched here, in Unicode's lower case.
pub fn passes_of(
    conn: &mut AnyConnection,
    festival: FestivalId,
    search: Option<&str>,
    limit: usize,
    lang: Lang,
) -> Result<Vec<Pass>, AppError> {
    let kinds: std::collections::HashMap<String, PassType> = pass_types_of(conn, festival)?
        .into_iter()
        .map(|k| (k.id.to_string(), k))
        .collect();
    let rows: Vec<PassRow> = passes::table
        .filter(passes::festival_id.eq(festival.to_string()))
        .order((passes::created_at.desc(), passes::id.desc()))
        .select(PassRow::as_select())
        .load(conn)?;
    let search = search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    rows.into_iter()
        .filter(|row| {
            search.as_deref().is_none_or(|needle| {
                [&row.name, &row.email, &row.organisation]
                    .iter()
                    .any(|field| field.to_lowercase().contains(needle))
            })
        })
        .take(limit)
        .map(|row| {
            let kind = kinds
                .get(&row.pass_type_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("a pass without its type")))?;
            Pass::of(row, kind, lang)
        })
        .collect()
}

/// A pass category's attendance in a festival's report: pass admissions count in the report's
/// `totals.admitted` too (a pass's seat is a ticket of the `pass` category).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PassCategoryLine {
    pub category: PassCategory,
    /// Passes issued and not revoked.
    pub holders: i64,
    /// Seats reserved (walk-ins included) at screenings still held.
    pub reservations: i64,
    pub admitted: i64,
}

/// One pass type's use in a festival's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PassTypeLine {
    pub id: PassTypeId,
    pub name: String,
    pub category: PassCategory,
    /// Passes issued and not revoked.
    pub holders: i64,
    pub revoked: i64,
    /// Seats reserved (walk-ins included) at screenings still held.
    pub reservations: i64,
    pub admitted: i64,
    /// Seats taken at the door by passes without a reservation.
    pub walk_ins: i64,
    /// Reservations released unused, or unused once the screening's doors closed.
    pub no_shows: i64,
}

/// The passes part of a festival's report, as of `now`: read from the reservations and their
/// tickets (exact, as admissions are written with the scan).
pub fn pass_report(
    conn: &mut AnyConnection,
    festival: FestivalId,
    now: NaiveDateTime,
) -> Result<(Vec<PassCategoryLine>, Vec<PassTypeLine>), AppError> {
    use crate::db::schema::screenings;
    let kinds = pass_types_of(conn, festival)?;
    let mut lines: Vec<PassTypeLine> = kinds
        .iter()
        .map(|k| PassTypeLine {
            id: k.id,
            name: k.name.clone(),
            category: k.category,
            holders: 0,
            revoked: 0,
            reservations: 0,
            admitted: 0,
            walk_ins: 0,
            no_shows: 0,
        })
        .collect();
    let line_of = |lines: &[PassTypeLine], id: &str| -> Option<usize> {
        lines.iter().position(|l| l.id.to_string() == id)
    };
    let holders: Vec<(String, String)> = passes::table
        .filter(passes::festival_id.eq(festival.to_string()))
        .select((passes::pass_type_id, passes::status))
        .load(conn)?;
    for (kind, status) in holders {
        if let Some(at) = line_of(&lines, &kind) {
            if PassStatus::from_db("passes.status", &status)? == PassStatus::Revoked {
                lines[at].revoked += 1;
            } else {
                lines[at].holders += 1;
            }
        }
    }
    let seats: Vec<(
        String,
        String,
        bool,
        Option<NaiveDateTime>,
        NaiveDateTime,
        i32,
    )> = reservations::table
        .inner_join(passes::table)
        .inner_join(screenings::table)
        .inner_join(tickets::table.on(tickets::booking_id.eq(reservations::booking_id)))
        .filter(passes::festival_id.eq(festival.to_string()))
        .filter(screenings::status.eq(crate::domain::ScreeningStatus::Scheduled.as_str()))
        .select((
            passes::pass_type_id,
            reservations::status,
            reservations::walk_in,
            tickets::admitted_at,
            screenings::starts_at,
            screenings::doors_close_minutes,
        ))
        .load(conn)?;
    for (kind, status, walk_in, admitted_at, starts_at, close_minutes) in seats {
        let Some(at) = line_of(&lines, &kind) else {
            continue;
        };
        let line = &mut lines[at];
        let closed = now > starts_at + chrono::Duration::minutes(i64::from(close_minutes));
        match ReservationStatus::from_db("reservations.status", &status)? {
            ReservationStatus::Reserved => {
                line.reservations += 1;
                line.walk_ins += i64::from(walk_in);
                match admitted_at {
                    Some(_) => line.admitted += 1,
                    None if closed => line.no_shows += 1,
                    None => {}
                }
            }
            ReservationStatus::Released => line.no_shows += 1,
            ReservationStatus::Cancelled => {}
        }
    }
    let mut categories: BTreeMap<PassCategory, PassCategoryLine> = BTreeMap::new();
    for line in &lines {
        let c = categories
            .entry(line.category)
            .or_insert_with(|| PassCategoryLine {
                category: line.category,
                holders: 0,
                reservations: 0,
                admitted: 0,
            });
        c.holders += line.holders;
        c.reservations += line.reservations;
        c.admitted += line.admitted;
    }
    Ok((categories.into_values().collect(), lines))
}
