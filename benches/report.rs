//! Report latency at festival scale: seeds a festival with N admitted tickets (default 1,000,000),
//! starts the real server, and times `GET /api/v1/festivals/{id}/report` over HTTP.
//!
//!     cargo bench --bench report                        # SQLite, 1,000,000 admissions
//!     cargo bench --bench report -- --admissions 200000
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench report
//!
//! Seeding writes rows straight into the database (with their rollup counters, as Marquee keeps
//! them) because a million HTTP bookings and scans would measure something else; the report itself
//! goes through the real HTTP stack. Prints numbers; asserts only that the report counts them all.

mod support;

use std::time::{Duration, Instant};

use marquee::config::Settings;
use marquee::domain::Role;
use marquee::startup::Application;
use serde_json::Value;

#[derive(Clone, Copy)]
struct Args {
    admissions: usize,
    screenings: usize,
    requests: usize,
}

fn args() -> Args {
    let mut args = Args {
        admissions: 1_000_000,
        screenings: 300,
        requests: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse().ok()).expect("a number");
        match arg.as_str() {
            "--admissions" => args.admissions = value(),
            "--screenings" => args.screenings = value(),
            "--requests" => args.requests = value(),
            _ => {} // cargo bench passes --bench
        }
    }
    args
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args = args();
    let (url, _dir) = support::database();
    let mut settings = Settings::from_lookup(|_| None).expect("settings");
    settings.database.url = url.clone();
    settings.writers = marquee::config::default_writers(&url);
    settings.bind = "127.0.0.1:0".into();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let app = Application::build(&settings).expect("server");
        let pool = app.state().pool.clone();
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());

        let seeding = Instant::now();
        let seed_args = args;
        let (festival, token) = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            let festival = support::seed(&mut conn, seed_args.admissions, seed_args.screenings, "bench");
            let (_, token) = marquee::staff::create(&mut conn, "Bench", Role::Organiser, None, None)
                .expect("organiser");
            (festival, token)
        })
        .await
        .expect("seed");
        let seeded_in = seeding.elapsed();

        let client = reqwest::Client::new();
        let url = format!("{address}/api/v1/festivals/{festival}/report");
        let get = || async {
            let response = client.get(&url).bearer_auth(&token).send().await.expect("report");
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.expect("json")
        };
        let first = get().await;
        let admitted = first["totals"]["admitted"].as_i64().unwrap_or_default();
        assert_eq!(admitted as usize, args.admissions, "the report counts every admission");
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let start = Instant::now();
            get().await;
            times.push(start.elapsed());
        }
        times.sort();
        println!();
        println!("report benchmark ({backend}), {} admissions in {} screenings, {} unique attendees, {} countries",
            admitted, args.screenings, first["totals"]["unique_attendees"], first["totals"]["countries"]);
        println!("seeded in {:.1} s", seeded_in.as_secs_f64());
        println!("| metric | value |");
        println!("|---|---|");
        println!("| report requests | {} |", args.requests);
        println!("| p50 | {:.2} ms |", percentile(&times, 0.50).as_secs_f64() * 1000.0);
        println!("| p99 | {:.2} ms |", percentile(&times, 0.99).as_secs_f64() * 1000.0);
        println!("| max | {:.2} ms |", times.last().unwrap().as_secs_f64() * 1000.0);
        drop(handle.stop(false));
    });
    support::drop_database(&url);
}
