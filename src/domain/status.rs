//! The closed vocabularies stored as text: statuses, ticket categories, staff roles.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }

            /// Reads a value written by Marquee; the column's CHECK constraint guarantees it parses.
            pub fn from_db(text: &str) -> $name {
                $name::parse(text).unwrap_or($name::ALL[0])
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Whether a screening takes place.
    ScreeningStatus { Scheduled = "scheduled", Cancelled = "cancelled" }
);

text_enum!(
    /// Whether a booking still holds its seats.
    BookingStatus { Confirmed = "confirmed", Cancelled = "cancelled" }
);

text_enum!(
    /// Whether a ticket can still be used at the door.
    TicketStatus { Valid = "valid", Cancelled = "cancelled" }
);

text_enum!(
    /// Why a ticket was issued: sold to the public or given to a guest.
    TicketCategory { Public = "public", Guest = "guest", Press = "press", Jury = "jury" }
);

text_enum!(
    /// What a staff member may do.
    Role { Organiser = "organiser", Door = "door" }
);

impl TicketCategory {
    /// The category as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            TicketCategory::Public => "category-public",
            TicketCategory::Guest => "category-guest",
            TicketCategory::Press => "category-press",
            TicketCategory::Jury => "category-jury",
        })
    }
}

impl Role {
    /// The role as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            Role::Organiser => "role-organiser",
            Role::Door => "role-door",
        })
    }
}
