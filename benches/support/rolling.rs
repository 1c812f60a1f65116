//! A rolling restart behind Caddy, as `docs/caddy/Caddyfile` describes it: two instances of the
//! real binary on one PostgreSQL database, a rush of bookings and scans through the proxy, and
//! each instance in turn stopped with SIGTERM and started again. What the clients saw and what the
//! database kept, for the benchmark (`benches/rolling.rs`) to report and its test
//! (`tests/api/proxy.rs`) to assert. Also the process helpers both need.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{Value, json};

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Sends `signal` to the child.
pub fn signal(child: &Child, signal: i32) {
    // SAFETY: kill(2) of our own child process, whose pid we hold.
    #[expect(unsafe_code, reason = "std can only SIGKILL a child")]
    let sent = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(sent, 0);
}

/// Waits for the child to exit (after SIGTERM); its status.
pub async fn exited(child: &mut Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "marquee did not exit"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A child process killed when dropped (a failed run leaves nothing behind).
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `url` until it answers 200 (a new connection each time).
pub async fn until_ready(url: &str) {
    until_ready_with(reqwest::Client::new, url).await;
}

/// Polls `url` with a client from `client` until it answers 200.
async fn until_ready_with(client: impl Fn() -> reqwest::Client, url: &str) {
    let started = Instant::now();
    loop {
        if let Ok(r) = client().get(url).send().await
            && r.status() == 200
        {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{url} not ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The site address of the documented Caddyfile.
pub const SITE: &str = "tickets.festival.example";

/// How the clients reach Caddy.
pub enum Front {
    /// Plain HTTP on 127.0.0.1, the site address replaced (the benchmark: Marquee's numbers, not
    /// TLS's).
    Http,
    /// The documented site address over HTTPS, Caddy's certificate for it from an ACME server
    /// (the test: pebble, whose DNS says the name is this machine).
    Https(Acme),
}

/// The ACME server Caddy asks, and what the clients trust.
pub struct Acme {
    pub directory: String,
    /// The CA of the ACME server's own HTTPS (Caddy's `acme_ca_root`).
    pub directory_ca: PathBuf,
    /// The root the issued certificates chain to, in PEM (the clients trust it).
    pub issuing_root: String,
    /// Caddy's ports for HTTP and HTTPS, where the server checks its challenges.
    pub http_port: u16,
    pub https_port: u16,
}

impl Front {
    /// A client that reaches the front (the site's name resolved here, its root trusted).
    fn client(&self) -> reqwest::Client {
        match self {
            Front::Http => reqwest::Client::new(),
            Front::Https(acme) => reqwest::Client::builder()
                .resolve(
                    SITE,
                    std::net::SocketAddr::from(([127, 0, 0, 1], acme.https_port)),
                )
                .tls_built_in_root_certs(false)
                .add_root_certificate(
                    reqwest::Certificate::from_pem(acme.issuing_root.as_bytes())
                        .expect("the issuing root"),
                )
                .build()
                .expect("a client"),
        }
    }
}

/// What to run.
pub struct Plan<'a> {
    /// The `marquee` binary.
    pub binary: &'a Path,
    /// A migrated PostgreSQL database of its own.
    pub database_url: &'a str,
    /// How long the rush runs before the first restart and after the last.
    pub steady: Duration,
    /// Clients, each booking one seat and scanning its ticket, again and again.
    pub clients: usize,
    /// Where the Caddyfile, the logs and the instances' mail go.
    pub dir: &'a Path,
    pub front: Front,
}

/// What the clients saw and the database kept.
#[derive(Default)]
pub struct Outcome {
    /// Answers other than the expected ones, and requests that got no answer.
    pub errors: Vec<String>,
    /// Bookings answered 201.
    pub acknowledged: usize,
    /// Of those, how many the database does not have.
    pub lost: usize,
    /// Bookings the database has that no client was told of.
    pub unacknowledged: usize,
    /// Scans answered `admitted`, and tickets the database has admitted.
    pub admitted: usize,
    pub admitted_stored: usize,
    /// Tickets answered `admitted` more than once: by a second scan during the rush (every fifth
    /// ticket, at another door) or by the scan of every admitted ticket after it.
    pub admitted_twice: usize,
    /// Milliseconds per answered request, in steady state and during the restarts.
    pub steady_ms: Vec<f64>,
    pub during_ms: Vec<f64>,
    /// How long each instance took to exit after SIGTERM, and how it exited; the restarted
    /// instances' exits at the end.
    pub stops: Vec<(Duration, ExitStatus)>,
    pub final_exits: Vec<ExitStatus>,
}

/// The `p` quantile (0–1) of sorted milliseconds.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs the plan (see the module). Needs Debian's `caddy` at `/usr/bin/caddy`.
pub async fn run(plan: &Plan<'_>) -> Outcome {
    let (a, b) = (free_port(), free_port());
    let proxy = match &plan.front {
        Front::Http => format!("http://127.0.0.1:{}", free_port()),
        Front::Https(acme) => format!("https://{SITE}:{}", acme.https_port),
    };
    let instance = |port: u16| Instance {
        binary: plan.binary.to_owned(),
        database_url: plan.database_url.to_owned(),
        port,
        public_url: proxy.clone(),
        log: plan.dir.join(format!("marquee-{port}.log")),
    };
    let instances = [instance(a), instance(b)];
    let mut children = Vec::new();
    for instance in &instances {
        children.push(Running(instance.start()));
        until_ready(&format!("http://127.0.0.1:{}/readyz", instance.port)).await;
    }
    let organiser = credential(plan.binary, plan.database_url, "organiser");
    let door = credential(plan.binary, plan.database_url, "door");
    let caddy = Running(caddy(&plan.front, &proxy, [a, b], plan.dir));
    until_ready_with(|| plan.front.client(), &format!("{proxy}/readyz")).await;
    // Both instances healthy in Caddy's eyes.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let api = format!("{proxy}/api/v1");
    let screening = screening(&plan.front.client(), &api, &organiser).await;

    let seen = Arc::new(Mutex::new(Seen::default()));
    let (stop, restarting) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let clients = (0..plan.clients)
        .map(|c| {
            let client = Client {
                n: c,
                client: plan.front.client(),
                api: api.clone(),
                screening: screening.clone(),
                door: door.clone(),
                seen: seen.clone(),
                stop: stop.clone(),
                restarting: restarting.clone(),
            };
            tokio::spawn(client.rush())
        })
        .collect::<Vec<_>>();

    // Steady state, then each instance in turn: SIGTERM, exit, start again, ready.
    let mut outcome = Outcome::default();
    tokio::time::sleep(plan.steady).await;
    restarting.store(true, Ordering::SeqCst);
    for (n, instance) in instances.iter().enumerate() {
        let stopping = Instant::now();
        signal(&children[n].0, libc::SIGTERM);
        let status = exited(&mut children[n].0).await;
        outcome.stops.push((stopping.elapsed(), status));
        children[n] = Running(instance.start());
        until_ready(&format!("http://127.0.0.1:{}/readyz", instance.port)).await;
        // Caddy's next health check finds it ready.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    restarting.store(false, Ordering::SeqCst);
    tokio::time::sleep(plan.steady).await;
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.await.expect("a client");
    }

    let mut seen = Arc::try_unwrap(seen)
        .ok()
        .expect("the clients are done")
        .into_inner()
        .expect("not poisoned");
    let mut conn = PgConnection::establish(plan.database_url).expect("the database");
    let stored: HashSet<String> = diesel::sql_query(format!(
        "SELECT id AS text FROM bookings WHERE screening_id = '{screening}'"
    ))
    .load::<Text>(&mut conn)
    .expect("the bookings")
    .into_iter()
    .map(|t| t.text)
    .collect();
    let acknowledged: HashSet<&String> = seen.bookings.iter().collect();
    outcome.acknowledged = seen.bookings.len();
    outcome.lost = acknowledged
        .iter()
        .filter(|id| !stored.contains(**id))
        .count();
    outcome.unacknowledged = stored
        .iter()
        .filter(|id| !acknowledged.contains(id))
        .count();
    outcome.admitted_stored = diesel::sql_query(format!(
        "SELECT tickets.id AS text FROM tickets JOIN bookings ON bookings.id = tickets.booking_id \
         WHERE bookings.screening_id = '{screening}' AND tickets.admitted_at IS NOT NULL"
    ))
    .load::<Text>(&mut conn)
    .expect("the admissions")
    .len();
    // Every ticket admitted, scanned again through the proxy: each one says so.
    let client = plan.front.client();
    for (n, code) in seen.admitted.clone().iter().enumerate() {
        let nonce = format!("check-{n}");
        match scan(&client, &api, &door, code, &screening, "Check", &nonce).await {
            Ok(verdict) if verdict == "admitted" => seen.admitted.push(code.clone()),
            Ok(verdict) if verdict == "already_admitted" => {}
            Ok(verdict) => seen.errors.push(format!("scan again {code}: {verdict}")),
            Err(error) => seen.errors.push(format!("scan again {code}: {error}")),
        }
    }
    let distinct: HashSet<&String> = seen.admitted.iter().collect();
    outcome.admitted = distinct.len();
    outcome.admitted_twice = seen.admitted.len() - distinct.len();
    outcome.errors = seen.errors;
    for (ms, during) in seen.latencies {
        if during {
            outcome.during_ms.push(ms);
        } else {
            outcome.steady_ms.push(ms);
        }
    }
    outcome.steady_ms.sort_by(f64::total_cmp);
    outcome.during_ms.sort_by(f64::total_cmp);

    for child in &mut children {
        signal(&child.0, libc::SIGTERM);
        outcome.final_exits.push(exited(&mut child.0).await);
    }
    drop(caddy);
    outcome
}

/// Scans `code` at `door`: the verdict (`admitted`, `already_admitted`, …), or what went wrong.
async fn scan(
    client: &reqwest::Client,
    api: &str,
    door_token: &str,
    code: &str,
    screening: &str,
    door: &str,
    nonce: &str,
) -> Result<String, String> {
    let answer = client
        .post(format!("{api}/scans"))
        .bearer_auth(door_token)
        .json(&json!({"code": code, "screening_id": screening, "door": door, "nonce": nonce}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let body = answer.text().await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("{status} {body}"));
    }
    let verdict: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    verdict["verdict"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no verdict: {body}"))
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    text: String,
}

/// One instance at a fixed port (so that it comes back where Caddy looks for it), with the
/// settings the Caddyfile gives.
struct Instance {
    binary: PathBuf,
    database_url: String,
    port: u16,
    public_url: String,
    log: PathBuf,
}

impl Instance {
    fn start(&self) -> Child {
        Command::new(&self.binary)
            .arg("serve")
            .env("DATABASE_URL", &self.database_url)
            .env("MARQUEE_BIND", format!("127.0.0.1:{}", self.port))
            .env("MARQUEE_PUBLIC_URL", &self.public_url)
            .env("MARQUEE_TRUSTED_PROXIES", "127.0.0.1")
            .env("MARQUEE_DRAIN_SECONDS", "3")
            // The clients are one address, sending as fast as they are answered.
            .env("MARQUEE_RATE_LIMITS", "off")
            .env("MARQUEE_MAIL_DIR", self.log.with_extension("mail"))
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.log)
                    .expect("the instance's log"),
            )
            .spawn()
            .expect("start marquee")
    }
}

/// A new staff member's credential (`marquee staff add`).
pub fn credential(binary: &Path, database_url: &str, role: &str) -> String {
    let output = Command::new(binary)
        .args(["staff", "add", "--role", role, "--name", role])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("marquee staff add");
    assert!(output.status.success(), "marquee staff add: {output:?}");
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .last()
        .expect("a credential")
        .trim()
        .to_owned()
}

/// A screening whose doors are open, in a room big enough for the whole rush; its id.
pub async fn screening(client: &reqwest::Client, api: &str, organiser: &str) -> String {
    let create = async |path: &str, body: Value| -> Value {
        let response = client
            .post(format!("{api}{path}"))
            .bearer_auth(organiser)
            .json(&body)
            .send()
            .await
            .expect("a setup request");
        let status = response.status();
        let answer: Value = response.json().await.expect("json");
        assert_eq!(status, 201, "{path}: {answer}");
        answer
    };
    let festival = create(
        "/festivals",
        json!({"slug": "rolling", "name": "Rolling", "starts_on": "2030-01-01",
               "ends_on": "2030-01-07", "timezone": "Europe/Paris", "attendance_goal": 6000}),
    )
    .await;
    let venue = create(
        "/venues",
        json!({"name": "Le Grand Rex", "city": "Paris", "timezone": "Europe/Paris",
               "rooms": [{"name": "Grand Rex", "seats": 100_000}]}),
    )
    .await;
    let film = create(
        "/films",
        json!({"title": "Red Rain", "director": "Đặng Thái Huyền", "year": 2025,
               "runtime_minutes": 124, "country": "VN"}),
    )
    .await;
    let screening = create(
        "/screenings",
        json!({"festival_id": festival["id"], "venue_id": venue["id"], "film_id": film["id"],
               "room": "Grand Rex", "confirm": true,
               "starts_at": (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339()}),
    )
    .await;
    screening["id"].as_str().expect("an id").to_owned()
}

/// Caddy with the documented configuration, its upstreams the two instances: its site address
/// over HTTPS with a certificate from the ACME server, or replaced by plain HTTP at `proxy`.
fn caddy(front: &Front, proxy: &str, upstreams: [u16; 2], dir: &Path) -> Child {
    let documented = include_str!("../../docs/caddy/Caddyfile");
    let (site, upstream) = (
        format!("{SITE} {{"),
        "reverse_proxy 127.0.0.1:8081 127.0.0.1:8082 {",
    );
    assert!(documented.contains(&site) && documented.contains(upstream));
    let documented = documented.replace(
        upstream,
        &format!(
            "reverse_proxy 127.0.0.1:{} 127.0.0.1:{} {{",
            upstreams[0], upstreams[1]
        ),
    );
    let config = match front {
        Front::Http => format!(
            "{{\n\tadmin off\n\tauto_https off\n}}\n{}",
            documented.replace(&site, &format!("{proxy} {{"))
        ),
        Front::Https(acme) => format!(
            "{{\n\tadmin off\n\thttp_port {}\n\thttps_port {}\n\tacme_ca {}\n\tacme_ca_root {}\n}}\n{documented}",
            acme.http_port,
            acme.https_port,
            acme.directory,
            acme.directory_ca.display()
        ),
    };
    let file = dir.join("Caddyfile");
    std::fs::write(&file, config).expect("the Caddyfile");
    Command::new("/usr/bin/caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&file)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("caddy.log")).expect("caddy's log"))
        .spawn()
        .expect("start caddy")
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    errors: Vec<String>,
    /// Booking ids answered 201.
    bookings: Vec<String>,
    /// Ticket codes a scan answered `admitted` for (a code twice: admitted twice).
    admitted: Vec<String>,
    /// (milliseconds, during a restart) per answered request.
    latencies: Vec<(f64, bool)>,
}

/// One client of the rush: books a seat (with an `Idempotency-Key`), scans its ticket (every
/// fifth one a second time, at another door), again.
struct Client {
    n: usize,
    client: reqwest::Client,
    api: String,
    screening: String,
    door: String,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    restarting: Arc<AtomicBool>,
}

impl Client {
    async fn rush(self) {
        let (c, api, screening, client) = (self.n, &self.api, &self.screening, &self.client);
        let mut i = 0;
        while !self.stop.load(Ordering::SeqCst) {
            i += 1;
            let key = format!("rolling-{c}-{i}");
            let during = self.restarting.load(Ordering::SeqCst);
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
                Ok(r) if r.status() == 201 => r.json().await.expect("a booking"),
                Ok(r) => {
                    let status = r.status();
                    let body = r.text().await.unwrap_or_default();
                    self.error(format!("booking {key}: {status} {body}"));
                    continue;
                }
                Err(error) => {
                    self.error(format!("booking {key}: {error}"));
                    continue;
                }
            };
            let code = booking["tickets"][0]["code"]
                .as_str()
                .expect("a ticket")
                .to_owned();
            {
                let mut seen = self.seen.lock().expect("not poisoned");
                seen.latencies.push((ms, during));
                seen.bookings
                    .push(booking["booking"]["id"].as_str().expect("an id").to_owned());
            }
            let doors = if i % 5 == 0 { 2 } else { 1 };
            for d in 0..doors {
                let during = self.restarting.load(Ordering::SeqCst);
                let started = Instant::now();
                let (door, nonce) = (format!("Door {c}-{d}"), format!("{key}-{d}"));
                let verdict = scan(client, api, &self.door, &code, screening, &door, &nonce).await;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                let mut seen = self.seen.lock().expect("not poisoned");
                match verdict {
                    Ok(verdict) if verdict == "admitted" => seen.admitted.push(code.clone()),
                    Ok(verdict) if verdict == "already_admitted" && d > 0 => {}
                    Ok(verdict) => seen.errors.push(format!("scan {key} at {door}: {verdict}")),
                    Err(error) => seen.errors.push(format!("scan {key} at {door}: {error}")),
                }
                seen.latencies.push((ms, during));
            }
        }
    }

    fn error(&self, what: String) {
        self.seen.lock().expect("not poisoned").errors.push(what);
    }
}
