//! Sync (`POST /api/v1/scans/sync`): the scans a device decided offline, put on the server's
//! clock and applied in the order they happened.

use actix_web::{HttpResponse, web as aweb};
use chrono::{Duration, NaiveDateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Verdict;
use crate::door::answer::ScanAnswer;
use crate::door::record::Scan;
use crate::door::request::{Mode, ScanInput, ScanRequest};
use crate::error::AppError;
use crate::tickets::keys::KeyRing;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::SignedIn;
use crate::web::json::ApiJson;

use super::MAX_SYNC;

type State = aweb::Data<AppState>;

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
    /// What the device answered. A refusal is kept as the scan's answer and admits no one,
    /// whatever the server would decide now (the person was turned away).
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

/// Below this difference a device's clock is taken as right: the device stamps `device_time`
/// before it sends, the server reads its clock once the body has arrived, so an upload's own
/// travel time (up to the door page's 3 s timeout) counts as difference. Two doors' scans a few
/// seconds apart are not told apart by their clocks anyway.
pub const CLOCK_TOLERANCE_SECONDS: i64 = 5;

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
    offline_verdict: Verdict,
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
            offline_verdict,
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
        crate::door::api::ScanRefusals,
    ))]
pub(super) async fn sync(
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
            crate::door::api::route(&state, &keys, &staff, &scan.request, scan.scanned_at).await?;
        let mode = Mode::Offline {
            scanned_at: scan.scanned_at,
            verdict: scan.offline_verdict,
        };
        let (answer, screening) = crate::door::api::write_scan(
            &state,
            &keys,
            Scan::new(
                staff.clone(),
                scan.request.clone(),
                route,
                mode,
                keys.verifier.clone(),
            ),
        )
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
