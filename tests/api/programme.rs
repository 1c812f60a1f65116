//! A programme people can use: filters by day, venue and film that need no JavaScript; each
//! film's language and subtitles, in the reader's language; when each screening ends and how
//! long the film runs; and, on a screening's page, the film's other screenings.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{Fixture, TestApp, get_page, new_browser};

on_both_backends!(
    the_programme_narrows_by_day_venue_and_film_and_their_combinations,
    filter_values_that_are_ill_formed_or_unknown_are_ignored,
    a_films_language_and_subtitles_round_trip_and_show_in_the_readers_language,
    the_programme_and_screening_page_show_the_end_time_and_runtime,
    the_screening_page_lists_the_films_other_screenings_in_the_festival,
    the_programme_filters_by_day_venue_and_film_without_javascript,
    public_pages_describe_themselves_to_search_engines_and_messages,
    on_a_phone_the_programme_is_cards_with_original_titles,
    a_films_synopsis_shows_on_its_screening_page,
);

async fn a_films_synopsis_shows_on_its_screening_page(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/films/{}", f.film_id);
    let synopsis =
        "The 81-day battle for the Quang Tri Citadel.\nVietnam's submission to the Oscars.";
    let saved = app
        .patch_as(
            &app.organiser_token,
            &path,
            &json!({ "synopsis": synopsis }),
        )
        .await;
    assert_eq!(saved.status(), 200);
    let film: Value = app.get_json(&path).await;
    assert_eq!(film["synopsis"], synopsis, "line breaks kept");
    let (_, page) = get_page(
        &new_browser(),
        &format!("{}/screenings/{}", app.address, f.screening_id),
    )
    .await;
    assert!(
        page.contains(
            "<p class=\"synopsis\">The 81-day battle for the Quang Tri Citadel.\nVietnam"
        ),
        "{page}"
    );
    for bad in [
        "x".repeat(2001),
        "Red \u{202E}Rain".to_owned(),
        "a\u{0}b".to_owned(),
    ] {
        let refused = app
            .patch_as(&app.organiser_token, &path, &json!({ "synopsis": bad }))
            .await;
        assert_eq!(refused.status(), 422);
    }
}

async fn on_a_phone_the_programme_is_cards_with_original_titles(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    app.screening_starting_in(&f, 120, "Grande Salle").await;
    for (width, display) in [(390, "block"), (1280, "table-row")] {
        browser
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}),
            )
            .await;
        for lang in ["en", "fr", "vi"] {
            browser
                .goto(&format!("{}/festivals/fw?lang={lang}", app.address))
                .await;
            let facts = browser
                .eval(
                    "const rows = [...document.querySelectorAll('table.programme tbody tr')];
                     return {display: rows.map((r) => getComputedStyle(r).display),
                             heights: rows.map((r) => r.getBoundingClientRect().height),
                             width: document.documentElement.scrollWidth,
                             titles: rows.map((r) => r.querySelector('td.film').innerText)};",
                    json!([]),
                )
                .await;
            let rows = facts["display"].as_array().unwrap();
            assert_eq!(rows.len(), 2, "{lang} {width}: {facts}");
            assert!(rows.iter().all(|d| d == display), "{lang} {width}: {facts}");
            assert!(
                facts["width"].as_i64().unwrap() <= width,
                "{lang} {width}: {facts}"
            );
            // The title people know the film by, and its own: "Red Rain Mưa đỏ".
            for title in facts["titles"].as_array().unwrap() {
                let title = title.as_str().unwrap();
                assert!(
                    title.contains("Red Rain") && title.contains("Mưa đỏ"),
                    "{lang}: {title}"
                );
            }
            if width == 390 {
                browser
                    .screenshot(&format!("programme-cards-{lang}.png"))
                    .await;
                // A card, not a four-line row of a cramped table.
                for height in facts["heights"].as_array().unwrap() {
                    assert!(height.as_f64().unwrap() < 200.0, "{lang}: {facts}");
                }
            }
        }
    }
}

/// The `content` of a page's `<meta name|property="{name}">`.
fn meta<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(&format!("=\"{name}\" content=\""))
        .unwrap_or_else(|| panic!("no meta {name}"));
    let rest = &page[at + name.len() + 13..];
    rest.split('"').next().unwrap()
}

async fn public_pages_describe_themselves_to_search_engines_and_messages(app: TestApp) {
    let f = app.fixture().await;
    let browser = new_browser();
    // The front page's card says what the festival shows, and where.
    let (_, index) = get_page(&browser, &format!("{}/?lang=fr", app.address)).await;
    assert!(index.contains("1 film · Pathé Palace"), "{index}");
    assert!(meta(&index, "description").contains("festivals de cinéma"));
    for (path, name) in [
        ("/festivals/fw?lang=fr".to_owned(), "Film Week"),
        (
            format!("/screenings/{}?lang=fr", f.screening_id),
            "Red Rain",
        ),
        (
            format!("/screenings/{}?lang=vi", f.screening_id),
            "Red Rain",
        ),
    ] {
        let (status, page) = get_page(&browser, &format!("{}{path}", app.address)).await;
        assert_eq!(status, 200);
        let description = meta(&page, "description");
        assert!(
            description.contains(name) && description.len() > 40,
            "{path}: {description}"
        );
        assert_eq!(meta(&page, "og:description"), description, "{path}");
        assert!(meta(&page, "og:title").contains(name), "{path}");
    }
    let (_, screening) = get_page(
        &browser,
        &format!("{}/screenings/{}?lang=fr", app.address, f.screening_id),
    )
    .await;
    assert!(meta(&screening, "description").contains("Pathé Palace"));
}

/// The fixture's festival with a second venue and a second film, four screenings in all:
///
/// | screening | film      | venue            | day      |
/// |-----------|-----------|------------------|----------|
/// | `s1`      | Red Rain  | Pathé Palace     | `day1`   |
/// | `s2`      | Red Rain  | Forum des Images | `day2`   |
/// | `s3`      | Song Lang | Pathé Palace     | `day2`   |
/// | `s4`      | Song Lang | Forum des Images | `day3`   |
struct Programme {
    f: Fixture,
    forum: String,
    song_lang: String,
    s: [String; 4],
    day: [String; 3],
}

impl Programme {
    async fn build(app: &TestApp) -> Programme {
        let f = app.fixture().await;
        let forum = app
            .create(
                "/venues",
                json!({"name": "Forum des Images", "city": "Paris", "timezone": "Europe/Paris",
                       "rooms": [{"name": "Salle 500", "seats": 50}]}),
            )
            .await;
        let song_lang = app
            .create(
                "/films",
                json!({"title": "Song Lang", "director": "Leon Le", "year": 2018,
                       "runtime_minutes": 102, "country": "VN"}),
            )
            .await;
        let festival = json!({"id": f.festival_id});
        let pathe = json!({"id": f.venue_id});
        let red_rain = json!({"id": f.film_id});
        let mut s = vec![f.screening_id.clone()];
        for (venue, film, room, days) in [
            (&forum, &red_rain, "Salle 500", 2),
            (&pathe, &song_lang, "Grande Salle", 2),
            (&forum, &song_lang, "Salle 500", 3),
        ] {
            let created = app
                .create(
                    "/screenings",
                    app.screening_body(&festival, venue, film, room, days),
                )
                .await;
            s.push(created["id"].as_str().unwrap().to_owned());
        }
        // The fixture's screenings start at 20:00 in Paris on the day `days` ahead (in UTC).
        let day = |n: i64| {
            (chrono::Utc::now() + chrono::Duration::days(n))
                .format("%Y-%m-%d")
                .to_string()
        };
        Programme {
            f,
            forum: forum["id"].as_str().unwrap().to_owned(),
            song_lang: song_lang["id"].as_str().unwrap().to_owned(),
            s: s.try_into().unwrap(),
            day: [day(1), day(2), day(3)],
        }
    }
}

/// The programme page with a query string (`""` for none), as an English reader sees it.
async fn programme(app: &TestApp, query: &str) -> (u16, String) {
    get_page(
        &new_browser(),
        &format!("{}/festivals/fw?{query}", app.address),
    )
    .await
}

/// The screenings the programme lists, by id, sorted.
fn shown(html: &str) -> Vec<String> {
    let (_, rows) = html
        .split_once("id=\"screenings\"")
        .expect("the programme's rows");
    let mut ids: Vec<String> = rows
        .split("href=\"/screenings/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(ids: &[&String]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| (*id).clone()).collect();
    ids.sort();
    ids
}

async fn the_programme_narrows_by_day_venue_and_film_and_their_combinations(app: TestApp) {
    let p = Programme::build(&app).await;
    let [s1, s2, s3, s4] = &p.s;
    let [day1, day2, day3] = &p.day;
    let (pathe, forum) = (&p.f.venue_id, &p.forum);
    let (red_rain, song_lang) = (&p.f.film_id, &p.song_lang);

    let cases: Vec<(&str, String, Vec<&String>)> = vec![
        ("no filter", String::new(), vec![s1, s2, s3, s4]),
        ("one day", format!("day={day1}"), vec![s1]),
        ("a day with two", format!("day={day2}"), vec![s2, s3]),
        ("one venue", format!("venue={forum}"), vec![s2, s4]),
        ("one film", format!("film={song_lang}"), vec![s3, s4]),
        (
            "venue and film",
            format!("venue={pathe}&film={red_rain}"),
            vec![s1],
        ),
        (
            "day and venue",
            format!("day={day2}&venue={forum}"),
            vec![s2],
        ),
        (
            "all three",
            format!("day={day3}&venue={forum}&film={song_lang}"),
            vec![s4],
        ),
        (
            "the empty choices of the form",
            "day=&venue=&film=".to_owned(),
            vec![s1, s2, s3, s4],
        ),
        (
            "as the form sends one filter",
            format!("day=&venue={pathe}&film="),
            vec![s1, s3],
        ),
        (
            "a combination nothing matches",
            format!("day={day1}&film={song_lang}"),
            vec![],
        ),
    ];
    for (case, query, expected) in cases {
        let (status, html) = programme(&app, &query).await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(shown(&html), sorted(&expected), "{case}: ?{query}");
        let filtered = query
            .split('&')
            .any(|pair| !pair.is_empty() && !pair.ends_with('='));
        // Said in words, with a way back.
        match (filtered, expected.len()) {
            (false, _) => {
                assert!(!html.contains("Clear filters"), "{case}");
                assert!(!html.contains("filter-result"), "{case}");
            }
            (true, 0) => {
                assert!(
                    html.contains("No screening matches these choices."),
                    "{case}"
                );
                assert!(html.contains("Clear filters"), "{case}");
            }
            (true, 1) => assert!(html.contains("1 screening matches."), "{case}"),
            (true, n) => assert!(html.contains(&format!("{n} screenings match.")), "{case}"),
        }
        if filtered {
            assert!(
                html.contains(
                    "<a href=\"/festivals/fw\" class=\"clear-filters\">Clear filters</a>"
                ),
                "{case}"
            );
        }
        // The choices made stay chosen; nothing else is.
        let chosen: Vec<&str> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(_, value)| value)
            .filter(|value| !value.is_empty())
            .collect();
        assert_eq!(html.matches(" selected>").count(), chosen.len(), "{case}");
        for value in chosen {
            assert!(
                html.contains(&format!("<option value=\"{value}\" selected>")),
                "{case}: {value} stays selected"
            );
        }
    }

    // The form: a GET form of three labelled choices (every day, venue and film of the festival).
    let (_, html) = programme(&app, "").await;
    assert!(html.contains("<form method=\"get\" action=\"/festivals/fw\" class=\"filters\""));
    for (id, name, every) in [
        ("filter-day", "day", "Every day"),
        ("filter-venue", "venue", "Every venue"),
        ("filter-film", "film", "Every film"),
    ] {
        assert!(html.contains(&format!("<label for=\"{id}\">")), "{id}");
        assert!(
            html.contains(&format!("<select id=\"{id}\" name=\"{name}\">")),
            "{id}"
        );
        assert!(
            html.contains(&format!("<option value=\"\">{every}</option>")),
            "{id}"
        );
    }
    for value in p.day.iter().chain([pathe, forum, red_rain, song_lang]) {
        assert!(
            html.contains(&format!("<option value=\"{value}\">")),
            "{value} is offered"
        );
    }
    assert!(html.contains("<button type=\"submit\">Show</button>"));

    // The language switcher still works on a filtered page, and the filters speak it.
    let (status, html) = programme(&app, &format!("venue={forum}&lang=fr")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"fr\""));
    assert!(html.contains("Tous les jours") && html.contains("Effacer les filtres"));
    assert!(html.contains("2 séances correspondent."));
    assert!(html.contains("href=\"?lang=vi\""), "the switcher's links");
    let (_, html) = programme(&app, &format!("day={day1}&film={song_lang}&lang=vi")).await;
    assert!(html.contains("Không có suất chiếu nào phù hợp"));
}

async fn filter_values_that_are_ill_formed_or_unknown_are_ignored(app: TestApp) {
    let p = Programme::build(&app).await;
    let everything = sorted(&p.s.iter().collect::<Vec<_>>());
    let long = "9".repeat(2000);
    let cases = [
        ("a word for a day", "day=tomorrow".to_owned()),
        ("a day that does not exist", "day=2030-02-30".to_owned()),
        ("a day without screenings", "day=2031-01-01".to_owned()),
        ("a day written otherwise", "day=12%2F12%2F2030".to_owned()),
        ("a venue that is not an id", "venue=not-a-uuid".to_owned()),
        (
            "an unknown venue",
            format!("venue={}", uuid::Uuid::new_v4()),
        ),
        ("a film's id as a venue", format!("venue={}", p.f.film_id)),
        ("an unknown film", format!("film={}", uuid::Uuid::new_v4())),
        ("bytes that are not text", "film=%00%FF%FE".to_owned()),
        ("SQL", "film=%27%20OR%201%3D1%20--".to_owned()),
        ("brackets", "film[]=x&day[]=2030-12-12".to_owned()),
        ("a very long value", format!("day={long}&venue={long}")),
        ("a name without a value", "day&venue&film".to_owned()),
        ("unknown names", "sort=title&page=2".to_owned()),
    ];
    for (case, query) in cases {
        let (status, html) = programme(&app, &query).await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(shown(&html), everything, "{case}: everything is shown");
        assert!(!html.contains(" selected>"), "{case}: nothing is chosen");
        assert!(!html.contains("Clear filters"), "{case}: nothing to clear");
    }

    // A bad value leaves the good ones working; of a name given twice, the first counts.
    let [_, s2, _, s4] = &p.s;
    for query in [
        format!("venue={}&film=nonsense&day=never", p.forum),
        format!("venue={}&venue={}", p.forum, p.f.venue_id),
    ] {
        let (status, html) = programme(&app, &query).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(shown(&html), sorted(&[s2, s4]), "{query}");
    }
}

async fn a_films_language_and_subtitles_round_trip_and_show_in_the_readers_language(app: TestApp) {
    let f = app.fixture().await;
    let token = app.organiser_token.clone();

    // Optional: a film made without them has them empty.
    let film = app.get_json(&format!("/films/{}", f.film_id)).await;
    assert_eq!(
        (&film["language"], &film["subtitles"]),
        (&json!(""), &json!(""))
    );

    // Created, read back, listed, changed, emptied.
    let song_lang = app
        .create(
            "/films",
            json!({"title": "Song Lang", "director": "Leon Le", "year": 2018,
                   "runtime_minutes": 102, "country": "VN",
                   "language": " Vietnamese ", "subtitles": "English"}),
        )
        .await;
    assert_eq!(song_lang["language"], "Vietnamese", "trimmed");
    assert_eq!(song_lang["subtitles"], "English");
    let id = song_lang["id"].as_str().unwrap();
    assert_eq!(app.get_json(&format!("/films/{id}")).await, song_lang);
    let listed = app.get_json("/films").await;
    assert!(listed.as_array().unwrap().contains(&song_lang));
    let r = app
        .patch_as(&token, &format!("/films/{id}"), &json!({"subtitles": ""}))
        .await;
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["subtitles"], "");
    assert_eq!(
        changed["language"], "Vietnamese",
        "a patch keeps what it does not name"
    );

    // Checked like the other text fields; a refused value changes nothing.
    let cases = [
        ("language", json!("x".repeat(101)), "too long"),
        ("subtitles", json!("y".repeat(101)), "too long"),
        ("language", json!("Viet\u{7}namese"), "a control character"),
        ("subtitles", json!(42), "not text"),
    ];
    for (field, value, case) in cases {
        let r = app
            .patch_as(&token, &format!("/films/{id}"), &json!({ field: value }))
            .await;
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        assert!(status == 422 || status == 400, "{field} {case}: {status}");
        if status == 422 {
            assert_eq!(body["field"], field, "{field} {case}");
        }
        let mut create = json!({"title": "T", "director": "D", "year": 2000,
                                "runtime_minutes": 90, "country": "VN"});
        create[field] = value;
        let r = app.post_as(&token, "/films", &create).await;
        assert!(matches!(r.status().as_u16(), 400 | 422), "{field} {case}");
    }
    assert_eq!(app.get_json(&format!("/films/{id}")).await, changed);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM films"), 2);
    let r = app
        .patch_as(
            &token,
            &format!("/films/{id}"),
            &json!({"language": "x".repeat(100), "subtitles": "y".repeat(100)}),
        )
        .await;
    assert_eq!(r.status(), 200, "100 characters are allowed");

    // Shown under the title on the programme, the screening page and the printed ticket, in
    // the reader's language when they name a language CLDR knows.
    let r = app
        .patch_as(
            &token,
            &format!("/films/{}", f.film_id),
            &json!({"language": "Vietnamese", "subtitles": "French"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let (ticket_id, _, manage_token) = app.ticket(&f.screening_id).await;
    let pages = [
        ("programme", "/festivals/fw".to_owned()),
        ("screening", format!("/screenings/{}", f.screening_id)),
        (
            "ticket",
            format!("/manage/{manage_token}/tickets/{ticket_id}"),
        ),
    ];
    for (lang, line) in [
        ("en", "Vietnamese · French subtitles"),
        ("fr", "En vietnamien · sous-titres en français"),
        ("vi", "Ngôn ngữ: tiếng Việt · phụ đề tiếng Pháp"),
    ] {
        for (name, path) in &pages {
            let (status, html) = get_page(
                &new_browser(),
                &format!("{}{path}?lang={lang}", app.address),
            )
            .await;
            assert_eq!(status, 200, "{lang} {name}");
            assert!(
                html.contains(&format!("class=\"film-languages\">{line}</")),
                "{lang} {name} shows {line:?}"
            );
        }
    }

    // What names no known language is shown as written; no subtitles given means none.
    app.patch_as(
        &token,
        &format!("/films/{}", f.film_id),
        &json!({"language": "Vietnamese and Tày", "subtitles": ""}),
    )
    .await;
    for (lang, line) in [
        ("en", "Vietnamese and Tày · no subtitles"),
        ("fr", "En Vietnamese and Tày · sans sous-titres"),
        ("vi", "Ngôn ngữ: Vietnamese and Tày · không có phụ đề"),
    ] {
        let (_, html) = get_page(
            &new_browser(),
            &format!("{}/screenings/{}?lang={lang}", app.address, f.screening_id),
        )
        .await;
        assert!(html.contains(line), "{lang}: {line:?}");
    }
    // Subtitles alone; and nothing at all when neither is given.
    app.patch_as(
        &token,
        &format!("/films/{}", f.film_id),
        &json!({"language": "", "subtitles": "en"}),
    )
    .await;
    let (_, html) = programme(&app, "lang=fr").await;
    assert!(html.contains("class=\"film-languages\">Sous-titres en anglais</"));
    app.patch_as(
        &token,
        &format!("/films/{}", f.film_id),
        &json!({"subtitles": ""}),
    )
    .await;
    let (_, html) = programme(&app, "").await;
    assert!(!html.contains("film-languages"));

    // The organiser's film form edits them too.
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let (_, form) = get_page(&browser, &format!("{}/admin/films/{id}", app.address)).await;
    assert!(
        form.contains("<label for=\"language\">") && form.contains("<label for=\"subtitles\">")
    );
    let response = browser
        .post(format!("{}/admin/films/{id}", app.address))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Song Lang"),
            ("original_title", ""),
            ("director", "Leon Le"),
            ("year", "2018"),
            ("runtime_minutes", "102"),
            ("country", "VN"),
            ("language", "Vietnamese, Cantonese"),
            ("subtitles", "French / English"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let film = app.get_json(&format!("/films/{id}")).await;
    assert_eq!(film["language"], "Vietnamese, Cantonese");
    assert_eq!(film["subtitles"], "French / English");
    let (_, form) = get_page(&browser, &format!("{}/admin/films/{id}", app.address)).await;
    assert!(form.contains("value=\"Vietnamese, Cantonese\""));
}

async fn the_programme_and_screening_page_show_the_end_time_and_runtime(app: TestApp) {
    // The fixture's screening starts at 20:00 in Paris; Red Rain runs 124 minutes.
    let f = app.fixture().await;
    let (_, html) = programme(&app, "").await;
    assert!(
        html.contains("20:00–22:04<br><span class=\"muted runtime\">124 min</span>"),
        "{html}"
    );
    let screening = format!("{}/screenings/{}", app.address, f.screening_id);
    let (_, html) = get_page(&new_browser(), &screening).await;
    assert!(html.contains("20:00–22:04 · 124 min"));
    let (_, html) = get_page(&new_browser(), &format!("{screening}?lang=vi")).await;
    assert!(html.contains("20:00–22:04 · 124 phút"));

    // A screening that runs longer than its film (a talk after it) ends when it says.
    let r = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{}", f.screening_id),
            &json!({"starts_at": "2030-12-12T20:00", "ends_at": "2030-12-12T23:00", "confirm": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let (_, html) = get_page(&new_browser(), &screening).await;
    assert!(html.contains("20:00–23:00 · 124 min"), "{html}");
}

async fn the_screening_page_lists_the_films_other_screenings_in_the_festival(app: TestApp) {
    let p = Programme::build(&app).await;
    let [s1, s2, s3, s4] = &p.s;
    let page = |id: &String| {
        let url = format!("{}/screenings/{id}", app.address);
        async move { get_page(&new_browser(), &url).await.1 }
    };
    let others = |html: &str| -> Vec<String> {
        let Some((_, list)) = html.split_once("class=\"other-screenings\"") else {
            return Vec::new();
        };
        let mut ids: Vec<String> = list
            .split("href=\"/screenings/")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };

    // Red Rain's page lists its other screening (when, where, seats), not itself nor Song Lang.
    let html = page(s1).await;
    assert!(html.contains("Other screenings of this film"));
    assert_eq!(others(&html), sorted(&[s2]));
    assert!(html.contains("Forum des Images") && html.contains("50 of 50 seats left"));
    assert_eq!(others(&page(s3).await), sorted(&[s4]));

    // A cancelled one stays listed, marked; a screening in another festival is not listed.
    let r = app
        .delete_as(&app.organiser_token, &format!("/screenings/{s2}"))
        .await;
    assert_eq!(r.status(), 200);
    let other_festival = app
        .create(
            "/festivals",
            json!({"slug": "fw-next", "name": "Film Week Next", "starts_on": "2031-12-06",
                   "ends_on": "2031-12-12", "timezone": "Europe/Paris", "attendance_goal": 10}),
        )
        .await;
    app.create(
        "/screenings",
        app.screening_body(
            &other_festival,
            &json!({"id": p.f.venue_id}),
            &json!({"id": p.f.film_id}),
            "Petite",
            4,
        ),
    )
    .await;
    let html = page(s1).await;
    assert_eq!(others(&html), sorted(&[s2]));
    let (_, list) = html.split_once("class=\"other-screenings\"").unwrap();
    assert!(list.contains("<tr class=\"cancelled\">") && list.contains("Cancelled"));
    // In the reader's language.
    let html = get_page(
        &new_browser(),
        &format!("{}/screenings/{s1}?lang=fr", app.address),
    )
    .await
    .1;
    assert!(html.contains("Autres séances de ce film"));

    // A film shown once has no such list.
    let once = app
        .create(
            "/films",
            json!({"title": "Mai", "director": "Trấn Thành", "year": 2024,
                   "runtime_minutes": 131, "country": "VN"}),
        )
        .await;
    let shown_once = app
        .create(
            "/screenings",
            app.screening_body(
                &json!({"id": p.f.festival_id}),
                &json!({"id": p.forum}),
                &once,
                "Salle 500",
                5,
            ),
        )
        .await;
    let html = page(&shown_once["id"].as_str().unwrap().to_owned()).await;
    assert!(!html.contains("Other screenings of this film"));
}

/// In headless Chromium with JavaScript switched off: the filter form is plain HTML.
async fn the_programme_filters_by_day_venue_and_film_without_javascript(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let p = Programme::build(&app).await;
    browser
        .cdp(
            "Emulation.setScriptExecutionDisabled",
            json!({"value": true}),
        )
        .await;
    browser
        .goto(&format!("{}/festivals/fw?lang=en", app.address))
        .await;
    let rows = browser.text("#screenings").await;
    assert!(rows.contains("Pathé Palace") && rows.contains("Forum des Images"));

    // Choose a venue and show: only its rows remain, and it stays chosen.
    browser
        .click(&format!("#filter-venue option[value=\"{}\"]", p.forum))
        .await;
    browser.click("form.filters button[type=submit]").await;
    browser
        .wait_for_text(".filter-result", "2 screenings match.")
        .await;
    let rows = browser.text("#screenings").await;
    assert!(rows.contains("Forum des Images"), "{rows}");
    assert!(!rows.contains("Pathé Palace"), "{rows}");
    assert_eq!(
        browser.text("#filter-venue option[selected]").await,
        "Forum des Images"
    );
    browser.screenshot("programme-filtered-by-venue.png").await;

    // Add a film: one row.
    browser
        .click(&format!("#filter-film option[value=\"{}\"]", p.song_lang))
        .await;
    browser.click("form.filters button[type=submit]").await;
    browser
        .wait_for_text(".filter-result", "1 screening matches.")
        .await;
    let rows = browser.text("#screenings").await;
    assert!(
        rows.contains("Song Lang") && !rows.contains("Red Rain"),
        "{rows}"
    );

    // A day with nothing for that choice: said in words.
    browser
        .click(&format!("#filter-day option[value=\"{}\"]", p.day[0]))
        .await;
    browser.click("form.filters button[type=submit]").await;
    browser
        .wait_for_text(".filter-result", "No screening matches these choices.")
        .await;

    // Clear the filters: everything again.
    browser.click("a.clear-filters").await;
    browser.wait_for_text("#screenings", "Pathé Palace").await;
    let rows = browser.text("#screenings").await;
    for title in ["Red Rain", "Song Lang", "Forum des Images"] {
        assert!(rows.contains(title), "{title}: {rows}");
    }
}
