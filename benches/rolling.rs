//! Rolling restart benchmark: two instances of the real `marquee` binary on one PostgreSQL
//! database behind Debian's Caddy (`docs/caddy/Caddyfile`), a rush of bookings and scans through
//! the proxy, and each instance in turn stopped with SIGTERM and started again.
//!
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench rolling
//!     … cargo bench --bench rolling -- --seconds 20 --clients 16 --json rolling.json
//!
//! Reports what the clients saw — errors (target 0), latency p50/p99 in steady state and during
//! the restarts — and what the database kept: acknowledged bookings lost (target 0), tickets
//! admitted twice (target 0). Exits non-zero if a target is missed.

mod support;

use std::time::Duration;

use serde_json::json;
use support::rolling::{Plan, percentile, run};

fn main() {
    let (mut seconds, mut clients, mut json_path) = (10u64, 8usize, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || args.next().and_then(|v| v.parse().ok()).expect("a number");
        match arg.as_str() {
            "--seconds" => seconds = number() as u64,
            "--clients" => clients = number(),
            "--json" => json_path = args.next(),
            _ => {} // cargo bench passes --bench
        }
    }
    if std::env::var_os("BENCH_DATABASE_URL").is_none() {
        eprintln!(
            "the rolling restart needs PostgreSQL: set BENCH_DATABASE_URL (see the top of benches/rolling.rs)"
        );
        std::process::exit(2);
    }
    assert!(
        std::path::Path::new("/usr/bin/caddy").exists(),
        "the rolling restart needs Debian's caddy (apt-get install caddy)"
    );
    let (url, _) = support::database();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let outcome = runtime.block_on(run(&Plan {
        binary: std::path::Path::new(env!("CARGO_BIN_EXE_marquee")),
        database_url: &url,
        steady: Duration::from_secs(seconds),
        clients: clients.max(1),
        dir: dir.path(),
        // Marquee's numbers, not TLS's: Caddy over plain HTTP (its test serves HTTPS).
        front: support::rolling::Front::Http,
    }));
    support::drop_database(&url);

    let latency = |ms: &[f64]| {
        format!(
            "{} requests, p50 {:.1} ms, p99 {:.1} ms",
            ms.len(),
            percentile(ms, 0.5),
            percentile(ms, 0.99)
        )
    };
    let stops = outcome
        .stops
        .iter()
        .map(|(took, status)| format!("{:.1} s ({status})", took.as_secs_f64()))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = [
        (
            "rush".to_owned(),
            format!("{clients} clients, {seconds} s steady before and after the restarts"),
        ),
        (
            "client-visible errors (target 0)".into(),
            outcome.errors.len().to_string(),
        ),
        ("steady state".into(), latency(&outcome.steady_ms)),
        ("during the restarts".into(), latency(&outcome.during_ms)),
        (
            "bookings acknowledged / lost (target 0) / stored unacknowledged".into(),
            format!(
                "{} / {} / {}",
                outcome.acknowledged, outcome.lost, outcome.unacknowledged
            ),
        ),
        (
            "tickets admitted (every fifth scanned at two doors) / stored admitted / admitted twice (target 0)".into(),
            format!(
                "{} / {} / {}",
                outcome.admitted, outcome.admitted_stored, outcome.admitted_twice
            ),
        ),
        ("instances stopped in (exit)".into(), stops),
    ];
    support::report(
        "Marquee rolling restart behind Caddy — PostgreSQL, two instances",
        &rows,
        json_path.as_deref(),
        json!({}),
    );
    for error in outcome.errors.iter().take(5) {
        println!("error: {error}");
    }
    let missed = !outcome.errors.is_empty()
        || outcome.lost > 0
        || outcome.unacknowledged > 0
        || outcome.admitted_twice > 0
        || outcome.admitted_stored != outcome.admitted
        || outcome.stops.iter().any(|(_, status)| !status.success())
        || outcome.final_exits.iter().any(|status| !status.success());
    if missed {
        eprintln!("a target was missed");
        std::process::exit(1);
    }
}
