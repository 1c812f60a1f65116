//! The role matrix: every route, as anonymous, an attendee (a manage token), door staff and an
//! organiser. Each is refused where it must be — and a booking's existence never leaks.

use marquee::domain::Role;
use serde_json::json;

use crate::helpers::TestApp;

on_both_backends!(
    every_route_answers_each_role_as_it_should,
    door_staff_limited_to_a_venue_or_festival_scan_only_there,
    a_credential_revoked_elsewhere_stops_working_within_its_cache_time,
);

/// What a role may do on a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone: never 401/403.
    Public,
    /// Signed-in staff (door or organiser).
    Staff,
    /// Organisers only.
    Organiser,
    /// The booking's holder (its manage token) or an organiser; others get 401 (nothing sent)
    /// or 404 (the same answer as a booking that does not exist).
    Holder,
}

async fn every_route_answers_each_role_as_it_should(app: TestApp) {
    let f = app.fixture().await;
    let (_, mine) = app.book(&f.screening_id, 1, "mine@example.org").await;
    let (_, theirs) = app.book(&f.screening_id, 1, "theirs@example.org").await;
    let booking = mine["booking"]["id"].as_str().unwrap().to_owned();
    let ticket = mine["tickets"][0]["id"].as_str().unwrap().to_owned();
    let my_token = mine["booking"]["manage_token"].as_str().unwrap().to_owned();
    let their_token = theirs["booking"]["manage_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (fe, sc, ve, fi) = (&f.festival_id, &f.screening_id, &f.venue_id, &f.film_id);

    let routes: Vec<(&str, String, Access)> = vec![
        ("GET", "/".into(), Access::Public),
        ("GET", "/festivals/fw".into(), Access::Public),
        ("GET", format!("/screenings/{sc}"), Access::Public),
        ("GET", "/healthz".into(), Access::Public),
        ("GET", "/readyz".into(), Access::Public),
        ("GET", "/api/v1/festivals".into(), Access::Public),
        ("GET", format!("/api/v1/festivals/{fe}"), Access::Public),
        (
            "GET",
            format!("/api/v1/festivals/{fe}/screenings"),
            Access::Public,
        ),
        ("GET", format!("/api/v1/screenings/{sc}"), Access::Public),
        ("GET", "/api/v1/venues".into(), Access::Public),
        ("GET", "/api/v1/films".into(), Access::Public),
        ("GET", "/api/v1/keys".into(), Access::Public),
        ("GET", format!("/api/v1/bookings/{booking}"), Access::Holder),
        (
            "GET",
            format!("/api/v1/tickets/{ticket}/qr.png"),
            Access::Holder,
        ),
        (
            "GET",
            format!("/api/v1/tickets/{ticket}/qr.svg"),
            Access::Holder,
        ),
        ("POST", "/api/v1/scans".into(), Access::Staff),
        ("POST", "/api/v1/decode".into(), Access::Staff),
        ("GET", "/door".into(), Access::Staff),
        ("GET", format!("/door/screenings/{sc}"), Access::Staff),
        ("GET", format!("/door/venues/{ve}"), Access::Staff),
        ("POST", "/api/v1/festivals".into(), Access::Organiser),
        (
            "PATCH",
            format!("/api/v1/festivals/{fe}"),
            Access::Organiser,
        ),
        (
            "DELETE",
            format!("/api/v1/festivals/{fe}"),
            Access::Organiser,
        ),
        ("POST", "/api/v1/venues".into(), Access::Organiser),
        ("PATCH", format!("/api/v1/venues/{ve}"), Access::Organiser),
        ("DELETE", format!("/api/v1/venues/{ve}"), Access::Organiser),
        ("POST", "/api/v1/films".into(), Access::Organiser),
        ("PATCH", format!("/api/v1/films/{fi}"), Access::Organiser),
        ("DELETE", format!("/api/v1/films/{fi}"), Access::Organiser),
        ("POST", "/api/v1/screenings".into(), Access::Organiser),
        (
            "PATCH",
            format!("/api/v1/screenings/{sc}"),
            Access::Organiser,
        ),
        (
            "POST",
            format!("/api/v1/screenings/{sc}/invitations"),
            Access::Organiser,
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fe}/report"),
            Access::Organiser,
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fe}/report/totals.csv"),
            Access::Organiser,
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fe}/consistency"),
            Access::Organiser,
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fe}/scan-log/verify"),
            Access::Organiser,
        ),
        (
            "GET",
            format!("/api/v1/screenings/{sc}/arrivals"),
            Access::Organiser,
        ),
        ("GET", "/admin".into(), Access::Organiser),
        ("GET", "/admin/venues".into(), Access::Organiser),
        ("GET", "/admin/films".into(), Access::Organiser),
        ("GET", "/admin/staff".into(), Access::Organiser),
        ("GET", format!("/admin/festivals/{fe}"), Access::Organiser),
        (
            "GET",
            format!("/admin/festivals/{fe}/live"),
            Access::Organiser,
        ),
        (
            "GET",
            format!("/admin/festivals/{fe}/screenings"),
            Access::Organiser,
        ),
        ("GET", format!("/admin/screenings/{sc}"), Access::Organiser),
        (
            "GET",
            format!("/admin/screenings/{sc}/edit"),
            Access::Organiser,
        ),
    ];

    let roles: [(&str, Option<&str>); 5] = [
        ("anonymous", None),
        ("attendee", Some(&my_token)),
        ("another attendee", Some(&their_token)),
        ("door staff", Some(&app.door_token)),
        ("organiser", Some(&app.organiser_token)),
    ];
    for (method, path, access) in &routes {
        for (who, token) in roles {
            let mut request = app
                .client
                .request(method.parse().unwrap(), format!("{}{path}", app.address))
                .json(&json!({}));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let status = request.send().await.unwrap().status().as_u16();
            let staff = matches!(who, "door staff" | "organiser");
            let allowed = match access {
                Access::Public => true,
                Access::Staff => staff,
                Access::Organiser => who == "organiser",
                Access::Holder => matches!(who, "attendee" | "organiser"),
            };
            let context = format!("{who} {method} {path}: {status}");
            if allowed {
                assert!(![401, 403].contains(&status), "allowed, but {context}");
                assert!(status < 500, "{context}");
            } else {
                let expected: &[u16] = match (access, who) {
                    // Staff routes and pages: 401 without a staff credential.
                    (Access::Staff, _) if path.starts_with("/door") => &[303, 401],
                    (Access::Staff, _) => &[401],
                    (Access::Organiser, "door staff") => &[403],
                    (Access::Organiser, _) => &[401],
                    // Not the holder: 401 with nothing sent, else the same 404 as no booking.
                    (Access::Holder, "anonymous") => &[401],
                    (Access::Holder, _) => &[404],
                    (Access::Public, _) => &[],
                };
                assert!(expected.contains(&status), "refused, but {context}");
            }
        }
    }
}

/// Door credentials limited to a venue or a festival: their own doors answer, every other door
/// (page, live counter, scan by screening or by venue) is refused with 403.
async fn door_staff_limited_to_a_venue_or_festival_scan_only_there(app: TestApp) {
    let f = app.fixture().await;
    let other_venue = app
        .create(
            "/venues",
            json!({"name": "Le Grand Rex", "city": "Paris", "timezone": "Europe/Paris",
                   "rooms": [{"name": "Grande salle", "seats": 100}]}),
        )
        .await;
    let other_festival = app
        .create(
            "/festivals",
            json!({"slug": "other", "name": "Other Week", "starts_on": "2030-01-01",
                   "ends_on": "2030-01-03", "timezone": "Europe/Paris", "attendance_goal": 10}),
        )
        .await;
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
    let door = |name: &str, festival: Option<String>, venue: Option<String>| {
        let mut conn = app.pool.get().unwrap();
        marquee::staff::create(
            &mut conn,
            name,
            Role::Door,
            festival.map(|v| v.parse().unwrap()),
            venue.map(|v| v.parse().unwrap()),
        )
        .unwrap()
        .1
    };
    let doors = [
        (
            "this venue's door",
            door("Here", None, Some(f.venue_id.clone())),
            true,
        ),
        (
            "this festival's door",
            door("Ours", Some(f.festival_id.clone()), None),
            true,
        ),
        (
            "another venue's door",
            door("There", None, Some(id(&other_venue))),
            false,
        ),
        (
            "another festival's door",
            door("Theirs", Some(id(&other_festival)), None),
            false,
        ),
    ];
    // Doors open now, so a venue's door has a screening to admit for.
    let sc = &app.screening_starting_in(&f, 20, "Petite").await;
    let ve = &f.venue_id;
    for (who, token, allowed) in &doors {
        let scans = [
            json!({"code": "NOT-A-TICKET", "screening_id": sc, "door": "A", "nonce": uuid::Uuid::new_v4().to_string()}),
            json!({"code": "NOT-A-TICKET", "venue_id": ve, "door": "A", "nonce": uuid::Uuid::new_v4().to_string()}),
        ];
        for body in scans {
            let (status, answer) = app.scan_at(&app.api, token, body.clone()).await;
            if *allowed {
                assert_eq!(
                    (status, answer["verdict"].as_str()),
                    (200, Some("invalid")),
                    "{who}: {body}"
                );
            } else {
                assert_eq!(status, 403, "{who}: {body} → {answer}");
                assert!(
                    answer["message"].as_str().unwrap().contains("only"),
                    "{answer}"
                );
            }
        }
        for path in [
            format!("/door/screenings/{sc}"),
            format!("/door/venues/{ve}"),
            format!("/api/v1/screenings/{sc}/events"),
        ] {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let expected = if *allowed { 200 } else { 403 };
            assert_eq!(response.status().as_u16(), expected, "{who} GET {path}");
        }
    }
}

/// A role the database holds but Marquee does not know (a hand edit, a bad restore) fails closed:
/// the request is refused as an internal error, never read as the first role (organiser).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_stored_role_grants_nothing() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite needs nothing installed");
    // SQLite's CHECK constraint would refuse the value: switched off for this one statement.
    {
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().unwrap();
        diesel::sql_query("PRAGMA ignore_check_constraints = ON")
            .execute(&mut conn)
            .unwrap();
        let me = marquee::staff::find_by_credential(&mut conn, &app.door_token)
            .unwrap()
            .unwrap();
        diesel::sql_query(format!(
            "UPDATE staff SET role = 'superuser' WHERE id = '{}'",
            me.id
        ))
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query("PRAGMA ignore_check_constraints = OFF")
            .execute(&mut conn)
            .unwrap();
    }
    let (status, body) = app.get_as(&app.door_token, "/outbox").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"], "internal");
    assert!(
        !body.to_string().contains("superuser"),
        "the stored value is logged, not shown: {body}"
    );
    let created = app
        .post_as(&app.door_token, "/festivals", &json!({"slug": "x"}))
        .await;
    assert_eq!(created.status(), 500);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM festivals"), 0);
}

/// A door's credential is remembered for a moment (a scanner sends many codes a second); one
/// revoked by another instance or the command line — not through this server, which forgets it
/// at once — is refused once that moment has passed.
async fn a_credential_revoked_elsewhere_stops_working_within_its_cache_time(app: TestApp) {
    let f = app.fixture().await;
    let (_, code, _) = app.ticket(&f.screening_id).await;
    let (status, _) = app.try_scan(&code, &f.screening_id).await;
    assert_eq!(status, 200, "the credential works (and is remembered)");
    {
        let mut conn = app.pool.get().unwrap();
        let me = marquee::staff::find_by_credential(&mut conn, &app.door_token)
            .unwrap()
            .unwrap();
        marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
            marquee::staff::revoke(tx, me.id)
        })
        .unwrap();
    }
    tokio::time::sleep(
        marquee::db::credentials::CREDENTIAL_TTL + std::time::Duration::from_millis(100),
    )
    .await;
    let (status, body) = app.try_scan(&code, &f.screening_id).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
}
