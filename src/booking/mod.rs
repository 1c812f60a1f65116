//! Booking seats: never more than the room holds, however many people book at once.
//!
//! Capacity is enforced by one conditional update of the screening's `booked` counter
//! (`… SET booked = booked + n WHERE id = ? AND booked + n <= capacity`) inside the transaction
//! that inserts the bookings and their tickets, under the screening's row lock: the rule decides
//! who gets a seat in arrival order ([`record`]), and the database refuses to count more seats than
//! there are whatever the rule said.
//! Each booking gets a private manage token (shown once, stored hashed) that lets its holder view
//! and cancel it; cancelling voids its unused tickets and frees their seats in the same transaction.

pub mod api;
pub mod cancel;
pub mod pages;
pub mod queries;
pub mod record;
pub mod search;
pub mod ticket_images;
pub mod waitlist;
pub mod waitlist_admin;
pub mod waitlist_api;

pub use queries::{Booking, BookingRequest, NewBooking, Ticket};

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::domain::ScreeningId;
use crate::error::{AppError, Refusal};
use crate::tickets::keys::KeyRing;
use crate::web::AppState;
use crate::web::memory::{Changed, Remembers};

/// How long a screening a booking found sold out is believed sold out: meanwhile more attempts
/// are refused at once, without taking the writer (a rush for the last seats is mostly
/// refusals). A cancellation through this instance forgets it at once ([`SoldOut`]); seats
/// freed any other way are offered to bookers within this time — and first, in any case, to
/// the waiting list.
pub const SOLD_OUT_MEMORY: Duration = Duration::from_secs(1);

/// The screenings a booking through this instance lately found sold out: one of an instance's
/// memories ([`crate::web::memory`]). A write through the instance that frees seats (a
/// cancellation, an offer given back) forgets its screening at once.
#[derive(Default)]
pub struct SoldOut(Mutex<HashMap<ScreeningId, Instant>>);

impl SoldOut {
    fn memory(&self) -> std::sync::MutexGuard<'_, HashMap<ScreeningId, Instant>> {
        // A panic while holding the lock leaves a map that is still whole: keep using it.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a booking found this screening sold out less than [`SOLD_OUT_MEMORY`] ago.
    fn lately(&self, id: ScreeningId) -> bool {
        self.memory()
            .get(&id)
            .is_some_and(|at| at.elapsed() < SOLD_OUT_MEMORY)
    }

    fn remember(&self, id: ScreeningId) {
        let mut memory = self.memory();
        memory.retain(|_, at| at.elapsed() < SOLD_OUT_MEMORY);
        memory.insert(id, Instant::now());
    }
}

impl Remembers for SoldOut {
    fn forget(&self, changed: &Changed) {
        if changed.seats_freed.is_empty() {
            return;
        }
        let mut memory = self.memory();
        for id in &changed.seats_freed {
            memory.remove(id);
        }
    }
}

/// The one write path of a booking, whoever makes it (the API, the booking form, an organiser's
/// invitation): in the writer's next batch, answered after the commit; then counted in the
/// metrics and told to the live streams.
pub async fn commit(
    state: &AppState,
    keys: &actix_web::web::Data<KeyRing>,
    screening_id: ScreeningId,
    request: BookingRequest,
    by: Option<&crate::staff::StaffMember>,
    once: Option<crate::web::idempotency::Claimed>,
) -> Result<NewBooking, AppError> {
    let sold_out = state.memory.get::<SoldOut>();
    // Not for a request with an `Idempotency-Key`: it may be the retry of an attempt that booked
    // (its answer lost), which the write answers with that booking.
    if once.is_none() && sold_out.lately(screening_id) {
        return Err(queries::sold_out());
    }
    // Signed here, on the worker: the writer only writes.
    let attempt = record::Attempt::new(
        &keys.signer,
        screening_id,
        &request,
        chrono::Utc::now().naive_utc(),
    )
    .by(by)
    .once(once);
    let written = state.write_set(attempt).await;
    if let Err(AppError::Conflict {
        refusal: Refusal::SoldOut,
        ..
    }) = &written
    {
        sold_out.remember(screening_id);
    }
    let new = written?;
    if let Some(ticket) = new.tickets.first() {
        state
            .metrics
            .seats_booked(ticket.category.as_str(), new.booking.seats);
    }
    state.hub.publish(screening_id);
    Ok(new)
}
