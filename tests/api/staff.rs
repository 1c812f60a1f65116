//! Staff credentials: created by the CLI, shown once, stored hashed, revocable; web sign-in.

use std::process::Command;

use serde_json::json;

use crate::helpers::{TestApp, csrf_of, new_browser};

on_both_backends!(
    staff_add_prints_a_credential_that_works_as_a_bearer_token,
    web_sign_in_sets_an_http_only_session_cookie_and_sign_out_ends_it,
    a_revoked_credential_stops_working_everywhere,
    door_staff_land_on_the_door_chooser_after_signing_in,
);

fn marquee(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run marquee")
}

async fn staff_add_prints_a_credential_that_works_as_a_bearer_token(app: TestApp) {
    let output = marquee(
        &app,
        &["staff", "add", "--role", "organiser", "--name", "Laure"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let credential = stdout.lines().last().unwrap().trim();
    assert_eq!(
        credential.len(),
        43,
        "the last line is the credential alone: {stdout}"
    );
    let hashed = app.count(&format!(
        "SELECT COUNT(*) AS n FROM staff WHERE token_hash = '{credential}'"
    ));
    assert_eq!(hashed, 0, "stored hashed, never in clear");

    let response = app
        .post_as(
            credential,
            "/films",
            &json!({"title": "Mai", "director": "Trấn Thành", "year": 2024, "runtime_minutes": 131, "country": "VN"}),
        )
        .await;
    assert_eq!(response.status(), 201);

    // A door-staff credential made the same way cannot write.
    let output = marquee(
        &app,
        &["staff", "add", "--role", "door", "--name", "Door 2"],
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let door = stdout.lines().last().unwrap().trim();
    let response = app.post_as(door, "/films", &json!({})).await;
    assert_eq!(response.status(), 403);

    // Bad arguments are a clear error, not a panic.
    let output = marquee(&app, &["staff", "add", "--role", "janitor", "--name", "X"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("organiser or door"));
    let output = marquee(
        &app,
        &[
            "staff",
            "add",
            "--role",
            "door",
            "--name",
            "X",
            "--festival",
            "nope",
        ],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no festival"));
    let output = marquee(
        &app,
        &[
            "staff",
            "add",
            "--role",
            "organiser",
            "--name",
            "X",
            "--venue",
            &uuid::Uuid::now_v7().to_string(),
        ],
    );
    assert!(
        !output.status.success(),
        "organisers are never limited to a venue"
    );
}

async fn web_sign_in_sets_an_http_only_session_cookie_and_sign_out_ends_it(app: TestApp) {
    let browser = new_browser();
    let form = crate::helpers::page_text(
        &browser,
        format!("{}/signin?token={}", app.address, app.organiser_token),
    )
    .await;
    let csrf = csrf_of(&form);

    // A wrong credential is refused on a page.
    let wrong = browser
        .post(format!("{}/signin", app.address))
        .form(&[("token", "nope"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    let signed_in = browser
        .post(format!("{}/signin", app.address))
        .form(&[
            ("token", app.organiser_token.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        signed_in.headers()["location"],
        "/staff",
        "organisers land on their home"
    );
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("marquee_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let home = crate::helpers::page_text(&browser, format!("{}/staff", app.address)).await;
    assert!(home.contains("Signed in as Olivia Organiser"));

    // The session authorises the API too (JSON content type: no cross-site form can send it).
    let created = browser
        .post(format!("{}/films", app.api))
        .json(&json!({"title": "Ròm", "director": "Trần Thanh Huy", "year": 2019, "runtime_minutes": 79, "country": "VN"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    let signed_out = browser
        .post(format!("{}/signout", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 303);
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 303, "signed out: sent to the sign-in page");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions"), 0);
}

async fn a_revoked_credential_stops_working_everywhere(app: TestApp) {
    let (browser, _) = app.sign_in(&app.organiser_token).await;
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200);
    let body = json!({"title": "Furie", "director": "Lê Văn Kiệt", "year": 2019, "runtime_minutes": 98, "country": "VN"});
    let id: String = {
        use diesel::prelude::*;
        use marquee::db::schema::staff;
        let mut conn = app.pool.get().unwrap();
        staff::table
            .filter(staff::role.eq("organiser"))
            .select(staff::id)
            .first(&mut conn)
            .unwrap()
    };
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["staff", "revoke", &id])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Revoked outside the server: believed for at most the credential cache's time.
    tokio::time::sleep(marquee::db::credentials::CREDENTIAL_TTL).await;
    let response = app.post_as(&app.organiser_token, "/films", &body).await;
    assert_eq!(response.status(), 401);
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        home.status(),
        303,
        "the web session ended with the credential"
    );
    let listed = marquee(&app, &["staff", "list"]);
    assert!(
        String::from_utf8(listed.stdout)
            .unwrap()
            .contains("revoked")
    );
}

async fn door_staff_land_on_the_door_chooser_after_signing_in(app: TestApp) {
    let f = app.fixture().await; // tomorrow
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let browser = new_browser();
    let (_, form) = crate::helpers::get_page(&browser, &format!("{}/signin", app.address)).await;
    let csrf = csrf_of(&form);
    let signed_in = browser
        .post(format!("{}/signin", app.address))
        .form(&[("token", app.door_token.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    assert_eq!(signed_in.headers()["location"], "/door");
    let (status, chooser) =
        crate::helpers::get_page(&browser, &format!("{}/door", app.address)).await;
    assert_eq!(status, 200);
    assert!(chooser.contains("Signed in as Dan Door"));
    // What is on now comes first; the rest is grouped by day.
    let on_now = chooser
        .find("On now (doors open)")
        .expect("an 'On now' group");
    let tonight = chooser.find(&format!("/door/screenings/{now}")).unwrap();
    let tomorrow = chooser
        .find(&format!("/door/screenings/{}", f.screening_id))
        .unwrap();
    assert!(on_now < tonight && tonight < tomorrow, "{chooser}");
    assert_eq!(
        chooser.matches("<h3>").count(),
        2,
        "On now, and tomorrow's day"
    );
}
