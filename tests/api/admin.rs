//! The organiser's pages: every form works through a signed-in browser session, refuses bad input
//! naming the field, needs its CSRF token, and is closed to door staff and anonymous visitors.

use serde_json::Value;

use crate::helpers::{TestApp, new_browser};

on_both_backends!(
    an_organiser_runs_the_festival_from_the_pages,
    admin_pages_refuse_bad_input_forged_forms_and_other_roles,
    the_outbox_shows_festival_time_and_fits_a_phone,
    a_screening_nobody_booked_can_be_deleted,
);

async fn a_screening_nobody_booked_can_be_deleted(app: TestApp) {
    let f = app.fixture().await;
    let mistake = app.screening_starting_in(&f, 600, "Grande Salle").await;
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let edit = |id: &str| format!("{}/admin/screenings/{id}/edit", app.address);
    let page = crate::helpers::page_text(&browser, edit(&mistake)).await;
    assert!(page.contains(&format!("action=\"/admin/screenings/{mistake}/delete\"")));
    let deleted = post(
        &browser,
        format!("{}/admin/screenings/{mistake}/delete", app.address),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(deleted.status(), 303);
    let list = crate::helpers::page_text(
        &browser,
        format!(
            "{}{}",
            app.address,
            deleted.headers()["location"].to_str().unwrap()
        ),
    )
    .await;
    assert!(list.contains("Screening deleted: Red Rain"), "said so");
    assert_eq!(
        app.get(&format!("/screenings/{mistake}")).await.status(),
        404
    );
    // One with a booking is cancelled instead: no delete offered, and none done.
    let (status, _) = app.book(&f.screening_id, 1, "kept@example.org").await;
    assert_eq!(status, 201);
    let page = crate::helpers::page_text(&browser, edit(&f.screening_id)).await;
    assert!(!page.contains("/delete\""), "no delete offered");
    let refused = post(
        &browser,
        format!("{}/admin/screenings/{}/delete", app.address, f.screening_id),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(refused.status(), 409);
    assert_eq!(
        app.get(&format!("/screenings/{}", f.screening_id))
            .await
            .status(),
        200
    );
}

async fn the_outbox_shows_festival_time_and_fits_a_phone(app: TestApp) {
    let Some(browser) = crate::browser::Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let long = "ana.nguyen.thi.lan.festival-guest@press-and-industry-accreditation.vietnam-film-week-paris.example.org";
    let (status, _) = app.book(&f.screening_id, 1, long).await;
    assert_eq!(status, 201);
    let (_, messages) = app.get_as(&app.organiser_token, "/outbox").await;
    let created = messages[0]["created_at"].as_str().unwrap().to_owned();
    let paris = chrono::DateTime::parse_from_rfc3339(&created)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M")
        .to_string();
    crate::browser::sign_in(&browser, &app, &app.organiser_token).await;
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
    browser.goto(&format!("{}/admin/outbox", app.address)).await;
    let shown = browser.text("table.outbox tbody td.time").await;
    assert!(shown.contains(&paris), "{shown} is not {paris}, Paris time");
    let head = browser
        .eval(
            "return document.querySelector('table.outbox thead').textContent;",
            serde_json::json!([]),
        )
        .await;
    assert!(head.as_str().unwrap().contains("Europe/Paris"), "{head}");
    let width = browser
        .eval(
            "return document.documentElement.scrollWidth;",
            serde_json::json!([]),
        )
        .await;
    assert!(
        width.as_i64().unwrap() <= 390,
        "the page is {width} px wide"
    );
}

async fn post(browser: &reqwest::Client, url: String, form: &[(&str, &str)]) -> reqwest::Response {
    browser.post(url).form(form).send().await.unwrap()
}

async fn an_organiser_runs_the_festival_from_the_pages(app: TestApp) {
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let at = |path: &str| format!("{}{path}", app.address);
    let csrf = csrf.as_str();

    let r = post(
        &browser,
        at("/admin/festivals"),
        &[
            ("csrf", csrf),
            ("name", "Vietnam Film Week"),
            ("slug", "vfw"),
            ("starts_on", "2030-12-06"),
            ("ends_on", "2030-12-12"),
            ("timezone", "Europe/Paris"),
            ("attendance_goal", "6000"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let festival = app.get_json("/festivals").await[0].clone();
    assert_eq!(
        (
            festival["slug"].as_str(),
            festival["attendance_goal"].as_i64()
        ),
        (Some("vfw"), Some(6000))
    );
    let festival_id = festival["id"].as_str().unwrap().to_owned();

    let r = post(
        &browser,
        at("/admin/venues"),
        &[
            ("csrf", csrf),
            ("name", "Pathé Palace"),
            ("city", "Paris"),
            ("address", "2 Bd des Capucines"),
            ("timezone", "Europe/Paris"),
            ("rooms", "Grande Salle: 650\nSalle 2: 220"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let venue = app.get_json("/venues").await[0].clone();
    assert_eq!(venue["rooms"][1]["seats"], 220);
    let venue_id = venue["id"].as_str().unwrap().to_owned();
    let r = post(
        &browser,
        at(&format!("/admin/venues/{venue_id}")),
        &[
            ("csrf", csrf),
            ("name", "Pathé Palace"),
            ("city", "Paris"),
            ("address", "2 Boulevard des Capucines"),
            ("timezone", "Europe/Paris"),
            ("rooms", "Grande Salle: 650\nSalle 2: 220\nSalle 3: 90"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.get_json(&format!("/venues/{venue_id}")).await["rooms"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let r = post(
        &browser,
        at("/admin/films"),
        &[
            ("csrf", csrf),
            ("title", "Red Rain"),
            ("original_title", "Mưa đỏ"),
            ("director", "Đặng Thái Huyền"),
            ("year", "2025"),
            ("runtime_minutes", "124"),
            ("country", "VN"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let film_id = app.get_json("/films").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let place = format!("{venue_id}|Salle 2");
    let r = post(
        &browser,
        at(&format!("/admin/festivals/{festival_id}/screenings")),
        &[
            ("csrf", csrf),
            ("film_id", &film_id),
            ("place", &place),
            ("starts_at", "2030-12-12T20:00"),
            ("capacity", ""),
            ("doors_open_minutes", ""),
            ("doors_close_minutes", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let screening = app
        .get_json(&format!("/festivals/{festival_id}/screenings"))
        .await[0]
        .clone();
    assert_eq!(screening["starts_at"], "2030-12-12T20:00:00+01:00");
    assert_eq!(screening["capacity"], 220);
    let screening_id = screening["id"].as_str().unwrap().to_owned();

    let list = crate::helpers::page_text(
        &browser,
        at(&format!("/admin/festivals/{festival_id}/screenings")),
    )
    .await;
    assert!(list.contains("Red Rain") && list.contains("0 / 220"));
    // The page the form led to says, once, what was done.
    assert!(
        list.contains("Screening added: Red Rain, Thursday, 12 December 2030 at 20:00"),
        "{list}"
    );
    let again = crate::helpers::page_text(
        &browser,
        at(&format!("/admin/festivals/{festival_id}/screenings")),
    )
    .await;
    assert!(!again.contains("Screening added"), "said once");

    let r = post(
        &browser,
        at(&format!("/admin/screenings/{screening_id}/edit")),
        &[
            ("csrf", csrf),
            ("film_id", &film_id),
            ("place", &place),
            ("starts_at", "2030-12-12T20:30"),
            ("capacity", "200"),
            ("doors_open_minutes", "60"),
            ("doors_close_minutes", "20"),
            ("pass_seats", "12"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let s = app.get_json(&format!("/screenings/{screening_id}")).await;
    assert_eq!(
        (
            s["capacity"].as_i64(),
            s["doors_open_minutes"].as_i64(),
            s["pass_seats"].as_i64(),
            s["seats_left"].as_i64()
        ),
        (Some(200), Some(60), Some(12), Some(188))
    );
    assert_eq!(s["starts_at"], "2030-12-12T20:30:00+01:00");

    // Guest invitation: complimentary tickets against capacity, with a link to send.
    let invited = post(
        &browser,
        at(&format!("/admin/screenings/{screening_id}/invitations")),
        &[
            ("csrf", csrf),
            ("name", "Laure Cazeneuve"),
            ("email", "laure@example.org"),
            ("country", "FR"),
            ("category", "jury"),
            ("seats", "2"),
        ],
    )
    .await;
    assert_eq!(invited.status(), 200);
    let page = invited.text().await.unwrap();
    assert!(page.contains("2 complimentary ticket(s) issued") && page.contains("/manage/"));
    // 200 seats, 12 kept for pass holders, 2 invited.
    assert_eq!(
        app.get_json(&format!("/screenings/{screening_id}")).await["seats_left"],
        186
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM tickets WHERE category = 'jury'"),
        2
    );

    // Cancelling goes through a page that says who will be told; without it nothing happens.
    let r = post(
        &browser,
        at(&format!("/admin/screenings/{screening_id}/status")),
        &[("csrf", csrf), ("status", "cancelled")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/admin/screenings/{screening_id}/cancel")
    );
    assert_eq!(
        app.get_json(&format!("/screenings/{screening_id}")).await["status"],
        "scheduled"
    );
    let confirm = crate::helpers::page_text(
        &browser,
        at(&format!("/admin/screenings/{screening_id}/cancel")),
    )
    .await;
    assert!(
        confirm.contains("ticket holder") && confirm.contains("told by mail"),
        "the consequence is named: {confirm}"
    );
    let r = post(
        &browser,
        at(&format!("/admin/screenings/{screening_id}/status")),
        &[("csrf", csrf), ("status", "cancelled"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.get_json(&format!("/screenings/{screening_id}")).await["status"],
        "cancelled"
    );
    post(
        &browser,
        at(&format!("/admin/screenings/{screening_id}/status")),
        &[("csrf", csrf), ("status", "scheduled")],
    )
    .await;
    assert_eq!(
        app.get_json(&format!("/screenings/{screening_id}")).await["status"],
        "scheduled"
    );

    // A door credential for this venue, shown once with a QR code to sign a device in.
    let venue_scope = format!("venue:{venue_id}");
    let created = post(
        &browser,
        at("/admin/staff"),
        &[
            ("csrf", csrf),
            ("name", "Pathé door 1"),
            ("role", "door"),
            ("scope", &venue_scope),
        ],
    )
    .await;
    assert_eq!(created.status(), 200);
    let page = created.text().await.unwrap();
    assert!(page.contains("Credential for Pathé door 1") && page.contains("<svg"));
    let marker = "<code>";
    let start = page.rfind(marker).unwrap() + marker.len();
    let credential = page[start..].split('<').next().unwrap().to_owned();
    assert_eq!(credential.len(), 43);
    let response = app
        .client
        .get(format!("{}/screenings/{screening_id}/events", app.api))
        .bearer_auth(&credential)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the new credential works");
    drop(response);
    let id: String = {
        use diesel::prelude::*;
        use marquee::db::schema::staff;
        staff::table
            .filter(staff::name.eq("Pathé door 1"))
            .select(staff::id)
            .first(&mut app.pool.get().unwrap())
            .unwrap()
    };
    // Revoking, too, is confirmed on a page that names the person and what follows.
    let r = post(
        &browser,
        at(&format!("/admin/staff/{id}/revoke")),
        &[("csrf", csrf)],
    )
    .await;
    assert_eq!(r.headers()["location"], format!("/admin/staff/{id}/revoke"));
    let confirm =
        crate::helpers::page_text(&browser, at(&format!("/admin/staff/{id}/revoke"))).await;
    assert!(confirm.contains("Pathé door 1") && confirm.contains("signed out"));
    let response = app
        .client
        .get(format!("{}/screenings/{screening_id}/events", app.api))
        .bearer_auth(&credential)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "not revoked before the confirmation"
    );
    drop(response);
    let r = post(
        &browser,
        at(&format!("/admin/staff/{id}/revoke")),
        &[("csrf", csrf), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let response = app
        .client
        .get(format!("{}/screenings/{screening_id}/events", app.api))
        .bearer_auth(&credential)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "revoked");
}

/// A form post, its fields, the status expected and the field the answer must name.
type FormCase<'a> = (String, Vec<(&'a str, &'a str)>, u16, &'a str);

async fn admin_pages_refuse_bad_input_forged_forms_and_other_roles(app: TestApp) {
    let f = app.fixture().await;
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let at = |path: &str| format!("{}{path}", app.address);
    let before = app.count("SELECT (SELECT COUNT(*) FROM festivals) + (SELECT COUNT(*) FROM venues) + (SELECT COUNT(*) FROM films) + (SELECT COUNT(*) FROM screenings) + (SELECT COUNT(*) FROM staff) AS n");
    let cases: Vec<FormCase> = vec![
        (
            "/admin/festivals".into(),
            vec![
                ("name", "X"),
                ("slug", "Bad Slug"),
                ("starts_on", "2030-01-01"),
                ("ends_on", "2030-01-02"),
                ("timezone", "UTC"),
                ("attendance_goal", "1"),
            ],
            422,
            "slug",
        ),
        (
            "/admin/festivals".into(),
            vec![
                ("name", "X"),
                ("slug", "x"),
                ("starts_on", "soon"),
                ("ends_on", "2030-01-02"),
                ("timezone", "UTC"),
                ("attendance_goal", "1"),
            ],
            422,
            "starts_on",
        ),
        (
            "/admin/venues".into(),
            vec![
                ("name", "V"),
                ("city", "Paris"),
                ("timezone", "UTC"),
                ("rooms", "Big room"),
            ],
            422,
            "rooms",
        ),
        (
            "/admin/films".into(),
            vec![
                ("title", "T"),
                ("director", "D"),
                ("year", "nineteen"),
                ("runtime_minutes", "90"),
                ("country", "VN"),
            ],
            422,
            "year",
        ),
        (
            format!("/admin/festivals/{}/screenings", f.festival_id),
            vec![
                ("film_id", &f.film_id),
                ("place", "nowhere"),
                ("starts_at", "2030-12-12T20:00"),
            ],
            422,
            "room",
        ),
        (
            "/admin/staff".into(),
            vec![("name", "X"), ("role", "king"), ("scope", "")],
            422,
            "role",
        ),
        (
            format!("/admin/screenings/{}/invitations", f.screening_id),
            vec![
                ("name", "X"),
                ("email", "x@example.org"),
                ("country", "FR"),
                ("category", "public"),
                ("seats", "1"),
            ],
            422,
            "category",
        ),
    ];
    for (path, fields, status, field) in &cases {
        let mut form = fields.clone();
        form.push(("csrf", csrf.as_str()));
        let response = post(&browser, at(path), &form).await;
        assert_eq!(response.status().as_u16(), *status, "{path} {field}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("<html") && html.contains(field),
            "{path}: a page naming {field}"
        );
        // Without the CSRF token, the same form is refused before anything else.
        let forged = post(&browser, at(path), fields).await;
        assert_eq!(forged.status(), 403, "{path} without CSRF");
    }
    let after = app.count("SELECT (SELECT COUNT(*) FROM festivals) + (SELECT COUNT(*) FROM venues) + (SELECT COUNT(*) FROM films) + (SELECT COUNT(*) FROM screenings) + (SELECT COUNT(*) FROM staff) AS n");
    assert_eq!(before, after, "nothing was created");

    let (door, door_csrf) = app.sign_in(&app.door_token).await;
    for path in [
        "/admin",
        "/admin/venues",
        "/admin/films",
        "/admin/staff",
        &format!("/admin/festivals/{}/screenings", f.festival_id),
        &format!("/admin/screenings/{}/edit", f.screening_id),
    ] {
        assert_eq!(
            door.get(at(path)).send().await.unwrap().status(),
            403,
            "door staff GET {path}"
        );
        assert_eq!(
            new_browser().get(at(path)).send().await.unwrap().status(),
            401,
            "anonymous GET {path}"
        );
    }
    let r = post(
        &door,
        at("/admin/films"),
        &[
            ("csrf", door_csrf.as_str()),
            ("title", "T"),
            ("director", "D"),
            ("year", "2000"),
            ("runtime_minutes", "90"),
            ("country", "VN"),
        ],
    )
    .await;
    assert_eq!(r.status(), 403);
    let films: Value = app.get_json("/films").await;
    assert_eq!(films.as_array().unwrap().len(), 1);
}
