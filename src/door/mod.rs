//! The door: scanning tickets, admitting each at most once, and the scan log that proves it.
//!
//! A scan is one short write transaction: verify the code's signature (no database needed),
//! load the ticket, decide the verdict, and — only when the ticket may enter — admit it with one
//! conditional update (`… SET admitted_at = ? WHERE id = ? AND admitted_at IS NULL …`): the
//! database, not a read-then-write, decides who is first, whatever the number of doors, threads or
//! server instances. Every attempt, failures included, is appended to the scan log, hash-chained
//! per screening, and a retried request (same nonce) gets the answer it got the first time.

pub mod api;
pub mod chain;
pub mod cli;
pub mod decode;
pub mod events;
pub mod offline;
pub mod pages;
pub mod queries;

pub use queries::{ScanAnswer, ScanRequest, Target};
