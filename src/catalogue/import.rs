//! A festival's programme imported from CSV: one row a screening, with its film —
//! `title,original_title,director,year,runtime_minutes,country,venue,room,starts_at,capacity`
//! (the import machinery of [`crate::domain::sheet`], shared with the pass lists).
//!
//! - A film is its title and year (the title whatever its case). A film already in Marquee is used
//!   as it is — an import never changes one; a new film is made from the first row that names it,
//!   which must then give its director, year, running time and country.
//! - The venue is named (whatever the case) and must exist, with the room (venues are set up once,
//!   with their rooms and time zone); `starts_at` is RFC 3339 or the venue's local
//!   `YYYY-MM-DD HH:MM`; `capacity` defaults to the room's seats.
//! - A screening is its film, venue, room and start: one already in the festival is `unchanged`,
//!   so the same file again changes nothing.
//! - Every row is checked before anything is written — every cell, and what looks like a mistake
//!   (a start already past or outside the festival's days, two screenings in one room at once, in
//!   the file or with the festival's) — each problem named by its line and column; then all of it
//!   is written in one transaction, or none of it when any row has a problem.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::input::{Draft, FilmInput, ScreeningDraft};
use super::queries::{self as q, FilmRow, ScreeningRow, Venue};
use super::service::check_schedule;
use crate::db::schema::{films, screenings};
use crate::db::{AnyConnection, Tx};
use crate::domain::sheet::{self, Row, RowProblem};
use crate::domain::{FestivalId, FilmId, InputError, ScreeningId, ScreeningStatus, input};
use crate::error::{AppError, Thing};

pub const REQUIRED: &[&str] = &["title", "venue", "room", "starts_at"];
pub const OPTIONAL: &[&str] = &[
    "original_title",
    "director",
    "year",
    "runtime_minutes",
    "country",
    "capacity",
];
/// The most rows one file may hold: a large festival's whole programme.
pub const MAX_ROWS: usize = 2000;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ProgrammeReport {
    /// Screenings added (a dry run: that would be).
    pub created: usize,
    /// Rows whose screening the festival has already: nothing to do.
    pub unchanged: usize,
    /// Films added with them.
    pub films_created: usize,
    /// Every problem, by line and column. When there is any, nothing was written.
    pub errors: Vec<RowProblem>,
}

/// A checked file: the films to add, and each row's screening (`None`: already there).
pub struct Checked {
    films: Vec<FilmRow>,
    screenings: Vec<Option<ScreeningRow>>,
}

impl Checked {
    /// What writing it does.
    pub fn report(&self) -> ProgrammeReport {
        let created = self.screenings.iter().flatten().count();
        ProgrammeReport {
            created,
            unchanged: self.screenings.len() - created,
            films_created: self.films.len(),
            errors: Vec::new(),
        }
    }
}

/// A film a row names: found in Marquee, or to be made (its id is the new row's).
#[derive(Clone)]
struct FilmRef {
    id: String,
    runtime_minutes: i32,
    title: String,
}

/// Reads and checks a file against the festival and what Marquee holds (see the module).
pub fn check(
    conn: &mut AnyConnection,
    festival: FestivalId,
    bytes: &[u8],
    now: NaiveDateTime,
) -> Result<Result<Checked, Vec<RowProblem>>, AppError> {
    q::festival(conn, festival)?.ok_or_else(|| AppError::not_found(Thing::Festival))?;
    let rows = match sheet::read(bytes, REQUIRED, OPTIONAL, MAX_ROWS) {
        Ok(rows) => rows,
        Err(problems) => return Ok(Err(problems)),
    };
    let venues = q::list_venues(conn)?;
    let known_films: Vec<FilmRow> = films::table.select(FilmRow::as_select()).load(conn)?;
    let mut problems = Vec::new();
    let mut new_films: Vec<FilmRow> = Vec::new();
    let mut planned: Vec<Option<ScreeningRow>> = Vec::with_capacity(rows.len());
    // (film, venue, room, start) → the line that first named it.
    let mut seen: HashMap<(String, String, String, NaiveDateTime), u64> = HashMap::new();
    let mut in_file: Vec<(u64, ScreeningRow, String)> = Vec::new();
    for row in &rows {
        let mut found = Vec::new();
        let film = film_of(row, &known_films, &mut new_films, now, &mut found);
        let venue = venue_of(row, &venues, &mut found);
        let (Some(film), Some(venue)) = (film, venue) else {
            problems.append(&mut found);
            continue;
        };
        let Some(screening) = screening_of(row, festival, &film, venue, now, &mut found) else {
            problems.append(&mut found);
            continue;
        };
        let key = (
            screening.film_id.clone(),
            screening.venue_id.clone(),
            screening.room.clone(),
            screening.starts_at,
        );
        if let Some(first) = seen.insert(key, row.line) {
            found.push(RowProblem::new(
                row.line,
                "starts_at",
                crate::msg!("import-programme-repeated", line = first),
            ));
        } else if let Some(capacity) = already_there(conn, festival, &screening)? {
            if capacity == screening.capacity || row.get("capacity").is_empty() {
                planned.push(None);
                continue;
            }
            // An import changes no screening: a different size is a problem to settle by hand.
            found.push(RowProblem::new(
                row.line,
                "capacity",
                crate::msg!("import-programme-capacity-differs", capacity = capacity),
            ));
        } else if let Err(error) = check_schedule(conn, &screening, now) {
            found.push(problem_of(row.line, error)?);
        } else if let Some((line, _, other)) = in_file
            .iter()
            .find(|(_, other, _)| clash(other, &screening))
        {
            found.push(RowProblem::new(
                row.line,
                "room",
                crate::msg!("import-programme-clash", line = *line, film = other),
            ));
        }
        if found.is_empty() {
            in_file.push((row.line, screening.clone(), film.title.clone()));
            planned.push(Some(screening));
        }
        problems.append(&mut found);
    }
    Ok(if problems.is_empty() {
        Ok(Checked {
            films: new_films,
            screenings: planned,
        })
    } else {
        Err(problems)
    })
}

/// Writes a checked file in the caller's transaction: every film, then every screening.
pub fn write(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    checked: &Checked,
) -> Result<ProgrammeReport, AppError> {
    for film in &checked.films {
        diesel::insert_into(films::table)
            .values(film)
            .execute(tx.conn)?;
    }
    for screening in checked.screenings.iter().flatten() {
        q::insert_screening(tx, screening)?;
    }
    tx.changed.catalogue = true;
    let report = checked.report();
    crate::db::audit::record(
        tx,
        crate::db::audit::Change::new(
            Some(festival),
            "programme.import",
            format!("festival:{festival}"),
        )
        .after(&report),
    )?;
    Ok(report)
}

/// Whether two screenings of the file share a room at the same time.
fn clash(a: &ScreeningRow, b: &ScreeningRow) -> bool {
    a.venue_id == b.venue_id
        && a.room == b.room
        && a.starts_at < b.ends_at
        && b.starts_at < a.ends_at
}

/// The capacity of this screening when the festival has it already (its film, venue, room and
/// start).
fn already_there(
    conn: &mut AnyConnection,
    festival: FestivalId,
    s: &ScreeningRow,
) -> Result<Option<i32>, AppError> {
    Ok(screenings::table
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(screenings::film_id.eq(&s.film_id))
        .filter(screenings::venue_id.eq(&s.venue_id))
        .filter(screenings::room.eq(&s.room))
        .filter(screenings::starts_at.eq(s.starts_at))
        .select(screenings::capacity)
        .first(conn)
        .optional()?)
}

/// Locks the festival's row for an import's write (PostgreSQL; SQLite's one writer is the lock):
/// two imports of one festival at once — a retry after a timeout, say — are checked and written
/// one after the other, the second finding the first's screenings there.
pub fn lock_festival(conn: &mut AnyConnection, festival: FestivalId) -> Result<(), AppError> {
    if let AnyConnection::Postgresql(pg) = conn {
        crate::db::schema::festivals::table
            .find(festival.to_string())
            .select(crate::db::schema::festivals::id)
            .for_update()
            .first::<String>(pg)
            .optional()?;
    }
    Ok(())
}

/// A refusal of the schedule check as a row's problem.
fn problem_of(line: u64, error: AppError) -> Result<RowProblem, AppError> {
    match error {
        AppError::Invalid { field, message } => Ok(RowProblem::new(line, &field, message)),
        other => Err(other),
    }
}

/// A whole number from a cell, or a problem naming its column.
fn whole(column: &str, text: &str) -> Result<i64, InputError> {
    text.trim()
        .parse()
        .map_err(|_| InputError::new(column, crate::msg!("error-whole-number", field = column)))
}

/// A cell's value, or its problem kept.
fn kept<T>(found: &mut Vec<RowProblem>, line: u64, result: Result<T, InputError>) -> Option<T> {
    result
        .map_err(|e| found.push(RowProblem::new(line, &e.field, e.message)))
        .ok()
}

/// The film a row names: Marquee's (by title and year, or by title alone when only one film has
/// it), one an earlier row of the file makes, or a new one made from this row.
fn film_of(
    row: &Row,
    known: &[FilmRow],
    new_films: &mut Vec<FilmRow>,
    now: NaiveDateTime,
    found: &mut Vec<RowProblem>,
) -> Option<FilmRef> {
    let title = kept(found, row.line, input::text("title", row.get("title"), 300))?;
    let year = match row.get("year") {
        "" => None,
        text => Some(kept(
            found,
            row.line,
            whole("year", text).and_then(|y| input::year_in("year", y, 1888, 2100)),
        )?),
    };
    let same = |f: &&FilmRow| {
        f.title.to_lowercase() == title.to_lowercase() && year.is_none_or(|y| f.year == y)
    };
    let matching: Vec<&FilmRow> = known.iter().chain(new_films.iter()).filter(same).collect();
    match matching.as_slice() {
        [film] => {
            return Some(FilmRef {
                id: film.id.clone(),
                runtime_minutes: film.runtime_minutes,
                title: film.title.clone(),
            });
        }
        [] => {}
        _ => {
            found.push(RowProblem::new(
                row.line,
                "year",
                crate::msg!("import-programme-which-film", title = &title),
            ));
            return None;
        }
    }
    // A new film: what the row says of it must be complete.
    let mut missing = false;
    for column in ["director", "year", "runtime_minutes", "country"] {
        if row.get(column).is_empty() {
            found.push(RowProblem::new(
                row.line,
                column,
                crate::msg!("import-programme-new-film", title = &title),
            ));
            missing = true;
        }
    }
    if missing {
        return None;
    }
    let runtime = kept(
        found,
        row.line,
        whole("runtime_minutes", row.get("runtime_minutes")),
    )?;
    let film = kept(
        found,
        row.line,
        Draft::into_row(
            FilmInput {
                title,
                original_title: row.get("original_title").to_owned(),
                director: row.get("director").to_owned(),
                year: year.map(i64::from).unwrap_or_default(),
                runtime_minutes: runtime,
                country: row.get("country").to_owned(),
                language: String::new(),
                subtitles: String::new(),
                synopsis: String::new(),
            },
            FilmId::new(),
            now,
        ),
    )?;
    let made = FilmRef {
        id: film.id.clone(),
        runtime_minutes: film.runtime_minutes,
        title: film.title.clone(),
    };
    new_films.push(film);
    Some(made)
}

/// The venue a row names (whatever the case); more than one of that name is a problem naming
/// their cities.
fn venue_of<'a>(row: &Row, venues: &'a [Venue], found: &mut Vec<RowProblem>) -> Option<&'a Venue> {
    let name = row.get("venue").to_lowercase();
    let matching: Vec<&Venue> = venues
        .iter()
        .filter(|v| v.name.to_lowercase() == name)
        .collect();
    match matching.as_slice() {
        [venue] => Some(venue),
        [] => {
            found.push(RowProblem::new(
                row.line,
                "venue",
                crate::msg!(
                    "import-programme-venue-unknown",
                    name = row.get("venue"),
                    known = sheet::known(venues.iter().map(|v| v.name.as_str()))
                ),
            ));
            None
        }
        several => {
            found.push(RowProblem::new(
                row.line,
                "venue",
                crate::msg!(
                    "import-programme-venue-ambiguous",
                    name = row.get("venue"),
                    cities = sheet::known(several.iter().map(|v| v.city.as_str()))
                ),
            ));
            None
        }
    }
}

/// The screening a row describes, checked as a screening made by hand is.
fn screening_of(
    row: &Row,
    festival: FestivalId,
    film: &FilmRef,
    venue: &Venue,
    now: NaiveDateTime,
    found: &mut Vec<RowProblem>,
) -> Option<ScreeningRow> {
    let starts_at = kept(
        found,
        row.line,
        input::local_or_offset_time("starts_at", row.get("starts_at"), venue.zone()),
    )?;
    let capacity = match row.get("capacity") {
        "" => None,
        text => Some(kept(found, row.line, whole("capacity", text))?),
    };
    // The draft reads a film's id and running time only.
    let film_row = FilmRow {
        id: film.id.clone(),
        title: film.title.clone(),
        original_title: String::new(),
        director: String::new(),
        year: 0,
        runtime_minutes: film.runtime_minutes,
        country: String::new(),
        created_at: now,
        language: String::new(),
        subtitles: String::new(),
        synopsis: String::new(),
    };
    kept(
        found,
        row.line,
        ScreeningDraft {
            film: &film_row,
            venue,
            // The room by name whatever its case, as the venue.
            room: venue
                .rooms
                .iter()
                .find(|r| r.name.to_lowercase() == row.get("room").to_lowercase())
                .map_or_else(|| row.get("room").to_owned(), |r| r.name.clone()),
            starts_at,
            ends_at: Some(starts_at + Duration::minutes(i64::from(film.runtime_minutes))),
            capacity,
            doors_open_minutes: None,
            doors_close_minutes: None,
            pass_seats: None,
            status: ScreeningStatus::Scheduled,
        }
        .into_row(ScreeningId::new(), festival, now),
    )
}
