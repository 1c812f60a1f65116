//! Errors: JSON under /api, friendly pages elsewhere, never a 500 for bad input.

use serde_json::Value;

use crate::helpers::TestApp;

on_both_backends!(errors_are_json_under_the_api_and_pages_elsewhere);

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
