//! A festival's screenings: the list with the form for a new one, and a screening's edit, save,
//! cancellation (stated first) or reinstatement, and deletion.

use actix_web::web as aweb;
use askama::Template;

use super::flow::{ConfirmPage, answer_form, status_for, write_parsed};
use super::forms::{CsrfForm, ScreeningForm};
use super::screening_page::{
    ShownAgain, places, render_screening, screening_page, screening_shown_again,
};
use crate::catalogue::import::{self, ProgrammeReport};
use crate::catalogue::input::ScreeningPatch;
use crate::catalogue::queries::{self as q, Festival, Film, ScreeningListing};
use crate::catalogue::service;
use crate::db::{self, Lock};
use crate::domain::format;
use crate::domain::{FestivalId, ScreeningId, ScreeningStatus};
use crate::error::{AppError, Thing};
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};
use crate::web::csrf::CsrfToken;
use crate::web::links;
use crate::web::problem::Problem;
use crate::web::{AppState, page, page_with_status, see_other};

type State = aweb::Data<AppState>;

/// "Screening added: Song Lang, Tuesday 8 December 2026 at 22:00" (`key` says added or saved).
fn screening_notice(key: &'static str, listing: &ScreeningListing) -> crate::i18n::Msg {
    crate::i18n::Msg::new(key)
        .arg("film", listing.film.title.as_str())
        .arg(
            "when",
            format::when(listing.screening.starts_at, listing.zone()),
        )
}

struct ProgrammeLine {
    id: ScreeningId,
    when: String,
    film: String,
    place: String,
    booked: i32,
    capacity: i32,
    cancelled: bool,
}

#[derive(Template)]
#[template(path = "admin/screenings.html")]
struct ScreeningsPage {
    festival: Festival,
    screenings: Vec<ProgrammeLine>,
    films: Vec<Film>,
    places: Vec<(String, String)>,
    csrf: String,
    /// The new-screening form, as typed when shown again with a problem.
    form: ScreeningForm,
    problem: Option<Problem>,
    /// The programme pasted as CSV, as it was sent.
    import_form: ImportForm,
    /// A programme checked or imported: what it did or would do, and whether only checked.
    report: Option<(ProgrammeReport, bool)>,
}

/// The programme form: the CSV as pasted, and which button (`check` or `import`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ImportForm {
    csv: String,
    action: String,
}

pub(super) async fn screenings(
    state: State,
    _: Can<need::Programme, scope::Festival>,
    id: aweb::Path<FestivalId>,
    csrf: CsrfToken,
) -> Reply {
    screenings_page(
        &state,
        id.into_inner(),
        csrf.0,
        ScreeningForm::default(),
        None,
    )
    .await
}

/// `POST /admin/festivals/{id}/programme/import`: a programme pasted as CSV, checked
/// (`action=check`) or imported ([`crate::catalogue::import`]); either way the page says what
/// was (or would be) done, and every problem.
pub(super) async fn import_programme(
    state: State,
    can: Can<need::Programme, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<ImportForm>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, form) = (id.into_inner(), form.into_inner());
    let dry_run = form.action != "import";
    let bytes = form.csv.clone().into_bytes();
    let now = chrono::Utc::now().naive_utc();
    let checked = if dry_run {
        db::run(&state.pool, move |conn| {
            Ok::<_, AppError>(import::check(conn, festival, &bytes, now)?.map(|c| c.report()))
        })
        .await?
    } else {
        state
            .write(Lock::NoScreening, move |tx| {
                let tx = tx.by(&can.staff);
                import::lock_festival(tx.conn, festival)?;
                match import::check(tx.conn, festival, &bytes, now)? {
                    Ok(checked) => import::write(tx, festival, &checked).map(Ok),
                    Err(errors) => Ok(Err(errors)),
                }
            })
            .await?
    };
    let report = checked.unwrap_or_else(|errors| ProgrammeReport {
        errors,
        ..ProgrammeReport::default()
    });
    let shown = Shown {
        import_form: form,
        report: Some((report, dry_run)),
        ..Shown::default()
    };
    screenings_page_with(&state, festival, csrf.0, shown).await
}

/// What the page shows again besides the programme: a form as typed, a problem, an import's
/// outcome.
#[derive(Default)]
struct Shown {
    form: ScreeningForm,
    problem: Option<Problem>,
    import_form: ImportForm,
    report: Option<(ProgrammeReport, bool)>,
}

async fn screenings_page(
    state: &State,
    id: FestivalId,
    csrf: String,
    form: ScreeningForm,
    problem: Option<Problem>,
) -> Reply {
    let shown = Shown {
        form,
        problem,
        ..Shown::default()
    };
    screenings_page_with(state, id, csrf, shown).await
}

async fn screenings_page_with(state: &State, id: FestivalId, csrf: String, shown: Shown) -> Reply {
    let Shown {
        form,
        problem,
        import_form,
        report,
    } = shown;
    let (festival, listings, films, venues) = db::run(&state.pool, move |conn| {
        let festival =
            q::festival(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Festival))?;
        Ok((
            festival,
            q::list_screenings(conn, id)?,
            q::list_films(conn)?,
            q::list_venues(conn)?,
        ))
    })
    .await?;
    page_with_status(
        status_for(&problem),
        &ScreeningsPage {
            festival,
            screenings: listings
                .iter()
                .map(|l| ProgrammeLine {
                    id: l.screening.id,
                    when: format::when(l.screening.starts_at, l.zone()),
                    film: l.film.title.clone(),
                    place: format!("{}, {}", l.venue.name, l.screening.room),
                    booked: l.screening.booked,
                    capacity: l.screening.capacity,
                    cancelled: l.screening.status == ScreeningStatus::Cancelled,
                })
                .collect(),
            films,
            places: places(&venues),
            csrf,
            form,
            problem,
            import_form,
            report,
        },
    )
}

pub(super) async fn create_screening(
    state: State,
    can: Can<need::Programme, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<ScreeningForm>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let form = form.into_inner();
    let created = write_parsed(
        &state,
        &can.staff,
        form.input(id.to_string()),
        Lock::NoScreening,
        service::create_screening,
    )
    .await;
    answer_form(
        &state,
        created,
        |listing| {
            (
                links::admin_screenings(id),
                screening_notice("admin-notice-screening-added", &listing),
            )
        },
        |problem| screenings_page(&state, id, csrf.0, form, Some(problem)),
    )
    .await
}

pub(super) async fn edit_screening(
    state: State,
    can: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
    render_screening(&can.staff, loaded, csrf.0, None, None)
}

pub(super) async fn save_screening(
    state: State,
    can: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<ScreeningForm>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let form = form.into_inner();
    let saved = write_parsed(
        &state,
        &can.staff,
        form.patch(),
        Lock::Screening(id),
        move |tx, patch| service::update_screening(tx, id, patch),
    )
    .await;
    answer_form(
        &state,
        saved,
        |listing| {
            (
                links::admin_screenings(listing.screening.festival_id),
                screening_notice("admin-notice-screening-saved", &listing),
            )
        },
        |p| screening_shown_again(&state, &can.staff, id, csrf.0, ShownAgain::Edit(form, p)),
    )
    .await
}

/// `GET /admin/screenings/{id}/cancel`: what cancelling this screening does, before it does it.
pub(super) async fn confirm_cancel_screening(
    state: State,
    _: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let (listing, holders, tickets) = db::run(&state.pool, move |conn| {
        let listing =
            q::screening_listing(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Screening))?;
        let (holders, tickets) = crate::booking::queries::holders_of(conn, id)?;
        Ok((listing, holders, tickets))
    })
    .await?;
    let when = format::when(listing.screening.starts_at, listing.zone());
    page(&ConfirmPage {
        title: crate::i18n::t2(
            "admin-confirm-cancel-screening-title",
            "film",
            &listing.film.title,
            "when",
            when,
        ),
        consequence: crate::i18n::t2(
            "admin-confirm-cancel-screening",
            "holders",
            holders,
            "tickets",
            tickets,
        ),
        action: links::admin_screening_status(id),
        fields: vec![("status", "cancelled".to_owned())],
        button: crate::i18n::t("admin-screening-cancel"),
        back: links::admin_screening(id, None),
        csrf: csrf.0,
    })
}

/// Cancels (once confirmed) or reinstates a screening.
pub(super) async fn screening_status(
    state: State,
    can: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<CsrfForm>,
) -> Reply {
    let id = id.into_inner();
    if form.status == ScreeningStatus::Cancelled.as_str() && form.confirm.is_empty() {
        // Nothing is cancelled without the page that says what it does.
        return Ok(see_other(&links::admin_screening_cancel(id)));
    }
    let patch = ScreeningPatch {
        status: Some(form.status.clone()),
        ..ScreeningPatch::default()
    };
    let listing = state
        .write(Lock::Screening(id), move |tx| {
            service::update_screening(tx.by(&can.staff), id, patch.clone())
        })
        .await?;
    Ok(see_other(&links::admin_screenings(
        listing.screening.festival_id,
    )))
}

/// Deletes a screening nobody booked (a mistake, a duplicate): back to the festival's screenings,
/// saying so. One with any booking, scan or waiting list is cancelled instead (409, said).
pub(super) async fn delete_screening(
    state: State,
    can: Can<need::Programme, scope::Screening>,
    id: aweb::Path<ScreeningId>,
) -> Reply {
    let id = id.into_inner();
    let listing = state
        .write(Lock::Screening(id), move |tx| {
            service::delete_screening(tx.by(&can.staff), id)
        })
        .await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &links::admin_screenings(listing.screening.festival_id),
        &screening_notice("admin-notice-screening-deleted", &listing).to_string(),
    ))
}
