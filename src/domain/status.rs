//! The closed vocabularies stored as text: statuses, ticket categories, staff roles.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stored value that does not read back as what its column holds: a damaged row, or one written
/// by something other than Marquee. Always an internal error, never a default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored value {value:?} in {column} is not one Marquee writes")]
pub struct Unreadable {
    /// `table.column`.
    pub column: &'static str,
    pub value: String,
}

impl Unreadable {
    pub fn new(column: &'static str, value: &str) -> Unreadable {
        Unreadable {
            column,
            value: value.chars().take(80).collect(),
        }
    }
}

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

            /// Reads a stored value back. Fails closed: a value Marquee does not write (a damaged
            /// row, another program's) is an error naming `column`, never a default.
            pub fn from_db(column: &'static str, text: &str) -> Result<$name, Unreadable> {
                $name::parse(text).ok_or_else(|| Unreadable::new(column, text))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketId;

    #[test]
    fn a_stored_value_reads_back_or_names_its_column() {
        for role in Role::ALL {
            assert_eq!(Role::from_db("staff.role", role.as_str()), Ok(*role));
        }
        let error = Role::from_db("staff.role", "superuser").unwrap_err();
        assert_eq!(error.column, "staff.role");
        assert!(error.to_string().contains("staff.role"), "{error}");
        assert!(error.to_string().contains("superuser"), "{error}");
        for text in ["", "Organiser", "door ", "scheduled"] {
            assert!(Role::from_db("staff.role", text).is_err(), "{text:?}");
        }
        let id = TicketId::new();
        assert_eq!(TicketId::from_db("tickets.id", &id.to_string()), Ok(id));
        let error = TicketId::from_db("tickets.id", "not-a-uuid").unwrap_err();
        assert_eq!(error.column, "tickets.id");
        assert!(
            TicketId::from_db("tickets.id", "").is_err(),
            "never the nil id"
        );
    }
}
