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
pub mod waitlist_api;

pub use queries::{Booking, BookingRequest, NewBooking, Ticket};

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use crate::domain::ScreeningId;
use crate::error::AppError;
use crate::tickets::keys::KeyRing;
use crate::web::AppState;

/// How long a screening a booking found sold out is believed sold out: meanwhile more attempts
/// are refused at once, without taking the writer (a rush for the last seats is mostly
/// refusals). A cancellation through this server forgets it at once ([`forget_sold_out`]); seats
/// freed any other way are offered to bookers within this time — and first, in any case, to
/// the waiting list.
pub const SOLD_OUT_MEMORY: Duration = Duration::from_secs(1);

static SOLD_OUT: LazyLock<Mutex<HashMap<ScreeningId, Instant>>> = LazyLock::new(Mutex::default);

fn sold_out_memory() -> std::sync::MutexGuard<'static, HashMap<ScreeningId, Instant>> {
    // A panic while holding the lock leaves a map that is still whole: keep using it.
    SOLD_OUT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether a booking found this screening sold out less than [`SOLD_OUT_MEMORY`] ago.
fn sold_out_lately(id: ScreeningId) -> bool {
    sold_out_memory()
        .get(&id)
        .is_some_and(|at| at.elapsed() < SOLD_OUT_MEMORY)
}

fn remember_sold_out(id: ScreeningId) {
    let mut memory = sold_out_memory();
    memory.retain(|_, at| at.elapsed() < SOLD_OUT_MEMORY);
    memory.insert(id, Instant::now());
}

/// Seats of this screening were freed: the next booking asks the database again.
pub fn forget_sold_out(id: ScreeningId) {
    sold_out_memory().remove(&id);
}

/// The one write path of a booking, whoever makes it (the API, the booking form, an organiser's
/// invitation): in the writer's next batch, answered after the commit; then counted in the
/// metrics and told to the live streams.
pub async fn commit(
    state: &AppState,
    keys: &actix_web::web::Data<KeyRing>,
    screening_id: ScreeningId,
    request: queries::BookingRequest,
) -> Result<queries::NewBooking, AppError> {
    if sold_out_lately(screening_id) {
        return Err(queries::sold_out());
    }
    // Signed here, on the worker: the writer only writes.
    let attempt = record::Attempt::new(
        &keys.signer,
        screening_id,
        &request,
        chrono::Utc::now().naive_utc(),
    );
    let written = state.write_set(attempt).await;
    if let Err(AppError::Conflict { message, .. }) = &written
        && message.key() == "error-sold-out"
    {
        remember_sold_out(screening_id);
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
