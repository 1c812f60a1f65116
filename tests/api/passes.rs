//! Festival passes: types and passes made by organisers, seats reserved by holders under the
//! pass's rules and the room's capacity, and the door admitting a pass once per screening —
//! reserved, or as a walk-in while seats are left — or saying exactly why not.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, csrf_of, get_page, new_browser, post_form};

on_both_backends!(
    a_pass_reserves_a_seat_and_is_admitted_once_at_the_door,
    a_pass_and_its_reservations_are_its_holders_and_the_organisers_only,
    each_rule_of_a_reservation_is_refused_by_name_and_changes_nothing,
    a_reservation_given_back_frees_its_seat,
    the_door_says_why_a_pass_is_not_admitted,
    a_walk_in_takes_a_seat_left_and_is_recorded_as_a_reservation,
    a_revoked_pass_is_refused_at_once_and_its_seats_go_back,
    bad_pass_types_and_passes_are_refused_with_the_field_named,
    sixty_four_holders_racing_for_the_last_seats_never_oversell,
    one_pass_reserving_two_overlapping_screenings_on_two_instances_gets_one,
    a_walk_in_and_a_booking_racing_for_the_last_seat_never_both_get_it,
    a_guest_list_is_imported_all_or_nothing_and_again_changes_nothing,
    a_holders_pass_is_in_their_data_and_erased_with_it,
    an_unused_reservation_is_released_before_the_start_and_counts_as_a_no_show,
    the_holder_reserves_and_gives_back_seats_on_the_pass_page,
    organisers_run_passes_from_their_page,
    a_cancelled_screening_frees_the_pass_and_a_started_one_keeps_its_seat,
    a_holder_reserves_on_a_phone_in_chromium,
    a_person_who_cancels_their_upcoming_bookings_on_erasure_loses_their_pass,
    a_doors_list_carries_passes_and_offline_pass_scans_sync_under_the_same_rules,
    a_door_admits_passes_offline_in_chromium_and_the_server_agrees,
    seats_kept_for_pass_holders_are_not_the_publics_and_a_released_one_is,
    a_pass_types_name_is_read_in_each_language,
    a_holders_photo_is_kept_small_shown_where_it_should_and_erased_with_them,
    what_a_door_decided_offline_stands_when_the_pass_changed_before_the_upload,
    an_organiser_changes_a_pass_type_and_it_rules_from_then_on,
);

/// Creates a pass type for the fixture's festival (the defaults, changed by `extra`).
async fn pass_type(app: &TestApp, f: &Fixture, name: &str, extra: Value) -> Value {
    let mut body = json!({"name": name, "category": "press"});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.create(&format!("/festivals/{}/pass-types", f.festival_id), body)
        .await
}

/// Issues a pass of `kind` to `email`; returns the pass (with its code and manage token).
async fn issue(app: &TestApp, f: &Fixture, kind: &Value, email: &str) -> Value {
    let created = app
        .create(
            &format!("/festivals/{}/passes", f.festival_id),
            json!({"pass_type_id": kind["id"], "name": "Trần Minh Khoa", "email": email,
                   "organisation": "Cahiers du cinéma", "country": "VN"}),
        )
        .await;
    created["pass"].clone()
}

/// Reserves as the pass's holder; returns the status and body.
async fn reserve(app: &TestApp, pass: &Value, screening: &str) -> (u16, Value) {
    reserve_at(app, &app.api, pass, screening).await
}

async fn reserve_at(app: &TestApp, api: &str, pass: &Value, screening: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!(
            "{api}/passes/{}/reservations",
            pass["id"].as_str().unwrap()
        ))
        .bearer_auth(pass["manage_token"].as_str().unwrap())
        .json(&json!({"screening_id": screening}))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The pass as its holder sees it.
async fn pass_of(app: &TestApp, pass: &Value) -> Value {
    let (status, body) = app
        .get_as(
            pass["manage_token"].as_str().unwrap(),
            &format!("/passes/{}", pass["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["pass"].clone()
}

fn seats_left(app: &TestApp, screening: &str) -> i64 {
    app.count(&format!(
        "SELECT CAST(capacity - booked AS BIGINT) AS n FROM screenings WHERE id = '{screening}'"
    ))
}

/// A screening of the fixture's film, `capacity` seats, starting in `minutes`.
async fn screening(app: &TestApp, f: &Fixture, capacity: i64, minutes: i64) -> String {
    crate::waitlist::screening_of(app, f, capacity, chrono::Duration::minutes(minutes)).await
}

async fn a_pass_reserves_a_seat_and_is_admitted_once_at_the_door(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    assert_eq!(
        (
            kind["category"].as_str(),
            kind["release_minutes"].as_i64(),
            kind["walk_in"].as_bool()
        ),
        (Some("press"), Some(10), Some(false))
    );
    let pass = issue(&app, &f, &kind, "khoa@example.org").await;
    let code = pass["code"].as_str().unwrap();
    assert!(code.starts_with('P') && code.len() == 159, "{code}");
    assert_eq!(pass["category"], "press");
    let id = screening(&app, &f, 30, 20).await;
    let (status, body) = reserve(&app, &pass, &id).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["reservation"]["status"], "reserved");
    assert_eq!(body["reservation"]["screening_id"], id.as_str());
    assert_eq!(seats_left(&app, &id), 29, "the seat is taken from the room");
    let shown = pass_of(&app, &pass).await;
    assert_eq!(shown["reservations"][0]["screening_id"], id.as_str());
    assert_eq!(shown["reservations"][0]["admitted_at"], Value::Null);

    let nonce = uuid::Uuid::new_v4().to_string();
    let body = json!({"code": code, "screening_id": id, "door": "Press door", "nonce": nonce});
    let (status, admitted) = app.scan_at(&app.api, &app.door_token, body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(admitted["verdict"], "admitted", "{admitted}");
    assert_eq!(admitted["pass"]["holder_name"], "Trần Minh Khoa");
    assert_eq!(admitted["pass"]["category"], "press");
    assert_eq!(admitted["ticket"]["category"], "pass");
    assert_eq!(admitted["admitted"], 1);
    // The same request again: the same answer, nothing more admitted.
    let (_, replayed) = app.scan_at(&app.api, &app.door_token, body).await;
    assert_eq!(
        (
            &replayed["verdict"],
            &replayed["replayed"],
            &replayed["scan_id"]
        ),
        (&json!("admitted"), &json!(true), &admitted["scan_id"])
    );
    assert_eq!(replayed["pass"]["holder_name"], "Trần Minh Khoa");
    // Another scan of the pass: once per screening.
    let again = app.scan(code, &id).await;
    assert_eq!(again["verdict"], "already_admitted", "{again}");
    assert_eq!(again["first_admitted_door"], "Press door");
    assert_eq!(again["admitted"], 1);
    let shown = pass_of(&app, &pass).await;
    assert!(shown["reservations"][0]["admitted_at"].is_string());
    // The scan log keeps the pass's code as read, in the screening's chain.
    let (status, chain) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/scan-log/verify", f.festival_id),
        )
        .await;
    assert_eq!((status, &chain["problems"]), (200, &json!([])), "{chain}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE scanned = '{code}'"
        )),
        2
    );
    // Reports count the pass's admission.
    app.project();
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(report["totals"]["admitted"], 1, "{report}");
    assert_eq!(
        report["by_pass_category"],
        json!([{"category": "press", "holders": 1, "reservations": 1, "admitted": 1}])
    );
    assert_eq!(report["by_pass_type"][0]["name"], "Press");
    assert_eq!(report["by_pass_type"][0]["walk_ins"], 0);
    assert_eq!(report["by_category"][0]["category"], "pass");
    let response = app
        .fetch_as(
            &app.organiser_token,
            &format!("/festivals/{}/report/pass_types.csv", f.festival_id),
        )
        .await;
    assert_eq!(response.status(), 200);
    let csv = response.text().await.unwrap();
    assert!(
        csv.contains(
            "pass_type_id,name,category,holders,revoked,reservations,admitted,walk_ins,no_shows"
        ) && csv.contains(",Press,press,1,0,1,1,0,0"),
        "{csv}"
    );
}

async fn a_pass_and_its_reservations_are_its_holders_and_the_organisers_only(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Jury", json!({"category": "jury"})).await;
    let pass = issue(&app, &f, &kind, "jury@example.org").await;
    let other = issue(&app, &f, &kind, "other@example.org").await;
    let path = format!("/passes/{}", pass["id"].as_str().unwrap());
    assert_eq!(pass_of(&app, &pass).await["holder_name"], "Trần Minh Khoa");
    let (status, body) = app.get_as(&app.organiser_token, &path).await;
    assert_eq!((status, &body["pass"]["category"]), (200, &json!("jury")));
    // Another pass's token, a door's credential, no credential: nothing to see.
    for token in [
        other["manage_token"].as_str().unwrap(),
        &app.door_token,
        "nonsense",
    ] {
        let (status, _) = app.get_as(token, &path).await;
        assert_eq!(status, 404, "{token}");
    }
    assert_eq!(app.get(&path).await.status(), 401);
    let (status, _) = reserve(&app, &other, &f.screening_id).await;
    assert_eq!(status, 201);
    let response = app
        .client
        .post(format!("{}{path}/reservations", app.api))
        .bearer_auth(other["manage_token"].as_str().unwrap())
        .json(&json!({"screening_id": f.screening_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        404,
        "another pass's token reserves nothing"
    );
    // The organiser's list, and its search.
    let (status, list) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/passes?q=JURY@", f.festival_id),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["passes"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list["passes"][0]["id"], pass["id"]);
    let (status, _) = app
        .get_as(
            &app.door_token,
            &format!("/festivals/{}/passes", f.festival_id),
        )
        .await;
    assert_eq!(status, 403, "door staff do not list passes");
    let (status, types) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/pass-types", f.festival_id),
        )
        .await;
    assert_eq!(
        (status, &types["pass_types"][0]["name"]),
        (200, &json!("Jury"))
    );
}

async fn each_rule_of_a_reservation_is_refused_by_name_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(
        &app,
        &f,
        "Industry",
        json!({"category": "industry",
        "max_reservations": 2}),
    )
    .await;
    let pass = issue(&app, &f, &kind, "pro@example.org").await;
    let first = screening(&app, &f, 30, 24 * 60).await;
    let (status, _) = reserve(&app, &pass, &first).await;
    assert_eq!(status, 201);
    let refused = |expected: &'static str| {
        move |(status, body): (u16, Value)| {
            assert_eq!(
                (status, body["error"].as_str()),
                (409, Some(expected)),
                "{body}"
            );
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    };
    refused("already_reserved")(reserve(&app, &pass, &first).await);
    // Another screening at the same time, in the other room.
    let same_time = app
        .create(
            "/screenings",
            json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                   "room": "Grande Salle", "confirm": true,
                   "starts_at": app.get_json(&format!("/screenings/{first}")).await["starts_at"]}),
        )
        .await;
    refused("overlaps")(reserve(&app, &pass, same_time["id"].as_str().unwrap()).await);
    // The last seat of a full room.
    let full = screening(&app, &f, 1, 3 * 24 * 60).await;
    let (status, _) = app.book(&full, 1, "someone@example.org").await;
    assert_eq!(status, 201);
    refused("sold_out")(reserve(&app, &pass, &full).await);
    let second = screening(&app, &f, 30, 4 * 24 * 60).await;
    let (status, _) = reserve(&app, &pass, &second).await;
    assert_eq!(status, 201);
    let third = screening(&app, &f, 30, 5 * 24 * 60).await;
    refused("quota_reached")(reserve(&app, &pass, &third).await);
    // A type for one venue only, the fixture's not being it.
    let elsewhere = app
        .create(
            "/venues",
            json!({"name": "Le Champo", "city": "Paris", "address": "51 rue des Écoles",
                   "timezone": "Europe/Paris", "rooms": [{"name": "Salle 1", "seats": 120}]}),
        )
        .await;
    let narrow = pass_type(&app, &f, "Champo", json!({"venue_ids": [elsewhere["id"]]})).await;
    let narrow_pass = issue(&app, &f, &narrow, "champo@example.org").await;
    refused("not_valid_for_screening")(reserve(&app, &narrow_pass, &third).await);
    // A screening that started.
    let started = screening(&app, &f, 30, 60).await;
    app.move_screening_start(&started, chrono::Duration::minutes(-90));
    let fresh = issue(&app, &f, &kind, "late@example.org").await;
    refused("booking_closed")(reserve(&app, &fresh, &started).await);
    // None of the refusals took a seat.
    assert_eq!(seats_left(&app, &third), 30);
    assert_eq!(seats_left(&app, same_time["id"].as_str().unwrap()), 100);
    assert_eq!(seats_left(&app, &full), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM reservations"),
        2,
        "only the two reservations made"
    );
    let (status, body) = reserve(&app, &pass, "not-an-id").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_input")),
        "{body}"
    );
    let (status, _) = reserve(&app, &pass, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, 404);
}

async fn a_reservation_given_back_frees_its_seat(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Guests", json!({"category": "guest"})).await;
    let pass = issue(&app, &f, &kind, "guest@example.org").await;
    let id = screening(&app, &f, 1, 24 * 60).await;
    let (status, _) = reserve(&app, &pass, &id).await;
    assert_eq!(status, 201);
    assert_eq!(seats_left(&app, &id), 0);
    let path = format!("/passes/{}/reservations/{id}", pass["id"].as_str().unwrap());
    let response = app
        .delete_as(pass["manage_token"].as_str().unwrap(), &path)
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(seats_left(&app, &id), 1, "the seat is free again");
    assert_eq!(
        pass_of(&app, &pass).await["reservations"][0]["status"],
        "cancelled"
    );
    let response = app.delete_as(&app.organiser_token, &path).await;
    assert_eq!(response.status(), 404, "nothing left to give back");
    // Reserved again, by an organiser this time.
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/passes/{}/reservations", pass["id"].as_str().unwrap()),
            &json!({"screening_id": id}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(seats_left(&app, &id), 0);
}

async fn the_door_says_why_a_pass_is_not_admitted(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    let pass = issue(&app, &f, &kind, "press@example.org").await;
    let code = pass["code"].as_str().unwrap();
    let id = screening(&app, &f, 30, 20).await;
    let refused = app.scan(code, &id).await;
    assert_eq!(refused["verdict"], "no_reservation", "{refused}");
    assert_eq!(refused["pass"]["holder_name"], "Trần Minh Khoa");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("no seat"))
    );
    assert_eq!(seats_left(&app, &id), 30, "no walk-in for this type");
    // A type limited to another film.
    let other_film = app
        .create(
            "/films",
            json!({"title": "Tro tàn rực rỡ", "original_title": "Tro tàn rực rỡ",
                   "director": "Bùi Thạc Chuyên", "year": 2022, "runtime_minutes": 110, "country": "VN"}),
        )
        .await;
    let narrow = pass_type(
        &app,
        &f,
        "One film",
        json!({"film_ids": [other_film["id"]]}),
    )
    .await;
    let narrow_pass = issue(&app, &f, &narrow, "film@example.org").await;
    let answer = app.scan(narrow_pass["code"].as_str().unwrap(), &id).await;
    assert_eq!(answer["verdict"], "not_valid_for_screening", "{answer}");
    // A forged pass: a genuine code with its signature altered.
    let mut forged: Vec<char> = code.chars().collect();
    let last = forged.len() - 10;
    forged[last] = if forged[last] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    let answer = app.scan(&forged, &id).await;
    assert_eq!(answer["verdict"], "invalid", "{answer}");
    assert_eq!(answer.get("pass"), None, "a forged pass names nobody");
    // The first characters of a pass only: a read cut short.
    let answer = app.scan(&code[..60], &id).await;
    assert_eq!(answer["verdict"], "invalid");
}

async fn a_walk_in_takes_a_seat_left_and_is_recorded_as_a_reservation(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(
        &app,
        &f,
        "Jury",
        json!({"category": "jury", "walk_in": true}),
    )
    .await;
    let pass = issue(&app, &f, &kind, "jury@example.org").await;
    let late = issue(&app, &f, &kind, "late-jury@example.org").await;
    let id = screening(&app, &f, 1, 20).await;
    let admitted = app.scan(pass["code"].as_str().unwrap(), &id).await;
    assert_eq!(admitted["verdict"], "admitted", "{admitted}");
    assert_eq!(seats_left(&app, &id), 0);
    let shown = pass_of(&app, &pass).await;
    assert_eq!(shown["reservations"][0]["walk_in"], true);
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    let line = &report["by_pass_type"][0];
    assert_eq!(
        (
            &line["holders"],
            &line["reservations"],
            &line["admitted"],
            &line["walk_ins"]
        ),
        (&json!(2), &json!(1), &json!(1), &json!(1)),
        "{report}"
    );
    assert!(shown["reservations"][0]["admitted_at"].is_string());
    let again = app.scan(pass["code"].as_str().unwrap(), &id).await;
    assert_eq!(again["verdict"], "already_admitted");
    // No seat left: no walk-in.
    let full = app.scan(late["code"].as_str().unwrap(), &id).await;
    assert_eq!(full["verdict"], "no_reservation", "{full}");
    // Doors not open yet (a screening in two days): no walk-in either, and no seat taken.
    let later = screening(&app, &f, 30, 2 * 24 * 60).await;
    let early = app.scan(late["code"].as_str().unwrap(), &later).await;
    assert_eq!(early["verdict"], "no_reservation");
    assert_eq!(seats_left(&app, &later), 30);
}

async fn a_revoked_pass_is_refused_at_once_and_its_seats_go_back(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Audience", json!({"category": "audience"})).await;
    let pass = issue(&app, &f, &kind, "fan@example.org").await;
    let soon = screening(&app, &f, 30, 20).await;
    let later = screening(&app, &f, 30, 24 * 60).await;
    for id in [&soon, &later] {
        assert_eq!(reserve(&app, &pass, id).await.0, 201);
    }
    let path = format!("/passes/{}", pass["id"].as_str().unwrap());
    let response = app.delete_as(&app.door_token, &path).await;
    assert_eq!(response.status(), 403, "door staff revoke nothing");
    let response = app.delete_as(&app.organiser_token, &path).await;
    assert_eq!(response.status(), 200);
    let revoked: Value = response.json().await.unwrap();
    assert_eq!(revoked["pass"]["status"], "revoked");
    let answer = app.scan(pass["code"].as_str().unwrap(), &soon).await;
    assert_eq!(answer["verdict"], "cancelled", "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("revoked"))
    );
    assert_eq!(
        (seats_left(&app, &soon), seats_left(&app, &later)),
        (30, 30)
    );
    let (status, body) = reserve(&app, &pass, &later).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("revoked")));
    let response = app.delete_as(&app.organiser_token, &path).await;
    assert_eq!(response.status(), 200, "revoking twice changes nothing");
}

async fn bad_pass_types_and_passes_are_refused_with_the_field_named(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/festivals/{}/pass-types", f.festival_id);
    let cases = [
        (json!({"name": "VIP", "category": "vip"}), "category"),
        (json!({"name": "", "category": "press"}), "name"),
        (
            json!({"name": "P", "category": "press", "max_per_day": -1}),
            "max_per_day",
        ),
        (
            json!({"name": "P", "category": "press", "release_minutes": 5000}),
            "release_minutes",
        ),
        (
            json!({"name": "P", "category": "press", "film_ids": ["nope"]}),
            "film_ids",
        ),
        (
            json!({"name": "P", "category": "press", "film_ids": [uuid::Uuid::new_v4()]}),
            "film_ids",
        ),
        (
            json!({"name": "P", "category": "press", "valid_from": "2030-12-10",
                "valid_until": "2030-12-09"}),
            "valid_until",
        ),
    ];
    for (body, field) in cases {
        let response = app.post_as(&app.organiser_token, &path, &body).await;
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["field"], field, "{answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let response = app
        .post_as(
            &app.door_token,
            &path,
            &json!({"name": "P", "category": "press"}),
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/pass-types", uuid::Uuid::new_v4()),
            &json!({"name": "P", "category": "press"}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    let response = app
        .post_as(
            &app.organiser_token,
            &path,
            &json!({"name": "Press", "category": "jury"}),
        )
        .await;
    assert_eq!(response.status(), 409, "one name per festival");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM pass_types"), 1);
    let passes = format!("/festivals/{}/passes", f.festival_id);
    let bad = [
        json!({"pass_type_id": uuid::Uuid::new_v4(), "name": "A", "email": "a@example.org"}),
        json!({"pass_type_id": kind["id"], "name": "A", "email": "not an address"}),
        json!({"pass_type_id": kind["id"], "name": "A", "email": "a@example.org", "country": "XX"}),
        json!({"pass_type_id": kind["id"], "name": "", "email": "a@example.org"}),
    ];
    for body in bad {
        let response = app.post_as(&app.organiser_token, &passes, &body).await;
        assert_eq!(response.status(), 422, "{body}");
    }
    issue(&app, &f, &kind, "a@example.org").await;
    let response = app
        .post_as(
            &app.organiser_token,
            &passes,
            &json!({"pass_type_id": kind["id"], "name": "A", "email": " A@Example.org "}),
        )
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (409, Some("already_exists"))
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passes"), 1);
}

async fn sixty_four_holders_racing_for_the_last_seats_never_oversell(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Audience", json!({"category": "audience"})).await;
    let id = screening(&app, &f, 10, 24 * 60).await;
    let mut passes = Vec::new();
    for n in 0..64 {
        passes.push(issue(&app, &f, &kind, &format!("holder{n}@example.org")).await);
    }
    let app = std::sync::Arc::new(app);
    let attempts = passes.into_iter().map(|pass| {
        let (app, id) = (app.clone(), id.clone());
        tokio::spawn(async move { reserve(&app, &pass, &id).await })
    });
    let results: Vec<(u16, Value)> = join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    let reserved = results.iter().filter(|(s, _)| *s == 201).count();
    let sold_out = results
        .iter()
        .filter(|(s, b)| *s == 409 && b["error"] == "sold_out")
        .count();
    assert_eq!((reserved, sold_out), (10, 54), "{results:?}");
    assert_eq!(seats_left(&app, &id), 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets WHERE screening_id = '{id}' AND status = 'valid'"
        )),
        10
    );
}

async fn one_pass_reserving_two_overlapping_screenings_on_two_instances_gets_one(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    let second = app.second_instance();
    let mut pairs = Vec::new();
    for day in 1..=6 {
        let a = screening(&app, &f, 30, day * 24 * 60).await;
        let starts = app.get_json(&format!("/screenings/{a}")).await["starts_at"].clone();
        let b = app
            .create(
                "/screenings",
                json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                       "room": "Grande Salle", "starts_at": starts, "confirm": true}),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        pairs.push((a, b));
    }
    let pass = issue(&app, &f, &kind, "twice@example.org").await;
    for (a, b) in &pairs {
        let (one, other) = tokio::join!(
            reserve_at(&app, &app.api, &pass, a),
            reserve_at(&app, &second.api, &pass, b)
        );
        let mut statuses = [one.0, other.0];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "{one:?} {other:?}");
        let refused = if one.0 == 409 { &one.1 } else { &other.1 };
        assert_eq!(refused["error"], "overlaps", "{refused}");
        assert_eq!(seats_left(&app, a) + seats_left(&app, b), 29 + 100);
    }
}

async fn a_walk_in_and_a_booking_racing_for_the_last_seat_never_both_get_it(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(
        &app,
        &f,
        "Jury",
        json!({"category": "jury", "walk_in": true}),
    )
    .await;
    for round in 0..6 {
        let id = screening(&app, &f, 1, 20 + round).await;
        let pass = issue(&app, &f, &kind, &format!("jury{round}@example.org")).await;
        let email = format!("public{round}@example.org");
        let (booked, scanned) = tokio::join!(
            app.book(&id, 1, &email),
            app.try_scan(pass["code"].as_str().unwrap(), &id)
        );
        let walked_in = scanned.1["verdict"] == "admitted";
        assert_eq!(scanned.0, 200);
        assert!(
            (booked.0 == 201) != walked_in,
            "exactly one gets the seat: {booked:?} {scanned:?}"
        );
        assert_eq!(seats_left(&app, &id), 0);
    }
}

/// Posts a CSV list; returns the status and body.
async fn import(
    app: &TestApp,
    f: &Fixture,
    query: &str,
    csv: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let response = app
        .client
        .post(format!(
            "{}/festivals/{}/passes/import{query}",
            app.api, f.festival_id
        ))
        .bearer_auth(&app.organiser_token)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_guest_list_is_imported_all_or_nothing_and_again_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    pass_type(&app, &f, "Press", json!({})).await;
    let jury = pass_type(&app, &f, "Jury", json!({"category": "jury"})).await;
    let good = format!(
        "name,email,pass_type,organisation,country\n\
         Ana Lê,ana@example.org,press,Le Monde,FR\n\
         \"Bảo, Trần\",bao@example.org,{},,VN\n\
         Chi Phạm,chi@example.org,Press,,\n",
        jury["id"].as_str().unwrap()
    );
    let bad = good.replace("chi@example.org,Press", "chi@example.org,VIP")
        + "Dũng,not-an-address,Press,,\n";
    let (status, report) = import(&app, &f, "", bad.clone()).await;
    assert_eq!(status, 422, "{report}");
    let named: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(named, vec![(4, "pass_type"), (5, "email")], "{report}");
    assert_eq!(
        (&report["created"], &report["unchanged"]),
        (&json!(0), &json!(0))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM passes"),
        0,
        "nothing written"
    );
    // A dry run of the bad file says the same, as a 200; of the good one, what it would do.
    let (status, dry) = import(&app, &f, "?dry_run=true", bad).await;
    assert_eq!(
        (status, dry["errors"].as_array().map(Vec::len)),
        (200, Some(2))
    );
    let (status, dry) = import(&app, &f, "?dry_run=true", good.clone()).await;
    assert_eq!(
        (status, &dry["created"], &dry["errors"]),
        (200, &json!(3), &json!([]))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM passes"),
        0,
        "a dry run writes nothing"
    );
    let (status, done) = import(&app, &f, "?dry_run=false", good.clone()).await;
    assert_eq!(
        (status, &done["created"], &done["unchanged"]),
        (200, &json!(3), &json!(0)),
        "{done}"
    );
    let (status, again) = import(&app, &f, "", good).await;
    assert_eq!(
        (status, &again["created"], &again["unchanged"]),
        (200, &json!(0), &json!(3))
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passes"), 3);
    let (_, list) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/passes?q=bảo", f.festival_id),
        )
        .await;
    assert_eq!(list["passes"][0]["category"], "jury", "{list}");
    assert_eq!(list["passes"][0]["holder_name"], "Bảo, Trần");
    // A file that is not a list, a header with a misspelt column, a file far too large.
    let (status, report) = import(&app, &f, "", vec![0xffu8, 0xfe, 0x00, 0x01]).await;
    assert_eq!(
        (status, report["errors"][0]["line"].as_i64()),
        (422, Some(1)),
        "{report}"
    );
    let (status, report) =
        import(&app, &f, "", "name,mail,pass_type\nA,a@example.org,Press\n").await;
    assert_eq!(status, 422);
    assert!(
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["column"] == "mail")
    );
    let huge = "name,email,pass_type\n".to_owned() + &"Ana,ana@example.org,Press\n".repeat(400_000);
    let (status, _) = import(&app, &f, "", huge).await;
    assert_eq!(status, 413);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passes"), 3);
}

async fn a_holders_pass_is_in_their_data_and_erased_with_it(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    let pass = issue(&app, &f, &kind, "Khoa@Example.org").await;
    let id = screening(&app, &f, 30, 20).await;
    assert_eq!(reserve(&app, &pass, &id).await.0, 201);
    assert_eq!(
        app.scan(pass["code"].as_str().unwrap(), &id).await["verdict"],
        "admitted"
    );
    let link = app.data_link("khoa@example.org");
    let data = app.get_json(&format!("/my-data/{link}")).await;
    assert_eq!(data["passes"][0]["name"], "Trần Minh Khoa", "{data}");
    assert_eq!(data["passes"][0]["organisation"], "Cahiers du cinéma");
    assert_eq!(data["passes"][0]["category"], "press");
    assert_eq!(
        data["bookings"].as_array().map(Vec::len),
        Some(1),
        "the pass's seat"
    );
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "khoa@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let erased: Value = response.json().await.unwrap();
    assert_eq!(erased["erased"]["passes"], 1, "{erased}");
    let (_, shown) = app
        .get_as(
            &app.organiser_token,
            &format!("/passes/{}", pass["id"].as_str().unwrap()),
        )
        .await;
    let holder = shown["pass"]["holder_name"].as_str().unwrap();
    assert!(holder.starts_with("erased-"), "{shown}");
    assert_eq!(
        (&shown["pass"]["email"], &shown["pass"]["organisation"]),
        (&json!(""), &json!(""))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM passes WHERE name LIKE '%Khoa%' OR email <> ''"),
        0
    );
    // The pass still opens its door (nobody asked for it to be cancelled); the report is the same.
    let again = app.scan(pass["code"].as_str().unwrap(), &id).await;
    assert_eq!(again["verdict"], "already_admitted");
    assert_eq!(again["pass"]["holder_name"], holder);
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(report["by_pass_category"][0]["admitted"], 1);
}

async fn an_unused_reservation_is_released_before_the_start_and_counts_as_a_no_show(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(
        &app,
        &f,
        "Audience",
        json!({"category": "audience",
        "release_minutes": 30, "no_show_limit": 1}),
    )
    .await;
    let pass = issue(&app, &f, &kind, "fan@example.org").await;
    let used = issue(&app, &f, &kind, "there@example.org").await;
    // Starts in 40 minutes: released 30 minutes before, in 10 minutes. Moved closer once reserved.
    let id = screening(&app, &f, 2, 40).await;
    for holder in [&pass, &used] {
        assert_eq!(reserve(&app, holder, &id).await.0, 201);
    }
    assert_eq!(
        app.scan(used["code"].as_str().unwrap(), &id).await["verdict"],
        "admitted"
    );
    // Someone waits for a seat.
    let (status, _) = app.book(&id, 1, "public@example.org").await;
    assert_eq!(status, 409, "sold out to the public");
    let (status, _) = crate::waitlist::join(&app, &id, 1, "waiting@example.org").await;
    assert_eq!(status, 201);
    app.move_screening_start(&id, chrono::Duration::minutes(-15));
    // The sweeper (every second in tests) gives the unused seat back; the used one stays.
    let mut status = Value::Null;
    for _ in 0..100 {
        status = pass_of(&app, &pass).await["reservations"][0]["status"].clone();
        if status == "released" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "released");
    assert_eq!(
        pass_of(&app, &used).await["reservations"][0]["status"],
        "reserved"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM waitlist_entries WHERE screening_id = '{id}' AND status = 'offered'"
        )),
        1,
        "the freed seat is offered to the waiting list"
    );
    let refused = app.scan(pass["code"].as_str().unwrap(), &id).await;
    assert_eq!(refused["verdict"], "no_reservation");
    // A no-show: with the type's limit of one, no new reservation for a day.
    let tomorrow = screening(&app, &f, 30, 2 * 24 * 60).await;
    let (status, body) = reserve(&app, &pass, &tomorrow).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("quota_reached")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("missed")),
        "{body}"
    );
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(report["by_pass_type"][0]["no_shows"], 1, "{report}");
}

async fn the_holder_reserves_and_gives_back_seats_on_the_pass_page(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    let pass = issue(&app, &f, &kind, "press@example.org").await;
    let full = screening(&app, &f, 1, 2 * 24 * 60).await;
    assert_eq!(app.book(&full, 1, "someone@example.org").await.0, 201);
    let page_url = pass["manage_url"].as_str().unwrap().to_owned();
    assert!(page_url.contains("/pass/"), "{page_url}");
    let browser = new_browser();
    let (status, page) = get_page(&browser, &page_url).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Trần Minh Khoa") && page.contains("Cahiers du cinéma"),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{}\"", f.screening_id)),
        "the fixture's screening to reserve"
    );
    let csrf = csrf_of(&page);
    let (status, _) = post_form(
        &browser,
        &format!("{page_url}/reserve"),
        &[("csrf", &csrf), ("screening_id", &f.screening_id)],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = get_page(&browser, &format!("{page_url}?reserved=1")).await;
    assert!(page.contains("Reserved: your seat is held"), "{page}");
    assert_eq!(
        pass_of(&app, &pass).await["reservations"][0]["status"],
        "reserved"
    );
    // Sold out: the page says so, with the pass's other choices still there.
    let (status, page) = post_form(
        &browser,
        &format!("{page_url}/reserve"),
        &[("csrf", &csrf), ("screening_id", &full)],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        page.contains("sold out") && page.contains("role=\"alert\""),
        "{page}"
    );
    // Given back.
    let (status, _) = post_form(
        &browser,
        &format!("{page_url}/cancel"),
        &[("csrf", &csrf), ("screening_id", &f.screening_id)],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        pass_of(&app, &pass).await["reservations"][0]["status"],
        "cancelled"
    );
    // A form without its CSRF field, or from a link that opens nothing, changes nothing.
    let (status, _) = post_form(
        &browser,
        &format!("{page_url}/reserve"),
        &[("screening_id", &f.screening_id)],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = get_page(&browser, &format!("{}/pass/not-a-token", app.address)).await;
    assert_eq!(status, 404);
    assert_eq!(seats_left(&app, &f.screening_id), 30);
    // In French, at a phone's width the page has the same content (the words translated).
    let (_, page) = get_page(&browser, &format!("{page_url}?lang=fr")).await;
    assert!(page.contains("Réserver une place"), "{page}");
    // Revoked: the page says so, and offers nothing to reserve.
    app.delete_as(
        &app.organiser_token,
        &format!("/passes/{}", pass["id"].as_str().unwrap()),
    )
    .await;
    let (_, page) = get_page(&browser, &format!("{page_url}?lang=en")).await;
    assert!(
        page.contains("revoked") && !page.contains("/reserve"),
        "{page}"
    );
}

async fn organisers_run_passes_from_their_page(app: TestApp) {
    let f = app.fixture().await;
    let page = format!("{}/admin/festivals/{}/passes", app.address, f.festival_id);
    let (door, _) = app.sign_in(&app.door_token).await;
    assert_eq!(
        get_page(&door, &page).await.0,
        403,
        "door staff do not run passes"
    );
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let (status, html) = get_page(&browser, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("No pass type yet"), "{html}");
    // A type refused (a limit that is not a number), then made.
    let types = format!(
        "{}/admin/festivals/{}/pass-types",
        app.address, f.festival_id
    );
    let (status, html) = post_form(
        &browser,
        &types,
        &[
            ("csrf", &csrf),
            ("name", "Press"),
            ("category", "press"),
            ("max_per_day", "two"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("id=\"max_per_day-error\"") && html.contains("value=\"Press\""),
        "{html}"
    );
    let (status, _) = post_form(
        &browser,
        &types,
        &[
            ("csrf", &csrf),
            ("name", "Press"),
            ("name_fr", "Presse"),
            ("name_vi", ""),
            ("category", "press"),
            ("max_per_day", "2"),
            ("walk_in", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, list) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/pass-types", f.festival_id),
        )
        .await;
    let kind = &list["pass_types"][0];
    assert_eq!(
        (&kind["max_per_day"], &kind["walk_in"], &kind["names"]),
        (&json!(2), &json!(true), &json!({"fr": "Presse"}))
    );
    // One pass, issued from the form.
    let passes = format!("{}/admin/festivals/{}/passes", app.address, f.festival_id);
    let (status, _) = post_form(
        &browser,
        &passes,
        &[
            ("csrf", &csrf),
            ("pass_type_id", kind["id"].as_str().unwrap()),
            ("name", "Lê Thu Hà"),
            ("email", "ha@example.org"),
            ("organisation", "VTV"),
            ("country", "VN"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    // A list: checked with a problem, then right, then imported, then imported again.
    let import = format!("{passes}/import");
    let bad = "name,email,pass_type\nAna,ana@example.org,Press\nBảo,bao@example.org,VIP\n";
    let (status, html) = post_form(
        &browser,
        &import,
        &[("csrf", &csrf), ("csv", bad), ("action", "import")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("<td>3</td><td>pass_type</td>"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM passes"),
        1,
        "nothing written"
    );
    let good = "name,email,pass_type\nAna,ana@example.org,Press\nBảo,bao@example.org,press\n";
    let (status, html) = post_form(
        &browser,
        &import,
        &[("csrf", &csrf), ("csv", good), ("action", "check")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Passes to issue: 2; there already: 0"),
        "{html}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM passes"),
        1,
        "a check writes nothing"
    );
    let (_, html) = post_form(
        &browser,
        &import,
        &[("csrf", &csrf), ("csv", good), ("action", "import")],
    )
    .await;
    assert!(
        html.contains("Passes issued and mailed: 2; there already: 0"),
        "{html}"
    );
    let (_, html) = post_form(
        &browser,
        &import,
        &[("csrf", &csrf), ("csv", good), ("action", "import")],
    )
    .await;
    assert!(
        html.contains("Passes issued and mailed: 0; there already: 2"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passes"), 3);
    // Found, sent again, revoked (only once confirmed).
    let (_, html) = get_page(&browser, &format!("{page}?q=vtv")).await;
    assert!(
        html.contains("Lê Thu Hà") && !html.contains("bao@example.org"),
        "{html}"
    );
    let (_, found) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/passes?q=ha@", f.festival_id),
        )
        .await;
    let id = found["passes"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = post_form(
        &browser,
        &format!("{}/admin/passes/{id}/resend", app.address),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(status, 303);
    let revoke = format!("{}/admin/passes/{id}/revoke", app.address);
    let (status, _) = post_form(&browser, &revoke, &[("csrf", &csrf)]).await;
    assert_eq!(status, 422, "not confirmed");
    let (status, _) = post_form(&browser, &revoke, &[("csrf", &csrf), ("confirm", "1")]).await;
    assert_eq!(status, 303);
    let (_, shown) = app
        .get_as(&app.organiser_token, &format!("/passes/{id}"))
        .await;
    assert_eq!(shown["pass"]["status"], "revoked");
}

async fn a_cancelled_screening_frees_the_pass_and_a_started_one_keeps_its_seat(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(
        &app,
        &f,
        "Guests",
        json!({"category": "guest", "max_reservations": 1}),
    )
    .await;
    let pass = issue(&app, &f, &kind, "guest@example.org").await;
    let first = screening(&app, &f, 30, 24 * 60).await;
    let second = screening(&app, &f, 30, 2 * 24 * 60).await;
    assert_eq!(reserve(&app, &pass, &first).await.0, 201);
    let (status, body) = reserve(&app, &pass, &second).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("quota_reached"))
    );
    // The organisers cancel the first screening: its seat no longer counts against the pass.
    let response = app
        .delete_as(&app.organiser_token, &format!("/screenings/{first}"))
        .await;
    assert_eq!(response.status(), 200);
    let (status, body) = reserve(&app, &pass, &second).await;
    assert_eq!(status, 201, "{body}");
    // Once a screening has started, its seat is not given back (a no-show is one).
    app.move_screening_start(
        &second,
        chrono::Duration::days(-2) - chrono::Duration::minutes(5),
    );
    let response = app
        .delete_as(
            pass["manage_token"].as_str().unwrap(),
            &format!(
                "/passes/{}/reservations/{second}",
                pass["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "booking_closed", "{body}");
    // A festival with pass types and no screening is in use too: it cannot be deleted.
    let bare = app
        .create(
            "/festivals",
            json!({"slug": "bare", "name": "Bare", "starts_on": "2030-12-06",
                   "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 10}),
        )
        .await;
    let bare_id = bare["id"].as_str().unwrap();
    app.create(
        &format!("/festivals/{bare_id}/pass-types"),
        json!({"name": "Jury", "category": "jury"}),
    )
    .await;
    let response = app
        .delete_as(&app.organiser_token, &format!("/festivals/{bare_id}"))
        .await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "in_use", "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains("pass")),
        "{body}"
    );
}

async fn a_holder_reserves_on_a_phone_in_chromium(app: TestApp) {
    let Some(browser) = crate::browser::Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Festival pass", json!({"category": "audience"})).await;
    let pass = issue(&app, &f, &kind, "fan@example.org").await;
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
    browser.goto(pass["manage_url"].as_str().unwrap()).await;
    browser.find(".pass-badge .qr svg").await;
    browser.click("form[action$='/reserve'] button").await;
    browser
        .wait_for_text("main", "Reserved: your seat is held")
        .await;
    assert_eq!(
        pass_of(&app, &pass).await["reservations"][0]["status"],
        "reserved"
    );
    let width = browser
        .eval("return document.documentElement.scrollWidth;", json!([]))
        .await;
    assert!(
        width.as_i64().unwrap() <= 390,
        "the page is {width} px wide"
    );
    browser.click("form[action$='/cancel'] button").await;
    browser
        .wait_for_text("main", "Your seat was given back")
        .await;
    assert_eq!(seats_left(&app, &f.screening_id), 30);
}

async fn a_person_who_cancels_their_upcoming_bookings_on_erasure_loses_their_pass(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({})).await;
    let pass = issue(&app, &f, &kind, "gone@example.org").await;
    let later = screening(&app, &f, 30, 24 * 60).await;
    assert_eq!(reserve(&app, &pass, &later).await.0, 201);
    assert_eq!(seats_left(&app, &later), 29);
    let link = app.data_link("gone@example.org");
    let response = app
        .client
        .delete(format!("{}/my-data/{link}?cancel_upcoming=true", app.api))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, shown) = app
        .get_as(
            &app.organiser_token,
            &format!("/passes/{}", pass["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(shown["pass"]["status"], "revoked", "{shown}");
    assert_eq!(shown["pass"]["reservations"][0]["status"], "cancelled");
    assert_eq!(seats_left(&app, &later), 30, "the seat is given back");
    // Its manage token opens nothing any more; nobody is left to mail it to.
    let (status, _) = app
        .get_as(
            pass["manage_token"].as_str().unwrap(),
            &format!("/passes/{}", pass["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 404);
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/passes/{}/resend", pass["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 409);
}

/// The door's list (bundle) for one screening, as a door device fetches it.
async fn bundle(app: &TestApp, screening: &str) -> Value {
    let (status, body) = app
        .get_as(
            &app.door_token,
            &format!("/door/bundle?screening_id={screening}"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The pass with this id in a door's list.
fn listed<'a>(bundle: &'a Value, pass: &Value) -> &'a Value {
    bundle["passes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pass["id"])
        .unwrap_or_else(|| panic!("{} not in the list", pass["id"]))
}

/// A scan a door decided offline `seconds_ago`, as it uploads it.
fn offline_scan(
    code: &Value,
    screening: &str,
    nonce: &str,
    seconds_ago: i64,
    verdict: &str,
) -> Value {
    let at = chrono::Utc::now() - chrono::Duration::seconds(seconds_ago);
    json!({"code": code, "screening_id": screening, "door": "Side door", "nonce": nonce,
           "scanned_at": at.to_rfc3339(), "offline_verdict": verdict})
}

async fn a_doors_list_carries_passes_and_offline_pass_scans_sync_under_the_same_rules(
    app: TestApp,
) {
    let f = app.fixture().await;
    let press = pass_type(&app, &f, "Press", json!({})).await;
    let jury = pass_type(
        &app,
        &f,
        "Jury",
        json!({"category": "jury", "walk_in": true, "max_reservations": 3, "max_per_day": 2}),
    )
    .await;
    let later_days = pass_type(
        &app,
        &f,
        "Industry, later days",
        json!({"category": "industry", "walk_in": true,
               "valid_from": (chrono::Utc::now() + chrono::Duration::days(10)).date_naive()}),
    )
    .await;
    let id = screening(&app, &f, 3, 20).await;
    let reserved = issue(&app, &f, &press, "press@example.org").await;
    assert_eq!(reserve(&app, &reserved, &id).await.0, 201);
    let walker = issue(&app, &f, &jury, "jury@example.org").await;
    let turned_away = issue(&app, &f, &jury, "jury-2@example.org").await;
    let revoked = issue(&app, &f, &press, "revoked@example.org").await;
    assert_eq!(reserve(&app, &revoked, &id).await.0, 201);
    let press_only = issue(&app, &f, &press, "no-seat@example.org").await;

    // The list a door takes before the network goes: every pass of the festival, whose it is
    // (never an address), what it opens, where it holds a seat and where it may walk in.
    let list = bundle(&app, &id).await;
    assert!(
        !list.to_string().contains("@example.org"),
        "no address in a door's list"
    );
    let entry = listed(&list, &reserved);
    assert_eq!(
        (
            &entry["status"],
            &entry["category"],
            &entry["holder_name"],
            &entry["pass_type"]
        ),
        (
            &json!("active"),
            &json!("press"),
            &json!("Trần Minh Khoa"),
            &json!("Press")
        )
    );
    assert_eq!(entry["opens"], json!([id]));
    assert_eq!(entry["walk_in"], json!([]), "press passes do not walk in");
    let seat = &entry["reservations"][0];
    assert_eq!(seat["screening_id"], id.as_str());
    let ticket = list["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == seat["ticket_id"])
        .expect("the reservation's ticket is in the list");
    assert_eq!(
        (&ticket["category"], &ticket["status"]),
        (&json!("pass"), &json!("valid"))
    );
    assert_eq!(listed(&list, &walker)["walk_in"], json!([id]));
    assert_eq!(listed(&list, &walker)["reservations"], json!([]));
    // Its limits as they stand, for a device to count its own walk-ins against.
    let day = &list["screenings"][0]["starts_at"].as_str().unwrap()[..10];
    assert_eq!(
        (
            &listed(&list, &walker)["walk_ins_left"],
            &listed(&list, &walker)["max_per_day"],
            &listed(&list, &walker)["held_by_day"]
        ),
        (&json!(3), &json!(2), &json!({ day: 0 }))
    );
    assert_eq!(listed(&list, &press_only)["walk_in"], json!([]));
    let other = issue(&app, &f, &later_days, "industry@example.org").await;
    let list = bundle(&app, &id).await;
    assert_eq!(
        (
            &listed(&list, &other)["opens"],
            &listed(&list, &other)["walk_in"],
            &listed(&list, &other)["holder_name"]
        ),
        (&json!([]), &json!([]), &json!("")),
        "a pass for later days opens nothing today, and the door needs no name for it"
    );
    // Revoked after the device took its list.
    let response = app
        .delete_as(
            &app.organiser_token,
            &format!("/passes/{}", revoked["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(response.status(), 200);

    // Back online, the device uploads what it decided.
    let scans = [
        offline_scan(&reserved["code"], &id, "p-1", 60, "admitted"),
        offline_scan(&walker["code"], &id, "p-2", 50, "admitted"),
        offline_scan(&turned_away["code"], &id, "p-3", 45, "no_reservation"),
        // Scanned after the revocation (the device's list was older).
        offline_scan(&revoked["code"], &id, "p-4", 0, "admitted"),
        offline_scan(&press_only["code"], &id, "p-5", 30, "no_reservation"),
        offline_scan(&reserved["code"], &id, "p-6", 20, "already_admitted"),
    ];
    let response = app
        .post_as(&app.door_token, "/scans/sync", &json!({"scans": scans}))
        .await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    let results: Vec<(&str, &str, bool, &str)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["nonce"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["conflict"].as_bool().unwrap(),
                r["pass"]["category"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("p-1", "admitted", false, "press"),
            // A walk-in the device seated: its seat taken when it happened.
            ("p-2", "admitted", false, "jury"),
            // A holder the device turned away took no seat, though walk-ins are allowed.
            ("p-3", "no_reservation", false, "jury"),
            ("p-5", "no_reservation", false, "press"),
            ("p-6", "already_admitted", false, "press"),
            // Revoked before the device let them in: a conflict for organisers to see.
            ("p-4", "cancelled", true, "press"),
        ],
        "{answer}"
    );
    // The walk-in is a reservation made at the door, admitted when the device scanned it.
    let shown = pass_of(&app, &walker).await;
    assert_eq!(shown["reservations"][0]["walk_in"], true);
    let admitted_at = chrono::DateTime::parse_from_rfc3339(
        shown["reservations"][0]["admitted_at"].as_str().unwrap(),
    )
    .unwrap();
    let age = chrono::Utc::now() - admitted_at.with_timezone(&chrono::Utc);
    assert!(age >= chrono::Duration::seconds(45), "admitted {age} ago");
    assert_eq!(pass_of(&app, &turned_away).await["reservations"], json!([]));
    // Seats: the reserved pass's and the walk-in's (the revoked pass's went back).
    assert_eq!(seats_left(&app, &id), 1);
    let (_, conflicts) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/conflicts", f.festival_id),
        )
        .await;
    assert_eq!(conflicts.as_array().map(Vec::len), Some(1), "{conflicts}");
    // The same upload again: the same answers, nothing more taken or admitted.
    let response = app
        .post_as(&app.door_token, "/scans/sync", &json!({"scans": scans}))
        .await;
    let again: Value = response.json().await.unwrap();
    assert!(
        again["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["replayed"] == true)
    );
    assert_eq!(seats_left(&app, &id), 1);
    // The next list shows the admissions, and the walk-in's seat as the pass's reservation.
    let list = bundle(&app, &id).await;
    let walked = &listed(&list, &walker)["reservations"][0];
    let ticket = list["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == walked["ticket_id"])
        .unwrap();
    assert!(ticket["admitted_at"].is_string(), "{ticket}");
    assert_eq!(listed(&list, &revoked)["status"], "revoked");
}

async fn a_door_admits_passes_offline_in_chromium_and_the_server_agrees(app: TestApp) {
    let Some(browser) = crate::browser::Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let press = pass_type(&app, &f, "Press", json!({})).await;
    let jury = pass_type(
        &app,
        &f,
        "Jury",
        json!({"category": "jury", "walk_in": true}),
    )
    .await;
    // Two seats: the press pass's reservation, and one left for a walk-in.
    let id = screening(&app, &f, 2, 20).await;
    let reserved = issue(&app, &f, &press, "press@example.org").await;
    assert_eq!(reserve(&app, &reserved, &id).await.0, 201);
    let walker = issue(&app, &f, &jury, "jury@example.org").await;
    let late = issue(&app, &f, &jury, "late-jury@example.org").await;
    let no_seat = issue(&app, &f, &press, "no-seat@example.org").await;
    let code = |pass: &Value| pass["code"].as_str().unwrap().to_owned();

    crate::browser::open_door_for_offline(&browser, &app, &id, "Door A").await;
    browser.set_offline(true).await;
    browser.wait_for_text("#sync-status", "Offline").await;
    // The pass's signature is checked on the device, and its reservation found in the list.
    crate::browser::scan_sees(&browser, &code(&reserved), "Admitted").await;
    browser.wait_for_text("#verdict .mode", "OFFLINE").await;
    let shown = browser.text("#verdict").await;
    assert!(
        shown.contains("Trần Minh Khoa") && shown.contains("Cahiers du cinéma"),
        "{shown}"
    );
    crate::browser::scan_sees(&browser, &code(&reserved), "Already admitted").await;
    // A jury pass walks in while a seat is left; the next finds none.
    crate::browser::scan_sees(&browser, &code(&walker), "Admitted").await;
    browser.wait_for_text("#admitted", "2").await;
    crate::browser::scan_sees(&browser, &code(&late), "No reservation").await;
    crate::browser::scan_sees(&browser, &code(&no_seat), "No reservation").await;
    // A pass's code with its signature changed is refused on the device too.
    let mut forged = code(&reserved).into_bytes();
    forged[120] = if forged[120] == b'A' { b'B' } else { b'A' };
    crate::browser::scan_sees(
        &browser,
        &String::from_utf8(forged).unwrap(),
        "Invalid code",
    )
    .await;
    browser
        .wait_for_text("#sync-status", "6 scans wait to upload")
        .await;
    assert_eq!(seats_left(&app, &id), 1, "nothing reached the server");

    // Back online: the server applies the same rules at the times scanned, and agrees.
    browser.set_offline(false).await;
    browser
        .wait_for_text("#sync-status", "all scans uploaded")
        .await;
    assert_eq!(seats_left(&app, &id), 0);
    for pass in [&reserved, &walker] {
        let shown = pass_of(&app, pass).await;
        assert!(
            shown["reservations"][0]["admitted_at"].is_string(),
            "{shown}"
        );
    }
    assert_eq!(pass_of(&app, &late).await["reservations"], json!([]));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets WHERE screening_id = '{id}' \
             AND admitted_door = 'Door A'"
        )),
        2
    );
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(
        (
            &report["totals"]["admitted"],
            &report["totals"]["conflicts"]
        ),
        (&json!(2), &json!(0)),
        "{report}"
    );
    // The refreshed list shows both admissions: the counter stays, nothing counted twice.
    browser.wait_for_text("#admitted", "2").await;
    browser.reload().await;
    browser
        .wait_for_text("#sync-status", "ticket list refreshed")
        .await;
    browser.wait_for_text("#admitted", "2").await;
    // Online, the door shows the holder's photo beside the verdict.
    let (status, _) = put_photo(
        &app,
        &app.organiser_token,
        &walker,
        picture(300, 400, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(status, 200);
    crate::browser::scan_sees(&browser, &code(&walker), "Already admitted").await;
    browser
        .wait_until(
            "the holder's photo shows",
            "const p = document.querySelector('#verdict .photo'); \
             return !p.hidden && p.complete && p.naturalWidth > 0 \
               && p.alt.includes('Trần Minh Khoa');",
        )
        .await;
}

/// The screening as the public API shows it.
async fn shown_screening(app: &TestApp, id: &str) -> Value {
    app.get_json(&format!("/screenings/{id}")).await
}

async fn seats_kept_for_pass_holders_are_not_the_publics_and_a_released_one_is(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({"release_minutes": 30})).await;
    let holders = [
        issue(&app, &f, &kind, "a@example.org").await,
        issue(&app, &f, &kind, "b@example.org").await,
        issue(&app, &f, &kind, "c@example.org").await,
    ];
    // Five seats, two kept for the press: starts in 40 minutes (released 30 before).
    let id = screening(&app, &f, 5, 40).await;
    let path = format!("/screenings/{id}");
    for (bad, why) in [
        (json!(6), "more than the capacity"),
        (json!(-1), "negative"),
    ] {
        let response = app
            .patch_as(&app.organiser_token, &path, &json!({"pass_seats": bad}))
            .await;
        assert_eq!(response.status(), 422, "{why}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["field"], "pass_seats", "{body}");
    }
    let response = app
        .patch_as(&app.organiser_token, &path, &json!({"pass_seats": 2}))
        .await;
    assert_eq!(response.status(), 200);
    let shown = shown_screening(&app, &id).await;
    assert_eq!(
        (
            &shown["seats_left"],
            &shown["pass_seats"],
            &shown["kept_for_passes"]
        ),
        (&json!(3), &json!(2), &json!(2)),
        "{shown}"
    );
    // The public books the three seats that are theirs, and no more.
    let (status, body) = app.book(&id, 4, "group@example.org").await;
    assert_eq!(
        (status, body["seats_left"].as_i64()),
        (409, Some(3)),
        "{body}"
    );
    assert_eq!(app.book(&id, 3, "group@example.org").await.0, 201);
    let (status, body) = app.book(&id, 1, "late@example.org").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("sold_out")),
        "{body}"
    );
    let (status, _) = crate::waitlist::join(&app, &id, 1, "waiting@example.org").await;
    assert_eq!(status, 201, "sold out to the public: they may wait");
    // The press takes the kept seats; then the room is full for passes too.
    assert_eq!(reserve(&app, &holders[0], &id).await.0, 201);
    assert_eq!(shown_screening(&app, &id).await["kept_for_passes"], 1);
    assert_eq!(reserve(&app, &holders[1], &id).await.0, 201);
    let (status, body) = reserve(&app, &holders[2], &id).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("sold_out")),
        "{body}"
    );
    // A seat a holder gives back is kept for passes again: not the public's, not offered.
    let response = app
        .client
        .delete(format!(
            "{}/passes/{}/reservations/{id}",
            app.api,
            holders[1]["id"].as_str().unwrap()
        ))
        .bearer_auth(holders[1]["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let shown = shown_screening(&app, &id).await;
    assert_eq!(
        (&shown["seats_left"], &shown["kept_for_passes"]),
        (&json!(0), &json!(1)),
        "{shown}"
    );
    assert_eq!(app.book(&id, 1, "late@example.org").await.0, 409);
    let offered = format!(
        "SELECT COUNT(*) AS n FROM waitlist_entries WHERE screening_id = '{id}' AND status = 'offered'"
    );
    assert_eq!(app.count(&offered), 0, "a kept seat is not offered");
    assert_eq!(
        reserve(&app, &holders[2], &id).await.0,
        201,
        "another pass takes it"
    );
    // A pass seat not used by its release time goes to the waiting list, not back to passes.
    app.move_screening_start(&id, chrono::Duration::minutes(-15));
    for _ in 0..100 {
        if app.count(&offered) == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count(&offered),
        1,
        "the released seat is offered to the waiting list"
    );
    assert_eq!(shown_screening(&app, &id).await["kept_for_passes"], 0);
}

async fn a_pass_types_name_is_read_in_each_language(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/festivals/{}/pass-types", f.festival_id);
    for (names, field) in [
        (json!({"de": "Presse"}), "names.de"),
        (json!({"fr": "x".repeat(101)}), "names.fr"),
    ] {
        let response = app
            .post_as(
                &app.organiser_token,
                &path,
                &json!({"name": "Press", "category": "press", "names": names}),
            )
            .await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["field"], field, "{body}");
    }
    let kind = pass_type(
        &app,
        &f,
        "Press",
        json!({"names": {"fr": "Presse", "vi": "Báo chí", "en": ""}}),
    )
    .await;
    assert_eq!(
        kind["names"],
        json!({"fr": "Presse", "vi": "Báo chí"}),
        "an empty name is no name"
    );
    let pass = issue(&app, &f, &kind, "press@example.org").await;
    let id = screening(&app, &f, 30, 20).await;
    assert_eq!(reserve(&app, &pass, &id).await.0, 201);
    // Each reader reads it in theirs: the holder's pass, the door's answer; English where none.
    let read = |lang: &'static str| {
        let request = app
            .client
            .get(format!(
                "{}/passes/{}",
                app.api,
                pass["id"].as_str().unwrap()
            ))
            .bearer_auth(pass["manage_token"].as_str().unwrap())
            .header("Accept-Language", lang);
        async move {
            let body: Value = request.send().await.unwrap().json().await.unwrap();
            (
                body["pass"]["pass_type"].clone(),
                body["pass"]["pass_type_name"].clone(),
            )
        }
    };
    // The stored name stays what lists are imported by; the name to read follows the reader.
    assert_eq!(read("fr").await, (json!("Press"), json!("Presse")));
    assert_eq!(read("en").await, (json!("Press"), json!("Press")));
    let answer: Value = app
        .client
        .post(format!("{}/scans", app.api))
        .bearer_auth(&app.door_token)
        .header("Accept-Language", "vi")
        .json(
            &json!({"code": pass["code"], "screening_id": id, "door": "Cửa báo chí",
                      "nonce": uuid::Uuid::new_v4().to_string()}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&answer["verdict"], &answer["pass"]["pass_type"]),
        (&json!("admitted"), &json!("Báo chí")),
        "{answer}"
    );
    let (_, page) = get_page(&app.client, pass["manage_url"].as_str().unwrap()).await;
    assert!(page.contains("Press"), "the page in English names it so");
}

/// A picture of `width` × `height` pixels, encoded as `format`.
pub fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    pixels.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// Sends a photo for a pass with `token`'s credential; the status and body.
pub async fn put_photo(app: &TestApp, token: &str, pass: &Value, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .put(format!(
            "{}/passes/{}/photo",
            app.api,
            pass["id"].as_str().unwrap()
        ))
        .bearer_auth(token)
        .header("Content-Type", "image/png")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_holders_photo_is_kept_small_shown_where_it_should_and_erased_with_them(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Jury", json!({"category": "jury"})).await;
    let pass = issue(&app, &f, &kind, "huyen@example.org").await;
    let other = issue(&app, &f, &kind, "other@example.org").await;
    assert_eq!(pass["photo_url"], Value::Null);
    // Refused, naming the photo, and nothing kept: not a picture, too small, too big a file;
    // door staff set no photo.
    for (body, why) in [
        (b"not a picture at all".to_vec(), "not a picture"),
        (picture(40, 40, image::ImageFormat::Png), "too small"),
    ] {
        let (status, answer) = put_photo(&app, &app.organiser_token, &pass, body).await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (422, Some("photo")),
            "{why}: {answer}"
        );
    }
    let (status, _) = put_photo(&app, &app.organiser_token, &pass, vec![0; 9 * 1024 * 1024]).await;
    assert_eq!(status, 413);
    let (status, _) = put_photo(
        &app,
        &app.door_token,
        &pass,
        picture(200, 200, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM pass_photos"), 0);

    // A 1200 × 900 PNG is kept as a JPEG of 320 × 240.
    let (status, answer) = put_photo(
        &app,
        &app.organiser_token,
        &pass,
        picture(1200, 900, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let url = answer["pass"]["photo_url"]
        .as_str()
        .expect("a photo")
        .to_owned();
    let fetch = |token: Option<&str>| {
        let mut request = app.client.get(format!("{}{url}", app.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.unwrap() }
    };
    let response = fetch(Some(&app.door_token)).await;
    assert_eq!(response.status(), 200, "door staff see it");
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let kept = response.bytes().await.unwrap();
    let decoded = image::load_from_memory(&kept).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (320, 240));
    // Door staff of a venue see the faces of the festivals that screen there, not others'.
    let elsewhere = app
        .create(
            "/venues",
            json!({"name": "Le Grand Rex", "city": "Paris", "address": "1 Bd Poissonnière",
                   "timezone": "Europe/Paris", "rooms": [{"name": "Salle 1", "seats": 50}]}),
        )
        .await;
    let venue_door = |venue: &str| {
        marquee::staff::create(
            &mut app.pool.get().unwrap(),
            "Venue door",
            marquee::domain::Role::Door,
            None,
            Some(venue.parse().unwrap()),
        )
        .unwrap()
        .1
    };
    let here = venue_door(&f.venue_id);
    let there = venue_door(elsewhere["id"].as_str().unwrap());
    assert_eq!(fetch(Some(&here)).await.status(), 200);
    assert_eq!(fetch(Some(&there)).await.status(), 404);
    let holder = pass["manage_token"].as_str().unwrap();
    assert_eq!(
        fetch(Some(holder)).await.status(),
        200,
        "the holder sees it"
    );
    let stranger = other["manage_token"].as_str().unwrap();
    assert_eq!(
        fetch(Some(stranger)).await.status(),
        404,
        "another holder does not"
    );
    assert_eq!(fetch(None).await.status(), 401);

    // The door shows it beside the name; the holder's page carries it inline.
    let id = screening(&app, &f, 30, 20).await;
    assert_eq!(reserve(&app, &pass, &id).await.0, 201);
    let admitted = app.scan(pass["code"].as_str().unwrap(), &id).await;
    assert_eq!(admitted["pass"]["photo_url"], url.as_str(), "{admitted}");
    let (_, page) = get_page(&app.client, pass["manage_url"].as_str().unwrap()).await;
    assert!(
        page.contains("data:image/jpeg;base64,"),
        "the holder's page shows it"
    );
    // In the holder's data, and gone with it.
    let link = app.data_link("huyen@example.org");
    let data = app.get_json(&format!("/my-data/{link}")).await;
    assert!(
        data["passes"][0]["photo"]
            .as_str()
            .is_some_and(|p| p.starts_with("data:image/jpeg;base64,")),
        "{}",
        data["passes"][0]
    );
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "huyen@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM pass_photos"), 0);
    assert_eq!(fetch(Some(&app.organiser_token)).await.status(), 404);
    let (_, shown) = app
        .get_as(
            &app.organiser_token,
            &format!("/passes/{}", pass["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(shown["pass"]["photo_url"], Value::Null);
    let (status, _) = put_photo(
        &app,
        &app.organiser_token,
        &pass,
        picture(100, 100, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(status, 404, "an erased holder takes no photo");
    // An organiser removes one: gone.
    let (status, _) = put_photo(
        &app,
        &app.organiser_token,
        &other,
        picture(100, 100, image::ImageFormat::Jpeg),
    )
    .await;
    assert_eq!(status, 200);
    let path = format!("/passes/{}/photo", other["id"].as_str().unwrap());
    assert_eq!(app.delete_as(&app.door_token, &path).await.status(), 403);
    assert_eq!(
        app.delete_as(&app.organiser_token, &path).await.status(),
        204
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM pass_photos"), 0);
}

/// Uploads scans a door decided offline; the results by nonce: (verdict, conflict).
async fn upload(
    app: &TestApp,
    scans: &[Value],
) -> std::collections::HashMap<String, (String, bool)> {
    let response = app
        .post_as(&app.door_token, "/scans/sync", &json!({"scans": scans}))
        .await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["nonce"].as_str().unwrap().to_owned(),
                (
                    r["verdict"].as_str().unwrap().to_owned(),
                    r["conflict"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

async fn what_a_door_decided_offline_stands_when_the_pass_changed_before_the_upload(app: TestApp) {
    let f = app.fixture().await;
    let press = pass_type(&app, &f, "Press", json!({"release_minutes": 30})).await;
    // A type whose seats are kept to the start (the release below leaves them).
    let guest = pass_type(
        &app,
        &f,
        "Guest",
        json!({"category": "guest", "release_minutes": 0}),
    )
    .await;
    // Starts in 40 minutes: doors open, press seats released 30 minutes before the start.
    let id = screening(&app, &f, 5, 40).await;
    let turned_away = issue(&app, &f, &guest, "away@example.org").await;
    let gave_back = issue(&app, &f, &press, "gave@example.org").await;
    let revoked = issue(&app, &f, &press, "revoked@example.org").await;
    let released = issue(&app, &f, &press, "released@example.org").await;
    for pass in [&gave_back, &revoked, &released] {
        assert_eq!(reserve(&app, pass, &id).await.0, 201);
    }
    let scanned = |pass: &Value, nonce: &str, verdict: &str| {
        let mut scan = offline_scan(&pass["code"], &id, nonce, 0, verdict);
        scan["scanned_at"] = json!(chrono::Utc::now().to_rfc3339());
        scan
    };
    // The door, offline, turns away a holder it knows no seat for, and lets three in.
    let scans = [
        scanned(&turned_away, "o-1", "no_reservation"),
        scanned(&gave_back, "o-2", "admitted"),
        scanned(&revoked, "o-3", "admitted"),
        scanned(&released, "o-4", "admitted"),
    ];
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    // Meanwhile: the first reserves from their phone, the second gives their seat back, an
    // organiser revokes the third, and the fourth's seat is released at the release time.
    assert_eq!(reserve(&app, &turned_away, &id).await.0, 201);
    let response = app
        .client
        .delete(format!(
            "{}/passes/{}/reservations/{id}",
            app.api,
            gave_back["id"].as_str().unwrap()
        ))
        .bearer_auth(gave_back["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let path = format!("/passes/{}", revoked["id"].as_str().unwrap());
    assert_eq!(
        app.delete_as(&app.organiser_token, &path).await.status(),
        200
    );
    app.move_screening_start(&id, chrono::Duration::minutes(-15));
    let mut status = Value::Null;
    for _ in 0..100 {
        status = pass_of(&app, &released).await["reservations"][0]["status"].clone();
        if status == "released" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "released");
    // Back online: what happened at the door stands.
    let results = upload(&app, &scans).await;
    assert_eq!(
        results["o-1"],
        ("no_reservation".to_owned(), false),
        "turned away, not admitted by the reservation made after"
    );
    for nonce in ["o-2", "o-3", "o-4"] {
        assert_eq!(results[nonce], ("admitted".to_owned(), false), "{nonce}");
    }
    let shown = pass_of(&app, &turned_away).await;
    assert_eq!(
        shown["reservations"][0]["admitted_at"],
        Value::Null,
        "{shown}"
    );
    for pass in [&gave_back, &revoked, &released] {
        let shown = pass_of(&app, pass).await;
        let admitted = shown["reservations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["admitted_at"].is_string())
            .count();
        assert_eq!(admitted, 1, "{shown}");
    }
    // Four seats held: the turned-away holder's, and the three who were in.
    assert_eq!(seats_left(&app, &id), 1);
    // The holder who was in is no no-show.
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    let no_shows: i64 = report["by_pass_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["no_shows"].as_i64().unwrap())
        .sum();
    assert_eq!(no_shows, 0, "{report}");
    assert_eq!(report["totals"]["admitted"], 3, "{report}");
}

async fn an_organiser_changes_a_pass_type_and_it_rules_from_then_on(app: TestApp) {
    let f = app.fixture().await;
    let kind = pass_type(&app, &f, "Press", json!({"max_per_day": 1})).await;
    pass_type(&app, &f, "Jury", json!({"category": "jury"})).await;
    let pass = issue(&app, &f, &kind, "press@example.org").await;
    // Two screenings on one day, three days on.
    let day = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d");
    let mut ids = Vec::new();
    for time in ["10:00", "15:00"] {
        let made = app
            .create(
                "/screenings",
                json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                       "room": "Petite", "starts_at": format!("{day}T{time}"), "capacity": 30}),
            )
            .await;
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(reserve(&app, &pass, &ids[0]).await.0, 201);
    let (status, body) = reserve(&app, &pass, &ids[1]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("quota_reached"))
    );
    let path = format!("/pass-types/{}", kind["id"].as_str().unwrap());
    let patch = |token: &str, body: Value| {
        let request = app
            .client
            .patch(format!("{}{path}", app.api))
            .bearer_auth(token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    // Refused, naming the problem, and nothing changed.
    let (status, _) = patch(&app.door_token, json!({"max_per_day": null})).await;
    assert_eq!(status, 403);
    let (status, body) = patch(&app.organiser_token, json!({"max_per_day": "two"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("max_per_day")),
        "{body}"
    );
    let (status, body) = patch(&app.organiser_token, json!({"name": "jury"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_exists")),
        "{body}"
    );
    let (status, _) = patch(&app.organiser_token, json!({"colour": "red"})).await;
    assert_eq!(status, 422, "an unknown field is named");
    let (status, _) = patch(&app.organiser_token, json!([1, 2])).await;
    assert_eq!(status, 400);
    let (status, body) = patch(
        &app.organiser_token,
        json!({"max_per_day": 5, "category": "film"}),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("category")),
        "{body}"
    );
    // Lifted, and named in French: the second seat is the pass's now.
    let (status, changed) = patch(
        &app.organiser_token,
        json!({"max_per_day": null, "names": {"fr": "Presse"}}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            &changed["max_per_day"],
            &changed["names"],
            &changed["name"],
            &changed["category"]
        ),
        (
            &Value::Null,
            &json!({"fr": "Presse"}),
            &json!("Press"),
            &json!("press")
        )
    );
    assert_eq!(reserve(&app, &pass, &ids[1]).await.0, 201);
    // Names merge by language: one sent is set, `null` removes one.
    let (_, changed) = patch(&app.organiser_token, json!({"names": {"vi": "Báo chí"}})).await;
    assert_eq!(changed["names"], json!({"fr": "Presse", "vi": "Báo chí"}));
    let (_, changed) = patch(&app.organiser_token, json!({"names": {"fr": null}})).await;
    assert_eq!(changed["names"], json!({"vi": "Báo chí"}));
    // A change that would leave its passes' seats at screenings it no longer opens is refused.
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%d");
    let (status, body) = patch(
        &app.organiser_token,
        json!({"valid_from": later.to_string()}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("in_use")),
        "{body}"
    );
    let missing = format!("{}/pass-types/{}", app.api, uuid::Uuid::new_v4());
    let response = app
        .client
        .patch(missing)
        .bearer_auth(&app.organiser_token)
        .json(&json!({"walk_in": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}
