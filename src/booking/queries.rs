//! Booking and cancelling, as database transactions.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::AnyConnection;
use crate::db::schema::{bookings, manage_tokens, tickets};
use crate::domain::secret::{hash_token, looks_like_token, new_token};
use crate::domain::{
    BookingId, BookingStatus, Country, Email, InputError, ScreeningId, SeatCount, TicketCategory,
    TicketId, TicketStatus, Unreadable, input,
};
use crate::error::{AppError, Refusal, Thing};
use crate::i18n::Lang;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bookings, treat_none_as_default_value = false)]
pub struct BookingRow {
    pub id: String,
    pub screening_id: String,
    pub name: String,
    pub email: String,
    pub country: String,
    pub seats: i32,
    pub manage_token_hash: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    /// The holder's pseudonym at the festival (`people`): what attendance is counted by.
    pub person_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tickets, treat_none_as_default_value = false)]
pub struct TicketRow {
    pub id: String,
    pub booking_id: String,
    pub screening_id: String,
    pub seat_number: i32,
    pub category: String,
    pub code: String,
    pub status: String,
    pub admitted_at: Option<NaiveDateTime>,
    pub admitted_door: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A booking as its holder and organisers see it (never the manage token's hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Booking {
    pub id: BookingId,
    pub screening_id: ScreeningId,
    pub name: String,
    pub email: String,
    pub country: String,
    pub seats: i32,
    pub status: BookingStatus,
    /// UTC, ISO 8601 without an offset.
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    /// UTC, ISO 8601 without an offset.
    #[schema(value_type = Option<String>)]
    pub cancelled_at: Option<NaiveDateTime>,
    /// The holder's pseudonym at the festival (not shown: an internal key).
    #[serde(skip)]
    #[schema(ignore)]
    pub person_id: String,
}

impl TryFrom<BookingRow> for Booking {
    type Error = Unreadable;

    /// Fails closed: a stored value that does not read back is an error naming its column.
    fn try_from(row: BookingRow) -> Result<Booking, Unreadable> {
        Ok(Booking {
            id: BookingId::from_db("bookings.id", &row.id)?,
            screening_id: ScreeningId::from_db("bookings.screening_id", &row.screening_id)?,
            name: row.name,
            email: row.email,
            country: row.country,
            seats: row.seats,
            status: BookingStatus::from_db("bookings.status", &row.status)?,
            created_at: row.created_at,
            cancelled_at: row.cancelled_at,
            person_id: row.person_id,
        })
    }
}

/// One seat.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ticket {
    pub id: TicketId,
    pub booking_id: BookingId,
    pub screening_id: ScreeningId,
    pub seat_number: i32,
    pub category: TicketCategory,
    pub code: String,
    pub status: TicketStatus,
    /// UTC, ISO 8601 without an offset.
    #[schema(value_type = Option<String>)]
    pub admitted_at: Option<NaiveDateTime>,
    pub admitted_door: Option<String>,
}

impl TryFrom<TicketRow> for Ticket {
    type Error = Unreadable;

    /// Fails closed: a stored value that does not read back is an error naming its column.
    fn try_from(row: TicketRow) -> Result<Ticket, Unreadable> {
        Ok(Ticket {
            id: TicketId::from_db("tickets.id", &row.id)?,
            booking_id: BookingId::from_db("tickets.booking_id", &row.booking_id)?,
            screening_id: ScreeningId::from_db("tickets.screening_id", &row.screening_id)?,
            seat_number: row.seat_number,
            category: TicketCategory::from_db("tickets.category", &row.category)?,
            code: row.code,
            status: TicketStatus::from_db("tickets.status", &row.status)?,
            admitted_at: row.admitted_at,
            admitted_door: row.admitted_door,
        })
    }
}

/// What a booker sends, as the API and the booking form receive it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    #[schema(min_length = 1, max_length = 200, example = "Ana Nguyen")]
    pub name: String,
    #[schema(format = Email, max_length = 254, example = "ana@example.org")]
    pub email: String,
    #[schema(pattern = "^[A-Za-z]{2}$", example = "FR")]
    pub country: String,
    #[schema(minimum = 1, maximum = 10)]
    pub seats: i64,
    /// The language of the booker's mail: `en`, `fr` or `vi` (by default, the request's).
    #[serde(default)]
    #[schema(pattern = "^(en|fr|vi)$", example = "fr")]
    pub lang: Option<String>,
    /// Whether the booker asks for news from the festival by mail (a choice of their own, never
    /// needed for the booking; recorded with its time, withdrawable from every message).
    #[serde(default)]
    pub news: bool,
}

/// A checked booking request.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub name: String,
    pub email: Email,
    pub country: Country,
    pub seats: SeatCount,
    pub category: TicketCategory,
    /// The language the holder is written to in.
    pub lang: Lang,
    /// The holder asked for news from the festival.
    pub news: bool,
}

impl BookingInput {
    pub fn parse(self) -> Result<BookingRequest, InputError> {
        Ok(BookingRequest {
            name: input::text("name", &self.name, 200)?,
            email: Email::parse(&self.email)?,
            country: Country::parse(&self.country)?,
            seats: SeatCount::parse(self.seats)?,
            category: TicketCategory::Public,
            lang: parse_lang(self.lang.as_deref())?,
            news: self.news,
        })
    }
}

/// The language a booking's or an invitation's mail is written in: the one named (`en`, `fr` or
/// `vi`), else the request's.
pub fn parse_lang(value: Option<&str>) -> Result<Lang, InputError> {
    match value.map(str::trim) {
        None | Some("") => Ok(crate::i18n::current()),
        Some(code) => {
            Lang::from_code(code).ok_or_else(|| InputError::new("lang", crate::msg!("error-lang")))
        }
    }
}

/// What an organiser sends to invite a guest: a booking with a complimentary category.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(pattern = "^[A-Za-z]{2}$", example = "VN")]
    pub country: String,
    #[schema(minimum = 1, maximum = 10)]
    pub seats: i64,
    #[schema(pattern = "^(guest|press|jury)$", example = "press")]
    pub category: String,
    /// The language of the guest's mail: `en`, `fr` or `vi` (by default, the organiser's).
    #[serde(default)]
    #[schema(pattern = "^(en|fr|vi)$", example = "vi")]
    pub lang: Option<String>,
}

impl InvitationInput {
    pub fn parse(self) -> Result<BookingRequest, InputError> {
        let category = match TicketCategory::parse(self.category.trim()) {
            // Public tickets are sold; a pass's seats are reserved through the pass.
            Some(c) if !matches!(c, TicketCategory::Public | TicketCategory::Pass) => c,
            _ => {
                return Err(InputError::new("category", crate::msg!("error-category")));
            }
        };
        let mut request = BookingInput {
            name: self.name,
            email: self.email,
            country: self.country,
            seats: self.seats,
            lang: self.lang,
            news: false,
        }
        .parse()?;
        request.category = category;
        Ok(request)
    }
}

/// A booking just made: the only moment its manage token exists in clear.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub booking: Booking,
    pub tickets: Vec<Ticket>,
    pub manage_token: String,
}

/// The refusal for a cancelled screening.
pub fn screening_cancelled() -> AppError {
    AppError::conflict(
        Refusal::ScreeningCancelled,
        crate::msg!("error-screening-cancelled"),
    )
}

/// Every seat is taken.
pub fn sold_out() -> AppError {
    AppError::Conflict {
        refusal: Refusal::SoldOut,
        message: crate::msg!("error-sold-out"),
        seats_left: Some(0),
    }
}

pub fn booking_row(conn: &mut AnyConnection, id: BookingId) -> Result<BookingRow, AppError> {
    bookings::table
        .find(id.to_string())
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Booking))
}

/// The booking a manage token opens: the one given at booking, or one sent by mail since. A
/// token that opens nothing is "not found", as a wrong id is.
pub fn booking_by_token(conn: &mut AnyConnection, token: &str) -> Result<BookingRow, AppError> {
    if !looks_like_token(token) {
        return Err(AppError::not_found(Thing::Booking));
    }
    let hash = hash_token(token);
    let first = bookings::table
        .filter(bookings::manage_token_hash.eq(&hash))
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?;
    let found = match first {
        Some(row) => Some(row),
        None => manage_tokens::table
            .inner_join(bookings::table)
            .filter(manage_tokens::token_hash.eq(&hash))
            .select(BookingRow::as_select())
            .first(conn)
            .optional()?,
    };
    found.ok_or_else(|| AppError::not_found(Thing::Booking))
}

/// Whether `token` is one of this booking's manage tokens.
pub fn token_opens(
    conn: &mut AnyConnection,
    row: &BookingRow,
    token: &str,
) -> Result<bool, AppError> {
    if !looks_like_token(token) {
        return Ok(false);
    }
    let hash = hash_token(token);
    if hash == row.manage_token_hash {
        return Ok(true);
    }
    let more: i64 = manage_tokens::table
        .filter(manage_tokens::token_hash.eq(&hash))
        .filter(manage_tokens::booking_id.eq(&row.id))
        .count()
        .get_result(conn)?;
    Ok(more > 0)
}

/// A further manage link for a booking (every mail carries a fresh one, so no token is ever
/// stored in clear): returns the token.
pub fn add_manage_token(
    conn: &mut AnyConnection,
    booking: BookingId,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let token = new_token();
    diesel::insert_into(manage_tokens::table)
        .values((
            manage_tokens::token_hash.eq(hash_token(&token)),
            manage_tokens::booking_id.eq(booking.to_string()),
            manage_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn tickets_of(conn: &mut AnyConnection, id: BookingId) -> Result<Vec<Ticket>, AppError> {
    let rows = tickets::table
        .filter(tickets::booking_id.eq(id.to_string()))
        .order(tickets::seat_number.asc())
        .select(TicketRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(Ticket::try_from)
        .collect::<Result<_, _>>()?)
}

/// A ticket and the booking it belongs to.
pub fn ticket_with_booking(
    conn: &mut AnyConnection,
    id: TicketId,
) -> Result<(Ticket, BookingRow), AppError> {
    tickets::table
        .inner_join(bookings::table)
        .filter(tickets::id.eq(id.to_string()))
        .select((TicketRow::as_select(), BookingRow::as_select()))
        .first::<(TicketRow, BookingRow)>(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Ticket))
        .and_then(|(t, b)| Ok((t.try_into()?, b)))
}

/// The tickets with these ids, with their bookings (one statement; missing ids are left out).
pub fn tickets_with_bookings(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(Ticket, Booking)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Two searches by a list of keys rather than one join: PostgreSQL's planner, guessing at a
    // table it has not analysed, joined by hashing every booking of the database (see
    // docs/performance.md, "Admissions in place, several writers").
    let found = tickets::table
        .filter(tickets::id.eq_any(ids))
        .select(TicketRow::as_select())
        .load::<TicketRow>(conn)?;
    let booking_ids: Vec<&str> = found.iter().map(|t| t.booking_id.as_str()).collect();
    let bookings: HashMap<String, Booking> = bookings::table
        .filter(bookings::id.eq_any(&booking_ids))
        .select(BookingRow::as_select())
        .load::<BookingRow>(conn)?
        .into_iter()
        .map(|b| Ok((b.id.clone(), b.try_into()?)))
        .collect::<Result<_, AppError>>()?;
    // A ticket's booking is kept as long as the ticket (a foreign key): none goes missing.
    found
        .into_iter()
        .filter_map(|t| {
            let booking = bookings.get(&t.booking_id)?.clone();
            Some(
                Ticket::try_from(t)
                    .map(|t| (t, booking))
                    .map_err(AppError::from),
            )
        })
        .collect()
}

/// Who a change to a screening reaches: how many bookings still hold a valid ticket for it, and
/// how many valid tickets they hold.
pub fn holders_of(
    conn: &mut AnyConnection,
    screening: ScreeningId,
) -> Result<(i64, i64), AppError> {
    let valid = || {
        tickets::table
            .filter(tickets::screening_id.eq(screening.to_string()))
            .filter(tickets::status.eq(TicketStatus::Valid.as_str()))
    };
    let tickets: i64 = valid().count().get_result(conn)?;
    let holders: i64 = valid()
        .select(tickets::booking_id)
        .distinct()
        .load::<String>(conn)?
        .len()
        .try_into()
        .map_err(AppError::internal)?;
    Ok((holders, tickets))
}
