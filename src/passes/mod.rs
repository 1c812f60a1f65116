//! Festival passes: one pass, many screenings — for audiences, press, industry, jury, guests and
//! volunteers.
//!
//! - A **pass type** ([`queries::PassType`]) is made by organisers per festival: its category, the
//!   days, films and venues it opens, its limits (in all, per day, held at once), whether it
//!   admits walk-ins at the door, when unused reservations are released, and its no-show rule.
//! - A **pass** ([`queries::Pass`]) is one holder's (a person is their address within a type): a
//!   code signed like a ticket's but recognisably a pass's ([`crate::domain::ticket_code`]), and
//!   a manage token for the holder.
//! - A **reservation** is the pass's seat at one screening: a booking of one ticket in the `pass`
//!   category, so that capacity, admission-once, cancellation, the waiting list and reports treat
//!   it as any seat. Its rules ([`rules`]) are decided in the write that makes it ([`record`]).
//! - At a **door**, a pass's code is turned into its reservation's ticket — or a walk-in's, made
//!   on the spot — and admitted as that ticket is ([`door::at_door`], used by
//!   [`crate::door`]).

pub mod admin;
pub mod api;
pub mod door;
pub mod import;
pub mod input;
pub mod pages;
pub mod photo;
pub mod queries;
pub mod record;
pub mod release;
pub mod rules;
