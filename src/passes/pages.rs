//! The pass's private page, `/pass/{token}`: the holder's QR code (on a phone at the door, or
//! printed), their reservations — each can be given back — and the screenings the pass may
//! reserve, one button each. The link is the credential (a mailed link's token, or the manage
//! token given when the pass was issued), as a booking's manage link is.

use actix_web::http::StatusCode;
use actix_web::web as aweb;
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::queries::{Pass, PassType, pass_row, reservations_of};
use super::record;
use super::rules::{Showing, opens};
use crate::catalogue::queries::{ScreeningListing, festival, list_screenings};
use crate::db::{self, Lock};
use crate::domain::{PassId, PassStatus, ReservationStatus, ScreeningId, ScreeningStatus, format};
use crate::error::{AppError, Thing};
use crate::tickets::keys::KeyRing;
use crate::web::csrf::CsrfToken;
use crate::web::links;
use crate::web::{AppState, Reply, page_with_status, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/pass/{token}", aweb::get().to(pass_page))
        .route("/pass/{token}/reserve", aweb::post().to(reserve))
        .route("/pass/{token}/cancel", aweb::post().to(cancel));
}

type State = aweb::Data<AppState>;

/// One reservation as the page lists it.
struct ReservationCard {
    screening_id: ScreeningId,
    film: String,
    when: String,
    place: String,
    status: String,
    can_cancel: bool,
}

/// A screening the pass may reserve.
struct Choice {
    screening_id: ScreeningId,
    film: String,
    when: String,
    place: String,
    seats_left: i32,
}

#[derive(Template)]
#[template(path = "pass.html")]
struct PassPage {
    festival: String,
    pass: Pass,
    category: String,
    revoked: bool,
    svg: String,
    /// The holder's photo, inline (the page's link is the credential; no second request).
    photo: Option<String>,
    reservations: Vec<ReservationCard>,
    choices: Vec<Choice>,
    path: String,
    notice: Option<String>,
    error: Option<String>,
    csrf: String,
}

#[derive(Deserialize)]
struct PassQuery {
    reserved: Option<String>,
    cancelled: Option<String>,
}

/// The form of both buttons: which screening.
#[derive(Deserialize)]
struct ScreeningForm {
    screening_id: String,
}

/// The pass a link opens (the same 404 for an unknown token and a wrong one).
async fn pass_of(state: &State, token: &str) -> Result<PassId, AppError> {
    let token = token.to_owned();
    db::run(&state.pool, move |conn| record::pass_by_token(conn, &token))
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Pass))
}

fn place(listing: &ScreeningListing) -> String {
    format!("{}, {}", listing.venue.name, listing.screening.room)
}

/// Reads everything the page shows.
async fn render(
    state: &State,
    token: &str,
    id: PassId,
    messages: (Option<String>, Option<String>),
    status: StatusCode,
    csrf: String,
) -> Reply {
    let now = chrono::Utc::now().naive_utc();
    let lang = crate::i18n::current();
    let (pass, kind, festival_name, listings, held, photo) = db::run(&state.pool, move |conn| {
        let (row, kind) = pass_row(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Pass))?;
        let pass = Pass::of(row, &kind, lang)?;
        let festival_name = festival(conn, pass.festival_id)?
            .map(|f| f.name)
            .unwrap_or_default();
        let listings = list_screenings(conn, pass.festival_id)?;
        let held = reservations_of(conn, id)?;
        let photo = crate::passes::photo::photo_of(conn, id)?;
        Ok((pass, kind, festival_name, listings, held, photo))
    })
    .await?;
    let listing_of = |id: ScreeningId| listings.iter().find(|l| l.screening.id == id);
    let reservations = held
        .iter()
        .filter_map(|r| listing_of(r.screening_id).map(|l| (r, l)))
        .map(|(r, l)| ReservationCard {
            screening_id: r.screening_id,
            film: l.film.title.clone(),
            when: format::when(l.screening.starts_at, l.zone()),
            place: place(l),
            status: status_label(r.status, r.admitted_at.is_some(), r.walk_in),
            can_cancel: r.status == ReservationStatus::Reserved
                && r.admitted_at.is_none()
                && l.screening.starts_at > now,
        })
        .collect();
    let revoked = pass.status == PassStatus::Revoked;
    let choices = if revoked {
        Vec::new()
    } else {
        choices(&kind, &listings, &held, now)
    };
    page_with_status(
        status,
        &PassPage {
            festival: festival_name,
            category: kind.category.label(),
            revoked,
            svg: crate::tickets::qr::svg(&pass.code)?,
            photo: photo.as_deref().map(crate::passes::photo::data_url),
            pass,
            reservations,
            choices,
            path: links::pass(token),
            notice: messages.0,
            error: messages.1,
            csrf,
        },
    )
}

/// The screenings still to come that the pass opens and does not hold a seat at, soonest first.
fn choices(
    kind: &PassType,
    listings: &[ScreeningListing],
    held: &[super::queries::Reservation],
    now: NaiveDateTime,
) -> Vec<Choice> {
    listings
        .iter()
        .filter(|l| l.screening.status == ScreeningStatus::Scheduled && l.screening.starts_at > now)
        .filter(|l| opens(kind, &Showing::of(l)))
        .filter(|l| {
            !held.iter().any(|r| {
                r.screening_id == l.screening.id && r.status == ReservationStatus::Reserved
            })
        })
        .map(|l| Choice {
            screening_id: l.screening.id,
            film: l.film.title.clone(),
            when: format::when(l.screening.starts_at, l.zone()),
            place: place(l),
            seats_left: l.screening.seats_left_for_passes(),
        })
        .collect()
}

fn status_label(status: ReservationStatus, admitted: bool, walk_in: bool) -> String {
    crate::i18n::t(match (status, admitted, walk_in) {
        (ReservationStatus::Reserved, true, _) => "pass-status-used",
        (ReservationStatus::Reserved, false, true) => "pass-status-walk-in",
        (ReservationStatus::Reserved, false, false) => "pass-status-reserved",
        (ReservationStatus::Cancelled, ..) => "pass-status-cancelled",
        (ReservationStatus::Released, ..) => "pass-status-released",
    })
}

/// `GET /pass/{token}`.
async fn pass_page(
    state: State,
    token: aweb::Path<String>,
    query: aweb::Query<PassQuery>,
    csrf: CsrfToken,
) -> Reply {
    let token = token.into_inner();
    let id = pass_of(&state, &token).await?;
    let notice = if query.reserved.is_some() {
        Some(crate::i18n::t("pass-reserved"))
    } else if query.cancelled.is_some() {
        Some(crate::i18n::t("pass-given-back"))
    } else {
        None
    };
    render(&state, &token, id, (notice, None), StatusCode::OK, csrf.0).await
}

/// The screening a button names (an id that is not one is a form that was tampered with).
fn screening_of(form: &ScreeningForm) -> Result<ScreeningId, AppError> {
    Ok(crate::catalogue::input::id_field(
        "screening_id",
        &form.screening_id,
    )?)
}

/// Shown again with the refusal (a limit reached, sold out, overlapping…), or on to the page.
async fn after(
    state: &State,
    token: &str,
    id: PassId,
    written: Result<(), AppError>,
    done: &str,
    csrf: String,
) -> Reply {
    match written {
        Ok(()) => Ok(see_other(&format!("{}?{done}=1", links::pass(token)))),
        Err(
            error @ (AppError::Conflict { .. } | AppError::Invalid { .. } | AppError::NotFound(_)),
        ) => {
            let status = match error {
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            render(
                state,
                token,
                id,
                (None, Some(error.public_message())),
                status,
                csrf,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// `POST /pass/{token}/reserve`.
async fn reserve(
    state: State,
    keys: aweb::Data<KeyRing>,
    token: aweb::Path<String>,
    form: aweb::Form<ScreeningForm>,
    csrf: CsrfToken,
) -> Reply {
    let token = token.into_inner();
    let id = pass_of(&state, &token).await?;
    let written = write_at(&state, &form, move |tx, screening, now| {
        record::reserve(tx, &keys.signer, id, screening, None, now).map(|_| ())
    })
    .await;
    after(&state, &token, id, written, "reserved", csrf.0).await
}

/// `POST /pass/{token}/cancel`.
async fn cancel(
    state: State,
    token: aweb::Path<String>,
    form: aweb::Form<ScreeningForm>,
    csrf: CsrfToken,
) -> Reply {
    let token = token.into_inner();
    let id = pass_of(&state, &token).await?;
    let written = write_at(&state, &form, move |tx, screening, now| {
        record::cancel_reservation(tx, id, screening, now)
    })
    .await;
    after(&state, &token, id, written, "cancelled", csrf.0).await
}

/// A holder's write at the screening the form names, under its lock; its live counter is told
/// when it is done.
async fn write_at<F>(state: &State, form: &ScreeningForm, work: F) -> Result<(), AppError>
where
    F: Fn(&mut db::Tx<'_>, ScreeningId, NaiveDateTime) -> Result<(), AppError> + Send + 'static,
{
    let screening = screening_of(form)?;
    state
        .write(Lock::Screening(screening), move |tx| {
            work(tx, screening, chrono::Utc::now().naive_utc())
        })
        .await?;
    state.hub.publish(screening);
    Ok(())
}
