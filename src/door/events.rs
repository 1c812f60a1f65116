//! Live counters over Server-Sent Events: a stream sends the screening's `admitted`/`capacity`
//! whenever it changes (through [`crate::web::live::watch`]).

use actix_web::web as aweb;
use diesel::prelude::*;

use crate::db;
use crate::db::schema::screenings;
use crate::domain::ScreeningId;
use crate::error::{AppError, Thing};
use crate::web::Reply;

/// The counters a stream reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Counters {
    pub admitted: i32,
    pub capacity: i32,
    pub booked: i32,
}

pub fn counters(conn: &mut db::AnyConnection, id: ScreeningId) -> Result<Counters, AppError> {
    let (admitted, capacity, booked) = screenings::table
        .find(id.to_string())
        .select((
            screenings::admitted,
            screenings::capacity,
            screenings::booked,
        ))
        .first::<(i32, i32, i32)>(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    Ok(Counters {
        admitted,
        capacity,
        booked,
    })
}

/// `GET /api/v1/screenings/{id}/events`, for door staff (of that screening) and organisers.
#[utoipa::path(get, path = "/api/v1/screenings/{id}/events", tag = "door",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Server-Sent Events: a `counters` event (data: `Counters` as JSON) now and at every change", content_type = "text/event-stream", body = String),
    ))]
pub async fn screening_events(
    state: aweb::Data<crate::web::AppState>,
    crate::web::auth::SignedIn(staff): crate::web::auth::SignedIn,
    id: aweb::Path<ScreeningId>,
    req: actix_web::HttpRequest,
) -> Reply {
    let id = id.into_inner();
    let listing = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::screening_listing(conn, id)?
            .ok_or_else(|| AppError::not_found(Thing::Screening))
    })
    .await?;
    super::routing::check_scope(&staff, &listing)?;
    let events = crate::web::live::watch(
        state.pool.clone(),
        &state.hub,
        "counters",
        move |changed| changed == id,
        move |conn| counters(conn, id),
    );
    Ok(crate::web::live::to_signed_in(req, staff.id, events))
}
