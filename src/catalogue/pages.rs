//! Public pages: the festivals, a festival's programme by day, a screening with its booking form.

use actix_web::web as aweb;
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, Utc};

use super::queries::{self as q, Festival, Film, ScreeningListing};
use crate::db::{self, AnyConnection};
use crate::domain::format;
use crate::domain::{
    Country, FilmId, MAX_SEATS_PER_BOOKING, ScreeningId, ScreeningStatus, VenueId,
};
use crate::error::{AppError, Thing};
use crate::i18n;
use crate::web::Reply;
use crate::web::csrf::CsrfToken;
use crate::web::{AppState, page};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/", aweb::get().to(index))
        .route("/festivals/{slug}", aweb::get().to(programme))
        .route("/screenings/{id}", aweb::get().to(screening_page));
}

type State = aweb::Data<AppState>;

fn festival_dates(f: &Festival) -> String {
    crate::i18n::dates::range(f.starts_on, f.ends_on)
}

// ---------------------------------------------------------------------------------------------

struct FestivalCard {
    slug: String,
    name: String,
    dates: String,
    /// "17 films · Forum des Images, Pathé Palace": what it shows, and where (empty before its
    /// programme is out).
    outline: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    festivals: Vec<FestivalCard>,
}

async fn index(state: State) -> Reply {
    let (festivals, mut outlines) = db::run(&state.pool, |conn| {
        Ok((q::list_festivals(conn)?, q::outlines(conn)?))
    })
    .await?;
    page(&IndexPage {
        festivals: festivals
            .iter()
            .map(|f| {
                let outline = outlines.remove(&f.id.to_string()).unwrap_or_default();
                FestivalCard {
                    slug: f.slug.clone(),
                    name: f.name.clone(),
                    dates: festival_dates(f),
                    outline: if outline.films == 0 {
                        String::new()
                    } else {
                        i18n::t2(
                            "index-outline",
                            "films",
                            outline.films,
                            "venues",
                            outline.venues.join(", "),
                        )
                    },
                }
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------

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

struct ProgrammeDay {
    label: String,
    screenings: Vec<ProgrammeRow>,
}

struct ProgrammeRow {
    id: ScreeningId,
    /// "20:00–22:04".
    hours: String,
    runtime: i32,
    title: String,
    /// The title in the film's own language ("Mưa đỏ"), when it differs.
    original_title: String,
    /// "Vietnamese · French subtitles", or empty.
    languages: String,
    director: String,
    venue: String,
    room: String,
    availability: String,
    state: &'static str,
}

/// The programme's filters, as the query string gives them: `?day=2025-12-12&venue=…&film=…`.
///
/// A value that is ill-formed, or names no day, venue or film of this programme, is ignored
/// rather than refused: a stale or hand-edited link still shows the programme (everything, for
/// that filter), never an error page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ProgrammeFilter {
    day: Option<NaiveDate>,
    venue: Option<VenueId>,
    film: Option<FilmId>,
}

impl ProgrammeFilter {
    /// Reads the query's pairs; of a name given twice, the first counts.
    fn parse(pairs: &[(String, String)]) -> ProgrammeFilter {
        let first = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.trim())
        };
        ProgrammeFilter {
            day: first("day").and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()),
            venue: first("venue").and_then(|v| v.parse().ok()),
            film: first("film").and_then(|v| v.parse().ok()),
        }
    }

    fn is_active(&self) -> bool {
        *self != ProgrammeFilter::default()
    }

    fn keeps(&self, listing: &ScreeningListing) -> bool {
        self.day.is_none_or(|day| day_of(listing) == day)
            && self.venue.is_none_or(|venue| listing.venue.id == venue)
            && self.film.is_none_or(|film| listing.film.id == film)
    }
}

/// The local day a screening starts on at its venue: how the programme groups and filters.
fn day_of(listing: &ScreeningListing) -> NaiveDate {
    format::local_date(listing.screening.starts_at, listing.zone())
}

/// One `<option>` of a filter.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// What each filter offers: the days with screenings, the venues and the films of the whole
/// programme (not of the filtered one, so that another choice is always one step away).
struct Choices {
    days: Vec<Choice>,
    venues: Vec<Choice>,
    films: Vec<Choice>,
}

impl Choices {
    /// The choices, and the filter with what names nothing in them dropped.
    fn of(listings: &[ScreeningListing], asked: ProgrammeFilter) -> (Choices, ProgrammeFilter) {
        let mut days: Vec<NaiveDate> = listings.iter().map(day_of).collect();
        days.sort_unstable();
        days.dedup();
        let mut venues: Vec<(VenueId, &str)> = Vec::new();
        let mut films: Vec<(FilmId, &str)> = Vec::new();
        for listing in listings {
            if !venues.iter().any(|(id, _)| *id == listing.venue.id) {
                venues.push((listing.venue.id, &listing.venue.name));
            }
            if !films.iter().any(|(id, _)| *id == listing.film.id) {
                films.push((listing.film.id, &listing.film.title));
            }
        }
        venues.sort_by_key(|(_, name)| name.to_lowercase());
        films.sort_by_key(|(_, title)| title.to_lowercase());

        let filter = ProgrammeFilter {
            day: asked.day.filter(|day| days.contains(day)),
            venue: asked
                .venue
                .filter(|venue| venues.iter().any(|(id, _)| id == venue)),
            film: asked
                .film
                .filter(|film| films.iter().any(|(id, _)| id == film)),
        };
        let choices = Choices {
            days: days
                .iter()
                .map(|day| Choice {
                    value: day.format("%Y-%m-%d").to_string(),
                    label: i18n::dates::day_in_year(*day),
                    selected: filter.day == Some(*day),
                })
                .collect(),
            venues: venues
                .iter()
                .map(|(id, name)| Choice {
                    value: id.to_string(),
                    label: (*name).to_owned(),
                    selected: filter.venue == Some(*id),
                })
                .collect(),
            films: films
                .iter()
                .map(|(id, title)| Choice {
                    value: id.to_string(),
                    label: (*title).to_owned(),
                    selected: filter.film == Some(*id),
                })
                .collect(),
        };
        (choices, filter)
    }
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    slug: String,
    festival_name: String,
    dates: String,
    days: Vec<ProgrammeDay>,
    choices: Choices,
    /// Some filter narrows the programme.
    filtered: bool,
    /// How many screenings the filters keep.
    shown: usize,
    /// The festival has screenings at all (else: not published yet, rather than "none match").
    published: bool,
}

async fn programme(
    state: State,
    slug: aweb::Path<String>,
    query: aweb::Query<Vec<(String, String)>>,
) -> Reply {
    // Only a well-formed slug reaches the database (PostgreSQL refuses NUL bytes, for one).
    let slug = crate::domain::slug(&slug.into_inner())
        .map_err(|_| AppError::not_found(Thing::Festival))?;
    let (festival, listings) = db::run(&state.pool, move |conn| {
        let festival = q::festival_by_slug(conn, &slug)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        let listings = q::list_screenings(conn, festival.id)?;
        Ok((festival, listings))
    })
    .await?;
    let (choices, filter) = Choices::of(&listings, ProgrammeFilter::parse(&query));
    let mut days: Vec<ProgrammeDay> = Vec::new();
    for listing in listings.iter().filter(|listing| filter.keeps(listing)) {
        let label = format::day(listing.screening.starts_at, listing.zone());
        let summary = ScreeningSummary::new(listing, &festival);
        let row = ProgrammeRow {
            id: listing.screening.id,
            hours: summary.hours,
            runtime: summary.runtime,
            original_title: if summary.original_title == summary.title {
                String::new()
            } else {
                summary.original_title
            },
            title: summary.title,
            languages: summary.languages,
            director: summary.director,
            venue: summary.venue,
            room: summary.room,
            availability: summary.availability,
            state: summary.state,
        };
        match days.last_mut() {
            Some(day) if day.label == label => day.screenings.push(row),
            _ => days.push(ProgrammeDay {
                label,
                screenings: vec![row],
            }),
        }
    }
    let shown = days.iter().map(|day| day.screenings.len()).sum();
    page(&ProgrammePage {
        dates: festival_dates(&festival),
        slug: festival.slug,
        festival_name: festival.name,
        days,
        choices,
        filtered: filter.is_active(),
        shown,
        published: !listings.is_empty(),
    })
}

// ---------------------------------------------------------------------------------------------

/// The booking form's values, kept when the form is shown again with an error.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct BookingForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "screening.html")]
pub struct ScreeningPage {
    pub s: ScreeningSummary,
    pub form: BookingForm,
    pub csrf: String,
    pub countries: Vec<(&'static str, String)>,
    pub seat_choices: Vec<i64>,
    /// The festival's other screenings of the film (see [`load_with_others`]).
    pub others: Vec<OtherScreening>,
    /// What the refused form says, every problem at once (one sentence each).
    pub errors: Vec<String>,
    /// The fields the errors are about: each input is marked invalid and described by the
    /// errors' text (`aria-invalid`, `aria-describedby`).
    pub error_fields: Vec<String>,
}

impl ScreeningPage {
    pub fn new(s: ScreeningSummary, form: BookingForm, csrf: String) -> ScreeningPage {
        let max = i64::from(s.seats_left).clamp(1, MAX_SEATS_PER_BOOKING);
        ScreeningPage {
            s,
            form,
            csrf,
            countries: Country::all(),
            seat_choices: (1..=max).collect(),
            others: Vec::new(),
            errors: Vec::new(),
            error_fields: Vec::new(),
        }
    }

    /// The page listing the film's other screenings too.
    pub fn with_others(mut self, others: Vec<OtherScreening>) -> ScreeningPage {
        self.others = others;
        self
    }

    /// The page with the form's problems: their sentences, and the fields (`name`, `email`,
    /// `country`, `seats`) they are about.
    pub fn with_errors(mut self, errors: Vec<String>, fields: Vec<String>) -> ScreeningPage {
        self.errors = errors;
        self.error_fields = fields;
        self
    }

    /// Whether the form's `field` has a problem.
    pub fn invalid(&self, field: &str) -> bool {
        self.error_fields.iter().any(|f| f == field)
    }
}

async fn screening_page(state: State, id: aweb::Path<ScreeningId>, csrf: CsrfToken) -> Reply {
    let id = id.into_inner();
    let (summary, others) = db::run(&state.pool, move |conn| load_with_others(conn, id)).await?;
    page(
        &ScreeningPage::new(
            summary,
            BookingForm {
                seats: "1".to_owned(),
                ..BookingForm::default()
            },
            csrf.0,
        )
        .with_others(others),
    )
}
