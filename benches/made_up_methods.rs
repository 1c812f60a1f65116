//! What made-up HTTP methods cost: the real `marquee` binary takes N requests, each with a method
//! of its own (up to 8,000 characters, as the HTTP parser accepts), on routes and off them, each
//! on a new connection; the process's resident memory, `/metrics` (size and series) and the
//! access log are read before and after. Bounded: N requests, nothing else.
//!
//!     cargo bench --bench made_up_methods                # 5,000 requests, SQLite
//!     cargo bench --bench made_up_methods -- --requests 20000

mod support;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One request on its own connection; the status line's code.
fn send(port: u16, method: &str, path: &str) -> u16 {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: bench\r\n\r\n").expect("send");
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).expect("an answer");
    std::str::from_utf8(&answer[9..12])
        .ok()
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// `/metrics`: its size in bytes and how many series it lists.
fn metrics(port: u16) -> (usize, usize) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("metrics");
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let series = body.lines().filter(|l| !l.starts_with('#')).count();
    (body.len(), series)
}

fn main() {
    let mut requests = 5_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--requests" {
            requests = args.next().and_then(|n| n.parse().ok()).expect("a number");
        }
    }
    let (url, dir) = support::database();
    let log_dir = tempfile::tempdir().expect("temp dir");
    let log_path = log_dir.path().join("marquee.log");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "info")
        .env("MARQUEE_RATE_LIMITS", "off")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).expect("log file"))
        .spawn()
        .expect("start marquee");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "marquee did not start"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let pid = child.id();
    // Warm: every route the run touches answers once, with a known and a made-up method.
    for path in ["/healthz", "/api/v1/festivals", "/nowhere"] {
        send(port, "GET", path);
        send(port, "BREW", path);
    }
    metrics(port);
    let (metrics_before, series_before) = metrics(port);
    let rss_before = rss_kib(pid, "VmRSS:");
    let log_before = std::fs::metadata(&log_path).map_or(0, |m| m.len());

    let paths = ["/healthz", "/api/v1/festivals", "/nowhere"];
    let mut refused = 0;
    let rush = Instant::now();
    for n in 0..requests {
        let length = 1 + (n * 7_919) % 8_000;
        let method: String = format!("M{n}")
            .chars()
            .chain(std::iter::repeat('X'))
            .take(length.max(format!("M{n}").len()))
            .collect();
        if send(port, &method, paths[n % paths.len()]) == 405 {
            refused += 1;
        }
    }
    let elapsed = rush.elapsed();
    // The access log is written after each answer: let the last lines land.
    std::thread::sleep(Duration::from_millis(200));
    let (metrics_after, series_after) = metrics(port);
    let rss_after = rss_kib(pid, "VmRSS:");
    let peak = rss_kib(pid, "VmHWM:");
    let log_after = std::fs::metadata(&log_path).map_or(0, |m| m.len());
    let _ = child.kill();
    let _ = child.wait();
    drop(dir);
    support::drop_database(&url);

    println!(
        "| made-up methods ({requests} requests, each method its own, 1–8,000 characters) | |"
    );
    println!("|---|---|");
    println!(
        "| refused with 405 | {refused} of {requests} ({:.0} requests/s, one connection each) |",
        requests as f64 / elapsed.as_secs_f64()
    );
    println!(
        "| resident memory before → after (peak) | {:.1} → {:.1} MiB ({:.1}) |",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    println!(
        "| `/metrics` before → after | {metrics_before} → {metrics_after} bytes, {series_before} → {series_after} series |"
    );
    println!(
        "| access log written | {:.0} bytes per request |",
        (log_after - log_before) as f64 / requests as f64
    );
    assert_eq!(refused, requests, "every made-up method is refused");
    assert_eq!(series_after, series_before, "no series was added");
}
