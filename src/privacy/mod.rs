//! Personal data, kept the way the law expects: a privacy notice per festival, consent for
//! anything beyond the booking (asked, never assumed, withdrawable), access to everything held
//! about an address, erasure that keeps every report exact and every chain valid, and retention
//! that shreds a festival's personal data a set time after it ends.
//!
//! What makes erasure safe is the shape of the data underneath: the scan log holds facts, never a
//! name or a message ([`crate::door::chain`]), and attendance is counted by a per-festival
//! pseudonym ([`crate::db::people`]), never by an address. Erasing a person is then a matter of
//! clearing their details from the records that hold them ([`erase`]).

pub mod api;
pub mod erase;
pub mod export;
pub mod notice;
pub mod pages;
pub mod retention;

use actix_web::web as aweb;
use chrono::Utc;

use crate::db::Lock;
use crate::db::outbox::{self, Kind};
use crate::domain::Email;
use crate::error::AppError;
use crate::web::AppState;
use erase::{Counts, Requester, Target};

type State = aweb::Data<AppState>;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    api::routes(cfg);
    pages::routes(cfg);
}

/// How often one address can be sent its data link.
const PER_ADDRESS_MINUTES: i64 = 10;
const PER_ADDRESS: i64 = 2;

/// Queues a data link for the address — whether or not anything is held about it, so that the
/// request does the same work either way and neither the answer nor its timing tells who is
/// known. The sender decides later ([`crate::mail::compose`]): nothing is sent to an address
/// nothing is held about.
async fn request_link(state: &State, email: Email) -> Result<(), AppError> {
    let email = crate::db::people::email_key(email.as_str());
    state
        .write(Lock::NoScreening, move |tx| {
            let now = Utc::now().naive_utc();
            let recent = outbox::sent_to_since(
                tx.conn,
                Kind::DataAccess,
                &email,
                now - chrono::Duration::minutes(PER_ADDRESS_MINUTES),
            )?;
            if recent < PER_ADDRESS {
                outbox::enqueue(tx, Kind::DataAccess, None, &email, "Your data", now)?;
            }
            Ok::<_, AppError>(())
        })
        .await
}

/// The address a data link is for; 404 when the link is unknown or has expired.
async fn address_of(state: &State, token: String) -> Result<String, AppError> {
    crate::db::run(&state.pool, move |conn| {
        crate::db::people::data_token_email(conn, &token, Utc::now().naive_utc())?
            .ok_or_else(|| AppError::not_found(crate::error::Thing::DataLink))
    })
    .await
}

/// Runs an erasure as a request's write; once it has committed, deletes the written messages it
/// emptied and empties SQLite's WAL of the pages as they were before.
async fn erase_now(
    state: &State,
    target: Target,
    requester: Requester,
    cancel_upcoming: bool,
) -> Result<Counts, AppError> {
    let erased = state
        .write(Lock::NoScreening, move |tx| {
            erase::erase(
                tx,
                &target,
                requester.clone(),
                cancel_upcoming,
                Utc::now().naive_utc(),
            )
        })
        .await?;
    after_erasure(state, erased.files).await;
    Ok(erased.counts)
}

/// What follows an erasure's commit: its files deleted, the WAL emptied (best effort: logged).
async fn after_erasure(state: &State, files: Vec<String>) {
    let pool = state.pool.clone();
    let done = aweb::block(move || {
        retention::delete_files(&files);
        let mut conn = pool.get().map_err(AppError::pool)?;
        Ok::<_, AppError>(crate::db::checkpoint::truncate_wal(&mut conn)?)
    })
    .await;
    match done {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) => tracing::warn!("the WAL stayed busy after an erasure; it will be reused"),
        Ok(Err(error)) => tracing::warn!(%error, "the WAL could not be emptied after an erasure"),
        Err(error) => tracing::warn!(%error, "the WAL could not be emptied after an erasure"),
    }
}

/// Withdraws every standing consent to news given with this address, at every festival.
async fn withdraw_news_of(state: &State, email: String) -> Result<usize, AppError> {
    state
        .write(Lock::NoScreening, move |tx| {
            use diesel::prelude::*;
            let people: Vec<String> = crate::db::schema::people::table
                .filter(crate::db::schema::people::email_key.eq(&email))
                .select(crate::db::schema::people::id)
                .load(tx.conn)?;
            Ok(crate::db::people::withdraw_consent(
                tx.conn,
                &people,
                crate::db::people::Purpose::News,
                Utc::now().naive_utc(),
            )?)
        })
        .await
}
