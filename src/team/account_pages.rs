//! A team member's account, in the browser: the mailed sign-in link (and the authenticator
//! app's code after it, for a member who set one up), the invitation's welcome page (where the
//! app is set up and the recovery codes shown once), and `/account`: the address, the app, the
//! recovery codes and every session, each of which can be ended.

use actix_web::{HttpRequest, web as aweb};
use askama::Template;
use serde::Deserialize;

use crate::db::{self, Lock};
use crate::domain::StaffId;
use crate::error::AppError;
use crate::staff::account::{self, Code, Purpose};
use crate::staff::pages::{open_session, start_session};
use crate::web::auth::{SESSION_COOKIE, SignedIn};
use crate::web::csrf::CsrfToken;
use crate::web::limits::{Limited, per_client};
use crate::web::{AppState, Reply, page, page_with_status, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/signin/email",
        aweb::post().to(mail_link).wrap(per_client(Limited::SignIn)),
    )
    .route("/signin/link/{token}", aweb::get().to(link_page))
    .route(
        "/signin/link/{token}",
        aweb::post().to(use_link).wrap(per_client(Limited::SignIn)),
    )
    .route("/account/welcome/{token}", aweb::get().to(welcome_page))
    .route(
        "/account/welcome/{token}",
        aweb::post().to(welcome).wrap(per_client(Limited::SignIn)),
    )
    .route("/account", aweb::get().to(account_page))
    .route("/account/email", aweb::post().to(set_email))
    .route("/account/totp", aweb::post().to(set_totp))
    .route("/account/recovery-codes", aweb::post().to(recovery_codes))
    .route("/account/sessions/{id}/end", aweb::post().to(end_session))
    .route("/account/sessions/end-others", aweb::post().to(end_others));
}

type State = aweb::Data<AppState>;

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

// ---------------------------------------------------------------------------------------------
// The mailed sign-in link

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "account_link_sent.html")]
struct LinkSent;

/// `POST /signin/email`: mails a sign-in link to a team member's address. The same answer
/// whatever the address (it says nothing of who is on a team); at most
/// [`account::SIGN_IN_MAILS_PER_HOUR`] an hour to one account.
async fn mail_link(state: State, form: aweb::Form<EmailForm>) -> Reply {
    let email = form.into_inner().email;
    crate::domain::Email::parse(&email)?;
    state
        .write(Lock::NoScreening, move |tx| {
            let Some(id) = account::by_email(tx.conn, &email)? else {
                return Ok(());
            };
            db::outbox::enqueue_for_staff(
                tx.conn,
                db::outbox::Kind::StaffSignIn,
                id,
                &account::email_key(&email),
                tx.lang.code(),
                now(),
                account::SIGN_IN_MAILS_PER_HOUR,
            )?;
            Ok(())
        })
        .await?;
    state.outbox.wake();
    page(&LinkSent)
}

#[derive(Template)]
#[template(path = "account_link.html")]
struct LinkPage {
    csrf: String,
    token: String,
    /// The member gives their app's code (or a recovery code) after the link.
    code: bool,
    error: Option<String>,
}

/// The link's member, and whether they must give a code; a 404 page for a link used or gone.
async fn link_member(state: &State, token: &str) -> Result<(StaffId, bool), AppError> {
    let token = token.to_owned();
    db::run(&state.pool, move |conn| {
        let id = account::link_holder(conn, &token, Purpose::SignIn, now())?
            .ok_or_else(|| AppError::NotFound(crate::msg!("error-account-link")))?;
        Ok((id, account::account(conn, id)?.totp))
    })
    .await
}

/// `GET /signin/link/{token}`: a button, so that a mail scanner opening the link signs nobody
/// in; with the code field for a member who set up an app.
async fn link_page(state: State, token: aweb::Path<String>, csrf: CsrfToken) -> Reply {
    let token = token.into_inner();
    let (_, code) = link_member(&state, &token).await?;
    page(&LinkPage {
        csrf: csrf.0,
        token,
        code,
        error: None,
    })
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /signin/link/{token}`: signs in — after the app's code (or a recovery code) for a
/// member who set one up. A wrong code leaves the link as it was; a code works once.
async fn use_link(
    state: State,
    req: HttpRequest,
    token: aweb::Path<String>,
    form: aweb::Form<CodeForm>,
) -> Reply {
    let (token, form) = (token.into_inner(), form.into_inner());
    let (id, needs_code) = link_member(&state, &token).await?;
    let code = form.code.clone();
    let used = state
        .write(Lock::NoScreening, move |tx| {
            if needs_code {
                match account::check_code(tx.conn, id, &code, now())? {
                    Code::Accepted => {}
                    refused => return Ok(Err(refused)),
                }
            }
            if !account::use_link(tx.conn, &token, now())? {
                return Err(AppError::NotFound(crate::msg!("error-account-link")));
            }
            Ok(Ok(()))
        })
        .await?;
    if let Err(refused) = used {
        return page_with_status(
            actix_web::http::StatusCode::UNAUTHORIZED,
            &LinkPage {
                csrf: form.csrf,
                token: token_of(&req),
                code: true,
                error: Some(refusal(refused)),
            },
        );
    }
    let method = if needs_code { "link+code" } else { "link" };
    open_session(&state, &req, id, false, method).await
}

fn token_of(req: &HttpRequest) -> String {
    req.match_info().get("token").unwrap_or("").to_owned()
}

/// Why a code was refused, in words.
fn refusal(code: Code) -> String {
    crate::i18n::t(match code {
        Code::Replayed => "account-code-used",
        Code::TooMany => "account-code-too-many",
        Code::Accepted | Code::Wrong => "account-code-wrong",
    })
}

// ---------------------------------------------------------------------------------------------
// The invitation

#[derive(Template)]
#[template(path = "account_welcome.html")]
struct WelcomePage {
    csrf: String,
    token: String,
    name: String,
    secret: String,
    uri: String,
    qr: String,
    error: Option<String>,
}

async fn welcome_with(
    state: &State,
    token: String,
    csrf: String,
    secret: Option<String>,
    error: Option<String>,
) -> Reply {
    let lookup = token.clone();
    let name = db::run(&state.pool, move |conn| {
        let id = account::link_holder(conn, &lookup, Purpose::Invitation, now())?
            .ok_or_else(|| AppError::NotFound(crate::msg!("error-account-link")))?;
        Ok(account::account(conn, id)?.name)
    })
    .await?;
    let secret = secret.unwrap_or_else(account::new_totp_secret);
    let uri = account::totp_uri(&secret, &name)?;
    let qr = crate::tickets::qr::svg(&uri)?;
    let status = crate::web::problem::form_status(error.is_some());
    page_with_status(
        status,
        &WelcomePage {
            csrf,
            token,
            name,
            secret,
            uri,
            qr,
            error,
        },
    )
}

/// `GET /account/welcome/{token}`: the invitation's page: the authenticator app to set up.
async fn welcome_page(state: State, token: aweb::Path<String>, csrf: CsrfToken) -> Reply {
    welcome_with(&state, token.into_inner(), csrf.0, None, None).await
}

#[derive(Deserialize)]
struct TotpForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "account_codes.html")]
struct CodesPage {
    codes: Vec<String>,
}

/// `POST /account/welcome/{token}`: the app's first code sets it up; the invitation is used, a
/// session begins, and the recovery codes are shown once.
async fn welcome(
    state: State,
    req: HttpRequest,
    token: aweb::Path<String>,
    form: aweb::Form<TotpForm>,
    csrf: CsrfToken,
) -> Reply {
    let (token, form) = (token.into_inner(), form.into_inner());
    let lookup = token.clone();
    let id = db::run(&state.pool, move |conn| {
        account::link_holder(conn, &lookup, Purpose::Invitation, now())?
            .ok_or_else(|| AppError::NotFound(crate::msg!("error-account-link")))
    })
    .await?;
    let (secret, code, used) = (form.secret.clone(), form.code.clone(), token.clone());
    let codes = state
        .write(Lock::NoScreening, move |tx| {
            if !account::enable_totp(tx.conn, id, &secret, &code, now())? {
                return Ok(None);
            }
            if !account::use_link(tx.conn, &used, now())? {
                return Err(AppError::NotFound(crate::msg!("error-account-link")));
            }
            Ok(Some(account::new_recovery_codes(tx.conn, id, now())?))
        })
        .await?;
    let Some(codes) = codes else {
        let error = Some(crate::i18n::t("account-code-wrong"));
        return welcome_with(&state, token, csrf.0, Some(form.secret), error).await;
    };
    // The session begins on the page that shows the codes (once).
    let cookie = start_session(&state, &req, id, "invitation").await?;
    let mut response = page(&CodesPage { codes })?;
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// The account page

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    csrf: String,
    account: account::Account,
    passkeys: Vec<crate::staff::passkeys::Listed>,
    sessions: Vec<account::Session>,
    /// A new app's secret, ready to be set up.
    secret: String,
    qr: String,
    error: Option<String>,
    zone: chrono_tz::Tz,
}

impl AccountPage {
    fn when(&self, at: &chrono::NaiveDateTime) -> String {
        crate::domain::format::when(*at, self.zone)
    }
}

fn session_token(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE.of(req))
        .map(|c| c.value().to_owned())
}

async fn account_with(
    state: &State,
    req: &HttpRequest,
    id: StaffId,
    csrf: String,
    error: Option<String>,
) -> Reply {
    let current = session_token(req);
    let (account, passkeys, sessions) = db::run(&state.pool, move |conn| {
        Ok((
            account::account(conn, id)?,
            crate::staff::passkeys::listed(conn, id)?,
            account::sessions_of(conn, id, current.as_deref(), now())?,
        ))
    })
    .await?;
    let secret = account::new_totp_secret();
    let qr = crate::tickets::qr::svg(&account::totp_uri(&secret, &account.name)?)?;
    let status = crate::web::problem::form_status(error.is_some());
    page_with_status(
        status,
        &AccountPage {
            csrf,
            account,
            passkeys,
            sessions,
            secret,
            qr,
            error,
            zone: chrono_tz::UTC,
        },
    )
}

/// `GET /account`.
async fn account_page(
    state: State,
    req: HttpRequest,
    SignedIn(me): SignedIn,
    csrf: CsrfToken,
) -> Reply {
    account::a_person(&me)?;
    account_with(&state, &req, me.id, csrf.0, None).await
}

/// `POST /account/email`.
async fn set_email(
    state: State,
    req: HttpRequest,
    SignedIn(me): SignedIn,
    form: aweb::Form<EmailForm>,
    csrf: CsrfToken,
) -> Reply {
    account::a_person(&me)?;
    let email = form.into_inner().email;
    let id = me.id;
    let staff = me.clone();
    let set = state
        .write(Lock::NoScreening, move |tx| {
            account::set_email(tx.conn, id, &email)?;
            let change = db::audit::Change::new(None, "account.email", format!("staff:{id}"));
            db::audit::record(tx.by(&staff), change)
        })
        .await;
    match set {
        Ok(()) => Ok(see_other("/account")),
        Err(error) => {
            let problem = crate::web::problem::Problem::shown_or(error)?;
            account_with(&state, &req, id, csrf.0, Some(problem.message)).await
        }
    }
}

/// `POST /account/totp`: sets up (or replaces) the authenticator app.
async fn set_totp(
    state: State,
    req: HttpRequest,
    SignedIn(me): SignedIn,
    form: aweb::Form<TotpForm>,
    csrf: CsrfToken,
) -> Reply {
    account::a_person(&me)?;
    let form = form.into_inner();
    let id = me.id;
    let enabled = state
        .write(Lock::NoScreening, move |tx| {
            account::enable_totp(tx.conn, id, &form.secret, &form.code, now())
        })
        .await?;
    if !enabled {
        let error = Some(crate::i18n::t("account-code-wrong"));
        return account_with(&state, &req, id, csrf.0, error).await;
    }
    Ok(see_other("/account"))
}

/// `POST /account/recovery-codes`: new recovery codes (the earlier ones stop working), shown
/// once.
async fn recovery_codes(state: State, SignedIn(me): SignedIn) -> Reply {
    account::a_person(&me)?;
    let id = me.id;
    let codes = state
        .write(Lock::NoScreening, move |tx| {
            account::new_recovery_codes(tx.conn, id, now())
        })
        .await?;
    page(&CodesPage { codes })
}

/// `POST /account/sessions/{id}/end`.
async fn end_session(state: State, SignedIn(me): SignedIn, id: aweb::Path<String>) -> Reply {
    account::a_person(&me)?;
    let (staff, session) = (me.id, id.into_inner());
    state
        .write(Lock::NoScreening, move |tx| {
            account::end_session_by_id(tx.conn, staff, &session)
        })
        .await?;
    Ok(see_other("/account"))
}

/// `POST /account/sessions/end-others`: every session but this one.
async fn end_others(state: State, req: HttpRequest, SignedIn(me): SignedIn) -> Reply {
    account::a_person(&me)?;
    let (staff, keep) = (me.id, session_token(&req));
    state
        .write(Lock::NoScreening, move |tx| {
            account::end_other_sessions(tx.conn, staff, keep.as_deref())
        })
        .await?;
    Ok(see_other("/account"))
}
