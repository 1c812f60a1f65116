//! The calendar event attached to a booking's mail (RFC 5545), built with `icalendar`.
//!
//! Start and end are written in UTC (`DTSTART:20261212T190000Z`), which every calendar shows in
//! the reader's own zone; the venue's local time is in the summary and description.

use chrono::{NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

/// What the event says.
pub struct CalendarEvent<'a> {
    /// Stable across messages for the same booking, so a changed screening updates the event.
    pub uid: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub url: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// Bumped when the screening changes (RFC 5545 SEQUENCE).
    pub sequence: u32,
    pub cancelled: bool,
}

pub fn event(e: &CalendarEvent<'_>) -> String {
    let mut event = Event::new();
    event
        .uid(e.uid)
        .summary(e.summary)
        .description(e.description)
        .location(e.location)
        .url(e.url)
        .sequence(e.sequence)
        .starts(Utc.from_utc_datetime(&e.starts_at))
        .ends(Utc.from_utc_datetime(&e.ends_at));
    if e.cancelled {
        event.status(icalendar::EventStatus::Cancelled);
    }
    let mut calendar = Calendar::new();
    calendar.push(event.done());
    calendar.append_property(("METHOD", if e.cancelled { "CANCEL" } else { "PUBLISH" }));
    calendar.done().to_string()
}
