//! The passes JSON API: pass types and passes for organisers; a pass and its reservations for its
//! holder (`Authorization: Bearer` with the pass's manage token) and organisers.

use actix_web::{HttpRequest, HttpResponse, web as aweb};
use serde::{Deserialize, Serialize};

use super::import::{self, ImportReport};
use super::input::{PassInput, PassTypeInput, ReservationInput};
use super::photo;
use super::queries::{self as q, Pass, PassRow, PassType, Reservation};
use super::record::{self, Issued};
use crate::db::audit::{self, Change};
use crate::db::{self, Lock};
use crate::domain::{FestivalId, PassId, PassTypeId, Permission, ScreeningId};
use crate::error::{AppError, ErrorBody, Refusal, Thing};
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Caller, Can, bearer_token, need, scope};
use crate::web::json::ApiJson;
use crate::web::links;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/festivals/{id}/pass-types",
        aweb::post().to(create_pass_type),
    )
    .route(
        "/api/v1/festivals/{id}/pass-types",
        aweb::get().to(list_pass_types),
    )
    .service(
        aweb::resource("/api/v1/festivals/{id}/passes/import")
            .app_data(aweb::PayloadConfig::new(MAX_IMPORT_BYTES))
            .app_data(crate::web::BodyLimit(MAX_IMPORT_BYTES))
            .route(aweb::post().to(import_passes)),
    )
    .route(
        "/api/v1/pass-types/{id}",
        aweb::patch().to(update_pass_type),
    )
    .route("/api/v1/festivals/{id}/passes", aweb::post().to(issue_pass))
    .route("/api/v1/festivals/{id}/passes", aweb::get().to(list_passes))
    .route("/api/v1/passes/{id}", aweb::get().to(get_pass))
    .route("/api/v1/passes/{id}", aweb::delete().to(revoke_pass))
    .route("/api/v1/passes/{id}/resend", aweb::post().to(resend_pass))
    .route(
        "/api/v1/passes/{id}/reservations",
        aweb::post()
            .to(reserve)
            .wrap(actix_web::middleware::from_fn(
                crate::web::idempotency::once,
            )),
    )
    .route(
        "/api/v1/passes/{id}/reservations/{screening_id}",
        aweb::delete().to(cancel_reservation),
    )
    .service(
        aweb::resource("/api/v1/passes/{id}/photo")
            .app_data(aweb::PayloadConfig::new(photo::MAX_UPLOAD_BYTES))
            .app_data(crate::web::BodyLimit(photo::MAX_UPLOAD_BYTES))
            .route(aweb::put().to(set_photo))
            .route(aweb::delete().to(remove_photo))
            .route(aweb::get().to(get_photo)),
    );
}

type State = aweb::Data<AppState>;

/// `POST /api/v1/festivals/{id}/pass-types`: organisers.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/pass-types", tag = "passes",
    request_body = PassTypeInput,
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The pass type", body = PassType),
        (status = 409, description = "`already_exists`: the festival has a type of that name", body = ErrorBody),
    ))]
async fn create_pass_type(
    state: State,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    body: ApiJson<PassTypeInput>,
) -> Reply {
    let (festival, request) = (id.into_inner(), body.into_inner()?.parse()?);
    let kind = state
        .write(Lock::NoScreening, move |tx| {
            record::create_type(
                tx.by(&can.staff),
                festival,
                &request,
                chrono::Utc::now().naive_utc(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(kind))
}

/// `PATCH /api/v1/pass-types/{id}`: organisers change a pass type (a JSON merge patch).
#[utoipa::path(patch, path = "/api/v1/pass-types/{id}", tag = "passes",
    request_body(content = Object, description = "Any fields of a new type (see `PassTypeInput`): each one sent replaces the type's; `null` lifts a limit. The result is checked as a new type is. It rules reservations made from then on."),
    params(("id" = PassTypeId, Path, description = "The pass type's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pass type as it now is", body = PassType),
        (status = 409, description = "`already_exists`: the festival has another type of that name", body = ErrorBody),
        (status = 422, description = "A value that is not acceptable, naming the field", body = ErrorBody),
    ))]
async fn update_pass_type(
    state: State,
    can: Can<need::BoxOffice, scope::PassType>,
    id: aweb::Path<PassTypeId>,
    body: ApiJson<serde_json::Value>,
) -> Reply {
    let id = id.into_inner();
    let serde_json::Value::Object(patch) = body.into_inner()? else {
        return Err(AppError::BadRequest(crate::msg!(
            "error-json-body",
            detail = "a JSON object is expected"
        )));
    };
    let kind = state
        .write(Lock::NoScreening, move |tx| {
            record::update_type(tx.by(&can.staff), id, &patch)
        })
        .await?;
    Ok(HttpResponse::Ok().json(kind))
}

#[derive(Serialize, utoipa::ToSchema)]
struct PassTypes {
    pass_types: Vec<PassType>,
}

/// `GET /api/v1/festivals/{id}/pass-types`: organisers.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/pass-types", tag = "passes",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The festival's pass types, oldest first", body = PassTypes)))]
async fn list_pass_types(
    state: State,
    _: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let festival = id.into_inner();
    let pass_types = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        q::pass_types_of(conn, festival)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PassTypes { pass_types }))
}

/// A pass as answered: with its manage token the once it is issued.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PassView {
    #[serde(flatten)]
    pass: Pass,
    /// The holder's private token (`Authorization: Bearer` on `/api/v1/passes/{id}`): shown
    /// once, when the pass is issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    manage_token: Option<String>,
    /// The holder's private page (its link is the manage token): shown once, with the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    manage_url: Option<String>,
    /// The pass's reservations, soonest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    reservations: Option<Vec<Reservation>>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct PassResponse {
    pass: PassView,
}

impl PassResponse {
    /// A pass as answered after a change: no token, no link, no reservations.
    fn plain(pass: Pass) -> PassResponse {
        PassResponse::with(pass, None)
    }

    /// A pass as its holder or an organiser reads it, with its reservations.
    fn with(pass: Pass, reservations: Option<Vec<Reservation>>) -> PassResponse {
        PassResponse {
            pass: PassView {
                pass,
                manage_token: None,
                manage_url: None,
                reservations,
            },
        }
    }
}

/// `POST /api/v1/festivals/{id}/passes`: organisers issue a pass to one holder.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/passes", tag = "passes",
    request_body = PassInput,
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Issued: the pass, its signed code and its manage token (shown this once)", body = PassResponse),
        (status = 409, description = "`already_exists`: this address already holds a pass of this type", body = ErrorBody),
    ))]
async fn issue_pass(
    state: State,
    keys: aweb::Data<KeyRing>,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    body: ApiJson<PassInput>,
) -> Reply {
    let (festival, request) = (id.into_inner(), body.into_inner()?.parse()?);
    let issued = state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&can.staff);
            crate::catalogue::queries::festival(tx.conn, festival)?
                .ok_or_else(|| AppError::not_found(Thing::Festival))?;
            record::issue(
                tx,
                &keys.signer,
                festival,
                &request,
                chrono::Utc::now().naive_utc(),
            )
        })
        .await?;
    match issued {
        Issued::New { pass, manage_token } => Ok(HttpResponse::Created().json(PassResponse {
            pass: PassView {
                pass,
                manage_url: Some(links::absolute(
                    &state.public_url,
                    &links::pass(&manage_token),
                )),
                manage_token: Some(manage_token),
                reservations: Some(Vec::new()),
            },
        })),
        Issued::Existing(_) => Err(AppError::conflict(
            Refusal::AlreadyExists,
            crate::msg!("error-pass-exists"),
        )),
    }
}

/// The largest list accepted: 5,000 rows of names, addresses and organisations fit well within.
const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// `POST /api/v1/festivals/{id}/passes/import`: organisers import a guest or press list.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/passes/import", tag = "passes",
    request_body(content = String, content_type = "text/csv",
        description = "A header row `name,email,pass_type` (and optionally `organisation`, `country`, `lang`), then one holder per row; `pass_type` is a type's id or name. At most 5,000 rows, 2 MiB."),
    params(("id" = FestivalId, Path, description = "The festival's id"), crate::domain::sheet::ImportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or, a dry run: what would be, with every problem found)", body = ImportReport),
        (status = 400, description = "A query that could not be read (a parameter other than `dry_run`, or one not true or false)", body = ErrorBody),
        (status = 422, description = "Some rows have problems, each named by line and column: nothing was written", body = ImportReport),
    ))]
async fn import_passes(
    state: State,
    keys: aweb::Data<KeyRing>,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    query: aweb::Query<crate::domain::sheet::ImportQuery>,
    body: aweb::Bytes,
) -> Reply {
    let (festival, dry_run) = (id.into_inner(), query.dry_run.unwrap_or(false));
    let lang = crate::i18n::current();
    let checked = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        import::check_for(conn, festival, &body, lang)
    })
    .await?;
    let requests = match checked {
        Ok(requests) => requests,
        Err(errors) => {
            let report = ImportReport {
                errors,
                ..ImportReport::default()
            };
            return Ok(if dry_run {
                HttpResponse::Ok().json(report)
            } else {
                HttpResponse::UnprocessableEntity().json(report)
            });
        }
    };
    let report = if dry_run {
        db::run(&state.pool, move |conn| {
            import::dry_run(conn, festival, &requests)
        })
        .await?
    } else {
        state
            .write(Lock::NoScreening, move |tx| {
                import::issue_all(
                    tx.by(&can.staff),
                    &keys.signer,
                    festival,
                    &requests,
                    chrono::Utc::now().naive_utc(),
                )
            })
            .await?
            .0
    };
    Ok(HttpResponse::Ok().json(report))
}

/// The query of `GET /api/v1/festivals/{id}/passes`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct PassSearch {
    /// Only passes whose holder's name, address or organisation contains this.
    #[param(max_length = 200)]
    q: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct PassList {
    passes: Vec<Pass>,
}

/// The most passes one list answers.
const LIST_LIMIT: usize = 1000;

/// `GET /api/v1/festivals/{id}/passes`: organisers list and search a festival's passes.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/passes", tag = "passes",
    params(("id" = FestivalId, Path, description = "The festival's id"), PassSearch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The festival's passes, newest first (at most 1,000)", body = PassList),
        (status = 400, description = "A query that could not be read (a parameter other than `q`)", body = ErrorBody),
        (status = 422, description = "A search longer than 200 characters, or with control characters", body = ErrorBody),
    ))]
async fn list_passes(
    state: State,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    search: aweb::Query<PassSearch>,
) -> Reply {
    let (festival, search) = (id.into_inner(), search.into_inner().q);
    if let Some(q) = &search {
        crate::domain::input::optional_text("q", q, 200)?;
    }
    // The holders' names and addresses, listed or searched: recorded (never the words searched).
    let listed = Change::new(Some(festival), "pass.list", format!("festival:{festival}"));
    state.audit_read(&can.staff, listed).await?;
    let lang = crate::i18n::current();
    let passes = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        q::passes_of(conn, festival, search.as_deref(), LIST_LIMIT, lang)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PassList { passes }))
}

/// Who besides the pass's holder (with its manage token) may read a pass.
#[derive(Debug, Clone, Copy)]
enum Readers {
    Organisers,
    /// Door staff of its festival too (a member of one venue: if the festival screens there).
    FestivalStaff,
}

/// The credential a request reads a pass with: its bearer token (a holder's manage token, or a
/// staff credential) and the staff member signed in, if any. Neither is a 401.
fn credential(
    req: &HttpRequest,
    caller: Caller,
) -> Result<(Option<String>, Option<StaffMember>), AppError> {
    let token = bearer_token(req);
    if token.is_none() && caller.0.is_none() {
        return Err(AppError::Unauthorized(crate::msg!("error-pass-token")));
    }
    Ok((token, caller.0))
}

/// The pass with its type, if `readers` or its holder may read it. A wrong token gets the same
/// 404 as a pass that does not exist, so ids leak nothing.
fn readable(
    conn: &mut db::AnyConnection,
    id: PassId,
    (token, staff): (&Option<String>, &Option<StaffMember>),
    readers: Readers,
) -> Result<(PassRow, PassType, Option<StaffMember>), AppError> {
    let (row, kind) = q::pass_row(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
    let staff_may = match (staff, readers) {
        (None, _) => false,
        (Some(s), Readers::Organisers) => s.may(Permission::BoxOffice, kind.festival_id),
        (Some(s), Readers::FestivalStaff) if s.may(Permission::BoxOffice, kind.festival_id) => true,
        (Some(s), Readers::FestivalStaff) => {
            s.may(Permission::Door, kind.festival_id)
                && match s.venue_id {
                    Some(venue) => crate::catalogue::queries::festival_screens_at(
                        conn,
                        kind.festival_id,
                        venue,
                    )?,
                    None => true,
                }
        }
    };
    let holder_may = token
        .as_deref()
        .is_some_and(|t| record::token_opens(&row, t));
    if holder_may {
        Ok((row, kind, None))
    } else if staff_may {
        Ok((row, kind, staff.clone()))
    } else {
        Err(AppError::not_found(Thing::Pass))
    }
}

/// The pass a request may see: its holder's (manage token) or any of its festival, for its box
/// office; and the staff member reading it, when it is not the holder.
async fn pass_for(
    state: &State,
    req: &HttpRequest,
    caller: Caller,
    id: PassId,
) -> Result<(Pass, Option<StaffMember>), AppError> {
    let credential = credential(req, caller)?;
    let lang = crate::i18n::current();
    db::run(&state.pool, move |conn| {
        let (row, kind, staff) = readable(
            conn,
            id,
            (&credential.0, &credential.1),
            Readers::Organisers,
        )?;
        Ok((Pass::of(row, &kind, lang)?, staff))
    })
    .await
}

/// `GET /api/v1/passes/{id}`: the holder (manage token) or an organiser.
#[utoipa::path(get, path = "/api/v1/passes/{id}", tag = "passes",
    params(("id" = PassId, Path, description = "The pass's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The pass and its reservations", body = PassResponse)))]
async fn get_pass(state: State, req: HttpRequest, caller: Caller, id: aweb::Path<PassId>) -> Reply {
    let (pass, _) = pass_for(&state, &req, caller, id.into_inner()).await?;
    let id = pass.id;
    let reservations = db::run(&state.pool, move |conn| q::reservations_of(conn, id)).await?;
    Ok(HttpResponse::Ok().json(PassResponse::with(pass, Some(reservations))))
}

/// `DELETE /api/v1/passes/{id}`: organisers revoke a pass.
#[utoipa::path(delete, path = "/api/v1/passes/{id}", tag = "passes",
    params(("id" = PassId, Path, description = "The pass's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Revoked: refused at every door from now on; its seats at screenings to come are given back", body = PassResponse)))]
async fn revoke_pass(
    state: State,
    can: Can<need::BoxOffice, scope::Pass>,
    id: aweb::Path<PassId>,
) -> Reply {
    let id = id.into_inner();
    let pass = state
        .write(Lock::NoScreening, move |tx| {
            record::revoke(tx.by(&can.staff), id, chrono::Utc::now().naive_utc())
        })
        .await?;
    Ok(HttpResponse::Ok().json(PassResponse::plain(pass)))
}

/// `POST /api/v1/passes/{id}/resend`: organisers mail a pass to its holder again (with a fresh
/// link to its page).
#[utoipa::path(post, path = "/api/v1/passes/{id}/resend", tag = "passes",
    params(("id" = PassId, Path, description = "The pass's id")),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued: the pass will be mailed again", body = PassResponse),
        (status = 409, description = "`revoked`: a revoked pass is not sent", body = ErrorBody),
    ))]
async fn resend_pass(
    state: State,
    can: Can<need::BoxOffice, scope::Pass>,
    id: aweb::Path<PassId>,
) -> Reply {
    let id = id.into_inner();
    let pass = state
        .write(Lock::NoScreening, move |tx| {
            record::resend(tx.by(&can.staff), id, chrono::Utc::now().naive_utc())
        })
        .await?;
    Ok(HttpResponse::Accepted().json(PassResponse::plain(pass)))
}

#[derive(Serialize, utoipa::ToSchema)]
struct ReservationResponse {
    reservation: Reservation,
}

/// `POST /api/v1/passes/{id}/reservations`: the holder or an organiser reserves a seat.
#[utoipa::path(post, path = "/api/v1/passes/{id}/reservations", tag = "passes",
    request_body = ReservationInput,
    params(("id" = PassId, Path, description = "The pass's id"), ("Idempotency-Key" = Option<String>, Header, description = "A key of the client's (a UUID): a retry with it gets the first answer and writes nothing (after a lost answer: the reservation the first attempt made, as it is now); with another body, 409 `idempotency_key_reused`")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Reserved: a seat held for the pass", body = ReservationResponse),
        (status = 409, description = "`quota_reached`, `overlaps`, `sold_out`, `already_reserved`, `not_valid_for_screening`, `revoked`, `screening_cancelled`, `booking_closed`, `idempotency_key_reused` or `idempotency_key_in_use`", body = ErrorBody),
    ))]
async fn reserve(
    state: State,
    keys: aweb::Data<KeyRing>,
    req: HttpRequest,
    caller: Caller,
    id: aweb::Path<PassId>,
    body: ApiJson<ReservationInput>,
    once: Option<aweb::ReqData<crate::web::idempotency::Claimed>>,
) -> Reply {
    let screening = body.into_inner()?.parse()?;
    let (pass, staff) = pass_for(&state, &req, caller, id.into_inner()).await?;
    let pass = pass.id;
    let once = once.map(aweb::ReqData::into_inner);
    let reservation = state
        .write(Lock::Screening(screening), move |tx| {
            if let Some(staff) = &staff {
                tx.by(staff);
            }
            record::reserve(
                tx,
                &keys.signer,
                pass,
                screening,
                once.as_ref(),
                chrono::Utc::now().naive_utc(),
            )
        })
        .await?;
    state.hub.publish(screening);
    Ok(HttpResponse::Created().json(ReservationResponse { reservation }))
}

/// `DELETE /api/v1/passes/{id}/reservations/{screening_id}`: the holder or an organiser gives
/// a seat back.
#[utoipa::path(delete, path = "/api/v1/passes/{id}/reservations/{screening_id}", tag = "passes",
    params(
        ("id" = PassId, Path, description = "The pass's id"),
        ("screening_id" = ScreeningId, Path, description = "The screening's id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Given back: the seat is free again (offered to the waiting list first)"),
        (status = 409, description = "`already_admitted`: the seat was used", body = ErrorBody),
    ))]
async fn cancel_reservation(
    state: State,
    req: HttpRequest,
    caller: Caller,
    path: aweb::Path<(PassId, ScreeningId)>,
) -> Reply {
    let (id, screening) = path.into_inner();
    let (pass, staff) = pass_for(&state, &req, caller, id).await?;
    let pass = pass.id;
    state
        .write(Lock::Screening(screening), move |tx| {
            if let Some(staff) = &staff {
                tx.by(staff);
            }
            record::cancel_reservation(tx, pass, screening, chrono::Utc::now().naive_utc())
        })
        .await?;
    state.hub.publish(screening);
    Ok(HttpResponse::NoContent().finish())
}

/// `PUT /api/v1/passes/{id}/photo`: organisers set (or replace) a holder's photo.
#[utoipa::path(put, path = "/api/v1/passes/{id}/photo", tag = "passes",
    params(("id" = PassId, Path, description = "The pass's id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG or PNG picture, at most 8 MiB and 8,000 pixels a side, at least 64"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Kept (reduced to at most 320 pixels a side, as a JPEG without the file's metadata): the pass, with its `photo_url`", body = PassResponse),
        (status = 413, description = "More than 8 MiB"),
        (status = 422, description = "Not a JPEG or PNG picture, or too small or too large (`field`: `photo`)", body = ErrorBody),
    ))]
async fn set_photo(
    state: State,
    can: Can<need::BoxOffice, scope::Pass>,
    id: aweb::Path<PassId>,
    body: aweb::Bytes,
) -> Reply {
    let id = id.into_inner();
    let jpeg = aweb::block(move || photo::prepare(&body))
        .await
        .map_err(AppError::internal)??;
    let pass = state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&can.staff);
            photo::set(tx, id, &jpeg, chrono::Utc::now().naive_utc())?;
            let (row, kind) =
                q::pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
            let change = Change::new(Some(kind.festival_id), "pass.photo", format!("pass:{id}"));
            audit::record(tx, change)?;
            Pass::of(row, &kind, tx.lang)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PassResponse::plain(pass)))
}

/// `DELETE /api/v1/passes/{id}/photo`: organisers remove a holder's photo.
#[utoipa::path(delete, path = "/api/v1/passes/{id}/photo", tag = "passes",
    params(("id" = PassId, Path, description = "The pass's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed (or there was none)")))]
async fn remove_photo(
    state: State,
    can: Can<need::BoxOffice, scope::Pass>,
    id: aweb::Path<PassId>,
) -> Reply {
    let id = id.into_inner();
    state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&can.staff);
            let (_, kind) =
                q::pass_row(tx.conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
            photo::remove(tx.conn, &id.to_string())?;
            let change = Change::new(
                Some(kind.festival_id),
                "pass.photo_remove",
                format!("pass:{id}"),
            );
            audit::record(tx, change)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/passes/{id}/photo`: the holder's photo, for organisers, door staff of its
/// festival (the door shows it beside the name) and the holder (manage token).
#[utoipa::path(get, path = "/api/v1/passes/{id}/photo", tag = "passes",
    params(("id" = PassId, Path, description = "The pass's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg", body = Vec<u8>),
        (status = 404, description = "No such pass, no photo, or not the caller's to see", body = ErrorBody),
    ))]
async fn get_photo(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: aweb::Path<PassId>,
) -> Reply {
    let id = id.into_inner();
    let credential = credential(&req, caller)?;
    let jpeg = db::run(&state.pool, move |conn| {
        readable(
            conn,
            id,
            (&credential.0, &credential.1),
            Readers::FestivalStaff,
        )?;
        photo::photo_of(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        // A person's face: kept by no cache (door devices and organisers' computers are shared;
        // a photo removed or erased must be gone from them too).
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(jpeg))
}
