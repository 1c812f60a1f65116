//! Public pages: the festivals, a festival's programme by day. (A screening's page, with its
//! booking form, is the booking feature's: `booking::pages`.)

use actix_web::web as aweb;
use askama::Template;
use chrono::NaiveDate;

use super::queries::{self as q, Festival, ScreeningListing};
use super::summary::ScreeningSummary;
use crate::db;
use crate::domain::format;
use crate::domain::{FilmId, ScreeningId, VenueId};
use crate::error::{AppError, Thing};
use crate::i18n;
use crate::web::Reply;
use crate::web::{AppState, page};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/", aweb::get().to(index))
        .route("/festivals/{slug}", aweb::get().to(programme));
}

type State = aweb::Data<AppState>;

fn festival_dates(f: &Festival) -> String {
    i18n::dates::range(f.starts_on, f.ends_on)
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
