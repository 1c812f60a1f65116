//! Public pages: the festivals, a festival's programme by day, a screening with its booking form.

use actix_web::{HttpResponse, web as aweb};
use askama::Template;
use chrono::Utc;

use super::queries::{self as q, Festival, ScreeningListing};
use crate::db::{self, AnyConnection};
use crate::domain::{Country, MAX_SEATS_PER_BOOKING, ScreeningId, ScreeningStatus};
use crate::error::AppError;
use crate::i18n;
use crate::web::csrf::CsrfToken;
use crate::web::{AppState, format, page};

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
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    festivals: Vec<FestivalCard>,
}

async fn index(state: State) -> Result<HttpResponse, AppError> {
    let festivals = db::run(&state.pool, q::list_festivals).await?;
    page(&IndexPage {
        festivals: festivals
            .iter()
            .map(|f| FestivalCard {
                slug: f.slug.clone(),
                name: f.name.clone(),
                dates: festival_dates(f),
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------

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
    pub timezone: String,
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
            director: listing.film.director.clone(),
            year: listing.film.year,
            runtime: listing.film.runtime_minutes,
            country: i18n::countries::name(&listing.film.country),
            when: format::when(s.starts_at, listing.zone()),
            timezone: listing.venue.timezone.clone(),
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
    let listing =
        q::screening_listing(conn, id)?.ok_or_else(|| AppError::not_found("screening"))?;
    let festival = q::festival(conn, listing.screening.festival_id)?
        .ok_or_else(|| AppError::not_found("festival"))?;
    Ok(ScreeningSummary::new(&listing, &festival))
}

struct ProgrammeDay {
    label: String,
    screenings: Vec<ProgrammeRow>,
}

struct ProgrammeRow {
    id: ScreeningId,
    time: String,
    title: String,
    director: String,
    venue: String,
    room: String,
    availability: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    festival_name: String,
    dates: String,
    days: Vec<ProgrammeDay>,
}

async fn programme(state: State, slug: aweb::Path<String>) -> Result<HttpResponse, AppError> {
    // Only a well-formed slug reaches the database (PostgreSQL refuses NUL bytes, for one).
    let slug =
        crate::domain::slug(&slug.into_inner()).map_err(|_| AppError::not_found("festival"))?;
    let (festival, listings) = db::run(&state.pool, move |conn| {
        let festival =
            q::festival_by_slug(conn, &slug)?.ok_or_else(|| AppError::not_found("festival"))?;
        let listings = q::list_screenings(conn, festival.id)?;
        Ok((festival, listings))
    })
    .await?;
    let mut days: Vec<ProgrammeDay> = Vec::new();
    for listing in &listings {
        let zone = listing.zone();
        let label = format::day(listing.screening.starts_at, zone);
        let summary = ScreeningSummary::new(listing, &festival);
        let row = ProgrammeRow {
            id: listing.screening.id,
            time: format::time_of_day(listing.screening.starts_at, zone),
            title: summary.title,
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
    page(&ProgrammePage {
        dates: festival_dates(&festival),
        festival_name: festival.name,
        days,
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
    pub error: Option<String>,
    pub csrf: String,
    pub countries: Vec<(&'static str, String)>,
    pub seat_choices: Vec<i64>,
}

impl ScreeningPage {
    pub fn new(
        s: ScreeningSummary,
        form: BookingForm,
        error: Option<String>,
        csrf: String,
    ) -> ScreeningPage {
        let max = i64::from(s.seats_left).clamp(1, MAX_SEATS_PER_BOOKING);
        ScreeningPage {
            s,
            form,
            error,
            csrf,
            countries: Country::all(),
            seat_choices: (1..=max).collect(),
        }
    }
}

async fn screening_page(
    state: State,
    id: aweb::Path<ScreeningId>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let summary = db::run(&state.pool, move |conn| load_summary(conn, id)).await?;
    page(&ScreeningPage::new(
        summary,
        BookingForm {
            seats: "1".to_owned(),
            ..BookingForm::default()
        },
        None,
        csrf.0,
    ))
}
