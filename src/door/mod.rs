//! The door: scanning tickets, admitting each at most once, and the scan log that proves it.
//!
//! A scan has two steps. [`queries::prepare`] needs no lock and runs on the HTTP worker: it checks
//! the code's signature, answers a retried request (same nonce) with the answer it got the first
//! time, and reads the ticket, its booking and the door's screening. [`queries::record`] runs in
//! the writer: under the screening's row lock it re-reads what may have changed (status, door
//! window), decides the verdict ([`queries`]' pure `judge`), and — only when the ticket may enter
//! — admits it with one conditional update (`… SET admitted_at = ? WHERE id = ? AND admitted_at IS
//! NULL …`): the database, not a read-then-write, decides who is first, whatever the number of
//! doors, threads or server instances. Every attempt, failures included, is appended to the scan
//! log, hash-chained per screening. Scans decided offline by a door device arrive through
//! [`offline`] and go through the same two steps.

pub mod api;
pub mod chain;
pub mod decode;
pub mod events;
pub mod offline;
pub mod pages;
pub mod queries;
pub mod standby;

pub use queries::{ScanAnswer, ScanRequest, Target};
