//! The waiting list: joining only when sold out, freed seats offered in order to the first entry
//! that fits, claims that become bookings, offers that expire and pass on, organisers' control —
//! and no oversell when claims, bookings and cancellations race.

use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, csrf_of, get_page, new_browser, post_form};

on_both_backends!(
    freed_seats_go_to_the_first_entry_that_fits_and_expired_offers_pass_on,
    racing_claims_bookings_and_cancellations_never_oversell,
    organisers_see_reorder_remove_and_close_the_list,
    the_pages_join_claim_and_organise_the_list,
);

/// A screening of `capacity` seats, two days ahead.
pub async fn small_screening(app: &TestApp, f: &Fixture, capacity: i64) -> String {
    screening_of(app, f, capacity, chrono::Duration::days(2)).await
}

/// A screening of `capacity` seats starting `starts_in` from now.
pub async fn screening_of(
    app: &TestApp,
    f: &Fixture,
    capacity: i64,
    starts_in: chrono::Duration,
) -> String {
    let starts = (chrono::Utc::now() + starts_in).to_rfc3339();
    let s = app
        .create(
            "/screenings",
            json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                   "room": "Petite", "starts_at": starts, "capacity": capacity}),
        )
        .await;
    s["id"].as_str().unwrap().to_owned()
}

/// Joins the list; returns the status and body.
pub async fn join(app: &TestApp, screening: &str, seats: i64, email: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/screenings/{screening}/waitlist", app.api))
        .json(&json!({"name": "Linh Pham", "email": email, "country": "VN", "seats": seats}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// An entry as its private link shows it.
pub async fn entry(app: &TestApp, token: &str) -> Value {
    app.get_json(&format!("/waitlist/{token}")).await["entry"].clone()
}

async fn claim(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/waitlist/{token}/claim", app.api))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn cancel(app: &TestApp, booking: &Value) {
    let id = booking["booking"]["id"].as_str().unwrap();
    let response = app
        .delete_as(&app.organiser_token, &format!("/bookings/{id}"))
        .await;
    assert_eq!(response.status(), 200);
}

fn token(joined: &Value) -> String {
    joined["entry"]["manage_token"].as_str().unwrap().to_owned()
}

/// Waits (10 s at most) until the entry behind `token` has `status`.
async fn wait_for_status(app: &TestApp, token: &str, status: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let e = entry(app, token).await;
        if e["status"] == status {
            return e;
        }
        assert!(std::time::Instant::now() < deadline, "never {status}: {e}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn seats_counted(app: &TestApp, screening: &str) -> (i64, i64) {
    (
        app.count(&format!(
            "SELECT CAST(booked AS BIGINT) AS n FROM screenings WHERE id = '{screening}'"
        )),
        app.count(&format!(
            "SELECT CAST(held AS BIGINT) AS n FROM screenings WHERE id = '{screening}'"
        )),
    )
}

async fn freed_seats_go_to_the_first_entry_that_fits_and_expired_offers_pass_on(app: TestApp) {
    let f = app.fixture().await;
    let s = small_screening(&app, &f, 3).await;
    // Seats left: booking them is the way, not the list.
    let (status, body) = join(&app, &s, 1, "early@example.org").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("seats_available"))
    );
    let (_, pair) = app.book(&s, 2, "pair@example.org").await;
    let (_, single) = app.book(&s, 1, "single@example.org").await;

    let (status, first) = join(&app, &s, 2, "two@example.org").await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["entry"]["place"], 1);
    assert_eq!(first["entry"]["status"], "waiting");
    assert!(
        first["entry"]["manage_url"]
            .as_str()
            .unwrap()
            .contains("/waitlist/")
    );
    let (_, second) = join(&app, &s, 1, "one@example.org").await;
    let (_, third) = join(&app, &s, 1, "another@example.org").await;
    assert_eq!(second["entry"]["place"], 2);
    assert_eq!(third["entry"]["place"], 3);
    let (first, second, third) = (token(&first), token(&second), token(&third));

    // One seat freed: the first entry wants two, so the first that fits (the second) gets it.
    cancel(&app, &single).await;
    assert_eq!(entry(&app, &second).await["status"], "offered");
    assert!(entry(&app, &second).await["offer_expires_at"].is_string());
    assert_eq!(entry(&app, &first).await["status"], "waiting");
    assert_eq!(
        seats_counted(&app, &s),
        (3, 1),
        "the held seat counts as booked"
    );
    let (status, body) = app.book(&s, 1, "sneaky@example.org").await;
    assert_eq!((status, body["error"].as_str()), (409, Some("sold_out")));
    // Claiming early while only waiting is refused, and changes nothing.
    let (status, body) = claim(&app, &first).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("no_offer")));

    let (status, booked) = claim(&app, &second).await;
    assert_eq!(status, 201, "{booked}");
    assert_eq!(booked["tickets"].as_array().unwrap().len(), 1);
    assert_eq!(booked["booking"]["email"], "one@example.org");
    assert_eq!(entry(&app, &second).await["status"], "claimed");
    assert_eq!(seats_counted(&app, &s), (3, 0));
    let (status, _) = claim(&app, &second).await;
    assert_eq!(status, 409, "a claim books once");

    // Two seats freed: now the first entry fits.
    cancel(&app, &pair).await;
    assert_eq!(entry(&app, &first).await["status"], "offered");
    assert_eq!(entry(&app, &third).await["status"], "waiting");

    // The offer runs out: the sweeper passes the seats on (the third takes one; one is free).
    app.run_sql(&format!(
        "UPDATE waitlist_entries SET offer_expires_at = created_at WHERE status = 'offered' \
         AND screening_id = '{s}'"
    ));
    wait_for_status(&app, &first, "expired").await;
    wait_for_status(&app, &third, "offered").await;
    let (status, _) = claim(&app, &first).await;
    assert_eq!(status, 409, "an expired offer cannot be claimed");
    assert_eq!(seats_counted(&app, &s), (2, 1));
    // Nobody waiting fits the last seat any more: it is anyone's.
    let (status, _) = app.book(&s, 1, "lucky@example.org").await;
    assert_eq!(status, 201);

    // Leaving with an offer gives the seat back.
    let (status, left) = app
        .client
        .delete(format!("{}/waitlist/{third}", app.api))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        left.json::<Value>().await.unwrap()["entry"]["status"],
        "left"
    );
    assert_eq!(seats_counted(&app, &s), (2, 0));

    // Every step was mailed: three places in line, three offers.
    for (kind, n) in [("waitlist_joined", 3), ("waitlist_offer", 3)] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM outbox WHERE kind = '{kind}'"
            )),
            n,
            "{kind}"
        );
    }
}

async fn racing_claims_bookings_and_cancellations_never_oversell(app: TestApp) {
    let f = app.fixture().await;
    let s = small_screening(&app, &f, 10).await;
    let mut bookings = Vec::new();
    for i in 0..10 {
        let (status, b) = app.book(&s, 1, &format!("holder{i}@example.org")).await;
        assert_eq!(status, 201);
        bookings.push(b);
    }
    let mut tokens = Vec::new();
    for i in 0..12 {
        let (status, joined) = join(&app, &s, 1, &format!("w{i}@example.org")).await;
        assert_eq!(status, 201, "{joined}");
        tokens.push(token(&joined));
    }
    // Everything at once: holders cancel, people on the list claim (most have no offer yet),
    // strangers try to book, and the sweeper runs.
    let mut tasks = Vec::new();
    for b in bookings.iter().take(6) {
        let (client, api, token, id) = (
            app.client.clone(),
            app.api.clone(),
            app.organiser_token.clone(),
            b["booking"]["id"].as_str().unwrap().to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            client
                .delete(format!("{api}/bookings/{id}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for round in 0..3 {
        for t in &tokens {
            let (client, url) = (
                app.client.clone(),
                format!("{}/waitlist/{t}/claim", app.api),
            );
            tasks.push(tokio::spawn(async move {
                let _ = round;
                client.post(url).send().await.unwrap().status().as_u16()
            }));
        }
        for i in 0..8 {
            let (client, url) = (
                app.client.clone(),
                format!("{}/screenings/{s}/bookings", app.api),
            );
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .json(
                        &json!({"name": "Stranger", "email": format!("s{round}{i}@example.org"),
                                  "country": "FR", "seats": 1}),
                    )
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(
            [200, 201, 409].contains(&status),
            "no 5xx under the race: {status}"
        );
    }
    // Let offers still open be claimed, as people would.
    for t in &tokens {
        if entry(&app, t).await["status"] == "offered" {
            assert_eq!(claim(&app, t).await.0, 201);
        }
    }
    let valid = app.count(&format!(
        "SELECT COUNT(*) AS n FROM tickets WHERE screening_id = '{s}' AND status = 'valid'"
    ));
    let (booked, held) = seats_counted(&app, &s);
    assert!(valid <= 10, "{valid} valid tickets for 10 seats");
    assert_eq!(booked, valid + held, "booked = tickets + held seats");
    assert_eq!(held, 0);
    assert_eq!(valid, 10, "every freed seat found a taker");
    let (_, checked) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/consistency", f.festival_id),
        )
        .await;
    assert_eq!(checked["problems"], json!([]), "{checked}");
    // The six freed seats went to the first six in line, in order (one seat each fits).
    for (i, t) in tokens.iter().enumerate() {
        let status = entry(&app, t).await["status"].clone();
        let expected = if i < 6 { "claimed" } else { "waiting" };
        assert_eq!(status, expected, "entry {i}");
    }
}

async fn organisers_see_reorder_remove_and_close_the_list(app: TestApp) {
    let f = app.fixture().await;
    let s = small_screening(&app, &f, 1).await;
    app.book(&s, 1, "holder@example.org").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let (_, joined) = join(&app, &s, 1, &format!("w{i}@example.org")).await;
        ids.push(joined["entry"]["id"].as_str().unwrap().to_owned());
    }
    let path = format!("/screenings/{s}/waitlist");
    let (status, list) = app.get_as(&app.organiser_token, &path).await;
    assert_eq!(status, 200);
    assert_eq!(list["open"], true);
    assert_eq!(list["entries"].as_array().unwrap().len(), 3);
    assert_eq!(list["entries"][0]["email"], "w0@example.org");
    let (status, _) = app.get_as(&app.door_token, &path).await;
    assert_eq!(status, 403, "organisers only");

    // The last moves to the front; the middle one is removed.
    let moved = app
        .post_as(
            &app.organiser_token,
            &format!("/waitlist-entries/{}/move", ids[2]),
            &json!({"position": 1}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let list: Value = moved.json().await.unwrap();
    let order: Vec<&str> = list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["w2@example.org", "w0@example.org", "w1@example.org"]
    );
    let removed = app
        .delete_as(
            &app.organiser_token,
            &format!("/waitlist-entries/{}", ids[0]),
        )
        .await;
    assert_eq!(removed.status(), 200);
    let (_, list) = app.get_as(&app.organiser_token, &path).await;
    let places: Vec<(String, i64)> = list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["status"].as_str().unwrap().to_owned(),
                e["place"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("waiting".to_owned(), 1),
            ("removed".to_owned(), 0),
            ("waiting".to_owned(), 2)
        ]
    );

    // A larger room: the new seat is offered to the first in line (by the sweeper).
    let bigger = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{s}"),
            &json!({"capacity": 2}),
        )
        .await;
    assert_eq!(bigger.status(), 200);
    // Before and after the sweeper offers it, the new seat is not a stranger's.
    let (status, body) = app.book(&s, 1, "stranger@example.org").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("sold_out")),
        "{body}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, list) = app.get_as(&app.organiser_token, &path).await;
        let first = list["entries"][0].clone();
        if first["status"] == "offered" {
            assert_eq!(first["email"], "w2@example.org");
            assert_eq!(list["held"], 1);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never offered: {list}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // Closed: no new entries; bad settings are refused by name.
    let closed = app
        .patch_as(&app.organiser_token, &path, &json!({"open": false}))
        .await;
    assert_eq!(closed.status(), 200);
    let (status, body) = join(&app, &s, 1, "late@example.org").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("waitlist_closed"))
    );
    let bad = app
        .patch_as(&app.organiser_token, &path, &json!({"offer_minutes": 1}))
        .await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["field"], "offer_minutes");
}

async fn the_pages_join_claim_and_organise_the_list(app: TestApp) {
    let f = app.fixture().await;
    let s = small_screening(&app, &f, 1).await;
    let (_, holder) = app.book(&s, 1, "holder@example.org").await;

    // A visitor finds the screening sold out and joins from its page.
    let visitor = new_browser();
    let url = format!("{}/screenings/{s}", app.address);
    let (_, html) = get_page(&visitor, &url).await;
    assert!(html.contains("Join the waiting list"), "{html}");
    let csrf = csrf_of(&html);
    let join_url = format!("{}/screenings/{s}/waitlist", app.address);
    let fields = [
        ("name", "Minh Tran"),
        ("email", "minh@example.org"),
        ("country", "VN"),
        ("seats", "1"),
    ];
    let (status, _) = post_form(&visitor, &join_url, &fields).await;
    assert_eq!(status, 403, "no CSRF token, no entry");
    let mut with_token = fields.to_vec();
    with_token.push(("csrf", &csrf));
    let response = visitor
        .post(&join_url)
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let entry_path = response.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let (_, html) = get_page(&visitor, &format!("{}{entry_path}", app.address)).await;
    assert!(html.contains("number 1 in line"), "{html}");

    // An organiser sees the entry and sets a standby line from the screening's page.
    let (organiser, _) = app.sign_in(&app.organiser_token).await;
    let edit = format!("{}/admin/screenings/{s}/edit", app.address);
    let (_, html) = get_page(&organiser, &edit).await;
    assert!(html.contains("minh@example.org"), "{html}");
    let csrf = csrf_of(&html);
    let (status, _) = post_form(
        &organiser,
        &format!("{}/admin/screenings/{s}/standby", app.address),
        &[
            ("csrf", &csrf),
            ("release_minutes", "15"),
            ("keep_for_late", "0"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, line) = app
        .get_as(&app.door_token, &format!("/screenings/{s}/standby"))
        .await;
    assert_eq!(line["release_minutes_before_start"], 15);

    // The holder cancels: the seat is offered; the visitor claims it from the entry's page.
    let id = holder["booking"]["id"].as_str().unwrap();
    app.delete_as(&app.organiser_token, &format!("/bookings/{id}"))
        .await;
    let (_, html) = get_page(&visitor, &format!("{}{entry_path}", app.address)).await;
    assert!(html.contains("Seats are held for you until"), "{html}");
    let csrf = csrf_of(&html);
    let (status, _) = post_form(
        &visitor,
        &format!("{}{entry_path}/claim", app.address),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = get_page(&visitor, &format!("{}{entry_path}", app.address)).await;
    assert!(html.contains("Booked: your tickets were sent"), "{html}");

    // The organiser removes a later entry from the page.
    let (_, later) = join(&app, &s, 1, "later@example.org").await;
    let later_id = later["entry"]["id"].as_str().unwrap();
    let (status, _) = post_form(
        &organiser,
        &format!("{}/admin/waitlist-entries/{later_id}/remove", app.address),
        &[("csrf", &csrf_of(&get_page(&organiser, &edit).await.1))],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(entry(&app, &token(&later)).await["status"], "removed");
}
