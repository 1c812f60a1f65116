//! The team page, `/admin/festivals/{id}/team`: the festival's members and their roles (an
//! owner changes any role; a door lead adds and removes door staff), a form for a new member
//! (their sign-in link shown once), and the festival's API tokens (made, listed with their last
//! use, revoked).

use actix_web::web as aweb;
use askama::Template;
use serde::Deserialize;

use super::{Member, Token};
use crate::db::{self, Lock};
use crate::domain::{FestivalId, Permission, StaffId, TeamRole};
use crate::error::{AppError, Thing};
use crate::staff::StaffMember;
use crate::web::auth::{Can, need, scope};
use crate::web::csrf::CsrfToken;
use crate::web::problem::Problem;
use crate::web::{AppState, Reply, page_with_status};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/admin/festivals/{id}/team", aweb::get().to(team_page))
        .route("/admin/festivals/{id}/team", aweb::post().to(add_member))
        .route(
            "/admin/festivals/{id}/team/{staff_id}",
            aweb::post().to(set_roles),
        )
        .route(
            "/admin/festivals/{id}/tokens",
            aweb::post().to(create_token),
        )
        .route(
            "/admin/festivals/{id}/tokens/{token_id}/revoke",
            aweb::post().to(revoke_token),
        );
}

type State = aweb::Data<AppState>;
type TeamLead = Can<need::DoorLead, scope::Festival>;

/// A secret shown once: whose, and the link or token.
struct Shown {
    name: String,
    secret: String,
    /// A sign-in link (a member's), else an API token.
    link: bool,
}

#[derive(Template)]
#[template(path = "admin/team.html")]
struct TeamPage {
    csrf: String,
    festival: crate::catalogue::queries::Festival,
    members: Vec<Member>,
    /// Shown to owners only.
    tokens: Option<Vec<Token>>,
    me: StaffId,
    /// The roles the viewer may give.
    giveable: Vec<TeamRole>,
    shown: Option<Shown>,
    problem: Option<Problem>,
    zone: chrono_tz::Tz,
}

impl TeamPage {
    fn has(&self, member: &Member, role: &TeamRole) -> bool {
        member.roles.contains(role)
    }

    fn permissions(&self) -> &'static [Permission] {
        &super::TOKEN_PERMISSIONS
    }

    fn when(&self, at: &Option<chrono::NaiveDateTime>) -> String {
        at.map_or_else(
            || crate::i18n::t("team-never"),
            |at| crate::domain::format::when(at, self.zone),
        )
    }

    /// Whether the viewer may change this member's roles here.
    fn may_change(&self, member: &Member) -> bool {
        !member.revoked
            && member.kind != crate::domain::Role::Organiser
            && member.roles.iter().all(|r| self.giveable.contains(r))
    }
}

async fn render(
    state: &State,
    viewer: &StaffMember,
    festival: FestivalId,
    csrf: String,
    shown: Option<Shown>,
    problem: Option<Problem>,
) -> Reply {
    let owner = viewer.may(Permission::Team, festival);
    let (festival, members, tokens) = db::run(&state.pool, move |conn| {
        let festival = crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        let members = super::members(conn, festival.id)?;
        let tokens = owner
            .then(|| super::tokens(conn, festival.id))
            .transpose()?;
        Ok((festival, members, tokens))
    })
    .await?;
    let zone = crate::domain::format::stored_zone("festivals.timezone", &festival.timezone)?;
    let giveable = if owner {
        TeamRole::ALL.to_vec()
    } else {
        vec![TeamRole::Door]
    };
    let status = crate::web::problem::form_status(problem.is_some());
    page_with_status(
        status,
        &TeamPage {
            csrf,
            festival,
            members,
            tokens,
            me: viewer.id,
            giveable,
            shown,
            problem,
            zone,
        },
    )
}

/// `GET /admin/festivals/{id}/team`.
async fn team_page(
    state: State,
    can: TeamLead,
    id: aweb::Path<FestivalId>,
    csrf: CsrfToken,
) -> Reply {
    render(&state, &can.staff, id.into_inner(), csrf.0, None, None).await
}

/// A form's roles: one checkbox per role, each sent as `role` (repeated).
fn checked_roles(form: &[(String, String)]) -> Result<Vec<TeamRole>, AppError> {
    let values: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "role")
        .map(|(_, v)| v.clone())
        .collect();
    super::parse_roles("role", &values)
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Shows the page again with what went wrong, or answers the error as it is.
async fn again(
    state: &State,
    viewer: &StaffMember,
    festival: FestivalId,
    csrf: String,
    error: AppError,
) -> Reply {
    let problem = Problem::shown_or(error)?;
    render(state, viewer, festival, csrf, None, Some(problem)).await
}

/// `POST /admin/festivals/{id}/team`: a new member, their sign-in link shown once.
async fn add_member(
    state: State,
    can: TeamLead,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<Vec<(String, String)>>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, form) = (id.into_inner(), form.into_inner());
    let added = async {
        let roles = checked_roles(&form)?;
        let name = field(&form, "name").to_owned();
        let email = Some(field(&form, "email").trim().to_owned()).filter(|e| !e.is_empty());
        let staff = can.staff.clone();
        state
            .write(Lock::NoScreening, move |tx| {
                super::add_member(
                    tx.by(&staff),
                    &staff,
                    festival,
                    &name,
                    email.as_deref(),
                    &roles,
                )
            })
            .await
    }
    .await;
    match added {
        Ok((member, Some(credential))) => {
            let shown = Shown {
                name: member.name,
                secret: crate::staff::signin_link(&state.public_url, &credential),
                link: true,
            };
            render(&state, &can.staff, festival, csrf.0, Some(shown), None).await
        }
        Ok((member, None)) => {
            state.outbox.wake();
            Ok(crate::web::notice::see_other(
                state.cookie_secure,
                &format!("/admin/festivals/{festival}/team"),
                &crate::msg!("team-invited", name = member.name.as_str()).to_string(),
            ))
        }
        Err(error) => again(&state, &can.staff, festival, csrf.0, error).await,
    }
}

/// `POST /admin/festivals/{id}/team/{staff_id}`: a member's roles here (none: they leave).
async fn set_roles(
    state: State,
    can: TeamLead,
    path: aweb::Path<(FestivalId, StaffId)>,
    form: aweb::Form<Vec<(String, String)>>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, staff_id) = path.into_inner();
    let form = form.into_inner();
    let changed = async {
        let roles = checked_roles(&form)?;
        let by = can.staff.clone();
        state
            .write(Lock::NoScreening, move |tx| {
                super::change_roles(tx.by(&by), &by, festival, staff_id, &roles)
            })
            .await?;
        state.credentials.forget(staff_id);
        Ok(())
    }
    .await;
    match changed {
        Ok(()) => Ok(crate::web::notice::see_other(
            state.cookie_secure,
            &format!("/admin/festivals/{festival}/team"),
            &crate::i18n::t("admin-notice-saved"),
        )),
        Err(error) => again(&state, &can.staff, festival, csrf.0, error).await,
    }
}

#[derive(Deserialize)]
struct Revoke {
    #[serde(default)]
    confirm: String,
}

/// `POST /admin/festivals/{id}/tokens`: a new API token, its secret shown once.
async fn create_token(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<Vec<(String, String)>>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, form) = (id.into_inner(), form.into_inner());
    let created = async {
        let values: Vec<String> = form
            .iter()
            .filter(|(k, _)| k == "permission")
            .map(|(_, v)| v.clone())
            .collect();
        let permissions = super::parse_permissions(&values)?;
        let days = match field(&form, "days").trim() {
            "" => super::TOKEN_DEFAULT_DAYS,
            text => text.parse::<i64>().map_err(|_| {
                AppError::invalid(
                    "expires_in_days",
                    crate::msg!("error-token-days", max = super::TOKEN_MAX_DAYS),
                )
            })?,
        };
        let name = field(&form, "name").to_owned();
        let staff = can.staff.clone();
        state
            .write(Lock::NoScreening, move |tx| {
                super::create_token(tx.by(&staff), festival, &name, &permissions, days, &staff)
            })
            .await
    }
    .await;
    match created {
        Ok((token, secret)) => {
            let shown = Shown {
                name: token.name,
                secret,
                link: false,
            };
            render(&state, &can.staff, festival, csrf.0, Some(shown), None).await
        }
        Err(error) => again(&state, &can.staff, festival, csrf.0, error).await,
    }
}

/// `POST /admin/festivals/{id}/tokens/{token_id}/revoke` (with `confirm`).
async fn revoke_token(
    state: State,
    can: Can<need::Team, scope::Festival>,
    path: aweb::Path<(FestivalId, StaffId)>,
    form: aweb::Form<Revoke>,
) -> Reply {
    let (festival, token) = path.into_inner();
    let back = format!("/admin/festivals/{festival}/team");
    if form.confirm.is_empty() {
        return Ok(crate::web::see_other(&back));
    }
    state
        .write(Lock::NoScreening, move |tx| {
            super::revoke_token(tx.by(&can.staff), festival, token)
        })
        .await?;
    state.credentials.forget(token);
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &back,
        &crate::i18n::t("team-token-revoked"),
    ))
}
