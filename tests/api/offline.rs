//! Doors without the network: the bundle a device decides from, and the sync of the scans it
//! decided offline — order, idempotency, conflicts, forged and cancelled tickets, scopes.

use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(
    the_bundle_has_what_a_door_needs_and_is_not_sent_twice_unchanged,
    offline_scans_sync_in_order_once_and_conflicts_are_kept,
    the_door_that_scanned_first_is_the_admission_whoever_uploads_first,
    a_device_whose_clock_is_off_is_read_on_the_servers_clock,
    someone_a_device_turned_away_offline_is_not_admitted_by_the_upload,
);

async fn a_device_whose_clock_is_off_is_read_on_the_servers_clock(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    let door_b = second_door(&app);
    // Door A's clock is right: it scanned 30 s ago, and uploads first.
    let (_, a) = sync(
        &app,
        &app.door_token,
        &[scan(&code, &now, "Door A", "a-1", 30, true)],
    )
    .await;
    assert_eq!(a["results"][0]["verdict"], "admitted");
    // Door B's clock is ten minutes fast: it scanned a minute ago (by the server's clock), and its
    // scan says "nine minutes from now".
    let ahead = chrono::Duration::minutes(10);
    let mut b_scan = scan(&code, &now, "Door B", "b-1", 60, true);
    b_scan["scanned_at"] =
        json!((chrono::Utc::now() + ahead - chrono::Duration::seconds(60)).to_rfc3339());
    let body = json!({"scans": [b_scan], "device_time": (chrono::Utc::now() + ahead).to_rfc3339()});
    let response = app.post_as(&door_b, "/scans/sync", &body).await;
    assert_eq!(response.status().as_u16(), 200);
    let b: Value = response.json().await.unwrap();
    let skew = b["clock_skew_seconds"].as_i64().unwrap();
    assert!((598..=601).contains(&skew), "{b}");
    // On the server's clock Door B scanned first: it is the admission, Door A the conflict.
    assert_eq!(
        (&b["results"][0]["verdict"], &b["results"][0]["conflict"]),
        (&json!("admitted"), &json!(false)),
        "{b}"
    );
    let (door, at) = admission(&app, &ticket);
    assert_eq!(door.as_deref(), Some("Door B"));
    let age = chrono::Utc::now().naive_utc() - at.unwrap();
    assert!(
        (55..120).contains(&age.num_seconds()),
        "admitted a minute ago by the server's clock, not in the future: {age}"
    );
    let (_, conflicts) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/conflicts", f.festival_id),
        )
        .await;
    assert_eq!(conflicts[0]["door"], "Door A", "{conflicts}");
    assert_eq!(conflicts[0]["first_admitted_door"], "Door B", "{conflicts}");
    // A retry measures the clock again (a little later): the same nonce, the same answer.
    let again = app.post_as(&door_b, "/scans/sync", &body).await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["results"][0]["replayed"], true, "{again}");
    // Without a device time, nothing is measured or said; a device time that is not one is
    // refused, naming it, and changes nothing.
    let (_, plain) = sync(
        &app,
        &door_b,
        &[scan(&code, &now, "Door B", "b-2", 5, false)],
    )
    .await;
    assert!(plain.get("clock_skew_seconds").is_none(), "{plain}");
    let rows = app.count("SELECT COUNT(*) AS n FROM scans");
    let bad =
        json!({"scans": [scan(&code, &now, "Door B", "b-3", 5, false)], "device_time": "teatime"});
    let response = app.post_as(&door_b, "/scans/sync", &bad).await;
    assert_eq!(response.status().as_u16(), 422);
    let bad: Value = response.json().await.unwrap();
    assert_eq!(bad["field"], "device_time", "{bad}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), rows);
}

async fn the_door_that_scanned_first_is_the_admission_whoever_uploads_first(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    let door_b = second_door(&app);
    // Both offline: Door B scanned the ticket a minute ago, Door A (a screenshot?) 30 s ago.
    // Door A's network comes back first.
    let (_, a) = sync(
        &app,
        &app.door_token,
        &[scan(&code, &now, "Door A", "a-1", 30, true)],
    )
    .await;
    assert_eq!(a["results"][0]["verdict"], "admitted");
    let b_scans = [scan(&code, &now, "Door B", "b-1", 60, true)];
    let (status, b) = sync(&app, &door_b, &b_scans).await;
    assert_eq!(status, 200, "{b}");
    // By the devices' clocks Door B let them in first: its scan is the admission…
    assert_eq!(
        (&b["results"][0]["verdict"], &b["results"][0]["conflict"]),
        (&json!("admitted"), &json!(false))
    );
    let (door, at) = admission(&app, &ticket);
    assert_eq!(door.as_deref(), Some("Door B"));
    let age = chrono::Utc::now().naive_utc() - at.unwrap();
    assert!(
        age >= chrono::Duration::seconds(55),
        "admitted at Door B's scan: {age}"
    );
    // …and Door A's, uploaded first, is the conflict, with both doors and times.
    let (_, conflicts) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/conflicts", f.festival_id),
        )
        .await;
    let conflicts = conflicts.as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["door"], "Door A");
    assert_eq!(conflicts[0]["first_admitted_door"], "Door B");
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(
        (
            report["totals"]["admitted"].as_i64(),
            report["totals"]["conflicts"].as_i64()
        ),
        (Some(1), Some(1))
    );
    // Door B's retry replays its answer and writes nothing more.
    let rows = app.count("SELECT COUNT(*) AS n FROM scans");
    let (_, again) = sync(&app, &door_b, &b_scans).await;
    assert_eq!(again["results"][0]["replayed"], true);
    assert_eq!(again["results"][0]["verdict"], "admitted");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), rows);
    // The counters still match the rows, and every chain still holds.
    for check in ["check-counters", "verify-scans"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_marquee"))
            .arg(check)
            .env("DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{check}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

async fn get(app: &TestApp, token: &str, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .get(format!("{}{path}", app.api))
        .bearer_auth(token);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.unwrap()
}

async fn the_bundle_has_what_a_door_needs_and_is_not_sent_twice_unchanged(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    let (_, second) = app.book(&now, 2, "group@example.org").await;
    let cancelled = second["booking"]["id"].as_str().unwrap();
    let deleted = app
        .delete_as(&app.organiser_token, &format!("/bookings/{cancelled}"))
        .await;
    assert_eq!(deleted.status(), 200);

    let path = format!("/door/bundle?screening_id={now}");
    let response = get(&app, &app.door_token, &path, None).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bundle: Value = response.json().await.unwrap();
    assert!(!bundle["keys"].as_array().unwrap().is_empty());
    assert_eq!(bundle["keys"][0]["algorithm"], "Ed25519");
    assert_eq!(bundle["screenings"][0]["id"], now.as_str());
    assert_eq!(bundle["screenings"][0]["status"], "scheduled");
    assert!(bundle["screenings"][0]["doors_open_at"].is_string());
    let tickets = bundle["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 3);
    let mine = tickets.iter().find(|t| t["id"] == ticket.as_str()).unwrap();
    assert_eq!(mine["holder_name"], "Ana Nguyen");
    assert_eq!(mine["status"], "valid");
    assert!(mine["admitted_at"].is_null());
    assert!(
        mine.get("email").is_none(),
        "no personal data a door doesn't need"
    );
    assert_eq!(
        tickets
            .iter()
            .filter(|t| t["status"] == "cancelled")
            .count(),
        2
    );

    // Unchanged: 304. After an admission: a new bundle that says so.
    let again = get(&app, &app.door_token, &path, Some(&etag)).await;
    assert_eq!(again.status(), 304);
    assert_eq!(app.scan(&code, &now).await["verdict"], "admitted");
    let changed = get(&app, &app.door_token, &path, Some(&etag)).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    let mine = changed["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == ticket.as_str())
        .unwrap()
        .clone();
    assert!(mine["admitted_at"].is_string());
    assert_eq!(mine["admitted_door"], "Door A");

    // A venue's door: the screenings of the day around now.
    let venue = get(
        &app,
        &app.door_token,
        &format!("/door/bundle?venue_id={}", f.venue_id),
        None,
    )
    .await;
    assert_eq!(venue.status(), 200);
    let venue: Value = venue.json().await.unwrap();
    assert!(
        venue["screenings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == now.as_str())
    );

    // Roles and scopes.
    let (status, _) = app.get_as("", &path).await;
    assert_eq!(status, 401);
    let elsewhere = app
        .create(
            "/venues",
            json!({"name": "Le Champo", "city": "Paris", "timezone": "Europe/Paris",
                   "rooms": [{"name": "Salle 1", "seats": 120}]}),
        )
        .await;
    let scoped = {
        let mut conn = app.pool.get().unwrap();
        let venue = elsewhere["id"]
            .as_str()
            .unwrap()
            .parse::<marquee::domain::VenueId>()
            .unwrap();
        marquee::staff::create(
            &mut conn,
            "Champo door",
            marquee::domain::Role::Door,
            None,
            Some(venue),
        )
        .unwrap()
        .1
    };
    assert_eq!(get(&app, &scoped, &path, None).await.status(), 403);
    let other_venue = format!("/door/bundle?venue_id={}", f.venue_id);
    assert_eq!(get(&app, &scoped, &other_venue, None).await.status(), 403);
    let (status, body) = app.get_as(&app.door_token, "/door/bundle").await;
    assert_eq!(status, 422, "{body}");
}

/// A second door device's credential ("Door B").
/// A device offline turned a ticket's holder away (its list did not have the ticket yet: booked
/// after the device last synced). The upload records the refusal and admits no one: the ticket is
/// unused, and the holder, back at a door online, is let in.
async fn someone_a_device_turned_away_offline_is_not_admitted_by_the_upload(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    let mut turned_away = scan(&code, &now, "Door A", "away-1", 30, false);
    turned_away["offline_verdict"] = json!("unknown");
    let (status, synced) = sync(&app, &app.door_token, &[turned_away]).await;
    assert_eq!(status, 200, "{synced}");
    let result = &synced["results"][0];
    assert_eq!(
        (&result["verdict"], &result["conflict"]),
        (&json!("unknown"), &json!(false)),
        "{result}"
    );
    assert_eq!(admission(&app, &ticket), (None, None));
    let (_, arrivals) = app
        .get_as(&app.organiser_token, &format!("/screenings/{now}/arrivals"))
        .await;
    assert_eq!(arrivals["admitted"], 0, "{arrivals}");
    // Back online, the holder is let in.
    assert_eq!(app.scan(&code, &now).await["verdict"], "admitted");
    assert_eq!(admission(&app, &ticket).0.as_deref(), Some("Door A"));
}

fn second_door(app: &TestApp) -> String {
    let mut conn = app.pool.get().unwrap();
    marquee::staff::create(
        &mut conn,
        "Door B device",
        marquee::domain::Role::Door,
        None,
        None,
    )
    .unwrap()
    .1
}

/// Where and when a ticket is recorded as admitted.
fn admission(app: &TestApp, ticket: &str) -> (Option<String>, Option<chrono::NaiveDateTime>) {
    use diesel::prelude::*;
    use marquee::db::schema::tickets;
    tickets::table
        .find(ticket)
        .select((tickets::admitted_door, tickets::admitted_at))
        .first(&mut app.pool.get().unwrap())
        .unwrap()
}

fn scan(
    code: &str,
    screening: &str,
    door: &str,
    nonce: &str,
    seconds_ago: i64,
    admitted: bool,
) -> Value {
    let at = chrono::Utc::now() - chrono::Duration::seconds(seconds_ago);
    json!({"code": code, "screening_id": screening, "door": door, "nonce": nonce,
           "scanned_at": at.to_rfc3339(),
           "offline_verdict": if admitted { "admitted" } else { "already_admitted" }})
}

async fn sync(app: &TestApp, token: &str, scans: &[Value]) -> (u16, Value) {
    let response = app
        .post_as(token, "/scans/sync", &json!({"scans": scans}))
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn offline_scans_sync_in_order_once_and_conflicts_are_kept(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (t1, c1, _) = app.ticket(&now).await;
    let (_, c2, _) = app.ticket(&now).await;
    let (t3, c3, token3) = app.ticket(&now).await;
    // The third is cancelled by its holder after the device took its bundle.
    let booking3: Value = {
        let id: String = {
            use diesel::prelude::*;
            use marquee::db::schema::tickets;
            let mut conn = app.pool.get().unwrap();
            tickets::table
                .find(&t3)
                .select(tickets::booking_id)
                .first(&mut conn)
                .unwrap()
        };
        let r = app
            .client
            .delete(format!("{}/bookings/{id}", app.api))
            .bearer_auth(&token3)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    };
    assert_eq!(booking3["booking"]["status"], "cancelled");
    let forged = {
        let mut bytes = c2.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    let door_b = {
        let mut conn = app.pool.get().unwrap();
        marquee::staff::create(
            &mut conn,
            "Door B device",
            marquee::domain::Role::Door,
            None,
            None,
        )
        .unwrap()
        .1
    };

    // Door A was offline: it admitted t1 (50 s ago) and t2 (40 s ago); it sends them out of order.
    let a = [
        scan(&c2, &now, "Door A", "a-2", 40, true),
        scan(&c1, &now, "Door A", "a-1", 50, true),
    ];
    let (status, first) = sync(&app, &app.door_token, &a).await;
    assert_eq!(status, 200, "{first}");
    let results = first["results"].as_array().unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| r["nonce"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["a-1", "a-2"],
        "applied in scanned_at order"
    );
    assert!(
        results
            .iter()
            .all(|r| r["verdict"] == "admitted" && r["conflict"] == false)
    );
    let (_, arrivals) = app
        .get_as(&app.organiser_token, &format!("/screenings/{now}/arrivals"))
        .await;
    assert_eq!(arrivals["admitted"], 2);
    // The admission keeps the time the person stood at the door, not the upload's.
    let stored = {
        use diesel::prelude::*;
        use marquee::db::schema::tickets;
        let mut conn = app.pool.get().unwrap();
        tickets::table
            .find(&t1)
            .select(tickets::admitted_at)
            .first::<Option<chrono::NaiveDateTime>>(&mut conn)
            .unwrap()
            .unwrap()
    };
    let age = chrono::Utc::now().naive_utc() - stored;
    assert!(
        age >= chrono::Duration::seconds(45),
        "admitted at the scan's time: {age}"
    );

    // The same batch again (a retry after a lost answer): the same answers, nothing new.
    let scans_before = app.count(&format!(
        "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{now}'"
    ));
    let (_, again) = sync(&app, &app.door_token, &a).await;
    for (x, y) in results.iter().zip(again["results"].as_array().unwrap()) {
        assert_eq!(
            (&x["scan_id"], &x["verdict"]),
            (&y["scan_id"], &y["verdict"])
        );
        assert_eq!(y["replayed"], true);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{now}'"
        )),
        scans_before
    );

    // Door B, also offline, admitted t1 too (45 s ago), the cancelled t3 and a forged code.
    let b = [
        scan(&c1, &now, "Door B", "b-1", 45, true),
        scan(&c3, &now, "Door B", "b-3", 30, true),
        scan(&forged, &now, "Door B", "b-forged", 20, true),
        scan(&c2, &now, "Door B", "b-2", 10, false),
    ];
    let (status, second) = sync(&app, &door_b, &b).await;
    assert_eq!(status, 200, "{second}");
    let r = second["results"].as_array().unwrap();
    assert_eq!(
        (&r[0]["verdict"], &r[0]["conflict"]),
        (&json!("already_admitted"), &json!(true))
    );
    assert_eq!(r[0]["first_admitted_door"], "Door A");
    assert!(r[0]["message"].as_str().unwrap().contains("Door B"));
    assert_eq!(
        (&r[1]["verdict"], &r[1]["conflict"]),
        (&json!("cancelled"), &json!(true))
    );
    assert_eq!(
        (&r[2]["verdict"], &r[2]["conflict"]),
        (&json!("invalid"), &json!(true))
    );
    // Refused offline and refused here: no conflict.
    assert_eq!(
        (&r[3]["verdict"], &r[3]["conflict"]),
        (&json!("already_admitted"), &json!(false))
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets WHERE screening_id = '{now}' AND admitted_at IS NOT NULL"
        )),
        2,
        "t1 once, t2 once; the cancelled and the forged never"
    );

    // Organisers see the conflicts, with both doors and times, and in the report.
    let (status, conflicts) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/conflicts", f.festival_id),
        )
        .await;
    assert_eq!(status, 200);
    let conflicts = conflicts.as_array().unwrap();
    assert_eq!(conflicts.len(), 3);
    let double = conflicts
        .iter()
        .find(|c| c["verdict"] == "already_admitted")
        .unwrap();
    assert_eq!(double["door"], "Door B");
    assert_eq!(double["first_admitted_door"], "Door A");
    assert!(double["scanned_at"].is_string() && double["first_admitted_at"].is_string());
    assert!(
        double["message"].as_str().unwrap().contains("Door A"),
        "{double}"
    );
    // Uploaded by English-speaking doors, explained to each reader in their own language.
    let french: Value = app
        .client
        .get(format!("{}/festivals/{}/conflicts", app.api, f.festival_id))
        .bearer_auth(&app.organiser_token)
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages: Vec<&str> = french
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Billet déjà utilisé") && m.contains("(Door A)")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("annulé")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("pas un vrai billet")),
        "{messages:?}"
    );
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(report["totals"]["conflicts"], 3);
    assert_eq!(report["totals"]["admitted"], 2);
    let (status, _) = app
        .get_as(
            &app.door_token,
            &format!("/festivals/{}/conflicts", f.festival_id),
        )
        .await;
    assert_eq!(status, 403, "organisers only");

    // The log's chains and the counters still check out.
    let mut conn = app.pool.get().unwrap();
    assert!(
        marquee::door::chain::verify(&mut conn, None)
            .unwrap()
            .problems
            .is_empty()
    );
    assert!(
        marquee::reports::consistency::check(&mut conn, None)
            .unwrap()
            .is_consistent()
    );

    // A device clock far off is refused, naming the scan.
    let (status, body) = sync(
        &app,
        &app.door_token,
        &[scan(&c1, &now, "Door A", "a-old", 30 * 86_400, true)],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "scans[0].scanned_at");
}
