//! Hardening from outside: what an attacker or a careless client can make Marquee spend or reveal.
//! Each test stands for one finding of the outside probe and fails without its fix: bounded
//! metrics and log lines, "find my tickets" doing the same work for any address, no token in the
//! access log, slow bodies cut off, connections capped per client, live streams ending with their
//! credential, undeliverable or spoofing input refused, the offline batch accepted whole, files
//! private, nothing kept by caches, HEAD answered, cross-site forms refused.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Process, TestApp, csrf_of, new_browser, registered_routes, spawn_app_with};

on_both_backends!(
    made_up_methods_are_refused_and_add_no_metrics_series,
    find_my_tickets_does_the_same_work_for_any_address,
    the_access_log_names_routes_never_tokens_or_made_up_methods,
    a_revoked_credential_ends_its_live_stream,
    undeliverable_and_direction_spoofing_input_is_refused,
    the_offline_batch_of_500_scans_is_accepted,
    an_online_scan_time_outside_the_window_is_refused,
    pages_and_answers_with_tokens_or_personal_data_are_never_cached,
    head_is_answered_wherever_get_is,
    a_form_posted_from_another_site_is_refused,
    files_marquee_creates_are_its_own,
);

/// Every series `/metrics` lists (its name and labels, without the value).
async fn series(app: &TestApp) -> BTreeSet<String> {
    let text = new_browser()
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' ').map(|(series, _)| series.to_owned()))
        .collect()
}

async fn made_up_methods_are_refused_and_add_no_metrics_series(app: TestApp) {
    let browser = new_browser();
    let send = |method: String, path: &'static str| {
        let browser = browser.clone();
        let url = format!("{}{path}", app.address);
        async move {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            browser.request(method, url).send().await.unwrap()
        }
    };
    // The first refusals (and two scrapes) make every series this test can make: one per route.
    for path in ["/healthz", "/api/v1/festivals"] {
        assert_eq!(send("BREW".to_owned(), path).await.status(), 405);
    }
    series(&app).await;
    let before = series(&app).await;
    for n in 0..300 {
        let method = format!("X{n}{}", "M".repeat(n * 13));
        let path = if n % 2 == 0 {
            "/healthz"
        } else {
            "/api/v1/festivals"
        };
        let response = send(method, path).await;
        assert_eq!(response.status(), 405, "a made-up method is refused");
        if path.starts_with("/api/") {
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "method_not_allowed");
        }
    }
    let after = series(&app).await;
    assert_eq!(
        after.difference(&before).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "made-up methods add no series"
    );
    assert!(
        after
            .iter()
            .filter(|s| s.starts_with("http_requests_total"))
            .all(|s| [
                "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
                "OTHER"
            ]
            .iter()
            .any(|m| s.contains(&format!("method=\"{m}\"")))),
        "every method label comes from the closed set: {after:?}"
    );
}

async fn find_my_tickets_does_the_same_work_for_any_address(app: TestApp) {
    let f = app.fixture().await;
    let (status, _) = app.book(&f.screening_id, 2, "Booked@Example.org").await;
    assert_eq!(status, 201);
    let queued_before = outbox(&app).await.len();
    for email in ["booked@example.org", "nobody@example.org"] {
        let response = app
            .client
            .post(format!("{}/find-my-tickets", app.api))
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
    }
    // The same work for both: one queued message each, whether or not the address booked.
    let messages = outbox(&app).await;
    assert_eq!(messages.len(), queued_before + 2);
    let asked: Vec<&Value> = messages
        .iter()
        .filter(|m| m["kind"] == "find_tickets")
        .collect();
    assert_eq!(asked.len(), 2, "{messages:?}");
    // Whether there is anything to send is decided by the sender, off the request's path.
    let started = Instant::now();
    loop {
        let messages = outbox(&app).await;
        let asked = |other_than: Option<&Value>| {
            messages
                .iter()
                .find(|m| {
                    m["kind"] == "find_tickets"
                        && other_than
                            .map_or(m["to"] == "booked@example.org", |o| m["id"] != o["id"])
                })
                .cloned()
                .unwrap()
        };
        // Nobody's message is the other one: settled, it keeps no address (see below).
        let booked = asked(None);
        let nobody = asked(Some(&booked));
        if booked["status"] == "sent" && nobody["status"] == "sent" {
            assert_eq!(
                nobody["to"], "",
                "an address nothing is held about is not kept"
            );
            assert!(booked["open_url"].is_string(), "a message was written");
            assert!(nobody["open_url"].is_null(), "nothing was written");
            assert!(
                nobody["subject"]
                    .as_str()
                    .unwrap()
                    .contains("no current booking")
            );
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{messages:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let written: Vec<String> = std::fs::read_dir(app.mail_dir.path())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!written.iter().any(|m| m.contains("nobody@example.org")));
    // The sender finds an address's bookings through an index, not by reading every booking.
    if app.database_url.starts_with("postgres") {
        return;
    }
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Plan {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    let plan: Vec<Plan> = diesel::sql_query(
        "EXPLAIN QUERY PLAN SELECT id FROM bookings WHERE lower(email) = 'a@example.org'",
    )
    .load(&mut app.pool.get().unwrap())
    .unwrap();
    assert!(
        plan.iter()
            .any(|p| p.detail.contains("bookings_email_lower")),
        "{:?}",
        plan.iter().map(|p| &p.detail).collect::<Vec<_>>()
    );
}

async fn outbox(app: &TestApp) -> Vec<Value> {
    let (status, body) = app.get_as(&app.organiser_token, "/outbox").await;
    assert_eq!(status, 200);
    body.as_array().cloned().unwrap_or_default()
}

async fn the_access_log_names_routes_never_tokens_or_made_up_methods(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("marquee.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let server = Process::serve(
        &app.database_url,
        &[
            ("RUST_LOG", "info"),
            (
                "MARQUEE_MAIL_DIR",
                &dir.path().join("mail").display().to_string(),
            ),
        ],
        Stdio::from(log),
    )
    .await;
    let browser = new_browser();
    // Every route with a parameter, each parameter given a value shaped like a credential; those
    // registered later are walked too (the list is read from the source).
    let mut secrets = Vec::new();
    for route in registered_routes() {
        if !route.path.contains('{') {
            continue;
        }
        let secret = format!("Sx{:041}", secrets.len());
        let path: String = route
            .path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    secret.as_str()
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let _ = browser
            .request(method, format!("{}{path}?token={secret}", server.address))
            .send()
            .await
            .unwrap();
        secrets.push(secret);
    }
    assert!(secrets.len() > 20, "the routes were found");
    let long_method = reqwest::Method::from_bytes("Q".repeat(6000).as_bytes()).unwrap();
    let response = browser
        .request(
            long_method,
            format!("{}/{}", server.address, "p".repeat(6000)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    // The last request is logged once it is answered.
    let started = Instant::now();
    let text = loop {
        let text = std::fs::read_to_string(&log_path).unwrap();
        if text.contains("OTHER (no route)") {
            break text;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    drop(server);
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret} is in the log");
    }
    assert!(
        text.contains("GET /waitlist/{token}"),
        "routes are logged by their pattern"
    );
    assert!(text.contains("GET /manage/{token}"));
    let longest = text.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 400, "a log line of {longest} characters");
}

async fn a_revoked_credential_ends_its_live_stream(app: TestApp) {
    let f = app.fixture().await;
    let (member, credential) = {
        let mut conn = app.pool.get().unwrap();
        marquee::staff::create(
            &mut conn,
            "Porte 2",
            marquee::domain::Role::Door,
            None,
            None,
        )
        .unwrap()
    };
    let mut stream = app
        .fetch_as(
            &credential,
            &format!("/screenings/{}/events", f.screening_id),
        )
        .await;
    assert_eq!(stream.status(), 200);
    let mut seen = String::new();
    crate::helpers::read_until(&mut stream, &mut seen, "event: counters").await;
    // Revoked elsewhere (the command line, another instance): not through this server.
    marquee::db::tx::write_on(
        &mut app.pool.get().unwrap(),
        marquee::i18n::Lang::En,
        |tx| marquee::staff::revoke(tx, member.id),
    )
    .unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(15), async {
        while stream.chunk().await.ok().flatten().is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ended after the revocation");
    let again = app
        .fetch_as(
            &credential,
            &format!("/screenings/{}/events", f.screening_id),
        )
        .await;
    assert_eq!(again.status(), 401);
    // An organiser's dashboard stream, opened with a web session, ends when they sign out.
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let mut stream = browser
        .get(format!("{}/festivals/{}/events", app.api, f.festival_id))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut seen = String::new();
    crate::helpers::read_until(&mut stream, &mut seen, "event: totals").await;
    let signed_out = browser
        .post(format!("{}/signout", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 303);
    let ended = tokio::time::timeout(Duration::from_secs(15), async {
        while stream.chunk().await.ok().flatten().is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ended with the session");
}

async fn undeliverable_and_direction_spoofing_input_is_refused(app: TestApp) {
    let f = app.fixture().await;
    let before = app.row_counts();
    for (name, email, field) in [
        ("Ana Nguyen", "a;b@example.org", "email"),
        ("Ana Nguyen", "\"x><script>\"@example.org", "email"),
        ("\u{202E}gnp.exe", "ana@example.org", "name"),
        ("Lan \u{2067}Nguyen", "ana@example.org", "name"),
    ] {
        let response = app
            .client
            .post(format!(
                "{}/screenings/{}/bookings",
                app.api, f.screening_id
            ))
            .json(&json!({"name": name, "email": email, "country": "FR", "seats": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{name:?} {email:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["field"], field, "{body}");
    }
    assert_eq!(app.row_counts(), before, "nothing was booked");
    let renamed = app
        .patch_as(
            &app.organiser_token,
            &format!("/films/{}", f.film_id),
            &json!({"title": "Red \u{202E}Rain"}),
        )
        .await;
    assert_eq!(renamed.status(), 422);
}

async fn the_offline_batch_of_500_scans_is_accepted(app: TestApp) {
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 5, "Grande Salle").await;
    let (_, booked) = app.book(&screening, 10, "batch@example.org").await;
    let codes: Vec<String> = booked["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect();
    let now = chrono::Utc::now();
    // Real codes, and forged ones of the same length, at a door named as doors are.
    let scans: Vec<Value> = (0..500)
        .map(|i| {
            let real = &codes[i % codes.len()];
            let code = if i < codes.len() {
                real.clone()
            } else {
                let mut forged = real.clone();
                forged.replace_range(real.len() - 6.., &format!("{i:06}"));
                forged
            };
            json!({"code": code, "screening_id": screening, "door": "Porte principale du Forum",
                   "nonce": uuid::Uuid::new_v4().to_string(),
                   "scanned_at": (now - chrono::Duration::milliseconds(100 * (500 - i as i64))).to_rfc3339(),
                   "offline_verdict": "admitted"})
        })
        .collect();
    let body = json!({ "scans": scans });
    assert!(
        body.to_string().len() > 64 * 1024,
        "more than the general body limit"
    );
    let response = app.post_as(&app.door_token, "/scans/sync", &body).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 500);
    let admitted = results
        .iter()
        .filter(|r| r["verdict"] == "admitted")
        .count();
    assert_eq!(admitted, codes.len());
}

async fn an_online_scan_time_outside_the_window_is_refused(app: TestApp) {
    let f = app.fixture().await;
    let (_, code, _) = app.ticket(&f.screening_id).await;
    for at in ["9999-01-01T00:00:00Z", "1900-01-01T00:00:00Z"] {
        let (status, body) = app
            .scan_at(
                &app.api,
                &app.door_token,
                json!({"code": code, "screening_id": f.screening_id, "door": "A",
                       "nonce": uuid::Uuid::new_v4().to_string(), "scanned_at": at}),
            )
            .await;
        assert_eq!(status, 422, "{at}: {body}");
        assert_eq!(body["field"], "scanned_at");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM scans"),
        0,
        "nothing was recorded"
    );
}

async fn pages_and_answers_with_tokens_or_personal_data_are_never_cached(app: TestApp) {
    let f = app.fixture().await;
    let (_, booked) = app.book(&f.screening_id, 1, "cache@example.org").await;
    let token = booked["booking"]["manage_token"].as_str().unwrap();
    let id = booked["booking"]["id"].as_str().unwrap();
    let (organiser, _) = app.sign_in(&app.organiser_token).await;
    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let browser = new_browser();
    for (client, path) in [
        (&browser, format!("/manage/{token}")),
        (&organiser, "/admin".to_owned()),
        (&organiser, format!("/admin/bookings/{id}")),
        (
            &organiser,
            format!("/api/v1/festivals/{}/report/screenings.csv", f.festival_id),
        ),
        (&browser, format!("/screenings/{}", f.screening_id)),
    ] {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(cache_control(&response), "no-store", "{path}");
    }
    let api = app.fetch_as(token, &format!("/bookings/{id}")).await;
    assert_eq!(api.status(), 200);
    assert_eq!(cache_control(&api), "no-store");
    // What may be kept still says so.
    let stylesheet = browser
        .get(format!("{}/static/marquee.css", app.address))
        .send()
        .await
        .unwrap();
    assert!(cache_control(&stylesheet).contains("max-age"));
}

async fn head_is_answered_wherever_get_is(app: TestApp) {
    let f = app.fixture().await;
    let browser = new_browser();
    for path in [
        "/healthz",
        "/readyz",
        "/",
        "/api/v1/festivals",
        "/static/marquee.css",
    ] {
        let get = browser
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        let head = browser
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type"),
            "HEAD {path}"
        );
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path} has no body"
        );
    }
    // A stream is not held open for a HEAD.
    let head = tokio::time::timeout(
        Duration::from_secs(5),
        browser
            .head(format!("{}/screenings/{}/events", app.api, f.screening_id))
            .bearer_auth(&app.door_token)
            .send(),
    )
    .await
    .expect("answered at once")
    .unwrap();
    assert_eq!(head.status(), 200);
    // What GET refuses, HEAD refuses alike.
    let missing = browser
        .head(format!("{}/nowhere", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

async fn a_form_posted_from_another_site_is_refused(app: TestApp) {
    let browser = new_browser();
    let page = crate::helpers::page_text(&browser, format!("{}/tickets", app.address)).await;
    let csrf = csrf_of(&page);
    let form = [("email", "ana@example.org"), ("csrf", csrf.as_str())];
    let host = app.address.trim_start_matches("http://").to_owned();
    for (header, value, expected) in [
        ("origin", "https://evil.example".to_owned(), 403),
        ("origin", "https://evil.example:443".to_owned(), 403),
        ("sec-fetch-site", "cross-site".to_owned(), 403),
        ("sec-fetch-site", "same-site".to_owned(), 403),
        ("origin", format!("http://{host}"), 200),
        ("sec-fetch-site", "same-origin".to_owned(), 200),
    ] {
        let response = browser
            .post(format!("{}/tickets", app.address))
            .header(header, &value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{header}: {value}");
    }
    // On an HTTPS origin the cookie carries the `__Host-` prefix.
    let secure = spawn_app_with(crate::helpers::Backend::Sqlite, |s| s.cookie_secure = true)
        .await
        .unwrap();
    let response = new_browser()
        .get(format!("{}/tickets", secure.address))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-marquee_csrf="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

/// The mode bits of a path other users have (group and others).
fn shared_bits(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o077
}

async fn files_marquee_creates_are_its_own(app: TestApp) {
    // The command line prints links on the public address.
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["staff", "add", "--role", "organiser", "--name", "Files"])
        .env("DATABASE_URL", &app.database_url)
        .env("MARQUEE_PUBLIC_URL", "https://tickets.example.org/")
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(
        printed.contains("Sign-in link: https://tickets.example.org/signin?token="),
        "{printed}"
    );
    if app.database_url.starts_with("postgres") {
        return; // the files below are SQLite's
    }
    let dir = tempfile::tempdir().unwrap();
    // A folder others may enter, as an operator's would be: what Marquee creates in it is private.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let database = dir.path().join("festival.db");
    let mail = dir.path().join("mail");
    let log = dir.path().join("first.log");
    let server = Process::serve(
        &database.display().to_string(),
        &[("MARQUEE_MAIL_DIR", &mail.display().to_string())],
        Stdio::from(std::fs::File::create(&log).unwrap()),
    )
    .await;
    let organiser = printed.lines().last().unwrap().to_owned();
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["staff", "add", "--role", "organiser", "--name", "Files"])
        .env("DATABASE_URL", &database)
        .output()
        .unwrap();
    let organiser_here = String::from_utf8(output.stdout).unwrap();
    let organiser_here = organiser_here.lines().last().unwrap().to_owned();
    assert_ne!(organiser, organiser_here);
    let client = new_browser();
    let create = |path: &str, body: Value| {
        let request = client
            .post(format!("{}{path}", server.api))
            .bearer_auth(&organiser_here)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 201);
            response.json::<Value>().await.unwrap()
        }
    };
    let festival = create(
        "/festivals",
        json!({"slug": "fw", "name": "Film Week", "starts_on": chrono::Utc::now().date_naive(),
        "ends_on": (chrono::Utc::now() + chrono::Duration::days(30)).date_naive(),
        "timezone": "Europe/Paris", "attendance_goal": 500}),
    )
    .await;
    let venue = create(
        "/venues",
        json!({"name": "Forum", "city": "Paris", "address": "1 rue",
        "timezone": "Europe/Paris", "rooms": [{"name": "Salle 1", "seats": 50}]}),
    )
    .await;
    let film = create(
        "/films",
        json!({"title": "Song Lang", "original_title": "Song Lang",
        "director": "Leon Le", "year": 2018, "runtime_minutes": 102, "country": "VN"}),
    )
    .await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%dT20:00")
        .to_string();
    let screening = create(
        "/screenings",
        json!({"festival_id": festival["id"], "venue_id": venue["id"],
        "film_id": film["id"], "room": "Salle 1", "starts_at": starts}),
    )
    .await;
    let booked = client
        .post(format!("{}/screenings/{}/bookings", server.api, screening["id"].as_str().unwrap()))
        .json(&json!({"name": "Nguyễn Thị Lan", "email": "lan@example.org", "country": "VN", "seats": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    let started = Instant::now();
    while std::fs::read_dir(&mail).map_or(0, Iterator::count) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the mail is written"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let backup = dir.path().join("copy.db");
    let status = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["backup", &backup.display().to_string()])
        .env("DATABASE_URL", &database)
        .status()
        .unwrap();
    assert!(status.success());
    let mut private = vec![
        database.clone(),
        dir.path().join("festival.db-wal"),
        mail.clone(),
        backup,
    ];
    private.extend(std::fs::read_dir(&mail).unwrap().map(|e| e.unwrap().path()));
    for path in &private {
        assert_eq!(
            shared_bits(path),
            0,
            "{} is readable by others",
            path.display()
        );
    }
    drop(server);
    assert!(
        !std::fs::read_to_string(&log)
            .unwrap()
            .contains("other users")
    );
    // A database that others can read is pointed out at start.
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = dir.path().join("second.log");
    let server = Process::serve(
        &database.display().to_string(),
        &[("MARQUEE_MAIL_DIR", &mail.display().to_string())],
        Stdio::from(std::fs::File::create(&log).unwrap()),
    )
    .await;
    drop(server);
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(
        said.contains("other users of this machine can read this") && said.contains("festival.db"),
        "{said}"
    );
}

/// A request sent by hand on one connection; what came back before the server closed it (or
/// before `within` ran out).
fn raw_exchange(
    address: &str,
    head: &str,
    drip: &[u8],
    every: Duration,
    within: Duration,
) -> (String, bool) {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let mut received = Vec::new();
    let mut dripped = 0;
    let mut last_drip = Instant::now();
    while started.elapsed() < within {
        if dripped < drip.len() && last_drip.elapsed() >= every {
            if stream.write_all(&drip[dripped..=dripped]).is_err() {
                break;
            }
            dripped += 1;
            last_drip = Instant::now();
        }
        let mut buffer = [0u8; 4096];
        match stream.read(&mut buffer) {
            Ok(0) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), true),
        }
    }
    (String::from_utf8_lossy(&received).into_owned(), false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_dripped_slowly_is_cut_off_and_its_connection_closed() {
    let app = spawn_app_with(crate::helpers::Backend::Sqlite, |s| {
        s.body_timeout = Duration::from_secs(1);
    })
    .await
    .unwrap();
    let address = app.address.clone();
    let door = app.door_token.clone();
    tokio::task::spawn_blocking(move || {
        for (head, what) in [
            (
                format!("POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {door}\r\nContent-Type: application/json\r\nContent-Length: 16384\r\n\r\n"),
                "a JSON body",
            ),
            (
                "POST /tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16384\r\n\r\n".to_owned(),
                "a form",
            ),
            (
                format!("POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {door}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4000\r\n"),
                "a chunked body",
            ),
        ] {
            let drip = vec![b' '; 200];
            let (answer, closed) = raw_exchange(&address, &head, &drip, Duration::from_millis(300), Duration::from_secs(10));
            assert!(closed, "{what}: the connection was closed");
            assert!(answer.starts_with("HTTP/1.1 408"), "{what}: {answer}");
        }
        // A body nobody reads (no such route) does not keep the connection either.
        let (answer, closed) = raw_exchange(
            &address,
            "POST /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 16384\r\n\r\n",
            &[b'x'; 200],
            Duration::from_millis(300),
            Duration::from_secs(10),
        );
        assert!(closed, "closed: {answer}");
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_of_one_client_are_refused_and_closed() {
    let app = spawn_app_with(crate::helpers::Backend::Sqlite, |s| {
        s.max_connections_per_client = 4;
    })
    .await
    .unwrap();
    let address = app.address.clone();
    tokio::task::spawn_blocking(move || {
        let host = address.trim_start_matches("http://").to_owned();
        let ask = |stream: &mut TcpStream| -> String {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut buffer = [0u8; 4096];
            let n = stream.read(&mut buffer).unwrap_or(0);
            String::from_utf8_lossy(&buffer[..n]).into_owned()
        };
        let mut held: Vec<TcpStream> = (0..4)
            .map(|_| {
                let mut stream = TcpStream::connect(&host).unwrap();
                assert!(ask(&mut stream).starts_with("HTTP/1.1 200"));
                stream
            })
            .collect();
        let mut fifth = TcpStream::connect(&host).unwrap();
        let answer = ask(&mut fifth);
        assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
        let mut rest = [0u8; 16];
        assert_eq!(fifth.read(&mut rest).unwrap_or(0), 0, "and closed");
        // The connections held first still work; one closed makes room for a new one.
        assert!(ask(&mut held[0]).starts_with("HTTP/1.1 200"));
        drop(held.pop());
        std::thread::sleep(Duration::from_millis(300));
        let mut another = TcpStream::connect(&host).unwrap();
        assert!(ask(&mut another).starts_with("HTTP/1.1 200"));
    })
    .await
    .unwrap();
}
