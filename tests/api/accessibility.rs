//! Accessibility: axe-core finds nothing to report on any page — public, door, organiser — at
//! desktop and phone widths, including the states a page takes (a refused form, each colour of
//! the door's verdict); form errors are tied to their fields; the keyboard's focus ring stands out
//! (3:1) wherever it is drawn, and the skip link leads into the page.
//!
//! axe-core is vendored into the test run, never served by Marquee: `.ci/run` installs it from
//! npm into its cache and names the file in `MARQUEE_AXE_JS`; the test injects it into each page
//! through chromedriver's DevTools channel and runs it with WebDriver's script call (which awaits
//! `axe.run`'s promise). Without it (or without Chromium) the tests skip with a printed note.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::browser::{Browser, sign_in};
use crate::helpers::TestApp;

on_both_backends!(
    axe_core_finds_nothing_on_any_page,
    the_focus_ring_stands_out_and_the_skip_link_leads_into_the_page,
);

/// What axe-core checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices
/// (landmarks, heading order, empty table headers…: what trips a screen-reader user even where
/// WCAG says nothing).
const RULE_SETS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// Where `.ci/run` installs axe-core (with its default cache) when `MARQUEE_AXE_JS` is not set.
const AXE_IN_CI_CACHE: &str =
    "/var/cache/marquee-ci/axe-core-4.10.3/node_modules/axe-core/axe.min.js";

/// Runs axe-core in the page and returns each broken rule with its first elements.
const RUN_AXE: &str = "
    return axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
      .then((result) => result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, count: v.nodes.length,
        nodes: v.nodes.slice(0, 3).map((n) => ({html: n.html, why: n.failureSummary})),
      })));";

/// The page widths every page is checked at: a laptop's and a phone's.
const WIDTHS: [i64; 2] = [1280, 390];

/// A browser, axe-core's source, and what it found so far.
struct Audit {
    browser: Browser,
    axe: String,
    base: String,
    problems: Vec<String>,
    pages: usize,
}

impl Audit {
    /// A browser with axe-core at hand, or `None` (with a note) when either is missing.
    async fn start(app: &TestApp) -> Option<Audit> {
        let path = std::env::var_os("MARQUEE_AXE_JS")
            .map_or_else(|| PathBuf::from(AXE_IN_CI_CACHE), PathBuf::from);
        let Ok(axe) = std::fs::read_to_string(&path) else {
            eprintln!(
                "note: axe-core not found at {} (set MARQUEE_AXE_JS; .ci/run installs it); \
                 skipping this accessibility test",
                path.display()
            );
            return None;
        };
        Some(Audit {
            browser: Browser::start().await?,
            axe,
            base: app.address.clone(),
            problems: Vec::new(),
            pages: 0,
        })
    }

    /// Opens `path` and checks it; an error page instead fails at once, saying which.
    async fn visit(&mut self, name: &str, path: &str) {
        self.browser.goto(&format!("{}{path}", self.base)).await;
        let error = self
            .browser
            .eval(
                "const e = document.querySelector('main > section.notice.error');
                 return e === null ? null : e.innerText;",
                json!([]),
            )
            .await;
        assert!(error.is_null(), "{name} ({path}) is an error page: {error}");
        self.check(name).await;
    }

    /// Checks the page as it is now, at each width.
    async fn check(&mut self, name: &str) {
        // Through DevTools rather than WebDriver's script: the page's content security policy
        // (no inline script, no eval) does not apply to it.
        let present = self
            .browser
            .eval("return typeof axe !== 'undefined';", json!([]))
            .await;
        if present != Value::Bool(true) {
            let loaded = self
                .browser
                .cdp("Runtime.evaluate", json!({"expression": self.axe}))
                .await;
            assert!(
                loaded.get("exceptionDetails").is_none(),
                "axe-core did not load on {name}: {loaded}"
            );
        }
        for width in WIDTHS {
            self.browser
                .cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({"width": width, "height": 900, "deviceScaleFactor": 1,
                           "mobile": width < 600}),
                )
                .await;
            let found = self.browser.eval(RUN_AXE, json!([RULE_SETS])).await;
            let violations = found
                .as_array()
                .unwrap_or_else(|| panic!("axe-core did not run on {name}: {found}"));
            self.problems
                .extend(violations.iter().map(|v| describe(name, width, v)));
        }
        self.browser
            .cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await;
        self.pages += 1;
    }

    /// Fails with every problem found, each rule with its elements.
    fn assert_clean(&self) {
        assert!(
            self.problems.is_empty(),
            "axe-core found {} problems on {} pages:\n\n{}",
            self.problems.len(),
            self.pages,
            self.problems.join("\n\n")
        );
    }
}

/// One broken rule, readable in a test's output.
fn describe(page: &str, width: i64, violation: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = format!(
        "{page} at {width} px: {} ({}) {} — {} element(s), {}",
        text(&violation["id"]),
        text(&violation["impact"]),
        text(&violation["help"]),
        violation["count"],
        text(&violation["url"]),
    );
    for node in violation["nodes"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "\n    {}\n      {}",
            text(&node["html"]),
            text(&node["why"]).replace('\n', "\n      ")
        ));
    }
    out
}

/// The field `id`'s `aria-invalid`, and the text its `aria-describedby` points at.
async fn field_error(browser: &Browser, id: &str) -> (String, String) {
    let found = browser
        .eval(
            "const field = document.getElementById(arguments[0]);
             const described = (field.getAttribute('aria-describedby') || '').split(' ')
               .map((ref) => document.getElementById(ref)).filter((e) => e !== null)
               .map((e) => e.textContent.trim()).join(' ');
             return [field.getAttribute('aria-invalid') || '', described];",
            json!([id]),
        )
        .await;
    (
        found[0].as_str().unwrap_or_default().to_owned(),
        found[1].as_str().unwrap_or_default().to_owned(),
    )
}

async fn axe_core_finds_nothing_on_any_page(app: TestApp) {
    let Some(mut audit) = Audit::start(&app).await else {
        return;
    };
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, admitted, _) = app.ticket(&now).await;
    app.scan(&admitted, &now).await;
    let (_, fresh, _) = app.ticket(&now).await;
    let (_, elsewhere, _) = app.ticket(&f.screening_id).await;
    let (status, booked) = app.book(&f.screening_id, 2, "ana@example.org").await;
    assert_eq!(status, 201, "{booked}");
    let booking = booked["booking"]["id"].as_str().unwrap().to_owned();
    let manage = booked["booking"]["manage_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // A sold-out screening, two people waiting.
    let full = crate::waitlist::small_screening(&app, &f, 1).await;
    assert_eq!(app.book(&full, 1, "first@example.org").await.0, 201);
    let (_, joined) = crate::waitlist::join(&app, &full, 1, "linh@example.org").await;
    let waiting = joined["entry"]["manage_token"].as_str().unwrap().to_owned();
    crate::waitlist::join(&app, &full, 1, "minh@example.org").await;
    // A press pass holding a seat, with screenings left to reserve.
    let kind = app
        .create(
            &format!("/festivals/{}/pass-types", f.festival_id),
            json!({"name": "Press", "category": "press"}),
        )
        .await;
    let pass = app
        .create(
            &format!("/festivals/{}/passes", f.festival_id),
            json!({"pass_type_id": kind["id"], "name": "Trần Minh Khoa",
                   "email": "khoa@example.org", "organisation": "Cahiers du cinéma"}),
        )
        .await;
    let pass_token = pass["pass"]["manage_token"].as_str().unwrap().to_owned();
    let reserved = app
        .post_as(
            &pass_token,
            &format!(
                "/passes/{}/reservations",
                pass["pass"]["id"].as_str().unwrap()
            ),
            &json!({"screening_id": f.screening_id}),
        )
        .await;
    assert_eq!(reserved.status(), 201);

    // Public pages, signed out.
    audit.visit("festivals", "/").await;
    audit.visit("programme", "/festivals/fw").await;
    audit
        .visit("screening", &format!("/screenings/{}", f.screening_id))
        .await;
    // The booking form refused (no country chosen; the browser's own check set aside): the
    // problem is named, and tied to its field.
    let browser = &audit.browser;
    browser.type_into("#name", "Ana Nguyen").await;
    browser.type_into("#email", "ana@example.org").await;
    browser
        .eval(
            "document.querySelector('form.booking').noValidate = true;",
            json!([]),
        )
        .await;
    browser.click("form.booking button").await;
    browser
        .wait_until(
            "the form is shown again",
            "return document.querySelector('[role=alert]') !== null;",
        )
        .await;
    let (invalid, described) = field_error(browser, "country").await;
    assert_eq!(invalid, "true", "the country field is not marked invalid");
    assert!(!described.is_empty(), "the country field has no error text");
    audit.check("booking form with an error").await;
    // Booked through the form: the manage page, then a printable ticket.
    let browser = &audit.browser;
    browser
        .eval(
            "document.getElementById('country').value = 'FR';",
            json!([]),
        )
        .await;
    browser.click("form.booking button").await;
    browser
        .wait_until(
            "the manage page",
            "return location.pathname.startsWith('/manage/');",
        )
        .await;
    audit.check("manage page, just booked").await;
    audit.browser.click("ul.tickets a[href*='/tickets/']").await;
    audit
        .browser
        .wait_until(
            "the printable ticket",
            "return document.querySelector('.printable-ticket') !== null;",
        )
        .await;
    audit.check("printable ticket").await;
    audit
        .visit("sold-out screening", &format!("/screenings/{full}"))
        .await;
    audit
        .visit("waiting-list entry", &format!("/waitlist/{waiting}"))
        .await;
    audit
        .visit("cancelling seats", &format!("/manage/{manage}/cancel"))
        .await;
    audit.visit("privacy notice", "/festivals/fw/privacy").await;
    audit.visit("ask for my data", "/my-data").await;
    let data_link = app.data_link("ana@example.org");
    audit
        .visit("my data", &format!("/my-data/{data_link}"))
        .await;
    audit
        .visit("a pass's page", &format!("/pass/{pass_token}"))
        .await;
    audit.visit("find my tickets", "/tickets").await;
    let browser = &audit.browser;
    browser.type_into("#email", "not-an-address").await;
    browser.click("main form button").await;
    browser
        .wait_until(
            "the refused address",
            "return document.getElementById('email-error') !== null;",
        )
        .await;
    let (invalid, described) = field_error(browser, "email").await;
    assert_eq!(invalid, "true", "the address field is not marked invalid");
    assert!(!described.is_empty(), "the address field has no error text");
    audit.check("find my tickets with an error").await;
    let browser = &audit.browser;
    browser
        .eval(
            "document.getElementById('email').value = 'ana@example.org';",
            json!([]),
        )
        .await;
    browser.click("main form button").await;
    browser
        .wait_until(
            "the tickets are on their way",
            "return document.querySelector('.notice.ok') !== null;",
        )
        .await;
    audit.check("find my tickets, sent").await;
    let no_such_page = format!("{}/festivals/no-such-festival", app.address);
    audit.browser.goto(&no_such_page).await;
    audit.check("an error page").await;
    audit.visit("sign-in", "/signin").await;
    let browser = &audit.browser;
    browser.type_into("#token", "not-a-credential").await;
    browser.click("form.signin button").await;
    browser
        .wait_until(
            "the refused sign-in",
            "return document.getElementById('token-error') !== null;",
        )
        .await;
    audit.check("sign-in with an error").await;

    // Organiser pages.
    sign_in(&audit.browser, &app, &app.organiser_token).await;
    audit.check("staff home").await;
    audit.visit("organiser overview", "/admin").await;
    audit.visit("venues", "/admin/venues").await;
    audit
        .visit("a venue", &format!("/admin/venues/{}", f.venue_id))
        .await;
    audit.visit("films", "/admin/films").await;
    audit
        .visit(
            "the festival's passes",
            &format!("/admin/festivals/{}/passes", f.festival_id),
        )
        .await;
    audit
        .visit("a film", &format!("/admin/films/{}", f.film_id))
        .await;
    audit
        .visit(
            "screenings",
            &format!("/admin/festivals/{}/screenings", f.festival_id),
        )
        .await;
    audit
        .visit(
            "a screening with a waiting list",
            &format!("/admin/screenings/{full}/edit"),
        )
        .await;
    audit
        .visit("a screening", &format!("/admin/screenings/{now}/edit"))
        .await;
    let browser = &audit.browser;
    browser.type_into("#name", "Lan Tran").await;
    browser.type_into("#email", "lan@example.org").await;
    browser
        .eval(
            "document.getElementById('country').value = 'VN';",
            json!([]),
        )
        .await;
    browser.click("form[action$='/invitations'] button").await;
    browser
        .wait_until(
            "the invitation is made",
            "return document.querySelector('.notice.ok') !== null;",
        )
        .await;
    audit.check("a screening, guest invited").await;
    audit.visit("bookings", "/admin/bookings").await;
    audit.visit("bookings found", "/admin/bookings?q=ana").await;
    audit
        .visit("a booking", &format!("/admin/bookings/{booking}"))
        .await;
    audit.visit("staff", "/admin/staff").await;
    let browser = &audit.browser;
    browser.type_into("#name", "Door 2").await;
    browser
        .eval("document.getElementById('scope').value = 'all';", json!([]))
        .await;
    browser.click("form[action='/admin/staff'] button").await;
    browser
        .wait_until(
            "the new credential",
            "return document.querySelector('.credential') !== null;",
        )
        .await;
    audit.check("staff, credential shown").await;
    audit.browser.click("a[href$='/revoke']").await;
    audit
        .browser
        .wait_until(
            "the confirmation",
            "return location.pathname.endsWith('/revoke');",
        )
        .await;
    audit.check("confirming a revocation").await;
    audit.visit("outbox", "/admin/outbox").await;
    audit
        .visit(
            "personal data",
            &format!("/admin/festivals/{}/privacy", f.festival_id),
        )
        .await;
    audit
        .visit("dashboard", &format!("/admin/festivals/{}", f.festival_id))
        .await;
    audit
        .visit("arrivals", &format!("/admin/screenings/{now}"))
        .await;
    audit
        .visit(
            "the team",
            &format!("/admin/festivals/{}/team", f.festival_id),
        )
        .await;
    let browser = &audit.browser;
    browser.type_into("#name", "Mai Tran").await;
    browser
        .eval(
            "document.querySelector('#member-form input[value=box_office]').checked = true;",
            json!([]),
        )
        .await;
    browser.click("#member-form button").await;
    browser
        .wait_until(
            "the new member's link",
            "return document.readyState === 'complete' && document.querySelector('.credential') !== null;",
        )
        .await;
    audit.check("the team, a member's link shown").await;
    let browser = &audit.browser;
    browser.type_into("#token-name", "Sponsor dashboard").await;
    browser
        .eval(
            "document.querySelector('#token-form input[value=reports]').checked = true;",
            json!([]),
        )
        .await;
    browser.click("#token-form button").await;
    browser
        .wait_until(
            "the new token",
            "return document.readyState === 'complete' && document.querySelector('.credential') !== null && document.querySelector('.credential').textContent.includes('Sponsor dashboard');",
        )
        .await;
    audit.check("the team, a token shown").await;
    audit
        .visit(
            "the audit trail",
            &format!("/admin/festivals/{}/audit", f.festival_id),
        )
        .await;
    audit.visit("one's account", "/account").await;
    // A new member's invitation and a mailed sign-in link, as the mail would carry them (made
    // straight in the database: this app mails to files).
    let invited: Value = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/team", f.festival_id),
            &json!({"name": "Hoa Le", "email": "hoa@example.org", "roles": ["reports"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let hoa: marquee::domain::StaffId = invited["member"]["id"].as_str().unwrap().parse().unwrap();
    let (welcome, signin) = {
        use marquee::staff::account::{Purpose, new_link};
        let mut conn = app.pool.get().unwrap();
        let now = chrono::Utc::now().naive_utc();
        (
            new_link(&mut conn, hoa, Purpose::Invitation, now).unwrap(),
            new_link(&mut conn, hoa, Purpose::SignIn, now).unwrap(),
        )
    };
    audit
        .visit("an invitation", &format!("/account/welcome/{welcome}"))
        .await;
    audit
        .visit("a mailed sign-in link", &format!("/signin/link/{signin}"))
        .await;

    // Door pages, each verdict's colours kept on screen while checked.
    sign_in(&audit.browser, &app, &app.door_token).await;
    audit.check("door chooser").await;
    audit
        .browser
        .eval("localStorage.setItem('marquee.fade', '0');", json!([]))
        .await;
    audit
        .visit("door for a venue", &format!("/door/venues/{}", f.venue_id))
        .await;
    audit
        .visit("door for a screening", &format!("/door/screenings/{now}"))
        .await;
    let browser = &audit.browser;
    browser
        .wait_for_text("#verdict .headline", "Name this door first")
        .await;
    audit.check("door, not named yet").await;
    audit.browser.type_into("#door-name", "Door A").await;
    for (code, headline, look) in [
        (fresh.as_str(), "Admitted", "door, admitted"),
        ("NOT-A-TICKET", "Invalid code", "door, refused"),
        (elsewhere.as_str(), "Wrong screening", "door, redirect"),
    ] {
        let browser = &audit.browser;
        browser.type_into("#code", &format!("{code}\u{E007}")).await;
        browser.wait_for_text("#verdict .headline", headline).await;
        audit.check(look).await;
    }

    // The same pages in French and Vietnamese: longer words, other scripts, other `lang`.
    for lang in ["fr", "vi"] {
        audit
            .visit(
                &format!("programme ({lang})"),
                &format!("/festivals/fw?lang={lang}"),
            )
            .await;
        for (name, path) in [
            ("screening", format!("/screenings/{}", f.screening_id)),
            ("sold-out screening", format!("/screenings/{full}")),
            ("waiting-list entry", format!("/waitlist/{waiting}")),
            ("cancelling seats", format!("/manage/{manage}/cancel")),
            ("find my tickets", "/tickets".to_owned()),
            ("privacy notice", "/festivals/fw/privacy".to_owned()),
            ("my data", format!("/my-data/{data_link}")),
            ("a pass's page", format!("/pass/{pass_token}")),
            ("door chooser", "/door".to_owned()),
            ("door for a screening", format!("/door/screenings/{now}")),
        ] {
            audit.visit(&format!("{name} ({lang})"), &path).await;
            let shown = audit
                .browser
                .eval("return document.documentElement.lang;", json!([]))
                .await;
            assert_eq!(shown, lang, "{name} is not in {lang}");
        }
    }
    audit.assert_clean();
}

/// Contrast of the focus ring around the focused element: the outline against the ring inside
/// it (a `box-shadow`, or what shows through the offset) and, for the pair, the better of the two
/// against what surrounds the element — and the same against each door verdict's colour.
const FOCUS_RING: &str = "
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    if (el.dataset.focusSeen) return {seen: true};
    el.dataset.focusSeen = 'yes';
    const colour = (text) => {
      const m = (text.match(/rgba?\\([^)]*\\)/) || [''])[0].match(/[\\d.]+/g);
      return m && !(m.length > 3 && Number(m[3]) === 0) ? m.slice(0, 3).map(Number) : null;
    };
    const luminance = (rgb) => {
      const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const background = (node) => {
      for (let n = node; n; n = n.parentElement) {
        const c = colour(getComputedStyle(n).backgroundColor);
        if (c) return c;
      }
      return [255, 255, 255];
    };
    const style = getComputedStyle(el);
    const html = el.outerHTML.slice(0, 100);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) {
      return {html, problem: 'no focus outline (' + style.outline + ')'};
    }
    const outline = colour(style.outlineColor);
    const around = background(el.parentElement);
    const inner = style.boxShadow === 'none' ? around : colour(style.boxShadow);
    const weakest = (surroundings) => Math.min(ratio(outline, inner),
      Math.max(ratio(outline, surroundings), ratio(inner, surroundings)));
    const checks = [['the page around it', around]];
    if (arguments[0]) {
      for (const kind of ['ok', 'bad', 'warn', 'redirect']) {
        const box = document.createElement('div');
        box.className = 'verdict ' + kind;
        document.querySelector('main').append(box);
        checks.push(['a ' + kind + ' verdict', colour(getComputedStyle(box).backgroundColor)]);
        box.remove();
      }
    }
    for (const [where, surroundings] of checks) {
      const contrast = weakest(surroundings);
      if (contrast < 3) {
        return {html, problem: 'focus ring contrast ' + contrast.toFixed(2) + ':1 on ' + where
          + ' (outline ' + style.outlineColor + ', inside ' + style.boxShadow + ')'};
      }
    }
    return {html, problem: null};";

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// Tabs through the page from its first element, the skip link, to its last (60 stops at most),
/// and returns each focused element whose focus ring does not stand out.
async fn weak_focus_rings(browser: &Browser, page: &str, on_verdicts: bool) -> Vec<String> {
    // A first Tab puts the browser in keyboard mode (a focus moved by script then shows its ring
    // too); the walk starts at the top whatever the page's script focused.
    browser.press(TAB).await;
    browser
        .eval("document.querySelector('.skip').focus();", json!([]))
        .await;
    let mut problems = Vec::new();
    let mut stops = 0;
    for _ in 0..60 {
        let found = browser.eval(FOCUS_RING, json!([on_verdicts])).await;
        // Past the last element (in the browser's own controls), or round to the first.
        if found.is_null() || found["seen"] == true {
            break;
        }
        stops += 1;
        if let Some(problem) = found["problem"].as_str() {
            problems.push(format!("{page}: {problem}: {}", found["html"]));
        }
        browser.press(TAB).await;
    }
    assert!(stops > 5, "{page}: Tab reached only {stops} elements");
    problems
}

async fn the_focus_ring_stands_out_and_the_skip_link_leads_into_the_page(app: TestApp) {
    let Some(audit) = Audit::start(&app).await else {
        return;
    };
    let browser = &audit.browser;
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;

    // The first Tab shows the skip link; following it, the next Tab is in the page's content,
    // past the header's links.
    browser
        .goto(&format!("{}/screenings/{}", app.address, f.screening_id))
        .await;
    browser.press(TAB).await;
    let skip = browser
        .eval(
            "const el = document.activeElement; const box = el.getBoundingClientRect();
             return [el.className, box.left >= 0 && box.top >= 0 && box.width > 0
               && box.right <= innerWidth];",
            json!([]),
        )
        .await;
    assert_eq!(
        skip,
        json!(["skip", true]),
        "the first Tab shows the skip link"
    );
    browser.press(ENTER).await;
    browser.press(TAB).await;
    let inside = browser
        .eval(
            "const main = document.querySelector('main');
             return main.contains(document.activeElement) && document.activeElement !== main;",
            json!([]),
        )
        .await;
    assert_eq!(
        inside,
        json!(true),
        "after the skip link, Tab is in the content"
    );

    // The focus ring, on every kind of thing a keyboard reaches: links, fields, the accent and
    // danger buttons, the door's buttons (and against its verdict colours).
    let mut problems = Vec::new();
    browser
        .goto(&format!("{}/screenings/{}", app.address, f.screening_id))
        .await;
    problems.extend(weak_focus_rings(browser, "screening", false).await);
    sign_in(browser, &app, &app.organiser_token).await;
    browser
        .goto(&format!("{}/admin/screenings/{now}/edit", app.address))
        .await;
    problems.extend(weak_focus_rings(browser, "organiser's screening", false).await);
    browser
        .goto(&format!("{}/door/screenings/{now}", app.address))
        .await;
    browser
        .wait_for_text("#verdict .headline", "Name this door first")
        .await;
    problems.extend(weak_focus_rings(browser, "door", true).await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
