//! The catalogue's JSON API: anyone reads, organisers write.

use actix_web::{HttpResponse, web as aweb};
use chrono::Utc;
use serde::Serialize;

use super::input::{
    FestivalInput, FestivalPatch, FilmInput, FilmPatch, ScreeningInput, ScreeningPatch, VenueInput,
    VenuePatch,
};
use super::queries::{self as q, ScreeningListing};
use super::service;
use crate::db;
use crate::domain::format;
use crate::domain::{FestivalId, FilmId, ScreeningId, ScreeningStatus, VenueId};
use crate::error::{AppError, ErrorBody};
use crate::web::AppState;
use crate::web::auth::Organiser;
use crate::web::json::ApiJson;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/festivals", aweb::get().to(list_festivals))
        .route("/api/v1/festivals", aweb::post().to(create_festival))
        .route("/api/v1/festivals/{id}", aweb::get().to(get_festival))
        .route("/api/v1/festivals/{id}", aweb::patch().to(update_festival))
        .route("/api/v1/festivals/{id}", aweb::delete().to(delete_festival))
        .route(
            "/api/v1/festivals/{id}/screenings",
            aweb::get().to(list_screenings),
        )
        .route("/api/v1/venues", aweb::get().to(list_venues))
        .route("/api/v1/venues", aweb::post().to(create_venue))
        .route("/api/v1/venues/{id}", aweb::get().to(get_venue))
        .route("/api/v1/venues/{id}", aweb::patch().to(update_venue))
        .route("/api/v1/venues/{id}", aweb::delete().to(delete_venue))
        .route("/api/v1/films", aweb::get().to(list_films))
        .route("/api/v1/films", aweb::post().to(create_film))
        .route("/api/v1/films/{id}", aweb::get().to(get_film))
        .route("/api/v1/films/{id}", aweb::patch().to(update_film))
        .route("/api/v1/films/{id}", aweb::delete().to(delete_film))
        .route("/api/v1/screenings", aweb::post().to(create_screening))
        .route("/api/v1/screenings/{id}", aweb::get().to(get_screening))
        .route(
            "/api/v1/screenings/{id}",
            aweb::patch().to(update_screening),
        )
        .route(
            "/api/v1/screenings/{id}",
            aweb::delete().to(cancel_screening),
        );
}

type State = aweb::Data<AppState>;

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

// ---------------------------------------------------------------------------------------------
// Festivals.

#[utoipa::path(get, path = "/api/v1/festivals", tag = "catalogue",
    responses((status = 200, description = "Every festival", body = Vec<q::Festival>)))]
async fn list_festivals(state: State) -> Result<HttpResponse, AppError> {
    let festivals = db::run(&state.pool, q::list_festivals).await?;
    Ok(HttpResponse::Ok().json(festivals))
}

#[utoipa::path(get, path = "/api/v1/festivals/{id}", tag = "catalogue",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    responses((status = 200, description = "The festival", body = q::Festival)))]
async fn get_festival(state: State, id: aweb::Path<FestivalId>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let festival = db::run(&state.pool, move |conn| q::festival(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("festival"))?;
    Ok(HttpResponse::Ok().json(festival))
}

#[utoipa::path(post, path = "/api/v1/festivals", tag = "catalogue", request_body = FestivalInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new festival", body = q::Festival),
        (status = 409, description = "Clashes with a festival already stored", body = ErrorBody),
    ))]
async fn create_festival(
    state: State,
    _: Organiser,
    body: ApiJson<FestivalInput>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner()?;
    let festival = db::run(&state.pool, move |conn| {
        service::create_festival(conn, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(festival))
}

#[utoipa::path(patch, path = "/api/v1/festivals/{id}", tag = "catalogue", request_body = FestivalPatch,
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The festival as changed", body = q::Festival),
        (status = 409, description = "The change clashes with what is stored", body = ErrorBody),
    ))]
async fn update_festival(
    state: State,
    _: Organiser,
    id: aweb::Path<FestivalId>,
    body: ApiJson<FestivalPatch>,
) -> Result<HttpResponse, AppError> {
    let (id, patch) = (id.into_inner(), body.into_inner()?);
    let festival = db::run(&state.pool, move |conn| {
        service::update_festival(conn, id, patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(festival))
}

#[utoipa::path(delete, path = "/api/v1/festivals/{id}", tag = "catalogue",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Still used by screenings or staff (`in_use`)", body = ErrorBody),
    ))]
async fn delete_festival(
    state: State,
    _: Organiser,
    id: aweb::Path<FestivalId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    db::run(&state.pool, move |conn| q::delete_festival(conn, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Venues.

#[utoipa::path(get, path = "/api/v1/venues", tag = "catalogue",
    responses((status = 200, description = "Every venue", body = Vec<q::Venue>)))]
async fn list_venues(state: State) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(db::run(&state.pool, q::list_venues).await?))
}

#[utoipa::path(get, path = "/api/v1/venues/{id}", tag = "catalogue",
    params(("id" = VenueId, Path, description = "The venue's id")),
    responses((status = 200, description = "The venue", body = q::Venue)))]
async fn get_venue(state: State, id: aweb::Path<VenueId>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let venue = db::run(&state.pool, move |conn| q::venue(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("venue"))?;
    Ok(HttpResponse::Ok().json(venue))
}

#[utoipa::path(post, path = "/api/v1/venues", tag = "catalogue", request_body = VenueInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new venue", body = q::Venue),
        (status = 409, description = "Clashes with a venue already stored", body = ErrorBody),
    ))]
async fn create_venue(
    state: State,
    _: Organiser,
    body: ApiJson<VenueInput>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner()?;
    let venue = db::run(&state.pool, move |conn| service::create_venue(conn, input)).await?;
    Ok(HttpResponse::Created().json(venue))
}

#[utoipa::path(patch, path = "/api/v1/venues/{id}", tag = "catalogue", request_body = VenuePatch,
    params(("id" = VenueId, Path, description = "The venue's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The venue as changed", body = q::Venue),
        (status = 409, description = "The change clashes with what is stored", body = ErrorBody),
    ))]
async fn update_venue(
    state: State,
    _: Organiser,
    id: aweb::Path<VenueId>,
    body: ApiJson<VenuePatch>,
) -> Result<HttpResponse, AppError> {
    let (id, patch) = (id.into_inner(), body.into_inner()?);
    let venue = db::run(&state.pool, move |conn| {
        service::update_venue(conn, id, patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(venue))
}

#[utoipa::path(delete, path = "/api/v1/venues/{id}", tag = "catalogue",
    params(("id" = VenueId, Path, description = "The venue's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Still used by screenings or staff (`in_use`)", body = ErrorBody),
    ))]
async fn delete_venue(
    state: State,
    _: Organiser,
    id: aweb::Path<VenueId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    db::run(&state.pool, move |conn| q::delete_venue(conn, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Films.

#[utoipa::path(get, path = "/api/v1/films", tag = "catalogue",
    responses((status = 200, description = "Every film", body = Vec<q::Film>)))]
async fn list_films(state: State) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(db::run(&state.pool, q::list_films).await?))
}

#[utoipa::path(get, path = "/api/v1/films/{id}", tag = "catalogue",
    params(("id" = FilmId, Path, description = "The film's id")),
    responses((status = 200, description = "The film", body = q::Film)))]
async fn get_film(state: State, id: aweb::Path<FilmId>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let film = db::run(&state.pool, move |conn| q::film_row(conn, id)).await?;
    Ok(HttpResponse::Ok().json(q::Film::try_from(film)?))
}

#[utoipa::path(post, path = "/api/v1/films", tag = "catalogue", request_body = FilmInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new film", body = q::Film),
        (status = 409, description = "Clashes with a film already stored", body = ErrorBody),
    ))]
async fn create_film(
    state: State,
    _: Organiser,
    body: ApiJson<FilmInput>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner()?;
    let film = db::run(&state.pool, move |conn| service::create_film(conn, input)).await?;
    Ok(HttpResponse::Created().json(film))
}

#[utoipa::path(patch, path = "/api/v1/films/{id}", tag = "catalogue", request_body = FilmPatch,
    params(("id" = FilmId, Path, description = "The film's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The film as changed", body = q::Film),
        (status = 409, description = "The change clashes with what is stored", body = ErrorBody),
    ))]
async fn update_film(
    state: State,
    _: Organiser,
    id: aweb::Path<FilmId>,
    body: ApiJson<FilmPatch>,
) -> Result<HttpResponse, AppError> {
    let (id, patch) = (id.into_inner(), body.into_inner()?);
    let film = db::run(&state.pool, move |conn| {
        service::update_film(conn, id, patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(film))
}

#[utoipa::path(delete, path = "/api/v1/films/{id}", tag = "catalogue",
    params(("id" = FilmId, Path, description = "The film's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Still used by screenings or staff (`in_use`)", body = ErrorBody),
    ))]
async fn delete_film(
    state: State,
    _: Organiser,
    id: aweb::Path<FilmId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    db::run(&state.pool, move |conn| q::delete_film(conn, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Screenings.

#[derive(Serialize, utoipa::ToSchema)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FilmRef {
    pub id: FilmId,
    pub title: String,
}

/// A screening as the API shows it. Times are RFC 3339 in the venue's time zone.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScreeningView {
    pub id: ScreeningId,
    pub festival_id: FestivalId,
    pub film: FilmRef,
    pub venue: Named,
    pub room: String,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub capacity: i32,
    pub seats_left: i32,
    pub status: ScreeningStatus,
    pub booking_open: bool,
    pub doors_open_minutes: i32,
    pub doors_close_minutes: i32,
}

impl ScreeningView {
    pub fn new(listing: &ScreeningListing) -> ScreeningView {
        let s = &listing.screening;
        let zone = listing.zone();
        ScreeningView {
            id: s.id,
            festival_id: s.festival_id,
            film: FilmRef {
                id: listing.film.id,
                title: listing.film.title.clone(),
            },
            venue: Named {
                id: listing.venue.id.to_string(),
                name: listing.venue.name.clone(),
            },
            room: s.room.clone(),
            starts_at: format::rfc3339(s.starts_at, zone),
            ends_at: format::rfc3339(s.ends_at, zone),
            timezone: listing.venue.timezone.clone(),
            capacity: s.capacity,
            seats_left: s.seats_left(),
            status: s.status,
            booking_open: s.booking_open(now()),
            doors_open_minutes: s.doors_open_minutes,
            doors_close_minutes: s.doors_close_minutes,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/festivals/{id}/screenings", tag = "catalogue",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    responses((status = 200, description = "The festival's screenings, by start", body = Vec<ScreeningView>)))]
async fn list_screenings(
    state: State,
    id: aweb::Path<FestivalId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let listings = db::run(&state.pool, move |conn| {
        q::festival(conn, id)?.ok_or_else(|| AppError::not_found("festival"))?;
        q::list_screenings(conn, id)
    })
    .await?;
    let views: Vec<ScreeningView> = listings.iter().map(ScreeningView::new).collect();
    Ok(HttpResponse::Ok().json(views))
}

#[utoipa::path(get, path = "/api/v1/screenings/{id}", tag = "catalogue",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    responses((status = 200, description = "The screening, with the seats left", body = ScreeningView)))]
async fn get_screening(
    state: State,
    id: aweb::Path<ScreeningId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let listing = db::run(&state.pool, move |conn| q::screening_listing(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("screening"))?;
    Ok(HttpResponse::Ok().json(ScreeningView::new(&listing)))
}

#[utoipa::path(post, path = "/api/v1/screenings", tag = "catalogue", request_body = ScreeningInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new screening", body = ScreeningView),
        (status = 409, description = "Clashes with what is stored", body = ErrorBody),
    ))]
async fn create_screening(
    state: State,
    _: Organiser,
    body: ApiJson<ScreeningInput>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner()?;
    let listing = db::run(&state.pool, move |conn| {
        service::create_screening(conn, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(ScreeningView::new(&listing)))
}

#[utoipa::path(patch, path = "/api/v1/screenings/{id}", tag = "catalogue", request_body = ScreeningPatch,
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The screening as changed", body = ScreeningView),
        (status = 409, description = "The change clashes with the seats already booked", body = ErrorBody),
    ))]
async fn update_screening(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<ScreeningPatch>,
) -> Result<HttpResponse, AppError> {
    let (id, patch) = (id.into_inner(), body.into_inner()?);
    let listing = db::run(&state.pool, move |conn| {
        service::update_screening(conn, id, patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ScreeningView::new(&listing)))
}

/// `DELETE /screenings/{id}` cancels: tickets already sold must keep meaning something at the door.
#[utoipa::path(delete, path = "/api/v1/screenings/{id}", tag = "catalogue",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The screening, now cancelled (its tickets answer `cancelled` at the door)", body = ScreeningView),
    ))]
async fn cancel_screening(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let listing = db::run(&state.pool, move |conn| service::cancel_screening(conn, id)).await?;
    Ok(HttpResponse::Ok().json(ScreeningView::new(&listing)))
}
