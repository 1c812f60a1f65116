//! Pure types and rules: no diesel, no actix.
//!
//! Input is parsed once into these types ("parse, don't validate"): a `Country` is always a real
//! ISO 3166-1 code, a `SeatCount` is always 1–10, a `TicketCode` always carries a checked signature.

pub mod format;
pub mod ids;
pub mod input;
pub mod search;
pub mod secret;
pub mod sheet;
pub mod status;
pub mod ticket_code;
pub mod verdict;

pub use ids::*;
pub use input::*;
pub use status::*;
pub use verdict::{ScanKind, Verdict};
