//! Cancelling a booking: above both the booking rows (`queries.rs`) and the waiting list
//! (`waitlist.rs`), since the seats it frees are offered to the list in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::{Booking, booking_row};
use crate::db::audit::{self, Change};
use crate::db::schema::{bookings, reservations, screenings, tickets};
use crate::db::{Tx, lock_screenings};
use crate::domain::{
    BookingId, BookingStatus, ReservationStatus, ScreeningId, TicketCategory, TicketId,
    TicketStatus,
};
use crate::error::{AppError, Refusal};

/// Cancels a booking: voids its tickets not yet used and frees their seats, in one transaction.
///
/// Cancelling twice is harmless (the second does nothing). A booking whose every ticket has been
/// admitted cannot be cancelled: those seats were used.
pub fn cancel_booking(
    tx: &mut Tx<'_>,
    id: BookingId,
    now: NaiveDateTime,
) -> Result<Booking, AppError> {
    cancel_tickets(tx, id, None, now)
}

/// Gives back some seats of a booking (`only`: the tickets chosen), or all of them (`None`):
/// the chosen tickets not yet used are voided and their seats freed, in one transaction. The
/// booking itself is cancelled when no ticket of it is left valid; otherwise the holder keeps the
/// others (and is mailed which). Choosing tickets already cancelled, used, or of another booking
/// is refused and changes nothing.
pub fn cancel_tickets(
    tx: &mut Tx<'_>,
    id: BookingId,
    only: Option<&[TicketId]>,
    now: NaiveDateTime,
) -> Result<Booking, AppError> {
    cancel_seats(tx, id, only, now, Ending::Holder)
}

/// Gives back a pass holder's seat (a booking of one ticket; see
/// [`super::record::issue_pass_seat`]) as [`cancel_booking`] does, without mail: the pass's
/// reservations are its holder's to see on the pass page. The reservation ends as `ending`
/// (`cancelled`, or `released` unused at its release time).
pub fn cancel_pass_seat(
    tx: &mut Tx<'_>,
    id: BookingId,
    ending: ReservationStatus,
    now: NaiveDateTime,
) -> Result<Booking, AppError> {
    cancel_seats(tx, id, None, now, Ending::Pass(ending))
}

/// Who gives seats back.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// The holder or an organiser, through the booking: the holder is mailed; a pass's seat so
    /// given back is `cancelled`.
    Holder,
    /// A pass's reservation, ending as this (no mail: the pass page shows it).
    Pass(ReservationStatus),
}

/// [`cancel_tickets`], for `ending`.
fn cancel_seats(
    tx: &mut Tx<'_>,
    id: BookingId,
    only: Option<&[TicketId]>,
    now: NaiveDateTime,
    ending: Ending,
) -> Result<Booking, AppError> {
    let (mail, reservation_ends) = match ending {
        Ending::Holder => (true, ReservationStatus::Cancelled),
        Ending::Pass(status) => (false, status),
    };
    let chosen: Option<Vec<String>> = only.map(|ids| ids.iter().map(ToString::to_string).collect());
    if chosen.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::invalid(
            "tickets",
            crate::msg!("error-cancel-choose-seats"),
        ));
    }
    tx.savepoint(|tx| {
        let row = booking_row(tx.conn, id)?;
        if row.status == BookingStatus::Cancelled.as_str() {
            return Ok(row.try_into()?);
        }
        // Screening before tickets: the lock order of every write (see lock_screenings).
        let screening = ScreeningId::from_db("bookings.screening_id", &row.screening_id)?;
        lock_screenings(tx.conn, &[screening])?;
        let cancellable = tickets::table
            .filter(tickets::booking_id.eq(&row.id))
            .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
            .filter(tickets::admitted_at.is_null());
        let voided = match &chosen {
            None => diesel::update(cancellable)
                .set(tickets::status.eq(TicketStatus::Cancelled.as_str()))
                .execute(tx.conn)?,
            Some(ids) => {
                let voided = diesel::update(cancellable.filter(tickets::id.eq_any(ids)))
                    .set(tickets::status.eq(TicketStatus::Cancelled.as_str()))
                    .execute(tx.conn)?;
                if voided != ids.len() {
                    // One of them is used, cancelled already or not this booking's: nothing
                    // happens (the transaction rolls back), and the page says so.
                    return Err(AppError::conflict(
                        Refusal::NotCancellable,
                        crate::msg!("error-cancel-not-these"),
                    ));
                }
                voided
            }
        };
        if voided == 0 {
            // Cancelled by a concurrent request since our read (a double click): done already.
            let current = booking_row(tx.conn, id)?;
            if current.status == BookingStatus::Cancelled.as_str() {
                return Ok(current.try_into()?);
            }
            return Err(AppError::conflict(
                Refusal::AlreadyAdmitted,
                crate::msg!("error-booking-all-used"),
            ));
        }
        let voided = i32::try_from(voided).map_err(AppError::internal)?;
        let festival = crate::catalogue::queries::screening_row(tx.conn, screening)?.festival_id;
        audit::record(
            tx,
            Change::new(
                festival.parse().ok(),
                match ending {
                    Ending::Holder => "booking.cancel",
                    Ending::Pass(_) => "reservation.cancel",
                },
                format!("booking:{id}"),
            )
            .after(&serde_json::json!({ "seats_given_back": voided, "tickets": chosen })),
        )?;
        // The whole booking goes when asked for, or when its last valid ticket did.
        let still_valid: i64 = tickets::table
            .filter(tickets::booking_id.eq(&row.id))
            .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
            .count()
            .get_result(tx.conn)?;
        let whole = chosen.is_none() || still_valid == 0;
        let cancelled = if whole {
            diesel::update(
                bookings::table
                    .find(&row.id)
                    .filter(bookings::status.eq(BookingStatus::Confirmed.as_str())),
            )
            .set((
                bookings::status.eq(BookingStatus::Cancelled.as_str()),
                bookings::cancelled_at.eq(Some(now)),
            ))
            .execute(tx.conn)?
        } else {
            1
        };
        if cancelled == 0 {
            // Cancelled concurrently, after our read: roll back and report the stored state.
            return Err(AppError::conflict(
                Refusal::AlreadyCancelled,
                crate::msg!("error-booking-cancelled-meanwhile"),
            ));
        }
        diesel::update(screenings::table.find(&row.screening_id))
            .set(screenings::booked.eq(screenings::booked - voided))
            .execute(tx.conn)?;
        // A pass's seat (see `passes`): its reservation ends with it, whoever cancelled it. A
        // seat given back is kept for passes again (when the screening keeps seats for them); a
        // seat released unused at its release time is not: it goes to the waiting list and
        // anyone, as the release is for.
        let ended = diesel::update(
            reservations::table
                .find(&row.id)
                .filter(reservations::status.eq(ReservationStatus::Reserved.as_str())),
        )
        .set((
            reservations::status.eq(reservation_ends.as_str()),
            reservations::ended_at.eq(Some(now)),
        ))
        .execute(tx.conn)?;
        if ended > 0 && reservation_ends != ReservationStatus::Released {
            diesel::update(screenings::table.find(&row.screening_id))
                .set(screenings::pass_taken.eq(screenings::pass_taken - 1))
                .execute(tx.conn)?;
        }
        // The freed seats go to the waiting list first, in order.
        let screening = ScreeningId::from_db("bookings.screening_id", &row.screening_id)?;
        tx.changed.seats_freed.insert(screening);
        super::waitlist::offer_freed(tx, screening, now)?;
        let category: String = tickets::table
            .filter(tickets::booking_id.eq(&row.id))
            .select(tickets::category)
            .first(tx.conn)?;
        crate::db::tallies::tickets_issued(
            &mut tx.rollups,
            ScreeningId::from_db("bookings.screening_id", &row.screening_id)?,
            &row.country,
            TicketCategory::from_db("tickets.category", &category)?,
            -voided,
        );
        if mail {
            crate::db::outbox::enqueue(
                tx,
                crate::db::outbox::Kind::Cancellation,
                Some(id),
                &row.email,
                "Booking cancelled",
                now,
            )?;
        }
        booking_row(tx.conn, id).and_then(|row| Ok(Booking::try_from(row)?))
    })
}
