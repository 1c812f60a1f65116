//! `Idempotency-Key` on the writes a person retries: the same key and body get the first answer
//! and write nothing more, whatever the number of retries, instances or concurrent attempts; the
//! same key with another body is refused.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::TestApp;

on_both_backends!(
    a_retried_booking_gets_the_first_answer_and_books_once,
    a_key_used_again_with_another_body_is_refused_and_changes_nothing,
    concurrent_retries_on_two_instances_book_once,
    a_refusal_is_the_answer_a_retry_gets_too,
    waiting_list_places_and_pass_reservations_are_retried_safely,
    answers_kept_for_retries_are_erased_with_the_person,
    a_retry_after_a_lost_answer_gets_the_booking_the_first_attempt_wrote,
    a_waiting_list_place_whose_answer_was_lost_is_not_taken_twice,
    the_booking_form_books_once_however_often_it_is_sent,
);

/// As if the answer to `key`'s request had never been stored: its attempt failed
/// (`failed_at = created_at`) or said nothing for a lease (`created_at = '…'`), as `how` sets.
fn lose_answer(app: &TestApp, key: &str, how: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(format!(
        "UPDATE idempotency_keys SET status = NULL, content_type = NULL, body = NULL, {how} \
         WHERE key = '{key}'"
    ))
    .execute(&mut app.pool.get().unwrap())
    .unwrap();
}

/// POSTs JSON with an optional key; returns status, the replay header and the body as text.
async fn post(api: &str, path: &str, key: Option<&str>, body: &Value) -> (u16, bool, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{api}{path}"))
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let replayed = response.headers().get("idempotency-replayed").is_some();
    (status, replayed, response.text().await.unwrap_or_default())
}

fn booking(email: &str, seats: i64) -> Value {
    json!({"name": "Ana Nguyen", "email": email, "country": "FR", "seats": seats})
}

async fn a_retried_booking_gets_the_first_answer_and_books_once(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    let key = uuid::Uuid::new_v4().to_string();
    let first = post(&app.api, &path, Some(&key), &booking("ana@example.org", 2)).await;
    assert_eq!((first.0, first.1), (201, false), "{}", first.2);
    for _ in 0..3 {
        let again = post(&app.api, &path, Some(&key), &booking("ana@example.org", 2)).await;
        assert_eq!((again.0, again.1), (201, true));
        assert_eq!(again.2, first.2, "the same body, byte for byte");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 2);
    // Without a key, or with another one, a second booking is a second booking.
    let other = post(
        &app.api,
        &path,
        Some("another-key"),
        &booking("ana@example.org", 2),
    )
    .await;
    assert_eq!((other.0, other.1), (201, false));
    assert_eq!(
        post(&app.api, &path, None, &booking("ana@example.org", 1))
            .await
            .0,
        201
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 3);
    // A key that is not one.
    let (status, _, body) = post(
        &app.api,
        &path,
        Some(&"k".repeat(256)),
        &booking("b@example.org", 1),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 3);
}

async fn a_key_used_again_with_another_body_is_refused_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    assert_eq!(
        post(&app.api, &path, Some("k-1"), &booking("ana@example.org", 1))
            .await
            .0,
        201
    );
    let before = app.row_counts();
    let (status, _, body) =
        post(&app.api, &path, Some("k-1"), &booking("ana@example.org", 3)).await;
    assert_eq!(status, 409);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "idempotency_key_reused", "{body}");
    assert_eq!(app.row_counts(), before, "nothing written");
}

async fn concurrent_retries_on_two_instances_book_once(app: TestApp) {
    let f = app.fixture().await;
    let second = app.second_instance();
    let path = format!("/screenings/{}/bookings", f.screening_id);
    let key = uuid::Uuid::new_v4().to_string();
    let apis = [app.api.clone(), second.api.clone()];
    let attempts = (0..8).map(|n| {
        let (api, path, key) = (apis[n % 2].clone(), path.clone(), key.clone());
        tokio::spawn(
            async move { post(&api, &path, Some(&key), &booking("ana@example.org", 1)).await },
        )
    });
    let answers: Vec<(u16, bool, String)> = join_all(attempts)
        .await
        .into_iter()
        .map(|a| a.unwrap())
        .collect();
    assert!(answers.iter().all(|a| a.0 == 201), "{answers:?}");
    assert!(
        answers.iter().all(|a| a.2 == answers[0].2),
        "one answer for all"
    );
    assert_eq!(
        answers.iter().filter(|a| !a.1).count(),
        1,
        "one first answer"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
}

async fn a_refusal_is_the_answer_a_retry_gets_too(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    // The room's 30 seats taken; the refusal is the answer, and a retry hears it again even once
    // seats are added.
    let first = post(
        &app.api,
        &path,
        Some("k-2"),
        &booking("ana@example.org", 10),
    )
    .await;
    assert_eq!(first.0, 201);
    for n in 0..2 {
        assert_eq!(
            post(
                &app.api,
                &path,
                None,
                &booking(&format!("{n}@example.org"), 10)
            )
            .await
            .0,
            201
        );
    }
    let refused = post(
        &app.api,
        &path,
        Some("k-3"),
        &booking("late@example.org", 1),
    )
    .await;
    assert_eq!(refused.0, 409);
    app.run_sql(&format!(
        "UPDATE screenings SET capacity = capacity + 5 WHERE id = '{}'",
        f.screening_id
    ));
    let again = post(
        &app.api,
        &path,
        Some("k-3"),
        &booking("late@example.org", 1),
    )
    .await;
    assert_eq!((again.0, again.1, &again.2), (409, true, &refused.2));
}

async fn waiting_list_places_and_pass_reservations_are_retried_safely(app: TestApp) {
    let f = app.fixture().await;
    let full = crate::waitlist::small_screening(&app, &f, 1).await;
    assert_eq!(app.book(&full, 1, "first@example.org").await.0, 201);
    let join =
        json!({"name": "Linh Pham", "email": "linh@example.org", "country": "VN", "seats": 1});
    let path = format!("/screenings/{full}/waitlist");
    let first = post(&app.api, &path, Some("w-1"), &join).await;
    assert_eq!(first.0, 201, "{}", first.2);
    let again = post(&app.api, &path, Some("w-1"), &join).await;
    assert_eq!((again.0, again.1, &again.2), (201, true, &first.2));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM waitlist_entries"), 1);

    let kind = app
        .create(
            &format!("/festivals/{}/pass-types", f.festival_id),
            json!({"name": "Press", "category": "press"}),
        )
        .await;
    let pass = app
        .create(
            &format!("/festivals/{}/passes", f.festival_id),
            json!({"pass_type_id": kind["id"], "name": "Khoa", "email": "khoa@example.org"}),
        )
        .await;
    let reserve = |key: &'static str| {
        let (api, pass) = (app.api.clone(), pass.clone());
        let screening = f.screening_id.clone();
        async move {
            let response = reqwest::Client::new()
                .post(format!(
                    "{api}/passes/{}/reservations",
                    pass["pass"]["id"].as_str().unwrap()
                ))
                .bearer_auth(pass["pass"]["manage_token"].as_str().unwrap())
                .header("Idempotency-Key", key)
                .json(&json!({"screening_id": screening}))
                .send()
                .await
                .unwrap();
            let replayed = response.headers().get("idempotency-replayed").is_some();
            (
                response.status().as_u16(),
                replayed,
                response.text().await.unwrap(),
            )
        }
    };
    let first = reserve("r-1").await;
    assert_eq!(first.0, 201, "{}", first.2);
    // The same key and body without the pass's token: not the same request, and no answer.
    let stranger = reqwest::Client::new()
        .post(format!(
            "{}/passes/{}/reservations",
            app.api,
            pass["pass"]["id"].as_str().unwrap()
        ))
        .header("Idempotency-Key", "r-1")
        .json(&json!({"screening_id": f.screening_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stranger.status(),
        409,
        "another credential is another request"
    );
    assert!(!stranger.text().await.unwrap().contains("\"reservation\""));
    let again = reserve("r-1").await;
    assert_eq!(
        (again.0, again.1, &again.2),
        (201, true, &first.2),
        "not `already_reserved`"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM reservations"), 1);
    // Its answer lost (a 5xx after the commit): the retry runs again and answers with the
    // reservation the first attempt wrote, not `already_reserved`, and writes nothing.
    lose_answer(&app, "r-1", "failed_at = created_at");
    let retried = reserve("r-1").await;
    assert_eq!((retried.0, retried.1), (201, false), "{}", retried.2);
    assert_eq!(
        serde_json::from_str::<Value>(&retried.2).unwrap(),
        serde_json::from_str::<Value>(&first.2).unwrap()
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM reservations"), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE email = 'khoa@example.org'"),
        1
    );
    // A refused reservation marks nothing: its retry after a lost answer is refused the same way
    // (a mark left behind would answer with a reservation that does not exist).
    let refused = reserve("r-2").await;
    assert_eq!(refused.0, 409, "{}", refused.2);
    assert!(refused.2.contains("already_reserved"), "{}", refused.2);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'r-2' AND written IS NOT NULL"
        ),
        0
    );
    lose_answer(&app, "r-2", "failed_at = created_at");
    let again = reserve("r-2").await;
    assert_eq!((again.0, again.1), (409, false), "{}", again.2);
    assert!(again.2.contains("already_reserved"), "{}", again.2);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM reservations"), 1);
}

async fn answers_kept_for_retries_are_erased_with_the_person(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    assert_eq!(
        post(
            &app.api,
            &path,
            Some("e-1"),
            &booking("Erin@Example.org", 1)
        )
        .await
        .0,
        201
    );
    assert_eq!(
        post(
            &app.api,
            &path,
            Some("e-2"),
            &booking("someone@example.org", 1)
        )
        .await
        .0,
        201
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM idempotency_keys"), 2);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE LOWER(body) LIKE '%erin@example.org%'"
        ),
        1,
        "the answer names the address"
    );
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/erasures", f.festival_id),
            &json!({"email": "erin@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM idempotency_keys WHERE LOWER(body) LIKE '%erin@example.org%'"
        ),
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'e-2'"),
        1,
        "another's stays"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM idempotency_keys"), 1);
}

/// A PostgreSQL server of this test's own (Debian's binaries, run as the `postgres` user), so
/// that it can be restarted without touching the other tests' server. Stopped when dropped.
struct OwnPostgres {
    bin: std::path::PathBuf,
    data: std::path::PathBuf,
    options: String,
    _dir: tempfile::TempDir,
}

impl OwnPostgres {
    fn start() -> OwnPostgres {
        let version = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL's binaries")
            .map(|e| e.unwrap().file_name())
            .max()
            .expect("a PostgreSQL version");
        let bin = std::path::Path::new("/usr/lib/postgresql")
            .join(version)
            .join("bin");
        let dir = tempfile::tempdir().unwrap();
        let owner = std::process::Command::new("id")
            .args(["-u", "postgres"])
            .output()
            .unwrap();
        let uid: u32 = String::from_utf8_lossy(&owner.stdout)
            .trim()
            .parse()
            .unwrap();
        std::os::unix::fs::chown(dir.path(), Some(uid), None).unwrap();
        let data = dir.path().join("data");
        let port = crate::rolling::free_port();
        let postgres = OwnPostgres {
            options: format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1",
                dir.path().display()
            ),
            bin,
            data,
            _dir: dir,
        };
        postgres.run(
            "initdb",
            &[
                "-D",
                postgres.data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        postgres.pg_ctl(&["start"]);
        postgres
    }

    fn url(&self) -> String {
        let port = self.options.split(' ').nth(1).unwrap();
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    }

    fn run(&self, program: &str, args: &[&str]) {
        let output = std::process::Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `pg_ctl start|restart|stop` (fast: clients are disconnected, their transactions rolled
    /// back, the committed ones kept).
    fn pg_ctl(&self, action: &[&str]) {
        let log = self.data.with_file_name("postgres.log");
        let mut args = action.to_vec();
        args.extend(["-D", self.data.to_str().unwrap(), "-w", "-m", "fast"]);
        args.extend(["-o", &self.options, "-l", log.to_str().unwrap()]);
        self.run("pg_ctl", &args);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = std::process::Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["stop", "-D", self.data.to_str().unwrap(), "-m", "immediate"])
            .output();
    }
}

/// The ambiguity a database restart creates: a booking committed, then its answer lost (503). The
/// client retries with its key until it gets an answer; every key gets one booking, exactly — the
/// retry after a lost answer is answered with the booking the first attempt wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_booking_rush_through_a_database_restart_books_each_key_once() {
    // A PostgreSQL test (it runs with the others on PostgreSQL), on a server of its own.
    if std::env::var_os("TEST_DATABASE_URL").is_none() {
        return;
    }
    let postgres = OwnPostgres::start();
    let url = postgres.url();
    let dir = tempfile::tempdir().unwrap();
    let organiser = crate::rolling::credential(
        std::path::Path::new(env!("CARGO_BIN_EXE_marquee")),
        &url,
        "organiser",
    );
    let server = crate::helpers::Process::serve(
        &url,
        &[(
            "MARQUEE_MAIL_DIR",
            dir.path().join("mail").to_str().unwrap(),
        )],
        std::process::Stdio::null(),
    )
    .await;
    // A screening whose room takes the whole rush.
    let screening =
        crate::rolling::screening(&reqwest::Client::new(), &server.api, &organiser).await;

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients = (0..6).map(|c| {
        let (api, screening, stop) = (server.api.clone(), screening.clone(), stop.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            // (key, booking id, replayed) per key, and the attempts that got no answer.
            let (mut booked, mut lost) = (Vec::new(), 0);
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let key = format!("restart-{c}-{i}");
                let started = std::time::Instant::now();
                loop {
                    assert!(
                        started.elapsed() < std::time::Duration::from_secs(60),
                        "{key} never answered"
                    );
                    let answer = client
                        .post(format!("{api}/screenings/{screening}/bookings"))
                        .header("Idempotency-Key", &key)
                        .json(&booking(&format!("r{c}-{i}@example.org"), 1))
                        .send()
                        .await;
                    match answer {
                        Ok(r) if r.status() == 201 => {
                            let replayed = r.headers().get("idempotency-replayed").is_some();
                            let body: Value = r.json().await.unwrap();
                            let id = body["booking"]["id"].as_str().unwrap().to_owned();
                            booked.push((key, id, replayed));
                            break;
                        }
                        Ok(r) => {
                            let status = r.status().as_u16();
                            assert!(
                                status == 503 || status == 409,
                                "{key}: {status} {}",
                                r.text().await.unwrap_or_default()
                            );
                            lost += 1;
                        }
                        Err(_) => lost += 1,
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
            (booked, lost)
        })
    });
    let rush = tokio::spawn(join_all(clients));
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    // Down longer than a request waits for a connection (10 s): clients see 503s and retry.
    postgres.pg_ctl(&["stop"]);
    tokio::time::sleep(std::time::Duration::from_secs(12)).await;
    postgres.pg_ctl(&["start"]);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut keys = std::collections::HashMap::new();
    let (mut lost, mut replayed) = (0, 0);
    for client in rush.await.unwrap() {
        let (booked, client_lost) = client.unwrap();
        lost += client_lost;
        for (key, id, was_replayed) in booked {
            replayed += usize::from(was_replayed);
            assert!(keys.insert(key, id).is_none());
        }
    }
    println!(
        "{} keys answered, {lost} attempts without an answer",
        keys.len()
    );
    assert!(lost > 0, "the restart was not felt by the rush");
    let ids = keys.values().collect::<std::collections::HashSet<_>>();
    assert_eq!(ids.len(), keys.len(), "two keys answered with one booking");
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = diesel::PgConnection::establish(&url).unwrap();
    let stored = diesel::sql_query("SELECT COUNT(*) AS n FROM bookings")
        .get_result::<Count>(&mut conn)
        .unwrap()
        .n;
    println!(
        "through a PostgreSQL restart: {} keys, {stored} bookings, {lost} attempts without an \
         answer, {replayed} answers replayed",
        keys.len()
    );
    assert_eq!(stored, keys.len() as i64, "one booking per key, exactly");
}

/// The first attempt wrote its booking but its answer was lost (a 5xx after the commit: the key
/// marked failed, or an instance stopped: no word for a lease). The retry with the key gets that
/// booking — its id, its manage token, its tickets — and nothing is written again.
async fn a_retry_after_a_lost_answer_gets_the_booking_the_first_attempt_wrote(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/screenings/{}/bookings", f.screening_id);
    let body = booking("lost@example.org", 2);
    let mut first_ids = Vec::new();
    for (n, lost) in ["failed_at = created_at", "created_at = '{lease}'"]
        .into_iter()
        .enumerate()
    {
        let key = format!("lost-answer-{n}");
        let (status, _, first) = post(&app.api, &path, Some(&key), &body).await;
        assert_eq!(status, 201, "{first}");
        let first: Value = serde_json::from_str(&first).unwrap();
        first_ids.push(first["booking"]["id"].clone());
        let bookings = app.count("SELECT COUNT(*) AS n FROM bookings");
        // As if the answer had never been stored.
        let lease = (chrono::Utc::now() - chrono::Duration::seconds(40))
            .naive_utc()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        lose_answer(&app, &key, &lost.replace("{lease}", &lease));
        let (status, replayed, again) = post(&app.api, &path, Some(&key), &body).await;
        assert_eq!(status, 201, "{again}");
        assert!(
            !replayed,
            "answered anew, from what the first attempt wrote"
        );
        let again: Value = serde_json::from_str(&again).unwrap();
        assert_eq!(again["booking"]["id"], first["booking"]["id"]);
        assert_eq!(
            again["booking"]["manage_token"],
            first["booking"]["manage_token"]
        );
        assert_eq!(again["tickets"], first["tickets"]);
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), bookings);
        // And that answer is the one kept from now on.
        let (status, replayed, kept) = post(&app.api, &path, Some(&key), &body).await;
        assert_eq!((status, replayed), (201, true));
        assert_eq!(
            serde_json::from_str::<Value>(&kept).unwrap()["booking"]["id"],
            first["booking"]["id"]
        );
    }
    // A refused attempt marks nothing: its retry is refused the same way, and books nothing.
    for n in 0..2 {
        let taken = booking(&format!("g{n}@example.org"), 10);
        assert_eq!(post(&app.api, &path, None, &taken).await.0, 201);
    }
    // 30 seats, 24 taken: 10 more are refused.
    let full = booking("many@example.org", 10);
    let (status, _, _) = post(&app.api, &path, Some("too-many"), &full).await;
    assert_eq!(status, 409);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'too-many' AND written IS NOT NULL"),
        0
    );
    // Sold out, and this instance remembers it (a refusal a moment ago): a retry whose first
    // attempt booked still gets that booking, not `sold_out`.
    assert_eq!(
        post(&app.api, &path, None, &booking("last@example.org", 6))
            .await
            .0,
        201
    );
    let (status, _, refused) = post(&app.api, &path, None, &booking("late@example.org", 1)).await;
    assert_eq!(status, 409, "{refused}");
    assert!(refused.contains("sold_out"), "{refused}");
    lose_answer(&app, "lost-answer-0", "failed_at = created_at");
    let (status, _, again) = post(&app.api, &path, Some("lost-answer-0"), &body).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(
        serde_json::from_str::<Value>(&again).unwrap()["booking"]["id"],
        first_ids[0]
    );
}

/// The waiting list's part: a place taken, its answer lost; the retry with the key gets that place
/// and its private link, and the list has one entry for it.
async fn a_waiting_list_place_whose_answer_was_lost_is_not_taken_twice(app: TestApp) {
    let f = app.fixture().await;
    for n in 0..3 {
        let everything = booking(&format!("all{n}@example.org"), 10);
        let path = format!("/screenings/{}/bookings", f.screening_id);
        assert_eq!(post(&app.api, &path, None, &everything).await.0, 201);
    }
    let path = format!("/screenings/{}/waitlist", f.screening_id);
    let body = booking("waiting@example.org", 2);
    let (status, _, first) = post(&app.api, &path, Some("wait-lost"), &body).await;
    assert_eq!(status, 201, "{first}");
    let first: Value = serde_json::from_str(&first).unwrap();
    lose_answer(&app, "wait-lost", "failed_at = created_at");
    let (status, replayed, again) = post(&app.api, &path, Some("wait-lost"), &body).await;
    assert_eq!((status, replayed), (201, false), "{again}");
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["entry"]["id"], first["entry"]["id"]);
    assert_eq!(
        again["entry"]["manage_token"],
        first["entry"]["manage_token"]
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM waitlist_entries"), 1);
}

/// The booking form carries a key of its own: sent twice (a double click, a reload after a lost
/// answer), it books once and both answers lead to the same booking.
async fn the_booking_form_books_once_however_often_it_is_sent(app: TestApp) {
    let f = app.fixture().await;
    let browser = crate::helpers::new_browser();
    let page = browser
        .get(format!("{}/screenings/{}", app.address, f.screening_id))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let field = |name: &str| crate::helpers::hidden_field(&page, name);
    let (csrf, key) = (field("csrf"), field("idempotency_key"));
    let form = [
        ("csrf", csrf.as_str()),
        ("idempotency_key", key.as_str()),
        ("name", "Ana Nguyen"),
        ("email", "form@example.org"),
        ("country", "FR"),
        ("seats", "2"),
    ];
    let mut locations = Vec::new();
    for _ in 0..2 {
        let answer = browser
            .post(format!(
                "{}/screenings/{}/book",
                app.address, f.screening_id
            ))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        locations.push(answer.headers()["location"].to_str().unwrap().to_owned());
    }
    assert_eq!(locations[0], locations[1]);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bookings"), 1);
    // Another showing of the form is another key: a second booking, on purpose.
    assert_ne!(
        field("idempotency_key"),
        crate::helpers::page_text(
            &browser,
            format!("{}/screenings/{}", app.address, f.screening_id)
        )
        .await
        .split("name=\"idempotency_key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
    );
}
