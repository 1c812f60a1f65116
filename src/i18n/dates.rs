//! Dates and times in the reader's language, from CLDR (ICU4X): weekday and month names, the
//! language's order and punctuation, 24-hour times. The caller has already moved the time into
//! the venue's zone (`web::format` does); these functions only put a wall-clock time into words.
//!
//! English is written the British way ("Friday 12 December 2025, 20:00"): a European festival's
//! day-month order and 24-hour clock, which is what CLDR's `en-GB` says.

use std::cell::RefCell;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{self, T};
use icu_datetime::options::Length;
use icu_locale_core::{Locale, locale};
use icu_time::{DateTime, Time};

use super::{Lang, current};

pub(super) fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => locale!("en-GB"),
        Lang::Fr => locale!("fr"),
        Lang::Vi => locale!("vi"),
    }
}

/// One language's formatters, built once per thread (they are not `Sync`).
struct Formatters {
    /// "Friday 12 December 2025, 20:00".
    when: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMDET>,
    /// "Fri 12 Dec, 20:00".
    when_short: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::MDET>,
    /// "Friday 12 December 2025".
    day: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMDE>,
    /// "Friday 12 December".
    day_in_year: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::MDE>,
    /// "Fri 12 Dec".
    day_short: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::MDE>,
    /// "12 December".
    day_month: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::MD>,
    /// "12 December 2025".
    date: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>,
    /// "20:00".
    time: FixedCalendarDateTimeFormatter<Gregorian, T>,
}

impl Formatters {
    fn new(lang: Lang) -> Formatters {
        let prefs = || locale_of(lang).into();
        // Compiled-in CLDR data for three fixed locales: these cannot fail at run time, and the
        // unit tests below build every one of them.
        let build = "CLDR data for the date formats is compiled in";
        Formatters {
            when: FixedCalendarDateTimeFormatter::try_new(
                prefs(),
                fieldsets::YMDE::long().with_time_hm(),
            )
            .expect(build),
            when_short: FixedCalendarDateTimeFormatter::try_new(
                prefs(),
                fieldsets::MDE::medium().with_time_hm(),
            )
            .expect(build),
            day: FixedCalendarDateTimeFormatter::try_new(prefs(), fieldsets::YMDE::long())
                .expect(build),
            day_in_year: FixedCalendarDateTimeFormatter::try_new(prefs(), fieldsets::MDE::long())
                .expect(build),
            day_short: FixedCalendarDateTimeFormatter::try_new(prefs(), fieldsets::MDE::medium())
                .expect(build),
            day_month: FixedCalendarDateTimeFormatter::try_new(
                prefs(),
                fieldsets::MD::for_length(Length::Long),
            )
            .expect(build),
            date: FixedCalendarDateTimeFormatter::try_new(prefs(), fieldsets::YMD::long())
                .expect(build),
            time: FixedCalendarDateTimeFormatter::try_new(prefs(), T::hm()).expect(build),
        }
    }
}

thread_local! {
    static FORMATTERS: RefCell<[Option<Formatters>; 3]> = const { RefCell::new([None, None, None]) };
}

fn with_formatters<R>(lang: Lang, f: impl FnOnce(&Formatters) -> R) -> R {
    FORMATTERS.with(|cell| {
        let mut all = cell.borrow_mut();
        let slot = &mut all[lang as usize];
        f(slot.get_or_insert_with(|| Formatters::new(lang)))
    })
}

fn icu(at: NaiveDateTime) -> DateTime<Gregorian> {
    let date = icu_date(at.date());
    // chrono's hour/minute/second are always in range for ICU's time.
    let time = Time::try_new(at.hour() as u8, at.minute() as u8, at.second() as u8, 0)
        .unwrap_or(Time::start_of_day());
    DateTime { date, time }
}

/// A day, as ICU formats it (at its first instant; the formats that use it show no time).
fn start_of(date: NaiveDate) -> DateTime<Gregorian> {
    DateTime {
        date: icu_date(date),
        time: Time::start_of_day(),
    }
}

fn icu_date(date: NaiveDate) -> Date<Gregorian> {
    Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8)
        .unwrap_or_else(|_| Date::try_new_gregorian(1970, 1, 1).expect("1970-01-01 is a date"))
}

/// "vendredi 12 décembre 2025 à 20:00" (the current language).
pub fn when(at: NaiveDateTime) -> String {
    with_formatters(current(), |f| f.when.format(&icu(at)).to_string())
}

/// "ven. 12 déc., 20:00": for tables and door screens.
pub fn when_short(at: NaiveDateTime) -> String {
    with_formatters(current(), |f| f.when_short.format(&icu(at)).to_string())
}

/// "vendredi 12 décembre 2025".
pub fn day(date: NaiveDate) -> String {
    with_formatters(current(), |f| f.day.format(&start_of(date)).to_string())
}

/// "vendredi 12 décembre": a day within a festival's known year.
pub fn day_in_year(date: NaiveDate) -> String {
    with_formatters(current(), |f| {
        f.day_in_year.format(&start_of(date)).to_string()
    })
}

/// "ven. 12 déc.": chart labels, compact lists.
pub fn day_short(date: NaiveDate) -> String {
    with_formatters(current(), |f| {
        f.day_short.format(&start_of(date)).to_string()
    })
}

/// "12 décembre 2025".
pub fn date(date: NaiveDate) -> String {
    with_formatters(current(), |f| f.date.format(&start_of(date)).to_string())
}

/// "12 décembre – 19 décembre 2025" (one year written once when both days share it).
pub fn range(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        return date(start);
    }
    let first = if start.year() == end.year() {
        with_formatters(current(), |f| {
            f.day_month
                .format(&DateTime {
                    date: icu_date(start),
                    time: Time::start_of_day(),
                })
                .to_string()
        })
    } else {
        date(start)
    };
    format!("{first} – {}", date(end))
}

/// "20:00".
pub fn time(at: NaiveTime) -> String {
    let at = NaiveDate::default().and_time(at);
    with_formatters(current(), |f| f.time.format(&icu(at)).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::with;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn dates_are_written_in_each_language() {
        let friday = at("2025-12-12 20:00");
        let cases = [
            (Lang::En, ["Friday", "12 December 2025"], "20:00"),
            (Lang::Fr, ["vendredi", "12 décembre 2025"], "20:00"),
            (Lang::Vi, ["Thứ Sáu", "12 tháng 12"], "20:00"),
        ];
        for (lang, day_words, time_text) in cases {
            with(lang, || {
                let day_text = day(friday.date());
                assert!(
                    day_words.iter().all(|w| day_text.contains(w)),
                    "{lang}: {day_text}"
                );
                assert_eq!(time(friday.time()), time_text, "{lang}");
                let full = when(friday);
                assert!(full.contains("20:00"), "{lang}: {full}");
                let short = when_short(friday);
                assert!(short.contains("12") && short.contains("20:00"), "{short}");
                let _ = day_short(friday.date());
                let _ = day_in_year(friday.date());
            });
        }
        with(Lang::Fr, || {
            assert!(when(friday).starts_with("vendredi 12 décembre 2025"));
            assert_eq!(
                range(friday.date(), at("2025-12-19 00:00").date()),
                "12 décembre – 19 décembre 2025"
            );
        });
        with(Lang::Vi, || assert!(when(friday).contains("Thứ Sáu")));
    }
}
