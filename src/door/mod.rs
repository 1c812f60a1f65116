//! The door: scanning tickets, admitting each at most once, and the scan log that proves it.
//!
//! A scan has two steps ([`record`]). Routing needs no lock and, usually, no database: on the HTTP
//! worker it reads the code's layout and key and finds the screening the door admits for (the
//! catalogue from memory). Recording runs in the writer, for all the scans of one screening in a
//! batch at once: under the screening's row lock it reads what may have changed (status, door
//! window, counter), the earlier answers to the scans' nonces and the tickets, decides each
//! verdict with the pure rule ([`verdict`]), and admits the tickets that may enter with one
//! conditional update (`… SET admitted_at = ? WHERE id IN (…) AND admitted_at IS NULL …`): the
//! database, not a read-then-write, decides who is first, whatever the number of doors, threads
//! or server instances. Every attempt, failures included, is appended to the scan log,
//! hash-chained per screening. Scans decided offline by a door device arrive through [`offline`]
//! and go through the same two steps.

pub mod annul;
pub mod answer;
pub mod api;
pub mod chain;
pub mod decode;
pub mod events;
mod group;
pub mod offline;
pub mod pages;
mod pass_scan;
pub mod record;
pub mod request;
pub mod routing;
pub mod scan;
pub mod standby;
pub mod upgrade;
pub mod verdict;
mod words;

pub use answer::ScanAnswer;
pub use request::{ScanRequest, Target};
