//! Personal data: erasure that keeps every report and chain exact and leaves no trace of the
//! person in the database (read as bytes: the SQLite file and its WAL, a PostgreSQL dump) or the
//! mail folder; access by a mailed link (real SMTP), with the same answer for an unknown address;
//! consent asked, recorded, withdrawn, absent by default; retention shredding a festival that has
//! ended; the organisers' page.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, csrf_of, get_page, new_browser, post_form, spawn_app_with};
use crate::mail::{SmtpSink, app_mailing_to, mails_to};

on_both_backends!(
    a_person_stops_news_and_erases_from_their_page,
    erasing_a_person_keeps_every_report_and_chain_and_leaves_no_trace,
    organisers_set_the_notice_and_erase_from_their_page,
    a_festival_is_shredded_only_once_it_has_ended,
    bad_input_to_the_personal_data_routes_is_refused_and_changes_nothing,
);

mailing_on_both_backends!(a_person_sees_their_data_by_a_mailed_link_and_erases_it,);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_retention_shreds_a_festival_after_it_ends() {
    retention_shreds_a_festival_after_it_ends(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retention_shreds_a_festival_after_it_ends() {
    retention_shreds_a_festival_after_it_ends(crate::helpers::Backend::Postgres).await;
}

/// Books through the API for a named person; the answer.
async fn book_as(
    app: &TestApp,
    screening: &str,
    name: &str,
    email: &str,
    seats: i64,
    news: bool,
) -> Value {
    let response = app
        .client
        .post(format!("{}/screenings/{screening}/bookings", app.api))
        .json(&json!({"name": name, "email": email, "country": "VN", "seats": seats, "news": news}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// The report with what changes by itself (when it was made) left out.
async fn report(app: &TestApp, festival: &str) -> Value {
    let (status, mut report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/report"),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    report.as_object_mut().unwrap().remove("generated_at");
    report
}

/// Both integrity checks, through the API.
async fn checks_pass(app: &TestApp, festival: &str) {
    let (_, chain) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/scan-log/verify"),
        )
        .await;
    assert_eq!(chain["problems"], json!([]), "{chain}");
    assert!(chain["entries_checked"].as_i64().unwrap() > 0, "{chain}");
    let (_, counters) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/consistency"),
        )
        .await;
    assert_eq!(counters["problems"], json!([]), "{counters}");
}

/// Everything Marquee wrote that could hold the person, as bytes: the database (the SQLite file
/// and its WAL, or a dump of the PostgreSQL database) and the mail folder.
fn everything_written(app: &TestApp) -> Vec<u8> {
    let mut bytes = Vec::new();
    if app.database_url.starts_with("postgres") {
        let dump = std::process::Command::new("pg_dump")
            .arg("--inserts")
            .arg(&app.database_url)
            .output()
            .expect("pg_dump runs");
        assert!(
            dump.status.success(),
            "{}",
            String::from_utf8_lossy(&dump.stderr)
        );
        bytes.extend(dump.stdout);
    } else {
        for suffix in ["", "-wal"] {
            if let Ok(file) = std::fs::read(format!("{}{suffix}", app.database_url)) {
                bytes.extend(file);
            }
        }
    }
    for entry in std::fs::read_dir(app.mail_dir.path()).unwrap().flatten() {
        bytes.extend(std::fs::read(entry.path()).unwrap());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let haystack = String::from_utf8_lossy(haystack).to_lowercase();
    haystack.contains(&needle.to_lowercase())
}

async fn erasing_a_person_keeps_every_report_and_chain_and_leaves_no_trace(app: TestApp) {
    let f = app.fixture().await;
    let tonight = app.screening_starting_in(&f, 20, "Petite").await;
    let zoe = book_as(
        &app,
        &tonight,
        "Zoé Quintard",
        "Zoe.Quintard@example.org",
        2,
        true,
    )
    .await;
    let bao = book_as(&app, &tonight, "Bao Pham", "bao.pham@example.org", 1, false).await;
    let code = |b: &Value, i: usize| b["tickets"][i]["code"].as_str().unwrap().to_owned();
    assert_eq!(
        app.scan(&code(&zoe, 0), &tonight).await["verdict"],
        "admitted"
    );
    assert_eq!(
        app.scan(&code(&zoe, 0), &tonight).await["verdict"],
        "already_admitted"
    );
    assert_eq!(
        app.scan(&code(&bao, 0), &tonight).await["verdict"],
        "admitted"
    );
    // A sold-out screening tomorrow, Zoé waiting for it.
    let full = app
        .create(
            "/screenings",
            json!({"festival_id": f.festival_id, "venue_id": f.venue_id,
        "film_id": f.film_id, "room": "Petite", "capacity": 1, "confirm": true,
        "starts_at": (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339()}),
        )
        .await;
    let full = full["id"].as_str().unwrap();
    book_as(&app, full, "Bao Pham", "bao.pham@example.org", 1, false).await;
    let response = app
        .client
        .post(format!("{}/screenings/{full}/waitlist", app.api))
        .json(&json!({"name": "Zoé Quintard", "email": "zoe.quintard@example.org", "country": "VN", "seats": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    app.mail_sent().await;
    let written = everything_written(&app);
    assert!(contains(&written, "Quintard") && contains(&written, "zoe.quintard@example.org"));
    let before = report(&app, &f.festival_id).await;
    checks_pass(&app, &f.festival_id).await;
    // The outbox's addresses were read by an organiser (waiting for the mail): recorded.
    assert!(app.count("SELECT COUNT(*) AS n FROM data_exports WHERE what = 'outbox'") > 0);

    // An organiser acts on Zoé's request (the address in any case).
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "ZOE.QUINTARD@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let erased: Value = response.json().await.unwrap();
    assert_eq!(erased["erased"]["bookings"], 1, "{erased}");
    assert_eq!(erased["erased"]["waitlist_entries"], 1, "{erased}");
    assert_eq!(erased["erased"]["consents"], 1, "{erased}");
    assert_eq!(erased["erased"]["bookings_cancelled"], 0, "{erased}");
    assert!(
        erased["erased"]["messages"].as_i64().unwrap() >= 2,
        "{erased}"
    );

    assert_eq!(
        report(&app, &f.festival_id).await,
        before,
        "every report total is the same"
    );
    checks_pass(&app, &f.festival_id).await;
    let written = everything_written(&app);
    for trace in ["Quintard", "zoe.quintard"] {
        assert!(
            !contains(&written, trace),
            "{trace} is still written somewhere"
        );
    }
    // Someone else's details are untouched (and the search above would have found them).
    assert!(contains(&written, "Bao Pham") && contains(&written, "bao.pham@example.org"));
    // Not asked to cancel: Zoé's second ticket still admits her, under her pseudonym.
    let admitted = app.scan(&code(&zoe, 1), &tonight).await;
    assert_eq!(admitted["verdict"], "admitted", "{admitted}");
    let shown = admitted["ticket"]["holder_name"].as_str().unwrap();
    assert!(shown.starts_with("erased-"), "{shown}");
    // A bad address changes nothing and says why.
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "not an address"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["field"], "email", "{body}");
    // Mail to everyone at the screening (it is cancelled) reaches Bao, and nobody tries to write
    // to Zoé: no message fails for want of an address.
    let response = app
        .delete_as(&app.organiser_token, &format!("/screenings/{tonight}"))
        .await;
    assert_eq!(response.status(), 200);
    app.mail_sent().await;
    let (_, failed) = app
        .get_as(&app.organiser_token, "/outbox?status=failed")
        .await;
    assert_eq!(failed, json!([]), "{failed}");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'screening_cancelled'"),
        1,
        "one message, Bao's: none is queued for the erased holder"
    );
    assert!(!contains(&everything_written(&app), "Quintard"));
    // Door staff may not erase anyone.
    let response = app
        .post_as(
            &app.door_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "bao.pham@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 403);
}

/// The links a message carries to a person's data.
fn data_links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|word| {
            word.split_once("/my-data/")
                .map(|(_, token)| token.to_owned())
        })
        .collect()
}

async fn a_person_sees_their_data_by_a_mailed_link_and_erases_it(app: TestApp, sink: SmtpSink) {
    let f = app.fixture().await;
    let ana = book_as(
        &app,
        &f.screening_id,
        "Ana Nguyen",
        "ana@example.org",
        2,
        true,
    )
    .await;
    book_as(
        &app,
        &f.screening_id,
        "Zoé Quintard",
        "zoe@example.org",
        1,
        false,
    )
    .await;
    // Every message links the festival's notice and the recipient's data.
    let tickets = &mails_to(&sink, "ana@example.org", 1)[0];
    assert!(
        tickets.text.contains("/festivals/fw/privacy"),
        "{}",
        tickets.text
    );
    assert_eq!(data_links(&tickets.text).len(), 1, "{}", tickets.text);

    // Asking: the same answer for an address known or not; only the known one is written to.
    let mut answers = Vec::new();
    for email in ["ana@example.org", "nobody@example.org"] {
        let response = app
            .client
            .post(format!("{}/my-data", app.api))
            .json(&json!({"email": email}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        answers.push(response.text().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    let asked = mails_to(&sink, "ana@example.org", 2)
        .into_iter()
        .find(|m| m.subject == "Your personal data")
        .expect("the data link is mailed");
    let token = data_links(&asked.text).pop().expect("a link");
    app.mail_sent().await;
    assert!(
        !sink
            .received
            .lock()
            .unwrap()
            .iter()
            .any(|raw| crate::mail::read(raw).to == "nobody@example.org"),
        "nothing is sent to an address nothing is held about"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE recipient LIKE '%nobody%'"),
        0,
        "nor is the address kept: nobody wrote to it, and no erasure would reach it"
    );

    // The export: Ana's, all of it, and nobody else's.
    let (status, data) = app.get_as("", &format!("/my-data/{token}")).await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["bookings"].as_array().unwrap().len(), 1, "{data}");
    assert_eq!(data["bookings"][0]["id"], ana["booking"]["id"]);
    assert_eq!(data["tickets"].as_array().unwrap().len(), 2, "{data}");
    assert_eq!(data["consents"][0]["purpose"], "news", "{data}");
    assert!(data["consents"][0]["withdrawn_at"].is_null());
    assert!(data["messages"].as_array().unwrap().len() >= 2, "{data}");
    for key in ["waitlist", "passes"] {
        assert!(data[key].is_array(), "{key}: {data}");
    }
    assert!(!data.to_string().contains("zoe@example.org"), "{data}");
    // The page shows the same, readable.
    let (status, page) =
        get_page(&new_browser(), &format!("{}/my-data/{token}", app.address)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Red Rain") && page.contains("Ana Nguyen"),
        "{page}"
    );

    // Withdrawing news.
    let response = app
        .client
        .delete(format!("{}/my-data/{token}/consents/news", app.api))
        .send()
        .await
        .unwrap();
    let withdrawn: Value = response.json().await.unwrap();
    assert_eq!(withdrawn["withdrawn"], 1);
    let (_, data) = app.get_as("", &format!("/my-data/{token}")).await;
    assert!(data["consents"][0]["withdrawn_at"].is_string(), "{data}");

    // Erasing, with the bookings to come cancelled: their seats are freed.
    let seats_left = |s: &Value| s["seats_left"].as_i64().unwrap();
    let before = seats_left(
        &app.get_json(&format!("/screenings/{}", f.screening_id))
            .await,
    );
    let response = app
        .client
        .delete(format!("{}/my-data/{token}?cancel_upcoming=true", app.api))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let erased: Value = response.json().await.unwrap();
    assert_eq!(erased["erased"]["bookings_cancelled"], 1, "{erased}");
    let after = seats_left(
        &app.get_json(&format!("/screenings/{}", f.screening_id))
            .await,
    );
    assert_eq!(after, before + 2);
    // The link is gone with the address; a made-up one is refused alike.
    for token in [token.as_str(), "made-up"] {
        let (status, body) = app.get_as("", &format!("/my-data/{token}")).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (404, Some("not_found")),
            "{body}"
        );
    }
}

async fn organisers_set_the_notice_and_erase_from_their_page(app: TestApp) {
    let f = app.fixture().await;
    // Consent is never assumed: a booking made without the box has none.
    let (browser, _) = app.sign_in(&app.organiser_token).await;
    let public = new_browser();
    let url = format!("{}/screenings/{}", app.address, f.screening_id);
    let (_, page) = get_page(&public, &url).await;
    assert!(
        page.contains(r#"name="news" type="checkbox">"#),
        "unticked: {page}"
    );
    assert!(
        page.contains("/festivals/fw/privacy"),
        "the notice is linked"
    );
    let csrf = csrf_of(&page);
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Linh Tran"),
        ("email", "linh@example.org"),
        ("country", "VN"),
        ("seats", "1"),
    ];
    let (status, _) = post_form(&public, &format!("{url}/book"), &form).await;
    assert_eq!(status, 303);
    let mut ticked = form.to_vec();
    ticked[1] = ("name", "Minh Le");
    ticked[2] = ("email", "minh@example.org");
    ticked.push(("news", "on"));
    let booked = public
        .post(format!("{url}/book"))
        .form(&ticked)
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 303);
    let manage = booked.headers()["location"].to_str().unwrap().to_owned();
    let count = |email: &str| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM consents c JOIN people p ON p.id = c.person_id \
         WHERE p.email_key = '{email}' AND c.withdrawn_at IS NULL"
        ))
    };
    assert_eq!(
        (count("linh@example.org"), count("minh@example.org")),
        (0, 1)
    );
    // The holder stops the news from the manage page.
    let manage = format!("{}{}", app.address, manage.split('?').next().unwrap());
    let (_, page) = get_page(&public, &manage).await;
    assert!(page.contains("Stop all news"), "{page}");
    let (status, _) = post_form(
        &public,
        &format!("{manage}/news"),
        &[("csrf", &csrf_of(&page))],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(count("minh@example.org"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM consents WHERE withdrawn_at IS NOT NULL"),
        1,
        "the withdrawal is recorded, with its time"
    );

    // The notice: the default names the festival and the retention; the organisers' own in
    // French replaces it in French only.
    let admin = format!("{}/admin/festivals/{}/privacy", app.address, f.festival_id);
    let (status, page) = get_page(&browser, &admin).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("90 days after the festival ends"), "{page}");
    let (_, privacy) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/privacy", f.festival_id),
        )
        .await;
    let shred_on: chrono::NaiveDate = privacy["shred_on"].as_str().unwrap().parse().unwrap();
    assert!(
        page.contains(&marquee::i18n::dates::day(shred_on)),
        "the page names the shredding day: {page}"
    );
    let csrf = csrf_of(&page);
    let (status, _) = post_form(
        &browser,
        &format!("{admin}/notice"),
        &[
            ("csrf", &csrf),
            ("lang", "fr"),
            (
                "body",
                "Le Festival traite vos données.\n\nÉcrivez à dpo@festival.example.",
            ),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let notice = format!("{}/festivals/fw/privacy", app.address);
    let (_, fr) = get_page(&public, &format!("{notice}?lang=fr")).await;
    assert!(
        fr.contains("<p>Le Festival traite vos données.</p>"),
        "{fr}"
    );
    let (_, en) = get_page(&public, &format!("{notice}?lang=en")).await;
    assert!(
        en.contains("The organisers of Film Week are responsible"),
        "{en}"
    );
    let (_, vi) = get_page(&public, &format!("{notice}?lang=vi")).await;
    assert!(vi.contains("90 ngày"), "{vi}");
    // The same through the API; a language Marquee does not speak is not found.
    let (_, privacy) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/privacy", f.festival_id),
        )
        .await;
    assert!(
        privacy["notices"]["fr"]
            .as_str()
            .unwrap()
            .starts_with("Le Festival"),
        "{privacy}"
    );
    assert_eq!(privacy["retention_days"], 90);
    let response = app
        .client
        .put(format!(
            "{}/festivals/{}/privacy-notice/de",
            app.api, f.festival_id
        ))
        .bearer_auth(&app.organiser_token)
        .json(&json!({"body": "Hallo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // Erasing from the page: without the address nothing happens; with it, Linh is erased.
    let (status, _) = post_form(
        &browser,
        &format!("{admin}/erase"),
        &[("csrf", &csrf), ("email", "")],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = post_form(
        &browser,
        &format!("{admin}/erase"),
        &[("csrf", &csrf), ("email", "linh@example.org")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE name = 'Linh Tran'"),
        0
    );
    let (_, page) = get_page(&browser, &admin).await;
    assert!(
        page.contains("an organiser"),
        "the erasure is listed: {page}"
    );
    // Door staff do not see the page.
    let (door, _) = app.sign_in(&app.door_token).await;
    let (status, _) = get_page(&door, &admin).await;
    assert_eq!(status, 403);
}

async fn a_festival_is_shredded_only_once_it_has_ended(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/festivals/{}/shred", f.festival_id);
    let response = app.post_as(&app.organiser_token, &path, &json!({})).await;
    assert_eq!(response.status(), 422, "confirmation is needed");
    let response = app
        .post_as(&app.organiser_token, &path, &json!({"confirm": true}))
        .await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "festival_not_over", "{body}");
    // A festival with a notice and an erasure on record, and nothing else, can still be deleted
    // (the erasure's record stays).
    let empty = app
        .create(
            "/festivals",
            json!({"slug": "gone", "name": "Gone", "starts_on": "2030-01-01",
                   "ends_on": "2030-01-02", "timezone": "Europe/Paris", "attendance_goal": 0}),
        )
        .await;
    let id = empty["id"].as_str().unwrap();
    let response = app
        .client
        .put(format!("{}/festivals/{id}/privacy-notice/en", app.api))
        .bearer_auth(&app.organiser_token)
        .json(&json!({"body": "Our notice."}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{id}/erasures"),
            &json!({"email": "x@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = app
        .delete_as(&app.organiser_token, &format!("/festivals/{id}"))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM erasures WHERE festival_id = '{id}'"
        )),
        1
    );
    // A person's erasure with an unreadable choice is refused, naming it.
    let response = app
        .client
        .delete(format!(
            "{}/my-data/whatever?cancel_upcoming=maybe&cancel_upcoming=null",
            app.api
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["field"], "cancel_upcoming", "{body}");
}

/// A festival that ended yesterday with no days of retention is shredded by the sweeper; one
/// still running is not.
async fn retention_shreds_a_festival_after_it_ends(backend: crate::helpers::Backend) {
    let Some(app) = spawn_app_with(backend, |s| {
        s.retention_sweep = Duration::from_millis(300);
    })
    .await
    else {
        return;
    };
    let f = app.fixture().await;
    let booked = book_as(
        &app,
        &f.screening_id,
        "Zoé Quintard",
        "zoe@example.org",
        1,
        true,
    )
    .await;
    let other = app
        .create(
            "/festivals",
            json!({"slug": "later", "name": "Later", "starts_on": "2030-12-06",
        "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 10}),
        )
        .await;
    let later = app
        .create(
            "/screenings",
            app.screening_body(
                &other,
                &json!({"id": f.venue_id}),
                &json!({"id": f.film_id}),
                "Petite",
                3,
            ),
        )
        .await;
    book_as(
        &app,
        later["id"].as_str().unwrap(),
        "Bao Pham",
        "bao@example.org",
        1,
        false,
    )
    .await;
    app.mail_sent().await;
    let before = report(&app, &f.festival_id).await;
    // The festival is over (its dates moved back), and keeps nothing after.
    let today = chrono::Utc::now().date_naive();
    let response = app
        .patch_as(
            &app.organiser_token,
            &format!("/festivals/{}", f.festival_id),
            &json!({"starts_on": (today - chrono::Duration::days(3)).to_string(),
                "ends_on": (today - chrono::Duration::days(1)).to_string(), "retention_days": 0}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let started = Instant::now();
    let privacy = loop {
        let (_, privacy) = app
            .get_as(
                &app.organiser_token,
                &format!("/festivals/{}/privacy", f.festival_id),
            )
            .await;
        if privacy["shredded_at"].is_string() {
            break privacy;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "shredded: {privacy}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(privacy["retention_days"], 0);
    assert_eq!(
        privacy["shred_on"],
        today.to_string(),
        "the day shown is the day the sweeper shreds"
    );
    assert_eq!(report(&app, &f.festival_id).await, before);
    let written = everything_written(&app);
    assert!(!contains(&written, "Quintard") && !contains(&written, "zoe@example.org"));
    assert!(
        contains(&written, "Bao Pham"),
        "the festival still running keeps its data"
    );
    let id = booked["booking"]["id"].as_str().unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM bookings WHERE id = '{id}' AND email = ''"
        )),
        1
    );
    // The erasure is recorded as retention's; shredding again (by hand, confirmed: unconfirmed
    // it is refused) finds nothing left.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM erasures WHERE requested_by = 'retention'"),
        1
    );
    let path = format!("/festivals/{}/shred", f.festival_id);
    let response = app.post_as(&app.organiser_token, &path, &json!({})).await;
    assert_eq!(response.status(), 422);
    let response = app
        .post_as(&app.organiser_token, &path, &json!({"confirm": true}))
        .await;
    assert_eq!(response.status(), 200);
    let again: Value = response.json().await.unwrap();
    assert_eq!(again["erased"]["bookings"], 0, "{again}");
    assert_eq!(again["erased"]["messages"], 0, "{again}");
}

/// The page a mailed link opens: news stopped with a button, erasure only once confirmed.
async fn a_person_stops_news_and_erases_from_their_page(app: TestApp) {
    let f = app.fixture().await;
    book_as(
        &app,
        &f.screening_id,
        "Zoé Quintard",
        "zoe@example.org",
        1,
        true,
    )
    .await;
    let token = app.data_link("zoe@example.org");
    let browser = new_browser();
    let page_url = format!("{}/my-data/{token}", app.address);
    let (status, page) = get_page(&browser, &page_url).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Zoé Quintard") && page.contains("Stop all news"),
        "{page}"
    );
    let csrf = csrf_of(&page);
    let (status, _) = post_form(&browser, &format!("{page_url}/news"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let (_, page) = get_page(&browser, &page_url).await;
    assert!(!page.contains("Stop all news"), "withdrawn: {page}");
    // Not confirmed: back to the page, nothing erased.
    let (status, _) = post_form(&browser, &format!("{page_url}/erase"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE email = 'zoe@example.org'"),
        1
    );
    let (status, page) = post_form(
        &browser,
        &format!("{page_url}/erase"),
        &[("csrf", &csrf), ("confirm", "on")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Your data has been erased"), "{page}");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE email = 'zoe@example.org'"),
        0
    );
    let (status, _) = get_page(&browser, &page_url).await;
    assert_eq!(status, 404, "the link went with the address");
}

/// Unknown links and festivals, unreadable choices and over-long notices: each refused with a
/// clear 4xx, and nothing erased, withdrawn or written.
async fn bad_input_to_the_personal_data_routes_is_refused_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    book_as(
        &app,
        &f.screening_id,
        "Ana Lima",
        "ana@example.org",
        2,
        true,
    )
    .await;
    let token = app.data_link("ana@example.org");
    app.mail_sent().await;
    let before = app.row_counts();
    let consents = || app.count("SELECT COUNT(*) AS n FROM consents WHERE withdrawn_at IS NULL");
    assert_eq!(consents(), 1);

    // Links nobody was sent.
    for path in ["/my-data/made-up", "/my-data/made-up/consents/news"] {
        let response = app.delete_as("", path).await;
        assert_eq!(response.status(), 404, "DELETE {path}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    // A real link with an unreadable choice: refused, naming it, and Ana is not erased.
    let response = app
        .delete_as("", &format!("/my-data/{token}?cancel_upcoming=maybe"))
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["field"], "cancel_upcoming", "{body}");
    // Festivals that do not exist.
    let nowhere = uuid::Uuid::now_v7();
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{nowhere}/erasures"),
            &json!({"email": "ana@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{nowhere}/shred"),
            &json!({"confirm": true}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let (status, _) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{nowhere}/privacy"),
        )
        .await;
    assert_eq!(status, 404);
    let notice = |festival: String, body: String| {
        app.client
            .put(format!(
                "{}/festivals/{festival}/privacy-notice/en",
                app.api
            ))
            .bearer_auth(&app.organiser_token)
            .json(&json!({ "body": body }))
            .send()
    };
    let response = notice(nowhere.to_string(), "Hello".into()).await.unwrap();
    assert_eq!(response.status(), 404);
    // A notice too long, or with characters that show other than they read.
    for body in ["x".repeat(20_001), "Kept \u{202E}forever".into()] {
        let response = notice(f.festival_id.clone(), body).await.unwrap();
        assert_eq!(response.status(), 422);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["field"], "body", "{answer}");
    }
    // The public page of a festival that does not exist.
    let (status, _) = get_page(
        &new_browser(),
        &format!("{}/festivals/nowhere/privacy", app.address),
    )
    .await;
    assert_eq!(status, 404);

    assert_eq!(app.row_counts(), before, "refused input changed nothing");
    assert_eq!(consents(), 1, "Ana's consent stands");
    let (status, data) = app.get_as("", &format!("/my-data/{token}")).await;
    assert_eq!(status, 200, "the link still works: {data}");
    assert_eq!(data["bookings"].as_array().unwrap().len(), 1, "{data}");
}
