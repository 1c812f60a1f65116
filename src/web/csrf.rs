//! CSRF protection for HTML forms: the double-submit cookie pattern.
//!
//! Every page visitor gets a random `marquee_csrf` cookie (HttpOnly, SameSite=Strict); every form
//! carries the same value in a hidden `csrf` field, and every form handler calls [`verify`]. A page
//! on another site can make a browser post a form, but it can neither read the cookie nor set it,
//! so it cannot supply the matching field. JSON API calls are not forms: they need a bearer token
//! or a JSON content type, which a cross-site form cannot send.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web as aweb};

use crate::domain::secret;
use crate::error::AppError;
use crate::web::AppState;

pub const COOKIE: &str = "marquee_csrf";

/// The CSRF token of this visitor, to put in a form's hidden `csrf` field.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn cookie_token(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| secret::looks_like_token(t))
}

/// Middleware: gives a CSRF cookie to every page visitor who has none.
pub async fn ensure_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let needs_cookie = !req.path().starts_with("/api/") && cookie_token(req.request()).is_none();
    let new_token = needs_cookie.then(secret::new_token);
    if let Some(token) = &new_token {
        req.extensions_mut().insert(CsrfToken(token.clone()));
    }
    let secure = req
        .app_data::<aweb::Data<AppState>>()
        .is_some_and(|s| s.cookie_secure);
    let mut res = next.call(req).await?;
    if let Some(token) = new_token {
        let cookie = Cookie::build(COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .finish();
        // Adding a cookie only fails for an invalid header value; a base64url token is valid.
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}

impl FromRequest for CsrfToken {
    type Error = AppError;
    type Future = Ready<Result<CsrfToken, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = cookie_token(req)
            .map(CsrfToken)
            .or_else(|| req.extensions().get::<CsrfToken>().cloned());
        ready(token.ok_or_else(|| AppError::Forbidden(crate::msg!("error-cookies-needed"))))
    }
}

/// Checks a submitted form's `csrf` field against the visitor's cookie.
pub fn verify(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    match cookie_token(req) {
        Some(expected) if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
        _ => Err(AppError::Forbidden(crate::msg!("error-form-expired"))),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
