//! The outer guard: what every connection and request is held to before any feature sees it.
//!
//! - **Methods from a closed set**, the ones HTTP defines. HTTP lets a client invent methods (the parser accepts any
//!   token, thousands of characters long); each would otherwise become a new metrics series and a
//!   long log line. A method outside [`Known`] is refused with 405 before anything else runs, and
//!   metrics and logs only ever name a method from the set.
//! - **HEAD wherever GET works.** A HEAD request runs as the GET it asks about; the server sends
//!   the headers without the body (a stream, such as live counters, is ended at once).
//! - **A deadline for the body.** Slow headers are cut off by actix-web; a body dripped a byte at
//!   a time is not. The whole body must arrive within `MARQUEE_BODY_TIMEOUT_SECONDS` of the
//!   request's start, else the answer is 408 and the connection is closed.
//! - **A cap on connections per client.** Each connection counts against its client's address
//!   (an IPv6 client's /64, see [`crate::web::limits::client_key`]) from when it opens until it
//!   closes; a request on a connection past `MARQUEE_MAX_CONNECTIONS_PER_CLIENT` is answered 429
//!   and its connection closed, so one address cannot hold the server's file descriptors.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future as _;
use std::net::IpAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Extensions, Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{ConnectionType, Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, web as aweb};
use futures_util::Stream;

use crate::error::AppError;
use crate::web::AppState;

/// The methods HTTP defines (RFC 9110, and PATCH): those Marquee routes, and those it answers
/// as any route it lacks (404). Every other is refused with 405, and none other is ever named in
/// metrics or logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
    Trace,
    Connect,
}

impl Known {
    pub fn of(method: &Method) -> Option<Known> {
        Some(match *method {
            Method::GET => Known::Get,
            Method::HEAD => Known::Head,
            Method::POST => Known::Post,
            Method::PUT => Known::Put,
            Method::PATCH => Known::Patch,
            Method::DELETE => Known::Delete,
            Method::OPTIONS => Known::Options,
            Method::TRACE => Known::Trace,
            Method::CONNECT => Known::Connect,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Known::Get => "GET",
            Known::Head => "HEAD",
            Known::Post => "POST",
            Known::Put => "PUT",
            Known::Patch => "PATCH",
            Known::Delete => "DELETE",
            Known::Options => "OPTIONS",
            Known::Trace => "TRACE",
            Known::Connect => "CONNECT",
        }
    }
}

/// A request's method as metrics and logs may name it: one of [`Known`], or `OTHER`. A HEAD
/// request served as GET is still named HEAD.
pub fn method_label(req: &actix_web::HttpRequest) -> &'static str {
    if req.extensions().contains::<ServedAsGet>() {
        return Known::Head.as_str();
    }
    Known::of(req.method()).map_or("OTHER", Known::as_str)
}

/// Marks a HEAD request that runs as GET.
struct ServedAsGet;

/// What the guard is set to (one per instance, from the settings).
#[derive(Clone)]
pub struct GuardSettings {
    pub body_timeout: Duration,
}

/// Open connections per client, shared by every worker of an instance.
#[derive(Default)]
pub struct Connections {
    open: Mutex<HashMap<IpAddr, usize>>,
}

impl Connections {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, usize>> {
        // A panic while holding the lock leaves a map that is still whole: keep using it.
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One open connection, counted against its client while it lives: it is kept with the
/// connection's own data, so it is dropped — and uncounted — when the connection closes.
pub struct ConnectionSlot {
    connections: Arc<Connections>,
    client: IpAddr,
    /// Opened while the client already had the most connections allowed.
    over_cap: bool,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self.connections.lock();
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// For `HttpServer::on_connect`: counts a new connection against its client.
pub fn on_connect(
    connections: &Arc<Connections>,
    cap: usize,
) -> impl Fn(&dyn Any, &mut Extensions) + Send + Sync + 'static {
    let connections = connections.clone();
    move |connection, data| {
        let Some(peer) = connection
            .downcast_ref::<actix_web::rt::net::TcpStream>()
            .and_then(|stream| stream.peer_addr().ok())
        else {
            return;
        };
        let client = crate::web::limits::client_key(peer.ip());
        let over_cap = {
            let mut open = connections.lock();
            let count = open.entry(client).or_insert(0);
            *count += 1;
            *count > cap
        };
        data.insert(ConnectionSlot {
            connections: connections.clone(),
            client,
            over_cap,
        });
    }
}

/// Middleware, before routing and before anything reads a body (inside the error pages, the
/// language and the metrics): the closed set of methods, HEAD as GET, the per-client connection
/// cap and the body deadline.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let Some(method) = Known::of(req.method()) else {
        let error = AppError::UnknownMethod;
        return Ok(close(req.error_response(error).map_into_boxed_body()).map_into_right_body());
    };
    if req
        .conn_data::<ConnectionSlot>()
        .is_some_and(|s| s.over_cap)
    {
        let error = AppError::RateLimited { retry_after: 1 };
        return Ok(close(req.error_response(error).map_into_boxed_body()).map_into_right_body());
    }
    if method == Known::Head {
        req.head_mut().method = Method::GET;
        req.extensions_mut().insert(ServedAsGet);
    }
    let timeout = req
        .app_data::<aweb::Data<AppState>>()
        .map_or(Duration::from_secs(30), |state| state.guard.body_timeout);
    let body = has_body(&req).then(|| {
        let watch = Rc::new(BodyWatch {
            payload: RefCell::new(req.take_payload()),
            timed_out: Cell::new(false),
            finished: Cell::new(false),
        });
        req.set_payload(Payload::from(Box::pin(Deadlined {
            deadline: Box::pin(tokio::time::sleep(timeout)),
            watch: watch.clone(),
        })
            as Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>));
        watch
    });
    let response = next.call(req).await?;
    let response = match body {
        Some(watch) if watch.timed_out.get() => {
            let (req, _) = response.into_parts();
            let error: actix_web::Error = AppError::BodyTimeout.into();
            close_unread(ServiceResponse::from_err(error, req), watch)
        }
        // A body nobody read to its end: the connection cannot be reused for another request.
        Some(watch) if !watch.finished.get() => close_unread(response.map_into_boxed_body(), watch),
        _ => response.map_into_boxed_body(),
    };
    Ok(if method == Known::Head {
        without_stream(response)
    } else {
        response
    }
    .map_into_left_body())
}

/// Whether the request says a body follows.
fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// Answers, then closes the connection.
fn close(mut response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    response
        .response_mut()
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}

/// Answers, then closes the connection at once, without reading the rest of the body: the
/// server would otherwise read a chunked body to its end before closing (however slowly it
/// comes), unless the body is still held — so the answer holds it until it has been sent.
fn close_unread(
    response: ServiceResponse<BoxBody>,
    watch: Rc<BodyWatch>,
) -> ServiceResponse<BoxBody> {
    close(response.map_body(|_, body| {
        BoxBody::new(HoldingBody {
            body,
            _watch: watch,
        })
    }))
}

/// A response body that keeps the request's unread body alive while it is sent.
struct HoldingBody {
    body: BoxBody,
    _watch: Rc<BodyWatch>,
}

impl MessageBody for HoldingBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> actix_web::body::BodySize {
        self.body.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(cx)
    }
}

/// The answer to a HEAD: the server sends no body anyway, but a stream that never ends would
/// keep the connection busy, so it is replaced by nothing.
fn without_stream(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    if matches!(
        response.response().body().size(),
        actix_web::body::BodySize::Stream
    ) {
        response.map_body(|_, _| BoxBody::new(()))
    } else {
        response
    }
}

/// The request's body, shared by the guard and the stream handed on, and what became of it.
struct BodyWatch {
    payload: RefCell<Payload>,
    timed_out: Cell<bool>,
    finished: Cell<bool>,
}

/// A request body that fails once its deadline passes.
struct Deadlined {
    deadline: Pin<Box<tokio::time::Sleep>>,
    watch: Rc<BodyWatch>,
}

impl Stream for Deadlined {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = Pin::new(&mut *self.watch.payload.borrow_mut()).poll_next(cx);
        if let Poll::Ready(item) = polled {
            if item.is_none() {
                self.watch.finished.set(true);
            }
            return Poll::Ready(item);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.watch.timed_out.set(true);
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            )))));
        }
        Poll::Pending
    }
}
