//! Mail: what a booking's message carries (each part read back by a real decoder), an SMTP outage
//! and a restart that lose nothing, "find my tickets", cancellations and changes, the outbox and
//! the booking search for organisers. Messages go over TCP to an SMTP server run by the test.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, csrf_of, get_page, post_form, spawn_app_with};

on_both_backends!(
    without_an_smtp_server_messages_are_files_the_organiser_can_open,
    only_organisers_see_the_outbox_and_find_bookings,
    the_box_office_finds_people_whatever_their_accents,
    tickets_of_a_booking_cancelled_before_they_are_mailed_are_not_sent,
    the_find_my_tickets_page_keeps_the_input_and_answers_alike,
    an_organiser_sends_a_message_again,
);

/// Runs each listed `async fn(TestApp, SmtpSink)` on SQLite and on PostgreSQL, the app sending
/// its mail to the sink.
macro_rules! mailing_on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod mailing {
            mod sqlite {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let sink = super::super::SmtpSink::start();
                        let app = super::super::app_mailing_to(
                            crate::helpers::Backend::Sqlite, sink.url()).await
                            .expect("SQLite needs nothing installed");
                        super::super::$name(app, sink).await;
                    }
                )*
            }
            mod postgres {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let sink = super::super::SmtpSink::start();
                        if let Some(app) = super::super::app_mailing_to(
                            crate::helpers::Backend::Postgres, sink.url()).await
                        {
                            super::super::$name(app, sink).await;
                        }
                    }
                )*
            }
        }
    };
}

mailing_on_both_backends!(
    a_booking_mails_qr_codes_a_pdf_and_a_calendar_event,
    find_my_tickets_tells_nobody_who_booked,
    cancellations_and_changes_are_mailed_to_every_holder,
    the_waiting_list_mails_a_place_and_an_offer_whose_link_claims_the_seats,
    each_person_is_mailed_in_their_own_language,
    the_waiting_list_writes_in_the_language_the_entry_was_made_in,
    a_pass_is_mailed_with_its_code_its_badge_and_the_link_to_its_page,
);

/// A minimal SMTP server on 127.0.0.1 that keeps every message it is given.
pub(crate) struct SmtpSink {
    port: u16,
    pub(crate) received: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
}

impl SmtpSink {
    pub(crate) fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        SmtpSink::serve(listener, Arc::new(Mutex::new(Vec::new())))
    }

    /// A port nothing listens on yet (the server is "down"); `start_on` brings it up.
    fn reserve_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        SmtpSink::serve(listener, Arc::new(Mutex::new(Vec::new())))
    }

    fn serve(listener: TcpListener, received: Arc<Mutex<Vec<Vec<u8>>>>) -> SmtpSink {
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (store, stopped) = (received.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let store = store.clone();
                        std::thread::spawn(move || {
                            let _ = session(stream, &store);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        SmtpSink {
            port,
            received,
            stop,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits (120 s at most: the sender runs at the lowest CPU priority, and the whole suite keeps
    /// both cores busy) until `n` messages have arrived; returns them raw.
    fn wait_for(&self, n: usize) -> Vec<Vec<u8>> {
        let started = Instant::now();
        loop {
            let got = self.received.lock().unwrap().clone();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "expected {n} messages, got {}",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One SMTP conversation (RFC 5321, the commands a client needs to deliver a message).
fn session(stream: TcpStream, store: &Mutex<Vec<Vec<u8>>>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    out.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") {
            out.write_all(b"250-sink.test\r\n250 8BITMIME\r\n")?;
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL FROM")
            || command.starts_with("RCPT TO")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            out.write_all(b"250 OK\r\n")?;
        } else if command == "DATA" {
            out.write_all(b"354 go ahead\r\n")?;
            let mut message = Vec::new();
            loop {
                let mut data = Vec::new();
                if reader.read_until(b'\n', &mut data)? == 0 {
                    return Ok(());
                }
                if data == b".\r\n" || data == b".\n" {
                    break;
                }
                // Dot-unstuffing.
                let data = if data.starts_with(b"..") {
                    &data[1..]
                } else {
                    &data[..]
                };
                message.extend_from_slice(data);
            }
            store.lock().unwrap().push(message);
            out.write_all(b"250 queued\r\n")?;
        } else if command == "QUIT" {
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            out.write_all(b"502 not implemented\r\n")?;
        }
    }
}

pub(crate) async fn app_mailing_to(backend: Backend, smtp_url: String) -> Option<TestApp> {
    spawn_app_with(backend, move |s| {
        s.mail.smtp_url = Some(marquee::config::Secret::new(smtp_url));
        s.mail.retry_cap = Duration::from_secs(1);
    })
    .await
}

fn subject(raw: &[u8]) -> String {
    MessageParser::default()
        .parse(raw)
        .and_then(|m| m.subject().map(str::to_owned))
        .unwrap_or_default()
}

/// A PDF rendered by poppler: the QR codes read on each page (in order), and its text; `None`
/// (with a note) when poppler is not installed.
/// How many pictures a PDF holds (poppler's `pdfimages -list`), when poppler is installed.
fn pdf_images(pdf: &[u8]) -> Option<usize> {
    if !has_tool("pdfimages") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, pdf).unwrap();
    let listed = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&file)
        .output()
        .unwrap();
    assert!(listed.status.success());
    // Two header lines, then one line a picture.
    Some(
        String::from_utf8_lossy(&listed.stdout)
            .lines()
            .skip(2)
            .count(),
    )
}

fn render_pdf(pdf: &[u8]) -> Option<(Vec<Vec<String>>, String)> {
    if !has_tool("pdftoppm") {
        eprintln!(
            "note: pdftoppm (Debian poppler-utils) is not installed; the PDF is not rendered"
        );
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, pdf).unwrap();
    let rendered = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-png"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(rendered.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    let codes = pages
        .iter()
        .map(|p| decode_png(&std::fs::read(p).unwrap()))
        .collect();
    let text = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    Some((codes, String::from_utf8_lossy(&text.stdout).into_owned()))
}

fn decode_png(png: &[u8]) -> Vec<String> {
    let image = image::load_from_memory(png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The first message the outbox lists as sent (20 s at most).
async fn first_sent_message(app: &TestApp) -> Value {
    let started = Instant::now();
    loop {
        let (_, sent) = app
            .get_as(&app.organiser_token, "/outbox?status=sent")
            .await;
        if let Some(m) = sent.as_array().and_then(|m| m.first()).cloned() {
            return m;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "a message is sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A delivered message, as far as its language shows: the `Content-Language` header, the
/// subject, the plain text and the HTML.
pub(crate) struct Read {
    pub(crate) to: String,
    pub(crate) lang: String,
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: String,
    pub(crate) message_id: String,
    /// The attachments' file names.
    pub(crate) files: Vec<String>,
}

pub(crate) fn read(raw: &[u8]) -> Read {
    let m = MessageParser::default().parse(raw).expect("MIME");
    Read {
        to: m
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned(),
        lang: m
            .header_raw("Content-Language")
            .map(|v| v.trim().to_owned())
            .unwrap_or_default(),
        subject: m.subject().unwrap_or_default().to_owned(),
        text: m
            .body_text(0)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
        html: m
            .body_html(0)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
        message_id: m.message_id().unwrap_or_default().to_owned(),
        files: m
            .attachments()
            .filter_map(|a| a.attachment_name().map(str::to_owned))
            .collect(),
    }
}

/// Waits (120 s at most) until `n` messages to `to` have arrived.
pub(crate) fn mails_to(sink: &SmtpSink, to: &str, n: usize) -> Vec<Read> {
    let started = Instant::now();
    loop {
        let got: Vec<Read> = sink
            .received
            .lock()
            .unwrap()
            .iter()
            .map(|raw| read(raw))
            .filter(|m| m.to == to)
            .collect();
        if got.len() >= n {
            return got;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "expected {n} messages to {to}, got {}",
            got.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a text names a day of the week in English (dates in another language do not).
fn english_weekday(text: &str) -> bool {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .iter()
    .any(|day| text.contains(day))
}

fn has_tool(tool: &str) -> bool {
    std::process::Command::new(tool).arg("-v").output().is_ok()
}

// ---------------------------------------------------------------------------------------------

async fn a_booking_mails_qr_codes_a_pdf_and_a_calendar_event(app: TestApp, sink: SmtpSink) {
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 90, "Grande Salle").await;
    let response = app
        .client
        .post(format!("{}/screenings/{screening}/bookings", app.api))
        .json(&json!({"name": "Nguyễn Thị Lan", "email": "lan@example.org", "country": "VN", "seats": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let booked: Value = response.json().await.unwrap();
    let codes: Vec<String> = booked["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect();

    let raw = sink.wait_for(1).remove(0);
    let message = MessageParser::default().parse(&raw).expect("MIME");
    let to = message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some("lan@example.org"));
    assert!(
        message.subject().unwrap().contains("Red Rain"),
        "{:?}",
        message.subject()
    );
    let text = message.body_text(0).unwrap().into_owned();
    assert!(text.contains("Nguyễn Thị Lan"), "{text}");
    assert!(text.contains("Pathé Palace"), "{text}");

    // One inline PNG per ticket, each decoding to exactly that ticket's code.
    let mut inline: Vec<String> = message
        .parts
        .iter()
        .filter(|p| {
            p.content_type()
                .is_some_and(|c| c.ctype() == "image" && c.subtype() == Some("png"))
        })
        .flat_map(|p| decode_png(p.contents()))
        .collect();
    inline.sort();
    let mut expected = codes.clone();
    expected.sort();
    assert_eq!(
        inline, expected,
        "the inline QR codes are the tickets' codes"
    );

    // The manage link in the message opens the booking.
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/manage/"))
        .expect("a manage link")
        .trim_end_matches(['.', ',']);
    let token = link.rsplit('/').next().unwrap();
    let (status, seen) = app
        .get_as(
            token,
            &format!("/bookings/{}", booked["booking"]["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_ne!(
        token,
        booked["booking"]["manage_token"].as_str().unwrap(),
        "a fresh token"
    );

    // The calendar event: the screening's start and end instants, the venue as location.
    let calendar = message
        .parts
        .iter()
        .find(|p| {
            p.content_type()
                .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
        })
        .expect("a text/calendar part");
    let ics = String::from_utf8_lossy(calendar.contents()).into_owned();
    let parsed: icalendar::Calendar = ics.parse().expect("RFC 5545");
    let event = parsed
        .components
        .iter()
        .find_map(|c| c.as_event())
        .expect("a VEVENT");
    use icalendar::{Component, EventLike};
    let starts = booked["screening"]["starts_at"].as_str().unwrap();
    let starts = chrono::DateTime::parse_from_rfc3339(starts)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let ends = booked["screening"]["ends_at"].as_str().unwrap();
    let ends = chrono::DateTime::parse_from_rfc3339(ends)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let instant = |d: icalendar::DatePerhapsTime| match d {
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => t,
        other => panic!("a UTC time, not {other:?}"),
    };
    // (iCalendar times have whole seconds; the test's screening starts at "now + 90 min".)
    use chrono::SubsecRound;
    assert_eq!(instant(event.get_start().unwrap()), starts.trunc_subsecs(0));
    assert_eq!(instant(event.get_end().unwrap()), ends.trunc_subsecs(0));
    assert!(event.get_location().unwrap().contains("Pathé Palace"));
    assert!(event.get_url().unwrap().contains("/manage/"));

    // The PDF: one page per ticket, rendered by poppler, each page's QR the right code, the
    // holder's name real text.
    let pdf = message
        .parts
        .iter()
        .find(|p| p.content_type().is_some_and(|c| c.subtype() == Some("pdf")))
        .expect("a PDF attachment");
    let Some((pages, text)) = render_pdf(pdf.contents()) else {
        return;
    };
    assert_eq!(pages.len(), 2, "one page per ticket");
    let on_pages: Vec<String> = pages.into_iter().flatten().collect();
    assert_eq!(on_pages, codes, "page n carries ticket n's code");
    assert!(text.contains("Nguyễn Thị Lan"), "{text}");
    assert!(text.contains("Seat 2 of 2"), "{text}");
    assert!(text.contains("Doors open"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_smtp_outage_and_a_restart_lose_no_message() {
    outage(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_an_smtp_outage_and_a_restart_lose_no_message() {
    outage(Backend::Postgres).await;
}

async fn outage(backend: Backend) {
    let down = SmtpSink::reserve_port();
    let Some(app) = app_mailing_to(backend, format!("smtp://127.0.0.1:{down}")).await else {
        return;
    };
    let f = app.fixture().await;
    for i in 0..3 {
        let (status, _) = app
            .book(&f.screening_id, 1, &format!("p{i}@example.org"))
            .await;
        assert_eq!(status, 201, "booking does not wait for mail");
    }
    // The server is down: each message is queued, tried, and kept with the error.
    let started = Instant::now();
    loop {
        let (_, messages) = app.get_as(&app.organiser_token, "/outbox").await;
        let messages = messages.as_array().unwrap().clone();
        if messages.len() == 3
            && messages.iter().all(|m| {
                m["status"] == "queued"
                    && m["attempts"].as_i64() >= Some(1)
                    && !m["last_error"].is_null()
            })
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{messages:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Restart: this instance stops; a new one (on the same database) finds the queue, and the
    // mail server is back.
    app.stop_server().await;
    let sink = SmtpSink::start_on(down);
    let _restarted = app
        .instance_with(|s| {
            s.mail.smtp_url = Some(marquee::config::Secret::new(format!(
                "smtp://127.0.0.1:{down}"
            )));
            s.mail.retry_cap = Duration::from_secs(1);
        })
        .unwrap();
    let received = sink.wait_for(3);
    let mut to: Vec<String> = received
        .iter()
        .filter_map(|raw| {
            MessageParser::default().parse(raw).and_then(|m| {
                m.to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .map(str::to_owned)
            })
        })
        .collect();
    to.sort();
    assert_eq!(to, ["p0@example.org", "p1@example.org", "p2@example.org"]);
    let started = Instant::now();
    while app.count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'") < 3 {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn find_my_tickets_tells_nobody_who_booked(app: TestApp, sink: SmtpSink) {
    let f = app.fixture().await;
    let (_, first) = app.book(&f.screening_id, 1, "Known@Example.org").await;
    let (_, second) = app.book(&f.screening_id, 2, "known@example.org").await;
    sink.wait_for(2); // the two booking messages
    let ask = |email: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/find-my-tickets", app.api);
        async move {
            let r = client
                .post(url)
                .json(&json!({"email": email}))
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let known = ask("KNOWN@example.org").await;
    let unknown = ask("nobody@example.org").await;
    assert_eq!(known.0, 202);
    assert_eq!(
        known, unknown,
        "the same answer for known and unknown addresses"
    );
    let (status, body) = ask("not an address").await;
    assert_eq!(status, 422, "{body}");

    let all = sink.wait_for(3);
    std::thread::sleep(Duration::from_millis(500));
    let all_now = sink.received.lock().unwrap().clone();
    assert_eq!(all_now.len(), 3, "only the known address is mailed");
    let found = MessageParser::default().parse(&all[2]).unwrap();
    assert_eq!(found.subject(), Some("Your tickets"));
    let text = found.body_text(0).unwrap().into_owned();
    let links: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.contains("/manage/"))
        .collect();
    assert_eq!(links.len(), 2, "both bookings, each with its link: {text}");
    for (link, booking) in links.iter().zip([&first, &second]) {
        let token = link.rsplit('/').next().unwrap();
        let id = booking["booking"]["id"].as_str().unwrap();
        let (status, _) = app.get_as(token, &format!("/bookings/{id}")).await;
        assert_eq!(status, 200, "the link opens its booking");
    }
    // Asking again and again does not flood the address.
    for _ in 0..3 {
        ask("known@example.org").await;
    }
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'find_tickets' AND recipient = 'known@example.org'"
        ),
        2,
        "at most two per address per ten minutes"
    );
    assert_eq!(
        sink.wait_for(4).len(),
        4,
        "the second request was mailed too"
    );
}

async fn cancellations_and_changes_are_mailed_to_every_holder(app: TestApp, sink: SmtpSink) {
    let f = app.fixture().await;
    let (_, a) = app.book(&f.screening_id, 1, "a@example.org").await;
    let (_, _b) = app.book(&f.screening_id, 1, "b@example.org").await;
    sink.wait_for(2);
    // The holder cancels: one message to them.
    assert_eq!(app.cancel(&a).await.status(), 200);
    let got = sink.wait_for(3);
    assert!(
        subject(&got[2]).starts_with("Cancelled: Red Rain"),
        "{}",
        subject(&got[2])
    );
    // The organiser moves the screening an hour later: the one remaining holder hears of it,
    // with the new time in the calendar event.
    let moved = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{}", f.screening_id),
            &json!({"starts_at": "2030-12-07T21:00:00+01:00", "confirm": true}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let got = sink.wait_for(4);
    let changed = MessageParser::default().parse(&got[3]).unwrap();
    assert!(changed.subject().unwrap().starts_with("Changed: Red Rain"));
    assert_eq!(
        changed
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address()),
        Some("b@example.org")
    );
    let ics = changed
        .parts
        .iter()
        .find(|p| {
            p.content_type()
                .is_some_and(|c| c.subtype() == Some("calendar"))
        })
        .map(|p| String::from_utf8_lossy(p.contents()).into_owned())
        .unwrap();
    assert!(ics.contains("DTSTART:20301207T200000Z"), "{ics}");
    // The organiser cancels the screening: the remaining holder is told.
    let gone = app
        .delete_as(
            &app.organiser_token,
            &format!("/screenings/{}", f.screening_id),
        )
        .await;
    assert_eq!(gone.status(), 200);
    let got = sink.wait_for(5);
    let text = MessageParser::default()
        .parse(&got[4])
        .unwrap()
        .body_text(0)
        .unwrap()
        .into_owned();
    assert!(
        text.contains("the festival has cancelled the screening"),
        "{text}"
    );
    assert_eq!(
        sink.received.lock().unwrap().len(),
        5,
        "nobody else was mailed"
    );
}

async fn without_an_smtp_server_messages_are_files_the_organiser_can_open(app: TestApp) {
    let f = app.fixture().await;
    let (status, _) = app.book(&f.screening_id, 1, "ana@example.org").await;
    assert_eq!(status, 201);
    let message = first_sent_message(&app).await;
    assert_eq!(message["kind"], "booking");
    assert_eq!(message["to"], "ana@example.org");
    let files: Vec<_> = std::fs::read_dir(app.mail_dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len(), 1, "written to the mail folder");

    let (browser, _) = app.sign_in(&app.organiser_token).await;
    let (_, page) = get_page(&browser, &format!("{}/admin/outbox", app.address)).await;
    assert!(
        page.contains("ana@example.org") && page.contains("sent"),
        "{page}"
    );
    let url = message["open_url"].as_str().unwrap();
    assert!(page.contains(url));
    let opened = browser
        .get(format!("{}{url}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    let bytes = opened.bytes().await.unwrap();
    let parsed = MessageParser::default().parse(&bytes[..]).unwrap();
    assert!(
        parsed
            .subject()
            .unwrap()
            .starts_with("Your tickets: Red Rain")
    );
}

async fn the_box_office_finds_people_whatever_their_accents(app: TestApp) {
    let f = app.fixture().await;
    let mut ids = std::collections::HashMap::new();
    for (name, email) in [
        ("Lê Thu Hà", "thu.ha@example.org"),
        ("Nguyễn Văn Minh", "minh@example.vn"),
        ("Trần Đức Anh", "anh.tran@example.vn"),
        ("Hélène Dupré", "helene@example.fr"),
    ] {
        let response = app
            .client
            .post(format!(
                "{}/screenings/{}/bookings",
                app.api, f.screening_id
            ))
            .json(&json!({"name": name, "email": email, "country": "VN", "seats": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        ids.insert(name, body["booking"]["id"].as_str().unwrap().to_owned());
    }
    let (browser, _) = app.sign_in(&app.organiser_token).await;
    let search = |q: &str| {
        let url = format!("{}/admin/bookings?q={}", app.address, q.replace(' ', "+"));
        let browser = browser.clone();
        async move { get_page(&browser, &url).await.1 }
    };
    for (q, expected) in [
        ("Le Thu", vec!["Lê Thu Hà"]),
        ("Van Minh", vec!["Nguyễn Văn Minh"]),
        ("tran", vec!["Trần Đức Anh"]),
        ("TRAN duc", vec!["Trần Đức Anh"]),
        ("minh nguyen", vec!["Nguyễn Văn Minh"]),
        ("helene", vec!["Hélène Dupré"]),
        ("Dupré", vec!["Hélène Dupré"]),
        ("example.vn", vec!["Nguyễn Văn Minh", "Trần Đức Anh"]),
        ("Thu Minh", vec![]),
    ] {
        let page = search(q).await;
        for (name, id) in &ids {
            let shown = page.contains(&format!("/admin/bookings/{id}"));
            assert_eq!(shown, expected.contains(name), "{q:?} → {name}");
        }
    }
    // A booking from before the words were kept (an older database) is found after a restart.
    let helene_id = &ids["Hélène Dupré"];
    app.run_sql(&format!(
        "DELETE FROM booking_words WHERE booking_id = '{helene_id}'"
    ));
    assert!(!search("helene").await.contains(helene_id.as_str()));
    let _restarted = app.second_instance();
    assert!(search("helene").await.contains(helene_id.as_str()));
    // Through the index: a word's prefix is a range of it.
    if !app.database_url.starts_with("postgres") {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Plan {
            #[diesel(sql_type = diesel::sql_types::Text)]
            detail: String,
        }
        let plan: Vec<Plan> = diesel::sql_query(
            "EXPLAIN QUERY PLAN SELECT booking_id FROM booking_words WHERE word >= 'van' AND word < 'vao'",
        )
        .load(&mut app.pool.get().unwrap())
        .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.detail.contains("USING PRIMARY KEY (word>? AND word<?)")),
            "{:?}",
            plan.iter().map(|p| &p.detail).collect::<Vec<_>>()
        );
    }
}

async fn only_organisers_see_the_outbox_and_find_bookings(app: TestApp) {
    let f = app.fixture().await;
    let (_, booked) = app.book(&f.screening_id, 1, "ana.search@example.org").await;
    let (anonymous, _) = app.get_as("", "/outbox").await;
    assert_eq!(anonymous, 401);
    let (door, _) = app.get_as(&app.door_token, "/outbox").await;
    assert_eq!(door, 403);
    let (organiser, _) = app.get_as(&app.organiser_token, "/outbox").await;
    assert_eq!(organiser, 200);
    let (bad, body) = app
        .get_as(&app.organiser_token, "/outbox?status=lost")
        .await;
    assert_eq!(bad, 422, "{body}");

    let (door_browser, _) = app.sign_in(&app.door_token).await;
    for path in ["/admin/outbox", "/admin/bookings?q=ana"] {
        let r = door_browser
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    let (browser, _) = app.sign_in(&app.organiser_token).await;
    let (_, found) = get_page(
        &browser,
        &format!("{}/admin/bookings?q=SEARCH@", app.address),
    )
    .await;
    let id = booked["booking"]["id"].as_str().unwrap();
    assert!(found.contains(&format!("/admin/bookings/{id}")), "{found}");
    let (_, nothing) = get_page(&browser, &format!("{}/admin/bookings?q=%25", app.address)).await;
    assert!(
        !nothing.contains("/admin/bookings/0"),
        "a % is a literal, not a wildcard"
    );
    // Open the booking, send its tickets again, cancel it.
    let (_, detail) = get_page(&browser, &format!("{}/admin/bookings/{id}", app.address)).await;
    let csrf = csrf_of(&detail);
    let (resent, _) = post_form(
        &browser,
        &format!("{}/admin/bookings/{id}/resend", app.address),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(resent, 303);
    // The booking's page says what was done, once.
    let (_, after) = get_page(&browser, &format!("{}/admin/bookings/{id}", app.address)).await;
    assert!(
        after.contains("The tickets are queued to be mailed again."),
        "{after}"
    );
    // Its messages' times are the venue's (Paris), as every organiser page's, not UTC.
    let (_, messages) = app.get_as(&app.organiser_token, "/outbox").await;
    let queued = chrono::DateTime::parse_from_rfc3339(messages[0]["created_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M")
        .to_string();
    assert!(after.contains(&queued), "{queued} in {after}");
    let (_, again) = get_page(&browser, &format!("{}/admin/bookings/{id}", app.address)).await;
    assert!(!again.contains("queued to be mailed again"));
    let (without_csrf, _) = post_form(
        &browser,
        &format!("{}/admin/bookings/{id}/cancel", app.address),
        &[("csrf", "forged")],
    )
    .await;
    assert_eq!(without_csrf, 403);
    let (cancelled, _) = post_form(
        &browser,
        &format!("{}/admin/bookings/{id}/cancel", app.address),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(cancelled, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE booking_id = '{id}'"
        )),
        3,
        "the booking, the resend and the cancellation"
    );
}

/// The newcomer's path: `marquee serve --demo` with no mail settings writes a booking's message
/// to `mail/` in the working folder, and the organiser opens it from the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_without_mail_settings_writes_messages_to_the_mail_folder() {
    use std::process::{Command, Stdio};
    let folder = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_marquee");
    let database = folder.path().join("marquee.db");
    let created = Command::new(binary)
        .args(["staff", "add", "--role", "organiser", "--name", "Newcomer"])
        .current_dir(folder.path())
        .env("DATABASE_URL", &database)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(created.status.success());
    let organiser = String::from_utf8_lossy(&created.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_owned();
    let port = SmtpSink::reserve_port();
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Killed(
        Command::new(binary)
            .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
            .current_dir(folder.path())
            .env("DATABASE_URL", &database)
            .env("RUST_LOG", "warn")
            .env_remove("MARQUEE_SMTP_URL")
            .env_remove("MARQUEE_MAIL_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::Client::new();
    let api = format!("http://127.0.0.1:{port}/api/v1");
    let started = Instant::now();
    let festivals: Value = loop {
        if let Ok(r) = client.get(format!("{api}/festivals")).send().await
            && r.status() == 200
        {
            break r.json().await.unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "marquee starts"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let festival = festivals[0]["id"].as_str().unwrap();
    let screenings: Value = client
        .get(format!("{api}/festivals/{festival}/screenings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let screening = screenings
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["seats_left"].as_i64() > Some(2) && s["booking_open"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let booked = client
        .post(format!("{api}/screenings/{screening}/bookings"))
        .json(&json!({"name": "Nguyễn Văn An", "email": "an@example.org", "country": "VN", "seats": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    let message = loop {
        let listed: Value = client
            .get(format!("{api}/outbox?status=sent"))
            .bearer_auth(&organiser)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // The demo's three pass holders were mailed too, before the booking.
        let sent = listed.as_array().cloned().unwrap_or_default();
        if let Some(m) = sent.iter().find(|m| m["kind"] == "booking").cloned()
            && sent.len() == 4
        {
            break m;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the messages are written"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let written: Vec<_> = std::fs::read_dir(folder.path().join("mail"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(
        written.len(),
        4,
        "one .eml in ./mail per message: 3 passes and the booking"
    );
    let opened = client
        .get(format!(
            "http://127.0.0.1:{port}{}",
            message["open_url"].as_str().unwrap()
        ))
        .bearer_auth(&organiser)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    let bytes = opened.bytes().await.unwrap();
    let parsed = MessageParser::default().parse(&bytes[..]).unwrap();
    assert_eq!(
        parsed
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address()),
        Some("an@example.org")
    );
}

async fn tickets_of_a_booking_cancelled_before_they_are_mailed_are_not_sent(app: TestApp) {
    let f = app.fixture().await;
    let (_, booked) = app.book(&f.screening_id, 2, "quick@example.org").await;
    let id = booked["booking"]["id"].as_str().unwrap();
    let cancelled = app
        .delete_as(&app.organiser_token, &format!("/bookings/{id}"))
        .await;
    assert_eq!(cancelled.status(), 200);
    // Composed now (as a sender that reaches it late would), the tickets message is nothing.
    use diesel::prelude::*;
    use marquee::db::schema::outbox;
    let mut conn = app.pool.get().unwrap();
    let row_id: String = outbox::table
        .filter(outbox::booking_id.eq(id))
        .filter(outbox::kind.eq("booking"))
        .select(outbox::id)
        .first(&mut conn)
        .unwrap();
    let row = marquee::db::outbox::get(&mut conn, &row_id)
        .unwrap()
        .unwrap();
    let composed = marquee::mail::compose::compose(
        &mut conn,
        &row,
        &marquee::mail::compose::Context {
            public_url: app.address.clone(),
            from: "Festival <tickets@example.org>".parse().unwrap(),
            now: chrono::Utc::now().naive_utc(),
        },
    )
    .unwrap();
    assert!(composed.message.is_none());
    assert!(composed.subject.starts_with("Not sent"));
}

async fn the_find_my_tickets_page_keeps_the_input_and_answers_alike(app: TestApp) {
    let f = app.fixture().await;
    app.book(&f.screening_id, 1, "page@example.org").await;
    let browser = crate::helpers::new_browser();
    let (_, form) = get_page(&browser, &format!("{}/tickets", app.address)).await;
    let csrf = csrf_of(&form);
    let post = |email: &'static str| {
        let (browser, url, csrf) = (
            browser.clone(),
            format!("{}/tickets", app.address),
            csrf.clone(),
        );
        async move {
            let r = browser
                .post(url)
                .form(&[("email", email), ("csrf", csrf.as_str())])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, bad) = post("not an address").await;
    assert_eq!(status, 422);
    assert!(bad.contains("value=\"not an address\"") && bad.contains("aria-invalid=\"true\""));
    let (known_status, known) = post("page@example.org").await;
    let (unknown_status, unknown) = post("nobody@example.org").await;
    assert_eq!((known_status, unknown_status), (200, 200));
    assert!(known.contains("is on its way"));
    let strip = |page: &str| page.replace(&csrf, "");
    assert_eq!(strip(&known), strip(&unknown), "the same page whoever asks");
    // Both requests did the same work (one queued message each); only the known one is mailed.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'find_tickets'"),
        2
    );
    let started = Instant::now();
    while app
        .count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'find_tickets' AND status = 'sent'")
        < 2
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "both are handled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'find_tickets' AND file IS NOT NULL"
        ),
        1,
        "only the known address is mailed"
    );
}

async fn an_organiser_sends_a_message_again(app: TestApp) {
    let f = app.fixture().await;
    app.book(&f.screening_id, 1, "again@example.org").await;
    let message = first_sent_message(&app).await;
    let id = message["id"].as_str().unwrap();
    let resent = app
        .post_as(
            &app.organiser_token,
            &format!("/outbox/{id}/resend"),
            &json!({}),
        )
        .await;
    assert_eq!(resent.status(), 202);
    // Sent again: a second file, the same row sent once more.
    let started = Instant::now();
    while std::fs::read_dir(app.mail_dir.path()).unwrap().count() < 2 {
        assert!(started.elapsed() < Duration::from_secs(20), "sent again");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let missing = app
        .post_as(
            &app.organiser_token,
            &format!("/outbox/{}/resend", uuid::Uuid::new_v4()),
            &json!({}),
        )
        .await;
    assert_eq!(missing.status(), 404);
    let door = app
        .post_as(&app.door_token, &format!("/outbox/{id}/resend"), &json!({}))
        .await;
    assert_eq!(door.status(), 403);
}

async fn the_waiting_list_mails_a_place_and_an_offer_whose_link_claims_the_seats(
    app: TestApp,
    sink: SmtpSink,
) {
    let f = app.fixture().await;
    let s = crate::waitlist::small_screening(&app, &f, 1).await;
    let (_, holder) = app.book(&s, 1, "holder@example.org").await;
    let (status, _) = crate::waitlist::join(&app, &s, 1, "linh@example.org").await;
    assert_eq!(status, 201);
    let id = holder["booking"]["id"].as_str().unwrap();
    app.delete_as(&app.organiser_token, &format!("/bookings/{id}"))
        .await;
    // Linh's place in line and the offer. (The holder's own tickets may never be mailed: a
    // booking cancelled before its mail went out is not sent, by design.)
    let to_linh = |prefix: &str| {
        let started = Instant::now();
        loop {
            let found = sink.received.lock().unwrap().iter().find_map(|raw| {
                let m = MessageParser::default().parse(raw)?;
                let to_linh = m.to().and_then(|t| t.first()).and_then(|a| a.address())
                    == Some("linh@example.org");
                (to_linh && m.subject().is_some_and(|s| s.starts_with(prefix))).then(|| {
                    m.body_text(0)
                        .map(std::borrow::Cow::into_owned)
                        .unwrap_or_default()
                })
            });
            if let Some(body) = found {
                return body;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no {prefix:?} message to linh"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let place = to_linh("On the waiting list");
    assert!(place.contains("Red Rain"), "{place}");
    let offer = to_linh("Seats for you");
    assert!(
        offer.contains("We are holding 1 seat for you until"),
        "{offer}"
    );
    let link = offer
        .split_whitespace()
        .find(|w| w.contains("/waitlist/"))
        .unwrap_or_else(|| panic!("a claim link in {offer}"));
    let token: String = link
        .rsplit("/waitlist/")
        .next()
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    // The link in the mail opens the entry and claims the seat.
    let entry = crate::waitlist::entry(&app, &token).await;
    assert_eq!(entry["status"], "offered");
    let claimed = app
        .client
        .post(format!("{}/waitlist/{token}/claim", app.api))
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), 201);
    // …and the tickets follow by mail, as for any booking.
    let tickets = to_linh("Your tickets");
    assert!(tickets.contains("Red Rain"), "{tickets}");
}

async fn each_person_is_mailed_in_their_own_language(app: TestApp, sink: SmtpSink) {
    let f = app.fixture().await;
    // No preference: English.
    let (status, _) = app.book(&f.screening_id, 1, "en@example.org").await;
    assert_eq!(status, 201);
    // The booker's browser asks for French.
    let french = app
        .client
        .post(format!("{}/screenings/{}/bookings", app.api, f.screening_id))
        .header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
        .json(&json!({"name": "Camille Martin", "email": "fr@example.org", "country": "FR", "seats": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(french.status(), 201);
    // The booking form of a page opened in Vietnamese (?lang=vi, remembered in a cookie).
    let browser = crate::helpers::new_browser();
    let (_, page) = get_page(
        &browser,
        &format!("{}/screenings/{}?lang=vi", app.address, f.screening_id),
    )
    .await;
    let csrf = csrf_of(&page);
    let booked = browser
        .post(format!(
            "{}/screenings/{}/book",
            app.address, f.screening_id
        ))
        .form(&[
            ("name", "Nguyễn Thị Lan"),
            ("email", "vi@example.org"),
            ("country", "VN"),
            ("seats", "1"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 303);
    // An invitation names its guest's language, whatever the organiser reads; only en, fr, vi.
    let invite = |lang: &'static str| {
        json!({"name": "Guest", "email": "guest@example.org", "country": "DE", "seats": 1,
               "category": "press", "lang": lang})
    };
    let path = format!("/screenings/{}/invitations", f.screening_id);
    let refused = app
        .post_as(&app.organiser_token, &path, &invite("de"))
        .await;
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["field"], "lang", "{refused}");
    let invited = app
        .post_as(&app.organiser_token, &path, &invite("fr"))
        .await;
    assert_eq!(invited.status(), 201);
    // The organiser's invitation form offers the three, its page's language first chosen.
    let (organiser, _) = app.sign_in(&app.organiser_token).await;
    let edit = format!("{}/admin/screenings/{}/edit", app.address, f.screening_id);
    let (_, form) = get_page(&organiser, &edit).await;
    assert!(
        form.contains(r#"<option value="en" lang="en" selected>"#)
            && form.contains(r#"<option value="vi" lang="vi">Tiếng Việt</option>"#),
        "{form}"
    );
    let (status, _) = post_form(
        &organiser,
        &format!(
            "{}/admin/screenings/{}/invitations",
            app.address, f.screening_id
        ),
        &[
            ("csrf", csrf_of(&form).as_str()),
            ("name", "Trần Minh"),
            ("email", "minh@example.org"),
            ("country", "VN"),
            ("category", "jury"),
            ("seats", "1"),
            ("lang", "vi"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    // "Find my tickets" answers in the language it was asked in.
    let asked = app
        .client
        .post(format!("{}/find-my-tickets", app.api))
        .header("Accept-Language", "vi")
        .json(&json!({"email": "en@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);

    let english = mails_to(&sink, "en@example.org", 2);
    let en = english
        .iter()
        .find(|m| m.subject.starts_with("Your tickets: Red Rain"))
        .expect("the English booking's tickets");
    assert_eq!(en.lang, "en");
    assert!(en.html.contains("<html lang=\"en\">"));
    assert!(
        english_weekday(&en.subject) && english_weekday(&en.text),
        "{}",
        en.text
    );
    let found = english
        .iter()
        .find(|m| m.lang != "en")
        .expect("the find-my-tickets message");
    assert_eq!(found.lang, "vi");
    assert!(!english_weekday(&found.text), "{}", found.text);
    // Every message: its own Message-ID, a page that fits a phone, the footer's address a link,
    // and attachments named in the reader's language.
    let footer_link = format!("<a href=\"{}/tickets\"", app.address);
    assert!(
        en.message_id.contains('@') && en.message_id.ends_with("127.0.0.1"),
        "{}",
        en.message_id
    );
    assert!(
        en.html
            .contains("name=\"viewport\" content=\"width=device-width")
    );
    assert!(en.html.contains(&footer_link), "{}", en.html);
    assert_eq!(en.files, ["tickets.pdf", "screening.ics"]);
    for (to, lang) in [
        ("fr@example.org", "fr"),
        ("vi@example.org", "vi"),
        ("guest@example.org", "fr"),
        ("minh@example.org", "vi"),
    ] {
        let m = mails_to(&sink, to, 1).remove(0);
        assert_eq!(m.lang, lang, "{to}");
        assert!(
            !m.message_id.is_empty() && m.message_id != en.message_id,
            "{to}"
        );
        assert!(m.html.contains("name=\"viewport\""), "{to}");
        assert!(m.html.contains(&footer_link), "{to}: {}", m.html);
        let files = match lang {
            "fr" => ["billets.pdf", "seance.ics"],
            _ => ["ve.pdf", "suat-chieu.ics"],
        };
        assert_eq!(m.files, files, "{to}");
        // When and where is a sentence of the language, around CLDR's own date and time; no
        // line of the mail starts in lower case (a date pattern's weekday put first).
        let sentence = match lang {
            "fr" => "Rendez-vous le ",
            _ => "Suất chiếu diễn ra vào ",
        };
        assert!(m.text.contains(sentence), "{to}: {}", m.text);
        for line in m.text.lines() {
            let first = line.trim_start().chars().next();
            assert!(
                !first.is_some_and(char::is_lowercase) || line.contains("://"),
                "{to}: {line:?}"
            );
        }
        assert!(m.html.contains(&format!("<html lang=\"{lang}\">")), "{to}");
        assert!(m.subject.contains("Red Rain"), "{to}: {}", m.subject);
        assert_ne!(m.subject, en.subject, "{to}");
        assert!(
            !english_weekday(&m.subject) && !english_weekday(&m.text),
            "{to}: the dates are in {lang}: {}\n{}",
            m.subject,
            m.text
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE lang = 'fr'"),
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE lang = 'vi'"),
        2
    );
}

async fn the_waiting_list_writes_in_the_language_the_entry_was_made_in(
    app: TestApp,
    sink: SmtpSink,
) {
    let f = app.fixture().await;
    let s = crate::waitlist::small_screening(&app, &f, 1).await;
    let (_, holder) = app.book(&s, 1, "holder@example.org").await;
    let joined = app
        .client
        .post(format!("{}/screenings/{s}/waitlist", app.api))
        .header("Accept-Language", "fr")
        .json(
            &json!({"name": "Linh Pham", "email": "linh@example.org", "country": "VN", "seats": 1}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), 201);
    let joined: Value = joined.json().await.unwrap();
    let token = joined["entry"]["manage_token"].as_str().unwrap().to_owned();
    // An organiser (in English) cancels the holder's booking: the seat is offered to Linh, in
    // French; Linh claims it from an English browser, and the tickets still come in French.
    let id = holder["booking"]["id"].as_str().unwrap();
    let cancelled = app
        .delete_as(&app.organiser_token, &format!("/bookings/{id}"))
        .await;
    assert_eq!(cancelled.status(), 200);
    let claimed = app
        .client
        .post(format!("{}/waitlist/{token}/claim", app.api))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), 201);
    let to_linh = mails_to(&sink, "linh@example.org", 3);
    assert_eq!(to_linh.len(), 3, "in line, the offer, the tickets");
    for m in &to_linh {
        assert_eq!(m.lang, "fr", "{}", m.subject);
        assert!(
            !english_weekday(&m.subject) && !english_weekday(&m.text),
            "{}\n{}",
            m.subject,
            m.text
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM waitlist_entries WHERE lang = 'fr'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bookings WHERE lang = 'fr'"),
        1,
        "the claimed seats' booking"
    );
}

async fn a_pass_is_mailed_with_its_code_its_badge_and_the_link_to_its_page(
    app: TestApp,
    sink: SmtpSink,
) {
    let f = app.fixture().await;
    let kind = app
        .create(
            &format!("/festivals/{}/pass-types", f.festival_id),
            json!({"name": "Jury", "category": "jury",
                   "names": {"fr": "Jury du festival", "vi": "Thành viên giám khảo"}}),
        )
        .await;
    let issued = app
        .create(
            &format!("/festivals/{}/passes", f.festival_id),
            json!({"pass_type_id": kind["id"], "name": "Đặng Thái Huyền", "email": "huyen@example.org",
                   "organisation": "Cannes", "country": "VN", "lang": "vi"}),
        )
        .await;
    let code = issued["pass"]["code"].as_str().unwrap().to_owned();
    let raw = sink.wait_for(1).remove(0);
    let message = MessageParser::default().parse(&raw).expect("MIME");
    assert!(
        message.subject().unwrap().contains("Film Week"),
        "{:?}",
        message.subject()
    );
    let text = message.body_text(0).unwrap().into_owned();
    assert!(text.contains("Đặng Thái Huyền"), "{text}");
    assert!(
        text.contains("Ban giám khảo") && text.contains("Thành viên giám khảo"),
        "the category and the type's name in the holder's language: {text}"
    );
    let inline: Vec<String> = message
        .parts
        .iter()
        .filter(|p| {
            p.content_type()
                .is_some_and(|c| c.ctype() == "image" && c.subtype() == Some("png"))
        })
        .flat_map(|p| decode_png(p.contents()))
        .collect();
    assert_eq!(
        inline,
        vec![code.clone()],
        "the inline QR code is the pass's"
    );
    // The link opens the pass's page.
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/pass/"))
        .expect("a link to the pass's page")
        .trim_end_matches(['.', ',']);
    let (status, page) = get_page(&app.client, link).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Đặng Thái Huyền") && page.contains("<svg"),
        "{page}"
    );
    // With a photo set, sent again by an organiser: a second message, with a fresh link, and
    // the photo on the badge.
    let (status, _) = crate::passes::put_photo(
        &app,
        &app.organiser_token,
        &issued["pass"],
        crate::passes::picture(600, 800, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(status, 200);
    let response = app
        .post_as(
            &app.organiser_token,
            &format!("/passes/{}/resend", issued["pass"]["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let again = sink.wait_for(2).remove(1);
    let again = MessageParser::default().parse(&again).unwrap();
    let second = again.body_text(0).unwrap().into_owned();
    assert!(
        second.contains("/pass/") && !second.contains(link),
        "a fresh link"
    );
    let badge = again
        .parts
        .iter()
        .find(|p| p.content_type().is_some_and(|c| c.subtype() == Some("pdf")))
        .expect("a PDF badge");
    if let Some(pictures) = pdf_images(badge.contents()) {
        assert_eq!(pictures, 1, "the photo is on the badge");
    }
    if let Some((pages, _)) = render_pdf(badge.contents()) {
        assert_eq!(
            pages[0],
            vec![code.clone()],
            "the code still reads beside the photo"
        );
    }
    // The badge: one page, its QR the pass's code, the name and organisation real text.
    let pdf = message
        .parts
        .iter()
        .find(|p| p.content_type().is_some_and(|c| c.subtype() == Some("pdf")))
        .expect("a PDF badge");
    let Some((pages, text)) = render_pdf(pdf.contents()) else {
        return;
    };
    assert_eq!(pages.len(), 1, "one badge");
    assert_eq!(pages[0], vec![code]);
    assert!(
        text.contains("Đặng Thái Huyền")
            && text.contains("Cannes")
            && text.contains("Thành viên giám khảo"),
        "{text}"
    );
}
