//! English, French and Vietnamese: how the language is chosen, every page in each language at
//! desktop and phone widths (headless Chromium, screenshots under `test-artifacts/`), no English
//! sentence left on a French or Vietnamese page, and the API's `message` in the caller's
//! language beside untranslated codes.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::browser::{Browser, sign_in};
use crate::helpers::{TestApp, get_page, new_browser};

on_both_backends!(
    every_page_speaks_the_chosen_language_and_fits_a_phone,
    the_language_comes_from_the_query_then_the_cookie_then_accept_language,
    the_api_answers_in_the_callers_language_with_the_same_codes,
);

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const WEEKDAYS_VI: [&str; 7] = [
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
];

/// Every message of a language as its literal text runs (the parts between `{ … }`), by key.
fn messages(lang: &str) -> BTreeMap<String, Vec<String>> {
    use fluent_syntax::ast::{Entry, PatternElement};
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates/locales")
        .join(lang);
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(folder).expect("locale folder") {
        let path = entry.expect("entry").path();
        let source = std::fs::read_to_string(&path).expect("ftl");
        let resource = fluent_syntax::parser::parse(source.as_str()).expect("valid Fluent");
        for entry in resource.body {
            let Entry::Message(message) = entry else {
                continue;
            };
            let Some(pattern) = message.value else {
                continue;
            };
            let runs = pattern
                .elements
                .iter()
                .filter_map(|e| match e {
                    PatternElement::TextElement { value } => Some(value.trim().to_owned()),
                    PatternElement::Placeable { .. } => None,
                })
                .collect();
            all.insert(message.id.name.to_owned(), runs);
        }
    }
    all
}

/// English sentences a French or Vietnamese page must not show: every run of English text of
/// three words or more whose message reads differently in `lang`.
fn english_sentences(lang: &str) -> Vec<String> {
    let english = messages("en");
    let other = messages(lang);
    let mut sentences = Vec::new();
    for (key, runs) in &english {
        if other.get(key) == Some(runs) {
            continue; // the same words in both ("Marquee", "QR")
        }
        for run in runs {
            if run.split_whitespace().count() >= 3 {
                sentences.push(run.clone());
            }
        }
    }
    sentences
}

async fn page_facts(browser: &Browser) -> (String, i64, String) {
    let facts = browser
        .eval(
            "return [document.documentElement.lang, document.documentElement.scrollWidth, \
             document.body.innerText];",
            json!([]),
        )
        .await;
    (
        facts[0].as_str().unwrap_or_default().to_owned(),
        facts[1].as_i64().unwrap_or_default(),
        facts[2].as_str().unwrap_or_default().to_owned(),
    )
}

async fn every_page_speaks_the_chosen_language_and_fits_a_phone(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, token) = app.ticket(&now).await;
    app.scan(&code, &now).await;
    sign_in(&browser, &app, &app.organiser_token).await;

    let pages = [
        ("programme", "/festivals/fw".to_owned()),
        ("screening", format!("/screenings/{}", f.screening_id)),
        ("manage", format!("/manage/{token}")),
        ("find-tickets", "/tickets".to_owned()),
        ("door", format!("/door/screenings/{now}")),
        ("dashboard", format!("/admin/festivals/{}", f.festival_id)),
    ];
    for (lang, weekdays) in [
        ("en", WEEKDAYS_EN),
        ("fr", WEEKDAYS_FR),
        ("vi", WEEKDAYS_VI),
    ] {
        let english = if lang == "en" {
            Vec::new()
        } else {
            english_sentences(lang)
        };
        for width in [1280, 390] {
            browser
                .cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({"width": width, "height": 900, "deviceScaleFactor": 1,
                           "mobile": width < 600}),
                )
                .await;
            for (name, path) in &pages {
                browser
                    .goto(&format!("{}{path}?lang={lang}", app.address))
                    .await;
                if *name == "door" {
                    // The script has written its first verdict box.
                    browser
                        .wait_until(
                            "the door script ran",
                            "return document.getElementById('sync-status').textContent.length > 0;",
                        )
                        .await;
                }
                let (html_lang, scroll_width, text) = page_facts(&browser).await;
                browser
                    .screenshot(&format!("lang-{lang}-{name}-{width}.png"))
                    .await;
                assert_eq!(html_lang, lang, "{name}");
                if width == 390 {
                    assert!(
                        scroll_width <= 390,
                        "{lang} {name}: the page is {scroll_width} px wide on a 390 px phone"
                    );
                    // Everything a thumb presses is at least 44 px tall.
                    let small = browser
                        .eval(
                            "return [...document.querySelectorAll('button, select, \
                             input:not([type=hidden]), header nav a, a.choice')]\
                             .filter(e => e.offsetParent !== null)\
                             .filter(e => e.getBoundingClientRect().height < 44)\
                             .map(e => e.outerHTML.slice(0, 80));",
                            json!([]),
                        )
                        .await;
                    assert_eq!(small, json!([]), "{lang} {name}: tap targets under 44 px");
                }
                for sentence in &english {
                    assert!(
                        !text.contains(sentence.as_str()),
                        "{lang} {name} still says in English: {sentence:?}"
                    );
                }
                if *name == "programme" || *name == "screening" {
                    assert!(
                        weekdays.iter().any(|d| text.contains(d)),
                        "{lang} {name}: no weekday in {lang}: {text}"
                    );
                }
            }
        }
    }
    // The door page in French admits in French.
    browser
        .goto(&format!("{}/door/screenings/{now}?lang=fr", app.address))
        .await;
    browser.type_into("#door-name", "Porte 1").await;
    let (_, second, _) = app.ticket(&now).await;
    browser
        .type_into("#code", &format!("{second}\u{E007}"))
        .await;
    let headline = messages("fr")["verdict-admitted"].join("");
    browser.wait_for_text("#verdict .headline", &headline).await;
    let action = messages("fr")["door-js-action-admit"].join("");
    browser.wait_for_text("#verdict .action", &action).await;
}

async fn the_language_comes_from_the_query_then_the_cookie_then_accept_language(app: TestApp) {
    let f = app.fixture().await;
    let page = format!("{}/screenings/{}", app.address, f.screening_id);
    let lang_of = |html: &str| {
        let start = html.find("<html lang=\"").expect("html lang") + 12;
        html[start..start + 2].to_owned()
    };

    // Accept-Language alone: the best language Marquee speaks.
    let visitor = new_browser();
    let response = visitor
        .get(&page)
        .header("Accept-Language", "de-DE,de;q=0.9,fr;q=0.8,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "fr");
    assert!(
        response.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("Accept-Language")
    );
    assert_eq!(lang_of(&response.text().await.unwrap()), "fr");

    // Nothing Marquee speaks: English.
    let response = visitor
        .get(&page)
        .header("Accept-Language", "de, ja;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "en");

    // ?lang= wins, and is remembered in a cookie that then beats Accept-Language.
    let response = visitor
        .get(format!("{page}?lang=vi"))
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "vi");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("lang=vi"), "{cookie}");
    let response = visitor
        .get(&page)
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "vi");
    let html = response.text().await.unwrap();
    assert_eq!(lang_of(&html), "vi");
    // A switcher on the page, every language named in itself.
    for (code, name) in [("en", "English"), ("fr", "Français"), ("vi", "Tiếng Việt")] {
        assert!(
            html.contains(&format!("href=\"?lang={code}\"")) && html.contains(name),
            "switcher lacks {code}"
        );
    }
    // An unknown ?lang= changes nothing.
    let response = visitor.get(format!("{page}?lang=xx")).send().await.unwrap();
    assert_eq!(response.headers()["content-language"], "vi");

    // The public navigation is public; staff links appear to signed-in staff.
    let (_, public) = get_page(&new_browser(), &page).await;
    for link in ["href=\"/admin\"", "href=\"/door\"", "href=\"/staff\""] {
        assert!(!public.contains(link), "a visitor sees {link}");
    }
    let (staff, _) = app.sign_in(&app.organiser_token).await;
    let (_, signed_in) = get_page(&staff, &page).await;
    assert!(signed_in.contains("href=\"/admin\""));

    // A favicon, for every browser's tab.
    let icon = new_browser()
        .get(format!("{}/favicon.ico", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
}

async fn the_api_answers_in_the_callers_language_with_the_same_codes(app: TestApp) {
    let f = app.fixture().await;
    let book =
        |lang: &'static str| {
            let request = app
            .client
            .post(format!("{}/screenings/{}/bookings", app.api, f.screening_id))
            .header("Accept-Language", lang)
            .json(&json!({"name": "Lan", "email": "lan@example.org", "country": "XX", "seats": 1}));
            async move {
                let response = request.send().await.unwrap();
                let language = response.headers()["content-language"]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (status, language, body)
            }
        };
    let (status_en, lang_en, en) = book("en").await;
    let (status_fr, lang_fr, fr) = book("fr-FR,fr;q=0.9").await;
    let (status_vi, lang_vi, vi) = book("vi").await;
    assert_eq!((status_en, status_fr, status_vi), (422, 422, 422));
    assert_eq!(
        (lang_en.as_str(), lang_fr.as_str(), lang_vi.as_str()),
        ("en", "fr", "vi")
    );
    for body in [&en, &fr, &vi] {
        assert_eq!(body["error"], "invalid_input", "{body}");
        assert_eq!(body["field"], "country", "{body}");
    }
    assert_ne!(en["message"], fr["message"]);
    assert_ne!(en["message"], vi["message"]);
    assert_ne!(fr["message"], vi["message"]);

    // A door verdict: the same code in every language, the sentence in the caller's.
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    app.scan(&code, &now).await;
    let mut messages = Vec::new();
    for lang in ["en", "fr", "vi"] {
        let response = app
            .client
            .post(format!("{}/scans", app.api))
            .bearer_auth(&app.door_token)
            .header("Accept-Language", lang)
            .json(&json!({"code": code, "screening_id": now, "door": "Door A",
                          "nonce": uuid::Uuid::new_v4().to_string()}))
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["verdict"], "already_admitted", "{body}");
        messages.push(body["message"].as_str().unwrap_or_default().to_owned());
    }
    assert!(messages[0].contains("Door A"), "{messages:?}");
    assert_ne!(messages[0], messages[1]);
    assert_ne!(messages[0], messages[2]);
}
