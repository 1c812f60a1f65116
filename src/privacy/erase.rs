//! Erasure: a person's name, address and free text removed from every record, leaving a
//! pseudonym — on their own request, an organiser's, or a festival's retention running out.
//!
//! What stays, and why every report stays exact: bookings, tickets, waiting-list entries and the
//! scan log keep their ids, statuses, seats, times and the holder's country (a country alone
//! identifies no one); the attendance rollup is keyed by the person's pseudonym (`people.id`),
//! which stays too. So admissions, unique attendees and countries count the same before and
//! after, `verify-scans` holds (the log never held a name) and `check-counters` holds.
//!
//! What goes: the name (replaced by the pseudonym), the address, the organisers' search words,
//! consents, data-request links, and the person's mail — queued messages deleted unsent, sent
//! ones reduced to their kind, status and times, their written `.eml` files deleted (after the
//! commit, by the caller: [`Erased::files`]). A ticket erased before its screening keeps
//! admitting, unless the person asked for their upcoming bookings to be cancelled too; places on
//! waiting lists are given up (no one could be told of a seat any more). Each erasure is recorded
//! — when, what scope, on whose request, how many records — never with the erased data.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::booking::waitlist::{self, EntryStatus};
use crate::db::Tx;
use crate::db::audit::{self, Change};
use crate::db::outbox::Status;
use crate::db::schema::{
    booking_words, bookings, consents, data_requests, erasures, outbox, pass_tokens, passes,
    people, screenings, waitlist_entries,
};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::{BookingId, BookingStatus, FestivalId, PassStatus, ScreeningId};
use crate::error::AppError;
use crate::mail::compose::lower;
use crate::staff::StaffMember;

/// Whose data is erased.
#[derive(Debug, Clone)]
pub enum Target {
    /// One address: at one festival, or everywhere.
    Address {
        email: String,
        festival: Option<FestivalId>,
    },
    /// Everyone's at one festival (retention, or an organiser shredding a finished festival).
    Festival(FestivalId),
}

/// Who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requester {
    /// The person, through the link mailed to their address.
    Person,
    /// A member of the festival's team (recorded in the audit trail).
    Organiser(StaffMember),
    /// The festival's retention period ran out.
    Retention,
}

/// How many records an erasure changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    pub people: usize,
    pub bookings: usize,
    /// Upcoming bookings cancelled because the person asked.
    pub bookings_cancelled: usize,
    pub waitlist_entries: usize,
    pub messages: usize,
    pub consents: usize,
    /// Festival passes (their seats are among the bookings).
    #[serde(default)]
    pub passes: usize,
}

/// What an erasure did: its counts, and the written messages to delete once it has committed.
#[derive(Debug, Default)]
pub struct Erased {
    pub counts: Counts,
    pub files: Vec<String>,
}

/// The pseudonym an erased person's records show instead of their name.
pub fn pseudonym(person_id: &str) -> String {
    let short: String = person_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    format!("erased-{short}")
}

/// Erases (see the module). `cancel_upcoming`: the person also asked that their bookings for
/// screenings not yet started be cancelled (their seats freed).
pub fn erase(
    tx: &mut Tx<'_>,
    target: &Target,
    requester: Requester,
    cancel_upcoming: bool,
    now: NaiveDateTime,
) -> Result<Erased, AppError> {
    tx.savepoint(|tx| {
        let mut erased = Erased::default();
        let (found_bookings, found_entries) = records_of(tx, target)?;
        let cancelled = |b: &&FoundBooking| {
            cancel_upcoming && b.2 == BookingStatus::Confirmed.as_str() && b.1 > now
        };
        let given_up = |e: &&FoundEntry| {
            [EntryStatus::Waiting.as_str(), EntryStatus::Offered.as_str()].contains(&e.1.as_str())
        };
        // Cancelling and giving up places free seats: their screenings are locked first, all at
        // once and in the one order every write takes them (not one by one as found).
        let seats_freed_at = found_bookings
            .iter()
            .filter(cancelled)
            .map(|b| &b.5)
            .chain(found_entries.iter().filter(given_up).map(|e| &e.4))
            .map(|id| ScreeningId::from_db("screening_id", id))
            .collect::<Result<Vec<_>, _>>()?;
        crate::db::lock_screenings(tx.conn, &seats_freed_at)?;
        for (id, ..) in found_bookings.iter().filter(cancelled) {
            crate::booking::cancel::cancel_booking(
                tx,
                BookingId::from_db("bookings.id", id)?,
                now,
            )?;
            erased.counts.bookings_cancelled += 1;
        }
        let pass_ids = erase_passes(tx, target, cancel_upcoming, now)?;
        forget_answers(tx, target)?;
        erased.counts.passes = pass_ids.len();
        // Nobody could be told of a seat any more: places in line are given up.
        for (id, ..) in found_entries.iter().filter(given_up) {
            waitlist::withdraw(tx, id, EntryStatus::Left, now)?;
        }
        let booking_ids: Vec<&str> = found_bookings.iter().map(|b| b.0.as_str()).collect();
        let entry_ids: Vec<&str> = found_entries.iter().map(|e| e.0.as_str()).collect();
        let people_of = found_bookings
            .iter()
            .map(|b| (&b.3, &b.4))
            .chain(found_entries.iter().map(|e| (&e.2, &e.3)));
        let mut person_ids: BTreeSet<String> = people_of.clone().map(|(p, _)| p.clone()).collect();
        let mut addresses: BTreeSet<String> = people_of
            .map(|(_, email)| crate::db::people::email_key(email))
            .collect();
        // The people themselves, with or without records left.
        let mut query = people::table
            .filter(people::email_key.is_not_null())
            .select(people::id)
            .into_boxed();
        match target {
            Target::Address { email, festival } => {
                let key = crate::db::people::email_key(email);
                query = query.filter(people::email_key.eq(key.clone()));
                if let Some(festival) = festival {
                    query = query.filter(people::festival_id.eq(festival.to_string()));
                }
                addresses.insert(key);
            }
            Target::Festival(festival) => {
                query = query.filter(people::festival_id.eq(festival.to_string()));
            }
        }
        person_ids.extend(query.load::<String>(tx.conn)?);
        person_ids.remove("");
        addresses.remove("");
        let person_ids: Vec<String> = person_ids.into_iter().collect();
        let addresses: Vec<String> = addresses.into_iter().collect();

        // The records themselves: the name becomes the pseudonym, the address goes.
        for (id, _, _, person, ..) in &found_bookings {
            diesel::update(bookings::table.find(id))
                .set((bookings::name.eq(pseudonym(person)), bookings::email.eq("")))
                .execute(tx.conn)?;
        }
        erased.counts.bookings = found_bookings.len();
        for chunk in booking_ids.chunks(500) {
            diesel::delete(booking_words::table.filter(booking_words::booking_id.eq_any(chunk)))
                .execute(tx.conn)?;
        }
        for (id, _, person, ..) in &found_entries {
            diesel::update(waitlist_entries::table.find(id))
                .set((
                    waitlist_entries::name.eq(pseudonym(person)),
                    waitlist_entries::email.eq(""),
                ))
                .execute(tx.conn)?;
        }
        erased.counts.waitlist_entries = found_entries.len();
        for chunk in person_ids.chunks(500) {
            erased.counts.consents +=
                diesel::delete(consents::table.filter(consents::person_id.eq_any(chunk)))
                    .execute(tx.conn)?;
            erased.counts.people += diesel::update(
                people::table
                    .filter(people::id.eq_any(chunk))
                    .filter(people::email_key.is_not_null()),
            )
            .set((
                people::email_key.eq(None::<String>),
                people::erased_at.eq(Some(now)),
            ))
            .execute(tx.conn)?;
        }
        // Their mail: about their bookings and entries, and sent to their address.
        let mut message_ids: BTreeSet<String> = BTreeSet::new();
        for chunk in booking_ids.chunks(500) {
            message_ids.extend(
                outbox::table
                    .filter(outbox::booking_id.eq_any(chunk))
                    .select(outbox::id)
                    .load::<String>(tx.conn)?,
            );
        }
        for chunk in entry_ids.chunks(500) {
            message_ids.extend(
                outbox::table
                    .filter(outbox::waitlist_entry_id.eq_any(chunk))
                    .select(outbox::id)
                    .load::<String>(tx.conn)?,
            );
        }
        for chunk in pass_ids.chunks(500) {
            message_ids.extend(
                outbox::table
                    .filter(outbox::pass_id.eq_any(chunk))
                    .select(outbox::id)
                    .load::<String>(tx.conn)?,
            );
            // The links to the pass's page: its holder is gone from it.
            diesel::delete(pass_tokens::table.filter(pass_tokens::pass_id.eq_any(chunk)))
                .execute(tx.conn)?;
        }
        for chunk in addresses.chunks(500) {
            message_ids.extend(
                outbox::table
                    .filter(outbox::recipient.eq_any(chunk))
                    .filter(outbox::booking_id.is_null())
                    .filter(outbox::waitlist_entry_id.is_null())
                    .select(outbox::id)
                    .load::<String>(tx.conn)?,
            );
            diesel::delete(data_requests::table.filter(data_requests::email.eq_any(chunk)))
                .execute(tx.conn)?;
        }
        let message_ids: Vec<String> = message_ids.into_iter().collect();
        for chunk in message_ids.chunks(500) {
            erased.files.extend(
                outbox::table
                    .filter(outbox::id.eq_any(chunk))
                    .select(outbox::file)
                    .load::<Option<String>>(tx.conn)?
                    .into_iter()
                    .flatten(),
            );
            // Not sent yet: nothing to keep.
            diesel::delete(
                outbox::table
                    .filter(outbox::id.eq_any(chunk))
                    .filter(outbox::status.eq(Status::Queued.as_str())),
            )
            .execute(tx.conn)?;
            diesel::update(outbox::table.filter(outbox::id.eq_any(chunk)))
                .set((
                    outbox::recipient.eq(""),
                    outbox::subject.eq(""),
                    outbox::file.eq(None::<String>),
                    outbox::last_error.eq(None::<String>),
                ))
                .execute(tx.conn)?;
            erased.counts.messages += chunk.len();
        }
        let festival = match target {
            Target::Address { festival, .. } => *festival,
            Target::Festival(f) => Some(*f),
        };
        let (requested_by, staff) = match &requester {
            Requester::Person => ("person", None),
            Requester::Organiser(staff) => ("organiser", Some(staff.id.to_string())),
            Requester::Retention => ("retention", None),
        };
        diesel::insert_into(erasures::table)
            .values((
                erasures::id.eq(uuid::Uuid::now_v7().to_string()),
                erasures::at.eq(now),
                erasures::festival_id.eq(festival.map(|f| f.to_string())),
                erasures::requested_by.eq(requested_by),
                erasures::staff_id.eq(staff),
                erasures::counts
                    .eq(serde_json::to_string(&erased.counts).map_err(AppError::internal)?),
            ))
            .execute(tx.conn)?;
        if let Requester::Organiser(staff) = &requester {
            let (action, subject) = match target {
                Target::Address { .. } => ("person.erase", "person".to_owned()),
                Target::Festival(f) => ("festival.shred", format!("festival:{f}")),
            };
            let change = Change::new(festival, action, subject).after(&erased.counts);
            audit::record(tx.by(staff), change)?;
        }
        Ok(erased)
    })
}

/// Forgets the answers kept for retries (`Idempotency-Key`, an hour at most) that name the
/// address as a booking's `"email"` — or, for a whole festival, every answered one: they are a
/// cache, not a record. (A key still being answered is left: forgetting it would let a retry
/// write twice.)
fn forget_answers(tx: &mut Tx<'_>, target: &Target) -> Result<(), AppError> {
    use crate::db::schema::idempotency_keys;
    let answered = idempotency_keys::status.is_not_null();
    match target {
        Target::Address { email, .. } => {
            let named = format!("\"email\":\"{}\"", crate::db::people::email_key(email));
            let escaped: String = named
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            diesel::delete(
                idempotency_keys::table.filter(answered).filter(
                    lower(idempotency_keys::body.assume_not_null())
                        .like(format!("%{escaped}%"))
                        .escape('\\'),
                ),
            )
            .execute(tx.conn)?;
        }
        Target::Festival(_) => {
            diesel::delete(idempotency_keys::table.filter(answered)).execute(tx.conn)?;
        }
    }
    Ok(())
}

/// Erases the holders of the target's passes: the name becomes the pseudonym, the address and
/// organisation go. A person who asked for their upcoming bookings to be cancelled has their
/// passes revoked too (their seats were given back with the bookings). The passes' ids.
fn erase_passes(
    tx: &mut Tx<'_>,
    target: &Target,
    revoke: bool,
    now: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    let mut found = passes::table
        .filter(passes::email.ne(""))
        .select((passes::id, passes::person_id))
        .into_boxed();
    match target {
        Target::Address { email, festival } => {
            found = found.filter(lower(passes::email).eq(crate::db::people::email_key(email)));
            if let Some(festival) = festival {
                found = found.filter(passes::festival_id.eq(festival.to_string()));
            }
        }
        Target::Festival(festival) => {
            found = found.filter(passes::festival_id.eq(festival.to_string()));
        }
    }
    // In id order: two erasures updating the same passes take their locks in one order.
    let found: Vec<(String, String)> = found.order(passes::id).load(tx.conn)?;
    for (id, person) in &found {
        diesel::update(passes::table.find(id))
            .set((
                passes::name.eq(pseudonym(person)),
                passes::email.eq(""),
                passes::organisation.eq(""),
                // The manage token given when it was issued opens its page no more.
                passes::manage_token_hash.eq(hash_token(&new_token())),
            ))
            .execute(tx.conn)?;
        // A face is personal data as much as a name.
        crate::passes::photo::remove(tx.conn, id)?;
        if revoke {
            diesel::update(
                passes::table
                    .find(id)
                    .filter(passes::status.eq(PassStatus::Active.as_str())),
            )
            .set((
                passes::status.eq(PassStatus::Revoked.as_str()),
                passes::revoked_at.eq(Some(now)),
            ))
            .execute(tx.conn)?;
        }
    }
    // A festival shredded whole keeps no face, whoever's (a pass erased before, say).
    if let Target::Festival(festival) = target {
        let ids: Vec<String> = passes::table
            .filter(passes::festival_id.eq(festival.to_string()))
            .filter(passes::photo_at.is_not_null())
            .select(passes::id)
            .load(tx.conn)?;
        for id in &ids {
            crate::passes::photo::remove(tx.conn, id)?;
        }
    }
    Ok(found.into_iter().map(|(id, _)| id).collect())
}

/// A booking found for erasure: its id, its screening's start, its status, its holder's
/// pseudonym and address, its screening.
type FoundBooking = (String, NaiveDateTime, String, String, String, String);
/// A waiting-list entry found for erasure: its id, status, pseudonym and address, its screening.
type FoundEntry = (String, String, String, String, String);

/// The bookings and waiting-list entries an erasure is about (ids, and what deciding needs).
fn records_of(
    tx: &mut Tx<'_>,
    target: &Target,
) -> Result<(Vec<FoundBooking>, Vec<FoundEntry>), AppError> {
    let mut b = bookings::table
        .inner_join(screenings::table)
        .filter(bookings::email.ne(""))
        .select((
            bookings::id,
            screenings::starts_at,
            bookings::status,
            bookings::person_id,
            bookings::email,
            bookings::screening_id,
        ))
        .into_boxed();
    let mut w = waitlist_entries::table
        .inner_join(screenings::table)
        .filter(waitlist_entries::email.ne(""))
        .select((
            waitlist_entries::id,
            waitlist_entries::status,
            waitlist_entries::person_id,
            waitlist_entries::email,
            waitlist_entries::screening_id,
        ))
        .into_boxed();
    let festival = match target {
        Target::Address { email, festival } => {
            let key = crate::db::people::email_key(email);
            b = b.filter(lower(bookings::email).eq(key.clone()));
            w = w.filter(lower(waitlist_entries::email).eq(key));
            *festival
        }
        Target::Festival(f) => Some(*f),
    };
    if let Some(f) = festival {
        b = b.filter(screenings::festival_id.eq(f.to_string()));
        w = w.filter(screenings::festival_id.eq(f.to_string()));
    }
    Ok((b.load(tx.conn)?, w.load(tx.conn)?))
}
