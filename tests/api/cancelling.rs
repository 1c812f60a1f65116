//! What is destructive is confirmed first and says what follows: giving back some or all seats of
//! a booking (exactly the chosen ones are freed), cancelling a screening (who will be told), and
//! revoking a credential (in `admin.rs`). Cancelled tickets are no longer offered to print.

use crate::browser::{Browser, sign_in};
use crate::helpers::{TestApp, csrf_of, get_page, new_browser, post_form};

on_both_backends!(
    a_holder_gives_back_exactly_the_chosen_seats,
    a_seat_choice_that_cannot_be_honoured_changes_nothing,
    cancelling_in_the_browser_is_confirmed_and_frees_only_the_chosen_seats,
);

/// Books `seats` seats through the API: (manage token, ticket ids in seat order).
async fn booking(app: &TestApp, screening: &str, seats: i64) -> (String, Vec<String>) {
    let (token, _, tickets) = booking_with_id(app, screening, seats).await;
    (token, tickets)
}

/// Like [`booking`], with the booking's API path.
async fn booking_with_id(
    app: &TestApp,
    screening: &str,
    seats: i64,
) -> (String, String, Vec<String>) {
    let (status, body) = app.book(screening, seats, "lan@example.org").await;
    assert_eq!(status, 201, "{body}");
    let tickets = body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    (
        body["booking"]["manage_token"].as_str().unwrap().to_owned(),
        format!("/bookings/{}", body["booking"]["id"].as_str().unwrap()),
        tickets,
    )
}

fn ticket_status(app: &TestApp, id: &str) -> String {
    use diesel::prelude::*;
    use marquee::db::schema::tickets;
    tickets::table
        .find(id)
        .select(tickets::status)
        .first(&mut app.pool.get().unwrap())
        .unwrap()
}

async fn seats_left(app: &TestApp, screening: &str) -> i64 {
    app.get_json(&format!("/screenings/{screening}")).await["seats_left"]
        .as_i64()
        .unwrap()
}

async fn a_holder_gives_back_exactly_the_chosen_seats(app: TestApp) {
    let f = app.fixture().await;
    let (token, path, tickets) = booking_with_id(&app, &f.screening_id, 3).await;
    let visitor = new_browser();
    let manage = format!("{}/manage/{token}", app.address);

    // The manage page leads to a confirmation page; nothing is cancelled by reading it.
    let (_, page) = get_page(&visitor, &manage).await;
    assert!(page.contains(&format!("href=\"/manage/{token}/cancel\"")));
    let (status, confirm) = get_page(&visitor, &format!("{manage}/cancel")).await;
    assert_eq!(status, 200);
    for id in &tickets {
        assert!(
            confirm.contains(&format!("name=\"seat.{id}\"")),
            "seat {id} offered"
        );
    }
    assert!(confirm.contains("cannot be undone"));
    assert_eq!(seats_left(&app, &f.screening_id).await, 27);

    // Give back seat 2 only.
    let csrf = csrf_of(&confirm);
    let seat = format!("seat.{}", tickets[1]);
    let (status, _) = post_form(
        &visitor,
        &format!("{manage}/cancel"),
        &[("csrf", &csrf), ("choose", "1"), (&seat, "1")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(seats_left(&app, &f.screening_id).await, 28);
    assert_eq!(ticket_status(&app, &tickets[0]), "valid");
    assert_eq!(ticket_status(&app, &tickets[1]), "cancelled");
    assert_eq!(ticket_status(&app, &tickets[2]), "valid");
    let (_, booking) = app.get_as(&token, &path).await;
    assert_eq!(booking["booking"]["status"], "confirmed", "{booking}");

    // The manage page says so, and the cancelled ticket is no longer offered to print.
    let (_, page) = get_page(&visitor, &format!("{manage}?cancelled=1")).await;
    assert!(page.contains("The seats you chose are cancelled"));
    assert!(
        !page.contains(&format!("/tickets/{}\"", tickets[1])),
        "no print link"
    );
    assert!(
        !page.contains(&format!("/api/v1/tickets/{}/qr", tickets[1])),
        "no QR"
    );
    assert!(page.contains(&format!("/tickets/{}\"", tickets[0])));
    // It holds two seats now, not three, and says one was given back.
    assert!(
        page.contains("<dd id=\"seats-held\">2 <span class=\"muted\">(1 given back)</span></dd>"),
        "{}",
        page.split("seats-held")
            .nth(1)
            .unwrap_or_default()
            .split("</dd>")
            .next()
            .unwrap_or_default()
    );
    // "Find my tickets" counts the tickets that still admit.
    let asked = app
        .client
        .post(format!("{}/find-my-tickets", app.api))
        .json(&serde_json::json!({"email": "lan@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let found = loop {
        let written: Vec<String> = std::fs::read_dir(app.mail_dir.path())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .filter(|m| m.contains("Subject: Your tickets\r\n"))
            .collect();
        if let Some(message) = written.into_iter().next() {
            break message;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no find-my-tickets mail"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let parsed = mail_parser::MessageParser::default()
        .parse(found.as_bytes())
        .unwrap();
    let text = parsed.body_text(0).unwrap().into_owned();
    assert!(
        text.contains("2 tickets") && !text.contains("3 tickets"),
        "{text}"
    );

    // The holder is told which seats went, and that the others stand (composed when sent).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while app.count(
        "SELECT COUNT(*) AS n FROM outbox WHERE subject LIKE 'Seats cancelled: Red Rain%' \
         AND status = 'sent'",
    ) != 1
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no mail about the seat"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // The last two: the booking goes with them.
    let (_, confirm) = get_page(&visitor, &format!("{manage}/cancel")).await;
    assert!(!confirm.contains(&format!("name=\"seat.{}\"", tickets[1])));
    let first = format!("seat.{}", tickets[0]);
    let third = format!("seat.{}", tickets[2]);
    let (status, _) = post_form(
        &visitor,
        &format!("{manage}/cancel"),
        &[
            ("csrf", &csrf),
            ("choose", "1"),
            (&first, "1"),
            (&third, "1"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(seats_left(&app, &f.screening_id).await, 30);
    let (_, page) = get_page(&visitor, &manage).await;
    assert!(page.contains("This booking is cancelled"));
    // Two messages: one for the seat, one for the rest of the booking.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'cancellation'"),
        2
    );
}

async fn a_seat_choice_that_cannot_be_honoured_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let now = app.screening_starting_in(&f, 20, "Petite").await;
    let (token, path, tickets) = booking_with_id(&app, &now, 2).await;
    let visitor = new_browser();
    let manage = format!("{}/manage/{token}", app.address);
    let (_, confirm) = get_page(&visitor, &format!("{manage}/cancel")).await;
    let csrf = csrf_of(&confirm);

    // Nothing chosen: the page again, with the reason, and nothing cancelled.
    let (status, page) = post_form(
        &visitor,
        &format!("{manage}/cancel"),
        &[("csrf", &csrf), ("choose", "1")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("Choose at least one seat"));
    assert!(page.contains("aria-invalid=\"true\""));

    // A seat used at the door meanwhile, chosen with another: nothing happens to either.
    let (_, body) = app.get_as(&token, &path).await;
    let code = body["tickets"][0]["code"].as_str().unwrap().to_owned();
    assert_eq!(app.scan(&code, &now).await["verdict"], "admitted");
    let used = format!("seat.{}", tickets[0]);
    let other = format!("seat.{}", tickets[1]);
    let (status, page) = post_form(
        &visitor,
        &format!("{manage}/cancel"),
        &[
            ("csrf", &csrf),
            ("choose", "1"),
            (&used, "1"),
            (&other, "1"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("nothing was changed"));
    assert_eq!(ticket_status(&app, &tickets[1]), "valid");
    assert_eq!(seats_left(&app, &now).await, 28);

    // A seat of another booking is not this page's to give.
    let (_, strangers) = booking(&app, &now, 1).await;
    let stranger = format!("seat.{}", strangers[0]);
    let (status, _) = post_form(
        &visitor,
        &format!("{manage}/cancel"),
        &[("csrf", &csrf), ("choose", "1"), (&stranger, "1")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(ticket_status(&app, &strangers[0]), "valid");
    // Without the CSRF token nothing is read at all.
    let (status, _) = post_form(
        &visitor,
        &format!("{manage}/cancel"),
        &[("choose", "1"), (&other, "1")],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(ticket_status(&app, &tickets[1]), "valid");
}

async fn cancelling_in_the_browser_is_confirmed_and_frees_only_the_chosen_seats(app: TestApp) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let f = app.fixture().await;
    let (token, tickets) = booking(&app, &f.screening_id, 3).await;
    browser
        .goto(&format!("{}/manage/{token}", app.address))
        .await;
    browser.click("section.cancel a.button").await;
    browser.wait_for_text("h1", "Cancel seats").await;
    // Every seat starts chosen; keep the first and the last.
    browser
        .click(&format!("input[name='seat.{}']", tickets[0]))
        .await;
    browser
        .click(&format!("input[name='seat.{}']", tickets[2]))
        .await;
    browser.click("#cancel-form button[type=submit]").await;
    browser
        .wait_for_text("main", "The seats you chose are cancelled")
        .await;
    assert_eq!(seats_left(&app, &f.screening_id).await, 28);
    assert_eq!(ticket_status(&app, &tickets[0]), "valid");
    assert_eq!(ticket_status(&app, &tickets[1]), "cancelled");
    assert_eq!(ticket_status(&app, &tickets[2]), "valid");
    browser.screenshot("cancel-seats.png").await;

    // An organiser's "Cancel this screening" leads to a page that says who will be told.
    sign_in(&browser, &app, &app.organiser_token).await;
    browser
        .goto(&format!(
            "{}/admin/screenings/{}/edit",
            app.address, f.screening_id
        ))
        .await;
    browser.click(".danger-zone a.button").await;
    browser
        .wait_for_text("#consequence", "1 ticket holder will be told by mail")
        .await;
    assert_eq!(
        app.get_json(&format!("/screenings/{}", f.screening_id))
            .await["status"],
        "scheduled",
        "nothing happens before the confirmation"
    );
    browser.click("form.admin-form button.danger").await;
    // The confirmation page names the film too: wait for the cancellation itself, not the text.
    let mut status = serde_json::Value::Null;
    for _ in 0..100 {
        status = app
            .get_json(&format!("/screenings/{}", f.screening_id))
            .await["status"]
            .clone();
        if status == "cancelled" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "cancelled");
}
