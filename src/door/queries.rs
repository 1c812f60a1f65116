//! The scan and annul transactions.

use chrono::{Duration, NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{ScanRow, entry_hash};
use crate::booking::queries::{Booking, Ticket, ticket_with_booking};
use crate::catalogue::queries::{ScreeningListing, screening_listing};
use crate::db::schema::{scans, screenings, tickets};
use crate::db::{AnyConnection, tallies, write_transaction};
use crate::domain::ticket_code::{CodeError, TicketClaims, TicketVerifier};
use crate::domain::{
    BookingStatus, InputError, ScreeningId, ScreeningStatus, TicketStatus, VenueId, Verdict, input,
};
use crate::error::AppError;
use crate::msg;
use crate::staff::StaffMember;

use crate::domain::format;

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
                    crate::msg!("error-scan-target"),
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
                crate::msg!("error-control-characters", field = "code"),
            ));
        }
        if self.code.len() > MAX_SCANNED_LEN {
            return Err(InputError::new(
                "code",
                crate::msg!("error-too-long", field = "code", max = MAX_SCANNED_LEN),
            ));
        }
        let nonce = input::text("nonce", &self.nonce, 100)?;
        let client_time = self
            .scanned_at
            .as_deref()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.naive_utc().trunc_subsecs(6))
                    .map_err(|_| InputError::new("scanned_at", crate::msg!("error-scanned-at")))
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

pub fn doors_open_at(l: &ScreeningListing) -> NaiveDateTime {
    l.screening.starts_at - Duration::minutes(i64::from(l.screening.doors_open_minutes))
}

pub fn doors_close_at(l: &ScreeningListing) -> NaiveDateTime {
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
    /// For a scan decided offline and uploaded later: the device admitted the ticket, but the
    /// server could not (admitted elsewhere first, cancelled, not genuine). Always false online.
    #[serde(default)]
    pub conflict: bool,
}

/// How a scan reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decided here, as it arrives.
    Online,
    /// Decided by a door device without the network, at `scanned_at`, and uploaded later;
    /// `admitted_offline` is what the device answered.
    Offline {
        scanned_at: NaiveDateTime,
        admitted_offline: bool,
    },
}

/// Scans one code: [`prepare`] then [`record`], on one connection (the fuzz target and the
/// scan-path benchmark use this; the HTTP handler runs the two steps apart).
pub fn scan(
    conn: &mut AnyConnection,
    verifier: &TicketVerifier,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let claims = verifier.verify(&request.code);
    match prepare(conn, &claims, staff, request, now)? {
        Prepared::Replay(answer, screening) => Ok((*answer, screening)),
        Prepared::Facts(facts) => record(conn, &facts, staff, request, now, Mode::Online),
    }
}

/// A scan's first step, read without a lock (on any pooled connection, before the writer): the
/// answer to a replayed nonce, or the facts the verdict is judged on.
pub enum Prepared {
    /// The nonce was used before for this same scan: its original answer.
    Replay(Box<ScanAnswer>, ScreeningId),
    Facts(Box<ScanFacts>),
}

/// What a scan is judged on that does not change under it, or whose change the write notices:
/// the screening the door admits for, and the ticket with its booking and screening. A ticket
/// cancelled meanwhile fails the conditional admit; a screening cancelled or moved meanwhile is
/// read again under its lock ([`ScreeningState`]).
#[derive(Debug, Clone)]
pub struct ScanFacts {
    /// Why the code is not genuine, if it is not.
    code: Result<(), CodeError>,
    /// The screening whose counter and log this scan goes to.
    judged: ScreeningListing,
    ticket: Option<TicketFacts>,
}

#[derive(Debug, Clone)]
struct TicketFacts {
    ticket: Ticket,
    booking: Booking,
    screening: ScreeningListing,
}

impl ScanFacts {
    /// The screening whose row the write locks: the writer orders its batches by it.
    pub fn lock_key(&self) -> String {
        self.judged.screening.id.to_string()
    }
}

/// Reads what a scan needs (see [`Prepared`]). Errors only for requests that cannot be judged:
/// an unknown screening or venue, a door outside the staff member's scope, a reused nonce.
pub fn prepare(
    conn: &mut AnyConnection,
    claims: &Result<TicketClaims, CodeError>,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<Prepared, AppError> {
    if let Some((answer, screening)) = replay(conn, staff, request)? {
        return Ok(Prepared::Replay(Box::new(answer), screening));
    }
    let door = door_screening(conn, staff, request.target, now)?;
    check_scope(staff, &door)?;
    let ticket = match claims {
        Err(_) => None,
        Ok(claims) => match ticket_with_booking(conn, claims.ticket) {
            Ok((ticket, booking)) if ticket.screening_id == claims.screening => {
                let screening = if ticket.screening_id == door.screening.id {
                    door.clone()
                } else {
                    screening_listing(conn, ticket.screening_id)?
                        .ok_or_else(|| AppError::not_found("screening"))?
                };
                Some(TicketFacts {
                    ticket,
                    booking: booking.try_into()?,
                    screening,
                })
            }
            Ok(_) | Err(AppError::NotFound(_)) => None,
            // A database failure is an error to retry, never an "unknown ticket" verdict.
            Err(other) => return Err(other),
        },
    };
    // At a venue door, a ticket for any screening of this venue is judged on its own. Only
    // within this staff member's scope: a festival-scoped door at a shared venue answers
    // "wrong screening" for another festival's ticket.
    let judged = match (&ticket, request.target) {
        (Some(t), Target::Venue(venue))
            if t.screening.venue.id == venue && check_scope(staff, &t.screening).is_ok() =>
        {
            t.screening.clone()
        }
        _ => door,
    };
    Ok(Prepared::Facts(Box::new(ScanFacts {
        code: claims.map(|_| ()),
        judged,
        ticket,
    })))
}

/// A scan's second step, in the writer: under the judged screening's lock, decide, admit at most
/// once, and append to the log. Two requests with the same nonce racing each other: the loser
/// hits the unique index, rolls back, and on the next attempt finds (and returns) the winner's
/// answer.
pub fn record(
    conn: &mut AnyConnection,
    facts: &ScanFacts,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
    mode: Mode,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let now = now.trunc_subsecs(6);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = write_transaction(conn, |conn| {
            if attempts > 1
                && let Some(replayed) = replay(conn, staff, request)?
            {
                return Ok(replayed);
            }
            record_once(conn, facts, staff, request, now, mode)
        });
        match result {
            Err(AppError::Conflict {
                code: "already_exists",
                ..
            }) if attempts < 4 => continue,
            other => return other,
        }
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

/// The stored answer to this staff member's earlier scan with the same nonce, if any.
fn replay(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    request: &ScanRequest,
) -> Result<Option<(ScanAnswer, ScreeningId)>, AppError> {
    let Some((response, screening_id, stored_digest)) = scans::table
        .filter(scans::staff_id.eq(staff.id.to_string()))
        .filter(scans::nonce.eq(&request.nonce))
        .select((scans::response, scans::screening_id, scans::request_digest))
        .first::<(String, String, Option<String>)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    // The same nonce for another code or door target is not a retry: replaying the stored
    // answer would report a verdict for a code nobody checked (entries from before digests
    // were kept have none and replay as before).
    if stored_digest.is_some_and(|stored| stored != request_digest(request)) {
        return Err(AppError::conflict(
            "nonce_reused",
            crate::msg!("error-nonce-reused"),
        ));
    }
    let mut answer: ScanAnswer = serde_json::from_str(&response).map_err(AppError::internal)?;
    answer.replayed = true;
    Ok(Some((
        answer,
        ScreeningId::from_db("scans.screening_id", &screening_id)?,
    )))
}

/// A screening's row as read under its lock, at the start of a scan's or undo's write: what may
/// have changed since [`prepare`] (status, times) and the counter and chain head to extend.
#[derive(Debug, Clone, Queryable)]
pub struct ScreeningState {
    status: String,
    starts_at: NaiveDateTime,
    doors_open_minutes: i32,
    doors_close_minutes: i32,
    admitted: i32,
    capacity: i32,
    scan_seq: i32,
    scan_head: String,
    standby_admitted: i32,
}

/// Locks the screening's row (PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the one write lock)
/// and reads it: the first statement of every write to a screening's tickets or log, which keeps
/// the lock order of [`crate::db::lock_screenings`].
fn lock_state(conn: &mut AnyConnection, id: ScreeningId) -> Result<ScreeningState, AppError> {
    let query = screenings::table.find(id.to_string()).select((
        screenings::status,
        screenings::starts_at,
        screenings::doors_open_minutes,
        screenings::doors_close_minutes,
        screenings::admitted,
        screenings::capacity,
        screenings::scan_seq,
        screenings::scan_head,
        screenings::standby_admitted,
    ));
    let state = match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first(pg).optional()?,
        AnyConnection::Sqlite(lite) => query.first(lite).optional()?,
    };
    state.ok_or_else(|| AppError::not_found("screening"))
}

impl ScreeningState {
    /// The listing with what was read under the lock.
    fn refresh(&self, listing: &ScreeningListing) -> Result<ScreeningListing, AppError> {
        let mut fresh = listing.clone();
        let s = &mut fresh.screening;
        s.status = ScreeningStatus::from_db("screenings.status", &self.status)?;
        s.starts_at = self.starts_at;
        s.doors_open_minutes = self.doors_open_minutes;
        s.doors_close_minutes = self.doors_close_minutes;
        s.admitted = self.admitted;
        s.capacity = self.capacity;
        Ok(fresh)
    }
}

/// What the rule says before the one conditional admit decides who is first.
#[derive(Debug, Clone)]
enum Judgement {
    /// Every check passed: try to admit.
    Admit,
    /// A verdict other than admitted, with its message.
    Refuse {
        verdict: Verdict,
        message: String,
        /// For `wrong_screening`: the screening the ticket is for.
        ticket_screening: Option<Box<ScreeningInfo>>,
    },
}

/// A refusal with its message, put into words in the current language.
fn refuse(verdict: Verdict, message: crate::i18n::Msg) -> Judgement {
    Judgement::Refuse {
        verdict,
        message: message.to_string(),
        ticket_screening: None,
    }
}

/// Why a code is not a ticket, in the door's words.
fn code_problem(error: CodeError) -> crate::i18n::Msg {
    match error {
        CodeError::Format => msg!("door-code-format"),
        CodeError::Incomplete => msg!("door-code-incomplete"),
        CodeError::UnknownKey => msg!("door-code-unknown-key"),
        CodeError::Signature => msg!("door-code-signature"),
    }
}

/// The verdict rule, over facts already loaded: a pure function (no storage), so every case is
/// tested beside it. `judged` is the screening the door admits for, as read under its lock.
fn judge(
    code: Result<(), CodeError>,
    ticket: Option<&TicketFacts>,
    judged: &ScreeningListing,
    now: NaiveDateTime,
) -> Judgement {
    let Some(t) = ticket else {
        return match code {
            Err(CodeError::Incomplete) => refuse(Verdict::Invalid, msg!("door-incomplete-read")),
            Err(e) => refuse(
                Verdict::Invalid,
                msg!("door-not-a-ticket", why = code_problem(e)),
            ),
            Ok(()) => refuse(Verdict::Unknown, msg!("door-no-such-ticket")),
        };
    };
    // The ticket's own screening, as fresh as we have it (locked when it is the judged one).
    let ticket_screening = if t.screening.screening.id == judged.screening.id {
        judged
    } else {
        &t.screening
    };
    if ticket_screening.screening.status == ScreeningStatus::Cancelled {
        return refuse(Verdict::Cancelled, msg!("door-screening-cancelled"));
    }
    if t.ticket.status == TicketStatus::Cancelled || t.booking.status == BookingStatus::Cancelled {
        return refuse(Verdict::Cancelled, msg!("door-ticket-cancelled"));
    }
    if ticket_screening.screening.id != judged.screening.id {
        let zone = ticket_screening.zone();
        return Judgement::Refuse {
            verdict: Verdict::WrongScreening,
            message: msg!(
                "door-wrong-screening",
                film = &ticket_screening.film.title,
                venue = &ticket_screening.venue.name,
                when = format::when(ticket_screening.screening.starts_at, zone)
            )
            .to_string(),
            ticket_screening: Some(Box::new(ScreeningInfo::new(ticket_screening))),
        };
    }
    let zone = judged.zone();
    if now < doors_open_at(judged) {
        return refuse(
            Verdict::TooEarly,
            msg!(
                "door-doors-open-at",
                time = time_and_day(doors_open_at(judged), now, zone)
            ),
        );
    }
    if now > doors_close_at(judged) {
        return refuse(
            Verdict::TooLate,
            msg!(
                "door-doors-closed-at",
                time = time_and_day(doors_close_at(judged), now, zone)
            ),
        );
    }
    Judgement::Admit
}

/// "20:15", or "20:15 on Sun 14 Dec" when that is not today where the door is.
fn time_and_day(t: NaiveDateTime, now: NaiveDateTime, zone: chrono_tz::Tz) -> String {
    let (local, today) = (format::local(t, zone), format::local(now, zone));
    if local.date_naive() == today.date_naive() {
        format::time_of_day(t, zone)
    } else {
        msg!(
            "door-time-on-day",
            time = format::time_of_day(t, zone),
            day = crate::i18n::dates::day_short(local.date_naive())
        )
        .to_string()
    }
}

fn record_once(
    conn: &mut AnyConnection,
    facts: &ScanFacts,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
    mode: Mode,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    // When the person stood at the door: now, or when the device scanned offline.
    let at = match mode {
        Mode::Online => now,
        Mode::Offline { scanned_at, .. } => scanned_at.trunc_subsecs(6),
    };
    let state = lock_state(conn, facts.judged.screening.id)?;
    let judged = state.refresh(&facts.judged)?;
    let zone = judged.zone();
    let mut answer = ScanAnswer {
        verdict: Verdict::Invalid,
        message: String::new(),
        scan_id: uuid::Uuid::now_v7().to_string(),
        ticket: facts.ticket.as_ref().map(|t| TicketInfo {
            id: t.ticket.id.to_string(),
            holder_name: t.booking.name.clone(),
            category: t.ticket.category.to_string(),
            seat_number: t.ticket.seat_number,
            seats: t.booking.seats,
        }),
        screening: Some(ScreeningInfo::new(&judged)),
        ticket_screening: None,
        first_admitted_at: None,
        first_admitted_door: None,
        admitted: 0,
        capacity: 0,
        replayed: false,
        conflict: false,
    };
    let mut admitted_now = false;
    match judge(facts.code, facts.ticket.as_ref(), &judged, at) {
        Judgement::Refuse {
            verdict,
            message,
            ticket_screening,
        } => {
            answer.verdict = verdict;
            answer.message = message;
            answer.ticket_screening = ticket_screening.map(|s| *s);
        }
        // Seats of holders not yet arrived may have gone to the standby line (read under the
        // screening's lock, as standby admissions are made): never more people than seats.
        Judgement::Admit if state.admitted + state.standby_admitted >= state.capacity => {
            answer.verdict = Verdict::RoomFull;
            answer.message = msg!("door-room-full").to_string();
        }
        Judgement::Admit => {
            let t = facts.ticket.as_ref().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("an admission without a ticket"))
            })?;
            // The one statement that decides who is first.
            let won = diesel::update(
                tickets::table
                    .find(t.ticket.id.to_string())
                    .filter(tickets::admitted_at.is_null())
                    .filter(tickets::status.eq(TicketStatus::Valid.as_str())),
            )
            .set((
                tickets::admitted_at.eq(Some(at)),
                tickets::admitted_door.eq(Some(&request.door)),
            ))
            .execute(conn)?;
            if won == 1 {
                admitted_now = true;
                answer.verdict = Verdict::Admitted;
                answer.message = msg!("door-welcome", name = &t.booking.name).to_string();
            } else {
                // Someone else changed the ticket since it was read: admitted at another
                // door, or cancelled. Read which (the row is settled now).
                let (at, door, status): (Option<NaiveDateTime>, Option<String>, String) =
                    tickets::table
                        .find(t.ticket.id.to_string())
                        .select((
                            tickets::admitted_at,
                            tickets::admitted_door,
                            tickets::status,
                        ))
                        .first(conn)?;
                if at.is_none()
                    && TicketStatus::from_db("tickets.status", &status)? == TicketStatus::Cancelled
                {
                    answer.verdict = Verdict::Cancelled;
                    answer.message = msg!("door-ticket-cancelled").to_string();
                } else {
                    answer.verdict = Verdict::AlreadyAdmitted;
                    answer.first_admitted_at = at.map(|t| format::rfc3339(t, zone));
                    answer.first_admitted_door = door.clone();
                    answer.message = msg!(
                        "door-already-admitted",
                        time = at.map(|t| format::time_of_day(t, zone)).unwrap_or_default(),
                        door = door.unwrap_or_default()
                    )
                    .to_string();
                }
            }
        }
    }

    if let Mode::Offline {
        admitted_offline: true,
        scanned_at,
    } = mode
        && answer.verdict != Verdict::Admitted
    {
        answer.conflict = true;
        answer.message = msg!(
            "door-offline-conflict",
            door = &request.door,
            time = format::time_of_day(scanned_at, zone),
            answer = &answer.message
        )
        .to_string();
    }
    let scan_id = answer.scan_id.clone();
    append_to_log(
        conn,
        &judged,
        &state,
        LogEntry {
            id: &scan_id,
            kind: "scan",
            admitted_delta: i32::from(admitted_now),
            ticket_id: facts.ticket.as_ref().map(|t| t.ticket.id.to_string()),
            scanned: &request.code,
            door: &request.door,
            staff,
            nonce: &request.nonce,
            request_digest: Some(request_digest(request)),
            client_time: request.client_time,
            now,
        },
        &mut answer,
    )?;
    if admitted_now && let Some(t) = &facts.ticket {
        tallies::admission(
            &tallies::Admission {
                festival: judged.screening.festival_id,
                screening: judged.screening.id,
                email: &t.booking.email,
                country: &t.booking.country,
                category: t.ticket.category,
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

/// Appends the entry to the screening's log and moves its counter and chain head, from the state
/// read under its lock ([`lock_state`]): entries of one screening get consecutive sequence
/// numbers, each hash covering the one before.
fn append_to_log(
    conn: &mut AnyConnection,
    screening: &ScreeningListing,
    state: &ScreeningState,
    entry: LogEntry<'_>,
    answer: &mut ScanAnswer,
) -> Result<(), AppError> {
    let id = screening.screening.id.to_string();
    let admitted = state.admitted + entry.admitted_delta;
    let seq = state.scan_seq + 1;
    answer.admitted = admitted;
    answer.capacity = state.capacity;
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
        prev_hash: state.scan_head.clone(),
        hash: String::new(),
        request_digest: entry.request_digest,
        conflict: answer.conflict,
    };
    row.hash = entry_hash(&row);
    diesel::insert_into(scans::table)
        .values(&row)
        .execute(conn)?;
    diesel::update(screenings::table.find(&id))
        .set((
            screenings::admitted.eq(admitted),
            screenings::scan_seq.eq(seq),
            screenings::scan_head.eq(&row.hash),
        ))
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
            let listings = venue_screenings(conn, staff, venue, now)?;
            let open = listings
                .iter()
                .find(|l| doors_open_at(l) <= now && now <= doors_close_at(l));
            let next = listings.iter().find(|l| doors_open_at(l) > now);
            let last = listings.iter().rev().find(|l| doors_close_at(l) < now);
            open.or(next)
                .or(last)
                .cloned()
                .ok_or_else(|| AppError::NotFound(msg!("error-no-screening-today")))
        }
    }
}

/// The screenings a venue's door may admit for around `now` (doors open at most a day before,
/// close at most a day after), within the staff member's scope — a venue can be shared by
/// festivals. The one rule used by the door page, the scan API and the offline bundle.
pub fn venue_screenings(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    venue: VenueId,
    now: NaiveDateTime,
) -> Result<Vec<ScreeningListing>, AppError> {
    crate::catalogue::queries::venue(conn, venue)?.ok_or_else(|| AppError::not_found("venue"))?;
    if staff.venue_id.is_some_and(|own| own != venue) {
        return Err(AppError::Forbidden(msg!("error-scan-own-venue-only")));
    }
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
        return Err(AppError::Forbidden(msg!("error-scan-own-festival-only")));
    }
    Ok(listings)
}

/// Door staff limited to a festival or a venue may only scan there.
pub fn check_scope(staff: &StaffMember, screening: &ScreeningListing) -> Result<(), AppError> {
    if let Some(venue) = staff.venue_id
        && venue != screening.venue.id
    {
        return Err(AppError::Forbidden(msg!("error-scan-own-venue-only")));
    }
    if let Some(festival) = staff.festival_id
        && festival != screening.screening.festival_id
    {
        return Err(AppError::Forbidden(msg!("error-scan-own-festival-only")));
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
            return Err(AppError::Forbidden(msg!("error-annul-other-door")));
        }
        if original.kind != "scan" || original.verdict != Verdict::Admitted.as_str() {
            return Err(AppError::conflict(
                "not_an_admission",
                msg!("error-annul-not-admission"),
            ));
        }
        if now - original.server_time > Duration::seconds(ANNUL_WINDOW_SECONDS) {
            return Err(AppError::conflict(
                "annul_window_passed",
                msg!("error-annul-too-late", seconds = ANNUL_WINDOW_SECONDS),
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
                msg!("error-annul-not-last"),
            ));
        }
        let screening_id = ScreeningId::from_db("scans.screening_id", &original.screening_id)?;
        // Screening before ticket: the lock order of every write (see lock_screenings).
        let state = lock_state(conn, screening_id)?;
        let ticket_id = original.ticket_id.clone().unwrap_or_default();
        let (ticket, booking) = ticket_with_booking(
            conn,
            crate::domain::TicketId::from_db("scans.ticket_id", &ticket_id)?,
        )?;
        if BookingStatus::from_db("bookings.status", &booking.status)? == BookingStatus::Cancelled {
            // Undoing would leave a valid, unused ticket in a cancelled booking: a seat that
            // nobody could use or free again.
            return Err(AppError::conflict(
                "booking_cancelled",
                msg!("error-annul-booking-cancelled"),
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
                msg!("error-annul-already"),
            ));
        }
        let listing = screening_listing(conn, screening_id)?
            .ok_or_else(|| AppError::not_found("screening"))?;
        let mut answer: ScanAnswer =
            serde_json::from_str(&original.response).map_err(AppError::internal)?;
        answer.verdict = Verdict::Annulled;
        answer.message = msg!("door-admission-undone").to_string();
        answer.scan_id = uuid::Uuid::now_v7().to_string();
        answer.replayed = false;
        answer.conflict = false;
        let nonce = format!("annul:{}", original.id);
        let scan_id = answer.scan_id.clone();
        append_to_log(
            conn,
            &listing,
            &state,
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

#[cfg(test)]
mod tests {
    //! The verdict rule, case by case, without a database.
    use chrono::NaiveDate;

    use super::*;
    use crate::catalogue::queries::{Film, Screening, Venue};
    use crate::domain::{BookingId, FestivalId, FilmId, TicketCategory, TicketId};

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 12)
            .and_then(|d| d.and_hms_opt(hour, minute, 0))
            .unwrap()
    }

    /// A screening at 19:00 UTC (20:00 in Paris); doors 18:15–19:30 UTC.
    fn listing(title: &str) -> ScreeningListing {
        ScreeningListing {
            screening: Screening {
                id: ScreeningId::new(),
                festival_id: FestivalId::new(),
                film_id: FilmId::new(),
                venue_id: VenueId::new(),
                room: "Grande Salle".to_owned(),
                starts_at: at(19, 0),
                ends_at: at(21, 0),
                capacity: 100,
                booked: 10,
                admitted: 0,
                doors_open_minutes: 45,
                doors_close_minutes: 30,
                status: ScreeningStatus::Scheduled,
            },
            film: Film {
                id: FilmId::new(),
                title: title.to_owned(),
                original_title: String::new(),
                director: "Đặng Thái Huyền".to_owned(),
                year: 2025,
                runtime_minutes: 124,
                country: "VN".to_owned(),
                language: String::new(),
                subtitles: String::new(),
            },
            venue: Venue {
                id: VenueId::new(),
                name: "Pathé Palace".to_owned(),
                city: "Paris".to_owned(),
                address: String::new(),
                timezone: "Europe/Paris".to_owned(),
                rooms: Vec::new(),
            },
        }
    }

    fn ticket_for(screening: &ScreeningListing) -> TicketFacts {
        let booking = BookingId::new();
        TicketFacts {
            ticket: Ticket {
                id: TicketId::new(),
                booking_id: booking,
                screening_id: screening.screening.id,
                seat_number: 1,
                category: TicketCategory::Public,
                code: String::new(),
                status: TicketStatus::Valid,
                admitted_at: None,
                admitted_door: None,
            },
            booking: Booking {
                id: booking,
                screening_id: screening.screening.id,
                name: "Ana Nguyen".to_owned(),
                email: "ana@example.org".to_owned(),
                country: "FR".to_owned(),
                seats: 1,
                status: BookingStatus::Confirmed,
                created_at: at(10, 0),
                cancelled_at: None,
            },
            screening: screening.clone(),
        }
    }

    /// (case, code check, ticket, screening judged, now, expected verdict: `None` = admit)
    type Case<'a> = (
        &'a str,
        Result<(), CodeError>,
        Option<&'a TicketFacts>,
        &'a ScreeningListing,
        NaiveDateTime,
        Option<Verdict>,
    );

    fn verdict(j: &Judgement) -> Option<Verdict> {
        match j {
            Judgement::Admit => None,
            Judgement::Refuse { verdict, .. } => Some(*verdict),
        }
    }

    #[test]
    fn each_case_gets_its_verdict() {
        let here = listing("Red Rain");
        let elsewhere = listing("Tunnels");
        let mut cancelled_screening = here.clone();
        cancelled_screening.screening.status = ScreeningStatus::Cancelled;
        let valid = ticket_for(&here);
        let mut cancelled_ticket = valid.clone();
        cancelled_ticket.ticket.status = TicketStatus::Cancelled;
        let mut cancelled_booking = valid.clone();
        cancelled_booking.booking.status = BookingStatus::Cancelled;
        let other = ticket_for(&elsewhere);
        let mut other_cancelled = ticket_for(&elsewhere);
        other_cancelled.screening.screening.status = ScreeningStatus::Cancelled;
        let mut for_cancelled = ticket_for(&cancelled_screening);
        for_cancelled.screening = here.clone(); // read before the cancellation …

        let genuine = Ok(());
        let forged = Err(CodeError::Signature);
        let open = at(18, 30);
        #[rustfmt::skip]
        let cases: Vec<Case<'_>> = vec![
            ("valid, doors open", genuine, Some(&valid), &here, open, None),
            ("at the first minute", genuine, Some(&valid), &here, at(18, 15), None),
            ("at the last minute", genuine, Some(&valid), &here, at(19, 30), None),
            ("forged", forged, None, &here, open, Some(Verdict::Invalid)),
            ("genuine, no such ticket", genuine, None, &here, open, Some(Verdict::Unknown)),
            ("ticket cancelled", genuine, Some(&cancelled_ticket), &here, open, Some(Verdict::Cancelled)),
            ("booking cancelled", genuine, Some(&cancelled_booking), &here, open, Some(Verdict::Cancelled)),
            // … and judged against the row read under the lock, which says cancelled.
            ("screening cancelled since", genuine, Some(&for_cancelled), &cancelled_screening, open, Some(Verdict::Cancelled)),
            ("another screening", genuine, Some(&other), &here, open, Some(Verdict::WrongScreening)),
            ("another, cancelled screening", genuine, Some(&other_cancelled), &here, open, Some(Verdict::Cancelled)),
            ("a minute early", genuine, Some(&valid), &here, at(18, 14), Some(Verdict::TooEarly)),
            ("a minute late", genuine, Some(&valid), &here, at(19, 31), Some(Verdict::TooLate)),
            ("wrong screening, even out of hours", genuine, Some(&other), &here, at(6, 0), Some(Verdict::WrongScreening)),
        ];
        for (case, code, ticket, judged, now, expected) in cases {
            let judgement = judge(code, ticket, judged, now);
            assert_eq!(verdict(&judgement), expected, "{case}");
        }
    }

    #[test]
    fn refusals_say_why_in_the_venues_time() {
        let here = listing("Red Rain");
        let elsewhere = listing("Tunnels");
        let message = |j: Judgement| match j {
            Judgement::Refuse { message, .. } => message,
            Judgement::Admit => panic!("admitted"),
        };
        let early = judge(Ok(()), Some(&ticket_for(&here)), &here, at(17, 0));
        assert_eq!(message(early), "Doors open at 19:15.");
        let late = judge(Ok(()), Some(&ticket_for(&here)), &here, at(20, 0));
        assert_eq!(message(late), "Doors closed at 20:30.");
        // Another day: the day is said too.
        let day_before = at(18, 0) - Duration::days(1);
        let early = judge(Ok(()), Some(&ticket_for(&here)), &here, day_before);
        assert_eq!(message(early), "Doors open at 19:15 on Sat 12 Dec.");
        let incomplete = judge(Err(CodeError::Incomplete), None, &here, at(18, 30));
        assert_eq!(message_of(&incomplete), "Incomplete read — scan again.");
        let wrong = judge(Ok(()), Some(&ticket_for(&elsewhere)), &here, at(18, 30));
        let Judgement::Refuse {
            message,
            ticket_screening,
            ..
        } = wrong
        else {
            panic!("admitted")
        };
        assert!(message.starts_with("This ticket is for Tunnels at Pathé Palace"));
        assert_eq!(
            ticket_screening.map(|s| s.id),
            Some(elsewhere.screening.id.to_string())
        );
        let forged = judge(Err(CodeError::Format), None, &here, at(18, 30));
        assert!(message_of(&forged).starts_with("This is not a valid ticket: "));
    }

    fn message_of(j: &Judgement) -> &str {
        match j {
            Judgement::Refuse { message, .. } => message,
            Judgement::Admit => "",
        }
    }
}
