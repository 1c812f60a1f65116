//! Organisers create, edit and cancel the catalogue; bad input changes nothing; others can't write.

use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(
    the_programme_is_imported_all_or_nothing_and_again_changes_nothing,
    organisers_create_edit_and_cancel_the_catalogue,
    invalid_catalogue_input_is_refused_naming_the_field_and_changes_nothing,
    anonymous_and_door_staff_cannot_write_the_catalogue,
    capacity_cannot_drop_below_seats_already_booked,
    things_in_use_cannot_be_deleted,
    a_screening_whose_time_looks_like_a_mistake_needs_confirming,
);

async fn a_screening_whose_time_looks_like_a_mistake_needs_confirming(app: TestApp) {
    let f = app.fixture().await;
    // The festival runs from yesterday for ten days.
    let today = chrono::Utc::now().date_naive();
    let dated = app
        .patch_as(
            &app.organiser_token,
            &format!("/festivals/{}", f.festival_id),
            &json!({"starts_on": today - chrono::Duration::days(1),
                    "ends_on": today + chrono::Duration::days(9)}),
        )
        .await;
    assert_eq!(dated.status(), 200);
    let at = |starts: &str, room: &str, confirm: bool| {
        json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
               "room": room, "starts_at": starts, "confirm": confirm})
    };
    // Days on which the fixture has no screening (its own is tomorrow at 20:00), at set hours:
    // what clashes must not depend on the time of day the test runs.
    let on_day = |days: i64, hour: u32| {
        format!(
            "{}T{hour:02}:00",
            (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%d")
        )
    };
    let before = app.count("SELECT COUNT(*) AS n FROM screenings");
    for (body, field, words) in [
        (
            at("2020-05-01T20:00", "Petite", false),
            "starts_at",
            "already past",
        ),
        (
            at("2031-06-01T20:00", "Petite", false),
            "starts_at",
            "outside the festival",
        ),
    ] {
        let refused = app
            .post_as(&app.organiser_token, "/screenings", &body)
            .await;
        assert_eq!(refused.status(), 422);
        let refused: Value = refused.json().await.unwrap();
        assert_eq!(refused["field"], field, "{refused}");
        assert!(
            refused["message"].as_str().unwrap().contains(words),
            "{refused}"
        );
    }
    // Two screenings in one room at once: the second names the first.
    let first = app
        .create("/screenings", at(&on_day(3, 14), "Petite", false))
        .await;
    let clash = app
        .post_as(
            &app.organiser_token,
            "/screenings",
            &at(&on_day(3, 15), "Petite", false),
        )
        .await;
    assert_eq!(clash.status(), 422);
    let clash: Value = clash.json().await.unwrap();
    assert_eq!(clash["field"], "room", "{clash}");
    assert!(
        clash["message"].as_str().unwrap().contains("Red Rain"),
        "{clash}"
    );
    // Put together inside the write, the sentence and its date are in the organiser's language.
    let french = app
        .client
        .post(format!("{}/screenings", app.api))
        .bearer_auth(&app.organiser_token)
        .header("Accept-Language", "fr")
        .json(&at(&on_day(3, 15), "Petite", false))
        .send()
        .await
        .unwrap();
    assert_eq!(french.status(), 422);
    let french: Value = french.json().await.unwrap();
    let words = french["message"].as_str().unwrap();
    let weekdays = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    assert!(weekdays.iter().any(|day| words.contains(day)), "{words}");
    assert!(!words.contains("day,"), "{words}");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM screenings"),
        before + 1,
        "nothing else added"
    );
    // An API client that does not ask for the checks places the screening where it says.
    let unchecked = app
        .post_as(
            &app.organiser_token,
            "/screenings",
            &json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                    "room": "Petite", "starts_at": "2031-06-01T18:00"}),
        )
        .await;
    assert_eq!(unchecked.status(), 201);
    // Another room is no clash; and the organiser may confirm what they meant.
    app.create("/screenings", at(&on_day(3, 15), "Grande Salle", false))
        .await;
    app.create("/screenings", at(&on_day(3, 15), "Petite", true))
        .await;
    app.create("/screenings", at("2031-06-01T20:00", "Petite", true))
        .await;
    // Moving a screening onto another is refused alike; changing anything else is not checked.
    let second = app
        .create("/screenings", at(&on_day(5, 14), "Petite", false))
        .await;
    let moved = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{}", second["id"].as_str().unwrap()),
            &json!({"starts_at": on_day(3, 14), "confirm": false}),
        )
        .await;
    assert_eq!(moved.status(), 422);
    let resized = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{}", first["id"].as_str().unwrap()),
            &json!({"capacity": 20}),
        )
        .await;
    assert_eq!(resized.status(), 200);

    // On the organiser's page the problem is shown with a way to confirm it.
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let path = format!(
        "{}/admin/festivals/{}/screenings",
        app.address, f.festival_id
    );
    let place = format!("{}|Petite", f.venue_id);
    // Half an hour into the fixture's own screening in that room (tomorrow, 20:00 at the venue):
    // a clash whatever the time of day the test runs (a time relative to now was not one after
    // 15:04 UTC).
    let local = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%dT20:30")
        .to_string();
    let form = |confirm: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("film_id", f.film_id.clone()),
            ("place", place.clone()),
            ("starts_at", local.clone()),
            ("confirm", confirm.to_owned()),
        ]
    };
    let refused = browser.post(&path).form(&form("")).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("name=\"confirm\"") && page.contains("Red Rain"),
        "{page}"
    );
    let confirmed = browser.post(&path).form(&form("1")).send().await.unwrap();
    assert_eq!(confirmed.status(), 303);
}

async fn organisers_create_edit_and_cancel_the_catalogue(app: TestApp) {
    let f = app.fixture().await;

    // The public list has the contract's fields.
    let festivals = app.get_json("/festivals").await;
    assert_eq!(festivals.as_array().unwrap().len(), 1);
    for field in ["id", "slug", "name", "timezone", "attendance_goal"] {
        assert!(festivals[0].get(field).is_some(), "festival.{field}");
    }
    let screenings = app
        .get_json(&format!("/festivals/{}/screenings", f.festival_id))
        .await;
    let s = &screenings[0];
    assert_eq!(s["id"], f.screening_id.as_str());
    assert_eq!(s["film"]["title"], "Red Rain");
    assert_eq!(s["venue"]["name"], "Pathé Palace");
    assert_eq!(s["room"], "Petite");
    assert_eq!(s["capacity"], 30, "capacity defaults to the room's seats");
    assert_eq!(s["seats_left"], 30);
    assert_eq!(s["status"], "scheduled");
    assert!(
        s["starts_at"]
            .as_str()
            .unwrap()
            .ends_with("T20:00:00+01:00"),
        "{s}"
    );
    let ends_at = chrono::DateTime::parse_from_rfc3339(s["ends_at"].as_str().unwrap()).unwrap();
    let starts_at = chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        (ends_at - starts_at).num_minutes(),
        124,
        "ends after the film's runtime"
    );

    // Edit each kind.
    let token = app.organiser_token.clone();
    let r = app
        .patch_as(
            &token,
            &format!("/festivals/{}", f.festival_id),
            &json!({"name": "Vietnam Film Week"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["name"],
        "Vietnam Film Week"
    );
    let r = app
        .patch_as(
            &token,
            &format!("/films/{}", f.film_id),
            &json!({"runtime_minutes": 125}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .patch_as(
            &token,
            &format!("/venues/{}", f.venue_id),
            &json!({"address": "2 Boulevard des Capucines"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .patch_as(
            &token,
            &format!("/screenings/{}", f.screening_id),
            &json!({"room": "Grande Salle", "starts_at": "2030-12-12T21:00", "confirm": true}),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["room"], "Grande Salle");
    assert_eq!(body["capacity"], 100, "a new room brings its size");
    assert_eq!(body["starts_at"], "2030-12-12T21:00:00+01:00");
    assert_eq!(
        body["ends_at"], "2030-12-12T23:04:00+01:00",
        "moving keeps the length"
    );

    // Cancel the screening: it stays listed, as cancelled, and cannot be booked; holders are told.
    let (_, held) = app.book(&f.screening_id, 1, "holder@example.org").await;
    let r = app
        .delete_as(&token, &format!("/screenings/{}", f.screening_id))
        .await;
    assert_eq!(r.status(), 200);
    let s = app
        .get_json(&format!("/screenings/{}", f.screening_id))
        .await;
    assert_eq!(s["status"], "cancelled");
    assert_eq!(s["booking_open"], false);
    let (status, body) = app.book(&f.screening_id, 1, "a@example.org").await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "screening_cancelled");
    let manage =
        crate::helpers::page_text(&app.client, held["booking"]["manage_url"].as_str().unwrap())
            .await;
    assert!(manage.contains("The screening has been cancelled"));

    // And it can be reinstated.
    let r = app
        .patch_as(
            &token,
            &format!("/screenings/{}", f.screening_id),
            &json!({"status": "scheduled"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let (status, _) = app.book(&f.screening_id, 1, "a@example.org").await;
    assert_eq!(status, 201);
}

async fn invalid_catalogue_input_is_refused_naming_the_field_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let festival = json!({"slug": "x", "name": "X", "starts_on": "2030-01-01", "ends_on": "2030-01-02",
                          "timezone": "Europe/Paris", "attendance_goal": 10});
    let with = |base: &Value, key: &str, value: Value| {
        let mut v = base.clone();
        v[key] = value;
        v
    };
    let venue = json!({"name": "V", "city": "Paris", "timezone": "Europe/Paris",
                       "rooms": [{"name": "A", "seats": 10}]});
    let film = json!({"title": "T", "director": "D", "year": 2000, "runtime_minutes": 90, "country": "VN"});
    let screening = json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                           "room": "Petite", "starts_at": "2030-12-07T18:00"});
    let cases: Vec<(&str, String, Value, u16, &str)> = vec![
        (
            "bad slug",
            "/festivals".into(),
            with(&festival, "slug", json!("Not A Slug")),
            422,
            "slug",
        ),
        (
            "taken slug",
            "/festivals".into(),
            with(&festival, "slug", json!("fw")),
            409,
            "slug",
        ),
        (
            "ends before start",
            "/festivals".into(),
            with(&festival, "ends_on", json!("2029-01-01")),
            422,
            "ends_on",
        ),
        (
            "not a date",
            "/festivals".into(),
            with(&festival, "starts_on", json!("next week")),
            422,
            "starts_on",
        ),
        (
            "unknown zone",
            "/festivals".into(),
            with(&festival, "timezone", json!("Mars/Olympus")),
            422,
            "timezone",
        ),
        (
            "negative goal",
            "/festivals".into(),
            with(&festival, "attendance_goal", json!(-1)),
            422,
            "attendance_goal",
        ),
        (
            "goal as text",
            "/festivals".into(),
            with(&festival, "attendance_goal", json!("many")),
            422,
            "attendance_goal",
        ),
        (
            "empty name",
            "/festivals".into(),
            with(&festival, "name", json!("   ")),
            422,
            "name",
        ),
        (
            "overlong name",
            "/festivals".into(),
            with(&festival, "name", json!("x".repeat(201))),
            422,
            "name",
        ),
        (
            "unknown field",
            "/festivals".into(),
            with(&festival, "colour", json!("red")),
            422,
            "colour",
        ),
        (
            "missing field",
            "/festivals".into(),
            json!({"slug": "y"}),
            400,
            "name",
        ),
        (
            "no rooms",
            "/venues".into(),
            with(&venue, "rooms", json!([])),
            422,
            "rooms",
        ),
        (
            "room of 0 seats",
            "/venues".into(),
            with(&venue, "rooms", json!([{"name": "A", "seats": 0}])),
            422,
            "rooms[0].seats",
        ),
        (
            "seats as text",
            "/venues".into(),
            with(&venue, "rooms", json!([{"name": "A", "seats": "ten"}])),
            422,
            "rooms[0].seats",
        ),
        (
            "same room twice",
            "/venues".into(),
            with(
                &venue,
                "rooms",
                json!([{"name": "A", "seats": 1}, {"name": "A", "seats": 2}]),
            ),
            422,
            "rooms[1].name",
        ),
        (
            "bad country",
            "/films".into(),
            with(&film, "country", json!("Vietnam")),
            422,
            "country",
        ),
        (
            "year 1700",
            "/films".into(),
            with(&film, "year", json!(1700)),
            422,
            "year",
        ),
        (
            "zero runtime",
            "/films".into(),
            with(&film, "runtime_minutes", json!(0)),
            422,
            "runtime_minutes",
        ),
        (
            "room not in venue",
            "/screenings".into(),
            with(&screening, "room", json!("Salle 9")),
            422,
            "room",
        ),
        (
            "capacity over room",
            "/screenings".into(),
            with(&screening, "capacity", json!(31)),
            422,
            "capacity",
        ),
        (
            "unknown film",
            "/screenings".into(),
            with(&screening, "film_id", json!(uuid::Uuid::new_v4())),
            422,
            "film_id",
        ),
        (
            "film id not a uuid",
            "/screenings".into(),
            with(&screening, "film_id", json!("red-rain")),
            422,
            "film_id",
        ),
        (
            "bad start",
            "/screenings".into(),
            with(&screening, "starts_at", json!("soon")),
            422,
            "starts_at",
        ),
        (
            "end before start",
            "/screenings".into(),
            with(&screening, "ends_at", json!("2030-12-07T17:00")),
            422,
            "ends_at",
        ),
        (
            "markup name",
            "/films".into(),
            with(&film, "title", json!("<script>x</script>\u{0007}")),
            422,
            "title",
        ),
    ];
    let before = app.count("SELECT (SELECT COUNT(*) FROM festivals) + (SELECT COUNT(*) FROM venues) + (SELECT COUNT(*) FROM films) + (SELECT COUNT(*) FROM screenings) AS n");
    for (case, path, body, status, field) in cases {
        let response = app.post_as(&app.organiser_token, &path, &body).await;
        assert_eq!(response.status().as_u16(), status, "{case}");
        let json: Value = response.json().await.expect("a JSON error body");
        let message = json["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(field),
            "{case}: message {message:?} should name {field}"
        );
        assert!(json["error"].is_string(), "{case}");
    }
    // Malformed JSON and a wrong content type.
    let response = app
        .client
        .post(format!("{}/festivals", app.api))
        .bearer_auth(&app.organiser_token)
        .header("content-type", "application/json")
        .body("{\"slug\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = app
        .client
        .post(format!("{}/films", app.api))
        .bearer_auth(&app.organiser_token)
        .body("title=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // A bad patch changes nothing either.
    let response = app
        .patch_as(
            &app.organiser_token,
            &format!("/films/{}", f.film_id),
            &json!({"title": "New", "year": 1500}),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        app.get_json(&format!("/films/{}", f.film_id)).await["title"],
        "Red Rain"
    );

    let after = app.count("SELECT (SELECT COUNT(*) FROM festivals) + (SELECT COUNT(*) FROM venues) + (SELECT COUNT(*) FROM films) + (SELECT COUNT(*) FROM screenings) AS n");
    assert_eq!(before, after, "refused input must change nothing");
}

async fn anonymous_and_door_staff_cannot_write_the_catalogue(app: TestApp) {
    let f = app.fixture().await;
    let writes: Vec<(&str, String)> = vec![
        ("POST", "/festivals".into()),
        ("POST", "/venues".into()),
        ("POST", "/films".into()),
        ("POST", "/screenings".into()),
        ("PATCH", format!("/festivals/{}", f.festival_id)),
        ("PATCH", format!("/venues/{}", f.venue_id)),
        ("PATCH", format!("/films/{}", f.film_id)),
        ("PATCH", format!("/screenings/{}", f.screening_id)),
        ("DELETE", format!("/festivals/{}", f.festival_id)),
        ("DELETE", format!("/venues/{}", f.venue_id)),
        ("DELETE", format!("/films/{}", f.film_id)),
        ("DELETE", format!("/screenings/{}", f.screening_id)),
    ];
    let body = json!({"name": "Hijacked"});
    for (method, path) in &writes {
        for (who, token, expected) in [
            ("anonymous", None, 401),
            ("door staff", Some(app.door_token.as_str()), 403),
            (
                "forged token",
                Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                401,
            ),
        ] {
            let mut request = app
                .client
                .request(method.parse().unwrap(), format!("{}{path}", app.api))
                .json(&body);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status().as_u16(),
                expected,
                "{who} {method} {path}"
            );
        }
    }
    let s = app
        .get_json(&format!("/screenings/{}", f.screening_id))
        .await;
    assert_eq!(s["status"], "scheduled");
    assert_eq!(app.get_json("/festivals").await[0]["name"], "Film Week");
}

async fn capacity_cannot_drop_below_seats_already_booked(app: TestApp) {
    let f = app.fixture().await;
    let (status, _) = app.book(&f.screening_id, 8, "a@example.org").await;
    assert_eq!(status, 201);
    let path = format!("/screenings/{}", f.screening_id);
    let r = app
        .patch_as(&app.organiser_token, &path, &json!({"capacity": 7}))
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "capacity_below_booked"
    );
    let r = app
        .patch_as(&app.organiser_token, &path, &json!({"capacity": 8}))
        .await;
    assert_eq!(r.status(), 200);
    let s = app.get_json(&path).await;
    assert_eq!(
        (s["capacity"].as_i64(), s["seats_left"].as_i64()),
        (Some(8), Some(0))
    );
}

async fn things_in_use_cannot_be_deleted(app: TestApp) {
    let f = app.fixture().await;
    // A venue that an active door credential is limited to stays; once revoked, it may go.
    let spare = app
        .create(
            "/venues",
            json!({"name": "Spare", "city": "Paris", "timezone": "Europe/Paris",
                                  "rooms": [{"name": "A", "seats": 10}]}),
        )
        .await;
    let spare_id = spare["id"].as_str().unwrap();
    let door = {
        let mut conn = app.pool.get().unwrap();
        let (member, _) = marquee::staff::create(
            &mut conn,
            "Spare door",
            marquee::domain::Role::Door,
            None,
            Some(spare_id.parse().unwrap()),
        )
        .unwrap();
        member.id
    };
    let r = app
        .delete_as(&app.organiser_token, &format!("/venues/{spare_id}"))
        .await;
    assert_eq!(r.status(), 409);
    marquee::db::tx::write_on(
        &mut app.pool.get().unwrap(),
        marquee::i18n::Lang::En,
        |tx| marquee::staff::revoke(tx, door),
    )
    .unwrap();
    let r = app
        .delete_as(&app.organiser_token, &format!("/venues/{spare_id}"))
        .await;
    assert_eq!(r.status(), 204);

    for path in [
        format!("/festivals/{}", f.festival_id),
        format!("/venues/{}", f.venue_id),
        format!("/films/{}", f.film_id),
    ] {
        let r = app.delete_as(&app.organiser_token, &path).await;
        assert_eq!(r.status(), 409, "{path}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "in_use");
    }
    let unused = app
        .create(
            "/films",
            json!({"title": "Song Lang", "director": "Leon Le", "year": 2018, "runtime_minutes": 102, "country": "VN"}),
        )
        .await;
    let path = format!("/films/{}", unused["id"].as_str().unwrap());
    assert_eq!(
        app.delete_as(&app.organiser_token, &path).await.status(),
        204
    );
    assert_eq!(app.get(&path).await.status(), 404);
}

/// Imports a programme file; the status and the report.
async fn import_programme(
    app: &TestApp,
    token: &str,
    festival: &str,
    csv: &str,
    dry_run: bool,
) -> (u16, Value) {
    let response = app
        .client
        .post(format!(
            "{}/festivals/{festival}/programme/import?dry_run={dry_run}",
            app.api
        ))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn the_programme_is_imported_all_or_nothing_and_again_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let counts = |app: &TestApp| {
        (
            app.count("SELECT COUNT(*) AS n FROM screenings"),
            app.count("SELECT COUNT(*) AS n FROM films"),
        )
    };
    let before = counts(&app);
    let header =
        "title,original_title,director,year,runtime_minutes,country,venue,room,starts_at,capacity";
    let bad = format!(
        "{header}\n\
         Red Rain,,,,,,Pathé Palace,Petite,2030-12-07 20:00,\n\
         Đất rừng phương Nam,,Nguyễn Quang Dũng,2023,110,VN,pathé palace,Grande Salle,2030-12-07 18:00,80\n\
         Song Lang,,,,,,Pathé Palace,Petite,2030-12-08 20:00,\n\
         Red Rain,,,,,,Le Grand Rex,Salle 1,2030-12-08 20:00,\n\
         Red Rain,,,,,,Pathé Palace,Salle 9,2030-12-08 20:00,\n\
         Red Rain,,,,,,Pathé Palace,Petite,2030-12-07 21:00,\n\
         Red Rain,,,,,,Pathé Palace,Petite,2030-12-20 20:00,\n\
         Red Rain,,,,,,Pathé Palace,Grande Salle,2030-12-09 20:00,many\n\
         Red Rain,,,,,,Pathé Palace,Petite,2030-12-07 20:00,\n"
    );
    let (status, dry) =
        import_programme(&app, &app.organiser_token, &f.festival_id, &bad, true).await;
    assert_eq!(status, 200, "a dry run answers with the problems: {dry}");
    let named: Vec<(u64, String)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        (4, "director"),
        (4, "year"),
        (4, "runtime_minutes"),
        (4, "country"),
        (5, "venue"),
        (6, "room"),
        (7, "room"),
        (8, "starts_at"),
        (9, "capacity"),
        (10, "starts_at"),
    ] {
        assert!(
            named.contains(&(expected.0, expected.1.to_owned())),
            "{expected:?} not in {named:?}"
        );
    }
    assert_eq!(named.len(), 10, "{named:?}");
    let (status, refused) =
        import_programme(&app, &app.organiser_token, &f.festival_id, &bad, false).await;
    assert_eq!(status, 422);
    assert_eq!(refused["errors"], dry["errors"]);
    assert_eq!(counts(&app), before, "nothing written");

    let good = format!(
        "{header}\n\
         Red Rain,,,,,,Pathé Palace,Petite,2030-12-07 20:00,\n\
         Đất rừng phương Nam,,Nguyễn Quang Dũng,2023,110,VN,pathé palace,Grande Salle,2030-12-07 18:00,80\n\
         \"Đất rừng phương Nam\",,,2023,,,Pathé Palace,Grande Salle,2030-12-09T18:00:00+01:00,\n"
    );
    let (status, would) =
        import_programme(&app, &app.organiser_token, &f.festival_id, &good, true).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            &would["created"],
            &would["unchanged"],
            &would["films_created"]
        ),
        (&json!(3), &json!(0), &json!(1)),
        "{would}"
    );
    assert_eq!(counts(&app), before, "a dry run writes nothing");
    let (status, _) = import_programme(&app, &app.door_token, &f.festival_id, &good, false).await;
    assert_eq!(status, 403);
    let (status, done) =
        import_programme(&app, &app.organiser_token, &f.festival_id, &good, false).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (&done["created"], &done["unchanged"], &done["films_created"]),
        (&json!(3), &json!(0), &json!(1))
    );
    assert_eq!(counts(&app), (before.0 + 3, before.1 + 1));
    let listed = app
        .get_json(&format!("/festivals/{}/screenings", f.festival_id))
        .await;
    let imported = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["film"]["title"] == "Đất rừng phương Nam"
                && s["starts_at"] == "2030-12-07T18:00:00+01:00"
        })
        .expect("the new film's screening, at the venue's local time");
    assert_eq!(
        (&imported["room"], &imported["capacity"]),
        (&json!("Grande Salle"), &json!(80))
    );
    // The same file again: nothing new.
    let (status, again) =
        import_programme(&app, &app.organiser_token, &f.festival_id, &good, false).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            &again["created"],
            &again["unchanged"],
            &again["films_created"]
        ),
        (&json!(0), &json!(3), &json!(0))
    );
    assert_eq!(counts(&app), (before.0 + 3, before.1 + 1));
    // The same from the organisers' page: checked, then imported.
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let form = format!(
        "{}/admin/festivals/{}/programme/import",
        app.address, f.festival_id
    );
    let more =
        format!("{header}\nSong Lang,,Leon Le,2018,101,VN,Pathé Palace,Petite,2030-12-10 20:00,\n");
    let (status, html) = crate::helpers::post_form(
        &browser,
        &form,
        &[("csrf", &csrf), ("csv", &more), ("action", "check")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Screenings to add: 1 (new films: 1)"),
        "{html}"
    );
    assert_eq!(
        counts(&app),
        (before.0 + 3, before.1 + 1),
        "a check writes nothing"
    );
    let (status, html) = crate::helpers::post_form(
        &browser,
        &form,
        &[("csrf", &csrf), ("csv", &bad), ("action", "import")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("role=\"alert\"") && html.contains("Le Grand Rex"),
        "{html}"
    );
    let (status, html) = crate::helpers::post_form(
        &browser,
        &form,
        &[("csrf", &csrf), ("csv", &more), ("action", "import")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("Screenings added: 1"), "{html}");
    assert_eq!(counts(&app), (before.0 + 4, before.1 + 2));
    // A file too large is refused before it is read.
    let huge = format!("{header}\n{}", "x,".repeat(2 * 1024 * 1024));
    let (status, _) =
        import_programme(&app, &app.organiser_token, &f.festival_id, &huge, false).await;
    assert_eq!(status, 413);
}
