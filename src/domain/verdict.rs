//! What a door answers. One vocabulary for the API, the door page, the scan log and exports.

use serde::{Deserialize, Serialize};

/// The answer to one scan. Every verdict is a normal answer (HTTP 200), not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Let them in: this scan admitted the ticket.
    Admitted,
    /// The ticket was admitted before (the answer says when and at which door).
    AlreadyAdmitted,
    /// A genuine ticket for another screening (the answer says which).
    WrongScreening,
    /// The ticket, its booking or its screening was cancelled.
    Cancelled,
    /// Not a ticket Marquee issued: bad format, or a signature that does not check.
    Invalid,
    /// A genuine signature, but no such ticket exists here.
    Unknown,
    /// The doors for this ticket's screening are not open yet.
    TooEarly,
    /// The doors for this ticket's screening have closed.
    TooLate,
    /// An admission undone by its door (logged as its own entry).
    Annulled,
    /// A valid ticket, but every seat is taken: after the standby release, seats of holders not
    /// yet arrived went to the standby line.
    RoomFull,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Admitted => "admitted",
            Verdict::AlreadyAdmitted => "already_admitted",
            Verdict::WrongScreening => "wrong_screening",
            Verdict::Cancelled => "cancelled",
            Verdict::Invalid => "invalid",
            Verdict::Unknown => "unknown",
            Verdict::TooEarly => "too_early",
            Verdict::TooLate => "too_late",
            Verdict::Annulled => "annulled",
            Verdict::RoomFull => "room_full",
        }
    }

    /// A short sentence for door staff, in the current language.
    pub fn headline(self) -> String {
        match self {
            Verdict::Admitted => crate::msg!("verdict-admitted"),
            Verdict::AlreadyAdmitted => crate::msg!("verdict-already-admitted"),
            Verdict::WrongScreening => crate::msg!("verdict-wrong-screening"),
            Verdict::Cancelled => crate::msg!("verdict-cancelled"),
            Verdict::Invalid => crate::msg!("verdict-invalid"),
            Verdict::Unknown => crate::msg!("verdict-unknown"),
            Verdict::TooEarly => crate::msg!("verdict-too-early"),
            Verdict::TooLate => crate::msg!("verdict-too-late"),
            Verdict::Annulled => crate::msg!("verdict-annulled"),
            Verdict::RoomFull => crate::msg!("verdict-room-full"),
        }
        .to_string()
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
