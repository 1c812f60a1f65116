//! Who is calling: staff are recognised by `Authorization: Bearer <credential>` (API clients,
//! door devices) or by the `marquee_session` cookie set at web sign-in. Attendees are not signed
//! in: a booking's manage token proves they hold it (see `booking`).
//!
//! Handlers state what they need in their signature: [`Organiser`], [`SignedIn`] (any staff) or
//! [`Caller`] (anyone, maybe staff). Role checks therefore cannot be forgotten inside a handler.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web as aweb};
use futures_util::future::LocalBoxFuture;

use crate::db::credentials::{self, StaffMember};
use crate::domain::Role;
use crate::error::AppError;
use crate::web::AppState;

pub const SESSION_COOKIE: super::CookieName = super::CookieName {
    plain: "marquee_session",
    host_only: "__Host-marquee_session",
};

/// The bearer token of a request, if it has one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn session_token(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE.of(req))
        .map(|c| c.value().to_owned())
}

/// Resolves the staff member behind a request's bearer token or session cookie.
pub async fn staff_of(req: &HttpRequest) -> Result<Option<StaffMember>, AppError> {
    let bearer = bearer_token(req);
    let session = session_token(req);
    if bearer.is_none() && session.is_none() {
        return Ok(None);
    }
    let state = req
        .app_data::<aweb::Data<AppState>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("application state missing")))?;
    // A door scanning many codes a second is found without the database.
    if let Some(staff) = bearer
        .as_deref()
        .and_then(|t| state.credentials.remembered(t))
    {
        return Ok(Some(staff));
    }
    let credentials = state.credentials.clone();
    crate::db::run(&state.pool, move |conn| {
        if let Some(token) = bearer
            && let Some(staff) = credentials.find(conn, &token)?
        {
            return Ok(Some(staff));
        }
        match session {
            Some(token) => {
                credentials::find_by_session(conn, &token, chrono::Utc::now().naive_utc())
            }
            None => Ok(None),
        }
    })
    .await
}

/// `sign_in`: what the caller should sign in as, for one who sent no credential.
fn unauthorized(req: &HttpRequest, sign_in: crate::i18n::Msg) -> AppError {
    if bearer_token(req).is_some() {
        AppError::Unauthorized(crate::msg!("error-credential-revoked"))
    } else {
        AppError::Unauthorized(sign_in)
    }
}

/// Anyone; `Some` when the caller is signed-in staff.
pub struct Caller(pub Option<StaffMember>);

impl Caller {
    pub fn is_organiser(&self) -> bool {
        self.0.as_ref().is_some_and(|s| s.role == Role::Organiser)
    }
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Caller, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { staff_of(&req).await.map(Caller) })
    }
}

/// Any signed-in staff member (organiser or door staff).
pub struct SignedIn(pub StaffMember);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<SignedIn, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match staff_of(&req).await? {
                Some(staff) => Ok(SignedIn(staff)),
                None => Err(unauthorized(&req, crate::msg!("error-sign-in-staff"))),
            }
        })
    }
}

/// A signed-in organiser; door staff are refused with 403.
pub struct Organiser(pub StaffMember);

impl FromRequest for Organiser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Organiser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match staff_of(&req).await? {
                Some(staff) if staff.role == Role::Organiser => Ok(Organiser(staff)),
                Some(_) => Err(AppError::Forbidden(crate::msg!("error-organisers-only"))),
                None => Err(unauthorized(&req, crate::msg!("error-sign-in-organiser"))),
            }
        })
    }
}
