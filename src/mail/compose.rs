//! What each message says, composed when it is sent (from the database as it is then), with the
//! MIME structure built by `lettre`:
//!
//! ```text
//! multipart/mixed
//! ├── multipart/related
//! │   ├── multipart/alternative: text/plain, text/html (the QR codes as cid: images)
//! │   └── image/png, inline, one per ticket (each decodes to exactly that ticket's code)
//! ├── application/pdf: one ticket per page
//! └── text/calendar: the screening as an event
//! ```
//!
//! Cancellations carry no tickets; "find my tickets" lists every current booking of the address
//! with a manage link. Every manage link in a message is a fresh token ([`add_manage_token`]), so
//! no token is ever kept in clear, in the outbox or anywhere else.

use askama::Template;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use super::ics::{self, CalendarEvent};
use super::pdf::{self, TicketPage};
use crate::booking::pages::manage_url;
use crate::booking::queries::{BookingRow, add_manage_token, booking_row, tickets_of};
use crate::catalogue::queries::{ScreeningListing, festival, screening_listing};
use crate::db::AnyConnection;
use crate::db::outbox::{Kind, OutboxRow};
use crate::db::schema::bookings;
use crate::domain::{BookingId, BookingStatus, TicketStatus};
use crate::error::AppError;
use crate::tickets::qr;
use crate::web::format;

/// What composing needs besides the database.
pub struct Context {
    pub public_url: String,
    pub from: Mailbox,
    pub now: NaiveDateTime,
}

/// A message ready to send, and the subject to show in the outbox.
pub struct Composed {
    pub subject: String,
    /// `None` when there is nothing left to say (tickets of a booking cancelled before they
    /// were mailed: its cancellation message follows); the subject then says why.
    pub message: Option<Message>,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct Html<'a> {
    subject: &'a str,
    festival: &'a str,
    heading: &'a str,
    paragraphs: &'a [String],
    /// (label, address) of the one button.
    link: Option<(&'a str, &'a str)>,
    tickets: &'a [InlineTicket],
    /// (label, address) of each booking listed.
    bookings: &'a [(String, String)],
    footer: &'a str,
}

struct InlineTicket {
    label: String,
    content_id: String,
    png: Vec<u8>,
}

/// Everything a message about one booking says, before it becomes MIME.
struct Draft {
    to: Mailbox,
    subject: String,
    festival: String,
    heading: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
    tickets: Vec<InlineTicket>,
    bookings: Vec<(String, String)>,
    attachments: Vec<SinglePart>,
    footer: String,
}

mod sql {
    diesel::define_sql_function!(
        /// SQL `LOWER`, for matching e-mail addresses whatever their case.
        fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
    );
}
pub(crate) use sql::lower;

/// The last lines of every message: how to find the tickets again.
fn footer(public_url: &str) -> String {
    format!(
        "Sent by the festival's ticketing (Marquee). Lost this message? Your tickets can always be sent again from {public_url}/tickets"
    )
}

pub fn compose(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    ctx: &Context,
) -> Result<Composed, AppError> {
    let draft = match row.kind()? {
        Kind::FindTickets => find_tickets(conn, row, ctx)?,
        kind @ (Kind::WaitlistJoined | Kind::WaitlistOffer) => {
            let entry = row.waitlist_entry_id.as_deref().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("a {kind:?} without a waiting-list entry"))
            })?;
            about_entry(conn, kind, entry, ctx)?
        }
        Kind::Booking
            if row.booking_id.as_deref().is_some_and(|id| {
                booking_row(conn, BookingId::from_db(id))
                    .is_ok_and(|b| b.status == BookingStatus::Cancelled.as_str())
            }) =>
        {
            return Ok(Composed {
                subject: "Not sent: the booking was cancelled before its tickets were mailed"
                    .to_owned(),
                message: None,
            });
        }
        kind => {
            let id = row
                .booking_id
                .as_deref()
                .map(BookingId::from_db)
                .ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("a {kind:?} without a booking"))
                })?;
            about_booking(conn, kind, id, ctx)?
        }
    };
    Ok(Composed {
        subject: draft.subject.clone(),
        message: Some(build(draft, &ctx.from)?),
    })
}

fn recipient(name: &str, email: &str) -> Result<Mailbox, AppError> {
    let address = email
        .parse()
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot mail {email:?}: {e}")))?;
    Ok(Mailbox::new(Some(name.to_owned()), address))
}

fn about_booking(
    conn: &mut AnyConnection,
    kind: Kind,
    id: BookingId,
    ctx: &Context,
) -> Result<Draft, AppError> {
    let booking = booking_row(conn, id)?;
    let listing = screening_listing(
        conn,
        crate::domain::ScreeningId::from_db(&booking.screening_id),
    )?
    .ok_or_else(|| AppError::not_found("screening"))?;
    let festival_name = festival(conn, listing.screening.festival_id)?
        .map(|f| f.name)
        .unwrap_or_default();
    let zone = listing.zone();
    let s = &listing.screening;
    let when = format::when(s.starts_at, zone);
    let film = listing.film.title.clone();
    let place = venue_line(&listing);
    let mut draft = Draft {
        to: recipient(&booking.name, &booking.email)?,
        subject: String::new(),
        festival: festival_name.clone(),
        heading: String::new(),
        paragraphs: Vec::new(),
        link: None,
        tickets: Vec::new(),
        bookings: Vec::new(),
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
    };
    match kind {
        Kind::Booking | Kind::ScreeningChanged => {
            let token = add_manage_token(conn, id, ctx.now)?;
            let manage = manage_url(&ctx.public_url, &token);
            let tickets: Vec<_> = tickets_of(conn, id)?
                .into_iter()
                .filter(|t| t.status == TicketStatus::Valid)
                .collect();
            let changed = kind == Kind::ScreeningChanged;
            draft.subject = if changed {
                format!("Changed: {film}, now {when}")
            } else {
                format!("Your tickets: {film}, {when}")
            };
            draft.heading = if changed {
                format!("{film} has moved")
            } else {
                format!("{film} — your tickets")
            };
            if changed {
                draft.paragraphs.push(
                    "The screening you booked has a new time or place. Your tickets stay valid."
                        .to_owned(),
                );
            }
            draft.paragraphs.extend([
                format!("Hello {},", booking.name),
                format!("{when} ({}) at {place}.", zone.name()),
                format!(
                    "Doors open at {}. Show one code per person at the door, on your phone or printed: every code admits one person once.",
                    format::time_of_day(s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)), zone)
                ),
                format!(
                    "{} attached: one ticket per page (tickets.pdf) and the screening for your calendar (screening.ics).",
                    seats_phrase(tickets.len())
                ),
            ]);
            draft.link = Some((
                "See, print or cancel your tickets".to_owned(),
                manage.clone(),
            ));
            let total = booking.seats;
            let mut pages = Vec::with_capacity(tickets.len());
            for ticket in &tickets {
                let label = format!(
                    "Seat {} of {total} · {} · {}",
                    ticket.seat_number, ticket.category, booking.name
                );
                draft.tickets.push(InlineTicket {
                    label: label.clone(),
                    content_id: format!("ticket-{}@marquee", ticket.id),
                    png: qr::png(&ticket.code)?,
                });
                pages.push(TicketPage {
                    lines: ticket_lines(
                        &festival_name,
                        &listing,
                        &booking,
                        ticket.seat_number,
                        ticket.category.as_str(),
                    ),
                    code: ticket.code.clone(),
                });
            }
            if !pages.is_empty() {
                draft
                    .attachments
                    .push(Attachment::new("tickets.pdf".to_owned()).body(
                        pdf::tickets_pdf(&format!("{festival_name}: {film}"), &pages)?,
                        content_type("application/pdf")?,
                    ));
            }
            draft.attachments.push(calendar(
                &booking,
                &listing,
                &festival_name,
                &manage,
                false,
            )?);
        }
        Kind::Cancellation | Kind::ScreeningCancelled => {
            let by_organiser = kind == Kind::ScreeningCancelled;
            draft.subject = format!("Cancelled: {film}, {when}");
            draft.heading = format!("{film} — cancelled");
            draft.paragraphs.extend([
                format!("Hello {},", booking.name),
                if by_organiser {
                    format!("We are sorry: the festival has cancelled the screening of {film} on {when} at {place}. Your tickets no longer admit anyone.")
                } else {
                    format!("Your booking for {film} on {when} at {place} is cancelled, as you asked. Its tickets no longer admit anyone, and the seats are free for others.")
                },
            ]);
            draft.link = Some((
                "See the programme".to_owned(),
                format!("{}/", ctx.public_url),
            ));
            draft.attachments.push(calendar(
                &booking,
                &listing,
                &festival_name,
                &format!("{}/", ctx.public_url),
                true,
            )?);
        }
        Kind::FindTickets | Kind::WaitlistJoined | Kind::WaitlistOffer => {
            return Err(AppError::internal(anyhow::anyhow!(
                "a {kind:?} message is not about one booking"
            )));
        }
    }
    Ok(draft)
}

/// A place on a waiting list, or seats offered from it: with a fresh private link.
fn about_entry(
    conn: &mut AnyConnection,
    kind: Kind,
    id: &str,
    ctx: &Context,
) -> Result<Draft, AppError> {
    use crate::booking::waitlist::{self, EntryStatus};
    let entry = waitlist::entry(conn, id)?;
    let listing = screening_listing(
        conn,
        crate::domain::ScreeningId::from_db(&entry.screening_id),
    )?
    .ok_or_else(|| AppError::not_found("screening"))?;
    let festival_name = festival(conn, listing.screening.festival_id)?
        .map(|f| f.name)
        .unwrap_or_default();
    let zone = listing.zone();
    let when = format::when(listing.screening.starts_at, zone);
    let film = listing.film.title.clone();
    let place = venue_line(&listing);
    let token = waitlist::add_token(conn, &entry.id, ctx.now)?;
    let link = crate::booking::waitlist_api::entry_url(&ctx.public_url, &token);
    let seats = match entry.seats {
        1 => "1 seat".to_owned(),
        n => format!("{n} seats"),
    };
    let mut draft = Draft {
        to: recipient(&entry.name, &entry.email)?,
        subject: String::new(),
        festival: festival_name,
        heading: String::new(),
        paragraphs: vec![format!("Hello {},", entry.name)],
        link: None,
        tickets: Vec::new(),
        bookings: Vec::new(),
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
    };
    if kind == Kind::WaitlistOffer {
        let until = entry
            .offer_expires_at
            .map(|t| {
                format!(
                    "{} on {}",
                    format::time_of_day(t, zone),
                    format::day(t, zone)
                )
            })
            .unwrap_or_default();
        draft.subject = format!("Seats for you: {film}, {when}");
        draft.heading = format!("{film} — seats for you");
        if entry.status()? == EntryStatus::Offered {
            draft.paragraphs.extend([
                format!("Seats have freed up for {film} on {when} at {place}, and you are next on the waiting list."),
                format!("{seats}: held for you until {until} ({}). Claim them with the link below: your tickets come at once. If you do not claim them by then, they go to the next person in line.", zone.name()),
            ]);
            draft.link = Some(("Claim my seats".to_owned(), link));
        } else {
            draft.paragraphs.push(format!(
                "Seats were offered to you for {film} on {when}, but the offer is no longer open."
            ));
            draft.link = Some(("See my waiting-list entry".to_owned(), link));
        }
    } else {
        draft.subject = format!("On the waiting list: {film}, {when}");
        draft.heading = format!("{film} — waiting list");
        draft.paragraphs.extend([
            format!("You are on the waiting list for {film} on {when} at {place}, for {seats}."),
            "When seats free up, they are offered in order; we will write to you, and hold them for you for a limited time.".to_owned(),
        ]);
        draft.link = Some(("See my place or leave the list".to_owned(), link));
    }
    Ok(draft)
}

fn find_tickets(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    ctx: &Context,
) -> Result<Draft, AppError> {
    let email = row.recipient.trim().to_lowercase();
    let found: Vec<BookingRow> = bookings::table
        .filter(lower(bookings::email).eq(&email))
        .filter(bookings::status.eq(BookingStatus::Confirmed.as_str()))
        .select(BookingRow::as_select())
        .order(bookings::created_at.asc())
        .load(conn)?;
    let name = found.first().map_or_else(String::new, |b| b.name.clone());
    let mut listed = Vec::with_capacity(found.len());
    let mut festival_name = String::new();
    for booking in &found {
        let Some(listing) = screening_listing(
            conn,
            crate::domain::ScreeningId::from_db(&booking.screening_id),
        )?
        else {
            continue;
        };
        if festival_name.is_empty() {
            festival_name = festival(conn, listing.screening.festival_id)?
                .map(|f| f.name)
                .unwrap_or_default();
        }
        let token = add_manage_token(conn, BookingId::from_db(&booking.id), ctx.now)?;
        listed.push((
            format!(
                "{}, {} at {} — {}",
                listing.film.title,
                format::when(listing.screening.starts_at, listing.zone()),
                listing.venue.name,
                seats_phrase(usize::try_from(booking.seats).unwrap_or_default())
            ),
            manage_url(&ctx.public_url, &token),
        ));
    }
    let count = listed.len();
    Ok(Draft {
        to: recipient(&name, &row.recipient)?,
        subject: "Your tickets".to_owned(),
        festival: festival_name,
        heading: "Your tickets".to_owned(),
        paragraphs: vec![
            if name.is_empty() {
                "Hello,".to_owned()
            } else {
                format!("Hello {name},")
            },
            format!(
                "Someone (we hope you) asked for the tickets booked with this address. {} Each link below shows the tickets, to print or to cancel.",
                match count {
                    1 => "There is one booking.".to_owned(),
                    n => format!("There are {n} bookings."),
                }
            ),
        ],
        link: None,
        tickets: Vec::new(),
        bookings: listed,
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
    })
}

fn seats_phrase(n: usize) -> String {
    match n {
        1 => "1 ticket".to_owned(),
        n => format!("{n} tickets"),
    }
}

fn venue_line(listing: &ScreeningListing) -> String {
    let v = &listing.venue;
    let mut line = format!("{}, {}", v.name, listing.screening.room);
    if !v.address.is_empty() {
        line.push_str(", ");
        line.push_str(&v.address);
    }
    line
}

/// The lines printed on a ticket's PDF page.
fn ticket_lines(
    festival_name: &str,
    listing: &ScreeningListing,
    booking: &BookingRow,
    seat: i32,
    category: &str,
) -> Vec<String> {
    let zone = listing.zone();
    let s = &listing.screening;
    vec![
        festival_name.to_owned(),
        listing.film.title.clone(),
        format!("{} ({})", format::when(s.starts_at, zone), zone.name()),
        format!(
            "Doors open {}",
            format::time_of_day(
                s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)),
                zone
            )
        ),
        format!("{}, {}", listing.venue.name, s.room),
        listing.venue.address.clone(),
        format!("Seat {seat} of {} · {category}", booking.seats),
        booking.name.clone(),
    ]
}

fn calendar(
    booking: &BookingRow,
    listing: &ScreeningListing,
    festival_name: &str,
    url: &str,
    cancelled: bool,
) -> Result<SinglePart, AppError> {
    let summary = format!("{} — {festival_name}", listing.film.title);
    let description = format!(
        "{} ticket(s) for {}. Doors open {} minutes before the start. {url}",
        booking.seats, booking.name, listing.screening.doors_open_minutes
    );
    let uid = format!("{}@marquee", booking.id);
    let location = venue_line(listing);
    let body = ics::event(&CalendarEvent {
        uid: &uid,
        summary: &summary,
        description: &description,
        location: &location,
        url,
        starts_at: listing.screening.starts_at,
        ends_at: listing.screening.ends_at,
        sequence: u32::try_from(chrono::Utc::now().timestamp() / 60).unwrap_or_default(),
        cancelled,
    });
    Ok(Attachment::new("screening.ics".to_owned()).body(
        body,
        content_type(if cancelled {
            "text/calendar; charset=utf-8; method=CANCEL"
        } else {
            "text/calendar; charset=utf-8; method=PUBLISH"
        })?,
    ))
}

fn content_type(value: &str) -> Result<ContentType, AppError> {
    ContentType::parse(value)
        .map_err(|e| AppError::internal(anyhow::anyhow!("bad content type {value}: {e}")))
}

fn text_body(d: &Draft) -> String {
    let mut text = format!("{}\n\n{}\n\n", d.festival, d.heading);
    for p in &d.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some((label, href)) = &d.link {
        text.push_str(&format!("{label}: {href}\n\n"));
    }
    for (label, href) in &d.bookings {
        text.push_str(&format!("- {label}\n  {href}\n"));
    }
    if !d.bookings.is_empty() {
        text.push('\n');
    }
    text.push_str(&d.footer);
    text.push('\n');
    text
}

fn build(d: Draft, from: &Mailbox) -> Result<Message, AppError> {
    let html = Html {
        subject: &d.subject,
        festival: &d.festival,
        heading: &d.heading,
        paragraphs: &d.paragraphs,
        link: d.link.as_ref().map(|(l, h)| (l.as_str(), h.as_str())),
        tickets: &d.tickets,
        bookings: &d.bookings,
        footer: &d.footer,
    }
    .render()
    .map_err(AppError::internal)?;
    let mut related =
        MultiPart::related().multipart(MultiPart::alternative_plain_html(text_body(&d), html));
    for ticket in &d.tickets {
        related = related.singlepart(
            Attachment::new_inline(ticket.content_id.clone())
                .body(ticket.png.clone(), content_type("image/png")?),
        );
    }
    let mut mixed = MultiPart::mixed().multipart(related);
    for attachment in d.attachments {
        mixed = mixed.singlepart(attachment);
    }
    Message::builder()
        .from(from.clone())
        .to(d.to)
        .subject(d.subject)
        .multipart(mixed)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot build the message: {e}")))
}
