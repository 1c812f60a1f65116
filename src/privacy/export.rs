//! "What do you hold about me?": everything Marquee keeps about one address, across festivals —
//! bookings, tickets with their admissions, waiting-list entries, passes, consents and the
//! messages sent — as JSON (the API, a download) and as a page.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::db::people::email_key;
use crate::db::schema::{
    bookings, consents, festivals, films, outbox, people, screenings, tickets, venues,
    waitlist_entries,
};
use crate::error::AppError;
use crate::mail::compose::lower;

use crate::domain::format::utc_rfc3339 as iso;

/// A booking, with where and when its screening is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldBooking {
    pub id: String,
    pub festival: String,
    pub film: String,
    pub venue: String,
    pub starts_at: String,
    pub name: String,
    pub email: String,
    pub country: String,
    pub seats: i32,
    pub status: String,
    pub language: String,
    pub created_at: String,
    pub cancelled_at: Option<String>,
}

/// A ticket, and its admission when it was used.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldTicket {
    pub id: String,
    pub booking_id: String,
    pub seat_number: i32,
    pub category: String,
    pub status: String,
    pub admitted_at: Option<String>,
    pub admitted_door: Option<String>,
}

/// A place on a waiting list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldEntry {
    pub id: String,
    pub festival: String,
    pub film: String,
    pub starts_at: String,
    pub name: String,
    pub email: String,
    pub country: String,
    pub seats: i32,
    pub status: String,
    pub created_at: String,
}

/// A festival pass held by the address (its seats at screenings are among the bookings).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldPass {
    pub id: String,
    pub festival: String,
    pub pass_type: String,
    pub category: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// The holder's photo as kept, a `data:image/jpeg;base64,…` address (null: none).
    pub photo: Option<String>,
}

/// A choice beyond the booking, and when it was made and withdrawn.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldConsent {
    pub festival: String,
    pub purpose: String,
    pub given_at: String,
    pub withdrawn_at: Option<String>,
}

/// A message sent (or queued) to the address.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldMessage {
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Everything held about one address.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    pub email: String,
    pub generated_at: String,
    pub bookings: Vec<HeldBooking>,
    pub tickets: Vec<HeldTicket>,
    pub waitlist: Vec<HeldEntry>,
    /// Festival passes and accreditations.
    pub passes: Vec<HeldPass>,
    pub consents: Vec<HeldConsent>,
    pub messages: Vec<HeldMessage>,
}

/// A message as listed: kind, subject, status, when queued, when sent.
type MessageLine = (String, String, String, NaiveDateTime, Option<NaiveDateTime>);

fn message_columns() -> (
    outbox::kind,
    outbox::subject,
    outbox::status,
    outbox::created_at,
    outbox::sent_at,
) {
    (
        outbox::kind,
        outbox::subject,
        outbox::status,
        outbox::created_at,
        outbox::sent_at,
    )
}

/// A ticket as read.
#[derive(Queryable)]
struct TicketLine {
    id: String,
    booking_id: String,
    seat_number: i32,
    category: String,
    status: String,
    admitted_at: Option<NaiveDateTime>,
    admitted_door: Option<String>,
}

/// A waiting-list entry as read, with its festival, film and start.
type EntryLine = (
    (String, String, String, String, i32, String, NaiveDateTime),
    String,
    String,
    NaiveDateTime,
);

type BookingLine = (
    (
        String,
        String,
        String,
        String,
        i32,
        String,
        String,
        NaiveDateTime,
    ),
    Option<NaiveDateTime>,
    String,
    String,
    String,
    NaiveDateTime,
);

/// Everything held about `email` (matched whatever its case).
pub fn export(
    conn: &mut AnyConnection,
    email: &str,
    now: NaiveDateTime,
) -> Result<Export, AppError> {
    let key = email_key(email);
    let found: Vec<BookingLine> = bookings::table
        .inner_join(
            screenings::table
                .inner_join(festivals::table)
                .inner_join(films::table)
                .inner_join(venues::table),
        )
        .filter(lower(bookings::email).eq(&key))
        .order(bookings::created_at.asc())
        .select((
            (
                bookings::id,
                bookings::name,
                bookings::email,
                bookings::country,
                bookings::seats,
                bookings::status,
                bookings::lang,
                bookings::created_at,
            ),
            bookings::cancelled_at,
            festivals::name,
            films::title,
            venues::name,
            screenings::starts_at,
        ))
        .load(conn)?;
    let booking_ids: Vec<String> = found.iter().map(|b| b.0.0.clone()).collect();
    let mut held_tickets = Vec::new();
    for chunk in booking_ids.chunks(500) {
        let rows: Vec<TicketLine> = tickets::table
            .filter(tickets::booking_id.eq_any(chunk))
            .order((tickets::booking_id, tickets::seat_number))
            .select((
                tickets::id,
                tickets::booking_id,
                tickets::seat_number,
                tickets::category,
                tickets::status,
                tickets::admitted_at,
                tickets::admitted_door,
            ))
            .load(conn)?;
        held_tickets.extend(rows.into_iter().map(|t| HeldTicket {
            id: t.id,
            booking_id: t.booking_id,
            seat_number: t.seat_number,
            category: t.category,
            status: t.status,
            admitted_at: t.admitted_at.map(iso),
            admitted_door: t.admitted_door,
        }));
    }
    let entries: Vec<EntryLine> = waitlist_entries::table
        .inner_join(
            screenings::table
                .inner_join(festivals::table)
                .inner_join(films::table),
        )
        .filter(lower(waitlist_entries::email).eq(&key))
        .order(waitlist_entries::created_at.asc())
        .select((
            (
                waitlist_entries::id,
                waitlist_entries::name,
                waitlist_entries::email,
                waitlist_entries::country,
                waitlist_entries::seats,
                waitlist_entries::status,
                waitlist_entries::created_at,
            ),
            festivals::name,
            films::title,
            screenings::starts_at,
        ))
        .load(conn)?;
    let entry_ids: Vec<String> = entries.iter().map(|e| e.0.0.clone()).collect();
    let held_consents: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> =
        consents::table
            .inner_join(people::table.inner_join(festivals::table))
            .filter(people::email_key.eq(&key))
            .order(consents::given_at.asc())
            .select((
                festivals::name,
                consents::purpose,
                consents::given_at,
                consents::withdrawn_at,
            ))
            .load(conn)?;
    // Sent to the address, and about its bookings and entries (whatever the case it was typed in).
    let mut message_rows: Vec<MessageLine> = outbox::table
        .filter(outbox::recipient.eq(&key))
        .select(message_columns())
        .load(conn)?;
    for chunk in booking_ids.chunks(500) {
        message_rows.extend(
            outbox::table
                .filter(outbox::booking_id.eq_any(chunk))
                .filter(outbox::recipient.ne(&key))
                .select(message_columns())
                .load::<MessageLine>(conn)?,
        );
    }
    for chunk in entry_ids.chunks(500) {
        message_rows.extend(
            outbox::table
                .filter(outbox::waitlist_entry_id.eq_any(chunk))
                .filter(outbox::recipient.ne(&key))
                .select(message_columns())
                .load::<MessageLine>(conn)?,
        );
    }
    message_rows.sort_by_key(|m| m.3);
    let passes = held_passes(conn, &key)?;
    Ok(Export {
        email: key,
        generated_at: iso(now),
        bookings: found
            .into_iter()
            .map(
                |(
                    (id, name, email, country, seats, status, language, created_at),
                    cancelled_at,
                    festival,
                    film,
                    venue,
                    starts_at,
                )| HeldBooking {
                    id,
                    festival,
                    film,
                    venue,
                    starts_at: iso(starts_at),
                    name,
                    email,
                    country,
                    seats,
                    status,
                    language,
                    created_at: iso(created_at),
                    cancelled_at: cancelled_at.map(iso),
                },
            )
            .collect(),
        tickets: held_tickets,
        waitlist: entries
            .into_iter()
            .map(
                |(
                    (id, name, email, country, seats, status, created_at),
                    festival,
                    film,
                    starts_at,
                )| {
                    HeldEntry {
                        id,
                        festival,
                        film,
                        starts_at: iso(starts_at),
                        name,
                        email,
                        country,
                        seats,
                        status,
                        created_at: iso(created_at),
                    }
                },
            )
            .collect(),
        passes,
        consents: held_consents
            .into_iter()
            .map(|(festival, purpose, given_at, withdrawn_at)| HeldConsent {
                festival,
                purpose,
                given_at: iso(given_at),
                withdrawn_at: withdrawn_at.map(iso),
            })
            .collect(),
        messages: message_rows
            .into_iter()
            .map(|(kind, subject, status, created_at, sent_at)| HeldMessage {
                kind,
                subject,
                status,
                created_at: iso(created_at),
                sent_at: sent_at.map(iso),
            })
            .collect(),
    })
}

/// The passes held by the address (`key`: matched whatever its case).
fn held_passes(conn: &mut AnyConnection, key: &str) -> Result<Vec<HeldPass>, AppError> {
    use crate::db::schema::{pass_types, passes};
    let rows: Vec<(crate::passes::queries::PassRow, String, String, String)> = passes::table
        .inner_join(pass_types::table)
        .inner_join(festivals::table.on(festivals::id.eq(passes::festival_id)))
        .filter(lower(passes::email).eq(key))
        .order(passes::created_at.asc())
        .select((
            crate::passes::queries::PassRow::as_select(),
            festivals::name,
            pass_types::name,
            pass_types::category,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(pass, festival, pass_type, category)| {
            let photo = match pass.photo_at {
                Some(_) => crate::passes::photo::photo_of(
                    conn,
                    crate::domain::PassId::from_db("passes.id", &pass.id)?,
                )?
                .as_deref()
                .map(crate::passes::photo::data_url),
                None => None,
            };
            Ok(HeldPass {
                photo,
                id: pass.id,
                festival,
                pass_type,
                category,
                name: pass.name,
                email: pass.email,
                organisation: pass.organisation,
                country: pass.country,
                language: pass.lang,
                status: pass.status,
                created_at: iso(pass.created_at),
                revoked_at: pass.revoked_at.map(iso),
            })
        })
        .collect()
}
