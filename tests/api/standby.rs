//! The standby line at the door: numbers handed out in order, admitted only after the release
//! time and only into seats nobody holds, never more people than seats while ticket holders keep
//! arriving; counted apart in the report.

use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(
    standby_admissions_never_exceed_the_free_seats_as_holders_keep_arriving,
    standby_waits_for_its_release_and_is_called_in_order,
);

/// A screening of `capacity` seats starting in 20 minutes (doors open), with `tickets` booked;
/// returns its id and the tickets' codes.
async fn full_room(app: &TestApp, capacity: i64, tickets: usize) -> (String, String, Vec<String>) {
    let f = app.fixture().await;
    let id = crate::waitlist::screening_of(app, &f, capacity, chrono::Duration::minutes(20)).await;
    let mut codes = Vec::new();
    for _ in 0..tickets {
        codes.push(app.ticket(&id).await.1);
    }
    (f.festival_id, id, codes)
}

async fn standby(app: &TestApp, token: &str, id: &str, what: &str, body: Value) -> (u16, Value) {
    let response = app
        .post_as(token, &format!("/screenings/{id}/standby{what}"), &body)
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn set_release(app: &TestApp, id: &str, minutes: Option<i64>, keep: i64) -> Value {
    let response = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{id}/standby"),
            &json!({"release_minutes_before_start": minutes, "keep_for_late": keep}),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn standby_admissions_never_exceed_the_free_seats_as_holders_keep_arriving(app: TestApp) {
    let (festival, id, codes) = full_room(&app, 8, 8).await;
    // Two holders are in when standby opens (released: 30 minutes before a start 20 minutes away).
    for code in &codes[..2] {
        assert_eq!(app.scan(code, &id).await["verdict"], "admitted");
    }
    let line = set_release(&app, &id, Some(30), 1).await;
    assert_eq!(line["released"], true);
    // 8 seats − 2 admitted − 1 kept for late holders.
    assert_eq!(line["seats_for_standby"], 5);
    let token = app.door_token.clone();
    for _ in 0..10 {
        let (status, _) = standby(&app, &token, &id, "/numbers", json!({})).await;
        assert_eq!(status, 201);
    }

    // Ten standby admissions and the six late holders, all at once.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (client, url, token) = (
            app.client.clone(),
            format!("{}/screenings/{id}/standby/admit", app.api),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"door": "Door S"}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            (
                status,
                body["error"].as_str().unwrap_or("admitted").to_owned(),
            )
        }));
    }
    for code in codes.into_iter().skip(2) {
        let (client, api, token, id) = (
            app.client.clone(),
            app.api.clone(),
            token.clone(),
            id.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("{api}/scans"))
                .bearer_auth(token)
                .json(&json!({"code": code, "screening_id": id, "door": "Door A",
                              "nonce": uuid::Uuid::new_v4().to_string()}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            (
                status,
                body["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        }));
    }
    let mut standby_in = 0;
    let mut holders_in = 2;
    for task in tasks {
        match task.await.unwrap() {
            (200, what) if what == "admitted" => {}
            (status, what) => assert!(
                (status == 409 && what == "no_seats") || (status == 200 && what == "room_full"),
                "{status} {what}"
            ),
        }
    }
    let (_, line) = app
        .get_as(&token, &format!("/screenings/{id}/standby"))
        .await;
    standby_in += line["standby_admitted"].as_i64().unwrap();
    holders_in += line["admitted"].as_i64().unwrap() - 2;
    assert!(
        standby_in <= 5,
        "{standby_in} standby admitted for 5 free seats"
    );
    assert!(
        standby_in + holders_in <= 8,
        "{holders_in} holders and {standby_in} standby in 8 seats"
    );
    assert_eq!(
        standby_in + holders_in,
        8,
        "every seat is used when people keep coming"
    );
    let admitted_numbers = app.count(&format!(
        "SELECT COUNT(*) AS n FROM standby_numbers WHERE screening_id = '{id}' AND status = 'admitted'"
    ));
    assert_eq!(admitted_numbers, standby_in);
    // The lowest numbers went in.
    let highest = app.count(&format!(
        "SELECT CAST(COALESCE(MAX(number), 0) AS BIGINT) AS n FROM standby_numbers \
         WHERE screening_id = '{id}' AND status = 'admitted'"
    ));
    assert_eq!(highest, standby_in);

    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/report"),
        )
        .await;
    assert_eq!(report["totals"]["standby_admitted"], standby_in);
    let (_, checked) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/consistency"),
        )
        .await;
    assert_eq!(checked["problems"], json!([]), "{checked}");
    assert_eq!(report["totals"]["admitted"], holders_in);
}

async fn standby_waits_for_its_release_and_is_called_in_order(app: TestApp) {
    let (_, id, _) = full_room(&app, 3, 3).await;
    let token = app.door_token.clone();
    let door = json!({"door": "Door S"});
    // No standby line yet.
    let (status, body) = standby(&app, &token, &id, "/numbers", json!({})).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("standby_off")));
    // Released 10 minutes before a start 20 minutes away: numbers now, admissions later.
    let line = set_release(&app, &id, Some(10), 0).await;
    assert_eq!(line["released"], false);
    assert!(line["release_local_time"].is_string());
    let (status, first) = standby(&app, &token, &id, "/numbers", json!({})).await;
    assert_eq!((status, first["number"].as_i64()), (201, Some(1)));
    let (_, second) = standby(&app, &token, &id, "/numbers", json!({})).await;
    assert_eq!(second["number"], 2);
    let (status, body) = standby(&app, &token, &id, "/admit", door.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("standby_not_released"))
    );
    // Released, but every holder may still come: the seats are theirs until they are in.
    set_release(&app, &id, Some(30), 0).await;
    let (status, called) = standby(&app, &token, &id, "/skip", door.clone()).await;
    assert_eq!((status, called["number"].as_i64()), (200, Some(1)));
    assert_eq!(called["standby"]["next_number"], 2);
    // A door calls a number in or passes it over: nothing else.
    let (status, body) = standby(&app, &token, &id, "/wave", door.clone()).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (_, line) = app
        .get_as(&token, &format!("/screenings/{id}/standby"))
        .await;
    assert_eq!(line["next_number"], 2, "nothing was called: {line}");
    // Organisers only set the line; bad settings are refused by name.
    let bad = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{id}/standby"),
            &json!({"release_minutes_before_start": 30, "keep_for_late": 99}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["field"], "keep_for_late");
    let door_staff = app
        .patch_as(
            &app.door_token,
            &format!("/screenings/{id}/standby"),
            &json!({"release_minutes_before_start": 30}),
        )
        .await;
    assert_eq!(door_staff.status(), 403);
}
