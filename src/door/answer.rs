//! What a door answers: the scan's answer, with the ticket and the screening as the door sees
//! them, and the screening's door window.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::booking::queries::Ticket;
use crate::catalogue::queries::ScreeningListing;
use crate::domain::Verdict;
use crate::domain::format;
use crate::domain::status::text_enum;

text_enum!(
    /// Why a scan got its verdict: kept in the scan log (a fact, not words), from which the
    /// answer's message is put into words whenever it is given — first, or again to a retry.
    Reason {
        /// The code is not a ticket code at all.
        CodeFormat = "code_format",
        /// Part of a code was read (a scanner that stopped early).
        IncompleteRead = "incomplete_read",
        /// Signed with a key this festival does not know.
        CodeUnknownKey = "code_unknown_key",
        /// The signature does not match: forged or altered.
        CodeSignature = "code_signature",
        /// A genuine code for a ticket that does not exist (any more).
        NoSuchTicket = "no_such_ticket",
        ScreeningCancelled = "screening_cancelled",
        TicketCancelled = "ticket_cancelled",
        WrongScreening = "wrong_screening",
        TooEarly = "too_early",
        TooLate = "too_late",
        RoomFull = "room_full",
        /// Admitted.
        Welcome = "welcome",
        AlreadyAdmitted = "already_admitted",
        /// An admission found to be a second use: a door offline scanned the ticket earlier.
        Displaced = "displaced",
        /// An admission undone.
        Undone = "undone",
        /// A pass with no reservation here, and no walk-in.
        NoReservation = "no_reservation",
        /// A pass whose type does not open this screening.
        PassNotValid = "pass_not_valid",
        /// A revoked pass.
        PassRevoked = "pass_revoked",
    }
);

impl Reason {
    /// The verdict this reason gives.
    pub fn verdict(self) -> Verdict {
        match self {
            Reason::CodeFormat
            | Reason::IncompleteRead
            | Reason::CodeUnknownKey
            | Reason::CodeSignature => Verdict::Invalid,
            Reason::NoSuchTicket => Verdict::Unknown,
            Reason::ScreeningCancelled | Reason::TicketCancelled | Reason::PassRevoked => {
                Verdict::Cancelled
            }
            Reason::NoReservation => Verdict::NoReservation,
            Reason::PassNotValid => Verdict::NotValidForScreening,
            Reason::WrongScreening => Verdict::WrongScreening,
            Reason::TooEarly => Verdict::TooEarly,
            Reason::TooLate => Verdict::TooLate,
            Reason::RoomFull => Verdict::RoomFull,
            Reason::Welcome => Verdict::Admitted,
            Reason::AlreadyAdmitted | Reason::Displaced => Verdict::AlreadyAdmitted,
            Reason::Undone => Verdict::Annulled,
        }
    }
}

/// The ticket, as the door needs to see it (no e-mail, no country: the door doesn't need them).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketInfo {
    pub id: String,
    pub holder_name: String,
    pub category: String,
    pub seat_number: i32,
    pub seats: i32,
}

impl TicketInfo {
    /// The ticket, with its holder's name and booking's seats (as the booking has them now).
    pub fn of(ticket: &Ticket, holder_name: &str, seats: i32) -> TicketInfo {
        TicketInfo {
            id: ticket.id.to_string(),
            holder_name: holder_name.to_owned(),
            category: ticket.category.to_string(),
            seat_number: ticket.seat_number,
            seats,
        }
    }
}

/// A screening, as the door shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScreeningInfo {
    pub id: String,
    pub film: String,
    pub venue: String,
    pub room: String,
    pub starts_at: String,
    /// "Fri 12 Dec 2025, 20:00" in the venue's zone.
    pub local_time: String,
    pub doors_open_at: String,
    pub doors_close_at: String,
}

impl ScreeningInfo {
    pub(super) fn new(listing: &ScreeningListing) -> ScreeningInfo {
        let s = &listing.screening;
        let zone = listing.zone();
        ScreeningInfo {
            id: s.id.to_string(),
            film: listing.film.title.clone(),
            venue: listing.venue.name.clone(),
            room: s.room.clone(),
            starts_at: format::rfc3339(s.starts_at, zone),
            local_time: format::when(s.starts_at, zone),
            doors_open_at: format::rfc3339(doors_open_at(listing), zone),
            doors_close_at: format::rfc3339(doors_close_at(listing), zone),
        }
    }
}

pub fn doors_open_at(l: &ScreeningListing) -> NaiveDateTime {
    l.screening.starts_at - Duration::minutes(i64::from(l.screening.doors_open_minutes))
}

pub fn doors_close_at(l: &ScreeningListing) -> NaiveDateTime {
    l.screening.starts_at + Duration::minutes(i64::from(l.screening.doors_close_minutes))
}

/// The answer to a scan, exactly as the door receives it (and as stored for nonce replays).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScanAnswer {
    pub verdict: Verdict,
    pub message: String,
    pub scan_id: String,
    pub ticket: Option<TicketInfo>,
    /// The screening this door admits for.
    pub screening: Option<ScreeningInfo>,
    /// For `wrong_screening`: the screening the ticket is for.
    pub ticket_screening: Option<ScreeningInfo>,
    pub first_admitted_at: Option<String>,
    pub first_admitted_door: Option<String>,
    /// Tickets admitted so far to `screening`, and its capacity.
    pub admitted: i32,
    pub capacity: i32,
    /// True when this answer repeats the one given to an earlier request with the same nonce.
    #[serde(default)]
    pub replayed: bool,
    /// For a scan decided offline and uploaded later: the device admitted the ticket, but the
    /// server could not (admitted elsewhere first, cancelled, not genuine). Always false online.
    #[serde(default)]
    pub conflict: bool,
    /// For a festival pass's code: whose pass it is (the door shows the name and category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<crate::passes::door::PassAtDoor>,
}
