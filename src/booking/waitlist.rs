//! The waiting list of a sold-out screening: join, be offered freed seats in order, claim them
//! as an ordinary booking, or let the offer pass to the next person.
//!
//! Capacity stays one rule: seats held for an offer are counted in `screenings.booked` (and in
//! `screenings.held`), so no booking can take them, and every change happens under the
//! screening's row lock (the lock order of every write: the screening first). Bookings may not
//! take seats that fit someone waiting (`screenings.waiting_min_seats`, kept here, is compared by
//! the booking rule, [`super::record::Seats::take`], under the same lock), so freed seats reach
//! the list first.
//!
//! Seats are offered by [`offer_freed`]: after a cancellation in the same transaction, and by the
//! background [`Sweeper`] every few seconds (capacity increases, expired offers, whatever another
//! instance left). An offer is held for the screening's `offer_minutes` (default 60), at most half
//! the time left before the start, at least [`MIN_HOLD_MINUTES`]; no offer is made in the last
//! [`LAST_OFFER_MINUTES`] before the start (the standby line at the door takes over).

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::queries::{BookingRequest, NewBooking, screening_cancelled};
use super::record::issue_booking;
use crate::catalogue::queries::kept;
use crate::db::outbox::{self, Kind};
use crate::db::periodic::{Periodic, sweep_every};
use crate::db::schema::{screenings, waitlist_entries, waitlist_tokens};
use crate::db::tx::write_on_changing;
use crate::db::{AnyConnection, DbPool, Tx, lock_screenings};
use crate::domain::secret::{hash_token, looks_like_token, new_token};
use crate::domain::status::text_enum;
use crate::domain::ticket_code::TicketSigner;
use crate::domain::{Country, Email, ScreeningId, ScreeningStatus, SeatCount, TicketCategory};
use crate::error::{AppError, Refusal, Thing};
use crate::i18n::Lang;
use crate::web::idempotency::Claimed;
use crate::web::memory::Memory;

/// The shortest hold of an offer, in minutes.
pub const MIN_HOLD_MINUTES: i64 = 5;
/// No offers this close to the start.
pub const LAST_OFFER_MINUTES: i64 = 10;

text_enum!(
    /// Where an entry is in its life.
    EntryStatus {
        /// In line.
        Waiting = "waiting",
        /// Seats are held for this entry until `offer_expires_at`.
        Offered = "offered",
        /// The offer became a booking.
        Claimed = "claimed",
        /// The offer passed to the next entry.
        Expired = "expired",
        /// The person left the list.
        Left = "left",
        /// An organiser removed the entry.
        Removed = "removed",
    }
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = waitlist_entries)]
pub struct EntryRow {
    pub id: String,
    pub screening_id: String,
    pub position: i32,
    pub name: String,
    pub email: String,
    pub country: String,
    pub seats: i32,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub offered_at: Option<NaiveDateTime>,
    pub offer_expires_at: Option<NaiveDateTime>,
    pub booking_id: Option<String>,
    /// The language the person waiting is written to in (`en`, `fr` or `vi`).
    pub lang: String,
    /// Their pseudonym at the festival (`people`).
    pub person_id: String,
}

impl EntryRow {
    pub fn status(&self) -> Result<EntryStatus, AppError> {
        Ok(EntryStatus::from_db(
            "waitlist_entries.status",
            &self.status,
        )?)
    }
}

/// A new entry: its id, its place in line and its private link's token (shown this once).
#[derive(Debug, Clone)]
pub struct Joined {
    pub entry: EntryRow,
    /// How many entries are ahead, plus one.
    pub place: i64,
    pub token: String,
}

/// A screening as joining its waiting list reads it: status, start, capacity, seats taken,
/// whether the list is open, and its seats kept for passes (`pass_seats`, `pass_taken`).
type Row = (String, NaiveDateTime, i32, i32, bool, (i32, i32));

/// Joins the waiting list of a sold-out screening. Refused with `seats_available` when the
/// seats asked for can be booked now, and when the list is closed or the screening is over.
///
/// With an `Idempotency-Key` (`once`), an earlier attempt that joined under the key is the
/// answer: its entry, its place now, its private link; nothing is written again.
pub fn join(
    tx: &mut Tx<'_>,
    screening: ScreeningId,
    request: &BookingRequest,
    once: Option<&Claimed>,
    now: NaiveDateTime,
) -> Result<Joined, AppError> {
    let seats = request.seats.get();
    tx.savepoint(|tx| {
        lock_screenings(tx.conn, &[screening])?;
        // Marked for now, and set to the entry below (a refusal rolls the mark back with the
        // savepoint).
        if let Some(earlier) = once
            .map(|c| c.mark(tx.conn, "joining"))
            .transpose()?
            .flatten()
        {
            let (id, token) = earlier.split_once(' ').ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("an idempotency mark is damaged"))
            })?;
            let entry = entry(tx.conn, id)?;
            let place = place_in_line(tx.conn, &entry)?;
            return Ok(Joined {
                entry,
                place,
                token: token.to_owned(),
            });
        }
        let (status, starts_at, capacity, booked, open, (pass_seats, pass_taken)): Row =
            screenings::table
                .find(screening.to_string())
                .select((
                    screenings::status,
                    screenings::starts_at,
                    screenings::capacity,
                    screenings::booked,
                    screenings::waitlist_open,
                    (screenings::pass_seats, screenings::pass_taken),
                ))
                .first(tx.conn)
                .optional()?
                .ok_or_else(|| AppError::not_found(Thing::Screening))?;
        if ScreeningStatus::from_db("screenings.status", &status)? == ScreeningStatus::Cancelled {
            return Err(screening_cancelled());
        }
        if starts_at <= now {
            return Err(AppError::conflict(
                Refusal::BookingClosed,
                crate::msg!("error-screening-started"),
            ));
        }
        if !open {
            return Err(AppError::conflict(
                Refusal::WaitlistClosed,
                crate::msg!("error-waitlist-closed"),
            ));
        }
        let free = capacity - booked - kept(pass_seats, pass_taken);
        if free >= seats && !someone_waiting_fits(tx.conn, screening, free)? {
            return Err(AppError::Conflict {
                refusal: Refusal::SeatsAvailable,
                message: crate::msg!("error-seats-available", count = free),
                seats_left: Some(i64::from(free)),
            });
        }
        let last: Option<i32> = waitlist_entries::table
            .filter(waitlist_entries::screening_id.eq(screening.to_string()))
            .select(diesel::dsl::max(waitlist_entries::position))
            .first(tx.conn)?;
        let person = crate::db::people::resolve(
            tx.conn,
            &[(&screening.to_string(), request.email.as_str())],
            now,
        )?;
        let person_id = person.into_iter().next().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("no pseudonym was resolved for the entry"))
        })?;
        let entry = EntryRow {
            person_id,
            id: uuid::Uuid::now_v7().to_string(),
            screening_id: screening.to_string(),
            position: last.unwrap_or(0) + 1,
            name: request.name.clone(),
            email: request.email.as_str().to_owned(),
            country: request.country.code().to_owned(),
            seats,
            status: EntryStatus::Waiting.as_str().to_owned(),
            created_at: now,
            offered_at: None,
            offer_expires_at: None,
            booking_id: None,
            lang: request.lang.code().to_owned(),
        };
        diesel::insert_into(waitlist_entries::table)
            .values(&entry)
            .execute(tx.conn)?;
        if request.news {
            crate::db::people::give_consent(
                tx.conn,
                &[&entry.person_id],
                crate::db::people::Purpose::News,
                now,
            )?;
        }
        refresh_waiting(tx.conn, screening)?;
        let token = add_token(tx.conn, &entry.id, now)?;
        outbox::enqueue_for_entry(
            tx.conn,
            Kind::WaitlistJoined,
            &entry.id,
            &entry.email,
            "On the waiting list",
            now,
        )?;
        let place = place_in_line(tx.conn, &entry)?;
        if let Some(claimed) = once {
            claimed.record(tx.conn, &format!("{} {token}", entry.id))?;
        }
        Ok(Joined {
            entry,
            place,
            token,
        })
    })
}

/// Keeps `screenings.waiting_min_seats` (the fewest seats anyone waiting asks for) true, so a
/// booking's conditional update can leave those seats to the list. Under the screening's lock,
/// after every change to who is waiting.
fn refresh_waiting(conn: &mut AnyConnection, screening: ScreeningId) -> Result<(), AppError> {
    let fewest: Option<i32> = waitlist_entries::table
        .filter(waitlist_entries::screening_id.eq(screening.to_string()))
        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
        .select(diesel::dsl::min(waitlist_entries::seats))
        .first(conn)?;
    diesel::update(screenings::table.find(screening.to_string()))
        .set(screenings::waiting_min_seats.eq(fewest))
        .execute(conn)?;
    Ok(())
}

fn someone_waiting_fits(
    conn: &mut AnyConnection,
    screening: ScreeningId,
    free: i32,
) -> Result<bool, AppError> {
    let n: i64 = waitlist_entries::table
        .filter(waitlist_entries::screening_id.eq(screening.to_string()))
        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
        .filter(waitlist_entries::seats.le(free))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A further private link for an entry (each mail carries a fresh one): returns the token.
pub fn add_token(
    conn: &mut AnyConnection,
    entry: &str,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let token = new_token();
    diesel::insert_into(waitlist_tokens::table)
        .values((
            waitlist_tokens::token_hash.eq(hash_token(&token)),
            waitlist_tokens::entry_id.eq(entry),
            waitlist_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The entry a private link opens; a token that opens nothing is "not found".
pub fn entry_by_token(conn: &mut AnyConnection, token: &str) -> Result<EntryRow, AppError> {
    if !looks_like_token(token) {
        return Err(AppError::not_found(Thing::WaitlistEntry));
    }
    waitlist_tokens::table
        .inner_join(waitlist_entries::table)
        .filter(waitlist_tokens::token_hash.eq(hash_token(token)))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::WaitlistEntry))
}

pub fn entry(conn: &mut AnyConnection, id: &str) -> Result<EntryRow, AppError> {
    waitlist_entries::table
        .find(id)
        .select(EntryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::WaitlistEntry))
}

/// The entry's place among those still in line or holding an offer (1 = next); 0 once it has
/// left the line.
pub fn place_in_line(conn: &mut AnyConnection, entry: &EntryRow) -> Result<i64, AppError> {
    if !matches!(entry.status()?, EntryStatus::Waiting | EntryStatus::Offered) {
        return Ok(0);
    }
    Ok(waitlist_entries::table
        .filter(waitlist_entries::screening_id.eq(&entry.screening_id))
        .filter(
            waitlist_entries::status
                .eq_any([EntryStatus::Waiting.as_str(), EntryStatus::Offered.as_str()]),
        )
        .filter(waitlist_entries::position.le(entry.position))
        .count()
        .get_result(conn)?)
}

/// A screening's list in order (organisers).
pub fn entries_of(
    conn: &mut AnyConnection,
    screening: ScreeningId,
) -> Result<Vec<EntryRow>, AppError> {
    Ok(waitlist_entries::table
        .filter(waitlist_entries::screening_id.eq(screening.to_string()))
        .order(waitlist_entries::position.asc())
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// How long an offer made now is held.
pub fn hold_for(offer_minutes: i32, starts_at: NaiveDateTime, now: NaiveDateTime) -> Duration {
    let half_of_what_is_left = (starts_at - now) / 2;
    Duration::minutes(i64::from(offer_minutes))
        .min(half_of_what_is_left)
        .max(Duration::minutes(MIN_HOLD_MINUTES))
}

/// A screening as an offer reads it: status, start, capacity, seats taken, the offer's minutes,
/// and its seats kept for passes (`pass_seats`, `pass_taken`).
type OfferRow = (String, NaiveDateTime, i32, i32, i32, (i32, i32));

/// Offers the screening's free seats to the first waiting entries that fit, in order. Part of
/// the caller's transaction; locks the screening. Returns how many offers were made.
pub fn offer_freed(
    tx: &mut Tx<'_>,
    screening: ScreeningId,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    lock_screenings(tx.conn, &[screening])?;
    let Some(row): Option<OfferRow> = screenings::table
        .find(screening.to_string())
        .select((
            screenings::status,
            screenings::starts_at,
            screenings::capacity,
            screenings::booked,
            screenings::offer_minutes,
            (screenings::pass_seats, screenings::pass_taken),
        ))
        .first(tx.conn)
        .optional()?
    else {
        return Ok(0);
    };
    let (status, starts_at, capacity, mut booked, offer_minutes, (pass_seats, pass_taken)) = row;
    if ScreeningStatus::from_db("screenings.status", &status)? != ScreeningStatus::Scheduled
        || now + Duration::minutes(LAST_OFFER_MINUTES) >= starts_at
    {
        return Ok(0);
    }
    let mut offers = 0;
    // Seats kept for pass holders are not offered (a pass's seat released unused is: it no
    // longer counts as kept, see `cancel`).
    let kept = kept(pass_seats, pass_taken);
    loop {
        let free = capacity - booked - kept;
        if free <= 0 {
            break;
        }
        let next: Option<EntryRow> = waitlist_entries::table
            .filter(waitlist_entries::screening_id.eq(screening.to_string()))
            .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
            .filter(waitlist_entries::seats.le(free))
            .order(waitlist_entries::position.asc())
            .select(EntryRow::as_select())
            .first(tx.conn)
            .optional()?;
        let Some(next) = next else { break };
        let expires = now + hold_for(offer_minutes, starts_at, now);
        diesel::update(
            waitlist_entries::table
                .find(&next.id)
                .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str())),
        )
        .set((
            waitlist_entries::status.eq(EntryStatus::Offered.as_str()),
            waitlist_entries::offered_at.eq(Some(now)),
            waitlist_entries::offer_expires_at.eq(Some(expires)),
        ))
        .execute(tx.conn)?;
        diesel::update(screenings::table.find(screening.to_string()))
            .set((
                screenings::booked.eq(screenings::booked + next.seats),
                screenings::held.eq(screenings::held + next.seats),
            ))
            .execute(tx.conn)?;
        booked += next.seats;
        outbox::enqueue_for_entry(
            tx.conn,
            Kind::WaitlistOffer,
            &next.id,
            &next.email,
            "Seats for you",
            now,
        )?;
        offers += 1;
    }
    if offers > 0 {
        refresh_waiting(tx.conn, screening)?;
    }
    Ok(offers)
}

/// Gives an entry's held seats back (an offer that expired, or was left or removed).
fn release_hold(tx: &mut Tx<'_>, entry: &EntryRow, to: EntryStatus) -> Result<bool, AppError> {
    let changed = diesel::update(
        waitlist_entries::table
            .find(&entry.id)
            .filter(waitlist_entries::status.eq(EntryStatus::Offered.as_str())),
    )
    .set(waitlist_entries::status.eq(to.as_str()))
    .execute(tx.conn)?;
    if changed == 1 {
        diesel::update(screenings::table.find(&entry.screening_id))
            .set((
                screenings::booked.eq(screenings::booked - entry.seats),
                screenings::held.eq(screenings::held - entry.seats),
            ))
            .execute(tx.conn)?;
        tx.changed.seats_freed.insert(ScreeningId::from_db(
            "waitlist_entries.screening_id",
            &entry.screening_id,
        )?);
    }
    Ok(changed == 1)
}

/// Claims an offer: its held seats become an ordinary booking (with signed tickets and mail).
pub fn claim(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    token: &str,
    now: NaiveDateTime,
) -> Result<NewBooking, AppError> {
    tx.savepoint(|tx| {
        let found = entry_by_token(tx.conn, token)?;
        let screening = ScreeningId::from_db("waitlist_entries.screening_id", &found.screening_id)?;
        lock_screenings(tx.conn, &[screening])?;
        let entry = entry(tx.conn, &found.id)?;
        match entry.status()? {
            EntryStatus::Offered => {}
            EntryStatus::Claimed => {
                return Err(AppError::conflict(
                    Refusal::AlreadyClaimed,
                    crate::msg!("error-offer-claimed"),
                ));
            }
            EntryStatus::Waiting => {
                return Err(AppError::conflict(
                    Refusal::NoOffer,
                    crate::msg!("error-no-offer-yet"),
                ));
            }
            EntryStatus::Expired | EntryStatus::Left | EntryStatus::Removed => {
                return Err(AppError::conflict(
                    Refusal::OfferExpired,
                    crate::msg!("error-offer-closed"),
                ));
            }
        }
        if entry.offer_expires_at.is_some_and(|t| t <= now) {
            // Too late, even if the sweeper has not passed yet (it passes the seats on within
            // seconds; a refusal here changes nothing).
            return Err(AppError::conflict(
                Refusal::OfferExpired,
                crate::msg!("error-offer-expired"),
            ));
        }
        let request = BookingRequest {
            name: entry.name.clone(),
            email: Email::parse(&entry.email).map_err(stored("email"))?,
            country: Country::parse(&entry.country).map_err(stored("country"))?,
            seats: SeatCount::parse(i64::from(entry.seats)).map_err(stored("seats"))?,
            category: TicketCategory::Public,
            // The tickets come in the language the person joined the list in.
            lang: crate::domain::stored_lang("waitlist_entries.lang", &entry.lang)?,
            // Asked (or not) when they joined the list.
            news: false,
        };
        let booked = issue_booking(tx, signer, screening, &request, now)?;
        diesel::update(waitlist_entries::table.find(&entry.id))
            .set((
                waitlist_entries::status.eq(EntryStatus::Claimed.as_str()),
                waitlist_entries::booking_id.eq(Some(booked.booking.id.to_string())),
            ))
            .execute(tx.conn)?;
        diesel::update(screenings::table.find(&entry.screening_id))
            .set(screenings::held.eq(screenings::held - entry.seats))
            .execute(tx.conn)?;
        Ok(booked)
    })
}

fn stored(column: &'static str) -> impl Fn(crate::domain::InputError) -> AppError {
    move |e| {
        AppError::internal(anyhow::anyhow!(
            "waitlist_entries.{column} does not parse: {}",
            e.message.render(Lang::En)
        ))
    }
}

/// Takes an entry off the list (its holder leaving, or an organiser removing it); an offer's
/// held seats go to the next entry.
pub fn withdraw(
    tx: &mut Tx<'_>,
    entry_id: &str,
    to: EntryStatus,
    now: NaiveDateTime,
) -> Result<EntryRow, AppError> {
    tx.savepoint(|tx| {
        let found = entry(tx.conn, entry_id)?;
        let screening = ScreeningId::from_db("waitlist_entries.screening_id", &found.screening_id)?;
        lock_screenings(tx.conn, &[screening])?;
        let current = entry(tx.conn, entry_id)?;
        match current.status()? {
            EntryStatus::Waiting => {
                diesel::update(
                    waitlist_entries::table
                        .find(entry_id)
                        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str())),
                )
                .set(waitlist_entries::status.eq(to.as_str()))
                .execute(tx.conn)?;
                refresh_waiting(tx.conn, screening)?;
            }
            EntryStatus::Offered => {
                release_hold(tx, &current, to)?;
                offer_freed(tx, screening, now)?;
            }
            // Already off the list (or a booking now): nothing to do.
            _ => {}
        }
        entry(tx.conn, entry_id)
    })
}

/// Moves an entry to another place in line (organisers): the entries between shift by one.
pub fn move_to(tx: &mut Tx<'_>, entry_id: &str, place: i32) -> Result<Vec<EntryRow>, AppError> {
    tx.savepoint(|tx| {
        let found = entry(tx.conn, entry_id)?;
        let screening = ScreeningId::from_db("waitlist_entries.screening_id", &found.screening_id)?;
        lock_screenings(tx.conn, &[screening])?;
        let mut line = entries_of(tx.conn, screening)?;
        let Some(from) = line.iter().position(|e| e.id == entry_id) else {
            return Err(AppError::not_found(Thing::WaitlistEntry));
        };
        let to = usize::try_from(place.max(1) - 1)
            .unwrap_or(0)
            .min(line.len() - 1);
        let moved = line.remove(from);
        line.insert(to, moved);
        // Positions are unique: park them out of the way first, then number 1, 2, …
        for (i, e) in line.iter().enumerate() {
            let parked = -1 - i32::try_from(i).map_err(AppError::internal)?;
            diesel::update(waitlist_entries::table.find(&e.id))
                .set(waitlist_entries::position.eq(parked))
                .execute(tx.conn)?;
        }
        for (i, e) in line.iter().enumerate() {
            let position = 1 + i32::try_from(i).map_err(AppError::internal)?;
            diesel::update(waitlist_entries::table.find(&e.id))
                .set(waitlist_entries::position.eq(position))
                .execute(tx.conn)?;
        }
        entries_of(tx.conn, screening)
    })
}

/// Opens or closes a screening's list to new entries, and sets how long offers are held.
pub fn configure(
    tx: &mut Tx<'_>,
    screening: ScreeningId,
    open: Option<bool>,
    offer_minutes: Option<i32>,
) -> Result<(), AppError> {
    tx.savepoint(|tx| {
        lock_screenings(tx.conn, &[screening])?;
        if let Some(open) = open {
            diesel::update(screenings::table.find(screening.to_string()))
                .set(screenings::waitlist_open.eq(open))
                .execute(tx.conn)?;
        }
        if let Some(minutes) = offer_minutes {
            diesel::update(screenings::table.find(screening.to_string()))
                .set(screenings::offer_minutes.eq(minutes))
                .execute(tx.conn)?;
        }
        Ok(())
    })
}

/// One pass of the sweeper: expires the offers that ran out, then offers every free seat a
/// waiting entry fits. Each screening in its own transaction.
pub fn sweep(
    conn: &mut AnyConnection,
    memory: &Memory,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    // Each transaction's changes are told to the instance's memory once it is committed.
    fn write(
        conn: &mut AnyConnection,
        memory: &Memory,
        work: &dyn Fn(&mut Tx<'_>) -> Result<usize, AppError>,
    ) -> Result<usize, AppError> {
        let (value, changed) = write_on_changing(conn, Lang::default(), work)?;
        memory.forget(&changed);
        Ok(value)
    }
    let expired: Vec<EntryRow> = waitlist_entries::table
        .filter(waitlist_entries::status.eq(EntryStatus::Offered.as_str()))
        .filter(waitlist_entries::offer_expires_at.le(now))
        .select(EntryRow::as_select())
        .load(conn)?;
    let mut changed = 0;
    for entry in &expired {
        let screening = ScreeningId::from_db("waitlist_entries.screening_id", &entry.screening_id)?;
        changed += write(conn, memory, &|tx| {
            lock_screenings(tx.conn, &[screening])?;
            let released = release_hold(tx, entry, EntryStatus::Expired)?;
            offer_freed(tx, screening, now)?;
            Ok(usize::from(released))
        })?;
    }
    // Free seats with someone waiting who fits: a capacity increase, or an instance that stopped
    // between a release and its offer.
    let candidates: Vec<String> = waitlist_entries::table
        .inner_join(screenings::table)
        .filter(waitlist_entries::status.eq(EntryStatus::Waiting.as_str()))
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .filter(screenings::starts_at.gt(now + Duration::minutes(LAST_OFFER_MINUTES)))
        .filter(waitlist_entries::seats.le(screenings::capacity - screenings::booked))
        // Not into seats kept for passes (exact with the line above: see `kept`).
        .filter(waitlist_entries::seats.le(screenings::capacity
            - screenings::booked
            - screenings::pass_seats
            + screenings::pass_taken))
        .select(waitlist_entries::screening_id)
        .distinct()
        .load(conn)?;
    for screening in candidates {
        let screening = ScreeningId::from_db("waitlist_entries.screening_id", &screening)?;
        changed += write(conn, memory, &|tx| offer_freed(tx, screening, now))?;
    }
    Ok(changed)
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

    /// Starts the sweeper of the instance whose memory is `memory`.
    pub fn start(
        pool: DbPool,
        memory: Arc<Memory>,
        interval: StdDuration,
    ) -> std::io::Result<Sweeper> {
        let thread = sweep_every(
            "marquee-waitlist",
            "waiting-list sweep",
            pool,
            interval,
            move |conn| sweep(conn, &memory, Utc::now().naive_utc()),
        )?;
        Ok(Sweeper { thread })
    }
}
