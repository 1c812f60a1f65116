//! How times are shown: stored in UTC, shown in the venue's (or festival's) time zone, in the
//! reader's language (see [`crate::i18n::dates`]).

use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::i18n::dates;

/// A stored UTC time in a zone.
pub fn local(utc: NaiveDateTime, zone: Tz) -> DateTime<Tz> {
    zone.from_utc_datetime(&utc)
}

/// RFC 3339 with the zone's offset, as the API returns times.
pub fn rfc3339(utc: NaiveDateTime, zone: Tz) -> String {
    local(utc, zone).to_rfc3339()
}

/// RFC 3339 in UTC (`…+00:00`), for times that belong to no venue (a record's creation).
pub fn utc_rfc3339(utc: NaiveDateTime) -> String {
    utc.and_utc().to_rfc3339()
}

/// "Friday 12 December 2025, 20:00" in the zone, in the reader's language.
pub fn when(utc: NaiveDateTime, zone: Tz) -> String {
    dates::when(local(utc, zone).naive_local())
}

/// "Fri 12 Dec, 20:00" in the zone, in the reader's language.
pub fn when_short(utc: NaiveDateTime, zone: Tz) -> String {
    dates::when_short(local(utc, zone).naive_local())
}

/// "20:00" in the zone.
pub fn time_of_day(utc: NaiveDateTime, zone: Tz) -> String {
    dates::time(local(utc, zone).time())
}

/// "Friday 12 December 2025" in the zone, in the reader's language.
pub fn day(utc: NaiveDateTime, zone: Tz) -> String {
    dates::day(local(utc, zone).date_naive())
}

/// The local calendar day of a stored time, for grouping and `?day=` filters.
pub fn local_date(utc: NaiveDateTime, zone: Tz) -> chrono::NaiveDate {
    local(utc, zone).date_naive()
}

/// Parses a stored zone name; falls back to UTC for a name that no longer parses (rows are
/// checked with [`stored_zone`] when read, so the fallback is not met in practice).
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// Checks a zone name read from `column`: one that does not parse is unreadable, never a silent
/// UTC.
pub fn stored_zone(column: &'static str, name: &str) -> Result<Tz, super::status::Unreadable> {
    name.parse()
        .map_err(|_| super::status::Unreadable::new(column, name))
}

/// Text made safe to put into HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_is_shown_in_the_venue_zone() {
        let utc = NaiveDateTime::parse_from_str("2025-12-12 19:00", "%Y-%m-%d %H:%M").unwrap();
        let paris = zone("Europe/Paris");
        let when = when(utc, paris);
        assert!(
            when.contains("Friday") && when.contains("12 December 2025") && when.contains("20:00"),
            "{when}"
        );
        assert_eq!(rfc3339(utc, paris), "2025-12-12T20:00:00+01:00");
        assert_eq!(day(utc, paris), "Friday, 12 December 2025");
    }
}
