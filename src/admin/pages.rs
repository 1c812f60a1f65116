//! Organiser pages: `/admin` and below.

use actix_web::{HttpRequest, HttpResponse, web as aweb};
use askama::Template;

use super::forms::{
    CsrfForm, FestivalForm, FilmForm, InvitationForm, ScreeningForm, StaffForm, VenueForm,
    format_rooms, number,
};
use crate::booking::queries::{InvitationInput, book_seats};
use crate::booking::waitlist::EntryStatus;
use crate::booking::waitlist_api::{self, WaitlistView};
use crate::catalogue::input::ScreeningPatch;
use crate::catalogue::queries::{self as q, Festival, Film, ScreeningListing, Venue};
use crate::catalogue::service;
use crate::db;
use crate::domain::{
    Country, FestivalId, FilmId, InputError, Role, ScreeningId, ScreeningStatus, StaffId, VenueId,
};
use crate::door::standby::{self, Standby};
use crate::error::AppError;
use crate::staff::StaffMember;
use crate::web::auth::Organiser;
use crate::web::csrf::{self, CsrfToken};
use crate::web::{AppState, format, page, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/admin", aweb::get().to(overview))
        .route("/admin/festivals", aweb::post().to(create_festival))
        .route(
            "/admin/festivals/{id}/screenings",
            aweb::get().to(screenings),
        )
        .route(
            "/admin/festivals/{id}/screenings",
            aweb::post().to(create_screening),
        )
        .route(
            "/admin/screenings/{id}/edit",
            aweb::get().to(edit_screening),
        )
        .route(
            "/admin/screenings/{id}/edit",
            aweb::post().to(save_screening),
        )
        .route(
            "/admin/screenings/{id}/status",
            aweb::post().to(screening_status),
        )
        .route(
            "/admin/screenings/{id}/invitations",
            aweb::post().to(invite),
        )
        .route(
            "/admin/screenings/{id}/waitlist",
            aweb::post().to(waitlist_settings),
        )
        .route(
            "/admin/screenings/{id}/standby",
            aweb::post().to(standby_settings),
        )
        .route(
            "/admin/waitlist-entries/{id}/move",
            aweb::post().to(move_entry),
        )
        .route(
            "/admin/waitlist-entries/{id}/remove",
            aweb::post().to(remove_entry),
        )
        .route("/admin/venues", aweb::get().to(venues))
        .route("/admin/venues", aweb::post().to(create_venue))
        .route("/admin/venues/{id}", aweb::get().to(edit_venue))
        .route("/admin/venues/{id}", aweb::post().to(save_venue))
        .route("/admin/venues/{id}/delete", aweb::post().to(delete_venue))
        .route("/admin/films", aweb::get().to(films))
        .route("/admin/films", aweb::post().to(create_film))
        .route("/admin/films/{id}", aweb::get().to(edit_film))
        .route("/admin/films/{id}", aweb::post().to(save_film))
        .route("/admin/films/{id}/delete", aweb::post().to(delete_film))
        .route("/admin/staff", aweb::get().to(staff))
        .route("/admin/staff", aweb::post().to(create_staff))
        .route("/admin/staff/{id}/revoke", aweb::post().to(revoke_staff));
}

type State = aweb::Data<AppState>;

const TIMEZONES: [&str; 6] = [
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Ho_Chi_Minh",
    "America/New_York",
    "UTC",
];

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/overview.html")]
struct OverviewPage {
    festivals: Vec<Festival>,
    csrf: String,
    timezones: [&'static str; 6],
}

async fn overview(state: State, _: Organiser, csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    let festivals = db::run(&state.pool, q::list_festivals).await?;
    page(&OverviewPage {
        festivals,
        csrf: csrf.0,
        timezones: TIMEZONES,
    })
}

async fn create_festival(
    state: State,
    req: HttpRequest,
    _: Organiser,
    form: aweb::Form<FestivalForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let input = form.input()?;
    let festival = db::run(&state.pool, move |conn| {
        service::create_festival(conn, input)
    })
    .await?;
    Ok(see_other(&format!(
        "/admin/festivals/{}/screenings",
        festival.id
    )))
}

// ---------------------------------------------------------------------------------------------

struct ScreeningRow {
    id: ScreeningId,
    when: String,
    film: String,
    place: String,
    booked: i32,
    capacity: i32,
    cancelled: bool,
}

/// Every room of every venue, for the room select: (`venue_id|room`, label).
fn places(venues: &[Venue]) -> Vec<(String, String)> {
    venues
        .iter()
        .flat_map(|v| {
            v.rooms.iter().map(move |r| {
                (
                    format!("{}|{}", v.id, r.name),
                    crate::i18n::t3(
                        "admin-place",
                        "venue",
                        &v.name,
                        "room",
                        &r.name,
                        "seats",
                        r.seats,
                    ),
                )
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/screenings.html")]
struct ScreeningsPage {
    festival: Festival,
    screenings: Vec<ScreeningRow>,
    films: Vec<Film>,
    places: Vec<(String, String)>,
    csrf: String,
}

async fn screenings(
    state: State,
    _: Organiser,
    id: aweb::Path<FestivalId>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (festival, listings, films, venues) = db::run(&state.pool, move |conn| {
        let festival = q::festival(conn, id)?.ok_or_else(|| AppError::not_found("festival"))?;
        Ok((
            festival,
            q::list_screenings(conn, id)?,
            q::list_films(conn)?,
            q::list_venues(conn)?,
        ))
    })
    .await?;
    page(&ScreeningsPage {
        festival,
        screenings: listings
            .iter()
            .map(|l| ScreeningRow {
                id: l.screening.id,
                when: format::when(l.screening.starts_at, l.zone()),
                film: l.film.title.clone(),
                place: format!("{}, {}", l.venue.name, l.screening.room),
                booked: l.screening.booked,
                capacity: l.screening.capacity,
                cancelled: l.screening.status == ScreeningStatus::Cancelled,
            })
            .collect(),
        films,
        places: places(&venues),
        csrf: csrf.0,
    })
}

async fn create_screening(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<ScreeningForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let input = form.input(id.to_string())?;
    db::run(&state.pool, move |conn| {
        service::create_screening(conn, input)
    })
    .await?;
    Ok(see_other(&format!("/admin/festivals/{id}/screenings")))
}

#[derive(Template)]
#[template(path = "admin/screening.html")]
struct ScreeningPage {
    l: ScreeningListing,
    starts_local: String,
    place: String,
    films: Vec<Film>,
    places: Vec<(String, String)>,
    countries: Vec<(&'static str, String)>,
    csrf: String,
    invited: Option<(String, i32)>,
    waitlist: WaitlistView,
    standby: Standby,
}

impl ScreeningPage {
    /// A waiting-list entry's state; for an open offer, until when (in the venue's time).
    fn entry_status(&self, e: &waitlist_api::ListedEntry) -> String {
        let until = e
            .entry
            .offer_expires_at
            .as_deref()
            .filter(|_| e.entry.status == EntryStatus::Offered)
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok());
        match until {
            Some(at) => crate::i18n::t1(
                "admin-entry-status-offered-until",
                "until",
                format::when_short(at.naive_utc(), self.l.zone()),
            ),
            None => crate::admin::show::entry_status(e.entry.status),
        }
    }
}

/// What the screening's organiser page shows.
struct Loaded {
    listing: ScreeningListing,
    films: Vec<Film>,
    venues: Vec<Venue>,
    waitlist: WaitlistView,
    standby: Standby,
}

fn screening_page(conn: &mut db::AnyConnection, id: ScreeningId) -> Result<Loaded, AppError> {
    Ok(Loaded {
        listing: service::listing(conn, id)?,
        films: q::list_films(conn)?,
        venues: q::list_venues(conn)?,
        waitlist: waitlist_api::listed(conn, id)?,
        standby: standby::standing_of(conn, id, chrono::Utc::now().naive_utc())?,
    })
}

fn render_screening(
    loaded: Loaded,
    csrf: String,
    invited: Option<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let l = loaded.listing;
    page(&ScreeningPage {
        starts_local: format::local(l.screening.starts_at, l.zone())
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        place: format!("{}|{}", l.venue.id, l.screening.room),
        places: places(&loaded.venues),
        countries: Country::all(),
        films: loaded.films,
        l,
        csrf,
        invited,
        waitlist: loaded.waitlist,
        standby: loaded.standby,
    })
}

#[derive(serde::Deserialize)]
struct WaitlistForm {
    csrf: String,
    #[serde(default)]
    open: String,
    #[serde(default)]
    offer_minutes: String,
}

/// Opens or closes the waiting list; how long offers are held.
async fn waitlist_settings(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<WaitlistForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let minutes = waitlist_api::offer_minutes(Some(number("offer_minutes", &form.offer_minutes)?))?;
    waitlist_api::configure(&state, id, Some(form.open == "1"), minutes).await?;
    Ok(see_other(&format!("/admin/screenings/{id}/edit#waitlist")))
}

#[derive(serde::Deserialize)]
struct MoveForm {
    csrf: String,
    #[serde(default)]
    position: String,
}

/// Moves an entry up or down the list.
async fn move_entry(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<String>,
    form: aweb::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let position = number("position", &form.position)?;
    let screening = waitlist_api::move_entry(&state, id.into_inner(), position).await?;
    Ok(see_other(&format!(
        "/admin/screenings/{screening}/edit#waitlist"
    )))
}

#[derive(serde::Deserialize)]
struct PlainForm {
    csrf: String,
}

/// Removes an entry from the list.
async fn remove_entry(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<String>,
    form: aweb::Form<PlainForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let entry = waitlist_api::remove_entry(&state, id.into_inner()).await?;
    Ok(see_other(&format!(
        "/admin/screenings/{}/edit#waitlist",
        entry.screening_id
    )))
}

#[derive(serde::Deserialize)]
struct StandbyForm {
    csrf: String,
    #[serde(default)]
    release_minutes: String,
    #[serde(default)]
    keep_for_late: String,
}

/// Sets the screening's standby line (a blank release time: no standby line).
async fn standby_settings(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<StandbyForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let release = if form.release_minutes.trim().is_empty() {
        None
    } else {
        Some(number("release_minutes", &form.release_minutes)?)
    };
    let keep = if form.keep_for_late.trim().is_empty() {
        0
    } else {
        number("keep_for_late", &form.keep_for_late)?
    };
    standby::apply_settings(&state, id, release, keep).await?;
    Ok(see_other(&format!("/admin/screenings/{id}/edit#standby")))
}

async fn edit_screening(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
    render_screening(loaded, csrf.0, None)
}

async fn save_screening(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<ScreeningForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let patch = form.patch()?;
    let listing = db::run(&state.pool, move |conn| {
        service::update_screening(conn, id, patch)
    })
    .await?;
    Ok(see_other(&format!(
        "/admin/festivals/{}/screenings",
        listing.screening.festival_id
    )))
}

/// Cancels or reinstates a screening.
async fn screening_status(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let patch = ScreeningPatch {
        status: Some(form.status.clone()),
        ..ScreeningPatch::default()
    };
    let listing = db::run(&state.pool, move |conn| {
        service::update_screening(conn, id, patch)
    })
    .await?;
    Ok(see_other(&format!(
        "/admin/festivals/{}/screenings",
        listing.screening.festival_id
    )))
}

/// Issues complimentary tickets and shows the private link to send to the guest.
async fn invite(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<InvitationForm>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let request = InvitationInput {
        name: form.name.clone(),
        email: form.email.clone(),
        country: form.country.clone(),
        category: form.category.clone(),
        seats: number("seats", &form.seats)?,
        lang: Some(form.lang.clone()),
    }
    .parse()?;
    let keys = state.keys.clone();
    let (new, loaded) = db::run(&state.pool, move |conn| {
        let now = chrono::Utc::now().naive_utc();
        let new = book_seats(conn, &keys.signer, id, &request, now)?;
        Ok((new, screening_page(conn, id)?))
    })
    .await?;
    let link = crate::booking::pages::manage_url(&state.public_url, &new.manage_token);
    render_screening(loaded, csrf.0, Some((link, new.booking.seats)))
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/venues.html")]
struct VenuesPage {
    venues: Vec<Venue>,
    csrf: String,
    timezones: [&'static str; 6],
}

async fn venues(state: State, _: Organiser, csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    page(&VenuesPage {
        venues: db::run(&state.pool, q::list_venues).await?,
        csrf: csrf.0,
        timezones: TIMEZONES,
    })
}

async fn create_venue(
    state: State,
    req: HttpRequest,
    _: Organiser,
    form: aweb::Form<VenueForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let input = form.input()?;
    db::run(&state.pool, move |conn| service::create_venue(conn, input)).await?;
    Ok(see_other("/admin/venues"))
}

#[derive(Template)]
#[template(path = "admin/venue.html")]
struct VenuePage {
    v: Venue,
    rooms: String,
    csrf: String,
    timezones: [&'static str; 6],
}

async fn edit_venue(
    state: State,
    _: Organiser,
    id: aweb::Path<VenueId>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let v = db::run(&state.pool, move |conn| {
        q::venue(conn, id)?.ok_or_else(|| AppError::not_found("venue"))
    })
    .await?;
    page(&VenuePage {
        rooms: format_rooms(&v.rooms),
        v,
        csrf: csrf.0,
        timezones: TIMEZONES,
    })
}

async fn save_venue(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<VenueId>,
    form: aweb::Form<VenueForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let patch = form.patch()?;
    db::run(&state.pool, move |conn| {
        service::update_venue(conn, id, patch)
    })
    .await?;
    Ok(see_other("/admin/venues"))
}

/// Deletes a venue no screening uses (one that is used answers 409: cancel its screenings instead).
async fn delete_venue(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<VenueId>,
    form: aweb::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    db::run(&state.pool, move |conn| q::delete_venue(conn, id)).await?;
    Ok(see_other("/admin/venues"))
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/films.html")]
struct FilmsPage {
    films: Vec<Film>,
    countries: Vec<(&'static str, String)>,
    csrf: String,
}

async fn films(state: State, _: Organiser, csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    page(&FilmsPage {
        films: db::run(&state.pool, q::list_films).await?,
        countries: Country::all(),
        csrf: csrf.0,
    })
}

async fn create_film(
    state: State,
    req: HttpRequest,
    _: Organiser,
    form: aweb::Form<FilmForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let input = form.input()?;
    db::run(&state.pool, move |conn| service::create_film(conn, input)).await?;
    Ok(see_other("/admin/films"))
}

#[derive(Template)]
#[template(path = "admin/film.html")]
struct FilmPage {
    f: Film,
    countries: Vec<(&'static str, String)>,
    csrf: String,
}

async fn edit_film(
    state: State,
    _: Organiser,
    id: aweb::Path<FilmId>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let f = db::run(&state.pool, move |conn| q::film_row(conn, id)).await?;
    page(&FilmPage {
        f: f.into(),
        countries: Country::all(),
        csrf: csrf.0,
    })
}

async fn save_film(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<FilmId>,
    form: aweb::Form<FilmForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    let patch = form.patch()?;
    db::run(&state.pool, move |conn| {
        service::update_film(conn, id, patch)
    })
    .await?;
    Ok(see_other("/admin/films"))
}

/// Deletes a film no screening uses.
async fn delete_film(
    state: State,
    req: HttpRequest,
    _: Organiser,
    id: aweb::Path<FilmId>,
    form: aweb::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    db::run(&state.pool, move |conn| q::delete_film(conn, id)).await?;
    Ok(see_other("/admin/films"))
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffPage {
    members: Vec<StaffMember>,
    festivals: Vec<Festival>,
    venues: Vec<Venue>,
    me: StaffId,
    csrf: String,
    /// Just created: (name, sign-in link, QR of the link, credential).
    created: Option<(String, String, String, String)>,
}

impl StaffPage {
    /// What a credential is limited to, by the festival's or venue's name.
    fn scope(&self, m: &StaffMember) -> String {
        if let Some(id) = m.venue_id {
            let name = self.venues.iter().find(|v| v.id == id);
            let name = name.map_or_else(|| id.to_string(), |v| v.name.clone());
            crate::i18n::t1("admin-staff-scope-venue-option", "name", name)
        } else if let Some(id) = m.festival_id {
            let name = self.festivals.iter().find(|f| f.id == id);
            let name = name.map_or_else(|| id.to_string(), |f| f.name.clone());
            crate::i18n::t1("admin-staff-scope-festival-option", "name", name)
        } else {
            crate::i18n::t("admin-staff-scope-everything")
        }
    }
}

async fn staff_page(
    state: &State,
    me: StaffId,
    csrf: String,
    created: Option<(String, String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (members, festivals, venues) = db::run(&state.pool, |conn| {
        Ok((
            crate::staff::list(conn)?,
            q::list_festivals(conn)?,
            q::list_venues(conn)?,
        ))
    })
    .await?;
    page(&StaffPage {
        members,
        festivals,
        venues,
        me,
        csrf,
        created,
    })
}

async fn staff(
    state: State,
    Organiser(me): Organiser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    staff_page(&state, me.id, csrf.0, None).await
}

/// Creates a credential and shows it once, with a QR code a door device can scan to sign in.
async fn create_staff(
    state: State,
    req: HttpRequest,
    Organiser(me): Organiser,
    form: aweb::Form<StaffForm>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let role = Role::parse(form.role.trim())
        .ok_or_else(|| InputError::new("role", crate::msg!("error-role")))?;
    let (festival, venue) = match form.scope.split_once(':') {
        None if form.scope.trim().is_empty() => (None, None),
        Some(("festival", id)) => (
            Some(crate::catalogue::input::id_field::<FestivalId>(
                "scope", id,
            )?),
            None,
        ),
        Some(("venue", id)) => (
            None,
            Some(crate::catalogue::input::id_field::<VenueId>("scope", id)?),
        ),
        _ => return Err(InputError::new("scope", crate::msg!("error-scope")).into()),
    };
    let name = form.name.clone();
    let (member, token) = db::run(&state.pool, move |conn| {
        if let Some(f) = festival {
            q::festival(conn, f)?.ok_or_else(|| {
                AppError::invalid("scope", crate::msg!("error-scope-no-festival"))
            })?;
        }
        if let Some(v) = venue {
            q::venue(conn, v)?
                .ok_or_else(|| AppError::invalid("scope", crate::msg!("error-scope-no-venue")))?;
        }
        crate::staff::create(conn, &name, role, festival, venue)
    })
    .await?;
    let link = crate::staff::signin_link(&state.public_url, &token);
    let qr = crate::tickets::qr::svg(&link)?;
    staff_page(&state, me.id, csrf.0, Some((member.name, link, qr, token))).await
}

async fn revoke_staff(
    state: State,
    req: HttpRequest,
    Organiser(me): Organiser,
    id: aweb::Path<StaffId>,
    form: aweb::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, &form.csrf)?;
    let id = id.into_inner();
    if id == me.id {
        return Err(AppError::conflict(
            "own_credential",
            crate::msg!("error-own-credential"),
        ));
    }
    db::run(&state.pool, move |conn| crate::staff::revoke(conn, id)).await?;
    Ok(see_other("/admin/staff"))
}
