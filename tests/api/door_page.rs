//! The door page as door staff meet it, in headless Chromium: a USB scanner typing into the wrong
//! field, a code read only in part, the ticket's category in the page's words, the navigation a
//! door device is offered, and a phone on the venue's wifi opening the page over plain HTTP.

use serde_json::json;

use crate::browser::Browser;
use crate::helpers::TestApp;

on_both_backends!(
    the_door_name_takes_enter_and_never_a_ticket_code,
    a_cut_read_says_scan_again_and_categories_read_as_words,
    on_plain_http_the_door_says_camera_and_offline_need_https,
    a_venue_door_names_each_open_screening_and_counts_each_room,
    reloaded_offline_the_door_keeps_its_count_and_recent_scans,
    a_door_whose_clock_runs_fast_is_told_and_its_scans_keep_their_real_time,
);

async fn a_door_whose_clock_runs_fast_is_told_and_its_scans_keep_their_real_time(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    crate::browser::open_door_for_offline(&browser, &app, &now, "Door A").await;
    // The device's clock runs ten minutes fast (every reading of the time in the page).
    browser
        .eval(
            "const Real = Date, ahead = 10 * 60 * 1000;
             window.Date = class extends Real {
               constructor(...a) { if (a.length) { super(...a); } else { super(Real.now() + ahead); } }
               static now() { return Real.now() + ahead; }
             };",
            json!([]),
        )
        .await;
    browser.set_offline(true).await;
    browser.wait_for_text("#sync-status", "Offline").await;
    crate::browser::scan_sees(&browser, &code, "Admitted").await;
    browser
        .wait_for_text("#sync-status", "1 scan waits to upload")
        .await;
    // Back online: the upload says how far off the clock is, and the page asks to set it.
    browser.set_offline(false).await;
    browser
        .wait_for_text("#sync-status", "clock is 10 min ahead")
        .await;
    // The admission is recorded when it happened by the server's clock, not ten minutes on.
    let at: Option<chrono::NaiveDateTime> = {
        use diesel::prelude::*;
        use marquee::db::schema::tickets;
        tickets::table
            .find(&ticket)
            .select(tickets::admitted_at)
            .first(&mut app.pool.get().unwrap())
            .unwrap()
    };
    let off = (at.expect("admitted") - chrono::Utc::now().naive_utc()).num_seconds();
    assert!(off.abs() < 120, "recorded {off} s from now");
}

async fn reloaded_offline_the_door_keeps_its_count_and_recent_scans(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    crate::browser::open_door_for_offline(&browser, &app, &now, "Door A").await;
    browser.set_offline(true).await;
    // Without the network from the first scan on (the page itself now comes from the device).
    browser.reload().await;
    browser.wait_for_text("#sync-status", "Offline").await;
    crate::browser::scan_sees(&browser, &code, "Admitted").await;
    browser.wait_for_text("#verdict .mode", "OFFLINE").await;
    browser.wait_for_text("#admitted", "1").await;
    browser
        .wait_for_text("#sync-status", "1 scan waits to upload")
        .await;
    // A reload without the network: the page comes from the device, as old as when it was kept.
    browser.reload().await;
    browser.wait_for_text("#door h1", "Red Rain").await;
    browser.wait_for_text("#sync-status", "Offline").await;
    browser.wait_for_text("#admitted", "1").await;
    let recent = browser.wait_for_text("#history", "Admitted").await;
    assert!(recent.contains("Ana Nguyen"), "{recent}");
}

async fn a_venue_door_names_each_open_screening_and_counts_each_room(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    // Two rooms of one venue open at once.
    let small = app.screening_starting_in(&f, 20, "Petite").await;
    let large = app.screening_starting_in(&f, 25, "Grande Salle").await;
    let (_, in_small, _) = app.ticket(&small).await;
    let (_, in_large, _) = app.ticket(&large).await;
    browser
        .goto(&format!(
            "{}/signin?token={}&lang=en",
            app.address, app.door_token
        ))
        .await;
    browser.click("form.signin button").await;
    browser
        .wait_until("signed in", "return location.pathname === '/door';")
        .await;
    browser
        .goto(&format!("{}/door/venues/{}", app.address, f.venue_id))
        .await;
    // Before any scan, the header says which films in which rooms.
    let header = browser.wait_for_text("#venue-screenings", "Petite").await;
    assert!(
        header.contains("Red Rain") && header.contains("Grande Salle"),
        "{header}"
    );
    let count = |id: &str| format!("#venue-screenings li[data-screening='{id}'] .admitted");
    browser
        .type_into("#door-name", "Pathé entrance\u{E007}")
        .await;
    browser
        .type_into("#code", &format!("{in_small}\u{E007}"))
        .await;
    let detail = browser
        .wait_for_text("#verdict .detail", "→ Red Rain · Petite")
        .await;
    assert!(!detail.contains("Grande Salle"), "{detail}");
    browser.wait_for_text(&count(&small), "1").await;
    assert_eq!(browser.text(&count(&large)).await, "0");
    browser
        .type_into("#code", &format!("{in_large}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .detail", "→ Red Rain · Grande Salle")
        .await;
    browser.wait_for_text(&count(&large), "1").await;
    assert_eq!(browser.text(&count(&small)).await, "1");
}

/// A door device's browser, signed in, on the door page of `screening` (in `lang`).
async fn door(browser: &Browser, app: &TestApp, base: &str, screening: &str, lang: &str) {
    browser
        .goto(&format!(
            "{base}/signin?token={}&lang={lang}",
            app.door_token
        ))
        .await;
    browser.click("form.signin button").await;
    browser
        .wait_until("signed in", "return location.pathname === '/door';")
        .await;
    browser
        .goto(&format!("{base}/door/screenings/{screening}"))
        .await;
    browser.wait_for_text("#door h1", "Red Rain").await;
}

async fn focused(browser: &Browser) -> String {
    browser
        .eval("return document.activeElement.id;", json!([]))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn the_door_name_takes_enter_and_never_a_ticket_code(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, first, _) = app.ticket(&now).await;
    let (_, second, _) = app.ticket(&now).await;
    door(&browser, &app, &app.address, &now, "fr").await;
    // A door device is not offered the organisers' pages (they would answer 403).
    let nav = browser.text("header.site nav").await;
    assert!(!nav.contains("Organis"), "{nav}");
    assert!(
        browser
            .try_find("header.site a[href='/admin']")
            .await
            .is_err()
    );

    // The name, then Enter: kept, and the scan field has the focus for the scanner.
    browser.click("#door-name").await;
    browser
        .type_into("#door-name", "Porte 1 Forum\u{E007}")
        .await;
    assert_eq!(focused(&browser).await, "code");
    browser
        .type_into("#code", &format!("{first}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Entrée validée")
        .await;
    // The scanner fires into the name field by mistake (the caret anywhere in it): the code is
    // scanned, the name stays.
    browser.click("#door-name").await;
    browser
        .eval(
            "document.getElementById('door-name').setSelectionRange(4, 4);",
            json!([]),
        )
        .await;
    browser
        .type_into("#door-name", &format!("{second}\u{E007}"))
        .await;
    browser.wait_for_text("#admitted", "2").await;
    let name = browser
        .eval(
            "return document.getElementById('door-name').value;",
            json!([]),
        )
        .await;
    assert_eq!(name, "Porte 1 Forum");
    let kept = browser
        .eval("return localStorage.getItem('marquee.door');", json!([]))
        .await;
    assert_eq!(kept, "Porte 1 Forum");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM scans WHERE door = 'Porte 1 Forum'"),
        2,
        "both scans at the door as named"
    );
    // The API refuses such a name too, whoever sends it.
    let (status, body) = app
        .scan_at(
            &app.api,
            &app.door_token,
            json!({"code": first, "screening_id": now, "door": format!("Porte 1 {}", &first[..30]),
                   "nonce": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "door");
}

async fn a_cut_read_says_scan_again_and_categories_read_as_words(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    door(&browser, &app, &app.address, &now, "vi").await;
    browser.click("#door-name").await;
    browser.type_into("#door-name", "Cửa 1\u{E007}").await;
    // A read cut short: not "invalid, refuse", but scan again, in amber.
    browser
        .type_into("#code", &format!("{}\u{E007}", &code[..100]))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Quét lại")
        .await;
    browser.find("#verdict.warn").await;
    // The whole code: admitted, its category in the page's words.
    browser.type_into("#code", &format!("{code}\u{E007}")).await;
    let detail = browser.wait_for_text("#verdict .detail", "Khán giả").await;
    assert!(!detail.contains("public"), "{detail}");
}

async fn on_plain_http_the_door_says_camera_and_offline_need_https(app: TestApp) {
    // A phone on the venue's wifi: the server's address is not localhost.
    let Some(browser) =
        Browser::start_with(&["--host-resolver-rules=MAP door.festival.test 127.0.0.1"]).await
    else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let base = app.address.replace("127.0.0.1", "door.festival.test");
    door(&browser, &app, &base, &now, "fr").await;
    assert_eq!(
        browser
            .eval("return window.isSecureContext;", json!([]))
            .await,
        false
    );
    // Said up front, in the page's language, with what to do.
    let notice = browser.wait_for_text("#insecure", "HTTPS").await;
    assert!(
        notice.contains("caméra") && notice.contains("hors ligne"),
        "{notice}"
    );
    // The camera button explains instead of failing with the browser's own error (once the
    // page has asked for its door's name: that prompt would otherwise write over the answer).
    browser.wait_for_text("#verdict .detail", "porte").await;
    browser.click("#camera-toggle").await;
    let detail = browser.wait_for_text("#verdict .detail", "HTTPS").await;
    assert!(
        !detail.contains("undefined") && !detail.contains("getUserMedia"),
        "{detail}"
    );
    // Scanning works online as ever.
    browser.click("#door-name").await;
    browser.type_into("#door-name", "Porte 2\u{E007}").await;
    let (_, code, _) = app.ticket(&now).await;
    browser.type_into("#code", &format!("{code}\u{E007}")).await;
    browser
        .wait_for_text("#verdict .headline", "Entrée validée")
        .await;
}
