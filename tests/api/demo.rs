//! The demo festival loads from the article's facts, idempotently.

use chrono::{Datelike, Utc};
use serde_json::Value;

use crate::helpers::TestApp;

on_both_backends!(the_demo_festival_loads_once_and_a_second_run_adds_nothing);

async fn the_demo_festival_loads_once_and_a_second_run_adds_nothing(app: TestApp) {
    let counts = |app: &TestApp| {
        [
            "festivals",
            "venues",
            "films",
            "screenings",
            "pass_types",
            "passes",
        ]
        .map(|t| app.count(&format!("SELECT COUNT(*) AS n FROM {t}")))
    };
    let now = Utc::now();
    let signer = {
        let mut conn = app.pool.get().unwrap();
        marquee::tickets::keys::load_or_create(&mut conn, None)
            .expect("the app's key")
            .signer
    };
    let first = {
        let mut conn = app.pool.get().unwrap();
        marquee::demo::load(&mut conn, &signer, now).expect("demo loads")
    };
    let after_first = counts(&app);
    let second = {
        let mut conn = app.pool.get().unwrap();
        // At the same moment: a run minutes later may rightly add a screening within the hour
        // (when the programme's own, found by the first run, has started meanwhile).
        marquee::demo::load(&mut conn, &signer, now).expect("demo loads again")
    };
    assert_eq!(counts(&app), after_first, "a second run adds nothing");
    assert_eq!(first.festival.id, second.festival.id);
    assert_ne!(
        first.organiser_token, second.organiser_token,
        "fresh sign-in links each run"
    );

    let [festivals, venues, films, _, pass_types, passes] = after_first;
    assert_eq!((festivals, films), (1, 17));
    assert_eq!(
        (pass_types, passes),
        (3, 3),
        "a jury, a press and a festival pass"
    );
    assert_ne!(first.jury_pass_token, second.jury_pass_token);
    // The jury pass's page opens from the printed link.
    let (status, page) = crate::helpers::get_page(
        &app.client,
        &format!("{}/pass/{}", app.address, second.jury_pass_token),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Jury member (demo)"), "{page}");
    assert!(venues >= 2);

    let festival = &app.get_json("/festivals").await[0];
    assert_eq!(festival["attendance_goal"], 6000);
    let screenings = app
        .get_json(&format!(
            "/festivals/{}/screenings",
            festival["id"].as_str().unwrap()
        ))
        .await;
    let screenings = screenings.as_array().unwrap();
    let closing: Vec<&Value> = screenings
        .iter()
        .filter(|s| s["starts_at"].as_str().unwrap().contains("-12-12T20:00"))
        .collect();
    assert_eq!(closing.len(), 1);
    assert_eq!(closing[0]["film"]["title"], "Red Rain");
    assert_eq!(closing[0]["venue"]["name"], "Pathé Palace");
    let titles: std::collections::HashSet<&str> = screenings
        .iter()
        .map(|s| s["film"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 17, "every film is screened");
    let days: std::collections::HashSet<&str> = screenings
        .iter()
        .map(|s| &s["starts_at"].as_str().unwrap()[..10])
        .collect();
    assert!(days.len() >= 7, "screenings across the week: {days:?}");

    // Something starts within the hour, so the door can be tried at once, and it can be booked.
    let preview = first.preview;
    let s = app.get_json(&format!("/screenings/{preview}")).await;
    let starts = chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap();
    let minutes = (starts.with_timezone(&Utc) - now).num_minutes();
    assert!((0..=60).contains(&minutes), "starts in {minutes} minutes");
    // On a whole minute, as a person would have typed it (exports and calendars show it).
    assert_eq!(
        (starts.timestamp() % 60, starts.timestamp_subsec_nanos()),
        (0, 0),
        "{}",
        s["starts_at"]
    );
    assert_eq!(
        app.book(&preview.to_string(), 2, "demo@example.org")
            .await
            .0,
        201
    );
    assert!(starts.year() >= now.year());

    // The demo organiser's link signs in.
    let response = app
        .post_as(&second.organiser_token, "/films", &serde_json::json!({}))
        .await;
    assert_eq!(
        response.status(),
        400,
        "authorised, then refused for the empty body"
    );
}
