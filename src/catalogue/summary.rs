//! A screening as every public page shows it — what, when, where, how many seats — read once for
//! the programme, the screening's page, the manage and waiting-list pages.

use chrono::{NaiveDateTime, Utc};

use super::queries::{self as q, Festival, Film, ScreeningListing};
use crate::db::AnyConnection;
use crate::domain::format;
use crate::domain::{ScreeningId, ScreeningStatus};
use crate::error::{AppError, Thing};
use crate::i18n;

/// "20:00–22:04": when a screening starts and ends, in its venue's zone.
fn hours(starts_at: NaiveDateTime, ends_at: NaiveDateTime, zone: chrono_tz::Tz) -> String {
    i18n::t2(
        "screening-hours",
        "start",
        format::time_of_day(starts_at, zone),
        "end",
        format::time_of_day(ends_at, zone),
    )
}

/// "Vietnamese · French subtitles" (a French reader: "En vietnamien · sous-titres en français");
/// empty when the organiser gave neither. No subtitles given with a language means none.
pub fn language_line(film: &Film) -> String {
    let language = i18n::languages::names_of(&film.language);
    let subtitles = i18n::languages::names_of(&film.subtitles);
    match (language.is_empty(), subtitles.is_empty()) {
        (true, true) => String::new(),
        (false, true) => i18n::t1("film-language-no-subtitles", "language", language),
        (true, false) => i18n::t1("film-subtitles", "subtitles", subtitles),
        (false, false) => i18n::t2(
            "film-language-and-subtitles",
            "language",
            language,
            "subtitles",
            subtitles,
        ),
    }
}

/// A screening as every public page shows it.
pub struct ScreeningSummary {
    pub id: ScreeningId,
    pub festival_slug: String,
    pub festival_name: String,
    pub title: String,
    pub original_title: String,
    pub director: String,
    pub year: i32,
    pub runtime: i32,
    pub country: String,
    pub when: String,
    /// "20:00–22:04" in the venue's zone: the start and the end.
    pub hours: String,
    /// "Vietnamese · French subtitles" in the reader's language; empty when not given.
    pub languages: String,
    /// What the film is about; empty when not given.
    pub synopsis: String,
    pub timezone: String,
    /// When the doors open, "19:30" in the venue's zone.
    pub doors_open: String,
    pub venue: String,
    pub room: String,
    pub address: String,
    pub availability: String,
    /// `open`, `sold-out`, `closed` or `cancelled` (also a CSS class).
    pub state: &'static str,
    pub seats_left: i32,
}

impl ScreeningSummary {
    pub fn new(listing: &ScreeningListing, festival: &Festival) -> ScreeningSummary {
        let s = &listing.screening;
        let now = Utc::now().naive_utc();
        let state = if s.status == ScreeningStatus::Cancelled {
            "cancelled"
        } else if !s.booking_open(now) {
            "closed"
        } else if s.seats_left() == 0 {
            "sold-out"
        } else {
            "open"
        };
        let availability = match state {
            "cancelled" => i18n::t("availability-cancelled"),
            "closed" => i18n::t("availability-closed"),
            "sold-out" => i18n::t("availability-sold-out"),
            _ => i18n::t2(
                "availability-open",
                "left",
                s.seats_left(),
                "capacity",
                s.capacity,
            ),
        };
        ScreeningSummary {
            id: s.id,
            festival_slug: festival.slug.clone(),
            festival_name: festival.name.clone(),
            title: listing.film.title.clone(),
            original_title: listing.film.original_title.clone(),
            synopsis: listing.film.synopsis.clone(),
            director: listing.film.director.clone(),
            year: listing.film.year,
            runtime: listing.film.runtime_minutes,
            country: i18n::countries::name(&listing.film.country),
            when: format::when(s.starts_at, listing.zone()),
            hours: hours(s.starts_at, s.ends_at, listing.zone()),
            languages: language_line(&listing.film),
            timezone: listing.venue.timezone.clone(),
            doors_open: format::time_of_day(
                s.starts_at - chrono::Duration::minutes(i64::from(s.doors_open_minutes)),
                listing.zone(),
            ),
            venue: listing.venue.name.clone(),
            room: s.room.clone(),
            address: listing.venue.address.clone(),
            availability,
            state,
            seats_left: s.seats_left(),
        }
    }
}

/// Loads a screening with its festival, for a page.
pub fn load_summary(
    conn: &mut AnyConnection,
    id: ScreeningId,
) -> Result<ScreeningSummary, AppError> {
    let (listing, festival) = load_listing(conn, id)?;
    Ok(ScreeningSummary::new(&listing, &festival))
}

fn load_listing(
    conn: &mut AnyConnection,
    id: ScreeningId,
) -> Result<(ScreeningListing, Festival), AppError> {
    let listing =
        q::screening_listing(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let festival = q::festival(conn, listing.screening.festival_id)?
        .ok_or_else(|| AppError::not_found(Thing::Festival))?;
    Ok((listing, festival))
}

/// Another screening of the same film in the same festival, as the screening page lists it.
pub struct OtherScreening {
    pub id: ScreeningId,
    /// "Fri 12 Dec, 20:00" in the venue's zone.
    pub when: String,
    pub venue: String,
    pub room: String,
    pub availability: String,
    /// As [`ScreeningSummary::state`].
    pub state: &'static str,
}

/// Loads a screening for its page: its summary, and the festival's other screenings of the same
/// film in start order — cancelled ones too, marked so, so that nobody wonders where one went.
pub fn load_with_others(
    conn: &mut AnyConnection,
    id: ScreeningId,
) -> Result<(ScreeningSummary, Vec<OtherScreening>), AppError> {
    let (listing, festival) = load_listing(conn, id)?;
    let others = q::film_screenings(conn, festival.id, listing.film.id)?
        .iter()
        .filter(|other| other.screening.id != id)
        .map(|other| {
            let summary = ScreeningSummary::new(other, &festival);
            OtherScreening {
                id: summary.id,
                when: format::when_short(other.screening.starts_at, other.zone()),
                venue: summary.venue,
                room: summary.room,
                availability: summary.availability,
                state: summary.state,
            }
        })
        .collect();
    Ok((ScreeningSummary::new(&listing, &festival), others))
}
