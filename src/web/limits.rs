//! Rate limits per client address, on the three routes a client could hammer: booking, staff
//! sign-in and scanning. Over the limit the answer is 429 with `Retry-After` (JSON under `/api`,
//! a page elsewhere). The limits are generous where real use is fast — a door scanning at full
//! speed (a few codes a second, or many doors behind one address) never meets its limit.

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web as aweb;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::AppError;
use crate::web::AppState;

/// Which limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limited {
    Booking,
    SignIn,
    Scan,
    /// "Find my tickets" mails an address: a few a minute per client.
    FindTickets,
}

fn classify(req: &ServiceRequest) -> Option<Limited> {
    if req.method() != Method::POST {
        return None;
    }
    let path = req.path();
    if (path.starts_with("/api/v1/screenings/") && path.ends_with("/bookings"))
        || (path.starts_with("/screenings/") && path.ends_with("/book"))
    {
        Some(Limited::Booking)
    } else if path == "/signin" {
        Some(Limited::SignIn)
    } else if path == "/api/v1/scans" || path == "/api/v1/scans/sync" {
        Some(Limited::Scan)
    } else if path == "/api/v1/find-my-tickets" || path == "/tickets" {
        Some(Limited::FindTickets)
    } else {
        None
    }
}

/// The limiters, shared by every worker of an instance.
pub struct RateLimits {
    booking: DefaultKeyedRateLimiter<IpAddr>,
    signin: DefaultKeyedRateLimiter<IpAddr>,
    scan: DefaultKeyedRateLimiter<IpAddr>,
    find_tickets: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(per_second: u32, burst: u32) -> Quota {
    Quota::per_second(NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits {
            // A person books a few times at most; a family or a box office a little more.
            booking: DefaultKeyedRateLimiter::keyed(quota(10, 30)),
            // Credentials are 256 random bits; this only keeps guessing and floods away.
            signin: DefaultKeyedRateLimiter::keyed(
                Quota::per_minute(NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN))
                    .allow_burst(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN)),
            ),
            // Many doors may share one address (a venue's network); each scans a few codes a second.
            scan: DefaultKeyedRateLimiter::keyed(quota(200, 400)),
            find_tickets: DefaultKeyedRateLimiter::keyed(
                Quota::per_minute(NonZeroU32::new(6).unwrap_or(NonZeroU32::MIN))
                    .allow_burst(NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN)),
            ),
        }
    }
}

impl RateLimits {
    /// Counts a request; `Err(seconds)` when it is over the limit.
    fn check(&self, class: Limited, client: IpAddr) -> Result<(), u64> {
        let limiter = match class {
            Limited::Booking => &self.booking,
            Limited::SignIn => &self.signin,
            Limited::Scan => &self.scan,
            Limited::FindTickets => &self.find_tickets,
        };
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&client).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

/// Middleware: refuses requests over their limit before any work is done.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let limits = req
        .app_data::<aweb::Data<AppState>>()
        .and_then(|state| state.rate_limits.clone());
    if let (Some(limits), Some(class)) = (limits, classify(&req))
        && let Some(client) = req.peer_addr().map(|a| a.ip())
        && let Err(retry_after) = limits.check(class, client)
    {
        // An answer, not an `Err`: it then passes through the error-page middleware like any other.
        let error: actix_web::Error = AppError::RateLimited { retry_after }.into();
        return Ok(req.error_response(error).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
