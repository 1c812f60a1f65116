//! The ticket API beside the booking: the public keys that check a code, and one ticket's QR
//! image (PNG, SVG) for its holder (manage token) or an organiser.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web as aweb};
use serde::Deserialize;

use crate::booking::api::check_holder;
use crate::booking::queries::ticket_with_booking;
use crate::db;
use crate::domain::TicketId;
use crate::error::{AppError, Thing};
use crate::tickets::keys::{KeyRing, PublicKey};
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Caller, bearer_token};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/keys", aweb::get().to(public_keys))
        .route("/api/v1/tickets/{id}/qr.png", aweb::get().to(qr_png))
        .route("/api/v1/tickets/{id}/qr.svg", aweb::get().to(qr_svg));
}

type State = aweb::Data<AppState>;

/// `GET /api/v1/keys`: the public keys that verify ticket codes.
#[utoipa::path(get, path = "/api/v1/keys", tag = "tickets",
    responses((status = 200, description = "The public keys that verify ticket codes (for doors verifying offline)", body = Vec<PublicKey>)))]
async fn public_keys(keys: aweb::Data<KeyRing>) -> HttpResponse {
    HttpResponse::Ok().json(&keys.public_keys)
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The code of a ticket the caller may see: holder (bearer or `?token=` manage token) or organiser.
async fn ticket_code(
    state: &State,
    req: &HttpRequest,
    caller: Caller,
    id: TicketId,
    query: TokenQuery,
) -> Result<String, AppError> {
    let token = bearer_token(req).or(query.token);
    if token.is_none() && caller.0.is_none() {
        return Err(AppError::Unauthorized(crate::msg!(
            "error-manage-token-or-query"
        )));
    }
    db::run(&state.pool, move |conn| {
        // Not found and not theirs read the same ("no such ticket"); a database failure stays
        // what it is.
        let not_theirs = |error: AppError| match error {
            AppError::NotFound(_) => AppError::not_found(Thing::Ticket),
            other => other,
        };
        let (ticket, booking) = ticket_with_booking(conn, id).map_err(not_theirs)?;
        check_holder(conn, &caller, token.as_deref(), &booking).map_err(not_theirs)?;
        Ok(ticket.code)
    })
    .await
}

fn image(content_type: &str, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        // The image never changes for a ticket; it is private to its holder.
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .body(body)
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}/qr.png", tag = "tickets",
    params(
        ("id" = TicketId, Path, description = "The ticket's id"),
        ("token" = Option<String>, Query, description = "The booking's manage token, when it is not sent as a bearer"),
    ),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The ticket's QR code", content_type = "image/png", body = Vec<u8>)))]
async fn qr_png(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: aweb::Path<TicketId>,
    query: aweb::Query<TokenQuery>,
) -> Reply {
    let code = ticket_code(&state, &req, caller, id.into_inner(), query.into_inner()).await?;
    let png = aweb::block(move || crate::tickets::qr::png(&code))
        .await
        .map_err(AppError::internal)??;
    Ok(image("image/png", png))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}/qr.svg", tag = "tickets",
    params(
        ("id" = TicketId, Path, description = "The ticket's id"),
        ("token" = Option<String>, Query, description = "The booking's manage token, when it is not sent as a bearer"),
    ),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The ticket's QR code", content_type = "image/svg+xml", body = String)))]
async fn qr_svg(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: aweb::Path<TicketId>,
    query: aweb::Query<TokenQuery>,
) -> Reply {
    let code = ticket_code(&state, &req, caller, id.into_inner(), query.into_inner()).await?;
    let svg = crate::tickets::qr::svg(&code)?;
    Ok(image("image/svg+xml", svg))
}
