//! Language names in the reader's language (CLDR, through ICU4X): what a film is spoken in and
//! subtitled in.
//!
//! Organisers write a film's languages as they like: "Vietnamese", "vietnamien", "vi",
//! "Vietnamese, French". When every part names a language CLDR knows — by its code or by its
//! name in English, French or Vietnamese — the reader sees the names in their own language
//! ("vietnamien" on a French page); otherwise the text is shown as written, since half a
//! translated list would read worse than the organiser's own words.

use std::collections::HashMap;
use std::sync::OnceLock;

use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::LanguageDisplayNames;
use icu_locale_core::subtags::Language;
use icu_locale_core::{Locale, locale};

use super::{Lang, current};

/// The languages recognised: ISO 639-1, and a few more spoken in films a Vietnamese festival
/// shows (Cantonese, Hmong, Filipino, Min Nan).
const CODES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co \
    cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he \
    hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku \
    kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr \
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr \
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo \
    za zu yue hmn fil nan";

fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => locale!("en"),
        Lang::Fr => locale!("fr"),
        Lang::Vi => locale!("vi"),
    }
}

/// Every recognised language's name in each of Marquee's languages, and what finds it.
struct Names {
    /// By language: its name in English, French and Vietnamese (in `Lang::ALL` order).
    names: Vec<[String; 3]>,
    /// A code or a name in any of the three languages, in lower case → its index in `names`.
    index: HashMap<String, usize>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        // Compiled-in CLDR data for three fixed locales: the tests below load each.
        let data = "CLDR language names are compiled in";
        let display: Vec<LanguageDisplayNames> = Lang::ALL
            .iter()
            .map(|lang| {
                LanguageDisplayNames::try_new(
                    locale_of(*lang).into(),
                    DisplayNamesOptions::default(),
                )
                .expect(data)
            })
            .collect();
        let mut all = Names {
            names: Vec::new(),
            index: HashMap::new(),
        };
        for code in CODES.split_whitespace() {
            let Ok(language) = code.parse::<Language>() else {
                continue;
            };
            let found: Vec<&str> = display.iter().filter_map(|d| d.of(language)).collect();
            let [en, fr, vi] = found[..] else {
                continue; // CLDR does not name it in all three
            };
            let at = all.names.len();
            for key in [code, en, fr, vi] {
                all.index.entry(key.to_lowercase()).or_insert(at);
            }
            all.names
                .push([en.to_owned(), fr.to_owned(), vi.to_owned()]);
        }
        all
    })
}

/// The languages written in `text`, in the current language when every part is one CLDR
/// knows, else `text` as written (trimmed). Parts are separated by `,`, `/`, `;`, `&` or `+`
/// and shown separated by commas.
pub fn names_of(text: &str) -> String {
    let text = text.trim();
    let names = names();
    let parts: Option<Vec<&[String; 3]>> = text
        .split([',', '/', ';', '&', '+'])
        .map(|part| {
            let found = names.index.get(&part.trim().to_lowercase())?;
            names.names.get(*found)
        })
        .collect();
    let Some(parts) = parts else {
        return text.to_owned();
    };
    let lang = current();
    let position = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    parts
        .iter()
        .map(|names| in_a_sentence(lang, &names[position]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A language's name as it reads inside a sentence: CLDR writes Vietnamese names as titles
/// ("Tiếng Việt"), but a sentence writes "tiếng Việt".
fn in_a_sentence(lang: Lang, name: &str) -> String {
    match (lang, name.strip_prefix("Tiếng ")) {
        (Lang::Vi, Some(rest)) => format!("tiếng {rest}"),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::with;

    #[test]
    fn a_language_named_or_coded_reads_in_the_readers_language() {
        let cases = [
            (Lang::En, "Vietnamese", "Vietnamese"),
            (Lang::Fr, "Vietnamese", "vietnamien"),
            (Lang::Vi, "Vietnamese", "tiếng Việt"),
            (Lang::En, "vietnamien", "Vietnamese"),
            (Lang::En, " vi ", "Vietnamese"),
            (Lang::Fr, "french", "français"),
            (Lang::Vi, "French", "tiếng Pháp"),
            (Lang::Fr, "Vietnamese, French", "vietnamien, français"),
            (Lang::En, "Tiếng Việt / English", "Vietnamese, English"),
        ];
        for (lang, written, shown) in cases {
            assert_eq!(with(lang, || names_of(written)), shown, "{lang}: {written}");
        }
    }

    #[test]
    fn anything_else_is_shown_as_written() {
        for written in [
            "Silent",
            "Vietnamese and Tày",
            "Vietnamese, Klingon",
            "",
            "  Mostly vi ",
        ] {
            for lang in Lang::ALL {
                assert_eq!(with(lang, || names_of(written)), written.trim(), "{lang}");
            }
        }
    }
}
