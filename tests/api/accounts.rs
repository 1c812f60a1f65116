//! Named accounts, through the real HTTP interface and a real SMTP server: an invitation mailed
//! to a new team member, the authenticator app set up with a code computed here (RFC 6238), the
//! recovery codes, the mailed sign-in link followed by a code (a replayed code refused, each
//! recovery code once, too many wrong codes locking the account for a while), and the sessions
//! list with sign-out of one or all.

use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::browser::Browser as Chromium;
use crate::helpers::{TestApp, hidden_field};
use crate::mail::{SmtpSink, app_mailing_to, mails_to};

mailing_on_both_backends!(
    a_member_invited_by_mail_signs_in_with_a_mailed_link_and_a_code_that_works_once,
);

on_both_backends!(a_passkey_registered_in_chromium_signs_its_member_in,);

/// The code an authenticator app shows for `secret` at `unix` seconds.
fn code_at(secret: &str, unix: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new())
        .unwrap()
        .generate(unix)
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap()
}

/// The path of the link in a mail's text that starts with `path`.
fn link_in(text: &str, path: &str) -> String {
    let at = text
        .find(path)
        .unwrap_or_else(|| panic!("no {path} in {text}"));
    text[at..]
        .split(|c: char| c.is_whitespace() || c == '>' || c == '"')
        .next()
        .unwrap()
        .to_owned()
}

/// A browser of its own (its own cookies), and the CSRF token its first page gave it.
struct Browser {
    client: reqwest::Client,
    base: String,
    csrf: String,
}

impl Browser {
    async fn new(app: &TestApp) -> Browser {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        let page = client
            .get(format!("{}/signin", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Browser {
            client,
            base: app.address.clone(),
            csrf: hidden_field(&page, "csrf"),
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

async fn a_member_invited_by_mail_signs_in_with_a_mailed_link_and_a_code_that_works_once(
    app: TestApp,
    sink: SmtpSink,
) {
    let f = app.fixture().await;
    let fa = &f.festival_id;
    // Invited by mail: no credential in the answer.
    let invited = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{fa}/team"),
            &json!({"name": "Mai Tran", "email": "Mai@Example.org", "roles": ["box_office"]}),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let invited: Value = invited.json().await.unwrap();
    assert!(invited["credential"].is_null(), "{invited}");
    let mail = &mails_to(&sink, "mai@example.org", 1)[0];
    let path = link_in(&mail.text, "/account/welcome/");

    // The welcome page: the app set up with its first code; the codes shown once; signed in.
    let browser = Browser::new(&app).await;
    let (status, page) = browser.get(&path).await;
    assert_eq!(status, 200, "{page}");
    let secret = hidden_field(&page, "secret");
    let (status, _) = browser
        .post(&path, &[("secret", &secret), ("code", "000000")])
        .await;
    assert_eq!(status, 422, "a wrong first code sets nothing up");
    let t0 = now();
    let (status, codes) = browser
        .post(
            &path,
            &[("secret", &secret), ("code", &code_at(&secret, t0))],
        )
        .await;
    assert_eq!(status, 200, "{codes}");
    let recovery: Vec<String> = codes
        .split("<code class=\"code\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10, "{codes}");
    let (status, home) = browser.get("/staff").await;
    assert_eq!(status, 200);
    assert!(home.contains("Mai Tran"), "{home}");
    // The invitation works once.
    let (status, _) = browser.get(&path).await;
    assert_eq!(status, 404);

    // Signing in again, on another device: the mailed link, then a code.
    let phone = Browser::new(&app).await;
    let (status, sent) = phone
        .post("/signin/email", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(status, 200);
    let (status, same) = phone
        .post("/signin/email", &[("email", "mai@example.org")])
        .await;
    assert_eq!((status, same), (200, sent), "the same answer, whoever asks");
    let mail = &mails_to(&sink, "mai@example.org", 2)[1];
    let link = link_in(&mail.text, "/signin/link/");
    let (status, page) = phone.get(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"code\""), "a code is asked for");
    // A wrong code, then the code already used at the welcome page: both refused, the link
    // still good.
    let (status, _) = phone.post(&link, &[("code", "123456")]).await;
    assert_eq!(status, 401);
    let (status, page) = phone.post(&link, &[("code", &code_at(&secret, t0))]).await;
    assert_eq!(status, 401, "a code works once");
    assert!(
        page.contains("used already") || page.contains("was used"),
        "{page}"
    );
    // The next code signs in; the link is then used up.
    let (status, _) = phone
        .post(&link, &[("code", &code_at(&secret, t0 + 30))])
        .await;
    assert_eq!(status, 303);
    let (status, _) = phone.get("/staff").await;
    assert_eq!(status, 200);
    let (status, _) = phone
        .post(&link, &[("code", &code_at(&secret, t0 + 30))])
        .await;
    assert_eq!(status, 404, "the link works once");

    // A recovery code in place of the app: once.
    let third = Browser::new(&app).await;
    third
        .post("/signin/email", &[("email", "mai@example.org")])
        .await;
    let mail = &mails_to(&sink, "mai@example.org", 3)[2];
    let link = link_in(&mail.text, "/signin/link/");
    let (status, _) = third.post(&link, &[("code", &recovery[0])]).await;
    assert_eq!(status, 303, "a recovery code");
    third.post("/signout", &[]).await;
    third
        .post("/signin/email", &[("email", "mai@example.org")])
        .await;
    let mail = &mails_to(&sink, "mai@example.org", 4)[3];
    let link = link_in(&mail.text, "/signin/link/");
    let (status, _) = third.post(&link, &[("code", &recovery[0])]).await;
    assert_eq!(status, 401, "a recovery code works once");

    // Too many wrong codes: the account refuses every code for a while, even a right one.
    for _ in 0..5 {
        third.post(&link, &[("code", "000000")]).await;
    }
    let (status, page) = third.post(&link, &[("code", &recovery[1])]).await;
    assert_eq!(status, 401);
    assert!(page.contains("15 minutes"), "{page}");

    // Every session listed to its owner; the others ended from one.
    let (status, account) = browser.get("/account").await;
    assert_eq!(status, 200);
    assert_eq!(
        account.matches("/end\"").count(),
        1,
        "the other session: {account}"
    );
    assert!(
        account.contains("link+code") && account.contains("invitation"),
        "{account}"
    );
    // One session ended by its line in the list: the phone is signed out there.
    let end = {
        let at = account.find("/account/sessions/").unwrap();
        account[at..].split('"').next().unwrap().to_owned()
    };
    let (status, _) = browser.post(&end, &[]).await;
    assert_eq!(status, 303);
    let (status, _) = phone.get("/account").await;
    assert_eq!(status, 401, "signed out there");
    let (status, _) = browser.post(&end, &[]).await;
    assert_eq!(status, 404, "a session already ended");
    let (status, _) = browser.post("/account/sessions/end-others", &[]).await;
    assert_eq!(status, 303);
    let (status, account) = browser.get("/account").await;
    assert_eq!(status, 200);
    assert_eq!(account.matches("/end\"").count(), 0, "{account}");

    // New recovery codes replace the old ones; a bad address is refused and changes nothing.
    let (status, codes) = browser.post("/account/recovery-codes", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(codes.matches("<code class=\"code\">").count(), 10);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM recovery_codes"), 10);
    let (status, _) = browser
        .post("/account/email", &[("email", "not an address")])
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM staff WHERE email = 'mai@example.org'"),
        1
    );

    // The invitation and the sign-ins are the team's to see: none of it holds a code or link.
    let trail = app
        .get_as(&app.organiser_token, &format!("/festivals/{fa}/audit"))
        .await
        .1;
    assert!(trail.to_string().contains("staff.create"));
    assert!(!trail.to_string().contains(&secret));
}

/// In Chromium with a virtual authenticator (the DevTools `WebAuthn` domain): a member adds a
/// passkey on their account page, signs out, and signs in with it. The page is opened at
/// `localhost` (a passkey belongs to a domain name, never to a bare IP address).
async fn a_passkey_registered_in_chromium_signs_its_member_in(app: TestApp) {
    let Some(browser) = Chromium::start().await else {
        return;
    };
    let f = app.fixture().await;
    let added: Value = app
        .post_as(
            &app.organiser_token,
            &format!("/festivals/{}/team", f.festival_id),
            &json!({"name": "Linh Passkey", "roles": ["reports"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let credential = added["credential"].as_str().unwrap();
    let site = app.address.replace("127.0.0.1", "localhost");

    browser.cdp("WebAuthn.enable", json!({})).await;
    let authenticator = browser
        .cdp(
            "WebAuthn.addVirtualAuthenticator",
            json!({"options": {"protocol": "ctap2", "transport": "internal",
                   "hasResidentKey": true, "hasUserVerification": true,
                   "isUserVerified": true}}),
        )
        .await;
    let authenticator = authenticator["authenticatorId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Signed in once with the credential link; the address set on the account page.
    browser
        .goto(&format!("{site}/signin?token={credential}"))
        .await;
    browser.click("form.signin button").await;
    browser.wait_for_text("main", "Linh Passkey").await;
    browser.goto(&format!("{site}/account")).await;
    browser.type_into("#email", "linh@example.org").await;
    browser.click("#email-form button").await;
    browser
        .wait_until(
            "the address saved",
            "return document.readyState === 'complete' && document.querySelector('#email') !== null && document.querySelector('#email').defaultValue === 'linh@example.org';",
        )
        .await;

    // A passkey added: the authenticator holds it, the account lists it.
    browser.click("#passkey-form button").await;
    browser
        .wait_until(
            "the passkey listed",
            "return document.querySelectorAll('ul.passkeys li').length === 1;",
        )
        .await;
    let held = browser
        .cdp(
            "WebAuthn.getCredentials",
            json!({"authenticatorId": authenticator}),
        )
        .await;
    assert_eq!(held["credentials"].as_array().unwrap().len(), 1, "{held}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passkeys"), 1);

    // Signed out; signed in again with the passkey alone.
    browser.goto(&format!("{site}/staff")).await;
    browser.click("form[action='/signout'] button").await;
    browser
        .wait_until("signed out", "return location.pathname === '/';")
        .await;
    browser.goto(&format!("{site}/account")).await;
    browser.wait_for_text("main", "sign in").await;
    browser.goto(&format!("{site}/signin")).await;
    browser
        .type_into("#passkey-email", "linh@example.org")
        .await;
    browser.click("#passkey-signin button").await;
    browser
        .wait_until(
            "signed in with the passkey",
            "return location.pathname === '/staff';",
        )
        .await;
    browser.wait_for_text("main", "Linh Passkey").await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM passkeys WHERE last_used_at IS NOT NULL"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM sessions WHERE method = 'passkey'"),
        1
    );

    // An address without a passkey is told so, and nobody is signed in.
    browser.goto(&format!("{site}/signin")).await;
    browser
        .type_into("#passkey-email", "nobody@example.org")
        .await;
    browser.click("#passkey-signin button").await;
    browser
        .wait_until(
            "the refusal",
            "return document.querySelector('#passkey-signin [role=status]').textContent.length > 0;",
        )
        .await;
}
