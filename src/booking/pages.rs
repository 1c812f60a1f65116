//! Booking pages: a screening's page with its booking form, the form's target, the private manage
//! page, printable tickets, cancel.
//!
//! The manage page lives at `/manage/{token}`: the link itself is the credential (256 random bits,
//! stored hashed), so an attendee needs no account. Pages send `Referrer-Policy: no-referrer`, so
//! the link does not leak to other sites.

use actix_web::http::StatusCode;
use actix_web::web as aweb;
use askama::Template;
use serde::Deserialize;

use super::queries::{self as q, BookingInput, Ticket};
use crate::catalogue::summary::{OtherScreening, ScreeningSummary, load_summary, load_with_others};
use crate::db::{self, Lock};
use crate::domain::{
    BookingId, BookingStatus, Country, InputError, MAX_SEATS_PER_BOOKING, ScreeningId, TicketId,
    TicketStatus,
};
use crate::error::{AppError, Thing};
use crate::tickets::keys::KeyRing;
use crate::web::Reply;
use crate::web::csrf::CsrfToken;
use crate::web::limits::{Limited, per_client};
use crate::web::links;
use crate::web::{AppState, page, page_with_status, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/screenings/{id}", aweb::get().to(screening_page))
        .route(
            "/screenings/{id}/book",
            aweb::post()
                .to(book)
                // Outermost: a replayed answer is not a new booking for the rate limit to count.
                .wrap(per_client(Limited::Booking))
                .wrap(actix_web::middleware::from_fn(
                    crate::web::idempotency::once,
                )),
        )
        .route("/manage/{token}", aweb::get().to(manage))
        .route("/manage/{token}/cancel", aweb::get().to(confirm_cancel))
        .route("/manage/{token}/cancel", aweb::post().to(cancel))
        .route("/manage/{token}/news", aweb::post().to(stop_news))
        .route(
            "/manage/{token}/tickets/{ticket}",
            aweb::get().to(ticket_page),
        );
}

type State = aweb::Data<AppState>;

/// The booking form read into a request, or every field's problem at once (a person fixes them
/// all in one go, not one per submission).
pub(crate) fn parse_form(form: &BookingForm) -> Result<q::BookingRequest, Vec<InputError>> {
    let seats = form.seats.trim().parse::<i64>().map_err(|_| {
        InputError::new(
            "seats",
            crate::msg!(
                "error-number-between",
                field = "seats",
                min = 1,
                max = MAX_SEATS_PER_BOOKING
            ),
        )
    });
    let problems: Vec<InputError> = [
        crate::domain::input::text("name", &form.name, 200).err(),
        crate::domain::Email::parse(&form.email).err(),
        Country::parse(&form.country).err(),
        seats.as_ref().err().cloned().or_else(|| {
            seats
                .as_ref()
                .ok()
                .and_then(|n| crate::domain::SeatCount::parse(*n).err())
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    BookingInput {
        name: form.name.clone(),
        email: form.email.clone(),
        country: form.country.clone(),
        seats: seats.unwrap_or_default(),
        // The page's language.
        lang: None,
        news: form.news.is_some(),
    }
    .parse()
    .map_err(|problem| vec![problem])
}

/// `POST /screenings/{id}/book`: books, then redirects to the manage page; on a problem, shows
/// the form again with the values kept and the problem named.
async fn book(
    state: State,
    keys: aweb::Data<KeyRing>,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<BookingForm>,
    once: Option<aweb::ReqData<crate::web::idempotency::Claimed>>,
) -> Reply {
    let form = form.into_inner();
    let screening_id = id.into_inner();
    let once = once.map(aweb::ReqData::into_inner);
    let request = match parse_form(&form) {
        Ok(request) => request,
        Err(problems) => return fields_again(&state, screening_id, form, problems).await,
    };
    match super::commit(&state, &keys, screening_id, request, None, once).await {
        Ok(new) => Ok(see_other(&links::manage_booked(&new.manage_token))),
        Err(error) => form_again(&state, screening_id, form, error).await,
    }
}

/// The screening's page again after a refused form (booking or waiting list): the input kept and
/// the problem named, with the refusal's status. Other errors pass through.
pub(crate) async fn form_again(
    state: &State,
    screening_id: ScreeningId,
    form: BookingForm,
    error: AppError,
) -> Reply {
    if !matches!(error, AppError::Invalid { .. } | AppError::Conflict { .. }) {
        return Err(error);
    }
    let status: StatusCode = actix_web::ResponseError::status_code(&error);
    // The field to correct, when one is at fault (its input points at the error's text).
    let (message, fields) = match crate::web::problem::Problem::of(&error) {
        Some(problem) if !problem.field.is_empty() => (problem.message, vec![problem.field]),
        Some(problem) => (problem.message, Vec::new()),
        None => (error.public_message(), Vec::new()),
    };
    shown_again(state, screening_id, form, status, vec![message], fields).await
}

/// The screening's page again after a form whose fields did not read: every problem named.
pub(crate) async fn fields_again(
    state: &State,
    screening_id: ScreeningId,
    form: BookingForm,
    problems: Vec<InputError>,
) -> Reply {
    let messages = problems
        .iter()
        .map(|p| p.message.clone().for_people().to_string())
        .collect();
    let fields = problems.into_iter().map(|p| p.field).collect();
    shown_again(
        state,
        screening_id,
        form,
        StatusCode::UNPROCESSABLE_ENTITY,
        messages,
        fields,
    )
    .await
}

async fn shown_again(
    state: &State,
    screening_id: ScreeningId,
    form: BookingForm,
    status: StatusCode,
    errors: Vec<String>,
    fields: Vec<String>,
) -> Reply {
    let (summary, others) = db::run(&state.pool, move |conn| {
        load_with_others(conn, screening_id)
    })
    .await?;
    page_with_status(
        status,
        &ScreeningPage::new(summary, form.clone(), form.csrf)
            .with_others(others)
            .with_errors(errors, fields),
    )
}

struct TicketCard {
    id: TicketId,
    seat_number: i32,
    category: String,
    status: &'static str,
    status_label: String,
    svg: String,
}

/// The ticket's state as a CSS class and as words.
fn status_of(ticket: &Ticket) -> (&'static str, String) {
    let (class, key) = match (ticket.status, ticket.admitted_at) {
        (TicketStatus::Cancelled, _) => ("cancelled", "ticket-status-cancelled"),
        (TicketStatus::Valid, Some(_)) => ("used", "ticket-status-used"),
        (TicketStatus::Valid, None) => ("valid", "ticket-status-valid"),
    };
    (class, crate::i18n::t(key))
}

#[derive(Template)]
#[template(path = "booking.html")]
struct ManagePage {
    s: ScreeningSummary,
    holder: String,
    /// Where the tickets were mailed.
    email: String,
    tickets: Vec<TicketCard>,
    /// Seats the booking still holds, and those given back (cancelled one by one).
    seats_held: usize,
    seats_given_back: usize,
    token: String,
    manage_path: String,
    just_booked: bool,
    seats_cancelled: bool,
    cancelled: bool,
    can_cancel: bool,
    /// The holder agreed to news from the festival and has not withdrawn it.
    news: bool,
    csrf: String,
}

#[derive(Deserialize)]
struct ManageQuery {
    booked: Option<String>,
    /// Back from giving seats back.
    cancelled: Option<String>,
}

async fn manage(
    state: State,
    token: aweb::Path<String>,
    query: aweb::Query<ManageQuery>,
    csrf: CsrfToken,
) -> Reply {
    let token = token.into_inner();
    let lookup = token.clone();
    let (row, tickets, summary, cards, news) = db::run(&state.pool, move |conn| {
        let row = q::booking_by_token(conn, &lookup)?;
        let news = db::people::has_consent(conn, &row.person_id, db::people::Purpose::News)?;
        let tickets = q::tickets_of(conn, BookingId::from_db("bookings.id", &row.id)?)?;
        let summary = load_summary(
            conn,
            ScreeningId::from_db("bookings.screening_id", &row.screening_id)?,
        )?;
        let cards = tickets
            .iter()
            .map(|t| {
                let (status, status_label) = status_of(t);
                Ok(TicketCard {
                    id: t.id,
                    seat_number: t.seat_number,
                    category: t.category.label(),
                    status,
                    status_label,
                    svg: crate::tickets::qr::svg(&t.code)?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok((row, tickets, summary, cards, news))
    })
    .await?;
    let cancelled = row.status == BookingStatus::Cancelled.as_str();
    let can_cancel = !cancelled
        && tickets
            .iter()
            .any(|t| t.status == TicketStatus::Valid && t.admitted_at.is_none());
    let seats_given_back = tickets
        .iter()
        .filter(|t| t.status == TicketStatus::Cancelled)
        .count();
    page(&ManagePage {
        s: summary,
        holder: row.name,
        email: row.email,
        seats_held: tickets.len() - seats_given_back,
        seats_given_back,
        tickets: cards,
        manage_path: links::manage(&token),
        token,
        just_booked: query.booked.is_some() && !cancelled,
        seats_cancelled: query.cancelled.is_some() && !cancelled,
        cancelled,
        can_cancel,
        news,
        csrf: csrf.0,
    })
}

/// `POST /manage/{token}/news`: no more news from the festival for the booking's holder.
async fn stop_news(state: State, token: aweb::Path<String>) -> Reply {
    let token = token.into_inner();
    let lookup = token.clone();
    state
        .write(Lock::NoScreening, move |tx| {
            let row = q::booking_by_token(tx.conn, &lookup)?;
            Ok(db::people::withdraw_consent(
                tx.conn,
                &[row.person_id],
                db::people::Purpose::News,
                chrono::Utc::now().naive_utc(),
            )?)
        })
        .await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &links::manage(&token),
        &crate::i18n::t("my-data-news-withdrawn"),
    ))
}

/// A seat that can still be given back (valid, not used at the door).
struct CancellableSeat {
    id: TicketId,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "cancel.html")]
struct CancelPage {
    s: ScreeningSummary,
    seats: Vec<CancellableSeat>,
    manage_path: String,
    error: Option<String>,
    csrf: String,
}

/// The booking's seats that can be cancelled, each checked when `chosen` says so.
fn cancellable_seats(
    tickets: &[Ticket],
    chosen: impl Fn(TicketId) -> bool,
) -> Vec<CancellableSeat> {
    let seats = tickets.len();
    tickets
        .iter()
        .filter(|t| t.status == TicketStatus::Valid && t.admitted_at.is_none())
        .map(|t| CancellableSeat {
            id: t.id,
            label: format!(
                "{} · {}",
                crate::i18n::t2("ticket-seat-of", "seat", t.seat_number, "seats", seats),
                t.category.label()
            ),
            checked: chosen(t.id),
        })
        .collect()
}

/// `GET /manage/{token}/cancel`: which seats to give back, and what that means, before anything
/// happens.
async fn confirm_cancel(state: State, token: aweb::Path<String>, csrf: CsrfToken) -> Reply {
    let token = token.into_inner();
    let lookup = token.clone();
    let (summary, tickets) = db::run(&state.pool, move |conn| {
        let row = q::booking_by_token(conn, &lookup)?;
        let tickets = q::tickets_of(conn, BookingId::from_db("bookings.id", &row.id)?)?;
        Ok((
            load_summary(
                conn,
                ScreeningId::from_db("bookings.screening_id", &row.screening_id)?,
            )?,
            tickets,
        ))
    })
    .await?;
    let seats = cancellable_seats(&tickets, |_| true);
    if seats.is_empty() {
        // Nothing left to give back (cancelled already, or every ticket used): the manage page
        // says which.
        return Ok(see_other(&links::manage(&token)));
    }
    page(&CancelPage {
        s: summary,
        seats,
        manage_path: links::manage(&token),
        error: None,
        csrf: csrf.0,
    })
}

/// `POST /manage/{token}/cancel`: `seat.<ticket id>` for each seat to give back (from the
/// confirmation page, which also sends `choose`); a form with neither cancels the whole booking.
async fn cancel(
    state: State,
    token: aweb::Path<String>,
    form: aweb::Form<std::collections::HashMap<String, String>>,
) -> Reply {
    let form = form.into_inner();
    let token = token.into_inner();
    let chosen: Vec<TicketId> = form
        .keys()
        .filter_map(|key| key.strip_prefix("seat."))
        .map(|id| {
            id.parse::<TicketId>()
                .map_err(|_| AppError::invalid("tickets", crate::msg!("error-cancel-not-these")))
        })
        .collect::<Result<_, _>>()?;
    let choosing = form.contains_key("choose");
    let lookup = token.clone();
    let row = db::run(&state.pool, move |conn| q::booking_by_token(conn, &lookup)).await?;
    let id = BookingId::from_db("bookings.id", &row.id)?;
    let screening = ScreeningId::from_db("bookings.screening_id", &row.screening_id)?;
    let picked = chosen.clone();
    let written = state
        .write(Lock::Screening(screening), move |tx| {
            let only = choosing.then_some(picked.as_slice());
            super::cancel::cancel_tickets(tx, id, only, chrono::Utc::now().naive_utc())
        })
        .await;
    let done = match written {
        Ok(_) => None,
        // Shown again with the problem, the choices kept.
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let (summary, seats) = db::run(&state.pool, move |conn| {
                let tickets = q::tickets_of(conn, id)?;
                let summary = load_summary(conn, screening)?;
                let seats = cancellable_seats(&tickets, |t| chosen.contains(&t));
                Ok((summary, seats))
            })
            .await?;
            Some((summary, seats, error.public_message()))
        }
        Err(other) => return Err(other),
    };
    match done {
        None => Ok(see_other(&links::manage_cancelled(&token))),
        Some((summary, seats, error)) => page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CancelPage {
                s: summary,
                seats,
                manage_path: links::manage(&token),
                error: Some(error),
                csrf: form.get("csrf").cloned().unwrap_or_default(),
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage {
    s: ScreeningSummary,
    holder: String,
    seat_number: i32,
    seats: i32,
    category: String,
    status_label: String,
    code: String,
    svg: String,
    manage_path: String,
}

async fn ticket_page(state: State, path: aweb::Path<(String, TicketId)>) -> Reply {
    let (token, ticket_id) = path.into_inner();
    let lookup = token.clone();
    let (row, ticket, summary, svg) = db::run(&state.pool, move |conn| {
        let row = q::booking_by_token(conn, &lookup)?;
        let (ticket, owner) = q::ticket_with_booking(conn, ticket_id)?;
        if owner.id != row.id {
            return Err(AppError::not_found(Thing::Ticket));
        }
        let summary = load_summary(conn, ticket.screening_id)?;
        let svg = crate::tickets::qr::svg(&ticket.code)?;
        Ok((row, ticket, summary, svg))
    })
    .await?;
    page(&TicketPage {
        s: summary,
        holder: row.name,
        seat_number: ticket.seat_number,
        seats: row.seats,
        category: ticket.category.label(),
        status_label: status_of(&ticket).1,
        code: ticket.code,
        svg,
        manage_path: links::manage(&token),
    })
}

// ---------------------------------------------------------------------------------------------
// A screening's page: what it is, and its booking form.

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
    /// The "news from the festival" box: present (`on`) only when ticked.
    #[serde(default)]
    pub news: Option<String>,
}

#[derive(Template)]
#[template(path = "screening.html")]
pub struct ScreeningPage {
    pub s: ScreeningSummary,
    pub form: BookingForm,
    pub csrf: String,
    pub countries: Vec<(&'static str, String)>,
    pub seat_choices: Vec<i64>,
    /// The festival's other screenings of the film (see [`load_with_others`]).
    pub others: Vec<OtherScreening>,
    /// What the refused form says, every problem at once (one sentence each).
    pub errors: Vec<String>,
    /// The fields the errors are about: each input is marked invalid and described by the
    /// errors' text (`aria-invalid`, `aria-describedby`).
    pub error_fields: Vec<String>,
}

impl ScreeningPage {
    pub fn new(s: ScreeningSummary, form: BookingForm, csrf: String) -> ScreeningPage {
        let max = i64::from(s.seats_left).clamp(1, MAX_SEATS_PER_BOOKING);
        ScreeningPage {
            s,
            form,
            csrf,
            countries: Country::all(),
            seat_choices: (1..=max).collect(),
            others: Vec::new(),
            errors: Vec::new(),
            error_fields: Vec::new(),
        }
    }

    /// The page listing the film's other screenings too.
    pub fn with_others(mut self, others: Vec<OtherScreening>) -> ScreeningPage {
        self.others = others;
        self
    }

    /// The page with the form's problems: their sentences, and the fields (`name`, `email`,
    /// `country`, `seats`) they are about.
    pub fn with_errors(mut self, errors: Vec<String>, fields: Vec<String>) -> ScreeningPage {
        self.errors = errors;
        self.error_fields = fields;
        self
    }

    /// Whether the form's `field` has a problem.
    pub fn invalid(&self, field: &str) -> bool {
        self.error_fields.iter().any(|f| f == field)
    }
}

/// `GET /screenings/{id}`: a screening with its booking form and the film's other screenings.
async fn screening_page(state: State, id: aweb::Path<ScreeningId>, csrf: CsrfToken) -> Reply {
    let id = id.into_inner();
    let (summary, others) = db::run(&state.pool, move |conn| load_with_others(conn, id)).await?;
    page(
        &ScreeningPage::new(
            summary,
            BookingForm {
                seats: "1".to_owned(),
                ..BookingForm::default()
            },
            csrf.0,
        )
        .with_others(others),
    )
}
