//! Staff credentials: the list with the form for a new one (shown once, with its sign-in QR), and
//! revoking one (stated first).

use actix_web::web as aweb;
use askama::Template;

use super::flow::{ConfirmPage, status_for};
use super::forms::{CsrfForm, StaffForm};
use crate::catalogue::queries::{self as q, Festival, Venue};
use crate::db::audit::Change;
use crate::db::{self, Lock};
use crate::domain::{FestivalId, InputError, Role, StaffId, VenueId};
use crate::error::{AppError, Refusal, Thing};
use crate::staff::StaffMember;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};

/// Every staff credential of the instance: administrators only.
type Admin = Can<need::Team, scope::Instance>;
use crate::web::csrf::CsrfToken;
use crate::web::links;
use crate::web::problem::Problem;
use crate::web::{AppState, page, page_with_status, see_other};

type State = aweb::Data<AppState>;

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

pub(super) async fn staff(state: State, Can { staff: me, .. }: Admin, csrf: CsrfToken) -> Reply {
    staff_page(&state, me.id, csrf.0, None, None).await
}

/// Creates a credential and shows it once, with a QR code a door device can scan to sign in.
pub(super) async fn create_staff(
    state: State,
    Can { staff: me, .. }: Admin,
    form: aweb::Form<StaffForm>,
    csrf: CsrfToken,
) -> Reply {
    let form = form.into_inner();
    match issue_credential(&state, &me, &form).await {
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
    me: &StaffMember,
    form: &StaffForm,
) -> Result<(String, String, String, String), AppError> {
    let role = Role::parse(form.role.trim())
        .filter(|role| matches!(role, Role::Organiser | Role::Door))
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
    let me = me.clone();
    let (member, token) = state
        .write(Lock::NoScreening, move |tx| {
            let tx = tx.by(&me);
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
            let (member, token) = crate::staff::create(tx.conn, &name, role, festival, venue)?;
            let change = Change::new(festival, "staff.create", format!("staff:{}", member.id))
                .after(&member);
            db::audit::record(tx, change)?;
            Ok((member, token))
        })
        .await?;
    let link = crate::staff::signin_link(&state.public_url, &token);
    let qr = crate::tickets::qr::svg(&link)?;
    Ok((member.name, link, qr, token))
}

/// `GET /admin/staff/{id}/revoke`: what revoking this credential does, before it does it.
pub(super) async fn confirm_revoke_staff(
    state: State,
    _: Admin,
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
        action: links::admin_staff_revoke(id),
        fields: Vec::new(),
        button: crate::i18n::t("admin-staff-revoke"),
        back: links::ADMIN_STAFF.to_owned(),
        csrf: csrf.0,
    })
}

pub(super) async fn revoke_staff(
    state: State,
    Can { staff: me, .. }: Admin,
    id: aweb::Path<StaffId>,
    form: aweb::Form<CsrfForm>,
) -> Reply {
    let id = id.into_inner();
    if form.confirm.is_empty() {
        return Ok(see_other(&links::admin_staff_revoke(id)));
    }
    if id == me.id {
        return Err(AppError::conflict(
            Refusal::OwnCredential,
            crate::msg!("error-own-credential"),
        ));
    }
    state
        .write(Lock::NoScreening, move |tx| {
            let festival = crate::staff::list(tx.conn)?
                .into_iter()
                .find(|m| m.id == id)
                .and_then(|m| m.festival_id);
            crate::staff::revoke(tx.by(&me), id)?;
            let change = Change::new(festival, "staff.revoke", format!("staff:{id}"));
            db::audit::record(tx, change)
        })
        .await?;
    state.credentials.forget(id);
    Ok(see_other(links::ADMIN_STAFF))
}
