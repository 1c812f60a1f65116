//! Which language a request is answered in, and the page chrome that depends on the visitor.
//!
//! Precedence, as `docs/attendees.md` documents it: `?lang=en|fr|vi` (remembered in a `lang` cookie for a
//! year), then the `lang` cookie, then `Accept-Language`, else English. The handler, its database
//! work and its error page all run inside [`crate::i18n::scope`]; the answer says its language
//! in `Content-Language` and varies by the headers that chose it.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web as aweb;

use crate::i18n::{self, Lang};
use crate::web::AppState;
use crate::web::auth::SESSION_COOKIE;

pub const COOKIE: &str = "lang";

/// `?lang=` of a query string, if it names a language Marquee speaks.
fn from_query(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse)
}

/// Middleware: decides the language and runs the rest of the request in it.
pub async fn negotiate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let chosen = from_query(req.query_string());
    let remembered = req.cookie(COOKIE).and_then(|c| Lang::parse(c.value()));
    let accepted = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let lang = chosen.or(remembered).or(accepted).unwrap_or_default();
    let secure = req
        .app_data::<aweb::Data<AppState>>()
        .is_some_and(|s| s.cookie_secure);
    // A page for someone with a staff session shows the links their role may follow (the API
    // and the static files need no navigation: their requests, a door's scans among them, skip
    // this look-up).
    let renders_chrome = !["/api/", "/static/", "/favicon", "/door/sw.js"]
        .iter()
        .any(|prefix| req.path().starts_with(prefix));
    let role = if renders_chrome && req.cookie(SESSION_COOKIE.get(secure)).is_some() {
        crate::web::auth::staff_of(req.request())
            .await
            .ok()
            .flatten()
            .map(|staff| staff.role)
    } else {
        None
    };

    // A notice left by the form that led here: shown on this page, then gone.
    let notice = renders_chrome
        .then(|| super::notice::read(req.request()))
        .flatten();
    let shown_notice = notice.is_some();
    let chrome = super::chrome::Chrome { role, notice };

    // Everything the inner services do, from routing to the error page, happens in the scope.
    let inner = async move { next.call(req).await };
    let mut res = i18n::scope(lang, super::chrome::scope(chrome, inner)).await?;
    if shown_notice {
        super::notice::forget(&mut res, secure);
    }

    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    if let Some(lang) = chosen.filter(|lang| Some(*lang) != remembered) {
        let cookie = Cookie::build(COOKIE, lang.code())
            .path("/")
            .max_age(Duration::days(365))
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        // A two-letter value is always a valid header.
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_names_the_language() {
        assert_eq!(from_query("lang=fr"), Some(Lang::Fr));
        assert_eq!(from_query("day=2025-12-12&lang=vi"), Some(Lang::Vi));
        assert_eq!(from_query("lang=de"), None);
        assert_eq!(from_query("slang=fr"), None);
        assert_eq!(from_query(""), None);
    }
}
