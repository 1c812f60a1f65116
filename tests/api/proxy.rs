//! Two instances of the real binary on one PostgreSQL database behind Debian's Caddy, configured
//! as `docs/caddy/Caddyfile` says, restarted one after the other (SIGTERM, start again) while a
//! rush of bookings and scans goes through the proxy: no client sees an error, every booking
//! acknowledged is stored once, every ticket is admitted at most once.
//!
//! The rush runs `MARQUEE_ROLLING_SECONDS` around the restarts (default: a short run for CI);
//! `--nocapture` prints the latencies (p50, p99) in steady state and during the restarts, the
//! benchmark recorded in docs/performance.md.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, new_browser, spawn_app};
use crate::https::{exited, free_port, signal};

/// One Marquee instance at a fixed port (so that it comes back where Caddy looks for it).
fn instance(database_url: &str, port: u16, public_url: &str, log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_marquee"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("MARQUEE_BIND", format!("127.0.0.1:{port}"))
        .env("MARQUEE_PUBLIC_URL", public_url)
        .env("MARQUEE_TRUSTED_PROXIES", "127.0.0.1")
        .env("MARQUEE_DRAIN_SECONDS", "3")
        .env("MARQUEE_RATE_LIMITS", "off")
        .env("MARQUEE_MAIL_DIR", log.with_extension("mail"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap(),
        )
        .spawn()
        .expect("start marquee")
}

async fn until_ready(url: &str) {
    let started = Instant::now();
    while new_browser()
        .get(url)
        .send()
        .await
        .map_or(true, |r| r.status() != 200)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{url} not ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Caddy with the documented configuration: the site is plain HTTP on `port`, the upstreams are
/// the two instances.
fn caddy(port: u16, upstreams: [u16; 2], dir: &Path) -> Child {
    let documented = include_str!("../../docs/caddy/Caddyfile");
    assert!(documented.contains("tickets.festival.example {"));
    assert!(documented.contains("reverse_proxy 127.0.0.1:8081 127.0.0.1:8082 {"));
    let config = format!(
        "{{\n\tadmin off\n\tauto_https off\n}}\n{}",
        documented
            .replace(
                "tickets.festival.example {",
                &format!("http://127.0.0.1:{port} {{")
            )
            .replace(
                "reverse_proxy 127.0.0.1:8081 127.0.0.1:8082 {",
                &format!(
                    "reverse_proxy 127.0.0.1:{} 127.0.0.1:{} {{",
                    upstreams[0], upstreams[1]
                )
            )
    );
    let file = dir.join("Caddyfile");
    std::fs::write(&file, config).unwrap();
    Command::new("/usr/bin/caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&file)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("caddy.log")).unwrap())
        .spawn()
        .expect("start caddy")
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// Answers other than the expected ones, and requests that got no answer.
    errors: Vec<String>,
    /// Booking ids acknowledged (201), with their key.
    bookings: Vec<(String, String)>,
    /// Ticket codes a scan answered `admitted` for.
    admitted: Vec<String>,
    /// (milliseconds, during a restart) per request.
    latencies: Vec<(f64, bool)>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

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
    // Two instances on one database: PostgreSQL.
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    let f = app.fixture().await;
    let venue = app
        .create(
            "/venues",
            json!({"name": "Le Grand Rex", "city": "Paris", "address": "1 Bd Poissonnière",
                   "timezone": "Europe/Paris", "rooms": [{"name": "Grand Rex", "seats": 100000}]}),
        )
        .await;
    let screening = app
        .create(
            "/screenings",
            json!({"festival_id": f.festival_id, "venue_id": venue["id"], "film_id": f.film_id,
                   "room": "Grand Rex", "confirm": true,
                   "starts_at": (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339()}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let (a, b, front) = (free_port(), free_port(), free_port());
    let proxy = format!("http://127.0.0.1:{front}");
    let logs = [dir.path().join("a.log"), dir.path().join("b.log")];
    let mut instances = [
        instance(&app.database_url, a, &proxy, &logs[0]),
        instance(&app.database_url, b, &proxy, &logs[1]),
    ];
    for port in [a, b] {
        until_ready(&format!("http://127.0.0.1:{port}/readyz")).await;
    }
    let mut caddy = caddy(front, [a, b], dir.path());
    until_ready(&format!("{proxy}/readyz")).await;
    // Both instances healthy in Caddy's eyes.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let seconds: u64 = std::env::var("MARQUEE_ROLLING_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let (stop, restarting) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let clients = (0..6)
        .map(|c| {
            let (api, screening, door) = (
                format!("{proxy}/api/v1"),
                screening.clone(),
                app.door_token.clone(),
            );
            let (seen, stop, restarting) = (seen.clone(), stop.clone(), restarting.clone());
            tokio::spawn(async move {
                let client = new_browser();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    let key = format!("rolling-{c}-{i}");
                    let during = restarting.load(Ordering::SeqCst);
                    let started = Instant::now();
                    let answer = client
                        .post(format!("{api}/screenings/{screening}/bookings"))
                        .header("Idempotency-Key", &key)
                        .json(
                            &json!({"name": "Rolling", "email": format!("r{c}-{i}@example.org"),
                                      "country": "FR", "seats": 1}),
                        )
                        .send()
                        .await;
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    let booking: Value = match answer {
                        Ok(r) if r.status() == 201 => r.json().await.unwrap(),
                        Ok(r) => {
                            let status = r.status();
                            let body = r.text().await.unwrap_or_default();
                            seen.lock()
                                .unwrap()
                                .errors
                                .push(format!("booking {key}: {status} {body}"));
                            continue;
                        }
                        Err(error) => {
                            seen.lock()
                                .unwrap()
                                .errors
                                .push(format!("booking {key}: {error}"));
                            continue;
                        }
                    };
                    let code = booking["tickets"][0]["code"].as_str().unwrap().to_owned();
                    {
                        let mut seen = seen.lock().unwrap();
                        seen.latencies.push((ms, during));
                        seen.bookings.push((
                            booking["booking"]["id"].as_str().unwrap().to_owned(),
                            key.clone(),
                        ));
                    }
                    let during = restarting.load(Ordering::SeqCst);
                    let started = Instant::now();
                    let answer = client
                        .post(format!("{api}/scans"))
                        .bearer_auth(&door)
                        .json(&json!({"code": code, "screening_id": screening,
                                      "door": format!("Door {c}"), "nonce": key}))
                        .send()
                        .await;
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    let answer = match answer {
                        Ok(r) if r.status() == 200 => Ok(r.json::<Value>().await.unwrap()),
                        Ok(r) => Err(r.status().to_string()),
                        Err(error) => Err(error.to_string()),
                    };
                    let mut seen = seen.lock().unwrap();
                    match answer {
                        Ok(verdict) => {
                            if verdict["verdict"] == "admitted" {
                                seen.admitted.push(code);
                                seen.latencies.push((ms, during));
                            } else {
                                seen.errors.push(format!("scan {key}: {verdict}"));
                            }
                        }
                        Err(error) => seen.errors.push(format!("scan {key}: {error}")),
                    }
                }
            })
        })
        .collect::<Vec<_>>();

    // Steady state, then each instance in turn: SIGTERM, exit 0, start again, ready.
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    restarting.store(true, Ordering::SeqCst);
    for (n, port) in [a, b].into_iter().enumerate() {
        let stopping = Instant::now();
        signal(&instances[n], libc::SIGTERM);
        let status = exited(&mut instances[n]).await;
        println!("instance {n} stopped in {:?}", stopping.elapsed());
        if std::env::var_os("DEBUG_PROXY").is_some() {
            let log = std::fs::read_to_string(&logs[n]).unwrap();
            println!(
                "{}",
                log.lines()
                    .filter(|l| !l.contains("HTTP/1.1\" 20"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        assert!(status.success(), "instance {n} exited with {status}");
        instances[n] = instance(&app.database_url, port, &proxy, &logs[n]);
        until_ready(&format!("http://127.0.0.1:{port}/readyz")).await;
        // Caddy's next health check finds it ready.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    restarting.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.await.unwrap();
    }

    let seen = Arc::try_unwrap(seen).ok().unwrap().into_inner().unwrap();
    let during = seen.latencies.iter().filter(|(_, d)| *d).count();
    assert!(
        seen.errors.is_empty(),
        "{} errors seen by clients, e.g. {:?}",
        seen.errors.len(),
        &seen.errors[..seen.errors.len().min(5)]
    );
    assert!(during > 20, "the rush ran through the restarts ({during})");
    // Every acknowledged booking is stored, once; every admission too.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM bookings WHERE screening_id = '{screening}'"
        )),
        seen.bookings.len() as i64
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets JOIN bookings ON bookings.id = tickets.booking_id \
             WHERE bookings.screening_id = '{screening}' AND tickets.admitted_at IS NOT NULL"
        )),
        seen.admitted.len() as i64
    );
    // Admitted at most once: a second scan of each code, through the proxy, says so.
    let client = new_browser();
    for (n, code) in seen.admitted.iter().enumerate().step_by(7) {
        let again: Value = client
            .post(format!("{proxy}/api/v1/scans"))
            .bearer_auth(&app.door_token)
            .json(
                &json!({"code": code, "screening_id": screening, "door": "Check",
                          "nonce": format!("check-{n}")}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(again["verdict"], "already_admitted", "{again}");
    }
    // Caddy's X-Forwarded-For is believed from 127.0.0.1: nothing to check here beyond the logs
    // naming the client (the access log's first field).
    let report = |during: bool| {
        let mut ms = seen
            .latencies
            .iter()
            .filter(|(_, d)| *d == during)
            .map(|(ms, _)| *ms)
            .collect::<Vec<_>>();
        ms.sort_by(f64::total_cmp);
        (ms.len(), percentile(&ms, 0.5), percentile(&ms, 0.99))
    };
    let (steady_n, steady_p50, steady_p99) = report(false);
    let (during_n, during_p50, during_p99) = report(true);
    println!(
        "rolling restart through Caddy: {} bookings, {} admissions, 0 client errors, 0 writes lost; \
         steady {steady_n} requests p50 {steady_p50:.1} ms p99 {steady_p99:.1} ms; \
         during the restarts {during_n} requests p50 {during_p50:.1} ms p99 {during_p99:.1} ms",
        seen.bookings.len(),
        seen.admitted.len()
    );
    for instance in &mut instances {
        signal(instance, libc::SIGTERM);
        assert!(exited(instance).await.success());
    }
    let _ = caddy.kill();
    let _ = caddy.wait();
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
