//! Rate limits per client address, on the routes a client could hammer: booking, staff sign-in,
//! scanning and "find my tickets". Over the limit the answer is 429 with `Retry-After` (JSON under
//! `/api`, a page elsewhere). The limits are generous where real use is fast — a door scanning at
//! full speed (a few codes a second, or many doors behind one address) never meets its limit.
//!
//! A route takes its limit where it is registered, beside its path and handler (one place says
//! both): `.route("/signin", aweb::post().to(signin).wrap(per_client(Limited::SignIn)))`.

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::middleware::{Next, from_fn};
use actix_web::web as aweb;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::AppError;
use crate::web::AppState;

/// Which limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Booking,
    SignIn,
    Scan,
    /// "Find my tickets" mails an address: a few a minute per client.
    FindTickets,
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

/// The address a client is counted as: an IPv4 address itself (also when written as IPv6), an
/// IPv6 address its /64 — one network's share, which a single host can fill with addresses at
/// will, so counting each address apart would give it unlimited allowances.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(network))
            }
        },
    }
}

/// The address of the client behind a request: the connection's peer, or — when the peer is one
/// of the trusted proxies (`MARQUEE_TRUSTED_PROXIES`) — the address that proxy says it forwards
/// for (`Forwarded: for=…`, else `X-Forwarded-For`), read from the right and skipping the
/// trusted proxies of a chain. A header from anyone else is not believed.
pub fn client_ip(req: &actix_web::HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req
        .app_data::<aweb::Data<AppState>>()
        .map(|state| state.trusted_proxies.clone())
        .unwrap_or_default();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let header = |name: &str| {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    };
    let forwarded: Vec<IpAddr> = {
        let standard: Vec<IpAddr> = header("forwarded")
            .split(',')
            .flat_map(|element| element.split(';'))
            .filter_map(|pair| {
                pair.trim()
                    .strip_prefix("for=")
                    .or_else(|| pair.trim().strip_prefix("For="))
            })
            .filter_map(|value| forwarded_ip(value.trim_matches('"')))
            .collect();
        if standard.is_empty() {
            header("x-forwarded-for")
                .split(',')
                .filter_map(|value| forwarded_ip(value.trim()))
                .collect()
        } else {
            standard
        }
    };
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !is_trusted(ip))
            .unwrap_or(peer),
    )
}

/// An address as a forwarding header writes it: `203.0.113.7`, `203.0.113.7:4711`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn forwarded_ip(value: &str) -> Option<IpAddr> {
    if let Ok(ip) = value.parse() {
        return Some(ip);
    }
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

/// Middleware for one route: refuses a request over `class`'s limit before any work is done.
pub fn per_client<S>(
    class: Limited,
) -> impl Transform<
    S,
    ServiceRequest,
    Response = ServiceResponse<EitherBody<BoxBody>>,
    Error = actix_web::Error,
    InitError = (),
> + 'static
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>
        + 'static,
{
    from_fn(move |req: ServiceRequest, next: Next<BoxBody>| enforce(class, req, next))
}

async fn enforce<B: MessageBody + 'static>(
    class: Limited,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let limits = req
        .app_data::<aweb::Data<AppState>>()
        .and_then(|state| state.rate_limits.clone());
    if let Some(limits) = limits
        && let Some(client) = client_ip(req.request()).map(client_key)
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

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::client_key;

    #[test]
    fn an_ipv6_client_counts_as_its_64_and_an_ipv4_one_as_itself() {
        let key = |text: &str| client_key(text.parse::<IpAddr>().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2::"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
        assert_ne!(key("192.0.2.7"), key("192.0.2.8"));
    }
}
