//! Staff web sign-in: the sign-in form, sign-out, and the staff home page.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, web as aweb};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::SESSION_HOURS;
use crate::db::schema::screenings;
use crate::db::{self, AnyConnection, Lock};
use crate::domain::{FestivalId, Permission, Role, ScreeningStatus, StaffId};
use crate::error::AppError;
use crate::staff::StaffMember;
use crate::web::Reply;
use crate::web::auth::{Caller, SESSION_COOKIE};
use crate::web::csrf::CsrfToken;
use crate::web::limits::{Limited, per_client};
use crate::web::links;
use crate::web::{AppState, page, page_with_status, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/signin", aweb::get().to(signin_form))
        .route(
            "/signin",
            aweb::post().to(signin).wrap(per_client(Limited::SignIn)),
        )
        .route("/signout", aweb::post().to(signout))
        .route("/staff", aweb::get().to(home));
}

pub type State = aweb::Data<AppState>;

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    csrf: String,
    token: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct SigninQuery {
    token: Option<String>,
}

/// `GET /signin?token=…`: the sign-in links Marquee prints land here. Signing in takes a click
/// (a POST), so a link alone — opened by a mail scanner, say — signs nobody in.
async fn signin_form(query: aweb::Query<SigninQuery>, csrf: CsrfToken) -> Reply {
    page(&SigninPage {
        csrf: csrf.0,
        token: query.into_inner().token.unwrap_or_default(),
        error: None,
    })
}

#[derive(Deserialize)]
struct SigninForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    csrf: String,
}

fn session_cookie(value: String, secure: bool, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE.get(secure), value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(max_age)
        .finish()
}

async fn signin(state: State, req: HttpRequest, form: aweb::Form<SigninForm>) -> Reply {
    let form = form.into_inner();
    let token = form.token.trim().to_owned();
    // The credential is looked up first (a read): only a good one writes a session.
    let found = db::run(&state.pool, move |conn| {
        super::find_by_credential(conn, &token)
    })
    .await?;
    // An API token is for programs: it opens no web session.
    let Some(member) = found.filter(|m| m.role != Role::Token) else {
        return page_with_status(
            actix_web::http::StatusCode::UNAUTHORIZED,
            &SigninPage {
                csrf: form.csrf,
                token: String::new(),
                error: Some(crate::i18n::t("signin-invalid")),
            },
        );
    };
    // Door staff come to scan: straight to the door chooser. Organisers to their home.
    open_session(
        &state,
        &req,
        member.id,
        member.role == Role::Door,
        "credential",
    )
    .await
}

/// Where and how a request signs in.
fn begun(req: &HttpRequest, method: &'static str) -> super::account::Begun {
    super::account::Begun {
        device: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(200)
            .collect(),
        address: crate::web::limits::client_ip(req)
            .map(|ip| ip.to_string())
            .unwrap_or_default(),
        method,
    }
}

/// Begins a web session for a member: the cookie that carries it.
pub async fn start_session(
    state: &State,
    req: &HttpRequest,
    id: StaffId,
    method: &'static str,
) -> Result<Cookie<'static>, AppError> {
    let begun = begun(req, method);
    let session = state
        .write(Lock::NoScreening, move |tx| {
            super::start_session(tx.conn, id, &begun)
        })
        .await?;
    Ok(session_cookie(
        session,
        state.cookie_secure,
        CookieDuration::hours(SESSION_HOURS),
    ))
}

/// Begins a session and goes to the member's home (door staff: the door chooser).
pub async fn open_session(
    state: &State,
    req: &HttpRequest,
    id: StaffId,
    door: bool,
    method: &'static str,
) -> Reply {
    let cookie = start_session(state, req, id, method).await?;
    let mut response = see_other(links::staff_home(door));
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

async fn signout(state: State, req: HttpRequest) -> Reply {
    if let Some(cookie) = req.cookie(SESSION_COOKIE.get(state.cookie_secure)) {
        let token = cookie.value().to_owned();
        state
            .write(Lock::NoScreening, move |tx| {
                super::end_session(tx.conn, &token)
            })
            .await?;
    }
    let mut response = see_other("/");
    response
        .add_cookie(&session_cookie(
            String::new(),
            state.cookie_secure,
            CookieDuration::ZERO,
        ))
        .map_err(AppError::internal)?;
    Ok(response)
}

struct FestivalLine {
    slug: String,
    /// The festival's pages the member may open: (words, address).
    links: Vec<(String, String)>,
    name: String,
    screenings: i64,
    booked: i64,
    capacity: i64,
    goal: i32,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffHome {
    name: String,
    role: Role,
    /// A person (not a door device) with neither a passkey nor an authenticator app: asked to
    /// add one.
    needs_factor: bool,
    scope: Option<String>,
    festivals: Vec<FestivalLine>,
    csrf: String,
}

/// The pages of a festival a member may open, by what they may do there.
fn festival_links(member: &StaffMember, festival: FestivalId) -> Vec<(String, String)> {
    let may = |p| member.may(p, festival);
    let mut links = Vec::new();
    let mut link = |key: &'static str, href: String| links.push((crate::i18n::t(key), href));
    if may(Permission::Reports) {
        link(
            "admin-link-dashboard",
            format!("/admin/festivals/{festival}"),
        );
    }
    if may(Permission::Programme) {
        link("admin-link-screenings", links::admin_screenings(festival));
    }
    if may(Permission::BoxOffice) {
        link(
            "admin-link-passes",
            format!("/admin/festivals/{festival}/passes"),
        );
    }
    if may(Permission::DoorLead) {
        link(
            "staff-festival-team",
            format!("/admin/festivals/{festival}/team"),
        );
    }
    if may(Permission::Team) {
        link("admin-link-privacy", links::admin_privacy(festival));
        link(
            "staff-festival-audit",
            format!("/admin/festivals/{festival}/audit"),
        );
    }
    links
}

/// The festivals at a glance: every one for an administrator or door staff (their numbers are
/// public), a team member's own.
fn festival_lines(
    conn: &mut AnyConnection,
    member: &StaffMember,
) -> Result<Vec<FestivalLine>, AppError> {
    let festivals = crate::catalogue::queries::list_festivals(conn)?;
    let mut lines = Vec::with_capacity(festivals.len());
    for f in festivals {
        if matches!(member.role, Role::Member | Role::Token)
            && !Permission::ALL.iter().any(|p| member.may(*p, f.id))
        {
            continue;
        }
        let (count, booked, capacity): (i64, Option<i64>, Option<i64>) = screenings::table
            .filter(screenings::festival_id.eq(f.id.to_string()))
            .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
            .select((
                diesel::dsl::count_star(),
                diesel::dsl::sum(screenings::booked),
                diesel::dsl::sum(screenings::capacity),
            ))
            .first(conn)?;
        lines.push(FestivalLine {
            links: festival_links(member, f.id),
            slug: f.slug,
            name: f.name,
            screenings: count,
            booked: booked.unwrap_or(0),
            capacity: capacity.unwrap_or(0),
            goal: f.attendance_goal,
        });
    }
    Ok(lines)
}

/// A festival's name (its id if it is gone).
async fn festival_name(state: &State, id: FestivalId) -> Result<String, AppError> {
    let found = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, id)
    })
    .await?;
    Ok(found.map_or_else(|| id.to_string(), |f| f.name))
}

/// `GET /staff`: who is signed in, and the festivals at a glance (or the sign-in form).
async fn home(state: State, caller: Caller, csrf: CsrfToken) -> Reply {
    let Some(member) = caller.0 else {
        return Ok(see_other("/signin"));
    };
    let venue_id = member.venue_id;
    let reader = member.clone();
    let (festivals, venue, needs_factor) = db::run(&state.pool, move |conn| {
        let venue = match venue_id {
            Some(id) => crate::catalogue::queries::venue(conn, id)?.map(|v| v.name),
            None => None,
        };
        let needs_factor = matches!(reader.role, Role::Organiser | Role::Member) && {
            let account = super::account::account(conn, reader.id)?;
            !account.totp && account.passkeys == 0
        };
        Ok((festival_lines(conn, &reader)?, venue, needs_factor))
    })
    .await?;
    // The festival or venue by its name (by its id if it is gone).
    let scope = match (member.festival_id, member.venue_id) {
        (_, Some(id)) => Some(crate::i18n::t1(
            "staff-scope-venue",
            "venue",
            venue.unwrap_or_else(|| id.to_string()),
        )),
        (Some(id), None) if member.role == Role::Door => Some(crate::i18n::t1(
            "staff-scope-festival",
            "festival",
            festival_name(&state, id).await?,
        )),
        (Some(_), None) => None,
        (None, None) => None,
    };
    page(&StaffHome {
        name: member.name,
        role: member.role,
        needs_factor,
        scope,
        festivals,
        csrf: csrf.0,
    })
}
