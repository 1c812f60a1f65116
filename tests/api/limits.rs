//! Rate limits: a flood of bookings or sign-ins from one address meets 429 with Retry-After; a
//! door scanning at full speed never does.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, csrf_of, new_browser, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_are_limited_and_a_fast_door_is_not() {
    let app: TestApp = spawn_app_with(Backend::Sqlite, |s| s.rate_limits = true)
        .await
        .expect("SQLite");
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Grande Salle").await;

    // Bookings: the burst passes, then 429 with Retry-After and a JSON error.
    let mut limited = None;
    for i in 0..60 {
        let response = app
            .client
            .post(format!("{}/screenings/{now}/bookings", app.api))
            .json(&json!({"name": "F", "email": format!("f{i}@example.org"), "country": "FR", "seats": 1}))
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
        assert_eq!(response.status(), 201);
    }
    let limited = limited.expect("a flood of bookings is limited");
    assert!(
        limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
    let booked_before = app.count("SELECT COUNT(*) AS n FROM bookings");

    // Sign-in attempts: a page, not JSON, and nothing signed in.
    let browser = new_browser();
    let form = crate::helpers::page_text(&browser, format!("{}/signin", app.address)).await;
    let csrf = csrf_of(&form);
    let mut page = None;
    for _ in 0..30 {
        let response = browser
            .post(format!("{}/signin", app.address))
            .form(&[("token", "guess"), ("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            page = Some(response);
            break;
        }
    }
    let page = page.expect("a flood of sign-ins is limited");
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.text().await.unwrap().contains("<html"));

    // A door at full speed: 60 scans back to back, none limited.
    let mut codes = Vec::new();
    for i in 0..6 {
        let guest = json!({"name": "G", "email": format!("g{i}@example.org"), "country": "FR",
                           "seats": 10, "category": "guest"});
        let response = app
            .post_as(
                &app.organiser_token,
                &format!("/screenings/{now}/invitations"),
                &guest,
            )
            .await;
        let body: Value = response.json().await.unwrap();
        codes.extend(
            body["tickets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["code"].as_str().unwrap().to_owned()),
        );
    }
    for code in &codes {
        assert_eq!(app.scan(code, &now).await["verdict"], "admitted");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings"),
        booked_before + 6
    );
}

/// "Find my tickets" sends mail: the API and the page count against one limit per client (each
/// route says its limit where it is registered).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_routes_share_their_api_routes_limits() {
    let app: TestApp = spawn_app_with(Backend::Sqlite, |s| s.rate_limits = true)
        .await
        .expect("SQLite");
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = app
            .client
            .post(format!("{}/find-my-tickets", app.api))
            .json(&serde_json::json!({"email": "someone@example.org"}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    let (browser, _) = app.sign_in(&app.door_token).await;
    let (_, page) = crate::helpers::get_page(&browser, &format!("{}/tickets", app.address)).await;
    let csrf = csrf_of(&page);
    let (status, page) = crate::helpers::post_form(
        &browser,
        &format!("{}/tickets", app.address),
        &[("csrf", csrf.as_str()), ("email", "someone@example.org")],
    )
    .await;
    assert!(statuses.iter().all(|s| *s < 300), "{statuses:?}");
    assert_eq!(
        status, 429,
        "the fourth request in a minute, by the page: {page}"
    );
    assert!(page.contains("<html"), "a page for the page route");
}

/// Sign-in attempts as one address says it is, until the limit answers 429 (at most 30).
async fn attempts_until_limited(app: &TestApp, forwarded_for: &dyn Fn(usize) -> String) -> usize {
    let csrf = marquee::domain::secret::new_token();
    let client = reqwest::Client::new();
    for attempt in 1..=30 {
        let response = client
            .post(format!("{}/signin", app.address))
            .header("Cookie", format!("marquee_csrf={csrf}"))
            .header("X-Forwarded-For", forwarded_for(attempt))
            .form(&[("token", "guess"), ("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            return attempt;
        }
    }
    31
}

/// Behind a proxy (`MARQUEE_TRUSTED_PROXIES`), each client is limited by the address the proxy
/// forwards for; from anyone else, a forged `X-Forwarded-For` is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_are_believed_from_trusted_proxies_only() {
    // Not behind a proxy: a new forged address each time changes nothing, the limit holds.
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limits = true)
        .await
        .unwrap();
    let limited = attempts_until_limited(&app, &|i| format!("198.51.100.{i}")).await;
    assert!(limited <= 30, "forged addresses escaped the limit");

    // Behind a trusted proxy (this machine): one client is limited by its own address, and
    // another client behind the same proxy is not.
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rate_limits = true;
        s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await
    .unwrap();
    let limited = attempts_until_limited(&app, &|_| "203.0.113.7".to_owned()).await;
    assert!(limited <= 30, "one client's flood is limited");
    let other = attempts_until_limited(&app, &|_| "203.0.113.8, 127.0.0.1".to_owned()).await;
    assert!(
        other > 5,
        "another client behind the proxy is not limited by the first: {other}"
    );
    let (status, _) = {
        let response = reqwest::Client::new()
            .post(format!("{}/signin", app.address))
            .header("Cookie", "marquee_csrf=x")
            .header("Forwarded", "for=\"[2001:db8::9]:4711\"")
            .form(&[("token", "guess")])
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), ())
    };
    assert_ne!(status, 429, "a third client, by RFC 7239's header");
}
