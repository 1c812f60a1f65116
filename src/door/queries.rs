//! The scan and annul transactions.

use chrono::{Duration, NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{ScanRow, entry_hash};
use crate::booking::queries::ticket_with_booking;
use crate::catalogue::queries::{ScreeningListing, screening_listing};
use crate::db::schema::{scans, screenings, tickets};
use crate::db::{AnyConnection, lock_screenings, tallies, write_transaction};
use crate::domain::ticket_code::{CodeError, TicketClaims, TicketVerifier};
use crate::domain::{
    BookingStatus, InputError, ScreeningId, ScreeningStatus, TicketStatus, VenueId, Verdict, input,
};
use crate::error::AppError;
use crate::staff::StaffMember;
use crate::web::format;

/// How long a door may undo its own admission.
pub const ANNUL_WINDOW_SECONDS: i64 = 120;

/// What the door admits for: one screening, or "whatever is open now" at a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Screening(ScreeningId),
    Venue(VenueId),
}

/// A checked scan request.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    pub code: String,
    pub target: Target,
    pub door: String,
    pub nonce: String,
    pub client_time: Option<NaiveDateTime>,
}

/// The body of `POST /api/v1/scans`, as sent by a door device.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanInput {
    #[schema(max_length = 1024, example = "1ABCD...")]
    pub code: String,
    #[schema(format = Uuid)]
    pub screening_id: Option<String>,
    #[schema(format = Uuid)]
    pub venue_id: Option<String>,
    #[schema(min_length = 1, max_length = 60, example = "Door A")]
    pub door: String,
    /// A fresh value per scan, chosen by the device (a UUID). Sent again with the same `code`
    /// and target, it returns the original answer (`replayed: true`) instead of scanning again;
    /// sent by the same staff member with another `code` or target, it is refused with
    /// `409 nonce_reused` and nothing is admitted.
    #[schema(min_length = 1, max_length = 100)]
    pub nonce: String,
    /// When the device scanned, RFC 3339 (kept in the log next to the server's time).
    #[schema(format = DateTime)]
    pub scanned_at: Option<String>,
}

/// The longest scanned text accepted: a code is 159 characters; anything much longer is not one.
const MAX_SCANNED_LEN: usize = 1024;

impl ScanInput {
    pub fn parse(self) -> Result<ScanRequest, InputError> {
        let target = match (&self.screening_id, &self.venue_id) {
            (Some(s), None) => {
                Target::Screening(crate::catalogue::input::id_field("screening_id", s)?)
            }
            (None, Some(v)) => Target::Venue(crate::catalogue::input::id_field("venue_id", v)?),
            _ => {
                return Err(InputError::new(
                    "screening_id",
                    "screening_id or venue_id is required (exactly one)",
                ));
            }
        };
        if self
            .code
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        {
            return Err(InputError::new(
                "code",
                "code must not contain control characters",
            ));
        }
        if self.code.len() > MAX_SCANNED_LEN {
            return Err(InputError::new(
                "code",
                format!("code must be at most {MAX_SCANNED_LEN} characters"),
            ));
        }
        let nonce = input::text("nonce", &self.nonce, 100)?;
        let client_time = self
            .scanned_at
            .as_deref()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.naive_utc().trunc_subsecs(6))
                    .map_err(|_| {
                        InputError::new("scanned_at", "scanned_at must be an RFC 3339 time")
                    })
            })
            .transpose()?;
        Ok(ScanRequest {
            code: self.code,
            target,
            door: input::text("door", &self.door, 60)?,
            nonce,
            client_time,
        })
    }
}

/// The ticket, as the door needs to see it (no e-mail, no country: the door doesn't need them).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketInfo {
    pub id: String,
    pub holder_name: String,
    pub category: String,
    pub seat_number: i32,
    pub seats: i32,
}

/// A screening, as the door shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScreeningInfo {
    pub id: String,
    pub film: String,
    pub venue: String,
    pub room: String,
    pub starts_at: String,
    /// "Fri 12 Dec 2025, 20:00" in the venue's zone.
    pub local_time: String,
    pub doors_open_at: String,
    pub doors_close_at: String,
}

impl ScreeningInfo {
    fn new(listing: &ScreeningListing) -> ScreeningInfo {
        let s = &listing.screening;
        let zone = listing.zone();
        ScreeningInfo {
            id: s.id.to_string(),
            film: listing.film.title.clone(),
            venue: listing.venue.name.clone(),
            room: s.room.clone(),
            starts_at: format::rfc3339(s.starts_at, zone),
            local_time: format::when(s.starts_at, zone),
            doors_open_at: format::rfc3339(doors_open_at(listing), zone),
            doors_close_at: format::rfc3339(doors_close_at(listing), zone),
        }
    }
}

fn doors_open_at(l: &ScreeningListing) -> NaiveDateTime {
    l.screening.starts_at - Duration::minutes(i64::from(l.screening.doors_open_minutes))
}

fn doors_close_at(l: &ScreeningListing) -> NaiveDateTime {
    l.screening.starts_at + Duration::minutes(i64::from(l.screening.doors_close_minutes))
}

/// The answer to a scan, exactly as the door receives it (and as stored for nonce replays).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScanAnswer {
    pub verdict: Verdict,
    pub message: String,
    pub scan_id: String,
    pub ticket: Option<TicketInfo>,
    /// The screening this door admits for.
    pub screening: Option<ScreeningInfo>,
    /// For `wrong_screening`: the screening the ticket is for.
    pub ticket_screening: Option<ScreeningInfo>,
    pub first_admitted_at: Option<String>,
    pub first_admitted_door: Option<String>,
    /// Tickets admitted so far to `screening`, and its capacity.
    pub admitted: i32,
    pub capacity: i32,
    /// True when this answer repeats the one given to an earlier request with the same nonce.
    #[serde(default)]
    pub replayed: bool,
}

/// Scans one code. Returns the verdict; errors only for requests that cannot be judged
/// (unknown screening or venue, a door outside the staff member's scope, a reused nonce).
pub fn scan(
    conn: &mut AnyConnection,
    verifier: &TicketVerifier,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    scan_verified(conn, verifier.verify(&request.code), staff, request, now)
}

/// [`scan`], with the code's signature already checked (off the writer, by the HTTP worker).
pub fn scan_verified(
    conn: &mut AnyConnection,
    claims: Result<TicketClaims, CodeError>,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let now = now.trunc_subsecs(6);
    // Two requests with the same nonce racing each other: the loser hits the unique index,
    // rolls back, and on the next attempt finds (and returns) the winner's answer.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match write_transaction(conn, |conn| scan_once(conn, staff, request, claims, now)) {
            Err(AppError::Conflict {
                code: "already_exists",
                ..
            }) if attempts < 4 => continue,
            other => return other,
        }
    }
}

/// The screening a scan will most likely lock first: the one it targets, or at a venue door the
/// ticket's own. The writer orders its batches by this (see [`crate::db::lock_screenings`]).
pub fn lock_key(request: &ScanRequest, claims: &Result<TicketClaims, CodeError>) -> String {
    match (request.target, claims) {
        (Target::Screening(id), _) => id.to_string(),
        (Target::Venue(_), Ok(claims)) => claims.screening.to_string(),
        (Target::Venue(_), Err(_)) => String::new(),
    }
}

/// What a scan asked for, as stored with it: a nonce used again must ask for the same thing.
/// Whitespace and case do not count (scanners add spaces; the code is upper-case base32).
fn request_digest(request: &ScanRequest) -> String {
    let code: String = request
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let target = match request.target {
        Target::Screening(id) => format!("screening:{id}"),
        Target::Venue(id) => format!("venue:{id}"),
    };
    let mut hasher = Sha256::new();
    hasher.update(code.as_bytes());
    hasher.update(b"\n");
    hasher.update(target.as_bytes());
    data_encoding::HEXLOWER.encode(&hasher.finalize())
}

fn scan_once(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    request: &ScanRequest,
    claims: Result<TicketClaims, CodeError>,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let digest = request_digest(request);
    if let Some((response, screening_id, stored_digest)) = scans::table
        .filter(scans::staff_id.eq(staff.id.to_string()))
        .filter(scans::nonce.eq(&request.nonce))
        .select((scans::response, scans::screening_id, scans::request_digest))
        .first::<(String, String, Option<String>)>(conn)
        .optional()?
    {
        // The same nonce for another code or door target is not a retry: replaying the stored
        // answer would report a verdict for a code nobody checked (entries from before digests
        // were kept have none and replay as before).
        if stored_digest.is_some_and(|stored| stored != digest) {
            return Err(AppError::conflict(
                "nonce_reused",
                "this nonce was already used for another code or door; send a new nonce for each scan (the same nonce only to retry the same scan)",
            ));
        }
        let mut answer: ScanAnswer = serde_json::from_str(&response).map_err(AppError::internal)?;
        answer.replayed = true;
        return Ok((answer, ScreeningId::from_db(&screening_id)));
    }

    let door_screening = door_screening(conn, staff, request.target, now)?;
    check_scope(staff, &door_screening)?;

    let mut answer = ScanAnswer {
        verdict: Verdict::Invalid,
        message: String::new(),
        scan_id: uuid::Uuid::now_v7().to_string(),
        ticket: None,
        screening: None,
        ticket_screening: None,
        first_admitted_at: None,
        first_admitted_door: None,
        admitted: 0,
        capacity: 0,
        replayed: false,
    };
    let mut judged = door_screening;
    let mut ticket_id = None;
    let mut admitted_now = false;
    let mut admitted_holder = None;

    let found = match claims {
        Err(_) => None,
        Ok(claims) => match ticket_with_booking(conn, claims.ticket) {
            Ok(found) => Some(found).filter(|(t, _)| t.screening_id == claims.screening),
            Err(AppError::NotFound(_)) => None,
            // A database failure is an error to retry, never an "unknown ticket" verdict.
            Err(other) => return Err(other),
        },
    };
    match (claims, found) {
        (Err(e), _) => {
            answer.verdict = Verdict::Invalid;
            answer.message = format!("This is not a valid ticket: {e}.");
        }
        (Ok(_), None) => {
            answer.verdict = Verdict::Unknown;
            answer.message = "The code is genuine but no such ticket exists here.".to_owned();
        }
        (Ok(_), Some((ticket, booking))) => {
            ticket_id = Some(ticket.id);
            answer.ticket = Some(TicketInfo {
                id: ticket.id.to_string(),
                holder_name: booking.name.clone(),
                category: ticket.category.to_string(),
                seat_number: ticket.seat_number,
                seats: booking.seats,
            });
            let ticket_screening = if ticket.screening_id == judged.screening.id {
                judged.clone()
            } else {
                screening_listing(conn, ticket.screening_id)?
                    .ok_or_else(|| AppError::not_found("screening"))?
            };
            // At a venue door, a ticket for any screening of this venue is judged on its own.
            // Only within this staff member's scope: a festival-scoped door at a shared venue
            // answers "wrong screening" for another festival's ticket.
            if let Target::Venue(venue) = request.target
                && ticket_screening.venue.id == venue
                && check_scope(staff, &ticket_screening).is_ok()
            {
                judged = ticket_screening.clone();
            }
            let zone = ticket_screening.zone();
            if ticket.status == TicketStatus::Cancelled
                || booking.status == BookingStatus::Cancelled.as_str()
                || ticket_screening.screening.status == ScreeningStatus::Cancelled
            {
                answer.verdict = Verdict::Cancelled;
                answer.message = if ticket_screening.screening.status == ScreeningStatus::Cancelled
                {
                    "The screening was cancelled.".to_owned()
                } else {
                    "This ticket was cancelled by its holder or an organiser.".to_owned()
                };
            } else if ticket_screening.screening.id != judged.screening.id {
                answer.verdict = Verdict::WrongScreening;
                answer.message = format!(
                    "This ticket is for {} at {}, {}.",
                    ticket_screening.film.title,
                    ticket_screening.venue.name,
                    format::when(ticket_screening.screening.starts_at, zone)
                );
                answer.ticket_screening = Some(ScreeningInfo::new(&ticket_screening));
            } else if now < doors_open_at(&judged) {
                answer.verdict = Verdict::TooEarly;
                answer.message = format!(
                    "Doors open at {}.",
                    format::time_of_day(doors_open_at(&judged), zone)
                );
            } else if now > doors_close_at(&judged) {
                answer.verdict = Verdict::TooLate;
                answer.message = format!(
                    "Doors closed at {}.",
                    format::time_of_day(doors_close_at(&judged), zone)
                );
            } else {
                // Screening before ticket: the lock order of every write (see lock_screenings).
                lock_screenings(conn, &[judged.screening.id])?;
                // The one statement that decides who is first.
                let won = diesel::update(
                    tickets::table
                        .find(ticket.id.to_string())
                        .filter(tickets::admitted_at.is_null())
                        .filter(tickets::status.eq(TicketStatus::Valid.as_str())),
                )
                .set((
                    tickets::admitted_at.eq(Some(now)),
                    tickets::admitted_door.eq(Some(&request.door)),
                ))
                .execute(conn)?;
                if won == 1 {
                    admitted_now = true;
                    admitted_holder = Some((
                        booking.email.clone(),
                        booking.country.clone(),
                        ticket.category,
                    ));
                    answer.verdict = Verdict::Admitted;
                    answer.message = format!("Welcome, {}.", booking.name);
                } else {
                    // Someone else changed the ticket since it was read: admitted at another
                    // door, or cancelled. Read which (the row is settled now).
                    let (at, door, status): (Option<NaiveDateTime>, Option<String>, String) =
                        tickets::table
                            .find(ticket.id.to_string())
                            .select((
                                tickets::admitted_at,
                                tickets::admitted_door,
                                tickets::status,
                            ))
                            .first(conn)?;
                    if at.is_none() && status == TicketStatus::Cancelled.as_str() {
                        answer.verdict = Verdict::Cancelled;
                        answer.message =
                            "This ticket was cancelled by its holder or an organiser.".to_owned();
                    } else {
                        answer.verdict = Verdict::AlreadyAdmitted;
                        answer.first_admitted_at = at.map(|t| format::rfc3339(t, zone));
                        answer.first_admitted_door = door.clone();
                        answer.message = format!(
                            "Already admitted at {} by {}.",
                            at.map(|t| format::time_of_day(t, zone)).unwrap_or_default(),
                            door.unwrap_or_default()
                        );
                    }
                }
            }
        }
    }

    answer.screening = Some(ScreeningInfo::new(&judged));
    let scan_id = answer.scan_id.clone();
    append_to_log(
        conn,
        &judged,
        LogEntry {
            id: &scan_id,
            kind: "scan",
            admitted_delta: i32::from(admitted_now),
            ticket_id: ticket_id.map(|t| t.to_string()),
            scanned: &request.code,
            door: &request.door,
            staff,
            nonce: &request.nonce,
            request_digest: Some(digest),
            client_time: request.client_time,
            now,
        },
        &mut answer,
    )?;
    if let Some((email, country, category)) = admitted_holder {
        tallies::admission(
            &tallies::Admission {
                festival: judged.screening.festival_id,
                screening: judged.screening.id,
                email: &email,
                country: &country,
                category,
            },
            1,
        )?;
    }
    Ok((answer, judged.screening.id))
}

struct LogEntry<'a> {
    id: &'a str,
    kind: &'static str,
    admitted_delta: i32,
    ticket_id: Option<String>,
    scanned: &'a str,
    door: &'a str,
    staff: &'a StaffMember,
    nonce: &'a str,
    request_digest: Option<String>,
    client_time: Option<NaiveDateTime>,
    now: NaiveDateTime,
}

/// Updates the screening's counter and chain head, and appends the entry. The counter update
/// locks the screening row first, so entries of one screening get consecutive sequence numbers.
fn append_to_log(
    conn: &mut AnyConnection,
    screening: &ScreeningListing,
    entry: LogEntry<'_>,
    answer: &mut ScanAnswer,
) -> Result<(), AppError> {
    let id = screening.screening.id.to_string();
    diesel::update(screenings::table.find(&id))
        .set((
            screenings::admitted.eq(screenings::admitted + entry.admitted_delta),
            screenings::scan_seq.eq(screenings::scan_seq + 1),
        ))
        .execute(conn)?;
    let (admitted, capacity, seq, prev_hash): (i32, i32, i32, String) = screenings::table
        .find(&id)
        .select((
            screenings::admitted,
            screenings::capacity,
            screenings::scan_seq,
            screenings::scan_head,
        ))
        .first(conn)?;
    answer.admitted = admitted;
    answer.capacity = capacity;
    let mut row = ScanRow {
        id: entry.id.to_owned(),
        screening_id: id.clone(),
        seq,
        kind: entry.kind.to_owned(),
        verdict: answer.verdict.as_str().to_owned(),
        ticket_id: entry.ticket_id,
        scanned: entry.scanned.chars().take(200).collect(),
        door: entry.door.to_owned(),
        staff_id: entry.staff.id.to_string(),
        nonce: entry.nonce.to_owned(),
        client_time: entry.client_time,
        server_time: entry.now,
        response: serde_json::to_string(answer).map_err(AppError::internal)?,
        prev_hash,
        hash: String::new(),
        request_digest: entry.request_digest,
    };
    row.hash = entry_hash(&row);
    diesel::insert_into(scans::table)
        .values(&row)
        .execute(conn)?;
    diesel::update(screenings::table.find(&id))
        .set(screenings::scan_head.eq(&row.hash))
        .execute(conn)?;
    Ok(())
}

/// The screening a door admits for now. At a venue: among the screenings the staff member may
/// admit for, the one whose doors are open (the earliest if several), else the next one to open,
/// else the last one that closed.
fn door_screening(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    target: Target,
    now: NaiveDateTime,
) -> Result<ScreeningListing, AppError> {
    match target {
        Target::Screening(id) => {
            screening_listing(conn, id)?.ok_or_else(|| AppError::not_found("screening"))
        }
        Target::Venue(venue) => {
            crate::catalogue::queries::venue(conn, venue)?
                .ok_or_else(|| AppError::not_found("venue"))?;
            if staff.venue_id.is_some_and(|own| own != venue) {
                return Err(AppError::Forbidden(
                    "this credential may only scan at its own venue".to_owned(),
                ));
            }
            // Screenings around now (doors open at most a day before, close at most a day after)
            // that this staff member may admit for (a venue can be shared by festivals).
            let around_now = crate::catalogue::queries::scheduled_screenings_between(
                conn,
                Some(venue),
                now - Duration::days(1),
                now + Duration::days(1),
                200,
            )?;
            let any_today = !around_now.is_empty();
            let listings: Vec<ScreeningListing> = around_now
                .into_iter()
                .filter(|l| check_scope(staff, l).is_ok())
                .collect();
            if any_today && listings.is_empty() {
                // Screenings here today, none of them this credential's festival's.
                return Err(AppError::Forbidden(
                    "this credential may only scan for its own festival".to_owned(),
                ));
            }
            let open = listings
                .iter()
                .find(|l| doors_open_at(l) <= now && now <= doors_close_at(l));
            let next = listings.iter().find(|l| doors_open_at(l) > now);
            let last = listings.iter().rev().find(|l| doors_close_at(l) < now);
            open.or(next)
                .or(last)
                .cloned()
                .ok_or_else(|| AppError::NotFound("no screening at this venue today".to_owned()))
        }
    }
}

/// Door staff limited to a festival or a venue may only scan there.
pub fn check_scope(staff: &StaffMember, screening: &ScreeningListing) -> Result<(), AppError> {
    if let Some(venue) = staff.venue_id
        && venue != screening.venue.id
    {
        return Err(AppError::Forbidden(
            "this credential may only scan at its own venue".to_owned(),
        ));
    }
    if let Some(festival) = staff.festival_id
        && festival != screening.screening.festival_id
    {
        return Err(AppError::Forbidden(
            "this credential may only scan for its own festival".to_owned(),
        ));
    }
    Ok(())
}

/// Undoes a door's own last admission, within [`ANNUL_WINDOW_SECONDS`]. The annulment is logged.
pub fn annul(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    scan_id: &str,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let now = now.trunc_subsecs(6);
    write_transaction(conn, |conn| {
        let original: ScanRow = scans::table
            .find(scan_id)
            .select(ScanRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found("scan"))?;
        if original.staff_id != staff.id.to_string() {
            return Err(AppError::Forbidden(
                "only the door that admitted a ticket can undo it".to_owned(),
            ));
        }
        if original.kind != "scan" || original.verdict != Verdict::Admitted.as_str() {
            return Err(AppError::conflict(
                "not_an_admission",
                "only an admission can be undone",
            ));
        }
        if now - original.server_time > Duration::seconds(ANNUL_WINDOW_SECONDS) {
            return Err(AppError::conflict(
                "annul_window_passed",
                format!("an admission can be undone within {ANNUL_WINDOW_SECONDS} seconds only"),
            ));
        }
        let last_admission: Option<String> = scans::table
            .filter(scans::staff_id.eq(&original.staff_id))
            .filter(scans::door.eq(&original.door))
            .filter(scans::kind.eq("scan"))
            .filter(scans::verdict.eq(Verdict::Admitted.as_str()))
            .order(scans::server_time.desc())
            .select(scans::id)
            .first(conn)
            .optional()?;
        if last_admission.as_deref() != Some(original.id.as_str()) {
            return Err(AppError::conflict(
                "not_last_admission",
                "only the door's last admission can be undone",
            ));
        }
        let screening_id = ScreeningId::from_db(&original.screening_id);
        // Screening before ticket: the lock order of every write (see lock_screenings).
        lock_screenings(conn, &[screening_id])?;
        let ticket_id = original.ticket_id.clone().unwrap_or_default();
        let (ticket, booking) =
            ticket_with_booking(conn, crate::domain::TicketId::from_db(&ticket_id))?;
        if booking.status == BookingStatus::Cancelled.as_str() {
            // Undoing would leave a valid, unused ticket in a cancelled booking: a seat that
            // nobody could use or free again.
            return Err(AppError::conflict(
                "booking_cancelled",
                "the booking was cancelled after this admission; it can no longer be undone",
            ));
        }
        let undone = diesel::update(
            tickets::table
                .find(&ticket_id)
                .filter(tickets::admitted_at.eq(Some(original.server_time))),
        )
        .set((
            tickets::admitted_at.eq(None::<NaiveDateTime>),
            tickets::admitted_door.eq(None::<String>),
        ))
        .execute(conn)?;
        if undone == 0 {
            return Err(AppError::conflict(
                "already_annulled",
                "this admission was already undone",
            ));
        }
        let listing = screening_listing(conn, screening_id)?
            .ok_or_else(|| AppError::not_found("screening"))?;
        let mut answer: ScanAnswer =
            serde_json::from_str(&original.response).map_err(AppError::internal)?;
        answer.verdict = Verdict::Annulled;
        answer.message = "Admission undone: the ticket can be scanned again.".to_owned();
        answer.scan_id = uuid::Uuid::now_v7().to_string();
        answer.replayed = false;
        let nonce = format!("annul:{}", original.id);
        let scan_id = answer.scan_id.clone();
        append_to_log(
            conn,
            &listing,
            LogEntry {
                id: &scan_id,
                kind: "annul",
                admitted_delta: -1,
                ticket_id: original.ticket_id.clone(),
                scanned: &original.scanned,
                door: &original.door,
                staff,
                nonce: &nonce,
                request_digest: None,
                client_time: None,
                now,
            },
            &mut answer,
        )?;
        tallies::admission(
            &tallies::Admission {
                festival: listing.screening.festival_id,
                screening: screening_id,
                email: &booking.email,
                country: &booking.country,
                category: ticket.category,
            },
            -1,
        )?;
        Ok((answer, screening_id))
    })
}
