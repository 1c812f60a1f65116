//! Errors: JSON under /api, friendly pages elsewhere, never a 500 for bad input.

use serde_json::Value;

use crate::helpers::TestApp;

on_both_backends!(
    errors_are_json_under_the_api_and_pages_elsewhere,
    metrics_count_requests_bookings_scans_and_pool_use,
);

async fn errors_are_json_under_the_api_and_pages_elsewhere(app: TestApp) {
    let api = app
        .client
        .get(format!("{}/nothing/here", app.api))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"], "not_found");

    let bad_id = app
        .client
        .get(format!("{}/screenings/123", app.api))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_id.status(), 404);
    assert!(bad_id.json::<Value>().await.unwrap()["message"].is_string());

    for path in [
        "/nothing",
        "/festivals/no-such-festival",
        "/screenings/not-a-uuid",
        "/screenings/01a21b9b-8798-72f2-8a28-62adf597e223",
    ] {
        let page = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404, "{path}");
        assert!(
            page.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = page.text().await.unwrap();
        assert!(html.contains("Back to the festivals"), "{path}");
    }

    // Health checks for load balancers.
    for path in ["/healthz", "/readyz"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }

    // Security headers on every response.
    let home = app.client.get(&app.address).send().await.unwrap();
    let headers = home.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(
        !headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("unsafe-inline")
    );
}

async fn metrics_count_requests_bookings_scans_and_pool_use(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    app.scan(&code, &now).await;
    app.scan(&code, &now).await;
    // An organiser's invitation takes the same write path as a booking: counted too.
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let (status, page) = crate::helpers::post_form(
        &browser,
        &format!("{}/admin/screenings/{now}/invitations", app.address),
        &[
            ("csrf", csrf.as_str()),
            ("name", "Trần Anh Hùng"),
            ("email", "guest@example.org"),
            ("country", "VN"),
            ("category", "guest"),
            ("seats", "2"),
            ("lang", "fr"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let metrics = crate::helpers::page_text(&app.client, format!("{}/metrics", app.address)).await;
    for line in [
        "http_requests_total{method=\"POST\",route=\"/api/v1/screenings/{id}/bookings\",status=\"201\"} 1",
        "marquee_scans_total{verdict=\"admitted\"} 1",
        "marquee_scans_total{verdict=\"already_admitted\"} 1",
        "marquee_seats_booked_total{category=\"public\"} 1",
        "marquee_seats_booked_total{category=\"guest\"} 2",
        "http_request_duration_seconds_bucket{route=\"/api/v1/scans\"",
        "marquee_db_pool_connections{state=\"idle\"}",
    ] {
        assert!(metrics.contains(line), "missing {line:?} in:\n{metrics}");
    }
    assert!(
        !metrics.contains(&code),
        "no ticket codes, ids or tokens in labels"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_require_a_token() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |s| {
        s.metrics_token = Some(marquee::config::Secret::new("scrape-secret"));
    })
    .await
    .unwrap();
    let url = format!("{}/metrics", app.address);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    let ok = app
        .client
        .get(&url)
        .bearer_auth("scrape-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

/// Group commit keeps one connection for its writer, so a pool of one is refused at start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commit_refuses_a_pool_of_one_connection() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite needs nothing installed");
    let error = app
        .instance_with(|s| s.database.pool_size = 1)
        .err()
        .expect("refused");
    assert!(
        format!("{error:#}").contains("MARQUEE_POOL_SIZE"),
        "{error:#}"
    );
    assert!(
        app.instance_with(|s| {
            s.database.pool_size = 1;
            s.group_commit = false;
        })
        .is_ok(),
        "one connection is enough without group commit"
    );
}
