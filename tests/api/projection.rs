//! The attendance projection: people are counted from the scan log off the scan's path, and
//! every report is exact at the moment it is read — what is projected plus the entries not
//! applied yet — whether the projector is far behind (paused) or racing a rush.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reports_count_people_the_projection_has_not_applied_yet() {
    paused(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_reports_count_people_the_projection_has_not_applied_yet() {
    paused(Backend::Postgres).await;
}

on_both_backends!(
    every_recount_during_a_rush_matches_the_report,
    one_new_person_booking_twice_at_once_through_two_instances_is_one_person,
);

/// The id of the screening's last admission in the scan log.
fn last_admission(app: &TestApp, screening: &str) -> String {
    use diesel::prelude::*;
    use marquee::db::schema::scans;
    let mut conn = app.pool.get().unwrap();
    scans::table
        .filter(scans::screening_id.eq(screening))
        .filter(scans::verdict.eq("admitted"))
        .order(scans::seq.desc())
        .select(scans::id)
        .first(&mut conn)
        .unwrap()
}

async fn report_totals(app: &TestApp, festival: &str) -> Value {
    let (status, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/report"),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    json!({"totals": report["totals"], "by_country": report["by_country"]})
}

async fn recount_is_clean(app: &TestApp, festival: &str) {
    let (_, counters) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/consistency"),
        )
        .await;
    assert_eq!(counters["problems"], json!([]), "{counters}");
}

async fn book_as(
    app: &TestApp,
    screening: &str,
    email: &str,
    country: &str,
    seats: i64,
) -> Vec<String> {
    let response = app
        .client
        .post(format!("{}/screenings/{screening}/bookings", app.api))
        .json(&json!({"name": "Guest", "email": email, "country": country, "seats": seats}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

/// With the projector paused (it looks once an hour), nothing is projected, yet the report counts
/// every person; once it runs, the rows it writes give the same report.
async fn paused(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |s| {
        s.projection_interval = Duration::from_secs(3600);
    })
    .await
    else {
        return;
    };
    let f = app.fixture().await;
    let tonight = app.screening_starting_in(&f, 20, "Petite").await;
    let ana = book_as(&app, &tonight, "ana@example.org", "VN", 2).await;
    let bao = book_as(&app, &tonight, "bao@example.org", "FR", 1).await;
    let chi = book_as(&app, &tonight, "chi@example.org", "VN", 1).await;
    for code in ana.iter().chain(&bao).chain(&chi) {
        assert_eq!(app.scan(code, &tonight).await["verdict"], "admitted");
    }
    // Chi's admission is undone: she is no longer an attendee.
    let undone = app.scan(&chi[0], &tonight).await;
    assert_eq!(undone["verdict"], "already_admitted");
    let scan_id = last_admission(&app, &tonight);
    let response = app
        .post_as(
            &app.door_token,
            &format!("/scans/{scan_id}/annul"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);

    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM attendees"),
        0,
        "nothing projected yet"
    );
    let before = report_totals(&app, &f.festival_id).await;
    assert_eq!(before["totals"]["admitted"], 3, "{before}");
    assert_eq!(before["totals"]["unique_attendees"], 2, "{before}");
    assert_eq!(before["totals"]["countries"], 2, "{before}");
    recount_is_clean(&app, &f.festival_id).await;

    let applied = {
        let mut conn = app.pool.get().unwrap();
        marquee::db::projection::catch_up(&mut conn).unwrap()
    };
    assert_eq!(applied, 6, "every entry applied once");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM attendees WHERE admitted_tickets > 0"),
        2
    );
    assert_eq!(report_totals(&app, &f.festival_id).await, before);
    recount_is_clean(&app, &f.festival_id).await;
    let again = {
        let mut conn = app.pool.get().unwrap();
        marquee::db::projection::catch_up(&mut conn).unwrap()
    };
    assert_eq!(
        again, 0,
        "restartable from its position: nothing applied twice"
    );
}

/// Four doors admit 120 people (some with two seats) while the projector runs and an organiser
/// keeps recounting from the rows: every recount matches, and the final report counts each
/// person once.
async fn every_recount_during_a_rush_matches_the_report(app: TestApp) {
    let f = app.fixture().await;
    let tonight = app.screening_starting_in(&f, 20, "Grande Salle").await;
    let mut codes = Vec::new();
    for i in 0..60 {
        let country = if i % 3 == 0 { "FR" } else { "VN" };
        codes.extend(
            book_as(
                &app,
                &tonight,
                &format!("p{i}@example.org"),
                country,
                1 + i % 2,
            )
            .await,
        );
    }
    let admitted = codes.len();
    let doors: Vec<_> = codes
        .chunks(codes.len().div_ceil(4))
        .map(|chunk| {
            let (client, api, token, screening) = (
                app.client.clone(),
                app.api.clone(),
                app.door_token.clone(),
                tonight.clone(),
            );
            let chunk = chunk.to_vec();
            tokio::spawn(async move {
                for code in chunk {
                    let response = client
                        .post(format!("{api}/scans"))
                        .bearer_auth(&token)
                        .json(
                            &json!({"code": code, "screening_id": screening, "door": "Door A",
                                      "nonce": uuid::Uuid::now_v7().to_string()}),
                        )
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 200);
                }
            })
        })
        .collect();
    let mut recounts = 0;
    while !doors.iter().all(tokio::task::JoinHandle::is_finished) {
        recount_is_clean(&app, &f.festival_id).await;
        recounts += 1;
    }
    for door in doors {
        door.await.unwrap();
    }
    assert!(recounts > 0);
    recount_is_clean(&app, &f.festival_id).await;
    let totals = report_totals(&app, &f.festival_id).await;
    assert_eq!(totals["totals"]["admitted"], admitted, "{totals}");
    assert_eq!(totals["totals"]["unique_attendees"], 60, "{totals}");
}

/// Twenty new people each book two screenings at the same moment, one through each of two
/// instances: every booking succeeds (a person's row created twice at once is contention, run
/// again, never an error), and each person is one pseudonym, counted once when admitted.
async fn one_new_person_booking_twice_at_once_through_two_instances_is_one_person(app: TestApp) {
    let f = app.fixture().await;
    let tonight = app.screening_starting_in(&f, 20, "Grande Salle").await;
    let later = app.screening_starting_in(&f, 30, "Petite").await;
    let other = app.second_instance();
    let mut attempts = Vec::new();
    for i in 0..20 {
        for (api, screening) in [
            (app.api.clone(), tonight.clone()),
            (other.api.clone(), later.clone()),
        ] {
            let client = app.client.clone();
            attempts.push(tokio::spawn(async move {
                let response = client
                    .post(format!("{api}/screenings/{screening}/bookings"))
                    .json(
                        &json!({"name": "Twice", "email": format!("twice{i}@example.org"),
                                  "country": "VN", "seats": 1}),
                    )
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (status, body)
            }));
        }
    }
    let mut codes = Vec::new();
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        assert_eq!(status, 201, "{body}");
        codes.push((
            body["tickets"][0]["code"].as_str().unwrap().to_owned(),
            body["booking"]["screening_id"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM people"), 20);
    for (code, screening) in &codes {
        assert_eq!(app.scan(code, screening).await["verdict"], "admitted");
    }
    let totals = report_totals(&app, &f.festival_id).await;
    assert_eq!(totals["totals"]["admitted"], 40, "{totals}");
    assert_eq!(totals["totals"]["unique_attendees"], 20, "{totals}");
    recount_is_clean(&app, &f.festival_id).await;
}
