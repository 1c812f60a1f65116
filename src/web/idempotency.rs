//! `Idempotency-Key`: a client that did not hear the answer to a write (a phone on a festival's
//! crowded network) sends it again with the same key and gets the first answer — the same status
//! and body — while nothing is written a second time. The same key with another body is refused
//! (`409 idempotency_key_reused`). Wrapped around the writes a person retries: bookings,
//! waiting-list places, pass reservations.
//!
//! How it holds across instances: the first request with a key inserts the key's row (its
//! primary key is the route with its target, and the key) before the write runs; a second request
//! with the key finds the row — answered, it gets the stored answer; still being answered, it
//! waits for it. An answer that is no answer (a 5xx, a 429: nothing was written) frees the key
//! for the retry. Kept a day (the retention sweeper forgets older ones, and an erasure those that
//! name the address). One window stays: an instance that dies between committing the write and
//! storing its answer leaves the key unanswered; after a minute the key is taken as abandoned and
//! a retry runs the write again.

use std::time::Duration as StdDuration;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpMessage, HttpResponse, web as aweb};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::AppState;
use crate::db::AnyConnection;
use crate::db::schema::idempotency_keys;
use crate::error::{AppError, Refusal};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The header on a replayed answer.
pub const REPLAYED: &str = "idempotency-replayed";
/// How long an answer is kept for retries.
pub const KEPT: Duration = Duration::hours(24);
/// How long a key may stay unanswered before it is taken as abandoned.
const ABANDONED: Duration = Duration::minutes(1);
/// How long a retry waits for the first request's answer.
const WAIT: StdDuration = StdDuration::from_secs(10);

/// What a key's row says when a request claims it.
enum Claim {
    /// This request is the first: it answers.
    Mine,
    /// Answered before: (status, content type, body).
    Answered(u16, String, String),
    /// Being answered by another request.
    Pending,
    /// Used before with another body.
    Reused,
}

/// The middleware (see the module).
pub async fn once(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.call(req).await;
    };
    let key = match checked_key(&key) {
        Ok(key) => key,
        Err(error) => return Ok(req.error_response(error)),
    };
    let Some(state) = req.app_data::<aweb::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let body = match read_body(&mut req).await {
        Ok(body) => body,
        Err(error) => return Ok(req.error_response(error)),
    };
    let hash = data_encoding::HEXLOWER.encode(&Sha256::digest(&body));
    let scope = format!("{} {}", req.method(), req.path());
    let started = std::time::Instant::now();
    loop {
        let (s, k, h) = (scope.clone(), key.clone(), hash.clone());
        let claim = crate::db::run(&state.pool, move |conn| {
            claim(conn, &s, &k, &h, chrono::Utc::now().naive_utc())
        })
        .await;
        match claim {
            Err(error) => return Ok(req.error_response(error)),
            Ok(Claim::Reused) => {
                let error = AppError::conflict(
                    Refusal::IdempotencyKeyReused,
                    crate::msg!("error-idempotency-key-reused"),
                );
                return Ok(req.error_response(error));
            }
            Ok(Claim::Answered(status, content_type, body)) => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let response = HttpResponse::build(status)
                    .insert_header((CONTENT_TYPE, content_type))
                    .insert_header((HeaderName::from_static(REPLAYED), "true"))
                    .body(body);
                return Ok(req.into_response(response));
            }
            Ok(Claim::Pending) if started.elapsed() < WAIT => {
                tokio::time::sleep(StdDuration::from_millis(100)).await;
            }
            Ok(Claim::Pending) => {
                let error = AppError::conflict(
                    Refusal::IdempotencyKeyInUse,
                    crate::msg!("error-idempotency-key-in-use"),
                );
                return Ok(req.error_response(error));
            }
            Ok(Claim::Mine) => break,
        }
    }
    req.set_payload(actix_web::dev::Payload::from(body));
    let response = next.call(req).await?;
    let (request, response) = response.into_parts();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = actix_web::body::to_bytes(response.into_body())
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let answer = (!status.is_server_error() && status != StatusCode::TOO_MANY_REQUESTS)
        .then(|| String::from_utf8(bytes.to_vec()).ok())
        .flatten();
    let stored = crate::db::run(&state.pool, move |conn| {
        store(
            conn,
            &scope,
            &key,
            answer.map(|body| (status.as_u16(), content_type, body)),
        )
    })
    .await;
    if let Err(error) = stored {
        // The write is done and answered; a retry will find the key unanswered and, after a
        // minute, run the write again (see the module).
        tracing::warn!(%error, "an idempotency key's answer was not stored");
    }
    let mut rebuilt = HttpResponse::build(status);
    for (name, value) in &headers {
        rebuilt.append_header((name.clone(), value.clone()));
    }
    Ok(ServiceResponse::new(request, rebuilt.body(bytes)))
}

/// A key as sent: 1 to 255 visible ASCII characters (a UUID, typically).
fn checked_key(value: &HeaderValue) -> Result<String, AppError> {
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest(crate::msg!("error-idempotency-key")));
    }
    Ok(key.to_owned())
}

/// The request's body (at most the JSON body limit: a larger one is refused as it would be).
async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let max = super::MAX_BODY_BYTES;
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::BadRequest(crate::msg!("error-body-unreadable", detail = e.to_string()))
        })?;
        if body.len() + chunk.len() > max {
            return Err(AppError::PayloadTooLarge(crate::msg!(
                "error-body-too-large",
                bytes = max
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// A key's row as read: its request's hash, and its answer's status, content type and body.
type Stored = (String, Option<i32>, Option<String>, Option<String>);

/// Claims a key for a request (see [`Claim`]): a key older than [`KEPT`], or unanswered for
/// longer than [`ABANDONED`], is forgotten first.
fn claim(
    conn: &mut AnyConnection,
    scope: &str,
    key: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<Claim, AppError> {
    let this = || {
        idempotency_keys::table
            .filter(idempotency_keys::scope.eq(scope))
            .filter(idempotency_keys::key.eq(key))
    };
    diesel::delete(
        this().filter(
            idempotency_keys::created_at
                .lt(now - KEPT)
                .or(idempotency_keys::status
                    .is_null()
                    .and(idempotency_keys::created_at.lt(now - ABANDONED))),
        ),
    )
    .execute(conn)?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::scope.eq(scope),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => return Ok(Claim::Mine),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(other) => return Err(other.into()),
    }
    let found: Option<Stored> = this()
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status,
            idempotency_keys::content_type,
            idempotency_keys::body,
        ))
        .first(conn)
        .optional()?;
    Ok(match found {
        // Forgotten between the insert and the read: the next pass claims it.
        None => Claim::Pending,
        Some((stored, ..)) if stored != hash => Claim::Reused,
        Some((_, Some(status), content_type, Some(body))) => Claim::Answered(
            u16::try_from(status).unwrap_or(500),
            content_type.unwrap_or_else(|| "application/json".to_owned()),
            body,
        ),
        Some(_) => Claim::Pending,
    })
}

/// Stores a key's answer, or frees the key (`None`: nothing was answered a retry should get).
fn store(
    conn: &mut AnyConnection,
    scope: &str,
    key: &str,
    answer: Option<(u16, String, String)>,
) -> Result<(), AppError> {
    let this = idempotency_keys::table
        .filter(idempotency_keys::scope.eq(scope))
        .filter(idempotency_keys::key.eq(key));
    match answer {
        Some((status, content_type, body)) => {
            diesel::update(this)
                .set((
                    idempotency_keys::status.eq(Some(i32::from(status))),
                    idempotency_keys::content_type.eq(Some(content_type)),
                    idempotency_keys::body.eq(Some(body)),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::delete(this).execute(conn)?;
        }
    }
    Ok(())
}

/// Forgets the answers older than [`KEPT`] (run by the retention sweeper); how many.
pub fn forget_expired(conn: &mut AnyConnection, now: NaiveDateTime) -> Result<usize, AppError> {
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(now - KEPT)))
            .execute(conn)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_visible_ascii_of_at_most_255_characters() {
        let ok = |text: &str| checked_key(&HeaderValue::from_str(text).unwrap()).is_ok();
        assert!(ok("7f9c2ba4-e88f-4d2b-9f1b-7d2a3b4c5d6e"));
        assert!(!ok(""));
        assert!(!ok("a b"));
        assert!(!ok(&"k".repeat(256)));
        assert!(ok(&"k".repeat(255)));
    }
}
