//! What a door needs to keep admitting without the network, and what happens when it is back.
//!
//! - The **bundle** (`GET /api/v1/door/bundle`): the public keys and the screenings of a door
//!   with every ticket (id, screening, status, admitted_at, holder, category), so a device can
//!   verify a code's signature and decide alone. Answered with an `ETag` over its content, so a
//!   device refreshing it while online gets `304 Not Modified` when nothing changed.
//! - **Sync** (`POST /api/v1/scans/sync`): the scans a device decided offline, applied in
//!   `scanned_at` order through the same rule and the same admit-once statement as online scans,
//!   idempotent by nonce (a batch sent twice changes nothing). When the device let someone in but
//!   the server cannot — the ticket was admitted first at another door, was cancelled, or is not
//!   genuine — the scan is kept in the hash-chained log as a **conflict**, with both doors and
//!   times, for organisers to see (`GET /api/v1/festivals/{id}/conflicts`, the report's
//!   `totals.conflicts`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web as aweb};
use chrono::{Duration, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::answer::ScanAnswer;
use super::record::Scan;
use super::request::{Mode, ScanInput, ScanRequest};
use super::routing::{check_scope, venue_screenings};
use crate::catalogue::queries::{ScreeningListing, screening_listing};
use crate::db::schema::{bookings, scans, screenings, tickets, venues};
use crate::db::{self, AnyConnection};
use crate::domain::format;
use crate::domain::{BookingStatus, FestivalId, ScreeningId, TicketStatus, VenueId, Verdict};
use crate::error::{AppError, ErrorBody, Thing};
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::tickets::keys::PublicKey;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Organiser, SignedIn};
use crate::web::json::ApiJson;
use crate::web::limits::{Limited, per_client};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/door/bundle", aweb::get().to(bundle))
        .service(
            aweb::resource("/api/v1/scans/sync")
                .app_data(aweb::PayloadConfig::new(SYNC_BODY_BYTES))
                .app_data(crate::web::BodyLimit(SYNC_BODY_BYTES))
                .route(aweb::post().to(sync).wrap(per_client(Limited::Scan))),
        )
        .route(
            "/api/v1/festivals/{id}/conflicts",
            aweb::get().to(conflicts),
        );
}

type State = aweb::Data<AppState>;

/// The most scans one sync request may carry (a device sends its queue in pieces).
pub const MAX_SYNC: usize = 500;

/// The largest sync body: [`MAX_SYNC`] scans of 2 KiB each, more than the longest scan the limits
/// allow (a 1,024-character code, a 60-character door, a 100-character nonce, two ids, a time, in
/// JSON) — real ones are 300–400 bytes.
pub const SYNC_BODY_BYTES: usize = MAX_SYNC * 2048;

// ---------------------------------------------------------------------------------------------
// The bundle

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct BundleQuery {
    /// One screening's door.
    screening_id: Option<String>,
    /// A venue's door: the screenings of the day around now that the credential may admit for.
    venue_id: Option<String>,
}

/// A screening as a door device needs it to decide alone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleScreening {
    pub id: String,
    pub film: String,
    pub venue: String,
    pub room: String,
    pub starts_at: String,
    pub doors_open_at: String,
    pub doors_close_at: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    pub capacity: i32,
    pub timezone: String,
}

/// A ticket as a door device needs it: no e-mail, no country.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleTicket {
    pub id: String,
    pub screening_id: String,
    /// `valid`, or `cancelled` (the ticket or its booking).
    pub status: String,
    pub admitted_at: Option<String>,
    pub admitted_door: Option<String>,
    pub holder_name: String,
    pub category: String,
    pub seat_number: i32,
    pub seats: i32,
}

/// Everything a door device needs to decide alone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Bundle {
    pub generated_at: String,
    pub keys: Vec<PublicKey>,
    pub screenings: Vec<BundleScreening>,
    pub tickets: Vec<BundleTicket>,
}

/// The screenings a door admits for, within the staff member's scope.
fn door_screenings(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    query: &BundleQuery,
    now: NaiveDateTime,
) -> Result<Vec<ScreeningListing>, AppError> {
    match (&query.screening_id, &query.venue_id) {
        (Some(id), None) => {
            let id: ScreeningId = crate::catalogue::input::id_field("screening_id", id)?;
            let listing = screening_listing(conn, id)?
                .ok_or_else(|| AppError::not_found(Thing::Screening))?;
            check_scope(staff, &listing)?;
            Ok(vec![listing])
        }
        (None, Some(id)) => {
            let venue: VenueId = crate::catalogue::input::id_field("venue_id", id)?;
            venue_screenings(conn, staff, venue, now)
        }
        _ => Err(AppError::invalid(
            "screening_id",
            crate::msg!("error-scan-target"),
        )),
    }
}

fn bundle_screening(l: &ScreeningListing) -> BundleScreening {
    let s = &l.screening;
    let zone = l.zone();
    BundleScreening {
        id: s.id.to_string(),
        film: l.film.title.clone(),
        venue: l.venue.name.clone(),
        room: s.room.clone(),
        starts_at: format::rfc3339(s.starts_at, zone),
        doors_open_at: format::rfc3339(
            s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)),
            zone,
        ),
        doors_close_at: format::rfc3339(
            s.starts_at + Duration::minutes(i64::from(s.doors_close_minutes)),
            zone,
        ),
        status: s.status.as_str().to_owned(),
        capacity: s.capacity,
        timezone: l.venue.timezone.clone(),
    }
}

type TicketLine = (
    String,
    String,
    i32,
    String,
    String,
    Option<NaiveDateTime>,
    Option<String>,
    String,
    String,
    i32,
);

fn bundle_tickets(
    conn: &mut AnyConnection,
    listings: &[ScreeningListing],
) -> Result<Vec<BundleTicket>, AppError> {
    let ids: Vec<String> = listings
        .iter()
        .map(|l| l.screening.id.to_string())
        .collect();
    let rows: Vec<TicketLine> = tickets::table
        .inner_join(bookings::table)
        .filter(tickets::screening_id.eq_any(&ids))
        .order((tickets::screening_id.asc(), tickets::id.asc()))
        .select((
            tickets::id,
            tickets::screening_id,
            tickets::seat_number,
            tickets::category,
            tickets::status,
            tickets::admitted_at,
            tickets::admitted_door,
            bookings::name,
            bookings::status,
            bookings::seats,
        ))
        .load(conn)?;
    let zone_of = |screening: &str| {
        listings
            .iter()
            .find(|l| l.screening.id.to_string() == screening)
            .map_or(chrono_tz::UTC, ScreeningListing::zone)
    };
    rows.into_iter()
        .map(
            |(id, screening, seat, category, status, admitted_at, door, name, booking, seats)| {
                let cancelled = TicketStatus::from_db("tickets.status", &status)?
                    == TicketStatus::Cancelled
                    || BookingStatus::from_db("bookings.status", &booking)?
                        == BookingStatus::Cancelled;
                Ok(BundleTicket {
                    admitted_at: admitted_at.map(|t| format::rfc3339(t, zone_of(&screening))),
                    id,
                    screening_id: screening,
                    status: if cancelled { "cancelled" } else { "valid" }.to_owned(),
                    admitted_door: door,
                    holder_name: name,
                    category,
                    seat_number: seat,
                    seats,
                })
            },
        )
        .collect()
}

/// `GET /api/v1/door/bundle`: what a door device needs to decide without the network.
#[utoipa::path(get, path = "/api/v1/door/bundle", tag = "door", params(BundleQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keys, screenings and tickets of this door (with an ETag)", body = Bundle),
        (status = 304, description = "Not modified since the bundle with this ETag (If-None-Match)"),
        (status = 404, description = "No such screening or venue", body = ErrorBody),
        (status = 422, description = "Neither or both of screening_id and venue_id", body = ErrorBody),
    ))]
async fn bundle(
    state: State,
    keys: aweb::Data<KeyRing>,
    req: HttpRequest,
    SignedIn(staff): SignedIn,
    query: aweb::Query<BundleQuery>,
) -> Reply {
    let now = Utc::now().naive_utc();
    let query = query.into_inner();
    let (screenings, tickets) = db::run(&state.pool, move |conn| {
        db::read_snapshot(conn, |conn| {
            let listings = door_screenings(conn, &staff, &query, now)?;
            let tickets = bundle_tickets(conn, &listings)?;
            Ok::<_, AppError>((
                listings.iter().map(bundle_screening).collect::<Vec<_>>(),
                tickets,
            ))
        })
    })
    .await?;
    let keys = keys.public_keys.clone();
    // The tag covers everything but the time it was made.
    let content =
        serde_json::to_vec(&(&keys, &screenings, &tickets)).map_err(AppError::internal)?;
    let etag = format!(
        "\"{}\"",
        data_encoding::HEXLOWER.encode(&Sha256::digest(&content)[..16])
    );
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|given| given.split(',').any(|t| t.trim() == etag));
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(Bundle {
            generated_at: format::rfc3339(now, chrono_tz::UTC),
            keys,
            screenings,
            tickets,
        }))
}

// ---------------------------------------------------------------------------------------------
// Sync

/// One scan a device decided offline.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncedScan {
    #[schema(max_length = 1024)]
    pub code: String,
    #[schema(format = Uuid)]
    pub screening_id: Option<String>,
    #[schema(format = Uuid)]
    pub venue_id: Option<String>,
    #[schema(min_length = 1, max_length = 60)]
    pub door: String,
    #[schema(min_length = 1, max_length = 100)]
    pub nonce: String,
    /// When the device scanned, RFC 3339.
    #[schema(format = DateTime)]
    pub scanned_at: String,
    /// What the device answered.
    pub offline_verdict: Verdict,
}

/// The body of `POST /api/v1/scans/sync`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncInput {
    /// At most 500 scans, in any order (they are applied in `scanned_at` order).
    pub scans: Vec<SyncedScan>,
    /// The device's clock as it sends this request, RFC 3339. When given, the server measures
    /// how far the device's clock is from its own and reads the scans' times on the server's
    /// clock, so that between two doors whose clocks disagree the one that scanned first is the
    /// admission. Without it the scans' times are taken as they are.
    #[schema(format = DateTime)]
    pub device_time: Option<String>,
}

/// The server's answer to one synced scan.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncResult {
    pub nonce: String,
    #[serde(flatten)]
    pub answer: ScanAnswer,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncAnswer {
    /// One result per scan, in `scanned_at` order.
    pub results: Vec<SyncResult>,
    /// How far the device's clock is ahead of the server's (negative: behind), in whole seconds,
    /// when the request gave `device_time`. Scans' times were corrected by it when it is at
    /// least [`CLOCK_TOLERANCE_SECONDS`] either way; a door page warns from a minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock_skew_seconds: Option<i64>,
}

/// Below this difference a device's clock is taken as right: what the request's own travel time
/// and the clocks' resolution make of two agreeing clocks.
pub const CLOCK_TOLERANCE_SECONDS: i64 = 2;

/// How far the device's clock is from the server's: `device_time − now`, or nothing when the
/// request did not say. A time that is not RFC 3339 is refused, naming the field.
fn clock_skew(device_time: Option<&str>, now: NaiveDateTime) -> Result<Duration, AppError> {
    let Some(text) = device_time else {
        return Ok(Duration::zero());
    };
    let device = chrono::DateTime::parse_from_rfc3339(text.trim())
        .map_err(|_| AppError::invalid("device_time", crate::msg!("error-device-time")))?
        .naive_utc();
    let skew = device - now;
    Ok(if skew.num_seconds().abs() < CLOCK_TOLERANCE_SECONDS {
        Duration::zero()
    } else {
        skew
    })
}

/// A synced scan, checked.
struct Checked {
    request: ScanRequest,
    scanned_at: NaiveDateTime,
    admitted_offline: bool,
}

/// Checks a sync's scans and puts them on the server's clock: `skew` is how far the device's
/// clock is ahead, so each scan happened at its `scanned_at − skew` (and the window a scan's time
/// must fall in is the device's own view of now).
fn check(
    scans: Vec<SyncedScan>,
    now: NaiveDateTime,
    skew: Duration,
) -> Result<Vec<Checked>, AppError> {
    if scans.len() > MAX_SYNC {
        return Err(AppError::invalid(
            "scans",
            crate::msg!("error-sync-too-many", max = MAX_SYNC),
        ));
    }
    let mut checked = Vec::with_capacity(scans.len());
    for (i, scan) in scans.into_iter().enumerate() {
        let in_field = |e: crate::domain::InputError| {
            AppError::invalid(format!("scans[{i}].{}", e.field), e.message)
        };
        let offline_verdict = scan.offline_verdict;
        let mut request = ScanInput {
            code: scan.code,
            screening_id: scan.screening_id,
            venue_id: scan.venue_id,
            door: scan.door,
            nonce: scan.nonce,
            scanned_at: Some(scan.scanned_at),
        }
        .parse(now + skew)
        .map_err(in_field)?;
        let scanned_at = request
            .client_time
            .map(|at| at - skew)
            .ok_or_else(|| {
                AppError::invalid(
                    format!("scans[{i}].scanned_at"),
                    crate::msg!("error-required", field = "scanned_at"),
                )
            })?
            .trunc_subsecs(6);
        // Stored on the server's clock, as the admission's time is (the request's digest, which
        // a retried nonce must match, leaves the time out: a retry measures the clock again).
        request.client_time = Some(scanned_at);
        checked.push(Checked {
            request,
            scanned_at,
            admitted_offline: offline_verdict == Verdict::Admitted,
        });
    }
    // In the order they happened at the doors (stable: a device's own order for equal times).
    checked.sort_by_key(|c| c.scanned_at);
    Ok(checked)
}

/// `POST /api/v1/scans/sync`: the scans a device decided offline, applied in `scanned_at` order.
#[utoipa::path(post, path = "/api/v1/scans/sync", tag = "door", request_body = SyncInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Each scan's verdict as the server decided it, `conflict` where the device admitted and the server could not", body = SyncAnswer),
        super::api::ScanRefusals,
    ))]
async fn sync(
    state: State,
    keys: aweb::Data<KeyRing>,
    SignedIn(staff): SignedIn,
    body: ApiJson<SyncInput>,
) -> Reply {
    let body = body.into_inner()?;
    let now = Utc::now().naive_utc();
    let skew = clock_skew(body.device_time.as_deref(), now)?;
    let scans = check(body.scans, now, skew)?;
    let mut results = Vec::with_capacity(scans.len());
    let mut touched = Vec::new();
    for scan in scans {
        // Routed for the moment it was scanned: the screening the door admitted for then.
        let route =
            super::api::route(&state, &keys, &staff, &scan.request, scan.scanned_at).await?;
        let mode = Mode::Offline {
            scanned_at: scan.scanned_at,
            admitted_offline: scan.admitted_offline,
        };
        let (answer, screening) = state
            .write_set(Scan::new(
                staff.clone(),
                scan.request.clone(),
                route,
                mode,
                keys.verifier.clone(),
            ))
            .await?;
        if !answer.replayed {
            state.metrics.scanned(answer.verdict.as_str());
        }
        if !touched.contains(&screening) {
            touched.push(screening);
        }
        results.push(SyncResult {
            nonce: scan.request.nonce,
            answer,
        });
    }
    for screening in touched {
        state.hub.publish(screening);
    }
    Ok(HttpResponse::Ok().json(SyncAnswer {
        results,
        clock_skew_seconds: body.device_time.is_some().then(|| skew.num_seconds()),
    }))
}

// ---------------------------------------------------------------------------------------------
// Conflicts

/// An offline admission the server could not honour.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Conflict {
    pub scan_id: String,
    pub screening_id: String,
    pub film: String,
    pub ticket_id: Option<String>,
    pub holder_name: Option<String>,
    /// The door that admitted offline, and when.
    pub door: String,
    pub scanned_at: Option<String>,
    /// When the device's upload reached the server.
    pub synced_at: String,
    /// What the server decided instead (`already_admitted`, `cancelled`, `invalid`…).
    pub verdict: Verdict,
    /// For `already_admitted`: the admission that counts, at which door.
    pub first_admitted_at: Option<String>,
    pub first_admitted_door: Option<String>,
    pub message: String,
}

/// A conflict as read: the scan's id, screening, door, times and stored answer, and the venue's
/// time zone (to say when the admission that counts was made).
type ConflictRow = (
    String,
    String,
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
    String,
    String,
);

/// The festival's conflicts, newest first.
pub fn festival_conflicts(
    conn: &mut AnyConnection,
    festival: FestivalId,
) -> Result<Vec<Conflict>, AppError> {
    let rows: Vec<ConflictRow> = scans::table
        .inner_join(screenings::table.inner_join(venues::table))
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(scans::conflict.eq(true))
        .order(scans::server_time.desc())
        .select((
            scans::id,
            scans::screening_id,
            scans::door,
            scans::client_time,
            scans::server_time,
            scans::response,
            venues::timezone,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(id, screening, door, client_time, server_time, response, timezone)| {
                let answer: ScanAnswer = serde_json::from_str(&response).map_err(|e| {
                    AppError::internal(anyhow::anyhow!(
                        "scans.response of {id} does not parse: {e}"
                    ))
                })?;
                let zone: chrono_tz::Tz = timezone
                    .parse()
                    .map_err(|_| crate::domain::Unreadable::new("venues.timezone", &timezone))?;
                let message = explain(&answer, zone);
                Ok(Conflict {
                    scan_id: id,
                    screening_id: screening,
                    film: answer
                        .screening
                        .as_ref()
                        .map(|s| s.film.clone())
                        .unwrap_or_default(),
                    ticket_id: answer.ticket.as_ref().map(|t| t.id.clone()),
                    holder_name: answer.ticket.as_ref().map(|t| t.holder_name.clone()),
                    door,
                    scanned_at: client_time.map(|t| format::rfc3339(t, chrono_tz::UTC)),
                    synced_at: format::rfc3339(server_time, chrono_tz::UTC),
                    verdict: answer.verdict,
                    first_admitted_at: answer.first_admitted_at,
                    first_admitted_door: answer.first_admitted_door,
                    message,
                })
            },
        )
        .collect()
}

/// Why the server did not honour an offline admission, put into words when it is read — in the
/// reader's language, not the uploading door's — from the verdict and the facts kept with it.
fn explain(answer: &ScanAnswer, zone: chrono_tz::Tz) -> String {
    let msg = match answer.verdict {
        Verdict::AlreadyAdmitted => {
            let time = answer
                .first_admitted_at
                .as_deref()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                .map(|at| format::time_of_day(at.naive_utc(), zone))
                .unwrap_or_default();
            let door = answer.first_admitted_door.clone().unwrap_or_default();
            crate::msg!("door-already-admitted", time = time, door = door)
        }
        Verdict::Cancelled => crate::msg!("conflict-cancelled"),
        Verdict::Invalid => crate::msg!("conflict-not-genuine"),
        Verdict::Unknown => crate::msg!("door-no-such-ticket"),
        Verdict::WrongScreening => crate::msg!("conflict-wrong-screening"),
        Verdict::TooEarly | Verdict::TooLate => crate::msg!("conflict-outside-doors"),
        Verdict::RoomFull => crate::msg!("door-room-full"),
        // Not a refusal: no conflict is stored with these, but the stored words are kept.
        Verdict::Admitted | Verdict::Annulled => {
            return answer.message.clone();
        }
    };
    msg.to_string()
}

/// How many conflicts a festival has (the report's `totals.conflicts`).
pub fn count_conflicts(conn: &mut AnyConnection, festival: FestivalId) -> Result<i64, AppError> {
    Ok(scans::table
        .inner_join(screenings::table)
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(scans::conflict.eq(true))
        .count()
        .get_result(conn)?)
}

/// `GET /api/v1/festivals/{id}/conflicts`: offline double admissions and other offline
/// admissions the server could not honour.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/conflicts", tag = "door",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Conflicts, newest first", body = Vec<Conflict>)))]
async fn conflicts(state: State, _: Organiser, id: aweb::Path<FestivalId>) -> Reply {
    let id = id.into_inner();
    let list = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, id)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        festival_conflicts(conn, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}
