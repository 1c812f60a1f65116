//! The verdict rule: what a scan's answer is, decided over facts already loaded — a pure
//! function (no storage, no clock), so that every case is tested beside it. Storage, and the one
//! conditional update that decides who is first, are in [`super::record`]; the words of each
//! reason are in [`super::words`].

use chrono::NaiveDateTime;

use super::answer::{Reason, doors_close_at, doors_open_at};
use crate::booking::queries::{Booking, Ticket};
use crate::catalogue::queries::ScreeningListing;
use crate::domain::ticket_code::CodeError;
use crate::domain::{BookingStatus, ScreeningStatus, TicketStatus};

/// A genuine ticket as loaded for its scan: its row, its booking, and its screening.
#[derive(Debug, Clone, Copy)]
pub(super) struct TicketFacts<'a> {
    pub ticket: &'a Ticket,
    pub booking: &'a Booking,
    pub screening: &'a ScreeningListing,
}

/// What the rule says before the one conditional admit decides who is first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Judgement {
    /// Every check passed: try to admit.
    Admit,
    /// Refused, and why (the reason names its verdict).
    Refuse(Reason),
}

/// Why a code is not a ticket.
fn code_problem(error: CodeError) -> Reason {
    match error {
        CodeError::Format => Reason::CodeFormat,
        CodeError::Incomplete => Reason::IncompleteRead,
        CodeError::UnknownKey => Reason::CodeUnknownKey,
        CodeError::Signature => Reason::CodeSignature,
    }
}

/// The verdict rule, over facts already loaded: a pure function (no storage), so every case is
/// tested beside it. `judged` is the screening the door admits for, as read under its lock.
pub(super) fn judge(
    code: Result<(), CodeError>,
    ticket: Option<TicketFacts<'_>>,
    judged: &ScreeningListing,
    now: NaiveDateTime,
) -> Judgement {
    let Some(t) = ticket else {
        return Judgement::Refuse(match code {
            Err(e) => code_problem(e),
            Ok(()) => Reason::NoSuchTicket,
        });
    };
    // The ticket's own screening, as fresh as we have it (locked when it is the judged one).
    let ticket_screening = if t.screening.screening.id == judged.screening.id {
        judged
    } else {
        t.screening
    };
    if ticket_screening.screening.status == ScreeningStatus::Cancelled {
        return Judgement::Refuse(Reason::ScreeningCancelled);
    }
    if t.ticket.status == TicketStatus::Cancelled || t.booking.status == BookingStatus::Cancelled {
        return Judgement::Refuse(Reason::TicketCancelled);
    }
    if ticket_screening.screening.id != judged.screening.id {
        return Judgement::Refuse(Reason::WrongScreening);
    }
    if now < doors_open_at(judged) {
        return Judgement::Refuse(Reason::TooEarly);
    }
    if now > doors_close_at(judged) {
        return Judgement::Refuse(Reason::TooLate);
    }
    Judgement::Admit
}

#[cfg(test)]
mod tests {
    //! The verdict rule, case by case, without a database.
    use chrono::{Duration, NaiveDate};

    use super::*;
    use crate::catalogue::queries::{Film, Screening, Venue};
    use crate::domain::Verdict;
    use crate::domain::{
        BookingId, FestivalId, FilmId, ScreeningId, TicketCategory, TicketId, VenueId,
    };

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 12)
            .and_then(|d| d.and_hms_opt(hour, minute, 0))
            .unwrap()
    }

    /// A screening at 19:00 UTC (20:00 in Paris); doors 18:15–19:30 UTC.
    fn listing(title: &str) -> ScreeningListing {
        ScreeningListing {
            screening: Screening {
                id: ScreeningId::new(),
                festival_id: FestivalId::new(),
                film_id: FilmId::new(),
                venue_id: VenueId::new(),
                room: "Grande Salle".to_owned(),
                starts_at: at(19, 0),
                ends_at: at(21, 0),
                capacity: 100,
                booked: 10,
                admitted: 0,
                doors_open_minutes: 45,
                doors_close_minutes: 30,
                status: ScreeningStatus::Scheduled,
                pass_seats: 0,
                pass_taken: 0,
            },
            film: Film {
                id: FilmId::new(),
                title: title.to_owned(),
                original_title: String::new(),
                director: "Đặng Thái Huyền".to_owned(),
                year: 2025,
                runtime_minutes: 124,
                country: "VN".to_owned(),
                language: String::new(),
                subtitles: String::new(),
                synopsis: String::new(),
            },
            venue: Venue {
                id: VenueId::new(),
                name: "Pathé Palace".to_owned(),
                city: "Paris".to_owned(),
                address: String::new(),
                timezone: "Europe/Paris".to_owned(),
                rooms: Vec::new(),
            },
        }
    }

    /// A ticket with what it is judged with, owned (the rule borrows it: [`Owned::facts`]).
    #[derive(Debug, Clone)]
    struct Owned {
        ticket: Ticket,
        booking: Booking,
        screening: ScreeningListing,
    }

    impl Owned {
        fn facts(&self) -> TicketFacts<'_> {
            TicketFacts {
                ticket: &self.ticket,
                booking: &self.booking,
                screening: &self.screening,
            }
        }
    }

    fn ticket_for(screening: &ScreeningListing) -> Owned {
        let booking = BookingId::new();
        Owned {
            ticket: Ticket {
                id: TicketId::new(),
                booking_id: booking,
                screening_id: screening.screening.id,
                seat_number: 1,
                category: TicketCategory::Public,
                code: String::new(),
                status: TicketStatus::Valid,
                admitted_at: None,
                admitted_door: None,
            },
            booking: Booking {
                id: booking,
                screening_id: screening.screening.id,
                name: "Ana Nguyen".to_owned(),
                email: "ana@example.org".to_owned(),
                country: "FR".to_owned(),
                seats: 1,
                status: BookingStatus::Confirmed,
                created_at: at(10, 0),
                cancelled_at: None,
                person_id: "a pseudonym".to_owned(),
            },
            screening: screening.clone(),
        }
    }

    /// (case, code check, ticket, screening judged, now, expected verdict: `None` = admit)
    type Case<'a> = (
        &'a str,
        Result<(), CodeError>,
        Option<&'a Owned>,
        &'a ScreeningListing,
        NaiveDateTime,
        Option<Verdict>,
    );

    fn verdict(j: &Judgement) -> Option<Verdict> {
        match j {
            Judgement::Admit => None,
            Judgement::Refuse(reason) => Some(reason.verdict()),
        }
    }

    #[test]
    fn each_case_gets_its_verdict() {
        let here = listing("Red Rain");
        let elsewhere = listing("Tunnels");
        let mut cancelled_screening = here.clone();
        cancelled_screening.screening.status = ScreeningStatus::Cancelled;
        let valid = ticket_for(&here);
        let mut cancelled_ticket = valid.clone();
        cancelled_ticket.ticket.status = TicketStatus::Cancelled;
        let mut cancelled_booking = valid.clone();
        cancelled_booking.booking.status = BookingStatus::Cancelled;
        let other = ticket_for(&elsewhere);
        let mut other_cancelled = ticket_for(&elsewhere);
        other_cancelled.screening.screening.status = ScreeningStatus::Cancelled;
        let mut for_cancelled = ticket_for(&cancelled_screening);
        for_cancelled.screening = here.clone(); // read before the cancellation …

        let genuine = Ok(());
        let forged = Err(CodeError::Signature);
        let open = at(18, 30);
        #[rustfmt::skip]
        let cases: Vec<Case<'_>> = vec![
            ("valid, doors open", genuine, Some(&valid), &here, open, None),
            ("at the first minute", genuine, Some(&valid), &here, at(18, 15), None),
            ("at the last minute", genuine, Some(&valid), &here, at(19, 30), None),
            ("forged", forged, None, &here, open, Some(Verdict::Invalid)),
            ("genuine, no such ticket", genuine, None, &here, open, Some(Verdict::Unknown)),
            ("ticket cancelled", genuine, Some(&cancelled_ticket), &here, open, Some(Verdict::Cancelled)),
            ("booking cancelled", genuine, Some(&cancelled_booking), &here, open, Some(Verdict::Cancelled)),
            // … and judged against the row read under the lock, which says cancelled.
            ("screening cancelled since", genuine, Some(&for_cancelled), &cancelled_screening, open, Some(Verdict::Cancelled)),
            ("another screening", genuine, Some(&other), &here, open, Some(Verdict::WrongScreening)),
            ("another, cancelled screening", genuine, Some(&other_cancelled), &here, open, Some(Verdict::Cancelled)),
            ("a minute early", genuine, Some(&valid), &here, at(18, 14), Some(Verdict::TooEarly)),
            ("a minute late", genuine, Some(&valid), &here, at(19, 31), Some(Verdict::TooLate)),
            ("wrong screening, even out of hours", genuine, Some(&other), &here, at(6, 0), Some(Verdict::WrongScreening)),
        ];
        for (case, code, ticket, judged, now, expected) in cases {
            let judgement = judge(code, ticket.map(Owned::facts), judged, now);
            assert_eq!(verdict(&judgement), expected, "{case}");
        }
    }

    #[test]
    fn refusals_say_why_in_the_venues_time() {
        let here = listing("Red Rain");
        let elsewhere = listing("Tunnels");
        // What the door is told, put into words from the reason and the facts, as for a scan.
        let said = |j: Judgement, now: NaiveDateTime, ticket_screening| match j {
            Judgement::Refuse(reason) => super::super::words::message(&super::super::words::Said {
                reason,
                judged: &here,
                ticket_screening,
                holder: None,
                at: now,
                door: "North",
                client_time: None,
                first: None,
                conflict: false,
            }),
            Judgement::Admit => panic!("admitted"),
        };
        let early = judge(Ok(()), Some(ticket_for(&here).facts()), &here, at(17, 0));
        assert_eq!(said(early, at(17, 0), None), "Doors open at 19:15.");
        let late = judge(Ok(()), Some(ticket_for(&here).facts()), &here, at(20, 0));
        assert_eq!(said(late, at(20, 0), None), "Doors closed at 20:30.");
        // Another day: the day is said too.
        let day_before = at(18, 0) - Duration::days(1);
        let early = judge(Ok(()), Some(ticket_for(&here).facts()), &here, day_before);
        assert_eq!(
            said(early, day_before, None),
            "Doors open at 19:15 on Sat 12 Dec."
        );
        let incomplete = judge(Err(CodeError::Incomplete), None, &here, at(18, 30));
        assert_eq!(
            said(incomplete, at(18, 30), None),
            "Incomplete read — scan again."
        );
        let wrong = judge(
            Ok(()),
            Some(ticket_for(&elsewhere).facts()),
            &here,
            at(18, 30),
        );
        assert_eq!(wrong, Judgement::Refuse(Reason::WrongScreening));
        assert!(
            said(wrong, at(18, 30), Some(&elsewhere))
                .starts_with("This ticket is for Tunnels at Pathé Palace")
        );
        let forged = judge(Err(CodeError::Format), None, &here, at(18, 30));
        assert!(said(forged, at(18, 30), None).starts_with("This is not a valid ticket: "));
    }
}
