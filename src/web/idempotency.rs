//! `Idempotency-Key`: a client that did not hear the answer to a write (a phone on a festival's
//! crowded network) sends it again with the same key and gets the first answer — the same status
//! and body — while nothing is written a second time. The same key with another body is refused
//! (`409 idempotency_key_reused`). Wrapped around the writes a person retries: bookings,
//! waiting-list places, pass reservations.
//!
//! How it holds across instances: the first request with a key inserts the key's row (its
//! primary key is the route with its target and the key; the row keeps a digest of the request's
//! credential and body) before the write runs; a second request with the key finds the row —
//! answered, it gets the stored answer; still being answered, it waits for it.
//!
//! A request whose outcome is unknown — a 5xx after the write may have committed (a database
//! restarted between the commit and the answer), an instance stopped mid-way — must neither be
//! lost nor written twice. So the write itself records, in its own transaction, what it wrote
//! under the key ([`Claimed::mark`]: a booking's id and manage token, a waiting-list entry's, a
//! reservation's seat), and a failed attempt
//! marks its key as failed. A retry then runs again (at once after a failure, after [`LEASE`]
//! when an instance stopped without a word) and the write, finding its key marked, answers with
//! what the first attempt wrote instead of writing again. A 429, 401 or 403 (refused before
//! anything ran) frees the key. Kept an hour — a booking's answer holds its manage token in
//! clear — (the retention sweeper forgets older ones, and an erasure those that name the
//! address).

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
/// How long an answer is kept for retries: long enough for a phone to come back, short because a
/// booking's answer carries its manage token (a credential, stored hashed everywhere else).
pub const KEPT: Duration = Duration::hours(1);
/// How long a retry waits for the first request's answer.
const WAIT: StdDuration = StdDuration::from_secs(10);
/// How long an attempt that said nothing (its instance stopped) holds its key: a retry after it
/// runs again.
pub const LEASE: Duration = Duration::seconds(30);

/// The key a request holds while it runs, for the write to mark with what it wrote (in the
/// request's extensions; see [`Claimed::mark`]).
#[derive(Clone, Debug)]
pub struct Claimed {
    scope: String,
    key: String,
}

impl Claimed {
    /// Records, in the write's transaction, that this key wrote `written` — unless an earlier
    /// attempt with the key did: then what it wrote, for this attempt to answer with instead of
    /// writing again. The key's row is locked until the transaction ends, so two attempts never
    /// both write.
    pub fn mark(
        &self,
        conn: &mut AnyConnection,
        written: &str,
    ) -> Result<Option<String>, AppError> {
        let this = idempotency_keys::table
            .filter(idempotency_keys::scope.eq(&self.scope))
            .filter(idempotency_keys::key.eq(&self.key));
        let marked = diesel::update(this.filter(idempotency_keys::written.is_null()))
            .set(idempotency_keys::written.eq(Some(written)))
            .execute(conn)?;
        if marked == 1 {
            return Ok(None);
        }
        let earlier: Option<Option<String>> = this
            .select(idempotency_keys::written)
            .first(conn)
            .optional()?;
        match earlier.flatten() {
            Some(earlier) => Ok(Some(earlier)),
            // The row is gone (forgotten after an hour, or erased): nothing to answer with, and
            // nothing to mark — the write goes on as a keyless one would.
            None => Ok(None),
        }
    }

    /// Sets the mark to what the write wrote, once it knows (after [`Claimed::mark`] found no
    /// earlier attempt, in the same transaction).
    pub fn record(&self, conn: &mut AnyConnection, written: &str) -> Result<(), AppError> {
        diesel::update(
            idempotency_keys::table
                .filter(idempotency_keys::scope.eq(&self.scope))
                .filter(idempotency_keys::key.eq(&self.key)),
        )
        .set(idempotency_keys::written.eq(Some(written)))
        .execute(conn)?;
        Ok(())
    }

    /// Takes the mark back: the write it was made for was refused in the same transaction.
    pub fn unmark(&self, conn: &mut AnyConnection) -> Result<(), AppError> {
        diesel::update(
            idempotency_keys::table
                .filter(idempotency_keys::scope.eq(&self.scope))
                .filter(idempotency_keys::key.eq(&self.key)),
        )
        .set(idempotency_keys::written.eq(None::<String>))
        .execute(conn)?;
        Ok(())
    }
}

/// What a key's row says when a request claims it.
enum Claim {
    /// This request is the first: it answers.
    Mine,
    /// Answered before: (status, content type, body).
    Answered(u16, String, String, Option<String>),
    /// Being answered by another request.
    Pending,
    /// Used before with another body.
    Reused,
}

/// The middleware (see the module), around writes that mark their key (bookings, waiting-list
/// places, pass reservations): an attempt that failed may be run again.
pub async fn once(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    guarded(req, next).await
}

/// A time as the database keeps it (to the microsecond), so that a claim's time read back
/// compares equal.
fn to_micros(at: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    at.with_nanosecond(at.nanosecond() / 1000 * 1000)
        .unwrap_or(at)
}

async fn guarded(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // The header (the API), or a form's `idempotency_key` field (a form cannot set headers).
    let header = req.headers().get(HEADER).cloned();
    let form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if header.is_none() && !form {
        return next.call(req).await;
    }
    let Some(state) = req.app_data::<aweb::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let body = match read_body(&mut req).await {
        Ok(body) => body,
        Err(error) => return Ok(req.error_response(error)),
    };
    let key = match header {
        Some(key) => checked_key(key.to_str().unwrap_or_default()),
        None => match form_key(&body) {
            Some(key) => checked_key(&key),
            None => {
                req.set_payload(actix_web::dev::Payload::from(body));
                return next.call(req).await;
            }
        },
    };
    let key = match key {
        Ok(key) => key,
        Err(error) => return Ok(req.error_response(error)),
    };
    // The credential is part of the request: a replay goes only to whoever made the first one.
    let mut digest = Sha256::new();
    digest.update(
        req.headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default(),
    );
    digest.update(b"\n");
    digest.update(&body);
    let hash = data_encoding::HEXLOWER.encode(&digest.finalize());
    let scope = format!("{} {}", req.method(), req.path());
    let started = std::time::Instant::now();
    let claimed_at = loop {
        let (s, k, h) = (scope.clone(), key.clone(), hash.clone());
        let now = to_micros(chrono::Utc::now().naive_utc());
        let claim = crate::db::run(&state.pool, move |conn| claim(conn, &s, &k, &h, now)).await;
        match claim {
            Err(error) => return Ok(req.error_response(error)),
            Ok(Claim::Reused) => {
                let error = AppError::conflict(
                    Refusal::IdempotencyKeyReused,
                    crate::msg!("error-idempotency-key-reused"),
                );
                return Ok(req.error_response(error));
            }
            Ok(Claim::Answered(status, content_type, body, location)) => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut response = HttpResponse::build(status);
                response
                    .insert_header((CONTENT_TYPE, content_type))
                    .insert_header((HeaderName::from_static(REPLAYED), "true"));
                if let Some(location) = location {
                    response.insert_header((actix_web::http::header::LOCATION, location));
                }
                let response = response.body(body);
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
            Ok(Claim::Mine) => break now,
        }
    };
    req.extensions_mut().insert(Claimed {
        scope: scope.clone(),
        key: key.clone(),
    });
    req.set_payload(actix_web::dev::Payload::from(body));
    let response = next.call(req).await?;
    let (request, response) = response.into_parts();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = actix_web::body::to_bytes(response.into_body())
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("an answer's body: {e}")))?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let outcome = if status.is_server_error() {
        // It may have written before failing: a retry runs again, and the write answers with
        // what it finds marked (see the module).
        Outcome::Failed
    } else if matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
    ) {
        // Refused before anything ran, for a reason a retry may no longer have.
        Outcome::Free
    } else {
        match String::from_utf8(bytes.to_vec()) {
            Ok(body) => Outcome::Answer(
                status.as_u16(),
                content_type,
                body,
                headers
                    .get(actix_web::http::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            ),
            // Not text (never, for these writes): nothing to keep, and a retry answers with
            // what the write marked.
            Err(_) => Outcome::Failed,
        }
    };
    let stored = crate::db::run(&state.pool, move |conn| {
        let mut attempt = 0;
        loop {
            match store(conn, &scope, &key, claimed_at, &outcome) {
                Err(error) if error.is_transient() && attempt < 3 => attempt += 1,
                other => return other,
            }
        }
    })
    .await;
    if let Err(error) = stored {
        // The write is done and answered; a retry runs again after the lease and answers with
        // what the write marked (see the module).
        tracing::warn!(%error, "an idempotency key's answer was not stored");
    }
    let mut rebuilt = HttpResponse::build(status);
    for (name, value) in &headers {
        rebuilt.append_header((name.clone(), value.clone()));
    }
    Ok(ServiceResponse::new(request, rebuilt.body(bytes)))
}

/// A form's key: its `idempotency_key` field.
fn form_key(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find_map(|(name, value)| (name == FORM_FIELD).then_some(value))
}

/// The form field a form sends its key in, one per form shown ([`new_form_key`]).
pub const FORM_FIELD: &str = "idempotency_key";

/// A new key for a form as it is shown: sent twice (a double click, a reload after a lost answer),
/// the form books once.
pub fn new_form_key() -> String {
    crate::domain::secret::new_token()
}

/// A key as sent: 1 to 255 visible ASCII characters (a UUID, typically).
fn checked_key(value: &str) -> Result<String, AppError> {
    let key = value.trim();
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
type Stored = (
    String,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Claims a key for a request (see [`Claim`]): a key older than [`KEPT`] is forgotten first. An
/// unanswered key whose attempt failed or said nothing for a [`LEASE`] is taken over.
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
    diesel::delete(this().filter(idempotency_keys::created_at.lt(now - KEPT))).execute(conn)?;
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
    // Unanswered, and its attempt failed or said nothing for a lease: this request runs again
    // (one request only: the update is conditional).
    let taken_over = diesel::update(
        this()
            .filter(idempotency_keys::request_hash.eq(hash))
            .filter(idempotency_keys::status.is_null())
            .filter(
                idempotency_keys::failed_at
                    .is_not_null()
                    .or(idempotency_keys::created_at.lt(now - LEASE)),
            ),
    )
    .set((
        idempotency_keys::failed_at.eq(None::<NaiveDateTime>),
        idempotency_keys::created_at.eq(now),
    ))
    .execute(conn)?;
    if taken_over == 1 {
        return Ok(Claim::Mine);
    }
    let found: Option<Stored> = this()
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status,
            idempotency_keys::content_type,
            idempotency_keys::body,
            idempotency_keys::location,
        ))
        .first(conn)
        .optional()?;
    Ok(match found {
        // Forgotten between the insert and the read: the next pass claims it.
        None => Claim::Pending,
        Some((stored, ..)) if stored != hash => Claim::Reused,
        Some((_, Some(status), content_type, Some(body), location)) => Claim::Answered(
            u16::try_from(status).unwrap_or(500),
            content_type.unwrap_or_else(|| "application/json".to_owned()),
            body,
            location,
        ),
        Some(_) => Claim::Pending,
    })
}

/// What becomes of a key once its request is answered.
enum Outcome {
    /// The answer every retry gets: status, content type, body, where it redirects.
    Answer(u16, String, String, Option<String>),
    /// Refused before anything ran: the key is free again.
    Free,
    /// No answer to keep: a retry runs again (see the module).
    Failed,
}

/// Stores a key's outcome.
/// Only while this request still holds the key (claimed at `claimed_at`: a request that ran
/// past its lease and was taken over changes nothing).
fn store(
    conn: &mut AnyConnection,
    scope: &str,
    key: &str,
    claimed_at: NaiveDateTime,
    outcome: &Outcome,
) -> Result<(), AppError> {
    let this = idempotency_keys::table
        .filter(idempotency_keys::scope.eq(scope))
        .filter(idempotency_keys::key.eq(key))
        .filter(idempotency_keys::created_at.eq(claimed_at));
    match outcome {
        Outcome::Answer(status, content_type, body, location) => {
            diesel::update(this)
                .set((
                    idempotency_keys::status.eq(Some(i32::from(*status))),
                    idempotency_keys::content_type.eq(Some(content_type)),
                    idempotency_keys::body.eq(Some(body)),
                    idempotency_keys::location.eq(location.as_deref()),
                ))
                .execute(conn)?;
        }
        Outcome::Free => {
            // Free again — unless an earlier attempt wrote under the key: then this attempt
            // failed, and the mark stays for the next retry to answer with.
            diesel::delete(this.filter(idempotency_keys::written.is_null())).execute(conn)?;
            diesel::update(this.filter(idempotency_keys::written.is_not_null()))
                .set(idempotency_keys::failed_at.eq(Some(chrono::Utc::now().naive_utc())))
                .execute(conn)?;
        }
        Outcome::Failed => {
            diesel::update(this)
                .set(idempotency_keys::failed_at.eq(Some(chrono::Utc::now().naive_utc())))
                .execute(conn)?;
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
        let ok = |text: &str| checked_key(text).is_ok();
        assert!(ok("7f9c2ba4-e88f-4d2b-9f1b-7d2a3b4c5d6e"));
        assert!(!ok(""));
        assert!(!ok("a b"));
        assert!(!ok(&"k".repeat(256)));
        assert!(ok(&"k".repeat(255)));
    }
}
