//! CSRF: every unsafe route outside `/api/` — found by reading the route registrations in `src/`,
//! so a new form route is walked without anyone adding it here — refuses a request without the
//! visitor's token, with a wrong one, and one that is not a form, and changes nothing.

use crate::helpers::TestApp;

on_both_backends!(every_form_route_refuses_a_post_without_the_token);

/// `(method, path)` of every page route registered with an unsafe method.
fn unsafe_page_routes() -> Vec<(String, String)> {
    crate::helpers::registered_routes()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.starts_with("/api/"))
        .map(|r| (r.method, r.path))
        .collect()
}

async fn every_form_route_refuses_a_post_without_the_token(app: TestApp) {
    let routes = unsafe_page_routes();
    assert!(
        routes.len() >= 25,
        "the source reader found the form routes: {routes:?}"
    );
    let f = app.fixture().await;
    let (_, _, manage) = app.ticket(&f.screening_id).await;
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let before = app.row_counts();
    for (method, route) in &routes {
        // Real ids and tokens, so that only the missing token can be the reason for a refusal.
        let mut path = route.clone();
        for (slot, value) in [
            ("{id}", f.screening_id.as_str()),
            ("{token}", manage.as_str()),
            ("{entry}", f.screening_id.as_str()),
            ("{ticket}", f.screening_id.as_str()),
        ] {
            path = path.replace(slot, value);
        }
        let url = format!("{}{path}", app.address);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let fields = [
            ("name", "Forged"),
            ("status", "cancelled"),
            ("confirm", "yes"),
            ("seats", "1"),
        ];
        let without = browser
            .request(method.clone(), &url)
            .form(&fields)
            .send()
            .await
            .unwrap();
        let wrong = browser
            .request(method.clone(), &url)
            .form(&[("csrf", "A".repeat(43).as_str()), ("confirm", "yes")])
            .send()
            .await
            .unwrap();
        let not_a_form = browser
            .request(method.clone(), &url)
            .header("Content-Type", "text/plain")
            .body(format!("csrf={csrf}&confirm=yes"))
            .send()
            .await
            .unwrap();
        for (how, response) in [
            ("without a token", without),
            ("with a wrong token", wrong),
            ("as text/plain", not_a_form),
        ] {
            let status = response.status().as_u16();
            let page = response.text().await.unwrap_or_default();
            assert_eq!(status, 403, "{method} {route} {how}: {page}");
            assert!(page.contains("<html"), "a page, not bare text: {page}");
        }
    }
    assert_eq!(app.row_counts(), before, "no refused form changed anything");
    // The same browser with its token gets through (the refusals were the token's doing).
    let (status, _) = crate::helpers::post_form(
        &browser,
        &format!("{}/admin/films", app.address),
        &[("csrf", csrf.as_str()), ("title", "With a token")],
    )
    .await;
    assert_ne!(status, 403);
}
