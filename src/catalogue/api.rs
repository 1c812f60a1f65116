//! The catalogue's JSON API: anyone reads, organisers write.

use actix_web::{HttpResponse, web as aweb};
use chrono::Utc;
use serde::Serialize;

use super::input::{
    FestivalInput, FestivalPatch, FilmInput, FilmPatch, ScreeningInput, ScreeningPatch, VenueInput,
    VenuePatch,
};
use super::queries::{self as q, ScreeningListing, Stored};
use super::service;
use crate::db::{self, Lock};
use crate::domain::format;
use crate::domain::{FestivalId, FilmId, ScreeningId, ScreeningStatus, VenueId};
use crate::error::{AppError, ErrorBody, Thing};
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};
use crate::web::json::ApiJson;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/festivals", aweb::get().to(festivals::list))
        .route("/api/v1/festivals", aweb::post().to(festivals::create))
        .route("/api/v1/festivals/{id}", aweb::get().to(festivals::get))
        .route(
            "/api/v1/festivals/{id}",
            aweb::patch().to(festivals::update),
        )
        .route(
            "/api/v1/festivals/{id}",
            aweb::delete().to(festivals::delete),
        )
        .route(
            "/api/v1/festivals/{id}/screenings",
            aweb::get().to(list_screenings),
        )
        .route("/api/v1/venues", aweb::get().to(venues::list))
        .route("/api/v1/venues", aweb::post().to(venues::create))
        .route("/api/v1/venues/{id}", aweb::get().to(venues::get))
        .route("/api/v1/venues/{id}", aweb::patch().to(venues::update))
        .route("/api/v1/venues/{id}", aweb::delete().to(venues::delete))
        .route("/api/v1/films", aweb::get().to(films::list))
        .route("/api/v1/films", aweb::post().to(films::create))
        .route("/api/v1/films/{id}", aweb::get().to(films::get))
        .route("/api/v1/films/{id}", aweb::patch().to(films::update))
        .route("/api/v1/films/{id}", aweb::delete().to(films::delete))
        .route("/api/v1/screenings", aweb::post().to(create_screening))
        .route("/api/v1/screenings/{id}", aweb::get().to(get_screening))
        .route(
            "/api/v1/screenings/{id}",
            aweb::patch().to(update_screening),
        )
        .route(
            "/api/v1/screenings/{id}",
            aweb::delete().to(cancel_screening),
        )
        .service(
            aweb::resource("/api/v1/festivals/{id}/programme/import")
                .app_data(aweb::PayloadConfig::new(MAX_IMPORT_BYTES))
                .app_data(crate::web::BodyLimit(MAX_IMPORT_BYTES))
                .route(aweb::post().to(import_programme)),
        );
}

/// The largest programme file accepted: 2,000 rows fit well within.
const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// `POST /api/v1/festivals/{id}/programme/import`: organisers import the programme (films and
/// screenings) from CSV, all or nothing ([`super::import`]).
#[utoipa::path(post, path = "/api/v1/festivals/{id}/programme/import", tag = "catalogue",
    request_body(content = String, content_type = "text/csv",
        description = "A header row `title,venue,room,starts_at` (and optionally `original_title`, `director`, `year`, `runtime_minutes`, `country`, `capacity`), then one screening per row. A new film needs its director, year, running time and country. At most 2,000 rows, 2 MiB."),
    params(("id" = FestivalId, Path, description = "The festival's id"), crate::domain::sheet::ImportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or, a dry run: what would be, with every problem found)", body = super::import::ProgrammeReport),
        (status = 400, description = "A query that could not be read (a parameter other than `dry_run`, or one not true or false)", body = ErrorBody),
        (status = 422, description = "Some rows have problems, each named by line and column: nothing was written", body = super::import::ProgrammeReport),
    ))]
async fn import_programme(
    state: State,
    can: Can<need::Programme, scope::Festival>,
    id: aweb::Path<FestivalId>,
    query: aweb::Query<crate::domain::sheet::ImportQuery>,
    body: aweb::Bytes,
) -> Reply {
    let (festival, dry_run) = (id.into_inner(), query.dry_run.unwrap_or(false));
    let refused = |errors| {
        let report = super::import::ProgrammeReport {
            errors,
            ..super::import::ProgrammeReport::default()
        };
        if dry_run {
            HttpResponse::Ok().json(report)
        } else {
            HttpResponse::UnprocessableEntity().json(report)
        }
    };
    if dry_run {
        let checked = db::run(&state.pool, move |conn| {
            super::import::check(conn, festival, &body, now())
        })
        .await?;
        return Ok(match checked {
            Ok(checked) => HttpResponse::Ok().json(checked.report()),
            Err(errors) => refused(errors),
        });
    }
    // Checked again inside the write, against what is there when it is written.
    let written = state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&can.staff);
            super::import::lock_festival(tx.conn, festival)?;
            match super::import::check(tx.conn, festival, &body, now())? {
                Ok(checked) => super::import::write(tx, festival, &checked).map(Ok),
                Err(errors) => Ok(Err(errors)),
            }
        })
        .await?;
    Ok(match written {
        Ok(report) => HttpResponse::Ok().json(report),
        Err(errors) => refused(errors),
    })
}

type State = aweb::Data<AppState>;

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

// ---------------------------------------------------------------------------------------------
// Festivals, venues and films.

/// The five routes of a festival, a venue or a film, written once: list and create on the
/// collection; read, patch and delete one. `#[utoipa::path]` cannot document a generic handler,
/// so each kind gets its own thin handlers, made here; the work is the kind's `Draft` (its input)
/// and `Stored` (its row).
macro_rules! record_routes {
    (
        $module:ident, $noun:tt, $collection:tt, $one:tt,
        $model:ident, $row:ident, $id:ident, $input:ident, $patch:ident,
        create: $create:ty, update: $update:ty, delete: $delete:ty
    ) => {
        pub mod $module {
            use super::*;

            #[utoipa::path(get, path = $collection, tag = "catalogue",
                operation_id = concat!("list_", stringify!($module)),
                responses((status = 200, description = concat!("Every ", $noun), body = Vec<q::$model>)))]
            pub async fn list(state: State) -> Reply {
                Ok(HttpResponse::Ok().json(db::run(&state.pool, q::$row::list).await?))
            }

            #[utoipa::path(get, path = $one, tag = "catalogue",
                operation_id = concat!("get_", $noun),
                params(("id" = $id, Path, description = concat!("The ", $noun, "'s id"))),
                responses(
                    (status = 200, description = concat!("The ", $noun), body = q::$model),
                    (status = 404, description = concat!("No such ", $noun), body = ErrorBody),
                ))]
            pub async fn get(state: State, id: aweb::Path<$id>) -> Reply {
                let id = id.into_inner();
                let found = db::run(&state.pool, move |conn| q::$row::find(conn, id)).await?;
                Ok(HttpResponse::Ok().json(found))
            }

            #[utoipa::path(post, path = $collection, tag = "catalogue", request_body = $input,
                operation_id = concat!("create_", $noun),
                security(("bearer" = [])),
                responses(
                    (status = 201, description = concat!("The new ", $noun), body = q::$model),
                    (status = 409, description = concat!("Clashes with a ", $noun, " already stored"), body = ErrorBody),
                ))]
            pub async fn create(
                state: State,
                can: $create,
                body: ApiJson<$input>,
            ) -> Reply {
                let input = body.into_inner()?;
                let created = state
                    .write(Lock::NoScreening, move |tx| {
                        service::create(tx.by(&can.staff), input.clone())
                    })
                    .await?;
                Ok(HttpResponse::Created().json(created))
            }

            #[utoipa::path(patch, path = $one, tag = "catalogue", request_body = $patch,
                operation_id = concat!("update_", $noun),
                params(("id" = $id, Path, description = concat!("The ", $noun, "'s id"))),
                security(("bearer" = [])),
                responses(
                    (status = 200, description = concat!("The ", $noun, " as changed"), body = q::$model),
                    (status = 409, description = "The change clashes with what is stored", body = ErrorBody),
                ))]
            pub async fn update(
                state: State,
                can: $update,
                id: aweb::Path<$id>,
                body: ApiJson<$patch>,
            ) -> Reply {
                let (id, patch) = (id.into_inner(), body.into_inner()?);
                let changed = state
                    .write(Lock::NoScreening, move |tx| {
                        service::update::<$input>(tx.by(&can.staff), id, patch.clone())
                    })
                    .await?;
                Ok(HttpResponse::Ok().json(changed))
            }

            #[utoipa::path(delete, path = $one, tag = "catalogue",
                operation_id = concat!("delete_", $noun),
                params(("id" = $id, Path, description = concat!("The ", $noun, "'s id"))),
                security(("bearer" = [])),
                responses(
                    (status = 204, description = "Deleted"),
                    (status = 409, description = "Still used (`in_use`): by screenings (cancel those instead), or by active staff limited to it", body = ErrorBody),
                ))]
            pub async fn delete(
                state: State,
                can: $delete,
                id: aweb::Path<$id>,
            ) -> Reply {
                let id = id.into_inner();
                state
                    .write(Lock::NoScreening, move |tx| {
                        service::delete::<$input>(tx.by(&can.staff), id)
                    })
                    .await?;
                Ok(HttpResponse::NoContent().finish())
            }
        }
    };
}

record_routes!(
    festivals,
    "festival",
    "/api/v1/festivals",
    "/api/v1/festivals/{id}",
    Festival,
    FestivalRow,
    FestivalId,
    FestivalInput,
    FestivalPatch,
    // An administrator makes and removes festivals; their owners set them.
    create: Can<need::Team, scope::Instance>,
    update: Can<need::Team, scope::Festival>,
    delete: Can<need::Team, scope::Instance>
);
record_routes!(
    venues,
    "venue",
    "/api/v1/venues",
    "/api/v1/venues/{id}",
    Venue,
    VenueRow,
    VenueId,
    VenueInput,
    VenuePatch,
    // Venues and films are shared by the festivals: the programme team of any festival.
    create: Can<need::Programme, scope::Anywhere>,
    update: Can<need::Programme, scope::Anywhere>,
    delete: Can<need::Programme, scope::Anywhere>
);
record_routes!(
    films,
    "film",
    "/api/v1/films",
    "/api/v1/films/{id}",
    Film,
    FilmRow,
    FilmId,
    FilmInput,
    FilmPatch,
    // Venues and films are shared by the festivals: the programme team of any festival.
    create: Can<need::Programme, scope::Anywhere>,
    update: Can<need::Programme, scope::Anywhere>,
    delete: Can<need::Programme, scope::Anywhere>
);

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
    /// The seats the public may still book (seats kept for pass holders are not among them).
    pub seats_left: i32,
    pub status: ScreeningStatus,
    pub booking_open: bool,
    pub doors_open_minutes: i32,
    pub doors_close_minutes: i32,
    /// Seats of the capacity kept for festival pass holders.
    pub pass_seats: i32,
    /// Of those, the seats no pass has used yet.
    pub kept_for_passes: i32,
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
            pass_seats: s.pass_seats,
            kept_for_passes: s.kept_for_passes(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/festivals/{id}/screenings", tag = "catalogue",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    responses((status = 200, description = "The festival's screenings, by start", body = Vec<ScreeningView>)))]
async fn list_screenings(state: State, id: aweb::Path<FestivalId>) -> Reply {
    let id = id.into_inner();
    let listings = db::run(&state.pool, move |conn| {
        q::festival(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Festival))?;
        q::list_screenings(conn, id)
    })
    .await?;
    let views: Vec<ScreeningView> = listings.iter().map(ScreeningView::new).collect();
    Ok(HttpResponse::Ok().json(views))
}

#[utoipa::path(get, path = "/api/v1/screenings/{id}", tag = "catalogue",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    responses((status = 200, description = "The screening, with the seats left", body = ScreeningView)))]
async fn get_screening(state: State, id: aweb::Path<ScreeningId>) -> Reply {
    let id = id.into_inner();
    let listing = db::run(&state.pool, move |conn| q::screening_listing(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Screening))?;
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
    can: Can<need::Programme, scope::Anywhere>,
    body: ApiJson<ScreeningInput>,
) -> Reply {
    let input = body.into_inner()?;
    // Read as the write reads it: the permission is checked at the festival written to.
    can.at(super::input::id_field::<FestivalId>(
        "festival_id",
        &input.festival_id,
    )?)?;
    let listing = state
        .write(Lock::NoScreening, move |tx| {
            service::create_screening(tx.by(&can.staff), input.clone())
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
    can: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<ScreeningPatch>,
) -> Reply {
    let (id, patch) = (id.into_inner(), body.into_inner()?);
    let listing = state
        .write(Lock::Screening(id), move |tx| {
            service::update_screening(tx.by(&can.staff), id, patch.clone())
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
    can: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
) -> Reply {
    let id = id.into_inner();
    let listing = state
        .write(Lock::Screening(id), move |tx| {
            service::cancel_screening(tx.by(&can.staff), id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ScreeningView::new(&listing)))
}
