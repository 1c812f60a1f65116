//! `Idempotency-Key` on the writes a person retries: the same key and body get the first answer
//! and write nothing more, whatever the number of retries, instances or concurrent attempts; the
//! same key with another body is refused.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(
    a_retried_booking_gets_the_first_answer_and_books_once,
    a_key_used_again_with_another_body_is_refused_and_changes_nothing,
    concurrent_retries_on_two_instances_book_once,
    a_refusal_is_the_answer_a_retry_gets_too,
    waiting_list_places_and_pass_reservations_are_retried_safely,
    answers_kept_for_retries_are_erased_with_the_person,
);

/// POSTs JSON with an optional key; returns status, the replay header and the body as text.
async fn post(api: &str, path: &str, key: Option<&str>, body: &Value) -> (u16, bool, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{api}{path}"))
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let replayed = response.headers().get("idempotency-replayed").is_some();
    (status, replayed, response.text().await.unwrap_or_default())
}

fn booking(email: &str, seats: i64) -> Value {
    json!({"name": "Ana Nguyen", "email": email, "country": "FR", "seats": seats})
}

async fn a_retried_booking_gets_the_first_answer_and_books_once(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    let key = uuid::Uuid::new_v4().to_string();
    let first = post(&app.api, &path, Some(&key), &booking("ana@example.org", 2)).await;
    assert_eq!((first.0, first.1), (201, false), "{}", first.2);
    for _ in 0..3 {
        let again = post(&app.api, &path, Some(&key), &booking("ana@example.org", 2)).await;
        assert_eq!((again.0, again.1), (201, true));
        assert_eq!(again.2, first.2, "the same body, byte for byte");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 2);
    // Without a key, or with another one, a second booking is a second booking.
    let other = post(
        &app.api,
        &path,
        Some("another-key"),
        &booking("ana@example.org", 2),
    )
    .await;
    assert_eq!((other.0, other.1), (201, false));
    assert_eq!(
        post(&app.api, &path, None, &booking("ana@example.org", 1))
            .await
            .0,
        201
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 3);
    // A key that is not one.
    let (status, _, body) = post(
        &app.api,
        &path,
        Some(&"k".repeat(256)),
        &booking("b@example.org", 1),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 3);
}

async fn a_key_used_again_with_another_body_is_refused_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    assert_eq!(
        post(&app.api, &path, Some("k-1"), &booking("ana@example.org", 1))
            .await
            .0,
        201
    );
    let before = app.row_counts();
    let (status, _, body) =
        post(&app.api, &path, Some("k-1"), &booking("ana@example.org", 3)).await;
    assert_eq!(status, 409);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "idempotency_key_reused", "{body}");
    assert_eq!(app.row_counts(), before, "nothing written");
}

async fn concurrent_retries_on_two_instances_book_once(app: TestApp) {
    let f = app.fixture().await;
    let second = app.second_instance();
    let path = format!("/screenings/{}/bookings", f.screening_id);
    let key = uuid::Uuid::new_v4().to_string();
    let apis = [app.api.clone(), second.api.clone()];
    let attempts = (0..8).map(|n| {
        let (api, path, key) = (apis[n % 2].clone(), path.clone(), key.clone());
        tokio::spawn(
            async move { post(&api, &path, Some(&key), &booking("ana@example.org", 1)).await },
        )
    });
    let answers: Vec<(u16, bool, String)> = join_all(attempts)
        .await
        .into_iter()
        .map(|a| a.unwrap())
        .collect();
    assert!(answers.iter().all(|a| a.0 == 201), "{answers:?}");
    assert!(
        answers.iter().all(|a| a.2 == answers[0].2),
        "one answer for all"
    );
    assert_eq!(
        answers.iter().filter(|a| !a.1).count(),
        1,
        "one first answer"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
}

async fn a_refusal_is_the_answer_a_retry_gets_too(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    // The room's 30 seats taken; the refusal is the answer, and a retry hears it again even once
    // seats are added.
    let first = post(
        &app.api,
        &path,
        Some("k-2"),
        &booking("ana@example.org", 10),
    )
    .await;
    assert_eq!(first.0, 201);
    for n in 0..2 {
        assert_eq!(
            post(
                &app.api,
                &path,
                None,
                &booking(&format!("{n}@example.org"), 10)
            )
            .await
            .0,
            201
        );
    }
    let refused = post(
        &app.api,
        &path,
        Some("k-3"),
        &booking("late@example.org", 1),
    )
    .await;
    assert_eq!(refused.0, 409);
    app.run_sql(&format!(
        "UPDATE screenings SET capacity = capacity + 5 WHERE id = '{}'",
        f.screening_id
    ));
    let again = post(
        &app.api,
        &path,
        Some("k-3"),
        &booking("late@example.org", 1),
    )
    .await;
    assert_eq!((again.0, again.1, &again.2), (409, true, &refused.2));
}

async fn waiting_list_places_and_pass_reservations_are_retried_safely(app: TestApp) {
    let f = app.fixture().await;
    let full = crate::waitlist::small_screening(&app, &f, 1).await;
    assert_eq!(app.book(&full, 1, "first@example.org").await.0, 201);
    let join =
        json!({"name": "Linh Pham", "email": "linh@example.org", "country": "VN", "seats": 1});
    let path = format!("/screenings/{full}/waitlist");
    let first = post(&app.api, &path, Some("w-1"), &join).await;
    assert_eq!(first.0, 201, "{}", first.2);
    let again = post(&app.api, &path, Some("w-1"), &join).await;
    assert_eq!((again.0, again.1, &again.2), (201, true, &first.2));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM waitlist_entries"), 1);

    let kind = app
        .create(
            &format!("/festivals/{}/pass-types", f.festival_id),
            json!({"name": "Press", "category": "press"}),
        )
        .await;
    let pass = app
        .create(
            &format!("/festivals/{}/passes", f.festival_id),
            json!({"pass_type_id": kind["id"], "name": "Khoa", "email": "khoa@example.org"}),
        )
        .await;
    let reserve = |key: &'static str| {
        let (api, pass) = (app.api.clone(), pass.clone());
        let screening = f.screening_id.clone();
        async move {
            let response = reqwest::Client::new()
                .post(format!(
                    "{api}/passes/{}/reservations",
                    pass["pass"]["id"].as_str().unwrap()
                ))
                .bearer_auth(pass["pass"]["manage_token"].as_str().unwrap())
                .header("Idempotency-Key", key)
                .json(&json!({"screening_id": screening}))
                .send()
                .await
                .unwrap();
            let replayed = response.headers().get("idempotency-replayed").is_some();
            (
                response.status().as_u16(),
                replayed,
                response.text().await.unwrap(),
            )
        }
    };
    let first = reserve("r-1").await;
    assert_eq!(first.0, 201, "{}", first.2);
    // The same key and body without the pass's token: not the same request, and no answer.
    let stranger = reqwest::Client::new()
        .post(format!(
            "{}/passes/{}/reservations",
            app.api,
            pass["pass"]["id"].as_str().unwrap()
        ))
        .header("Idempotency-Key", "r-1")
        .json(&json!({"screening_id": f.screening_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stranger.status(),
        409,
        "another credential is another request"
    );
    assert!(!stranger.text().await.unwrap().contains("\"reservation\""));
    let again = reserve("r-1").await;
    assert_eq!(
        (again.0, again.1, &again.2),
        (201, true, &first.2),
        "not `already_reserved`"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM reservations"), 1);
}

async fn answers_kept_for_retries_are_erased_with_the_person(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    assert_eq!(
        post(
            &app.api,
            &path,
            Some("e-1"),
            &booking("Erin@Example.org", 1)
        )
        .await
        .0,
        201
    );
    assert_eq!(
        post(
            &app.api,
            &path,
            Some("e-2"),
            &booking("someone@example.org", 1)
        )
        .await
        .0,
        201
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM idempotency_keys"), 2);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE LOWER(body) LIKE '%erin@example.org%'"
        ),
        1,
        "the answer names the address"
    );
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "erin@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE LOWER(body) LIKE '%erin@example.org%'"
        ),
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'e-2'"),
        1,
        "another's stays"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM idempotency_keys"), 1);
}
