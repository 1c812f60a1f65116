//! What a door answers. One vocabulary for the API, the door page, the scan log and exports.

use crate::domain::status::text_enum;

text_enum!(
    /// The answer to one scan. Every verdict is a normal answer (HTTP 200), not an error.
    Verdict {
        /// Let them in: this scan admitted the ticket.
        Admitted = "admitted",
        /// The ticket was admitted before (the answer says when and at which door).
        AlreadyAdmitted = "already_admitted",
        /// A genuine ticket for another screening (the answer says which).
        WrongScreening = "wrong_screening",
        /// The ticket, its booking or its screening was cancelled.
        Cancelled = "cancelled",
        /// Not a ticket Marquee issued: bad format, or a signature that does not check.
        Invalid = "invalid",
        /// A genuine signature, but no such ticket exists here.
        Unknown = "unknown",
        /// The doors for this ticket's screening are not open yet.
        TooEarly = "too_early",
        /// The doors for this ticket's screening have closed.
        TooLate = "too_late",
        /// An admission undone by its door (logged as its own entry).
        Annulled = "annulled",
        /// A valid ticket, but every seat is taken: after the standby release, seats of holders
        /// not yet arrived went to the standby line.
        RoomFull = "room_full",
        /// A festival pass without a reservation at this screening (and no walk-in: not allowed,
        /// or no seat left).
        NoReservation = "no_reservation",
        /// A festival pass whose type does not open this screening.
        NotValidForScreening = "not_valid_for_screening",
    }
);

text_enum!(
    /// What an entry of a screening's scan log records.
    ScanKind {
        /// A code presented at a door (whatever the verdict).
        Scan = "scan",
        /// A door undoing its own last admission.
        Annul = "annul",
    }
);

impl Verdict {
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
            Verdict::NoReservation => crate::msg!("verdict-no-reservation"),
            Verdict::NotValidForScreening => crate::msg!("verdict-not-valid-for-screening"),
        }
        .to_string()
    }
}
