//! Hostile input against every JSON write endpoint: malformed JSON, wrong types, huge bodies,
//! overlong strings, invalid ids and dates, markup and SQL-looking text. Each is answered 4xx with
//! a message, never 5xx, and changes nothing.

use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(every_write_endpoint_refuses_hostile_input_and_changes_nothing);

async fn every_write_endpoint_refuses_hostile_input_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let (_, booked) = app.book(&f.screening_id, 1, "owner@example.org").await;
    let booking_id = booked["booking"]["id"].as_str().unwrap().to_owned();
    let organiser = app.organiser_token.clone();
    let door = app.door_token.clone();
    // (method, path, credential) for every JSON write endpoint.
    let endpoints: Vec<(&str, String, Option<&str>)> = vec![
        ("POST", "/festivals".into(), Some(&organiser)),
        (
            "PATCH",
            format!("/festivals/{}", f.festival_id),
            Some(&organiser),
        ),
        ("POST", "/venues".into(), Some(&organiser)),
        ("PATCH", format!("/venues/{}", f.venue_id), Some(&organiser)),
        ("POST", "/films".into(), Some(&organiser)),
        ("PATCH", format!("/films/{}", f.film_id), Some(&organiser)),
        ("POST", "/screenings".into(), Some(&organiser)),
        (
            "PATCH",
            format!("/screenings/{}", f.screening_id),
            Some(&organiser),
        ),
        (
            "POST",
            format!("/screenings/{}/bookings", f.screening_id),
            None,
        ),
        (
            "POST",
            format!("/screenings/{}/invitations", f.screening_id),
            Some(&organiser),
        ),
        ("POST", "/scans".into(), Some(&door)),
        ("POST", "/find-my-tickets".into(), None),
        ("POST", "/my-data".into(), None),
        (
            "POST",
            format!("/festivals/{}/erasures", f.festival_id),
            Some(&organiser),
        ),
        (
            "PUT",
            format!("/festivals/{}/privacy-notice/en", f.festival_id),
            Some(&organiser),
        ),
        (
            "POST",
            format!("/festivals/{}/shred", f.festival_id),
            Some(&organiser),
        ),
    ];
    let long = "x".repeat(100_000);
    let payloads: Vec<(&str, String)> = vec![
        ("malformed JSON", "{\"name\": ".into()),
        ("not an object", "[1, 2, 3]".into()),
        ("a bare string", "\"hello\"".into()),
        ("wrong types", json!({"name": 5, "slug": [], "seats": "two", "rooms": "many", "code": {}, "starts_at": 12}).to_string()),
        ("overlong strings", json!({"name": long, "title": long, "slug": long, "email": long, "code": long, "door": long}).to_string()),
        ("invalid ids", json!({"festival_id": "1 OR 1=1", "film_id": "../../etc", "venue_id": "", "screening_id": "zzz"}).to_string()),
        ("invalid dates", json!({"starts_on": "2025-13-45", "ends_on": "yesterday", "starts_at": "25:99"}).to_string()),
        ("markup and SQL", json!({"name": "<script>alert(1)</script>", "title": "'; DROP TABLE films; --",
                                  "email": "a@b.c'); DELETE FROM bookings; --", "country": "<b>", "seats": 1,
                                  "code": "' OR '1'='1", "door": "<img src=x>", "nonce": "1;--"}).to_string()),
        ("huge body", format!("{{\"name\": \"{}\"}}", "y".repeat(300_000))),
        ("NUL bytes", json!({"name": "a\u{0}b", "code": "\u{0}", "door": "\u{0}", "nonce": "\u{0}"}).to_string()),
        // Text that shows other than it reads, addresses mail cannot reach, times from nowhere.
        ("direction overrides, undeliverable addresses, far times",
         json!({"name": "\u{202E}gnp.exe", "title": "Red \u{2066}Rain", "slug": "fw2", "city": "Paris",
                "email": "a;b@example.org", "country": "FR", "seats": 1, "code": "x",
                "door": "\u{202E}Porte", "nonce": "n-1", "scanned_at": "9999-01-01T00:00:00Z",
                "timezone": "Europe/Paris", "starts_on": "2030-01-01", "ends_on": "2030-01-02"}).to_string()),
        ("a quoted address", json!({"name": "Ana", "email": "\"x><script>\"@example.org", "country": "FR", "seats": 1}).to_string()),
    ];
    app.mail_sent().await;
    let before = app.row_counts();
    for (method, path, token) in &endpoints {
        for (what, body) in &payloads {
            let mut request = app
                .client
                .request(method.parse().unwrap(), format!("{}{path}", app.api))
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            assert!(
                (400..500).contains(&status),
                "{method} {path} with {what}: {status}"
            );
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            assert!(
                answer["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{method} {path} with {what}: a message, got {answer}"
            );
        }
    }
    assert_eq!(app.row_counts(), before, "refused input changed nothing");
    // The booking is still whole and nothing was dropped.
    let (_, still) = app
        .get_as(&organiser, &format!("/bookings/{booking_id}"))
        .await;
    assert_eq!(still["booking"]["status"], "confirmed");
}
