//! Nothing acknowledged is lost: the real binary under a mixed booking and scanning load is killed
//! with SIGKILL, restarted, and every booking and admission its clients saw acknowledged is there,
//! complete, with every counter equal to the rows and the scan log intact. SIGTERM drains.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{Process, TestApp, new_browser};

on_both_backends!(
    acknowledged_bookings_and_admissions_survive_a_sigkill,
    sigterm_drains_in_flight_requests_and_exits_cleanly,
    with_a_drain_time_sigterm_says_not_ready_first_and_joins_every_thread,
);

async fn start(app: &TestApp) -> Process {
    Process::serve(&app.database_url, &[("RUST_LOG", "warn")], Stdio::null()).await
}

fn check(app: &TestApp, command: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg(command)
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[derive(Default)]
struct Acknowledged {
    bookings: Vec<(String, String, i64)>,
    admitted: Vec<String>,
}

async fn acknowledged_bookings_and_admissions_survive_a_sigkill(app: TestApp) {
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 20, "Grande Salle").await;
    let server = start(&app).await;
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    let deadline = Instant::now() + Duration::from_millis(1500);
    let clients = (0..8).map(|c| {
        let (api, screening, door, seen) = (server.api.clone(), screening.clone(), app.door_token.clone(), seen.clone());
        tokio::spawn(async move {
            let client = new_browser();
            for i in 0.. {
                if Instant::now() > deadline {
                    break;
                }
                let Ok(r) = client.post(format!("{api}/screenings/{screening}/bookings"))
                    .json(&json!({"name": "Crash", "email": format!("c{c}-{i}@example.org"), "country": "FR", "seats": 1 + (i % 2)}))
                    .send().await else { break };
                if r.status() != 201 {
                    break;
                }
                let Ok(b) = r.json::<Value>().await else { break };
                let code = b["tickets"][0]["code"].as_str().unwrap().to_owned();
                seen.lock().unwrap().bookings.push((
                    b["booking"]["id"].as_str().unwrap().to_owned(),
                    b["booking"]["manage_token"].as_str().unwrap().to_owned(),
                    b["booking"]["seats"].as_i64().unwrap(),
                ));
                let Ok(r) = client.post(format!("{api}/scans")).bearer_auth(&door)
                    .json(&json!({"code": code, "screening_id": screening, "door": format!("Door {c}"), "nonce": format!("crash-{c}-{i}")}))
                    .send().await else { break };
                if let Ok(answer) = r.json::<Value>().await
                    && answer["verdict"] == "admitted"
                {
                    seen.lock().unwrap().admitted.push(code);
                }
            }
        })
    });
    let load = tokio::spawn(join_all(clients));
    // Kill once the load is well under way (however slow the machine), mid-load.
    for _ in 0..600 {
        {
            let seen = seen.lock().unwrap();
            if seen.bookings.len() >= 20 && seen.admitted.len() >= 5 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut server = server;
    server.child.kill().expect("SIGKILL"); // mid-load
    server.child.wait().unwrap();
    load.await.unwrap();

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert!(
        seen.bookings.len() > 5 && !seen.admitted.is_empty(),
        "the load ran: {} bookings",
        seen.bookings.len()
    );
    let restarted = start(&app).await;
    for (id, token, seats) in &seen.bookings {
        let r = new_browser()
            .get(format!("{}/bookings/{id}", restarted.api))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "acknowledged booking {id} survived");
        let b: Value = r.json().await.unwrap();
        assert_eq!(
            b["tickets"].as_array().unwrap().len() as i64,
            *seats,
            "complete, never half-written"
        );
    }
    for code in &seen.admitted {
        let (status, answer) = app
            .scan_at(&restarted.api, &app.door_token, json!({"code": code, "screening_id": screening, "door": "After", "nonce": uuid::Uuid::new_v4().to_string()}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            answer["verdict"], "already_admitted",
            "acknowledged admission survived"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings b WHERE b.seats <> (SELECT COUNT(*) FROM tickets t WHERE t.booking_id = b.id)"),
        0,
        "no booking without all its tickets"
    );
    let (ok, out) = check(&app, "check-counters");
    assert!(ok, "every counter equals the rows: {out}");
    let (ok, out) = check(&app, "verify-scans");
    assert!(ok, "the scan log is intact: {out}");
}

async fn sigterm_drains_in_flight_requests_and_exits_cleanly(app: TestApp) {
    let f = app.fixture().await;
    let mut server = start(&app).await;
    // SIGTERM once the first answer is in: the others are then on their way or in flight.
    let first = Arc::new(tokio::sync::Notify::new());
    let requests = (0..40).map(|i| {
        let url = format!("{}/screenings/{}/bookings", server.api, f.screening_id);
        let first = first.clone();
        tokio::spawn(async move {
            let answer = new_browser()
                .post(url)
                .json(&json!({"name": "T", "email": format!("t{i}@example.org"), "country": "FR", "seats": 1}))
                .send()
                .await
                .map(|r| r.status().as_u16());
            first.notify_one();
            answer
        })
    });
    let requests = tokio::spawn(join_all(requests));
    first.notified().await;
    // SAFETY: sending a signal to our own child process, whose pid we hold.
    #[expect(
        unsafe_code,
        reason = "std can only SIGKILL a child; this test needs SIGTERM"
    )]
    let sent = unsafe { libc::kill(server.child.id() as i32, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let answered: Vec<u16> = requests
        .await
        .unwrap()
        .into_iter()
        .filter_map(|r| r.unwrap().ok())
        .collect();
    assert!(
        answered.iter().all(|s| *s == 201 || *s == 409),
        "answers while draining: {answered:?}"
    );
    assert!(
        !answered.is_empty(),
        "no request reached the server before SIGTERM"
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "the server did not exit after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "a clean exit: {status}");
    let created = answered.iter().filter(|s| **s == 201).count() as i64;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings"),
        created,
        "every 201 is stored"
    );
}

/// Behind a load balancer: after SIGTERM the instance says it is not ready while it still answers
/// (the balancer stops sending it requests), then stops; its background threads are joined.
async fn with_a_drain_time_sigterm_says_not_ready_first_and_joins_every_thread(app: TestApp) {
    let f = app.fixture().await;
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut server = Process::serve(
        &app.database_url,
        &[("RUST_LOG", "info"), ("MARQUEE_DRAIN_SECONDS", "3")],
        Stdio::from(log.reopen().unwrap()),
    )
    .await;
    let client = new_browser();
    let ready = client
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    crate::rolling::signal(&server.child, libc::SIGTERM);
    let started = Instant::now();
    loop {
        let status = client
            .get(format!("{}/readyz", server.address))
            .send()
            .await
            .unwrap()
            .status();
        if status == 503 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "still ready after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Still serving meanwhile: reads and writes.
    let programme = client
        .get(format!("{}/festivals", server.api))
        .send()
        .await
        .unwrap();
    assert_eq!(programme.status(), 200);
    let booked = client
        .post(format!(
            "{}/screenings/{}/bookings",
            server.api, f.screening_id
        ))
        .json(&json!({"name": "Late", "email": "late@example.org", "country": "FR", "seats": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    let status = crate::rolling::exited(&mut server.child).await;
    assert!(status.success(), "{status}");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "it stopped before its drain time"
    );
    assert!(
        client
            .get(format!("{}/healthz", server.address))
            .send()
            .await
            .is_err(),
        "nothing listens any more"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
    let log = std::fs::read_to_string(log.path()).unwrap();
    assert!(log.contains("no longer ready"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    assert!(!log.contains("did not stop in time"), "{log}");
}
