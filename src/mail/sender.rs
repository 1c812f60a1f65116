//! The background sender: one thread per instance delivers due outbox messages, one at a time,
//! at the lowest CPU priority (a booking rush keeps the cores; mail waits a little).
//!
//! A write that queued a message wakes it ([`Waker::wake`]); it also looks every few seconds, for
//! retries that fall due, messages queued by other instances, and whatever was queued before a
//! restart. A failed attempt is retried after 1, 2, 4 … seconds (at most `MARQUEE_MAIL_RETRY_MAX`),
//! up to [`MAX_ATTEMPTS`] times; then the message is `failed`, and an organiser can send it again.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use chrono::Utc;
use lettre::message::Mailbox;

use super::Transport;
use super::compose::{Context, compose};
use crate::db::outbox::{self, OutboxRow, Waker};
use crate::db::{AnyConnection, DbPool};

/// Attempts at one message before it is marked failed.
pub const MAX_ATTEMPTS: i32 = 20;

/// How often the sender looks for due messages when nobody wakes it.
const POLL: Duration = Duration::from_secs(2);

/// What the sender needs.
pub struct SenderSettings {
    pub transport: Transport,
    pub from: Mailbox,
    pub public_url: String,
    pub retry_cap: Duration,
}

/// Starts the sender thread; it stops when the last [`Waker`] is dropped. Its handle, to be
/// joined.
pub fn start(
    pool: DbPool,
    settings: SenderSettings,
) -> std::io::Result<(Waker, thread::JoinHandle<()>)> {
    let (waker, woken) = Waker::new();
    let thread = thread::Builder::new()
        .name("marquee-mail".to_owned())
        .spawn(move || run(&pool, &settings, &woken))?;
    Ok((waker, thread))
}

fn run(pool: &DbPool, settings: &SenderSettings, woken: &Receiver<()>) {
    lower_priority();
    loop {
        match pool.get() {
            Ok(mut conn) => deliver_due(&mut conn, settings, woken),
            Err(error) => tracing::warn!(%error, "the mail sender has no database connection"),
        }
        match woken.recv_timeout(POLL) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Mail waits for the cores before bookings and scans do.
fn lower_priority() {
    // SAFETY: setpriority with who = 0 changes only the calling thread's nice value on Linux.
    #[cfg(target_os = "linux")]
    #[expect(unsafe_code, reason = "libc has no safe wrapper for setpriority")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

/// Delivers every message due now (taking a few at a time, so other senders share the work),
/// unless the instance stops meanwhile (the last [`Waker`] dropped): what is left waits in the
/// outbox for the next start, or for another instance.
fn deliver_due(conn: &mut AnyConnection, settings: &SenderSettings, woken: &Receiver<()>) {
    loop {
        if let Err(std::sync::mpsc::TryRecvError::Disconnected) = woken.try_recv() {
            return;
        }
        let now = Utc::now().naive_utc();
        let taken = match outbox::take_due(conn, now, 8) {
            Ok(taken) => taken,
            Err(error) => {
                tracing::warn!(%error, "cannot read the outbox");
                return;
            }
        };
        if taken.is_empty() {
            return;
        }
        for row in taken {
            deliver(conn, settings, &row);
        }
    }
}

fn deliver(conn: &mut AnyConnection, settings: &SenderSettings, row: &OutboxRow) {
    let now = Utc::now().naive_utc();
    let context = Context {
        public_url: settings.public_url.clone(),
        from: settings.from.clone(),
        now,
    };
    let outcome = compose(conn, row, &context)
        .map_err(|e| match e {
            crate::error::AppError::Internal(inner) => format!("{inner:#}"),
            other => other.to_string(),
        })
        .and_then(|composed| match &composed.message {
            Some(message) => settings
                .transport
                .send(message)
                .map(|file| (composed.subject, Some(file))),
            None => Ok((composed.subject, None)),
        });
    let recorded = match outcome {
        Ok((subject, Some(file))) => {
            tracing::info!(message = %row.id, kind = %row.kind, "mail sent");
            outbox::mark_sent(conn, &row.id, &subject, file.as_deref(), now).map(|recorded| {
                // Erased while it was being sent: the written copy goes too, as the erasure's
                // own files did.
                if recorded == 0
                    && let Some(file) = &file
                    && let Err(error) = std::fs::remove_file(file)
                {
                    tracing::warn!(%error, file, "cannot delete an erased message's file");
                }
            })
        }
        Ok((subject, None)) => {
            tracing::info!(message = %row.id, kind = %row.kind, "mail not needed");
            outbox::mark_not_needed(conn, &row.id, &subject, now)
        }
        Err(error) => {
            let retry_at = (row.delivery.attempts < MAX_ATTEMPTS).then(|| {
                let pause = Duration::from_secs(1u64 << row.delivery.attempts.clamp(0, 16))
                    .min(settings.retry_cap);
                now + chrono::Duration::from_std(pause).unwrap_or(chrono::Duration::seconds(1))
            });
            // The reason may quote the address (a mail server's refusal usually does): it is kept
            // with the message, for organisers, and never written to the log.
            tracing::warn!(message = %row.id, attempt = row.delivery.attempts, "mail not sent; the reason is in the outbox");
            outbox::mark_attempt_failed(conn, &row.id, &error, retry_at)
        }
    };
    if let Err(error) = recorded {
        // The lease runs out and the message is tried again: sent at least once, never lost.
        tracing::warn!(message = %row.id, %error, "cannot record a mail attempt");
    }
}
