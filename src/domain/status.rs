//! The closed vocabularies stored as text: statuses, ticket categories, staff roles.

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

/// A closed vocabulary stored as text (and shown in the API as the same snake-case words): the
/// one way every such vocabulary is defined. `as_str` is what is stored; `from_db` reads a stored
/// value back and fails closed, naming the column; `parse` reads input.
///
/// ```ignore
/// text_enum!(
///     /// Whether a screening takes place.
///     ScreeningStatus { Scheduled = "scheduled", Cancelled = "cancelled" }
/// );
/// ```
macro_rules! text_enum {
    (
        $(#[$attr:meta])*
        $name:ident { $($(#[$variant_attr:meta])* $variant:ident = $text:literal),* $(,)? }
    ) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        $(#[$attr])*
        pub enum $name { $($(#[$variant_attr])* $variant),* }

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
            pub fn from_db(
                column: &'static str,
                text: &str,
            ) -> Result<$name, $crate::domain::status::Unreadable> {
                $name::parse(text)
                    .ok_or_else(|| $crate::domain::status::Unreadable::new(column, text))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

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
    TicketCategory { Public = "public", Guest = "guest", Press = "press", Jury = "jury", Pass = "pass" }
);

text_enum!(
    /// Who a festival pass is for.
    PassCategory {
        Audience = "audience",
        Press = "press",
        Industry = "industry",
        Jury = "jury",
        Guest = "guest",
        Volunteer = "volunteer",
    }
);

text_enum!(
    /// Whether a pass still opens doors.
    PassStatus { Active = "active", Revoked = "revoked" }
);

text_enum!(
    /// A pass's seat at one screening: held, given back by its holder or an organiser, or
    /// released because it was not used by the release time.
    ReservationStatus { Reserved = "reserved", Cancelled = "cancelled", Released = "released" }
);

text_enum!(
    /// What a row of the attendance tallies (`screening_tallies.kind`) counts by.
    TallyKind { Category = "category", Country = "country" }
);

text_enum!(
    /// What kind of staff credential a row of `staff` is. An organiser administers the instance
    /// (every permission at every festival, and creates festivals); door staff scan, limited to
    /// a festival or a venue; a team member holds the roles given to them festival by festival
    /// ([`TeamRole`]); an API token holds a set of permissions at one festival.
    Role { Organiser = "organiser", Door = "door", Member = "member", Token = "token" }
);

text_enum!(
    /// A role in one festival's team: what its owner gives a person.
    TeamRole {
        Owner = "owner",
        Programme = "programme",
        BoxOffice = "box_office",
        DoorLead = "door_lead",
        Reports = "reports",
        Door = "door",
    }
);

text_enum!(
    /// What a route needs of its caller, at the festival it acts on. Every route states one in
    /// its signature ([`crate::web::auth::Can`]).
    Permission {
        /// The team, the festival's settings, its personal data (erasure, retention) and the
        /// audit trail.
        Team = "team",
        /// Films, venues and screenings.
        Programme = "programme",
        /// Bookings, invitations, passes, waiting lists, messages: people's names and addresses.
        BoxOffice = "box_office",
        /// Door staff, standby lines, the offline doors' conflicts and the scan log's chain.
        DoorLead = "door_lead",
        /// Reports and exports, which never hold an e-mail address.
        Reports = "reports",
        /// Scanning at the door.
        Door = "door",
    }
);

impl TeamRole {
    /// What the role may do. An owner may do everything; a door lead scans too.
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            TeamRole::Owner => Permission::ALL,
            TeamRole::Programme => &[Permission::Programme],
            TeamRole::BoxOffice => &[Permission::BoxOffice],
            TeamRole::DoorLead => &[Permission::DoorLead, Permission::Door],
            TeamRole::Reports => &[Permission::Reports],
            TeamRole::Door => &[Permission::Door],
        }
    }

    /// The role as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            TeamRole::Owner => "team-role-owner",
            TeamRole::Programme => "team-role-programme",
            TeamRole::BoxOffice => "team-role-box-office",
            TeamRole::DoorLead => "team-role-door-lead",
            TeamRole::Reports => "team-role-reports",
            TeamRole::Door => "team-role-door",
        })
    }
}

impl Permission {
    /// The permission as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            Permission::Team => "permission-team",
            Permission::Programme => "permission-programme",
            Permission::BoxOffice => "permission-box-office",
            Permission::DoorLead => "permission-door-lead",
            Permission::Reports => "permission-reports",
            Permission::Door => "permission-door",
        })
    }
}

/// A stored language (`bookings.lang`, `outbox.lang`…) read back; fails closed like every stored
/// vocabulary.
pub fn stored_lang(column: &'static str, text: &str) -> Result<crate::i18n::Lang, Unreadable> {
    crate::i18n::Lang::from_code(text)
        .filter(|lang| lang.code() == text)
        .ok_or_else(|| Unreadable::new(column, text))
}

impl TicketCategory {
    /// The category as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            TicketCategory::Public => "category-public",
            TicketCategory::Guest => "category-guest",
            TicketCategory::Press => "category-press",
            TicketCategory::Jury => "category-jury",
            TicketCategory::Pass => "category-pass",
        })
    }
}

impl PassCategory {
    /// The category as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            PassCategory::Audience => "pass-category-audience",
            PassCategory::Press => "pass-category-press",
            PassCategory::Industry => "pass-category-industry",
            PassCategory::Jury => "pass-category-jury",
            PassCategory::Guest => "pass-category-guest",
            PassCategory::Volunteer => "pass-category-volunteer",
        })
    }

    /// The colour of the category's badge (print and door page): one per category, told apart
    /// at a glance.
    pub fn colour(self) -> &'static str {
        match self {
            PassCategory::Audience => "#1f6f43",
            PassCategory::Press => "#1d4ed8",
            PassCategory::Industry => "#7c3aed",
            PassCategory::Jury => "#b91c1c",
            PassCategory::Guest => "#b45309",
            PassCategory::Volunteer => "#0f766e",
        }
    }
}

impl Role {
    /// The role as people read it, in the current language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            Role::Organiser => "role-organiser",
            Role::Door => "role-door",
            Role::Member => "role-member",
            Role::Token => "role-token",
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
