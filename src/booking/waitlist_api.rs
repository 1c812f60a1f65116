//! The waiting list over HTTP: the JSON API, the attendee's pages (join from a sold-out
//! screening's page, the private entry page with its claim and leave buttons) and the organiser's
//! actions. The rules are in `waitlist.rs`.

use actix_web::{HttpResponse, web as aweb};
use askama::Template;
use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::pages::BookingForm;
use super::queries::BookingInput;
use super::waitlist::{self as w, EntryRow, EntryStatus};
use super::waitlist_admin::{
    EntryView, WaitlistView, configure, load, move_entry, offer_minutes, remove_entry, until,
};
use crate::catalogue::summary::{ScreeningSummary, load_summary};
use crate::db::{self, Lock};
use crate::domain::ScreeningId;
use crate::error::{AppError, ErrorBody};
use crate::tickets::keys::KeyRing;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};
use crate::web::csrf::CsrfToken;
use crate::web::json::ApiJson;
use crate::web::links;
use crate::web::{AppState, page, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/screenings/{id}/waitlist",
        aweb::post()
            .to(join_api)
            .wrap(actix_web::middleware::from_fn(
                crate::web::idempotency::once,
            )),
    )
    .route("/api/v1/screenings/{id}/waitlist", aweb::get().to(list_api))
    .route(
        "/api/v1/screenings/{id}/waitlist",
        aweb::patch().to(configure_api),
    )
    .route("/api/v1/waitlist/{token}", aweb::get().to(entry_api))
    .route("/api/v1/waitlist/{token}", aweb::delete().to(leave_api))
    .route("/api/v1/waitlist/{token}/claim", aweb::post().to(claim_api))
    .route(
        "/api/v1/waitlist-entries/{id}/move",
        aweb::post().to(move_api),
    )
    .route(
        "/api/v1/waitlist-entries/{id}",
        aweb::delete().to(remove_api),
    )
    .route(
        "/screenings/{id}/waitlist",
        aweb::post()
            .to(join_page)
            .wrap(actix_web::middleware::from_fn(
                crate::web::idempotency::once,
            )),
    )
    .route("/waitlist/{token}", aweb::get().to(entry_page))
    .route("/waitlist/{token}/claim", aweb::post().to(claim_page))
    .route("/waitlist/{token}/leave", aweb::post().to(leave_page));
}

type State = aweb::Data<AppState>;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryAnswer {
    pub entry: EntryView,
}

async fn join(
    state: &State,
    screening: ScreeningId,
    request: super::queries::BookingRequest,
    once: Option<aweb::ReqData<crate::web::idempotency::Claimed>>,
) -> Result<w::Joined, AppError> {
    let once = once.map(aweb::ReqData::into_inner);
    state
        .write(Lock::Screening(screening), move |tx| {
            w::join(tx, screening, &request, once.as_ref(), now())
        })
        .await
}

/// `POST /api/v1/screenings/{id}/waitlist`: anyone may join the list of a sold-out screening.
#[utoipa::path(post, path = "/api/v1/screenings/{id}/waitlist", tag = "waitlist",
    request_body = BookingInput,
    params(("id" = ScreeningId, Path, description = "The screening's id"), ("Idempotency-Key" = Option<String>, Header, description = "A key of the client's (a UUID): a retry with it gets the first answer and writes nothing; with another body, 409 `idempotency_key_reused`")),
    responses(
        (status = 201, description = "In line: the entry, its place and its private link (shown this once; also mailed)", body = EntryAnswer),
        (status = 409, description = "`seats_available` (book them instead), `waitlist_closed`, `screening_cancelled`, `booking_closed`, `idempotency_key_reused` or `idempotency_key_in_use`", body = ErrorBody),
    ))]
async fn join_api(
    state: State,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<BookingInput>,
    once: Option<aweb::ReqData<crate::web::idempotency::Claimed>>,
) -> Reply {
    let request = body.into_inner()?.parse()?;
    let joined = join(&state, id.into_inner(), request, once).await?;
    let mut entry = EntryView::new(&joined.entry, joined.place)?;
    entry.manage_url = Some(links::absolute(
        &state.public_url,
        &links::waitlist_entry(&joined.token),
    ));
    entry.manage_token = Some(joined.token);
    Ok(HttpResponse::Created().json(EntryAnswer { entry }))
}

/// `GET /api/v1/waitlist/{token}`: the entry its private link opens.
#[utoipa::path(get, path = "/api/v1/waitlist/{token}", tag = "waitlist",
    params(("token" = String, Path, description = "The entry's private token")),
    responses((status = 200, description = "The entry: place in line, status, offer", body = EntryAnswer)))]
async fn entry_api(state: State, token: aweb::Path<String>) -> Reply {
    let token = token.into_inner();
    let entry = db::run(&state.pool, move |conn| {
        let entry = w::entry_by_token(conn, &token)?;
        let place = w::place_in_line(conn, &entry)?;
        EntryView::new(&entry, place)
    })
    .await?;
    Ok(HttpResponse::Ok().json(EntryAnswer { entry }))
}

/// `DELETE /api/v1/waitlist/{token}`: leaves the list (an offer passes to the next entry).
#[utoipa::path(delete, path = "/api/v1/waitlist/{token}", tag = "waitlist",
    params(("token" = String, Path, description = "The entry's private token")),
    responses((status = 200, description = "Off the list", body = EntryAnswer)))]
async fn leave_api(state: State, token: aweb::Path<String>) -> Reply {
    let entry = withdraw_by_token(&state, token.into_inner()).await?;
    Ok(HttpResponse::Ok().json(EntryAnswer {
        entry: EntryView::new(&entry, 0)?,
    }))
}

async fn withdraw_by_token(state: &State, token: String) -> Result<EntryRow, AppError> {
    let lookup = token.clone();
    let found = db::run(&state.pool, move |conn| w::entry_by_token(conn, &lookup)).await?;
    let screening = ScreeningId::from_db("waitlist_entries.screening_id", &found.screening_id)?;
    state
        .write(Lock::Screening(screening), move |tx| {
            w::withdraw(tx, &found.id, EntryStatus::Left, now())
        })
        .await
}

/// `POST /api/v1/waitlist/{token}/claim`: the offered seats become a booking.
#[utoipa::path(post, path = "/api/v1/waitlist/{token}/claim", tag = "waitlist",
    params(("token" = String, Path, description = "The entry's private token")),
    responses(
        (status = 201, description = "Booked: the tickets and their manage link (shown this once; also mailed)", body = crate::booking::api::BookingResponse),
        (status = 409, description = "`no_offer` (still waiting), `offer_expired` or `already_claimed`", body = ErrorBody),
    ))]
async fn claim_api(state: State, keys: aweb::Data<KeyRing>, token: aweb::Path<String>) -> Reply {
    let (screening, new) = claim(&state, keys, token.into_inner()).await?;
    crate::booking::api::created(&state, screening, new).await
}

async fn claim(
    state: &State,
    keys: aweb::Data<KeyRing>,
    token: String,
) -> Result<(ScreeningId, super::queries::NewBooking), AppError> {
    let lookup = token.clone();
    let found = db::run(&state.pool, move |conn| w::entry_by_token(conn, &lookup)).await?;
    let screening = ScreeningId::from_db("waitlist_entries.screening_id", &found.screening_id)?;
    let keys = keys.into_inner();
    let new = state
        .write(Lock::Screening(screening), move |tx| {
            w::claim(tx, &keys.signer, &token, now())
        })
        .await?;
    state.metrics.seats_booked("public", new.booking.seats);
    Ok((screening, new))
}

/// `GET /api/v1/screenings/{id}/waitlist`: the list, in order (organisers).
#[utoipa::path(get, path = "/api/v1/screenings/{id}/waitlist", tag = "waitlist",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The list, in order, with every entry's status", body = WaitlistView)))]
async fn list_api(
    state: State,
    _: Can<need::BoxOffice, scope::Screening>,
    id: aweb::Path<ScreeningId>,
) -> Reply {
    Ok(HttpResponse::Ok().json(load(&state, id.into_inner()).await?))
}

/// What organisers may change about a list.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitlistSettings {
    /// Take new entries (`false` closes the list; those in line keep their place).
    pub open: Option<bool>,
    /// How long an offer is held, at most, in minutes (5 to 1440).
    #[schema(minimum = 5, maximum = 1440)]
    pub offer_minutes: Option<i64>,
}

/// `PATCH /api/v1/screenings/{id}/waitlist`: open or close the list; how long offers are held.
#[utoipa::path(patch, path = "/api/v1/screenings/{id}/waitlist", tag = "waitlist",
    request_body = WaitlistSettings, params(("id" = ScreeningId, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The list as it is now", body = WaitlistView)))]
async fn configure_api(
    state: State,
    can: Can<need::BoxOffice, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<WaitlistSettings>,
) -> Reply {
    let id = id.into_inner();
    let settings = body.into_inner()?;
    let minutes = offer_minutes(settings.offer_minutes)?;
    configure(&state, &can.staff, id, settings.open, minutes).await?;
    Ok(HttpResponse::Ok().json(load(&state, id).await?))
}

/// Where to move an entry.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// The new place in line, from 1 (the front).
    #[schema(minimum = 1)]
    pub position: i64,
}

/// `POST /api/v1/waitlist-entries/{id}/move`: moves an entry in line (organisers).
#[utoipa::path(post, path = "/api/v1/waitlist-entries/{id}/move", tag = "waitlist",
    request_body = MoveInput, security(("bearer" = [])),
    params(("id" = String, Path, description = "The entry's id (as in the organiser's list)")),
    responses((status = 200, description = "The list as it is now", body = WaitlistView)))]
async fn move_api(
    state: State,
    can: Can<need::BoxOffice, scope::WaitlistEntry>,
    id: aweb::Path<String>,
    body: ApiJson<MoveInput>,
) -> Reply {
    let position = body.into_inner()?.position;
    let screening = move_entry(&state, &can.staff, id.into_inner(), position).await?;
    let screening = crate::catalogue::input::id_field("screening_id", &screening)?;
    Ok(HttpResponse::Ok().json(load(&state, screening).await?))
}

/// `DELETE /api/v1/waitlist-entries/{id}`: removes an entry (organisers).
#[utoipa::path(delete, path = "/api/v1/waitlist-entries/{id}", tag = "waitlist",
    params(("id" = String, Path, description = "The entry's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Removed", body = EntryAnswer)))]
async fn remove_api(
    state: State,
    can: Can<need::BoxOffice, scope::WaitlistEntry>,
    id: aweb::Path<String>,
) -> Reply {
    let entry = remove_entry(&state, &can.staff, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(EntryAnswer {
        entry: EntryView::new(&entry, 0)?,
    }))
}

// ---------------------------------------------------------------------------------------------
// Pages

/// `POST /screenings/{id}/waitlist`: the form on a sold-out screening's page.
async fn join_page(
    state: State,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<BookingForm>,
    once: Option<aweb::ReqData<crate::web::idempotency::Claimed>>,
) -> Reply {
    let form = form.into_inner();
    let screening = id.into_inner();
    let request = match super::pages::parse_form(&form) {
        Ok(request) => request,
        Err(problems) => {
            return super::pages::fields_again(&state, screening, form, problems).await;
        }
    };
    match join(&state, screening, request, once).await {
        Ok(joined) => Ok(see_other(&links::waitlist_joined(&joined.token))),
        Err(error) => super::pages::form_again(&state, screening, form, error).await,
    }
}

#[derive(Template)]
#[template(path = "waitlist.html")]
struct EntryPage {
    s: ScreeningSummary,
    name: String,
    email: String,
    seats: i32,
    status: EntryStatus,
    place: i64,
    /// "20:15 on Fri 12 Dec", in the venue's time.
    offer_until: String,
    path: String,
    just_joined: bool,
    csrf: String,
}

#[derive(Deserialize)]
struct EntryQuery {
    joined: Option<String>,
}

async fn entry_page(
    state: State,
    token: aweb::Path<String>,
    query: aweb::Query<EntryQuery>,
    csrf: CsrfToken,
) -> Reply {
    let token = token.into_inner();
    let lookup = token.clone();
    let (entry, place, summary, zone) = db::run(&state.pool, move |conn| {
        let entry = w::entry_by_token(conn, &lookup)?;
        let place = w::place_in_line(conn, &entry)?;
        let screening = ScreeningId::from_db("waitlist_entries.screening_id", &entry.screening_id)?;
        let summary = load_summary(conn, screening)?;
        let zone = crate::catalogue::queries::screening_listing(conn, screening)?
            .map_or(chrono_tz::UTC, |l| l.zone());
        Ok((entry, place, summary, zone))
    })
    .await?;
    let status = entry.status()?;
    page(&EntryPage {
        s: summary,
        name: entry.name,
        email: entry.email,
        seats: entry.seats,
        status,
        place,
        offer_until: entry
            .offer_expires_at
            .map(|t| until(t, zone))
            .unwrap_or_default(),
        path: links::waitlist_entry(&token),
        just_joined: query.joined.is_some(),
        csrf: csrf.0,
    })
}

/// `POST /waitlist/{token}/claim`: books the offered seats, then shows the tickets.
async fn claim_page(state: State, keys: aweb::Data<KeyRing>, token: aweb::Path<String>) -> Reply {
    let (_, new) = claim(&state, keys, token.into_inner()).await?;
    Ok(see_other(&links::manage_booked(&new.manage_token)))
}

/// `POST /waitlist/{token}/leave`.
async fn leave_page(state: State, token: aweb::Path<String>) -> Reply {
    let token = token.into_inner();
    withdraw_by_token(&state, token.clone()).await?;
    Ok(see_other(&links::waitlist_entry(&token)))
}
