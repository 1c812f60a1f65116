//! The outbox: outgoing mail recorded in the same transaction as what it tells, delivered later.
//!
//! Why a table and not a send from the handler: a booking must be answered as soon as it is
//! committed, whether or not the mail server is up, and a message must survive a crash or a
//! restart. So a write records a small row here (no content, no secret: the message is composed
//! when it is sent), and a sender ([`crate::mail::sender`]) delivers due rows with retries and a
//! growing pause. A sender takes a row by moving its `next_attempt_at` into the future with one
//! conditional update (a lease): two senders — of one instance or several — never take the same
//! row at once, and a sender that dies mid-send leaves the row to be taken again when the lease
//! runs out. Delivery is therefore at least once.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{bookings, outbox, waitlist_entries};
use super::{AnyConnection, Tx};
use crate::domain::status::text_enum;
use crate::domain::{BookingId, ScreeningId, Unreadable};
use crate::i18n::Lang;

/// Wakes this instance's mail sender once a write that queued a message has committed (the
/// sender also looks every few seconds, so a lost wake-up only delays). Cloning shares it.
#[derive(Clone)]
pub struct Waker {
    wake: std::sync::mpsc::SyncSender<()>,
}

impl Waker {
    /// A waker, and the receiving end the sender waits on.
    pub fn new() -> (Waker, std::sync::mpsc::Receiver<()>) {
        let (wake, woken) = std::sync::mpsc::sync_channel(1);
        (Waker { wake }, woken)
    }

    pub fn wake(&self) {
        let _ = self.wake.try_send(());
    }
}

/// How long a sender may take to deliver a message before another may try.
pub const LEASE_SECONDS: i64 = 300;

text_enum!(
    /// What a message tells.
    #[schema(as = MessageKind)]
    Kind {
        /// A booking or invitation: the tickets (QR codes, PDF, calendar event) and the manage
        /// link.
        Booking = "booking",
        /// The holder (or an organiser) cancelled the booking.
        Cancellation = "cancellation",
        /// An organiser cancelled the screening.
        ScreeningCancelled = "screening_cancelled",
        /// The screening's time or place changed.
        ScreeningChanged = "screening_changed",
        /// "Find my tickets": every current booking of an address, with manage links.
        FindTickets = "find_tickets",
        /// A place on a waiting list: the position and the private link.
        WaitlistJoined = "waitlist_joined",
        /// Seats freed for a waiting-list entry, held until a time: the claim link.
        WaitlistOffer = "waitlist_offer",
        /// "What do you hold about me?": a link to everything held about the address.
        DataAccess = "data_access",
        /// A festival pass: its QR code, its badge (PDF) and the private link to its page.
        Pass = "pass",
        /// A team member's invitation: the link to set up their account.
        StaffInvitation = "staff_invitation",
        /// A team member's sign-in link.
        StaffSignIn = "staff_sign_in",
    }
);

text_enum!(
    /// Where a message is in its life.
    #[schema(as = MessageStatus)]
    Status {
        /// Waiting for its first or next attempt.
        Queued = "queued",
        /// Accepted by the mail server (or written to the mail folder).
        Sent = "sent",
        /// Given up after every attempt; an organiser can send it again.
        Failed = "failed",
    }
);

/// One message as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub booking_id: Option<String>,
    pub waitlist_entry_id: Option<String>,
    pub pass_id: Option<String>,
    /// A message to a staff member (an invitation, a sign-in link).
    pub staff_id: Option<String>,
    pub recipient: String,
    pub subject: String,
    /// The language the message is written in: its recipient's (`en`, `fr` or `vi`).
    pub lang: String,
    pub file: Option<String>,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub delivery: Delivery,
}

/// Where a message's delivery stands.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Delivery {
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

impl OutboxRow {
    pub fn kind(&self) -> Result<Kind, Unreadable> {
        Kind::from_db("outbox.kind", &self.kind)
    }

    pub fn status(&self) -> Result<Status, Unreadable> {
        Status::from_db("outbox.status", &self.delivery.status)
    }

    pub fn lang(&self) -> Result<Lang, Unreadable> {
        crate::domain::stored_lang("outbox.lang", &self.lang)
    }
}

/// Records a message to send, in the caller's transaction. `subject` is what organisers see in
/// the outbox until the message is composed. The message is written in its recipient's language:
/// the booking's, or — for a message about no booking ("find my tickets") — the write's
/// ([`Tx::lang`]: the request's).
pub fn enqueue(
    tx: &mut Tx<'_>,
    kind: Kind,
    booking: Option<BookingId>,
    recipient: &str,
    subject: &str,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    let booking = booking.map(|b| b.to_string());
    let lang = match &booking {
        Some(id) => bookings::table
            .find(id)
            .select(bookings::lang)
            .first::<String>(tx.conn)
            .optional()?,
        None => None,
    };
    insert(
        tx.conn,
        &Queued {
            kind,
            booking: booking.as_deref(),
            entry: None,
            pass: None,
            recipient,
            subject,
            lang: &lang.unwrap_or_else(|| tx.lang.code().to_owned()),
        },
        now,
    )
}

/// Records a message about a waiting-list entry, in the caller's transaction, in the entry's
/// language.
pub fn enqueue_for_entry(
    conn: &mut AnyConnection,
    kind: Kind,
    entry: &str,
    recipient: &str,
    subject: &str,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    let lang: String = waitlist_entries::table
        .find(entry)
        .select(waitlist_entries::lang)
        .first(conn)?;
    insert(
        conn,
        &Queued {
            kind,
            booking: None,
            entry: Some(entry),
            pass: None,
            recipient,
            subject,
            lang: &lang,
        },
        now,
    )
}

/// Records a message about a pass to its holder, in the caller's transaction, in the holder's
/// language.
pub fn enqueue_for_pass(
    conn: &mut AnyConnection,
    pass: &str,
    recipient: &str,
    lang: &str,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    insert(
        conn,
        &Queued {
            kind: Kind::Pass,
            booking: None,
            entry: None,
            pass: Some(pass),
            recipient,
            subject: "Your festival pass",
            lang,
        },
        now,
    )
}

/// Records a message to a staff member (an invitation, a sign-in link), composed when it is sent
/// with a fresh link; none when `per_hour` such messages were recorded for them in the last hour.
pub fn enqueue_for_staff(
    conn: &mut AnyConnection,
    kind: Kind,
    staff: crate::domain::StaffId,
    recipient: &str,
    lang: &str,
    now: NaiveDateTime,
    per_hour: i64,
) -> Result<Option<String>, diesel::result::Error> {
    let lately: i64 = outbox::table
        .filter(outbox::staff_id.eq(staff.to_string()))
        .filter(outbox::kind.eq(kind.as_str()))
        .filter(outbox::created_at.gt(now - Duration::hours(1)))
        .count()
        .get_result(conn)?;
    if lately >= per_hour {
        return Ok(None);
    }
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::kind.eq(kind.as_str()),
            outbox::staff_id.eq(Some(staff.to_string())),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(match kind {
                Kind::StaffInvitation => "Your invitation",
                _ => "Your sign-in link",
            }),
            outbox::status.eq(Status::Queued.as_str()),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
            outbox::lang.eq(lang),
        ))
        .execute(conn)?;
    Ok(Some(id))
}

/// A message about to be recorded.
pub struct Queued<'a> {
    pub kind: Kind,
    pub booking: Option<&'a str>,
    pub entry: Option<&'a str>,
    pub pass: Option<&'a str>,
    pub recipient: &'a str,
    pub subject: &'a str,
    /// The recipient's language code.
    pub lang: &'a str,
}

fn insert(
    conn: &mut AnyConnection,
    m: &Queued<'_>,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    let mut ids = insert_all(conn, std::slice::from_ref(m), now)?;
    ids.pop()
        .ok_or_else(|| diesel::result::Error::QueryBuilderError("no message was recorded".into()))
}

/// Records messages to send, in the caller's transaction, with one statement; their ids in order.
pub fn insert_all(
    conn: &mut AnyConnection,
    messages: &[Queued<'_>],
    now: NaiveDateTime,
) -> Result<Vec<String>, diesel::result::Error> {
    let ids: Vec<String> = messages
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let rows: Vec<_> = messages
        .iter()
        .zip(&ids)
        .map(|(m, id)| {
            (
                outbox::id.eq(id),
                outbox::kind.eq(m.kind.as_str()),
                outbox::booking_id.eq(m.booking),
                outbox::waitlist_entry_id.eq(m.entry),
                outbox::pass_id.eq(m.pass),
                outbox::recipient.eq(m.recipient),
                outbox::subject.eq(m.subject),
                outbox::status.eq(Status::Queued.as_str()),
                outbox::attempts.eq(0),
                outbox::next_attempt_at.eq(now),
                outbox::created_at.eq(now),
                outbox::lang.eq(m.lang),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(ids);
    }
    // One multi-row statement (diesel writes one only for a backend it knows).
    let insert = diesel::insert_into(outbox::table).values(rows);
    crate::on_each_backend!(conn, c => insert.execute(c)?);
    Ok(ids)
}

/// Takes up to `limit` due messages for this sender (see the module's lease), oldest first.
pub fn take_due(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<OutboxRow>, diesel::result::Error> {
    let due: Vec<String> = outbox::table
        .filter(outbox::status.eq(Status::Queued.as_str()))
        .filter(outbox::next_attempt_at.le(now))
        .order(outbox::next_attempt_at.asc())
        .select(outbox::id)
        .limit(limit)
        .load(conn)?;
    let lease_until = now + Duration::seconds(LEASE_SECONDS);
    let mut taken = Vec::with_capacity(due.len());
    for id in due {
        let won = diesel::update(
            outbox::table
                .find(&id)
                .filter(outbox::status.eq(Status::Queued.as_str()))
                .filter(outbox::next_attempt_at.le(now)),
        )
        .set((
            outbox::next_attempt_at.eq(lease_until),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)?;
        if won == 1 {
            taken.push(
                outbox::table
                    .find(&id)
                    .select(OutboxRow::as_select())
                    .first(conn)?,
            );
        }
    }
    Ok(taken)
}

/// The message was delivered; how many rows recorded it (0 when its row was erased meanwhile).
pub fn mark_sent(
    conn: &mut AnyConnection,
    id: &str,
    subject: &str,
    file: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, diesel::result::Error> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(Status::Sent.as_str()),
            outbox::subject.eq(subject),
            outbox::sent_at.eq(Some(now)),
            outbox::file.eq(file),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// Nothing was to be sent (an address nothing is held about asked for its data, or for tickets
/// it does not have): settled with the reason as its subject, and the address not kept — it was
/// written to by nobody, and erasure or retention would never reach it.
pub fn mark_not_needed(
    conn: &mut AnyConnection,
    id: &str,
    subject: &str,
    now: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(Status::Sent.as_str()),
            outbox::subject.eq(subject),
            outbox::sent_at.eq(Some(now)),
            outbox::recipient.eq(""),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The attempt failed: try again at `retry_at`, or give up (`None`).
pub fn mark_attempt_failed(
    conn: &mut AnyConnection,
    id: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), diesel::result::Error> {
    let error: String = error.chars().take(500).collect();
    match retry_at {
        Some(at) => diesel::update(outbox::table.find(id))
            .set((
                outbox::last_error.eq(Some(&error)),
                outbox::next_attempt_at.eq(at),
            ))
            .execute(conn)?,
        None => diesel::update(outbox::table.find(id))
            .set((
                outbox::last_error.eq(Some(&error)),
                outbox::status.eq(Status::Failed.as_str()),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Queues a message again (an organiser's "send again"), whatever its status.
pub fn requeue(
    conn: &mut AnyConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<usize, diesel::result::Error> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(Status::Queued.as_str()),
            outbox::next_attempt_at.eq(now),
            outbox::attempts.eq(0),
        ))
        .execute(conn)
}

/// The newest messages first, optionally one status only.
pub fn list(
    conn: &mut AnyConnection,
    status: Option<Status>,
    limit: i64,
) -> Result<Vec<OutboxRow>, diesel::result::Error> {
    let mut query = outbox::table
        .select(OutboxRow::as_select())
        .order(outbox::created_at.desc())
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.as_str()));
    }
    query.load(conn)
}

pub fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<OutboxRow>, diesel::result::Error> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Messages of `kind` to `recipient` since `since` (to rate-limit "find my tickets" per address).
pub fn sent_to_since(
    conn: &mut AnyConnection,
    kind: Kind,
    recipient: &str,
    since: NaiveDateTime,
) -> Result<i64, diesel::result::Error> {
    outbox::table
        .filter(outbox::kind.eq(kind.as_str()))
        .filter(outbox::recipient.eq(recipient))
        .filter(outbox::created_at.ge(since))
        .count()
        .get_result(conn)
}

/// Queues one message of `kind` to the holder of every confirmed booking of a screening (it was
/// cancelled, or moved) whose address is still held (an erased holder is written to by nobody),
/// in the caller's transaction. Returns how many were queued.
pub fn enqueue_for_holders(
    conn: &mut AnyConnection,
    screening: ScreeningId,
    kind: Kind,
    subject: &str,
    now: NaiveDateTime,
) -> Result<usize, diesel::result::Error> {
    let holders: Vec<(String, String, String)> = bookings::table
        .filter(bookings::screening_id.eq(screening.to_string()))
        .filter(bookings::status.eq("confirmed"))
        .filter(bookings::email.ne(""))
        .select((bookings::id, bookings::email, bookings::lang))
        .load(conn)?;
    for (booking, email, lang) in &holders {
        insert(
            conn,
            &Queued {
                kind,
                booking: Some(booking),
                entry: None,
                pass: None,
                recipient: email,
                subject,
                lang,
            },
            now,
        )?;
    }
    Ok(holders.len())
}
