//! Retention: each festival's personal data is shredded automatically `retention_days` after its
//! last day (default 90), festival by festival, with the same guarantees as an erasure (see
//! [`super::erase`]); links to people's data are forgotten when they expire. One thread per
//! instance; two instances may both look, and the second finds nothing left to do.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::erase::{Erased, Requester, Target, erase};
use crate::db::periodic::{Periodic, every};
use crate::db::schema::{data_requests, festivals, outbox};
use crate::db::{AnyConnection, DbPool, Tx};
use crate::domain::FestivalId;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::memory::Memory;

/// What one pass did.
#[derive(Debug, Default)]
pub struct Swept {
    pub festivals: Vec<FestivalId>,
    pub files: Vec<String>,
}

/// Shreds every festival whose retention has run out by `now`, and forgets expired data links and
/// answers kept for retries (`Idempotency-Key`).
/// `memory` is told what each shredding changed (places given up free held seats).
pub fn sweep(
    conn: &mut AnyConnection,
    memory: &Memory,
    now: NaiveDateTime,
) -> Result<Swept, AppError> {
    let candidates: Vec<(String, chrono::NaiveDate, i32)> = festivals::table
        .filter(festivals::shredded_at.is_null())
        .filter(festivals::ends_on.lt(now.date()))
        .select((festivals::id, festivals::ends_on, festivals::retention_days))
        .load(conn)?;
    let mut swept = Swept::default();
    for (id, ends_on, days) in candidates {
        if super::notice::shred_day(ends_on, days) > now.date() {
            continue;
        }
        let festival = FestivalId::from_db("festivals.id", &id)?;
        // One festival that cannot be shredded now is tried again at the next pass; the others'
        // shredding has committed, and their files are still to delete.
        match shred(conn, memory, festival, Requester::Retention, now) {
            Ok(files) => {
                swept.festivals.push(festival);
                swept.files.extend(files);
            }
            Err(error) => {
                tracing::warn!(%error, %festival, "cannot shred a festival past its retention yet");
            }
        }
    }
    crate::db::tx::write_on(conn, Lang::En, |tx| {
        diesel::delete(data_requests::table.filter(data_requests::expires_at.le(now)))
            .execute(tx.conn)?;
        // Answers kept for retries hold what was booked, by whom, and its manage token: an hour.
        crate::web::idempotency::forget_expired(tx.conn, now)?;
        Ok::<_, AppError>(())
    })?;
    Ok(swept)
}

/// Shreds one festival's personal data and marks it shredded; returns the written messages to
/// delete once committed.
pub fn shred(
    conn: &mut AnyConnection,
    memory: &Memory,
    festival: FestivalId,
    requester: Requester,
    now: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    let (erased, changed) = crate::db::tx::write_on_changing(conn, Lang::En, |tx| {
        shred_in(tx, festival, requester.clone(), now)
    })?;
    memory.forget(&changed);
    Ok(erased.files)
}

/// Shreds one festival's personal data (everyone's, as an erasure) and marks it shredded: part
/// of the caller's transaction.
pub fn shred_in(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    requester: Requester,
    now: NaiveDateTime,
) -> Result<Erased, AppError> {
    let erased = erase(tx, &Target::Festival(festival), requester, false, now)?;
    diesel::update(
        festivals::table
            .find(festival.to_string())
            .filter(festivals::shredded_at.is_null()),
    )
    .set(festivals::shredded_at.eq(Some(now)))
    .execute(tx.conn)?;
    Ok(erased)
}

/// Deletes written messages (after the erasure that emptied their rows has committed).
pub fn delete_files(files: &[String]) {
    for file in files {
        match std::fs::remove_file(file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // The path is a message id under the mail folder: no personal data in it.
            Err(error) => tracing::warn!(%error, file, "cannot delete an erased message's file"),
        }
    }
}

/// The background sweeper: one thread per instance, every `interval`. Stops when dropped.
pub struct Sweeper {
    thread: Periodic,
}

impl Sweeper {
    /// Stops the thread after its pass in progress; its handle, to be joined.
    pub fn stop(self) -> std::thread::JoinHandle<()> {
        self.thread.stop()
    }

    pub fn start(
        pool: DbPool,
        memory: Arc<Memory>,
        interval: StdDuration,
    ) -> std::io::Result<Sweeper> {
        let thread = every("marquee-retention", interval, move || {
            pass(&pool, &memory);
            interval
        })?;
        Ok(Sweeper { thread })
    }
}

/// One pass of the sweeper, its outcome logged.
fn pass(pool: &DbPool, memory: &Memory) {
    let result = pool.get().map_err(AppError::pool).and_then(|mut conn| {
        let swept = sweep(&mut conn, memory, chrono::Utc::now().naive_utc())?;
        if !swept.festivals.is_empty() {
            delete_files(&swept.files);
            crate::db::checkpoint::truncate_wal(&mut conn)?;
        }
        Ok(swept)
    });
    match result {
        Ok(swept) if !swept.festivals.is_empty() => tracing::info!(
            festivals = swept.festivals.len(),
            "personal data past its festival's retention shredded"
        ),
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "retention sweep failed; retrying at the next pass");
        }
    }
}

/// Makes a copy of the database fit for analysis: every festival's personal data shredded as
/// retention would (reports and chains unchanged), staff names replaced by pseudonyms and their
/// credentials, sessions, data links, signing keys and audit trail removed. Run on the copy only.
pub fn anonymise_copy(conn: &mut AnyConnection, memory: &Memory) -> Result<usize, AppError> {
    use crate::db::schema::{sessions, signing_keys, staff};
    let now = chrono::Utc::now().naive_utc();
    let ids: Vec<String> = festivals::table.select(festivals::id).load(conn)?;
    for id in &ids {
        shred(
            conn,
            memory,
            FestivalId::from_db("festivals.id", id)?,
            Requester::Retention,
            now,
        )?;
    }
    crate::db::tx::write_on(conn, Lang::En, |tx| {
        let members: Vec<String> = staff::table.select(staff::id).load(tx.conn)?;
        for member in members {
            diesel::update(staff::table.find(&member))
                .set((
                    staff::name.eq(super::erase::pseudonym(&member).replace("erased", "staff")),
                    staff::token_hash.eq(format!("removed-{member}")),
                ))
                .execute(tx.conn)?;
        }
        // Messages that were never a festival's (asked for by an address nothing was held
        // about, say) keep no address, no reason quoting one, no file.
        diesel::update(outbox::table)
            .set((
                outbox::recipient.eq(""),
                outbox::last_error.eq(None::<String>),
                outbox::file.eq(None::<String>),
            ))
            .execute(tx.conn)?;
        diesel::delete(sessions::table).execute(tx.conn)?;
        diesel::delete(data_requests::table).execute(tx.conn)?;
        // No face leaves in a copy for analysis.
        diesel::delete(crate::db::schema::pass_photos::table).execute(tx.conn)?;
        diesel::update(crate::db::schema::passes::table)
            .set(crate::db::schema::passes::photo_at.eq(None::<NaiveDateTime>))
            .execute(tx.conn)?;
        diesel::delete(signing_keys::table).execute(tx.conn)?;
        // Staff accounts' addresses and secrets stay with the original.
        diesel::update(staff::table)
            .set((
                staff::email.eq(None::<String>),
                staff::totp_secret.eq(None::<String>),
            ))
            .execute(tx.conn)?;
        {
            use crate::db::schema::{account_links, passkeys, recovery_codes, webauthn_ceremonies};
            diesel::delete(account_links::table).execute(tx.conn)?;
            diesel::delete(recovery_codes::table).execute(tx.conn)?;
            diesel::delete(passkeys::table).execute(tx.conn)?;
            diesel::delete(webauthn_ceremonies::table).execute(tx.conn)?;
        }
        // Who changed what names the staff: the audit trail stays with the original. Its rows
        // refuse deletion (triggers), lifted on the copy for this alone.
        tx.conn.batch_execute(
            "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; \
             CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
        )?;
        Ok::<_, AppError>(())
    })?;
    if let AnyConnection::Sqlite(lite) = conn {
        diesel::sql_query("VACUUM").execute(lite)?;
    }
    Ok(ids.len())
}
