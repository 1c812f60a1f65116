//! Forms forgive: an organiser's form with a mistake comes back with everything typed still in it
//! and the problem written beside the field it is about (`aria-invalid`, `aria-describedby`),
//! not on an error page of its own.

use crate::browser::{Browser, sign_in};
use crate::helpers::{TestApp, post_form};

on_both_backends!(
    an_organiser_form_with_a_mistake_keeps_what_was_typed,
    a_venue_form_in_the_browser_shows_the_problem_beside_the_field,
);

/// The `<input>` tag with this id.
fn input_tag<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<input id=\"{id}\""))
        .unwrap_or_else(|| panic!("no input {id}"));
    let end = start + page[start..].find('>').unwrap();
    &page[start..=end]
}

async fn an_organiser_form_with_a_mistake_keeps_what_was_typed(app: TestApp) {
    let f = app.fixture().await;
    let (browser, csrf) = app.sign_in(&app.organiser_token).await;
    let at = |path: &str| format!("{}{path}", app.address);

    // A festival whose last day comes before its first.
    let (status, page) = post_form(
        &browser,
        &at("/admin/festivals"),
        &[
            ("csrf", &csrf),
            ("name", "Semaine du film « vietnamien »"),
            ("slug", "sfv-2031"),
            ("starts_on", "2031-12-12"),
            ("ends_on", "2031-12-01"),
            ("timezone", "Europe/Paris"),
            ("attendance_goal", "6000"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("value=\"Semaine du film « vietnamien »\"")
            || page.contains("value=\"Semaine du film &#171; vietnamien &#187;\""),
        "the name is kept"
    );
    assert!(page.contains("value=\"sfv-2031\""));
    assert!(page.contains("value=\"6000\""));
    let field = input_tag(&page, "ends_on");
    assert!(
        field.contains("value=\"2031-12-01\"")
            && field.contains("aria-invalid=\"true\"")
            && field.contains("aria-describedby=\"ends_on-error\""),
        "{field}"
    );
    assert!(page.contains("<p class=\"field-error\" id=\"ends_on-error\">"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM festivals"),
        1,
        "nothing created"
    );

    // A slug already taken: said above the form, the input kept.
    let (status, page) = post_form(
        &browser,
        &at("/admin/festivals"),
        &[
            ("csrf", &csrf),
            ("name", "Again"),
            ("slug", "fw"),
            ("starts_on", "2031-12-01"),
            ("ends_on", "2031-12-12"),
            ("timezone", "Europe/Paris"),
            ("attendance_goal", "10"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("value=\"Again\""));
    assert!(page.contains("aria-invalid=\"true\"") || page.contains("role=\"alert\""));

    // A venue edit with a bad room line keeps every field as typed.
    let (status, page) = post_form(
        &browser,
        &at(&format!("/admin/venues/{}", f.venue_id)),
        &[
            ("csrf", &csrf),
            ("name", "Pathé Palace (renamed)"),
            ("city", "Paris"),
            ("address", "2 Bd des Capucines"),
            ("timezone", "Europe/Paris"),
            ("rooms", "Grande Salle: 100\nPetite 30"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("value=\"Pathé Palace (renamed)\""));
    assert!(page.contains("Petite 30</textarea>"));
    assert!(page.contains("aria-describedby=\"rooms-error\""));
    let name: String = {
        use diesel::prelude::*;
        use marquee::db::schema::venues;
        venues::table
            .find(&f.venue_id)
            .select(venues::name)
            .first(&mut app.pool.get().unwrap())
            .unwrap()
    };
    assert_eq!(name, "Pathé Palace", "nothing saved");

    // A guest invitation with a bad address: the screening page again, the invitation form as
    // typed and its problem beside the address; the page's other forms untouched.
    let (status, page) = post_form(
        &browser,
        &at(&format!("/admin/screenings/{}/invitations", f.screening_id)),
        &[
            ("csrf", &csrf),
            ("name", "Trần Anh Hùng"),
            ("email", "not-an-address"),
            ("country", "VN"),
            ("category", "jury"),
            ("seats", "2"),
            ("lang", "vi"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(input_tag(&page, "name").contains("value=\"Trần Anh Hùng\""));
    let email = input_tag(&page, "email");
    assert!(
        email.contains("value=\"not-an-address\"") && email.contains("aria-invalid"),
        "{email}"
    );
    assert!(input_tag(&page, "seats").contains("value=\"2\""));
    assert!(page.contains("<option value=\"jury\" selected>"));
    assert!(!input_tag(&page, "capacity").contains("aria-invalid"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings"),
        0,
        "nobody invited"
    );

    // A film with an impossible year: everything typed stays, the year is pointed at.
    let (status, page) = post_form(
        &browser,
        &at("/admin/films"),
        &[
            ("csrf", &csrf),
            ("title", "Cyclo"),
            ("original_title", "Xích lô"),
            ("director", "Trần Anh Hùng"),
            ("year", "1066"),
            ("runtime_minutes", "123"),
            ("country", "VN"),
            ("language", "Vietnamese"),
            ("subtitles", "French"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(input_tag(&page, "original_title").contains("value=\"Xích lô\""));
    assert!(input_tag(&page, "subtitles").contains("value=\"French\""));
    let year = input_tag(&page, "year");
    assert!(
        year.contains("value=\"1066\"") && year.contains("aria-describedby=\"year-error\""),
        "{year}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM films"),
        1,
        "nothing created"
    );

    // A door credential needs its scope chosen: the name stays, the scope is pointed at.
    let (status, page) = post_form(
        &browser,
        &at("/admin/staff"),
        &[
            ("csrf", &csrf),
            ("name", "Porte 2"),
            ("role", "door"),
            ("scope", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("value=\"Porte 2\""));
    assert!(page.contains("aria-describedby=\"scope-error\""));
}

async fn a_venue_form_in_the_browser_shows_the_problem_beside_the_field(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    sign_in(&browser, &app, &app.organiser_token).await;
    browser.goto(&format!("{}/admin/venues", app.address)).await;
    browser.type_into("#name", "Forum des Images").await;
    browser.type_into("#city", "Paris").await;
    browser.type_into("#rooms", "Salle 300 300").await;
    browser.click("#venue-form button[type=submit]").await;
    browser.wait_for_text("#rooms-error", "name: seats").await;
    let kept = browser
        .eval(
            "return [document.getElementById('name').value, \
             document.getElementById('rooms').getAttribute('aria-invalid'), \
             document.getElementById('rooms').value];",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(
        kept,
        serde_json::json!(["Forum des Images", "true", "Salle 300 300"])
    );
    browser.screenshot("form-kept.png").await;
    // The page lands on the field at fault, not at its top.
    let focused = browser
        .eval("return document.activeElement.id;", serde_json::json!([]))
        .await;
    assert_eq!(focused, "rooms");

    // A screening form names the field by its label, in the page's language.
    let f = app.fixture().await;
    browser
        .goto(&format!(
            "{}/admin/festivals/{}/screenings?lang=fr",
            app.address, f.festival_id
        ))
        .await;
    browser
        .eval(
            "document.getElementById('starts_at').value = '2030-12-08T20:00';
             document.getElementById('capacity').value = '9999';",
            serde_json::json!([]),
        )
        .await;
    browser.click("#screening-form button[type=submit]").await;
    let error = browser.wait_for_text("#capacity-error", "Capacité").await;
    assert!(!error.contains("capacity"), "{error}");
    let focused = browser
        .eval("return document.activeElement.id;", serde_json::json!([]))
        .await;
    assert_eq!(focused, "capacity");
}
