//! Booking: the flow through the API and the pages, never overselling, cancelling.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, csrf_of, new_browser};

on_both_backends!(
    a_booking_gives_one_signed_ticket_per_seat_and_a_private_manage_token,
    sixty_four_bookers_racing_for_the_last_ten_seats_get_exactly_ten,
    cancelling_voids_the_tickets_and_frees_the_seats,
    invalid_bookings_are_refused_and_change_nothing,
    a_person_books_and_cancels_through_the_pages,
    a_full_screening_says_sold_out,
    a_sold_out_screening_is_refused_from_memory_for_a_moment,
    the_booking_form_names_every_problem_at_once,
);

async fn the_booking_form_names_every_problem_at_once(app: TestApp) {
    let f = app.fixture().await;
    let browser = new_browser();
    let url = format!("{}/screenings/{}", app.address, f.screening_id);
    let page = crate::helpers::page_text(&browser, format!("{url}?lang=fr")).await;
    let csrf = csrf_of(&page);
    let before = app.row_counts();
    let refused = browser
        .post(format!("{url}/book"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", " "),
            ("email", "ana@"),
            ("country", ""),
            ("seats", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    let notice = page
        .split("id=\"form-error\"")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    // Three problems, three sentences, in the page's language, each field marked.
    assert_eq!(notice.matches("<p>").count(), 3, "{notice}");
    assert!(notice.contains("Veuillez indiquer un nom"), "{notice}");
    for field in ["name", "email", "country"] {
        assert!(
            page.contains(&format!("id=\"{field}\"")) && {
                let tag = page.split(&format!("id=\"{field}\"")).nth(1).unwrap();
                tag.split('>')
                    .next()
                    .unwrap()
                    .contains("aria-invalid=\"true\"")
            },
            "{field} is marked"
        );
    }
    assert_eq!(app.row_counts(), before, "nothing was booked");
}

async fn a_booking_gives_one_signed_ticket_per_seat_and_a_private_manage_token(app: TestApp) {
    let f = app.fixture().await;
    let (status, body) = app.book(&f.screening_id, 3, "ana@example.org").await;
    assert_eq!(status, 201, "{body}");
    let booking = &body["booking"];
    let id = booking["id"].as_str().unwrap();
    let token = booking["manage_token"].as_str().unwrap();
    assert_eq!(booking["seats"], 3);
    assert_eq!(booking["country"], "FR");
    assert_eq!(booking["status"], "confirmed");
    assert!(booking["manage_url"].as_str().unwrap().ends_with(token));
    let tickets = body["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 3);
    let codes: std::collections::HashSet<&str> = tickets
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 3, "one distinct code per seat");
    assert_eq!(body["screening"]["seats_left"], 27);

    // The token is stored hashed, never in clear.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM bookings WHERE manage_token_hash = '{token}'"
        )),
        0
    );

    // The holder sees it; nobody else does, and a wrong token looks like a missing booking.
    let get = |token: Option<&str>| {
        let mut request = app.client.get(format!("{}/bookings/{id}", app.api));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let response = get(Some(token)).await.unwrap();
    assert_eq!(response.status(), 200);
    let seen: Value = response.json().await.unwrap();
    assert_eq!(seen["tickets"].as_array().unwrap().len(), 3);
    assert!(
        seen["booking"].get("manage_token").is_none(),
        "the token is shown once"
    );
    assert_eq!(get(None).await.unwrap().status(), 401);
    let other = app.book(&f.screening_id, 1, "bob@example.org").await.1;
    let other_token = other["booking"]["manage_token"].as_str().unwrap();
    assert_eq!(get(Some(other_token)).await.unwrap().status(), 404);
    assert_eq!(get(Some(&app.door_token)).await.unwrap().status(), 404);
    assert_eq!(get(Some(&app.organiser_token)).await.unwrap().status(), 200);
    let (status, _) = app
        .get_as(token, &format!("/bookings/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(status, 404, "the same answer as a wrong token");
}

async fn sixty_four_bookers_racing_for_the_last_ten_seats_get_exactly_ten(app: TestApp) {
    let f = app.fixture().await; // 30 seats
    assert_eq!(app.book(&f.screening_id, 10, "a@example.org").await.0, 201);
    assert_eq!(app.book(&f.screening_id, 10, "b@example.org").await.0, 201);

    let attempts = (0..64).map(|i| {
        let client = new_browser();
        let url = format!("{}/screenings/{}/bookings", app.api, f.screening_id);
        async move {
            let response = client
                .post(url)
                .json(
                    &json!({"name": format!("Racer {i}"), "email": format!("r{i}@example.org"),
                              "country": "VN", "seats": 1}),
                )
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    });
    let results = join_all(attempts.map(tokio::spawn)).await;
    let results: Vec<(u16, Value)> = results.into_iter().map(|r| r.unwrap()).collect();
    let won = results.iter().filter(|(s, _)| *s == 201).count();
    let refused: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == 409)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(won, 10, "exactly the last ten seats are sold");
    assert_eq!(
        refused.len(),
        54,
        "every other booker is told it is sold out"
    );
    for body in refused {
        assert_eq!(body["error"], "sold_out");
        assert_eq!(body["seats_left"], 0);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets WHERE screening_id = '{}' AND status = 'valid'",
            f.screening_id
        )),
        30
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(booked AS BIGINT) AS n FROM screenings WHERE id = '{}'",
            f.screening_id
        )),
        30,
        "the counter matches the tickets"
    );
    let s = app
        .get_json(&format!("/screenings/{}", f.screening_id))
        .await;
    assert_eq!(s["seats_left"], 0);
}

async fn cancelling_voids_the_tickets_and_frees_the_seats(app: TestApp) {
    let f = app.fixture().await;
    let (_, first) = app.book(&f.screening_id, 10, "a@example.org").await;
    assert_eq!(app.book(&f.screening_id, 10, "b@example.org").await.0, 201);
    assert_eq!(app.book(&f.screening_id, 10, "c@example.org").await.0, 201);
    let (status, body) = app.book(&f.screening_id, 1, "d@example.org").await;
    assert_eq!((status, body["error"].as_str()), (409, Some("sold_out")));

    let response = app.cancel(&first).await;
    assert_eq!(response.status(), 200);
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["booking"]["status"], "cancelled");
    assert!(
        cancelled["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "cancelled")
    );
    assert_eq!(cancelled["screening"]["seats_left"], 10);

    // Cancelling again is harmless and frees nothing twice.
    let again = app.cancel(&first).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        app.get_json(&format!("/screenings/{}", f.screening_id))
            .await["seats_left"],
        10
    );

    // The freed seats can be booked at once (a cancellation forgets that it was sold out).
    assert_eq!(app.book(&f.screening_id, 10, "d@example.org").await.0, 201);
    let (status, refused) = app.book(&f.screening_id, 1, "e@example.org").await;
    assert_eq!((status, refused["seats_left"].as_i64()), (409, Some(0)));
    // Sold out again: the next attempt is refused from memory, in the database's own words.
    let (status, again) = app.book(&f.screening_id, 1, "f@example.org").await;
    assert_eq!((status, &again), (409, &refused));
}

async fn invalid_bookings_are_refused_and_change_nothing(app: TestApp) {
    let f = app.fixture().await;
    let good = json!({"name": "Ana", "email": "ana@example.org", "country": "FR", "seats": 2});
    let with = |key: &str, value: Value| {
        let mut v = good.clone();
        v[key] = value;
        v
    };
    let cases = [
        ("no seats", with("seats", json!(0)), 422, "seats"),
        ("eleven seats", with("seats", json!(11)), 422, "seats"),
        ("seats as text", with("seats", json!("two")), 422, "seats"),
        ("fractional seats", with("seats", json!(1.5)), 422, "seats"),
        (
            "bad email",
            with("email", json!("ana at home")),
            422,
            "email",
        ),
        (
            "unknown country",
            with("country", json!("ZZ")),
            422,
            "country",
        ),
        (
            "country name",
            with("country", json!("France")),
            422,
            "country",
        ),
        ("empty name", with("name", json!("")), 422, "name"),
        (
            "huge name",
            with("name", json!("n".repeat(5000))),
            422,
            "name",
        ),
        (
            "missing email",
            json!({"name": "Ana", "country": "FR", "seats": 1}),
            400,
            "email",
        ),
    ];
    for (case, body, status, field) in cases {
        let response = app
            .client
            .post(format!(
                "{}/screenings/{}/bookings",
                app.api, f.screening_id
            ))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{case}");
        let json: Value = response.json().await.unwrap();
        assert!(
            json["message"].as_str().unwrap().contains(field),
            "{case}: {json}"
        );
    }
    let unknown = app
        .client
        .post(format!(
            "{}/screenings/{}/bookings",
            app.api,
            uuid::Uuid::now_v7()
        ))
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let not_an_id = app
        .client
        .post(format!("{}/screenings/not-an-id/bookings", app.api))
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(not_an_id.status(), 404);
    let huge = app
        .client
        .post(format!(
            "{}/screenings/{}/bookings",
            app.api, f.screening_id
        ))
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(200_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);

    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 0);
    assert_eq!(
        app.get_json(&format!("/screenings/{}", f.screening_id))
            .await["seats_left"],
        30
    );
}

async fn a_person_books_and_cancels_through_the_pages(app: TestApp) {
    let f = app.fixture().await;
    let browser = new_browser();
    let programme = browser
        .get(format!("{}/festivals/fw", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(programme.status(), 200);
    let programme = programme.text().await.unwrap();
    assert!(
        programme.contains("Red Rain") && programme.contains("30 of 30 seats left"),
        "{programme}"
    );

    let page = crate::helpers::page_text(
        &browser,
        format!("{}/screenings/{}", app.address, f.screening_id),
    )
    .await;
    assert!(
        page.contains("<option value=\"VN\">Vietnam</option>"),
        "a readable country picker"
    );
    let csrf = csrf_of(&page);
    let form = [
        ("name", "Lê Hà Anh <b>"),
        ("email", "ha.anh@example.org"),
        ("country", "VN"),
        ("seats", "2"),
        ("csrf", csrf.as_str()),
    ];

    // Without the CSRF field (a forged cross-site post), nothing is booked.
    let forged = new_browser()
        .post(format!(
            "{}/screenings/{}/book",
            app.address, f.screening_id
        ))
        .form(&form[..4])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(
        forged.text().await.unwrap().contains("<html"),
        "a friendly page, not JSON"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 0);

    // A form error keeps the values and names the problem.
    let bad = browser
        .post(format!(
            "{}/screenings/{}/book",
            app.address, f.screening_id
        ))
        .form(&[
            ("name", "Hà Anh"),
            ("email", "nope"),
            ("country", "VN"),
            ("seats", "2"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    assert!(
        bad.contains("Please enter an email address like name@example.org")
            && bad.contains("value=\"Hà Anh\"")
    );

    let booked = browser
        .post(format!(
            "{}/screenings/{}/book",
            app.address, f.screening_id
        ))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 303);
    let location = booked.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/manage/"));
    let manage = browser
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(manage.headers()["referrer-policy"], "no-referrer");
    let manage = manage.text().await.unwrap();
    assert_eq!(manage.matches("<svg").count(), 2, "one QR code per seat");
    assert!(
        manage.contains("Lê Hà Anh &#60;b&#62;"),
        "user text is escaped"
    );
    assert!(!manage.contains("Lê Hà Anh <b>"));
    assert!(
        manage.contains("Your tickets are on their way to") && manage.contains("href=\"/tickets\""),
        "the page says the tickets were mailed, and how to find them again"
    );

    // The printable ticket page.
    let ticket_id = {
        let marker = "/tickets/";
        let start = manage.find(marker).unwrap() + marker.len();
        manage[start..start + 36].to_owned()
    };
    let token = location
        .trim_start_matches("/manage/")
        .split('?')
        .next()
        .unwrap();
    let ticket = crate::helpers::page_text(
        &browser,
        format!("{}/manage/{token}/tickets/{ticket_id}", app.address),
    )
    .await;
    for expected in [
        "Red Rain",
        "Pathé Palace",
        "Petite",
        "20:00",
        "Lê Hà Anh &#60;b&#62;",
        "<svg",
    ] {
        assert!(ticket.contains(expected), "ticket page shows {expected}");
    }

    // Cancel from the page.
    let cancel = browser
        .post(format!("{}/manage/{token}/cancel", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 303);
    let after =
        crate::helpers::page_text(&browser, format!("{}/manage/{token}", app.address)).await;
    assert!(after.contains("This booking is cancelled"));
    assert_eq!(
        app.get_json(&format!("/screenings/{}", f.screening_id))
            .await["seats_left"],
        30
    );

    // A made-up manage link is a friendly 404.
    let nothing = browser
        .get(format!("{}/manage/{}", app.address, "A".repeat(43)))
        .send()
        .await
        .unwrap();
    assert_eq!(nothing.status(), 404);
    assert!(nothing.text().await.unwrap().contains("<html"));
}

async fn a_full_screening_says_sold_out(app: TestApp) {
    let f = app.fixture().await;
    for i in 0..3 {
        assert_eq!(
            app.book(&f.screening_id, 10, &format!("{i}@example.org"))
                .await
                .0,
            201
        );
    }
    let page = crate::helpers::page_text(
        &app.client,
        format!("{}/screenings/{}", app.address, f.screening_id),
    )
    .await;
    assert!(page.contains("Sold out"));
    assert!(!page.contains("/book\""), "no booking form when sold out");
    assert!(page.contains("/waitlist\""), "the waiting list instead");
    let programme =
        crate::helpers::page_text(&app.client, format!("{}/festivals/fw", app.address)).await;
    assert!(programme.contains("Sold out"));
}

/// The same race with one transaction per request (`MARQUEE_GROUP_COMMIT=off`).
async fn the_last_seats_race_without_group_commit(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::spawn_app_with(backend, |s| s.group_commit = false).await
    else {
        return;
    };
    sixty_four_bookers_racing_for_the_last_ten_seats_get_exactly_ten(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_last_seats_race_without_group_commit() {
    the_last_seats_race_without_group_commit(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_last_seats_race_without_group_commit() {
    the_last_seats_race_without_group_commit(crate::helpers::Backend::Postgres).await;
}

/// A screening a booking found sold out is refused for a moment without asking the database (a
/// rush for the last seats is mostly refusals); seats freed other than by a cancellation through
/// this server — here, more seats written straight into the database — are offered after it.
async fn a_sold_out_screening_is_refused_from_memory_for_a_moment(app: TestApp) {
    let f = app.fixture().await;
    for who in ["a", "b", "c"] {
        let (status, _) = app
            .book(&f.screening_id, 10, &format!("{who}@example.org"))
            .await;
        assert_eq!(status, 201);
    }
    let (status, refused) = app.book(&f.screening_id, 1, "d@example.org").await;
    assert_eq!((status, refused["seats_left"].as_i64()), (409, Some(0)));
    app.run_sql(&format!(
        "UPDATE screenings SET capacity = capacity + 5 WHERE id = '{}'",
        f.screening_id
    ));
    let (status, again) = app.book(&f.screening_id, 1, "d@example.org").await;
    assert_eq!((status, &again), (409, &refused), "remembered sold out");
    tokio::time::sleep(marquee::booking::SOLD_OUT_MEMORY).await;
    let (status, body) = app.book(&f.screening_id, 1, "d@example.org").await;
    assert_eq!(status, 201, "the new seats are offered: {body}");
}
