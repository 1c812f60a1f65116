//! The scan and annul transactions.

use chrono::{Duration, NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use super::chain::{ScanRow, entry_hash};
use crate::booking::queries::ticket_with_booking;
use crate::catalogue::cache::{Lookup, Source, VenueDay};
use crate::catalogue::queries::{ScreeningListing, screening_listing};
use crate::db::schema::{scans, screenings, tickets};
use crate::db::{AnyConnection, Tx, tallies};
use crate::domain::{
    BookingStatus, InputError, ScanKind, ScreeningId, ScreeningStatus, VenueId, Verdict, input,
};
use crate::error::{AppError, Refusal, Thing};
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

/// How far from the server's clock a scan's own time may be: a device offline for up to a week
/// (a festival's length), a few minutes ahead (clocks drift). The same for online and synced scans.
pub const SCANNED_AT_PAST: chrono::Duration = chrono::Duration::days(7);
pub const SCANNED_AT_AHEAD: chrono::Duration = chrono::Duration::minutes(5);

impl ScanInput {
    /// Checks every field; `now` bounds `scanned_at` (see [`SCANNED_AT_PAST`]).
    pub fn parse(self, now: NaiveDateTime) -> Result<ScanRequest, InputError> {
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
        if let Some(at) = client_time
            && (at > now + SCANNED_AT_AHEAD || at < now - SCANNED_AT_PAST)
        {
            return Err(InputError::new(
                "scanned_at",
                crate::msg!("error-scanned-at-window"),
            ));
        }
        Ok(ScanRequest {
            code: self.code,
            target,
            door: input::door_name(&self.door)?,
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
    pub(super) fn new(listing: &ScreeningListing) -> ScreeningInfo {
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

/// What a scan asked for, as stored with it: a nonce used again must ask for the same thing.
/// Whitespace and case do not count (scanners add spaces; the code is upper-case base32).
pub(super) fn request_digest(request: &ScanRequest) -> String {
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

/// A screening's row as read under its lock, at the start of a scan's or undo's write: what may
/// have changed since the scan was routed (status, times) and the counter and chain head to
/// extend.
#[derive(Debug, Clone, Queryable)]
pub struct ScreeningState {
    status: String,
    starts_at: NaiveDateTime,
    doors_open_minutes: i32,
    doors_close_minutes: i32,
    pub(super) admitted: i32,
    pub(super) capacity: i32,
    pub(super) scan_seq: i32,
    pub(super) scan_head: String,
    pub(super) standby_admitted: i32,
}

/// Locks the screening's row (PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the one write lock)
/// and reads it: the first statement of every write to a screening's tickets or log, which keeps
/// the lock order of [`crate::db::lock_screenings`].
pub(super) fn lock_state(
    conn: &mut AnyConnection,
    id: ScreeningId,
) -> Result<ScreeningState, AppError> {
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
    state.ok_or_else(|| AppError::not_found(Thing::Screening))
}

impl ScreeningState {
    /// The listing with what was read under the lock.
    pub(super) fn refresh(&self, listing: &ScreeningListing) -> Result<ScreeningListing, AppError> {
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

/// One entry of a screening's scan log, before it is chained.
pub(super) struct LogEntry<'a> {
    pub id: &'a str,
    pub kind: ScanKind,
    pub ticket_id: Option<String>,
    pub scanned: &'a str,
    pub door: &'a str,
    pub staff: &'a StaffMember,
    pub nonce: &'a str,
    pub request_digest: Option<String>,
    pub client_time: Option<NaiveDateTime>,
    pub now: NaiveDateTime,
}

/// A screening's chain head and counter, moved on entry by entry (from the state read under its
/// lock: [`lock_state`]): entries of one screening get consecutive sequence numbers, each hash
/// covering the one before.
pub(super) struct Chain {
    screening: String,
    pub admitted: i32,
    capacity: i32,
    seq: i32,
    head: String,
}

impl Chain {
    pub fn new(screening: ScreeningId, state: &ScreeningState) -> Chain {
        Chain {
            screening: screening.to_string(),
            admitted: state.admitted,
            capacity: state.capacity,
            seq: state.scan_seq,
            head: state.scan_head.clone(),
        }
    }

    /// The next entry's row, with the answer it records (which is given the counter after
    /// `admitted_delta`).
    pub fn append(
        &mut self,
        entry: LogEntry<'_>,
        admitted_delta: i32,
        answer: &mut ScanAnswer,
    ) -> Result<ScanRow, AppError> {
        self.admitted += admitted_delta;
        self.seq += 1;
        answer.admitted = self.admitted;
        answer.capacity = self.capacity;
        let mut row = ScanRow {
            id: entry.id.to_owned(),
            screening_id: self.screening.clone(),
            seq: self.seq,
            kind: entry.kind.as_str().to_owned(),
            verdict: answer.verdict.as_str().to_owned(),
            ticket_id: entry.ticket_id,
            scanned: entry.scanned.chars().take(200).collect(),
            door: entry.door.to_owned(),
            staff_id: entry.staff.id.to_string(),
            nonce: entry.nonce.to_owned(),
            client_time: entry.client_time,
            server_time: entry.now,
            response: serde_json::to_string(answer).map_err(AppError::internal)?,
            prev_hash: std::mem::take(&mut self.head),
            hash: String::new(),
            request_digest: entry.request_digest,
            conflict: answer.conflict,
        };
        row.hash = entry_hash(&row);
        self.head.clone_from(&row.hash);
        Ok(row)
    }

    /// Writes the entries (one statement) and the screening's new counter and head (another).
    pub fn store(&self, conn: &mut AnyConnection, rows: &[ScanRow]) -> Result<(), AppError> {
        if rows.is_empty() {
            return Ok(());
        }
        // One multi-row statement (diesel writes one only for a backend it knows).
        let insert = diesel::insert_into(scans::table).values(rows);
        crate::on_each_backend!(conn, c => insert.execute(c)).map_err(|error| match error {
            // The same nonce written meanwhile by a racing request (on another instance):
            // undone and run again, the scan then finds that request's answer.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => AppError::Transient(anyhow::anyhow!("a scan's nonce was used meanwhile")),
            other => other.into(),
        })?;
        diesel::update(screenings::table.find(&self.screening))
            .set((
                screenings::admitted.eq(self.admitted),
                screenings::scan_seq.eq(self.seq),
                screenings::scan_head.eq(&self.head),
            ))
            .execute(conn)?;
        Ok(())
    }
}

/// The screening a door admits for now. At a venue: among the screenings the staff member may
/// admit for, the one whose doors are open (the earliest if several), else the next one to open,
/// else the last one that closed.
pub(super) fn door_screening(
    source: &mut Source<'_>,
    staff: &StaffMember,
    target: Target,
    now: NaiveDateTime,
) -> Result<Arc<ScreeningListing>, Lookup> {
    match target {
        Target::Screening(id) => Ok(source
            .screening(id)?
            .ok_or_else(|| AppError::not_found(Thing::Screening))?),
        Target::Venue(venue) => {
            let day = source.venue_day(venue, now)?;
            let listings = admissible(staff, venue, day.as_deref())?;
            let open = listings
                .iter()
                .find(|l| doors_open_at(l) <= now && now <= doors_close_at(l));
            let next = listings.iter().find(|l| doors_open_at(l) > now);
            let last = listings.iter().rev().find(|l| doors_close_at(l) < now);
            Ok(open
                .or(next)
                .or(last)
                .cloned()
                .ok_or_else(|| AppError::NotFound(msg!("error-no-screening-today")))?)
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
    let day = crate::catalogue::cache::venue_day(conn, venue, now)?;
    Ok(admissible(staff, venue, day.as_ref())?
        .into_iter()
        .map(|l| l.as_ref().clone())
        .collect())
}

/// [`venue_screenings`] over the venue's day as read (`None`: no such venue).
fn admissible(
    staff: &StaffMember,
    venue: VenueId,
    day: Option<&VenueDay>,
) -> Result<Vec<Arc<ScreeningListing>>, AppError> {
    let day = day.ok_or_else(|| AppError::not_found(Thing::Venue))?;
    if staff.venue_id.is_some_and(|own| own != venue) {
        return Err(AppError::Forbidden(msg!("error-scan-own-venue-only")));
    }
    let listings: Vec<Arc<ScreeningListing>> = day
        .screenings
        .iter()
        .filter(|l| check_scope(staff, l).is_ok())
        .cloned()
        .collect();
    if !day.screenings.is_empty() && listings.is_empty() {
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

/// The screening a logged scan was for: the one its annulment locks (see [`annul`]).
pub fn scan_screening(conn: &mut AnyConnection, scan_id: &str) -> Result<ScreeningId, AppError> {
    let screening: String = scans::table
        .find(scan_id)
        .select(scans::screening_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Scan))?;
    Ok(ScreeningId::from_db("scans.screening_id", &screening)?)
}

/// Undoes a door's own last admission, within [`ANNUL_WINDOW_SECONDS`]. The annulment is logged.
/// The write locks the scan's screening ([`scan_screening`]) first, like every scan.
pub fn annul(
    tx: &mut Tx<'_>,
    staff: &StaffMember,
    scan_id: &str,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let now = now.trunc_subsecs(6);
    tx.savepoint(|tx| {
        let original: ScanRow = scans::table
            .find(scan_id)
            .select(ScanRow::as_select())
            .first(tx.conn)
            .optional()?
            .ok_or_else(|| AppError::not_found(Thing::Scan))?;
        if original.staff_id != staff.id.to_string() {
            return Err(AppError::Forbidden(msg!("error-annul-other-door")));
        }
        if ScanKind::from_db("scans.kind", &original.kind)? != ScanKind::Scan
            || Verdict::from_db("scans.verdict", &original.verdict)? != Verdict::Admitted
        {
            return Err(AppError::conflict(
                Refusal::NotAnAdmission,
                msg!("error-annul-not-admission"),
            ));
        }
        if now - original.server_time > Duration::seconds(ANNUL_WINDOW_SECONDS) {
            return Err(AppError::conflict(
                Refusal::AnnulWindowPassed,
                msg!("error-annul-too-late", seconds = ANNUL_WINDOW_SECONDS),
            ));
        }
        let last_admission: Option<String> = scans::table
            .filter(scans::staff_id.eq(&original.staff_id))
            .filter(scans::door.eq(&original.door))
            .filter(scans::kind.eq(ScanKind::Scan.as_str()))
            .filter(scans::verdict.eq(Verdict::Admitted.as_str()))
            .order(scans::server_time.desc())
            .select(scans::id)
            .first(tx.conn)
            .optional()?;
        if last_admission.as_deref() != Some(original.id.as_str()) {
            return Err(AppError::conflict(
                Refusal::NotLastAdmission,
                msg!("error-annul-not-last"),
            ));
        }
        let screening_id = ScreeningId::from_db("scans.screening_id", &original.screening_id)?;
        // Screening before ticket: the lock order of every write (see lock_screenings).
        let state = lock_state(tx.conn, screening_id)?;
        let ticket_id = original.ticket_id.clone().unwrap_or_default();
        let (ticket, booking) = ticket_with_booking(
            tx.conn,
            crate::domain::TicketId::from_db("scans.ticket_id", &ticket_id)?,
        )?;
        if BookingStatus::from_db("bookings.status", &booking.status)? == BookingStatus::Cancelled {
            // Undoing would leave a valid, unused ticket in a cancelled booking: a seat that
            // nobody could use or free again.
            return Err(AppError::conflict(
                Refusal::BookingCancelled,
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
        .execute(tx.conn)?;
        if undone == 0 {
            return Err(AppError::conflict(
                Refusal::AlreadyAnnulled,
                msg!("error-annul-already"),
            ));
        }
        let listing = screening_listing(tx.conn, screening_id)?
            .ok_or_else(|| AppError::not_found(Thing::Screening))?;
        let mut answer: ScanAnswer =
            serde_json::from_str(&original.response).map_err(AppError::internal)?;
        answer.verdict = Verdict::Annulled;
        answer.message = msg!("door-admission-undone").to_string();
        answer.scan_id = uuid::Uuid::now_v7().to_string();
        answer.replayed = false;
        answer.conflict = false;
        let nonce = format!("annul:{}", original.id);
        let scan_id = answer.scan_id.clone();
        let mut chain = Chain::new(screening_id, &state);
        let row = chain.append(
            LogEntry {
                id: &scan_id,
                kind: ScanKind::Annul,
                ticket_id: original.ticket_id.clone(),
                scanned: &original.scanned,
                door: &original.door,
                staff,
                nonce: &nonce,
                request_digest: None,
                client_time: None,
                now,
            },
            -1,
            &mut answer,
        )?;
        chain.store(tx.conn, &[row])?;
        tallies::admission(
            &mut tx.rollups,
            &tallies::Admission {
                festival: listing.screening.festival_id,
                screening: screening_id,
                email: &booking.email,
                country: &booking.country,
                category: ticket.category,
            },
            -1,
        );
        Ok((answer, screening_id))
    })
}
