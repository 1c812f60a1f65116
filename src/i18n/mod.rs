//! Languages: every sentence a person reads — pages, mail, door verdicts, the API's `message` —
//! in English, French or Vietnamese.
//!
//! The words live in Fluent message files, one folder per language under `templates/locales/`
//! (plurals and other grammar are Fluent's, with CLDR's plural rules). Dates, times, country
//! and language names come from CLDR through ICU4X ([`dates`], [`countries`], [`languages`]).
//! Codes meant for programs
//! (`verdict`, `error`, field names) are never translated.
//!
//! **Which language.** The web layer decides it once per request (`?lang=`, then the `lang`
//! cookie, then `Accept-Language`, else English: see `web::lang`) and runs the handler inside
//! [`scope`]; everything below reads it with [`current`], the way a template reads its locale in
//! Django or Rails, so no page struct has to carry it. Work that leaves the request's task (a
//! database closure, the writer thread, the mail sender) takes the language with it through
//! [`with`]. Outside any scope — start-up, command-line tools, logs — it is English.
//!
//! This module sits at the bottom with the domain: it knows neither actix nor diesel.

pub mod countries;
pub mod dates;
pub mod languages;
pub mod numbers;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use serde::{Deserialize, Serialize};

/// A language Marquee speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
    Vi,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Vi];

    /// The BCP 47 code, as in `<html lang>`, `Content-Language` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Vi => "vi",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Vi => "Tiếng Việt",
        }
    }

    /// A language by its code exactly as Marquee writes it (`en`, `fr`, `vi`; any case, spaces
    /// around ignored): what an API field or a stored value holds.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| code.eq_ignore_ascii_case(lang.code()))
    }

    /// A language tag (`fr`, `fr-FR`, `VI`, `en_GB`) by its primary subtag; `None` for one
    /// Marquee does not speak: what a browser says (a header, a cookie, `?lang=`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The best language of an `Accept-Language` header: the highest `q` among the ones
    /// Marquee speaks (the first listed wins a tie); `None` when none is spoken.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }

    fn langid(self) -> &'static LanguageIdentifier {
        static EN: LanguageIdentifier = langid!("en");
        static FR: LanguageIdentifier = langid!("fr");
        static VI: LanguageIdentifier = langid!("vi");
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
            Lang::Vi => &VI,
        }
    }

    /// `key` in this language.
    pub fn t(self, key: &str) -> String {
        self.lookup(key, None)
    }

    fn lookup(self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        LOCALES
            .try_lookup_complete(self.langid(), key, args)
            // A key missing here is a defect the key tests catch; a person still reads something.
            .unwrap_or_else(|| key.to_owned())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./templates/locales",
        fallback_language: "en",
        // No Unicode isolation marks around values: they would end up in mail subjects, CSV
        // cells and the JSON `message`.
        // Numbers as the language writes them ("10 750", "10.750"), from CLDR.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(numbers::in_message));
        },
    };
}

tokio::task_local! {
    static CURRENT: Lang;
}

/// The language of the request being answered (English outside one).
pub fn current() -> Lang {
    CURRENT.try_with(|lang| *lang).unwrap_or_default()
}

/// Runs a request's future with its language.
pub async fn scope<F: Future>(lang: Lang, future: F) -> F::Output {
    CURRENT.scope(lang, future).await
}

/// Runs `work` (on any thread) with a language: a database closure, a mail being composed.
pub fn with<R>(lang: Lang, work: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(lang, work)
}

// ---------------------------------------------------------------------------------------------

/// A value in a message: text, a number (which chooses the plural form), or another message.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
    Msg(Box<Msg>),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Arg {
        Arg::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Arg {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Arg {
        Arg::Text(value.clone())
    }
}

impl From<Msg> for Arg {
    fn from(value: Msg) -> Arg {
        Arg::Msg(Box::new(value))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Arg {
                Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for Arg {
            fn from(value: &$t) -> Arg {
                Arg::from(*value)
            }
        }
    )*};
}
number_args!(i16, i32, i64, u16, u32, u64, usize);

/// A sentence not yet put into words: a message key and its values, rendered in the language
/// current where it is shown. Errors carry these, so the same error reads in French on a
/// French page and in English in the log.
#[derive(Debug, Clone)]
pub struct Msg {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
    /// Shown to a person on a page: a field is named by its label ("Capacity"), not its code.
    for_people: bool,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
            for_people: false,
        }
    }

    /// The message as a page shows it: the field it is about named by its label ("Capacity",
    /// "Capacité") rather than the code an API client reads (`capacity`).
    pub fn for_people(mut self) -> Msg {
        self.for_people = true;
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((name, value.into()));
        self
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message in a language.
    pub fn render(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            return lang.t(self.key);
        }
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Number(n) => FluentValue::from(*n),
                    Arg::Msg(msg) => FluentValue::from(msg.render(lang)),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        // A message about a field names it (`$label`): by its code for an API client, by its
        // label on a page ("Capacity", "Capacité"); `$field` stays the code, which a message may
        // select on.
        if let Some((_, Arg::Text(code))) = self.args.iter().find(|(name, _)| *name == "field") {
            let label = if self.for_people {
                field_label(lang, code)
            } else {
                code.clone()
            };
            args.insert(Cow::Borrowed("label"), FluentValue::from(label));
        }
        lang.lookup(self.key, Some(&args))
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(current()))
    }
}

/// The fields people type into, by their code, and the message naming each as people read it.
const FIELD_LABELS: [(&str, &str); 27] = [
    ("name", "field-name"),
    ("email", "field-email"),
    ("country", "field-country"),
    ("seats", "field-seats"),
    ("title", "field-title"),
    ("original_title", "field-original-title"),
    ("director", "field-director"),
    ("year", "field-year"),
    ("runtime_minutes", "field-runtime"),
    ("slug", "field-slug"),
    ("starts_on", "field-starts-on"),
    ("ends_on", "field-ends-on"),
    ("timezone", "field-timezone"),
    ("attendance_goal", "field-attendance-goal"),
    ("city", "field-city"),
    ("address", "field-address"),
    ("rooms", "field-rooms"),
    ("room", "field-room"),
    ("starts_at", "field-starts-at"),
    ("ends_at", "field-ends-at"),
    ("capacity", "field-capacity"),
    ("doors_open_minutes", "field-doors-open"),
    ("doors_close_minutes", "field-doors-close"),
    ("door", "field-door"),
    ("language", "field-language"),
    ("subtitles", "field-subtitles"),
    ("scanned_at", "field-scanned-at"),
];

/// A field's name as people read it in `lang`; its code when it has none (an API path such as
/// `rooms[1].seats`).
fn field_label(lang: Lang, code: &str) -> String {
    FIELD_LABELS
        .iter()
        .find(|(field, _)| *field == code)
        .map_or_else(|| code.to_owned(), |(_, key)| lang.t(key))
}

/// `msg!("seats-left", count = n)`: a [`Msg`] with named values.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new($key)$(.arg(stringify!($name), $value))*
    };
}

/// `key` in the current language (templates: `{{ crate::i18n::t("index-title") }}`).
pub fn t(key: &'static str) -> String {
    current().t(key)
}

/// `key` with one value (templates: `{{ crate::i18n::t1("seats-left", "count", n) }}`).
pub fn t1(key: &'static str, name: &'static str, value: impl Into<Arg>) -> String {
    Msg::new(key).arg(name, value).to_string()
}

/// `key` with two values.
pub fn t2(
    key: &'static str,
    name1: &'static str,
    value1: impl Into<Arg>,
    name2: &'static str,
    value2: impl Into<Arg>,
) -> String {
    Msg::new(key)
        .arg(name1, value1)
        .arg(name2, value2)
        .to_string()
}

/// `key` with three values.
pub fn t3(
    key: &'static str,
    name1: &'static str,
    value1: impl Into<Arg>,
    name2: &'static str,
    value2: impl Into<Arg>,
    name3: &'static str,
    value3: impl Into<Arg>,
) -> String {
    Msg::new(key)
        .arg(name1, value1)
        .arg(name2, value2)
        .arg(name3, value3)
        .to_string()
}

// ---------------------------------------------------------------------------------------------

/// The message files, read as text: what the key tests compare.
#[cfg(test)]
pub(crate) mod files {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::Lang;

    pub fn folder(lang: Lang) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("templates/locales")
            .join(lang.code())
    }

    /// Every message of a language: key → its text as written (the Fluent source of the value).
    pub fn messages(lang: Lang) -> BTreeMap<String, String> {
        use fluent_syntax::ast::{Entry, Pattern, PatternElement};
        let mut all = BTreeMap::new();
        let mut paths: Vec<_> = std::fs::read_dir(folder(lang))
            .expect("locale folder")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
            .collect();
        paths.sort();
        for path in paths {
            let source = std::fs::read_to_string(&path).expect("read ftl");
            let resource = fluent_syntax::parser::parse(source.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
            for entry in resource.body {
                if let Entry::Message(message) = entry {
                    let text = message
                        .value
                        .as_ref()
                        .map_or(String::new(), |p: &Pattern<&str>| {
                            p.elements
                                .iter()
                                .map(|e| match e {
                                    PatternElement::TextElement { value } => (*value).to_owned(),
                                    PatternElement::Placeable { .. } => "{}".to_owned(),
                                })
                                .collect()
                        });
                    let previous = all.insert(message.id.name.to_owned(), text);
                    assert!(
                        previous.is_none(),
                        "{}: {} is defined twice",
                        path.display(),
                        message.id.name
                    );
                }
            }
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_read_from_tags_and_accept_language() {
        assert_eq!(Lang::parse("fr-FR"), Some(Lang::Fr));
        assert_eq!(Lang::parse("VI"), Some(Lang::Vi));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
        let cases = [
            ("fr-FR,fr;q=0.9,en;q=0.8", Some(Lang::Fr)),
            ("de-DE,de;q=0.9,vi;q=0.5,en;q=0.4", Some(Lang::Vi)),
            ("en;q=0.2, fr;q=0.7", Some(Lang::Fr)),
            ("de, ja", None),
            ("fr;q=0", None),
            ("*", None),
            ("fr;q=bogus, vi", Some(Lang::Vi)),
        ];
        for (header, expected) in cases {
            assert_eq!(Lang::from_accept_language(header), expected, "{header}");
        }
    }

    #[test]
    fn every_language_has_every_message_and_no_more() {
        let english = files::messages(Lang::En);
        assert!(english.len() > 100, "the English messages are read");
        for lang in [Lang::Fr, Lang::Vi] {
            let other = files::messages(lang);
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
        }
    }

    /// The files are compiled in: a file added since the last build (which the compiler does not
    /// notice by itself) fails here until the crate is rebuilt, and so does a message that does
    /// not format.
    #[test]
    fn every_message_on_disk_is_compiled_in() {
        for lang in Lang::ALL {
            for key in files::messages(lang).keys() {
                let found = LOCALES.lookup_single_language::<&str>(lang.langid(), key, None);
                // Without values a message with variables reports them missing: that is fine
                // (fluent-templates does not export its error type, so it is read as text).
                if let Err(error) = found {
                    let text = format!("{error:?}");
                    let missing_values = text.matches("ResolverError(Reference(Variable").count();
                    assert!(
                        text.starts_with("FluentError(")
                            && missing_values > 0
                            && missing_values == text.matches("Error(").count() - 1,
                        "{lang}: {key}: {text} (is the file compiled in?)"
                    );
                }
            }
        }
    }

    #[test]
    fn messages_about_a_field_name_it_as_people_read_it() {
        let capacity = crate::msg!(
            "error-number-between",
            field = "capacity",
            min = 1,
            max = 650
        );
        // An API client reads the field's code; a page, its label.
        assert_eq!(
            capacity.render(Lang::En),
            "capacity must be a number from 1 to 650."
        );
        let capacity = capacity.for_people();
        assert_eq!(
            capacity.render(Lang::En),
            "Capacity must be a number from 1 to 650."
        );
        assert!(capacity.render(Lang::Fr).contains("Capacité"));
        assert!(capacity.render(Lang::Vi).starts_with("Sức chứa"));
        // A field without a name of its own (an API path) is named by its code.
        let nested = crate::msg!("error-too-long", field = "rooms[1].name", max = 60).for_people();
        assert!(nested.render(Lang::En).starts_with("rooms[1].name"));
        // A message that chooses its words by the field's code still does.
        let name = crate::msg!("error-required", field = "name");
        assert_eq!(name.render(Lang::En), "Please enter a name.");
    }

    #[test]
    fn french_punctuation_keeps_its_space_on_the_line() {
        // French sets a space before « : ; ? ! » and inside guillemets; an ordinary one lets the
        // mark wrap alone onto the next line ("Vos billets\n: …"). A no-break space it must be.
        let mut plain = Vec::new();
        for (key, text) in files::messages(Lang::Fr) {
            for mark in [" :", " ;", " ?", " !", "« ", " »"] {
                if text.contains(mark) {
                    plain.push(format!("{key}: {text}"));
                }
            }
        }
        assert!(
            plain.is_empty(),
            "an ordinary space beside punctuation: {plain:#?}"
        );
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let english = files::messages(Lang::En);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for folder in ["src", "templates"] {
            for path in walk(&root.join(folder)) {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for key in used_keys(&text) {
                    if !english.contains_key(&key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not defined: {missing:#?}"
        );
    }

    /// Keys in `t("…")`, `t1("…"`, `msg!("…"` and `Msg::new("…")` calls.
    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for opener in [
            "t(\"",
            "tr(\"",
            "t1(\"",
            "t2(\"",
            "t3(\"",
            "msg!(\"",
            "Msg::new(\"",
        ] {
            for (at, _) in text.match_indices(opener) {
                let before = text[..at].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[at + opener.len()..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    if !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        keys.push(key.to_owned());
                    }
                }
            }
        }
        keys
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "html" || e == "js")
            {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn plurals_follow_each_language() {
        let seats = |lang: Lang, n: i64| Msg::new("seats-left").arg("count", n).render(lang);
        assert_eq!(seats(Lang::En, 1), "1 seat left");
        assert_eq!(seats(Lang::En, 2), "2 seats left");
        assert_eq!(seats(Lang::Fr, 1), "1 place restante");
        assert_eq!(seats(Lang::Fr, 2), "2 places restantes");
        assert_eq!(seats(Lang::Vi, 2), "Còn 2 chỗ");
    }

    #[test]
    fn a_message_is_rendered_in_the_language_current_where_it_is_shown() {
        let message = msg!("seats-left", count = 3);
        assert_eq!(message.to_string(), "3 seats left");
        assert_eq!(with(Lang::Fr, || message.to_string()), "3 places restantes");
    }
}
