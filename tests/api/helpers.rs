//! The test harness: every test starts the real server on a free port with a fresh database —
//! a temporary SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set — and
//! talks to it over HTTP.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use marquee::config::Settings;
use marquee::db::DbPool;
use marquee::domain::Role;
use marquee::startup::Application;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that disappears with the test.
pub enum TestDatabase {
    Sqlite { _dir: tempfile::TempDir },
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A fresh, empty database; `None` (with a printed note) when PostgreSQL is not configured.
    pub fn create(backend: Backend) -> Option<(TestDatabase, String)> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = dir.path().join("marquee.db").display().to_string();
                Some((TestDatabase::Sqlite { _dir: dir }, url))
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
                    eprintln!("note: TEST_DATABASE_URL is not set; skipping this PostgreSQL test");
                    return None;
                };
                let name = format!("marquee_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&admin_url)
                    .expect("cannot connect to TEST_DATABASE_URL");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let (base, _) = admin_url
                    .rsplit_once('/')
                    .expect("TEST_DATABASE_URL names a database");
                let url = format!("{base}/{name}");
                Some((TestDatabase::Postgres { admin_url, name }, url))
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Settings for a test server on a free port.
pub fn test_settings(database_url: &str) -> Settings {
    let mut settings = Settings::from_lookup(|_| None).expect("default settings");
    settings.database.url = database_url.to_owned();
    settings.writers = marquee::config::default_writers(database_url);
    settings.database.pool_size = 8;
    settings.bind = "127.0.0.1:0".to_owned();
    settings.workers = 2;
    // Tests race many clients from one address on purpose; `limits.rs` tests the limits.
    settings.rate_limits = false;
    // Expired waiting-list offers pass on within a second.
    settings.waitlist_sweep = std::time::Duration::from_secs(1);
    settings
}

pub struct TestApp {
    pub address: String,
    pub api: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub organiser_token: String,
    pub door_token: String,
    pub database_url: String,
    /// Where this app's mail goes without an SMTP server (a temporary folder).
    pub mail_dir: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
    // Dropped last: the database outlives the server that uses it.
    _database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl TestApp {
    /// Stops this app's server (the database stays), as a restart's first half.
    pub async fn stop_server(&self) {
        self.handle.stop(true).await;
    }
}

/// Starts Marquee on a fresh database with one organiser and one door-staff member.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with settings changed by `configure` first.
pub async fn spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    spawn(backend, configure, None).await
}

/// The name and trust of an app served over HTTPS ([`spawn_app_over_https`]).
pub struct Origin<'a> {
    /// The host name its certificate names (resolved to 127.0.0.1 by the test's client).
    pub host: &'a str,
    /// The certificate authority that signed the certificate, PEM.
    pub ca_pem: &'a str,
}

/// Like [`spawn_app_with`], served over HTTPS at `https://{host}:{port}` (the certificate and
/// key files are the configure step's); `app.client` trusts `origin.ca_pem` and finds the host on
/// 127.0.0.1.
pub async fn spawn_app_over_https(
    backend: Backend,
    origin: Origin<'_>,
    configure: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    spawn(backend, configure, Some(origin)).await
}

async fn spawn(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
    origin: Option<Origin<'_>>,
) -> Option<TestApp> {
    let (database, database_url) = TestDatabase::create(backend)?;
    let mail_dir = tempfile::tempdir().expect("mail folder");
    let mut settings = test_settings(&database_url);
    settings.mail.dir = mail_dir.path().to_owned();
    configure(&mut settings);
    let app = Application::build(&settings).expect("the application builds");
    let address = match &origin {
        None => format!("http://127.0.0.1:{}", app.port()),
        Some(origin) => format!("https://{}:{}", origin.host, app.port()),
    };
    let pool = app.state().pool.clone();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());

    let (organiser_token, door_token) = {
        let mut conn = pool.get().expect("connection");
        let (_, organiser) =
            marquee::staff::create(&mut conn, "Olivia Organiser", Role::Organiser, None, None)
                .expect("organiser");
        let (_, door) =
            marquee::staff::create(&mut conn, "Dan Door", Role::Door, None, None).expect("door");
        (organiser, door)
    };
    let client = match &origin {
        None => new_browser(),
        Some(origin) => https_client(origin, app_port(&address)),
    };
    Some(TestApp {
        api: format!("{address}/api/v1"),
        address,
        client,
        pool,
        organiser_token,
        door_token,
        database_url,
        mail_dir,
        handle,
        _database: database,
    })
}

fn app_port(address: &str) -> u16 {
    address
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .expect("a port")
}

/// A client with its own cookie jar that trusts `origin`'s certificate authority (and no other)
/// and finds its host on 127.0.0.1:`port`; it says which certificate each connection was given
/// (`reqwest::tls::TlsInfo`).
pub fn https_client(origin: &Origin<'_>, port: u16) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(origin.ca_pem.as_bytes()).expect("a PEM certificate"),
        )
        .resolve(origin.host, ([127, 0, 0, 1], port).into())
        .tls_info(true)
        .build()
        .expect("client")
}

/// A client with its own cookie jar (a second browser).
pub fn new_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// A small festival built through the API: one festival, one venue, one film, one screening.
pub struct Fixture {
    pub festival_id: String,
    pub venue_id: String,
    pub film_id: String,
    pub screening_id: String,
}

impl TestApp {
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.api))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(format!("{}{path}", self.api))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .delete(format!("{}{path}", self.api))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.api))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("json")
    }

    /// Creates something as the organiser and returns the created JSON (asserting 201).
    pub async fn create(&self, path: &str, body: Value) -> Value {
        let response = self.post_as(&self.organiser_token, path, &body).await;
        let status = response.status();
        let json: Value = response.json().await.expect("json");
        assert_eq!(status, 201, "POST {path}: {json}");
        json
    }

    /// A festival with one venue (rooms of 100 and 30 seats), one film and a screening tomorrow
    /// in the 30-seat room.
    pub async fn fixture(&self) -> Fixture {
        let festival = self
            .create(
                "/festivals",
                json!({"slug": "fw", "name": "Film Week", "starts_on": "2030-12-06",
                       "ends_on": "2030-12-12", "timezone": "Europe/Paris", "attendance_goal": 500}),
            )
            .await;
        let venue = self
            .create(
                "/venues",
                json!({"name": "Pathé Palace", "city": "Paris", "address": "2 Bd des Capucines",
                       "timezone": "Europe/Paris",
                       "rooms": [{"name": "Grande Salle", "seats": 100}, {"name": "Petite", "seats": 30}]}),
            )
            .await;
        let film = self
            .create(
                "/films",
                json!({"title": "Red Rain", "original_title": "Mưa đỏ", "director": "Đặng Thái Huyền",
                       "year": 2025, "runtime_minutes": 124, "country": "VN"}),
            )
            .await;
        let screening = self
            .create(
                "/screenings",
                self.screening_body(&festival, &venue, &film, "Petite", 1),
            )
            .await;
        Fixture {
            festival_id: festival["id"].as_str().unwrap().to_owned(),
            venue_id: venue["id"].as_str().unwrap().to_owned(),
            film_id: film["id"].as_str().unwrap().to_owned(),
            screening_id: screening["id"].as_str().unwrap().to_owned(),
        }
    }

    pub fn screening_body(
        &self,
        festival: &Value,
        venue: &Value,
        film: &Value,
        room: &str,
        days_ahead: i64,
    ) -> Value {
        let starts = (chrono::Utc::now() + chrono::Duration::days(days_ahead))
            .format("%Y-%m-%dT20:00")
            .to_string();
        // Tests place screenings where they need them (tomorrow, in a festival dated 2030; two at
        // once in a room): confirmed, as an organiser would (`catalogue.rs` tests the checks).
        json!({"festival_id": festival["id"], "venue_id": venue["id"], "film_id": film["id"],
               "room": room, "starts_at": starts, "confirm": true})
    }

    /// Books through the API; returns the status and body.
    pub async fn book(&self, screening_id: &str, seats: i64, email: &str) -> (u16, Value) {
        self.book_via(&self.api, screening_id, seats, email).await
    }

    /// Like [`TestApp::book`], through `api` (this or another instance).
    pub async fn book_via(
        &self,
        api: &str,
        screening_id: &str,
        seats: i64,
        email: &str,
    ) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{api}/screenings/{screening_id}/bookings"))
            .json(&json!({"name": "Ana Nguyen", "email": email, "country": "FR", "seats": seats}))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A link token to everything held about `email`, as the mailed link carries (made
    /// straight in the database, without the mail).
    pub fn data_link(&self, email: &str) -> String {
        let mut conn = self.pool.get().expect("connection");
        marquee::db::people::add_data_token(&mut conn, email, chrono::Utc::now().naive_utc())
            .expect("a data link")
    }

    /// Runs one SQL query returning a single integer, straight against the database.
    pub fn count(&self, sql: &str) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.pool.get().expect("connection");
        diesel::sql_query(sql)
            .get_result::<Count>(&mut conn)
            .expect("count query")
            .n
    }
}

/// Another Marquee instance on the same database (as behind a load balancer). Stops when dropped.
pub struct Instance {
    pub api: String,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Instance {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl TestApp {
    pub fn second_instance(&self) -> Instance {
        self.instance_with(|_| {}).expect("second instance")
    }

    /// Another instance on this database, with settings changed by `configure`.
    pub fn instance_with(&self, configure: impl FnOnce(&mut Settings)) -> anyhow::Result<Instance> {
        let mut settings = test_settings(&self.database_url);
        settings.mail.dir = self.mail_dir.path().to_owned();
        configure(&mut settings);
        let app = Application::build(&settings)?;
        let api = format!("http://127.0.0.1:{}/api/v1", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Ok(Instance { api, handle })
    }

    /// A screening of the fixture's film and venue starting in `minutes` (doors open 45 min before).
    pub async fn screening_starting_in(&self, f: &Fixture, minutes: i64, room: &str) -> String {
        let starts = (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339();
        let s = self
            .create(
                "/screenings",
                json!({"festival_id": f.festival_id, "venue_id": f.venue_id, "film_id": f.film_id,
                       "room": room, "starts_at": starts, "confirm": true}),
            )
            .await;
        s["id"].as_str().unwrap().to_owned()
    }

    /// Books one seat and returns (ticket id, code, manage token).
    pub async fn ticket(&self, screening_id: &str) -> (String, String, String) {
        let (status, body) = self.book(screening_id, 1, "guest@example.org").await;
        assert_eq!(status, 201, "{body}");
        (
            body["tickets"][0]["id"].as_str().unwrap().to_owned(),
            body["tickets"][0]["code"].as_str().unwrap().to_owned(),
            body["booking"]["manage_token"].as_str().unwrap().to_owned(),
        )
    }

    /// Scans as `token` through `api` (this or another instance) for a screening.
    pub async fn scan_at(&self, api: &str, token: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{api}/scans"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Scans a code at "Door A" for a screening, as the door-staff member, with a fresh nonce.
    pub async fn scan(&self, code: &str, screening_id: &str) -> Value {
        self.scan_via(&self.api, code, screening_id).await
    }

    /// Like [`TestApp::scan`], whatever the answer: its status and body.
    pub async fn try_scan(&self, code: &str, screening_id: &str) -> (u16, Value) {
        self.scan_at(
            &self.api,
            &self.door_token,
            json!({"code": code, "screening_id": screening_id, "door": "Door A",
                   "nonce": uuid::Uuid::new_v4().to_string()}),
        )
        .await
    }

    /// Like [`TestApp::scan`], through `api` (this or another instance).
    pub async fn scan_via(&self, api: &str, code: &str, screening_id: &str) -> Value {
        let (status, body) = self
            .scan_at(
                api,
                &self.door_token,
                json!({"code": code, "screening_id": screening_id, "door": "Door A",
                       "nonce": uuid::Uuid::new_v4().to_string()}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }
}

impl TestApp {
    /// Moves a screening's start (and end) by `delta`, straight in the database.
    pub fn move_screening_start(&self, screening: &str, delta: chrono::Duration) {
        use diesel::prelude::*;
        use marquee::db::schema::screenings::dsl::*;
        let mut conn = self.pool.get().unwrap();
        let (start, end): (chrono::NaiveDateTime, chrono::NaiveDateTime) = screenings
            .find(screening)
            .select((starts_at, ends_at))
            .first(&mut conn)
            .unwrap();
        diesel::update(screenings.find(screening))
            .set((starts_at.eq(start + delta), ends_at.eq(end + delta)))
            .execute(&mut conn)
            .unwrap();
    }

    /// Applies the attendance projection now (it runs every 100 ms by itself): for tests that read
    /// its rows (`attendees`, first admissions) rather than a report, which adds what it has not
    /// applied yet.
    pub fn project(&self) {
        let mut conn = self.pool.get().expect("connection");
        marquee::db::projection::catch_up(&mut conn).expect("projection");
    }

    /// Waits until the outbox has nothing queued (20 s at most): the sender writes as it sends
    /// (each message's data link), so a comparison of rows starts once it is done.
    pub async fn mail_sent(&self) {
        let started = std::time::Instant::now();
        loop {
            let (_, queued) = self
                .get_as(&self.organiser_token, "/outbox?status=queued")
                .await;
            if queued.as_array().is_some_and(Vec::is_empty) {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "mail is sent: {queued}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// How many rows each table holds (and how many screenings are cancelled): compared before
    /// and after requests that must change nothing.
    pub fn row_counts(&self) -> Vec<i64> {
        // Not `data_requests` nor `pass_tokens`: only the sender writes them (each message's
        // links), in the background, whatever the requests being compared did.
        const TABLES: [&str; 20] = [
            "festivals",
            "venues",
            "films",
            "screenings",
            "bookings",
            "tickets",
            "scans",
            "staff",
            "sessions",
            "screening_tallies",
            "waitlist_entries",
            "outbox",
            "people",
            "consents",
            "privacy_notices",
            "erasures",
            "data_exports",
            "pass_types",
            "passes",
            "reservations",
        ];
        let mut counts: Vec<i64> = TABLES
            .iter()
            .map(|t| self.count(&format!("SELECT COUNT(*) AS n FROM {t}")))
            .collect();
        counts.push(self.count("SELECT COUNT(*) AS n FROM screenings WHERE status = 'cancelled'"));
        // An erasure changes values, not rows: the addresses still held count too.
        counts.push(self.count("SELECT COUNT(*) AS n FROM bookings WHERE email <> ''"));
        counts
    }

    /// Runs one SQL statement straight against the database (to stage what the clock would).
    pub fn run_sql(&self, sql: &str) {
        use diesel::RunQueryDsl;
        let mut conn = self.pool.get().unwrap();
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    }

    /// Makes an admission look `age` older (its scan entry and the ticket), straight in the database.
    pub fn age_admission(&self, scan_id: &str, ticket_id: &str, age: chrono::Duration) {
        use diesel::prelude::*;
        use marquee::db::schema::{scans, tickets};
        let mut conn = self.pool.get().unwrap();
        let at: chrono::NaiveDateTime = scans::table
            .find(scan_id)
            .select(scans::server_time)
            .first(&mut conn)
            .unwrap();
        diesel::update(scans::table.find(scan_id))
            .set(scans::server_time.eq(at - age))
            .execute(&mut conn)
            .unwrap();
        diesel::update(tickets::table.find(ticket_id))
            .set(tickets::admitted_at.eq(Some(at - age)))
            .execute(&mut conn)
            .unwrap();
    }
}

/// Reads a streaming response until `needle` has been seen (10 s at most).
pub async fn read_until(stream: &mut reqwest::Response, seen: &mut String, needle: &str) {
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while !seen.contains(needle) {
            let chunk = stream.chunk().await.unwrap().expect("stream open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("the event arrives");
}

/// The CSRF token in a page's first form.
pub fn csrf_of(html: &str) -> String {
    hidden_field(html, "csrf")
}

/// The value of a page's (first) hidden field `name`.
pub fn hidden_field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[at..].split('"').next().unwrap().to_owned()
}

impl TestApp {
    /// A browser signed in with `credential` through the sign-in form, and its CSRF token.
    pub async fn sign_in(&self, credential: &str) -> (reqwest::Client, String) {
        let browser = new_browser();
        let form = browser
            .get(format!("{}/signin", self.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&form);
        let response = browser
            .post(format!("{}/signin", self.address))
            .form(&[("token", credential), ("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "signed in");
        (browser, csrf)
    }

    /// GETs an API path with a bearer credential; returns the status and the JSON body.
    pub async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self.fetch_as(token, path).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// GETs an API path with a bearer credential; the whole response (files, headers, streams).
    pub async fn fetch_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.api))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Cancels a booking (the answer to [`TestApp::book`]) as its holder does, with its manage
    /// credential.
    pub async fn cancel(&self, booked: &Value) -> reqwest::Response {
        let token = booked["booking"]["manage_token"]
            .as_str()
            .expect("a booking");
        let id = booked["booking"]["id"].as_str().expect("a booking");
        self.delete_as(token, &format!("/bookings/{id}")).await
    }
}

/// GETs a page with a browser (its cookies) and returns the status and the text.
pub async fn get_page(browser: &reqwest::Client, url: &str) -> (u16, String) {
    let response = browser.get(url).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// POSTs a form with a browser; returns the status and the text.
pub async fn post_form(
    browser: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = browser.post(url).form(form).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// A route as `src/` registers it: `.route("/path", aweb::post().to(handler)…)`, or
/// `aweb::resource("/path")` with `.route(aweb::post()…)` or `.post(handler)` on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Registered {
    pub method: String,
    pub path: String,
    /// Registered with a per-client rate limit (`.wrap(per_client(…))`).
    pub limited: bool,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every route registered in `src/`, read from the source (so tests that walk routes see a new
/// one without being told).
pub fn registered_routes() -> Vec<Registered> {
    let mut found = Vec::new();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let flat = text.split_whitespace().collect::<Vec<_>>().join("");
            found.extend(registrations(&flat));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The registrations in one file's text with all white space removed.
fn registrations(flat: &str) -> Vec<Registered> {
    const ROUTE: &str = ".route(\"";
    const RESOURCE: &str = "aweb::resource(\"";
    let mut starts: Vec<(usize, bool)> = flat
        .match_indices(ROUTE)
        .map(|(at, _)| (at + ROUTE.len(), false))
        .chain(
            flat.match_indices(RESOURCE)
                .map(|(at, _)| (at + RESOURCE.len(), true)),
        )
        .collect();
    starts.sort();
    let mut found = Vec::new();
    for (n, &(at, resource)) in starts.iter().enumerate() {
        let Some((path, _)) = flat[at..].split_once('"') else {
            continue;
        };
        // What this registration says: up to the next one, or the end of the statement.
        let end = starts.get(n + 1).map_or(flat.len(), |&(next, _)| next);
        let said = &flat[at + path.len()..end];
        let said = said.split(';').next().unwrap_or(said);
        let limited = said.contains("per_client(");
        for method in METHODS {
            let registered = if resource {
                said.contains(&format!(".route(aweb::{method}()"))
                    || said.contains(&format!(".{method}("))
            } else {
                said.starts_with(&format!("\",aweb::{method}()"))
            };
            if registered {
                found.push(Registered {
                    method: method.to_uppercase(),
                    path: path.to_owned(),
                    limited,
                });
            }
        }
    }
    found
}

/// `marquee serve` as a separate process (the real binary), stopped when dropped.
pub struct Process {
    pub child: std::process::Child,
    pub address: String,
    pub api: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    /// Starts `marquee serve` on a free port with `DATABASE_URL` and the given variables (rate
    /// limits off unless they say otherwise), standard error to `stderr`; returns once it is ready.
    pub async fn serve(
        database_url: &str,
        env: &[(&str, &str)],
        stderr: std::process::Stdio,
    ) -> Process {
        Process::start(database_url, &["serve"], env, stderr).await
    }

    /// Like [`Process::serve`] with other arguments (`serve --demo`); standard output is dropped.
    pub async fn start(
        database_url: &str,
        args: &[&str],
        env: &[(&str, &str)],
        stderr: std::process::Stdio,
    ) -> Process {
        let binary = std::path::Path::new(env!("CARGO_BIN_EXE_marquee"));
        Process::launch(binary, database_url, args, env, stderr).await
    }

    /// Like [`Process::start`], with another `marquee` binary (the previous release).
    pub async fn launch(
        binary: &std::path::Path,
        database_url: &str,
        args: &[&str],
        env: &[(&str, &str)],
        stderr: std::process::Stdio,
    ) -> Process {
        let port = crate::rolling::free_port();
        let child = std::process::Command::new(binary)
            .args(args)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", database_url)
            .env("MARQUEE_RATE_LIMITS", "off")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start marquee");
        let address = format!("http://127.0.0.1:{port}");
        crate::rolling::until_ready(&format!("{address}/readyz")).await;
        Process {
            child,
            api: format!("{address}/api/v1"),
            address,
        }
    }
}

/// A page's HTML as `client` gets it (with its cookies: a signed-in browser, a chosen language).
pub async fn page_text(client: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    client
        .get(url)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("a body")
}
