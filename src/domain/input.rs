//! Validated input. Each constructor checks one value and names the field when it refuses it.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::msg;

/// A refused input value: which field, and why, in words an API client or a person can act on.
#[derive(Debug, Clone)]
pub struct InputError {
    pub field: String,
    pub message: Msg,
}

impl InputError {
    pub fn new(field: &str, message: Msg) -> InputError {
        InputError {
            field: field.to_owned(),
            message,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for InputError {}

/// Trims `value` and checks it is present, at most `max` characters, and free of control characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, InputError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(InputError::new(
            field,
            msg!("error-required", field = field),
        ));
    }
    optional_text(field, value, max)
}

/// Like [`text`] but an empty value is allowed.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<String, InputError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(InputError::new(
            field,
            msg!("error-too-long", field = field, max = max),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(InputError::new(
            field,
            msg!("error-control-characters", field = field),
        ));
    }
    if value.chars().any(is_direction_control) {
        return Err(InputError::new(
            field,
            msg!("error-direction-characters", field = field),
        ));
    }
    Ok(value.to_owned())
}

/// The invisible controls that reorder the text around them (embeddings, overrides, isolates):
/// "\u{202E}gnp.exe" shows as "exe.png". A name on a door page or in a report must read as it is
/// stored. The single direction marks (U+200E, U+200F, U+061C), which reorder nothing, are allowed.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A door's name: text (at most 60 characters) that is not a ticket code. A scanner typing into
/// the name field by mistake would otherwise make every later scan's door "Porte 1 1Z5GDAG…".
pub fn door_name(value: &str) -> Result<String, InputError> {
    let name = text("door", value, 60)?;
    if contains_code(&name) {
        return Err(InputError::new("door", msg!("error-door-is-code")));
    }
    Ok(name)
}

/// Whether `text` holds what can only be (part of) a ticket code: a run of the codes' alphabet
/// (upper-case base32) of 24 or more characters, or of 16 or more with a digit in it. No word of a
/// name has one. (A random 20-character piece of a code has no digit one time in 60: the length
/// alone must be able to tell.)
pub fn contains_code(text: &str) -> bool {
    let mut run = 0;
    let mut digit = false;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_uppercase() || ('2'..='7').contains(&c) {
            run += 1;
            digit |= c.is_ascii_digit();
        } else {
            if run >= 24 || (run >= 16 && digit) {
                return true;
            }
            run = 0;
            digit = false;
        }
    }
    false
}

/// Checks that a year lies in `min..=max` (its refusal writes the years as years: "1888", never
/// "1,888").
pub fn year_in(field: &str, value: i64, min: i64, max: i64) -> Result<i32, InputError> {
    if value < min || value > max {
        return Err(InputError::new(
            field,
            msg!(
                "error-years",
                field = field,
                first = min.to_string(),
                last = max.to_string()
            ),
        ));
    }
    i32::try_from(value)
        .map_err(|_| InputError::new(field, msg!("error-number-too-big", field = field)))
}

/// Like [`optional_text`] for a few paragraphs: line breaks are kept (as `\n`), at most `max`
/// characters, no other control or direction characters.
pub fn paragraphs(field: &str, value: &str, max: usize) -> Result<String, InputError> {
    let value = value.trim().replace("\r\n", "\n").replace('\r', "\n");
    if value.chars().count() > max {
        return Err(InputError::new(
            field,
            msg!("error-too-long", field = field, max = max),
        ));
    }
    for line in value.split('\n') {
        optional_text(field, line, max)?;
    }
    Ok(value)
}

/// Checks that `value` lies in `min..=max`.
pub fn number_in(field: &str, value: i64, min: i64, max: i64) -> Result<i32, InputError> {
    if value < min || value > max {
        return Err(InputError::new(
            field,
            msg!("error-number-between", field = field, min = min, max = max),
        ));
    }
    i32::try_from(value)
        .map_err(|_| InputError::new(field, msg!("error-number-too-big", field = field)))
}

/// An e-mail address the mailer can deliver to: what the mailer's own parser (`lettre`) accepts,
/// with a plain local part (no quoted string such as `"x y"@example.org`, which mail servers
/// commonly refuse) and a domain name with a dot, at most 254 characters. Checked when the address
/// is given, so that nothing is booked for an address that mail could never reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Email, InputError> {
        let value = text("email", value, 254)?;
        let valid = match value.parse::<lettre::Address>() {
            Ok(address) => {
                let domain = address.domain();
                !address.user().starts_with('"')
                    && domain.contains('.')
                    && !domain.starts_with('[')
                    && !domain.ends_with('.')
            }
            Err(_) => false,
        };
        if !valid {
            return Err(InputError::new("email", msg!("error-email")));
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A country, as its ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country(&'static str);

impl Country {
    pub fn parse(value: &str) -> Result<Country, InputError> {
        let code = value.trim().to_ascii_uppercase();
        if code.len() == 2
            && let Ok(country) = celes::Country::from_alpha2(&code)
        {
            return Ok(Country(country.alpha2));
        }
        Err(InputError::new("country", msg!("error-country")))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// The country's name in the reader's language ("France", "Pháp"…).
    pub fn name(self) -> String {
        country_name(self.0)
    }

    /// Every country with its name, France and Vietnam first, then in the reader's language's
    /// order, for pickers.
    pub fn all() -> Vec<(&'static str, String)> {
        crate::i18n::countries::sorted(celes::Country::get_countries().iter().map(|c| c.alpha2))
    }
}

impl TryFrom<String> for Country {
    type Error = InputError;
    fn try_from(value: String) -> Result<Country, InputError> {
        Country::parse(&value)
    }
}

impl From<Country> for String {
    fn from(country: Country) -> String {
        country.0.to_owned()
    }
}

/// The name of an alpha-2 code in the reader's language (CLDR), or the code itself if it is
/// unknown.
pub fn country_name(code: &str) -> String {
    crate::i18n::countries::name(code)
}

/// How many seats one booking may take.
pub const MAX_SEATS_PER_BOOKING: i64 = 10;

/// Seats in one booking: 1 to [`MAX_SEATS_PER_BOOKING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatCount(i32);

impl SeatCount {
    pub fn parse(value: i64) -> Result<SeatCount, InputError> {
        number_in("seats", value, 1, MAX_SEATS_PER_BOOKING).map(SeatCount)
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A URL slug: lower-case letters, digits and single hyphens, 1–64 characters.
pub fn slug(value: &str) -> Result<String, InputError> {
    let value = text("slug", value, 64)?;
    let valid = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if !valid {
        return Err(InputError::new("slug", msg!("error-slug")));
    }
    Ok(value)
}

/// An IANA time zone name such as `Europe/Paris`.
pub fn timezone(value: &str) -> Result<chrono_tz::Tz, InputError> {
    value
        .trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| InputError::new("timezone", msg!("error-timezone")))
}

/// The years Marquee accepts in dates and times: wide enough for any festival, narrow enough that
/// adding a film's runtime can never overflow and every database can store the result.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A calendar date within [`YEARS`].
pub fn date_in_range(field: &str, date: NaiveDate) -> Result<NaiveDate, InputError> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(years_error(field))
    }
}

/// A date or time outside [`YEARS`].
fn years_error(field: &str) -> InputError {
    InputError::new(
        field,
        msg!(
            "error-years",
            field = field,
            first = YEARS.start().to_string(),
            last = YEARS.end().to_string()
        ),
    )
}

/// A start or end time: RFC 3339 with an offset (`2025-12-12T20:00:00+01:00`), or a local time
/// without offset (`2025-12-12T20:00`), read in the venue's time zone. Returned in UTC.
/// `time` without its seconds and fractions.
pub fn whole_minute(time: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    time.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(time)
}

pub fn local_or_offset_time(
    field: &str,
    value: &str,
    zone: chrono_tz::Tz,
) -> Result<NaiveDateTime, InputError> {
    let value = value.trim();
    // A screening starts on a minute: seconds typed (or sent by a script) would show up in
    // exports and calendars as "20:00:30.997".
    let in_range = |time: NaiveDateTime| {
        if YEARS.contains(&time.year()) {
            Ok(whole_minute(time))
        } else {
            Err(years_error(field))
        }
    };
    if let Ok(time) = DateTime::parse_from_rfc3339(value) {
        return in_range(time.with_timezone(&Utc).naive_utc());
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(value, format) {
            let local = in_range(local)?;
            return zone
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc).naive_utc())
                .ok_or_else(|| {
                    InputError::new(
                        field,
                        msg!("error-time-skipped", field = field, zone = zone.name()),
                    )
                });
        }
    }
    Err(InputError::new(field, msg!("error-time", field = field)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_door_name_is_never_a_piece_of_a_ticket_code() {
        for name in [
            "Porte 1 Forum",
            "PORTE PRINCIPALE NORD",
            "Entrée B2",
            "GRANDAUDITORIUM",
        ] {
            assert!(door_name(name).is_ok(), "{name:?}");
        }
        // A piece with a digit, and one without any (one random 20-character piece in 60).
        for name in [
            "Porte 1 1Z5GDAGQWERTYUIOP",
            "Porte 1 QWERTYUIOPASDFGHJKLZXCVB",
        ] {
            assert_eq!(door_name(name).unwrap_err().field, "door", "{name:?}");
        }
    }

    #[test]
    fn emails_are_checked_for_shape() {
        assert!(Email::parse(" ana@example.org ").is_ok());
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "a b@example.org",
            "a@b",
            "a@@b.org",
            // What the outside probe booked, and mail could never deliver.
            "a;b@example.org",
            "\"x><script>\"@example.org",
            "ana@[192.0.2.1]",
            "ana@example.org.",
        ] {
            assert_eq!(Email::parse(bad).unwrap_err().field, "email", "{bad:?}");
        }
        for good in [
            "ana.nguyen+film@example.org",
            "lan@xn--bcher-kva.example",
            "o'neil@example.fr",
        ] {
            assert!(Email::parse(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn a_door_is_never_named_by_a_ticket_code() {
        for name in [
            "Porte 1",
            "Pathé door 2",
            "Cửa chính",
            "HAUPTEINGANGSBEREICH",
            "Salle 300 – Forum",
        ] {
            assert_eq!(door_name(name).unwrap(), name.trim());
        }
        for name in ["Porte 1 Forum1Z5GDAG7QWERTYUIOP", "1ABCDMZXY3Q5RTUVWX"] {
            assert_eq!(
                door_name(name).unwrap_err().message.key(),
                "error-door-is-code",
                "{name}"
            );
        }
    }

    #[test]
    fn countries_are_iso_3166_codes_with_names() {
        assert_eq!(Country::parse("fr").unwrap().code(), "FR");
        assert_eq!(Country::parse("VN").unwrap().name(), "Vietnam");
        assert!(Country::parse("XX").is_err());
        assert!(Country::parse("FRA").is_err());
        assert!(Country::all().len() > 240);
    }

    #[test]
    fn seats_are_one_to_ten() {
        assert!(SeatCount::parse(1).is_ok());
        assert!(SeatCount::parse(10).is_ok());
        assert!(SeatCount::parse(0).is_err());
        assert!(SeatCount::parse(11).is_err());
        assert!(SeatCount::parse(-3).is_err());
    }

    #[test]
    fn text_is_trimmed_bounded_and_printable() {
        assert_eq!(text("name", "  Ana ", 10).unwrap(), "Ana");
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
        for spoof in ["\u{202E}gnp.exe", "Ana\u{2066}x", "\u{202B}Lan"] {
            let refused = text("name", spoof, 20).unwrap_err();
            assert_eq!(
                refused.message.key(),
                "error-direction-characters",
                "{spoof:?}"
            );
        }
        // A direction mark reorders nothing: an Arabic or Hebrew name may carry one.
        assert!(text("name", "\u{200F}Lan", 20).is_ok());
    }

    #[test]
    fn slugs_and_timezones() {
        assert!(slug("vfw-paris-2025").is_ok());
        for bad in ["VFW", "a b", "-a", "a-", "a--b", "é"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
        assert!(timezone("Europe/Paris").is_ok());
        assert!(timezone("Mars/Olympus").is_err());
    }

    #[test]
    fn local_times_are_read_in_the_venue_zone() {
        let paris = chrono_tz::Europe::Paris;
        let utc = local_or_offset_time("starts_at", "2025-12-12T20:00", paris).unwrap();
        assert_eq!(utc.to_string(), "2025-12-12 19:00:00");
        let utc = local_or_offset_time("starts_at", "2025-12-12T20:00:00+01:00", paris).unwrap();
        assert_eq!(utc.to_string(), "2025-12-12 19:00:00");
        let utc = local_or_offset_time("starts_at", "2025-12-12T20:00:31.997604796+01:00", paris);
        assert_eq!(
            utc.unwrap().to_string(),
            "2025-12-12 19:00:00",
            "whole minutes"
        );
        assert!(local_or_offset_time("starts_at", "tomorrow", paris).is_err());
        assert!(local_or_offset_time("starts_at", "+262143-12-31T23:59", paris).is_err());
        assert!(local_or_offset_time("starts_at", "1000-01-01T10:00:00Z", paris).is_err());
    }
}
