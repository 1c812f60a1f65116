//! The door: every verdict, admit-once under races (one and two instances), nonce replays,
//! undo, roles and scopes, the scan log's chain, live counters, server-side decoding.

use std::process::Command;

use diesel::connection::SimpleConnection;
use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, new_browser, read_until};

on_both_backends!(
    each_verdict_says_exactly_why,
    thirty_two_doors_scanning_one_ticket_admit_it_exactly_once,
    two_server_instances_on_one_database_admit_a_ticket_exactly_once,
    a_retried_scan_with_the_same_nonce_gets_its_original_verdict,
    a_nonce_reused_for_another_code_or_target_is_refused_and_admits_nothing,
    a_door_can_undo_its_last_admission_within_two_minutes,
    door_staff_scan_but_cannot_write_or_verify_and_anonymous_cannot_scan,
    door_staff_limited_to_a_venue_cannot_scan_elsewhere,
    a_venue_door_admits_for_whatever_screening_is_open,
    a_venue_door_follows_a_screening_moved_a_moment_ago,
    the_chain_check_detects_an_edited_and_a_deleted_scan,
    the_live_counter_streams_an_update_after_an_admission,
    the_server_decodes_a_camera_frame_to_the_ticket_code,
    malformed_scan_requests_are_refused_with_a_message,
    a_festival_door_at_a_shared_venue_does_not_admit_another_festivals_ticket,
    an_admission_cannot_be_undone_once_its_booking_is_cancelled,
);

async fn each_verdict_says_exactly_why(app: TestApp) {
    let f = app.fixture().await; // its screening is tomorrow: doors not open
    let now = app.screening_starting_in(&f, 30, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;

    let first = app.scan(&code, &now).await;
    assert_eq!(first["verdict"], "admitted");
    assert_eq!(first["ticket"]["id"], ticket.as_str());
    assert_eq!(first["ticket"]["holder_name"], "Ana Nguyen");
    assert_eq!(first["ticket"]["category"], "public");
    assert_eq!(first["screening"]["film"], "Red Rain");
    assert!(
        first["screening"]["local_time"]
            .as_str()
            .unwrap()
            .contains(':')
    );
    assert_eq!(
        (first["admitted"].as_i64(), first["capacity"].as_i64()),
        (Some(1), Some(30))
    );
    assert!(
        first["ticket"].get("email").is_none(),
        "the door sees no personal data it doesn't need"
    );

    let again = app.scan(&code, &now).await;
    assert_eq!(again["verdict"], "already_admitted");
    assert_eq!(again["first_admitted_door"], "Door A");
    let first_at = again["first_admitted_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(first_at).is_ok());
    assert!(again["message"].as_str().unwrap().contains("Door A"));
    assert_eq!(again["admitted"], 1, "not counted twice");

    let wrong = app.scan(&code, &f.screening_id).await;
    assert_eq!(wrong["verdict"], "wrong_screening");
    assert_eq!(wrong["ticket_screening"]["id"], now.as_str());

    let (_, early_code, _) = app.ticket(&f.screening_id).await;
    let early = app.scan(&early_code, &f.screening_id).await;
    assert_eq!(early["verdict"], "too_early");
    assert!(early["message"].as_str().unwrap().contains("Doors open at"));

    // Too late: a screening that started two hours ago (doors closed 30 minutes after the start).
    let past = app.screening_starting_in(&f, 10, "Grande Salle").await;
    let (_, late_code, _) = app.ticket(&past).await;
    app.move_screening_start(&past, chrono::Duration::hours(-2));
    let late = app.scan(&late_code, &past).await;
    assert_eq!(late["verdict"], "too_late");
    assert!(
        late["message"]
            .as_str()
            .unwrap()
            .contains("Doors closed at")
    );

    // Cancelled: by its holder...
    let (_, booked) = app.book(&now, 1, "c@example.org").await;
    let cancelled_code = booked["tickets"][0]["code"].as_str().unwrap();
    assert_eq!(app.cancel(&booked).await.status(), 200);
    assert_eq!(app.scan(cancelled_code, &now).await["verdict"], "cancelled");
    // ...or with its screening.
    app.delete_as(
        &app.organiser_token,
        &format!("/screenings/{}", f.screening_id),
    )
    .await;
    assert_eq!(
        app.scan(&early_code, &f.screening_id).await["verdict"],
        "cancelled"
    );

    // Invalid: garbage, and a genuine code with one character changed.
    assert_eq!(app.scan("HELLO WORLD", &now).await["verdict"], "invalid");
    let mut tampered: Vec<char> = code.chars().collect();
    tampered[40] = if tampered[40] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    assert_eq!(app.scan(&tampered, &now).await["verdict"], "invalid");
    // The same ticket and screening, the signature changed: not the code the ticket was issued
    // with (the door compares with the stored code, then checks the signature to say why).
    let mut resigned: Vec<char> = code.chars().collect();
    resigned[120] = if resigned[120] == 'A' { 'B' } else { 'A' };
    let resigned: String = resigned.into_iter().collect();
    let refused = app.scan(&resigned, &now).await;
    assert_eq!(refused["verdict"], "invalid", "{refused}");
    assert!(refused["ticket"].is_null(), "{refused}");

    // Unknown: signed with the real key, but no such ticket.
    let forged_by_insider = {
        let mut conn = app.pool.get().unwrap();
        let keys = marquee::tickets::keys::load_or_create(&mut conn, None).unwrap();
        keys.signer
            .sign(marquee::domain::TicketId::new(), now.parse().unwrap())
    };
    assert_eq!(
        app.scan(&forged_by_insider, &now).await["verdict"],
        "unknown"
    );

    // None of the refusals admitted anyone.
    let s = app.get_json(&format!("/screenings/{now}")).await;
    assert_eq!(
        s["seats_left"], 29,
        "two booked, one of them cancelled: {s}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(admitted AS BIGINT) AS n FROM screenings WHERE id = '{now}'"
        )),
        1
    );
}

/// 32 doors scan one code at once, each through one of `apis` in turn; their verdicts.
async fn race_32_doors(app: &TestApp, apis: &[&str], code: &str, screening: &str) -> Vec<String> {
    let scans = (0..32).map(|door| {
        let api = apis[door % apis.len()].to_owned();
        let body = json!({"code": code, "screening_id": screening, "door": format!("Door {door}"),
                          "nonce": uuid::Uuid::new_v4().to_string()});
        let token = app.door_token.clone();
        tokio::spawn(async move {
            let response = new_browser()
                .post(format!("{api}/scans"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()["verdict"]
                .as_str()
                .unwrap()
                .to_owned()
        })
    });
    join_all(scans)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

fn count_of(verdicts: &[String], verdict: &str) -> usize {
    verdicts.iter().filter(|v| *v == verdict).count()
}

async fn thirty_two_doors_scanning_one_ticket_admit_it_exactly_once(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let verdicts = race_32_doors(&app, &[&app.api], &code, &now).await;
    assert_eq!(count_of(&verdicts, "admitted"), 1, "{verdicts:?}");
    assert_eq!(count_of(&verdicts, "already_admitted"), 31);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(admitted AS BIGINT) AS n FROM screenings WHERE id = '{now}'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{now}'"
        )),
        32
    );
}

async fn two_server_instances_on_one_database_admit_a_ticket_exactly_once(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let other = app.second_instance();
    for round in 0..3 {
        let (_, code, _) = app.ticket(&now).await;
        let verdicts = race_32_doors(&app, &[&app.api, &other.api], &code, &now).await;
        assert_eq!(
            count_of(&verdicts, "admitted"),
            1,
            "round {round}: {verdicts:?}"
        );
    }
    let report: Value = app
        .client
        .get(format!(
            "{}/festivals/{}/scan-log/verify",
            other.api, f.festival_id
        ))
        .bearer_auth(&app.organiser_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        report["problems"],
        json!([]),
        "the chain stays intact across instances"
    );
    assert_eq!(report["entries_checked"], 96);
}

async fn a_retried_scan_with_the_same_nonce_gets_its_original_verdict(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let body = json!({"code": code, "screening_id": now, "door": "Door A", "nonce": "retry-1"});
    let (_, first) = app.scan_at(&app.api, &app.door_token, body.clone()).await;
    assert_eq!(first["verdict"], "admitted");
    // Flaky Wi-Fi: the same request arrives again, several times at once.
    let replays = (0..8).map(|_| app.scan_at(&app.api, &app.door_token, body.clone()));
    for (status, replay) in join_all(replays).await {
        assert_eq!(status, 200);
        assert_eq!(
            replay["verdict"], "admitted",
            "a retry is not 'already admitted'"
        );
        assert_eq!(replay["scan_id"], first["scan_id"]);
        assert_eq!(replay["replayed"], true);
    }
    let fresh = app.scan(&code, &now).await;
    assert_eq!(fresh["verdict"], "already_admitted");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{now}'"
        )),
        2
    );

    // The very first request sent several times at once (they may meet in one writer batch):
    // one scan, one admission, every copy the same answer.
    let (_, other_code, _) = app.ticket(&now).await;
    let body =
        json!({"code": other_code, "screening_id": now, "door": "Door A", "nonce": "retry-2"});
    let copies = (0..8).map(|_| app.scan_at(&app.api, &app.door_token, body.clone()));
    let answers: Vec<Value> = join_all(copies)
        .await
        .into_iter()
        .map(|(status, answer)| {
            assert_eq!(status, 200, "{answer}");
            answer
        })
        .collect();
    assert!(
        answers.iter().all(|a| a["verdict"] == "admitted"),
        "{answers:?}"
    );
    assert!(
        answers
            .iter()
            .all(|a| a["scan_id"] == answers[0]["scan_id"])
    );
    assert_eq!(answers.iter().filter(|a| a["replayed"] == false).count(), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{now}'"
        )),
        3
    );
}

async fn a_nonce_reused_for_another_code_or_target_is_refused_and_admits_nothing(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let (other_ticket, other_code, _) = app.ticket(&now).await;
    let scan = |code: &str, target: Value| {
        let mut body = json!({"code": code, "door": "Door A", "nonce": "n-1"});
        body.as_object_mut()
            .unwrap()
            .extend(target.as_object().unwrap().clone());
        app.scan_at(&app.api, &app.door_token, body)
    };
    let screening = json!({"screening_id": now});
    let (status, first) = scan(&code, screening.clone()).await;
    assert_eq!((status, first["verdict"].as_str()), (200, Some("admitted")));

    let refused = [
        ("another ticket", other_code.clone(), screening.clone()),
        ("garbage", "NOT-A-TICKET".to_owned(), screening.clone()),
        (
            "the same code at a venue door",
            code.clone(),
            json!({"venue_id": f.venue_id}),
        ),
        (
            "the same code for another screening",
            code.clone(),
            json!({"screening_id": f.screening_id}),
        ),
    ];
    for (case, code, target) in refused {
        let (status, body) = scan(&code, target).await;
        assert_eq!(status, 409, "{case}: {body}");
        assert_eq!(body["error"], "nonce_reused", "{case}");
        assert!(
            body["message"].as_str().unwrap().contains("nonce"),
            "{case}: the message names the problem"
        );
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets WHERE id = '{other_ticket}' AND admitted_at IS NOT NULL"
        )),
        0,
        "the other ticket was never admitted"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{now}'"
        )),
        1,
        "refused requests leave nothing in the log"
    );

    // The same scan again (a scanner may add spaces or send lower case): the original answer.
    let spaced = format!(" {} {} ", &code[..10], code[10..].to_lowercase());
    let (status, replay) = scan(&spaced, screening.clone()).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(
        (replay["scan_id"].clone(), replay["replayed"].clone()),
        (first["scan_id"].clone(), json!(true))
    );
    // Nonces are per staff member: the organiser's "n-1" is a new scan.
    let (status, theirs) = app
        .scan_at(
            &app.api,
            &app.organiser_token,
            json!({"code": other_code, "screening_id": now, "door": "Door B", "nonce": "n-1"}),
        )
        .await;
    assert_eq!(
        (status, theirs["verdict"].as_str()),
        (200, Some("admitted"))
    );
}

async fn a_door_can_undo_its_last_admission_within_two_minutes(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    let admitted = app.scan(&code, &now).await;
    let scan_id = admitted["scan_id"].as_str().unwrap();

    // Another staff member may not undo it.
    let annul = |token: String, id: String| {
        let client = app.client.clone();
        let url = format!("{}/scans/{id}/annul", app.api);
        async move {
            let response = client.post(url).bearer_auth(token).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, _) = annul(app.organiser_token.clone(), scan_id.to_owned()).await;
    assert_eq!(status, 403);

    let (status, undone) = annul(app.door_token.clone(), scan_id.to_owned()).await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["verdict"], "annulled");
    assert_eq!(undone["admitted"], 0);
    let (status, twice) = annul(app.door_token.clone(), scan_id.to_owned()).await;
    assert_eq!(
        (status, twice["error"].as_str()),
        (409, Some("already_annulled"))
    );

    // The ticket can be scanned again; this time the undo window passes.
    let readmitted = app.scan(&code, &now).await;
    assert_eq!(readmitted["verdict"], "admitted");
    let id = readmitted["scan_id"].as_str().unwrap();
    app.age_admission(id, &ticket, chrono::Duration::minutes(3));
    let (status, late) = annul(app.door_token.clone(), id.to_owned()).await;
    assert_eq!(
        (status, late["error"].as_str()),
        (409, Some("annul_window_passed"))
    );
    let log = app.count(&format!(
        "SELECT COUNT(*) AS n FROM scans WHERE kind = 'annul' AND screening_id = '{now}'"
    ));
    assert_eq!(log, 1, "the annulment is logged");
}

async fn door_staff_scan_but_cannot_write_or_verify_and_anonymous_cannot_scan(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let body = json!({"code": code, "screening_id": now, "door": "D", "nonce": "n1"});
    let anonymous = app
        .client
        .post(format!("{}/scans", app.api))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let garbage = app
        .client
        .post(format!("{}/scans", app.api))
        .json(&json!({"code": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 401, "auth is checked before the body");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), 0);

    let (status, _) = app.scan_at(&app.api, &app.door_token, body.clone()).await;
    assert_eq!(status, 200);
    let (status, _) = app
        .scan_at(
            &app.api,
            &app.organiser_token,
            json!({"code": code, "screening_id": now, "door": "D", "nonce": "n2"}),
        )
        .await;
    assert_eq!(status, 200, "organisers may scan too");

    let (status, _) = app
        .get_as(
            &app.door_token,
            &format!("/festivals/{}/scan-log/verify", f.festival_id),
        )
        .await;
    assert_eq!(status, 403);
    let write = app.post_as(&app.door_token, "/films", &json!({})).await;
    assert_eq!(write.status(), 403);
}

async fn door_staff_limited_to_a_venue_cannot_scan_elsewhere(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let other_venue = app
        .create(
            "/venues",
            json!({"name": "Forum des Images", "city": "Paris", "timezone": "Europe/Paris",
                   "rooms": [{"name": "Salle 500", "seats": 440}]}),
        )
        .await;
    let scoped = {
        let mut conn = app.pool.get().unwrap();
        let venue: marquee::domain::VenueId = other_venue["id"].as_str().unwrap().parse().unwrap();
        marquee::staff::create(
            &mut conn,
            "Forum door",
            marquee::domain::Role::Door,
            None,
            Some(venue),
        )
        .unwrap()
        .1
    };
    let (_, code, _) = app.ticket(&now).await;
    let (status, body) = app
        .scan_at(
            &app.api,
            &scoped,
            json!({"code": code, "screening_id": now, "door": "D", "nonce": "x"}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = app
        .scan_at(
            &app.api,
            &scoped,
            json!({"code": code, "venue_id": f.venue_id, "door": "D", "nonce": "y"}),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), 0);
}

async fn a_venue_door_admits_for_whatever_screening_is_open(app: TestApp) {
    let f = app.fixture().await; // tomorrow
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let (_, tomorrow_code, _) = app.ticket(&f.screening_id).await;
    let (status, body) = app
        .scan_at(
            &app.api,
            &app.door_token,
            json!({"code": code, "venue_id": f.venue_id, "door": "Foyer", "nonce": "v1"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["verdict"], "admitted");
    assert_eq!(body["screening"]["id"], now.as_str());
    let (_, body) = app
        .scan_at(
            &app.api,
            &app.door_token,
            json!({"code": tomorrow_code, "venue_id": f.venue_id, "door": "Foyer", "nonce": "v2"}),
        )
        .await;
    assert_eq!(
        body["verdict"], "too_early",
        "a ticket for a later screening of this venue"
    );
    let (status, body) = app
        .scan_at(
            &app.api,
            &app.door_token,
            json!({"code": code, "venue_id": uuid::Uuid::now_v7(), "door": "Foyer", "nonce": "v3"}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
}

/// The door reads the catalogue from memory (for a second); a change made through the server is
/// seen by the very next scan.
async fn a_venue_door_follows_a_screening_moved_a_moment_ago(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let later = app.screening_starting_in(&f, 300, "Grande Salle").await;
    let at_venue = |nonce: &str| json!({"code": "HELLO WORLD", "venue_id": f.venue_id, "door": "Foyer", "nonce": nonce});
    let (_, body) = app.scan_at(&app.api, &app.door_token, at_venue("m1")).await;
    assert_eq!(body["screening"]["id"], now.as_str(), "{body}");
    // The organiser swaps them: the later one now, the one on now tonight.
    let starts =
        |minutes: i64| (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339();
    for (id, minutes) in [(&now, 600), (&later, 20)] {
        let r = app
            .patch_as(
                &app.organiser_token,
                &format!("/screenings/{id}"),
                &json!({"starts_at": starts(minutes), "confirm": true}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    let (_, body) = app.scan_at(&app.api, &app.door_token, at_venue("m2")).await;
    assert_eq!(
        body["screening"]["id"],
        later.as_str(),
        "the door admits for the screening open now, not the one it remembered: {body}"
    );
}

fn verify_cli(app: &TestApp) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg("verify-scans")
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

async fn the_chain_check_detects_an_edited_and_a_deleted_scan(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    for _ in 0..3 {
        let (_, code, _) = app.ticket(&now).await;
        app.scan(&code, &now).await;
        app.scan(&code, &now).await;
    }
    app.scan("garbage", &now).await;
    let verify = || async {
        let path = format!("/festivals/{}/scan-log/verify", f.festival_id);
        app.get_as(&app.organiser_token, &path).await.1
    };
    let healthy = verify().await;
    assert_eq!(healthy["problems"], json!([]));
    assert_eq!(healthy["entries_checked"], 7);
    assert!(verify_cli(&app).0);

    let mut conn = app.pool.get().unwrap();
    conn.batch_execute(&format!(
        "UPDATE scans SET verdict = 'admitted' WHERE screening_id = '{now}' AND seq = 2"
    ))
    .unwrap();
    let edited = verify().await;
    let problems = edited["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].as_str().unwrap().contains("entry 2"));
    let (ok, out) = verify_cli(&app);
    assert!(!ok && out.contains("PROBLEM"), "{out}");

    // Put it back, then delete a row in the middle, then the last one.
    conn.batch_execute(&format!(
        "UPDATE scans SET verdict = 'already_admitted' WHERE screening_id = '{now}' AND seq = 2"
    ))
    .unwrap();
    assert_eq!(verify().await["problems"], json!([]));
    conn.batch_execute(&format!(
        "DELETE FROM scans WHERE screening_id = '{now}' AND seq = 4"
    ))
    .unwrap();
    assert!(!verify().await["problems"].as_array().unwrap().is_empty());
    conn.batch_execute(&format!(
        "DELETE FROM scans WHERE screening_id = '{now}' AND seq >= 4"
    ))
    .unwrap();
    let truncated = verify().await;
    assert!(
        truncated["problems"][0]
            .as_str()
            .unwrap()
            .contains("deleted"),
        "{truncated}"
    );
}

async fn the_live_counter_streams_an_update_after_an_admission(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&now).await;
    let anonymous = app
        .client
        .get(format!("{}/screenings/{now}/events", app.api))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let mut stream = app
        .fetch_as(&app.door_token, &format!("/screenings/{now}/events"))
        .await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "\"admitted\":0").await;
    app.scan(&code, &now).await;
    read_until(&mut stream, &mut seen, "\"admitted\":1").await;
    assert!(seen.contains("event: counters"));
}

async fn the_server_decodes_a_camera_frame_to_the_ticket_code(app: TestApp) {
    let f = app.fixture().await;
    let (status, body) = app.book(&f.screening_id, 1, "a@example.org").await;
    assert_eq!(status, 201);
    let png = app
        .client
        .get(body["tickets"][0]["qr_png"].as_str().unwrap())
        .bearer_auth(body["booking"]["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let decode = |bytes: Vec<u8>, token: Option<String>| {
        let mut request = app.client.post(format!("{}/decode", app.api)).body(bytes);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, decoded) = decode(png.to_vec(), Some(app.door_token.clone())).await;
    assert_eq!(status, 200);
    assert_eq!(decoded["code"], body["tickets"][0]["code"]);
    assert_eq!(decode(png.to_vec(), None).await.0, 401);
    assert_eq!(
        decode(b"not an image".to_vec(), Some(app.door_token.clone()))
            .await
            .0,
        400
    );
    let blank = {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image::DynamicImage::new_luma8(64, 64)
            .write_to(&mut bytes, image::ImageFormat::Png)
            .unwrap();
        bytes.into_inner()
    };
    let (status, nothing) = decode(blank, Some(app.door_token.clone())).await;
    assert_eq!((status, nothing["code"].clone()), (200, Value::Null));
}

async fn malformed_scan_requests_are_refused_with_a_message(app: TestApp) {
    let f = app.fixture().await;
    let cases = [
        (
            json!({"code": "x", "door": "D", "nonce": "n"}),
            422,
            "screening_id",
        ),
        (
            json!({"code": "x", "screening_id": f.screening_id, "venue_id": f.venue_id, "door": "D", "nonce": "n"}),
            422,
            "screening_id",
        ),
        (
            json!({"code": "x", "screening_id": "nope", "door": "D", "nonce": "n"}),
            422,
            "screening_id",
        ),
        (
            json!({"code": "x", "screening_id": f.screening_id, "door": "", "nonce": "n"}),
            422,
            "door",
        ),
        (
            json!({"code": "x", "screening_id": f.screening_id, "door": "D", "nonce": ""}),
            422,
            "nonce",
        ),
        (
            json!({"code": "x".repeat(5000), "screening_id": f.screening_id, "door": "D", "nonce": "n"}),
            422,
            "code",
        ),
        (
            json!({"code": 7, "screening_id": f.screening_id, "door": "D", "nonce": "n"}),
            422,
            "code",
        ),
        (
            json!({"code": "x", "screening_id": f.screening_id, "door": "D", "nonce": "n", "scanned_at": "yesterday"}),
            422,
            "scanned_at",
        ),
        (
            json!({"code": "x", "screening_id": uuid::Uuid::now_v7(), "door": "D", "nonce": "n"}),
            404,
            "screening",
        ),
    ];
    for (body, status, field) in cases {
        let (got, answer) = app.scan_at(&app.api, &app.door_token, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(
            answer["message"].as_str().unwrap().contains(field),
            "{answer}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), 0);
}

async fn a_festival_door_at_a_shared_venue_does_not_admit_another_festivals_ticket(app: TestApp) {
    let f = app.fixture().await;
    let ours = app.screening_starting_in(&f, 20, "Petite").await;
    let other_festival = app
        .create(
            "/festivals",
            json!({"slug": "other", "name": "Other", "starts_on": "2030-01-01",
                "ends_on": "2030-01-02", "timezone": "Europe/Paris", "attendance_goal": 1}),
        )
        .await;
    let theirs = app
        .create(
            "/screenings",
            json!({"festival_id": other_festival["id"], "venue_id": f.venue_id,
                "film_id": f.film_id, "room": "Grande Salle",
                "starts_at": (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339()}),
        )
        .await;
    let scoped = {
        let mut conn = app.pool.get().unwrap();
        let festival: marquee::domain::FestivalId = f.festival_id.parse().unwrap();
        marquee::staff::create(
            &mut conn,
            "Our door",
            marquee::domain::Role::Door,
            Some(festival),
            None,
        )
        .unwrap()
        .1
    };
    let (_, their_code, _) = app.ticket(theirs["id"].as_str().unwrap()).await;
    let (status, answer) = app
        .scan_at(
            &app.api,
            &scoped,
            json!({"code": their_code, "venue_id": f.venue_id, "door": "D", "nonce": "x1"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["verdict"], "wrong_screening", "{answer}");
    assert_eq!(answer["screening"]["id"], ours.as_str());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM tickets WHERE admitted_at IS NOT NULL"),
        0
    );
}

async fn an_admission_cannot_be_undone_once_its_booking_is_cancelled(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, booked) = app.book(&now, 2, "pair@example.org").await;
    let admitted = app
        .scan(booked["tickets"][0]["code"].as_str().unwrap(), &now)
        .await;
    assert_eq!(admitted["verdict"], "admitted");
    // The holder cancels (the unused seat is freed); then the door tries to undo the admission.
    let cancel = |client: reqwest::Client| {
        let url = format!(
            "{}/bookings/{}",
            app.api,
            booked["booking"]["id"].as_str().unwrap()
        );
        let token = booked["booking"]["manage_token"]
            .as_str()
            .unwrap()
            .to_owned();
        async move {
            client
                .delete(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Two cancels at once (a double click): both succeed, the seat is freed once.
    let (a, b) = tokio::join!(cancel(new_browser()), cancel(new_browser()));
    assert_eq!((a.as_u16(), b.as_u16()), (200, 200));
    assert_eq!(
        app.get_json(&format!("/screenings/{now}")).await["seats_left"],
        29
    );
    let undo = app
        .client
        .post(format!(
            "{}/scans/{}/annul",
            app.api,
            admitted["scan_id"].as_str().unwrap()
        ))
        .bearer_auth(&app.door_token)
        .send()
        .await
        .unwrap();
    assert_eq!(undo.status(), 409);
    assert_eq!(
        undo.json::<Value>().await.unwrap()["error"],
        "booking_cancelled"
    );
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/consistency", f.festival_id),
        )
        .await;
    assert_eq!(report["problems"], json!([]));
}

/// The same race with one transaction per request (`MARQUEE_GROUP_COMMIT=off`).
async fn one_ticket_at_thirty_two_doors_without_group_commit(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::spawn_app_with(backend, |s| s.group_commit = false).await
    else {
        return;
    };
    thirty_two_doors_scanning_one_ticket_admit_it_exactly_once(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_one_ticket_at_thirty_two_doors_without_group_commit() {
    one_ticket_at_thirty_two_doors_without_group_commit(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_one_ticket_at_thirty_two_doors_without_group_commit() {
    one_ticket_at_thirty_two_doors_without_group_commit(crate::helpers::Backend::Postgres).await;
}
