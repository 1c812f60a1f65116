//! What every page and API route shares: application state, extractor limits and error mapping,
//! HTML error pages, security headers, CSRF, sign-in extractors, static assets, time formatting.

pub mod assets;
pub mod auth;
pub mod chrome;
pub mod csrf;
pub mod guard;
pub mod health;
pub mod idempotency;
pub mod json;
pub mod lang;
pub mod limits;
pub mod links;
pub mod live;
pub mod memory;
pub mod metrics;
pub mod notice;
pub mod problem;
pub mod show;

use std::sync::Arc;

use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse, web as aweb};
use askama::Template;

use crate::db::DbPool;
use crate::db::tx::Changed;
use crate::db::{Lock, Tx};
use crate::error::AppError;

/// Shared by every worker.
pub struct AppState {
    pub pool: DbPool,
    /// The group-commit writer for bookings and scans; `None` with `MARQUEE_GROUP_COMMIT=off`.
    pub writer: Option<crate::db::writer::Writer>,
    /// Wakes this instance's mail sender after a write queued a message.
    pub outbox: crate::db::outbox::Waker,
    /// Mail goes to files (no `MARQUEE_SMTP_URL`): organisers can open each message.
    pub mail_to_files: bool,
    /// Base of the links Marquee prints and shows, without a trailing slash.
    pub public_url: String,
    /// Whether the public URL was set (`MARQUEE_PUBLIC_URL`), not taken from the address listened
    /// on: passkeys then belong to its origin, else to the one a page was loaded from.
    pub public_url_set: bool,
    /// Whose forwarding headers are believed ([`limits::client_ip`]).
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
    pub cookie_secure: bool,
    /// Set on SIGTERM: `/readyz` then answers 503 so that load balancers send no new requests.
    pub stopping: Arc<std::sync::atomic::AtomicBool>,
    /// Tells live streams that counters changed.
    pub hub: live::Hub,
    /// Per-address rate limits; `None` when switched off (`MARQUEE_RATE_LIMITS=off`).
    pub rate_limits: Option<Arc<limits::RateLimits>>,
    /// This instance's Prometheus metrics.
    pub metrics: metrics::Metrics,
    /// When set, `/metrics` needs this bearer token.
    pub metrics_token: Option<crate::config::Secret>,
    /// Bearer credentials recently found (a revocation must forget its member's).
    pub credentials: Arc<crate::db::credentials::CredentialCache>,
    /// What every request is held to before a feature sees it (see [`guard`]).
    pub guard: guard::GuardSettings,
    /// What this instance remembers between requests (see [`memory`]).
    pub memory: Arc<memory::Memory>,
}

impl AppState {
    /// Runs a write: the one way every request writes. In the writer's next batch, or in a
    /// transaction of its own when group commit is off. Either way it answers after the commit,
    /// and a write that loses to contention (deadlock, serialization failure, lost connection)
    /// is run again — so `work` may run more than once.
    ///
    /// `lock` is the screening whose row the write locks first (see
    /// [`crate::db::lock_screenings`]); the write is made in the request's language.
    pub async fn write<T, F>(&self, lock: Lock, work: F) -> Result<T, AppError>
    where
        F: Fn(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let lang = crate::i18n::current();
        let written = match &self.writer {
            Some(writer) => writer.write(lock, lang, work).await,
            None => {
                let pool = self.pool.clone();
                blocking(move || crate::db::tx::write(&pool, lang, work)).await
            }
        };
        self.committed(written, true)
    }

    /// After a write: this instance's memory forgets what it changed, and — when the write may
    /// have queued mail in its transaction — the sender may take it now (it would find it on its
    /// next look anyway).
    fn committed<T>(
        &self,
        written: Result<(T, Changed), AppError>,
        may_queue_mail: bool,
    ) -> Result<T, AppError> {
        let (value, changed) = written?;
        self.memory.forget(&changed);
        if may_queue_mail {
            self.outbox.wake();
        }
        Ok(value)
    }

    /// Records in the audit trail that `staff` read personal data (a search, an export, a
    /// person's booking): written before the data is answered, so no such read goes unrecorded.
    pub async fn audit_read(
        &self,
        staff: &crate::db::credentials::StaffMember,
        change: crate::db::audit::Change,
    ) -> Result<(), AppError> {
        use diesel::prelude::*;
        let staff = staff.clone();
        self.write(Lock::NoScreening, move |tx| {
            // A festival that does not exist has nothing to read (the handler answers 404).
            if let Some(festival) = change.festival {
                let exists: i64 = crate::db::schema::festivals::table
                    .find(festival.to_string())
                    .count()
                    .get_result(tx.conn)?;
                if exists == 0 {
                    return Ok(());
                }
            }
            crate::db::audit::record(tx.by(&staff), change.clone())
        })
        .await
    }

    /// Like [`AppState::write`], for a write that runs grouped with others of its kind
    /// ([`crate::db::writer::SetWrite`]).
    pub async fn write_set<W: crate::db::writer::SetWrite>(
        &self,
        item: W,
    ) -> Result<W::Output, AppError> {
        let written = match &self.writer {
            Some(writer) => writer.write_set(item).await,
            None => {
                let pool = self.pool.clone();
                blocking(move || {
                    crate::db::tx::write(&pool, item.lang(), |tx| {
                        crate::db::writer::run_alone(tx, &item)
                    })
                })
                .await
            }
        };
        self.committed(written, W::QUEUES_MAIL)
    }
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    actix_web::web::block(work)
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("database task failed: {e}")))?
}

/// The largest request body accepted (JSON, forms, anything else) unless a route says otherwise.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The name of a cookie Marquee sets. On an HTTPS origin (`MARQUEE_COOKIE_SECURE`) it carries
/// the `__Host-` prefix: the browser then accepts it only if it is `Secure`, for the path `/` and
/// without a `Domain`, so no other site on a sibling domain (and no plain-HTTP page) can plant
/// or overwrite it. Browsers refuse `Secure` cookies from plain HTTP, so the prefix is kept for
/// HTTPS.
#[derive(Debug, Clone, Copy)]
pub struct CookieName {
    pub plain: &'static str,
    pub host_only: &'static str,
}

impl CookieName {
    /// The name to set and read, given whether cookies are `Secure` on this instance.
    pub fn get(self, secure: bool) -> &'static str {
        if secure { self.host_only } else { self.plain }
    }

    /// The name to read and set for this request's instance.
    pub fn of(self, req: &HttpRequest) -> &'static str {
        self.get(cookies_secure(req))
    }
}

/// Whether this instance's cookies are `Secure` (served over HTTPS).
pub fn cookies_secure(req: &HttpRequest) -> bool {
    req.app_data::<aweb::Data<AppState>>()
        .is_some_and(|s| s.cookie_secure)
}

/// A route's own body limit, beside its `PayloadConfig` (which does not tell its limit), so that
/// the "too large" answer states the limit that applies.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);
pub const MAX_FORM_BYTES: usize = 16 * 1024;

pub fn form_config() -> aweb::FormConfig {
    aweb::FormConfig::default()
        .limit(MAX_FORM_BYTES)
        .error_handler(|error, _| {
            use actix_web::error::UrlencodedError;
            match &error {
                UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge(crate::msg!(
                    "error-form-too-large",
                    bytes = MAX_FORM_BYTES
                )),
                other => AppError::BadRequest(crate::msg!(
                    "error-form-unreadable",
                    detail = other.to_string()
                )),
            }
            .into()
        })
}

pub fn path_config() -> aweb::PathConfig {
    aweb::PathConfig::default().error_handler(|error, _| {
        AppError::NotFound(crate::msg!("error-bad-path", detail = error.to_string())).into()
    })
}

pub fn query_config() -> aweb::QueryConfig {
    aweb::QueryConfig::default().error_handler(|error, _| {
        AppError::BadRequest(crate::msg!("error-bad-query", detail = error.to_string())).into()
    })
}

/// Headers on every response: no framing, no MIME sniffing, no referrer (manage links carry a
/// token), a content security policy that allows no inline script and nothing from elsewhere, and
/// no caching unless the response says otherwise — pages carry forms with the visitor's CSRF
/// token, manage and waiting-list links, people's names and addresses; the few responses that may
/// be kept (static assets, ticket images for their holder, the door's bundle) set their own
/// `Cache-Control`.
/// `hsts`: the site is served over HTTPS (by Marquee or a proxy): browsers are told to use
/// HTTPS only, for a year (not the subdomains, which a festival's organisation may serve
/// otherwise).
pub fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = if hsts {
        DefaultHeaders::new().add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((header::CACHE_CONTROL, "no-store"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
}

/// Leaves answers under 1 KiB (a scan's, an error's) uncompressed, by saying so before
/// [`actix_web::middleware::Compress`] looks: compressing them costs more time than it saves.
pub async fn compress_large_only(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::body::BodySize;
    let mut res = next.call(req).await?;
    if matches!(res.response().body().size(), BodySize::Sized(n) if n < 1024) {
        res.headers_mut().insert(
            header::CONTENT_ENCODING,
            header::HeaderValue::from_static("identity"),
        );
    }
    Ok(res)
}

/// The answer for any route that does not exist.
pub async fn not_found(req: HttpRequest) -> Reply {
    Err(AppError::NotFound(crate::msg!(
        "error-no-route",
        method = req.method().to_string(),
        path = req.path()
    )))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: String,
    message: String,
}

/// Outside `/api`, an error becomes a friendly HTML page with the same status and message.
pub fn render_error_pages<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        let is_api = res.request().path().starts_with("/api/");
        let message = res
            .response()
            .error()
            .map(|e| match e.as_error::<AppError>() {
                Some(app_error) => app_error.public_message(),
                None => e.to_string(),
            });
        let Some(message) = message.filter(|_| !is_api) else {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        };
        let status = res.status();
        let page = ErrorPage {
            status: status.as_u16(),
            title: crate::i18n::t(match status.as_u16() {
                400 => "http-400",
                401 => "http-401",
                403 => "http-403",
                404 => "http-404",
                409 => "http-409",
                408 => "http-408",
                413 => "http-413",
                422 => "http-422",
                429 => "http-429",
                405 => "http-405",
                503 => "http-503",
                _ => "http-error",
            }),
            message,
        };
        let html = page
            .render()
            .unwrap_or_else(|_| "<h1>Something went wrong</h1>".to_owned());
        let (req, old) = res.into_parts();
        let mut response = HttpResponse::build(status);
        response.content_type("text/html; charset=utf-8");
        for (name, value) in old.headers() {
            if name == header::WWW_AUTHENTICATE || name == header::RETRY_AFTER {
                response.insert_header((name.clone(), value.clone()));
            }
        }
        let mut response = response.body(html);
        // A refusal that closes its connection (see `guard`) still does.
        if old.head().connection_type() == actix_web::http::ConnectionType::Close {
            response
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
        }
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, response).map_into_right_body(),
        ))
    })
}

/// Renders a page with status 200.
/// What a handler answers: a response, or the error that becomes one.
pub type Reply = Result<HttpResponse, AppError>;

pub fn page<T: Template>(template: &T) -> Reply {
    page_with_status(actix_web::http::StatusCode::OK, template)
}

/// Renders a page with a chosen status (a form shown again with its error is 422).
pub fn page_with_status<T: Template>(status: actix_web::http::StatusCode, template: &T) -> Reply {
    let html = template.render().map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// A 303 redirect (after a form post).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The request line as it may be logged: the method from a closed set and the route's pattern
/// (`GET /manage/{token}`), never the concrete path — paths carry tokens (manage links, waiting-list
/// links) and ids, and a client chooses their length. A path that matches no route is logged as
/// such, without its text; the query string is never logged (sign-in links carry credentials there).
/// The client of a request as the access log names it: its address, or the one a trusted proxy
/// forwards for ([`limits::client_ip`]); never a forwarded address from anyone else.
pub fn loggable_client(req: &actix_web::dev::ServiceRequest) -> String {
    limits::client_ip(req.request()).map_or_else(|| "-".to_owned(), |ip| ip.to_string())
}

pub fn loggable_request(req: &actix_web::dev::ServiceRequest) -> String {
    let method = guard::method_label(req.request());
    match req.match_pattern() {
        Some(pattern) => format!("{method} {pattern}"),
        None => format!("{method} (no route)"),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::loggable_request;

    #[test]
    fn logged_requests_carry_no_credentials_and_no_path_text() {
        let token = "Gcu3RdC8XT-xFZzPL9akrT_YLDamfbAxLYUwrk4H7HE";
        for uri in [
            format!("/manage/{token}/tickets/01a2?booked=1"),
            format!("/signin?token={token}"),
            format!("/api/v1/tickets/01a2/qr.png?token={token}"),
            format!("/waitlist/{token}"),
        ] {
            let line = loggable_request(&TestRequest::with_uri(&uri).to_srv_request());
            assert!(!line.contains(token), "{line}");
        }
        let line = loggable_request(
            &TestRequest::with_uri("/festivals/vfw")
                .method(actix_web::http::Method::from_bytes(&[b'X'; 4000]).unwrap())
                .to_srv_request(),
        );
        assert_eq!(line, "OTHER (no route)");
    }
}
