//! What a door is told, put into words from a scan's facts: the reason kept in the scan log, the
//! screening, the holder's name as it is now, and the earlier admission it refers to. The same
//! words for the first answer and for a retry's (rebuilt from the log entry), in the language of
//! whoever asks.

use chrono::NaiveDateTime;

use super::answer::{Reason, doors_close_at, doors_open_at};
use crate::catalogue::queries::ScreeningListing;
use crate::domain::format;
use crate::i18n::Msg;
use crate::msg;

/// The facts an answer's message is made of.
pub(super) struct Said<'a> {
    pub reason: Reason,
    /// The screening the door admits for.
    pub judged: &'a ScreeningListing,
    /// For `wrong_screening`: the screening the ticket is for.
    pub ticket_screening: Option<&'a ScreeningListing>,
    /// The holder's name, as the booking has it now (a pseudonym once erased).
    pub holder: Option<&'a str>,
    /// When the scan was judged (for "doors open at …", with the day when it is another).
    pub at: NaiveDateTime,
    pub door: &'a str,
    /// When the device scanned (offline scans), by the server's clock.
    pub client_time: Option<NaiveDateTime>,
    /// The earlier admission an `already_admitted` or a displaced admission refers to.
    pub first: Option<(NaiveDateTime, &'a str)>,
    /// An offline admission the server could not honour.
    pub conflict: bool,
}

/// The message, in the current language.
pub(super) fn message(s: &Said<'_>) -> String {
    let zone = s.judged.zone();
    let (first_at, first_door) = s.first.unwrap_or((s.at, ""));
    let scanned = s.client_time.unwrap_or(s.at);
    let said = match s.reason {
        Reason::CodeFormat | Reason::CodeUnknownKey | Reason::CodeSignature => msg!(
            "door-not-a-ticket",
            why = code_problem(s.reason).unwrap_or_else(|| msg!("door-code-format"))
        ),
        Reason::IncompleteRead => msg!("door-incomplete-read"),
        Reason::NoSuchTicket => msg!("door-no-such-ticket"),
        Reason::ScreeningCancelled => msg!("door-screening-cancelled"),
        Reason::TicketCancelled => msg!("door-ticket-cancelled"),
        Reason::WrongScreening => {
            let other = s.ticket_screening.unwrap_or(s.judged);
            msg!(
                "door-wrong-screening",
                film = &other.film.title,
                venue = &other.venue.name,
                when = format::when(other.screening.starts_at, other.zone())
            )
        }
        Reason::TooEarly => msg!(
            "door-doors-open-at",
            time = time_and_day(doors_open_at(s.judged), s.at, zone)
        ),
        Reason::TooLate => msg!(
            "door-doors-closed-at",
            time = time_and_day(doors_close_at(s.judged), s.at, zone)
        ),
        Reason::RoomFull => msg!("door-room-full"),
        Reason::Welcome => msg!("door-welcome", name = s.holder.unwrap_or_default()),
        Reason::AlreadyAdmitted => msg!(
            "door-already-admitted",
            time = format::time_of_day(first_at, zone),
            door = first_door
        ),
        // The entry is kept at the door and time of the displaced admission; `first` is the
        // offline scan that came before it.
        Reason::Displaced => {
            return msg!(
                "door-scanned-after-another-door",
                door = s.door,
                time = format::time_of_day(scanned, zone),
                first_door = first_door,
                first_time = format::time_of_day(first_at, zone)
            )
            .to_string();
        }
        Reason::Undone => msg!("door-admission-undone"),
        Reason::NoReservation => msg!("door-no-reservation"),
        Reason::PassNotValid => msg!("door-pass-not-valid"),
        Reason::PassRevoked => msg!("door-pass-revoked"),
    };
    if s.conflict {
        msg!(
            "door-offline-conflict",
            door = s.door,
            time = format::time_of_day(scanned, zone),
            answer = said.to_string()
        )
        .to_string()
    } else {
        said.to_string()
    }
}

/// Why a code is not a ticket, in the door's words.
fn code_problem(reason: Reason) -> Option<Msg> {
    match reason {
        Reason::CodeFormat => Some(msg!("door-code-format")),
        Reason::CodeUnknownKey => Some(msg!("door-code-unknown-key")),
        Reason::CodeSignature => Some(msg!("door-code-signature")),
        _ => None,
    }
}

/// A time at the venue, with the day when it is not `now`'s.
fn time_and_day(t: NaiveDateTime, now: NaiveDateTime, zone: chrono_tz::Tz) -> String {
    let (local, today) = (format::local(t, zone), format::local(now, zone));
    if local.date_naive() == today.date_naive() {
        format::time_of_day(t, zone)
    } else {
        msg!(
            "door-time-on-day",
            time = format::time_of_day(t, zone),
            day = crate::i18n::dates::day_short(local.date_naive())
        )
        .to_string()
    }
}
