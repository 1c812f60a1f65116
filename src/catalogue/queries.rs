//! Catalogue queries and the types they return. One set of diesel queries for both backends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{festivals, films, screenings, staff, venues};
use crate::db::{AnyConnection, Tx};
use crate::domain::format;
use crate::domain::{FestivalId, FilmId, ScreeningId, ScreeningStatus, Unreadable, VenueId};
use crate::error::{AppError, Refusal, Thing};

// ---------------------------------------------------------------------------------------------
// Rows, as stored.

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = festivals)]
pub struct FestivalRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub timezone: String,
    pub attendance_goal: i32,
    pub created_at: NaiveDateTime,
    pub retention_days: i32,
    pub controller: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = venues)]
pub struct VenueRow {
    pub id: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub timezone: String,
    pub rooms: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = films)]
pub struct FilmRow {
    pub id: String,
    pub title: String,
    pub original_title: String,
    pub director: String,
    pub year: i32,
    pub runtime_minutes: i32,
    pub country: String,
    pub created_at: NaiveDateTime,
    pub language: String,
    pub subtitles: String,
    pub synopsis: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = screenings)]
pub struct ScreeningRow {
    pub id: String,
    pub festival_id: String,
    pub film_id: String,
    pub venue_id: String,
    pub room: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub booked: i32,
    pub admitted: i32,
    pub doors_open_minutes: i32,
    pub doors_close_minutes: i32,
    pub status: String,
    pub created_at: NaiveDateTime,
    /// Seats kept for festival pass holders (see [`Screening::kept_for_passes`]).
    pub pass_seats: i32,
    pub pass_taken: i32,
}

// ---------------------------------------------------------------------------------------------
// What the rest of the code and the API see.

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Festival {
    pub id: FestivalId,
    pub slug: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub timezone: String,
    pub attendance_goal: i32,
    /// Days after the last day at which the attendees' personal data is shredded.
    pub retention_days: i32,
    /// Who is responsible for the attendees' data; the festival's name when empty.
    pub controller: String,
}

impl TryFrom<FestivalRow> for Festival {
    type Error = Unreadable;

    /// Fails closed: a stored value that does not read back is an error naming its column.
    fn try_from(row: FestivalRow) -> Result<Festival, Unreadable> {
        // Days are counted in this zone (reports, the programme).
        format::stored_zone("festivals.timezone", &row.timezone)?;
        Ok(Festival {
            id: FestivalId::from_db("festivals.id", &row.id)?,
            slug: row.slug,
            name: row.name,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            timezone: row.timezone,
            attendance_goal: row.attendance_goal,
            retention_days: row.retention_days,
            controller: row.controller,
        })
    }
}

/// A room of a venue and how many seats it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Room {
    pub name: String,
    pub seats: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Venue {
    pub id: VenueId,
    pub name: String,
    pub city: String,
    pub address: String,
    pub timezone: String,
    pub rooms: Vec<Room>,
}

impl Venue {
    pub fn zone(&self) -> chrono_tz::Tz {
        format::zone(&self.timezone)
    }

    pub fn room(&self, name: &str) -> Option<&Room> {
        self.rooms.iter().find(|r| r.name == name)
    }
}

impl TryFrom<VenueRow> for Venue {
    type Error = Unreadable;

    /// Fails closed: a stored value that does not read back is an error naming its column.
    fn try_from(row: VenueRow) -> Result<Venue, Unreadable> {
        // Read once here, so that `zone()` never meets a name it cannot place.
        format::stored_zone("venues.timezone", &row.timezone)?;
        let rooms = serde_json::from_str(&row.rooms)
            .map_err(|_| Unreadable::new("venues.rooms", &row.rooms))?;
        Ok(Venue {
            id: VenueId::from_db("venues.id", &row.id)?,
            rooms,
            name: row.name,
            city: row.city,
            address: row.address,
            timezone: row.timezone,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Film {
    pub id: FilmId,
    pub title: String,
    pub original_title: String,
    pub director: String,
    pub year: i32,
    pub runtime_minutes: i32,
    pub country: String,
    /// The language(s) spoken, as the organiser wrote them ("Vietnamese"); empty when not given.
    #[schema(example = "Vietnamese")]
    pub language: String,
    /// The subtitles' language ("French"); empty for none.
    #[schema(example = "French")]
    pub subtitles: String,
    /// What the film is about, in a few lines; empty when not given.
    pub synopsis: String,
}

impl TryFrom<FilmRow> for Film {
    type Error = Unreadable;

    /// Fails closed: a stored value that does not read back is an error naming its column.
    fn try_from(row: FilmRow) -> Result<Film, Unreadable> {
        Ok(Film {
            id: FilmId::from_db("films.id", &row.id)?,
            title: row.title,
            original_title: row.original_title,
            director: row.director,
            year: row.year,
            runtime_minutes: row.runtime_minutes,
            country: row.country,
            language: row.language,
            subtitles: row.subtitles,
            synopsis: row.synopsis,
        })
    }
}

/// Of `pass_seats` kept for festival pass holders, those no pass has used yet (`pass_taken`):
/// the seats the public may not book. The one rule, for bookings, the waiting list and pages.
pub fn kept(pass_seats: i32, pass_taken: i32) -> i32 {
    (pass_seats - pass_taken).max(0)
}

/// A screening on its own (times in UTC).
#[derive(Debug, Clone)]
pub struct Screening {
    pub id: ScreeningId,
    pub festival_id: FestivalId,
    pub film_id: FilmId,
    pub venue_id: VenueId,
    pub room: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub booked: i32,
    pub admitted: i32,
    pub doors_open_minutes: i32,
    pub doors_close_minutes: i32,
    pub status: ScreeningStatus,
    /// Seats of its capacity kept for festival pass holders (a press row): the public cannot
    /// book them.
    pub pass_seats: i32,
    /// The kept seats passes have used up: those they hold, and those released unused at their
    /// release time (gone to the waiting list and anyone, not back to passes).
    pub pass_taken: i32,
}

impl Screening {
    /// The seats the public may still book: the kept seats passes have not used are not theirs.
    pub fn seats_left(&self) -> i32 {
        (self.capacity - self.booked - self.kept_for_passes()).max(0)
    }

    /// The seats a festival pass may still reserve: any seat left, kept or not.
    pub fn seats_left_for_passes(&self) -> i32 {
        (self.capacity - self.booked).max(0)
    }

    /// The kept seats no pass has used yet.
    pub fn kept_for_passes(&self) -> i32 {
        kept(self.pass_seats, self.pass_taken)
    }

    /// Online booking closes when the film starts.
    pub fn booking_open(&self, now: NaiveDateTime) -> bool {
        self.status == ScreeningStatus::Scheduled && now < self.starts_at
    }
}

impl TryFrom<ScreeningRow> for Screening {
    type Error = Unreadable;

    /// Fails closed: a stored value that does not read back is an error naming its column.
    fn try_from(row: ScreeningRow) -> Result<Screening, Unreadable> {
        Ok(Screening {
            id: ScreeningId::from_db("screenings.id", &row.id)?,
            festival_id: FestivalId::from_db("screenings.festival_id", &row.festival_id)?,
            film_id: FilmId::from_db("screenings.film_id", &row.film_id)?,
            venue_id: VenueId::from_db("screenings.venue_id", &row.venue_id)?,
            room: row.room,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            capacity: row.capacity,
            booked: row.booked,
            admitted: row.admitted,
            doors_open_minutes: row.doors_open_minutes,
            doors_close_minutes: row.doors_close_minutes,
            status: ScreeningStatus::from_db("screenings.status", &row.status)?,
            pass_seats: row.pass_seats,
            pass_taken: row.pass_taken,
        })
    }
}

/// A screening with its film and venue: what the programme, the screening page and the API show.
#[derive(Debug, Clone)]
pub struct ScreeningListing {
    pub screening: Screening,
    pub film: Film,
    pub venue: Venue,
}

impl ScreeningListing {
    pub fn zone(&self) -> chrono_tz::Tz {
        self.venue.zone()
    }
}

// ---------------------------------------------------------------------------------------------
// Festivals.

/// A festival's, venue's or film's stored row: listed, read, written and deleted the same way
/// (`catalogue_table!` below implements it for each), so that creating, editing and deleting
/// are written once (`service::create`, `service::update`, the API and the organiser pages).
pub trait Stored: Sized + Send + 'static {
    type Id: Copy + Send + serde::de::DeserializeOwned + 'static;
    /// What the rest of the code and the API see of it.
    type Model: Serialize + Send + 'static;
    /// What the audit trail calls it: `festival`, `venue`, `film`.
    const KIND: &'static str;
    fn new_id() -> Self::Id;
    /// Its id, as stored.
    fn id_text(&self) -> &str;
    /// The festival it is (a festival), or none (a venue or a film, shared by festivals).
    fn festival(&self) -> Option<FestivalId>;
    /// When the row was first made (an edit keeps it).
    fn created_at(&self) -> NaiveDateTime;
    /// Every one, in the order lists show them.
    fn list(conn: &mut AnyConnection) -> Result<Vec<Self::Model>, AppError>;
    /// What the rest of the code sees of one, or 404.
    fn find(conn: &mut AnyConnection, id: Self::Id) -> Result<Self::Model, AppError>;
    /// The row, or 404.
    fn load(conn: &mut AnyConnection, id: Self::Id) -> Result<Self, AppError>;
    fn insert(&self, tx: &mut Tx<'_>) -> Result<Self::Model, AppError>;
    /// Writes an edited row, with the checks an edit needs.
    fn store(&self, tx: &mut Tx<'_>) -> Result<Self::Model, AppError>;
    /// Deletes one no screening uses.
    fn delete(tx: &mut Tx<'_>, id: Self::Id) -> Result<(), AppError>;
}

/// The statements the festival, venue and film tables have alike, written once: find one by id,
/// or read its row (404 when there is none); insert or store a row (a clash with a unique column
/// is a 409 saying `$clash`); delete one that no screening uses (a used one is refused with
/// `$in_use`: cancel those screenings instead), first releasing the staff limited to it
/// (`$scope`). `update` is the edit the kind's [`Stored::store`] makes (a venue checks its rooms
/// first, then stores).
macro_rules! catalogue_table {
    (
        $table:ident, $row:ident, $model:ident, $id:ident, $thing:expr, kind: $kind:literal,
        clash: $clash:expr, used_by: $used_by:ident, scope: $scope:expr, in_use: $in_use:expr,
        also_used: $also_used:expr,
        fns: $find_fn:ident, $row_fn:ident, $insert_fn:ident, $store_fn:ident, $delete_fn:ident,
        list: $list_fn:ident, update: $update_fn:ident
    ) => {
        impl Stored for $row {
            type Id = $id;
            type Model = $model;
            const KIND: &'static str = $kind;

            fn new_id() -> $id {
                $id::new()
            }

            fn id_text(&self) -> &str {
                &self.id
            }

            fn festival(&self) -> Option<FestivalId> {
                if $kind == "festival" {
                    self.id.parse().ok()
                } else {
                    None
                }
            }

            fn created_at(&self) -> NaiveDateTime {
                self.created_at
            }

            fn list(conn: &mut AnyConnection) -> Result<Vec<$model>, AppError> {
                $list_fn(conn)
            }

            fn find(conn: &mut AnyConnection, id: $id) -> Result<$model, AppError> {
                $find_fn(conn, id)?.ok_or_else(|| AppError::not_found($thing))
            }

            fn load(conn: &mut AnyConnection, id: $id) -> Result<$row, AppError> {
                $row_fn(conn, id)
            }

            fn insert(&self, tx: &mut Tx<'_>) -> Result<$model, AppError> {
                $insert_fn(tx, self)
            }

            fn store(&self, tx: &mut Tx<'_>) -> Result<$model, AppError> {
                $update_fn(tx, self)
            }

            fn delete(tx: &mut Tx<'_>, id: $id) -> Result<(), AppError> {
                $delete_fn(tx, id)
            }
        }

        pub fn $find_fn(conn: &mut AnyConnection, id: $id) -> Result<Option<$model>, AppError> {
            let row = $table::table
                .find(id.to_string())
                .select($row::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map($model::try_from).transpose()?)
        }

        pub fn $row_fn(conn: &mut AnyConnection, id: $id) -> Result<$row, AppError> {
            $table::table
                .find(id.to_string())
                .select($row::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found($thing))
        }

        pub fn $insert_fn(tx: &mut Tx<'_>, row: &$row) -> Result<$model, AppError> {
            diesel::insert_into($table::table)
                .values(row)
                .execute(tx.conn)
                .map_err(|e| unique_as(e, $clash))?;
            tx.changed.catalogue = true;
            Ok(row.clone().try_into()?)
        }

        pub fn $store_fn(tx: &mut Tx<'_>, row: &$row) -> Result<$model, AppError> {
            diesel::update($table::table.find(&row.id))
                .set(row)
                .execute(tx.conn)
                .map_err(|e| unique_as(e, $clash))?;
            tx.changed.catalogue = true;
            Ok(row.clone().try_into()?)
        }

        pub fn $delete_fn(tx: &mut Tx<'_>, id: $id) -> Result<(), AppError> {
            tx.savepoint(|tx| {
                $row_fn(tx.conn, id)?;
                let used: i64 = screenings::table
                    .filter(screenings::$used_by.eq(id.to_string()))
                    .count()
                    .get_result(tx.conn)?;
                if used > 0 {
                    let in_use: fn(i64) -> crate::i18n::Msg = $in_use;
                    return Err(AppError::conflict(Refusal::InUse, in_use(used)));
                }
                let also_used: AlsoUsed = $also_used;
                if let Some(message) = also_used(tx.conn, &id.to_string())? {
                    return Err(AppError::conflict(Refusal::InUse, message));
                }
                let scope: Option<ScopeOf> = $scope;
                if let Some(scope) = scope {
                    release_scoped_staff(tx.conn, scope, &id.to_string())?;
                }
                diesel::delete($table::table.find(id.to_string())).execute(tx.conn)?;
                tx.changed.catalogue = true;
                Ok(())
            })
        }
    };
}

/// What else keeps a catalogue row from being deleted, besides its screenings: the refusal's words.
type AlsoUsed = fn(&mut AnyConnection, &str) -> Result<Option<crate::i18n::Msg>, AppError>;

/// A festival with pass types is in use: its passes and their holders name it.
fn festival_passes(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<crate::i18n::Msg>, AppError> {
    use crate::db::schema::pass_types;
    let kinds: i64 = pass_types::table
        .filter(pass_types::festival_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((kinds > 0).then(|| crate::msg!("error-festival-has-passes", count = kinds)))
}

/// Nothing else uses it.
fn used_by_nothing_else(
    _: &mut AnyConnection,
    _: &str,
) -> Result<Option<crate::i18n::Msg>, AppError> {
    Ok(None)
}

catalogue_table!(festivals, FestivalRow, Festival, FestivalId, Thing::Festival, kind: "festival",
    clash: crate::msg!("error-slug-taken"), used_by: festival_id, scope: Some(ScopeOf::Festival),
    in_use: |count| crate::msg!("error-festival-in-use", count = count),
    also_used: festival_passes,
    fns: festival, festival_row, insert_festival, update_festival, delete_festival,
    list: list_festivals, update: update_festival);
catalogue_table!(venues, VenueRow, Venue, VenueId, Thing::Venue, kind: "venue",
    clash: crate::msg!("error-venue-exists"), used_by: venue_id, scope: Some(ScopeOf::Venue),
    in_use: |count| crate::msg!("error-venue-in-use", count = count),
    also_used: used_by_nothing_else,
    fns: venue, venue_row, insert_venue, store_venue, delete_venue,
    list: list_venues, update: update_venue);
catalogue_table!(films, FilmRow, Film, FilmId, Thing::Film, kind: "film",
    clash: crate::msg!("error-film-exists"), used_by: film_id, scope: None,
    in_use: |count| crate::msg!("error-film-in-use", count = count),
    also_used: used_by_nothing_else,
    fns: film, film_row, insert_film, update_film, delete_film,
    list: list_films, update: update_film);

/// Rows read back as what the rest of the code sees; a stored value that does not read is an
/// error naming it.
fn models<R, M: TryFrom<R, Error = Unreadable>>(rows: Vec<R>) -> Result<Vec<M>, AppError> {
    Ok(rows
        .into_iter()
        .map(M::try_from)
        .collect::<Result<_, _>>()?)
}

pub fn list_festivals(conn: &mut AnyConnection) -> Result<Vec<Festival>, AppError> {
    let rows = festivals::table
        .order((festivals::starts_on.desc(), festivals::name.asc()))
        .select(FestivalRow::as_select())
        .load(conn)?;
    models(rows)
}

/// What a festival shows, and where, for its card on the front page: its scheduled screenings'
/// films (how many) and venues (names, in the order they first appear).
#[derive(Debug, Default, Clone)]
pub struct Outline {
    pub films: usize,
    pub venues: Vec<String>,
}

/// Every festival's [`Outline`], by festival.
pub fn outlines(
    conn: &mut AnyConnection,
) -> Result<std::collections::HashMap<String, Outline>, AppError> {
    let rows: Vec<(String, String, String)> = screenings::table
        .inner_join(venues::table)
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .select((screenings::festival_id, screenings::film_id, venues::name))
        .distinct()
        .order((screenings::festival_id, venues::name))
        .load(conn)?;
    let mut films = std::collections::HashMap::<String, std::collections::HashSet<String>>::new();
    let mut outlines = std::collections::HashMap::<String, Outline>::new();
    for (festival, film, venue) in rows {
        films.entry(festival.clone()).or_default().insert(film);
        let outline = outlines.entry(festival).or_default();
        if !outline.venues.contains(&venue) {
            outline.venues.push(venue);
        }
    }
    for (festival, outline) in &mut outlines {
        outline.films = films
            .get(festival)
            .map_or(0, std::collections::HashSet::len);
    }
    Ok(outlines)
}

pub fn festival_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<Festival>, AppError> {
    let row = festivals::table
        .filter(festivals::slug.eq(slug))
        .select(FestivalRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Festival::try_from).transpose()?)
}

// ---------------------------------------------------------------------------------------------
// Venues.

pub fn list_venues(conn: &mut AnyConnection) -> Result<Vec<Venue>, AppError> {
    let rows = venues::table
        .order((venues::city.asc(), venues::name.asc()))
        .select(VenueRow::as_select())
        .load(conn)?;
    models(rows)
}

pub fn venue_by_name(
    conn: &mut AnyConnection,
    name: &str,
    city: &str,
) -> Result<Option<Venue>, AppError> {
    let row = venues::table
        .filter(venues::name.eq(name))
        .filter(venues::city.eq(city))
        .select(VenueRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Venue::try_from).transpose()?)
}

/// Updates a venue. Removing or shrinking a room that scheduled screenings use is refused.
pub fn update_venue(tx: &mut Tx<'_>, row: &VenueRow) -> Result<Venue, AppError> {
    let venue = Venue::try_from(row.clone())?;
    let used: Vec<(String, i32)> = screenings::table
        .filter(screenings::venue_id.eq(&row.id))
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .select((screenings::room, screenings::capacity))
        .load(tx.conn)?;
    for (room, capacity) in used {
        match venue.room(&room) {
            None => {
                return Err(AppError::invalid(
                    "rooms",
                    crate::msg!("error-room-in-use", room = room),
                ));
            }
            Some(r) if r.seats < i64::from(capacity) => {
                return Err(AppError::invalid(
                    "rooms",
                    crate::msg!(
                        "error-room-too-small",
                        room = room,
                        capacity = capacity,
                        seats = r.seats
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    store_venue(tx, row)
}

/// Whether a festival has a screening at a venue (a member of one venue's door serves the
/// festivals that screen there).
pub fn festival_screens_at(
    conn: &mut AnyConnection,
    festival: FestivalId,
    venue: VenueId,
) -> Result<bool, AppError> {
    let found: i64 = screenings::table
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(screenings::venue_id.eq(venue.to_string()))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

// ---------------------------------------------------------------------------------------------
// Films.

pub fn list_films(conn: &mut AnyConnection) -> Result<Vec<Film>, AppError> {
    let rows = films::table
        .order((films::title.asc(), films::year.asc()))
        .select(FilmRow::as_select())
        .load(conn)?;
    models(rows)
}

pub fn film_by_title(
    conn: &mut AnyConnection,
    title: &str,
    year: i32,
) -> Result<Option<Film>, AppError> {
    let row = films::table
        .filter(films::title.eq(title))
        .filter(films::year.eq(year))
        .select(FilmRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Film::try_from).transpose()?)
}

// ---------------------------------------------------------------------------------------------
// Screenings.

/// Every screening of a festival with its film and venue, in start order.
pub fn list_screenings(
    conn: &mut AnyConnection,
    festival_id: FestivalId,
) -> Result<Vec<ScreeningListing>, AppError> {
    let rows = screenings::table
        .inner_join(films::table)
        .inner_join(venues::table)
        .filter(screenings::festival_id.eq(festival_id.to_string()))
        .order((screenings::starts_at.asc(), venues::name.asc()))
        .select((
            ScreeningRow::as_select(),
            FilmRow::as_select(),
            VenueRow::as_select(),
        ))
        .load::<(ScreeningRow, FilmRow, VenueRow)>(conn)?;
    Ok(rows.into_iter().map(listing).collect::<Result<_, _>>()?)
}

/// Every screening of one film in a festival, with its film and venue, in start order (a
/// festival has tens of screenings: read them all and keep the film's).
pub fn film_screenings(
    conn: &mut AnyConnection,
    festival_id: FestivalId,
    film_id: FilmId,
) -> Result<Vec<ScreeningListing>, AppError> {
    let mut listings = list_screenings(conn, festival_id)?;
    listings.retain(|l| l.film.id == film_id);
    Ok(listings)
}

/// Scheduled screenings starting in `from..to` (at one venue, or anywhere), with their film and
/// venue, in start order, at most `limit`: one query, for the door pages and venue-mode scans.
pub fn scheduled_screenings_between(
    conn: &mut AnyConnection,
    venue: Option<VenueId>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: i64,
) -> Result<Vec<ScreeningListing>, AppError> {
    let mut query = screenings::table
        .inner_join(films::table)
        .inner_join(venues::table)
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .filter(screenings::starts_at.gt(from))
        .filter(screenings::starts_at.lt(to))
        .order((screenings::starts_at.asc(), venues::name.asc()))
        .limit(limit)
        .select((
            ScreeningRow::as_select(),
            FilmRow::as_select(),
            VenueRow::as_select(),
        ))
        .into_boxed();
    if let Some(venue) = venue {
        query = query.filter(screenings::venue_id.eq(venue.to_string()));
    }
    let rows = query.load::<(ScreeningRow, FilmRow, VenueRow)>(conn)?;
    Ok(rows.into_iter().map(listing).collect::<Result<_, _>>()?)
}

pub fn screening_listing(
    conn: &mut AnyConnection,
    id: ScreeningId,
) -> Result<Option<ScreeningListing>, AppError> {
    let row = screenings::table
        .inner_join(films::table)
        .inner_join(venues::table)
        .filter(screenings::id.eq(id.to_string()))
        .select((
            ScreeningRow::as_select(),
            FilmRow::as_select(),
            VenueRow::as_select(),
        ))
        .first::<(ScreeningRow, FilmRow, VenueRow)>(conn)
        .optional()?;
    Ok(row.map(listing).transpose()?)
}

fn listing(
    (screening, film, venue): (ScreeningRow, FilmRow, VenueRow),
) -> Result<ScreeningListing, Unreadable> {
    Ok(ScreeningListing {
        screening: screening.try_into()?,
        film: film.try_into()?,
        venue: venue.try_into()?,
    })
}

pub fn screening_row(conn: &mut AnyConnection, id: ScreeningId) -> Result<ScreeningRow, AppError> {
    screenings::table
        .find(id.to_string())
        .select(ScreeningRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Screening))
}

pub fn insert_screening(tx: &mut Tx<'_>, row: &ScreeningRow) -> Result<(), AppError> {
    diesel::insert_into(screenings::table)
        .values(row)
        .execute(tx.conn)?;
    tx.changed.catalogue = true;
    Ok(())
}

/// Saves an edited screening. The capacity may not drop below the seats already booked; the
/// check is part of the update, so a booking racing the edit cannot slip past it.
/// Deletes a screening nobody ever booked, joined the waiting list or standby line of, or was
/// scanned at (a screening with any of those is cancelled instead: they are its history).
pub fn delete_unused_screening(tx: &mut Tx<'_>, id: ScreeningId) -> Result<(), AppError> {
    use crate::db::schema::{
        bookings, scans, screening_tallies, standby_numbers, waitlist_entries,
    };
    let id = id.to_string();
    // The rows of these tables that name the screening.
    macro_rules! naming {
        ($($table:ident),+) => {
            0 $(+ $table::table
                .filter($table::screening_id.eq(&id))
                .count()
                .get_result::<i64>(tx.conn)?)+
        };
    }
    let used = naming!(
        bookings,
        scans,
        waitlist_entries,
        standby_numbers,
        screening_tallies
    );
    if used > 0 {
        return Err(AppError::conflict(
            Refusal::InUse,
            crate::msg!("error-screening-in-use"),
        ));
    }
    let deleted = diesel::delete(screenings::table.find(&id)).execute(tx.conn)?;
    tx.changed.catalogue = true;
    if deleted == 0 {
        return Err(AppError::not_found(Thing::Screening));
    }
    Ok(())
}

pub fn update_screening(tx: &mut Tx<'_>, row: &ScreeningRow) -> Result<(), AppError> {
    let updated = diesel::update(
        screenings::table
            .find(&row.id)
            .filter(screenings::booked.le(row.capacity)),
    )
    .set((
        screenings::film_id.eq(&row.film_id),
        screenings::venue_id.eq(&row.venue_id),
        screenings::room.eq(&row.room),
        screenings::starts_at.eq(row.starts_at),
        screenings::ends_at.eq(row.ends_at),
        screenings::capacity.eq(row.capacity),
        screenings::doors_open_minutes.eq(row.doors_open_minutes),
        screenings::doors_close_minutes.eq(row.doors_close_minutes),
        screenings::status.eq(&row.status),
        screenings::pass_seats.eq(row.pass_seats),
    ))
    .execute(tx.conn)?;
    tx.changed.catalogue = true;
    if updated == 0 {
        let current = screening_row(tx.conn, ScreeningId::from_db("screenings.id", &row.id)?)?;
        return Err(AppError::Conflict {
            refusal: Refusal::CapacityBelowBooked,
            message: crate::msg!("error-capacity-below-booked", count = current.booked),
            seats_left: None,
        });
    }
    Ok(())
}

/// Cancels a screening: it can no longer be booked and its tickets no longer admit anyone.
pub fn cancel_screening(tx: &mut Tx<'_>, id: ScreeningId) -> Result<(), AppError> {
    let updated = diesel::update(screenings::table.find(id.to_string()))
        .set(screenings::status.eq(ScreeningStatus::Cancelled.as_str()))
        .execute(tx.conn)?;
    tx.changed.catalogue = true;
    if updated == 0 {
        return Err(AppError::not_found(Thing::Screening));
    }
    Ok(())
}

/// What a staff credential can be limited to.
enum ScopeOf {
    Festival,
    Venue,
}

/// Before deleting a festival or venue: active staff limited to it keep it in use (409); revoked
/// staff limited to it lose the reference (they can no longer sign in anyway).
fn release_scoped_staff(
    conn: &mut AnyConnection,
    scope: ScopeOf,
    id: &str,
) -> Result<(), AppError> {
    let active: i64 = match scope {
        ScopeOf::Festival => staff::table
            .filter(staff::festival_id.eq(id))
            .filter(staff::revoked_at.is_null())
            .count()
            .get_result(conn)?,
        ScopeOf::Venue => staff::table
            .filter(staff::venue_id.eq(id))
            .filter(staff::revoked_at.is_null())
            .count()
            .get_result(conn)?,
    };
    if active > 0 {
        let message = match scope {
            ScopeOf::Festival => crate::msg!("error-festival-staff-scoped", count = active),
            ScopeOf::Venue => crate::msg!("error-venue-staff-scoped", count = active),
        };
        return Err(AppError::conflict(Refusal::InUse, message));
    }
    match scope {
        ScopeOf::Festival => {
            // Its team's roles go with it (they are roles in this festival only).
            use crate::db::schema::team_roles;
            diesel::delete(team_roles::table.filter(team_roles::festival_id.eq(id)))
                .execute(conn)?;
            diesel::update(staff::table.filter(staff::festival_id.eq(id)))
                .set(staff::festival_id.eq(None::<String>))
                .execute(conn)?
        }
        ScopeOf::Venue => diesel::update(staff::table.filter(staff::venue_id.eq(id)))
            .set(staff::venue_id.eq(None::<String>))
            .execute(conn)?,
    };
    Ok(())
}

/// Turns a unique violation into a 409 saying what already exists; other errors pass through.
fn unique_as(error: diesel::result::Error, message: crate::i18n::Msg) -> AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AppError::Conflict {
            refusal: Refusal::AlreadyExists,
            message,
            seats_left: None,
        },

        other => other.into(),
    }
}
