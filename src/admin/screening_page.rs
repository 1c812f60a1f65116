//! A screening's own page (`/admin/screenings/{id}/edit`) and the forms on it besides the
//! screening's own: its waiting list (settings, moving and removing entries), its standby line,
//! and invitations. Each form shown again as typed, with its problem, on the page.

use actix_web::http::StatusCode;
use actix_web::web as aweb;
use askama::Template;

use super::flow::answer_form;
use super::forms::{InvitationForm, ScreeningForm, number, optional_number};
use crate::booking::queries::InvitationInput;
use crate::booking::waitlist::EntryStatus;
use crate::booking::waitlist_admin::{self, WaitlistView};
use crate::catalogue::queries::{self as q, Film, ScreeningListing, Venue};
use crate::catalogue::service;
use crate::db;
use crate::domain::Permission;
use crate::domain::format;
use crate::domain::{Country, ScreeningId};
use crate::door::standby::{self, Standby};
use crate::error::AppError;
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::web::Reply;
use crate::web::auth::{Can, Need, need, scope};
use crate::web::csrf::CsrfToken;
use crate::web::links;
use crate::web::problem::Problem;
use crate::web::{AppState, page_with_status, see_other};

type State = aweb::Data<AppState>;

/// Every room of every venue, for the room select: (`venue_id|room`, label).
pub(super) fn places(venues: &[Venue]) -> Vec<(String, String)> {
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
    /// The viewer is the festival's box office: the invitations and the waiting list's people
    /// are shown (never to the programme team alone).
    people: bool,
}

/// One of the screening page's forms, shown again as typed with its problem.
pub(super) enum ShownAgain {
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
    fn entry_status(&self, e: &waitlist_admin::ListedEntry) -> String {
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
pub(super) struct Loaded {
    listing: ScreeningListing,
    films: Vec<Film>,
    venues: Vec<Venue>,
    waitlist: WaitlistView,
    standby: Standby,
}

pub(super) fn screening_page(
    conn: &mut db::AnyConnection,
    id: ScreeningId,
) -> Result<Loaded, AppError> {
    Ok(Loaded {
        listing: service::listing(conn, id)?,
        films: q::list_films(conn)?,
        venues: q::list_venues(conn)?,
        waitlist: waitlist_admin::listed(conn, id)?,
        standby: standby::standing_of(conn, id, chrono::Utc::now().naive_utc())?,
    })
}

pub(super) fn render_screening(
    viewer: &StaffMember,
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
        pass_seats: l.screening.pass_seats.to_string(),
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
    let people = viewer.may(Permission::BoxOffice, l.screening.festival_id);
    page_with_status(
        status,
        &ScreeningEditPage {
            people,
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
pub(super) async fn screening_shown_again(
    state: &State,
    viewer: &StaffMember,
    id: ScreeningId,
    csrf: String,
    shown: ShownAgain,
) -> Reply {
    let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
    render_screening(viewer, loaded, csrf, None, Some(shown))
}

/// A settings form on a screening's page (its waiting list, its standby line): applied, then
/// back to its part of the page; or the page again, the form as typed with its problem.
pub(super) trait ScreeningSettings: serde::de::DeserializeOwned + 'static {
    /// Who may change the setting.
    type Need: Need + 'static;
    /// The part of the screening page the form is in.
    const PART: &'static str;

    async fn apply(
        &self,
        state: &State,
        staff: &StaffMember,
        id: ScreeningId,
    ) -> Result<(), AppError>;

    fn shown_again(self, problem: Problem) -> ShownAgain;
}

pub(super) async fn settings<S: ScreeningSettings>(
    state: State,
    can: Can<S::Need, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    form: aweb::Form<S>,
    csrf: CsrfToken,
) -> Reply {
    let (id, form) = (id.into_inner(), form.into_inner());
    let saved = form.apply(&state, &can.staff, id).await;
    answer_form(
        &state,
        saved,
        |()| {
            (
                links::admin_screening(id, Some(S::PART)),
                crate::msg!("admin-notice-saved"),
            )
        },
        |p| screening_shown_again(&state, &can.staff, id, csrf.0, form.shown_again(p)),
    )
    .await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct WaitlistForm {
    open: String,
    offer_minutes: String,
}

impl ScreeningSettings for WaitlistForm {
    type Need = need::BoxOffice;
    const PART: &'static str = "waitlist";

    /// Opens or closes the waiting list; how long offers are held.
    async fn apply(
        &self,
        state: &State,
        staff: &StaffMember,
        id: ScreeningId,
    ) -> Result<(), AppError> {
        let minutes = number("offer_minutes", &self.offer_minutes)?;
        let minutes = waitlist_admin::offer_minutes(Some(minutes))?;
        waitlist_admin::configure(state, staff, id, Some(self.open == "1"), minutes).await?;
        Ok(())
    }

    fn shown_again(self, problem: Problem) -> ShownAgain {
        ShownAgain::Waitlist(self, problem)
    }
}

#[derive(serde::Deserialize)]
pub(super) struct MoveForm {
    #[serde(default)]
    position: String,
}

/// Moves an entry up or down the list.
pub(super) async fn move_entry(
    state: State,
    can: Can<need::BoxOffice, scope::WaitlistEntry>,
    id: aweb::Path<String>,
    form: aweb::Form<MoveForm>,
) -> Reply {
    let position = number("position", &form.position)?;
    let screening =
        waitlist_admin::move_entry(&state, &can.staff, id.into_inner(), position).await?;
    Ok(see_other(&links::admin_screening(
        screening,
        Some("waitlist"),
    )))
}

/// Removes an entry from the list.
pub(super) async fn remove_entry(
    state: State,
    can: Can<need::BoxOffice, scope::WaitlistEntry>,
    id: aweb::Path<String>,
) -> Reply {
    let entry = waitlist_admin::remove_entry(&state, &can.staff, id.into_inner()).await?;
    Ok(see_other(&links::admin_screening(
        entry.screening_id,
        Some("waitlist"),
    )))
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct StandbyForm {
    release_minutes: String,
    keep_for_late: String,
}

impl ScreeningSettings for StandbyForm {
    type Need = need::DoorLead;
    const PART: &'static str = "standby";

    /// Sets the screening's standby line (a blank release time: no standby line).
    async fn apply(
        &self,
        state: &State,
        staff: &StaffMember,
        id: ScreeningId,
    ) -> Result<(), AppError> {
        let release = optional_number("release_minutes", &self.release_minutes)?;
        let keep = optional_number("keep_for_late", &self.keep_for_late)?.unwrap_or(0);
        standby::apply_settings(state, staff, id, release, keep).await?;
        Ok(())
    }

    fn shown_again(self, problem: Problem) -> ShownAgain {
        ShownAgain::Standby(self, problem)
    }
}

/// Issues complimentary tickets and shows the private link to send to the guest.
pub(super) async fn invite(
    state: State,
    keys: aweb::Data<KeyRing>,
    can: Can<need::BoxOffice, scope::Screening>,
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
        let new =
            crate::booking::commit(&state, &keys, id, request, Some(&can.staff), None).await?;
        let loaded = db::run(&state.pool, move |conn| screening_page(conn, id)).await?;
        Ok::<_, AppError>((new, loaded))
    }
    .await;
    match invited {
        Ok((new, loaded)) => {
            let link = links::absolute(&state.public_url, &links::manage(&new.manage_token));
            render_screening(
                &can.staff,
                loaded,
                csrf.0,
                Some((link, new.booking.seats)),
                None,
            )
        }
        Err(error) => {
            let shown = ShownAgain::Invite(form, Problem::shown_or(error)?);
            screening_shown_again(&state, &can.staff, id, csrf.0, shown).await
        }
    }
}
