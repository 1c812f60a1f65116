//! Numbers as each language writes them, from CLDR (ICU4X, like the dates): 10,750 and 0.1% in
//! English, 10 750 and 0,1 % in French, 10.750 and 0,1% in Vietnamese.

use std::cell::RefCell;

use icu_decimal::input::Decimal;
use icu_decimal::{DecimalFormatter, options::DecimalFormatterOptions};
use icu_experimental::dimension::percent::formatter::PercentFormatter;

use super::{Lang, current};

struct Formatters {
    decimal: DecimalFormatter,
    percent: PercentFormatter<DecimalFormatter>,
}

impl Formatters {
    fn new(lang: Lang) -> Formatters {
        let locale = super::dates::locale_of(lang);
        // Compiled-in CLDR data for three fixed locales: these cannot fail at run time, and the
        // unit tests below build every one of them.
        let build = "CLDR data for the number formats is compiled in";
        Formatters {
            decimal: DecimalFormatter::try_new(
                (&locale).into(),
                DecimalFormatterOptions::default(),
            )
            .expect(build),
            percent: PercentFormatter::try_new((&locale).into(), Default::default()).expect(build),
        }
    }
}

thread_local! {
    static FORMATTERS: RefCell<[Option<Formatters>; 3]> = const { RefCell::new([None, None, None]) };
}

fn with_formatters<R>(f: impl FnOnce(&Formatters) -> R) -> R {
    let lang = current();
    FORMATTERS.with(|cell| {
        let mut all = cell.borrow_mut();
        let slot = &mut all[lang as usize];
        f(slot.get_or_insert_with(|| Formatters::new(lang)))
    })
}

/// A whole number in the current language: "10,750", "10 750", "10.750".
pub fn integer(n: impl Whole) -> String {
    with_formatters(|f| f.decimal.format(&Decimal::from(n.whole())).to_string())
}

/// A whole number, as templates hold it (by value or by reference).
pub trait Whole {
    fn whole(&self) -> i64;
}

impl Whole for i64 {
    fn whole(&self) -> i64 {
        *self
    }
}

impl Whole for i32 {
    fn whole(&self) -> i64 {
        i64::from(*self)
    }
}

impl<T: Whole> Whole for &T {
    fn whole(&self) -> i64 {
        (**self).whole()
    }
}

/// A share (0.001 is 0.1 %) with one decimal, in the current language: "0.1%", "0,1 %", "0,1%".
pub fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round();
    let tenths = if tenths.is_finite() { tenths as i64 } else { 0 };
    let mut value = Decimal::from(tenths);
    value.multiply_pow10(-1);
    with_formatters(|f| f.percent.format(&value).to_string())
}

/// For Fluent: a whole number put into a message ("Il ne reste que { $count } places") is written
/// as the current language writes numbers. Other values are left to Fluent.
pub fn in_message<M>(
    value: &fluent_templates::fluent_bundle::FluentValue,
    _: &M,
) -> Option<String> {
    match value {
        fluent_templates::fluent_bundle::FluentValue::Number(n)
            if n.value.fract() == 0.0 && n.value.abs() < 1e15 =>
        {
            Some(integer(n.value as i64))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::with;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        let both = |lang| with(lang, || (integer(10750), percent(0.001), percent(0.5)));
        assert_eq!(
            both(Lang::En),
            ("10,750".into(), "0.1%".into(), "50.0%".into())
        );
        let (n, small, half) = both(Lang::Fr);
        assert_eq!(n.replace(['\u{202f}', '\u{a0}'], " "), "10 750");
        assert_eq!(small.replace(['\u{202f}', '\u{a0}'], " "), "0,1 %");
        assert!(
            !n.contains(' ') && !small.contains(' '),
            "no-break spaces: {n:?} {small:?}"
        );
        assert_eq!(half.replace(['\u{202f}', '\u{a0}'], " "), "50,0 %");
        assert_eq!(
            both(Lang::Vi),
            ("10.750".into(), "0,1%".into(), "50,0%".into())
        );
    }

    #[test]
    fn numbers_in_messages_are_written_the_same_way() {
        let seats = |lang| with(lang, || crate::i18n::t1("seats-left", "count", 10750));
        assert!(seats(Lang::En).contains("10,750"), "{}", seats(Lang::En));
        assert!(seats(Lang::Vi).contains("10.750"), "{}", seats(Lang::Vi));
        let french = seats(Lang::Fr);
        assert!(
            french.contains("10\u{202f}750") || french.contains("10\u{a0}750"),
            "{french}"
        );
    }
}
