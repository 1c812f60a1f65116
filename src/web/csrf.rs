//! CSRF protection for HTML forms: the double-submit cookie pattern.
//!
//! Every page visitor gets a random `marquee_csrf` cookie (HttpOnly, SameSite=Strict); every form
//! carries the same value in a hidden `csrf` field. The [`check_forms`] middleware stands before
//! every handler: an unsafe request (POST, PUT, PATCH, DELETE) to anything outside `/api/` must be
//! a URL-encoded form whose `csrf` field matches the cookie, or it is refused (403) before any
//! handler runs — so a new form route is protected without anyone remembering to. A page on
//! another site can make a browser post a form, but it can neither read the cookie nor set it, so
//! it cannot supply the matching field. JSON API calls are not forms: they need a bearer token or
//! a JSON content type, which a cross-site form cannot send.
//!
//! A second lock stands before the token: a form posted from a page of another site, as the
//! browser reports it (`Sec-Fetch-Site`, `Origin`), is refused whatever it carries. On an HTTPS
//! origin the cookie is named `__Host-marquee_csrf`, which no sibling domain can set.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web as aweb};
use futures_util::StreamExt;

use crate::domain::secret;
use crate::error::AppError;
use crate::web::AppState;

pub const COOKIE: super::CookieName = super::CookieName {
    plain: "marquee_csrf",
    host_only: "__Host-marquee_csrf",
};

/// The CSRF token of this visitor, to put in a form's hidden `csrf` field.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn cookie_token(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE.of(req))
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
        let cookie = Cookie::build(COOKIE.get(secure), token)
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

/// Middleware: refuses an unsafe request to a page unless it is a form carrying the visitor's
/// token; the form's body is read here (within the form size limit) and handed on unchanged.
pub async fn check_forms(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.path().starts_with("/api/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    if !from_this_site(&req) {
        let error: actix_web::Error =
            AppError::Forbidden(crate::msg!("error-cross-site-form")).into();
        return Ok(req.error_response(error).map_into_right_body());
    }
    let checked = match read_form(&mut req).await {
        Ok(body) => {
            let verdict = verify(req.request(), &submitted_token(&body));
            req.set_payload(Payload::from(body));
            verdict
        }
        Err(error) => Err(error),
    };
    if let Err(error) = checked {
        // An answer, not an `Err`: it then passes through the error-page middleware.
        let error: actix_web::Error = error.into();
        return Ok(req.error_response(error).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Whether an unsafe request comes from one of this site's own pages, as far as the browser says:
/// `Sec-Fetch-Site` must be `same-origin` (or `none`: typed by the user), and `Origin`, when
/// sent and not `null`, must name this site — the `Host` the request was sent to, or `MARQUEE_PUBLIC_URL`. A
/// client that sends neither (an old browser, a script) still needs the CSRF token: this is a
/// second lock, not the only one.
fn from_this_site(req: &ServiceRequest) -> bool {
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header(header::HeaderName::from_static("sec-fetch-site"))
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    let Some(origin) = header(header::ORIGIN) else {
        return true;
    };
    if origin == "null" {
        // Sent for a page whose referrer policy is `no-referrer` (Marquee's own) as much as for a
        // sandboxed frame: it says nothing, and a browser that sends it also says
        // `Sec-Fetch-Site` (checked above).
        return true;
    }
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = header(header::HOST).or_else(|| {
        req.uri()
            .authority()
            .map(actix_web::http::uri::Authority::as_str)
    });
    let public = req.app_data::<aweb::Data<AppState>>().and_then(|state| {
        state
            .public_url
            .split_once("://")
            .map(|(_, a)| a.to_owned())
    });
    host.is_some_and(|host| host.eq_ignore_ascii_case(authority))
        || public.is_some_and(|public| public.eq_ignore_ascii_case(authority))
}

/// The body of a URL-encoded form, at most the form size limit.
async fn read_form(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err(AppError::Forbidden(crate::msg!("error-form-expired")));
    }
    let max = super::MAX_FORM_BYTES;
    let too_large = || AppError::PayloadTooLarge(crate::msg!("error-form-too-large", bytes = max));
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::BadRequest(crate::msg!("error-form-unreadable", detail = e.to_string()))
        })?;
        if body.len() + chunk.len() > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The form's `csrf` field (empty when it has none or is not a form).
fn submitted_token(body: &[u8]) -> String {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .and_then(|fields| fields.into_iter().find(|(name, _)| name == "csrf"))
        .map(|(_, value)| value)
        .unwrap_or_default()
}

/// Checks a submitted form's `csrf` field against the visitor's cookie.
fn verify(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    match cookie_token(req) {
        Some(expected) if secret::same(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
        _ => Err(AppError::Forbidden(crate::msg!("error-form-expired"))),
    }
}
