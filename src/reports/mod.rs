//! Attendance reports: the numbers a festival reports, counted from admissions at the door.
//!
//! Reports read rollup counters (per screening: `booked`, `admitted`; per screening and country or
//! category: `screening_tallies`; per person: `attendees`), kept in the same transaction as every
//! booking, cancellation, admission and undo ([`crate::db::tallies`]), so a report costs a few small queries
//! whatever the number of admissions. [`consistency`] recomputes every counter from the rows and
//! lists any difference. [`live`] keeps an open dashboard current with one computation per
//! change, whatever the number of viewers.

pub mod api;
pub mod charts;
pub mod consistency;
pub mod csv;
pub mod live;
pub mod pages;
pub mod report;
