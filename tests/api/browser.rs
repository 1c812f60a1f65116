//! End-to-end tests in headless Chromium, through a minimal W3C WebDriver client (chromedriver).
//! Without Debian's `chromium` and `chromium-driver` installed, they skip with a printed note.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::TestApp;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A Chromium session driven through chromedriver; both end when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts headless Chromium, or returns `None` (with a note) when it is not installed.
    pub async fn start() -> Option<Browser> {
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
    async fn try_find(&self, css: &str) -> Result<String, Value> {
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
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
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

on_both_backends!(
    the_door_page_admits_rejects_and_keeps_reading,
    the_dashboard_shows_the_reported_totals_and_follows_admissions,
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
        marquee::staff::revoke(&mut conn, me.id).unwrap();
    }
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
    // A door admits someone: the open dashboard follows without a reload.
    app.scan(&second, &now).await;
    browser.wait_for_text("[data-total='admitted']", "2").await;
    let path = browser.screenshot("dashboard.png").await;
    assert!(std::fs::metadata(path).unwrap().len() > 1000);
}
