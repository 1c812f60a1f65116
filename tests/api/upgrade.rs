//! A database made by the previous version (`tests/fixtures/previous-version`), opened by this
//! one: the scan log is carried into its new shape (no names, no messages), its chains verified
//! and made again; attendance is re-keyed by pseudonyms; every report count and check holds.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use serde_json::Value;

use crate::helpers::{Backend, TestDatabase, test_settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_database_of_the_previous_version_is_carried_over() {
    carried_over(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_database_of_the_previous_version_is_carried_over() {
    carried_over(Backend::Postgres).await;
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/previous-version")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn carried_over(backend: Backend) {
    let Some((_database, url)) = TestDatabase::create(backend) else {
        return;
    };
    // The previous version's database, as it wrote it, with an organiser whose credential this
    // test knows (made as the previous version made them).
    let old_credential = marquee::domain::secret::new_token();
    let old_organiser = format!(
        "INSERT INTO staff VALUES ('01a24b92-0648-71d8-b239-000000000001', 'Old Organiser', \
         'organiser', NULL, NULL, '{}', '2026-12-06 13:36:30', NULL);",
        marquee::domain::secret::hash_token(&old_credential)
    );
    match backend {
        Backend::Sqlite => {
            let mut conn = diesel::SqliteConnection::establish(&url).unwrap();
            conn.batch_execute(&fixture("sqlite.sql")).unwrap();
            conn.batch_execute(&old_organiser).unwrap();
        }
        Backend::Postgres => {
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            conn.batch_execute(&fixture("postgres.sql")).unwrap();
            // The dump empties the search path; the row goes where the dump put the table.
            conn.batch_execute(&old_organiser.replace("INTO staff", "INTO public.staff"))
                .unwrap();
        }
    }
    let mail = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&url);
    settings.mail.dir = mail.path().to_owned();
    let app = marquee::startup::Application::build(&settings).expect("the old database opens");
    let pool = app.state().pool.clone();
    let address = format!("http://127.0.0.1:{}/api/v1", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let organiser = {
        let mut conn = pool.get().unwrap();
        marquee::staff::create(
            &mut conn,
            "Upgrade Check",
            marquee::domain::Role::Organiser,
            None,
            None,
        )
        .unwrap()
        .1
    };
    let client = reqwest::Client::new();
    let get = |path: String| {
        let request = client
            .get(format!("{address}{path}"))
            .bearer_auth(&organiser);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    // An organiser of the previous version still signs in: as a bearer, and on the web, where
    // their staff page asks them to add a passkey or an app.
    let (status, _) = {
        let response = client
            .get(format!("{address}/festivals/x/privacy"))
            .bearer_auth(&old_credential)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), ())
    };
    assert_ne!(status, 401, "the old credential still works");
    let web = address.trim_end_matches("/api/v1");
    let csrf = marquee::domain::secret::new_token();
    let signed_in = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{web}/signin"))
        .header("Cookie", format!("marquee_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str()), ("token", old_credential.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let session = signed_in
        .cookies()
        .find(|c| c.name() == "marquee_session")
        .expect("a session")
        .value()
        .to_owned();
    let home = client
        .get(format!("{web}/staff"))
        .header("Cookie", format!("marquee_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Old Organiser"), "{home}");
    assert!(home.contains("add a passkey"), "{home}");

    let festivals = get("/festivals".to_owned()).await;
    let festival = festivals[0]["id"].as_str().unwrap().to_owned();

    let chain = get(format!("/festivals/{festival}/scan-log/verify")).await;
    assert_eq!(chain["problems"], serde_json::json!([]), "{chain}");
    assert_eq!(chain["entries_checked"], 7, "{chain}");
    let counters = get(format!("/festivals/{festival}/consistency")).await;
    assert_eq!(counters["problems"], serde_json::json!([]), "{counters}");
    // What the previous version reported: three admitted tickets of two people, from two
    // countries (Linh from Vietnam; Marc, admitted twice, from France).
    let report = get(format!("/festivals/{festival}/report")).await;
    let totals = &report["totals"];
    assert_eq!(
        (
            &totals["admitted"],
            &totals["unique_attendees"],
            &totals["countries"],
            &totals["conflicts"]
        ),
        (
            &Value::from(3),
            &Value::from(2),
            &Value::from(2),
            &Value::from(1)
        ),
        "{totals}"
    );
    // The offline conflict keeps its facts (both doors), read back without a stored message.
    let conflicts = get(format!("/festivals/{festival}/conflicts")).await;
    assert_eq!(conflicts[0]["door"], "West door", "{conflicts}");
    assert_eq!(
        conflicts[0]["first_admitted_door"], "East door",
        "{conflicts}"
    );

    // No name or address is left in the log or the rollup; each old chain was intact.
    let count = |sql: &str| {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = pool.get().unwrap();
        diesel::sql_query(sql).get_result::<N>(&mut conn).unwrap().n
    };
    assert_eq!(count("SELECT COUNT(*) AS n FROM scans"), 7);
    assert_eq!(
        count(
            "SELECT COUNT(*) AS n FROM scans WHERE scanned LIKE '%Dupont%' OR door LIKE '%@%' \
             OR reason = ''"
        ),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM attendees WHERE person_id LIKE '%@%'"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM bookings WHERE person_id = ''"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM waitlist_entries WHERE person_id = ''"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM chain_upgrades WHERE old_chain_intact"),
        1
    );
    // Linh booked and waited with one address: one person.
    assert_eq!(
        count(
            "SELECT COUNT(DISTINCT person_id) AS n FROM bookings WHERE email = 'linh.tran@example.org'"
        ),
        1
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) AS n FROM waitlist_entries w JOIN bookings b ON b.person_id = w.person_id \
             WHERE w.email = 'linh.tran@example.org'"
        ),
        1
    );
    handle.stop(true).await;
}

/// A rolling upgrade's middle: the previous release's binary (built by CI from the commit in
/// `.ci/previous-release`, `MARQUEE_PREVIOUS_BINARY`) serves beside this version on one
/// PostgreSQL database this version has migrated. Tickets booked through either are admitted
/// through the other, once; the previous release still reads the festival's report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_previous_release_serves_beside_this_one() {
    // Two versions on one database: PostgreSQL, as a rolling upgrade runs them.
    let Some(app) = crate::helpers::spawn_app(Backend::Postgres).await else {
        return;
    };
    let Some(previous) = std::env::var_os("MARQUEE_PREVIOUS_BINARY") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI builds the previous release (MARQUEE_PREVIOUS_BINARY)"
        );
        eprintln!("note: MARQUEE_PREVIOUS_BINARY not set; skipping the side-by-side upgrade test");
        return;
    };
    let f = app.fixture().await;
    // Doors open: it starts in 20 minutes.
    let screening = app.screening_starting_in(&f, 20, "Grande Salle").await;
    let dir = tempfile::tempdir().unwrap();
    let mut old = crate::helpers::Process::launch(
        std::path::Path::new(&previous),
        &app.database_url,
        &["serve"],
        &[(
            "MARQUEE_MAIL_DIR",
            dir.path().join("mail").to_str().unwrap(),
        )],
        std::process::Stdio::from(std::fs::File::create(dir.path().join("old.log")).unwrap()),
    )
    .await;
    let book = |api: String, email: &'static str| {
        let app = &app;
        let screening = screening.clone();
        async move {
            let (status, booked) = app.book_via(&api, &screening, 1, email).await;
            assert_eq!(status, 201, "{booked}");
            booked["tickets"][0]["code"].as_str().unwrap().to_owned()
        }
    };
    let scan = |api: String, code: String| {
        let app = &app;
        let screening = screening.clone();
        async move { app.scan_via(&api, &code, &screening).await["verdict"].clone() }
    };
    let old_api = old.api.clone();
    let through_old = book(old_api.clone(), "old@example.org").await;
    let through_new = book(app.api.clone(), "new@example.org").await;
    assert_eq!(scan(app.api.clone(), through_old.clone()).await, "admitted");
    assert_eq!(scan(old_api.clone(), through_new.clone()).await, "admitted");
    assert_eq!(scan(old_api.clone(), through_old).await, "already_admitted");
    assert_eq!(scan(app.api.clone(), through_new).await, "already_admitted");
    let client = crate::helpers::new_browser();
    let report: Value = client
        .get(format!("{old_api}/festivals/{}/report", f.festival_id))
        .bearer_auth(&app.organiser_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["totals"]["admitted"], 2, "{report}");
    crate::rolling::signal(&old.child, libc::SIGTERM);
    let status = crate::rolling::exited(&mut old.child).await;
    assert!(status.success(), "{status}");
}
