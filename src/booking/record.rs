//! Bookings recorded set-based, like scans: everything that needs no lock is done before a
//! booking is queued, and the writer records every booking queued for one screening at once.
//!
//! [`Attempt::new`] runs on the HTTP worker: it chooses the booking's and tickets' ids, signs one
//! code per seat and makes the manage token ([`issue`]). [`book`] runs in the writer for the
//! attempts of one screening in a batch: it locks the screening's row and reads its seats, takes
//! or refuses each attempt in arrival order with the pure rule ([`Seats::take`]), then claims the
//! seats taken with one conditional update (`… SET booked = booked + n WHERE … booked + n <=
//! capacity`: the database still refuses to oversell, whatever the rule said) and writes the
//! bookings, their tickets and their mail with one multi-row insert each. Answers are built from
//! the rows written, never read back.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::{BookingRequest, BookingRow, NewBooking, TicketRow, screening_cancelled};
use crate::db::audit::{self, Actor, Change};
use crate::db::schema::{booking_words, bookings, screenings, tickets};
use crate::db::writer::SetWrite;
use crate::db::{AnyConnection, Lock, Tx, outbox, tallies};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::ticket_code::TicketSigner;
use crate::domain::{
    BookingId, BookingStatus, ScreeningId, ScreeningStatus, TicketCategory, TicketId, TicketStatus,
};
use crate::error::{AppError, Refusal, Thing};
use crate::i18n::Lang;
use crate::web::idempotency::Claimed;

/// Books seats, or explains why not: sold out (with the seats left), cancelled, closed, unknown.
/// One attempt in a transaction of its own (the HTTP paths queue [`Attempt`]s for the writer,
/// which records many at once the same way).
pub fn book_seats(
    conn: &mut AnyConnection,
    signer: &TicketSigner,
    screening_id: ScreeningId,
    request: &BookingRequest,
    now: NaiveDateTime,
) -> Result<NewBooking, AppError> {
    let attempt = Attempt::new(signer, screening_id, request, now);
    crate::db::tx::write_on(conn, attempt.lang, |tx| {
        crate::db::writer::run_alone(tx, &attempt)
    })
}

/// Writes a booking whose seats are already counted in `screenings.booked`: the booking, one
/// signed ticket per seat, the tallies and the mail. Part of the caller's transaction.
pub fn issue_booking(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    screening_id: ScreeningId,
    request: &BookingRequest,
    now: NaiveDateTime,
) -> Result<NewBooking, AppError> {
    let issued = issue(signer, screening_id, request, now);
    store(tx, &[&issued], now)?;
    issued.answer()
}

/// A booking made ready to be written: ids chosen, one signed ticket per seat, its manage token
/// (the only moment it exists in clear).
#[derive(Debug, Clone)]
pub struct Issued {
    screening: ScreeningId,
    booking: BookingRow,
    /// The holder's language, for every message about the booking.
    lang: Lang,
    category: TicketCategory,
    tickets: Vec<TicketRow>,
    manage_token: String,
    /// The holder's words, for the organisers' search (see [`crate::domain::search`]).
    words: Vec<String>,
    /// The holder asked for news from the festival.
    news: bool,
    /// Mail the tickets to the holder.
    mail: bool,
}

/// Makes a booking ready to be written (no database: signing is the costly part).
pub fn issue(
    signer: &TicketSigner,
    screening_id: ScreeningId,
    request: &BookingRequest,
    now: NaiveDateTime,
) -> Issued {
    issue_for(
        signer,
        screening_id,
        &For {
            name: &request.name,
            email: request.email.as_str(),
            country: request.country.code(),
            seats: request.seats.get(),
            category: request.category,
            lang: request.lang,
            news: request.news,
            mail: true,
            person: None,
        },
        now,
    )
}

/// Whom a booking is for, and how it is told.
struct For<'a> {
    name: &'a str,
    email: &'a str,
    /// ISO 3166-1 alpha-2, or empty (a pass holder who did not say).
    country: &'a str,
    seats: i32,
    category: TicketCategory,
    lang: Lang,
    news: bool,
    /// Mail the tickets (a pass holder's seat is not mailed: the pass is their way in).
    mail: bool,
    /// The holder's pseudonym when it is known already (a pass holder's); else found or made
    /// from the address when the booking is written.
    person: Option<&'a str>,
}

fn issue_for(
    signer: &TicketSigner,
    screening_id: ScreeningId,
    holder: &For<'_>,
    now: NaiveDateTime,
) -> Issued {
    let manage_token = new_token();
    let booking = BookingRow {
        id: BookingId::new().to_string(),
        screening_id: screening_id.to_string(),
        name: holder.name.to_owned(),
        email: holder.email.to_owned(),
        country: holder.country.to_owned(),
        seats: holder.seats,
        manage_token_hash: hash_token(&manage_token),
        status: BookingStatus::Confirmed.as_str().to_owned(),
        created_at: now,
        cancelled_at: None,
        // Unless known, found or made when the booking is written ([`store`]).
        person_id: holder.person.unwrap_or_default().to_owned(),
    };
    let tickets = (1..=booking.seats)
        .map(|seat_number| {
            let id = TicketId::new();
            TicketRow {
                id: id.to_string(),
                booking_id: booking.id.clone(),
                screening_id: booking.screening_id.clone(),
                seat_number,
                category: holder.category.as_str().to_owned(),
                code: signer.sign(id, screening_id),
                status: TicketStatus::Valid.as_str().to_owned(),
                admitted_at: None,
                admitted_door: None,
                created_at: now,
            }
        })
        .collect();
    let words = super::search::words_of(&booking.name, &booking.email);
    Issued {
        screening: screening_id,
        words,
        booking,
        lang: holder.lang,
        category: holder.category,
        tickets,
        manage_token,
        news: holder.news,
        mail: holder.mail,
    }
}

/// A pass holder's seat at a screening: a booking of one ticket in the `pass` category.
pub struct PassSeat<'a> {
    /// The holder's pseudonym at the festival (the pass's): an erased holder has no address left
    /// to find it by.
    pub person: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    /// ISO 3166-1 alpha-2, or empty.
    pub country: &'a str,
    pub lang: Lang,
}

/// Writes a pass holder's seat, already counted in `screenings.booked`, in the caller's
/// transaction: its booking and ticket (not mailed). Returns the booking's id.
pub fn issue_pass_seat(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    screening_id: ScreeningId,
    holder: &PassSeat<'_>,
    now: NaiveDateTime,
) -> Result<BookingId, AppError> {
    let issued = issue_for(
        signer,
        screening_id,
        &For {
            name: holder.name,
            email: holder.email,
            country: holder.country,
            seats: 1,
            category: TicketCategory::Pass,
            lang: holder.lang,
            news: false,
            mail: false,
            person: Some(holder.person),
        },
        now,
    );
    store(tx, &[&issued], now)?;
    Ok(BookingId::from_db("bookings.id", &issued.booking.id)?)
}

impl Issued {
    /// The booking as answered to its maker.
    /// What an `Idempotency-Key` is marked with when this booking is written.
    fn written(&self) -> String {
        format!("{} {}", self.booking.id, self.manage_token)
    }

    pub fn answer(&self) -> Result<NewBooking, AppError> {
        Ok(NewBooking {
            booking: self.booking.clone().try_into()?,
            tickets: self
                .tickets
                .iter()
                .cloned()
                .map(TryInto::try_into)
                .collect::<Result<_, _>>()?,
            manage_token: self.manage_token.clone(),
        })
    }
}

/// Writes bookings whose seats are already counted in `screenings.booked` — the bookings, their
/// tickets, their mail (one statement each) and the tallies — in the caller's transaction.
pub fn store(tx: &mut Tx<'_>, issued: &[&Issued], now: NaiveDateTime) -> Result<(), AppError> {
    if issued.is_empty() {
        return Ok(());
    }
    let conn = &mut *tx.conn;
    // Each holder's pseudonym at the festival (the attendance rollup counts people by it), unless
    // it is known already.
    let wanted: Vec<(&str, &str)> = issued
        .iter()
        .filter(|i| i.booking.person_id.is_empty())
        .map(|i| (i.booking.screening_id.as_str(), i.booking.email.as_str()))
        .collect();
    let mut found = crate::db::people::resolve(conn, &wanted, now)?.into_iter();
    let people: Vec<String> = issued
        .iter()
        .map(|i| {
            if i.booking.person_id.is_empty() {
                found.next().ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("a holder's pseudonym was not made"))
                })
            } else {
                Ok(i.booking.person_id.clone())
            }
        })
        .collect::<Result<_, _>>()?;
    let news: Vec<&str> = issued
        .iter()
        .zip(&people)
        .filter(|(i, _)| i.news)
        .map(|(_, person)| person.as_str())
        .collect();
    crate::db::people::give_consent(conn, &news, crate::db::people::Purpose::News, now)?;
    let booked: Vec<BookingRow> = issued
        .iter()
        .zip(people)
        .map(|(i, person)| BookingRow {
            person_id: person,
            ..i.booking.clone()
        })
        .collect();
    let rows = || -> Vec<_> {
        issued
            .iter()
            .zip(&booked)
            .map(|(i, booking)| (booking, bookings::lang.eq(i.lang.code())))
            .collect()
    };
    let tickets = || -> Vec<&TicketRow> { issued.iter().flat_map(|i| &i.tickets).collect() };
    // One multi-row statement each (diesel writes one only for a backend it knows).
    let words = || -> Vec<_> {
        issued
            .iter()
            .flat_map(|i| {
                i.words.iter().map(|word| {
                    (
                        booking_words::word.eq(word),
                        booking_words::booking_id.eq(&i.booking.id),
                    )
                })
            })
            .collect()
    };
    crate::on_each_backend!(conn, c => {
        diesel::insert_into(bookings::table).values(rows()).execute(c)?;
        diesel::insert_into(tickets::table).values(tickets()).execute(c)?;
        diesel::insert_into(booking_words::table).values(words()).execute(c)?;
    });
    for i in issued {
        tallies::tickets_issued(
            &mut tx.rollups,
            i.screening,
            &i.booking.country,
            i.category,
            i.booking.seats,
        );
    }
    // The tickets by mail: recorded with the bookings, sent after the commit.
    let mail: Vec<outbox::Queued<'_>> = issued
        .iter()
        .filter(|i| i.mail)
        .map(|i| outbox::Queued {
            kind: outbox::Kind::Booking,
            booking: Some(&i.booking.id),
            entry: None,
            pass: None,
            recipient: &i.booking.email,
            subject: "Your tickets",
            lang: i.lang.code(),
        })
        .collect();
    if !mail.is_empty() {
        outbox::insert_all(conn, &mail, now)?;
    }
    Ok(())
}

/// A screening's seats as read under its lock: what the rule of a booking is decided on.
#[derive(Debug, Clone, Queryable)]
pub struct Seats {
    status: String,
    starts_at: NaiveDateTime,
    capacity: i32,
    booked: i32,
    /// The fewest seats someone on the waiting list waits for (`None`: nobody waits).
    waiting_min_seats: Option<i32>,
    pass_seats: i32,
    pass_taken: i32,
}

impl Seats {
    /// The rule of a booking: takes `seats`, or says why not (cancelled, started, sold out, or
    /// the seats left are held for the waiting list, whose people are offered freed seats in
    /// order: a booking may not take them first). Seats kept for festival pass holders and not
    /// used by a pass yet are not the public's ([`crate::catalogue::queries::kept`]).
    pub fn take(&mut self, seats: i32, now: NaiveDateTime) -> Result<(), AppError> {
        let kept = crate::catalogue::queries::kept(self.pass_seats, self.pass_taken);
        self.take_within(seats, now, kept)
    }

    /// [`Seats::take`] for a festival pass's seat: a seat kept for passes while one is (the
    /// waiting list is for the public's seats), else a seat left under the rule of a booking.
    pub fn take_for_pass(&mut self, now: NaiveDateTime) -> Result<(), AppError> {
        let kept = crate::catalogue::queries::kept(self.pass_seats, self.pass_taken);
        if kept > 0 && self.booked < self.capacity {
            self.check_open(now)?;
            self.booked += 1;
        } else {
            self.take_within(1, now, 0)?;
        }
        self.pass_taken += 1;
        Ok(())
    }

    /// Whether the screening still takes bookings: not cancelled, not started.
    fn check_open(&self, now: NaiveDateTime) -> Result<(), AppError> {
        if ScreeningStatus::from_db("screenings.status", &self.status)?
            == ScreeningStatus::Cancelled
        {
            return Err(screening_cancelled());
        }
        if self.starts_at <= now {
            return Err(AppError::conflict(
                Refusal::BookingClosed,
                crate::msg!("error-booking-closed"),
            ));
        }
        Ok(())
    }

    /// The rule, with `kept` of the seats left not to be taken.
    fn take_within(&mut self, seats: i32, now: NaiveDateTime, kept: i32) -> Result<(), AppError> {
        self.check_open(now)?;
        let left = (self.capacity - self.booked - kept).max(0);
        let held = self.waiting_min_seats.is_some_and(|min| min <= left);
        if seats <= left && !held {
            self.booked += seats;
            return Ok(());
        }
        Err(if left >= seats {
            AppError::Conflict {
                refusal: Refusal::HeldForWaitlist,
                message: crate::msg!("error-seats-held-for-waitlist"),
                seats_left: Some(0),
            }
        } else if left <= 0 {
            super::queries::sold_out()
        } else {
            AppError::Conflict {
                refusal: Refusal::FewerSeatsLeft,
                message: crate::msg!("error-only-seats-left", count = left, asked = seats),
                seats_left: Some(i64::from(left)),
            }
        })
    }
}

/// Locks the screening's row (PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the one write lock)
/// and reads its seats (`None`: no such screening).
fn lock_seats(conn: &mut AnyConnection, id: ScreeningId) -> Result<Option<Seats>, AppError> {
    let query = screenings::table.find(id.to_string()).select((
        screenings::status,
        screenings::starts_at,
        screenings::capacity,
        screenings::booked,
        screenings::waiting_min_seats,
        screenings::pass_seats,
        screenings::pass_taken,
    ));
    Ok(match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first(pg).optional()?,
        AnyConnection::Sqlite(lite) => query.first(lite).optional()?,
    })
}

/// Counts `seats` more as taken, if the room has them: the statement that guarantees capacity
/// (the database checks on the row, whatever the caller's rule said). Whether they were taken.
pub fn claim(
    conn: &mut AnyConnection,
    screening: ScreeningId,
    seats: i32,
) -> Result<bool, AppError> {
    let claimed = diesel::update(
        screenings::table
            .find(screening.to_string())
            .filter((screenings::booked + seats).le(screenings::capacity)),
    )
    .set(screenings::booked.eq(screenings::booked + seats))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// Takes a seat of a screening for a festival pass's reservation, made ahead: the rule of a
/// booking ([`Seats::take_for_pass`]: seats kept for passes included) under the screening's lock,
/// then [`claim_pass_seat`]. The caller writes the booking.
pub fn take_pass_seat(
    tx: &mut Tx<'_>,
    screening: ScreeningId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let mut free =
        lock_seats(tx.conn, screening)?.ok_or_else(|| AppError::not_found(Thing::Screening))?;
    free.take_for_pass(now)?;
    if claim_pass_seat(tx.conn, screening)? {
        Ok(())
    } else {
        Err(AppError::Transient(anyhow::anyhow!(
            "the seats of a screening changed under its lock"
        )))
    }
}

/// [`claim`] for one festival pass's seat: counted as taken, and as one of the seats kept for
/// passes used up. Whether it was taken.
pub fn claim_pass_seat(conn: &mut AnyConnection, screening: ScreeningId) -> Result<bool, AppError> {
    let claimed = diesel::update(
        screenings::table
            .find(screening.to_string())
            .filter((screenings::booked + 1).le(screenings::capacity)),
    )
    .set((
        screenings::booked.eq(screenings::booked + 1),
        screenings::pass_taken.eq(screenings::pass_taken + 1),
    ))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// A booking attempt, made ready on the worker and queued for the writer.
pub struct Attempt {
    issued: Issued,
    /// The language of the request: a refusal is put into its words.
    lang: Lang,
    lock: Lock,
    /// The staff member inviting (an invitation is recorded in the audit trail).
    by: Option<Actor>,
    /// The request's `Idempotency-Key`, marked with what this attempt writes (see
    /// [`crate::web::idempotency`]).
    once: Option<Claimed>,
}

impl Attempt {
    pub fn new(
        signer: &TicketSigner,
        screening: ScreeningId,
        request: &BookingRequest,
        now: NaiveDateTime,
    ) -> Attempt {
        Attempt {
            issued: issue(signer, screening, request, now),
            lang: crate::i18n::current(),
            lock: Lock::Screening(screening),
            by: None,
            once: None,
        }
    }

    /// The attempt of a request that holds an `Idempotency-Key`: an earlier attempt with the key
    /// that wrote its booking is answered with that booking, and nothing is written again.
    pub fn once(mut self, claimed: Option<Claimed>) -> Attempt {
        self.once = claimed;
        self
    }

    /// The attempt as `staff`'s (an invitation), recorded in the audit trail with the booking.
    pub fn by(mut self, staff: Option<&crate::staff::StaffMember>) -> Attempt {
        self.by = staff.map(Actor::from);
        self
    }
}

impl SetWrite for Attempt {
    type Output = NewBooking;
    const QUEUES_MAIL: bool = true;

    fn lock(&self) -> Lock {
        self.lock
    }

    fn lang(&self) -> Lang {
        self.lang
    }

    fn run_set(
        tx: &mut Tx<'_>,
        items: &[&Attempt],
    ) -> Result<Vec<Result<NewBooking, AppError>>, AppError> {
        book(tx, items, chrono::Utc::now().naive_utc())
    }
}

/// Records in the audit trail the invitations among `items` that were written.
fn record_invitations(
    tx: &mut Tx<'_>,
    items: &[&Attempt],
    decided: &[Result<(), AppError>],
    now: NaiveDateTime,
) -> Result<(), AppError> {
    for (item, _) in items.iter().zip(decided).filter(|(_, d)| d.is_ok()) {
        let Some(actor) = &item.by else { continue };
        let screening = crate::catalogue::queries::screening_row(tx.conn, item.issued.screening)?;
        let change = Change::new(
            screening.festival_id.parse().ok(),
            "invitation.create",
            format!("booking:{}", item.issued.booking.id),
        )
        .after(&serde_json::json!({
            "screening_id": screening.id,
            "seats": item.issued.booking.seats,
            "category": item.issued.category,
        }));
        audit::append(tx.conn, actor, change, now)?;
    }
    Ok(())
}

/// Records the booking attempts for one screening (the writer's group; see the module): one
/// answer per attempt, in order; an `Err` for the whole call means nothing was written.
pub fn book(
    tx: &mut Tx<'_>,
    items: &[&Attempt],
    now: NaiveDateTime,
) -> Result<Vec<Result<NewBooking, AppError>>, AppError> {
    let Some(first) = items.first() else {
        return Ok(Vec::new());
    };
    let screening = first.issued.screening;
    let Some(mut seats) = lock_seats(tx.conn, screening)? else {
        return Ok(items
            .iter()
            .map(|_| Err(AppError::not_found(Thing::Screening)))
            .collect());
    };
    // Under the screening's lock, the keys: an attempt whose key an earlier attempt wrote under
    // (its answer lost to a 5xx or a restart) is answered with that booking.
    let mut earlier = Vec::with_capacity(items.len());
    for item in items {
        let written = match &item.once {
            Some(claimed) => claimed.mark(tx.conn, &item.issued.written())?,
            None => None,
        };
        // A mark whose booking cannot be read yet (an attempt with the key earlier in this very
        // batch) answers that item alone with a 503: not kept as the key's answer, so the next
        // retry answers with the committed booking.
        earlier.push(written.map(|w| {
            written_before(tx.conn, &w)
                .map_err(|_| AppError::Unavailable(crate::msg!("error-idempotency-key-in-use")))
        }));
    }
    let decided: Vec<Result<(), AppError>> = items
        .iter()
        .zip(&earlier)
        .map(|(item, earlier)| match earlier {
            // Not taken, not recorded again: answered below.
            Some(_) => Err(AppError::Transient(anyhow::anyhow!(
                "answered by an earlier attempt"
            ))),
            None => crate::i18n::with(item.lang, || seats.take(item.issued.booking.seats, now)),
        })
        .collect();
    for ((item, decided), earlier) in items.iter().zip(&decided).zip(&earlier) {
        if let (Err(_), None, Some(claimed)) = (decided, earlier, &item.once) {
            claimed.unmark(tx.conn)?;
        }
    }
    let taken: Vec<&Issued> = items
        .iter()
        .zip(&decided)
        .filter(|(_, decided)| decided.is_ok())
        .map(|(item, _)| &item.issued)
        .collect();
    if !taken.is_empty() {
        let total: i32 = taken.iter().map(|i| i.booking.seats).sum();
        if !claim(tx.conn, screening, total)? {
            return Err(AppError::Transient(anyhow::anyhow!(
                "the seats of a screening changed under its lock"
            )));
        }
        store(tx, &taken, now)?;
        record_invitations(tx, items, &decided, now)?;
    }
    Ok(items
        .iter()
        .zip(decided)
        .zip(earlier)
        .map(|((item, decided), earlier)| match earlier {
            Some(booking) => booking,
            None => decided.and_then(|()| item.issued.answer()),
        })
        .collect())
}

/// The booking an earlier attempt with the same key wrote, as it answered it then (its tickets,
/// its manage token), from what it marked: `"<booking id> <manage token>"`.
fn written_before(conn: &mut AnyConnection, written: &str) -> Result<NewBooking, AppError> {
    let (id, token) = written
        .split_once(' ')
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("an idempotency mark is damaged")))?;
    let id = BookingId::from_db("idempotency_keys.written", id)?;
    Ok(NewBooking {
        booking: super::queries::booking_row(conn, id)?.try_into()?,
        tickets: super::queries::tickets_of(conn, id)?,
        manage_token: token.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    //! The rule of a booking, case by case, without a database.
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 12)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .unwrap()
    }

    /// A screening at 20:00 with `capacity` seats, `booked` of them taken.
    fn seats(capacity: i32, booked: i32, waiting_min_seats: Option<i32>) -> Seats {
        Seats {
            status: ScreeningStatus::Scheduled.as_str().to_owned(),
            starts_at: at(20),
            capacity,
            booked,
            waiting_min_seats,
            pass_seats: 0,
            pass_taken: 0,
        }
    }

    fn refusal(result: Result<(), AppError>) -> (Refusal, String, Option<i64>) {
        match result {
            Err(AppError::Conflict {
                refusal,
                message,
                seats_left,
            }) => (refusal, message.key().to_owned(), seats_left),
            other => panic!("not a refusal: {other:?}"),
        }
    }

    #[test]
    fn attempts_are_taken_in_order_until_the_room_is_full() {
        let mut s = seats(5, 0, None);
        assert!(s.take(2, at(10)).is_ok());
        assert!(s.take(3, at(10)).is_ok());
        assert_eq!(s.booked, 5);
        let (code, key, left) = refusal(s.take(1, at(10)));
        assert_eq!(
            (code, key.as_str(), left),
            (Refusal::SoldOut, "error-sold-out", Some(0))
        );
        assert_eq!(s.booked, 5, "a refusal takes nothing");
    }

    #[test]
    fn more_seats_than_left_says_how_many_are_left() {
        let mut s = seats(5, 3, None);
        let (code, key, left) = refusal(s.take(4, at(10)));
        assert_eq!(
            (code, key.as_str(), left),
            (Refusal::FewerSeatsLeft, "error-only-seats-left", Some(2))
        );
        assert!(s.take(2, at(10)).is_ok(), "what is left can still be had");
    }

    #[test]
    fn seats_that_fit_someone_waiting_are_theirs() {
        // Three seats left; someone waits for two: a booking may not take them first.
        let mut s = seats(10, 7, Some(2));
        let (code, key, _) = refusal(s.take(1, at(10)));
        assert_eq!(
            (code, key.as_str()),
            (Refusal::HeldForWaitlist, "error-seats-held-for-waitlist")
        );
        // Someone waiting for four cannot use three: they are anyone's.
        let mut s = seats(10, 7, Some(4));
        assert!(s.take(3, at(10)).is_ok());
    }

    #[test]
    fn seats_kept_for_passes_are_not_the_publics_until_passes_use_them() {
        // Ten seats, two booked, three kept for passes: the public may book five.
        let mut s = seats(10, 2, None);
        s.pass_seats = 3;
        let (code, _, left) = refusal(s.take(6, at(10)));
        assert_eq!((code, left), (Refusal::FewerSeatsLeft, Some(5)));
        assert!(s.take(5, at(10)).is_ok());
        assert_eq!(refusal(s.take(1, at(10))).0, Refusal::SoldOut);
        // Passes take the kept seats (someone waiting does not hold those), and any seat left
        // after them.
        s.waiting_min_seats = Some(1);
        for _ in 0..3 {
            assert!(s.take_for_pass(at(10)).is_ok());
        }
        assert_eq!((s.booked, s.pass_taken), (10, 3));
        assert_eq!(refusal(s.take_for_pass(at(10))).0, Refusal::SoldOut);
        // Passes that used more than the kept seats leave the rest to anyone.
        let mut s = seats(10, 0, None);
        s.pass_seats = 2;
        for _ in 0..4 {
            assert!(s.take_for_pass(at(10)).is_ok());
        }
        assert!(s.take(6, at(10)).is_ok(), "no seat is kept any more");
    }

    #[test]
    fn a_cancelled_or_started_screening_takes_no_booking() {
        let mut cancelled = seats(10, 0, None);
        cancelled.status = ScreeningStatus::Cancelled.as_str().to_owned();
        assert_eq!(
            refusal(cancelled.take(1, at(10))).0,
            Refusal::ScreeningCancelled
        );
        let mut started = seats(10, 0, None);
        assert_eq!(refusal(started.take(1, at(20))).0, Refusal::BookingClosed);
        assert_eq!(started.booked, 0);
    }
}
