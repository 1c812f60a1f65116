//! Fail closed: a stored value Marquee never writes (a damaged row, another program's) is an
//! internal error — answered 500 without the value, its column named in the log and by the
//! command-line tools — never read as a default (the first status, the nil id, UTC).

use std::process::Command;

use crate::helpers::TestApp;

on_both_backends!(
    an_unreadable_screening_status_is_neither_scheduled_nor_cancelled,
    an_unreadable_ticket_or_booking_status_admits_nobody,
    an_unreadable_time_zone_is_not_utc,
    an_unreadable_id_is_not_the_nil_id,
    a_command_line_tool_prints_the_real_cause,
);

/// Writes what Marquee never would: the table's CHECK and foreign-key constraints are dropped or
/// switched off for this database first.
fn plant(app: &TestApp, table: &str, sql: &str) {
    if app.database_url.starts_with("postgres") {
        app.run_sql(&format!(
            "DO $$ DECLARE c record; BEGIN
               FOR c IN SELECT conname FROM pg_constraint
                        WHERE conrelid = '{table}'::regclass AND contype IN ('c', 'f') LOOP
                 EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', c.conname);
               END LOOP;
             END $$"
        ));
        app.run_sql(sql);
    } else {
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().unwrap();
        for statement in [
            "PRAGMA ignore_check_constraints = ON",
            "PRAGMA foreign_keys = OFF",
            sql,
            "PRAGMA foreign_keys = ON",
            "PRAGMA ignore_check_constraints = OFF",
        ] {
            diesel::sql_query(statement).execute(&mut conn).unwrap();
        }
    }
}

/// Writes `assignment` into the fixture's screening row, as [`plant`] does.
fn spoil_screening(app: &TestApp, screening: &str, assignment: &str) {
    plant(
        app,
        "screenings",
        &format!("UPDATE screenings SET {assignment} WHERE id = '{screening}'"),
    );
}

/// A 500 that says nothing of the stored value.
fn assert_internal(status: u16, body: &serde_json::Value, planted: &str) {
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"], "internal", "{body}");
    assert!(
        !body.to_string().contains(planted),
        "the stored value is logged, never shown: {body}"
    );
}

async fn an_unreadable_screening_status_is_neither_scheduled_nor_cancelled(app: TestApp) {
    let f = app.fixture().await;
    let (_, code, _) = app.ticket(&f.screening_id).await;
    spoil_screening(&app, &f.screening_id, "status = 'postponed'");
    let path = format!("/screenings/{}", f.screening_id);
    let (status, body) = app.get_as(&app.organiser_token, &path).await;
    assert_internal(status, &body, "postponed");
    let (status, body) = app.book(&f.screening_id, 1, "late@example.org").await;
    assert_internal(status, &body, "postponed");
    let (status, body) = app.try_scan(&code, &f.screening_id).await;
    assert_internal(status, &body, "postponed");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM tickets WHERE admitted_at IS NOT NULL"),
        0
    );
}

async fn an_unreadable_ticket_or_booking_status_admits_nobody(app: TestApp) {
    let f = app.fixture().await;
    let (ticket, code, _) = app.ticket(&f.screening_id).await;
    let (_, other_code, _) = app.ticket(&f.screening_id).await;
    plant(
        &app,
        "tickets",
        &format!("UPDATE tickets SET status = 'maybe' WHERE id = '{ticket}'"),
    );
    plant(
        &app,
        "bookings",
        &format!(
            "UPDATE bookings SET status = 'pending' WHERE id IN \
             (SELECT booking_id FROM tickets WHERE id <> '{ticket}')"
        ),
    );
    for (code, planted) in [(&code, "maybe"), (&other_code, "pending")] {
        let (status, body) = app.try_scan(code, &f.screening_id).await;
        assert_internal(status, &body, planted);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM tickets WHERE admitted_at IS NOT NULL"),
        0,
        "an unreadable status is never read as valid"
    );
}

async fn an_unreadable_time_zone_is_not_utc(app: TestApp) {
    let f = app.fixture().await;
    // A festival's days are counted in its zone (reports, the programme).
    plant(
        &app,
        "festivals",
        &format!(
            "UPDATE festivals SET timezone = 'Moon/Tranquility' WHERE id = '{}'",
            f.festival_id
        ),
    );
    let festival = format!("/festivals/{}", f.festival_id);
    let (status, body) = app.get_as(&app.organiser_token, &festival).await;
    assert_internal(status, &body, "Moon");
    let (status, body) = app.get_as(&app.organiser_token, "/festivals").await;
    assert_internal(status, &body, "Moon");
    plant(
        &app,
        "venues",
        &format!(
            "UPDATE venues SET timezone = 'Mars/Olympus_Mons' WHERE id = '{}'",
            f.venue_id
        ),
    );
    let (status, body) = app
        .get_as(&app.organiser_token, &format!("/venues/{}", f.venue_id))
        .await;
    assert_internal(status, &body, "Mars");
    let page = app.get(&format!("/screenings/{}", f.screening_id)).await;
    assert_eq!(page.status(), 500, "the page is not shown in UTC");
}

async fn an_unreadable_id_is_not_the_nil_id(app: TestApp) {
    let f = app.fixture().await;
    spoil_screening(&app, &f.screening_id, "film_id = 'not-a-uuid'");
    let path = format!("/screenings/{}", f.screening_id);
    let (status, body) = app.get_as(&app.organiser_token, &path).await;
    // The join finds no film "not-a-uuid": no screening to show, and never one of the nil film.
    assert!(
        status == 404 || status == 500,
        "never an answer built on a nil id: {status} {body}"
    );
    assert!(
        !body
            .to_string()
            .contains("00000000-0000-0000-0000-000000000000")
    );
    plant(
        &app,
        "staff",
        "UPDATE staff SET festival_id = 'garbage' WHERE role = 'door'",
    );
    let (status, body) = app.get_as(&app.door_token, "/outbox").await;
    assert_internal(status, &body, "garbage");
}

async fn a_command_line_tool_prints_the_real_cause(app: TestApp) {
    plant(
        &app,
        "staff",
        "UPDATE staff SET role = 'superuser' WHERE role = 'door'",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["staff", "list"])
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run marquee");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("staff.role") && stderr.contains("superuser"),
        "the operator reads the cause, not \"it has been logged\": {stderr}"
    );
    assert!(!stderr.contains("logged"), "{stderr}");
}
