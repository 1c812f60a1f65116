//! Organiser pages: `/admin` and below.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web as aweb};
use askama::Template;

use super::forms::{
    CsrfForm, FestivalForm, FilmForm, InvitationForm, NewRecordForm, ScreeningForm, StaffForm,
    VenueForm, format_rooms, number, optional_number,
};
use crate::booking::queries::InvitationInput;
use crate::booking::waitlist::EntryStatus;
use crate::booking::waitlist_api::{self, WaitlistView};
use crate::catalogue::input::{
    Draft, FilmInput, FilmPatch, ScreeningPatch, VenueInput, VenuePatch,
};
use crate::catalogue::queries::{self as q, Festival, Film, ScreeningListing, Stored, Venue};
use crate::catalogue::service;
use crate::db::{self, Lock, Tx};
use crate::domain::format;
use crate::domain::{
    Country, FestivalId, InputError, Role, ScreeningId, ScreeningStatus, StaffId, VenueId,
};
use crate::door::standby::{self, Standby};
use crate::error::{AppError, Refusal, Thing};
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::web::Reply;
use crate::web::auth::Organiser;
use crate::web::csrf::CsrfToken;
use crate::web::problem::Problem;
use crate::web::{AppState, page, page_with_status, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.service(aweb::resource("/admin").get(list::<FestivalForm>))
        .service(aweb::resource("/admin/festivals").post(create::<FestivalForm>))
        .service(
            aweb::resource("/admin/festivals/{id}/screenings")
                .get(screenings)
                .post(create_screening),
        )
        .service(
            aweb::resource("/admin/screenings/{id}/edit")
                .get(edit_screening)
                .post(save_screening),
        )
        .service(aweb::resource("/admin/screenings/{id}/status").post(screening_status))
        .service(aweb::resource("/admin/screenings/{id}/delete").post(delete_screening))
        .service(aweb::resource("/admin/screenings/{id}/cancel").get(confirm_cancel_screening))
        .service(aweb::resource("/admin/screenings/{id}/invitations").post(invite))
        .service(aweb::resource("/admin/screenings/{id}/waitlist").post(settings::<WaitlistForm>))
        .service(aweb::resource("/admin/screenings/{id}/standby").post(settings::<StandbyForm>))
        .service(aweb::resource("/admin/waitlist-entries/{id}/move").post(move_entry))
        .service(aweb::resource("/admin/waitlist-entries/{id}/remove").post(remove_entry))
        .service(
            aweb::resource("/admin/venues")
                .get(list::<VenueForm>)
                .post(create::<VenueForm>),
        )
        .service(
            aweb::resource("/admin/venues/{id}")
                .get(edit::<VenueForm>)
                .post(save::<VenueForm>),
        )
        .service(aweb::resource("/admin/venues/{id}/delete").post(delete::<VenueForm>))
        .service(
            aweb::resource("/admin/films")
                .get(list::<FilmForm>)
                .post(create::<FilmForm>),
        )
        .service(
            aweb::resource("/admin/films/{id}")
                .get(edit::<FilmForm>)
                .post(save::<FilmForm>),
        )
        .service(aweb::resource("/admin/films/{id}/delete").post(delete::<FilmForm>))
        .service(aweb::resource("/admin/staff").get(staff).post(create_staff))
        .service(
            aweb::resource("/admin/staff/{id}/revoke")
                .get(confirm_revoke_staff)
                .post(revoke_staff),
        );
}

type State = aweb::Data<AppState>;

const TIMEZONES: [&str; 6] = [
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Ho_Chi_Minh",
    "America/New_York",
    "UTC",
];

// ---------------------------------------------------------------------------------------------

/// A list page with the form for a new record: festivals (the overview), venues, films. Shown
/// and created the same way (`list`, `create` below); each kind says what differs.
trait ListPage: NewRecordForm + serde::de::DeserializeOwned + Default + 'static {
    /// The list and the form: blank, or as typed with its problem when shown again.
    fn page(
        records: Vec<Created<Self::Input>>,
        csrf: String,
        form: Self,
        problem: Option<Problem>,
    ) -> Reply;

    /// The form a list page starts with.
    fn blank() -> Self {
        Self::default()
    }

    /// Where to go once the record is stored.
    fn next(created: &Created<Self::Input>) -> String;

    /// What was added, in words, said on the next page.
    fn added(created: &Created<Self::Input>) -> crate::i18n::Msg;
}

/// What the rest of the code sees of a record made from input `I`.
type Created<I> = <<I as Draft>::Row as Stored>::Model;

/// A list page, the records read afresh.
async fn list_page<L: ListPage>(
    state: &State,
    csrf: String,
    form: L,
    problem: Option<Problem>,
) -> Reply {
    let records = db::run(&state.pool, <<L::Input as Draft>::Row as Stored>::list).await?;
    L::page(records, csrf, form, problem)
}

async fn list<L: ListPage>(state: State, _: Organiser, csrf: CsrfToken) -> Reply {
    list_page::<L>(&state, csrf.0, L::blank(), None).await
}

async fn create<L: ListPage>(
    state: State,
    _: Organiser,
    form: aweb::Form<L>,
    csrf: CsrfToken,
) -> Reply {
    let form = form.into_inner();
    let created = write_parsed(&state, form.input(), Lock::NoScreening, service::create).await;
    answer_form(
        &state,
        created,
        |record| (L::next(&record), L::added(&record)),
        |problem| list_page(&state, csrf.0, form, Some(problem)),
    )
    .await
}

/// A form's parsed value written by `work` (a form that does not parse is the error, shown again
/// like any other).
async fn write_parsed<I, T>(
    state: &State,
    parsed: Result<I, InputError>,
    lock: Lock,
    work: impl Fn(&mut Tx<'_>, I) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError>
where
    I: Clone + Send + 'static,
    T: Send + 'static,
{
    let input = parsed?;
    state.write(lock, move |tx| work(tx, input.clone())).await
}

/// What a form's write answers: the next page (see other) once it is written; the form again
/// with the problem when it is one the organiser can fix; any other error as it is.
async fn answer_form<T, F>(
    state: &State,
    written: Result<T, AppError>,
    next: impl FnOnce(T) -> (String, crate::i18n::Msg),
    again: impl FnOnce(Problem) -> F,
) -> Reply
where
    F: Future<Output = Result<HttpResponse, AppError>>,
{
    match written {
        Ok(value) => {
            let (to, done) = next(value);
            Ok(crate::web::notice::see_other(
                state.cookie_secure,
                &to,
                &done.to_string(),
            ))
        }
        Err(error) => again(Problem::shown_or(error)?).await,
    }
}

/// "Screening added: Song Lang, Tuesday 8 December 2026 at 22:00" (`key` says added or saved).
fn screening_notice(key: &'static str, listing: &ScreeningListing) -> crate::i18n::Msg {
    crate::i18n::Msg::new(key)
        .arg("film", listing.film.title.as_str())
        .arg(
            "when",
            crate::domain::format::when(listing.screening.starts_at, listing.zone()),
        )
}

/// 200, or 422 for a form shown again with its problem.
fn status_for(problem: &Option<Problem>) -> StatusCode {
    if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/overview.html")]
struct OverviewPage {
    festivals: Vec<Festival>,
    csrf: String,
    timezones: [&'static str; 6],
    /// The new-festival form: as typed, when it is shown again with a problem.
    form: FestivalForm,
    problem: Option<Problem>,
}

impl ListPage for FestivalForm {
    fn page(
        festivals: Vec<Festival>,
        csrf: String,
        form: FestivalForm,
        problem: Option<Problem>,
    ) -> Reply {
        page_with_status(
            status_for(&problem),
            &OverviewPage {
                festivals,
                csrf,
                timezones: TIMEZONES,
                form,
                problem,
            },
        )
    }

    fn next(festival: &Festival) -> String {
        format!("/admin/festivals/{}/screenings", festival.id)
    }

    fn added(festival: &Festival) -> crate::i18n::Msg {
        crate::msg!("admin-notice-festival-added", name = &festival.name)
    }
}

// ---------------------------------------------------------------------------------------------

struct ProgrammeLine {
    id: ScreeningId,
    when: String,
    film: String,
    place: String,
    booked: i32,
    capacity: i32,
    cancelled: bool,
}

/// Every room of every venue, for the room select: (`venue_id|room`, label).
fn places(venues: &[Venue]) -> Vec<(String, String)> {
    venues
        .iter()
        .flat_map(|v| {
            v.rooms.iter().map(move |r| {
                (
                    format!("{}|{}", v.id, r.name),
                    crate::i18n::t3(
                        "admin-place",
                        "venue",
                        &v.name,
                        "room",
                        &r.name,
                        "seats",
                        r.seats,
                    ),
                )
            })
        })
        .collect()
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
}

async fn screenings(
    state: State,
    _: Organiser,
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

async fn screenings_page(
    state: &State,
    id: FestivalId,
    csrf: String,
    form: ScreeningForm,
    problem: Option<Problem>,
) -> Reply {
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
        },
    )
}

async fn create_screening(
    state: State,
    _: Organiser,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<ScreeningForm>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let form = form.into_inner();
    let created = write_parsed(
        &state,
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
                format!("/admin/festivals/{id}/screenings"),
                screening_notice("admin-notice-screening-added", &listing),
            )
        },
        |problem| screenings_page(&state, id, csrf.0, form, Some(problem)),
    )
    .await
}

#[derive(Template)]
#[template(path = "admin/screening.html")]
struct ScreeningEditPage {
    l: ScreeningListing,
    films: Vec<Film>,
    places: Vec<(String, String)>,
    countries: Vec<(&'static str, String)>,
    csrf: String,
    invited: Option<(String, i32)>,
    waitlist: WaitlistView,
    standby: Standby,
    /// The values of the page's four forms: as stored, or as typed for the one shown again.
    edit: ScreeningForm,
    invite: InvitationForm,
    waitlist_form: WaitlistForm,
    standby_form: StandbyForm,
    /// The problem, and which form it is about.
    problem: Option<(&'static str, Problem)>,
}

/// One of the screening page's forms, shown again as typed with its problem.
enum ShownAgain {
    Edit(ScreeningForm, Problem),
    Invite(InvitationForm, Problem),
    Waitlist(WaitlistForm, Problem),
    Standby(StandbyForm, Problem),
}

impl ScreeningEditPage {
    /// The problem of the form `name` ("edit", "invite", "waitlist", "standby"), if it has one.
    fn problem_in(&self, name: &str) -> Option<Problem> {
        self.problem
            .as_ref()
            .filter(|(form, _)| *form == name)
            .map(|(_, problem)| problem.clone())
    }

    /// A waiting-list entry's state; for an open offer, until when (in the venue's time).
    fn entry_status(&self, e: &waitlist_api::ListedEntry) -> String {
        let until = e
            .entry
            .offer_expires_at
            .as_deref()
            .filter(|_| e.entry.status == EntryStatus::Offered)
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok());
        match until {
            Some(at) => crate::i18n::t1(
                "admin-entry-status-offered-until",
                "until",
                format::when_short(at.naive_utc(), self.l.zone()),
            ),
            None => crate::admin::show::entry_status(e.entry.status),
        }
    }
}

/// What the screening's organiser page shows.
struct Loaded {
    listing: ScreeningListing,
    films: Vec<Film>,
    venues: Vec<Venue>,
    waitlist: WaitlistView,
    standby: Standby,
}

fn screening_page(conn: &mut db::AnyConnection, id: ScreeningId) -> Result<Loaded, AppError> {
    Ok(Loaded {
        listing: service::listing(conn, id)?,
        films: q::list_films(conn)?,
        venues: q::list_venues(conn)?,
        waitlist: waitlist_api::listed(conn, id)?,
        standby: standby::standing_of(conn, id, chrono::Utc::now().naive_utc())?,
    })
}

fn render_screening(
    loaded: Loaded,
    csrf: String,
    invited: Option<(String, i32)>,
    shown_again: Option<ShownAgain>,
) -> Reply {
    let l = loaded.listing;
    let mut edit = ScreeningForm {
        film_id: l.film.id.to_string(),
        place: format!("{}|{}", l.venue.id, l.screening.room),
        starts_at: format::local(l.screening.starts_at, l.zone())
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        capacity: l.screening.capacity.to_string(),
        doors_open_minutes: l.screening.doors_open_minutes.to_string(),
        doors_close_minutes: l.screening.doors_close_minutes.to_string(),
        ..ScreeningForm::default()
    };
    let mut invite = InvitationForm {
        seats: "1".to_owned(),
        lang: crate::i18n::current().code().to_owned(),
        ..InvitationForm::default()
    };
    let mut waitlist_form = WaitlistForm {
        open: if loaded.waitlist.open { "1" } else { "0" }.to_owned(),
        offer_minutes: loaded.waitlist.offer_minutes.to_string(),
    };
    let mut standby_form = StandbyForm {
        release_minutes: loaded
            .standby
            .release_minutes_before_start
            .map(|m| m.to_string())
            .unwrap_or_default(),
        keep_for_late: loaded.standby.keep_for_late.to_string(),
    };
    let problem = match shown_again {
        None => None,
        Some(ShownAgain::Edit(form, problem)) => {
            edit = form;
            Some(("edit", problem))
        }
        Some(ShownAgain::Invite(form, problem)) => {
            invite = form;
            Some(("invite", problem))
        }
        Some(ShownAgain::Waitlist(form, problem)) => {
            waitlist_form = form;
            Some(("waitlist", problem))
        }
        Some(ShownAgain::Standby(form, problem)) => {
            standby_form = form;
            Some(("standby", problem))
        }
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page_with_status(
        status,
        &ScreeningEditPage {
            places: places(&loaded.venues),
            countries: Country::all(),
            films: loaded.films,
            l,
            csrf,
            invited,
            waitlist: loaded.waitlist,
            standby: loaded.standby,
            edit,
            invite,
            waitlist_form,
            standby_form,
            problem,
        },
    )
}

/// A screening page form failed: the page again, that form as typed with its problem.
async fn screening_shown_again(
    state: &State,
    id: ScreeningId,
    csrf: String,
    shown: ShownAgain,
) -> Reply {
    let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
    render_screening(loaded, csrf, None, Some(shown))
}

/// A settings form on a screening's page (its waiting list, its standby line): applied, then
/// back to its part of the page; or the page again, the form as typed with its problem.
trait ScreeningSettings: serde::de::DeserializeOwned + 'static {
    /// The part of the screening page the form is in.
    const PART: &'static str;

    async fn apply(&self, state: &State, id: ScreeningId) -> Result<(), AppError>;

    fn shown_again(self, problem: Problem) -> ShownAgain;
}

async fn settings<S: ScreeningSettings>(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<S>,
    csrf: CsrfToken,
) -> Reply {
    let (id, form) = (id.into_inner(), form.into_inner());
    let saved = form.apply(&state, id).await;
    answer_form(
        &state,
        saved,
        |()| {
            (
                format!("/admin/screenings/{id}/edit#{}", S::PART),
                crate::msg!("admin-notice-saved"),
            )
        },
        |p| screening_shown_again(&state, id, csrf.0, form.shown_again(p)),
    )
    .await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
struct WaitlistForm {
    open: String,
    offer_minutes: String,
}

impl ScreeningSettings for WaitlistForm {
    const PART: &'static str = "waitlist";

    /// Opens or closes the waiting list; how long offers are held.
    async fn apply(&self, state: &State, id: ScreeningId) -> Result<(), AppError> {
        let minutes = number("offer_minutes", &self.offer_minutes)?;
        let minutes = waitlist_api::offer_minutes(Some(minutes))?;
        waitlist_api::configure(state, id, Some(self.open == "1"), minutes).await?;
        Ok(())
    }

    fn shown_again(self, problem: Problem) -> ShownAgain {
        ShownAgain::Waitlist(self, problem)
    }
}

#[derive(serde::Deserialize)]
struct MoveForm {
    #[serde(default)]
    position: String,
}

/// Moves an entry up or down the list.
async fn move_entry(
    state: State,
    _: Organiser,
    id: aweb::Path<String>,
    form: aweb::Form<MoveForm>,
) -> Reply {
    let position = number("position", &form.position)?;
    let screening = waitlist_api::move_entry(&state, id.into_inner(), position).await?;
    Ok(see_other(&format!(
        "/admin/screenings/{screening}/edit#waitlist"
    )))
}

/// Removes an entry from the list.
async fn remove_entry(state: State, _: Organiser, id: aweb::Path<String>) -> Reply {
    let entry = waitlist_api::remove_entry(&state, id.into_inner()).await?;
    Ok(see_other(&format!(
        "/admin/screenings/{}/edit#waitlist",
        entry.screening_id
    )))
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
struct StandbyForm {
    release_minutes: String,
    keep_for_late: String,
}

impl ScreeningSettings for StandbyForm {
    const PART: &'static str = "standby";

    /// Sets the screening's standby line (a blank release time: no standby line).
    async fn apply(&self, state: &State, id: ScreeningId) -> Result<(), AppError> {
        let release = optional_number("release_minutes", &self.release_minutes)?;
        let keep = optional_number("keep_for_late", &self.keep_for_late)?.unwrap_or(0);
        standby::apply_settings(state, id, release, keep).await?;
        Ok(())
    }

    fn shown_again(self, problem: Problem) -> ShownAgain {
        ShownAgain::Standby(self, problem)
    }
}

async fn edit_screening(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
    render_screening(loaded, csrf.0, None, None)
}

async fn save_screening(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<ScreeningForm>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let form = form.into_inner();
    let saved = write_parsed(
        &state,
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
                format!(
                    "/admin/festivals/{}/screenings",
                    listing.screening.festival_id
                ),
                screening_notice("admin-notice-screening-saved", &listing),
            )
        },
        |p| screening_shown_again(&state, id, csrf.0, ShownAgain::Edit(form, p)),
    )
    .await
}

/// A destructive action, stated before it is done: what it is, what follows from it, and the
/// form that does it (with `confirm` set).
#[derive(Template)]
#[template(path = "admin/confirm.html")]
struct ConfirmPage {
    title: String,
    consequence: String,
    action: String,
    /// Hidden fields besides `csrf` and `confirm`.
    fields: Vec<(&'static str, String)>,
    button: String,
    back: String,
    csrf: String,
}

/// `GET /admin/screenings/{id}/cancel`: what cancelling this screening does, before it does it.
async fn confirm_cancel_screening(
    state: State,
    _: Organiser,
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
        action: format!("/admin/screenings/{id}/status"),
        fields: vec![("status", "cancelled".to_owned())],
        button: crate::i18n::t("admin-screening-cancel"),
        back: format!("/admin/screenings/{id}/edit"),
        csrf: csrf.0,
    })
}

/// Cancels (once confirmed) or reinstates a screening.
async fn screening_status(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<CsrfForm>,
) -> Reply {
    let id = id.into_inner();
    if form.status == ScreeningStatus::Cancelled.as_str() && form.confirm.is_empty() {
        // Nothing is cancelled without the page that says what it does.
        return Ok(see_other(&format!("/admin/screenings/{id}/cancel")));
    }
    let patch = ScreeningPatch {
        status: Some(form.status.clone()),
        ..ScreeningPatch::default()
    };
    let listing = state
        .write(Lock::Screening(id), move |tx| {
            service::update_screening(tx, id, patch.clone())
        })
        .await?;
    Ok(see_other(&format!(
        "/admin/festivals/{}/screenings",
        listing.screening.festival_id
    )))
}

/// Deletes a screening nobody booked (a mistake, a duplicate): back to the festival's screenings,
/// saying so. One with any booking, scan or waiting list is cancelled instead (409, said).
async fn delete_screening(state: State, _: Organiser, id: aweb::Path<ScreeningId>) -> Reply {
    let id = id.into_inner();
    let listing = state
        .write(Lock::Screening(id), move |tx| {
            let listing = service::listing(tx.conn, id)?;
            crate::catalogue::queries::delete_unused_screening(tx, id)?;
            Ok::<_, AppError>(listing)
        })
        .await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &format!(
            "/admin/festivals/{}/screenings",
            listing.screening.festival_id
        ),
        &screening_notice("admin-notice-screening-deleted", &listing).to_string(),
    ))
}

/// Issues complimentary tickets and shows the private link to send to the guest.
async fn invite(
    state: State,
    keys: aweb::Data<KeyRing>,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<InvitationForm>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let form = form.into_inner();
    let invited = async {
        let request = InvitationInput {
            name: form.name.clone(),
            email: form.email.clone(),
            country: form.country.clone(),
            category: form.category.clone(),
            seats: number("seats", &form.seats)?,
            lang: Some(form.lang.clone()),
        }
        .parse()?;
        // Through the same write path as every booking: the writer, the metrics, the live hub.
        let new = crate::booking::commit(&state, &keys, id, request).await?;
        let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
        Ok::<_, AppError>((new, loaded))
    }
    .await;
    match invited {
        Ok((new, loaded)) => {
            let link = crate::booking::pages::manage_url(&state.public_url, &new.manage_token);
            render_screening(loaded, csrf.0, Some((link, new.booking.seats)), None)
        }
        Err(error) => {
            let shown = ShownAgain::Invite(form, Problem::shown_or(error)?);
            screening_shown_again(&state, id, csrf.0, shown).await
        }
    }
}

// ---------------------------------------------------------------------------------------------

/// A venue's or a film's own page: shown, saved and deleted the same way (`edit`, `save`,
/// `delete` below); each kind says what differs.
trait RecordPage: serde::de::DeserializeOwned + 'static {
    /// What the form edits.
    type Input: Draft;
    /// The list page the record is on, where a save or a delete leads.
    const LIST: &'static str;

    /// The record's page: its form as stored, or as typed with its problem when shown again.
    fn page(
        record: ModelOf<Self>,
        csrf: String,
        form: Option<Self>,
        problem: Option<Problem>,
    ) -> Reply;

    /// The form as a change to the stored record (every field: the page shows them all).
    fn changes(&self) -> Result<<Self::Input as Draft>::Patch, InputError>;
}

/// The id of what a record page edits.
type IdOf<R> = <<R as RecordPage>::Input as Draft>::Id;

/// How the rest of the code sees what a record page edits.
type ModelOf<R> = Created<<R as RecordPage>::Input>;

/// A record's page, the record read afresh.
async fn record_page<R: RecordPage>(
    state: &State,
    id: IdOf<R>,
    csrf: String,
    form: Option<R>,
    problem: Option<Problem>,
) -> Reply {
    let record = db::run(&state.pool, move |conn| {
        <<R::Input as Draft>::Row as Stored>::find(conn, id)
    })
    .await?;
    R::page(record, csrf, form, problem)
}

async fn edit<R: RecordPage>(
    state: State,
    _: Organiser,
    id: aweb::Path<IdOf<R>>,
    csrf: CsrfToken,
) -> Reply {
    record_page::<R>(&state, id.into_inner(), csrf.0, None, None).await
}

async fn save<R: RecordPage>(
    state: State,
    _: Organiser,
    id: aweb::Path<IdOf<R>>,
    form: aweb::Form<R>,
    csrf: CsrfToken,
) -> Reply {
    let (id, form) = (id.into_inner(), form.into_inner());
    let saved = write_parsed(
        &state,
        form.changes(),
        Lock::NoScreening,
        move |tx, patch| service::update::<R::Input>(tx, id, patch),
    )
    .await;
    answer_form(
        &state,
        saved,
        |_| (R::LIST.to_owned(), crate::msg!("admin-notice-saved")),
        |problem| record_page(&state, id, csrf.0, Some(form), Some(problem)),
    )
    .await
}

/// Deletes a record no screening uses (one that is used answers 409: cancel those instead).
async fn delete<R: RecordPage>(state: State, _: Organiser, id: aweb::Path<IdOf<R>>) -> Reply {
    let id = id.into_inner();
    state
        .write(Lock::NoScreening, move |tx| {
            <<R::Input as Draft>::Row as Stored>::delete(tx, id)
        })
        .await?;
    Ok(see_other(R::LIST))
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/venues.html")]
struct VenuesPage {
    venues: Vec<Venue>,
    csrf: String,
    timezones: [&'static str; 6],
    form: VenueForm,
    problem: Option<Problem>,
}

impl ListPage for VenueForm {
    fn page(venues: Vec<Venue>, csrf: String, form: VenueForm, problem: Option<Problem>) -> Reply {
        page_with_status(
            status_for(&problem),
            &VenuesPage {
                venues,
                csrf,
                timezones: TIMEZONES,
                form,
                problem,
            },
        )
    }

    fn next(_: &Venue) -> String {
        Self::LIST.to_owned()
    }

    fn added(venue: &Venue) -> crate::i18n::Msg {
        crate::msg!("admin-notice-venue-added", name = &venue.name)
    }
}

#[derive(Template)]
#[template(path = "admin/venue.html")]
struct VenuePage {
    v: Venue,
    /// The venue as stored, or as typed when shown again with a problem.
    form: VenueForm,
    problem: Option<Problem>,
    csrf: String,
    timezones: [&'static str; 6],
}

impl RecordPage for VenueForm {
    type Input = VenueInput;
    const LIST: &'static str = "/admin/venues";

    fn page(v: Venue, csrf: String, form: Option<VenueForm>, problem: Option<Problem>) -> Reply {
        let form = form.unwrap_or_else(|| VenueForm {
            name: v.name.clone(),
            city: v.city.clone(),
            address: v.address.clone(),
            timezone: v.timezone.clone(),
            rooms: format_rooms(&v.rooms),
            ..VenueForm::default()
        });
        page_with_status(
            status_for(&problem),
            &VenuePage {
                v,
                form,
                problem,
                csrf,
                timezones: TIMEZONES,
            },
        )
    }

    fn changes(&self) -> Result<VenuePatch, InputError> {
        self.patch()
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/films.html")]
struct FilmsPage {
    films: Vec<Film>,
    countries: Vec<(&'static str, String)>,
    csrf: String,
    /// The new-film form, as typed when shown again with a problem.
    form: FilmForm,
    problem: Option<Problem>,
}

impl ListPage for FilmForm {
    fn page(films: Vec<Film>, csrf: String, form: FilmForm, problem: Option<Problem>) -> Reply {
        page_with_status(
            status_for(&problem),
            &FilmsPage {
                films,
                countries: Country::all(),
                csrf,
                form,
                problem,
            },
        )
    }

    fn blank() -> FilmForm {
        FilmForm {
            country: "VN".to_owned(),
            ..FilmForm::default()
        }
    }

    fn next(_: &Film) -> String {
        Self::LIST.to_owned()
    }

    fn added(film: &Film) -> crate::i18n::Msg {
        crate::msg!("admin-notice-film-added", name = &film.title)
    }
}

#[derive(Template)]
#[template(path = "admin/film.html")]
struct FilmPage {
    f: Film,
    countries: Vec<(&'static str, String)>,
    csrf: String,
    /// The film as stored, or as typed when shown again with a problem.
    form: FilmForm,
    problem: Option<Problem>,
}

impl RecordPage for FilmForm {
    type Input = FilmInput;
    const LIST: &'static str = "/admin/films";

    fn page(f: Film, csrf: String, form: Option<FilmForm>, problem: Option<Problem>) -> Reply {
        let form = form.unwrap_or_else(|| FilmForm {
            title: f.title.clone(),
            original_title: f.original_title.clone(),
            director: f.director.clone(),
            year: f.year.to_string(),
            runtime_minutes: f.runtime_minutes.to_string(),
            country: f.country.clone(),
            language: f.language.clone(),
            subtitles: f.subtitles.clone(),
            synopsis: f.synopsis.clone(),
            ..FilmForm::default()
        });
        page_with_status(
            status_for(&problem),
            &FilmPage {
                f,
                countries: Country::all(),
                csrf,
                form,
                problem,
            },
        )
    }

    fn changes(&self) -> Result<FilmPatch, InputError> {
        self.patch()
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffPage {
    members: Vec<StaffMember>,
    festivals: Vec<Festival>,
    venues: Vec<Venue>,
    me: StaffId,
    csrf: String,
    /// Just created: (name, sign-in link, QR of the link, credential).
    created: Option<(String, String, String, String)>,
    /// The new-credential form, as typed when shown again with a problem.
    form: StaffForm,
    problem: Option<Problem>,
}

impl StaffPage {
    /// What a credential is limited to, by the festival's or venue's name.
    fn scope(&self, m: &StaffMember) -> String {
        if let Some(id) = m.venue_id {
            let name = self.venues.iter().find(|v| v.id == id);
            let name = name.map_or_else(|| id.to_string(), |v| v.name.clone());
            crate::i18n::t1("admin-staff-scope-venue-option", "name", name)
        } else if let Some(id) = m.festival_id {
            let name = self.festivals.iter().find(|f| f.id == id);
            let name = name.map_or_else(|| id.to_string(), |f| f.name.clone());
            crate::i18n::t1("admin-staff-scope-festival-option", "name", name)
        } else {
            crate::i18n::t("admin-staff-scope-everything")
        }
    }
}

async fn staff_page(
    state: &State,
    me: StaffId,
    csrf: String,
    created: Option<(String, String, String, String)>,
    shown_again: Option<(StaffForm, Problem)>,
) -> Reply {
    let (form, problem) = match shown_again {
        Some((form, problem)) => (form, Some(problem)),
        None => (StaffForm::default(), None),
    };
    let (members, festivals, venues) = db::run(&state.pool, |conn| {
        Ok((
            crate::staff::list(conn)?,
            q::list_festivals(conn)?,
            q::list_venues(conn)?,
        ))
    })
    .await?;
    page_with_status(
        status_for(&problem),
        &StaffPage {
            members,
            festivals,
            venues,
            me,
            csrf,
            created,
            form,
            problem,
        },
    )
}

async fn staff(state: State, Organiser(me): Organiser, csrf: CsrfToken) -> Reply {
    staff_page(&state, me.id, csrf.0, None, None).await
}

/// Creates a credential and shows it once, with a QR code a door device can scan to sign in.
async fn create_staff(
    state: State,
    Organiser(me): Organiser,
    form: aweb::Form<StaffForm>,
    csrf: CsrfToken,
) -> Reply {
    let form = form.into_inner();
    match issue_credential(&state, &form).await {
        Ok(created) => staff_page(&state, me.id, csrf.0, Some(created), None).await,
        Err(error) => {
            let problem = Problem::shown_or(error)?;
            staff_page(&state, me.id, csrf.0, None, Some((form, problem))).await
        }
    }
}

/// Creates the credential a staff form asks for: (name, sign-in link, its QR, credential).
async fn issue_credential(
    state: &State,
    form: &StaffForm,
) -> Result<(String, String, String, String), AppError> {
    let role = Role::parse(form.role.trim())
        .ok_or_else(|| InputError::new("role", crate::msg!("error-role")))?;
    // The scope is chosen, never defaulted: "everything" is the least safe for a door device.
    let (festival, venue) = match form.scope.split_once(':') {
        None if form.scope.trim() == "all" => (None, None),
        Some(("festival", id)) => (
            Some(crate::catalogue::input::id_field::<FestivalId>(
                "scope", id,
            )?),
            None,
        ),
        Some(("venue", id)) => (
            None,
            Some(crate::catalogue::input::id_field::<VenueId>("scope", id)?),
        ),
        _ => return Err(InputError::new("scope", crate::msg!("error-scope")).into()),
    };
    let name = form.name.clone();
    let (member, token) = state
        .write(Lock::NoScreening, move |tx| {
            if let Some(f) = festival {
                q::festival(tx.conn, f)?.ok_or_else(|| {
                    AppError::invalid("scope", crate::msg!("error-scope-no-festival"))
                })?;
            }
            if let Some(v) = venue {
                q::venue(tx.conn, v)?.ok_or_else(|| {
                    AppError::invalid("scope", crate::msg!("error-scope-no-venue"))
                })?;
            }
            crate::staff::create(tx.conn, &name, role, festival, venue)
        })
        .await?;
    let link = crate::staff::signin_link(&state.public_url, &token);
    let qr = crate::tickets::qr::svg(&link)?;
    Ok((member.name, link, qr, token))
}

/// `GET /admin/staff/{id}/revoke`: what revoking this credential does, before it does it.
async fn confirm_revoke_staff(
    state: State,
    _: Organiser,
    id: aweb::Path<StaffId>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let member = db::run(&state.pool, move |conn| {
        crate::staff::list(conn)?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| AppError::not_found(Thing::StaffMember))
    })
    .await?;
    page(&ConfirmPage {
        title: crate::i18n::t1("admin-confirm-revoke-title", "name", &member.name),
        consequence: crate::i18n::t1("admin-confirm-revoke", "name", &member.name),
        action: format!("/admin/staff/{id}/revoke"),
        fields: Vec::new(),
        button: crate::i18n::t("admin-staff-revoke"),
        back: "/admin/staff".to_owned(),
        csrf: csrf.0,
    })
}

async fn revoke_staff(
    state: State,
    Organiser(me): Organiser,
    id: aweb::Path<StaffId>,
    form: aweb::Form<CsrfForm>,
) -> Reply {
    let id = id.into_inner();
    if form.confirm.is_empty() {
        return Ok(see_other(&format!("/admin/staff/{id}/revoke")));
    }
    if id == me.id {
        return Err(AppError::conflict(
            Refusal::OwnCredential,
            crate::msg!("error-own-credential"),
        ));
    }
    state
        .write(Lock::NoScreening, move |tx| crate::staff::revoke(tx, id))
        .await?;
    state.credentials.forget(id);
    Ok(see_other("/admin/staff"))
}
