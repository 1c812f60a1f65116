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
