//! The booking JSON API.

use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web as aweb};
use serde::Serialize;

use super::queries::{self as q, Booking, BookingInput, BookingRow, InvitationInput, Ticket};
use crate::catalogue::api::ScreeningView;
use crate::catalogue::queries::screening_listing;
use crate::db::audit::Change;
use crate::db::{self, Lock};
use crate::domain::{BookingId, FestivalId, Permission, ScreeningId};
use crate::error::{AppError, ErrorBody, Thing};
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Caller, Can, Found, Scope, bearer_token, need, scope};
use crate::web::idempotency::Claimed;
use crate::web::json::ApiJson;
use crate::web::limits::{Limited, per_client};
use crate::web::links;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/screenings/{id}/bookings",
        aweb::post()
            .to(create_booking)
            // Outermost: a replayed answer is not a new booking for the rate limit to count.
            .wrap(per_client(Limited::Booking))
            .wrap(from_fn(crate::web::idempotency::once)),
    )
    .route(
        "/api/v1/screenings/{id}/invitations",
        aweb::post().to(create_invitation),
    )
    .route("/api/v1/bookings/{id}", aweb::get().to(get_booking))
    .route("/api/v1/bookings/{id}", aweb::delete().to(cancel_booking));
}

type State = aweb::Data<AppState>;

#[derive(Serialize, utoipa::ToSchema)]
pub struct TicketView {
    #[serde(flatten)]
    pub ticket: Ticket,
    pub qr_png: String,
    pub qr_svg: String,
}

impl TicketView {
    pub fn new(state: &AppState, ticket: Ticket) -> TicketView {
        let image =
            |file| links::absolute(&state.public_url, &links::ticket_image(ticket.id, file));
        TicketView {
            qr_png: image("qr.png"),
            qr_svg: image("qr.svg"),
            ticket,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct BookingView {
    #[serde(flatten)]
    booking: Booking,
    #[serde(skip_serializing_if = "Option::is_none")]
    manage_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manage_url: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookingResponse {
    booking: BookingView,
    tickets: Vec<TicketView>,
    screening: ScreeningView,
}

/// `POST /api/v1/screenings/{id}/bookings`: anyone may book.
#[utoipa::path(post, path = "/api/v1/screenings/{id}/bookings", tag = "booking",
    request_body = BookingInput,
    params(("id" = ScreeningId, Path, description = "The screening's id"), ("Idempotency-Key" = Option<String>, Header, description = "A key of the client's (a UUID): a retry with it gets the first answer and writes nothing; with another body, 409 `idempotency_key_reused`")),
    responses(
        (status = 201, description = "Booked: one signed ticket per seat, and the private manage link (shown this once)", body = BookingResponse),
        (status = 409, description = "`sold_out` (with `seats_left`), `screening_cancelled`, `booking_closed`, `idempotency_key_reused` or `idempotency_key_in_use`", body = ErrorBody),
        (status = 429, description = "Too many bookings from this address; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
async fn create_booking(
    state: State,
    keys: aweb::Data<KeyRing>,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<BookingInput>,
    once: Option<aweb::ReqData<Claimed>>,
) -> Reply {
    let request = body.into_inner()?.parse()?;
    let once = once.map(aweb::ReqData::into_inner);
    book(state, keys, id.into_inner(), request, None, once).await
}

/// `POST /api/v1/screenings/{id}/invitations`: organisers give complimentary tickets (guest,
/// press, jury) to named people. They count against capacity like any booking and are the same
/// signed QR tickets, with the same private manage link to forward to the guest.
#[utoipa::path(post, path = "/api/v1/screenings/{id}/invitations", tag = "booking",
    request_body = InvitationInput,
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Invited: complimentary tickets and their manage link (shown this once)", body = BookingResponse),
        (status = 409, description = "`sold_out` (with `seats_left`), `screening_cancelled` or `booking_closed`", body = ErrorBody),
    ))]
async fn create_invitation(
    state: State,
    keys: aweb::Data<KeyRing>,
    can: Can<need::BoxOffice, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<InvitationInput>,
) -> Reply {
    let request = body.into_inner()?.parse()?;
    book(
        state,
        keys,
        id.into_inner(),
        request,
        Some(&can.staff),
        None,
    )
    .await
}

/// A booking, or an invitation by `by`.
async fn book(
    state: State,
    keys: aweb::Data<KeyRing>,
    screening_id: ScreeningId,
    request: q::BookingRequest,
    by: Option<&StaffMember>,
    once: Option<Claimed>,
) -> Reply {
    let new = super::commit(&state, &keys, screening_id, request, by, once).await?;
    created(&state, screening_id, new).await
}

/// `201 Created` with a booking just made: its tickets and its manage link (shown this once).
pub async fn created(state: &State, screening_id: ScreeningId, new: q::NewBooking) -> Reply {
    // Read after the commit, outside the writer: the writer's time is for writes.
    let listing = db::run(&state.pool, move |conn| {
        screening_listing(conn, screening_id)?.ok_or_else(|| AppError::not_found(Thing::Screening))
    })
    .await?;
    let manage_url = links::absolute(&state.public_url, &links::manage(&new.manage_token));
    let response = BookingResponse {
        booking: BookingView {
            booking: new.booking,
            manage_token: Some(new.manage_token),
            manage_url: Some(manage_url),
        },
        tickets: new
            .tickets
            .into_iter()
            .map(|t| TicketView::new(state, t))
            .collect(),
        screening: ScreeningView::new(&listing),
    };
    Ok(HttpResponse::Created().json(response))
}

/// Lets the holder of the manage token, or the box office of its festival, see or change a
/// booking; answers which staff member it is, and the booking's festival, when it is not the
/// holder.
///
/// A wrong token gets the same 404 as a booking that does not exist, so ids leak nothing.
pub fn check_holder(
    conn: &mut db::AnyConnection,
    caller: &Caller,
    token: Option<&str>,
    row: &BookingRow,
) -> Result<Option<(StaffMember, FestivalId)>, AppError> {
    if let Some(token) = token
        && q::token_opens(conn, row, token)?
    {
        return Ok(None);
    }
    let Some(staff) = &caller.0 else {
        return Err(AppError::not_found(Thing::Booking));
    };
    match scope::Screening::find(conn, Some(&row.screening_id))? {
        Found::Festival(festival) if staff.may(Permission::BoxOffice, festival) => {
            Ok(Some((staff.clone(), festival)))
        }
        _ => Err(AppError::not_found(Thing::Booking)),
    }
}

fn require_credential(req: &HttpRequest, caller: &Caller) -> Result<Option<String>, AppError> {
    let token = bearer_token(req);
    if token.is_none() && caller.0.is_none() {
        return Err(AppError::Unauthorized(crate::msg!("error-manage-token")));
    }
    Ok(token)
}

async fn booking_response(
    state: &State,
    id: BookingId,
    token: Option<String>,
    caller: Caller,
    cancel: bool,
) -> Reply {
    let (row, staff) = db::run(&state.pool, move |conn| {
        let row = q::booking_row(conn, id)?;
        let staff = check_holder(conn, &caller, token.as_deref(), &row)?;
        Ok((row, staff))
    })
    .await?;
    let screening = ScreeningId::from_db("bookings.screening_id", &row.screening_id)?;
    let booking = if cancel {
        state
            .write(Lock::Screening(screening), move |tx| {
                if let Some((staff, _)) = &staff {
                    tx.by(staff);
                }
                super::cancel::cancel_booking(tx, id, chrono::Utc::now().naive_utc())
            })
            .await?
    } else {
        if let Some((staff, festival)) = &staff {
            // A person's booking opened by staff.
            let opened = Change::new(Some(*festival), "booking.open", format!("booking:{id}"));
            state.audit_read(staff, opened).await?;
        }
        Booking::try_from(row)?
    };
    let screening = booking.screening_id;
    let (tickets, listing) = db::run(&state.pool, move |conn| {
        let tickets = q::tickets_of(conn, id)?;
        let listing = screening_listing(conn, screening)?
            .ok_or_else(|| AppError::not_found(Thing::Screening))?;
        Ok((tickets, listing))
    })
    .await?;
    Ok(HttpResponse::Ok().json(BookingResponse {
        booking: BookingView {
            booking,
            manage_token: None,
            manage_url: None,
        },
        tickets: tickets
            .into_iter()
            .map(|t| TicketView::new(state, t))
            .collect(),
        screening: ScreeningView::new(&listing),
    }))
}

/// `GET /api/v1/bookings/{id}`: the holder (manage token) or an organiser.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "booking",
    params(("id" = BookingId, Path, description = "The booking's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The booking and its tickets (bearer: its manage token, or an organiser)", body = BookingResponse),
    ))]
async fn get_booking(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: aweb::Path<BookingId>,
) -> Reply {
    let token = require_credential(&req, &caller)?;
    booking_response(&state, id.into_inner(), token, caller, false).await
}

/// `DELETE /api/v1/bookings/{id}`: cancels; the holder (manage token) or an organiser.
#[utoipa::path(delete, path = "/api/v1/bookings/{id}", tag = "booking",
    params(("id" = BookingId, Path, description = "The booking's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled: its unused tickets are void and their seats free again", body = BookingResponse),
        (status = 409, description = "Already cancelled, or every ticket already used", body = ErrorBody),
    ))]
async fn cancel_booking(
    state: State,
    req: HttpRequest,
    caller: Caller,
    id: aweb::Path<BookingId>,
) -> Reply {
    let token = require_credential(&req, &caller)?;
    booking_response(&state, id.into_inner(), token, caller, true).await
}
