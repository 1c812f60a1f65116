//! What organisers send to create or edit the catalogue, and the checks that turn it into rows.
//!
//! Each entity has an input (all required fields) and a patch (every field optional). A patch is
//! applied onto the stored values and the result is checked exactly like a new input, so an edit
//! can never store what a create would refuse.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::queries::{FestivalRow, FilmRow, Room, ScreeningRow, Stored, Venue, VenueRow};
use crate::domain::{
    Country, FestivalId, FilmId, InputError, ScreeningId, ScreeningStatus, Unreadable, VenueId,
    input,
};

/// `put!(input, patch: a, b)`: each named field the patch gives replaces the input's.
macro_rules! put {
    ($input:ident, $patch:ident: $($field:ident),+) => {
        $(
            if let Some(value) = $patch.$field {
                $input.$field = value;
            }
        )+
    };
}

/// What a festival's, venue's and film's input share: read back from its stored row, patched, and
/// checked into the row to store. `service::create` and `service::update` are written once over it.
pub trait Draft: Sized + Clone + Send + 'static {
    type Id: Copy + Send + serde::de::DeserializeOwned + 'static;
    type Row: Stored<Id = Self::Id>;
    type Patch: Clone + Send + 'static;
    /// The input that would store `row` again.
    fn from_row(row: &Self::Row) -> Result<Self, Unreadable>;
    /// The input with the patch's fields put in.
    fn apply(self, patch: Self::Patch) -> Self;
    /// Checks every field and builds the row to store.
    fn into_row(self, id: Self::Id, created_at: NaiveDateTime) -> Result<Self::Row, InputError>;
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FestivalInput {
    #[schema(
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 64,
        example = "vfw-paris-2025"
    )]
    pub slug: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[schema(example = "Europe/Paris")]
    pub timezone: String,
    #[schema(minimum = 0, maximum = 100000000)]
    pub attendance_goal: i64,
    /// Days after the festival's last day at which its attendees' personal data is shredded.
    #[serde(default = "default_retention_days")]
    #[schema(minimum = 0, maximum = 3650, default = 90)]
    pub retention_days: i64,
    /// Who is responsible for the attendees' data (named by the privacy notice); the festival's
    /// name when empty.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub controller: String,
}

/// How long personal data is kept after a festival ends unless its organisers say otherwise.
pub const DEFAULT_RETENTION_DAYS: i64 = 90;

fn default_retention_days() -> i64 {
    DEFAULT_RETENTION_DAYS
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FestivalPatch {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 64)]
    pub slug: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    #[schema(example = "Europe/Paris")]
    pub timezone: Option<String>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub attendance_goal: Option<i64>,
    #[schema(minimum = 0, maximum = 3650)]
    pub retention_days: Option<i64>,
    #[schema(max_length = 300)]
    pub controller: Option<String>,
}

impl Draft for FestivalInput {
    type Id = FestivalId;
    type Row = FestivalRow;
    type Patch = FestivalPatch;

    fn from_row(row: &FestivalRow) -> Result<FestivalInput, Unreadable> {
        Ok(FestivalInput {
            slug: row.slug.clone(),
            name: row.name.clone(),
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            timezone: row.timezone.clone(),
            attendance_goal: i64::from(row.attendance_goal),
            retention_days: i64::from(row.retention_days),
            controller: row.controller.clone(),
        })
    }

    fn apply(mut self, p: FestivalPatch) -> FestivalInput {
        put!(self, p: slug, name, starts_on, ends_on, timezone, attendance_goal, retention_days, controller);
        self
    }

    fn into_row(
        self,
        id: FestivalId,
        created_at: NaiveDateTime,
    ) -> Result<FestivalRow, InputError> {
        let slug = input::slug(&self.slug)?;
        let name = input::text("name", &self.name, 200)?;
        input::date_in_range("starts_on", self.starts_on)?;
        input::date_in_range("ends_on", self.ends_on)?;
        if self.ends_on < self.starts_on {
            return Err(InputError::new(
                "ends_on",
                crate::msg!("error-festival-ends-before-start"),
            ));
        }
        if (self.ends_on - self.starts_on).num_days() > 366 {
            return Err(InputError::new(
                "ends_on",
                crate::msg!("error-festival-too-long"),
            ));
        }
        let timezone = input::timezone(&self.timezone)?;
        let goal = input::number_in("attendance_goal", self.attendance_goal, 0, 100_000_000)?;
        let retention_days = input::number_in("retention_days", self.retention_days, 0, 3650)?;
        let controller = input::optional_text("controller", &self.controller, 300)?;
        Ok(FestivalRow {
            id: id.to_string(),
            slug,
            name,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            timezone: timezone.name().to_owned(),
            attendance_goal: goal,
            created_at,
            retention_days,
            controller,
        })
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VenueInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_length = 1, max_length = 200)]
    pub city: String,
    #[serde(default)]
    pub address: String,
    #[schema(example = "Europe/Paris")]
    pub timezone: String,
    #[schema(min_items = 1)]
    pub rooms: Vec<Room>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VenuePatch {
    pub name: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub timezone: Option<String>,
    pub rooms: Option<Vec<Room>>,
}

/// The most rooms a venue may list, and seats a room may have.
const MAX_ROOMS: usize = 100;
const MAX_ROOM_SEATS: i64 = 100_000;

impl Draft for VenueInput {
    type Id = VenueId;
    type Row = VenueRow;
    type Patch = VenuePatch;

    fn from_row(row: &VenueRow) -> Result<VenueInput, Unreadable> {
        let venue = Venue::try_from(row.clone())?;
        Ok(VenueInput {
            name: venue.name,
            city: venue.city,
            address: venue.address,
            timezone: venue.timezone,
            rooms: venue.rooms,
        })
    }

    fn apply(mut self, p: VenuePatch) -> VenueInput {
        put!(self, p: name, city, address, timezone, rooms);
        self
    }

    fn into_row(self, id: VenueId, created_at: NaiveDateTime) -> Result<VenueRow, InputError> {
        let name = input::text("name", &self.name, 200)?;
        let city = input::text("city", &self.city, 100)?;
        let address = input::optional_text("address", &self.address, 300)?;
        let timezone = input::timezone(&self.timezone)?;
        if self.rooms.is_empty() || self.rooms.len() > MAX_ROOMS {
            return Err(InputError::new(
                "rooms",
                crate::msg!("error-rooms-count", max = MAX_ROOMS),
            ));
        }
        let mut rooms: Vec<Room> = Vec::with_capacity(self.rooms.len());
        for (i, room) in self.rooms.into_iter().enumerate() {
            let field = format!("rooms[{i}]");
            let name = input::text(&format!("{field}.name"), &room.name, 100)?;
            if rooms.iter().any(|r| r.name == name) {
                let field = format!("{field}.name");
                return Err(InputError::new(
                    &field,
                    crate::msg!("error-room-twice", field = &field, name = name),
                ));
            }
            input::number_in(&format!("{field}.seats"), room.seats, 1, MAX_ROOM_SEATS)?;
            rooms.push(Room {
                name,
                seats: room.seats,
            });
        }
        Ok(VenueRow {
            id: id.to_string(),
            name,
            city,
            address,
            timezone: timezone.name().to_owned(),
            rooms: serde_json::to_string(&rooms).unwrap_or_else(|_| "[]".to_owned()),
            created_at,
        })
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilmInput {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    pub original_title: String,
    #[schema(min_length = 1, max_length = 200)]
    pub director: String,
    #[schema(minimum = 1888, maximum = 2100)]
    pub year: i64,
    #[schema(minimum = 1, maximum = 1000)]
    pub runtime_minutes: i64,
    #[schema(pattern = "^[A-Za-z]{2}$", example = "VN")]
    pub country: String,
    /// The language(s) spoken ("Vietnamese"); a language's name or code is shown in the
    /// reader's language. Empty when not given.
    #[serde(default)]
    #[schema(max_length = 100, example = "Vietnamese")]
    pub language: String,
    /// The subtitles' language ("French"); empty for none.
    #[serde(default)]
    #[schema(max_length = 100, example = "French")]
    pub subtitles: String,
    /// What the film is about, in a few lines (line breaks kept); empty when not given.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub synopsis: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilmPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    pub original_title: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub director: Option<String>,
    #[schema(minimum = 1888, maximum = 2100)]
    pub year: Option<i64>,
    #[schema(minimum = 1, maximum = 1000)]
    pub runtime_minutes: Option<i64>,
    #[schema(pattern = "^[A-Za-z]{2}$", example = "VN")]
    pub country: Option<String>,
    #[schema(max_length = 100)]
    pub language: Option<String>,
    #[schema(max_length = 100)]
    pub subtitles: Option<String>,
    #[schema(max_length = 2000)]
    pub synopsis: Option<String>,
}

/// The longest a film's language or subtitles may be, in characters.
const MAX_LANGUAGE_CHARS: usize = 100;

impl Draft for FilmInput {
    type Id = FilmId;
    type Row = FilmRow;
    type Patch = FilmPatch;

    fn from_row(row: &FilmRow) -> Result<FilmInput, Unreadable> {
        Ok(FilmInput {
            title: row.title.clone(),
            original_title: row.original_title.clone(),
            director: row.director.clone(),
            year: i64::from(row.year),
            runtime_minutes: i64::from(row.runtime_minutes),
            country: row.country.clone(),
            language: row.language.clone(),
            subtitles: row.subtitles.clone(),
            synopsis: row.synopsis.clone(),
        })
    }

    fn apply(mut self, p: FilmPatch) -> FilmInput {
        put!(self, p: title, original_title, director, year, runtime_minutes, country,
            language, subtitles, synopsis);
        self
    }

    fn into_row(self, id: FilmId, created_at: NaiveDateTime) -> Result<FilmRow, InputError> {
        let title = input::text("title", &self.title, 300)?;
        let original_title = input::optional_text("original_title", &self.original_title, 300)?;
        let director = input::text("director", &self.director, 200)?;
        let year = input::year_in("year", self.year, 1888, 2100)?;
        let runtime = input::number_in("runtime_minutes", self.runtime_minutes, 1, 1000)?;
        let country = Country::parse(&self.country)?;
        let language = input::optional_text("language", &self.language, MAX_LANGUAGE_CHARS)?;
        let subtitles = input::optional_text("subtitles", &self.subtitles, MAX_LANGUAGE_CHARS)?;
        let synopsis = input::paragraphs("synopsis", &self.synopsis, 2000)?;
        Ok(FilmRow {
            id: id.to_string(),
            title,
            original_title,
            director,
            year,
            runtime_minutes: runtime,
            country: country.code().to_owned(),
            created_at,
            language,
            subtitles,
            synopsis,
        })
    }
}

// ---------------------------------------------------------------------------------------------

/// Doors open this many minutes before the start unless the organiser says otherwise.
pub const DEFAULT_DOORS_OPEN_MINUTES: i64 = 45;
/// Doors close (late admission ends) this many minutes after the start by default.
pub const DEFAULT_DOORS_CLOSE_MINUTES: i64 = 30;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    #[schema(format = Uuid)]
    pub festival_id: String,
    #[schema(format = Uuid)]
    pub film_id: String,
    #[schema(format = Uuid)]
    pub venue_id: String,
    #[schema(min_length = 1)]
    pub room: String,
    #[schema(example = "2025-12-12T20:00")]
    pub starts_at: String,
    pub ends_at: Option<String>,
    #[schema(minimum = 1)]
    pub capacity: Option<i64>,
    #[schema(minimum = 0)]
    pub doors_open_minutes: Option<i64>,
    #[schema(minimum = 0)]
    pub doors_close_minutes: Option<i64>,
    /// Seats of the capacity kept for festival pass holders (a press row): the public cannot
    /// book them; passes may take any seat. 0 by default, at most the capacity.
    #[schema(minimum = 0)]
    pub pass_seats: Option<i64>,
    /// `false` to have Marquee refuse (422) a time that looks like a mistake: already past,
    /// outside the festival's days, or over another screening in the same room. The organiser's
    /// form always asks, and adds it anyway once confirmed; the API, written by programs that
    /// know what they place, does not unless asked (default `true`).
    #[serde(default = "confirmed")]
    pub confirm: bool,
}

/// An API write places a screening where it says unless it asks to be checked.
fn confirmed() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningPatch {
    pub film_id: Option<String>,
    pub venue_id: Option<String>,
    pub room: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub capacity: Option<i64>,
    pub doors_open_minutes: Option<i64>,
    pub doors_close_minutes: Option<i64>,
    pub pass_seats: Option<i64>,
    pub status: Option<String>,
    /// `false` to have a new time checked for mistakes (see `ScreeningInput::confirm`).
    #[serde(default = "confirmed")]
    pub confirm: bool,
}

/// Parses an id field, naming it when it is not a UUID.
pub fn id_field<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, InputError> {
    value
        .trim()
        .parse()
        .map_err(|_| InputError::new(field, crate::msg!("error-uuid", field = field)))
}

/// A screening's values once its film and venue are known; `None` means "use the default".
pub struct ScreeningDraft<'a> {
    pub film: &'a FilmRow,
    pub venue: &'a Venue,
    pub room: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub capacity: Option<i64>,
    pub doors_open_minutes: Option<i64>,
    pub doors_close_minutes: Option<i64>,
    pub pass_seats: Option<i64>,
    pub status: ScreeningStatus,
}

impl ScreeningDraft<'_> {
    /// Checks the draft and builds the row (counters start at zero; an update keeps its own).
    pub fn into_row(
        self,
        id: ScreeningId,
        festival_id: FestivalId,
        created_at: NaiveDateTime,
    ) -> Result<ScreeningRow, InputError> {
        let room_name = input::text("room", &self.room, 100)?;
        let Some(room) = self.venue.room(&room_name) else {
            let names: Vec<&str> = self.venue.rooms.iter().map(|r| r.name.as_str()).collect();
            return Err(InputError::new(
                "room",
                crate::msg!("error-room-unknown", rooms = names.join(", ")),
            ));
        };
        let ends_at = self.ends_at.unwrap_or_else(|| {
            self.starts_at + Duration::minutes(i64::from(self.film.runtime_minutes))
        });
        if ends_at <= self.starts_at {
            return Err(InputError::new(
                "ends_at",
                crate::msg!("error-screening-ends-before-start"),
            ));
        }
        if ends_at - self.starts_at > Duration::hours(24) {
            return Err(InputError::new(
                "ends_at",
                crate::msg!("error-screening-too-long"),
            ));
        }
        let capacity = input::number_in(
            "capacity",
            self.capacity.unwrap_or(room.seats),
            1,
            room.seats,
        )?;
        let doors_open = input::number_in(
            "doors_open_minutes",
            self.doors_open_minutes
                .unwrap_or(DEFAULT_DOORS_OPEN_MINUTES),
            0,
            24 * 60,
        )?;
        let doors_close = input::number_in(
            "doors_close_minutes",
            self.doors_close_minutes
                .unwrap_or(DEFAULT_DOORS_CLOSE_MINUTES),
            0,
            24 * 60,
        )?;
        let pass_seats = input::number_in(
            "pass_seats",
            self.pass_seats.unwrap_or(0),
            0,
            i64::from(capacity),
        )?;
        Ok(ScreeningRow {
            id: id.to_string(),
            festival_id: festival_id.to_string(),
            film_id: self.film.id.clone(),
            venue_id: self.venue.id.to_string(),
            room: room_name,
            starts_at: self.starts_at,
            ends_at,
            capacity,
            booked: 0,
            admitted: 0,
            doors_open_minutes: doors_open,
            doors_close_minutes: doors_close,
            status: self.status.as_str().to_owned(),
            created_at,
            pass_seats,
            pass_taken: 0,
        })
    }
}

/// Parses a screening status given in a patch.
pub fn screening_status(value: &str) -> Result<ScreeningStatus, InputError> {
    ScreeningStatus::parse(value.trim())
        .ok_or_else(|| InputError::new("status", crate::msg!("error-screening-status")))
}
