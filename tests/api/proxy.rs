//! Two instances of the real binary on one PostgreSQL database behind Debian's Caddy, configured
//! as `docs/caddy/Caddyfile` says, restarted one after the other (SIGTERM, start again) while a
//! rush of bookings and scans goes through the proxy: no client sees an error, every booking
//! acknowledged is stored once, every ticket is admitted at most once. Caddy serves the
//! documented site address over HTTPS with a certificate it gets from Debian's pebble. The rush is
//! the benchmark's (`benches/rolling.rs`), here short.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::helpers::{Backend, new_browser, spawn_app};
use crate::https::Pebble;
use crate::rolling::{Acme, Front, Plan, exited, free_port, percentile, run, signal};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_rolling_restart_behind_caddy_drops_no_request_and_loses_no_write() {
    if !Path::new("/usr/bin/caddy").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "caddy is not installed (apt-get install caddy)"
        );
        eprintln!("note: caddy not installed; skipping the rolling restart");
        return;
    }
    // Two instances on one database: PostgreSQL (a fresh one, migrated).
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    // Caddy serves the documented site address over HTTPS, its certificate from pebble.
    let (http_port, https_port) = (free_port(), free_port());
    let Some(pebble) = Pebble::start(http_port, https_port).await else {
        return;
    };
    let front = Front::Https(Acme {
        directory: pebble.directory.clone(),
        directory_ca: pebble.ca_file.clone(),
        issuing_root: pebble.issuing_root().await,
        http_port,
        https_port,
    });
    let dir = tempfile::tempdir().unwrap();
    let outcome = run(&Plan {
        binary: Path::new(env!("CARGO_BIN_EXE_marquee")),
        database_url: &app.database_url,
        steady: Duration::from_secs(2),
        clients: 6,
        dir: dir.path(),
        front,
    })
    .await;
    assert!(
        outcome.errors.is_empty(),
        "{} errors seen by clients, e.g. {:?}",
        outcome.errors.len(),
        &outcome.errors[..outcome.errors.len().min(5)]
    );
    for (n, (took, status)) in outcome.stops.iter().enumerate() {
        assert!(
            status.success(),
            "instance {n} exited with {status} after {took:?}"
        );
    }
    assert!(
        outcome
            .final_exits
            .iter()
            .all(std::process::ExitStatus::success)
    );
    let during = outcome.during_ms.len();
    assert!(during > 20, "the rush ran through the restarts ({during})");
    // Every acknowledged booking is stored, once; every admission too, and only once.
    assert!(outcome.acknowledged > 0);
    assert_eq!((outcome.lost, outcome.unacknowledged), (0, 0));
    assert_eq!(outcome.admitted_stored, outcome.admitted);
    assert_eq!(outcome.admitted_twice, 0);
    println!(
        "rolling restart through Caddy: {} bookings, {} admissions; steady p99 {:.1} ms, during \
         the restarts p99 {:.1} ms",
        outcome.acknowledged,
        outcome.admitted,
        percentile(&outcome.steady_ms, 0.99),
        percentile(&outcome.during_ms, 0.99)
    );
}

/// The access log names the client a trusted proxy forwards for, and ignores the header from
/// anyone else (a forged `X-Forwarded-For` straight to the instance).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_log_believes_forwarded_addresses_from_trusted_proxies_only() {
    for (trusted, logged) in [("127.0.0.1", "203.0.113.7"), ("10.0.0.0/8", "127.0.0.1")] {
        let dir = tempfile::tempdir().unwrap();
        let (database, log) = (dir.path().join("m.db"), dir.path().join("m.log"));
        let mut server = crate::helpers::Process::serve(
            database.to_str().unwrap(),
            &[("MARQUEE_TRUSTED_PROXIES", trusted), ("RUST_LOG", "info")],
            Stdio::from(std::fs::File::create(&log).unwrap()),
        )
        .await;
        let answer = new_browser()
            .get(format!("{}/festivals", server.api))
            .header("X-Forwarded-For", "203.0.113.7")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        signal(&server.child, libc::SIGTERM);
        assert!(exited(&mut server.child).await.success());
        let log = std::fs::read_to_string(&log).unwrap();
        let line = log
            .lines()
            .find(|l| l.contains("GET /api/v1/festivals"))
            .unwrap_or_else(|| panic!("no access log line: {log}"));
        assert!(
            line.contains(&format!(" {logged} \"GET /api/v1/festivals\" 200")),
            "trusting {trusted}: {line}"
        );
    }
}
