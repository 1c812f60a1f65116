//! Id newtypes, so that a screening id can never be passed where a ticket id is expected.
//!
//! Ids are UUID v7 (time-ordered, so new rows land at the end of an index) stored as text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::status::Unreadable;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> $name {
                $name(Uuid::now_v7())
            }

            /// Reads an id stored as text. Fails closed: text that is not a UUID is an error
            /// naming `column`, never the nil id.
            pub fn from_db(column: &'static str, text: &str) -> Result<$name, Unreadable> {
                Uuid::parse_str(text).map($name).map_err(|_| Unreadable::new(column, text))
            }
        }

        impl Default for $name {
            fn default() -> $name {
                $name::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<$name, uuid::Error> {
                Uuid::parse_str(s).map($name)
            }
        }
    )*};
}

id_type!(
    /// Identifies a festival.
    FestivalId,
    /// Identifies a venue.
    VenueId,
    /// Identifies a film.
    FilmId,
    /// Identifies a screening.
    ScreeningId,
    /// Identifies a booking.
    BookingId,
    /// Identifies a ticket (one seat).
    TicketId,
    /// Identifies a staff member.
    StaffId,
    /// Identifies a kind of festival pass.
    PassTypeId,
    /// Identifies one holder's festival pass.
    PassId,
);
