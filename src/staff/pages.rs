//! Staff web sign-in: the sign-in form, sign-out, and the staff home page.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, web as aweb};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::SESSION_HOURS;
use crate::db::schema::screenings;
use crate::db::{self, AnyConnection, Lock};
use crate::domain::{Role, ScreeningStatus};
use crate::error::AppError;
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

type State = aweb::Data<AppState>;

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

async fn signin(state: State, form: aweb::Form<SigninForm>) -> Reply {
    let form = form.into_inner();
    let token = form.token.trim().to_owned();
    // The credential is looked up first (a read): only a good one writes a session.
    let found = db::run(&state.pool, move |conn| {
        super::find_by_credential(conn, &token)
    })
    .await?;
    let session = match found {
        Some(member) => Some((
            state
                .write(Lock::NoScreening, move |tx| {
                    super::start_session(tx.conn, member.id)
                })
                .await?,
            member.role,
        )),
        None => None,
    };
    let Some((session, role)) = session else {
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
    let mut response = see_other(links::staff_home(role == Role::Door));
    response
        .add_cookie(&session_cookie(
            session,
            state.cookie_secure,
            CookieDuration::hours(SESSION_HOURS),
        ))
        .map_err(AppError::internal)?;
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
    id: crate::domain::FestivalId,
    slug: String,
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
    scope: Option<String>,
    festivals: Vec<FestivalLine>,
    csrf: String,
}

fn festival_lines(conn: &mut AnyConnection) -> Result<Vec<FestivalLine>, AppError> {
    let festivals = crate::catalogue::queries::list_festivals(conn)?;
    let mut lines = Vec::with_capacity(festivals.len());
    for f in festivals {
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
            id: f.id,
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

/// `GET /staff`: who is signed in, and the festivals at a glance (or the sign-in form).
async fn home(state: State, caller: Caller, csrf: CsrfToken) -> Reply {
    let Some(member) = caller.0 else {
        return Ok(see_other("/signin"));
    };
    let venue_id = member.venue_id;
    let (festivals, venue) = db::run(&state.pool, move |conn| {
        let venue = match venue_id {
            Some(id) => crate::catalogue::queries::venue(conn, id)?.map(|v| v.name),
            None => None,
        };
        Ok((festival_lines(conn)?, venue))
    })
    .await?;
    // The festival or venue by its name (by its id if it is gone).
    let scope = match (member.festival_id, member.venue_id) {
        (_, Some(id)) => Some(crate::i18n::t1(
            "staff-scope-venue",
            "venue",
            venue.unwrap_or_else(|| id.to_string()),
        )),
        (Some(id), None) => Some(crate::i18n::t1(
            "staff-scope-festival",
            "festival",
            festivals
                .iter()
                .find(|f| f.id == id)
                .map_or_else(|| id.to_string(), |f| f.name.clone()),
        )),
        (None, None) => None,
    };
    page(&StaffHome {
        name: member.name,
        role: member.role,
        scope,
        festivals,
        csrf: csrf.0,
    })
}
