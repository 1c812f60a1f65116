//! `marquee backup PATH` copies a running SQLite database consistently; the copy holds every row.

use std::process::Command;

use crate::helpers::TestApp;

on_both_backends!(a_backup_taken_while_serving_restores_every_row);

fn marquee(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run marquee")
}

async fn a_backup_taken_while_serving_restores_every_row(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db").display().to_string();
    if app.database_url.starts_with("postgres") {
        let output = marquee(&app.database_url, &["backup", &copy]);
        assert!(!output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("pg_dump"),
            "PostgreSQL is pointed to pg_dump"
        );
        return;
    }
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    for i in 0..5 {
        let (_, code, _) = app.ticket(&now).await;
        if i % 2 == 0 {
            app.scan(&code, &now).await;
        }
    }
    // The people rollup written (not left to the projector while the copies are compared).
    app.project();
    // The service keeps running (its pool holds open connections) while the copy is taken.
    let output = marquee(&app.database_url, &["backup", &copy]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let again = marquee(&app.database_url, &["backup", &copy]);
    assert!(!again.status.success(), "a backup never overwrites a file");

    // Restore = point DATABASE_URL at the copy: every row of the original (as of the backup) is there.
    let restored = marquee::db::connect(&marquee::config::DatabaseSettings {
        url: copy.clone(),
        pool_size: 1,
        sqlite_sync: marquee::config::SqliteSync::Normal,
    })
    .unwrap();
    let count = |pool: &marquee::db::DbPool, table: &str| -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(&mut pool.get().unwrap())
            .unwrap()
            .n
    };
    for table in [
        "festivals",
        "venues",
        "films",
        "screenings",
        "staff",
        "signing_keys",
        "scans",
        "attendees",
        "screening_tallies",
    ] {
        assert_eq!(count(&restored, table), count(&app.pool, table), "{table}");
    }
    assert!(count(&restored, "tickets") >= 5);
    for check in ["check-counters", "verify-scans"] {
        let output = marquee(&copy, &[check]);
        assert!(
            output.status.success(),
            "{check} on the copy: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }

    // A copy for analysis: the same counts and chains, nobody's details, no credentials or keys.
    let anonymous = dir.path().join("anonymous.db").display().to_string();
    let output = marquee(
        &app.database_url,
        &["backup", &anonymous, "--without-personal-data"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = String::from_utf8_lossy(&std::fs::read(&anonymous).unwrap()).into_owned();
    for trace in [
        "guest@example.org",
        "Ana Nguyen",
        "Olivia Organiser",
        "Dan Door",
    ] {
        assert!(
            !bytes.contains(trace),
            "{trace} is in the copy for analysis"
        );
    }
    let original = String::from_utf8_lossy(&std::fs::read(&copy).unwrap()).into_owned();
    assert!(
        original.contains("guest@example.org"),
        "the full backup keeps them"
    );
    let analysed = marquee::db::connect(&marquee::config::DatabaseSettings {
        url: anonymous.clone(),
        pool_size: 1,
        sqlite_sync: marquee::config::SqliteSync::Normal,
    })
    .unwrap();
    assert_eq!(count(&analysed, "signing_keys"), 0);
    assert_eq!(count(&analysed, "sessions"), 0);
    for table in [
        "bookings",
        "tickets",
        "scans",
        "attendees",
        "screening_tallies",
    ] {
        assert_eq!(count(&analysed, table), count(&restored, table), "{table}");
    }
    for check in ["check-counters", "verify-scans"] {
        let output = marquee(&anonymous, &[check]);
        assert!(
            output.status.success(),
            "{check} on the copy for analysis: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

/// The writer leaves SQLite's WAL checkpoints to a thread of its own: what it commits reaches the
/// database file itself shortly after, though its own commits never copy the log back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_commits_reach_the_database_file_through_the_checkpoint_thread() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let path = app
        .database_url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .to_owned();
    let f = app.fixture().await;
    let size = || std::fs::metadata(&path).expect("the database file").len();
    // Let the set-up's writes settle in the file first.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let before = size();
    // Several pages of new rows: bookings, tickets, mail.
    for i in 0..20 {
        let (status, _) = app
            .book(&f.screening_id, 1, &format!("guest{i}@example.org"))
            .await;
        assert_eq!(status, 201);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size() <= before {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing was checkpointed into {path} ({before} bytes)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
