//! Mail for people: "find my tickets" (page and API), and for organisers the outbox (page and
//! API: every message's status, send again, open a written `.eml`) and the booking search (find a
//! person, resend their tickets, cancel their booking).

use actix_web::{HttpResponse, web as aweb};
use askama::Template;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::booking::cancel::cancel_booking;
use crate::booking::queries::{BookingRow, booking_row, tickets_of};
use crate::catalogue::queries::screening_listing;
use crate::db::Lock;
use crate::db::audit::{self, Change};
use crate::db::outbox::{self, Kind, OutboxRow, Status};
use crate::db::schema::bookings;
use crate::domain::format;
use crate::domain::{BookingId, BookingStatus, Email, FestivalId, ScreeningId};
use crate::error::{AppError, ErrorBody, Refusal, Thing};
use crate::staff::StaffMember;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};

/// The instance's whole outbox (every festival's messages, and the personal-data links):
/// administrators.
type WholeOutbox = Can<need::BoxOffice, scope::Instance>;
use crate::web::csrf::CsrfToken;
use crate::web::json::ApiJson;
use crate::web::limits::{Limited, per_client};
use crate::web::links;
use crate::web::{AppState, page, see_other};
use crate::{db, web};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/find-my-tickets",
        aweb::post()
            .to(find_my_tickets)
            .wrap(per_client(Limited::FindTickets)),
    )
    .route("/api/v1/outbox", aweb::get().to(outbox_json))
    .route("/api/v1/outbox/{id}/resend", aweb::post().to(resend_json))
    .route("/tickets", aweb::get().to(find_page))
    .route(
        "/tickets",
        aweb::post()
            .to(find_form)
            .wrap(per_client(Limited::FindTickets)),
    )
    .route("/admin/outbox", aweb::get().to(outbox_page))
    .route("/admin/outbox/{id}/resend", aweb::post().to(resend_form))
    .route(
        "/admin/outbox/{id}/message.eml",
        aweb::get().to(open_message),
    )
    .route("/admin/bookings", aweb::get().to(search_page))
    .route("/admin/bookings/{id}", aweb::get().to(booking_page))
    .route(
        "/admin/bookings/{id}/resend",
        aweb::post().to(booking_resend),
    )
    .route(
        "/admin/bookings/{id}/cancel",
        aweb::post().to(booking_cancel),
    );
}

type State = aweb::Data<AppState>;

/// How often one address can be sent its tickets by "find my tickets".
const FIND_PER_ADDRESS_MINUTES: i64 = 10;
const FIND_PER_ADDRESS: i64 = 2;

// ---------------------------------------------------------------------------------------------
// Find my tickets

/// The body of `POST /api/v1/find-my-tickets`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindInput {
    #[schema(max_length = 254, example = "ana@example.org")]
    pub email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// For people, in the caller's language.
    pub message: String,
}

/// Queues a "your tickets" message for the address — whether or not it has bookings, so that the
/// request does the same work either way (one count of recent requests on the outbox's recipient
/// index, one insert) and neither the answer nor its timing tells who booked. Whether there is
/// anything to send is decided later, off the request's path, by the sender composing the message
/// ([`crate::mail::compose`]): an address without current bookings is sent nothing.
async fn request_tickets(state: &State, email: Email) -> Result<(), AppError> {
    let email = email.as_str().trim().to_lowercase();
    let queued = state
        .write(Lock::NoScreening, move |tx| {
            let now = Utc::now().naive_utc();
            let recent = outbox::sent_to_since(
                tx.conn,
                Kind::FindTickets,
                &email,
                now - Duration::minutes(FIND_PER_ADDRESS_MINUTES),
            )?;
            if recent >= FIND_PER_ADDRESS {
                return Ok(false);
            }
            outbox::enqueue(tx, Kind::FindTickets, None, &email, "Your tickets", now)?;
            Ok::<_, AppError>(true)
        })
        .await?;
    if queued {
        state.outbox.wake();
    }
    Ok(())
}

/// `POST /api/v1/find-my-tickets`: mails an address every current booking with a manage link.
#[utoipa::path(post, path = "/api/v1/find-my-tickets", tag = "booking", request_body = FindInput,
    responses(
        (status = 202, description = "Accepted: the same answer whether or not the address has bookings", body = Accepted),
        (status = 429, description = "Too many requests from this address; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
async fn find_my_tickets(state: State, body: ApiJson<FindInput>) -> Reply {
    let email = Email::parse(&body.into_inner()?.email)?;
    request_tickets(&state, email).await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        message: crate::i18n::t("find-done"),
    }))
}

#[derive(Template)]
#[template(path = "find_tickets.html")]
struct FindPage {
    csrf: String,
    email: String,
    done: bool,
    error: Option<String>,
}

async fn find_page(csrf: CsrfToken) -> Reply {
    page(&FindPage {
        csrf: csrf.0,
        email: String::new(),
        done: false,
        error: None,
    })
}

#[derive(Deserialize)]
struct FindForm {
    email: String,
}

async fn find_form(state: State, form: aweb::Form<FindForm>, csrf: CsrfToken) -> Reply {
    match Email::parse(&form.email) {
        Ok(email) => {
            request_tickets(&state, email).await?;
            page(&FindPage {
                csrf: csrf.0,
                email: String::new(),
                done: true,
                error: None,
            })
        }
        Err(e) => web::page_with_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &FindPage {
                csrf: csrf.0,
                email: form.email.clone(),
                done: false,
                error: Some(e.message.to_string()),
            },
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The outbox

/// One message, as organisers see it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OutboxMessage {
    pub id: String,
    pub kind: Kind,
    pub to: String,
    pub subject: String,
    pub status: Status,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub booking_id: Option<String>,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub sent_at: Option<String>,
    /// For a message written to the mail folder: where organisers can open it.
    pub open_url: Option<String>,
}

impl OutboxMessage {
    fn new(row: OutboxRow) -> Result<OutboxMessage, AppError> {
        let utc = |t| format::rfc3339(t, chrono_tz::UTC);
        Ok(OutboxMessage {
            kind: row.kind()?,
            status: row.status()?,
            open_url: row.file.as_ref().map(|_| links::admin_message(&row.id)),
            to: row.recipient,
            subject: row.subject,
            attempts: row.delivery.attempts,
            last_error: row.delivery.last_error,
            booking_id: row.booking_id,
            created_at: utc(row.created_at),
            sent_at: row.delivery.sent_at.map(utc),
            id: row.id,
        })
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
struct OutboxQuery {
    /// Only messages with this status: `queued`, `sent` or `failed`.
    status: Option<String>,
}

fn parse_status(status: Option<&str>) -> Result<Option<Status>, AppError> {
    status
        .filter(|s| !s.is_empty())
        .map(|s| {
            Status::parse(s)
                .ok_or_else(|| AppError::invalid("status", crate::msg!("error-mail-status")))
        })
        .transpose()
}

async fn load_outbox(
    state: &State,
    status: Option<Status>,
) -> Result<Vec<OutboxMessage>, AppError> {
    let rows = db::run(&state.pool, move |conn| {
        Ok(outbox::list(conn, status, 500)?)
    })
    .await?;
    rows.into_iter().map(OutboxMessage::new).collect()
}

/// `GET /api/v1/outbox`: the newest 500 messages, newest first.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "booking", params(OutboxQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Queued, sent and failed messages", body = Vec<OutboxMessage>),
        (status = 422, description = "An unknown status", body = ErrorBody),
    ))]
async fn outbox_json(state: State, can: WholeOutbox, query: aweb::Query<OutboxQuery>) -> Reply {
    let status = parse_status(query.status.as_deref())?;
    // Recipients' addresses leave Marquee: recorded.
    record_export(&state, &can.staff, None, "outbox").await?;
    Ok(HttpResponse::Ok().json(load_outbox(&state, status).await?))
}

/// Records that an organiser took personal data out of Marquee (the outbox's addresses, a
/// message): who, when, what.
async fn record_export(
    state: &State,
    staff: &StaffMember,
    festival: Option<FestivalId>,
    what: &'static str,
) -> Result<(), AppError> {
    let staff = staff.clone();
    state
        .write(Lock::NoScreening, move |tx| {
            db::people::record_export(tx.conn, staff.id, None, what, Utc::now().naive_utc())?;
            audit::record(
                tx.by(&staff),
                Change::new(festival, format!("export.{what}"), what),
            )
        })
        .await
}

async fn resend(
    state: &State,
    can: Can<need::BoxOffice, scope::Message>,
    id: uuid::Uuid,
) -> Result<(), AppError> {
    let id = id.to_string();
    let updated = state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&can.staff);
            audit::record(
                tx,
                Change::new(can.festival, "message.resend", format!("message:{id}")),
            )?;
            Ok(outbox::requeue(tx.conn, &id, Utc::now().naive_utc())?)
        })
        .await?;
    if updated == 0 {
        return Err(AppError::not_found(Thing::Message));
    }
    state.outbox.wake();
    Ok(())
}

/// `POST /api/v1/outbox/{id}/resend`: queues a message again (composed anew, with a fresh link).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/resend", tag = "booking",
    params(("id" = uuid::Uuid, Path, description = "The message's id")),
    security(("bearer" = [])),
    responses((status = 202, description = "Queued again", body = Accepted)))]
async fn resend_json(
    state: State,
    can: Can<need::BoxOffice, scope::Message>,
    id: aweb::Path<uuid::Uuid>,
) -> Reply {
    resend(&state, can, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        message: crate::i18n::t("admin-booking-notice-resent"),
    }))
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    csrf: String,
    messages: Vec<OutboxMessage>,
    filter: String,
    files: bool,
    /// The festival time the page shows: the newest festival's zone (UTC when there is none).
    zone: chrono_tz::Tz,
}

impl OutboxPage {
    /// When a message was queued, in the page's zone.
    fn created(&self, message: &OutboxMessage) -> String {
        queued_at(message, self.zone)
    }
}

/// When a message was queued, in `zone` (organisers read festival time, never UTC).
fn queued_at(message: &OutboxMessage, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::parse_from_rfc3339(&message.created_at).map_or_else(
        |_| message.created_at.clone(),
        |at| crate::i18n::dates::when_short(format::local(at.naive_utc(), zone).naive_local()),
    )
}

async fn outbox_page(
    state: State,
    _: WholeOutbox,
    query: aweb::Query<OutboxQuery>,
    csrf: CsrfToken,
) -> Reply {
    let status = parse_status(query.status.as_deref())?;
    // Times as every other organiser page shows them: in the festival's zone.
    let zone = db::run(&state.pool, |conn| {
        Ok(crate::catalogue::queries::list_festivals(conn)?
            .first()
            .and_then(|f| f.timezone.parse::<chrono_tz::Tz>().ok())
            .unwrap_or(chrono_tz::UTC))
    })
    .await?;
    page(&OutboxPage {
        csrf: csrf.0,
        messages: load_outbox(&state, status).await?,
        filter: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        files: state.mail_to_files,
        zone,
    })
}

async fn resend_form(
    state: State,
    can: Can<need::BoxOffice, scope::Message>,
    id: aweb::Path<uuid::Uuid>,
) -> Reply {
    resend(&state, can, id.into_inner()).await?;
    Ok(see_other(links::ADMIN_OUTBOX))
}

/// A message written to the mail folder, as the file (organisers open it in their mail program).
async fn open_message(
    state: State,
    can: Can<need::BoxOffice, scope::Message>,
    id: aweb::Path<uuid::Uuid>,
) -> Reply {
    let id = id.into_inner().to_string();
    record_export(&state, &can.staff, can.festival, "message").await?;
    let row = db::run(&state.pool, move |conn| Ok(outbox::get(conn, &id)?))
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Message))?;
    let path = row
        .file
        .ok_or_else(|| AppError::NotFound(crate::msg!("error-mail-no-file")))?;
    let bytes = aweb::block(move || std::fs::read(path))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| {
            AppError::NotFound(crate::msg!("error-mail-file-gone", detail = e.to_string()))
        })?;
    Ok(HttpResponse::Ok()
        .content_type("message/rfc822")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.eml\"", row.id),
        ))
        .body(bytes))
}

// ---------------------------------------------------------------------------------------------
// Finding a person's booking

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

struct Found {
    festival: FestivalId,
    id: String,
    name: String,
    email: String,
    seats: i32,
    status: String,
    screening: String,
}

#[derive(Template)]
#[template(path = "admin/bookings.html")]
struct SearchPage {
    q: String,
    found: Vec<Found>,
    searched: bool,
}

/// The LIKE pattern for a search text (its own `%` and `_` taken literally).
async fn search_page(
    state: State,
    can: Can<need::BoxOffice, scope::Anywhere>,
    query: aweb::Query<SearchQuery>,
) -> Reply {
    let reach = can.reach();
    let q = query.q.clone().unwrap_or_default();
    let text: String = q.trim().chars().take(100).collect();
    let found = if text.chars().count() < 2 {
        Vec::new()
    } else {
        let search = text.clone();
        db::run(&state.pool, move |conn| {
            // Accents and case ignored, through the holders' words (see `booking::search`).
            let ids = crate::booking::search::find(conn, &search, 100)?;
            let rows: Vec<BookingRow> = bookings::table
                .filter(bookings::id.eq_any(&ids))
                .order(bookings::created_at.desc())
                .select(BookingRow::as_select())
                .load(conn)?;
            let mut found = Vec::with_capacity(rows.len());
            for row in rows {
                let Some(listing) = screening_listing(
                    conn,
                    ScreeningId::from_db("bookings.screening_id", &row.screening_id)?,
                )?
                // Only the bookings of festivals whose box office the searcher is.
                .filter(|l| reach.has(l.screening.festival_id)) else {
                    continue;
                };
                let screening = format!(
                    "{}, {}",
                    listing.film.title,
                    format::when(listing.screening.starts_at, listing.zone())
                );
                found.push(Found {
                    festival: listing.screening.festival_id,
                    id: row.id,
                    name: row.name,
                    email: row.email,
                    seats: row.seats,
                    status: row.status,
                    screening,
                });
            }
            Ok(found)
        })
        .await?
    };
    // A search of people's bookings: recorded for each festival it found some in (never the
    // words searched, which are a person's name or address).
    let mut festivals: Vec<FestivalId> = found.iter().map(|f| f.festival).collect();
    festivals.sort_unstable();
    festivals.dedup();
    for festival in festivals {
        let count = found.iter().filter(|f| f.festival == festival).count();
        let searched = Change::new(Some(festival), "booking.search", "bookings")
            .after(&serde_json::json!({ "found": count }));
        state.audit_read(&can.staff, searched).await?;
    }
    page(&SearchPage {
        searched: !text.is_empty(),
        q,
        found,
    })
}

struct TicketLine {
    seat_number: i32,
    category: String,
    status: String,
}

#[derive(Template)]
#[template(path = "admin/booking.html")]
struct BookingPage {
    csrf: String,
    booking: BookingRow,
    screening: String,
    tickets: Vec<TicketLine>,
    messages: Vec<OutboxMessage>,
    /// The screening's venue's zone, for the messages' times.
    zone: chrono_tz::Tz,
}

impl BookingPage {
    fn queued(&self, message: &OutboxMessage) -> String {
        queued_at(message, self.zone)
    }
}

async fn booking_page(
    state: State,
    can: Can<need::BoxOffice, scope::Booking>,
    id: aweb::Path<BookingId>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    // A person's booking opened by staff.
    let opened = Change::new(can.festival, "booking.open", format!("booking:{id}"));
    state.audit_read(&can.staff, opened).await?;
    let (booking, screening, zone, tickets, rows) = db::run(&state.pool, move |conn| {
        let booking = booking_row(conn, id)?;
        let listing = screening_listing(
            conn,
            ScreeningId::from_db("bookings.screening_id", &booking.screening_id)?,
        )?;
        let zone = listing.as_ref().map_or(
            chrono_tz::UTC,
            super::super::catalogue::queries::ScreeningListing::zone,
        );
        let screening = listing
            .map(|l| {
                crate::msg!(
                    "admin-booking-screening",
                    film = &l.film.title,
                    when = format::when(l.screening.starts_at, l.zone()),
                    venue = &l.venue.name,
                    room = &l.screening.room
                )
                .to_string()
            })
            .unwrap_or_default();
        let tickets = tickets_of(conn, id)?
            .into_iter()
            .map(|t| TicketLine {
                seat_number: t.seat_number,
                category: t.category.to_string(),
                status: if t.admitted_at.is_some() {
                    "admitted".to_owned()
                } else {
                    t.status.to_string()
                },
            })
            .collect();
        let rows = db::schema::outbox::table
            .filter(db::schema::outbox::booking_id.eq(id.to_string()))
            .order(db::schema::outbox::created_at.desc())
            .select(OutboxRow::as_select())
            .load(conn)?;
        Ok((booking, screening, zone, tickets, rows))
    })
    .await?;
    page(&BookingPage {
        csrf: csrf.0,
        booking,
        screening,
        tickets,
        messages: rows
            .into_iter()
            .map(OutboxMessage::new)
            .collect::<Result<_, _>>()?,
        zone,
    })
}

async fn booking_resend(
    state: State,
    can: Can<need::BoxOffice, scope::Booking>,
    id: aweb::Path<BookingId>,
) -> Reply {
    let id = id.into_inner();
    state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&can.staff);
            audit::record(
                tx,
                Change::new(can.festival, "booking.resend", format!("booking:{id}")),
            )?;
            let booking = booking_row(tx.conn, id)?;
            if booking.status != BookingStatus::Confirmed.as_str() {
                return Err(AppError::conflict(
                    Refusal::BookingCancelled,
                    crate::msg!("error-resend-cancelled"),
                ));
            }
            outbox::enqueue(
                tx,
                Kind::Booking,
                Some(id),
                &booking.email,
                "Your tickets (sent again)",
                Utc::now().naive_utc(),
            )?;
            Ok(())
        })
        .await?;
    state.outbox.wake();
    // Said on the booking's page, as every organiser form's success is (`web::notice`).
    Ok(web::notice::see_other(
        state.cookie_secure,
        &links::admin_booking(id),
        &crate::i18n::t("admin-booking-notice-resent"),
    ))
}

async fn booking_cancel(
    state: State,
    can: Can<need::BoxOffice, scope::Booking>,
    id: aweb::Path<BookingId>,
) -> Reply {
    let id = id.into_inner();
    let booking = db::run(&state.pool, move |conn| booking_row(conn, id)).await?;
    let screening = ScreeningId::from_db("bookings.screening_id", &booking.screening_id)?;
    state
        .write(Lock::Screening(screening), move |tx| {
            cancel_booking(tx.by(&can.staff), id, Utc::now().naive_utc())
        })
        .await?;
    state.outbox.wake();
    Ok(web::notice::see_other(
        state.cookie_secure,
        &links::admin_booking(id),
        &crate::i18n::t("admin-booking-notice-cancelled"),
    ))
}
