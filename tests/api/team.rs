//! The festival office: team roles per festival, API tokens, and the audit trail — through the
//! real HTTP interface.
//!
//! The role matrix walks every route of the API (checked against the OpenAPI document, so a new
//! route without a line here fails) and every organiser page and form, for every role: nobody,
//! an attendee, door staff, an administrator, each team role of festival A, the owner of
//! festival B and an API token of festival B.

use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(
    the_role_matrix_walks_every_route_for_every_role,
    an_owner_builds_the_team_and_a_door_lead_adds_only_door_staff,
    an_api_token_is_held_to_its_festival_its_permissions_and_its_life,
    every_kind_of_change_leaves_one_audit_entry_and_none_can_be_changed,
    another_festival_stays_out_of_reach_however_its_ids_are_written,
);

/// A team member of a festival: made through the API by the administrator.
async fn member(app: &TestApp, festival: &str, name: &str, roles: &[&str]) -> (String, String) {
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{festival}/team"),
            &json!({"name": name, "roles": roles}),
        )
        .await;
    assert_eq!(response.status(), 201, "adding {name}");
    let body: Value = response.json().await.unwrap();
    assert!(
        body["signin_url"]
            .as_str()
            .unwrap()
            .contains(body["credential"].as_str().unwrap()),
        "{body}"
    );
    (
        body["member"]["id"].as_str().unwrap().to_owned(),
        body["credential"].as_str().unwrap().to_owned(),
    )
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Anyone.
    Public,
    /// Any staff credential (the door checks each screening's festival after reading the body).
    Signed,
    /// A person's account: any staff but an API token.
    Person,
    /// This permission at festival A.
    At(&'static str),
    /// This permission at some festival (venues and films are shared; lists are narrowed).
    Anywhere(&'static str),
    /// An administrator of the instance.
    Admin,
    /// The holder of the thing (`true`: the attendee's booking) or staff with one of these
    /// permissions at festival A; other staff and other holders get the same 404 as a thing
    /// that does not exist.
    Holder(bool, &'static [&'static str]),
}

/// A role of the matrix: its credential, and the permissions it holds at festivals A and B.
struct Who {
    name: &'static str,
    token: Option<String>,
    staff: bool,
    admin: bool,
    at_a: &'static [&'static str],
    at_b: &'static [&'static str],
}

const ALL: &[&str] = &[
    "team",
    "programme",
    "box_office",
    "door_lead",
    "reports",
    "door",
];

impl Who {
    fn may(&self, needs: Needs) -> bool {
        match needs {
            Needs::Public => true,
            Needs::Signed => self.staff,
            Needs::Person => self.staff && self.name != "token of B",
            Needs::Admin => self.admin,
            Needs::At(p) => self.admin || self.at_a.contains(&p),
            Needs::Holder(theirs, permissions) => {
                (theirs && self.name == "attendee")
                    || self.admin
                    || permissions.iter().any(|p| self.at_a.contains(p))
            }
            Needs::Anywhere(p) => self.admin || self.at_a.contains(&p) || self.at_b.contains(&p),
        }
    }
}

/// Whether a walked path is an instance of a documented one (`{…}` segments match anything).
fn instance_of(documented: &str, walked: &str) -> bool {
    let walked = walked.split('?').next().unwrap();
    let (d, w): (Vec<&str>, Vec<&str>) =
        (documented.split('/').collect(), walked.split('/').collect());
    d.len() == w.len() && d.iter().zip(&w).all(|(d, w)| d.starts_with('{') || d == w)
}

async fn the_role_matrix_walks_every_route_for_every_role(app: TestApp) {
    let f = app.fixture().await;
    let (fa, sc, ve, fi) = (&f.festival_id, &f.screening_id, &f.venue_id, &f.film_id);
    let festival_b = app
        .create(
            "/festivals",
            json!({"slug": "fb", "name": "Festival B", "starts_on": "2030-12-06",
                   "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 5}),
        )
        .await;
    let fb = festival_b["id"].as_str().unwrap().to_owned();
    let (_, mine) = app.book(sc, 1, "mine@example.org").await;
    let booking = mine["booking"]["id"].as_str().unwrap().to_owned();
    let ticket = mine["tickets"][0]["id"].as_str().unwrap().to_owned();
    let holder = mine["booking"]["manage_token"].as_str().unwrap().to_owned();
    let kind = app
        .create(
            &format!("/festivals/{fa}/pass-types"),
            json!({"name": "Press", "category": "press"}),
        )
        .await;
    let pass_type = kind["id"].as_str().unwrap().to_owned();
    let issued = app
        .create(
            &format!("/festivals/{fa}/passes"),
            json!({"pass_type_id": pass_type, "name": "Lan Pham", "email": "lan@example.org"}),
        )
        .await;
    let pass = issued["pass"]["id"].as_str().unwrap().to_owned();
    let message = app
        .get_as(&app.organiser_token, "/outbox")
        .await
        .1
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["booking_id"].as_str() == Some(booking.as_str()))
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .expect("the booking's mail");
    // A sold-out screening with a waiting list, for the entries' routes.
    let full = app
        .create(
            "/screenings",
            json!({"festival_id": fa, "venue_id": ve, "film_id": fi, "room": "Petite",
                   "starts_at": (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%dT18:00").to_string(),
                   "capacity": 1, "confirm": true}),
        )
        .await;
    let full_id = full["id"].as_str().unwrap().to_owned();
    app.book(&full_id, 1, "first@example.org").await;
    let joined: Value = app
        .client
        .post(format!("{}/screenings/{full_id}/waitlist", app.api))
        .json(&json!({"name": "Binh", "email": "binh@example.org", "country": "VN", "seats": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = joined["entry"]["id"].as_str().unwrap().to_owned();
    let entry_token = joined["entry"]["manage_token"].as_str().unwrap().to_owned();

    let people = [
        ("owner", &["owner"][..]),
        ("programme", &["programme"]),
        ("box office", &["box_office"]),
        ("door lead", &["door_lead"]),
        ("reports", &["reports"]),
        ("door", &["door"]),
    ];
    let mut credentials = Vec::new();
    for (name, roles) in people {
        credentials.push(member(&app, fa, name, roles).await.1);
    }
    let owner_b = member(&app, &fb, "owner of B", &["owner"]).await.1;
    let token_b: Value = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{fb}/tokens"),
            &json!({"name": "B's box office", "permissions": ["programme", "box_office", "door_lead", "reports", "door"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token_b = token_b["credential"].as_str().unwrap().to_owned();
    let (token_id, _) = {
        let made: Value = app
            .post_as(
                &app.organiser_token,
                &format!("/festivals/{fa}/tokens"),
                &json!({"name": "to revoke", "permissions": ["reports"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        (made["token"]["id"].as_str().unwrap().to_owned(), ())
    };
    let owner_id = app
        .get_as(&credentials[0], &format!("/festivals/{fa}/team"))
        .await
        .1["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "owner")
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .unwrap();

    let target = member(&app, fa, "target", &["door"]).await.0;
    let unknown = marquee::domain::secret::new_token();

    let whos = vec![
        Who {
            name: "anonymous",
            token: None,
            staff: false,
            admin: false,
            at_a: &[],
            at_b: &[],
        },
        Who {
            name: "attendee",
            token: Some(holder.clone()),
            staff: false,
            admin: false,
            at_a: &[],
            at_b: &[],
        },
        Who {
            name: "door staff",
            token: Some(app.door_token.clone()),
            staff: true,
            admin: false,
            at_a: &["door"],
            at_b: &["door"],
        },
        Who {
            name: "administrator",
            token: Some(app.organiser_token.clone()),
            staff: true,
            admin: true,
            at_a: ALL,
            at_b: ALL,
        },
        Who {
            name: "owner",
            token: Some(credentials[0].clone()),
            staff: true,
            admin: false,
            at_a: ALL,
            at_b: &[],
        },
        Who {
            name: "programme",
            token: Some(credentials[1].clone()),
            staff: true,
            admin: false,
            at_a: &["programme"],
            at_b: &[],
        },
        Who {
            name: "box office",
            token: Some(credentials[2].clone()),
            staff: true,
            admin: false,
            at_a: &["box_office"],
            at_b: &[],
        },
        Who {
            name: "door lead",
            token: Some(credentials[3].clone()),
            staff: true,
            admin: false,
            at_a: &["door_lead", "door"],
            at_b: &[],
        },
        Who {
            name: "reports",
            token: Some(credentials[4].clone()),
            staff: true,
            admin: false,
            at_a: &["reports"],
            at_b: &[],
        },
        Who {
            name: "door",
            token: Some(credentials[5].clone()),
            staff: true,
            admin: false,
            at_a: &["door"],
            at_b: &[],
        },
        Who {
            name: "owner of B",
            token: Some(owner_b.clone()),
            staff: true,
            admin: false,
            at_a: &[],
            at_b: ALL,
        },
        Who {
            name: "token of B",
            token: Some(token_b.clone()),
            staff: true,
            admin: false,
            at_a: &[],
            at_b: &["programme", "box_office", "door_lead", "reports", "door"],
        },
    ];

    use Needs::*;
    let api: Vec<(&str, String, Needs, Value)> = vec![
        ("GET", "/api/v1/festivals".into(), Public, json!({})),
        ("POST", "/api/v1/festivals".into(), Admin, json!({})),
        ("GET", format!("/api/v1/festivals/{fa}"), Public, json!({})),
        (
            "PATCH",
            format!("/api/v1/festivals/{fa}"),
            At("team"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/festivals/{fa}"),
            Admin,
            json!({}),
        ),
        ("GET", "/api/v1/venues".into(), Public, json!({})),
        (
            "POST",
            "/api/v1/venues".into(),
            Anywhere("programme"),
            json!({}),
        ),
        ("GET", format!("/api/v1/venues/{ve}"), Public, json!({})),
        (
            "PATCH",
            format!("/api/v1/venues/{ve}"),
            Anywhere("programme"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/venues/{ve}"),
            Anywhere("programme"),
            json!({}),
        ),
        ("GET", "/api/v1/films".into(), Public, json!({})),
        (
            "POST",
            "/api/v1/films".into(),
            Anywhere("programme"),
            json!({}),
        ),
        ("GET", format!("/api/v1/films/{fi}"), Public, json!({})),
        (
            "PATCH",
            format!("/api/v1/films/{fi}"),
            Anywhere("programme"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/films/{fi}"),
            Anywhere("programme"),
            json!({}),
        ),
        (
            "POST",
            "/api/v1/screenings".into(),
            Anywhere("programme"),
            json!({}),
        ),
        ("GET", format!("/api/v1/screenings/{sc}"), Public, json!({})),
        (
            "PATCH",
            format!("/api/v1/screenings/{sc}"),
            At("programme"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/screenings/{}", uuid::Uuid::now_v7()),
            Anywhere("programme"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/screenings"),
            Public,
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/programme/import?dry_run=true"),
            At("programme"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/screenings/{sc}/bookings"),
            Public,
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/screenings/{sc}/invitations"),
            At("box_office"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/bookings/{booking}"),
            Holder(true, &["box_office"]),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/tickets/{ticket}/qr.png"),
            Holder(true, &["box_office"]),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/tickets/{ticket}/qr.svg"),
            Holder(true, &["box_office"]),
            json!({}),
        ),
        ("GET", "/api/v1/keys".into(), Public, json!({})),
        ("POST", "/api/v1/find-my-tickets".into(), Public, json!({})),
        (
            "GET",
            format!("/api/v1/screenings/{sc}/waitlist"),
            At("box_office"),
            json!({}),
        ),
        (
            "PATCH",
            format!("/api/v1/screenings/{sc}/waitlist"),
            At("box_office"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/screenings/{sc}/waitlist"),
            Public,
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/waitlist-entries/{entry}/move"),
            At("box_office"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/waitlist-entries/{}", uuid::Uuid::now_v7()),
            Anywhere("box_office"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/waitlist/{entry_token}"),
            Public,
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/waitlist/{unknown}"),
            Public,
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/waitlist/{unknown}/claim"),
            Public,
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/pass-types"),
            At("box_office"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/pass-types"),
            At("box_office"),
            json!({}),
        ),
        (
            "PATCH",
            format!("/api/v1/pass-types/{pass_type}"),
            At("box_office"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/passes"),
            At("box_office"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/passes"),
            At("box_office"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/passes/import?dry_run=true"),
            At("box_office"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/passes/{pass}"),
            Holder(false, &["box_office"]),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/passes/{}", uuid::Uuid::now_v7()),
            Anywhere("box_office"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/passes/{pass}/resend"),
            At("box_office"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/passes/{pass}/photo"),
            Holder(false, &["box_office", "door"]),
            json!({}),
        ),
        (
            "PUT",
            format!("/api/v1/passes/{pass}/photo"),
            At("box_office"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/passes/{pass}/photo"),
            At("box_office"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/passes/{pass}/reservations"),
            Holder(false, &["box_office"]),
            json!({"screening_id": sc}),
        ),
        (
            "DELETE",
            format!("/api/v1/passes/{pass}/reservations/{sc}"),
            Holder(false, &["box_office"]),
            json!({}),
        ),
        ("POST", "/api/v1/scans".into(), Signed, json!({})),
        ("POST", "/api/v1/scans/sync".into(), Signed, json!({})),
        (
            "POST",
            format!("/api/v1/scans/{}/annul", uuid::Uuid::now_v7()),
            Signed,
            json!({}),
        ),
        ("POST", "/api/v1/decode".into(), Anywhere("door"), json!({})),
        (
            "GET",
            format!("/api/v1/door/bundle?screening_id={sc}"),
            At("door"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/screenings/{sc}/events"),
            At("door"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/screenings/{sc}/standby"),
            At("door"),
            json!({}),
        ),
        (
            "PATCH",
            format!("/api/v1/screenings/{sc}/standby"),
            At("door_lead"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/screenings/{sc}/standby/numbers"),
            At("door"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/screenings/{sc}/standby/admit"),
            At("door"),
            json!({"door": "Door A"}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/conflicts"),
            At("door_lead"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/scan-log/verify"),
            At("door_lead"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/report"),
            At("reports"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/report/totals.csv"),
            At("reports"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/consistency"),
            At("reports"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/events"),
            At("reports"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/screenings/{sc}/arrivals"),
            At("reports"),
            json!({}),
        ),
        ("GET", "/api/v1/outbox".into(), Admin, json!({})),
        (
            "POST",
            format!("/api/v1/outbox/{message}/resend"),
            At("box_office"),
            json!({}),
        ),
        ("POST", "/api/v1/my-data".into(), Public, json!({})),
        (
            "GET",
            format!("/api/v1/my-data/{unknown}"),
            Public,
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/my-data/{unknown}"),
            Public,
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/my-data/{unknown}/consents/news"),
            Public,
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/erasures"),
            At("team"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/privacy"),
            At("team"),
            json!({}),
        ),
        (
            "PUT",
            format!("/api/v1/festivals/{fa}/privacy-notice/en"),
            At("team"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/shred"),
            At("team"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/team"),
            At("door_lead"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/team"),
            At("door_lead"),
            json!({}),
        ),
        (
            "PUT",
            format!("/api/v1/festivals/{fa}/team/{target}"),
            At("door_lead"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/tokens"),
            At("team"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/festivals/{fa}/tokens"),
            At("team"),
            json!({}),
        ),
        (
            "DELETE",
            format!("/api/v1/festivals/{fa}/tokens/{token_id}"),
            At("team"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/festivals/{fa}/audit"),
            At("team"),
            json!({}),
        ),
        ("GET", "/healthz".into(), Public, json!({})),
        ("GET", "/readyz".into(), Public, json!({})),
        // Last: it cancels the booking the routes above read.
        (
            "DELETE",
            format!("/api/v1/bookings/{booking}"),
            Holder(true, &["box_office"]),
            json!({}),
        ),
    ];

    // Every operation of the API document has its line above.
    let document: Value = app
        .client
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut missing = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            if !api
                .iter()
                .any(|(m, p, ..)| *m == method && instance_of(path, p))
            {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes the matrix does not walk: {missing:#?}"
    );

    for (method, path, needs, body) in &api {
        for who in &whos {
            let mut request = app
                .client
                .request(method.parse().unwrap(), format!("{}{path}", app.address))
                .json(body);
            if let Some(token) = &who.token {
                request = request.bearer_auth(token);
            }
            let status = request.send().await.unwrap().status().as_u16();
            check(who, *needs, method, path, status);
        }
    }

    // The organisers' pages and forms: the same rules, a form with its CSRF token.
    let pages: Vec<(&str, String, Needs)> = vec![
        ("GET", "/admin".into(), Admin),
        ("POST", "/admin/festivals".into(), Admin),
        ("GET", "/admin/venues".into(), Anywhere("programme")),
        ("POST", "/admin/venues".into(), Anywhere("programme")),
        ("GET", format!("/admin/venues/{ve}"), Anywhere("programme")),
        ("POST", format!("/admin/venues/{ve}"), Anywhere("programme")),
        (
            "POST",
            format!("/admin/venues/{ve}/delete"),
            Anywhere("programme"),
        ),
        ("GET", "/admin/films".into(), Anywhere("programme")),
        ("POST", "/admin/films".into(), Anywhere("programme")),
        ("GET", format!("/admin/films/{fi}"), Anywhere("programme")),
        ("POST", format!("/admin/films/{fi}"), Anywhere("programme")),
        (
            "POST",
            format!("/admin/films/{fi}/delete"),
            Anywhere("programme"),
        ),
        ("GET", "/admin/staff".into(), Admin),
        ("POST", "/admin/staff".into(), Admin),
        ("GET", format!("/admin/staff/{owner_id}/revoke"), Admin),
        ("POST", format!("/admin/staff/{owner_id}/revoke"), Admin),
        ("GET", format!("/admin/festivals/{fa}"), At("reports")),
        ("GET", format!("/admin/festivals/{fa}/live"), At("reports")),
        ("GET", format!("/admin/screenings/{sc}"), At("reports")),
        (
            "GET",
            format!("/admin/festivals/{fa}/screenings"),
            At("programme"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/screenings"),
            At("programme"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/programme/import"),
            At("programme"),
        ),
        (
            "GET",
            format!("/admin/screenings/{sc}/edit"),
            At("programme"),
        ),
        (
            "POST",
            format!("/admin/screenings/{sc}/edit"),
            At("programme"),
        ),
        (
            "POST",
            format!("/admin/screenings/{sc}/status"),
            At("programme"),
        ),
        (
            "POST",
            format!("/admin/screenings/{full_id}/delete"),
            At("programme"),
        ),
        (
            "GET",
            format!("/admin/screenings/{sc}/cancel"),
            At("programme"),
        ),
        (
            "POST",
            format!("/admin/screenings/{sc}/invitations"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/screenings/{sc}/waitlist"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/screenings/{sc}/standby"),
            At("door_lead"),
        ),
        (
            "POST",
            format!("/admin/waitlist-entries/{entry}/move"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/waitlist-entries/{}/remove", uuid::Uuid::now_v7()),
            Anywhere("box_office"),
        ),
        (
            "GET",
            format!("/admin/festivals/{fa}/passes"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/passes"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/pass-types"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/passes/import"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/passes/{pass}/revoke"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/passes/{pass}/resend"),
            At("box_office"),
        ),
        (
            "GET",
            "/admin/bookings?q=ana".into(),
            Anywhere("box_office"),
        ),
        (
            "GET",
            format!("/admin/bookings/{booking}"),
            At("box_office"),
        ),
        (
            "POST",
            format!("/admin/bookings/{booking}/resend"),
            At("box_office"),
        ),
        (
            "GET",
            format!("/admin/outbox/{message}/message.eml"),
            At("box_office"),
        ),
        ("GET", "/admin/outbox".into(), Admin),
        (
            "POST",
            format!("/admin/outbox/{message}/resend"),
            At("box_office"),
        ),
        ("GET", format!("/admin/festivals/{fa}/privacy"), At("team")),
        (
            "POST",
            format!("/admin/festivals/{fa}/privacy/notice"),
            At("team"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/privacy/erase"),
            At("team"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/privacy/shred"),
            At("team"),
        ),
        (
            "GET",
            format!("/admin/festivals/{fa}/team"),
            At("door_lead"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/team"),
            At("door_lead"),
        ),
        (
            "POST",
            format!("/admin/festivals/{fa}/team/{target}"),
            At("door_lead"),
        ),
        ("POST", format!("/admin/festivals/{fa}/tokens"), At("team")),
        (
            "POST",
            format!("/admin/festivals/{fa}/tokens/{token_id}/revoke"),
            At("team"),
        ),
        ("GET", format!("/admin/festivals/{fa}/audit"), At("team")),
        ("GET", "/account".into(), Person),
        ("POST", "/account/email".into(), Person),
        ("POST", "/account/totp".into(), Person),
        ("POST", "/account/recovery-codes".into(), Person),
        ("POST", "/account/sessions/unknown/end".into(), Person),
        ("POST", "/account/sessions/end-others".into(), Person),
        ("POST", "/account/passkeys/start".into(), Person),
        ("POST", "/account/passkeys/finish".into(), Signed),
        ("POST", "/account/passkeys/unknown/remove".into(), Signed),
        ("POST", "/signin/email".into(), Public),
        ("POST", "/signin/passkey/start".into(), Public),
        ("POST", "/signin/passkey/finish".into(), Public),
        // Last: it cancels the booking.
        (
            "POST",
            format!("/admin/bookings/{booking}/cancel"),
            At("box_office"),
        ),
    ];
    let csrf = marquee::domain::secret::new_token();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (method, path, needs) in &pages {
        for who in &whos {
            let mut request = plain
                .request(method.parse().unwrap(), format!("{}{path}", app.address))
                .header("Cookie", format!("marquee_csrf={csrf}"));
            if *method == "POST" {
                request = request.form(&[("csrf", csrf.as_str())]);
            }
            if let Some(token) = &who.token {
                request = request.bearer_auth(token);
            }
            let status = request.send().await.unwrap().status().as_u16();
            check(who, *needs, method, path, status);
        }
    }
}

/// Whether `status` is what `who` should get on a route that `needs`.
fn check(who: &Who, needs: Needs, method: &str, path: &str, status: u16) {
    let context = format!("{} {method} {path}: {status}", who.name);
    assert!(status < 500, "{context}");
    if who.may(needs) {
        assert!(![401, 403].contains(&status), "allowed, but {context}");
        return;
    }
    let expected: &[u16] = match (needs, who.staff) {
        (Needs::Holder(..), _) if who.name == "anonymous" => &[401],
        // Not theirs: the same answer as nothing there.
        (Needs::Holder(..), _) => &[404],
        // A form that does not read (only its CSRF field is sent) may be refused as such
        // before the credential is looked up: nothing runs either way.
        (_, false) if method == "POST" && !path.starts_with("/api/") => &[400, 401],
        (_, true) if method == "POST" && !path.starts_with("/api/") => &[400, 403],
        (_, false) => &[401],
        (_, true) => &[403],
    };
    assert!(expected.contains(&status), "refused, but {context}");
}

async fn an_owner_builds_the_team_and_a_door_lead_adds_only_door_staff(app: TestApp) {
    let f = app.fixture().await;
    let fa = &f.festival_id;
    let (owner_id, owner) = member(&app, fa, "Mai Owner", &["owner"]).await;

    // The owner adds a box office member, who signs in with the link and finds their festival.
    let added: Value = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/team"),
            &json!({"name": "Bao Box", "roles": ["box_office", "reports"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(added["member"]["roles"], json!(["box_office", "reports"]));
    let bao = added["credential"].as_str().unwrap().to_owned();
    let bao_id = added["member"]["id"].as_str().unwrap().to_owned();
    let (status, _) = app.get_as(&bao, &format!("/festivals/{fa}/passes")).await;
    assert_eq!(status, 200);
    let (status, _) = app.get_as(&bao, &format!("/festivals/{fa}/privacy")).await;
    assert_eq!(status, 403, "box office is not the team");

    // Web sign-in with the member's link: the staff page lists the festival and its pages.
    let signin = app
        .client
        .post(format!("{}/signin", app.address))
        .header("Cookie", "marquee_csrf=x")
        .form(&[("token", bao.as_str())])
        .send()
        .await
        .unwrap();
    drop(signin);
    let home = app
        .client
        .get(format!("{}/staff", app.address))
        .bearer_auth(&bao)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Film Week"), "{home}");
    assert!(
        home.contains(&format!("/admin/festivals/{fa}/passes")),
        "{home}"
    );
    assert!(
        !home.contains(&format!("/admin/festivals/{fa}/privacy")),
        "{home}"
    );

    // Roles change at once: box office taken away, privacy still refused, passes now too.
    let changed = app
        .client
        .put(format!("{}/festivals/{fa}/team/{bao_id}", app.api))
        .bearer_auth(&owner)
        .json(&json!({"roles": ["reports"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let (status, _) = app.get_as(&bao, &format!("/festivals/{fa}/passes")).await;
    assert_eq!(status, 403, "box office taken away");
    let (status, _) = app.get_as(&bao, &format!("/festivals/{fa}/report")).await;
    assert_eq!(status, 200);

    // A door lead adds door staff, and nothing else.
    let (_, lead) = member(&app, fa, "Duc Lead", &["door_lead"]).await;
    let door = app
        .post_as(
            &lead,
            &format!("/festivals/{fa}/team"),
            &json!({"name": "Door 2", "roles": ["door"]}),
        )
        .await;
    assert_eq!(door.status(), 201);
    let refused = app
        .post_as(
            &lead,
            &format!("/festivals/{fa}/team"),
            &json!({"name": "Sneaky", "roles": ["box_office"]}),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let refused = app
        .client
        .put(format!("{}/festivals/{fa}/team/{bao_id}", app.api))
        .bearer_auth(&lead)
        .json(&json!({"roles": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "a door lead takes no reports role");

    // Bad input: an unknown role, no role, both name and id — named, nothing written.
    let before = app.count("SELECT COUNT(*) AS n FROM staff");
    for body in [
        json!({"name": "X", "roles": ["superuser"]}),
        json!({"name": "X", "roles": []}),
        json!({"name": "X", "staff_id": bao_id, "roles": ["door"]}),
        json!({"name": "", "roles": ["door"]}),
    ] {
        let response = app
            .post_as(&owner, &format!("/festivals/{fa}/team"), &body)
            .await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert!(problem["message"].as_str().is_some(), "{problem}");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM staff"), before);

    // An owner cannot take their own ownership (another owner can).
    let own = app
        .client
        .put(format!("{}/festivals/{fa}/team/{owner_id}", app.api))
        .bearer_auth(&owner)
        .json(&json!({"roles": ["reports"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 409);

    // The team as listed: names and roles, no credential.
    let (status, team) = app.get_as(&owner, &format!("/festivals/{fa}/team")).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = team["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for name in ["Mai Owner", "Bao Box", "Duc Lead", "Door 2"] {
        assert!(names.contains(&name), "{team}");
    }
    assert!(
        !team.to_string().contains(&bao),
        "no credential in the list"
    );

    // A member of another festival given a role here by its id keeps their roles there.
    let other = app
        .create(
            "/festivals",
            json!({"slug": "ob", "name": "Other", "starts_on": "2030-12-06",
                   "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 5}),
        )
        .await;
    let ob = other["id"].as_str().unwrap();
    let given = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{ob}/team"),
            &json!({"staff_id": bao_id, "roles": ["owner"]}),
        )
        .await;
    assert_eq!(given.status(), 200);
    let (status, _) = app.get_as(&bao, &format!("/festivals/{ob}/privacy")).await;
    assert_eq!(status, 200, "owner there");
    let (status, _) = app.get_as(&bao, &format!("/festivals/{fa}/privacy")).await;
    assert_eq!(status, 403, "still only reports here");
}

async fn an_api_token_is_held_to_its_festival_its_permissions_and_its_life(app: TestApp) {
    let f = app.fixture().await;
    let fa = &f.festival_id;
    let other = app
        .create(
            "/festivals",
            json!({"slug": "ob", "name": "Other", "starts_on": "2030-12-06",
                   "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 5}),
        )
        .await;
    let ob = other["id"].as_str().unwrap();
    let (_, owner) = member(&app, fa, "Mai Owner", &["owner"]).await;

    let made = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/tokens"),
            &json!({"name": "Sponsor dashboard", "permissions": ["reports"], "expires_in_days": 30}),
        )
        .await;
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    let secret = made["credential"].as_str().unwrap().to_owned();
    let id = made["token"]["id"].as_str().unwrap().to_owned();
    assert_eq!(made["token"]["permissions"], json!(["reports"]));

    // Its festival's reports; not another festival's, not its festival's passes.
    let (status, _) = app
        .get_as(&secret, &format!("/festivals/{fa}/report"))
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .get_as(&secret, &format!("/festivals/{ob}/report"))
        .await;
    assert_eq!(status, 403, "limited to one festival");
    let (status, _) = app
        .get_as(&secret, &format!("/festivals/{fa}/passes"))
        .await;
    assert_eq!(status, 403, "limited to its permissions");
    let (status, _) = app
        .get_as(&secret, &format!("/festivals/{fa}/tokens"))
        .await;
    assert_eq!(status, 403, "a token makes no tokens");

    // Listed with its last use, never its secret.
    let (status, list) = app.get_as(&owner, &format!("/festivals/{fa}/tokens")).await;
    assert_eq!(status, 200);
    let listed = &list["tokens"][0];
    assert_eq!(listed["id"], id.as_str());
    assert!(listed["last_used_at"].is_string(), "{list}");
    assert!(listed["expires_at"].is_string(), "{list}");
    assert!(!list.to_string().contains(&secret));

    // Bad input, named; nothing made.
    for body in [
        json!({"name": "x", "permissions": ["team"]}),
        json!({"name": "x", "permissions": []}),
        json!({"name": "x", "permissions": ["reports"], "expires_in_days": 0}),
        json!({"name": "x", "permissions": ["reports"], "expires_in_days": 400}),
        json!({"name": "", "permissions": ["reports"]}),
    ] {
        let response = app
            .post_as(&owner, &format!("/festivals/{fa}/tokens"), &body)
            .await;
        assert_eq!(response.status(), 422, "{body}");
    }
    let (_, list) = app.get_as(&owner, &format!("/festivals/{fa}/tokens")).await;
    assert_eq!(list["tokens"].as_array().unwrap().len(), 1);

    // Revoked: refused at once.
    let revoked = app
        .delete_as(&owner, &format!("/festivals/{fa}/tokens/{id}"))
        .await;
    assert_eq!(revoked.status(), 204);
    let (status, _) = app
        .get_as(&secret, &format!("/festivals/{fa}/report"))
        .await;
    assert_eq!(status, 401);

    // Expired: refused.
    let made: Value = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/tokens"),
            &json!({"name": "Short", "permissions": ["reports"], "expires_in_days": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    let short = made["credential"].as_str().unwrap().to_owned();
    let short_id = made["token"]["id"].as_str().unwrap();
    let (status, _) = app.get_as(&short, &format!("/festivals/{fa}/report")).await;
    assert_eq!(status, 200);
    {
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().unwrap();
        diesel::sql_query(format!(
            "UPDATE staff SET expires_at = created_at WHERE id = '{short_id}'"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    // Remembered for at most the credential cache's time.
    tokio::time::sleep(marquee::db::credentials::CREDENTIAL_TTL).await;
    let (status, _) = app.get_as(&short, &format!("/festivals/{fa}/report")).await;
    assert_eq!(status, 401, "expired");
}

/// The audit entries of festival A, newest first, as its owner reads them.
async fn entries(app: &TestApp, owner: &str, fa: &str, query: &str) -> Vec<Value> {
    let (status, trail) = app
        .get_as(owner, &format!("/festivals/{fa}/audit{query}"))
        .await;
    assert_eq!(status, 200, "{trail}");
    trail["entries"].as_array().unwrap().clone()
}

async fn every_kind_of_change_leaves_one_audit_entry_and_none_can_be_changed(app: TestApp) {
    let f = app.fixture().await;
    let (fa, sc) = (&f.festival_id, &f.screening_id);
    let (owner_id, owner) = member(&app, fa, "Mai Owner", &["owner"]).await;
    // What the fixture made was made by the administrator.
    let before = entries(&app, &owner, fa, "").await;
    assert!(
        before.iter().any(|e| e["action"] == "screening.create"
            && e["actor"] == "Olivia Organiser"
            && e["session"] == "credential"),
        "{before:#?}"
    );
    assert!(before.iter().any(|e| e["action"] == "team.roles"));

    // One change of each kind, by the owner, through the API.
    let patch = app
        .patch_as(
            &owner,
            &format!("/screenings/{sc}"),
            &json!({"capacity": 25}),
        )
        .await;
    assert_eq!(patch.status(), 200);
    let patch = app
        .patch_as(
            &owner,
            &format!("/festivals/{fa}"),
            &json!({"attendance_goal": 900}),
        )
        .await;
    assert_eq!(patch.status(), 200);
    let invited = app
        .post_as(
            &owner,
            &format!("/screenings/{sc}/invitations"),
            &json!({"name": "Guest", "email": "guest@example.org", "country": "VN", "seats": 1, "category": "guest"}),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let invited: Value = invited.json().await.unwrap();
    let invitation = invited["booking"]["id"].as_str().unwrap().to_owned();
    let (_, booked) = app.book(sc, 1, "ana@example.org").await;
    let booking = booked["booking"]["id"].as_str().unwrap().to_owned();
    let (status, _) = app.get_as(&owner, &format!("/bookings/{booking}")).await;
    assert_eq!(status, 200);
    let cancelled = app.delete_as(&owner, &format!("/bookings/{booking}")).await;
    assert_eq!(cancelled.status(), 200);
    let kind: Value = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/pass-types"),
            &json!({"name": "Jury", "category": "jury"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let issued: Value = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/passes"),
            &json!({"pass_type_id": kind["id"], "name": "Lan", "email": "lan@example.org"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pass = issued["pass"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.delete_as(&owner, &format!("/passes/{pass}"))
            .await
            .status(),
        200
    );
    let (status, _) = app.get_as(&owner, &format!("/festivals/{fa}/passes")).await;
    assert_eq!(status, 200);
    let settings = app
        .patch_as(
            &owner,
            &format!("/screenings/{sc}/waitlist"),
            &json!({"open": true}),
        )
        .await;
    assert_eq!(settings.status(), 200);
    let settings = app
        .patch_as(
            &owner,
            &format!("/screenings/{sc}/standby"),
            &json!({"release_minutes_before_start": 10}),
        )
        .await;
    assert_eq!(settings.status(), 200);
    let notice = app
        .client
        .put(format!("{}/festivals/{fa}/privacy-notice/en", app.api))
        .bearer_auth(&owner)
        .json(&json!({"body": "We keep your data for the festival."}))
        .send()
        .await
        .unwrap();
    assert_eq!(notice.status(), 200);
    let (added_id, _) = {
        let added: Value = app
            .post_as(
                &owner,
                &format!("/festivals/{fa}/team"),
                &json!({"name": "Door 3", "roles": ["door"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        (added["member"]["id"].as_str().unwrap().to_owned(), ())
    };
    let token: Value = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/tokens"),
            &json!({"name": "Sponsor", "permissions": ["reports"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token_id = token["token"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.delete_as(&owner, &format!("/festivals/{fa}/tokens/{token_id}"))
            .await
            .status(),
        204
    );
    let erased = app
        .post_as(
            &owner,
            &format!("/festivals/{fa}/erasures"),
            &json!({"email": "ana@example.org"}),
        )
        .await;
    assert_eq!(erased.status(), 200);
    let cancel = app.delete_as(&owner, &format!("/screenings/{sc}")).await;
    assert_eq!(cancel.status(), 200);

    let trail = entries(&app, &owner, fa, "").await;
    let by_owner: Vec<&Value> = trail.iter().filter(|e| e["actor"] == "Mai Owner").collect();
    let expected = [
        ("screening.update", format!("screening:{sc}")),
        ("festival.update", format!("festival:{fa}")),
        ("invitation.create", format!("booking:{invitation}")),
        ("booking.open", format!("booking:{booking}")),
        ("booking.cancel", format!("booking:{booking}")),
        (
            "pass_type.create",
            format!("pass_type:{}", kind["id"].as_str().unwrap()),
        ),
        ("pass.issue", format!("pass:{pass}")),
        ("pass.revoke", format!("pass:{pass}")),
        ("pass.list", format!("festival:{fa}")),
        ("waitlist.settings", format!("screening:{sc}")),
        ("standby.settings", format!("screening:{sc}")),
        ("privacy.notice", format!("festival:{fa}")),
        ("staff.create", format!("staff:{added_id}")),
        ("team.roles", format!("staff:{added_id}")),
        ("token.create", format!("token:{token_id}")),
        ("token.revoke", format!("token:{token_id}")),
        ("person.erase", "person".to_owned()),
        ("screening.cancel", format!("screening:{sc}")),
    ];
    for (action, subject) in &expected {
        let found: Vec<&&Value> = by_owner
            .iter()
            .filter(|e| e["action"] == *action && e["subject"] == subject.as_str())
            .collect();
        assert_eq!(found.len(), 1, "one {action} on {subject}: {by_owner:#?}");
        let entry = found[0];
        assert_eq!(entry["actor_id"], owner_id.as_str());
        assert_eq!(entry["session"], "credential");
        assert!(
            chrono::DateTime::parse_from_rfc3339(entry["at"].as_str().unwrap()).is_ok(),
            "{entry}"
        );
    }
    // Before and after, as they were.
    let update = by_owner
        .iter()
        .find(|e| e["action"] == "screening.update")
        .unwrap();
    let (was, is): (Value, Value) = (
        serde_json::from_str(update["before"].as_str().unwrap()).unwrap(),
        serde_json::from_str(update["after"].as_str().unwrap()).unwrap(),
    );
    assert_eq!(
        (was["capacity"].as_i64(), is["capacity"].as_i64()),
        (Some(30), Some(25))
    );
    let goal = by_owner
        .iter()
        .find(|e| e["action"] == "festival.update")
        .unwrap();
    assert!(
        goal["before"]
            .as_str()
            .unwrap()
            .contains("\"attendance_goal\":500")
    );
    assert!(
        goal["after"]
            .as_str()
            .unwrap()
            .contains("\"attendance_goal\":900")
    );
    // Newest first; and no attendee's name or address anywhere in it.
    let text = serde_json::to_string(&trail).unwrap();
    for personal in [
        "ana@example.org",
        "guest@example.org",
        "lan@example.org",
        "Lan",
        "Ana Nguyen",
    ] {
        assert!(!text.contains(personal), "{personal} in the audit trail");
    }
    let times: Vec<&str> = trail.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");

    // Filters: by action, by person, by day.
    let passes = entries(&app, &owner, fa, "?action=pass.").await;
    assert!(
        !passes.is_empty()
            && passes
                .iter()
                .all(|e| e["action"].as_str().unwrap().starts_with("pass."))
    );
    let mine = entries(&app, &owner, fa, &format!("?actor={owner_id}")).await;
    assert_eq!(mine.len(), by_owner.len());
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d");
    assert!(
        entries(&app, &owner, fa, &format!("?since={tomorrow}"))
            .await
            .is_empty()
    );
    for bad in [
        "?since=yesterday",
        "?actor=someone",
        "?format=xml",
        "?who=me",
    ] {
        let (status, body) = app
            .get_as(&owner, &format!("/festivals/{fa}/audit{bad}"))
            .await;
        assert!([400, 422].contains(&status), "{bad}: {status} {body}");
    }

    // The CSV: a header, then one row per entry.
    let csv = app
        .fetch_as(&owner, &format!("/festivals/{fa}/audit?format=csv"))
        .await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "at", "actor_id", "actor", "session", "action", "subject", "before", "after"
        ]
    );
    assert_eq!(reader.records().count(), trail.len());

    // The page, with the same entries.
    let page = app
        .client
        .get(format!(
            "{}/admin/festivals/{fa}/audit?action=token",
            app.address
        ))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("token.create") && page.contains("token.revoke"));
    assert!(!page.contains("pass.issue"), "filtered");

    // Append-only: the database itself refuses to change or delete an entry.
    {
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().unwrap();
        let changed =
            diesel::sql_query("UPDATE audit_log SET actor_name = 'nobody'").execute(&mut conn);
        assert!(changed.is_err(), "an entry was changed");
        let deleted = diesel::sql_query("DELETE FROM audit_log").execute(&mut conn);
        assert!(deleted.is_err(), "an entry was deleted");
    }
    assert_eq!(entries(&app, &owner, fa, "").await.len(), trail.len());
}

/// A member of festival A reaches nothing of festival B: not with B's ids written in capitals
/// or without hyphens, not with a festival id padded with spaces, not by re-adding B's or A's
/// people; and an API token adds nobody and opens no web session.
async fn another_festival_stays_out_of_reach_however_its_ids_are_written(app: TestApp) {
    let f = app.fixture().await;
    let fa = &f.festival_id;
    let b = app
        .create(
            "/festivals",
            json!({"slug": "fb", "name": "Festival B", "starts_on": "2030-12-06",
                   "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 5}),
        )
        .await;
    let fb = b["id"].as_str().unwrap().to_owned();
    let venue = json!({"id": f.venue_id});
    let film = json!({"id": f.film_id});
    let screening_b = app
        .create(
            "/screenings",
            app.screening_body(&b, &venue, &film, "Grande Salle", 2),
        )
        .await;
    let sb = screening_b["id"].as_str().unwrap().to_owned();
    let (_, booked) = app.book(&sb, 1, "b@example.org").await;
    let booking_b = booked["booking"]["id"].as_str().unwrap().to_owned();
    let (owner_a_id, owner_a) = member(&app, fa, "Owner A", &["owner"]).await;
    let (_, box_office_a) = member(&app, fa, "Box A", &["box_office", "programme"]).await;
    let (_, lead_a) = member(&app, fa, "Lead A", &["door_lead"]).await;

    for id in [booking_b.to_uppercase(), booking_b.replace('-', "")] {
        let page = app
            .client
            .get(format!("{}/admin/bookings/{id}", app.address))
            .bearer_auth(&box_office_a)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 403, "B's booking as {id}");
    }
    for id in [sb.to_uppercase(), format!("{{{sb}}}")] {
        let patched = app
            .patch_as(
                &box_office_a,
                &format!("/screenings/{id}"),
                &json!({"capacity": 5}),
            )
            .await;
        assert_eq!(patched.status(), 403, "B's screening as {id}");
    }
    let mut body = app.screening_body(&b, &venue, &film, "Petite", 3);
    body["festival_id"] = json!(format!(" {fb}"));
    let made = app.post_as(&box_office_a, "/screenings", &body).await;
    assert_eq!(made.status(), 403, "a screening in B by a padded id");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM screenings WHERE festival_id = '{fb}'"
        )),
        1
    );

    // A door lead cannot demote an owner by giving them the door role afresh.
    let demoted = app
        .post_as(
            &lead_a,
            &format!("/festivals/{fa}/team"),
            &json!({"staff_id": owner_a_id, "roles": ["door"]}),
        )
        .await;
    assert_eq!(demoted.status(), 403);
    let (status, _) = app
        .get_as(&owner_a, &format!("/festivals/{fa}/privacy"))
        .await;
    assert_eq!(status, 200, "still the owner");

    // An API token with the door lead's permission adds nobody, and signs nobody in on the web.
    let token: Value = app
        .post_as(
            &owner_a,
            &format!("/festivals/{fa}/tokens"),
            &json!({"name": "Gate", "permissions": ["door_lead", "door"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let secret = token["credential"].as_str().unwrap();
    let added = app
        .post_as(
            secret,
            &format!("/festivals/{fa}/team"),
            &json!({"name": "Forever", "roles": ["door"]}),
        )
        .await;
    assert_eq!(added.status(), 403);
    let csrf = marquee::domain::secret::new_token();
    let signed_in = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/signin", app.address))
        .header("Cookie", format!("marquee_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str()), ("token", secret)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 401, "a token opens no session");
}
