//! Attendance reports: every number equals what the test computes from its own inputs; CSV
//! round-trips; formulas are neutralised; only organisers see reports; live totals; the
//! consistency check.

use std::collections::{BTreeMap, BTreeSet};

use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, read_until};

on_both_backends!(
    the_report_counts_what_happened_at_the_doors,
    door_staff_and_anonymous_users_cannot_see_reports_or_admin_routes,
    the_dashboard_stream_updates_after_an_admission,
    every_viewer_of_a_change_shares_one_report_and_one_rendering_per_language,
    the_consistency_check_finds_an_altered_counter,
    csv_downloads_open_right_in_a_spreadsheet,
    numbers_on_the_dashboard_read_as_each_language_writes_them,
);

async fn numbers_on_the_dashboard_read_as_each_language_writes_them(app: TestApp) {
    let f = app.fixture().await;
    let goal = app
        .patch_as(
            &app.organiser_token,
            &format!("/festivals/{}", f.festival_id),
            &json!({"attendance_goal": 10750}),
        )
        .await;
    assert_eq!(goal.status(), 200);
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    app.scan(&code, &now).await;
    let (browser, _) = app.sign_in(&app.organiser_token).await;
    let nbsp = |text: &str| text.replace(['\u{202f}', '\u{a0}'], " ");
    for (lang, goal, share) in [
        ("en", "1 / 10,750 (0.0%)", "3.3%"),
        ("fr", "1 / 10 750 (0,0 %)", "3,3 %"),
        ("vi", "1 / 10.750 (0,0%)", "3,3%"),
    ] {
        let page = crate::helpers::page_text(
            &browser,
            format!(
                "{}/admin/festivals/{}/live?lang={lang}",
                app.address, f.festival_id
            ),
        )
        .await;
        let page = nbsp(&page);
        assert!(page.contains(goal), "{lang}: {goal} in {page}");
        // The screening of 30 seats, 1 admitted: its fill rate.
        assert!(
            page.contains(&format!("<td>{share}</td>")),
            "{lang}: {share} in {page}"
        );
        assert!(!page.contains("10750"), "{lang}: a bare number");
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Downloads a CSV table as bytes (`query` is appended to the URL).
async fn csv_bytes(app: &TestApp, festival: &str, file: &str) -> (u16, Vec<u8>) {
    let path = format!("/festivals/{festival}/report/{file}");
    let response = app.fetch_as(&app.organiser_token, &path).await;
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Reads a CSV file as a BOM-aware spreadsheet does: the byte-order mark says UTF-8 and is not
/// part of the first header.
fn read_csv(bytes: &[u8], delimiter: u8) -> Vec<BTreeMap<String, String>> {
    let text = bytes.strip_prefix(BOM).expect("a UTF-8 byte-order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(std::str::from_utf8(text).expect("UTF-8").as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// One booking of the scenario, and which of its tickets get admitted.
struct Planned {
    screening: usize,
    email: &'static str,
    country: &'static str,
    seats: usize,
    category: &'static str,
    admit: &'static [usize],
    cancel: bool,
}

const fn plan(
    screening: usize,
    email: &'static str,
    country: &'static str,
    seats: usize,
    category: &'static str,
    admit: &'static [usize],
    cancel: bool,
) -> Planned {
    Planned {
        screening,
        email,
        country,
        seats,
        category,
        admit,
        cancel,
    }
}

/// The scenario: screenings 0–3 are held (3 ends up in the past, so its no-shows are final);
/// screening 4 is cancelled. One person (ana) books twice with different case in her e-mail.
const PLANS: [Planned; 11] = [
    plan(1, "ana@example.org", "FR", 3, "public", &[0, 1], false),
    plan(1, "binh@example.org", "VN", 2, "public", &[0], false),
    plan(1, "finn@example.org", "GB", 2, "public", &[], true),
    plan(1, "laure@example.org", "FR", 1, "jury", &[0], false),
    plan(2, "ANA@Example.org", "FR", 1, "public", &[0], false),
    plan(2, "carl@example.org", "DE", 2, "public", &[0], false),
    plan(2, "press@example.org", "VN", 2, "press", &[0], false),
    plan(3, "dung@example.org", "VN", 4, "public", &[0, 1, 2], false),
    plan(3, "eve@example.org", "US", 1, "public", &[], false),
    plan(0, "eve@example.org", "US", 2, "public", &[], false),
    plan(4, "gia@example.org", "VN", 2, "public", &[], false),
];

struct Scenario {
    f: Fixture,
    screenings: Vec<String>,
    capacities: Vec<i64>,
    films: Vec<String>,
}

async fn seed(app: &TestApp) -> Scenario {
    let f = app.fixture().await; // screening 0: Red Rain, Pathé "Petite" (30), tomorrow
    let forum = app
        .create(
            "/venues",
            json!({"name": "Forum", "city": "Paris", "timezone": "Europe/Paris",
                                  "rooms": [{"name": "Salle 500", "seats": 40}]}),
        )
        .await;
    let song_lang = app
        .create(
            "/films",
            json!({"title": "Song Lang", "director": "Leon Le", "year": 2018,
                                 "runtime_minutes": 102, "country": "VN"}),
        )
        .await;
    let hostile = app
        .create(
            "/films",
            json!({"title": "=HYPERLINK(\"http://evil.example\")", "director": "X",
                                 "year": 2024, "runtime_minutes": 90, "country": "VN"}),
        )
        .await;
    let in_20 = (chrono::Utc::now() + chrono::Duration::minutes(20)).to_rfc3339();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let mut screenings = vec![f.screening_id.clone()];
    for (venue, film, room, at) in [
        (&f.venue_id, &f.film_id, "Grande Salle", &in_20),
        (
            &forum["id"].as_str().unwrap().to_owned(),
            &song_lang["id"].as_str().unwrap().to_owned(),
            "Salle 500",
            &in_20,
        ),
        (
            &f.venue_id,
            &hostile["id"].as_str().unwrap().to_owned(),
            "Petite",
            &in_20,
        ),
        (
            &forum["id"].as_str().unwrap().to_owned(),
            &song_lang["id"].as_str().unwrap().to_owned(),
            "Salle 500",
            &tomorrow,
        ),
    ] {
        let s = app
            .create(
                "/screenings",
                json!({"festival_id": f.festival_id, "venue_id": venue,
                    "film_id": film, "room": room, "starts_at": at}),
            )
            .await;
        screenings.push(s["id"].as_str().unwrap().to_owned());
    }

    for p in &PLANS {
        let body = json!({"name": format!("Guest {}", p.email), "email": p.email, "country": p.country,
                          "seats": p.seats});
        let response = if p.category == "public" {
            app.client
                .post(format!(
                    "{}/screenings/{}/bookings",
                    app.api, screenings[p.screening]
                ))
                .json(&body)
                .send()
                .await
                .unwrap()
        } else {
            let mut body = body;
            body["category"] = json!(p.category);
            app.post_as(
                &app.organiser_token,
                &format!("/screenings/{}/invitations", screenings[p.screening]),
                &body,
            )
            .await
        };
        assert_eq!(response.status(), 201);
        let booked: Value = response.json().await.unwrap();
        for &i in p.admit {
            let code = booked["tickets"][i]["code"].as_str().unwrap();
            assert_eq!(
                app.scan(code, &screenings[p.screening]).await["verdict"],
                "admitted"
            );
        }
        if p.cancel {
            assert_eq!(app.cancel(&booked).await.status(), 200);
        }
    }
    // An admission undone at the door does not count.
    let extra = app.book(&screenings[2], 1, "undone@example.org").await.1;
    let admitted = app
        .scan(
            extra["tickets"][0]["code"].as_str().unwrap(),
            &screenings[2],
        )
        .await;
    let undo = app
        .client
        .post(format!(
            "{}/scans/{}/annul",
            app.api,
            admitted["scan_id"].as_str().unwrap()
        ))
        .bearer_auth(&app.door_token)
        .send()
        .await
        .unwrap();
    assert_eq!(undo.status(), 200);

    // Screening 3 took place three days ago; screening 4 is cancelled.
    app.move_screening_start(&screenings[3], chrono::Duration::days(-3));
    app.delete_as(
        &app.organiser_token,
        &format!("/screenings/{}", screenings[4]),
    )
    .await;

    Scenario {
        f,
        screenings,
        capacities: vec![30, 100, 40, 30, 40],
        films: vec![
            "Red Rain".into(),
            "Red Rain".into(),
            "Song Lang".into(),
            "=HYPERLINK(\"http://evil.example\")".into(),
            "Song Lang".into(),
        ],
    }
}

/// What the report must say, computed from the plan alone.
struct Expected {
    issued: Vec<i64>,
    admitted: Vec<i64>,
    attendees: BTreeSet<String>,
    countries: BTreeSet<&'static str>,
    by_country: BTreeMap<&'static str, (i64, i64, BTreeSet<String>)>,
    by_category: BTreeMap<&'static str, (i64, i64)>,
}

const HELD: [usize; 4] = [0, 1, 2, 3];

fn expected() -> Expected {
    let mut e = Expected {
        issued: vec![0; 5],
        admitted: vec![0; 5],
        attendees: BTreeSet::new(),
        countries: BTreeSet::new(),
        by_country: BTreeMap::new(),
        by_category: BTreeMap::new(),
    };
    // The booking whose admission was undone (`TestApp::book`: one public seat, from FR).
    e.issued[2] += 1;
    let undone = e.by_country.entry("FR").or_default();
    undone.0 += 1;
    e.by_category.entry("public").or_default().0 += 1;
    for p in PLANS.iter().filter(|p| !p.cancel) {
        e.issued[p.screening] += p.seats as i64;
        e.admitted[p.screening] += p.admit.len() as i64;
        if HELD.contains(&p.screening) {
            let c = e.by_country.entry(p.country).or_default();
            c.0 += p.seats as i64;
            c.1 += p.admit.len() as i64;
            let k = e.by_category.entry(p.category).or_default();
            k.0 += p.seats as i64;
            k.1 += p.admit.len() as i64;
            if !p.admit.is_empty() {
                e.attendees.insert(p.email.to_lowercase());
                e.countries.insert(p.country);
                c.2.insert(p.email.to_lowercase());
            }
        }
    }
    e
}

async fn report(app: &TestApp, festival: &str) -> Value {
    let (status, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/report"),
        )
        .await;
    assert_eq!(status, 200);
    report
}

async fn csv_table(app: &TestApp, festival: &str, table: &str) -> Vec<BTreeMap<String, String>> {
    let path = format!("/festivals/{festival}/report/{table}.csv");
    let response = app.fetch_as(&app.organiser_token, &path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let body = response.bytes().await.unwrap();
    assert!(body.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
    read_csv(&body, b',')
}

async fn csv_downloads_open_right_in_a_spreadsheet(app: TestApp) {
    let f = app.fixture().await;
    // A venue whose name has a comma and an accent, and a holder from Côte d'Ivoire.
    let venue = app
        .create(
            "/venues",
            json!({"name": "Forum des Images, Salle 300", "city": "Paris", "address": "2 rue du Cinéma",
                   "timezone": "Europe/Paris", "rooms": [{"name": "Salle 300", "seats": 300}]}),
        )
        .await;
    let screening = app
        .create(
            "/screenings",
            json!({"festival_id": f.festival_id, "venue_id": venue["id"], "film_id": f.film_id,
                   "room": "Salle 300", "starts_at": "2030-12-08T18:00"}),
        )
        .await;
    let id = screening["id"].as_str().unwrap();
    let response = app
        .client
        .post(format!("{}/screenings/{id}/bookings", app.api))
        .json(&json!({"name": "Aya Koné", "email": "aya@example.org", "country": "CI", "seats": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    for (query, delimiter, decimal) in [("", b',', '.'), ("?sep=semicolon", b';', ',')] {
        let (status, venues) = csv_bytes(&app, &f.festival_id, &format!("venues.csv{query}")).await;
        assert_eq!(status, 200);
        let venues = read_csv(&venues, delimiter);
        let names: BTreeSet<&str> = venues.iter().map(|v| v["name"].as_str()).collect();
        assert!(
            names.contains("Forum des Images, Salle 300") && names.contains("Pathé Palace"),
            "{query}: {names:?}"
        );
        let forum = venues
            .iter()
            .find(|v| v["name"].starts_with("Forum"))
            .unwrap();
        // 1 booked of 300: written with the dialect's decimal separator.
        let fill = &forum["fill_rate"];
        assert_eq!(fill, &format!("0{decimal}0000"), "{query}");

        let (_, countries) =
            csv_bytes(&app, &f.festival_id, &format!("countries.csv{query}")).await;
        let countries = read_csv(&countries, delimiter);
        assert!(
            countries
                .iter()
                .any(|c| c["code"] == "CI" && c["country"].contains("Ivoire")),
            "{countries:?}"
        );
    }
    // An unknown separator is refused, not guessed.
    let (status, body) = csv_bytes(&app, &f.festival_id, "venues.csv?sep=tab").await;
    assert_eq!(status, 422);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["field"], "sep");
}

async fn the_report_counts_what_happened_at_the_doors(app: TestApp) {
    let s = seed(&app).await;
    let e = expected();
    let r = report(&app, &s.f.festival_id).await;
    let t = &r["totals"];

    let issued: i64 = HELD.iter().map(|&i| e.issued[i]).sum();
    let admitted: i64 = HELD.iter().map(|&i| e.admitted[i]).sum();
    let no_shows = e.issued[3] - e.admitted[3]; // only screening 3's doors have closed
    let capacity: i64 = HELD.iter().map(|&i| s.capacities[i]).sum();
    let films: BTreeSet<&String> = HELD.iter().map(|&i| &s.films[i]).collect();
    assert_eq!(t["tickets_issued"], issued);
    assert_eq!(t["admitted"], admitted);
    assert_eq!(t["no_shows"], no_shows);
    assert_eq!(t["awaiting"], issued - admitted - no_shows);
    assert_eq!(t["unique_attendees"], e.attendees.len());
    assert_eq!(t["countries"], e.countries.len());
    assert_eq!(t["films"], films.len());
    assert_eq!(t["screenings"], HELD.len());
    assert_eq!(t["screenings_cancelled"], 1);
    assert_eq!(t["capacity"], capacity);
    assert_eq!(t["attendance_goal"], 500);
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-9;
    assert!(close(&t["goal_progress"], admitted as f64 / 500.0));
    assert!(close(&t["fill_rate"], admitted as f64 / capacity as f64));
    assert!(close(
        &t["no_show_rate"],
        no_shows as f64 / e.issued[3] as f64
    ));

    // By screening, including the cancelled one.
    for (i, id) in s.screenings.iter().enumerate() {
        let line = r["by_screening"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id.as_str())
            .unwrap();
        assert_eq!(line["capacity"], s.capacities[i], "screening {i}");
        assert_eq!(line["booked"], e.issued[i], "screening {i}");
        assert_eq!(line["admitted"], e.admitted[i], "screening {i}");
        assert_eq!(
            line["status"],
            if i == 4 { "cancelled" } else { "scheduled" }
        );
        assert_eq!(line["closed"], i == 3);
        assert!(close(
            &line["fill_rate"],
            e.admitted[i] as f64 / s.capacities[i] as f64
        ));
    }
    // By film and venue and day: sums over the held screenings.
    let red_rain = r["by_film"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "Red Rain")
        .unwrap();
    assert_eq!(red_rain["screenings"], 2);
    assert_eq!(red_rain["admitted"], e.admitted[0] + e.admitted[1]);
    assert_eq!(red_rain["capacity"], s.capacities[0] + s.capacities[1]);
    let forum = r["by_venue"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "Forum")
        .unwrap();
    assert_eq!(
        forum["screenings"], 1,
        "the cancelled screening is left out"
    );
    assert_eq!(forum["admitted"], e.admitted[2]);
    let days: i64 = r["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["admitted"].as_i64().unwrap())
        .sum();
    assert_eq!(days, admitted);
    assert!(
        r["by_day"].as_array().unwrap().len() >= 2,
        "screening 3 was on another day"
    );

    // By country (with names) and category.
    let countries = r["by_country"].as_array().unwrap();
    for (code, (issued, admitted, people)) in &e.by_country {
        let line = countries
            .iter()
            .find(|c| c["code"] == *code)
            .unwrap_or_else(|| panic!("{code}"));
        assert_eq!(line["tickets_issued"], *issued, "{code}");
        assert_eq!(line["admitted"], *admitted, "{code}");
        assert_eq!(line["attendees"], people.len(), "{code}");
    }
    assert_eq!(
        countries.iter().find(|c| c["code"] == "VN").unwrap()["name"],
        "Vietnam"
    );
    assert!(
        countries.iter().all(|c| c["code"] != "GB"),
        "a cancelled booking issues nothing"
    );
    for (category, (issued, admitted)) in &e.by_category {
        let line = r["by_category"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == *category)
            .unwrap();
        assert_eq!(
            (
                line["tickets_issued"].as_i64().unwrap(),
                line["admitted"].as_i64().unwrap()
            ),
            (*issued, *admitted),
            "{category}"
        );
    }

    // The CSV files say the same.
    let totals = csv_table(&app, &s.f.festival_id, "totals").await;
    let metric = |name: &str| totals.iter().find(|r| r["metric"] == name).unwrap()["value"].clone();
    assert_eq!(metric("admitted"), admitted.to_string());
    assert_eq!(metric("unique_attendees"), e.attendees.len().to_string());
    assert_eq!(metric("no_shows"), no_shows.to_string());
    let rows = csv_table(&app, &s.f.festival_id, "screenings").await;
    assert_eq!(rows.len(), 5);
    for (i, id) in s.screenings.iter().enumerate() {
        let row = rows.iter().find(|r| r["screening_id"] == *id).unwrap();
        assert_eq!(row["admitted"], e.admitted[i].to_string());
        assert_eq!(row["booked"], e.issued[i].to_string());
    }
    let hostile = rows
        .iter()
        .find(|r| r["film"].contains("HYPERLINK"))
        .unwrap();
    assert!(
        hostile["film"].starts_with("'="),
        "a formula is neutralised: {}",
        hostile["film"]
    );
    let films_csv = csv_table(&app, &s.f.festival_id, "films").await;
    assert!(films_csv.iter().all(|r| !r["name"].starts_with('=')));
    let by_country = csv_table(&app, &s.f.festival_id, "countries").await;
    let vn = by_country.iter().find(|r| r["code"] == "VN").unwrap();
    assert_eq!(vn["admitted"], e.by_country["VN"].1.to_string());
    assert_eq!(vn["country"], "Vietnam");
    for table in ["films", "venues", "days", "categories"] {
        assert!(
            !csv_table(&app, &s.f.festival_id, table).await.is_empty(),
            "{table}"
        );
    }
    let (status, _) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report/passwords.csv", s.f.festival_id),
        )
        .await;
    assert_eq!(status, 404);

    // The arrival curve of screening 1: every admission in a 5-minute bucket.
    let (_, arrivals) = app
        .get_as(
            &app.organiser_token,
            &format!("/screenings/{}/arrivals", s.screenings[1]),
        )
        .await;
    let buckets = arrivals["buckets"].as_array().unwrap();
    assert_eq!(
        buckets
            .iter()
            .map(|b| b["admitted"].as_i64().unwrap())
            .sum::<i64>(),
        e.admitted[1]
    );
    assert_eq!(buckets.first().unwrap()["minutes_from_start"], -45);
    assert_eq!(buckets.last().unwrap()["minutes_from_start"], 30);
    let busy = buckets
        .iter()
        .find(|b| b["admitted"].as_i64().unwrap() > 0)
        .unwrap();
    assert!(
        (-25..=-15).contains(&busy["minutes_from_start"].as_i64().unwrap()),
        "admitted about 20 minutes before the start: {busy}"
    );

    // The dashboard shows the same totals.
    let page = app
        .client
        .get(format!(
            "{}/admin/festivals/{}",
            app.address, s.f.festival_id
        ))
        .bearer_auth(&app.organiser_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("<span data-total=\"admitted\">{admitted}</span>")));
    assert!(page.contains("<svg"), "server-rendered charts");
    assert!(
        !page.contains("=HYPERLINK(\"http"),
        "titles are escaped in the page"
    );
}

async fn door_staff_and_anonymous_users_cannot_see_reports_or_admin_routes(app: TestApp) {
    let f = app.fixture().await;
    let routes = [
        (
            "GET",
            format!("{}/festivals/{}/report", app.api, f.festival_id),
        ),
        (
            "GET",
            format!("{}/festivals/{}/report/totals.csv", app.api, f.festival_id),
        ),
        (
            "GET",
            format!("{}/festivals/{}/consistency", app.api, f.festival_id),
        ),
        (
            "GET",
            format!("{}/festivals/{}/events", app.api, f.festival_id),
        ),
        (
            "GET",
            format!("{}/festivals/{}/scan-log/verify", app.api, f.festival_id),
        ),
        (
            "GET",
            format!("{}/screenings/{}/arrivals", app.api, f.screening_id),
        ),
        (
            "POST",
            format!("{}/screenings/{}/invitations", app.api, f.screening_id),
        ),
        (
            "GET",
            format!("{}/admin/festivals/{}", app.address, f.festival_id),
        ),
        (
            "GET",
            format!("{}/admin/screenings/{}", app.address, f.screening_id),
        ),
    ];
    for (method, url) in &routes {
        for (who, token, expected) in [
            ("anonymous", None, 401),
            ("door staff", Some(&app.door_token), 403),
        ] {
            let mut request = app.client.request(method.parse().unwrap(), url).json(&json!({
                "name": "X", "email": "x@example.org", "country": "FR", "seats": 1, "category": "guest"}));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status().as_u16(), expected, "{who} {method} {url}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 0);
}

async fn the_dashboard_stream_updates_after_an_admission(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let mut stream = app
        .client
        .get(format!("{}/festivals/{}/events", app.api, f.festival_id))
        .bearer_auth(&app.organiser_token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "\"admitted\":0").await;
    app.scan(&code, &now).await;
    read_until(&mut stream, &mut seen, "\"admitted\":1").await;
    assert!(seen.contains("event: totals") && seen.contains("\"unique_attendees\":1"));
}

/// A counter of the server's own metrics (`name` with its labels, as Prometheus prints it).
async fn metric(app: &TestApp, name: &str) -> u64 {
    let metrics = crate::helpers::page_text(&app.client, format!("{}/metrics", app.address)).await;
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0)
}

/// The version in the last `event: report` of what a stream sent so far.
fn last_version(seen: &str) -> u64 {
    let marker = "event: report\ndata: {\"version\":";
    let at = seen.rfind(marker).expect("a report event") + marker.len();
    seen[at..].split('}').next().unwrap().parse().unwrap()
}

async fn every_viewer_of_a_change_shares_one_report_and_one_rendering_per_language(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    // Two organisers have the dashboard open: each page follows the festival's stream.
    let mut viewers = Vec::new();
    for _ in 0..2 {
        let (browser, _) = app.sign_in(&app.organiser_token).await;
        let mut stream = browser
            .get(format!("{}/festivals/{}/events", app.api, f.festival_id))
            .send()
            .await
            .unwrap();
        let mut seen = String::new();
        read_until(&mut stream, &mut seen, "event: report").await;
        viewers.push((browser, stream, seen));
    }

    app.scan(&code, &now).await;
    // One computation found the change: both streams announce the same new version.
    let mut versions = Vec::new();
    for (_, stream, seen) in &mut viewers {
        read_until(stream, seen, "\"admitted\":1").await;
        // The report event that follows those totals, read to its end.
        let mut tail = seen.split_off(seen.rfind("\"admitted\":1").unwrap());
        read_until(stream, &mut tail, "event: report").await;
        let mut report = tail.split_off(tail.find("event: report").unwrap());
        read_until(stream, &mut report, "}\n\n").await;
        versions.push(last_version(&report));
    }
    assert_eq!(versions[0], versions[1], "{versions:?}");
    let version = versions[0].to_string();

    // Each page fetches the charts and tables of that version: one rendering serves both.
    let rendered = metric(&app, "marquee_report_renders_total{lang=\"en\"}").await;
    let mut pages = Vec::new();
    for (browser, _, _) in &viewers {
        let response = browser
            .get(format!(
                "{}/admin/festivals/{}/live",
                app.address, f.festival_id
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-report-version"], version.as_str());
        assert_eq!(response.headers()["cache-control"], "no-store");
        pages.push(response.text().await.unwrap());
    }
    assert_eq!(pages[0], pages[1]);
    assert!(
        pages[0].contains("<span data-total=\"admitted\">1</span>"),
        "{}",
        pages[0]
    );
    let row = pages[0]
        .split(&format!("data-screening=\"{now}\""))
        .nth(1)
        .expect("the screening's row")
        .split("</tr>")
        .next()
        .unwrap();
    let cells: Vec<&str> = row.split("<td>").skip(1).collect();
    assert!(cells[3].starts_with("1</td>"), "admitted 1: {row}");
    assert!(pages[0].contains("<svg"), "the charts come with the tables");
    assert_eq!(
        metric(&app, "marquee_report_renders_total{lang=\"en\"}").await,
        rendered + 1,
        "one rendering for two viewers"
    );

    // A viewer reading French gets the same version in French, rendered once for French viewers.
    for _ in 0..2 {
        let response = viewers[0]
            .0
            .get(format!(
                "{}/admin/festivals/{}/live?lang=fr",
                app.address, f.festival_id
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-report-version"], version.as_str());
        assert!(response.text().await.unwrap().contains("Séances"));
    }
    assert_eq!(
        metric(&app, "marquee_report_renders_total{lang=\"fr\"}").await,
        1
    );
    // Country names are each viewer's own, whoever's language the report was computed in.
    let vietnamese = viewers[1]
        .0
        .get(format!(
            "{}/admin/festivals/{}/live?lang=vi",
            app.address, f.festival_id
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        vietnamese.contains("<td>Pháp <span class=\"muted\">FR</span>"),
        "{vietnamese}"
    );
    assert!(
        pages[0].contains("<td>France <span class=\"muted\">FR</span>"),
        "{}",
        pages[0]
    );
    assert_eq!(
        metric(&app, "marquee_report_renders_total{lang=\"en\"}").await,
        rendered + 1
    );
}

async fn the_consistency_check_finds_an_altered_counter(app: TestApp) {
    let s = seed(&app).await;
    let path = format!("/festivals/{}/consistency", s.f.festival_id);
    let check = || async {
        let (status, report) = app.get_as(&app.organiser_token, &path).await;
        assert_eq!(status, 200);
        report
    };
    let healthy = check().await;
    assert_eq!(healthy["problems"], json!([]), "{healthy}");
    assert!(healthy["counters_checked"].as_i64().unwrap() > 20);
    let (ok, _) = check_cli(&app);
    assert!(ok);

    let target = &s.screenings[1];
    app.pool
        .get()
        .unwrap()
        .batch_execute(&format!(
            "UPDATE screenings SET admitted = admitted + 5 WHERE id = '{target}'"
        ))
        .unwrap();
    let broken = check().await;
    let problems = broken["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .as_str()
            .unwrap()
            .contains(&format!("screening {target} admitted"))
    );
    let (ok, out) = check_cli(&app);
    assert!(!ok && out.contains("PROBLEM"), "{out}");

    app.pool
        .get()
        .unwrap()
        .batch_execute(&format!(
            "UPDATE screenings SET admitted = admitted - 5 WHERE id = '{target}'; \
             UPDATE screening_tallies SET issued = issued + 1 WHERE screening_id = '{target}' AND kind = 'country' AND label = 'VN'"
        ))
        .unwrap();
    let broken = check().await;
    assert!(
        broken["problems"][0]
            .as_str()
            .unwrap()
            .contains("country VN issued"),
        "{broken}"
    );
}

fn check_cli(app: &TestApp) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg("check-counters")
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}
