//! Country names in the reader's language (CLDR, through ICU4X), sorted the way that language
//! sorts (CLDR collation: "Émirats arabes unis" among the E's, "Việt Nam" among the V's).
//!
//! Which codes are countries is the domain's business (`domain::Country`, ISO 3166-1); this only
//! names them.

use std::cell::RefCell;
use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::subtags::Region;
use icu_locale_core::{Locale, locale};

use super::{Lang, current};

/// Shown first in every picker: the host country and the festival's.
pub const FIRST: [&str; 2] = ["FR", "VN"];

fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => locale!("en"),
        Lang::Fr => locale!("fr"),
        Lang::Vi => locale!("vi"),
    }
}

struct Naming {
    names: RegionDisplayNames,
    collator: CollatorBorrowed<'static>,
}

thread_local! {
    static NAMING: RefCell<[Option<Naming>; 3]> = const { RefCell::new([None, None, None]) };
}

fn with_naming<R>(lang: Lang, f: impl FnOnce(&Naming) -> R) -> R {
    NAMING.with(|cell| {
        let mut all = cell.borrow_mut();
        let slot = &mut all[lang as usize];
        f(slot.get_or_insert_with(|| {
            // Compiled-in CLDR data for three fixed locales: the tests below load each.
            let data = "CLDR names and collation are compiled in";
            Naming {
                names: RegionDisplayNames::try_new(
                    locale_of(lang).into(),
                    DisplayNamesOptions::default(),
                )
                .expect(data),
                collator: Collator::try_new(locale_of(lang).into(), CollatorOptions::default())
                    .expect(data),
            }
        }))
    })
}

/// The name of an ISO 3166-1 alpha-2 code in the current language, or the code itself when CLDR
/// has no name for it.
pub fn name(code: &str) -> String {
    let Ok(region) = code.parse::<Region>() else {
        return code.to_owned();
    };
    with_naming(current(), |n| {
        n.names
            .of(region)
            .map_or_else(|| code.to_owned(), str::to_owned)
    })
}

/// `codes` with their names, France and Vietnam first, then in the current language's order.
pub fn sorted<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, String)> {
    let mut named: Vec<(&str, String)> = codes.into_iter().map(|c| (c, name(c))).collect();
    with_naming(current(), |n| {
        named.sort_by(|a, b| {
            let rank = |code: &str| FIRST.iter().position(|f| *f == code).unwrap_or(FIRST.len());
            rank(a.0)
                .cmp(&rank(b.0))
                .then_with(|| n.collator.compare(&a.1, &b.1))
                .then(Ordering::Equal)
        });
    });
    named
}

/// Compares two names the way the current language sorts.
pub fn compare(a: &str, b: &str) -> Ordering {
    with_naming(current(), |n| n.collator.compare(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::with;

    #[test]
    fn countries_are_named_and_sorted_in_each_language() {
        with(Lang::En, || {
            assert_eq!(name("CI"), "Côte d’Ivoire");
            assert_eq!(name("KR"), "South Korea");
            assert_eq!(name("TW"), "Taiwan");
        });
        with(Lang::Fr, || {
            assert_eq!(name("DE"), "Allemagne");
            let list = sorted(["VN", "AE", "FR", "EG", "DE", "ZA"]);
            let codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
            // Afrique du Sud, Allemagne, Égypte, Émirats arabes unis: the accent does not send
            // É after Z.
            assert_eq!(codes, ["FR", "VN", "ZA", "DE", "EG", "AE"]);
        });
        with(Lang::Vi, || {
            assert_eq!(name("VN"), "Việt Nam");
            assert_eq!(name("FR"), "Pháp");
        });
        assert_eq!(name("XX"), "XX");
        assert_eq!(name("not a code"), "not a code");
    }
}
