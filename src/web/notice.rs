//! What a form did, said on the page it leads to: "Screening added: Song Lang, Tuesday 8 December
//! at 22:00". The form's answer is a redirect (so a reload does not post again); the sentence rides
//! along in a short-lived cookie, read once by the next page (see [`super::lang`]) and removed.
//! It holds only the sentence, already in the reader's language; the page escapes it like any text.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::ServiceResponse;
use actix_web::{HttpRequest, HttpResponse};
use data_encoding::BASE64URL_NOPAD;

const COOKIE: super::CookieName = super::CookieName {
    plain: "marquee_notice",
    host_only: "__Host-marquee_notice",
};

/// A redirect to `location` that says `notice` there (`secure`: the instance's cookies are).
pub fn see_other(secure: bool, location: &str, notice: &str) -> HttpResponse {
    let mut response = super::see_other(location);
    let cookie = Cookie::build(
        COOKIE.get(secure),
        BASE64URL_NOPAD.encode(notice.as_bytes()),
    )
    .path("/")
    .http_only(true)
    .secure(secure)
    .same_site(SameSite::Strict)
    .max_age(Duration::minutes(1))
    .finish();
    // A base64url value is always a valid header.
    let _ = response.add_cookie(&cookie);
    response
}

/// The notice this request carries, if any.
pub(super) fn read(req: &HttpRequest) -> Option<String> {
    let cookie = req.cookie(COOKIE.of(req))?;
    let bytes = BASE64URL_NOPAD.decode(cookie.value().as_bytes()).ok()?;
    String::from_utf8(bytes)
        .ok()
        .filter(|text| text.chars().count() <= 300)
}

/// Removes the notice once a page has shown it (a redirect shows nothing: the page it leads to
/// will, and it may carry a new notice of its own).
pub(super) fn forget<B>(res: &mut ServiceResponse<B>, secure: bool) {
    if res.status().is_redirection() {
        return;
    }
    let mut cookie = Cookie::build(COOKIE.get(secure), "")
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    cookie.make_removal();
    let _ = res.response_mut().add_cookie(&cookie);
}
