//! Live updates, for any feature: the in-process [`Hub`] that tells open streams a screening's
//! counters changed (features publish to it after a commit), and [`watch`], a Server-Sent Events
//! response that sends a value whenever it changes.
//!
//! Every stream ends when the staff member who opened it is signed out or their credential is
//! revoked ([`to_signed_in`]).
//!
//! Changes made through this instance are pushed at once; changes made through other instances
//! sharing the database are picked up by a poll every two seconds, so every stream agrees
//! whatever instance it talks to.

use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast;

use crate::db::{self, DbPool};
use crate::domain::{ScreeningId, StaffId};
use crate::error::AppError;

const POLL: Duration = Duration::from_secs(2);
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Tells open streams that a screening's counters changed.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<ScreeningId>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub {
            sender: broadcast::channel(1024).0,
        }
    }
}

impl Hub {
    pub fn publish(&self, screening: ScreeningId) {
        // No subscriber is fine: nobody is watching.
        let _ = self.sender.send(screening);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ScreeningId> {
        self.sender.subscribe()
    }
}

/// The least time between two database reads of one stream: a busy door cannot make every open
/// stream query the database for every admission.
const MIN_GAP: Duration = Duration::from_millis(500);

struct StreamState<T, R, F> {
    pool: DbPool,
    receiver: broadcast::Receiver<ScreeningId>,
    relevant: R,
    read: F,
    last: Option<T>,
    last_read: Option<tokio::time::Instant>,
    event: &'static str,
}

/// What a Server-Sent Events stream sends: chunks of `event:`/`data:` lines.
pub type Events = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, actix_web::Error>>>>;

/// Server-Sent Events that send `event: {event}` with `read`'s value whenever it changes: at once
/// when a relevant screening changes through this instance, and at least every two seconds
/// otherwise (changes made through other instances).
pub fn watch<T, R, F>(pool: DbPool, hub: &Hub, event: &'static str, relevant: R, read: F) -> Events
where
    T: serde::Serialize + PartialEq + Send + 'static,
    R: Fn(ScreeningId) -> bool + 'static,
    F: Fn(&mut db::AnyConnection) -> Result<T, AppError> + Clone + Send + 'static,
{
    let state = StreamState {
        pool,
        receiver: hub.subscribe(),
        relevant,
        read,
        last: None,
        last_read: None,
        event,
    };
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        let mut idle = Duration::ZERO;
        loop {
            if state.last.is_some() {
                let woke = tokio::select! {
                    message = state.receiver.recv() => match message {
                        Ok(changed) => (state.relevant)(changed),
                        Err(broadcast::error::RecvError::Lagged(_)) => true,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = tokio::time::sleep(POLL) => { idle += POLL; true }
                };
                if !woke {
                    continue;
                }
            }
            if let Some(at) = state.last_read {
                tokio::time::sleep_until(at + MIN_GAP).await;
            }
            state.last_read = Some(tokio::time::Instant::now());
            let read = state.read.clone();
            // Gone or unreachable: end the stream; the browser's EventSource reconnects.
            let Ok(current) = db::run(&state.pool, move |conn| read(conn)).await else {
                return None;
            };
            if state.last.as_ref() != Some(&current) {
                let json = serde_json::to_string(&current).unwrap_or_default();
                state.last = Some(current);
                let event = Bytes::from(format!("event: {}\ndata: {json}\n\n", state.event));
                return Some((Ok::<_, actix_web::Error>(event), state));
            }
            if idle >= KEEP_ALIVE {
                return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), state));
            }
        }
    });
    Box::pin(stream)
}

/// The response that carries a stream of events to a staff member, for as long as they stay
/// signed in: `req` is the request that opened it, `member` who was signed in then. Every
/// [`SIGNED_IN_CHECK`] the request's credential or session is looked up again (as any request's
/// would be: a revocation through this instance is seen at once, one made elsewhere within
/// [`crate::db::credentials::CREDENTIAL_TTL`]); once it no longer names `member`, the stream ends
/// and a browser's reconnection meets the sign-in check like any other request.
pub fn to_signed_in(req: HttpRequest, member: StaffId, events: Events) -> HttpResponse {
    struct Watched {
        events: Events,
        req: HttpRequest,
        member: StaffId,
        check: tokio::time::Interval,
    }
    let start = tokio::time::Instant::now() + SIGNED_IN_CHECK;
    let watched = Watched {
        events,
        req,
        member,
        check: tokio::time::interval_at(start, SIGNED_IN_CHECK),
    };
    let stream = futures_util::stream::unfold(watched, |mut watched| async move {
        loop {
            tokio::select! {
                event = watched.events.next() => return event.map(|event| (event, watched)),
                _ = watched.check.tick() => {
                    let still = crate::web::auth::staff_of(&watched.req).await;
                    if !matches!(still, Ok(Some(staff)) if staff.id == watched.member) {
                        return None;
                    }
                }
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream)
}

/// How often an open stream checks that its viewer is still signed in.
pub const SIGNED_IN_CHECK: Duration = Duration::from_secs(2);
