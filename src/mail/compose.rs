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
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use super::ics::{self, CalendarEvent};
use super::pdf::{self, TicketPage};
use crate::booking::queries::{BookingRow, add_manage_token, booking_row, tickets_of};
use crate::catalogue::queries::{ScreeningListing, festival, screening_listing};
use crate::db::AnyConnection;
use crate::db::outbox::{Kind, OutboxRow};
use crate::db::schema::{bookings, waitlist_entries};
use crate::domain::format;
use crate::domain::{BookingId, BookingStatus, TicketCategory, TicketStatus};
use crate::error::{AppError, Thing};
use crate::i18n::{self, Lang};
use crate::msg;
use crate::tickets::qr;
use crate::web::links;

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
    /// The language code, for `<html lang>`.
    lang: &'a str,
    subject: &'a str,
    festival: &'a str,
    heading: &'a str,
    paragraphs: &'a [String],
    /// (label, address) of the one button.
    link: Option<(&'a str, &'a str)>,
    tickets: &'a [InlineTicket],
    /// (label, address) of each booking listed.
    bookings: &'a [(String, String)],
    /// The footer around its link: (before, address, after).
    footer: (&'a str, &'a str, &'a str),
    /// (label, address) of the privacy links.
    privacy: &'a [(String, String)],
}

struct InlineTicket {
    label: String,
    /// The image's text alternative.
    alt: String,
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
    /// (label, address) of the privacy links every message ends with: the festival's notice,
    /// and the recipient's data and choices.
    privacy: Vec<(String, String)>,
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
    msg!(
        "mail-footer",
        url = links::absolute(public_url, links::FIND_TICKETS)
    )
    .to_string()
}

/// Composes a message in its recipient's language (the outbox row's): words, dates and times.
pub fn compose(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    ctx: &Context,
) -> Result<Composed, AppError> {
    let lang = row.lang()?;
    i18n::with(lang, || compose_in(conn, row, ctx, lang))
}

fn compose_in(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    ctx: &Context,
    lang: Lang,
) -> Result<Composed, AppError> {
    let booking = (row.booking_id.as_deref())
        .map(|id| BookingId::from_db("outbox.booking_id", id))
        .transpose()?;
    // Queued for someone whose details were erased since (a screening changed, say): there is
    // nobody to write to any more.
    if row.recipient.trim().is_empty() {
        return Ok(Composed {
            subject: i18n::t("mail-not-sent-erased"),
            message: None,
        });
    }
    let draft = match row.kind()? {
        Kind::DataAccess => match data_access(conn, row, ctx)? {
            Some(draft) => draft,
            None => {
                return Ok(Composed {
                    subject: i18n::t("mail-not-sent-nothing-held"),
                    message: None,
                });
            }
        },
        Kind::FindTickets => match find_tickets(conn, row, ctx)? {
            Some(draft) => draft,
            // Asked for an address that has no current booking: nothing to tell it.
            None => {
                return Ok(Composed {
                    subject: i18n::t("mail-not-sent-no-bookings"),
                    message: None,
                });
            }
        },
        kind @ (Kind::WaitlistJoined | Kind::WaitlistOffer) => {
            let entry = row.waitlist_entry_id.as_deref().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("a {kind:?} without a waiting-list entry"))
            })?;
            about_entry(conn, kind, entry, ctx)?
        }
        Kind::Pass => {
            let pass = row.pass_id.as_deref().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("a pass message without a pass"))
            })?;
            match about_pass(conn, pass, ctx)? {
                Some(draft) => draft,
                None => {
                    return Ok(Composed {
                        subject: i18n::t("mail-not-sent-pass-revoked"),
                        message: None,
                    });
                }
            }
        }
        kind @ (Kind::StaffInvitation | Kind::StaffSignIn) => match to_staff(conn, row, kind, ctx)?
        {
            Some(draft) => draft,
            None => {
                return Ok(Composed {
                    subject: i18n::t("mail-not-sent-staff-revoked"),
                    message: None,
                });
            }
        },
        Kind::Booking if is_cancelled(conn, booking)? => {
            return Ok(Composed {
                subject: i18n::t("mail-not-sent-cancelled"),
                message: None,
            });
        }
        kind => {
            let id = booking.ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("a {kind:?} without a booking"))
            })?;
            about_booking(conn, kind, id, ctx)?
        }
    };
    Ok(Composed {
        subject: draft.subject.clone(),
        message: Some(build(draft, ctx, lang)?),
    })
}

/// Whether the booking a message is about has been cancelled since the message was queued.
fn is_cancelled(conn: &mut AnyConnection, booking: Option<BookingId>) -> Result<bool, AppError> {
    let Some(id) = booking else {
        return Ok(false);
    };
    let row = booking_row(conn, id)?;
    Ok(BookingStatus::from_db("bookings.status", &row.status)? == BookingStatus::Cancelled)
}

/// The recipient's mailbox. Its error names what is wrong with the address, never the address
/// itself: it is logged and shown in the outbox, and an address is personal data.
fn recipient(name: &str, email: &str) -> Result<Mailbox, AppError> {
    let address = email.parse().map_err(|e| {
        AppError::internal(anyhow::anyhow!(
            "the recipient's address cannot be used: {e}"
        ))
    })?;
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_owned()),
        address,
    ))
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
        crate::domain::ScreeningId::from_db("bookings.screening_id", &booking.screening_id)?,
    )?
    .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let (festival_name, festival_slug) = festival(conn, listing.screening.festival_id)?
        .map(|f| (f.name, f.slug))
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
        privacy: privacy_links(conn, Some(&festival_slug), &booking.email, ctx)?,
    };
    match kind {
        Kind::Booking | Kind::ScreeningChanged => {
            let token = add_manage_token(conn, id, ctx.now)?;
            let manage = links::absolute(&ctx.public_url, &links::manage(&token));
            let tickets: Vec<_> = tickets_of(conn, id)?
                .into_iter()
                .filter(|t| t.status == TicketStatus::Valid)
                .collect();
            let changed = kind == Kind::ScreeningChanged;
            draft.subject = if changed {
                msg!("mail-changed-subject", film = &film, when = &when).to_string()
            } else {
                msg!("mail-tickets-subject", film = &film, when = &when).to_string()
            };
            draft.heading = if changed {
                msg!("mail-changed-heading", film = &film).to_string()
            } else {
                msg!("mail-tickets-heading", film = &film).to_string()
            };
            // The greeting first; a changed screening says so right after it.
            draft
                .paragraphs
                .push(msg!("mail-hello", name = &booking.name).to_string());
            if changed {
                draft.paragraphs.push(i18n::t("mail-changed-intro"));
            }
            let doors = format::time_of_day(
                s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)),
                zone,
            );
            draft.paragraphs.extend([
                msg!(
                    "mail-when-where",
                    when = &when,
                    zone = zone.name(),
                    place = &place
                )
                .to_string(),
                msg!("mail-doors-open", time = doors).to_string(),
                msg!("mail-attached", count = tickets.len()).to_string(),
            ]);
            draft.link = Some((i18n::t("mail-manage-link"), manage.clone()));
            let total = booking.seats;
            let mut pages = Vec::with_capacity(tickets.len());
            for ticket in &tickets {
                let label = msg!(
                    "mail-ticket-label",
                    seat = ticket.seat_number,
                    seats = total,
                    category = ticket.category.label(),
                    name = &booking.name,
                )
                .to_string();
                draft.tickets.push(InlineTicket {
                    alt: msg!("mail-qr-alt", ticket = &label).to_string(),
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
                        ticket.category,
                    ),
                    code: ticket.code.clone(),
                    band: None,
                    photo: None,
                });
            }
            if !pages.is_empty() {
                draft.attachments.push(
                    Attachment::new(format!("{}.pdf", i18n::t("mail-file-tickets"))).body(
                        pdf::tickets_pdf(
                            &msg!("mail-pdf-title", festival = &festival_name, film = &film)
                                .to_string(),
                            &pages,
                        )?,
                        content_type("application/pdf")?,
                    ),
                );
            }
            draft.attachments.push(calendar(
                &booking,
                &listing,
                &festival_name,
                &manage,
                false,
            )?);
        }
        // Some seats given back, the booking still stands: the holder keeps the others.
        Kind::Cancellation if booking.status == BookingStatus::Confirmed.as_str() => {
            let tickets = tickets_of(conn, id)?;
            let cancelled = tickets
                .iter()
                .filter(|t| t.status == TicketStatus::Cancelled)
                .count();
            let kept = tickets.len() - cancelled;
            draft.subject =
                msg!("mail-seats-cancelled-subject", film = &film, when = &when).to_string();
            draft.heading = msg!("mail-seats-cancelled-heading", film = &film).to_string();
            draft.paragraphs.extend([
                msg!("mail-hello", name = &booking.name).to_string(),
                msg!(
                    "mail-seats-cancelled",
                    cancelled = cancelled,
                    kept = kept,
                    film = &film,
                    when = &when
                )
                .to_string(),
            ]);
            let token = add_manage_token(conn, id, ctx.now)?;
            draft.link = Some((
                i18n::t("mail-manage-link"),
                links::absolute(&ctx.public_url, &links::manage(&token)),
            ));
        }
        Kind::Cancellation | Kind::ScreeningCancelled => {
            let by_organiser = kind == Kind::ScreeningCancelled;
            draft.subject = msg!("mail-cancelled-subject", film = &film, when = &when).to_string();
            draft.heading = msg!("mail-cancelled-heading", film = &film).to_string();
            draft.paragraphs.extend([
                msg!("mail-hello", name = &booking.name).to_string(),
                if by_organiser {
                    msg!(
                        "mail-screening-cancelled",
                        film = &film,
                        when = &when,
                        place = &place
                    )
                    .to_string()
                } else {
                    msg!(
                        "mail-booking-cancelled",
                        film = &film,
                        when = &when,
                        place = &place
                    )
                    .to_string()
                },
            ]);
            draft.link = Some((
                i18n::t("mail-programme-link"),
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
        Kind::FindTickets
        | Kind::WaitlistJoined
        | Kind::WaitlistOffer
        | Kind::DataAccess
        | Kind::Pass
        | Kind::StaffInvitation
        | Kind::StaffSignIn => {
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
        crate::domain::ScreeningId::from_db("waitlist_entries.screening_id", &entry.screening_id)?,
    )?
    .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let (festival_name, festival_slug) = festival(conn, listing.screening.festival_id)?
        .map(|f| (f.name, f.slug))
        .unwrap_or_default();
    let zone = listing.zone();
    let when = format::when(listing.screening.starts_at, zone);
    let film = listing.film.title.clone();
    let place = venue_line(&listing);
    let token = waitlist::add_token(conn, &entry.id, ctx.now)?;
    let link = links::absolute(&ctx.public_url, &links::waitlist_entry(&token));
    let seats = entry.seats;
    let mut draft = Draft {
        to: recipient(&entry.name, &entry.email)?,
        subject: String::new(),
        festival: festival_name,
        heading: String::new(),
        paragraphs: vec![msg!("mail-hello", name = &entry.name).to_string()],
        link: None,
        tickets: Vec::new(),
        bookings: Vec::new(),
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
        privacy: privacy_links(conn, Some(&festival_slug), &entry.email, ctx)?,
    };
    if kind == Kind::WaitlistOffer {
        let (until_time, until_day) = entry
            .offer_expires_at
            .map(|t| (format::time_of_day(t, zone), format::day(t, zone)))
            .unwrap_or_default();
        draft.subject = msg!("mail-offer-subject", film = &film, when = &when).to_string();
        draft.heading = msg!("mail-offer-heading", film = &film).to_string();
        if entry.status()? == EntryStatus::Offered {
            draft.paragraphs.extend([
                msg!(
                    "mail-offer-freed",
                    film = &film,
                    when = &when,
                    place = &place
                )
                .to_string(),
                msg!(
                    "mail-offer-held",
                    seats = seats,
                    time = until_time,
                    day = until_day,
                    zone = zone.name(),
                )
                .to_string(),
            ]);
            draft.link = Some((i18n::t("mail-offer-claim-link"), link));
        } else {
            draft
                .paragraphs
                .push(msg!("mail-offer-closed", film = &film, when = &when).to_string());
            draft.link = Some((i18n::t("mail-offer-entry-link"), link));
        }
    } else {
        draft.subject = msg!("mail-waitlist-subject", film = &film, when = &when).to_string();
        draft.heading = msg!("mail-waitlist-heading", film = &film).to_string();
        draft.paragraphs.extend([
            msg!(
                "mail-waitlist-joined",
                film = &film,
                when = &when,
                place = &place,
                seats = seats,
            )
            .to_string(),
            i18n::t("mail-waitlist-explained"),
        ]);
        draft.link = Some((i18n::t("mail-waitlist-link"), link));
    }
    Ok(draft)
}

/// Every current booking of the address, with fresh manage links; `None` when it has none.
fn find_tickets(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    ctx: &Context,
) -> Result<Option<Draft>, AppError> {
    let email = row.recipient.trim().to_lowercase();
    let found: Vec<BookingRow> = bookings::table
        .filter(lower(bookings::email).eq(&email))
        .filter(bookings::status.eq(BookingStatus::Confirmed.as_str()))
        .select(BookingRow::as_select())
        .order(bookings::created_at.asc())
        .load(conn)?;
    if found.is_empty() {
        return Ok(None);
    }
    let name = found.first().map_or_else(String::new, |b| b.name.clone());
    let mut listed = Vec::with_capacity(found.len());
    let (mut festival_name, mut festival_slug) = (String::new(), String::new());
    for booking in &found {
        let Some(listing) = screening_listing(
            conn,
            crate::domain::ScreeningId::from_db("bookings.screening_id", &booking.screening_id)?,
        )?
        else {
            continue;
        };
        if festival_name.is_empty() {
            (festival_name, festival_slug) = festival(conn, listing.screening.festival_id)?
                .map(|f| (f.name, f.slug))
                .unwrap_or_default();
        }
        let id = BookingId::from_db("bookings.id", &booking.id)?;
        // The seats it still holds: some may have been given back one by one.
        let held = tickets_of(conn, id)?
            .iter()
            .filter(|t| t.status == TicketStatus::Valid)
            .count();
        let token = add_manage_token(conn, id, ctx.now)?;
        listed.push((
            msg!(
                "mail-find-booking",
                film = &listing.film.title,
                when = format::when(listing.screening.starts_at, listing.zone()),
                venue = &listing.venue.name,
                seats = held,
            )
            .to_string(),
            links::absolute(&ctx.public_url, &links::manage(&token)),
        ));
    }
    let count = listed.len();
    Ok(Some(Draft {
        to: recipient(&name, &row.recipient)?,
        subject: i18n::t("mail-find-subject"),
        festival: festival_name,
        heading: i18n::t("mail-find-heading"),
        paragraphs: vec![
            if name.is_empty() {
                i18n::t("mail-hello-anonymous")
            } else {
                msg!("mail-hello", name = &name).to_string()
            },
            msg!("mail-find-intro", count = count).to_string(),
        ],
        link: None,
        tickets: Vec::new(),
        bookings: listed,
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
        privacy: privacy_links(conn, Some(&festival_slug), &row.recipient, ctx)?,
    }))
}

/// The links every message ends with: the festival's privacy notice (when the message is about
/// one) and a fresh link to the recipient's data and choices (withdrawing consent, erasure).
fn privacy_links(
    conn: &mut AnyConnection,
    festival_slug: Option<&str>,
    email: &str,
    ctx: &Context,
) -> Result<Vec<(String, String)>, AppError> {
    let mut links = Vec::with_capacity(2);
    if let Some(slug) = festival_slug.filter(|s| !s.is_empty()) {
        links.push((
            i18n::t("mail-privacy-notice"),
            links::absolute(&ctx.public_url, &links::privacy_notice(slug)),
        ));
    }
    let token = crate::db::people::add_data_token(conn, email, ctx.now)?;
    links.push((
        i18n::t("mail-your-data"),
        links::absolute(&ctx.public_url, &links::my_data(&token)),
    ));
    Ok(links)
}

/// "What do you hold about me?": a link to everything held about the address; `None` when
/// nothing is (the request was answered the same either way, and nothing is sent).
/// A team member's invitation or sign-in link, made now (a link works once and expires: each
/// attempt at sending carries a fresh one). None when the member was revoked since.
fn to_staff(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    kind: Kind,
    ctx: &Context,
) -> Result<Option<Draft>, AppError> {
    use crate::staff::account::{self, Purpose};
    let id = row
        .staff_id
        .as_deref()
        .map(|id| crate::domain::StaffId::from_db("outbox.staff_id", id))
        .transpose()?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a {kind:?} without a staff member")))?;
    let active: Option<String> = crate::db::schema::staff::table
        .find(id.to_string())
        .filter(crate::db::schema::staff::revoked_at.is_null())
        .select(crate::db::schema::staff::name)
        .first(conn)
        .optional()?;
    let Some(name) = active else {
        return Ok(None);
    };
    let (purpose, path, subject, intro, button) = match kind {
        Kind::StaffInvitation => (
            Purpose::Invitation,
            "/account/welcome/",
            "mail-staff-invitation-subject",
            msg!(
                "mail-staff-invitation-intro",
                days = account::INVITATION_DAYS
            )
            .to_string(),
            "mail-staff-invitation-link",
        ),
        _ => (
            Purpose::SignIn,
            "/signin/link/",
            "mail-staff-sign-in-subject",
            msg!(
                "mail-staff-sign-in-intro",
                minutes = account::SIGN_IN_MINUTES
            )
            .to_string(),
            "mail-staff-sign-in-link",
        ),
    };
    let token = account::new_link(conn, id, purpose, ctx.now)?;
    Ok(Some(Draft {
        to: recipient(&name, &row.recipient)?,
        subject: i18n::t(subject),
        festival: String::new(),
        heading: i18n::t(subject),
        paragraphs: vec![msg!("mail-hello", name = name.as_str()).to_string(), intro],
        link: Some((
            i18n::t(button),
            links::absolute(&ctx.public_url, &format!("{path}{token}")),
        )),
        tickets: Vec::new(),
        bookings: Vec::new(),
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
        privacy: Vec::new(),
    }))
}

fn data_access(
    conn: &mut AnyConnection,
    row: &OutboxRow,
    ctx: &Context,
) -> Result<Option<Draft>, AppError> {
    let email = crate::db::people::email_key(&row.recipient);
    let booked: i64 = bookings::table
        .filter(lower(bookings::email).eq(&email))
        .count()
        .get_result(conn)?;
    let waiting: i64 = waitlist_entries::table
        .filter(lower(waitlist_entries::email).eq(&email))
        .count()
        .get_result(conn)?;
    let passes: i64 = crate::db::schema::passes::table
        .filter(lower(crate::db::schema::passes::email).eq(&email))
        .count()
        .get_result(conn)?;
    if booked + waiting + passes == 0 {
        return Ok(None);
    }
    let token = crate::db::people::add_data_token(conn, &email, ctx.now)?;
    Ok(Some(Draft {
        to: recipient("", &row.recipient)?,
        subject: i18n::t("mail-data-subject"),
        festival: String::new(),
        heading: i18n::t("mail-data-heading"),
        paragraphs: vec![
            i18n::t("mail-hello-anonymous"),
            msg!("mail-data-intro", days = crate::db::people::DATA_LINK_DAYS).to_string(),
        ],
        link: Some((
            i18n::t("mail-data-link"),
            links::absolute(&ctx.public_url, &links::my_data(&token)),
        )),
        tickets: Vec::new(),
        bookings: Vec::new(),
        attachments: Vec::new(),
        footer: footer(&ctx.public_url),
        privacy: Vec::new(),
    }))
}

/// A festival pass: its QR code inline, its badge as a PDF (name, organisation, category colour,
/// code) and a fresh private link to its page, where seats are reserved.
/// `None`: revoked since the message was queued, nothing is sent.
fn about_pass(
    conn: &mut AnyConnection,
    id: &str,
    ctx: &Context,
) -> Result<Option<Draft>, AppError> {
    let id = crate::domain::PassId::from_db("outbox.pass_id", id)?;
    let (pass, kind) = crate::passes::queries::pass_row(conn, id)?
        .ok_or_else(|| AppError::not_found(Thing::Pass))?;
    if pass.status == crate::domain::PassStatus::Revoked.as_str() {
        return Ok(None);
    }
    let festival_id = crate::domain::FestivalId::from_db("passes.festival_id", &pass.festival_id)?;
    let (festival_name, festival_slug) = festival(conn, festival_id)?
        .map(|f| (f.name, f.slug))
        .unwrap_or_default();
    let token = crate::passes::record::add_pass_token(conn, id, ctx.now)?;
    let page = links::absolute(&ctx.public_url, &links::pass(&token));
    let category = kind.category.label();
    // The type's name in the holder's language (this message is written in it).
    let kind_name = kind.name_in(i18n::current()).to_owned();
    let label = msg!(
        "mail-pass-label",
        kind = &kind_name,
        category = &category,
        name = &pass.name
    )
    .to_string();
    let mut lines = vec![festival_name.clone(), pass.name.clone()];
    if !pass.organisation.is_empty() {
        lines.push(pass.organisation.clone());
    }
    lines.extend([category.clone(), kind_name.clone()]);
    let badge = pdf::tickets_pdf(
        &msg!(
            "mail-pass-pdf-title",
            festival = &festival_name,
            name = &pass.name
        )
        .to_string(),
        &[TicketPage {
            lines,
            code: pass.code.clone(),
            band: rgb(kind.category.colour()),
            photo: crate::passes::photo::photo_of(conn, id)?,
        }],
    )?;
    Ok(Some(Draft {
        to: recipient(&pass.name, &pass.email)?,
        subject: msg!("mail-pass-subject", festival = &festival_name).to_string(),
        festival: festival_name.clone(),
        heading: msg!("mail-pass-heading", kind = &kind_name).to_string(),
        paragraphs: vec![
            msg!("mail-hello", name = &pass.name).to_string(),
            msg!("mail-pass-intro", category = &category).to_string(),
            i18n::t("mail-pass-reserve"),
        ],
        link: Some((i18n::t("mail-pass-link"), page)),
        tickets: vec![InlineTicket {
            alt: msg!("mail-qr-alt", ticket = &label).to_string(),
            label,
            content_id: format!("pass-{id}@marquee"),
            png: qr::png(&pass.code)?,
        }],
        bookings: Vec::new(),
        attachments: vec![
            Attachment::new(format!("{}.pdf", i18n::t("mail-file-pass")))
                .body(badge, content_type("application/pdf")?),
        ],
        footer: footer(&ctx.public_url),
        privacy: privacy_links(conn, Some(&festival_slug), &pass.email, ctx)?,
    }))
}

/// `#rrggbb` as RGB.
fn rgb(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = hex.strip_prefix('#')?;
    let channel = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
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
    category: TicketCategory,
) -> Vec<String> {
    let zone = listing.zone();
    let s = &listing.screening;
    vec![
        festival_name.to_owned(),
        listing.film.title.clone(),
        msg!(
            "mail-pdf-when",
            when = format::when(s.starts_at, zone),
            zone = zone.name()
        )
        .to_string(),
        msg!(
            "mail-pdf-doors",
            time = format::time_of_day(
                s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)),
                zone
            )
        )
        .to_string(),
        format!("{}, {}", listing.venue.name, s.room),
        listing.venue.address.clone(),
        msg!(
            "mail-pdf-seat",
            seat = seat,
            seats = booking.seats,
            category = category.label()
        )
        .to_string(),
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
    let summary = msg!(
        "mail-calendar-summary",
        film = &listing.film.title,
        festival = festival_name
    )
    .to_string();
    let description = msg!(
        "mail-calendar-description",
        seats = booking.seats,
        name = &booking.name,
        minutes = listing.screening.doors_open_minutes,
        url = url
    )
    .to_string();
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
    Ok(
        Attachment::new(format!("{}.ics", i18n::t("mail-file-screening"))).body(
            body,
            content_type(if cancelled {
                "text/calendar; charset=utf-8; method=CANCEL"
            } else {
                "text/calendar; charset=utf-8; method=PUBLISH"
            })?,
        ),
    )
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
    for (label, href) in &d.privacy {
        text.push_str(&format!("{label}: {href}\n"));
    }
    text
}

fn build(d: Draft, ctx: &Context, lang: Lang) -> Result<Message, AppError> {
    let url = links::absolute(&ctx.public_url, links::FIND_TICKETS);
    let footer = match d.footer.split_once(url.as_str()) {
        Some((before, after)) => (before, url.as_str(), after),
        None => (d.footer.as_str(), "", ""),
    };
    let html = Html {
        lang: lang.code(),
        subject: &d.subject,
        festival: &d.festival,
        heading: &d.heading,
        paragraphs: &d.paragraphs,
        link: d.link.as_ref().map(|(l, h)| (l.as_str(), h.as_str())),
        tickets: &d.tickets,
        bookings: &d.bookings,
        footer,
        privacy: &d.privacy,
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
    // A Message-ID of the sender's own (mail servers and spam filters expect one): random, on the
    // public address's host.
    let host = ctx
        .public_url
        .split_once("://")
        .map_or(ctx.public_url.as_str(), |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("localhost");
    Message::builder()
        .message_id(Some(format!("<{}@{host}>", uuid::Uuid::new_v4().simple())))
        .from(ctx.from.clone())
        .to(d.to)
        .subject(d.subject)
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            lang.code().to_owned(),
        ))
        .multipart(mixed)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot build the message: {e}")))
}
