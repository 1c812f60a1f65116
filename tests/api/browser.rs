//! End-to-end tests in headless Chromium, through a minimal W3C WebDriver client (chromedriver).
//! Without Debian's `chromium` and `chromium-driver` installed, they skip with a printed note.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, Origin, TestApp, spawn_app_over_https};
use crate::https::TestCa;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A Chromium session driven through chromedriver; both end when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
    /// DevTools sessions attached to service workers, by target id (see `set_offline`).
    workers: std::sync::Mutex<Vec<(String, String)>>,
}

impl Browser {
    /// Starts headless Chromium, or returns `None` (with a note) when it is not installed.
    pub async fn start() -> Option<Browser> {
        Browser::start_with(&[]).await
    }

    /// Like [`Browser::start`], with more command-line flags for Chromium
    /// (`--host-resolver-rules=…`).
    pub async fn start_with(extra: &[&str]) -> Option<Browser> {
        if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
            eprintln!("note: chromium/chromedriver not installed; skipping this browser test");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // Its own process group: Chromium, started by chromedriver, ends with it (see Drop).
        let driver = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
            _profile: profile,
            workers: std::sync::Mutex::default(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser
            .http
            .get(format!("{}/status", browser.base))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1000,1100",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let args: Vec<&str> = args.iter().copied().chain(extra.iter().copied()).collect();
        let session: Value = browser
            .http
            .post(format!("{}/session", browser.base))
            .json(
                &json!({"capabilities": {"alwaysMatch": {"browserName": "chrome",
                "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}}),
            )
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session json");
        let id = session["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {session}"));
        browser.base = format!("{}/session/{id}", browser.base);
        Some(browser)
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let value: Value = request
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("json");
        value["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    /// The element `css` selects now, if any.
    pub async fn try_find(&self, css: &str) -> Result<String, Value> {
        let found = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found[ELEMENT].as_str().map(str::to_owned).ok_or(found)
    }

    pub async fn find(&self, css: &str) -> String {
        self.try_find(css)
            .await
            .unwrap_or_else(|found| panic!("no element {css}: {found}"))
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    /// Types into the focused page element matching `css`; `\u{E007}` is the Enter key.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/text"),
            None,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Waits (10 s at most) until the text of `css` contains `expected`; returns the text. The
    /// element may not exist yet (the page is still loading after a click).
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = match self.try_find(css).await {
                Ok(element) => self
                    .call(
                        reqwest::Method::GET,
                        &format!("/element/{element}/text"),
                        None,
                    )
                    .await
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed {expected:?}; it shows {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page and returns its value;
    /// a returned promise is awaited.
    pub async fn eval(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Presses and releases one key on the page, as a keyboard does (WebDriver actions: the
    /// browser moves focus for Tab as for a person); `\u{E004}` is Tab, `\u{E007}` Enter.
    pub async fn press(&self, key: &str) {
        let keys = json!([{"type": "key", "id": "keyboard",
            "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]);
        self.call(
            reqwest::Method::POST,
            "/actions",
            Some(json!({"actions": keys})),
        )
        .await;
    }

    /// Waits (10 s at most) until `script` returns true in the page.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.eval(script, json!([])).await != Value::Bool(true) {
            assert!(Instant::now() < deadline, "never true: {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// One Chrome DevTools Protocol command, on the page's target.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({"cmd": command, "params": params})),
        )
        .await
    }

    /// Cuts this browser off the network, or reconnects it, through DevTools network emulation:
    /// the page's target, and its service workers' (which fetch on their own: emulation on the
    /// page alone would let a reload reach the server through the worker).
    pub async fn set_offline(&self, offline: bool) {
        let conditions = json!({"offline": offline, "latency": 0,
            "downloadThroughput": -1, "uploadThroughput": -1});
        self.cdp("Network.enable", json!({})).await;
        let done = self
            .cdp("Network.emulateNetworkConditions", conditions.clone())
            .await;
        assert!(done.get("error").is_none(), "{done}");
        let targets = self.cdp("Target.getTargets", json!({})).await;
        let workers: Vec<String> = targets["targetInfos"]
            .as_array()
            .expect("targets")
            .iter()
            .filter(|t| t["type"] == "service_worker")
            .filter_map(|t| t["targetId"].as_str().map(str::to_owned))
            .collect();
        assert!(!workers.is_empty(), "no service worker: {targets}");
        for target in workers {
            let known = self.worker_session(&target);
            let session = match known {
                Some(session) => session,
                None => {
                    let attached = self
                        .cdp(
                            "Target.attachToTarget",
                            json!({"targetId": target, "flatten": false}),
                        )
                        .await;
                    let session = attached["sessionId"]
                        .as_str()
                        .unwrap_or_else(|| panic!("attach: {attached}"))
                        .to_owned();
                    self.workers
                        .lock()
                        .unwrap()
                        .push((target.clone(), session.clone()));
                    session
                }
            };
            // Not flattened: the command travels inside Target.sendMessageToTarget (chromedriver
            // passes on commands for the page's own session only).
            for (id, (method, params)) in [
                ("Network.enable", json!({})),
                ("Network.emulateNetworkConditions", conditions.clone()),
            ]
            .into_iter()
            .enumerate()
            {
                let message = json!({"id": id + 1, "method": method, "params": params});
                self.cdp(
                    "Target.sendMessageToTarget",
                    json!({"sessionId": session, "message": message.to_string()}),
                )
                .await;
            }
        }
    }

    fn worker_session(&self, target: &str) -> Option<String> {
        self.workers
            .lock()
            .unwrap()
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, s)| s.clone())
    }

    /// Reloads the page.
    pub async fn reload(&self) {
        self.call(reqwest::Method::POST, "/refresh", Some(json!({})))
            .await;
    }

    /// Saves a screenshot under `test-artifacts/` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let data = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = data_encoding::BASE64
            .decode(data.as_str().expect("base64").as_bytes())
            .expect("png");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
        std::fs::create_dir_all(&dir).expect("artifact dir");
        let path = dir.join(name);
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started (killing only
        // chromedriver would leave them running after the test).
        if let Ok(group) = i32::try_from(self.driver.id()) {
            // SAFETY: a plain kill(2) of the process group this test created.
            #[expect(unsafe_code, reason = "std kills one process, not a process group")]
            let _ = unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.driver.wait();
    }
}

/// Signs a browser in with a credential, through the sign-in form.
pub async fn sign_in(browser: &Browser, app: &TestApp, credential: &str) {
    browser
        .goto(&format!("{}/signin?token={credential}", app.address))
        .await;
    browser.click("form.signin button").await;
    // Organisers land on their home, door staff on the door chooser; both say who is signed in.
    browser.wait_for_text("main", "Signed in as").await;
}

/// The offline door on a real origin: HTTPS served by Marquee at a name that is not localhost
/// (Chromium resolves it to 127.0.0.1), its certificate trusted by its key's hash. The service
/// worker registers, the device goes offline, two tickets are admitted with WebCrypto
/// verification, and the scans upload once it is back.
async fn the_offline_door_works_on_an_https_origin_that_is_not_localhost(backend: Backend) {
    let host = "door.festival.test";
    let ca = TestCa::new();
    let issued = ca.issue(&[host]);
    let files = tempfile::tempdir().unwrap();
    let (cert, key) = (files.path().join("cert.pem"), files.path().join("key.pem"));
    TestCa::write(&issued, &cert, &key);
    let Some(app) = spawn_app_over_https(
        backend,
        Origin {
            host,
            ca_pem: &ca.pem,
        },
        |settings| {
            settings.https = Some(marquee::config::Https::Files { cert, key });
            settings.cookie_secure = true;
        },
    )
    .await
    else {
        return;
    };
    let Some(browser) = Browser::start_with(&[
        &format!("--host-resolver-rules=MAP {host} 127.0.0.1"),
        &format!(
            "--ignore-certificate-errors-spki-list={}",
            issued.spki_sha256
        ),
    ])
    .await
    else {
        return;
    };
    assert!(app.address.starts_with("https://door.festival.test:"));
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (first, first_code, _) = app.ticket(&now).await;
    let (second, second_code, _) = app.ticket(&now).await;
    open_door_for_offline(&browser, &app, &now, "Door A").await;
    assert_eq!(
        browser
            .eval(
                "return [window.isSecureContext, location.protocol, !!crypto.subtle, \
                 document.getElementById('insecure').hidden];",
                json!([])
            )
            .await,
        json!([true, "https:", true, true])
    );
    browser.set_offline(true).await;
    browser.reload().await;
    browser.wait_for_text("#door h1", "Red Rain").await;
    browser.wait_for_text("#sync-status", "Offline").await;
    scan_sees(&browser, &first_code, "Admitted").await;
    browser.wait_for_text("#verdict .mode", "OFFLINE").await;
    scan_sees(&browser, &second_code, "Admitted").await;
    browser.wait_for_text("#admitted", "2").await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), 0);
    browser.set_offline(false).await;
    browser
        .wait_for_text("#sync-status", "all scans uploaded")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM tickets WHERE id IN ('{first}', '{second}') \
             AND admitted_door = 'Door A' AND admitted_at IS NOT NULL"
        )),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offline_door_works_on_an_https_origin_sqlite() {
    the_offline_door_works_on_an_https_origin_that_is_not_localhost(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offline_door_works_on_an_https_origin_postgres() {
    the_offline_door_works_on_an_https_origin_that_is_not_localhost(Backend::Postgres).await;
}

on_both_backends!(
    the_door_page_admits_rejects_and_keeps_reading,
    the_dashboard_shows_the_reported_totals_and_follows_admissions,
    the_door_keeps_admitting_offline_and_the_server_reconciles,
    the_door_hands_out_and_admits_standby_numbers,
);

async fn the_door_page_admits_rejects_and_keeps_reading(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, first, _) = app.ticket(&now).await;
    let (_, second, _) = app.ticket(&now).await;
    let (_, other, _) = app.ticket(&f.screening_id).await;

    sign_in(&browser, &app, &app.door_token).await;
    browser.goto(&format!("{}/door", app.address)).await;
    browser
        .click(&format!("a[href='/door/screenings/{now}']"))
        .await;
    browser.wait_for_text("#door h1", "Red Rain").await;

    // A new device names its door before anything is scanned (no shared "Main door").
    browser
        .wait_for_text("#verdict .headline", "Name this door first")
        .await;
    browser
        .type_into("#code", &format!("{first}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Name this door first")
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM scans"),
        0,
        "nothing was sent"
    );
    browser.type_into("#door-name", "Door A").await;

    browser
        .type_into("#code", &format!("{first}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Admitted")
        .await;
    browser
        .wait_for_text("#verdict .action", "Let them in")
        .await;
    browser.wait_for_text("#admitted", "1").await;
    // The icon is drawn (SVG), not a character a device's fonts may lack.
    browser.find("#verdict .icon svg path").await;
    assert_eq!(browser.text("#verdict .icon").await, "");
    // A few seconds later the box is ready for the next person.
    browser
        .wait_for_text("#verdict .headline", "Ready to scan")
        .await;

    browser
        .type_into("#code", &format!("{first}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Already admitted")
        .await;
    let detail = browser.text("#verdict .detail").await;
    assert!(
        detail.contains("Already admitted at") && detail.contains("Door A"),
        "{detail}"
    );

    browser.wait_for_text("#verdict .action", "Refuse").await;

    browser.type_into("#code", "NOT-A-TICKET\u{E007}").await;
    browser
        .wait_for_text("#verdict .headline", "Invalid code")
        .await;

    // A ticket for another screening: a different look, and a different action.
    browser
        .type_into("#code", &format!("{other}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Wrong screening")
        .await;
    browser
        .wait_for_text("#verdict .action", "Redirect them")
        .await;
    browser.find("#verdict.redirect").await;

    // After a bad code the page keeps reading: the next good ticket is admitted.
    browser
        .type_into("#code", &format!("{second}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Admitted")
        .await;
    browser.wait_for_text("#admitted", "2").await;
    let history = browser.text("#history").await;
    assert_eq!(history.lines().count(), 5, "{history}");
    // Times in the venue's 24-hour clock (hh:mm:ss), never "PM".
    let first_time = history.lines().next().unwrap().split(' ').next().unwrap();
    assert!(
        first_time.len() == 8 && first_time.as_bytes()[2] == b':' && !history.contains("PM"),
        "{history}"
    );
    let path = browser.screenshot("door-page.png").await;
    assert!(std::fs::metadata(path).unwrap().len() > 1000);

    // The device's credential is revoked: the next scan says so, with a way to sign in again.
    {
        let mut conn = app.pool.get().unwrap();
        let me = marquee::staff::find_by_credential(&mut conn, &app.door_token)
            .unwrap()
            .unwrap();
        marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
            marquee::staff::revoke(tx, me.id)
        })
        .unwrap();
    }
    // Revoked outside this server: it is believed for at most the credential cache's time.
    tokio::time::sleep(marquee::db::credentials::CREDENTIAL_TTL).await;
    browser
        .type_into("#code", &format!("{second}\u{E007}"))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Signed out")
        .await;
    browser.find("#network a[href='/signin']").await;
}

async fn the_dashboard_shows_the_reported_totals_and_follows_admissions(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, first, _) = app.ticket(&now).await;
    let (_, second, _) = app.ticket(&now).await;
    app.scan(&first, &now).await;

    sign_in(&browser, &app, &app.organiser_token).await;
    browser
        .goto(&format!(
            "{}/admin/festivals/{}",
            app.address, f.festival_id
        ))
        .await;
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    for total in [
        "admitted",
        "unique_attendees",
        "countries",
        "tickets_issued",
        "no_shows",
        "films",
        "screenings",
    ] {
        let shown = browser.text(&format!("[data-total='{total}']")).await;
        assert_eq!(shown, report["totals"][total].to_string(), "{total}");
    }
    // The screening's row says 1 admitted, and so does its film's bar.
    let admitted_cell = format!("tr[data-screening='{now}'] td:nth-child(5)");
    assert_eq!(browser.text(&admitted_cell).await, "1");
    let film_bar = "return [...document.querySelectorAll('[data-live=report] .charts title')]\
                    .some((t) => t.textContent.startsWith('Red Rain: 2 admitted of'));";
    assert_eq!(browser.eval(film_bar, json!([])).await, json!(false));
    browser.eval("window.marker = 1;", json!([])).await;

    // A door admits someone: the open dashboard follows without a reload, the number tiles
    // and the words under them, the tables and the charts.
    app.scan(&second, &now).await;
    browser.wait_for_text("[data-total='admitted']", "2").await;
    browser.wait_for_text(&admitted_cell, "2").await;
    browser
        .wait_until("the film's bar shows the admission", film_bar)
        .await;
    assert_eq!(
        browser.eval("return window.marker;", json!([])).await,
        json!(1),
        "the page was not reloaded"
    );
    let path = browser.screenshot("dashboard.png").await;
    assert!(std::fs::metadata(path).unwrap().len() > 1000);
}

/// How many times the server answered `GET route` (from its own metrics).
async fn served(app: &TestApp, route: &str) -> u64 {
    let metrics = crate::helpers::page_text(&app.client, format!("{}/metrics", app.address)).await;
    metrics
        .lines()
        .filter(|l| {
            l.starts_with("http_requests_total{")
                && l.contains(&format!("route=\"{route}\""))
                && l.contains("method=\"GET\"")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// Opens a screening's door page online, names the door, and waits until the page is kept for
/// offline use (service worker in control, page cached) and the ticket list is on the device.
pub async fn open_door_for_offline(browser: &Browser, app: &TestApp, screening: &str, door: &str) {
    sign_in(browser, app, &app.door_token).await;
    browser
        .goto(&format!("{}/door/screenings/{screening}", app.address))
        .await;
    browser.wait_for_text("#door h1", "Red Rain").await;
    browser.type_into("#door-name", door).await;
    browser
        .wait_until(
            "the page is kept for offline use",
            "return navigator.serviceWorker.controller !== null \
             && caches.match(location.href).then((r) => r !== undefined);",
        )
        .await;
    browser
        .wait_for_text("#sync-status", "ticket list refreshed")
        .await;
}

/// Scans `code` and waits for the verdict's headline.
pub async fn scan_sees(browser: &Browser, code: &str, headline: &str) {
    browser.type_into("#code", &format!("{code}\u{E007}")).await;
    browser.wait_for_text("#verdict .headline", headline).await;
}

async fn the_door_keeps_admitting_offline_and_the_server_reconciles(app: TestApp) {
    let Some(first) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&now).await;
    let (_, other, _) = app.ticket(&f.screening_id).await;
    // A forgery: the genuine code with one character of its signature changed.
    let mut forged = code.clone().into_bytes();
    forged[120] = if forged[120] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();

    open_door_for_offline(&first, &app, &now, "Door A").await;
    first.set_offline(true).await;
    // The page itself loads without the network: from the device, not the server.
    let route = "/door/screenings/{id}";
    let before = served(&app, route).await;
    assert!(before >= 1, "the page was served online first");
    first.reload().await;
    first.wait_for_text("#door h1", "Red Rain").await;
    first.wait_for_text("#sync-status", "Offline").await;
    assert_eq!(
        served(&app, route).await,
        before,
        "the reload reached the server"
    );

    scan_sees(&first, &code, "Admitted").await;
    first.wait_for_text("#verdict .mode", "OFFLINE").await;
    first.wait_for_text("#verdict .action", "Let them in").await;
    first.wait_for_text("#admitted", "1").await;
    scan_sees(&first, &code, "Already admitted").await;
    let detail = first.text("#verdict .detail").await;
    assert!(detail.contains("Door A"), "{detail}");
    scan_sees(&first, &forged, "Invalid code").await;
    scan_sees(&first, &other, "Wrong screening").await;
    first
        .wait_for_text("#sync-status", "4 scans wait to upload")
        .await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), 0);

    // A second device, offline too, admits the same ticket: it had no way to know.
    let second = Browser::start().await.expect("a second browser");
    open_door_for_offline(&second, &app, &now, "Door B").await;
    second.set_offline(true).await;
    scan_sees(&second, &code, "Admitted").await;
    second.wait_for_text("#verdict .mode", "OFFLINE").await;

    // Back online, each device uploads what it decided: the first admission counts…
    first.set_offline(false).await;
    first
        .wait_for_text("#sync-status", "all scans uploaded")
        .await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM scans"), 4);
    let admitted_by = app.count(&format!(
        "SELECT COUNT(*) AS n FROM tickets WHERE id = '{ticket}' \
         AND admitted_door = 'Door A' AND admitted_at IS NOT NULL"
    ));
    assert_eq!(admitted_by, 1);
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(report["totals"]["admitted"], 1);
    assert_eq!(report["totals"]["conflicts"], 0);

    // …and the second device's admission of the same ticket becomes a conflict, shown to it.
    second.set_offline(false).await;
    second
        .wait_for_text("#sync-status", "all scans uploaded")
        .await;
    second.wait_for_text("#conflicts", "Door A").await;
    let (_, report) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/report", f.festival_id),
        )
        .await;
    assert_eq!(report["totals"]["admitted"], 1);
    assert_eq!(report["totals"]["conflicts"], 1);
    let (_, conflicts) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/conflicts", f.festival_id),
        )
        .await;
    assert_eq!(conflicts.as_array().unwrap().len(), 1, "{conflicts}");
    assert_eq!(conflicts[0]["door"], "Door B");
    assert_eq!(conflicts[0]["first_admitted_door"], "Door A");
    let (_, verified) = app
        .get_as(
            &app.organiser_token,
            &format!("/festivals/{}/scan-log/verify", f.festival_id),
        )
        .await;
    assert_eq!(verified["problems"], json!([]), "{verified}");
    assert_eq!(verified["entries_checked"], 5, "{verified}");

    // The organisers' dashboard shows it.
    let (organiser, _) = app.sign_in(&app.organiser_token).await;
    let (_, dashboard) = crate::helpers::get_page(
        &organiser,
        &format!("{}/admin/festivals/{}", app.address, f.festival_id),
    )
    .await;
    let section = dashboard
        .split("id=\"conflicts\"")
        .nth(1)
        .expect("a conflicts section");
    assert!(
        section.contains("Door B") && !section.starts_with(" hidden"),
        "{section}"
    );
    let path = second.screenshot("door-offline-conflict.png").await;
    assert!(std::fs::metadata(path).unwrap().len() > 1000);
}

async fn the_door_hands_out_and_admits_standby_numbers(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let id = crate::waitlist::screening_of(&app, &f, 3, chrono::Duration::minutes(20)).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        codes.push(app.ticket(&id).await.1);
    }
    assert_eq!(app.scan(&codes[0], &id).await["verdict"], "admitted");
    // Standby from 30 minutes before the start: open now.
    let set = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{id}/standby"),
            &json!({"release_minutes_before_start": 30, "keep_for_late": 0}),
        )
        .await;
    assert_eq!(set.status(), 200);

    sign_in(&browser, &app, &app.door_token).await;
    browser
        .goto(&format!("{}/door/screenings/{id}", app.address))
        .await;
    browser.type_into("#door-name", "Door S").await;
    browser
        .wait_for_text("#standby-status", "2 seats can go to standby")
        .await;
    browser.click("#standby-issue").await;
    browser.wait_for_text("#standby-number", "#1").await;
    browser.click("#standby-issue").await;
    browser.wait_for_text("#standby-number", "#2").await;
    browser
        .wait_for_text("#standby-status", "2 waiting, next #1")
        .await;

    browser.click("#standby-admit").await;
    browser
        .wait_for_text("#verdict .headline", "Standby #1 admitted")
        .await;
    browser.click("#standby-admit").await;
    browser
        .wait_for_text("#verdict .headline", "Standby #2 admitted")
        .await;
    browser
        .wait_for_text("#standby-status", "2 admitted from standby")
        .await;
    browser
        .wait_for_text("#standby-status", "0 seats can go to standby")
        .await;
    // The room is full: a late ticket holder is refused, and told why.
    browser
        .type_into("#code", &format!("{}\u{E007}", codes[1]))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Room full")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM standby_numbers WHERE screening_id = '{id}' \
             AND status = 'admitted' AND admitted_door = 'Door S'"
        )),
        2
    );
    let path = browser.screenshot("door-standby.png").await;
    assert!(std::fs::metadata(path).unwrap().len() > 1000);
}
