//! Load benchmark: the real `marquee` binary, driven over HTTP on 127.0.0.1 from other processes
//! (wrk with `benches/scan.lua` for the scan rush and `/healthz`; this process's keep-alive
//! clients for the open-loop scans and the booking rush), bounded in count and time.
//!
//!     cargo bench --bench load                                   # SQLite
//!     cargo bench --bench load -- --scans 20000 --attempts 100000 --seats 1000 --clients 256
//!     cargo bench --bench load -- --room-share 0                 # every attempt for few seats
//!     cargo bench --bench load -- --report-admissions 0          # skip the 1M-admission report
//!     cargo bench --bench load -- --json load.json               # also write the table as JSON
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench load
//!     MARQUEE_SQLITE_SYNCHRONOUS=full cargo bench --bench load   # power-loss durable commits
//!     MARQUEE_GROUP_COMMIT=off cargo bench --bench load          # one transaction per request
//!     cargo bench --bench load -- --instances 2 --screenings 4   # two servers on one database,
//!                                                                # rushes spread over 4 screenings
//!
//! Measures: cold start (process start → first 200 from /healthz), the /healthz rate with the
//! scan rush's client settings, a scan rush (N distinct valid tickets, each scanned once; its
//! rate also as a share of /healthz, and the server's CPU time per scan from /proc), open-loop
//! scans at a fixed rate (latency from each one's intended start), a booking rush (M attempts for
//! K seats), the festival report with 1,000,000 admissions, and the server's peak RSS. Asserts
//! correctness — every ticket admitted exactly once, zero oversell — but no time.

mod support;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[derive(Clone)]
struct Args {
    scans: usize,
    scan_clients: usize,
    attempts: usize,
    seats: usize,
    clients: usize,
    report_admissions: usize,
    /// Servers on the one database; requests go to them in turn.
    instances: usize,
    /// Screenings the scan and booking rushes are spread over (interleaved).
    screenings: usize,
    /// The open-loop scan rate (scans/s) and how long it is held.
    open_rate: f64,
    open_seconds: f64,
    /// The share of booking attempts, in %, for a screening with room (the rest rush the
    /// screenings that sell out).
    room_share: usize,
    json: Option<String>,
}

fn args() -> Args {
    let mut args = Args {
        scans: 20_000,
        scan_clients: 64,
        attempts: 40_000,
        seats: 1_000,
        clients: 256,
        report_admissions: 1_000_000,
        instances: 1,
        screenings: 1,
        open_rate: 5_000.0,
        open_seconds: 4.0,
        room_share: 50,
        json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = || it.next().and_then(|v| v.parse().ok()).expect("a number");
        match arg.as_str() {
            "--scans" => args.scans = number(),
            "--scan-clients" => args.scan_clients = number(),
            "--attempts" => args.attempts = number(),
            "--seats" => args.seats = number(),
            "--clients" => args.clients = number(),
            "--report-admissions" => args.report_admissions = number(),
            "--instances" => args.instances = number().max(1),
            "--screenings" => args.screenings = number().max(1),
            "--open-rate" => args.open_rate = number() as f64,
            "--open-seconds" => args.open_seconds = number() as f64,
            "--room-share" => args.room_share = number().min(100),
            "--json" => args.json = it.next(),
            _ => {} // cargo bench passes --bench
        }
    }
    args
}

/// The server under test, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `marquee serve` and returns it with the time to its first 200 from /healthz.
async fn start(url: &str) -> (Server, Duration) {
    let port = support::rolling::free_port();
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        // The generator is one address sending thousands of requests a second, over more
        // connections at once than one client may hold (an open loop does not wait for answers).
        .env("MARQUEE_RATE_LIMITS", "off")
        .env("MARQUEE_MAX_CONNECTIONS_PER_CLIENT", "100000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start marquee");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "marquee did not start"
        );
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
    (Server { child, base }, started.elapsed())
}

fn credential(url: &str, role: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args([
            "staff",
            "add",
            "--role",
            role,
            "--name",
            &format!("bench {role}"),
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("staff add");
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .last()
        .expect("a credential")
        .trim()
        .to_owned()
}

fn peak_rss_mib(server: &Server) -> f64 {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut request = client.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

struct Rush {
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Rush {
    fn per_second(&self, n: usize) -> f64 {
        n as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> f64 {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i].as_secs_f64() * 1000.0
    }
}

/// Runs `work(i)` for i in 0..n on `clients` concurrent keep-alive connections, for at most
/// `limit`; returns the latencies and the statuses.
async fn rush<F, Fut>(
    n: usize,
    clients: usize,
    limit: Duration,
    work: F,
) -> (Rush, Vec<(u16, Value)>)
where
    F: Fn(reqwest::Client, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = (u16, Value)> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let work = Arc::new(work);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let next = next.clone();
            let work = work.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .expect("client");
                let mut latencies = Vec::new();
                let mut answers = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || started.elapsed() > limit {
                        break;
                    }
                    let start = Instant::now();
                    let answer = work(client.clone(), i).await;
                    latencies.push(start.elapsed());
                    answers.push(answer);
                }
                (latencies, answers)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(n);
    let mut answers = Vec::with_capacity(n);
    for (l, a) in joined(tasks).await {
        latencies.extend(l);
        answers.extend(a);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    (
        Rush {
            requests: latencies.len(),
            elapsed,
            latencies,
        },
        answers,
    )
}

/// The server's CPU time so far, user and system, in seconds (`/proc/<pid>/stat`).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command name's closing parenthesis, utime and stime are the 12th and 13th fields.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // SAFETY: sysconf only reads a configuration value.
    #[expect(unsafe_code, reason = "libc has no safe wrapper for sysconf")]
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) / per_second
}

/// The load generator: wrk, a separate process, with these threads and connections.
const WRK_THREADS: usize = 2;

/// `wrk` on a plain GET for `seconds`: requests/s, and the server's CPU time per request (µs).
fn wrk_get(url: &str, connections: usize, seconds: u64, pid: u32) -> (f64, f64) {
    let cpu = cpu_seconds(pid);
    let out = Command::new("wrk")
        .args([
            "-t",
            &WRK_THREADS.to_string(),
            "-c",
            &connections.to_string(),
        ])
        .args(["-d", &format!("{seconds}s"), url])
        .output()
        .expect("wrk (Debian's package wrk) runs");
    let cpu = cpu_seconds(pid) - cpu;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("wrk printed no {label}: {text}"))
    };
    let rate = field("Requests/sec:");
    let requests = rate * seconds as f64;
    (rate, cpu * 1e6 / requests.max(1.0))
}

/// What the wrk scan rush measured.
struct WrkScans {
    scans: usize,
    admitted: usize,
    failed: usize,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    p999_ms: f64,
    cpu_us: f64,
}

/// Scans every code once with wrk (`benches/scan.lua`) on `connections` connections.
fn wrk_scans(
    base: &str,
    token: &str,
    codes: &[(String, String)],
    connections: usize,
    pid: u32,
) -> WrkScans {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("codes");
    let lines: String = codes.iter().map(|(c, s)| format!("{c} {s}\n")).collect();
    std::fs::write(&file, lines).expect("codes file");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/scan.lua");
    let cpu = cpu_seconds(pid);
    let wrk = Command::new("wrk")
        .args([
            "-t",
            &WRK_THREADS.to_string(),
            "-c",
            &connections.to_string(),
        ])
        .args(["-d", "300s", "--timeout", "30s", "-s", script, base])
        .env("MARQUEE_SCAN_CODES", &file)
        .env("MARQUEE_DOOR_TOKEN", token)
        .env("MARQUEE_WRK_THREADS", WRK_THREADS.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("wrk (Debian's package wrk) runs");
    let started = Instant::now();
    let done = |k: usize| dir.path().join(format!("codes.done{k}")).exists();
    while !(0..WRK_THREADS).all(done) && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let cpu = cpu_seconds(pid) - cpu;
    // SAFETY: signals the child process this function started.
    #[expect(
        unsafe_code,
        reason = "std can only SIGKILL a child; wrk reports on SIGINT"
    )]
    let _ = unsafe { libc::kill(wrk.id() as i32, libc::SIGINT) };
    let out = wrk.wait_with_output().expect("wrk finishes");
    let text = String::from_utf8_lossy(&out.stdout);
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!("wrk after {:?}:\n{text}", started.elapsed());
    }
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("the scan script printed no summary: {text}"));
    let summary: Value = serde_json::from_str(line).expect("the summary is JSON");
    let number = |key: &str| summary[key].as_f64().unwrap_or(0.0);
    let scans = number("scans") as usize;
    WrkScans {
        scans,
        admitted: number("admitted") as usize,
        failed: number("failed") as usize,
        per_second: scans as f64 / (number("span_us") / 1e6).max(1e-9),
        p50_ms: number("p50_us") / 1000.0,
        p99_ms: number("p99_us") / 1000.0,
        p999_ms: number("p999_us") / 1000.0,
        // (Includes the few cheap reads sent after a thread's share: they cost ~1/20 of a scan.)
        cpu_us: cpu * 1e6 / (scans.max(1) as f64),
    }
}

/// Open loop: `work(i)` started at `rate` per second for `seconds` whatever the answers, each
/// latency measured from its intended start (so a stall delays no request and hides no wait).
async fn open_loop<F, Fut>(rate: f64, seconds: f64, work: F) -> (Vec<Duration>, Vec<(u16, Value)>)
where
    F: Fn(reqwest::Client, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = (u16, Value)> + Send + 'static,
{
    let client = reqwest::Client::new();
    let count = (rate * seconds) as usize;
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let work = Arc::new(work);
    let tasks: Vec<_> = (0..count)
        .map(|i| {
            let intended = start + Duration::from_secs_f64(i as f64 / rate);
            let (client, work) = (client.clone(), work.clone());
            tokio::spawn(async move {
                tokio::time::sleep_until(intended).await;
                let answer = work(client, i).await;
                (intended.elapsed(), answer)
            })
        })
        .collect();
    let (mut latencies, answers): (Vec<Duration>, Vec<(u16, Value)>) =
        joined(tasks).await.into_iter().unzip();
    latencies.sort();
    (latencies, answers)
}

/// What each client task returned, in order.
async fn joined<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("a client task"));
    }
    results
}

/// Marks the queued messages sent, then waits (at most ten seconds) for the sender to finish
/// those it had already taken.
async fn settle_outbox(url: &str) {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use marquee::db::schema::outbox;
        let pool = marquee::db::connect(&marquee::config::DatabaseSettings {
            url,
            pool_size: 1,
            sqlite_sync: marquee::config::SqliteSync::Normal,
        })
        .expect("database");
        let mut conn = pool.get().expect("connection");
        let now = chrono::Utc::now().naive_utc();
        diesel::update(
            outbox::table
                .filter(outbox::status.eq("queued"))
                .filter(outbox::next_attempt_at.le(now)),
        )
        .set(outbox::status.eq("sent"))
        .execute(&mut *conn)
        .expect("outbox settled");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            let waiting: i64 = outbox::table
                .filter(outbox::status.eq("queued"))
                .count()
                .get_result(&mut *conn)
                .expect("outbox count");
            if waiting == 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
    .await
    .expect("outbox settled");
}

fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let args = args();
    let (url, _dir) = support::database();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let durability = match (
        backend,
        std::env::var("MARQUEE_SQLITE_SYNCHRONOUS").as_deref(),
    ) {
        ("SQLite", Ok("full")) => "synchronous=FULL (power-loss safe)",
        ("SQLite", _) => "WAL, synchronous=NORMAL (crash safe)",
        _ => "synchronous_commit=on (power-loss safe)",
    };
    let commits = match std::env::var("MARQUEE_GROUP_COMMIT").as_deref() {
        Ok("off") => "one transaction per request",
        _ => "group commit",
    };
    let durability = format!("{durability}, {commits}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut rows: Vec<(String, String)> = Vec::new();
    runtime.block_on(async {
        // Cold start: the first start creates and migrates the database; the second is timed.
        let (first, first_start) = start(&url).await;
        drop(first);
        let (server, cold_start) = start(&url).await;
        rows.push(("cold start to first 200 (migrated database)".into(), format!("{:.1} ms", cold_start.as_secs_f64() * 1000.0)));
        rows.push(("first start (creates and migrates the database)".into(), format!("{:.1} ms", first_start.as_secs_f64() * 1000.0)));
        let organiser = credential(&url, "organiser");
        let door = credential(&url, "door");
        let api = format!("{}/api/v1", server.base);
        let client = reqwest::Client::new();
        // More servers on the same database, as behind a load balancer.
        let mut others = Vec::new();
        for _ in 1..args.instances {
            others.push(start(&url).await.0);
        }
        let apis: Arc<Vec<String>> = Arc::new(
            std::iter::once(api.clone())
                .chain(others.iter().map(|s| format!("{}/api/v1", s.base)))
                .collect(),
        );

        // The catalogue: screenings opening now for the scan rush, tomorrow for bookings.
        let (_, festival) = post(&client, &format!("{api}/festivals"), Some(&organiser), &json!({
            "slug": "load", "name": "Load", "starts_on": "2030-01-01", "ends_on": "2030-01-07",
            "timezone": "Europe/Paris", "attendance_goal": 10000})).await;
        let seats_each = args.seats.div_ceil(args.screenings);
        let (_, venue) = post(&client, &format!("{api}/venues"), Some(&organiser), &json!({
            "name": "Hall", "city": "Paris", "timezone": "Europe/Paris",
            "rooms": [{"name": "Big", "seats": 100000}, {"name": "Small", "seats": seats_each}]})).await;
        let (_, film) = post(&client, &format!("{api}/films"), Some(&organiser), &json!({
            "title": "Red Rain", "director": "Đặng Thái Huyền", "year": 2025, "runtime_minutes": 124, "country": "VN"})).await;
        let screening = |room: &str, starts: chrono::DateTime<chrono::Utc>| json!({
            "festival_id": festival["id"], "venue_id": venue["id"], "film_id": film["id"],
            "room": room, "starts_at": starts.to_rfc3339(), "doors_close_minutes": 600,
            // Several screenings in one room at one time, on purpose: the rush is spread over them.
            "confirm": true});
        let now = chrono::Utc::now();
        let mut scan_ids = Vec::new();
        let mut book_ids = Vec::new();
        for _ in 0..args.screenings {
            let (_, scan_screening) = post(&client, &format!("{api}/screenings"), Some(&organiser),
                &screening("Big", now + chrono::Duration::minutes(20))).await;
            let (_, book_screening) = post(&client, &format!("{api}/screenings"), Some(&organiser),
                &screening("Small", now + chrono::Duration::days(1))).await;
            scan_ids.push(scan_screening["id"].as_str().expect("screening").to_owned());
            book_ids.push(book_screening["id"].as_str().expect("screening").to_owned());
        }
        // And one with room for every attempt sent to it: the rush is not all refusals.
        let (_, roomy) = post(&client, &format!("{api}/screenings"), Some(&organiser),
            &screening("Big", now + chrono::Duration::days(2))).await;
        let roomy = roomy["id"].as_str().expect("screening").to_owned();
        let (scan_ids, book_ids) = (Arc::new(scan_ids), Arc::new(book_ids));

        // Tickets for the scan rush: bookings of 10 seats, screening after screening; the same
        // people book at every screening (their rows are shared by the admissions).
        let per_booking = 10;
        let open_scans = (args.open_rate * args.open_seconds) as usize;
        let tickets = args.scans + open_scans;
        let (_, made) = rush(tickets.div_ceil(per_booking), 16, Duration::from_secs(300), {
            let (api, scan_ids) = (api.clone(), scan_ids.clone());
            move |client, i| {
                let url = format!("{api}/screenings/{}/bookings", scan_ids[i % scan_ids.len()]);
                let person = i / scan_ids.len();
                async move {
                    post(&client, &url, None, &json!({"name": format!("Guest {person}"),
                        "email": format!("g{person}@example.org"), "country": "FR", "seats": per_booking})).await
                }
            }
        }).await;
        // (code, screening) in booking order: neighbours are for different screenings.
        let codes: Arc<Vec<(String, String)>> = Arc::new(
            made.iter()
                .flat_map(|(_, b)| {
                    let screening = b["screening"]["id"].as_str().unwrap_or_default().to_owned();
                    b["tickets"].as_array().cloned().unwrap_or_default().into_iter()
                        .filter_map(move |t| t["code"].as_str().map(|c| (c.to_owned(), screening.clone())))
                })
                .collect::<Vec<_>>(),
        );
        assert_eq!(codes.len(), made.len() * per_booking, "every booking for the scan rush was made");
        assert!(codes.len() >= tickets, "every ticket for the scan rushes was booked");
        // Interleaved: the k-th ticket of every booking, then the (k+1)-th…, so that neighbouring
        // scans are for different screenings.
        let codes: Arc<Vec<(String, String)>> = {
            let mut order: Vec<(usize, usize)> =
                (0..codes.len()).map(|i| (i % per_booking, i / per_booking)).collect();
            order.sort_unstable();
            Arc::new(order.into_iter().map(|(k, b)| codes[b * per_booking + k].clone()).take(tickets).collect())
        };

        // The bookings above queued their tickets' mail (a PDF and QR codes each): the scan rush
        // measures scans, and a festival's door rush is not a booking rush, so that mail is
        // marked sent rather than composed during the rush.
        settle_outbox(&url).await;

        // The HTTP ceiling: the same binary's /healthz, with the same client settings.
        let pids: Vec<u32> = std::iter::once(&server).chain(others.iter()).map(|s| s.child.id()).collect();
        let (healthz, healthz_cpu) = wrk_get(&format!("{}/healthz", server.base), args.scan_clients, 5, pids[0]);
        rows.push((format!("/healthz, wrk {WRK_THREADS} threads × {} connections — requests/s", args.scan_clients), format!("{healthz:.0} ({healthz_cpu:.1} µs server CPU each)")));

        // Scan rush (closed loop): every ticket scanned once by wrk, the servers sharing the codes.
        let bases: Vec<String> = std::iter::once(&server).chain(others.iter()).map(|s| s.base.clone()).collect();
        let runs: Vec<WrkScans> = std::thread::scope(|scope| {
            let handles: Vec<_> = bases.iter().zip(&pids).enumerate().map(|(k, (base, &pid))| {
                let share: Vec<(String, String)> = codes[..args.scans].iter().skip(k).step_by(bases.len()).cloned().collect();
                let (door, clients) = (door.clone(), args.scan_clients.div_ceil(bases.len()));
                scope.spawn(move || wrk_scans(base, &door, &share, clients, pid))
            }).collect();
            handles.into_iter().map(|h| h.join().expect("wrk run")).collect()
        });
        let scanned: usize = runs.iter().map(|r| r.scans).sum();
        let admitted: usize = runs.iter().map(|r| r.admitted).sum();
        let failed: usize = runs.iter().map(|r| r.failed).sum();
        let per_second: f64 = runs.iter().map(|r| r.per_second).sum();
        let worst = |f: fn(&WrkScans) -> f64| runs.iter().map(f).fold(0.0, f64::max);
        let cpu_us = runs.iter().map(|r| r.cpu_us).sum::<f64>() / runs.len() as f64;
        // wrk may lose a request with a connection (it does not resend): the database is the
        // judge of what was admitted (below), and a lost request or two is not a failure.
        assert!(scanned + 4 >= args.scans, "the scans of the rush were answered ({scanned})");
        assert_eq!(failed, 0, "no scan failed");
        assert_eq!(admitted, scanned, "every answered ticket admitted once");

        // Open loop: scans started at a fixed rate, latency from each one's intended start.
        let (door_token, rest, scan_apis) = (door.clone(), Arc::new(codes[args.scans..].to_vec()), apis.clone());
        let (latencies, answers) = open_loop(args.open_rate, args.open_seconds, move |client, i| {
            let (code, screening_id) = rest[i].clone();
            let (url, token) = (format!("{}/scans", scan_apis[i % scan_apis.len()]), door_token.clone());
            let body = json!({"code": code, "screening_id": screening_id, "door": format!("Door {}", i % 8),
                              "nonce": format!("open-{i}")});
            async move { post(&client, &url, Some(&token), &body).await }
        }).await;
        let open_failed = answers.iter().filter(|(s, _)| *s >= 500).count();
        let open_admitted = answers.iter().filter(|(s, a)| *s == 200 && a["verdict"] == "admitted").count();
        assert_eq!(open_failed, 0, "no open-loop scan failed");
        let mut refused: BTreeMap<String, usize> = BTreeMap::new();
        for (status, answer) in answers.iter().filter(|(s, a)| !(*s == 200 && a["verdict"] == "admitted")) {
            let why = answer["verdict"].as_str().or(answer["error"].as_str()).unwrap_or("?");
            *refused.entry(format!("{status} {why}")).or_default() += 1;
        }
        assert_eq!(open_admitted, open_scans, "every open-loop ticket admitted exactly once: {refused:?}");
        let mut counted = 0;
        for id in scan_ids.iter() {
            let arrivals: Value = client.get(format!("{api}/screenings/{id}/arrivals")).bearer_auth(&organiser)
                .send().await.expect("arrivals").json().await.expect("json");
            counted += arrivals["admitted"].as_u64().unwrap_or(0);
        }
        assert_eq!(counted, (admitted + open_admitted) as u64, "the database agrees");
        let spread = if args.instances > 1 || args.screenings > 1 {
            format!(" over {} screenings, {} instances", args.screenings, args.instances)
        } else {
            String::new()
        };
        rows.push((format!("scan rush: {} first scans{spread}, wrk, {} connections — scans/s", args.scans, args.scan_clients),
            format!("{per_second:.0} ({:.1} % of /healthz; {cpu_us:.1} µs server CPU each)", 100.0 * per_second / healthz)));
        rows.push(("scan rush — p50 / p99 / p99.9 (closed loop)".into(), format!("{:.2} / {:.2} / {:.2} ms",
            worst(|r| r.p50_ms), worst(|r| r.p99_ms), worst(|r| r.p999_ms))));
        rows.push((format!("open loop: {:.0} scans/s for {:.0} s — p50 / p99 / p99.9", args.open_rate, args.open_seconds),
            format!("{:.2} / {:.2} / {:.2} ms", percentile_ms(&latencies, 0.5), percentile_ms(&latencies, 0.99), percentile_ms(&latencies, 0.999))));

        // Booking rush: `room_share` % of the attempts for a screening with room, the rest for
        // few seats over the other screenings in turn.
        let room_share = args.room_share;
        let to_roomy = move |i: usize| i % 100 < room_share;
        let (book_apis, targets, roomy_id) = (apis.clone(), book_ids.clone(), roomy.clone());
        let (bookings, answers) = rush(args.attempts, args.clients, Duration::from_secs(120), move |client, i| {
            let target = if to_roomy(i) { roomy_id.clone() } else { targets[i % targets.len()].clone() };
            let url = format!("{}/screenings/{target}/bookings", book_apis[i % book_apis.len()]);
            async move {
                post(&client, &url, None, &json!({"name": format!("Rush {i}"),
                    "email": format!("r{i}@example.org"), "country": "VN", "seats": 1})).await
            }
        }).await;
        let sold = answers.iter().filter(|(s, _)| *s == 201).count();
        let refused = answers.iter().filter(|(s, b)| *s == 409 && b["error"] == "sold_out").count();
        let total_seats = seats_each * args.screenings;
        let roomy_attempts = (0..bookings.requests).filter(|&i| to_roomy(i)).count();
        let rushed = bookings.requests - roomy_attempts;
        let mut other: BTreeMap<String, usize> = BTreeMap::new();
        for (status, answer) in answers.iter().filter(|(s, b)| *s != 201 && !(*s == 409 && b["error"] == "sold_out")) {
            *other.entry(format!("{status} {}", answer["error"].as_str().unwrap_or("?"))).or_default() += 1;
        }
        assert_eq!(sold, roomy_attempts + total_seats.min(rushed), "zero oversell, no seat left unsold ({other:?})");
        assert_eq!(sold + refused, bookings.requests, "every attempt answered 201 or 409 sold_out");
        let mut left = 0;
        for id in book_ids.iter() {
            let after: Value = client.get(format!("{api}/screenings/{id}")).send().await.expect("screening").json().await.expect("json");
            left += after["seats_left"].as_u64().unwrap_or(0);
        }
        assert_eq!(left, total_seats.saturating_sub(sold - roomy_attempts) as u64, "the counters agree");
        rows.push((format!("booking rush: {} attempts, {} % for a screening with room, the rest for {} seats{spread}, {} clients — attempts/s",
            bookings.requests, args.room_share, total_seats, args.clients), format!("{:.0}", bookings.per_second(bookings.requests))));
        rows.push(("booking rush — successful bookings/s (over the rush)".into(), format!("{:.0}", bookings.per_second(sold))));
        rows.push(("booking rush — p50 / p99".into(), format!("{:.2} / {:.2} ms", bookings.percentile(0.5), bookings.percentile(0.99))));
        rows.push(("peak RSS during the rushes".into(), format!("{:.1} MiB", peak_rss_mib(&server))));

        // Report at festival scale.
        if args.report_admissions > 0 {
            let seed_url = url.clone();
            let admissions = args.report_admissions;
            let festival_id = tokio::task::spawn_blocking(move || {
                let pool = marquee::db::connect(&marquee::config::DatabaseSettings {
                    url: seed_url,
                    pool_size: 1,
                    sqlite_sync: marquee::config::SqliteSync::Normal,
                })
                .expect("database");
                let mut conn = pool.get().expect("connection");
                support::seed(&mut conn, admissions, 300, "load-report")
            })
            .await
            .expect("seed");
            let report_url = format!("{api}/festivals/{festival_id}/report");
            let token = organiser.clone();
            let (report, answers) = rush(100, 1, Duration::from_secs(120), move |client, _| {
                let (url, token) = (report_url.clone(), token.clone());
                async move {
                    let r = client.get(&url).bearer_auth(&token).send().await.expect("report");
                    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
                }
            }).await;
            assert!(answers.iter().all(|(s, r)| *s == 200 && r["totals"]["admitted"].as_u64() == Some(admissions as u64)));
            rows.push((format!("festival report, {admissions} admissions — p50 / p99"), format!("{:.2} / {:.2} ms", report.percentile(0.5), report.percentile(0.99))));
        }
        drop(others);
        drop(server);
    });
    support::drop_database(&url);

    support::report(
        &format!("Marquee load benchmark — {backend}, {durability}"),
        &rows,
        args.json.as_deref(),
        json!({"backend": backend, "durability": durability}),
    );
}
