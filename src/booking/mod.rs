//! Booking seats: never more than the room holds, however many people book at once.
//!
//! Capacity is enforced by one conditional update of the screening's `booked` counter
//! (`… SET booked = booked + n WHERE id = ? AND booked + n <= capacity …`) inside the transaction
//! that inserts the booking and its tickets: the database decides, not a read-then-write in Rust.
//! Each booking gets a private manage token (shown once, stored hashed) that lets its holder view
//! and cancel it; cancelling voids its unused tickets and frees their seats in the same transaction.

pub mod api;
pub mod cancel;
pub mod pages;
pub mod queries;
pub mod ticket_images;
pub mod waitlist;
pub mod waitlist_api;

pub use queries::{Booking, BookingRequest, NewBooking, Ticket};

use crate::domain::ScreeningId;
use crate::error::AppError;
use crate::tickets::keys::KeyRing;
use crate::web::AppState;

/// The one write path of a booking, whoever makes it (the API, the booking form, an organiser's
/// invitation): in the writer's next batch, answered after the commit; then counted in the
/// metrics and told to the live streams.
pub async fn commit(
    state: &AppState,
    keys: &actix_web::web::Data<KeyRing>,
    screening_id: ScreeningId,
    request: queries::BookingRequest,
) -> Result<queries::NewBooking, AppError> {
    let keys = keys.clone().into_inner();
    let new = state
        .write(screening_id.to_string(), move |conn| {
            let now = chrono::Utc::now().naive_utc();
            queries::book_seats(conn, &keys.signer, screening_id, &request, now)
        })
        .await?;
    if let Some(ticket) = new.tickets.first() {
        state
            .metrics
            .seats_booked(ticket.category.as_str(), new.booking.seats);
    }
    state.hub.publish(screening_id);
    Ok(new)
}
